"""What the tensor builder and the operation form share: a form that writes one line and runs it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.forms import Field, FormError, next_free_name
from app.i18n import translate
from app.session import CodeError, Session
from app.widgets.inline_error import InlineError


class LineForm(QWidget):
    """Labelled fields, a button (or Enter) that runs the line they describe, a message below.

    The line runs through the session, so it joins the history and can be undone. A
    mistake shows under the form, the field at fault takes the focus, and nothing else
    changes. The name field offers the next free name as tensors come and go. A subclass
    makes its fields, names them in ``fields`` for :class:`FormError`, then calls
    :meth:`lay_out` once.
    """

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.error = InlineError()
        self.fields: dict[Field, QWidget] = {}

    def lay_out(
        self,
        rows: QFormLayout,
        name_edit: QLineEdit,
        button: QPushButton,
        submit: Callable[[], None],
    ) -> None:
        """``rows`` above ``button``, which calls ``submit`` as Enter does; the message below.

        ``name_edit`` is the field for the new tensor's name.
        """
        self._name_edit = name_edit
        self._suggested_name = ""
        self._submit = submit
        self.fields["name"] = name_edit
        button.clicked.connect(submit)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(rows)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        layout.addStretch()
        self.session.tensors_changed.connect(self.suggest_name)
        self.suggest_name()

    def run_line(self, write_line: Callable[[], str], engine_field: QWidget) -> None:
        """Run the line ``write_line()`` returns, or say under the form what to fix.

        A :class:`FormError` focuses the field it names; an error from the engine, which
        only running tells, focuses ``engine_field``.
        """
        try:
            self.session.run(write_line())
        except FormError as error:
            self._show_error(str(error), self.fields[error.field])
        except CodeError as error:
            self._show_error(str(error), engine_field)
        else:
            self.error.clear_error()

    def suggest_name(self) -> None:
        """Offer the next free name unless the user typed one that is still free."""
        tensors = self.session.tensors()
        typed = self._name_edit.text().strip()
        suggestion = next_free_name(tensors)
        if typed in ("", self._suggested_name) or typed in tensors:
            self._name_edit.setText(suggestion)
        self._suggested_name = suggestion
        self._name_edit.setPlaceholderText(
            translate("LineForm", "{name}   (empty: the next free name)").format(name=suggestion)
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Line edits and closed combo boxes pass Enter on to their parent: here.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._submit()
            return
        super().keyPressEvent(event)

    def _show_error(self, message: str, field: QWidget) -> None:
        self.error.show_error(message)
        field.setFocus()
