"""The text of a cell grid: values, captions, markers, grid lines and tile captions.

One graphics item paints all of it, for the cells in view only, and only when cells are
big enough on screen to read; the number of cells it ever paints is bounded by the
screen, never by the tensor.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontInfo, QFontMetricsF, QPainter, QPen, QTransform
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QStyleOptionGraphicsItem, QWidget

if TYPE_CHECKING:
    from app.cell_tiling import TileLabel
    from app.widgets.cell_grid import CellGrid

GRID_LINE_MIN_CELL_PX = 6
"""Grid lines between cells appear from this cell size (screen pixels) up."""
TEXT_MIN_CELL_PX = 18
"""Values appear in cells from this size up."""
TEXT_MAX_CELLS = 4000
"""Above this many cells in view, values are left out (they would be unreadable anyway)."""
CAPTION_MIN_CELL_PX = 44
"""Each cell's small caption (its index) appears from this size up."""
MIN_VALUE_PX = 7
"""Values that would be smaller than this many pixels are left out."""
MIN_CAPTION_PX = 8
"""Captions that would be smaller than this many pixels are left out."""
TILE_LABEL_LIMIT = 300
"""At most this many tile captions are painted at once."""
ROW_LABEL_MIN_CELL_PX = 14
"""Row labels (left of column 0) appear from this cell size up."""
TILE_LABEL_TEXT = (0.9, 1.5)
"""A tile caption's size follows the cells between these multiples of the widget's text size
(which presenter mode makes larger)."""
ROW_LABEL_MAX_TEXT = 1.25
"""A row label follows the cells up to this multiple of the widget's text size."""


DARK_INK = QColor("#141414")
LIGHT_INK = QColor("#ffffff")


def _faded(ink: QColor) -> QColor:
    """``ink`` at two-thirds opacity: for the small caption under a value's full ink."""
    return QColor(ink.red(), ink.green(), ink.blue(), 175)


def contrasting_text(colors: np.ndarray) -> np.ndarray:
    """True where dark text reads better than light text on RGBA ``colors`` (..., 4).

    Uses relative luminance (sRGB weights, without linearising: close enough to choose
    between black and white).
    """
    luminance = colors[..., :3].astype(np.float32) @ np.array([0.2126, 0.7152, 0.0722], "f4")
    return luminance > 150


def fitted_pixel_size(font: QFont, widest: str, width: float, height: float) -> float:
    """The pixel size at which ``widest`` fits ``width`` and a line fits ``height``."""
    probe = QFont(font)
    probe.setPixelSize(100)
    advance = max(QFontMetricsF(probe).horizontalAdvance(widest), 1.0)
    return min(height, 100 * width / advance)


