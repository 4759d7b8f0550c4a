"""Pure index math on a strided layout: sizes, strides (in elements) and a storage offset.

Every rule PyTorch applies to strides lives here once: contiguity, the ``view``
stride rule, broadcasting, the layout PyTorch picks for new results, and memory
overlap. Nothing here touches data; tensors and widgets call these functions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cache, cached_property

import numpy as np

Shape = tuple[int, ...]
Strides = tuple[int, ...]


@dataclass(frozen=True)
class Layout:
    """Where a tensor's elements sit in its storage."""

    sizes: Shape
    strides: Strides
    offset: int = 0

    @property
    def ndim(self) -> int:
        return len(self.sizes)

    @cached_property
    def numel(self) -> int:
        return math.prod(self.sizes)

    @cached_property
    def contiguous(self) -> bool:
        return is_contiguous(self.sizes, self.strides)

    def is_contiguous(self) -> bool:
        return self.contiguous

    def storage_span(self) -> int:
        """Elements of storage this layout needs: one past the furthest element it reads."""
        return storage_span(self.sizes, self.strides, self.offset)


@cache
def contiguous_strides(sizes: Shape) -> Strides:
    """Row-major strides; size-0 and size-1 dims count as 1, as in PyTorch."""
    strides = [1] * len(sizes)
    for d in range(len(sizes) - 2, -1, -1):
        strides[d] = strides[d + 1] * max(sizes[d + 1], 1)
    return tuple(strides)


@cache
def contiguous_layout(sizes: Shape) -> Layout:
    """The row-major layout of ``sizes`` at offset 0 (one shared immutable value per shape)."""
    return Layout(sizes, contiguous_strides(sizes), 0)


def is_contiguous(sizes: Sequence[int], strides: Sequence[int]) -> bool:
    """PyTorch's rule: row-major order, ignoring size-1 dims; empty tensors are contiguous."""
    if math.prod(sizes) == 0:
        return True
    expected = 1
    for size, stride in zip(reversed(sizes), reversed(strides), strict=True):
        if size == 1:
            continue
        if stride != expected:
            return False
        expected *= size
    return True


def is_channels_last_contiguous(sizes: Sequence[int], strides: Sequence[int]) -> bool:
    """PyTorch's channels-last (NHWC) contiguity, defined for 4-d tensors only."""
    if len(sizes) != 4:
        return False
    expected = 1
    for d in (1, 3, 2, 0):
        if sizes[d] != 1:
            if strides[d] != expected:
                return False
            expected *= sizes[d]
    return True


def channels_last_strides(sizes: Sequence[int]) -> Strides:
    """Strides of a new channels-last 4-d tensor, as PyTorch allocates it."""
    n, c, h, w = sizes
    return (h * w * c, 1, w * c, c)


def is_non_overlapping_and_dense(sizes: Sequence[int], strides: Sequence[int]) -> bool:
    """True when the elements tile one block of storage exactly once, in some dim order.

    As in PyTorch, every contiguous layout counts, empty ones included.
    """
    if is_contiguous(sizes, strides) or is_channels_last_contiguous(sizes, strides):
        return True
    if len(sizes) == 1:
        return sizes[0] < 2 or strides[0] == 1
    # Dims of size < 2 sort last: they never break density.
    order = sorted(
        range(len(sizes)), key=lambda d: (sizes[d] < 2, strides[d] if sizes[d] >= 2 else 0)
    )
    expected = 1
    for d in order:
        if sizes[d] < 2:
            return True
        if strides[d] != expected:
            return False
        expected *= sizes[d]
    return True


def storage_span(sizes: Sequence[int], strides: Sequence[int], offset: int) -> int:
    """Storage elements needed to hold this layout: 0 when it has no elements."""
    if math.prod(sizes) == 0:
        return 0
    return (
        offset + sum((size - 1) * stride for size, stride in zip(sizes, strides, strict=True)) + 1
    )


def wrap_dim(dim: int, ndim: int) -> int:
    """Turn a possibly negative dim into 0..ndim-1; a 0-d tensor accepts 0 and -1, as in PyTorch."""
    if not isinstance(dim, (int, np.integer)) or isinstance(dim, bool):
        raise TypeError(f"dim must be an int, not {type(dim).__name__}")
    rank = max(ndim, 1)
    if not -rank <= dim < rank:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-rank}, {rank - 1}], "
            f"but got {dim})"
        )
    return int(dim) % rank


