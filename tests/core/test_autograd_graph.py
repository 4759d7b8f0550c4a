"""Autograd against torch: grad_fn names and next_functions, in-place history, accumulation,
grad mode, errors and autograd.grad; each expression runs once with m=core, once with m=torch."""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import core

_RNG = np.random.default_rng(20240611)
LEAF_VALUES = {
    "x": _RNG.choice([-1.0, 1.0], (3, 4)) * _RNG.uniform(0.3, 2.0, (3, 4)),
    "y": _RNG.uniform(0.5, 2.0, (3, 4)),
    "v": _RNG.uniform(-2.0, 2.0, 4),
    "w": _RNG.uniform(-2.0, 2.0, 3),
    "b": _RNG.uniform(-2.0, 2.0, (2, 3, 4)),
    "s": np.array(0.75),
    "p": _RNG.uniform(-2.0, 2.0, 2),
}


# -- helpers ------------------------------------------------------------------------------


def make_leaf(m: Any, values: Any, requires_grad: bool = True) -> Any:
    """A float64 tensor of module ``m`` (core or torch) holding ``values``."""
    array = np.asarray(values, dtype=np.float64)
    return m.tensor(array.tolist(), dtype=m.float64, requires_grad=requires_grad)


def leaves_for(m: Any, names: list[str]) -> dict[str, Any]:
    return {name: make_leaf(m, LEAF_VALUES[name]) for name in names}


def parameter_names(expression: Callable[..., Any]) -> list[str]:
    """The leaves an expression asks for: its parameters after ``m``."""
    return list(inspect.signature(expression).parameters)[1:]


def run_both(expression: Callable[..., Any]) -> tuple[Any, dict[str, Any], Any, dict[str, Any]]:
    """Run ``expression`` with core and with torch on twin leaves named by its parameters."""
    names = parameter_names(expression)
    core_leaves, torch_leaves = leaves_for(core, names), leaves_for(torch, names)
    return (
        expression(core, **core_leaves),
        core_leaves,
        expression(torch, **torch_leaves),
        torch_leaves,
    )


def node_name(node: Any) -> str:
    """A node's ``name()``, torch's namespace written as core's."""
    return node.name().replace("torch::", "core::")


def graph(node: Any, leaves: dict[str, Any]) -> Any:
    """The graph under ``node`` as nested tuples: class, name, each edge with its input_nr.

    An AccumulateGrad also shows which leaf (by name) its ``variable`` is.
    """
    if node is None:
        return None
    description: tuple[Any, ...] = (type(node).__name__, node_name(node))
    if type(node).__name__ == "AccumulateGrad":
        names = [name for name, value in leaves.items() if node.variable is value]
        description += (names[0] if names else "a leaf not among the inputs",)
    edges = tuple((graph(child, leaves), number) for child, number in node.next_functions)
    return (*description, edges)


def assert_same_graph(
    core_tensor: Any, core_leaves: dict[str, Any], torch_tensor: Any, torch_leaves: dict[str, Any]
) -> None:
    assert graph(core_tensor.grad_fn, core_leaves) == graph(torch_tensor.grad_fn, torch_leaves)


def values_of(tensor: Any) -> np.ndarray:
    return np.asarray(tensor.detach().numpy())


def assert_same_values(core_tensor: Any, torch_tensor: Any) -> None:
    """Same shape and (nan-aware, to rounding) the same values."""
    assert core_tensor is not None and torch_tensor is not None, (core_tensor, torch_tensor)
    assert tuple(core_tensor.shape) == tuple(torch_tensor.shape)
    np.testing.assert_allclose(
        values_of(core_tensor), values_of(torch_tensor), rtol=1e-12, atol=1e-12, equal_nan=True
    )


def assert_same_grads(core_leaves: dict[str, Any], torch_leaves: dict[str, Any]) -> None:
    """Each leaf's ``.grad`` is torch's: None, or the same values and strides."""
    for name, torch_leaf in torch_leaves.items():
        core_grad, torch_grad = core_leaves[name].grad, torch_leaf.grad
        if torch_grad is None:
            assert core_grad is None, name
            continue
        assert core_grad is not None, name
        assert core_grad.stride() == torch_grad.stride(), name
        assert_same_values(core_grad, torch_grad)


def seed_gradient(m: Any, shape: Any) -> Any:
    """A fixed, non-uniform gradient of ``shape`` to start ``backward`` with."""
    count = int(np.prod(tuple(shape)))
    values = (np.arange(count, dtype=np.float64) * 0.25 + 0.5).reshape(tuple(shape))
    return m.tensor(values.tolist(), dtype=m.float64)


def backward_with_seed(m: Any, tensor: Any) -> None:
    tensor.backward(seed_gradient(m, tensor.shape))


def raised(action: Callable[[], Any]) -> BaseException:
    with pytest.raises(Exception) as info:  # noqa: B017 - any class, compared by the caller
        action()
    return info.value


def builtin_class(error: BaseException) -> type[BaseException]:
    return next(c for c in type(error).__mro__ if c.__module__ == "builtins")


def assert_same_error(core_action: Callable[[], Any], torch_action: Callable[[], Any]) -> None:
    """Both raise: core torch's builtin class, with torch's message (torch written as core)."""
    torch_error, core_error = raised(torch_action), raised(core_action)
    assert type(core_error) is builtin_class(torch_error), (core_error, torch_error)
    assert str(core_error) == str(torch_error).replace("torch", "core")


def up_to_instead(message: str) -> str:
    """A message up to and including its first "instead." (the hints after it may differ)."""
    return message[: message.index("instead.") + len("instead.")]


def assert_same_error_up_to_instead(
    core_action: Callable[[], Any], torch_action: Callable[[], Any]
) -> None:
    torch_error, core_error = raised(torch_action), raised(core_action)
    assert type(core_error) is builtin_class(torch_error), (core_error, torch_error)
    assert up_to_instead(str(core_error)) == up_to_instead(str(torch_error)).replace(
        "torch", "core"
    )


# -- 1. grad_fn and next_functions of out-of-place expressions ----------------------------

