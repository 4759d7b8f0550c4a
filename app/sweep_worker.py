"""A timing sweep in a worker thread, reporting back through queued signals.

The sweep is ``core.timing.run_experiments``, a generator: the thread pulls rows from it
and emits each one, so the GUI thread only ever receives finished rows and never waits.
Cancelling sets an event the generator asks before every timed call, so even a matmul
measured for seconds stops after its current call.

After each report (a row, or the progress before a measurement) the thread waits until
the GUI says it has handled it (:meth:`SweepThread.caught_up`). Python code on the GUI
thread (pyqtgraph redrawing a plot takes tens of milliseconds) holds the GIL, and a call
timed meanwhile would be charged for it: an 80 µs sum measured 2 ms while the plot
redrew. So the GUI thread sits in Qt's event loop, which releases the GIL, while a call
is timed. Reports are counted, so a late answer to one report never releases the next.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from PySide6.QtCore import QThread, Signal, SignalInstance

import core.timing
from app.code_text import describe_exception

CATCH_UP_WAIT_S = 5.0
"""The longest a sweep waits for the GUI to handle a report (a busy GUI does not stall it)."""


class SweepThread(QThread):
    """Runs one sweep; start it with :meth:`start`, stop it early with :meth:`cancel`.

    Signals (queued to the thread that made this object); answer ``progressed`` and
    ``measured`` with :meth:`caught_up` once handled:

    - ``measured(TimingRow)``: a row, as soon as it is measured.
    - ``skipped(Skipped)``: a device or experiment that cannot run, before any row.
    - ``progressed(int, int, str)``: measurements done, their total, what runs next.
    - ``failed(str)``: the sweep stopped on an error (one line); rows before it stay.
    - ``finished()`` (QThread's): the thread is done, however it ended.
    """

    measured = Signal(object)
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
        self._reports = threading.Condition()
        self._sent = 0
        self._handled = 0

    def cancel(self) -> None:
        """Ask the sweep to stop before its next timed call; returns at once."""
        self._cancel.set()
        with self._reports:
            self._reports.notify_all()  # a sweep waiting for the GUI stops waiting

    @property
    def cancelled(self) -> bool:
        """Whether :meth:`cancel` was called."""
        return self._cancel.is_set()

    def caught_up(self, handled: int) -> None:
        """Say that the GUI has handled ``handled`` reports (``progressed`` and ``measured``
        signals, counted from the start): the sweep goes on once all it sent are."""
        with self._reports:
            self._handled = max(self._handled, handled)
            self._reports.notify_all()

    def run(self) -> None:
        try:
            stream = core.timing.run_experiments(
                self.experiments,
                self.devices,
                self.preset,
                progress=lambda *report: self._report(self.progressed, *report),
                cancelled=self._cancel.is_set,
            )
            for result in stream:
                if isinstance(result, core.timing.Skipped):
                    self.skipped.emit(result)
                else:
                    self._report(self.measured, result)
        except Exception as error:  # MemoryError, CUDA out of memory, a driver failure...
            self.failed.emit(describe_exception(error))

    def _report(self, signal: SignalInstance, *arguments: object) -> None:
        """Emit ``signal``, then wait until the GUI has handled every report so far, at
        most ``CATCH_UP_WAIT_S``, and never past a cancel."""
        with self._reports:
            self._sent += 1
        signal.emit(*arguments)
        with self._reports:
            self._reports.wait_for(
                lambda: self._handled >= self._sent or self._cancel.is_set(),
                timeout=CATCH_UP_WAIT_S,
            )
