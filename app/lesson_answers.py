"""Checking what a student typed against a lesson question's expected value.

No Qt here. A student writes a value as Python prints it, or as they would say it: the
tuple ``(1, 4)`` is right typed ``(1, 4)``, ``1, 4``, ``[1, 4]`` or ``1 4``; a shape also as
``torch.Size([1, 4])``; a yes-or-no question takes ``True``, ``true``, ``yes``, ``예``,
``네``; a dtype ``float32`` or ``torch.float32``; a tensor its values (``[1, 2]`` or
``tensor([1, 2])``). Numbers compare by value (``6`` and ``6.0`` are the same), floats
within :data:`RELATIVE_TOLERANCE`. Full-width characters (``（1，4）``), the minus sign the
lessons print (``−3``) and backticks around the answer read as plain ASCII would. Text that
cannot be read as a value, code such as ``y.stride()`` among it, is neither right nor
wrong: the message says what to type.
"""

from __future__ import annotations

import ast
import enum
import math
import re
import unicodedata
from dataclasses import dataclass

import core
from app.i18n import translate

RELATIVE_TOLERANCE = 1e-3
"""How close a typed float must be: four significant digits (0.3333 for 1/3) are enough."""
ABSOLUTE_TOLERANCE = 1e-6
"""How close to 0 a typed float must be when the answer is 0."""
TRUE_WORDS = frozenset({"true", "yes", "y", "예", "네", "참"})
FALSE_WORDS = frozenset({"false", "no", "n", "아니요", "아니오", "아니", "거짓"})
ENGINE_NAMES = frozenset({"torch", "core"})
NUMBERS = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")
MINUS_SIGNS = re.compile("[\u2010-\u2015\u2212]")
"""Dashes and the minus sign (U+2212): lesson text writes −3, and a student copies it."""


class Verdict(enum.Enum):
    """How a typed answer compares with the expected value."""

    RIGHT = "right"
    WRONG = "wrong"
    UNREADABLE = "unreadable"
    """Not a value that can be compared: nothing typed, garbage, or code."""


@dataclass(frozen=True)
class AnswerCheck:
    """The verdict and a message for the student, in the current language."""

    verdict: Verdict
    message: str


class _Word(str):
    """A bare word typed (``contiguous``): an answer only where the answer is text."""