def infer_size(shape: Sequence[int], numel: int) -> Shape:
    """Resolve one ``-1`` in a requested shape against ``numel`` elements (PyTorch's infer_size)."""
    inferred = None
    known = 1
    for d, size in enumerate(shape):
        if size == -1:
            if inferred is not None:
                raise RuntimeError("only one dimension can be inferred")
            inferred = d
        elif size < 0:
            raise RuntimeError(f"invalid shape dimension {size}")
        else:
            known *= size
    if inferred is not None and known != 0 and numel % known == 0:
        result = list(shape)
        result[inferred] = numel // known
        return tuple(result)
    if inferred is None and known == numel:
        return tuple(shape)
    shape_text = "[" + ", ".join(str(s) for s in shape) + "]"
    message = f"shape '{shape_text}' is invalid for input of size {numel}"
    if inferred is not None and known == 0:
        message += " (a -1 cannot be inferred next to a size-0 dimension)"
    raise RuntimeError(message)


@dataclass(frozen=True)
class ViewPlan:
    """The outcome of PyTorch's ``view`` stride rule for one request.

    ``chunks`` groups the old dims into runs that are contiguous with each other;
    a new dim may not straddle two runs. ``strides`` is None when one does,
    and ``breaking_dim`` then names that new dim.
    """

    strides: Strides | None
    chunks: tuple[tuple[int, ...], ...]
    breaking_dim: int | None


def plan_view(old_sizes: Shape, old_strides: Strides, new_sizes: Shape) -> ViewPlan:
    """PyTorch's ``computeStride``: the strides a view with ``new_sizes`` needs, if it can exist."""
    chunks = contiguous_chunks(old_sizes, old_strides)
    if not old_sizes:
        return ViewPlan((1,) * len(new_sizes), chunks, None)
    numel = math.prod(old_sizes)
    if numel == 0:
        if tuple(old_sizes) == tuple(new_sizes):
            return ViewPlan(tuple(old_strides), chunks, None)
        return ViewPlan(contiguous_strides(new_sizes), chunks, None)

    new_strides = [0] * len(new_sizes)
    view_d = len(new_sizes) - 1
    chunk_base_stride = old_strides[-1]
    tensor_numel = 1
    view_numel = 1
    for tensor_d in range(len(old_sizes) - 1, -1, -1):
        tensor_numel *= old_sizes[tensor_d]
        chunk_ends = tensor_d == 0 or (
            old_sizes[tensor_d - 1] != 1
            and old_strides[tensor_d - 1] != tensor_numel * chunk_base_stride
        )
        if not chunk_ends:
            continue
        straddling = None  # the first new dim that takes the run past this chunk's end
        while view_d >= 0 and (view_numel < tensor_numel or new_sizes[view_d] == 1):
            new_strides[view_d] = view_numel * chunk_base_stride
            view_numel *= new_sizes[view_d]
            if view_numel > tensor_numel and straddling is None:
                straddling = view_d
            view_d -= 1
        if view_numel != tensor_numel:
            return ViewPlan(None, chunks, straddling if straddling is not None else view_d + 1)
        if tensor_d > 0:
            chunk_base_stride = old_strides[tensor_d - 1]
            tensor_numel = 1
            view_numel = 1
    if view_d != -1:
        return ViewPlan(None, chunks, view_d)
    return ViewPlan(tuple(new_strides), chunks, None)


def view_strides(old_sizes: Shape, old_strides: Strides, new_sizes: Shape) -> Strides | None:
    """Strides for viewing ``old`` as ``new_sizes``, or None when ``view`` must fail."""
    return plan_view(tuple(old_sizes), tuple(old_strides), tuple(new_sizes)).strides


def contiguous_chunks(sizes: Sequence[int], strides: Sequence[int]) -> tuple[tuple[int, ...], ...]:
    """Group dims into maximal runs where each dim steps over exactly the dims after it.

    These are the runs PyTorch's ``view`` may merge or split; size-1 dims join any run.
    """
    if not sizes:
        return ()
    chunks: list[list[int]] = [[len(sizes) - 1]]
    chunk_base_stride = strides[-1]
    chunk_numel = sizes[-1]
    for d in range(len(sizes) - 2, -1, -1):
        if sizes[d] == 1 or strides[d] == chunk_numel * chunk_base_stride:
            chunks[-1].insert(0, d)
            chunk_numel *= sizes[d]
        else:
            chunks.append([d])
            chunk_base_stride = strides[d]
            chunk_numel = sizes[d]
    return tuple(tuple(chunk) for chunk in reversed(chunks))


