"""Indexing as PyTorch does it: basic indices make a view, tensor indices then copy.

PyTorch first applies ints, slices, None and Ellipsis left to right (selects,
slices, unsqueezes: a view), remembering where each tensor index sits; only
then does it gather with the tensor indices ("advanced indexing"). This order
matters: ``x[0, :, [0, 1]]`` has shape (n1, 2) in PyTorch, unlike NumPy. Each
basic step is a view op with its own node, so the graph reads as PyTorch's does.
"""

from __future__ import annotations

import math
import operator
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from core import dtypes, layout, result_layout, views
from core.autograd.record import check_in_place, make_node, needs_grad, rebase_history, record
from core.backends import NUMPY_BACKEND
from core.layout import Layout
from core.memory import ALLOCATION_LIMIT, check_allocation
from core.ops.inplace import (
    OVERLAP_BETWEEN,
    check_writable,
    copy_into,
    ensure_writeable,
    finish_write,
    source_values,
)
from core.ops.pointwise import common_device, is_scalar
from core.ops.views import alias, select, slice_dim, unsqueeze
from core.result_layout import Operand
from core.tensor import Tensor, empty_tensor

INDEX_TYPES = (
    "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables "
    "are valid indices"
)


@dataclass(frozen=True)
class TensorIndex:
    """An index array for one dim of the basic view, with the strides PyTorch's index tensor has."""

    dim: int
    values: np.ndarray
    strides: tuple[int, ...]
    from_mask: bool = False


def _as_index_array(item: Any) -> np.ndarray | None:
    """Lists, NumPy arrays and tensors used as indices; None for everything else."""
    if isinstance(item, Tensor):
        return item._host_values()
    if isinstance(item, np.ndarray):
        return item
    if isinstance(item, list):
        array = np.array(item)
        if array.dtype == object:
            raise IndexError(f"{INDEX_TYPES} (got a ragged list)")
        return array if array.size else array.astype(np.int64)
    return None


INDEX_DTYPES = (np.dtype(np.int64), np.dtype(np.int32), np.dtype(np.uint8), np.dtype(np.bool_))


def _check_index_array(array: np.ndarray) -> np.ndarray:
    if array.dtype not in INDEX_DTYPES:
        raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
    if array.dtype == np.uint8:
        warnings.warn(
            "indexing with dtype torch.uint8 is now deprecated, please use a dtype torch.bool "
            "instead.",
            UserWarning,
            stacklevel=4,
        )
    return array


def _as_index_tuple(index: Any) -> tuple[Any, ...]:
    """The index as a tuple; a short list holding sequences, slices, None or ... counts as one.

    That is NumPy's old heuristic, which PyTorch keeps (with a deprecation warning).
    """
    if isinstance(index, tuple):
        return index
    if isinstance(index, list) and len(index) < 32:
        legacy = any(
            isinstance(item, (Tensor, list, tuple, slice, np.ndarray))
            or item is None
            or item is Ellipsis
            for item in index
        )
        if legacy:
            warnings.warn(
                "Using a non-tuple sequence for multidimensional indexing is deprecated and will "
                "be changed in pytorch 2.9; use x[tuple(seq)] instead of x[seq]. In pytorch 2.9 "
                "this will be interpreted as tensor index, x[torch.tensor(seq)], which will result "
                "either in an error or a different result",
                UserWarning,
                stacklevel=4,
            )
            return tuple(index)
    return (index,)


def _is_integer_scalar(item: Any) -> bool:
    if isinstance(item, Tensor):
        return (
            item.dim() == 0
            and item.dtype not in (dtypes.bool_, dtypes.uint8)
            and not item.is_floating_point()
        )
    return isinstance(item, (int, np.integer)) and not isinstance(item, (bool, np.bool_))


def _dims_used(item: Any) -> int:
    if item is None or item is Ellipsis or isinstance(item, (bool, np.bool_)):
        return 0
    if _is_integer_scalar(item) or isinstance(item, slice):
        return 1
    array = _as_index_array(item)
    if array is None:
        raise IndexError(f"{INDEX_TYPES} (got {type(item).__name__})")
    _check_index_array(array)
    return array.ndim if array.dtype == bool else 1


