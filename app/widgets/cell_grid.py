"""A zoomable grid of coloured cells, drawn by level of detail so millions of cells stay fluid.

The grid asks a :class:`CellContent` for colours and texts of the cells it needs, never
for all of them: the colour image holds at most about one sample per screen pixel of
the cells around the view, and text is painted only for the cells in view once they
are big enough to read. Hover, highlight and focus are separate items, so they repaint
without touching the image.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.cell_tiling import TileLabel
from app.theme import ACCENT_COLORS, current_theme
from app.widgets.cell_outline import CellOutline, padded_extent
from app.widgets.cell_sampling import SampleWindow, sampled_colors, window_for_view
from app.widgets.cell_text_layer import CellTextLayer

HIGHLIGHT_OUTLINE_LIMIT = 2000
"""Up to this many highlighted cells are outlined; more are tinted through a mask image."""
MAX_FIT_CELL_PX = 96
"""Zoom to fit never makes a cell bigger than this (a 0-d tensor is not a wall of colour)."""
ZOOM_STEP = 1.25


@dataclass(frozen=True)
class CellTexts:
    """What is written in a block of cells: arrays shaped (rows, cols) of the block.

    ``captions`` is the small line above each value (None: none); ``markers`` (rows,
    cols, m) says which of ``marker_colors`` mark each cell (None: none).
    """

    values: np.ndarray
    captions: np.ndarray | None = None
    markers: np.ndarray | None = None
    marker_colors: tuple[str, ...] = ()


CellTest = Callable[[np.ndarray, np.ndarray], np.ndarray]
"""A question about cells: given rows (nr,) and cols (nc,), a bool (nr, nc) answer."""


class CellContent:
    """What a :class:`CellGrid` shows; subclasses answer for blocks of rows × columns.

    ``caption_rows`` rows above row 0 are kept in view for tile captions, and
    ``label_cols`` columns left of column 0 for row labels.
    """

    rows: int = 0
    cols: int = 0
    caption_rows: int = 0
    label_cols: int = 0
    blend_neighbours: bool = False
    """True when colours may alternate from cell to cell: zoomed out, the grid then shows
    each 2×2 block's mean, not its first cell (4× the sampling cost)."""

    def colors(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """RGBA uint8 (len(rows), len(cols), 4) of cells ``rows`` × ``cols``.

        A cell that shows no element (a gap, outside the grid) is (0, 0, 0, 0).
        """
        raise NotImplementedError

    def occupied(self, row: int, col: int) -> bool:
        """True when cell (row, col) shows an element (not a gap, not outside)."""
        return 0 <= row < self.rows and 0 <= col < self.cols

    def texts(self, rows: np.ndarray, cols: np.ndarray) -> CellTexts | None:
        """The texts of the cells ``rows`` × ``cols`` (None: the cells carry no text)."""
        return None

    def tile_labels(
        self, first_row: int, last_row: int, first_col: int, last_col: int, limit: int
    ) -> list[TileLabel]:
        """Captions of the tiles meeting the given rows and columns (at most ``limit``)."""
        return []

    def row_labels(self, first_row: int, last_row: int, limit: int) -> list[tuple[int, str]]:
        """(row, label) of the labelled rows among ``first..last`` (at most ``limit``)."""
        return []


class CellGrid(QWidget):
    """A zoomable, pannable grid of coloured cells with hover, outlines and readable text.

    Row 0 is on top. Drag pans, the wheel zooms. Cell (row, col) spans x in
    [col, col + 1) and y in [row, row + 1) of the view.
    """

    # 64-bit: a broadcast view can have more than 2**31 - 1 rows or columns.
    cell_hovered = Signal("qlonglong", "qlonglong")
    """(row, col) under the mouse; (-1, -1) over a gap or when the mouse leaves."""
    cell_clicked = Signal("qlonglong", "qlonglong")
    """(row, col) clicked with the left button (never a gap)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.content: CellContent | None = None
        self.hovered_cell: tuple[int, int] = (-1, -1)
        self._window: SampleWindow | None = None
        self._highlight = np.zeros((0, 2), dtype=np.int64)
        self._highlight_test: CellTest | None = None
        self._mask_window: SampleWindow | None = None
        self._bounds_around: QRectF | None = None
        self._fitted = True

        self.graphics_view = pg.GraphicsView(self)
        self.view_box = pg.ViewBox(lockAspect=True, invertY=True, enableMenu=False)
        self.view_box.setMouseEnabled(True, True)
        self.graphics_view.setCentralItem(self.view_box)
        self.graphics_view.setMinimumSize(80, 40)

        # No smoothing: one image pixel is one cell (or one sample of cells) and must stay crisp.
        self._image = pg.ImageItem(axisOrder="row-major")
        self._mask = pg.ImageItem(axisOrder="row-major")
        self._text_layer = CellTextLayer(self)
        self._outline = CellOutline(halo_width=6, line_width=3)
        self._focus = CellOutline(halo_width=9, line_width=5)
        for z, item in enumerate(
            (self._image, self._mask, self._text_layer, self._outline, self._focus)
        ):
            item.setZValue(z)
            self.view_box.addItem(item, ignoreBounds=True)
        self._mask.setVisible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.graphics_view)
        self._apply_palette()

        # Moves are read from the viewport: the scene's sigMouseMoved drops moves closer
        # than 10 ms apart, which could leave the hover on a cell the mouse has left.
        self.graphics_view.viewport().installEventFilter(self)
        self.graphics_view.scene().sigMouseClicked.connect(self._on_mouse_clicked)
        self.view_box.sigRangeChanged.connect(self._on_range_changed)
        self.view_box.sigRangeChangedManually.connect(self._on_user_zoomed)
        self.view_box.sigResized.connect(self._on_resized)

    # -- content ----------------------------------------------------------------------

    def set_content(self, content: CellContent | None) -> None:
        """Show ``content``; the view fits it when its size differs from what was shown."""
        previous = self.content
        resized = (
            previous is None
            or content is None
            or (
                (previous.rows, previous.cols, previous.caption_rows, previous.label_cols)
                != (content.rows, content.cols, content.caption_rows, content.label_cols)
            )
        )
        self.content = content
        self._update_bounds(force=True)
        self.hovered_cell = (-1, -1)
        self.set_focus_cell(-1, -1)
        self.set_highlight(np.zeros((0, 2), dtype=np.int64))
        if resized:
            self.zoom_to_fit()
        self.refresh()

    def refresh(self, colors: bool = True) -> None:
        """Redraw after the content's texts changed, and its colours unless ``colors`` is False.

        The content keeps its rows and columns (else use :meth:`set_content`).
        """
        if colors:
            self._window = None
            self._update_image()
        self._text_layer.update()

    @property
    def sample_window(self) -> SampleWindow | None:
        """The cells the colour image samples now (None while nothing is shown)."""
        return self._window

    def background_color(self) -> QColor:
        """The colour behind the cells (the palette's base colour)."""
        return self.palette().color(QPalette.ColorRole.Base)

    # -- highlight and focus ------------------------------------------------------------

    def set_highlight(self, cells: np.ndarray) -> None:
        """Outline the cells ``cells`` (int (k, 2) of row, col); an empty array clears."""
        cells = np.asarray(cells, dtype=np.int64).reshape(-1, 2)
        self._highlight = cells
        self._highlight_test = None
        outlined = len(cells) <= HIGHLIGHT_OUTLINE_LIMIT
        self._outline.set_cells(cells if outlined else cells[:0])
        self._mask.setVisible(not outlined)
        if not outlined:
            self._update_mask()

    def set_highlight_where(self, test: CellTest) -> None:
        """Tint every cell where ``test`` is True: for highlights too many to list.

        ``test`` is asked only about the cells the colour image samples (again whenever
        the view moves), so a highlight of a trillion cells costs what the screen holds.
        """
        self._highlight = np.zeros((0, 2), dtype=np.int64)
        self._highlight_test = test
        self._outline.set_cells(self._highlight)
        self._mask.setVisible(True)
        self._update_mask()

    def highlighted_cells(self) -> np.ndarray:
        """The (k, 2) cells given to :meth:`set_highlight` last (none after a test)."""
        return self._highlight

    def tinted_cells(self) -> np.ndarray:
        """The sampled cells (int (k, 2) of row, col) that the highlight tints now."""
        window = self._mask_window
        if not self._mask.isVisible() or window is None:
            return np.zeros((0, 2), dtype=np.int64)
        sampled = np.argwhere(self._mask.image[..., 3] > 0)
        return np.stack(
            [window.row0 + window.step * sampled[:, 0], window.col0 + window.step * sampled[:, 1]],
            axis=1,
        )

    def set_focus_cell(self, row: int, col: int) -> None:
        """Emphasise cell (row, col), the one the mouse is over; (-1, -1) clears."""
        self._focus.set_cells(np.array([[row, col]]) if row >= 0 else np.zeros((0, 2)))

    # -- zoom ---------------------------------------------------------------------------

    def zoom_in(self) -> None:
        """Make cells bigger by one step, around the view's centre."""
        self.view_box.scaleBy((1 / ZOOM_STEP, 1 / ZOOM_STEP))
        self._fitted = False

    def zoom_out(self) -> None:
        """Make cells smaller by one step, around the view's centre."""
        self.view_box.scaleBy((ZOOM_STEP, ZOOM_STEP))
        self._fitted = False

    def zoom_to_fit(self) -> None:
        """Show every cell (and tile caption), cells at most ``MAX_FIT_CELL_PX`` wide."""
        self._fitted = True
        content = self.content
        width_px, height_px = self.view_box.width(), self.view_box.height()
        if content is None or width_px < 2 or height_px < 2:
            return
        top, left = -content.caption_rows, -content.label_cols
        cols, rows = max(content.cols - left, 1), max(content.rows - top, 1)
        cell_px = min(0.97 * width_px / cols, 0.97 * height_px / rows, MAX_FIT_CELL_PX)
        half_width, half_height = width_px / cell_px / 2, height_px / cell_px / 2
        center_x, center_y = left + cols / 2, top + rows / 2
        self.view_box.setRange(
            xRange=(center_x - half_width, center_x + half_width),
            yRange=(center_y - half_height, center_y + half_height),
            padding=0,
        )

    def pixels_per_cell(self) -> float:
        """How many screen pixels one cell spans at the present zoom."""
        view = self.view_box.viewRect()
        return self.view_box.width() / view.width() if view.width() else 0.0

    # -- mapping --------------------------------------------------------------------------

    def cell_at(self, position: QPointF) -> tuple[int, int]:
        """The cell at ``position`` (viewport pixels of ``graphics_view``); (-1, -1) if none."""
        scene_position = self.graphics_view.mapToScene(position.toPoint())
        return self._cell_at_scene(scene_position)

    def cell_center(self, row: int, col: int) -> QPoint:
        """The centre of cell (row, col) in viewport pixels of ``graphics_view``."""
        scene_position = self.view_box.mapViewToScene(QPointF(col + 0.5, row + 0.5))
        return self.graphics_view.mapFromScene(scene_position)

    def _cell_at_scene(self, scene_position: QPointF) -> tuple[int, int]:
        # Arithmetic, not item lookup: cell (r, c) covers [c, c+1) × [r, r+1) of the view.
        point = self.view_box.mapSceneToView(scene_position)
        row, col = math.floor(point.y()), math.floor(point.x())
        if self.content is None or not self.content.occupied(row, col):
            return -1, -1
        return row, col

    # -- events ---------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseMove:
            self._set_hovered(self.cell_at(event.position()))
        elif event.type() == QEvent.Type.Leave:
            self._set_hovered((-1, -1))
        return False

    def _on_mouse_clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        row, col = self._cell_at_scene(event.scenePos())
        if row >= 0:
            self.cell_clicked.emit(row, col)

    def _set_hovered(self, cell: tuple[int, int]) -> None:
        if cell == self.hovered_cell:
            return
        self.hovered_cell = cell
        self.set_focus_cell(*cell)
        self.cell_hovered.emit(*cell)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_palette()
        super().changeEvent(event)

    def _on_user_zoomed(self) -> None:
        self._fitted = False

    def _on_resized(self) -> None:
        if self._fitted:
            self.zoom_to_fit()

    def _on_range_changed(self) -> None:
        self._update_bounds()
        self._update_image()

    def _update_bounds(self, force: bool = False) -> None:
        """Bound the text and outline items by the cells around the view.

        Qt culls an item by its bounds in device pixels, 32-bit ints: the bounds of every
        cell of a grid of billions, zoomed in, overflow, and the item is never painted.
        """
        view = self.view_box.viewRect()
        around = self._bounds_around
        if (
            not force
            and around is not None
            and around.contains(view)
            and around.width() <= 6 * view.width()
            and around.height() <= 6 * view.height()
        ):
            return  # a pan within a view's width, or a small zoom: the bounds still serve
        around = view.adjusted(-view.width(), -view.height(), view.width(), view.height())
        self._bounds_around = around
        content = self.content
        extent = QRectF()
        if content is not None:
            top, left = -content.caption_rows, -content.label_cols
            extent = QRectF(left, top, content.cols - left, content.rows - top)
        self._text_layer.set_bounds(extent.intersected(around))
        for outline in (self._outline, self._focus):
            outline.set_bounds(padded_extent(content).intersected(around))

    def _apply_palette(self) -> None:
        background = self.background_color()
        self.graphics_view.setBackground(background)
        accent = QColor(ACCENT_COLORS[current_theme(self.palette())])
        halo = self.palette().color(QPalette.ColorRole.Text)
        for outline in (self._outline, self._focus):
            outline.set_colors(halo, accent)
        self.refresh()

    # -- level of detail ------------------------------------------------------------------

    def _update_image(self) -> None:
        """Sample the content's colours for the cells around the view, if the view left them."""
        content = self.content
        if content is None or content.rows * content.cols == 0:
            self._image.clear()
            self._window = None
            return
        view = self.view_box.viewRect()
        window = window_for_view(
            content.rows,
            content.cols,
            (view.top(), view.left(), view.bottom(), view.right()),
            self.pixels_per_cell(),
            self._window,
        )
        if window is None:
            return
        self._window = window
        self._image.setImage(sampled_colors(content, window), autoLevels=False)
        self._image.setRect(_window_rect(window))
        if self._mask.isVisible():
            self._update_mask()

    def _update_mask(self) -> None:
        """Tint the highlighted cells in the sampled window (too many cells to outline)."""
        window = self._window
        self._mask_window = window
        if window is None:
            self._mask.clear()
            return
        if self._highlight_test is not None:
            hit = self._highlight_test(window.sampled_rows(), window.sampled_cols())
        else:
            hit = self._sampled_highlight(window)
        tint = QColor(ACCENT_COLORS[current_theme(self.palette())])
        rgba = np.array([tint.red(), tint.green(), tint.blue(), 170], dtype=np.uint8)
        # One uint32 word a cell: a boolean scatter of RGBA tuples is several times slower.
        words = np.where(hit, rgba.view(np.uint32)[0], np.uint32(0))
        mask = words.view(np.uint8).reshape(window.row_count, window.col_count, 4)
        self._mask.setImage(mask, autoLevels=False)
        self._mask.setRect(_window_rect(window))

    def _sampled_highlight(self, window: SampleWindow) -> np.ndarray:
        """Bool (row_count, col_count): True where a sample's step × step cells hold a highlight."""
        rows = (self._highlight[:, 0] - window.row0) // window.step
        cols = (self._highlight[:, 1] - window.col0) // window.step
        inside = (rows >= 0) & (rows < window.row_count) & (cols >= 0) & (cols < window.col_count)
        hit = np.zeros(window.samples(), dtype=bool)
        hit[rows[inside] * window.col_count + cols[inside]] = True
        return hit.reshape(window.row_count, window.col_count)


def _window_rect(window: SampleWindow) -> QRectF:
    return QRectF(
        window.col0, window.row0, window.col_count * window.step, window.row_count * window.step
    )
