"""Computations to step through, one menu entry each: the graph panel's Templates menu.

No Qt here. Each template is session code (``core.`` lines that also run in PyTorch with
``import torch``); the last scalar it makes that requires grad is the one to call
backward on.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.i18n import QT_TRANSLATE_NOOP


@dataclass(frozen=True)
class GraphTemplate:
    """A menu entry: its ``title`` and the ``code`` it runs, one history line per statement.

    ``title`` is the English text, marked for translation in the context "GraphTemplate":
    a menu shows ``translate("GraphTemplate", template.title)``.
    """

    title: str
    code: str


MICROGRAD = GraphTemplate(
    QT_TRANSLATE_NOOP("GraphTemplate", "Scalar expression (micrograd): L = (a·b + c)·f"),
    "a = core.tensor(2.0, requires_grad=True)\n"
    "b = core.tensor(-3.0, requires_grad=True)\n"
    "c = core.tensor(10.0, requires_grad=True)\n"
    "f = core.tensor(-2.0, requires_grad=True)\n"
    "e = a * b\n"
    "d = e + c\n"
    "L = d * f",
)
LINEAR_LAYER = GraphTemplate(
    QT_TRANSLATE_NOOP("GraphTemplate", "Linear layer: (x @ w + b).relu().sum()"),
    "x = core.randn(4, 3)\n"
    "w = core.randn(3, 2, requires_grad=True)\n"
    "b = core.randn(2, requires_grad=True)\n"
    "loss = (x @ w + b).relu().sum()",
)
BROADCASTING = GraphTemplate(
    QT_TRANSLATE_NOOP("GraphTemplate", "Broadcasting: a + b with shapes (3, 1) and (4,)"),
    "a = core.randn(3, 1, requires_grad=True)\n"
    "b = core.randn(4, requires_grad=True)\n"
    "s = (a + b).sum()",
)
VIEW_IN_THE_MIDDLE = GraphTemplate(
    QT_TRANSLATE_NOOP("GraphTemplate", "A view in the middle: x.t()[1:]"),
    "x = core.randn(2, 3, requires_grad=True)\ny = x.t()[1:]\nloss = (y * y).sum()",
)
USED_TWICE = GraphTemplate(
    QT_TRANSLATE_NOOP("GraphTemplate", "A tensor used twice: x * x + x"),
    "x = core.tensor([1.0, -2.0, 3.0], requires_grad=True)\ny = x * x + x\nloss = y.sum()",
)
IN_PLACE_ON_A_VIEW = GraphTemplate(
    QT_TRANSLATE_NOOP("GraphTemplate", "An in-place op on a view: y[:2].mul_(3)"),
    "x = core.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)\n"
    "y = x * 2\n"
    "v = y[:2]\n"
    "v.mul_(3)\n"
    "loss = (y * y).sum()",
)
TWO_LAYER_MLP = GraphTemplate(
    QT_TRANSLATE_NOOP("GraphTemplate", "Two-layer MLP with views: w2.t() and .view(8)"),
    "x = core.randn(8, 3)\n"
    "target = core.randn(8)\n"
    "w1 = core.randn(3, 16, requires_grad=True)\n"
    "b1 = core.zeros(16, requires_grad=True)\n"
    "w2 = core.randn(1, 16, requires_grad=True)\n"
    "h = (x @ w1 + b1).relu()\n"
    "out = (h @ w2.t()).view(8)\n"
    "loss = ((out - target) ** 2).mean()",
)
BACKWARD_TWICE = GraphTemplate(
    QT_TRANSLATE_NOOP("GraphTemplate", "Mistake: backward twice without retain_graph"),
    "x = core.tensor([1.0, 2.0], requires_grad=True)\ny = (x * x).sum()\ny.backward()",
)
CHANGED_IN_PLACE = GraphTemplate(
    QT_TRANSLATE_NOOP("GraphTemplate", "Mistake: an in-place change to a tensor backward needs"),
    "x = core.tensor([1.0, 2.0], requires_grad=True)\na = x.exp()\nloss = a.sum()\na.add_(1)",
)

TEMPLATES: tuple[GraphTemplate, ...] = (
    MICROGRAD,
    LINEAR_LAYER,
    BROADCASTING,
    VIEW_IN_THE_MIDDLE,
    USED_TWICE,
    IN_PLACE_ON_A_VIEW,
    TWO_LAYER_MLP,
    BACKWARD_TWICE,
    CHANGED_IN_PLACE,
)
"""In menu order: the graphs of the issue, then the two classic mistakes."""
