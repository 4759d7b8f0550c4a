"""The timing panel: a sweep in a worker thread streams into the plot; cancel, exports,
the recorded GPU run beside the local curves, and bad input."""

import math
import xml.etree.ElementTree as ElementTree

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPalette
from PySide6.QtSvg import QSvgRenderer

import app.sweep_worker
import core
import core.timing
from app.cli import main
from app.timing_results import THROUGHPUT, TIME, CurveKey
from app.widgets.timing_panel import TimingPanel
from core.timing import TimingRow, record_reference
from tests.core.recorded_metadata import FIXTURE_GPU, metadata_for

NO_CUDA = core.cuda.unavailable_reason()
needs_no_cuda = pytest.mark.skipif(NO_CUDA is None, reason="a cuda backend is present")
SWEEP_TIMEOUT_MS = 120_000
FIXTURE_DATE = "2026-01-02T03:04:05+00:00"
FIXTURE_LABEL = f"recorded: {FIXTURE_GPU}, 2026-01-02"


def fixture_gpu_rows() -> list[TimingRow]:
    """A GPU of 20 µs per call plus 1 TB/s (add) or 20 TFLOP/s (matmul): made up."""
    rows = []
    for size in (2**10, 2**14, 2**18, 2**22):
        for layout in ("contiguous", "transposed"):
            seconds = 2e-5 + 12 * size / 1e12
            rows.append(
                TimingRow(
                    "add", "cuda", layout, size, seconds, 0.0, 12 * size / seconds / 1e9, "GB/s"
                )
            )
    for n in (64, 256, 1024):
        seconds = 2e-5 + 2 * n**3 / 2e13
        rows.append(
            TimingRow(
                "matmul",
                "cuda",
                "contiguous",
                n,
                seconds,
                0.0,
                2 * n**3 / seconds / 1e9,
                "GFLOP/s",
            )
        )
    return rows


@pytest.fixture
def reference_folder(tmp_path):
    folder = tmp_path / "reference"
    record_reference(folder, fixture_gpu_rows(), metadata_for(FIXTURE_GPU, FIXTURE_DATE))
    return folder


@pytest.fixture
def make_panel(qtbot):
    """Factory: a shown TimingPanel over ``runs`` (default: none), its sweep stopped after."""
    panels = []

    def make(runs=()) -> TimingPanel:
        panel = TimingPanel(recorded_runs=runs)
        qtbot.addWidget(panel)
        panel.resize(1100, 640)
        panel.show()
        qtbot.waitExposed(panel)
        panels.append(panel)
        return panel

    yield make
    for panel in panels:
        assert panel.stop_and_wait()


@pytest.fixture
def library_results(monkeypatch):
    """Every item core.timing.run_experiments yields to the panel's worker, in order."""
    seen = []
    run_experiments = core.timing.run_experiments

    def recording(*args, **kwargs):
        for item in run_experiments(*args, **kwargs):
            seen.append(item)
            yield item

    monkeypatch.setattr(app.sweep_worker.core.timing, "run_experiments", recording)
    return seen


def choose(panel, experiments, smallest=2**10, largest=2**14, full=False):
    controls = panel.controls
    for name, box in controls.experiment_boxes.items():
        box.setChecked(name in experiments)
    controls.smallest.setCurrentIndex(controls.smallest.findData(smallest))
    controls.largest.setCurrentIndex(controls.largest.findData(largest))
    (controls.full if full else controls.quick).setChecked(True)


def run_to_end(qtbot, panel):
    with qtbot.waitSignal(panel.sweep_finished, timeout=SWEEP_TIMEOUT_MS):
        qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)


def drawn(panel) -> dict[CurveKey, tuple[list, list]]:
    """The plot's curves as (sizes, values) in data units (the plot draws their log10)."""
    return {
        key: (list(item.xData), list(item.yData)) for key, item in panel.plot.curve_items.items()
    }


