"""View ops on tensors: new layouts over the same storage (and reshape's copy when it must).

Each op records its PyTorch node (``ViewBackward0``, ``TransposeBackward0``...) with its
chain rule beside it: the gradient of a view flows back into the shape of its input.
"""

from __future__ import annotations

import warnings
import weakref
from collections.abc import Sequence
from typing import Any

from core import layout, views
from core.autograd.grad_mode import GRAD_MODE
from core.autograd.record import make_node, record
from core.layout import (
    Layout,
    contiguous_layout,
    infer_size,
    plan_view,
    wrap_dim,
)
from core.memory_format import contiguous_format
from core.ops.arguments import as_int, parse_dims, parse_shape
from core.ops.joining import cat, stack
from core.result_layout import strides_for_format
from core.tensor import Tensor, empty_tensor


def view_of(source: Tensor, new_layout: Layout) -> Tensor:
    """A tensor over the same storage as ``source``, whose ``_base`` is the root of ``source``.

    Made with grad mode on, it is a differentiable view (PyTorch's term): an in-place
    write through it rewrites its base's history.
    """
    result = Tensor._make(source._storage, new_layout, base=source)
    if GRAD_MODE.enabled:
        result._grad_fn_version = source._storage.version
    return result


def _reshaped_back(result: Tensor, name: str, self: Tensor) -> Tensor:
    """Record ``name``, whose gradient is reshaped back to the input's sizes."""
    sizes = self._layout.sizes
    return record(
        result,
        name,
        (self,),
        lambda grad, saved: (grad.reshape(sizes),),
        {"self_sym_sizes": sizes},
        f"grad_self = grad.reshape({list(sizes)})",
    )


def view(self: Tensor, *shape: Any) -> Tensor:
    result = view_of(self, views.view(self._layout, parse_shape(shape)))
    return _reshaped_back(result, "ViewBackward0", self)


def view_as(self: Tensor, other: Tensor) -> Tensor:
    return view(self, other.shape)


def reshape(self: Tensor, *shape: Any) -> Tensor:
    """A view when PyTorch's stride rule allows one, else a contiguous copy (as PyTorch decides)."""
    sizes = infer_size(parse_shape(shape), self.numel())
    plan = plan_view(self._layout.sizes, self._layout.strides, sizes)
    if plan.strides is not None:
        result = view_of(self, Layout(sizes, plan.strides, self._layout.offset))
        return _reshaped_back(result, "ViewBackward0", self)
    return unsafe_view(clone(self, memory_format=contiguous_format), sizes)


def unsafe_view(self: Tensor, sizes: tuple[int, ...]) -> Tensor:
    """PyTorch's ``_unsafe_view``: a contiguous tensor's storage seen with new sizes, not a view."""
    result = Tensor._make(self._storage, contiguous_layout(tuple(sizes)))
    return _reshaped_back(result, "UnsafeViewBackward0", self)


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
    dim0, dim1 = as_int(dim0, "dim0"), as_int(dim1, "dim1")
    result = view_of(self, views.transpose(self._layout, dim0, dim1))
    return record(
        result,
        "TransposeBackward0",
        (self,),
        lambda grad, saved: (grad.transpose(dim0, dim1),),
        {"dim0": dim0, "dim1": dim1},
        f"grad_self = grad.transpose({dim0}, {dim1})",
    )


swapaxes = transpose
swapdims = transpose


def t(self: Tensor) -> Tensor:
    result = view_of(self, views.matrix_transpose(self._layout))
    return record(
        result, "TBackward0", (self,), lambda grad, saved: (grad.t(),), None, "grad_self = grad.t()"
    )


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
    dims = parse_dims(dims)
    result = view_of(self, views.permute(self._layout, dims))
    inverse = [0] * len(dims)
    for position, dim in enumerate(dims):
        inverse[wrap_dim(dim, len(dims))] = position
    return record(
        result,
        "PermuteBackward0",
        (self,),
        lambda grad, saved: (grad.permute(inverse),),
        {"dims": dims},
        f"grad_self = grad.permute({inverse})",
    )


def movedim(self: Tensor, source: int | Sequence[int], destination: int | Sequence[int]) -> Tensor:
    source = (source,) if isinstance(source, int) else tuple(source)
    destination = (destination,) if isinstance(destination, int) else tuple(destination)
    order = views.movedim_order(self.dim(), source, destination)
    return permute(self, order) if order else alias(self)


