"""Cell geometry of the memory views: exact layouts, and every mapping checked against numpy."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import core
from app.cell_tiling import GAP, WRAP_ABOVE, LogicalTiling, TileLabel, default_row_width
from app.storage_geometry import StorageReach, StorageWrapping, reach_mask
from core.layout import storage_indices

QUICK = settings(max_examples=60, deadline=None)
REPO_ROOT = Path(__file__).resolve().parents[2]


def all_indices(shape: tuple[int, ...]) -> np.ndarray:
    """Every logical index of ``shape`` in row-major order: int64 (numel, ndim)."""
    return np.array(list(np.ndindex(*shape)), dtype=np.int64).reshape(
        int(np.prod(shape)), len(shape)
    )


def every_cell(tiling: LogicalTiling) -> tuple[np.ndarray, np.ndarray]:
    return np.arange(tiling.rows), np.arange(tiling.cols)


# -- exact layouts -----------------------------------------------------------------


def test_a_matrix_is_one_tile_read_row_by_row() -> None:
    x = core.arange(12).view(3, 4)
    tiling = LogicalTiling(x.shape, "x")
    assert (tiling.rows, tiling.cols) == (3, 4)
    assert tiling.storage_image(x.storage_indices()).tolist() == [
        [0, 1, 2, 3],
        [4, 5, 6, 7],
        [8, 9, 10, 11],
    ]


def test_a_transpose_shows_storage_indices_column_by_column() -> None:
    y = core.arange(12).view(3, 4).t()
    tiling = LogicalTiling(y.shape, "y")
    assert tiling.storage_image(y.storage_indices()).tolist() == [
        [0, 4, 8],
        [1, 5, 9],
        [2, 6, 10],
        [3, 7, 11],
    ]
    assert tiling.logical_index_at(1, 2) == (1, 2)
    assert tiling.cells_of(np.array([[1, 2]])).tolist() == [[1, 2]]


def test_zero_and_one_dim_tensors_are_one_cell_and_one_row() -> None:
    scalar = LogicalTiling((), "s")
    assert (scalar.rows, scalar.cols) == (1, 1)
    assert scalar.logical_index_at(0, 0) == ()
    assert scalar.storage_image(core.tensor(5.0).storage_indices()).tolist() == [[0]]
    vector = core.arange(10)[2:8:2]
    row = LogicalTiling(vector.shape, "v")
    assert (row.rows, row.cols) == (1, 3)
    assert row.storage_image(vector.storage_indices()).tolist() == [[2, 4, 6]]
    assert row.logical_index_at(0, 2) == (2,)
    assert row.logical_index_at(1, 0) is None


def test_a_long_vector_wraps_into_rows_labelled_by_their_first_index() -> None:
    v = core.arange(300)[::3]  # 100 elements, stride 3
    tiling = LogicalTiling(v.shape, "v")
    assert (tiling.wrap_width, tiling.rows, tiling.cols) == (16, 7, 16)
    image = tiling.storage_image(v.storage_indices())
    assert image[0].tolist() == [3 * k for k in range(16)]
    assert image[6].tolist() == [3 * k for k in range(96, 100)] + [GAP] * 12
    assert tiling.logical_index_at(6, 3) == (99,)
    assert tiling.logical_index_at(6, 4) is None
    assert tiling.logical_index_at(7, 0) is None
    assert tiling.cells_of(np.array([[0], [16], [99]])).tolist() == [[0, 0], [1, 0], [6, 3]]
    assert tiling.row_labels_in(-1, 2, limit=10) == [(0, "0"), (1, "16"), (2, "32")]
    assert tiling.row_labels_in(5, 9, limit=10) == [(5, "80"), (6, "96")]
    assert tiling.row_labels_in(0, 6, limit=3) == []
    assert tiling.tile_labels_in(0, 6, 0, 15, limit=10) == []


def test_a_vector_wraps_only_past_the_threshold_and_sixteen_million_make_a_square() -> None:
    one_row = LogicalTiling((WRAP_ABOVE,), "v")
    assert (one_row.rows, one_row.cols, one_row.wrap_width) == (1, WRAP_ABOVE, None)
    assert one_row.row_labels_in(0, 1, limit=10) == []
    square = LogicalTiling((4096 * 4096,), "v")
    assert (square.rows, square.cols) == (4096, 4096)
    assert square.logical_index_at(4095, 4095) == (4096 * 4096 - 1,)
    index = square.storage_index_block(np.array([0, 4095]), np.array([0, 4095]), (2,), 7)
    assert index.tolist() == [[7, 7 + 2 * 4095], [7 + 2 * 4095 * 4096, 7 + 2 * (4096**2 - 1)]]
    # Ten billion elements: about 2**17 a row, and every cell maps back exactly.
    huge = LogicalTiling((10_000_000_000,), "v")
    assert huge.cols == 2**17 and huge.rows == -(-10_000_000_000 // 2**17)
    last = 10_000_000_000 - 1
    assert huge.logical_index_at(*huge.cells_of(np.array([[last]]))[0].tolist()) == (last,)
    assert huge.logical_index_at(huge.rows - 1, huge.cols - 1) is None


def test_three_dims_stack_slices_with_a_gap_row_and_captions() -> None:
    x = core.arange(24).view(2, 3, 4)
    tiling = LogicalTiling(x.shape, "x")
    assert (tiling.tiles_down, tiling.tiles_across) == (2, 1)
    assert tiling.storage_image(x.storage_indices()).tolist() == [
        [0, 1, 2, 3],
        [4, 5, 6, 7],
        [8, 9, 10, 11],
        [GAP, GAP, GAP, GAP],
        [12, 13, 14, 15],
        [16, 17, 18, 19],
        [20, 21, 22, 23],
    ]
    assert tiling.logical_index_at(3, 1) is None
    assert tiling.logical_index_at(4, 1) == (1, 0, 1)
    assert tiling.tile_labels_in(0, 6, 0, 3, limit=10) == [
        TileLabel(0, 0, 4, 3, "x[0, :, :]"),
        TileLabel(4, 0, 4, 3, "x[1, :, :]"),
    ]


def test_picked_dims_make_the_remaining_dim_pick_the_tile() -> None:
    x = core.arange(24).view(2, 3, 4)
    tiling = LogicalTiling(x.shape, "x", row_dim=2, col_dim=0)
    assert (tiling.tile_height, tiling.tile_width, tiling.tile_count) == (4, 2, 3)
    # Three 4×2 tiles: two across, one below.
    assert (tiling.tiles_down, tiling.tiles_across) == (2, 2)
    image = tiling.storage_image(x.storage_indices())
    assert image.tolist() == [
        [0, 12, GAP, 4, 16],
        [1, 13, GAP, 5, 17],
        [2, 14, GAP, 6, 18],
        [3, 15, GAP, 7, 19],
        [GAP, GAP, GAP, GAP, GAP],
        [8, 20, GAP, GAP, GAP],
        [9, 21, GAP, GAP, GAP],
        [10, 22, GAP, GAP, GAP],
        [11, 23, GAP, GAP, GAP],
    ]
    assert [label.text for label in tiling.tile_labels_in(0, 8, 0, 4, limit=10)] == [
        "x[:, 0, :]",
        "x[:, 1, :]",
        "x[:, 2, :]",
    ]
    assert tiling.tile_labels_in(0, 8, 0, 4, limit=2) == []


def test_many_slices_tile_into_a_square_grid() -> None:
    tiling = LogicalTiling((16, 2, 2), "x")
    assert (tiling.tiles_down, tiling.tiles_across) == (4, 4)
    assert (tiling.rows, tiling.cols) == (11, 11)


def test_row_and_column_dims_must_differ_and_exist() -> None:
    with pytest.raises(ValueError, match="must differ"):
        LogicalTiling((2, 3, 4), "x", row_dim=1, col_dim=-2)
    with pytest.raises(IndexError, match="out of range"):
        LogicalTiling((2, 3), "x", row_dim=2)


def test_an_empty_tensor_has_no_cells() -> None:
    tiling = LogicalTiling((0, 3, 4), "x")
    assert (tiling.rows, tiling.cols) == (0, 0)
    assert tiling.storage_image(np.zeros((0, 3, 4), dtype=np.int64)).shape == (0, 0)


# -- every mapping against numpy ----------------------------------------------------


@st.composite
def permuted_tensors(draw: st.DrawFn) -> core.Tensor:
    """A contiguous tensor of 0 to 4 dims seen through a random permutation and a slice."""
    shape = tuple(draw(st.lists(st.integers(1, 4), min_size=0, max_size=4)))
    tensor = core.arange(int(np.prod(shape))).view(shape) if shape else core.tensor(3)
    tensor = tensor.permute(tuple(draw(st.permutations(range(len(shape))))))
    if tensor.dim() and draw(st.booleans()):
        dim = draw(st.integers(0, tensor.dim() - 1))
        step = draw(st.integers(1, 2))
        tensor = tensor.transpose(0, dim)[::step]
    return tensor


@st.composite
def long_vectors(draw: st.DrawFn) -> core.Tensor:
    """A 1-D tensor long enough to wrap into rows, with a random step and offset."""
    count = draw(st.integers(WRAP_ABOVE + 1, 600))
    step, offset = draw(st.integers(1, 3)), draw(st.integers(0, 5))
    return core.arange(offset + count * step)[offset::step]


@st.composite
def tilings(draw: st.DrawFn) -> tuple[core.Tensor, LogicalTiling]:
    tensor = draw(st.one_of(permuted_tensors(), long_vectors()))
    row_dim = col_dim = None
    if tensor.dim() >= 2:
        row_dim, col_dim = draw(st.permutations(range(tensor.dim())))[:2]
    return tensor, LogicalTiling(tensor.shape, "t", row_dim, col_dim)


@QUICK
@given(tilings())
def test_every_element_has_one_cell_and_every_cell_reads_back(case) -> None:
    tensor, tiling = case
    indices = all_indices(tensor.shape)
    cells = tiling.cells_of(indices)
    assert len({tuple(cell) for cell in cells.tolist()}) == tensor.numel()
    assert ((cells >= 0) & (cells < [tiling.rows, tiling.cols])).all()

    found, shown = tiling.logical_indices_block(*every_cell(tiling))
    assert shown.sum() == tensor.numel()
    assert (found[cells[:, 0], cells[:, 1]] == indices).all()
    assert shown[cells[:, 0], cells[:, 1]].all()
    for index, (row, col) in zip(indices[:5].tolist(), cells[:5].tolist(), strict=False):
        assert tiling.logical_index_at(row, col) == tuple(index)


@QUICK
@given(tilings())
def test_storage_image_and_block_agree_with_storage_indices(case) -> None:
    tensor, tiling = case
    expected = tensor.storage_indices()
    image = tiling.storage_image(expected)
    block = tiling.storage_index_block(
        *every_cell(tiling), tensor.stride(), tensor.storage_offset()
    )
    assert (image == block).all()
    cells = tiling.cells_of(all_indices(tensor.shape))
    assert (image[cells[:, 0], cells[:, 1]] == expected.reshape(-1)).all()
    assert (image == GAP).sum() == tiling.rows * tiling.cols - tensor.numel()


def test_a_block_can_ask_beyond_the_grid() -> None:
    tiling = LogicalTiling((2, 3), "x")
    block = tiling.storage_index_block(np.array([-1, 1, 5]), np.array([2, 3]), (3, 1), 0)
    assert block.tolist() == [[GAP, GAP], [5, GAP], [GAP, GAP]]


# -- storage strip ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "width"), [(0, 1), (12, 12), (16, 16), (100, 16), (1000, 32), (4096 * 4096, 4096)]
)
def test_default_width_keeps_rows_readable(count: int, width: int) -> None:
    assert default_row_width(count) == width


def test_storage_wraps_into_rows() -> None:
    strip = StorageWrapping(10, 4)
    assert (strip.rows, strip.cols) == (3, 4)
    assert strip.cells_of(np.array([0, 5, 9])).tolist() == [[0, 0], [1, 1], [2, 1]]
    assert strip.storage_index_at(2, 1) == 9
    assert strip.storage_index_at(2, 2) is None
    assert strip.storage_index_at(0, 4) is None
    assert strip.storage_index_block(np.arange(3), np.arange(4)).tolist() == [
        [0, 1, 2, 3],
        [4, 5, 6, 7],
        [8, 9, GAP, GAP],
    ]


@st.composite
def strided_layouts(draw: st.DrawFn) -> core.Tensor:
    """Any layout as_strided allows over a small storage: sliced, expanded, overlapping."""
    storage = core.arange(40)
    ndim = draw(st.integers(0, 3))
    sizes = tuple(draw(st.lists(st.integers(0, 4), min_size=ndim, max_size=ndim)))
    strides = tuple(draw(st.lists(st.integers(0, 9), min_size=ndim, max_size=ndim)))
    reach = sum((size - 1) * stride for size, stride in zip(sizes, strides, strict=True) if size)
    offset = draw(st.integers(0, max(39 - reach, 0)))
    if reach + offset > 39:
        sizes = (0,) * ndim
    return storage.as_strided(sizes, strides, offset)


@QUICK
@given(strided_layouts())
def test_reach_equals_the_set_of_storage_indices(tensor) -> None:
    count = tensor.untyped_storage().element_count
    expected = np.zeros(count, dtype=bool)
    expected[tensor.storage_indices().reshape(-1)] = True
    reach = StorageReach(tensor.shape, tensor.stride(), tensor.storage_offset(), count)
    asked = np.arange(-2, count + 3)
    assert (reach.reached(asked) == np.isin(asked, np.flatnonzero(expected))).all()


@QUICK
@given(strided_layouts())
def test_the_reach_mask_equals_a_mask_built_from_every_element(tensor) -> None:
    count = tensor.untyped_storage().element_count
    layout = (tuple(tensor.shape), tuple(tensor.stride()), tensor.storage_offset())
    brute_force = np.zeros(count, dtype=bool)
    brute_force[storage_indices(*layout).reshape(-1)] = True
    assert reach_mask(*layout, count).tolist() == brute_force.tolist()


def test_overlapping_layouts_of_billions_of_elements_cost_their_storage() -> None:
    # 64·10^9 overlapping windows: a mask from every element's index would need 512 GB.
    windows = core.arange(16_000_000).unfold(0, 4000, 1)
    reach = StorageReach(windows.shape, windows.stride(), windows.storage_offset(), 16_000_000)
    assert reach.reached(np.array([-1, 0, 12_345_678, 15_999_999, 16_000_000])).tolist() == [
        False,
        True,
        True,
        True,
        False,
    ]
    # 3a + 5b for a < 2·10^6, b < 10^6 (2·10^12 elements): every number up to the span
    # 3(2·10^6 - 1) + 5(10^6 - 1) but 1, 2, 4, 7 (no sum of 3s and 5s) and the span less those.
    sums = core.arange(16_000_000).as_strided((2_000_000, 1_000_000), (3, 5))
    mask = reach_mask(tuple(sums.shape), tuple(sums.stride()), 0, 16_000_000)
    span = 3 * (2_000_000 - 1) + 5 * (1_000_000 - 1)
    unreached = [1, 2, 4, 7, span - 7, span - 4, span - 2, span - 1]
    assert np.flatnonzero(~mask[: span + 1]).tolist() == unreached
    assert not mask[span + 1 :].any()


def test_reach_of_a_sliced_matrix_and_of_unfold() -> None:
    x = core.arange(12).view(3, 4)
    part = x[1:, ::2]
    reach = StorageReach(part.shape, part.stride(), part.storage_offset(), 12)
    assert np.flatnonzero(reach.reached(np.arange(12))).tolist() == [4, 6, 8, 10]
    windows = core.arange(6).unfold(0, 3, 1)
    reach = StorageReach(windows.shape, windows.stride(), windows.storage_offset(), 6)
    assert reach.reached(np.arange(6)).all()
