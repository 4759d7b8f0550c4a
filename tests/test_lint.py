"""The house style is part of the suite: ruff's lint and format checks pass on the whole tree."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _ruff() -> list[str]:
    beside_python = Path(sys.executable).with_name("ruff")
    found = str(beside_python) if beside_python.exists() else shutil.which("ruff")
    if found is None:
        pytest.skip("ruff is not installed (pip install -e '.[test]')")
    return [found]


@pytest.mark.parametrize(
    "check", [["check", "."], ["format", "--check", "."]], ids=["lint", "format"]
)
def test_ruff_passes(check: list[str]) -> None:
    completed = subprocess.run([*_ruff(), *check], cwd=ROOT, capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout + completed.stderr
