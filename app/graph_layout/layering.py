"""Steps 1 and 2 of the layout: the input checked, the cycle check, each node's layer, and the
proper graph, whose dummy chains and buses carry the edges that span several layers."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Sequence

from app.graph_layout.values import Box


def index_boxes(
    boxes: Sequence[Box],
    edges: Sequence[tuple[Hashable, Hashable]],
    layer_gap: float,
    node_gap: float,
) -> dict[Hashable, int]:
    """Each box's position in ``boxes``, after checking the input."""
    if not (0 < layer_gap < math.inf):
        raise ValueError(f"layer_gap must be positive and finite, not {layer_gap!r}")
    if not (0 <= node_gap < math.inf):
        raise ValueError(f"node_gap must be non-negative and finite, not {node_gap!r}")
    index: dict[Hashable, int] = {}
    for box in boxes:
        if box.id in index:
            raise ValueError(f"duplicate box id {box.id!r}")
        if not (0 < box.width < math.inf and 0 < box.height < math.inf):
            raise ValueError(
                f"box {box.id!r} needs a positive, finite size, not {box.width!r} x {box.height!r}"
            )
        index[box.id] = len(index)
    for source, target in edges:
        for end in (source, target):
            if end not in index:
                raise ValueError(f"edge {source!r} -> {target!r} names unknown box id {end!r}")
        if source == target:
            raise ValueError(f"edge {source!r} -> {target!r} is a self-loop")
    return index


def topological_order(
    succ: list[list[int]], pred: list[list[int]], ids: list[Hashable]
) -> list[int]:
    """Kahn's algorithm, sources first in input order; a cycle raises, naming its nodes."""
    indegree = [len(p) for p in pred]
    order = [v for v, d in enumerate(indegree) if d == 0]
    for v in order:  # grows while it is read
        for w in succ[v]:
            indegree[w] -= 1
            if indegree[w] == 0:
                order.append(w)
    if len(order) == len(ids):
        return order
    # Every node left over has a predecessor left over: walk back until a node repeats.
    v = next(v for v, d in enumerate(indegree) if d > 0)
    walk: dict[int, int] = {}
    while v not in walk:
        walk[v] = len(walk)
        v = next(u for u in pred[v] if indegree[u] > 0)
    cycle = list(walk)[walk[v] :][::-1]
    start = cycle.index(min(cycle))  # named from the node given first
    cycle = cycle[start:] + cycle[:start]
    names = " -> ".join(repr(ids[u]) for u in [*cycle, cycle[0]])
    raise ValueError(f"the graph has a cycle: {names}")


def assign_layers(
    order: list[int], succ: list[list[int]], pred: list[list[int]], component: list[int]
) -> list[int]:
    """Each node as far right as its component's longest path allows, then each node with
    more edges in than out pulled left as far as its predecessors allow.

    As late as possible, rather than as early: in an autograd graph, what feeds one late use
    (a leaf, and what is computed from it and other leaves alone, like ``U @ x_t`` in a loop)
    then sits just before that use instead of at the far left behind a long edge.
    """
    to_sink = [0] * len(order)
    for v in reversed(order):
        to_sink[v] = max((to_sink[w] + 1 for w in succ[v]), default=0)
    depth: dict[int, int] = {}
    for c, length in zip(component, to_sink, strict=True):
        depth[c] = max(depth.get(c, 0), length)
    layer = [depth[c] - length for c, length in zip(component, to_sink, strict=True)]
    # Moving such a node left shortens each edge in and lengthens each edge out. Its
    # predecessors have moved already, and moving its successors cannot stop it.
    for v in order:
        if len(pred[v]) > len(succ[v]):
            layer[v] = max(layer[u] for u in pred[v]) + 1
    return layer


def components(succ: list[list[int]], pred: list[list[int]]) -> list[int]:
    """The connected component of each node, numbered by their first node in input order."""
    component = [-1] * len(succ)
    count = 0
    for root in range(len(succ)):
        if component[root] >= 0:
            continue
        component[root] = count
        stack = [root]
        while stack:
            v = stack.pop()
            for w in succ[v] + pred[v]:
                if component[w] < 0:
                    component[w] = count
                    stack.append(w)
        count += 1
    return component