def apply_basic(self: Tensor, index: Any) -> tuple[Tensor, list[TensorIndex]]:
    """The view that ints, slices, None and Ellipsis select, and the tensor indices left over."""
    if isinstance(index, slice) and index.step is not None and index.step <= 0:
        # A lone slice is checked before anything else, as in PyTorch.
        zero = index.step == 0
        raise ValueError("slice step cannot be zero" if zero else "step must be greater than zero")
    items = _as_index_tuple(index)
    used = sum(_dims_used(item) for item in items)
    if used > self.dim():
        if self.dim() == 0 and used == 1 and _is_integer_scalar(items[0]):
            raise IndexError(
                "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number"
            )
        raise IndexError(f"too many indices for tensor of dimension {self.dim()}")
    current = self
    dim = 0
    tensor_indices: list[TensorIndex] = []
    for item in items:
        _check_index_device(self, item)
        array = (
            None
            if item is None or isinstance(item, (slice, bool, np.bool_))
            else _as_index_array(item)
        )
        if array is not None and array.dtype in (np.bool_, np.uint8) and array.ndim == 0:
            item = bool(_check_index_array(array))  # a 0-d mask acts as a Python bool
        if item is None:
            current = unsqueeze(current, dim)
            dim += 1
        elif item is Ellipsis:
            dim += self.dim() - used
        elif isinstance(item, (bool, np.bool_)):
            # A Python bool adds a dim of size 1 and keeps it (True) or empties it (False).
            current = unsqueeze(current, dim)
            kept = np.arange(1 if item else 0, dtype=np.int64)
            tensor_indices.append(TensorIndex(dim, kept, (1,)))
            dim += 1
        elif _is_integer_scalar(item):
            position = operator.index(item)
            size = current.shape[dim]
            if not -size <= position < size:
                raise IndexError(
                    f"index {position} is out of bounds for dimension {dim} with size {size}"
                )
            current = select(current, dim, position)
        elif isinstance(item, slice):
            step = 1 if item.step is None else operator.index(item.step)
            start = None if item.start is None else operator.index(item.start)
            stop = None if item.stop is None else operator.index(item.stop)
            # PyTorch skips a slice written as the whole dim (``:``, ``0:n`` or beyond),
            # unless it is the lone index; ``-n:`` still counts as a slice.
            whole = start in (None, 0) and (stop is None or stop >= current.shape[dim])
            if isinstance(index, slice) or step != 1 or not whole:
                current = slice_dim(current, dim, start, stop, step)
            dim += 1
        else:
            dim = _add_tensor_index(_check_index_array(array), current._layout, dim, tensor_indices)
    return current, tensor_indices


def _check_index_device(self: Tensor, item: Any) -> None:
    """Index tensors may live on the CPU or on the indexed tensor's device, as in PyTorch."""
    if (
        isinstance(item, Tensor)
        and item._storage.device is not self._storage.device
        and item.device.type != "cpu"
        and not _is_integer_scalar(item)
    ):
        raise RuntimeError(
            "indices should be either on cpu or on the same device as the indexed tensor "
            f"({self.device})"
        )


def _add_tensor_index(
    array: np.ndarray, current: Layout, dim: int, found: list[TensorIndex]
) -> int:
    """Record an index array at ``dim``; a bool mask becomes one long index per dim it covers."""
    # An index tensor may be a broadcast view: its copies here and in plan_gather are full size.
    if array.dtype != bool and array.dtype != np.uint8:
        check_allocation(array.size, dtypes.int64)
        found.append(
            TensorIndex(dim, array.astype(np.int64), layout.contiguous_strides(array.shape))
        )
        return dim + 1
    check_allocation(array.size, dtypes.bool_)
    mask = array.astype(bool)
    covered = current.sizes[dim : dim + mask.ndim]
    for k, (mask_size, size) in enumerate(zip(mask.shape, covered, strict=True)):
        if mask_size != size:
            raise IndexError(
                f"The shape of the mask {list(mask.shape)} at index {k} does not match "
                f"the shape of the indexed tensor {list(covered)} at index {dim + k}"
            )
    # PyTorch turns a mask into mask.nonzero(): an (n, k) array whose columns index each dim.
    if ALLOCATION_LIMIT.get() is not None:  # the positions' size is known only by counting
        check_allocation(int(np.count_nonzero(mask)) * mask.ndim, dtypes.int64)
    positions = np.argwhere(mask)
    column_stride = (1,)  # PyTorch's nonzero() fills its result column by column
    for k in range(mask.ndim):
        found.append(TensorIndex(dim + k, positions[:, k], column_stride, from_mask=True))
    return dim + max(mask.ndim, 0)


@dataclass(frozen=True)
class Gather:
    """An advanced index ready to apply: source layout (indexed dims adjacent) and index arrays."""

    source: Layout
    first: int
    arrays: tuple[np.ndarray, ...]
    index_layouts: tuple[Layout, ...]
    index_shape: tuple[int, ...]

    @property
    def result_shape(self) -> tuple[int, ...]:
        count = len(self.arrays)
        return (
            self.source.sizes[: self.first]
            + self.index_shape
            + self.source.sizes[self.first + count :]
        )

    def selection_on(self, backend: Any) -> tuple[Any, ...]:
        """The index that gathers this from a window of ``backend`` (index arrays moved there)."""
        arrays = (
            self.arrays
            if backend is NUMPY_BACKEND
            else tuple(backend.from_host(a) for a in self.arrays)
        )
        return (slice(None),) * self.first + arrays