def runs_spanned(
    old_sizes: Sequence[int], chunks: Sequence[Sequence[int]], new_sizes: Sequence[int]
) -> tuple[tuple[int, ...], ...]:
    """For each new dim, the runs (indices into ``chunks``) its elements walk across.

    Like PyTorch's ``computeStride``, dims are matched from the last: a new dim of size s
    whose later dims hold p elements covers the element counts from p up to p·s; run k
    covers the counts of the runs after it up to those times its own element count. A dim
    of size 1 walks nowhere: ``()``.
    """
    bounds: list[tuple[int, int]] = []
    inner = 1
    for chunk in reversed(chunks):
        numel = math.prod(old_sizes[d] for d in chunk)
        bounds.insert(0, (inner, inner * numel))
        inner *= numel
    spanned = []
    inner = 1
    for size in reversed(new_sizes):
        low, high = inner, inner * size
        runs = tuple(k for k, (start, end) in enumerate(bounds) if low < end and high > start)
        spanned.insert(0, runs if size != 1 else ())
        inner = high
    return tuple(spanned)


def broadcast_shapes(*shapes: Sequence[int] | int) -> Shape:
    """PyTorch's broadcasting: align right; each size equal or 1 (an int counts as a 1-d shape)."""
    shapes = tuple((s,) if isinstance(s, (int, np.integer)) else tuple(s) for s in shapes)
    ndim = max((len(s) for s in shapes), default=0)
    result = [1] * ndim
    for shape in shapes:
        for i, size in enumerate(shape):
            d = ndim - len(shape) + i
            if size < 0:
                raise RuntimeError(
                    f"Trying to create tensor with negative dimension {size}: {list(shape)}"
                )
            if size == result[d] or size == 1:
                continue
            if result[d] == 1:
                result[d] = size
            else:
                raise RuntimeError(
                    f"The size of tensor a ({result[d]}) must match the size of tensor b ({size}) "
                    f"at non-singleton dimension {d}: shapes {[list(s) for s in shapes]} "
                    "cannot be broadcast together"
                )
    return tuple(result)


def storage_indices(sizes: Shape, strides: Strides, offset: int) -> np.ndarray:
    """Each element's storage index, ``offset + sum(i_d * stride_d)``, as int64 shaped ``sizes``."""
    indices = np.full(tuple(sizes), offset, dtype=np.int64)
    for d, (size, stride) in enumerate(zip(sizes, strides, strict=True)):
        along_d = [1] * len(sizes)
        along_d[d] = size
        indices += (np.arange(size, dtype=np.int64) * stride).reshape(along_d)
    return indices


def logical_indices_of(
    sizes: Shape, strides: Strides, offset: int, storage_index: int, limit: int | None = None
) -> np.ndarray:
    """Every logical index that reads ``storage_index``: an int64 array of shape (k, ndim), sorted.

    With ``limit``, at most that many of them (a sample for a viewer; :func:`reader_count`
    says how many there are in all).
    """
    found, solving_order, free = _readers_along_moving_dims(sizes, strides, offset, storage_index)
    free_sizes = [sizes[d] for d in free]
    if limit is not None and len(found) * math.prod(free_sizes) > limit:
        found = _first_readers(found, free, free_sizes, limit)
    elif free and len(found):
        found = _with_every_value_of(found, free, free_sizes)
    # Rows come out sorted by the dims in solving order; re-sort only when that order differs.
    if len(found) > 1 and [*solving_order, *free] != list(range(len(sizes))):
        found = found[np.lexsort(found.T[::-1])]
    return found


def reader_count(sizes: Shape, strides: Strides, offset: int, storage_index: int) -> int:
    """How many logical elements read ``storage_index``, without listing them."""
    found, _, free = _readers_along_moving_dims(sizes, strides, offset, storage_index)
    return len(found) * math.prod(sizes[d] for d in free)


