"""The operation form: pick a tensor and a view operation, type its arguments, and apply it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.forms import FormError, check_name
from app.i18n import QT_TRANSLATE_NOOP, translate
from app.session import Session
from app.theme import monospace_font, muted_color, set_text_color
from app.view_operations import VIEW_OPERATIONS, ViewOperation, operation_line
from app.widgets.line_form import LineForm

NO_ARGUMENTS = QT_TRANSLATE_NOOP("OperationForm", "(takes no arguments)")
NO_TENSORS = QT_TRANSLATE_NOOP("OperationForm", "(no tensor yet: build one)")
MINIMUM_COMBO_CHARACTERS = 14


class HintLabel(QLabel):
    """A word-wrapped label that keeps the height its wrapped text needs at its width.

    A wrapped QLabel's minimum height is a guess; the dock layout does not ask for height
    for width, so a short dock squeezed the hint's row and cut its lines off. A minimum
    height taken from the width it has now can only grow the row to what the text needs.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)

    def show_hint(self, text: str) -> None:
        """Show ``text``, wrapped, with the height it needs."""
        self.setText(text)
        self._fit_height()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_height()

    def _fit_height(self) -> None:
        self.setMinimumHeight(self.heightForWidth(self.width()))


class OperationForm(LineForm):
    """Source tensor, operation, arguments and target name, then Apply (or Enter).

    Applying runs one line through the session, such as ``y = x.transpose(0, 1)``; the
    session then shows the new tensor. The arguments are checked before the line runs;
    what only the engine can judge (a ``view`` that needs a copy) it reports when it runs.
    """

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.source_box = QComboBox()
        self.source_box.setPlaceholderText(translate("OperationForm", NO_TENSORS))
        self.operation_box = QComboBox()
        for operation in VIEW_OPERATIONS.values():
            self.operation_box.addItem(operation.signature, operation.name)
            index = self.operation_box.count() - 1
            self.operation_box.setItemData(
                index, operation.translated_hint, Qt.ItemDataRole.ToolTipRole
            )
        self.hint_label = HintLabel()
        self.arguments_edit = QLineEdit()
        self.target_edit = QLineEdit()
        self.apply_button = QPushButton(translate("OperationForm", "Apply"))
        self.fields |= {
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
        form.addRow(translate("OperationForm", "Tensor"), self.source_box)
        form.addRow(translate("OperationForm", "Operation"), self.operation_box)
        form.addRow("", self.hint_label)
        form.addRow(translate("OperationForm", "Arguments"), self.arguments_edit)
        form.addRow(translate("OperationForm", "New name"), self.target_edit)
        self.lay_out(form, self.target_edit, self.apply_button, self.apply)
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
        self.run_line(self._line, self.arguments_edit)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_hint_colour()
        super().changeEvent(event)

    def _line(self) -> str:
        tensors = self.session.tensors()
        source = self.source_box.currentText()
        if source not in tensors:
            raise FormError(
                translate("OperationForm", "build a tensor first: there is nothing to apply it to"),
                "source",
            )
        target = check_name(self.target_edit.text(), tensors)
        arguments = self.arguments_edit.text() if self.arguments_edit.isEnabled() else ""
        return operation_line(target, source, self.operation.name, arguments, tensors[source].dim())

    def _operation_chosen(self) -> None:
        """Show the chosen operation's hint; its arguments field and message start empty."""
        operation = self.operation
        self.error.clear_error()
        self.hint_label.show_hint(operation.translated_hint)
        takes_arguments = operation.style == "index" or bool(operation.arguments)
        self.arguments_edit.clear()
        self.arguments_edit.setEnabled(takes_arguments)
        self.arguments_edit.setPlaceholderText(
            translate("OperationForm", "such as {example}").format(example=operation.example)
            if operation.example
            else translate("OperationForm", NO_ARGUMENTS)
        )

    def _tensors_changed(self) -> None:
        """List the session's tensors, keeping the chosen one."""
        names = list(self.session.tensors())
        chosen = self.source_box.currentText()
        self.source_box.blockSignals(True)
        self.source_box.clear()
        self.source_box.addItems(names)
        self.source_box.blockSignals(False)
        if chosen in names:
            self.source_box.setCurrentText(chosen)

    def _follow_current(self) -> None:
        """Default the source to the tensor the session shows."""
        current = self.session.current
        if current is not None and current.name is not None:
            self.source_box.setCurrentText(current.name)

    def _apply_hint_colour(self) -> None:
        set_text_color(self.hint_label, muted_color(self.palette()))
