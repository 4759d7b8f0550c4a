"""The one place elementwise work happens: broadcasting, type promotion, result layout.

Like PyTorch's TensorIterator, ``pointwise`` broadcasts its operands, lays out
the result with PyTorch's stride rules (``layout.elementwise_result_strides``),
casts inputs to the computation dtype and runs one NumPy ufunc into the result.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from core import dtypes, layout
from core.dtypes import dtype
from core.layout import Operand
from core.tensor import Tensor, empty_tensor, new_tensor

Scalar = bool | int | float
TensorOrScalar = Tensor | Scalar


def is_scalar(value: Any) -> bool:
    return isinstance(value, (bool, int, float, np.bool_, np.integer, np.floating))


def check_operand(value: Any, op: str) -> None:
    if not isinstance(value, Tensor) and not is_scalar(value):
        raise TypeError(f"{op}(): expected a tensor or a number, but got {type(value).__name__}")


def result_type(*operands: TensorOrScalar) -> dtype:
    """PyTorch's ``result_type``: tensors with dims outrank 0-d tensors, which outrank Python numbers."""
    first = operands[0]
    if isinstance(first, Tensor) and all(
        isinstance(v, Tensor) and v._storage.dtype is first._storage.dtype for v in operands
    ):
        return first._storage.dtype  # the common case, decided without the category rules
    dimensioned, zero_dim, scalars = [], [], []
    for value in operands:
        if isinstance(value, Tensor):
            (dimensioned if value.dim() else zero_dim).append(value.dtype)
        else:
            scalars.append(dtypes.scalar_dtype(value))
    return dtypes.result_type_of(dimensioned, zero_dim, scalars)


def common_device(tensors: Sequence[Tensor]) -> Any:
    devices = {str(t.device): t.device for t in tensors}
    if len(devices) > 1:
        first, second = list(devices)[:2]
        raise RuntimeError(
            "Expected all tensors to be on the same device, but found at least two devices, "
            f"{first} and {second}! Move them with .to(device) first."
        )
    return tensors[0].device


def as_array(value: TensorOrScalar, work: dtype) -> Any:
    """The operand's values in the computation dtype (a view when no cast is needed)."""
    if type(value) is Tensor:
        values = value._values()
        return values if value._storage.dtype is work else values.astype(work.numpy_dtype)
    return np.array(value).astype(work.numpy_dtype)


def output_like(operands: Sequence[TensorOrScalar], result: dtype) -> Tensor:
    """An uninitialised result with the broadcast shape and PyTorch's layout for these operands."""
    tensors = [v for v in operands if isinstance(v, Tensor)]
    where = common_device(tensors)
    shape = layout.broadcast_shapes(*(t._layout.sizes for t in tensors))
    described = [
        Operand(v._layout.sizes, v._layout.strides, v.element_size())
        if isinstance(v, Tensor)
        else Operand((), (), 8)
        for v in operands
    ]
    strides = layout.elementwise_result_strides(shape, described)
    return empty_tensor(shape, strides, where, result)


def pointwise(
    numpy_fn: Callable[..., Any],
    operands: Sequence[TensorOrScalar],
    *,
    result: dtype,
    compute: dtype | None = None,
) -> Tensor:
    """Run ``numpy_fn`` elementwise over broadcast ``operands`` into a new tensor of dtype ``result``.

    Inputs are cast to ``compute`` (default: ``result``) first, as PyTorch casts
    to the common dtype; floating-point warnings are PyTorch's silent inf and nan.
    """
    work = compute or result
    first = operands[0]
    if _same_contiguous_layout(first, operands):
        # The common case, kept short: one shape, all contiguous, so the result is contiguous too.
        values = first._storage.backend.xp.empty(first._layout.sizes, dtype=result.numpy_dtype)
        out = new_tensor(values, first._storage.device, result)
    else:
        out = output_like(operands, result)
        values = out._values()
    arrays = [as_array(v, work) for v in operands]
    with np.errstate(all="ignore"):
        numpy_fn(*arrays, out=values, casting="unsafe")
    return out


def _same_contiguous_layout(first: TensorOrScalar, operands: Sequence[TensorOrScalar]) -> bool:
    if type(first) is not Tensor:
        return False
    first_layout, where = first._layout, first._storage.device
    for v in operands:
        if type(v) is not Tensor:
            return False
        v_layout = v._layout
        if (
            v_layout.sizes != first_layout.sizes
            or not v_layout.contiguous
            or v._storage.device != where
        ):
            return False
    return True


def float_result(self: Tensor) -> dtype:
    """Ops such as exp and sqrt turn integer and bool inputs into the default float dtype."""
    return self.dtype if self.dtype.is_floating_point else dtypes.get_default_dtype()


def compute_dtype(result: dtype) -> dtype:
    """float16 math runs in float32 and rounds once at the end, as PyTorch's CPU kernels do."""
    return dtypes.float32 if result is dtypes.float16 else result
