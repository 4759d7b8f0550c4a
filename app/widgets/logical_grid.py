"""The logical grid: the shown tensor element by element, coloured by the storage element it reads.

A cell's colour comes from its storage index, so a logical cell and the storage cell it
reads (in the storage strip) share a colour: a transpose shows as the same colours
running down instead of across.
"""

from __future__ import annotations

import math
from functools import lru_cache, partial

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from app.cell_tiling import GAP, LogicalTiling, TileLabel
from app.code_text import indexed
from app.i18n import translate
from app.session import Session, Shown
from app.widgets.cell_grid import CellContent, CellTest, CellTexts
from app.widgets.session_grid import SessionGrid

STORAGE_COLORMAP_LUT: np.ndarray = pg.colormap.get("viridis").getLookupTable(nPts=256, alpha=True)
"""RGBA uint8 (256, 4): a perceptual colormap, storage index 0 at the dark end."""
_LUT_WORDS = np.ascontiguousarray(STORAGE_COLORMAP_LUT).view(np.uint32).reshape(256)
DIM_TOWARD_BACKGROUND = 0.75
"""How far an unreachable storage cell's colour moves toward the background."""


def storage_colors(
    storage_index: np.ndarray,
    element_count: int,
    dimmed: np.ndarray | None = None,
    background: tuple[int, int, int] = (255, 255, 255),
) -> np.ndarray:
    """RGBA uint8 (..., 4) of storage indices (any shape): the colormap over the storage.

    GAP gives a transparent cell; where ``dimmed`` is True the colour is blended
    ``DIM_TOWARD_BACKGROUND`` of the way toward ``background``.
    """
    storage_index = np.asarray(storage_index)
    level = np.clip(storage_index * 256 // max(element_count, 1), 0, 255)
    words = np.take(_LUT_WORDS, level)
    if dimmed is not None:
        words = np.where(dimmed, np.take(_dimmed_lut_words(tuple(background)), level), words)
    words = np.where(storage_index == GAP, np.uint32(0), words)
    return words.reshape(-1).view(np.uint8).reshape(*storage_index.shape, 4)


@lru_cache(maxsize=4)
def _dimmed_lut_words(background: tuple[int, int, int]) -> np.ndarray:
    lut = STORAGE_COLORMAP_LUT.astype(np.float32)
    lut[:, :3] += (np.array(background, np.float32) - lut[:, :3]) * DIM_TOWARD_BACKGROUND
    return np.ascontiguousarray(lut.round().astype(np.uint8)).view(np.uint32).reshape(256)


def format_values(values: np.ndarray) -> list[str]:
    """Values as a tensor's repr writes them, compactly: ``3``, ``2.``, ``0.3333``, ``True``."""
    kind = values.dtype.kind
    if kind == "b":
        return ["True" if value else "False" for value in values.tolist()]
    if kind in "iu":
        return [str(value) for value in values.tolist()]
    if kind == "f":
        return [_format_float(value) for value in values.tolist()]
    return [str(value) for value in values.tolist()]


def _format_float(value: float) -> str:
    if value.is_integer() and abs(value) < 1e6:
        return f"{int(value)}."  # PyTorch writes a whole float as "2."
    text = f"{value:.4g}"
    # .4g drops the fraction of 1234.5; one decimal keeps it a float to the eye.
    return f"{value:.1f}" if text.lstrip("-").isdigit() else text


def index_caption(index: np.ndarray) -> str:
    """A logical index as a cell's caption: ``[1, 2]``."""
    return "[" + ", ".join(str(i) for i in index.tolist()) + "]"


class LogicalContent(CellContent):
    """The cells of one tensor laid out by a :class:`LogicalTiling`."""

    def __init__(self, shown: Shown, tiling: LogicalTiling) -> None:
        tensor = shown.tensor
        self.tiling = tiling
        self.rows, self.cols = tiling.rows, tiling.cols
        self.caption_rows = 1 if tiling.slice_dims else 0
        if tiling.wrap_width is not None:
            # A digit of a row label is under half a cell wide at any size labels show.
            digits = len(str((tiling.rows - 1) * tiling.wrap_width))
            self.label_cols = math.ceil(digits / 2 + 0.5)
        self._strides = tuple(tensor.stride())
        self._offset = tensor.storage_offset()
        self._element_count = tensor.untyped_storage().element_count
        self._tensor = tensor

    def colors(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        index = self.tiling.storage_index_block(rows, cols, self._strides, self._offset)
        return storage_colors(index, self._element_count)

    def occupied(self, row: int, col: int) -> bool:
        return self.tiling.logical_index_at(row, col) is not None

    def reading(self, storage_index: int) -> CellTest:
        """A test of cells: True where the cell's element reads storage ``storage_index``."""
        return partial(self._reads, storage_index)

    def _reads(self, storage_index: int, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        # GAP (-1) is never a storage index: gaps never read.
        index = self.tiling.storage_index_block(rows, cols, self._strides, self._offset)
        return index == storage_index

    def texts(self, rows: np.ndarray, cols: np.ndarray) -> CellTexts:
        indices, shown = self.tiling.logical_indices_block(rows, cols)
        wanted = indices[shown]
        host = self._tensor.numpy(force=True)
        values = host[tuple(wanted.T)] if host.ndim else np.full(len(wanted), host[()])
        texts = np.full(shown.shape, "", dtype=object)
        texts[shown] = format_values(values)
        captions = np.full(shown.shape, "", dtype=object)
        captions[shown] = [index_caption(index) for index in wanted]
        return CellTexts(texts, captions)

    def tile_labels(
        self, first_row: int, last_row: int, first_col: int, last_col: int, limit: int
    ) -> list[TileLabel]:
        return self.tiling.tile_labels_in(first_row, last_row, first_col, last_col, limit)

    def row_labels(self, first_row: int, last_row: int, limit: int) -> list[tuple[int, str]]:
        return self.tiling.row_labels_in(first_row, last_row, limit)


def layout_line(shown: Shown) -> str:
    """``y  ·  shape (4, 3)  ·  stride (1, 4)  ·  offset 0``."""
    tensor = shown.tensor
    return translate(
        "LogicalGrid", "{label}  ·  shape {shape}  ·  stride {stride}  ·  offset {offset}"
    ).format(
        label=shown.label,
        shape=tuple(tensor.shape),
        stride=tuple(tensor.stride()),
        offset=tensor.storage_offset(),
    )


class LogicalGrid(SessionGrid):
    """The session's current tensor as a grid of cells; hover one to light up what it reads.

    Tensors of 3 or more dims show as tiles of 2-D slices; the dims picker chooses which
    dims run down and across a tile.
    """

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.tiling: LogicalTiling | None = None
        self._content_key: tuple | None = None
        self._dims: tuple[int, int] | None = None
        self._dims_ndim: int | None = None

        self.header = QLabel()
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.formula = QLabel(" ")
        # Fixed size: hover text must not relayout (and so refit) the grid.
        self.formula.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.formula.setFixedHeight(self.formula.sizeHint().height())
        self.row_dim_box, self.col_dim_box = QComboBox(), QComboBox()
        for box in (self.row_dim_box, self.col_dim_box):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.row_dim_box.setToolTip(translate("LogicalGrid", "The dim that runs down each tile"))
        self.col_dim_box.setToolTip(translate("LogicalGrid", "The dim that runs across each tile"))
        self.dims_picker = QWidget()
        picker_layout = QHBoxLayout(self.dims_picker)
        picker_layout.setContentsMargins(0, 0, 0, 0)
        for text, box in (
            (translate("LogicalGrid", "rows"), self.row_dim_box),
            (translate("LogicalGrid", "columns"), self.col_dim_box),
        ):
            picker_layout.addWidget(QLabel(text))
            picker_layout.addWidget(box)
        self.dims_picker.setVisible(False)

        top_row = QHBoxLayout()
        top_row.addWidget(self.header, stretch=1)
        top_row.addWidget(self.dims_picker)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top_row)
        layout.addWidget(self.formula)
        layout.addWidget(self.grid, stretch=1)

        self.row_dim_box.activated.connect(self._on_dims_picked)
        self.col_dim_box.activated.connect(self._on_dims_picked)
        self.follow_session()

    def set_dims(self, row_dim: int, col_dim: int) -> None:
        """Let ``row_dim`` run down each tile and ``col_dim`` across it (3+ dims only)."""
        self._dims = (row_dim, col_dim)
        self.redraw()

    def redraw(self) -> None:
        """Show the session's current tensor (what changed only: values alone keep colours)."""
        shown = self.session.current
        if shown is None:
            self.tiling, self._content_key = None, None
            self.header.setText(translate("LogicalGrid", "No tensor shown"))
            self.dims_picker.setVisible(False)
            self.grid.set_content(None)
            return
        tensor = shown.tensor
        ndim = tensor.dim()
        if self._dims_ndim != ndim:
            # A picked pair of dims means nothing for another number of dims.
            self._dims = (ndim - 2, ndim - 1) if ndim >= 2 else None
            self._dims_ndim = ndim
        self._fill_dims_picker(ndim)
        key = (
            id(tensor.untyped_storage()),
            tuple(tensor.shape),
            tuple(tensor.stride()),
            tensor.storage_offset(),
            shown.label,
            self._dims,
        )
        if key == self._content_key:
            self.grid.refresh(colors=False)  # values written in place: colours hold
            return
        self._content_key = key
        row_dim, col_dim = self._dims if self._dims else (None, None)
        self.tiling = LogicalTiling(tuple(tensor.shape), shown.label, row_dim, col_dim)
        self.header.setText(layout_line(shown) + self._wrap_note())
        self.grid.set_content(LogicalContent(shown, self.tiling))
        self._on_highlight_changed()

    def _wrap_note(self) -> str:
        """``  ·  in rows of 4,096`` for a wrapped 1-D tensor; empty otherwise."""
        width = self.tiling.wrap_width
        if width is None:
            return ""
        return translate("LogicalGrid", "  ·  in rows of {width}").format(width=f"{width:,}")

    def _fill_dims_picker(self, ndim: int) -> None:
        self.dims_picker.setVisible(ndim >= 3)
        if ndim < 3:
            return
        sizes = self.session.current.tensor.shape
        for box, chosen in zip((self.row_dim_box, self.col_dim_box), self._dims, strict=True):
            box.blockSignals(True)
            box.clear()
            box.addItems(
                [
                    translate("LogicalGrid", "dim {dim}  ({size})").format(dim=d, size=sizes[d])
                    for d in range(ndim)
                ]
            )
            box.setCurrentIndex(chosen)
            box.blockSignals(False)

    def _on_dims_picked(self) -> None:
        row_dim, col_dim = self.row_dim_box.currentIndex(), self.col_dim_box.currentIndex()
        if row_dim == col_dim:
            # Picking the other box's dim swaps the two.
            previous_row, previous_col = self._dims
            row_dim, col_dim = (
                (row_dim, previous_row) if row_dim != previous_row else (previous_col, col_dim)
            )
        self.set_dims(row_dim, col_dim)

    def _on_cell_hovered(self, row: int, col: int) -> None:
        self.session.hover_logical(self._logical_index_at(row, col))

    def _on_cell_clicked(self, row: int, col: int) -> None:
        self.session.click_logical(self._logical_index_at(row, col))

    def _logical_index_at(self, row: int, col: int) -> tuple[int, ...] | None:
        return None if self.tiling is None or row < 0 else self.tiling.logical_index_at(row, col)

    def _on_highlight_changed(self) -> None:
        highlight = self.session.highlight
        if highlight is None or self.tiling is None:
            self.grid.set_highlight(np.zeros((0, 2), dtype=np.int64))
            self.formula.setText(" ")
            return
        if highlight.lists_every_reader:
            self.grid.set_highlight(self.tiling.cells_of(highlight.logical))
        else:
            # Too many readers to list (a broadcast view can have a trillion): the grid
            # asks which cells it shows read the hovered element, from their storage index.
            self.grid.set_highlight_where(self.grid.content.reading(int(highlight.storage[0])))
        self.formula.setText(self._formula_line())

    def _formula_line(self) -> str:
        """``y[1, 2] → 0 + 1·1 + 2·4 = 9 → byte 0x7f…`` for a hovered element."""
        highlight = self.session.highlight
        line = highlight.formula
        if highlight.origin == "logical" and len(highlight.logical):
            line = f"{indexed(self.session.current.label, highlight.logical[0])} → {line}"
        if highlight.byte_address is not None:
            line += translate("LogicalGrid", " → byte {address}").format(
                address=f"{highlight.byte_address:#x}"
            )
        return line
