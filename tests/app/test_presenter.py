"""Presenter mode: large, high-contrast, fewer docks; leaving puts back exactly what was there."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPalette
from PySide6.QtWidgets import QApplication

from app.main_window import MainWindow
from app.presenter import FONT_SCALE, HIDDEN_DOCKS
from app.presenter_views import PRESENTER_CELL_PX
from app.theme import apply_theme, dark_palette, high_contrast_palette
from app.widgets.cell_text_layer import CellTextLayer
from app.widgets.graph_items import PADDING
from core.timing import TimingRow

CODE = "x = torch.arange(12).view(3, 4); y = x.t()"
GRAD_CODE = "a = torch.tensor([1., 2., 3.], requires_grad=True)\nb = a * 2\nloss = (b * a).sum()"
ROLES = (
    QPalette.ColorRole.Window,
    QPalette.ColorRole.WindowText,
    QPalette.ColorRole.Base,
    QPalette.ColorRole.Text,
    QPalette.ColorRole.Button,
    QPalette.ColorRole.Highlight,
)


@pytest.fixture
def presenting_safely(qapp, restore_theme):
    """Put back the application font (and theme) even when a test fails while presenting."""
    font = QFont(qapp.font())
    yield
    qapp.setFont(font)


@pytest.fixture
def light(qapp, presenting_safely):
    apply_theme(qapp, "light")


def colors(palette: QPalette) -> list[str]:
    return [palette.color(role).name() for role in ROLES]


def layout_of(window: MainWindow) -> dict:
    """Everything presenter mode changes and must put back."""
    panel = window.memory_panel
    return {
        "font": QApplication.font().pointSizeF(),
        "console font": window.console.input.font().pointSizeF(),
        "palette": colors(QApplication.palette()),
        "docks": {name: dock.isVisible() for name, dock in window.docks.items()},
        "state": bytes(window.saveState()),
        "geometry": bytes(window.saveGeometry()),
        "size": window.size().toTuple(),
        "logical view": panel.logical_grid.grid.view_box.viewRect().getRect(),
        "storage view": panel.storage_strip.grid.view_box.viewRect().getRect(),
        "splitter": panel.splitter.sizes(),
        "legend height": panel.storage_strip.legend.height(),
    }


def settled(qtbot) -> None:
    """Let posted layout and palette events run."""
    for _ in range(3):
        QApplication.processEvents()
    qtbot.wait(10)


def test_entering_enlarges_and_leaving_puts_everything_back(qtbot, make_window, light) -> None:
    window = make_window(CODE)
    grids = window.memory_panel
    grids.logical_grid.zoom_in()  # the user's own zoom, kept across presenting
    settled(qtbot)
    before = layout_of(window)
    logical_px = grids.logical_grid.grid.pixels_per_cell()
    storage_px = grids.storage_strip.grid.pixels_per_cell()

    window.presenter_mode.enter()
    settled(qtbot)
    assert window.presenter_mode.active and window.presenter_action.isChecked()
    assert QApplication.font().pointSizeF() == pytest.approx(before["font"] * FONT_SCALE)
    # Code is in a font set on the widget, which does not follow the application's.
    assert window.console.input.font().pointSizeF() == pytest.approx(
        before["console font"] * FONT_SCALE
    )
    assert colors(QApplication.palette()) == colors(high_contrast_palette("light"))
    assert window.palette().color(QPalette.ColorRole.Window) == QColor("#ffffff")
    assert window.palette().color(QPalette.ColorRole.WindowText) == QColor("#000000")
    hidden = {name for name, shown in before["docks"].items() if shown} - {
        name for name, dock in window.docks.items() if dock.isVisible()
    }
    assert hidden == set(HIDDEN_DOCKS)
    assert window.docks["console"].isVisible()
    # Offscreen there is no screen to fill: the window keeps its size.
    assert not window.isFullScreen() and window.size().toTuple() == before["size"]
    # The storage strip had room to spare: its cells grew, up to the presenter's size.
    assert storage_px < grids.storage_strip.grid.pixels_per_cell() <= PRESENTER_CELL_PX
    assert grids.logical_grid.grid.pixels_per_cell() != pytest.approx(logical_px)
    # A label sized to one line of text when made grows with its text.
    legend = grids.storage_strip.legend
    assert legend.height() >= legend.sizeHint().height() > before["legend height"]

    window.presenter_mode.leave()
    settled(qtbot)
    assert not window.presenter_mode.active and not window.presenter_action.isChecked()
    assert layout_of(window) == before
    assert grids.logical_grid.grid.pixels_per_cell() == pytest.approx(logical_px)
    assert grids.storage_strip.grid.pixels_per_cell() == pytest.approx(storage_px)


def test_the_memory_views_share_their_height_by_rows_of_cells(qtbot, make_window, light) -> None:
    window = make_window(CODE)  # y is 4 rows high; its storage, one row of 12
    settled(qtbot)
    logical = window.memory_panel.logical_grid.grid
    storage = window.memory_panel.storage_strip.grid
    logical_px = logical.pixels_per_cell()

    window.presenter_mode.enter()
    settled(qtbot)
    # The storage strip gives up height it cannot use: the logical grid's cells grow
    # (whatever the larger labels took), to about the storage strip's size.
    assert logical.pixels_per_cell() > 1.1 * logical_px
    assert logical.pixels_per_cell() == pytest.approx(storage.pixels_per_cell(), rel=0.15)
    window.presenter_mode.leave()
    settled(qtbot)
    assert logical.pixels_per_cell() == pytest.approx(logical_px)


def test_f5_enters_and_leaves(qtbot, make_window, light) -> None:
    window = make_window(CODE)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    font = QApplication.font().pointSizeF()

    qtbot.keyClick(window.console.input, Qt.Key.Key_F5)
    assert window.presenter_mode.active
    assert window.presenter_action.isChecked()
    assert QApplication.font().pointSizeF() == pytest.approx(font * FONT_SCALE)
    qtbot.keyClick(window.console.input, Qt.Key.Key_F5)
    assert not window.presenter_mode.active
    assert not window.presenter_action.isChecked()
    assert QApplication.font().pointSizeF() == pytest.approx(font)


def test_the_view_menu_action_is_checkable_with_f5(make_window, light) -> None:
    window = make_window()
    action = window.presenter_action
    view_menu = next(
        a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "View"
    )
    assert action in view_menu.actions()
    assert action.isCheckable() and action.shortcut().toString() == "F5"
    action.trigger()
    assert window.presenter_mode.active
    action.trigger()
    assert not window.presenter_mode.active


def test_dark_theme_presents_white_on_black_and_comes_back(
    qtbot, make_window, qapp, presenting_safely
) -> None:
    apply_theme(qapp, "dark")
    window = make_window(CODE)
    window.presenter_mode.enter()
    settled(qtbot)
    assert window.palette().color(QPalette.ColorRole.Window) == QColor("#000000")
    assert window.palette().color(QPalette.ColorRole.WindowText) == QColor("#ffffff")
    assert window.console.palette().color(QPalette.ColorRole.Text) == QColor("#ffffff")
    window.presenter_mode.leave()
    settled(qtbot)
    assert colors(QApplication.palette()) == colors(dark_palette())


def test_a_theme_chosen_while_presenting_is_high_contrast_and_kept(
    qtbot, make_window, light
) -> None:
    window = make_window(CODE)
    window.presenter_mode.enter()
    window.theme_actions["dark"].trigger()
    settled(qtbot)
    assert colors(QApplication.palette()) == colors(high_contrast_palette("dark"))
    assert window.memory_panel.logical_grid.grid.background_color() == QColor(
        high_contrast_palette("dark").color(QPalette.ColorRole.Base)
    )

    window.presenter_mode.leave()
    settled(qtbot)
    assert colors(QApplication.palette()) == colors(dark_palette())
    assert window.theme_actions["dark"].isChecked()
    assert window.palette().color(QPalette.ColorRole.Window) == QColor("#1f242d")


def ink_rows(image: QImage, top: int, bottom: int) -> int:
    """How many rows of ``image`` between ``top`` and ``bottom`` hold dark (text) pixels."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), -1, 4)
    band = pixels[top:bottom, : image.width(), :3].astype(int).sum(axis=2)
    return int((band < 3 * 90).any(axis=1).sum())


