"""What the logical grid and the storage strip share: a CellGrid wired to the session."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.session import Session
from app.widgets.cell_grid import CellGrid


class SessionGrid(QWidget):
    """A :class:`CellGrid` over the session's current tensor, with the zoom slots.

    A subclass builds its widgets around ``self.grid``, then calls :meth:`follow_session`;
    it provides ``redraw()``, ``_on_cell_hovered(row, col)``, ``_on_cell_clicked(row, col)``
    and ``_on_highlight_changed()``.
    """

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.grid = CellGrid()

    def follow_session(self) -> None:
        """Redraw on the session's signals, report hovers and clicks to it, draw once now."""
        self.grid.cell_hovered.connect(self._on_cell_hovered)
        self.grid.cell_clicked.connect(self._on_cell_clicked)
        self.session.tensors_changed.connect(self.redraw)
        self.session.current_changed.connect(self.redraw)
        self.session.highlight_changed.connect(self._on_highlight_changed)
        self.redraw()

    def zoom_in(self) -> None:
        """Make cells bigger by one step."""
        self.grid.zoom_in()

    def zoom_out(self) -> None:
        """Make cells smaller by one step."""
        self.grid.zoom_out()

    def zoom_to_fit(self) -> None:
        """Show every cell."""
        self.grid.zoom_to_fit()
