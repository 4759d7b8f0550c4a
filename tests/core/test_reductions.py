"""Reductions against torch: sum, mean, prod, max/min (with and without dim), amax/amin,
argmax/argmin, var/std; dims as int, negative int, tuple; keepdim; dtype rules;
zero-size inputs; random layouts."""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import core
from tests.core.assertions import assert_same_error
from tests.core.dtypes_and_shapes import dtype_name, shapes
from tests.core.math_strategies import (
    ALL_DTYPES,
    EPS,
    FLOAT_DTYPES,
    assert_close,
    check_both,
    close,
    examples,
    quiet,
)
from tests.core.tensor_pairs import tensor_pairs_of_shape

TUPLE_DIM_OPS = ("sum", "mean", "amax", "amin", "var", "std")
INT_DIM_OPS = ("prod", "max", "min", "argmax", "argmin")


@st.composite
def dims_for(draw: st.DrawFn, nd: int, allow_tuple: bool) -> Any:
    """None, an int (maybe negative) or a tuple of dims for a tensor with `nd` dims.

    A 0-d tensor accepts dim 0 and -1 like a 1-d one. Tuples are occasionally
    empty (torch: reduce everything) or hold a duplicate (torch: RuntimeError).
    """
    span = max(nd, 1)
    one = st.integers(-span, span - 1)
    options = [st.none(), one]
    if allow_tuple:
        options.append(
            st.lists(one, min_size=0, max_size=span, unique_by=lambda d: d % span).map(tuple)
        )
        options.append(st.lists(one, min_size=2, max_size=3).map(tuple))  # may repeat a dim
    return draw(st.one_of(*options))


