"""The whole window, driven as a student would: keys and clicks on the real widgets.

Every step is checked against PyTorch: the session's history, run as a PyTorch script,
must give the same sizes, strides, offsets, values and storage sharing as the tensors
the window shows.
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
import torch
from PySide6.QtCore import QByteArray, QPointF, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QPalette
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QWidget

import app.exception_hook as exception_hook
from app.code_text import torch_code, torch_script
from app.main_window import DEFAULT_WINDOW_SIZE, MainWindow
from app.tensor_facts import OWNS_STORAGE
from app.widgets.cell_grid import CellGrid
from app.widgets.lineage_bar import NEW_STORAGE_TOOLTIP
from app.widgets.tensor_list import NAME_COLUMN, OWN_STORAGE
from app.widgets.view_failure_panel import RESHAPE_BUTTON
from tests.core.assertions import assert_same_tensor, builtin_error_class

START = "x = core.arange(12).view(3, 4)"

# -- fixtures and helpers -------------------------------------------------------------


@pytest.fixture
def window(make_window, qtbot) -> MainWindow:
    """An empty window, active so that its shortcuts reach it."""
    return activated(qtbot, make_window())


def activated(qtbot, window: MainWindow) -> MainWindow:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def click(qtbot, button: QWidget) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def type_into(qtbot, line_edit, text: str) -> None:
    """Click into ``line_edit`` and replace what it holds with ``text``, typed key by key."""
    qtbot.mouseClick(line_edit, Qt.MouseButton.LeftButton)
    line_edit.selectAll()
    qtbot.keyClick(line_edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(line_edit, text)


def build(qtbot, window: MainWindow, shape: str, name: str = "", fill: str = "arange") -> None:
    """Fill in the tensor builder and press Create."""
    builder = window.tensor_builder
    type_into(qtbot, builder.name_edit, name)
    type_into(qtbot, builder.shape_edit, shape)
    builder.fill_box.setCurrentText(fill)
    click(qtbot, builder.create_button)


def apply(
    qtbot, window: MainWindow, source: str, operation: str, arguments: str = "", target: str = ""
) -> None:
    """Fill in the operation form and press Enter (in the new-name field, the last one)."""
    form = window.operation_form
    form.source_box.setCurrentText(source)
    form.operation_box.setCurrentIndex(form.operation_box.findData(operation))
    if form.arguments_edit.isEnabled():
        type_into(qtbot, form.arguments_edit, arguments)
    type_into(qtbot, form.target_edit, target)
    qtbot.keyClick(form.target_edit, Qt.Key.Key_Return)


def enter(qtbot, window: MainWindow, line: str) -> None:
    """Type ``line`` into the console and press Enter."""
    type_into(qtbot, window.console.input, line)
    qtbot.keyClick(window.console.input, Qt.Key.Key_Return)


def torch_twins(window: MainWindow) -> dict[str, torch.Tensor]:
    """The session's history run in PyTorch: its named tensors."""
    namespace: dict[str, object] = {}
    exec(torch_script(window.session.history), namespace)
    return {name: value for name, value in namespace.items() if isinstance(value, torch.Tensor)}


def storage_groups(tensors: dict, storage_key) -> list[list[str]]:
    groups: dict[object, list[str]] = {}
    for name, tensor in tensors.items():
        groups.setdefault(storage_key(tensor), []).append(name)
    return sorted(groups.values())


def assert_matches_torch(window: MainWindow) -> None:
    """Each named tensor is torch's twin: layout, values, and which share a storage."""
    ours, theirs = window.session.tensors(), torch_twins(window)
    assert list(ours) == list(theirs)
    for name, tensor in ours.items():
        assert_same_tensor(tensor, theirs[name], context=name)
        assert tensor._version == theirs[name]._version, name
    assert storage_groups(ours, lambda t: id(t.untyped_storage())) == storage_groups(
        theirs, lambda t: t.untyped_storage().data_ptr()
    )


def snapshot(window: MainWindow) -> tuple:
    """What a refused input must leave as it was: history, layouts, values, storages."""
    tensors = {
        name: (
            tuple(t.shape),
            t.stride(),
            t.storage_offset(),
            t.dtype,
            t.numpy().tolist(),
            id(t.untyped_storage()),
            t._version,
        )
        for name, t in window.session.tensors().items()
    }
    return window.session.history, tensors


def list_groups(window: MainWindow) -> list[list[str]]:
    """The tensor list's storage groups, as shown."""
    tensor_list = window.tensor_list
    return [
        [header.child(r).text(NAME_COLUMN) for r in range(header.childCount())]
        for header in map(tensor_list.topLevelItem, range(tensor_list.topLevelItemCount()))
    ]


def hover(qtbot, grid: CellGrid, row: int, col: int) -> None:
    """Move the mouse onto the centre of cell (row, col), once the layout has settled."""
    QApplication.processEvents()  # a new lineage or inspector text may move the grid
    qtbot.mouseMove(grid.graphics_view.viewport(), grid.cell_center(row, col))


