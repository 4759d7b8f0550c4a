"""Helpers for the math tests: run one expression on `core` and on `torch`, compare.

Builds on :mod:`tests.core.tensor_pairs` (twin tensors with identical layouts) and
:mod:`tests.core.assertions` (the exact-match assertions). What this module adds:

- :func:`assert_close` / :func:`close`: compare a core result with torch's using a
  tolerance that depends on the dtype (exact for integers and bool);
- :func:`check_both`: run ``fn(core, ...)`` and ``fn(torch, ...)`` and require
  the same builtin exception class or matching results;
- :func:`quiet`: call torch with its warnings silenced (the suite turns warnings
  into errors, and torch warns about things core is not asked to warn about);
- scalar strategies for Python operands, and writable views with their base.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch
from hypothesis import settings
from hypothesis import strategies as st

import core
from tests.core.assertions import assert_same_error, assert_same_tensor
from tests.core.dtypes_and_shapes import (
    ALL_DTYPES,
    FLOAT_DTYPES,
    INT_DTYPES,
    dtype_name,
    random_values,
)
from tests.core.layout_steps import Step, layout_steps
from tests.core.tensor_pairs import TensorPair, make_base_pair

__all__ = [
    "ALL_DTYPES",
    "FLOAT_DTYPES",
    "INT_DTYPES",
    "EPS",
    "assert_close",
    "check_both",
    "close",
    "examples",
    "python_scalars",
    "quiet",
    "writable_views",
]

# Machine epsilon per float dtype: tolerances below are small multiples of it.
EPS: dict[str, float] = {"float16": 2.0**-10, "float32": 2.0**-23, "float64": 2.0**-52}

# Elementwise results: a few ulps (numpy and torch use different libm kernels).
_ELEMENTWISE_RTOL: dict[str, float] = {"float16": 2e-3, "float32": 5e-6, "float64": 1e-12}
_ELEMENTWISE_ATOL: dict[str, float] = {"float16": 1e-3, "float32": 1e-6, "float64": 1e-12}


def assert_close(
    c: Any,
    t: Any,
    *,
    layout: bool = False,
    rtol: float | None = None,
    atol: float | None = None,
    context: str = "",
) -> None:
    """Compare a core result with torch's; floats within a dtype tolerance.

    Tensors: dtype, shape and values (and strides/offset/contiguity when
    `layout`). Tuples (e.g. ``max(dim)``'s namedtuple) are compared item by
    item and, when torch's has ``values``/``indices`` fields, by field too.
    """
    if isinstance(t, torch.Tensor):
        name = dtype_name(t.dtype)
        if name in FLOAT_DTYPES:
            r = _ELEMENTWISE_RTOL[name] if rtol is None else rtol
            a = _ELEMENTWISE_ATOL[name] if atol is None else atol
            assert_same_tensor(c, t, check_layout=layout, rtol=r, atol=a, context=context)
        else:
            assert_same_tensor(c, t, check_layout=layout, context=context)
        return
    if isinstance(t, tuple):
        assert isinstance(c, tuple), f"expected a tuple, core gave {type(c).__name__}"
        assert len(c) == len(t), f"length {len(c)} != torch {len(t)}"
        for field in ("values", "indices"):
            if hasattr(t, field):
                assert hasattr(c, field), f"core's result has no .{field} field"
                assert_close(
                    getattr(c, field),
                    getattr(t, field),
                    layout=layout,
                    rtol=rtol,
                    atol=atol,
                    context=f"{context}.{field}",
                )
        for i, (ci, ti) in enumerate(zip(c, t, strict=True)):
            assert_close(ci, ti, layout=layout, rtol=rtol, atol=atol, context=f"{context}[{i}]")
        return
    if isinstance(t, list):
        assert isinstance(c, list), f"expected a list, core gave {type(c).__name__}"
        assert len(c) == len(t), f"length {len(c)} != torch {len(t)}"
        for i, (ci, ti) in enumerate(zip(c, t, strict=True)):
            assert_close(ci, ti, layout=layout, rtol=rtol, atol=atol, context=f"{context}[{i}]")
        return
    assert type(c) is type(t) and (c == t or (c != c and t != t)), f"{c!r} != torch {t!r}"


def close(
    layout: bool = False, rtol: float | None = None, atol: float | None = None
) -> Callable[[Any, Any], None]:
    """A `compare` callback for :func:`assert_same_error` using :func:`assert_close`."""

    def compare(c: Any, t: Any) -> None:
        assert_close(c, t, layout=layout, rtol=rtol, atol=atol)

    return compare


def examples(fraction: float) -> settings:
    """Settings running `fraction` of the active profile's example count.

    For parametrized property tests: each parameter gets a share of the budget,
    and the ``ci``/``thorough`` profiles still scale them up.
    """
    return settings(max_examples=max(5, int(settings.default.max_examples * fraction)))


def quiet(fn: Callable[[], Any]) -> Callable[[], Any]:
    """Wrap `fn` so that warnings it raises (torch's deprecations, dof notes) are ignored."""

    def run() -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fn()

    return run


def check_both(
    fn: Callable[..., Any],
    core_args: Sequence[Any],
    torch_args: Sequence[Any],
    compare: Callable[[Any, Any], None] | None = None,
    quiet_torch: bool = True,
) -> tuple[Any, Any] | None:
    """Run ``fn(core, *core_args)`` and ``fn(torch, *torch_args)``; same error or close results.

    `fn` receives the library module first, so one lambda serves both, e.g.
    ``lambda m, x: m.exp(x)``. Returns ``(core_result, torch_result)`` or None
    when both raised the same builtin exception class.
    """
    run_torch = lambda: fn(torch, *torch_args)  # noqa: E731
    return assert_same_error(
        lambda: fn(core, *core_args),
        quiet(run_torch) if quiet_torch else run_torch,
        close() if compare is None else compare,
    )


def python_scalars(kinds: Sequence[str] = ("int", "float", "bool")) -> st.SearchStrategy[Any]:
    """Small Python numbers that fit every dtype's range: ints, floats (1/8 steps), bools."""
    options = []
    if "int" in kinds:
        options.append(st.integers(-5, 5))
    if "float" in kinds:
        options.append(st.integers(-40, 40).map(lambda k: k / 8))
    if "bool" in kinds:
        options.append(st.booleans())
    return st.one_of(*options)


@st.composite
def writable_views(
    draw: st.DrawFn,
    dtypes: Sequence[str] = ALL_DTYPES,
    max_dims: int = 3,
    max_side: int = 5,
    max_steps: int = 3,
    low: float = -10,
    high: float = 10,
) -> tuple[TensorPair, TensorPair]:
    """A contiguous base pair and a non-overlapping view pair of it (``(base, view)``).

    The view is drawn by a chain of layout steps that never make two logical
    indices share a storage element, so in-place writes through it are legal
    in torch; the base lets a test compare the whole storage afterwards.
    """
    shape = tuple(draw(st.lists(st.integers(1, max_side), min_size=1, max_size=max_dims)))
    name = draw(st.sampled_from(tuple(dtypes)))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    values = random_values(name, math.prod(shape), rng, low, high).reshape(shape)
    base = make_base_pair(values, draw(st.sampled_from(("from_numpy", "tensor"))))
    c, t, recipe = base.c, base.t, base.recipe
    steps: list[Step] = []
    for _ in range(draw(st.integers(0, max_steps))):
        new = draw(
            layout_steps(
                tuple(t.shape),
                base.storage_numel,
                max_dims + 1,
                0,
                allow_overlap=False,
                allow_as_strided=True,
            )
        )
        for step in new:
            t = step.apply(t)
            recipe += repr(step)
            try:
                c = step.apply(c)
            except Exception as exc:
                raise AssertionError(
                    f"core failed building a test input: {recipe}: {exc!r}"
                ) from exc
        steps.extend(new)
    return base, TensorPair(c, t, recipe, base.storage_numel, tuple(steps))
