"""CellGrid: hover and click mapping, zoom, level of detail, outlines, text, theme."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QPalette

from app.theme import ACCENT_COLORS, dark_palette
from app.widgets.cell_grid import (
    HIGHLIGHT_OUTLINE_LIMIT,
    MAX_FIT_CELL_PX,
    ZOOM_STEP,
    CellContent,
    CellGrid,
    CellTexts,
)
from app.widgets.cell_sampling import FULL_IMAGE_CELLS
from app.widgets.cell_text_layer import (
    ROW_LABEL_MIN_CELL_PX,
    TEXT_MIN_CELL_PX,
    contrasting_text,
)


class Checkerboard(CellContent):
    """Cells coloured by (row, col); every third column of the last row is a gap.

    Counts the cells it was asked for, so tests can see what the grid samples and paints.
    """

    def __init__(self, rows: int, cols: int) -> None:
        self.rows, self.cols = rows, cols
        self.colored_cells = 0
        self.text_calls: list[tuple[int, int]] = []

    def is_gap(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        return (rows[:, None] == self.rows - 1) & (cols[None, :] % 3 == 2)

    def colors(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        self.colored_cells += len(rows) * len(cols)
        out = np.zeros((len(rows), len(cols), 4), dtype=np.uint8)
        out[..., 0] = (rows[:, None] * 40) % 256
        out[..., 1] = (cols[None, :] * 40) % 256
        out[..., 2] = 90
        out[..., 3] = np.where(self.is_gap(rows, cols), 0, 255)
        return out

    def occupied(self, row: int, col: int) -> bool:
        inside = 0 <= row < self.rows and 0 <= col < self.cols
        return inside and not self.is_gap(np.array([row]), np.array([col]))[0, 0]

    def texts(self, rows: np.ndarray, cols: np.ndarray) -> CellTexts:
        self.text_calls.append((len(rows), len(cols)))
        values = np.array([[f"{r},{c}" for c in cols] for r in rows], dtype=object)
        return CellTexts(values)


class LabelledRows(Checkerboard):
    """A checkerboard whose rows are labelled ``r<row>`` in three columns left of column 0."""

    label_cols = 3

    def __init__(self, rows: int, cols: int) -> None:
        super().__init__(rows, cols)
        self.label_calls: list[tuple[int, int]] = []

    def row_labels(self, first_row: int, last_row: int, limit: int) -> list[tuple[int, str]]:
        self.label_calls.append((first_row, last_row))
        return [(row, f"r{row}") for row in range(max(first_row, 0), min(last_row, self.rows))]


@pytest.fixture
def make_grid(qtbot):
    def make(
        rows: int, cols: int, size: tuple[int, int] = (400, 300), content=Checkerboard
    ) -> CellGrid:
        grid = CellGrid()
        qtbot.addWidget(grid)
        grid.resize(*size)
        grid.show()
        qtbot.waitExposed(grid)
        grid.set_content(content(rows, cols))
        return grid

    return make


def test_cell_centres_map_back_to_their_cells_at_any_zoom(make_grid) -> None:
    grid = make_grid(6, 9)
    for _ in range(3):
        for row, col in [(0, 0), (2, 5), (5, 0), (4, 8)]:
            assert grid.cell_at(QPointF(grid.cell_center(row, col))) == (row, col)
        grid.zoom_out()
    assert grid.cell_at(QPointF(grid.cell_center(5, 2))) == (-1, -1)  # a gap
    assert grid.cell_at(QPointF(grid.cell_center(7, 2))) == (-1, -1)  # outside


def test_mouse_moves_report_each_new_cell_once_and_gaps_as_minus_one(make_grid, qtbot) -> None:
    grid = make_grid(6, 9)
    seen = []
    grid.cell_hovered.connect(lambda row, col: seen.append((row, col)))
    viewport = grid.graphics_view.viewport()
    for cell in [(1, 1), (1, 1), (3, 4), (5, 2)]:
        qtbot.mouseMove(viewport, grid.cell_center(*cell))
    assert seen == [(1, 1), (3, 4), (-1, -1)]
    assert grid.hovered_cell == (-1, -1)


def test_a_click_reports_its_cell(make_grid, qtbot) -> None:
    grid = make_grid(6, 9)
    with qtbot.waitSignal(grid.cell_clicked) as clicked:
        qtbot.mouseClick(
            grid.graphics_view.viewport(), Qt.MouseButton.LeftButton, pos=grid.cell_center(4, 7)
        )
    assert clicked.args == [4, 7]


def test_zoom_steps_and_fit(make_grid) -> None:
    grid = make_grid(6, 9)
    fitted = grid.pixels_per_cell()
    view = grid.view_box.viewRect()
    assert view.contains(0, 0) and view.contains(9, 6)
    grid.zoom_in()
    assert grid.pixels_per_cell() == pytest.approx(fitted * ZOOM_STEP)
    grid.zoom_out()
    grid.zoom_out()
    assert grid.pixels_per_cell() == pytest.approx(fitted / ZOOM_STEP)
    grid.zoom_to_fit()
    assert grid.pixels_per_cell() == pytest.approx(fitted)


def test_fit_never_blows_one_cell_up_to_the_whole_view(make_grid) -> None:
    grid = make_grid(1, 1)
    assert grid.pixels_per_cell() == pytest.approx(MAX_FIT_CELL_PX)


def test_a_small_grid_keeps_one_image_of_every_cell(make_grid) -> None:
    grid = make_grid(6, 9)
    content = grid.content
    assert grid._image.image.shape == (6, 9, 4)
    asked = content.colored_cells
    grid.zoom_in()
    grid.set_highlight(np.array([[1, 1]]))
    assert content.colored_cells == asked  # neither zoom nor highlight resample


def test_a_huge_grid_samples_about_one_cell_per_pixel_around_the_view(make_grid) -> None:
    grid = make_grid(4096, 4096, size=(300, 200))
    assert FULL_IMAGE_CELLS < 4096 * 4096
    rows, cols, _ = grid._image.image.shape
    assert rows * cols <= 4 * 300 * 200  # the view plus its margins, at most a pixel a sample
    # The sampled image paints what the content says at the sampled cells.
    window = grid.sample_window
    expected = grid.content.colors(window.sampled_rows()[:3], window.sampled_cols()[:3])
    assert (grid._image.image[:3, :3] == expected).all()
    content = grid.content
    asked = content.colored_cells
    grid.set_highlight(np.array([[5, 5]]))
    grid.set_focus_cell(5, 5)
    grid.grab()
    assert content.colored_cells == asked  # hover repaints without resampling


def test_few_highlighted_cells_are_outlined_many_are_tinted(make_grid) -> None:
    grid = make_grid(100, 100)
    grid.set_highlight(np.array([[1, 2], [3, 4]]))
    assert not grid._mask.isVisible()
    assert grid._outline.outlined_count() == 2
    assert grid.highlighted_cells().tolist() == [[1, 2], [3, 4]]

    cells = np.argwhere(np.ones((100, 100), dtype=bool))[: HIGHLIGHT_OUTLINE_LIMIT + 1]
    grid.set_highlight(cells)
    assert grid._mask.isVisible()
    assert grid._outline.outlined_count() == 0
    tinted = grid._mask.image[..., 3] > 0
    expected = np.zeros((100, 100), dtype=bool)
    expected[cells[:, 0], cells[:, 1]] = True
    assert (tinted == expected).all()
    grid.set_highlight(np.zeros((0, 2)))
    assert not grid._mask.isVisible() and grid._outline.outlined_count() == 0


def test_text_is_asked_for_visible_cells_only_and_only_when_readable(make_grid) -> None:
    grid = make_grid(300, 300)
    assert grid.pixels_per_cell() < TEXT_MIN_CELL_PX
    grid.grab()
    assert grid.content.text_calls == []
    while grid.pixels_per_cell() < 30:
        grid.zoom_in()
    grid.grab()
    rows, cols = grid.content.text_calls[-1]
    assert rows <= 300 / 30 + 2 and cols <= 400 / 30 + 2


def test_text_contrasts_with_its_cell() -> None:
    fills = np.array([[0, 0, 0, 255], [255, 255, 255, 255], [253, 231, 37, 255], [68, 1, 84, 255]])
    assert contrasting_text(fills).tolist() == [False, True, True, False]


def test_the_background_follows_the_palette(make_grid) -> None:
    grid = make_grid(2, 2)
    corner = grid.grab().toImage().pixelColor(1, 1)
    assert corner == grid.palette().color(QPalette.ColorRole.Base)
    grid.setPalette(dark_palette())
    corner = grid.grab().toImage().pixelColor(1, 1)
    assert corner == dark_palette().color(QPalette.ColorRole.Base)
    assert grid._outline.line_color() == QColor(ACCENT_COLORS["dark"])


def test_a_test_tints_exactly_the_sampled_cells_it_accepts_and_follows_the_view(
    make_grid,
) -> None:
    grid = make_grid(4096, 4096, size=(300, 200))
    asked = []

    def left_of_1000(rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        asked.append(len(rows) * len(cols))
        return np.broadcast_to(cols[np.newaxis, :] < 1000, (len(rows), len(cols)))

    grid.set_highlight_where(left_of_1000)
    window = grid.sample_window
    assert window.step > 1 and asked == [window.samples()]  # the samples, not the cells
    rows, cols = window.sampled_rows(), window.sampled_cols()
    expected = [[r, c] for r in rows.tolist() for c in cols.tolist() if c < 1000]
    assert grid.tinted_cells().tolist() == expected
    assert grid.highlighted_cells().shape == (0, 2) and grid._outline.outlined_count() == 0

    grid.view_box.setRange(xRange=(900, 1100), yRange=(0, 150), padding=0)
    window = grid.sample_window
    assert window.step == 1 and len(asked) == 2
    tinted = grid.tinted_cells()
    assert set(tinted[:, 1].tolist()) == set(range(window.col0, 1000))
    assert len(tinted) == window.row_count * (1000 - window.col0)

    grid.set_highlight(np.zeros((0, 2)))
    assert not grid._mask.isVisible() and grid.tinted_cells().shape == (0, 2)


def test_columns_past_two_to_the_thirty_one_hover_click_and_paint(make_grid, qtbot) -> None:
    far = 5_000_000_000  # beyond a 32-bit int, where a Signal(int, int) overflows
    grid = make_grid(3, 10_000_000_000)
    grid.grab()  # at fit: ten billion columns in view, no text, no range of them
    assert grid.content.text_calls == []
    grid.view_box.setRange(xRange=(far - 5, far + 5), yRange=(0, 3), padding=0)
    assert grid.pixels_per_cell() >= TEXT_MIN_CELL_PX
    grid.grab()
    assert grid.content.text_calls and grid.content.text_calls[-1][1] <= 12
    seen = []
    grid.cell_hovered.connect(lambda row, col: seen.append((row, col)))
    viewport = grid.graphics_view.viewport()
    qtbot.mouseMove(viewport, grid.cell_center(1, far))
    assert seen == [(1, far)]
    # The focus outline paints there too (Qt culls items by 32-bit device bounds).
    center = grid.cell_center(1, far)
    top_edge = viewport.mapTo(grid, center - QPoint(0, round(grid.pixels_per_cell() / 2)))
    outline = grid.grab().toImage().pixelColor(top_edge)
    assert outline == QColor(ACCENT_COLORS["light"])
    with qtbot.waitSignal(grid.cell_clicked) as clicked:
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=grid.cell_center(0, far + 1))
    assert clicked.args == [0, far + 1]


def test_label_columns_stay_in_the_fit_and_carry_the_row_labels(make_grid) -> None:
    grid = make_grid(4, 5, content=LabelledRows)
    view = grid.view_box.viewRect()
    assert view.contains(-3, 0) and view.contains(5, 4)
    assert grid.pixels_per_cell() >= ROW_LABEL_MIN_CELL_PX
    image = grid.grab().toImage()
    assert grid.content.label_calls
    # Ink of the labels: something other than the background left of column 0, on row 2.
    background = grid.background_color()
    y = grid.cell_center(2, 0).y()
    left = grid.cell_center(2, 0).x() - grid.pixels_per_cell() / 2
    inked = [
        x
        for x in range(int(left - 3 * grid.pixels_per_cell()), int(left))
        if image.pixelColor(x, y) != background
    ]
    assert inked
