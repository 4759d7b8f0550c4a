"""Storage identity, sizes, NumPy sharing, version counters and ``_base``, against torch."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import core
from tests.core.assertions import (
    assert_same_error,
    assert_same_sharing,
    assert_same_tensor,
    shares_storage,
)
from tests.core.dtypes_and_shapes import FLOAT_DTYPES, core_dtype, random_values, torch_dtype
from tests.core.tensor_pairs import TensorPair, tensor_pairs
from tests.core.view_calls import Call, view_calls
from tests.core.view_op_arguments import basic_indices

# Ops that always return views of their input (never copies).
ALWAYS_VIEWS = (
    "view", "view_as", "t", "transpose", "swapaxes", "permute", "movedim", "expand",
    "expand_as", "broadcast_to", "narrow", "select", "unbind", "split", "chunk",
    "tensor_split", "unsqueeze", "squeeze", "unfold", "as_strided", "diagonal", "detach",
    "getitem", "unflatten",
)  # fmt: skip


def _tensors(result):
    return list(result) if isinstance(result, (tuple, list)) else [result]


def _storage_empty(t: torch.Tensor) -> bool:
    return t.untyped_storage().nbytes() == 0


# ---------------------------------------------------------------- storage identity and size


@given(pair=tensor_pairs(), data=st.data())
def test_every_view_shares_the_data_ptr(pair: TensorPair, data: st.DataObject) -> None:
    c, t = pair
    call = data.draw(
        view_calls(tuple(t.shape), pair.storage_numel, ALWAYS_VIEWS, allow_invalid=False)
    )
    res = assert_same_error(lambda: call.apply(c, core), lambda: call.apply(t, torch))
    if res is None:
        return
    for co, to in zip(_tensors(res[0]), _tensors(res[1]), strict=True):
        assert co.untyped_storage().data_ptr() == c.untyped_storage().data_ptr()
        assert co.untyped_storage().nbytes() == c.untyped_storage().nbytes()
        assert_same_sharing(co, c, to, t)


@given(pair=tensor_pairs())
def test_storage_size_and_element_size_match_torch(pair: TensorPair) -> None:
    """Storage sizes are in bytes, like torch's untyped storage."""
    c, t = pair
    assert c.untyped_storage().nbytes() == t.untyped_storage().nbytes()
    assert c.untyped_storage().size() == t.untyped_storage().size()
    assert c.element_size() == t.element_size()
    assert c.itemsize == t.itemsize
    assert c.nbytes == t.nbytes


@given(pair=tensor_pairs())
def test_data_ptr_points_at_the_first_element(pair: TensorPair) -> None:
    """Tensor.data_ptr() = storage data_ptr + storage_offset * element_size, as torch."""
    c, t = pair
    if t.numel() == 0 or t.untyped_storage().data_ptr() == 0:
        return  # torch gives empty tensors data_ptr 0: no offset arithmetic to compare
    t_rel = t.data_ptr() - t.untyped_storage().data_ptr()
    assert c.data_ptr() - c.untyped_storage().data_ptr() == t_rel


@given(pair=tensor_pairs())
def test_copies_get_storages_sized_like_torch(pair: TensorPair) -> None:
    c, t = pair
    for name, fc, ft in [
        ("clone", c.clone(), t.clone()),
        ("contiguous", c.contiguous(), t.contiguous()),
        ("reshape(-1)", c.reshape(-1), t.reshape(-1)),
        ("empty_like", core.empty_like(c), torch.empty_like(t)),
    ]:
        assert fc.untyped_storage().nbytes() == ft.untyped_storage().nbytes(), name
        assert_same_tensor(fc, ft, check_values=name != "empty_like", context=name)
        assert_same_sharing(fc, c, ft, t)


