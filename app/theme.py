"""Light and dark palettes on Qt's Fusion style, the same on every platform.

Also the text looks every panel shares: code in monospace, labels muted, errors in the
theme's error colour, each following the theme when it switches.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory, QWidget

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
    return _painted(palette, colors, "#7d8594")


def _painted(palette: QPalette, colors: dict, disabled_text: str) -> QPalette:
    """``palette`` with ``colors`` (role → colour) and ``disabled_text`` for disabled text:
    WindowText too, as a disabled check box or label draws its text in it."""
    for role, color in colors.items():
        palette.setColor(role, QColor(color))
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
        QPalette.ColorRole.WindowText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(disabled_text))
    return palette


HIGH_CONTRAST_COLORS: dict[ThemeName, dict[QPalette.ColorRole, str]] = {
    "light": {
        QPalette.ColorRole.Window: "#ffffff",
        QPalette.ColorRole.WindowText: "#000000",
        QPalette.ColorRole.Base: "#ffffff",
        QPalette.ColorRole.AlternateBase: "#ececec",
        QPalette.ColorRole.ToolTipBase: "#ffffff",
        QPalette.ColorRole.ToolTipText: "#000000",
        QPalette.ColorRole.PlaceholderText: "#4a4a4a",
        QPalette.ColorRole.Text: "#000000",
        QPalette.ColorRole.Button: "#f2f2f2",
        QPalette.ColorRole.ButtonText: "#000000",
        QPalette.ColorRole.BrightText: "#d50000",
        QPalette.ColorRole.Highlight: "#0040d8",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#0030c0",
    },
    "dark": {
        QPalette.ColorRole.Window: "#000000",
        QPalette.ColorRole.WindowText: "#ffffff",
        QPalette.ColorRole.Base: "#1a1a1a",
        QPalette.ColorRole.AlternateBase: "#2e2e2e",
        QPalette.ColorRole.ToolTipBase: "#000000",
        QPalette.ColorRole.ToolTipText: "#ffffff",
        QPalette.ColorRole.PlaceholderText: "#b4b4b4",
        QPalette.ColorRole.Text: "#ffffff",
        QPalette.ColorRole.Button: "#2a2a2a",
        QPalette.ColorRole.ButtonText: "#ffffff",
        QPalette.ColorRole.BrightText: "#ff4d4d",
        QPalette.ColorRole.Highlight: "#1f6fff",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#5aa9ff",
    },
}
"""Presenter mode's palettes, for a projector seen from the back of a room: black text on
white, or white text on black, and saturated highlights. The dark one's fields are a shade
off black: Fusion frames them in a shade darker than the window, which black has not."""
HIGH_CONTRAST_DISABLED_TEXT: dict[ThemeName, str] = {"light": "#6e6e6e", "dark": "#a0a0a0"}


def high_contrast_palette(theme: ThemeName) -> QPalette:
    """``theme``'s palette at full contrast (it still reads as ``theme``: see current_theme)."""
    colors = HIGH_CONTRAST_COLORS[theme]
    # From the button colour, so Fusion's bevels and frames get shades of it.
    palette = QPalette(QColor(colors[QPalette.ColorRole.Button]))
    return _painted(palette, colors, HIGH_CONTRAST_DISABLED_TEXT[theme])


def print_palette() -> QPalette:
    """The light theme with white behind everything: for pictures meant for paper."""
    palette = QStyleFactory.create("Fusion").standardPalette()
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base):
        palette.setColor(role, QColor("#ffffff"))
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
    return mix(window, text, 0.62)


def mix(color: QColor, other: QColor, amount: float) -> QColor:
    """``color`` moved ``amount`` (0..1) of the way toward ``other``."""
    return QColor.fromRgbF(
        color.redF() + (other.redF() - color.redF()) * amount,
        color.greenF() + (other.greenF() - color.greenF()) * amount,
        color.blueF() + (other.blueF() - color.blueF()) * amount,
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
