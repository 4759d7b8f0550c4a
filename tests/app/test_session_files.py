"""File > New, Open, Open Recent, Save, Save As: the session as a script, saved and opened.

A saved session opened in a second window must give the same history and the same
tensors (values, layouts, storage sharing, gradients); the saved file must also run in
real PyTorch and give the same values.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from app.cli import build_parser, main
from app.main_window import MainWindow
from app.session_files import MAX_RECENT_FILES, LeaveChoice
from app.session_script import SCRIPT_HEADER, read_script
from app.theme import apply_theme
from app.window_commands import start_session

REPO_ROOT = Path(__file__).resolve().parents[2]

RANDOM_NAMES = {"r", "n", "a", "b"}
"""Made from random fills: the session's seed repeats them, PyTorch's generator does not."""
HISTORY = [
    "x = core.arange(12, dtype=core.float32).view(3, 4)",
    "y = x.t()",
    "y[1:, 0].mul_(10)",
    "z = y[::2]",
    "r = core.rand(2, 3)",
    "n = core.randn(3)",
    "a = r.t(); b = a[1]",
    "w = core.ones(3, requires_grad=True)",
    "loss = (x[:, :3] * w).sum()",
    "loss.backward()",
    "g = w.grad",
    "x.add_(1)",
]

# -- helpers --------------------------------------------------------------------------


def run_history(window: MainWindow, lines: list[str]) -> None:
    for line in lines:
        window.session.run(line)


def saving_to(window: MainWindow, path: Path) -> None:
    """Answer the Save As dialog with ``path``."""
    window.session_files.choose_save_path = lambda: path


def answering(window: MainWindow, choice: LeaveChoice) -> list[str]:
    """Answer "save the changes?" with ``choice``; the names it was asked about."""
    asked: list[str] = []

    def answer(name: str) -> LeaveChoice:
        asked.append(name)
        return choice

    window.session_files.ask_to_save = answer
    return asked


def described(tensor) -> dict:
    """Everything about a core tensor that a reopened session must repeat."""
    grad = tensor._grad
    return {
        "shape": tuple(tensor.shape),
        "stride": tuple(tensor.stride()),
        "offset": tensor.storage_offset(),
        "dtype": str(tensor.dtype),
        "values": tensor.numpy(force=True).tolist(),
        "requires_grad": tensor.requires_grad,
        "grad": None if grad is None else grad.numpy(force=True).tolist(),
        "version": tensor._version,
    }


def storage_groups(window: MainWindow) -> list[list[str]]:
    groups: dict[int, list[str]] = {}
    for name, tensor in window.session.tensors().items():
        groups.setdefault(id(tensor.untyped_storage()), []).append(name)
    return sorted(groups.values())


def status(window: MainWindow) -> str:
    return window.statusBar().currentMessage()


def console_error(window: MainWindow) -> str:
    error = window.console.error
    return error.text() if error.isVisibleTo(window) else ""


# -- the round trip -------------------------------------------------------------------


def test_a_saved_session_opens_as_it_was_in_a_second_window(make_window, tmp_path):
    first = make_window()
    run_history(first, HISTORY)
    path = tmp_path / "lesson.py"
    saving_to(first, path)

    assert first.session_files.save()
    second = make_window()
    assert second.session_files.open_path(path) is None

    assert second.session.history == first.session.history == HISTORY
    ours, theirs = first.session.tensors(), second.session.tensors()
    assert list(theirs) == list(ours) == ["x", "y", "z", "r", "n", "a", "b", "w", "loss", "g"]
    for name in ours:
        assert described(theirs[name]) == described(ours[name]), name
    expected_groups = [["g"], ["loss"], ["n"], ["r", "a", "b"], ["w"], ["x", "y", "z"]]
    assert storage_groups(second) == storage_groups(first) == expected_groups
    assert described(theirs["g"])["values"] == [12.0, 24.0, 36.0]  # column sums after the mul_
    assert second.session.tensors()["g"] is second.session.tensors()["w"]._grad


def test_the_saved_file_is_the_header_and_the_history_in_pytorch(make_window, tmp_path):
    window = make_window()
    run_history(window, HISTORY[:3])
    path = tmp_path / "saved.py"
    saving_to(window, path)

    window.session_files.save()

    assert path.read_text(encoding="utf-8") == (
        SCRIPT_HEADER
        + "\nimport torch\n\n"
        + "x = torch.arange(12, dtype=torch.float32).view(3, 4)\n"
        + "y = x.t()\n"
        + "y[1:, 0].mul_(10)\n"
    )


STEPPED = [
    "x = core.arange(6.0).view(2, 3)",
    "x.t()[0].mul_(5)",
    "w = core.ones(3).requires_grad_()",
    "h = x * w",
    "h.retain_grad()",
    "loss = h.sum()",
]


def test_saving_while_a_pass_is_stepped_saves_the_history_and_leaves_the_pass(
    make_window, tmp_path
):
    window = make_window()
    run_history(window, STEPPED)
    session = window.session
    session.step()
    session.step()
    shown = session.backward_pass.shown_step
    assert shown == 2
    path = tmp_path / "stepped.py"
    saving_to(window, path)

    assert window.session_files.save()

    assert [line.code for line in read_script(path.read_text())] == STEPPED
    assert session.backward_pass.shown_step == shown
    assert session.tensors()["h"]._grad is not None  # the preview still shows its step
    while session.history[-1] != "loss.backward()":
        session.step()
    assert window.isWindowModified()
    window.session_files.save()
    reopened = make_window()
    reopened.session_files.open_path(path)
    assert reopened.session.history == [*STEPPED, "loss.backward()"]
    for name in ("x", "w", "h"):
        theirs, ours = reopened.session.tensors()[name], session.tensors()[name]
        assert described(theirs) == described(ours), name
    assert described(reopened.session.tensors()["w"])["grad"] == [15.0, 5.0, 7.0]


RUN_IN_PYTORCH = """
import json, runpy, sys, torch

