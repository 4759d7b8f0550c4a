"""A session as a script, without Qt: its text, reading it back, and writing it atomically."""

from __future__ import annotations

import dataclasses
import os
import stat

import pytest

from app.code_text import core_code, torch_code
from app.session_script import (
    NOT_UTF8,
    SCRIPT_HEADER,
    ScriptError,
    ScriptLine,
    load_script,
    read_script,
    session_script,
    unfinished_writes,
    write_atomically,
)

HISTORY = [
    "x = core.arange(12, dtype=core.float32).view(3, 4)",
    "y = x.t(); z = y[1:]",
    "for i in range(2):\n    x[i] += core.tensor(1.0)",
    "w = core.rand(2, 2)",
    "s = 'core is not renamed in a string'  # nor in a comment: core",
]

# -- the text -------------------------------------------------------------------------


def test_the_script_is_the_header_then_the_history_as_pytorch():
    text = session_script(HISTORY)

    assert text == (
        SCRIPT_HEADER
        + "\nimport torch\n\n"
        + "x = torch.arange(12, dtype=torch.float32).view(3, 4)\n"
        + "y = x.t(); z = y[1:]\n"
        + "for i in range(2):\n    x[i] += torch.tensor(1.0)\n"
        + "w = torch.rand(2, 2)\n"
        + "s = 'core is not renamed in a string'  # nor in a comment: core\n"
    )
    assert SCRIPT_HEADER.startswith("# A StrideScope session")
    assert "PyTorch" in SCRIPT_HEADER
    assert all(line.startswith("#") for line in SCRIPT_HEADER.splitlines())


def test_reading_the_script_gives_the_history_back_with_its_first_lines():
    header_lines = SCRIPT_HEADER.count("\n") + 3  # the header, a blank, import torch, a blank

    read = read_script(session_script(HISTORY))

    assert [line.code for line in read] == HISTORY
    assert [line.line for line in read] == [
        header_lines + 1,
        header_lines + 2,
        header_lines + 3,
        header_lines + 5,
        header_lines + 6,
    ]


def test_core_code_undoes_torch_code_on_names_only():
    code = "y = torch.ones(2)  # torch stays in comments\ns = 'torch'"

    assert core_code(code) == "y = core.ones(2)  # torch stays in comments\ns = 'torch'"
    assert torch_code(core_code(code)) == code


def test_a_hand_written_script_reads_statement_by_statement():
    text = (
        "import torch, core\n"
        "import core\n"
        "import torch as t\n"
        "\n"
        "# a comment line is not a statement\n"
        "a = t.zeros(\n"
        "    2, 3\n"
        ")\n"
        "b = a.t(); c = b[0]\n"
        "import math\n"
    )

    assert read_script(text) == [
        ScriptLine(3, "import core as t"),
        ScriptLine(6, "a = t.zeros(\n    2, 3\n)", "# a comment line is not a statement"),
        ScriptLine(9, "b = a.t(); c = b[0]"),
        ScriptLine(10, "import math"),
    ]


HAND_WRITTEN = (
    "#!/usr/bin/env python3\n"
    "# -*- coding: utf-8 -*-\n"
    "# Lesson 3: strides\n"
    "import torch\n"
    "\n"
    "# a matrix\n"
    "#\n"
    "#   and its transpose\n"
    "x = torch.arange(6).view(2, 3)  # row-major\n"
    "y = x.t()\n"
    "\n"
    "\n"
    "@torch.no_grad()\n"
    "def double(t):\n"
    "    # in place, on the same storage\n"
    "    t.mul_(2)\n"
    "\n"
    "double(y)\n"
    "# Try it: y.stride()\n"
    "\n"
)


def test_comments_go_with_the_line_below_them_and_the_last_ones_end_the_script():
    assert read_script(HAND_WRITTEN) == [
        ScriptLine(
            9,
            "x = core.arange(6).view(2, 3)  # row-major",
            "# Lesson 3: strides\n# a matrix\n#\n#   and its transpose",
        ),
        ScriptLine(10, "y = x.t()"),
        ScriptLine(
            13,
            "@core.no_grad()\ndef double(t):\n    # in place, on the same storage\n    t.mul_(2)",
        ),
        ScriptLine(18, "double(y)", comments_after="# Try it: y.stride()"),
    ]


