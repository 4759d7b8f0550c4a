"""The main window: the memory views in the middle, builder and forms left, console below,
and the backward graph above the memory views once a tensor requires grad.

It wires panels to the one :class:`~app.session.Session`, and holds the menus, shortcuts
and the window state kept across runs. No engine logic here.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QKeyCombination,
    QObject,
    QSettings,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QInputDialog,
    QLineEdit,
    QMainWindow,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.code_text import describe_exception, statements
from app.i18n import (
    LANGUAGE_NAMES,
    LANGUAGES,
    QT_TRANSLATE_NOOP,
    Language,
    current_language,
    translate,
)
from app.icons import app_icon
from app.lesson_run import LessonStepError, graph_node_named
from app.lessons import find_lesson
from app.presenter import PresenterMode
from app.session import DEFAULT_MEMORY_LIMIT, CodeError, Session
from app.session_files import SessionFiles
from app.startup import THEMES, ThemeName
from app.theme import current_theme
from app.view_explanation import ViewExplanation
from app.widgets.console import Console
from app.widgets.graph_panel import GraphPanel
from app.widgets.inspector import Inspector
from app.widgets.lesson_player import LessonPlayer, LookRequest, lesson_label
from app.widgets.lineage_bar import LineageBar
from app.widgets.logical_grid import LogicalGrid
from app.widgets.operation_form import OperationForm
from app.widgets.storage_strip import StorageStrip
from app.widgets.tensor_builder import TensorBuilder
from app.widgets.tensor_list import TensorList
from app.widgets.timing_panel import TimingPanel
from app.widgets.view_failure_panel import ViewFailurePanel
from app.window_export import WindowExport

DEFAULT_WINDOW_SIZE = (1280, 800)
GRAPH_DOCK_HEIGHT = 470
TIMING_WINDOW_SIZE = (1100, 700)
TIMING_OPENED_KEY = "timing_panel_opened"
LESSON_DOCK_WIDTH = 440
"""The Lesson dock's width when it first opens: a step's text reads as prose."""
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
THEME_NAMES: dict[ThemeName, str] = {
    "light": QT_TRANSLATE_NOOP("MainWindow", "Light theme"),
    "dark": QT_TRANSLATE_NOOP("MainWindow", "Dark theme"),
}


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

    def explain(self, explanation: ViewExplanation | None) -> None:
        """Show ``explanation`` of a failed view with its height (hide it on None), as a
        failing line shows it."""
        self.view_failure_panel.explain(explanation)
        self._make_room_for_explanation(explanation)

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
    rendering and tests) neither reads nor writes any. ``recovery_folder`` makes it the
    user's own window: it autosaves there, offers what a crash left, and asks before
    unsaved work is left; None (rendering and tests) does none of these.
    """

    language_chosen = Signal(str)
    """View > Language: the language the user chose, when it is not the current one."""

    def __init__(
        self,
        session: Session | None = None,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
        recovery_folder: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        memory_limit = DEFAULT_MEMORY_LIMIT // MEBIBYTE
        if settings is not None:
            saved = str(settings.value("memory_limit_mib", memory_limit))
            # A settings file edited by hand may say anything: the default then.
            memory_limit = int(saved) if saved.isdigit() and int(saved) > 0 else memory_limit
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
                QT_TRANSLATE_NOOP("MainWindow", "Build a tensor"),
                self.tensor_builder,
                Qt.DockWidgetArea.LeftDockWidgetArea,
            ),
            "operations": self._dock(
                QT_TRANSLATE_NOOP("MainWindow", "Apply an operation"),
                self.operation_form,
                Qt.DockWidgetArea.LeftDockWidgetArea,
            ),
            "tensors": self._dock(
                QT_TRANSLATE_NOOP("MainWindow", "Tensors"),
                self.tensor_list,
                Qt.DockWidgetArea.LeftDockWidgetArea,
            ),
            "inspector": self._dock(
                QT_TRANSLATE_NOOP("MainWindow", "Inspector"),
                self.inspector,
                Qt.DockWidgetArea.RightDockWidgetArea,
            ),
            "console": self._dock(
                QT_TRANSLATE_NOOP("MainWindow", "Console and history"),
                self.console,
                Qt.DockWidgetArea.BottomDockWidgetArea,
            ),
            "graph": self._dock(
                QT_TRANSLATE_NOOP("MainWindow", "Backward graph"),
                self.graph_panel,
                Qt.DockWidgetArea.TopDockWidgetArea,
            ),
            "timing": self._dock(
                QT_TRANSLATE_NOOP("MainWindow", "Timing: CPU and GPU"),
                self.timing_panel,
                Qt.DockWidgetArea.TopDockWidgetArea,
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
        # A lesson shares the inspector's place as a tab (see _show_lesson_dock), out of the
        # way until one opens.
        self.lesson_player = LessonPlayer(self.session)
        self.docks["lesson"] = self._dock(
            QT_TRANSLATE_NOOP("MainWindow", "Lesson"),
            self.lesson_player,
            Qt.DockWidgetArea.RightDockWidgetArea,
        )
        self.docks["lesson"].hide()
        self._lesson_dock_opened = False
        self.lesson_player.lesson_opened.connect(self._show_lesson_dock)
        self.lesson_player.look_requested.connect(self.show_look)
        self.session_files = SessionFiles(self, settings, recovery_folder)
        self._build_menus()
        self._undo_keys = SessionUndoKeys(self)
        for line_edit in self.findChildren(QLineEdit):
            line_edit.installEventFilter(self._undo_keys)
        self._restore_state()

    # -- set-up --------------------------------------------------------------------

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        """A dock titled ``title`` (English, marked for translation) in ``area``."""
        dock = QDockWidget(translate("MainWindow", title), self)
        # restoreState finds docks by name: the English title, the same in every language.
        dock.setObjectName(f"dock {title}")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build_menus(self) -> None:
        menus = self.menuBar()
        file_menu = menus.addMenu(translate("MainWindow", "&File"))
        self.session_files.add_to_menu(file_menu)
        self._action(
            file_menu,
            translate("MainWindow", "Copy history as &PyTorch"),
            self.copy_torch_script,
            "Ctrl+Shift+C",
        )
        self.window_export = WindowExport(self)
        file_menu.addMenu(self.window_export.menu)
        file_menu.addSeparator()
        self._action(
            file_menu, translate("MainWindow", "&Quit"), self.close, QKeySequence.StandardKey.Quit
        )

        edit_menu = menus.addMenu(translate("MainWindow", "&Edit"))
        undo = self.session.undo_stack.createUndoAction(self, translate("MainWindow", "&Undo"))
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.session.undo_stack.createRedoAction(self, translate("MainWindow", "&Redo"))
        # Both spellings on every platform (StandardKey.Redo is one of them, depending on it).
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        edit_menu.addActions([undo, redo])
        edit_menu.addSeparator()
        self._action(
            edit_menu,
            translate("MainWindow", "&Preferences…"),
            self.edit_preferences,
            QKeySequence.StandardKey.Preferences,
        )
        menus.addMenu(self.graph_panel.templates_menu)

        view_menu = menus.addMenu(translate("MainWindow", "&View"))
        grid = self.memory_panel
        self._action(
            view_menu,
            translate("MainWindow", "Zoom &in"),
            grid.zoom_in,
            [QKeySequence.StandardKey.ZoomIn, QKeySequence("Ctrl+=")],
        )
        self._action(
            view_menu,
            translate("MainWindow", "Zoom &out"),
            grid.zoom_out,
            QKeySequence.StandardKey.ZoomOut,
        )
        self._action(
            view_menu, translate("MainWindow", "&Fit to window"), grid.zoom_to_fit, "Ctrl+0"
        )
        view_menu.addSeparator()
        themes = QActionGroup(self)
        self.theme_actions: dict[ThemeName, QAction] = {}
        for theme in THEMES:
            action = self._action(
                view_menu,
                translate("MainWindow", THEME_NAMES[theme]),
                lambda _checked=False, t=theme: self.set_theme(t),
            )
            action.setCheckable(True)
            themes.addAction(action)
            self.theme_actions[theme] = action
        self.theme_actions[current_theme(self.palette())].setChecked(True)
        language_menu = view_menu.addMenu(translate("MainWindow", "&Language"))
        languages = QActionGroup(self)
        for language in LANGUAGES:
            action = language_menu.addAction(LANGUAGE_NAMES[language])  # in its own language
            action.setCheckable(True)
            action.setChecked(language == current_language())
            action.triggered.connect(
                lambda _checked=False, chosen=language: self.choose_language(chosen)
            )
            languages.addAction(action)
        self.presenter_mode = PresenterMode(self)
        self.presenter_action = self.presenter_mode.action
        view_menu.addAction(self.presenter_action)
        view_menu.addSeparator()
        for dock in self.docks.values():
            view_menu.addAction(dock.toggleViewAction())
        timing = self.docks["timing"].toggleViewAction()
        timing.setShortcut(QKeySequence("Ctrl+T"))
        timing.triggered.connect(self._raise_timing)

        lessons_menu = menus.addMenu(translate("MainWindow", "&Lessons"))
        for lesson in self.lesson_player.lessons:
            action = lessons_menu.addAction(lesson_label(lesson))
            action.triggered.connect(
                lambda _checked=False, chosen=lesson: self.lesson_player.open_lesson(chosen)
            )
        if not self.lesson_player.lessons:
            lessons_menu.addAction(translate("MainWindow", "No lessons found")).setEnabled(False)
        lessons_menu.addSeparator()
        self._action(
            lessons_menu, translate("MainWindow", "Open Lesson &File…"), self._open_lesson_file
        )

    def _action(self, menu, text: str, slot, shortcut=None) -> QAction:
        action = menu.addAction(text)
        action.triggered.connect(slot)
        if isinstance(shortcut, list):
            action.setShortcuts(shortcut)
        elif shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        return action

    def take_over(self, old: MainWindow) -> None:
        """Stand in for ``old``, which this window replaces (after a language change): its
        place and layout, file and autosave, lesson, timing rows, console, and a failed
        view's explanation, said again in this window's language."""
        self._graph_dock_opened = old._graph_dock_opened
        self._lesson_dock_opened = old._lesson_dock_opened
        self._timing_opened = old._timing_opened
        self.setGeometry(old.geometry())
        self.setWindowState(old.windowState())
        self.restoreState(old.saveState())
        self.session_files.adopt(old.session_files)
        self.lesson_player.adopt(old.lesson_player)
        self.timing_panel.adopt(old.timing_panel)
        self.console.adopt(old.console)
        failure = old.memory_panel.view_failure_panel
        if failure.isVisibleTo(old) and failure.explanation is not None:
            self.memory_panel.view_failure_panel.explain(failure.explanation)

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

    def open_lesson(self, key: str, step: int = 1) -> None:
        """Open the lesson named or numbered ``key`` at ``step`` (from 1) in the Lesson dock.

        Raises
        ------
        LessonError
            When no lesson has that name or number, or its file cannot be used.
        ValueError
            When the lesson has no step ``step``.
        """
        self.lesson_player.open_lesson(find_lesson(key), step)

    def show_look(self, request: LookRequest) -> None:
        """Bring forward the panel a lesson step looks at: the graph (with its node
        selected), the timing panel (at its experiment) or the console, and the step's
        failed view explained (or no explanation). The memory views show the step's tensor
        already."""
        look = request.look
        # The step's own failed view, explained again when the step is shown again.
        self.memory_panel.explain(request.explanation)
        panel = "graph" if look.node is not None or request.backward is not None else look.panel
        if panel == "graph":
            self.docks["graph"].show()
            self.docks["graph"].raise_()
            if look.node is not None:
                try:
                    node = graph_node_named(self.session.graph, look.node)
                except LessonStepError as error:
                    self.statusBar().showMessage(str(error), 6000)
                else:
                    self.graph_panel.click_node(node)
        elif panel == "timing":
            self.docks["timing"].show()  # as View > Timing does: its first time, floating
            self._raise_timing(True)
            if look.experiment is not None:
                try:
                    self.timing_panel.show_experiment(look.experiment)
                except ValueError:
                    self.statusBar().showMessage(
                        translate(
                            "MainWindow", "No timings of {experiment} yet: press Run to measure."
                        ).format(experiment=look.experiment),
                        6000,
                    )
        elif panel == "console":
            self.docks["console"].show()
            self.docks["console"].raise_()
            self.console.input.setFocus()

    def _open_lesson_file(self) -> None:
        """Lessons > Open Lesson File: a teacher's own lesson file; one that cannot be read
        is reported in the Lesson dock, brought forward to say so."""
        if self.lesson_player.choose_file() is False:
            self._show_lesson_dock()

    def _show_lesson_dock(self) -> None:
        """Bring the Lesson dock forward; the first time, as a tab beside the inspector
        (unless it was put elsewhere), wide enough to read."""
        dock = self.docks["lesson"]
        first = not self._lesson_dock_opened
        self._lesson_dock_opened = True
        right = Qt.DockWidgetArea.RightDockWidgetArea
        if first and not dock.isFloating() and self.dockWidgetArea(dock) == right:
            # Tabified here, not in __init__: a hidden dock tabified there leaves a second tab
            # bar, "Inspector | Lesson", drawn under the inspector while no lesson is open.
            self.tabifyDockWidget(self.docks["inspector"], dock)
        dock.show()
        self.layout().activate()  # the tab bar gets the new tab now, so raise_() finds it
        dock.raise_()
        if first:
            self.resizeDocks([dock], [LESSON_DOCK_WIDTH], Qt.Orientation.Horizontal)

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
        self.statusBar().showMessage(
            translate("MainWindow", "History copied as a PyTorch script"), 4000
        )

    def choose_language(self, language: Language) -> None:
        """Speak ``language`` from the next start, and now where the window is followed
        (:func:`app.language_switch.follow_language_menu`)."""
        if self.settings is not None:
            self.settings.setValue("language", language)
        if language != current_language():
            self.language_chosen.emit(language)

    def set_theme(self, theme: ThemeName) -> None:
        """Switch every window to ``theme`` (high-contrast while presenting) and remember it."""
        self.presenter_mode.apply_theme(theme)
        self.theme_actions[theme].setChecked(True)
        if self.settings is not None:
            self.settings.setValue("theme", theme)

    def edit_preferences(self) -> None:
        """Ask for the memory limit: allocations beyond it are refused before they happen."""
        current = (self.session.memory_limit or DEFAULT_MEMORY_LIMIT) // MEBIBYTE
        mebibytes, accepted = QInputDialog.getInt(
            self,
            translate("MainWindow", "Preferences"),
            translate(
                "MainWindow",
                "Memory limit for one tensor (MiB):\n"
                "larger allocations are refused before they happen.",
            ),
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
        if not self.session_files.confirm_close():
            event.ignore()  # the user cancelled leaving unsaved work
            return
        self.timing_panel.stop_and_wait()  # a sweep's thread must end before its widgets go
        self.presenter_mode.leave()  # the layout kept for the next run is the window's own
        if self.settings is not None:
            self.settings.setValue("geometry", self.saveGeometry())
            self.settings.setValue("window_state", self.saveState())
            self.settings.sync()
        super().closeEvent(event)
