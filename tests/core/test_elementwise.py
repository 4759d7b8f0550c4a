"""Elementwise math against torch: operators, unary functions, clamp, maximum/minimum,
where and comparisons, on random layouts (permuted, sliced, expanded, zero-size, 0-d).

For every op: result dtype, shape and values; in separate tests, the output strides
(torch's TensorIterator picks the output layout from the inputs' strides, so
``x.t() + 1`` has strides ``(1, n)``).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import core
from tests.core.dtypes_and_shapes import broadcastable_shapes, dtype_name, shapes
from tests.core.math_strategies import (
    ALL_DTYPES,
    FLOAT_DTYPES,
    INT_DTYPES,
    assert_close,
    check_both,
    close,
    examples,
    python_scalars,
)
from tests.core.tensor_pairs import tensor_pairs_of_shape

BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "//": operator.floordiv,
    "%": operator.mod,
    "**": operator.pow,
}
# Smaller operands for ** so results stay well inside every dtype's range.
_RANGE = {"**": (-4, 4)}

COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
COMPARE_NAMES = {"==": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge"}

UNARY = ("neg", "abs", "exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu")


def _binary(op: Callable[[Any, Any], Any]) -> Callable[[Any, Any, Any], Any]:
    return lambda m, a, b: op(a, b)


# --------------------------------------------------------------------------- binary operators


@pytest.mark.parametrize("sym", list(BINARY))
@given(data=st.data())
@examples(0.4)
def test_binary_operator_tensor_tensor_broadcasting(sym: str, data: st.DataObject) -> None:
    shape_a, shape_b = data.draw(broadcastable_shapes(2), label="shapes")
    low, high = _RANGE.get(sym, (-10, 10))
    a = data.draw(tensor_pairs_of_shape(shape_a, ALL_DTYPES, low=low, high=high), label="a")
    b = data.draw(tensor_pairs_of_shape(shape_b, ALL_DTYPES, low=low, high=high), label="b")
    # Integer // and % by zero raise in torch ("ZeroDivisionError"); core must raise the same class.
    check_both(_binary(BINARY[sym]), [a.c, b.c], [a.t, b.t])


@pytest.mark.parametrize("sym", list(BINARY))
@given(data=st.data())
@examples(0.4)
def test_binary_operator_with_python_scalar(sym: str, data: st.DataObject) -> None:
    shape = data.draw(shapes(max_side=4), label="shape")
    low, high = _RANGE.get(sym, (-10, 10))
    a = data.draw(tensor_pairs_of_shape(shape, ALL_DTYPES, low=low, high=high), label="a")
    s = data.draw(python_scalars(), label="scalar")
    op = BINARY[sym]
    check_both(lambda m, x: op(x, s), [a.c], [a.t])
    check_both(lambda m, x: op(s, x), [a.c], [a.t])  # reflected: s - x, s / x, s ** x, ...


@pytest.mark.parametrize("sym", ["//", "%"])
@pytest.mark.parametrize("name", INT_DTYPES)
def test_integer_division_by_zero_raises_like_torch(sym: str, name: str) -> None:
    op = BINARY[sym]
    mk = lambda m: m.tensor([5, 0, 3], dtype=getattr(m, name))  # noqa: E731
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        op(mk(torch), 0)
    with pytest.raises(RuntimeError):
        op(mk(core), 0)
    check_both(lambda m: op(mk(m), mk(m)), [], [])  # a zero inside the divisor tensor
    check_both(lambda m: op(7, mk(m)), [], [])


@pytest.mark.parametrize("sym", ["/", "//", "%"])
@pytest.mark.parametrize("name", FLOAT_DTYPES)
def test_float_division_by_zero_gives_inf_nan_quietly(sym: str, name: str) -> None:
    op = BINARY[sym]
    mk = lambda m: m.tensor([1.5, -1.5, 0.0, 2.0], dtype=getattr(m, name))  # noqa: E731
    zero = lambda m: m.tensor([0.0, 0.0, 0.0, -0.0], dtype=getattr(m, name))  # noqa: E731
    check_both(lambda m: op(mk(m), zero(m)), [], [])
    check_both(lambda m: op(mk(m), 0), [], [])
    check_both(lambda m: op(mk(m), 0.0), [], [])


@pytest.mark.parametrize(
    ("a", "b"),
    [(7, 2), (-7, 2), (7, -2), (-7, -2), (0, 3), (6, -3), (-1, 5), (5, -1)],
)
@pytest.mark.parametrize("name", ["int64", "int8", "float32", "float64"])
def test_floor_division_and_remainder_semantics(a: int, b: int, name: str) -> None:
    """Floor division rounds down; the remainder takes the divisor's sign (Python's rule)."""
    ct = core.tensor([a], dtype=getattr(core, name))
    tt = torch.tensor([a], dtype=getattr(torch, name))
    for op in (operator.floordiv, operator.mod):
        assert_close(op(ct, b), op(tt, b))
        expected = op(a, b)  # independent oracle: Python's ints
        assert float(op(ct, b).item()) == float(expected)


@pytest.mark.parametrize("name", INT_DTYPES)
def test_integer_pow_with_negative_exponents(name: str) -> None:
    """torch: a Python negative int exponent raises; a tensor one gives 0 (or ±1 for base ±1)."""
    base_values = [1, 2, 0, 3] if name == "uint8" else [1, -1, 2, 0, -3]
    mk = lambda m, v: m.tensor(v, dtype=getattr(m, name))  # noqa: E731
    with pytest.raises(RuntimeError):
        mk(torch, base_values) ** -1
    with pytest.raises(RuntimeError) as info:
        mk(core, base_values) ** -1
    assert str(info.value)
    exps = [-1, -2, -3, 1, 2][: len(base_values)] if name != "uint8" else [1, 2, 3, 0]
    check_both(lambda m: mk(m, base_values) ** mk(m, exps), [], [])
    check_both(lambda m: mk(m, base_values) ** m.tensor(-2), [], [])
    check_both(lambda m: 2 ** mk(m, exps), [], [])


@pytest.mark.parametrize(
    "expr",
    [
        lambda m, b: -b,
        lambda m, b: b - b,
        lambda m, b: b - True,
        lambda m, b: 1 - b,
        lambda m, b: b - 1,
        lambda m, b: m.neg(b),
        lambda m, b: b.abs(),
        lambda m, b: b.relu(),
        lambda m, b: b // b,
        lambda m, b: b % b,
        lambda m, b: b**b,
        lambda m, b: b + b,
        lambda m, b: b * b,
        lambda m, b: b / b,
        lambda m, b: b + 1,
        lambda m, b: b * 1.5,
    ],
    ids=[
        "neg",
        "b-b",
        "b-True",
        "1-b",
        "b-1",
        "core.neg",
        "abs",
        "relu",
        "//",
        "%",
        "**",
        "b+b",
        "b*b",
        "b/b",
        "b+1",
        "b*1.5",
    ],
)
def test_bool_arithmetic_matches_torch(expr: Any) -> None:
    """torch refuses `-`/neg on bool (RuntimeError) but allows + and * (logical or/and)."""
    mk = lambda m: m.tensor([True, False, True])  # noqa: E731
    check_both(expr, [mk(core)], [mk(torch)])


@pytest.mark.parametrize("name", ["uint8", "int8", "int16"])
def test_integer_overflow_wraps_like_torch(name: str) -> None:
    info = np.iinfo(name)
    mk = lambda m: m.tensor([info.max, info.min, 1], dtype=getattr(m, name))  # noqa: E731
    check_both(lambda m: mk(m) + 1, [], [])
    check_both(lambda m: mk(m) * 3, [], [])
    check_both(lambda m: mk(m) - mk(m) * 2, [], [])
    check_both(lambda m: -mk(m), [], [])
    check_both(lambda m: mk(m).abs(), [], [])


def test_small_int_dtypes_take_negative_scalars_modulo_256_like_torch() -> None:
    mk = lambda m: m.tensor([0, 1, 200], dtype=m.uint8)  # noqa: E731
    for s in (-1, -3):
        check_both(lambda m, s=s: mk(m) + s, [], [])
        check_both(lambda m, s=s: mk(m) // s, [], [])
        check_both(lambda m, s=s: s * mk(m), [], [])


@pytest.mark.parametrize(
    ("expr", "layout"),
    [
        (lambda m, x: x.t() + 1, (1, 4)),
        (lambda m, x: x.t() * x.t(), (1, 4)),
        (lambda m, x: x.t().exp(), (1, 4)),
        (lambda m, x: x.t() > 2, (1, 4)),
        (lambda m, x: m.where(x.t() > 2, x.t(), 0.0), (1, 4)),
        (lambda m, x: x.t().clamp(1, 5), (1, 4)),
        (lambda m, x: x.t() + m.ones(4, 1), (1, 4)),
        (lambda m, x: m.ones(4, 1) + x.t(), (1, 4)),
        (lambda m, x: x.t() + x.reshape(4, 3), (1, 4)),
        (lambda m, x: x.reshape(4, 3) + x.t(), (3, 1)),
        (lambda m, x: x[:, ::2] + 1, (2, 1)),
    ],
)
def test_output_strides_named_cases(expr: Any, layout: tuple[int, ...]) -> None:
    cx = core.arange(12.0).view(3, 4)
    tx = torch.arange(12.0).view(3, 4)
    t = expr(torch, tx)
    assert t.stride() == layout  # the table is torch's own answer
    assert_close(expr(core, cx), t, layout=True)


@pytest.mark.parametrize(
    "expr",
    [
        lambda m: m.ones(2, 1, 1).permute(1, 0, 2)[:0].clamp(min=-1),
        lambda m: m.ones(1, 2, 1).permute(0, 2, 1).expand(0, 1, 2).exp(),
        lambda m: m.ones(3, 0).t() + 1,
        lambda m: m.ones(0, 3).t() * 2,
        lambda m: m.ones(1, 3).t() + 1,
        lambda m: m.ones(3, 1)[:, ::1].t() * 1,
    ],
)
def test_output_strides_of_zero_size_and_size_one_dims(expr: Any) -> None:
    """TensorIterator's permutation also decides strides where numel is 0 or a dim is 1."""
    check_both(expr, [], [], close(layout=True))


