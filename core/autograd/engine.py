"""The backward pass as a sequence of steps: ``backward()`` drains it, a viewer steps it.

The order is PyTorch's: a node runs once every gradient bound for it has arrived,
and among ready nodes the most recently created runs first (``AccumulateGrad``
before all others). The whole order is known before the first step, so
``BackwardStarted`` can show it.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from core import layout
from core.autograd.events import (
    BackwardFinished,
    BackwardStarted,
    Event,
    GradAccumulated,
    GradientsSent,
    NodeEntered,
)
from core.autograd.grad_mode import enable_grad, no_grad
from core.autograd.node import AccumulateGrad, Edge, Node, gradient_edge
from core.memory import check_allocation
from core.tensor import Tensor, empty_tensor, tensor_over


@dataclass
class _Plan:
    """Root edges with their gradients, and where gradients end (``.grad``, or captured)."""

    roots: list[tuple[Edge, Any]]
    accumulate: bool = True
    captures: dict[Edge, int] = field(default_factory=dict)  # edge -> position in the result
    captured: list[Any] = field(default_factory=list)


def as_tensors(value: Any, what: str) -> tuple[Any, ...]:
    values = (value,) if isinstance(value, Tensor) else tuple(value)
    for v in values:
        if not isinstance(v, Tensor):
            raise TypeError(f"{what} must be tensors, not {type(v).__name__}")
    return values


def root_gradients(outputs: Sequence[Any], gradients: Any) -> list[tuple[Edge, Any]]:
    """Each output's edge with its starting gradient (ones for a scalar), PyTorch's checks."""
    if gradients is None:
        gradients = (None,) * len(outputs)
    elif not isinstance(gradients, (tuple, list)):
        gradients = (gradients,)
    if len(gradients) != len(outputs):
        raise RuntimeError(f"got {len(outputs)} tensors and {len(gradients)} gradients")
    roots = []
    for index, (output, gradient) in enumerate(zip(outputs, gradients, strict=True)):
        if gradient is None:
            if output.requires_grad and output.numel() != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            # One element: a contiguous tensor of ones is ones_like's layout too.
            xp = output._storage.backend.xp
            check_allocation(output._layout.numel, output.dtype)
            ones = xp.ones(output._layout.sizes, dtype=output.dtype.numpy_dtype)
            gradient = tensor_over(ones, output.device, output.dtype)
        elif gradient.shape != output.shape:
            raise RuntimeError(
                f"Mismatch in shape: grad_output[{index}] has a shape of {gradient.shape} and "
                f"output[{index}] has a shape of {output.shape}."
            )
        if not output.requires_grad:
            raise RuntimeError(
                f"element {index} of tensors does not require grad and does not have a grad_fn"
            )
        if gradient.dtype is not output.dtype:
            gradient = gradient.to(output.dtype)
        roots.append((gradient_edge(output), gradient))
    return roots


def _reachable(roots: Sequence[Node]) -> dict[Node, int]:
    """Every node reachable from the roots, with the number of edges that lead into it."""
    dependencies = dict.fromkeys(roots, 0)
    stack = list(dependencies)
    for node in roots:
        dependencies[node] += 1  # the edge from the graph's root
    while stack:
        for child, _ in stack.pop().next_functions:
            if child is None:
                continue
            if child in dependencies:
                dependencies[child] += 1
            else:
                dependencies[child] = 1
                stack.append(child)
    return dependencies


def _needed(dependencies: dict[Node, int], targets: set[Node]) -> set[Node]:
    """The nodes on some path to a target (PyTorch runs only those when inputs are given)."""
    needed: set[Node] = set()
    order = _post_order(dependencies)
    for node in order:
        if node in targets or any(child in needed for child, _ in node.next_functions):
            needed.add(node)
    return needed


def _post_order(dependencies: dict[Node, int]) -> list[Node]:
    """Children before parents, iteratively (deep graphs must not hit the recursion limit)."""
    done: set[Node] = set()
    order: list[Node] = []
    for start in dependencies:
        if start in done:
            continue
        stack = [(start, iter(start.next_functions))]
        done.add(start)
        while stack:
            node, children = stack[-1]
            for child, _ in children:
                if child is not None and child not in done:
                    done.add(child)
                    stack.append((child, iter(child.next_functions)))
                    break
            else:
                stack.pop()
                order.append(node)
    return order


def execution_order(roots: Sequence[Node], needed: set[Node] | None = None) -> list[Node]:
    """The nodes in the order PyTorch's engine runs them (only the ``needed`` ones if given)."""
    dependencies = _reachable(roots)
    counter = itertools.count()
    ready: list[tuple[float, int, Node]] = []

    def arrive(node: Node) -> None:
        dependencies[node] -= 1
        if dependencies[node] == 0:
            heapq.heappush(ready, (-node.sequence_nr, next(counter), node))

    for node in roots:
        arrive(node)
    order = []
    while ready:
        node = heapq.heappop(ready)[2]
        if needed is None or node in needed:
            order.append(node)
        for child, _ in node.next_functions:
            if child is not None:
                arrive(child)
    return order


