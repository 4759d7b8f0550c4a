"""Autosave to a recovery file, and restoring the session a crash left behind.

The crash test starts the real app in a child process, lets it autosave, kills it with
SIGKILL, and checks that the next window offers the killed session and restores it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QStandardPaths, Qt
from PySide6.QtWidgets import QMessageBox

from app.i18n import translate
from app.language import use_language
from app.language_switch import switch_language
from app.main_window import MainWindow
from app.session_files import LeaveChoice
from app.session_recovery import (
    AUTOSAVE_DELAY_MS,
    Autosave,
    claim_recovered_sessions,
    default_recovery_folder,
    recovery_lock,
    when_saved,
)
from app.session_script import read_script, session_script, write_atomically

REPO_ROOT = Path(__file__).resolve().parents[2]
WAIT_MS = AUTOSAVE_DELAY_MS * 5


@pytest.fixture
def make_app_window(qtbot, tmp_path):
    """Factory: a window that autosaves to ``tmp_path / "recovery"`` (or ``folder``); leaving
    it discards unless a test answers otherwise."""

    def make(folder: Path | None = None) -> MainWindow:
        window = MainWindow(recovery_folder=folder or tmp_path / "recovery")
        window.session_files.ask_to_save = lambda name: LeaveChoice.DISCARD
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    return make


def recovery_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("session-*.py"))


def left_by_a_crash(folder: Path, lines: list[str], name: str = "session-1-dead00.py") -> Path:
    """A recovery file as a killed instance leaves it: its lock names a process that is gone."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(session_script(lines))
    # Above Linux's largest process id (2**22): no process has it.
    lock_text = f"{2**22 + 7}\npython3\n{os.uname().nodename}\n"
    (folder / f"{name}.lock").write_text(lock_text)
    return path


def bar_text(window: MainWindow) -> str:
    bar = window.session_files.recovery.bar
    return bar.message.text() if bar is not None and bar.isVisible() else ""


# -- autosave -------------------------------------------------------------------------


def test_a_change_is_autosaved_after_a_quiet_second(make_app_window, qtbot, tmp_path):
    window = make_app_window()
    autosave = window.session_files.recovery.autosave
    writes = []
    autosave.written.connect(lambda: writes.append(window.session.history))

    for line in ("x = core.arange(6).view(2, 3)", "y = x.t()", "y[0] += 1"):
        window.session.run(line)
    assert recovery_files(tmp_path / "recovery") == []  # not at once: after a quiet time
    qtbot.waitUntil(lambda: len(writes) == 1, timeout=WAIT_MS)

    assert writes == [["x = core.arange(6).view(2, 3)", "y = x.t()", "y[0] += 1"]]
    (path,) = recovery_files(tmp_path / "recovery")
    assert path == autosave.path
    assert path.name.startswith(f"session-{os.getpid()}-")
    assert [line.code for line in read_script(path.read_text())] == writes[0]
    assert Path(f"{path}.lock").is_file()


def test_autosave_keeps_the_comments_and_restore_gives_them_back(make_app_window, tmp_path):
    script = tmp_path / "commented.py"
    script.write_text("import torch\n# the ones\nx = torch.ones(2)\ny = x * 2\n# try x + y\n")
    first = make_app_window(tmp_path / "first")
    first.session_files.open_path(script)
    autosave = first.session_files.recovery.autosave
    autosave.write_now()
    written = autosave.path.read_text()
    assert written.endswith("\n# the ones\nx = torch.ones(2)\ny = x * 2\n# try x + y\n")
    left_by_a_crash(tmp_path / "recovery", [])  # (the name of a file a crash left)
    (tmp_path / "recovery" / "session-1-dead00.py").write_text(written)

    window = make_app_window()
    window.session_files.recovery.bar.restore_button.click()
    window.session_files.choose_save_path = lambda: tmp_path / "saved.py"
    window.session_files.save()

    assert window.session.history == ["x = core.ones(2)", "y = x * 2"]
    assert (tmp_path / "saved.py").read_text() == written


