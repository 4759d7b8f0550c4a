"""Factories: tensor, arange, zeros/ones/full/empty, empty_strided, *_like, eye,
linspace, rand/randn/randint, from_numpy; compared with torch (random ones by
their contract: torch's RNG is not reproduced)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import core
from tests.core.assertions import assert_same_tensor
from tests.core.dtypes_and_shapes import core_dtype, dtype_name, torch_dtype
from tests.core.math_strategies import (
    ALL_DTYPES,
    FLOAT_DTYPES,
    assert_close,
    check_both,
    close,
    examples,
)
from tests.core.tensor_pairs import tensor_pairs

# --------------------------------------------------------------------------- tensor()


_ELEMENTS = {
    "bool": st.booleans(),
    "int": st.integers(-100, 100),
    "float": st.floats(-100, 100, allow_nan=False, width=32),
}


@st.composite
def nested_lists(draw: st.DrawFn) -> Any:
    shape = draw(st.lists(st.integers(0, 3), min_size=0, max_size=3))
    kinds = draw(st.lists(st.sampled_from(sorted(_ELEMENTS)), min_size=1, max_size=3, unique=True))
    element = st.one_of(*(_ELEMENTS[k] for k in kinds))

    def build(dims: list[int]) -> Any:
        if not dims:
            return draw(element)
        return [build(dims[1:]) for _ in range(dims[0])]

    return build(shape)


@given(data=nested_lists())
def test_tensor_from_nested_lists_matches_torch(data: Any) -> None:
    c, t = core.tensor(data), torch.tensor(data)
    assert_same_tensor(c, t)


@given(data=nested_lists(), name=st.sampled_from(ALL_DTYPES))
def test_tensor_with_dtype_matches_torch(data: Any, name: str) -> None:
    # Out-of-range values (e.g. -3 as uint8) raise in torch; core must raise the same class.
    check_both(
        lambda m, dt: m.tensor(data, dtype=dt),
        [core_dtype(name)],
        [torch_dtype(name)],
        close(layout=True),
    )


@given(
    name=st.sampled_from(ALL_DTYPES),
    shape=st.lists(st.integers(1, 4), max_size=4).map(tuple),
    seed=st.integers(0, 2**32 - 1),
    transpose=st.booleans(),
)
def test_tensor_from_numpy_array_copies_and_keeps_dtype(
    name: str, shape: tuple[int, ...], seed: int, transpose: bool
) -> None:
    rng = np.random.default_rng(seed)
    arr = (rng.uniform(-50, 50, shape) if shape else np.array(rng.uniform(-50, 50))).astype(name)
    if transpose:
        arr = arr.T  # a non-contiguous source; tensor() still builds a contiguous copy
    c, t = core.tensor(arr), torch.tensor(arr)
    assert_same_tensor(c, t)
    before = t.clone()
    arr[...] = 0 if name == "bool" else 1  # tensor() copies: later writes to arr are not seen
    np.testing.assert_array_equal(c.numpy(), before.numpy())


@pytest.mark.parametrize("shape", [(0,), (0, 3), (3, 0), (2, 0, 3)])
def test_tensor_from_zero_size_numpy_array_matches_torch(shape: tuple[int, ...]) -> None:
    """torch.tensor(ndarray) keeps NumPy's strides for zero-size arrays (NumPy gives 0s)."""
    for arr in (np.zeros(shape, np.float32), np.zeros(shape[::-1], np.int64).T):
        assert_same_tensor(core.tensor(arr), torch.tensor(arr))


@pytest.mark.parametrize("value", [0, 7, -2, 1.5, True, False])
def test_tensor_from_python_scalar_is_0d(value: Any) -> None:
    assert_same_tensor(core.tensor(value), torch.tensor(value))


def test_tensor_from_ragged_list_raises_value_error() -> None:
    check_both(lambda m: m.tensor([[1, 2], [3]]), [], [])


# --------------------------------------------------------------------------- sizes


SIZE_FORMS = [
    ("ints", lambda m, s: s),
    ("tuple", lambda m, s: (tuple(s),)),
    ("list", lambda m, s: (list(s),)),
    ("Size", lambda m, s: (m.Size(s),)),
]


