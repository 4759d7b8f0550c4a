"""Memory: the allocation limit every new buffer is checked against, and why a ``view`` fails.

The engine calls :func:`check_allocation` with a new buffer's element count *before*
it allocates; :func:`allocation_limit` sets the cap for the code inside a ``with``.
This module imports only ``core.dtypes`` and ``core.layout`` at load time, because
``core.storage`` (below every tensor) imports it.
"""

from __future__ import annotations

import operator
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.dtypes import dtype
from core.layout import infer_size, plan_view, runs_spanned

if TYPE_CHECKING:
    from core.tensor import Tensor

ALLOCATION_LIMIT: ContextVar[int | None] = ContextVar("allocation_limit", default=None)
"""The largest buffer in bytes that the engine may allocate now; None for no limit."""


class OutOfMemoryError(RuntimeError):
    """An allocation refused for being over the memory limit (PyTorch's ``OutOfMemoryError``)."""


@contextmanager
def allocation_limit(nbytes: int | None) -> Iterator[None]:
    """Refuse any new buffer larger than ``nbytes`` inside the ``with`` block.

    Parameters
    ----------
    nbytes : int or None
        The largest allowed buffer in bytes; None lifts the limit. Limits nest: the
        previous one comes back when the block ends, and each thread or
        ``contextvars`` context has its own.

    Examples
    --------
    >>> with core.memory.allocation_limit(256 * 2**20):
    ...     core.zeros(10**5, 10**5)  # 37.25 GiB: raises core.OutOfMemoryError
    """
    if nbytes is not None:
        nbytes = operator.index(nbytes)
        if nbytes < 0:
            raise ValueError(f"the memory limit must be at least 0 bytes, got {nbytes}")
    token = ALLOCATION_LIMIT.set(nbytes)
    try:
        yield
    finally:
        ALLOCATION_LIMIT.reset(token)


def current_allocation_limit() -> int | None:
    """The limit in bytes that applies here, or None when there is none."""
    return ALLOCATION_LIMIT.get()


def check_allocation(element_count: int, element_type: dtype) -> None:
    """Raise before allocating ``element_count`` elements of ``element_type`` over the limit.

    Raises
    ------
    OutOfMemoryError
        When ``element_count * element_type.itemsize`` bytes exceed the current limit.
    """
    limit = ALLOCATION_LIMIT.get()
    if limit is not None and element_count * element_type.itemsize > limit:
        raise OutOfMemoryError(refusal(element_count, element_type, limit))


def refusal(element_count: int, element_type: dtype, limit: int) -> str:
    """The one-line message of a refused allocation."""
    nbytes = element_count * element_type.itemsize
    wanted, allowed = byte_size_text(nbytes), byte_size_text(limit)
    if wanted == allowed:  # rounding hid the difference: show it exactly
        wanted, allowed = f"{nbytes:,} bytes", f"{limit:,} bytes"
    elements = "element" if element_count == 1 else "elements"
    return (
        f"refusing to allocate {wanted} for {element_count:,} {element_type.name} {elements}: "
        f"over the memory limit of {allowed}; use a smaller shape or raise the limit"
    )


_BINARY_UNITS = ("KiB", "MiB", "GiB", "TiB", "PiB", "EiB")


def byte_size_text(nbytes: int) -> str:
    """``nbytes`` for people: ``"1,000 bytes"``, ``"256 MiB"``, ``"3.73 GiB"`` (binary units)."""
    if nbytes < 1024:
        return "1 byte" if nbytes == 1 else f"{nbytes:,} bytes"
    value, unit = nbytes / 1024, _BINARY_UNITS[0]
    for larger in _BINARY_UNITS[1:]:
        if round(value, 2) < 1024:  # so 1023.999 KiB reads as 1 MiB, not 1,024 KiB
            break
        value, unit = value / 1024, larger
    return f"{value:,.2f}".rstrip("0").rstrip(".") + f" {unit}"


# -- why a view fails ----------------------------------------------------------------


@dataclass(frozen=True)
class ViewFailure:
    """Why ``tensor.view(shape)`` has no strides: which new dim straddles which chunks.

    ``chunks`` groups the old dims into runs contiguous with each other (a view may
    merge or split dims only inside one run); ``spans`` gives, for each new dim, the
    runs (indices into ``chunks``) its elements walk across; ``breaking_dim`` is the new
    dim whose elements would have to span two runs.
    """

    chunks: tuple[tuple[int, ...], ...]
    spans: tuple[tuple[int, ...], ...]
    breaking_dim: int
    message: str


def view_failure(tensor: Tensor, shape: Sequence[int] | int, *more: int) -> ViewFailure | None:
    """None when ``tensor.view(shape)`` works; otherwise the reason, for the GUI to colour.

    A shape whose element count does not match raises RuntimeError, as ``view`` itself does.
    """
    # core.ops imports core.tensor, which (through core.storage) imports this module.
    from core.ops.arguments import parse_shape

    sizes = infer_size(parse_shape((shape, *more)), tensor.numel())
    old = tensor._layout
    plan = plan_view(old.sizes, old.strides, sizes)
    if plan.strides is not None:
        return None
    breaking = plan.breaking_dim if plan.breaking_dim is not None else 0
    runs = " | ".join("(" + ", ".join(f"dim {d}" for d in chunk) + ")" for chunk in plan.chunks)
    message = (
        f"view{tuple(sizes)} is impossible without copying: the old dims form the contiguous runs "
        f"{runs}, and new dim {breaking} (size {sizes[breaking]}) would have to span two of them. "
        "Use .reshape(...), which copies here, or .contiguous().view(...)."
    )
    spans = runs_spanned(old.sizes, plan.chunks, sizes)
    return ViewFailure(plan.chunks, spans, breaking, message)