@pytest.mark.parametrize(
    ("sizes", "strides"),
    [((2, 3), (1, 4)), ((2, 3), (3, 1)), ((4,), (0,)), ((0, 3), (5, 1)), ((), ()),
     ((3, 2), (10, 3))],
)  # fmt: skip
def test_empty_strided_storage_covers_the_span_like_torch(sizes, strides) -> None:
    c = core.empty_strided(sizes, strides)
    t = torch.empty_strided(sizes, strides)
    assert c.untyped_storage().nbytes() == t.untyped_storage().nbytes()
    assert_same_tensor(c, t, check_values=False)


def test_fresh_tensors_have_distinct_storages() -> None:
    a, b = core.zeros(3), core.zeros(3)
    assert a.untyped_storage().data_ptr() != b.untyped_storage().data_ptr()
    assert a.clone().untyped_storage().data_ptr() != a.untyped_storage().data_ptr()


# ---------------------------------------------------------------- NumPy sharing


NUMPY_LAYOUTS = [
    lambda a: a,
    lambda a: a[1:],
    lambda a: a[:, 1::2],
    lambda a: a.T,
    lambda a: a[::2, ::3],
    lambda a: a[1],
    lambda a: a[1, 2],
    lambda a: a[:0],
    lambda a: np.broadcast_to(a[:1], (3, 6)),
]


@pytest.mark.parametrize("layout", range(len(NUMPY_LAYOUTS)))
@pytest.mark.parametrize("dtype", ["float32", "int64", "float16", "bool", "uint8"])
def test_from_numpy_converts_byte_strides_and_shares_memory(layout: int, dtype: str) -> None:
    rng = np.random.default_rng(layout)
    base_c = random_values(dtype, 24, rng).reshape(4, 6)
    base_t = base_c.copy()
    arr_c, arr_t = NUMPY_LAYOUTS[layout](base_c), NUMPY_LAYOUTS[layout](base_t)
    res = assert_same_error(lambda: core.from_numpy(arr_c), lambda: torch.from_numpy(arr_t))
    if res is None:
        return
    c, t = res
    assert c.untyped_storage().nbytes() == t.untyped_storage().nbytes()
    if arr_c.size == 0 or not arr_c.flags.writeable:
        return
    # numpy -> core: a write into the numpy array is visible in the tensor
    value = random_values(dtype, 1, np.random.default_rng(99))[0]
    arr_c[...] = value
    arr_t[...] = value
    assert_same_tensor(c, t)
    # core -> numpy: an in-place op on the tensor is visible in the array
    c.zero_()
    t.zero_()
    np.testing.assert_array_equal(base_c, base_t)
    assert (arr_c == 0).all()


@pytest.mark.parametrize(
    "make",
    [lambda a: a[::-1], lambda a: a[:, ::-2], lambda a: a.T[::-1]],
    ids=["rev", "rev2", "revT"],
)
def test_from_numpy_refuses_negative_strides_like_torch(make) -> None:
    arr = np.arange(12.0).reshape(3, 4)
    with pytest.raises(ValueError):
        torch.from_numpy(make(arr))
    with pytest.raises(ValueError):
        core.from_numpy(make(arr))


@given(pair=tensor_pairs(), data=st.data())
def test_numpy_shares_memory_with_the_tensor(pair: TensorPair, data: st.DataObject) -> None:
    c, t = pair
    arr = c.numpy()
    np.testing.assert_array_equal(arr, t.numpy())
    assert arr.strides == t.numpy().strides
    if c.numel() == 0:
        return
    # a view's numpy() is a view of the base's numpy()
    call = data.draw(
        view_calls(tuple(t.shape), pair.storage_numel, ALWAYS_VIEWS, allow_invalid=False)
    )
    res = assert_same_error(lambda: call.apply(c, core), lambda: call.apply(t, torch))
    if res is not None:
        for co, to in zip(_tensors(res[0]), _tensors(res[1]), strict=True):
            if to.numel() > 0:
                assert np.shares_memory(co.numpy(), arr) == np.shares_memory(to.numpy(), t.numpy())


def test_writes_into_numpy_show_in_the_tensor_and_its_views() -> None:
    x = core.zeros((3, 4))
    v = x.t()[1:]
    x.numpy()[0, 2] = 7.0
    assert v.tolist()[1][0] == 7.0
    v.numpy()[0, 1] = 5.0
    assert x.tolist()[1][1] == 5.0


