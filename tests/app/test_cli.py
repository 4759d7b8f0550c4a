"""The ``stridescope`` command line: render headless, fail in one line."""

import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from app.cli import NO_DISPLAY_PNG, has_display, main
from app.main_window import DEFAULT_WINDOW_SIZE
from app.theme import apply_theme

REPO_ROOT = Path(__file__).resolve().parents[2]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def light_theme_afterwards(qapp):
    """main() themes the shared QApplication; put it back for the next test."""
    yield
    apply_theme(qapp, "light")


def test_console_script_is_app_cli_main():
    (script,) = entry_points(group="console_scripts", name="stridescope")
    assert script.value == "app.cli:main"


def test_render_writes_a_png_of_the_window(tmp_path, capsys):
    output = tmp_path / "deep" / "window.png"

    assert main(["render", "-o", str(output)]) == 0

    assert capsys.readouterr().out.strip() == str(output)
    assert output.read_bytes().startswith(PNG_SIGNATURE)
    assert output.stat().st_size > 10_000
    image = QImage(str(output))
    assert (image.width(), image.height()) == DEFAULT_WINDOW_SIZE


@pytest.mark.parametrize(
    ("arguments", "dark_background"),
    [
        (["render"], False),
        (["render", "--theme", "light"], False),
        (["render", "--theme", "dark"], True),
        (["--theme", "dark", "render"], True),
    ],
)
def test_render_theme_sets_the_background(tmp_path, arguments, dark_background):
    output = tmp_path / "window.png"

    assert main([*arguments, "-o", str(output)]) == 0

    corner = QImage(str(output)).pixelColor(4, 4)
    assert (corner.lightness() < 128) == dark_background


def test_bad_code_exits_2_with_one_line_and_no_file(tmp_path):
    output = tmp_path / "out.png"

    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "render", "--code", "x = core.nope", "-o", str(output)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=60,
    )

    assert result.returncode == 2
    assert result.stderr.startswith("stridescope: error: --code failed: AttributeError")
    assert len(result.stderr.strip().splitlines()) == 1
    assert not output.exists()


def test_syntax_error_in_code_exits_2(tmp_path, capsys):
    assert main(["render", "--code", "x = (", "-o", str(tmp_path / "out.png")]) == 2

    error = capsys.readouterr().err
    failure = "SyntaxError: '(' was never closed (line 1, column 5)"
    assert error == f"stridescope: error: --code failed: {failure}\n"


def test_unwritable_output_exits_2(tmp_path, capsys):
    not_a_folder = tmp_path / "file.txt"
    not_a_folder.write_text("")

    assert main(["render", "-o", str(not_a_folder / "out.png")]) == 2

    error = capsys.readouterr().err
    assert error.startswith(f"stridescope: error: cannot write {not_a_folder / 'out.png'}")
    assert error.count("\n") == 1


def test_without_display_the_app_renders_its_window(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")

    assert main([]) == 0

    message, path = capsys.readouterr().out.strip().splitlines()
    assert "no display" in message
    assert Path(path) == tmp_path / NO_DISPLAY_PNG
    assert Path(path).read_bytes().startswith(PNG_SIGNATURE)


@pytest.mark.parametrize(
    ("environ", "platform", "expected"),
    [
        ({}, "linux", False),
        ({"DISPLAY": ":0"}, "linux", True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", True),
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, "linux", False),
        ({"QT_QPA_PLATFORM": "minimal"}, "darwin", False),
        ({"QT_QPA_PLATFORM": "xcb"}, "linux", False),
        ({"QT_QPA_PLATFORM": "xcb", "DISPLAY": ":1"}, "linux", True),
        ({"QT_QPA_PLATFORM": "vnc:size=800x600"}, "linux", True),
        ({}, "darwin", True),
        ({}, "win32", True),
    ],
)
def test_has_display(environ, platform, expected):
    assert has_display(environ, platform) is expected


def test_render_select_and_memory_panel(tmp_path, capsys):
    output = tmp_path / "memory.png"

    code = "x = core.arange(12).view(3, 4); y = x.t(); z = y.contiguous()"
    assert (
        main(["render", "--code", code, "--select", "y", "--panel", "memory", "-o", str(output)])
        == 0
    )

    image = QImage(str(output))  # the panel alone: no menu bar, no docks
    assert image.width() == DEFAULT_WINDOW_SIZE[0]
    assert 0 < image.height() < DEFAULT_WINDOW_SIZE[1]
    assert output.read_bytes().startswith(PNG_SIGNATURE)


def test_render_select_unknown_name_exits_2_naming_the_tensors(tmp_path, capsys):
    output = tmp_path / "out.png"

    assert main(["render", "--code", "x = core.ones(2)", "--select", "q", "-o", str(output)]) == 2

    assert capsys.readouterr().err == (
        "stridescope: error: --select q: no tensor has that name (tensors: x)\n"
    )
    assert not output.exists()


def test_render_runs_each_statement_as_its_own_history_line(qapp):
    from app.main_window import MainWindow

    window = MainWindow()
    window.run_code("x = core.arange(6)\ny = x.view(2, 3); z = y.t()")

    assert window.session.history == ["x = core.arange(6)", "y = x.view(2, 3)", "z = y.t()"]
    window.close()


@pytest.mark.parametrize(
    ("given", "saved", "theme"),
    [
        ("dark", "light", "dark"),
        (None, "dark", "dark"),
        (None, "purple", "light"),
        (None, None, "light"),
    ],
)
def test_the_theme_to_open_in_survives_a_hand_edited_settings_file(given, saved, theme):
    from app.startup import chosen_theme

    assert chosen_theme(given, saved) == theme
