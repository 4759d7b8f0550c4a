"""The view failure panel: why ``view`` needs a copy here, drawn, and the two ways out."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import QT_TRANSLATE_NOOP, translate
from app.session import CodeError, Session
from app.theme import error_color, monospace_font, muted_color, set_text_color
from app.view_explanation import ViewExplanation

TITLE = QT_TRANSLATE_NOOP("ViewFailurePanel", "view() cannot do this without a copy")
RESHAPE_BUTTON = QT_TRANSLATE_NOOP("ViewFailurePanel", "Use reshape (copies)")
CONTIGUOUS_BUTTON = QT_TRANSLATE_NOOP("ViewFailurePanel", "contiguous() first")
# Colours of the contiguous runs: the palette's blue, orange, green, purple, teal, yellow.
# Red is left out: it marks the new dim that fails.
RUN_COLORS = ("#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#edc948")


def run_color(run: int) -> QColor:
    """The colour of contiguous run ``run`` (0-based) in the diagram."""
    return QColor(RUN_COLORS[run % len(RUN_COLORS)])


def crossed_runs(explanation: ViewExplanation) -> list[int]:
    """The runs, numbered from 1 as the diagram labels them, that the failing new dim crosses."""
    failure = explanation.failure
    return [k + 1 for k in failure.spans[failure.breaking_dim]]


def plain_explanation(explanation: ViewExplanation) -> str:
    """The failure in plain words: runs in memory, and the new dim that would cross them."""
    failure = explanation.failure
    runs = crossed_runs(explanation)
    if len(runs) > 1:
        text = translate(
            "ViewFailurePanel",
            "A view never moves data, so each new dim must walk the storage with one fixed "
            "stride. The dims of {receiver} fall into {run_count} separate runs in memory, "
            "and new dim {dim} (size {size}) would have to walk across runs {runs} and {last}: "
            "no single stride does that. Copy, then view:",
        )
    else:
        text = translate(
            "ViewFailurePanel",
            "A view never moves data, so each new dim must walk the storage with one fixed "
            "stride. The dims of {receiver} fall into {run_count} separate runs in memory, "
            "and new dim {dim} (size {size}) would have to walk across two of them: "
            "no single stride does that. Copy, then view:",
        )
    return text.format(
        receiver=explanation.receiver,
        run_count=len(failure.chunks),
        dim=failure.breaking_dim,
        size=explanation.shape[failure.breaking_dim],
        runs=", ".join(map(str, runs[:-1])),
        last=runs[-1],
    )


class ViewFailureDiagram(QWidget):
    """The old dims as boxes coloured by their contiguous run, the new dims below.

    Runs are drawn apart, so the student sees where memory stops being one stride; the
    new dim that would have to cross runs is striped in their colours and outlined in red.
    Painted by hand: Qt has no widget for labelled boxes in rows, and this one is small.
    """

    PADDING = 8
    BOX_PADDING = (10, 5)
    GAP_IN_RUN = 4
    GAP_BETWEEN_RUNS = 22
    ROW_GAP = 8

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFont(monospace_font(self.font()))
        self.explanation: ViewExplanation | None = None

    def set_explanation(self, explanation: ViewExplanation) -> None:
        """Draw ``explanation``'s old dims, runs and new dims."""
        self.explanation = explanation
        self.updateGeometry()
        self.update()

    def minimumSizeHint(self) -> QSize:
        if self.explanation is None:
            return QSize(0, 0)
        # A failed view has at least one old dim and one new dim: a 1-element tensor
        # views as anything, so neither row is ever empty here.
        old_boxes, new_boxes = self.dim_boxes()
        metrics = self.fontMetrics()
        breaking_box = new_boxes[self.explanation.failure.breaking_dim]
        width = max(
            old_boxes[-1].right(),
            new_boxes[-1].right(),
            *(self.PADDING + metrics.horizontalAdvance(c) for c in self._captions()),
            # The crossing caption starts under the failing dim, not at the left edge.
            breaking_box.left() + metrics.horizontalAdvance(self._crossing_caption()),
        )
        # Below the new row: a gap, then the line under the failing dim.
        height = new_boxes[0].bottom() + self.ROW_GAP + self.fontMetrics().lineSpacing()
        return QSize(int(width) + self.PADDING, int(height) + self.PADDING)

    def sizeHint(self) -> QSize:
        return self.minimumSizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.explanation is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(palette.ColorRole.Text)
        muted = muted_color(palette)
        error = error_color(palette)
        line = self.fontMetrics().lineSpacing()
        failure = self.explanation.failure
        old_boxes, new_boxes = self.dim_boxes()

        painter.setPen(muted)
        painter.drawText(
            self.PADDING, self.PADDING + self.fontMetrics().ascent(), self._old_caption()
        )
        run_of_dim = {d: k for k, chunk in enumerate(failure.chunks) for d in chunk}
        for d, box in enumerate(old_boxes):
            color = run_color(run_of_dim[d])
            self._draw_box(painter, box, self._old_lines(d), [color], color, 2, text)
        for k, chunk in enumerate(failure.chunks):
            left, right = old_boxes[chunk[0]].left(), old_boxes[chunk[-1]].right()
            y = old_boxes[0].bottom() + 6
            painter.setPen(QPen(run_color(k), 3))
            painter.drawLine(int(left), int(y), int(right), int(y))
            painter.setPen(text)
            painter.drawText(
                QRectF(left, y + 2, right - left, line),
                Qt.AlignmentFlag.AlignCenter,
                translate("ViewFailurePanel", "run {number}").format(number=k + 1),
            )

        caption_y = new_boxes[0].top() - self.ROW_GAP / 2 - self.fontMetrics().descent()
        painter.setPen(muted)
        painter.drawText(self.PADDING, int(caption_y), self._new_caption())
        spanned = failure.spans
        for d, box in enumerate(new_boxes):
            colors = [run_color(k) for k in spanned[d]]
            breaking = d == failure.breaking_dim
            border = error if breaking else (colors[0] if len(colors) == 1 else muted)
            width = 4 if breaking else 2
            self._draw_box(painter, box, self._new_lines(d), colors, border, width, text)
        breaking_box = new_boxes[failure.breaking_dim]
        painter.setPen(error)
        painter.drawText(
            int(breaking_box.left()),
            int(breaking_box.bottom() + self.ROW_GAP + self.fontMetrics().ascent()),
            self._crossing_caption(),
        )
        painter.end()

    def dim_boxes(self) -> tuple[list[QRectF], list[QRectF]]:
        """Where the old dims' boxes and the new dims' boxes are drawn."""
        metrics = self.fontMetrics()
        line = metrics.lineSpacing()
        pad_x, pad_y = self.BOX_PADDING
        tensor = self.explanation.tensor
        failure = self.explanation.failure
        first_of_run = {chunk[0] for chunk in failure.chunks}

        old_boxes = []
        x = self.PADDING
        top = self.PADDING + line + self.ROW_GAP / 2
        for d in range(tensor.dim()):
            if d:
                x += self.GAP_BETWEEN_RUNS if d in first_of_run else self.GAP_IN_RUN
            width = max(metrics.horizontalAdvance(t) for t in self._old_lines(d)) + 2 * pad_x
            old_boxes.append(QRectF(x, top, width, 3 * line + 2 * pad_y))
            x += width

        new_boxes = []
        x = self.PADDING
        # Below the old row: its run brackets and labels, then the new row's caption.
        top = old_boxes[0].bottom() + 8 + line + self.ROW_GAP + line + self.ROW_GAP / 2
        for d in range(len(self.explanation.shape)):
            width = max(metrics.horizontalAdvance(t) for t in self._new_lines(d)) + 2 * pad_x
            new_boxes.append(QRectF(x, top, width, 2 * line + 2 * pad_y))
            x += width + self.GAP_IN_RUN
        return old_boxes, new_boxes

    def _draw_box(
        self,
        painter: QPainter,
        box: QRectF,
        lines: list[str],
        fills: list[QColor],
        border: QColor,
        border_width: int,
        text: QColor,
    ) -> None:
        """A box tinted with ``fills`` side by side (one per run it touches), text centred."""
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.palette().color(self.palette().ColorRole.Base))
        painter.drawRoundedRect(box, 5, 5)
        band = box.width() / max(len(fills), 1)
        for i, fill in enumerate(fills):
            tint = QColor(fill)
            tint.setAlphaF(0.35)
            painter.setBrush(tint)
            painter.drawRect(QRectF(box.left() + i * band, box.top(), band, box.height()))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(border, border_width))
        painter.drawRoundedRect(box.adjusted(1, 1, -1, -1), 5, 5)
        painter.setPen(text)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, "\n".join(lines))

    def _old_caption(self) -> str:
        return translate(
            "ViewFailurePanel", "{receiver}: its dims, grouped into contiguous runs"
        ).format(receiver=self.explanation.receiver)

    def _new_caption(self) -> str:
        shape = ", ".join(map(str, self.explanation.shape))
        return translate("ViewFailurePanel", ".view({shape}): the dims it asks for").format(
            shape=shape
        )

    def _captions(self) -> tuple[str, str]:
        return self._old_caption(), self._new_caption()

    def _crossing_caption(self) -> str:
        runs = crossed_runs(self.explanation)
        dim = self.explanation.failure.breaking_dim
        if len(runs) > 1:
            return translate(
                "ViewFailurePanel", "↑ dim {dim} would span runs {runs}: no single stride"
            ).format(dim=dim, runs=" + ".join(map(str, runs)))
        return translate(
            "ViewFailurePanel", "↑ dim {dim} would span two runs: no single stride"
        ).format(dim=dim)

    def _old_lines(self, d: int) -> list[str]:
        tensor = self.explanation.tensor
        return [
            translate("ViewFailurePanel", "dim {dim}").format(dim=d),
            translate("ViewFailurePanel", "size {size}").format(size=tensor.shape[d]),
            translate("ViewFailurePanel", "stride {stride}").format(stride=tensor.stride()[d]),
        ]

    def _new_lines(self, d: int) -> list[str]:
        return [
            translate("ViewFailurePanel", "dim {dim}").format(dim=d),
            translate("ViewFailurePanel", "size {size}").format(size=self.explanation.shape[d]),
        ]


