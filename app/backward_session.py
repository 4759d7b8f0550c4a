"""The session's backward stepping: pick a root, step a pass, and how a pass meets the history.

:class:`~app.session.Session` mixes :class:`BackwardStepping` in; it lives apart only to keep
each file readable. No Qt here: the signals it emits (``graph_changed``, ``stepped``) are
the session's.

How a pass meets the history (undo is a replay of the history's lines):

- Stepping is a preview outside the history. While a pass is partway, ``.grad`` shows the
  step; the history still says "before the pass".
- When the pass reaches its end it joins the history as the line ``loss.backward()`` (with
  ``retain_graph=True`` when ticked): ``.grad`` is rewound and the line runs for real, so
  the graph is freed exactly as PyTorch frees it, and undo, redo and Copy as PyTorch see
  one ordinary line. The panel keeps showing the pass at its end while that line is the
  last one.
- A pass that fails is rewound at once, as a failed line is: the panel shows the error at
  its node and the session is as the history says.
- Any other change (a line, undo, redo) first rewinds a partway pass. Where a rewind
  cannot be exact (a step added to a ``.grad`` that was there: rewinding puts back its
  values but not the tensor object), the session is rebuilt from its history instead.
- Step back or Reset from the end takes the line out of the history again (undo); Step at
  the end starts the next pass: a second ``backward()`` call, accumulating into ``.grad``.
"""

from __future__ import annotations

import re

import numpy as np

import core
from app.autograd_graph import AutogradGraph, NodeId
from app.backward_pass import BackwardPass, PassError
from app.code_text import statements
from app.highlight import Highlight
from app.i18n import QT_TRANSLATE_NOOP, translate

NO_GRAPH = QT_TRANSLATE_NOOP(
    "BackwardStepping",
    "No tensor requires grad yet: make one with requires_grad=True, or pick a template.",
)
"""What the graph panel says with no graph to show: ``translate("BackwardStepping", NO_GRAPH)``."""
SAVED_ELEMENTS_LISTED = 100_000
"""A saved tensor's highlight lights at most this many elements (the first ones)."""


def saved_highlight(tensor: core.Tensor, description: str) -> Highlight:
    """Every element of a saved ``tensor`` and the storage elements they read, lit together."""
    count = min(tensor.numel(), SAVED_ELEMENTS_LISTED)
    if tensor.dim() == 0:
        logical = np.zeros((count, 0), dtype=np.int64)
    else:
        logical = np.stack(np.unravel_index(np.arange(count), tuple(tensor.shape)), axis=1)
    # Only the listed elements' storage indices: offset + index · strides, never all of them.
    strides = np.asarray(tensor.stride(), dtype=np.int64)
    storage = np.unique(tensor.storage_offset() + logical.astype(np.int64) @ strides)
    return Highlight("storage", logical.astype(np.int64), storage, description, None, count)


