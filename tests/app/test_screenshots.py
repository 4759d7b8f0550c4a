"""Pixels of ``stridescope render --panel memory``: outlines, dimming and colours where they belong.

Each picture is rendered through ``app.cli.main``, in both themes. A spy around the
renderer sets the hover first (``Session.hover_logical``) and, once the PNG is written,
records where the cells lie, from the widgets' own mapping: cell → view box → scene →
viewport → panel. The checks then read the PNG at those places.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF
from PySide6.QtGui import QColor, QImage

import app.cli
import app.window_commands
from app.theme import ACCENT_COLORS, THEMES
from app.widgets.cell_grid import CellGrid
from app.widgets.logical_grid import storage_colors

TRANSPOSED = "x = core.arange(12).view(3, 4); y = x.t()"
SLICED = "x = core.arange(12).view(3, 4); y = x[1:, ::2]"
MATCHING = 6
"""At most this far apart (sum of |ΔR|, |ΔG|, |ΔB|), two colours count as the same."""


@dataclass(frozen=True)
class GridPlacement:
    """Where a cell grid's view coordinates land in the PNG: an affine map, x and y apart."""

    origin: tuple[float, float]
    scale: tuple[float, float]

    @classmethod
    def of(cls, grid: CellGrid, panel) -> GridPlacement:
        view = grid.graphics_view
        offset = view.viewport().mapTo(panel, QPoint(0, 0))
        # Floats throughout: mapFromScene would round each point to a whole pixel.
        to_viewport = view.viewportTransform()
        a = to_viewport.map(grid.view_box.mapViewToScene(QPointF(0, 0)))
        b = to_viewport.map(grid.view_box.mapViewToScene(QPointF(100, 100)))
        return cls(
            (offset.x() + a.x(), offset.y() + a.y()),
            ((b.x() - a.x()) / 100, (b.y() - a.y()) / 100),
        )

    def at(self, view_x: float, view_y: float) -> QPoint:
        """The pixel at view point (x, y); x runs along columns, y down rows."""
        return QPoint(
            int(self.origin[0] + self.scale[0] * view_x),
            int(self.origin[1] + self.scale[1] * view_y),
        )


@dataclass(frozen=True)
class Picture:
    """A rendered memory panel, and what the window knew when it was rendered."""

    image: QImage
    storage_indices: np.ndarray
    """Of the tensor shown (the one hovered)."""
    logical_cell: Callable[[tuple[int, ...]], tuple[int, int]]
    storage_cell: Callable[[int], tuple[int, int]]
    logical: GridPlacement
    storage: GridPlacement
    background: QColor


@pytest.fixture
def render(qapp, monkeypatch, tmp_path):
    """Factory: ``stridescope render --panel memory`` of ``code`` in ``theme``, as a Picture."""
    style, palette = qapp.style().name(), qapp.palette()
    real_render_widget = app.window_commands.render_widget

    def render(code: str, theme: str, hover_logical: tuple[int, ...] | None = None) -> Picture:
        seen = {}

        def spy(widget, path):
            window = widget.window()
            if hover_logical is not None:
                window.session.hover_logical(hover_logical)
            written = real_render_widget(widget, path)
            memory = window.memory_panel
            assert widget is memory
            tiling, wrapping = memory.logical_grid.tiling, memory.storage_strip.wrapping
            seen["facts"] = dict(
                storage_indices=window.session.current.tensor.storage_indices(),
                logical_cell=lambda index: tuple(tiling.cells_of(np.array([index]))[0].tolist()),
                storage_cell=lambda k: tuple(wrapping.cells_of(np.array([k]))[0].tolist()),
                logical=GridPlacement.of(memory.logical_grid.grid, memory),
                storage=GridPlacement.of(memory.storage_strip.grid, memory),
                background=memory.storage_strip.grid.background_color(),
            )
            return written

        monkeypatch.setattr(app.window_commands, "render_widget", spy)
        output = tmp_path / f"{theme}-{len(list(tmp_path.iterdir()))}.png"
        argv = ["render", "--code", code, "--panel", "memory", "--theme", theme, "-o", str(output)]
        assert app.cli.main(argv) == 0
        return Picture(QImage(str(output)), **seen["facts"])

    yield render
    qapp.setStyle(style)
    qapp.setPalette(palette)


def distance(a: QColor, b: QColor) -> int:
    return sum(abs(x - y) for x, y in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True))