def every_cell(grid: CellGrid) -> tuple[np.ndarray, np.ndarray]:
    return np.arange(grid.content.rows), np.arange(grid.content.cols)


def shown_values(window: MainWindow) -> list[list[str]]:
    """The value texts the logical grid writes in its cells (a 1-d or 2-d tensor)."""
    grid = window.memory_panel.logical_grid.grid
    return grid.content.texts(*every_cell(grid)).values.tolist()


def select_in_list(qtbot, window: MainWindow, name: str) -> None:
    """Click ``name``'s row in the tensor list."""
    tensor_list = window.tensor_list
    (row,) = [r for r in tensor_list.tensor_rows() if r.text(NAME_COLUMN) == name]
    qtbot.mouseClick(
        tensor_list.viewport(),
        Qt.MouseButton.LeftButton,
        pos=tensor_list.visualItemRect(row).center(),
    )
    assert window.session.current.name == name


def menu_action(window: MainWindow, menu_title: str, text: str) -> QAction:
    """The action reading ``text`` (without its & and any suffix) in menu ``menu_title``."""
    (menu,) = [a.menu() for a in window.menuBar().actions() if a.text() == menu_title]
    matches = [a for a in menu.actions() if a.text().replace("&", "").startswith(text)]
    assert matches, f"no {text!r} in {[a.text() for a in menu.actions()]}"
    return matches[0]


def inspector_layout(window: MainWindow) -> tuple[str, str, str]:
    inspector = window.inspector
    return (
        inspector.value("shape"),
        inspector.value("stride()"),
        inspector.value("storage_offset()"),
    )


# -- building and viewing ---------------------------------------------------------------


def test_a_built_tensor_is_listed_inspected_and_drawn(qtbot, window) -> None:
    build(qtbot, window, "3, 4")

    assert window.session.history == ["x = core.arange(12, dtype=core.float32).view(3, 4)"]
    assert list_groups(window) == [["x"]]
    assert window.tensor_list.currentItem().text(NAME_COLUMN) == "x"
    assert window.inspector.heading.text() == "x"
    twin = torch.arange(12, dtype=torch.float32).view(3, 4)
    assert inspector_layout(window) == (
        str(tuple(twin.shape)),
        str(twin.stride()),
        str(twin.storage_offset()),
    )
    logical = window.memory_panel.logical_grid
    assert (logical.grid.content.rows, logical.grid.content.cols) == (3, 4)
    assert shown_values(window) == [[f"{v}." for v in row] for row in twin.int().tolist()]
    strip = window.memory_panel.storage_strip
    assert strip.header.text().startswith("storage of x  ·  12 × float32  ·  48 bytes")
    assert_matches_torch(window)
    assert not window.tensor_builder.error.isVisible()
    assert window.tensor_builder.name_edit.text() == "y"  # the next free name


@pytest.mark.parametrize(
    ("operation", "arguments", "line"),
    [
        ("transpose", "0, 1", "y = x.transpose(0, 1)"),
        ("[index]", "1:, ::2", "y = x[1:, ::2]"),
        ("expand", "2, -1, -1", "y = x.expand(2, -1, -1)"),
        ("unfold", "1, 2, 1", "y = x.unfold(1, 2, 1)"),
        ("t", "", "y = x.t()"),
    ],
)
def test_views_from_the_operation_form_match_torch(
    qtbot, window, operation, arguments, line
) -> None:
    build(qtbot, window, "3, 4")
    apply(qtbot, window, "x", operation, arguments)

    assert window.session.history[-1] == line
    assert not window.operation_form.error.isVisible()
    assert window.session.current.name == "y"
    assert_matches_torch(window)
    y = torch_twins(window)["y"]
    assert inspector_layout(window) == (
        str(tuple(y.shape)),
        str(y.stride()),
        str(y.storage_offset()),
    )
    assert list_groups(window) == [["x", "y"]]  # a view: the same storage
    assert window.inspector.value("view of") == "x"
    tiling = window.memory_panel.logical_grid.tiling
    assert tiling.shape == tuple(y.shape)
    assert window.memory_panel.logical_grid.header.text() == (
        f"y  ·  shape {tuple(y.shape)}  ·  stride {y.stride()}  ·  offset {y.storage_offset()}"
    )


def test_views_from_the_console_match_torch_and_clear_the_input(qtbot, window) -> None:
    for line in [
        START,
        "y = x.t()",
        "z = y[1:, ::2]",
        "e = x[0].expand(3, 4)",
        "u = x.unfold(1, 2, 1)",
    ]:
        enter(qtbot, window, line)
        assert window.session.history[-1] == line
        assert window.console.input.text() == ""
        assert not window.console.error.isVisible()
        assert_matches_torch(window)
    assert list_groups(window) == [["x", "y", "z", "e", "u"]]
    assert window.inspector.value("stride()") == str(torch_twins(window)["u"].stride())


