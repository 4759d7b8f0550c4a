"""The graph panel's model without Qt: the display graph, the stepped pass, gradient texts.

References: PyTorch 2.13 (grad_fn names, graph shape, final ``.grad`` of every template)
and core's own stepper run on a twin of the computation (what each step sends).
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field

import numpy as np
import pytest
import torch

import core
from app.autograd_graph import NODE_LIMIT, AutogradGraph, GradFnNode, TensorNode, short_name
from app.backward_pass import BackwardPass
from app.backward_session import SAVED_ELEMENTS_LISTED, saved_highlight
from app.code_text import statements, torch_code
from app.gradient_values import (
    SMALL_TENSOR,
    block_means,
    heat_map,
    number_text,
    typical_text,
    values_text,
)
from app.graph_gaps import column_gaps, widen_gaps
from app.graph_layout import Box, layered_layout
from app.graph_templates import (
    BACKWARD_TWICE,
    CHANGED_IN_PLACE,
    MICROGRAD,
    TEMPLATES,
    TWO_LAYER_MLP,
    USED_TWICE,
)
from app.step_description import describe_step
from core.autograd import (
    GradAccumulated,
    GradientsSent,
    NodeEntered,
    backward_steps,
    graph_snapshot,
)

WORKING_TEMPLATES = [t for t in TEMPLATES if t not in (BACKWARD_TWICE, CHANGED_IN_PLACE)]


# -- twins: the same code in a fresh core namespace, and in PyTorch -----------------------


def run_core(code: str, seed: int = 0) -> dict[str, object]:
    """``code`` run as the session runs it: seeded, one statement at a time."""
    core.manual_seed(seed)
    namespace: dict[str, object] = {"core": core, "torch": core}
    for statement in statements(code):
        exec(statement, namespace)
    return namespace


def run_twins(code: str, seed: int = 0) -> tuple[dict[str, object], dict[str, object]]:
    """``code`` in core and in PyTorch side by side; each leaf a statement makes is copied
    from core to PyTorch, so that random fills agree (their generators differ)."""
    core.manual_seed(seed)
    ours: dict[str, object] = {"core": core}
    theirs: dict[str, object] = {"torch": torch}
    for statement in statements(code):
        before_statement = dict(ours)
        exec(statement, ours)
        exec(torch_code(statement), theirs)
        for name, value in ours.items():
            made_now = before_statement.get(name) is not value
            if made_now and isinstance(value, core.Tensor) and value.is_leaf and name in theirs:
                before = theirs[name]
                if isinstance(before, torch.Tensor) and before.is_leaf:
                    copy = torch.tensor(value.numpy(force=True))
                    theirs[name] = copy.requires_grad_(value.requires_grad)
    return ours, theirs


def root_of(namespace: dict[str, object]) -> str:
    """The default root: the last named scalar that requires grad."""
    names = [
        n
        for n, v in namespace.items()
        if isinstance(v, core.Tensor) and v.requires_grad and v.numel() == 1
    ]
    return names[-1]


@dataclass
class TwinStep:
    """What core's stepper did at one node, in the display graph's ids."""

    node: tuple
    arriving: dict = field(default_factory=dict)
    sent: dict = field(default_factory=dict)
    grads: dict = field(default_factory=dict)
    """Every ``.grad`` filled so far (cumulative), by tensor node id."""


def twin_steps(code: str, root_name: str | None = None, seed: int = 0) -> list[TwinStep]:
    """Core's stepper on a twin of ``code``: one :class:`TwinStep` per node, as NumPy values."""
    namespace = run_core(code, seed)
    root = namespace[root_name or root_of(namespace)]
    snapshot = graph_snapshot(root)
    steps: list[TwinStep] = []
    grads: dict = {}
    for event in backward_steps(root, retain_graph=True):
        if type(event) is NodeEntered:
            number = snapshot.node_id(event.node)
            step = TwinStep(("grad_fn", number), grads=dict(grads))
            for output_nr, gradient in enumerate(event.gradients):
                if gradient is not None:
                    step.arriving[("made", number, output_nr)] = gradient.numpy().copy()
            steps.append(step)
        elif type(event) is GradientsSent:
            for position, gradient in enumerate(event.gradients):
                child = event.node.next_functions[position][0]
                if gradient is not None and child is not None:
                    steps[-1].sent[("used", number, position)] = gradient.numpy().copy()
        elif type(event) is GradAccumulated:
            tensor = event.tensor
            if tensor.grad_fn is None:
                owner = ("tensor", number, 0)
            else:
                owner = ("tensor", snapshot.node_id(tensor.grad_fn), tensor.output_nr)
            grads[owner] = event.after.numpy().copy()
            steps[-1].grads = dict(grads)
    return steps


