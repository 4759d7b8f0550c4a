"""Graph nodes: PyTorch's ``grad_fn`` objects, with their names, edges and saved tensors.

A node is made when an op runs on tensors that require grad. It holds the op's
local chain rule (a function of the incoming gradient and the saved values), an
edge ``(node, input_nr)`` per input, as ``next_functions`` shows in PyTorch, and
each input's shape and dtype, so the gradient it sends can be checked, summed
back over broadcast dims and converted in one place (``Node.apply``).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Mapping
from types import SimpleNamespace
from typing import Any

from core.dtypes import scalar_type_name
from core.tensor import Tensor

Edge = tuple["Node | None", int]
NO_EDGE: Edge = (None, 0)
_sequence = itertools.count()

FREED = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you call "
    ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
    "graph a second time or if you need to access saved tensors after calling backward."
)


class SavedTensor:
    """A tensor kept for backward, with the version it had then (PyTorch's SavedVariable)."""

    __slots__ = ("tensor", "version", "output_of")

    def __init__(self, tensor: Any) -> None:
        self.tensor = tensor
        self.version = tensor._storage.version
        self.output_of: tuple[Node, int] | None = None  # set when the node saved its own output

    def unpack(self) -> Any:
        tensor = self.tensor
        if tensor is None:
            raise RuntimeError(FREED)
        if tensor._storage.version != self.version:
            producer = self.output_of or (tensor.grad_fn, tensor.output_nr)
            raise RuntimeError(modified_message(tensor, self.version, *producer))
        return tensor


def kept(value: Any) -> Any:
    """A value as a node keeps it: tensors (also inside tuples) as SavedTensor, the rest as is."""
    if type(value) is Tensor:
        return SavedTensor(value)
    if type(value) is tuple and any(type(v) is Tensor for v in value):
        return tuple(kept(v) for v in value)
    return value


def unpacked(value: Any) -> Any:
    if type(value) is SavedTensor:
        return value.unpack()
    if type(value) is tuple and any(type(v) is SavedTensor for v in value):
        return tuple(unpacked(v) for v in value)
    return value


def modified_message(tensor: Any, expected: int, producer: Node | None, output_nr: int) -> str:
    """PyTorch's error for a saved tensor changed in place before backward read it."""
    described = f"[core.{scalar_type_name(tensor.dtype)}Tensor {list(tensor.shape)}]"
    if producer is not None:
        op = re.sub(r"Backward\d*$", "", producer.name())
        described += f", which is output {output_nr} of {op},"
    return (
        "one of the variables needed for gradient computation has been modified by an inplace "
        f"operation: {described} is at version {tensor._storage.version}; expected version "
        f"{expected} instead. Hint: clone() the tensor before changing it in place, or change it "
        "only after backward has run."
    )


class Node:
    """One op in the backward graph (``MulBackward0``, ...): edges, saved values, chain rule.

    ``rule(gradients, saved)`` gets the gradients arriving at the node's outputs and the
    saved values by name, and returns one gradient (or None) per input.
    """

    __slots__ = (
        "next_functions",
        "_formula",
        "input_metadata",
        "output_metadata",
        "sequence_nr",
        "retained",
        "multiple_outputs",
        "_rule",
        "_saved",
        "__weakref__",
    )

    def __init__(
        self,
        rule: Callable[[tuple[Any, ...], Mapping[str, Any]], tuple[Any, ...]] | None,
        next_functions: tuple[Edge, ...],
        input_metadata: tuple[Any, ...],
        saved: dict[str, Any],
        formula: str | Callable[[], str],
    ) -> None:
        self._rule = rule
        self.next_functions = next_functions
        self.input_metadata = input_metadata
        self.output_metadata: tuple[Any, ...] = ()
        self._saved = saved
        self._formula = formula
        self.sequence_nr = next(_sequence)
        self.retained: dict[int, Any] = {}  # output_nr -> weakref to a tensor that retains grad
        self.multiple_outputs = False

    qualified_name = "Node"

    @property
    def formula(self) -> str:
        """The local chain rule as short text, such as ``grad_self = grad · other``."""
        text = self._formula
        if not isinstance(text, str):  # written lazily: most nodes are never displayed
            text = self._formula = text()
        return text

    def name(self) -> str:
        """PyTorch's node name: ``MulBackward0``, or ``core::autograd::AccumulateGrad``."""
        return self.qualified_name

    def _sequence_nr(self) -> int:
        return self.sequence_nr

    def __repr__(self) -> str:
        return f"<{type(self).__name__} object at {id(self):#x}>"

    @property
    def metadata(self) -> dict[str, Any]:
        return {}

    def __getattr__(self, name: str) -> Any:
        # PyTorch shows what a node saved as ``grad_fn._saved_<name>``.
        if name.startswith("_saved_"):
            saved = object.__getattribute__(self, "_saved")
            key = name.removeprefix("_saved_")
            if key in saved:
                return unpacked(saved[key])
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def unpacked(self) -> dict[str, Any]:
        return {key: unpacked(value) for key, value in self._saved.items()}

    def release(self) -> None:
        """Free the saved tensors, as PyTorch does after a backward without retain_graph."""
        for value in self._saved.values():
            for item in value if type(value) is tuple else (value,):
                if type(item) is SavedTensor:
                    item.tensor = None

    def apply(self, gradients: tuple[Any, ...]) -> tuple[Any, ...]:
        """The gradient for each input: the chain rule, then summed and cast to the input's form."""
        arriving = gradients if self.multiple_outputs else gradients[0]
        saved = SimpleNamespace(**self.unpacked()) if self._saved else _NOTHING_SAVED
        results = self._rule(arriving, saved)
        sent = list(results)
        for index, meta in enumerate(self.input_metadata):
            grad = sent[index]
            if grad is None or meta is None:
                sent[index] = None
            elif (
                grad._layout.sizes != meta[0]
                or grad._storage.dtype is not meta[1]
                or grad._storage.device is not meta[2]
            ):
                sent[index] = conform(self, index, grad, meta)
        return tuple(sent)


_NOTHING_SAVED = SimpleNamespace()


def conform(node: Node, index: int, grad: Any, meta: tuple[Any, ...]) -> Any:
    """PyTorch's validate_outputs: sum a broadcast gradient back to the input's shape, cast it.

    A 0-d gradient for an input on another device (a CPU scalar used in a GPU op) moves
    there; any other gradient on the wrong device is an error, as in PyTorch.
    """
    sizes, element_type, where = meta
    if grad._layout.sizes != sizes:
        try:
            grad = grad.sum_to_size(sizes)
        except RuntimeError:
            raise RuntimeError(
                f"Function {node.name()} returned an invalid gradient at index {index} - "
                f"got {list(grad.shape)} but expected shape compatible with {list(sizes)}"
            ) from None
    if grad._storage.dtype is not element_type:
        grad = grad.to(element_type)
    if grad._storage.device is not where:
        if grad._layout.sizes:
            raise RuntimeError(
                f"Function {node.name()} returned an invalid gradient at index {index} - "
                f"expected device {where} but got {grad.device}"
            )
        grad = grad.to(where)
    return grad


_classes: dict[str, type[Node]] = {}


def node_class(name: str) -> type[Node]:
    """The node class for ``name``: ``type(t.grad_fn).__name__`` reads ``MulBackward0``.

    A qualified name (``core::autograd::CopyBackwards``) names the class by its last part.
    """
    cls = _classes.get(name)
    if cls is None:
        cls = _classes[name] = type(
            name.rsplit("::", 1)[-1],
            (Node,),
            {"__slots__": (), "__module__": __name__, "qualified_name": name},
        )
    return cls


class AccumulateGrad(Node):
    """The sink of a leaf tensor that requires grad: gradients arriving here go into ``.grad``."""

    __slots__ = ("variable",)

    def __init__(self, variable: Any) -> None:
        super().__init__(None, (), (), {}, "leaf.grad = leaf.grad + grad")
        self.output_metadata = ((variable._layout.sizes, variable.dtype, variable.device),)
        self.sequence_nr = math.inf  # PyTorch runs these as soon as they are ready
        self.variable = variable

    qualified_name = "core::autograd::AccumulateGrad"


def grad_accumulator(tensor: Any) -> AccumulateGrad:
    """The leaf's AccumulateGrad node, made once: every graph over the leaf shares it."""
    node = tensor._grad_accumulator
    if node is None:
        node = tensor._grad_accumulator = AccumulateGrad(tensor)
    return node


def gradient_edge(value: Any) -> Edge:
    """Where a gradient for ``value`` goes: its grad_fn, its AccumulateGrad, or nowhere."""
    if type(value) is not Tensor:
        return NO_EDGE
    grad_fn = value.grad_fn
    if grad_fn is not None:
        return (grad_fn, value._output_nr)
    if value.requires_grad:
        return (grad_accumulator(value), 0)
    return NO_EDGE