# -- hover, both ways ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "line", ["y = x.t()", "y = x[1:, ::2]", "y = x[0].expand(3, 4)", "y = x[:, :1].expand(3, 5)"]
)
def test_hover_lights_storage_from_logical_and_every_reader_from_storage(
    qtbot, window, line
) -> None:
    enter(qtbot, window, START)
    enter(qtbot, window, line)
    y = window.session.current.tensor
    twin = torch_twins(window)["y"]
    indices = y.storage_indices()
    logical = window.memory_panel.logical_grid
    strip = window.memory_panel.storage_strip
    wrapping = strip.wrapping

    for index in np.ndindex(*y.shape):
        row, col = logical.tiling.cells_of(np.array([index]))[0]
        hover(qtbot, logical.grid, row, col)
        k = int(indices[index])
        # torch's own address arithmetic: offset + Σ index·stride.
        assert k == twin.storage_offset() + sum(
            i * s for i, s in zip(index, twin.stride(), strict=True)
        )
        assert strip.grid.highlighted_cells().tolist() == wrapping.cells_of(np.array([k])).tolist()
        assert logical.grid.highlighted_cells().tolist() == [[row, col]]
        assert strip.read_by.text() == f"y[{', '.join(map(str, index))}] reads storage[{k}]"
        assert window.inspector.hover_line.text().endswith(f"= {k}")

    for k in range(y.untyped_storage().element_count):
        row, col = wrapping.cells_of(np.array([k]))[0]
        hover(qtbot, strip.grid, row, col)
        readers = np.argwhere(indices == k)
        assert window.session.highlight.logical.tolist() == readers.tolist()
        assert logical.grid.highlighted_cells().tolist() == (
            logical.tiling.cells_of(readers).tolist()
        )
        assert strip.grid.highlighted_cells().tolist() == [[row, col]]
        if len(readers) == 0:
            assert strip.read_by.text() == f"storage[{k}] is not read by y"


def test_an_expanded_tensor_has_several_readers_per_storage_element(qtbot, window) -> None:
    enter(qtbot, window, "e = core.arange(4).expand(3, 4)")
    assert window.inspector.value("stride()") == str(torch.arange(4).expand(3, 4).stride())
    strip = window.memory_panel.storage_strip
    hover(qtbot, strip.grid, *strip.wrapping.cells_of(np.array([2]))[0])
    assert window.memory_panel.logical_grid.grid.highlighted_cells().tolist() == [
        [0, 2],
        [1, 2],
        [2, 2],
    ]
    assert window.inspector.hover_line.text() == "storage[2] is read by 3 elements"


# -- lineage and copies --------------------------------------------------------------------


def test_clicking_a_lineage_chip_shows_that_step(qtbot, window) -> None:
    enter(qtbot, window, START)
    enter(qtbot, window, "y = x.t()[1:, ::2]")
    bar = window.memory_panel.lineage_bar
    assert [chip.text() for chip in bar.chips] == ["x", "x.t()", "x.t()[1:, ::2]  (y)"]

    click(qtbot, bar.chips[1])
    twin = torch.arange(12).view(3, 4).t()
    assert window.session.current.label == "x.t()"
    assert window.inspector.heading.text() == "x.t()"
    assert inspector_layout(window) == (str(tuple(twin.shape)), str(twin.stride()), "0")
    assert window.memory_panel.logical_grid.tiling.shape == (4, 3)
    assert shown_values(window) == [[str(v) for v in row] for row in twin.tolist()]
    assert window.tensor_list.currentItem() is None  # a lineage step has no row

    click(qtbot, bar.chips[0])
    assert window.session.current.name == "x"
    assert window.tensor_list.currentItem().text(NAME_COLUMN) == "x"
    assert len(bar.chips) == 3


@pytest.mark.parametrize(
    ("line", "copies", "view_of"),
    [
        ("z = x.t().contiguous()", True, OWNS_STORAGE),
        ("z = x.t().reshape(12)", True, OWNS_STORAGE),
        ("z = x.clone()", True, OWNS_STORAGE),
        ("z = x.reshape(2, 6)", False, "x"),
        # torch gives x itself back: z is x under another name.
        ("z = x.contiguous()", False, "x (the same tensor)"),
    ],
)
def test_copies_get_new_storage_and_views_share_it(qtbot, window, line, copies, view_of) -> None:
    enter(qtbot, window, START)
    enter(qtbot, window, line)
    assert_matches_torch(window)
    twins = torch_twins(window)
    torch_copies = (
        twins["z"].untyped_storage().data_ptr() != twins["x"].untyped_storage().data_ptr()
    )
    assert torch_copies == copies
    assert list_groups(window) == ([["x"], ["z"]] if copies else [["x", "z"]])
    z_row = window.tensor_list.tensor_rows()[-1]
    same = "same" in view_of
    assert z_row.text(2) == (OWN_STORAGE if copies else "same tensor as x" if same else "view of x")
    last_chip = window.memory_panel.lineage_bar.chips[-1]
    assert last_chip.new_storage == copies
    assert (NEW_STORAGE_TOOLTIP in last_chip.toolTip()) == copies
    assert window.inspector.value("view of") == view_of


