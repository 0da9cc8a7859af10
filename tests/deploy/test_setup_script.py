"""scripts/setup.sh: a Python that is too old gets one clear line and no .venv touched; a .venv
made by another Python (or one whose Python no longer runs) is rebuilt, one made by this Python
is kept.

The rebuild runs on a copy of the files the script reads, with a stand-in interpreter (the
script's PYTHON setting) that answers the version checks and records what it is asked to do
instead of doing it: `pip install` would need the network, and the decision is what is tested.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT

WANTED = "3.11"


def _run_setup(root: Path, python: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(root / "scripts" / "setup.sh")], capture_output=True,
                          text=True, timeout=60, check=False,
                          env={"PATH": "/usr/bin:/bin", "PYTHON": str(python)})


def test_a_too_old_python_is_refused_with_one_line(tmp_path: Path) -> None:
    old_python = tmp_path / "python3.10"
    old_python.write_text("#!/bin/sh\necho 3.10\nexit 1\n")  # answers like Python 3.10 would
    old_python.chmod(0o755)
    venv_before = (ROOT / ".venv" / "bin" / "python").resolve()
    result = _run_setup(ROOT, old_python)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        f"scripts/setup.sh: Python 3.11 or newer is needed, but {old_python} is 3.10; install "
        "it and run again (or set PYTHON=/path/to/python3.11)."]
    assert (ROOT / ".venv" / "bin" / "python").resolve() == venv_before


@dataclass
class Checkout:
    """A copy of what setup.sh reads, a stand-in Python and the log of what it was asked."""

    root: Path
    python: Path
    log: Path

    @property
    def venv(self) -> Path:
        return self.root / ".venv"

    def interpreter(self, path: Path, version: str) -> Path:
        """A stand-in `python` of `version`: it prints its version when asked, makes a "venv"
        as a copy of itself, and only records every other command (pip, above all)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"""#!/bin/sh
case "$*" in
    *print*) echo {version} ;;
    *sys.exit*) ;;
    "-m venv "*) echo "$0 $*" >> {self.log}; mkdir -p "$3/bin" && cp "$0" "$3/bin/python" ;;
    *) echo "$0 $*" >> {self.log} ;;
esac
""")
        path.chmod(0o755)
        return path

    def installed_venv(self, version: str | None) -> Path:
        """A .venv with this pyproject.toml installed, made by Python `version` (None: its
        Python no longer runs, as after an interpreter was removed); returns a file in it."""
        if version is not None:
            self.interpreter(self.venv / "bin" / "python", version)
        digest = hashlib.sha256((self.root / "pyproject.toml").read_bytes()).hexdigest()[:16]
        (self.venv / "lib").mkdir(parents=True, exist_ok=True)
        (self.venv / f".installed-{digest}").touch()
        marker = self.venv / "lib" / "installed-package"
        marker.touch()
        return marker

    def commands(self) -> list[str]:
        """What the stand-in Pythons were asked besides their version."""
        return self.log.read_text().splitlines() if self.log.exists() else []


@pytest.fixture
def checkout(tmp_path: Path) -> Checkout:
    root = tmp_path / "repo"
    (root / "scripts").mkdir(parents=True)
    shutil.copy2(ROOT / "scripts" / "setup.sh", root / "scripts" / "setup.sh")
    shutil.copy2(ROOT / "pyproject.toml", root / "pyproject.toml")
    made = Checkout(root, tmp_path / "python3.11", tmp_path / "commands.log")
    made.interpreter(made.python, WANTED)
    return made


@pytest.mark.parametrize(("made_by", "named"), [
    ("3.10", "Python 3.10"), (None, "a Python that no longer runs")])
def test_a_venv_made_by_another_python_is_rebuilt(
    checkout: Checkout, made_by: str | None, named: str,
) -> None:
    old_package = checkout.installed_venv(made_by)
    result = _run_setup(checkout.root, checkout.python)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"scripts/setup.sh: .venv was made by {named}; rebuilding it with Python {WANTED}."]
    venv_python = checkout.venv / "bin" / "python"
    assert checkout.commands() == [
        f"{checkout.python} -m venv {checkout.venv}",
        f"{venv_python} -m pip install --quiet --upgrade pip",
        f"{venv_python} -m pip install --quiet -e {checkout.root}[dev]",
    ]
    assert not old_package.exists()
    assert len(list(checkout.venv.glob(".installed-*"))) == 1


def test_a_venv_made_by_this_python_is_kept(checkout: Checkout) -> None:
    package = checkout.installed_venv(WANTED)
    result = _run_setup(checkout.root, checkout.python)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert checkout.commands() == []
    assert package.exists()
