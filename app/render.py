"""Render widgets to PNG without a display (``stridescope render``, ``make run``, tests)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QMessageLogContext, QRect, Qt, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QApplication, QWidget


def settle_for_drawing(widget: QWidget, path: str | Path) -> Path:
    """Make ``path``'s folder and lay ``widget`` out as on screen; returns ``path`` absolute.

    A hidden widget is shown with ``WA_DontShowOnScreen``, so its layouts are settled.

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
    QApplication.processEvents()
    return target


def render_widget(widget: QWidget, path: str | Path) -> Path:
    """Save ``widget`` as it would look on screen to the PNG file ``path``.

    Laid out first (:func:`settle_for_drawing`). Returns the absolute path written.

    Raises
    ------
    OSError
        When the folder cannot be made or the file cannot be written.
    """
    target = settle_for_drawing(widget, path)
    pixmap = widget.grab()
    if pixmap.isNull() or not pixmap.save(str(target), "PNG"):
        raise OSError(f"could not write a PNG to {target}")
    return target


def save_svg(widget: QWidget, path: str | Path, title: str = "") -> Path:
    """Save ``widget`` as an SVG drawn by Qt's own generator; returns the absolute path.

    Qt's QSvgGenerator rather than pyqtgraph's SVG exporter, which fails on PySide6 6.11
    and later. The widget paints itself into the generator, so lines and text stay
    vectors.

    Raises
    ------
    OSError
        When the folder cannot be made or the file cannot be written.
    """
    target = settle_for_drawing(widget, path)
    generator = QSvgGenerator()
    generator.setFileName(str(target))
    generator.setSize(widget.size())
    generator.setViewBox(QRect(0, 0, widget.width(), widget.height()))
    generator.setTitle(title or widget.windowTitle() or "StrideScope")
    generator.setDescription("Drawn by StrideScope")
    painter = QPainter()
    if not painter.begin(generator):
        raise OSError(f"could not write an SVG to {target}")
    try:
        widget.render(painter)
    finally:
        painter.end()
    if not target.is_file() or target.stat().st_size == 0:
        raise OSError(f"could not write an SVG to {target}")
    return target


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
