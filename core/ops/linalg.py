"""Matrix products: matmul (with batch broadcasting), mm, bmm, dot, mv, and their gradients.

``matmul`` is built from the others exactly as PyTorch builds it (folding batches
into mm, or expanding to bmm), so its graph shows the same nodes.
"""

from __future__ import annotations

import math

import numpy as np

from core import dtypes, layout
from core.autograd.record import record
from core.dtypes import c_type_name
from core.memory import ALLOCATION_LIMIT, check_allocation
from core.ops.pointwise import requires, same_device
from core.ops.views import unsafe_view
from core.tensor import Tensor, tensor_over

# The kernel each product runs on CUDA, and its second argument's name: PyTorch's device
# check names them (matmul names the product it becomes).
_KERNELS = {
    "mm": ("wrapper_CUDA_mm", "mat2"),
    "bmm": ("wrapper_CUDA_bmm", "mat2"),
    "dot": ("wrapper_CUDA__dot", "tensor"),
    "mv": ("wrapper_CUDA_addmv_out_out", "vec"),
}


def _check_pair(name: str, a: Tensor, b: Tensor) -> None:
    if not isinstance(a, Tensor) or not isinstance(b, Tensor):
        raise TypeError(f"{name}(): argument 'other' must be Tensor, not {type(b).__name__}")
    if a._storage.device is not b._storage.device and (name != "matmul" or a.dim() and b.dim()):
        kernel = _matmul_kernel(a, b) if name == "matmul" else name
        method, second = _KERNELS[kernel]
        if name == "matmul" and b.dim() >= 3 and b.dim() > a.dim() and kernel != "bmm":
            a, b = b, a  # folded: other's rows times self (transposed)
        same_device(method, [("self", a), (second, b)])
    if a.dtype is not b.dtype:
        raise RuntimeError(
            "expected m1 and m2 to have the same dtype, but got: "
            f"{c_type_name(a.dtype)} != {c_type_name(b.dtype)}"
        )
    if a.dtype is dtypes.bool_ and ((a.dim() == 1 and b.dim() == 1) or (a.numel() and b.numel())):
        # PyTorch has no bool kernel, but returns empty and zero-length products without one.
        kernel = "dot" if a.dim() == 1 and b.dim() == 1 else "addmm_impl_cpu_"
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")


def _product(a: Tensor, b: Tensor) -> Tensor:
    """``a @ b`` of checked shapes: (k)(k), (n, k)(k), (n, k)(k, p) or (b, n, k)(b, k, p)."""
    if ALLOCATION_LIMIT.get() is not None:  # counting costs more than this test
        rows = math.prod(a._layout.sizes[:-1])
        check_allocation(rows * (b._layout.sizes[-1] if b.dim() > 1 else 1), a.dtype)
    backend = a._storage.backend
    values = backend.run_quietly(backend.xp.matmul, a._values(), b._values())
    if isinstance(values, np.generic):  # NumPy's product of two vectors is a number
        values = np.asarray(values)
    return tensor_over(values.astype(a.dtype.numpy_dtype, copy=False), a.device, a.dtype)


def _matmul_kernel(self: Tensor, other: Tensor) -> str:
    """The product ``matmul`` becomes for these operands' dims (for its device error)."""
    dims = (self.dim(), other.dim())
    if dims == (1, 1):
        return "dot"
    if dims == (2, 1):
        return "mv"
    if max(dims) <= 2:
        return "mm"
    if _should_fold(self, other):
        return "mm" if min(dims) == 2 else "mv"
    return "bmm"


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
    return _checked_mm(self, mat2)


def _checked_mm(self: Tensor, mat2: Tensor) -> Tensor:
    """``mm`` of two matrices already known to fit (its own rule's products are such)."""
    return record(
        _product(self, mat2),
        "MmBackward0",
        (self, mat2),
        lambda grad, saved: (
            _checked_mm(grad, saved.mat2.t()) if hasattr(saved, "mat2") else None,
            _checked_mm(saved.self.t(), grad) if hasattr(saved, "self") else None,
        ),
        _factors(self, mat2, "mat2"),
        "grad_self = grad @ mat2ᵀ\ngrad_mat2 = selfᵀ @ grad",
    )


def _factors(self: Tensor, other: Tensor, name: str) -> dict[str, Tensor]:
    """What a product saves: each factor only when the other one's gradient needs it."""
    saved = {}
    if requires(other):
        saved["self"] = self
    if requires(self):
        saved[name] = other
    return saved


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
    return record(
        _product(self, mat2),
        "BmmBackward0",
        (self, mat2),
        lambda grad, saved: (
            grad.bmm(saved.mat2.transpose(1, 2)) if hasattr(saved, "mat2") else None,
            saved.self.transpose(1, 2).bmm(grad) if hasattr(saved, "self") else None,
        ),
        _factors(self, mat2, "mat2"),
        "grad_self = grad @ mat2ᵀ (each batch)\ngrad_mat2 = selfᵀ @ grad (each batch)",
    )


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
    return record(
        _product(self, other),
        "DotBackward0",
        (self, other),
        lambda grad, saved: (
            grad * saved.tensor if hasattr(saved, "tensor") else None,
            grad * saved.self if hasattr(saved, "self") else None,
        ),
        _factors(self, other, "tensor"),
        "grad_self = grad · other\ngrad_other = grad · self",
    )