def alias(self: Tensor) -> Tensor:
    """A view with this tensor's own layout (PyTorch's ``alias``: ``x[...]``, a 0-d movedim)."""
    return record(
        view_of(self, self._layout),
        "AliasBackward0",
        (self,),
        lambda grad, saved: (grad,),
        None,
        "grad_self = grad",
    )


moveaxis = movedim


def expand(self: Tensor, *sizes: Any) -> Tensor:
    result = view_of(self, views.expand(self._layout, parse_shape(sizes)))
    self_sizes = self._layout.sizes
    return record(
        result,
        "ExpandBackward0",
        (self,),
        lambda grad, saved: (grad.sum_to_size(self_sizes),),
        {"self_sym_sizes": self_sizes},
        f"grad_self = grad summed back to {list(self_sizes)}",
    )


def expand_as(self: Tensor, other: Tensor) -> Tensor:
    return expand(self, other.shape)


def broadcast_to(self: Tensor, size: Sequence[int]) -> Tensor:
    return expand(self, parse_shape([size]))


def _placed_back(result: Tensor, name: str, self: Tensor, place: Any, where: str) -> Tensor:
    """Record ``name``: the gradient goes back into the same place of a zero input."""
    sizes = self._layout.sizes

    def rule(grad: Tensor, saved: Any) -> tuple[Tensor]:
        grad_self = grad.new_zeros(sizes)
        place(grad_self).copy_(grad)
        return (grad_self,)

    return record(
        result,
        name,
        (self,),
        rule,
        {"self_sym_sizes": sizes},
        f"grad_self = zeros {list(sizes)} with grad at {where}",
    )


def slice_dim(self: Tensor, dim: int, start: int | None, stop: int | None, step: int) -> Tensor:
    """``x[start:stop:step]`` along ``dim``: PyTorch's ``slice`` (``SliceBackward0``)."""
    result = view_of(self, views.slice_dim(self._layout, dim, start, stop, step))
    dim = wrap_dim(dim, self.dim())
    begin, end = views.slice_bounds(self.shape[dim], start, stop)
    return _placed_back(
        result,
        "SliceBackward0",
        self,
        lambda t: view_of(t, views.slice_dim(t._layout, dim, begin, end, step)),
        f"dim {dim}, [{begin}:{end}:{step}]",
    )


def narrow(self: Tensor, dim: int, start: int, length: int) -> Tensor:
    dim, start, length = as_int(dim, "dim"), as_int(start, "start"), as_int(length, "length")
    views.narrow(self._layout, dim, start, length)  # PyTorch's narrow checks and messages
    start = start + self.shape[wrap_dim(dim, self.dim())] if start < 0 else start
    return slice_dim(self, dim, start, start + length, 1)


def select(self: Tensor, dim: int, index: int) -> Tensor:
    dim, index = as_int(dim, "dim"), as_int(index, "index")
    result = view_of(self, views.select(self._layout, dim, index))
    wrapped = wrap_dim(dim, self.dim())
    position = index % self.shape[wrapped]
    return _placed_back(
        result,
        "SelectBackward0",
        self,
        lambda t: view_of(t, views.select(t._layout, wrapped, position)),
        f"[{', '.join([':'] * wrapped + [str(position)])}]",
    )


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
        f"grad_self = stack(grads, dim={dim})",
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

    return record(pieces, name, (self,), rule, saved, f"grad_self = cat(grads, dim={dim})")


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


def unsqueeze(self: Tensor, dim: int) -> Tensor:
    dim = as_int(dim, "dim")
    result = view_of(self, views.unsqueeze(self._layout, dim))
    wrapped = wrap_dim(dim, self.dim() + 1)
    return record(
        result,
        "UnsqueezeBackward0",
        (self,),
        lambda grad, saved: (grad.squeeze(wrapped),),
        {"dim": wrapped},
        f"grad_self = grad.squeeze({wrapped})",
    )


def squeeze(self: Tensor, dim: int | Sequence[int] | None = None) -> Tensor:
    name = "SqueezeBackward0"
    if dim is not None:
        name = "SqueezeBackward2" if isinstance(dim, (tuple, list)) else "SqueezeBackward1"
        dim = (as_int(dim, "dim"),) if not isinstance(dim, (tuple, list)) else tuple(dim)
    result = view_of(self, views.squeeze(self._layout, dim))
    return _reshaped_back(result, name, self)