GRAPH_EXPRESSIONS: dict[str, Callable[..., Any]] = {
    # arithmetic with tensors and numbers on either side
    "x+y": lambda m, x, y: x + y,
    "x+2": lambda m, x: x + 2,
    "2+x": lambda m, x: 2 + x,
    "x+y*alpha": lambda m, x, y: m.add(x, y, alpha=3),
    "x-y": lambda m, x, y: x - y,
    "x-2": lambda m, x: x - 2,
    "2-x": lambda m, x: 2 - x,
    "x*y": lambda m, x, y: x * y,
    "x*2": lambda m, x: x * 2,
    "2*x": lambda m, x: 2 * x,
    "x/y": lambda m, x, y: x / y,
    "x/2": lambda m, x: x / 2,
    "2/x": lambda m, x: 2 / x,
    "x**2": lambda m, x: x**2,
    "y**0.5": lambda m, y: y**0.5,
    "y**x": lambda m, x, y: y**x,
    "2**x": lambda m, x: 2**x,
    "-x": lambda m, x: -x,
    "x+v broadcast": lambda m, x, v: x + v,
    "x*s scalar leaf": lambda m, x, s: x * s,
    "x+constant tensor": lambda m, x: x + m.ones(3, 4, dtype=m.float64),
    "x*integer tensor": lambda m, x: x * m.arange(12).view(3, 4),
    "float32 times float64": lambda m, x, y: x.float() * y,
    "comparison as a mask": lambda m, x: (x > 0).double() * x,
    # elementwise functions
    "abs": lambda m, x: x.abs(),
    "exp": lambda m, x: x.exp(),
    "log": lambda m, y: y.log(),
    "sqrt": lambda m, y: y.sqrt(),
    "sin": lambda m, x: x.sin(),
    "cos": lambda m, x: x.cos(),
    "tanh": lambda m, x: x.tanh(),
    "sigmoid": lambda m, x: x.sigmoid(),
    "relu": lambda m, x: x.relu(),
    "square": lambda m, x: x.square(),
    "reciprocal": lambda m, x: x.reciprocal(),
    "sign": lambda m, x: x.sign(),
    "clamp(y)": lambda m, x, y: x.clamp(y),
    "clamp(y, y+1)": lambda m, x, y: x.clamp(y, y + 1),
    "clamp(-0.5, 0.5)": lambda m, x: x.clamp(-0.5, 0.5),
    "clamp(min=0)": lambda m, x: x.clamp(min=0),
    "clamp(max=y)": lambda m, x, y: x.clamp(max=y),
    "where": lambda m, x, y: m.where(x > 0, x, y),
    "where with a number": lambda m, x: m.where(x > 0, x, 0.0),
    "maximum": lambda m, x, y: m.maximum(x, y),
    "minimum": lambda m, x, y: m.minimum(x, y),
    # reductions
    "sum": lambda m, x: x.sum(),
    "sum(0)": lambda m, x: x.sum(0),
    "sum((0, 1), keepdim)": lambda m, x: x.sum((0, 1), keepdim=True),
    "mean": lambda m, x: x.mean(),
    "mean(1)": lambda m, x: x.mean(1),
    "prod": lambda m, x: x.prod(),
    "prod(0)": lambda m, x: x.prod(0),
    "max": lambda m, x: x.max(),
    "max(0).values": lambda m, x: x.max(0).values,
    "min(1).values": lambda m, x: x.min(1).values,
    "max(0)[0]": lambda m, x: x.max(0)[0],
    "amax": lambda m, x: x.amax(),
    "amax(0)": lambda m, x: x.amax(0),
    "amin(1)": lambda m, x: x.amin(1),
    "var": lambda m, x: x.var(),
    "var(0)": lambda m, x: x.var(0),
    "std": lambda m, x: x.std(),
    "std(1)": lambda m, x: x.std(1),
    # matrix products
    "x@v": lambda m, x, v: x @ v,
    "v@v": lambda m, v: v @ v,
    "v@x.t()": lambda m, x, v: v @ x.t(),
    "w@x": lambda m, x, w: w @ x,
    "x@y.t()": lambda m, x, y: x @ y.t(),
    "b@x.t()": lambda m, x, b: b @ x.t(),
    "b@v": lambda m, v, b: b @ v,
    "x@b.mT": lambda m, x, b: x @ b.mT,
    "bmm": lambda m, b: m.bmm(b, b.transpose(1, 2)),
    "mm": lambda m, x, y: x.mm(y.t()),
    "mv": lambda m, x, v: x.mv(v),
    "dot": lambda m, v: v.dot(v),
    # views of every kind
    "view(12)": lambda m, x: x.view(12),
    "view(4, 3)": lambda m, x: x.view(4, 3),
    "view_as": lambda m, x, y: x.view_as(y),
    "reshape(12)": lambda m, x: x.reshape(12),
    "t().reshape(12)": lambda m, x: x.t().reshape(12),
    "flatten": lambda m, x: x.flatten(),
    "b.flatten(1)": lambda m, b: b.flatten(1),
    "unflatten": lambda m, x: x.unflatten(1, (2, 2)),
    "t": lambda m, x: x.t(),
    "transpose": lambda m, x: x.transpose(0, 1),
    "T": lambda m, x: x.T,
    "mT": lambda m, x: x.mT,
    "permute": lambda m, b: b.permute(2, 0, 1),
    "movedim": lambda m, b: b.movedim(0, 2),
    "expand": lambda m, x: x.expand(2, 3, 4),
    "v.expand": lambda m, v: v.expand(3, 4),
    "expand_as": lambda m, v, x: v.expand_as(x),
    "broadcast_to": lambda m, v: m.broadcast_to(v, (2, 4)),
    "unsqueeze": lambda m, x: x.unsqueeze(1),
    "squeeze()": lambda m, x: x.unsqueeze(0).squeeze(),
    "squeeze(0)": lambda m, x: x.unsqueeze(0).squeeze(0),
    "squeeze((0,))": lambda m, x: x.squeeze((0,)),
    "narrow": lambda m, x: x.narrow(1, 1, 2),
    "select": lambda m, x: x.select(1, -1),
    "diagonal": lambda m, x: x.diagonal(),
    "diagonal offset": lambda m, x: x.diagonal(1),
    "unfold": lambda m, x: x.unfold(1, 2, 1),
    "as_strided": lambda m, x: x.as_strided((2, 2), (1, 2), 1),
    # indexing
    "x[0]": lambda m, x: x[0],
    "x[:,1]": lambda m, x: x[:, 1],
    "x[1:]": lambda m, x: x[1:],
    "x[::2]": lambda m, x: x[::2],
    "x[None]": lambda m, x: x[None],
    "x[...,0]": lambda m, x: x[..., 0],
    "x[0,1]": lambda m, x: x[0, 1],
    "x[1:,None,::2]": lambda m, x: x[1:, None, ::2],
    "x[[0,1]]": lambda m, x: x[[0, 1]],
    "x[:,[0,2]]": lambda m, x: x[:, [0, 2]],
    "x[[0,2],[1,3]]": lambda m, x: x[[0, 2], [1, 3]],
    "x[x>0]": lambda m, x: x[x > 0],
    "x[0,[1,2]]": lambda m, x: x[0, [1, 2]],
    "x[True]": lambda m, x: x[True],
    "x[[0,0,1]] repeats": lambda m, x: x[[0, 0, 1]],
    # several outputs: which piece, and its output_nr
    "unbind(0)[1]": lambda m, x: x.unbind(0)[1],
    "unbind(1)[3]": lambda m, x: x.unbind(1)[3],
    "split(2)[1]": lambda m, x: x.split(2)[1],
    "split(3, 1)[1]": lambda m, x: x.split(3, 1)[1],
    "split([1,2])[1]": lambda m, x: x.split([1, 2])[1],
    "chunk(2,1)[1]": lambda m, x: x.chunk(2, 1)[1],
    "tensor_split(3,1)[2]": lambda m, x: x.tensor_split(3, 1)[2],
    "tensor_split([1,3],1)[1]": lambda m, x: x.tensor_split([1, 3], 1)[1],
    # joining
    "cat": lambda m, x, y: m.cat([x, y]),
    "cat dim 1": lambda m, x, y: m.cat([x, y], 1),
    "cat with a constant": lambda m, x: m.cat([x, m.zeros(1, 4, dtype=m.float64)]),
    "cat of x twice": lambda m, x: m.cat([x, x]),
    "stack": lambda m, x, y: m.stack([x, y]),
    "stack dim -1": lambda m, x, y: m.stack([x, y], -1),
    # copies and conversions
    "clone": lambda m, x: x.clone(),
    "contiguous already contiguous": lambda m, x: x.contiguous(),
    "t().contiguous()": lambda m, x: x.t().contiguous(),
    "to(float32)": lambda m, x: x.to(m.float32),
    "float().double()": lambda m, x: x.float().double(),
    "double() no-op": lambda m, x: x.double(),
    "flip": lambda m, x: x.flip(0),
    "flip(0, 1)": lambda m, x: x.flip((0, 1)),
    "detach": lambda m, x: x.detach(),
    "detach then op": lambda m, x, y: x.detach() * y,
    # gradients at ties, zeros and boundaries (x - x.detach() is x's graph holding zeros)
    "max with ties": lambda m, x, y: m.stack(
        [x[0, 0] - x[0, 0].detach(), y[0, 0] - y[0, 0].detach()]
    ).max(),
    "amax with ties": lambda m, x: m.cat([x[0] - x[0].detach(), x[1] - x[1].detach()]).amax(),
    "max(0) with ties": lambda m, x: (x - x.detach()).max(0).values,
    "min with ties": lambda m, x: (x - x.detach()).min(),
    "maximum with ties": lambda m, x, y: m.maximum(x, x.detach() + y - y.detach()),
    "prod with one zero": lambda m, x, y: m.cat([x[0, :1] - x[0, :1].detach(), y[0]]).prod(),
    "prod(1) with zeros": lambda m, x, y: m.cat(
        [x.narrow(1, 0, 1) - x.narrow(1, 0, 1).detach(), y], 1
    ).prod(1),
    "abs at zero": lambda m, x: (x - x.detach()).abs(),
    "relu at zero": lambda m, x: (x - x.detach()).relu(),
    "clamp at its bounds": lambda m, x: (x - x.detach()).clamp(0, 1),
    "clamp(min=tensor) at the bound": lambda m, y: (y - y.detach() + 1).clamp(
        min=m.ones(3, 4, dtype=m.float64)
    ),
    "x**0": lambda m, x: x**0,
    "x**1": lambda m, x: x**1,
    "sign times x": lambda m, x: x.sign() * x,
    # chains of several ops
    "(x*y).sum()": lambda m, x, y: (x * y).sum(),
    "exp of a transposed reshape": lambda m, x, y: (x + y).t().reshape(12).exp(),
    "tanh(x)*y+x": lambda m, x, y: x.tanh() * y + x,
    "relu(x@y.t()).mean()": lambda m, x, y: (x @ y.t()).relu().mean(),
    "row expanded times y": lambda m, x, y: x[0].unsqueeze(0).expand(3, 4) * y,
    "softmax by hand": lambda m, x: x.exp() / x.exp().sum(1, keepdim=True),
    "mse by hand": lambda m, x, y: ((x - y) ** 2).mean(),
    "b@v then max(1)": lambda m, v, b: (b @ v).max(1).values.sum(),
    "x used three times": lambda m, x: x * x + x.sin() * x,
    "stack of pieces": lambda m, x: m.stack(x.unbind(1)[::-1], 0),
    "two of four unbind pieces": lambda m, x: x.unbind(1)[1] * 2 + x.unbind(1)[3],
    "first and last split pieces": lambda m, x: x.split(1, 1)[0] + x.split(1, 1)[3],
    "where of views": lambda m, x, y: m.where(x.t() > 0, y.t(), x.t() * 2).sum(0),
}


@pytest.mark.parametrize("expression", GRAPH_EXPRESSIONS.values(), ids=GRAPH_EXPRESSIONS.keys())
def test_graph_and_gradients_match_torch(expression: Callable[..., Any]) -> None:
    """grad_fn, next_functions to the leaves, output_nr, values and leaf grads are torch's."""
    core_out, core_leaves, torch_out, torch_leaves = run_both(expression)
    assert_same_graph(core_out, core_leaves, torch_out, torch_leaves)
    assert core_out.requires_grad == torch_out.requires_grad
    assert core_out.is_leaf == torch_out.is_leaf
    assert core_out.output_nr == torch_out.output_nr
    assert [core_out is leaf for leaf in core_leaves.values()] == [
        torch_out is leaf for leaf in torch_leaves.values()
    ]
    assert_same_values(core_out, torch_out)
    if torch_out.requires_grad:
        backward_with_seed(core, core_out)
        backward_with_seed(torch, torch_out)
        assert_same_grads(core_leaves, torch_leaves)


