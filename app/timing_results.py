"""The timing panel's model, without Qt: rows measured here or recorded elsewhere, grouped
into one curve per experiment, device, layout and source, and where a GPU curve
overtakes the CPU's."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

import core
import core.timing
from app.bench_command import format_seconds, format_throughput
from app.i18n import QT_TRANSLATE_NOOP, translate
from core.timing import MEASURED, RecordedRun, TimingRow

TIME, THROUGHPUT = "time", "throughput"
QUANTITIES = (TIME, THROUGHPUT)
SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
EXPERIMENT_DESCRIPTIONS = (
    QT_TRANSLATE_NOOP("TimingResults", "a + b, contiguous against transposed b"),
    QT_TRANSLATE_NOOP("TimingResults", "a @ b of n×n matrices"),
    QT_TRANSLATE_NOOP("TimingResults", "x.contiguous() of a transposed and of a contiguous x"),
    QT_TRANSLATE_NOOP("TimingResults", "host-to-device and device-to-host copies"),
    QT_TRANSLATE_NOOP("TimingResults", "x.sum(dim) along the contiguous and the strided dim"),
)
"""The descriptions of ``core.timing.EXPERIMENTS``, marked for translation here: ``core``
knows no translations (:func:`experiment_description` shows them)."""


@dataclass(frozen=True)
class CurveKey:
    """What one curve shows: an experiment's layout on a device, measured or recorded."""

    experiment: str
    device: str
    layout: str
    source: str = MEASURED

    @property
    def recorded(self) -> bool:
        """Whether the rows come from a recorded run rather than this machine."""
        return self.source != MEASURED

    @property
    def device_type(self) -> str:
        """``cpu`` or ``cuda``."""
        return core.device(self.device).type

    @property
    def label(self) -> str:
        """The legend's text: ``cpu transposed``, or ``cuda:0 contiguous (recorded)`` (the
        banner and the hover readout say where and when)."""
        text = f"{self.device} {self.layout}"
        if not self.recorded:
            return text
        return translate("TimingResults", "{curve} (recorded)").format(curve=text)


def key_of(row: TimingRow) -> CurveKey:
    """The curve ``row`` belongs to."""
    return CurveKey(row.experiment, row.device, row.layout, row.source)


@dataclass(frozen=True)
class Curve:
    """One curve's rows, by increasing size."""

    key: CurveKey
    rows: tuple[TimingRow, ...]

    def points(self, quantity: str) -> tuple[list[int], list[float]]:
        """Sizes and values of ``quantity`` that a log axis can draw: a row with no
        throughput (no work), or a value that is not a positive number, is left out."""
        sizes, values = [], []
        for row in self.rows:
            value = value_of(row, quantity)
            if value is not None and math.isfinite(value) and value > 0:
                sizes.append(row.size)
                values.append(value)
        return sizes, values


def value_of(row: TimingRow, quantity: str) -> float | None:
    """The row's median seconds (``time``) or its throughput (None for no work)."""
    if quantity == TIME:
        return row.median_s
    if quantity == THROUGHPUT:
        return row.throughput
    raise ValueError(f"unknown quantity {quantity!r} (choose from {', '.join(QUANTITIES)})")


@dataclass(frozen=True)
class Comparison:
    """A GPU curve against the CPU curve of the same layout, over the sizes both span.

    The curves are compared as the plot draws them, straight lines between points in
    log time over log size: ``sizes`` are both curves' sizes where they overlap (one
    curve's value between its own points is read off its line), and ``gpu_faster`` says at
    each whether the GPU took less time. ``crossover`` is the size where the GPU
    overtakes the CPU and stays ahead, or None.
    """

    cpu: CurveKey
    gpu: CurveKey
    sizes: tuple[int, ...]
    gpu_faster: tuple[bool, ...]
    crossover: float | None

    def describe(self) -> str:
        """One line for the plot: where the GPU overtakes, or that one is always faster."""
        gpu = self.gpu.device
        if self.gpu.recorded:
            gpu = translate("TimingResults", "{curve} (recorded)").format(curve=gpu)
        fields = {
            "layout": self.cpu.layout,
            "gpu": gpu,
            "cpu": self.cpu.device,
            "smallest": size_text(self.sizes[0]),
            "largest": size_text(self.sizes[-1]),
        }
        if self.crossover is not None:
            index = len(self.gpu_faster) - self.gpu_faster[::-1].index(False)
            if _is_square(self.cpu.experiment):
                text = translate(
                    "TimingResults",
                    "{layout}: {gpu} overtakes {cpu} at about n = {power} ≈ {size} "
                    "(between {below} and {above})",
                )
            else:
                text = translate(
                    "TimingResults",
                    "{layout}: {gpu} overtakes {cpu} at about elements = {power} ≈ {size} "
                    "(between {below} and {above})",
                )
            return text.format(
                **fields,
                power=f"2^{math.log2(self.crossover):.1f}",
                size=f"{self.crossover:,.0f}",
                below=size_text(self.sizes[index - 1]),
                above=size_text(self.sizes[index]),
            )
        if all(self.gpu_faster):
            text = translate(
                "TimingResults",
                "{layout}: {gpu} is faster than {cpu} at every size from {smallest} to {largest}",
            )
        elif not any(self.gpu_faster):
            text = translate(
                "TimingResults",
                "{layout}: {cpu} is faster than {gpu} at every size from {smallest} to {largest}",
            )
        else:
            text = translate(
                "TimingResults",
                "{layout}: {gpu} and {cpu} trade places from {smallest} to {largest}; "
                "{cpu} is faster at {largest}",
            )
        return text.format(**fields)


