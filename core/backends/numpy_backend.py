"""The CPU backend: storage is a flat NumPy array and math runs in NumPy."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class NumpyBackend:
    """Flat buffers and strided windows on them, in host memory."""

    xp = np

    def empty(self, count: int, numpy_dtype: np.dtype) -> np.ndarray:
        return np.empty(count, dtype=numpy_dtype)

    def zeros(self, count: int, numpy_dtype: np.dtype) -> np.ndarray:
        return np.zeros(count, dtype=numpy_dtype)

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
            strides=tuple(stride * itemsize for stride in strides),
        )

    def data_ptr(self, buffer: np.ndarray) -> int:
        return buffer.__array_interface__["data"][0] if buffer.size else 0

    def to_host(self, array: np.ndarray) -> np.ndarray:
        return array


NUMPY_BACKEND = NumpyBackend()
