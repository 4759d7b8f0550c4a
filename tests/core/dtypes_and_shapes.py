"""Dtype names, shapes and values: the plain building blocks of the twin tensors.

Dtypes travel as bare names (``"float32"``), mapped to each library by
:func:`core_dtype` and :func:`torch_dtype`. ``shapes(...)``,
``broadcastable_shapes(n, ...)`` and ``dtype_names(...)`` are hypothesis
strategies; :func:`random_values` fills a buffer of a given dtype.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import hypothesis.extra.numpy as hnp
import numpy as np
import torch
from hypothesis import strategies as st

import core

ALL_DTYPES: tuple[str, ...] = (
    "bool",
    "uint8",
    "int8",
    "int16",
    "int32",
    "int64",
    "float16",
    "float32",
    "float64",
)
FLOAT_DTYPES: tuple[str, ...] = ("float16", "float32", "float64")
INT_DTYPES: tuple[str, ...] = ("uint8", "int8", "int16", "int32", "int64")
# What view tests draw from by default: the common dtypes plus two odd ones.
LAYOUT_DTYPES: tuple[str, ...] = ("float32", "int64", "float64", "bool", "int16", "float16")


# --------------------------------------------------------------------------- dtypes


def dtype_name(dtype: Any) -> str:
    """Return the bare dtype name: ``torch.float32`` / ``core.float32`` -> ``"float32"``."""
    return str(dtype).rsplit(".", 1)[-1]


def core_dtype(name: str) -> Any:
    """The ``core`` dtype object called `name`."""
    return getattr(core, name)


def torch_dtype(name: str) -> torch.dtype:
    """The ``torch`` dtype object called `name`."""
    return getattr(torch, name)


def dtype_names(names: Sequence[str] = LAYOUT_DTYPES) -> st.SearchStrategy[str]:
    """Draw one of `names` (shrinks towards the first)."""
    return st.sampled_from(tuple(names))


# --------------------------------------------------------------------------- shapes


def shapes(
    min_dims: int = 0, max_dims: int = 4, min_side: int = 0, max_side: int = 5
) -> st.SearchStrategy[tuple[int, ...]]:
    """Draw a shape tuple; sides may be 0 (about one side in ten) unless ``min_side >= 1``."""
    if min_side >= 1:
        side = st.integers(min_side, max_side)
    else:
        side = st.integers(0, 9).map(lambda v: 0 if v == 0 else 1 + (v - 1) % max(max_side, 1))
    return st.lists(side, min_size=min_dims, max_size=max_dims).map(tuple)


def broadcastable_shapes(
    num_shapes: int, min_dims: int = 0, max_dims: int = 4, min_side: int = 0, max_side: int = 4
) -> st.SearchStrategy[tuple[tuple[int, ...], ...]]:
    """Draw `num_shapes` shapes that broadcast together (NumPy's = PyTorch's rule)."""
    return hnp.mutually_broadcastable_shapes(
        num_shapes=num_shapes,
        min_dims=min_dims,
        max_dims=max_dims,
        min_side=min_side,
        max_side=max_side,
    ).map(lambda r: r.input_shapes)


# --------------------------------------------------------------------------- values


def random_values(
    name: str,
    n: int,
    rng: np.random.Generator,
    low: float = -10,
    high: float = 10,
    allow_nan: bool = False,
) -> np.ndarray:
    """`n` random values of dtype `name` in ``[low, high]``.

    Floats are multiples of 1/8, exactly representable in float16, so casts
    between float dtypes never change them.
    """
    if name == "bool":
        return rng.integers(0, 2, n).astype(bool)
    if name in INT_DTYPES:
        info = np.iinfo(name)
        lo, hi = max(math.ceil(low), int(info.min)), min(math.floor(high), int(info.max))
        return rng.integers(lo, hi + 1, n).astype(name)
    values = np.round(rng.uniform(low, high, n) * 8) / 8
    if allow_nan and n:
        values[rng.random(n) < 0.15] = np.nan
    return values.astype(name)
