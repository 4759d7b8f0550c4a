"""core.timing: honest timing structure, exact throughput formulas, NumPy-correct work."""

import dataclasses
import datetime
import itertools
import time
import types

import numpy as np
import pytest

import core
import core.timing as timing
import core.timing.reference as reference
from core.timing import FULL, QUICK, RecordedRun, Skipped, Timing, TimingRow
from tests.core.recorded_metadata import metadata_for

CUDA_REASON = core.cuda.unavailable_reason()

needs_no_cuda = pytest.mark.skipif(CUDA_REASON is None, reason="a cuda backend is present")


def needs_cuda(test):
    """Mark ``test`` as a GPU test, skipped with the engine's reason where cuda cannot run."""
    skip = pytest.mark.skipif(CUDA_REASON is not None, reason=f"needs cuda: {CUDA_REASON}")
    return pytest.mark.gpu(skip(test))


TINY = dataclasses.replace(
    QUICK,
    sizes={name: (2**4, 2**6) for name in timing.EXPERIMENTS} | {"matmul": (8, 16)},
    warmup=0,
    repeats=1,
)


class CountingWork:
    """A callable that counts its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> None:
        self.calls += 1


def test_time_callable_runs_warmup_then_records_only_the_repeats():
    work = CountingWork()

    result = timing.time_callable(work, "cpu", warmup=3, repeats=4)

    assert work.calls == 7
    assert len(result.samples) == 4
    assert all(sample >= 0 for sample in result.samples)
    assert result.min_s <= result.median_s <= result.max_s


def test_warmup_calls_are_not_timed(monkeypatch):
    """A clock that sees only timed calls: warm-up ones bypass it."""
    seen = []

    def counting_clock(work):
        seen.append(work)
        work()
        return 1.0

    monkeypatch.setattr(timing.clock, "perf_counter_clock", counting_clock)
    work = CountingWork()

    assert timing.time_callable(work, core.device("cpu"), warmup=2, repeats=3).samples == (1.0,) * 3
    assert (len(seen), work.calls) == (3, 5)


def test_median_and_interquartile_spread_of_known_samples():
    result = Timing((5.0, 1.0, 3.0, 2.0, 4.0))

    assert result.median_s == 3.0
    assert result.spread_s == 2.0  # percentiles 75 and 25: 4.0 - 2.0
    assert (result.min_s, result.max_s) == (1.0, 5.0)
    assert Timing((0.5,)).spread_s == 0.0


@pytest.mark.parametrize(("warmup", "repeats"), [(-1, 3), (0, 0)])
def test_time_callable_rejects_bad_counts(warmup, repeats):
    with pytest.raises(ValueError, match="warmup|repeats"):
        timing.time_callable(CountingWork(), "cpu", warmup=warmup, repeats=repeats)


@needs_no_cuda
def test_cuda_cannot_be_timed_and_says_the_engines_reason():
    cuda = core.device("cuda")

    assert timing.unavailable_reason(cuda) == CUDA_REASON
    assert timing.unavailable_reason(core.device("cpu")) is None
    with pytest.raises(RuntimeError) as raised:
        timing.time_callable(CountingWork(), cuda)
    assert str(raised.value) == f"device 'cuda' is not available: {CUDA_REASON}"


def test_throughput_units():
    assert timing.gigabytes_per_second(3e9, 1.5) == 2.0
    assert timing.gigaflops_per_second(2 * 1000**3, 0.5) == 4.0


@pytest.mark.parametrize(
    ("experiment", "layout", "size", "amount", "unit"),
    [
        ("add", "contiguous", 2**10, 3 * 2**10 * 4, "GB/s"),
        ("add", "transposed", 2**11, 3 * 2**11 * 4, "GB/s"),
        ("matmul", "contiguous", 64, 2 * 64**3, "GFLOP/s"),
        ("contiguous", "transposed", 2**10, 2 * 2**10 * 4, "GB/s"),
        ("contiguous", "contiguous", 2**10, 0, "GB/s"),
        ("sum", "contiguous dim", 2**10, 2**10 * 4, "GB/s"),
        ("sum", "strided dim", 2**10, 2**10 * 4, "GB/s"),
    ],
)
def test_bytes_and_flops_per_call(experiment, layout, size, amount, unit):
    case = timing.EXPERIMENTS[experiment].build(layout, size, core.device("cpu"))

    assert (case.amount, case.unit) == (amount, unit)


CASES = [
    (name, layout, size)
    for name, experiment in timing.EXPERIMENTS.items()
    if experiment.needs_device_type is None
    for layout, size in itertools.product(experiment.layouts, TINY.sizes_for(name))
]


@pytest.mark.parametrize(("experiment", "layout", "size"), CASES)
def test_each_experiments_work_matches_numpy(experiment, layout, size):
    case = timing.EXPERIMENTS[experiment].build(layout, size, core.device("cpu"))

    result = case.work()

    assert isinstance(result, core.Tensor)
    assert all(tensor.device == core.device("cpu") for tensor in case.inputs)
    np.testing.assert_allclose(result.cpu().numpy(), case.reference(), rtol=1e-5, atol=1e-5)


def test_transfer_cannot_be_built_for_the_cpu():
    with pytest.raises(RuntimeError, match="copies between the host and a cuda device, not 'cpu'"):
        timing.EXPERIMENTS["transfer"].build("host to device", 2**10, core.device("cpu"))


GPU_CASES = [
    (name, layout, size)
    for name, experiment in timing.EXPERIMENTS.items()
    for layout, size in itertools.product(experiment.layouts, TINY.sizes_for(name))
]


@needs_cuda
@pytest.mark.parametrize(("experiment", "layout", "size"), GPU_CASES)
def test_each_experiments_work_on_cuda_matches_numpy(experiment, layout, size):
    cuda = core.device("cuda")
    case = timing.EXPERIMENTS[experiment].build(layout, size, cuda)

    result = case.work()

    host_to_device = layout == "host to device"
    assert [tensor.device.type for tensor in case.inputs] == (
        ["cpu"] if host_to_device else ["cuda"] * len(case.inputs)
    )
    assert result.device.type == ("cpu" if layout == "device to host" else "cuda")
    # cuBLAS may sum a matmul's products in another order than NumPy.
    np.testing.assert_allclose(result.cpu().numpy(), case.reference(), rtol=1e-4, atol=1e-4)


@needs_cuda
@pytest.mark.parametrize("layout", ["host to device", "device to host"])
def test_a_transfer_moves_4_bytes_per_element(layout):
    case = timing.EXPERIMENTS["transfer"].build(layout, 2**10, core.device("cuda"))

    assert (case.amount, case.unit) == (2**10 * 4, "GB/s")


@needs_cuda
def test_a_quick_sweep_on_cuda_yields_rows_timed_by_events():
    rows = list(timing.run_experiments(["add", "transfer"], ["cuda"], TINY))

    assert [(row.experiment, row.layout, row.size) for row in rows] == [
        (name, layout, size)
        for name in ("add", "transfer")
        for size in TINY.sizes_for(name)
        for layout in timing.EXPERIMENTS[name].layouts
    ]
    assert all(row.device == "cuda" and row.median_s > 0 for row in rows)


@needs_cuda
def test_metadata_of_a_real_gpu():
    metadata = timing.collect_metadata(core.device("cuda"), TINY, "stridescope bench")

    assert metadata.gpu and metadata.gpu == metadata.gpu.strip()
    for version in (metadata.cuda_driver, metadata.cuda_runtime):
        assert version.count(".") == 1 and all(part.isdigit() for part in version.split("."))


@pytest.mark.parametrize(("elements", "strided"), [(2**10, True), (2**11, False), (2**12, True)])
def test_layouts_are_what_they_say(elements, strided):
    where = core.device("cpu")
    rows, cols = timing.square_ish(elements)
    layout = "transposed" if strided else "contiguous"
    a, b = timing.EXPERIMENTS["add"].build(layout, elements, where).inputs

    assert rows * cols == elements and rows <= cols <= 2 * rows
    assert a.shape == b.shape == (rows, cols)
    assert a.is_contiguous()
    assert b.is_contiguous() is not strided
    assert b.stride() == ((1, rows) if strided else (cols, 1))


def test_contiguous_of_a_contiguous_tensor_is_a_no_op():
    case = timing.EXPERIMENTS["contiguous"].build("contiguous", 2**10, core.device("cpu"))

    assert case.work() is case.inputs[0]


def test_square_ish_shapes():
    assert [timing.square_ish(2**power) for power in (10, 11, 24)] == [
        (32, 32),
        (32, 64),
        (4096, 4096),
    ]
    assert timing.square_ish(12) == (3, 4)


def test_presets_sweep_the_issues_ranges():
    assert FULL.sizes_for("add") == tuple(2**power for power in range(10, 25, 2))
    assert FULL.sizes_for("matmul") == (64, 128, 256, 512, 1024, 2048, 4096)
    assert max(QUICK.sizes_for("add")) <= 2**18
    assert QUICK.repeats < FULL.repeats


def test_quick_sweep_yields_every_experiment_layout_and_size_in_order():
    results = list(timing.run_experiments(devices=["cpu"], preset=TINY))

    assert results[0] == Skipped(
        "transfer", "cpu", "it times copies between the host and a cuda device"
    )
    rows = results[1:]
    assert all(isinstance(row, TimingRow) for row in rows)
    expected = [
        (name, layout, size)
        for name, experiment in timing.EXPERIMENTS.items()
        if name != "transfer"
        for size in TINY.sizes_for(name)
        for layout in experiment.layouts
    ]
    assert [(row.experiment, row.layout, row.size) for row in rows] == expected
    for row in rows:
        assert row.device == "cpu" and row.median_s > 0 and row.spread_s == 0.0
        no_work = (row.experiment, row.layout) == ("contiguous", "contiguous")
        assert row.throughput is None if no_work else row.throughput > 0


def test_throughput_is_amount_over_median(monkeypatch):
    monkeypatch.setattr(timing.clock, "perf_counter_clock", lambda work: 0.002)
    (add, matmul) = (
        row
        for row in timing.run_experiments(["add", "matmul"], ["cpu"], TINY)
        if (row.experiment, row.size, row.layout)
        in {("add", 16, "contiguous"), ("matmul", 8, "contiguous")}
    )

    assert add.throughput == pytest.approx(3 * 2**4 * 4 / 0.002 / 1e9, rel=1e-12)
    assert matmul.throughput == pytest.approx(2 * 8**3 / 0.002 / 1e9, rel=1e-12)
    assert (add.median_s, matmul.unit) == (0.002, "GFLOP/s")


def test_progress_counts_each_measurement_and_ends_at_the_total():
    calls = []

    rows = list(timing.run_experiments(["add"], ["cpu"], TINY, progress=lambda *a: calls.append(a)))

    assert [done for done, _, _ in calls] == [0, 1, 2, 3, 4]
    assert {total for _, total, _ in calls} == {4} == {len(rows)}
    assert calls[1][2] == "add cpu transposed 16"
    assert calls[-1][2] == ""


def test_cancel_stops_between_measurements():
    rows: list = []
    stream = timing.run_experiments(["add", "sum"], ["cpu"], TINY, cancelled=lambda: len(rows) >= 3)

    for row in stream:  # stops by itself after 3 of the 8
        rows.append(row)

    assert len(rows) == 3


def test_cancel_interrupts_a_measurement_between_its_calls():
    """A long measurement stops at the next call: the interrupted row is dropped."""
    work = CountingWork()
    asked = []

    def cancelled() -> bool:
        asked.append(work.calls)
        return work.calls >= 3

    with pytest.raises(timing.TimingCancelledError):
        timing.time_callable(work, "cpu", warmup=2, repeats=10, cancelled=cancelled)

    assert work.calls == 3 and asked == [0, 1, 2, 3]


def test_cancel_during_a_measurement_ends_the_stream_without_its_row():
    calls = []
    preset = dataclasses.replace(TINY, repeats=50)

    def cancelled() -> bool:
        calls.append(None)
        return len(calls) > 60  # inside the second measurement

    rows = list(timing.run_experiments(["add"], ["cpu"], preset, cancelled=cancelled))

    assert [(row.layout, row.size) for row in rows] == [("contiguous", 16)]


def test_sweep_inputs_are_float32_whatever_the_default_dtype():
    previous = core.get_default_dtype()
    core.set_default_dtype(core.float64)
    try:
        a, b = timing.EXPERIMENTS["add"].build("contiguous", 16, core.device("cpu")).inputs
    finally:
        core.set_default_dtype(previous)

    assert a.dtype == b.dtype == core.float32


def test_matmul_sizes_count_the_side_of_square_matrices():
    matmul, add = timing.EXPERIMENTS["matmul"], timing.EXPERIMENTS["add"]

    assert (matmul.size_name, matmul.elements(64)) == ("n", 4096)
    assert (add.size_name, add.elements(64)) == ("elements", 64)


def test_a_preset_within_a_range_keeps_the_sizes_whose_inputs_fit():
    limited = FULL.within(2**12, 2**16)

    assert limited.sizes_for("add") == (2**12, 2**14, 2**16)
    assert limited.sizes_for("matmul") == (64, 128, 256)  # 4096 to 65536 elements
    assert (limited.warmup, limited.repeats) == (FULL.warmup, FULL.repeats)
    assert FULL.within(2**30, 2**31).sizes_for("add") == ()


@needs_no_cuda
def test_unavailable_device_is_reported_and_the_rest_runs():
    results = list(timing.run_experiments(["matmul"], ["cuda", "cpu"], TINY))

    assert results[0] == Skipped(None, "cuda", CUDA_REASON)
    assert str(results[0]) == f"cuda: unavailable: {CUDA_REASON}"
    assert [(row.device, row.size) for row in results[1:]] == [("cpu", 8), ("cpu", 16)]


def test_bad_names_and_devices_raise_at_the_call():
    with pytest.raises(ValueError, match=r"unknown experiment 'fft' \(choose from add, matmul"):
        timing.run_experiments(["fft"])
    with pytest.raises(RuntimeError, match="Expected one of cpu, cuda"):
        timing.run_experiments(["add"], ["tpu"])


def test_csv_round_trip_is_exact(tmp_path):
    rows = [
        TimingRow(
            "add", "cpu", "transposed", 2**24, 0.1 + 0.2, 1e-7 / 3, 12.345678901234567, "GB/s"
        ),
        TimingRow("contiguous", "cpu", "contiguous", 1024, 3.5e-7, 0.0, None, "GB/s"),
        TimingRow("sum", "cpu", "strided dim", 4096, 2e-5, 1e-6, 0.8, "GB/s"),
        TimingRow("sum", "cuda", "strided dim", 4096, 2e-6, 0.0, 8.0, "GB/s", "recorded: X, 1"),
    ]
    metadata = {"preset": "quick (warmup 2, repeats 5)", "note": "a, b: c"}
    path = tmp_path / "table.csv"

    timing.write_csv(rows, path, metadata)

    assert timing.read_csv(path) == (rows, metadata)
    assert path.read_text().splitlines()[2] == (
        "experiment,device,layout,size,median_s,spread_s,throughput,unit,source"
    )


def test_csv_of_a_real_run_reads_back(tmp_path):
    rows = [r for r in timing.run_experiments(["contiguous"], ["cpu"], TINY)]
    path = tmp_path / "run.csv"

    timing.write_csv(rows, path, timing.run_metadata(TINY))

    read_rows, metadata = timing.read_csv(path)
    assert read_rows == rows
    assert set(metadata) == {"preset", "date", "machine", "python", "numpy"}


def test_reading_a_file_that_is_not_a_table_fails(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n")

    with pytest.raises(ValueError, match="not a timing table"):
        timing.read_csv(path)


HEADER = "experiment,device,layout,size,median_s,spread_s,throughput,unit,source"


def test_blank_lines_in_a_table_are_skipped(tmp_path):
    path = tmp_path / "edited.csv"
    path.write_text(
        f"# preset: quick\n{HEADER}\n\nadd,cpu,contiguous,1024,1e-05,0.0,,GB/s,measured\n\n"
    )

    rows, metadata = timing.read_csv(path)

    assert rows == [TimingRow("add", "cpu", "contiguous", 1024, 1e-05, 0.0, None, "GB/s")]
    assert metadata == {"preset": "quick"}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("add,cpu,contiguous,1024", "4 cells, expected 9"),
        ("add,cpu,contiguous,many,1e-5,0,1,GB/s,measured", "invalid literal for int()"),
        ("add,cpu,contiguous,1024,fast,0,1,GB/s,measured", "could not convert string to float"),
        (
            "add,tpu,contiguous,1024,1e-5,0,1,GB/s,measured",
            "'tpu' is not a device (cpu, cuda or cuda:N)",
        ),
        ("add,cpu,contiguous,0,1e-5,0,1,GB/s,measured", "size 0: a size is at least 1"),
    ],
)
def test_a_row_that_is_not_a_measurement_is_refused_with_its_line(tmp_path, line, message):
    path = tmp_path / "edited.csv"
    good = "add,cpu,contiguous,1024,1e-05,0.0,,GB/s,measured"
    path.write_text(f"# preset: quick\n{HEADER}\n{good}\n\n{line}\n")

    with pytest.raises(ValueError, match=f"^{path}:5: ") as error:
        timing.read_csv(path)

    assert message in str(error.value)


@pytest.mark.parametrize(
    ("key", "value"), [("note", "two\nlines"), ("note", "a\rb"), ("key: with colon", "x")]
)
def test_csv_metadata_must_fit_one_line(tmp_path, key, value):
    path = tmp_path / "table.csv"

    with pytest.raises(ValueError, match="does not fit on one line"):
        timing.write_csv([], path, {key: value})
    assert not path.exists()


# --- the CUDA event clock, against a fake cupy module -------------------------------------


class FakeCupy:
    """The part of ``cupy`` the event clock and the metadata use, on a fake GPU timeline.

    Events read ``gpu_ms`` when recorded; ``work(ms)`` makes a callable that advances it,
    as a kernel would. Every call is appended to ``log``.
    """

    __version__ = "14.2.0"

    def __init__(self) -> None:
        self.gpu_ms = 100.0
        self.log: list[tuple] = []
        self.events_made = 0
        fake = self

        class Event:
            def __init__(self) -> None:
                fake.events_made += 1
                self.name = "start" if fake.events_made % 2 else "end"  # made in pairs
                fake.log.append(("Event()",))
                self.stamp_ms: float | None = None

            def record(self) -> None:
                fake.log.append(("record", self.name))
                self.stamp_ms = fake.gpu_ms

            def synchronize(self) -> None:
                fake.log.append(("synchronize", self.name))

        class Device:
            def __init__(self, index: int | None = None) -> None:
                self.index = index

            def __enter__(self) -> "Device":
                fake.log.append(("enter device", self.index))
                return self

            def __exit__(self, *exc: object) -> None:
                fake.log.append(("exit device", self.index))

            def synchronize(self) -> None:
                fake.log.append(("synchronize device", self.index))

        def get_elapsed_time(start: Event, end: Event) -> float:
            fake.log.append(("elapsed",))
            return end.stamp_ms - start.stamp_ms

        runtime = types.SimpleNamespace(
            getDeviceProperties=lambda index: {"name": f"Fake GPU {index}".encode()},
            driverGetVersion=lambda: 13000,
            runtimeGetVersion=lambda: 12080,
        )
        self.cuda = types.SimpleNamespace(
            Event=Event, Device=Device, get_elapsed_time=get_elapsed_time, runtime=runtime
        )

    def work(self, ms: float):
        def run() -> None:
            self.log.append(("work",))
            self.gpu_ms += ms

        return run


@pytest.fixture
def no_wall_clock(monkeypatch):
    """Fail any read of the host's clocks: GPU timing must come from events alone."""

    def forbidden(*args):
        raise AssertionError("a wall clock was read to time GPU work")

    for name in ("perf_counter", "perf_counter_ns", "monotonic", "monotonic_ns", "time"):
        monkeypatch.setattr(time, name, forbidden)


