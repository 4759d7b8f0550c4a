"""The one place elementwise work happens: broadcasting, type promotion, result layout.

Like PyTorch's TensorIterator, ``pointwise`` broadcasts its operands, lays out
the result with PyTorch's stride rules (``result_layout.elementwise_result_strides``),
casts inputs to the computation dtype and runs one NumPy ufunc into the result.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from core import dtypes, layout, result_layout
from core.device import CPU
from core.dtypes import dtype
from core.memory import ALLOCATION_LIMIT, check_allocation
from core.result_layout import Operand
from core.tensor import Tensor, empty_tensor, tensor_over

Scalar = bool | int | float
TensorOrScalar = Tensor | Scalar


def is_scalar(value: Any) -> bool:
    return isinstance(value, (bool, int, float, np.bool_, np.integer, np.floating))


def check_operand(value: Any, op: str) -> None:
    if not isinstance(value, Tensor) and not is_scalar(value):
        raise TypeError(f"{op}(): expected a tensor or a number, but got {type(value).__name__}")


def result_type(*operands: TensorOrScalar) -> dtype:
    """PyTorch's ``result_type``: tensors with dims outrank 0-d tensors, then Python numbers."""
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


def common_device(tensors: Sequence[Tensor], allow_cpu_scalar: bool = True) -> Any:
    """The device the op runs on: PyTorch's TensorIterator rule, and its error.

    The first non-CPU device among ``tensors`` is the common one; every other tensor must
    be there too, except one 0-d CPU tensor (a number in a tensor), which a GPU kernel
    takes as an argument when ``allow_cpu_scalar``.
    """
    first = tensors[0]._storage.device
    if all(t._storage.device is first for t in tensors):
        return first
    common = next((t.device for t in tensors if t.device.type != "cpu"), first)
    scalars = 1 if allow_cpu_scalar and common.type != "cpu" else 0
    for t in tensors:
        where = t._storage.device
        if where is common:
            continue
        cpu_scalar = where.type == "cpu" and not t._layout.sizes
        if cpu_scalar and scalars:
            scalars -= 1
            continue
        if cpu_scalar and allow_cpu_scalar:
            raise RuntimeError("Trying to pass too many CPU scalars to non-CPU kernel!")
        raise RuntimeError(
            "Expected all tensors to be on the same device, but found at least two devices, "
            f"{common} and {where}!"
        )
    return common


def same_device(method: str, arguments: Sequence[tuple[str, Tensor]]) -> Any:
    """The check PyTorch generates for ops outside TensorIterator (mm, bmm, cat...).

    Every tensor argument must be on the first one's device; ``method`` names PyTorch's
    CUDA wrapper (``"wrapper_CUDA_mm"``), ``arguments`` pairs argument names and tensors.
    """
    common = arguments[0][1]._storage.device
    for name, t in arguments[1:]:
        where = t._storage.device
        if where is not common:
            raise RuntimeError(
                f"Expected all tensors to be on the same device, but got {name} is on {where}, "
                f"different from other tensors on {common} "
                f"(when checking argument in method {method})"
            )
    return common


def as_array(value: TensorOrScalar, work: dtype, where: Any = None) -> Any:
    """The operand's values in the computation dtype (a view when no cast is needed).

    A number becomes a NumPy scalar of that dtype, which kernels of every backend take.
    A tensor on another device than ``where`` (a 0-d CPU tensor in a GPU op) is read as
    such a number too.
    """
    if type(value) is Tensor:
        if where is not None and value._storage.device is not where:
            return value._host_values().astype(work.numpy_dtype)[()]
        values = value._values()
        return values if value._storage.dtype is work else values.astype(work.numpy_dtype)
    # Through a 0-d array: NumPy converts it as C does (-1 to uint8 is 255, no error).
    return np.array(value).astype(work.numpy_dtype)[()]


def output_like(
    operands: Sequence[TensorOrScalar], result: dtype, common: dtype, promoted: Sequence[bool]
) -> Tensor:
    """An uninitialised result with the broadcast shape and PyTorch's layout for these operands.

    On the CPU, PyTorch first converts each promoted input whose dtype differs from the
    common dtype (``input.to(common)``, which keeps dense layouts and makes others dense),
    and lays the result out from those converted inputs.
    """
    tensors = [v for v in operands if isinstance(v, Tensor)]
    if len(tensors) == 1:
        where, shape = tensors[0]._storage.device, tensors[0]._layout.sizes
    else:
        where = common_device(tensors)
        shape = layout.broadcast_shapes(*(t._layout.sizes for t in tensors))
    described = []
    for value, is_promoted in zip(operands, promoted, strict=True):
        if not isinstance(value, Tensor):
            described.append(Operand((), (), common.itemsize))
            continue
        sizes, strides = value._layout.sizes, value._layout.strides
        if is_promoted and value.dtype is not common:
            converted = result_layout.preserve_format_strides(sizes, strides)
            described.append(Operand(sizes, converted, common.itemsize))
        else:
            described.append(Operand(sizes, strides, value.element_size()))
    strides = result_layout.elementwise_result_strides(shape, described)
    return empty_tensor(shape, strides, where, result)


