"""Elementwise math with PyTorch's promotion, broadcasting and error rules."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from core import dtypes, layout
from core.dtypes import dtype
from core.ops.pointwise import (
    TensorOrScalar,
    as_array,
    check_operand,
    float_result,
    is_scalar,
    operand_values,
    pointwise,
    result_type,
    work_dtype,
)
from core.tensor import Tensor


def _binary_type(op: str, self: TensorOrScalar, other: TensorOrScalar) -> dtype:
    if (
        type(self) is Tensor
        and type(other) is Tensor
        and self._storage.dtype is other._storage.dtype
    ):
        return self._storage.dtype
    check_operand(self, op)
    check_operand(other, op)
    return result_type(self, other)


def _has_zero(value: TensorOrScalar) -> bool:
    if isinstance(value, Tensor):
        return bool((value._values() == 0).any())
    return value == 0


def _scaled(numpy_fn: Any, alpha: Any, work: dtype) -> Any:
    """``a op alpha * b`` in the common dtype, as PyTorch's add and sub with ``alpha`` do."""
    scale = as_array(alpha, work)

    def apply(a: np.ndarray, b: np.ndarray, out: np.ndarray, casting: str) -> None:
        numpy_fn(a, np.multiply(b, scale), out=out, casting=casting)

    return apply


def _check_alpha(alpha: Any, result: dtype) -> None:
    if isinstance(alpha, float) and not result.is_floating_point:
        raise RuntimeError(
            "For integral input tensors, argument alpha must not be a floating point number."
        )


def add(self: TensorOrScalar, other: TensorOrScalar, *, alpha: Any = 1) -> Tensor:
    result = _binary_type("add", self, other)
    if alpha != 1:
        _check_alpha(alpha, result)
        return pointwise(_scaled(np.add, alpha, work_dtype(result)), (self, other), result=result)
    return pointwise(np.add, (self, other), result=result)


def _is_bool(value: TensorOrScalar) -> bool:
    return (
        value.dtype if isinstance(value, Tensor) else dtypes.scalar_dtype(value)
    ) is dtypes.bool_


def sub(self: TensorOrScalar, other: TensorOrScalar, *, alpha: Any = 1) -> Tensor:
    result = _binary_type("sub", self, other)
    if _is_bool(self) and _is_bool(other):
        raise RuntimeError(
            "Subtraction, the `-` operator, with two bool tensors is not supported. "
            "Use the `^` or `logical_xor()` operator instead."
        )
    if _is_bool(self) or _is_bool(other):
        raise RuntimeError(
            "Subtraction, the `-` operator, with a bool tensor is not supported. "
            "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead."
        )
    if alpha != 1:
        _check_alpha(alpha, result)
        return pointwise(
            _scaled(np.subtract, alpha, work_dtype(result)), (self, other), result=result
        )
    return pointwise(np.subtract, (self, other), result=result)


def rsub(self: TensorOrScalar, other: TensorOrScalar) -> Tensor:
    return sub(other, self)


def mul(self: TensorOrScalar, other: TensorOrScalar) -> Tensor:
    result = _binary_type("mul", self, other)
    return pointwise(np.multiply, (self, other), result=result)


def div(self: TensorOrScalar, other: TensorOrScalar, *, rounding_mode: str | None = None) -> Tensor:
    """True division (ints give the default float dtype), or ``"floor"``/``"trunc"`` rounding."""
    if rounding_mode == "floor":
        return floor_divide(self, other)
    common = _binary_type("div", self, other)
    if rounding_mode == "trunc":
        if not common.is_floating_point:
            _check_integer_divisor(self, other)
            return pointwise(_truncating_divide, (self, other), result=common)
        return pointwise(
            lambda a, b, **kw: np.trunc(np.divide(a, b), **kw),
            (self, other),
            result=common,
        )
    if rounding_mode is not None:
        raise RuntimeError(
            "div expected rounding_mode to be one of None, 'trunc', or 'floor' "
            f"but found '{rounding_mode}'"
        )
    result = common if common.is_floating_point else dtypes.get_default_dtype()
    return pointwise(np.true_divide, (self, other), result=result)


def _truncating_divide(a: np.ndarray, b: np.ndarray, out: np.ndarray, casting: str) -> None:
    quotient = np.floor_divide(a, b)
    remainder_nonzero = np.remainder(a, b) != 0
    np.add(quotient, ((a < 0) != (b < 0)) & remainder_nonzero, out=out, casting=casting)


def _check_not_bool(result: dtype, kernel: str) -> None:
    if result is dtypes.bool_:
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")


