"""The timing panel: run the timing experiments in a worker thread and watch them plot.

Left, what to run (:class:`SweepControls`), Run and Cancel, progress, and the exports;
right, one experiment's plot at a time (tabs), time or throughput against size. Without
a GPU, a banner says why, and the newest recorded GPU run shipped in
``resources/timings`` is drawn beside the local curves, labelled with its GPU and date.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QSettings, Qt, Signal
from PySide6.QtGui import QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

import core
import core.timing
from app.i18n import translate
from app.sweep_worker import SweepThread
from app.theme import muted_color, set_text_color
from app.timing_results import (
    THROUGHPUT,
    TIME,
    TimingResults,
    banner_text,
    experiment_description,
    reference_rows,
)
from app.widgets.inline_error import InlineError
from app.widgets.sweep_controls import DEVICES, SweepControls
from app.widgets.timing_plot import TimingPlot

SETTINGS_GROUP = "timing"
SETTLE_ROUNDS = 3
"""Rounds of queued events a redraw takes to settle (a change, its autorange, the paint)."""
CANCEL_WAIT_MS = 10_000
"""How long closing the window waits for a cancelled sweep's current call to return."""


def unavailable_devices() -> dict[str, str]:
    """The device types that cannot be timed here, each with the engine's one-line reason."""
    reasons = {}
    for name in DEVICES:
        reason = core.timing.unavailable_reason(core.device(name))
        if reason is not None:
            reasons[name] = reason
    return reasons


_outliving: set[SweepThread] = set()


def outlive_widgets(sweep: SweepThread) -> None:
    """Keep ``sweep`` until its thread ends, and make the application wait for it on quitting."""
    application = QApplication.instance()
    if not _outliving and application is not None:
        application.aboutToQuit.connect(wait_for_outliving_sweeps)
    _outliving.add(sweep)
    sweep.finished.connect(lambda: forget_sweep(sweep))
    if sweep.isFinished():  # it ended before the connection was made
        forget_sweep(sweep)


def forget_sweep(sweep: SweepThread) -> None:
    """Drop a let-go sweep whose thread has ended."""
    if sweep in _outliving:
        _outliving.discard(sweep)
        sweep.deleteLater()


def wait_for_outliving_sweeps() -> None:
    """Wait for the sweeps whose panels are gone: their threads must end before Python's."""
    for sweep in list(_outliving):
        sweep.wait()
    _outliving.clear()


def settle_paint() -> None:
    """Run the work a redraw queued (pyqtgraph's dirty items, paints: Python code) now.

    pyqtgraph finishes a change in queued calls and paints in Python, all of which would
    hold the GIL while the sweep's next call is being timed. This delivers every posted
    event, so a slot calling it can see others run inside it (the sweep's ``finished``
    among them): the sweep slots read ``self.sweep`` again afterwards.
    """
    for _ in range(SETTLE_ROUNDS):
        QApplication.sendPostedEvents()