@pytest.mark.parametrize("factory", ["zeros", "ones", "empty", "rand", "randn"])
@pytest.mark.parametrize("form", [f for _, f in SIZE_FORMS], ids=[n for n, _ in SIZE_FORMS])
@pytest.mark.parametrize("shape", [(2, 3), (4,), (0, 2), (1, 1, 3)])
def test_size_forms_are_equivalent(factory: str, form: Any, shape: tuple[int, ...]) -> None:
    c = getattr(core, factory)(*form(core, shape))
    t = getattr(torch, factory)(*form(torch, shape))
    assert isinstance(c.shape, core.Size)
    assert tuple(c.shape) == tuple(t.shape)
    assert c.stride() == t.stride()
    assert dtype_name(c.dtype) == dtype_name(t.dtype)


@pytest.mark.parametrize("factory", ["zeros", "ones", "empty", "rand", "randn"])
def test_empty_size_gives_0d(factory: str) -> None:
    c = getattr(core, factory)(())
    t = getattr(torch, factory)(())
    assert c.shape == () and c.dim() == 0 and c.numel() == 1
    assert tuple(c.shape) == tuple(t.shape)


NEGATIVE_SIZE = [
    lambda m: m.zeros(-1),
    lambda m: m.ones(2, -1),
    lambda m: m.empty((-2,)),
    lambda m: m.full((-1,), 1),
    lambda m: m.rand(-1),
    lambda m: m.randn(3, -3),
    lambda m: m.randint(5, (-1,)),
    lambda m: m.eye(-1),
    lambda m: m.eye(2, -1),
    lambda m: m.empty_strided((2, -1), (1, 1)),
    lambda m: m.linspace(0, 1, -1),
]


@pytest.mark.parametrize("build", NEGATIVE_SIZE, ids=range(len(NEGATIVE_SIZE)))
def test_negative_size_raises_like_torch(build: Any) -> None:
    with pytest.raises(RuntimeError):
        build(torch)
    with pytest.raises(RuntimeError) as info:
        build(core)
    assert str(info.value)


# ------------------------------------------------------------------ zeros, ones, full, empty


shapes_small = st.lists(st.integers(0, 4), max_size=4).map(tuple)


@given(shape=shapes_small, name=st.sampled_from(ALL_DTYPES))
def test_zeros_ones_match_torch(shape: tuple[int, ...], name: str) -> None:
    for factory in ("zeros", "ones"):
        c = getattr(core, factory)(shape, dtype=core_dtype(name))
        t = getattr(torch, factory)(shape, dtype=torch_dtype(name))
        assert_same_tensor(c, t)


FILL_VALUES = [1, -3, 0, 1.5, -0.25, True, False]


@pytest.mark.parametrize("value", FILL_VALUES, ids=repr)
def test_full_infers_dtype_from_fill_value(value: Any) -> None:
    assert_same_tensor(core.full((2, 3), value), torch.full((2, 3), value))


@given(shape=shapes_small, name=st.sampled_from(ALL_DTYPES), value=st.sampled_from(FILL_VALUES))
def test_full_with_dtype_matches_torch(shape: tuple[int, ...], name: str, value: Any) -> None:
    check_both(
        lambda m, dt: m.full(shape, value, dtype=dt),
        [core_dtype(name)],
        [torch_dtype(name)],
        close(layout=True),
    )


@given(shape=shapes_small, name=st.sampled_from(ALL_DTYPES))
def test_empty_has_shape_dtype_and_contiguous_strides(shape: tuple[int, ...], name: str) -> None:
    c = core.empty(shape, dtype=core_dtype(name))
    t = torch.empty(shape, dtype=torch_dtype(name))
    assert_same_tensor(c, t, check_values=False)
    assert c.untyped_storage().nbytes() == t.untyped_storage().nbytes()


@st.composite
def sizes_and_strides(draw: st.DrawFn) -> tuple[tuple[int, ...], tuple[int, ...]]:
    nd = draw(st.integers(0, 4))
    sizes = tuple(draw(st.integers(0, 4)) for _ in range(nd))
    strides = tuple(draw(st.integers(0, 6)) for _ in range(nd))
    return sizes, strides


