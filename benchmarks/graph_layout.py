"""Speed of the autograd graph panel's layered layout (``app.graph_layout``) on graphs shaped
like autograd graphs, 50 to 5000 nodes.

Run with ``python -m benchmarks.graph_layout`` (``make bench``; no display needed). Two
shapes, each a tensor box and a grad_fn box per operation, edges pointing from inputs to the
loss:

- ``random``: a random computation: each op reads one of the latest tensors and, for binary
  ops, a fresh leaf, a recent tensor or (sometimes) any earlier one, so a few edges reach far
  back; tensors nobody read are summed into the loss (one node with a wide fan-in);
- ``rnn``: ``h = tanh(W @ h + U @ x_t)`` unrolled, the weights W and U read at every step:
  the long edges of a reused weight.

Per graph: the median and slowest of the repeats, the nodes, edges, layers, dummy nodes
(counted from the routed edges: a dummy is a horizontal run across a whole column) and the
crossings left. Target from the graph-panel issue: 500 nodes laid out in under a second.
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import time
from collections.abc import Callable, Hashable

from app.graph_layout import Box, GraphLayout, layered_layout

SIZES = (50, 100, 500, 1000, 5000)
TARGET_NODES, TARGET_MS = 500, 1000.0
BOX_HEIGHT = 24.0

Graph = tuple[list[Box], list[tuple[Hashable, Hashable]]]


def random_computation(nodes: int, seed: int = 0) -> Graph:
    """About ``nodes`` boxes: leaves, grad_fn nodes and their output tensors, one loss."""
    rng = random.Random(seed)
    boxes: list[Box] = []
    edges: list[tuple[Hashable, Hashable]] = []
    tensors: list[int] = []
    unread: dict[int, None] = {}

    def add(width: float) -> int:
        boxes.append(Box(len(boxes), width, BOX_HEIGHT))
        return len(boxes) - 1

    def leaf() -> int:
        tensors.append(add(rng.uniform(40, 90)))
        unread[tensors[-1]] = None
        return tensors[-1]

    def operation(inputs: list[int]) -> None:
        function = add(rng.uniform(90, 140))
        for tensor in inputs:
            edges.append((tensor, function))
            unread.pop(tensor, None)
        tensors.append(add(rng.uniform(40, 90)))
        edges.append((function, tensors[-1]))
        unread[tensors[-1]] = None

    leaf()
    while len(boxes) < nodes - 2:
        inputs = [tensors[-1 - min(rng.randrange(4), len(tensors) - 1)]]
        if rng.random() < 0.6:
            draw = rng.random()
            if draw < 0.5:
                inputs.append(leaf())
            elif draw < 0.85:
                inputs.append(tensors[rng.randrange(max(0, len(tensors) - 8), len(tensors))])
            else:
                inputs.append(rng.choice(tensors))
        operation(inputs)
    operation(list(unread))
    return boxes, edges


def unrolled_rnn(nodes: int) -> Graph:
    """``h = tanh(W @ h + U @ x_t)`` for as many steps as fit in ``nodes`` boxes, then a loss."""
    names = iter(range(10**9))
    boxes: list[Box] = []
    edges: list[tuple[Hashable, Hashable]] = []

    def add(width: float) -> int:
        boxes.append(Box(next(names), width, BOX_HEIGHT))
        return boxes[-1].id

    def operation(width: float, *inputs: int) -> int:
        function = add(width)
        edges.extend((tensor, function) for tensor in inputs)
        output = add(60.0)
        edges.append((function, output))
        return output

    w, u, h = add(50.0), add(50.0), add(50.0)
    while len(boxes) + 9 <= nodes - 2:
        x = add(50.0)
        h = operation(
            120.0, operation(110.0, operation(110.0, w, h), operation(110.0, u, x))
        )  # Tanh(Add(Mm(W, h), Mm(U, x)))
    operation(110.0, h)  # the loss: h.sum()
    return boxes, edges


def dummy_count(layout: GraphLayout) -> int:
    """Dummy nodes used: distinct horizontal runs from a column's left edge to its right."""
    columns: dict[int, tuple[float, float]] = {}
    for box in layout.boxes.values():
        left, right = columns.get(box.layer, (box.x, box.x + box.width))
        columns[box.layer] = (min(left, box.x), max(right, box.x + box.width))
    spans = set(columns.values())
    runs = set()
    for edge in layout.edges:
        inner = edge.points[1:-1]
        for (x0, y0), (x1, y1) in zip(inner, inner[1:], strict=False):
            if y0 == y1 and (x0, x1) in spans:
                runs.add((x0, y0))
    return len(runs)


def timed(work: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Median and slowest milliseconds of ``work()``."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="layouts per graph")
    args = parser.parse_args(argv)
    print(f"layered_layout, Python {platform.python_version()}, median of {args.repeats}")
    print(
        f"  {'graph':<7} {'nodes':>6} {'edges':>6} {'layers':>6} {'dummies':>7} "
        f"{'crossings':>9} {'median ms':>10} {'max ms':>9}"
    )
    for shape, make in (("random", random_computation), ("rnn", unrolled_rnn)):
        for size in SIZES:
            boxes, edges = make(size)
            layout = layered_layout(boxes, edges)
            median, slowest = timed(
                lambda boxes=boxes, edges=edges: layered_layout(boxes, edges), args.repeats
            )
            layers = 1 + max(box.layer for box in layout.boxes.values())
            verdict = ""
            if size == TARGET_NODES:
                verdict = f"  target < {TARGET_MS:.0f} ms: " + (
                    "met" if median < TARGET_MS else "MISSED"
                )
            print(
                f"  {shape:<7} {len(boxes):>6} {len(edges):>6} {layers:>6} "
                f"{dummy_count(layout):>7} {layout.crossings:>9} {median:>10.1f} "
                f"{slowest:>9.1f}{verdict}"
            )


if __name__ == "__main__":
    main()
