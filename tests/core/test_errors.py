"""Misuse: every case runs in core and in torch; core must raise the same builtin
exception class (IndexError, ValueError, TypeError, RuntimeError: the first of
these in the exception's MRO), with a non-empty message of its own, never a raw
NumPy error."""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import core
from tests.core.assertions import builtin_error_class
from tests.core.math_strategies import quiet

Case = Callable[[Any], Any]  # receives the module (core or torch)


def _setitem(x: Any, key: Any, value: Any) -> None:
    x[key] = value


def _requires_grad_tensor(m: Any) -> Any:
    return m.tensor([1.0], requires_grad=True)


# name -> (case, words of which core's message must contain at least one, or ())
CASES: dict[str, tuple[Case, tuple[str, ...]]] = {
    # views and shapes
    "view wrong numel": (lambda m: m.ones(2, 3).view(4), ("6",)),
    "view incompatible strides": (lambda m: m.ones(2, 3).t().view(6), ("reshape", "contiguous")),
    "view incompatible strides 3d": (
        lambda m: m.ones(2, 3, 4).permute(0, 2, 1).view(2, 12),
        ("reshape", "contiguous"),
    ),
    "view two -1": (lambda m: m.ones(2, 3).view(-1, -1), ()),
    "reshape wrong numel": (lambda m: m.ones(2, 3).reshape(5), ("6",)),
    "expand incompatible": (lambda m: m.ones(2, 3).expand(3, 3), ()),
    "expand fewer dims": (lambda m: m.ones(2, 3).expand(3), ()),
    "broadcast_to incompatible": (lambda m: m.broadcast_to(m.ones(2, 3), (2, 2)), ()),
    "broadcast_shapes incompatible": (lambda m: m.broadcast_shapes((2, 3), (4, 3)), ()),
    "permute duplicate": (lambda m: m.ones(2, 3).permute(0, 0), ()),
    "permute wrong length": (lambda m: m.ones(2, 3).permute(0), ()),
    "narrow too long": (lambda m: m.ones(2, 3).narrow(1, 2, 5), ()),
    "split size 0": (lambda m: m.ones(2, 3).split(0), ()),
    "chunk 0": (lambda m: m.ones(2, 3).chunk(0), ()),
    "unfold too large": (lambda m: m.ones(2, 3).unfold(1, 5, 1), ()),
    "diagonal same dims": (lambda m: m.ones(2, 3).diagonal(0, 0, 0), ()),
    "as_strided negative offset": (lambda m: m.ones(2, 3).as_strided((2, 3), (1, 1), -1), ()),
    "flatten start after end": (lambda m: m.ones(2, 3).flatten(1, 0), ()),
    "unflatten bad sizes": (lambda m: m.ones(2, 3).unflatten(1, (2, 2)), ()),
    # dims out of range
    "sum dim out of range": (lambda m: m.ones(2, 3).sum(2), ()),
    "transpose dim out of range": (lambda m: m.ones(2, 3).transpose(0, 2), ()),
    "unsqueeze dim out of range": (lambda m: m.ones(2, 3).unsqueeze(3), ()),
    "squeeze dim out of range": (lambda m: m.ones(2, 3).squeeze(3), ()),
    "select index out of range": (lambda m: m.ones(2, 3).select(0, 5), ()),
    "movedim out of range": (lambda m: m.ones(2, 3).movedim(0, 2), ()),
    "size dim out of range": (lambda m: m.ones(2, 3).size(2), ()),
    "stride dim out of range": (lambda m: m.ones(2, 3).stride(-3), ()),
    "max dim out of range": (lambda m: m.ones(2, 3).max(-3), ()),
    # indexing
    "index out of range": (lambda m: m.ones(2, 3)[2], ("2",)),
    "second index out of range": (lambda m: m.ones(2, 3)[0, 3], ("3",)),
    "negative index out of range": (lambda m: m.ones(2, 3)[-3], ()),
    "too many indices": (lambda m: m.ones(2, 3)[0, 0, 0], ()),
    "float tensor as index": (lambda m: m.ones(2, 3)[m.tensor([0.0])], ()),
    "python float as index": (lambda m: m.ones(2, 3)[1.0], ()),
    "int list index out of range": (lambda m: m.ones(2, 3)[[0, 5]], ()),
    "int tensor index out of range": (lambda m: m.ones(2, 3)[m.tensor([5])], ()),
    "bool mask wrong shape": (lambda m: m.ones(2, 3)[m.tensor([True, False, True])], ()),
    "negative slice step": (lambda m: m.ones(2, 3)[::-1], ()),
    "zero slice step": (lambda m: m.ones(2, 3)[::0], ()),
    "setitem out of range": (lambda m: _setitem(m.ones(2, 3), 5, 1.0), ()),
    "setitem shape mismatch": (lambda m: _setitem(m.zeros(4), slice(1, 3), m.ones(3)), ()),
    "setitem string value": (lambda m: _setitem(m.zeros(4), 0, "a"), ()),
    # conversions
    "item of many": (lambda m: m.ones(2, 3).item(), ()),
    "item of none": (lambda m: m.ones(0).item(), ()),
    "bool of many": (lambda m: bool(m.ones(2, 3)), ()),
    "bool of empty": (lambda m: bool(m.ones(0)), ()),
    "int of many": (lambda m: int(m.ones(2)), ()),
    "float of many": (lambda m: float(m.ones(2)), ()),
    "len of 0-d": (lambda m: len(m.tensor(1.0)), ()),
    "iter of 0-d": (lambda m: iter(m.tensor(1.0)), ()),
    # dtypes
    "bad dtype string": (lambda m: m.zeros(2, dtype="float33"), ()),
    "bad dtype object": (lambda m: m.zeros(2, dtype=3), ()),
    "tensor of strings": (lambda m: m.tensor([1, "a"]), ()),
    "ragged nested list": (lambda m: m.tensor([[1, 2], [3]]), ()),
    "uint8 overflow in tensor()": (lambda m: m.tensor([300], dtype=m.uint8), ()),
    "mean of int": (lambda m: m.arange(4).mean(), ()),
    "var of int": (lambda m: m.arange(4).var(), ()),
    "neg of bool": (lambda m: -m.tensor([True]), ()),
    "bool minus bool": (lambda m: m.tensor([True]) - m.tensor([False]), ()),
    "where non-bool condition": (lambda m: m.where(m.tensor([1, 0]), 1.0, 2.0), ()),
    "int add_ float": (lambda m: m.arange(3).add_(1.5), ("Float", "Long", "float", "int")),
    "int div_": (lambda m: m.arange(3).div_(2), ()),
    "int alpha float": (lambda m: m.arange(3).add_(m.arange(3), alpha=0.5), ()),
    "matmul dtype mismatch": (lambda m: m.ones(2, 2) @ m.ones(2, 2, dtype=m.float64), ()),
    # math
    "broadcast mismatch": (lambda m: m.ones(2, 3) + m.ones(3, 2), ()),
    "broadcast mismatch inplace": (lambda m: m.ones(3).add_(m.ones(2, 3)), ()),
    "int floor-divide by zero": (lambda m: m.arange(3) // 0, ()),
    "int remainder by zero": (lambda m: m.arange(3) % 0, ()),
    "int to negative int power": (lambda m: m.arange(3) ** -1, ()),
    "clamp without bounds": (lambda m: m.ones(3).clamp(), ()),
    "max of empty": (lambda m: m.ones(0).max(), ()),
    "max of empty along empty dim": (lambda m: m.ones(0, 3).max(0), ()),
    "matmul shape mismatch": (lambda m: m.ones(2, 3) @ m.ones(4, 2), ()),
    "matmul 0-d": (lambda m: m.tensor(1.0) @ m.ones(2), ()),
    "mm of 1-d": (lambda m: m.mm(m.ones(2, 3), m.ones(3)), ()),
    "bmm of 2-d": (lambda m: m.bmm(m.ones(2, 3), m.ones(3, 2)), ()),
    "cat mismatched shapes": (lambda m: m.cat([m.ones(2, 3), m.ones(2, 4)]), ()),
    "cat mismatched dims": (lambda m: m.cat([m.ones(2, 3), m.ones(3)]), ()),
    "cat dim out of range": (lambda m: m.cat([m.ones(2, 3), m.ones(2, 3)], 2), ()),
    "cat of a tensor": (lambda m: m.cat(m.ones(2, 3)), ()),
    "cat of nothing": (lambda m: m.cat([]), ()),
    "cat of 0-d": (lambda m: m.cat([m.tensor(1.0)]), ()),
    "stack mismatched shapes": (lambda m: m.stack([m.ones(2), m.ones(3)]), ()),
    # writes
    "write to expanded": (lambda m: m.zeros(3, 1).expand(3, 4).add_(1), ("clone", "memory")),
    "copy_ into expanded": (lambda m: m.zeros(3, 1).expand(3, 4).copy_(m.ones(3, 4)), ()),
    "fill_ with 1-d tensor": (lambda m: m.zeros(3).fill_(m.ones(1)), ()),
    # factories
    "negative size": (lambda m: m.zeros(2, -1), ()),
    "float size": (lambda m: m.zeros(2.5), ()),
    "arange zero step": (lambda m: m.arange(0, 5, 0), ()),
    "arange wrong direction": (lambda m: m.arange(5, 0), ()),
    "empty_strided length mismatch": (lambda m: m.empty_strided((2, 3), (1,)), ()),
    "from_numpy negative strides": (lambda m: m.from_numpy(np.arange(5)[::-1]), ("stride",)),
    "from_numpy object array": (lambda m: m.from_numpy(np.array([1, "a"], dtype=object)), ()),
    "from_numpy of a list": (lambda m: m.from_numpy([1, 2]), ()),
    "randint empty range": (lambda m: m.randint(5, 5, (2,)), ()),
}

REQUIRES_GRAD_CASES: dict[str, tuple[Case, tuple[str, ...]]] = {
    "numpy() of requires_grad": (lambda m: _requires_grad_tensor(m).numpy(), ("detach",)),
    "requires_grad on int": (lambda m: m.tensor([1], requires_grad=True), ()),
}


def _requires_grad_supported() -> bool:
    try:
        return bool(core.tensor([1.0], requires_grad=True).requires_grad)
    except TypeError:
        return False


def _raise(case: Case, m: Any) -> BaseException:
    try:
        if m is torch:
            quiet(lambda: case(m))()  # torch's deprecation warnings are not the point
        else:
            case(m)
    except Exception as exc:  # the point: capture whatever was raised
        return exc
    raise AssertionError(f"{m.__name__} raised nothing")


def _check(case: Case, words: tuple[str, ...]) -> None:
    t_exc = _raise(case, torch)
    expected = builtin_error_class(t_exc)
    assert expected in (IndexError, ValueError, TypeError, RuntimeError), t_exc
    c_exc = _raise(case, core)
    got = builtin_error_class(c_exc)
    assert got is expected, (
        f"core raised {type(c_exc).__name__}: {c_exc}\ntorch raised {type(t_exc).__name__}: {t_exc}"
    )
    message = str(c_exc)
    assert message.strip(), f"core's {type(c_exc).__name__} has an empty message"
    if words:
        assert any(w in message for w in words), (
            f"core's message should mention one of {words}: {message!r}"
        )


@pytest.mark.parametrize("name", list(CASES))
def test_misuse_raises_same_builtin_class_as_torch(name: str) -> None:
    case, words = CASES[name]
    _check(case, words)


@pytest.mark.parametrize("name", list(REQUIRES_GRAD_CASES))
def test_requires_grad_misuse(name: str) -> None:
    if not _requires_grad_supported():
        pytest.skip("core.tensor(..., requires_grad=True) not supported yet")
    case, words = REQUIRES_GRAD_CASES[name]
    _check(case, words)


@pytest.mark.parametrize("name", list(CASES))
def test_errors_are_core_errors_not_raw_numpy(name: str) -> None:
    """The exception is a builtin (or core's own) class and is raised from core's code,
    not from inside NumPy with NumPy's wording."""
    case, _ = CASES[name]
    exc = _raise(case, core)
    module = type(exc).__module__.split(".")[0]
    assert module in ("builtins", "core"), f"{type(exc).__module__}.{type(exc).__name__}: {exc}"
    frames = traceback.extract_tb(exc.__traceback__)
    numpy_dir = os.path.dirname(np.__file__)
    assert not frames[-1].filename.startswith(numpy_dir), (
        f"raised inside numpy ({frames[-1].filename}:{frames[-1].lineno}): {exc}"
    )