def _reduce_tolerance(op: str, t: torch.Tensor, x: torch.Tensor, dim: Any) -> dict[str, float]:
    """Error bound of a naive float reduction: n * eps * max|x| (squared for var)."""
    name = dtype_name(t.dtype)
    if name not in FLOAT_DTYPES or x.numel() == 0:
        return {}
    eps = EPS[name]
    n = max(1, x.numel() // max(1, t.numel()))
    m = float(x.abs().max().double()) if x.numel() else 1.0
    m = max(m, 1.0)
    if op in ("sum", "mean"):
        return {"rtol": 4 * eps, "atol": 2 * n * eps * m}
    if op == "prod":
        return {"rtol": 4 * n * eps, "atol": 4 * n * eps}
    if op == "var":
        return {"rtol": 8 * n * eps, "atol": 4 * n * eps * m * m}
    if op == "std":
        return {"rtol": 8 * n * eps, "atol": 2 * math.sqrt(n * eps) * m}
    return {}


def _reduced_count(shape: tuple[int, ...], dim: Any) -> int:
    """How many elements each output element reduces over (0 for a repeated dim: torch raises)."""
    if dim is None or dim == ():
        return math.prod(shape)
    dims = [dim] if isinstance(dim, int) else list(dim)
    normalized = {d % len(shape) for d in dims}
    if len(normalized) != len(dims):
        return 0
    return math.prod(shape[d] for d in normalized)


def _call(m: Any, x: Any, op: str, form: str, dim: Any, keepdim: bool | None) -> Any:
    kwargs: dict[str, Any] = {}
    if dim is not None:
        kwargs["dim"] = dim
    if keepdim is not None and dim is not None:
        kwargs["keepdim"] = keepdim
    if form == "method":
        return getattr(x, op)(**kwargs)
    if form == "function":
        return getattr(m, op)(x, **kwargs)
    # positional: x.op(dim, keepdim)
    args = [] if dim is None else [dim] + ([] if keepdim is None else [keepdim])
    return getattr(x, op)(*args)


def _torch_warns(fn: Any) -> bool:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            fn()
        except Exception:
            return False
    return bool(caught)


def _check_reduction(op: str, pair: Any, form: str, dim: Any, keepdim: bool | None) -> None:
    c, t = pair
    run_core = lambda: _call(core, c, op, form, dim, keepdim)  # noqa: E731
    run_torch = lambda: _call(torch, t, op, form, dim, keepdim)  # noqa: E731
    # Where torch warns (var/std with dof <= 0) core may warn too: compare values only.
    result = assert_same_error(
        quiet(run_core) if _torch_warns(run_torch) else run_core, quiet(run_torch), compare=None
    )
    if result is None:
        return
    cr, tr = result
    base_op = op if op in ("sum", "mean", "prod", "var", "std") else "exact"
    tol = _reduce_tolerance(base_op, tr if isinstance(tr, torch.Tensor) else tr[0], t, dim)
    assert_close(cr, tr, **tol)


@pytest.mark.parametrize("op", TUPLE_DIM_OPS + INT_DIM_OPS)
@given(data=st.data())
@examples(0.5)
def test_reduction_matches_torch(op: str, data: st.DataObject) -> None:
    shape = data.draw(shapes(max_dims=4, max_side=4), label="shape")
    low, high = (-1.25, 1.25) if op == "prod" else (-10, 10)
    pair = data.draw(tensor_pairs_of_shape(shape, ALL_DTYPES, low=low, high=high), label="x")
    dim = data.draw(dims_for(len(shape), op in TUPLE_DIM_OPS), label="dim")
    keepdim = data.draw(st.none() | st.booleans(), label="keepdim")
    form = data.draw(st.sampled_from(["method", "function", "positional"]), label="form")
    # Zero-size inputs: sum -> 0, prod -> 1, mean -> nan, max raises (which class depends on dim).
    _check_reduction(op, pair, form, dim, keepdim)


@pytest.mark.parametrize("op", ["max", "min"])
@given(data=st.data())
@examples(0.5)
def test_max_min_with_dim_returns_values_and_first_index_of_ties(
    op: str, data: st.DataObject
) -> None:
    shape = data.draw(shapes(min_dims=1, max_dims=3, min_side=1, max_side=5), label="shape")
    # Few distinct values -> many ties; torch returns the first index among them.
    pair = data.draw(
        tensor_pairs_of_shape(shape, ("float32", "int64", "int8", "float64"), low=-1, high=1),
        label="x",
    )
    dim = data.draw(st.integers(-len(shape), len(shape) - 1), label="dim")
    keepdim = data.draw(st.booleans(), label="keepdim")
    c, t = pair
    cr, tr = getattr(c, op)(dim, keepdim=keepdim), getattr(t, op)(dim, keepdim=keepdim)
    assert_close(cr, tr)
    values, indices = cr  # unpacks like torch's return type
    assert_close(values, tr.values)
    assert_close(indices, tr.indices)
    assert dtype_name(cr.indices.dtype) == "int64"
    # Independent oracle for the first index: numpy's argmax/argmin also pick the first.
    npx = t.numpy()
    expected = (np.argmax if op == "max" else np.argmin)(npx, axis=dim)
    if keepdim:
        expected = np.expand_dims(expected, dim)
    np.testing.assert_array_equal(cr.indices.numpy(), expected)


@pytest.mark.parametrize("op", ["argmax", "argmin"])
@given(data=st.data())
@examples(0.4)
def test_argmax_argmin_first_index_and_keepdim(op: str, data: st.DataObject) -> None:
    shape = data.draw(shapes(min_dims=0, max_dims=3, min_side=1, max_side=5), label="shape")
    pair = data.draw(
        tensor_pairs_of_shape(shape, ("float32", "int16", "uint8"), low=-1, high=1), label="x"
    )
    dim = data.draw(
        st.none() | st.integers(-max(1, len(shape)), max(1, len(shape)) - 1), label="dim"
    )
    keepdim = data.draw(st.booleans(), label="keepdim")
    check_both(lambda m, x: getattr(m, op)(x, dim=dim, keepdim=keepdim), [pair.c], [pair.t])
    check_both(lambda m, x: getattr(x, op)(dim), [pair.c], [pair.t])


@pytest.mark.parametrize("op", ["var", "std"])
@given(data=st.data())
@examples(0.6)
def test_var_std_correction_and_unbiased(op: str, data: st.DataObject) -> None:
    shape = data.draw(shapes(min_dims=1, max_dims=3, min_side=1, max_side=5), label="shape")
    pair = data.draw(tensor_pairs_of_shape(shape, FLOAT_DTYPES), label="x")
    dim = data.draw(dims_for(len(shape), True), label="dim")
    keepdim = data.draw(st.booleans(), label="keepdim")
    c, t = pair
    n_reduced = _reduced_count(tuple(t.shape), dim)
    form = data.draw(
        st.sampled_from(["unbiased", "correction", "positional-unbiased"]), label="form"
    )
    if form == "unbiased":
        unbiased = data.draw(st.booleans(), label="unbiased")
        fn = lambda m, x: getattr(x, op)(dim, unbiased=unbiased, keepdim=keepdim)  # noqa: E731
        correction = 1 if unbiased else 0
    elif form == "correction":
        correction = data.draw(st.integers(0, 2), label="correction")
        fn = lambda m, x: getattr(m, op)(x, dim, correction=correction, keepdim=keepdim)  # noqa: E731
    else:
        unbiased = data.draw(st.booleans(), label="unbiased")
        fn = lambda m, x: getattr(x, op)(dim, unbiased, keepdim)  # noqa: E731
        correction = 1 if unbiased else 0
    if n_reduced - correction <= 0:
        return  # torch warns (dof <= 0); that edge has its own test below
    result = check_both(fn, [c], [t], compare=None)
    if result is not None:
        cr, tr = result
        assert_close(cr, tr, **_reduce_tolerance(op, tr, t, dim))
        # Independent oracle: numpy's var/std in float64 with ddof = correction.
        axis = None if dim in (None, ()) else dim
        ref = getattr(np, op)(t.double().numpy(), axis=axis, ddof=correction, keepdims=keepdim)
        np.testing.assert_allclose(
            cr.numpy().astype(np.float64), ref, **_reduce_tolerance(op, tr, t, dim) or {"rtol": 0}
        )


@pytest.mark.parametrize("op", ["var", "std"])
def test_var_std_with_too_few_elements_give_nan_or_inf(op: str) -> None:
    for build in (
        lambda m: getattr(m.tensor([2.0]), op)(),
        lambda m: getattr(m.tensor([[1.0, 2.0]]), op)(0),
        lambda m: getattr(m.tensor([1.0, 3.0]), op)(correction=2),
        lambda m: getattr(m.zeros(0, 3), op)(0),
    ):
        with pytest.warns(UserWarning):
            t = build(torch)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a warning from core is fine here, a crash is not
            c = build(core)
        assert_close(c, t)


@pytest.mark.parametrize(
    "op", ["sum", "prod", "mean", "amax", "amin", "max", "min", "argmax", "var"]
)
@pytest.mark.parametrize("name", ALL_DTYPES)
def test_result_dtype_of_full_reduction(op: str, name: str) -> None:
    """sum/prod of ints and bool -> int64; mean/var of ints raise; argmax -> int64."""
    mk = lambda m: m.tensor([[1, 0, 1], [1, 1, 0]], dtype=getattr(m, name))  # noqa: E731
    check_both(lambda m: getattr(mk(m), op)(), [], [])
    check_both(lambda m: getattr(mk(m), op)(1), [], [])


@pytest.mark.parametrize(
    "build",
    [
        lambda m: m.zeros(0).sum(),
        lambda m: m.zeros(0, 3).sum(0),
        lambda m: m.zeros(0, 3).sum(1),
        lambda m: m.zeros(0, dtype=m.int32).sum(),
        lambda m: m.zeros(0).prod(),
        lambda m: m.zeros(2, 0).prod(1),
        lambda m: m.zeros(0).mean(),
        lambda m: m.zeros(0, 3).mean(0),
        lambda m: m.zeros(0).max(),
        lambda m: m.zeros(0).min(),
        lambda m: m.zeros(0).amax(),
        lambda m: m.zeros(0).argmax(),
        lambda m: m.zeros(0, 3).max(0),
        lambda m: m.zeros(0, 3).max(1),
        lambda m: m.zeros(0, 3).amax(0),
        lambda m: m.zeros(0, 3).amin(1),
        lambda m: m.zeros(0, 3).argmin(0),
        lambda m: m.zeros(0, 3).argmax(1),
        lambda m: m.zeros(0, 3).amax((0, 1)),
    ],
)
def test_zero_size_reductions(build: Any) -> None:
    check_both(build, [], [], close(layout=True))


@pytest.mark.parametrize("op", ["sum", "mean", "amax", "var"])
def test_empty_dim_tuple_reduces_everything_like_torch(op: str) -> None:
    check_both(lambda m: getattr(m.arange(6.0).view(2, 3), op)(dim=()), [], [])


@pytest.mark.parametrize(
    "build",
    [
        lambda m: m.tensor(5.0).sum(0),
        lambda m: m.tensor(5.0).sum(-1),
        lambda m: m.tensor(5.0).sum(1),
        lambda m: m.tensor(5.0).max(0),
        lambda m: m.tensor(5.0).argmax(0),
        lambda m: m.tensor(5.0).mean(0, keepdim=True),
        lambda m: m.tensor(3).amax(-1),
        lambda m: m.ones(2, 3).sum(2),
        lambda m: m.ones(2, 3).sum((0, 0)),
        lambda m: m.ones(2, 3).max(-3),
    ],
)
def test_dim_handling_edge_cases(build: Any) -> None:
    check_both(build, [], [], close(layout=True))


@pytest.mark.parametrize("op", ["max", "min", "amax", "amin", "argmax", "argmin", "sum"])
def test_nan_propagates_through_reductions(op: str) -> None:
    nan = float("nan")
    mk = lambda m: m.tensor([[1.0, nan, 3.0], [4.0, 5.0, 6.0], [nan, 0.0, nan]])  # noqa: E731
    check_both(lambda m: getattr(mk(m), op)(), [], [])
    check_both(lambda m: getattr(mk(m), op)(1), [], [])
    check_both(lambda m: getattr(mk(m), op)(0), [], [])


@given(data=st.data())
@examples(0.6)
def test_reduction_output_layout_matches_torch(data: st.DataObject) -> None:
    """Reductions allocate a fresh contiguous result (keepdim keeps size-1 dims)."""
    shape = data.draw(shapes(min_dims=1, max_dims=4, max_side=4), label="shape")
    pair = data.draw(tensor_pairs_of_shape(shape, ("float32",)), label="x")
    op = data.draw(st.sampled_from(["sum", "mean", "amax", "max", "argmin", "std"]), label="op")
    dim = data.draw(st.integers(-len(shape), len(shape) - 1), label="dim")
    keepdim = data.draw(st.booleans(), label="keepdim")
    fn = lambda m, x: getattr(x, op)(dim, keepdim=keepdim)  # noqa: E731
    check_both(fn, [pair.c], [pair.t], close(layout=True, rtol=1e-4, atol=1e-4))


def test_max_without_dim_is_0d_tensor_not_tuple() -> None:
    c = core.tensor([[3.0, 7.0], [1.0, 7.0]]).max()
    t = torch.tensor([[3.0, 7.0], [1.0, 7.0]]).max()
    assert isinstance(c, core.Tensor)
    assert_close(c, t, layout=True)


def test_max_with_dim_result_has_namedtuple_fields() -> None:
    r = core.tensor([[3.0, 7.0], [9.0, 7.0]]).max(dim=1)
    t = torch.tensor([[3.0, 7.0], [9.0, 7.0]]).max(dim=1)
    assert_close(r.values, t.values)
    assert_close(r.indices, t.indices)
    assert r[0] is r.values or np.array_equal(r[0].numpy(), r.values.numpy())
    assert len(r) == 2
