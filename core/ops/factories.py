"""Tensor factories with PyTorch's signatures and dtype inference."""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from core import dtypes, layout, result_layout
from core.backends import backend_for
from core.device import device, to_device
from core.dtypes import dtype
from core.layout import Layout
from core.memory import check_allocation
from core.ops.arguments import as_int, parse_new_shape, parse_shape
from core.ops.conversion import to
from core.ops.pointwise import as_array
from core.storage import Storage
from core.tensor import Tensor, empty_tensor, tensor_over


def finish(result: Tensor, requires_grad: bool) -> Tensor:
    """Apply a factory's ``requires_grad=``: only floating-point tensors may require gradients."""
    if requires_grad:
        if not result.dtype.is_floating_point:
            raise RuntimeError(
                "Only Tensors of floating point and complex dtype can require gradients"
            )
        result.requires_grad = True
    return result


def from_values(
    values: np.ndarray, where: device, element_type: dtype, requires_grad: bool
) -> Tensor:
    """A new contiguous tensor holding a copy of ``values`` (a 0-d array stays 0-d).

    ``values`` are host values, converted by NumPy then moved to ``where``: a factory
    gives the same numbers on every device (random ones are drawn on the host, from the
    engine's generator, then copied).
    """
    fresh = backend_for(where).cast(values, element_type.numpy_dtype)
    return finish(tensor_over(fresh, where, element_type), requires_grad)


def dtype_or(given: Any, default: dtype) -> dtype:
    """A ``dtype=`` argument, or ``default`` when it is None."""
    return default if given is None else dtypes.to_dtype(given)


# -- from data -------------------------------------------------------------------


SEQUENCES = (list, tuple, range, np.ndarray)


def _scan(data: Any, shape: list[int], depth: int, flat: list[Any], leaf_depths: set[int]) -> None:
    """Walk nested sequences, checking they are rectangular, and collect the leaves."""
    if isinstance(data, SEQUENCES) and not (isinstance(data, np.ndarray) and data.ndim == 0):
        if depth in leaf_depths:
            raise TypeError(f"expected a number at dim {depth}, got a {type(data).__name__}")
        if depth == len(shape):
            shape.append(len(data))
        elif len(data) != shape[depth]:
            raise ValueError(
                f"expected sequence of length {shape[depth]} at dim {depth} (got {len(data)})"
            )
        for item in data:
            _scan(item, shape, depth + 1, flat, leaf_depths)
        return
    if depth < len(shape):
        raise TypeError(f"expected a sequence at dim {depth}, got {type(data).__name__}")
    leaf_depths.add(depth)
    flat.append(data)


def _leaf_dtype(value: Any) -> dtype:
    if isinstance(value, Tensor):
        if value.numel() != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return value.dtype
    if isinstance(value, np.generic):
        return dtypes.from_numpy_dtype(value.dtype)
    if isinstance(value, (bool, int, float)):
        return dtypes.scalar_dtype(value)
    if value is None:
        raise RuntimeError("Could not infer dtype of NoneType")
    raise TypeError(f"new(): invalid data type '{type(value).__name__}'")


