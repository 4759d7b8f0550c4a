"""Presenter mode's memory views and graph: cells zoomed up for the room, the height shared
by rows of cells; and their zoom put back after.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, QTimer
from PySide6.QtGui import QTransform
from PySide6.QtWidgets import QWidget

from app.widgets.cell_grid import ZOOM_STEP, CellGrid
from app.widgets.graph_panel import GraphPanel

if TYPE_CHECKING:
    from app.main_window import MemoryPanel

PRESENTER_CELL_PX = 150
"""Presenting, the memory views zoom their cells up to this size while all of them stay in view
(about :data:`app.presenter.FONT_SCALE` times the largest cell zoom to fit makes)."""


@dataclass
class GridZoom:
    """A memory view's zoom: fitted to its area, or a range of cells the user zoomed to."""

    grid: CellGrid
    fitted: bool
    view: QRectF

    @classmethod
    def of(cls, grid: CellGrid) -> GridZoom:
        """``grid``'s zoom now."""
        view = grid.view_box.viewRect()
        # A fitted view stays where zoom to fit puts it: asking again tells the two apart.
        # (Either way the presenter zooms the grid next.)
        grid.zoom_to_fit()
        return cls(grid, grid.view_box.viewRect() == view, view)

    def put_back(self) -> None:
        """Zoom as before: fitted (and refitted on a resize), or to the same cells."""
        if self.fitted:
            self.grid.zoom_to_fit()
            return
        # Zooming marks the view as zoomed by hand, so a resize keeps its cells; the
        # range then puts back the exact cells, which the restored size shows as before.
        self.grid.zoom_in()
        self.grid.view_box.setRange(rect=self.view, padding=0)


def zoom_for_room(grid: CellGrid) -> None:
    """Fit ``grid``, then make its cells larger, up to ``PRESENTER_CELL_PX``, while every cell
    (and caption) stays in view."""
    grid.zoom_to_fit()
    content = grid.content
    cell_px = grid.pixels_per_cell()
    if content is None or cell_px <= 0:
        return
    view = grid.view_box.viewRect()
    cols = content.cols + content.label_cols
    rows = content.rows + content.caption_rows
    room = min(view.width() / max(cols, 1), view.height() / max(rows, 1))
    steps = 0
    while (
        cell_px * ZOOM_STEP ** (steps + 1) <= PRESENTER_CELL_PX and ZOOM_STEP ** (steps + 1) <= room
    ):
        steps += 1
    for _ in range(steps):
        grid.zoom_in()


def text_height(widget: QWidget) -> int:
    """The height ``widget`` needs at its width (wrapped text is taller when narrow)."""
    if widget.hasHeightForWidth():
        return widget.heightForWidth(widget.width())
    return widget.sizeHint().height()


def share_memory_views(panel: MemoryPanel) -> None:
    """Split the height of the logical grid and the storage strip by the rows of cells each
    shows, so that neither keeps room its cells cannot use (a storage one row high, say),
    while the other's cells are cut small. A failed view's explanation gets its larger text's
    height first, as far as the grids can spare it."""
    views = (panel.logical_grid, panel.storage_strip)
    shapes = [view.grid.content for view in views]
    if None in shapes:
        return
    rows = [max(c.rows + c.caption_rows, 1) for c in shapes]
    cols = [max(c.cols + c.label_cols, 1) for c in shapes]
    splitter = panel.splitter
    sizes = splitter.sizes()
    places = [splitter.indexOf(view) for view in views]
    # Labels above each grid keep their height; the rest is the grids' to share.
    labels = [view.height() - view.grid.height() for view in views]
    cells = sum(sizes[place] for place in places) - sum(labels)
    failure = panel.view_failure_panel
    if failure.isVisibleTo(panel):
        # A failed view's explanation whole (its text grew), from what the grids can spare.
        place = splitter.indexOf(failure)
        spare = cells - sum(view.grid.minimumSizeHint().height() for view in views)
        extra = min(max(text_height(failure) - sizes[place], 0), max(spare, 0))
        sizes[place] += extra
        cells -= extra
    if cells <= 0:
        return
    fair = [cells * count / sum(rows) for count in rows]
    # A view no wider than its cells at that height gives the rest away (zoom to fit
    # leaves 3 % around the cells).
    useful = [
        count * min(view.grid.width() / across, PRESENTER_CELL_PX) / 0.97
        for view, count, across in zip(views, rows, cols, strict=True)
    ]
    heights = list(fair)
    for k in (0, 1):
        if useful[k] < fair[k]:
            heights[k], heights[1 - k] = useful[k], cells - useful[k]
            break
    for place, height, label in zip(places, heights, labels, strict=True):
        sizes[place] = round(height + label)
    splitter.setSizes(sizes)