@given(ss=sizes_and_strides(), name=st.sampled_from(ALL_DTYPES))
def test_empty_strided_matches_torch(
    ss: tuple[tuple[int, ...], tuple[int, ...]], name: str
) -> None:
    sizes, strides = ss
    c = core.empty_strided(sizes, strides, dtype=core_dtype(name))
    t = torch.empty_strided(sizes, strides, dtype=torch_dtype(name))
    assert_same_tensor(c, t, check_values=False)
    # Storage is exactly big enough for the furthest element (torch's computeStorageNbytes).
    assert c.untyped_storage().nbytes() == t.untyped_storage().nbytes()
    assert c.untyped_storage().size() == t.untyped_storage().size()


def test_empty_strided_with_mismatched_lengths_raises() -> None:
    check_both(lambda m: m.empty_strided((2, 3), (1,)), [], [])


# --------------------------------------------------------------------------- *_like


LIKE = [
    ("zeros_like", lambda m, x, **kw: m.zeros_like(x, **kw)),
    ("ones_like", lambda m, x, **kw: m.ones_like(x, **kw)),
    ("full_like", lambda m, x, **kw: m.full_like(x, 2.5, **kw)),
    ("full_like_int", lambda m, x, **kw: m.full_like(x, 3, **kw)),
    ("empty_like", lambda m, x, **kw: m.empty_like(x, **kw)),
]


@pytest.mark.parametrize("fn", [f for _, f in LIKE], ids=[n for n, _ in LIKE])
@given(pair=tensor_pairs(dtypes=ALL_DTYPES), override=st.none() | st.sampled_from(ALL_DTYPES))
def test_like_factories_preserve_layout_like_torch(
    fn: Any, pair: Any, override: str | None
) -> None:
    """preserve_format: dense non-overlapping inputs keep their strides; others get
    dense strides in the same dim order (torch's infer_dense_strides)."""
    c, t = pair
    ckw = {} if override is None else {"dtype": core_dtype(override)}
    tkw = {} if override is None else {"dtype": torch_dtype(override)}
    cr, tr = fn(core, c, **ckw), fn(torch, t, **tkw)
    assert_same_tensor(cr, tr, check_values=False)
    assert cr.storage_offset() == 0
    assert cr.untyped_storage().data_ptr() != c.untyped_storage().data_ptr() or c.numel() == 0
    if fn is not LIKE[-1][1]:
        assert_same_tensor(cr, tr, check_layout=False)


@pytest.mark.parametrize("fn", [f for _, f in LIKE], ids=[n for n, _ in LIKE])
@given(pair=tensor_pairs(dtypes=("float32",)).filter(lambda p: p.t.numel() == 0))
@examples(0.3)
def test_like_factories_of_zero_size_tensors_keep_torch_strides(fn: Any, pair: Any) -> None:
    """A zero-size tensor counts as dense, so torch keeps its strides (even zeros)."""
    assert_same_tensor(fn(core, pair.c), fn(torch, pair.t), check_values=False)


# --------------------------------------------------------------------------- arange


@st.composite
def arange_args(draw: st.DrawFn) -> tuple[Any, ...]:
    """1, 2 or 3 positional args, each an int or a float (1/4 steps), valid for torch."""
    num = st.integers(-20, 20) | st.integers(-80, 80).map(lambda k: k / 4)
    n_args = draw(st.integers(1, 3))
    if n_args == 1:
        end = draw(num.filter(lambda v: v >= 0))
        return (end,)
    start, end = draw(num), draw(num)
    if n_args == 2:
        if end < start:
            start, end = end, start
        return (start, end)
    step = draw(
        (st.integers(1, 5) | st.integers(1, 20).map(lambda k: k / 4)).map(
            lambda s: s if end >= start else -s
        )
    )
    return (start, end, step)