class TimingPanel(QWidget):
    """Timing sweeps as log-log plots, with the recorded GPU run when there is no GPU here.

    ``recorded_runs`` are the reference runs to offer (default: the shipped ones);
    ``settings`` keeps the choices between runs (None: neither read nor written).

    Signals
    -------
    sweep_finished()
        A sweep ended: done, cancelled or failed. The controls are usable again.
    """

    sweep_finished = Signal()

    def __init__(
        self,
        recorded_runs: Sequence[core.timing.RecordedRun] | None = None,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.results = TimingResults()
        self.unavailable = unavailable_devices()
        self.sweep: SweepThread | None = None
        self._follow_sweep = False
        self._started_at = 0.0
        self._skips: list[str] = []
        self._failed = False
        self._reports_handled = 0
        self._changing_tab = False
        self.table_metadata: dict[str, str] = {}
        """What a saved CSV says of the rows shown: the sweep's or the opened file's."""

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setFrameShape(QFrame.Shape.StyledPanel)
        self.banner.setMargin(6)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.controls = SweepControls(self.unavailable)
        self.show_reference = QCheckBox(translate("TimingPanel", "Show the recorded GPU run"))
        self.time_button = QRadioButton(translate("TimingPanel", "time"))
        self.throughput_button = QRadioButton(translate("TimingPanel", "throughput"))
        self.time_button.setChecked(True)
        self._quantities = QButtonGroup(self)
        for button in (self.time_button, self.throughput_button):
            self._quantities.addButton(button)
        self.run_button = QPushButton(translate("TimingPanel", "Run"))
        self.run_button.setDefault(True)
        self.cancel_button = QPushButton(translate("TimingPanel", "Cancel"))
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat(translate("TimingPanel", "no sweep yet"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.error = InlineError()
        self.export_buttons = {
            "csv": QPushButton(translate("TimingPanel", "Save CSV…")),
            "png": QPushButton(translate("TimingPanel", "Save PNG…")),
            "svg": QPushButton(translate("TimingPanel", "Save SVG…")),
        }
        self.open_button = QPushButton(translate("TimingPanel", "Open CSV…"))
        self.tabs = QTabBar()
        self.tabs.setExpanding(False)
        self.tabs.setDocumentMode(True)
        self.plot = TimingPlot()
        self._lay_out()

        self.run_button.clicked.connect(self.run_sweep)
        self.cancel_button.clicked.connect(self.cancel_sweep)
        self.cancel_button.setToolTip(
            translate("TimingPanel", "Stop after the call being timed (Esc)")
        )
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.cancel_sweep)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.controls.changed.connect(self.error.clear_error)
        self._quantities.buttonToggled.connect(lambda *_: self.redraw())
        self.tabs.currentChanged.connect(lambda *_: self.redraw())
        self.tabs.currentChanged.connect(self._stop_following)
        self.show_reference.toggled.connect(self._apply_reference)
        self.export_buttons["csv"].clicked.connect(lambda: self._export("csv"))
        self.export_buttons["png"].clicked.connect(lambda: self._export("png"))
        self.export_buttons["svg"].clicked.connect(lambda: self._export("svg"))
        self.open_button.clicked.connect(self._ask_to_open)
        self._apply_palette_extras()
        self.set_recorded_runs(recorded_runs)
        self._restore_choices()
        self.controls.changed.connect(self._keep_choices)
        self._quantities.buttonToggled.connect(self._keep_choices)

    def _restore_choices(self) -> None:
        if self.settings is None:
            return
        self.settings.beginGroup(SETTINGS_GROUP)
        saved = {key: str(self.settings.value(key)) for key in self.settings.childKeys()}
        self.settings.endGroup()
        self.controls.restore(saved)
        if saved.get("plot") in (TIME, THROUGHPUT):
            self.set_quantity(saved["plot"])

    def _keep_choices(self) -> None:
        if self.settings is None:
            return
        self.settings.beginGroup(SETTINGS_GROUP)
        for key, value in (self.controls.choices() | {"plot": self.quantity()}).items():
            self.settings.setValue(key, value)
        self.settings.endGroup()

    def _lay_out(self) -> None:
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.controls)
        plot_row = QHBoxLayout()
        plot_row.addWidget(QLabel(translate("TimingPanel", "Plot")))
        plot_row.addWidget(self.time_button)
        plot_row.addWidget(self.throughput_button)
        plot_row.addStretch()
        side_layout.addLayout(plot_row)
        side_layout.addWidget(self.show_reference)
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        side_layout.addLayout(buttons)
        side_layout.addWidget(self.progress)
        side_layout.addWidget(self.status)
        side_layout.addWidget(self.error)
        files = QGridLayout()
        for index, button in enumerate((self.open_button, *self.export_buttons.values())):
            files.addWidget(button, index // 2, index % 2)
        side_layout.addLayout(files)
        side_layout.addStretch()
        scroll = QScrollArea()  # the controls stay reachable in a short dock
        scroll.setWidget(side)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(side.sizeHint().width() + 16)
        scroll.setMaximumWidth(side.sizeHint().width() + 40)

        plot_side = QVBoxLayout()
        plot_side.setSpacing(2)
        plot_side.addWidget(self.tabs)
        plot_side.addWidget(self.plot, stretch=1)
        body = QHBoxLayout()
        body.addWidget(scroll)
        body.addLayout(plot_side, stretch=1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.banner)
        layout.addLayout(body, stretch=1)

    # -- reference runs ------------------------------------------------------------

    def set_recorded_runs(self, runs: Sequence[core.timing.RecordedRun] | None) -> None:
        """Offer the newest of ``runs`` (None: the shipped ones) as the GPU reference."""
        problem = ""
        if runs is None:
            try:
                runs = core.timing.recorded_runs()
            except ValueError as error:  # a broken file in resources/timings
                runs = ()
                problem = " " + translate(
                    "TimingPanel", "The recorded runs cannot be read: {error}"
                ).format(error=error)
        found = reference_rows(runs, {"cuda"})
        self.reference_run, self._reference_rows = found if found else (None, [])
        self.show_reference.setEnabled(found is not None)
        if self.reference_run is not None:
            metadata = self.reference_run.metadata
            tooltip = translate("TimingPanel", "recorded: {gpu}, {date}").format(
                gpu=metadata.gpu, date=metadata.date[:10]
            )
        else:
            tooltip = translate("TimingPanel", "no recorded GPU run ships here")
        self.show_reference.setToolTip(tooltip)
        gpu_reason = self.unavailable.get("cuda")
        self.banner.setVisible(gpu_reason is not None or bool(problem))
        if gpu_reason is not None:
            self.banner.setText(banner_text(gpu_reason, self.reference_run) + problem)
        else:
            self.banner.setText(problem.strip())
        wanted = found is not None and gpu_reason is not None
        if self.show_reference.isChecked() != wanted:
            self.show_reference.setChecked(wanted)  # applies it
        else:
            self._apply_reference()

    def _apply_reference(self) -> None:
        shown = self.show_reference.isChecked() and self.reference_run is not None
        self.results.set_reference(self._reference_rows if shown else [])
        self._sync_tabs()
        self.redraw()

    # -- sweeps --------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """Whether a sweep is running."""
        return self.sweep is not None

    def run_sweep(self) -> None:
        """Start the sweep the controls describe (the previous measurements are replaced)."""
        if self.running:
            return
        try:
            request = self.controls.request()
        except ValueError as error:
            self.error.show_error(str(error))
            return
        self.error.clear_error()
        self.results.clear()
        self.table_metadata = core.timing.run_metadata(request.preset)  # when it ran
        self._skips = []
        self._failed = False
        self._reports_handled = 0
        self._follow_sweep = True
        self._sync_tabs()
        self.redraw()
        self.progress.setRange(0, request.measurement_count())
        self.progress.setValue(0)
        self.progress.setFormat(translate("TimingPanel", "%v of %m"))
        self.status.setText(
            translate("TimingPanel", "Measuring; the plot fills in as rows arrive.")
        )
        self.sweep = sweep = SweepThread(request.experiments, request.devices, request.preset, self)
        sweep.measured.connect(self._on_measured)
        sweep.skipped.connect(self._on_skipped)
        sweep.progressed.connect(self._on_progress)
        sweep.failed.connect(self._on_failed)
        sweep.finished.connect(self._on_finished)
        self._set_running(True)
        self._started_at = time.perf_counter()
        sweep.start()

    def cancel_sweep(self) -> None:
        """Stop the running sweep after its current call; the rows so far stay."""
        if self.sweep is not None:
            self.sweep.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText(translate("TimingPanel", "Cancelling after the current call…"))

    def stop_and_wait(self, milliseconds: int | None = None) -> bool:
        """Cancel a running sweep and wait for its thread; returns whether it ended.

        A thread still in a call after ``milliseconds`` (a call cannot be interrupted) is
        let go of: it finishes on its own, and the application waits for it on quitting.
        Qt aborts the process when a running thread is destroyed with its parent.
        """
        sweep = self.sweep
        if sweep is None:
            return True
        sweep.cancel()
        if sweep.wait(CANCEL_WAIT_MS if milliseconds is None else milliseconds):
            return True
        for signal in (sweep.measured, sweep.skipped, sweep.progressed, sweep.failed):
            signal.disconnect()
        sweep.finished.disconnect()
        sweep.setParent(None)
        outlive_widgets(sweep)
        self.sweep = None
        return False

    def _set_running(self, running: bool) -> None:
        self.run_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        for widget in (self.controls, self.open_button, self.export_buttons["csv"]):
            widget.setEnabled(not running)

    def _from_current_sweep(self) -> bool:
        """Whether the signal being handled comes from the running sweep (one let go of
        on closing can still have calls queued)."""
        return self.sweep is not None and self.sender() is self.sweep

    def _caught_up(self) -> None:
        """Tell the sweep one more report is handled: its next call can be timed."""
        self._reports_handled += 1
        if self.sweep is not None:
            self.sweep.caught_up(self._reports_handled)

    def _on_measured(self, row: core.timing.TimingRow) -> None:
        if not self._from_current_sweep():
            return
        try:
            self.results.add(row)
            self._sync_tabs()
            if self._follow_sweep:
                self._show_for_sweep(row.experiment)
            if row.experiment == self.current_experiment():
                self.redraw()
                settle_paint()
        finally:
            self._caught_up()

    def _on_skipped(self, skipped: core.timing.Skipped) -> None:
        # An unavailable device is in the banner already.
        if self._from_current_sweep() and skipped.experiment is not None:
            # The reason is the engine's own text; the sentence around it is ours.
            self._skips.append(
                translate("TimingPanel", "{experiment} on {device}: skipped: {reason}").format(
                    experiment=skipped.experiment, device=skipped.device, reason=skipped.reason
                )
            )

    def _on_progress(self, done: int, total: int, label: str) -> None:
        if not self._from_current_sweep():
            return
        # In the bar, not the status label: a label's new text can change its height and
        # lay out the plot again.
        try:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
            self.progress.setFormat(
                translate("TimingPanel", "%v of %m · {label}").format(label=label)
                if label
                else translate("TimingPanel", "%v of %m")
            )
            settle_paint()
        finally:
            self._caught_up()

    def _on_failed(self, message: str) -> None:
        if not self._from_current_sweep():
            return
        self._failed = True
        self.error.show_error(
            translate("TimingPanel", "The sweep stopped: {message}").format(message=message)
        )

    def _on_finished(self) -> None:
        if not self._from_current_sweep():
            return
        sweep, self.sweep = self.sweep, None
        measured = len(self.results.run_rows())
        seconds = time.perf_counter() - self._started_at
        total = self.progress.maximum()
        if sweep.cancelled:
            text = translate("TimingPanel", "Cancelled: {measured} of {total} measured.")
        elif self._failed:
            text = translate("TimingPanel", "Stopped by an error: {measured} of {total} measured.")
        else:
            text = translate("TimingPanel", "Done: {measured} measurements in {seconds} s.")
        text = text.format(measured=measured, total=total, seconds=f"{seconds:.1f}")
        self.status.setText(" ".join([text, *self._skips]))
        self._follow_sweep = False
        self._set_running(False)
        sweep.deleteLater()
        self.sweep_finished.emit()

    # -- the plot ------------------------------------------------------------------

    def quantity(self) -> str:
        """What the plot shows: ``time`` or ``throughput``."""
        return THROUGHPUT if self.throughput_button.isChecked() else TIME

    def set_quantity(self, quantity: str) -> None:
        """Plot ``time`` or ``throughput``."""
        (self.throughput_button if quantity == THROUGHPUT else self.time_button).setChecked(True)

    def current_experiment(self) -> str:
        """The experiment the plot shows ('' when there are no rows)."""
        index = self.tabs.currentIndex()
        return self.tabs.tabData(index) if index >= 0 else ""

    def show_experiment(self, name: str) -> None:
        """Plot ``name``'s curves (its tab must exist: it has rows)."""
        for index in range(self.tabs.count()):
            if self.tabs.tabData(index) == name:
                self.tabs.setCurrentIndex(index)
                return
        raise ValueError(f"no results for {name!r}")

    def _show_for_sweep(self, name: str) -> None:
        self._changing_tab = True
        try:
            self.show_experiment(name)
        finally:
            self._changing_tab = False

    def _stop_following(self) -> None:
        if not self._changing_tab:  # the user chose a tab: a running sweep leaves it there
            self._follow_sweep = False

    def _sync_tabs(self) -> None:
        """One tab per experiment with rows, in the experiments' order; the choice kept."""
        wanted = self.results.experiments()
        present = [self.tabs.tabData(index) for index in range(self.tabs.count())]
        if wanted == present:
            return
        current = self.current_experiment()
        self.tabs.blockSignals(True)
        try:
            while self.tabs.count():
                self.tabs.removeTab(0)
            for name in wanted:
                index = self.tabs.addTab(name)
                self.tabs.setTabData(index, name)
                self.tabs.setTabToolTip(index, experiment_description(name))
            if current in wanted:
                self.tabs.setCurrentIndex(wanted.index(current))
        finally:
            self.tabs.blockSignals(False)

    def redraw(self) -> None:
        """Draw the current experiment's curves again."""
        experiment = self.current_experiment()
        self.plot.show_curves(
            experiment,
            self.results.curves(experiment) if experiment else [],
            self.results.comparisons(experiment) if experiment else [],
            self.quantity(),
        )

    # -- files ---------------------------------------------------------------------

    def load_csv(self, path: str | Path) -> None:
        """Show the rows of a CSV saved by this panel or ``stridescope bench --csv``.

        Raises
        ------
        ValueError
            When the file is not a timing table.
        OSError
            When it cannot be read.
        """
        rows, metadata = core.timing.read_csv(path)
        self.show_rows(rows)
        self.table_metadata = metadata
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        name = Path(path).name
        self.progress.setFormat(translate("TimingPanel", "showing {file}").format(file=name))
        self.status.setText(
            translate("TimingPanel", "Opened {file}: {count} rows.").format(
                file=name, count=len(rows)
            )
        )

    def adopt(self, other: TimingPanel) -> None:
        """Show what ``other`` (in a window this one replaces) shows: its measured rows,
        their metadata and the experiment in front. A sweep it runs is stopped first."""
        was_running = other.running
        other.stop_and_wait()
        experiment = other.current_experiment()
        rows = other.results.run_rows()
        self.show_rows(rows)
        self.table_metadata = dict(other.table_metadata)
        if experiment:
            self.show_experiment(experiment)
        if rows:
            self.progress.setRange(0, len(rows))
            self.progress.setValue(len(rows))
            self.progress.setFormat(translate("TimingPanel", "%v measured"))
        if was_running:
            self.status.setText(
                translate(
                    "TimingPanel",
                    "The sweep stopped as the language changed; the rows measured are kept.",
                )
            )

    def show_rows(self, rows: Iterable[core.timing.TimingRow]) -> None:
        """Plot ``rows`` in place of the measured ones (the reference stays)."""
        self.table_metadata = {}
        self.results.clear()
        for row in rows:
            self.results.add(row)
        self._sync_tabs()
        self.redraw()

    def save_csv(self, path: str | Path) -> Path:
        """Write every row shown (measured and recorded) with what is known of them: the
        sweep's preset, date and machine, or an opened file's own lines."""
        metadata = dict(self.table_metadata)
        if self.show_reference.isChecked() and self.reference_run is not None:
            metadata["recorded"] = self.reference_run.label
        core.timing.write_csv(self.results.rows(), path, metadata)
        return Path(path)

    def _ask_to_open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            translate("TimingPanel", "Open timing results"),
            "",
            translate("TimingPanel", "Timing tables (*.csv);;All files (*)"),
        )
        if not path:
            return
        try:
            self.load_csv(path)
            self.error.clear_error()
        except UnicodeDecodeError as error:
            self.error.show_error(
                translate("TimingPanel", "Cannot open {file}: not a text file ({reason})").format(
                    file=Path(path).name, reason=error.reason
                )
            )
        except (OSError, ValueError) as error:
            reason = getattr(error, "strerror", None) or error
            self.error.show_error(
                translate("TimingPanel", "Cannot open {file}: {reason}").format(
                    file=Path(path).name, reason=reason
                )
            )

    def _export(self, kind: str) -> None:
        filters = {
            "csv": translate("TimingPanel", "Timing tables (*.csv)"),
            "png": translate("TimingPanel", "PNG images (*.png)"),
            "svg": translate("TimingPanel", "SVG images (*.svg)"),
        }
        title = (
            translate("TimingPanel", "Save the results")
            if kind == "csv"
            else translate("TimingPanel", "Save the plot")
        )
        path, _ = QFileDialog.getSaveFileName(self, title, "", filters[kind])
        if not path:
            return
        if not path.lower().endswith(f".{kind}"):
            path += f".{kind}"
        savers = {"csv": self.save_csv, "png": self.plot.save_png, "svg": self.plot.save_svg}
        try:
            written = savers[kind](path)
        except (OSError, ValueError) as error:
            reason = getattr(error, "strerror", None) or error
            self.error.show_error(
                translate("TimingPanel", "Cannot save {file}: {reason}").format(
                    file=Path(path).name, reason=reason
                )
            )
            return
        self.error.clear_error()
        self.status.setText(translate("TimingPanel", "Saved {path}").format(path=written))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_palette_extras()

    def _apply_palette_extras(self) -> None:
        palette = self.palette()
        set_text_color(self.status, muted_color(palette))
        self.banner.setAutoFillBackground(True)
        banner = self.banner.palette()
        banner.setColor(QPalette.ColorRole.Window, palette.color(QPalette.ColorRole.AlternateBase))
        self.banner.setPalette(banner)