def test_a_quick_cpu_sweep_streams_into_the_plot_as_the_library_measured_it(
    qtbot, make_panel, library_results
):
    panel = make_panel()
    choose(panel, ["add", "matmul", "sum"])
    shown_while_running = []
    panel.progress.valueChanged.connect(
        lambda _: shown_while_running.append(panel.current_experiment())
    )

    run_to_end(qtbot, panel)

    rows = [item for item in library_results if isinstance(item, TimingRow)]
    expected_plan = [
        (name, size, layout)
        for name in ("add", "matmul", "sum")
        for size in core.timing.QUICK.within(2**10, 2**14).sizes_for(name)
        for layout in core.timing.EXPERIMENTS[name].layouts
    ]
    assert [(row.experiment, row.size, row.layout) for row in rows] == expected_plan
    assert panel.results.run_rows() == rows
    assert panel.progress.value() == panel.progress.maximum() == len(rows)
    assert panel.status.text().startswith(f"Done: {len(rows)} measurements")
    assert [panel.tabs.tabText(index) for index in range(panel.tabs.count())] == [
        "add",
        "matmul",
        "sum",
    ]
    for experiment in ("add", "matmul", "sum"):
        panel.show_experiment(experiment)
        for quantity, value in ((TIME, "median_s"), (THROUGHPUT, "throughput")):
            panel.set_quantity(quantity)
            expected = {}
            for row in rows:
                if row.experiment == experiment:
                    sizes, values = expected.setdefault(
                        CurveKey(experiment, "cpu", row.layout), ([], [])
                    )
                    sizes.append(row.size)
                    values.append(getattr(row, value))
            assert drawn(panel) == expected
    # The plot followed the sweep from experiment to experiment while it ran.
    assert set(shown_while_running) >= {"add", "matmul", "sum"}
    assert panel.run_button.isEnabled() and not panel.cancel_button.isEnabled()


def test_the_window_stays_responsive_during_a_sweep(qtbot, make_panel):
    """The GUI thread's event loop keeps running: no long gap between timer ticks (a sweep
    run on the GUI thread would leave none at all for its whole length)."""
    import time

    from PySide6.QtCore import QTimer

    panel = make_panel()
    choose(panel, ["add", "matmul", "contiguous", "sum"], largest=2**24, full=True)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(20)
    qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    started = time.perf_counter()
    qtbot.wait(1_500)
    timer.stop()
    assert panel.running  # still sweeping all along
    with qtbot.waitSignal(panel.sweep_finished, timeout=SWEEP_TIMEOUT_MS):
        qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)

    moments = [started, *ticks]
    gaps = [later - earlier for earlier, later in zip(moments, moments[1:], strict=False)]
    assert max(gaps) < 0.75


def test_cancel_stops_a_full_sweep_promptly_and_the_panel_runs_again(qtbot, make_panel):
    panel = make_panel()
    choose(panel, ["add", "matmul", "contiguous", "sum"], largest=2**24, full=True)
    total = panel.controls.request().measurement_count()
    qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(panel.results.run_rows()) >= 2, timeout=SWEEP_TIMEOUT_MS)
    assert panel.running and not panel.run_button.isEnabled() and not panel.controls.isEnabled()

    with qtbot.waitSignal(panel.sweep_finished, timeout=5_000):
        qtbot.keyClick(panel.tabs, Qt.Key.Key_Escape)  # as the Cancel button does

    measured = len(panel.results.run_rows())
    assert 2 <= measured < total
    assert panel.status.text().startswith(f"Cancelled: {measured} of {total} measured.")
    assert not panel.running and panel.run_button.isEnabled() and panel.controls.isEnabled()
    choose(panel, ["sum"], largest=2**10)
    run_to_end(qtbot, panel)
    assert [(row.experiment, row.size) for row in panel.results.run_rows()] == [
        ("sum", 2**10),
        ("sum", 2**10),
    ]


def test_closing_the_window_mid_sweep_stops_the_thread(qtbot, make_window):
    window = make_window()
    panel = window.timing_panel
    choose(panel, ["matmul"], largest=2**24, full=True)
    panel.run_sweep()
    qtbot.waitUntil(lambda: panel.progress.value() >= 1, timeout=30_000)
    sweep = panel.sweep

    window.close()

    assert sweep is None or sweep.isFinished()