def test_a_saved_session_gives_its_comments_back_to_the_lines_still_there():
    read = read_script(HAND_WRITTEN)
    history = [line.code for line in read]

    saved = session_script(history, read)

    assert saved == (
        SCRIPT_HEADER
        + "\nimport torch\n\n"
        + "# Lesson 3: strides\n# a matrix\n#\n#   and its transpose\n"
        + "x = torch.arange(6).view(2, 3)  # row-major\n"
        + "y = x.t()\n"
        + "@torch.no_grad()\ndef double(t):\n    # in place, on the same storage\n"
        + "    t.mul_(2)\n"
        + "double(y)\n# Try it: y.stride()\n"
    )
    # The header is not read as a comment: read again, the lines are the same lines.
    assert [dataclasses.replace(line, line=0) for line in read_script(saved)] == [
        dataclasses.replace(line, line=0) for line in read
    ]
    changed = session_script([history[0], "y = x[0]", *history[2:], "z = y + 1"], read)
    assert changed.endswith(
        "y = x[0]\n@torch.no_grad()\ndef double(t):\n    # in place, on the same storage\n"
        "    t.mul_(2)\ndouble(y)\n# Try it: y.stride()\nz = y + 1\n"
    )
    assert "# Lesson 3" in changed
    assert session_script(history[1:], read).count("#") == SCRIPT_HEADER.count("#") + 1


def test_windows_line_ends_and_a_form_feed_keep_the_line_numbers():
    text = "x = 1\r\n\r\ny = '\f'\r\nz = 3\r\n"

    assert read_script(text) == [
        ScriptLine(1, "x = 1"),
        ScriptLine(3, "y = '\f'"),
        ScriptLine(4, "z = 3"),
    ]


def test_an_empty_history_is_a_script_with_no_lines():
    assert read_script(session_script([])) == []


# -- loading a file -------------------------------------------------------------------


def test_load_reads_a_utf8_file_with_or_without_a_byte_order_mark(tmp_path):
    plain, marked = tmp_path / "plain.py", tmp_path / "marked.py"
    plain.write_text("x = torch.tensor([1.0, 2.5])  # é\n", encoding="utf-8")
    marked.write_bytes(b"\xef\xbb\xbf" + plain.read_bytes())

    expected = [ScriptLine(1, "x = core.tensor([1.0, 2.5])  # é")]
    assert load_script(plain) == expected
    assert load_script(marked) == expected


def test_a_missing_file_is_an_error_without_a_line(tmp_path):
    path = tmp_path / "gone.py"

    with pytest.raises(ScriptError) as caught:
        load_script(path)

    assert (caught.value.path, caught.value.line) == (path, None)
    assert caught.value.reason == "No such file or directory"
    assert str(caught.value) == f"{path}: No such file or directory"


def test_a_file_is_read_in_the_encoding_it_declares(tmp_path):
    path = tmp_path / "euc-kr.py"
    path.write_bytes("# -*- coding: euc-kr -*-\nx = torch.ones(2)  # 텐서\n".encode("euc-kr"))

    assert load_script(path) == [ScriptLine(2, "x = core.ones(2)  # 텐서")]


def test_a_file_that_is_not_utf8_says_so(tmp_path):
    path = tmp_path / "latin1.py"
    path.write_bytes("x = 'caf\xe9'\n".encode("latin-1"))

    with pytest.raises(ScriptError) as caught:
        load_script(path)

    assert caught.value.reason == NOT_UTF8
    assert caught.value.line is None


def test_a_syntax_error_names_its_line(tmp_path):
    path = tmp_path / "broken.py"
    path.write_text("import torch\nx = torch.ones(2)\ny = x +\nz = 1\n")

    with pytest.raises(ScriptError) as caught:
        load_script(path)

    assert caught.value.line == 3
    assert caught.value.reason == "SyntaxError: invalid syntax"
    assert str(caught.value) == f"{path}, line 3: SyntaxError: invalid syntax"


