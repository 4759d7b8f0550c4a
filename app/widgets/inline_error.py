"""The one-line message under a form or the console that says what went wrong."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from app.theme import error_color, set_text_color


class InlineError(QLabel):
    """What went wrong, word-wrapped, in the theme's error colour; hidden while there is none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("InlineError")
        self.setWordWrap(True)
        # Wraps to the width it is given instead of widening the window to fit a long error.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setTextFormat(Qt.TextFormat.PlainText)  # messages quote code: < is not markup
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._apply_colour()
        self.hide()

    def show_error(self, message: str) -> None:
        """Show ``message`` (one line; long ones wrap)."""
        self.setText(message)
        self.show()

    def clear_error(self) -> None:
        """Hide the message: the last action worked."""
        self.clear()
        self.hide()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_colour()  # the theme changed: light and dark have their own reds
        super().changeEvent(event)

    def error_colour(self) -> QColor:
        """The colour the message is drawn in."""
        return self.palette().color(QPalette.ColorRole.WindowText)

    def _apply_colour(self) -> None:
        # The window colour, which tells the theme, keeps following the parent.
        colour = error_color(self.palette())
        if self.error_colour() != colour:  # setting the palette sends PaletteChange again
            set_text_color(self, colour)
