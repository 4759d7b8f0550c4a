"""``stridescope bench``: the timing experiments in the terminal, with no Qt.

Progress is a single carriage-return line written here rather than with tqdm or rich:
the measurements differ in length by orders of magnitude (matmul at n=64 against
n=4096), so a bar's rate and ETA would mislead, and a counter is a few lines.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TextIO

import core
import core.timing

COLUMNS = ("experiment", "device", "layout", "size", "median", "spread", "throughput")
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
    """The rows as a text table with a header and aligned columns."""
    cells = [COLUMNS] + [
        (
            row.experiment,
            row.device,
            row.layout,
            str(row.size),
            format_seconds(row.median_s),
            format_seconds(row.spread_s),
            format_throughput(row),
        )
        for row in rows
    ]
    widths = [max(len(line[column]) for line in cells) for column in range(len(COLUMNS))]
    return "\n".join(
        "  ".join(
            cell.rjust(width) if name in NUMERIC else cell.ljust(width)
            for name, cell, width in zip(COLUMNS, line, widths, strict=True)
        ).rstrip()
        for line in cells
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
) -> int:
    """Run the experiments, print skips and the table; returns the exit status.

    0 when at least one measurement ran; 1 when none could (every device unavailable),
    so a script asking for ``--device cuda`` on a machine without one notices. The CSV
    is written only when there are rows. ``out`` and ``err`` default to the current
    ``sys.stdout`` and ``sys.stderr``.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    rows: list[core.timing.TimingRow] = []
    skipped: list[core.timing.Skipped] = []
    progress = ProgressLine(err)
    stream = core.timing.run_experiments(experiments, devices, preset, progress=progress)
    try:
        for result in stream:
            if isinstance(result, core.timing.Skipped):
                skipped.append(result)
                print(result, file=out, flush=True)
            else:
                rows.append(result)
    except KeyboardInterrupt:
        progress(0, 0, "")
        print("interrupted: the table holds the measurements made so far", file=err)
    if not rows:
        print("nothing was measured", file=err)
        return 1
    print(format_table(rows), file=out)
    if csv_path is not None:
        metadata = core.timing.run_metadata(preset)
        if skipped:
            metadata["skipped"] = "; ".join(str(skip) for skip in skipped)
        core.timing.write_csv(rows, csv_path, metadata)
    return 0
