"""The autograd graph as the graph panel draws it: tensors and grad_fn nodes, data flowing right.

No Qt here. Built from ``core.autograd.graph_snapshot`` and the session's names:

- a *grad_fn node* for each node of the graph, with PyTorch's name (``MulBackward0``,
  ``AccumulateGrad``, ``CopySlices``);
- a *tensor node* for each output of a node that the graph uses: a leaf is the output of
  its ``AccumulateGrad``, a non-leaf the output of its ``grad_fn``, named where the
  session has a name for it;
- edges in the forward (data-flow) direction, so leaves sit left and the loss right: a
  ``made`` edge from a node to a tensor it made, a ``used`` edge from a tensor to the
  node that used it. Gradients travel them right to left: what a node sends along
  ``next_functions[i]`` runs on its ``used`` edge at position i, and what arrives at a
  node's output (everything sent to that tensor, summed) on the ``made`` edge.

A graph of more than :data:`NODE_LIMIT` nodes is shown a page at a time
(:meth:`AutogradGraph.page`).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field

import core
from core.autograd import AccumulateGrad, Node, SavedInfo, graph_snapshot
from core.autograd.node import gradient_edge

NodeId = tuple
"""``("grad_fn", k)`` for node k of the snapshot, ``("tensor", k, output_nr)`` for its output."""
EdgeId = tuple
"""``("made", k, output_nr)`` or ``("used", k, position in next_functions)``."""

NODE_LIMIT = 240
"""Above this many nodes the panel shows the ones nearest the current node, a page at a time:
the layout stays well under a second and the picture stays readable."""
HUB_NEIGHBOURS = 8
"""A node with more neighbours than this (a tensor used at every step of a loop) is a hub: a
page shows it, but reaches past it only once the nodes around the focus run out."""


@dataclass(frozen=True)
class GradFnNode:
    """A node of the backward graph: ``name`` is PyTorch's, without its namespace."""

    id: NodeId
    name: str
    formula: str
    saved: tuple[SavedInfo, ...]
    is_accumulator: bool


@dataclass(frozen=True)
class TensorNode:
    """A tensor the graph carries: a leaf (made by its AccumulateGrad) or a node's output."""

    id: NodeId
    producer: NodeId
    shape: tuple[int, ...]
    dtype: str
    name: str | None
    is_leaf: bool
    is_root: bool
    retains_grad: bool

    @property
    def shape_text(self) -> str:
        """The shape as Python writes the tuple: ``(2, 3)``, ``(3,)``, ``()``."""
        return str(self.shape)

    @property
    def first_name(self) -> str | None:
        """The first of the session's names for this tensor (``name`` lists them all)."""
        return None if self.name is None else self.name.split(", ")[0]


@dataclass(frozen=True)
class GraphEdge:
    """Data flows from ``source`` to ``target``; gradients come back the other way."""

    id: EdgeId
    source: NodeId
    target: NodeId


@dataclass(frozen=True)
class SavedTensorView:
    """A tensor a node saved for backward: live, or None with the reason (freed, changed)."""

    key: str
    tensor: core.Tensor | None
    problem: str | None


@dataclass(frozen=True)
class Page:
    """The nodes shown, and for each shown node how many of its neighbours are not.

    ``topology`` is the graph's it was made for (see :attr:`AutogradGraph.topology`).
    """

    nodes: frozenset
    hidden_neighbours: Mapping[NodeId, int] = field(default_factory=dict)
    topology: tuple = ()

    @property
    def complete(self) -> bool:
        """True when every node of the graph is shown."""
        return not self.hidden_neighbours


def short_name(qualified: str) -> str:
    """``core::autograd::AccumulateGrad`` → ``AccumulateGrad`` (PyTorch's last part)."""
    return qualified.rsplit("::", 1)[-1]


