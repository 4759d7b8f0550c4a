"""Timing one callable on one device: warm-up, repeated runs, median and spread.

The clock is chosen by device type in one place, :func:`clock_for`. The CPU runs work
synchronously, so ``time.perf_counter`` around each call measures it. A GPU launches
work asynchronously and returns before it is done, so wall-clock time around a call
measures the launch, not the work: its clock records CUDA events around the call and
reads them once the end event has completed (:func:`cuda_event_clock`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Protocol

import numpy as np

from core import cuda
from core.backends import backend_for
from core.device import device

Work = Callable[[], object]


class TimingCancelledError(Exception):
    """Raised by :func:`time_callable` when it is asked to stop between two calls."""


class Clock(Protocol):
    """Measures how long one call of ``work`` takes on a device, in seconds."""

    def __call__(self, work: Work) -> float: ...


def perf_counter_clock(work: Work) -> float:
    """Seconds for one synchronous call of ``work``, by ``time.perf_counter``."""
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def cuda_event_clock(cupy: ModuleType, index: int | None = None) -> Clock:
    """A clock timing work on CUDA device ``index`` (None: CuPy's current one) with events.

    Each call: wait for the device to finish everything launched before (so earlier
    asynchronous work does not run inside the measurement), record a start event, run
    ``work``, record an end event, wait for the end event, and return the GPU's time
    between the two events in seconds. The GPU is idle when the start event is
    recorded, so the time covers the engine's Python dispatch and launches as well as
    the kernels, as ``perf_counter`` does on the CPU.

    ``cupy`` is the module the CUDA backend computes with (``backend_for(where).xp``):
    this module never imports it.
    """
    runtime = cupy.cuda  # not core.cuda, which this module also uses

    def clock(work: Work) -> float:
        gpu = runtime.Device(index)
        with gpu:  # the events belong to this device's current stream
            start, end = runtime.Event(), runtime.Event()
            gpu.synchronize()
            start.record()
            work()
            end.record()
            end.synchronize()
            return runtime.get_elapsed_time(start, end) / 1e3  # CUDA reports milliseconds

    return clock


def clock_for(where: device) -> Clock:
    """The clock that times work on ``where``: the one place that knows each device type.

    Raises
    ------
    RuntimeError
        When ``where``'s backend is unavailable (the engine's reason).
    """
    if where.type == "cpu":
        return perf_counter_clock
    backend = backend_for(where)  # raises with the engine's reason when it is unavailable
    return cuda_event_clock(backend.xp, backend.index)  # the device holding where's storage


def unavailable_reason(where: device) -> str | None:
    """Why work cannot be timed on ``where`` (one line), or None when it can.

    With no GPU at all, the probe's reason alone (``CuPy is not installed: ...``): the
    caller names the device.
    """
    try:
        clock_for(where)
    except RuntimeError as error:
        return cuda.unavailable_reason() or str(error)
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


def time_callable(
    work: Work,
    where: device | str,
    warmup: int = 1,
    repeats: int = 5,
    cancelled: Callable[[], bool] | None = None,
) -> Timing:
    """Time ``work`` on ``where``: ``warmup`` untimed calls, then ``repeats`` timed ones.

    Warm-up calls fill caches and let lazy set-up (allocations, BLAS threads, CuPy's
    compilation of a kernel on its first use) happen before measuring; they are not
    recorded. ``cancelled`` is asked before every call, so a long measurement (a large
    matmul runs for seconds) stops one call after it turns True.

    Raises
    ------
    ValueError
        When ``warmup`` is negative or ``repeats`` is less than 1.
    RuntimeError
        When ``where`` cannot be timed (see :func:`clock_for`).
    TimingCancelledError
        When ``cancelled()`` answers True.
    """
    if warmup < 0:
        raise ValueError(f"warmup must be 0 or more, got {warmup}")
    if repeats < 1:
        raise ValueError(f"repeats must be 1 or more, got {repeats}")
    clock = clock_for(device(where))

    def checked(call: Callable[[], object]) -> object:
        if cancelled is not None and cancelled():
            raise TimingCancelledError
        return call()

    for _ in range(warmup):
        checked(work)
    return Timing(tuple(checked(lambda: clock(work)) for _ in range(repeats)))


def gigabytes_per_second(nbytes: float, seconds: float) -> float:
    """Bandwidth in GB/s (10**9 bytes per second) for ``nbytes`` moved in ``seconds``."""
    return nbytes / seconds / 1e9


def gigaflops_per_second(flops: float, seconds: float) -> float:
    """Arithmetic rate in GFLOP/s (10**9 floating-point operations per second)."""
    return flops / seconds / 1e9
