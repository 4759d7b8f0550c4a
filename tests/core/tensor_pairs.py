"""Hypothesis strategies drawing twin tensors for `core` and its oracle, `torch`.

Every strategy here returns a :class:`TensorPair`: a `core` tensor and a `torch`
tensor with identical storage contents *and* identical layout (sizes, strides,
storage offset). Each twin owns its own buffer, so an in-place op on one never
shows up in the other.

Main entry points
-----------------
``tensor_pairs(...)``
    A random base (``from_numpy`` or ``tensor``) followed by a random chain of
    layout steps: permute, transpose, sliced indexing with steps, narrow,
    select, expand (stride 0), unfold, diagonal, as_strided over the storage.
    Covers non-contiguous, expanded, zero-size and 0-d tensors.
``tensor_pairs_of_shape(shape, ...)``
    A pair with a *given* shape but a random layout (sliced base, permuted,
    broadcast by expand). Meant for math tests, e.g. binary ops::

        shapes = draw(broadcastable_shapes(2))
        a = draw(tensor_pairs_of_shape(shapes[0], dtypes=FLOAT_DTYPES))

The plain building blocks (dtypes, shapes, values) live in
:mod:`tests.core.dtypes_and_shapes`, the steps in :mod:`tests.core.layout_steps`,
and the checks comparing the twins in :mod:`tests.core.assertions`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from hypothesis import strategies as st

import core
from tests.core.dtypes_and_shapes import (
    LAYOUT_DTYPES,
    core_dtype,
    dtype_names,
    random_values,
    shapes,
    torch_dtype,
)
from tests.core.layout_steps import Step, layout_steps


@dataclass(frozen=True)
class TensorPair:
    """A core tensor `c` and a torch tensor `t` with the same contents and layout.

    Unpacks as ``c, t = pair``; `recipe` shows how both were built (it is what
    hypothesis prints for a failing example). `storage_numel` is the number of
    elements in the shared storage of the base, `base_shape` the base's shape;
    ``steps`` replayed on any base of that shape rebuild the layout.
    """

    c: Any
    t: Any
    recipe: str
    storage_numel: int
    steps: tuple[Step, ...] = field(default=())
    base_shape: tuple[int, ...] = ()

    def __iter__(self) -> Iterator[Any]:
        yield self.c
        yield self.t

    def __repr__(self) -> str:
        return f"TensorPair({self.recipe})"


def _apply_steps(pair: TensorPair, steps: Sequence[Step]) -> TensorPair:
    c, t = pair.c, pair.t
    recipe = pair.recipe
    for step in steps:
        t = step.apply(t)  # torch first: the strategies only draw steps torch accepts
        recipe += repr(step)
        try:
            c = step.apply(c)
        except Exception as exc:  # report the recipe, not a bare draw failure
            raise AssertionError(f"core failed building a test input: {recipe}: {exc!r}") from exc
    return TensorPair(c, t, recipe, pair.storage_numel, pair.steps + tuple(steps), pair.base_shape)


def make_base_pair(values: np.ndarray, via: str = "from_numpy") -> TensorPair:
    """Build twin contiguous tensors from `values` (each twin gets its own copy).

    ``via="from_numpy"`` uses ``from_numpy``; ``via="tensor"`` passes nested lists
    to ``tensor(..., dtype=...)`` (not for zero-size arrays, whose lists lose the shape).
    """
    name = values.dtype.name
    if via == "tensor" and values.size > 0:
        data = values.tolist()
        c = core.tensor(data, dtype=core_dtype(name))
        t = torch.tensor(data, dtype=torch_dtype(name))
        recipe = f"tensor(<{name} {tuple(values.shape)}>)"
    else:
        c = core.from_numpy(values.copy())
        t = torch.from_numpy(values.copy())
        recipe = f"from_numpy(<{name} {tuple(values.shape)}>)"
    return TensorPair(c, t, recipe, int(values.size), (), tuple(values.shape))


@st.composite
def base_pairs(
    draw: st.DrawFn,
    shape: tuple[int, ...] | None = None,
    dtypes: Sequence[str] = LAYOUT_DTYPES,
    low: float = -10,
    high: float = 10,
    allow_nan: bool = False,
    min_side: int = 0,
    max_side: int = 5,
    max_dims: int = 4,
) -> TensorPair:
    """A contiguous pair of a given (or drawn) shape with random values."""
    if shape is None:
        shape = draw(shapes(0, max_dims, min_side, max_side))
    name = draw(dtype_names(dtypes))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    values = random_values(name, math.prod(shape), rng, low, high, allow_nan).reshape(shape)
    via = draw(st.sampled_from(("from_numpy", "tensor")))
    return make_base_pair(values, via)


@st.composite
def tensor_pairs(
    draw: st.DrawFn,
    dtypes: Sequence[str] = LAYOUT_DTYPES,
    min_dims: int = 0,
    max_dims: int = 4,
    max_side: int = 5,
    max_steps: int = 3,
    allow_zero_size: bool = True,
    allow_overlap: bool = True,
    allow_as_strided: bool = True,
    low: float = -10,
    high: float = 10,
    allow_nan: bool = False,
) -> TensorPair:
    """A pair built by a random chain of layout steps on a random base.

    Parameters
    ----------
    min_dims, max_dims : bounds on the base's dims; the result has at least
        `min_dims` dims (leading ``unsqueeze`` is added if needed) and at most
        ``max_dims + 1``.
    allow_zero_size : when False every dim of the result is >= 1.
    allow_overlap : when False no two logical indices share a storage element
        (no expand / overlapping unfold), so in-place writes are legal.
    low, high, allow_nan : value range (see :func:`random_values`).
    """
    min_side = 0 if allow_zero_size else 1
    base = draw(
        base_pairs(
            None,
            dtypes,
            low,
            high,
            allow_nan,
            min_side=max(min_side, 0),
            max_side=max_side,
            max_dims=max_dims,
        )
    )
    pair = base
    for _ in range(draw(st.integers(0, max_steps))):
        steps = draw(
            layout_steps(
                tuple(pair.t.shape),
                base.storage_numel,
                max_dims + 1,
                min_side,
                allow_overlap,
                allow_as_strided,
            )
        )
        if steps and math.prod(s for s in _shape_after(pair.t, steps)) <= 4096:
            pair = _apply_steps(pair, steps)
    while pair.t.dim() < min_dims:
        pair = _apply_steps(pair, [Step("unsqueeze", (draw(st.integers(0, pair.t.dim())),))])
    return pair


def _shape_after(t: torch.Tensor, steps: Sequence[Step]) -> tuple[int, ...]:
    for step in steps:
        t = step.apply(t)
    return tuple(t.shape)


@st.composite
def tensor_pairs_of_shape(
    draw: st.DrawFn,
    shape: Sequence[int],
    dtypes: Sequence[str] = LAYOUT_DTYPES,
    allow_expand: bool = True,
    low: float = -10,
    high: float = 10,
    allow_nan: bool = False,
) -> TensorPair:
    """A pair of exactly `shape` with a random layout.

    Built as ``base[slices].permute(p).expand(shape)``: the slices (offsets and
    steps) make it non-contiguous with a storage offset, the permutation
    reorders strides, and expand (when `allow_expand`) gives stride-0 dims and
    new leading dims. Each part may be skipped, so contiguous inputs appear too.
    """
    shape = tuple(int(s) for s in shape)
    nd = len(shape)
    n_new = draw(st.integers(0, nd)) if allow_expand and draw(st.booleans()) else 0
    pre = list(shape[n_new:])
    if allow_expand:
        pre = [1 if draw(st.integers(0, 3)) == 0 else s for s in pre]
    perm = tuple(draw(st.permutations(range(len(pre))))) if draw(st.booleans()) else None
    mid = list(pre)
    if perm is not None:
        for i, p in enumerate(perm):
            mid[p] = pre[i]
    key, base_shape = [], []
    sliced = draw(st.booleans())
    for size in mid:
        start = draw(st.integers(0, 1)) if sliced else 0
        step = draw(st.integers(1, 2)) if sliced else 1
        extra = draw(st.integers(0, 1)) if sliced else 0
        span = (size - 1) * step + 1 if size > 0 else 0
        key.append(slice(start, start + span, step) if size > 0 else slice(start, start))
        base_shape.append(start + span + extra)
    name = draw(dtype_names(dtypes))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    values = random_values(name, math.prod(base_shape), rng, low, high, allow_nan)
    pair = make_base_pair(
        values.reshape(base_shape), draw(st.sampled_from(("from_numpy", "tensor")))
    )
    steps = []
    if sliced and mid:
        steps.append(Step("__getitem__", (tuple(key),)))
    if perm is not None and len(perm) >= 2:
        steps.append(Step("permute", perm))
    if tuple(pre) != shape:
        steps.append(Step("expand", shape))
    pair = _apply_steps(pair, steps)
    assert tuple(pair.t.shape) == shape, (pair, shape)
    return pair
