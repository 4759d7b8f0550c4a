"""The memory limit: every new buffer over it is refused before anything is allocated.

Each case below builds its inputs from broadcast views (one element of storage), then
makes one new buffer of at least n * n elements. With n = 10**6 that is terabytes:
a check after the allocation would fail with NumPy's MemoryError or run for hours,
so an instant ``core.OutOfMemoryError`` shows the check came first. With a size
NumPy can allocate, tracemalloc (which sees NumPy's buffers) shows that nothing of
the buffer's size was allocated, and the same case without a limit shows it would be.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
import pytest
import torch

import core
from core.memory import allocation_limit, check_allocation, current_allocation_limit
from core.storage import Storage

LIMIT = 1024
HUGE = 10**6  # n * n float32 elements: 3.64 TiB
MODERATE = 1024  # n * n float32 elements: 4 MiB, allocatable


def _wide(n: int, dtype: Any = None) -> core.Tensor:
    """An n x n broadcast view over a single element."""
    return core.ones(1, 1, dtype=dtype).expand(n, n)


def _wide3(n: int) -> core.Tensor:
    """An n x n x 2 broadcast view: reducing its last dim leaves n * n elements."""
    return core.ones(1, 1, 1).expand(n, n, 2)


def _wide_array(n: int) -> np.ndarray:
    """An n x n NumPy array over a single element (strides 0)."""
    return np.lib.stride_tricks.as_strided(np.ones(1, np.float32), (n, n), (0, 0))


Case = Callable[[int], Callable[[], Any]]  # n -> the call that allocates (inputs built already)

FACTORIES: dict[str, Case] = {
    "zeros": lambda n: partial(core.zeros, n, n),
    "ones": lambda n: partial(core.ones, n, n),
    "empty": lambda n: partial(core.empty, n, n),
    "zeros size=": lambda n: partial(core.zeros, size=(n, n)),
    "full": lambda n: partial(core.full, (n, n), 2.0),
    "empty_strided": lambda n: partial(core.empty_strided, (n, n), (n, 1)),
    "arange": lambda n: partial(core.arange, n * n),
    "arange float": lambda n: partial(core.arange, 0.0, float(n * n)),
    "linspace": lambda n: partial(core.linspace, 0, 1, n * n),
    "eye": lambda n: partial(core.eye, n),
    "rand": lambda n: partial(core.rand, n, n),
    "randn": lambda n: partial(core.randn, n, n),
    "randint": lambda n: partial(core.randint, 10, (n, n)),
    "zeros_like": lambda n: partial(core.zeros_like, _wide(n)),
    "ones_like": lambda n: partial(core.ones_like, _wide(n)),
    "empty_like": lambda n: partial(core.empty_like, _wide(n)),
    "full_like": lambda n: partial(core.full_like, _wide(n), 3.0),
    "new_zeros": lambda n: partial(core.ones(1).new_zeros, n, n),
    "new_full": lambda n: partial(core.ones(1).new_full, (n, n), 3.0),
    "new_empty_strided": lambda n: partial(core.ones(1).new_empty_strided, (n, n), (n, 1)),
    "tensor of an array": lambda n: partial(core.tensor, _wide_array(n)),
}

COPIES: dict[str, Case] = {
    "contiguous": lambda n: _wide(n).contiguous,
    "clone": lambda n: _wide(n).clone,
    # A row broadcast down the rows: strides (0, 1), which no view can merge.
    "reshape that copies": lambda n: partial(core.ones(1, n).expand(n, n).reshape, n * n),
    "flatten that copies": lambda n: core.ones(1, n).expand(n, n).flatten,
    "to float64": lambda n: partial(_wide(n).to, core.float64),
    "double": lambda n: _wide(n).double,
    "flip": lambda n: partial(_wide(n).flip, 0),
    "cat": lambda n: partial(core.cat, [_wide(n), _wide(n)]),
    "stack": lambda n: partial(core.stack, [_wide(n), _wide(n)]),
    "mm": lambda n: partial(core.mm, core.ones(1, 1).expand(n, 1), core.ones(1, 1).expand(1, n)),
    "matmul": lambda n: partial(
        core.matmul, core.ones(1, 1).expand(n, 1), core.ones(1, 1).expand(1, n)
    ),
    "bmm": lambda n: partial(
        core.bmm, core.ones(1, 1, 1).expand(1, n, 1), core.ones(1, 1, 1).expand(1, 1, n)
    ),
    "matmul batched": lambda n: partial(
        core.matmul, core.ones(1, 1, 1).expand(n, 1, 1), core.ones(1, 1).expand(1, n)
    ),
    "mv": lambda n: partial(core.mv, core.ones(1, 1).expand(n * n, 1), core.ones(1)),
    "add": lambda n: partial(core.add, _wide(n), 1),
    "mul of two views": lambda n: partial(core.mul, _wide(n), _wide(n)),
    "exp": lambda n: _wide(n).exp,
    "eq": lambda n: partial(core.eq, _wide(n, core.int64), 1),
    "where": lambda n: partial(core.where, _wide(n, core.bool), 1.0, 0.0),
    "clamp": lambda n: partial(core.clamp, _wide(n), 0.0, 0.5),
    "index with a tensor": lambda n: partial(_wide(n).__getitem__, core.zeros(n, dtype=core.int64)),
    "index with a broadcast tensor": lambda n: partial(
        core.ones(2).__getitem__, core.zeros(1, 1, dtype=core.int64).expand(n, n)
    ),
    "index with a mask": lambda n: partial(_wide(n).__getitem__, _wide(n, core.bool)),
    "index_put": lambda n: partial(
        _wide(n).index_put, (core.zeros(1, dtype=core.int64),), core.ones(())
    ),
    "nonzero": lambda n: _wide(n, core.bool).nonzero,
    "sum": lambda n: partial(_wide3(n).sum, -1),
    "mean": lambda n: partial(_wide3(n).mean, -1),
    "prod": lambda n: partial(_wide3(n).prod, -1),
    "max": lambda n: partial(_wide3(n).max, -1),
    "amax": lambda n: partial(_wide3(n).amax, -1),
    "argmin": lambda n: partial(_wide3(n).argmin, -1),
    "all": lambda n: partial(_wide3(n).all, -1),
    "var": lambda n: partial(_wide3(n).var, -1),
    "std": lambda n: partial(_wide3(n).std, -1),
    "var of everything": lambda n: _wide(n).var,
    "storage_indices": lambda n: _wide(n).storage_indices,
}

CASES = FACTORIES | COPIES

REFUSED = re.compile(
    r"refusing to allocate [\d.,]+ (bytes|KiB|MiB|GiB|TiB) for [\d,]+ \w+ elements: "
    r"over the memory limit of 1 KiB; use a smaller shape or raise the limit"
)


def _traced_peak(call: Callable[[], Any], limit: int | None) -> int:
    """The most memory traced at once while ``call`` runs (refused or not) under ``limit``."""
    tracemalloc.start()
    try:
        with allocation_limit(limit), contextlib.suppress(core.OutOfMemoryError):
            call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("name", CASES)
def test_a_huge_buffer_is_refused_at_once(name: str) -> None:
    call = CASES[name](HUGE)
    start = time.perf_counter()
    with allocation_limit(LIMIT), pytest.raises(core.OutOfMemoryError) as caught:
        call()
    assert time.perf_counter() - start < 1.0  # not after allocating or computing terabytes
    assert isinstance(caught.value, RuntimeError)
    assert REFUSED.fullmatch(str(caught.value)), str(caught.value)


@pytest.mark.parametrize("name", CASES)
def test_nothing_is_allocated_before_the_refusal(name: str) -> None:
    """tracemalloc sees NumPy's buffers: the refused call allocates nothing near their size."""
    call = CASES[name](MODERATE)
    with allocation_limit(LIMIT), pytest.raises(core.OutOfMemoryError):
        call()
    assert _traced_peak(call, LIMIT) < 64 * 2**10
    # The same call with no limit does allocate that much: the refusal above was real.
    assert _traced_peak(call, None) >= MODERATE * MODERATE


