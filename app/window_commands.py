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
from app.cli import HEADLESS_PLATFORMS, NO_DISPLAY_PNG, CliError, has_display
from app.exception_hook import install_exception_hook
from app.icons import app_icon
from app.main_window import MainWindow, settings_store
from app.render import hide_offscreen_notices, render_widget
from app.session import CodeError, Session
from app.startup import STARTING_CODE, ThemeName
from app.theme import apply_theme
from app.widgets.timing_panel import TimingPanel

GRAPH_PICTURE_SIZE = (1100, 640)
TIMING_PICTURE_SIZE = (1200, 680)


def open_window(theme: ThemeName | None) -> int:
    """Open the app (in ``theme``, else the last theme used); with no display, render it."""
    if not has_display():
        print("stridescope: no display found, so the window is rendered to a PNG instead:")
        print(render_window(STARTING_CODE, theme or "light", NO_DISPLAY_PNG))
        return 0
    settings = settings_store()
    app = qt_application(theme or str(settings.value("theme", "light")))
    install_exception_hook()
    window = MainWindow(settings=settings)
    window.run_code(STARTING_CODE)
    window.show()
    # Ctrl+C in the terminal quits, as it does for any command line program.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    return app.exec()


def render_window(
    code: str,
    theme: ThemeName,
    output: Path,
    select: str | None = None,
    panel: str = "window",
    show_errors: bool = False,
    step: int | None = None,
) -> Path:
    """Run ``code`` in a fresh window and save it (or one panel) to ``output``; returns its path.

    The window has its default size and layout: the user's saved state is not read. With
    ``panel`` "graph", ``select`` names the tensor to call backward on. ``step`` steps the
    backward pass that many nodes first (stopping at a node that fails).

    Raises
    ------
    CliError
        When the code fails, ``select`` names no tensor (or, for the graph, none that
        requires grad), ``step`` is more than the pass has, or the PNG cannot be written.
    """
    drawing_application(theme)
    window = MainWindow()
    with closed_after_drawing(window, output):
        try:
            window.run_code(code, show_errors)
        except CodeError as error:
            raise CliError(f"--code failed: {error}") from error
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
