"""Every view op of `core` against `torch` on hypothesis-drawn layouts.

Each test draws a (core, torch) twin of a random layout (non-contiguous, expanded,
zero-size, 0-d; see ``tensor_pairs.tensor_pairs``), draws arguments for one op (about
one call in six deliberately invalid) and checks that both libraries raise the same
builtin exception class, or both succeed with the same sizes, strides, storage
offset, contiguity, values and storage sharing with the input.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import core
from tests.core.assertions import assert_same_error, assert_same_sharing, assert_same_tensor
from tests.core.tensor_pairs import TensorPair, make_base_pair, tensor_pairs, tensor_pairs_of_shape
from tests.core.view_calls import VIEW_OPS, Call, call_pair, view_calls


def draw_and_check(pair: TensorPair, data: st.DataObject, ops: tuple[str, ...]):
    """Draw one call of `ops` for `pair`'s shape and compare core with torch."""
    call = data.draw(view_calls(tuple(pair.t.shape), pair.storage_numel, ops), label="call")
    return call_pair(call, pair)


# One hypothesis test per op, so a failure names the op.
@pytest.mark.parametrize("op", [op for op in VIEW_OPS if op != "advanced_getitem"])
@given(pair=st.one_of(tensor_pairs(), tensor_pairs(min_dims=2)), data=st.data())
def test_view_op_matches_torch(op: str, pair: TensorPair, data: st.DataObject) -> None:
    draw_and_check(pair, data, (op,))


@given(pair=tensor_pairs(), data=st.data())
def test_advanced_indexing_copies_with_torch_values(pair: TensorPair, data: st.DataObject) -> None:
    """Int lists, int tensors and bool masks: same values, and a copy (no sharing)."""
    call = data.draw(
        view_calls(tuple(pair.t.shape), pair.storage_numel, ("advanced_getitem",)), label="call"
    )
    res = assert_same_error(
        lambda: call.apply(pair.c, core),
        lambda: call.apply(pair.t, torch),
        compare=lambda c, t: assert_same_tensor(c, t, check_layout=False),
    )
    if res is not None:
        assert_same_sharing(res[0], pair.c, res[1], pair.t)


@given(pair=tensor_pairs(), data=st.data())
def test_advanced_indexing_strides_match_torch(pair: TensorPair, data: st.DataObject) -> None:
    """The result's strides and contiguity too (torch's index kernel picks them)."""
    draw_and_check(pair, data, ("advanced_getitem",))


# ---------------------------------------------------------------- view's stride rule


def _arange_pair(shape: tuple[int, ...]) -> TensorPair:
    return make_base_pair(np.arange(int(np.prod(shape)), dtype=np.int64).reshape(shape))


# (base shape, layout call, new shape): torch decides success or failure.
VIEW_RULE_CASES = [
    ((3, 4), Call("t"), (12,)),
    ((3, 4), Call("t"), (4, 3)),
    ((3, 4), Call("t"), (2, 2, 3)),
    ((2, 3, 4), Call("transpose", (0, 1)), (3, 2, 4)),
    ((2, 3, 4), Call("transpose", (0, 1)), (3, 8)),
    ((2, 3, 4), Call("transpose", (0, 1)), (6, 4)),
    ((2, 3, 4), Call("transpose", (1, 2)), (2, 12)),
    ((2, 3, 4), Call("transpose", (1, 2)), (8, 3)),
    ((2, 3, 4), Call("permute", ((2, 0, 1),)), (4, 6)),
    ((2, 3, 4), Call("permute", ((2, 0, 1),)), (2, 2, 2, 3)),
    ((4, 6), Call("getitem", ((slice(None), slice(0, 3)),), form="getitem"), (12,)),
    ((4, 6), Call("getitem", ((slice(None), slice(0, 3)),), form="getitem"), (2, 2, 3)),
    ((4, 6), Call("getitem", ((slice(None, None, 2),),), form="getitem"), (12,)),
    ((4, 6), Call("getitem", ((slice(None, None, 2),),), form="getitem"), (2, 3, 2)),
    ((1, 4), Call("expand", (3, 4)), (12,)),
    ((1, 4), Call("expand", (3, 4)), (3, 2, 2)),
    ((3, 1, 4), Call("transpose", (0, 1)), (12,)),
    ((3, 1, 4), Call("transpose", (0, 2)), (4, 3)),
    ((2, 3, 4), Call("transpose", (0, 2)), (24,)),
    ((0, 3), Call("t"), (0,)),
    ((0, 3), Call("t"), (3, 0, 5)),
]


@pytest.mark.parametrize(("shape", "layout", "new_shape"), VIEW_RULE_CASES)
def test_view_on_non_contiguous_follows_torch_rule(
    shape: tuple[int, ...], layout: Call, new_shape: tuple[int, ...]
) -> None:
    base = _arange_pair(shape)
    c, t = layout.apply(base.c, core), layout.apply(base.t, torch)
    assert_same_tensor(c, t)
    res = assert_same_error(lambda: c.view(new_shape), lambda: t.view(new_shape))
    if res is not None:
        assert_same_sharing(res[0], c, res[1], t)
    # reshape: a view exactly when view works, otherwise a fresh contiguous copy
    rc, rt = assert_same_error(lambda: c.reshape(new_shape), lambda: t.reshape(new_shape))
    assert_same_sharing(rc, c, rt, t)