def test_undo_is_a_change_too(make_app_window, qtbot):
    window = make_app_window()
    autosave = window.session_files.recovery.autosave
    window.session.run("x = core.ones(2)")
    window.session.run("y = x * 2")
    autosave.write_now()

    window.session.undo_stack.undo()
    qtbot.waitUntil(
        lambda: (
            [line.code for line in read_script(autosave.path.read_text())] == ["x = core.ones(2)"]
        ),
        timeout=WAIT_MS,
    )


def test_a_clean_close_deletes_the_recovery_file_and_its_lock(make_app_window, tmp_path):
    window = make_app_window()
    window.session.run("x = core.ones(2)")
    window.session_files.recovery.autosave.write_now()
    assert len(recovery_files(tmp_path / "recovery")) == 1

    assert window.close()

    assert list((tmp_path / "recovery").iterdir()) == []


def test_a_cancelled_close_keeps_autosaving(make_app_window, qtbot, tmp_path):
    window = make_app_window()
    window.session_files.ask_to_save = lambda name: LeaveChoice.CANCEL
    window.session.run("x = core.ones(2)")

    assert not window.close()
    window.session.run("y = x + 1")
    autosave = window.session_files.recovery.autosave
    qtbot.waitUntil(autosave.path.exists, timeout=WAIT_MS)
    assert len(read_script(autosave.path.read_text())) == 2
    window.session_files.ask_to_save = lambda name: LeaveChoice.DISCARD


def test_a_second_instance_neither_offers_nor_takes_the_first_ones_file(make_app_window, tmp_path):
    first = make_app_window()
    first.session.run("x = core.ones(2)")
    first.session_files.recovery.autosave.write_now()
    text = first.session_files.recovery.autosave.path.read_text()

    second = make_app_window()
    second.session.run("y = core.zeros(3)")
    second.session_files.recovery.autosave.write_now()

    assert bar_text(second) == ""
    assert second.session_files.recovery.waiting == []
    assert len(recovery_files(tmp_path / "recovery")) == 2
    assert first.session_files.recovery.autosave.path.read_text() == text


def test_a_failed_autosave_says_so_in_the_status_bar(make_app_window, tmp_path):
    blocker = tmp_path / "a file, not a folder"
    blocker.write_text("")
    window = make_app_window(blocker / "recovery")
    window.session.run("x = core.ones(2)")

    window.session_files.recovery.autosave.write_now()

    assert window.statusBar().currentMessage().startswith("Autosave failed: ")


def test_the_default_folder_is_recovery_in_the_app_data_folder():
    location = QStandardPaths.StandardLocation.AppLocalDataLocation
    assert default_recovery_folder() == Path(QStandardPaths.writableLocation(location)) / "recovery"


# -- finding what a crash left --------------------------------------------------------


def test_a_stale_file_is_claimed_and_a_live_one_is_not(tmp_path):
    folder = tmp_path / "recovery"
    stale = left_by_a_crash(folder, ["x = core.ones(2)", "y = x.t()"])
    live = folder / "session-2-live00.py"
    live.write_text(session_script(["z = core.zeros(1)"]))
    live_lock = recovery_lock(live)
    assert live_lock.tryLock(0)
    try:
        (claimed,) = claim_recovered_sessions(folder)
        claimed_again = claim_recovered_sessions(folder)
    finally:
        live_lock.unlock()

    assert claimed.path == stale
    assert [line.code for line in claimed.lines] == ["x = core.ones(2)", "y = x.t()"]
    assert claimed.lock.isLocked()
    assert claimed_again == []  # while one instance offers it, the next one does not
    assert live.exists()
    claimed.delete()
    assert not stale.exists()
    assert not Path(f"{stale}.lock").exists()