class RoomyShare(QObject):
    """Keeps the memory views' height shared by their rows of cells while presenting: again
    after the panel is resized (going full screen settles later, a window not yet shown is
    laid out when it shows), until the user moves the splitter."""

    def __init__(self, panel: MemoryPanel, parent: QObject) -> None:
        super().__init__(parent)
        self.panel = panel
        self.following = True
        # Once the splitter has laid its views out in the new size: a resize reaches the
        # panel before its splitter (which a hidden window lays out only when shown).
        self._settled = QTimer(self, singleShot=True, interval=0)
        self._settled.timeout.connect(self.share)
        panel.installEventFilter(self)
        panel.splitter.splitterMoved.connect(self.stop)

    def share(self) -> None:
        """Share the height now (unless the user has moved the splitter since)."""
        if self.following:
            share_memory_views(self.panel)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.panel and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self._settled.start()
        return False

    def stop(self) -> None:
        """Leave the splitter alone from now on."""
        if not self.following:
            return
        self.following = False
        self._settled.stop()
        self.panel.removeEventFilter(self)
        self.panel.splitter.splitterMoved.disconnect(self.stop)


class RoomyZoom(QObject):
    """Keeps one memory view zoomed for the room while presenting: after the window is
    resized (going full screen settles later) and when a tensor of another shape is shown,
    until the user zooms by hand."""

    def __init__(self, grid: CellGrid, parent: QObject) -> None:
        super().__init__(parent)
        self.grid = grid
        self.following = True
        self._shape: tuple | None = None
        grid.view_box.sigResized.connect(self.zoom)
        grid.view_box.sigRangeChangedManually.connect(self.stop)

    def zoom(self) -> None:
        """Zoom the grid for the room now (unless the user has zoomed it since)."""
        if self.following:
            zoom_for_room(self.grid)
            self._shape = self._content_shape()

    def reshaped(self) -> bool:
        """True when the grid shows a tensor of another shape than when it was last zoomed
        (it has fitted it by itself)."""
        return self._content_shape() != self._shape

    def stop(self) -> None:
        """Leave the grid's zoom alone from now on."""
        if not self.following:
            return
        self.following = False
        self.grid.view_box.sigResized.disconnect(self.zoom)
        self.grid.view_box.sigRangeChangedManually.disconnect(self.stop)

    def _content_shape(self) -> tuple | None:
        content = self.grid.content
        if content is None:
            return None
        return (content.rows, content.cols, content.caption_rows, content.label_cols)


@dataclass
class GraphZoom:
    """The graph view's zoom and scroll position."""

    transform: QTransform
    center: QPointF

    @classmethod
    def of(cls, panel: GraphPanel) -> GraphZoom:
        """``panel``'s graph zoom and scroll position now."""
        view = panel.view
        center = view.mapToScene(view.viewport().rect().center())
        return cls(QTransform(view.transform()), QPointF(center))

    def put_back(self, panel: GraphPanel) -> None:
        """Zoom and scroll ``panel``'s graph as when this was taken."""
        panel.view.setTransform(self.transform)
        panel.view.centerOn(self.center)