def test_integer_results_do_not_require_grad_like_torch() -> None:
    """argmax, max(0).indices and comparisons of a leaf that requires grad have no grad_fn."""
    for m in (core, torch):
        x = make_leaf(m, LEAF_VALUES["x"])
        for result in (x.argmax(), x.max(0).indices, x > 0, x.sign() > 0):
            assert result.grad_fn is None
            assert not result.requires_grad


@pytest.mark.parametrize(
    "expression",
    [lambda m, x: x // 2, lambda m, x, y: m.floor_divide(x, y)],
    ids=["x // 2", "floor_divide(x, y)"],
)
def test_floor_divide_records_a_node_like_torch(expression: Callable[..., Any]) -> None:
    """torch records floor_divide (a node whose backward is not implemented)."""
    core_out, _, torch_out, _ = run_both(expression)
    assert core_out.requires_grad == torch_out.requires_grad
    assert type(core_out.grad_fn).__name__ == type(torch_out.grad_fn).__name__


def test_node_name_metadata_and_edges_are_torchs() -> None:
    """name() is the class name, metadata an empty dict, next_functions a tuple of pairs."""
    for m in (core, torch):
        x = make_leaf(m, LEAF_VALUES["x"])
        node = (x * 2).grad_fn
        assert node.name() == type(node).__name__ == "MulBackward0"
        assert node.metadata == {}
        assert isinstance(node.next_functions, tuple)
        assert all(isinstance(edge, tuple) and len(edge) == 2 for edge in node.next_functions)
        assert x.grad_fn is None


def test_max_over_a_dim_records_one_node_for_values_and_indices_like_torch() -> None:
    """values is output 0 of MaxBackward0; the int indices have no grad_fn."""
    for m in (core, torch):
        result = make_leaf(m, LEAF_VALUES["x"]).max(0)
        assert type(result.values.grad_fn).__name__ == "MaxBackward0"
        assert result.values.output_nr == 0
        assert result.indices.grad_fn is None


def test_pieces_share_one_node_with_numbered_outputs_like_torch() -> None:
    """All pieces of unbind/split/chunk hang on one node; output_nr counts them."""
    for m in (core, torch):
        x = make_leaf(m, LEAF_VALUES["x"])
        for pieces in (x.unbind(1), x.split(1), x.split([2, 1]), x.chunk(3, 1)):
            assert len({id(piece.grad_fn) for piece in pieces}) == 1
            assert [piece.output_nr for piece in pieces] == list(range(len(pieces)))


def test_sequence_numbers_grow_with_each_recorded_op_like_torch() -> None:
    """A later op's node has a larger _sequence_nr; AccumulateGrad's is above all of them."""
    for m in (core, torch):
        x = make_leaf(m, LEAF_VALUES["x"])
        first = x * 2
        second = first + 1
        third = second.sum()
        numbers = [t.grad_fn._sequence_nr() for t in (first, second, third)]
        assert numbers == sorted(numbers) and len(set(numbers)) == 3
        accumulator = first.grad_fn.next_functions[0][0]
        assert accumulator._sequence_nr() > numbers[-1]


def test_accumulate_grad_node_is_shared_by_every_use_of_a_leaf_like_torch() -> None:
    """Two ops on one leaf point to the same AccumulateGrad object."""
    for m in (core, torch):
        x = make_leaf(m, LEAF_VALUES["x"])
        first, second = x * 2, x + 1
        assert first.grad_fn.next_functions[0][0] is second.grad_fn.next_functions[0][0]


@pytest.mark.parametrize(
    ("expression", "attribute", "source"),
    [
        (lambda m, x, y: x * y, "_saved_self", "x"),
        (lambda m, x, y: x * y, "_saved_other", "y"),
        (lambda m, x, y: x / y, "_saved_other", "y"),
        (lambda m, x: x.exp(), "_saved_result", None),
        (lambda m, x: x.tanh(), "_saved_result", None),
        (lambda m, x: x.sigmoid(), "_saved_result", None),
        (lambda m, x: x.sin(), "_saved_self", "x"),
        (lambda m, y: y.log(), "_saved_self", "y"),
        (lambda m, x: x.pow(2), "_saved_self", "x"),
    ],
    ids=["mul self", "mul other", "div other", "exp", "tanh", "sigmoid", "sin", "log", "pow"],
)
def test_saved_tensors_are_the_right_tensors_like_torch(
    expression: Callable[..., Any], attribute: str, source: str | None
) -> None:
    """``grad_fn._saved_*`` holds the input (or result) the formula reads, as in torch."""
    core_out, core_leaves, torch_out, torch_leaves = run_both(expression)
    core_saved = getattr(core_out.grad_fn, attribute)
    torch_saved = getattr(torch_out.grad_fn, attribute)
    assert_same_values(core_saved, torch_saved)
    core_source = core_out if source is None else core_leaves[source]
    torch_source = torch_out if source is None else torch_leaves[source]
    assert core_saved.data_ptr() == core_source.data_ptr()
    assert torch_saved.data_ptr() == torch_source.data_ptr()


def test_saved_tensor_of_a_constant_operand_is_that_tensor_like_torch() -> None:
    """x * w with w not requiring grad saves w itself."""
    for m in (core, torch):
        x = make_leaf(m, LEAF_VALUES["x"])
        w = make_leaf(m, LEAF_VALUES["y"], requires_grad=False)
        assert (x * w).grad_fn._saved_other is w


def test_saved_tensors_are_freed_after_backward_like_torch() -> None:
    """Reading _saved_self after a backward without retain_graph raises torch's error."""
    outs = {}
    for m in (core, torch):
        x, y = make_leaf(m, LEAF_VALUES["x"]), make_leaf(m, LEAF_VALUES["y"])
        product = x * y
        product.sum().backward()
        outs[m] = product
    assert_same_error(
        lambda: outs[core].grad_fn._saved_self, lambda: outs[torch].grad_fn._saved_self
    )


# -- 2. in-place ops rewrite the graph ----------------------------------------------------


def add_one_to_row_zero(m: Any, b: Any) -> None:
    """Python's ``b[0] += 1``: get the row, add in place, set it back."""
    row = b[0]
    row += 1
    b[0] = row


IN_PLACE_WRITES: dict[str, Callable[..., Any]] = {
    "mul_(2)": lambda m, b: b.mul_(2),
    "mul_(c)": lambda m, b, c: b.mul_(c),
    "b += 1": lambda m, b: b.__iadd__(1),
    "b += c": lambda m, b, c: b.__iadd__(c),
    "add_(c, alpha)": lambda m, b, c: b.add_(c, alpha=2),
    "sub_(c)": lambda m, b, c: b.sub_(c),
    "b -= 1": lambda m, b: b.__isub__(1),
    "div_(c)": lambda m, b, c: b.div_(c),
    "b /= 2": lambda m, b: b.__itruediv__(2),
    "fill_": lambda m, b: b.fill_(3.0),
    "zero_": lambda m, b: b.zero_(),
    "copy_(c)": lambda m, b, c: b.copy_(c),
    "copy_ of a row, broadcast": lambda m, b, r: b.copy_(r),
    "clamp_": lambda m, b: b.clamp_(-0.5, 0.5),
    "clamp_(min=c)": lambda m, b, c: b.clamp_(min=c),
    "pow_(2)": lambda m, b: b.pow_(2),
    "b[0] = 5": lambda m, b: b.__setitem__(0, 5.0),
    "b[0] = leaf": lambda m, b, r: b.__setitem__(0, r),
    "b[:, 1] = leaf": lambda m, b, k: b.__setitem__((slice(None), 1), k),
    "b[[0]] = 1.": lambda m, b: b.__setitem__([0], 1.0),
    "b[b>0] = 1.": lambda m, b: b.__setitem__(b > 0, 1.0),
    "b[[0,1],[1,2]] = leaf": lambda m, b, p: b.__setitem__(([0, 1], [1, 2]), p),
    "b[0] += 1": add_one_to_row_zero,
    "view of a view mul_": lambda m, b: b[0][1:].mul_(2),
    "t()[1] add_ leaf": lambda m, b, k: b.t()[1].add_(k),
    "two writes through views": lambda m, b, r: (b[0].mul_(r), b[:, 0].add_(1)),
    "write the base, then through a view": lambda m, b, r: (b.mul_(2), b[1].mul_(r)),
}

IN_PLACE_LEAF_VALUES = {
    "a": LEAF_VALUES["x"],
    "c": LEAF_VALUES["y"],
    "r": LEAF_VALUES["v"],
    "k": LEAF_VALUES["w"],
    "p": LEAF_VALUES["p"],
}


def run_in_place_both(write: Callable[..., Any]) -> tuple[Any, dict[str, Any], Any, dict[str, Any]]:
    """``b = a.clone()`` then ``write(m, b, ...)``, with core and with torch; returns each b."""
    names = ["a", *parameter_names(write)[1:]]
    written = {}
    for m in (core, torch):
        leaves = {name: make_leaf(m, IN_PLACE_LEAF_VALUES[name]) for name in names}
        b = leaves["a"].clone()
        write(m, b, **{name: leaves[name] for name in names[1:]})
        written[m] = (b, leaves)
    return (*written[core], *written[torch])


@pytest.mark.parametrize("write", IN_PLACE_WRITES.values(), ids=IN_PLACE_WRITES.keys())
def test_in_place_write_rewrites_graph_and_gradients_like_torch(write: Callable[..., Any]) -> None:
    """After ``b = a.clone()`` and an in-place write: b's graph, version, values, grads."""
    core_b, core_leaves, torch_b, torch_leaves = run_in_place_both(write)
    assert_same_graph(core_b, core_leaves, torch_b, torch_leaves)
    assert core_b._version == torch_b._version
    assert_same_values(core_b, torch_b)
    backward_with_seed(core, core_b)
    backward_with_seed(torch, torch_b)
    assert_same_grads(core_leaves, torch_leaves)


IN_PLACE_WRITES_INTO_A_CONSTANT: dict[str, Callable[..., Any]] = {
    "add_(c)": lambda m, b, c: b.add_(c),
    "mul_(c)": lambda m, b, c: b.mul_(c),
    "copy_(c)": lambda m, b, c: b.copy_(c),
    "clamp_(max=c)": lambda m, b, c: b.clamp_(max=c),
    "b[0] = leaf": lambda m, b, r: b.__setitem__(0, r),
    "b[[0,1],[1,2]] = leaf": lambda m, b, p: b.__setitem__(([0, 1], [1, 2]), p),
    "b[:, 1].mul_(k)": lambda m, b, k: b[:, 1].mul_(k),
    "b.t()[2].copy_(k)": lambda m, b, k: b.t()[2].copy_(k),
    "b[0] = leaf, then mul_(2)": lambda m, b, r: (b.__setitem__(0, r), b.mul_(2)),
}


@pytest.mark.parametrize(
    "write", IN_PLACE_WRITES_INTO_A_CONSTANT.values(), ids=IN_PLACE_WRITES_INTO_A_CONSTANT.keys()
)
def test_in_place_write_into_a_constant_like_torch(write: Callable[..., Any]) -> None:
    """A tensor without grad written with a leaf requires grad from then on, as in torch."""
    found = {}
    for m in (core, torch):
        names = parameter_names(write)[1:]
        leaves = {name: make_leaf(m, IN_PLACE_LEAF_VALUES[name]) for name in names}
        b = make_leaf(m, LEAF_VALUES["x"], requires_grad=False)
        write(m, b, **leaves)
        found[m] = (b, leaves)
        assert b.requires_grad and not b.is_leaf
    (core_b, core_leaves), (torch_b, torch_leaves) = found[core], found[torch]
    assert_same_graph(core_b, core_leaves, torch_b, torch_leaves)
    assert_same_values(core_b, torch_b)
    backward_with_seed(core, core_b)
    backward_with_seed(torch, torch_b)
    assert_same_grads(core_leaves, torch_leaves)


def test_mul_by_a_leaf_in_place_sends_the_old_value_to_the_leaf() -> None:
    """``b.mul_(c)``: c's gradient is b's value before the write, as in torch."""
    grads = {}
    for m in (core, torch):
        a, c = make_leaf(m, LEAF_VALUES["x"]), make_leaf(m, LEAF_VALUES["y"])
        b = a.clone()
        b.mul_(c)
        b.sum().backward()
        grads[m] = c.grad
        np.testing.assert_allclose(values_of(c.grad), LEAF_VALUES["x"])
    assert_same_values(grads[core], grads[torch])


def test_in_place_mul_saves_a_differentiable_old_value_like_torch() -> None:
    """``b = x.clone(); b.mul_(c)``: c's gradient (old b) still depends on x with create_graph."""
    found = {}
    for m in (core, torch):
        x, c = make_leaf(m, LEAF_VALUES["x"]), make_leaf(m, LEAF_VALUES["y"])
        b = x.clone()
        b.mul_(c)
        (grad_c,) = m.autograd.grad(b.sum(), [c], create_graph=True)
        found[m] = (grad_c.requires_grad, type(grad_c.grad_fn).__name__)
    assert found[core] == found[torch]


def test_in_place_on_a_base_regenerates_the_views_history_like_torch() -> None:
    """Views taken before ``b.mul_(2)`` get AsStridedBackward0 from b's new history."""
    structures, leaves = {}, {}
    for m in (core, torch):
        a = make_leaf(m, LEAF_VALUES["x"])
        b = a.clone()
        row, column, transposed = b[0], b[:, 1], b.t()
        b.mul_(2)
        leaves[m] = {"a": a}
        structures[m] = [graph(view.grad_fn, leaves[m]) for view in (row, column, transposed)]
        (row.sum() * 3 + (column * column).sum() + transposed[1:].exp().sum()).backward()
    assert structures[core] == structures[torch]
    assert_same_grads(leaves[core], leaves[torch])


def test_in_place_through_a_view_gives_the_base_copy_slices_like_torch() -> None:
    """``b[:, 1].mul_(k)``: b's grad_fn is CopySlices, the view's AsStridedBackward0."""
    found = {}
    for m in (core, torch):
        a, k = make_leaf(m, LEAF_VALUES["x"]), make_leaf(m, LEAF_VALUES["w"])
        b = a.clone()
        column = b[:, 1]
        column.mul_(k)
        leaves = {"a": a, "k": k}
        found[m] = (b, column, leaves)
    core_b, core_column, core_leaves = found[core]
    torch_b, torch_column, torch_leaves = found[torch]
    assert_same_graph(core_b, core_leaves, torch_b, torch_leaves)
    assert_same_graph(core_column, core_leaves, torch_column, torch_leaves)
    assert type(core_b.grad_fn).__name__ == "CopySlices"
    assert type(core_column.grad_fn).__name__ == "AsStridedBackward0"
    assert core_column._version == torch_column._version
    for m in (core, torch):
        b, column, _ = found[m]
        (b.sum() + (column * column).sum()).backward()
    assert_same_grads(core_leaves, torch_leaves)


def test_view_history_after_write_through_a_sibling_view_like_torch() -> None:
    """A row view reads the base's CopySlices history after a write through a column view."""
    found = {}
    for m in (core, torch):
        a = make_leaf(m, LEAF_VALUES["x"])
        b = a.clone()
        row, column = b[0], b[:, 2]
        column.mul_(3)
        leaves = {"a": a}
        found[m] = (row, leaves, graph(row.grad_fn, leaves))
        (row * row).sum().backward()
    assert found[core][2] == found[torch][2]
    assert_same_grads(found[core][1], found[torch][1])


def test_views_of_a_view_written_in_place_like_torch() -> None:
    """``b[1][::2].add_(1)`` then ``b.t()`` and ``b[1]`` read the new history."""
    found = {}
    for m in (core, torch):
        a = make_leaf(m, LEAF_VALUES["x"])
        b = a.clone()
        row = b[1]
        row[::2].add_(1)
        leaves = {"a": a}
        found[m] = (graph(b.grad_fn, leaves), graph(row.grad_fn, leaves), leaves)
        (row.exp().sum() + b.t().sum()).backward()
    assert found[core][:2] == found[torch][:2]
    assert_same_grads(found[core][2], found[torch][2])


def test_version_counter_counts_in_place_writes_like_torch() -> None:
    """Every in-place write bumps the shared version; views and detach() share it."""
    versions = {}
    for m in (core, torch):
        b = make_leaf(m, LEAF_VALUES["x"]).clone()
        view, detached = b[0], b.detach()
        seen = [b._version]
        b.add_(1)
        seen.append(view._version)
        view.mul_(2)
        seen.append(b._version)
        detached.zero_()
        seen += [b._version, view._version, detached._version]
        b[0] = 1.0
        seen.append(detached._version)
        versions[m] = seen
    assert versions[core] == versions[torch]


# -- 3. gradient accumulation -------------------------------------------------------------


def test_two_backward_calls_accumulate_in_place_like_torch() -> None:
    """With retain_graph=True, a second backward adds into the same .grad object."""
    found = {}
    for m in (core, torch):
        x, y = make_leaf(m, LEAF_VALUES["x"]), make_leaf(m, LEAF_VALUES["y"])
        total = (x * y).sum()
        total.backward(retain_graph=True)
        first_grad = x.grad
        first_values = values_of(first_grad).copy()
        total.backward()
        assert x.grad is first_grad
        np.testing.assert_allclose(values_of(x.grad), 2 * first_values)
        found[m] = {"x": x, "y": y}
    assert_same_grads(found[core], found[torch])


def test_backward_of_different_roots_accumulates_like_torch() -> None:
    """Gradients of two different outputs add up in the leaves."""
    found = {}
    for m in (core, torch):
        x, y = make_leaf(m, LEAF_VALUES["x"]), make_leaf(m, LEAF_VALUES["y"])
        (x * y).sum().backward()
        (x.exp() - y).mean().backward()
        found[m] = {"x": x, "y": y}
    assert_same_grads(found[core], found[torch])


def test_several_uses_of_one_tensor_add_their_gradients_like_torch() -> None:
    """A leaf and an intermediate used several times get the sum of the paths."""
    found = {}
    for m in (core, torch):
        x, y = make_leaf(m, LEAF_VALUES["x"]), make_leaf(m, LEAF_VALUES["y"])
        h = x * y
        h.retain_grad()
        (h * h + h.t().t() * x + x[0].sum() + h).sum().backward()
        found[m] = ({"x": x, "y": y}, h.grad)
    assert_same_grads(found[core][0], found[torch][0])
    assert_same_values(found[core][1], found[torch][1])


def test_grad_set_to_none_starts_fresh_like_torch() -> None:
    """After ``x.grad = None`` the next backward makes a new gradient."""
    found = {}
    for m in (core, torch):
        x = make_leaf(m, LEAF_VALUES["x"])
        (x * 2).sum().backward()
        old = x.grad
        x.grad = None
        (x * 3).sum().backward()
        assert x.grad is not old
        found[m] = {"x": x}
    assert_same_grads(found[core], found[torch])


def test_assigned_grad_is_accumulated_into_like_torch() -> None:
    """A .grad set by hand is the tensor later backward calls add into."""
    found = {}
    for m in (core, torch):
        x = make_leaf(m, LEAF_VALUES["x"])
        given = m.ones(3, 4, dtype=m.float64)
        x.grad = given
        (x * 3).sum().backward()
        assert x.grad is given
        found[m] = {"x": x}
    assert_same_grads(found[core], found[torch])


def transposed_leaf(m: Any) -> Any:
    return make_leaf(m, LEAF_VALUES["x"].T, requires_grad=False).t().requires_grad_()


def non_dense_leaf(m: Any) -> Any:
    return make_leaf(m, LEAF_VALUES["b"], requires_grad=False)[:, ::2, 1:].requires_grad_()


def expanded_leaf(m: Any) -> Any:
    return make_leaf(m, LEAF_VALUES["v"], requires_grad=False).expand(3, 4).requires_grad_()


def channels_last_leaf(m: Any) -> Any:
    values = make_leaf(m, LEAF_VALUES["b"].reshape(1, 2, 3, 4), requires_grad=False)
    return values.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2).requires_grad_()


