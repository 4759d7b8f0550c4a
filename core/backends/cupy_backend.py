"""The CUDA backend: storage is a flat CuPy array in GPU memory and math runs in CuPy.

The backend is given the CuPy module (``core.backends.cuda_runtime`` imports it, or a
test passes a stand-in), so this module never imports CuPy itself. NumPy's ufuncs
called on CuPy arrays run in CuPy (``__array_ufunc__``), so elementwise kernels written
with ``np.add`` serve both backends; anything that creates an array goes through ``xp``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

import numpy as np

from core.backends.numpy_backend import NUMPY_BACKEND

# CuPy can scatter-add these dtypes with atomics; the others are added on the host.
_SCATTER_ADD_DTYPES = frozenset(np.dtype(name) for name in ("int32", "float32", "float64"))


class CupyBackend:
    """Flat buffers and strided windows on them, in the memory of CUDA device ``index``."""

    def __init__(self, cupy: ModuleType, index: int = 0) -> None:
        self.xp = cupy
        self.index = index
        self.array_type = cupy.ndarray

    def _device(self) -> Any:
        """A context making this backend's device current (a new one each time: CuPy's
        ``Device`` keeps a stack per object, which threads must not share)."""
        return self.xp.cuda.Device(self.index)

    def run_quietly(self, work: Callable[..., Any], *args: Any) -> Any:
        """``work(*args)`` with this backend's device current (CuPy launches kernels and
        allocates on the current device); host-side scalar conversions are silenced."""
        with self._device():
            return NUMPY_BACKEND.run_quietly(work, *args)

    def holds(self, array: Any) -> bool:
        """Whether ``array`` is this backend's kind of array (a CuPy array)."""
        return isinstance(array, self.array_type)

    def writeable(self, array: Any) -> bool:
        return True  # CuPy arrays have no read-only flag

    def assign(self, destination: Any, source: Any) -> None:
        """Write ``source`` (a CuPy array or a number) into ``destination``, cast as C casts."""
        self.xp.copyto(destination, source, casting="unsafe")

    def cast(self, values: Any, numpy_dtype: np.dtype) -> Any:
        """A C-contiguous copy of ``values`` (on the device or the host) in ``numpy_dtype``."""
        if isinstance(values, (np.ndarray, np.generic)) and not self.holds(values):
            # Converted by NumPy, as on the CPU, then uploaded (keeping -0.0); the upload is
            # the one copy when the dtype is already right.
            if values.dtype != numpy_dtype:
                values = NUMPY_BACKEND.cast(values, numpy_dtype)
            return self.from_host(values)
        with self._device():
            return self.xp.array(values, dtype=numpy_dtype, order="C")

    def empty(self, shape: int | tuple[int, ...], numpy_dtype: np.dtype) -> Any:
        with self._device():
            return self.xp.empty(shape, dtype=numpy_dtype)

    def from_host(self, array: np.ndarray) -> Any:
        """A C-contiguous device copy of the host array ``array``."""
        with self._device():
            # Not np.ascontiguousarray: it makes a 0-d array 1-d.
            host = array if array.flags.c_contiguous else np.array(array, order="C")
            if host.ndim == 0:
                # cupy.array uploads a 0-d value with ndarray.fill(), whose memset writes
                # -0.0 as +0.0; a 1-element array is copied byte for byte.
                return self.xp.array(host.reshape(1), order="C").reshape(())
            return self.xp.array(host, order="C")

    def window(self, buffer: Any, sizes: Sequence[int], strides: Sequence[int], offset: int) -> Any:
        """A CuPy array over ``buffer``'s memory with element ``strides``: a view, never a copy."""
        itemsize = buffer.itemsize
        if 0 in sizes:
            return self.xp.empty(tuple(sizes), dtype=buffer.dtype)
        return self.array_type(
            tuple(sizes),
            dtype=buffer.dtype,
            memptr=buffer.data + offset * itemsize,
            strides=tuple(stride * itemsize for stride in strides),
        )

    def data_ptr(self, buffer: Any) -> int:
        return int(buffer.data.ptr) if buffer.size else 0

    def to_host(self, array: Any) -> np.ndarray:
        """A C-contiguous NumPy copy of ``array`` (waits for the device to finish it)."""
        return self.xp.asnumpy(array)

    def add_at(
        self, target: Any, selection: tuple[Any, ...], values: Any, shape: tuple[int, ...]
    ) -> None:
        """``target[selection] += values``, adding every repeated index (NumPy's ``add.at``)."""
        with self._device():
            values = self.xp.broadcast_to(self.xp.asarray(values, dtype=target.dtype), shape)
            if target.dtype in _SCATTER_ADD_DTYPES:
                # cupy.add.at (CuPy >= 12); ndarray.scatter_add is deprecated since then.
                self.xp.add.at(target, selection, values)
                return
        host = self.to_host(target)
        host_selection = tuple(
            self.to_host(item) if self.holds(item) else item for item in selection
        )
        NUMPY_BACKEND.add_at(host, host_selection, self.to_host(values), shape)
        self.assign(target, self.from_host(host))
