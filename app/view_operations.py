"""The view operations the operation form offers, and the line each writes (no Qt).

:func:`operation_line` checks the typed arguments before anything runs and raises
:class:`~app.forms.FormError`, as the builder's checks do. What only the engine can
judge (a ``view`` that needs a copy, an index past the end) is left to the engine,
which reports it when the line runs. Every line written here runs unchanged in
PyTorch with ``core`` renamed ``torch``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Literal

from app.forms import LITERAL_ERRORS, FormError, is_int
from app.i18n import QT_TRANSLATE_NOOP, translate

# dim: a dim of the source; new_dim: a dim of the result, one more (unsqueeze);
# int: any int; ints: a tuple of ints; sizes: a tuple of ints, none negative;
# dims: a dim or a tuple of dims.
ArgumentKind = Literal["dim", "new_dim", "int", "ints", "sizes", "dims"]
REQUIRED = object()


@dataclass(frozen=True)
class Argument:
    """One argument of a view operation: its PyTorch name, kind and default."""

    name: str
    kind: ArgumentKind
    default: object = REQUIRED

    def __str__(self) -> str:
        return self.name if self.default is REQUIRED else f"{self.name}={self.default}"


@dataclass(frozen=True)
class ViewOperation:
    """An operation the form offers: how it is written, its arguments, and what it does.

    ``hint`` is English, marked for translation (show :attr:`translated_hint`).
    ``example`` is what a person might type in the arguments field. ``variadic``
    operations take their one argument's values one by one or as one tuple
    (``permute(1, 0)`` or ``permute((1, 0))``).
    """

    name: str
    arguments: tuple[Argument, ...]
    hint: str
    example: str = ""
    style: Literal["method", "property", "index"] = "method"
    variadic: bool = False

    @property
    def signature(self) -> str:
        """How the operation reads: ``transpose(dim0, dim1)``, ``permute(*dims)``, ``T``."""
        if self.style != "method":
            return self.name
        star = "*" if self.variadic else ""
        return f"{self.name}({star}{', '.join(map(str, self.arguments))})"

    @property
    def translated_hint(self) -> str:
        """The hint in the current language."""
        return translate("ViewOperation", self.hint)

    @property
    def parameters(self) -> str:
        """What goes between the parentheses: ``dim0, dim1``; empty when nothing does."""
        return self.signature.partition("(")[2].removesuffix(")")


def _method(name: str, hint: str, *arguments: Argument, example: str = "") -> ViewOperation:
    return ViewOperation(name, arguments, hint, example)


def _variadic(name: str, hint: str, argument: Argument, example: str) -> ViewOperation:
    return ViewOperation(name, (argument,), hint, example, variadic=True)


VIEW_OPERATIONS: dict[str, ViewOperation] = {
    operation.name: operation
    for operation in (
        _method(
            "t",
            QT_TRANSLATE_NOOP(
                "ViewOperation", "swap the two dims of a matrix: the strides swap, no data moves"
            ),
        ),
        _method(
            "transpose",
            QT_TRANSLATE_NOOP("ViewOperation", "swap two dims"),
            Argument("dim0", "dim"),
            Argument("dim1", "dim"),
            example="0, 1",
        ),
        _variadic(
            "permute",
            QT_TRANSLATE_NOOP("ViewOperation", "reorder every dim"),
            Argument("dims", "dim"),
            "1, 0",
        ),
        _variadic(
            "view",
            QT_TRANSLATE_NOOP(
                "ViewOperation", "the same storage seen with a new shape; -1 infers one size"
            ),
            Argument("shape", "int"),
            "2, 6",
        ),
        _variadic(
            "reshape",
            QT_TRANSLATE_NOOP(
                "ViewOperation", "like view, but copies when no strides can express the shape"
            ),
            Argument("shape", "int"),
            "2, -1",
        ),
        _variadic(
            "expand",
            QT_TRANSLATE_NOOP(
                "ViewOperation",
                "repeat size-1 dims with stride 0, without copying; -1 keeps a size",
            ),
            Argument("sizes", "int"),
            "2, -1, -1",
        ),
        _method(
            "narrow",
            QT_TRANSLATE_NOOP("ViewOperation", "length elements from start along dim"),
            Argument("dim", "dim"),
            Argument("start", "int"),
            Argument("length", "int"),
            example="0, 1, 2",
        ),
        _method(
            "select",
            QT_TRANSLATE_NOOP("ViewOperation", "one index along dim; that dim goes"),
            Argument("dim", "dim"),
            Argument("index", "int"),
            example="0, 1",
        ),
        _method(
            "unfold",
            QT_TRANSLATE_NOOP(
                "ViewOperation",
                "windows of size elements, step apart, along dimension: a new last dim",
            ),
            Argument("dimension", "dim"),
            Argument("size", "int"),
            Argument("step", "int"),
            example="0, 2, 1",
        ),
        _method(
            "as_strided",
            QT_TRANSLATE_NOOP(
                "ViewOperation",
                "any sizes and strides over the same storage; None keeps the offset",
            ),
            Argument("size", "sizes"),
            Argument("stride", "ints"),
            Argument("storage_offset", "int", None),
            example="(2, 2), (1, 2)",
        ),
        _method(
            "squeeze",
            QT_TRANSLATE_NOOP(
                "ViewOperation", "remove size-1 dims: every one, or only those given"
            ),
            Argument("dim", "dims", None),
            example="0",
        ),
        _method(
            "unsqueeze",
            QT_TRANSLATE_NOOP("ViewOperation", "insert a dim of size 1 at dim"),
            Argument("dim", "new_dim"),
            example="0",
        ),
        _method(
            "flatten",
            QT_TRANSLATE_NOOP("ViewOperation", "merge dims start_dim to end_dim into one"),
            Argument("start_dim", "dim", 0),
            Argument("end_dim", "dim", -1),
            example="0, 1",
        ),
        _method(
            "unflatten",
            QT_TRANSLATE_NOOP("ViewOperation", "split dim into sizes"),
            Argument("dim", "dim"),
            Argument("sizes", "ints"),
            example="1, (2, 2)",
        ),
        _method(
            "diagonal",
            QT_TRANSLATE_NOOP(
                "ViewOperation", "the diagonal of dims dim1 and dim2, as a new last dim"
            ),
            Argument("offset", "int", 0),
            Argument("dim1", "dim", 0),
            Argument("dim2", "dim", 1),
            example="0, 0, 1",
        ),
        _method(
            "movedim",
            QT_TRANSLATE_NOOP(
                "ViewOperation", "move dims to new places, the others keep their order"
            ),
            Argument("source", "dims"),
            Argument("destination", "dims"),
            example="0, 1",
        ),
        ViewOperation(
            "[index]",
            (),
            QT_TRANSLATE_NOOP(
                "ViewOperation",
                "index and slice as inside x[...]: such as 0, or 1:, ::2, or ..., None",
            ),
            "1:, ::2",
            style="index",
        ),
        _method(
            "contiguous",
            QT_TRANSLATE_NOOP(
                "ViewOperation", "the tensor itself when contiguous, else a row-major copy"
            ),
        ),
        _method("clone", QT_TRANSLATE_NOOP("ViewOperation", "a copy in new storage")),
        _method(
            "detach",
            QT_TRANSLATE_NOOP("ViewOperation", "the same storage, outside autograd's graph"),
        ),
        ViewOperation(
            "T",
            (),
            QT_TRANSLATE_NOOP(
                "ViewOperation", "every dim reversed (for a 2-d tensor, the same as t())"
            ),
            style="property",
        ),
    )
}


def operation_line(
    target: str, source: str, operation: str, arguments_text: str, source_ndim: int
) -> str:
    """The line ``target = source.operation(arguments)``, after checking the arguments.

    Checks the argument count, that each argument is an int (or a tuple of ints where the
    operation takes one), and that each dim is in range for a ``source_ndim``-d tensor.
    """
    found = VIEW_OPERATIONS.get(operation)
    if found is None:
        raise FormError(
            translate(
                "ViewOperation", "unknown operation {operation}: choose one from the list"
            ).format(operation=repr(operation)),
            "operation",
        )
    if found.style == "index":
        return f"{target} = {_checked_index(source, arguments_text, source_ndim)}"
    if found.style == "property":
        if arguments_text.strip():
            raise FormError(_no_arguments(found), "arguments")
        if source_ndim != 2:
            raise FormError(_t_refusal(source_ndim), "arguments")
        return f"{target} = {source}.T"
    values = _argument_values(found, arguments_text)
    for argument, value in zip(found.arguments, values, strict=False):
        _check_argument(found, argument, value, source_ndim)
    if found.name == "movedim" and is_int(values[0]) != is_int(values[1]):
        # PyTorch has movedim(int, int) and movedim(tuple, tuple), nothing in between.
        raise FormError(
            translate(
                "ViewOperation",
                "movedim takes two dims or two tuples of dims, such as 0, 1 or (0, 1), (1, 0)",
            ),
            "arguments",
        )
    if found.variadic:
        values = list(values[0]) or [()]  # permute(()) and view(()): no sizes at all
    while values and values[-1] is None:
        values.pop()  # PyTorch takes squeeze() but refuses squeeze(None)
    return f"{target} = {source}.{found.name}({', '.join(map(repr, values))})"


def _t_refusal(ndim: int) -> str:
    """Why the form refuses ``T`` on a tensor that is not 2-d, and what to use instead."""
    if ndim < 2:
        return translate(
            "ViewOperation",
            "PyTorch warns on T for a {ndim}-d tensor, where it changes nothing: use a 2-d one",
        ).format(ndim=ndim)
    return translate(
        "ViewOperation",
        "PyTorch warns on T for a {ndim}-d tensor: use permute({order}) to reverse its dims",
    ).format(ndim=ndim, order=", ".join(map(str, reversed(range(ndim)))))


def _no_arguments(operation: ViewOperation) -> str:
    """Why the form refuses arguments typed for ``operation``, which takes none."""
    return translate(
        "ViewOperation", "{operation} takes no arguments: clear the arguments field"
    ).format(operation=operation.name)


def _argument_values(operation: ViewOperation, text: str) -> list[object]:
    """The values typed for ``operation`` in order: keywords placed, skipped defaults filled."""
    try:
        call = ast.parse(f"_({text})", mode="eval").body
        if not isinstance(call, ast.Call) or any(isinstance(a, ast.Starred) for a in call.args):
            raise SyntaxError
        positional = [ast.literal_eval(argument) for argument in call.args]
        keywords = {k.arg: ast.literal_eval(k.value) for k in call.keywords}
    except LITERAL_ERRORS:
        raise FormError(
            translate("ViewOperation", "type the arguments as in Python, such as {example}").format(
                example=operation.example
            ),
            "arguments",
        ) from None
    names = [argument.name for argument in operation.arguments]
    given = len(positional) + len(keywords)
    if not names:
        if given:
            raise FormError(_no_arguments(operation), "arguments")
        return []
    if operation.variadic:
        if keywords:
            raise FormError(
                translate(
                    "ViewOperation", "type the {argument} without a name, such as {example}"
                ).format(argument=names[0], example=operation.example),
                "arguments",
            )
        if len(positional) == 1 and isinstance(positional[0], (tuple, list)):
            positional = list(positional[0])
        elif not positional and operation.name != "permute":
            raise FormError(
                translate(
                    "ViewOperation",
                    "{operation} takes the new sizes, such as {example}, or () for a 0-d tensor",
                ).format(operation=operation.name, example=operation.example),
                "arguments",
            )
        return [tuple(positional)]
    required = sum(argument.default is REQUIRED for argument in operation.arguments)
    if not required <= given <= len(names):
        raise FormError(_count_refusal(operation, required, given), "arguments")
    values: list[object] = list(positional)
    for name, value in keywords.items():
        if name not in names:
            raise FormError(
                translate(
                    "ViewOperation",
                    "{operation} has no argument {argument}: its arguments are {arguments}",
                ).format(operation=operation.name, argument=name, arguments=", ".join(names)),
                "arguments",
            )
        place = names.index(name)
        if place < len(positional):
            raise FormError(
                translate("ViewOperation", "{operation} got {argument} twice: give it once").format(
                    operation=operation.name, argument=name
                ),
                "arguments",
            )
        values.extend(operation.arguments[i].default for i in range(len(values), place + 1))
        values[place] = value
    if REQUIRED in values:
        raise FormError(
            translate("ViewOperation", "{operation} needs {argument}: type a value for it").format(
                operation=operation.name, argument=names[values.index(REQUIRED)]
            ),
            "arguments",
        )
    return values


def _count_refusal(operation: ViewOperation, required: int, given: int) -> str:
    """Why ``given`` arguments are too few or too many for ``operation``."""
    most = len(operation.arguments)
    if required != most:
        message = translate(
            "ViewOperation",
            "{operation} takes {least} to {most} arguments ({parameters}), got {given}",
        )
    elif required == 1:
        message = translate(
            "ViewOperation", "{operation} takes {least} argument ({parameters}), got {given}"
        )
    else:
        message = translate(
            "ViewOperation", "{operation} takes {least} arguments ({parameters}), got {given}"
        )
    return message.format(
        operation=operation.name,
        least=required,
        most=most,
        parameters=operation.parameters,
        given=given,
    )


def _check_argument(operation: ViewOperation, argument: Argument, value: object, ndim: int) -> None:
    """Raise when ``value`` does not fit ``argument``'s kind, or names a dim out of range."""
    if value is None and argument.default is None:
        return
    if operation.variadic:
        items = value
        wanted = translate(
            "ViewOperation", "{operation}'s {argument} must be ints, such as 2, 6; got {value}"
        )
    elif argument.kind in ("ints", "sizes"):
        items = value
        wanted = translate(
            "ViewOperation",
            "{operation}'s {argument} must be a tuple of ints, such as (2, 3); got {value}",
        )
    elif argument.kind == "dims":
        items = (value,) if is_int(value) else value
        wanted = translate(
            "ViewOperation",
            "{operation}'s {argument} must be a dim or a tuple of dims; got {value}",
        )
    else:
        items = (value,)
        wanted = translate("ViewOperation", "{operation}'s {argument} must be an int; got {value}")
    if not isinstance(items, (tuple, list)) or not all(is_int(item) for item in items):
        shown = ", ".join(map(repr, value)) if operation.variadic else repr(value)
        raise FormError(
            wanted.format(operation=operation.name, argument=argument.name, value=shown),
            "arguments",
        )
    if argument.kind == "sizes" and min(items, default=0) < 0:
        # Not even -1: as_strided infers nothing (PyTorch lets a negative size through
        # when another is 0, which builds a tensor with a negative size).
        raise FormError(
            translate(
                "ViewOperation", "{operation}'s {argument} must be 0 or more; got {value}"
            ).format(operation=operation.name, argument=argument.name, value=min(items)),
            "arguments",
        )
    if operation.name == "permute" and len(items) != ndim:
        raise FormError(
            translate(
                "ViewOperation",
                "permute takes one dim for each of the {ndim} dims, got {count}: such as {order}",
            ).format(ndim=ndim, count=len(items), order=", ".join(map(str, reversed(range(ndim))))),
            "arguments",
        )
    if operation.name == "expand" and -1 in items[: max(len(items) - ndim, 0)]:
        # PyTorch refuses this too, except on a 0-d tensor with a size 0 beside it, where
        # it builds a tensor of size -1.
        raise FormError(
            translate(
                "ViewOperation",
                "expand's -1 keeps one of the tensor's {ndim} sizes, so it cannot stand for a "
                "new leading dim: give that dim's size",
            ).format(ndim=ndim),
            "arguments",
        )
    if argument.kind in ("dim", "dims", "new_dim"):
        rank = ndim + 1 if argument.kind == "new_dim" else max(ndim, 1)  # 0-d takes 0 and -1
        if argument.kind == "new_dim":
            message = translate(
                "ViewOperation",
                "dim {dim} is out of range for a {ndim}-d tensor (unsqueeze adds one): "
                "use {low} to {high}",
            )
        else:
            message = translate(
                "ViewOperation",
                "dim {dim} is out of range for a {ndim}-d tensor: use {low} to {high}",
            )
        for dim in items:
            if not -rank <= dim < rank:
                raise FormError(
                    message.format(dim=dim, ndim=ndim, low=-rank, high=rank - 1), "arguments"
                )


