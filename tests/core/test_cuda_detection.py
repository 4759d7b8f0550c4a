"""Finding the GPU: one line saying why there is none, never an exception, never a hang.

The probe (``core.backends.cuda_runtime``) is given importers and stand-in CuPy modules
that fail the ways a machine without a usable GPU fails; ``core.cuda`` and the engine are
checked on top of it as ``torch.cuda`` behaves without a GPU.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

import core
from core.backends import CupyBackend, backend_for, cuda_runtime
from tests.core.simulated_cupy import CUDARuntimeError, make_cupy

NO_DRIVER = CUDARuntimeError(
    "cudaErrorInsufficientDriver: CUDA driver version is insufficient for CUDA runtime version"
)


def importer_of(module):
    return lambda: module


def failing_importer(error: BaseException):
    def importer():
        raise error

    return importer


def test_without_cupy_the_reason_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "cupy", None)  # `import cupy` fails as if not installed
    status = cuda_runtime.probe()
    assert status.reason == "CuPy is not installed: pip install 'stridescope[gpu]'"
    assert status.module is None and status.device_count == 0 and not status.available


@pytest.mark.parametrize(
    ("error", "driver", "reason"),
    [
        (NO_DRIVER, False, f"no NVIDIA driver: {NO_DRIVER}"),
        (NO_DRIVER, True, f"the NVIDIA driver is older than CuPy's CUDA: {NO_DRIVER}"),
        (
            CUDARuntimeError("cudaErrorNoDevice: no CUDA-capable device is detected"),
            True,
            "no CUDA device found",
        ),
        (
            CUDARuntimeError("cudaErrorUnknown: unknown error\n(more lines)"),
            True,
            "CuPy cannot reach the GPU: cudaErrorUnknown: unknown error",
        ),
        (OSError("libnvrtc.so.12: cannot open"), True, "CuPy cannot reach the GPU: libnvrtc.so.12"),
    ],
)
def test_a_cupy_whose_runtime_fails_gives_a_one_line_reason(error, driver, reason):
    status = cuda_runtime.probe(importer_of(make_cupy(failure=error)), lambda: driver)
    assert status.reason.startswith(reason) and "\n" not in status.reason
    assert status.module is None and status.device_count == 0


def test_zero_devices_is_no_device_found():
    status = cuda_runtime.probe(importer_of(make_cupy(device_count=0)))
    assert status.reason == "no CUDA device found" and status.module is None


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (ImportError("libcudart.so.12: cannot open shared object file"), "CuPy cannot be imported"),
        (ModuleNotFoundError("No module named 'fastrlock'", name="fastrlock"), "CuPy cannot be"),
        (ValueError("anything else"), "CuPy cannot reach the GPU: anything else"),
        (KeyboardInterrupt(), "CuPy cannot reach the GPU: KeyboardInterrupt"),
        (RuntimeError(""), "CuPy cannot reach the GPU: RuntimeError"),
    ],
)
def test_any_failure_while_importing_is_a_reason_never_an_exception(error, reason):
    status = cuda_runtime.probe(failing_importer(error))
    assert status.reason.startswith(reason)


def test_a_module_that_is_not_cupy_is_a_reason_too():
    status = cuda_runtime.probe(importer_of(object()))
    assert status.reason.startswith("CuPy cannot reach the GPU: ")


def test_a_probe_that_does_not_finish_is_given_up_on():
    def stuck():
        time.sleep(5)
        return make_cupy()

    start = time.perf_counter()
    status = cuda_runtime.probe(stuck, timeout=0.2)
    assert time.perf_counter() - start < 2
    assert status.reason == "CuPy did not answer within 0.2 s (a stuck driver?)"


def test_a_working_cupy_is_found_with_its_devices():
    cupy = make_cupy(device_count=2)
    status = cuda_runtime.probe(importer_of(cupy))
    assert status.module is cupy and status.device_count == 2 and status.reason is None


def test_the_answer_is_probed_once_and_kept(monkeypatch):
    calls = []

    def probe():
        calls.append(1)
        return cuda_runtime.CudaStatus(None, "no CUDA device found")

    monkeypatch.setattr(cuda_runtime, "probe", probe)
    monkeypatch.setattr(cuda_runtime, "_status", None)
    first = cuda_runtime.status()
    assert cuda_runtime.status() is first and calls == [1]
    cuda_runtime.forget()
    cuda_runtime.status()
    assert calls == [1, 1]


# -- core.cuda without a GPU, as torch.cuda ----------------------------------------------


@pytest.fixture
def no_gpu():
    with cuda_runtime.simulated(make_cupy(device_count=0)) as status:
        yield status


def test_core_cuda_without_a_gpu_answers_as_torch_does(no_gpu):
    assert core.cuda.is_available() is False
    assert core.cuda.device_count() == 0
    assert core.cuda.unavailable_reason() == "no CUDA device found"
    for call in (core.cuda.get_device_name, core.cuda.synchronize, core.cuda.current_device):
        with pytest.raises(RuntimeError, match="^CUDA is not available: no CUDA device found$"):
            call()


def test_the_engine_refuses_cuda_tensors_with_the_reason(no_gpu):
    message = "device 'cuda:0' is not available: no CUDA device found"
    with pytest.raises(RuntimeError, match=f"^{message}$"):
        backend_for(core.device("cuda:0"))
    with pytest.raises(RuntimeError, match=f"^{message}$"):
        core.zeros(2, device="cuda")
    with pytest.raises(RuntimeError, match=f"^{message}$"):
        core.ones(2).cuda()
    with pytest.raises(RuntimeError, match="^device 'cuda' is not available"):
        backend_for(core.device("cuda"))
    assert core.ones(2).cpu().tolist() == [1.0, 1.0]  # the CPU is untouched


def test_a_failing_stand_in_gives_its_reason_through_the_test_hook():
    with cuda_runtime.simulated(make_cupy(failure=NO_DRIVER)) as status:
        assert status.reason.startswith("the NVIDIA driver is older than CuPy's CUDA")
        assert core.cuda.unavailable_reason() == status.reason
    assert core.cuda.unavailable_reason() != status.reason  # the real answer is back


def test_core_cuda_names_and_checks_devices(simulated_gpu):
    with cuda_runtime.simulated(make_cupy(device_count=2, name="Twin")):
        assert core.cuda.device_count() == 2
        assert core.cuda.get_device_name(1) == core.cuda.get_device_name("cuda:1") == "Twin"
        with pytest.raises(
            RuntimeError, match=r"^device 'cuda:1': StrideScope computes on one GPU"
        ):
            core.zeros(1, device="cuda:1")
        with pytest.raises(AssertionError, match="^Invalid device id$"):
            core.cuda.get_device_name(2)
        with pytest.raises(ValueError, match="^Expected a cuda device, but got: cpu$"):
            core.cuda.synchronize("cpu")
        with pytest.raises(RuntimeError, match="^CUDA error: invalid device ordinal"):
            core.zeros(1, device="cuda:2")


# -- the backend, given its module -------------------------------------------------------


def test_the_cupy_backend_works_with_the_module_it_is_given():
    cupy = make_cupy()
    backend = CupyBackend(cupy)
    assert backend.xp is cupy
    buffer = backend.from_host(np.arange(12, dtype=np.float32))
    assert backend.holds(buffer) and not backend.holds(np.zeros(2))
    window = backend.window(buffer, (3, 2), (1, 3), 2)
    assert backend.holds(window)
    np.testing.assert_array_equal(backend.to_host(window), np.arange(12.0)[2:8].reshape(2, 3).T)
    assert backend.data_ptr(buffer) == buffer.data.ptr
    assert window.data.ptr == buffer.data.ptr + 2 * 4
    backend.assign(window, np.float32(5))
    assert backend.to_host(buffer).tolist() == [0.0, 1.0] + [5.0] * 6 + [8.0, 9.0, 10.0, 11.0]
    assert backend.writeable(buffer)
    empty = backend.window(buffer, (0, 3), (3, 1), 0)
    assert empty.shape == (0, 3) and backend.data_ptr(backend.empty(0, np.float32)) == 0


def test_cupy_is_imported_only_when_asked_and_only_in_one_module(tmp_path: Path):
    fake = tmp_path / "cupy"
    fake.mkdir()
    marker = tmp_path / "imported"
    (fake / "__init__.py").write_text(f"open({str(marker)!r}, 'w').close()\n")
    root = Path(__file__).resolve().parents[2]
    script = textwrap.dedent(
        f"""
        import os, sys
        sys.path.insert(0, {str(tmp_path)!r})
        import core
        (core.arange(4.0).view(2, 2).t() @ core.ones(2)).tolist()
        assert not os.path.exists({str(marker)!r}), "core imported cupy without being asked"
        print(core.cuda.unavailable_reason())
        assert os.path.exists({str(marker)!r})
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("CuPy cannot reach the GPU: ")
    importers = [
        path.relative_to(root).as_posix()
        for path in (root / "core").rglob("*.py")
        if '"cupy"' in path.read_text() or "import cupy" in path.read_text()
    ]
    assert importers == ["core/backends/cuda_runtime.py"]
