"""The one model the widgets observe: the session's tensors, its history, what is shown, hover.

Every action is a line of code run against ``core`` (the builder and the operation form
write lines too), so the history is a script that also runs in PyTorch, and undo is a
replay of the lines before: exact even after in-place writes and random fills.
Widgets change state only through the methods here and redraw on its signals. The
backward stepping the graph panel drives, and how a pass meets the history, are in
:mod:`app.backward_session`.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

import core
from app.backward_session import BackwardStepping
from app.code_text import describe_exception
from app.highlight import Highlight, logical_highlight, storage_highlight
from app.i18n import translate
from app.line_plan import LinePlan, assigned_names
from app.view_explanation import ViewExplanation, explain_view_failure

DEFAULT_MEMORY_LIMIT = 256 * 2**20
DEFAULT_SEED = 0


class CodeError(Exception):
    """A line failed: ``str(error)`` is one line, the exception class and its message.

    The session is as it was before the line. ``explanation`` says why a ``view`` failed.
    """

    def __init__(self, message: str, explanation: ViewExplanation | None = None) -> None:
        super().__init__(message)
        self.explanation = explanation


@dataclass(frozen=True, eq=False)
class Shown:
    """A tensor the views can show: a named one, or a step of a lineage such as ``x.t()``."""

    label: str
    tensor: core.Tensor
    name: str | None = None


class _RunLine(QUndoCommand):
    """One line of the history; undo replays the lines before it."""

    def __init__(self, session: Session, code: str) -> None:
        super().__init__(code)
        self.session = session
        self.code = code
        self._already_run = True  # Session.run ran it before pushing

    def redo(self) -> None:
        if self._already_run:
            self._already_run = False
            return
        self.session._run_again(self.code)

    def undo(self) -> None:
        # Replayed once the stack has moved: jumping back n lines replays once, not n times.
        self.session._replay_pending = True


class Session(QObject, BackwardStepping):
    """The session's tensors, code history, the tensor shown, the hover highlight, and the
    backward pass being stepped through."""

    tensors_changed = Signal()
    """Tensors were made, removed or written (an in-place write changes every view)."""
    current_changed = Signal()
    """Another tensor is shown (``current``)."""
    highlight_changed = Signal()
    """The hover highlight changed (``highlight``)."""
    view_failed = Signal(object)
    """A ``view`` failed: a :class:`ViewExplanation`; None once a line runs."""
    graph_changed = Signal()
    """The graph to step through was rebuilt (``graph``: lines ran, or another root)."""
    stepped = Signal()
    """The backward pass moved, ended, failed or was reset (``backward_pass``)."""

    def __init__(
        self,
        memory_limit: int | None = DEFAULT_MEMORY_LIMIT,
        seed: int = DEFAULT_SEED,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.memory_limit = memory_limit
        self.seed = seed
        self.undo_stack = QUndoStack(self)
        self._replay_pending = False
        self.undo_stack.indexChanged.connect(self._catch_up)
        self.current: Shown | None = None
        self.highlight: Highlight | None = None
        self.pinned = False
        """True while a clicked element keeps its highlight (hovering then changes nothing)."""
        self._lineages: dict[str, list[Shown]] = {}
        self._lineage_anchor: str | None = None
        self._namespace = self._fresh_namespace()
        self._init_backward()

    # -- reading -------------------------------------------------------------------

    @property
    def history(self) -> list[str]:
        """The lines that made the present state, oldest first (undone lines excluded)."""
        stack = self.undo_stack
        return [stack.command(i).code for i in range(stack.index())]

    def tensors(self) -> dict[str, core.Tensor]:
        """Every named tensor, in the order the names were first assigned."""
        return {
            name: value
            for name, value in self._namespace.items()
            if isinstance(value, core.Tensor) and not name.startswith("_")
        }

    def family(self) -> list[Shown]:
        """Every named tensor over the current tensor's storage, in creation order.

        The current tensor is included (last, when it has no name of its own, so that
        the named ones keep their colours while a lineage step is shown).
        """
        if self.current is None:
            return []
        storage = self.current.tensor.untyped_storage()
        members = [
            Shown(name, tensor, name)
            for name, tensor in self.tensors().items()
            if tensor.untyped_storage() is storage
        ]
        if self.current.name is None:
            members.append(self.current)
        return members

    def lineage(self) -> list[Shown]:
        """How the last selected named tensor was made: ``x → x.t() → x.t()[1:]``."""
        if self._lineage_anchor is None:
            return []
        return self._lineages.get(self._lineage_anchor, [])

    def evaluate(self, expression: str) -> object:
        """The value of ``expression`` in a copy of the session's names (``y.stride()``).

        The expression joins no history and binds no name; a method that writes a tensor
        in place still writes it, as in the console.

        Raises
        ------
        CodeError
            When the expression does not compile or raises (one line).
        """
        try:
            with core.memory.allocation_limit(self.memory_limit):
                return eval(expression.strip(), dict(self._namespace))
        # Any exception, SystemExit too, as for a line: a lesson's answer must not close the app.
        except BaseException as error:
            raise CodeError(describe_exception(error)) from error

    # -- acting --------------------------------------------------------------------

    def run(self, code: str) -> None:
        """Run ``code`` as the next action: it joins the history and can be undone.

        Raises
        ------
        CodeError
            When the code does not compile or raises; every tensor is as it was before.
            A failed ``view`` also emits :attr:`view_failed` with the explanation.
        """
        code = code.strip()
        if not code:
            raise CodeError(
                translate("Session", "Nothing to run: type a line such as  {code}").format(
                    code="y = x.t()"
                )
            )
        self._rewind_pass()
        try:
            self._apply(code)
        except CodeError as error:
            self.view_failed.emit(error.explanation)
            raise
        self.undo_stack.push(_RunLine(self, code))
        self._after_change(code)

    def select(self, name: str) -> None:
        """Show the named tensor.

        Raises
        ------
        KeyError
            When no tensor has that name.
        """
        tensor = self.tensors()[name]
        self._lineage_anchor = name
        self.show(Shown(name, tensor, name))

    def show(self, shown: Shown) -> None:
        """Show ``shown`` (a named tensor or a lineage step)."""
        self.current = shown
        self.pinned = False
        self._set_highlight(None)
        self.current_changed.emit()

    def hover_logical(self, index: tuple[int, ...] | None) -> None:
        """Light up the storage element that logical element ``index`` reads (None clears).

        While a clicked element is pinned, hovering changes nothing.
        """
        if not self.pinned:
            self._set_highlight(self._logical_highlight(index))

    def hover_storage(self, storage_index: int | None) -> None:
        """Light up every logical element that reads storage element ``storage_index``."""
        if not self.pinned:
            self._set_highlight(self._storage_highlight(storage_index))

    def click_logical(self, index: tuple[int, ...] | None) -> None:
        """Pin the highlight of logical element ``index``; clicking it again unpins it."""
        self._pin(self._logical_highlight(index))

    def click_storage(self, storage_index: int | None) -> None:
        """Pin the highlight of storage element ``storage_index``; clicking it again unpins it."""
        self._pin(self._storage_highlight(storage_index))

    # -- inside --------------------------------------------------------------------

    def _fresh_namespace(self) -> dict[str, object]:
        # Global engine state a line may change, reset so a replay repeats the session.
        core.manual_seed(self.seed)
        core.set_default_dtype(core.float32)
        core.set_grad_enabled(True)
        # `torch.` works too: a line copied from PyTorch runs here unchanged.
        # __builtins__ given here, or the first exec would add it (and change the namespace).
        return {"__builtins__": builtins, "core": core, "torch": core}

    def _apply(self, code: str, replaying: bool = False) -> None:
        """Run ``code`` once, under the memory limit, and record what it made.

        A failed line that changed anything (names, storage, the random state, grad
        mode) has the session rebuilt from its history before the error is raised.
        A replay runs lines that ran before: without the limit, and never rebuilding.
        """
        try:
            plan = LinePlan.parse(code)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
            raise CodeError(describe_exception(error)) from error
        before = dict(self._namespace)
        state = None if replaying else self._engine_state()
        try:
            with core.memory.allocation_limit(None if replaying else self.memory_limit):
                exec(plan.compiled, self._namespace)
        # Any exception, SystemExit too: `exit()` in a line must not close the app.
        except BaseException as error:
            message = describe_exception(error)
            if replaying:
                raise CodeError(
                    translate("Session", "replaying {code} failed: {message}").format(
                        code=repr(code), message=message
                    )
                ) from error
            captured = plan.take_captures(self._namespace)
            explanation = explain_view_failure(plan, captured, message)
            if self._engine_state() != state:
                self._replay(self.history)
            raise CodeError(message, explanation) from error
        captured = plan.take_captures(self._namespace)
        self._keep_binding_order(before)
        self._record_lineages(plan, captured)

    def _engine_state(self) -> tuple:
        """What a line can change, by identity and version: equal before and after a failed
        line means it changed nothing, and the session needs no rebuilding."""
        tensors = self.tensors().values()
        return (
            [(name, id(value)) for name, value in self._namespace.items()],
            [(t.untyped_storage().version, t._requires_grad, id(t._grad)) for t in tensors],
            str(core.random.default_generator.bit_generator.bit_generator.state),
            core.get_default_dtype(),
            core.is_grad_enabled(),
        )

    def _keep_binding_order(self, before: dict[str, object]) -> None:
        """Move each name the line rebound to the end, so the order is of the latest binding."""
        for name, value in list(self._namespace.items()):
            if name in before and before[name] is not value:
                del self._namespace[name]
                self._namespace[name] = value

    def _record_lineages(self, plan: LinePlan, captured: dict[str, object]) -> None:
        """Lineages of the names the line assigned from a chain; stale ones dropped."""
        for chain in plan.chains:
            steps: list[Shown] = []
            root_temp, root_name = chain.steps[0]
            root = captured.get(root_temp)
            # A chain on a tensor the session names; not one on `core` (a factory call).
            if isinstance(root, core.Tensor):
                known = self._lineages.get(root_name, [])
                if known and known[-1].tensor is root:
                    steps = list(known)
                else:
                    steps = [Shown(root_name, root, root_name)]
                steps += [
                    Shown(label, captured[temp])
                    for temp, label in chain.steps[1:]
                    if isinstance(captured.get(temp), core.Tensor)
                ]
            for name in chain.names:
                value = self._namespace.get(name)
                if isinstance(value, core.Tensor):
                    self._lineages[name] = [*steps, Shown(chain.label, value, name)]
        for name, lineage in list(self._lineages.items()):
            if self._namespace.get(name) is not lineage[-1].tensor:
                del self._lineages[name]  # rebound some other way (a loop, a tuple target)

    def _catch_up(self) -> None:
        """After undo moved the stack (one step or many): rebuild the state once."""
        if self._replay_pending:
            self._replay_pending = False
            self._replay(self.history)

    def _replay(self, lines: list[str]) -> None:
        """Rebuild the state from nothing by running ``lines``, then tell the widgets."""
        self._namespace = self._fresh_namespace()
        self._lineages = {}
        for line in lines:
            self._apply(line, replaying=True)
        self._after_change(None)

    def _run_again(self, code: str) -> None:
        self._rewind_pass()
        self._apply(code)
        self._after_change(code)

    def _after_change(self, code: str | None) -> None:
        """Tell the widgets that a line ran (or the state was rebuilt: ``code`` None), and
        pick what to show: the last name ``code`` assigned, else what was shown."""
        self.view_failed.emit(None)
        tensors = self.tensors()
        assigned = assigned_names(code) if code else []
        newest = next((name for name in reversed(assigned) if name in tensors), None)
        self.tensors_changed.emit()
        if newest is not None:
            self.select(newest)
        elif self.current is not None and self.current.name in tensors:
            self.select(self.current.name)
        elif self.current is not None and self.current.name is None and code is not None:
            self.show(self.current)  # a lineage step: its values may have been written
        elif tensors:
            self.select(next(reversed(tensors)))
        else:
            self.current = None
            self.pinned = False
            self._lineage_anchor = None
            self._set_highlight(None)
            self.current_changed.emit()
        self._refresh_graph()

    def _logical_highlight(self, index: tuple[int, ...] | None) -> Highlight | None:
        if index is None or self.current is None:
            return None
        return logical_highlight(self.current.tensor, index)

    def _storage_highlight(self, storage_index: int | None) -> Highlight | None:
        if storage_index is None or self.current is None:
            return None
        return storage_highlight(self.current.tensor, storage_index)

    def _pin(self, highlight: Highlight | None) -> None:
        """Pin ``highlight``; the same element clicked again (or a click on nothing) unpins."""
        same = (
            self.pinned
            and highlight is not None
            and self.highlight is not None
            and highlight.lights_the_same(self.highlight)
        )
        self.pinned = highlight is not None and not same
        self._set_highlight(highlight if self.pinned else None)

    def _set_highlight(self, highlight: Highlight | None) -> None:
        if highlight is None and self.highlight is None:
            return
        self.highlight = highlight
        self.highlight_changed.emit()
