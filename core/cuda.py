"""``core.cuda``: is there a GPU, how many, which, and waiting for it, as ``torch.cuda``.

Without a GPU (no CuPy, no driver, no device) nothing here raises except what PyTorch
also refuses then: ``device_count()`` is 0, ``is_available()`` False, and
``get_device_name()``, ``synchronize()`` and ``current_device()`` raise RuntimeError
with the reason. ``unavailable_reason()`` (not in PyTorch) gives that reason as one
line, or None when a GPU is there. Finding out never raises and never hangs: the probe
(``core.backends.cuda_runtime``) runs once, in the background, with a time limit.
"""

from __future__ import annotations

from typing import Any

from core.backends import cuda_runtime
from core.device import device, to_device

__all__ = [
    "current_device",
    "device_count",
    "get_device_name",
    "is_available",
    "synchronize",
    "unavailable_reason",
]


def is_available() -> bool:
    """True when CuPy can reach at least one CUDA device."""
    return cuda_runtime.status().available


def device_count() -> int:
    """The number of CUDA devices CuPy can reach (0 without a usable GPU)."""
    return cuda_runtime.status().device_count


def unavailable_reason() -> str | None:
    """Why there is no usable GPU, in one line; None when there is one."""
    return cuda_runtime.status().reason


def current_device() -> int:
    """The index ``"cuda"`` means: always 0, since the engine has no ``set_device``."""
    _module()
    return 0


def get_device_name(device: Any = None) -> str:
    """The name of CUDA device ``device`` (an index, ``"cuda:1"``, a ``core.device``)."""
    return cuda_runtime.device_name(_module(), _index(device))


def synchronize(device: Any = None) -> None:
    """Wait until the work launched on CUDA device ``device`` (default: the current one) ends."""
    cupy = _module()
    cupy.cuda.Device(_index(device)).synchronize()


def _module() -> Any:
    status = cuda_runtime.status()
    if status.module is None:
        raise RuntimeError(f"CUDA is not available: {status.reason}")
    return status.module


def _index(spec: Any) -> int:
    """A device argument as a CUDA device index, checked as ``torch.cuda`` checks it."""
    if spec is None:
        return current_device()
    if isinstance(spec, int) and not isinstance(spec, bool):
        index = spec
    else:
        where = spec if isinstance(spec, device) else to_device(spec)
        if where.type != "cuda":
            raise ValueError(f"Expected a cuda device, but got: {where}")
        index = 0 if where.index is None else where.index
    if not 0 <= index < device_count():
        raise AssertionError("Invalid device id")  # PyTorch's own check, as it raises it
    return index
