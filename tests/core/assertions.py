"""Assertions that `core` behaves as `torch` does on twin inputs.

``assert_same_tensor(c, t)``  sizes, strides, offset, contiguity, dtype, values.
``assert_same_result(c, t)``  like the above but also for tuples/lists/scalars.
``assert_same_sharing(ca, cb, ta, tb)``  same "shares storage" verdict.
``assert_same_error(fn_core, fn_torch)``  same builtin exception class, or both
succeed and agree.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

import core
from tests.core.dtypes_and_shapes import dtype_name

# The builtin classes that core must match torch on (torch often raises subclasses).
BUILTIN_ERRORS: tuple[type[BaseException], ...] = (IndexError, ValueError, TypeError, RuntimeError)


def builtin_error_class(exc: BaseException) -> type[BaseException]:
    """The first of IndexError/ValueError/TypeError/RuntimeError in `exc`'s MRO.

    torch raises subclasses (``torch.AcceleratorError``, ``NotImplementedError``
    under RuntimeError, ...); core is compared on the builtin base. Falls back to
    the first builtin class in the MRO.
    """
    for cls in type(exc).__mro__:
        if cls in BUILTIN_ERRORS:
            return cls
    for cls in type(exc).__mro__:
        if cls.__module__ == "builtins":
            return cls
    return type(exc)


def _values(x: Any) -> np.ndarray:
    return np.asarray(x.numpy())


def assert_same_tensor(
    c: Any,
    t: torch.Tensor,
    *,
    check_layout: bool = True,
    check_values: bool = True,
    rtol: float | None = None,
    atol: float = 0.0,
    context: str = "",
) -> None:
    """Assert that core tensor `c` matches torch tensor `t`.

    Checks shape, dim, numel, dtype name and (with `check_layout`) strides,
    storage offset and ``is_contiguous()``; then the values, nan-aware: exactly,
    or with ``np.testing.assert_allclose(rtol, atol)`` when `rtol` is given.
    """
    where = f" [{context}]" if context else ""
    assert isinstance(c, core.Tensor), f"expected a core.Tensor, got {type(c).__name__}{where}"
    assert tuple(c.shape) == tuple(t.shape), (
        f"shape {tuple(c.shape)} != torch {tuple(t.shape)}{where}"
    )
    assert c.dim() == t.dim(), f"dim {c.dim()} != torch {t.dim()}{where}"
    assert c.numel() == t.numel(), f"numel {c.numel()} != torch {t.numel()}{where}"
    assert dtype_name(c.dtype) == dtype_name(t.dtype), f"dtype {c.dtype} != torch {t.dtype}{where}"
    if check_layout:
        assert tuple(c.stride()) == tuple(t.stride()), (
            f"strides {tuple(c.stride())} != torch {tuple(t.stride())} "
            f"(shape {tuple(t.shape)}){where}"
        )
        assert c.storage_offset() == t.storage_offset(), (
            f"storage_offset {c.storage_offset()} != torch {t.storage_offset()}{where}"
        )
        assert c.is_contiguous() == t.is_contiguous(), (
            f"is_contiguous {c.is_contiguous()} != torch {t.is_contiguous()} "
            f"(shape {tuple(t.shape)}, strides {tuple(t.stride())}){where}"
        )
    if check_values:
        cv, tv = _values(c), _values(t)
        assert cv.shape == tv.shape, f"numpy() shape {cv.shape} != torch {tv.shape}{where}"
        assert cv.dtype == tv.dtype, f"numpy() dtype {cv.dtype} != torch {tv.dtype}{where}"
        if rtol is None:
            np.testing.assert_array_equal(cv, tv, err_msg=f"values differ{where}")
        else:
            np.testing.assert_allclose(
                cv, tv, rtol=rtol, atol=atol, equal_nan=True, err_msg=f"values differ{where}"
            )


def assert_same_result(c: Any, t: Any, **kwargs: Any) -> None:
    """Like :func:`assert_same_tensor`, also for tuples/lists of tensors and scalars."""
    if isinstance(t, torch.Tensor):
        assert_same_tensor(c, t, **kwargs)
    elif isinstance(t, (tuple, list)):
        assert isinstance(c, (tuple, list)), f"expected a sequence, core gave {type(c).__name__}"
        assert len(c) == len(t), f"length {len(c)} != torch {len(t)}"
        for i, (ci, ti) in enumerate(zip(c, t, strict=True)):
            assert_same_result(ci, ti, **{**kwargs, "context": f"{kwargs.get('context', '')}[{i}]"})
    elif isinstance(t, float) and math.isnan(t):
        assert isinstance(c, float) and math.isnan(c), f"{c!r} != torch {t!r}"
    else:
        assert type(c) is type(t) and c == t, (
            f"{c!r} ({type(c).__name__}) != torch {t!r} ({type(t).__name__})"
        )


def shares_storage(a: Any, b: Any) -> bool:
    """Whether two tensors (both core or both torch) sit on the same storage."""
    return a.untyped_storage().data_ptr() == b.untyped_storage().data_ptr()


def assert_same_sharing(ca: Any, cb: Any, ta: torch.Tensor, tb: torch.Tensor) -> None:
    """Assert core's `ca`/`cb` share storage exactly when torch's `ta`/`tb` do.

    Skipped (returns) when a torch storage is empty with data_ptr 0: torch then
    reports 0 for unrelated storages, so its verdict carries no information.
    """
    for x in (ta, tb):
        if x.untyped_storage().nbytes() == 0 and x.untyped_storage().data_ptr() == 0:
            return
    expected = shares_storage(ta, tb)
    actual = shares_storage(ca, cb)
    assert actual == expected, (
        f"core {'shares' if actual else 'does not share'} storage, torch "
        f"{'does' if expected else 'does not'}"
    )


def assert_same_error(
    fn_core: Callable[[], Any],
    fn_torch: Callable[[], Any],
    compare: Callable[[Any, Any], None] | None = assert_same_result,
) -> tuple[Any, Any] | None:
    """Run both; they must raise the same builtin error class, or both succeed.

    Returns ``None`` when both raised, else ``(core_result, torch_result)`` after
    checking them with `compare` (skip the check with ``compare=None``). Warnings
    torch emits are swallowed; core may then warn too, and may always issue a
    UserWarning (torch's deprecation notices); any other warning from core
    surfaces, and fails under ``filterwarnings = error``.
    """
    t_exc: BaseException | None = None
    c_exc: BaseException | None = None
    t_res = c_res = None
    with warnings.catch_warnings(record=True) as torch_warnings:
        warnings.simplefilter("always")
        try:
            t_res = fn_torch()
        except Exception as exc:
            t_exc = exc
    with warnings.catch_warnings():
        # torch's deprecation notices are UserWarnings, often issued once per process
        # (TORCH_WARN_ONCE), so core may warn alike whether or not torch just did.
        warnings.simplefilter("ignore", UserWarning)
        if torch_warnings:
            warnings.simplefilter("ignore")
        try:
            c_res = fn_core()
        except Exception as exc:
            c_exc = exc
    if t_exc is not None:
        t_cls = builtin_error_class(t_exc)
        if c_exc is None:
            raise AssertionError(
                f"torch raised {t_cls.__name__} ({t_exc}) but core succeeded and returned {c_res!r}"
            )
        c_cls = builtin_error_class(c_exc)
        if c_cls is not t_cls:
            raise AssertionError(
                f"core raised {type(c_exc).__name__} ({c_exc}), torch raised "
                f"{type(t_exc).__name__} ({t_exc}): "
                f"builtin class {c_cls.__name__} != {t_cls.__name__}"
            ) from c_exc
        return None
    if c_exc is not None:
        raise AssertionError(
            f"core raised {type(c_exc).__name__} ({c_exc}) but torch succeeded with {t_res!r}"
        ) from c_exc
    if compare is not None:
        compare(c_res, t_res)
    return c_res, t_res
