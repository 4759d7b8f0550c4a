"""Bitwise and logical ops: integer and bool tensors only, never differentiable."""

from __future__ import annotations

from typing import Any

import numpy as np

from core import dtypes
from core.ops.pointwise import TensorOrScalar, binary_type, pointwise
from core.tensor import Tensor


def _integral_binary(numpy_fn: Any, name: str) -> Any:
    def op(self: TensorOrScalar, other: TensorOrScalar) -> Tensor:
        result = binary_type(name, self, other)
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
