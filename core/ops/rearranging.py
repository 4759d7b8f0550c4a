"""Copies that rearrange elements: ``flip``, and ``nonzero`` (with one-argument ``where``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from core import dtypes
from core.autograd.record import record
from core.layout import Layout, wrap_dim
from core.memory import ALLOCATION_LIMIT, check_allocation
from core.ops.arguments import parse_dims
from core.ops.splitting import unbind
from core.result_layout import preserve_format_strides
from core.storage import Storage
from core.tensor import Tensor, empty_tensor


def flip(self: Tensor, *dims: Any) -> Tensor:
    """A copy with the order of elements reversed along ``dims`` (PyTorch keeps the layout)."""
    axes: list[int] = []
    for dim in parse_dims(dims, "dims"):  # PyTorch checks each dim in turn, repeats included
        axis = wrap_dim(dim, self.dim())
        if axis in axes:
            raise RuntimeError(f"dim {axis} appears multiple times in the list of dims")
        axes.append(axis)
    sizes = self._layout.sizes
    result = empty_tensor(
        sizes, preserve_format_strides(sizes, self._layout.strides), self.device, self.dtype
    )
    if result.numel():
        xp = self._storage.backend.xp
        result._values()[...] = (
            xp.flip(self._values(), axis=tuple(axes)) if self.dim() else self._values()
        )
    return record(
        result,
        "FlipBackward0",
        (self,),
        lambda grad, saved: (grad.flip(axes),),
        {"dims": tuple(axes)},
        lambda: f"grad_self = grad.flip({axes})",
    )


def nonzero(self: Tensor, *, as_tuple: bool = False) -> Tensor | tuple[Tensor, ...]:
    """Indices of the non-zero elements, one row each, in row-major order.

    PyTorch fills the (count, ndim) result column by column, so its strides are
    (1, count); ``as_tuple=True`` gives those columns as views, one per dim.
    """
    if as_tuple and self.dim() == 0:
        return nonzero(self.reshape(1), as_tuple=True)
    values = self._values()
    xp = self._storage.backend.xp
    if ALLOCATION_LIMIT.get() is not None:  # the result's size is known only by counting
        check_allocation(_count_nonzero(xp, values) * self.dim(), dtypes.int64)
    positions = xp.argwhere(values)
    count, ndim = positions.shape
    columns = xp.ascontiguousarray(positions.T, dtype=np.int64)
    storage = Storage(columns, dtypes.int64, self.device)
    result = Tensor._make(storage, Layout((count, ndim), (1, count), 0))
    return unbind(result, 1) if as_tuple else result


def _count_nonzero(xp: Any, values: Any) -> int:
    """Non-zero elements, each broadcast (stride 0) dim counted once and multiplied back in.

    Counting a broadcast view element by element would take as long as the copy it guards.
    """
    repeats = 1
    once = []
    for size, stride in zip(values.shape, values.strides, strict=True):
        broadcast = stride == 0 and size > 1
        repeats *= size if broadcast else 1
        once.append(slice(0, 1) if broadcast else slice(None))
    return int(xp.count_nonzero(values[tuple(once)])) * repeats


def where_nonzero(condition: Tensor) -> tuple[Tensor, ...]:
    """``core.where(condition)``: the same as ``condition.nonzero(as_tuple=True)``."""
    return nonzero(condition, as_tuple=True)
