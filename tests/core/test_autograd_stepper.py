"""The backward stepper and the graph snapshot: the same pass as backward(), one event at a time."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import core
from core.autograd import (
    AccumulateGrad,
    BackwardFinished,
    BackwardStarted,
    GradAccumulated,
    GradientsSent,
    NodeEntered,
    backward_steps,
    graph_snapshot,
    restore_grads,
)

Expression = Callable[[Any, list[Any]], Any]


def _leaves(seed: int, *shapes: tuple[int, ...]) -> list[Any]:
    rng = np.random.default_rng(seed)
    return [core.tensor(rng.standard_normal(s), requires_grad=True) for s in shapes]


EXPRESSIONS: dict[str, tuple[Expression, tuple[tuple[int, ...], ...]]] = {
    "mlp": (lambda m, v: ((v[0] @ v[1]).tanh() * 2 + 1).sum(), ((4, 3), (3, 5))),
    "reuse": (lambda m, v: (v[0] * v[0] + v[0].exp() * v[1]).sum(), ((3,), (3,))),
    "broadcast": (lambda m, v: (v[0] * v[1] - v[1]).mean(), ((2, 3), (3,))),
    "views": (lambda m, v: (v[0].t()[1:] * v[1].unsqueeze(1)).sum(), ((3, 4), (3,))),
    "indexing": (lambda m, v: (v[0][[0, 2, 2]] ** 2).sum() + v[0][1, 1:].sum(), ((3, 4),)),
    "split": (lambda m, v: sum(p.sum() * i for i, p in enumerate(v[0].split(2, 1))), ((2, 5),)),
}


def _grads(leaves: list[Any]) -> list[np.ndarray]:
    return [leaf.grad.numpy().copy() for leaf in leaves]


@pytest.mark.parametrize("name", EXPRESSIONS)
def test_draining_the_stepper_is_backward(name: str) -> None:
    """Running every step gives the .grad that backward() gives, twice in a row (accumulating)."""
    expression, shapes = EXPRESSIONS[name]
    by_backward, by_steps = _leaves(0, *shapes), _leaves(0, *shapes)
    for _ in range(2):
        expression(core, by_backward).backward()
        events = list(backward_steps(expression(core, by_steps)))
        assert isinstance(events[0], BackwardStarted)
        assert isinstance(events[-1], BackwardFinished)
    for expected, got in zip(_grads(by_backward), _grads(by_steps), strict=True):
        np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("name", EXPRESSIONS)
def test_steps_run_in_a_valid_topological_order(name: str) -> None:
    """A node runs once, after every node that sends it a gradient, with their sum as input."""
    expression, shapes = EXPRESSIONS[name]
    root = expression(core, _leaves(1, *shapes))
    events = list(backward_steps(root))
    started = events[0]
    position = {id(node): i for i, node in enumerate(started.order)}
    assert len(position) == len(started.order)
    arriving: dict[tuple[int, int], Any] = {(id(root.grad_fn), 0): started.gradients[0]}
    entered = []
    for event in events:
        if isinstance(event, NodeEntered):
            entered.append(event.node)
            assert event.node is started.order[event.step]
            for number, gradient in enumerate(event.gradients):
                expected = arriving.pop((id(event.node), number), None)
                if expected is not None:
                    np.testing.assert_allclose(gradient.numpy(), expected.numpy(), rtol=1e-12)
        elif isinstance(event, GradientsSent):
            assert event.node is entered[-1]
            for (child, number), gradient in zip(
                event.node.next_functions, event.gradients, strict=True
            ):
                if child is None or gradient is None:
                    continue
                assert position[id(child)] > position[id(event.node)]
                key = (id(child), number)
                arriving[key] = gradient if key not in arriving else arriving[key] + gradient
    assert entered == list(started.order)
    assert not arriving


def test_micrograd_example_event_by_event() -> None:
    """L = (a·b + c)·f: the exact events, in PyTorch's order (leaves as soon as they are ready)."""
    a, b, c, f = (core.tensor(v, requires_grad=True) for v in (2.0, -3.0, 10.0, -2.0))
    e = a * b
    d = e + c
    loss = d * f
    accumulate = {t: grad_accumulator_of(t, n) for t, n in ((a, e), (b, e), (c, d), (f, loss))}
    events = list(backward_steps(loss))
    order = (loss.grad_fn, accumulate[f], d.grad_fn, accumulate[c], e.grad_fn)
    order += (accumulate[a], accumulate[b])
    assert events[0].order == order
    assert [e.item() for e in events[0].gradients] == [1.0]

    def summary(event: Any) -> tuple[Any, ...]:
        if isinstance(event, NodeEntered):
            return ("enter", event.node.name(), [g.item() for g in event.gradients])
        if isinstance(event, GradientsSent):
            return ("send", [None if g is None else g.item() for g in event.gradients])
        if isinstance(event, GradAccumulated):
            return ("grad", event.before, event.after.item())
        return (type(event).__name__,)

    leaf = "core::autograd::AccumulateGrad"
    assert [summary(event) for event in events] == [
        ("BackwardStarted",),
        ("enter", "MulBackward0", [1.0]),
        ("send", [-2.0, 4.0]),
        ("enter", leaf, [4.0]),
        ("grad", None, 4.0),
        ("enter", "AddBackward0", [-2.0]),
        ("send", [-2.0, -2.0]),
        ("enter", leaf, [-2.0]),
        ("grad", None, -2.0),
        ("enter", "MulBackward0", [-2.0]),
        ("send", [6.0, -4.0]),
        ("enter", leaf, [6.0]),
        ("grad", None, 6.0),
        ("enter", leaf, [-4.0]),
        ("grad", None, -4.0),
        ("BackwardFinished",),
    ]
    sent = [e for e in events if isinstance(e, GradientsSent)]
    assert sent[0].formula == "grad_self = grad · other\ngrad_other = grad · self"
    assert [t.grad.item() for t in (a, b, c, f)] == [6.0, -4.0, -2.0, 4.0]


