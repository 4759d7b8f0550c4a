"""``core`` never imports Qt, pyqtgraph or ``app``: it must work where they are absent."""

import subprocess
import sys
import textwrap
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]

# Runs in a fresh interpreter: any attempt to import a blocked package is recorded and
# fails, even one that core would catch and recover from.
BLOCKED_IMPORT_SCRIPT = textwrap.dedent(
    """
    import importlib.abc
    import sys

    BLOCKED = {"PySide6", "shiboken6", "pyqtgraph", "app"}
    attempts = []


    class BlockGuiPackages(importlib.abc.MetaPathFinder):
        def find_spec(self, fullname, path, target=None):
            if fullname.partition(".")[0] in BLOCKED:
                attempts.append(fullname)
                raise ImportError(f"{fullname} is blocked: core must not import it")
            return None


    sys.meta_path.insert(0, BlockGuiPackages())

    import core

    assert core.arange(6).view(2, 3).t().stride() == (1, 3)
    assert not attempts, f"core tried to import {attempts}"
    loaded = sorted(name for name in sys.modules if name.partition(".")[0] in BLOCKED)
    assert not loaded, f"loaded anyway: {loaded}"
    print("core works without Qt")
    """
)


def test_core_imports_and_works_with_qt_blocked():
    result = subprocess.run(
        [sys.executable, "-c", BLOCKED_IMPORT_SCRIPT],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "core works without Qt"


def test_the_blocker_catches_a_qt_import():
    """Guards the test above: the same script fails when Qt is imported."""
    script = BLOCKED_IMPORT_SCRIPT.replace("import core\n", "import core\nimport PySide6\n")

    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO_ROOT, timeout=120
    )

    assert result.returncode != 0
    assert "PySide6 is blocked" in result.stderr