def test_view_rule_cases_include_successes_and_failures() -> None:
    """The case table above exercises both outcomes of torch's rule (sanity check)."""
    outcomes = set()
    for shape, layout, new_shape in VIEW_RULE_CASES:
        t = layout.apply(torch.arange(int(np.prod(shape))).view(shape), torch)
        try:
            t.view(new_shape)
            outcomes.add("view")
        except RuntimeError:
            outcomes.add("error")
    assert outcomes == {"view", "error"}


def test_view_error_explains_the_rule_and_the_way_out() -> None:
    """The issue asks the view error to name the rule and point at reshape/contiguous."""
    x = core.arange(12).view(3, 4).t()
    with pytest.raises(RuntimeError) as info:
        x.view(12)
    message = str(info.value)
    assert "reshape" in message or "contiguous" in message, message


# ---------------------------------------------------------------- contiguous / clone


@given(pair=tensor_pairs())
def test_contiguous_returns_self_exactly_when_torch_does(pair: TensorPair) -> None:
    c, t = pair
    cc, tc = c.contiguous(), t.contiguous()
    assert (cc is c) == (tc is t), f"core returned self: {cc is c}, torch: {tc is t}"
    assert_same_tensor(cc, tc)
    assert_same_sharing(cc, c, tc, t)


@given(pair=tensor_pairs())
def test_clone_preserves_strides_like_torch(pair: TensorPair) -> None:
    c, t = pair
    cc, tc = c.clone(), t.clone()
    assert_same_tensor(cc, tc)
    assert_same_sharing(cc, c, tc, t)  # never shares (unless both are empty)
    assert cc.untyped_storage().nbytes() == tc.untyped_storage().nbytes()


# torch's preserve_format: dense non-overlapping inputs keep their strides; others get
# the suggested memory format, which for a 4-D tensor can be channels_last.
CLONE_CASES = [
    ((2, 3, 4, 5), [Call("permute", ((0, 2, 3, 1),))]),
    (
        (2, 3, 4, 6),
        [
            Call("permute", ((0, 2, 3, 1),)),
            Call("getitem", ((Ellipsis, slice(0, None, 2)),), form="getitem"),
        ],
    ),
    (
        (2, 3, 4, 5),
        [
            Call(
                "getitem", ((slice(None), slice(None), slice(None), slice(1, 4)),), form="getitem"
            ),
            Call("permute", ((0, 2, 3, 1),)),
        ],
    ),
    ((1, 4), [Call("expand", (3, 4))]),
    ((3, 1), [Call("expand", (3, 5)), Call("t")]),
    ((4, 6), [Call("t"), Call("getitem", ((slice(0, None, 2),),), form="getitem")]),
    ((3, 4, 5), [Call("permute", ((2, 0, 1),))]),
    ((5, 6), [Call("unfold", (1, 3, 1))]),
]


@pytest.mark.parametrize(("shape", "calls"), CLONE_CASES)
def test_clone_strides_on_tricky_layouts(shape: tuple[int, ...], calls: list[Call]) -> None:
    pair = _arange_pair(shape)
    c, t = pair
    for call in calls:
        c, t = call.apply(c, core), call.apply(t, torch)
    assert_same_tensor(c, t)
    assert_same_tensor(c.clone(), t.clone())
    assert_same_tensor(c.contiguous(), t.contiguous())


# ---------------------------------------------------------------- sharing between outputs


@given(pair=tensor_pairs(min_dims=1), data=st.data())
def test_split_pieces_share_one_storage(pair: TensorPair, data: st.DataObject) -> None:
    """All pieces of unbind/split/chunk/tensor_split share the input's storage."""
    res = draw_and_check(pair, data, ("unbind", "split", "chunk", "tensor_split"))
    if res is None:
        return
    c_parts, t_parts = res
    for cp, tp in zip(c_parts[1:], t_parts[1:], strict=True):
        assert_same_sharing(cp, c_parts[0], tp, t_parts[0])


@given(pair=tensor_pairs())
def test_detach_keeps_layout_and_storage(pair: TensorPair) -> None:
    c, t = pair
    cd, td = c.detach(), t.detach()
    assert_same_tensor(cd, td)
    assert_same_sharing(cd, c, td, t)
    assert cd is not c


@given(pair=tensor_pairs())
def test_transpose_attributes_match_torch(pair: TensorPair) -> None:
    """``.T``, ``.mT`` and ``t()`` at every dimensionality (errors included)."""
    for call in (Call("T", form="attr"), Call("mT", form="attr"), Call("t")):
        call_pair(call, pair)


@pytest.mark.parametrize("name", ["view", "reshape", "permute", "expand"])
def test_size_taking_ops_without_arguments_raise_type_error_like_torch(name: str) -> None:
    """``x.view()`` etc. with no sizes at all: torch refuses with TypeError."""
    for shape in [(), (1,), (2, 3)]:
        c = core.zeros(shape)
        t = torch.zeros(shape)
        assert_same_error(lambda c=c: getattr(c, name)(), lambda t=t: getattr(t, name)())


@given(
    pair=st.lists(st.integers(1, 4), min_size=4, max_size=4).flatmap(
        lambda shape: tensor_pairs_of_shape(shape)
    )
)
def test_channels_last_contiguity_matches_torch(pair) -> None:
    """``is_contiguous(memory_format=channels_last)`` and a channels-last clone, as in torch."""
    c, t = pair
    assert c.is_contiguous(memory_format=core.channels_last) == t.is_contiguous(
        memory_format=torch.channels_last
    )
    c_clone = c.clone(memory_format=core.channels_last)
    t_clone = t.clone(memory_format=torch.channels_last)
    assert c_clone.stride() == t_clone.stride()
    assert c_clone.is_contiguous(memory_format=core.channels_last)
