"""In-place writes against torch: add_/sub_/mul_/div_/fill_/zero_/copy_/clamp_ and
__setitem__, through views (the whole base is compared after every write, so a write
must land in the shared storage and nowhere else), dtype rules, overlap errors and
the version counter."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import core
from tests.core.assertions import assert_same_error
from tests.core.dtypes_and_shapes import broadcastable_shapes, core_dtype, torch_dtype
from tests.core.math_strategies import (
    ALL_DTYPES,
    assert_close,
    check_both,
    examples,
    python_scalars,
    quiet,
    writable_views,
)
from tests.core.tensor_pairs import make_base_pair, tensor_pairs_of_shape

Write = Callable[[Any, Any, Any], Any]  # (module, target view, operand) -> result


def _observers(base: Any) -> list[tuple[Any, Any]]:
    """Other views of the base, made before any write: they must all see every write."""
    pairs = [(base.c.flatten(), base.t.flatten())]
    if base.t.dim() >= 2:
        pairs.append((base.c.mT, base.t.mT))
    return pairs


def _assert_same_storage(
    base: Any, view: Any, observers: list[tuple[Any, Any]], context: str = ""
) -> None:
    """Base, view and observer contents and the version counters agree with torch's."""
    assert_close(base.c, base.t, context=f"base {context}")
    assert_close(view.c, view.t, context=f"view {context}")
    for i, (c, t) in enumerate(observers):
        assert_close(c, t, context=f"observer view {i} {context}")
    assert view.c.untyped_storage().data_ptr() == base.c.untyped_storage().data_ptr(), (
        f"the view no longer shares the base's storage {context}"
    )
    assert base.c._version == base.t._version, (
        f"base _version {base.c._version} != torch {base.t._version} {context}"
    )
    assert view.c._version == view.t._version, (
        f"view _version {view.c._version} != torch {view.t._version} {context}"
    )


@st.composite
def operands(draw: st.DrawFn, target_shape: tuple[int, ...]) -> tuple[Any, Any]:
    """A Python scalar, or a tensor pair broadcastable to `target_shape` (any dtype)."""
    if draw(st.booleans()):
        s = draw(python_scalars())
        return s, s
    nd = draw(st.integers(0, len(target_shape)))
    shape = tuple(
        1 if draw(st.integers(0, 3)) == 0 else size
        for size in target_shape[len(target_shape) - nd :]
    )
    pair = draw(tensor_pairs_of_shape(shape, ALL_DTYPES))
    return pair.c, pair.t


WRITES: dict[str, Write] = {
    "add_": lambda m, x, y: x.add_(y),
    "add_ alpha": lambda m, x, y: x.add_(y, alpha=2),
    "sub_": lambda m, x, y: x.sub_(y),
    "sub_ alpha": lambda m, x, y: x.sub_(y, alpha=-3),
    "mul_": lambda m, x, y: x.mul_(y),
    "div_": lambda m, x, y: x.div_(y),
    "copy_": lambda m, x, y: x.copy_(y) if isinstance(y, m.Tensor) else x.copy_(m.tensor(y)),
    "fill_": lambda m, x, y: x.fill_(y if not isinstance(y, m.Tensor) or y.dim() == 0 else y.sum()),
    "zero_": lambda m, x, y: x.zero_(),
    "clamp_ min": lambda m, x, y: x.clamp_(min=-2),
    "clamp_ both": lambda m, x, y: x.clamp_(-3.5, 4),
}


@given(data=st.data())
@examples(2.0)
def test_writes_through_views_land_in_the_shared_storage(data: st.DataObject) -> None:
    base, view = data.draw(writable_views(), label="base, view")
    observers = _observers(base)
    for i in range(data.draw(st.integers(1, 4), label="n writes")):
        name = data.draw(st.sampled_from(sorted(WRITES)), label=f"write {i}")
        c_arg, t_arg = data.draw(operands(tuple(view.t.shape)), label=f"operand {i}")
        fn = WRITES[name]
        # dtype errors ("result type Float can't be cast to ... Long") must match torch's class;
        # a failed write must leave the storage untouched in both.
        result = assert_same_error(
            lambda fn=fn, a=c_arg: fn(core, view.c, a),
            quiet(lambda fn=fn, a=t_arg: fn(torch, view.t, a)),
            compare=None,
        )
        if result is not None:
            assert result[0] is view.c, f"{name} must return the tensor it wrote to"
        _assert_same_storage(base, view, observers, f"after {name}")


