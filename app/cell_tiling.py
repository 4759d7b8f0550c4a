"""Where each element of a tensor sits on a 2-D grid of cells (numpy only).

:class:`LogicalTiling` lays an N-d tensor out as 2-D tiles: one dim runs down the rows of
a tile, one across its columns, and every other dim picks a tile (a long 1-D tensor wraps
into rows). The storage side (a flat storage wrapped into rows, which storage elements a
layout reads) is in :mod:`app.storage_geometry`, which shares :data:`GAP` and
:func:`default_row_width` from here. Every mapping is vectorised, and the ``*_block``
functions answer for a block of rows × columns without touching the rest of the tensor,
so a view that samples the cells it can see costs what the screen holds, not what the
tensor holds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

GAP = -1
"""Storage index of a cell that shows no element (between tiles, past the storage's end)."""
WRAP_ABOVE = 64
"""A 1-D tensor of more elements than this wraps into rows of :func:`default_row_width`."""


@dataclass(frozen=True)
class TileLabel:
    """A tile's caption, written above the tile's first cell: ``x[1, :, :]``."""

    row: int
    col: int
    width: int
    height: int
    text: str


@dataclass(frozen=True)
class LogicalTiling:
    """An N-d tensor laid out as a grid of 2-D tiles with a one-cell gap between tiles.

    ``row_dim`` runs down a tile and ``col_dim`` across it (defaults: the last two dims;
    a 0-d tensor is one cell). Every other dim, in order, picks a tile; tiles fill the tile
    grid row by row, as many across as keeps it roughly square.

    A 1-D tensor is one row, or, longer than :data:`WRAP_ABOVE`, one tile wrapped into
    rows of ``wrap_width`` elements (as the storage strip wraps a storage): element ``i``
    sits in cell ``divmod(i, wrap_width)``, so 16M elements make a square, not a line.
    """

    shape: tuple[int, ...]
    label: str = "x"
    row_dim: int | None = None
    col_dim: int | None = None
    slice_dims: tuple[int, ...] = field(init=False)
    tile_height: int = field(init=False)
    tile_width: int = field(init=False)
    tile_count: int = field(init=False)
    tiles_across: int = field(init=False)
    tiles_down: int = field(init=False)
    wrap_width: int | None = field(init=False)
    """Elements per row of a wrapped 1-D tensor; None when nothing wraps."""

    def __post_init__(self) -> None:
        shape = tuple(int(size) for size in self.shape)
        row_dim, col_dim = _resolved_dims(len(shape), self.row_dim, self.col_dim)
        slice_dims = tuple(d for d in range(len(shape)) if d not in (row_dim, col_dim))
        height = 1 if row_dim is None else shape[row_dim]
        width = 1 if col_dim is None else shape[col_dim]
        wrap_width = None
        if len(shape) == 1 and shape[0] > WRAP_ABOVE:
            wrap_width = default_row_width(shape[0])
            height, width = -(-shape[0] // wrap_width), wrap_width
        tile_count = math.prod(shape[d] for d in slice_dims) if height * width else 0
        across = _tiles_across(tile_count, height, width)
        values = {
            "shape": shape,
            "row_dim": row_dim,
            "col_dim": col_dim,
            "slice_dims": slice_dims,
            "tile_height": height,
            "tile_width": width,
            "tile_count": tile_count,
            "tiles_across": across,
            "tiles_down": -(-tile_count // across) if across else 0,
            "wrap_width": wrap_width,
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)

    @property
    def rows(self) -> int:
        """Rows of cells, gaps included."""
        return max(self.tiles_down * (self.tile_height + 1) - 1, 0)

    @property
    def cols(self) -> int:
        """Columns of cells, gaps included."""
        return max(self.tiles_across * (self.tile_width + 1) - 1, 0)

    @property
    def slice_shape(self) -> tuple[int, ...]:
        return tuple(self.shape[d] for d in self.slice_dims)

    # -- logical index -> cell ------------------------------------------------------

    def cells_of(self, indices: np.ndarray) -> np.ndarray:
        """The (row, col) cell of each logical index in ``indices`` (k, ndim): int64 (k, 2)."""
        indices = np.asarray(indices, dtype=np.int64)
        if indices.ndim != 2:
            indices = indices.reshape(-1, len(self.shape))
        if self.wrap_width is not None:
            return np.stack(np.divmod(indices[:, 0], self.wrap_width), axis=1)
        tile = np.zeros(len(indices), dtype=np.int64)
        for d in self.slice_dims:
            tile = tile * self.shape[d] + indices[:, d]
        tile_row, tile_col = np.divmod(tile, max(self.tiles_across, 1))
        row = tile_row * (self.tile_height + 1)
        col = tile_col * (self.tile_width + 1)
        if self.row_dim is not None:
            row = row + indices[:, self.row_dim]
        if self.col_dim is not None:
            col = col + indices[:, self.col_dim]
        return np.stack([row, col], axis=1)

    def tile(self, values: np.ndarray, fill: object) -> np.ndarray:
        """``values`` (shaped like the tensor) laid out as the (rows, cols) image of cells.

        Gap cells get ``fill``.
        """
        values = np.asarray(values).reshape(self.shape)
        if self.tile_count == 0:
            return np.empty((0, 0), dtype=values.dtype)
        if self.wrap_width is not None:
            wrapped = np.full(self.rows * self.cols, fill, dtype=values.dtype)
            wrapped[: len(values)] = values
            return wrapped.reshape(self.rows, self.cols)
        in_dims = [*self.slice_dims, self.row_dim, self.col_dim]
        tiles = np.transpose(values, [d for d in in_dims if d is not None]).reshape(
            self.tile_count, self.tile_height, self.tile_width
        )
        if self.tile_count == 1:
            return tiles[0].copy()
        padded = np.full(
            (self.tiles_down * self.tiles_across, self.tile_height + 1, self.tile_width + 1),
            fill,
            dtype=values.dtype,
        )
        padded[: self.tile_count, : self.tile_height, : self.tile_width] = tiles
        grid = padded.reshape(
            self.tiles_down, self.tiles_across, self.tile_height + 1, self.tile_width + 1
        ).transpose(0, 2, 1, 3)
        return grid.reshape(self.rows + 1, self.cols + 1)[: self.rows, : self.cols]

    def storage_image(self, storage_index_array: np.ndarray) -> np.ndarray:
        """The (rows, cols) int64 image of ``t.storage_indices()``, GAP in the gaps."""
        return self.tile(np.asarray(storage_index_array, dtype=np.int64), GAP)

    # -- cell -> logical index ------------------------------------------------------

    def logical_index_at(self, row: int, col: int) -> tuple[int, ...] | None:
        """The logical index shown in cell (row, col), or None for a gap or outside the grid."""
        indices, shown = self.logical_indices_block(np.array([row]), np.array([col]))
        return tuple(int(i) for i in indices[0, 0]) if shown[0, 0] else None

    def logical_indices_block(
        self, rows: np.ndarray, cols: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Logical indices of every cell in ``rows`` × ``cols``: (nr, nc, ndim) and a shown mask.

        Where the mask is False (gaps, outside the grid) the index is meaningless.
        """
        tile, row_in, col_in, shown = self._block_parts(rows, cols)
        indices = np.zeros((*shown.shape, len(self.shape)), dtype=np.int64)
        for d, position in zip(self.slice_dims, self._slice_positions(tile), strict=True):
            indices[..., d] = position
        if self.wrap_width is not None:
            indices[..., 0] = self._wrapped_index(row_in, col_in)
            return indices, shown
        if self.row_dim is not None:
            indices[..., self.row_dim] = row_in[:, np.newaxis]
        if self.col_dim is not None:
            indices[..., self.col_dim] = col_in[np.newaxis, :]
        return indices, shown

    def storage_index_block(
        self, rows: np.ndarray, cols: np.ndarray, strides: tuple[int, ...], offset: int
    ) -> np.ndarray:
        """Storage index of every cell in ``rows`` × ``cols`` for a layout of ``strides`` and
        ``offset``: int64 (nr, nc), GAP where no element is shown.

        Equals ``storage_image(t.storage_indices())[np.ix_(rows, cols)]`` but costs only
        the block: rows and columns add separately, the tile adds its slice's offset.
        """
        tile, row_in, col_in, shown = self._block_parts(rows, cols)
        index = np.full(shown.shape, offset, dtype=np.int64)
        for d, position in zip(self.slice_dims, self._slice_positions(tile), strict=True):
            index += position * strides[d]
        if self.wrap_width is not None:
            index += self._wrapped_index(row_in, col_in) * strides[0]
        else:
            if self.row_dim is not None:
                index += (row_in * strides[self.row_dim])[:, np.newaxis]
            if self.col_dim is not None:
                index += (col_in * strides[self.col_dim])[np.newaxis, :]
        index[~shown] = GAP
        return index

    def _block_parts(
        self, rows: np.ndarray, cols: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """For a block: tile number (nr, nc) or (1, 1) when there is one tile, row in tile
        (nr,), col in tile (nc,), shown mask (nr, nc).
        """
        rows = np.asarray(rows, dtype=np.int64)
        cols = np.asarray(cols, dtype=np.int64)
        tile_row, row_in = np.divmod(rows, self.tile_height + 1)
        tile_col, col_in = np.divmod(cols, self.tile_width + 1)
        row_ok = (rows >= 0) & (row_in < self.tile_height) & (tile_row < self.tiles_down)
        col_ok = (cols >= 0) & (col_in < self.tile_width) & (tile_col < self.tiles_across)
        shown = row_ok[:, np.newaxis] & col_ok[np.newaxis, :]
        if self.wrap_width is not None:
            shown &= self._wrapped_index(row_in, col_in) < self.shape[0]  # the last row's end
        if self.tile_count <= 1:
            # One tile (a matrix, a vector): no per-cell tile number, which a hover over a
            # million sampled cells would pay for twice.
            return np.zeros((1, 1), dtype=np.int64), row_in, col_in, shown
        tile = tile_row[:, np.newaxis] * self.tiles_across + tile_col[np.newaxis, :]
        shown &= tile < self.tile_count
        return np.where(shown, tile, 0), row_in, col_in, shown

    def _wrapped_index(self, row_in: np.ndarray, col_in: np.ndarray) -> np.ndarray:
        """The 1-D index of each cell of a wrapped tensor: (nr, nc) from rows (nr,), cols (nc,)."""
        return row_in[:, np.newaxis] * self.wrap_width + col_in[np.newaxis, :]

    def _slice_positions(self, tile: np.ndarray) -> list[np.ndarray]:
        """The index along each slice dim of each tile number (row-major over slice dims)."""
        positions = []
        for d in reversed(self.slice_dims):
            tile, position = np.divmod(tile, self.shape[d])
            positions.append(position)
        return positions[::-1]

    # -- tile captions --------------------------------------------------------------

    def tile_label(self, tile: int) -> str:
        """The caption of tile ``tile``: the tensor's label indexed by the tile's slice."""
        positions = iter(int(p) for p in self._slice_positions(np.array(tile)))
        parts = [
            ":" if d in (self.row_dim, self.col_dim) else str(next(positions))
            for d in range(len(self.shape))
        ]
        return f"{self.label}[{', '.join(parts)}]"

    def tile_labels_in(
        self, first_row: int, last_row: int, first_col: int, last_col: int, limit: int
    ) -> list[TileLabel]:
        """Captions of the tiles that meet rows/cols ``first..last`` (inclusive), at most ``limit``.

        Empty when the tensor has no slice dims (one tile needs no caption) or when more
        than ``limit`` tiles meet the range.
        """
        if not self.slice_dims or not self.tile_count:
            return []
        # A caption sits in the row above its tile, so a tile just below the range counts.
        down = range(
            max(first_row // (self.tile_height + 1), 0),
            min((last_row + 1) // (self.tile_height + 1), self.tiles_down - 1) + 1,
        )
        across = range(
            max(first_col // (self.tile_width + 1), 0),
            min(last_col // (self.tile_width + 1), self.tiles_across - 1) + 1,
        )
        if len(down) * len(across) > limit:
            return []
        return [
            TileLabel(
                tile_row * (self.tile_height + 1),
                tile_col * (self.tile_width + 1),
                self.tile_width,
                self.tile_height,
                self.tile_label(tile_row * self.tiles_across + tile_col),
            )
            for tile_row in down
            for tile_col in across
            if tile_row * self.tiles_across + tile_col < self.tile_count
        ]

    def row_labels_in(self, first_row: int, last_row: int, limit: int) -> list[tuple[int, str]]:
        """(row, first index in the row) of a wrapped 1-D tensor's rows ``first..last``
        (inclusive), at most ``limit``; empty when nothing wraps or more rows meet the range.
        """
        if self.wrap_width is None:
            return []
        rows = range(max(first_row, 0), min(last_row, self.rows - 1) + 1)
        if len(rows) > limit:
            return []
        return [(row, str(row * self.wrap_width)) for row in rows]


def _resolved_dims(ndim: int, row_dim: int | None, col_dim: int | None) -> tuple[int | None, ...]:
    """Row and column dims made non-negative, defaulting to the last two."""
    if ndim == 0:
        return None, None
    if ndim == 1:
        return None, 0
    row_dim = ndim - 2 if row_dim is None else row_dim
    col_dim = ndim - 1 if col_dim is None else col_dim
    for dim in (row_dim, col_dim):
        if not -ndim <= dim < ndim:
            raise IndexError(f"dim {dim} is out of range for a {ndim}-d tensor")
    row_dim, col_dim = row_dim % ndim, col_dim % ndim
    if row_dim == col_dim:
        raise ValueError(f"the row dim and the column dim must differ (both are {row_dim})")
    return row_dim, col_dim


def _tiles_across(tile_count: int, height: int, width: int) -> int:
    """How many tiles per tile row make the whole grid closest to square."""
    if tile_count <= 1:
        return tile_count
    ideal = math.sqrt(tile_count * (height + 1) / (width + 1))
    candidates = range(max(math.floor(ideal) - 1, 1), min(math.ceil(ideal) + 1, tile_count) + 1)

    def lopsidedness(across: int) -> float:
        grid_width = across * (width + 1) - 1
        grid_height = -(-tile_count // across) * (height + 1) - 1
        return abs(math.log(grid_width / grid_height))

    return min(candidates, key=lopsidedness)


def default_row_width(element_count: int) -> int:
    """A readable strip width: one row up to 16 elements, 16 up to 256, then a power of two
    near the square root, so that row starts fall on round storage indices.
    """
    if element_count <= 16:
        return max(element_count, 1)
    return max(16, 2 ** round(math.log2(math.sqrt(element_count))))