def compare(cpu: Curve, gpu: Curve) -> Comparison | None:
    """``gpu`` against ``cpu`` where their drawn lines overlap; None where they do not."""
    cpu_line, gpu_line = _log_line(cpu), _log_line(gpu)
    if not cpu_line[0] or not gpu_line[0]:
        return None
    low = max(cpu_line[0][0], gpu_line[0][0])
    high = min(cpu_line[0][-1], gpu_line[0][-1])
    grid = sorted({x for x in cpu_line[0] + gpu_line[0] if low <= x <= high})
    if not grid:
        return None
    # log(gpu time / cpu time) at each size: negative where the GPU is faster.
    gaps = np.interp(grid, *gpu_line) - np.interp(grid, *cpu_line)
    faster = tuple(bool(gap < 0) for gap in gaps)
    point = None
    if faster[-1] and not all(faster):
        last = len(faster) - 1 - faster[::-1].index(False)
        share = gaps[last] / (gaps[last] - gaps[last + 1])  # where the gap crosses 0
        point = math.exp(grid[last] + share * (grid[last + 1] - grid[last]))
    sizes = tuple(round(math.exp(x)) for x in grid)
    return Comparison(cpu.key, gpu.key, sizes, faster, point)


def _log_line(curve: Curve) -> tuple[list[float], list[float]]:
    """The curve's (log size, log seconds) points, as the plot joins them."""
    sizes, seconds = curve.points(TIME)
    return [math.log(size) for size in sizes], [math.log(value) for value in seconds]


def _is_square(experiment: str) -> bool:
    known = core.timing.EXPERIMENTS.get(experiment)
    return known is not None and known.square


class TimingResults:
    """The rows the panel plots: a run's (measured here, or read from a saved file) and a
    recorded reference run's, shown beside them. A row at the same point of the same
    curve replaces the one before."""

    def __init__(self) -> None:
        self._run: dict[tuple[CurveKey, int], TimingRow] = {}
        self._reference: dict[tuple[CurveKey, int], TimingRow] = {}

    def add(self, row: TimingRow) -> CurveKey:
        """Add ``row`` to the run; returns its curve's key."""
        key = key_of(row)
        self._run[key, row.size] = row
        return key

    def clear(self) -> None:
        """Forget the run's rows (the reference stays)."""
        self._run = {}

    def set_reference(self, rows: Iterable[TimingRow]) -> None:
        """Show ``rows`` (a recorded run's, marked) beside the run's; empty hides them."""
        self._reference = {(key_of(row), row.size): row for row in rows}

    def run_rows(self) -> list[TimingRow]:
        """The run's rows, in the order they came."""
        return list(self._run.values())

    def rows(self) -> list[TimingRow]:
        """The run's rows, then the reference's not already among them."""
        extra = [row for point, row in self._reference.items() if point not in self._run]
        return list(self._run.values()) + extra

    def experiments(self) -> list[str]:
        """The experiments with rows, in the order of ``core.timing.EXPERIMENTS``."""
        present = {key.experiment for key, _ in self._reference | self._run}
        order = list(core.timing.EXPERIMENTS)
        return sorted(present, key=lambda name: order.index(name) if name in order else len(order))

    def curves(self, experiment: str) -> list[Curve]:
        """``experiment``'s curves: measured before recorded, then by device and layout."""
        grouped: dict[CurveKey, list[TimingRow]] = {}
        for (key, _), row in (self._reference | self._run).items():
            if key.experiment == experiment:
                grouped.setdefault(key, []).append(row)
        layouts = layout_order(experiment)
        ordered = sorted(
            grouped,
            key=lambda key: (key.recorded, key.device, layouts.get(key.layout, len(layouts))),
        )
        return [
            Curve(key, tuple(sorted(grouped[key], key=lambda row: row.size))) for key in ordered
        ]

    def comparisons(self, experiment: str) -> list[Comparison]:
        """Each GPU curve against the CPU curve of the same layout, where they share sizes.

        A GPU curve pairs with the first CPU curve of its layout: the measured one when
        there is one (measured curves sort first).
        """
        curves = self.curves(experiment)
        found = []
        for gpu in (curve for curve in curves if curve.key.device_type == "cuda"):
            partners = [
                curve
                for curve in curves
                if curve.key.device_type == "cpu" and curve.key.layout == gpu.key.layout
            ]
            if partners:
                comparison = compare(partners[0], gpu)
                if comparison is not None:
                    found.append(comparison)
        return found