class _NotAValueError(Exception):
    """The typed text is not a value; ``kind`` says why: "empty", "garbage" or "code"."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def check_answer(typed: str, expected: object) -> AnswerCheck:
    """Whether ``typed`` (what the student wrote) gives ``expected`` (the answer's value)."""
    text = _ascii_forms(typed)
    plain = _plain(expected)
    try:
        value = _read(text)
    except _NotAValueError as unreadable:
        if not (isinstance(plain, str) and unreadable.kind == "garbage"):
            return AnswerCheck(
                Verdict.UNREADABLE, _unreadable_message(unreadable.kind, text, plain)
            )
        value = _Word(text)  # words with spaces, in any script: text to compare
    if isinstance(value, _Word) and not isinstance(plain, (str, core.dtype)):
        return AnswerCheck(Verdict.UNREADABLE, _unreadable_message("word", text, plain))
    if _same(value, plain) or (isinstance(plain, str) and _same_text(text, plain)):
        return AnswerCheck(Verdict.RIGHT, translate("LessonAnswers", "Right!"))
    if _kind(value) != _kind(plain) or (
        isinstance(plain, tuple) and len(_plain(value)) != len(plain)
    ):
        return AnswerCheck(Verdict.WRONG, _kind_message(plain))
    return AnswerCheck(Verdict.WRONG, translate("LessonAnswers", "Not quite. Try again."))


def answer_text(expected: object) -> str:
    """How the expected value is written: ``(1, 4)``, ``torch.Size([3, 4])``, ``True``,
    ``torch.float32``, a tensor by its values ``[[0, 1], [2, 3]]``."""
    if isinstance(expected, core.Tensor):
        return answer_text(expected.tolist())
    if isinstance(expected, core.Size):
        return f"torch.Size([{', '.join(answer_text(size) for size in expected)}])"
    if isinstance(expected, core.dtype):
        return f"torch.{expected.name}"
    if isinstance(expected, float):
        return _float_text(expected)
    if isinstance(expected, tuple):
        items = [answer_text(item) for item in expected]
        return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"
    if isinstance(expected, list):
        return f"[{', '.join(answer_text(item) for item in expected)}]"
    return str(expected)


def _ascii_forms(typed: str) -> str:
    """``typed`` with full-width forms (an East Asian input method's ``（１，４）``), dashes and
    the minus sign as ASCII, and without surrounding spaces or backticks."""
    text = MINUS_SIGNS.sub("-", unicodedata.normalize("NFKC", typed)).strip()
    if len(text) > 1 and text[0] == text[-1] == "`":
        text = text.strip("`").strip()
    return text


def _read(text: str) -> object:
    """The value ``text`` gives, as :func:`check_answer` reads it.

    Raises
    ------
    _NotAValueError
        When ``text`` is empty, does not parse, or is code rather than a value.
    """
    text = text.strip()
    if not text:
        raise _NotAValueError("empty")
    if text.casefold() in TRUE_WORDS:
        return True
    if text.casefold() in FALSE_WORDS:
        return False
    bracketed = text[:1] + text[-1:] in ("()", "[]")
    words = (text[1:-1] if bracketed else text).split()
    if len(words) > 1 and all(NUMBERS.fullmatch(word) for word in words):
        # "1 4", and "[0 4 8]" as NumPy prints an array
        return tuple(ast.literal_eval(word.lstrip("+")) for word in words)
    try:
        tree = ast.parse(text, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        raise _NotAValueError("garbage") from error
    return _value(tree.body)


def _value(node: ast.expr) -> object:
    """The value of a parsed answer: a literal, ``torch.Size(...)``, ``tensor(...)``, a dtype
    or a bare word; anything else is code."""
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, RecursionError, MemoryError):
        pass
    if isinstance(node, ast.Call) and _called(node) in {"Size", "tensor"} and len(node.args) == 1:
        try:
            value = ast.literal_eval(node.args[0])
        except (ValueError, TypeError, SyntaxError, RecursionError, MemoryError) as error:
            raise _NotAValueError("code") from error
        return tuple(value) if _called(node) == "Size" and isinstance(value, list) else value
    dtype = _typed_dtype(node)
    if dtype is not None:
        return dtype
    if isinstance(node, ast.Name):
        return _Word(node.id)
    raise _NotAValueError("code")


def _called(call: ast.Call) -> str | None:
    """``Size`` for ``torch.Size(...)`` or ``Size(...)``; None for other calls."""
    function = call.func
    if isinstance(function, ast.Name):
        return function.id
    if (
        isinstance(function, ast.Attribute)
        and isinstance(function.value, ast.Name)
        and function.value.id in ENGINE_NAMES
    ):
        return function.attr
    return None


def _typed_dtype(node: ast.expr) -> core.dtype | None:
    """The dtype ``float32``, ``torch.float32`` or an alias (``torch.float``) names."""
    if isinstance(node, ast.Name):
        return _dtype_named(node.id)
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in ENGINE_NAMES
    ):
        return _dtype_named(node.attr)
    return None


def _dtype_named(name: str) -> core.dtype | None:
    value = getattr(core, name.lower(), None)  # Float32 too: dtype names have no capitals
    return value if isinstance(value, core.dtype) else None


def _plain(value: object) -> object:
    """``value`` as comparable values: tensors as their values, sequences as tuples."""
    if isinstance(value, core.Tensor):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return tuple(_plain(item) for item in value)
    return value


