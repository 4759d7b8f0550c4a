"""A strict stand-in for the part of CuPy that StrideScope's CUDA backend uses, on NumPy.

``make_cupy()`` returns a module-like object with CuPy's names. Its device arrays are
:class:`ndarray`, a NumPy subclass that refuses what CuPy refuses, so engine code that
would break on a real GPU breaks here too:

- any ufunc or array function given a host NumPy array (even a 0-d one) raises
  ``TypeError: Unsupported type <class 'numpy.ndarray'>``, as CuPy does; only the
  host-to-device entry points (``array``, ``asarray``) take host arrays. Indexing with
  host index arrays and assigning host arrays into device arrays raise too;
- NumPy functions reach the stand-in through ``__array_function__`` only when it has a
  function of that name (as CuPy dispatches), else NumPy raises its own TypeError;
- ufunc methods other than ``__call__`` (``np.add.at``, ``np.add.reduce``) raise;
- full reductions, ``argmax``, integer indexing and ufuncs of 0-d arrays return 0-d
  device arrays, never NumPy scalars;
- ``flags`` has only ``c_contiguous``, ``f_contiguous`` and ``owndata`` (no
  ``writeable``); there is no ``__array_interface__``; implicit conversion through
  ``__array__`` raises;
- ``ndarray(shape, dtype, memptr=..., strides=...)`` makes a window on existing memory,
  ``.data`` is a ``MemoryPointer`` with ``.ptr`` and ``+ offset``; ``asnumpy`` copies to
  the host; ``cuda.runtime`` (``getDeviceCount``, ``getDevice``, ``getDeviceProperties``
  with the name as bytes, driver and runtime versions), ``cuda.Device`` (context
  manager, ``synchronize``), ``cuda.Event`` and ``cuda.get_elapsed_time`` (milliseconds).

What it does NOT model: memory lives on the host, so nothing is asynchronous and
``synchronize`` has nothing to wait for; CuPy's own type promotion and kernels (the
stand-in computes with NumPy's, so floating-point results agree with the CPU exactly,
where a real GPU may differ in the last bits, e.g. float16 conversions, reductions'
summation order, ``floor_divide`` of floats, nan to integer casts); ``np.asarray`` of a
device array (NumPy returns it for a subclass without asking; CuPy raises); ``base`` of a
window made from a ``MemoryPointer`` (a host buffer here, None in CuPy); CuPy's
acceptance of 1-element host arrays in ``copyto`` and of 0-d ones in comparisons (the
stand-in refuses them: stricter); several devices' separate memories (every simulated
device shares the host's); streams, memory pools, peer access, out-of-memory errors.
"""

from __future__ import annotations

import contextlib
import functools
import threading
import time
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import numpy as np

SCALAR_TYPES = (bool, int, float, complex, np.generic)


class CUDARuntimeError(RuntimeError):
    """CuPy's ``cupy_backends.cuda.api.runtime.CUDARuntimeError`` (a RuntimeError)."""


def _unsupported(value: Any) -> TypeError:
    return TypeError(f"Unsupported type {type(value)}")


def _plain(value: Any) -> Any:
    """A device array as the plain NumPy array under it; host arrays refused; rest as is."""
    if isinstance(value, ndarray):
        return value.view(np.ndarray)
    if isinstance(value, np.ndarray):
        raise _unsupported(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(item) for item in value)
    return value


def _device(value: Any) -> Any:
    """A NumPy result as a device array: arrays viewed, NumPy scalars made 0-d arrays."""
    if isinstance(value, ndarray):
        return value
    if isinstance(value, np.ndarray):
        return value.view(ndarray)
    if isinstance(value, np.generic):
        return np.asarray(value).view(ndarray)
    if isinstance(value, tuple):
        return tuple(_device(item) for item in value)
    return value


def _index(key: Any) -> Any:
    """An index for a device array: device index arrays allowed, host ones refused."""
    if isinstance(key, tuple):
        return tuple(_index(item) for item in key)
    if isinstance(key, list):
        raise TypeError("the stand-in refuses list indices: move them to the device first")
    return _plain(key)


class Flags:
    """CuPy's ``ndarray.flags``: contiguity and ownership only."""

    def __init__(self, c_contiguous: bool, f_contiguous: bool, owndata: bool) -> None:
        self.c_contiguous = c_contiguous
        self.f_contiguous = f_contiguous
        self.owndata = owndata


class MemoryPointer:
    """A pointer into a device allocation: ``ptr``, and ``+ offset`` for a new pointer."""

    def __init__(self, memory: np.ndarray, offset: int) -> None:
        self.memory = memory  # the whole allocation, as flat bytes
        self.offset = offset

    @property
    def ptr(self) -> int:
        return int(self.memory.ctypes.data) + self.offset

    def __add__(self, offset: int) -> MemoryPointer:
        return MemoryPointer(self.memory, self.offset + int(offset))