def test_a_failing_sweep_says_why_and_keeps_the_rows_before(qtbot, make_panel, monkeypatch):
    run_experiments = core.timing.run_experiments

    def failing(*args, **kwargs):
        stream = run_experiments(*args, **kwargs)
        yield next(item for item in stream if isinstance(item, TimingRow))
        raise MemoryError("out of memory allocating 64 MiB")

    monkeypatch.setattr(app.sweep_worker.core.timing, "run_experiments", failing)
    panel = make_panel()
    choose(panel, ["add"])

    run_to_end(qtbot, panel)

    assert panel.error.isVisible()
    assert panel.error.text() == "The sweep stopped: MemoryError: out of memory allocating 64 MiB"
    assert len(panel.results.run_rows()) == 1 and panel.run_button.isEnabled()


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (
            lambda c: [box.setChecked(False) for box in c.experiment_boxes.values()],
            "Choose at least one experiment.",
        ),
        (lambda c: c.device_boxes["cpu"].setChecked(False), "Choose at least one device."),
        (
            lambda c: (c.smallest.setCurrentIndex(3), c.largest.setCurrentIndex(1)),
            "The range runs from 2¹⁶ down to 2¹²: choose a smallest size at most the largest.",
        ),
        (
            lambda c: (c.smallest.setCurrentIndex(1), c.largest.setCurrentIndex(1)),
            "No size of the chosen experiments lies between 2¹² and 2¹² in the quick sweep: "
            "widen the range or choose Full.",
        ),
    ],
)
def test_a_sweep_that_cannot_run_is_refused_inline(qtbot, make_panel, setup, message):
    panel = make_panel()
    for name in ("matmul", "contiguous", "sum"):
        panel.controls.experiment_boxes[name].setChecked(False)
    setup(panel.controls)

    qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)

    assert not panel.running and panel.error.text() == message and panel.error.isVisible()
    panel.controls.full.setChecked(True)
    assert not panel.error.isVisible()  # changing a choice clears it


@needs_no_cuda
def test_without_a_gpu_the_device_and_transfer_are_greyed_out_with_the_reason(make_panel):
    panel = make_panel()

    gpu = panel.controls.device_boxes["cuda"]
    transfer = panel.controls.experiment_boxes["transfer"]
    assert not gpu.isEnabled() and not gpu.isChecked() and NO_CUDA in gpu.toolTip()
    assert not transfer.isEnabled() and NO_CUDA in transfer.toolTip()


@needs_no_cuda
def test_with_no_recorded_run_the_banner_says_so_and_only_cpu_curves_show(qtbot, make_panel):
    panel = make_panel(runs=())

    assert panel.banner.isVisible()
    assert panel.banner.text() == (
        f"No GPU to time here: {NO_CUDA}. No recorded GPU run ships with this version, so only "
        "CPU curves show."
    )
    assert not panel.show_reference.isEnabled() and panel.tabs.count() == 0
    assert panel.plot.curve_items == {}


@needs_no_cuda
def test_the_recorded_gpu_run_is_drawn_beside_the_local_curves(qtbot, make_panel, reference_folder):
    panel = make_panel(runs=core.timing.recorded_runs(reference_folder))
    assert "recorded on Fixture GPU (test data) on 2026-01-02" in panel.banner.text()
    assert panel.show_reference.isChecked()
    choose(panel, ["add"], largest=2**18)

    run_to_end(qtbot, panel)

    panel.show_experiment("add")
    curves = drawn(panel)
    recorded = CurveKey("add", "cuda", "contiguous", FIXTURE_LABEL)
    assert curves[recorded] == (
        [2**10, 2**14, 2**18, 2**22],
        [2e-5 + 12 * size / 1e12 for size in (2**10, 2**14, 2**18, 2**22)],
    )
    assert CurveKey("add", "cpu", "transposed") in curves
    legend = [label.text for _, label in panel.plot.legend.items]
    assert "cuda contiguous (recorded)" in legend
    comparisons = panel.results.comparisons("add")
    assert [comparison.gpu.source for comparison in comparisons] == [FIXTURE_LABEL] * 2
    assert panel.plot.comparison_label.text().splitlines() == [
        comparison.describe() for comparison in comparisons
    ]
    crossovers = [c.crossover for c in comparisons if c.crossover is not None]
    assert sorted(line.value() for line in panel.plot.crossover_lines) == sorted(
        math.log10(size) for size in crossovers
    )

    panel.show_reference.setChecked(False)
    assert recorded not in drawn(panel) and CurveKey("add", "cpu", "contiguous") in drawn(panel)
    assert panel.tabs.count() == 1  # matmul had only recorded rows


def test_a_crossover_is_marked_where_the_model_puts_it(make_panel, reference_folder):
    panel = make_panel(runs=core.timing.recorded_runs(reference_folder))
    panel.show_reference.setChecked(True)
    panel.show_rows(
        TimingRow("add", "cpu", "contiguous", size, seconds, 0.0, 1.0, "GB/s")
        for size, seconds in ((2**10, 1e-5), (2**14, 1e-4), (2**18, 1e-3))
    )
    panel.show_experiment("add")

    (line,) = panel.plot.crossover_lines
    gpu_at = {size: 2e-5 + 12 * size / 1e12 for size in (2**10, 2**14)}
    before, after = math.log(gpu_at[2**10] / 1e-5), math.log(gpu_at[2**14] / 1e-4)
    expected = 10 * math.log10(2) + before / (before - after) * 4 * math.log10(2)
    assert line.value() == pytest.approx(expected, rel=1e-12)
    assert (
        "contiguous: cuda (recorded) overtakes cpu at about" in panel.plot.comparison_label.text()
    )


