"""One backward pass, stepped node by node, with what each step did in the graph's ids.

No Qt here. A pass drains ``core.autograd.backward_steps``, the stepper that
``Tensor.backward()`` drains too, one node per step, on the session's live tensors: ``.grad``
fills as it goes. Each step is kept as a :class:`StepRecord`. Stepping back replays:
``restore_grads`` rewinds ``.grad`` and a new stepper runs to the step before. The
stepper always retains the graph so that any step can be replayed; the session frees it
at the end, when it runs the pass for real as a ``backward()`` line.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import core
from app.autograd_graph import AutogradGraph, EdgeId, NodeId
from app.code_text import describe_exception
from core.autograd import (
    BackwardFinished,
    Event,
    GradAccumulated,
    GradientsSent,
    NodeEntered,
    backward_steps,
    restore_grads,
)


@dataclass(frozen=True)
class Accumulation:
    """A tensor's ``.grad`` changed: ``before`` (None: it had none) and ``after`` (a copy)."""

    tensor: NodeId
    before: core.Tensor | None
    after: core.Tensor


@dataclass(frozen=True)
class StepRecord:
    """What one node did: the gradient arriving at each of its outputs (on the ``made``
    edges), the gradient sent along each input (on the ``used`` edges), the ``.grad``
    fields it filled."""

    step: int
    node: NodeId
    arriving: Mapping[EdgeId, core.Tensor]
    sent: Mapping[EdgeId, core.Tensor]
    accumulations: tuple[Accumulation, ...]


@dataclass(frozen=True)
class PassError:
    """The pass failed: the exception as one line, and the node it failed at (None: at the
    start, before any node ran), with the gradients that had arrived there."""

    message: str
    node: NodeId | None
    arriving: Mapping[EdgeId, core.Tensor]


@dataclass(frozen=True)
class PassView:
    """What the panel draws at the shown step."""

    current: NodeId | None
    """The node of the last step (or the node that failed)."""
    done: frozenset
    """The grad_fn nodes that have run."""
    gradients: Mapping[EdgeId, core.Tensor]
    """Every gradient that has travelled an edge so far."""
    fresh: frozenset
    """The edges of the current step."""
    grads: Mapping[NodeId, core.Tensor | None]
    """``.grad`` of each leaf and each tensor that retains its grad, at this step."""
    accumulated: tuple[Accumulation, ...]
    """The ``.grad`` changes of the current step."""
    step_numbers: Mapping[NodeId, int]
    """Each grad_fn node's place in the order the engine runs them (known once started)."""
    error: PassError | None