def run_backward(plan: _Plan, retain_graph: bool | None, create_graph: bool) -> Iterator[Event]:
    """Yield the events of one backward pass over ``plan`` (the single engine code path)."""
    if retain_graph is None:
        retain_graph = create_graph
    root_nodes = list(dict.fromkeys(edge[0] for edge, _ in plan.roots if edge[0] is not None))
    needed = passing = None
    if plan.captures:
        # autograd.grad: run only what leads to an input; an input's own node only if it
        # also leads to another input.
        needed = _needed(_reachable(root_nodes), {node for node, _ in plan.captures})
        passing = {n for n in needed if any(c in needed for c, _ in n.next_functions)}
    order = execution_order(root_nodes, needed)
    buffers: dict[Node, list[Any]] = {}
    for (node, number), gradient in plan.roots:
        if node is not None:
            _deliver(buffers, node, number, gradient)
    yield BackwardStarted(tuple(order), tuple(g for _, g in plan.roots))
    # Grad mode is create_graph while a step computes, and the caller's own between steps
    # (a viewer runs code of its own between them).
    mode = enable_grad() if create_graph else no_grad()
    for step, node in enumerate(order):
        gradients = tuple(buffers.pop(node, ()))
        yield NodeEntered(step, node, gradients)
        if node.retained:
            with mode:
                retained = list(_retain(step, node, gradients, create_graph))
            yield from retained
        if passing is not None:
            _capture(plan, node, gradients)
            if node not in passing:
                continue
        if type(node) is AccumulateGrad:
            if plan.accumulate and gradients and gradients[0] is not None:
                with mode:
                    event = accumulate(step, node.variable, gradients[0], create_graph)
                yield event
            continue
        with mode:
            sent = _run_node(node, gradients, retain_graph, buffers)
        yield GradientsSent(step, node, sent)
    yield BackwardFinished(len(order))


def _run_node(
    node: Node, gradients: tuple[Any, ...], retain_graph: bool, buffers: dict[Node, list[Any]]
) -> tuple[Any, ...]:
    """Apply ``node``'s chain rule and pass each gradient on to the node it is bound for."""
    if any(g is not None for g in gradients):
        sent = node.apply(gradients)
    else:
        sent = (None,) * len(node.next_functions)
    if not retain_graph and node._saved:
        node.release()
    for (child, number), gradient in zip(node.next_functions, sent, strict=True):
        if child is not None and gradient is not None:
            _deliver(buffers, child, number, gradient)
    return sent


def _deliver(buffers: dict[Node, list[Any]], node: Node, number: int, gradient: Any) -> None:
    """Add ``gradient`` to what has arrived at output ``number`` of ``node``."""
    slots = buffers.get(node)
    if slots is None:
        slots = buffers[node] = [None] * max(len(node.output_metadata), 1)
    slots[number] = gradient if slots[number] is None else slots[number] + gradient


def _capture(plan: _Plan, node: Node, gradients: tuple[Any, ...]) -> None:
    """Keep the gradients ``autograd.grad`` asked for."""
    for number, gradient in enumerate(gradients):
        position = plan.captures.get((node, number))
        if position is not None:
            plan.captured[position] = gradient


def restore_grads(events: Iterable[Event]) -> None:
    """Undo the ``.grad`` changes of ``events`` (those seen so far of one pass), newest first.

    With this, a viewer steps backwards: restore, then replay a new stepper to step k.
    """
    for event in reversed(list(events)):
        if type(event) is GradAccumulated:
            before = event.before
            event.tensor._grad = None if before is None else before.clone()


