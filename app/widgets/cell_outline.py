"""The outlines a cell grid draws around its highlighted and focused cells, and where they paint."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QWidget

if TYPE_CHECKING:
    from app.widgets.cell_grid import CellContent


class CellOutline(QGraphicsItem):
    """Outlines around some cells: a halo under an accent line, each a fixed number of
    screen pixels wide, so that one outlined cell stays visible when cells are far smaller
    than a pixel.
    """

    def __init__(self, halo_width: float, line_width: float) -> None:
        super().__init__()
        self._rects: list[QRectF] = []
        self._bounds = QRectF()
        self._pens = [QPen(QColor(), halo_width), QPen(QColor(), line_width)]
        for pen in self._pens:
            pen.setCosmetic(True)
            pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)

    def set_cells(self, cells: np.ndarray) -> None:
        """Outline the cells ``cells`` (int (k, 2) of row, col) instead of the present ones."""
        self._rects = [QRectF(col, row, 1, 1) for row, col in cells.tolist()]
        self.update()

    def set_colors(self, halo: QColor, line: QColor) -> None:
        for pen, color in zip(self._pens, (halo, line), strict=True):
            pen.setColor(color)
        self.update()

    def set_bounds(self, bounds: QRectF) -> None:
        """Where outlines may paint (they never reach past it)."""
        self.prepareGeometryChange()
        self._bounds = bounds

    def outlined_count(self) -> int:
        return len(self._rects)

    def line_color(self) -> QColor:
        return self._pens[1].color()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option, widget: QWidget | None = None) -> None:
        if not self._rects:
            return
        painter.setBrush(Qt.BrushStyle.NoBrush)
        # One call per pen for every cell: per-cell calls would cost a Python round trip each.
        for pen in self._pens:
            painter.setPen(pen)
            painter.drawRects(self._rects)


def padded_extent(content: CellContent | None) -> QRectF:
    """The cells of ``content`` and a margin around them, where outlines may paint.

    Outline pens are a fixed number of pixels wide: zoomed out, they reach many cells
    past the cells they outline.
    """
    if content is None:
        return QRectF()
    margin = max(content.rows, content.cols) * 0.1 + 8
    top, left = -content.caption_rows - margin, -content.label_cols - margin
    return QRectF(left, top, content.cols - left + margin, content.rows - top + margin)
