"""Who may change the index from the app (the rules are in app/security.py): the admin password
where one is needed, rate-limited, and the audit log of changes."""

from __future__ import annotations

import streamlit as st
from rapportsok.app.security import Throttle, change_policy, check_password
from rapportsok.index.engine import Engine
from rapportsok.index.settings import Settings
from rapportsok.lang.numbers import format_number
from streamlit.runtime.scriptrunner import get_script_run_ctx

# Wrong passwords of all sessions together: guessing from many tabs is slowed down as well.
THROTTLE = Throttle()


def served_address() -> str | None:
    """The address the server listens on (None: all interfaces); a function so tests can set it."""
    return st.get_option("server.address")


def session_id() -> str:
    """This browser session's id, for the audit log."""
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else "okänd"


def changes_allowed(key: str) -> bool:
    """Whether this session may change the index (app/security.py has the rules). Asks for the
    admin password where one is needed (`key`: the password field's widget key), rate-limited."""
    settings = Settings.from_env()
    policy = change_policy(served_address(), settings)
    if policy.refusal:
        st.warning(policy.refusal)
        return False
    if not policy.needs_password or st.session_state.get("admin_ok"):
        return True
    given = st.text_input("Administratörslösenord", type="password", key=key)
    if given:
        wait = THROTTLE.wait_s()
        if wait:
            st.error(f"För många felaktiga lösenord. Försök igen om {format_number(wait, 0)} s.")
            return False
        ok = check_password(given, settings.admin_password, settings.admin_password_hash)
        THROTTLE.record(ok)
        if ok:
            st.session_state["admin_ok"] = True
            return True
        st.error("Fel lösenord.")
    st.info("Ändringar (uppladdning, omindexering, rättelser, borttagning) kräver administratörslösenordet.")
    return False


def log_change(engine: Engine, action: str, detail: str) -> None:
    """Record a change made in the app (who, when, what) in the store's audit log."""
    engine.store.log_change(session_id(), action, detail)
