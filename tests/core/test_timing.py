"""core.timing: honest timing structure, exact throughput formulas, NumPy-correct work."""

import dataclasses
import itertools

import numpy as np
import pytest

import core
import core.timing as timing
from core.backends import backend_for
from core.timing import FULL, QUICK, Skipped, Timing, TimingRow

CUDA_REASON = None
try:
    backend_for(core.device("cuda"))
except RuntimeError as error:
    CUDA_REASON = str(error)

needs_no_cuda = pytest.mark.skipif(CUDA_REASON is None, reason="a cuda backend is present")

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
    assert str(raised.value) == CUDA_REASON


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
    np.testing.assert_allclose(result.numpy(), case.reference(), rtol=1e-5, atol=1e-5)


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
    ]
    metadata = {"preset": "quick (warmup 2, repeats 5)", "note": "a, b: c"}
    path = tmp_path / "table.csv"

    timing.write_csv(rows, path, metadata)

    assert timing.read_csv(path) == (rows, metadata)
    assert path.read_text().splitlines()[2] == (
        "experiment,device,layout,size,median_s,spread_s,throughput,unit"
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
