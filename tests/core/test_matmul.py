"""matmul / @ / mm / bmm against torch: 1-D to 4-D operands, batch broadcasting,
result shape, dtype, values and layout; shape and dtype mismatches raise."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import core
from tests.core.assertions import assert_same_error
from tests.core.dtypes_and_shapes import broadcastable_shapes, dtype_name
from tests.core.math_strategies import (
    EPS,
    FLOAT_DTYPES,
    assert_close,
    check_both,
    examples,
)
from tests.core.tensor_pairs import tensor_pairs_of_shape

# bool has no matmul kernel in torch (NotImplementedError): see the misuse table below.
MATMUL_DTYPES = ("float32", "float64", "int64", "int32", "float16", "int16", "uint8")


def _tolerance(t: torch.Tensor, k: int) -> dict[str, float]:
    """A dot product of length k of values up to 10: error <= k * eps * 100."""
    name = dtype_name(t.dtype)
    if name not in FLOAT_DTYPES:
        return {}
    eps = EPS[name]
    return {"rtol": 4 * k * eps, "atol": 4 * max(k, 1) * eps * 100}


def _suffix(shape: tuple[int, ...], n: int) -> tuple[int, ...]:
    return tuple(shape[len(shape) - min(n, len(shape)) :])


@st.composite
def matmul_shapes(draw: st.DrawFn) -> tuple[tuple[int, ...], tuple[int, ...], int]:
    """Shapes (a, b) valid for matmul, and the contracted length k."""
    n, k, p = draw(st.integers(0, 4)), draw(st.integers(0, 4)), draw(st.integers(0, 4))
    nd_a, nd_b = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    batch_a, batch_b = draw(broadcastable_shapes(2, max_dims=2, max_side=3))
    # Suffixes of broadcastable shapes still broadcast (alignment is from the right).
    a = (k,) if nd_a == 1 else _suffix(batch_a, nd_a - 2) + (n, k)
    b = (k,) if nd_b == 1 else _suffix(batch_b, nd_b - 2) + (k, p)
    return a, b, k


@given(data=st.data())
@examples(1.5)
def test_matmul_matches_torch(data: st.DataObject) -> None:
    shape_a, shape_b, k = data.draw(matmul_shapes(), label="shapes")
    name = data.draw(st.sampled_from(MATMUL_DTYPES), label="dtype")
    a = data.draw(tensor_pairs_of_shape(shape_a, (name,)), label="a")
    b = data.draw(tensor_pairs_of_shape(shape_b, (name,)), label="b")
    form = data.draw(st.sampled_from(["@", "function", "method"]), label="form")
    fn = {
        "@": lambda m, x, y: x @ y,
        "function": lambda m, x, y: m.matmul(x, y),
        "method": lambda m, x, y: x.matmul(y),
    }[form]
    result = check_both(fn, [a.c, b.c], [a.t, b.t], compare=lambda c, t: None)
    if result is not None:
        assert_close(*result, **_tolerance(result[1], k))


@given(data=st.data())
@examples(1.0)
def test_matmul_output_layout_matches_torch(data: st.DataObject) -> None:
    shape_a, shape_b, k = data.draw(matmul_shapes(), label="shapes")
    a = data.draw(tensor_pairs_of_shape(shape_a, ("float64",)), label="a")
    b = data.draw(tensor_pairs_of_shape(shape_b, ("float64",)), label="b")
    result = check_both(lambda m, x, y: x @ y, [a.c, b.c], [a.t, b.t], compare=lambda c, t: None)
    if result is not None:
        assert_close(*result, layout=True, **_tolerance(result[1], k))


@given(data=st.data())
@examples(0.8)
def test_mm_matches_torch(data: st.DataObject) -> None:
    n, k, p = (data.draw(st.integers(0, 5), label=x) for x in "nkp")
    name = data.draw(st.sampled_from(MATMUL_DTYPES), label="dtype")
    a = data.draw(tensor_pairs_of_shape((n, k), (name,)), label="a")
    b = data.draw(tensor_pairs_of_shape((k, p), (name,)), label="b")
    result = check_both(
        lambda m, x, y: m.mm(x, y), [a.c, b.c], [a.t, b.t], compare=lambda c, t: None
    )
    if result is not None:
        assert_close(*result, layout=True, **_tolerance(result[1], k))
        assert_close(a.c.mm(b.c), result[1], **_tolerance(result[1], k))


@given(data=st.data())
@examples(0.8)
def test_bmm_matches_torch(data: st.DataObject) -> None:
    bsz, n, k, p = (data.draw(st.integers(0, 4), label=x) for x in ("b", "n", "k", "p"))
    name = data.draw(st.sampled_from(("float32", "float64", "int64")), label="dtype")
    a = data.draw(tensor_pairs_of_shape((bsz, n, k), (name,)), label="a")
    b = data.draw(tensor_pairs_of_shape((bsz, k, p), (name,)), label="b")
    result = check_both(
        lambda m, x, y: m.bmm(x, y), [a.c, b.c], [a.t, b.t], compare=lambda c, t: None
    )
    if result is not None:
        assert_close(*result, layout=True, **_tolerance(result[1], k))
        assert_close(a.c.bmm(b.c), result[1], **_tolerance(result[1], k))


def test_matmul_values_against_numpy() -> None:
    """An independent oracle: numpy's matmul on float64, batch broadcast included."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((2, 1, 3, 4))
    b = rng.standard_normal((5, 4, 2))
    got = (core.from_numpy(a) @ core.from_numpy(b)).numpy()
    np.testing.assert_allclose(got, a @ b, rtol=1e-12, atol=1e-12)
    assert got.shape == (2, 5, 3, 2)