def _readers_along_moving_dims(
    sizes: Shape, strides: Strides, offset: int, storage_index: int
) -> tuple[np.ndarray, list[int], list[int]]:
    """The solutions of ``offset + sum(i_d * stride_d) == storage_index`` over the dims that move.

    Solved dim by dim, largest stride first; each dim takes only the values that leave
    a remainder the remaining dims can still reach (an interval), so the work grows
    with the answer, not with the tensor. Dims that do not move through storage
    (stride 0 or size 1) are returned as ``free``: every value of theirs reads the same
    element. Returns the
    rows (0 in the free dims), the moving dims in solving order (the rows are sorted
    by them), and the free dims.
    """
    ndim = len(sizes)
    if math.prod(sizes) == 0:
        return np.zeros((0, ndim), dtype=np.int64), list(range(ndim)), []
    free = [d for d in range(ndim) if strides[d] == 0 or sizes[d] == 1]
    order = sorted((d for d in range(ndim) if d not in free), key=lambda d: -strides[d])
    reach_after = [0] * (len(order) + 1)  # furthest storage step the dims after position p add
    for p in range(len(order) - 1, -1, -1):
        d = order[p]
        reach_after[p] = reach_after[p + 1] + (sizes[d] - 1) * strides[d]
    partial = np.zeros((1, ndim), dtype=np.int64)
    remainder = np.array([storage_index - offset], dtype=np.int64)
    for p, d in enumerate(order):
        # i_d may take the values that leave a remainder in [0, reach_after]: an interval.
        stride = strides[d]
        lowest = np.maximum(0, -((reach_after[p + 1] - remainder) // stride))
        highest = np.minimum(sizes[d] - 1, remainder // stride)
        counts = np.maximum(highest - lowest + 1, 0)
        rows = np.repeat(np.arange(len(partial)), counts)
        starts = np.cumsum(counts) - counts
        picks = lowest[rows] + np.arange(len(rows), dtype=np.int64) - starts[rows]
        partial = partial[rows]
        partial[:, d] = picks
        remainder = remainder[rows] - picks * stride
    return partial[remainder == 0], order, free


def _first_readers(
    found: np.ndarray, free: list[int], free_sizes: list[int], limit: int
) -> np.ndarray:
    """``limit`` rows of :func:`_with_every_value_of`, built without the rest."""
    combos = min(limit, math.prod(free_sizes))
    found = found[: -(-limit // combos)]
    rows = np.repeat(found, combos, axis=0)
    if free:
        values = np.unravel_index(np.arange(combos, dtype=np.int64), free_sizes)
        rows[:, free] = np.tile(np.stack(values, axis=1), (len(found), 1))
    return rows[:limit]


def _with_every_value_of(found: np.ndarray, free: list[int], free_sizes: list[int]) -> np.ndarray:
    """Each row of ``found`` repeated for every combination of the ``free`` dims' values.

    Filled one column at a time by broadcasting: a 16M-row answer takes tens of ms.
    """
    rows, ndim = found.shape
    product = np.empty((rows, *free_sizes, ndim), dtype=np.int64)
    along = [1] * len(free_sizes)
    for d in range(ndim):
        if d in free:
            position = free.index(d)
            shape = [1, *along]
            shape[1 + position] = free_sizes[position]
            product[..., d] = np.arange(free_sizes[position], dtype=np.int64).reshape(shape)
        else:
            product[..., d] = found[:, d].reshape(rows, *along)
    return product.reshape(-1, ndim)


def address_terms(strides: Strides, offset: int, index: Sequence[int]) -> tuple[str, int]:
    """The address formula of one element as text (``"0 + 1·1 + 2·4"``) and its storage index."""
    terms = [str(offset)] + [f"{i}·{stride}" for i, stride in zip(index, strides, strict=True)]
    storage_index = offset + sum(i * stride for i, stride in zip(index, strides, strict=True))
    return " + ".join(terms), storage_index


class Overlap(Enum):
    """How two layouts over one storage share elements (PyTorch's MemOverlapStatus)."""

    NO = "no"
    FULL = "full"
    PARTIAL = "partial"
    TOO_HARD = "too hard"


def has_internal_overlap(sizes: Shape, strides: Strides) -> bool:
    """True when PyTorch knows that two elements of one layout share a storage element.

    Only a stride of 0 on a dim longer than 1 proves it; other overlaps (unfold
    windows, as_strided) are "too hard" for PyTorch and pass unchecked.
    """
    if is_non_overlapping_and_dense(sizes, strides):
        return False
    return any(size > 1 and stride == 0 for size, stride in zip(sizes, strides, strict=True))


def overlap_between(a: Layout, b: Layout) -> Overlap:
    """PyTorch's ``get_overlap_status`` for two layouts known to share one storage."""
    if a.numel == 0 or b.numel == 0:
        return Overlap.NO
    if not (
        is_non_overlapping_and_dense(a.sizes, a.strides)
        and is_non_overlapping_and_dense(b.sizes, b.strides)
    ):
        return Overlap.TOO_HARD
    a_begin, a_end = a.offset, a.offset + a.numel
    b_begin, b_end = b.offset, b.offset + b.numel
    if (a_begin, a_end) == (b_begin, b_end):
        return Overlap.FULL if tuple(a.strides) == tuple(b.strides) else Overlap.PARTIAL
    if a_begin < b_end and b_begin < a_end:
        return Overlap.PARTIAL
    return Overlap.NO