def plan_gather(current: Layout, tensor_indices: list[TensorIndex]) -> Gather:
    """Check and broadcast the index arrays and bring the indexed dims together, as PyTorch does.

    Like PyTorch, indices are bounds-checked only when the result has elements to gather.
    """
    try:
        index_shape = layout.broadcast_shapes(*(ti.values.shape for ti in tensor_indices))
    except RuntimeError:
        shapes = ", ".join(str(list(ti.values.shape)) for ti in tensor_indices)
        raise IndexError(
            f"shape mismatch: indexing tensors could not be broadcast together with shapes {shapes}"
        ) from None
    indexed = {ti.dim for ti in tensor_indices}
    if math.prod(index_shape) and any(current.sizes[d] == 0 for d in indexed):
        # No index is valid for an empty dim, even when the result would be empty.
        raise IndexError("index is out of bounds for dimension with size 0")
    result_numel = math.prod(index_shape) * math.prod(
        s for d, s in enumerate(current.sizes) if d not in indexed
    )
    arrays = []
    for ti in tensor_indices:
        size = current.sizes[ti.dim]
        values = ti.values
        if values.size and result_numel:
            low, high = int(values.min()), int(values.max())
            bad = high if high >= size else low if low < -size else None
            if bad is not None:
                raise IndexError(
                    f"index {bad} is out of bounds for dimension {ti.dim} with size {size}"
                )
        arrays.append(np.where(values < 0, values + size, values))
    dims = [ti.dim for ti in tensor_indices]
    index_layouts = tuple(
        views.expand(Layout(ti.values.shape, ti.strides, 0), index_shape) for ti in tensor_indices
    )
    adjacent = dims == list(range(dims[0], dims[0] + len(dims)))
    if adjacent:
        return Gather(current, dims[0], tuple(arrays), index_layouts, index_shape)
    # Indexed dims apart from each other move to the front, in order (PyTorch's transposeToFront).
    order = dims + [d for d in range(current.ndim) if d not in dims]
    return Gather(views.permute(current, order), 0, tuple(arrays), index_layouts, index_shape)


def _gather_strides(self: Tensor, plan: Gather) -> tuple[int, ...]:
    """The result's strides, by TensorIterator's rules over the restrided source and the indices."""
    source, first, count = plan.source, plan.first, len(plan.arrays)
    before, after = source.sizes[:first], source.sizes[first + count :]
    shape = plan.result_shape
    restrided = Operand(
        shape,
        source.strides[:first] + (0,) * len(plan.index_shape) + source.strides[first + count :],
        self.element_size(),
    )
    # Each index is reshaped to (1, ..., index dims, ..., 1):
    # a view when it can be, as PyTorch does.
    padded = (1,) * len(before) + plan.index_shape + (1,) * len(after)
    index_operands = []
    for index_layout in plan.index_layouts:
        strides = layout.view_strides(index_layout.sizes, index_layout.strides, padded)
        index_operands.append(Operand(padded, strides or layout.contiguous_strides(padded), 8))
    return result_layout.elementwise_result_strides(shape, [restrided, *index_operands])


def getitem(self: Tensor, index: Any) -> Tensor:
    current, tensor_indices = apply_basic(self, index)
    if not tensor_indices:
        return alias(self) if current is self else current
    plan = plan_gather(current._layout, tensor_indices)
    result = empty_tensor(plan.result_shape, _gather_strides(self, plan), self.device, self.dtype)
    if result.numel():
        selection = plan.selection_on(self._storage.backend)
        result._values()[...] = _window(self, plan.source)[selection]
    sizes = current._layout.sizes
    return record(
        result,
        "IndexBackward0",
        (current,),
        lambda grad, saved: (
            grad.new_zeros(sizes).index_put_(saved.indices, grad, accumulate=True),
        ),
        {"self_sym_sizes": sizes, "indices": index_tensors(tensor_indices, current)},
        "grad_self = zeros, with grad added at the indexed positions",
    )


def index_tensors(tensor_indices: list[TensorIndex], like: Tensor) -> tuple[Tensor | None, ...]:
    """The indices as ``index_put_`` takes them: a long tensor per indexed dim, None between."""
    from core.ops.factories import from_numpy

    indices: list[Tensor | None] = [None] * (max(ti.dim for ti in tensor_indices) + 1)
    for ti in tensor_indices:
        indices[ti.dim] = from_numpy(ti.values).to(like.device)
    return tuple(indices)


