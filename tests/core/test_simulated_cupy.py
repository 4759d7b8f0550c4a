"""The simulated CuPy refuses what CuPy refuses, so engine code that passes it is GPU-safe."""

from __future__ import annotations

import numpy as np
import pytest

from tests.core.simulated_cupy import make_cupy

cupy = make_cupy()
UNSUPPORTED = "Unsupported type <class 'numpy.ndarray'>"


@pytest.fixture
def device_array():
    return cupy.array(np.arange(6.0).reshape(2, 3))


@pytest.mark.parametrize(
    "call",
    [
        lambda d, h: np.add(d, h),
        lambda d, h: np.add(d, h[0, 0, ...]),  # a 0-d host array too
        lambda d, h: d * h,
        lambda d, h: np.maximum(d, 1, out=h),
        lambda d, h: cupy.add(d, h),
        lambda d, h: np.where(d > 0, d, h),
        lambda d, h: np.concatenate([d, h]),
        lambda d, h: cupy.copyto(d, h),
        lambda d, h: d.__setitem__(0, h[0]),
        lambda d, h: d[h.astype(np.int64)[0, :1]],
    ],
)
def test_host_arrays_are_refused_where_cupy_refuses_them(device_array, call):
    with pytest.raises(TypeError):
        call(device_array, np.ones((2, 3)))


def test_host_to_device_entry_points_take_host_arrays(device_array):
    assert isinstance(cupy.asarray(np.ones(2)), cupy.ndarray)
    assert isinstance(cupy.array([1, 2]), cupy.ndarray)
    assert cupy.asarray(device_array) is device_array
    assert isinstance(cupy.asnumpy(device_array), np.ndarray)


def test_ufunc_methods_and_implicit_conversion_are_refused(device_array):
    with pytest.raises(TypeError):
        np.add.at(device_array, [0], 1)
    with pytest.raises(TypeError, match="Implicit conversion"):
        device_array.__array__()
    with pytest.raises(AttributeError):
        device_array.__array_interface__  # noqa: B018
    assert not hasattr(device_array.flags, "writeable")


def test_numpy_functions_the_stand_in_lacks_are_never_run_on_the_host(device_array):
    with pytest.raises(TypeError, match="no implementation found"):
        np.lib.stride_tricks.sliding_window_view(device_array, 2)


def test_results_stay_on_the_device_and_reductions_are_0d_arrays(device_array):
    for result in (
        device_array.sum(),
        np.sum(device_array),
        device_array.argmax(),
        device_array[0, 1],
        np.add(device_array[0, 0], 1),
        device_array + 1,
        np.concatenate([device_array, device_array]),
        device_array.astype(np.int32),
    ):
        assert isinstance(result, cupy.ndarray), type(result)
    assert device_array.sum().shape == ()


def test_windows_over_memory_pointers_share_the_memory(device_array):
    window = cupy.ndarray((3,), np.float64, memptr=device_array.data + 8, strides=(16,))
    window[...] = -1.0
    assert cupy.asnumpy(device_array).tolist() == [[0.0, -1.0, 2.0], [-1.0, 4.0, -1.0]]
    assert window.data.ptr == device_array.data.ptr + 8
    with pytest.raises(ValueError):
        cupy.ndarray((4,), np.float64, memptr=device_array.data + 8, strides=(16,))


def test_runtime_devices_and_events():
    assert cupy.cuda.runtime.getDeviceCount() == 1
    assert cupy.cuda.runtime.getDeviceProperties(0)["name"] == b"Simulated GPU (NumPy)"
    start, end = cupy.cuda.Event(), cupy.cuda.Event()
    with cupy.cuda.Device(0) as device:
        start.record()
        end.record()
        end.synchronize()
        device.synchronize()
    assert cupy.cuda.get_elapsed_time(start, end) >= 0
    failing = make_cupy(failure=RuntimeError("cudaErrorNoDevice: no CUDA-capable device"))
    with pytest.raises(RuntimeError, match="cudaErrorNoDevice"):
        failing.cuda.runtime.getDeviceCount()
