"""Reductions: sum, mean, prod, max/min, amax/amin, argmax/argmin, var/std (contiguous results)."""

from __future__ import annotations

import builtins
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from core import dtypes, return_types
from core.dtypes import dtype
from core.layout import wrap_dim
from core.tensor import Tensor, tensor_over

Dims = int | Sequence[int] | None


def _axes(self: Tensor, dim: Dims, nonempty_for: str | None = None) -> tuple[int, ...]:
    """The dims to reduce, wrapped; None or () means all of them.

    With ``nonempty_for``, a reduced dim of size 0 raises first, as PyTorch's amax/amin check it.
    """
    if dim is None:
        dims: Sequence[int] = range(self.dim())
    elif isinstance(dim, (tuple, list)):
        dims = dim if len(dim) else range(self.dim())
    else:
        dims = (dim,)
    wrapped = tuple(wrap_dim(d, self.dim()) for d in dims)
    if nonempty_for is not None and self.dim():
        _check_nonempty_dim(self, nonempty_for, wrapped)
    if len(set(wrapped)) != len(wrapped):
        raise RuntimeError(f"dim {wrapped[0]} appears multiple times in the list of dims")
    return wrapped if self.dim() else ()


def _result(self: Tensor, values: Any, element_type: dtype) -> Tensor:
    array = self._storage.backend.cast(values, element_type.numpy_dtype)
    return tensor_over(array, self.device, element_type)


def _keep(values: np.ndarray, self: Tensor, axes: tuple[int, ...], keepdim: bool) -> np.ndarray:
    """Reshape a reduction over ``axes`` computed without keepdims to PyTorch's keepdim shape."""
    if not keepdim:
        return values
    shape = [1 if d in axes else size for d, size in enumerate(self.shape)]
    return np.reshape(values, shape)


def _accumulating_type(self: Tensor, given: Any) -> dtype:
    if given is not None:
        return dtypes.to_dtype(given)
    return dtypes.int64 if not self.dtype.is_floating_point else self.dtype