def test_dock_titles_and_the_graph_are_drawn_larger(qtbot, make_window, light) -> None:
    window = make_window(GRAD_CODE)
    settled(qtbot)
    dock = window.docks["console"]
    title_before = ink_rows(dock.grab().toImage(), 0, dock.widget().y())
    view = window.graph_panel.view
    boxes_before = {node: item.rect.size() for node, item in view.node_items.items()}
    assert boxes_before

    window.presenter_mode.enter()
    settled(qtbot)
    # The title is painted in a font the dock kept from when it was made, unless told.
    title_presenting = ink_rows(dock.grab().toImage(), 0, dock.widget().y())
    assert title_presenting >= 1.4 * title_before
    # The graph's boxes are laid out again around their larger text.
    assert view.fonts.bold.pointSizeF() == pytest.approx(QApplication.font().pointSizeF(), rel=0.01)
    for node, item in view.node_items.items():
        text_height = item.rect.height() - 2 * PADDING
        assert text_height >= 1.4 * (boxes_before[node].height() - 2 * PADDING)
        assert item.fonts is view.fonts

    window.presenter_mode.leave()
    settled(qtbot)
    assert ink_rows(dock.grab().toImage(), 0, dock.widget().y()) == title_before
    assert {node: item.rect.size() for node, item in view.node_items.items()} == boxes_before


