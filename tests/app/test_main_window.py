"""The first window: code in, each tensor's layout out, errors inline."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

import core
from app.code_runner import DEFAULT_CODE, CodeError, run_code


def error_color(window) -> QColor:
    style = window.error_label.styleSheet()
    return QColor(style.split("color:")[1].strip(" ;"))


def test_window_shows_title_icon_and_default_code(make_window):
    window = make_window()

    assert window.isVisible()
    assert window.windowTitle() == "StrideScope"
    assert not window.windowIcon().isNull()
    assert window.code_editor.toPlainText() == DEFAULT_CODE
    assert window.results_view.isReadOnly()


def test_default_code_lists_each_tensor_with_its_layout(make_window):
    window = make_window()
    text = window.results_view.toPlainText()

    x_block, y_block = text.split("\ny\n")
    assert x_block.startswith("x\n")
    assert repr(core.arange(12).view(3, 4)) in x_block
    assert repr(core.arange(12).view(3, 4).t()) in y_block
    for block, shape, stride, contiguous in [
        (x_block, "(3, 4)", "(4, 1)", "True"),
        (y_block, "(4, 3)", "(1, 4)", "False"),
    ]:
        lines = [line.split() for line in block.splitlines()]
        assert ["shape", *shape.split()] in lines
        assert ["stride()", *stride.split()] in lines
        assert ["storage_offset()", "0"] in lines
        assert ["is_contiguous()", contiguous] in lines
    assert window.error_message == ""


def test_run_button_runs_new_code(make_window, qtbot):
    window = make_window()
    window.code_editor.setPlainText("n = 6\na = core.arange(n).view(2, 3).t()")

    qtbot.mouseClick(window.run_button, Qt.MouseButton.LeftButton)

    text = window.results_view.toPlainText()
    assert text.startswith("a\n")
    assert "\nx\n" not in text
    assert ["stride()", "(1,", "3)"] in [line.split() for line in text.splitlines()]


def test_ctrl_enter_runs_the_code(make_window, qtbot):
    window = make_window()
    with qtbot.waitActive(window):  # shortcuts only reach the active window
        window.activateWindow()
    window.code_editor.setFocus()
    window.code_editor.setPlainText("b = core.arange(4)")

    qtbot.keyClick(window.code_editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    assert window.results_view.toPlainText().startswith("b\n")
    assert window.code_editor.toPlainText() == "b = core.arange(4)"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("y = x.t()", "NameError: name 'x' is not defined"),
        ("x = (", "SyntaxError: '(' was never closed (<code>, line 1)"),
        ("raise SystemExit(3)", "SystemExit: 3"),
        ("raise ValueError('first line\\nsecond line')", "ValueError: first line"),
    ],
)
def test_bad_code_shows_one_red_line_and_the_window_survives(make_window, qtbot, code, expected):
    window = make_window()
    window.code_editor.setPlainText(code)

    qtbot.mouseClick(window.run_button, Qt.MouseButton.LeftButton)

    assert window.isVisible()
    assert window.error_label.text() == expected
    assert window.error_message == expected
    color = error_color(window)
    assert color.red() > 2 * max(color.green(), color.blue())
    assert window.results_view.toPlainText() == ""

    window.code_editor.setPlainText(DEFAULT_CODE)
    qtbot.mouseClick(window.run_button, Qt.MouseButton.LeftButton)
    assert window.error_label.text() == ""
    assert window.results_view.toPlainText().startswith("x\n")


def test_code_without_tensors_says_so(make_window):
    window = make_window("n = 3")

    assert window.results_view.toPlainText() == "The code names no tensors."


def test_run_code_keeps_assignment_order_and_skips_private_names():
    summaries = run_code("b = core.arange(2); _hidden = core.arange(3); a = b.view(1, 2)")

    assert [(s.name, s.shape, s.stride) for s in summaries] == [
        ("b", (2,), (1,)),
        ("a", (1, 2), (2, 1)),
    ]


def test_run_code_reports_errors_as_code_error():
    with pytest.raises(CodeError, match=r"^ZeroDivisionError: division by zero$"):
        run_code("1 / 0")
