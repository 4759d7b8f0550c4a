"""Comparisons and the ops that pick between values: maximum, minimum, where, clamp, relu.

Their gradients pass through to the value that was picked. At ties PyTorch splits
the gradient in half (maximum, minimum) or lets it through (clamp's bounds are
inclusive); each rule below follows PyTorch's choice.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from core import dtypes
from core.autograd.record import record
from core.backends import array_module
from core.ops.pointwise import (
    TensorOrScalar,
    as_array,
    binary_type,
    check_not_bool,
    is_scalar,
    pointwise,
    result_type,
)
from core.tensor import Tensor


def _comparison(numpy_fn: Any, name: str) -> Any:
    def op(self: TensorOrScalar, other: TensorOrScalar) -> Tensor:
        common = binary_type(name, self, other)
        return pointwise(numpy_fn, (self, other), result=dtypes.bool_, common=common)

    op.__name__ = name
    return op


eq = _comparison(np.equal, "eq")
ne = _comparison(np.not_equal, "ne")
lt = _comparison(np.less, "lt")
le = _comparison(np.less_equal, "le")
gt = _comparison(np.greater, "gt")
ge = _comparison(np.greater_equal, "ge")


def isnan(self: Tensor) -> Tensor:
    return pointwise(np.isnan, (self,), result=dtypes.bool_, common=self.dtype)


def _extreme(name: str, numpy_fn: Any, node: str, beaten: Any) -> Any:
    """maximum or minimum: the gradient goes to the winner; a tie gives each half."""

    def rule(grad: Tensor, saved: Any) -> tuple[Tensor, Tensor]:
        shared = where(saved.self == saved.other, grad / 2, grad)
        return (
            where(beaten(saved.self, saved.other), 0.0, shared),
            where(beaten(saved.other, saved.self), 0.0, shared),
        )

    def op(self: Tensor, other: Tensor) -> Tensor:
        result = binary_type(name, self, other)
        out = pointwise(numpy_fn, (self, other), result=result)
        return record(
            out,
            node,
            (self, other),
            rule,
            {"self": self, "other": other},
            "grad_self = grad where self wins (grad / 2 at ties)\n"
            "grad_other = grad where other wins (grad / 2 at ties)",
        )

    op.__name__ = name
    return op


maximum = _extreme("maximum", np.maximum, "MaximumBackward0", lambda a, b: a < b)
minimum = _extreme("minimum", np.minimum, "MinimumBackward0", lambda a, b: a > b)


def where(condition: Tensor, input: Any = None, other: Any = None) -> Any:  # noqa: A002
    """``input`` where ``condition`` holds, else ``other``; with only a condition, its indices."""
    if input is None and other is None:
        from core.ops.rearranging import where_nonzero

        return where_nonzero(condition)
    out = _where(condition, input, other)
    return record(
        out,
        "WhereBackward0",
        (input, other),
        lambda grad, saved: (
            where(saved.condition, grad, 0.0),
            where(saved.condition, 0.0, grad),
        ),
        {"condition": condition},
        "grad_self = grad where condition, else 0\ngrad_other = grad where not condition, else 0",
    )


def _where(condition: Tensor, input: TensorOrScalar, other: TensorOrScalar) -> Tensor:  # noqa: A002
    if not isinstance(condition, Tensor) or condition.dtype is not dtypes.bool_:
        kind = (
            dtypes.scalar_type_name(condition.dtype)
            if isinstance(condition, Tensor)
            else type(condition).__name__
        )
        raise RuntimeError(
            f"where expected condition to be a boolean tensor, but got a tensor with dtype {kind}"
        )
    result = binary_type("where", input, other)
    for value in (input, other):
        if is_scalar(value):
            dtypes.check_fits(value, result)
    return pointwise(
        lambda c, a, b, out, casting: _copy_where(c, a, b, out, casting),
        (condition, input, other),
        result=result,
        promoted=(False, True, True),
    )


def _copy_where(condition: Any, a: Any, b: Any, out: Any, casting: str) -> None:
    xp = array_module(out)
    xp.copyto(out, xp.where(condition, a, b), casting=casting)


def _clamped(self: Tensor, min: TensorOrScalar | None, max: TensorOrScalar | None) -> Tensor:  # noqa: A002
    """``min(max(x, min), max)``: when min > max every element becomes max; nan stays nan."""
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    result = result_type(self, *(b for b in (min, max) if b is not None))
    check_not_bool(result, "clamp_scalar_cpu")
    # Tensor bounds take part in broadcasting and layout; number bounds are constants.
    operands = [self] + [b for b in (min, max) if isinstance(b, Tensor)]
    for bound in (min, max):
        if is_scalar(bound):
            dtypes.check_fits(bound, result)

    def clamp_values(
        x: np.ndarray, *tensor_bounds: np.ndarray, out: np.ndarray, casting: str
    ) -> None:
        given = iter(tensor_bounds)
        lower = _bound_values(min, given, result)
        upper = _bound_values(max, given, result)
        # np.maximum and np.minimum propagate nan, as PyTorch's clamp does.
        value = x if lower is None else np.maximum(x, lower)
        value = value if upper is None else np.minimum(value, upper)
        array_module(out).copyto(out, value, casting=casting)

    return pointwise(clamp_values, operands, result=result)


def _bound_values(bound: TensorOrScalar | None, given: Any, result: Any) -> Any:
    """A bound's values: the next tensor operand's array, or a number in the result dtype."""
    if bound is None:
        return None
    return next(given) if isinstance(bound, Tensor) else as_array(bound, result)


def _inside(self: Tensor, min: TensorOrScalar | None, max: TensorOrScalar | None) -> Tensor:  # noqa: A002
    """Where ``self`` lies within the bounds, both inclusive (there the gradient passes)."""
    if min is None:
        return self <= max
    if max is None:
        return self >= min
    return (self >= min) & (self <= max)


def clamp(
    self: Tensor, min: TensorOrScalar | None = None, max: TensorOrScalar | None = None
) -> Tensor:  # noqa: A002
    """``min(max(x, min), max)``: when min > max every element becomes max; nan stays nan."""
    out = _clamped(self, min, max)
    if not isinstance(min, Tensor) and not isinstance(max, Tensor):
        return record(
            out,
            "ClampBackward1",
            (self,),
            lambda grad, saved: (where(_inside(saved.self, min, max), grad, 0.0),),
            {"self": self, "min": min, "max": max},
            "grad_self = grad where min ≤ self ≤ max, else 0",
        )
    return record(
        out,
        "ClampBackward0",
        (self, min, max),
        _clamp_bounds_rule,
        {"self": self, "min": min, "max": max},
        "grad_self = grad where min ≤ self ≤ max\n"
        "grad_min = grad where self < min\ngrad_max = grad where self > max",
    )


def _clamp_bounds_rule(grad: Tensor, saved: Any) -> tuple[Any, Any, Any]:
    """PyTorch's clamp_backward_min_max: each bound gets the gradient where it was chosen."""
    x, low, high = saved.self, saved.min, saved.max
    grad_self = where(_inside(x, low, high), grad, 0.0)
    if low is not None and high is not None:
        return (
            grad_self,
            where((x < low) & (low < high), grad, 0.0),
            where((x > high) | (high < low), grad, 0.0),
        )
    if low is not None:
        return grad_self, where(x < low, grad, 0.0), None
    return grad_self, None, where(x > high, grad, 0.0)


