"""The inspector: the shown tensor's layout facts (shape, strides, offset, bytes) and the hover."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from app.code_text import indexed
from app.i18n import QT_TRANSLATE_NOOP, translate
from app.session import Session
from app.tensor_facts import base_text, facts, first_owner
from app.theme import monospace_font, muted_color, set_text_color

EMPTY_HEADING = QT_TRANSLATE_NOOP("Inspector", "No tensor yet")
EMPTY_HINT = QT_TRANSLATE_NOOP("Inspector", "Run a line such as\n{code}")
EMPTY_HINT_CODE = "x = core.arange(12).view(3, 4)"
HOVER_HINT = QT_TRANSLATE_NOOP("Inspector", "Hover an element to see where it lives in storage.")


class Inspector(QWidget):
    """The current tensor's facts as a two-column form, its label as the heading.

    Values are monospace and selectable, so a student can copy ``(1, 4)`` into the console.
    Below the form, the hover: how the hovered element's storage index is computed and its
    byte address.
    """

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        monospace = monospace_font(self.font())

        self.heading = QLabel()
        heading_font = monospace_font(self.font())
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.35)
        heading_font.setBold(True)
        self.heading.setFont(heading_font)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.form.setHorizontalSpacing(14)
        self.form.setVerticalSpacing(3)
        self._name_labels: list[QLabel] = []
        self._values: dict[str, QLabel] = {}

        self.hover_line = QLabel()
        self.hover_line.setFont(monospace)
        self.hover_line.setWordWrap(True)
        self.hover_line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.address_line = QLabel()
        self.address_line.setFont(monospace)
        self.address_line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(8)
        layout.addWidget(self.heading)
        layout.addLayout(self.form)
        layout.addWidget(self.hover_line)
        layout.addWidget(self.address_line)
        layout.addStretch(1)

        session.current_changed.connect(self.refresh)
        session.tensors_changed.connect(self.refresh)
        session.highlight_changed.connect(self.refresh_hover)
        self._apply_muted_colour()
        self.refresh()

    def value(self, label: str) -> str:
        """The value shown in the row ``label`` (such as ``"stride()"``); "" when not shown."""
        row = self._values.get(label)
        return "" if row is None else row.text()

    def refresh(self) -> None:
        """Show the current tensor's facts (its version moves after in-place writes)."""
        shown = self.session.current
        if shown is None:
            self.heading.setText(translate("Inspector", EMPTY_HEADING))
            self._show_rows([])
        else:
            self.heading.setText(shown.label)
            owner = first_owner(shown.name, shown.tensor, self.session.tensors())
            self._show_rows(facts(shown.tensor, base_text(*owner)))
        self.refresh_hover()

    def refresh_hover(self) -> None:
        """Show how the hovered element finds its storage element, and its byte address."""
        highlight = self.session.highlight
        shown = self.session.current
        self._style_hover_line()
        if highlight is None or shown is None:
            self.hover_line.setText(
                translate("Inspector", EMPTY_HINT).format(code=EMPTY_HINT_CODE)
                if shown is None
                else translate("Inspector", HOVER_HINT)
            )
            self.address_line.hide()
            return
        if highlight.origin == "logical":
            # The formula is offset + Σ index·stride, ending in the storage index.
            element = indexed(shown.label, highlight.logical[0])
            self.hover_line.setText(
                translate("Inspector", "{element} → storage index {formula}").format(
                    element=element, formula=highlight.formula
                )
            )
        else:
            self.hover_line.setText(highlight.formula)
        if highlight.byte_address is not None:
            self.address_line.setText(
                translate("Inspector", "address {address}").format(
                    address=f"{highlight.byte_address:#x}"
                )
            )
        self.address_line.setVisible(highlight.byte_address is not None)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_muted_colour()
        super().changeEvent(event)

    def _show_rows(self, rows: list[tuple[str, str]]) -> None:
        """Show ``rows``, keeping the row widgets while the labels stay the same.

        They do for every tensor, so a refresh after each line only changes texts: no
        flicker, and a value the student is selecting stays put.
        """
        if [name.text() for name in self._name_labels] != [label for label, _ in rows]:
            while self.form.rowCount():
                self.form.removeRow(0)
            self._name_labels = []
            self._values = {}
            monospace = monospace_font(self.font())
            for label, _ in rows:
                name = QLabel(label)
                name.setFont(monospace)
                value = QLabel()
                value.setFont(monospace)
                value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                value.setWordWrap(True)
                self.form.addRow(name, value)
                self._name_labels.append(name)
                self._values[label] = value
            self._apply_muted_colour()
        for label, text in rows:
            self._values[label].setText(text)

    def _apply_muted_colour(self) -> None:
        """Row names and the hover hint in a muted colour: the values are what matter."""
        muted = muted_color(self.palette())
        for name in self._name_labels:
            set_text_color(name, muted)
        self._style_hover_line()

    def _style_hover_line(self) -> None:
        """The hover hint muted, a real hover in full text colour."""
        hint = self.session.highlight is None or self.session.current is None
        set_text_color(self.hover_line, muted_color(self.palette()) if hint else None)
