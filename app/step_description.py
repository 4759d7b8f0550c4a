"""The graph panel's words for the step shown: the node, its local rule, what arrives, what
is sent where, and what went into ``.grad``.

No Qt here: plain lines (a heading, then ``(label, text)`` rows) the panel formats.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import core
from app.autograd_graph import AutogradGraph, NodeId, TensorNode
from app.backward_pass import BackwardPass
from app.gradient_values import is_small, values_text
from app.i18n import translate


@dataclass(frozen=True)
class StepDescription:
    """A heading (``Step 3 of 7 · MulBackward0``) and rows such as ``("rule", "grad_a = …")``."""

    heading: str
    rows: tuple[tuple[str, str], ...] = ()


def gradient_text(gradient: core.Tensor | None) -> str:
    """Small gradients by value; larger ones by shape (their values show on the edge's hover)."""
    if gradient is None:
        return "None"
    if is_small(gradient):
        return values_text(gradient)
    return translate("StepDescription", "{shape} values (hover its edge)").format(
        shape=tuple(gradient.shape)
    )


def tensor_label(graph: AutogradGraph, node_id: NodeId) -> str:
    """A tensor node's name, or its shape and maker when it has none."""
    node: TensorNode = graph.nodes[node_id]
    if node.name:
        return node.first_name
    if node.is_leaf:
        return translate("StepDescription", "leaf {shape}").format(shape=node.shape_text)
    return translate("StepDescription", "{shape} output of {node}").format(
        shape=node.shape_text, node=graph.nodes[node.producer].name
    )


def describe_step(
    graph: AutogradGraph,
    backward_pass: BackwardPass,
    names: Mapping[str, object],
    line: str,
    calls: int,
) -> StepDescription:
    """What the panel says about ``backward_pass`` at its shown step.

    ``line`` is the ``backward()`` line the pass joins the history as; ``calls`` how many
    such calls on the root the history holds already.
    """
    error = backward_pass.error
    if not backward_pass.started:
        if calls == 0:
            ready = translate("StepDescription", "Ready: {line}").format(line=line)
        else:
            ready = translate("StepDescription", "Ready: {line} (call {number}: adds to .grad)")
            ready = ready.format(line=line, number=calls + 1)
        hint = translate(
            "StepDescription", "Step (→) runs the first node; Play (Space) runs them on a timer."
        )
        return StepDescription(ready, ((translate("StepDescription", "next"), hint),))
    if error is not None and error.node is None:
        return StepDescription(
            translate("StepDescription", "{line} cannot start: see the error below").format(
                line=line
            )
        )
    total = len(backward_pass.order)
    if error is not None:
        node = graph.nodes[error.node]
        rows = [(translate("StepDescription", "rule"), graph.local_rule(error.node, names))]
        rows += _arriving_rows(graph, error.arriving)
        heading = translate(
            "StepDescription", "Step {number} of {count} · {node} failed (see below)"
        ).format(number=backward_pass.shown_step, count=total, node=node.name)
        return StepDescription(heading, tuple(rows))
    record = backward_pass.records[-1]
    node = graph.nodes[record.node]
    rows = [(translate("StepDescription", "rule"), graph.local_rule(record.node, names))]
    rows += _arriving_rows(graph, record.arriving)
    for edge_id, gradient in record.sent.items():
        target = tensor_label(graph, graph.edges[edge_id].source)
        sent = translate("StepDescription", "to {target}: {gradient}")
        rows.append(
            (
                translate("StepDescription", "sends"),
                sent.format(target=target, gradient=gradient_text(gradient)),
            )
        )
    for accumulation in record.accumulations:
        owner = tensor_label(graph, accumulation.tensor)
        before = gradient_text(accumulation.before)
        after = gradient_text(accumulation.after)
        rows.append((".grad", f"{owner}.grad: {before} → {after}"))
    if backward_pass.finished:
        done = translate(
            "StepDescription",
            "{line} is in the history. Step again for another backward call.",
        )
        if backward_pass.committed is None:
            done = translate("StepDescription", "{line} ran to the end.")
        rows.append((translate("StepDescription", "done"), done.format(line=line)))
    heading = translate("StepDescription", "Step {number} of {count} · {node}").format(
        number=backward_pass.shown_step, count=total, node=node.name
    )
    return StepDescription(heading, tuple(rows))


def _arriving_rows(graph: AutogradGraph, arriving: Mapping) -> list[tuple[str, str]]:
    rows = []
    several = len(arriving) > 1
    for edge_id, gradient in arriving.items():
        which = f"grad[{edge_id[2]}]" if several else "grad"
        owner = tensor_label(graph, graph.edges[edge_id].target)
        arrived = translate("StepDescription", "{which} = {gradient}  (for {owner})")
        arrived = arrived.format(which=which, gradient=gradient_text(gradient), owner=owner)
        rows.append((translate("StepDescription", "arrives"), arrived))
    return rows
