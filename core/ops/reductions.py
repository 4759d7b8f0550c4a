"""Reductions: sum, mean, prod, max/min, amax/amin, argmax/argmin, var/std (contiguous results).

A reduction's gradient spreads the incoming gradient back over the reduced dims:
evenly (sum, mean), to the picked elements (max, min, amax, amin), or by the
derivative of the statistic (prod, var, std).
"""

from __future__ import annotations

import builtins
import math
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from core import dtypes, return_types
from core.autograd.grad_mode import is_grad_enabled
from core.autograd.record import record
from core.dtypes import dtype
from core.layout import wrap_dim
from core.memory import ALLOCATION_LIMIT, check_allocation
from core.tensor import Tensor, tensor_over

Dims = int | Sequence[int] | None


def _axes(self: Tensor, dim: Dims, nonempty_for: str | None = None) -> tuple[int, ...]:
    """The dims to reduce, wrapped; None or () means all of them.

    With ``nonempty_for``, a reduced dim of size 0 raises first, as PyTorch's amax/amin check it.
    """
    if dim is None and nonempty_for is None:
        return tuple(range(self.dim()))
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


def _check_reduced(self: Tensor, axes: tuple[int, ...], element_type: dtype) -> None:
    """Refuse, before it runs, a reduction over ``axes`` whose result is over the memory limit.

    The input may be a broadcast view far larger than its storage, so its result may be too.
    """
    if ALLOCATION_LIMIT.get() is not None:  # counting costs more than this test
        kept = (size for d, size in enumerate(self._layout.sizes) if d not in axes)
        check_allocation(math.prod(kept), element_type)


def _result(self: Tensor, values: Any, element_type: dtype) -> Tensor:
    """A new tensor over ``values`` (a reduction's fresh result, copied only if it must be)."""
    backend = self._storage.backend
    if getattr(values, "dtype", None) != element_type.numpy_dtype:
        array = backend.cast(values, element_type.numpy_dtype)
    elif isinstance(values, np.generic):
        array = np.asarray(values)  # a NumPy number: its own new 0-d array (CuPy gives arrays)
    elif values.flags.c_contiguous and values.base is None:
        array = values
    else:
        array = backend.cast(values, element_type.numpy_dtype)
    return tensor_over(array, self.device, element_type)


def _keep(values: np.ndarray, self: Tensor, axes: tuple[int, ...], keepdim: bool) -> np.ndarray:
    """Reshape a reduction over ``axes`` computed without keepdims to PyTorch's keepdim shape."""
    if not keepdim:
        return values
    shape = tuple(1 if d in axes else size for d, size in enumerate(self.shape))
    return values.reshape(shape)


def _accumulating_type(self: Tensor, given: Any) -> dtype:
    if given is not None:
        return dtypes.to_dtype(given)
    return dtypes.int64 if not self.dtype.is_floating_point else self.dtype


