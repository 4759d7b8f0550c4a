"""Autosave to a recovery file, and the offer to restore one that a crash left behind.

Each running StrideScope writes its history, about a second after each change, to its
own recovery file (``session-PID-XXXXXX.py``, a saved-session script), next to a
``QLockFile`` that says the file is in use. A clean close deletes both. A recovery file
whose lock is stale (the process that held it died) is what a crash left: the next start
offers it in a bar at the top of the window. A second instance never takes the first's
file, since the first's lock is not stale.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QMainWindow, QPushButton, QSizePolicy, QToolBar, QWidget

from app.i18n import translate
from app.session import Session
from app.session_script import (
    ScriptError,
    ScriptLine,
    load_script,
    session_script,
    unfinished_writes,
    write_atomically,
)

AUTOSAVE_DELAY_MS = 1000
"""Quiet time after a change of the history before it is written (a burst writes once)."""
RECOVERY_FILES = "session-*.py"
LOCK_SUFFIX = ".lock"


def default_recovery_folder() -> Path:
    """Where the app keeps recovery files: ``recovery`` in the platform's app data folder
    (``$XDG_DATA_HOME/StrideScope/recovery`` on Linux, once the application is named)."""
    location = QStandardPaths.StandardLocation.AppLocalDataLocation
    return Path(QStandardPaths.writableLocation(location)) / "recovery"


def recovery_lock(script: Path) -> QLockFile:
    """The lock beside recovery file ``script``; stale only when its process is gone.

    (Qt's default also calls a lock stale after 30 s, which would hand a running
    instance's file to the next one.)
    """
    lock = QLockFile(f"{script}{LOCK_SUFFIX}")
    lock.setStaleLockTime(0)
    return lock


class Autosave(QObject):
    """Writes the session's history to this instance's recovery file after each change.

    ``script_text`` gives the text to write (by default the history as a saved session).
    The file and its lock are made on the first write; :meth:`stop` removes both.
    """

    written = Signal()
    """The recovery file holds the history as it is now."""
    failed = Signal(str)
    """The recovery file could not be written: the reason (the system's text)."""

    def __init__(
        self,
        session: Session,
        folder: Path,
        parent: QObject | None = None,
        script_text: Callable[[], str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.folder = folder
        self.script_text = script_text or (lambda: session_script(session.history))
        self.path = folder / f"session-{os.getpid()}-{secrets.token_hex(3)}.py"
        self._lock = recovery_lock(self.path)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_DELAY_MS)
        self._timer.timeout.connect(self.write_now)
        self._stopped = False
        session.undo_stack.indexChanged.connect(self.schedule)

    def schedule(self) -> None:
        """Write once the history has been still for :data:`AUTOSAVE_DELAY_MS`."""
        if not self._stopped:
            self._timer.start()

    def write_now(self) -> None:
        """Write the history to the recovery file now (atomically)."""
        self._timer.stop()
        if self._stopped:
            return
        try:
            if not self._lock.isLocked():
                self.folder.mkdir(parents=True, exist_ok=True)
                if not self._lock.tryLock(0):
                    raise OSError(f"cannot lock {self._lock.fileName()} ({self._lock.error()})")
            write_atomically(self.path, self.script_text())
        except OSError as error:
            self.failed.emit(error.strerror or str(error))
            return
        self.written.emit()

    def stop(self) -> None:
        """Write no more, and delete the recovery file and its lock (a clean close)."""
        self._stopped = True
        self._timer.stop()
        with contextlib.suppress(OSError):
            self.path.unlink(missing_ok=True)
        self._lock.unlock()


@dataclass(eq=False)
class RecoveredSession:
    """A recovery file a crash left: when it was written, its lines, and its lock (held)."""

    path: Path
    saved_at: datetime
    lines: list[ScriptLine]
    lock: QLockFile

    def delete(self) -> None:
        """Remove the file and release its lock (which removes the lock file)."""
        with contextlib.suppress(OSError):
            self.path.unlink(missing_ok=True)
        self.lock.unlock()


def claim_recovered_sessions(folder: Path) -> list[RecoveredSession]:
    """The recovery files in ``folder`` whose process died, newest first, their locks taken.

    Files of running instances are left alone. A left file with nothing to restore (no
    lines, or unreadable) is deleted, and so is a stale lock without its file, and the
    temporary file of a write the crash cut short (the recovery file is still whole).
    """
    if not folder.is_dir():
        return []
    recovered = []
    for script in folder.glob(RECOVERY_FILES):
        lock = recovery_lock(script)
        if not lock.tryLock(0):
            continue  # a running instance's (or a lock that cannot be read)
        _remove_unfinished_writes(script)
        try:
            saved_at = datetime.fromtimestamp(script.stat().st_mtime)
            lines = load_script(script)
        except (OSError, ScriptError):
            lines = []
        session = RecoveredSession(script, saved_at, lines, lock)
        if lines:
            recovered.append(session)
        else:
            session.delete()
    for lock_path in folder.glob(RECOVERY_FILES + LOCK_SUFFIX):
        script = lock_path.with_name(lock_path.name.removesuffix(LOCK_SUFFIX))
        if not script.exists():
            lock = recovery_lock(script)
            if lock.tryLock(0):  # stale: its instance died before its first autosave
                _remove_unfinished_writes(script)
                lock.unlock()
    return sorted(recovered, key=lambda session: session.saved_at, reverse=True)


def _remove_unfinished_writes(script: Path) -> None:
    """Delete what autosaves of ``script`` cut short by the crash left."""
    for temporary in unfinished_writes(script):
        with contextlib.suppress(OSError):
            temporary.unlink()


def when_saved(saved_at: datetime, now: datetime | None = None) -> str:
    """``HH:MM`` for a time today; with the date before it for an earlier day."""
    now = now or datetime.now()
    return saved_at.strftime("%H:%M" if saved_at.date() == now.date() else "%Y-%m-%d %H:%M")


class RecoveryBar(QToolBar):
    """The offer at the top of the window: restore the session a crash left, or discard it.

    Not modal: the window works as usual while it is shown.
    """

    restore_clicked = Signal()
    discard_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recovery bar")  # saveState names toolbars by it
        self.setMovable(False)
        self.setFloatable(False)
        self.toggleViewAction().setVisible(False)  # not one to switch on from a menu
        self.message = QLabel()
        self.message.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.restore_button = QPushButton(translate("RecoveryBar", "Restore"))
        self.discard_button = QPushButton(translate("RecoveryBar", "Discard"))
        self.restore_button.clicked.connect(self.restore_clicked)
        self.discard_button.clicked.connect(self.discard_clicked)
        self.addWidget(self.message)
        self.addWidget(self.restore_button)
        self.addWidget(self.discard_button)

    def offer(self, recovered: RecoveredSession) -> None:
        """Show the offer for ``recovered``."""
        one_line = translate(
            "RecoveryBar",
            "StrideScope closed unexpectedly. Restore the session from {time} (1 line)?",
        )
        lines = translate(
            "RecoveryBar",
            "StrideScope closed unexpectedly. Restore the session from {time} ({count} lines)?",
        )
        count = len(recovered.lines)
        text = one_line if count == 1 else lines
        time = when_saved(recovered.saved_at)
        self.message.setText(text.format(time=time, count=count))
        self.show()


class SessionRecovery(QObject):
    """Autosave for a window, and the recovery bar for the sessions that crashes left.

    ``restore`` runs a recovered session's lines in the window, stopping at a line that
    fails, and says whether it ran them (not when the user cancels leaving unsaved work).
    ``script_text`` is what autosave writes (see :class:`Autosave`).
    """

    def __init__(
        self,
        window: QMainWindow,
        session: Session,
        folder: Path,
        restore: Callable[[RecoveredSession], bool],
        script_text: Callable[[], str] | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.session = session
        self.restore = restore
        self.autosave = Autosave(session, folder, self, script_text)
        self.autosave.failed.connect(self._report_failure)
        self.waiting = claim_recovered_sessions(folder)
        """The recovered sessions not yet restored or discarded; the bar offers the first."""
        self.bar: RecoveryBar | None = None
        if self.waiting:
            self._show_bar()

    def _show_bar(self) -> None:
        """Offer the first waiting session in a bar at the top of the window (in place of a
        bar shown before, which goes)."""
        old_bar, self.bar = self.bar, RecoveryBar(self.window)
        self.bar.restore_clicked.connect(self.restore_offered)
        self.bar.discard_clicked.connect(self.discard_offered)
        self.window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.bar)
        if old_bar is not None:
            old_bar.deleteLater()
        self.bar.offer(self.waiting[0])

    def restore_offered(self) -> None:
        """Restore the session the bar offers; then offer the next, if any.

        A restore that stopped at a failing line keeps the file, for the next start to
        offer again: the lines after the failure are still only there.
        """
        if not self.waiting or not self.restore(self.waiting[0]):
            return
        recovered = self.waiting.pop(0)
        if self.session.history == [line.code for line in recovered.lines]:
            recovered.delete()
        else:
            recovered.lock.unlock()
        self._offer_next()

    def discard_offered(self) -> None:
        """Delete the session the bar offers; then offer the next, if any."""
        if self.waiting:
            self.waiting.pop(0).delete()
            self._offer_next()

    def move_to(
        self,
        window: QMainWindow,
        restore: Callable[[RecoveredSession], bool],
        script_text: Callable[[], str],
    ) -> None:
        """Serve ``window`` from now on (it replaces the old one, as after a language
        change), with its ``restore`` and ``script_text`` (the old one's go with its
        window): a session still offered is offered again there, in its language."""
        self.setParent(window)
        self.window = window
        self.restore = restore
        self.autosave.script_text = script_text
        if self.bar is not None:
            self._show_bar()

    def close(self) -> None:
        """A clean close: delete this instance's recovery file; leave the offered ones."""
        self.autosave.stop()
        for recovered in self.waiting:
            recovered.lock.unlock()  # still there to offer at the next start

    def _offer_next(self) -> None:
        if self.waiting:
            self.bar.offer(self.waiting[0])
        elif self.bar is not None:
            self.window.removeToolBar(self.bar)
            self.bar.deleteLater()
            self.bar = None

    def _report_failure(self, reason: str) -> None:
        message = translate("SessionFiles", "Autosave failed: {reason}").format(reason=reason)
        self.window.statusBar().showMessage(message, 10000)