def test_a_new_tensor_shown_while_presenting_is_zoomed_for_the_room(
    qtbot, make_window, light
) -> None:
    window = make_window(CODE)
    storage = window.memory_panel.storage_strip.grid
    window.presenter_mode.enter()
    settled(qtbot)
    window.run_code("z = torch.arange(6)")
    settled(qtbot)
    storage.zoom_to_fit()
    fitted = storage.pixels_per_cell()
    window.run_code("w = torch.arange(5)")  # another shape: zoom to fit, then for the room
    settled(qtbot)
    assert storage.pixels_per_cell() > fitted
    window.presenter_mode.leave()


def test_closing_while_presenting_saves_the_windows_own_layout(
    qtbot, make_window, tmp_path, light
) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = make_window(CODE, settings=settings)
    settled(qtbot)
    state = bytes(window.saveState())
    font = QApplication.font().pointSizeF()
    window.presenter_mode.enter()
    window.close()
    assert bytes(settings.value("window_state")) == state
    assert QApplication.font().pointSizeF() == pytest.approx(font)


def plot_text_heights(plot) -> dict[str, float]:
    """The heights of the timing plot's pyqtgraph texts, their margins left out (a point
    hovered for its readout)."""
    plot._set_hovered(plot._points[0][2])
    (_, legend_label), *_ = plot.legend.items
    (crossover,) = plot.crossover_lines
    texts = {
        "title": plot.plot_item.titleLabel.item,
        "legend": legend_label.item,
        "axis label": plot.plot_item.getAxis("bottom").label,
        "crossover": crossover.label.textItem,
        "hover": plot._hover_text.textItem,
    }
    return {
        name: text.boundingRect().height() - 2 * text.document().documentMargin()
        for name, text in texts.items()
    }


def test_the_timing_plots_texts_grow_with_the_rest(qtbot, make_window, light) -> None:
    window = make_window(CODE)
    window.docks["timing"].show()
    sizes = (2**10, 2**14, 2**18)
    window.timing_panel.show_rows(
        TimingRow(
            "add", device, "contiguous", size, seconds, 0.0, 12 * size / seconds / 1e9, "GB/s"
        )
        for device, base, per_element in (("cpu", 1e-6, 1e-9), ("cuda", 2e-5, 1e-11))
        for size in sizes
        for seconds in [base + per_element * size]
    )
    plot = window.timing_panel.plot
    settled(qtbot)
    before = plot_text_heights(plot)

    window.presenter_mode.enter()
    settled(qtbot)
    presenting = plot_text_heights(plot)
    for text, height in presenting.items():
        assert height >= 1.4 * before[text], text
    title = plot.plot_item.titleLabel
    assert title.height() >= title.item.boundingRect().height()  # its row grew: not cut

    window.presenter_mode.leave()
    settled(qtbot)
    assert plot_text_heights(plot) == before


def test_the_graph_lays_itself_out_again_in_a_new_font(qtbot, make_window, light) -> None:
    window = make_window(GRAD_CODE)
    settled(qtbot)
    view = window.graph_panel.view
    window.session.step()
    states = {node: item.state for node, item in view.node_items.items()}
    view.zoom_in()  # the user's own zoom stays
    zoom = view.transform().m11()
    heights = {node: item.rect.height() - 2 * PADDING for node, item in view.node_items.items()}

    font = QFont(view.font())
    font.setPointSizeF(font.pointSizeF() * 2)
    view.setFont(font)
    settled(qtbot)
    for node, item in view.node_items.items():
        assert item.rect.height() - 2 * PADDING >= 1.8 * heights[node]
        assert item.fonts is view.fonts
    assert {node: item.state for node, item in view.node_items.items()} == states
    assert view.transform().m11() == pytest.approx(zoom)


