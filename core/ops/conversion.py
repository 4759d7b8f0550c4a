"""Changing dtype or device: ``to``, ``float()``, ``long()``, ``cpu()``...

A copy is made only when needed.
"""

from __future__ import annotations

import builtins
from typing import Any

from core import dtypes, layout, result_layout
from core.autograd.record import record
from core.backends import backend_for
from core.device import CPU, to_device
from core.device import device as device_class  # to()'s ``device`` keyword shadows ``device``
from core.dtypes import dtype
from core.tensor import Tensor, empty_tensor, tensor_over


def _converted(self: Tensor, element_type: dtype, where: device_class, copy: bool) -> Tensor:
    """``self`` in ``element_type`` on ``where``: self when nothing changes, else a copy.

    The copy keeps a dense layout's strides (PyTorch's preserve_format).
    """
    source = self.device
    if element_type is self.dtype and where is source and not copy:
        return self
    sizes = self._layout.sizes
    strides = result_layout.preserve_format_strides(sizes, self._layout.strides)
    if where is not source and strides == layout.contiguous_strides(sizes):
        # The transferred array becomes the new storage: one copy across, not three.
        result = tensor_over(_moved(self, element_type, where), where, element_type)
    else:
        result = empty_tensor(sizes, strides, where, element_type)
        if where is source:
            result._storage.backend.assign(result._values(), self._values())
        else:
            result._storage.backend.assign(result._values(), _moved(self, element_type, where))
    source_type = self.dtype
    return record(
        result,
        "ToCopyBackward0",
        (self,),
        # The gradient goes back to the source's device here, and to its dtype in the engine.
        lambda grad, saved: (grad if where is source else grad.to(source),),
        {"self_sym_sizes": self._layout.sizes},
        lambda: (
            f"grad_self = grad converted to {source_type}"
            + ("" if where is source else f" on {source}")
        ),
    )


def _moved(self: Tensor, element_type: dtype, where: device_class) -> Any:
    """``self``'s values in ``element_type`` as a fresh C-ordered array on ``where`` (another
    device). The dtype is converted on the host, by NumPy, so a tensor moved to a GPU holds
    exactly the values ``to(dtype)`` gives on the CPU (the CUDA backend's ``cast`` of host
    values converts them there, then uploads)."""
    host = self._host_values()  # the window itself on the CPU, a fresh C-ordered copy from a GPU
    numpy_dtype = element_type.numpy_dtype
    if where.type == "cpu" and host.dtype == numpy_dtype:
        return host  # already the fresh copy from the GPU
    return backend_for(where).cast(host, numpy_dtype)


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
    where = self.device if device is None else to_device(device)
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
    """This tensor in host memory: itself when it is there already, else a copy."""
    return _converted(self, self.dtype, CPU, copy=False)


def cuda(self: Tensor, device: Any = None, non_blocking: bool = False) -> Tensor:
    """This tensor on a CUDA device (default: the current one, ``cuda:0``), copied if needed."""
    where = to_device("cuda" if device is None else device)
    if where.type != "cuda":
        raise RuntimeError("Invalid device, must be cuda device")
    return _converted(self, self.dtype, where, copy=False)


def type_as(self: Tensor, other: Tensor) -> Tensor:
    return _converted(self, other.dtype, self.device, copy=False)