@given(data=st.data())
@examples(2.0)
def test_setitem_through_views(data: st.DataObject) -> None:
    base, view = data.draw(writable_views(), label="base, view")
    observers = _observers(base)
    shape = tuple(view.t.shape)
    nd = len(shape)
    kinds = ["ellipsis"]
    if nd >= 1 and shape[0] > 0:
        kinds += ["int", "int list"]
    if nd >= 1:
        kinds += ["slice", "mask"]
    if nd >= 2 and shape[1] > 0:
        kinds += ["slice, int"]
    kind = data.draw(st.sampled_from(kinds), label="key kind")
    if kind == "ellipsis":
        ck = tk = Ellipsis
    elif kind == "int":
        ck = tk = data.draw(st.integers(-shape[0], shape[0] - 1), label="i")
    elif kind == "slice":
        s = slice(
            data.draw(st.none() | st.integers(-4, 4)),
            data.draw(st.none() | st.integers(-4, 4)),
            data.draw(st.sampled_from([None, 1, 2, 3])),
        )
        ck = tk = s
    elif kind == "slice, int":
        j = data.draw(st.integers(-shape[1], shape[1] - 1), label="j")
        ck = tk = (slice(None, None, 2), j)
    elif kind == "int list":
        idx = data.draw(
            st.lists(st.integers(0, shape[0] - 1), min_size=1, max_size=shape[0], unique=True)
        )
        as_tensor = data.draw(st.booleans(), label="index as tensor")
        ck = core.tensor(idx) if as_tensor else idx
        tk = torch.tensor(idx) if as_tensor else idx
    else:
        mask = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1))).random(shape) < 0.5
        ck, tk = core.from_numpy(mask.copy()), torch.from_numpy(mask.copy())
    target_shape = tuple(view.t[tk].shape)
    c_val, t_val = data.draw(operands(target_shape), label="value")
    if not isinstance(t_val, torch.Tensor) and data.draw(st.booleans(), label="0-d value"):
        name = data.draw(st.sampled_from(ALL_DTYPES), label="0-d dtype")
        try:  # e.g. -0.125 as uint8 raises in torch: then keep the Python scalar
            t_val = torch.tensor(t_val, dtype=torch_dtype(name))
        except RuntimeError:
            pass
        else:
            c_val = core.tensor(c_val, dtype=core_dtype(name))

    def write_core() -> None:
        view.c[ck] = c_val

    def write_torch() -> None:
        view.t[tk] = t_val

    assert_same_error(write_core, quiet(write_torch), compare=None)
    _assert_same_storage(base, view, observers, f"after view[{kind}] = value")


@pytest.mark.parametrize("name", ["float32", "int64", "bool", "uint8", "float16"])
def test_setitem_values_are_cast_to_the_target_dtype(name: str) -> None:
    """Assigning floats to ints truncates toward zero, like torch's copy_ (and a
    Python scalar that does not fit, e.g. -2.75 into uint8, raises)."""
    for value in (2.75, -2.75, True, 7, [1.9, -1.9, 0.5]):

        def write(m: Any, value: Any = value) -> Any:
            x = m.zeros(3, dtype=getattr(m, name))
            if isinstance(value, list):
                x[:] = m.tensor(value)
            else:
                x[1] = value
            return x

        check_both(write, [], [])


def test_setitem_broadcasts_and_rejects_bad_shapes() -> None:
    for key, value in (
        ((slice(None), 1), lambda m: m.tensor([7.0])),
        (0, lambda m: m.tensor([[1.0, 2.0, 3.0]])),
        (slice(0, 2), lambda m: m.tensor([5.0, 6.0, 7.0])),
        (slice(1, 3), lambda m: m.ones(2, 1)),
        (0, lambda m: m.ones(2)),
        (slice(None), lambda m: m.ones(2, 3, 1)),
        # a bool mask with a one-element value behaves like masked_fill: dtypes may differ
        (lambda m: m.tensor([[True, False, True], [False, False, True]]), lambda m: m.tensor([7])),
        (lambda m: m.tensor([[True, False, True], [False, False, True]]), lambda m: m.tensor(True)),
        (
            lambda m: m.tensor([[True, False, True], [False, False, True]]),
            lambda m: m.ones(3, dtype=m.int64),
        ),
        ((slice(None), [0, 2]), lambda m: m.tensor(5)),
    ):

        def write(m: Any, key: Any = key, value: Any = value) -> Any:
            x = m.zeros(2, 3)
            x[key(m) if callable(key) else key] = value(m)
            return x

        check_both(write, [], [])


