"""flip, nonzero and one-argument where against torch, on random layouts."""

from __future__ import annotations

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import core
from tests.core.assertions import assert_same_error, assert_same_tensor
from tests.core.tensor_pairs import TensorPair, tensor_pairs


@given(pair=tensor_pairs(), data=st.data())
def test_flip_matches_torch(pair: TensorPair, data: st.DataObject) -> None:
    c, t = pair
    rank = max(t.dim(), 1)
    dims = data.draw(st.lists(st.integers(-rank - 1, rank), max_size=3), label="dims")
    result = assert_same_error(lambda: c.flip(dims), lambda: t.flip(dims))
    if result is not None:
        assert_same_tensor(*result)


@given(pair=tensor_pairs())
def test_nonzero_matches_torch_values_and_layout(pair: TensorPair) -> None:
    c, t = pair
    assert_same_tensor(c.nonzero(), t.nonzero())
    for c_column, t_column in zip(c.nonzero(as_tuple=True), t.nonzero(as_tuple=True), strict=True):
        assert_same_tensor(c_column, t_column)
        assert (c_column._base is None) == (t_column._base is None)


@pytest.mark.parametrize("values", [[True, False, True], [[1, 0], [0, 3]], 5, 0, []])
def test_where_with_only_a_condition_gives_indices(values) -> None:
    c_result = core.where(core.tensor(values) != 0)
    t_result = torch.where(torch.tensor(values) != 0)
    assert len(c_result) == len(t_result)
    for c_index, t_index in zip(c_result, t_result, strict=True):
        assert_same_tensor(c_index, t_index)