namespace = runpy.run_path(sys.argv[1], run_name="__main__")
tensors = {name: t for name, t in namespace.items() if isinstance(t, torch.Tensor)}
print(json.dumps({
    name: {
        "shape": list(t.shape),
        "stride": list(t.stride()),
        "offset": t.storage_offset(),
        "values": t.detach().tolist(),
        "grad": t.grad.tolist() if t.is_leaf and t.grad is not None else None,
        "storage": t.untyped_storage().data_ptr(),
    }
    for name, t in tensors.items()
}))
"""


def test_the_saved_file_runs_in_pytorch_and_gives_the_same_tensors(make_window, tmp_path):
    window = make_window()
    run_history(window, HISTORY)
    path = tmp_path / "in torch.py"
    saving_to(window, path)
    window.session_files.save()

    result = subprocess.run(
        [sys.executable, "-c", RUN_IN_PYTORCH, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    torch_tensors = json.loads(result.stdout)
    ours = window.session.tensors()
    assert list(torch_tensors) == list(ours)
    torch_groups: dict[int, list[str]] = {}
    for name, tensor in ours.items():
        twin = torch_tensors[name]
        assert twin["shape"] == list(tensor.shape), name
        assert twin["stride"] == list(tensor.stride()), name
        assert twin["offset"] == tensor.storage_offset(), name
        if name not in RANDOM_NAMES:
            assert twin["values"] == tensor.numpy(force=True).tolist(), name
        grad = tensor._grad
        assert twin["grad"] == (None if grad is None else grad.numpy(force=True).tolist())
        torch_groups.setdefault(twin["storage"], []).append(name)
    assert sorted(torch_groups.values()) == storage_groups(window)


COMMENTED = (
    "# Lesson 3: strides\n"
    "import torch\n"
    "\n"
    "# a matrix and its transpose\n"
    "x = torch.arange(6.0).view(2, 3)\n"
    "y = x.t()\n"
    "\n"
    "w = torch.ones(3, requires_grad=True)\n"
    "(x[0] * w).sum().backward()\n"
    "\n"
    "@torch.no_grad()\n"
    "def step(p):\n"
    "    p -= 0.5 * p.grad\n"
    "\n"
    "step(w)\n"
    "# Try it: y.stride()\n"
)


def test_saving_a_hand_written_script_keeps_its_comments(make_window, tmp_path):
    path = tmp_path / "lesson.py"
    path.write_text(COMMENTED)
    window = make_window()

    assert window.session_files.open_path(path) is None
    assert window.session.tensors()["w"].numpy(force=True).tolist() == [1.0, 0.5, 0.0]
    window.session.run("z = y.contiguous()")
    assert window.session_files.save()

    assert path.read_text() == (
        SCRIPT_HEADER
        + "\nimport torch\n\n"
        + "# Lesson 3: strides\n# a matrix and its transpose\n"
        + "x = torch.arange(6.0).view(2, 3)\n"
        + "y = x.t()\n"
        + "w = torch.ones(3, requires_grad=True)\n"
        + "(x[0] * w).sum().backward()\n"
        + "@torch.no_grad()\ndef step(p):\n    p -= 0.5 * p.grad\n"
        + "step(w)\n# Try it: y.stride()\n"
        + "z = y.contiguous()\n"
    )


def test_a_line_taken_back_takes_its_comments_with_it(make_window, tmp_path):
    path = tmp_path / "lesson.py"
    path.write_text(COMMENTED)
    window = make_window()
    window.session_files.open_path(path)
    stack = window.session.undo_stack

    for _ in range(5):
        stack.undo()
    window.session.run("y = x[0]")
    window.session_files.save()

    assert path.read_text().endswith(
        "\n# Lesson 3: strides\n# a matrix and its transpose\n"
        "x = torch.arange(6.0).view(2, 3)\ny = x[0]\n"
    )
    assert window.session_files.new_session()  # and a new session has no comments to keep
    window.session.run("a = core.ones(1)")
    saving_to(window, tmp_path / "new.py")
    window.session_files.save()
    assert (tmp_path / "new.py").read_text().endswith("\nimport torch\n\na = torch.ones(1)\n")


# -- opening: errors ------------------------------------------------------------------


def test_a_failing_line_stops_the_open_keeps_what_ran_and_names_the_line(make_window, tmp_path):
    path = tmp_path / "broken.py"
    path.write_text(
        "import torch\n"
        "\n"
        "x = torch.arange(6).view(2, 3)\n"
        "y = x.t()\n"
        "# a comment\n"
        "\n"
        "z = q * 2\n"
        "w = x + 1\n"
    )
    window = make_window("old = core.zeros(2)")

    error = window.session_files.open_path(path)

    assert (error.path, error.line) == (path, 7)
    assert window.session.history == ["x = core.arange(6).view(2, 3)", "y = x.t()"]
    expected = "broken.py, line 7: NameError: name 'q' is not defined"
    assert console_error(window) == expected
    assert status(window) == expected
    # Not tied to the file: Save must not cut it short.
    assert window.session_files.path is None
    assert window.isWindowModified()
    assert window.windowTitle() == "StrideScope[*]"


def long_script(path: Path, lines: int) -> Path:
    """A script of ``lines`` lines after its first, over five names."""
    body = "".join(f"y{i % 5} = x.t()[{i % 4}] * {i}\n" for i in range(lines))
    path.write_text("import torch\nx = torch.arange(12.0).view(3, 4)\n" + body)
    return path


@pytest.mark.parametrize("lines", [3, 60])
def test_the_panels_redraw_once_however_long_the_script(make_window, tmp_path, lines):
    window = make_window("old = core.zeros(2)")
    redraws: list[str] = []
    window.session.tensors_changed.connect(lambda: redraws.append("tensors"))
    window.session.graph_changed.connect(lambda: redraws.append("graph"))
    window.session.current_changed.connect(lambda: redraws.append("current"))
    listings = []
    window.console.history_view.model().modelReset.connect(lambda: listings.append(1))

    assert window.session_files.open_path(long_script(tmp_path / "long.py", lines)) is None

    assert redraws == ["tensors", "current", "graph"]
    assert len(listings) == 3  # let go of the history, read it once, and marked it clean
    assert len(window.session.history) == lines + 1
    history_view = window.console.history_view
    assert history_view.model().rowCount() == lines + 2  # and its "<empty>" row first
    assert history_view.currentIndex().row() == lines + 1
    assert [row.text(0) for row in window.tensor_list.tensor_rows()] == [
        "x",
        *[f"y{i}" for i in range(min(lines, 5))],
    ]
    assert window.session.current.name == f"y{(lines - 1) % 5}"


def test_a_script_stopped_by_a_view_explains_the_view(make_window, tmp_path):
    path = tmp_path / "view.py"
    path.write_text("import torch\nx = torch.arange(12).view(3, 4)\ny = x.t()\nz = y.view(12)\n")
    window = make_window()

    error = window.session_files.open_path(path)

    assert error.line == 4
    panel = window.memory_panel.view_failure_panel
    assert panel.isVisibleTo(window)
    assert panel.explanation is not None
    assert panel.explanation.receiver == "y"
    assert window.session.current.name == "y"


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("missing.py", None, "missing.py: No such file or directory"),
        ("folder.py", "a folder", "folder.py: Is a directory"),
        (
            "latin.py",
            "x = 'caf\xe9'\n".encode("latin-1"),
            "latin.py: not a UTF-8 text file: save it as UTF-8 text and open it again",
        ),
        (
            "syntax.py",
            b"x = torch.ones(2)\ny = x.t()\nz = (x +\n",
            "syntax.py, line 3: SyntaxError: '(' was never closed",
        ),
    ],
)
def test_an_unreadable_file_changes_nothing(make_window, tmp_path, name, content, expected):
    path = tmp_path / name
    if content == "a folder":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    window = make_window("x = core.arange(4)")
    saving_to(window, tmp_path / "kept.py")
    window.session_files.save()
    tensors = window.session.tensors()

    assert window.session_files.open_path(path) is not None

    assert window.session.history == ["x = core.arange(4)"]
    assert window.session.tensors() == tensors
    assert console_error(window) == expected
    assert status(window) == expected
    assert window.session_files.path == tmp_path / "kept.py"
    assert not window.isWindowModified()


def test_opening_a_file_clears_an_old_error_and_says_so(make_window, tmp_path):
    good = tmp_path / "good.py"
    good.write_text("import torch\nx = torch.ones(2)\n")
    window = make_window()
    window.session_files.open_path(tmp_path / "nothing.py")

    assert window.session_files.open_path(good) is None

    assert console_error(window) == ""
    assert status(window) == "Opened good.py"
    assert window.session.history == ["x = core.ones(2)"]


# -- the modified mark and leaving unsaved work ---------------------------------------


def test_the_title_shows_the_file_and_whether_it_changed_since_saving(make_window, tmp_path):
    window = make_window()
    undo = window.session.undo_stack

    assert (window.windowTitle(), window.isWindowModified()) == ("StrideScope[*]", False)
    window.session.run("x = core.ones(2)")
    assert window.isWindowModified()
    saving_to(window, tmp_path / "ones")
    assert window.session_files.save_as()
    assert (tmp_path / "ones.py").is_file()  # .py added to a name without one
    assert (window.windowTitle(), window.isWindowModified()) == ("ones.py[*] — StrideScope", False)
    assert status(window) == "Saved ones.py"
    window.session.run("y = x * 2")
    assert window.isWindowModified()
    undo.undo()
    assert not window.isWindowModified()  # back where it was saved
    undo.undo()
    assert window.isWindowModified()


@pytest.mark.parametrize("replace", [False, True])
def test_save_as_asks_before_the_py_it_adds_replaces_a_file(make_window, tmp_path, replace):
    existing = tmp_path / "lesson.py"
    existing.write_text("x = torch.ones(1)\n")
    window = make_window("y = core.zeros(2)")
    saving_to(window, tmp_path / "lesson")  # the dialog asked about "lesson", which is free
    asked = []
    window.session_files.confirm_replace = lambda path: asked.append(path) or replace

    assert window.session_files.save_as() is replace

    assert asked == [existing]
    assert existing.read_text().endswith("y = torch.zeros(2)\n" if replace else "ones(1)\n")
    assert window.isWindowModified() is not replace
    assert not (tmp_path / "lesson").exists()


def test_save_as_a_new_name_asks_nothing(make_window, tmp_path):
    window = make_window("y = core.zeros(2)")
    saving_to(window, tmp_path / "fresh")
    window.session_files.confirm_replace = lambda path: pytest.fail(f"asked about {path}")

    assert window.session_files.save_as()

    assert (tmp_path / "fresh.py").is_file()


def test_ctrl_s_saves_and_ctrl_shift_s_saves_elsewhere(make_window, qtbot, tmp_path):
    window = make_window("x = core.ones(2)")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    saving_to(window, tmp_path / "first.py")

    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    window.session.run("y = x + 1")
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # same file
    saving_to(window, tmp_path / "second.py")
    qtbot.keyClick(
        window,
        Qt.Key.Key_S,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )

    assert window.session_files.path == tmp_path / "second.py"
    assert (tmp_path / "first.py").read_text() == (tmp_path / "second.py").read_text()
    assert (tmp_path / "second.py").read_text().endswith("x = torch.ones(2)\ny = x + 1\n")


def test_the_file_menu_lists_the_session_actions_above_quit(make_window):
    window = make_window()
    files = window.session_files
    file_menu = window.menuBar().actions()[0].menu()
    actions = file_menu.actions()
    quit_action = next(action for action in actions if action.text() == "&Quit")
    ours = [
        files.new_action,
        files.open_action,
        files.recent_menu.menuAction(),
        files.save_action,
        files.save_as_action,
    ]

    assert [actions.index(action) for action in ours] == sorted(
        actions.index(action) for action in ours
    )
    assert all(actions.index(action) < actions.index(quit_action) for action in ours)
    assert files.save_action.shortcut().toString() == "Ctrl+S"
    assert files.save_as_action.shortcut().toString() == "Ctrl+Shift+S"


@pytest.mark.parametrize(
    ("choice", "left", "history"),
    [
        (LeaveChoice.CANCEL, False, ["x = core.ones(2)"]),
        (LeaveChoice.DISCARD, True, []),
        (LeaveChoice.SAVE, True, []),
    ],
)
def test_new_asks_before_unsaved_work_is_left(make_window, tmp_path, choice, left, history):
    window = make_window("x = core.ones(2)")
    asked = answering(window, choice)
    saving_to(window, tmp_path / "kept.py")

    assert window.session_files.new_session() is left

    assert asked == ["Untitled session"]
    assert window.session.history == history
    assert window.session.tensors() == {} or not left
    assert (tmp_path / "kept.py").exists() is (choice is LeaveChoice.SAVE)
    assert window.isWindowModified() is not left


def test_new_after_a_failed_open_clears_the_files_error(make_window, tmp_path):
    path = tmp_path / "fails.py"
    path.write_text("x = torch.ones(2)\ny = x.nope()\n")
    window = make_window()
    window.session_files.open_path(path)
    assert console_error(window).startswith("fails.py, line 2: ")

    assert window.session_files.new_session()

    assert console_error(window) == ""
    assert window.session.history == []


def test_cancelling_the_save_dialog_cancels_leaving(make_window):
    window = make_window("x = core.ones(2)")
    answering(window, LeaveChoice.SAVE)
    window.session_files.choose_save_path = lambda: None

    assert not window.session_files.new_session()
    assert window.session.history == ["x = core.ones(2)"]


def test_a_saved_session_is_left_without_asking(make_window, tmp_path):
    window = make_window("x = core.ones(2)")
    saving_to(window, tmp_path / "s.py")
    window.session_files.save()
    asked = answering(window, LeaveChoice.CANCEL)
    other = tmp_path / "other.py"
    other.write_text("y = torch.zeros(3)\n")

    assert window.session_files.open_path(other) is None

    assert asked == []
    assert window.session.history == ["y = core.zeros(3)"]
    assert window.windowTitle() == "other.py[*] — StrideScope"


def test_open_asks_about_the_named_file_and_cancel_keeps_it(make_window, tmp_path):
    window = make_window()
    path = tmp_path / "mine.py"
    path.write_text("x = torch.ones(2)\n")
    window.session_files.open_path(path)
    window.session.run("y = x * 3")
    asked = answering(window, LeaveChoice.CANCEL)
    window.session_files.choose_open_path = lambda: tmp_path / "mine.py"

    window.session_files.open_action.trigger()

    assert asked == ["mine.py"]
    assert window.session.history == ["x = core.ones(2)", "y = x * 3"]


def test_closing_the_window_asks_and_cancel_keeps_it_open(make_window):
    window = make_window("x = core.ones(2)")
    asked = answering(window, LeaveChoice.CANCEL)

    assert not window.close()
    assert window.isVisible()
    answering(window, LeaveChoice.DISCARD)
    assert window.close()
    assert asked == ["Untitled session"]


def test_a_failed_save_says_why_and_stays_modified(make_window, tmp_path):
    window = make_window("x = core.ones(2)")
    saving_to(window, tmp_path / "no folder" / "s.py")

    assert not window.session_files.save()

    assert console_error(window) == (
        "Could not save s.py: No such file or directory. Save it elsewhere (File > Save As…)."
    )
    assert window.isWindowModified()
    assert window.session_files.path is None


# -- recent files ---------------------------------------------------------------------


@pytest.fixture
def settings(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def recent_menu_texts(window: MainWindow) -> list[str]:
    menu = window.session_files.recent_menu
    menu.aboutToShow.emit()
    return [action.text() for action in menu.actions() if not action.isSeparator()]


def test_recent_files_are_newest_first_without_repeats_and_kept_in_settings(
    make_window, settings, tmp_path
):
    window = make_window(settings=settings)
    paths = []
    for number in range(MAX_RECENT_FILES + 2):
        path = tmp_path / f"s{number}.py"
        path.write_text(f"x{number} = torch.ones({number + 1})\n")
        paths.append(path)
        window.session_files.open_path(path)
    window.session_files.open_path(paths[5])

    expected = [paths[5], paths[9], paths[8], paths[7], paths[6], paths[4], paths[3], paths[2]]
    assert window.session_files.recent_files() == expected
    later = make_window(settings=settings)
    assert later.session_files.recent_files() == expected
    texts = recent_menu_texts(later)
    assert texts[0] == f"&1 s5.py  ({tmp_path})"
    assert texts[-1] == "&Clear the list"


def test_an_ampersand_in_a_recent_name_is_shown_as_it_is(make_window, settings, tmp_path):
    folder = tmp_path / "Q&A"
    folder.mkdir()
    path = folder / "rock&roll.py"
    path.write_text("x = torch.ones(1)\n")
    window = make_window(settings=settings)
    window.session_files.open_path(path)

    (text, _clear) = recent_menu_texts(window)

    assert text == f"&1 rock&&roll.py  ({str(folder).replace('&', '&&')})"


def test_one_file_by_two_paths_is_one_recent_file(make_window, settings, tmp_path, monkeypatch):
    path = tmp_path / "twice.py"
    path.write_text("x = torch.ones(1)\n")
    (tmp_path / "link.py").symlink_to(path)
    monkeypatch.chdir(tmp_path)
    window = make_window(settings=settings)

    for name in ("twice.py", tmp_path / "link.py", path):
        assert window.session_files.open_path(Path(name)) is None

    assert window.session_files.recent_files() == [path]


def test_a_recent_file_opens_from_the_menu(make_window, settings, tmp_path):
    path = tmp_path / "recent.py"
    path.write_text("x = torch.arange(3)\n")
    make_window(settings=settings).session_files.open_path(path)
    window = make_window(settings=settings)

    recent_menu_texts(window)
    window.session_files.recent_menu.actions()[0].trigger()

    assert window.session.history == ["x = core.arange(3)"]
    assert window.session_files.path == path


def test_missing_recent_files_are_pruned_with_a_message(make_window, settings, tmp_path):
    window = make_window(settings=settings)
    kept, gone = tmp_path / "kept.py", tmp_path / "gone.py"
    for path in (kept, gone):
        path.write_text("x = torch.ones(1)\n")
        window.session_files.open_path(path)
    gone.unlink()

    texts = recent_menu_texts(window)

    assert texts == [f"&1 kept.py  ({tmp_path})", "&Clear the list"]
    assert status(window) == "No longer found, so not listed: gone.py"
    assert window.session_files.recent_files() == [kept]


def test_an_empty_recent_list_says_so(make_window, settings, tmp_path):
    window = make_window(settings=settings)
    path = tmp_path / "once.py"
    path.write_text("x = torch.ones(1)\n")
    window.session_files.open_path(path)
    recent_menu_texts(window)
    window.session_files.recent_menu.actions()[-1].trigger()  # Clear the list

    assert recent_menu_texts(window) == ["No recent files"]
    assert not window.session_files.recent_menu.actions()[0].isEnabled()


def test_a_recent_file_that_vanished_is_dropped_when_opened(make_window, settings, tmp_path):
    window = make_window(settings=settings)
    path = tmp_path / "vanishing.py"
    path.write_text("x = torch.ones(1)\n")
    window.session_files.open_path(path)
    path.unlink()

    assert window.session_files.open_path(path) is not None

    assert window.session_files.recent_files() == []
    assert console_error(window) == "vanishing.py: No such file or directory"


# -- the command line -----------------------------------------------------------------


@pytest.fixture
def light_theme_afterwards(qapp):
    yield
    apply_theme(qapp, "light")


def test_script_is_an_option_of_the_app_and_of_render():
    parser = build_parser()

    assert parser.parse_args(["--script", "s.py"]).script == Path("s.py")
    assert parser.parse_args(["--script", "s.py", "render", "-o", "o.png"]).script == Path("s.py")
    assert parser.parse_args(["render", "--script", "s.py", "-o", "o.png"]).script == Path("s.py")
    assert parser.parse_args(["render", "-o", "o.png"]).script is None


def test_the_app_starts_on_the_script_given(make_window, tmp_path):
    path = tmp_path / "start.py"
    path.write_text("x = torch.arange(4)\ny = x[1:]\n")
    window = make_window()

    start_session(window, path)

    assert window.session.history == ["x = core.arange(4)", "y = x[1:]"]
    assert window.windowTitle() == "start.py[*] — StrideScope"
    assert not window.isWindowModified()


def test_the_app_starts_on_the_example_as_saved(make_window):
    window = make_window()

    start_session(window, None)

    assert window.session.history
    assert not window.isWindowModified()


def test_the_app_opens_with_a_failing_script_and_shows_where(make_window, tmp_path):
    path = tmp_path / "fails.py"
    path.write_text("x = torch.arange(4)\ny = x.view(3)\n")
    window = make_window()

    start_session(window, path)

    assert window.session.history == ["x = core.arange(4)"]
    assert console_error(window).startswith("fails.py, line 2: RuntimeError: ")


def test_render_runs_the_script_first(tmp_path, capsys, light_theme_afterwards):
    path = tmp_path / "render me.py"
    path.write_text("import torch\nx = torch.arange(6).view(2, 3)\n")
    output = tmp_path / "out.png"

    assert main(["render", "--script", str(path), "--select", "x", "-o", str(output)]) == 0

    assert capsys.readouterr().out.strip() == str(output)
    assert output.stat().st_size > 10_000


def test_render_with_a_failing_script_is_one_line_with_exit_2(tmp_path, light_theme_afterwards):
    path = tmp_path / "bad.py"
    path.write_text("x = torch.ones(2)\n\ny = x.nope()\n")

    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "render", "--script", str(path), "-o", "x.png"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**_environment(), "QT_QPA_PLATFORM": "offscreen"},
        timeout=120,
    )

    assert result.returncode == 2
    assert result.stderr == (
        f"stridescope: error: --script {path}, line 3: "
        "AttributeError: 'Tensor' object has no attribute 'nope'\n"
    )
    assert not (tmp_path / "x.png").exists()


def _environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
