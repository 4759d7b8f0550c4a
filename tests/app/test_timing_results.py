"""app.timing_results: curves, comparisons and crossovers of timing rows, without Qt."""

import pytest

import core.timing
from app import i18n
from app.timing_results import (
    EXPERIMENT_DESCRIPTIONS,
    THROUGHPUT,
    TIME,
    CurveKey,
    TimingResults,
    banner_text,
    compare,
    experiment_description,
    point_description,
    reference_rows,
    size_description,
    size_text,
)
from core.timing import RecordedRun, TimingRow
from tests.core.recorded_metadata import FIXTURE_GPU, metadata_for

FIXTURE_LABEL = "recorded: Fixture GPU (test data), 2026-01-02"


def row(size, seconds, device="cpu", layout="contiguous", experiment="add", source="measured"):
    """A row of ``experiment`` whose throughput follows from 12 bytes per element."""
    throughput = 12 * size / seconds / 1e9 if seconds else None
    return TimingRow(experiment, device, layout, size, seconds, 0.0, throughput, "GB/s", source)


def results_of(*rows):
    results = TimingResults()
    for each in rows:
        results.add(each)
    return results


def test_curves_group_rows_by_device_layout_and_source_sorted_by_size():
    results = results_of(
        row(4096, 3e-5, layout="transposed"),
        row(4096, 2e-5),
        row(1024, 1e-5),
        row(1024, 4e-5, device="cuda:0"),
    )

    curves = results.curves("add")

    assert [curve.key for curve in curves] == [
        CurveKey("add", "cpu", "contiguous"),
        CurveKey("add", "cpu", "transposed"),
        CurveKey("add", "cuda:0", "contiguous"),
    ]
    assert curves[0].points(TIME) == ([1024, 4096], [1e-5, 2e-5])
    assert curves[0].points(THROUGHPUT) == (
        [1024, 4096],
        [12 * 1024 / 1e-5 / 1e9, 12 * 4096 / 2e-5 / 1e9],
    )


def test_a_row_measured_again_replaces_the_old_point():
    results = results_of(row(1024, 1e-5), row(1024, 2e-5))

    assert results.curves("add")[0].points(TIME) == ([1024], [2e-5])


def test_a_call_with_no_work_has_no_throughput_point():
    no_work = TimingRow("contiguous", "cpu", "contiguous", 1024, 1e-7, 0.0, None, "GB/s")
    curve = results_of(no_work).curves("contiguous")[0]

    assert curve.points(TIME) == ([1024], [1e-7])
    assert curve.points(THROUGHPUT) == ([], [])


def test_the_reference_sits_beside_the_run_and_survives_clearing_it():
    recorded = row(1024, 4e-5, device="cuda:0", source=FIXTURE_LABEL)
    results = results_of(row(1024, 1e-5))
    results.set_reference([recorded])

    assert results.rows() == [row(1024, 1e-5), recorded]
    results.clear()
    assert results.rows() == [recorded] and results.run_rows() == []
    assert results.curves("add")[0].key.recorded
    results.set_reference([])
    assert results.experiments() == []


def test_experiments_follow_the_libraries_order():
    results = results_of(row(64, 1e-4, experiment="matmul"), row(1024, 1e-5, experiment="sum"))
    results.add(row(1024, 1e-5))

    assert results.experiments() == ["add", "matmul", "sum"]


def test_the_crossover_is_interpolated_in_log_log():
    """log(gpu/cpu) goes from log 4 to -log 4 between 2^10 and 2^12: it is 0 at 2^11."""
    results = results_of(
        row(2**10, 1e-5), row(2**12, 4e-5), row(2**10, 4e-5, "cuda:0"), row(2**12, 1e-5, "cuda:0")
    )

    (comparison,) = results.comparisons("add")

    assert comparison.crossover == pytest.approx(2**11, rel=1e-12)
    assert comparison.gpu_faster == (False, True)
    assert comparison.describe() == (
        "contiguous: cuda:0 overtakes cpu at about elements = 2^11.0 ≈ 2,048 (between 2¹⁰ and 2¹²)"
    )