def test_hovering_a_point_reads_out_its_exact_values(qtbot, make_panel):
    from PySide6.QtCore import QPoint

    panel = make_panel()
    row = TimingRow("add", "cpu", "transposed", 2**14, 2.5e-5, 1e-6, 7.86432, "GB/s")
    panel.show_rows([row, TimingRow("add", "cpu", "transposed", 2**18, 2.5e-4, 1e-6, 12.6, "GB/s")])
    view = panel.plot.plot_widget

    def moved_onto_the_point() -> bool:  # asked again until the view has settled its range
        qtbot.mouseMove(view.viewport(), view.mapFromScene(panel.plot.scene_position_of(row)))
        return panel.plot.hovered_row == row

    qtbot.waitUntil(moved_onto_the_point, timeout=5_000)

    assert panel.plot.readout.text() == (
        "add · cpu · transposed  ·  2¹⁴ = 16,384 elements (128×128)  ·  "
        "median 25 µs, spread (IQR) 1 µs  ·  7.86 GB/s"
    )

    qtbot.mouseMove(view.viewport(), QPoint(4, 4))  # the corner: far from both points
    assert panel.plot.hovered_row is None
    assert panel.plot.readout.text() == "Hover a point for its exact values."


def test_exports_write_readable_csv_png_and_svg(qtbot, make_panel, reference_folder, tmp_path):
    panel = make_panel(runs=core.timing.recorded_runs(reference_folder))
    choose(panel, ["add"], largest=2**10)
    run_to_end(qtbot, panel)

    csv_path = panel.save_csv(tmp_path / "results.csv")
    rows, metadata = core.timing.read_csv(csv_path)
    assert rows == panel.results.rows()
    assert {row.source for row in rows} == {"measured", FIXTURE_LABEL}
    assert metadata["preset"].startswith("quick") and metadata["recorded"] == FIXTURE_LABEL

    png = panel.plot.save_png(tmp_path / "plot.png")
    image = QImage(str(png))
    assert not image.isNull() and image.size() == panel.plot.plot_widget.size()

    svg = panel.plot.save_svg(tmp_path / "plot.svg")
    tree = ElementTree.parse(svg)
    texts = " ".join(element.text or "" for element in tree.iter() if element.tag.endswith("text"))
    assert "add: a + b, contiguous against transposed b" in texts
    assert "elements per input" in texts
    assert QSvgRenderer(str(svg)).isValid()


def test_the_export_buttons_ask_for_a_file_and_report_failures_inline(
    qtbot, make_panel, monkeypatch, tmp_path
):
    panel = make_panel()
    panel.show_rows([TimingRow("sum", "cpu", "strided dim", 1024, 1e-5, 0.0, 0.4, "GB/s")])
    answers = iter([str(tmp_path / "plot"), str(tmp_path / "missing" / "deeper" / "no.csv")])
    monkeypatch.setattr(
        "app.widgets.timing_panel.QFileDialog.getSaveFileName",
        lambda *args, **kwargs: (next(answers), ""),
    )

    qtbot.mouseClick(panel.export_buttons["svg"], Qt.MouseButton.LeftButton)
    assert (tmp_path / "plot.svg").is_file() and panel.status.text().endswith("plot.svg")

    qtbot.mouseClick(panel.export_buttons["csv"], Qt.MouseButton.LeftButton)
    assert panel.error.isVisible() and panel.error.text().startswith("Cannot save no.csv: ")


def test_opening_a_saved_csv_shows_it_and_a_bad_file_is_refused(
    qtbot, make_panel, monkeypatch, tmp_path
):
    saved = [TimingRow("sum", "cpu", "strided dim", 1024, 1e-5, 0.0, 0.4, "GB/s")]
    core.timing.write_csv(saved, tmp_path / "good.csv")
    (tmp_path / "bad.csv").write_text("not,a,timing,table\n")
    answers = iter([str(tmp_path / "good.csv"), str(tmp_path / "bad.csv")])
    monkeypatch.setattr(
        "app.widgets.timing_panel.QFileDialog.getOpenFileName",
        lambda *args, **kwargs: (next(answers), ""),
    )
    panel = make_panel()

    qtbot.mouseClick(panel.open_button, Qt.MouseButton.LeftButton)
    assert panel.results.run_rows() == saved and panel.current_experiment() == "sum"

    qtbot.mouseClick(panel.open_button, Qt.MouseButton.LeftButton)
    assert panel.error.text().startswith("Cannot open bad.csv: ")
    assert panel.results.run_rows() == saved  # what was shown stays


