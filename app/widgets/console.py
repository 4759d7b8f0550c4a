"""The console: the session's history above a one-line code input.

The history is Qt's own ``QUndoView`` over the session's undo stack: it lists each line,
greys the undone ones, and clicking a row undoes or redoes to there.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QUndoView,
    QVBoxLayout,
    QWidget,
)

from app.code_text import torch_script
from app.i18n import QT_TRANSLATE_NOOP, translate
from app.session import CodeError, Session
from app.theme import monospace_font
from app.widgets.inline_error import InlineError

EMPTY_HISTORY = QT_TRANSLATE_NOOP("Console", "(empty session)")
INPUT_PLACEHOLDER = QT_TRANSLATE_NOOP(
    "Console", "a line such as  y = x.t()   (Up, Down: earlier lines)"
)


class RecallingLineEdit(QLineEdit):
    """A line edit where Up and Down step through earlier entries, as in a shell.

    Down past the newest entry brings back what was being typed before Up.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entries: list[str] = []
        self._position = 0  # len(entries): the line being typed, not an earlier one
        self._draft = ""

    def take_entries(self, entries: list[str]) -> None:
        """Recall ``entries`` (oldest first) from now on, typing a new line."""
        self.entries = list(entries)
        self._position = len(self.entries)
        self._draft = ""

    def remember(self, text: str) -> None:
        """Add ``text`` as the newest entry (not twice in a row) and go back to typing."""
        if text and (not self.entries or self.entries[-1] != text):
            self.entries.append(text)
        self._position = len(self.entries)
        self._draft = ""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Up:
            self._recall(self._position - 1)
        elif event.key() == Qt.Key.Key_Down:
            self._recall(self._position + 1)
        else:
            super().keyPressEvent(event)

    def _recall(self, position: int) -> None:
        if not 0 <= position <= len(self.entries):
            return
        if self._position == len(self.entries):
            self._draft = self.text()
        self._position = position
        self.setText(self.entries[position] if position < len(self.entries) else self._draft)


class Console(QWidget):
    """The history (click a line to undo to it), copy buttons, and the code input.

    Enter runs the input through the session; it clears on success. An error shows under
    the input and the text stays, so it can be fixed.
    """

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        code_font = monospace_font(self.font())
        self.history_view = QUndoView(session.undo_stack)
        self.history_view.setEmptyLabel(translate("Console", EMPTY_HISTORY))
        self.history_view.setFont(code_font)
        self.copy_torch_button = QPushButton(translate("Console", "Copy as PyTorch"))
        self.copy_torch_button.setToolTip(
            translate("Console", "The history as a script that runs in PyTorch")
        )
        self.copy_torch_button.clicked.connect(self.copy_as_pytorch)
        self.copy_lines_button = QPushButton(translate("Console", "Copy lines"))
        self.copy_lines_button.setToolTip(
            translate("Console", "The history's lines, as they ran here")
        )
        self.copy_lines_button.clicked.connect(self.copy_lines)
        self.prompt = QLabel(">>>")
        self.prompt.setFont(code_font)
        self.input = RecallingLineEdit()
        self.input.setFont(code_font)
        self.input.setPlaceholderText(translate("Console", INPUT_PLACEHOLDER))
        self.input.returnPressed.connect(self.run_input)
        self.error = InlineError()

        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.copy_torch_button)
        buttons.addWidget(self.copy_lines_button)
        line = QHBoxLayout()
        line.addWidget(self.prompt)
        line.addWidget(self.input)
        layout = QVBoxLayout(self)
        layout.addWidget(self.history_view, stretch=1)
        layout.addLayout(buttons)
        layout.addLayout(line)
        layout.addWidget(self.error)
        self.setFocusProxy(self.input)

    def adopt(self, other: Console) -> None:
        """Carry on from ``other`` (in a window this one replaces): its recalled lines, the
        line being typed, and the error shown under it (the engine's words, kept)."""
        self.input.take_entries(other.input.entries)
        self.input.setText(other.input.text())
        if other.error.isVisibleTo(other):
            self.error.show_error(other.error.text())

    def run_input(self) -> None:
        """Run the input line; clear it on success, else show why under it and keep it."""
        code = self.input.text()
        self.input.remember(code.strip())
        try:
            self.session.run(code)
        except CodeError as error:
            self.error.show_error(str(error))
            return
        self.input.setText("")  # unlike clear(), leaves nothing for Ctrl+Z to bring back
        self.error.clear_error()

    def copy_as_pytorch(self) -> None:
        """Put the history on the clipboard as a script that runs in PyTorch."""
        QGuiApplication.clipboard().setText(torch_script(self.session.history))

    def copy_lines(self) -> None:
        """Put the history's lines on the clipboard, one a line, as they ran here."""
        QGuiApplication.clipboard().setText("".join(f"{line}\n" for line in self.session.history))
