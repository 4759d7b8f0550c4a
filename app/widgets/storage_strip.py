"""The storage strip: the shown tensor's flat storage, wrapped into rows, one cell per element.

Cells the shown tensor cannot reach are dimmed toward the background; when zoomed in,
each cell carries a small mark for every other tensor of the family (the named tensors
over the same storage) that reads it.
"""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from app.cell_tiling import GAP
from app.code_text import indexed
from app.i18n import translate
from app.session import Session
from app.storage_geometry import StorageReach, StorageWrapping
from app.widgets.cell_grid import CellContent, CellTexts
from app.widgets.logical_grid import format_values, storage_colors
from app.widgets.palette import family_color
from app.widgets.session_grid import SessionGrid

READERS_WRITTEN = 6
"""The read-by line writes this many logical indices, then says how many more."""

Layout = tuple[tuple[int, ...], tuple[int, ...], int]


def layout_of(tensor) -> Layout:
    """(sizes, strides, offset) of ``tensor``: what decides which storage elements it reads."""
    return tuple(tensor.shape), tuple(tensor.stride()), tensor.storage_offset()


class StorageContent(CellContent):
    """The cells of one storage, dimmed where ``reach`` does not read, marked by ``family``."""

    blend_neighbours = True  # a step-2 slice dims every other cell

    def __init__(
        self,
        wrapping: StorageWrapping,
        values: np.ndarray,
        reach: StorageReach,
        family: list[tuple[StorageReach, str]],
        background: tuple[int, int, int],
    ) -> None:
        self.wrapping = wrapping
        self.rows, self.cols = wrapping.rows, wrapping.cols
        self._values = values
        self._reach = reach
        self._family = family
        self._background = background

    def colors(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        index = self.wrapping.storage_index_block(rows, cols)
        dimmed = ~self._reach.reached(index)
        return storage_colors(index, self.wrapping.element_count, dimmed, self._background)

    def occupied(self, row: int, col: int) -> bool:
        return self.wrapping.storage_index_at(row, col) is not None

    def texts(self, rows: np.ndarray, cols: np.ndarray) -> CellTexts:
        index = self.wrapping.storage_index_block(rows, cols)
        shown = index != GAP
        values = np.full(index.shape, "", dtype=object)
        values[shown] = format_values(self._values[index[shown]])
        captions = np.full(index.shape, "", dtype=object)
        captions[shown] = [str(k) for k in index[shown].tolist()]
        if not self._family:
            return CellTexts(values, captions)
        markers = np.stack([reach.reached(index) for reach, _ in self._family], axis=-1)
        return CellTexts(values, captions, markers, tuple(color for _, color in self._family))


class StorageStrip(SessionGrid):
    """The session's current storage; hover a cell to light up every element that reads it."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.wrapping: StorageWrapping | None = None
        self._row_width: int | None = None
        self._content_key: tuple | None = None
        self._reaches: dict[Layout, StorageReach] = {}
        self._reaches_storage: int | None = None

        self.header = QLabel()
        self.legend = QLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.read_by = QLabel(" ")
        # Fixed size: hover text must not relayout (and so refit) the strip.
        for label in (self.legend, self.read_by):
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            label.setFixedHeight(self.read_by.sizeHint().height())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.header)
        layout.addWidget(self.legend)
        layout.addWidget(self.read_by)
        layout.addWidget(self.grid, stretch=1)

        self.follow_session()

    def set_row_width(self, width: int | None) -> None:
        """Wrap the storage into rows of ``width`` elements (None: a readable default)."""
        self._row_width = width
        self.redraw()

    def redraw(self) -> None:
        """Show the current tensor's storage (values alone changed: the colours are kept)."""
        shown = self.session.current
        if shown is None:
            self.wrapping, self._content_key = None, None
            self.header.setText(translate("StorageStrip", "No tensor shown"))
            self.legend.setText("")
            self.grid.set_content(None)
            return
        tensor = shown.tensor
        storage = tensor.untyped_storage()
        count = storage.element_count
        family = self.session.family()
        others = [
            (layout_of(member.tensor), family_color(position))
            for position, member in enumerate(family)
            if member.label != shown.label
        ]
        # The strip's own palette: on a theme change it is updated before the grid's is.
        background = self.palette().color(QPalette.ColorRole.Base)
        key = (
            id(storage),
            count,
            self._row_width,
            layout_of(tensor),
            tuple(others),
            background.rgb(),
        )
        self.header.setText(
            translate(
                "StorageStrip", "storage of {label}  ·  {count} × {dtype}  ·  {nbytes} bytes"
            ).format(
                label=shown.label, count=count, dtype=tensor.dtype.name, nbytes=storage.nbytes()
            )
        )
        self.legend.setText(self._legend_html(family, shown.label))
        if key == self._content_key:
            self.grid.refresh(colors=False)  # values written in place: colours hold
            return
        self._content_key = key
        self.wrapping = (
            StorageWrapping(count, self._row_width)
            if self._row_width
            else (StorageWrapping.readable(count))
        )
        content = StorageContent(
            self.wrapping,
            storage.backend.to_host(storage.buffer),
            self._reach(storage, layout_of(tensor)),
            [(self._reach(storage, layout), color) for layout, color in others],
            (background.red(), background.green(), background.blue()),
        )
        self.grid.set_content(content)
        self._on_highlight_changed()

    def _reach(self, storage, layout: Layout) -> StorageReach:
        """The reach of ``layout``, kept while the storage stays: a full mask costs O(numel)."""
        if self._reaches_storage != id(storage):
            self._reaches, self._reaches_storage = {}, id(storage)
        if layout not in self._reaches:
            self._reaches[layout] = StorageReach(*layout, storage.element_count)
        return self._reaches[layout]

    def _legend_html(self, family, current_label: str) -> str:
        """``■ x  ■ y  ■ z``: each family member in its marker colour, the shown one bold."""
        entries = []
        for position, member in enumerate(family):
            name = html.escape(member.label)
            if member.label == current_label:
                name = f"<b>{name}</b>"
            entries.append(f'<span style="color: {family_color(position)}">■</span>&nbsp;{name}')
        return "&nbsp;&nbsp;&nbsp;".join(entries)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange:
            self.redraw()  # dimmed cells blend toward the new background

    def _on_cell_hovered(self, row: int, col: int) -> None:
        self.session.hover_storage(self._storage_index_at(row, col))

    def _on_cell_clicked(self, row: int, col: int) -> None:
        self.session.click_storage(self._storage_index_at(row, col))

    def _storage_index_at(self, row: int, col: int) -> int | None:
        if self.wrapping is None or row < 0:
            return None
        return self.wrapping.storage_index_at(row, col)

    def _on_highlight_changed(self) -> None:
        highlight = self.session.highlight
        if highlight is None or self.wrapping is None:
            self.grid.set_highlight(np.zeros((0, 2), dtype=np.int64))
            self.read_by.setText(" ")
            return
        self.grid.set_highlight(self.wrapping.cells_of(highlight.storage))
        self.read_by.setText(self._read_by_line())

    def _read_by_line(self) -> str:
        """``storage[5] is read by 3 elements of y: (0, 1), (1, 1), (2, 1)``.

        The count is the session's ``reader_count`` (a broadcast view's can be a
        trillion), the indices a few of those the highlight lists.
        """
        highlight = self.session.highlight
        label = self.session.current.label
        storage = ", ".join(str(k) for k in highlight.storage.tolist())
        if highlight.origin == "logical":
            return translate("StorageStrip", "{element} reads storage[{storage}]").format(
                element=indexed(label, highlight.logical[0]), storage=storage
            )
        count = highlight.reader_count
        if count == 0:
            return translate("StorageStrip", "storage[{storage}] is not read by {label}").format(
                storage=storage, label=label
            )
        written = highlight.logical[:READERS_WRITTEN]
        listed = ", ".join(_index_text(index) for index in written)
        more = count - len(written)
        if more > 0:
            line = translate(
                "StorageStrip",
                "storage[{storage}] is read by {count} elements of {label}: {listed}, … "
                "and {more} more",
            )
        elif count == 1:
            line = translate(
                "StorageStrip",
                "storage[{storage}] is read by {count} element of {label}: {listed}",
            )
        else:
            line = translate(
                "StorageStrip",
                "storage[{storage}] is read by {count} elements of {label}: {listed}",
            )
        return line.format(
            storage=storage, count=f"{count:,}", label=label, listed=listed, more=f"{more:,}"
        )


def _index_text(index: np.ndarray) -> str:
    """A logical index as Python writes a tuple: ``(0, 1)``, ``(3,)``."""
    return str(tuple(index.tolist()))
