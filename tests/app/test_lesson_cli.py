"""The lesson parts of the command line: ``stridescope lessons``, ``--lesson``, and
``render --lesson NAME --step K``.

What a lesson has is read here from its file with tomllib, not through app.lessons, so the
listing is checked against the files themselves.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

import app.window_commands as window_commands
from app.cli import NO_DISPLAY_PNG, main, terminal_width
from app.code_text import statements
from app.main_window import DEFAULT_WINDOW_SIZE
from app.theme import apply_theme
from tests.app.test_qt_free_modules import IMPORT_WITHOUT_QT

REPO_ROOT = Path(__file__).resolve().parents[2]
LESSON_FILES = sorted((REPO_ROOT / "resources" / "lessons").glob("*.toml"))
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
LISTED = re.compile(r" ?(\d+)  (\S+) +(.+?) +(\d+) steps?")


@pytest.fixture(autouse=True)
def light_theme_afterwards(qapp):
    """main() themes the shared QApplication; put it back for the next test."""
    yield
    apply_theme(qapp, "light")


def file_facts(path: Path) -> tuple[str, str, str, int]:
    """Number, name, English title and step count of the lesson file at ``path``."""
    number, name = path.stem.split("-", 1)
    document = tomllib.loads(path.read_text(encoding="utf-8"))
    return str(int(number)), name, document["title"]["en"], len(document["steps"])


def steps_of(name: str) -> int:
    return next(facts[3] for facts in map(file_facts, LESSON_FILES) if facts[1] == name)


def test_lessons_lists_each_lesson_file_in_order(capsys):
    assert LESSON_FILES, "no lessons shipped"

    assert main(["lessons"]) == 0

    lines = capsys.readouterr().out.splitlines()
    listed = [LISTED.fullmatch(line) for line in lines]
    assert all(listed), lines
    assert [(*match.groups()[:3], int(match.group(4))) for match in listed] == [
        file_facts(path) for path in LESSON_FILES
    ]
    # Columns line up: every title starts at the same place.
    titles = {line.index(match.group(3)) for line, match in zip(lines, listed, strict=True)}
    assert len(titles) == 1


def test_lessons_lists_the_titles_in_the_language_asked_for_in_columns(capsys):
    assert main(["--lang", "ko", "lessons"]) == 0

    lines = capsys.readouterr().out.splitlines()
    listed = [LISTED.fullmatch(line) for line in lines]
    assert [match.group(3) for match in listed] == [
        tomllib.loads(path.read_text(encoding="utf-8"))["title"]["ko"] for path in LESSON_FILES
    ]
    # In a terminal a Hangul letter takes two columns: the step counts still line up.
    ends = {terminal_width(line[: line.rindex("  ") + 2]) for line in lines}
    assert len(ends) == 1
    assert terminal_width("텐서 x") == 6


def test_render_lesson_draws_a_lesson_file_from_anywhere(tmp_path, capsys):
    own = tmp_path / "12-my-storage.toml"
    own.write_text(LESSON_FILES[0].read_text(encoding="utf-8"), encoding="utf-8")
    output = tmp_path / "own.png"

    assert main(["render", "--lesson", str(own), "--step", "2", "-o", str(output)]) == 0

    assert capsys.readouterr().out.strip() == str(output)
    assert output.read_bytes().startswith(PNG_SIGNATURE)
    missing = tmp_path / "13-gone.toml"
    assert main(["render", "--lesson", str(missing), "-o", str(output)]) == 2
    assert capsys.readouterr().err == (
        "stridescope: error: 13-gone.toml: cannot be read: No such file or directory\n"
    )


def test_lessons_needs_no_qt():
    script = IMPORT_WITHOUT_QT + "\nfrom app.cli import main\nraise SystemExit(main(['lessons']))\n"

    result = subprocess.run(
        [sys.executable, "-c", script, "app.cli"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.count(" steps") + result.stdout.count(" step\n") == len(LESSON_FILES)
    assert "PySide6" not in result.stdout


def test_render_lesson_step_writes_a_picture_of_the_window(tmp_path, capsys):
    output = tmp_path / "step.png"

    assert main(["render", "--lesson", "storage", "--step", "2", "-o", str(output)]) == 0

    assert capsys.readouterr().out.strip() == str(output)
    assert output.read_bytes().startswith(PNG_SIGNATURE)
    image = QImage(str(output))
    assert (image.width(), image.height()) == DEFAULT_WINDOW_SIZE


def test_render_lesson_runs_the_steps_up_to_k_and_shows_step_k(tmp_path, monkeypatch):
    windows = []
    real_window = window_commands.MainWindow

    def kept_window(*args, **kwargs):
        window = real_window(*args, **kwargs)
        windows.append((window, window.session))
        return window

    monkeypatch.setattr(window_commands, "MainWindow", kept_window)

    assert main(["render", "--lesson", "1", "--step", "3", "-o", str(tmp_path / "s.png")]) == 0

    ((_window, session),) = windows
    # The code of the lesson's first three steps, and nothing else (no example code); a
    # last line that fails on purpose does not join the history.
    document = tomllib.loads(LESSON_FILES[0].read_text(encoding="utf-8"))
    expected = []
    for step in document["steps"][:3]:
        lines = statements(step.get("code", "").strip())
        expected += lines[:-1] if "fails" in step else lines
    assert session.history == expected


def test_dark_lesson_render_has_a_dark_background(tmp_path):
    output = tmp_path / "dark.png"

    assert main(["--theme", "dark", "render", "--lesson", "storage", "-o", str(output)]) == 0

    assert QImage(str(output)).pixelColor(4, 4).lightness() < 128


@pytest.mark.parametrize("step", ["0", "-1", "99"])
def test_a_step_outside_the_lesson_exits_2_saying_how_many_it_has(tmp_path, capsys, step):
    output = tmp_path / "out.png"
    count = steps_of("storage")

    assert main(["render", "--lesson", "storage", "--step", step, "-o", str(output)]) == 2

    assert capsys.readouterr().err == (
        f"stridescope: error: --step {step}: lesson storage has {count} steps: give 1 to {count}\n"
    )
    assert not output.exists()


def test_an_unknown_lesson_exits_2_in_one_line_listing_the_lessons(tmp_path):
    output = tmp_path / "out.png"

    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "render", "--lesson", "nope", "-o", str(output)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=60,
    )

    assert result.returncode == 2
    known = ", ".join(f"{facts[0]} {facts[1]}" for facts in map(file_facts, LESSON_FILES))
    assert result.stderr == (
        f"stridescope: error: no lesson 'nope': give a number or a name, one of: {known}; "
        "or a lesson file's path\n"
    )
    assert not output.exists()


def test_lesson_to_open_the_window_with_a_bad_name_exits_2(capsys):
    assert main(["--lesson", "nope"]) == 2

    error = capsys.readouterr().err
    assert error.startswith("stridescope: error: no lesson 'nope'")
    assert error.count("\n") == 1


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["render", "--lesson", "1", "--code", "x = torch.ones(2)"],
            "--code goes without --lesson: the lesson's steps are the code run",
        ),
        (
            ["render", "--lesson", "1", "--panel", "timing"],
            "--lesson draws the window, not --panel timing",
        ),
        (["--lesson", "1", "lessons"], "--lesson goes with the window or render, not lessons"),
    ],
)
def test_lesson_with_options_it_does_not_go_with_exits_2(tmp_path, capsys, arguments, message):
    output = ["-o", str(tmp_path / "out.png")] if "render" in arguments else []

    assert main([*arguments, *output]) == 2

    assert capsys.readouterr().err == f"stridescope: error: {message}\n"


def test_lesson_opens_the_window_at_the_lesson(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    opened = []
    real_window = window_commands.MainWindow

    def kept_window(*args, **kwargs):
        window = real_window(*args, **kwargs)
        window.lesson_player.lesson_opened.connect(
            lambda lesson: opened.append((lesson.name, lesson.number))
        )
        return window

    monkeypatch.setattr(window_commands, "MainWindow", kept_window)

    assert main(["--lesson", "2"]) == 0  # no display: the window is drawn instead

    *_, path = capsys.readouterr().out.strip().splitlines()
    assert Path(path) == tmp_path / NO_DISPLAY_PNG
    name = file_facts(LESSON_FILES[1])[1]
    assert opened == [(name, 2)]
