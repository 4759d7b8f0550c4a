"""``stridescope bench``: progress on stderr, an aligned table on stdout, no QApplication."""

import io
import subprocess
import sys
from pathlib import Path

import pytest

import core
import core.timing
from app.bench_command import ProgressLine, format_seconds, format_table
from app.cli import main
from core.backends import backend_for

REPO_ROOT = Path(__file__).resolve().parents[2]
HEADER = ["experiment", "device", "layout", "size", "median", "spread", "throughput"]


def cuda_reason() -> str | None:
    try:
        backend_for(core.device("cuda"))
    except RuntimeError as error:
        return str(error)
    return None


def test_bench_runs_without_importing_qt():
    """bench needs no QApplication, nor even Qt: it starts without paying for the import."""
    script = (
        "import sys; from app.cli import main; "
        "status = main(['bench', '--quick', '--experiment', 'sum']); "
        "loaded = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph')]; "
        "print(status, loaded)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO_ROOT, timeout=120
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "0 []"


def test_quick_add_prints_an_aligned_table(capsys):
    assert main(["bench", "--quick", "--experiment", "add"]) == 0

    captured = capsys.readouterr()
    header, *lines = captured.out.splitlines()
    assert header.split() == HEADER
    sizes = core.timing.QUICK.sizes_for("add")
    assert len(lines) == 2 * len(sizes)
    for line, (size, layout) in zip(
        lines, [(s, layout) for s in sizes for layout in ("contiguous", "transposed")], strict=True
    ):
        experiment, device, row_layout, row_size, *_ = line.split()
        assert (experiment, device, row_layout, int(row_size)) == ("add", "cpu", layout, size)
        assert line.endswith(" GB/s")
        assert len(line) == len(lines[0])  # every column aligned to the same widths
    assert header.index("size") + len("size") == lines[0].index(str(sizes[0])) + len(
        str(sizes[0])
    )  # numbers right-aligned under their heading
    assert f"[0/{len(lines)}] add cpu contiguous {sizes[0]}" in captured.err


def test_csv_file_holds_the_printed_rows(tmp_path, capsys):
    path = tmp_path / "bench.csv"

    assert (
        main(["bench", "--quick", "--experiment", "matmul", "contiguous", "--csv", str(path)]) == 0
    )

    rows, metadata = core.timing.read_csv(path)
    printed = capsys.readouterr().out.splitlines()[1:]
    assert [(row.experiment, row.layout, row.size) for row in rows] == [
        tuple(line.split()[i] if i != 3 else int(line.split()[3]) for i in (0, 2, 3))
        for line in printed
    ]
    assert metadata["preset"] == "quick (warmup 2, repeats 5)"
    no_work = [row for row in rows if row.throughput is None]
    assert {(row.experiment, row.layout) for row in no_work} == {("contiguous", "contiguous")}


@pytest.mark.skipif(cuda_reason() is None, reason="a cuda backend is present")
def test_unavailable_cuda_is_one_line_and_the_rest_runs(capsys):
    assert main(["bench", "--quick", "--device", "cpu,cuda", "--experiment", "sum"]) == 0

    reason_line, header, *rows = capsys.readouterr().out.splitlines()
    assert reason_line == f"cuda: unavailable: {cuda_reason()}"
    assert header.split() == HEADER
    assert {row.split()[1] for row in rows} == {"cpu"}


@pytest.mark.skipif(cuda_reason() is None, reason="a cuda backend is present")
def test_nothing_measured_exits_1_after_the_reason(tmp_path, capsys):
    path = tmp_path / "none.csv"

    assert main(["bench", "--quick", "--device", "cuda", "--csv", str(path)]) == 1

    captured = capsys.readouterr()
    assert captured.out == f"cuda: unavailable: {cuda_reason()}\n"
    assert captured.err.endswith("nothing was measured\n")
    assert not path.exists()


def test_transfer_on_cpu_is_reported_as_skipped(capsys):
    assert main(["bench", "--quick", "--experiment", "transfer"]) == 1

    assert capsys.readouterr().out == (
        "transfer on cpu: skipped: it times copies between the host and a cuda device\n"
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["--experiment", "add", "fft"],
            "--experiment: unknown experiment 'fft' "
            "(choose from add, matmul, contiguous, transfer, sum)",
        ),
        (["--device", "cpu,tpu"], "--device 'tpu': not a device (use cpu, cuda or cuda:N)"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(arguments, message, capsys):
    assert main(["bench", "--quick", *arguments]) == 2

    captured = capsys.readouterr()
    assert captured.err == f"stridescope: error: {message}\n"
    assert captured.out == ""


def test_format_seconds_picks_the_unit():
    assert [format_seconds(s) for s in (2.5, 0.0123, 4.56e-6, 7.8e-8)] == [
        "2.5 s",
        "12.3 ms",
        "4.56 µs",
        "78 ns",
    ]


def test_table_marks_a_call_that_moves_nothing():
    rows = [
        core.timing.TimingRow("contiguous", "cpu", "contiguous", 1024, 4e-7, 1e-7, None, "GB/s"),
        core.timing.TimingRow("matmul", "cpu", "contiguous", 4096, 1.25, 0.01, 110.0, "GFLOP/s"),
    ]

    assert format_table(rows).splitlines() == [
        "experiment  device  layout      size  median  spread   throughput",
        "contiguous  cpu     contiguous  1024  400 ns  100 ns      no work",
        "matmul      cpu     contiguous  4096  1.25 s   10 ms  110 GFLOP/s",
    ]


def test_progress_line_rewrites_itself_and_clears_at_the_end():
    stream = io.StringIO()
    progress = ProgressLine(stream)

    progress(0, 2, "add cpu contiguous 1024")
    progress(1, 2, "sum 4")
    progress(2, 2, "")

    assert stream.getvalue() == (
        "\r[0/2] add cpu contiguous 1024"
        "\r[1/2] sum 4                  "
        "\r                             \r"
    )
