"""LogicalGrid and StorageStrip against a real Session: hover both ways, dimming, tiles, pixels."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.cell_tiling import LogicalTiling
from app.session import Session
from app.theme import ACCENT_COLORS, dark_palette
from app.widgets.cell_grid import CellGrid
from app.widgets.logical_grid import LogicalGrid, format_values, storage_colors
from app.widgets.storage_strip import StorageStrip


@pytest.fixture
def views(qtbot):
    """Factory: a session that ran ``lines``, and both views in one shown window."""
    windows = []  # qtbot holds widgets weakly: the windows live until the test ends

    def make(*lines: str, select: str | None = None):
        session = Session()
        for line in lines:
            session.run(line)
        if select is not None:
            session.select(select)
        window = QWidget()
        windows.append(window)
        qtbot.addWidget(window)
        logical, strip = LogicalGrid(session), StorageStrip(session)
        layout = QVBoxLayout(window)
        layout.addWidget(logical, stretch=3)
        layout.addWidget(strip, stretch=2)
        window.resize(520, 640)
        window.show()
        qtbot.waitExposed(window)
        return session, logical, strip

    return make


def hover(qtbot, grid: CellGrid, row: int, col: int) -> None:
    """Move the mouse to the centre of cell (row, col), as a user would."""
    qtbot.mouseMove(grid.graphics_view.viewport(), grid.cell_center(row, col))


def every_cell(grid: CellGrid) -> tuple[np.ndarray, np.ndarray]:
    return np.arange(grid.content.rows), np.arange(grid.content.cols)


def pixel(widget, grid: CellGrid, view_x: float, view_y: float) -> QColor:
    """The colour ``widget.grab()`` shows at view point (x, y) of ``grid``."""
    viewport = grid.graphics_view.viewport()
    point = grid.graphics_view.mapFromScene(grid.view_box.mapViewToScene(QPointF(view_x, view_y)))
    return widget.grab().toImage().pixelColor(viewport.mapTo(widget, point))


def distance(a: QColor, b: QColor) -> int:
    return sum(abs(x - y) for x, y in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True))


# -- hover, both ways ---------------------------------------------------------------


@pytest.mark.parametrize("cell", [(0, 0), (1, 2), (3, 1)])
def test_hovering_a_logical_cell_lights_the_storage_element_it_reads(views, qtbot, cell) -> None:
    session, logical, strip = views("x = core.arange(12).view(3, 4)", "y = x.t()")
    k = session.current.tensor.storage_indices()[cell]
    hover(qtbot, logical.grid, *cell)
    assert session.highlight.origin == "logical"
    assert session.highlight.storage.tolist() == [k]
    assert strip.grid.highlighted_cells().tolist() == [[0, k]]
    assert logical.formula.text().startswith(f"y[{cell[0]}, {cell[1]}] → 0 + ")
    assert "→ byte 0x" in logical.formula.text()
    assert strip.read_by.text() == f"y[{cell[0]}, {cell[1]}] reads storage[{k}]"


@pytest.mark.parametrize(
    "line", ["e = core.arange(4).expand(3, 4)", "e = core.arange(7).unfold(0, 3, 2)"]
)
def test_hovering_a_storage_cell_lights_every_element_that_reads_it(views, qtbot, line) -> None:
    session, logical, strip = views(line)
    e = session.current.tensor
    for k in range(e.untyped_storage().element_count):
        hover(qtbot, strip.grid, 0, k)
        expected = np.argwhere(e.storage_indices() == k)
        assert session.highlight.logical.tolist() == expected.tolist()
        cells = LogicalTiling(e.shape, "e").cells_of(expected)
        assert logical.grid.highlighted_cells().tolist() == cells.tolist()
    hover(qtbot, strip.grid, 0, 2)
    readers = ", ".join(str(tuple(i)) for i in np.argwhere(e.storage_indices() == 2).tolist())
    count = len(np.argwhere(e.storage_indices() == 2))
    assert strip.read_by.text() == f"storage[2] is read by {count} elements of e: {readers}"


def test_leaving_a_view_clears_the_highlight(views, qtbot) -> None:
    session, logical, _ = views("x = core.arange(6).view(2, 3)")
    hover(qtbot, logical.grid, 1, 1)
    assert session.highlight is not None
    qtbot.mouseMove(logical.grid.graphics_view.viewport(), QPoint(1, 1))  # outside the cells
    assert session.highlight is None
    assert logical.formula.text() == " "


def test_a_click_keeps_the_highlight_after_the_mouse_leaves(views, qtbot) -> None:
    session, logical, strip = views("x = core.arange(12).view(3, 4)", "y = x.t()")
    viewport = logical.grid.graphics_view.viewport()

    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=logical.grid.cell_center(1, 2))
    qtbot.mouseMove(viewport, QPoint(1, 1))  # outside the cells

    assert session.pinned
    assert session.highlight.storage.tolist() == [9]
    assert (
        strip.grid.highlighted_cells().tolist() == strip.wrapping.cells_of(np.array([9])).tolist()
    )


# -- what the strip shows -----------------------------------------------------------


def test_dimmed_cells_are_exactly_the_ones_the_tensor_cannot_reach(views) -> None:
    session, _, strip = views("x = core.arange(12).view(3, 4)", "z = x[1:, ::2]")
    z = session.current.tensor
    content = strip.grid.content
    index = content.wrapping.storage_index_block(*every_cell(strip.grid))
    shown = content.colors(*every_cell(strip.grid))
    plain = storage_colors(index, 12)
    dimmed = (shown != plain).any(axis=-1)
    reachable = np.isin(index, z.storage_indices())
    assert dimmed.tolist() == (~reachable).tolist()
    assert np.flatnonzero(~dimmed).tolist() == [4, 6, 8, 10]


def test_other_family_members_mark_the_cells_they_read(views) -> None:
    session, _, strip = views("x = core.arange(12).view(3, 4)", "z = x[1:, ::2]", "w = x[0]")
    assert session.current.label == "w"
    texts = strip.grid.content.texts(*every_cell(strip.grid))
    assert texts.marker_colors == ("#4e79a7", "#f28e2b")  # x, then z, in family order
    assert texts.markers[0, :, 0].all()  # x reads every element
    assert np.flatnonzero(texts.markers[0, :, 1]).tolist() == [4, 6, 8, 10]
    assert texts.values[0].tolist() == [str(k) for k in range(12)]
    assert [label for label in strip.legend.text().split("&nbsp;") if label.isalpha()] == [
        "x",
        "z",
    ]
    assert "<b>w</b>" in strip.legend.text()


def test_a_write_in_place_updates_values_and_keeps_the_colours(views) -> None:
    session, logical, strip = views("x = core.arange(6).view(2, 3)")
    contents = logical.grid.content, strip.grid.content
    asked = logical.grid._image.image
    session.run("x.mul_(10)")
    assert (logical.grid.content, strip.grid.content) == contents
    assert logical.grid._image.image is asked
    texts = logical.grid.content.texts(np.arange(2), np.arange(3))
    assert texts.values.tolist() == [["0", "10", "20"], ["30", "40", "50"]]


# -- tiles --------------------------------------------------------------------------


def test_three_dims_tile_and_the_picker_chooses_rows_and_columns(views, qtbot) -> None:
    session, logical, _ = views("t = core.arange(24).view(2, 3, 4)")
    assert logical.dims_picker.isVisibleTo(logical)
    assert (logical.tiling.row_dim, logical.tiling.col_dim) == (1, 2)
    logical.row_dim_box.setCurrentIndex(2)
    logical.row_dim_box.activated.emit(2)  # picking the column dim swaps the two
    assert (logical.tiling.row_dim, logical.tiling.col_dim) == (2, 1)
    logical.set_dims(2, 0)
    tiling = logical.tiling
    assert (logical.grid.content.rows, logical.grid.content.cols) == (tiling.rows, tiling.cols)
    t = session.current.tensor
    for index in [(0, 0, 0), (1, 2, 3), (0, 1, 2)]:
        row, col = tiling.cells_of(np.array([index]))[0]
        hover(qtbot, logical.grid, row, col)
        assert tuple(session.highlight.logical[0]) == index
        assert session.highlight.storage.tolist() == [t.storage_indices()[index]]
    session.run("m = core.ones(2, 2)")
    assert not logical.dims_picker.isVisibleTo(logical)


# -- values -------------------------------------------------------------------------


def test_values_are_written_compactly_as_a_repr_would() -> None:
    assert format_values(np.array([3, -12])) == ["3", "-12"]
    assert format_values(np.array([2.0, 1 / 3, 1234.5, 1e-5, np.nan], dtype=np.float32)) == [
        "2.",
        "0.3333",
        "1234.5",
        "1e-05",
        "nan",
    ]
    assert format_values(np.array([True, False])) == ["True", "False"]


# -- pixels -------------------------------------------------------------------------


def test_the_screenshot_shows_the_outline_and_the_dimming_where_they_belong(views, qtbot) -> None:
    session, logical, strip = views("x = core.arange(12).view(3, 4)", "y = x.t()")
    hover(qtbot, logical.grid, 1, 2)
    accent = QColor(ACCENT_COLORS["light"])
    # The outline runs along the edges of cell (1, 2), and of storage cell 9 in the strip.
    assert distance(pixel(logical, logical.grid, 2.5, 1.0), accent) < 40
    assert distance(pixel(logical, logical.grid, 3.0, 1.5), accent) < 40
    assert distance(pixel(logical, logical.grid, 0.5, 1.0), accent) > 150
    assert distance(pixel(strip, strip.grid, 9.5, 0.0), accent) < 40
    assert distance(pixel(strip, strip.grid, 4.5, 0.0), accent) > 150
    # Inside a cell, away from its text: the colour of its storage index.
    inside = pixel(logical, logical.grid, 2.9, 1.1)
    assert distance(inside, QColor(*storage_colors(np.array(9), 12)[:3])) < 12

    session.run("z = x[1:, ::2]")
    background = strip.grid.background_color()
    reached, unreached = pixel(strip, strip.grid, 4.9, 0.1), pixel(strip, strip.grid, 5.9, 0.1)
    assert distance(unreached, background) < distance(reached, background) / 2


# -- a tensor of 16 million elements ------------------------------------------------


def test_sixteen_million_elements_show_and_hover(views, qtbot) -> None:
    session, logical, strip = views("x = core.zeros(4096, 4096)", "y = x.t()")
    y = session.current.tensor
    assert logical.grid._image.image.size < 4096 * 4096  # sampled, not one pixel a cell
    logical.grab()
    strip.grab()
    for _ in range(12):
        logical.grid.zoom_in()
    row, col = logical.grid.cell_at(QPointF(logical.grid.graphics_view.viewport().rect().center()))
    hover(qtbot, logical.grid, row, col)
    assert session.highlight.storage.tolist() == [y.storage_indices()[row, col]]
    assert strip.grid.highlighted_cells().tolist() == [list(divmod(int(row + col * 4096), 4096))]
    logical.grab()
    strip.grab()


def test_both_views_offer_the_zoom_slots_the_window_binds_to_keys(views) -> None:
    _, logical, strip = views("x = core.arange(12).view(3, 4)")
    for view in (logical, strip):
        view.zoom_out()
        fitted_smaller = view.grid.pixels_per_cell()
        view.zoom_in()
        view.zoom_in()
        assert view.grid.pixels_per_cell() > fitted_smaller
        view.zoom_to_fit()
        assert view.grid.view_box.viewRect().contains(view.grid.content.cols, 0)


def test_dimmed_cells_follow_a_change_of_theme(views) -> None:
    _, _, strip = views("x = core.arange(12).view(3, 4)", "z = x[1:, ::2]")
    strip.setPalette(dark_palette())
    background = dark_palette().color(QPalette.ColorRole.Base)
    assert strip.grid.background_color() == background
    reached, unreached = pixel(strip, strip.grid, 4.9, 0.1), pixel(strip, strip.grid, 5.9, 0.1)
    assert distance(unreached, background) < distance(reached, background) / 2


# -- broadcast views: more readers than can be listed --------------------------------


@pytest.mark.parametrize(
    ("line", "readers"),
    [
        ("x = core.zeros(1).expand(4096, 4096)", "16,777,216"),
        ("x = core.zeros(1).expand(10**6, 10**6)", "1,000,000,000,000"),
    ],
)
def test_hovering_a_broadcast_element_tints_every_reader_in_view(
    views, qtbot, line, readers
) -> None:
    session, logical, strip = views(line)
    # From outside the cells: a move to where the last test left the mouse sends no event.
    qtbot.mouseMove(strip.grid.graphics_view.viewport(), QPoint(1, 1))
    tracemalloc.start()
    try:
        hover(qtbot, strip.grid, 0, 0)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    count = session.highlight.reader_count
    assert count == int(readers.replace(",", "")) and not session.highlight.lists_every_reader
    assert peak < min(count * 8, 2**40) / 10  # nothing per reader: the view's cells at most
    # Every element reads storage[0]: every sampled cell is tinted, none outlined.
    window = logical.grid.sample_window
    tinted = logical.grid.tinted_cells()
    assert len(tinted) == window.samples()
    assert tinted[[0, -1]].tolist() == [
        [window.row0, window.col0],
        [window.sampled_rows()[-1], window.sampled_cols()[-1]],
    ]
    assert logical.grid._outline.outlined_count() == 0
    assert strip.read_by.text().startswith(
        f"storage[0] is read by {readers} elements of x: (0, 0), (0, 1), (0, 2), "
    )
    more = f"{count - 6:,}"
    assert strip.read_by.text().endswith(f"(0, 5), … and {more} more")
    logical.grab()


def test_a_broadcast_row_tints_exactly_the_column_that_reads_the_element(views, qtbot) -> None:
    session, logical, strip = views("x = core.arange(4096).expand(4096, 4096)")
    hover(qtbot, strip.grid, *strip.wrapping.cells_of(np.array([5]))[0].tolist())
    assert session.highlight.reader_count == 4096 > len(session.highlight.logical)
    assert strip.read_by.text() == (
        "storage[5] is read by 4,096 elements of x: "
        "(0, 5), (1, 5), (2, 5), (3, 5), (4, 5), (5, 5), … and 4,090 more"
    )
    logical.grid.view_box.setRange(xRange=(0, 100), yRange=(1000, 1100), padding=0)
    window = logical.grid.sample_window
    assert window.step == 1
    assert logical.grid.tinted_cells().tolist() == [[row, 5] for row in window.sampled_rows()]


def test_overlapping_windows_over_sixteen_million_elements_draw(views, qtbot) -> None:
    # 64·10^9 elements: the strip's reach comes from the storage, not from each element.
    session, logical, strip = views("x = core.arange(16_000_000)", "w = x.unfold(0, 4000, 1)")
    assert session.current.label == "w"
    strip.grab()
    window = strip.grid.sample_window
    colors = strip.grid.content.colors(window.sampled_rows(), window.sampled_cols())
    index = strip.wrapping.storage_index_block(window.sampled_rows(), window.sampled_cols())
    assert (colors == storage_colors(index, 16_000_000)).all()  # all reached: none dimmed
    strip.grid.view_box.setRange(xRange=(0, 8), yRange=(0, 2), padding=0)
    hover(qtbot, strip.grid, 0, 3)
    assert session.highlight.storage.tolist() == [3]
    assert session.highlight.reader_count == 4
    assert logical.grid.highlighted_cells().tolist() == [[0, 3], [1, 2], [2, 1], [3, 0]]
    logical.grab()


# -- long and wide tensors ----------------------------------------------------------


def test_a_long_vector_wraps_into_a_square_with_exact_cells(views, qtbot) -> None:
    session, logical, strip = views("v = core.arange(4096 * 4096)")
    assert (logical.grid.content.rows, logical.grid.content.cols) == (4096, 4096)
    assert logical.header.text().endswith("offset 0  ·  in rows of 4,096")
    # A square image as big as the view allows, not a line one cell high.
    side = min(logical.grid.view_box.width(), logical.grid.view_box.height())
    assert logical.grid.pixels_per_cell() * 4096 > 0.9 * side
    for _ in range(12):
        logical.grid.zoom_in()
    row, col = logical.grid.cell_at(QPointF(logical.grid.graphics_view.viewport().rect().center()))
    hover(qtbot, logical.grid, row, col)
    assert session.highlight.logical.tolist() == [[row * 4096 + col]]
    assert session.highlight.storage.tolist() == [row * 4096 + col]
    assert strip.grid.highlighted_cells().tolist() == [[row, col]]
    logical.grab()


def test_rows_of_a_wrapped_vector_are_labelled_by_their_first_index(views) -> None:
    _, logical, _ = views("v = core.arange(100)")
    content = logical.grid.content
    assert (content.rows, content.cols, content.label_cols) == (7, 16, 2)
    assert content.row_labels(0, 2, limit=10) == [(0, "0"), (1, "16"), (2, "32")]
    view = logical.grid.view_box.viewRect()
    assert view.contains(-2, 0) and view.contains(16, 7)  # the labels are in the fit
    # Ink left of column 0 in row 6, where "96" is written.
    background = logical.grid.background_color()
    inked = [
        x / 10
        for x in range(-18, -2)
        if distance(pixel(logical, logical.grid, x / 10, 6.5), background) > 100
    ]
    assert inked


@pytest.mark.parametrize(
    ("line", "index"),
    [
        ("e = core.zeros(1).expand(2, 10_000_000_000)", (1, 5_000_000_000)),
        ("e = core.zeros(1).as_strided((20_000_000_000,), (0,))", (19_999_999_999,)),
    ],
)
def test_more_than_two_to_the_thirty_one_cells_hover_exactly(views, qtbot, line, index) -> None:
    session, logical, strip = views(line)
    logical.grab()
    row, col = logical.tiling.cells_of(np.array([index]))[0].tolist()
    logical.grid.view_box.setRange(xRange=(col - 4, col + 4), yRange=(row - 4, row + 4))
    hover(qtbot, logical.grid, row, col)
    assert session.highlight.logical.tolist() == [list(index)]
    logical.grab()
    hover(qtbot, strip.grid, 0, 0)
    assert strip.read_by.text().startswith("storage[0] is read by 20,000,000,000 elements of e")
