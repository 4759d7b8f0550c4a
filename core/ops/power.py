"""Powers: x ** n, x ** y, n ** x and square, with PyTorch's integer rules and gradients."""

from __future__ import annotations

import math

import numpy as np

from core.autograd.record import record
from core.backends import array_module
from core.ops.pointwise import (
    TensorOrScalar,
    binary_type,
    check_not_bool,
    is_scalar,
    operand_values,
    pointwise,
    requires,
    work_dtype,
)
from core.ops.selection import where
from core.tensor import Tensor


def _integer_power(base: np.ndarray, exponent: np.ndarray, out: np.ndarray, casting: str) -> None:
    # PyTorch's integer pow: a negative exponent gives 1 for base 1, ±1 for base -1, else 0.
    xp = array_module(out)
    positive = np.power(base, np.maximum(exponent, 0))
    if np.dtype(base.dtype).kind == "u":
        # No negative exponents; and no `base == -1`, a Python int out of uint range (NEP 50
        # ufuncs may refuse it: CuPy 14 converts Python scalars by assignment).
        xp.copyto(out, positive, casting=casting)
        return
    negative = xp.where(base == 1, 1, xp.where(base == -1, xp.where(exponent % 2 == 0, 1, -1), 0))
    xp.copyto(out, xp.where(exponent < 0, negative, positive), casting=casting)


def pow(self: TensorOrScalar, exponent: TensorOrScalar) -> Tensor:  # noqa: A001 - PyTorch's name
    out = _power(self, exponent)
    if not isinstance(self, Tensor):
        return record(
            out,
            "PowBackward2",
            (exponent,),
            lambda grad, saved: (grad * _exponent_factor(self, exponent, saved.result),),
            {"self": self, "result": out},
            "grad_exponent = grad · result · log(self)",
        )
    if not isinstance(exponent, Tensor):
        return record(
            out,
            "PowBackward0",
            (self,),
            lambda grad, saved: (
                grad.new_zeros(grad.shape)
                if exponent == 0
                else grad * (exponent * saved.self ** (exponent - 1)),
            ),
            {"self": self, "exponent": exponent},
            lambda: f"grad_self = grad · {exponent} · self^{exponent - 1}",
        )
    saved = {"self": self, "exponent": exponent}
    if requires(exponent):
        saved["result"] = out
    return record(
        out,
        "PowBackward1",
        (self, exponent),
        lambda grad, saved: (
            where(
                saved.exponent == 0,
                0.0,
                grad * (saved.exponent * saved.self ** (saved.exponent - 1)),
            ),
            grad * _exponent_factor(saved.self, saved.exponent, saved.result)
            if hasattr(saved, "result")
            else None,
        ),
        saved,
        "grad_self = grad · exponent · self^(exponent - 1)\n"
        "grad_exponent = grad · result · log(self)",
    )


def _exponent_factor(base: TensorOrScalar, exponent: Tensor, result: Tensor) -> Tensor:
    """d(base^exponent)/d(exponent) = result · log(base); 0 where base is 0 and exponent ≥ 0."""
    if not isinstance(base, Tensor):
        return (
            result * math.log(base) if base != 0 else where(exponent >= 0, 0.0, result * -math.inf)
        )
    return where((base == 0) & (exponent >= 0), 0.0, result * base.log())


def _power(self: TensorOrScalar, exponent: TensorOrScalar) -> Tensor:
    result = binary_type("pow", self, exponent)
    if isinstance(self, Tensor) and is_scalar(exponent) and exponent in (0, 1):
        # PyTorch answers x ** 0 and x ** 1 without a kernel, so any dtype (bool too) works.
        return pointwise(
            lambda x, out, casting: array_module(out).copyto(
                out, 1 if exponent == 0 else x, casting=casting
            ),
            (self,),
            result=result,
        )
    check_not_bool(result, "pow")
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


def rpow(self: Tensor, other: TensorOrScalar) -> Tensor:
    return pow(other, self)


def square(self: Tensor) -> Tensor:
    return pow(self, 2)