class BackwardPass:
    """The backward pass from ``root`` over ``graph``, stepped one node at a time.

    ``memory_limit`` bounds each allocation the steps make, as for a line of code.
    """

    def __init__(
        self, graph: AutogradGraph, root: core.Tensor, memory_limit: int | None = None
    ) -> None:
        self.graph = graph
        self.root = root
        self.memory_limit = memory_limit
        self.order: tuple[NodeId, ...] = ()
        self.records: list[StepRecord] = []
        self.error: PassError | None = None
        self.started = False
        self.committed: object | None = None
        """The history command that ran this pass for real, once it reached its end."""
        self.exact_rewind = True
        """False once a step added to a ``.grad`` that was there before: rewinding then puts
        back the values, but not the tensor objects (the session rebuilds instead)."""
        self.grads_before = self._grads_now()
        self._steps: Iterator[Event] | None = None
        self._events: list[Event] = []
        self._next: Event | None = None

    # -- reading -------------------------------------------------------------------

    @property
    def finished(self) -> bool:
        """True when every node has run without error."""
        return self.started and self.error is None and len(self.records) == len(self.order)

    @property
    def shown_step(self) -> int:
        """How many steps are shown: the nodes run, and the one that failed."""
        failed = self.error is not None and self.error.node is not None
        return len(self.records) + failed

    def view(self) -> PassView:
        """What the panel draws now."""
        gradients: dict[EdgeId, core.Tensor] = {}
        grads = dict(self.grads_before)
        for record in self.records:
            gradients.update(record.arriving)
            gradients.update(record.sent)
            for accumulation in record.accumulations:
                grads[accumulation.tensor] = accumulation.after
        current, fresh, accumulated = None, frozenset(), ()
        if self.error is not None and self.error.node is not None:
            gradients.update(self.error.arriving)
            current, fresh = self.error.node, frozenset(self.error.arriving)
        elif self.records:
            last = self.records[-1]
            current = last.node
            fresh = frozenset(last.arriving) | frozenset(last.sent)
            accumulated = last.accumulations
        return PassView(
            current=current,
            done=frozenset(record.node for record in self.records),
            gradients=gradients,
            fresh=fresh,
            grads=grads,
            accumulated=accumulated,
            step_numbers={node: step for step, node in enumerate(self.order)},
            error=self.error,
        )

    # -- stepping ------------------------------------------------------------------

    def step(self) -> None:
        """Run the next node (starting the pass first); nothing once finished or failed."""
        if not self.started:
            self._start()
        if self.error is not None or self.finished:
            return
        entered = self._next
        group: list[Event] = [entered]
        try:
            with core.memory.allocation_limit(self.memory_limit):
                for event in self._steps:
                    self._events.append(event)
                    if type(event) in (NodeEntered, BackwardFinished):
                        self._next = event
                        break
                    group.append(event)
        # Any exception: a bad graph must show in the panel, never take the app down.
        except Exception as error:
            node = self.graph.grad_fn_id(entered.node)
            arriving = self._arriving(node, entered.gradients)
            self.error = PassError(describe_exception(error), node, arriving)
            self._close()
            return
        self.records.append(self._record(group))

    def run_to_end(self) -> None:
        """Step until every node has run or one fails."""
        while not self.finished and self.error is None:
            self.step()

    def back_to(self, step: int) -> None:
        """Show step ``step`` again: rewind ``.grad``, then replay a new stepper to it."""
        self.rewind()
        self.records, self.error, self.started, self.order = [], None, False, ()
        while len(self.records) < step and self.error is None and not self.finished:
            self.step()

    def rewind(self) -> bool:
        """Put every ``.grad`` back as it was before the pass; the records stay to be shown.

        Returns whether that was exact (see :attr:`exact_rewind`).
        """
        restore_grads(self._events)
        self._close()
        return self.exact_rewind

    def rebind(self, graph: AutogradGraph, root: core.Tensor) -> None:
        """Carry on over ``graph`` (the same topology, rebuilt from the session's replay)."""
        if graph.topology != self.graph.topology:
            raise ValueError("the rebuilt graph differs from the one the pass ran on")
        self._close()
        self.graph, self.root, self.exact_rewind = graph, root, True

    # -- inside --------------------------------------------------------------------

    def _start(self) -> None:
        self.started = True
        try:
            with core.memory.allocation_limit(self.memory_limit):
                self._steps = backward_steps(self.root, retain_graph=True)
                started = next(self._steps)
                self._next = next(self._steps)
        except Exception as error:
            self.error = PassError(describe_exception(error), None, {})
            self._close()
            return
        self._events = [started, self._next]
        self.order = tuple(self.graph.grad_fn_id(node) for node in started.order)

    def _close(self) -> None:
        if self._steps is not None:
            self._steps.close()
        self._steps, self._events, self._next = None, [], None

    def _arriving(self, node: NodeId, gradients: tuple) -> dict[EdgeId, core.Tensor]:
        arriving = {}
        for output_nr, gradient in enumerate(gradients):
            edge = self.graph.made_edge(node, output_nr)
            if gradient is not None and edge is not None:
                arriving[edge] = gradient
        return arriving

    def _record(self, group: list[Event]) -> StepRecord:
        entered = group[0]
        node = self.graph.grad_fn_id(entered.node)
        sent: dict[EdgeId, core.Tensor] = {}
        accumulations = []
        for event in group[1:]:
            if type(event) is GradientsSent:
                for position, gradient in enumerate(event.gradients):
                    edge = self.graph.used_edge(node, position)
                    if gradient is not None and edge is not None:
                        sent[edge] = gradient
            elif type(event) is GradAccumulated:
                owner = self.graph.grad_owner(node, event.tensor)
                if event.before is not None:
                    self.exact_rewind = False
                if owner is not None:
                    # A copy: a later pass adds into the live .grad in place.
                    after = event.after.detach().clone()
                    accumulations.append(Accumulation(owner, event.before, after))
        return StepRecord(
            len(self.records),
            node,
            self._arriving(node, entered.gradients),
            sent,
            tuple(accumulations),
        )

    def _grads_now(self) -> dict[NodeId, core.Tensor | None]:
        """A copy of each leaf's ``.grad``, and of each retaining tensor's, before the pass."""
        grads: dict[NodeId, core.Tensor | None] = {}
        for node in self.graph.nodes.values():
            if node.id[0] != "tensor" or not (node.is_leaf or node.retains_grad):
                continue
            tensor, _ = self.graph.live_tensor(node.id, {})
            grad = None if tensor is None else tensor.grad
            grads[node.id] = None if grad is None else grad.detach().clone()
        return grads