# --------------------------------------------------------------------------- dtype rules


@pytest.mark.parametrize("target", ALL_DTYPES)
@pytest.mark.parametrize("other", ALL_DTYPES + ("py int", "py float", "py bool"))
@pytest.mark.parametrize("op", ["add_", "sub_", "mul_", "div_"])
def test_inplace_result_type_must_fit_the_target(target: str, other: str, op: str) -> None:
    """``int_tensor.add_(1.5)`` raises "result type Float can't be cast to ... Long"."""

    def run(m: Any) -> Any:
        x = m.tensor([4, 2, 6], dtype=getattr(m, target))
        if other.startswith("py"):
            y: Any = {"py int": 2, "py float": 1.5, "py bool": True}[other]
        else:
            y = m.tensor([1, 2, 1], dtype=getattr(m, other))
        return getattr(x, op)(y)

    check_both(run, [], [])


@pytest.mark.parametrize(
    "build",
    [
        lambda m: m.tensor([1, 2, 3]).add_(m.tensor([1, 1, 1]), alpha=2.5),
        lambda m: m.tensor([1.0, 2.0]).add_(m.tensor([1, 1]), alpha=2.5),
        lambda m: m.tensor([1, 2, 3]).sub_(2, alpha=3),
        lambda m: m.tensor([1, 2, 3]).add_(m.ones(2, 3)),
        lambda m: m.tensor([1, 2, 3]).fill_(2.7),
        lambda m: m.tensor([1, 2, 3]).fill_(m.tensor(2.7)),
        lambda m: m.tensor([1, 2, 3]).fill_(m.tensor([2.7])),
        lambda m: m.tensor([1, 2, 3]).copy_(m.tensor([2.7])),
        lambda m: m.tensor([1, 2, 3]).copy_(m.tensor([2.7, 1.0])),
        lambda m: m.tensor([1, 2, 3]).copy_(m.tensor([[2.7, 1.0, -1.5]])),
        lambda m: m.tensor([True, False, True]).copy_(m.tensor([2.5, 0.0, -1.0])),
        lambda m: m.tensor([1, 2, 3], dtype=m.int8).copy_(m.tensor([-1, 300, 2])),
        lambda m: m.tensor([1, 2, 3]).clamp_(0.5, 2),
        lambda m: m.tensor([1.0, 2.0, 3.0]).clamp_(m.tensor(1.5), m.tensor([2.0, 2.5, 0.0])),
        lambda m: m.tensor([True, False]).add_(1),
        lambda m: m.tensor([True, False]).add_(True),
        lambda m: m.tensor([True, False]).mul_(m.tensor([False, True])),
        lambda m: m.tensor([1, 2]).div_(2),
        lambda m: m.tensor([1.0, 2.0]).div_(m.tensor([0, 2])),
        # alpha * other is computed in the result dtype, not in other's narrower dtype
        lambda m: m.tensor([7], dtype=m.int16).add_(m.tensor([100], dtype=m.int8), alpha=2),
        lambda m: m.tensor([7], dtype=m.int16).sub_(m.tensor(9, dtype=m.uint8), alpha=-3),
    ],
)
def test_inplace_named_cases(build: Any) -> None:
    check_both(build, [], [])


@given(data=st.data())
@examples(1.0)
def test_copy_broadcasts_and_converts(data: st.DataObject) -> None:
    dst_shape, src_shape = data.draw(broadcastable_shapes(2, max_dims=3), label="shapes")
    dst = data.draw(tensor_pairs_of_shape(dst_shape, ALL_DTYPES, allow_expand=False), label="dst")
    src = data.draw(tensor_pairs_of_shape(src_shape, ALL_DTYPES), label="src")
    # copy_ broadcasts src to dst's shape only (never the other way round).
    check_both(lambda m, d, s: d.copy_(s), [dst.c, src.c], [dst.t, src.t])
    assert_close(dst.c, dst.t)


# --------------------------------------------------------------------------- overlap


