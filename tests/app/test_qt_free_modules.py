"""The app's model-side modules need no Qt: their logic is tested, and usable, without it."""

import subprocess
import sys
import textwrap
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]

QT_FREE_MODULES = (
    "app.autograd_graph",
    "app.backward_pass",
    "app.backward_session",
    "app.bench_command",
    "app.cell_tiling",
    "app.cli",
    "app.code_text",
    "app.forms",
    "app.gradient_values",
    "app.graph_gaps",
    "app.graph_layout",
    "app.graph_templates",
    "app.highlight",
    "app.lesson_answers",
    "app.lesson_run",
    "app.lesson_text",
    "app.lessons",
    "app.line_plan",
    "app.session_script",
    "app.startup",
    "app.step_description",
    "app.storage_geometry",
    "app.svg_strokes",
    "app.tensor_facts",
    "app.timing_results",
    "app.view_explanation",
    "app.view_operations",
)

# A fresh interpreter in which importing Qt or pyqtgraph fails, even where caught.
IMPORT_WITHOUT_QT = textwrap.dedent(
    """
    import importlib, importlib.abc, sys

    class BlockQt(importlib.abc.MetaPathFinder):
        def find_spec(self, fullname, path, target=None):
            if fullname.partition(".")[0] in {"PySide6", "shiboken6", "pyqtgraph"}:
                raise ImportError(f"{fullname} is blocked")
            return None

    sys.meta_path.insert(0, BlockQt())
    failed = []
    for module in sys.argv[1:]:
        try:
            importlib.import_module(module)
        except ImportError as error:
            failed.append(f"{module}: {error}")
    loaded = sorted(name for name in sys.modules if name.partition(".")[0] == "PySide6")
    print("\\n".join(failed + loaded))
    """
)


def test_model_modules_import_with_qt_blocked() -> None:
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_WITHOUT_QT, *QT_FREE_MODULES],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_a_widget_module_is_caught_importing_qt() -> None:
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_WITHOUT_QT, "app.widgets.cell_outline"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=120,
    )

    assert "app.widgets.cell_outline: PySide6" in result.stdout