def test_switching_theme_redraws_the_plot(qtbot, make_window, restore_theme):
    window = make_window()
    panel = window.timing_panel
    panel.show_rows([TimingRow("sum", "cpu", "strided dim", 1024, 1e-5, 0.0, 0.4, "GB/s")])

    window.set_theme("dark")

    plot = panel.plot.plot_widget
    qtbot.waitUntil(lambda: plot.backgroundBrush().color().lightness() < 128, timeout=2_000)
    assert plot.backgroundBrush().color() == panel.palette().color(QPalette.ColorRole.Base)


def test_ctrl_t_opens_the_timing_panel(qtbot, make_window):
    window = make_window()
    dock = window.docks["timing"]
    assert not dock.isVisible()

    action = dock.toggleViewAction()
    assert action.shortcut().toString() == "Ctrl+T"
    action.trigger()

    assert dock.isVisible()


def test_render_draws_a_saved_result(tmp_path, capsys, reference_folder):
    saved = [
        TimingRow("add", "cpu", layout, size, 1e-5 * size / 1024, 0.0, 1.0, "GB/s")
        for size in (2**10, 2**14)
        for layout in ("contiguous", "transposed")
    ]
    core.timing.write_csv(saved, tmp_path / "results.csv")
    output = tmp_path / "plot.png"

    status = main(
        [
            "render",
            "--panel",
            "timing",
            "--csv",
            str(tmp_path / "results.csv"),
            "--reference",
            str(reference_folder),
            "--y",
            "throughput",
            "-o",
            str(output),
        ]
    )

    assert status == 0 and capsys.readouterr().out.strip() == str(output.resolve())
    image = QImage(str(output))
    assert (image.width(), image.height()) == (1200, 680)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--csv", "{tmp}/nowhere.csv"], "--csv {tmp}/nowhere.csv: No such file or directory"),
        (["--csv", "{tmp}/bad.csv"], "--csv {tmp}/bad.csv: not a timing table"),
        (["--reference", "{tmp}/nowhere"], "--reference {tmp}/nowhere: not a directory"),
        (["--select", "matmul"], "--select matmul: no rows for it (experiments: none)"),
    ],
)
def test_render_timing_errors_are_one_line(tmp_path, capsys, arguments, message):
    (tmp_path / "bad.csv").write_text("a,b\n1,2\n")
    arguments = [argument.format(tmp=tmp_path) for argument in arguments]

    status = main(["render", "--panel", "timing", *arguments, "-o", str(tmp_path / "x.png")])

    error = capsys.readouterr().err
    assert status == 2 and len(error.splitlines()) == 1
    assert error.startswith("stridescope: error: " + message.format(tmp=tmp_path))
    assert not (tmp_path / "x.png").exists()


@pytest.mark.parametrize(
    ("option", "value"), [("--csv", "r.csv"), ("--reference", "runs"), ("--y", "throughput")]
)
def test_timing_options_with_another_panel_are_refused(tmp_path, capsys, option, value):
    status = main(["render", option, value, "--panel", "memory", "-o", str(tmp_path / "x.png")])

    assert status == 2
    assert capsys.readouterr().err == (
        f"stridescope: error: {option} goes with --panel timing, not --panel memory\n"
    )


def test_the_sweep_times_the_next_call_only_once_the_gui_has_caught_up(qtbot, monkeypatch):
    monkeypatch.setattr(app.sweep_worker, "CATCH_UP_WAIT_S", 600)
    preset = core.timing.QUICK.within(2**10, 2**10)
    sweep = app.sweep_worker.SweepThread(["add"], ["cpu"], preset)
    reports = []
    sweep.progressed.connect(lambda *report: reports.append(report))
    sweep.measured.connect(reports.append)

    sweep.start()
    qtbot.waitUntil(lambda: len(reports) == 1, timeout=10_000)
    qtbot.wait(200)
    assert reports == [(0, 2, "add cpu contiguous 1024")]  # waiting: nothing measured yet

    sweep.caught_up(1)
    qtbot.waitUntil(lambda: len(reports) == 2, timeout=10_000)
    qtbot.wait(200)
    assert reports[1].layout == "contiguous" and len(reports) == 2

    sweep.caught_up(1)  # a late answer to the first report releases nothing
    qtbot.wait(200)
    assert len(reports) == 2
    with qtbot.waitSignal(sweep.finished, timeout=10_000):
        for handled in range(2, 6):
            sweep.caught_up(handled)
            qtbot.waitUntil(lambda n=handled: len(reports) >= min(n + 1, 5), timeout=10_000)
    assert [report.layout for report in reports if isinstance(report, TimingRow)] == [
        "contiguous",
        "transposed",
    ]


