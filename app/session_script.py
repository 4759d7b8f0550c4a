"""A session saved as a plain Python script, read back as history lines, written atomically.

The file is the history as PyTorch code (:func:`app.code_text.torch_script`) under a
short comment, so ``python session.py`` runs it in PyTorch, and opening it in StrideScope
runs the same lines again through the session. The comments of a script written by hand
are read with the lines below them, and written again with them while those lines stay
in the history. No Qt here.
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import glob
import io
import os
import re
import secrets
import stat
import tokenize
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app.code_text import core_code, torch_script
from app.i18n import QT_TRANSLATE_NOOP

SCRIPT_HEADER = (
    "# A StrideScope session: its history, line by line, as Python.\n"
    "# It runs in PyTorch as it is (python FILE); StrideScope opens it to show each tensor's\n"
    "# memory again. Random fills come from each library's own generator, so rand and randn\n"
    "# give other values in PyTorch.\n"
)
"""The comment a saved session starts with (a comment in the file, so not translated)."""
IMPORTED_ENGINES = frozenset({"torch", "core"})
"""Modules a script imports that the session already has: their ``import`` lines are skipped."""
ENCODING_LINE = re.compile(r"^[ \t\f]*#.*?coding[:=][ \t]*[-\w.]+")
"""PEP 263's encoding declaration (only the first two lines can hold one)."""
TEMPORARY_SUFFIX = ".tmp"
"""A file being written is ``.NAME.XXXXXXXX.tmp`` beside ``NAME`` until it is renamed."""


NOT_UTF8 = QT_TRANSLATE_NOOP(
    "SessionFiles", "not a UTF-8 text file: save it as UTF-8 text and open it again"
)


class ScriptError(Exception):
    """A script that cannot be read, or a line of it that failed: where, and why.

    ``str(error)`` is one line, ``FILE, line N: reason`` (``FILE: reason`` without a
    line), in English: the command line's form. ``reason`` is Python's or the engine's
    own text, or :data:`NOT_UTF8`.
    """

    def __init__(self, path: Path, line: int | None, reason: str) -> None:
        super().__init__(f"{path}, line {line}: {reason}" if line else f"{path}: {reason}")
        self.path = path
        self.line = line
        self.reason = reason


@dataclass(frozen=True)
class ScriptLine:
    """One history line read from a script, and the line of the file where it starts."""

    line: int
    code: str
    comments: str = ""
    """The comment lines written above it (blank lines inside the block kept)."""
    comments_after: str = ""
    """For the script's last line: the comments below it, that end the script."""


def session_script(history: list[str], read: Sequence[ScriptLine] = ()) -> str:
    """The text of a saved session: the header comment, then the history as PyTorch code.

    ``read`` are the lines of the script the session was read from: a history line that
    is still the line read at its place gets the comments it had in that script back.
    """
    lines = []
    for index, code in enumerate(history):
        known = read[index] if index < len(read) else None
        if known is None or known.code != code:
            lines.append(code)
            continue
        above = f"{known.comments}\n" if known.comments else ""
        below = f"\n{known.comments_after}" if known.comments_after else ""
        lines.append(above + code + below)
    return SCRIPT_HEADER + "\n" + torch_script(lines)


