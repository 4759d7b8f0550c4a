"""Gradients of every differentiable op against torch, and of a few expressions against
finite differences.

Each case runs one op (or a view op in the middle of a small graph) on twin leaves
with random layouts (sliced, permuted, expanded), draws a random upstream gradient
(itself non-contiguous), runs backward in both libraries and compares: the outputs,
the graph (node names and edges), and every leaf's ``.grad`` (values, shape, dtype,
strides). Operands that may require grad are drawn as requiring it or not.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import core
from tests.core.assertions import assert_same_error
from tests.core.autograd_strategies import (
    IndexArray,
    Operand,
    advanced_keys,
    as_strided_arguments,
    basic_keys,
    build_key,
    compositions,
    dim_tuples,
    dims,
    expanded_shapes,
    factorizations,
    leaf_pairs,
    mask_pairs,
)
from tests.core.dtypes_and_shapes import broadcastable_shapes, dtype_name, shapes
from tests.core.math_strategies import examples

RTOL = {"float64": 1e-7, "float32": 1e-5}
ATOL = {"float64": 1e-9, "float32": 1e-6}

Params = dict[str, Any]
DrawOperands = Callable[[st.DataObject], tuple[list[Operand], Params]]


# --------------------------------------------------------------------------- comparing


def _as_tuple(out: Any) -> tuple[Any, ...]:
    return tuple(out) if isinstance(out, (tuple, list)) else (out,)


def assert_same_values(c: Any, t: torch.Tensor, what: str) -> None:
    """Shape, dtype and values (within the dtype's tolerance) of a core tensor vs torch's."""
    assert isinstance(c, core.Tensor), f"{what}: core gave {type(c).__name__}"
    assert tuple(c.shape) == tuple(t.shape), f"{what}: shape {tuple(c.shape)} != torch {t.shape}"
    name = dtype_name(t.dtype)
    assert dtype_name(c.dtype) == name, f"{what}: dtype {c.dtype} != torch {t.dtype}"
    np.testing.assert_allclose(
        c.detach().numpy(),
        t.detach().numpy(),
        rtol=RTOL.get(name, 0),
        atol=ATOL.get(name, 0),
        equal_nan=True,
        err_msg=what,
    )


def _node_name(node: Any) -> str:
    return node.name().replace("torch::", "core::")


def assert_same_graph(c_outputs: Sequence[Any], t_outputs: Sequence[Any]) -> None:
    """The graphs behind the outputs have the same nodes (by name) joined by the same edges."""
    stack = [
        (c.grad_fn, t.grad_fn, f"output {i}")
        for i, (c, t) in enumerate(zip(c_outputs, t_outputs, strict=True))
    ]
    seen: set[int] = set()
    while stack:
        c_node, t_node, path = stack.pop()
        if t_node is None or c_node is None:
            assert c_node is None and t_node is None, (
                f"{path}: core has {c_node and c_node.name()}, torch has {t_node and t_node.name()}"
            )
            continue
        assert _node_name(c_node) == _node_name(t_node), (
            f"{path}: node {c_node.name()} != torch {t_node.name()}"
        )
        if id(c_node) in seen:
            continue
        seen.add(id(c_node))
        c_edges, t_edges = c_node.next_functions, t_node.next_functions
        assert len(c_edges) == len(t_edges), (
            f"{path}: {c_node.name()} has {len(c_edges)} edges, torch {len(t_edges)}"
        )
        for k, ((c_next, c_nr), (t_next, t_nr)) in enumerate(zip(c_edges, t_edges, strict=True)):
            assert c_nr == t_nr, f"{path}: {c_node.name()} edge {k} input_nr {c_nr} != torch {t_nr}"
            stack.append((c_next, t_next, f"{path} -> {t_node.name()}[{k}]"))


def assert_same_grad(c_leaf: Any, t_leaf: torch.Tensor, what: str) -> None:
    """A leaf's ``.grad``: None in both, or the same values, shape, dtype and strides."""
    c_grad, t_grad = c_leaf.grad, t_leaf.grad
    if t_grad is None:
        assert c_grad is None, f"{what}.grad: core has a gradient, torch has None"
        return
    assert c_grad is not None, f"{what}.grad: core has None, torch has a gradient"
    assert_same_values(c_grad, t_grad, f"{what}.grad")
    # PyTorch's layout contract for .grad fixes the strides of dims longer than 1 only: a
    # gradient it adopts without a copy keeps its own strides on the other dims.
    sized = [d for d, size in enumerate(t_grad.shape) if size > 1]
    c_strides = [c_grad.stride()[d] for d in sized]
    t_strides = [t_grad.stride()[d] for d in sized]
    assert c_strides == t_strides, (
        f"{what}.grad strides {tuple(c_grad.stride())} != torch {tuple(t_grad.stride())} "
        f"(leaf shape {tuple(t_leaf.shape)}, strides {tuple(t_leaf.stride())})"
    )


def _choose_requires_grad(data: st.DataObject, operands: Sequence[Operand]) -> None:
    floats = [o for o in operands if o.is_float]
    chosen = [o for o in floats if len(floats) == 1 or data.draw(st.booleans(), label="grad?")]
    for operand in chosen or floats[:1]:
        operand.requires_grad_()


def assert_gradients_match(
    data: st.DataObject,
    fn: Callable[..., Any],
    operands: Sequence[Operand],
    params: Params,
    may_raise: bool = False,
) -> None:
    """Run ``fn(m, *operands, **params)`` in both, backward a random gradient, compare."""
    # With `may_raise`, torch may refuse the arguments; core must then raise the same class.
    _choose_requires_grad(data, operands)
    c_args, t_args = [o.c for o in operands], [o.t for o in operands]
    if may_raise:
        results = assert_same_error(
            lambda: fn(core, *c_args, **params), lambda: fn(torch, *t_args, **params), None
        )
        if results is None:
            return
        c_out, t_out = results
    else:
        t_out = fn(torch, *t_args, **params)
        c_out = fn(core, *c_args, **params)
    c_outputs, t_outputs = _as_tuple(c_out), _as_tuple(t_out)
    assert len(c_outputs) == len(t_outputs), f"{len(c_outputs)} outputs != torch {len(t_outputs)}"
    for i, (c, t) in enumerate(zip(c_outputs, t_outputs, strict=True)):
        assert_same_values(c, t, f"output {i}")
        assert c.requires_grad == t.requires_grad, f"output {i}: requires_grad {c.requires_grad}"
    roots = [i for i, t in enumerate(t_outputs) if t.requires_grad]
    if len(roots) > 1:  # a subset, so the node also meets outputs that got no gradient
        roots = data.draw(st.lists(st.sampled_from(roots), min_size=1, unique=True), label="roots")
    upstream = [
        data.draw(
            leaf_pairs(tuple(t_outputs[i].shape), "real", dtype_name(t_outputs[i].dtype)),
            label=f"upstream gradient of output {i}",
        )
        for i in roots
    ]
    if len(roots) == 1:
        t_outputs[roots[0]].backward(upstream[0].t)
        c_outputs[roots[0]].backward(upstream[0].c)
    elif roots:
        torch.autograd.backward([t_outputs[i] for i in roots], [u.t for u in upstream])
        core.autograd.backward([c_outputs[i] for i in roots], [u.c for u in upstream])
    for k, operand in enumerate(operands):
        if operand.t.requires_grad:
            assert_same_grad(operand.c, operand.t, f"operand {k}")
        else:
            assert operand.c.grad is None, f"operand {k} does not require grad but has a .grad"
    assert_same_graph(c_outputs, t_outputs)


@dataclass(frozen=True)
class Case:
    """An op to differentiate: `draw` gives its operands and keyword arguments."""

    name: str
    draw: DrawOperands
    fn: Callable[..., Any]
    may_raise: bool = False

    def check(self, data: st.DataObject) -> None:
        operands, params = self.draw(data)
        assert_gradients_match(data, self.fn, operands, params, self.may_raise)


def _ids(cases: Sequence[Case]) -> list[str]:
    names = [c.name for c in cases]
    assert len(set(names)) == len(names), "duplicate case names"
    return names


# --------------------------------------------------------------------------- operand draws


def _operand(shape: Sequence[int], kind: str) -> st.SearchStrategy[Operand]:
    return mask_pairs(shape) if kind == "mask" else leaf_pairs(shape, kind)


def broadcasting(*kinds: str, first_is_full: bool = False) -> DrawOperands:
    """Operands of broadcastable shapes, one per kind (``"mask"``: a bool condition)."""

    def draw(data: st.DataObject) -> tuple[list[Operand], Params]:
        shape_list = data.draw(broadcastable_shapes(len(kinds), max_dims=3, max_side=3), "shapes")
        if first_is_full:
            shape_list = (torch.broadcast_shapes(*shape_list), *shape_list[1:])
        operands = [
            data.draw(_operand(shape, kind), label=f"operand {i}")
            for i, (shape, kind) in enumerate(zip(shape_list, kinds, strict=True))
        ]
        return operands, {}

    return draw


def one(
    kind: str = "real",
    shape: st.SearchStrategy[tuple[int, ...]] | None = None,
    params: Callable[[st.DataObject, Operand], Params] | None = None,
    dtype: str = "float64",
    allow_expand: bool = True,
) -> DrawOperands:
    """One operand of a drawn shape, and keyword arguments drawn for it by `params`."""
    shape_strategy = shapes(0, 3, 0, 4) if shape is None else shape

    def draw(data: st.DataObject) -> tuple[list[Operand], Params]:
        shape = data.draw(shape_strategy, label="shape")
        x = data.draw(leaf_pairs(shape, kind, dtype, allow_expand), label="x")
        return [x], ({} if params is None else params(data, x))

    return draw


def fixed(*specs: tuple[tuple[int, ...], str], params: Params | None = None) -> DrawOperands:
    """Operands of given shapes and kinds, with fixed keyword arguments."""

    def draw(data: st.DataObject) -> tuple[list[Operand], Params]:
        operands = [
            data.draw(_operand(shape, kind), label=f"operand {i}")
            for i, (shape, kind) in enumerate(specs)
        ]
        return operands, dict(params or {})

    return draw


# --------------------------------------------------------------------------- elementwise

ELEMENTWISE = [
    Case("add", broadcasting("real", "real"), lambda m, a, b: a + b),
    Case("add_alpha", broadcasting("real", "real"), lambda m, a, b: m.add(a, b, alpha=-1.5)),
    Case("add_number", one(), lambda m, a: a + 2.5),
    Case("radd_number", one(), lambda m, a: 2.5 + a),
    Case("sub", broadcasting("real", "real"), lambda m, a, b: a - b),
    Case("sub_alpha", broadcasting("real", "real"), lambda m, a, b: m.sub(a, b, alpha=0.5)),
    Case("sub_number", one(), lambda m, a: a - 2),
    Case("rsub_number", one(), lambda m, a: 2 - a),
    Case("mul", broadcasting("real", "real"), lambda m, a, b: a * b),
    Case("mul_number", one(), lambda m, a: a * -1.5),
    Case("div", broadcasting("real", "nonzero"), lambda m, a, b: a / b),
    Case("div_number", one(), lambda m, a: a / 4),
    Case("rdiv_number", one("nonzero"), lambda m, a: 2 / a),
    Case(
        "div_floor",
        broadcasting("real", "nonzero"),
        lambda m, a, b: m.div(a, b, rounding_mode="floor"),
    ),
    Case(
        "div_trunc",
        broadcasting("real", "nonzero"),
        lambda m, a, b: m.div(a, b, rounding_mode="trunc"),
    ),
    Case("div_floor_number", one(), lambda m, a: a.div(2.5, rounding_mode="floor")),
    Case("pow_number_2", one(), lambda m, a: a**2),
    Case("pow_number_3", one(), lambda m, a: a**3),
    Case("pow_number_negative", one("nonzero"), lambda m, a: a**-2),
    Case("pow_number_half", one("positive"), lambda m, a: a**0.5),
    Case("pow_number_0", one(), lambda m, a: a**0),
    Case("pow_tensor", broadcasting("positive", "real"), lambda m, a, b: a**b),
    Case("pow_tensor_method", broadcasting("positive", "ties"), lambda m, a, b: a.pow(b)),
    Case("rpow_number", one(), lambda m, a: 2.5**a),
    Case("neg", one(), lambda m, a: -a),
    Case("abs", one("ties"), lambda m, a: a.abs()),
    Case("reciprocal", one("nonzero"), lambda m, a: a.reciprocal()),
    Case("sign", one("ties"), lambda m, a: a.sign()),
    Case("square", one(), lambda m, a: a.square()),
    Case("exp", one(), lambda m, a: a.exp()),
    Case("log", one("positive"), lambda m, a: a.log()),
    Case("sqrt", one("positive"), lambda m, a: a.sqrt()),
    Case("sin", one(), lambda m, a: a.sin()),
    Case("cos", one(), lambda m, a: a.cos()),
    Case("tanh", one(), lambda m, a: a.tanh()),
    Case("sigmoid", one(), lambda m, a: a.sigmoid()),
    Case("relu", one("ties"), lambda m, a: a.relu()),
    Case("clamp_numbers", one("ties"), lambda m, a: a.clamp(-1, 1)),
    Case("clamp_min_number", one("ties"), lambda m, a: a.clamp(min=0)),
    Case("clamp_max_number", one("ties"), lambda m, a: m.clamp(a, max=1)),
    Case("clamp_crossed_numbers", one("ties"), lambda m, a: a.clamp(1, -1)),
    # torch's clamp backward fails when self is smaller than the broadcast shape of all three
    # (it ands two masks in place), so self has the full shape here.
    Case(
        "clamp_tensors",
        broadcasting("ties", "ties", "ties", first_is_full=True),
        lambda m, a, lo, hi: a.clamp(lo, hi),
    ),
    Case("clamp_min_tensor", broadcasting("ties", "ties"), lambda m, a, lo: a.clamp(min=lo)),
    Case("clamp_max_tensor", broadcasting("ties", "ties"), lambda m, a, hi: m.clamp(a, max=hi)),
    Case("clamp_min_fn_number", one("ties"), lambda m, a: a.clamp_min(0)),
    Case("clamp_max_fn_number", one("ties"), lambda m, a: m.clamp_max(a, 1)),
    Case("clamp_min_fn_tensor", broadcasting("ties", "ties"), lambda m, a, lo: a.clamp_min(lo)),
    Case("clamp_max_fn_tensor", broadcasting("ties", "ties"), lambda m, a, hi: a.clamp_max(hi)),
    Case("maximum", broadcasting("real", "real"), lambda m, a, b: m.maximum(a, b)),
    Case("maximum_ties", broadcasting("ties", "ties"), lambda m, a, b: m.maximum(a, b)),
    Case("minimum_ties", broadcasting("ties", "ties"), lambda m, a, b: a.minimum(b)),
    Case("where", broadcasting("mask", "real", "real"), lambda m, c, a, b: m.where(c, a, b)),
    Case("where_number", broadcasting("mask", "real"), lambda m, c, a: m.where(c, a, 0.0)),
    Case("where_method", broadcasting("mask", "real", "real"), lambda m, c, a, b: a.where(c, b)),
    Case("remainder", broadcasting("real", "nonzero"), lambda m, a, b: a.remainder(b)),
    Case("remainder_operator_number", one(), lambda m, a: a % 1.5),
    Case("remainder_negative_number", one(), lambda m, a: m.remainder(a, -1.5)),
    Case("fmod", broadcasting("real", "nonzero"), lambda m, a, b: m.fmod(a, b)),
    Case("fmod_number", one(), lambda m, a: a.fmod(-1.5)),
]


@pytest.mark.parametrize("case", ELEMENTWISE, ids=_ids(ELEMENTWISE))
@given(data=st.data())
@examples(0.4)
def test_elementwise_gradient_matches_torch(case: Case, data: st.DataObject) -> None:
    """Elementwise ops with broadcasting: gradients of each operand as torch's."""
    case.check(data)


# --------------------------------------------------------------------------- reductions

NONEMPTY = shapes(1, 4, 1, 4)


def _dim_keepdim(data: st.DataObject, x: Operand) -> Params:
    return {"dim": data.draw(dims(x.t.dim()), "dim"), "keepdim": data.draw(st.booleans())}


def _dims_keepdim(data: st.DataObject, x: Operand) -> Params:
    chosen = data.draw(st.one_of(dims(x.t.dim()), dim_tuples(x.t.dim())), "dims")
    return {"dim": chosen, "keepdim": data.draw(st.booleans(), "keepdim")}


def _spread_arguments(data: st.DataObject, x: Operand) -> Params:
    """dims (or None), a correction below the count of reduced elements, keepdim."""
    nd = x.t.dim()
    chosen = data.draw(st.none() | dims(nd) | dim_tuples(nd), "dims")
    reduced = range(nd) if chosen is None else (chosen,) if isinstance(chosen, int) else chosen
    count = math.prod(x.t.shape[d] for d in reduced)
    correction = data.draw(st.integers(0, min(2, count - 1)), "correction")
    return {"dim": chosen, "correction": correction, "keepdim": data.draw(st.booleans())}


def _unbiased_arguments(data: st.DataObject, x: Operand) -> Params:
    chosen = data.draw(dims(x.t.dim()), "dim")
    unbiased = data.draw(st.booleans(), "unbiased") if x.t.shape[chosen] > 1 else False
    return {"dim": chosen, "unbiased": unbiased, "keepdim": data.draw(st.booleans())}


REDUCTIONS = [
    Case("sum", one(shape=shapes(0, 4, 0, 3)), lambda m, x: x.sum()),
    Case("sum_dim", one(shape=NONEMPTY, params=_dim_keepdim), lambda m, x, **p: x.sum(**p)),
    Case(
        "sum_dims",
        one(shape=shapes(1, 4, 0, 3), params=_dims_keepdim),
        lambda m, x, dim, keepdim: m.sum(x, dim, keepdim),
    ),
    Case("mean", one(shape=shapes(0, 4, 1, 3)), lambda m, x: x.mean()),
    Case("mean_dim", one(shape=NONEMPTY, params=_dim_keepdim), lambda m, x, **p: x.mean(**p)),
    Case("mean_dims", one(shape=NONEMPTY, params=_dims_keepdim), lambda m, x, **p: x.mean(**p)),
    Case("prod", one("ties", shapes(0, 3, 0, 3)), lambda m, x: x.prod()),
    Case("prod_real", one("real", shapes(0, 3, 0, 3)), lambda m, x: m.prod(x)),
    Case(
        "prod_dim",
        one("ties", NONEMPTY, _dim_keepdim),
        lambda m, x, dim, keepdim: x.prod(dim, keepdim=keepdim),
    ),
    Case("max", one("ties", NONEMPTY), lambda m, x: x.max()),
    Case("min", one("ties", NONEMPTY), lambda m, x: m.min(x)),
    Case("max_dim", one("ties", NONEMPTY, _dim_keepdim), lambda m, x, **p: x.max(**p)),
    Case("min_dim", one("ties", NONEMPTY, _dim_keepdim), lambda m, x, **p: m.min(x, **p)),
    Case("max_dim_real", one("real", NONEMPTY, _dim_keepdim), lambda m, x, **p: x.max(**p)),
    Case("amax", one("ties", NONEMPTY, _dims_keepdim), lambda m, x, **p: x.amax(**p)),
    Case("amin", one("ties", NONEMPTY, _dims_keepdim), lambda m, x, **p: m.amin(x, **p)),
    Case("amax_all", one("ties", NONEMPTY), lambda m, x: x.amax()),
    Case("var", one("real", NONEMPTY, _spread_arguments), lambda m, x, **p: x.var(**p)),
    # Real values are not expanded for std: torch's std of many equal values is rounding noise
    # (its mean of 54 copies of a number is not exact), and so is its gradient, (x - mean) / std.
    Case(
        "std",
        one("real", NONEMPTY, _spread_arguments, allow_expand=False),
        lambda m, x, **p: x.std(**p),
    ),
    Case("std_ties", one("ties", NONEMPTY, _spread_arguments), lambda m, x, **p: m.std(x, **p)),
    Case("var_unbiased", one("real", NONEMPTY, _unbiased_arguments), lambda m, x, **p: x.var(**p)),
    Case(
        "std_unbiased",
        one("real", NONEMPTY, _unbiased_arguments, allow_expand=False),
        lambda m, x, **p: x.std(**p),
    ),
    Case("var_all", one("real", shapes(1, 3, 2, 3)), lambda m, x: x.var()),
    Case(
        "std_all_biased",
        one("real", NONEMPTY, allow_expand=False),
        lambda m, x: x.std(unbiased=False),
    ),
]


@pytest.mark.parametrize("case", REDUCTIONS, ids=_ids(REDUCTIONS))
@given(data=st.data())
@examples(0.5)
def test_reduction_gradient_matches_torch(case: Case, data: st.DataObject) -> None:
    """Reductions (ties share the gradient evenly, or go to the picked index) as torch's."""
    case.check(data)


PRODUCTS_WITH_ZEROS = {
    "no_zero": [[2.0, -3.0, 0.5], [1.5, 4.0, -1.0]],
    "one_zero": [[2.0, 0.0, 0.5], [1.5, 4.0, -1.0]],
    "two_zeros_in_a_row": [[0.0, -3.0, 0.0], [1.5, 4.0, -1.0]],
    "zeros_in_every_row": [[0.0, -3.0, 0.5], [1.5, 0.0, 0.0]],
}


@pytest.mark.parametrize("values", PRODUCTS_WITH_ZEROS.values(), ids=PRODUCTS_WITH_ZEROS.keys())
@pytest.mark.parametrize(
    "reduce",
    [
        lambda x: x.prod(),
        lambda x: x.prod(1),
        lambda x: x.prod(0, keepdim=True),
        lambda x: x.t().prod(0),
    ],
    ids=["all", "dim_1", "dim_0_keepdim", "transposed"],
)
def test_prod_gradient_with_zeros_matches_torch(
    values: list[list[float]], reduce: Callable[[Any], Any]
) -> None:
    """prod's gradient with no, one and several zeros among the reduced elements, as torch's."""
    c = core.tensor(values, dtype=core.float64).requires_grad_()
    t = torch.tensor(values, dtype=torch.float64).requires_grad_()
    c_out, t_out = reduce(c), reduce(t)
    upstream = np.linspace(-1.0, 2.0, t_out.numel()).reshape(tuple(t_out.shape))
    c_out.backward(core.from_numpy(upstream.copy()))
    t_out.backward(torch.from_numpy(upstream.copy()))
    assert_same_values(c_out, t_out, "prod")
    assert_same_grad(c, t, "x")


# --------------------------------------------------------------------------- products

SIDE = st.integers(0, 3)


def _matrix_pair(data: st.DataObject, left: str, right: str) -> tuple[list[Operand], Params]:
    """Operands for a product named by letters: ``"bnk"`` @ ``"bkp"`` and so on."""
    sizes = {letter: data.draw(SIDE, label=letter) for letter in "bnkp"}
    operands = [
        data.draw(leaf_pairs(tuple(sizes[c] for c in spec), "real"), label=spec)
        for spec in (left, right)
    ]
    return operands, {}


@st.composite
def _matmul_shapes(draw: st.DrawFn) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Shapes for matmul: 1-d to 4-d each, batch dims broadcast (sizes 1 stretched)."""
    left_dims, right_dims = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    n, k, p = draw(SIDE), draw(SIDE), draw(SIDE)
    batch_left, batch_right = draw(broadcastable_shapes(2, min_dims=2, max_dims=2, max_side=3))
    left = (*batch_left[2 - max(left_dims - 2, 0) :], n, k) if left_dims > 1 else (k,)
    right = (*batch_right[2 - max(right_dims - 2, 0) :], k, p) if right_dims > 1 else (k,)
    return left, right


def _matmul_operands(data: st.DataObject) -> tuple[list[Operand], Params]:
    left, right = data.draw(_matmul_shapes(), label="shapes")
    return [data.draw(leaf_pairs(left), "left"), data.draw(leaf_pairs(right), "right")], {}


PRODUCTS = [
    Case("mm", lambda data: _matrix_pair(data, "nk", "kp"), lambda m, a, b: a.mm(b)),
    Case("bmm", lambda data: _matrix_pair(data, "bnk", "bkp"), lambda m, a, b: m.bmm(a, b)),
    Case("dot", lambda data: _matrix_pair(data, "k", "k"), lambda m, a, b: m.dot(a, b)),
    Case("mv", lambda data: _matrix_pair(data, "nk", "k"), lambda m, a, b: a.mv(b)),
    Case("matmul", _matmul_operands, lambda m, a, b: m.matmul(a, b)),
    Case("matmul_operator", _matmul_operands, lambda m, a, b: a @ b),
    Case(
        "matmul_batch_broadcast",
        fixed(((2, 1, 3, 4), "real"), ((5, 4, 2), "real")),
        lambda m, a, b: a @ b,
    ),
    Case("matmul_vector_batch", fixed(((4,), "real"), ((2, 4, 3), "real")), lambda m, a, b: a @ b),
    Case("matmul_batch_vector", fixed(((2, 3, 4), "real"), ((4,), "real")), lambda m, a, b: a @ b),
]


@pytest.mark.parametrize("case", PRODUCTS, ids=_ids(PRODUCTS))
@given(data=st.data())
@examples(0.5)
def test_product_gradient_matches_torch(case: Case, data: st.DataObject) -> None:
    """mm, bmm, dot, mv and matmul for every combination of dims, as torch's."""
    case.check(data)


# --------------------------------------------------------------------------- views

VIEW_SHAPES = shapes(0, 4, 0, 3)
SIDES_AT_LEAST_ONE = shapes(1, 4, 1, 3)
MATRICES = shapes(2, 4, 1, 3)


def _new_shape(data: st.DataObject, x: Operand) -> Params:
    return {"shape": data.draw(factorizations(x.t.numel()), "shape")}


def _flatten_arguments(data: st.DataObject, x: Operand) -> Params:
    nd = max(x.t.dim(), 1)
    start = data.draw(st.integers(0, nd - 1), "start")
    end = data.draw(st.integers(start, nd - 1), "end")
    return {"start_dim": start - nd * data.draw(st.booleans()), "end_dim": end - nd}


def _unflatten_arguments(data: st.DataObject, x: Operand) -> Params:
    dim = data.draw(dims(x.t.dim()), "dim")
    return {"dim": dim, "sizes": data.draw(factorizations(x.t.shape[dim], 3), "sizes")}


def _two_dims(data: st.DataObject, x: Operand) -> Params:
    nd = x.t.dim()
    return {"dim0": data.draw(dims(nd), "dim0"), "dim1": data.draw(dims(nd), "dim1")}


def _permutation(data: st.DataObject, x: Operand) -> Params:
    nd = x.t.dim()
    order = data.draw(st.permutations(range(nd)), "dims")
    return {"dims": tuple(d - nd if data.draw(st.booleans()) else d for d in order)}


def _movedim_arguments(data: st.DataObject, x: Operand) -> Params:
    nd = x.t.dim()
    source = data.draw(dim_tuples(nd), "source")
    destination = data.draw(dim_tuples(nd, len(source), len(source)), "destination")
    if len(source) == 1 and data.draw(st.booleans(), "as ints"):
        return {"source": source[0], "destination": destination[0]}
    return {"source": source, "destination": destination}


def _expanded(data: st.DataObject, x: Operand) -> Params:
    return {"sizes": data.draw(expanded_shapes(tuple(x.t.shape)), "sizes")}


def _expanded_without_minus_one(data: st.DataObject, x: Operand) -> Params:
    return {"sizes": data.draw(expanded_shapes(tuple(x.t.shape), False), "sizes")}


def _narrow_arguments(data: st.DataObject, x: Operand) -> Params:
    dim = data.draw(dims(x.t.dim()), "dim")
    size = x.t.shape[dim]
    start = data.draw(st.integers(0, size), "start")
    length = data.draw(st.integers(0, size - start), "length")
    if start < size and data.draw(st.booleans(), "negative start"):
        start -= size
    return {"dim": dim, "start": start, "length": length}


def _select_arguments(data: st.DataObject, x: Operand) -> Params:
    dim = data.draw(dims(x.t.dim()), "dim")
    size = x.t.shape[dim]
    return {"dim": dim, "index": data.draw(st.integers(-size, size - 1), "index")}


def _dim(data: st.DataObject, x: Operand) -> Params:
    return {"dim": data.draw(dims(x.t.dim()), "dim")}


def _split_size(data: st.DataObject, x: Operand) -> Params:
    dim = data.draw(dims(x.t.dim()), "dim")
    return {"dim": dim, "size": data.draw(st.integers(1, x.t.shape[dim] + 1), "split_size")}


def _split_sizes(data: st.DataObject, x: Operand) -> Params:
    dim = data.draw(dims(x.t.dim()), "dim")
    return {"dim": dim, "size": data.draw(compositions(x.t.shape[dim]), "split_sizes")}


def _chunks(data: st.DataObject, x: Operand) -> Params:
    return {"dim": data.draw(dims(x.t.dim()), "dim"), "chunks": data.draw(st.integers(1, 4))}


def _split_indices(data: st.DataObject, x: Operand) -> Params:
    dim = data.draw(dims(x.t.dim()), "dim")
    cuts = data.draw(st.lists(st.integers(0, x.t.shape[dim]), min_size=1, max_size=3), "indices")
    return {"dim": dim, "sections": sorted(cuts)}


def _unsqueeze_dim(data: st.DataObject, x: Operand) -> Params:
    nd = x.t.dim()
    return {"dim": data.draw(st.integers(-nd - 1, nd), "dim")}


def _dim_tuple(data: st.DataObject, x: Operand) -> Params:
    return {"dims": data.draw(dim_tuples(x.t.dim()), "dims")}


def _unfold_arguments(data: st.DataObject, x: Operand) -> Params:
    dim = data.draw(dims(x.t.dim()), "dim")
    size = data.draw(st.integers(1, x.t.shape[dim]), "size")
    return {"dim": dim, "size": size, "step": data.draw(st.integers(1, 3), "step")}


def _as_strided_over_numel(data: st.DataObject, x: Operand) -> Params:
    """Arguments within a dense storage of the operand's numel (a fresh result's storage)."""
    return {"arguments": data.draw(as_strided_arguments(x.t.numel()), "size, stride, offset")}


def _as_strided_over_storage(data: st.DataObject, x: Operand) -> Params:
    """Arguments within the leaf's own storage (the base it was sliced or expanded from)."""
    storage_numel = x.t.untyped_storage().nbytes() // x.t.element_size()
    return {"arguments": data.draw(as_strided_arguments(storage_numel), "size, stride, offset")}


def _diagonal_arguments(data: st.DataObject, x: Operand) -> Params:
    nd = x.t.dim()
    dim1 = data.draw(dims(nd), "dim1")
    dim2 = data.draw(dims(nd).filter(lambda d: (d - dim1) % nd != 0), "dim2")
    return {"offset": data.draw(st.integers(-3, 3), "offset"), "dim1": dim1, "dim2": dim2}


@dataclass(frozen=True)
class ViewOp:
    """A view op ``op(m, y, **params)`` with the shapes and arguments it is drawn with."""

    name: str
    op: Callable[..., Any]
    shape: st.SearchStrategy[tuple[int, ...]] = VIEW_SHAPES
    params: Callable[[st.DataObject, Operand], Params] | None = None
    may_raise: bool = False
    dtype: str = "float64"
    on_leaf: bool = True


VIEW_OPS = [
    ViewOp("view", lambda m, y, shape: y.view(shape), params=_new_shape, may_raise=True),
    ViewOp("reshape", lambda m, y, shape: y.reshape(shape), params=_new_shape),
    ViewOp("reshape_copy", lambda m, y, shape: y.mT.reshape(shape), MATRICES, _new_shape),
    ViewOp("flatten", lambda m, y, **p: y.flatten(**p), params=_flatten_arguments),
    ViewOp(
        "unflatten",
        lambda m, y, dim, sizes: y.unflatten(dim, sizes),
        shapes(1, 3, 0, 4),
        _unflatten_arguments,
    ),
    ViewOp("t", lambda m, y: y.t(), shapes(0, 2, 0, 3)),
    ViewOp("T", lambda m, y: y.T, shapes(2, 2, 0, 3)),
    ViewOp("mT", lambda m, y: y.mT, MATRICES),
    ViewOp("transpose", lambda m, y, **p: y.transpose(**p), shapes(1, 4, 0, 3), _two_dims),
    ViewOp("permute", lambda m, y, dims: y.permute(dims), params=_permutation),
    ViewOp("movedim", lambda m, y, **p: m.movedim(y, **p), shapes(1, 4, 0, 3), _movedim_arguments),
    ViewOp("expand", lambda m, y, sizes: y.expand(sizes), params=_expanded),
    ViewOp(
        "expand_as",
        lambda m, y, sizes: y.expand_as(m.zeros(sizes, dtype=m.float64)),
        params=_expanded_without_minus_one,
    ),
    ViewOp("broadcast_to", lambda m, y, sizes: m.broadcast_to(y, sizes), params=_expanded),
    ViewOp("narrow", lambda m, y, **p: y.narrow(**p), shapes(1, 4, 0, 3), _narrow_arguments),
    ViewOp("select", lambda m, y, **p: y.select(**p), SIDES_AT_LEAST_ONE, _select_arguments),
    ViewOp("unbind", lambda m, y, dim: y.unbind(dim), SIDES_AT_LEAST_ONE, _dim),
    ViewOp(
        "split_int", lambda m, y, size, dim: y.split(size, dim), SIDES_AT_LEAST_ONE, _split_size
    ),
    ViewOp(
        "split_list",
        lambda m, y, size, dim: m.split(y, size, dim),
        shapes(1, 3, 0, 4),
        _split_sizes,
    ),
    ViewOp("chunk", lambda m, y, chunks, dim: y.chunk(chunks, dim), shapes(1, 3, 0, 4), _chunks),
    ViewOp(
        "tensor_split_sections",
        lambda m, y, chunks, dim: y.tensor_split(chunks, dim),
        shapes(1, 3, 0, 4),
        _chunks,
    ),
    ViewOp(
        "tensor_split_indices",
        lambda m, y, sections, dim: m.tensor_split(y, sections, dim),
        shapes(1, 3, 0, 4),
        _split_indices,
    ),
    ViewOp("unsqueeze", lambda m, y, dim: y.unsqueeze(dim), params=_unsqueeze_dim),
    ViewOp("squeeze", lambda m, y: y.squeeze()),
    ViewOp("squeeze_dim", lambda m, y, dim: y.squeeze(dim), shapes(1, 4, 0, 3), _dim),
    ViewOp("squeeze_dims", lambda m, y, dims: m.squeeze(y, dims), shapes(1, 4, 0, 3), _dim_tuple),
    ViewOp(
        "unfold",
        lambda m, y, dim, size, step: y.unfold(dim, size, step),
        SIDES_AT_LEAST_ONE,
        _unfold_arguments,
    ),
    ViewOp(
        "as_strided",
        lambda m, y, arguments: y.as_strided(*arguments[:2]),
        SIDES_AT_LEAST_ONE,
        _as_strided_over_numel,
        on_leaf=False,  # a leaf's storage is its base's: see as_strided_with_offset below
    ),
    ViewOp("diagonal", lambda m, y, **p: y.diagonal(**p), MATRICES, _diagonal_arguments),
    ViewOp("clone", lambda m, y: y.clone()),
    ViewOp("contiguous", lambda m, y: y.contiguous()),
    ViewOp("flip", lambda m, y, dims: y.flip(dims), shapes(1, 4, 0, 3), _dim_tuple),
    ViewOp("to_float32", lambda m, y: y.to(m.float32)),
    ViewOp("to_float64_from_float32", lambda m, y: y.to(m.float64), dtype="float32"),
    ViewOp("to_same_dtype", lambda m, y: y.to(m.float64)),
]


def _times_three(out: Any) -> Any:
    return tuple(piece * 3 for piece in out) if isinstance(out, tuple) else out * 3


def _view_cases() -> list[Case]:
    """Each view op on the leaf itself, and in the middle of a graph: ``op(x * 2) * 3``."""
    cases = []
    for view in VIEW_OPS:
        draw = one("real", view.shape, view.params, view.dtype)
        if view.on_leaf:
            cases.append(Case(f"{view.name}-of_leaf", draw, view.op, view.may_raise))
        cases.append(
            Case(
                f"{view.name}-in_graph",
                draw,
                lambda m, x, _op=view.op, **p: _times_three(_op(m, x * 2, **p)),
                view.may_raise,
            )
        )
    cases.append(
        Case(
            "as_strided_with_offset-of_leaf",
            one("real", SIDES_AT_LEAST_ONE, _as_strided_over_storage),
            lambda m, x, arguments: x.as_strided(*arguments),
        )
    )
    return cases


VIEWS = _view_cases()


@pytest.mark.parametrize("case", VIEWS, ids=_ids(VIEWS))
@given(data=st.data())
@examples(0.35)
def test_view_gradient_matches_torch(case: Case, data: st.DataObject) -> None:
    """View ops (and clone, contiguous, flip, to) on a leaf and inside a graph, as torch's."""
    case.check(data)


# --------------------------------------------------------------------------- indexing


def _keyed(keys: Callable[[tuple[int, ...]], st.SearchStrategy[Any]], shape: Any) -> DrawOperands:
    def draw(data: st.DataObject) -> tuple[list[Operand], Params]:
        x = data.draw(leaf_pairs(data.draw(shape, label="shape")), label="x")
        return [x], {"key": data.draw(keys(tuple(x.t.shape)), label="key")}

    return draw


def _index(m: Any, x: Any, key: tuple[Any, ...]) -> Any:
    return x[build_key(m, key)]


def _index_in_graph(m: Any, x: Any, key: tuple[Any, ...]) -> Any:
    return (x * 2)[build_key(m, key)] * 3


def _fixed_key(shape: tuple[int, ...], key: tuple[Any, ...]) -> DrawOperands:
    return fixed((shape, "real"), params={"key": key})


def _rows(*values: int) -> IndexArray:
    return IndexArray(np.array(values, dtype=np.int64), as_list=True)


def _long_tensor(*values: int) -> IndexArray:
    return IndexArray(np.array(values, dtype=np.int64), as_list=False)


INDEXING = [
    Case("basic-of_leaf", _keyed(basic_keys, shapes(0, 4, 0, 4)), _index),
    Case("basic-in_graph", _keyed(basic_keys, shapes(0, 4, 0, 4)), _index_in_graph),
    Case("advanced-of_leaf", _keyed(advanced_keys, shapes(1, 3, 1, 4)), _index),
    Case("advanced-in_graph", _keyed(advanced_keys, shapes(1, 3, 1, 4)), _index_in_graph),
    Case("int_then_list", _fixed_key((3, 4), (0, _rows(1, 2))), _index_in_graph),
    Case("list_then_slice", _fixed_key((3, 4), (_rows(0, 1), slice(1, None))), _index_in_graph),
    Case("repeated_rows", _fixed_key((3, 4), (_long_tensor(0, 0, 2, 0),)), _index),
    Case(
        "arrays_apart",
        _fixed_key((3, 4, 2), (_rows(2, 2), slice(None), _long_tensor(1, 0))),
        _index_in_graph,
    ),
    Case(
        "mask",
        _fixed_key((3, 4), (IndexArray(np.array([True, False, True]), as_list=False),)),
        _index_in_graph,
    ),
]


@pytest.mark.parametrize("case", INDEXING, ids=_ids(INDEXING))
@given(data=st.data())
@examples(0.5)
def test_indexing_gradient_matches_torch(case: Case, data: st.DataObject) -> None:
    """Basic and advanced indexing (repeated indices accumulate) as torch's."""
    case.check(data)


# --------------------------------------------------------------------------- cat and stack


def _joined(stacking: bool) -> DrawOperands:
    """2 to 4 operands of one shape, except (for cat) along the joined dim; and that dim."""

    def draw(data: st.DataObject) -> tuple[list[Operand], Params]:
        shape = data.draw(shapes(0 if stacking else 1, 3, 0, 3), label="shape")
        nd = len(shape)
        dim = data.draw(st.integers(-nd - 1, nd) if stacking else dims(nd), label="dim")
        operands = []
        for i in range(data.draw(st.integers(2, 4), label="count")):
            own = list(shape)
            if not stacking:
                own[dim] = data.draw(st.integers(0, 3), label=f"size {i}")
            operands.append(data.draw(leaf_pairs(tuple(own)), label=f"operand {i}"))
        return operands, {"dim": dim}

    return draw


JOINING = [
    Case("cat", _joined(False), lambda m, *xs, dim: m.cat(list(xs), dim)),
    Case("cat_in_graph", _joined(False), lambda m, *xs, dim: m.cat([x * 2 for x in xs], dim) * 3),
    Case("stack", _joined(True), lambda m, *xs, dim: m.stack(xs, dim)),
    Case("stack_in_graph", _joined(True), lambda m, *xs, dim: m.stack([x * 2 for x in xs], dim)),
]


@pytest.mark.parametrize("case", JOINING, ids=_ids(JOINING))
@given(data=st.data())
@examples(0.5)
def test_joining_gradient_matches_torch(case: Case, data: st.DataObject) -> None:
    """cat and stack of several inputs, some requiring grad, as torch's."""
    case.check(data)


# --------------------------------------------------------------------------- finite differences


def central_differences(
    fn: Callable[..., Any], arrays: Sequence[np.ndarray], upstream: np.ndarray, h: float = 1e-6
) -> list[np.ndarray]:
    """Each array's gradient of ``sum(fn(core, *arrays) * upstream)``, by central differences."""

    def value(values: Sequence[np.ndarray]) -> float:
        with core.no_grad():
            out = fn(core, *(core.from_numpy(v) for v in values))
        return float(np.sum(out.numpy() * upstream))

    gradients = []
    for k, array in enumerate(arrays):
        gradient = np.zeros_like(array)
        for position in np.ndindex(array.shape):
            shifted = [a.copy() for a in arrays]
            shifted[k][position] += h
            plus = value(shifted)
            shifted[k][position] -= 2 * h
            gradient[position] = (plus - value(shifted)) / (2 * h)
        gradients.append(gradient)
    return gradients


COMPOSITES: dict[str, Callable[..., Any]] = {
    "log_softmax": lambda m, x, y: ((x * y).exp() / (x * y).exp().sum(-1, keepdim=True)).log(),
    "matmul_tanh": lambda m, x, y: (x @ y.mT).tanh() * x.sum(-1, keepdim=True),
    "std_sigmoid_clamp": lambda m, x, y: x.std(0, keepdim=True) * y.sigmoid() - x.clamp(-1, 1),
    "views_and_indexing": lambda m, x, y: (
        x.t().reshape(-1)[[0, 2, 2, 5]] * y.flatten()[1:9:2] + x[1:, ::2].sum()
    ).square(),
    "prod_max_where": lambda m, x, y: m.where(
        x > 0, x.prod(1, keepdim=True) * y, y.amax(0) - x.max(1, keepdim=True).values
    ),
}


@pytest.mark.parametrize("name", list(COMPOSITES))
@given(data=st.data())
@settings(max_examples=8)
def test_composite_gradient_matches_finite_differences(name: str, data: st.DataObject) -> None:
    """Core's gradients of composite expressions agree with central differences of core."""
    fn = COMPOSITES[name]
    # Not expanded: repeated values would make ties, where max and clamp have no derivative.
    x = data.draw(leaf_pairs((3, 4), allow_expand=False), label="x")
    y = data.draw(leaf_pairs((3, 4), allow_expand=False), label="y")
    x.c.requires_grad_()
    y.c.requires_grad_()
    out = fn(core, x.c, y.c)
    upstream = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1))).uniform(
        -1, 1, tuple(out.shape)
    )
    out.backward(core.from_numpy(upstream.copy()))
    arrays = [x.c.detach().numpy().copy(), y.c.detach().numpy().copy()]
    expected = central_differences(fn, arrays, upstream)
    for leaf, gradient, label in zip((x.c, y.c), expected, "xy", strict=True):
        np.testing.assert_allclose(
            leaf.grad.numpy(), gradient, rtol=1e-5, atol=1e-6, err_msg=f"d/d{label}"
        )