def grad_accumulator_of(leaf: Any, output: Any) -> AccumulateGrad:
    """The AccumulateGrad node of ``leaf`` among the edges of ``output``'s grad_fn."""
    for node, _ in output.grad_fn.next_functions:
        if isinstance(node, AccumulateGrad) and node.variable is leaf:
            return node
    raise AssertionError("leaf not found")


def test_a_second_pass_accumulates_and_reports_before_and_after() -> None:
    """The second pass adds into the same .grad tensor; its event keeps a copy of the old value."""
    x = core.tensor([1.0, 2.0], requires_grad=True)
    (x * x).sum().backward()
    grad = x.grad
    events = list(backward_steps((x * x).sum()))
    accumulated = [e for e in events if isinstance(e, GradAccumulated)]
    assert len(accumulated) == 1
    assert accumulated[0].before.tolist() == [2.0, 4.0]
    assert accumulated[0].after is grad is x.grad
    assert x.grad.tolist() == [4.0, 8.0]


@pytest.mark.parametrize("name", EXPRESSIONS)
def test_a_viewer_steps_back_by_rewinding_and_replaying(name: str) -> None:
    """Restore the .grad fields, replay a new stepper to step k: the same events and state."""
    expression, shapes = EXPRESSIONS[name]
    leaves = _leaves(2, *shapes)
    expression(core, leaves).backward()  # some .grad already there before the pass
    root = expression(core, leaves)
    first = list(backward_steps(root, retain_graph=True))
    after_all = _grads(leaves)
    for k in range(1, len(first)):
        restore_grads(first)
        replay = backward_steps(root, retain_graph=True)
        seen = [next(replay) for _ in range(k)]
        assert [_event_key(e) for e in seen] == [_event_key(e) for e in first[:k]]
        for event, original in zip(seen, first[:k], strict=True):
            for mine, theirs in zip(_event_tensors(event), _event_tensors(original), strict=True):
                np.testing.assert_array_equal(mine, theirs)
    restore_grads(first)
    for _ in backward_steps(root, retain_graph=True):
        pass
    for expected, got in zip(after_all, _grads(leaves), strict=True):
        np.testing.assert_array_equal(got, expected)


def _event_key(event: Any) -> tuple[Any, ...]:
    node = getattr(event, "node", None)
    return (type(event).__name__, getattr(event, "step", None), id(node) if node else None)


def _event_tensors(event: Any) -> list[np.ndarray]:
    if isinstance(event, (NodeEntered, GradientsSent)):
        return [g.numpy().copy() for g in event.gradients if g is not None]
    if isinstance(event, GradAccumulated):
        return [event.after.numpy().copy()]
    return []


def test_events_are_frozen() -> None:
    """Events are values: a viewer can keep them, nobody can change them."""
    x = core.tensor([1.0], requires_grad=True)
    started = next(backward_steps((x * 2).sum()))
    with pytest.raises(dataclasses.FrozenInstanceError):
        started.order = ()  # type: ignore[misc]


