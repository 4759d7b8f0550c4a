"""The CPU backend: storage is a flat NumPy array and math runs in NumPy."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

try:
    # NumPy >= 2 keeps its floating-point error state in a context variable. Setting it
    # to a prepared "ignore everything" value costs a tenth of entering np.errstate,
    # which would otherwise be the largest single cost of a small elementwise op.
    from numpy._core._ufunc_config import _extobj_contextvar
except ImportError:  # another NumPy: fall back to the public (slower) context manager
    _extobj_contextvar = None


if _extobj_contextvar is not None:
    with np.errstate(all="ignore"):
        _IGNORE_ALL = _extobj_contextvar.get()

    def _run_quietly(work: Callable[..., Any], *args: Any) -> Any:
        token = _extobj_contextvar.set(_IGNORE_ALL)
        try:
            return work(*args)
        finally:
            _extobj_contextvar.reset(token)

else:

    @np.errstate(all="ignore")
    def _run_quietly(work: Callable[..., Any], *args: Any) -> Any:
        return work(*args)


def _c_copy(values: Any, numpy_dtype: np.dtype) -> np.ndarray:
    return np.array(values, dtype=numpy_dtype, order="C")


class NumpyBackend:
    """Flat buffers and strided windows on them, in host memory."""

    xp = np
    array_type = np.ndarray
    """The exact type of the arrays this backend makes (``holds`` also takes views of them)."""

    run_quietly = staticmethod(_run_quietly)
    """``work(*args)`` with NumPy's overflow, nan and cast warnings silenced: PyTorch has none."""

    def holds(self, array: Any) -> bool:
        """Whether ``array`` is a host NumPy array (not a device array that subclasses one)."""
        return type(array) is np.ndarray or (
            isinstance(array, np.ndarray) and not hasattr(array, "__cuda_array_interface__")
        )

    def writeable(self, array: np.ndarray) -> bool:
        """False for a read-only array shared through ``from_numpy``."""
        return bool(array.flags.writeable)

    def assign(self, destination: np.ndarray, source: Any) -> None:
        """Write ``source`` into ``destination``, converting as C does (nan to int is silent)."""
        _run_quietly(np.copyto, destination, source, "unsafe")

    def cast(self, values: Any, numpy_dtype: np.dtype) -> np.ndarray:
        """A C-contiguous copy of ``values`` in ``numpy_dtype``, converted as ``assign`` does."""
        return _run_quietly(_c_copy, values, numpy_dtype)

    def empty(self, shape: int | tuple[int, ...], numpy_dtype: np.dtype) -> np.ndarray:
        return np.empty(shape, dtype=numpy_dtype)

    def window(
        self, buffer: np.ndarray, sizes: Sequence[int], strides: Sequence[int], offset: int
    ) -> np.ndarray:
        """A NumPy array over ``buffer`` with element ``strides``: a view, never a copy."""
        itemsize = buffer.itemsize
        if 0 in sizes:
            return np.empty(tuple(sizes), dtype=buffer.dtype)
        return np.ndarray(
            tuple(sizes),
            dtype=buffer.dtype,
            buffer=buffer,
            offset=offset * itemsize,
            strides=[stride * itemsize for stride in strides],
        )

    def data_ptr(self, buffer: np.ndarray) -> int:
        return buffer.__array_interface__["data"][0] if buffer.size else 0

    def to_host(self, array: np.ndarray) -> np.ndarray:
        return array

    def from_host(self, array: np.ndarray) -> np.ndarray:
        """A C-contiguous copy of ``array``, which no one else holds."""
        return np.array(array, order="C")

    def add_at(
        self, target: np.ndarray, selection: tuple[Any, ...], values: Any, shape: tuple[int, ...]
    ) -> None:
        """``target[selection] += values`` (broadcast to ``shape``), adding every repeated index."""
        np.add.at(target, selection, np.broadcast_to(values, shape))


NUMPY_BACKEND = NumpyBackend()