def sum(self: Tensor, dim: Dims = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:  # noqa: A001
    result = _accumulating_type(self, dtype)
    axes = _axes(self, dim)
    work = np.float32 if result is dtypes.float16 else result.numpy_dtype
    with np.errstate(all="ignore"):
        values = np.sum(self._values(), axis=axes, dtype=work)
    return _result(self, _keep(values, self, axes, keepdim), result)


def prod(
    self: Tensor, dim: int | None = None, keepdim: bool = False, *, dtype: Any = None
) -> Tensor:
    result = _accumulating_type(self, dtype)
    axes = _axes(self, dim)
    work = np.float32 if result is dtypes.float16 else result.numpy_dtype
    with np.errstate(all="ignore"):
        values = np.prod(self._values(), axis=axes, dtype=work)
    return _result(self, _keep(values, self, axes, keepdim), result)


def mean(self: Tensor, dim: Dims = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    result = self.dtype if dtype is None else dtypes.to_dtype(dtype)
    if not result.is_floating_point:
        raise RuntimeError(
            "mean(): could not infer output dtype. Input dtype must be either a floating point or "
            f"complex dtype. Got: {dtypes.scalar_type_name(result)}. "
            "Convert first, e.g. x.float().mean()"
        )
    axes = _axes(self, dim)
    count = int(np.prod([self.shape[d] for d in axes]))
    work = np.float32 if result is dtypes.float16 else result.numpy_dtype
    with np.errstate(all="ignore"):
        # An empty reduction divides 0 by 0: nan, as in PyTorch.
        values = np.sum(self._values(), axis=axes, dtype=work) / np.dtype(work).type(count)
    return _result(self, _keep(values, self, axes, keepdim), result)


def _check_nonempty_dim(self: Tensor, name: str, axes: tuple[int, ...]) -> None:
    for d in axes:
        if self.shape[d] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")


def _check_nonempty(self: Tensor, name: str) -> None:
    if self.numel() == 0:
        raise RuntimeError(
            f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
            "Specify the reduction dim with the 'dim' argument."
        )


def _extreme(name: str, numpy_pick: Any, numpy_arg: Any, pair: type) -> Any:
    def op(self: Tensor, dim: Any = None, keepdim: bool = False) -> Any:
        if isinstance(dim, Tensor):
            from core.ops.arithmetic import maximum, minimum

            return (maximum if name == "max" else minimum)(self, dim)
        if dim is None:
            _check_nonempty(self, name)
            return _result(self, numpy_pick(self._values()), self.dtype)
        axis = wrap_dim(dim, self.dim())
        values = self._values() if self.dim() else self._values().reshape(1)
        _check_nonempty_dim(self, name, (axis,) if self.dim() else ())
        picked = numpy_pick(values, axis=axis, keepdims=keepdim and self.dim() > 0)
        indices = numpy_arg(values, axis=axis, keepdims=keepdim and self.dim() > 0)
        if self.dim() == 0:
            picked, indices = picked.reshape(()), indices.reshape(())
        return pair(_result(self, picked, self.dtype), _result(self, indices, dtypes.int64))

    op.__name__ = name
    return op


max = _extreme("max", np.max, np.argmax, return_types.max)  # noqa: A001
min = _extreme("min", np.min, np.argmin, return_types.min)  # noqa: A001


def _extreme_value(name: str, numpy_pick: Any) -> Any:
    def op(self: Tensor, dim: Dims = (), keepdim: bool = False) -> Tensor:
        if (dim is None or dim == () or dim == []) and self.numel() == 0:
            _check_nonempty(self, name)
        axes = _axes(self, dim, nonempty_for=name)
        return _result(self, numpy_pick(self._values(), axis=axes, keepdims=keepdim), self.dtype)

    op.__name__ = name
    return op


amax = _extreme_value("amax", np.max)
amin = _extreme_value("amin", np.min)


def _arg_extreme(name: str, numpy_arg: Any) -> Any:
    def op(self: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
        if self.dtype is dtypes.bool_:
            raise RuntimeError(f"{name}(): does not support bool input")
        if dim is None:
            if self.numel() == 0:
                raise IndexError(
                    f"{name}(): Expected reduction dim to be specified for input.numel() == 0."
                )
            index = numpy_arg(self._values().reshape(-1))
            shape = (1,) * self.dim() if keepdim else ()
            return _result(self, np.reshape(index, shape), dtypes.int64)
        axis = wrap_dim(dim, self.dim())
        if self.dim() == 0:
            return _result(self, 0, dtypes.int64)
        _check_nonempty_dim(self, name, (axis,))
        return _result(self, numpy_arg(self._values(), axis=axis, keepdims=keepdim), dtypes.int64)

    op.__name__ = name
    return op


argmax = _arg_extreme("argmax", np.argmax)
argmin = _arg_extreme("argmin", np.argmin)


def _spread(name: str, take_root: bool) -> Any:
    def op(
        self: Tensor,
        dim: Any = None,
        unbiased: bool | None = None,
        keepdim: bool = False,
        *,
        correction: Any = None,
    ) -> Tensor:
        if isinstance(dim, bool):  # the legacy form var(unbiased)
            dim, unbiased = None, dim
        if not self.dtype.is_floating_point:
            raise RuntimeError(
                f"{name}(): std and var only support floating point and complex dtypes, got "
                f"{dtypes.scalar_type_name(self.dtype)}"
            )
        if correction is None:
            correction = 1 if unbiased is None or unbiased else 0
        axes = _axes(self, dim)
        count = int(np.prod([self.shape[d] for d in axes]))
        divisor = count - correction
        if divisor <= 0:
            warnings.warn(
                f"{name}(): degrees of freedom is <= 0. "
                "Correction should be strictly less than the "
                "reduction factor (input numel divided by output numel).",
                UserWarning,
                stacklevel=2,
            )
        values = self._values().astype(np.float64)
        with np.errstate(all="ignore"):
            centred = values - np.sum(values, axis=axes, keepdims=True) / count
            spread = np.sum(centred * centred, axis=axes) / np.float64(builtins.max(divisor, 0))
            if take_root:
                spread = np.sqrt(spread)
        return _result(self, _keep(spread, self, axes, keepdim), self.dtype)

    op.__name__ = name
    return op


var = _spread("var", take_root=False)
std = _spread("std", take_root=True)


def all(self: Tensor, dim: Dims = None, keepdim: bool = False) -> Tensor:  # noqa: A001
    axes = _axes(self, dim)
    return _result(self, np.all(self._values(), axis=axes, keepdims=keepdim), dtypes.bool_)


def any(self: Tensor, dim: Dims = None, keepdim: bool = False) -> Tensor:  # noqa: A001
    axes = _axes(self, dim)
    return _result(self, np.any(self._values(), axis=axes, keepdims=keepdim), dtypes.bool_)
