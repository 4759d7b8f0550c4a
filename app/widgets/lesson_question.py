"""A lesson step's question: the ask, an answer field with Check, feedback, Show answer.

Also the rich-text pieces the lesson player shares with it: a selectable word-wrapped label
and the style of a `code` span, both following the theme.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.i18n import current_language, translate
from app.lesson_answers import AnswerCheck, Verdict, check_answer
from app.lesson_text import lesson_html
from app.lessons import Question
from app.startup import ThemeName
from app.theme import current_theme, error_color, mix, monospace_font, set_text_color

SUCCESS_COLORS: dict[ThemeName, str] = {"light": "#2e7d32", "dark": "#7bd88f"}
"""A right answer's green: dark enough on white, light enough on the dark window."""


def success_color(palette: QPalette) -> QColor:
    """The success colour of the theme ``palette`` looks like."""
    return QColor(SUCCESS_COLORS[current_theme(palette)])


def code_span_style(widget: QWidget) -> str:
    """Inline CSS for a `code` span in ``widget``: monospace on a faint background."""
    palette = widget.palette()
    family = monospace_font(widget.font()).family()
    # Most of the way to the field colour: visibly code, still quiet beside the prose.
    background = mix(
        palette.color(QPalette.ColorRole.Window), palette.color(QPalette.ColorRole.Base), 0.7
    )
    return f"font-family: '{family}'; background-color: {background.name()};"


def rich_label(scale: float = 1.0) -> QLabel:
    """A word-wrapped, selectable rich-text label, its font ``scale`` times the default."""
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    # Wraps to the width it is given instead of widening the dock to fit its longest line.
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    if scale != 1.0:
        font = label.font()
        font.setPointSizeF(font.pointSizeF() * scale)
        label.setFont(font)
    return label


class LessonQuestion(QWidget):
    """The question of one step; hidden for a step without one.

    Enter in the answer field or Check asks for a check (``check_requested``); the player
    answers with :meth:`check`, giving the expected value the step's code gave. A right
    answer shows the explanation in green; a wrong one the hint in red and Show answer,
    which shows the expected answer and the explanation.

    Signals
    -------
    check_requested(str)
        The student asked to check what the answer field holds.
    """

    check_requested = Signal(str)

    def __init__(self, scale: float = 1.0, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question: Question | None = None
        self.verdict: Verdict | None = None
        """How the last check went (None: not checked since the step was shown)."""
        self.heading = QLabel(translate("LessonPlayer", "Question"))
        heading_font = self.heading.font()
        heading_font.setBold(True)
        heading_font.setPointSizeF(heading_font.pointSizeF() * scale)
        self.heading.setFont(heading_font)
        self.ask_label = rich_label(scale)
        self.answer_field = QLineEdit()
        self.answer_field.setFont(monospace_font(self.ask_label.font()))
        self.answer_field.setPlaceholderText(translate("LessonPlayer", "Your answer, then Enter"))
        self.answer_field.setClearButtonEnabled(True)
        self.check_button = QPushButton(translate("LessonPlayer", "Check"))
        self.feedback_label = rich_label(scale)
        self.show_answer_button = QPushButton(translate("LessonPlayer", "Show answer"))
        self.answer_label = rich_label(scale)

        answer_row = QHBoxLayout()
        answer_row.addWidget(self.answer_field, 1)
        answer_row.addWidget(self.check_button)
        show_row = QHBoxLayout()
        show_row.addWidget(self.show_answer_button)
        show_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.heading)
        layout.addWidget(self.ask_label)
        layout.addLayout(answer_row)
        layout.addWidget(self.feedback_label)
        layout.addLayout(show_row)
        layout.addWidget(self.answer_label)

        self.answer_field.returnPressed.connect(self._ask_for_check)
        self.check_button.clicked.connect(self._ask_for_check)
        self.show_answer_button.clicked.connect(self.show_answer)
        self.set_question(None)

    def set_question(self, question: Question | None) -> None:
        """Ask ``question`` afresh: empty field, no feedback (None hides the widget)."""
        self.question = question
        self.verdict = None
        self.answer_field.clear()
        self.feedback_label.clear()
        self.feedback_label.hide()
        self.show_answer_button.hide()
        self.answer_label.clear()
        self.answer_label.hide()
        self.setVisible(question is not None)
        self._write_ask()

    def check(self, text: str, expected: object, known: bool = True) -> AnswerCheck | None:
        """Check ``text`` against ``expected`` and show how it did; returns the check.

        ``known`` False: the step's code did not run, so there is no expected value; say
        so and check nothing (returns None).
        """
        if self.question is None:
            return None
        if self.answer_field.text() != text:
            self.answer_field.setText(text)
        if not known:
            self.verdict = None
            self._show_feedback(
                html.escape(
                    translate(
                        "LessonPlayer",
                        "This step's code did not run, so there is nothing to check against: "
                        "press Run again first.",
                    )
                )
            )
            return None
        result = check_answer(text, expected)
        self.verdict = result.verdict
        language = current_language()
        message = f"<b>{html.escape(result.message)}</b>"
        if result.verdict is Verdict.RIGHT:
            self._show_feedback(message + self._rich(self.question.explain(language)))
            self.show_answer_button.hide()
            self.answer_label.hide()
        elif result.verdict is Verdict.WRONG:
            hint = translate("LessonPlayer", "Hint: {hint}").format(
                hint=self.question.hint(language)
            )
            self._show_feedback(message + self._rich(hint))
            self.show_answer_button.show()
        else:
            self._show_feedback(html.escape(result.message))
        return result

    def show_answer(self) -> None:
        """Show the expected answer, as a student would type it, and the explanation."""
        if self.question is None:
            return
        answer = translate("LessonPlayer", "Answer: {answer}").format(
            answer=f"`{self.question.expect}`"
        )
        text = self._rich(answer) + self._rich(self.question.explain(current_language()))
        self.answer_label.setText(text)
        self.answer_label.show()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._write_ask()  # the code spans' background follows the theme
            self._apply_colours()
        super().changeEvent(event)

    def _ask_for_check(self) -> None:
        self.check_requested.emit(self.answer_field.text())

    def _rich(self, text: str) -> str:
        return lesson_html(text, code_span_style(self))

    def _write_ask(self) -> None:
        if self.question is not None:
            self.ask_label.setText(self._rich(self.question.ask(current_language())))

    def _show_feedback(self, text: str) -> None:
        self.feedback_label.setText(text)
        self.feedback_label.show()
        self._apply_colours()

    def _apply_colours(self) -> None:
        if self.verdict is Verdict.RIGHT:
            colour = success_color(self.palette())
        elif self.verdict is Verdict.WRONG:
            colour = error_color(self.palette())
        else:
            colour = None  # unreadable: what to type, in the text colour
        set_text_color(self.feedback_label, colour)
