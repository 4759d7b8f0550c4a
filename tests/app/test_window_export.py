"""File > Export: the window or a panel on screen as PNG or SVG, print-friendly on request."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
from PySide6.QtGui import QFontInfo, QImage, QPalette
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from app.main_window import MainWindow
from app.theme import apply_theme, dark_palette
from app.window_export import (
    PNG_FILTER,
    SVG_FILTER,
    ask_for_path,
    chosen_path,
    export_widget,
)

CODE = "x = torch.arange(12).view(3, 4); y = x.t()"
GRAD_CODE = "a = torch.tensor([1., 2., 3.], requires_grad=True)\nb = a * 2\nloss = (b * a).sum()"


def export_action(window: MainWindow, text: str):
    """The File > Export entry reading ``text``, the menu filled as when it opens."""
    export = window.window_export
    export.fill_menu()
    matches = [a for a in export.menu.actions() if a.text() == text]
    assert matches, f"no {text!r} in {[a.text() for a in export.menu.actions()]}"
    return matches[0]


def entries(window: MainWindow) -> list[str]:
    window.window_export.fill_menu()
    return [a.text() for a in window.window_export.menu.actions() if a.text()]


def choosing(window: MainWindow, path: Path) -> list[str]:
    """Answer the save dialog with ``path``; returns the titles it was asked with."""
    asked = []

    def choose(parent: QWidget, title: str, suggested: str) -> str:
        assert parent is window
        asked.append(suggested)
        return str(path)

    window.window_export.choose_path = choose
    return asked


def svg_text(path: Path) -> str:
    return " ".join(ElementTree.parse(path).getroot().itertext())


def pixels(image: QImage) -> np.ndarray:
    """(height, width, 3) RGB of ``image``."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    data = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), -1, 4)
    return data[:, : image.width(), 2::-1]


def test_the_menu_lists_the_window_and_only_the_panels_on_screen(make_window) -> None:
    window = make_window(CODE)
    assert entries(window) == [
        "Whole window…",
        "Memory views…",
        "Console…",
        "Inspector…",
        "Print-friendly light background",
    ]
    window.docks["inspector"].hide()
    window.run_code(GRAD_CODE)  # the backward graph opens
    listed = entries(window)
    assert "Backward graph…" in listed and "Inspector…" not in listed


def test_the_whole_window_exports_to_png_and_svg(qtbot, make_window, tmp_path) -> None:
    window = make_window(CODE)
    asked = choosing(window, tmp_path / "window.png")
    export_action(window, "Whole window…").trigger()
    assert asked == ["stridescope-window.png"]
    image = QImage(str(tmp_path / "window.png"))
    assert not image.isNull() and image.size() == window.size()

    choosing(window, tmp_path / "drawings" / "window.svg")  # a folder made on the way
    export_action(window, "Whole window…").trigger()
    svg = tmp_path / "drawings" / "window.svg"
    assert QSvgRenderer(str(svg)).isValid()
    text = svg_text(svg)
    assert "y = x.t()" in text and "stride (1, 4)" in text


PANELS = {
    # entry: (how it gets on screen, its widget, a text it shows)
    "Memory views…": (None, lambda w: w.memory_panel, "stride (1, 4)"),
    "Console…": (None, lambda w: w.console, "y = x.t()"),
    "Inspector…": (None, lambda w: w.inspector, "is_contiguous()"),
    "Backward graph…": (
        lambda w: w.run_code(GRAD_CODE),
        lambda w: w.graph_panel,
        "MulBackward0",
    ),
    "Timing…": (lambda w: w.docks["timing"].show(), lambda w: w.timing_panel, "Experiments"),
    "Lesson…": (lambda w: w.open_lesson("1"), lambda w: w.lesson_player, "Step 1 of"),
}


@pytest.mark.parametrize("entry", list(PANELS))
def test_each_panel_exports_to_png_and_svg(qtbot, make_window, tmp_path, entry) -> None:
    window = make_window(CODE)
    show, panel_of, shown_text = PANELS[entry]
    if show is not None:
        show(window)
        qtbot.waitUntil(lambda: panel_of(window).isVisible())
    panel = panel_of(window)

    choosing(window, tmp_path / "panel.png")
    export_action(window, entry).trigger()
    image = QImage(str(tmp_path / "panel.png"))
    assert not image.isNull() and image.size() == panel.size()

    choosing(window, tmp_path / "panel.svg")
    export_action(window, entry).trigger()
    assert QSvgRenderer(str(tmp_path / "panel.svg")).isValid()
    assert shown_text in svg_text(tmp_path / "panel.svg")


