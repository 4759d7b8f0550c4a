"""Which cells a grid's colour image samples, and their colours: the level of detail.

A grid of up to ``FULL_IMAGE_CELLS`` cells keeps one image pixel per cell. A bigger one
samples only the cells around the view, every ``step``-th one where cells are smaller
than pixels, so the image never holds much more than the screen does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from app.widgets.cell_grid import CellContent

FULL_IMAGE_CELLS = 1 << 20
"""Grids up to this many cells keep one image of every cell; bigger ones sample the view."""


@dataclass(frozen=True)
class SampleWindow:
    """The cells an image samples: rows ``row0 + step·i``, cols ``col0 + step·j``."""

    row0: int
    col0: int
    step: int
    row_count: int
    col_count: int

    def covers(self, top: float, left: float, bottom: float, right: float, step: int) -> bool:
        """True when the window samples every ``step``-th cell of the given span."""
        return (
            step == self.step
            and self.row0 <= top
            and self.col0 <= left
            and bottom <= self.row0 + self.row_count * step
            and right <= self.col0 + self.col_count * step
        )

    def samples(self) -> int:
        return self.row_count * self.col_count

    def sampled_rows(self) -> np.ndarray:
        return self.row0 + self.step * np.arange(self.row_count)

    def sampled_cols(self) -> np.ndarray:
        return self.col0 + self.step * np.arange(self.col_count)


def window_for_view(
    rows: int,
    cols: int,
    view: tuple[float, float, float, float],
    cell_px: float,
    current: SampleWindow | None,
) -> SampleWindow | None:
    """The window to sample for ``view`` (top, left, bottom, right in cells) at ``cell_px``
    screen pixels a cell, or None when ``current`` still serves.
    """
    if rows * cols <= FULL_IMAGE_CELLS:
        whole = SampleWindow(0, 0, 1, rows, cols)
        return None if current == whole else whole
    # At most about one sample per screen pixel: a cell smaller than a pixel is skipped.
    step = max(int(1 / cell_px), 1) if cell_px > 0 else 1
    view_top, view_left, view_bottom, view_right = view
    top, left = max(view_top, 0), max(view_left, 0)
    bottom, right = min(view_bottom, rows), min(view_right, cols)
    # A quarter view of margin on each side, so that small pans reuse the image.
    margin_rows, margin_cols = (view_bottom - view_top) / 4, (view_right - view_left) / 4
    row0 = _aligned(top - margin_rows, step, rows)
    col0 = _aligned(left - margin_cols, step, cols)
    row_end = min(math.ceil(bottom + margin_rows), rows)
    col_end = min(math.ceil(right + margin_cols), cols)
    fresh = SampleWindow(
        row0,
        col0,
        step,
        max(-(-(row_end - row0) // step), 1),
        max(-(-(col_end - col0) // step), 1),
    )
    if (
        current is not None
        and current.covers(top, left, bottom, right, step)
        # After zooming in, a window sampled for a wider view costs paint time: resample.
        and current.samples() <= 4 * fresh.samples()
    ):
        return None
    return fresh


def sampled_colors(content: CellContent, window: SampleWindow) -> np.ndarray:
    """RGBA uint8 (row_count, col_count, 4): the image of ``content`` over ``window``."""
    rows, cols = window.sampled_rows(), window.sampled_cols()
    if window.step == 1:
        return content.colors(rows, cols)
    colors = (
        _blended(content, rows, cols) if content.blend_neighbours else content.colors(rows, cols)
    )
    return _without_gap_lines(content, rows, cols, colors)


def _blended(content: CellContent, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Colours of cells ``rows`` × ``cols``, each the mean of the cell and its right, lower
    and diagonal neighbours.

    For a view where cells are smaller than pixels: a pattern that alternates from one
    cell to the next (every other storage element reached) blends instead of aliasing
    into all or nothing.
    """
    pair = np.array([0, 1])
    block = content.colors(
        (rows[:, np.newaxis] + pair).reshape(-1), (cols[:, np.newaxis] + pair).reshape(-1)
    )
    # Four RGBA bytes per uint32 word: a quarter of each byte (masked so no byte borrows
    # from its neighbour), summed four times, is the mean of each channel within 3/255.
    words = np.ascontiguousarray(block).view(np.uint32)[..., 0]
    quarter = np.uint32(0x3F3F3F3F)
    mean = ((words[0::2, 0::2] >> 2) & quarter) + ((words[0::2, 1::2] >> 2) & quarter)
    mean += ((words[1::2, 0::2] >> 2) & quarter) + ((words[1::2, 1::2] >> 2) & quarter)
    return mean.view(np.uint8).reshape(len(rows), len(cols), 4)


def _without_gap_lines(
    content: CellContent, rows: np.ndarray, cols: np.ndarray, colors: np.ndarray
) -> np.ndarray:
    """``colors`` where every sampled row or column that met only gaps is sampled one cell
    further on.

    Zoomed out, a one-cell gap between tiles is narrower than a pixel: drawn only where a
    sample happens to fall on it, it would flicker in and out while zooming.
    """
    empty_cols = np.flatnonzero(~(colors[..., 3] > 0).any(axis=0))
    if len(empty_cols):
        cols = cols.copy()
        cols[empty_cols] += 1
        colors[:, empty_cols] = content.colors(rows, cols[empty_cols])
    empty_rows = np.flatnonzero(~(colors[..., 3] > 0).any(axis=1))
    if len(empty_rows):
        colors[empty_rows] = content.colors(rows[empty_rows] + 1, cols)
    return colors


def _aligned(start: float, step: int, limit: int) -> int:
    """``start`` rounded down to a multiple of ``step``, within 0..limit: samples stay put."""
    return min(max(math.floor(start) // step * step, 0), max(limit - 1, 0) // step * step)
