"""Explanations of memory layout for the visualizer: why a ``view`` fails, and where."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.layout import infer_size, plan_view
from core.ops.arguments import parse_shape
from core.tensor import Tensor


@dataclass(frozen=True)
class ViewFailure:
    """Why ``tensor.view(shape)`` has no strides: which new dim straddles which chunks.

    ``chunks`` groups the old dims into runs contiguous with each other (a view may
    merge or split dims only inside one run); ``breaking_dim`` is the new dim whose
    elements would have to span two runs.
    """

    chunks: tuple[tuple[int, ...], ...]
    breaking_dim: int
    message: str


def view_failure(tensor: Tensor, shape: Sequence[int] | int, *more: int) -> ViewFailure | None:
    """None when ``tensor.view(shape)`` works; otherwise the reason, for the GUI to colour.

    A shape whose element count does not match raises RuntimeError, as ``view`` itself does.
    """
    sizes = infer_size(parse_shape((shape, *more)), tensor.numel())
    old = tensor._layout
    plan = plan_view(old.sizes, old.strides, sizes)
    if plan.strides is not None:
        return None
    breaking = plan.breaking_dim if plan.breaking_dim is not None else 0
    runs = " | ".join("(" + ", ".join(f"dim {d}" for d in chunk) + ")" for chunk in plan.chunks)
    message = (
        f"view{tuple(sizes)} is impossible without copying: the old dims form the contiguous runs "
        f"{runs}, and new dim {breaking} (size {sizes[breaking]}) would have to span two of them. "
        "Use .reshape(...), which copies here, or .contiguous().view(...)."
    )
    return ViewFailure(plan.chunks, breaking, message)
