"""Light and dark palettes on Qt's Fusion style, the same on every platform."""

from __future__ import annotations

from typing import Literal

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

ThemeName = Literal["light", "dark"]
THEMES: tuple[ThemeName, ...] = ("light", "dark")

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
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
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
