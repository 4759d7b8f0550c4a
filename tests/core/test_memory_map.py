"""What the visualizer asks of a tensor: storage indices, their inverse, addresses,
view-of checks and explanations of failed views.

Expected values come from an independent NumPy computation on torch's strides
(offset + sum of index times stride), from brute force over every element, or from
torch itself (``data_ptr`` of an element, whether ``view`` succeeds).
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import core
from core.memory import view_failure
from tests.core.assertions import assert_same_tensor, shares_storage
from tests.core.layout_steps import Step
from tests.core.tensor_pairs import TensorPair, tensor_pairs
from tests.core.view_op_arguments import factor_shapes


def expected_storage_indices(t: torch.Tensor) -> np.ndarray:
    """offset + sum_d index_d * stride_d, from torch's layout, with NumPy broadcasting."""
    out = np.full(tuple(t.shape), t.storage_offset(), dtype=np.int64)
    for d, (size, stride) in enumerate(zip(t.shape, t.stride(), strict=True)):
        shape = [1] * t.dim()
        shape[d] = size
        out = out + (np.arange(size, dtype=np.int64) * stride).reshape(shape)
    return out


def replay_on_arange(pair: TensorPair) -> core.Tensor:
    """The same layout as `pair`, over a core.arange storage (each value = its storage index)."""
    x = core.arange(pair.storage_numel).view(pair.base_shape)
    for step in pair.steps:
        x = step.apply(x)
    return x


# ---------------------------------------------------------------- storage_indices


@given(pair=tensor_pairs())
def test_storage_indices_match_the_stride_formula(pair: TensorPair) -> None:
    got = pair.c.storage_indices()
    assert isinstance(got, np.ndarray)
    assert got.dtype == np.int64
    assert got.shape == tuple(pair.t.shape)
    np.testing.assert_array_equal(got, expected_storage_indices(pair.t))


@given(pair=tensor_pairs())
def test_storage_indices_are_the_values_of_a_view_of_arange(pair: TensorPair) -> None:
    """Over arange(n) each element's value is its storage index."""
    x = replay_on_arange(pair)
    t = torch.arange(pair.storage_numel).view(pair.base_shape)
    for step in pair.steps:
        t = step.apply(t)
    assert_same_tensor(x, t)
    np.testing.assert_array_equal(x.storage_indices(), x.numpy())


# ---------------------------------------------------------------- logical_indices_of


def brute_force_readers(t: torch.Tensor, k: int) -> np.ndarray:
    """Every logical index of `t` that reads storage element `k`, in lexicographic order."""
    found = np.argwhere(expected_storage_indices(t) == k)  # C order = lexicographic
    return found.astype(np.int64).reshape(found.shape[0], t.dim())


@given(pair=tensor_pairs(max_side=4))
def test_logical_indices_of_inverts_storage_indices(pair: TensorPair) -> None:
    """For every storage element: exactly the logical indices that read it, sorted."""
    for k in range(pair.storage_numel):
        got = pair.c.logical_indices_of(k)
        expected = brute_force_readers(pair.t, k)
        assert isinstance(got, np.ndarray)
        assert got.shape == expected.shape, (k, got, expected)
        np.testing.assert_array_equal(got, expected, err_msg=f"storage index {k}")


OVERLAPPING_LAYOUTS = [
    ((4,), [Step("expand", (3, 4))]),  # stride 0: three readers per element
    ((1, 3), [Step("expand", (2, 2, 3))]),
    ((7,), [Step("unfold", (0, 3, 1))]),  # overlapping windows
    ((8,), [Step("unfold", (0, 4, 2))]),
    ((2, 6), [Step("unfold", (1, 3, 2)), Step("transpose", (0, 2))]),
    ((10,), [Step("as_strided", ((3, 3), (2, 1), 1))]),
    ((10,), [Step("as_strided", ((2, 2, 2), (0, 3, 1), 2))]),
    ((12,), [Step("as_strided", ((4, 3), (1, 3), 0))]),  # a transpose by hand
]


