"""Every setting Rapportsök reads from the environment, in one frozen object.

The faces (CLI, app) and the index read `Settings.from_env()` instead of `os.environ`, so the
names, defaults and parsing of the variables live here only. Read when asked (not at import), so
a test or a long-running app that changes the environment is seen on the next call.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "rapportsok"

DATA_DIR_ENV = "RAPPORTSOK_DATA_DIR"
CACHE_DIR_ENV = "RAPPORTSOK_CACHE_DIR"
EMBEDDER_ENV = "RAPPORTSOK_EMBEDDER"
LLM_URL_ENV = "RAPPORTSOK_LLM_URL"
LLM_MODEL_ENV = "RAPPORTSOK_LLM_MODEL"
LLM_API_KEY_ENV = "RAPPORTSOK_LLM_API_KEY"
CORPUS_DIR_ENV = "RAPPORTSOK_CORPUS_DIR"
ADMIN_PASSWORD_ENV = "RAPPORTSOK_ADMIN_PASSWORD"
ADMIN_PASSWORD_HASH_ENV = "RAPPORTSOK_ADMIN_PASSWORD_HASH"
DEBUG_ENV = "RAPPORTSOK_DEBUG"
EXAMPLE_QUESTION_ENV = "RAPPORTSOK_EXAMPLE_QUESTION"


@dataclass(frozen=True)
class Settings:
    """Resolved settings; paths are absolute and not created."""

    data_dir: Path  # $RAPPORTSOK_DATA_DIR > $XDG_DATA_HOME/rapportsok (~/.local/share/rapportsok)
    cache_dir: Path  # converted embedding model: $RAPPORTSOK_CACHE_DIR > $XDG_CACHE_HOME/rapportsok
    embedder: str | None  # $RAPPORTSOK_EMBEDDER: a built-in name, model name or folder; None = default
    llm_url: str | None  # $RAPPORTSOK_LLM_URL: optional summaries from a chat-completions server
    llm_model: str | None
    llm_api_key: str | None
    corpus_dir: Path  # where the app saves uploads: $RAPPORTSOK_CORPUS_DIR, default DATA_DIR/corpus
    admin_password: str | None  # $RAPPORTSOK_ADMIN_PASSWORD: needed for every change in the app
    admin_password_hash: str | None  # $RAPPORTSOK_ADMIN_PASSWORD_HASH: the same as a salted hash
    debug: bool  # RAPPORTSOK_DEBUG=1: the CLI shows tracebacks
    # $RAPPORTSOK_EXAMPLE_QUESTION: a question the app offers as a one-click example. Only the one
    # who indexes the reports knows one they answer (scripts/run.sh sets one for corpus/); None = none.
    example_question: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The settings in `environ` (default: this process's environment)."""
        env = os.environ if environ is None else environ

        def text(name: str) -> str | None:
            return env.get(name, "").strip() or None

        def xdg(variable: str, fallback: str) -> Path:
            base = text(variable)
            return Path(base) if base else Path.home() / fallback

        def directory(name: str, default: Path) -> Path:
            return (Path(text(name)).expanduser() if text(name) else default).resolve()

        url = text(LLM_URL_ENV)
        data_dir = directory(DATA_DIR_ENV, xdg("XDG_DATA_HOME", ".local/share") / APP_NAME)
        return cls(
            data_dir=data_dir,
            cache_dir=directory(CACHE_DIR_ENV, xdg("XDG_CACHE_HOME", ".cache") / APP_NAME),
            embedder=text(EMBEDDER_ENV),
            llm_url=url.rstrip("/") if url else None,
            llm_model=text(LLM_MODEL_ENV),
            llm_api_key=text(LLM_API_KEY_ENV),
            # Never the checkout's corpus/: that is read-only sample input.
            corpus_dir=directory(CORPUS_DIR_ENV, data_dir / "corpus"),
            # A password is taken as given: surrounding spaces may be part of it.
            admin_password=env.get(ADMIN_PASSWORD_ENV) or None,
            admin_password_hash=text(ADMIN_PASSWORD_HASH_ENV),
            debug=env.get(DEBUG_ENV) == "1",
            example_question=text(EXAMPLE_QUESTION_ENV),
        )