def test_the_message_gives_sizes_count_dtype_and_limit() -> None:
    with allocation_limit(256 * 2**20), pytest.raises(core.OutOfMemoryError) as caught:
        core.zeros(10**9)
    assert str(caught.value) == (
        "refusing to allocate 3.73 GiB for 1,000,000,000 float32 elements: "
        "over the memory limit of 256 MiB; use a smaller shape or raise the limit"
    )


def test_the_message_is_exact_when_rounding_would_hide_the_difference() -> None:
    with allocation_limit(256 * 2**20), pytest.raises(core.OutOfMemoryError) as caught:
        core.zeros(64 * 2**20 + 1)
    assert str(caught.value) == (
        "refusing to allocate 268,435,460 bytes for 67,108,865 float32 elements: "
        "over the memory limit of 268,435,456 bytes; use a smaller shape or raise the limit"
    )


def test_small_sizes_read_in_bytes() -> None:
    with allocation_limit(0), pytest.raises(core.OutOfMemoryError) as caught:
        core.zeros(1, dtype=core.bool)
    assert str(caught.value) == (
        "refusing to allocate 1 byte for 1 bool element: "
        "over the memory limit of 0 bytes; use a smaller shape or raise the limit"
    )


def test_out_of_memory_error_is_a_runtime_error_as_in_torch() -> None:
    assert issubclass(torch.OutOfMemoryError, RuntimeError)
    assert issubclass(core.OutOfMemoryError, RuntimeError)
    assert core.OutOfMemoryError is core.memory.OutOfMemoryError