# --------------------------------------------------------------------------- output layout


@given(data=st.data())
@examples(1.0)
def test_binary_output_layout_matches_torch(data: st.DataObject) -> None:
    """Strides (and offset, contiguity) of a binary op's fresh output: TensorIterator's rule."""
    shape_a, shape_b = data.draw(broadcastable_shapes(2), label="shapes")
    a = data.draw(tensor_pairs_of_shape(shape_a, ("float32", "int64", "bool")), label="a")
    b = data.draw(tensor_pairs_of_shape(shape_b, ("float32", "int32")), label="b")
    sym = data.draw(st.sampled_from(["+", "*", "<", "=="]), label="op")
    op = {**BINARY, **COMPARE}[sym]
    check_both(_binary(op), [a.c, b.c], [a.t, b.t], close(layout=True))


@given(data=st.data())
@examples(1.0)
def test_unary_and_scalar_output_layout_matches_torch(data: st.DataObject) -> None:
    shape = data.draw(shapes(max_side=4), label="shape")
    a = data.draw(tensor_pairs_of_shape(shape, ("float32", "float64", "int64")), label="a")
    form = data.draw(st.sampled_from(["exp", "neg", "x*2", "2-x", "x>0", "clamp", "sigmoid"]))
    fn = {
        "exp": lambda m, x: x.exp(),
        "neg": lambda m, x: -x,
        "x*2": lambda m, x: x * 2,
        "2-x": lambda m, x: 2 - x,
        "x>0": lambda m, x: x > 0,
        "clamp": lambda m, x: x.clamp(min=-1),
        "sigmoid": lambda m, x: m.sigmoid(x),
    }[form]
    check_both(fn, [a.c], [a.t], close(layout=True))


