"""Array backends: the one narrow interface the engine uses to hold and compute on data."""

from __future__ import annotations

from core.backends.numpy_backend import NUMPY_BACKEND, NumpyBackend
from core.device import device

__all__ = ["NUMPY_BACKEND", "NumpyBackend", "backend_for"]


def backend_for(where: device) -> NumpyBackend:
    """The backend that holds storage on ``where``."""
    if where.type == "cpu":
        return NUMPY_BACKEND
    raise RuntimeError(
        f"device '{where}' is not available: this build of StrideScope computes on the CPU only"
    )