# ---------------------------------------------------------------- version counter


@st.composite
def inplace_ops(draw: st.DrawFn, shape: tuple[int, ...], dtype: str) -> tuple[str, Call]:
    """(target, call): an in-place op on the base ("base") or on the view ("view")."""
    target = draw(st.sampled_from(("base", "view")))
    kind = draw(
        st.sampled_from(
            ("add_", "sub_", "mul_", "div_", "fill_", "zero_", "clamp_", "copy_", "setitem",
             "setitem_mask", "setitem_list")
        )
    )  # fmt: skip
    if kind in ("add_", "sub_", "mul_", "div_"):
        return target, Call(kind, (draw(st.sampled_from((2, 3, 0.5))),))
    if kind == "fill_":
        return target, Call("fill_", (draw(st.sampled_from((1, 2.5, 0))),))
    if kind == "zero_":
        return target, Call("zero_")
    if kind == "clamp_":
        return target, Call("clamp_", (-1, 1))
    if kind == "copy_":
        return target, Call("copy_", ("SAME_SHAPE_ONES",))
    return target, Call(kind, ("KEY",))


def _apply_inplace(x, lib, call: Call, key_for):
    if call.name == "copy_":
        return x.copy_(lib.ones(tuple(x.shape), dtype=x.dtype))
    if call.name.startswith("setitem"):
        x[key_for(x, lib, call.name)] = 1
        return None
    return call.apply(x, lib)


@given(
    pair=tensor_pairs(dtypes=("float32", "int64", "float64", "int32"), allow_overlap=False),
    data=st.data(),
)
def test_version_counter_bumps_like_torch(pair: TensorPair, data: st.DataObject) -> None:
    """A sequence of in-place ops on a tensor and on a view of it: after each op the
    _version of both, and the values of both, match torch's (the counter is shared)."""
    c, t = pair
    call = data.draw(
        view_calls(tuple(t.shape), pair.storage_numel, ("getitem", "t", "narrow", "select",
                   "transpose", "unsqueeze", "diagonal"), allow_invalid=False)
    )  # fmt: skip
    res = assert_same_error(lambda: call.apply(c, core), lambda: call.apply(t, torch))
    if res is None:
        return
    cv, tv = res
    dtype = str(t.dtype).rsplit(".", 1)[-1]
    assert c._version == t._version and cv._version == tv._version

    def key_for(x, lib, kind):
        shape = tuple(x.shape)
        if kind == "setitem":
            return data.draw(basic_indices(shape), label="key")
        if kind == "setitem_mask":
            mask = np.asarray(x.numpy()) > 0
            return lib.tensor(mask.tolist(), dtype=lib.bool) if mask.ndim else mask.item()
        return [0] if shape and shape[0] > 0 else []

    for _ in range(data.draw(st.integers(1, 6), label="ops")):
        target, op = data.draw(inplace_ops(tuple(t.shape), dtype), label="op")
        xc, xt = (c, t) if target == "base" else (cv, tv)
        keys: dict[str, object] = {}

        def key_once(x, lib, kind, keys=keys):
            # draw the key once (on the torch side, which runs first) and reuse it for core
            if kind not in keys:
                keys[kind] = key_for(x, torch, kind)
            k = keys[kind]
            return lib.tensor(k.tolist(), dtype=lib.bool) if isinstance(k, torch.Tensor) else k

        assert_same_error(
            lambda xc=xc, op=op, k=key_once: _apply_inplace(xc, core, op, k),
            lambda xt=xt, op=op, k=key_once: _apply_inplace(xt, torch, op, k),
            compare=None,
        )
        assert (c._version, cv._version) == (t._version, tv._version), f"after {target} {op}"
        assert_same_tensor(c, t, context=f"base after {target} {op}")
        assert_same_tensor(cv, tv, context=f"view after {target} {op}")


