"""A strict stand-in for the part of CuPy that StrideScope's CUDA backend uses, on NumPy.

``make_cupy()`` returns a module-like object with CuPy's names. Its device arrays are
:class:`ndarray`, a NumPy subclass that refuses what CuPy refuses, so engine code that
would break on a real GPU breaks here too:

- any ufunc or array function given a host NumPy array (even a 0-d one) raises
  ``TypeError: Unsupported type <class 'numpy.ndarray'>``, as CuPy does; only the
  host-to-device entry points (``array``, ``asarray``) take host arrays. Assigning host
  arrays into device arrays raises too. Indexing with host index arrays or lists raises
  here, although CuPy copies them to the device silently (stricter: a hidden transfer);
- NumPy functions reach the stand-in through ``__array_function__`` only when it has a
  function of that name (as CuPy dispatches), else NumPy raises its own TypeError;
- ufunc methods reached through NumPy (``np.add.at``, ``np.add.reduce``) raise (stricter:
  recent CuPy forwards ``at``/``reduce``/``accumulate`` of some ufuncs). ``cupy.add.at``
  exists, with CuPy's dtypes for an atomic add (int32, uint32, uint64, float16, float32,
  float64); ``ndarray.scatter_add`` works but warns ``DeprecationWarning`` as CuPy >= 12
  does (deprecated for ``cupy.add.at``);
- each array lives on the device that was current when it was allocated (views and
  windows on the device of their memory); a kernel (ufunc, reduction, array function,
  indexed write, cast) given an array of another device than the current one raises
  CuPy's ``ValueError`` for devices without peer access (with peer access CuPy warns a
  ``PerformanceWarning`` and runs on the current device instead);
- CuPy's kernels where they differ from NumPy's in more than rounding: float
  ``floor_divide`` is ``floor(x / y)`` and float ``remainder`` is ``x - floor(x / y) * y``
  (NumPy and PyTorch derive both from ``fmod``; cupy/cupy#7737), integer ``fmod`` goes
  through ``double`` (inexact beyond 2**53); ``concatenate`` always returns a new
  C-contiguous array (NumPy may return an F-ordered one);
- a zero written by ``fill`` is a ``memset``: a 0-d host value uploaded by ``array`` or
  ``asarray``, and a number 0 written through indexing (into a C-contiguous target, or
  through index arrays or a mask) arrive as ``+0.0`` even when they were ``-0.0``;
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
``synchronize`` has nothing to wait for; CuPy's own type promotion (CuPy 13 still uses
NumPy 1's value-based rules for Python and NumPy scalars; CuPy 14 follows NEP 50) and its
other kernels (the stand-in computes with NumPy's, so floating-point results agree with
the CPU exactly, where a real GPU may differ in the last bits: float16 conversions,
reductions' summation order, transcendental functions); CUDA's float-to-integer casts
(they saturate: -1.0 to uint8 is 0, inf to int32 is 2**31 - 1, nan is 0, where NumPy
wraps); ``sign`` of nan (0 in CuPy, nan in NumPy); ``np.asarray`` of a device array
(NumPy returns it for a subclass without asking; CuPy raises); ``base`` and
``flags.owndata`` of a window made from a ``MemoryPointer`` (a host buffer here; None and
True in CuPy); CuPy's acceptance of 1-element host arrays in ``copyto`` and of 0-d host
arrays passed to comparisons (the stand-in refuses them: stricter; but a NumPy scalar
compared with a device array, which NumPy hands over as a 0-d host array, is taken as
CuPy takes it: as its number); ``asnumpy`` sharing memory under
``CUPY_ENABLE_UMP``; the multi-line banner CuPy raises when it cannot load CUDA (an
``ImportError`` at ``import cupy`` in CuPy 13; in newer CuPy ``import cupy`` succeeds and
the first attribute access raises ``RuntimeError``); streams, memory pools, peer
access, out-of-memory errors.
"""

from __future__ import annotations

import contextlib
import functools
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import numpy as np

SCALAR_TYPES = (bool, int, float, complex, np.generic)

_current = threading.local()


def _current_device() -> int:
    return getattr(_current, "device", 0)