def patch_colour(image: QImage, point: QPoint) -> QColor:
    """The median colour of the 5 × 5 pixels around ``point``: one stray pixel cannot decide."""
    pixels = [
        image.pixelColor(point.x() + dx, point.y() + dy).getRgb()[:3]
        for dx in range(-2, 3)
        for dy in range(-2, 3)
    ]
    return QColor(*np.median(np.array(pixels), axis=0).astype(int).tolist())


def fill_colour(picture: Picture, placement: GridPlacement, cell: tuple[int, int]) -> QColor:
    """The colour a cell is filled with, read near its top right corner.

    Text never reaches there: values are centred, captions start at the left, and the
    family markers sit at the bottom left.
    """
    row, col = cell
    return patch_colour(picture.image, placement.at(col + 0.85, row + 0.16))


def edge_colours(picture: Picture, placement: GridPlacement, cell: tuple[int, int]) -> list:
    """The colour at the middle of each of a cell's four edges."""
    row, col = cell
    middles = [(col + 0.5, row), (col + 1, row + 0.5), (col + 0.5, row + 1), (col, row + 0.5)]
    return [picture.image.pixelColor(placement.at(x, y)) for x, y in middles]


def colormap(k: int, count: int, dimmed_toward: QColor | None = None) -> QColor:
    """The colour the views give storage element ``k`` of ``count``, dimmed or not."""
    if dimmed_toward is None:
        rgba = storage_colors(np.array(k), count)
    else:
        background = dimmed_toward.getRgb()[:3]
        rgba = storage_colors(np.array(k), count, np.array(True), background)
    return QColor(*rgba[:3].tolist())


@pytest.mark.parametrize("theme", THEMES)
def test_the_hovered_cell_and_the_storage_cell_it_reads_are_outlined(render, theme) -> None:
    picture = render(TRANSPOSED, theme, hover_logical=(1, 2))
    assert int(picture.storage_indices[1, 2]) == 9  # y[1, 2] is x[2, 1]: 0 + 1·1 + 2·4
    assert (picture.background.lightness() < 128) == (theme == "dark")
    accent = QColor(ACCENT_COLORS[theme])

    hovered = edge_colours(picture, picture.logical, picture.logical_cell((1, 2)))
    assert [distance(c, accent) < 40 for c in hovered] == [True] * 4
    read = edge_colours(picture, picture.storage, picture.storage_cell(9))
    assert [distance(c, accent) < 40 for c in read] == [True] * 4
    # Nothing else: the edges of y[0, 0]'s cell and of storage cell 4 away from the outline.
    other = edge_colours(picture, picture.logical, picture.logical_cell((0, 0)))
    assert [distance(c, accent) > 150 for c in other] == [True] * 4
    other = edge_colours(picture, picture.storage, picture.storage_cell(4))
    assert [distance(c, accent) > 150 for c in other] == [True] * 4


@pytest.mark.parametrize("theme", THEMES)
def test_each_logical_cell_has_the_colour_of_the_storage_cell_it_reads(render, theme) -> None:
    picture = render(TRANSPOSED, theme)
    for index in np.ndindex(*picture.storage_indices.shape):
        k = int(picture.storage_indices[index])
        in_grid = fill_colour(picture, picture.logical, picture.logical_cell(index))
        in_strip = fill_colour(picture, picture.storage, picture.storage_cell(k))
        assert distance(in_grid, in_strip) <= MATCHING, (index, k)
        assert distance(in_grid, colormap(k, 12)) <= MATCHING, (index, k)


@pytest.mark.parametrize("theme", THEMES)
def test_storage_the_view_cannot_reach_is_dimmed_toward_the_background(render, theme) -> None:
    sliced = render(SLICED, theme)
    reached = set(sliced.storage_indices.ravel().tolist())
    assert reached == {4, 6, 8, 10}
    whole = render("x = core.arange(12).view(3, 4)", theme)  # every element reached
    background = sliced.background

    for k in range(12):
        shown = fill_colour(sliced, sliced.storage, sliced.storage_cell(k))
        undimmed = fill_colour(whole, whole.storage, whole.storage_cell(k))
        assert distance(undimmed, colormap(k, 12)) <= MATCHING, k
        if k in reached:
            assert distance(shown, undimmed) <= MATCHING, k
        else:
            assert distance(shown, colormap(k, 12, dimmed_toward=background)) <= MATCHING, k
            assert distance(shown, background) < distance(undimmed, background) / 2, k
