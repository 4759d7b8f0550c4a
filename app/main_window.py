"""The main window: the memory views in the middle, builder and forms left, console below,
and the backward graph above the memory views once a tensor requires grad.

It wires panels to the one :class:`~app.session.Session`, and holds the menus, shortcuts
and the window state kept across runs. No engine logic here.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QKeyCombination,
    QObject,
    QSettings,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QInputDialog,
    QLineEdit,
    QMainWindow,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.code_text import describe_exception, statements
from app.icons import app_icon
from app.session import DEFAULT_MEMORY_LIMIT, CodeError, Session
from app.startup import THEMES, ThemeName
from app.theme import apply_theme, current_theme
from app.widgets.console import Console
from app.widgets.graph_panel import GraphPanel
from app.widgets.inspector import Inspector
from app.widgets.lineage_bar import LineageBar
from app.widgets.logical_grid import LogicalGrid
from app.widgets.operation_form import OperationForm
from app.widgets.storage_strip import StorageStrip
from app.widgets.tensor_builder import TensorBuilder
from app.widgets.tensor_list import TensorList
from app.widgets.timing_panel import TimingPanel
from app.widgets.view_failure_panel import ViewFailurePanel

DEFAULT_WINDOW_SIZE = (1280, 800)
GRAPH_DOCK_HEIGHT = 470
TIMING_WINDOW_SIZE = (1100, 700)
TIMING_OPENED_KEY = "timing_panel_opened"
FIRST_RUN_SCREEN_SHARE = 0.9
"""A first run opens the window this share of the screen wide and high."""
UNDO_KEYS = (QKeyCombination(Qt.KeyboardModifier.ControlModifier, Qt.Key.Key_Z),)
REDO_KEYS = (
    QKeyCombination(
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier, Qt.Key.Key_Z
    ),
    QKeyCombination(Qt.KeyboardModifier.ControlModifier, Qt.Key.Key_Y),
)
MEBIBYTE = 2**20


class SessionUndoKeys(QObject):
    """Lets Ctrl+Z and redo reach the session from a text field that has nothing to undo.

    A focused QLineEdit claims the undo keys even when its own undo history is empty,
    which is where the focus stays after running a line. Installed on each line edit.
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(watched, QLineEdit):
            key = event.keyCombination()
            if key in UNDO_KEYS and not watched.isUndoAvailable():
                return True  # not accepted: the window's Undo action takes the key
            if key in REDO_KEYS and not watched.isRedoAvailable():
                return True
        return False


def settings_store() -> QSettings:
    """Where the window keeps its state between runs (the platform's usual place)."""
    return QSettings("StrideScope", "StrideScope")


class MemoryPanel(QWidget):
    """The lineage, a failed view's explanation, the logical grid and the storage strip."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lineage_bar = LineageBar(session)
        self.view_failure_panel = ViewFailurePanel(session)
        self.logical_grid = LogicalGrid(session)
        self.storage_strip = StorageStrip(session)
        # In the splitter, so a student can give the explanation or the grid more room.
        self.splitter = splitter = QSplitter(Qt.Orientation.Vertical)
        for widget, stretch in (
            (self.view_failure_panel, 0),
            (self.logical_grid, 3),
            (self.storage_strip, 2),
        ):
            splitter.addWidget(widget)
            splitter.setStretchFactor(splitter.indexOf(widget), stretch)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.lineage_bar)
        layout.addWidget(splitter, stretch=1)
        session.view_failed.connect(self._make_room_for_explanation)

    def _make_room_for_explanation(self, explanation: object) -> None:
        """Give a newly shown explanation its height: a splitter keeps a hidden child at 0."""
        sizes = self.splitter.sizes()
        wanted = self.view_failure_panel.sizeHint().height()
        if explanation is None or sizes[0] >= wanted:
            return
        rest = max(sum(sizes) - wanted, 0)
        self.splitter.setSizes([wanted, rest * 3 // 5, rest - rest * 3 // 5])

    def zoom_in(self) -> None:
        """Zoom both memory views in."""
        self.logical_grid.zoom_in()
        self.storage_strip.zoom_in()

    def zoom_out(self) -> None:
        """Zoom both memory views out."""
        self.logical_grid.zoom_out()
        self.storage_strip.zoom_out()

    def zoom_to_fit(self) -> None:
        """Fit each memory view to its area."""
        self.logical_grid.zoom_to_fit()
        self.storage_strip.zoom_to_fit()


def timing_window_size(available: QSize) -> QSize:
    """The timing panel's size as its own window: 1100×700, or less on a small screen."""
    return QSize(
        min(TIMING_WINDOW_SIZE[0], round(available.width() * FIRST_RUN_SCREEN_SHARE)),
        min(TIMING_WINDOW_SIZE[1], round(available.height() * FIRST_RUN_SCREEN_SHARE)),
    )


def first_run_size(available: QSize) -> QSize:
    """The window's size on a first run: most of a screen of ``available`` size."""
    return QSize(
        round(available.width() * FIRST_RUN_SCREEN_SHARE),
        round(available.height() * FIRST_RUN_SCREEN_SHARE),
    )


