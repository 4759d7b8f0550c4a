"""StrideScope's first window: type code against ``core``, run it, read each tensor's layout."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.code_runner import DEFAULT_CODE, CodeError, TensorSummary, run_code
from app.icons import app_icon
from app.theme import ACCENT_COLORS, ERROR_COLORS, current_theme

DEFAULT_WINDOW_SIZE = (960, 640)


class MainWindow(QMainWindow):
    """A code field, a Run button, and the layout of every tensor the code makes.

    Errors in the code show inline, in red, as one line; the window stays usable.
    """

    def __init__(self, code: str = DEFAULT_CODE, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("StrideScope")
        self.setWindowIcon(app_icon())
        self.resize(*DEFAULT_WINDOW_SIZE)
        self.error_message = ""

        monospace = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        monospace.setPointSizeF(max(monospace.pointSizeF(), 11.0))

        heading = QLabel(
            "Build tensors with <b>core</b> as you would with <b>torch</b>, then Run "
            "(Ctrl+Enter): every tensor the code names is listed below."
        )

        self.code_editor = QPlainTextEdit(code)
        self.code_editor.setFont(monospace)
        self.code_editor.setTabChangesFocus(True)
        self.code_editor.setFixedHeight(self.code_editor.fontMetrics().lineSpacing() * 4 + 16)

        self.run_button = QPushButton("Run")
        self.run_button.setDefault(True)
        self.run_button.setMinimumWidth(96)
        self.run_button.setToolTip("Run the code (Ctrl+Enter)")
        self.run_button.clicked.connect(self.run_code)

        self.error_label = QLabel()
        self.error_label.setFont(monospace)
        # Wrapped, so that a long message neither widens the window nor gets cut off.
        self.error_label.setWordWrap(True)
        self.error_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.results_view = QTextEdit()
        self.results_view.setReadOnly(True)
        self.results_view.setFont(monospace)
        self.results_view.setLineWrapMode(QTextEdit.LineWrapMode.NoWrap)

        run_row = QHBoxLayout()
        run_row.addWidget(self.error_label, stretch=1)
        run_row.addWidget(self.run_button)

        layout = QVBoxLayout()
        layout.setContentsMargins(16, 14, 16, 16)
        layout.setSpacing(8)
        layout.addWidget(heading)
        layout.addWidget(self.code_editor)
        layout.addLayout(run_row)
        layout.addWidget(self.results_view, stretch=1)
        central = QWidget()
        central.setLayout(layout)
        self.setCentralWidget(central)

        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self.run_code)

        self.run_code()

    def run_code(self) -> None:
        """Run the code field; list the tensors it makes, or show its error inline."""
        try:
            summaries = run_code(self.code_editor.toPlainText())
        except CodeError as error:
            self.show_error(str(error))
            return
        self.show_error("")
        self.results_view.setHtml(self.results_html(summaries))

    def show_error(self, message: str) -> None:
        """Show ``message`` in red under the code (an empty message clears it)."""
        self.error_message = message
        color = ERROR_COLORS[current_theme(self.palette())]
        self.error_label.setStyleSheet(f"color: {color};")
        self.error_label.setText(message)
        self.error_label.setToolTip(message)
        if message:
            self.results_view.clear()

    def results_html(self, summaries: list[TensorSummary]) -> str:
        """The results as HTML: each tensor's name, repr and layout, one block each."""
        if not summaries:
            return "<p>The code names no tensors.</p>"
        accent = ACCENT_COLORS[current_theme(self.palette())]
        blocks = []
        for summary in summaries:
            label_width = max(len(label) for label, _ in summary.metadata())
            metadata = "\n".join(
                f"  {label.ljust(label_width)}  {value}" for label, value in summary.metadata()
            )
            blocks.append(
                f'<p style="margin: 0"><b style="color: {accent}">'
                f"{html.escape(summary.name)}</b></p>"
                f'<pre style="margin: 0 0 14px 0">{html.escape(summary.text)}\n'
                f"{html.escape(metadata)}</pre>"
            )
        return "".join(blocks)
