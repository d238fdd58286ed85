"""The package as a user gets it: a wheel installed outside the checkout ingests reports and answers.

Also checks that nothing at run time finds its files through the checkout's layout.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest
from conftest import REPO

# The folders pyproject.toml maps to `rapportsok.*` (package-dir), read from it so none is missed.
_SETUPTOOLS = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
PACKAGE_FOLDERS = tuple(_SETUPTOOLS["package-dir"].values())
PSYKISK_HALSA = "hur mycket fick regionen för psykisk hälsa 2020"


def test_no_module_finds_files_through_the_checkout_layout() -> None:
    """Installed from a wheel there is no checkout around the package: files it reads ship as
    package data (importlib.resources) and tools take paths relative to the working directory."""
    for folder in PACKAGE_FOLDERS:
        for path in (REPO / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert ".parents[" not in text and ".parent.parent" not in text, path


@pytest.mark.slow
def test_wheel_installed_outside_the_checkout_ingests_and_answers(tmp_path: Path) -> None:
    source = tmp_path / "source"  # a clean copy, so the build leaves nothing in the checkout
    for folder in PACKAGE_FOLDERS:
        shutil.copytree(REPO / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels),
         str(source)],
        check=True, timeout=300,
    )
    (wheel,) = wheels.glob("rapportsok-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for shipped in ("rapportsok/index/schema.sql", "rapportsok/app/streamlit_config.toml",
                    "rapportsok/app/streamlit_app.py", "rapportsok/lang/numbers.py",
                    "rapportsok/models/ner/model/meta.json", "rapportsok/tools/cli/__init__.py"):
        assert shipped in names, shipped
    assert "rapportsok/models/ner/model/rapportsok_entity_rules/divisions.txt" in names
    assert any(name.startswith("rapportsok/models/ner/model/entity_ruler/") for name in names)

    # A fresh venv that sees this environment's dependencies (no reinstalling torch) through a
    # .pth file listing their folders; .pth files inside them are not run, so the checkout's
    # editable install stays inactive and `rapportsok` comes from the wheel alone.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    purelib = Path(subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip())
    ours = [p for p in site.getsitepackages() + [sysconfig.get_paths()["purelib"]] if Path(p).is_dir()]
    ours += [p for p in sys.path if p.endswith("site-packages") and p not in ours]
    (purelib / "dependencies.pth").write_text("\n".join(dict.fromkeys(ours)) + "\n", encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "-q",
         str(wheel)],
        check=True, timeout=300,
    )

    work = tmp_path / "elsewhere"
    reports = work / "rapporter"
    reports.mkdir(parents=True)
    # The report with the answer and the folder's metadata sidecar: enough to answer, quick to embed.
    for name in ("000_8ac7d356e43819cf.txt", "metadata.toml"):
        shutil.copy2(REPO / "corpus" / name, reports / name)
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env["RAPPORTSOK_DATA_DIR"] = str(work / "data")
    rapportsok = str(venv / "bin" / "rapportsok")

    def run(*argv: str) -> subprocess.CompletedProcess:
        return subprocess.run([rapportsok, *argv], cwd=work, env=env, capture_output=True, text=True,
                              timeout=600)

    where = subprocess.run(
        [str(python), "-c", "import rapportsok.app, sys; print(rapportsok.app.__file__)"],
        cwd=work, env=env, capture_output=True, text=True, check=True,
    ).stdout.strip()
    assert Path(where).is_relative_to(venv) and not Path(where).is_relative_to(REPO), where
    ingest = run("ingest", str(reports))
    assert ingest.returncode == 0, ingest.stderr
    answer = run("ask", PSYKISK_HALSA)
    assert answer.returncode == 0, answer.stderr
    assert "\n27 mnkr\n" in answer.stdout, answer.stdout