def test_cancel_wakes_a_sweep_waiting_for_the_gui(qtbot, monkeypatch):
    monkeypatch.setattr(app.sweep_worker, "CATCH_UP_WAIT_S", 600)
    sweep = app.sweep_worker.SweepThread(["add"], ["cpu"], core.timing.QUICK)
    started = []
    sweep.progressed.connect(lambda *report: started.append(report))
    sweep.start()
    qtbot.waitUntil(lambda: bool(started), timeout=10_000)

    with qtbot.waitSignal(sweep.finished, timeout=5_000):
        sweep.cancel()


def test_the_timing_panel_first_opens_as_its_own_window(qtbot, make_window):
    window = make_window()
    dock = window.docks["timing"]

    dock.toggleViewAction().trigger()

    assert dock.isFloating() and dock.width() >= 700
    dock.setFloating(False)
    dock.toggleViewAction().trigger()  # closed, then opened again: where the user put it
    dock.toggleViewAction().trigger()
    assert dock.isVisible() and not dock.isFloating()


def test_with_a_gpu_the_panel_times_both_devices_and_compares_them(qtbot, make_panel):
    """The real CUDA backend over the simulated CuPy: the GPU's code paths in the panel."""
    from tests.core.simulated_cupy import installed

    with installed():
        panel = make_panel()
        gpu = panel.controls.device_boxes["cuda"]
        assert not panel.banner.isVisible() and gpu.isEnabled() and gpu.isChecked()
        assert gpu.text() == f"GPU (cuda:0, {core.cuda.get_device_name(0)})"
        assert panel.controls.experiment_boxes["transfer"].isEnabled()
        choose(panel, ["add", "transfer"], largest=2**10)

        run_to_end(qtbot, panel)

    rows = panel.results.run_rows()
    assert {(row.experiment, row.device, row.layout) for row in rows} == {
        ("add", "cpu", "contiguous"),
        ("add", "cpu", "transposed"),
        ("add", "cuda", "contiguous"),
        ("add", "cuda", "transposed"),
        ("transfer", "cuda", "host to device"),
        ("transfer", "cuda", "device to host"),
    }
    panel.show_experiment("add")
    assert [
        (c.cpu.device, c.gpu.device, c.gpu.layout) for c in panel.results.comparisons("add")
    ] == [
        ("cpu", "cuda", "contiguous"),
        ("cpu", "cuda", "transposed"),
    ]
    assert len(panel.plot.comparison_label.text().splitlines()) == 2
    panel.show_experiment("transfer")
    assert set(drawn(panel)) == {
        CurveKey("transfer", "cuda", "host to device"),
        CurveKey("transfer", "cuda", "device to host"),
    }


