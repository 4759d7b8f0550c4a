"""The lineage bar: how the selected tensor was made, ``x → x.t() → x.t()[1:, ::2] (y)``."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QWidget,
)

from app.i18n import QT_TRANSLATE_NOOP, translate
from app.session import Session, Shown
from app.theme import monospace_font, muted_color, set_text_color
from app.widgets.palette import family_color

NEW_STORAGE_TOOLTIP = QT_TRANSLATE_NOOP("LineageBar", "a copy: new storage")
ARROW = "→"
EMPTY_TEXT = QT_TRANSLATE_NOOP("LineageBar", "Lineage: select a tensor to see how it was made.")
# Wider chips are elided in the middle (the full label is in the tooltip).
MAX_CHIP_TEXT_WIDTH = 360


def chip_text(step: Shown, leads_on: bool) -> str:
    """What a chip reads: the step's code, then its name when that is not the code itself.

    A named first step that later steps lead on from reads as just its name: the next
    chip's code starts from that name (``x → x.t()``), and its own code is in the tooltip.
    """
    if step.name is None or step.name == step.label:
        return step.label
    if leads_on:
        return step.name
    return f"{step.label}  ({step.name})"


class LineageChip(QPushButton):
    """One step of the lineage; clicking it shows that step."""

    def __init__(
        self, step: Shown, new_storage: bool, leads_on: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.step = step
        self.new_storage = new_storage
        self.full_text = chip_text(step, leads_on)
        self.setFont(monospace_font(self.font()))
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setText(
            self.fontMetrics().elidedText(
                self.full_text, Qt.TextElideMode.ElideMiddle, MAX_CHIP_TEXT_WIDTH
            )
        )
        code = step.label if step.name in (None, step.label) else f"{step.name} = {step.label}"
        tips = [code]
        if new_storage:
            tips.append(translate("LineageBar", NEW_STORAGE_TOOLTIP))
        self.setToolTip("\n".join(tips))

    def set_look(self, color: QColor, current: bool) -> None:
        """Border in ``color``; a copy's dashed, with a ⧉ icon; the shown step filled and bold."""
        if self.new_storage:
            self.setIcon(_new_storage_icon(color, self.fontMetrics().height()))
        style = "dashed" if self.new_storage else "solid"
        width = 3 if current else 2
        # The thicker border eats into the padding, so every chip keeps one height.
        padding = f"{5 - width}px {12 - width}px"
        self.setStyleSheet(
            "QPushButton {"
            f" border: {width}px {style} {color.name()}; border-radius: 6px;"
            f" background: {_tint(color, 0.28 if current else 0.0)};"
            f" padding: {padding}; font-weight: {'bold' if current else 'normal'};"
            "}"
            f"QPushButton:hover {{ background: {_tint(color, 0.4)}; }}"
        )


class LineageBar(QScrollArea):
    """The lineage of the selected tensor as chips joined by arrows; long ones scroll sideways.

    A chip's border has its tensor's family colour while it reads the current storage; a
    step that made new storage (a copy) has a dashed border and a ⧉ tag.
    """

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.chips: list[LineageChip] = []
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._row = QWidget()
        self._layout = QHBoxLayout(self._row)
        self._layout.setContentsMargins(8, 6, 8, 6)
        self._layout.setSpacing(6)
        self.setWidget(self._row)
        session.current_changed.connect(self.refresh)
        session.tensors_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Rebuild the chips from ``session.lineage()`` and mark the one shown."""
        while self._layout.count():
            item = self._layout.takeAt(0)
            if item.widget() is not None:
                item.widget().hide()  # at once: deletion waits for the event loop
                item.widget().deleteLater()
        self.chips = []
        steps = self.session.lineage()
        if not steps:
            self._add(self._muted_label(translate("LineageBar", EMPTY_TEXT)))
        for position, step in enumerate(steps):
            if position:
                self._add(self._muted_label(ARROW))
            before = steps[position - 1].tensor if position else None
            new_storage = before is not None and not step.tensor.is_view_of(before)
            leads_on = position == 0 and len(steps) > 1
            chip = LineageChip(step, new_storage, leads_on, self._row)
            chip.clicked.connect(lambda _=False, step=step: self.show_step(step))
            self._add(chip)
            self.chips.append(chip)
        self._layout.addStretch(1)
        self._paint_chips()
        self._fit()

    def shown_chip(self) -> LineageChip | None:
        """The chip of the step being shown, if the lineage holds it."""
        return next((chip for chip in self.chips if self._is_current(chip.step)), None)

    def show_step(self, step: Shown) -> None:
        """Show ``step``; a named step that still holds its name is shown as that name.

        Not ``session.select``: that would make the step the lineage's anchor and the bar
        would drop the later steps the student came from.
        """
        if step.name is not None and self.session.tensors().get(step.name) is step.tensor:
            self.session.show(Shown(step.name, step.tensor, step.name))
        else:
            self.session.show(Shown(step.label, step.tensor))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self.refresh()
        super().changeEvent(event)

    def _paint_chips(self) -> None:
        family = self.session.family()
        neutral = muted_color(self.palette())
        for chip in self.chips:
            position = next(
                (i for i, member in enumerate(family) if member.tensor is chip.step.tensor),
                None,
            )
            color = neutral if position is None else QColor(family_color(position))
            chip.set_look(color, self._is_current(chip.step))

    def _is_current(self, step: Shown) -> bool:
        shown = self.session.current
        if shown is None or shown.tensor is not step.tensor:
            return False
        return step.name == shown.name if shown.name is not None else step.label == shown.label

    def _add(self, widget: QWidget) -> None:
        self._layout.addWidget(widget)
        # Shown now, not on the next event loop pass as Qt would: the bar's height is
        # measured from the visible chips right after.
        widget.show()

    def _muted_label(self, text: str) -> QLabel:
        label = QLabel(text, self._row)
        set_text_color(label, muted_color(self.palette()))
        return label

    def _fit(self) -> None:
        """One row high, plus the scroll bar when the chips are wider; the shown chip in view."""
        row = self._row.sizeHint()
        scrolls = row.width() > self.width()
        self.setFixedHeight(
            row.height() + (self.horizontalScrollBar().sizeHint().height() if scrolls else 0)
        )
        self._layout.activate()  # chip geometry is needed now, to scroll the shown one in view
        current = self.shown_chip()
        if current is not None:
            self.ensureWidgetVisible(current)


def _tint(color: QColor, alpha: float) -> str:
    """``color`` at ``alpha`` as a style sheet colour (#AARRGGBB)."""
    tint = QColor(color)
    tint.setAlphaF(alpha)
    return tint.name(QColor.NameFormat.HexArgb)


def _new_storage_icon(color: QColor, size: int) -> QIcon:
    """The ⧉ tag, two overlapping squares, drawn: not every monospace font has the glyph."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(color, max(size / 9, 1.2)))
    square = size * 0.6
    for corner in (size * 0.08, size * 0.32):
        painter.drawRoundedRect(QRectF(corner, corner, square, square), 1.5, 1.5)
    painter.end()
    return QIcon(pixmap)
