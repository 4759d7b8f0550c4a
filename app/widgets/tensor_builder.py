"""The tensor builder: a small form that writes the line making a new tensor, and runs it."""

from __future__ import annotations

from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QPushButton, QWidget

import core
from app.forms import (
    DEVICES,
    DTYPE_NAMES,
    FILLS,
    builder_line,
    check_memory,
    check_name,
    parse_shape,
)
from app.i18n import QT_TRANSLATE_NOOP, translate
from app.session import Session
from app.widgets.line_form import LineForm

SHAPE_PLACEHOLDER = QT_TRANSLATE_NOOP("TensorBuilder", "such as 3, 4   (empty: a 0-d scalar)")


def device_unavailable_reason(name: str) -> str | None:
    """Why the engine cannot hold tensors on device ``name``, or None when it can."""
    try:
        core.backends.backend_for(core.device(name))
    except RuntimeError as error:
        return str(error)
    return None


class TensorBuilder(LineForm):
    """Name, shape, dtype, device and fill, then Create (or Enter in any field).

    Creating runs one line through the session, such as
    ``x = core.arange(12, dtype=core.float32).view(3, 4)``.
    """

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.name_edit = QLineEdit()
        self.shape_edit = QLineEdit()
        self.shape_edit.setPlaceholderText(translate("TensorBuilder", SHAPE_PLACEHOLDER))
        self.dtype_box = QComboBox()
        self.dtype_box.addItems(DTYPE_NAMES)
        self.device_box = QComboBox()
        self.device_box.addItems(DEVICES)
        self._disable_unavailable_devices()
        self.fill_box = QComboBox()
        self.fill_box.addItems(FILLS)
        self.create_button = QPushButton(translate("TensorBuilder", "Create"))
        self.fields |= {
            "shape": self.shape_edit,
            "dtype": self.dtype_box,
            "device": self.device_box,
            "fill": self.fill_box,
        }

        form = QFormLayout()
        form.addRow(translate("TensorBuilder", "Name"), self.name_edit)
        form.addRow(translate("TensorBuilder", "Shape"), self.shape_edit)
        form.addRow("dtype", self.dtype_box)  # PyTorch's name for it, in every language
        form.addRow(translate("TensorBuilder", "Device"), self.device_box)
        form.addRow(translate("TensorBuilder", "Fill"), self.fill_box)
        self.lay_out(form, self.name_edit, self.create_button, self.create)
        self.setFocusProxy(self.shape_edit)

    def create(self) -> None:
        """Build the tensor the form describes, or say under the form what to fix."""
        self.run_line(self._line, self.shape_edit)

    def _line(self) -> str:
        name = check_name(self.name_edit.text(), self.session.tensors())
        shape = parse_shape(self.shape_edit.text())
        dtype_name = self.dtype_box.currentText()
        line = builder_line(
            name, shape, dtype_name, self.device_box.currentText(), self.fill_box.currentText()
        )
        check_memory(shape, dtype_name, self.session.memory_limit)
        return line

    def _disable_unavailable_devices(self) -> None:
        model = self.device_box.model()
        assert isinstance(model, QStandardItemModel)  # QComboBox's own model
        for row, name in enumerate(DEVICES):
            reason = device_unavailable_reason(name)
            if reason is not None:
                item = model.item(row)
                item.setEnabled(False)
                item.setToolTip(reason)