def test_the_choices_are_kept_between_runs(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    path = str(tmp_path / "settings.ini")
    first = TimingPanel(recorded_runs=(), settings=QSettings(path, QSettings.Format.IniFormat))
    qtbot.addWidget(first)
    choose(first, ["matmul", "sum"], smallest=2**12, largest=2**20, full=True)
    first.set_quantity(THROUGHPUT)
    first.settings.sync()

    second = TimingPanel(recorded_runs=(), settings=QSettings(path, QSettings.Format.IniFormat))
    qtbot.addWidget(second)

    assert (
        second.controls.choices()
        == first.controls.choices()
        == {
            "experiments": "matmul,sum",
            "devices": "cpu",
            "smallest": str(2**12),
            "largest": str(2**20),
            "sweep": "full",
        }
    )
    assert second.quantity() == THROUGHPUT


def test_saved_choices_that_no_longer_fit_are_ignored(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    for key, value in {
        "timing/experiments": "add,no-such-experiment",
        "timing/devices": "cuda",
        "timing/smallest": "3",
        "timing/largest": "many",
        "timing/sweep": "sideways",
        "timing/plot": "colour",
    }.items():
        settings.setValue(key, value)

    panel = TimingPanel(recorded_runs=(), settings=settings)
    qtbot.addWidget(panel)

    choices = panel.controls.choices()
    assert choices["experiments"] == "add"
    assert choices["smallest"] == str(2**10) and choices["largest"] == str(2**24)
    assert choices["sweep"] == "quick" and panel.quantity() == TIME
    if NO_CUDA is not None:
        assert choices["devices"] == "cpu"  # the GPU cannot be chosen here: CPU stays


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("add,tpu,contiguous,1024,1e-5,0,1,GB/s,measured", ":3: 'tpu' is not a device"),
        ("add,cpu,contiguous,1024", ":3: 4 cells, expected 9"),
        ("add,cpu,contiguous,-4,1e-5,0,1,GB/s,measured", ":3: size -4: a size is at least 1"),
    ],
)
def test_a_hand_edited_csv_that_is_not_a_table_leaves_the_plot_as_it_was(
    qtbot, make_panel, tmp_path, line, message
):
    shown = [TimingRow("sum", "cpu", "strided dim", 1024, 1e-5, 0.0, 0.4, "GB/s")]
    path = tmp_path / "edited.csv"
    path.write_text(f"{','.join(core.timing.table.FIELDS)}\n\n{line}\n")
    panel = make_panel()
    panel.show_rows(shown)

    with pytest.raises(ValueError, match=message):
        panel.load_csv(path)

    assert panel.results.run_rows() == shown and panel.current_experiment() == "sum"


def test_a_csv_with_values_a_log_axis_cannot_draw_or_another_experiment_still_opens(
    make_panel, tmp_path
):
    rows = [
        TimingRow("add", "cpu", "contiguous", 1024, 0.0, 0.0, None, "GB/s"),
        TimingRow("add", "cpu", "contiguous", 4096, 2e-5, 0.0, 0.0, "GB/s"),
        TimingRow("softmax", "cpu", "rows", 4096, 3e-5, 0.0, 1.0, "GB/s"),  # a newer version's
    ]
    core.timing.write_csv(rows, tmp_path / "odd.csv")
    panel = make_panel()

    panel.load_csv(tmp_path / "odd.csv")

    assert [panel.tabs.tabText(i) for i in range(panel.tabs.count())] == ["add", "softmax"]
    assert drawn(panel) == {CurveKey("add", "cpu", "contiguous"): ([4096], [2e-5])}
    panel.set_quantity(THROUGHPUT)
    assert drawn(panel) == {} and panel.plot._empty_text.isVisible()
    panel.show_experiment("softmax")
    assert drawn(panel) == {CurveKey("softmax", "cpu", "rows"): ([4096], [1.0])}


def test_opening_then_saving_keeps_the_files_metadata(make_panel, tmp_path):
    rows = [TimingRow("sum", "cpu", "strided dim", 1024, 1e-5, 0.0, 0.4, "GB/s")]
    metadata = {"preset": "full (warmup 2, repeats 7)", "date": "2026-01-02T00:00:00+00:00"}
    core.timing.write_csv(rows, tmp_path / "other-machine.csv", metadata)
    panel = make_panel()

    panel.load_csv(tmp_path / "other-machine.csv")
    panel.save_csv(tmp_path / "again.csv")

    assert core.timing.read_csv(tmp_path / "again.csv") == (rows, metadata)


def test_a_redraw_that_fails_does_not_stall_the_sweep(qtbot, make_panel, monkeypatch):
    monkeypatch.setattr(app.sweep_worker, "CATCH_UP_WAIT_S", 600)  # a stall would show
    panel = make_panel()
    choose(panel, ["add"], largest=2**14)
    monkeypatch.setattr("app.widgets.timing_panel.settle_paint", lambda: 1 / 0)

    with (
        qtbot.capture_exceptions() as exceptions,
        qtbot.waitSignal(panel.sweep_finished, timeout=30_000),
    ):
        qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)

    assert len(panel.results.run_rows()) == 4  # each row waited for, none for 5 s
    assert exceptions and all(kind is ZeroDivisionError for kind, _, _ in exceptions)


