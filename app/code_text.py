"""Session code as text: one-line errors, PyTorch scripts, and the chains of views in a line.

No Qt here; the session and its tests use these directly.
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Sequence
from dataclasses import dataclass

# Methods that only read their receiver and return a new tensor (a view or a copy):
# evaluating one of them a second time changes nothing, so a lineage may replay them.
PURE_METHODS = frozenset(
    {
        "alias",
        "as_strided",
        "chunk",
        "clone",
        "contiguous",
        "detach",
        "diagonal",
        "double",
        "expand",
        "expand_as",
        "flatten",
        "flip",
        "float",
        "half",
        "int",
        "long",
        "movedim",
        "narrow",
        "permute",
        "reshape",
        "reshape_as",
        "select",
        "split",
        "squeeze",
        "swapaxes",
        "swapdims",
        "t",
        "tensor_split",
        "to",
        "transpose",
        "unbind",
        "unflatten",
        "unfold",
        "unsqueeze",
        "view",
        "view_as",
    }
)
PURE_PROPERTIES = frozenset({"T", "mT", "H", "mH", "data"})


def describe_exception(error: BaseException) -> str:
    """One line naming the exception class and the first line of its message."""
    if isinstance(error, SyntaxError):
        where = f" (line {error.lineno}, column {error.offset})" if error.lineno else ""
        return f"SyntaxError: {error.msg}{where}"
    lines = str(error).strip().splitlines()
    name = type(error).__name__
    return f"{name}: {lines[0]}" if lines else name


def torch_code(code: str) -> str:
    """``code`` with every name ``core`` renamed ``torch``, so that it runs in PyTorch.

    Only NAME tokens are renamed: strings and comments that mention core stay as written.
    """
    tokens = tokenize.generate_tokens(io.StringIO(code).readline)
    renamed = [
        token._replace(string="torch")
        if token.type == tokenize.NAME and token.string == "core"
        # (an attribute such as x.core would be renamed too; no tensor has one)
        else token
        for token in tokens
    ]
    return tokenize.untokenize(renamed)


def torch_script(lines: list[str]) -> str:
    """A script of ``lines`` that runs unchanged in PyTorch: ``import torch`` then each line."""
    body = "".join(torch_code(line).rstrip() + "\n" for line in lines)
    return "import torch\n\n" + body


def indexed(label: str, index: Sequence[int]) -> str:
    """How Python writes element ``index`` of ``label``: ``y[1, 2]``; ``x[()]`` for a 0-d tensor."""
    return f"{label}[{', '.join(str(int(i)) for i in index) or '()'}]"


@dataclass(frozen=True)
class Assignment:
    """``name = <expression>`` as found in a line: the name and its value's expression."""

    name: str
    value: ast.expr


def assignments(code: str) -> list[Assignment]:
    """Every simple ``name = expression`` in ``code``, in order (tuple targets are skipped)."""
    found = []
    for statement in ast.parse(code).body:
        if isinstance(statement, ast.Assign):
            for target in statement.targets:
                if isinstance(target, ast.Name):
                    found.append(Assignment(target.id, statement.value))
    return found


def pure_chain(expression: ast.expr) -> tuple[str, list[ast.expr]] | None:
    """The root name and each longer prefix of ``root.op(...)[...]...`` when every step is pure.

    ``x.t()[1:]`` gives ``("x", [x.t(), x.t()[1:]])``. None when the expression is not a
    chain of pure steps on one name (a factory call, arithmetic, an in-place method).
    """
    prefixes: list[ast.expr] = []
    node = expression
    while not isinstance(node, ast.Name):
        prefixes.append(node)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr not in PURE_METHODS:
                return None
            node = node.func.value
        elif (
            isinstance(node, ast.Subscript)
            or isinstance(node, ast.Attribute)
            and node.attr in PURE_PROPERTIES
        ):
            node = node.value
        else:
            return None
    if not prefixes:
        return None
    return node.id, prefixes[::-1]


def view_calls(code: str) -> list[ast.Call]:
    """Every ``<receiver>.view(...)`` call in ``code`` whose receiver is a pure chain or a name."""
    calls = []
    for node in ast.walk(ast.parse(code)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "view"
            and (isinstance(node.func.value, ast.Name) or pure_chain(node.func.value))
        ):
            calls.append(node)
    return calls


def with_method_renamed(code: str, call: ast.Call, new_method: str) -> str:
    """``code`` with the method of ``call`` (a node of ``ast.parse(code)``) renamed."""
    lines = code.splitlines(keepends=True)
    attribute = call.func
    assert isinstance(attribute, ast.Attribute)
    row = attribute.end_lineno - 1
    line = lines[row]
    end = _character_column(line, attribute.end_col_offset)
    start = end - len(attribute.attr)
    lines[row] = line[:start] + new_method + line[end:]
    return "".join(lines)


def with_contiguous_receiver(code: str, call: ast.Call) -> str:
    """``code`` with ``.contiguous()`` inserted before the method of ``call``."""
    lines = code.splitlines(keepends=True)
    attribute = call.func
    assert isinstance(attribute, ast.Attribute)
    row = attribute.end_lineno - 1
    line = lines[row]
    dot = _character_column(line, attribute.end_col_offset) - len(attribute.attr) - 1
    lines[row] = line[:dot] + ".contiguous()" + line[dot:]
    return "".join(lines)


def _character_column(line: str, byte_column: int) -> int:
    """The character index of ``byte_column`` (ast counts columns in UTF-8 bytes)."""
    return len(line.encode()[:byte_column].decode(errors="ignore"))
