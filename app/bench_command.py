"""``stridescope bench``: the timing experiments in the terminal, with no Qt.

Progress is a single carriage-return line written here rather than with tqdm or rich:
the measurements differ in length by orders of magnitude (matmul at n=64 against
n=4096), so a bar's rate and ETA would mislead, and a counter is a few lines.

A device asked for that cannot run here is filled in from the recorded reference runs
(``core.timing.recorded_runs``) when one has its rows, each marked with where and when
it was recorded. ``--record DIR`` writes this run as such a reference.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TextIO

import core
import core.timing

COLUMNS = ("experiment", "device", "layout", "size", "median", "spread", "throughput")
SOURCE_COLUMN = "source"
# Right-aligned: the numbers, so their digits line up.
NUMERIC = {"size", "median", "spread", "throughput"}


def parse_devices(spec: str) -> tuple[str, ...]:
    """The devices in a comma-separated ``--device`` value.

    Raises
    ------
    ValueError
        For an entry that is not a device (one line, for the command line).
    """
    devices = []
    for token in spec.split(","):
        try:
            devices.append(str(core.device(token.strip())))
        except RuntimeError:
            message = f"--device {token.strip()!r}: not a device (use cpu, cuda or cuda:N)"
            raise ValueError(message) from None
    return tuple(devices)


def check_experiment_names(names: Sequence[str] | None) -> tuple[str, ...]:
    """The ``--experiment`` names (all experiments when None), each checked."""
    if not names:
        return tuple(core.timing.EXPERIMENTS)
    try:
        core.timing.check_experiments(names)
    except ValueError as error:
        raise ValueError(f"--experiment: {error}") from None
    return tuple(dict.fromkeys(names))


def format_seconds(seconds: float) -> str:
    """``seconds`` with three significant digits in s, ms, µs or ns."""
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def format_throughput(row: core.timing.TimingRow) -> str:
    """The row's throughput with its unit; ``no work`` for a call that moves nothing."""
    if row.throughput is None:
        return "no work"
    digits = 2 if row.throughput < 100 else 0
    return f"{row.throughput:.{digits}f} {row.unit}"


def format_table(rows: Iterable[core.timing.TimingRow]) -> str:
    """The rows as a text table with a header and aligned columns.

    A ``source`` column is added when some row was not measured by this run.
    """
    rows = list(rows)
    columns = COLUMNS
    if any(row.source != core.timing.MEASURED for row in rows):
        columns += (SOURCE_COLUMN,)
    cells = [columns] + [
        (
            row.experiment,
            row.device,
            row.layout,
            str(row.size),
            format_seconds(row.median_s),
            format_seconds(row.spread_s),
            format_throughput(row),
            row.source,
        )[: len(columns)]
        for row in rows
    ]
    widths = [max(len(line[column]) for line in cells) for column in range(len(columns))]
    return "\n".join(
        "  ".join(
            cell.rjust(width) if name in NUMERIC else cell.ljust(width)
            for name, cell, width in zip(columns, line, widths, strict=True)
        ).rstrip()
        for line in cells
    )


def recorded_rows(
    unavailable: Iterable[str],
    experiments: Sequence[str],
    preset: core.timing.Preset,
    runs: Iterable[core.timing.RecordedRun],
) -> list[tuple[core.timing.RecordedRun, list[core.timing.TimingRow]]]:
    """Each run's rows that stand in for the ``unavailable`` devices' ones, marked.

    A recorded row stands in when its device has the type of an unavailable one, and its
    experiment and size are among those asked for (the quick sizes are a subset of the
    full ones, which the reference runs record). Runs with no such row are left out.
    """
    types = {core.device(where).type for where in unavailable}
    chosen = []
    for run in runs:
        rows = [
            row
            for row in run.marked_rows()
            if core.device(row.device).type in types
            and row.experiment in experiments
            and row.size in preset.sizes_for(row.experiment)
        ]
        if rows:
            chosen.append((run, rows))
    return chosen


def describe_recorded(where: str, run: core.timing.RecordedRun) -> str:
    """The one line saying that ``run``'s rows for ``where`` were recorded, not measured."""
    metadata = run.metadata
    return (
        f"{where}: not measured here; the rows marked '{run.label}' were measured on that "
        f"GPU (CuPy {metadata.cupy}, CUDA {metadata.cuda_runtime})"
    )