def layout_order(experiment: str) -> dict[str, int]:
    """``experiment``'s layouts by their order in its definition (none for an unknown one)."""
    known = core.timing.EXPERIMENTS.get(experiment)
    return {layout: index for index, layout in enumerate(known.layouts if known else ())}


def reference_rows(
    runs: Sequence[RecordedRun], device_types: Iterable[str]
) -> tuple[RecordedRun, list[TimingRow]] | None:
    """The newest run holding rows on any of ``device_types``, with those rows marked.

    None when no run has such rows.
    """
    wanted = set(device_types)
    for run in runs:  # newest first
        rows = [row for row in run.marked_rows() if core.device(row.device).type in wanted]
        if rows:
            return run, rows
    return None


def banner_text(reason: str, run: RecordedRun | None) -> str:
    """What the panel says when the GPU cannot be timed here: why, and what is shown instead."""
    if run is None:
        return translate(
            "TimingResults",
            "No GPU to time here: {reason}. No recorded GPU run ships with this version, "
            "so only CPU curves show.",
        ).format(reason=reason)
    metadata = run.metadata
    return translate(
        "TimingResults",
        "No GPU to time here: {reason}. The GPU curves were recorded on {gpu} on {date} "
        "(CuPy {cupy}, host {host}).",
    ).format(
        reason=reason,
        gpu=metadata.gpu,
        date=metadata.date[:10],
        cupy=metadata.cupy,
        host=metadata.host_cpu,
    )


def experiment_description(name: str) -> str:
    """What experiment ``name`` times, in the current language (its name when unknown)."""
    known = core.timing.EXPERIMENTS.get(name)
    if known is None:  # a newer version's file may name others
        return name
    return translate("TimingResults", known.description)  # marked in EXPERIMENT_DESCRIPTIONS


def size_text(size: float) -> str:
    """A size as the plot's axis names it: ``2¹⁸`` for a power of two, else ``1,000``."""
    whole = round(size)
    if whole > 0 and whole == size and whole & (whole - 1) == 0:
        return "2" + str(whole.bit_length() - 1).translate(SUPERSCRIPTS)
    return f"{whole:,}"


def size_description(experiment: str, size: float) -> str:
    """``2¹⁸ = 262,144 elements (512×512)``, or for matmul ``n = 256 (256×256 matrices)``."""
    whole = round(size)
    if _is_square(experiment):
        return translate("TimingResults", "n = {n} ({side}×{side} matrices)").format(
            n=f"{whole:,}", side=whole
        )
    if size_text(whole) != f"{whole:,}":
        text = translate("TimingResults", "{power} = {count} elements").format(
            power=size_text(whole), count=f"{whole:,}"
        )
    else:
        text = translate("TimingResults", "{count} elements").format(count=f"{whole:,}")
    if experiment in core.timing.EXPERIMENTS and experiment != "transfer" and whole == size:
        rows, cols = core.timing.square_ish(whole)
        text += f" ({rows}×{cols})"
    return text


def point_description(row: TimingRow) -> str:
    """The hover readout of one measured point, a fact per line."""
    source = "" if row.source == MEASURED else f"\n{row.source}"
    timing = translate("TimingResults", "median {median}, spread (IQR) {spread}").format(
        median=format_seconds(row.median_s), spread=format_seconds(row.spread_s)
    )
    # format_throughput's "no work" is the command line's too: translated here only.
    throughput = (
        translate("TimingResults", "no work") if row.throughput is None else format_throughput(row)
    )
    return (
        f"{row.experiment} · {row.device} · {row.layout}{source}\n"
        f"{size_description(row.experiment, row.size)}\n"
        f"{timing}\n"
        f"{throughput}"
    )