@pytest.mark.parametrize(
    "make", [transposed_leaf, non_dense_leaf, expanded_leaf, channels_last_leaf]
)
@pytest.mark.parametrize("gradient_layout", ["contiguous", "transposed"])
def test_grad_strides_follow_the_leaf_like_torch(
    make: Callable[[Any], Any], gradient_layout: str
) -> None:
    """The first .grad has the leaf's strides when it is dense, else contiguous ones."""
    found = {}
    for m in (core, torch):
        leaf = make(m)
        assert leaf.is_leaf and leaf.requires_grad
        result = leaf * 2
        gradient = seed_gradient(m, result.shape)
        if gradient_layout == "transposed":
            gradient = seed_gradient(m, result.shape[::-1]).permute(
                *range(result.dim() - 1, -1, -1)
            )
        result.backward(gradient)
        found[m] = {"leaf": leaf}
    assert_same_grads(found[core], found[torch])


def test_accumulated_grad_keeps_its_strides_like_torch() -> None:
    """A second backward adds into the transposed .grad, keeping its strides."""
    found = {}
    for m in (core, torch):
        leaf = transposed_leaf(m)
        (leaf * 2).sum().backward()
        (leaf.exp()).sum().backward()
        found[m] = {"leaf": leaf}
    assert_same_grads(found[core], found[torch])