def torch_names_breadth_first(root: torch.Tensor) -> list[str]:
    """PyTorch's grad_fn names, breadth first from the root, as graph_snapshot walks."""
    seen, order, queue = {root.grad_fn}, [], deque([root.grad_fn])
    while queue:
        node = queue.popleft()
        order.append(short_name(node.name()))
        for child, _ in node.next_functions:
            if child is not None and child not in seen:
                seen.add(child)
                queue.append(child)
    return order


def graph_of(code: str, root_name: str | None = None) -> tuple[AutogradGraph, dict]:
    namespace = run_core(code)
    name = root_name or root_of(namespace)
    return AutogradGraph(name, namespace[name], namespace), namespace


# -- the display graph ---------------------------------------------------------------


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.title)
def test_grad_fn_nodes_have_pytorch_names_in_pytorch_order(template):
    ours, theirs = run_twins(template.code)
    name = root_of(ours)

    graph = AutogradGraph(name, ours[name], ours)

    names = [node.name for node in graph.nodes.values() if isinstance(node, GradFnNode)]
    assert names == torch_names_breadth_first(theirs[name])


def test_edges_run_forward_from_leaves_to_the_root():
    graph, namespace = graph_of(MICROGRAD.code)

    tensors = {n.id: n for n in graph.nodes.values() if isinstance(n, TensorNode)}
    assert {n.name for n in tensors.values() if n.is_leaf} == {"a", "b", "c", "f"}
    assert {n.name for n in tensors.values() if not n.is_leaf} == {"e", "d", "L"}
    assert graph.nodes[graph.root].name == "L" and graph.nodes[graph.root].is_root
    for edge in graph.edges.values():
        if edge.id[0] == "made":
            assert edge.source[0] == "grad_fn" and edge.target[0] == "tensor"
        else:
            assert edge.source[0] == "tensor" and edge.target[0] == "grad_fn"
    sources = {edge.source for edge in graph.edges.values()}
    assert graph.root not in sources  # nothing comes after the loss
    # a and b feed e's MulBackward0, whose output is e:
    (mul,) = {e.target for e in graph.edges.values() if graph.nodes[e.source].name in "ab"}
    assert graph.nodes[mul].name == "MulBackward0"
    assert graph.nodes[("tensor", mul[1], 0)].name == "e"


def test_a_tensor_used_twice_has_one_node_and_an_edge_per_use():
    graph, _ = graph_of(USED_TWICE.code)

    (x,) = [n.id for n in graph.nodes.values() if isinstance(n, TensorNode) and n.name == "x"]
    uses = [e for e in graph.edges.values() if e.source == x]
    assert sorted(graph.nodes[e.target].name for e in uses) == [
        "AddBackward0",
        "MulBackward0",
        "MulBackward0",
    ]