class BackwardStepping:
    """Session methods for the graph panel: the graph to step through, and the pass."""

    def _init_backward(self) -> None:
        self.retain_graph = False
        """Whether the line a finished pass adds says ``retain_graph=True``."""
        self.graph: AutogradGraph | None = None
        """The graph behind the chosen root, None when no tensor requires grad."""
        self.backward_pass: BackwardPass | None = None
        """The pass over ``graph``, at the step shown."""
        self._chosen_root: str | None = None
        self._keeping_pass = False  # while the pass itself runs or replays lines

    # -- reading -------------------------------------------------------------------

    def backward_roots(self) -> list[str]:
        """The named tensors backward can start from: those that require grad."""
        return [name for name, tensor in self.tensors().items() if tensor.requires_grad]

    def backward_line(self) -> str | None:
        """The line a finished pass adds to the history: ``loss.backward()``."""
        if self.graph is None:
            return None
        argument = "retain_graph=True" if self.retain_graph else ""
        return f"{self.graph.root_name}.backward({argument})"

    def backward_calls(self) -> int:
        """How many ``backward`` calls on the root the history holds."""
        if self.graph is None:
            return 0
        call = re.compile(rf"{re.escape(self.graph.root_name)}\.backward\(")
        return sum(1 for line in self.history if call.match(line))

    # -- choosing ------------------------------------------------------------------

    def choose_backward_root(self, name: str | None) -> None:
        """Step through the graph behind ``name``; None picks the default: the last named
        scalar that requires grad (else the last tensor that does)."""
        self._chosen_root = name
        self._rewind_pass()
        self._refresh_graph()

    def set_retain_graph(self, retain: bool) -> None:
        """Whether a finished pass keeps the graph (``backward(retain_graph=True)``)."""
        self.retain_graph = retain

    def insert_template(self, code: str) -> None:
        """Run ``code`` one statement a line, then step through its last scalar's graph.

        Raises
        ------
        CodeError
            From the first statement that fails; the ones before it stay done.
        """
        self._chosen_root = None
        for statement in statements(code):
            self.run(statement)

    def set_retain_grad(self, name: str, retain: bool) -> None:
        """Run ``name.retain_grad()``, or take that line back when it is the last one.

        Raises
        ------
        CodeError
            When the line fails, or when asked to stop retaining with the line buried in
            the history (PyTorch has no call that undoes ``retain_grad()``).
        """
        from app.session import CodeError  # the session module imports this one

        line = f"{name}.retain_grad()"
        if retain == self.tensors()[name].retains_grad:
            return
        if retain:
            self.run(line)
        elif self.history and self.history[-1] == line:
            self.undo_stack.undo()
        else:
            raise CodeError(
                translate(
                    "BackwardStepping",
                    "PyTorch has no call that stops {name} retaining its grad: undo the line "
                    "{line} to take it back.",
                ).format(name=name, line=line)
            )

    # -- stepping ------------------------------------------------------------------

    def step(self) -> None:
        """Run the next node of the pass; at the end, start another pass (backward again)."""
        backward_pass = self.backward_pass
        if backward_pass is None:
            return
        if backward_pass.finished:
            backward_pass = self.backward_pass = self._new_pass()
        backward_pass.memory_limit = self.memory_limit
        backward_pass.step()
        self._after_stepping()

    def run_to_end(self) -> None:
        """Run the rest of the pass, up to its end or the node that fails."""
        backward_pass = self.backward_pass
        if backward_pass is None or backward_pass.finished or backward_pass.error is not None:
            return
        backward_pass.memory_limit = self.memory_limit
        backward_pass.run_to_end()
        self._after_stepping()

    def step_back(self) -> None:
        """Show the step before: a replay of the pass to it."""
        if self.backward_pass is not None and self.backward_pass.shown_step > 0:
            self._show_step(self.backward_pass.shown_step - 1)

    def reset_backward(self) -> None:
        """Back to before the pass: ``.grad`` as it was, the line taken back if it was added."""
        if self.backward_pass is not None and self.backward_pass.started:
            self._show_step(0)

    # -- linking to the memory views ----------------------------------------------------

    def show_graph_tensor(self, node_id: NodeId) -> str | None:
        """Show tensor node ``node_id`` in the memory views; else return why it cannot be."""
        node = self.graph.nodes[node_id]
        tensor, name = self.graph.live_tensor(node_id, self.tensors())
        if name is not None:
            self.select(name)
            return None
        if tensor is None:
            return translate(
                "BackwardStepping",
                "That {shape} tensor is gone: no name holds it and autograd did not save it for "
                "backward. Name it in a line (h = ...) to keep it.",
            ).format(shape=node.shape_text)
        producer = self.graph.nodes[node.producer].name
        if node.is_leaf:
            label = translate("BackwardStepping", "leaf {shape}").format(shape=node.shape_text)
        else:
            label = translate("BackwardStepping", "output of {node}").format(node=producer)
        from app.session import Shown  # the session module imports this one

        self.show(Shown(label, tensor))
        return None

    def show_saved_tensor(self, node_id: NodeId, index: int = 0) -> str | None:
        """Show what grad_fn node ``node_id`` saved for backward (its ``index``-th tensor),
        every element lit in the memory views; else return why it cannot be."""
        node = self.graph.nodes[node_id]
        saved = self.graph.saved_tensors(node_id)
        if not saved:
            return translate(
                "BackwardStepping", "{node} saved no tensor for backward: it keeps nothing alive."
            ).format(node=node.name)
        item = saved[index]
        if item.tensor is None:
            # The problem is PyTorch's own error text: it stays as PyTorch wrote it.
            return translate("BackwardStepping", "{node} saved {key}, but: {problem}").format(
                node=node.name, key=item.key, problem=item.problem
            )
        name = next((n for n, t in self.tensors().items() if t is item.tensor), None)
        from app.session import Shown  # the session module imports this one

        if name is not None:
            self.select(name)
        else:
            self.show(Shown(f"{node.name}._saved_{item.key}", item.tensor))
        description = translate(
            "BackwardStepping", "{node} saved {key} for backward: autograd keeps it alive"
        ).format(node=node.name, key=item.key)
        self._pin(saved_highlight(item.tensor, description))
        return None

    # -- inside --------------------------------------------------------------------

    def _new_pass(self) -> BackwardPass:
        return BackwardPass(self.graph, self.tensors()[self.graph.root_name], self.memory_limit)

    def _show_step(self, step: int) -> None:
        backward_pass = self.backward_pass
        if backward_pass.committed is not None:
            if self._last_command() is backward_pass.committed:
                self.undo_stack.undo()  # replays the history without the line; a new pass follows
            backward_pass = self.backward_pass
            if backward_pass is None:
                return
        backward_pass.memory_limit = self.memory_limit
        if backward_pass.started and not backward_pass.rewind():
            # A step added into a .grad in place: a name for that .grad (g = x.grad) would
            # keep the sum. Rebuild, so that the replay below adds into the history's .grad.
            self._rebuild_keeping_pass()
        backward_pass.back_to(step)
        self._after_stepping()

    def _after_stepping(self) -> None:
        """A failed pass is rewound; a finished one joins the history; then tell the panel."""
        backward_pass = self.backward_pass
        if backward_pass.error is not None or not backward_pass.started:
            if not backward_pass.rewind():
                self._rebuild_keeping_pass()
        elif backward_pass.finished and backward_pass.committed is None:
            self._commit(backward_pass)
        self.stepped.emit()

    def _commit(self, backward_pass: BackwardPass) -> None:
        """Rewind the finished pass and run it for real as a history line."""
        from app.session import CodeError  # the session module imports this one

        line = self.backward_line()
        exact = backward_pass.rewind()
        self._keeping_pass = True
        try:
            if not exact:
                self._replay(self.history)
            self.run(line)
        except CodeError as error:  # it just ran as steps, so only a limit can stop it
            failed = translate("BackwardStepping", "{line} failed: {error}")
            backward_pass.error = PassError(failed.format(line=line, error=error), None, {})
        else:
            backward_pass.committed = self._last_command()
        finally:
            self._keeping_pass = False

    def _rebuild_keeping_pass(self) -> None:
        self._keeping_pass = True
        try:
            self._replay(self.history)
        finally:
            self._keeping_pass = False

    def _rewind_pass(self) -> None:
        """Before the history changes: put ``.grad`` back as the history says."""
        backward_pass = self.backward_pass
        if self._keeping_pass or backward_pass is None or backward_pass.committed is not None:
            return
        if backward_pass.started and not backward_pass.rewind():
            self._replay(self.history)

    def _refresh_graph(self) -> None:
        """After lines ran or the state was rebuilt: the root's graph, and a pass over it."""
        previous = self.backward_pass
        self.graph = self.backward_pass = None
        name = self._pick_root()
        if name is not None:
            root = self.tensors()[name]
            self.graph = AutogradGraph(name, root, self.tensors())
            if previous is not None and self._keeps(previous):
                previous.rebind(self.graph, root)
                self.backward_pass = previous
            else:
                self.backward_pass = BackwardPass(self.graph, root, self.memory_limit)
        self.graph_changed.emit()
        self.stepped.emit()

    def _keeps(self, previous: BackwardPass) -> bool:
        """Whether the pass shown goes on over the new graph: the same graph, and either the
        pass itself changed the session or the line it added is still the last one."""
        if previous.graph.root_name != self.graph.root_name:
            return False
        if previous.graph.topology != self.graph.topology:
            return False
        last = self._last_command()
        return self._keeping_pass or (previous.committed is not None and last is previous.committed)

    def _last_command(self) -> object | None:
        """The history's last line as its undo command (None for an empty history)."""
        stack = self.undo_stack
        return stack.command(stack.index() - 1) if stack.index() else None

    def _pick_root(self) -> str | None:
        tensors = self.tensors()
        candidates = [name for name, tensor in tensors.items() if tensor.requires_grad]
        if self._chosen_root in candidates:
            return self._chosen_root
        scalars = [name for name in candidates if tensors[name].numel() == 1]
        return (scalars or candidates or [None])[-1]
