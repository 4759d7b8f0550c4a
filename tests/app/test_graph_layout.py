"""The layered layout of the autograd graph panel: geometry checked from the output alone.

Every layout is checked by ``assert_well_formed``, which knows nothing of the algorithm: boxes
disjoint (``node_gap`` apart within a layer), columns ``layer_gap`` apart, edges pointing
right, polylines from the source's right side to the target's left side with x increasing,
never through a box, and the crossings recounted by brute force over the segments between
adjacent columns. Random DAGs come from hypothesis; small graphs have exact expectations.
"""

from __future__ import annotations

from collections.abc import Hashable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.graph_layout import Box, GraphLayout, PlacedBox, layered_layout

Edges = list[tuple[Hashable, Hashable]]


# -- an independent check of a layout -----------------------------------------------------------


def columns_of(layout: GraphLayout) -> list[tuple[float, float]]:
    """Each layer's (left, right): the extent of its boxes."""
    extents: dict[int, list[float]] = {}
    for box in layout.boxes.values():
        left, right = extents.setdefault(box.layer, [box.x, box.x + box.width])
        extents[box.layer] = [min(left, box.x), max(right, box.x + box.width)]
    assert sorted(extents) == list(range(len(extents))), "a layer without boxes"
    return [tuple(extents[k]) for k in range(len(extents))]


def recount_crossings(layout: GraphLayout) -> int:
    """Pairs of distinct segments between the same two adjacent columns whose ends are in
    opposite vertical order (segments shared by several edges count once)."""
    columns = columns_of(layout)
    gaps = {
        (right, next_left): k
        for k, ((_, right), (next_left, _)) in enumerate(zip(columns, columns[1:], strict=False))
    }
    segments: dict[int, set[tuple[float, float]]] = {}
    for edge in layout.edges:
        for (x0, y0), (x1, y1) in zip(edge.points, edge.points[1:], strict=False):
            if (x0, x1) in gaps:
                segments.setdefault(gaps[x0, x1], set()).add((y0, y1))
    count = 0
    for between in segments.values():
        ends = sorted(between)
        count += sum(
            1
            for i, (a0, a1) in enumerate(ends)
            for b0, b1 in ends[i + 1 :]
            if (a0 - b0) * (a1 - b1) < 0
        )
    return count


def overlap(a: PlacedBox, b: PlacedBox) -> bool:
    return (
        a.x < b.x + b.width
        and b.x < a.x + a.width
        and a.y < b.y + b.height
        and b.y < a.y + a.height
    )


def assert_well_formed(
    boxes: list[Box],
    edges: Edges,
    layout: GraphLayout,
    layer_gap: float = 60.0,
    node_gap: float = 16.0,
) -> None:
    placed = layout.boxes
    assert list(placed) == [box.id for box in boxes]
    for box in boxes:
        assert (placed[box.id].id, placed[box.id].width, placed[box.id].height) == (
            box.id,
            box.width,
            box.height,
        )
    assert layout.crossings == recount_crossings(layout)
    if not boxes:
        assert (layout.width, layout.height, layout.edges) == (0.0, 0.0, ())
        return

    columns = columns_of(layout)
    assert columns[0][0] == 0.0 and columns[-1][1] == pytest.approx(layout.width)
    for (_, right), (next_left, _) in zip(columns, columns[1:], strict=False):
        assert next_left - right == pytest.approx(layer_gap)
    by_layer: dict[int, list[PlacedBox]] = {}
    for box in placed.values():
        by_layer.setdefault(box.layer, []).append(box)
        assert box.y >= 0 and box.y + box.height <= layout.height + 1e-9
    for layer in by_layer.values():
        layer.sort(key=lambda box: box.y)
        for upper, lower in zip(layer, layer[1:], strict=False):
            assert lower.y - (upper.y + upper.height) >= node_gap - 1e-9
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not overlap(placed[a.id], placed[b.id]), (a.id, b.id)

    assert [(edge.source, edge.target) for edge in layout.edges] == list(edges)
    for edge in layout.edges:
        source, target = placed[edge.source], placed[edge.target]
        assert source.layer < target.layer
        (x0, y0), (x1, y1) = edge.points[0], edge.points[-1]
        assert x0 == source.x + source.width and source.y <= y0 <= source.y + source.height
        assert x1 == target.x and target.y <= y1 <= target.y + target.height
        for (xa, ya), (xb, yb) in zip(edge.points, edge.points[1:], strict=False):
            assert xa < xb
            assert 0 <= ya <= layout.height + 1e-9
            inside = [k for k, (left, right) in enumerate(columns) if left <= xa and xb <= right]
            if inside:  # a level run within a column passes through no other box
                assert ya == yb
                for box in by_layer[inside[0]]:
                    if box.id not in (edge.source, edge.target):
                        assert not box.y < ya < box.y + box.height, (edge, box)
            else:  # otherwise it crosses exactly one gap between columns
                assert any(
                    (xa, xb) == (right, next_left)
                    for (_, right), (next_left, _) in zip(columns, columns[1:], strict=False)
                ), (edge, xa, xb)