class MainWindow(QMainWindow):
    """StrideScope's window over one session.

    ``settings`` keeps the window state, theme and memory limit across runs; None (for
    rendering and tests) neither reads nor writes any.
    """

    def __init__(
        self,
        session: Session | None = None,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        memory_limit = DEFAULT_MEMORY_LIMIT // MEBIBYTE
        if settings is not None:
            memory_limit = int(settings.value("memory_limit_mib", memory_limit))
        self.session = session or Session(memory_limit=memory_limit * MEBIBYTE)
        self.setWindowTitle("StrideScope")
        self.setWindowIcon(app_icon())
        self.resize(*DEFAULT_WINDOW_SIZE)
        self.setDockNestingEnabled(True)

        self.memory_panel = MemoryPanel(self.session)
        self.setCentralWidget(self.memory_panel)
        self.tensor_builder = TensorBuilder(self.session)
        self.operation_form = OperationForm(self.session)
        self.tensor_list = TensorList(self.session)
        self.inspector = Inspector(self.session)
        self.console = Console(self.session)
        self.graph_panel = GraphPanel(self.session)
        self.timing_panel = TimingPanel(settings=settings)
        # The graph sits above the memory views, between the side docks, so that a node
        # clicked in the graph shows its storage right below it while stepping.
        self.setCorner(Qt.Corner.TopLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.TopRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.docks = {
            "build": self._dock(
                "Build a tensor", self.tensor_builder, Qt.DockWidgetArea.LeftDockWidgetArea
            ),
            "operations": self._dock(
                "Apply an operation", self.operation_form, Qt.DockWidgetArea.LeftDockWidgetArea
            ),
            "tensors": self._dock(
                "Tensors", self.tensor_list, Qt.DockWidgetArea.LeftDockWidgetArea
            ),
            "inspector": self._dock(
                "Inspector", self.inspector, Qt.DockWidgetArea.RightDockWidgetArea
            ),
            "console": self._dock(
                "Console and history", self.console, Qt.DockWidgetArea.BottomDockWidgetArea
            ),
            "graph": self._dock(
                "Backward graph", self.graph_panel, Qt.DockWidgetArea.TopDockWidgetArea
            ),
            "timing": self._dock(
                "Timing: CPU and GPU", self.timing_panel, Qt.DockWidgetArea.TopDockWidgetArea
            ),
        }
        # Docked, timing shares the graph's place as a tab; it opens from View (Ctrl+T).
        self.tabifyDockWidget(self.docks["graph"], self.docks["timing"])
        self.docks["timing"].hide()
        # Floated on its first opening ever; after that it stays where the user put it.
        self._timing_opened = settings is not None and settings.value(
            TIMING_OPENED_KEY, False, type=bool
        )
        # The memory views get the room; the console starts a few lines high.
        self.resizeDocks([self.docks["console"]], [190], Qt.Orientation.Vertical)
        self.resizeDocks(
            [self.docks["build"], self.docks["inspector"]], [300, 300], Qt.Orientation.Horizontal
        )
        self.resizeDocks([self.docks["graph"]], [GRAPH_DOCK_HEIGHT], Qt.Orientation.Vertical)
        # Out of the way until there is a graph to show; then it opens, once.
        self._graph_dock_opened = self.session.graph is not None
        self.docks["graph"].setVisible(self._graph_dock_opened)
        self.session.graph_changed.connect(self._open_graph_dock_once)
        self._build_menus()
        self._undo_keys = SessionUndoKeys(self)
        for line_edit in self.findChildren(QLineEdit):
            line_edit.installEventFilter(self._undo_keys)
        self._restore_state()

    # -- set-up --------------------------------------------------------------------

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock {title}")  # restoreState finds docks by name
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build_menus(self) -> None:
        menus = self.menuBar()
        file_menu = menus.addMenu("&File")
        self._action(file_menu, "Copy history as &PyTorch", self.copy_torch_script, "Ctrl+Shift+C")
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)

        edit_menu = menus.addMenu("&Edit")
        undo = self.session.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.session.undo_stack.createRedoAction(self, "&Redo")
        # Both spellings on every platform (StandardKey.Redo is one of them, depending on it).
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        edit_menu.addActions([undo, redo])
        edit_menu.addSeparator()
        self._action(
            edit_menu, "&Preferences…", self.edit_preferences, QKeySequence.StandardKey.Preferences
        )
        menus.addMenu(self.graph_panel.templates_menu)

        view_menu = menus.addMenu("&View")
        grid = self.memory_panel
        self._action(
            view_menu,
            "Zoom &in",
            grid.zoom_in,
            [QKeySequence.StandardKey.ZoomIn, QKeySequence("Ctrl+=")],
        )
        self._action(view_menu, "Zoom &out", grid.zoom_out, QKeySequence.StandardKey.ZoomOut)
        self._action(view_menu, "&Fit to window", grid.zoom_to_fit, "Ctrl+0")
        view_menu.addSeparator()
        themes = QActionGroup(self)
        self.theme_actions: dict[ThemeName, QAction] = {}
        for theme in THEMES:
            action = self._action(
                view_menu,
                f"{theme.title()} theme",
                lambda _checked=False, t=theme: self.set_theme(t),
            )
            action.setCheckable(True)
            themes.addAction(action)
            self.theme_actions[theme] = action
        self.theme_actions[current_theme(self.palette())].setChecked(True)
        view_menu.addSeparator()
        for dock in self.docks.values():
            view_menu.addAction(dock.toggleViewAction())
        timing = self.docks["timing"].toggleViewAction()
        timing.setShortcut(QKeySequence("Ctrl+T"))
        timing.triggered.connect(self._raise_timing)

    def _action(self, menu, text: str, slot, shortcut=None) -> QAction:
        action = menu.addAction(text)
        action.triggered.connect(slot)
        if isinstance(shortcut, list):
            action.setShortcuts(shortcut)
        elif shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        return action

    def _restore_state(self) -> None:
        if self.settings is None:
            return
        geometry = self.settings.value("geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:  # the first run: as much of the screen as the graph and memory views can use
            self.resize(first_run_size(self.screen().availableGeometry().size()))
        state = self.settings.value("window_state")
        if isinstance(state, QByteArray):
            self.restoreState(state)

    # -- actions -------------------------------------------------------------------

    def run_code(self, code: str, show_errors: bool = False) -> None:
        """Run each statement of ``code`` as its own action, stopping at the first error.

        With ``show_errors`` the failing statement is left in the console with its
        error, as if typed there (for pictures of a failure); otherwise it raises.

        Raises
        ------
        CodeError
            From the first statement that fails; the ones before it stay done.
        """
        try:
            lines = statements(code)
        except SyntaxError as error:
            raise CodeError(describe_exception(error)) from error
        for statement in lines:
            try:
                self.session.run(statement)
            except CodeError as error:
                if not show_errors:
                    raise
                self.console.input.setText(statement)
                self.console.error.show_error(str(error))
                return

    def _open_graph_dock_once(self) -> None:
        """Show the graph the first time the session has one (the user may close it after)."""
        if self.session.graph is not None and not self._graph_dock_opened:
            self._graph_dock_opened = True
            self.docks["graph"].show()
            # Once shown and laid out: a dock resized while hidden keeps its old size.
            QTimer.singleShot(0, self._give_graph_room)

    def _raise_timing(self, shown: bool) -> None:
        """Open the timing panel in front; the first time, as its own window.

        Between the side docks its plot would get a third of a laptop screen, and the
        timing panel shares nothing with the tensors on screen; the user can dock it.
        """
        dock = self.docks["timing"]
        if not shown:
            return
        if not self._timing_opened and not dock.isFloating():
            dock.setFloating(True)
            size = timing_window_size(self.screen().availableGeometry().size())
            dock.resize(size)
            dock.move(self.geometry().center() - dock.rect().center())
        self._timing_opened = True
        if self.settings is not None:
            self.settings.setValue(TIMING_OPENED_KEY, True)
        dock.raise_()

    def _give_graph_room(self) -> None:
        self.resizeDocks([self.docks["graph"]], [GRAPH_DOCK_HEIGHT], Qt.Orientation.Vertical)

    def copy_torch_script(self) -> None:
        """Put the history on the clipboard as a script that runs in PyTorch."""
        self.console.copy_as_pytorch()
        self.statusBar().showMessage("History copied as a PyTorch script", 4000)

    def set_theme(self, theme: ThemeName) -> None:
        """Switch every window to ``theme`` and remember it."""
        apply_theme(QApplication.instance(), theme)
        self.theme_actions[theme].setChecked(True)
        if self.settings is not None:
            self.settings.setValue("theme", theme)

    def edit_preferences(self) -> None:
        """Ask for the memory limit: allocations beyond it are refused before they happen."""
        current = (self.session.memory_limit or DEFAULT_MEMORY_LIMIT) // MEBIBYTE
        mebibytes, accepted = QInputDialog.getInt(
            self,
            "Preferences",
            "Memory limit for one tensor (MiB):\n"
            "larger allocations are refused before they happen.",
            current,
            1,
            1 << 20,
        )
        if accepted:
            self.set_memory_limit(mebibytes)

    def set_memory_limit(self, mebibytes: int) -> None:
        """Refuse allocations beyond ``mebibytes`` from now on, and remember the limit."""
        self.session.memory_limit = mebibytes * MEBIBYTE
        if self.settings is not None:
            self.settings.setValue("memory_limit_mib", mebibytes)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.timing_panel.stop_and_wait()  # a sweep's thread must end before its widgets go
        if self.settings is not None:
            self.settings.setValue("geometry", self.saveGeometry())
            self.settings.setValue("window_state", self.saveState())
            self.settings.sync()
        super().closeEvent(event)