def test_curves_on_different_sizes_cross_where_their_drawn_lines_do():
    """CPU 10 µs at 2^10, slope 1 (points at 2^10 and 2^14 only); GPU a flat 30 µs with
    a point at 2^12 too. The lines cross where the CPU reaches 30 µs: at 3 × 2^10."""
    results = results_of(row(2**10, 1e-5), row(2**14, 1.6e-4))
    for size in (2**10, 2**12, 2**14):
        results.add(row(size, 3e-5, "cuda:0"))

    (comparison,) = results.comparisons("add")

    assert comparison.sizes == (2**10, 2**12, 2**14)
    assert comparison.gpu_faster == (False, True, True)
    assert comparison.crossover == pytest.approx(3 * 2**10, rel=1e-12)


def test_values_a_log_axis_cannot_draw_are_left_out():
    results = results_of(row(2**10, 0.0), row(2**12, float("nan")), row(2**14, 1e-5))
    results.add(row(2**10, 1e-6, "cuda:0"))
    results.add(row(2**14, 1e-6, "cuda:0"))

    cpu = results.curves("add")[0]

    assert cpu.points(TIME) == ([2**14], [1e-5])
    (comparison,) = results.comparisons("add")
    assert comparison.sizes == (2**14,) and comparison.gpu_faster == (True,)


def test_the_crossover_uses_the_last_overtaking_and_only_common_sizes():
    cpu = results_of(*(row(2**p, t) for p, t in [(10, 1.0), (12, 1.0), (14, 1.0), (16, 1.0)]))
    for p, t in [(10, 2.0), (12, 0.5), (14, 2.0), (16, 0.5), (18, 0.1)]:
        cpu.add(row(2**p, t, "cuda:0"))

    (comparison,) = cpu.comparisons("add")

    assert comparison.sizes == (2**10, 2**12, 2**14, 2**16)
    assert comparison.crossover == pytest.approx(2**15, rel=1e-12)


@pytest.mark.parametrize(
    ("gpu_times", "text"),
    [
        ((0.5, 0.5), "contiguous: cuda:0 is faster than cpu at every size from 2¹⁰ to 2¹²"),
        ((2.0, 2.0), "contiguous: cpu is faster than cuda:0 at every size from 2¹⁰ to 2¹²"),
        (
            (0.5, 2.0),
            "contiguous: cuda:0 and cpu trade places from 2¹⁰ to 2¹²; cpu is faster at 2¹²",
        ),
    ],
)
def test_no_crossover_when_one_device_wins_throughout_or_the_gpu_ends_slower(gpu_times, text):
    results = results_of(row(2**10, 1.0), row(2**12, 1.0))
    for size, seconds in zip((2**10, 2**12), gpu_times, strict=True):
        results.add(row(size, seconds, "cuda:0"))

    (comparison,) = results.comparisons("add")

    assert comparison.crossover is None
    assert comparison.describe() == text


def test_a_gpu_curve_pairs_with_the_cpu_curve_of_its_layout_measured_first():
    recorded = FIXTURE_LABEL
    results = results_of(
        row(2**10, 1.0, layout="transposed"),
        row(2**10, 3.0, layout="transposed", source=recorded),
        row(2**10, 2.0, "cuda:0", layout="transposed", source=recorded),
        row(2**10, 2.0, "cuda:0"),  # no cpu contiguous curve: no comparison
    )

    (comparison,) = results.comparisons("add")

    assert (comparison.cpu, comparison.gpu.layout) == (
        CurveKey("add", "cpu", "transposed"),
        "transposed",
    )
    assert comparison.gpu_faster == (False,)


def test_curves_without_common_sizes_are_not_compared():
    results = results_of(row(2**10, 1.0), row(2**12, 1.0, "cuda:0"))

    assert results.comparisons("add") == []
    assert compare(results.curves("add")[0], results.curves("add")[1]) is None


def fixture_run(date="2026-01-02T03:04:05+00:00", devices=("cuda:0",)):
    return RecordedRun(
        metadata_for(FIXTURE_GPU, date), tuple(row(1024, 1e-5, device) for device in devices)
    )


def test_reference_rows_come_from_the_newest_run_with_gpu_rows_marked():
    newest_cpu_only = fixture_run("2026-02-01T00:00:00+00:00", devices=("cpu",))
    older = fixture_run()

    run, rows = reference_rows([newest_cpu_only, older], {"cuda"})

    assert run is older
    assert rows == [row(1024, 1e-5, "cuda:0", source=FIXTURE_LABEL)]
    assert reference_rows([newest_cpu_only], {"cuda"}) is None