# -- graphs ---------------------------------------------------------------------------------------


def boxes_for(*names: Hashable, width: float = 60.0, height: float = 24.0) -> list[Box]:
    return [Box(name, width, height) for name in names]


def layers_of(layout: GraphLayout) -> dict[Hashable, int]:
    return {box.id: box.layer for box in layout.boxes.values()}


@st.composite
def dags(draw: st.DrawFn, max_nodes: int = 24) -> tuple[list[Box], Edges]:
    """A DAG in a random topological order, sizes varied, parallel edges allowed."""
    count = draw(st.integers(0, max_nodes))
    rank = draw(st.permutations(range(count)))
    sizes = st.tuples(st.floats(8, 150), st.floats(6, 60))
    boxes = [Box(f"n{i}", *draw(sizes)) for i in range(count)]
    edges: Edges = []
    if count >= 2:
        ends = st.tuples(st.integers(0, count - 1), st.integers(0, count - 1))
        for a, b in draw(st.lists(ends.filter(lambda p: p[0] != p[1]), max_size=3 * count)):
            first, second = (a, b) if rank[a] < rank[b] else (b, a)
            edges.append((f"n{first}", f"n{second}"))
    return boxes, edges


@st.composite
def forests(draw: st.DrawFn, max_nodes: int = 30) -> tuple[list[Box], Edges]:
    """Trees pointing to their roots (an autograd graph without reuse) or away from them."""
    count = draw(st.integers(1, max_nodes))
    parents = [
        draw(st.one_of(st.none(), st.integers(0, i - 1))) if i else None for i in range(count)
    ]
    towards_root = draw(st.booleans())
    edges: Edges = [
        (child, parent) if towards_root else (parent, child)
        for child, parent in enumerate(parents)
        if parent is not None
    ]
    return [Box(i, draw(st.floats(20, 100)), 24.0) for i in range(count)], edges


# -- random graphs ------------------------------------------------------------------------------


@settings(deadline=None)
@given(dags(), st.sampled_from([(60.0, 16.0), (10.0, 0.0), (120.0, 3.0)]))
def test_random_dags_are_laid_out_well_formed(graph: tuple[list[Box], Edges], gaps) -> None:
    boxes, edges = graph
    layer_gap, node_gap = gaps

    layout = layered_layout(boxes, edges, layer_gap=layer_gap, node_gap=node_gap)

    assert_well_formed(boxes, edges, layout, layer_gap, node_gap)


@settings(deadline=None)
@given(forests())
def test_trees_are_drawn_without_crossings(graph: tuple[list[Box], Edges]) -> None:
    boxes, edges = graph

    layout = layered_layout(boxes, edges)

    assert_well_formed(boxes, edges, layout)
    assert layout.crossings == 0


@settings(deadline=None, max_examples=20)
@given(dags())
def test_the_same_input_gives_the_same_layout(graph: tuple[list[Box], Edges]) -> None:
    boxes, edges = graph

    assert layered_layout(boxes, edges) == layered_layout(tuple(boxes), tuple(edges))


# -- small graphs, exact ------------------------------------------------------------------------