def test_cuda_event_clock_synchronises_then_records_events_around_the_work(no_wall_clock):
    cupy = FakeCupy()
    clock = timing.cuda_event_clock(cupy)

    seconds = clock(cupy.work(2.5))

    assert seconds == 2.5 / 1000
    assert cupy.log == [
        ("enter device", None),
        ("Event()",),
        ("Event()",),
        ("synchronize device", None),  # earlier launches finish before the start event
        ("record", "start"),
        ("work",),
        ("record", "end"),
        ("synchronize", "end"),  # the end event has happened before it is read
        ("elapsed",),
        ("exit device", None),
    ]


def test_cuda_event_clock_uses_the_devices_index(no_wall_clock):
    cupy = FakeCupy()

    timing.cuda_event_clock(cupy, 1)(cupy.work(1.0))

    assert {entry[1] for entry in cupy.log if "device" in entry[0]} == {1}


def test_clock_for_cuda_times_with_events_from_the_backends_module(monkeypatch, no_wall_clock):
    cupy = FakeCupy()
    asked = []

    def fake_backend_for(where):
        asked.append(where)
        return types.SimpleNamespace(xp=cupy, index=where.index)

    monkeypatch.setattr(timing.clock, "backend_for", fake_backend_for)
    work = cupy.work(1.5)

    result = timing.time_callable(work, "cuda:1", warmup=2, repeats=3)

    assert result.samples == (1.5 / 1000,) * 3
    assert asked == [core.device("cuda:1")]
    assert [entry[0] for entry in cupy.log].count("work") == 5  # warm-up runs untimed
    assert [entry[0] for entry in cupy.log].count("elapsed") == 3
    assert timing.unavailable_reason(core.device("cuda")) is None


