"""Elementary functions (exp, log, sqrt, sin, cos, tanh, sigmoid) and their derivatives.

Integer and bool inputs give the default float dtype. Where the derivative is a
function of the result (exp, sqrt, tanh, sigmoid), the node saves the result, as
PyTorch does, so modifying the result in place before backward is an error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from core.autograd.record import record
from core.backends import array_module
from core.ops.pointwise import binary_type, float_result, pointwise
from core.tensor import Tensor

Rule = Callable[[Tensor, Any], Tensor]


def _elementary(name: str, numpy_fn: Any, node: str, saves: str, rule: Rule, formula: str) -> Any:
    """An op ``name`` computed by ``numpy_fn``, whose node saves ``saves`` (self or result)."""

    def op(self: Tensor) -> Tensor:
        out = pointwise(numpy_fn, (self,), result=float_result(self))
        return record(
            out,
            node,
            (self,),
            lambda grad, saved: (rule(grad, saved),),
            {saves: out if saves == "result" else self},
            formula,
        )

    op.__name__ = name
    return op


def _sigmoid(x: np.ndarray, out: np.ndarray, casting: str) -> None:
    array_module(out).copyto(out, 1.0 / (1.0 + np.exp(-x)), casting=casting)


exp = _elementary(
    "exp", np.exp, "ExpBackward0", "result", lambda g, s: g * s.result, "grad_self = grad · result"
)
log = _elementary(
    "log", np.log, "LogBackward0", "self", lambda g, s: g / s.self, "grad_self = grad / self"
)
sqrt = _elementary(
    "sqrt",
    np.sqrt,
    "SqrtBackward0",
    "result",
    lambda g, s: g / (2 * s.result),
    "grad_self = grad / (2 · result)",
)
sin = _elementary(
    "sin",
    np.sin,
    "SinBackward0",
    "self",
    lambda g, s: g * s.self.cos(),
    "grad_self = grad · cos(self)",
)
cos = _elementary(
    "cos",
    np.cos,
    "CosBackward0",
    "self",
    lambda g, s: g * -s.self.sin(),
    "grad_self = -grad · sin(self)",
)


def tanh_backward(grad_output: Tensor, output: Tensor) -> Tensor:
    """PyTorch's ``tanh_backward``: ``grad_output · (1 - output²)`` in one kernel."""
    out = pointwise(
        lambda g, y, out, casting: np.multiply(g, 1 - y * y, out=out, casting=casting),
        (grad_output, output),
        result=binary_type("tanh_backward", grad_output, output),
    )
    return record(
        out,
        "TanhBackwardBackward0",
        (grad_output, output),
        lambda grad, saved: (
            tanh_backward(grad, saved.output),
            grad * (-2 * saved.output * saved.grad_output),
        ),
        {"grad_output": grad_output, "output": output},
        "grad_grad_output = grad · (1 - output²)\ngrad_output = -2 · grad · output · grad_output",
    )


def sigmoid_backward(grad_output: Tensor, output: Tensor) -> Tensor:
    """PyTorch's ``sigmoid_backward``: ``grad_output · (1 - output) · output`` in one kernel."""
    out = pointwise(
        lambda g, y, out, casting: np.multiply(g * (1 - y), y, out=out, casting=casting),
        (grad_output, output),
        result=binary_type("sigmoid_backward", grad_output, output),
    )
    return record(
        out,
        "SigmoidBackwardBackward0",
        (grad_output, output),
        lambda grad, saved: (
            sigmoid_backward(grad, saved.output),
            grad * saved.grad_output * (-2 * saved.output + 1),
        ),
        {"grad_output": grad_output, "output": output},
        "grad_grad_output = grad · (1 - output) · output\n"
        "grad_output = grad · grad_output · (1 - 2 · output)",
    )


tanh = _elementary(
    "tanh",
    np.tanh,
    "TanhBackward0",
    "result",
    lambda g, s: tanh_backward(g, s.result),
    "grad_self = grad · (1 - result²)",
)
sigmoid = _elementary(
    "sigmoid",
    _sigmoid,
    "SigmoidBackward0",
    "result",
    lambda g, s: sigmoid_backward(g, s.result),
    "grad_self = grad · (1 - result) · result",
)