def test_empty_unreadable_and_orphaned_leftovers_are_cleaned_away(tmp_path):
    folder = tmp_path / "recovery"
    left_by_a_crash(folder, [], name="session-3-empty0.py")
    broken = left_by_a_crash(folder, [], name="session-4-broken.py")
    broken.write_text("x = (\n")
    orphan = f"{2**22 + 9}\npython3\n{os.uname().nodename}\n"
    (folder / "session-5-nofile.py.lock").write_text(orphan)
    unrelated = folder / "notes.txt"
    unrelated.write_text("kept")

    assert claim_recovered_sessions(folder) == []

    assert sorted(path.name for path in folder.iterdir()) == ["notes.txt"]


def test_a_crash_during_an_autosave_leaves_the_last_one_whole(tmp_path, monkeypatch):
    folder = tmp_path / "recovery"
    path = left_by_a_crash(folder, ["x = core.ones(2)", "y = x.t()"])
    orphan = folder / "session-8-nofile.py"

    def killed(source, target):
        raise OSError(5, "killed before the rename")

    monkeypatch.setattr(os, "replace", killed)
    monkeypatch.setattr(os, "remove", lambda path: None)  # a killed process cleans nothing
    for script in (path, orphan):
        with pytest.raises(OSError):
            write_atomically(script, session_script(["x = core.ones(2)", "y = x.t()", "z = y"]))
    monkeypatch.undo()
    (folder / f"{orphan.name}.lock").write_text(f"{2**22 + 9}\npython3\n{os.uname().nodename}\n")
    assert len(list(folder.glob(".*.tmp"))) == 2

    (claimed,) = claim_recovered_sessions(folder)

    assert [line.code for line in claimed.lines] == ["x = core.ones(2)", "y = x.t()"]
    assert sorted(entry.name for entry in folder.iterdir()) == [path.name, f"{path.name}.lock"]
    claimed.delete()


def test_a_missing_folder_has_nothing_to_recover(tmp_path):
    assert claim_recovered_sessions(tmp_path / "not made yet") == []


def test_the_time_is_hours_and_minutes_today_with_the_date_before():
    now = datetime(2025, 3, 14, 18, 30)

    assert when_saved(datetime(2025, 3, 14, 9, 5), now) == "09:05"
    assert when_saved(datetime(2025, 3, 13, 23, 59), now) == "2025-03-13 23:59"


# -- the recovery bar -----------------------------------------------------------------

LEFT = ["x = core.arange(6).view(2, 3)", "y = x.t()", "y[0] += 1"]


def test_the_bar_offers_the_session_with_its_time_and_line_count(make_app_window, tmp_path):
    path = left_by_a_crash(tmp_path / "recovery", LEFT)
    time = datetime.fromtimestamp(path.stat().st_mtime).strftime("%H:%M")

    window = make_app_window()

    assert bar_text(window) == (
        f"StrideScope closed unexpectedly. Restore the session from {time} (3 lines)?"
    )
    assert window.toolBarArea(window.session_files.recovery.bar) == Qt.ToolBarArea.TopToolBarArea


def test_one_line_is_said_in_the_singular(make_app_window, tmp_path):
    left_by_a_crash(tmp_path / "recovery", ["x = core.ones(1)"])

    assert bar_text(make_app_window()).endswith("(1 line)?")


def test_restore_runs_the_lines_untitled_and_modified(make_app_window, qtbot, tmp_path):
    path = left_by_a_crash(tmp_path / "recovery", LEFT)
    window = make_app_window()
    window.session.run("kept = core.ones(1)")
    window.session.undo_stack.setClean()

    qtbot.mouseClick(window.session_files.recovery.bar.restore_button, Qt.MouseButton.LeftButton)

    assert window.session.history == LEFT
    assert window.session.tensors()["x"].numpy().tolist() == [[1, 1, 2], [4, 4, 5]]
    assert window.isWindowModified()
    assert window.session_files.path is None
    assert not path.exists()
    assert window.session_files.recovery.bar is None
    assert recovery_files(tmp_path / "recovery") == []  # the restored work autosaves anew