@given(data=st.data())
@examples(0.6)
def test_where_output_layout_matches_torch(data: st.DataObject) -> None:
    sc, sx, sy = data.draw(broadcastable_shapes(3), label="shapes")
    cond = data.draw(tensor_pairs_of_shape(sc, ("bool",)), label="cond")
    x = data.draw(tensor_pairs_of_shape(sx, ("float32",)), label="x")
    y = data.draw(tensor_pairs_of_shape(sy, ("float32",)), label="y")
    check_both(
        lambda m, c, a, b: m.where(c, a, b),
        [cond.c, x.c, y.c],
        [cond.t, x.t, y.t],
        close(layout=True),
    )


# --------------------------------------------------------------------------- unary


@pytest.mark.parametrize("fn", UNARY)
@given(data=st.data())
@examples(0.4)
def test_unary_function_and_method_match_torch(fn: str, data: st.DataObject) -> None:
    shape = data.draw(shapes(max_side=4), label="shape")
    a = data.draw(tensor_pairs_of_shape(shape, ALL_DTYPES), label="a")
    # log/sqrt of negatives give nan in torch, silently: core must not warn or raise.
    check_both(lambda m, x: getattr(m, fn)(x), [a.c], [a.t])
    check_both(lambda m, x: getattr(x, fn)(), [a.c], [a.t])


