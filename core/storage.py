"""Storage: the flat 1-D buffer that a tensor and all of its views read."""

from __future__ import annotations

from typing import Any

from core.backends import backend_for
from core.device import device
from core.dtypes import dtype
from core.memory import ALLOCATION_LIMIT, check_allocation


class Storage:
    """A flat buffer of one dtype on one device, shared by a tensor and every view of it.

    ``size()`` and ``nbytes()`` count bytes, as PyTorch's ``untyped_storage()`` does;
    ``element_count`` counts elements. ``version`` is PyTorch's version counter:
    every in-place write through any tensor over this storage bumps it.
    """

    def __init__(self, buffer: Any, dtype: dtype, device: device) -> None:
        """``buffer``: a C-contiguous array of ``device``'s backend, flattened to 1-D when needed.

        Raises
        ------
        TypeError
            When ``buffer`` is not the backend's kind of array (a NumPy array for a CUDA
            storage, say): the engine made it in the wrong place.
        """
        backend = backend_for(device)
        if type(buffer) is not backend.array_type and not backend.holds(buffer):
            raise TypeError(
                f"a storage on {device} needs a {type(backend).__name__} array, "
                f"not {type(buffer).__module__}.{type(buffer).__qualname__}"
            )
        if ALLOCATION_LIMIT.get() is not None and buffer.base is None:
            # A safety net only: the buffer exists already, so this refuses to keep it but
            # cannot spare the allocation. Each op checks its result's size before allocating;
            # this catches a path that forgot to. A buffer with a base shares memory that
            # was there before (from_numpy) and is not counted.
            check_allocation(int(buffer.size), dtype)
        self._contiguous_array = buffer
        self._flat = buffer if buffer.ndim == 1 else None
        self.dtype = dtype
        self.device = device
        self.backend = backend
        self.version = 0

    @property
    def buffer(self) -> Any:
        """The flat 1-D array of every element, in storage order."""
        if self._flat is None:
            self._flat = self._contiguous_array.reshape(-1)
        return self._flat

    @property
    def writeable(self) -> bool:
        """False for a read-only NumPy array shared through ``from_numpy``."""
        return self.backend.writeable(self._contiguous_array)

    @property
    def element_count(self) -> int:
        return int(self._contiguous_array.size)

    def element_size(self) -> int:
        return self.dtype.itemsize

    def nbytes(self) -> int:
        return self.element_count * self.dtype.itemsize

    def size(self) -> int:
        return self.nbytes()

    def data_ptr(self) -> int:
        """The buffer's address: one stable identity shared by every view (0 when empty)."""
        return self.backend.data_ptr(self._contiguous_array)

    def __repr__(self) -> str:
        return (
            f"Storage({self.element_count} × {self.dtype}, {self.nbytes()} bytes, "
            f"device='{self.device}', data_ptr={self.data_ptr():#x})"
        )