def read_script(text: str) -> list[ScriptLine]:
    """The history lines of a script, each with the number of the line it starts on.

    Top-level statements that share a physical line (``a = x.t(); b = a[0]``) stay one
    history line, as they were typed; a decorated ``def`` starts at its decorator.
    ``import torch`` and ``import core`` are skipped, and the name ``torch`` reads
    ``core`` again, as the session writes it. The comment lines above a statement are its
    :attr:`ScriptLine.comments` (those above a skipped import go to the next statement),
    except a saved session's header, a ``#!`` line and an encoding declaration.

    Raises
    ------
    SyntaxError
        When ``text`` does not parse; ``lineno`` says where.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Split as the parser counts lines: str.splitlines would also split at \f or \u2028.
    source_lines = text.split("\n")
    groups: list[list[ast.stmt]] = []
    for statement in ast.parse(text).body:
        if groups and statement.lineno == groups[-1][-1].end_lineno:
            groups[-1].append(statement)
        else:
            groups.append([statement])
    read: list[ScriptLine] = []
    comments: list[str] = []
    done = _opening_lines(text, source_lines)
    for group in groups:
        first, last = _first_line(group[0]), group[-1].end_lineno
        comments += _comment_block(source_lines[done : first - 1])
        done = last
        if all(imports_an_engine(statement) for statement in group):
            continue
        code = "\n".join(source_lines[first - 1 : last]).strip()
        read.append(ScriptLine(first, core_code(code).strip(), "\n".join(comments)))
        comments = []
    comments += _comment_block(source_lines[done:])
    if read and comments:
        read[-1] = dataclasses.replace(read[-1], comments_after="\n".join(comments))
    return read


def _first_line(statement: ast.stmt) -> int:
    """The line ``statement`` starts on: a decorated definition's first decorator's."""
    decorators = getattr(statement, "decorator_list", [])
    return min([statement.lineno, *(decorator.lineno for decorator in decorators)])


def _opening_lines(text: str, source_lines: list[str]) -> int:
    """How many lines at the top are not the user's comments: a saved session's header,
    or a ``#!`` line and an encoding declaration (said again by no saved file)."""
    if text.startswith(SCRIPT_HEADER):
        return SCRIPT_HEADER.count("\n")
    opening = 1 if source_lines[0].startswith("#!") else 0
    if opening < len(source_lines) and ENCODING_LINE.match(source_lines[opening]):
        opening += 1
    return opening


def _comment_block(lines: list[str]) -> list[str]:
    """``lines`` (blank or comment lines between statements) without the blank lines that
    start or end them."""
    while lines and not lines[0].strip():
        lines = lines[1:]
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return lines


def load_script(path: Path) -> list[ScriptLine]:
    """The history lines of the script at ``path`` (see :func:`read_script`).

    The text is UTF-8, or what an encoding declaration says it is, as Python reads it.

    Raises
    ------
    ScriptError
        When the file cannot be read, is not text in its encoding, or does not parse
        (with its line).
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ScriptError(path, None, error.strerror or str(error)) from error
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError) as error:  # a bad declaration too
        raise ScriptError(path, None, NOT_UTF8) from error
    try:
        return read_script(text)
    except SyntaxError as error:
        raise ScriptError(path, error.lineno, f"SyntaxError: {error.msg}") from error
    except (ValueError, RecursionError, MemoryError) as error:  # a NUL byte; too deep to parse
        raise ScriptError(path, None, f"{type(error).__name__}: {error}") from error


def imports_an_engine(statement: ast.stmt) -> bool:
    """Whether ``statement`` is ``import torch`` or ``import core`` (no other name)."""
    return isinstance(statement, ast.Import) and all(
        alias.name in IMPORTED_ENGINES and alias.asname in (None, alias.name)
        for alias in statement.names
    )


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` so that the file is always either old or new.

    The text goes to a temporary file in the same folder, is flushed to the disk, and
    then renamed over ``path`` (a rename within one file system replaces at once). A
    failure removes the temporary file and leaves ``path`` as it was. An existing file
    keeps its permissions; a symbolic link stays one, and the file it points to is the
    one replaced.

    Raises
    ------
    OSError
        When the folder cannot be written, the disk is full, or the rename fails.
    """
    data = text.encode("utf-8")
    path = Path(os.path.realpath(path))  # a rename over a link would replace the link
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}{TEMPORARY_SUFFIX}")
    # O_EXCL: never write through a file or link someone else put there; 0o666 under umask.
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        try:
            with contextlib.suppress(FileNotFoundError):
                os.chmod(temporary, stat.S_IMODE(path.stat().st_mode))
            written = 0
            while written < len(data):
                written += os.write(descriptor, data[written:])
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(temporary)
        raise
    _sync_folder(path.parent)


def unfinished_writes(path: Path) -> list[Path]:
    """The temporary files beside ``path`` of writes that a crash cut short."""
    return sorted(path.parent.glob(f".{glob.escape(path.name)}.*{TEMPORARY_SUFFIX}"))


def _sync_folder(folder: Path) -> None:
    """Flush the folder's entry for a renamed file to the disk, where the system allows it."""
    with contextlib.suppress(OSError, AttributeError):  # Windows cannot open a folder
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
