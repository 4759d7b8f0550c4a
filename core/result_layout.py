"""The layout PyTorch gives a new tensor: the strides of results, clones and conversions.

PyTorch keeps the dim order of the inputs' strides when it allocates a result
(TensorIterator for elementwise ops, ``infer_dense_strides`` for ``clone`` and
``*_like``), so a transposed input gives a transposed output. These are those
rules, as pure functions of sizes and strides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.layout import (
    Shape,
    Strides,
    channels_last_strides,
    contiguous_strides,
    is_channels_last_contiguous,
    is_contiguous,
    is_non_overlapping_and_dense,
)
from core.memory_format import channels_last, contiguous_format, memory_format, preserve_format


def _dims_by_stride(
    shape: Shape, operand_strides: Sequence[Strides], zero_is_ambiguous: bool = True
) -> list[int]:
    """Order dims fastest-first by stride, as PyTorch's TensorIterator does.

    Insertion sort with ambiguous comparisons: a stride of 0 (broadcast) says
    nothing, equal strides put the smaller size first, and later operands break
    ties the earlier ones leave open.
    """
    ndim = len(shape)
    perm = list(range(ndim - 1, -1, -1))

    def should_swap(dim0: int, dim1: int) -> int:
        for strides in operand_strides:
            stride0, stride1 = strides[dim0], strides[dim1]
            if stride0 == 0 or stride1 == 0:
                continue
            if stride0 < stride1:
                return -1
            if stride0 > stride1:
                return 1
            if shape[dim0] > shape[dim1]:
                return 1
        return 0

    for i in range(1, ndim):
        dim1 = i
        for dim0 in range(i - 1, -1, -1):
            comparison = should_swap(perm[dim0], perm[dim1])
            if comparison > 0:
                perm[dim0], perm[dim1] = perm[dim1], perm[dim0]
                dim1 = dim0
            elif comparison < 0:
                break
    return perm


def dense_strides_like(sizes: Shape, strides: Strides) -> Strides:
    """PyTorch's ``infer_dense_strides``: dense strides keeping the dim order of ``strides``.

    This is what ``clone()`` and ``empty_like()`` give a tensor that is not dense.
    """
    if not sizes:
        return ()
    if len(sizes) == 1:
        return (1,)
    result = [0] * len(sizes)
    current = 1
    for d in _dims_by_stride(sizes, [strides]):
        result[d] = current
        if sizes[d] > 1:
            current *= sizes[d]
    return tuple(result)


def preserve_format_strides(sizes: Shape, strides: Strides) -> Strides:
    """Strides of ``clone()``/``*_like()`` under PyTorch's ``preserve_format``."""
    if is_non_overlapping_and_dense(sizes, strides):
        return tuple(strides)
    return dense_strides_like(sizes, strides)


def broadcast_strides(sizes: Shape, strides: Strides, shape: Shape, element_size: int) -> Strides:
    """Byte strides of an operand seen at a broadcast ``shape``: 0 on every broadcast dim."""
    lead = len(shape) - len(sizes)
    result = [0] * len(shape)
    for d, (size, stride) in enumerate(zip(sizes, strides, strict=True)):
        if size == shape[lead + d]:
            result[lead + d] = stride * element_size
    return tuple(result)


@dataclass(frozen=True)
class Operand:
    """One input of an elementwise op, as TensorIterator sees it when it lays out the result."""

    sizes: Shape
    strides: Strides
    element_size: int


def elementwise_result_strides(shape: Shape, operands: Sequence[Operand]) -> Strides:
    """The strides PyTorch gives the result of an elementwise op (TensorIterator's layout rules).

    Inputs of one shape that are all contiguous, all channels-last, or all dense
    with the very same strides hand their layout on; otherwise the result keeps
    the dim order of the inputs' strides, with contiguous order breaking ties.
    """
    same_shape = all(tuple(op.sizes) == tuple(shape) for op in operands)
    if same_shape and operands:
        if all(is_contiguous(op.sizes, op.strides) for op in operands):
            return contiguous_strides(shape)
        if all(is_channels_last_contiguous(op.sizes, op.strides) for op in operands):
            return channels_last_strides(shape)
        if all(is_non_overlapping_and_dense(op.sizes, op.strides) for op in operands) and (
            len({tuple(op.strides) for op in operands}) == 1
        ):
            return tuple(operands[0].strides)
    if len(shape) <= 1:
        return contiguous_strides(shape)
    byte_strides = [
        broadcast_strides(op.sizes, op.strides, shape, op.element_size) for op in operands
    ]
    perm = _dims_by_stride(shape, byte_strides)
    if perm == list(range(len(shape) - 1, -1, -1)):
        return contiguous_strides(shape)
    result = [0] * len(shape)
    current = 1
    for d in perm:
        result[d] = current
        current *= shape[d]
    return tuple(result)


def strides_for_format(sizes: Shape, strides: Strides, requested: memory_format | None) -> Strides:
    """Strides of a copy of (sizes, strides) in the ``requested`` format (None: preserve)."""
    if requested is None or requested is preserve_format:
        return preserve_format_strides(sizes, strides)
    if requested is contiguous_format:
        return contiguous_strides(sizes)
    if requested is channels_last:
        if len(sizes) != 4:
            raise RuntimeError("required rank 4 tensor to use channels_last format")
        return channels_last_strides(sizes)
    kind = type(requested).__name__
    raise TypeError(f"memory_format must be a core.memory_format, not {kind}")
