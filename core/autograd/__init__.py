"""Define-by-run autograd with PyTorch's names, and a backward pass you can step through.

``core.autograd.backward_steps(y)`` yields the events of ``y.backward()`` one at a
time; ``graph_snapshot(y)`` describes the graph as plain data for a viewer.
"""

from core.autograd.engine import backward, backward_steps, grad, restore_grads
from core.autograd.events import (
    BackwardFinished,
    BackwardStarted,
    Event,
    GradAccumulated,
    GradientsSent,
    NodeEntered,
)
from core.autograd.grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from core.autograd.node import AccumulateGrad, Node
from core.autograd.record import CopySlices
from core.autograd.snapshot import (
    EdgeInfo,
    GraphSnapshot,
    NodeInfo,
    SavedInfo,
    TensorInfo,
    graph_snapshot,
)

__all__ = [
    "AccumulateGrad",
    "BackwardFinished",
    "BackwardStarted",
    "CopySlices",
    "EdgeInfo",
    "GraphSnapshot",
    "NodeInfo",
    "SavedInfo",
    "TensorInfo",
    "Event",
    "GradAccumulated",
    "GradientsSent",
    "Node",
    "NodeEntered",
    "backward",
    "backward_steps",
    "enable_grad",
    "grad",
    "graph_snapshot",
    "is_grad_enabled",
    "no_grad",
    "restore_grads",
    "set_grad_enabled",
]