# -- writing in place ------------------------------------------------------------------------


def test_a_write_through_a_view_shows_in_both_and_bumps_the_version(qtbot, window) -> None:
    enter(qtbot, window, START)
    enter(qtbot, window, "y = x.t()")
    assert window.inspector.value("_version") == "0"
    enter(qtbot, window, "y[0, 0] = 100")
    enter(qtbot, window, "y[2, 1] = -7")

    twins = torch_twins(window)
    assert_matches_torch(window)
    assert window.session.current.name == "y"
    assert shown_values(window) == [[str(v) for v in row] for row in twins["y"].tolist()]
    assert window.inspector.value("_version") == str(twins["y"]._version) == "2"
    strip_texts = window.memory_panel.storage_strip.grid.content.texts(
        *every_cell(window.memory_panel.storage_strip.grid)
    )
    assert strip_texts.values[0].tolist() == [str(v) for v in twins["x"].flatten().tolist()]

    select_in_list(qtbot, window, "x")
    assert shown_values(window) == [[str(v) for v in row] for row in twins["x"].tolist()]
    assert shown_values(window)[0][0] == "100"
    assert shown_values(window)[1][2] == "-7"
    assert window.inspector.value("_version") == str(twins["x"]._version) == "2"


# -- a view that needs a copy ----------------------------------------------------------------


def test_a_failing_view_explains_and_reshape_makes_the_tensor(qtbot, window) -> None:
    enter(qtbot, window, START)
    enter(qtbot, window, "y = x.t()")
    before = snapshot(window)
    panel = window.memory_panel.view_failure_panel
    assert not panel.isVisible()

    enter(qtbot, window, "z = y.view(12)")
    with pytest.raises(RuntimeError, match="view size is not compatible") as torch_error:
        torch.arange(12).view(3, 4).t().view(12)
    assert panel.isVisible()
    # torch's sentence, then a word on what reshape does.
    torch_message = str(torch_error.value).removesuffix(".")
    assert window.console.error.text().startswith(f"RuntimeError: {torch_message}")
    assert snapshot(window) == before
    assert panel.reshape_button.text() == RESHAPE_BUTTON
    assert panel.reshape_code.text() == "z = y.reshape(12)"

    click(qtbot, panel.reshape_button)
    assert not panel.isVisible()
    assert window.session.history[-1] == "z = y.reshape(12)"
    assert window.session.current.name == "z"
    assert_matches_torch(window)
    assert list_groups(window) == [["x", "y"], ["z"]]
    assert window.memory_panel.lineage_bar.chips[-1].new_storage


def test_a_failing_view_from_the_operation_form_shows_the_panel(qtbot, window) -> None:
    enter(qtbot, window, START)
    enter(qtbot, window, "y = x.t()")
    apply(qtbot, window, "y", "view", "2, 6")
    panel = window.memory_panel.view_failure_panel
    assert panel.isVisible()
    assert window.operation_form.error.text().startswith("RuntimeError: view size")
    assert panel.contiguous_code.text() == "z = y.contiguous().view(2, 6)"
    click(qtbot, panel.contiguous_button)
    assert window.session.history[-1] == "z = y.contiguous().view(2, 6)"
    assert_matches_torch(window)


# -- undo and redo -----------------------------------------------------------------------------

WRITES = [START, "y = x.t()", "y[0, 0] = 100", "x.mul_(3)", "z = y.contiguous()", "z[1] = 5"]


def undo_actions(window: MainWindow) -> tuple[QAction, QAction]:
    return menu_action(window, "&Edit", "Undo"), menu_action(window, "&Edit", "Redo")


def test_undo_and_redo_from_the_edit_menu_restore_tensors_exactly(qtbot, window) -> None:
    undo, redo = undo_actions(window)
    assert not undo.isEnabled()
    states = [snapshot(window)[0]]
    for line in WRITES:
        enter(qtbot, window, line)
        assert_matches_torch(window)
        states.append(window.session.history)
    assert undo.text().replace("&", "") == f"Undo {WRITES[-1]}"

    for position in reversed(range(len(WRITES))):
        undo.trigger()
        assert window.session.history == WRITES[:position]
        assert_matches_torch(window)
    assert window.session.tensors() == {}
    assert list_groups(window) == []
    assert window.inspector.heading.text() == "No tensor yet"
    assert not undo.isEnabled()

    for position in range(1, len(WRITES) + 1):
        redo.trigger()
        assert window.session.history == WRITES[:position]
        assert_matches_torch(window)
    assert window.session.tensors()["y"].numpy()[0, 0] == 300
    assert not redo.isEnabled()


