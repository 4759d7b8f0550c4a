"""Step 3 of the layout: the order of the nodes within each layer, reduced towards fewer edge
crossings, and the crossings counted."""

from __future__ import annotations

from bisect import bisect_right

from app.graph_layout.layering import ProperGraph

STALE_ROUNDS = 2
"""Stop ordering after this many rounds in a row that remove under 1% of the crossings."""
TRANSPOSE_PASSES = 4
BISECT_INVERSIONS = 4096
"""Inversions among at most this many edges are counted by bisection, more by a Fenwick tree."""


def initial_order(members: list[int], graph: ProperGraph) -> list[list[int]]:
    """A component's layers in depth-first preorder, from whichever end has fewer roots.

    Preorder from the root of a tree (an autograd graph without reuse) has no crossings.
    """
    layers: list[list[int]] = [[] for _ in range(max(graph.layer[v] for v in members) + 1)]
    boxes = [v for v in members if v < graph.real_count]
    sources = [v for v in boxes if not graph.up[v]]
    sinks = [v for v in boxes if not graph.down[v]]
    downwards = len(sources) < len(sinks)
    seen = set()
    for root in sources if downwards else sinks:
        stack = [root]
        while stack:
            v = stack.pop()
            if v not in seen:
                seen.add(v)
                layers[graph.layer[v]].append(v)
                stack.extend(reversed(graph.after[v] if downwards else graph.before[v]))
    _number(layers, graph)
    return layers


def _number(layers: list[list[int]], graph: ProperGraph) -> None:
    for nodes in layers:
        for i, v in enumerate(nodes):
            graph.pos[v] = i


def reduce_crossings(layers: list[list[int]], graph: ProperGraph, rounds: int) -> int:
    """Reorder ``layers`` in place towards fewer crossings; return how many are left."""
    # crossings[k]: between layers k and k + 1, kept up to date by every move.
    crossings = [_layer_crossings(layers, k, graph) for k in range(len(layers) - 1)]
    best, best_layers, stale = sum(crossings), [nodes[:] for nodes in layers], 0
    for _ in range(rounds):
        if best == 0 or stale >= STALE_ROUNDS:
            break
        for k in range(1, len(layers)):
            _sort_by_barycenter(layers, k, graph, graph.before, crossings)
        for k in range(len(layers) - 2, -1, -1):
            _sort_by_barycenter(layers, k, graph, graph.after, crossings)
        _transpose(layers, graph, crossings)
        # A round that removes under 1% of the crossings left hardly pays for itself.
        stale = stale + 1 if best - sum(crossings) < best / 100 else 0
        if sum(crossings) < best:
            best, best_layers = sum(crossings), [nodes[:] for nodes in layers]
    layers[:] = best_layers
    _number(layers, graph)
    return best


def _sort_by_barycenter(
    layers: list[list[int]],
    k: int,
    graph: ProperGraph,
    neighbours: list[list[int]],
    crossings: list[int],
) -> None:
    """Sort layer k by the mean position of each node's ``neighbours`` in an adjacent layer
    (a node without any there keeps its position), unless that adds crossings around it."""
    nodes, pos = layers[k], graph.pos
    old = nodes[:]

    def key(v: int) -> tuple[float, int]:
        others = neighbours[v]
        return (sum(pos[w] for w in others) / len(others) if others else pos[v], pos[v])

    nodes.sort(key=key)
    if nodes == old:
        return
    _number([nodes], graph)
    pairs = [j for j in (k - 1, k) if 0 <= j < len(crossings)]
    new = [_layer_crossings(layers, j, graph) for j in pairs]
    if sum(new) > sum(crossings[j] for j in pairs):
        nodes[:] = old
        _number([nodes], graph)
    else:
        for j, count in zip(pairs, new, strict=True):
            crossings[j] = count


def _transpose(layers: list[list[int]], graph: ProperGraph, crossings: list[int]) -> None:
    """Swap neighbours in a layer wherever that alone removes crossings, a few passes, each
    over the layers next to a swap of the pass before."""
    pos, dirty = graph.pos, [True] * len(layers)
    for _ in range(TRANSPOSE_PASSES):
        for k, nodes in enumerate(layers):
            if not dirty[k]:
                continue
            dirty[k] = False
            # Sorted neighbour positions on each side; they stay put while this layer moves.
            sides = [
                (
                    sorted(map(pos.__getitem__, graph.before[v])),
                    sorted(map(pos.__getitem__, graph.after[v])),
                )
                for v in nodes
            ]
            for i in range(len(nodes) - 1):
                (v_up, v_down), (w_up, w_down) = sides[i], sides[i + 1]
                up = _pair_crossings(w_up, v_up) - _pair_crossings(v_up, w_up)
                down = _pair_crossings(w_down, v_down) - _pair_crossings(v_down, w_down)
                if up + down < 0:
                    nodes[i], nodes[i + 1] = nodes[i + 1], nodes[i]
                    sides[i], sides[i + 1] = sides[i + 1], sides[i]
                    pos[nodes[i]], pos[nodes[i + 1]] = i, i + 1
                    if k > 0:
                        crossings[k - 1] += up
                    if k < len(crossings):
                        crossings[k] += down
                    for j in (k - 1, k, k + 1):
                        if 0 <= j < len(layers):
                            dirty[j] = True
        if not any(dirty):
            break


def _pair_crossings(above: list[int], below: list[int]) -> int:
    """Crossings between the edges of a node and those of the node just below it, given the
    sorted positions of their neighbours in one adjacent layer: pairs with above > below."""
    if not above or not below or above[-1] <= below[0]:
        return 0
    count = j = 0
    for p in above:
        while j < len(below) and below[j] < p:
            j += 1
        count += j
    return count


def _layer_crossings(layers: list[list[int]], k: int, graph: ProperGraph) -> int:
    """Edge crossings between layers k and k + 1 (none outside the layers): the inversions
    among the edges' target positions, edges taken in order of source, then target."""
    if not 0 <= k < len(layers) - 1:
        return 0
    pos, targets = graph.pos, []
    for v in layers[k]:
        targets.extend(sorted(map(pos.__getitem__, graph.after[v])))
    return _inversions(targets, len(layers[k + 1]))


def _inversions(values: list[int], size: int) -> int:
    """Pairs i < j with values[i] > values[j], for values in range(size)."""
    if len(values) <= BISECT_INVERSIONS:
        # Bisection into a sorted list: quadratic copying, but done in C, so faster here.
        seen: list[int] = []
        count = 0
        for value in values:
            at = bisect_right(seen, value)
            count += len(seen) - at
            seen.insert(at, value)
        return count
    tree = [0] * (size + 1)  # a Fenwick tree over the values
    count = 0
    for seen_count, value in enumerate(values):
        i, at_most = value + 1, 0
        while i > 0:
            at_most += tree[i]
            i -= i & -i
        count += seen_count - at_most
        i = value + 1
        while i <= size:
            tree[i] += 1
            i += i & -i
    return count
