"""Gaps between the columns of a laid-out graph, each as wide as its own labels need.

No Qt here. :func:`app.graph_layout.layered_layout` puts one gap between every two columns;
the graph panel writes gradients in the gaps, and a vector's values need more room than a
scalar's, so each gap is widened to what its labels need. Every x is moved by one
increasing map, so nothing that did not overlap comes to overlap and edges stay straight
where they were.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from app.graph_layout import GraphLayout, PlacedBox, RoutedEdge


@dataclass(frozen=True)
class Gap:
    """The space before column ``layer``: from ``start`` (the column before ends) to ``end``."""

    layer: int
    start: float
    end: float

    @property
    def middle(self) -> float:
        """Where a label in this gap is centred."""
        return (self.start + self.end) / 2


def column_gaps(layout: GraphLayout) -> dict[int, Gap]:
    """The gap before each column but the first, by the column's layer."""
    left: dict[int, float] = {}
    right: dict[int, float] = {}
    for box in layout.boxes.values():
        left[box.layer] = min(left.get(box.layer, box.x), box.x)
        right[box.layer] = max(right.get(box.layer, box.x + box.width), box.x + box.width)
    layers = sorted(left)
    return {
        layer: Gap(layer, right[before], left[layer])
        for before, layer in zip(layers, layers[1:], strict=False)
    }


def widen_gaps(layout: GraphLayout, wanted: Mapping[int, float]) -> GraphLayout:
    """``layout`` with the gap before each column ``layer`` at least ``wanted[layer]`` wide."""
    stretches = []
    for layer, gap in sorted(column_gaps(layout).items()):
        extra = wanted.get(layer, 0.0) - (gap.end - gap.start)
        if extra > 0:
            stretches.append((gap.start, gap.end, extra))
    if not stretches:
        return layout

    def moved(x: float) -> float:
        shift = 0.0
        for start, end, extra in stretches:
            if x >= end:
                shift += extra
            elif x > start:
                return x + shift + (x - start) * extra / max(end - start, 1e-9)
            else:
                break
        return x + shift

    boxes = {
        key: PlacedBox(box.id, box.layer, moved(box.x), box.y, box.width, box.height)
        for key, box in layout.boxes.items()
    }
    edges = tuple(
        RoutedEdge(edge.source, edge.target, tuple((moved(x), y) for x, y in edge.points))
        for edge in layout.edges
    )
    return GraphLayout(boxes, edges, moved(layout.width), layout.height, layout.crossings)