def test_ctrl_z_undoes_step_by_step_restoring_values_exactly(qtbot, window) -> None:
    for line in WRITES:
        enter(qtbot, window, line)
    final = snapshot(window)[1]
    window.tensor_list.setFocus()  # outside a text field, which keeps Ctrl+Z for its text

    for position in reversed(range(len(WRITES))):
        qtbot.keyClick(window.tensor_list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        assert window.session.history == WRITES[:position]
        assert_matches_torch(window)
    for _ in WRITES:
        menu_action(window, "&Edit", "Redo").trigger()
    # Replayed from the lines: new storages, the same layouts, values and versions.
    assert without_storage_ids(snapshot(window)[1]) == without_storage_ids(final)


def without_storage_ids(tensors: dict) -> dict:
    return {name: layout[:5] + layout[6:] for name, layout in tensors.items()}


@pytest.mark.parametrize(
    "redo_key",
    [
        (Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier),
        (Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier),
    ],
    ids=["ctrl-shift-z", "ctrl-y"],
)
def test_redo_shortcuts_redo_step_by_step(qtbot, window, redo_key) -> None:
    for line in WRITES:
        enter(qtbot, window, line)
    for _ in WRITES:
        menu_action(window, "&Edit", "Undo").trigger()
    window.tensor_list.setFocus()
    for position in range(1, len(WRITES) + 1):
        qtbot.keyClick(window.tensor_list, *redo_key)
        assert window.session.history == WRITES[:position]
        assert_matches_torch(window)


def test_ctrl_z_right_after_a_console_line_undoes_that_line(qtbot, window) -> None:
    enter(qtbot, window, START)
    enter(qtbot, window, "y = x.t()")
    assert window.console.input.hasFocus()
    qtbot.keyClick(window.console.input, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.session.history == [START]
    assert window.console.input.text() == ""


def test_a_hovered_scalar_is_written_as_python_indexes_it(qtbot, window) -> None:
    enter(qtbot, window, "x = core.tensor(5.0)")
    hover(qtbot, window.memory_panel.logical_grid.grid, 0, 0)
    assert window.inspector.hover_line.text() == "x[()] → storage index 0 = 0"
    assert window.memory_panel.logical_grid.formula.text().startswith("x[()] → 0 = 0 → byte 0x")
    assert window.memory_panel.storage_strip.read_by.text() == "x[()] reads storage[0]"


# -- bad inputs ------------------------------------------------------------------------------


def builder_shape(text):
    def act(qtbot, window):
        build(qtbot, window, text)
        return window.tensor_builder.error, window.tensor_builder.shape_edit

    return act


def builder_name(text):
    def act(qtbot, window):
        build(qtbot, window, "2, 2", name=text)
        return window.tensor_builder.error, window.tensor_builder.name_edit

    return act


def builder_fill(fill, dtype):
    def act(qtbot, window):
        window.tensor_builder.dtype_box.setCurrentText(dtype)
        build(qtbot, window, "2, 2", fill=fill)
        return window.tensor_builder.error, window.tensor_builder.dtype_box

    return act


def form_arguments(operation, text, source="x"):
    def act(qtbot, window):
        apply(qtbot, window, source, operation, text)
        return window.operation_form.error, window.operation_form.arguments_edit

    return act


def form_target(text):
    def act(qtbot, window):
        apply(qtbot, window, "x", "t", target=text)
        return window.operation_form.error, window.operation_form.target_edit

    return act


def console_line(text):
    def act(qtbot, window):
        enter(qtbot, window, text)
        return window.console.error, window.console.input

    return act


BAD_INPUTS = {
    "shape 3,-1": (builder_shape("3,-1"), "sizes must be 0 or more"),
    "shape abc": (builder_shape("abc"), "'abc' is not one"),
    "shape 1e12": (builder_shape("1e12"), "'1e12' is not one"),
    "shape -2, 3": (builder_shape("-2, 3"), "sizes must be 0 or more, got -2"),
    "shape too large": (builder_shape("10**13"), "is not one"),
    "shape 2**31+": (builder_shape("4294967296"), "is too large"),
    "shape unclosed": (builder_shape("(3, 4"), "close the bracket"),
    "name 1x": (builder_name("1x"), "is not a name"),
    "name taken": (builder_name("x"), "x already names a tensor"),
    "name keyword": (builder_name("for"), "taken by Python"),
    "randn int64": (builder_fill("randn", "int64"), "PyTorch has no randn for int64"),
    "transpose 1 arg": (form_arguments("transpose", "0"), "transpose takes 2 arguments"),
    "transpose 3 args": (form_arguments("transpose", "0, 1, 2"), "got 3"),
    "transpose dim 2": (form_arguments("transpose", "0, 2"), "dim 2 is out of range"),
    "transpose dim -3": (form_arguments("transpose", "-3, 0"), "dim -3 is out of range"),
    "transpose abc": (form_arguments("transpose", "abc"), "type the arguments as in Python"),
    "view 5, 5": (form_arguments("view", "5, 5"), "RuntimeError: shape '[5, 5]' is invalid"),
    "view 1e12": (form_arguments("view", "1e12"), "must be ints"),
    "expand 3, -1, 4": (form_arguments("expand", "-1, 3, 4"), "cannot stand for a new"),
    "expand size 2": (form_arguments("expand", "3, 5"), "RuntimeError: The expanded size"),
    "unfold 5 args": (form_arguments("unfold", "0, 1"), "unfold takes 3 arguments"),
    "index too many": (form_arguments("[index]", "0, 0, 0"), "too many indices"),
    "index out of range": (form_arguments("[index]", "7"), "IndexError: "),
    "index step -1": (form_arguments("[index]", "::-1"), "slice steps must be 1 or more"),
    "permute count": (form_arguments("permute", "0"), "permute takes one dim for each"),
    "target taken": (form_target("x"), "x already names a tensor"),
    "target bad": (form_target("a b"), "is not a name"),
    "console 1/0": (console_line("1/0"), "ZeroDivisionError: division by zero"),
    "console syntax": (console_line("y = x.t("), "SyntaxError: "),
    "console unknown": (console_line("y = q + 1"), "NameError: name 'q' is not defined"),
    "console view": (console_line("y = x.view(5)"), "RuntimeError: shape '[5]' is invalid"),
    "console dim": (console_line("y = x.transpose(0, 2)"), "IndexError: Dimension out of range"),
    "console args": (console_line("y = x.transpose(0)"), "TypeError: "),
    "console negative": (console_line("y = core.zeros(-1)"), "RuntimeError: "),
    "console exit": (console_line("exit()"), "SystemExit"),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_a_bad_input_says_why_inline_and_changes_nothing(qtbot, window, case) -> None:
    act, message = BAD_INPUTS[case]
    enter(qtbot, window, START)
    enter(qtbot, window, "x[0, 0] = 7")  # a write before: a replay would still keep it
    before = snapshot(window)
    undo_text = window.session.undo_stack.undoText()

    error, field = act(qtbot, window)

    assert error.isVisible()
    assert message in error.text()
    assert "\n" not in error.text()
    assert field.hasFocus()
    assert snapshot(window) == before
    assert window.session.undo_stack.undoText() == undo_text
    assert_matches_torch(window)


@pytest.mark.parametrize(
    "line",
    [
        "y = x.view(5)",
        "y = x.t().view(12)",
        "y = x.transpose(0, 2)",
        "y = x.transpose(0)",
        "y = x[7]",
        "y = x.expand(3, 5)",
        "y = core.zeros(-1)",
        "x.t()[0] = core.ones(2)",
    ],
)
def test_the_console_names_the_exception_class_torch_raises(qtbot, window, line) -> None:
    enter(qtbot, window, START)
    before = snapshot(window)
    enter(qtbot, window, line)
    namespace: dict[str, object] = {}
    exec(torch_script([START]), namespace)
    with pytest.raises(Exception) as raised:  # any class: compared below
        exec(torch_code(line), namespace)
    expected = builtin_error_class(raised.value).__name__
    assert window.console.error.text().startswith(f"{expected}: ")
    assert window.console.input.text() == line  # kept, to be fixed
    assert snapshot(window) == before


# -- the memory limit ----------------------------------------------------------------------


def test_the_memory_limit_refuses_before_allocating_and_is_saved(qtbot, make_window, tmp_path):
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = make_window(settings=settings)
    window.set_memory_limit(1)
    assert window.session.memory_limit == 2**20
    assert int(settings.value("memory_limit_mib")) == 1

    window.tensor_builder.dtype_box.setCurrentText("float32")
    tracemalloc.start()
    try:
        build(qtbot, window, "1024, 1024", fill="zeros")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2**20  # the 4 MiB buffer was never made
    error = window.tensor_builder.error
    assert error.isVisible()
    assert error.text().startswith(
        "1024 × 1024 float32 needs 4 MiB, over the memory limit of 1 MiB"
    )
    assert window.session.history == []
    assert window.session.tensors() == {}

    # The console checks the limit inside the engine, before allocating, too.
    enter(qtbot, window, "x = core.zeros(1024, 1024)")
    assert window.console.error.text().startswith("OutOfMemoryError: ")
    assert window.session.tensors() == {}
    build(qtbot, window, "512, 512", fill="zeros")  # exactly 1 MiB: allowed
    assert list(window.session.tensors()) == ["x"]

    window.close()
    settings.sync()
    reopened = make_window(settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    assert reopened.session.memory_limit == 2**20


def test_preferences_asks_for_the_memory_limit_and_saves_it(qtbot, make_window, tmp_path):
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = make_window(settings=settings)
    asked = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog):
            QTimer.singleShot(10, answer)  # not open yet
            return
        asked.append(dialog.intValue())
        dialog.setIntValue(3)
        dialog.accept()

    QTimer.singleShot(0, answer)
    menu_action(window, "&Edit", "Preferences").trigger()  # a modal dialog: returns when closed

    assert asked == [256]  # the default limit, in MiB
    assert window.session.memory_limit == 3 * 2**20
    assert int(settings.value("memory_limit_mib")) == 3
    enter(qtbot, window, "x = core.zeros(1024, 1024)")  # 4 MiB
    assert window.console.error.text().startswith("OutOfMemoryError: ")


# -- theme, window state, zoom -----------------------------------------------------------------


def lightness(widget: QWidget) -> int:
    return widget.palette().color(QPalette.ColorRole.Window).lightness()


def test_theme_actions_switch_the_palette_and_are_saved(
    qtbot, make_window, tmp_path, restore_theme
) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = make_window(START, settings=settings)
    grid = window.memory_panel.logical_grid.grid

    menu_action(window, "&View", "Dark theme").trigger()
    window_colour = QApplication.instance().palette().color(QPalette.ColorRole.Window)
    assert window_colour.lightness() < 128
    # Widgets get the new palette through posted events.
    qtbot.waitUntil(lambda: lightness(window) < 128)
    qtbot.waitUntil(lambda: grid.background_color().lightness() < 128)
    assert window.theme_actions["dark"].isChecked()
    assert not window.theme_actions["light"].isChecked()
    assert settings.value("theme") == "dark"

    menu_action(window, "&View", "Light theme").trigger()
    assert QApplication.instance().palette().color(QPalette.ColorRole.Window).lightness() > 128
    qtbot.waitUntil(lambda: lightness(window) > 128)
    qtbot.waitUntil(lambda: grid.background_color().lightness() > 128)
    assert window.theme_actions["light"].isChecked()
    assert settings.value("theme") == "light"


def test_window_state_is_saved_on_close_and_restored(qtbot, make_window, tmp_path) -> None:
    path = str(tmp_path / "s.ini")
    window = make_window(START, settings=QSettings(path, QSettings.Format.IniFormat))
    window.resize(900, 760)
    window.removeDockWidget(window.docks["console"])
    window.addDockWidget(Qt.DockWidgetArea.TopDockWidgetArea, window.docks["console"])
    window.docks["console"].show()
    window.docks["inspector"].hide()
    qtbot.waitUntil(lambda: window.height() == 760)
    window.close()

    settings = QSettings(path, QSettings.Format.IniFormat)
    assert isinstance(settings.value("geometry"), QByteArray)
    assert isinstance(settings.value("window_state"), QByteArray)
    restored = make_window(settings=settings)
    # The height comes back; the width is clipped to the offscreen platform's 800 px screen.
    assert restored.height() == 760
    assert restored.width() < DEFAULT_WINDOW_SIZE[0]
    area = restored.dockWidgetArea
    assert area(restored.docks["console"]) == Qt.DockWidgetArea.TopDockWidgetArea
    assert area(restored.docks["build"]) == Qt.DockWidgetArea.LeftDockWidgetArea
    assert not restored.docks["inspector"].isVisible()
    assert restored.docks["tensors"].isVisible()


def test_a_first_run_opens_on_most_of_the_screen(make_window, tmp_path) -> None:
    settings = QSettings(str(tmp_path / "first.ini"), QSettings.Format.IniFormat)
    window = make_window(settings=settings)

    available = window.screen().availableGeometry()
    assert window.width() == round(available.width() * 0.9)
    assert window.height() == round(available.height() * 0.9)


def test_a_window_without_settings_keeps_the_default_layout(make_window) -> None:
    window = make_window()
    assert (window.width(), window.height()) == DEFAULT_WINDOW_SIZE
    area = window.dockWidgetArea
    assert area(window.docks["console"]) == Qt.DockWidgetArea.BottomDockWidgetArea
    assert area(window.docks["inspector"]) == Qt.DockWidgetArea.RightDockWidgetArea


def test_zoom_shortcuts_change_the_cells_on_screen(qtbot, window) -> None:
    enter(qtbot, window, START)
    grid = window.memory_panel.logical_grid.grid
    fitted = grid.pixels_per_cell()
    target = window.tensor_list
    target.setFocus()
    control = Qt.KeyboardModifier.ControlModifier

    qtbot.keyClick(target, Qt.Key.Key_Plus, control)
    assert grid.pixels_per_cell() == pytest.approx(fitted * 1.25)
    qtbot.keyClick(target, Qt.Key.Key_Equal, control)  # Ctrl+= too: no Shift needed
    assert grid.pixels_per_cell() == pytest.approx(fitted * 1.25**2)
    for _ in range(3):
        qtbot.keyClick(target, Qt.Key.Key_Minus, control)
    assert grid.pixels_per_cell() == pytest.approx(fitted / 1.25)
    qtbot.keyClick(target, Qt.Key.Key_0, control)
    assert grid.pixels_per_cell() == pytest.approx(fitted)

    menu_action(window, "&View", "Zoom in").trigger()
    assert grid.pixels_per_cell() == pytest.approx(fitted * 1.25)
    menu_action(window, "&View", "Fit to window").trigger()
    assert grid.pixels_per_cell() == pytest.approx(fitted)


# -- the last line of defence ------------------------------------------------------------------


def test_an_unexpected_exception_shows_a_box_logs_and_the_window_runs_on(
    qtbot, window, tmp_path, monkeypatch
) -> None:
    log_file = tmp_path / "stridescope.log"
    monkeypatch.setattr(exception_hook, "log_path", lambda: log_file)
    monkeypatch.setattr("sys.excepthook", None)  # put back after the test
    handlers = list(exception_hook.logger.handlers)
    exception_hook.install_exception_hook()
    try:
        try:
            int("twelve")
        except ValueError as error:
            box = exception_hook.report_exception(type(error), error, error.__traceback__)
        for handler in exception_hook.logger.handlers:
            handler.flush()
    finally:
        for handler in exception_hook.logger.handlers:
            if handler not in handlers:
                handler.close()
                exception_hook.logger.removeHandler(handler)

    assert isinstance(box, QMessageBox)
    qtbot.addWidget(box)
    assert box.isVisible()
    assert box.text() == "ValueError: invalid literal for int() with base 10: 'twelve'"
    assert "\n" not in box.text()
    details = box.detailedText()
    assert details.startswith("Traceback (most recent call last):")
    assert 'int("twelve")' in details
    assert details.rstrip().endswith("ValueError: invalid literal for int() with base 10: 'twelve'")
    assert str(log_file) in box.informativeText()
    logged = log_file.read_text(encoding="utf-8")
    assert "unexpected error" in logged
    assert "ValueError: invalid literal for int() with base 10: 'twelve'" in logged

    # The box blocks nothing: clicks reach the window (through Qt's modality check) and
    # lines run while it is open.
    build(qtbot, window, "3, 4")
    enter(qtbot, window, "y = x.t()")
    assert window.session.history == [
        "x = core.arange(12, dtype=core.float32).view(3, 4)",
        "y = x.t()",
    ]
    assert_matches_torch(window)
    assert box.isVisible()
    box.close()
    qtbot.waitUntil(lambda: not box.isVisible())


def test_the_exception_hook_leaves_ctrl_c_to_python(monkeypatch) -> None:
    seen = []
    monkeypatch.setattr("sys.__excepthook__", lambda *exc_info: seen.append(exc_info[0]))
    assert exception_hook.report_exception(KeyboardInterrupt, KeyboardInterrupt(), None) is None
    assert seen == [KeyboardInterrupt]


# -- a large tensor -----------------------------------------------------------------------------


def hover_centre(qtbot, grid: CellGrid) -> tuple[int, int]:
    """Move the mouse to the middle of ``grid``'s view; returns the cell it is over."""
    QApplication.processEvents()  # a new lineage or inspector text may move the grid
    centre = grid.graphics_view.viewport().rect().center()
    qtbot.mouseMove(grid.graphics_view.viewport(), centre)
    return grid.cell_at(QPointF(centre))


def test_sixteen_million_elements_build_show_hover_and_transpose(qtbot, window) -> None:
    window.tensor_builder.dtype_box.setCurrentText("float32")
    build(qtbot, window, "4096, 4096", fill="zeros")
    assert not window.tensor_builder.error.isVisible()
    assert window.session.history == ["x = core.zeros(4096, 4096)"]
    logical = window.memory_panel.logical_grid.grid
    strip = window.memory_panel.storage_strip
    window.grab()

    for _ in range(12):  # fitted, a cell is a fraction of a pixel: zoom in to hover one
        menu_action(window, "&View", "Zoom in").trigger()
    row, col = hover_centre(qtbot, logical)
    assert window.session.highlight.storage.tolist() == [row * 4096 + col]
    assert strip.grid.highlighted_cells().tolist() == (
        strip.wrapping.cells_of(np.array([row * 4096 + col])).tolist()
    )
    strip.zoom_in()
    k = strip.wrapping.storage_index_at(*hover_centre(qtbot, strip.grid))
    assert window.session.highlight.logical.tolist() == [list(divmod(k, 4096))]
    window.grab()

    apply(qtbot, window, "x", "t")
    assert window.session.history[-1] == "y = x.t()"
    assert window.inspector.value("stride()") == "(1, 4096)"
    assert list_groups(window) == [["x", "y"]]
    row, col = hover_centre(qtbot, logical)
    assert window.session.highlight.storage.tolist() == [col * 4096 + row]
    window.grab()
