"""Matrix products: matmul (with batch broadcasting), mm, bmm, dot, mv."""

from __future__ import annotations

import numpy as np

from core import dtypes, layout
from core.ops.pointwise import common_device
from core.tensor import Tensor, tensor_over


def _check_pair(name: str, a: Tensor, b: Tensor) -> None:
    if not isinstance(a, Tensor) or not isinstance(b, Tensor):
        raise TypeError(f"{name}(): argument 'other' must be Tensor, not {type(b).__name__}")
    common_device([a, b])
    if a.dtype is not b.dtype:
        raise RuntimeError(
            f"expected m1 and m2 to have the same dtype, but got: {_c_name(a)} != {_c_name(b)}"
        )
    if a.dtype is dtypes.bool_ and ((a.dim() == 1 and b.dim() == 1) or (a.numel() and b.numel())):
        # PyTorch has no bool kernel, but returns empty and zero-length products without one.
        kernel = "dot" if a.dim() == 1 and b.dim() == 1 else "addmm_impl_cpu_"
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")


def _c_name(t: Tensor) -> str:
    names = {
        "float32": "float",
        "float64": "double",
        "float16": "c10::Half",
        "int64": "long int",
        "int32": "int",
        "int16": "short int",
        "int8": "signed char",
        "uint8": "unsigned char",
        "bool": "bool",
    }
    return names[t.dtype.name]


def _product(a: Tensor, b: Tensor) -> Tensor:
    with np.errstate(all="ignore"):
        values = np.matmul(a._values(), b._values())
    return tensor_over(np.asarray(values, dtype=a.dtype.numpy_dtype), a.device, a.dtype)


def _shape_text(t: Tensor) -> str:
    return "x".join(str(s) for s in t.shape)


def mm(self: Tensor, mat2: Tensor) -> Tensor:
    _check_pair("mm", self, mat2)
    if self.dim() != 2:
        raise RuntimeError(f"self must be a matrix, got a {self.dim()}-D tensor")
    if mat2.dim() != 2:
        raise RuntimeError(f"mat2 must be a matrix, got a {mat2.dim()}-D tensor")
    if self.shape[1] != mat2.shape[0]:
        raise RuntimeError(
            "mat1 and mat2 shapes cannot be multiplied "
            f"({_shape_text(self)} and {_shape_text(mat2)})"
        )
    return _product(self, mat2)


def bmm(self: Tensor, mat2: Tensor) -> Tensor:
    _check_pair("bmm", self, mat2)
    if self.dim() != 3:
        raise RuntimeError(f"batch1 must be a 3D tensor, got {self.dim()}-D")
    if mat2.dim() != 3:
        raise RuntimeError(f"batch2 must be a 3D tensor, got {mat2.dim()}-D")
    if self.shape[0] != mat2.shape[0] or self.shape[2] != mat2.shape[1]:
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: [{self.shape[0]}, "
            f"{self.shape[2]}] but got: [{mat2.shape[0]}, {mat2.shape[1]}]."
        )
    return _product(self, mat2)


def dot(self: Tensor, other: Tensor) -> Tensor:
    _check_pair("dot", self, other)
    if self.dim() != 1 or other.dim() != 1:
        raise RuntimeError(f"1D tensors expected, but got {self.dim()}D and {other.dim()}D tensors")
    if self.shape[0] != other.shape[0]:
        raise RuntimeError(
            f"inconsistent tensor size, expected tensor [{self.shape[0]}] "
            f"and src [{other.shape[0]}] to have the same number of elements, "
            f"but got {self.shape[0]} and {other.shape[0]} elements respectively"
        )
    return _product(self, other)


def mv(self: Tensor, vec: Tensor) -> Tensor:
    _check_pair("mv", self, vec)
    if self.dim() != 2 or vec.dim() != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got {self.dim()}, {vec.dim()}")
    if self.shape[1] != vec.shape[0]:
        raise RuntimeError(
            f"size mismatch, got input ({self.shape[0]}), mat ({_shape_text(self)}), "
            f"vec ({vec.shape[0]})"
        )
    return _product(self, vec)


def matmul(self: Tensor, other: Tensor) -> Tensor:
    """PyTorch's matmul: dot, mv, mm or batched matrix products (broadcast), by the inputs' dims."""
    _check_pair("matmul", self, other)
    if self.dim() == 0 or other.dim() == 0:
        raise RuntimeError(
            "both arguments to matmul need to be at least 1D, "
            f"but they are {self.dim()}D and {other.dim()}D"
        )
    if self.dim() == 1 and other.dim() == 1:
        return dot(self, other)
    if self.dim() == 2 and other.dim() == 1:
        return mv(self, other)
    if self.dim() <= 2 and other.dim() <= 2:
        if self.dim() == 2:
            return mm(self, other)
        # PyTorch computes a vector @ matrix as unsqueeze(0).mm(...).squeeze_(0): a new
        # tensor whose in-place squeeze_ counts one write.
        result = mm(self.unsqueeze(0), other)
        result = Tensor._make(result._storage, layout.contiguous_layout(result.shape[1:]))
        result._storage.version += 1
        return result
    inner_left = self.shape[-1]
    inner_right = other.shape[-2] if other.dim() > 1 else other.shape[0]
    if inner_left != inner_right:
        left_text = _shape_text(self) if self.dim() > 1 else f"1x{self.shape[0]}"
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: [{inner_left}] "
            f"but got: [{inner_right}] (matmul of {left_text} and {_shape_text(other)})"
        )
    batch_left = self.shape[:-2] if self.dim() > 2 else ()
    batch_right = other.shape[:-2] if other.dim() > 2 else ()
    layout.broadcast_shapes(batch_left, batch_right)
    return _product(self, other)
