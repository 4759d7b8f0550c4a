"""Array backends: the one narrow interface the engine uses to hold and compute on data.

Two implementations: ``NumpyBackend`` (the CPU) and ``CupyBackend`` (CUDA devices, when
CuPy and a GPU are there). Everything above them (layouts, views, autograd) is the same
for both. A backend offers ``xp`` (the array module: NumPy or CuPy), ``holds``,
``writeable``, ``empty``, ``cast``, ``assign``, ``window``, ``data_ptr``, ``to_host``,
``from_host``, ``add_at`` and ``run_quietly``.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import numpy as np

from core.backends import cuda_runtime
from core.backends.cupy_backend import CupyBackend
from core.backends.numpy_backend import NUMPY_BACKEND, NumpyBackend
from core.device import device

__all__ = ["NUMPY_BACKEND", "CupyBackend", "NumpyBackend", "array_module", "backend_for"]

Backend = NumpyBackend | CupyBackend


def backend_for(where: device) -> Backend:
    """The backend that holds storage on ``where``.

    Raises
    ------
    RuntimeError
        When ``where`` is a CUDA device that cannot be used: the probe's one-line reason
        (no CuPy, no driver, no device...), PyTorch's error for an index past the
        devices there are, or a refusal of a second GPU (the engine computes on cuda:0).
    """
    if where.type == "cpu":
        return NUMPY_BACKEND
    status = cuda_runtime.status()
    if status.module is None:
        raise RuntimeError(f"device '{where}' is not available: {status.reason}")
    index = 0 if where.index is None else where.index
    found = status.backends.get(index)
    if found is None:
        if index >= status.device_count:
            raise RuntimeError(
                "CUDA error: invalid device ordinal "
                f"(device '{where}', but there {_devices_text(status.device_count)})"
            )
        if index > 0:
            # Every kernel would have to run with its device made current; until the
            # engine does that everywhere, a second GPU is refused rather than half-used.
            raise RuntimeError(
                f"device '{where}': StrideScope computes on one GPU, cuda:0 "
                f"(this machine has {status.device_count})"
            )
        found = status.backends[index] = CupyBackend(status.module, index)
    return found


def _devices_text(count: int) -> str:
    return "is 1 CUDA device" if count == 1 else f"are {count} CUDA devices"


def array_module(array: Any) -> ModuleType:
    """The module that computes on ``array``: NumPy for a host array, CuPy for a device array.

    Kernels written once for both backends call it on their output array.
    """
    if NUMPY_BACKEND.holds(array):
        return np
    for backend in cuda_runtime.status().backends.values():
        if backend.holds(array):
            return backend.xp
    raise TypeError(f"no backend holds an array of type {type(array).__name__}")
