"""Arithmetic with PyTorch's promotion, broadcasting and error rules, and its gradients.

Each op records its node with the local chain rule beside the forward code. A rule
returns gradients in the broadcast shape; the engine sums them back to each input's
shape (``core.autograd.node.conform``), so no rule does that itself.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from core import dtypes, layout
from core.autograd.grad_mode import no_grad
from core.autograd.record import record
from core.backends import array_module
from core.dtypes import dtype
from core.ops.pointwise import (
    TensorOrScalar,
    as_array,
    binary_type,
    check_not_bool,
    float_result,
    pointwise,
    requires,
    work_dtype,
    wrapped,
)
from core.tensor import Tensor


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
    result = binary_type("add", self, other)
    if alpha != 1:
        _check_alpha(alpha, result)
        out = pointwise(_scaled(np.add, alpha, work_dtype(result)), (self, other), result=result)
    else:
        out = pointwise(np.add, (self, other), result=result)
    return record(
        out,
        "AddBackward0",
        (self, other),
        lambda grad, saved: (grad, grad if alpha == 1 else grad * alpha),
        {"alpha": alpha},
        lambda: "grad_self = grad\ngrad_other = grad" + ("" if alpha == 1 else f" · {alpha}"),
    )


def _is_bool(value: TensorOrScalar) -> bool:
    return (
        value.dtype if isinstance(value, Tensor) else dtypes.scalar_dtype(value)
    ) is dtypes.bool_


def sub(self: TensorOrScalar, other: TensorOrScalar, *, alpha: Any = 1) -> Tensor:
    out = _difference(self, other, alpha)
    return record(
        out,
        "SubBackward0",
        (self, other),
        lambda grad, saved: (grad, -grad if alpha == 1 else grad * -alpha),
        {"alpha": alpha},
        "grad_self = grad\ngrad_other = -grad" + ("" if alpha == 1 else f" · {alpha}"),
    )


def _difference(self: TensorOrScalar, other: TensorOrScalar, alpha: Any) -> Tensor:
    result = binary_type("sub", self, other)
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


def rsub(self: Tensor, other: TensorOrScalar, *, alpha: Any = 1) -> Tensor:
    """``other - alpha * self`` (``2 - x``): PyTorch's ``RsubBackward1`` for a number ``other``."""
    if isinstance(other, Tensor):
        return sub(other, self, alpha=alpha)
    return record(
        _difference(other, self, alpha),
        "RsubBackward1",
        (self,),
        lambda grad, saved: (-grad if alpha == 1 else grad * -alpha,),
        {"alpha": alpha},
        "grad_self = -grad" + ("" if alpha == 1 else f" · {alpha}"),
    )


def mul(self: TensorOrScalar, other: TensorOrScalar) -> Tensor:
    result = binary_type("mul", self, other)
    out = pointwise(np.multiply, (self, other), result=result)
    # PyTorch saves each factor only when the other one's gradient needs it.
    saved = {}
    if requires(other):
        saved["self"] = wrapped(self)
    if requires(self):
        saved["other"] = wrapped(other)
    return record(
        out,
        "MulBackward0",
        (self, other),
        lambda grad, saved: (
            grad * _factor(other, saved, "other") if hasattr(saved, "other") else None,
            grad * _factor(self, saved, "self") if hasattr(saved, "self") else None,
        ),
        saved,
        "grad_self = grad · other\ngrad_other = grad · self",
    )


def _factor(operand: TensorOrScalar, saved: Any, name: str) -> TensorOrScalar:
    """A saved operand for a rule: a number stays a number (PyTorch's wrapped scalar)."""
    return getattr(saved, name) if type(operand) is Tensor else operand


def div(self: TensorOrScalar, other: TensorOrScalar, *, rounding_mode: str | None = None) -> Tensor:
    """True division (ints give the default float dtype), or ``"floor"``/``"trunc"`` rounding."""
    if rounding_mode is not None:
        return record(
            _rounded_quotient(self, other, rounding_mode),
            "DivBackward2",
            (self, other),
            lambda grad, saved: (grad * 0, grad * 0),
            {"rounding_mode": rounding_mode},
            "grad_self = 0\ngrad_other = 0 (a rounded quotient is a step function)",
        )
    common = binary_type("div", self, other)
    result = common if common.is_floating_point else dtypes.get_default_dtype()
    out = pointwise(np.true_divide, (self, other), result=result)
    saved = {"other": wrapped(other)}
    if requires(other):
        saved["self"] = wrapped(self)
    return record(
        out,
        "DivBackward0",
        (self, other),
        lambda grad, saved: (
            grad / _factor(other, saved, "other"),
            # PyTorch's order of operations, for the same rounding: -grad · (self / other) / other
            -grad * (saved.self / saved.other / saved.other) if hasattr(saved, "self") else None,
        ),
        saved,
        "grad_self = grad / other\ngrad_other = -grad · self / other²",
    )


