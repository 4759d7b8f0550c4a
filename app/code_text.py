"""Session code as text: one-line errors, PyTorch scripts, statements, method rewrites.

No Qt here; the session and its tests use these directly.
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Sequence

from app.i18n import translate


def describe_exception(error: BaseException) -> str:
    """One line naming the exception class and the first line of its message."""
    if isinstance(error, SyntaxError):
        if not error.lineno:
            return f"SyntaxError: {error.msg}"
        text = translate("CodeText", "SyntaxError: {message} (line {line}, column {column})")
        return text.format(message=error.msg, line=error.lineno, column=error.offset)
    lines = str(error).strip().splitlines()
    name = type(error).__name__
    return f"{name}: {lines[0]}" if lines else name


def torch_code(code: str) -> str:
    """``code`` with every name ``core`` renamed ``torch``, so that it runs in PyTorch.

    Only NAME tokens are renamed: strings and comments that mention core stay as written.
    """
    return _renamed(code, "core", "torch")


def core_code(code: str) -> str:
    """``code`` with every name ``torch`` renamed ``core``: the inverse of :func:`torch_code`."""
    return _renamed(code, "torch", "core")


def _renamed(code: str, old: str, new: str) -> str:
    """``code`` with each NAME token ``old`` renamed ``new`` (an attribute such as ``x.core``
    would be renamed too; no tensor has one)."""
    tokens = tokenize.generate_tokens(io.StringIO(code).readline)
    renamed = [
        token._replace(string=new) if token.type == tokenize.NAME and token.string == old else token
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


def statements(code: str) -> list[str]:
    """Each top-level statement of ``code`` as its own line of source.

    Raises
    ------
    SyntaxError
        When ``code`` does not parse.
    """
    return [ast.get_source_segment(code, statement) for statement in ast.parse(code).body]


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
    return with_method_renamed(code, call, f"contiguous().{call.func.attr}")


def _character_column(line: str, byte_column: int) -> int:
    """The character index of ``byte_column`` (ast counts columns in UTF-8 bytes)."""
    return len(line.encode()[:byte_column].decode(errors="ignore"))