def test_a_freed_graph_fails_at_the_node_that_needs_its_saved_tensors() -> None:
    """Without retain_graph the saved tensors go; stepping again raises PyTorch's error."""
    x = core.tensor([1.0, 2.0], requires_grad=True)
    y = (x.exp() + 1).sum()
    list(backward_steps(y))
    steps = backward_steps(y)
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        list(steps)
    t = torch.tensor([1.0, 2.0], requires_grad=True)
    ty = (t.exp() + 1).sum()
    ty.backward()
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        ty.backward()


def test_create_graph_through_the_stepper_gives_second_derivatives() -> None:
    """With create_graph, the gradients carry their own graph: d²(x³)/dx² = 6x."""
    x = core.tensor([1.0, -2.0, 0.5], requires_grad=True)
    list(backward_steps((x**3).sum(), create_graph=True))
    first = x.grad
    assert first.grad_fn is not None
    np.testing.assert_allclose(first.detach().numpy(), 3 * np.array([1.0, 4.0, 0.25]))
    (second,) = core.autograd.grad(first.sum(), x)
    np.testing.assert_allclose(second.numpy(), [6.0, -12.0, 3.0])


def test_deep_graphs_do_not_recurse() -> None:
    """Thousands of chained nodes: order, backward and snapshot all work (no recursion limit)."""
    x = core.tensor([1.0], requires_grad=True)
    y = x
    for _ in range(3000):
        y = y * 1.0 + 0.0
    snapshot = graph_snapshot(y)
    assert len(snapshot.nodes) == 6001
    y.sum().backward()
    assert x.grad.tolist() == [1.0]


def test_the_snapshot_mirrors_next_functions() -> None:
    """Nodes, edges (with input numbers), shapes, dtypes and saved tensors as plain data."""
    x = core.ones(2, 3, dtype=core.float64, requires_grad=True)
    w = core.ones(3, dtype=core.float64, requires_grad=True)
    pieces = (x * w).unbind(0)
    y = (pieces[1].tanh() + x.sum()).sum()
    snapshot = graph_snapshot(y)
    live: dict[int, Any] = {}
    stack = [y.grad_fn]
    while stack:
        node = stack.pop()
        if snapshot.node_id(node) in live:
            continue
        live[snapshot.node_id(node)] = node
        stack.extend(child for child, _ in node.next_functions if child is not None)
    assert sorted(live) == list(range(len(snapshot.nodes)))
    for info in snapshot.nodes:
        node = live[info.id]
        assert info.name == node.name()
        edges = [e for e in snapshot.edges if e.source == info.id]
        expected = [
            (snapshot.node_id(child), number, position)
            for position, (child, number) in enumerate(node.next_functions)
            if child is not None
        ]
        assert [(e.target, e.input_nr, e.position) for e in edges] == expected
    by_name = {info.name: info for info in snapshot.nodes}
    unbind = by_name["UnbindBackward0"]
    assert [o.shape for o in unbind.outputs] == [(3,), (3,)]
    assert [i.shape for i in by_name["MulBackward0"].inputs] == [(2, 3), (3,)]
    assert [(s.name, s.tensor.shape, s.freed) for s in by_name["TanhBackward0"].saved] == [
        ("result", (3,), False)
    ]
    leaves = [info for info in snapshot.nodes if info.kind == "leaf"]
    assert sorted(info.variable.shape for info in leaves) == [(2, 3), (3,)]
    assert snapshot.roots == (0,)
    y.backward()
    freed = graph_snapshot(y)
    tanh = next(info for info in freed.nodes if info.name == "TanhBackward0")
    assert [s.freed for s in tanh.saved] == [True]


def test_snapshot_ids_follow_the_stepper() -> None:
    """Every node a stepper enters has an id in the snapshot taken before the pass."""
    x = core.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum() + x.mean()
    snapshot = graph_snapshot(y)
    ids = [snapshot.node_id(e.node) for e in backward_steps(y) if isinstance(e, NodeEntered)]
    assert sorted(ids) == list(range(len(snapshot.nodes)))


def test_grad_mode_between_steps_is_the_callers() -> None:
    """A viewer runs its own code between steps: grad mode there is its own, not the pass's."""
    x = core.tensor([1.0, 2.0], requires_grad=True)
    steps = backward_steps((x * x).sum(), create_graph=False)
    next(steps)
    next(steps)
    assert core.is_grad_enabled()
    assert (x * 2).requires_grad
    with core.no_grad():
        next(steps)
        assert not core.is_grad_enabled()
    list(steps)
    assert core.is_grad_enabled()
    assert x.grad.tolist() == [2.0, 4.0]
