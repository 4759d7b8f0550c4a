"""In-place writes: they change the shared storage (seen by every view) and bump its version.

With autograd, an in-place op is its out-of-place op written back: the op's node
becomes the history of the written tensor (``autograd.record.rebase_history``), and
a write through a view gives the view's base a ``CopySlices`` node, as in PyTorch.
"""

from __future__ import annotations

from typing import Any

from core import dtypes, layout, views
from core.autograd.record import (
    check_in_place,
    keep_old_value,
    make_node,
    needs_grad,
    rebase_history,
)
from core.layout import Layout
from core.ops import arithmetic, logical, power, selection
from core.ops.pointwise import TensorOrScalar, as_array, is_scalar
from core.tensor import Tensor

OVERLAP_INSIDE = (
    "unsupported operation: more than one element of the written-to tensor refers to a single "
    "memory location. Please clone() the tensor before performing the operation."
)
OVERLAP_BETWEEN = (
    "unsupported operation: some elements of the input tensor and the written-to tensor refer to a "
    "single memory location. Please clone() the tensor before performing the operation."
)


def ensure_writeable(target: Tensor) -> None:
    """Refuse, with a way out, to write into a read-only NumPy array shared by ``from_numpy``."""
    if not target._storage.writeable:
        raise RuntimeError(
            "this tensor shares a read-only NumPy array (from_numpy of a non-writable array), "
            "so it cannot be written: copy it first, e.g. core.tensor(array) or array.copy()"
        )


def check_writable(target: Tensor, *inputs: Any) -> None:
    """PyTorch's memory-overlap checks before a write into ``target``."""
    ensure_writeable(target)
    if layout.has_internal_overlap(target._layout.sizes, target._layout.strides):
        raise RuntimeError(OVERLAP_INSIDE)
    for value in inputs:
        if (
            isinstance(value, Tensor)
            and value._storage is target._storage
            and layout.overlap_between(target._layout, value._layout) is layout.Overlap.PARTIAL
        ):
            raise RuntimeError(OVERLAP_BETWEEN)


def source_values(
    value: Any, target: Tensor, shape: tuple[int, ...] | None, *, drop_leading_ones: bool = False
) -> Any:
    """Values for ``target``: a number, or a tensor's values checked to broadcast to ``shape``.

    With ``drop_leading_ones``, leading size-1 dims of the value go first, as PyTorch's
    ``x[index] = value`` does (``copy_`` itself does not). A tensor on another device is
    copied to ``target``'s (``copy_`` moves data between devices, as in PyTorch).
    """
    if isinstance(value, Tensor):
        values = value._values_on(target._storage.device)
        if shape is not None:
            sizes = value._layout.sizes
            while drop_leading_ones and len(sizes) > len(shape) and sizes[0] == 1:
                sizes = sizes[1:]
            values = values.reshape(sizes)
            views.expand(
                Layout(sizes, layout.contiguous_strides(sizes), 0), shape
            )  # PyTorch's error if not
        return values
    if is_scalar(value):
        dtypes.check_fits(value, target.dtype)
        return as_array(value, target.dtype)
    raise TypeError(f"can't assign a {type(value).__name__} to a tensor: use a number or a tensor")


def finish_write(target: Tensor) -> Tensor:
    target._storage.version += 1
    return target


def _store(self: Tensor, result: Tensor, *inputs: Any) -> Tensor:
    """Write an out-of-place ``result`` back into ``self`` with PyTorch's in-place checks."""
    if not dtypes.can_cast(result.dtype, self.dtype):
        given, wanted = dtypes.scalar_type_name(result.dtype), dtypes.scalar_type_name(self.dtype)
        raise RuntimeError(f"result type {given} can't be cast to the desired output type {wanted}")
    if tuple(result.shape) != tuple(self.shape):
        raise RuntimeError(
            f"output with shape {list(self.shape)} doesn't match "
            f"the broadcast shape {list(result.shape)}"
        )
    if result._storage.device is not self._storage.device:
        # TensorIterator's check: the written tensor is an output, never a CPU scalar.
        raise RuntimeError(
            "Expected all tensors to be on the same device, but found at least two devices, "
            f"{result.device} and {self.device}!"
        )
    check_writable(self, *inputs)
    check_in_place(self)
    node = result._grad_fn
    keep_old_value(node, self)
    self._storage.backend.assign(self._values(), result._values())
    finish_write(self)
    rebase_history(self, node)
    return self


