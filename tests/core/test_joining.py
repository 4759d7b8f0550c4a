"""cat and stack against torch (dims, negative dims, dtype promotion, legacy empty
1-D tensors, layouts), and split/chunk/tensor_split/unbind values round-tripping
through cat."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import core
from tests.core.dtypes_and_shapes import shapes
from tests.core.math_strategies import ALL_DTYPES, assert_close, check_both, close, examples
from tests.core.tensor_pairs import tensor_pairs_of_shape

SOME_DTYPES = ("float32", "int64", "float64", "bool", "int8", "uint8")


@st.composite
def cat_inputs(draw: st.DrawFn, mixed_dtypes: bool) -> tuple[list[Any], list[Any], int]:
    """1-4 pairs that agree except along `dim`; sometimes a legacy ``empty(0)`` among them."""
    shape = draw(shapes(min_dims=1, max_dims=4, max_side=4))
    nd = len(shape)
    dim = draw(st.integers(-nd, nd - 1))
    dtypes = SOME_DTYPES if mixed_dtypes else (draw(st.sampled_from(ALL_DTYPES)),)
    cs, ts = [], []
    for _ in range(draw(st.integers(1, 4))):
        s = list(shape)
        s[dim] = draw(st.integers(0, 3))
        if draw(st.integers(0, 7)) == 0:
            # torch skips 1-D tensors of size 0 whatever their shape (legacy behaviour).
            cs.append(core.empty(0))
            ts.append(torch.empty(0))
            continue
        pair = draw(tensor_pairs_of_shape(tuple(s), dtypes))
        cs.append(pair.c)
        ts.append(pair.t)
    return cs, ts, dim


@given(inputs=cat_inputs(mixed_dtypes=False), form=st.sampled_from(["function", "kwarg", "tuple"]))
@examples(1.0)
def test_cat_matches_torch(inputs: tuple[list[Any], list[Any], int], form: str) -> None:
    cs, ts, dim = inputs
    fn = {
        "function": lambda m, xs: m.cat(xs, dim),
        "kwarg": lambda m, xs: m.cat(xs, dim=dim),
        "tuple": lambda m, xs: m.cat(tuple(xs), dim),
    }[form]
    check_both(fn, [cs], [ts], close(layout=True))


@given(inputs=cat_inputs(mixed_dtypes=True))
@examples(0.6)
def test_cat_promotes_dtypes_like_torch(inputs: tuple[list[Any], list[Any], int]) -> None:
    cs, ts, dim = inputs
    check_both(lambda m, xs: m.cat(xs, dim), [cs], [ts], close(layout=True))


def test_cat_default_dim_and_legacy_empty() -> None:
    for build in (
        lambda m: m.cat([m.ones(2, 3), m.zeros(1, 3)]),
        lambda m: m.cat([m.ones(2, 3), m.tensor([])]),
        lambda m: m.cat([m.tensor([]), m.ones(2, 3)], 1),
        lambda m: m.cat([m.ones(2, 3), m.empty(0)], -1),
        lambda m: m.cat([m.empty(0), m.empty(0)]),
        lambda m: m.cat([m.arange(3), m.arange(2.0)]),
    ):
        check_both(build, [], [], close(layout=True))


@given(data=st.data())
@examples(1.0)
def test_stack_matches_torch(data: st.DataObject) -> None:
    shape = data.draw(shapes(min_dims=0, max_dims=3, max_side=4), label="shape")
    n = data.draw(st.integers(1, 4), label="n")
    names = data.draw(st.sampled_from([("float32",), ("int64",), SOME_DTYPES]), label="dtypes")
    pairs = [data.draw(tensor_pairs_of_shape(shape, names), label=f"x{i}") for i in range(n)]
    dim = data.draw(st.integers(-len(shape) - 1, len(shape)), label="dim")
    cs, ts = [p.c for p in pairs], [p.t for p in pairs]
    check_both(lambda m, xs: m.stack(xs, dim), [cs], [ts], close(layout=True))
    check_both(lambda m, xs: m.stack(tuple(xs), dim=dim), [cs], [ts], close(layout=True))


@pytest.mark.parametrize(
    "build",
    [
        lambda m: m.cat([m.ones(2, 3), m.ones(2, 4)]),
        lambda m: m.cat([m.ones(2, 3), m.ones(3)]),
        lambda m: m.cat([m.ones(2, 3), m.ones(2, 3)], 2),
        lambda m: m.cat([m.ones(2, 3)], -3),
        lambda m: m.cat([m.tensor(1.0)]),
        lambda m: m.cat([]),
        lambda m: m.stack([]),
        lambda m: m.stack([m.ones(2), m.ones(3)]),
        lambda m: m.stack([m.ones(2)], 2),
        lambda m: m.stack([m.ones(2)], -3),
    ],
)
def test_joining_misuse_raises_like_torch(build: Any) -> None:
    check_both(build, [], [])


# --------------------------------------------------------------------------- split family


SPLITTERS = {
    "split int": lambda m, x, d, k: x.split(k, d),
    "split sizes": lambda m, x, d, k: m.split(x, _sizes(x.shape[d], k), dim=d),
    "chunk": lambda m, x, d, k: x.chunk(k, d),
    "core.chunk": lambda m, x, d, k: m.chunk(x, k, dim=d),
    "tensor_split n": lambda m, x, d, k: x.tensor_split(k, d),
    "tensor_split idx": lambda m, x, d, k: m.tensor_split(x, [1, k, k + 1], dim=d),
    "unbind": lambda m, x, d, k: x.unbind(d),
    "core.unbind": lambda m, x, d, k: m.unbind(x, d),
}


def _sizes(total: int, k: int) -> list[int]:
    """Split `total` into pieces of k, k+1, k, ... (the last takes the rest)."""
    sizes, i = [], 0
    while sum(sizes) < total:
        sizes.append(min(k + i % 2, total - sum(sizes)))
        i += 1
    return sizes


@pytest.mark.parametrize("how", list(SPLITTERS))
@given(data=st.data())
@examples(0.4)
def test_split_family_round_trips_through_cat(how: str, data: st.DataObject) -> None:
    shape = data.draw(shapes(min_dims=1, max_dims=3, max_side=5), label="shape")
    pair = data.draw(tensor_pairs_of_shape(shape, ("float32", "int64", "bool")), label="x")
    dim = data.draw(st.integers(-len(shape), len(shape) - 1), label="dim")
    k = data.draw(st.integers(1, 4), label="k")
    fn = SPLITTERS[how]
    result = check_both(fn, [pair.c, dim, k], [pair.t, dim, k], close(layout=True))
    if result is None or how.endswith("unbind"):
        return
    pieces = list(result[0])
    assert isinstance(result[0], tuple)
    if pieces:
        joined = core.cat(pieces, dim)
        np.testing.assert_array_equal(joined.numpy(), pair.t.numpy())


def test_unbind_then_stack_round_trips() -> None:
    t = torch.arange(24.0).view(2, 3, 4).transpose(0, 2)
    c = core.arange(24.0).view(2, 3, 4).transpose(0, 2)
    for dim in (0, 1, 2, -1):
        assert_close(core.stack(c.unbind(dim), dim), torch.stack(t.unbind(dim), dim), layout=True)
