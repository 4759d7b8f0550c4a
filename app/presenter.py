"""Presenter mode: the window made readable from the back of a classroom, and put back after.

Entering makes every font :data:`FONT_SCALE` times larger, swaps the theme for its
high-contrast palette, hides the docks a lecture does not need, zooms the memory views'
cells up and, on a real display, fills the screen. Leaving puts back exactly what was
there: fonts, palette, zooms, splitters, docks, window state and geometry. A theme chosen
while presenting is kept on leaving.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QByteArray, QCoreApplication, QObject, QSize, Qt, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence, QPalette
from PySide6.QtWidgets import QApplication, QDockWidget, QScrollBar, QSplitter, QWidget

from app.i18n import translate
from app.presenter_views import (
    GraphZoom,
    GridZoom,
    RoomyShare,
    RoomyZoom,
    share_memory_views,
)
from app.startup import HEADLESS_PLATFORMS, ThemeName
from app.theme import apply_theme, current_theme, high_contrast_palette
from app.widgets.cell_grid import CellGrid

if TYPE_CHECKING:
    from app.main_window import MainWindow

FONT_SCALE = 1.6
"""Every font is this much larger while presenting."""
HIDDEN_DOCKS = ("build", "operations", "tensors", "inspector")
"""The docks a lecture does without; the console, lesson, graph and timing stay as they are."""
PRESENTER_SHORTCUT = "F5"
SET_LIMIT = 100_000
"""A maximum width or height below this was set by the app (Qt's "no limit" is far above)."""
CLASS_FONT_NAMES = (
    "QMenu",
    "QMenuBar",
    "QMenuItem",
    "QMessageBox",
    "QLabel",
    "QTipLabel",
    "QStatusBar",
    "QMdiSubWindowTitleBar",
    "QDockWidgetTitle",
    "QPushButton",
    "QCheckBox",
    "QRadioButton",
    "QToolButton",
    "QAbstractItemView",
    "QListView",
    "QHeaderView",
    "QListBox",
    "QComboMenuItem",
    "QComboLineEdit",
    "QSmallFont",
    "QMiniFont",
)
"""The widget classes a platform theme may give fonts of their own (Qt's list): setting the
application font drops them, so they are scaled along and put back."""


def scaled_font(font: QFont, factor: float) -> QFont:
    """``font`` ``factor`` times larger, in points or pixels as it is set."""
    scaled = QFont(font)
    if font.pointSizeF() > 0:
        scaled.setPointSizeF(font.pointSizeF() * factor)
    else:
        scaled.setPixelSize(max(round(font.pixelSize() * factor), 1))
    return scaled


def widgets_of(window: QWidget) -> list[QWidget]:
    """``window`` and every widget in it (its menus and floating docks too: their parent)."""
    return [window, *window.findChildren(QWidget)]


@dataclass
class Fonts:
    """The application's fonts and the window's before they were scaled, to put back exactly."""

    application: QFont
    by_class: dict[str, QFont]
    """Fonts of widget classes that differ from the application font."""
    by_widget: list[tuple[QWidget, QFont]]
    """Widgets with a font set on them (code in monospace, headings) and that font."""
    docks: list[QDockWidget]
    """Docks given a font of their own for their titles' sake (see :meth:`scale`)."""

    @classmethod
    def scale(cls, window: QWidget, factor: float) -> Fonts:
        """Make the application's fonts, and those set on ``window``'s widgets, ``factor``
        times larger; returns the old ones."""
        app = QApplication.instance()
        widgets = widgets_of(window)
        application = QFont(app.font())
        by_class = {
            name: QFont(QApplication.font(name))
            for name in CLASS_FONT_NAMES
            if QApplication.font(name) != application
        }
        # A font set on a widget does not follow the application's: each is scaled itself.
        by_widget = [
            (widget, QFont(widget.font()))
            for widget in widgets
            if widget.testAttribute(Qt.WidgetAttribute.WA_SetFont)
        ]
        app.setFont(scaled_font(application, factor))
        for name, font in by_class.items():
            app.setFont(scaled_font(font, factor), name)
        for widget, font in by_widget:
            widget.setFont(scaled_font(font, factor))
        # A dock draws its title in the title font the application had when the dock was
        # made, unless the dock's own font differs from the application's: a style strategy
        # that changes nothing on screen makes it differ, so the title grows too.
        docks = [
            widget
            for widget in widgets
            if isinstance(widget, QDockWidget)
            and not widget.testAttribute(Qt.WidgetAttribute.WA_SetFont)
        ]
        for dock in docks:
            font = QFont(dock.font())
            font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
            dock.setFont(font)
        return cls(application, by_class, by_widget, docks)

    def put_back(self, window: QWidget, factor: float) -> None:
        """Restore the fonts; a font set on a widget of ``window`` while they were ``factor``
        times larger is shrunk."""
        app = QApplication.instance()
        app.setFont(self.application)
        for name, font in self.by_class.items():
            app.setFont(font, name)
        restored = set()
        for widget, font in self.by_widget:
            if shiboken6.isValid(widget):
                widget.setFont(font)
                restored.add(widget)
        for dock in self.docks:
            if shiboken6.isValid(dock):
                dock.setFont(QFont())  # no font of its own: the application's again
        # Made while presenting from a larger font (an inspector row, a lineage chip).
        for widget in widgets_of(window):
            if widget.testAttribute(Qt.WidgetAttribute.WA_SetFont) and widget not in restored:
                widget.setFont(scaled_font(widget.font(), 1 / factor))


@dataclass
class FixedSizes:
    """Widgets whose height or width was fixed to fit their text when made (a one-line
    label that must not relayout on hover, a scroll area as wide as its controls)."""

    limits: list[tuple[QWidget, QSize, QSize]]
    """Each widget with its minimum and maximum size before they were scaled."""

    @classmethod
    def scale(cls, widgets: list[QWidget], factor: float) -> FixedSizes:
        """Scale the set limits of ``widgets`` by ``factor``; returns the old ones."""
        limits = [
            (widget, widget.minimumSize(), widget.maximumSize())
            for widget in widgets
            if not widget.objectName().startswith("qt_")  # Qt's own parts size themselves
            and min(widget.maximumWidth(), widget.maximumHeight()) < SET_LIMIT
        ]
        # Rounded up: text does not scale exactly with its point size, and a pixel short
        # cuts the bottom of a line off.
        for widget, smallest, largest in limits:
            if largest.width() < SET_LIMIT:
                widget.setMaximumWidth(math.ceil(largest.width() * factor))
                widget.setMinimumWidth(math.ceil(smallest.width() * factor))
            if largest.height() < SET_LIMIT:
                widget.setMaximumHeight(math.ceil(largest.height() * factor))
                widget.setMinimumHeight(math.ceil(smallest.height() * factor))
        return cls(limits)

    def put_back(self) -> None:
        """Restore the limits."""
        for widget, smallest, largest in self.limits:
            if shiboken6.isValid(widget):
                widget.setMinimumSize(smallest)
                widget.setMaximumSize(largest)


def restore_geometry(window: QWidget, geometry: QByteArray) -> None:
    """Give ``window`` its saved ``geometry`` back if it moved or changed size (only then:
    on a window larger than its screen, restoring is not exact)."""
    if window.saveGeometry() != geometry:
        window.restoreGeometry(geometry)


@dataclass
class Before:
    """What entering presenter mode changed, to put back on leaving."""

    fonts: Fonts
    sizes: FixedSizes
    palette: QPalette
    window_states: Qt.WindowState
    geometry: QByteArray
    state: QByteArray
    zooms: list[GridZoom]
    graph_zoom: GraphZoom
    splitters: list[tuple[QSplitter, list[int]]]
    scroll_bars: list[tuple[QScrollBar, int]]
    theme_chosen: ThemeName | None = None
    """A theme chosen while presenting: the one to leave in."""
    followers: list[RoomyZoom] = field(default_factory=list)
    share: RoomyShare | None = None


class PresenterMode(QObject):
    """Presenter mode of one :class:`~app.main_window.MainWindow`; ``action`` toggles it (F5)."""

    active_changed = Signal(bool)
    """Presenter mode was entered (True) or left (False)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._before: Before | None = None
        self.action = QAction(translate("PresenterMode", "&Presenter mode"), window)
        self.action.setCheckable(True)
        self.action.setShortcut(QKeySequence(PRESENTER_SHORTCUT))
        self.action.setStatusTip(
            translate(
                "PresenterMode",
                "Large text, high contrast and only the panels a lecture needs; "
                "F5 again puts the window back",
            )
        )
        self.action.triggered.connect(self.toggle)
        self.active_changed.connect(self.action.setChecked)

    @property
    def active(self) -> bool:
        """True while presenting."""
        return self._before is not None

    def toggle(self) -> None:
        """Enter presenter mode, or leave it."""
        if self.active:
            self.leave()
        else:
            self.enter()

    def enter(self) -> None:
        """Large fonts, high contrast, only the docks a lecture needs, cells zoomed up, and
        the whole screen on a real display. Nothing happens when already presenting."""
        if self.active:
            return
        window, app = self.window, QApplication.instance()
        geometry, state = window.saveGeometry(), window.saveState()
        splitters = [(splitter, splitter.sizes()) for splitter in window.findChildren(QSplitter)]
        scroll_bars = [(bar, bar.value()) for bar in window.findChildren(QScrollBar)]
        zooms = [GridZoom.of(grid) for grid in window.findChildren(CellGrid)]
        graph_zoom = GraphZoom.of(window.graph_panel)
        # Hidden first: with larger fonts the docks' minimum sizes could grow the window.
        for name in HIDDEN_DOCKS:
            if name in window.docks:
                window.docks[name].hide()
        before = Before(
            fonts=Fonts.scale(window, FONT_SCALE),
            sizes=FixedSizes.scale(window.findChildren(QWidget), FONT_SCALE),
            palette=QPalette(app.palette()),
            window_states=window.windowState(),
            geometry=geometry,
            state=state,
            zooms=zooms,
            graph_zoom=graph_zoom,
            splitters=splitters,
            scroll_bars=scroll_bars,
        )
        self._before = before
        app.setPalette(high_contrast_palette(current_theme(before.palette)))
        # Full screen means nothing offscreen (there is no screen to fill): the size stays.
        if QApplication.platformName() not in HEADLESS_PLATFORMS:
            window.showFullScreen()
        # The fonts and palette reach the widgets through posted events (the graph lays
        # itself out again in the larger fonts).
        QCoreApplication.sendPostedEvents()
        history = window.console.history_view
        history.scrollTo(history.currentIndex())  # the line last run, in its taller row
        before.share = RoomyShare(window.memory_panel, self)
        before.share.share()
        for zoom in before.zooms:
            follower = RoomyZoom(zoom.grid, self)
            follower.zoom()
            before.followers.append(follower)
        window.session.tensors_changed.connect(self._zoom_reshaped_grids)
        window.session.current_changed.connect(self._zoom_reshaped_grids)
        self.active_changed.emit(True)

    def leave(self) -> None:
        """Put the window back as it was before entering (in the theme chosen since, if any).
        Nothing happens when not presenting."""
        before = self._before
        if before is None:
            return
        self._before = None
        window, app = self.window, QApplication.instance()
        window.session.tensors_changed.disconnect(self._zoom_reshaped_grids)
        window.session.current_changed.disconnect(self._zoom_reshaped_grids)
        for follower in [*before.followers, before.share]:
            follower.stop()
            follower.deleteLater()
        before.fonts.put_back(window, FONT_SCALE)
        before.sizes.put_back()
        if before.theme_chosen is not None:
            apply_theme(app, before.theme_chosen)
        else:
            app.setPalette(before.palette)
        # The widgets take their fonts back (through posted events) before the layout is
        # restored: larger minimum sizes would otherwise grow the window.
        QCoreApplication.sendPostedEvents()
        window.setWindowState(before.window_states)
        restore_geometry(window, before.geometry)
        window.restoreState(before.state)
        for splitter, sizes in before.splitters:
            if shiboken6.isValid(splitter):
                splitter.setSizes(sizes)
        QCoreApplication.sendPostedEvents()
        # Again: docks laid out before the central widget has settled can widen the window.
        restore_geometry(window, before.geometry)
        before.graph_zoom.put_back(window.graph_panel)
        for bar, value in before.scroll_bars:  # the console's history where it was
            if shiboken6.isValid(bar):
                bar.setValue(value)
        for zoom in before.zooms:
            if shiboken6.isValid(zoom.grid):
                zoom.put_back()
        self.active_changed.emit(False)

    def apply_theme(self, theme: ThemeName) -> None:
        """Switch to ``theme``: its high-contrast palette while presenting, kept on leaving."""
        app = QApplication.instance()
        if self._before is None:
            apply_theme(app, theme)
            return
        self._before.theme_chosen = theme
        app.setPalette(high_contrast_palette(theme))

    def _zoom_reshaped_grids(self) -> None:
        """After a tensor of another shape is shown: share the height again, zoom for the room.
        (Only then: a user's zoom or splitter stays through other changes.)"""
        if self._before is None:
            return
        reshaped = [follower for follower in self._before.followers if follower.reshaped()]
        if reshaped:
            share_memory_views(self.window.memory_panel)
            for follower in reshaped:
                follower.zoom()