def test_the_banner_says_why_and_what_stands_in():
    reason = "CuPy is not installed: pip install 'stridescope[gpu]'"

    assert banner_text(reason, None) == (
        f"No GPU to time here: {reason}. No recorded GPU run ships with this version, so only "
        "CPU curves show."
    )
    assert banner_text(reason, fixture_run()).endswith(
        "The GPU curves were recorded on Fixture GPU (test data) on 2026-01-02 (CuPy 14.2.0, "
        "host AMD EPYC 9654 96-Core Processor (16 cores))."
    )


@pytest.mark.parametrize(
    ("size", "text"), [(1024, "2¹⁰"), (2**24, "2²⁴"), (1, "2⁰"), (1000, "1,000"), (2.5, "2")]
)
def test_size_text(size, text):
    assert size_text(size) == text


def test_size_descriptions_name_the_shape():
    assert size_description("add", 2**18) == "2¹⁸ = 262,144 elements (512×512)"
    assert size_description("add", 2**11) == "2¹¹ = 2,048 elements (32×64)"
    assert size_description("matmul", 256) == "n = 256 (256×256 matrices)"
    assert size_description("transfer", 2**10) == "2¹⁰ = 1,024 elements"


def test_point_description_gives_exact_values():
    text = point_description(row(2**18, 1.5e-4, layout="transposed"))

    assert text.splitlines() == [
        "add · cpu · transposed",
        "2¹⁸ = 262,144 elements (512×512)",
        "median 150 µs, spread (IQR) 0 ns",
        f"{12 * 2**18 / 1.5e-4 / 1e9:.2f} GB/s",
    ]


@pytest.fixture
def korean():
    """Route ``app.i18n.translate`` through a table of (context, source) → text for one test."""
    table = {}
    i18n.install_translator(lambda context, text: table.get((context, text), text), "ko")
    yield table
    i18n.install_translator(None, "en")


def test_every_experiment_description_is_marked_for_translation():
    descriptions = {experiment.description for experiment in core.timing.EXPERIMENTS.values()}

    assert set(EXPERIMENT_DESCRIPTIONS) == descriptions


def test_descriptions_and_sentences_are_translated_whole_with_their_values(korean):
    korean["TimingResults", "a + b, contiguous against transposed b"] = "a + b: 연속 b와 전치된 b"
    korean["TimingResults", "{curve} (recorded)"] = "{curve} (기록)"
    korean[
        "TimingResults",
        "{layout}: {gpu} overtakes {cpu} at about elements = {power} ≈ {size} "
        "(between {below} and {above})",
    ] = "{layout}: 원소 수가 약 {power} ≈ {size}일 때부터 {gpu} 쪽이 {cpu}보다 빠릅니다"
    recorded = FIXTURE_LABEL
    results = results_of(row(2**10, 1e-5), row(2**12, 4e-5))
    results.set_reference(
        [row(2**10, 4e-5, "cuda:0", source=recorded), row(2**12, 1e-5, "cuda:0", source=recorded)]
    )

    (comparison,) = results.comparisons("add")

    assert experiment_description("add") == "a + b: 연속 b와 전치된 b"
    assert experiment_description("newer") == "newer"
    assert comparison.gpu.label == "cuda:0 contiguous (기록)"
    assert comparison.describe() == (
        "contiguous: 원소 수가 약 2^11.0 ≈ 2,048일 때부터 cuda:0 (기록) 쪽이 cpu보다 빠릅니다"
    )


def test_the_hover_readout_translates_no_work_but_not_the_rows_names(korean):
    korean["TimingResults", "no work"] = "작업 없음"
    korean["TimingResults", "{count} elements"] = "원소 {count}개"
    korean["TimingResults", "median {median}, spread (IQR) {spread}"] = (
        "중앙값 {median}, 산포 {spread}"
    )

    text = point_description(row(1000, 0.0, experiment="sum", layout="strided dim"))

    assert text.splitlines() == [
        "sum · cpu · strided dim",
        "원소 1,000개 (25×40)",
        "중앙값 0 ns, 산포 0 ns",
        "작업 없음",
    ]
