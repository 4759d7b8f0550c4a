"""The one module that imports CuPy: a cached probe of the GPU that never raises.

``status()`` answers, once per process, either with the CuPy module and the number of
CUDA devices, or with a one-line reason why there is no usable GPU
(``"CuPy is not installed: pip install 'stridescope[gpu]'"``, ``"no NVIDIA driver: ..."``,
``"no CUDA device found"``, ...). The probe imports CuPy, counts the devices and makes a
tiny allocation, in a worker thread that it waits for at most :data:`PROBE_TIMEOUT_S`
seconds, so a broken driver can delay the answer but never hang the caller.

Tests put a stand-in module with CuPy's API in place with :func:`simulated`.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib
import threading
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

INSTALL_HINT = "CuPy is not installed: pip install 'stridescope[gpu]'"
PROBE_TIMEOUT_S = 30.0
"""How long the probe may take: importing CuPy and starting CUDA take seconds, not more."""


@dataclass(frozen=True)
class CudaStatus:
    """What the probe found: CuPy and its devices, or why there is no usable GPU."""

    module: ModuleType | None
    reason: str | None
    device_count: int = 0
    backends: dict[int, Any] = field(default_factory=dict, compare=False, repr=False)
    """The backend of each device index, made on first use (see ``core.backends``)."""

    @property
    def available(self) -> bool:
        return self.module is not None


def _import_cupy() -> ModuleType:
    return importlib.import_module("cupy")


def _driver_loadable() -> bool:
    """Whether the NVIDIA driver's library can be loaded (CuPy's runtime needs it)."""
    try:
        ctypes.CDLL("libcuda.so.1")
    except OSError:
        return False
    return True


_CUPY_BANNER = "Failed to import CuPy"
"""CuPy's words when it cannot load CUDA: a multi-line banner of '=' lines around them,
with the original error below ("Original error:") and as ``__cause__``."""


def _first_line(error: BaseException) -> str:
    text = str(error)
    if _CUPY_BANNER in text:
        if error.__cause__ is not None:
            cause = error.__cause__
            return f"{type(cause).__name__}: {_first_line(cause)}"
        _, _, text = text.partition("Original error:")
    lines = [line.strip() for line in text.splitlines() if any(c.isalnum() for c in line)]
    line = lines[0] if lines else type(error).__name__
    return line if len(line) <= 200 else line[:197] + "..."


def reason_for(error: BaseException, driver_loadable: Callable[[], bool] = _driver_loadable) -> str:
    """The one-line reason for a failed probe, from the exception it raised."""
    first = _first_line(error)
    if isinstance(error, ImportError) or _CUPY_BANNER in str(error):
        if isinstance(error, ModuleNotFoundError) and error.name == "cupy":
            return INSTALL_HINT
        return f"CuPy cannot be imported: {first}"
    if "cudaErrorNoDevice" in first:
        return "no CUDA device found"
    if "cudaErrorInsufficientDriver" in first or "cudaErrorNoDriver" in first:
        # CUDA's runtime reports a driver it cannot load as an insufficient one.
        if not driver_loadable():
            return f"no NVIDIA driver: {first}"
        return f"the NVIDIA driver is older than CuPy's CUDA: {first}"
    return f"CuPy cannot reach the GPU: {first}"


def examine(cupy: Any) -> CudaStatus:
    """Count ``cupy``'s devices and allocate on the first; raises what CuPy raises."""
    count = int(cupy.cuda.runtime.getDeviceCount())
    if count <= 0:
        return CudaStatus(None, "no CUDA device found")
    with cupy.cuda.Device(0):
        tiny = cupy.zeros(1, dtype="float32") + 1
        cupy.cuda.Device(0).synchronize()
        if float(tiny[0]) != 1.0:
            return CudaStatus(None, "CuPy cannot reach the GPU: a test computation came out wrong")
    return CudaStatus(cupy, None, count)


def device_name(cupy: Any, index: int) -> str:
    """The name of ``cupy``'s CUDA device ``index`` (CuPy's runtime gives it as bytes)."""
    name = cupy.cuda.runtime.getDeviceProperties(index)["name"]
    return name.decode() if isinstance(name, bytes) else str(name)


def probe(
    importer: Callable[[], Any] = _import_cupy,
    driver_loadable: Callable[[], bool] = _driver_loadable,
    timeout: float = PROBE_TIMEOUT_S,
) -> CudaStatus:
    """Import CuPy, count devices and allocate, within ``timeout`` seconds; never raises."""
    found: list[CudaStatus] = []

    def run() -> None:
        try:
            found.append(examine(importer()))
        except BaseException as error:  # noqa: BLE001 - any failure is a reason, never a crash
            found.append(CudaStatus(None, reason_for(error, driver_loadable)))

    try:
        with warnings.catch_warnings():
            # CuPy warns at import about CUDA paths it cannot find; the reason says enough.
            warnings.simplefilter("ignore")
            worker = threading.Thread(target=run, name="stridescope-cuda-probe", daemon=True)
            worker.start()
            worker.join(timeout)
    except BaseException as error:  # noqa: BLE001 - e.g. no threads: still an answer
        return CudaStatus(None, f"CuPy cannot reach the GPU: {_first_line(error)}")
    if not found:
        return CudaStatus(None, f"CuPy did not answer within {timeout:g} s (a stuck driver?)")
    return found[0]


_status: CudaStatus | None = None
_lock = threading.Lock()


def status() -> CudaStatus:
    """The probe's answer, computed on first call and kept."""
    global _status
    current = _status
    if current is None:
        with _lock:
            if _status is None:
                _status = probe()
            current = _status
    return current


def forget() -> None:
    """Drop the kept answer: the next :func:`status` probes again (for tests)."""
    global _status
    with _lock:
        _status = None


@contextlib.contextmanager
def simulated(cupy: Any) -> Iterator[CudaStatus]:
    """Inside the block, ``cupy`` (a stand-in with CuPy's API) is the CUDA backend's module.

    A test hook: the stand-in is examined like CuPy would be (device count, a tiny
    allocation), so a stand-in with no devices or a failing runtime gives its reason.
    """
    global _status
    try:
        installed = examine(cupy)
    except Exception as error:  # noqa: BLE001 - the same never-raising answer as the probe
        installed = CudaStatus(None, reason_for(error, lambda: True))
    with _lock:
        before, _status = _status, installed
    try:
        yield installed
    finally:
        with _lock:
            _status = before
