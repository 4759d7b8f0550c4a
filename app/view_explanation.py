"""Why a ``view`` needs a copy: the explanation the view-failure panel draws. No Qt here."""

from __future__ import annotations

from dataclasses import dataclass

import core
from app.code_text import with_contiguous_receiver, with_method_renamed
from app.line_plan import LinePlan
from core.layout import infer_size
from core.memory import ViewFailure, view_failure
from core.ops.arguments import parse_shape


@dataclass(frozen=True, eq=False)
class ViewExplanation:
    """Why ``receiver.view(shape)`` failed in ``code``, and the two lines that work instead."""

    code: str
    receiver: str
    tensor: core.Tensor
    shape: tuple[int, ...]
    failure: ViewFailure
    error: str
    reshape_code: str
    contiguous_code: str


def explain_view_failure(
    plan: LinePlan, captured: dict[str, object], error: str
) -> ViewExplanation | None:
    """Why a ``view`` call of the line that failed with ``error`` needs a copy, if one does.

    ``captured`` holds what the line's instrumented run kept: each view's receiver.
    """
    if "view size is not compatible" not in error:
        return None
    for view in plan.views:
        tensor = captured.get(view.temp)
        if not isinstance(tensor, core.Tensor) or view.arguments is None:
            continue
        try:
            failure = view_failure(tensor, *view.arguments)
        except (RuntimeError, TypeError, ValueError):
            continue  # a shape that does not fit at all: PyTorch's own error says so
        if failure is not None:
            return ViewExplanation(
                code=plan.code,
                receiver=view.receiver,
                tensor=tensor,
                shape=infer_size(parse_shape(view.arguments), tensor.numel()),
                failure=failure,
                error=error,
                reshape_code=with_method_renamed(plan.code, view.call, "reshape"),
                contiguous_code=with_contiguous_receiver(plan.code, view.call),
            )
    return None