def pointwise(
    kernel: Callable[..., Any],
    operands: Sequence[TensorOrScalar],
    *,
    result: dtype,
    common: dtype | None = None,
    promoted: Sequence[bool] | None = None,
) -> Tensor:
    """Run ``kernel`` elementwise over broadcast ``operands`` into a new tensor of dtype ``result``.

    ``common`` is PyTorch's common dtype (default: ``result``; comparisons differ):
    the ``promoted`` inputs (default: all) are converted to it before the kernel runs.
    float16 work runs in float32 and is rounded once, as PyTorch's CPU kernels do.
    """
    common = common or result
    work = work_dtype(common)
    reference = _contiguous_reference(operands)
    if reference is not None:
        # The common case, kept short: one shape, all contiguous, so the result is contiguous too.
        storage = reference._storage
        if ALLOCATION_LIMIT.get() is not None:  # tested here: the hot path makes no call
            check_allocation(reference._layout.numel, result)
        values = storage.backend.empty(reference._layout.sizes, result.numpy_dtype)
        out = tensor_over(values, storage.device, result)
    else:
        out = output_like(operands, result, common, promoted or (True,) * len(operands))
        values = out._values()
    storage = out._storage
    storage.backend.run_quietly(_compute, kernel, operands, common, work, values, storage.device)
    return out


def _compute(
    kernel: Callable[..., Any],
    operands: Sequence[TensorOrScalar],
    common: dtype,
    work: dtype,
    out: Any,
    where: Any,
) -> None:
    arrays = [
        value._values()  # the usual case: a tensor already in the common (and work) dtype
        if type(value) is Tensor
        and value._storage.dtype is common
        and common is work
        and value._storage.device is where
        else operand_values(value, common, work, where)
        for value in operands
    ]
    kernel(*arrays, out=out, casting="unsafe")


def operand_values(value: TensorOrScalar, common: dtype, work: dtype, where: Any = None) -> Any:
    """An operand converted to the common dtype, as PyTorch converts it, then to the work dtype.

    The two steps differ for float16: a number or float32 operand is rounded to float16 first.
    """
    values = as_array(value, common, where)
    return values if work is common else values.astype(work.numpy_dtype)


def _contiguous_reference(operands: Sequence[TensorOrScalar]) -> Tensor | None:
    """A tensor operand whose shape, device and row-major layout the result can take, or None.

    That holds when the tensor operands share one shape and device, and either all are
    contiguous with no number among them (PyTorch's shortcut for one shape), or each has
    exactly the row-major strides or is broadcast everywhere (all strides 0): PyTorch
    then orders dims by strides, and both kinds leave row-major order in place.
    """
    reference = None
    all_contiguous = True
    for value in operands:
        if type(value) is not Tensor:
            if not is_scalar(value):
                return None
            all_contiguous = False  # with a number, PyTorch orders dims by strides
            continue
        value_layout = value._layout
        if reference is None:
            reference, first_layout = value, value_layout
        elif value._storage.device is not reference._storage.device or (
            # Contiguous layouts are shared values (layout.contiguous_layout): `is` settles most.
            value_layout is not first_layout and value_layout.sizes != first_layout.sizes
        ):
            return None
        if all_contiguous and not value_layout.contiguous:
            all_contiguous = False
    if reference is None or all_contiguous:
        return reference
    row_major = layout.contiguous_strides(first_layout.sizes)
    for value in operands:
        if type(value) is Tensor:
            strides = value._layout.strides
            if strides != row_major and any(strides):
                return None
    return reference


def work_dtype(common: dtype) -> dtype:
    """The dtype a kernel computes in: float16 works in float32 and is rounded once at the end."""
    return dtypes.float32 if common is dtypes.float16 else common


def float_result(self: Tensor) -> dtype:
    """Ops such as exp and sqrt turn integer and bool inputs into the default float dtype."""
    return self.dtype if self.dtype.is_floating_point else dtypes.get_default_dtype()


def wrapped(value: TensorOrScalar) -> Tensor:
    """A number as the 0-d tensor PyTorch wraps it in (what a node saves of it); tensors as is."""
    if type(value) is Tensor:
        return value
    element_type = (
        dtypes.float64
        if isinstance(value, (float, np.floating))
        else dtypes.scalar_dtype(value)  # int64 or bool
    )
    return tensor_over(np.array(value, dtype=element_type.numpy_dtype), CPU, element_type)


def requires(value: Any) -> bool:
    """True for a tensor that requires grad (numbers never do)."""
    return type(value) is Tensor and value.requires_grad


def binary_type(op: str, self: TensorOrScalar, other: TensorOrScalar) -> dtype:
    """The dtype of ``op(self, other)``, PyTorch's promotion with the common cases first."""
    if type(self) is Tensor:
        if type(other) is Tensor and self._storage.dtype is other._storage.dtype:
            return self._storage.dtype
        if type(other) in (int, float) and self._storage.dtype.is_floating_point:
            return self._storage.dtype  # a number never widens a floating-point tensor
    elif (
        type(other) is Tensor
        and type(self) in (int, float)
        and other._storage.dtype.is_floating_point
    ):
        return other._storage.dtype
    check_operand(self, op)
    check_operand(other, op)
    return result_type(self, other)


def check_not_bool(result: dtype, kernel: str) -> None:
    if result is dtypes.bool_:
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")