# -- 4. leaf flags, retain_grad, grad mode ------------------------------------------------


def test_leaf_flags_like_torch() -> None:
    """is_leaf, requires_grad, retains_grad and output_nr of leaves, results and constants."""
    flags = {}
    for m in (core, torch):
        x = make_leaf(m, LEAF_VALUES["x"])
        constant = make_leaf(m, LEAF_VALUES["y"], requires_grad=False)
        product = x * constant
        tensors = [x, constant, product, constant * 2, x.detach(), product.detach(), x[0]]
        flags[m] = [
            (t.is_leaf, t.requires_grad, t.retains_grad, t.output_nr, t.grad_fn is None)
            for t in tensors
        ]
    assert flags[core] == flags[torch]


def test_requires_grad_underscore_true_on_a_non_leaf_is_allowed_like_torch() -> None:
    """A result already requires grad: requires_grad_() (True) returns it unchanged."""
    for m in (core, torch):
        h = make_leaf(m, LEAF_VALUES["x"]) * 2
        assert h.requires_grad_() is h
        assert h.requires_grad and not h.is_leaf


def test_requires_grad_underscore_returns_the_tensor_and_sets_the_flag_like_torch() -> None:
    """requires_grad_() and requires_grad_(False) return self and flip the flag of a leaf."""
    for m in (core, torch):
        t = make_leaf(m, LEAF_VALUES["x"], requires_grad=False)
        assert t.requires_grad_() is t
        assert t.requires_grad and t.is_leaf
        assert t.requires_grad_(False) is t
        assert not t.requires_grad
        t.requires_grad = True
        assert t.requires_grad


def test_retain_grad_keeps_the_gradient_of_a_non_leaf_like_torch() -> None:
    """retain_grad() makes retains_grad True and fills .grad; a leaf's retain_grad is a no-op."""
    found = {}
    for m in (core, torch):
        x, y = make_leaf(m, LEAF_VALUES["x"]), make_leaf(m, LEAF_VALUES["y"])
        h = x * y
        g = h.tanh()
        h.retain_grad()
        x.retain_grad()
        assert h.retains_grad and not x.retains_grad
        (g * 3).sum().backward(retain_graph=True)
        first = h.grad
        (g * 3).sum().backward()
        found[m] = (h.grad, values_of(first).copy())
    assert_same_values(found[core][0], found[torch][0])
    np.testing.assert_allclose(found[core][1], found[torch][1])


def test_retain_grad_on_a_piece_of_split_like_torch() -> None:
    """retain_grad on output 1 of a split gets only that piece's gradient."""
    found = {}
    for m in (core, torch):
        x = make_leaf(m, LEAF_VALUES["x"])
        first, second = x.split([1, 2])
        second.retain_grad()
        assert not first.retains_grad
        (first.sum() + (second * second).sum()).backward()
        found[m] = second.grad
    assert_same_values(found[core], found[torch])


def test_retain_grad_before_an_in_place_write_like_torch() -> None:
    """A tensor that retains grad and is then written in place still gets its gradient."""
    found = {}
    for m in (core, torch):
        x = make_leaf(m, LEAF_VALUES["x"])
        h = x * 2
        h.retain_grad()
        h.mul_(3)
        (h * h).sum().backward()
        found[m] = (h.grad, {"x": x})
    assert_same_values(found[core][0], found[torch][0])
    assert_same_grads(found[core][1], found[torch][1])


def test_grad_of_a_non_leaf_warns_like_torch() -> None:
    """Reading .grad of a non-leaf that does not retain grad warns with torch's text."""
    messages = {}
    for m in (core, torch):
        h = make_leaf(m, LEAF_VALUES["x"]) * 2
        with pytest.warns(UserWarning) as record:
            assert h.grad is None
        messages[m] = str(record[0].message)
    assert up_to_instead(messages[core]) == up_to_instead(messages[torch])


def test_grad_of_a_leaf_or_a_retaining_tensor_does_not_warn_like_torch() -> None:
    """Leaves, constants and tensors after retain_grad() read .grad silently."""
    for m in (core, torch):
        x = make_leaf(m, LEAF_VALUES["x"])
        h = x * 2
        h.retain_grad()
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert x.grad is None
            assert h.grad is None
            assert make_leaf(m, LEAF_VALUES["x"], requires_grad=False).grad is None


def grad_mode_trace(m: Any) -> list[Any]:
    """is_grad_enabled and requires_grad seen through nested grad-mode switches."""
    x = make_leaf(m, LEAF_VALUES["x"])
    trace: list[Any] = [m.is_grad_enabled()]
    with m.no_grad():
        trace.append(m.is_grad_enabled())
        inside = x * 2
        trace += [inside.requires_grad, inside.grad_fn is None]
        with m.enable_grad():
            trace.append(m.is_grad_enabled())
            trace.append((x * 2).requires_grad)
        trace.append(m.is_grad_enabled())
        with m.set_grad_enabled(True):
            trace.append(m.is_grad_enabled())
        trace.append(m.is_grad_enabled())
    trace.append(m.is_grad_enabled())
    with m.set_grad_enabled(False):
        trace.append(m.is_grad_enabled())
    trace.append(m.is_grad_enabled())
    try:
        m.set_grad_enabled(False)
        trace.append(m.is_grad_enabled())
        trace.append((x * 2).requires_grad)
        m.set_grad_enabled(True)
        trace.append(m.is_grad_enabled())
    finally:
        m.set_grad_enabled(True)

    @m.no_grad()
    def doubled_without_grad(t: Any) -> Any:
        trace.append(m.is_grad_enabled())
        return t * 2

    @m.set_grad_enabled(False)
    def doubled_with_grad_disabled(t: Any) -> Any:
        trace.append(m.is_grad_enabled())
        return t * 2

    trace.append(m.is_grad_enabled())
    trace.append(doubled_without_grad(x).requires_grad)
    trace.append(doubled_with_grad_disabled(x).requires_grad)
    trace.append(m.is_grad_enabled())
    with m.no_grad():

        @m.enable_grad()
        def doubled_with_grad(t: Any) -> Any:
            return t * 2

        trace.append(doubled_with_grad(x).requires_grad)
        trace.append(m.is_grad_enabled())
    return trace


def test_grad_mode_switches_like_torch() -> None:
    """no_grad, enable_grad, set_grad_enabled (call, with, decorator), is_grad_enabled."""
    assert grad_mode_trace(core) == grad_mode_trace(torch)
    assert core.is_grad_enabled() and torch.is_grad_enabled()


def test_view_made_under_no_grad_like_torch() -> None:
    """A view of a leaf that requires grad, made under no_grad: a leaf that requires grad."""
    flags = {}
    for m in (core, torch):
        x = make_leaf(m, LEAF_VALUES["x"])
        h = x * 2
        with m.no_grad():
            views = [x[0], x.t(), h[1:], h.view(12)]
        flags[m] = [
            (v.requires_grad, v.is_leaf, v.grad_fn is None, v._base is not None) for v in views
        ]
    assert flags[core] == flags[torch]