def _check_devices(*values: Any) -> None:
    """CuPy's check before a kernel launch: every array is on the current device."""
    current = _current_device()
    for value in values:
        if isinstance(value, (list, tuple)):
            _check_devices(*value)
        elif isinstance(value, ndarray) and value._device_id != current:
            raise ValueError(
                f"The device where the array resides ({value._device_id}) is different "
                f"from the current device ({current}). Peer access is unavailable between "
                "these devices."
            )


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


def _is_advanced(key: Any) -> bool:
    """Whether an index holds index arrays or masks (a kernel, not a view)."""
    items = key if isinstance(key, tuple) else (key,)
    return any(isinstance(item, (np.ndarray, list)) for item in items)


def _is_negative_zero(value: Any) -> bool:
    return isinstance(value, (float, np.floating)) and value == 0 and bool(np.signbit(value))


class Flags:
    """CuPy's ``ndarray.flags``: contiguity and ownership only."""

    def __init__(self, c_contiguous: bool, f_contiguous: bool, owndata: bool) -> None:
        self.c_contiguous = c_contiguous
        self.f_contiguous = f_contiguous
        self.owndata = owndata


class MemoryPointer:
    """A pointer into a device allocation: ``ptr``, and ``+ offset`` for a new pointer."""

    def __init__(self, memory: np.ndarray, offset: int, device_id: int = 0) -> None:
        self.memory = memory  # the whole allocation, as flat bytes
        self.offset = offset
        self.device_id = device_id

    @property
    def ptr(self) -> int:
        return int(self.memory.ctypes.data) + self.offset

    def __add__(self, offset: int) -> MemoryPointer:
        return MemoryPointer(self.memory, self.offset + int(offset), self.device_id)


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
    _device_id = 0

    def __array_finalize__(self, obj: Any) -> None:
        # A view stays on its memory's device; a new array is allocated on the current one.
        device_id = getattr(obj, "_device_id", None)
        self._device_id = _current_device() if device_id is None else device_id

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
        ).view(cls)
        view._device_id = memptr.device_id
        return view

    # -- what CuPy has instead of NumPy's host interfaces -------------------------------

    @property
    def data(self) -> MemoryPointer:  # type: ignore[override]
        memory = _allocation(self)
        start = int(memory.ctypes.data)
        offset = int(self.view(np.ndarray).ctypes.data) - start
        return MemoryPointer(memory, offset, self._device_id)

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
        return Device(self._device_id)

    def copy(self, order: str = "C") -> ndarray:  # type: ignore[override]
        """CuPy's ``copy``: a new array on the current device (it may copy across devices)."""
        result = np.array(self.view(np.ndarray), order=order).view(ndarray)
        result._device_id = _current_device()
        return result

    # -- NumPy protocols, strict as CuPy ------------------------------------------------

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        if method != "__call__":
            raise TypeError(
                f"the stand-in for CuPy does not support ufunc.{method} ({ufunc.__name__})"
            )
        if ufunc in _COMPARISONS:
            # CuPy's workaround for numpy/numpy#12142: a NumPy scalar compared with a device
            # array reaches here as a 0-d host array, which CuPy takes as its number.
            inputs = tuple(
                value.item()
                if type(value) is np.ndarray and value.ndim == 0  # noqa: E721 - host only
                else value
                for value in inputs
            )
        return _call_ufunc(ufunc, inputs, kwargs)

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        implementation = FUNCTIONS.get(func.__name__)
        if implementation is None:
            return NotImplemented
        return implementation(*args, **kwargs)

    def __getitem__(self, key: Any) -> Any:
        index = _index(key)
        if _is_advanced(key):
            _check_devices(self, key)  # a gather is a kernel
        result = _device(self.view(np.ndarray)[index])
        if isinstance(result, ndarray):
            result._device_id = self._device_id
        return result

    def __setitem__(self, key: Any, value: Any) -> None:
        if not isinstance(value, (ndarray, *SCALAR_TYPES)):
            raise _unsupported(value)
        target, index = self.view(np.ndarray), _index(key)
        memset = (
            isinstance(value, SCALAR_TYPES)
            and value == 0
            and (_is_advanced(key) or target[index].flags.c_contiguous)
        )
        if memset:
            # CuPy writes a number through fill(), which memsets a zero: -0.0 becomes +0.0.
            # (Index arrays and masks go through a 0-d array made by fill() as well.)
            value = abs(value) if _is_negative_zero(value) else value
        if not memset or _is_advanced(key):
            _check_devices(self, key, value)  # a kernel; a memset needs no current device
        target[index] = _plain(value)

    def __iter__(self) -> Iterator[Any]:
        return (self[i] for i in range(len(self)))

    def __repr__(self) -> str:
        return "simulated_cupy." + repr(self.view(np.ndarray))

    # Methods that NumPy implements with ufunc methods (reduce, accumulate) or that
    # return NumPy scalars: computed on the plain array, the result made a device array.
    def _on_plain(name: str) -> Callable[..., Any]:  # noqa: N805 - a class-body helper
        def method(self: ndarray, *args: Any, **kwargs: Any) -> Any:
            _check_devices(self, args, kwargs.get("out"))
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
        """CuPy's ``ndarray.scatter_add``: add ``value`` at ``slices``, repeats included.

        Deprecated since CuPy 12 (cupy/cupy#7097) for ``cupy.add.at``, and warns so.
        """
        warnings.warn(
            "`ndarray.scatter_add` is deprecated. Please use `cupy.add.at` instead.",
            DeprecationWarning,
            stacklevel=2,
        )
        _add_at(self, slices, value)

    def astype(self, dtype: Any, order: str = "K", casting: Any = None, copy: bool = True) -> Any:
        _check_devices(self)
        with np.errstate(all="ignore"):  # CUDA casts raise no floating-point warnings
            return _device(self.view(np.ndarray).astype(dtype, order=order, copy=copy))