def tensor(
    data: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """A new tensor holding a copy of ``data`` (nested lists, numbers, a NumPy array, a tensor)."""
    where = to_device(device)
    if isinstance(data, np.ndarray):
        data = from_numpy(data)  # negative strides raise, as in PyTorch
    elif isinstance(data, Tensor):
        warnings.warn(
            "To copy construct from a tensor, it is recommended to use sourceTensor.detach()"
            ".clone() or sourceTensor.detach().clone().requires_grad_(True), rather than "
            "torch.tensor(sourceTensor).",
            UserWarning,
            stacklevel=2,
        )
    if isinstance(data, Tensor):
        # A copy that keeps a dense layout, as PyTorch's tensor() does for arrays and tensors.
        copy = to(data, dtype=dtype_or(dtype, data.dtype), device=where, copy=True)
        return finish(copy, requires_grad)
    shape: list[int] = []
    leaves: list[Any] = []
    _scan(data, shape, 0, leaves, set())
    if any(isinstance(leaf, int) and not -(2**63) <= leaf < 2**63 for leaf in leaves):
        raise ValueError("Overflow when unpacking long long: Python ints must fit in int64")
    # Leaves promote like tensors do: Python floats are the default dtype,
    # NumPy scalars keep theirs.
    element_type = dtypes.get_default_dtype() if not leaves else None
    for leaf in leaves:
        leaf_type = _leaf_dtype(leaf)
        element_type = (
            leaf_type if element_type is None else dtypes.promote_types(element_type, leaf_type)
        )
    if dtype is not None:
        element_type = dtypes.to_dtype(dtype)
    if not element_type.is_floating_point:
        for leaf in leaves:
            if isinstance(leaf, (bool, int, float)):
                dtypes.check_fits(leaf, element_type)
    check_allocation(len(leaves), element_type)
    numbers = [leaf.item() if isinstance(leaf, (Tensor, np.generic)) else leaf for leaf in leaves]
    exact = np.float64 if any(isinstance(n, float) for n in numbers) else np.int64
    values = np.array(numbers, dtype=exact).reshape(shape)
    return from_values(values, where, element_type, requires_grad)


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor sharing ``array``'s memory; NumPy's byte strides become element strides."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(array).__name__})")
    element_type = dtypes.from_numpy_dtype(array.dtype)
    itemsize = array.itemsize
    if any(s < 0 for s in array.strides):
        raise ValueError(
            "At least one stride in the given numpy array is negative, and tensors with negative "
            "strides are not currently supported. (You can probably work around this by making a "
            "copy of your array  with array.copy().) "
        )
    if any(s % itemsize for s in array.strides):
        raise ValueError(
            "given numpy array strides not a multiple of the element byte size. Copy the numpy "
            "array to reallocate the memory."
        )
    if not array.flags.writeable:
        warnings.warn(
            "The given NumPy array is not writable, and PyTorch does not support non-writable "
            "tensors. This means writing to this tensor will result in undefined behavior. You "
            "may want to copy the array to protect its data or make it writable before converting "
            "it to a tensor. This type of warning will be suppressed for the rest of this program.",
            UserWarning,
            stacklevel=2,
        )
    sizes = tuple(array.shape)
    strides = tuple(s // itemsize for s in array.strides)
    span = layout.storage_span(sizes, strides, 0)
    # A flat window from the array's first element to its last: the same memory, not a copy.
    buffer = np.lib.stride_tricks.as_strided(
        array, shape=(span,), strides=(itemsize,), writeable=array.flags.writeable
    )
    storage = Storage(buffer, element_type, device("cpu"))
    return Tensor._make(storage, Layout(sizes, strides, 0))


def _filled(
    size: Sequence[Any],
    fill: Any,
    dtype: Any,
    device: Any,
    requires_grad: bool,
    default: dtype | None = None,
) -> Tensor:
    """A contiguous tensor of ``size`` holding ``fill`` (uninitialised when None)."""
    sizes = parse_new_shape(size)
    element_type = dtype_or(dtype, default or dtypes.get_default_dtype())
    where = to_device(device)
    result = empty_tensor(sizes, layout.contiguous_strides(sizes), where, element_type)
    if fill is not None:
        result._storage.buffer[...] = as_array(fill, result.dtype)
    return finish(result, requires_grad)


def zeros(
    *sizes: Any,
    size: Any = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    return _filled(sizes if size is None else (size,), 0, dtype, device, requires_grad)


def ones(
    *sizes: Any,
    size: Any = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    return _filled(sizes if size is None else (size,), 1, dtype, device, requires_grad)


def empty(
    *sizes: Any,
    size: Any = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Uninitialised memory, as in PyTorch: the values are whatever the buffer held."""
    return _filled(sizes if size is None else (size,), None, dtype, device, requires_grad)


def full(
    size: Sequence[int],
    fill_value: Any,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """A tensor of one value; its dtype follows the value (bool, int64 or the default float)."""
    value = fill_value.item() if isinstance(fill_value, Tensor) else fill_value
    element_type = dtype_or(dtype, dtypes.scalar_dtype(value))
    dtypes.check_fits(value, element_type)
    return _filled((size,), value, element_type, device, requires_grad, element_type)


def empty_strided(
    size: Sequence[int],
    stride: Sequence[int],
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    sizes = parse_new_shape((size,))
    strides = parse_shape((stride,), "stride")
    if len(sizes) != len(strides):
        raise RuntimeError(
            f"mismatch in length of strides and shape: {len(strides)} strides "
            f"for {len(sizes)} sizes"
        )
    element_type = dtype_or(dtype, dtypes.get_default_dtype())
    return finish(empty_tensor(sizes, strides, to_device(device), element_type), requires_grad)


def _like(
    input: Tensor, fill: Any, dtype: Any, device: Any, requires_grad: bool, memory_format: Any
) -> Tensor:
    sizes = input._layout.sizes
    strides = result_layout.strides_for_format(sizes, input._layout.strides, memory_format)
    where = input.device if device is None else to_device(device)
    result = empty_tensor(sizes, strides, where, dtype_or(dtype, input.dtype))
    if fill is not None and not isinstance(fill, Tensor):
        dtypes.check_fits(fill, result.dtype)
    if fill is not None:
        result._storage.buffer[...] = as_array(fill, result.dtype)
    return finish(result, requires_grad)


def zeros_like(
    input: Tensor,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    memory_format: Any = None,
) -> Tensor:
    return _like(input, 0, dtype, device, requires_grad, memory_format)


def ones_like(
    input: Tensor,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    memory_format: Any = None,
) -> Tensor:
    return _like(input, 1, dtype, device, requires_grad, memory_format)


def empty_like(
    input: Tensor,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    memory_format: Any = None,
) -> Tensor:
    return _like(input, None, dtype, device, requires_grad, memory_format)


def full_like(
    input: Tensor,
    fill_value: Any,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    memory_format: Any = None,
) -> Tensor:
    return _like(input, fill_value, dtype, device, requires_grad, memory_format)


def _number(value: Any, what: str) -> int | float:
    if isinstance(value, Tensor):
        return value.item()
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (int, float, np.integer, np.floating)
    ):
        raise TypeError(f"{what} must be a number, not {type(value).__name__}")
    return value.item() if isinstance(value, np.generic) else value


def arange(
    *args: Any,
    start: Any = None,
    end: Any = None,
    step: Any = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """``[start, end)`` by ``step``: ``arange(end)``, ``arange(start, end[, step])`` or keywords.

    The dtype is int64 for ints and the default float dtype when any bound is a float.
    """
    if len(args) > 3:
        raise TypeError(f"arange() takes at most 3 positional arguments ({len(args)} given)")
    if len(args) == 1:
        if end is None:
            end = args[0]
        else:
            start = args[0]  # arange(2, end=6)
    elif args:
        start, end, *rest = args
        step = rest[0] if rest else step
    if end is None:
        raise TypeError("arange() missing required argument 'end'")
    start = 0 if start is None else start
    step = 1 if step is None else step
    start, end, step = _number(start, "start"), _number(end, "end"), _number(step, "step")
    any_float = any(isinstance(v, float) for v in (start, end, step))
    element_type = dtype_or(dtype, dtypes.get_default_dtype() if any_float else dtypes.int64)
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0 and end != start:
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    for name, value in (("start", start), ("end", end)):
        if not math.isfinite(value):
            raise RuntimeError(f"unsupported range: {name} must be finite")
    if element_type.is_floating_point:
        count = math.ceil((end - start) / step)
        check_allocation(count, element_type)
        values = start + step * np.arange(count, dtype=np.float64)
    else:
        start, end, step = int(start), int(end), int(step)
        sign = (step > 0) - (step < 0)
        count = max((end - start + step - sign) // step, 0)
        check_allocation(count, element_type)
        values = start + step * np.arange(count, dtype=np.int64)
    return from_values(
        values.astype(element_type.numpy_dtype), to_device(device), element_type, requires_grad
    )


def linspace(
    start: Any,
    end: Any,
    steps: int,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end``, as PyTorch computes them.

    Like PyTorch, the values are computed from both ends.
    """
    steps = as_int(steps, "steps")
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    start, end = _number(start, "start"), _number(end, "end")
    element_type = dtype_or(dtype, dtypes.get_default_dtype())
    check_allocation(steps, element_type)
    work = element_type.numpy_dtype if element_type.is_floating_point else np.dtype(np.float64)
    if steps == 1:
        values = np.array([start], dtype=np.float64)
    else:
        first, last = work.type(start), work.type(end)
        step = (last - first) / work.type(max(steps - 1, 1))
        # PyTorch's kernel uses fused multiply-adds: one rounding for ``a + step * i``.
        # Computing in a wider float and rounding once to ``work`` reproduces that.
        wide = np.longdouble if work == np.float64 else np.float64
        index = np.arange(steps)
        forward = wide(first) + wide(step) * index.astype(wide)
        backward = wide(last) - wide(step) * (steps - index - 1).astype(wide)
        # The first half counts forwards from start, the second half backwards from end.
        values = np.where(index < steps // 2, forward, backward).astype(work)
    return from_values(
        values.astype(element_type.numpy_dtype), to_device(device), element_type, requires_grad
    )


def eye(
    n: int,
    m: int | None = None,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    n = as_int(n, "n")
    m = n if m is None else as_int(m, "m")
    if n < 0 or m < 0:
        raise RuntimeError(f"n must be greater or equal to 0, got {min(n, m)}")
    element_type = dtype_or(dtype, dtypes.get_default_dtype())
    check_allocation(n * m, element_type)
    return from_values(
        np.eye(n, m, dtype=element_type.numpy_dtype), to_device(device), element_type, requires_grad
    )


def _new_options(self: Tensor, dtype: Any, device: Any) -> tuple[dtype, Any]:
    return dtype_or(dtype, self.dtype), self.device if device is None else to_device(device)


def new_zeros(
    self: Tensor, *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """Zeros of ``size`` with this tensor's dtype and device unless given."""
    element_type, where = _new_options(self, dtype, device)
    return zeros(*size, dtype=element_type, device=where, requires_grad=requires_grad)


def new_ones(
    self: Tensor, *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """Ones of ``size`` with this tensor's dtype and device unless given."""
    element_type, where = _new_options(self, dtype, device)
    return ones(*size, dtype=element_type, device=where, requires_grad=requires_grad)


def new_empty(
    self: Tensor, *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """Uninitialised memory of ``size`` with this tensor's dtype and device unless given."""
    element_type, where = _new_options(self, dtype, device)
    return empty(*size, dtype=element_type, device=where, requires_grad=requires_grad)


def new_empty_strided(
    self: Tensor,
    size: Sequence[int],
    stride: Sequence[int],
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Uninitialised memory with exactly these sizes and strides, like this tensor unless given."""
    element_type, where = _new_options(self, dtype, device)
    return empty_strided(
        size, stride, dtype=element_type, device=where, requires_grad=requires_grad
    )


def new_full(
    self: Tensor,
    size: Sequence[int],
    fill_value: Any,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """``fill_value`` everywhere, with this tensor's dtype and device unless given."""
    element_type, where = _new_options(self, dtype, device)
    return full(size, fill_value, dtype=element_type, device=where, requires_grad=requires_grad)


def new_tensor(
    self: Tensor, data: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """A copy of ``data`` with this tensor's dtype and device unless given."""
    element_type, where = _new_options(self, dtype, device)
    return tensor(data, dtype=element_type, device=where, requires_grad=requires_grad)