def add_(self: Tensor, other: TensorOrScalar, *, alpha: Any = 1) -> Tensor:
    return _store(self, arithmetic.add(self, other, alpha=alpha), other)


def sub_(self: Tensor, other: TensorOrScalar, *, alpha: Any = 1) -> Tensor:
    return _store(self, arithmetic.sub(self, other, alpha=alpha), other)


def _in_place(out_of_place: Any) -> Any:
    """The in-place form of a binary op: compute it, then write back with PyTorch's checks."""

    def op(self: Tensor, other: TensorOrScalar) -> Tensor:
        return _store(self, out_of_place(self, other), other)

    op.__name__ = f"{out_of_place.__name__}_"
    op.__doc__ = f"In-place ``{out_of_place.__name__}``: writes into this tensor's storage."
    return op


mul_ = _in_place(arithmetic.mul)
floor_divide_ = _in_place(arithmetic.floor_divide)
remainder_ = _in_place(arithmetic.remainder)
pow_ = _in_place(power.pow)
bitwise_and_ = _in_place(logical.bitwise_and)
bitwise_or_ = _in_place(logical.bitwise_or)
bitwise_xor_ = _in_place(logical.bitwise_xor)


def div_(self: Tensor, other: TensorOrScalar, *, rounding_mode: str | None = None) -> Tensor:
    return _store(self, arithmetic.div(self, other, rounding_mode=rounding_mode), other)


def clamp_(
    self: Tensor, min: TensorOrScalar | None = None, max: TensorOrScalar | None = None
) -> Tensor:  # noqa: A002
    return _store(self, selection.clamp(self, min, max), min, max)


def fill_(self: Tensor, value: Any) -> Tensor:
    """Set every element to one value (a number or a 0-d tensor), even through expanded dims."""
    if isinstance(value, Tensor):
        if value.dim() != 0:
            raise RuntimeError(
                "fill_ only supports 0-dimension value tensor "
                f"but got tensor with {value.dim()} dimensions."
            )
        value = value.item()  # read first, as PyTorch's CPU fill_ does: no overlap check
    elif not is_scalar(value):
        raise TypeError(f"fill_(): argument 'value' must be Number, not {type(value).__name__}")
    else:
        dtypes.check_fits(value, self.dtype)
    ensure_writeable(self)
    return _fill(self, value, "FillBackward2")


def _fill(self: Tensor, value: Any, name: str) -> Tensor:
    """Write one number everywhere; the gradient of what was there before is 0."""
    check_in_place(self)
    node = (
        make_node(
            name, (self,), lambda grad, saved: (grad.new_zeros(grad.shape),), None, "grad_self = 0"
        )
        if needs_grad((self,))
        else None
    )
    # A number needs no overlap check: PyTorch fills it through an expanded tensor too.
    # Through the backend's assign: CuPy's setitem of a number fills, and its fill memsets a
    # zero (-0.0 would become +0.0).
    self._storage.backend.assign(self._values(), as_array(value, self.dtype))
    finish_write(self)
    rebase_history(self, node)
    return self


def zero_(self: Tensor) -> Tensor:
    ensure_writeable(self)
    return _fill(self, 0, "ZeroBackward0")


def copy_(self: Tensor, src: Tensor, non_blocking: bool = False) -> Tensor:
    """Copy ``src`` (broadcast to this shape, cast to this dtype) into this tensor's storage."""
    if not isinstance(src, Tensor):
        raise TypeError(f"copy_(): argument 'src' must be Tensor, not {type(src).__name__}")
    return copy_into(self, src)


def copy_into(target: Tensor, value: Any, *, drop_leading_ones: bool = False) -> Tensor:
    """``copy_`` of a tensor or a number, broadcast; the gradient goes to the value."""
    values = source_values(value, target, tuple(target.shape), drop_leading_ones=drop_leading_ones)
    same_data = (
        isinstance(value, Tensor)
        and value._storage is target._storage
        and value._layout == target._layout
    )
    if not same_data:
        check_writable(target, value)
    check_in_place(target)
    node = (
        make_node(
            "core::autograd::CopyBackwards",
            (target, value),
            lambda grad, saved: (grad.new_zeros(grad.shape), grad),
            None,
            "grad_self = 0\ngrad_src = grad",
        )
        if needs_grad((target, value))
        else None
    )
    if not same_data:
        target._storage.backend.assign(target._values(), values)
    finish_write(target)
    rebase_history(target, node)
    return target