def sum(self: Tensor, dim: Dims = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:  # noqa: A001
    result = _accumulating_type(self, dtype)
    axes = _axes(self, dim)
    _check_reduced(self, axes, result)
    work = np.float32 if result is dtypes.float16 else result.numpy_dtype
    backend = self._storage.backend
    values = backend.run_quietly(backend.xp.sum, self._values(), axes, work)
    out = _result(self, _keep(values, self, axes, keepdim), result)
    sizes = self._layout.sizes
    return record(
        out,
        "SumBackward0" if dim is None else "SumBackward1",
        (self,),
        lambda grad, saved: (restored(grad, sizes, axes, keepdim).expand(sizes),),
        {"self_sym_sizes": sizes, "dim": axes, "keepdim": keepdim},
        lambda: f"grad_self = grad expanded to {list(sizes)}",
    )


def restored(grad: Tensor, sizes: tuple[int, ...], axes: tuple[int, ...], keepdim: bool) -> Tensor:
    """A reduction's gradient with the reduced dims back, as size 1 (ready to broadcast)."""
    if keepdim or not grad._layout.sizes:  # a 0-d gradient broadcasts as it is
        return grad
    return grad.reshape(tuple(1 if d in axes else size for d, size in enumerate(sizes)))


def sum_to_size(self: Tensor, *size: Any) -> Tensor:
    """Sum over the dims that broadcasting would add or stretch to reach this tensor's shape."""
    from core.ops.arguments import parse_shape

    sizes = parse_shape(size)
    leading = self.dim() - len(sizes)
    stretched = [
        leading + d
        for d, n in enumerate(sizes)
        if leading >= 0 and n == 1 and self.shape[leading + d] != 1
    ]
    if leading < 0 or builtins.any(
        n not in (1, self.shape[leading + d]) for d, n in enumerate(sizes)
    ):
        raise RuntimeError(
            f"size {{{list(sizes)}}} is not expandable to size {{{list(self.shape)}}}."
        )
    dims = [*range(leading), *stretched]
    result = sum(self, dims, keepdim=True) if dims else self
    return result.view(sizes) if leading else result


def prod(
    self: Tensor, dim: int | None = None, keepdim: bool = False, *, dtype: Any = None
) -> Tensor:
    result = _accumulating_type(self, dtype)
    axes = _axes(self, dim)
    _check_reduced(self, axes, result)
    work = np.float32 if result is dtypes.float16 else result.numpy_dtype
    backend = self._storage.backend
    values = backend.run_quietly(backend.xp.prod, self._values(), axes, work)
    out = _result(self, _keep(values, self, axes, keepdim), result)
    sizes = self._layout.sizes
    return record(
        out,
        "ProdBackward0" if dim is None else "ProdBackward1",
        (self,),
        lambda grad, saved: (
            restored(grad, sizes, axes, keepdim) * _product_of_others(saved.self, axes),
        ),
        {"self": self, "result": out, "dim": dim, "keepdim": keepdim},
        "grad_self[i] = grad · (product of the other elements)",
    )


def _product_of_others(self: Tensor, axes: tuple[int, ...]) -> Tensor:
    """Each element's product of the other elements reduced with it, exact when some are 0.

    The product of everything before and everything after each element (exclusive
    cumulative products), as PyTorch's prod_safe_zeros_backward computes it. Under
    ``create_graph`` it is built from differentiable ops instead, for second derivatives.
    """
    if is_grad_enabled() and self.requires_grad:
        return _product_of_others_differentiable(self, axes)
    check_allocation(self._layout.numel, self.dtype)  # and a few temporaries of this size
    values = self._values()
    xp = self._storage.backend.xp
    leading = tuple(range(len(axes)))
    moved = xp.moveaxis(values, axes, leading) if axes else values.reshape(1)
    flat = moved.reshape((-1,) + moved.shape[len(axes) :]) if axes else moved
    ones = xp.ones_like(flat[:1])
    before = xp.cumprod(xp.concatenate([ones, flat[:-1]]), axis=0)
    after = xp.cumprod(xp.concatenate([ones, flat[:0:-1]]), axis=0)[::-1]
    others = (before * after).reshape(moved.shape)
    others = xp.moveaxis(others, leading, axes) if axes else others.reshape(())
    return _result(self, others, self.dtype)


def mean(self: Tensor, dim: Dims = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    result = self.dtype if dtype is None else dtypes.to_dtype(dtype)
    if not result.is_floating_point:
        raise RuntimeError(
            "mean(): could not infer output dtype. Input dtype must be either a floating point or "
            f"complex dtype. Got: {dtypes.scalar_type_name(result)}. "
            "Convert first, e.g. x.float().mean()"
        )
    axes = _axes(self, dim)
    _check_reduced(self, axes, result)
    count = int(np.prod([self.shape[d] for d in axes]))
    work = np.float32 if result is dtypes.float16 else result.numpy_dtype
    backend = self._storage.backend
    # An empty reduction divides 0 by 0: nan, as in PyTorch.
    values = backend.run_quietly(_mean, backend.xp, self._values(), axes, work, count)
    out = _result(self, _keep(values, self, axes, keepdim), result)
    sizes = self._layout.sizes
    return record(
        out,
        "MeanBackward0" if dim is None else "MeanBackward1",
        (self,),
        lambda grad, saved: (restored(grad, sizes, axes, keepdim).expand(sizes) / count,),
        {"self_sym_sizes": sizes, "dim": axes, "keepdim": keepdim},
        lambda: f"grad_self = grad / {count}, expanded to {list(sizes)}",
    )


def _mean(xp: Any, values: Any, axes: tuple[int, ...], work: Any, count: int) -> Any:
    return xp.sum(values, axis=axes, dtype=work) / np.dtype(work).type(count)


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


def _extreme(name: str, pick_name: str, arg_name: str, pair: type) -> Any:
    """max or min: the value (dim=None), or values and indices along a dim."""

    def op(self: Tensor, dim: Any = None, keepdim: bool = False) -> Any:
        if isinstance(dim, Tensor):
            from core.ops.arithmetic import maximum, minimum

            return (maximum if name == "max" else minimum)(self, dim)
        node = f"{name.capitalize()}Backward"
        xp = self._storage.backend.xp
        numpy_pick, numpy_arg = getattr(xp, pick_name), getattr(xp, arg_name)
        if dim is None:
            _check_nonempty(self, name)
            out = _result(self, numpy_pick(self._values()), self.dtype)
            return _evenly_to_ties(out, node + "1", self, tuple(range(self.dim())), True)
        axis = wrap_dim(dim, self.dim())
        values = self._values() if self.dim() else self._values().reshape(1)
        _check_nonempty_dim(self, name, (axis,) if self.dim() else ())
        _check_reduced(self, (axis,), self.dtype)
        _check_reduced(self, (axis,), dtypes.int64)  # the indices
        picked = numpy_pick(values, axis=axis, keepdims=keepdim and self.dim() > 0)
        indices = numpy_arg(values, axis=axis, keepdims=keepdim and self.dim() > 0)
        if self.dim() == 0:
            picked, indices = picked.reshape(()), indices.reshape(())
        out = _result(self, picked, self.dtype)
        positions = _result(self, indices, dtypes.int64)
        sizes = self._layout.sizes
        record(
            out,
            node + "0",
            (self,),
            lambda grad, saved: (_to_indices(grad, saved.indices, sizes, axis, keepdim),),
            {"indices": positions, "dim": axis, "keepdim": keepdim},
            lambda: f"grad_self = grad at the index picked along dim {axis}, 0 elsewhere",
        )
        return pair(out, positions)

    op.__name__ = name
    return op


def _to_indices(
    grad: Tensor, indices: Tensor, sizes: tuple[int, ...], axis: int, keepdim: bool
) -> Tensor:
    """PyTorch's value_selecting_reduction_backward: ``grad`` put at ``indices`` along ``axis``."""
    from core.ops.factories import from_numpy

    if not sizes:
        return grad.clone()
    kept_shape = tuple(1 if d == axis else size for d, size in enumerate(sizes))
    grad, chosen = grad.reshape(kept_shape), indices.reshape(kept_shape)
    grid = np.indices(chosen.shape, sparse=True)
    where = [from_numpy(g) for g in grid]
    where[axis] = chosen
    return grad.new_zeros(sizes).index_put_(tuple(where), grad)


def _evenly_to_ties(
    out: Tensor,
    node: str,
    self: Tensor,
    axes: tuple[int, ...],
    all_dims: bool,
    keepdim: bool = False,
) -> Tensor:
    """Record ``node``: the gradient is shared equally by the elements equal to the result."""
    sizes = self._layout.sizes

    def rule(grad: Tensor, saved: Any) -> tuple[Tensor]:
        picked = restored(saved.result, sizes, axes, keepdim)
        ties = (saved.self == picked) | (saved.self.isnan() & picked.isnan())
        count = ties.sum(axes, keepdim=True) if axes else ties.long()
        shared = restored(grad, sizes, axes, keepdim) / count
        return (shared.expand(sizes).where(ties, 0.0),)

    return record(
        out,
        node,
        (self,),
        rule,
        {"self": self, "result": out} if all_dims else {"self": self, "result": out, "dim": axes},
        "grad_self = grad shared equally by the elements equal to the result",
    )


def _product_of_others_differentiable(self: Tensor, axes: tuple[int, ...]) -> Tensor:
    """The same products, as ``prod`` over rows of an (n, n) matrix whose diagonal is 1."""
    from core.ops.factories import eye
    from core.ops.selection import where

    if not axes:
        return self.new_ones(self.shape)
    moved = self.movedim(axes, tuple(range(self.dim() - len(axes), self.dim())))
    batch = tuple(moved.shape[: self.dim() - len(axes)])
    count = math.prod(moved.shape[len(batch) :])
    rows = moved.reshape(*batch, 1, count).expand(*batch, count, count)
    others = where(eye(count, dtype=dtypes.bool_, device=self.device), 1.0, rows).prod(-1)
    back = others.reshape(moved.shape)
    return back.movedim(tuple(range(len(batch), self.dim())), axes)


max = _extreme("max", "max", "argmax", return_types.max)  # noqa: A001
min = _extreme("min", "min", "argmin", return_types.min)  # noqa: A001


def _extreme_value(name: str, pick_name: str) -> Any:
    def op(self: Tensor, dim: Dims = (), keepdim: bool = False) -> Tensor:
        if (dim is None or dim == () or dim == []) and self.numel() == 0:
            _check_nonempty(self, name)
        axes = _axes(self, dim, nonempty_for=name)
        _check_reduced(self, axes, self.dtype)
        numpy_pick = getattr(self._storage.backend.xp, pick_name)
        out = _result(self, numpy_pick(self._values(), axis=axes, keepdims=keepdim), self.dtype)
        node = f"{name.capitalize()}Backward0"
        return _evenly_to_ties(out, node, self, axes or tuple(range(self.dim())), False, keepdim)

    op.__name__ = name
    return op


amax = _extreme_value("amax", "max")
amin = _extreme_value("amin", "min")


def _arg_extreme(name: str) -> Any:
    def op(self: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
        if self.dtype is dtypes.bool_:
            raise RuntimeError(f"{name}(): does not support bool input")
        xp = self._storage.backend.xp
        numpy_arg = getattr(xp, name)
        if dim is None:
            if self.numel() == 0:
                raise IndexError(
                    f"{name}(): Expected reduction dim to be specified for input.numel() == 0."
                )
            index = numpy_arg(self._values().reshape(-1))
            shape = (1,) * self.dim() if keepdim else ()
            return _result(self, xp.reshape(index, shape), dtypes.int64)
        axis = wrap_dim(dim, self.dim())
        if self.dim() == 0:
            return _result(self, 0, dtypes.int64)
        _check_nonempty_dim(self, name, (axis,))
        _check_reduced(self, (axis,), dtypes.int64)
        return _result(self, numpy_arg(self._values(), axis=axis, keepdims=keepdim), dtypes.int64)

    op.__name__ = name
    return op


argmax = _arg_extreme("argmax")
argmin = _arg_extreme("argmin")


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
        # Float64 copies of the whole input, larger than the result: the limit applies to them.
        check_allocation(self._layout.numel, dtypes.float64)
        backend = self._storage.backend
        spread = backend.run_quietly(
            _spread_of, backend.xp, self._values(), axes, count, divisor, take_root
        )
        out = _result(self, _keep(spread, self, axes, keepdim), self.dtype)
        sizes = self._layout.sizes

        def rule(grad: Tensor, saved: Any) -> tuple[Tensor]:
            if take_root:  # d std = d var / (2 std), taken as 0 where std is 0
                grad = (grad / (saved.result * 2)).where(saved.result != 0, 0.0)
            grad = restored(grad, sizes, axes, keepdim)
            centre = saved.self - saved.self.mean(axes, keepdim=True)
            return (grad * centre * (2 / divisor),)

        saved = {"self": self, "dim": axes, "correction": correction, "keepdim": keepdim}
        if take_root:
            saved["result"] = out
        return record(
            out,
            f"{name.capitalize()}Backward0",
            (self,),
            rule,
            saved,
            lambda: (
                f"grad_self = grad · 2 (self - mean) / {divisor}"
                + (" / (2 · result)" if take_root else "")
            ),
        )

    op.__name__ = name
    return op


def _spread_of(
    xp: Any, values: Any, axes: tuple[int, ...], count: int, divisor: int, take_root: bool
) -> Any:
    """The variance (or its root) over ``axes``, in float64 with one correction pass."""
    values = values.astype(np.float64)
    mean = xp.sum(values, axis=axes, keepdims=True) / count
    # One correction pass: the mean of a constant input comes out exact (as with
    # PyTorch's Welford sums), so its var and std are exactly 0.
    mean = mean + xp.sum(values - mean, axis=axes, keepdims=True) / count
    centred = values - mean
    spread = xp.sum(centred * centred, axis=axes) / np.float64(builtins.max(divisor, 0))
    return np.sqrt(spread) if take_root else spread


var = _spread("var", take_root=False)
std = _spread("std", take_root=True)


def all(self: Tensor, dim: Dims = None, keepdim: bool = False) -> Tensor:  # noqa: A001
    axes = _axes(self, dim)
    _check_reduced(self, axes, dtypes.bool_)
    xp = self._storage.backend.xp
    return _result(self, xp.all(self._values(), axis=axes, keepdims=keepdim), dtypes.bool_)


def any(self: Tensor, dim: Dims = None, keepdim: bool = False) -> Tensor:  # noqa: A001
    axes = _axes(self, dim)
    _check_reduced(self, axes, dtypes.bool_)
    xp = self._storage.backend.xp
    return _result(self, xp.any(self._values(), axis=axes, keepdims=keepdim), dtypes.bool_)