def test_a_call_that_outlasts_closing_the_window_does_not_abort(qtbot, monkeypatch):
    import time

    import app.widgets.timing_panel as timing_panel

    def one_long_call(*args, progress=None, cancelled=None, **kwargs):
        yield TimingRow("add", "cpu", "contiguous", 1024, 1e-5, 0.0, 1.0, "GB/s")
        time.sleep(1.0)  # a call that never asks whether it was cancelled

    monkeypatch.setattr(app.sweep_worker.core.timing, "run_experiments", one_long_call)
    monkeypatch.setattr(timing_panel, "CANCEL_WAIT_MS", 50)
    import shiboken6

    from app.main_window import MainWindow

    window = MainWindow()
    window.show()
    panel = window.timing_panel
    panel.run_sweep()
    qtbot.waitUntil(lambda: len(panel.results.run_rows()) == 1, timeout=5_000)

    window.close()
    (sweep,) = timing_panel._outliving
    shiboken6.delete(window)  # with the panel: Qt aborts if a running thread goes with it

    assert sweep.isRunning()
    qtbot.waitUntil(lambda: not timing_panel._outliving, timeout=5_000)


def test_an_empty_plot_shows_only_its_hint(make_panel):
    plot = make_panel().plot

    assert plot._empty_text.isVisible() and not plot._hover_text.isVisible()
    assert not plot.legend.isVisible()
    assert not plot.plot_item.getAxis("left").isVisible()
    assert plot.readout.text() == "Hover a point for its exact values."


def test_a_theme_switch_recolours_the_crossover_lines(
    qtbot, make_panel, reference_folder, restore_theme
):
    from app.theme import ACCENT_COLORS, apply_theme

    panel = make_panel(runs=core.timing.recorded_runs(reference_folder))
    panel.show_rows(
        TimingRow("add", "cpu", "contiguous", size, seconds, 0.0, 1.0, "GB/s")
        for size, seconds in ((2**10, 1e-5), (2**14, 1e-4))
    )
    panel.show_experiment("add")
    assert panel.plot.crossover_lines

    apply_theme(qtbot_app(), "dark")

    qtbot.waitUntil(
        lambda: panel.plot.crossover_lines[0].pen.color().name() == ACCENT_COLORS["dark"],
        timeout=2_000,
    )
    assert panel.plot.crossover_lines[0].label.textItem.toPlainText() == (
        "cuda contiguous (recorded) faster →"
    )


def qtbot_app():
    from PySide6.QtWidgets import QApplication

    return QApplication.instance()


@pytest.mark.parametrize(("low", "high"), [(11e-6, 18e-6), (1.1e-3, 1.4e-3), (1e-6, 1e-3)])
def test_the_value_axis_labels_at_least_two_ticks_on_any_range(low, high):
    from app.widgets.timing_plot import LogValueAxis

    axis = LogValueAxis("left", str)
    ticks = [
        value
        for _, values in axis.logTickValues(math.log10(low), math.log10(high), 400, [])
        for value in values
    ]

    assert len(ticks) >= 2
    assert all(math.log10(low) <= tick <= math.log10(high) for tick in ticks)


def test_the_size_axis_labels_powers_of_two_exactly():
    from app.widgets.timing_plot import PowerOfTwoAxis

    axis = PowerOfTwoAxis("bottom")
    ((spacing, values),) = axis.logTickValues(math.log10(2**10), math.log10(2**24), 400, [])

    assert axis.logTickStrings(values, 1, spacing) == [
        f"2{p}" for p in ["¹⁰", "¹²", "¹⁴", "¹⁶", "¹⁸", "²⁰", "²²", "²⁴"]
    ]
    axis.plain = True
    assert axis.logTickStrings(values[:2], 1, spacing) == ["1,024", "4,096"]


def test_a_docked_timing_panel_is_not_floated_again_on_the_next_run(qtbot, make_window, tmp_path):
    from PySide6.QtCore import QSettings

    path = str(tmp_path / "settings.ini")
    first = make_window(settings=QSettings(path, QSettings.Format.IniFormat))
    first.docks["timing"].toggleViewAction().trigger()
    first.docks["timing"].setFloating(False)  # the user docks it
    first.close()

    second = make_window(settings=QSettings(path, QSettings.Format.IniFormat))
    dock = second.docks["timing"]
    if not dock.isVisible():
        dock.toggleViewAction().trigger()

    assert dock.isVisible() and not dock.isFloating()


def test_a_layout_keeps_its_line_style_whichever_curves_are_drawn(make_panel):
    panel = make_panel()
    panel.show_rows([TimingRow("add", "cpu", "transposed", 1024, 1e-5, 0.0, 1.0, "GB/s")])

    (item,) = panel.plot.curve_items.values()

    assert item.opts["pen"].style() == Qt.PenStyle.DashLine  # add's second layout
    assert item.opts["symbol"] == "t"
