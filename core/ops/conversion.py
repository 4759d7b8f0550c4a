"""Changing dtype or device: ``to``, ``float()``, ``long()``, ``cpu()``...

A copy is made only when needed.
"""

from __future__ import annotations

import builtins
from typing import Any

from core import dtypes, result_layout
from core.autograd.record import record
from core.device import device as device_class  # to()'s ``device`` keyword shadows ``device``
from core.dtypes import dtype
from core.tensor import Tensor, empty_tensor


def _converted(self: Tensor, element_type: dtype, where: device_class, copy: bool) -> Tensor:
    if element_type is self.dtype and where == self.device and not copy:
        return self
    strides = result_layout.preserve_format_strides(self._layout.sizes, self._layout.strides)
    result = empty_tensor(self._layout.sizes, strides, where, element_type)
    result._storage.backend.assign(result._values(), self._host_values())
    return record(
        result,
        "ToCopyBackward0",
        (self,),
        lambda grad, saved: (grad,),
        {"self_sym_sizes": self._layout.sizes},
        lambda: f"grad_self = grad converted to {self.dtype}",
    )


def to(
    self: Tensor,
    *args: Any,
    dtype: Any = None,
    device: Any = None,
    copy: bool = False,
    non_blocking: bool = False,
) -> Tensor:
    """``to(dtype)``, ``to(device)``, ``to(device, dtype)`` or ``to(other)``; self if unchanged."""
    for arg in args:
        if isinstance(arg, Tensor):
            dtype, device = arg.dtype, arg.device
        elif (
            isinstance(arg, dtypes.dtype)
            or arg in (builtins.bool, builtins.int, builtins.float)
            or (isinstance(arg, str) and arg.removeprefix("core.") in dtypes.NAMES)
        ):
            dtype = arg
        else:
            device = arg
    element_type = self.dtype if dtype is None else dtypes.to_dtype(dtype)
    where = self.device if device is None else device_class(device)
    return _converted(self, element_type, where, copy)


def _as(element_type: dtype) -> Any:
    def convert(self: Tensor) -> Tensor:
        return _converted(self, element_type, self.device, copy=False)

    convert.__name__ = element_type.name
    return convert


float = _as(dtypes.float32)  # noqa: A001 - PyTorch's method names
double = _as(dtypes.float64)
half = _as(dtypes.float16)
int = _as(dtypes.int32)  # noqa: A001
long = _as(dtypes.int64)
short = _as(dtypes.int16)
char = _as(dtypes.int8)
byte = _as(dtypes.uint8)
bool = _as(dtypes.bool_)  # noqa: A001


def cpu(self: Tensor) -> Tensor:
    return _converted(self, self.dtype, device_class("cpu"), copy=False)


def type_as(self: Tensor, other: Tensor) -> Tensor:
    return _converted(self, other.dtype, self.device, copy=False)
