"""Joining tensors: cat and stack (results are contiguous, in the promoted dtype)."""

from __future__ import annotations

from collections.abc import Sequence

from core import layout
from core.autograd.grad_mode import no_grad
from core.autograd.record import record
from core.memory import ALLOCATION_LIMIT, check_allocation
from core.ops.pointwise import result_type, same_device
from core.tensor import Tensor, tensor_over


def _check_list(name: str, tensors: Sequence[Tensor]) -> list[Tensor]:
    if isinstance(tensors, Tensor) or not isinstance(tensors, (list, tuple)):
        raise TypeError(
            f"{name}(): argument 'tensors' must be tuple of Tensors, not {type(tensors).__name__}"
        )
    if not tensors:
        raise ValueError(f"{name}(): expected a non-empty list of Tensors")
    for position, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(
                f"{name}(): argument 'tensors' must be tuple of Tensors, but found element of type "
                f"{type(t).__name__} at pos {position}"
            )
    same_device("wrapper_CUDA_cat", [("tensors", t) for t in tensors])
    return list(tensors)


def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join along an existing dim; 1-d empty tensors are skipped, as PyTorch still allows."""
    tensors = _check_list("cat", tensors)
    for position, t in enumerate(tensors):
        if t.dim() == 0:
            raise RuntimeError(
                f"zero-dimensional tensor (at position {position}) cannot be concatenated"
            )
    element_type = result_type(*tensors)
    joined = [t for t in tensors if not (t.dim() == 1 and t.numel() == 0)]
    if not joined:
        where = tensors[0].device
        empty = tensors[0]._storage.backend.empty(0, element_type.numpy_dtype)
        return _record_cat(tensor_over(empty, where, element_type), tensors, 0)
    reference = joined[0]
    axis = layout.wrap_dim(dim, reference.dim())
    for position, t in enumerate(tensors):
        if t.dim() == 1 and t.numel() == 0:
            continue
        if t.dim() != reference.dim():
            raise RuntimeError(
                f"Tensors must have same number of dimensions: got {reference.dim()} and {t.dim()}"
            )
        for d in range(t.dim()):
            if d != axis and t.shape[d] != reference.shape[d]:
                raise RuntimeError(
                    f"Sizes of tensors must match except in dimension {axis}. Expected size "
                    f"{reference.shape[d]} but got size {t.shape[d]} "
                    f"for tensor number {position} in the list."
                )
    if ALLOCATION_LIMIT.get() is not None:  # counting costs more than this test
        check_allocation(sum(t.numel() for t in joined), element_type)
    backend = reference._storage.backend
    values = backend.xp.concatenate(
        [t._values() for t in joined], axis=axis, dtype=element_type.numpy_dtype, casting="unsafe"
    )
    if not values.flags.c_contiguous:  # NumPy lays it out like F-ordered inputs; storage is C
        values = backend.cast(values, element_type.numpy_dtype)
    return _record_cat(tensor_over(values, reference.device, element_type), tensors, axis)


def _record_cat(out: Tensor, tensors: Sequence[Tensor], axis: int) -> Tensor:
    return record(
        out,
        "CatBackward0",
        tuple(tensors),
        lambda grad, saved: _pieces_of(grad, tensors, axis),
        {"dim": axis},
        lambda: f"grad_i = grad's slice of tensor i along dim {axis}",
    )


def _pieces_of(grad: Tensor, tensors: Sequence[Tensor], axis: int) -> tuple[Tensor, ...]:
    """Each input's part of ``cat``'s gradient (legacy empty 1-d inputs get empty gradients)."""
    pieces, start = [], 0
    for t in tensors:
        if t.dim() == 1 and t.numel() == 0:
            pieces.append(grad.new_zeros(0))
            continue
        pieces.append(grad.narrow(axis, start, t.shape[axis]))
        start += t.shape[axis]
    return tuple(pieces)


concat = cat
concatenate = cat


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join along a new dim: every tensor must have the same shape."""
    if isinstance(tensors, (list, tuple)) and not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    tensors = _check_list("stack", tensors)
    for position, t in enumerate(tensors):
        if t.shape != tensors[0].shape:
            raise RuntimeError(
                "stack expects each tensor to be equal size, "
                f"but got {list(tensors[0].shape)} at entry 0 "
                f"and {list(t.shape)} at entry {position}"
            )
    axis = layout.wrap_dim(dim, tensors[0].dim() + 1)
    with no_grad():
        out = cat([t.unsqueeze(axis) for t in tensors], axis)
    return record(
        out,
        "StackBackward0",
        tuple(tensors),
        lambda grad, saved: grad.unbind(axis),
        {"dim": axis},
        lambda: f"grad_i = grad.select({axis}, i)",
    )