def test_grad_mode_is_restored_after_an_exception_like_torch() -> None:
    """Leaving a no_grad block by an exception turns grad mode back on."""
    for m in (core, torch):
        with pytest.raises(ZeroDivisionError), m.no_grad():
            _ = 1 / 0
        assert m.is_grad_enabled()


def test_autograd_namespace_has_the_grad_mode_switches_like_torch() -> None:
    """core.autograd exposes no_grad/enable_grad/set_grad_enabled as torch.autograd does."""
    for m in (core, torch):
        with m.autograd.no_grad():
            assert not m.is_grad_enabled()
            with m.autograd.enable_grad():
                assert m.is_grad_enabled()
        with m.autograd.set_grad_enabled(False):
            assert not m.is_grad_enabled()
        assert m.is_grad_enabled()


def test_in_place_under_no_grad_is_not_recorded_like_torch() -> None:
    """Under no_grad a leaf that requires grad can be written; it stays a leaf."""
    found = {}
    for m in (core, torch):
        x = make_leaf(m, LEAF_VALUES["x"])
        with m.no_grad():
            x.mul_(2)
            x[0] = 1.0
        assert x.is_leaf and x.grad_fn is None and x.requires_grad
        (x * x).sum().backward()
        found[m] = ({"x": x}, x._version)
    assert_same_grads(found[core][0], found[torch][0])
    assert found[core][1] == found[torch][1]


def test_detach_shares_storage_and_version_but_not_history_like_torch() -> None:
    """detach(): same data_ptr and version counter, no grad_fn, not a view (_base None)."""
    facts = {}
    for m in (core, torch):
        h = make_leaf(m, LEAF_VALUES["x"]) * 2
        detached = h.detach()
        before = h._version
        detached.add_(1)
        facts[m] = [
            detached.data_ptr() == h.data_ptr(),
            detached.grad_fn is None,
            detached.requires_grad,
            detached.is_leaf,
            detached._base is None,
            h._version - before,
            detached._version == h._version,
        ]
        np.testing.assert_allclose(values_of(h), LEAF_VALUES["x"] * 2 + 1)
    assert facts[core] == facts[torch]


def test_detach_in_place_of_a_non_view_makes_a_leaf_like_torch() -> None:
    """detach_() cuts a non-view result from its graph: leaf, no grad, same object."""
    for m in (core, torch):
        h = make_leaf(m, LEAF_VALUES["x"]) * 2
        assert h.detach_() is h
        assert h.is_leaf and not h.requires_grad and h.grad_fn is None


def test_detach_in_place_of_a_view_raises_like_torch() -> None:
    """detach_() on a view raises torch's RuntimeError (compared up to "instead.")."""
    views = {m: make_leaf(m, LEAF_VALUES["x"]).clone()[0] for m in (core, torch)}
    assert_same_error_up_to_instead(lambda: views[core].detach_(), lambda: views[torch].detach_())


# -- 5. errors ----------------------------------------------------------------------------


def modified_saved_non_leaf(m: Any) -> Any:
    """Backward through a * a after ``a = x + 1`` was changed in place."""
    x = make_leaf(m, LEAF_VALUES["w"])
    a = x + 1
    product = a * a
    a.add_(1)
    return lambda: product.sum().backward()


def modified_saved_constant(m: Any) -> Any:
    """Backward through x * w after the constant w was changed in place."""
    x = make_leaf(m, LEAF_VALUES["w"])
    w = make_leaf(m, LEAF_VALUES["w"], requires_grad=False)
    product = x * w
    w.add_(1)
    return lambda: product.sum().backward()


def modified_saved_result(m: Any) -> Any:
    """Backward through exp after its saved result was changed in place."""
    x = make_leaf(m, LEAF_VALUES["w"])
    result = x.exp()
    result.mul_(2)
    return lambda: result.sum().backward()


def modified_saved_non_leaf_by_another_op(m: Any) -> Any:
    """Backward through a * a after ``a = x + 1`` was multiplied in place (now output of Mul)."""
    x = make_leaf(m, LEAF_VALUES["w"])
    a = x + 1
    product = a * a
    a.mul_(2)
    return lambda: product.sum().backward()


def modified_by_in_place_mul_by_itself(m: Any) -> Any:
    """``b.mul_(b)`` saved b as the other factor, and then changed it."""
    b = make_leaf(m, LEAF_VALUES["w"]).clone()
    b.mul_(b)
    return lambda: b.sum().backward()


def modified_through_a_view(m: Any) -> Any:
    """Backward through h.sin() after ``h[0] = 0`` (h's history is now CopySlices)."""
    h = make_leaf(m, LEAF_VALUES["x"]) * 1
    sine = h.sin()
    h[0] = 0.0
    return lambda: sine.sum().backward()


def modified_leaf_under_no_grad(m: Any) -> Any:
    """Backward through x * x after the leaf x was changed under no_grad."""
    x = make_leaf(m, LEAF_VALUES["x"])
    square = x * x
    with m.no_grad():
        x.add_(1)
    return lambda: square.sum().backward()


def modified_float32_tensor(m: Any) -> Any:
    """The message names a float32 tensor as a FloatTensor."""
    x = make_leaf(m, LEAF_VALUES["w"]).float()
    e = x.exp()
    product = e * e
    e.add_(1)
    return lambda: product.sum().backward()


def modified_zero_dim_tensor(m: Any) -> Any:
    """The message shows a 0-d tensor's sizes as []."""
    t = make_leaf(m, LEAF_VALUES["s"]) * 1
    product = t * t
    t.add_(1)
    return lambda: product.backward()


def modified_through_detach(m: Any) -> Any:
    """detach() shares the version counter: zeroing it breaks the saved exp result."""
    result = make_leaf(m, LEAF_VALUES["x"]).exp()
    result.detach().zero_()
    return lambda: result.sum().backward()


def modified_saved_view_base(m: Any) -> Any:
    """Backward through row * row after the base of the row was changed."""
    x = make_leaf(m, LEAF_VALUES["x"])
    h = x * 1
    row = h[0]
    product = row * row
    h.add_(1)
    return lambda: product.sum().backward()


@pytest.mark.parametrize(
    "make_backward",
    [
        modified_saved_non_leaf,
        modified_saved_non_leaf_by_another_op,
        modified_saved_constant,
        modified_saved_result,
        modified_by_in_place_mul_by_itself,
        modified_through_a_view,
        modified_leaf_under_no_grad,
        modified_float32_tensor,
        modified_zero_dim_tensor,
        modified_through_detach,
        modified_saved_view_base,
    ],
)
def test_modified_saved_tensor_error_like_torch(make_backward: Callable[[Any], Any]) -> None:
    """The version-counter error names the tensor, its node and versions as torch does."""
    assert_same_error_up_to_instead(make_backward(core), make_backward(torch))


def test_modified_saved_tensor_exact_message() -> None:
    """The version-counter message for ``a = w + 1`` changed once, written out."""
    error = raised(modified_saved_non_leaf(core))
    assert up_to_instead(str(error)) == (
        "one of the variables needed for gradient computation has been modified by an inplace "
        "operation: [core.DoubleTensor [3]], which is output 0 of Add, is at version 1; "
        "expected version 0 instead."
    )


def backward_twice(m: Any, expression: Callable[..., Any]) -> Callable[[], Any]:
    x = make_leaf(m, LEAF_VALUES["x"])
    total = expression(x)
    total.backward()
    return lambda: total.backward()


@pytest.mark.parametrize(
    "expression",
    [
        lambda x: (x * x).sum(),
        lambda x: x.exp().sum(),
        lambda x: (x.tanh() @ x.t()).sum(),
        lambda x: (x * 2).sum(),
        lambda x: (x / 2).sum(),
        lambda x: x[[0, 2]].sum(),
        lambda x: x[x > 0].sum(),
    ],
    ids=["x*x", "exp", "tanh matmul", "x*2", "x/2", "x[[0,2]]", "x[x>0]"],
)
def test_second_backward_without_retain_graph_fails_like_torch(
    expression: Callable[..., Any],
) -> None:
    """Nodes that saved tensors cannot run twice without retain_graph."""
    assert_same_error(backward_twice(core, expression), backward_twice(torch, expression))


@pytest.mark.parametrize(
    "expression",
    [
        lambda x: (x + 1).sum(),
        lambda x: (2 - x).t().sum(),
        lambda x: x[0].sum(),
        lambda x: x.clone().reshape(12).sum(),
    ],
    ids=["x+1", "2-x then t", "x[0]", "clone reshape"],
)
def test_second_backward_through_nodes_without_saved_tensors_works_like_torch(
    expression: Callable[..., Any],
) -> None:
    """Nothing freed, nothing to complain about: the gradient simply accumulates."""
    found = {}
    for m in (core, torch):
        x = make_leaf(m, LEAF_VALUES["x"])
        total = expression(x)
        total.backward()
        total.backward()
        found[m] = {"x": x}
    assert_same_grads(found[core], found[torch])


def in_place_on_leaf(m: Any) -> Callable[[], Any]:
    x = make_leaf(m, LEAF_VALUES["x"])
    return lambda: x.add_(1)


def setitem_on_leaf(m: Any) -> Callable[[], Any]:
    x = make_leaf(m, LEAF_VALUES["x"])
    return lambda: x.__setitem__(0, 1.0)


def in_place_on_view_of_leaf(m: Any) -> Callable[[], Any]:
    x = make_leaf(m, LEAF_VALUES["x"])
    return lambda: x[0].mul_(2)