# --- recorded reference runs ----------------------------------------------------------------


RECORDED_ROWS = (
    TimingRow("add", "cpu", "contiguous", 1024, 1.25e-5, 1e-6, 0.98304, "GB/s"),
    TimingRow("add", "cuda", "contiguous", 1024, 1.5e-5, 2.5e-7, 0.8192, "GB/s"),
    TimingRow("contiguous", "cuda", "contiguous", 1024, 3e-6, 0.0, None, "GB/s"),
    TimingRow("matmul", "cuda", "contiguous", 4096, 0.003, 1e-5, 45812.984490666664, "GFLOP/s"),
)


def test_a_recorded_run_round_trips_exactly(tmp_path):
    metadata = metadata_for()

    path = timing.record_reference(tmp_path / "timings", RECORDED_ROWS, metadata)

    assert path == tmp_path / "timings" / "2026-11-27-nvidia-h100-80gb-hbm3.csv"
    assert timing.load_recorded_run(path) == RecordedRun(metadata, RECORDED_ROWS)
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left
    assert timing.read_csv(path)[1] == metadata.as_mapping()  # the plain table reader reads it


def test_a_recorded_runs_label_marks_its_rows():
    run = RecordedRun(metadata_for(), RECORDED_ROWS)

    assert run.label == "recorded: NVIDIA H100 80GB HBM3, 2026-11-27"
    assert [row.source for row in RECORDED_ROWS] == ["measured"] * 4
    assert run.marked_rows() == tuple(
        dataclasses.replace(row, source="recorded: NVIDIA H100 80GB HBM3, 2026-11-27")
        for row in RECORDED_ROWS
    )


