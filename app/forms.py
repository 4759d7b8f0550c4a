"""What the tensor builder accepts (names, shapes, dtypes), turned into a line of code (no Qt).

Each function checks its input before anything runs and raises :class:`FormError` with
one line that says what to do; ``FormError.field`` names the input at fault, so a form
can focus it. The operation form's table and checks are in :mod:`app.view_operations`,
and raise the same error. What only the engine can judge (a ``view`` that needs a copy,
an index past the end) is left to the engine, which reports it when the line runs.
Every line written here runs unchanged in PyTorch with ``core`` renamed ``torch``.
"""

from __future__ import annotations

import ast
import builtins
import keyword
import math
import re
import unicodedata
from typing import Literal

from app.i18n import QT_TRANSLATE_NOOP, translate
from core.dtypes import get_default_dtype, to_dtype
from core.memory import byte_size_text

DTYPE_NAMES = ("float32", "float64", "float16", "int64", "int32", "int16", "int8", "uint8", "bool")
FLOATING_DTYPE_NAMES = ("float32", "float64", "float16")
DEVICES = ("cpu", "cuda")
FILLS = ("arange", "zeros", "ones", "rand", "randn")
MAX_DIMS = 8
MAX_SIZE = 2**31
RESERVED_NAMES = frozenset({"core", "torch"})
SUGGESTED_NAMES = ("x", "y", "z", *"abcdefghijklmnopqrstuvw")

Field = Literal["name", "shape", "dtype", "device", "fill", "source", "operation", "arguments"]
UNKNOWN_CHOICES = {
    "dtype": QT_TRANSLATE_NOOP("FormError", "unknown dtype {value}: choose one of {choices}"),
    "device": QT_TRANSLATE_NOOP("FormError", "unknown device {value}: choose one of {choices}"),
    "fill": QT_TRANSLATE_NOOP("FormError", "unknown fill {value}: choose one of {choices}"),
}
"""What :func:`builder_line` says of a value not on offer, by field (translate it to show)."""
# What ast.literal_eval raises on text that is no single literal (deep nesting included).
LITERAL_ERRORS = (ValueError, SyntaxError, TypeError, MemoryError, RecursionError)


class FormError(ValueError):
    """Input a form cannot turn into a line; ``str(error)`` says what to do."""

    def __init__(self, message: str, field: Field) -> None:
        super().__init__(message)
        self.field = field


def is_int(value: object) -> bool:
    """Whether ``value`` is an int and not a bool: sizes, dims and indices are typed as ints."""
    return isinstance(value, int) and not isinstance(value, bool)


def parse_shape(text: str) -> tuple[int, ...]:
    """Sizes typed as ``3, 4``, ``(3, 4)``, ``[3,4]``, ``3 4`` or ``12``; empty means 0-d."""
    text = text.strip()
    closing = {"(": ")", "[": "]"}.get(text[:1])
    if closing is not None:
        if not text.endswith(closing):
            raise FormError(
                translate("FormError", "close the bracket: {shape}").format(shape=text + closing),
                "shape",
            )
        text = text[1:-1].strip().removesuffix(",")
    tokens = re.split(r"\s*,\s*|\s+", text) if text else []
    if "" in tokens:
        raise FormError(
            translate("FormError", "a size is missing between two commas: type sizes such as 3, 4"),
            "shape",
        )
    sizes = tuple(_size(token) for token in tokens)
    if len(sizes) > MAX_DIMS:
        raise FormError(
            translate("FormError", "at most {limit} dims, got {count}: use fewer sizes").format(
                limit=MAX_DIMS, count=len(sizes)
            ),
            "shape",
        )
    return sizes


def _size(token: str) -> int:
    try:
        value = ast.literal_eval(token)
    except LITERAL_ERRORS:
        value = None
    if not is_int(value):
        raise FormError(
            translate(
                "FormError", "sizes are whole numbers such as 3, 4: {token} is not one"
            ).format(token=repr(token)),
            "shape",
        )
    if value < 0:
        message = (
            translate(
                "FormError", "sizes must be 0 or more: {value} is only for view() and reshape()"
            )
            if value == -1
            else translate("FormError", "sizes must be 0 or more, got {value}")
        )
        raise FormError(message.format(value=value), "shape")
    if value > MAX_SIZE:
        raise FormError(
            translate(
                "FormError", "size {value} is too large: sizes go up to 2**31 ({limit})"
            ).format(value=value, limit=MAX_SIZE),
            "shape",
        )
    return value


def next_free_name(taken: object) -> str:
    """The first of x, y, z, a, b, ..., w, then t1, t2, ... that is not in ``taken``."""
    for name in SUGGESTED_NAMES:
        if name not in taken:
            return name
    number = 1
    while f"t{number}" in taken:
        number += 1
    return f"t{number}"