def test_neg_operator_equals_neg_function() -> None:
    data = [[1.5, -2.0], [0.0, 3.0]]
    expected = torch.neg(torch.tensor(data))
    x = core.tensor(data)
    assert_close(-x, expected, layout=True)
    assert_close(core.neg(x), expected, layout=True)
    assert_close(x.neg(), expected, layout=True)


@pytest.mark.parametrize("fn", ["exp", "sigmoid", "tanh", "log", "sqrt"])
@pytest.mark.parametrize("name", FLOAT_DTYPES)
def test_unary_extremes_match_torch(fn: str, name: str) -> None:
    values = [
        0.0,
        -0.0,
        1e4,
        -1e4,
        88.0,
        -88.0,
        1e-30,
        -1.0,
        float("inf"),
        float("-inf"),
        float("nan"),
    ]
    check_both(lambda m: getattr(m.tensor(values, dtype=getattr(m, name)), fn)(), [], [])


# --------------------------------------------------------------------------- clamp, max/min


@given(data=st.data())
def test_clamp_with_scalar_bounds(data: st.DataObject) -> None:
    shape = data.draw(shapes(max_side=4), label="shape")
    a = data.draw(tensor_pairs_of_shape(shape, ALL_DTYPES), label="a")
    lo = data.draw(st.none() | python_scalars(("int", "float")), label="min")
    hi = data.draw(st.none() | python_scalars(("int", "float")), label="max")
    form = data.draw(st.sampled_from(["method", "function", "positional"]), label="form")
    if form == "method":
        fn = lambda m, x: x.clamp(min=lo, max=hi)  # noqa: E731
    elif form == "function":
        fn = lambda m, x: m.clamp(x, min=lo, max=hi)  # noqa: E731
    else:
        fn = lambda m, x: x.clamp(lo, hi)  # noqa: E731
    check_both(fn, [a.c], [a.t])  # both None: torch raises RuntimeError


@given(data=st.data())
def test_clamp_with_tensor_bounds_broadcasting(data: st.DataObject) -> None:
    sx, slo, shi = data.draw(broadcastable_shapes(3, max_dims=3), label="shapes")
    x = data.draw(tensor_pairs_of_shape(sx, ("float32", "int64", "float64", "int16")), label="x")
    lo = data.draw(tensor_pairs_of_shape(slo, ("float32", "int64", "int16")), label="min")
    hi = data.draw(tensor_pairs_of_shape(shi, ("float32", "int64", "int16")), label="max")
    which = data.draw(st.sampled_from(["both", "min", "max"]), label="which")
    if which == "both":
        fn = lambda m, a, b, c: m.clamp(a, b, c)  # noqa: E731
    elif which == "min":
        fn = lambda m, a, b, c: a.clamp(min=b)  # noqa: E731
    else:
        fn = lambda m, a, b, c: a.clamp(max=c)  # noqa: E731
    check_both(fn, [x.c, lo.c, hi.c], [x.t, lo.t, hi.t])


def test_clamp_min_greater_than_max_gives_max() -> None:
    check_both(lambda m: m.arange(6.0).clamp(4, 2), [], [])
    check_both(lambda m: m.arange(6).clamp(min=4, max=2), [], [])


@pytest.mark.parametrize("fn", ["maximum", "minimum"])
@given(data=st.data())
@examples(0.6)
def test_maximum_minimum_broadcasting(fn: str, data: st.DataObject) -> None:
    sa, sb = data.draw(broadcastable_shapes(2), label="shapes")
    a = data.draw(tensor_pairs_of_shape(sa, ALL_DTYPES), label="a")
    b = data.draw(tensor_pairs_of_shape(sb, ALL_DTYPES), label="b")
    check_both(lambda m, x, y: getattr(m, fn)(x, y), [a.c, b.c], [a.t, b.t])
    check_both(lambda m, x, y: getattr(x, fn)(y), [a.c, b.c], [a.t, b.t])