def unfold(self: Tensor, dimension: int, size: int, step: int) -> Tensor:
    result = view_of(
        self,
        views.unfold(
            self._layout, as_int(dimension, "dimension"), as_int(size, "size"), as_int(step, "step")
        ),
    )
    return _strided_back(result, "UnfoldBackward0", self)


def _strided_back(result: Tensor, name: str, self: Tensor) -> Tensor:
    """Record ``name``, whose rule adds each view element's gradient into what it reads."""
    input_layout, view_layout = self._layout, result._layout
    return record(
        result,
        name,
        (self,),
        lambda grad, saved: (as_strided_backward(grad, input_layout, view_layout),),
        {"self_sym_sizes": input_layout.sizes},
        "grad_self[i] = sum of grad over the view elements that read element i",
    )


def as_strided_backward(grad: Tensor, input_layout: Layout, view_layout: Layout) -> Tensor:
    """PyTorch's as_strided_backward: scatter-add ``grad`` into storage, read it as the input.

    Where the input reads one storage element several times (an expanded input), the sum
    is shared equally among those reads, as PyTorch does.
    """
    span = max(
        layout.storage_span(input_layout.sizes, input_layout.strides, input_layout.offset),
        layout.storage_span(view_layout.sizes, view_layout.strides, view_layout.offset),
    )
    storage = grad.new_zeros(span)
    view_indices = _index_tensor(grad, view_layout)
    storage.index_put_((view_indices.reshape(-1),), grad.reshape(-1), accumulate=True)
    input_indices = _index_tensor(grad, input_layout)
    result = storage[input_indices]
    if layout.has_internal_overlap(input_layout.sizes, input_layout.strides):
        counts = grad.new_zeros(span)
        counts.index_put_((input_indices.reshape(-1),), grad.new_ones(()), accumulate=True)
        result = result / counts[input_indices]
    return result


def _index_tensor(like: Tensor, where: Layout) -> Tensor:
    from core.ops.factories import from_numpy

    indices = layout.storage_indices(where.sizes, where.strides, where.offset)
    return from_numpy(indices).to(like.device)


def regenerate_view_history(view: Tensor) -> None:
    """PyTorch's regenerated grad_fn of a view whose data changed in place since it was made.

    The view's gradient then goes to its base through ``AsStridedBackward0`` (the view's
    geometry in the base's storage), so it follows whatever history the base has now.
    """
    base = view._base
    view._grad_fn_version = view._storage.version
    if view._grad_fn is None and not base.requires_grad:
        return
    base_layout, view_layout = base._layout, view._layout
    node = make_node(
        "AsStridedBackward0",
        (base,),
        lambda grad, saved: (as_strided_backward(grad, base_layout, view_layout),),
        {"size": view_layout.sizes, "stride": view_layout.strides},
        "grad_base[i] = sum of grad over the view elements that read element i",
    )
    node.output_metadata = ((view_layout.sizes, view.dtype),)
    view._grad_fn = node
    view._output_nr = 0
    if view._retains_grad:
        node.retained[0] = weakref.ref(view)


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
    return _strided_back(view_of(self, new_layout), "AsStridedBackward0", self)


def diagonal(self: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    result = view_of(self, views.diagonal(self._layout, offset, dim1, dim2))
    return _placed_back(
        result,
        "DiagonalBackward0",
        self,
        lambda t: view_of(t, views.diagonal(t._layout, offset, dim1, dim2)),
        f"the diagonal (offset={offset}, dim1={dim1}, dim2={dim2})",
    )


def detach(self: Tensor) -> Tensor:
    """The same data, cut from the autograd graph; not a view to PyTorch (``_base`` is None)."""
    return Tensor._make(self._storage, self._layout)


def clone(self: Tensor, *, memory_format: Any = None) -> Tensor:
    """A copy in new storage; PyTorch's preserve_format keeps the strides of dense tensors."""
    sizes = self._layout.sizes
    strides = strides_for_format(sizes, self._layout.strides, memory_format)
    copy = empty_tensor(sizes, strides, self.device, self.dtype)
    copy._values()[...] = self._values()
    return record(
        copy, "CloneBackward0", (self,), lambda grad, saved: (grad,), None, "grad_self = grad"
    )


def contiguous(self: Tensor, memory_format: Any = None) -> Tensor:
    """The tensor itself when already contiguous, else a row-major copy."""
    if self.is_contiguous():
        return self
    return clone(self, memory_format=contiguous_format)