class ProperGraph:
    """The boxes (nodes ``0..n-1``) and dummies, with edges only between adjacent layers.

    ``before[v]`` and ``after[v]`` are v's neighbours in the layers left and right of its own
    (once per parallel edge), ``up[v]`` and ``down[v]`` the numbers of those edges, ``pos[v]``
    v's index in its layer, and ``routes[i]`` the edges that carry input edge ``i``.
    """

    def __init__(
        self,
        layer: list[int],
        component: list[int],
        heights: list[float],
        pairs: list[tuple[int, int]],
    ) -> None:
        self.layer, self.component, self.height = list(layer), list(component), list(heights)
        self.real_count = len(layer)
        self.before: list[list[int]] = [[] for _ in layer]
        self.after: list[list[int]] = [[] for _ in layer]
        self.up: list[list[int]] = [[] for _ in layer]
        self.down: list[list[int]] = [[] for _ in layer]
        self.tail: list[int] = []
        self.head: list[int] = []
        self.pos = [0] * len(layer)
        long_edges = [(s, t) for s, t in pairs if layer[t] - layer[s] > 1]
        self._fan_out = Counter(s for s, _ in long_edges)
        self._fan_in = Counter(t for _, t in long_edges)
        self._source_bus: dict[int, tuple[list[int], list[int]]] = {}
        self._target_bus: dict[int, tuple[list[int], list[int]]] = {}
        self.routes = [self._route(source, target) for source, target in pairs]

    def _add_edge(self, tail: int, head: int) -> int:
        self.tail.append(tail)
        self.head.append(head)
        self.after[tail].append(head)
        self.before[head].append(tail)
        self.down[tail].append(len(self.tail) - 1)
        self.up[head].append(len(self.tail) - 1)
        return len(self.tail) - 1

    def _add_dummy(self, layer: int, like: int) -> int:
        for column in (self.before, self.after, self.up, self.down):
            column.append([])
        self.layer.append(layer)
        self.component.append(self.component[like])
        self.height.append(0.0)
        self.pos.append(0)
        return len(self.layer) - 1

    def _route(self, source: int, target: int) -> list[int]:
        """The edges that carry ``source -> target``, left to right, dummies added as needed."""
        span = self.layer[target] - self.layer[source]
        fan_out, fan_in = self._fan_out[source], self._fan_in[target]
        if span > 1 and fan_out >= 2 and fan_out >= fan_in:
            # A bus from the source: its node i sits i + 1 layers right of the source and
            # edges[i] enters it.
            nodes, edges = self._source_bus.setdefault(source, ([], []))
            while len(nodes) < span - 1:
                previous = nodes[-1] if nodes else source
                nodes.append(self._add_dummy(self.layer[source] + len(nodes) + 1, source))
                edges.append(self._add_edge(previous, nodes[-1]))
            return [*edges[: span - 1], self._add_edge(nodes[span - 2], target)]
        if span > 1 and fan_in >= 2:
            # A bus into the target: its node i sits i + 1 layers left of the target and
            # edges[i] leaves it.
            nodes, edges = self._target_bus.setdefault(target, ([], []))
            while len(nodes) < span - 1:
                following = nodes[-1] if nodes else target
                nodes.append(self._add_dummy(self.layer[target] - len(nodes) - 1, target))
                edges.append(self._add_edge(nodes[-1], following))
            return [self._add_edge(source, nodes[span - 2]), *edges[span - 2 :: -1]]
        route, previous = [], source
        for k in range(self.layer[source] + 1, self.layer[target]):
            dummy = self._add_dummy(k, source)
            route.append(self._add_edge(previous, dummy))
            previous = dummy
        return [*route, self._add_edge(previous, target)]

    def members_by_component(self) -> list[list[int]]:
        """Per component, its nodes (boxes and dummies) in increasing order."""
        members: dict[int, list[int]] = {}
        for v, c in enumerate(self.component):
            members.setdefault(c, []).append(v)
        return [members[c] for c in sorted(members)]
