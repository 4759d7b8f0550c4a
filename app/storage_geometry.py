"""Where each element of a flat storage sits on a 2-D grid of cells, and which a layout reads.

:class:`StorageWrapping` wraps a flat storage into rows. :class:`StorageReach` tells
which storage elements a layout (sizes, strides, offset) reads, and :func:`reach_mask`
marks them over the whole storage. numpy only, like :mod:`app.cell_tiling`, whose
:data:`GAP` and :func:`default_row_width` it shares. Every mapping is vectorised, and
``storage_index_block`` answers for a block of rows × columns without touching the rest
of the storage.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from app.cell_tiling import GAP, default_row_width


@dataclass(frozen=True)
class StorageWrapping:
    """A flat storage of ``element_count`` elements wrapped into rows of ``width`` cells."""

    element_count: int
    width: int

    def __post_init__(self) -> None:
        if self.width < 1:
            raise ValueError(f"a row holds at least one element, not {self.width}")

    @classmethod
    def readable(cls, element_count: int) -> StorageWrapping:
        """The wrapping with :func:`default_row_width`."""
        return cls(element_count, default_row_width(element_count))

    @property
    def rows(self) -> int:
        return -(-self.element_count // self.width)

    @property
    def cols(self) -> int:
        return self.width if self.element_count else 0

    def cells_of(self, storage_index_array: np.ndarray) -> np.ndarray:
        """The (row, col) cell of each storage index: int64 (m, 2)."""
        index = np.asarray(storage_index_array, dtype=np.int64).reshape(-1)
        return np.stack(np.divmod(index, self.width), axis=1)

    def storage_index_at(self, row: int, col: int) -> int | None:
        """The storage index in cell (row, col), or None past the end or outside the strip."""
        if not 0 <= col < self.width or row < 0:
            return None
        index = row * self.width + col
        return index if index < self.element_count else None

    def storage_index_block(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Storage index of every cell in ``rows`` × ``cols``: int64 (nr, nc), GAP past the end."""
        rows = np.asarray(rows, dtype=np.int64)[:, np.newaxis]
        cols = np.asarray(cols, dtype=np.int64)[np.newaxis, :]
        index = rows * self.width + cols
        inside = (rows >= 0) & (cols >= 0) & (cols < self.width) & (index < self.element_count)
        return np.where(inside, index, GAP)


class StorageReach:
    """Which storage elements a layout (sizes, strides, offset) reads, asked for any indices.

    Most layouts are *nested*: sorted by stride, each dim steps over everything the
    smaller dims reach, so every storage index has at most one mixed-radix reading and
    the answer is arithmetic on the asked indices alone. Other layouts (``unfold`` with
    overlapping windows, ``as_strided``) build a :func:`reach_mask` of the storage once,
    lazily: its cost follows the storage, never the (possibly far larger) view.
    """

    def __init__(
        self, sizes: tuple[int, ...], strides: tuple[int, ...], offset: int, element_count: int
    ) -> None:
        self.sizes, self.strides, self.offset = tuple(sizes), tuple(strides), int(offset)
        self.element_count = int(element_count)
        self.empty = math.prod(self.sizes) == 0
        # Dims of size 1 or stride 0 (expand) add no storage element.
        moving = sorted(
            (stride, size)
            for size, stride in zip(sizes, strides, strict=True)
            if size > 1 and stride != 0
        )
        nested = all(
            bigger[0] >= smaller[0] * smaller[1]
            for smaller, bigger in zip(moving, moving[1:], strict=False)
        )
        self._radix = moving[::-1] if nested else None
        # Dense (a permuted contiguous block): the reach is one range, two comparisons.
        dense = nested and all(
            stride == math.prod(size for _, size in moving[:position])
            for position, (stride, _) in enumerate(moving)
        )
        span = math.prod(size for _, size in moving)
        self._range = (self.offset, self.offset + span) if dense else None
        self._mask: np.ndarray | None = None

    def reached(self, storage_index_array: np.ndarray) -> np.ndarray:
        """True where the layout reads the storage index (any shape; GAP is never read)."""
        index = np.asarray(storage_index_array, dtype=np.int64)
        if self.empty:
            return np.zeros(index.shape, dtype=bool)
        if self._range is not None:
            return (index >= self._range[0]) & (index < self._range[1])
        if self._radix is None:
            inside = (index >= 0) & (index < self.element_count)
            return inside & self._reach_mask()[np.where(inside, index, 0)]
        remainder = index - self.offset
        reached = remainder >= 0
        for stride, size in self._radix:
            steps = remainder // stride
            reached &= steps < size
            remainder = remainder - np.minimum(steps, size - 1) * stride
        return reached & (remainder == 0)

    def _reach_mask(self) -> np.ndarray:
        if self._mask is None:
            self._mask = reach_mask(self.sizes, self.strides, self.offset, self.element_count)
        return self._mask


def reach_mask(
    sizes: tuple[int, ...], strides: tuple[int, ...], offset: int, element_count: int
) -> np.ndarray:
    """True at each of ``element_count`` storage elements the layout reads: bool (element_count,).

    Built over the storage, not over the view: the set starts as ``{offset}``, and each
    dim of size ``s`` and stride ``st`` spreads it into its union with the set shifted by
    ``st·i`` for every ``i < s``, taken by doubling (shifts of 1, 2, 4, … strides). A dim
    costs O(span · log s), so ``arange(10**6).unfold(0, 2000, 1)`` (2·10^9 elements)
    costs what its million-element storage does. Strides are non-negative, as in PyTorch.
    """
    mask = np.zeros(element_count, dtype=bool)
    if math.prod(sizes) == 0:
        return mask
    moving = sorted(
        (stride, size) for size, stride in zip(sizes, strides, strict=True) if size > 1 and stride
    )
    span = sum(stride * (size - 1) for stride, size in moving)
    reached = mask[offset : offset + span + 1]  # a view: writes land in ``mask``
    reached[0] = True
    extent = 1  # the set so far lies in reached[:extent]
    for stride, size in moving:
        covered = 1  # shifts by 0 .. covered-1 strides are in the set
        while covered < size:
            shift = min(covered, size - covered) * stride
            # In and out overlap: numpy reads the old set before writing (a union, not a smear).
            reached[shift : extent + shift] |= reached[:extent]
            extent += shift
            covered += shift // stride
    return mask