@pytest.mark.parametrize(("base_shape", "steps"), OVERLAPPING_LAYOUTS)
def test_logical_indices_of_with_overlaps(base_shape: tuple[int, ...], steps: list[Step]) -> None:
    n = math.prod(base_shape)
    c = core.arange(n).view(base_shape)
    t = torch.arange(n).view(base_shape)
    for step in steps:
        c, t = step.apply(c), step.apply(t)
    assert_same_tensor(c, t)
    for k in range(n):
        expected = brute_force_readers(t, k)
        np.testing.assert_array_equal(c.logical_indices_of(k), expected, err_msg=f"k={k}")


@pytest.mark.parametrize(("base_shape", "steps"), OVERLAPPING_LAYOUTS)
def test_reader_count_and_a_limited_sample(base_shape: tuple[int, ...], steps: list[Step]) -> None:
    n = math.prod(base_shape)
    c = core.arange(n).view(base_shape)
    t = torch.arange(n).view(base_shape)
    for step in steps:
        c, t = step.apply(c), step.apply(t)
    for k in range(n):
        expected = {tuple(row) for row in brute_force_readers(t, k).tolist()}
        assert c.reader_count(k) == len(expected)
        for limit in (1, 2, 5):
            sample = [tuple(row) for row in c.logical_indices_of(k, limit=limit).tolist()]
            assert len(sample) == len(set(sample)) == min(limit, len(expected))
            assert set(sample) <= expected


def test_a_broadcast_of_a_trillion_elements_is_counted_and_sampled_at_once() -> None:
    c = core.zeros(1).expand(10**6, 10**6, 10**6)

    assert c.reader_count(0) == 10**18
    sample = c.logical_indices_of(0, limit=3)
    np.testing.assert_array_equal(sample, [[0, 0, 0], [0, 0, 1], [0, 0, 2]])
    assert c.reader_count(1) == 0


def test_logical_indices_of_an_unread_element_is_empty() -> None:
    c = core.arange(12).view(3, 4)[:, ::2]
    t = torch.arange(12).view(3, 4)[:, ::2]
    for k in (1, 3, 5, 11):
        assert c.logical_indices_of(k).shape == brute_force_readers(t, k).shape == (0, 2)


def test_logical_indices_of_a_0d_tensor() -> None:
    c = core.arange(6)[4]
    t = torch.arange(6)[4]
    for k in range(6):
        expected = brute_force_readers(t, k)
        got = c.logical_indices_of(k)
        assert got.shape == expected.shape, (k, got.shape, expected.shape)


# ---------------------------------------------------------------- a large tensor