@pytest.mark.parametrize("fn", ["maximum", "minimum"])
def test_maximum_propagates_nan(fn: str) -> None:
    nan = float("nan")
    check_both(
        lambda m: getattr(m, fn)(m.tensor([nan, 1.0, 2.0]), m.tensor([0.0, nan, 1.0])), [], []
    )


# --------------------------------------------------------------------------- where


@given(data=st.data())
def test_where_broadcasting_and_promotion(data: st.DataObject) -> None:
    sc, sx, sy = data.draw(broadcastable_shapes(3), label="shapes")
    cond = data.draw(tensor_pairs_of_shape(sc, ("bool",)), label="cond")
    x = data.draw(tensor_pairs_of_shape(sx, ALL_DTYPES), label="x")
    y = data.draw(tensor_pairs_of_shape(sy, ALL_DTYPES), label="y")
    check_both(lambda m, c, a, b: m.where(c, a, b), [cond.c, x.c, y.c], [cond.t, x.t, y.t])
    check_both(lambda m, c, a, b: a.where(c, b), [cond.c, x.c, y.c], [cond.t, x.t, y.t])


@given(data=st.data())
def test_where_with_scalars(data: st.DataObject) -> None:
    sc, sx = data.draw(broadcastable_shapes(2), label="shapes")
    cond = data.draw(tensor_pairs_of_shape(sc, ("bool",)), label="cond")
    x = data.draw(tensor_pairs_of_shape(sx, ALL_DTYPES), label="x")
    s = data.draw(python_scalars(), label="scalar")
    s2 = data.draw(python_scalars(), label="scalar2")
    check_both(lambda m, c, a: m.where(c, a, s), [cond.c, x.c], [cond.t, x.t])
    check_both(lambda m, c, a: m.where(c, s, a), [cond.c, x.c], [cond.t, x.t])
    check_both(lambda m, c: m.where(c, s, s2), [cond.c], [cond.t])


def test_where_requires_bool_condition() -> None:
    check_both(lambda m: m.where(m.tensor([1, 0]), 1.0, 2.0), [], [])


# --------------------------------------------------------------------------- comparisons


@pytest.mark.parametrize("sym", list(COMPARE))
@given(data=st.data())
@examples(0.4)
def test_comparison_operators_and_functions(sym: str, data: st.DataObject) -> None:
    sa, sb = data.draw(broadcastable_shapes(2), label="shapes")
    a = data.draw(tensor_pairs_of_shape(sa, ALL_DTYPES, low=-3, high=3), label="a")
    b = data.draw(tensor_pairs_of_shape(sb, ALL_DTYPES, low=-3, high=3), label="b")
    op, name = COMPARE[sym], COMPARE_NAMES[sym]
    check_both(_binary(op), [a.c, b.c], [a.t, b.t])
    check_both(lambda m, x, y: getattr(m, name)(x, y), [a.c, b.c], [a.t, b.t])
    check_both(lambda m, x, y: getattr(x, name)(y), [a.c, b.c], [a.t, b.t])
    s = data.draw(python_scalars(), label="scalar")
    check_both(lambda m, x: op(x, s), [a.c], [a.t])
    check_both(lambda m, x: op(s, x), [a.c], [a.t])  # reflected: 2 < x is x > 2
    check_both(lambda m, x: getattr(x, name)(s), [a.c], [a.t])


def test_comparison_results_are_bool_tensors() -> None:
    c = core.arange(4) < 2
    assert c.dtype == core.bool
    assert isinstance(c, core.Tensor)
    assert c.tolist() == (torch.arange(4) < 2).tolist()


# --------------------------------------------------------------------------- dtypes of results


@pytest.mark.parametrize("sym", list(BINARY))
@pytest.mark.parametrize("a_name", ALL_DTYPES)
@pytest.mark.parametrize("b_name", ALL_DTYPES)
def test_binary_result_dtype_for_every_pair(sym: str, a_name: str, b_name: str) -> None:
    """All 81 dtype pairs x 7 operators, with safe values (no zero divisors)."""
    mk = lambda m, n: m.tensor([1, 2], dtype=getattr(m, n))  # noqa: E731
    r = check_both(lambda m: BINARY[sym](mk(m, a_name), mk(m, b_name)), [], [])
    if r is not None:
        assert dtype_name(r[0].dtype) == dtype_name(r[1].dtype)
