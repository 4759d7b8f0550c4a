"""The tensor builder: a small form that writes the line making a new tensor, and runs it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

import core
from app.forms import (
    DEVICES,
    DTYPE_NAMES,
    FILLS,
    FormError,
    builder_line,
    check_memory,
    check_name,
    next_free_name,
    parse_shape,
)
from app.session import CodeError, Session
from app.widgets.inline_error import InlineError

SHAPE_PLACEHOLDER = "such as 3, 4   (empty: a 0-d scalar)"


def device_unavailable_reason(name: str) -> str | None:
    """Why the engine cannot hold tensors on device ``name``, or None when it can."""
    try:
        core.backends.backend_for(core.device(name))
    except RuntimeError as error:
        return str(error)
    return None


class TensorBuilder(QWidget):
    """Name, shape, dtype, device and fill, then Create (or Enter in any field).

    Creating runs one line through the session, such as
    ``x = core.arange(12, dtype=core.float32).view(3, 4)``, so it joins the history and
    can be undone. A mistake shows under the form, the field at fault takes the focus,
    and nothing else changes.
    """

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.name_edit = QLineEdit()
        self.shape_edit = QLineEdit()
        self.shape_edit.setPlaceholderText(SHAPE_PLACEHOLDER)
        self.dtype_box = QComboBox()
        self.dtype_box.addItems(DTYPE_NAMES)
        self.device_box = QComboBox()
        self.device_box.addItems(DEVICES)
        self._disable_unavailable_devices()
        self.fill_box = QComboBox()
        self.fill_box.addItems(FILLS)
        self.create_button = QPushButton("Create")
        self.create_button.clicked.connect(self.create)
        self.error = InlineError()
        self._suggested_name = ""
        self._fields = {
            "name": self.name_edit,
            "shape": self.shape_edit,
            "dtype": self.dtype_box,
            "device": self.device_box,
            "fill": self.fill_box,
        }

        form = QFormLayout()
        form.addRow("Name", self.name_edit)
        form.addRow("Shape", self.shape_edit)
        form.addRow("dtype", self.dtype_box)
        form.addRow("Device", self.device_box)
        form.addRow("Fill", self.fill_box)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.create_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        layout.addStretch()
        self.setFocusProxy(self.shape_edit)

        session.tensors_changed.connect(self._suggest_name)
        self._suggest_name()

    def create(self) -> None:
        """Build the tensor the form describes, or say under the form what to fix."""
        tensors = self.session.tensors()
        dtype_name = self.dtype_box.currentText()
        try:
            name = check_name(self.name_edit.text(), tensors)
            shape = parse_shape(self.shape_edit.text())
            line = builder_line(
                name, shape, dtype_name, self.device_box.currentText(), self.fill_box.currentText()
            )
            check_memory(shape, dtype_name, self.session.memory_limit)
            self.session.run(line)
        except FormError as error:
            self._show_error(str(error), self._fields[error.field])
        except CodeError as error:
            self._show_error(str(error), self.shape_edit)
        else:
            self.error.clear_error()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Line edits and closed combo boxes pass Enter on to their parent: here.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.create()
            return
        super().keyPressEvent(event)

    def _show_error(self, message: str, field: QWidget) -> None:
        self.error.show_error(message)
        field.setFocus()

    def _disable_unavailable_devices(self) -> None:
        model = self.device_box.model()
        assert isinstance(model, QStandardItemModel)  # QComboBox's own model
        for row, name in enumerate(DEVICES):
            reason = device_unavailable_reason(name)
            if reason is not None:
                item = model.item(row)
                item.setEnabled(False)
                item.setToolTip(reason)

    def _suggest_name(self) -> None:
        """Offer the next free name unless the user typed one that is still free."""
        tensors = self.session.tensors()
        typed = self.name_edit.text().strip()
        suggestion = next_free_name(tensors)
        if typed in ("", self._suggested_name) or typed in tensors:
            self.name_edit.setText(suggestion)
        self._suggested_name = suggestion
        self.name_edit.setPlaceholderText(f"{suggestion}   (empty: the next free name)")
