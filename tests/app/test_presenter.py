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
from app.widgets.graph_items import PADDING

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