def test_micrograd_graph_is_drawn_in_four_layers_without_crossings() -> None:
    # L = (a*b + c)*f, values only: e = a*b, d = e + c, L = d*f.
    boxes = boxes_for("a", "b", "c", "f", "e", "d", "L")
    edges = [("a", "e"), ("b", "e"), ("e", "d"), ("c", "d"), ("d", "L"), ("f", "L")]

    layout = layered_layout(boxes, edges)

    assert_well_formed(boxes, edges, layout)
    assert layers_of(layout) == {"a": 0, "b": 0, "e": 1, "c": 1, "d": 2, "f": 2, "L": 3}
    assert layout.crossings == 0
    assert layout.width == 4 * 60 + 3 * 60


def test_micrograd_graph_with_grad_fn_nodes_has_no_crossings() -> None:
    boxes = boxes_for("a", "b", "c", "f", "Mul1", "e", "Add", "d", "Mul2", "L")
    edges = [
        ("a", "Mul1"),
        ("b", "Mul1"),
        ("Mul1", "e"),
        ("e", "Add"),
        ("c", "Add"),
        ("Add", "d"),
        ("d", "Mul2"),
        ("f", "Mul2"),
        ("Mul2", "L"),
    ]

    layout = layered_layout(boxes, edges)

    assert_well_formed(boxes, edges, layout)
    assert layout.crossings == 0
    # The leaves sit just before their use, not all at the far left.
    assert layers_of(layout)["f"] == layers_of(layout)["Mul2"] - 1 == 4


def test_a_leaf_used_only_late_sits_just_before_its_use() -> None:
    boxes = boxes_for("x", "f1", "f2", "f3", "w", "out")
    edges = [("x", "f1"), ("f1", "f2"), ("f2", "f3"), ("w", "f3"), ("f3", "out")]

    layout = layered_layout(boxes, edges)

    assert layers_of(layout) == {"x": 0, "f1": 1, "f2": 2, "w": 2, "f3": 3, "out": 4}


def test_a_node_with_more_inputs_than_outputs_is_pulled_left() -> None:
    # "late" sinks would sit in the last layer if laid out as late as possible.
    boxes = boxes_for("a", "b", "c", "d", "early")
    edges = [("a", "b"), ("b", "c"), ("c", "d"), ("a", "early")]

    layout = layered_layout(boxes, edges)

    assert layers_of(layout)["early"] == 1


def test_a_diamond_is_drawn_without_crossings_and_in_line() -> None:
    boxes = boxes_for("top", "left", "right", "bottom")
    edges = [("top", "right"), ("top", "left"), ("left", "bottom"), ("right", "bottom")]

    layout = layered_layout(boxes, edges)

    assert_well_formed(boxes, edges, layout)
    assert layout.crossings == 0
    centre = {name: box.y + box.height / 2 for name, box in layout.boxes.items()}
    assert centre["top"] == pytest.approx(centre["bottom"])
    assert centre["top"] == pytest.approx((centre["left"] + centre["right"]) / 2)


def test_complete_bipartite_graph_has_its_unavoidable_crossings() -> None:
    # Any two-layer drawing of K(3, 3) has C(3, 2) * C(3, 2) = 9 crossings.
    boxes = boxes_for("a0", "a1", "a2", "b0", "b1", "b2")
    edges = [(f"a{i}", f"b{j}") for i in range(3) for j in range(3)]

    layout = layered_layout(boxes, edges)

    assert_well_formed(boxes, edges, layout)
    assert layout.crossings == 9


def test_crossing_reduction_untangles_a_twisted_ladder() -> None:
    # In input order every rung crosses its neighbours; reversing one side removes them all.
    names = [f"a{i}" for i in range(5)] + [f"b{i}" for i in range(5)]
    edges = [(f"a{i}", f"b{4 - i}") for i in range(5)] + [(f"b{i}", "sink") for i in range(5)]
    boxes = boxes_for(*names, "sink")

    layout = layered_layout(boxes, edges)

    assert_well_formed(boxes, edges, layout)
    assert layout.crossings == 0


def test_parallel_edges_get_their_own_visible_polylines() -> None:
    # y = x * x: both inputs of the multiplication are x.
    boxes = boxes_for("x", "Mul", "y")
    edges = [("x", "Mul"), ("x", "Mul"), ("Mul", "y")]

    layout = layered_layout(boxes, edges)

    assert_well_formed(boxes, edges, layout)
    first, second = layout.edges[0].points, layout.edges[1].points
    assert first[0] != second[0] and first[-1] != second[-1]
    assert layout.crossings == 0


