"""A timing sweep in a worker thread, reporting back through queued signals.

The sweep is ``core.timing.run_experiments``, a generator: the thread pulls rows from it
and emits each one, so the GUI thread only ever receives finished rows and never waits.
Cancelling sets an event the generator asks before every timed call, so even a matmul
measured for seconds stops after its current call.

After each row the thread waits until the GUI says it has drawn it
(:meth:`SweepThread.row_shown`). Python code on the GUI thread (pyqtgraph redrawing a
plot takes tens of milliseconds) holds the GIL, and a call timed meanwhile would be
charged for it: a 80 µs sum measured 2 ms while the plot redrew. The GUI thread is idle
in Qt's event loop, which releases the GIL, while the next row is timed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

from PySide6.QtCore import QThread, Signal

import core.timing
from app.code_text import describe_exception

SHOWN_WAIT_S = 5.0
"""The longest a sweep waits for the GUI to draw a row (a busy GUI does not stall it)."""


class SweepThread(QThread):
    """Runs one sweep; start it with :meth:`start`, stop it early with :meth:`cancel`.

    Signals (queued to the thread that made this object):

    - ``measured(TimingRow)``: a row, as soon as it is measured.
    - ``skipped(Skipped)``: a device or experiment that cannot run, before any row.
    - ``progressed(int, int, str)``: measurements done, their total, what runs next.
    - ``failed(str)``: the sweep stopped on an error (one line); rows before it stay.
    - ``finished()`` (QThread's): the thread is done, however it ended.
    """

    measured = Signal(object)  # answer with row_shown() once drawn
    skipped = Signal(object)
    progressed = Signal(int, int, str)
    failed = Signal(str)

    def __init__(
        self,
        experiments: Sequence[str],
        devices: Sequence[str],
        preset: core.timing.Preset,
        parent=None,
    ) -> None:
        super().__init__(parent)
        self.experiments = tuple(experiments)
        self.devices = tuple(devices)
        self.preset = preset
        self._cancel = threading.Event()
        self._shown = threading.Event()

    def cancel(self) -> None:
        """Ask the sweep to stop before its next timed call; returns at once."""
        self._cancel.set()

    def row_shown(self) -> None:
        """Say that the last ``measured`` row is drawn: the sweep times the next one."""
        self._shown.set()

    @property
    def cancelled(self) -> bool:
        """Whether :meth:`cancel` was called."""
        return self._cancel.is_set()

    def run(self) -> None:
        try:
            stream = core.timing.run_experiments(
                self.experiments,
                self.devices,
                self.preset,
                progress=self.progressed.emit,
                cancelled=self._cancel.is_set,
            )
            for result in stream:
                if isinstance(result, core.timing.Skipped):
                    self.skipped.emit(result)
                else:
                    self._shown.clear()
                    self.measured.emit(result)
                    self._wait_until_shown()
        except Exception as error:  # MemoryError, CUDA out of memory, a driver failure...
            self.failed.emit(describe_exception(error))

    def _wait_until_shown(self) -> None:
        """Wait for :meth:`row_shown`, at most ``SHOWN_WAIT_S``, and never past a cancel."""
        deadline = time.monotonic() + SHOWN_WAIT_S
        while not self._shown.wait(0.05):
            if self._cancel.is_set() or time.monotonic() > deadline:
                return