def _retain(
    step: int, node: Node, gradients: tuple[Any, ...], create_graph: bool
) -> Iterator[GradAccumulated]:
    for number, ref in node.retained.items():
        tensor = ref()
        if tensor is not None and number < len(gradients) and gradients[number] is not None:
            before = tensor._grad
            incoming = gradients[number]
            after = incoming.clone() if before is None else before + incoming
            tensor._grad = after if create_graph else after.detach()
            yield GradAccumulated(step, tensor, before, tensor._grad)


def accumulate(step: int, variable: Any, gradient: Any, create_graph: bool) -> GradAccumulated:
    """PyTorch's AccumulateGrad: a first gradient is copied in the leaf's layout; others add."""
    before = variable._grad
    if before is None:
        variable._grad = _in_leaf_layout(variable, gradient, create_graph)
        return GradAccumulated(step, variable, None, variable._grad)
    if create_graph:
        variable._grad = before + gradient
        return GradAccumulated(step, variable, before, variable._grad)
    # In place, as PyTorch does without create_graph: ``x.grad`` stays the same tensor.
    check_allocation(before._layout.numel, before.dtype)
    snapshot = tensor_over(before._values().copy(), before.device, before.dtype)
    values = before._values()
    before._storage.backend.xp.add(values, gradient._values(), out=values)
    before._storage.version += 1
    return GradAccumulated(step, variable, snapshot, before)


def _in_leaf_layout(variable: Any, gradient: Any, create_graph: bool) -> Any:
    """A fresh gradient with the leaf's strides when the leaf is dense, else contiguous."""
    sizes, strides = variable._layout.sizes, variable._layout.strides
    row_major = layout.contiguous_strides(sizes)
    if strides != row_major and not layout.is_non_overlapping_and_dense(sizes, strides):
        strides = row_major
    if create_graph:  # the copy keeps the gradient's own graph
        return gradient.new_empty_strided(sizes, strides).copy_(gradient)
    if strides == row_major:
        check_allocation(variable._layout.numel, variable.dtype)
        copy = gradient._storage.backend.xp.array(gradient._values(), order="C")
        return tensor_over(copy, variable.device, variable.dtype)
    fresh = empty_tensor(sizes, strides, variable.device, variable.dtype)
    fresh._storage.backend.assign(fresh._values(), gradient._values())
    return fresh


def backward_steps(
    root: Any,
    gradient: Any = None,
    retain_graph: bool | None = None,
    *,
    create_graph: bool = False,
) -> Iterator[Event]:
    """The backward pass from ``root`` (a tensor or several) as an iterator of events.

    ``Tensor.backward()`` drains this same iterator. To step back, pass the events seen
    to ``restore_grads`` and replay a new stepper (``retain_graph=True``) to step k:
    the order is the same every time.
    """
    outputs = as_tensors(root, "backward roots")
    plan = _Plan(root_gradients(outputs, gradient))
    return run_backward(plan, retain_graph, create_graph)


def backward(
    tensors: Any,
    grad_tensors: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
) -> None:
    """Accumulate the gradients of ``tensors`` into the ``.grad`` of the leaves."""
    for _ in backward_steps(tensors, grad_tensors, retain_graph, create_graph=create_graph):
        pass


def tensor_backward(
    self: Any, gradient: Any = None, retain_graph: bool | None = None, create_graph: bool = False
) -> None:
    """``t.backward()``: accumulate the gradient of ``t`` into the leaves' ``.grad``."""
    backward(self, gradient, retain_graph, create_graph)


def grad(
    outputs: Any,
    inputs: Any,
    grad_outputs: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool | None = None,
) -> tuple[Any, ...]:
    """The gradients of ``outputs`` with respect to ``inputs``, without touching any ``.grad``."""
    plan = _Plan(root_gradients(as_tensors(outputs, "outputs"), grad_outputs), accumulate=False)
    wanted = as_tensors(inputs, "inputs")
    positions = []
    for tensor in wanted:
        if not tensor.requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
        positions.append(plan.captures.setdefault(gradient_edge(tensor), len(plan.captures)))
    plan.captured = [None] * len(plan.captures)
    for _ in run_backward(plan, retain_graph, create_graph):
        pass
    results = tuple(plan.captured[p] for p in positions)
    for index, result in enumerate(results):
        if result is None and not allow_unused:
            raise RuntimeError(
                f"The differentiated Tensor at index {index} appears to not have been used in "
                "the graph. Set allow_unused=True if this is the desired behavior."
            )
    return results