def _allocation(array: np.ndarray) -> np.ndarray:
    """The flat bytes of the allocation that holds ``array``'s memory."""
    owner = array
    while isinstance(owner.base, np.ndarray):
        owner = owner.base
    owner = owner.view(np.ndarray)
    flat = owner.ravel(order="K")
    if not np.shares_memory(flat, owner) and owner.size:
        raise AssertionError("the stand-in's allocations are always dense")
    return flat.view(np.uint8)


class ndarray(np.ndarray):  # noqa: N801 - CuPy's name
    """A simulated device array (NumPy memory standing in for GPU memory)."""

    __array_priority__ = 100

    def __new__(
        cls,
        shape: Any,
        dtype: Any = float,
        memptr: MemoryPointer | None = None,
        strides: Any = None,
        order: str = "C",
    ) -> ndarray:
        if memptr is None:
            if strides is not None:
                raise ValueError("memptr is required if strides is given.")
            return np.empty(shape, dtype=dtype, order=order).view(cls)
        view = np.ndarray(
            shape, dtype=dtype, buffer=memptr.memory, offset=memptr.offset, strides=strides
        )
        return view.view(cls)

    # -- what CuPy has instead of NumPy's host interfaces -------------------------------

    @property
    def data(self) -> MemoryPointer:  # type: ignore[override]
        memory = _allocation(self)
        start = int(memory.ctypes.data)
        return MemoryPointer(memory, int(self.view(np.ndarray).ctypes.data) - start)

    @property
    def flags(self) -> Flags:  # type: ignore[override]
        plain = self.view(np.ndarray)
        return Flags(plain.flags.c_contiguous, plain.flags.f_contiguous, self.base is None)

    @property
    def __array_interface__(self) -> Any:  # type: ignore[override]
        raise AttributeError("a device array has no __array_interface__")

    @property
    def __cuda_array_interface__(self) -> dict[str, Any]:
        plain = self.view(np.ndarray)
        return {
            "shape": plain.shape,
            "typestr": plain.dtype.str,
            "data": (self.data.ptr if plain.size else 0, False),
            "strides": None if plain.flags.c_contiguous else plain.strides,
            "version": 3,
        }

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        raise TypeError(
            "Implicit conversion to a NumPy array is not allowed. "
            "Please use `.get()` to construct a NumPy array explicitly."
        )

    def get(self) -> np.ndarray:
        return np.array(self.view(np.ndarray), order="C")

    @property
    def device(self) -> Device:
        return Device(0)

    # -- NumPy protocols, strict as CuPy ------------------------------------------------

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        if method != "__call__":
            raise TypeError(
                f"the stand-in for CuPy does not support ufunc.{method} ({ufunc.__name__})"
            )
        return _call_ufunc(ufunc, inputs, kwargs)

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        implementation = FUNCTIONS.get(func.__name__)
        if implementation is None:
            return NotImplemented
        return implementation(*args, **kwargs)

    def __getitem__(self, key: Any) -> Any:
        return _device(self.view(np.ndarray)[_index(key)])

    def __setitem__(self, key: Any, value: Any) -> None:
        if not isinstance(value, (ndarray, *SCALAR_TYPES)):
            raise _unsupported(value)
        self.view(np.ndarray)[_index(key)] = _plain(value)

    def __iter__(self) -> Iterator[Any]:
        return (self[i] for i in range(len(self)))

    def __repr__(self) -> str:
        return "simulated_cupy." + repr(self.view(np.ndarray))

    # Methods that NumPy implements with ufunc methods (reduce, accumulate) or that
    # return NumPy scalars: computed on the plain array, the result made a device array.
    def _on_plain(name: str) -> Callable[..., Any]:  # noqa: N805 - a class-body helper
        def method(self: ndarray, *args: Any, **kwargs: Any) -> Any:
            if "out" in kwargs:
                kwargs["out"] = _plain(kwargs["out"])
            return _device(getattr(self.view(np.ndarray), name)(*_plain(args), **kwargs))

        method.__name__ = name
        return method

    sum = _on_plain("sum")
    prod = _on_plain("prod")
    max = _on_plain("max")
    min = _on_plain("min")
    mean = _on_plain("mean")
    var = _on_plain("var")
    std = _on_plain("std")
    all = _on_plain("all")
    any = _on_plain("any")
    argmax = _on_plain("argmax")
    argmin = _on_plain("argmin")
    cumsum = _on_plain("cumsum")
    cumprod = _on_plain("cumprod")
    nonzero = _on_plain("nonzero")
    clip = _on_plain("clip")
    dot = _on_plain("dot")
    del _on_plain

    def scatter_add(self, slices: Any, value: Any) -> None:
        """CuPy's ``ndarray.scatter_add``: add ``value`` at ``slices``, repeats included."""
        np.add.at(self.view(np.ndarray), _index(slices), _plain(value))

    def astype(self, dtype: Any, order: str = "K", casting: Any = None, copy: bool = True) -> Any:
        with np.errstate(all="ignore"):  # CUDA casts raise no floating-point warnings
            return _device(self.view(np.ndarray).astype(dtype, order=order, copy=copy))