def test_recorded_runs_lists_the_csv_files_newest_first(tmp_path):
    older = metadata_for("NVIDIA H200", "2026-10-01T08:00:00+00:00")
    newer = metadata_for("NVIDIA H100 80GB HBM3", "2026-11-27T10:15:00+00:00")
    timing.record_reference(tmp_path, RECORDED_ROWS[:1], newer)
    timing.record_reference(tmp_path, RECORDED_ROWS[1:], older)
    (tmp_path / "README.md").write_text("not a run")
    (tmp_path / ".2026-12-01-x-abc.tmp").write_text("an interrupted recording")

    runs = timing.recorded_runs(tmp_path)

    assert [run.metadata for run in runs] == [newer, older]
    assert [len(run.rows) for run in runs] == [1, 3]
    assert timing.recorded_runs(str(tmp_path)) == runs


def test_no_directory_holds_no_recorded_runs(tmp_path):
    assert timing.recorded_runs(tmp_path / "absent") == ()


def test_a_table_without_run_metadata_is_not_a_recorded_run(tmp_path):
    path = tmp_path / "plain.csv"
    timing.write_csv(RECORDED_ROWS, path, {"preset": "full", "gpu": "X"})

    with pytest.raises(ValueError, match=r"plain.csv: not a recorded run: no cuda_driver, "):
        timing.load_recorded_run(path)
    with pytest.raises(ValueError, match="not a recorded run"):
        timing.recorded_runs(tmp_path)