_COMPARISONS = frozenset(
    (np.greater, np.greater_equal, np.less, np.less_equal, np.equal, np.not_equal)
)

_UFUNC_KEYWORDS = {"out", "dtype", "casting"}
"""CuPy's ufuncs take only these (``where=`` is refused; CuPy has a private ``_where``)."""


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
    _check_devices(*inputs, out)
    plain = [_plain(value) for value in inputs]
    with np.errstate(all="ignore"):  # GPU kernels raise no floating-point warnings
        kernel = _CUPY_KERNELS.get(ufunc)
        result = ufunc(*plain, **kwargs) if kernel is None else kernel(ufunc, plain, kwargs)
    return out if out is not None else _device(result)


def _cupy_kernel(compute: Callable[[np.ndarray, np.ndarray, np.dtype], Any], kinds: str) -> Any:
    """A ufunc whose CuPy loop for dtype kinds ``kinds`` computes ``compute(x, y, dtype)``.

    NumPy picks the loop (result dtype and shape); the values are CuPy's.
    """

    def run(ufunc: np.ufunc, plain: list[Any], kwargs: dict[str, Any]) -> Any:
        kwargs = dict(kwargs)
        out = kwargs.pop("out", None)
        casting = kwargs.pop("casting", "same_kind")
        reference = np.asarray(ufunc(*plain, **kwargs))
        if reference.dtype.kind in kinds:
            x, y = (np.asarray(value).astype(reference.dtype) for value in plain)
            values = np.asarray(compute(x, y, reference.dtype)).astype(reference.dtype)
        else:
            values = reference
        if out is None:
            return values
        np.copyto(out, values, casting=casting)
        return out

    return run


_CUPY_KERNELS: dict[np.ufunc, Any] = {
    # cupy/_core/include/cupy/carray.cuh: _floor_divide(float x, float y) is floor(x / y)
    np.floor_divide: _cupy_kernel(lambda x, y, t: np.floor(x / y), "f"),
    # cupy/_core/_routines_math.pyx: float remainder is in0 - _floor_divide(in0, in1) * in1
    np.remainder: _cupy_kernel(lambda x, y, t: x - np.floor(x / y) * y, "f"),
    # cupy/_math/arithmetic.py: integer fmod is in1 == 0 ? 0 : fmod((double)in0, (double)in1)
    np.fmod: _cupy_kernel(
        lambda x, y, t: np.where(
            y == 0, 0, np.fmod(x.astype(np.float64), np.where(y == 0, 1, y).astype(np.float64))
        ),
        "iu",
    ),
}