@pytest.mark.parametrize("op", ["add_", "mul_", "fill_", "zero_", "copy_", "clamp_", "setitem"])
@given(pair=tensor_pairs(dtypes=FLOAT_DTYPES), data=st.data())
def test_writes_to_overlapping_layouts_raise_like_torch(
    op: str, pair: TensorPair, data: st.DataObject
) -> None:
    """Expanded (stride-0) targets are refused by some writes, exactly where torch refuses."""
    c, t = pair
    if t.dim() == 0 or t.numel() == 0 or not data.draw(st.booleans(), label="expand"):
        sizes = (2, *t.shape)
        c, t = c.expand(sizes), t.expand(sizes)
    call = {
        "add_": Call("add_", (1,)),
        "mul_": Call("mul_", (2,)),
        "fill_": Call("fill_", (3,)),
        "zero_": Call("zero_"),
        "clamp_": Call("clamp_", (-1, 1)),
        "copy_": Call("copy_", ("SAME_SHAPE_ONES",)),
        "setitem": Call("setitem", ("KEY",)),
    }[op]
    assert_same_error(
        lambda: _apply_inplace(c, core, call, lambda x, lib, kind: ...),
        lambda: _apply_inplace(t, torch, call, lambda x, lib, kind: ...),
        compare=None,
    )
    assert c._version == t._version
    # Where torch lets a read-modify-write through an overlap it cannot see (as_strided
    # with repeated elements), the result depends on iteration order: compare values only
    # when fill-like ops or distinct elements make them well defined.
    if op in ("fill_", "zero_") or _distinct_elements(t):
        assert_same_tensor(pair.c, pair.t)


def _distinct_elements(t: torch.Tensor) -> bool:
    """Whether no two logical indices of `t` read the same storage element."""
    index = np.full(tuple(t.shape), t.storage_offset(), dtype=np.int64)
    for d, (size, stride) in enumerate(zip(t.shape, t.stride(), strict=True)):
        shape = [1] * t.dim()
        shape[d] = size
        index = index + (np.arange(size) * stride).reshape(shape)
    return np.unique(index).size == index.size


# ---------------------------------------------------------------- _base


@given(pair=tensor_pairs(max_steps=0), data=st.data())
def test_base_is_the_root_like_torch(pair: TensorPair, data: st.DataObject) -> None:
    """Build a random family of tensors from a fresh base; every member's ``_base``
    must point at the same member as torch's does (None for non-views)."""
    cs, ts = [pair.c], [pair.t]
    for _ in range(data.draw(st.integers(1, 6), label="steps")):
        src = data.draw(st.integers(0, len(ts) - 1), label="source")
        call = data.draw(
            view_calls(tuple(ts[src].shape), pair.storage_numel, allow_invalid=False),
            label="call",
        )
        res = assert_same_error(
            lambda s=src, k=call: k.apply(cs[s], core), lambda s=src, k=call: k.apply(ts[s], torch)
        )
        if res is None:
            continue
        for co, to in zip(_tensors(res[0]), _tensors(res[1]), strict=True):
            cs.append(co)
            ts.append(to)

    def family_index(x, family) -> str:
        if x is None:
            return "None"
        for i, member in enumerate(family):
            if x is member:
                return str(i)
        return "outsider"

    for i, (co, to) in enumerate(zip(cs, ts, strict=True)):
        expected = family_index(to._base, ts)
        assert family_index(co._base, cs) == expected, f"member {i}: _base should be {expected}"
        if co._base is not None:
            assert shares_storage(co, co._base)


def test_base_of_a_view_of_a_view_is_the_root() -> None:
    x = core.arange(24)
    y = x.view(4, 6)
    z = y.t()[1:]
    assert x._base is None
    assert y._base is x
    assert z._base is x
    assert x.clone()._base is None
    assert z.contiguous()._base is None


def test_dtype_helpers_round_trip() -> None:
    """Sanity for the strategies' dtype mapping (every name exists in both libraries)."""
    for name in ("float32", "int64", "bool", "float16", "uint8"):
        assert str(core_dtype(name)).endswith(name)
        assert torch_dtype(name) is getattr(torch, name)