class DrawnTexts:
    """A painter that passes everything on and notes each text drawn, with its pixel size."""

    def __init__(self, painter, drawn: list[tuple[str, int]]) -> None:
        self._painter, self._drawn = painter, drawn

    def drawText(self, *args) -> None:  # noqa: N802 (QPainter's)
        self._drawn.append((args[-1], self._painter.font().pixelSize()))
        self._painter.drawText(*args)

    def __getattr__(self, name: str):
        return getattr(self._painter, name)


@pytest.mark.parametrize(
    ("code", "kind", "caption"),
    [
        # Each 2-D slice of a 3-D tensor is a tile with its caption above it.
        (
            "x = torch.arange(24).view(2, 3, 4); y = x.permute(2, 0, 1)",
            "_paint_tile_labels",
            "y[1, :, :]",
        ),
        # A long 1-D tensor is shown in rows, each labelled with its first index.
        ("x = torch.arange(100)", "_paint_row_labels", "16"),
    ],
)
def test_captions_beside_the_cells_grow_with_the_text(
    qtbot, make_window, light, monkeypatch, code, kind, caption
) -> None:
    """Captions are sized to the cells, up to a cap that follows the text size, and still
    drawn where they fit."""
    drawn: list[tuple[str, int]] = []
    paint = getattr(CellTextLayer, kind)
    monkeypatch.setattr(
        CellTextLayer,
        kind,
        lambda self, painter, *args: paint(self, DrawnTexts(painter, drawn), *args),
    )
    window = make_window(code)
    settled(qtbot)
    window.memory_panel.grab()
    normal = max(size for text, size in drawn if text == caption)

    drawn.clear()
    window.presenter_mode.enter()
    settled(qtbot)
    window.memory_panel.grab()
    assert max(size for text, size in drawn if text == caption) >= 1.3 * normal
    window.presenter_mode.leave()


def test_a_failed_views_explanation_shows_whole_in_its_larger_text(
    qtbot, make_window, light
) -> None:
    window = make_window(CODE)
    window.resize(1700, 1100)  # a full-HD projector's room
    window.console.input.setText("flat = y.view(12)")
    window.console.run_input()
    settled(qtbot)
    panel = window.memory_panel
    explanation = panel.view_failure_panel
    assert explanation.height() >= explanation.heightForWidth(explanation.width())
    splitter = panel.splitter.sizes()

    window.presenter_mode.enter()
    settled(qtbot)
    assert explanation.height() >= explanation.heightForWidth(explanation.width())
    for view in (panel.logical_grid, panel.storage_strip):
        assert view.grid.height() >= view.grid.minimumSizeHint().height() > 0
    window.presenter_mode.leave()
    settled(qtbot)
    assert panel.splitter.sizes() == splitter


def test_the_line_last_run_stays_in_view_in_its_taller_row(qtbot, make_window, light) -> None:
    window = make_window(";".join(f"v{k} = torch.arange({k + 1})" for k in range(4)))
    history = window.console.history_view
    settled(qtbot)
    assert history.viewport().rect().contains(history.visualRect(history.currentIndex()))

    window.presenter_mode.enter()
    settled(qtbot)
    assert history.viewport().rect().contains(history.visualRect(history.currentIndex()))
    window.presenter_mode.leave()


def test_entered_before_the_window_shows_the_views_share_once_laid_out(qtbot, light) -> None:
    """As ``stridescope render --presenter`` does, and as going full screen settles later."""
    window = MainWindow()
    qtbot.addWidget(window)
    window.run_code("x = torch.arange(24).view(2, 3, 4); y = x.permute(2, 0, 1)")
    window.presenter_mode.enter()
    window.show()
    qtbot.waitExposed(window)
    settled(qtbot)
    logical = window.memory_panel.logical_grid.grid
    storage = window.memory_panel.storage_strip.grid
    assert logical.pixels_per_cell() == pytest.approx(storage.pixels_per_cell(), rel=0.15)

    window.resize(window.width(), window.height() + 200)  # full screen, a moment later
    settled(qtbot)
    assert logical.pixels_per_cell() == pytest.approx(storage.pixels_per_cell(), rel=0.15)
    window.presenter_mode.leave()