def _check_integer_divisor(dividend: TensorOrScalar, divisor: TensorOrScalar) -> None:
    """Integer division by zero raises in PyTorch, unless the result is empty (nothing divided)."""
    shapes = [v.shape for v in (dividend, divisor) if isinstance(v, Tensor)]
    if math.prod(layout.broadcast_shapes(*shapes)) and _has_zero(divisor):
        raise RuntimeError("ZeroDivisionError")


def true_divide(self: TensorOrScalar, other: TensorOrScalar) -> Tensor:
    return div(self, other)


def rdiv(self: TensorOrScalar, other: TensorOrScalar) -> Tensor:
    return div(other, self)


def floor_divide(self: TensorOrScalar, other: TensorOrScalar) -> Tensor:
    result = _binary_type("floor_divide", self, other)
    _check_not_bool(result, "div_floor_cpu")
    if not result.is_floating_point:
        _check_integer_divisor(self, other)
    return pointwise(np.floor_divide, (self, other), result=result)


def remainder(self: TensorOrScalar, other: TensorOrScalar) -> Tensor:
    """Python's modulo: the remainder takes the divisor's sign."""
    result = _binary_type("remainder", self, other)
    _check_not_bool(result, "remainder_cpu")
    if not result.is_floating_point:
        _check_integer_divisor(self, other)
    return pointwise(np.remainder, (self, other), result=result)


def fmod(self: TensorOrScalar, other: TensorOrScalar) -> Tensor:
    """C's modulo: the remainder takes the dividend's sign."""
    result = _binary_type("fmod", self, other)
    _check_not_bool(result, "fmod_cpu")
    if not result.is_floating_point:
        _check_integer_divisor(self, other)
    return pointwise(np.fmod, (self, other), result=result)


def _integer_power(base: np.ndarray, exponent: np.ndarray, out: np.ndarray, casting: str) -> None:
    # PyTorch's integer pow: a negative exponent gives 1 for base 1, ±1 for base -1, else 0.
    base, exponent = np.broadcast_arrays(base, exponent)
    positive = np.power(base, np.maximum(exponent, 0))
    negative = np.where(base == 1, 1, np.where(base == -1, np.where(exponent % 2 == 0, 1, -1), 0))
    np.copyto(out, np.where(exponent < 0, negative, positive), casting=casting)


def pow(self: TensorOrScalar, exponent: TensorOrScalar) -> Tensor:  # noqa: A001 - PyTorch's name
    result = _binary_type("pow", self, exponent)
    if isinstance(self, Tensor) and is_scalar(exponent) and exponent in (0, 1):
        # PyTorch answers x ** 0 and x ** 1 without a kernel, so any dtype (bool too) works.
        return pointwise(
            lambda x, out, casting: np.copyto(out, 1 if exponent == 0 else x, casting=casting),
            (self,),
            result=result,
        )
    _check_not_bool(result, "pow")
    power = _integer_power if not result.is_floating_point else np.power
    if isinstance(self, Tensor) and is_scalar(exponent):
        # A number exponent is a constant of a unary op in PyTorch, not a broadcast operand.
        if not result.is_floating_point and exponent < 0:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        constant = operand_values(exponent, result, work_dtype(result))
        return pointwise(
            lambda x, out, casting: power(x, constant, out=out, casting=casting),
            (self,),
            result=result,
        )
    return pointwise(power, (self, exponent), result=result)


def rpow(self: TensorOrScalar, other: TensorOrScalar) -> Tensor:
    return pow(other, self)


# -- unary ------------------------------------------------------------------------


def neg(self: Tensor) -> Tensor:
    if self.dtype is dtypes.bool_:
        raise RuntimeError(
            "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to "
            "invert a mask, use the `~` or `logical_not()` operator instead."
        )
    return pointwise(np.negative, (self,), result=self.dtype)


def positive(self: Tensor) -> Tensor:
    if self.dtype is dtypes.bool_:
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return self


def abs(self: Tensor) -> Tensor:  # noqa: A001 - PyTorch's name
    if self.dtype is dtypes.bool_:
        raise NotImplementedError("\"abs_cpu\" not implemented for 'Bool'")
    return pointwise(np.abs, (self,), result=self.dtype)


def _float_unary(numpy_fn: Any) -> Any:
    def op(self: Tensor) -> Tensor:
        result = float_result(self)
        return pointwise(numpy_fn, (self,), result=result)

    op.__name__ = numpy_fn.__name__
    return op


def _sigmoid(x: np.ndarray, out: np.ndarray, casting: str) -> None:
    np.copyto(out, 1.0 / (1.0 + np.exp(-x)), casting=casting)


exp = _float_unary(np.exp)
log = _float_unary(np.log)
sqrt = _float_unary(np.sqrt)
sin = _float_unary(np.sin)
cos = _float_unary(np.cos)
tanh = _float_unary(np.tanh)
sigmoid = _float_unary(_sigmoid)
sigmoid.__name__ = "sigmoid"