def test_a_long_edge_runs_level_through_the_columns_it_skips() -> None:
    boxes = boxes_for("a", "b", "c", "d", "e")
    edges = [("a", "b"), ("b", "c"), ("c", "d"), ("d", "e"), ("a", "e")]

    layout = layered_layout(boxes, edges)

    assert_well_formed(boxes, edges, layout)
    long_edge = layout.edges[-1].points
    heights = [y for _, y in long_edge[1:-1]]
    assert max(heights) - min(heights) < 1e-9
    assert len(long_edge) == 2 + 2 * 3  # both ends and a level run across each skipped column


def test_a_reused_weight_shares_one_bus_across_the_columns() -> None:
    # h = tanh(W @ h) three times: W's edges run together, then leave one by one.
    boxes = boxes_for("W", "h0", "Mm1", "h1", "Mm2", "h2", "Mm3", "h3")
    edges = [
        ("W", "Mm1"),
        ("h0", "Mm1"),
        ("Mm1", "h1"),
        ("W", "Mm2"),
        ("h1", "Mm2"),
        ("Mm2", "h2"),
        ("W", "Mm3"),
        ("h2", "Mm3"),
        ("Mm3", "h3"),
    ]

    layout = layered_layout(boxes, edges)

    assert_well_formed(boxes, edges, layout)
    assert layers_of(layout)["W"] == 0
    to_mm2, to_mm3 = layout.edges[3].points, layout.edges[6].points
    # One run across each column W skips; the edge to Mm3 follows the one to Mm2.
    assert to_mm3[: len(to_mm2) - 1] == to_mm2[:-1]
    assert layout.crossings == 0


def test_components_are_stacked_top_to_bottom_in_input_order() -> None:
    boxes = boxes_for("p", "q", "lone", "r", "s")
    edges = [("p", "q"), ("r", "s")]

    layout = layered_layout(boxes, edges, node_gap=10.0)

    assert_well_formed(boxes, edges, layout, node_gap=10.0)
    y = {name: box.y for name, box in layout.boxes.items()}
    assert y["p"] == y["q"] == 0.0
    assert y["lone"] == 24.0 + 2 * 10.0
    assert y["r"] == y["s"] == 2 * (24.0 + 2 * 10.0)
    assert layout.height == 3 * 24.0 + 4 * 10.0


def test_an_empty_graph_has_an_empty_layout() -> None:
    assert layered_layout([], []) == GraphLayout({}, (), 0.0, 0.0, 0)


def test_one_box_sits_at_the_origin() -> None:
    layout = layered_layout([Box("x", 30.0, 20.0)], [])

    assert layout.boxes["x"] == PlacedBox("x", 0, 0.0, 0.0, 30.0, 20.0)
    assert (layout.width, layout.height) == (30.0, 20.0)


# -- errors -------------------------------------------------------------------------------------


def test_a_cycle_is_refused_naming_its_nodes() -> None:
    boxes = boxes_for("in", "a", "b", "c")
    edges = [("in", "a"), ("a", "b"), ("b", "c"), ("c", "a")]

    with pytest.raises(ValueError, match="cycle: 'a' -> 'b' -> 'c' -> 'a'"):
        layered_layout(boxes, edges)


@pytest.mark.parametrize(
    ("boxes", "edges", "message"),
    [
        (boxes_for("a"), [("a", "a")], "'a' -> 'a' is a self-loop"),
        (boxes_for("a"), [("a", "z")], "names unknown box id 'z'"),
        (boxes_for("a", "b", "a"), [], "duplicate box id 'a'"),
        ([Box("a", 0.0, 10.0)], [], "box 'a' needs a positive, finite size"),
        ([Box("a", 10.0, float("nan"))], [], "box 'a' needs a positive, finite size"),
    ],
)
def test_bad_graphs_are_refused(boxes: list[Box], edges: Edges, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        layered_layout(boxes, edges)


@pytest.mark.parametrize(
    ("gaps", "message"),
    [
        ({"layer_gap": 0.0}, "layer_gap must be positive"),
        ({"node_gap": -1.0}, "node_gap must be non-negative"),
        ({"node_gap": float("inf")}, "node_gap must be non-negative and finite"),
    ],
)
def test_bad_gaps_are_refused(gaps: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        layered_layout(boxes_for("a"), [], **gaps)