def test_shapes_and_unnamed_outputs():
    graph, _ = graph_of(TWO_LAYER_MLP.code)

    shapes = {n.name: n.shape for n in graph.nodes.values() if isinstance(n, TensorNode)}
    assert shapes["w1"] == (3, 16) and shapes["h"] == (8, 16) and shapes["loss"] == ()
    assert shapes["out"] == (8,)
    assert shapes[None] in {(8, 1), (8, 16), (16, 1), (8,)}  # some outputs have no name


def test_local_rules_use_the_session_names():
    graph, namespace = graph_of(MICROGRAD.code)
    e_node = graph.nodes[("tensor", 0, 0)]
    assert e_node.name == "L"

    rules = {
        graph.nodes[("tensor", *node.id[1:], 0)].name: graph.local_rule(node.id, namespace)
        for node in graph.nodes.values()
        if isinstance(node, GradFnNode)
    }

    assert rules["e"] == "grad_a = grad · b\ngrad_b = grad · a"
    assert rules["d"] == "grad_e = grad\ngrad_c = grad"
    assert rules["a"] == "a.grad = a.grad + grad"


def test_local_rule_names_an_input_that_needs_no_grad_from_what_was_saved():
    graph, namespace = graph_of(
        "x = core.randn(4, 3); w = core.randn(3, 2, requires_grad=True)\nloss = (x @ w).sum()"
    )
    (mm,) = [n.id for n in graph.nodes.values() if n.name == "MmBackward0"]

    assert graph.local_rule(mm, namespace) == "grad_x = grad @ wᵀ\ngrad_w = xᵀ @ grad"


def test_a_root_that_needs_no_grad_has_no_graph():
    with pytest.raises(ValueError, match="does not require grad"):
        AutogradGraph("x", core.ones(2), {})


def test_saved_tensors_are_the_live_ones_and_freed_after_backward():
    graph, namespace = graph_of(MICROGRAD.code)
    (mul,) = [
        n.id
        for n in graph.nodes.values()
        if n.name == "MulBackward0" and graph.nodes[("tensor", n.id[1], 0)].name == "e"
    ]

    saved = graph.saved_tensors(mul)
    assert [(s.key, s.tensor) for s in saved] == [
        ("self", namespace["a"]),
        ("other", namespace["b"]),
    ]
    assert graph.nodes[graph.tensor_node_of(namespace["a"])].name == "a"
    assert graph.nodes[graph.tensor_node_of(namespace["e"])].name == "e"

    namespace["L"].backward()
    freed = graph.saved_tensors(mul)
    assert [s.tensor for s in freed] == [None, None]
    assert freed[0].problem.startswith("Trying to backward through the graph a second time")


def test_large_graphs_are_paged_around_the_current_node_fast():
    code = "x = core.ones(2, requires_grad=True)\ny = x\n" + "y = y * 1.5\n" * 400 + "s = y.sum()"
    namespace = run_core(code)
    started = time.perf_counter()
    graph = AutogradGraph("s", namespace["s"], namespace)
    page = graph.page(graph.root)
    elapsed = time.perf_counter() - started

    assert len(graph.nodes) > 800
    assert len(page.nodes) == NODE_LIMIT and graph.root in page.nodes
    assert not page.complete and sum(page.hidden_neighbours.values()) >= 1
    assert elapsed < 1.0
    # Stepping inside the page keeps it; reaching its edge turns it.
    inner = next(n for n in page.nodes if n not in page.hidden_neighbours and n != graph.root)
    assert graph.page(inner, page) is page
    (edge_node,) = page.hidden_neighbours
    turned = graph.page(edge_node, page)
    assert turned is not page and edge_node in turned.nodes