def _rounded_quotient(self: TensorOrScalar, other: TensorOrScalar, rounding_mode: str) -> Tensor:
    if rounding_mode == "floor":
        with no_grad():
            return floor_divide(self, other)
    common = binary_type("div", self, other)
    if rounding_mode == "trunc":
        if not common.is_floating_point:
            _check_integer_divisor(self, other)
            return pointwise(_truncating_divide, (self, other), result=common)
        return pointwise(
            lambda a, b, **kw: np.trunc(np.divide(a, b), **kw),
            (self, other),
            result=common,
        )
    raise RuntimeError(
        "div expected rounding_mode to be one of None, 'trunc', or 'floor' "
        f"but found '{rounding_mode}'"
    )


def _truncating_divide(a: np.ndarray, b: np.ndarray, out: np.ndarray, casting: str) -> None:
    quotient = np.floor_divide(a, b)
    remainder_nonzero = np.remainder(a, b) != 0
    np.add(quotient, ((a < 0) != (b < 0)) & remainder_nonzero, out=out, casting=casting)


def _floor_divide_floats(a: Any, b: Any, out: Any, casting: str) -> None:
    """PyTorch's div_floor_floating (c10/util/generic_math.h), as NumPy's npy_divmod: the
    quotient comes from fmod. CuPy's float floor_divide is floor(a / b) (1.0 // 0.1 is 10.0
    there, 9.0 in PyTorch and NumPy; cupy/cupy#7737), so no backend's own is used."""
    xp = array_module(out)
    if xp is np:  # NumPy's floor_divide is this formula (npy_divmod), in one pass
        np.floor_divide(a, b, out=out, casting=casting)
        return
    mod = np.fmod(a, b)
    div = (a - mod) / b
    div = xp.where((mod != 0) & ((b < 0) != (mod < 0)), div - 1, div)
    floordiv = np.floor(div)
    floordiv = xp.where(div - floordiv > 0.5, floordiv + 1, floordiv)
    quotient = np.true_divide(a, b)
    floordiv = xp.where(div != 0, floordiv, np.copysign(0, quotient))
    xp.copyto(out, xp.where(b == 0, quotient, floordiv), casting=casting)


def _remainder_floats(a: Any, b: Any, out: Any, casting: str) -> None:
    """PyTorch's float remainder: fmod, moved by the divisor when the signs differ. CuPy's is
    a - floor(a / b) * b (remainder(5, inf) is nan there, 5 in PyTorch)."""
    xp = array_module(out)
    if xp is np:  # NumPy's remainder is this formula (npy_divmod), in one pass
        np.remainder(a, b, out=out, casting=casting)
        return
    mod = np.fmod(a, b)
    xp.copyto(out, xp.where((mod != 0) & ((b < 0) != (mod < 0)), mod + b, mod), casting=casting)


def _fmod_integers(a: Any, b: Any, out: Any, casting: str) -> None:
    """C's % on integers, exactly (CuPy's integer fmod goes through double: wrong past 2**53)."""
    if array_module(out) is np:  # NumPy's integer fmod is C's %
        np.fmod(a, b, out=out, casting=casting)
        return
    quotient = np.floor_divide(a, b)
    quotient = quotient + (((a < 0) != (b < 0)) & (np.remainder(a, b) != 0))
    np.subtract(a, np.multiply(quotient, b), out=out, casting=casting)


def _check_integer_divisor(dividend: TensorOrScalar, divisor: TensorOrScalar) -> None:
    """Integer division by zero raises in PyTorch, unless the result is empty (nothing divided)."""
    shapes = [v.shape for v in (dividend, divisor) if isinstance(v, Tensor)]
    if math.prod(layout.broadcast_shapes(*shapes)) and _has_zero(divisor):
        raise RuntimeError("ZeroDivisionError")


def true_divide(self: TensorOrScalar, other: TensorOrScalar) -> Tensor:
    return div(self, other)