def _checked_index(source: str, text: str, ndim: int) -> str:
    """``source[text]`` when each part of the index is an int, a slice, ``...`` or None."""
    try:
        subscript = ast.parse(f"{source}[{text}]", mode="eval").body
    except SyntaxError:
        subscript = None
    if not isinstance(subscript, ast.Subscript) or not isinstance(subscript.value, ast.Name):
        raise FormError(
            translate("ViewOperation", "type what goes between the brackets, such as 0 or 1:, ::2"),
            "arguments",
        )
    index = subscript.slice
    parts = index.elts if isinstance(index, ast.Tuple) else [index]
    for part in parts:
        if isinstance(part, ast.Slice):
            _check_slice(part)
        elif not (is_int(_literal(part)) or _literal(part) in (None, Ellipsis)):
            raise FormError(
                translate(
                    "ViewOperation",
                    "index with ints, slices such as 1:3 or ::2, ... and None; "
                    "{part} is none of these",
                ).format(part=repr(ast.unparse(part))),
                "arguments",
            )
    if sum(_literal(part) is Ellipsis for part in parts) > 1:
        raise FormError(
            translate("ViewOperation", "an index holds one ... at most: remove the others"),
            "arguments",
        )
    # None adds a dim and ... stands for the rest: only ints and slices use up dims.
    used = sum(_literal(part) not in (None, Ellipsis) for part in parts)
    if used > ndim:
        raise FormError(
            translate(
                "ViewOperation",
                "too many indices for a {ndim}-d tensor: {used} given, at most {ndim}",
            ).format(ndim=ndim, used=used),
            "arguments",
        )
    return ast.unparse(subscript)


def _check_slice(part: ast.Slice) -> None:
    for bound in (part.lower, part.upper, part.step):
        if bound is not None and not (is_int(_literal(bound)) or _literal(bound) is None):
            raise FormError(
                translate(
                    "ViewOperation", "slice bounds are ints, such as 1:3 or ::2; {bound} is not one"
                ).format(bound=repr(ast.unparse(bound))),
                "arguments",
            )
    step = None if part.step is None else _literal(part.step)
    if step is not None and step < 1:
        raise FormError(
            translate(
                "ViewOperation",
                "slice steps must be 1 or more (PyTorch cannot step backwards), got {step}",
            ).format(step=step),
            "arguments",
        )


_NOT_A_LITERAL = object()


def _literal(node: ast.expr) -> object:
    """The value of a literal node (``-1``, ``None``, ``...``); a sentinel for anything else."""
    if isinstance(node, ast.Slice):
        return _NOT_A_LITERAL
    try:
        return ast.literal_eval(node)
    except LITERAL_ERRORS:
        return _NOT_A_LITERAL