def mv(self: Tensor, vec: Tensor) -> Tensor:
    _check_pair("mv", self, vec)
    if self.dim() != 2 or vec.dim() != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got {self.dim()}, {vec.dim()}")
    if self.shape[1] != vec.shape[0]:
        raise RuntimeError(
            f"size mismatch, got input ({self.shape[0]}), mat ({_shape_text(self)}), "
            f"vec ({vec.shape[0]})"
        )
    return record(
        _product(self, vec),
        "MvBackward0",
        (self, vec),
        lambda grad, saved: (
            grad.unsqueeze(1) * saved.vec if hasattr(saved, "vec") else None,
            saved.self.t().mv(grad) if hasattr(saved, "self") else None,
        ),
        _factors(self, vec, "vec"),
        "grad_self = grad ⊗ vec (outer product)\ngrad_vec = selfᵀ @ grad",
    )


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
    if self.dim() == 2 and other.dim() == 2:
        return mm(self, other)
    if self.dim() == 1 and other.dim() == 2:
        # PyTorch: self.unsqueeze(0).mm(other).squeeze_(0), an in-place squeeze that
        # counts one write and records SqueezeBackward4.
        product = mm(self.unsqueeze(0), other)
        product._storage.version += 1
        squeezed = Tensor._make(product._storage, layout.contiguous_layout(product.shape[1:]))
        return record(
            squeezed,
            "SqueezeBackward4",
            (product,),
            lambda grad, saved: (grad.unsqueeze(0),),
            {"dim": 0},
            "grad_self = grad.unsqueeze(0)",
        )
    _check_inner(self, other)
    if self.dim() == 3 and other.dim() == 3:
        # PyTorch drops the batch dim of a single-matrix operand that requires grad, so
        # its gradient is one mm rather than a batch of products summed down.
        if self.shape[0] == 1 and other.shape[0] != 1 and self.requires_grad:
            return matmul(self.squeeze(0), other)
        if other.shape[0] == 1 and self.shape[0] != 1 and other.requires_grad:
            return matmul(self, other.squeeze(0))
    if _should_fold(self, other):
        return _folded(self, other)
    return _batched(self, other)


def _check_inner(self: Tensor, other: Tensor) -> None:
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


def _should_fold(self: Tensor, other: Tensor) -> bool:
    """PyTorch's should_fold: whether the larger operand folds into a matrix for mm or mv."""
    left_larger = self.dim() >= other.dim()
    larger = self if left_larger else other.mT
    smaller = other if left_larger else self
    if not (larger.dim() >= 3 and smaller.dim() <= 2):
        return False
    if smaller.requires_grad:
        # Folding copies, but spares backward a batch of gradients summed down to a matrix.
        return True
    if self.dim() == 2:
        return False
    if larger.numel() == 0:
        return True
    sizes, strides = larger.shape, larger.stride()
    return all(strides[i] == strides[i + 1] * sizes[i + 1] for i in range(larger.dim() - 2))


def _folded(self: Tensor, other: Tensor) -> Tensor:
    """The batch dims of the larger operand folded into the rows of one mm (or mv)."""
    transpose = other.dim() > self.dim()
    larger = other.mT if transpose else self
    smaller = (self.t() if self.dim() == 2 else self) if transpose else other
    output_shape = tuple(larger.shape[:-1])
    folded = larger.reshape(math.prod(output_shape), larger.shape[-1])
    if smaller.dim() == 2:
        output = unsafe_view(folded.mm(smaller), (*output_shape, smaller.shape[1]))
        return output.mT.contiguous() if transpose else output
    return unsafe_view(folded.mv(smaller), output_shape)


def _batched(self: Tensor, other: Tensor) -> Tensor:
    """Both operands expanded to the broadcast batch and reshaped to 3-d for one bmm."""
    rows = self.shape[-2] if self.dim() > 1 else 1
    inner = self.shape[-1]
    columns = other.shape[-1] if other.dim() > 1 else 1
    batch = layout.broadcast_shapes(
        self.shape[:-2] if self.dim() > 2 else (), other.shape[:-2] if other.dim() > 2 else ()
    )
    count = math.prod(batch)
    output_shape = (
        *batch,
        *((rows,) if self.dim() > 1 else ()),
        *((columns,) if other.dim() > 1 else ()),
    )
    left = self.expand(*batch, rows, inner).reshape(count, rows, inner)
    vector_right = other.dim() == 1
    right = other.expand(*batch, inner) if vector_right else other.expand(*batch, inner, columns)
    if vector_right:
        right = right.unsqueeze(-1)
    right = right.reshape(count, inner, columns)
    product = left.bmm(right)
    return unsafe_view(product.squeeze(-1) if vector_right else product, output_shape)