def test_cell_values_are_text_in_an_svg(make_window, tmp_path) -> None:
    window = make_window("v = torch.tensor([31., 47., 59.])")
    svg = export_widget(window.memory_panel, tmp_path / "cells.svg")
    words = svg_text(svg).split()
    assert words.count("47.") == 2  # once in the logical grid, once in the storage strip


class UpdateCounter(QObject):
    """Counts the repaints of a window on screen (its update requests)."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.UpdateRequest:
            self.count += 1
        return False


def test_print_friendly_draws_on_white_and_the_dark_theme_stays(
    qtbot, make_window, tmp_path, qapp, restore_theme
) -> None:
    apply_theme(qapp, "dark")
    window = make_window(CODE)
    qtbot.waitUntil(lambda: window.palette().color(QPalette.ColorRole.Window).lightness() < 128)
    on_screen = window.memory_panel.grab().toImage()
    export_action(window, "Print-friendly light background").trigger()
    assert window.window_export.print_friendly
    choosing(window, tmp_path / "print.png")
    screen_updates = UpdateCounter()
    window.installEventFilter(screen_updates)
    export_action(window, "Whole window…").trigger()
    # Drawn without a repaint on screen: the light palette never shows there.
    assert screen_updates.count == 0

    picture = pixels(QImage(str(tmp_path / "print.png")))
    console = window.console.history_view
    corner = console.mapTo(window, console.rect().bottomRight())
    # Behind the console's lines, and the window's own background beside the menus.
    assert (picture[corner.y() - 4, corner.x() - 4] == 255).all()
    assert (picture[5, window.width() - 5] == 255).all()
    # The screen is dark again at once: no widget is left in the light palette.
    assert QApplication.palette().color(QPalette.ColorRole.Window) == dark_palette().color(
        QPalette.ColorRole.Window
    )
    assert window.memory_panel.logical_grid.grid.background_color().lightness() < 128
    assert window.memory_panel.grab().toImage() == on_screen
    qtbot.waitUntil(lambda: screen_updates.count > 0)  # then the screen repaints, dark
    window.removeEventFilter(screen_updates)


def test_print_friendly_is_kept_in_the_settings(make_window, tmp_path) -> None:
    path = str(tmp_path / "s.ini")
    window = make_window(settings=QSettings(path, QSettings.Format.IniFormat))
    assert not window.window_export.print_friendly
    export_action(window, "Print-friendly light background").trigger()
    window.close()
    again = make_window(settings=QSettings(path, QSettings.Format.IniFormat))
    assert again.window_export.print_friendly
    assert export_action(again, "Print-friendly light background").isChecked()


def test_a_folder_that_cannot_be_made_says_why_and_changes_nothing(
    qtbot, make_window, tmp_path
) -> None:
    window = make_window(CODE)
    (tmp_path / "notes.txt").write_text("a file, not a folder")
    choosing(window, tmp_path / "notes.txt" / "window.png")
    palette = QApplication.palette().color(QPalette.ColorRole.Window)

    assert window.window_export.export(window, "window") is None
    box = window.window_export.error_box
    qtbot.waitUntil(box.isVisible)
    assert "window.png" in box.text()
    # The folder to make is a file: the system's reason, and the path it is about.
    assert f"File exists: {tmp_path / 'notes.txt'}" in box.informativeText()
    assert not list(tmp_path.glob("**/*.png"))
    assert (tmp_path / "notes.txt").read_text() == "a file, not a folder"
    assert QApplication.palette().color(QPalette.ColorRole.Window) == palette
    assert window.isVisible() and window.session.tensors()
    box.close()


def test_an_export_replaces_an_older_file(make_window, tmp_path) -> None:
    window = make_window(CODE)
    target = tmp_path / "console.png"
    target.write_bytes(b"old")
    export_widget(window.console, target)
    assert QImage(str(target)).size() == window.console.size()


def test_only_png_and_svg_names_are_exported(make_window, tmp_path) -> None:
    window = make_window()
    with pytest.raises(ValueError, match=r"\.png or \.svg"):
        export_widget(window, tmp_path / "window.jpg")
    assert not (tmp_path / "window.jpg").exists()


@pytest.mark.parametrize(
    ("typed", "name_filter", "written"),
    [
        ("pic", PNG_FILTER, "pic.png"),
        ("pic", SVG_FILTER, "pic.svg"),
        ("pic.SVG", PNG_FILTER, "pic.SVG"),  # the extension typed decides
        ("pic.png", SVG_FILTER, "pic.png"),
        ("pic.v2", SVG_FILTER, "pic.v2.svg"),
    ],
)
def test_the_extension_decides_and_else_the_chosen_filter(typed, name_filter, written) -> None:
    assert chosen_path(typed, name_filter) == written


def test_the_save_dialog_adds_the_chosen_filters_extension(qtbot, make_window, tmp_path) -> None:
    window = make_window()

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QFileDialog)
        assert dialog.nameFilters() == [PNG_FILTER, SVG_FILTER]
        dialog.selectNameFilter(SVG_FILTER)
        dialog.filterSelected.emit(SVG_FILTER)
        dialog.selectFile(str(tmp_path / "drawing"))
        dialog.accept()

    QTimer.singleShot(0, answer)
    path = ask_for_path(window, "Export as…", str(tmp_path / "stridescope-window.png"))
    assert path == str(tmp_path / "drawing.svg")


def test_the_save_dialog_offers_the_suggested_file(qtbot, make_window, tmp_path) -> None:
    window = make_window()
    QTimer.singleShot(0, lambda: QApplication.activeModalWidget().accept())
    suggested = tmp_path / "stridescope-memory.svg"
    assert ask_for_path(window, "Export as…", str(suggested)) == str(suggested)


def test_svg_text_is_as_large_as_on_screen(make_window, tmp_path) -> None:
    """A font in points is drawn at the screen's resolution, as the widget laid it out for."""
    window = make_window(CODE)
    label = window.memory_panel.storage_strip.legend
    svg = export_widget(label.parentWidget(), tmp_path / "strip.svg")
    root = ElementTree.parse(svg).getroot()
    sizes = {
        float(text.get("font-size"))
        for text in root.iter("{http://www.w3.org/2000/svg}text")
        if text.get("font-family") == label.font().family()
    }
    assert QFontInfo(label.font()).pixelSize() in sizes
    # 1 px of the view box is 1/96 inch, as a browser draws it: the drawing is as large too.
    width_mm = float(root.get("width").removesuffix("mm"))
    assert width_mm / 25.4 * label.logicalDpiX() == pytest.approx(
        label.parentWidget().width(), abs=0.01
    )