def test_a_nul_byte_is_an_error_not_a_crash(tmp_path):
    path = tmp_path / "nul.py"
    path.write_bytes(b"x = 1\x00\n")

    with pytest.raises(ScriptError) as caught:
        load_script(path)

    assert caught.value.reason.startswith(("SyntaxError", "ValueError"))


# -- writing atomically ---------------------------------------------------------------

OLD = "x = torch.ones(2)\n" * 100
NEW = "y = torch.zeros(3)\n" * 300


def leftovers(folder) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def test_write_replaces_the_file_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "session.py"
    path.write_text(OLD)
    path.chmod(0o640)

    write_atomically(path, NEW)

    assert path.read_text() == NEW
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert leftovers(tmp_path) == ["session.py"]


def test_a_new_file_gets_the_usual_permissions(tmp_path):
    path = tmp_path / "new.py"
    umask = os.umask(0o022)
    try:
        write_atomically(path, NEW)
    finally:
        os.umask(umask)

    assert path.read_text() == NEW
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_a_failed_rename_keeps_the_old_file_whole(tmp_path, monkeypatch):
    path = tmp_path / "session.py"
    path.write_text(OLD)

    def refuse(source, target):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(PermissionError):
        write_atomically(path, NEW)

    assert path.read_text() == OLD
    assert leftovers(tmp_path) == ["session.py"]


def test_a_write_that_fails_midway_keeps_the_old_file_whole(tmp_path, monkeypatch):
    path = tmp_path / "session.py"
    path.write_text(OLD)
    real_write = os.write
    calls = []

    def half_then_full_disk(descriptor, data):
        calls.append(len(data))
        if len(calls) == 1:
            return real_write(descriptor, bytes(data[: len(data) // 2]))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", half_then_full_disk)
    with pytest.raises(OSError, match="No space left"):
        write_atomically(path, NEW)
    monkeypatch.undo()

    assert calls == [len(NEW), len(NEW) - len(NEW) // 2]  # it went on after the short write
    assert path.read_text() == OLD
    assert leftovers(tmp_path) == ["session.py"]


def test_a_failed_flush_to_disk_keeps_the_old_file_whole(tmp_path, monkeypatch):
    path = tmp_path / "session.py"
    path.write_text(OLD)

    def failing_fsync(descriptor):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="Input/output"):
        write_atomically(path, NEW)

    assert path.read_text() == OLD
    assert leftovers(tmp_path) == ["session.py"]


def test_a_link_stays_a_link_and_its_file_is_written(tmp_path):
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "session.py"
    target.write_text(OLD)
    link = tmp_path / "link.py"
    link.symlink_to(target)

    write_atomically(link, NEW)

    assert link.is_symlink()
    assert target.read_text() == NEW
    assert leftovers(tmp_path) == ["link.py", "real"]
    assert leftovers(tmp_path / "real") == ["session.py"]


def test_unfinished_writes_are_what_a_crash_left_of_that_files_writes(tmp_path, monkeypatch):
    path = tmp_path / "session[1].py"  # [1] is a pattern in glob, and a name here
    other = tmp_path / "session1.py"

    def crash(source, target):
        raise OSError(5, "killed before the rename")

    monkeypatch.setattr(os, "replace", crash)
    monkeypatch.setattr(os, "remove", lambda path: None)  # a killed process cleans nothing
    for target in (path, path, other):
        with pytest.raises(OSError):
            write_atomically(target, NEW)
    monkeypatch.undo()

    left = unfinished_writes(path)
    assert len(left) == 2
    assert [temporary.read_text() for temporary in left] == [NEW, NEW]
    assert all(temporary.name.startswith(".session[1].py.") for temporary in left)
    assert len(unfinished_writes(other)) == 1
    assert unfinished_writes(tmp_path / "session.py") == []


def test_writing_into_a_missing_folder_fails_cleanly(tmp_path):
    with pytest.raises(FileNotFoundError):
        write_atomically(tmp_path / "no such folder" / "session.py", NEW)

    assert leftovers(tmp_path) == []