def relu(self: Tensor) -> Tensor:
    if self.dtype is dtypes.bool_:
        raise RuntimeError("Boolean inputs not supported for relu")
    return pointwise(
        lambda x, out, casting: np.maximum(x, 0, out=out, casting=casting),
        (self,),
        result=self.dtype,
    )


# -- comparisons and selection ----------------------------------------------------


def _comparison(numpy_fn: Any, name: str) -> Any:
    def op(self: TensorOrScalar, other: TensorOrScalar) -> Tensor:
        common = _binary_type(name, self, other)
        return pointwise(numpy_fn, (self, other), result=dtypes.bool_, common=common)

    op.__name__ = name
    return op


eq = _comparison(np.equal, "eq")
ne = _comparison(np.not_equal, "ne")
lt = _comparison(np.less, "lt")
le = _comparison(np.less_equal, "le")
gt = _comparison(np.greater, "gt")
ge = _comparison(np.greater_equal, "ge")


def maximum(self: Tensor, other: Tensor) -> Tensor:
    result = _binary_type("maximum", self, other)
    return pointwise(np.maximum, (self, other), result=result)


def minimum(self: Tensor, other: Tensor) -> Tensor:
    result = _binary_type("minimum", self, other)
    return pointwise(np.minimum, (self, other), result=result)


def where(condition: Tensor, input: Any = None, other: Any = None) -> Any:  # noqa: A002
    """``input`` where ``condition`` holds, else ``other``; with only a condition, its indices."""
    if input is None and other is None:
        from core.ops.rearranging import where_nonzero

        return where_nonzero(condition)
    return _where(condition, input, other)


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
    result = _binary_type("where", input, other)
    for value in (input, other):
        if is_scalar(value):
            dtypes.check_fits(value, result)
    return pointwise(
        lambda c, a, b, out, casting: np.copyto(out, np.where(c, a, b), casting=casting),
        (condition, input, other),
        result=result,
        promoted=(False, True, True),
    )


def clamp(
    self: Tensor, min: TensorOrScalar | None = None, max: TensorOrScalar | None = None
) -> Tensor:  # noqa: A002
    """``min(max(x, min), max)``: when min > max every element becomes max; nan stays nan."""
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    result = result_type(self, *(b for b in (min, max) if b is not None))
    _check_not_bool(result, "clamp_scalar_cpu")
    # Tensor bounds take part in broadcasting and layout;
    # number bounds are constants (as in PyTorch).
    operands = [self] + [b for b in (min, max) if isinstance(b, Tensor)]
    for bound in (min, max):
        if is_scalar(bound):
            dtypes.check_fits(bound, result)

    def clamp_values(
        x: np.ndarray, *tensor_bounds: np.ndarray, out: np.ndarray, casting: str
    ) -> None:
        given = iter(tensor_bounds)
        lower = (
            None
            if min is None
            else next(given)
            if isinstance(min, Tensor)
            else as_array(min, result)
        )
        upper = (
            None
            if max is None
            else next(given)
            if isinstance(max, Tensor)
            else as_array(max, result)
        )
        # np.maximum and np.minimum propagate nan, as PyTorch's clamp does.
        value = x if lower is None else np.maximum(x, lower)
        value = value if upper is None else np.minimum(value, upper)
        np.copyto(out, value, casting=casting)

    return pointwise(clamp_values, operands, result=result)


def clamp_min(self: Tensor, min: TensorOrScalar) -> Tensor:  # noqa: A002
    return clamp(self, min=min)


def clamp_max(self: Tensor, max: TensorOrScalar) -> Tensor:  # noqa: A002
    return clamp(self, max=max)


# -- logical ----------------------------------------------------------------------


def _integral_binary(numpy_fn: Any, name: str) -> Any:
    def op(self: TensorOrScalar, other: TensorOrScalar) -> Tensor:
        result = _binary_type(name, self, other)
        if result.is_floating_point:
            raise NotImplementedError(
                f"\"{name}_cpu\" not implemented for '{dtypes.scalar_type_name(result)}'"
            )
        return pointwise(numpy_fn, (self, other), result=result)

    op.__name__ = name
    return op


bitwise_and = _integral_binary(np.bitwise_and, "bitwise_and")
bitwise_or = _integral_binary(np.bitwise_or, "bitwise_or")
bitwise_xor = _integral_binary(np.bitwise_xor, "bitwise_xor")


def bitwise_not(self: Tensor) -> Tensor:
    if self.dtype.is_floating_point:
        raise TypeError(
            "~ (operator.invert) is only implemented on integer and Boolean-type tensors"
        )
    return pointwise(np.invert, (self,), result=self.dtype)


def logical_not(self: Tensor) -> Tensor:
    return pointwise(np.logical_not, (self,), result=dtypes.bool_, common=self.dtype)
