"""A shadow run on the GPU: random layouts and random view calls give the CPU's results.

Each example rebuilds a random layout (the steps of a :class:`TensorPair`) over a base
on the GPU and on the CPU, applies the same random op to both, and compares everything:
error class and message, sizes, strides, offset, storage sharing, values. Runs on the
simulated GPU everywhere and on a real one with ``-m gpu`` (needs hypothesis).
"""

from __future__ import annotations

import contextlib
import math
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import core
from tests.core.simulated_cupy import installed
from tests.core.tensor_pairs import TensorPair, tensor_pairs, tensor_pairs_of_shape
from tests.core.view_calls import view_calls

KINDS = ["simulated", pytest.param("cuda", marks=pytest.mark.gpu)]


@contextlib.contextmanager
def gpu_of(kind: str) -> Iterator[None]:
    with installed() if kind == "simulated" else contextlib.nullcontext():
        yield


def rebuilt(pair: TensorPair, where: str) -> core.Tensor:
    """The pair's layout (its steps) over a copy of its base's values on ``where``."""
    host = pair.c.untyped_storage().buffer
    values = np.array(host[: math.prod(pair.base_shape)]).reshape(pair.base_shape)
    base = core.tensor(values, device=where)
    for step in pair.steps:
        base = step.apply(base)
    return base


def outcome(work: Callable[[], Any]) -> tuple[str, Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return "ok", work()
        except Exception as error:  # noqa: BLE001 - the error itself is compared
            return "error", (type(error), str(error))


def assert_same_outcome(on_gpu: tuple[str, Any], on_cpu: tuple[str, Any]) -> None:
    assert on_gpu[0] == on_cpu[0], (on_gpu, on_cpu)
    if on_gpu[0] == "error":
        assert on_gpu[1] == on_cpu[1]
        return
    mine, theirs = on_gpu[1], on_cpu[1]
    mine = list(mine) if isinstance(mine, (tuple, list)) else [mine]
    theirs = list(theirs) if isinstance(theirs, (tuple, list)) else [theirs]
    assert len(mine) == len(theirs)
    for got, expected in zip(mine, theirs, strict=True):
        assert got.device == core.device("cuda:0")
        assert (got.shape, got.stride(), got.storage_offset(), got.dtype) == (
            expected.shape,
            expected.stride(),
            expected.storage_offset(),
            expected.dtype,
        )
        np.testing.assert_array_equal(got._host_values(), expected._host_values())


@pytest.mark.parametrize("kind", KINDS)
@given(data=st.data())
def test_random_view_calls_on_random_layouts_match_the_cpu(kind, data):
    pair = data.draw(tensor_pairs(), label="tensor")
    call = data.draw(view_calls(tuple(pair.c.shape), pair.storage_numel), label="call")
    with gpu_of(kind):
        x, twin = rebuilt(pair, "cuda"), rebuilt(pair, "cpu")
        assert (x.shape, x.stride(), x.storage_offset()) == (
            twin.shape,
            twin.stride(),
            twin.storage_offset(),
        )
        on_gpu, on_cpu = (
            outcome(lambda: call.apply(x, core)),
            outcome(lambda: call.apply(twin, core)),
        )
        assert_same_outcome(on_gpu, on_cpu)
        if on_gpu[0] == "ok":
            results = on_gpu[1] if isinstance(on_gpu[1], (tuple, list)) else [on_gpu[1]]
            expected = on_cpu[1] if isinstance(on_cpu[1], (tuple, list)) else [on_cpu[1]]
            for got, theirs in zip(results, expected, strict=True):
                assert got.is_view_of(x) == theirs.is_view_of(twin)


BINARY = {
    "add": lambda a, b: a + b,
    "mul": lambda a, b: a * b,
    "sub": lambda a, b: a - b,
    "maximum": lambda a, b: core.maximum(a, b),
    "lt": lambda a, b: a < b,
    "where": lambda a, b: core.where(a > b, a, b),
}


@pytest.mark.parametrize("kind", KINDS)
@given(data=st.data())
def test_random_elementwise_ops_on_random_layouts_match_the_cpu(kind, data):
    shape = data.draw(st.lists(st.integers(1, 4), min_size=0, max_size=3).map(tuple))
    dtypes = ("float32", "float64", "int64", "int32", "float16", "bool")
    a = data.draw(tensor_pairs_of_shape(shape, dtypes=dtypes), label="a")
    b = data.draw(
        tensor_pairs_of_shape(shape[data.draw(st.integers(0, len(shape))) :], dtypes=dtypes),
        label="b",
    )
    name = data.draw(st.sampled_from(sorted(BINARY)), label="op")
    with gpu_of(kind):
        on_gpu = outcome(lambda: BINARY[name](rebuilt(a, "cuda"), rebuilt(b, "cuda")))
        on_cpu = outcome(lambda: BINARY[name](rebuilt(a, "cpu"), rebuilt(b, "cpu")))
        if on_gpu[0] == "ok" and kind == "cuda" and on_cpu[1].dtype.is_floating_point:
            np.testing.assert_allclose(
                on_gpu[1]._host_values(), on_cpu[1]._host_values(), rtol=1e-3, equal_nan=True
            )
            return
        assert_same_outcome(on_gpu, on_cpu)


@pytest.mark.parametrize("kind", KINDS)
@given(data=st.data())
def test_random_reductions_on_random_layouts_match_the_cpu(kind, data):
    pair = data.draw(tensor_pairs(dtypes=("float64", "int64", "bool")), label="tensor")
    dim = data.draw(st.none() | st.integers(-max(pair.c.dim(), 1), max(pair.c.dim(), 1) - 1))
    keepdim = data.draw(st.booleans())
    name = data.draw(st.sampled_from(["sum", "amax", "argmax", "any", "prod"]), label="op")

    def reduce(x: core.Tensor) -> core.Tensor:
        if name == "argmax" and x.dtype is core.bool:
            x = x.long()
        return getattr(x, name)(dim, keepdim=keepdim) if dim is not None else getattr(x, name)()

    with gpu_of(kind):
        on_gpu = outcome(lambda: reduce(rebuilt(pair, "cuda")))
        on_cpu = outcome(lambda: reduce(rebuilt(pair, "cpu")))
        if kind == "cuda" and on_gpu[0] == "ok" and on_cpu[1].dtype.is_floating_point:
            np.testing.assert_allclose(on_gpu[1]._host_values(), on_cpu[1]._host_values())
            return
        assert_same_outcome(on_gpu, on_cpu)