def rdiv(self: Tensor, other: TensorOrScalar) -> Tensor:
    """``other / self``: for a number ``other``, PyTorch computes ``self.reciprocal() * other``."""
    if isinstance(other, Tensor):
        return div(other, self)
    return mul(reciprocal(self), other)


def reciprocal(self: Tensor) -> Tensor:
    out = pointwise(
        lambda x, out, casting: np.divide(1, x, out=out, casting=casting),
        (self,),
        result=float_result(self),
    )
    return record(
        out,
        "ReciprocalBackward0",
        (self,),
        lambda grad, saved: (grad * -(saved.result * saved.result),),
        {"result": out},
        "grad_self = -grad · result²",
    )


def floor_divide(self: TensorOrScalar, other: TensorOrScalar) -> Tensor:
    result = binary_type("floor_divide", self, other)
    check_not_bool(result, "div_floor_cpu")
    if not result.is_floating_point:
        _check_integer_divisor(self, other)
    return record(
        pointwise(
            _floor_divide_floats if result.is_floating_point else np.floor_divide,
            (self, other),
            result=result,
        ),
        "core::autograd::NotImplemented",
        (self, other),
        _not_differentiable("floor_divide"),
        None,
        "no derivative: floor_divide is a step function",
    )


def _not_differentiable(op: str) -> Any:
    """The rule of PyTorch's ``NotImplemented`` node: backward through it is an error."""

    def rule(grad: Tensor, saved: Any) -> tuple[Tensor, ...]:
        raise RuntimeError(f"derivative for aten::{op} is not implemented")

    return rule


def _modulo(name: str, numpy_fn: Any, rounding: str, doc: str) -> Any:
    """remainder and fmod: ``self - other · round(self / other)``, by floor or by trunc."""
    title = name.capitalize()

    def op(self: TensorOrScalar, other: TensorOrScalar) -> Tensor:
        result = binary_type(name, self, other)
        check_not_bool(result, f"{name}_cpu")
        if not result.is_floating_point:
            _check_integer_divisor(self, other)
        kernel = numpy_fn
        if name == "remainder" and result.is_floating_point:
            kernel = _remainder_floats
        elif name == "fmod" and not result.is_floating_point:
            kernel = _fmod_integers
        out = pointwise(kernel, (self, other), result=result)
        if not isinstance(other, Tensor):
            return record(
                out,
                f"{title}Backward0",
                (self,),
                lambda grad, saved: (grad,),
                None,
                "grad_self = grad",
            )
        return record(
            out,
            f"{title}Backward1",
            (self, other),
            lambda grad, saved: (
                grad,
                -grad * div(saved.self, saved.other, rounding_mode=rounding),
            ),
            {"self": self, "other": other},
            lambda: f"grad_self = grad\ngrad_other = -grad · {rounding}(self / other)",
        )

    op.__name__ = name
    op.__doc__ = doc
    return op


remainder = _modulo(
    "remainder", np.remainder, "floor", "Python's modulo: the remainder takes the divisor's sign."
)
fmod = _modulo("fmod", np.fmod, "trunc", "C's modulo: the remainder takes the dividend's sign.")


def neg(self: Tensor) -> Tensor:
    if self.dtype is dtypes.bool_:
        raise RuntimeError(
            "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to "
            "invert a mask, use the `~` or `logical_not()` operator instead."
        )
    out = pointwise(np.negative, (self,), result=self.dtype)
    return record(
        out, "NegBackward0", (self,), lambda grad, saved: (-grad,), None, "grad_self = -grad"
    )


def positive(self: Tensor) -> Tensor:
    if self.dtype is dtypes.bool_:
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return self


def abs(self: Tensor) -> Tensor:  # noqa: A001 - PyTorch's name
    if self.dtype is dtypes.bool_:
        raise NotImplementedError("\"abs_cpu\" not implemented for 'Bool'")
    out = pointwise(np.abs, (self,), result=self.dtype)
    return record(
        out,
        "AbsBackward0",
        (self,),
        lambda grad, saved: (grad * saved.self.sign(),),
        {"self": self},
        "grad_self = grad · sign(self)",
    )


def sign(self: Tensor) -> Tensor:
    out = pointwise(np.sign, (self,), result=self.dtype)
    return record(
        out,
        "SignBackward0",
        (self,),
        lambda grad, saved: (grad.new_zeros(grad.shape),),
        None,
        "grad_self = 0",
    )
