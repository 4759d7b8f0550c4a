"""Export the whole window or one panel as a PNG picture or an SVG drawing (File > Export).

:func:`export_widget` does the work (the command line uses it too); :class:`WindowExport`
keeps the submenu, asks where to save, and says why when a file cannot be written. The
SVG comes from Qt's own generator (:func:`app.render.save_svg`), so text stays text.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QAction, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QGraphicsItem,
    QGraphicsView,
    QMenu,
    QMessageBox,
    QWidget,
)

from app.i18n import QT_TRANSLATE_NOOP, translate
from app.render import render_widget, save_svg
from app.theme import print_palette

if TYPE_CHECKING:
    from app.main_window import MainWindow

PNG_FILTER = QT_TRANSLATE_NOOP("WindowExport", "PNG image (*.png)")
SVG_FILTER = QT_TRANSLATE_NOOP("WindowExport", "SVG drawing (*.svg)")
SUFFIXES = (".png", ".svg")
PRINT_FRIENDLY_KEY = "export_print_friendly"
FOLDER_KEY = "export_folder"
SAVED_MESSAGE_MS = 6000

PANEL_TITLES = {
    "memory": QT_TRANSLATE_NOOP("WindowExport", "Memory views…"),
    "graph": QT_TRANSLATE_NOOP("WindowExport", "Backward graph…"),
    "timing": QT_TRANSLATE_NOOP("WindowExport", "Timing…"),
    "lesson": QT_TRANSLATE_NOOP("WindowExport", "Lesson…"),
    "console": QT_TRANSLATE_NOOP("WindowExport", "Console…"),
    "inspector": QT_TRANSLATE_NOOP("WindowExport", "Inspector…"),
}
"""The panels File > Export offers (those on screen when the menu opens), in menu order."""


@contextlib.contextmanager
def drawn_for_print() -> Iterator[None]:
    """Inside the block every widget has the light print palette (white behind everything);
    after it, the palette it had before.

    Only the palette's own events are delivered, not the event loop's: the screen is not
    repainted in between, so the light theme never flashes up there (draw with
    ``run_events=False``).
    """
    app = QApplication.instance()
    screen_palette = QPalette(app.palette())
    try:
        app.setPalette(print_palette())
        _deliver_palette()
        yield
    finally:
        app.setPalette(screen_palette)
        _deliver_palette()


def _deliver_palette() -> None:
    """Give every widget the application's palette now (Qt posts it to each)."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.ApplicationPaletteChange.value)


@contextlib.contextmanager
def items_drawn_afresh(widget: QWidget) -> Iterator[None]:
    """Inside the block, graphics items under ``widget`` paint themselves, not a cached
    picture of themselves: in an SVG the cells' values are then text, not an image."""
    cached = [
        (item, item.cacheMode())
        for view in widget.findChildren(QGraphicsView)
        if view.scene() is not None
        for item in view.scene().items()
        if item.cacheMode() != QGraphicsItem.CacheMode.NoCache
    ]
    for item, _ in cached:
        item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    try:
        yield
    finally:
        for item, mode in cached:
            item.setCacheMode(mode)


def export_widget(widget: QWidget, path: str | Path, print_friendly: bool = False) -> Path:
    """Save ``widget`` to ``path``, a PNG or an SVG by its extension; returns the absolute path.

    ``print_friendly`` draws it in the light theme on white, whatever the theme on screen
    (which is back when this returns). A file already at ``path`` is replaced only once the
    new one is complete.

    Raises
    ------
    ValueError
        When ``path`` ends neither in ``.png`` nor in ``.svg``.
    OSError
        When the folder cannot be made or the file cannot be written (with the reason).
    """
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError(f"{Path(path).name}: the file name must end in .png or .svg")
    drawing = drawn_for_print() if print_friendly else contextlib.nullcontext()
    run_events = not print_friendly
    with drawing:
        if suffix == ".svg":
            with items_drawn_afresh(widget):
                return save_svg(widget, path, run_events=run_events)
        return render_widget(widget, path, run_events)


def filter_suffix(name_filter: str) -> str:
    """The extension a save dialog's ``name_filter`` stands for: ``svg`` or ``png``."""
    return "svg" if "*.svg" in name_filter else "png"


def chosen_path(path: str, name_filter: str) -> str:
    """The file to write for ``path`` chosen under ``name_filter``: an extension of ``.png``
    or ``.svg`` decides the format; without one, the filter's extension is added."""
    if Path(path).suffix.lower() in SUFFIXES:
        return path
    return f"{path}.{filter_suffix(name_filter)}"


def failure_reason(error: OSError | ValueError) -> str:
    """Why a file could not be written, in the system's words, with the path it concerns."""
    strerror = getattr(error, "strerror", None)
    if not strerror:
        return str(error)
    filename = getattr(error, "filename", None)
    return f"{strerror}: {filename}" if filename else strerror