_UFUNC_KEYWORDS = {"out", "dtype", "casting"}


def _call_ufunc(ufunc: np.ufunc, inputs: Any, kwargs: dict[str, Any]) -> Any:
    unknown = set(kwargs) - _UFUNC_KEYWORDS
    if unknown:
        raise TypeError(f"Wrong arguments {kwargs}")  # CuPy's ufuncs take only these
    for value in inputs:
        if not isinstance(value, (ndarray, *SCALAR_TYPES)):
            raise _unsupported(value)
    out = kwargs.get("out")
    if isinstance(out, tuple):
        (out,) = out
    if out is not None:
        if not isinstance(out, ndarray):
            raise TypeError("Output arguments must be cupy.ndarray")
        kwargs["out"] = out.view(np.ndarray)
    with np.errstate(all="ignore"):  # GPU kernels raise no floating-point warnings
        result = ufunc(*(_plain(value) for value in inputs), **kwargs)
    return out if out is not None else _device(result)


def _device_function(numpy_function: Callable[..., Any]) -> Callable[..., Any]:
    """``numpy_function`` taking only device arrays and numbers, giving device arrays."""

    @functools.wraps(numpy_function)
    def function(*args: Any, **kwargs: Any) -> Any:
        plain_kwargs = {key: _plain(value) for key, value in kwargs.items()}
        with np.errstate(all="ignore"):
            return _device(numpy_function(*_plain(args), **plain_kwargs))

    return function


def _copyto(dst: Any, src: Any, casting: str = "same_kind", where: Any = None) -> None:
    if not isinstance(dst, ndarray):
        raise TypeError(f"Argument 'dst' has incorrect type (expected cupy.ndarray, got {dst!r})")
    if not isinstance(src, (ndarray, *SCALAR_TYPES)):
        raise _unsupported(src)
    with np.errstate(all="ignore"):
        np.copyto(dst.view(np.ndarray), _plain(src), casting=casting)


def _array(
    obj: Any, dtype: Any = None, copy: bool = True, order: str = "K", ndmin: int = 0
) -> ndarray:
    """``cupy.array``: a new device array from device or host data (the way onto the GPU)."""
    source = obj.view(np.ndarray) if isinstance(obj, ndarray) else obj
    with np.errstate(all="ignore"):
        result = np.array(source, dtype=dtype, copy=True, order=order, ndmin=ndmin)
    return result.view(ndarray)


def _asarray(a: Any, dtype: Any = None, order: str | None = None) -> ndarray:
    """``cupy.asarray``: ``a`` itself when it is a device array of that dtype, else a copy."""
    if isinstance(a, ndarray) and (dtype is None or np.dtype(dtype) == a.dtype) and not order:
        return a
    return _array(a, dtype=dtype, order=order or "K")


def _asnumpy(a: Any, stream: Any = None, order: str = "C") -> np.ndarray:
    if isinstance(a, ndarray):
        return a.get()
    return np.asarray(a, order=order)


# The NumPy functions the stand-in has under CuPy's names (a subset of CuPy's).
_DEVICE_FUNCTIONS = [
    "empty_like",
    "zeros_like",
    "ones_like",
    "full_like",
    "where",
    "concatenate",
    "stack",
    "sum",
    "prod",
    "max",
    "min",
    "amax",
    "amin",
    "argmax",
    "argmin",
    "all",
    "any",
    "mean",
    "matmul",
    "flip",
    "moveaxis",
    "cumprod",
    "cumsum",
    "broadcast_to",
    "reshape",
    "argwhere",
    "count_nonzero",
    "nonzero",
    "transpose",
    "squeeze",
    "expand_dims",
    "ascontiguousarray",
    "isnan",
    "isfinite",
    "dot",
]
_CREATION = {
    "empty": np.empty,
    "zeros": np.zeros,
    "ones": np.ones,
    "full": np.full,
    "arange": np.arange,
    "eye": np.eye,
}
_UFUNCS = [
    "add",
    "subtract",
    "multiply",
    "divide",
    "true_divide",
    "floor_divide",
    "remainder",
    "fmod",
    "power",
    "negative",
    "absolute",
    "abs",
    "sign",
    "exp",
    "log",
    "sqrt",
    "sin",
    "cos",
    "tanh",
    "maximum",
    "minimum",
    "equal",
    "not_equal",
    "less",
    "less_equal",
    "greater",
    "greater_equal",
    "logical_not",
    "logical_and",
    "logical_or",
    "bitwise_and",
    "bitwise_or",
    "bitwise_xor",
    "invert",
    "trunc",
    "floor",
    "ceil",
]


