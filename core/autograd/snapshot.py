"""The autograd graph as plain data, for viewers: nodes, edges, shapes, saved tensors.

Nothing here refers back to live objects except ``node_id``, which maps a live node
(as the stepper's events carry) to its id in the snapshot. The walk is iterative,
so graphs thousands of nodes deep are fine.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from core.autograd.node import AccumulateGrad, Node, SavedTensor, gradient_edge
from core.autograd.record import CopySlices


@dataclass(frozen=True)
class TensorInfo:
    """What a viewer shows of a tensor: its shape and dtype name."""

    shape: tuple[int, ...]
    dtype: str


@dataclass(frozen=True)
class SavedInfo:
    """A tensor a node saved for backward; ``freed`` once a backward without retain_graph ran."""

    name: str
    tensor: TensorInfo | None
    freed: bool


@dataclass(frozen=True)
class NodeInfo:
    """One node: ``kind`` is "function", "leaf" (AccumulateGrad) or "copy_slices"."""

    id: int
    name: str
    kind: str
    sequence_nr: int | None
    formula: str
    inputs: tuple[TensorInfo | None, ...]
    outputs: tuple[TensorInfo, ...]
    saved: tuple[SavedInfo, ...]
    attributes: tuple[tuple[str, str], ...]
    variable: TensorInfo | None = None


@dataclass(frozen=True)
class EdgeInfo:
    """Gradient flows from ``source`` to output ``input_nr`` of ``target``.

    ``position`` is the edge's place in the source's ``next_functions``.
    """

    source: int
    target: int
    input_nr: int
    position: int


@dataclass(frozen=True)
class GraphSnapshot:
    """Nodes (each before the nodes it sends gradients to), edges and the root nodes' ids."""

    nodes: tuple[NodeInfo, ...]
    edges: tuple[EdgeInfo, ...]
    roots: tuple[int, ...]
    _ids: Mapping[int, int] = field(default_factory=dict, repr=False, compare=False)

    def node_id(self, node: Node) -> int | None:
        """The id of a live node (from a stepper event) in this snapshot, None if absent."""
        return self._ids.get(id(node))


def _info(meta: Any) -> TensorInfo | None:
    if meta is None:
        return None
    sizes, element_type = meta[0], meta[1]
    return TensorInfo(tuple(sizes), element_type.name)


def _tensor_info(tensor: Any) -> TensorInfo:
    return TensorInfo(tuple(tensor.shape), tensor.dtype.name)


def _describe(node: Node, node_id: int) -> NodeInfo:
    saved, attributes = [], []
    for key, value in node._saved.items():
        if type(value) is SavedTensor:
            tensor = value.tensor
            saved.append(
                SavedInfo(key, None if tensor is None else _tensor_info(tensor), tensor is None)
            )
        else:
            attributes.append((key, repr(value)))
    kind, variable = "function", None
    if type(node) is AccumulateGrad:
        kind, variable = "leaf", _tensor_info(node.variable)
    elif type(node) is CopySlices:
        kind = "copy_slices"
        attributes.append(("fn", node.fn.name()))
    return NodeInfo(
        id=node_id,
        name=node.name(),
        kind=kind,
        sequence_nr=None if kind == "leaf" else node.sequence_nr,
        formula=node.formula,
        inputs=tuple(_info(meta) for meta in node.input_metadata),
        outputs=tuple(_info(meta) for meta in node.output_metadata),
        saved=tuple(saved),
        attributes=tuple(attributes),
        variable=variable,
    )


def graph_snapshot(outputs: Any) -> GraphSnapshot:
    """The graph behind ``outputs`` (a tensor, a node, or several), breadth first from them."""
    starts = outputs if isinstance(outputs, (tuple, list)) else (outputs,)
    roots = [_root_node(value) for value in starts]
    ids: dict[int, int] = {}
    order: list[Node] = []
    for node in _unique(n for n in roots if n is not None):
        ids[id(node)] = len(order)
        order.append(node)
    edges = []
    index = 0
    while index < len(order):
        node = order[index]
        for position, (child, input_nr) in enumerate(node.next_functions):
            if child is None:
                continue
            if id(child) not in ids:
                ids[id(child)] = len(order)
                order.append(child)
            edges.append(EdgeInfo(ids[id(node)], ids[id(child)], input_nr, position))
        index += 1
    return GraphSnapshot(
        nodes=tuple(_describe(node, i) for i, node in enumerate(order)),
        edges=tuple(edges),
        roots=tuple(ids[id(n)] for n in _unique(n for n in roots if n is not None)),
        _ids=ids,
    )


def _root_node(value: Any) -> Node | None:
    """A tensor's grad_fn (or its AccumulateGrad when it is a leaf that requires grad)."""
    if isinstance(value, Node):
        return value
    return gradient_edge(value)[0]


def _unique(nodes: Iterable[Node]) -> list[Node]:
    return list({id(n): n for n in nodes}.values())
