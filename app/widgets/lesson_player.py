"""The lesson player: one lesson's steps, run in the session, each with its question.

The player walks a :class:`~app.lessons.Lesson`: the step's text and code, "Step k of n",
and the question with an answer field. Entering a step for the first time runs its code
through :func:`app.lesson_run.run_step` (steps before it that never ran run first, in
order, so a lesson opens at any step); going back runs nothing, but shows the step as it
looked: its tensor, its backward pass stepped as far, its failed view explained. The
expected answer is the one computed when the step's code ran, so a student trying things in
the console between steps does not move it. A step whose lines undo (Ctrl+Z) took out of
the history counts as not run: going on runs it again. The main window brings the step's
panel forward on :attr:`LessonPlayer.look_requested`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import shiboken6
from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QPalette, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.code_text import statements
from app.i18n import current_language, translate
from app.lesson_answers import AnswerCheck
from app.lesson_progress import LessonProgress
from app.lesson_run import StepOutcome
from app.lesson_text import code_html, lesson_html
from app.lessons import (
    LESSON_FOLDER,
    BackwardSteps,
    Lesson,
    LessonError,
    Look,
    Step,
    load_lesson,
    read_lessons,
)
from app.line_plan import assigned_names
from app.session import Session
from app.theme import error_color, monospace_font, set_text_color
from app.widgets.inline_error import InlineError
from app.widgets.lesson_question import LessonQuestion, code_span_style, rich_label

MINIMUM_WIDTH = 300
"""The player's narrowest: its text still reads as prose, and the window keeps its default
width with the build form, the backward graph and the player side by side."""
TEXT_SCALE = 1.1
"""The step's text a little larger than the panels' labels: it is read, not scanned."""
TITLE_SCALE = 1.3
CODE_HANGING_INDENT = 24
"""Pixels a wrapped line of code continues to the right of where it began."""


@dataclass(frozen=True)
class LookRequest:
    """What a shown step asks the window to bring forward (``look_requested``'s value)."""

    look: Look
    backward: BackwardSteps | None
    explanation: object | None = None
    """The step's failed ``view`` explained (a ViewExplanation), to show again; else None."""


def lesson_label(lesson: Lesson) -> str:
    """``"1. Storage and strides"``: the lesson's number and title in the current language."""
    return translate("LessonPlayer", "{number}. {title}").format(
        number=lesson.number, title=lesson.title(current_language())
    )


class LessonPlayer(QWidget):
    """A lesson step by step: picker, progress, text, code, question, Previous and Next.

    PageUp and PageDown (what presentation clickers send) go back and on wherever the
    focus is in the player's window, while the player is on screen.

    Signals
    -------
    look_requested(LookRequest)
        A step ran, or was shown again: bring its panel forward (its ``look`` and
        ``backward``).
    lesson_opened(Lesson)
        A lesson was opened, from the picker or :meth:`open_lesson`.
    """

    look_requested = Signal(object)
    lesson_opened = Signal(object)

    def __init__(
        self,
        session: Session,
        parent: QWidget | None = None,
        lesson_folder: Path = LESSON_FOLDER,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.progress: LessonProgress | None = None
        """The lesson open and how far it ran; None while no lesson is open."""
        self.step_number = 0
        """The step shown, from 1; 0 while no lesson is open."""
        self._shown_ran = False
        self.lesson_folder = lesson_folder
        self.lessons, self.load_problems = read_lessons(lesson_folder)
        """The lessons of ``lesson_folder`` that can be used, and why each other file cannot."""

        self.lesson_box = QComboBox()
        self.lesson_box.setPlaceholderText(translate("LessonPlayer", "Choose a lesson…"))
        self.lesson_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.lesson_box.setMinimumContentsLength(16)
        self.load_error = InlineError()
        self._show_load_problems()
        self.title_label = rich_label(TITLE_SCALE)
        title_font = self.title_label.font()
        title_font.setBold(True)
        self.title_label.setFont(title_font)
        self.progress_label = QLabel()
        self.progress_bar = QProgressBar()
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setMaximumHeight(8)
        self.empty_hint = rich_label(TEXT_SCALE)
        self.empty_hint.setText(
            translate("LessonPlayer", "Choose a lesson above, or from the Lessons menu.")
        )
        self.text_label = rich_label(TEXT_SCALE)
        self.code_label = rich_label()
        self.code_label.setFont(monospace_font(self.code_label.font()))
        self.code_frame = QFrame()
        self.code_frame.setFrameShape(QFrame.Shape.StyledPanel)
        self.code_frame.setBackgroundRole(QPalette.ColorRole.Base)
        self.code_frame.setAutoFillBackground(True)
        self.run_again_button = QPushButton(translate("LessonPlayer", "Run again"))
        self.run_again_button.setToolTip(
            translate("LessonPlayer", "Run this step's code once more")
        )
        self.outcome_heading = QLabel(
            translate("LessonPlayer", "As expected, the last line fails:")
        )
        self.outcome_label = QLabel()
        self.outcome_label.setTextFormat(Qt.TextFormat.PlainText)
        self.outcome_label.setWordWrap(True)
        self.outcome_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.outcome_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.outcome_label.setFont(monospace_font(self.font()))
        self.error = InlineError()
        self.question = LessonQuestion(TEXT_SCALE)
        icon = self.style().standardIcon
        self.previous_button = QPushButton(
            icon(QStyle.StandardPixmap.SP_ArrowBack), translate("LessonPlayer", "Previous")
        )
        self.previous_button.setToolTip(translate("LessonPlayer", "The step before (Page Up)"))
        self.next_button = QPushButton(
            icon(QStyle.StandardPixmap.SP_ArrowForward), translate("LessonPlayer", "Next")
        )
        self.next_button.setToolTip(translate("LessonPlayer", "The next step (Page Down)"))
        self.next_button.setLayoutDirection(Qt.LayoutDirection.RightToLeft)  # arrow after
        self._lay_out()

        for shortcut_key, slot in (
            (Qt.Key.Key_PageDown, self.next_step),
            (Qt.Key.Key_PageUp, self.previous_step),
        ):
            shortcut = QShortcut(QKeySequence(shortcut_key), self, slot)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self.lesson_box.activated.connect(self._open_chosen)
        self.previous_button.clicked.connect(self.previous_step)
        self.next_button.clicked.connect(self.next_step)
        self.run_again_button.clicked.connect(self.run_again)
        self.question.check_requested.connect(self.check)
        self.question.show_answer_button.clicked.connect(
            lambda: self._scroll_to(self.question.answer_label)
        )
        self.session.undo_stack.indexChanged.connect(self._history_moved)
        self._fill_lesson_box()
        self._show()

    def _lay_out(self) -> None:
        code_layout = QVBoxLayout(self.code_frame)
        code_layout.setContentsMargins(10, 8, 10, 8)
        code_layout.addWidget(self.code_label)
        run_row = QHBoxLayout()
        run_row.addStretch(1)
        run_row.addWidget(self.run_again_button)

        page = QWidget()
        content = QVBoxLayout(page)
        content.setContentsMargins(12, 6, 12, 12)
        content.setSpacing(10)
        content.addWidget(self.empty_hint)
        content.addWidget(self.text_label)
        content.addWidget(self.code_frame)
        content.addLayout(run_row)
        content.addWidget(self.outcome_heading)
        content.addWidget(self.outcome_label)
        content.addWidget(self.error)
        content.addWidget(self.question)
        content.addStretch(1)
        scroll = QScrollArea()  # a long step scrolls; the buttons below stay put
        scroll.setWidget(page)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area = scroll

        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress_label)
        progress_row.addWidget(self.progress_bar, 1)
        header = QVBoxLayout()
        header.setContentsMargins(12, 10, 12, 0)
        header.setSpacing(8)
        header.addWidget(self.lesson_box)
        header.addWidget(self.load_error)
        header.addWidget(self.title_label)
        header.addLayout(progress_row)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(12, 6, 12, 10)
        buttons.addWidget(self.previous_button)
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(header)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)

    # -- moving through a lesson ---------------------------------------------------

    def open_lesson(self, lesson: Lesson, step: int = 1) -> None:
        """Start ``lesson`` afresh at ``step`` (from 1), running its steps up to there.

        Raises
        ------
        ValueError
            When the lesson has no step ``step``.
        """
        self._check_step_number(lesson, step)
        if all(known.path != lesson.path for known in self.lessons):
            self.lessons.append(lesson)  # a lesson from elsewhere (a teacher's own file)
            self._fill_lesson_box()
        self.progress = LessonProgress(self.session, lesson)
        self.step_number = 0
        self.lesson_box.setCurrentIndex(
            next(i for i, known in enumerate(self.lessons) if known.path == lesson.path)
        )
        self.lesson_opened.emit(lesson)
        self.go_to(step)

    def adopt(self, other: LessonPlayer) -> None:
        """Carry on where ``other`` (in a window this one replaces) is: the same lesson and
        step, with what its steps gave; nothing runs again. The answer typed is typed again,
        and checked again (its hint in this player's language) when it was checked."""
        self.lessons, self.load_problems = other.lessons, other.load_problems
        self._show_load_problems()
        self._fill_lesson_box()
        self.progress = None if other.progress is None else other.progress.copy()
        self.step_number = other.step_number
        if self.lesson is not None:
            self.lesson_box.setCurrentIndex(self.lessons.index(self.lesson))
        self._show()
        asked = other.question
        text = asked.answer_field.text()
        if asked.feedback_label.isVisibleTo(asked):
            self.check(text)
        else:
            self.question.answer_field.setText(text)
        if asked.answer_label.isVisibleTo(asked):
            self.question.show_answer()

    def go_to(self, step_number: int) -> None:
        """Show step ``step_number`` (from 1), first running each step up to it that never ran
        (or whose lines undo took back).

        A step whose code does not run as its file says stops the walk there: that step is
        shown, with why. A step that ran before is shown as it looked, its code not run.

        Raises
        ------
        ValueError
            When no lesson is open or it has no such step.
        """
        if self.lesson is None:
            raise ValueError("no lesson is open")
        self._check_step_number(self.lesson, step_number)
        shown_before = self.progress.outcome(step_number) is not None
        failed = self.progress.run_up_to(step_number)
        self.step_number = step_number if failed is None else failed
        if shown_before and failed is None:
            self._show_again(step_number)
        self._show()
        self._request_look()

    def next_step(self) -> None:
        """Go on to the next step, running it the first time (nothing at the last step)."""
        if self.lesson is not None and self.step_number < len(self.lesson.steps):
            had_focus = self._has_focus()
            self.go_to(self.step_number + 1)
            self._keep_focus(had_focus, forward=True)

    def previous_step(self) -> None:
        """Go back a step; nothing runs (nothing at the first step)."""
        if self.lesson is not None and self.step_number > 1:
            had_focus = self._has_focus()
            self.go_to(self.step_number - 1)
            self._keep_focus(had_focus, forward=False)

    def run_again(self) -> None:
        """Run the shown step's code once more (and work out its answer again), after the
        steps before it that undo took back; one of those that fails is shown instead."""
        if self.lesson is None:
            return
        failed = self.progress.run_up_to(self.step_number - 1)
        if failed is None:
            self.progress.run(self.step_number)
        else:
            self.step_number = failed
        self._show()
        self._request_look()

    def choose_file(self) -> bool | None:
        """Ask for a lesson file and open it: whether it opened (None: none was chosen)."""
        name, _ = QFileDialog.getOpenFileName(
            self,
            translate("LessonPlayer", "Open a lesson"),
            str(self._own_folder()),
            translate("LessonPlayer", "Lessons (*.toml);;All files (*)"),
        )
        return self.open_file(Path(name)) if name else None

    def _show_load_problems(self) -> None:
        if self.load_problems:
            self.load_error.show_error(
                translate("LessonPlayer", "These lesson files could not be used:\n{errors}").format(
                    errors="\n".join(self.load_problems)
                )
            )
        else:
            self.load_error.clear_error()

    def _own_folder(self) -> Path:
        """Where to look for a teacher's lesson: that of the lesson open, unless shipped."""
        if self.lesson is not None and self.lesson.path.parent != self.lesson_folder:
            return self.lesson.path.parent
        return Path.home()

    def open_file(self, path: Path) -> bool:
        """Open the lesson file at ``path`` (a teacher's own, anywhere) at its first step.
        Returns whether it opened; if not, the player says why, above the lesson.
        """
        try:
            lesson = load_lesson(path)
        except LessonError as error:
            self.load_error.show_error(
                translate("LessonPlayer", "The lesson could not be read: {error}").format(
                    error=str(error)
                )
            )
            return False
        self._show_load_problems()
        self.open_lesson(lesson)
        return True

    def check(self, text: str) -> AnswerCheck | None:
        """Check ``text`` as the answer to the shown step's question and show how it did.

        The expected value is the one the step's code gave when it ran, whatever ran in
        the console since. Returns the check; None when the step has no question or its
        code did not run.
        """
        step = self.current_step()
        if step is None or step.question is None:
            return None
        outcome = self.progress.outcome(self.step_number)
        expected = None if outcome is None else outcome.expected
        result = self.question.check(text, expected, known=outcome is not None)
        show_answer = self.question.show_answer_button
        self._scroll_to(
            show_answer if show_answer.isVisibleTo(self) else self.question.feedback_label
        )
        return result

    @property
    def lesson(self) -> Lesson | None:
        """The lesson open (None while none is)."""
        return None if self.progress is None else self.progress.lesson

    @property
    def outcomes(self) -> dict[int, StepOutcome]:
        """What each step that ran gave (its expected answer among it), by step number."""
        return {} if self.progress is None else self.progress.outcomes

    @property
    def failures(self) -> dict[int, str]:
        """Why each step whose code did not run as its file says failed, by step number."""
        return {} if self.progress is None else self.progress.failures

    def current_step(self) -> Step | None:
        """The step shown (None while no lesson is open)."""
        if self.lesson is None or self.step_number == 0:
            return None
        return self.lesson.steps[self.step_number - 1]

    # -- inside --------------------------------------------------------------------

    def _history_moved(self) -> None:
        """Undo, redo or a line: show the step again if that took it back or brought it back."""
        # The stack clears itself as it is deleted, with the window.
        if not shiboken6.isValid(self.session.undo_stack):
            return
        if self.current_step() is None or self.progress.running:
            return
        if self.progress.ran(self.step_number) != self._shown_ran:
            self._show()

    def _show_again(self, number: int) -> None:
        """Back at step ``number``, which ran: show its tensor, and its graph as it was
        (while nothing was typed since); its code does not run again."""
        self.progress.show_graph_again(number)
        self._show_tensor_again(self.progress.step(number))

    def _has_focus(self) -> bool:
        focus = QApplication.focusWidget()
        return focus is not None and self.isAncestorOf(focus)

    def _keep_focus(self, had_focus: bool, forward: bool) -> None:
        """After Previous or Next: keep the keyboard in the player (a button that turned
        disabled at either end would hand it to some panel), on the answer field when going
        on to a question; a step that looks at the console has focused the console."""
        step = self.current_step()
        if not had_focus or step is None:
            return
        ran = self.progress.outcome(self.step_number) is not None
        if ran and step.look.panel == "console":
            return
        if forward and ran and step.question is not None:
            self.question.answer_field.setFocus()
            return
        focus = QApplication.focusWidget()
        if focus is not None and self.isAncestorOf(focus) and focus.isEnabled():
            return
        for button in (self.next_button, self.previous_button):
            if button.isEnabled():
                button.setFocus()
                return

    def _scroll_to(self, widget: QWidget) -> None:
        """Scroll the step so that ``widget`` (feedback just shown) is in sight, once the
        page has its new height."""
        QTimer.singleShot(0, self, lambda: self.scroll_area.ensureWidgetVisible(widget, 0, 12))

    def _show_tensor_again(self, step: Step) -> None:
        """Back at a step that ran: show its tensor again, its element lit; nothing runs.

        The tensor is the look's, else the last one the step's code assigned; where the
        console has since removed or reshaped it, as much as still fits is shown.
        """
        look = step.look
        names = [look.tensor] if look.tensor else []
        for line in reversed(statements(step.code) if step.code else []):
            names += reversed(assigned_names(line))
        tensors = self.session.tensors()
        name = next((name for name in names if name in tensors), None)
        if name is None:
            return
        self.session.select(name)
        tensor = tensors[name]
        if look.cell is not None and len(look.cell) == tensor.dim():
            if all(index < size for index, size in zip(look.cell, tensor.shape, strict=True)):
                self.session.click_logical(look.cell)
        elif look.storage is not None and look.storage < tensor.untyped_storage().element_count:
            self.session.click_storage(look.storage)

    def _request_look(self) -> None:
        step = self.current_step()
        outcome = None if step is None else self.progress.outcome(self.step_number)
        if outcome is not None:
            self.look_requested.emit(LookRequest(step.look, step.backward, outcome.explanation))

    @staticmethod
    def _check_step_number(lesson: Lesson, number: int) -> None:
        if not 1 <= number <= len(lesson.steps):
            raise ValueError(
                f"lesson {lesson.name} has {len(lesson.steps)} steps: no step {number}"
            )

    def _fill_lesson_box(self) -> None:
        self.lesson_box.clear()
        for lesson in self.lessons:
            self.lesson_box.addItem(lesson_label(lesson))
            self.lesson_box.setItemData(
                self.lesson_box.count() - 1,
                lesson.summary(current_language()),
                Qt.ItemDataRole.ToolTipRole,
            )
        self.lesson_box.setCurrentIndex(-1)

    def _open_chosen(self, index: int) -> None:
        if 0 <= index < len(self.lessons):
            self.open_lesson(self.lessons[index])

    def _show(self) -> None:
        """Show the current step: its text, code, outcome and a fresh question."""
        step = self.current_step()
        lesson = self.lesson
        opened = step is not None
        for widget in (self.title_label, self.progress_label, self.progress_bar, self.text_label):
            widget.setVisible(opened)
        self.empty_hint.setVisible(not opened)
        self.previous_button.setEnabled(opened and self.step_number > 1)
        self.next_button.setEnabled(opened and self.step_number < len(lesson.steps))
        if step is None:
            for widget in (self.code_frame, self.run_again_button, self.outcome_heading):
                widget.hide()
            self.outcome_label.hide()
            self.error.clear_error()
            self.question.set_question(None)
            return
        language = current_language()
        count = len(lesson.steps)
        self.title_label.setText(html.escape(lesson.title(language)))
        self.progress_label.setText(
            translate("LessonPlayer", "Step {number} of {count}").format(
                number=self.step_number, count=count
            )
        )
        self.progress_bar.setRange(0, count)
        self.progress_bar.setValue(self.step_number)
        self._write_text()
        code = code_html(step.code.strip(), CODE_HANGING_INDENT)
        self.code_label.setText(code)
        has_code = bool(step.code.strip())
        ran = self._shown_ran = self.progress.ran(self.step_number)
        failure = self.progress.failure(self.step_number)
        outcome = self.progress.outcome(self.step_number)
        self.code_frame.setVisible(has_code)
        self.run_again_button.setVisible(has_code or not ran or failure is not None)
        failed_on_purpose = outcome is not None and outcome.error is not None
        self.outcome_heading.setVisible(failed_on_purpose)
        self.outcome_label.setVisible(failed_on_purpose)
        self.outcome_label.setText(outcome.error if failed_on_purpose else "")
        if not ran:
            self.error.show_error(
                translate(
                    "LessonPlayer",
                    "Undo took back what this step ran: press Run again to run it once more.",
                )
            )
        elif failure is None:
            self.error.clear_error()
        else:
            self.error.show_error(
                translate(
                    "LessonPlayer",
                    "This step's code did not run as the lesson says: {error}\n"
                    "If you changed its tensors in the console, undo those lines (Ctrl+Z) "
                    "and press Run again.",
                ).format(error=failure)
            )
        self.question.set_question(step.question)
        self.scroll_area.verticalScrollBar().setValue(0)
        self._apply_colours()

    def _write_text(self) -> None:
        step = self.current_step()
        if step is not None:
            text = lesson_html(step.text(current_language()), code_span_style(self))
            self.text_label.setText(text)

    def showEvent(self, event: QShowEvent) -> None:
        # Set on showing, not before: a main window that has not been shown yet counts the
        # minimum of a hidden tabbed dock, and could not open narrower than all docks.
        self.setMinimumWidth(MINIMUM_WIDTH)
        super().showEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._write_text()  # the code spans' background follows the theme
            self._apply_colours()
        super().changeEvent(event)

    def _apply_colours(self) -> None:
        set_text_color(self.outcome_label, error_color(self.palette()))
