"""The tensor builder, the operation form and the console, driven as a person would."""

from __future__ import annotations

import pytest
import torch
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication

import core
from app.session import Session
from app.theme import ERROR_COLORS, apply_theme, current_theme
from app.widgets.console import EMPTY_HISTORY, Console
from app.widgets.operation_form import OperationForm
from app.widgets.tensor_builder import TensorBuilder, device_unavailable_reason
from tests.core.assertions import assert_same_tensor

START = "x = core.arange(12).view(3, 4)"


@pytest.fixture
def session() -> Session:
    """A session holding ``x``, a 3 × 4 int64 tensor."""
    made = Session()
    made.run(START)
    return made


@pytest.fixture
def show(qtbot):
    """Show a widget as its own active window, so that focus can be checked."""

    def shown(widget):
        qtbot.addWidget(widget)
        widget.show()
        qtbot.waitExposed(widget)
        widget.activateWindow()
        qtbot.waitUntil(widget.isActiveWindow)
        return widget

    return shown


def state(session: Session) -> tuple[list[str], dict[str, tuple]]:
    """The history and each tensor's layout: what a refused input must leave as it was."""
    layouts = {
        name: (tuple(t.shape), t.stride(), t.storage_offset(), t.dtype)
        for name, t in session.tensors().items()
    }
    return session.history, layouts


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


# -- tensor builder ------------------------------------------------------------------


def test_builder_builds_the_typed_tensor_and_offers_the_next_name(qtbot, show, session):
    builder = show(TensorBuilder(session))
    assert builder.name_edit.text() == "y"
    qtbot.keyClicks(builder.shape_edit, "2, 3")
    qtbot.keyClicks(builder.dtype_box, "float64")
    builder.fill_box.setCurrentText("ones")
    click(qtbot, builder.create_button)

    assert session.history == [START, "y = core.ones(2, 3, dtype=core.float64)"]
    y = session.tensors()["y"]
    assert (tuple(y.shape), y.dtype) == ((2, 3), core.float64)
    assert session.current.name == "y"
    assert builder.name_edit.text() == "z"
    assert builder.error.isHidden()


@pytest.mark.parametrize("field", ["name_edit", "shape_edit", "dtype_box", "fill_box"])
def test_enter_in_any_builder_field_creates(qtbot, show, session, field):
    builder = show(TensorBuilder(session))
    builder.shape_edit.setText("4")
    qtbot.keyClick(getattr(builder, field), Qt.Key.Key_Return)
    assert session.history == [START, "y = core.arange(4, dtype=core.float32)"]


def test_builder_keeps_a_typed_name_that_is_still_free(qtbot, show, session):
    builder = show(TensorBuilder(session))
    builder.name_edit.setText("weights")
    session.run("y = x.t()")
    assert builder.name_edit.text() == "weights"
    builder.create()
    assert "weights" in session.tensors()
    assert builder.name_edit.text() == "z"


@pytest.mark.parametrize(
    ("shape", "message"),
    [
        ("3,-1", "sizes must be 0 or more: -1 is only for view() and reshape()"),
        ("-4", "sizes must be 0 or more, got -4"),
        ("abc", "sizes are whole numbers such as 3, 4: 'abc' is not one"),
        ("1e12", "sizes are whole numbers such as 3, 4: '1e12' is not one"),
        ("1,1,1,1,1,1,1,1,1", "at most 8 dims, got 9: use fewer sizes"),
    ],
)
def test_builder_refuses_a_bad_shape_inline_and_changes_nothing(
    qtbot, show, session, shape, message
):
    builder = show(TensorBuilder(session))
    before = state(session)
    qtbot.keyClicks(builder.shape_edit, shape)
    click(qtbot, builder.create_button)

    assert builder.error.text() == message
    assert builder.error.isVisible()
    assert builder.shape_edit.hasFocus()
    assert state(session) == before