class AutogradGraph:
    """The graph behind the tensor ``root`` (named ``root_name``), as the panel draws it.

    Raises
    ------
    ValueError
        When ``root`` does not require grad: it has no graph.
    """

    def __init__(self, root_name: str, root: core.Tensor, names: Mapping[str, object]) -> None:
        if not root.requires_grad:
            raise ValueError(f"{root_name} does not require grad, so it has no backward graph")
        self.root_name = root_name
        self.snapshot = snapshot = graph_snapshot(root)
        self._live = self._live_nodes(root)
        root_node, root_number = gradient_edge(root)
        root_slot = (snapshot.node_id(root_node), root_number)
        slot_names = self._slot_names(names)
        self.nodes: dict[NodeId, GradFnNode | TensorNode] = {}
        self.edges: dict[EdgeId, GraphEdge] = {}
        slots = [root_slot] + [(edge.target, edge.input_nr) for edge in snapshot.edges]
        for info in snapshot.nodes:
            node_id = ("grad_fn", info.id)
            self.nodes[node_id] = GradFnNode(
                node_id, short_name(info.name), info.formula, info.saved, info.kind == "leaf"
            )
        for slot in dict.fromkeys(slots):
            self._add_tensor(slot, slot == root_slot, slot_names.get(slot))
        for edge in snapshot.edges:
            edge_id = ("used", edge.source, edge.position)
            self.edges[edge_id] = GraphEdge(
                edge_id, ("tensor", edge.target, edge.input_nr), ("grad_fn", edge.source)
            )
        self.root: NodeId = ("tensor", *root_slot)
        self.topology = (
            tuple((node.id, node.name) for node in self.nodes.values() if node.id[0] == "grad_fn"),
            tuple((e.id, e.source, e.target) for e in self.edges.values()),
        )
        """Equal for two graphs that differ at most in names: a pass recorded on one shows on
        the other."""
        self._neighbours: dict[NodeId, list[NodeId]] = {node: [] for node in self.nodes}
        for edge in self.edges.values():
            self._neighbours[edge.source].append(edge.target)
            self._neighbours[edge.target].append(edge.source)

    # -- building ------------------------------------------------------------------

    def _live_nodes(self, root: core.Tensor) -> dict[int, Node]:
        """Each snapshot id's live node (the snapshot keeps ids only)."""
        start = gradient_edge(root)[0]
        live = {self.snapshot.node_id(start): start}
        queue = deque([start])
        while queue:
            for child, _ in queue.popleft().next_functions:
                if child is None:
                    continue
                child_id = self.snapshot.node_id(child)
                if child_id not in live:
                    live[child_id] = child
                    queue.append(child)
        return live

    def _slot_names(self, names: Mapping[str, object]) -> dict[tuple[int, int], str]:
        """``"y"`` (or ``"y, z"``) for each output the session names."""
        leaves = {
            id(node.variable): number
            for number, node in self._live.items()
            if type(node) is AccumulateGrad
        }
        found: dict[tuple[int, int], list[str]] = {}
        for name, tensor in names.items():
            if not isinstance(tensor, core.Tensor) or not tensor.requires_grad:
                continue
            if tensor.grad_fn is not None:
                slot = (self.snapshot.node_id(tensor.grad_fn), tensor.output_nr)
            else:
                slot = (leaves.get(id(tensor)), 0)
            if slot[0] is not None:
                found.setdefault(slot, []).append(name)
        return {slot: ", ".join(listed) for slot, listed in found.items()}

    def _add_tensor(self, slot: tuple[int, int], is_root: bool, name: str | None) -> None:
        number, output_nr = slot
        info = self.snapshot.nodes[number]
        is_leaf = info.kind == "leaf"
        meta = info.variable if is_leaf else info.outputs[output_nr]
        retained = self._live[number].retained.get(output_nr)
        tensor_id = ("tensor", number, output_nr)
        self.nodes[tensor_id] = TensorNode(
            tensor_id,
            ("grad_fn", number),
            meta.shape,
            meta.dtype,
            name,
            is_leaf,
            is_root,
            retained is not None and retained() is not None,
        )
        made = ("made", number, output_nr)
        self.edges[made] = GraphEdge(made, ("grad_fn", number), tensor_id)

    # -- from the stepper's live objects to ids ------------------------------------------

    def grad_fn_id(self, node: Node) -> NodeId | None:
        """The id of a live node (as the stepper's events carry), None if not in this graph."""
        number = self.snapshot.node_id(node)
        return None if number is None else ("grad_fn", number)

    def live_grad_fn(self, node_id: NodeId) -> Node:
        """The live node behind a grad_fn node id."""
        return self._live[node_id[1]]

    def made_edge(self, node_id: NodeId, output_nr: int) -> EdgeId | None:
        """The edge from grad_fn node ``node_id`` to its output ``output_nr``, if drawn."""
        edge = ("made", node_id[1], output_nr)
        return edge if edge in self.edges else None

    def used_edge(self, node_id: NodeId, position: int) -> EdgeId | None:
        """The edge a gradient sent along ``next_functions[position]`` of the node runs on."""
        edge = ("used", node_id[1], position)
        return edge if edge in self.edges else None

    def grad_owner(self, node_id: NodeId, tensor: core.Tensor) -> NodeId | None:
        """The tensor node whose ``.grad`` the step of ``node_id`` filled: its leaf's, or the
        output that retains its grad."""
        node = self.live_grad_fn(node_id)
        if type(node) is AccumulateGrad:
            return ("tensor", node_id[1], 0)
        for output_nr, ref in node.retained.items():
            if ref() is tensor:
                return ("tensor", node_id[1], output_nr)
        return None

    def tensor_node_of(self, tensor: core.Tensor) -> NodeId | None:
        """The tensor node that ``tensor`` is, if the graph carries it."""
        if tensor.grad_fn is not None:
            number = self.snapshot.node_id(tensor.grad_fn)
            node_id = ("tensor", number, tensor.output_nr)
        else:
            number = next(
                (
                    k
                    for k, node in self._live.items()
                    if type(node) is AccumulateGrad and node.variable is tensor
                ),
                None,
            )
            node_id = ("tensor", number, 0)
        return node_id if node_id in self.nodes else None

    # -- what a click shows ---------------------------------------------------------

    def live_tensor(self, node_id: NodeId, names: Mapping[str, object]) -> tuple:
        """``(tensor, name)`` for a tensor node: by its name, else the leaf itself, else the
        tensor a node saved or retains; ``(None, None)`` when nothing keeps it alive."""
        node = self.nodes[node_id]
        if node.name is not None:
            for name in node.name.split(", "):
                if isinstance(names.get(name), core.Tensor):
                    return names[name], name
        producer = self._live[node_id[1]]
        output_nr = node_id[2]
        if type(producer) is AccumulateGrad:
            return producer.variable, None
        retained = producer.retained.get(output_nr)
        if retained is not None and retained() is not None:
            return retained(), None
        for other in self.nodes:
            if other[0] != "grad_fn":
                continue
            for saved in self.saved_tensors(other):
                tensor = saved.tensor
                if (
                    tensor is not None
                    and tensor.grad_fn is producer
                    and tensor.output_nr == output_nr
                ):
                    return tensor, None
        return None, None

    def saved_tensors(self, node_id: NodeId) -> tuple[SavedTensorView, ...]:
        """The tensors grad_fn node ``node_id`` saved for backward: what autograd keeps alive."""
        node = self.live_grad_fn(node_id)
        views = []
        for saved in self.nodes[node_id].saved:
            try:
                tensor = getattr(node, f"_saved_{saved.name}")
            except RuntimeError as error:  # freed, or changed in place since it was saved
                views.append(SavedTensorView(saved.name, None, str(error).split(". ")[0] + "."))
                continue
            views.append(SavedTensorView(saved.name, tensor, None))
        return tuple(views)

    def local_rule(self, node_id: NodeId, names: Mapping[str, object]) -> str:
        """The node's chain rule with the session's names: ``grad_a = grad · b``.

        PyTorch's parameter names (``self``, ``other``, ``mat2``) are replaced by the name
        of the tensor each input is, where the session has one.
        """
        node = self.nodes[node_id]
        live = self.live_grad_fn(node_id)
        if node.is_accumulator:
            name = self.nodes[("tensor", node_id[1], 0)].first_name
            return node.formula.replace("leaf", name) if name else node.formula
        lines = node.formula.splitlines()
        params = [re.match(r"grad_(\w+) =", line) for line in lines]
        if not all(params) or len(params) != len(live.next_functions):
            return node.formula
        renames = {}
        for position, match in enumerate(params):
            name = self._input_name(live, position, match.group(1), names)
            if name is not None:
                renames[match.group(1)] = name
        if not renames:
            return node.formula
        # ASCII word edges: "mat2ᵀ" is mat2 transposed, though ᵀ counts as a letter for \b.
        words = "|".join(map(re.escape, renames))
        pattern = rf"(?<![A-Za-z0-9_])(grad_)?({words})(?![A-Za-z0-9_])"
        return re.sub(pattern, lambda m: (m.group(1) or "") + renames[m.group(2)], node.formula)

    def _input_name(
        self, live: Node, position: int, param: str, names: Mapping[str, object]
    ) -> str | None:
        child, input_nr = live.next_functions[position]
        if child is not None:
            return self.nodes[("tensor", self.snapshot.node_id(child), input_nr)].first_name
        # An input that needs no grad has no edge; a saved copy of it can still be named.
        try:
            saved = getattr(live, f"_saved_{param}")
        except (AttributeError, RuntimeError):
            return None
        return next((n for n, t in names.items() if t is saved), None)

    # -- large graphs -----------------------------------------------------------------

    def page(self, focus: NodeId, previous: Page | None = None, limit: int = NODE_LIMIT) -> Page:
        """The nodes to show around ``focus``: all of them, up to ``limit``; else the ``limit``
        nearest ``focus`` (breadth first, either direction).

        ``previous`` is kept while ``focus`` is on it with all its neighbours, so stepping
        turns the page only when the current node reaches its edge.
        """
        if len(self.nodes) <= limit:
            return Page(frozenset(self.nodes), {}, self.topology)
        if (
            previous is not None
            and previous.topology == self.topology
            and focus in previous.nodes
            and focus not in previous.hidden_neighbours
        ):
            return previous
        # A hub (a weight reused at every step of a loop) is shown but entered last: through
        # it every use would be two hops away, and the page a star of frontier nodes that
        # turns at every step, rather than the stretch of graph around the focus.
        shown = {focus: None}
        queue, hubs = deque([focus]), deque()
        while (queue or hubs) and len(shown) < limit:
            node = queue.popleft() if queue else hubs.popleft()
            for neighbour in self._neighbours[node]:
                if neighbour not in shown and len(shown) < limit:
                    shown[neighbour] = None
                    is_hub = len(self._neighbours[neighbour]) > HUB_NEIGHBOURS
                    (hubs if is_hub else queue).append(neighbour)
        hidden = {}
        for node in shown:
            count = sum(1 for n in self._neighbours[node] if n not in shown)
            if count:
                hidden[node] = count
        return Page(frozenset(shown), hidden, self.topology)