def test_an_interrupted_recording_leaves_the_previous_file(tmp_path, monkeypatch):
    metadata = metadata_for()
    path = timing.record_reference(tmp_path, RECORDED_ROWS, metadata)
    before = path.read_bytes()

    def failing_write(rows, target, metadata):
        with open(target, "w") as file:
            file.write("# gpu: half a file")
        raise KeyboardInterrupt

    monkeypatch.setattr(reference, "write_csv", failing_write)
    with pytest.raises(KeyboardInterrupt):
        timing.record_reference(tmp_path, RECORDED_ROWS[:1], metadata)

    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_a_recorded_run_needs_rows(tmp_path):
    with pytest.raises(ValueError, match="at least one row"):
        timing.record_reference(tmp_path, [], metadata_for())


def test_collect_metadata_reads_the_gpu_from_the_backends_module(monkeypatch):
    cupy = FakeCupy()
    monkeypatch.setattr(
        reference,
        "backend_for",
        lambda where: types.SimpleNamespace(xp=cupy, index=where.index or 0),
    )
    moment = datetime.datetime(2026, 11, 27, 10, 15, tzinfo=datetime.UTC)
    preset = dataclasses.replace(FULL, warmup=3, repeats=25)

    metadata = timing.collect_metadata(core.device("cuda"), preset, "stridescope bench", moment)

    assert (metadata.gpu, metadata.cuda_driver, metadata.cuda_runtime, metadata.cupy) == (
        "Fake GPU 0",
        "13.0",
        "12.8",
        "14.2.0",
    )
    assert (metadata.numpy, metadata.date) == (np.__version__, "2026-11-27T10:15:00+00:00")
    assert (metadata.preset, metadata.command) == (
        "full (warmup 3, repeats 25)",
        "stridescope bench",
    )
    assert metadata.host_cpu.endswith(" cores)")
    assert metadata.stridescope.startswith("0.")
    assert timing.collect_metadata(core.device("cuda:1"), preset, "", moment).gpu == "Fake GPU 1"


def test_cuda_versions_decode_as_major_dot_minor():
    assert [reference.cuda_version(v) for v in (12040, 12080, 13000, 11020)] == [
        "12.4",
        "12.8",
        "13.0",
        "11.2",
    ]


def test_shipped_recorded_runs_are_valid_and_hold_cuda_rows():
    """resources/timings/ ships only real recordings: each loads and has GPU rows."""
    assert timing.shipped_directory().is_dir()
    for run in timing.recorded_runs():
        assert run.metadata.gpu and run.metadata.command.startswith("stridescope bench")
        assert any(row.device.startswith("cuda") for row in run.rows)