@pytest.mark.parametrize(
    ("make", "nbytes"),
    [
        (lambda: core.zeros(256), 1024),
        (lambda: core.zeros(16, 16), 1024),
        (lambda: core.arange(128), 1024),
        (lambda: core.ones(1).expand(256).contiguous(), 1024),
        (lambda: core.ones(256) + core.ones(256), 1024),
        (lambda: core.cat([core.zeros(128), core.zeros(128)]), 1024),
        (lambda: core.ones(16, 1) @ core.ones(1, 16), 1024),
        (lambda: core.tensor([1.0] * 256), 1024),
        (lambda: core.eye(16, dtype=core.float64), 2048),
    ],
)
def test_a_limit_equal_to_the_bytes_needed_allows_the_buffer(
    make: Callable[[], core.Tensor], nbytes: int
) -> None:
    with allocation_limit(nbytes):
        assert make().nbytes == nbytes
    with allocation_limit(nbytes - 1), pytest.raises(core.OutOfMemoryError):
        make()


def test_a_tensor_from_a_long_list_is_refused() -> None:
    with allocation_limit(LIMIT), pytest.raises(core.OutOfMemoryError) as caught:
        core.tensor([0.5] * 257)
    assert "1,028 bytes for 257 float32 elements" in str(caught.value)


def test_views_of_a_huge_broadcast_tensor_still_work() -> None:
    with allocation_limit(LIMIT):
        big = core.ones(1, 1).expand(HUGE, HUGE)
        assert big.shape == (HUGE, HUGE)
        assert big.t().stride() == (0, 0)
        assert big[::2, 5:].shape == (HUGE // 2, HUGE - 5)
        assert big.unsqueeze(0).permute(2, 0, 1).shape == (HUGE, 1, HUGE)
        assert big.reshape(HUGE, 1, HUGE).stride() == (0, 0, 0)  # a view: no copy
        assert big.diagonal().shape == (HUGE,)
        assert big.select(0, 3).narrow(0, 0, 10).shape == (10,)
        assert big[:3, HUGE - 4 :].sum().item() == 12.0
        assert big[7, 9].item() == 1.0


def test_backward_through_a_broadcast_view_over_the_limit_allocates_nothing_big() -> None:
    leaf = core.ones(1, 1, requires_grad=True)
    with allocation_limit(LIMIT):
        leaf.expand(1000, 1000).sum().backward()  # sum's gradient is a broadcast view too
    assert leaf.grad.tolist() == [[1e6]]


def test_from_numpy_shares_memory_and_is_not_refused() -> None:
    array = np.zeros(1000, dtype=np.float64)
    with allocation_limit(LIMIT):
        shared = core.from_numpy(array)
    assert shared.nbytes == 8000
    assert shared.data_ptr() == array.ctypes.data


def test_storage_refuses_a_new_buffer_over_the_limit_as_a_safety_net() -> None:
    with allocation_limit(LIMIT), pytest.raises(core.OutOfMemoryError) as caught:
        Storage(np.empty(257, dtype=np.float32), core.float32, core.device("cpu"))
    assert "1,028 bytes for 257 float32 elements" in str(caught.value)


def test_the_limit_is_restored_after_the_block() -> None:
    assert current_allocation_limit() is None
    with allocation_limit(LIMIT):
        assert current_allocation_limit() == LIMIT
    assert current_allocation_limit() is None
    assert core.zeros(1000).numel() == 1000


def test_the_limit_is_restored_when_the_block_raises() -> None:
    with pytest.raises(core.OutOfMemoryError), allocation_limit(LIMIT):
        core.zeros(1000)
    assert current_allocation_limit() is None


def test_limits_nest() -> None:
    with allocation_limit(4096):
        with allocation_limit(LIMIT):
            assert current_allocation_limit() == LIMIT
            with pytest.raises(core.OutOfMemoryError):
                core.zeros(512)
            with allocation_limit(None):
                assert current_allocation_limit() is None
                assert core.zeros(10_000).numel() == 10_000
            assert current_allocation_limit() == LIMIT
        assert current_allocation_limit() == 4096
        assert core.zeros(512).nbytes == 2048
        with pytest.raises(core.OutOfMemoryError):
            core.zeros(1025)
    assert current_allocation_limit() is None


def test_each_thread_has_its_own_limit() -> None:
    seen: list[int | None] = []
    with allocation_limit(LIMIT):
        thread = threading.Thread(target=lambda: seen.append(current_allocation_limit()))
        thread.start()
        thread.join()
        assert current_allocation_limit() == LIMIT
    assert seen == [None]


def test_check_allocation_compares_bytes() -> None:
    with allocation_limit(800):
        check_allocation(100, core.float64)
        check_allocation(800, core.bool)
        with pytest.raises(core.OutOfMemoryError):
            check_allocation(101, core.float64)
    check_allocation(10**18, core.float64)  # no limit


@pytest.mark.parametrize("bad", [-1, -(2**40)])
def test_a_negative_limit_is_rejected(bad: int) -> None:
    with pytest.raises(ValueError, match="at least 0 bytes"), allocation_limit(bad):
        pass
    assert current_allocation_limit() is None