def test_restore_asks_about_unsaved_work_and_cancel_keeps_the_offer(make_app_window, tmp_path):
    path = left_by_a_crash(tmp_path / "recovery", LEFT)
    window = make_app_window()
    window.session.run("mine = core.ones(1)")
    asked = []
    window.session_files.ask_to_save = lambda name: asked.append(name) or LeaveChoice.CANCEL

    window.session_files.recovery.bar.restore_button.click()

    assert asked == ["Untitled session"]
    assert window.session.history == ["mine = core.ones(1)"]
    assert path.exists()
    assert bar_text(window).endswith("(3 lines)?")
    window.session_files.ask_to_save = lambda name: LeaveChoice.DISCARD


def test_discard_deletes_the_file_and_keeps_the_session(make_app_window, tmp_path):
    path = left_by_a_crash(tmp_path / "recovery", LEFT)
    window = make_app_window()
    window.session.run("mine = core.ones(1)")

    window.session_files.recovery.bar.discard_button.click()

    assert window.session.history == ["mine = core.ones(1)"]
    assert not path.exists()
    assert not Path(f"{path}.lock").exists()
    assert window.session_files.recovery.bar is None


def test_a_restore_that_stops_at_a_failing_line_keeps_the_file(make_app_window, tmp_path):
    path = left_by_a_crash(tmp_path / "recovery", ["x = core.ones(2)", "y = x.nope()", "z = x"])
    window = make_app_window()

    window.session_files.recovery.bar.restore_button.click()

    assert window.session.history == ["x = core.ones(2)"]
    line = session_script([]).count("\n") + 2  # the second line after the header's
    assert window.console.error.text() == (
        f"recovered session, line {line}: AttributeError: 'Tensor' object has no attribute 'nope'"
    )
    assert window.session_files.recovery.bar is None
    assert path.exists()  # offered again at the next start: its last line is only there
    assert [recovered.path for recovered in claim_recovered_sessions(path.parent)] == [path]


def test_two_crashed_sessions_are_offered_newest_first(make_app_window, tmp_path):
    folder = tmp_path / "recovery"
    older = left_by_a_crash(folder, ["a = core.ones(1)"], name="session-6-older0.py")
    newer = left_by_a_crash(folder, LEFT, name="session-7-newer0.py")
    os.utime(older, (1_700_000_000, 1_700_000_000))
    window = make_app_window()
    recovery = window.session_files.recovery

    assert [recovered.path for recovered in recovery.waiting] == [newer, older]
    assert bar_text(window).endswith("(3 lines)?")
    recovery.bar.discard_button.click()
    assert bar_text(window).endswith("(1 line)?")
    assert "2023-11-14" in bar_text(window)
    recovery.bar.restore_button.click()
    assert window.session.history == ["a = core.ones(1)"]
    assert recovery.bar is None


def test_an_offer_left_open_at_closing_is_offered_again(make_app_window, tmp_path):
    path = left_by_a_crash(tmp_path / "recovery", LEFT)
    window = make_app_window()
    assert bar_text(window)

    window.close()

    assert path.exists()
    assert bar_text(make_app_window()).endswith("(3 lines)?")


def test_a_window_without_a_recovery_folder_neither_autosaves_nor_offers(make_window):
    window = make_window("x = core.ones(2)")

    assert window.session_files.recovery is None
    assert window.findChildren(Autosave) == []


# -- a language switch ----------------------------------------------------------------


@pytest.fixture
def english_afterwards(qapp):
    yield
    use_language(qapp, "en")


def switched_to_korean(window: MainWindow, qtbot) -> MainWindow:
    """``window``'s session in a Korean window; ``window`` deleted, as the event loop does."""
    korean = switch_language(window, "ko")
    qtbot.addWidget(korean)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not shiboken6.isValid(window)
    return korean


