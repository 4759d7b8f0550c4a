"""Python and NumPy interplay, compared with torch: operators with NumPy scalars, formatting,
augmented assignment, Python types as dtypes, Size, overflow of number arguments, float16
scalars, and indexing forms that PyTorch inherited from NumPy."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

import core
from tests.core.assertions import assert_same_error, assert_same_tensor


@pytest.mark.parametrize(
    "expression",
    [
        lambda lib: np.float64(2) * lib.arange(3.0),
        lambda lib: np.int64(2) + lib.arange(3),
        lambda lib: np.float64(3) // lib.arange(1.0, 4.0),
        lambda lib: lib.arange(3.0) * np.float32(0.5),
    ],
)
def test_numpy_scalars_on_either_side_give_tensors(expression) -> None:
    assert_same_tensor(expression(core), expression(torch))


def test_numpy_array_of_a_tensor_has_its_dtype_and_values() -> None:
    c, t = core.arange(6).view(2, 3).t(), torch.arange(6).view(2, 3).t()
    np.testing.assert_array_equal(np.asarray(c), np.asarray(t))
    assert np.asarray(c).dtype == np.asarray(t).dtype


@pytest.mark.parametrize("spec", ["", ".2f", ">8", "e"])
def test_zero_dim_tensors_format_as_their_number(spec: str) -> None:
    assert format(core.tensor(3.14159), spec) == format(torch.tensor(3.14159), spec)


@pytest.mark.parametrize("op", ["//=", "%=", "**=", "&=", "|=", "^=", "+=", "*="])
def test_augmented_assignment_writes_in_place(op: str) -> None:
    results = []
    for lib in (core, torch):
        base = lib.arange(1, 7)
        alias = base
        view = base[1:4]
        scope = {"view": view}
        exec(f"view {op} 2", scope)  # the operator as a student writes it
        results.append((base.tolist(), base._version, scope["view"] is view, alias is base))
    assert results[0] == results[1]


def test_augmented_assignment_through_an_index_counts_two_writes() -> None:
    versions = []
    for lib in (core, torch):
        x = lib.arange(4.0)
        x[0] **= 2
        versions.append((x.tolist(), x._version))
    assert versions[0] == versions[1]


@pytest.mark.parametrize("python_type", [float, int, bool])
def test_python_types_as_dtypes(python_type: type) -> None:
    assert_same_tensor(core.ones(2, dtype=python_type), torch.ones(2, dtype=python_type))
    assert_same_tensor(core.arange(3.0).to(python_type), torch.arange(3.0).to(python_type))


def test_size_slices_and_sums_stay_sizes() -> None:
    c, t = core.zeros(2, 3, 4).shape, torch.zeros(2, 3, 4).shape
    for pick in (lambda s: s[1:], lambda s: s + (5,), lambda s: (1,) + s, lambda s: s * 2):
        assert repr(pick(c)) == repr(pick(t)).replace("torch.", "core.")


@pytest.mark.parametrize(
    "expression",
    [
        lambda lib: lib.tensor([1, 2, 200], dtype=lib.uint8).clamp(0, 300),
        lambda lib: lib.tensor([1, 100], dtype=lib.int8).clamp(max=1000),
        lambda lib: lib.tensor([1.0], dtype=lib.float16).clamp(-1e6, 1e6),
        lambda lib: lib.where(lib.tensor([True, False]), lib.tensor([1, 2], dtype=lib.int8), 300),
        lambda lib: lib.full_like(lib.zeros(2, dtype=lib.uint8), 300),
        lambda lib: lib.tensor([1, 2], dtype=lib.int8) + 300,
    ],
)
def test_numbers_that_overflow_the_dtype(expression) -> None:
    assert_same_error(lambda: expression(core), lambda: expression(torch))


@pytest.mark.parametrize(
    "expression",
    [
        lambda lib: lib.tensor([1.0], dtype=lib.float16) == 1.0001,
        lambda lib: lib.tensor([1.0], dtype=lib.float16) < 1 + 1e-4,
        lambda lib: lib.tensor([2048.0], dtype=lib.float16) ** 1.0001,
        lambda lib: lib.tensor([1.0], dtype=lib.float16) == lib.tensor(1.0001),
    ],
)
def test_float16_rounds_other_operands_first(expression) -> None:
    assert_same_tensor(expression(core), expression(torch))


def test_fill_with_a_zero_dim_tensor_from_the_same_storage() -> None:
    results = []
    for lib in (core, torch):
        x = lib.arange(12.0).reshape(3, 4)
        x[0].fill_(x[0, 1])
        results.append((x.tolist(), x._version))
    assert results[0] == results[1]


def test_vector_at_matrix_is_a_new_tensor_written_once() -> None:
    c, t = core.arange(3.0) @ core.ones(3, 2), torch.arange(3.0) @ torch.ones(3, 2)
    assert_same_tensor(c, t)
    assert (c._base is None, c._version) == (t._base is None, t._version)


@pytest.mark.parametrize(
    "index",
    [
        lambda lib: [[0, 1], [1, 0]],
        lambda lib: [[0], [1]],
        lambda lib: [0, slice(1, 3)],
        lambda lib: [0, None],
        lambda lib: [0, Ellipsis],
        lambda lib: lib.tensor(1, dtype=lib.uint8),
        lambda lib: lib.tensor([1, 0], dtype=lib.uint8),
        lambda lib: lib.tensor([0, 1], dtype=lib.int8),
        lambda lib: lib.tensor([0, 1], dtype=lib.int32),
    ],
)
def test_indexing_forms_inherited_from_numpy(index) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # both libraries deprecate these forms
        assert_same_error(
            lambda: core.arange(24.0).reshape(2, 3, 4)[index(core)],
            lambda: torch.arange(24.0).reshape(2, 3, 4)[index(torch)],
        )


def test_writing_through_an_index_that_aliases_the_target_raises() -> None:
    def write(lib):
        idx = lib.tensor([0, 1])
        idx[idx] = 5
        return idx

    assert_same_error(lambda: write(core), lambda: write(torch))


@pytest.mark.parametrize(
    "expression",
    [
        lambda lib: lib.tensor([-128], dtype=lib.int8) // -1,
        lambda lib: lib.tensor([float("nan"), float("inf")]).to(lib.int64).shape,
        lambda lib: lib.tensor([7e4]).to(lib.float16),
        lambda lib: lib.ones(70000, dtype=lib.float16).sum(),
    ],
)
def test_no_numpy_warning_leaks(expression) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        expression(core)


@pytest.mark.parametrize(
    "build",
    [
        lambda lib: lib.tensor(np.arange(3)[::-1]),
        lambda lib: lib.tensor(range(3)),
        lambda lib: lib.tensor([np.array([1.0]), np.array([2.0])]),
        lambda lib: lib.tensor([1, [2]]),
        lambda lib: lib.tensor([2**63]),
        lambda lib: lib.tensor(None),
        lambda lib: lib.tensor([1.0]) | 1,
        lambda lib: ~lib.tensor([1.0]),
        lambda lib: lib.zeros(size=(2, 3)),
        lambda lib: lib.arange(2, end=6),
    ],
)
def test_construction_and_operator_edge_cases(build) -> None:
    assert_same_error(lambda: build(core), lambda: build(torch))


def test_tensor_of_a_tensor_warns_like_torch() -> None:
    for lib in (core, torch):
        with pytest.warns(UserWarning, match="recommended to use sourceTensor.detach"):
            lib.tensor(lib.ones(2))


def test_read_only_numpy_arrays_warn_and_core_refuses_to_write() -> None:
    array = np.arange(3.0)
    array.flags.writeable = False
    for lib in (core, torch):
        with pytest.warns(UserWarning, match="The given NumPy array is not writable"):
            lib.from_numpy(array)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        shared = core.from_numpy(array)
    # PyTorch writes into the read-only memory (undefined behaviour); core says how to copy.
    with pytest.raises(RuntimeError, match="read-only NumPy array"):
        shared.add_(1)
    np.testing.assert_array_equal(array, [0.0, 1.0, 2.0])


@pytest.mark.parametrize(
    "make",
    [
        lambda t: t.new_zeros(2, 3),
        lambda t: t.new_ones((2,), dtype=t.dtype),
        lambda t: t.new_full((2, 2), 7),
        lambda t: t.new_tensor([1, 2]),
        lambda t: t.new_empty(0, 4),
    ],
)
@pytest.mark.parametrize("name", ["int16", "float64", "bool"])
def test_new_factories_take_dtype_and_device_from_the_tensor(make, name: str) -> None:
    c = make(core.ones(1, dtype=getattr(core, name)))
    t = make(torch.ones(1, dtype=getattr(torch, name)))
    assert (tuple(c.shape), c.stride(), c.dtype.name) == (
        tuple(t.shape),
        t.stride(),
        str(t.dtype).removeprefix("torch."),
    )
    if c.numel():
        np.testing.assert_array_equal(c.numpy(), t.numpy())


def test_numpy_with_force_shares_a_cpu_tensors_memory_even_when_it_requires_grad():
    ours, theirs = core.ones(3, requires_grad=True), torch.ones(3, requires_grad=True)
    our_array, their_array = ours.numpy(force=True), theirs.numpy(force=True)
    with core.no_grad():
        ours.add_(1)
    with torch.no_grad():
        theirs.add_(1)
    assert our_array.tolist() == their_array.tolist() == [2.0, 2.0, 2.0]
