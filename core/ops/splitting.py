"""Splitting a tensor into views: unbind, split, chunk and tensor_split.

unbind, split and chunk record one node for all pieces (``UnbindBackward0``,
``SplitBackward0``), whose gradient joins the pieces' gradients back (zeros for a
piece no gradient reached); tensor_split gives independent slices, as in PyTorch.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from core import views
from core.autograd.record import record
from core.layout import wrap_dim
from core.ops.arguments import as_int
from core.ops.joining import cat, stack
from core.ops.views import slice_dim, view_of
from core.tensor import Tensor


def unbind(self: Tensor, dim: int = 0) -> tuple[Tensor, ...]:
    if self.dim() == 0:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    dim = wrap_dim(dim, self.dim())
    pieces = tuple(
        view_of(self, views.select(self._layout, dim, i)) for i in range(self.shape[dim])
    )
    sizes = self._layout.sizes

    def rule(grads: tuple[Tensor | None, ...], saved: Any) -> tuple[Tensor]:
        like = next(g for g in grads if g is not None)
        filled = [like.new_zeros(sizes[:dim] + sizes[dim + 1 :]) if g is None else g for g in grads]
        return (stack(filled, dim),)

    return record(
        pieces,
        "UnbindBackward0",
        (self,),
        rule,
        {"dim": dim},
        lambda: f"grad_self = stack(grads, dim={dim})",
    )


def _split_pieces(
    self: Tensor, dim: int, bounds: Sequence[tuple[int, int]], name: str, saved: dict[str, Any]
) -> tuple[Tensor, ...]:
    """Views of ``self`` between ``bounds`` along ``dim``, recorded as one node ``name``."""
    pieces = tuple(
        view_of(self, views.slice_dim(self._layout, dim, start, stop, 1)) for start, stop in bounds
    )
    sizes = self._layout.sizes

    def rule(grads: tuple[Tensor | None, ...], saved: Any) -> tuple[Tensor]:
        like = next(g for g in grads if g is not None)
        filled = [
            like.new_zeros(sizes[:dim] + (stop - start,) + sizes[dim + 1 :]) if g is None else g
            for g, (start, stop) in zip(grads, bounds, strict=True)
        ]
        return (cat(filled, dim),)

    return record(pieces, name, (self,), rule, saved, lambda: f"grad_self = cat(grads, dim={dim})")


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
    if isinstance(split_size_or_sections, (list, tuple)):
        return _split_pieces(
            self, dim, bounds, "SplitWithSizesBackward0", {"split_sizes": sizes, "dim": dim}
        )
    return _split_pieces(self, dim, bounds, "SplitBackward0", {"split_size": sizes[0], "dim": dim})


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
            slice_dim(self, dim, start, stop, 1) for start, stop in zip(starts, stops, strict=True)
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
    return tuple(slice_dim(self, dim, begin, end, 1) for begin, end in bounds)