def fill_view_of_leaf(m: Any) -> Callable[[], Any]:
    x = make_leaf(m, LEAF_VALUES["x"])
    return lambda: x.t().fill_(1.0)


def in_place_on_no_grad_view(m: Any) -> Callable[[], Any]:
    x = make_leaf(m, LEAF_VALUES["x"])
    with m.no_grad():
        row = x[0]
    return lambda: row.mul_(2)


def in_place_on_no_grad_view_of_non_leaf(m: Any) -> Callable[[], Any]:
    h = make_leaf(m, LEAF_VALUES["x"]) * 2
    with m.no_grad():
        row = h[0]
    return lambda: row.zero_()


def non_scalar_backward(m: Any) -> Callable[[], Any]:
    h = make_leaf(m, LEAF_VALUES["x"]) * 2
    return lambda: h.backward()


def backward_without_grad(m: Any) -> Callable[[], Any]:
    constant = make_leaf(m, LEAF_VALUES["x"], requires_grad=False).sum()
    return lambda: constant.backward()


def backward_with_wrong_gradient_shape(m: Any) -> Callable[[], Any]:
    h = make_leaf(m, LEAF_VALUES["x"]) * 2
    return lambda: h.backward(m.ones(4, 3, dtype=m.float64))


def int_requires_grad(m: Any) -> Callable[[], Any]:
    integers = m.tensor([1, 2, 3])
    return lambda: integers.requires_grad_()


def int_factory_requires_grad(m: Any) -> Callable[[], Any]:
    return lambda: m.tensor([1, 2, 3], requires_grad=True)


def non_leaf_requires_grad_false(m: Any) -> Callable[[], Any]:
    h = make_leaf(m, LEAF_VALUES["x"]) * 2
    return lambda: setattr(h, "requires_grad", False)


def non_leaf_requires_grad_true(m: Any) -> Callable[[], Any]:
    h = make_leaf(m, LEAF_VALUES["x"]) * 2
    return lambda: setattr(h, "requires_grad", True)


def non_leaf_requires_grad_underscore(m: Any) -> Callable[[], Any]:
    h = make_leaf(m, LEAF_VALUES["x"]) * 2
    return lambda: h.requires_grad_(False)


def grad_with_wrong_dtype(m: Any) -> Callable[[], Any]:
    x = make_leaf(m, LEAF_VALUES["x"])
    return lambda: setattr(x, "grad", m.zeros(3, 4, dtype=m.float32))


def grad_that_is_not_a_tensor(m: Any) -> Callable[[], Any]:
    x = make_leaf(m, LEAF_VALUES["x"])
    return lambda: setattr(x, "grad", 3)


def backward_with_too_few_gradients(m: Any) -> Callable[[], Any]:
    x = make_leaf(m, LEAF_VALUES["x"])
    first, second = x.sum(), (x * 2).sum()
    return lambda: m.autograd.backward([first, second], [m.tensor(1.0, dtype=m.float64)])


def grad_with_wrong_shape(m: Any) -> Callable[[], Any]:
    x = make_leaf(m, LEAF_VALUES["x"])
    return lambda: setattr(x, "grad", m.zeros(4, 3, dtype=m.float64))


def retain_grad_without_grad(m: Any) -> Callable[[], Any]:
    constant = make_leaf(m, LEAF_VALUES["x"], requires_grad=False)
    return lambda: constant.retain_grad()


def numpy_of_leaf(m: Any) -> Callable[[], Any]:
    x = make_leaf(m, LEAF_VALUES["x"])
    return lambda: x.numpy()


def numpy_of_result(m: Any) -> Callable[[], Any]:
    h = make_leaf(m, LEAF_VALUES["x"]) * 2
    return lambda: h.numpy()


def grad_of_unused_input(m: Any) -> Callable[[], Any]:
    x, y = make_leaf(m, LEAF_VALUES["x"]), make_leaf(m, LEAF_VALUES["y"])
    total = (x * 2).sum()
    return lambda: m.autograd.grad(total, [x, y])


def grad_of_input_without_grad(m: Any) -> Callable[[], Any]:
    x = make_leaf(m, LEAF_VALUES["x"])
    constant = make_leaf(m, LEAF_VALUES["y"], requires_grad=False)
    total = (x * constant).sum()
    return lambda: m.autograd.grad(total, [constant])


def grad_of_non_scalar(m: Any) -> Callable[[], Any]:
    x = make_leaf(m, LEAF_VALUES["x"])
    return lambda: m.autograd.grad(x * 2, [x])


ERROR_CASES = [
    in_place_on_leaf,
    setitem_on_leaf,
    in_place_on_view_of_leaf,
    fill_view_of_leaf,
    in_place_on_no_grad_view,
    in_place_on_no_grad_view_of_non_leaf,
    non_scalar_backward,
    backward_without_grad,
    backward_with_wrong_gradient_shape,
    int_requires_grad,
    int_factory_requires_grad,
    non_leaf_requires_grad_false,
    non_leaf_requires_grad_true,
    non_leaf_requires_grad_underscore,
    grad_with_wrong_shape,
    grad_that_is_not_a_tensor,
    backward_with_too_few_gradients,
    retain_grad_without_grad,
    numpy_of_leaf,
    numpy_of_result,
    grad_of_unused_input,
    grad_of_input_without_grad,
    grad_of_non_scalar,
]


@pytest.mark.parametrize("make_action", ERROR_CASES, ids=[f.__name__ for f in ERROR_CASES])
def test_autograd_error_like_torch(make_action: Callable[[Any], Callable[[], Any]]) -> None:
    """Same exception class and message as torch (torch written as core)."""
    assert_same_error(make_action(core), make_action(torch))


def test_assigning_a_grad_of_another_dtype_fails_like_torch() -> None:
    """Torch's first sentence; core then says how to convert (it has no grad_dtype setting)."""
    torch_error, core_error = (
        raised(grad_with_wrong_dtype(torch)),
        raised(grad_with_wrong_dtype(core)),
    )
    assert type(core_error) is type(torch_error) is RuntimeError
    first_sentence = str(torch_error).split(". ")[0]
    assert str(core_error).startswith(first_sentence + ". The gradient must match")
    assert "grad.to(tensor.dtype)" in str(core_error)


def test_failed_in_place_on_a_leaf_leaves_it_unchanged_like_torch() -> None:
    """The refused write changes neither the values nor the version."""
    for m in (core, torch):
        x = make_leaf(m, LEAF_VALUES["x"])
        with pytest.raises(RuntimeError):
            x.add_(1)
        np.testing.assert_array_equal(values_of(x), LEAF_VALUES["x"])
        assert x._version == 0


# -- 6. autograd.grad ---------------------------------------------------------------------


def test_autograd_grad_matches_torch_and_leaves_dot_grad_alone() -> None:
    """grad(outputs, inputs) returns torch's gradients and leaves every .grad None."""
    found = {}
    for m in (core, torch):
        x, y = make_leaf(m, LEAF_VALUES["x"]), make_leaf(m, LEAF_VALUES["y"])
        total = (x * y.exp() + x.t().t() ** 2).sum()
        found[m] = m.autograd.grad(total, [x, y])
        assert x.grad is None and y.grad is None
    assert isinstance(found[core], tuple) and len(found[core]) == 2
    for core_grad, torch_grad in zip(found[core], found[torch], strict=True):
        assert_same_values(core_grad, torch_grad)
        assert not core_grad.requires_grad and not torch_grad.requires_grad


def test_autograd_grad_with_grad_outputs_and_several_outputs_like_torch() -> None:
    """grad_outputs weigh each output; several outputs add up."""
    found = {}
    for m in (core, torch):
        x, y = make_leaf(m, LEAF_VALUES["x"]), make_leaf(m, LEAF_VALUES["y"])
        first, second = x * y, (x - y).sum(0)
        found[m] = m.autograd.grad(
            [first, second],
            [x, y],
            grad_outputs=[seed_gradient(m, first.shape), seed_gradient(m, second.shape)],
        )
    for core_grad, torch_grad in zip(found[core], found[torch], strict=True):
        assert_same_values(core_grad, torch_grad)


def test_autograd_grad_of_a_single_tensor_input_like_torch() -> None:
    """A tensor (not a list) as inputs still gives a one-tuple."""
    found = {}
    for m in (core, torch):
        x = make_leaf(m, LEAF_VALUES["x"])
        found[m] = m.autograd.grad(x.sin().sum(), x)
        assert isinstance(found[m], tuple) and len(found[m]) == 1
    assert_same_values(found[core][0], found[torch][0])


def test_autograd_grad_allow_unused_gives_none_like_torch() -> None:
    """With allow_unused=True an unused input's gradient is None."""
    for m in (core, torch):
        x, y = make_leaf(m, LEAF_VALUES["x"]), make_leaf(m, LEAF_VALUES["y"])
        grad_x, grad_y = m.autograd.grad((x * 2).sum(), [x, y], allow_unused=True)
        np.testing.assert_allclose(values_of(grad_x), np.full((3, 4), 2.0))
        assert grad_y is None


def test_autograd_grad_of_non_leaf_inputs_like_torch() -> None:
    """Gradients with respect to intermediate tensors, and a leaf past them."""
    found = {}
    for m in (core, torch):
        x, y = make_leaf(m, LEAF_VALUES["x"]), make_leaf(m, LEAF_VALUES["y"])
        h = x * y
        g = h.tanh()
        total = (g * h + x).sum()
        found[m] = m.autograd.grad(total, [g, h, x])
        assert x.grad is None and y.grad is None
    for core_grad, torch_grad in zip(found[core], found[torch], strict=True):
        assert_same_values(core_grad, torch_grad)