def test_memory_map_of_a_16m_element_tensor() -> None:
    """storage_indices and logical_indices_of on 4096x4096 (vectorised, not per element)."""
    n = 4096
    x = core.zeros((n, n), dtype=core.float32)
    y = x.t()
    idx = y.storage_indices()
    assert idx.shape == (n, n)
    for i, j in [(0, 0), (1, 2), (4095, 0), (17, 4000), (4095, 4095)]:
        assert idx[i, j] == j * n + i
    for k in (0, 5, n * n - 1, 123_456):
        np.testing.assert_array_equal(y.logical_indices_of(k), [[k % n, k // n]])
    del idx
    row = core.zeros(n, dtype=core.float32).expand(n, n)  # stride 0: 4096 readers each
    readers = row.logical_indices_of(7)
    assert readers.shape == (n, 2)
    np.testing.assert_array_equal(readers[:, 0], np.arange(n))
    assert (readers[:, 1] == 7).all()


# ---------------------------------------------------------------- address formula


def test_address_formula_of_the_issue_example() -> None:
    x = core.arange(12).view(3, 4)
    assert x.t().address_formula((1, 2)) == "0 + 1·1 + 2·4 = 9"


def test_address_formula_of_a_0d_tensor() -> None:
    x = core.arange(12)[5]
    assert x.address_formula(()) == "5 = 5"


@st.composite
def pairs_with_index(draw: st.DrawFn):
    pair = draw(tensor_pairs(allow_zero_size=False))
    index = tuple(draw(st.integers(-s, s - 1)) for s in pair.t.shape)
    return pair, index


def _normalised(index: tuple[int, ...], shape: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(i + s if i < 0 else i for i, s in zip(index, shape, strict=True))


@given(case=pairs_with_index())
def test_address_formula_spells_out_offset_index_and_strides(case) -> None:
    pair, index = case
    t = pair.t
    text = pair.c.address_formula(index)
    left, _, right = text.rpartition(" = ")
    k = int(expected_storage_indices(t)[index])
    assert int(right) == k, text
    terms = left.split(" + ")
    assert int(terms[0]) == t.storage_offset(), text
    pos = _normalised(index, tuple(t.shape))
    assert [tuple(int(v) for v in term.split("·")) for term in terms[1:]] == list(
        zip(pos, t.stride(), strict=True)
    ), text


@given(case=pairs_with_index())
def test_address_formula_result_is_the_storage_index(case) -> None:
    pair, index = case
    text = pair.c.address_formula(index)
    assert int(re.split(r"\s*=\s*", text)[-1]) == int(pair.c.storage_indices()[index])


@pytest.mark.parametrize("index", [(3, 0), (0, 4), (-4, 0), (0, -5), (0,), (0, 0, 0)])
def test_address_formula_rejects_bad_indices(index: tuple[int, ...]) -> None:
    x = core.arange(12).view(3, 4)
    with pytest.raises(IndexError):
        x.address_formula(index)


# ---------------------------------------------------------------- byte address


@given(case=pairs_with_index())
def test_byte_address_matches_torch_element_pointer(case) -> None:
    """torch: the element's data_ptr; core: storage data_ptr + k * element size."""
    pair, index = case
    c, t = pair
    t_rel = t[index].data_ptr() - t.untyped_storage().data_ptr()
    assert c.byte_address(index) - c.untyped_storage().data_ptr() == t_rel
    assert c.byte_address(index) == c[index].data_ptr()


# ---------------------------------------------------------------- is_view_of


@given(pair=tensor_pairs(), data=st.data())
def test_is_view_of_agrees_with_torch_storage_sharing(pair: TensorPair, data: st.DataObject):
    c, t = pair
    others = {
        "self": (c, t),
        "clone": (c.clone(), t.clone()),
        "contiguous": (c.contiguous(), t.contiguous()),
        "reshape": (c.reshape(-1), t.reshape(-1)),
        "flatten": (c.flatten(), t.flatten()),
        "detach": (c.detach(), t.detach()),
        "unsqueeze": (c.unsqueeze(0), t.unsqueeze(0)),
    }
    name = data.draw(st.sampled_from(sorted(others)), label="other")
    co, to = others[name]
    if to.untyped_storage().nbytes() == 0 or t.untyped_storage().nbytes() == 0:
        return  # torch gives every empty storage data_ptr 0: no verdict to compare with
    assert co.is_view_of(c) == shares_storage(to, t)
    assert c.is_view_of(co) == shares_storage(t, to)


def test_is_view_of_fresh_tensors_is_false() -> None:
    a, b = core.zeros(3), core.zeros(3)
    assert not a.is_view_of(b)
    assert a[1:].is_view_of(a) and a.is_view_of(a[1:]) and a[1:].is_view_of(a[:1])


# ---------------------------------------------------------------- view_failure


@st.composite
def view_failure_cases(draw: st.DrawFn):
    pair = draw(tensor_pairs())
    new_shape = draw(factor_shapes(pair.t.numel()))
    return pair, new_shape


def _check_failure(c: core.Tensor, t: torch.Tensor, new_shape: tuple[int, ...]) -> None:
    try:
        t.view(new_shape)
        torch_ok = True
    except RuntimeError:
        torch_ok = False
    failure = view_failure(c, new_shape)
    assert (failure is None) == torch_ok, f"view_failure={failure}, torch view ok={torch_ok}"
    if failure is None:
        return
    sizes, strides = tuple(t.shape), tuple(t.stride())
    chunks = failure.chunks
    # the chunks partition the old dims, in order
    assert [d for chunk in chunks for d in chunk] == list(range(t.dim())), chunks
    assert all(chunk for chunk in chunks), chunks
    # inside a chunk each dim steps exactly over the next one (size-1 dims have no step)
    for chunk in chunks:
        real = [d for d in chunk if sizes[d] != 1]
        for a, b in zip(real, real[1:], strict=False):
            assert strides[a] == sizes[b] * strides[b], (chunks, sizes, strides)
    # the chunks are maximal: neighbours could not be merged (where size-1 dims leave
    # no doubt about which chunk they belong to)
    for left, right in zip(chunks, chunks[1:], strict=False):
        a, b = left[-1], right[0]
        if sizes[a] != 1 and sizes[b] != 1:
            assert strides[a] != sizes[b] * strides[b], (chunks, sizes, strides)
    # the breaking dim is a new dim whose span straddles a chunk boundary
    numel = t.numel()
    known = math.prod(s for s in new_shape if s != -1)
    new = tuple(numel // known if s == -1 else s for s in new_shape)
    j = failure.breaking_dim
    assert 0 <= j < len(new), (j, new)
    boundaries = {math.prod(sizes[chunk[0] :]) for chunk in chunks[1:]}
    lo, hi = math.prod(new[j + 1 :]), math.prod(new[j:])
    assert any(lo < b < hi for b in boundaries), (j, new, chunks, sizes)
    assert isinstance(failure.message, str) and failure.message
    # each new dim spans the runs whose element counts its own range of counts overlaps,
    # and the breaking dim spans two or more
    assert len(failure.spans) == len(new)
    assert len(failure.spans[j]) >= 2, (failure.spans, j)
    for d, runs in enumerate(failure.spans):
        lo, hi = math.prod(new[d + 1 :]), math.prod(new[d:])
        for k, chunk in enumerate(chunks):
            start = math.prod(sizes[chunks[k + 1][0] :]) if k + 1 < len(chunks) else 1
            end = start * math.prod(sizes[e] for e in chunk)
            assert (k in runs) == (new[d] != 1 and lo < end and hi > start), (d, k, runs)


def test_runs_spanned_by_new_dims() -> None:
    assert core.layout.runs_spanned((4, 3), ((0,), (1,)), (12,)) == ((0, 1),)
    assert core.layout.runs_spanned((4, 3), ((0,), (1,)), (2, 6)) == ((0,), (0, 1))
    assert core.layout.runs_spanned((2, 3, 4), ((0,), (1, 2)), (2, 1, 12)) == ((0,), (), (1,))
    assert core.memory.view_failure(core.arange(12).view(3, 4).t(), 12).spans == ((0, 1),)


@given(case=view_failure_cases())
def test_view_failure_is_none_exactly_when_torch_views(case) -> None:
    pair, new_shape = case
    _check_failure(pair.c, pair.t, new_shape)


@pytest.mark.parametrize(
    ("shape", "steps", "new_shape"),
    [
        ((3, 4), [Step("t")], (12,)),
        ((2, 3, 4), [Step("transpose", (0, 1))], (3, 8)),
        ((2, 3, 4), [Step("permute", (2, 0, 1))], (2, 12)),
        ((4, 6), [Step("__getitem__", ((slice(None), slice(0, 3)),))], (12,)),
        ((1, 4), [Step("expand", (3, 4))], (12,)),
        ((2, 1, 3, 4), [Step("transpose", (2, 3))], (2, 12)),
    ],
)
def test_view_failure_on_known_non_views(shape, steps, new_shape) -> None:
    c = core.arange(math.prod(shape)).view(shape)
    t = torch.arange(math.prod(shape)).view(shape)
    for step in steps:
        c, t = step.apply(c), step.apply(t)
    with pytest.raises(RuntimeError):
        t.view(new_shape)  # the case table is about failures: torch agrees
    _check_failure(c, t, new_shape)


def test_view_failure_with_wrong_numel_raises_like_view() -> None:
    c = core.arange(12).view(3, 4).t()
    with pytest.raises(RuntimeError):
        torch.arange(12).view(3, 4).t().view(5)
    with pytest.raises(RuntimeError):
        view_failure(c, (5,))