def check_name(text: str, taken: object = ()) -> str:
    """The name for a new tensor: ``text`` stripped, or the next free name when empty.

    A name already in ``taken`` is refused, so that a form never replaces a tensor
    by surprise (the console can, on purpose).
    """
    # Python reads names in NFKC form: a full-width ｘ (a CJK input method's) *is* x.
    name = unicodedata.normalize("NFKC", text.strip())
    if not name:
        return next_free_name(taken)
    shown = name
    if not name.isidentifier():
        message = translate(
            "FormError",
            "{name} is not a name: use letters, digits and _; choose another, such as {suggestion}",
        )
        shown = repr(name)
    elif keyword.iskeyword(name) or name in RESERVED_NAMES or hasattr(builtins, name):
        message = translate(
            "FormError",
            "{name} is taken by Python or the engine: choose another, such as {suggestion}",
        )
    elif name.startswith("_"):
        message = translate(
            "FormError", "names starting with _ stay hidden: choose another, such as {suggestion}"
        )
    elif name in taken:
        message = translate(
            "FormError", "{name} already names a tensor: choose another, such as {suggestion}"
        )
    else:
        return name
    raise FormError(message.format(name=shown, suggestion=next_free_name(taken)), "name")


def builder_line(name: str, shape: tuple[int, ...], dtype_name: str, device: str, fill: str) -> str:
    """The line that builds the tensor: ``x = core.arange(12, dtype=core.float32).view(3, 4)``.

    ``dtype=`` appears only where it differs from what the factory makes now without it
    (see ``_factory_dtype_name``), so the line makes ``dtype_name`` whatever the
    session set the default dtype to.
    """
    for value, allowed, field in (
        (dtype_name, DTYPE_NAMES, "dtype"),
        (device, DEVICES, "device"),
        (fill, FILLS, "fill"),
    ):
        if value not in allowed:
            message = translate("FormError", UNKNOWN_CHOICES[field])
            raise FormError(message.format(value=repr(value), choices=", ".join(allowed)), field)
    if fill in ("rand", "randn") and dtype_name not in FLOATING_DTYPE_NAMES:
        raise FormError(
            translate(
                "FormError",
                "{fill} draws random floats, and PyTorch has no {fill} for {dtype}: "
                "choose float32, float64 or float16",
            ).format(fill=fill, dtype=dtype_name),
            "dtype",
        )
    if fill == "arange" and dtype_name == "bool":
        raise FormError(
            translate(
                "FormError",
                "arange counts 0, 1, 2, ... and PyTorch has no arange for bool: "
                "choose a number dtype, or zeros or ones",
            ),
            "dtype",
        )
    options = "" if dtype_name == _factory_dtype_name(fill) else f", dtype=core.{dtype_name}"
    options += "" if device == "cpu" else f", device={device!r}"
    if fill != "arange":
        return f"{name} = core.{fill}({_sizes_text(shape)}{options})"
    if not shape:
        return f"{name} = core.tensor(0{options})"
    line = f"{name} = core.arange({math.prod(shape)}{options})"
    return line if len(shape) == 1 else f"{line}.view({_sizes_text(shape)})"


def _factory_dtype_name(fill: str) -> str:
    """The dtype ``fill``'s line makes when it names none, as the engine stands now.

    arange counts in int64 from int arguments, as does ``core.tensor(0)`` for a 0-d
    one; zeros, ones, rand and randn make the default dtype, which a line such as
    ``core.set_default_dtype(core.float64)`` changes.
    """
    return "int64" if fill == "arange" else get_default_dtype().name


def _sizes_text(shape: tuple[int, ...]) -> str:
    """Sizes as a factory's arguments: ``3, 4``; ``()`` for a 0-d tensor."""
    return ", ".join(map(str, shape)) if shape else "()"


def check_memory(shape: tuple[int, ...], dtype_name: str, limit_bytes: int | None) -> None:
    """Refuse a tensor whose elements would take more than ``limit_bytes`` (None: no limit)."""
    if limit_bytes is None:
        return
    nbytes = math.prod(shape) * to_dtype(dtype_name).itemsize
    if nbytes > limit_bytes:
        if shape:
            message = translate(
                "FormError",
                "{sizes} {dtype} needs {needed}, over the memory limit of {limit}: "
                "use a smaller shape or raise the limit in Preferences",
            )
        else:
            message = translate(
                "FormError",
                "a 0-d {dtype} needs {needed}, over the memory limit of {limit}: "
                "use a smaller shape or raise the limit in Preferences",
            )
        raise FormError(
            message.format(
                sizes=" × ".join(map(str, shape)),
                dtype=dtype_name,
                needed=byte_size_text(nbytes),
                limit=byte_size_text(limit_bytes),
            ),
            "shape",
        )