MISUSE = {
    "1d length mismatch": lambda m: m.ones(3) @ m.ones(4),
    "2d inner mismatch": lambda m: m.ones(2, 3) @ m.ones(4, 2),
    "batch mismatch": lambda m: m.ones(2, 2, 3) @ m.ones(3, 3, 2),
    "0d operand": lambda m: m.tensor(1.0) @ m.ones(4),
    "0d right": lambda m: m.ones(4) @ m.tensor(1.0),
    "float32 @ float64": lambda m: m.ones(2, 2) @ m.ones(2, 2, dtype=m.float64),
    "float32 @ float64 1d": lambda m: m.ones(2) @ m.ones(2, dtype=m.float64),
    "int64 @ float32": lambda m: m.ones(2, 2, dtype=m.int64) @ m.ones(2, 2),
    "mm dtype": lambda m: m.ones(2, 2).mm(m.ones(2, 2, dtype=m.float64)),
    "bmm dtype": lambda m: m.ones(2, 2, 2).bmm(m.ones(2, 2, 2, dtype=m.float64)),
    "mm 1d": lambda m: m.ones(2, 3).mm(m.ones(3)),
    "mm 3d": lambda m: m.mm(m.ones(2, 2, 3), m.ones(3, 2)),
    "mm shapes": lambda m: m.mm(m.ones(2, 3), m.ones(2, 3)),
    "bmm 2d": lambda m: m.ones(2, 3).bmm(m.ones(3, 2)),
    "bmm batch mismatch": lambda m: m.ones(2, 2, 3).bmm(m.ones(3, 3, 2)),
    "bmm inner mismatch": lambda m: m.ones(2, 2, 3).bmm(m.ones(2, 4, 2)),
    "bool": lambda m: m.ones(2, 2, dtype=m.bool) @ m.ones(2, 2, dtype=m.bool),
}


@pytest.mark.parametrize("build", list(MISUSE.values()), ids=list(MISUSE))
def test_matmul_misuse_raises_like_torch(build: Any) -> None:
    with pytest.raises(RuntimeError):
        build(torch)  # the table is checked against torch first
    assert_same_error(lambda: build(core), lambda: build(torch))
    with pytest.raises(RuntimeError) as info:
        build(core)
    assert str(info.value)


def test_matmul_dtype_follows_inputs() -> None:
    for name in ("float16", "float32", "float64", "int32", "int64", "int8"):
        c = core.ones(2, 3, dtype=getattr(core, name)) @ core.ones(3, dtype=getattr(core, name))
        t = torch.ones(2, 3, dtype=getattr(torch, name)) @ torch.ones(3, dtype=getattr(torch, name))
        assert_close(c, t, layout=True)
