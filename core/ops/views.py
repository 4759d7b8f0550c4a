"""View ops on tensors: new layouts over the same storage (and reshape's copy when it must)."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

from core import views
from core.layout import (
    Layout,
    contiguous_layout,
    infer_size,
    plan_view,
    wrap_dim,
)
from core.memory_format import contiguous_format
from core.ops.arguments import as_int, parse_dims, parse_shape
from core.result_layout import strides_for_format
from core.tensor import Tensor, empty_tensor


def view_of(source: Tensor, new_layout: Layout) -> Tensor:
    """A tensor over the same storage as ``source``, whose ``_base`` is the root of ``source``."""
    return Tensor._make(source._storage, new_layout, base=source)


def view(self: Tensor, *shape: Any) -> Tensor:
    return view_of(self, views.view(self._layout, parse_shape(shape)))


def view_as(self: Tensor, other: Tensor) -> Tensor:
    return view(self, other.shape)


def reshape(self: Tensor, *shape: Any) -> Tensor:
    """A view when PyTorch's stride rule allows one, else a contiguous copy (as PyTorch decides)."""
    sizes = infer_size(parse_shape(shape), self.numel())
    plan = plan_view(self._layout.sizes, self._layout.strides, sizes)
    if plan.strides is not None:
        return view_of(self, Layout(sizes, plan.strides, self._layout.offset))
    copy = clone(self, memory_format=contiguous_format)
    return Tensor._make(copy._storage, contiguous_layout(tuple(sizes)))


def reshape_as(self: Tensor, other: Tensor) -> Tensor:
    return reshape(self, other.shape)