def test_after_a_language_switch_autosave_goes_on_in_its_file_under_its_lock(
    qtbot, tmp_path, english_afterwards
):
    folder = tmp_path / "recovery"
    window = MainWindow(recovery_folder=folder)  # not closed by qtbot: the switch deletes it
    window.session.run("x = core.ones(2)")
    autosave = window.session_files.recovery.autosave
    autosave.write_now()

    korean = switched_to_korean(window, qtbot)
    korean.session.run("y = x + 1")

    qtbot.waitUntil(lambda: len(read_script(autosave.path.read_text())) == 2, timeout=WAIT_MS)
    assert korean.session_files.recovery.autosave is autosave
    assert claim_recovered_sessions(folder) == []  # still locked: no other instance offers it
    korean.session_files.ask_to_save = lambda name: LeaveChoice.DISCARD
    assert korean.close()
    assert list(folder.iterdir()) == []


def test_after_a_language_switch_the_questions_are_asked_over_the_new_window(
    qtbot, tmp_path, monkeypatch, english_afterwards
):
    left_by_a_crash(tmp_path / "recovery", LEFT)
    window = MainWindow(recovery_folder=tmp_path / "recovery")
    window.session.run("mine = core.ones(1)")
    korean = switched_to_korean(window, qtbot)
    asked = []
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard]

    def answer(box: QMessageBox) -> QMessageBox.StandardButton:
        asked.append((box.parent(), box.text()))
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "exec", answer)
    question = translate("SessionFiles", "Save the changes to {file}?").format(
        file=translate("SessionFiles", "Untitled session")
    )

    assert not korean.session_files.confirm_close()  # Cancel
    korean.session_files.recovery.bar.restore_button.click()  # Discard, then restore

    assert asked == [(korean, question), (korean, question)]
    assert "세션" in question
    assert korean.session.history == LEFT
    korean.session_files.ask_to_save = lambda name: LeaveChoice.DISCARD


# -- the crash ------------------------------------------------------------------------

CRASH_SCRIPT = (
    "import torch\n\nx = torch.arange(6).view(2, 3)\ny = x.t()\ny[0] += 1\nw = torch.rand(4)\n"
)

# The real `stridescope --script FILE`, except that the offscreen platform counts as a
# screen here: the command would otherwise render a PNG and exit instead of opening.
RUN_THE_APP = """
import sys
import app.window_commands
app.window_commands.has_display = lambda: True
from app.cli import main
sys.exit(main(["--script", sys.argv[1]]))
"""


def test_after_a_crash_the_next_start_offers_the_killed_session(make_app_window, qtbot, tmp_path):
    script = tmp_path / "lesson.py"
    script.write_text(CRASH_SCRIPT)
    home = tmp_path / "home"
    environment = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(home),
        # QStandardPaths reads these on Linux: the app data folder is XDG_DATA_HOME/StrideScope.
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "LANGUAGE": "",
    }
    folder = home / "data" / "StrideScope" / "recovery"
    child = subprocess.Popen(
        [sys.executable, "-c", RUN_THE_APP, str(script)],
        cwd=REPO_ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        qtbot.waitUntil(
            lambda: bool(recovery_files(folder)) or child.poll() is not None, timeout=60_000
        )
        assert child.poll() is None, child.stderr.read().decode()
        (autosaved,) = recovery_files(folder)
        assert autosaved.name.startswith(f"session-{child.pid}-")
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL
    assert Path(f"{autosaved}.lock").exists()  # left behind: the process never cleaned up
    time = datetime.fromtimestamp(autosaved.stat().st_mtime).strftime("%H:%M")

    window = make_app_window(folder)

    assert bar_text(window) == (
        f"StrideScope closed unexpectedly. Restore the session from {time} (4 lines)?"
    )
    window.session_files.recovery.bar.restore_button.click()
    assert window.session.history == [
        "x = core.arange(6).view(2, 3)",
        "y = x.t()",
        "y[0] += 1",
        "w = core.rand(4)",
    ]
    assert window.session.tensors()["y"].stride() == (1, 3)
    assert window.session.tensors()["x"].numpy().tolist() == [[1, 1, 2], [4, 4, 5]]
    assert window.isWindowModified()
    assert not autosaved.exists()