@given(args=arange_args())
def test_arange_matches_torch(args: tuple[Any, ...]) -> None:
    c, t = core.arange(*args), torch.arange(*args)
    assert dtype_name(c.dtype) == dtype_name(t.dtype)
    # Size is ceil((end - start) / step), evaluated in double (as torch does).
    start, end, step = (0, args[0], 1) if len(args) == 1 else (*args, 1)[:3]
    assert c.numel() == max(0, math.ceil((end - start) / step))
    assert tuple(c.shape) == tuple(t.shape)
    assert_close(c, t, layout=True)


@given(args=arange_args(), name=st.sampled_from(("int64", "int32", "float32", "float64", "int16")))
def test_arange_with_dtype_matches_torch(args: tuple[Any, ...], name: str) -> None:
    if name.startswith("int"):
        # Float endpoints with an integer dtype are a torch oddity (casts before sizing); skip.
        args = tuple(int(a) for a in args) if all(float(a).is_integer() for a in args) else args
        if any(isinstance(a, float) for a in args):
            return
    check_both(
        lambda m, dt: m.arange(*args, dtype=dt),
        [core_dtype(name)],
        [torch_dtype(name)],
        close(layout=True),
    )


@pytest.mark.parametrize(
    "args",
    [
        (5, 0, -1),
        (0, 1, 0.3),
        (1, 2.5, 0.5),
        (0.5, 3),
        (-3.5, 2, 1.5),
        (10, -10, -3),
        (5, 5),
        (0, 1, 1 / 3),
        (0.0, 1.0, 0.1),
    ],
    ids=repr,
)
def test_arange_named_cases(args: tuple[Any, ...]) -> None:
    assert_close(core.arange(*args), torch.arange(*args), layout=True)


@pytest.mark.parametrize("args", [(0, 5, 0), (5, 0), (0, 5, -1), (-3,)], ids=repr)
def test_arange_invalid_step_raises_runtime_error(args: tuple[Any, ...]) -> None:
    with pytest.raises(RuntimeError):
        torch.arange(*args)
    with pytest.raises(RuntimeError) as info:
        core.arange(*args)
    assert str(info.value)


def test_arange_keyword_forms() -> None:
    assert_close(core.arange(start=1, end=7, step=2), torch.arange(start=1, end=7, step=2))
    assert_close(core.arange(end=4), torch.arange(end=4))


# --------------------------------------------------------------------------- eye, linspace


@given(n=st.integers(0, 5), m=st.none() | st.integers(0, 5), name=st.sampled_from(ALL_DTYPES))
def test_eye_matches_torch(n: int, m: int | None, name: str) -> None:
    args = (n,) if m is None else (n, m)
    assert_same_tensor(
        core.eye(*args, dtype=core_dtype(name)), torch.eye(*args, dtype=torch_dtype(name))
    )
    if name == "float32":
        assert_same_tensor(core.eye(*args), torch.eye(*args))


@given(
    start=st.integers(-40, 40).map(lambda k: k / 4),
    end=st.integers(-40, 40).map(lambda k: k / 4),
    steps=st.integers(0, 12),
    name=st.none() | st.sampled_from(FLOAT_DTYPES),
)
def test_linspace_matches_torch(start: float, end: float, steps: int, name: str | None) -> None:
    ckw = {} if name is None else {"dtype": core_dtype(name)}
    tkw = {} if name is None else {"dtype": torch_dtype(name)}
    c, t = core.linspace(start, end, steps, **ckw), torch.linspace(start, end, steps, **tkw)
    scale = max(1.0, abs(start), abs(end))
    eps = {"float16": 1e-3, "float32": 1e-6, "float64": 1e-12}[dtype_name(t.dtype)]
    assert_close(c, t, layout=True, rtol=4 * eps, atol=4 * eps * scale)
    if steps >= 1:
        assert float(c[0]) == pytest.approx(float(t[0]), abs=eps * scale)
        assert float(c[-1]) == pytest.approx(float(t[-1]), abs=eps * scale)


@given(
    start=st.integers(-20, 20),
    end=st.integers(-20, 20),
    steps=st.integers(0, 9),
    name=st.sampled_from(("int64", "int32", "int16")),
)
def test_linspace_integer_dtype_matches_torch_exactly(
    start: int, end: int, steps: int, name: str
) -> None:
    assert_same_tensor(
        core.linspace(start, end, steps, dtype=core_dtype(name)),
        torch.linspace(start, end, steps, dtype=torch_dtype(name)),
    )


