"""Running experiments on devices as a stream of rows, with progress and cancellation."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from core.device import device
from core.timing.clock import (
    TimingCancelledError,
    gigabytes_per_second,
    gigaflops_per_second,
    time_callable,
)
from core.timing.clock import unavailable_reason as device_unavailable_reason
from core.timing.experiments import EXPERIMENTS, GIGAFLOPS, QUICK, Experiment, Preset

Progress = Callable[[int, int, str], None]
# TimingRow.source of a row measured by this run.
MEASURED = "measured"


@dataclass(frozen=True)
class TimingRow:
    """One measurement: seconds per call (median, interquartile spread) and throughput.

    ``throughput`` is in ``unit`` (GB/s or GFLOP/s), None when the call moves nothing.
    ``source`` says where the row comes from: ``MEASURED`` for a run on this machine, or
    a recorded run's label (``recorded: NVIDIA H100 80GB HBM3, 2026-11-27``).
    """

    experiment: str
    device: str
    layout: str
    size: int
    median_s: float
    spread_s: float
    throughput: float | None
    unit: str
    source: str = MEASURED


@dataclass(frozen=True)
class Skipped:
    """A device (``experiment`` None) or an experiment on a device that could not run."""

    experiment: str | None
    device: str
    reason: str

    def __str__(self) -> str:
        if self.experiment is None:
            return f"{self.device}: unavailable: {self.reason}"
        return f"{self.experiment} on {self.device}: skipped: {self.reason}"


def check_experiments(names: Iterable[str]) -> tuple[Experiment, ...]:
    """The experiments called ``names``.

    Raises
    ------
    ValueError
        For a name that is not an experiment, listing the known ones.
    """
    chosen = []
    for name in names:
        if name not in EXPERIMENTS:
            known = ", ".join(EXPERIMENTS)
            raise ValueError(f"unknown experiment {name!r} (choose from {known})")
        chosen.append(EXPERIMENTS[name])
    return tuple(chosen)


def run_experiments(
    names: Iterable[str] = tuple(EXPERIMENTS),
    devices: Sequence[str | device] = ("cpu",),
    preset: Preset = QUICK,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Iterator[TimingRow | Skipped]:
    """Time ``names`` on ``devices``, yielding each row as soon as it is measured.

    A device that cannot be timed, or an experiment that needs another device type, is
    yielded as :class:`Skipped` with its one-line reason, before any row. ``progress``
    is called with (measurements done, total, what is measured next) before each
    measurement and with (total, total, "") at the end. ``cancelled`` is asked before
    each call of the work being timed: a True stops the stream there, dropping the
    measurement it interrupted, and ``progress`` is not called again.

    Raises
    ------
    ValueError
        At the call, for an unknown experiment name.
    RuntimeError
        At the call, for a device string that is not a device (``core.device``'s error).
    """
    experiments = check_experiments(names)
    plan: list[tuple[Experiment, device]] = []
    skipped: list[Skipped] = []
    for where in dict.fromkeys(device(spec) for spec in devices):
        reason = device_unavailable_reason(where)
        if reason is not None:
            skipped.append(Skipped(None, str(where), reason))
            continue
        for experiment in experiments:
            needed = experiment.needs_device_type
            if needed is not None and where.type != needed:
                reason = f"it times copies between the host and a {needed} device"
                skipped.append(Skipped(experiment.name, str(where), reason))
            else:
                plan.append((experiment, where))
    return _measure(plan, skipped, preset, progress, cancelled)


def _measure(
    plan: list[tuple[Experiment, device]],
    skipped: list[Skipped],
    preset: Preset,
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
) -> Iterator[TimingRow | Skipped]:
    yield from skipped
    steps = [
        (experiment, where, size, layout)
        for experiment, where in plan
        for size in preset.sizes_for(experiment.name)
        for layout in experiment.layouts
    ]
    for done, (experiment, where, size, layout) in enumerate(steps):
        if cancelled is not None and cancelled():
            return
        if progress is not None:
            progress(done, len(steps), f"{experiment.name} {where} {layout} {size}")
        try:
            row = measure(experiment, where, layout, size, preset, cancelled)
        except TimingCancelledError:
            return
        yield row
    if progress is not None:
        progress(len(steps), len(steps), "")


def measure(
    experiment: Experiment,
    where: device,
    layout: str,
    size: int,
    preset: Preset = QUICK,
    cancelled: Callable[[], bool] | None = None,
) -> TimingRow:
    """Build one case of ``experiment`` and time it with ``preset``'s warm-up and repeats.

    Raises
    ------
    TimingCancelledError
        When ``cancelled()`` answers True before one of the calls.
    """
    case = experiment.build(layout, size, where)
    timing = time_callable(
        case.work, where, warmup=preset.warmup, repeats=preset.repeats, cancelled=cancelled
    )
    rate = gigaflops_per_second if case.unit == GIGAFLOPS else gigabytes_per_second
    throughput = rate(case.amount, timing.median_s) if case.amount else None
    return TimingRow(
        experiment.name,
        str(where),
        layout,
        size,
        timing.median_s,
        timing.spread_s,
        throughput,
        case.unit,
    )
