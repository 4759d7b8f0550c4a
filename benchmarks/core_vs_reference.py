"""Per-op overhead and large strided ops: core against NumPy and PyTorch, in one run, as ratios.

Run with ``python -m benchmarks.core_vs_reference`` (``make bench``). Each case times
the three libraries interleaved, repeat after repeat, so that a noisy machine
slows all of them alike; the table reports the best and the median per call
and core's ratio to each reference (lower is better; 1.0 means equal).

Targets from the engine issue: large ops within 1.2x of NumPy, per-op
overhead within 3x of PyTorch.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

import core

try:
    import torch
except ImportError:  # the comparison with torch is skipped, the rest still runs
    torch = None


@dataclass(frozen=True)
class Case:
    """One workload written three times: for core, NumPy and PyTorch."""

    name: str
    calls_per_sample: int
    make: Callable[[], dict[str, Callable[[], object]]]


def _small_add() -> dict[str, Callable[[], object]]:
    a, b = core.ones(4, 4), core.ones(4, 4)
    na, nb = a.numpy(), b.numpy()
    work = {"core": lambda: a + b, "numpy": lambda: na + nb}
    if torch is not None:
        ta, tb = torch.ones(4, 4), torch.ones(4, 4)
        work["torch"] = lambda: ta + tb
    return work


def _large_transposed_add() -> dict[str, Callable[[], object]]:
    a = core.rand(1024, 1024)
    b = core.rand(1024, 1024).t()
    na, nb = a.numpy(), b.numpy()
    work = {"core": lambda: a + b, "numpy": lambda: na + nb}
    if torch is not None:
        ta, tb = torch.from_numpy(na), torch.from_numpy(np.ascontiguousarray(nb.T)).t()
        work["torch"] = lambda: ta + tb
    return work


def _transposed_contiguous() -> dict[str, Callable[[], object]]:
    b = core.rand(1024, 1024).t()
    nb = b.numpy()
    work = {"core": lambda: b.contiguous(), "numpy": lambda: np.ascontiguousarray(nb)}
    if torch is not None:
        tb = torch.from_numpy(np.ascontiguousarray(nb.T)).t()
        work["torch"] = lambda: tb.contiguous()
    return work


CASES = (
    Case("add 4x4 (per-op overhead)", 2000, _small_add),
    Case("add 1024x1024 + transposed", 5, _large_transposed_add),
    Case("contiguous() of transposed 1024x1024", 5, _transposed_contiguous),
)


def measure(case: Case, repeats: int) -> dict[str, list[float]]:
    """Seconds per call, one sample per repeat, the libraries interleaved."""
    work = case.make()
    samples: dict[str, list[float]] = {name: [] for name in work}
    for fn in work.values():  # warm-up
        fn()
    for _ in range(repeats):
        for name, fn in work.items():
            start = time.perf_counter()
            for _ in range(case.calls_per_sample):
                fn()
            samples[name].append((time.perf_counter() - start) / case.calls_per_sample)
    return samples


def format_time(seconds: float) -> str:
    return f"{seconds * 1e6:9.2f} µs" if seconds < 1e-3 else f"{seconds * 1e3:9.3f} ms"


def report(cases: tuple[Case, ...], repeats: int) -> None:
    """Time each case and print one row per library: best, median, core's ratio to it."""
    width = max(len(case.name) for case in cases)
    print(
        f"{'case':{width}} {'library':8} {'best':>12} {'median':>12}   core ÷ this (best, median)"
    )
    for case in cases:
        samples = measure(case, repeats)
        best = {name: min(values) for name, values in samples.items()}
        median = {name: statistics.median(values) for name, values in samples.items()}
        for name in samples:
            ratio = (
                ""
                if name == "core"
                else f"   {best['core'] / best[name]:5.2f}x, {median['core'] / median[name]:5.2f}x"
            )
            print(
                f"{case.name:{width}} {name:8} "
                f"{format_time(best[name])} {format_time(median[name])}{ratio}"
            )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15, help="samples per library and case")
    args = parser.parse_args(argv)
    versions = f"numpy {np.__version__}" + (
        f", torch {torch.__version__}" if torch else ", torch absent"
    )
    print(
        f"machine: {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, {versions}"
    )
    report(CASES, args.repeats)


if __name__ == "__main__":
    main()