def test_a_weight_reused_in_a_loop_does_not_turn_the_page_at_every_step():
    # Through w every use is two hops from any node: paged through it, the page was a star
    # of frontier nodes and turned at almost every step (128 times in 303).
    code = "x = core.ones(2, requires_grad=True)\nw = core.tensor(0.5, requires_grad=True)\n"
    code += "h = x\n" + "h = (h * w).tanh()\n" * 150 + "s = h.sum()"
    graph, namespace = graph_of(code, "s")
    started = next(backward_steps(namespace["s"], retain_graph=True))

    page = first = graph.page(graph.root)
    turns = 0
    for node in started.order:
        turned = graph.page(graph.grad_fn_id(node), page)
        turns += turned is not page
        page = turned

    assert len(graph.nodes) > 2 * NODE_LIMIT
    assert turns <= 10
    (w,) = [n for n in graph.nodes.values() if n.id[0] == "tensor" and n.name == "w"]
    assert w.id in first.nodes and first.hidden_neighbours[w.id] > 0  # shown, uses hidden


def test_a_small_graph_is_one_page():
    graph, _ = graph_of(MICROGRAD.code)

    page = graph.page(graph.root)

    assert page.nodes == frozenset(graph.nodes) and page.complete


# -- the stepped pass ----------------------------------------------------------------


def assert_view_matches(view, expected: TwinStep | None, every: list[TwinStep]) -> None:
    """The pass view at a step shows exactly the twin's gradients and .grad values so far."""
    done = every[: every.index(expected) + 1] if expected is not None else []
    gradients: dict = {}
    for step in done:
        gradients.update(step.arriving)
        gradients.update(step.sent)
    assert view.current == (None if expected is None else expected.node)
    assert set(view.gradients) == set(gradients)
    for edge, values in gradients.items():
        np.testing.assert_array_equal(view.gradients[edge].numpy(), values, err_msg=str(edge))
    filled = expected.grads if expected is not None else {}
    for node, values in filled.items():
        np.testing.assert_array_equal(view.grads[node].numpy(), values, err_msg=str(node))


@pytest.mark.parametrize("template", WORKING_TEMPLATES, ids=lambda t: t.title)
def test_each_step_shows_what_cores_stepper_sent_forward_and_back(template):
    expected = twin_steps(template.code)
    graph, namespace = graph_of(template.code)
    backward_pass = BackwardPass(graph, namespace[graph.root_name])

    seen = []
    for step in expected:
        backward_pass.step()
        assert_view_matches(backward_pass.view(), step, expected)
        seen.append(backward_pass.view())
    assert backward_pass.finished
    for k in reversed(range(len(expected))):
        backward_pass.back_to(k)
        assert_view_matches(backward_pass.view(), expected[k - 1] if k else None, expected)


@pytest.mark.parametrize("template", WORKING_TEMPLATES, ids=lambda t: t.title)
def test_a_pass_to_its_end_gives_torchs_grads(template):
    ours, theirs = run_twins(template.code)
    name = root_of(ours)
    graph = AutogradGraph(name, ours[name], ours)

    BackwardPass(graph, ours[name]).run_to_end()
    theirs[name].backward()

    leaves = [
        n for n, t in ours.items() if isinstance(t, core.Tensor) and t.is_leaf and t.requires_grad
    ]
    assert leaves
    for leaf in leaves:
        np.testing.assert_allclose(
            ours[leaf].grad.numpy(), theirs[leaf].grad.numpy(), rtol=1e-5, atol=1e-6, err_msg=leaf
        )


def test_two_uses_arrive_summed_at_the_leaf():
    graph, namespace = graph_of(USED_TWICE.code)
    backward_pass = BackwardPass(graph, namespace["loss"])
    backward_pass.run_to_end()
    view = backward_pass.view()
    (x,) = [n.id for n in graph.nodes.values() if isinstance(n, TensorNode) and n.name == "x"]

    uses = [e.id for e in graph.edges.values() if e.source == x]
    summed = sum(view.gradients[e].numpy() for e in uses)
    arrived = view.gradients[("made", x[1], 0)].numpy()
    np.testing.assert_allclose(arrived, summed)
    np.testing.assert_allclose(arrived, 2 * np.array([1.0, -2.0, 3.0]) + 1)
    np.testing.assert_allclose(view.grads[x].numpy(), arrived)