OVERLAP_WRITES: dict[str, Callable[[Any, Any], Any]] = {
    "add_": lambda m, x: x.add_(1),
    "mul_": lambda m, x: x.mul_(2),
    "sub_": lambda m, x: x.sub_(m.ones(x.shape, dtype=x.dtype)),
    "div_": lambda m, x: x.div_(2),
    "clamp_": lambda m, x: x.clamp_(0, 1),
    "copy_": lambda m, x: x.copy_(m.ones(x.shape)),
    "fill_": lambda m, x: x.fill_(1),
    "zero_": lambda m, x: x.zero_(),
    "setitem int": lambda m, x: x.__setitem__(0, 1),
    "setitem slice": lambda m, x: x.__setitem__(slice(None), 3),
    "setitem col": lambda m, x: x.__setitem__((slice(None), 0), 1),
    "select add_": lambda m, x: x[0].add_(1),
}


@pytest.mark.parametrize("name", list(OVERLAP_WRITES))
def test_writing_to_expanded_tensor_raises_like_torch(name: str) -> None:
    """torch refuses most writes where several elements share one location (stride 0).

    fill_ and zero_ are allowed (every alias gets the same value), as in torch.
    """
    fn = OVERLAP_WRITES[name]

    def run(m: Any) -> Any:
        base = m.zeros(3, 1)
        x = base.expand(3, 4)
        fn(m, x)
        return base

    check_both(run, [], [])


def test_overlap_error_message_matches_torch() -> None:
    with pytest.raises(RuntimeError, match="more than one element of the written-to tensor"):
        torch.zeros(3, 1).expand(3, 4).add_(1)
    with pytest.raises(RuntimeError) as info:
        core.zeros(3, 1).expand(3, 4).add_(1)
    assert "more than one element" in str(info.value)


@given(data=st.data())
@examples(1.0)
def test_writes_to_random_layouts_match_torch(data: st.DataObject) -> None:
    """Random layouts including expanded ones: same success/failure and result as torch."""
    shape = data.draw(st.lists(st.integers(0, 4), max_size=3).map(tuple), label="shape")
    pair = data.draw(tensor_pairs_of_shape(shape, ("float32", "int64")), label="x")
    name = data.draw(st.sampled_from(sorted(OVERLAP_WRITES)), label="write")
    check_both(OVERLAP_WRITES[name], [pair.c], [pair.t], compare=lambda c, t: None)
    assert_close(pair.c, pair.t)


# --------------------------------------------------------------------------- _version


def test_version_counter_follows_torch() -> None:
    steps: list[Callable[[Any, Any], Any]] = [
        lambda m, x: x.add_(1),
        lambda m, x: x.fill_(2),
        lambda m, x: x.__setitem__(0, 3),
        lambda m, x: x[:2].zero_(),
        lambda m, x: x.copy_(x),
        lambda m, x: x.__setitem__(x > 100, 1),
        lambda m, x: x.__setitem__(slice(0, 0), 1),
        lambda m, x: x.mul_(1),
        lambda m, x: x[1:].clamp_(max=0),
        lambda m, x: x + 1,  # out of place: no bump
        lambda m, x: x.view(3, 2),  # a view: no bump
    ]
    cx, tx = core.zeros(6), torch.zeros(6)
    cv, tv = cx[2:], tx[2:]
    assert cx._version == tx._version
    for i, step in enumerate(steps):
        step(core, cx)
        step(torch, tx)
        assert cx._version == tx._version, f"after step {i}: {cx._version} != torch {tx._version}"
        assert cv._version == tv._version, f"view after step {i}"
    cv.add_(1)
    tv.add_(1)
    assert cx._version == tx._version and cv._version == tv._version


def test_failed_write_does_not_bump_version_or_storage() -> None:
    c, t = core.tensor([1, 2, 3]), torch.tensor([1, 2, 3])
    for x in (c, t):
        with pytest.raises(RuntimeError):
            x.add_(1.5)
    assert c._version == t._version
    assert c.tolist() == t.tolist()


def test_base_values_after_writes_through_two_views() -> None:
    """Independent of core's views: compare with a numpy array written the same way."""
    ref = np.arange(12, dtype=np.float64).reshape(3, 4)
    pair = make_base_pair(ref.copy())
    c = pair.c
    c.t()[1].add_(10)  # column 1
    c[2, ::2].mul_(-1)
    c[0].fill_(5)
    ref.T[1] += 10
    ref[2, ::2] *= -1
    ref[0] = 5
    np.testing.assert_array_equal(c.numpy(), ref)
