"""Icons shipped in ``resources/icons``, found through importlib.resources."""

from __future__ import annotations

from importlib import resources

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def icon_svg(name: str) -> bytes:
    """The SVG source of ``resources/icons/<name>.svg``."""
    return resources.files("resources").joinpath("icons", f"{name}.svg").read_bytes()


def load_icon(name: str) -> QIcon:
    """A QIcon of ``resources/icons/<name>.svg`` drawn at the usual icon sizes.

    Drawn from bytes rather than a file path, so it works wherever the package lives.
    """
    renderer = QSvgRenderer(QByteArray(icon_svg(name)))
    if not renderer.isValid():
        raise ValueError(f"resources/icons/{name}.svg is not a valid SVG")
    icon = QIcon()
    for size in ICON_SIZES:
        image = QImage(QSize(size, size), QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        icon.addPixmap(QPixmap.fromImage(image))
    return icon


def app_icon() -> QIcon:
    """StrideScope's own icon: a 4x4 grid whose diagonal hops by stride 5."""
    return load_icon("stridescope")
