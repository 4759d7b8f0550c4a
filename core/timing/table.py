"""Timing tables as CSV: ``# key: value`` metadata lines, a header of TimingRow's fields, rows."""

from __future__ import annotations

import csv
import datetime
import platform
from collections.abc import Iterable, Mapping
from dataclasses import astuple, fields
from pathlib import Path

import numpy as np

from core.device import device
from core.timing.experiments import Preset
from core.timing.runner import TimingRow

FIELDS = tuple(field.name for field in fields(TimingRow))
METADATA_PREFIX = "# "


def preset_text(preset: Preset) -> str:
    """How a table's metadata names ``preset``: ``quick (warmup 1, repeats 5)``."""
    return f"{preset.name} (warmup {preset.warmup}, repeats {preset.repeats})"


def run_metadata(preset: Preset) -> dict[str, str]:
    """What a reader needs to judge a table: preset, date, machine, Python and NumPy."""
    return {
        "preset": preset_text(preset),
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()} {platform.processor() or platform.system()}".strip(),
        "python": platform.python_version(),
        "numpy": np.__version__,
    }


def write_csv(
    rows: Iterable[TimingRow], path: Path | str, metadata: Mapping[str, str] | None = None
) -> None:
    """Write ``rows`` to ``path``; floats as ``repr`` so reading them back is exact.

    A throughput of None is an empty cell.

    Raises
    ------
    ValueError
        For a metadata key or value that would not fit its one ``# key: value`` line.
    """
    metadata = dict(metadata or {})
    for key, value in metadata.items():
        if "\n" in key + value or "\r" in key + value or ": " in key:
            raise ValueError(f"metadata {key!r}: {value!r} does not fit on one line")
    with open(path, "w", newline="", encoding="utf-8") as file:
        for key, value in metadata.items():
            file.write(f"{METADATA_PREFIX}{key}: {value}\n")
        writer = csv.writer(file)
        writer.writerow(FIELDS)
        for row in rows:
            writer.writerow(_cell(value) for value in astuple(row))


def _cell(value: object) -> object:
    """A CSV cell: floats as ``repr`` (exact when read back), None as empty."""
    if value is None:
        return ""
    return repr(value) if isinstance(value, float) else value


def read_csv(path: Path | str) -> tuple[list[TimingRow], dict[str, str]]:
    """The rows and metadata :func:`write_csv` wrote to ``path``; blank lines are skipped.

    Raises
    ------
    ValueError
        When the header is not TimingRow's fields, or a row is not a measurement: the
        wrong number of cells, a size that is not a whole number of at least 1, a time or
        throughput that is not a number, or a device that is not one. The message names
        the file and line.
    """
    metadata: dict[str, str] = {}
    with open(path, newline="", encoding="utf-8") as file:
        lines = iter(file)
        header, header_line = "", 0
        for number, line in enumerate(lines, start=1):
            if not line.startswith(METADATA_PREFIX):
                header, header_line = line, number
                break
            key, _, value = line.removeprefix(METADATA_PREFIX).rstrip("\n").partition(": ")
            metadata[key] = value
        if next(csv.reader([header]), None) != list(FIELDS):
            raise ValueError(f"{path}: not a timing table (expected the header {','.join(FIELDS)})")
        reader = csv.reader(lines)
        rows = [_row(cells, f"{path}:{header_line + reader.line_num}") for cells in reader if cells]
    return rows, metadata


def _row(cells: list[str], where: str) -> TimingRow:
    """The TimingRow of one CSV line's ``cells``; ``where`` (``path:line``) names it in errors."""
    if len(cells) != len(FIELDS):
        raise ValueError(f"{where}: {len(cells)} cells, expected {len(FIELDS)}")
    experiment, where_measured, layout, size, median, spread, throughput, unit, source = cells
    try:
        row = TimingRow(
            experiment,
            where_measured,
            layout,
            int(size),
            float(median),
            float(spread),
            float(throughput) if throughput else None,
            unit,
            source,
        )
    except ValueError as error:
        raise ValueError(f"{where}: {error}") from None
    try:
        device(where_measured)
    except RuntimeError:
        raise ValueError(
            f"{where}: {where_measured!r} is not a device (cpu, cuda or cuda:N)"
        ) from None
    if row.size < 1:
        raise ValueError(f"{where}: size {row.size}: a size is at least 1")
    return row