def test_builder_refuses_a_taken_name_and_focuses_it(qtbot, show, session):
    builder = show(TensorBuilder(session))
    builder.name_edit.setText("x")
    builder.shape_edit.setText("3")
    builder.create()
    assert builder.error.text() == "x already names a tensor: choose another, such as y"
    assert builder.name_edit.hasFocus()
    assert session.history == [START]


def test_builder_refuses_random_integers_and_focuses_the_dtype(qtbot, show, session):
    builder = show(TensorBuilder(session))
    builder.shape_edit.setText("3")
    builder.dtype_box.setCurrentText("int64")
    builder.fill_box.setCurrentText("randn")
    builder.create()
    assert builder.error.text().startswith("randn draws random floats, and PyTorch has no randn")
    assert builder.dtype_box.hasFocus()
    assert session.history == [START]


def test_builder_refuses_a_shape_over_the_memory_limit(qtbot, show):
    session = Session(memory_limit=2**20)
    builder = show(TensorBuilder(session))
    builder.shape_edit.setText("1024, 1024")
    builder.create()
    assert builder.error.text() == (
        "1024 × 1024 float32 needs 4 MiB, over the memory limit of 1 MiB: "
        "use a smaller shape or raise the limit in Preferences"
    )
    assert session.history == []
    assert session.tensors() == {}


def test_a_successful_build_clears_the_message(qtbot, show, session):
    builder = show(TensorBuilder(session))
    builder.shape_edit.setText("abc")
    builder.create()
    assert builder.error.isVisible()
    builder.shape_edit.setText("")
    builder.create()
    assert builder.error.isHidden()
    assert session.history[-1] == "y = core.tensor(0, dtype=core.float32)"


def test_cuda_is_greyed_out_with_the_reason(qtbot, session):
    builder = TensorBuilder(session)
    qtbot.addWidget(builder)
    model = builder.device_box.model()
    cpu, cuda = model.item(0), model.item(1)
    reason = device_unavailable_reason("cuda")
    engine_reason = core.cuda.unavailable_reason()
    if engine_reason is None:
        pytest.skip("this machine has a GPU: cuda is not greyed out")
    assert reason == f"device 'cuda' is not available: {engine_reason}"
    assert cpu.isEnabled() and cpu.toolTip() == ""
    assert not cuda.isEnabled()
    assert cuda.toolTip() == reason
    assert builder.device_box.currentText() == "cpu"


def test_the_error_colour_follows_the_theme(qtbot, show, qapp, restore_theme, session):
    builder = show(TensorBuilder(session))
    builder.shape_edit.setText("abc")
    builder.create()
    for theme in ("dark", "light"):
        apply_theme(qapp, theme)
        qtbot.waitUntil(lambda: current_theme(builder.error.palette()) == theme)  # noqa: B023
        assert builder.error.error_colour() == QColor(ERROR_COLORS[theme])


@pytest.fixture
def reset_default_dtype():
    """The engine's default dtype back to float32 after a test whose session changes it."""
    yield
    core.set_default_dtype(core.float32)


@pytest.mark.usefixtures("reset_default_dtype")
@pytest.mark.parametrize(
    ("dtype_name", "line"),
    [
        ("float32", "y = core.zeros(2, 3, dtype=core.float32)"),
        ("float64", "y = core.zeros(2, 3)"),
    ],
)
def test_builder_makes_the_chosen_dtype_after_the_session_changed_the_default(
    qtbot, show, session, dtype_name, line
):
    session.run("core.set_default_dtype(core.float64)")
    builder = show(TensorBuilder(session))
    builder.shape_edit.setText("2, 3")
    builder.dtype_box.setCurrentText(dtype_name)
    builder.fill_box.setCurrentText("zeros")
    click(qtbot, builder.create_button)

    assert session.history[-1] == line
    assert session.tensors()["y"].dtype == getattr(core, dtype_name)


# -- operation form ------------------------------------------------------------------


def choose(form: OperationForm, operation: str) -> None:
    form.operation_box.setCurrentIndex(form.operation_box.findData(operation))