class ViewFailurePanel(QWidget):
    """Shown while the last line's ``view`` failed: the error, a diagram, and two fixes.

    "Use reshape (copies)" and "contiguous() first" run the corrected line through the
    session; an error from it shows inline. Hidden again when a line runs or on close.
    """

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.explanation: ViewExplanation | None = None
        self._running_fix = False
        monospace = monospace_font(self.font())

        self.title = QLabel(translate("ViewFailurePanel", TITLE))
        title_font = self.title.font()
        title_font.setBold(True)
        title_font.setPointSizeF(title_font.pointSizeF() * 1.2)
        self.title.setFont(title_font)
        self.close_button = QToolButton()
        self.close_button.setText("×")
        self.close_button.setToolTip(translate("ViewFailurePanel", "Close"))
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.hide)

        self.code_line = _selectable(QLabel(), monospace)
        code_font = self.code_line.font()
        code_font.setBold(True)
        self.code_line.setFont(code_font)
        self.error_line = _selectable(QLabel(), monospace)
        self.diagram = ViewFailureDiagram()
        self.explanation_line = _selectable(QLabel(), self.font())

        self.reshape_button = QPushButton(translate("ViewFailurePanel", RESHAPE_BUTTON))
        self.reshape_button.clicked.connect(lambda: self._run_fix(self.explanation.reshape_code))
        self.contiguous_button = QPushButton(translate("ViewFailurePanel", CONTIGUOUS_BUTTON))
        self.contiguous_button.clicked.connect(
            lambda: self._run_fix(self.explanation.contiguous_code)
        )
        self.reshape_code = _selectable(QLabel(), monospace)
        self.contiguous_code = _selectable(QLabel(), monospace)
        self.fix_error = _selectable(QLabel(), monospace)
        self.fix_error.hide()

        title_row = QHBoxLayout()
        title_row.setSpacing(16)
        title_row.addWidget(self.title)
        title_row.addWidget(self.code_line, 1)
        title_row.addWidget(self.close_button)
        fixes = QGridLayout()
        fixes.setHorizontalSpacing(12)
        # Each button over its line, one column: narrow enough to sit beside the diagram
        # with the docks open at the default window width.
        fixes.setVerticalSpacing(4)
        for row, (button, code) in enumerate(
            (
                (self.reshape_button, self.reshape_code),
                (self.contiguous_button, self.contiguous_code),
            )
        ):
            code.setWordWrap(False)  # a line of code reads whole or not at all
            fixes.addWidget(button, 2 * row, 0, Qt.AlignmentFlag.AlignLeft)
            fixes.addWidget(code, 2 * row + 1, 0)

        # The diagram beside the words and the fixes: the panel stays short, so the grid
        # below keeps its room.
        words = QVBoxLayout()
        words.addWidget(self.explanation_line)
        words.addLayout(fixes)
        words.addWidget(self.fix_error)
        words.addStretch(1)
        body = QHBoxLayout()
        body.setSpacing(16)
        body.addWidget(self.diagram)
        body.addLayout(words, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 8, 8, 12)
        layout.setSpacing(8)
        layout.addLayout(title_row)
        layout.addWidget(self.error_line)
        layout.addLayout(body)

        self._apply_colours()
        self.hide()
        session.view_failed.connect(self.explain)

    def explain(self, explanation: ViewExplanation | None) -> None:
        """Show ``explanation``; hide on None (a line ran)."""
        if explanation is None and self._running_fix:
            return  # the fix's own outcome decides, in _run_fix
        self.explanation = explanation
        if explanation is None:
            self.hide()
            return
        self.code_line.setText(explanation.code)
        self.error_line.setText(explanation.error)
        self.diagram.set_explanation(explanation)
        self.explanation_line.setText(plain_explanation(explanation))
        self.reshape_code.setText(explanation.reshape_code)
        self.contiguous_code.setText(explanation.contiguous_code)
        self.fix_error.hide()
        self.show()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_colours()
        super().changeEvent(event)

    def _run_fix(self, code: str) -> None:
        self._running_fix = True
        try:
            self.session.run(code)
        except CodeError as error:
            self.fix_error.setText(str(error))
            self.fix_error.show()
            return
        finally:
            self._running_fix = False
        self.explain(None)

    def paintEvent(self, event: QPaintEvent) -> None:
        """A rounded frame in the error colour: this panel is about an error."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(error_color(self.palette()), 2))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 8, 8)
        painter.end()

    def _apply_colours(self) -> None:
        """The errors in the theme's error colour, the fixes' code muted."""
        for label in (self.error_line, self.fix_error):
            set_text_color(label, error_color(self.palette()))
        for label in (self.reshape_code, self.contiguous_code):
            set_text_color(label, muted_color(self.palette()))


def _selectable(label: QLabel, font: QFont) -> QLabel:
    """``label`` wrapped, selectable and copyable, in ``font``."""
    label.setFont(font)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
