"""Step 4 of the layout: each node's vertical position, and each edge's route as a polyline
through the columns it crosses."""

from __future__ import annotations

import math
from collections.abc import Mapping
from itertools import chain

from app.graph_layout.layering import ProperGraph
from app.graph_layout.values import PlacedBox

DUMMY_WEIGHT = 8.0
"""How much more a dummy wants to sit level with its neighbours than a box does."""
FREE_WEIGHT = 0.01
"""A node with no neighbour on the side a sweep looks at stays put, but gives way easily."""
PORT_STEP = 6.0
"""Vertical distance between the ends of edges that meet at one side of a box."""
MIN_DUMMY_GAP = 4.0
"""The least space between a dummy and its neighbours in a layer, whatever ``node_gap``."""


def place(
    layers: list[list[int]],
    graph: ProperGraph,
    center: list[float],
    node_gap: float,
    rounds: int,
) -> None:
    """Vertical centres for one component's nodes, written into ``center``."""
    real = graph.real_count
    gaps = []
    for nodes in layers:
        # Centre-to-centre distance from each node to the next: half of each, and a gap.
        gaps.append(
            [
                (graph.height[a] + graph.height[b]) / 2 + _gap(a, b, graph, node_gap)
                for a, b in zip(nodes, nodes[1:], strict=False)
            ]
        )
        y = graph.height[nodes[0]] / 2
        for v, gap in zip(nodes, [*gaps[-1], 0.0], strict=True):
            center[v] = y
            y += gap

    def sweep(k: int, neighbours: Mapping[int, list[int]] | list[list[int]]) -> None:
        targets, weights = [], []
        for v in layers[k]:
            others = sorted(center[w] for w in neighbours[v])
            if others:
                middle = len(others) // 2
                targets.append((others[middle] + others[(len(others) - 1) // 2]) / 2)
                weights.append(1.0 if v < real else DUMMY_WEIGHT)
            else:
                targets.append(center[v])
                weights.append(FREE_WEIGHT)
        for v, y in zip(layers[k], _closest_placement(targets, weights, gaps[k]), strict=True):
            center[v] = y

    around = {v: graph.before[v] + graph.after[v] for nodes in layers for v in nodes}

    for _ in range(rounds):
        for k in range(1, len(layers)):
            sweep(k, graph.before)
        for k in range(len(layers) - 2, -1, -1):
            sweep(k, graph.after)
    for k in range(len(layers)):
        sweep(k, around)
    _straighten(layers, graph, center, gaps)


def _straighten(
    layers: list[list[int]], graph: ProperGraph, center: list[float], gaps: list[list[float]]
) -> None:
    """Level each run of dummies (one long edge, or a bus) where its neighbours in every
    layer it crosses leave room: at the median of its y, moved into that room."""
    real, pos = graph.real_count, graph.pos
    for nodes in layers:
        for first in nodes:
            if first < real or any(u >= real for u in graph.before[first]):
                continue
            run, low, high = [first], -math.inf, math.inf
            while run[-1] is not None:
                v = run[-1]
                k, i = graph.layer[v], pos[v]
                if i > 0:
                    low = max(low, center[layers[k][i - 1]] + gaps[k][i - 1])
                if i + 1 < len(layers[k]):
                    high = min(high, center[layers[k][i + 1]] - gaps[k][i])
                run.append(next((w for w in graph.after[v] if w >= real), None))
            run.pop()
            if low <= high:
                heights = sorted(center[v] for v in run)
                level = min(max(heights[(len(heights) - 1) // 2], low), high)
                for v in run:
                    center[v] = level


def settle(
    layers: list[list[int]],
    graph: ProperGraph,
    center: list[float],
    top: list[float],
    offset: float,
    node_gap: float,
) -> float:
    """Move a component so that its top edge is at ``offset``, write each node's top edge
    into ``top`` and its centre into ``center``, and return the component's bottom edge.

    Computed from top edges, so that no round-off lets two boxes overlap by a hair.
    """
    lowest = min(center[v] - graph.height[v] / 2 for nodes in layers for v in nodes)
    bottom = offset
    for nodes in layers:
        for i, v in enumerate(nodes):
            top[v] = center[v] - graph.height[v] / 2 - lowest + offset
            if i:
                above = nodes[i - 1]
                end = top[above] + graph.height[above] + _gap(above, v, graph, node_gap)
                top[v] = max(top[v], end)
            center[v] = top[v] + graph.height[v] / 2
            bottom = max(bottom, top[v] + graph.height[v])
    return bottom


def _gap(above: int, below: int, graph: ProperGraph, node_gap: float) -> float:
    """The space between neighbours in a layer: ``node_gap`` between boxes, and half of
    it (but at least ``MIN_DUMMY_GAP``) next to a dummy, whose edge runs through it."""
    if above < graph.real_count and below < graph.real_count:
        return node_gap
    return max(node_gap / 2, MIN_DUMMY_GAP)


def _closest_placement(
    targets: list[float], weights: list[float], gaps: list[float]
) -> list[float]:
    """Positions y, in order, closest to ``targets`` (least weighted squares) such that
    ``y[i + 1] - y[i] >= gaps[i]``.

    With ``z[i] = y[i] - (gaps[0] + ... + gaps[i - 1])`` the constraint says z never
    decreases: an isotonic regression, solved exactly by pooling adjacent violators.
    """
    offsets = [0.0]
    for gap in gaps:
        offsets.append(offsets[-1] + gap)
    blocks: list[list[float]] = []  # [mean, weight, count]
    for target, weight, offset in zip(targets, weights, offsets, strict=True):
        blocks.append([target - offset, weight, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            mean, weight_, count = blocks.pop()
            last = blocks[-1]
            total = last[1] + weight_
            last[0] = (last[0] * last[1] + mean * weight_) / total
            last[1], last[2] = total, last[2] + count
    z = [mean for mean, _, count in blocks for _ in range(int(count))]
    return [value + offset for value, offset in zip(z, offsets, strict=True)]


def _ports(graph: ProperGraph, center: list[float], real: int) -> tuple[list[float], list[float]]:
    """The y at which each edge leaves its tail and enters its head.

    Edges meeting at one side of a box are spread over it, in the order of their other ends
    (then of edge number, the same at both ends of parallel edges), so they never cross there.
    """
    out_port = [center[v] for v in graph.tail]
    in_port = [center[v] for v in graph.head]
    for v in range(real):
        for edges, port, other in (
            (graph.down[v], out_port, graph.head),
            (graph.up[v], in_port, graph.tail),
        ):
            if len(edges) < 2:
                continue
            step = min(PORT_STEP, 0.6 * graph.height[v] / (len(edges) - 1))
            ordered = sorted(edges, key=lambda e: (center[other[e]], e))
            for i, e in enumerate(ordered):
                port[e] = center[v] + (i - (len(edges) - 1) / 2) * step
    return out_port, in_port


def polylines(
    graph: ProperGraph,
    center: list[float],
    columns: list[tuple[float, float]],
    placed: list[PlacedBox],
) -> list[tuple[tuple[float, float], ...]]:
    """Each input edge's points: from its port on the source, level to the column's right
    edge, across each dummy's column, then level from the column's left edge to the target.

    Every segment between columns thus runs from one column's right edge to the next one's
    left edge, and never through a box.
    """
    out_port, in_port = _ports(graph, center, len(placed))
    runs: list[tuple[tuple[float, float], ...]] = [()] * len(graph.layer)
    for dummy in range(len(placed), len(graph.layer)):
        left, right = columns[graph.layer[dummy]]
        runs[dummy] = ((left, center[dummy]), (right, center[dummy]))
    lines = []
    for route in graph.routes:
        first, last = route[0], route[-1]
        source, target = placed[graph.tail[first]], placed[graph.head[last]]
        start = [(source.x + source.width, out_port[first])]
        if start[0][0] < columns[source.layer][1]:
            start.append((columns[source.layer][1], out_port[first]))
        end = [(target.x, in_port[last])]
        if target.x > columns[target.layer][0]:
            end.insert(0, (columns[target.layer][0], in_port[last]))
        # A bus's points are shared by every edge on it: C-level iteration keeps the copying
        # cheap where a reused weight's edges, all together, pass through many columns.
        inner = chain.from_iterable(map(runs.__getitem__, map(graph.head.__getitem__, route[:-1])))
        lines.append((*start, *inner, *end))
    return lines