def _same(typed: object, expected: object) -> bool:
    """Whether ``typed`` is ``expected``: booleans apart from numbers, floats within tolerance."""
    typed = _plain(typed)
    if isinstance(expected, core.dtype):
        named = _dtype_named(typed.removeprefix("torch.")) if isinstance(typed, str) else typed
        return isinstance(named, core.dtype) and named.name == expected.name
    if isinstance(expected, bool) or isinstance(typed, bool):
        return type(typed) is type(expected) and typed == expected
    if isinstance(expected, (int, float)):
        if not isinstance(typed, (int, float)):
            return False
        if isinstance(expected, int) and isinstance(typed, int):
            return typed == expected
        return math.isclose(typed, expected, rel_tol=RELATIVE_TOLERANCE, abs_tol=ABSOLUTE_TOLERANCE)
    if isinstance(expected, str):
        return isinstance(typed, str) and _same_text(typed, expected)
    if isinstance(expected, tuple):
        return (
            isinstance(typed, tuple)
            and len(typed) == len(expected)
            and all(_same(item, want) for item, want in zip(typed, expected, strict=True))
        )
    return typed == expected


def _same_text(typed: str, expected: str) -> bool:
    """Text compared without case, surrounding quotes or repeated spaces."""
    typed = typed.strip().strip("'\"`").strip()
    return " ".join(typed.casefold().split()) == " ".join(expected.casefold().split())


def _kind(value: object) -> str:
    """The kind of answer a value is, for telling a student what the answer looks like."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, tuple):
        return "sequence"
    if isinstance(value, core.dtype):
        return "dtype"
    if isinstance(value, str):
        return "text"
    return "other"


def _kind_message(expected: object) -> str:
    """A wrong answer of another kind than the expected one: say which kind is wanted."""
    kind = _kind(expected)
    if kind == "bool":
        return translate("LessonAnswers", "Not quite: the answer is True or False.")
    if kind == "number":
        return translate("LessonAnswers", "Not quite: the answer is one number.")
    if kind == "sequence" and len(expected) == 1:
        return translate("LessonAnswers", "Not quite: the answer is one value in a tuple: (3,).")
    if kind == "sequence":
        return translate("LessonAnswers", "Not quite: the answer has {count} values.").format(
            count=len(expected)
        )
    if kind == "dtype":
        return translate("LessonAnswers", "Not quite: the answer is a dtype.")
    return translate("LessonAnswers", "Not quite. Try again.")


def _unreadable_message(why: str, text: str, expected: object) -> str:
    """Say why ``text`` is no value, then how to type one of the expected kind."""
    if why == "empty":
        reason = translate("LessonAnswers", "Type an answer first.")
    elif why == "code":
        reason = translate(
            "LessonAnswers", "“{text}” is code: type the value it gives, not the code."
        ).format(text=text)
    elif why == "word":
        reason = translate("LessonAnswers", "“{text}” is not a value.").format(text=text)
    else:
        reason = translate("LessonAnswers", "Could not read “{text}”.").format(text=text)
    return f"{reason} {_how_to_type(expected)}"


def _how_to_type(expected: object) -> str:
    """How to type an answer of the expected kind, with an example of that kind."""
    kind = _kind(expected)
    if kind == "bool":
        return translate("LessonAnswers", "Type True or False (yes or no).")
    if kind == "number":
        return translate("LessonAnswers", "Type a number, such as 12.")
    if kind == "sequence":
        return translate("LessonAnswers", "Type the values separated by commas, such as (2, 3).")
    if kind == "dtype":
        return translate("LessonAnswers", "Type a dtype, such as float32.")
    if kind == "text":
        return translate("LessonAnswers", "Type a word.")
    return translate("LessonAnswers", "Type a value, such as (2, 3).")


def _float_text(value: float) -> str:
    """A float short enough to read: ``2.5``, ``0.333333``, ``1e-08``; always a float."""
    text = f"{value:.6g}"
    return text if any(mark in text for mark in ".enia") else f"{text}.0"
