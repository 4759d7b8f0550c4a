"""Tensor ``repr`` that reproduces PyTorch's character for character.

The rules follow ``torch/_tensor_str.py`` (dense, strided, real tensors only);
the only intended difference is the module prefix: ``core.float64`` where
PyTorch prints ``torch.float64``. Line breaks fall where torch's do, so the
output equals torch's with ``torch.`` replaced by ``core.``. Print options
are module-level, as in torch, and :func:`tensor_repr` takes one snapshot of
them per call.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np

_FLOATING_DTYPES = frozenset({"float16", "bfloat16", "float32", "float64"})

# torch hides the dtype of a non-empty tensor when it could be inferred back
# from the printed values: the default float dtype, int64 and bool.
_INFERRABLE_DTYPES = frozenset({"int64", "bool"})

_PREFIX = "tensor("
_MODULE = "core."
_TORCH_MODULE = "torch."

# A row index, or None where the printed row is the '...' gap.
ShownIndex = int | None


@dataclasses.dataclass
class PrintOptions:
    """Options read by :func:`tensor_repr`; defaults equal torch's.

    Attributes
    ----------
    precision : int
        Digits after the decimal point for floating values.
    threshold : float
        Element count above which the tensor is summarized with ``...``.
    edgeitems : int
        Items kept at each end of every summarized dimension.
    linewidth : int
        Characters per line before values (and suffixes) wrap.
    sci_mode : bool or None
        Force scientific notation on or off; None lets each tensor decide.
    """

    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: bool | None = None


PRINT_OPTS = PrintOptions()

_PROFILES = {
    "default": PrintOptions(),
    "short": PrintOptions(precision=2, edgeitems=2),
    "full": PrintOptions(threshold=math.inf),
}


def set_printoptions(
    precision: int | None = None,
    threshold: float | None = None,
    edgeitems: int | None = None,
    linewidth: int | None = None,
    profile: str | None = None,
    sci_mode: bool | None = None,
) -> None:
    """Set the module-level print options, exactly as ``torch.set_printoptions``.

    Parameters
    ----------
    precision, threshold, edgeitems, linewidth : optional
        Override one option; None leaves it unchanged.
    profile : {"default", "short", "full"}, optional
        Reset precision, threshold, edgeitems and linewidth to a preset first.
        torch silently ignores other names, and so do we.
    sci_mode : bool or None
        Always assigned, so omitting it returns to automatic choice (a torch rule).
    """
    preset = _PROFILES.get(profile) if profile is not None else None
    if preset is not None:
        PRINT_OPTS.precision = preset.precision
        PRINT_OPTS.threshold = preset.threshold
        PRINT_OPTS.edgeitems = preset.edgeitems
        PRINT_OPTS.linewidth = preset.linewidth
    if precision is not None:
        PRINT_OPTS.precision = precision
    if threshold is not None:
        PRINT_OPTS.threshold = threshold
    if edgeitems is not None:
        PRINT_OPTS.edgeitems = edgeitems
    if linewidth is not None:
        PRINT_OPTS.linewidth = linewidth
    PRINT_OPTS.sci_mode = sci_mode


def get_printoptions() -> dict[str, Any]:
    """Return the current options as keyword arguments for :func:`set_printoptions`."""
    return dataclasses.asdict(PRINT_OPTS)


@dataclasses.dataclass(frozen=True)
class _Formatter:
    """How every element of one tensor is written: one style, one width."""

    floating: bool
    int_mode: bool = True
    sci_mode: bool = False
    width: int = 1
    precision: int = 4

    def format(self, value: bool | int | float) -> str:
        """Write one element, right-aligned to the shared width."""
        if not self.floating:
            text = str(value)
        elif self.sci_mode:
            text = f"{value:.{self.precision}e}"
        elif self.int_mode:
            text = f"{value:.0f}"
            # The trailing '.' shows the dtype is floating; inf/nan need none.
            if math.isfinite(value):
                text += "."
        else:
            text = f"{value:.{self.precision}f}"
        # Never truncates: inf/nan are left out of the width and may overflow it.
        return text.rjust(self.width)


def _make_formatter(shown: np.ndarray, floating: bool, opts: PrintOptions) -> _Formatter:
    """Choose the style and width from the elements that will be printed."""
    flat = shown.ravel()
    if not floating:
        widths = (len(str(value)) for value in flat.tolist())
        return _Formatter(floating=False, width=max(widths, default=1))

    # Style and width depend only on nonzero finite values; zeros, inf and nan
    # are printed in whatever style those values choose.
    regular = flat[np.isfinite(flat) & (flat != 0)]
    if regular.size == 0:
        return _Formatter(floating=True, precision=opts.precision)

    # float64 so ratios cannot overflow float16 (torch converts to double too).
    magnitudes = np.abs(regular).astype(np.float64)
    largest, smallest = float(magnitudes.max()), float(magnitudes.min())
    int_mode = bool(np.all(regular == np.ceil(regular)))
    if opts.sci_mode is None:
        sci_mode = largest / smallest > 1000.0 or largest > 1.0e8 or smallest < 1.0e-4
    else:
        sci_mode = bool(opts.sci_mode)

    values = regular.tolist()
    if sci_mode:
        texts = [f"{value:.{opts.precision}e}" for value in values]
    elif int_mode:
        texts = [f"{value:.0f}." for value in values]
    else:
        texts = [f"{value:.{opts.precision}f}" for value in values]
    return _Formatter(
        floating=True,
        int_mode=int_mode,
        sci_mode=sci_mode,
        width=max(1, *map(len, texts)),
        precision=opts.precision,
    )


def _shown_indices(size: int, summarize: bool, edgeitems: int) -> list[ShownIndex]:
    """Indices printed along one dimension, with None where '...' stands."""
    if summarize and size > 2 * edgeitems:
        return [*range(edgeitems), None, *range(size - edgeitems, size)]
    return list(range(size))


def _shown_values(values: np.ndarray, summarize: bool, edgeitems: int) -> np.ndarray:
    """The sub-array of elements that will appear in the repr."""
    if not summarize or values.ndim == 0:
        return values
    kept = [
        [i for i in _shown_indices(size, True, edgeitems) if i is not None] for size in values.shape
    ]
    return values[np.ix_(*kept)]


def _vector_str(
    values: np.ndarray,
    indent: int,
    summarize: bool,
    formatter: _Formatter,
    opts: PrintOptions,
) -> str:
    """Write a 1-d array, wrapping to ``opts.linewidth`` under its bracket."""
    indices = _shown_indices(len(values), summarize, opts.edgeitems)
    items = iter(values[[i for i in indices if i is not None]].tolist())
    # torch pads the gap like an element, except when the gap is all there is.
    gap = "..." if opts.edgeitems == 0 else " ..."
    data = [gap if i is None else formatter.format(next(items)) for i in indices]

    # Each element takes its width plus ", ".
    per_line = max(1, math.floor((opts.linewidth - indent) / (formatter.width + 2)))
    lines = [", ".join(data[i : i + per_line]) for i in range(0, len(data), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _body_str(
    values: np.ndarray,
    indent: int,
    summarize: bool,
    formatter: _Formatter,
    opts: PrintOptions,
) -> str:
    """Write the nested brackets; ``indent`` is the column of the opening one."""
    if values.ndim == 0:
        return formatter.format(values.item())
    if values.ndim == 1:
        return _vector_str(values, indent, summarize, formatter, opts)
    rows = [
        "..." if i is None else _body_str(values[i], indent + 1, summarize, formatter, opts)
        for i in _shown_indices(len(values), summarize, opts.edgeitems)
    ]
    # Blank lines between blocks grow with depth: one per dimension below 2-d.
    separator = "," + "\n" * (values.ndim - 1) + " " * (indent + 1)
    return "[" + separator.join(rows) + "]"


def _torch_len(suffix: str) -> int:
    """Length of ``suffix`` as torch prints it, with ``torch.`` for ``core.``.

    Wrapping decisions use this length so that our output stays equal to
    torch's with the prefix replaced, even where the shorter name would fit.
    """
    return len(suffix) + suffix.count(_MODULE) * (len(_TORCH_MODULE) - len(_MODULE))


def _add_suffixes(text: str, suffixes: list[str], indent: int, linewidth: int) -> str:
    """Append ``, suffix`` items, wrapping any that would pass ``linewidth``."""
    # torch counts the last line as two longer than it is; keep its arithmetic.
    line_len = len(text) - text.rfind("\n") + 1
    parts = [text]
    for suffix in suffixes:
        suffix_len = _torch_len(suffix)
        if line_len + suffix_len + 2 > linewidth:
            parts.append(",\n" + " " * indent + suffix)
            line_len = indent + suffix_len
        else:
            parts.append(", " + suffix)
            line_len += suffix_len + 2
    parts.append(")")
    return "".join(parts)


def tensor_repr(
    values: np.ndarray,
    dtype_name: str,
    *,
    device: str = "cpu",
    requires_grad: bool = False,
    grad_fn_name: str | None = None,
    default_dtype_name: str = "float32",
) -> str:
    """Return what ``repr`` of the equivalent torch tensor prints, with ``core.``.

    Parameters
    ----------
    values : numpy.ndarray
        The tensor's elements in its shape (bool, integer or floating).
    dtype_name : str
        PyTorch dtype name without prefix, e.g. ``"float32"``.
    device : str
        Shown unless its type is ``cpu``.
    requires_grad : bool
        Shown as ``requires_grad=True`` when there is no ``grad_fn_name``.
    grad_fn_name : str or None
        Node name such as ``"MulBackward0"``, shown as ``grad_fn=<...>``.
    default_dtype_name : str
        The engine's default float dtype, whose name is never printed.

    Returns
    -------
    str
        For example ``"tensor([1., 2.], dtype=core.float64)"``.
    """
    opts = dataclasses.replace(PRINT_OPTS)
    indent = len(_PREFIX)
    suffixes = []
    if device.split(":")[0] != "cpu":
        suffixes.append(f"device='{device}'")

    size_suffix = f"size={tuple(values.shape)}"
    dtype_suffix = f"dtype={_MODULE}{dtype_name}"
    if values.size == 0:
        body = "[]"
        # Like NumPy, only the plain (0,) shape goes without saying.
        if values.ndim != 1:
            suffixes.append(size_suffix)
        # No element shows whether the dtype is integral, so name all but the default.
        if dtype_name != default_dtype_name:
            suffixes.append(dtype_suffix)
    else:
        summarize = values.size > opts.threshold
        floating = dtype_name in _FLOATING_DTYPES
        shown = _shown_values(values, summarize, opts.edgeitems)
        formatter = _make_formatter(shown, floating, opts)
        body = _body_str(values, indent, summarize, formatter, opts)
        # With no edge items the body is bare '...', so the shape is the only clue.
        if not opts.edgeitems:
            suffixes.append(size_suffix)
        if dtype_name != default_dtype_name and dtype_name not in _INFERRABLE_DTYPES:
            suffixes.append(dtype_suffix)

    if grad_fn_name is not None:
        suffixes.append(f"grad_fn=<{grad_fn_name}>")
    elif requires_grad:
        suffixes.append("requires_grad=True")
    return _add_suffixes(_PREFIX + body, suffixes, indent, opts.linewidth)
