"""Light and dark palettes on Qt's Fusion style, the same on every platform.

Also the text looks every panel shares: code in monospace, labels muted, errors in the
theme's error colour, each following the theme when it switches.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from app.startup import THEMES, ThemeName

ERROR_COLORS: dict[ThemeName, str] = {"light": "#c62828", "dark": "#ff6b6b"}
ACCENT_COLORS: dict[ThemeName, str] = {"light": "#b86e00", "dark": "#f5a623"}


def dark_palette() -> QPalette:
    """A calm dark palette; disabled text stays readable on a projector."""
    palette = QPalette()
    colors = {
        QPalette.ColorRole.Window: "#1f242d",
        QPalette.ColorRole.WindowText: "#e6e9ef",
        QPalette.ColorRole.Base: "#161a21",
        QPalette.ColorRole.AlternateBase: "#232934",
        QPalette.ColorRole.ToolTipBase: "#2b3240",
        QPalette.ColorRole.ToolTipText: "#e6e9ef",
        QPalette.ColorRole.PlaceholderText: "#7d8594",
        QPalette.ColorRole.Text: "#e6e9ef",
        QPalette.ColorRole.Button: "#2b3240",
        QPalette.ColorRole.ButtonText: "#e6e9ef",
        QPalette.ColorRole.BrightText: "#ff6b6b",
        QPalette.ColorRole.Highlight: "#3d6fb6",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#6ea8ff",
    }
    for role, color in colors.items():
        palette.setColor(role, QColor(color))
    # WindowText too: a disabled check box or label draws its text in it.
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
        QPalette.ColorRole.WindowText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7d8594"))
    return palette


def apply_theme(app: QApplication, theme: ThemeName) -> None:
    """Give ``app`` the Fusion style and the palette of ``theme``."""
    if theme not in THEMES:
        raise ValueError(f"unknown theme {theme!r}; choose one of {', '.join(THEMES)}")
    app.setStyle("Fusion")
    app.setPalette(dark_palette() if theme == "dark" else app.style().standardPalette())


def current_theme(palette: QPalette) -> ThemeName:
    """Which theme ``palette`` looks like, judged by its window colour."""
    return "dark" if palette.color(QPalette.ColorRole.Window).lightness() < 128 else "light"


def error_color(palette: QPalette) -> QColor:
    """The error colour of the theme ``palette`` looks like."""
    return QColor(ERROR_COLORS[current_theme(palette)])


def monospace_font(reference: QFont) -> QFont:
    """The system's fixed-pitch font at ``reference``'s size, so code lines up with prose."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(reference.pointSizeF())
    return font


def muted_color(palette: QPalette) -> QColor:
    """Text colour for labels and hints: between text and background, readable in both themes."""
    text = palette.color(QPalette.ColorRole.WindowText)
    window = palette.color(QPalette.ColorRole.Window)
    # 62 % text: still clear on a washed-out projector, visibly quieter than the values.
    mix = 0.62
    return QColor.fromRgbF(
        text.redF() * mix + window.redF() * (1 - mix),
        text.greenF() * mix + window.greenF() * (1 - mix),
        text.blueF() * mix + window.blueF() * (1 - mix),
    )


def set_text_color(widget: QWidget, color: QColor | None) -> None:
    """Draw ``widget``'s text in ``color``; None gives it the theme's text colour back.

    A palette, not a style sheet: a widget with a style sheet stops following the
    application palette, so it would keep the old theme's colours after a theme switch.
    """
    if color is None:
        widget.setPalette(QPalette())  # nothing set: every role inherited again
        return
    palette = widget.palette()
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text):
        palette.setColor(role, color)
    widget.setPalette(palette)
