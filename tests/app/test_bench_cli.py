"""``stridescope bench``: progress on stderr, an aligned table on stdout, no QApplication."""

import dataclasses
import io
import subprocess
import sys
import types
from pathlib import Path

import pytest

import core
import core.timing
import core.timing.reference
from app.bench_command import ProgressLine, format_seconds, format_table, record, run_bench
from app.cli import main
from core.timing import TimingRow
from tests.core.test_timing import metadata_for

REPO_ROOT = Path(__file__).resolve().parents[2]
HEADER = ["experiment", "device", "layout", "size", "median", "spread", "throughput"]


def cuda_reason() -> str | None:
    return core.cuda.unavailable_reason()


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


no_cuda = pytest.mark.skipif(cuda_reason() is None, reason="a cuda backend is present")


def test_bench_runs_as_a_module_where_qt_is_not_installed(tmp_path):
    """A GPU machine records with ``PYTHONPATH=. python3 -m app.cli bench``, without PySide6."""
    script = (
        "import runpy, sys\n"
        "class NoQt:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph'):\n"
        "            raise ImportError(f'No module named {name!r}')\n"
        "sys.meta_path.insert(0, NoQt())\n"
        "sys.argv = ['app/cli.py', 'bench', '--quick', '--experiment', 'sum',\n"
        f"            '--device', 'cpu,cuda', '--reference', {str(tmp_path)!r}]\n"
        "runpy.run_module('app.cli', run_name='__main__')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO_ROOT, timeout=120
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith("sum ")


@no_cuda
def test_unavailable_cuda_is_one_line_and_the_rest_runs(capsys):
    assert main(["bench", "--quick", "--device", "cpu,cuda", "--experiment", "sum"]) == 0

    reason_line, header, *rows = capsys.readouterr().out.splitlines()
    assert reason_line == f"cuda: unavailable: {cuda_reason()}"
    assert header.split() == HEADER
    assert {row.split()[1] for row in rows} == {"cpu"}


@no_cuda
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


def test_table_adds_a_source_column_when_some_rows_were_recorded():
    rows = [
        TimingRow("sum", "cpu", "strided dim", 1024, 1.2e-5, 1e-6, 0.34, "GB/s"),
        TimingRow("sum", "cuda", "strided dim", 1024, 2e-5, 5e-7, 0.2, "GB/s", "recorded: G, D"),
    ]

    assert format_table(rows).splitlines() == [
        "experiment  device  layout       size  median  spread  throughput  source",
        "sum         cpu     strided dim  1024   12 µs    1 µs   0.34 GB/s  measured",
        "sum         cuda    strided dim  1024   20 µs  500 ns   0.20 GB/s  recorded: G, D",
    ]


LABEL = "recorded: NVIDIA H100 80GB HBM3, 2026-11-27"


def recorded_fixture(directory: Path) -> Path:
    """A recorded run in ``directory``: sum on cuda at every full size, and a cpu row."""
    rows = [
        TimingRow("sum", "cuda", layout, size, 1e-5 * size / 1024, 1e-7, 0.5, "GB/s")
        for size in core.timing.FULL.sizes_for("sum")
        for layout in ("contiguous dim", "strided dim")
    ]
    rows += [
        TimingRow("sum", "cpu", "strided dim", 1024, 9e-6, 1e-7, 0.45, "GB/s"),
        TimingRow("add", "cuda", "contiguous", 1024, 9e-6, 1e-7, 1.36, "GB/s"),
    ]
    return core.timing.record_reference(directory, rows, metadata_for())


@no_cuda
def test_recorded_rows_stand_in_for_unavailable_cuda_after_the_measured_ones(tmp_path, capsys):
    recorded_fixture(tmp_path / "timings")
    csv_path = tmp_path / "bench.csv"
    arguments = ["--device", "cpu,cuda", "--experiment", "sum", "--reference"]

    status = main(
        ["bench", "--quick", *arguments, str(tmp_path / "timings"), "--csv", str(csv_path)]
    )

    assert status == 0
    reason, said, header, *lines = capsys.readouterr().out.splitlines()
    assert reason == f"cuda: unavailable: {cuda_reason()}"
    assert said == (
        f"cuda: not measured here; the rows marked '{LABEL}' were measured on that GPU "
        "(CuPy 14.2.0, CUDA 12.8)"
    )
    assert header.split() == [*HEADER, "source"]
    sizes = core.timing.QUICK.sizes_for("sum")
    expected = [
        (device, layout, size)
        for device in ("cpu", "cuda")
        for size in sizes
        for layout in ("contiguous dim", "strided dim")
    ]
    assert [
        (line.split()[1], " ".join(line.split()[2:4]), int(line.split()[4])) for line in lines
    ] == expected  # the quick sizes only, the recorded cpu and add rows left out
    assert all(line.endswith("  measured") for line in lines[: len(lines) // 2])
    assert all(line.endswith(f"  {LABEL}") for line in lines[len(lines) // 2 :])
    rows, metadata = core.timing.read_csv(csv_path)
    assert [(row.device, row.source) for row in rows] == [
        ("cpu", "measured") if device == "cpu" else ("cuda", LABEL) for device, _, _ in expected
    ]
    assert rows[-1].median_s == 1e-5 * sizes[-1] / 1024  # the recorded value, exactly
    assert metadata["recorded"] == LABEL


@no_cuda
def test_recorded_rows_stand_in_only_for_a_device_asked_for(tmp_path, capsys):
    recorded_fixture(tmp_path)

    assert main(["bench", "--quick", "--experiment", "sum", "--reference", str(tmp_path)]) == 0

    out = capsys.readouterr().out
    assert "recorded" not in out and "cuda" not in out


@no_cuda
def test_recorded_rows_alone_still_mean_nothing_was_measured(tmp_path, capsys):
    recorded_fixture(tmp_path)

    status = main(
        [
            "bench",
            "--quick",
            "--device",
            "cuda",
            "--experiment",
            "sum",
            "--reference",
            str(tmp_path),
        ]
    )

    assert status == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines()[1].startswith("cuda: not measured here; the rows marked")
    assert len(captured.out.splitlines()) == 3 + 2 * len(core.timing.QUICK.sizes_for("sum"))
    assert captured.err.endswith("nothing was measured here\n")


def test_warmup_and_repeats_override_the_preset(tmp_path):
    path = tmp_path / "bench.csv"

    arguments = ["--experiment", "matmul", "--warmup", "0", "--repeats", "3", "--csv", str(path)]
    assert main(["bench", "--quick", *arguments]) == 0

    assert core.timing.read_csv(path)[1]["preset"] == "quick (warmup 0, repeats 3)"


@pytest.mark.parametrize("arguments", [["--repeats", "0"], ["--warmup", "-1"], ["--repeats", "x"]])
def test_bad_counts_are_usage_errors(arguments, capsys):
    with pytest.raises(SystemExit) as exited:
        main(["bench", "--quick", *arguments])

    assert exited.value.code == 2
    assert "expected an integer of" in capsys.readouterr().err


def test_reference_must_be_a_directory(tmp_path, capsys):
    assert main(["bench", "--quick", "--reference", str(tmp_path / "absent")]) == 2

    assert capsys.readouterr().err == (
        f"stridescope: error: --reference {tmp_path / 'absent'}: not a directory\n"
    )


def test_record_needs_cuda_among_the_devices(tmp_path, capsys):
    assert main(["bench", "--quick", "--record", str(tmp_path)]) == 2

    assert capsys.readouterr().err == (
        "stridescope: error: --record needs a cuda device: add --device cpu,cuda\n"
    )


@no_cuda
def test_record_without_a_working_cuda_fails_before_measuring(tmp_path, capsys):
    assert main(["bench", "--quick", "--device", "cpu,cuda", "--record", str(tmp_path)]) == 2

    captured = capsys.readouterr()
    assert (
        captured.err
        == f"stridescope: error: --record needs a working cuda device: {cuda_reason()}\n"
    )
    assert captured.out == "" and list(tmp_path.iterdir()) == []


class FakeCupy:
    """What the recorded metadata reads from cupy."""

    __version__ = "14.2.0"
    cuda = types.SimpleNamespace(
        runtime=types.SimpleNamespace(
            getDeviceProperties=lambda index: {"name": b"Fake GPU"},
            driverGetVersion=lambda: 13000,
            runtimeGetVersion=lambda: 12080,
        )
    )


def test_record_writes_the_rows_with_the_metadata_of_their_gpu(tmp_path, monkeypatch):
    monkeypatch.setattr(
        core.timing.reference,
        "backend_for",
        lambda where: types.SimpleNamespace(xp=FakeCupy, index=0),
    )
    rows = [
        TimingRow("sum", "cpu", "strided dim", 1024, 9e-6, 1e-7, 0.45, "GB/s"),
        TimingRow("sum", "cuda", "strided dim", 1024, 8e-6, 1e-7, 0.512, "GB/s"),
    ]
    preset = dataclasses.replace(core.timing.FULL, warmup=3, repeats=25)
    command = "stridescope bench --device cpu,cuda --record timings"
    out = io.StringIO()

    path = record(rows, preset, tmp_path / "timings", command, out, io.StringIO())

    (run,) = core.timing.recorded_runs(tmp_path / "timings")
    assert run.rows == tuple(rows)
    assert (run.metadata.gpu, run.metadata.cuda_runtime, run.metadata.command) == (
        "Fake GPU",
        "12.8",
        command,
    )
    assert run.metadata.preset == "full (warmup 3, repeats 25)"
    assert out.getvalue() == f"recorded 2 rows on Fake GPU: {path}\n"


@no_cuda
def test_a_run_without_cuda_rows_is_not_recorded(tmp_path):
    err = io.StringIO()
    preset = dataclasses.replace(core.timing.QUICK, sizes={"sum": (16,)}, warmup=0, repeats=1)

    status = run_bench(
        ["sum"],
        ["cpu", "cuda"],
        preset,
        out=io.StringIO(),
        err=err,
        reference_directory=tmp_path / "no-runs",
        record_directory=tmp_path / "timings",
    )

    assert status == 0
    assert err.getvalue().endswith("not recorded: nothing was measured on a cuda device\n")
    assert not (tmp_path / "timings").exists()


@no_cuda
def test_a_broken_recorded_run_is_reported_and_the_measured_rows_still_print(tmp_path, capsys):
    (tmp_path / "broken.csv").write_text("a,b\n1,2\n")

    arguments = ["--device", "cpu,cuda", "--experiment", "sum", "--reference", str(tmp_path)]
    assert main(["bench", "--quick", *arguments]) == 0

    captured = capsys.readouterr()
    assert f"recorded runs: {tmp_path / 'broken.csv'}: not a timing table" in captured.err
    header, *lines = captured.out.splitlines()[1:]
    assert header.split() == HEADER
    assert {line.split()[1] for line in lines} == {"cpu"}