def test_rewinding_puts_grad_back_and_a_second_pass_accumulates():
    graph, namespace = graph_of(MICROGRAD.code)
    first = BackwardPass(graph, namespace["L"])
    first.run_to_end()
    assert first.rewind() and namespace["a"].grad is None

    first.back_to(len(first.order))  # replayed to its end: a.grad is 6 again
    second = BackwardPass(graph, namespace["L"])
    second.run_to_end()

    assert float(namespace["a"].grad) == 12.0
    a_node = graph.tensor_node_of(namespace["a"])
    (accumulation,) = [a for r in second.records for a in r.accumulations if a.tensor == a_node]
    assert (float(accumulation.before), float(accumulation.after)) == (6.0, 12.0)
    assert not second.exact_rewind  # it added into a .grad that was there


def test_backward_twice_without_retain_graph_fails_with_torchs_message():
    ours, theirs = run_twins(BACKWARD_TWICE.code)
    graph = AutogradGraph("y", ours["y"], ours)
    backward_pass = BackwardPass(graph, ours["y"])

    backward_pass.run_to_end()
    with pytest.raises(RuntimeError) as expected:
        theirs["y"].backward()

    assert backward_pass.error.message == f"RuntimeError: {expected.value}"
    assert graph.nodes[backward_pass.error.node].name == "MulBackward0"
    assert backward_pass.view().current == backward_pass.error.node


def test_an_in_place_change_backward_needs_fails_with_torchs_message():
    ours, theirs = run_twins(CHANGED_IN_PLACE.code)
    graph = AutogradGraph("loss", ours["loss"], ours)
    backward_pass = BackwardPass(graph, ours["loss"])

    backward_pass.run_to_end()
    with pytest.raises(RuntimeError) as expected:
        theirs["loss"].backward()

    torch_message = str(expected.value).replace("torch.", "core.")
    ours_message = backward_pass.error.message.removeprefix("RuntimeError: ")
    # The same words up to the hint, which points to core's way of finding the op.
    assert ours_message.split(" Hint:")[0] == torch_message.split(" Hint:")[0]
    assert graph.nodes[backward_pass.error.node].name == "ExpBackward0"
    assert len(backward_pass.records) == 1  # SumBackward0 ran; ExpBackward0 failed


def test_a_non_scalar_root_cannot_start_with_torchs_message():
    namespace = run_core("x = core.ones(3, requires_grad=True); y = x * 2")
    graph = AutogradGraph("y", namespace["y"], namespace)
    backward_pass = BackwardPass(graph, namespace["y"])

    backward_pass.step()

    with pytest.raises(RuntimeError) as expected:
        (torch.ones(3, requires_grad=True) * 2).backward()
    assert backward_pass.error.message == f"RuntimeError: {expected.value}"
    assert backward_pass.error.node is None and backward_pass.shown_step == 0


def test_retained_grad_is_recorded_on_the_non_leaf():
    code = MICROGRAD.code + "\ne.retain_grad()"
    expected = twin_steps(code, "L")
    graph, namespace = graph_of(code, "L")
    backward_pass = BackwardPass(graph, namespace["L"])
    backward_pass.run_to_end()

    (e,) = [n.id for n in graph.nodes.values() if isinstance(n, TensorNode) and n.name == "e"]
    assert graph.nodes[e].retains_grad
    np.testing.assert_array_equal(backward_pass.view().grads[e].numpy(), expected[-1].grads[e])
    assert float(namespace["e"].grad) == -2.0


