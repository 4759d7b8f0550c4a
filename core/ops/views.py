"""View ops on tensors: new layouts over the same storage (and reshape's copy when it must).

Each op records its PyTorch node (``ViewBackward0``, ``TransposeBackward0``...) with its
chain rule beside it: the gradient of a view flows back into the shape of its input.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

from core import views
from core.autograd.grad_mode import GRAD_MODE
from core.autograd.record import record
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
        lambda: f"grad_self = grad.reshape({list(sizes)})",
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
        # PyTorch views a contiguous input, and aliases a strided one with new strides.
        name = "ViewBackward0" if self._layout.contiguous else "ReshapeAliasBackward0"
        return _reshaped_back(result, name, self)
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
        lambda: f"grad_self = grad.transpose({dim0}, {dim1})",
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
        lambda: f"grad_self = grad.permute({inverse})",
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
        lambda: f"grad_self = grad summed back to {list(self_sizes)}",
    )


def expand_as(self: Tensor, other: Tensor) -> Tensor:
    return expand(self, other.shape)


def broadcast_to(self: Tensor, size: Sequence[int]) -> Tensor:
    return expand(self, parse_shape([size]))


def _placed_back(
    result: Tensor, name: str, self: Tensor, place: Any, where: Callable[[], str]
) -> Tensor:
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
        lambda: f"grad_self = zeros {list(sizes)} with grad at {where()}",
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
        lambda: f"dim {dim}, [{begin}:{end}:{step}]",
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
        lambda: f"[{', '.join([':'] * wrapped + [str(position)])}]",
    )


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
        lambda: f"grad_self = grad.squeeze({wrapped})",
    )


def squeeze(self: Tensor, dim: int | Sequence[int] | None = None) -> Tensor:
    name = "SqueezeBackward0"
    if dim is not None:
        name = "SqueezeBackward2" if isinstance(dim, (tuple, list)) else "SqueezeBackward1"
        dim = (as_int(dim, "dim"),) if not isinstance(dim, (tuple, list)) else tuple(dim)
    result = view_of(self, views.squeeze(self._layout, dim))
    return _reshaped_back(result, name, self)


def diagonal(self: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    result = view_of(self, views.diagonal(self._layout, offset, dim1, dim2))
    return _placed_back(
        result,
        "DiagonalBackward0",
        self,
        lambda t: view_of(t, views.diagonal(t._layout, offset, dim1, dim2)),
        lambda: f"the diagonal (offset={offset}, dim1={dim1}, dim2={dim2})",
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