def _device_function(numpy_function: Callable[..., Any]) -> Callable[..., Any]:
    """``numpy_function`` taking only device arrays and numbers, giving device arrays."""

    @functools.wraps(numpy_function)
    def function(*args: Any, **kwargs: Any) -> Any:
        _check_devices(args, tuple(kwargs.values()))
        plain_kwargs = {key: _plain(value) for key, value in kwargs.items()}
        with np.errstate(all="ignore"):
            return _device(numpy_function(*_plain(args), **plain_kwargs))

    return function


def _copyto(dst: Any, src: Any, casting: str = "same_kind", where: Any = None) -> None:
    """``cupy.copyto``: a Python number is checked by ``numpy.copyto`` (so an integer out of
    the destination's range raises OverflowError under NumPy 2, as in CuPy >= 13.3); a NumPy
    number is written by value (``.item()``). It may copy between devices."""
    if not isinstance(dst, ndarray):
        raise TypeError(f"Argument 'dst' has incorrect type (expected cupy.ndarray, got {dst!r})")
    if not isinstance(src, (ndarray, *SCALAR_TYPES)):
        raise _unsupported(src)
    if where is not None and not isinstance(where, (ndarray, bool, np.bool_)):
        raise _unsupported(where)
    with np.errstate(all="ignore"):
        np.copyto(
            dst.view(np.ndarray),
            _plain(src),
            casting=casting,
            where=_plain(where) if where is not None else True,
        )


def _array(
    obj: Any, dtype: Any = None, copy: bool = True, order: str = "K", ndmin: int = 0
) -> ndarray:
    """``cupy.array``: a new device array from device or host data (the way onto the GPU)."""
    source = obj.view(np.ndarray) if isinstance(obj, ndarray) else obj
    with np.errstate(all="ignore"):
        result = np.array(source, dtype=dtype, copy=True, order=order, ndmin=ndmin)
    if result.ndim == 0 and not isinstance(obj, ndarray) and _is_negative_zero(result[()]):
        # CuPy uploads a 0-d host value with ndarray.fill(), which memsets a zero.
        result[()] = abs(result[()])
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


def _concatenate(*args: Any, **kwargs: Any) -> Any:
    """``cupy.concatenate``: the result is always a new C-ordered array (CuPy allocates
    ``ndarray(shape, dtype)``), where NumPy may lay it out like F-ordered inputs."""
    joined = _device_function(np.concatenate)(*args, **kwargs)
    if kwargs.get("out") is not None:
        return joined
    return np.ascontiguousarray(joined.view(np.ndarray)).view(ndarray)


_ATOMIC_ADD_TYPES = frozenset(
    np.dtype(name) for name in ("int32", "uint32", "uint64", "float16", "float32", "float64")
)


def _add_at(a: Any, indices: Any, b: Any) -> None:
    """``cupy.add.at`` (and ``ndarray.scatter_add``): atomic adds, so only the dtypes CUDA
    adds atomically once an index array is involved (CuPy's ``_scatter_op_single``)."""
    if not isinstance(a, ndarray):
        raise TypeError(f"Unsupported type {type(a)}")
    _check_devices(a, indices, b)
    if _is_advanced(indices) and a.dtype not in _ATOMIC_ADD_TYPES:
        raise TypeError(
            "cupy.add.at only supports int32, float16, float32, float64, uint32, uint64, "
            "as data type"
        )
    np.add.at(a.view(np.ndarray), _index(indices), _plain(b))


def _add(*inputs: Any, **kwargs: Any) -> Any:
    return _call_ufunc(np.add, inputs, kwargs)


_add.__name__ = "add"
_add.at = _add_at  # type: ignore[attr-defined]


FUNCTIONS: dict[str, Callable[..., Any]] = {
    **{name: _device_function(getattr(np, name)) for name in _DEVICE_FUNCTIONS},
    **{name: _creation(function) for name, function in _CREATION.items()},
    **{name: _strict_ufunc(getattr(np, name)) for name in _UFUNCS},
    "add": _add,
    "concatenate": _concatenate,
    "copyto": _copyto,
    "array": _array,
    "asarray": _asarray,
    "asnumpy": _asnumpy,
}


# -- the cuda namespace ---------------------------------------------------------------


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