def test_form_applies_an_operation_and_shows_the_result(qtbot, show, session):
    form = show(OperationForm(session))
    assert form.source_box.currentText() == "x"
    assert form.target_edit.text() == "y"
    choose(form, "transpose")
    assert form.operation_box.currentText() == "transpose(dim0, dim1)"
    assert form.arguments_edit.placeholderText() == "such as 0, 1"
    qtbot.keyClicks(form.arguments_edit, "0, 1")
    click(qtbot, form.apply_button)

    assert session.history == [START, "y = x.transpose(0, 1)"]
    assert session.current.name == "y"
    assert form.source_box.currentText() == "y"
    assert form.target_edit.text() == "z"
    assert form.error.isHidden()


def test_form_index_and_enter(qtbot, show, session):
    form = show(OperationForm(session))
    choose(form, "[index]")
    qtbot.keyClicks(form.arguments_edit, "1:, ::2")
    qtbot.keyClick(form.arguments_edit, Qt.Key.Key_Return)
    assert session.history[-1] == "y = x[1:, ::2]"
    y = session.tensors()["y"]
    assert (tuple(y.shape), y.stride(), y.storage_offset()) == ((2, 2), (4, 2), 4)


@pytest.mark.parametrize("width", [200, 260, 340])
def test_form_hint_keeps_every_wrapped_line_when_squeezed(qtbot, show, session, width):
    form = show(OperationForm(session))
    label = form.hint_label
    for operation in ("t", "unfold", "[index]"):
        choose(form, operation)
        form.resize(width, 1)  # as short as the form's minimum height allows
        qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()))  # noqa: B023
        assert label.heightForWidth(label.width()) >= 2 * label.fontMetrics().lineSpacing()


def test_an_operation_without_arguments_disables_the_field(qtbot, show, session):
    form = show(OperationForm(session))
    choose(form, "transpose")
    form.arguments_edit.setText("0, 1")
    choose(form, "t")
    assert not form.arguments_edit.isEnabled()
    assert form.arguments_edit.text() == ""
    assert form.arguments_edit.placeholderText() == "(takes no arguments)"
    form.apply()
    assert session.history[-1] == "y = x.t()"


@pytest.mark.parametrize(
    ("operation", "arguments", "message"),
    [
        ("transpose", "0", "transpose takes 2 arguments (dim0, dim1), got 1"),
        ("transpose", "0, 2", "dim 2 is out of range for a 2-d tensor: use -2 to 1"),
        ("unsqueeze", "-4", "dim -4 is out of range for a 2-d tensor (unsqueeze adds one)"),
        ("narrow", "0, 1.5, 1", "narrow's start must be an int; got 1.5"),
        ("[index]", "::-1", "slice steps must be 1 or more (PyTorch cannot step backwards)"),
    ],
)
def test_form_refuses_bad_arguments_inline_and_changes_nothing(
    qtbot, show, session, operation, arguments, message
):
    form = show(OperationForm(session))
    before = state(session)
    choose(form, operation)
    qtbot.keyClicks(form.arguments_edit, arguments)
    click(qtbot, form.apply_button)
    assert message in form.error.text()
    assert form.error.isVisible()
    assert form.arguments_edit.hasFocus()
    assert state(session) == before


def test_choosing_another_operation_clears_the_message(qtbot, show, session):
    form = show(OperationForm(session))
    choose(form, "transpose")
    form.apply()
    assert form.error.isVisible()
    choose(form, "permute")
    assert form.error.isHidden()
    assert form.arguments_edit.placeholderText() == "such as 1, 0"


def test_form_shows_what_the_engine_reports(qtbot, show, session):
    session.run("y = x.t()")
    form = show(OperationForm(session))
    assert form.source_box.currentText() == "y"
    before = state(session)
    choose(form, "view")
    form.arguments_edit.setText("12")
    form.apply()
    assert form.error.text().startswith("RuntimeError: view size is not compatible")
    assert state(session) == before