def clamp_min(self: Tensor, min: TensorOrScalar) -> Tensor:  # noqa: A002
    return _one_bound(self, min, None, "ClampMin", "min")


def clamp_max(self: Tensor, max: TensorOrScalar) -> Tensor:  # noqa: A002
    return _one_bound(self, None, max, "ClampMax", "max")


def _one_bound(
    self: Tensor, low: TensorOrScalar | None, high: TensorOrScalar | None, node: str, key: str
) -> Tensor:
    bound = low if high is None else high
    out = _clamped(self, low, high)
    if not isinstance(bound, Tensor):
        return record(
            out,
            f"{node}Backward0",
            (self,),
            lambda grad, saved: (where(_inside(saved.self, low, high), grad, 0.0),),
            {"self": self, key: bound},
            lambda: f"grad_self = grad where self is within {key}, else 0",
        )

    def rule(grad: Tensor, saved: Any) -> tuple[Tensor, Tensor]:
        kept = _inside(saved.self, getattr(saved, "min", None), getattr(saved, "max", None))
        return where(kept, grad, 0.0), where(kept, 0.0, grad)

    return record(
        out,
        f"{node}Backward1",
        (self, bound),
        rule,
        {"self": self, key: bound},
        lambda: f"grad_self = grad where self is within {key}\ngrad_{key} = grad elsewhere",
    )


def relu(self: Tensor) -> Tensor:
    if self.dtype is dtypes.bool_:
        raise RuntimeError("Boolean inputs not supported for relu")
    out = pointwise(
        lambda x, out, casting: np.maximum(x, 0, out=out, casting=casting),
        (self,),
        result=self.dtype,
    )
    return record(
        out,
        "ReluBackward0",
        (self,),
        lambda grad, saved: (where(saved.result <= 0, 0.0, grad),),
        {"result": out},
        "grad_self = grad where result > 0, else 0",
    )
