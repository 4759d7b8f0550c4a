"""File > New, Open…, Open Recent, Save and Save As… for the window's session.

A saved session is a plain Python script of the history (:mod:`app.session_script`).
Opening one replaces the history by running its lines one by one; a line that fails
stops there, keeps what ran, and is reported as ``file.py, line 7: error``. The window
title shows the file and a modified mark, which follows the undo stack's clean state.
Autosave and crash recovery are in :mod:`app.session_recovery`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from app.i18n import translate
from app.session import CodeError, Session
from app.session_recovery import RecoveredSession, SessionRecovery
from app.session_script import (
    NOT_UTF8,
    ScriptError,
    ScriptLine,
    load_script,
    session_script,
    write_atomically,
)

if TYPE_CHECKING:
    from app.main_window import MainWindow

RECENT_FILES_KEY = "recent_files"
MAX_RECENT_FILES = 8
MESSAGE_MS = 15000


class LeaveChoice(enum.Enum):
    """The answer to "save the changes?" before unsaved work is left."""

    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


class SessionFiles(QObject):
    """The window's session as a file: its actions, recent files, title, and autosave.

    ``settings`` keeps the recent files (None: kept for this window only). With a
    ``recovery_folder`` the window is the user's own: it autosaves there, offers what a
    crash left, and asks before unsaved work is left; without one (render, tests)
    leaving discards, unless :attr:`ask_to_save` is replaced.

    The dialogs are attributes that tests replace: :attr:`ask_to_save` (given the file
    name, answers a :class:`LeaveChoice`), :attr:`choose_open_path` and
    :attr:`choose_save_path` (a path, or None when cancelled), :attr:`confirm_replace`
    (given a file that exists, whether to write over it).
    """

    def __init__(
        self,
        window: MainWindow,
        settings: QSettings | None = None,
        recovery_folder: Path | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.settings = settings
        self.path: Path | None = None
        """The file the session was opened from or saved to; None for an untitled one."""
        self.read_lines: list[ScriptLine] = []
        """The lines of the script last opened or restored, whose comments are saved again
        with the history lines that are still those lines."""
        self._recent: list[str] = []
        self.ask_to_save: Callable[[str], LeaveChoice] = (
            self._ask_with_dialog if recovery_folder is not None else _discard
        )
        self.choose_open_path: Callable[[], Path | None] = self._choose_open_path
        self.choose_save_path: Callable[[], Path | None] = self._choose_save_path
        self.confirm_replace: Callable[[Path], bool] = (
            self._confirm_replace_with_dialog if recovery_folder is not None else _replace
        )

        self.new_action = self._action(
            translate("SessionFiles", "&New"), self.new_session, QKeySequence.StandardKey.New
        )
        self.open_action = self._action(
            translate("SessionFiles", "&Open…"), self.open, QKeySequence.StandardKey.Open
        )
        self.recent_menu = QMenu(translate("SessionFiles", "Open &Recent"), window)
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self.save_action = self._action(translate("SessionFiles", "&Save"), self.save, "Ctrl+S")
        self.save_as_action = self._action(
            translate("SessionFiles", "Save &As…"), self.save_as, "Ctrl+Shift+S"
        )
        self.session.undo_stack.cleanChanged.connect(self._show_modified)
        self._show_title()
        self.recovery = None
        if recovery_folder is not None:
            self.recovery = SessionRecovery(
                window, self.session, recovery_folder, self.restore, self.script_text
            )

    def adopt(self, other: SessionFiles) -> None:
        """Carry on from ``other``, whose window this one replaces: its file, its autosave
        and the recovered sessions it still offers, its way of asking (its dialogs, now
        over this window)."""
        self.path = other.path
        self.read_lines = other.read_lines
        for name in ("ask_to_save", "choose_open_path", "choose_save_path", "confirm_replace"):
            answer = getattr(other, name)
            if getattr(answer, "__self__", None) is other:  # a dialog over the old window,
                answer = getattr(self, answer.__name__)  # which goes: the same over this one
            setattr(self, name, answer)
        self.recovery, other.recovery = other.recovery, None
        if self.recovery is not None:
            self.recovery.move_to(self.window, self.restore, self.script_text)
        self._show_title()

    def add_to_menu(self, menu: QMenu) -> None:
        """Add New, Open…, Open Recent, Save and Save As… to ``menu``, then a separator."""
        menu.addActions([self.new_action, self.open_action])
        menu.addMenu(self.recent_menu)
        menu.addActions([self.save_action, self.save_as_action])
        menu.addSeparator()

    # -- the actions ---------------------------------------------------------------

    def new_session(self) -> bool:
        """Start an empty, untitled session (after asking about unsaved work)."""
        if not self.may_leave():
            return False
        self._clear_history()
        self.window.console.error.clear_error()  # an old file's failing line is not this one's
        self.path = None
        self.read_lines = []
        self._show_title()
        return True

    def open(self) -> None:
        """Ask for a script and open it."""
        path = self.choose_open_path()
        if path is not None:
            self.open_path(path)

    def open_path(self, path: Path) -> ScriptError | None:
        """Replace the session with the script at ``path``, run line by line.

        An unreadable file (missing, not UTF-8, a syntax error) changes nothing. A line
        that fails stops the run: the lines before it stay, and the session is then
        untitled and modified, so that saving cannot cut the file short. Either is shown
        under the console and in the status bar, and returned (None when every line ran,
        or when the user cancelled leaving unsaved work).
        """
        try:
            lines = load_script(path)
        except ScriptError as error:
            self.report(error)
            if isinstance(error.__cause__, FileNotFoundError):
                self._forget_recent(path)
            return error
        if not self.may_leave():
            return None
        self._remember_recent(path)
        self.read_lines = lines
        error = self._run_lines(lines, path)
        self.path = None if error else path
        if error is None:
            self.session.undo_stack.setClean()
            self.window.statusBar().showMessage(
                translate("SessionFiles", "Opened {file}").format(file=path.name), MESSAGE_MS
            )
        self._show_title()
        return error

    def save(self) -> bool:
        """Save to the session's file, or ask where for an untitled one."""
        if self.path is None:
            return self.save_as()
        return self._write(self.path)

    def save_as(self) -> bool:
        """Ask where, and save there."""
        path = self.choose_save_path()
        if path is None:
            return False
        if not path.suffix:
            path = path.with_suffix(".py")
            # The dialog asked about replacing the name typed, not this one.
            if path.exists() and not self.confirm_replace(path):
                return False
        return self._write(path)

    def restore(self, recovered: RecoveredSession) -> bool:
        """Run a recovered session's lines as Open does; it stays untitled and modified."""
        if not self.may_leave():
            return False
        self.read_lines = recovered.lines
        self._run_lines(recovered.lines, None)
        self.path = None
        self._show_title()
        return True

    def may_leave(self) -> bool:
        """Whether the session may be replaced: it is saved, or the user saved or discarded."""
        if self.session.undo_stack.isClean():
            return True
        answer = self.ask_to_save(self._title_name())
        if answer is LeaveChoice.SAVE:
            return self.save()
        return answer is LeaveChoice.DISCARD

    def confirm_close(self) -> bool:
        """Whether the window may close (asking about unsaved work); if so, the recovery
        file goes, as nothing is lost."""
        if not self.may_leave():
            return False
        if self.recovery is not None:
            self.recovery.close()
        return True

    def script_text(self) -> str:
        """The session as the script Save writes (its comments kept where they still fit)."""
        return session_script(self.session.history, self.read_lines)

    def recent_files(self) -> list[Path]:
        """The files opened or saved lately, newest first."""
        stored = self._recent
        if self.settings is not None:
            stored = self.settings.value(RECENT_FILES_KEY, [], type=list)
        return [Path(name) for name in stored]

    def report(self, error: ScriptError) -> None:
        """Show ``error`` under the console and in the status bar."""
        reason = translate("SessionFiles", NOT_UTF8) if error.reason == NOT_UTF8 else error.reason
        if error.line is None:
            message = translate("SessionFiles", "{file}: {error}")
        else:
            message = translate("SessionFiles", "{file}, line {line}: {error}")
        message = message.format(file=error.path.name, line=error.line, error=reason)
        self.window.console.error.show_error(message)
        self.window.statusBar().showMessage(message, MESSAGE_MS)

    # -- inside --------------------------------------------------------------------

    def _run_lines(self, lines: list[ScriptLine], path: Path | None) -> ScriptError | None:
        """Replace the history with ``lines``, run one by one; stop at the first failure.

        The panels redraw once, after the last line, as after an undo: redrawing them and
        listing the history again after each line made a 1000-line script take 15 s to
        open, and minutes when its lines made many tensors.
        """
        self.window.console.error.clear_error()
        failed: CodeError | None = None
        history_view = self.window.console.history_view
        history_view.setStack(None)  # which would list the history again after each line
        self.session.blockSignals(True)
        try:
            self._clear_history()
            for script_line in lines:
                try:
                    self.session.run(script_line.code)
                except CodeError as error:
                    failed = error
                    break
        finally:
            self.session.blockSignals(False)
            history_view.setStack(self.session.undo_stack)
            _tell_the_panels(self.session, failed)
        if failed is None:
            return None
        label = path or Path(translate("SessionFiles", "recovered session"))
        failure = ScriptError(label, script_line.line, str(failed))
        self.report(failure)
        return failure

    def _clear_history(self) -> None:
        stack = self.session.undo_stack
        stack.setIndex(0)  # the session replays nothing: a fresh namespace
        stack.clear()  # and clean again

    def _write(self, path: Path) -> bool:
        try:
            write_atomically(path, self.script_text())
        except OSError as error:
            message = translate(
                "SessionFiles",
                "Could not save {file}: {error}. Save it elsewhere (File > Save As…).",
            ).format(file=path.name, error=error.strerror or error)
            self.window.console.error.show_error(message)
            self.window.statusBar().showMessage(message, MESSAGE_MS)
            return False
        self.path = path
        self.session.undo_stack.setClean()
        self._remember_recent(path)
        self._show_title()
        self.window.statusBar().showMessage(
            translate("SessionFiles", "Saved {file}").format(file=path.name), MESSAGE_MS
        )
        return True

    def _title_name(self) -> str:
        return self.path.name if self.path else translate("SessionFiles", "Untitled session")

    def _show_title(self) -> None:
        if self.path is None:
            self.window.setWindowTitle("StrideScope[*]")
        else:
            title = translate("SessionFiles", "{file}[*] — StrideScope")
            self.window.setWindowTitle(title.format(file=self.path.name))
        self.window.setWindowModified(not self.session.undo_stack.isClean())

    def _show_modified(self, clean: bool) -> None:
        # From the signal's argument: the stack also says so while it is being deleted.
        self.window.setWindowModified(not clean)

    def _remember_recent(self, path: Path) -> None:
        name = str(path.resolve())
        names = [str(known) for known in self.recent_files() if str(known) != name]
        self._store_recent([name, *names][:MAX_RECENT_FILES])

    def _forget_recent(self, path: Path) -> None:
        name = str(path.resolve())
        self._store_recent([str(known) for known in self.recent_files() if str(known) != name])

    def _store_recent(self, names: list[str]) -> None:
        self._recent = names
        if self.settings is not None:
            self.settings.setValue(RECENT_FILES_KEY, names)

    def _fill_recent_menu(self) -> None:
        """List the recent files; those gone since are dropped, with a message saying so."""
        menu = self.recent_menu
        menu.clear()
        recent = self.recent_files()
        missing = [path for path in recent if not path.is_file()]
        if missing:
            self._store_recent([str(path) for path in recent if path not in missing])
            message = translate("SessionFiles", "No longer found, so not listed: {files}")
            names = ", ".join(path.name for path in missing)
            self.window.statusBar().showMessage(message.format(files=names), MESSAGE_MS)
        for number, path in enumerate(self.recent_files(), start=1):
            name, folder = (str(part).replace("&", "&&") for part in (path.name, path.parent))
            action = menu.addAction(f"&{number} {name}  ({folder})")  # && shows one &
            action.setToolTip(str(path))
            action.triggered.connect(lambda _checked=False, p=path: self.open_path(p))
        if menu.isEmpty():
            menu.addAction(translate("SessionFiles", "No recent files")).setEnabled(False)
        else:
            menu.addSeparator()
            menu.addAction(translate("SessionFiles", "&Clear the list"), self._clear_recent)

    def _clear_recent(self) -> None:
        self._store_recent([])

    def _action(self, text: str, slot: Callable[[], object], shortcut) -> QAction:
        action = QAction(text, self.window)
        action.triggered.connect(lambda _checked=False: slot())
        action.setShortcut(QKeySequence(shortcut))
        return action

    def _ask_with_dialog(self, name: str) -> LeaveChoice:
        box = QMessageBox(self.window)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("StrideScope")
        box.setText(translate("SessionFiles", "Save the changes to {file}?").format(file=name))
        box.setInformativeText(translate("SessionFiles", "Changes not saved are lost."))
        buttons = QMessageBox.StandardButton
        box.setStandardButtons(buttons.Save | buttons.Discard | buttons.Cancel)
        box.setDefaultButton(buttons.Save)
        answer = box.exec()
        if answer == buttons.Save:
            return LeaveChoice.SAVE
        return LeaveChoice.DISCARD if answer == buttons.Discard else LeaveChoice.CANCEL

    def _confirm_replace_with_dialog(self, path: Path) -> bool:
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self.window,
            "StrideScope",
            translate("SessionFiles", "{file} already exists. Replace it?").format(file=path.name),
            buttons.Yes | buttons.No,
            buttons.No,
        )
        return answer == buttons.Yes

    def _start_folder(self) -> str:
        recent = self.path or next(iter(self.recent_files()), None)
        return str(recent.parent) if recent else str(Path.home())

    def _choose_open_path(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            self.window,
            translate("SessionFiles", "Open a session"),
            self._start_folder(),
            translate("SessionFiles", "Python scripts (*.py);;All files (*)"),
        )
        return Path(name) if name else None

    def _choose_save_path(self) -> Path | None:
        suggested = Path(self._start_folder()) / (self.path.name if self.path else "session.py")
        name, _ = QFileDialog.getSaveFileName(
            self.window,
            translate("SessionFiles", "Save the session"),
            str(suggested),
            translate("SessionFiles", "Python scripts (*.py);;All files (*)"),
        )
        return Path(name) if name else None


def _tell_the_panels(session: Session, failed: CodeError | None) -> None:
    """Emit, once, what the session emitted line by line while its signals were held: the
    panels redraw from the state as it is now (a failed view explained, as it was)."""
    session.view_failed.emit(None if failed is None else failed.explanation)
    session.tensors_changed.emit()
    session.current_changed.emit()
    session.highlight_changed.emit()
    session.graph_changed.emit()
    session.stepped.emit()


def _discard(_name: str) -> LeaveChoice:
    """The answer of a throwaway window (render, tests): nothing there is kept."""
    return LeaveChoice.DISCARD


def _replace(_path: Path) -> bool:
    """A throwaway window's answer to "replace it?": the caller named the file."""
    return True