def test_form_without_tensors_says_to_build_one(qtbot, show):
    session = Session()
    form = show(OperationForm(session))
    form.apply()
    assert form.error.text() == "build a tensor first: there is nothing to apply it to"
    assert session.history == []


def test_form_lists_tensors_as_they_come_and_go(qtbot, session):
    form = OperationForm(session)
    qtbot.addWidget(form)
    session.run("w = core.zeros(2)")
    names = [form.source_box.itemText(i) for i in range(form.source_box.count())]
    assert names == ["x", "w"]
    assert form.source_box.currentText() == "w"
    session.undo_stack.undo()
    assert form.source_box.count() == 1
    assert form.source_box.currentText() == "x"


# -- console -------------------------------------------------------------------------


def test_console_runs_a_line_and_clears_the_input(qtbot, show, session):
    console = show(Console(session))
    qtbot.keyClicks(console.input, "y = x.t()")
    qtbot.keyClick(console.input, Qt.Key.Key_Return)
    assert session.history == [START, "y = x.t()"]
    assert console.input.text() == ""
    assert console.error.isHidden()
    assert console.history_view.model().rowCount() == 3  # the empty session, then two lines


def test_up_and_down_recall_earlier_inputs(qtbot, show, session):
    console = show(Console(session))
    for line in ("y = x.t()", "1/0", "z = y[0]"):
        console.input.setText(line)
        qtbot.keyClick(console.input, Qt.Key.Key_Return)
    qtbot.keyClicks(console.input, "draft")
    recalled = []
    for key in [Qt.Key.Key_Up] * 4 + [Qt.Key.Key_Down] * 4:
        qtbot.keyClick(console.input, key)
        recalled.append(console.input.text())
    assert recalled == [
        "z = y[0]",
        "1/0",
        "y = x.t()",
        "y = x.t()",
        "1/0",
        "z = y[0]",
        "draft",
        "draft",
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("1/0", "ZeroDivisionError: division by zero"),
        ("y = (", "SyntaxError: '(' was never closed (line 1, column 5)"),
        ("y = x.view(5)", "RuntimeError: shape '[5]' is invalid for input of size 12"),
        ("y = nothing", "NameError: name 'nothing' is not defined"),
    ],
)
def test_console_shows_an_error_inline_and_keeps_the_input(qtbot, show, session, line, message):
    console = show(Console(session))
    before = state(session)
    qtbot.keyClicks(console.input, line)
    qtbot.keyClick(console.input, Qt.Key.Key_Return)
    assert console.error.text() == message
    assert console.error.isVisible()
    assert console.input.text() == line
    assert state(session) == before


def test_the_history_starts_at_a_clear_empty_label_that_undoes_everything(qtbot, show, session):
    console = show(Console(session))
    session.run("y = x.t()")
    view = console.history_view
    assert view.emptyLabel() == EMPTY_HISTORY
    first = view.model().index(0, 0)
    assert first.data() == "(empty session)"
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(first).center()
    )
    assert session.history == []
    assert session.tensors() == {}


def test_copy_as_pytorch_puts_a_script_that_torch_runs_alike(qtbot, show, session):
    console = show(Console(session))
    for line in ("y = x.t()", "y[0, 1] = 100", "z = y.contiguous().view(-1)[::5]"):
        session.run(line)
    click(qtbot, console.copy_torch_button)
    script = QGuiApplication.clipboard().text()
    assert script.startswith("import torch\n\nx = torch.arange(12).view(3, 4)\ny = x.t()\n")
    names: dict[str, object] = {}
    exec(script, names)
    for name, tensor in session.tensors().items():
        assert_same_tensor(tensor, names[name], context=name)
    assert isinstance(names["z"], torch.Tensor)


def test_copy_lines_puts_the_lines_as_they_ran(qtbot, show, session):
    console = show(Console(session))
    session.run("y = x.t()")
    click(qtbot, console.copy_lines_button)
    assert QGuiApplication.clipboard().text() == f"{START}\ny = x.t()\n"