def test_an_svgs_title_leaves_out_the_modified_mark(make_window, tmp_path) -> None:
    window = make_window(CODE)
    assert "[*]" in window.windowTitle()  # where Qt shows "*" for unsaved changes
    svg = export_widget(window, tmp_path / "window.svg")
    title = ElementTree.parse(svg).getroot().findtext("{http://www.w3.org/2000/svg}title")
    assert title == window.windowTitle().replace("[*]", "") and "*" not in title


def scaled_strokes(svg: Path) -> list[str]:
    """Transforms that scale fixed-width strokes (which viewers without vector effects,
    such as librsvg, would draw scaled)."""
    found = []
    for group in ElementTree.parse(svg).getroot().iter("{http://www.w3.org/2000/svg}g"):
        a, b, c, d, _, _ = map(
            float, group.get("transform", "matrix(1,0,0,1,0,0)")[7:-1].split(",")
        )
        non_scaling = any(shape.get("vector-effect") == "non-scaling-stroke" for shape in group)
        if non_scaling and not (abs(a) == abs(d) == 1 and b == c == 0):
            found.append(group.get("transform"))
    return found


def test_a_lit_cells_outline_is_drawn_in_place_at_its_width(make_window, tmp_path) -> None:
    window = make_window(CODE)
    window.session.click_logical((1, 2))  # lit: outlined in the grid and in storage
    svg = export_widget(window.memory_panel, tmp_path / "memory.svg")
    assert scaled_strokes(svg) == []
    cell_px = window.memory_panel.logical_grid.grid.pixels_per_cell()
    outlines = [
        float(rect.get("width"))
        for rect in ElementTree.parse(svg).getroot().iter("{http://www.w3.org/2000/svg}rect")
        if rect.get("vector-effect") == "non-scaling-stroke"
    ]
    assert any(width == pytest.approx(cell_px, abs=0.01) for width in outlines)
