"""dtypes: names, sizes, promotion and the default dtypes of factories, against torch."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import core
from tests.core.dtypes_and_shapes import core_dtype, dtype_name, torch_dtype
from tests.core.math_strategies import ALL_DTYPES

PAIRS = list(itertools.product(ALL_DTYPES, ALL_DTYPES))


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize("name", ALL_DTYPES)
def test_dtype_is_named_like_torch_with_core_prefix(name: str) -> None:
    dt = core_dtype(name)
    assert str(dt) == str(torch_dtype(name)).replace("torch.", "core.") == f"core.{name}"
    assert repr(dt) == f"core.{name}"


@pytest.mark.parametrize("name", ALL_DTYPES)
def test_dtype_itemsize_matches_torch(name: str) -> None:
    assert core_dtype(name).itemsize == torch_dtype(name).itemsize
    c = core.zeros(3, dtype=core_dtype(name))
    t = torch.zeros(3, dtype=torch_dtype(name))
    assert c.element_size() == t.element_size()
    assert c.itemsize == t.itemsize
    assert c.nbytes == t.nbytes


@pytest.mark.parametrize("name", ALL_DTYPES)
def test_is_floating_point_matches_torch(name: str) -> None:
    assert core_dtype(name).is_floating_point == torch_dtype(name).is_floating_point
    assert core.ones(2, dtype=core_dtype(name)).is_floating_point() == (
        torch.ones(2, dtype=torch_dtype(name)).is_floating_point()
    )


def test_dtypes_compare_and_hash_by_identity_of_name() -> None:
    assert core.float32 == core.float32
    assert core.float32 != core.float64
    assert len({core_dtype(n) for n in ALL_DTYPES}) == len(ALL_DTYPES)
    assert core.zeros(1).dtype == core.float32
    assert core.zeros(1).dtype is core.float32


def test_default_dtype_is_float32() -> None:
    assert core.get_default_dtype() == core.float32
    assert dtype_name(core.get_default_dtype()) == dtype_name(torch.get_default_dtype())


@pytest.mark.parametrize("name", ALL_DTYPES)
@pytest.mark.parametrize(
    "factory",
    [
        lambda m, dt: m.zeros(2, 3, dtype=dt),
        lambda m, dt: m.ones((2,), dtype=dt),
        lambda m, dt: m.empty(4, dtype=dt),
        lambda m, dt: m.full((2,), 1, dtype=dt),
        lambda m, dt: m.tensor([1, 0], dtype=dt),
        lambda m, dt: m.eye(2, dtype=dt),
        lambda m, dt: m.empty_strided((2, 2), (1, 2), dtype=dt),
    ],
    ids=["zeros", "ones", "empty", "full", "tensor", "eye", "empty_strided"],
)
def test_dtype_given_as_string_is_accepted(factory: Any, name: str) -> None:
    """core also takes ``dtype="float32"`` (torch only takes the object)."""
    from_string = factory(core, name)
    from_object = factory(core, core_dtype(name))
    reference = factory(torch, torch_dtype(name))
    assert from_string.dtype == from_object.dtype == core_dtype(name)
    assert dtype_name(from_string.dtype) == dtype_name(reference.dtype)
    assert tuple(from_string.shape) == tuple(reference.shape)


@pytest.mark.parametrize("bad", ["float33", "", "complex64", "Float"])
def test_unknown_dtype_string_raises_type_error(bad: str) -> None:
    # torch raises TypeError for any string dtype; core accepts the nine names only.
    with pytest.raises(TypeError):
        torch.zeros(2, dtype=bad)  # type: ignore[call-overload]
    with pytest.raises(TypeError) as info:
        core.zeros(2, dtype=bad)
    assert str(info.value)


# --------------------------------------------------------------------------- promotion


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_promote_types_matches_torch(a: str, b: str) -> None:
    got = core.promote_types(core_dtype(a), core_dtype(b))
    expected = torch.promote_types(torch_dtype(a), torch_dtype(b))
    assert dtype_name(got) == dtype_name(expected)
    assert got is core_dtype(dtype_name(expected))


@pytest.mark.parametrize(("a", "b"), PAIRS)
@pytest.mark.parametrize(
    ("dims_a", "dims_b"), [(1, 1), (2, 0), (0, 2), (0, 0)], ids=["nd-nd", "nd-0d", "0d-nd", "0d-0d"]
)
def test_result_type_of_two_tensors_matches_torch(a: str, b: str, dims_a: int, dims_b: int) -> None:
    """Category rule: a 0-d tensor only counts when its category is higher."""

    def make(m: Any, name: str, nd: int) -> Any:
        dt = getattr(m, name)
        return m.ones((2,) * nd, dtype=dt)

    got = core.result_type(make(core, a, dims_a), make(core, b, dims_b))
    expected = torch.result_type(make(torch, a, dims_a), make(torch, b, dims_b))
    assert dtype_name(got) == dtype_name(expected)


SCALARS = [0, 5, -3, 2.5, -0.0, True, False]


@pytest.mark.parametrize("name", ALL_DTYPES)
@pytest.mark.parametrize("scalar", SCALARS, ids=[repr(s) for s in SCALARS])
@pytest.mark.parametrize("nd", [0, 1, 2])
def test_result_type_with_python_scalar_matches_torch(name: str, scalar: Any, nd: int) -> None:
    c = core.ones((3,) * nd, dtype=core_dtype(name))
    t = torch.ones((3,) * nd, dtype=torch_dtype(name))
    assert dtype_name(core.result_type(c, scalar)) == dtype_name(torch.result_type(t, scalar))
    assert dtype_name(core.result_type(scalar, c)) == dtype_name(torch.result_type(scalar, t))


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (lambda m: m.ones(2, dtype=m.int32) + 5.0, "float32"),
        (lambda m: m.ones(2, dtype=m.int8) + m.tensor(7, dtype=m.int64), "int8"),
        (lambda m: m.ones(2, dtype=m.uint8) + m.ones(2, dtype=m.int8), "int16"),
        (lambda m: m.ones(2, dtype=m.bool) + m.ones(2, dtype=m.bool), "bool"),
        (lambda m: m.ones(2, dtype=m.float16) + m.tensor(1.0, dtype=m.float64), "float16"),
        (lambda m: m.ones(2, dtype=m.int64) + m.tensor(1.0, dtype=m.float64), "float64"),
        (lambda m: m.ones(2, dtype=m.bool) + 1, "int64"),
        (lambda m: m.ones(2, dtype=m.bool) * 1.5, "float32"),
        (lambda m: m.ones(2, dtype=m.uint8) * True, "uint8"),
        (lambda m: m.tensor(1, dtype=m.int16) + m.tensor(1, dtype=m.int32), "int32"),
        (lambda m: m.ones(2, dtype=m.int32) / m.ones(2, dtype=m.int32), "float32"),
        (lambda m: m.ones(2, dtype=m.float64) * m.ones(2, dtype=m.float16), "float64"),
    ],
)
def test_named_promotion_examples(build: Any, expected: str) -> None:
    # The expected names are torch's; checking torch here keeps the table honest.
    assert dtype_name(build(torch).dtype) == expected
    assert dtype_name(build(core).dtype) == expected


# --------------------------------------------------------------------------- defaults


@pytest.mark.parametrize(
    "data",
    [
        1.0,
        1,
        True,
        [1, 2],
        [1.0, 2],
        [True, False],
        [1, 2.0, True],
        [True, 1],
        [[1, 2], [3.5, True]],
        [False, 2.0],
        [[True], [False]],
        [],
        [[]],
        0.1,
        -7,
    ],
    ids=repr,
)
def test_tensor_default_dtype_matches_torch(data: Any) -> None:
    c, t = core.tensor(data), torch.tensor(data)
    assert dtype_name(c.dtype) == dtype_name(t.dtype)
    assert tuple(c.shape) == tuple(t.shape)


_ELEMENT = st.one_of(
    st.booleans(),
    st.integers(-1000, 1000),
    st.floats(-1e4, 1e4, allow_nan=False, allow_infinity=False),
)


@given(
    shape=st.lists(st.integers(1, 3), min_size=0, max_size=3).map(tuple),
    kinds=st.lists(st.sampled_from(["bool", "int", "float"]), min_size=1, max_size=3, unique=True),
    seed=st.integers(0, 2**32 - 1),
)
def test_nested_list_dtype_inference_matches_torch(
    shape: tuple[int, ...], kinds: list[str], seed: int
) -> None:
    rng = np.random.default_rng(seed)
    n = int(np.prod(shape, dtype=np.int64))
    which = rng.integers(0, len(kinds), n)
    flat: list[Any] = []
    for k in which:
        kind = kinds[k]
        if kind == "bool":
            flat.append(bool(rng.integers(0, 2)))
        elif kind == "int":
            flat.append(int(rng.integers(-1000, 1001)))
        else:
            flat.append(float(rng.uniform(-1e4, 1e4)))
    data: Any = np.array(flat, dtype=object).reshape(shape).tolist() if shape else flat[0]
    c, t = core.tensor(data), torch.tensor(data)
    assert dtype_name(c.dtype) == dtype_name(t.dtype)
    assert tuple(c.shape) == tuple(t.shape)
    np.testing.assert_array_equal(c.numpy(), t.numpy())


@pytest.mark.parametrize(
    ("build", "name"),
    [
        (lambda m: m.arange(5), "arange int"),
        (lambda m: m.arange(5.0), "arange float"),
        (lambda m: m.arange(0, 5, 0.5), "arange float step"),
        (lambda m: m.full((2,), 1), "full int"),
        (lambda m: m.full((2,), 1.5), "full float"),
        (lambda m: m.full((2,), True), "full bool"),
        (lambda m: m.zeros(2), "zeros"),
        (lambda m: m.ones(2), "ones"),
        (lambda m: m.empty(2), "empty"),
        (lambda m: m.eye(2), "eye"),
        (lambda m: m.linspace(0, 1, 3), "linspace"),
        (lambda m: m.rand(2), "rand"),
        (lambda m: m.randn(2), "randn"),
        (lambda m: m.randint(5, (2,)), "randint"),
        (lambda m: m.randint(1, 5, (2,)), "randint low high"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_factory_default_dtype_matches_torch(build: Any, name: str) -> None:
    assert dtype_name(build(core).dtype) == dtype_name(build(torch).dtype), name
