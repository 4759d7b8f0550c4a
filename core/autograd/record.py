"""Recording the graph as ops run (define-by-run), and PyTorch's rules for in-place ops.

Every differentiable op ends with ``record(...)``: when grad mode is on and an input
requires grad, a node with the op's chain rule becomes the grad_fn of its outputs.
An in-place op moves the written tensor's history onto its own node; written through
a view, it gives the view's base a ``CopySlices`` node, as PyTorch does.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from core.autograd.grad_mode import GRAD_MODE
from core.autograd.node import Edge, Node, SavedTensor, gradient_edge, kept, node_class
from core.tensor import Tensor

Rule = Callable[[Any, Any], tuple[Any, ...]]


def make_node(
    name: str,
    inputs: Sequence[Any],
    rule: Rule,
    saved: Mapping[str, Any] | None = None,
    formula: str | Callable[[], str] = "",
) -> Node:
    """A node named ``name`` with an edge per input (``(None, 0)`` for one that needs no grad)."""
    return _new_node(name, inputs, tuple(map(gradient_edge, inputs)), rule, saved, formula)


def _new_node(
    name: str,
    inputs: Sequence[Any],
    edges: tuple[Edge, ...],
    rule: Rule,
    saved: Mapping[str, Any] | None,
    formula: str | Callable[[], str],
) -> Node:
    metadata = tuple(
        [
            None
            if node is None
            else (value._layout.sizes, value._storage.dtype, value._storage.device)
            for value, (node, _) in zip(inputs, edges, strict=True)
        ]
    )
    keeping = {} if saved is None else {key: kept(value) for key, value in saved.items()}
    return node_class(name)(rule, edges, metadata, keeping, formula)


def needs_grad(inputs: Sequence[Any]) -> bool:
    """True when grad mode is on and some input requires grad: the op must be recorded."""
    if not GRAD_MODE.enabled:
        return False
    return any(type(value) is Tensor and value.requires_grad for value in inputs)


def record(
    outputs: Any,
    name: str,
    inputs: Sequence[Any],
    rule: Rule,
    saved: Mapping[str, Any] | None = None,
    formula: str | Callable[[], str] = "",
) -> Any:
    """Make ``name`` the grad_fn of ``outputs`` (a tensor or a tuple) when the op needs one.

    ``rule(grad, saved)`` returns a gradient (or None) per input; for a tuple of outputs
    it gets a tuple of gradients (None where none arrived). Returns ``outputs``.
    """
    if not GRAD_MODE.enabled:
        return outputs
    for value in inputs:
        # Quick look first: a tensor that is no view and was never marked needs no node.
        if type(value) is Tensor and (
            value._requires_grad or value._grad_fn is not None or value._base is not None
        ):
            break
    else:
        return outputs
    edges = tuple(map(gradient_edge, inputs))
    for node, _ in edges:
        if node is not None:
            attach(_new_node(name, inputs, edges, rule, saved, formula), outputs)
            break
    return outputs


def attach(node: Node, outputs: Any) -> None:
    """Make ``node`` the grad_fn of each output, numbered by position (``output_nr``)."""
    many = isinstance(outputs, tuple)
    node.multiple_outputs = many
    tensors = outputs if many else (outputs,)
    node.output_metadata = tuple(
        [(t._layout.sizes, t._storage.dtype, t._storage.device) for t in tensors]
    )
    for value in node._saved.values():
        if type(value) is SavedTensor and value.tensor._grad_fn is None:  # maybe an output
            for number, tensor in enumerate(tensors):
                if value.tensor is tensor:
                    value.output_of = (node, number)
    for number, tensor in enumerate(tensors):
        if tensor._storage.dtype.is_floating_point:  # integer results never require grad
            tensor._grad_fn = node
            tensor._output_nr = number


# -- in-place ops ----------------------------------------------------------------------

LEAF_IN_PLACE = "a leaf Variable that requires grad is being used in an in-place operation."
VIEW_OF_LEAF_IN_PLACE = (
    "a view of a leaf Variable that requires grad is being used in an in-place operation."
)
NO_GRAD_VIEW_IN_PLACE = (
    "A view was created in no_grad mode and is being modified inplace with grad mode enabled. "
    "Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your "
    "code by moving both the view and the inplace either both inside the no_grad block (if you "
    "don't want the inplace to be tracked) or both outside (if you want the inplace to be tracked)."
)


def check_in_place(target: Any) -> None:
    """PyTorch's refusals before an in-place write into ``target`` while grad mode is on."""
    if not GRAD_MODE.enabled:
        return
    base = target._base
    if base is not None and base.requires_grad:
        if target._grad_fn_version is None:
            raise RuntimeError(NO_GRAD_VIEW_IN_PLACE)
        if base.grad_fn is None:
            raise RuntimeError(VIEW_OF_LEAF_IN_PLACE)
    if target.requires_grad and target.grad_fn is None:
        raise RuntimeError(LEAF_IN_PLACE)


def keep_old_value(node: Node | None, target: Any) -> None:
    """Before ``target`` is overwritten, let ``node`` save a copy of it as ``self``.

    PyTorch's in-place ops save ``self.clone()`` (with its graph) when their rule needs
    the old value; anything else they saved of ``target`` still fails the version check.
    """
    if node is None:
        return
    saved = node._saved.get("self")
    if type(saved) is SavedTensor and saved.tensor is target:
        node._saved["self"] = SavedTensor(target.clone())


def rebase_history(target: Any, node: Node | None) -> None:
    """After an in-place write, ``node`` (computed from ``target``'s old value) is its history.

    Written through a differentiable view, the base gets a ``CopySlices`` node around
    ``node``; the view's own grad_fn is then rebuilt from the base when next read.
    """
    if node is None:
        return
    if target._grad_fn_version is not None:
        base = target._base
        copy_slices = CopySlices(base, target._layout, node)
        if base._retains_grad:
            base._grad_fn.retained.pop(base._output_nr, None)
            copy_slices.retained[0] = weakref.ref(base)
        attach(copy_slices, base)
        return
    if target._retains_grad:
        target._grad_fn.retained.pop(target._output_nr, None)
        node.retained[0] = weakref.ref(target)
    attach(node, target)


class CopySlices(Node):
    """The history of a base written through one of its views (PyTorch's ``CopySlices``).

    Backward: the base's gradient, whose elements under the view are replaced by what
    the in-place op's own node (``fn``) sends back to the view.
    """

    __slots__ = ("fn", "base_layout", "view_layout")

    def __init__(self, base: Any, view_layout: Any, fn: Node) -> None:
        super().__init__(
            None,
            (gradient_edge(base), *fn.next_functions[1:]),
            (
                (base._layout.sizes, base._storage.dtype, base._storage.device),
                *fn.input_metadata[1:],
            ),
            {},
            f"grad_base = grad, with the view's elements replaced by {fn.name()}'s grad_self",
        )
        self.fn = fn
        self.base_layout = base._layout
        self.view_layout = view_layout

    qualified_name = "core::autograd::CopySlices"

    def release(self) -> None:
        self.fn.release()

    def apply(self, gradients: tuple[Any, ...]) -> tuple[Any, ...]:
        grad = gradients[0]
        base, view = self.base_layout, self.view_layout
        result = grad.new_empty_strided(base.sizes, base.strides)
        result.copy_(grad)
        grad_slice = result.as_strided(view.sizes, view.strides, view.offset - base.offset)
        results = self.fn.apply((grad_slice.clone(),))
        if results[0] is None:
            grad_slice.zero_()
        else:
            grad_slice.copy_(results[0])
        return (result, *results[1:])
