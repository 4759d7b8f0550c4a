"""``layered_layout``: the input checked and layered, then each connected component ordered and
placed in turn, stacked top to bottom, and the boxes and edges put in columns."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from types import MappingProxyType

from app.graph_layout.layering import (
    ProperGraph,
    assign_layers,
    components,
    index_boxes,
    topological_order,
)
from app.graph_layout.ordering import initial_order, reduce_crossings
from app.graph_layout.placement import place, polylines, settle
from app.graph_layout.values import Box, GraphLayout, PlacedBox, RoutedEdge

ORDER_ROUNDS = 8
"""At most this many rounds of (down sweep, up sweep, transpose) to reduce crossings."""
PLACEMENT_ROUNDS = 4
"""Rounds of (down, up) y-placement sweeps, before one last sweep facing both ways."""
WORK_PER_ROUND = 400_000
"""Fewer rounds than those above where a component has more than this many nodes and edges
(dummies included) per round: 5000 autograd nodes still get them all."""


def layered_layout(
    boxes: Sequence[Box],
    edges: Sequence[tuple[Hashable, Hashable]],
    *,
    layer_gap: float = 60.0,
    node_gap: float = 16.0,
) -> GraphLayout:
    """Lay out a DAG left to right in layers with few crossings; every edge points right.

    Parallel edges are allowed and routed apart; disconnected parts are stacked vertically.
    Raises ValueError for a cycle, a self-loop, an edge naming an unknown id, duplicate ids,
    a box without a positive size, or gaps that are negative (``layer_gap`` must be positive).
    """
    index = index_boxes(boxes, edges, layer_gap, node_gap)
    ids = [box.id for box in boxes]
    pairs = [(index[source], index[target]) for source, target in edges]
    succ: list[list[int]] = [[] for _ in ids]
    pred: list[list[int]] = [[] for _ in ids]
    for source, target in pairs:
        succ[source].append(target)
        pred[target].append(source)
    order = topological_order(succ, pred, ids)
    component = components(succ, pred)
    layer = assign_layers(order, succ, pred, component)
    graph = ProperGraph(layer, component, [box.height for box in boxes], pairs)

    column_widths = [0.0] * (max(layer, default=-1) + 1)
    for box, box_layer in zip(boxes, layer, strict=True):
        column_widths[box_layer] = max(column_widths[box_layer], box.width)
    column_lefts = [0.0] * len(column_widths)
    for k in range(1, len(column_widths)):
        column_lefts[k] = column_lefts[k - 1] + column_widths[k - 1] + layer_gap

    crossings, bottom = 0, -2 * node_gap
    center, top = [0.0] * len(graph.layer), [0.0] * len(graph.layer)
    for members in graph.members_by_component():
        layers = initial_order(members, graph)
        # Fewer rounds for a huge component, so that its time grows only linearly with it.
        size = len(members) + sum(len(graph.after[v]) for v in members)
        rounds = max(1, WORK_PER_ROUND // size)
        crossings += reduce_crossings(layers, graph, min(rounds, ORDER_ROUNDS))
        place(layers, graph, center, node_gap, min(rounds, PLACEMENT_ROUNDS))
        bottom = settle(layers, graph, center, top, bottom + 2 * node_gap, node_gap)

    placed = {}
    for v, box in enumerate(boxes):
        left, width = column_lefts[layer[v]], column_widths[layer[v]]
        x = left + (width - box.width) / 2
        if x + box.width > left + width:  # round-off, for a box a hair narrower than its column
            x = left
        placed[box.id] = PlacedBox(box.id, layer[v], x, top[v], box.width, box.height)
    columns = [
        (left, left + width) for left, width in zip(column_lefts, column_widths, strict=True)
    ]
    routed = tuple(
        RoutedEdge(source, target, points)
        for (source, target), points in zip(
            edges, polylines(graph, center, columns, [placed[i] for i in ids]), strict=True
        )
    )
    width = column_lefts[-1] + column_widths[-1] if column_widths else 0.0
    height = bottom if boxes else 0.0
    return GraphLayout(MappingProxyType(placed), routed, width, height, crossings)
