"""How far a lesson has run in a session: the lesson player's model, with no widgets.

Each step that ran keeps its outcome (its expected answer among it) or why it failed, and
where the history stood after it. A step whose lines undo took out of the history counts
as not run, so going on runs it again; redo brings it back.
"""

from __future__ import annotations

from dataclasses import replace

import core
from app.lesson_run import LessonStepError, StepOutcome, run_step, show_graph
from app.lessons import Lesson, Step
from app.session import CodeError


class LessonProgress:
    """The steps of ``lesson`` that ran in ``session``, and what each gave."""

    def __init__(self, session, lesson: Lesson) -> None:
        self.session = session
        self.lesson = lesson
        self.outcomes: dict[int, StepOutcome] = {}
        """What each step that ran gave, by step number (from 1)."""
        self.failures: dict[int, str] = {}
        """Why each step whose code did not run as its file says failed, by step number."""
        self._ran_after: dict[int, tuple[int, object]] = {}
        self.running = False
        """True while a step's code or graph is being run (the history moves meanwhile)."""

    def copy(self) -> LessonProgress:
        """A progress of its own that starts where this one is."""
        other = LessonProgress(self.session, self.lesson)
        other.outcomes, other.failures = dict(self.outcomes), dict(self.failures)
        other._ran_after = dict(self._ran_after)
        return other

    def step(self, number: int) -> Step:
        """Step ``number`` (from 1)."""
        return self.lesson.steps[number - 1]

    def ran(self, number: int) -> bool:
        """Whether step ``number`` ran (or failed) and the history still holds what it left:
        undo that went back past its last line took it back; redo brings it back."""
        if number not in self.outcomes and number not in self.failures:
            return False
        length, command = self._ran_after.get(number, (0, None))
        stack = self.session.undo_stack
        return stack.index() >= length and (length == 0 or stack.command(length - 1) is command)

    def outcome(self, number: int) -> StepOutcome | None:
        """What step ``number`` gave, while the history holds it; else None."""
        return self.outcomes.get(number) if self.ran(number) else None

    def failure(self, number: int) -> str | None:
        """Why step ``number`` failed, while the history holds it; else None."""
        return self.failures.get(number) if self.ran(number) else None

    def run(self, number: int) -> bool:
        """Run step ``number``; keep its outcome, or why it failed. True when it ran."""
        self.running = True
        try:
            outcome = run_step(self.session, self.step(number))
        except (LessonStepError, CodeError) as error:
            self.outcomes.pop(number, None)
            self.failures[number] = str(error)
            return False
        else:
            if isinstance(outcome.expected, core.Tensor):
                # A copy: a line typed in the console may write the tensor in place.
                outcome = replace(outcome, expected=outcome.expected.detach().clone())
            self.failures.pop(number, None)
            self.outcomes[number] = outcome
            return True
        finally:
            self.running = False
            self._ran_after[number] = self._history_now()

    def run_up_to(self, last: int) -> int | None:
        """Run each of steps 1 to ``last`` that has not run, in order; the number of the
        first that fails (None when none does)."""
        for number in range(1, last + 1):
            if not self.ran(number) and not self.run(number):
                return number
        return None

    def show_graph_again(self, number: int) -> None:
        """Back at step ``number``, which ran: its backward pass stepped as far as it was,
        while nothing was typed since (else the graph shows what the session has)."""
        step = self.step(number)
        if step.backward is None and step.look.node is None:
            return
        if self._history_now() not in self._ran_after.values():
            return  # lines typed since the lesson left it: leave their graph alone
        self.running = True
        try:
            show_graph(self.session, step)
        except LessonStepError:
            pass  # the console took the graph elsewhere: it shows what the session has
        finally:
            self.running = False
            self._ran_after[number] = self._history_now()

    def _history_now(self) -> tuple[int, object]:
        stack = self.session.undo_stack
        return stack.index(), stack.command(stack.index() - 1) if stack.index() else None
