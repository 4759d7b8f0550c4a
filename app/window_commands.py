"""The commands that need Qt: open the window, or render it to a PNG without a display.

``app.cli`` imports this module only for those commands, so ``bench`` runs without Qt.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

import core.timing
from app.cli import NO_DISPLAY_PNG, CliError, has_display
from app.exception_hook import install_exception_hook
from app.i18n import Language
from app.icons import app_icon
from app.language import parse_language, system_language, use_language
from app.language_switch import follow_language_menu
from app.lessons import Lesson
from app.main_window import MainWindow, settings_store
from app.render import hide_offscreen_notices, render_widget
from app.session import CodeError, Session
from app.session_recovery import default_recovery_folder
from app.startup import HEADLESS_PLATFORMS, STARTING_CODE, ThemeName, chosen_theme
from app.theme import apply_theme
from app.widgets.timing_panel import TimingPanel

GRAPH_PICTURE_SIZE = (1100, 640)
TIMING_PICTURE_SIZE = (1200, 680)


def open_window(
    theme: ThemeName | None,
    language: Language | None = None,
    script: Path | None = None,
    lesson: Lesson | None = None,
) -> int:
    """Open the app (in ``theme``, else the last theme used; in ``language``, else the last
    one chosen, else the system's); with no display, render it.

    With ``script`` the window opens that saved session (a failing line is shown in the
    window, as File > Open shows it) instead of the example. With ``lesson`` it then opens
    that lesson at its first step.
    """
    settings = settings_store()
    language = language or parse_language(settings.value("language")) or system_language()
    if not has_display():
        print("stridescope: no display found, so the window is rendered to a PNG instead:")
        theme = theme or "light"
        speak(drawing_application(theme), language)
        code = STARTING_CODE if script is None else ""
        print(
            render_window(
                code, theme, NO_DISPLAY_PNG, show_errors=True, script=script, lesson=lesson
            )
        )
        return 0
    app = qt_application(chosen_theme(theme, settings.value("theme")))
    speak(app, language)
    install_exception_hook()
    window = MainWindow(settings=settings, recovery_folder=default_recovery_folder())
    follow_language_menu(window)
    start_session(window, script)
    if lesson is not None:
        window.lesson_player.open_lesson(lesson)  # a step that fails says so in the player
    window.show()
    # Ctrl+C in the terminal quits, as it does for any command line program.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    return app.exec()


def start_session(window: MainWindow, script: Path | None) -> None:
    """The app's first lines: ``script`` opened (its errors shown in the window), else the
    example, which counts as saved: closing at once asks nothing."""
    if script is not None:
        window.session_files.open_path(script)
        return
    window.run_code(STARTING_CODE)
    window.session.undo_stack.setClean()


def render_window(
    code: str,
    theme: ThemeName,
    output: Path,
    select: str | None = None,
    panel: str = "window",
    show_errors: bool = False,
    step: int | None = None,
    script: Path | None = None,
    lesson: Lesson | None = None,
    lesson_step: int = 1,
    presenter: bool = False,
) -> Path:
    """Run ``code`` in a fresh window and save it (or one panel) to ``output``; returns its path.

    The window has its default size and layout: the user's saved state is not read. With
    ``panel`` "graph", ``select`` names the tensor to call backward on. ``step`` steps the
    backward pass that many nodes first (stopping at a node that fails). ``script``, a
    saved session, is opened before ``code`` runs. ``lesson`` then opens at ``lesson_step``
    (from 1), the steps before it run and the step's look applied. ``presenter`` draws it in
    presenter mode.

    Raises
    ------
    CliError
        When the script cannot be read or a line of it fails (unless ``show_errors``), the
        code fails, ``select`` names no tensor (or, for the graph, none that
        requires grad), ``step`` is more than the pass has, a lesson step does not run as
        its file says, or the PNG cannot be written.
    """
    drawing_application(theme)
    window = MainWindow()
    with closed_after_drawing(window, output):
        if script is not None:
            error = window.session_files.open_path(script)
            if error is not None and not show_errors:
                raise CliError(f"--script {error}")
        try:
            window.run_code(code, show_errors)
        except CodeError as error:
            raise CliError(f"--code failed: {error}") from error
        if lesson is not None:
            open_lesson_step(window, lesson, lesson_step)
        if select is not None:
            if select not in window.session.tensors():
                names = ", ".join(window.session.tensors()) or "none"
                raise CliError(f"--select {select}: no tensor has that name (tensors: {names})")
            if panel == "graph":
                choose_backward_root(window.session, select)
            else:
                window.session.select(select)
        if step is not None:
            step_backward(window.session, step)
        if presenter:
            window.presenter_mode.enter()
        widget = window
        if panel == "memory":
            for dock in window.docks.values():
                dock.hide()  # the panel alone gets the whole window
            widget = window.memory_panel
        elif panel == "graph":
            widget = window.graph_panel
            widget.setParent(None)  # out of its dock: the panel alone, at the window's size
            widget.resize(*GRAPH_PICTURE_SIZE)
            window.destroyed.connect(widget.deleteLater)
        return render_widget(widget, output)


def open_lesson_step(window: MainWindow, lesson: Lesson, step: int) -> None:
    """``--lesson NAME --step K``: the window at step ``step`` of ``lesson``.

    Raises
    ------
    CliError
        When the lesson has no such step, or a step up to it does not run as its file says.
    """
    player = window.lesson_player
    try:
        player.open_lesson(lesson, step)
    except ValueError as error:
        raise CliError(f"--step {step}: {error}") from error
    failure = player.failures.get(player.step_number)
    if failure is not None:
        raise CliError(f"--lesson {lesson.name}: {failure}")


def render_timing(
    theme: ThemeName,
    output: Path,
    csv: Path | None = None,
    reference: Path | None = None,
    experiment: str | None = None,
    quantity: str = "time",
) -> Path:
    """Draw the timing panel with the rows of ``csv`` (none: only the recorded GPU run) to
    the PNG ``output``; returns its path.

    ``reference`` is a folder of recorded runs to use instead of the shipped ones;
    ``experiment`` the one to plot (default: the first with rows).

    Raises
    ------
    CliError
        When ``csv`` cannot be read or is not a timing table, ``reference`` is not a
        folder of recorded runs, ``experiment`` has no rows, or the PNG cannot be written.
    """
    drawing_application(theme)
    runs = None
    if reference is not None:
        if not reference.is_dir():
            raise CliError(f"--reference {reference}: not a directory")
        try:
            runs = core.timing.recorded_runs(reference)
        except ValueError as error:
            raise CliError(f"--reference {reference}: {error}") from error
    panel = TimingPanel(recorded_runs=runs)
    with closed_after_drawing(panel, output):
        if csv is not None:
            try:
                panel.load_csv(csv)
            except OSError as error:
                raise CliError(f"--csv {csv}: {error.strerror or error}") from error
            except UnicodeDecodeError as error:
                raise CliError(f"--csv {csv}: not a text file ({error.reason})") from error
            except ValueError as error:  # its message starts with the file (and line)
                raise CliError(f"--csv {error}") from error
        if experiment is not None:
            shown = panel.results.experiments()
            if experiment not in shown:
                choices = ", ".join(shown) or "none"
                raise CliError(f"--select {experiment}: no rows for it (experiments: {choices})")
            panel.show_experiment(experiment)
        panel.set_quantity(quantity)
        panel.resize(*TIMING_PICTURE_SIZE)
        return render_widget(panel, output)


def speak(app: QApplication, language: Language) -> None:
    """Install ``language`` in ``app``; missing translations are a CliError."""
    try:
        use_language(app, language)
    except OSError as error:
        raise CliError(f"--lang {language}: {error}") from error


def drawing_application(theme: ThemeName) -> QApplication:
    """The QApplication for a ``render`` command: offscreen where there is no display, its
    harmless notices hidden so errors stay one line."""
    if not has_display():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = qt_application(theme)
    if app.platformName() in HEADLESS_PLATFORMS:
        hide_offscreen_notices()
    return app


@contextlib.contextmanager
def closed_after_drawing(top: QWidget, output: Path) -> Iterator[None]:
    """Close and delete ``top`` after the block; a file that cannot be written is a CliError."""
    try:
        yield
    except OSError as error:
        raise CliError(f"cannot write {output}: {error.strerror or error}") from error
    finally:
        top.close()
        top.deleteLater()


def choose_backward_root(session: Session, name: str) -> None:
    """``--select`` for the graph: the tensor to call backward on."""
    if name not in session.backward_roots():
        roots = ", ".join(session.backward_roots()) or "none"
        raise CliError(
            f"--select {name}: it does not require grad, so it has no backward graph "
            f"(tensors that do: {roots})"
        )
    session.choose_backward_root(name)


def step_backward(session: Session, steps: int) -> None:
    """``--step N``: run N nodes of the backward pass (fewer when a node fails)."""
    backward_pass = session.backward_pass
    if backward_pass is None:
        raise CliError(f"--step {steps}: no tensor requires grad, so there is no pass to step")
    if steps < 0:
        raise CliError(f"--step {steps}: give a number of steps, 0 or more")
    for _ in range(steps):
        session.step()
        backward_pass = session.backward_pass
        if backward_pass.error is not None:
            return
        if backward_pass.finished and backward_pass.shown_step < steps:
            raise CliError(
                f"--step {steps}: the backward pass of {session.graph.root_name} has only "
                f"{backward_pass.shown_step} steps"
            )


def qt_application(theme: ThemeName) -> QApplication:
    """The running QApplication (made on first use), themed."""
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName("StrideScope")
    app.setWindowIcon(app_icon())
    apply_theme(app, theme)
    return app
