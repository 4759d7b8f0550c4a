"""What a backward pass reports, step by step: small frozen values a viewer can keep.

``backward_steps`` yields ``BackwardStarted`` first, then for each node it runs a
``NodeEntered`` (the gradients arriving at its outputs), a ``GradAccumulated`` for each
``.grad`` it fills, and a ``GradientsSent`` (one gradient per edge, with the local
rule), and ``BackwardFinished`` last. Tensors in events are the gradients themselves;
``before`` is a copy, since accumulation into ``.grad`` is in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.autograd.node import Node


@dataclass(frozen=True, slots=True)
class BackwardStarted:
    """The plan: ``order`` lists the nodes in the order they will run."""

    order: tuple[Node, ...]
    gradients: tuple[Any, ...]

    @property
    def step_count(self) -> int:
        return len(self.order)


@dataclass(frozen=True, slots=True)
class NodeEntered:
    """Node ``step`` of the order starts, with the gradient that arrived at each output."""

    step: int
    node: Node
    gradients: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class GradientsSent:
    """The node's chain rule ran: ``gradients[i]`` goes along ``node.next_functions[i]``."""

    step: int
    node: Node
    gradients: tuple[Any, ...]

    @property
    def formula(self) -> str:
        """The node's local rule as short text, such as ``grad_self = grad · other``."""
        return self.node.formula


@dataclass(frozen=True, slots=True)
class GradAccumulated:
    """A tensor's ``.grad`` changed: a leaf's (AccumulateGrad) or one kept by ``retain_grad``."""

    step: int
    tensor: Any
    before: Any
    after: Any


@dataclass(frozen=True, slots=True)
class BackwardFinished:
    """Every node has run; ``.grad`` fields hold their final values."""

    steps: int


Event = BackwardStarted | NodeEntered | GradientsSent | GradAccumulated | BackwardFinished
