"""Forward plus backward of ``((x @ w).tanh() * 2 + 1).sum()``: core against PyTorch and peers.

Run with ``python -m benchmarks.autograd_vs_reference`` (``make bench``). The peers are
the NumPy-based autograd libraries ``mygrad`` and HIPS ``autograd``, installed only for
benchmarks (``pip install -e '.[bench]'``); a missing one is left out. Each sample is
one forward and one backward pass, in float64, the libraries interleaved as in
``core_vs_reference``; the table gives core's ratio to each (lower is better).

Target from the autograd issue: within 2x of PyTorch, and ahead of both peers.
"""

from __future__ import annotations

import argparse
import importlib
import platform
from collections.abc import Callable

import numpy as np

import core
from benchmarks.core_vs_reference import Case, report

try:
    import torch
except ImportError:
    torch = None


def _optional(name: str) -> object | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _forward_backward(n: int) -> Callable[[], dict[str, Callable[[], object]]]:
    """The same training step for each library: the loss, then the gradients of x and w."""

    def make() -> dict[str, Callable[[], object]]:
        rng = np.random.default_rng(0)
        x_values, w_values = rng.standard_normal((n, n)), rng.standard_normal((n, n))
        x = core.tensor(x_values, requires_grad=True)
        w = core.tensor(w_values, requires_grad=True)

        def with_core() -> object:
            x.grad = w.grad = None
            ((x @ w).tanh() * 2 + 1).sum().backward()
            return x.grad

        work = {"core": with_core}
        if torch is not None:
            tx = torch.tensor(x_values, requires_grad=True)
            tw = torch.tensor(w_values, requires_grad=True)

            def with_torch() -> object:
                tx.grad = tw.grad = None
                ((tx @ tw).tanh() * 2 + 1).sum().backward()
                return tx.grad

            work["torch"] = with_torch
        mygrad = _optional("mygrad")
        if mygrad is not None:
            mx, mw = mygrad.tensor(x_values), mygrad.tensor(w_values)

            def with_mygrad() -> object:
                loss = (mygrad.tanh(mx @ mw) * 2 + 1).sum()
                loss.backward()
                return mx.grad

            work["mygrad"] = with_mygrad
        hips = _optional("autograd")
        if hips is not None:
            hips_np = importlib.import_module("autograd.numpy")

            def loss(xv: np.ndarray, wv: np.ndarray) -> object:
                return (hips_np.tanh(hips_np.dot(xv, wv)) * 2 + 1).sum()

            gradient = hips.grad(loss, argnum=(0, 1))
            work["autograd"] = lambda: gradient(x_values, w_values)
        return work

    return make


CASES = (
    Case("forward+backward 8x8 float64", 200, _forward_backward(8)),
    Case("forward+backward 64x64 float64", 100, _forward_backward(64)),
)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15, help="samples per library and case")
    args = parser.parse_args(argv)
    peers = {name: _optional(name) for name in ("torch", "mygrad", "autograd")}
    versions = ", ".join(
        f"{name} {getattr(module, '__version__', 'present')}" if module else f"{name} absent"
        for name, module in peers.items()
    )
    print(
        f"machine: {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, numpy {np.__version__}, {versions}"
    )
    report(CASES, args.repeats)


if __name__ == "__main__":
    main()