def _window(self: Tensor, source: Layout) -> Any:
    return self._storage.backend.window(
        self._storage.buffer, source.sizes, source.strides, source.offset
    )


def setitem(self: Tensor, index: Any, value: Any) -> None:
    """Write ``value`` (a number or a broadcastable tensor) through the index, to shared storage."""
    if index is False:
        return  # PyTorch writes nothing through a bare False and counts no write
    items = index if isinstance(index, (tuple, list)) else (index,)
    if any(isinstance(item, Tensor) and item._storage is self._storage for item in items):
        raise RuntimeError(OVERLAP_BETWEEN)  # an index that the write could change
    current, tensor_indices = apply_basic(self, index)
    if not tensor_indices:
        # PyTorch's copy_to: the value (leading 1-dims dropped) broadcasts, converts, is copied.
        copy_into(alias(self) if current is self else current, value, drop_leading_ones=True)
    elif all(ti.from_mask for ti in tensor_indices) and _is_single_value(value):
        # PyTorch's masked_fill_: one value through a mask, converted to this dtype.
        number = value.item() if isinstance(value, Tensor) else value
        _index_put(current, tensor_indices, number, accumulate=False)
    else:
        _index_put(current, tensor_indices, value, accumulate=False)


def _is_single_value(value: Any) -> bool:
    return is_scalar(value) or (isinstance(value, Tensor) and value.numel() == 1)


def index_put_(
    self: Tensor, indices: tuple[Tensor | None, ...], values: Any, accumulate: bool = False
) -> Tensor:
    """Write (or with ``accumulate``, add) ``values`` at ``indices``: one tensor or None per dim."""
    if not isinstance(indices, (tuple, list)):
        raise TypeError("index_put_(): argument 'indices' must be a tuple of Tensors")
    index = tuple(slice(None) if i is None else i for i in indices)
    current, tensor_indices = apply_basic(self, index)
    if not tensor_indices:
        raise RuntimeError("index_put_: give at least one index tensor (None means a full slice)")
    _index_put(current, tensor_indices, values, accumulate=accumulate)
    return self


def index_put(
    self: Tensor, indices: tuple[Tensor | None, ...], values: Any, accumulate: bool = False
) -> Tensor:
    """``index_put_`` on a copy of this tensor."""
    return index_put_(self.clone(), indices, values, accumulate)


def _index_put(
    target: Tensor, tensor_indices: list[TensorIndex], value: Any, *, accumulate: bool
) -> None:
    """Write ``value`` through the tensor indices of ``target`` (self, or a view of it)."""
    if isinstance(value, Tensor) and value.dtype is not target.dtype:
        raise RuntimeError(
            "Index put requires the source and destination dtypes match, "
            f"got {dtypes.scalar_type_name(target.dtype)} for the destination "
            f"and {dtypes.scalar_type_name(value.dtype)} for the source."
        )
    if isinstance(value, Tensor) and value._storage.device is not target._storage.device:
        if value._layout.sizes or value.device.type != "cpu":  # a 0-d CPU value is a number
            common_device([target, value], allow_cpu_scalar=False)
        value = value.to(target.device)
    current = target._layout
    ensure_writeable(target)
    if layout.has_internal_overlap(current.sizes, current.strides):
        warnings.warn(
            "Use of index_put_ on expanded tensors is deprecated. Please clone() the tensor before "
            "performing this operation. This also applies to advanced indexing e.g. "
            "tensor[indices] = tensor",
            UserWarning,
            stacklevel=3,
        )
    else:
        check_writable(target, value)
    check_in_place(target)
    plan = plan_gather(current, tensor_indices)
    node = None
    if needs_grad((target, value)):
        indices = index_tensors(tensor_indices, target)
        node = make_node(
            "IndexPutBackward0",
            (target, value),
            lambda grad, saved: (
                grad if accumulate else grad.index_put(saved.indices, 0.0),
                grad[tuple(slice(None) if i is None else i for i in saved.indices)],
            ),
            {"indices": indices, "accumulate": accumulate},
            "grad_self = grad, 0 at the written positions\ngrad_values = grad[indices]",
        )
    values = source_values(value, target, None)
    if math.prod(plan.result_shape):
        backend = target._storage.backend
        window = _window(target, plan.source)
        selection = plan.selection_on(backend)
        if accumulate:
            backend.add_at(window, selection, values, plan.result_shape)
        else:
            if not backend.holds(values):  # a number: CuPy would fill it (-0.0 as +0.0)
                values = backend.from_host(np.reshape(values, 1))
            window[selection] = values
    finish_write(target)
    rebase_history(target, node)