def ask_for_path(parent: QWidget, title: str, suggested: str) -> str:
    """Qt's save dialog for a PNG or an SVG; the chosen path, or "" when cancelled."""
    dialog = QFileDialog(parent, title, suggested)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    filters = [translate("WindowExport", PNG_FILTER), translate("WindowExport", SVG_FILTER)]
    dialog.setNameFilters(filters)
    dialog.selectNameFilter(filters[1] if suggested.lower().endswith(".svg") else filters[0])
    # The dialog adds the extension of the filter chosen, and asks before overwriting that file.
    dialog.setDefaultSuffix(filter_suffix(dialog.selectedNameFilter()))
    dialog.filterSelected.connect(lambda chosen: dialog.setDefaultSuffix(filter_suffix(chosen)))
    if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return ""
    return chosen_path(dialog.selectedFiles()[0], dialog.selectedNameFilter())


class WindowExport(QObject):
    """File > Export of one window: the whole window, a panel on screen, print-friendly or not.

    ``choose_path(parent, title, suggested)`` asks for the file (tests replace it);
    ``error_box`` is the last message that said a file could not be written.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.choose_path: Callable[[QWidget, str, str], str] = ask_for_path
        self.error_box: QMessageBox | None = None
        self.menu = QMenu(translate("WindowExport", "E&xport"), window)
        self.print_friendly_action = QAction(
            translate("WindowExport", "Print-friendly light background"), self
        )
        self.print_friendly_action.setCheckable(True)
        self.print_friendly_action.setToolTip(
            translate(
                "WindowExport",
                "Draw the picture in the light theme on white, whatever the theme on screen",
            )
        )
        settings = window.settings
        if settings is not None:
            self.print_friendly_action.setChecked(
                settings.value(PRINT_FRIENDLY_KEY, False, type=bool)
            )
        self.print_friendly_action.toggled.connect(self._remember_print_friendly)
        self.menu.aboutToShow.connect(self.fill_menu)
        self.fill_menu()

    @property
    def print_friendly(self) -> bool:
        """True when pictures are drawn in the light theme on white."""
        return self.print_friendly_action.isChecked()

    def panels(self) -> dict[str, QWidget]:
        """The panels on screen now, by the keys of ``PANEL_TITLES``, in menu order."""
        window = self.window
        candidates = {
            "memory": window.memory_panel,
            "graph": window.graph_panel,
            "timing": window.timing_panel,
            "lesson": window.docks["lesson"].widget() if "lesson" in window.docks else None,
            "console": window.console,
            "inspector": window.inspector,
        }
        return {
            key: panel
            for key, panel in candidates.items()
            if panel is not None and panel.isVisible()
        }

    def fill_menu(self) -> None:
        """List the whole window and each panel on screen (the menu is filled as it opens)."""
        menu = self.menu
        menu.clear()
        whole = menu.addAction(translate("WindowExport", "Whole window…"))
        whole.triggered.connect(lambda: self.export(self.window, "window"))
        menu.addSeparator()
        for key, panel in self.panels().items():
            action = menu.addAction(translate("WindowExport", PANEL_TITLES[key]))
            action.triggered.connect(lambda _=False, p=panel, k=key: self.export(p, k))
        menu.addSeparator()
        menu.addAction(self.print_friendly_action)

    def export(self, widget: QWidget, name: str) -> Path | None:
        """Ask where to save ``widget`` (named ``name`` in the suggested file name) and save it.

        Returns the file written; None when the user cancelled or it could not be written
        (a message box then says why; nothing on screen changes).
        """
        folder = self._folder()
        suggested = str(folder / f"stridescope-{name}.png") if folder else f"stridescope-{name}.png"
        path = self.choose_path(self.window, translate("WindowExport", "Export as…"), suggested)
        if not path:
            return None
        try:
            written = export_widget(widget, path, self.print_friendly)
        except (OSError, ValueError) as error:
            self._show_error(path, failure_reason(error))
            return None
        if self.window.settings is not None:
            self.window.settings.setValue(FOLDER_KEY, str(written.parent))
        self.window.statusBar().showMessage(
            translate("WindowExport", "Saved {path}").format(path=written), SAVED_MESSAGE_MS
        )
        return written

    def _folder(self) -> Path | None:
        settings = self.window.settings
        if settings is None:
            return None
        folder = settings.value(FOLDER_KEY, "", type=str)
        return Path(folder) if folder else None

    def _show_error(self, path: str, reason: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            translate("WindowExport", "Export failed"),
            translate("WindowExport", "Could not save {name}.").format(name=Path(path).name),
            QMessageBox.StandardButton.Ok,
            self.window,
        )
        box.setInformativeText(
            translate(
                "WindowExport", "{reason}\n\nChoose another folder or file name and try again."
            ).format(reason=reason)
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # not modal to the whole app: the window keeps running
        self.error_box = box

    def _remember_print_friendly(self, checked: bool) -> None:
        if self.window.settings is not None:
            self.window.settings.setValue(PRINT_FRIENDLY_KEY, checked)
