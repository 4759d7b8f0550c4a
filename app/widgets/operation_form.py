"""The operation form: pick a tensor and a view operation, type its arguments, and apply it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.forms import (
    VIEW_OPERATIONS,
    FormError,
    ViewOperation,
    check_name,
    next_free_name,
    operation_line,
)
from app.session import CodeError, Session
from app.widgets.inline_error import InlineError
from app.widgets.inspector import monospace_font, muted_color

NO_ARGUMENTS = "(takes no arguments)"
NO_TENSORS = "(no tensor yet: build one)"
MINIMUM_COMBO_CHARACTERS = 14


class OperationForm(QWidget):
    """Source tensor, operation, arguments and target name, then Apply (or Enter).

    Applying runs one line through the session, such as ``y = x.transpose(0, 1)``; the
    session then shows the new tensor. The arguments are checked before the line runs;
    what only the engine can judge (a ``view`` that needs a copy) it reports when it runs.
    Mistakes show under the form and change nothing.
    """

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.source_box = QComboBox()
        self.source_box.setPlaceholderText(NO_TENSORS)
        self.operation_box = QComboBox()
        for operation in VIEW_OPERATIONS.values():
            self.operation_box.addItem(operation.signature, operation.name)
            index = self.operation_box.count() - 1
            self.operation_box.setItemData(index, operation.hint, Qt.ItemDataRole.ToolTipRole)
        self.hint_label = QLabel()
        self.hint_label.setWordWrap(True)
        self.arguments_edit = QLineEdit()
        self.target_edit = QLineEdit()
        self.apply_button = QPushButton("Apply")
        self.apply_button.clicked.connect(self.apply)
        self.error = InlineError()
        self._suggested_name = ""
        self._fields = {
            "name": self.target_edit,
            "source": self.source_box,
            "operation": self.operation_box,
            "arguments": self.arguments_edit,
        }
        for code_field in (self.source_box, self.operation_box, self.arguments_edit):
            code_field.setFont(monospace_font(self.font()))
        for box in (self.source_box, self.operation_box):
            # The longest entry would otherwise set the dock's width.
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(MINIMUM_COMBO_CHARACTERS)
        # The open list still shows every signature whole.
        self.operation_box.view().setMinimumWidth(self.operation_box.view().sizeHintForColumn(0))

        form = QFormLayout()
        form.addRow("Tensor", self.source_box)
        form.addRow("Operation", self.operation_box)
        form.addRow("", self.hint_label)
        form.addRow("Arguments", self.arguments_edit)
        form.addRow("New name", self.target_edit)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.apply_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        layout.addStretch()
        self.setFocusProxy(self.arguments_edit)

        self.operation_box.currentIndexChanged.connect(self._operation_chosen)
        session.tensors_changed.connect(self._tensors_changed)
        session.current_changed.connect(self._follow_current)
        self._apply_hint_colour()
        self._operation_chosen()
        self._tensors_changed()
        self._follow_current()

    @property
    def operation(self) -> ViewOperation:
        """The operation chosen in the form."""
        return VIEW_OPERATIONS[self.operation_box.currentData()]

    def apply(self) -> None:
        """Run the operation the form describes, or say under the form what to fix."""
        tensors = self.session.tensors()
        source = self.source_box.currentText()
        try:
            if source not in tensors:
                raise FormError("build a tensor first: there is nothing to apply it to", "source")
            target = check_name(self.target_edit.text(), tensors)
            arguments = self.arguments_edit.text() if self.arguments_edit.isEnabled() else ""
            line = operation_line(
                target, source, self.operation.name, arguments, tensors[source].dim()
            )
            self.session.run(line)
        except FormError as error:
            self._show_error(str(error), self._fields[error.field])
        except CodeError as error:
            self._show_error(str(error), self.arguments_edit)
        else:
            self.error.clear_error()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Line edits and closed combo boxes pass Enter on to their parent: here.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.apply()
            return
        super().keyPressEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_hint_colour()
        super().changeEvent(event)

    def _show_error(self, message: str, field: QWidget) -> None:
        self.error.show_error(message)
        field.setFocus()

    def _operation_chosen(self) -> None:
        """Show the chosen operation's hint; its arguments field and message start empty."""
        operation = self.operation
        self.error.clear_error()
        self.hint_label.setText(operation.hint)
        takes_arguments = operation.style == "index" or bool(operation.arguments)
        self.arguments_edit.clear()
        self.arguments_edit.setEnabled(takes_arguments)
        self.arguments_edit.setPlaceholderText(
            f"such as {operation.example}" if operation.example else NO_ARGUMENTS
        )

    def _tensors_changed(self) -> None:
        """List the session's tensors, keeping the chosen one; offer the next free name."""
        names = list(self.session.tensors())
        chosen = self.source_box.currentText()
        self.source_box.blockSignals(True)
        self.source_box.clear()
        self.source_box.addItems(names)
        self.source_box.blockSignals(False)
        if chosen in names:
            self.source_box.setCurrentText(chosen)
        self._suggest_name(names)

    def _follow_current(self) -> None:
        """Default the source to the tensor the session shows."""
        current = self.session.current
        if current is not None and current.name is not None:
            self.source_box.setCurrentText(current.name)

    def _suggest_name(self, taken: list[str]) -> None:
        """Offer the next free name unless the user typed one that is still free."""
        typed = self.target_edit.text().strip()
        suggestion = next_free_name(taken)
        if typed in ("", self._suggested_name) or typed in taken:
            self.target_edit.setText(suggestion)
        self._suggested_name = suggestion
        self.target_edit.setPlaceholderText(f"{suggestion}   (empty: the next free name)")

    def _apply_hint_colour(self) -> None:
        hint_palette = QPalette()  # only the text colour is set: the rest follows the theme
        hint_palette.setColor(QPalette.ColorRole.WindowText, muted_color(self.palette()))
        self.hint_label.setPalette(hint_palette)