# --------------------------------------------------------------------------- random


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("rand", lambda m, **kw: m.rand(3, 4, **kw)),
        ("randn", lambda m, **kw: m.randn(3, 4, **kw)),
        ("randint", lambda m, **kw: m.randint(-5, 9, (3, 4), **kw)),
    ],
)
def test_manual_seed_makes_random_factories_repeatable(name: str, build: Any) -> None:
    core.manual_seed(1234)
    a = build(core)
    core.manual_seed(1234)
    b = build(core)
    core.manual_seed(4321)
    c = build(core)
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert not np.array_equal(a.numpy(), c.numpy()), f"{name}: different seeds gave equal draws"
    d = build(core)  # the global stream advances
    assert not np.array_equal(c.numpy(), d.numpy())


@pytest.mark.parametrize(
    "build",
    [
        lambda m, g: m.rand(5, generator=g),
        lambda m, g: m.randn((2, 3), generator=g),
        lambda m, g: m.randint(0, 100, (6,), generator=g),
    ],
    ids=["rand", "randn", "randint"],
)
def test_generator_objects_are_independent_streams(build: Any) -> None:
    g1 = core.Generator()
    assert g1.manual_seed(7) is g1  # manual_seed returns the generator, as torch's does
    g2 = core.Generator().manual_seed(7)
    a, b = build(core, g1), build(core, g2)
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    core.manual_seed(0)  # the global seed does not disturb a private generator
    a2 = build(core, g1)
    core.manual_seed(99)
    b2 = build(core, g2)
    np.testing.assert_array_equal(a2.numpy(), b2.numpy())
    assert not np.array_equal(a.numpy(), a2.numpy())


@given(shape=shapes_small, name=st.sampled_from(FLOAT_DTYPES))
@settings(max_examples=25)
def test_rand_shape_dtype_and_range(shape: tuple[int, ...], name: str) -> None:
    c = core.rand(shape, dtype=core_dtype(name))
    t = torch.rand(shape, dtype=torch_dtype(name))
    assert_same_tensor(c, t, check_values=False)
    v = c.numpy()
    assert np.all(v >= 0) and np.all(v < 1)


@given(shape=shapes_small, name=st.sampled_from(FLOAT_DTYPES))
@settings(max_examples=25)
def test_randn_shape_and_dtype(shape: tuple[int, ...], name: str) -> None:
    c = core.randn(shape, dtype=core_dtype(name))
    t = torch.randn(shape, dtype=torch_dtype(name))
    assert_same_tensor(c, t, check_values=False)
    assert np.all(np.isfinite(c.numpy()))


def test_random_distributions_have_the_right_moments() -> None:
    core.manual_seed(0)
    u = core.rand(20000).numpy().astype(np.float64)
    n = core.randn(20000).numpy().astype(np.float64)
    r = core.randint(3, 7, (20000,)).numpy()
    assert abs(u.mean() - 0.5) < 0.02 and abs(u.var() - 1 / 12) < 0.01
    assert abs(n.mean()) < 0.05 and abs(n.std() - 1) < 0.05
    assert set(np.unique(r).tolist()) == {3, 4, 5, 6}


@given(
    low=st.integers(-10, 10),
    span=st.integers(1, 10),
    shape=shapes_small,
    name=st.none() | st.sampled_from(("int64", "int32", "int16", "float32", "float64")),
)
@settings(max_examples=30)
def test_randint_range_shape_dtype(
    low: int, span: int, shape: tuple[int, ...], name: str | None
) -> None:
    ckw = {} if name is None else {"dtype": core_dtype(name)}
    tkw = {} if name is None else {"dtype": torch_dtype(name)}
    c = core.randint(low, low + span, shape, **ckw)
    t = torch.randint(low, low + span, shape, **tkw)
    assert_same_tensor(c, t, check_values=False)
    v = c.numpy()
    assert np.all(v >= low) and np.all(v < low + span)
    assert np.array_equal(v, np.floor(v))
    if low >= 0:
        c1 = core.randint(low + span, shape)
        assert dtype_name(c1.dtype) == "int64"
        assert np.all(c1.numpy() >= 0) and np.all(c1.numpy() < low + span)


