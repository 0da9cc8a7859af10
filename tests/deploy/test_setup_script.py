"""scripts/setup.sh with a Python that is too old: one clear line, no .venv touched."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.conftest import ROOT


def test_a_too_old_python_is_refused_with_one_line(tmp_path: Path) -> None:
    old_python = tmp_path / "python3.10"
    old_python.write_text("#!/bin/sh\necho 3.10\nexit 1\n")  # answers like Python 3.10 would
    old_python.chmod(0o755)
    venv_before = (ROOT / ".venv" / "bin" / "python").resolve()
    result = subprocess.run(["bash", str(ROOT / "scripts" / "setup.sh")], capture_output=True,
                            text=True, timeout=60, check=False,
                            env={"PATH": "/usr/bin:/bin", "PYTHON": str(old_python)})
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        f"scripts/setup.sh: Python 3.11 or newer is needed, but {old_python} is 3.10; install "
        "it and run again (or set PYTHON=/path/to/python3.11)."]
    assert (ROOT / ".venv" / "bin" / "python").resolve() == venv_before