def flatten(self: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    start, end = wrap_dim(start_dim, self.dim()), wrap_dim(end_dim, self.dim())
    if start > end:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if self.dim() == 0:
        return reshape(self, 1)
    if start == end:
        return self
    sizes = self.shape
    merged = 1
    for size in sizes[start : end + 1]:
        merged *= size
    return reshape(self, tuple(sizes[:start]) + (merged,) + tuple(sizes[end + 1 :]))


def unflatten(self: Tensor, dim: int, sizes: Sequence[int]) -> Tensor:
    sizes = parse_shape([sizes])
    dim = wrap_dim(dim, self.dim())
    if self.dim() == 0:
        raise RuntimeError("unflatten: Dimension specified as 0 but tensor has no dimensions")
    if not sizes:
        raise RuntimeError("unflatten: sizes must be non-empty")
    try:
        inferred = infer_size(sizes, self.shape[dim])
    except RuntimeError:
        raise RuntimeError(
            f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim {dim} "
            f"({self.shape[dim]}) in the input tensor"
        ) from None
    return view(self, tuple(self.shape[:dim]) + inferred + tuple(self.shape[dim + 1 :]))


def transpose(self: Tensor, dim0: int, dim1: int) -> Tensor:
    return view_of(self, views.transpose(self._layout, as_int(dim0, "dim0"), as_int(dim1, "dim1")))


swapaxes = transpose
swapdims = transpose


def t(self: Tensor) -> Tensor:
    return view_of(self, views.matrix_transpose(self._layout))


def numpy_T(self: Tensor) -> Tensor:  # noqa: N802 - PyTorch's property is ``T``
    """``x.T``: all dims reversed (PyTorch warns below and above 2 dims)."""
    if self.dim() == 0:
        warnings.warn(
            "Tensor.T is deprecated on 0-D tensors. This function is the identity in these cases.",
            UserWarning,
            stacklevel=3,
        )
    elif self.dim() != 2:
        warnings.warn(
            "The use of `x.T` on tensors of dimension other than 2 to reverse their shape is "
            "deprecated and it will throw an error in a future release. Consider `x.mT` to "
            "transpose batches of matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` "
            "to reverse the dimensions of a tensor.",
            UserWarning,
            stacklevel=3,
        )
    return permute(self, tuple(range(self.dim() - 1, -1, -1)))


def matrix_T(self: Tensor) -> Tensor:  # noqa: N802 - PyTorch's property is ``mT``
    """``x.mT``: the last two dims swapped."""
    if self.dim() == 0:
        warnings.warn(
            "Tensor.mT is deprecated on 0-D tensors. This function is the identity in these cases.",
            UserWarning,
            stacklevel=3,
        )
        return self
    if self.dim() < 2:
        raise RuntimeError(
            "tensor.mT is only supported on matrices or batches of matrices. "
            f"Got {self.dim()}-D tensor."
        )
    return transpose(self, -2, -1)


def permute(self: Tensor, *dims: Any) -> Tensor:
    return view_of(self, views.permute(self._layout, parse_dims(dims)))


def movedim(self: Tensor, source: int | Sequence[int], destination: int | Sequence[int]) -> Tensor:
    source = (source,) if isinstance(source, int) else tuple(source)
    destination = (destination,) if isinstance(destination, int) else tuple(destination)
    return view_of(self, views.movedim(self._layout, source, destination))


moveaxis = movedim


def expand(self: Tensor, *sizes: Any) -> Tensor:
    return view_of(self, views.expand(self._layout, parse_shape(sizes)))


def expand_as(self: Tensor, other: Tensor) -> Tensor:
    return expand(self, other.shape)


def broadcast_to(self: Tensor, size: Sequence[int]) -> Tensor:
    return expand(self, parse_shape([size]))


def narrow(self: Tensor, dim: int, start: int, length: int) -> Tensor:
    return view_of(
        self,
        views.narrow(
            self._layout, as_int(dim, "dim"), as_int(start, "start"), as_int(length, "length")
        ),
    )


def select(self: Tensor, dim: int, index: int) -> Tensor:
    return view_of(self, views.select(self._layout, as_int(dim, "dim"), as_int(index, "index")))


def unbind(self: Tensor, dim: int = 0) -> tuple[Tensor, ...]:
    if self.dim() == 0:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    dim = wrap_dim(dim, self.dim())
    return tuple(select(self, dim, i) for i in range(self.shape[dim]))


def _slices(self: Tensor, dim: int, bounds: Sequence[tuple[int, int]]) -> tuple[Tensor, ...]:
    return tuple(
        view_of(self, views.slice_dim(self._layout, dim, start, stop, 1)) for start, stop in bounds
    )


def split(
    self: Tensor, split_size_or_sections: int | Sequence[int], dim: int = 0
) -> tuple[Tensor, ...]:
    """Pieces of ``split_size`` along ``dim`` (the last may be smaller), or of the given sizes."""
    if self.dim() == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    dim = wrap_dim(dim, self.dim())
    dim_size = self.shape[dim]
    if isinstance(split_size_or_sections, (list, tuple)):
        sizes = [as_int(s, "split size") for s in split_size_or_sections]
        if sum(sizes) != dim_size or any(s < 0 for s in sizes):
            raise RuntimeError(
                f"split_with_sizes expects split_sizes to sum exactly to {dim_size} "
                f"(input tensor's size at dimension {dim}), but got split_sizes={sizes}"
            )
    else:
        split_size = as_int(split_size_or_sections, "split_size")
        if split_size < 0:
            raise RuntimeError(
                f"split expects split_size be non-negative, but got split_size={split_size}"
            )
        if split_size == 0 and dim_size != 0:
            raise RuntimeError(
                "split_size can only be 0 if dimension size is 0, "
                f"but got dimension size of {dim_size}"
            )
        count = max(-(-dim_size // split_size), 1) if split_size else 1
        sizes = [split_size] * (count - 1) + [dim_size - split_size * (count - 1)]
    bounds, start = [], 0
    for size in sizes:
        bounds.append((start, start + size))
        start += size
    return _slices(self, dim, bounds)


def chunk(self: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    if self.dim() == 0:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    dim = wrap_dim(dim, self.dim())
    dim_size = self.shape[dim]
    split_size = -(-dim_size // chunks)
    if split_size == 0 and dim_size == 0:
        return split(self, [0] * chunks, dim)
    return split(self, split_size, dim)


def tensor_split(self: Tensor, indices_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """Split into ``n`` near-equal parts, or at the given indices (clamped, as slicing does)."""
    if self.dim() == 0:
        raise RuntimeError(
            "tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 dims"
        )
    dim = wrap_dim(dim, self.dim())
    if isinstance(indices_or_sections, Tensor):
        if indices_or_sections.dim() > 1 or indices_or_sections.is_floating_point():
            raise RuntimeError(
                "tensor_split expected tensor_indices_or_sections to be a zero-dimensional or "
                "one-dimensional tensor of integers"
            )
        indices_or_sections = indices_or_sections.tolist()
    if isinstance(indices_or_sections, (list, tuple)):
        cuts = [as_int(i, "index") for i in indices_or_sections]
        starts = [0, *cuts]
        stops = [*cuts, None]
        return tuple(
            view_of(self, views.slice_dim(self._layout, dim, start, stop, 1))
            for start, stop in zip(starts, stops, strict=True)
        )
    sections = as_int(indices_or_sections, "sections")
    if sections <= 0:
        raise RuntimeError(f"number of sections must be larger than 0, got {sections}")
    dim_size = self.shape[dim]
    base, extra = divmod(dim_size, sections)
    bounds, start = [], 0
    for i in range(sections):
        size = base + (1 if i < extra else 0)
        bounds.append((start, start + size))
        start += size
    return _slices(self, dim, bounds)


def unsqueeze(self: Tensor, dim: int) -> Tensor:
    return view_of(self, views.unsqueeze(self._layout, as_int(dim, "dim")))


def squeeze(self: Tensor, dim: int | Sequence[int] | None = None) -> Tensor:
    if dim is not None:
        dim = (as_int(dim, "dim"),) if not isinstance(dim, (tuple, list)) else tuple(dim)
    return view_of(self, views.squeeze(self._layout, dim))


def unfold(self: Tensor, dimension: int, size: int, step: int) -> Tensor:
    return view_of(
        self,
        views.unfold(
            self._layout, as_int(dimension, "dimension"), as_int(size, "size"), as_int(step, "step")
        ),
    )


def as_strided(
    self: Tensor, size: Sequence[int], stride: Sequence[int], storage_offset: int | None = None
) -> Tensor:
    new_layout = views.as_strided(
        self._layout,
        self._storage.element_count,
        parse_shape([size]),
        parse_shape([stride], "stride"),
        storage_offset,
    )
    return view_of(self, new_layout)


def diagonal(self: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    return view_of(self, views.diagonal(self._layout, offset, dim1, dim2))


def detach(self: Tensor) -> Tensor:
    """The same data, cut from the autograd graph; not a view to PyTorch (``_base`` is None)."""
    return Tensor._make(self._storage, self._layout)


def clone(self: Tensor, *, memory_format: Any = None) -> Tensor:
    """A copy in new storage; PyTorch's preserve_format keeps the strides of dense tensors."""
    sizes = self._layout.sizes
    strides = strides_for_format(sizes, self._layout.strides, memory_format)
    copy = empty_tensor(sizes, strides, self.device, self.dtype)
    copy._values()[...] = self._values()
    return copy


def contiguous(self: Tensor, memory_format: Any = None) -> Tensor:
    """The tensor itself when already contiguous, else a row-major copy."""
    if self.is_contiguous():
        return self
    return clone(self, memory_format=contiguous_format)