@pytest.mark.parametrize(
    "build",
    [
        lambda m: m.randint(5, 5, (2,)),
        lambda m: m.randint(0, (2,)),
        lambda m: m.rand(2, dtype=m.int64),
        lambda m: m.randn(2, dtype=m.int64),
    ],
    ids=["empty range", "high 0", "rand int", "randn int"],
)
def test_random_factory_misuse_raises_like_torch(build: Any) -> None:
    check_both(build, [], [])


# --------------------------------------------------------------------------- from_numpy


NUMPY_DTYPES = ("bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64")


@st.composite
def numpy_views(draw: st.DrawFn) -> np.ndarray:
    """A numpy array with positive byte strides: sliced with steps, transposed, 0-d."""
    name = draw(st.sampled_from(NUMPY_DTYPES))
    shape = tuple(draw(st.lists(st.integers(0, 5), max_size=4)))
    base = (np.arange(math.prod(shape)) % 7 - 3).astype(name).reshape(shape)
    key = tuple(slice(draw(st.integers(0, 1)), None, draw(st.integers(1, 3))) for _ in shape)
    arr = base[key] if shape and draw(st.booleans()) else base
    if arr.ndim >= 2 and draw(st.booleans()):
        arr = arr.transpose(draw(st.permutations(range(arr.ndim))))
    return arr


@given(arr=numpy_views())
def test_from_numpy_converts_byte_strides_and_shares_memory(arr: np.ndarray) -> None:
    c, t = core.from_numpy(arr), torch.from_numpy(arr)
    assert_same_tensor(c, t)
    assert tuple(c.stride()) == tuple(s // arr.itemsize for s in arr.strides) or arr.size <= 1
    if arr.size:
        # Sharing: a write on the numpy side shows in the tensor, and back.
        idx = (0,) * arr.ndim
        arr[idx] = 0 if arr[idx] else 1
        assert c.numpy()[idx] == arr[idx]
        assert c.tolist() == arr.tolist()


def test_from_numpy_writes_through_both_ways() -> None:
    arr = np.zeros((3, 4), dtype=np.float32)
    c = core.from_numpy(arr)
    c.add_(2)
    np.testing.assert_array_equal(arr, np.full((3, 4), 2, np.float32))
    arr[1, 2] = 7
    assert c[1, 2].item() == 7
    assert c.untyped_storage().nbytes() == arr.nbytes


@pytest.mark.parametrize(
    "make",
    [
        lambda: np.arange(5)[::-1],
        lambda: np.zeros((3, 4))[:, ::-1],
        lambda: np.zeros((1, 4))[::-1],
    ],
    ids=["1d reversed", "2d reversed cols", "size-1 reversed"],
)
def test_from_numpy_negative_strides_raise_value_error(make: Any) -> None:
    with pytest.raises(ValueError):
        torch.from_numpy(make())
    with pytest.raises(ValueError) as info:
        core.from_numpy(make())
    assert "stride" in str(info.value).lower()


@pytest.mark.parametrize(
    "make",
    [
        lambda: np.array([1, "a"], dtype=object),
        lambda: np.array(["a", "b"]),
        lambda: np.zeros(2, dtype="datetime64[s]"),
    ],
    ids=["object", "str", "datetime64"],
)
def test_from_numpy_unsupported_dtype_raises_type_error(make: Any) -> None:
    with pytest.raises(TypeError):
        torch.from_numpy(make())
    with pytest.raises(TypeError) as info:
        core.from_numpy(make())
    assert str(info.value)


def test_from_numpy_rejects_non_arrays_and_misaligned_strides() -> None:
    check_both(lambda m: m.from_numpy([1, 2]), [], [])
    misaligned = np.lib.stride_tricks.as_strided(np.zeros(10, np.int16), shape=(3,), strides=(3,))
    check_both(lambda m: m.from_numpy(misaligned), [], [])