def test_the_step_is_described_with_its_rule_gradients_and_grad_change():
    graph, namespace = graph_of(MICROGRAD.code)
    backward_pass = BackwardPass(graph, namespace["L"])
    line = "L.backward()"
    assert describe_step(graph, backward_pass, namespace, line, 0).heading == f"Ready: {line}"

    for _ in range(6):
        backward_pass.step()  # ... MulBackward0 of e, then AccumulateGrad of a
    description = describe_step(graph, backward_pass, namespace, line, 0)

    assert description.heading == "Step 6 of 7 · AccumulateGrad"
    assert dict(description.rows) == {
        "rule": "a.grad = a.grad + grad",
        "arrives": "grad = 6.  (for a)",
        ".grad": "a.grad: None → 6.",
    }
    backward_pass.back_to(5)
    rows = describe_step(graph, backward_pass, namespace, line, 0).rows
    assert ("sends", "to a: 6.") in rows and ("sends", "to b: -4.") in rows


# -- gradient values ---------------------------------------------------------------


def test_values_are_written_as_pytorch_prints_them():
    assert values_text(core.tensor(6.0)) == "6."
    assert values_text(core.tensor([4.0, -6.5])) == "[4., -6.5]"
    assert values_text(core.tensor([[1, 2], [3, 4]])) == "[[1, 2], [3, 4]]"
    assert number_text(1 / 3) == "0.3333" and number_text(float("-inf")) == "-inf"
    assert number_text(1234.5) == "1234.5" and number_text(float("nan")) == "nan"
    assert typical_text((2,)) == "[-1.25, -1.25]"
    assert SMALL_TENSOR == 4


def test_a_heat_map_runs_blue_through_white_to_red():
    rgba = heat_map(core.tensor([[-2.0, 0.0, 2.0]]))

    assert rgba.shape == (1, 3, 4)
    blue, white, red = rgba[0, :, :3].astype(int)
    assert blue[2] > blue[0] and red[0] > red[2]
    assert white.min() > 240


def test_a_large_gradient_is_averaged_into_a_small_heat_map():
    values = np.arange(100 * 30, dtype=np.float64).reshape(100, 30)

    means = block_means(values, 12)

    assert means.shape == (12, 12)
    assert means.mean() == pytest.approx(values.mean(), rel=0.05)
    assert heat_map(core.ones(5, 40, 3)).shape == (12, 3, 4)


def test_each_gap_is_widened_to_what_its_labels_need():
    boxes = [Box(i, 50, 20) for i in range(4)]
    layout = layered_layout(boxes, [(0, 1), (1, 2), (2, 3), (0, 3)], layer_gap=40)

    wider = widen_gaps(layout, {1: 40, 2: 130, 3: 70})

    widths = {layer: gap.end - gap.start for layer, gap in column_gaps(wider).items()}
    assert widths == pytest.approx({1: 40, 2: 130, 3: 70})
    assert wider.width == pytest.approx(layout.width + 90 + 30)
    for before, after in zip(layout.edges, wider.edges, strict=True):
        xs = [x for x, _ in after.points]
        assert xs == sorted(xs) and [y for _, y in after.points] == [y for _, y in before.points]
        source, target = wider.boxes[after.source], wider.boxes[after.target]
        assert xs[0] == pytest.approx(source.x + source.width) and xs[-1] == pytest.approx(target.x)


@pytest.mark.parametrize(
    "make",
    [
        lambda: core.tensor(3.0),
        lambda: core.arange(24.0).view(2, 3, 4).permute(2, 0, 1)[1:],
        lambda: core.ones(1).expand(5, 7),
        lambda: core.arange(400_000.0).view(1000, 400).t()[::2],  # more than are listed
    ],
    ids=["0-d", "permuted slice", "expanded", "large transposed"],
)
def test_a_saved_tensor_lights_the_storage_its_first_elements_read(make):
    tensor = make()
    highlight = saved_highlight(tensor, "saved")

    count = min(tensor.numel(), SAVED_ELEMENTS_LISTED)
    reads = np.asarray(tensor.storage_indices()).reshape(-1)[:count]
    assert highlight.storage.tolist() == np.unique(reads).tolist()
    assert len(highlight.logical) == count
