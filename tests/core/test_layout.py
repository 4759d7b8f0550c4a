"""`core.layout`'s pure functions on (sizes, strides) against torch.

torch is asked through real tensors built with ``torch.empty_strided``, so every
expected value comes from torch itself, never from a second implementation.
"""

from __future__ import annotations

import math

import torch
from hypothesis import given
from hypothesis import strategies as st

import core
from core import layout
from tests.core.assertions import assert_same_error
from tests.core.dtypes_and_shapes import broadcastable_shapes, shapes
from tests.core.view_op_arguments import factor_shapes


@st.composite
def strided_layouts(draw: st.DrawFn, max_dims: int = 5) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(sizes, strides) mixing contiguous-like, permuted, gapped, zero and random strides.

    Starts from contiguous strides of a permuted order (so "contiguous" and "viewable"
    outcomes are common), then perturbs: gaps, strides of size-1 dims, zeros, random.
    """
    sizes = draw(shapes(0, max_dims, 0, 4))
    nd = len(sizes)
    order = draw(st.permutations(range(nd)))
    strides = [0] * nd
    acc = 1
    for d in reversed(order):
        strides[d] = acc
        acc *= max(sizes[d], 1) * draw(st.sampled_from((1, 1, 1, 2)))
    for d in range(nd):
        how = draw(st.sampled_from(("keep", "keep", "keep", "zero", "random", "size1")))
        if how == "zero":
            strides[d] = 0
        elif how == "random":
            strides[d] = draw(st.integers(0, 40))
        elif how == "size1" and sizes[d] == 1:
            strides[d] = draw(st.integers(0, 100))
    return tuple(sizes), tuple(strides)


def _torch_strided(sizes: tuple[int, ...], strides: tuple[int, ...]) -> torch.Tensor:
    return torch.empty_strided(sizes, strides, dtype=torch.uint8)


@given(sizes=shapes(0, 6, 0, 6))
def test_contiguous_strides_match_torch(sizes: tuple[int, ...]) -> None:
    assert tuple(layout.contiguous_strides(sizes)) == torch.empty(sizes).stride()


@given(strided=strided_layouts())
def test_is_contiguous_matches_torch(strided: tuple[tuple[int, ...], tuple[int, ...]]) -> None:
    """torch's rule: strides of size-1 dims are ignored; a tensor with no elements is contiguous."""
    sizes, strides = strided
    assert layout.is_contiguous(sizes, strides) == _torch_strided(sizes, strides).is_contiguous()


def test_is_contiguous_covers_the_special_cases() -> None:
    """Size-1 dims with odd strides, and empty tensors with odd strides (torch decides)."""
    cases = [((2, 1, 3), (3, 99, 1)), ((1, 4), (0, 1)), ((0, 3), (7, 5)), ((3, 0, 2), (1, 1, 1)),
             ((2, 3), (1, 2)), ((), ()), ((1,), (5,)), ((4,), (2,))]  # fmt: skip
    for sizes, strides in cases:
        expected = _torch_strided(sizes, strides).is_contiguous()
        assert layout.is_contiguous(sizes, strides) == expected, (sizes, strides)


@st.composite
def view_requests(draw: st.DrawFn):
    sizes, strides = draw(strided_layouts())
    new_sizes = draw(factor_shapes(math.prod(sizes), allow_infer=False))
    return sizes, strides, new_sizes


@given(request=view_requests())
def test_view_strides_is_none_exactly_when_torch_view_raises(request) -> None:
    """torch's computeStride: same strides as ``view`` gives, None where it refuses."""
    sizes, strides, new_sizes = request
    t = _torch_strided(sizes, strides)
    try:
        expected = tuple(t.view(new_sizes).stride())
    except RuntimeError:
        expected = None
    got = layout.view_strides(sizes, strides, new_sizes)
    assert (None if got is None else tuple(got)) == expected


@st.composite
def shape_lists(draw: st.DrawFn) -> list[tuple[int, ...]]:
    """Shapes that broadcast (half the time) or arbitrary shapes (often incompatible)."""
    n = draw(st.integers(0, 4))
    if draw(st.booleans()):
        return list(draw(broadcastable_shapes(max(n, 1), max_dims=4, min_side=0)))
    return [draw(shapes(0, 3, 0, 3)) for _ in range(n)]


@given(shape_list=shape_lists())
def test_broadcast_shapes_matches_torch(shape_list: list[tuple[int, ...]]) -> None:
    assert_same_error(
        lambda: tuple(layout.broadcast_shapes(*shape_list)),
        lambda: tuple(torch.broadcast_shapes(*shape_list)),
    )


@given(shape_list=shape_lists())
def test_module_level_broadcast_shapes_matches_torch(shape_list: list[tuple[int, ...]]) -> None:
    res = assert_same_error(
        lambda: core.broadcast_shapes(*shape_list),
        lambda: torch.broadcast_shapes(*shape_list),
        compare=lambda c, t: None,
    )
    if res is not None:
        assert isinstance(res[0], tuple)
        assert tuple(res[0]) == tuple(res[1])


def test_broadcast_shapes_accepts_ints_like_torch() -> None:
    """torch treats a bare int as a 1-d shape."""
    for args in [(3, (2, 3)), (1, 4), ((2, 1), 5), (2, 3)]:
        assert_same_error(
            lambda a=args: tuple(core.broadcast_shapes(*a)),
            lambda a=args: tuple(torch.broadcast_shapes(*a)),
        )
