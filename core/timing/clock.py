"""Timing one callable on one device: warm-up, repeated runs, median and spread.

The clock is chosen by device type in one place, :func:`clock_for`. The CPU runs work
synchronously, so ``time.perf_counter`` around each call measures it. A GPU launches
work asynchronously: its clock must record CUDA events around the call and synchronise
before reading them (issue 4), never wall-clock time around a launch.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from core.backends import backend_for
from core.device import device

Work = Callable[[], object]


class Clock(Protocol):
    """Measures how long one call of ``work`` takes on a device, in seconds."""

    def __call__(self, work: Work) -> float: ...


def perf_counter_clock(work: Work) -> float:
    """Seconds for one synchronous call of ``work``, by ``time.perf_counter``."""
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def clock_for(where: device) -> Clock:
    """The clock that times work on ``where``: the one place that knows each device type.

    Raises
    ------
    RuntimeError
        When ``where``'s backend is unavailable (the engine's reason), or when it has no
        clock yet.
    """
    if where.type == "cpu":
        return perf_counter_clock
    backend_for(where)  # raises with the engine's reason when the device is unavailable
    # The CUDA clock (events recorded around the call, then synchronize) plugs in here
    # together with the CuPy backend.
    raise RuntimeError(f"no clock for device '{where}' yet: CUDA event timing comes with issue 4")


def unavailable_reason(where: device) -> str | None:
    """Why work cannot be timed on ``where`` (one line), or None when it can."""
    try:
        clock_for(where)
    except RuntimeError as error:
        return str(error)
    return None


@dataclass(frozen=True)
class Timing:
    """Seconds per call of one piece of work, from repeated runs after warm-up.

    The spread is the interquartile range (75th minus 25th percentile, NumPy's linear
    interpolation): unlike max - min it ignores a single run slowed by the OS.
    """

    samples: tuple[float, ...]

    def __post_init__(self) -> None:
        if not self.samples:
            raise ValueError("a Timing needs at least one sample")

    @property
    def median_s(self) -> float:
        """The median of the samples, in seconds."""
        return float(np.median(self.samples))

    @property
    def spread_s(self) -> float:
        """The interquartile range of the samples, in seconds (0 for one sample)."""
        upper, lower = np.percentile(self.samples, [75, 25])
        return float(upper - lower)

    @property
    def min_s(self) -> float:
        """The fastest run, in seconds."""
        return min(self.samples)

    @property
    def max_s(self) -> float:
        """The slowest run, in seconds."""
        return max(self.samples)


def time_callable(work: Work, where: device | str, warmup: int = 1, repeats: int = 5) -> Timing:
    """Time ``work`` on ``where``: ``warmup`` untimed calls, then ``repeats`` timed ones.

    Warm-up calls fill caches and let lazy set-up (allocations, BLAS threads) happen
    before measuring; they are not recorded.

    Raises
    ------
    ValueError
        When ``warmup`` is negative or ``repeats`` is less than 1.
    RuntimeError
        When ``where`` cannot be timed (see :func:`clock_for`).
    """
    if warmup < 0:
        raise ValueError(f"warmup must be 0 or more, got {warmup}")
    if repeats < 1:
        raise ValueError(f"repeats must be 1 or more, got {repeats}")
    clock = clock_for(device(where))
    for _ in range(warmup):
        work()
    return Timing(tuple(clock(work) for _ in range(repeats)))


def gigabytes_per_second(nbytes: float, seconds: float) -> float:
    """Bandwidth in GB/s (10**9 bytes per second) for ``nbytes`` moved in ``seconds``."""
    return nbytes / seconds / 1e9


def gigaflops_per_second(flops: float, seconds: float) -> float:
    """Arithmetic rate in GFLOP/s (10**9 floating-point operations per second)."""
    return flops / seconds / 1e9