class ProgressLine:
    """``[done/total] what`` on one line of ``stream``, rewritten in place, cleared at the end."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.width = 0

    def __call__(self, done: int, total: int, label: str) -> None:
        text = f"[{done}/{total}] {label}" if label else ""
        self.stream.write("\r" + text.ljust(self.width))
        if not label:
            self.stream.write("\r")
        self.width = max(self.width, len(text))
        self.stream.flush()


def run_bench(
    experiments: Sequence[str],
    devices: Sequence[str],
    preset: core.timing.Preset,
    csv_path: Path | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    reference_directory: Path | None = None,
    record_directory: Path | None = None,
    command: str = "stridescope bench",
) -> int:
    """Run the experiments, print skips and the table; returns the exit status.

    0 when at least one measurement ran; 1 when none could (every device unavailable),
    so a script asking for ``--device cuda`` on a machine without one notices. Rows of
    recorded runs (from ``reference_directory``, by default the shipped ones) stand in
    for an unavailable device after the measured rows, each marked with its source. The
    CSV holds the printed table and is written only when there is one.

    ``record_directory``: write the measured rows there as a recorded reference run, with
    the metadata of the first cuda device in ``devices`` and ``command``; not written
    when interrupted. ``out`` and ``err`` default to the current ``sys.stdout`` and
    ``sys.stderr``.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    rows: list[core.timing.TimingRow] = []
    skipped: list[core.timing.Skipped] = []
    progress = ProgressLine(err)
    stream = core.timing.run_experiments(experiments, devices, preset, progress=progress)
    interrupted = False
    try:
        for result in stream:
            if isinstance(result, core.timing.Skipped):
                skipped.append(result)
                print(result, file=out, flush=True)
            else:
                rows.append(result)
    except KeyboardInterrupt:
        interrupted = True
        progress(0, 0, "")
        print("interrupted: the table holds the measurements made so far", file=err)
    measured = list(rows)
    unavailable = [skip.device for skip in skipped if skip.experiment is None]
    shown_runs = []
    for run, stand_ins in stand_in_rows(unavailable, experiments, preset, reference_directory, err):
        print(describe_recorded(stand_ins[0].device, run), file=out)
        shown_runs.append(run)
        rows.extend(stand_ins)
    if rows:
        print(format_table(rows), file=out)
    if not measured:
        print("nothing was measured" + (" here" if rows else ""), file=err)
    if rows and csv_path is not None:
        metadata = core.timing.run_metadata(preset)
        if skipped:
            metadata["skipped"] = "; ".join(str(skip) for skip in skipped)
        if shown_runs:
            metadata["recorded"] = "; ".join(run.label for run in shown_runs)
        core.timing.write_csv(rows, csv_path, metadata)
    if record_directory is not None:
        if interrupted:
            print("not recorded: the run was interrupted", file=err)
        else:
            record(measured, preset, record_directory, command, out, err)
    return 0 if measured else 1


def stand_in_rows(
    unavailable: Sequence[str],
    experiments: Sequence[str],
    preset: core.timing.Preset,
    directory: Path | None,
    err: TextIO,
) -> list[tuple[core.timing.RecordedRun, list[core.timing.TimingRow]]]:
    """:func:`recorded_rows` from the runs in ``directory`` (None: the shipped ones).

    A file there that is not a recorded run is reported on ``err`` and none are used.
    """
    if not unavailable:
        return []
    try:
        runs = core.timing.recorded_runs(directory)
    except ValueError as error:
        print(f"recorded runs: {error}", file=err)
        return []
    return recorded_rows(unavailable, experiments, preset, runs)


def record(
    rows: Sequence[core.timing.TimingRow],
    preset: core.timing.Preset,
    directory: Path,
    command: str,
    out: TextIO,
    err: TextIO,
) -> Path | None:
    """Write ``rows`` as a recorded run in ``directory`` and say where; returns the path.

    The metadata describes the device of the first cuda row. Without one nothing is
    written (a recorded run is for comparing against a GPU): ``err`` says so and None is
    returned.
    """
    cuda = next((row.device for row in rows if core.device(row.device).type == "cuda"), None)
    if cuda is None:
        print("not recorded: nothing was measured on a cuda device", file=err)
        return None
    metadata = core.timing.collect_metadata(core.device(cuda), preset, command)
    path = core.timing.record_reference(directory, rows, metadata)
    print(f"recorded {len(rows)} rows on {metadata.gpu}: {path}", file=out)
    return path