class CellTextLayer(QGraphicsObject):
    """Paints the readable details of a :class:`CellGrid` over its colour image."""

    def __init__(self, grid: CellGrid) -> None:
        super().__init__()
        self._grid = grid
        self._bounds = QRectF()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        # Hover repaints the outline items above; this layer's pixels come from the cache.
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def set_bounds(self, bounds: QRectF) -> None:
        """Where the text may paint: the grid's cells, captions and labels around the view."""
        self.prepareGeometryChange()
        self._bounds = bounds

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        content = self._grid.content
        transform = painter.transform()
        cell_px = math.hypot(transform.m11(), transform.m12())
        if content is None or transform.m21():
            return
        exposed = option.exposedRect.intersected(self._grid.view_box.viewRect())
        painter.save()
        # Restored however painting ends: an unbalanced save leaves the painter broken.
        try:
            # Text is laid out in device pixels: a font scaled by the view would be blurry.
            painter.setWorldTransform(QTransform())
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
            self._paint_in(painter, transform, cell_px, exposed)
        finally:
            painter.restore()

    def _paint_in(
        self, painter: QPainter, transform: QTransform, cell_px: float, exposed: QRectF
    ) -> None:
        """Everything readable at ``cell_px`` pixels a cell in ``exposed`` (view coordinates)."""
        content = self._grid.content
        first_row, first_col = max(math.floor(exposed.top()), 0), max(math.floor(exposed.left()), 0)
        end_row = min(math.ceil(exposed.bottom()), content.rows)
        end_col = min(math.ceil(exposed.right()), content.cols)
        # Ranges only once cells are this big: then the view holds few of them, while
        # zoomed out it can span billions of columns.
        if cell_px >= GRID_LINE_MIN_CELL_PX and end_row > first_row and end_col > first_col:
            rows = np.arange(first_row, end_row)
            cols = np.arange(first_col, end_col)
            self._paint_grid_lines(painter, transform, rows, cols)
            if cell_px >= TEXT_MIN_CELL_PX and len(rows) * len(cols) <= TEXT_MAX_CELLS:
                self._paint_cells(painter, transform, cell_px, rows, cols)
        labels = content.tile_labels(
            math.floor(exposed.top()),
            math.ceil(exposed.bottom()),
            math.floor(exposed.left()),
            math.ceil(exposed.right()),
            TILE_LABEL_LIMIT,
        )
        if labels:
            self._paint_tile_labels(painter, transform, cell_px, labels)
        if cell_px >= ROW_LABEL_MIN_CELL_PX and exposed.left() < 0:
            row_labels = content.row_labels(
                math.floor(exposed.top()), math.ceil(exposed.bottom()), TILE_LABEL_LIMIT
            )
            if row_labels:
                self._paint_row_labels(painter, transform, cell_px, row_labels)

    def _paint_grid_lines(
        self, painter: QPainter, transform: QTransform, rows: np.ndarray, cols: np.ndarray
    ) -> None:
        top, bottom = _device_span(transform.m22(), transform.dy(), rows[0], rows[-1] + 1)
        left, right = _device_span(transform.m11(), transform.dx(), cols[0], cols[-1] + 1)
        lines = [
            QLineF(x, top, x, bottom)
            for x in transform.m11() * np.append(cols, cols[-1] + 1) + transform.dx()
        ]
        lines += [
            QLineF(left, y, right, y)
            for y in transform.m22() * np.append(rows, rows[-1] + 1) + transform.dy()
        ]
        painter.setPen(QPen(self._grid.background_color(), 1))
        painter.drawLines(lines)

    def _paint_cells(
        self,
        painter: QPainter,
        transform: QTransform,
        cell_px: float,
        rows: np.ndarray,
        cols: np.ndarray,
    ) -> None:
        """Each shown cell's value, caption and markers, in ink that contrasts with its fill."""
        content = self._grid.content
        texts = content.texts(rows, cols)
        if texts is None:
            return
        fills = content.colors(rows, cols)
        cells = np.argwhere(fills[..., 3] > 0)
        at = (cells[:, 0], cells[:, 1])
        lefts = np.minimum(transform.m11() * cols, transform.m11() * (cols + 1)) + transform.dx()
        tops = np.minimum(transform.m22() * rows, transform.m22() * (rows + 1)) + transform.dy()
        boxes = [QRectF(lefts[j], tops[i], cell_px, cell_px) for i, j in cells.tolist()]
        inks = [DARK_INK if dark else LIGHT_INK for dark in contrasting_text(fills)[at].tolist()]
        inset = cell_px * 0.07
        width = cell_px - 2 * inset
        captions = texts.captions[at].tolist() if texts.captions is not None else None
        caption_font = None
        if captions is not None and cell_px >= CAPTION_MIN_CELL_PX:
            caption_font = self._fitted_font(captions, width, cell_px * 0.22)
            if caption_font.pixelSize() < MIN_CAPTION_PX:
                caption_font = None  # a caption too small to read is noise
        value_top = cell_px * 0.3 if caption_font else 0.0
        values = texts.values[at].tolist()
        value_font = self._fitted_font(
            values, width, cell_px * (0.36 if caption_font else 0.42), QFont.Weight.DemiBold
        )
        # Passes, not cells, in the outer loop: one font change per pass.
        if value_font.pixelSize() >= MIN_VALUE_PX:
            painter.setFont(value_font)
            for box, ink, value in zip(boxes, inks, values, strict=True):
                painter.setPen(ink)
                painter.drawText(
                    box.adjusted(inset, value_top, -inset, 0), Qt.AlignmentFlag.AlignCenter, value
                )
        if caption_font:
            # The caption stays the value's footnote, smaller than the value.
            caption_font.setPixelSize(
                max(
                    min(caption_font.pixelSize(), round(value_font.pixelSize() * 0.7)),
                    MIN_CAPTION_PX,
                )
            )
            painter.setFont(caption_font)
            for box, ink, caption in zip(boxes, inks, captions, strict=True):
                painter.setPen(_faded(ink))
                painter.drawText(
                    box.adjusted(inset, inset * 0.6, -inset, 0),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                    caption,
                )
        if texts.markers is not None:
            self._paint_markers(painter, boxes, inks, texts.markers[at], texts.marker_colors)

    def _fitted_font(
        self,
        strings: list[str],
        width: float,
        height: float,
        weight: QFont.Weight = QFont.Weight.Normal,
    ) -> QFont:
        """The widget's font at the largest pixel size where every string fits one cell."""
        font = QFont(self._grid.font())
        font.setWeight(weight)
        widest = max(strings, key=len, default="")
        font.setPixelSize(max(round(fitted_pixel_size(font, widest, width, height)), 1))
        return font

    def _paint_markers(
        self,
        painter: QPainter,
        boxes: list[QRectF],
        inks: list[QColor],
        markers: np.ndarray,
        colors: tuple[str, ...],
    ) -> None:
        """Small squares along each cell's bottom edge, one per marker the cell carries."""
        brushes = [QColor(color) for color in colors]
        for box, ink, marked in zip(boxes, inks, markers, strict=True):
            size = max(box.width() * 0.14, 4.0)
            x = box.left() + box.width() * 0.07
            y = box.bottom() - box.height() * 0.07 - size
            painter.setPen(QPen(ink, 1))
            for m in np.flatnonzero(marked).tolist():
                painter.setBrush(brushes[m])
                painter.drawRect(QRectF(x, y, size, size))
                x += size * 1.3

    def _paint_tile_labels(
        self, painter: QPainter, transform: QTransform, cell_px: float, labels: list[TileLabel]
    ) -> None:
        """Each tile's caption in the gap row above it, where it fits beside the tile."""
        font = QFont(self._grid.font())
        text_px = QFontInfo(font).pixelSize()
        smallest, largest = (text_px * factor for factor in TILE_LABEL_TEXT)
        wanted = min(max(cell_px * 0.75, smallest), largest)
        background = QColor(self._grid.background_color())
        background.setAlpha(215)
        text_color = self._grid.palette().color(self._grid.foregroundRole())
        for label in labels:
            # Smaller where the tile is narrow or the gap row above it low, down to the
            # smallest readable size (text in larger fonts would not fit where it did).
            font.setPixelSize(round(wanted))
            metrics = QFontMetricsF(font)
            room = min(
                1.0,
                (label.width * cell_px) / (metrics.horizontalAdvance(label.text) + 8),
                min(cell_px, label.height * cell_px / 2.5) / (metrics.height() + 2),
            )
            font.setPixelSize(max(math.floor(wanted * room), 1))
            metrics = QFontMetricsF(font)
            width = metrics.horizontalAdvance(label.text) + 8
            height = metrics.height() + 2
            too_small = font.pixelSize() < min(smallest, wanted)
            if too_small or label.width * cell_px < width or label.height * cell_px < 2.5 * height:
                continue  # the caption would hide the tile it names
            painter.setFont(font)
            anchor = transform.map(QPointF(label.col, label.row))
            # Centred on the gap row above the tile, whatever the zoom.
            box = QRectF(anchor.x(), anchor.y() - cell_px / 2 - height / 2, width, height)
            painter.fillRect(box, background)
            painter.setPen(text_color)
            painter.drawText(box.adjusted(4, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, label.text)

    def _paint_row_labels(
        self,
        painter: QPainter,
        transform: QTransform,
        cell_px: float,
        labels: list[tuple[int, str]],
    ) -> None:
        """Each row's label right-aligned in the columns left of column 0."""
        content = self._grid.content
        font = QFont(self._grid.font())
        largest = QFontInfo(font).pixelSize() * ROW_LABEL_MAX_TEXT
        font.setPixelSize(round(min(cell_px * 0.6, largest)))  # within the row, under the values
        painter.setFont(font)
        painter.setPen(self._grid.palette().color(self._grid.foregroundRole()))
        width = content.label_cols * cell_px
        for row, text in labels:
            right = transform.map(QPointF(0, row))
            box = QRectF(right.x() - width, right.y(), width - cell_px * 0.25, cell_px)
            painter.drawText(box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)


def _device_span(scale: float, shift: float, first: float, end: float) -> tuple[float, float]:
    """Device coordinates of the span ``first..end`` along one axis, smaller first."""
    a, b = scale * first + shift, scale * end + shift
    return min(a, b), max(a, b)