def test_autograd_grad_fills_retained_grads_like_torch() -> None:
    """A tensor that retains grad gets its .grad from autograd.grad too; leaves do not."""
    found = {}
    for m in (core, torch):
        x = make_leaf(m, LEAF_VALUES["x"])
        h = x * 3
        h.retain_grad()
        m.autograd.grad((h * h).sum(), [x])
        assert x.grad is None
        found[m] = h.grad
    assert_same_values(found[core], found[torch])


def test_autograd_grad_frees_the_graph_unless_retained_like_torch() -> None:
    """A second grad() through saved tensors fails; retain_graph=True allows it."""
    errors, found = {}, {}
    for m in (core, torch):
        x = make_leaf(m, LEAF_VALUES["x"])
        total = (x * x).sum()
        first = m.autograd.grad(total, [x], retain_graph=True)
        second = m.autograd.grad(total, [x])
        found[m] = (first[0], second[0])
        errors[m] = lambda total=total, x=x, m=m: m.autograd.grad(total, [x])
    assert_same_error(errors[core], errors[torch])
    for core_grad, torch_grad in zip(found[core], found[torch], strict=True):
        assert_same_values(core_grad, torch_grad)


SECOND_DERIVATIVES: dict[str, Callable[..., Any]] = {
    "x**3": lambda m, x: (x**3).sum(),
    "tanh": lambda m, x: x.tanh().sum(),
    "exp*sin": lambda m, x: (x.exp() * x.sin()).sum(),
    "x*y mixed": lambda m, x, y: (x * y).sum(),
    "x*x*y": lambda m, x, y: (x * x * y).sum(),
    "sigmoid of matmul": lambda m, x, y: (x @ y.t()).sigmoid().sum(),
    "1/x": lambda m, x: (1 / x).sum(),
    "log of y": lambda m, y: y.log().mean(),
    "pow y**x": lambda m, x, y: (y**x).sum(),
    "sqrt": lambda m, y: y.sqrt().sum(),
    "mean of squares of a view": lambda m, x: (x.t()[1:] ** 2).mean(),
    "squares of a selected row": lambda m, x: (x[1] ** 2).sum(),
    "cubes through a list index": lambda m, x: (x[[0, 2, 0]] ** 3).sum(),
    "cubes through a mask": lambda m, x: (x[x > 0] ** 3).sum(),
    "cat of squares": lambda m, x, y: m.cat([x**2, x * y]).sum(),
    "stack then prod": lambda m, x, y: m.stack([x, y]).prod(0).sum(),
    "split pieces": lambda m, x: (x.split([1, 2])[1] ** 3).sum(),
    "unbind pieces": lambda m, x: (x.unbind(1)[2] * x.unbind(1)[0]).sum(),
    "expanded times x": lambda m, x, v: (v.expand(3, 4) * x * v).sum(),
    "broadcast add squared": lambda m, x, v: ((x + v) ** 2).sum(),
    "unfold": lambda m, x: (x.unfold(1, 2, 1) ** 3).sum(),
    "as_strided": lambda m, x: (x.as_strided((2, 2), (1, 2), 1) ** 3).sum(),
    "diagonal": lambda m, x: (x.diagonal() ** 3).sum(),
    "max": lambda m, x: (x**2).max() * x.sum(),
    "prod": lambda m, y: y.prod(),
    "var": lambda m, x: x.var(),
    "std(1)": lambda m, y: y.std(1).sum(),
    "matmul": lambda m, x, y: ((x @ y.t()) ** 2).sum(),
    "where": lambda m, x, y: m.where(x > 0, x**2, y**3).sum(),
    "clamp": lambda m, x: (x.clamp(-0.5, 0.5) * x).sum(),
    "division": lambda m, x, y: (x / y).sum(),
    "abs times x": lambda m, x: (x.abs() * x).sum(),
    "flip": lambda m, x: (x.flip(0) * x).sum(),
    "to float32 and back": lambda m, x: (x.float().double() ** 3).sum(),
    "in-place through a view": lambda m, x, y: write_row_in_place(x * 1, y).pow(2).sum(),
    "in-place mul": lambda m, x, y: x.clone().mul_(y).mul_(x).sum(),
}


def write_row_in_place(base: Any, factors: Any) -> Any:
    """``base[1].mul_(factors[1])``, returning the base (now with CopySlices history)."""
    base[1].mul_(factors[1])
    return base


@pytest.mark.parametrize("expression", SECOND_DERIVATIVES.values(), ids=SECOND_DERIVATIVES.keys())
def test_create_graph_gives_second_derivatives_like_torch(expression: Callable[..., Any]) -> None:
    """grad(create_graph=True) builds a graph; differentiating it again matches torch."""
    found, differentiable = {}, {}
    for m in (core, torch):
        leaves = leaves_for(m, parameter_names(expression))
        inputs = list(leaves.values())
        first = m.autograd.grad(expression(m, **leaves), inputs, create_graph=True)
        differentiable[m] = [g.requires_grad for g in first]
        second: tuple[Any, ...] = ()
        if all(differentiable[m]):
            weighted = sum((g * seed_gradient(m, g.shape)).sum() for g in first)
            second = m.autograd.grad(weighted, inputs, allow_unused=True)
        found[m] = (first, second)
    assert differentiable[core] == differentiable[torch]
    for core_grads, torch_grads in zip(found[core], found[torch], strict=True):
        for core_grad, torch_grad in zip(core_grads, torch_grads, strict=True):
            if torch_grad is None:
                assert core_grad is None
            else:
                assert_same_values(core_grad, torch_grad)


def test_backward_with_create_graph_gives_a_differentiable_grad_like_torch() -> None:
    """backward(create_graph=True): x.grad has a grad_fn, and its backward gives d²/dx²."""
    first, second = {}, {}
    for m in (core, torch):
        x = make_leaf(m, LEAF_VALUES["x"])
        with warnings.catch_warnings():
            # torch warns of a reference cycle between x and x.grad (a C++ leak)
            warnings.filterwarnings("ignore", "Using backward.. with create_graph=True")
            (x**3).sum().backward(create_graph=True)
        first[m] = x.grad
        assert first[m].requires_grad
        x.grad = None
        first[m].sum().backward()
        second[m] = x.grad
    assert_same_values(first[core], first[torch])
    assert_same_values(second[core], second[torch])


def test_third_derivative_of_x_to_the_fourth_like_torch() -> None:
    """Three nested grad(create_graph=True) calls: d³/dx³ x⁴ = 24x."""
    found = {}
    for m in (core, torch):
        x = make_leaf(m, LEAF_VALUES["w"])
        (first,) = m.autograd.grad((x**4).sum(), [x], create_graph=True)
        (second,) = m.autograd.grad(first.sum(), [x], create_graph=True)
        (third,) = m.autograd.grad(second.sum(), [x])
        found[m] = third
    assert_same_values(found[core], found[torch])
    np.testing.assert_allclose(values_of(found[core]), 24 * LEAF_VALUES["w"])


# -- regressions found in review ----------------------------------------------------------


def _retained_grads(m: Any) -> tuple[list[float], list[float]]:
    x = m.tensor([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], requires_grad=True)
    base = x * 1
    base.retain_grad()
    base[:3].mul_(2)
    base.sum().backward()
    y = m.tensor([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], requires_grad=True) * 1
    view = y[:3]
    view.retain_grad()
    shifted = view + 1
    view.mul_(2)
    (shifted.sum() + (view * view).sum()).backward()
    return base.grad.tolist(), view.grad.tolist()


def test_retained_grad_follows_in_place_writes_through_views_like_torch() -> None:
    """retain_grad on a base, or on a view, counts only the history after the write."""
    assert _retained_grads(core) == _retained_grads(torch)


def test_create_graph_keeps_the_callers_gradient_apart_like_torch() -> None:
    """The first .grad is a copy of the given gradient, even with create_graph."""
    results = {}
    for m in (core, torch):
        x = m.tensor([1.0, 2.0], requires_grad=True)
        given = m.ones(2)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # torch's reference-cycle warning
            x.backward(given, create_graph=True)
        (x * 1).sum().backward()
        results[m] = (x.grad is given, given.tolist(), x.grad.tolist())
    assert results[core] == results[torch]


def test_divisor_gradient_rounds_like_torch() -> None:
    """DivBackward0 computes -grad · (self / other) / other, in torch's order, bit for bit."""
    grads = {}
    for m in (core, torch):
        a = m.tensor([1.0, 2.0, 3.0], dtype=m.float32)
        b = m.tensor([0.004, 0.5, 3.0], dtype=m.float32, requires_grad=True)
        (a / b).sum().backward()
        grads[m] = b.grad.tolist()
    assert grads[core] == grads[torch]


@pytest.mark.parametrize("op", ["tanh", "sigmoid"])
def test_first_derivative_graph_is_torchs_backward_op(op: str) -> None:
    """With create_graph, tanh's and sigmoid's gradients come from one op, as in torch."""
    seen = {}
    for m in (core, torch):
        x = m.tensor([0.3, -1.2, 2.0], dtype=m.float64, requires_grad=True)
        (first,) = m.autograd.grad(getattr(x, op)().sum(), x, create_graph=True)
        (second,) = m.autograd.grad(first.sum(), x)
        edges = [None if n is None else n.name() for n, _ in first.grad_fn.next_functions]
        seen[m] = (first.grad_fn.name(), edges, first.tolist(), second.tolist())
    assert seen[core] == seen[torch]