def _strict_ufunc(ufunc: np.ufunc) -> Callable[..., Any]:
    def function(*inputs: Any, **kwargs: Any) -> Any:
        return _call_ufunc(ufunc, inputs, kwargs)

    function.__name__ = ufunc.__name__
    return function


def _creation(numpy_function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(numpy_function)
    def function(*args: Any, **kwargs: Any) -> ndarray:
        return numpy_function(*args, **kwargs).view(ndarray)

    return function


FUNCTIONS: dict[str, Callable[..., Any]] = {
    **{name: _device_function(getattr(np, name)) for name in _DEVICE_FUNCTIONS},
    **{name: _creation(function) for name, function in _CREATION.items()},
    **{name: _strict_ufunc(getattr(np, name)) for name in _UFUNCS},
    "copyto": _copyto,
    "array": _array,
    "asarray": _asarray,
    "asnumpy": _asnumpy,
}


# -- the cuda namespace ---------------------------------------------------------------

_current = threading.local()


class Device:
    """``cupy.cuda.Device(i)``: a context manager that makes ``i`` the current device."""

    def __init__(self, device: int | None = None) -> None:
        self.id = _current_device() if device is None else int(device)
        self._before: list[int] = []

    def __enter__(self) -> Device:
        self._before.append(_current_device())
        _current.device = self.id
        return self

    def __exit__(self, *exc: Any) -> None:
        _current.device = self._before.pop()

    def use(self) -> None:
        _current.device = self.id

    def synchronize(self) -> None:
        """Nothing runs asynchronously here: there is nothing to wait for."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Device) and other.id == self.id

    def __hash__(self) -> int:
        return hash(self.id)


def _current_device() -> int:
    return getattr(_current, "device", 0)


class Event:
    """``cupy.cuda.Event``: records the (host) time when ``record`` is called."""

    def __init__(self, block: bool = False, disable_timing: bool = False) -> None:
        self.time: float | None = None

    def record(self, stream: Any = None) -> None:
        self.time = time.perf_counter()

    def synchronize(self) -> None:
        """The event is complete as soon as it is recorded."""

    @property
    def done(self) -> bool:
        return self.time is not None


def _elapsed_ms(start: Event, end: Event) -> float:
    if start.time is None or end.time is None:
        raise CUDARuntimeError("cudaErrorInvalidResourceHandle: invalid resource handle")
    return (end.time - start.time) * 1e3


def make_cupy(
    device_count: int = 1,
    name: str = "Simulated GPU (NumPy)",
    failure: BaseException | None = None,
) -> SimpleNamespace:
    """A module-like stand-in for CuPy with ``device_count`` devices called ``name``.

    With ``failure``, every device call raises it (as CuPy installed on a machine with no
    usable GPU raises ``CUDARuntimeError``).
    """

    def count() -> int:
        if failure is not None:
            raise failure
        return device_count

    def properties(index: int) -> dict[str, Any]:
        if not 0 <= index < count():
            raise CUDARuntimeError("cudaErrorInvalidDevice: invalid device ordinal")
        return {"name": name.encode(), "totalGlobalMem": 1 << 30, "major": 9, "minor": 0}

    runtime = SimpleNamespace(
        getDeviceCount=count,
        getDevice=_current_device,
        getDeviceProperties=properties,
        driverGetVersion=lambda: 12040,
        runtimeGetVersion=lambda: 12040,
        deviceSynchronize=lambda: None,
        CUDARuntimeError=CUDARuntimeError,
    )
    cuda = SimpleNamespace(
        runtime=runtime,
        Device=Device,
        Event=Event,
        MemoryPointer=MemoryPointer,
        get_elapsed_time=_elapsed_ms,
    )
    return SimpleNamespace(
        __name__="simulated_cupy",
        __version__="13.6.0+simulated",
        ndarray=ndarray,
        cuda=cuda,
        **FUNCTIONS,
    )


@contextlib.contextmanager
def installed(cupy: SimpleNamespace | None = None) -> Iterator[SimpleNamespace]:
    """Inside the block, the engine's CUDA backend computes with the stand-in."""
    from core.backends import cuda_runtime

    cupy = make_cupy() if cupy is None else cupy
    with cuda_runtime.simulated(cupy):
        yield cupy
