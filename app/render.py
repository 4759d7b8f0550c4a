"""Render widgets to PNG without a display (``stridescope render``, ``make run``, tests)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QIODevice,
    QMessageLogContext,
    QPoint,
    QRect,
    QSaveFile,
    Qt,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtGui import QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QApplication, QWidget

from app.svg_strokes import strokes_in_place


def settle_for_drawing(widget: QWidget, path: str | Path, run_events: bool = True) -> Path:
    """Make ``path``'s folder and lay ``widget`` out as on screen; returns ``path`` absolute.

    A hidden widget is shown with ``WA_DontShowOnScreen``, so its layouts are settled.
    ``run_events`` False draws a widget on screen as it stands, without running the event
    loop, so that nothing is repainted on screen meanwhile (a picture in another palette).

    Raises
    ------
    OSError
        When the folder cannot be made.
    """
    target = Path(path).expanduser().resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    if not widget.isVisible():
        widget.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        widget.show()
        run_events = True
    if run_events:
        QApplication.processEvents()
    return target


def render_widget(widget: QWidget, path: str | Path, run_events: bool = True) -> Path:
    """Save ``widget`` as it would look on screen to the PNG file ``path``.

    Laid out first (:func:`settle_for_drawing`, which says what ``run_events`` does).
    Returns the absolute path written. A file already there is replaced only once the new
    one is complete.

    Raises
    ------
    OSError
        When the folder cannot be made or the file cannot be written (with the reason).
    """
    target = settle_for_drawing(widget, path, run_events)
    pixmap = widget.grab()
    file = _opened_for_saving(target, "a PNG")
    if pixmap.isNull() or not pixmap.save(file, "PNG"):
        file.cancelWriting()
        raise OSError(f"could not write a PNG to {target}")
    _commit(file, target, "a PNG")
    return target


def save_svg(widget: QWidget, path: str | Path, title: str = "", run_events: bool = True) -> Path:
    """Save ``widget`` as an SVG drawn by Qt's own generator; returns the absolute path.

    Qt's QSvgGenerator rather than pyqtgraph's SVG exporter, which fails on PySide6 6.11
    and later. The widget paints itself into the generator, so lines and text stay
    vectors; fixed-width strokes are drawn so that every viewer keeps their width
    (:func:`app.svg_strokes.strokes_in_place`). A file already there is replaced only once
    the new one is complete; ``run_events`` as for :func:`settle_for_drawing`.

    Raises
    ------
    OSError
        When the folder cannot be made or the file cannot be written (with the reason).
    """
    target = settle_for_drawing(widget, path, run_events)
    file = _opened_for_saving(target, "an SVG")
    drawing = QBuffer()
    generator = QSvgGenerator()
    generator.setOutputDevice(drawing)
    # The widget's own resolution: at the generator's 72 dpi a font in points would be
    # written a quarter smaller than the text it was laid out for (at 96 dpi).
    generator.setResolution(widget.logicalDpiY())
    generator.setSize(widget.size())
    generator.setViewBox(QRect(0, 0, widget.width(), widget.height()))
    # "[*]" is where a window title says "modified": no part of a picture's title.
    generator.setTitle((title or widget.windowTitle() or "StrideScope").replace("[*]", ""))
    generator.setDescription("Drawn by StrideScope")
    painter = QPainter()
    if not painter.begin(generator):
        file.cancelWriting()
        raise OSError(f"could not write an SVG to {target}")
    try:
        # QWidget's own render, also for a QGraphicsView (whose render(painter) draws only
        # its scene): the widget as on screen, frame and all, at (0, 0) of the drawing.
        QWidget.render(widget, painter, QPoint())
    finally:
        painter.end()
    svg = strokes_in_place(bytes(drawing.data()).decode("utf-8"))
    if file.write(svg.encode("utf-8")) < 0:
        file.cancelWriting()
        raise OSError(f"could not write an SVG to {target}: {file.errorString()}")
    _commit(file, target, "an SVG")
    return target


def _opened_for_saving(target: Path, what: str) -> QSaveFile:
    """``target`` opened through Qt's QSaveFile: written aside, put in place on commit.

    Raises
    ------
    OSError
        When the file cannot be opened for writing, with the system's reason.
    """
    file = QSaveFile(str(target))
    if not file.open(QIODevice.OpenModeFlag.WriteOnly):
        raise OSError(f"could not write {what} to {target}: {file.errorString()}")
    return file


def _commit(file: QSaveFile, target: Path, what: str) -> None:
    """Put the written file in place of ``target``.

    Raises
    ------
    OSError
        When it cannot be put there (or writing it failed), with the system's reason.
    """
    if not file.commit():
        raise OSError(f"could not write {what} to {target}: {file.errorString()}")


OFFSCREEN_NOTICES = (
    "This plugin does not support propagateSizeHints()",
    "This plugin does not support raise()",
)
_notices_hidden = False


def hide_offscreen_notices() -> None:
    """Drop the offscreen platform's harmless notices so errors stay one line on stderr.

    Every other Qt message still goes to stderr (or to the handler installed before).
    Calling it again changes nothing.
    """
    global _notices_hidden
    if _notices_hidden:
        return
    _notices_hidden = True
    previous_handler = None

    def handler(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if message in OFFSCREEN_NOTICES:
            return
        if previous_handler is not None:
            previous_handler(mode, context, message)
        else:
            print(message, file=sys.stderr)

    previous_handler = qInstallMessageHandler(handler)
