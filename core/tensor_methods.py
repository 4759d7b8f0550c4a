"""Attach the ops to Tensor as methods and operators; ``t.f(...)`` is ``core.f(t, ...)``."""

from __future__ import annotations

from typing import Any

from core.autograd.engine import tensor_backward
from core.ops import (
    arithmetic,
    conversion,
    elementary,
    factories,
    indexing,
    inplace,
    linalg,
    logical,
    power,
    rearranging,
    reductions,
    selection,
    splitting,
    strided_views,
    views,
)
from core.ops.pointwise import is_scalar
from core.tensor import Tensor

METHODS = {
    # views
    **{
        name: getattr(views, name)
        for name in (
            "view",
            "view_as",
            "reshape",
            "reshape_as",
            "flatten",
            "unflatten",
            "t",
            "transpose",
            "swapaxes",
            "swapdims",
            "permute",
            "movedim",
            "moveaxis",
            "expand",
            "expand_as",
            "broadcast_to",
            "narrow",
            "select",
            "unsqueeze",
            "squeeze",
            "diagonal",
            "detach",
            "clone",
            "contiguous",
        )
    },
    **{name: getattr(splitting, name) for name in ("unbind", "split", "chunk", "tensor_split")},
    "unfold": strided_views.unfold,
    "as_strided": strided_views.as_strided,
    # math
    **{
        name: getattr(arithmetic, name)
        for name in (
            "add",
            "sub",
            "mul",
            "div",
            "true_divide",
            "floor_divide",
            "remainder",
            "fmod",
            "neg",
            "abs",
            "sign",
            "reciprocal",
        )
    },
    **{
        name: getattr(elementary, name)
        for name in ("exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid")
    },
    **{
        name: getattr(selection, name)
        for name in (
            "relu",
            "clamp",
            "clamp_min",
            "clamp_max",
            "maximum",
            "minimum",
            "isnan",
            "eq",
            "ne",
            "lt",
            "le",
            "gt",
            "ge",
        )
    },
    **{
        name: getattr(logical, name)
        for name in ("bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not", "logical_not")
    },
    "pow": power.pow,
    "square": power.square,
    "subtract": arithmetic.sub,
    "multiply": arithmetic.mul,
    "divide": arithmetic.div,
    "negative": arithmetic.neg,
    "clip": selection.clamp,
    "where": lambda self, condition, other: selection.where(condition, self, other),
    # reductions
    **{
        name: getattr(reductions, name)
        for name in (
            "sum",
            "mean",
            "prod",
            "max",
            "min",
            "amax",
            "amin",
            "argmax",
            "argmin",
            "var",
            "std",
            "all",
            "any",
            "sum_to_size",
        )
    },
    # products
    **{name: getattr(linalg, name) for name in ("matmul", "mm", "bmm", "dot", "mv")},
    # conversions
    **{
        name: getattr(conversion, name)
        for name in (
            "to",
            "float",
            "double",
            "half",
            "int",
            "long",
            "short",
            "char",
            "byte",
            "bool",
            "cpu",
            "cuda",
            "type_as",
        )
    },
    "flip": rearranging.flip,
    "nonzero": rearranging.nonzero,
    # new tensors like this one
    **{
        name: getattr(factories, name)
        for name in (
            "new_zeros",
            "new_ones",
            "new_empty",
            "new_empty_strided",
            "new_full",
            "new_tensor",
        )
    },
    # in-place writes
    **{
        name: getattr(inplace, name)
        for name in (
            "add_",
            "sub_",
            "mul_",
            "div_",
            "floor_divide_",
            "remainder_",
            "pow_",
            "bitwise_and_",
            "bitwise_or_",
            "bitwise_xor_",
            "clamp_",
            "fill_",
            "zero_",
            "copy_",
        )
    },
    "index_put_": indexing.index_put_,
    "index_put": indexing.index_put,
    "backward": tensor_backward,
}

OPERATORS = {
    "__add__": arithmetic.add,
    "__radd__": arithmetic.add,
    "__sub__": arithmetic.sub,
    "__rsub__": arithmetic.rsub,
    "__mul__": arithmetic.mul,
    "__rmul__": arithmetic.mul,
    "__truediv__": arithmetic.div,
    "__rtruediv__": arithmetic.rdiv,
    "__floordiv__": arithmetic.floor_divide,
    "__rfloordiv__": lambda self, other: arithmetic.floor_divide(other, self),
    "__mod__": arithmetic.remainder,
    "__rmod__": lambda self, other: arithmetic.remainder(other, self),
    "__pow__": power.pow,
    "__rpow__": power.rpow,
    "__matmul__": linalg.matmul,
    "__rmatmul__": lambda self, other: linalg.matmul(other, self),
    "__neg__": arithmetic.neg,
    "__pos__": arithmetic.positive,
    "__abs__": arithmetic.abs,
    "__invert__": logical.bitwise_not,
    "__and__": logical.bitwise_and,
    "__rand__": logical.bitwise_and,
    "__or__": logical.bitwise_or,
    "__ror__": logical.bitwise_or,
    "__xor__": logical.bitwise_xor,
    "__rxor__": logical.bitwise_xor,
    "__eq__": selection.eq,
    "__ne__": selection.ne,
    "__lt__": selection.lt,
    "__le__": selection.le,
    "__gt__": selection.gt,
    "__ge__": selection.ge,
    "__getitem__": indexing.getitem,
    "__setitem__": indexing.setitem,
    "__iadd__": inplace.add_,
    "__isub__": inplace.sub_,
    "__imul__": inplace.mul_,
    "__itruediv__": inplace.div_,
    "__ifloordiv__": inplace.floor_divide_,
    "__imod__": inplace.remainder_,
    "__ipow__": inplace.pow_,
    "__iand__": inplace.bitwise_and_,
    "__ior__": inplace.bitwise_or_,
    "__ixor__": inplace.bitwise_xor_,
}

PROPERTIES = {
    "T": views.numpy_T,
    "mT": views.matrix_T,
}


def _binary_operator(op: Any) -> Any:
    """Return NotImplemented for operands no tensor op accepts, so Python can try the other side."""

    def method(self: Tensor, other: Any) -> Any:
        if type(other) is not Tensor and not is_scalar(other):
            return NotImplemented
        return op(self, other)

    method.__name__ = getattr(op, "__name__", "operator")
    return method


def attach() -> None:
    for name, function in METHODS.items():
        setattr(Tensor, name, function)
    for name, function in OPERATORS.items():
        binary = name not in (
            "__neg__",
            "__pos__",
            "__abs__",
            "__invert__",
            "__getitem__",
            "__setitem__",
        )
        setattr(Tensor, name, _binary_operator(function) if binary else function)
    for name, function in PROPERTIES.items():
        setattr(Tensor, name, property(function))
