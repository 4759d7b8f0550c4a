"""The graph panel driven as a student would: templates, keys, buttons and clicks.

At every step the panel must show what core's stepper emitted on a twin of the same code
(the node highlighted, the gradient on each edge, each leaf's ``.grad``), stepping forward
and back; final gradients and error messages are checked against PyTorch.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetricsF, QImage

import app.cli
import app.window_commands
from app.autograd_graph import NODE_LIMIT
from app.graph_templates import (
    BACKWARD_TWICE,
    CHANGED_IN_PLACE,
    IN_PLACE_ON_A_VIEW,
    LINEAR_LAYER,
    MICROGRAD,
    USED_TWICE,
    GraphTemplate,
)
from app.theme import apply_theme
from app.widgets.graph_items import PADDING
from app.window_commands import GRAPH_PICTURE_SIZE
from tests.app.test_autograd_graph import TwinStep, root_of, run_twins, twin_steps

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def window(make_window, qtbot):
    window = make_window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def insert(qtbot, window, template: GraphTemplate):
    """Pick ``template`` from the window's Templates menu; returns the graph panel."""
    (menu,) = [a.menu() for a in window.menuBar().actions() if a.text() == "&Templates"]
    (action,) = [a for a in menu.actions() if a.text() == template.title]
    action.trigger()
    panel = window.graph_panel
    qtbot.waitUntil(lambda: window.docks["graph"].isVisible())
    panel.view.setFocus()
    return panel


def press(qtbot, panel, key: Qt.Key) -> None:
    qtbot.keyClick(panel.view, key)


def click_node(qtbot, panel, node_id) -> None:
    """Click the middle of a node's box in the graph view."""
    view = panel.view
    item = view.node_items[node_id]
    view.centerOn(item)
    point = view.mapFromScene(item.sceneBoundingRect().center())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def node_named(panel, name: str):
    (node_id,) = [
        node.id
        for node in panel.session.graph.nodes.values()
        if node.id[0] == "tensor" and node.name == name
    ]
    return node_id


def assert_panel_shows(panel, expected: TwinStep | None, every: list[TwinStep]) -> None:
    """The node highlighted, each edge's gradient and each .grad are the twin's at this step."""
    view = panel.view
    current = [n for n, item in view.node_items.items() if item.state in ("current", "failed")]
    assert current == ([] if expected is None else [expected.node])
    done = every[: every.index(expected) + 1] if expected is not None else []
    gradients = {}
    for step in done:
        gradients.update(step.arriving)
        gradients.update(step.sent)
    drawn = set(view.edge_items)
    assert set(view.edge_labels) == set(gradients) & drawn
    for edge, label in view.edge_labels.items():
        np.testing.assert_array_equal(label.tensor.numpy(), gradients[edge], err_msg=str(edge))
        assert label.fresh == (edge in expected.arriving or edge in expected.sent)
        assert label.toolTip().startswith(f"gradient {gradients[edge].shape}")
    grads = expected.grads if expected is not None else {}
    for node_id, item in view.node_items.items():
        if not item.shows_grad:
            continue
        if node_id in grads:
            np.testing.assert_array_equal(item.grad.numpy(), grads[node_id], err_msg=str(node_id))
        else:
            assert item.grad is None and item.grad_text() == "grad None"


# -- stepping ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "template", [MICROGRAD, USED_TWICE, LINEAR_LAYER, IN_PLACE_ON_A_VIEW], ids=lambda t: t.title
)
def test_a_whole_step_through_shows_what_the_stepper_emitted_then_steps_back(
    qtbot, window, template
):
    panel = insert(qtbot, window, template)
    expected = twin_steps(template.code)  # after: core's random generator is global
    assert_panel_shows(panel, None, expected)
    assert panel.controls.position.text().strip() == "ready: step 0"

    for number, step in enumerate(expected, start=1):
        press(qtbot, panel, Qt.Key.Key_Right)
        assert_panel_shows(panel, step, expected)
        assert panel.controls.position.text().strip() == f"step {number} of {len(expected)}"
    assert window.session.history[-1] == f"{root_of(window.session.tensors())}.backward()"

    for number in reversed(range(len(expected))):
        press(qtbot, panel, Qt.Key.Key_Left)
        assert_panel_shows(panel, expected[number - 1] if number else None, expected)
    assert not window.session.history[-1].endswith(".backward()")


def test_the_final_grads_are_torchs(qtbot, window):
    panel = insert(qtbot, window, LINEAR_LAYER)
    ours, theirs = run_twins(LINEAR_LAYER.code)  # after: core's random generator is global

    qtbot.mouseClick(panel.controls.end_button, Qt.MouseButton.LeftButton)
    theirs["loss"].backward()

    for name in ("w", "b"):
        item = panel.view.node_items[node_named(panel, name)]
        np.testing.assert_allclose(item.grad.numpy(), theirs[name].grad.numpy(), rtol=1e-5)
        assert item.toolTip().startswith(f"{name}: leaf, shape")
    w = panel.view.node_items[node_named(panel, "w")]
    assert w.grad_text() == "grad"  # six values: a heat map; all of them on hover
    assert "tensor([[" in w.toolTip()


def test_the_step_in_words_rule_gradients_and_grad(qtbot, window):
    panel = insert(qtbot, window, MICROGRAD)

    for _ in range(6):
        press(qtbot, panel, Qt.Key.Key_Right)

    text = panel.details.text()
    assert "Step 6 of 7 · AccumulateGrad" in text
    assert "a.grad = a.grad + grad" in text and "a.grad: None → 6." in text
    press(qtbot, panel, Qt.Key.Key_Left)
    assert "grad_a = grad · b" in panel.details.text()


def test_play_steps_on_a_timer_to_the_end(qtbot, window):
    panel = insert(qtbot, window, MICROGRAD)
    panel.controls.speed_box.setCurrentIndex(0)

    press(qtbot, panel, Qt.Key.Key_Space)
    assert panel.controls.playing and panel.controls.play_button.text() == "Pause"
    qtbot.waitUntil(lambda: window.session.backward_pass.finished, timeout=5000)

    assert not panel.controls.playing
    assert panel.controls.timer.interval() == 250
    assert window.session.history[-1] == "L.backward()"


def test_space_on_a_focused_check_box_ticks_it_and_does_not_play(qtbot, window):
    panel = insert(qtbot, window, MICROGRAD)
    box = panel.retain_graph_box
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)

    qtbot.keyClick(box, Qt.Key.Key_Space)

    qtbot.waitUntil(box.isChecked)
    assert not panel.controls.playing
    assert window.session.retain_graph


def test_space_pauses_and_the_buttons_step_run_and_reset(qtbot, window):
    panel = insert(qtbot, window, MICROGRAD)
    controls = panel.controls
    press(qtbot, panel, Qt.Key.Key_Space)
    press(qtbot, panel, Qt.Key.Key_Space)
    assert not controls.playing

    qtbot.mouseClick(controls.reset_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(controls.step_button, Qt.MouseButton.LeftButton)
    assert window.session.backward_pass.shown_step == 1
    qtbot.mouseClick(controls.end_button, Qt.MouseButton.LeftButton)
    assert window.session.history[-1] == "L.backward()"
    assert not controls.end_button.isEnabled() and controls.step_button.text() == "Backward again"

    qtbot.mouseClick(controls.reset_button, Qt.MouseButton.LeftButton)
    assert window.session.history[-1] == "L = d * f"
    assert window.session.tensors()["a"].grad is None
    assert panel.view.node_items[node_named(panel, "a")].grad_text() == "grad None"


def test_accumulation_across_two_backward_calls_is_shown(qtbot, window):
    panel = insert(qtbot, window, MICROGRAD)
    qtbot.mouseClick(panel.retain_graph_box, Qt.MouseButton.LeftButton)
    assert window.session.retain_graph
    qtbot.mouseClick(panel.controls.end_button, Qt.MouseButton.LeftButton)
    a = panel.view.node_items[node_named(panel, "a")]
    assert a.grad_text() == "grad 6."

    qtbot.mouseClick(panel.controls.step_button, Qt.MouseButton.LeftButton)  # Backward again
    assert "call 2" not in panel.details.text()
    while window.session.backward_pass.view().current != ("grad_fn", 5):
        press(qtbot, panel, Qt.Key.Key_Right)

    assert a.grad_text() == "grad 12."
    assert "a.grad: 6. → 12." in panel.details.text()
    press(qtbot, panel, Qt.Key.Key_Right)
    assert window.session.history[-2:] == ["L.backward(retain_graph=True)"] * 2


def test_retain_grad_for_a_clicked_non_leaf(qtbot, window):
    panel = insert(qtbot, window, MICROGRAD)
    assert not panel.retain_grad_box.isEnabled()

    click_node(qtbot, panel, node_named(panel, "e"))
    assert window.session.current.name == "e"
    assert panel.retain_grad_box.isEnabled() and not panel.retain_grad_box.isChecked()
    qtbot.mouseClick(panel.retain_grad_box, Qt.MouseButton.LeftButton)

    assert window.session.history[-1] == "e.retain_grad()"
    assert panel.retain_grad_box.isChecked()
    e = panel.view.node_items[node_named(panel, "e")]
    assert e.shows_grad and e.grad_text() == "grad None"
    qtbot.mouseClick(panel.controls.end_button, Qt.MouseButton.LeftButton)
    assert e.grad_text() == "grad -2."  # dL/de = f = -2
    qtbot.mouseClick(panel.controls.reset_button, Qt.MouseButton.LeftButton)
    click_node(qtbot, panel, node_named(panel, "e"))
    qtbot.mouseClick(panel.retain_grad_box, Qt.MouseButton.LeftButton)
    assert "e.retain_grad()" not in window.session.history


# -- the classic mistakes and bad input ------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "node"),
    [(BACKWARD_TWICE, "MulBackward0"), (CHANGED_IN_PLACE, "ExpBackward0")],
    ids=["backward twice", "changed in place"],
)
def test_a_classic_mistake_shows_torchs_error_at_its_node(qtbot, window, template, node):
    ours, theirs = run_twins(template.code)
    with pytest.raises(RuntimeError) as expected:
        theirs[root_of(ours)].backward()
    panel = insert(qtbot, window, template)
    history = list(window.session.history)

    qtbot.mouseClick(panel.controls.end_button, Qt.MouseButton.LeftButton)

    shown = panel.error.text()
    assert shown.endswith(f"  (at {node})") and panel.error.isVisible()
    shown = shown.removesuffix(f"  (at {node})")
    torch_words = f"RuntimeError: {expected.value}".replace("torch.", "core.")
    assert shown.split(" Hint:")[0] == torch_words.split(" Hint:")[0]
    (failed,) = [i for i in panel.view.node_items.values() if i.state == "failed"]
    assert failed.node.name == node
    assert window.session.history == history  # a failed pass is not a line
    assert not panel.controls.step_button.isEnabled()
    press(qtbot, panel, Qt.Key.Key_Left)
    assert not panel.error.isVisible()


def test_a_non_scalar_root_and_no_graph_say_why(qtbot, window):
    panel = window.graph_panel
    assert window.session.graph is None
    assert not window.docks["graph"].isVisible()
    assert panel.hint.isVisibleTo(panel) and not panel.controls.step_button.isEnabled()
    window.run_code("x = core.ones(3, requires_grad=True)\ny = x * 2")
    assert window.docks["graph"].isVisible() and panel.root_box.currentText() == "y"

    qtbot.mouseClick(panel.controls.step_button, Qt.MouseButton.LeftButton)

    message = "RuntimeError: grad can be implicitly created only for scalar outputs"
    assert panel.error.text() == message
    window.run_code("x = core.ones(3)\ny = x * 2")
    assert panel.hint.isVisible() and "No tensor requires grad" in panel.hint.text()
    assert not panel.controls.step_button.isEnabled() and not panel.error.isVisible()


def test_a_failing_template_line_shows_inline(qtbot, window):
    panel = window.graph_panel

    panel.insert("a = core.tensor(1.0, requires_grad=True)\nb = a.nope()")

    assert panel.error.text().startswith("AttributeError")
    assert window.session.history == ["a = core.tensor(1.0, requires_grad=True)"]


# -- linked to the memory views --------------------------------------------------------------


def test_clicking_a_tensor_shows_it_in_the_memory_views(qtbot, window):
    panel = insert(qtbot, window, LINEAR_LAYER)

    click_node(qtbot, panel, node_named(panel, "w"))

    assert window.session.current.name == "w"
    assert window.memory_panel.logical_grid.tiling.shape == (3, 2)
    assert panel.view.node_items[node_named(panel, "w")].selected


def lit_storage(window) -> list[tuple[int, int]]:
    return sorted(map(tuple, window.memory_panel.storage_strip.grid.highlighted_cells().tolist()))


def test_clicking_a_grad_fn_lights_what_it_saved_in_storage(qtbot, window):
    panel = insert(qtbot, window, LINEAR_LAYER)
    graph = window.session.graph
    (mm,) = [n.id for n in graph.nodes.values() if n.name == "MmBackward0"]

    click_node(qtbot, panel, mm)

    # As PyTorch: mm saves self (x) to compute w's gradient; w's is not needed (x needs none).
    x = window.session.tensors()["x"]
    assert window.session.current.tensor is x
    strip = window.memory_panel.storage_strip
    every_element = strip.wrapping.cells_of(np.arange(x.numel()))
    assert lit_storage(window) == sorted(map(tuple, every_element.tolist()))
    assert panel.marked == frozenset()  # x needs no grad: it is not in the graph
    assert panel.saved_box.isVisible() and panel.saved_box.count() == 1


def test_saved_tensors_in_the_graph_are_outlined(qtbot, window):
    panel = insert(qtbot, window, MICROGRAD)
    mul = ("grad_fn", node_named(panel, "e")[1])  # e = a * b

    click_node(qtbot, panel, mul)

    a, b = node_named(panel, "a"), node_named(panel, "b")
    assert panel.marked == {a, b}
    assert panel.view.node_items[a].marked and panel.view.node_items[mul].selected
    assert window.session.current.name == "a" and lit_storage(window) == [(0, 0)]
    panel.saved_box.activated.emit(1)
    assert window.session.current.name == "b"


def test_saved_tensors_freed_by_backward_say_so(qtbot, window):
    panel = insert(qtbot, window, BACKWARD_TWICE)
    graph = window.session.graph
    (mul,) = [n.id for n in graph.nodes.values() if n.name == "MulBackward0"]

    click_node(qtbot, panel, mul)

    assert panel.note.isVisible()
    assert "saved self, but: Trying to backward through the graph" in panel.note.text()


def test_a_selection_does_not_carry_over_to_another_graph(qtbot, window):
    # Node ids are positions in a graph: ("grad_fn", 1) of the next graph is another node.
    panel = insert(qtbot, window, MICROGRAD)
    mul = ("grad_fn", node_named(panel, "e")[1])  # e = a * b: saved self and other
    click_node(qtbot, panel, mul)
    assert panel.saved_box.count() == 2

    window.run_code("q = core.ones(3, requires_grad=True)\nM = (q.exp() * 2).sum()")

    assert window.session.graph.root_name == "M"
    assert panel.selected is None and panel.marked == frozenset()
    assert not any(i.marked or i.selected for i in panel.view.node_items.values())
    assert not panel.saved_box.isVisibleTo(panel) and panel.saved_box.count() == 0


def test_the_saved_list_follows_backward_freeing_what_was_saved(qtbot, window):
    panel = insert(qtbot, window, MICROGRAD)
    mul = ("grad_fn", node_named(panel, "e")[1])
    click_node(qtbot, panel, mul)
    assert panel.marked

    qtbot.mouseClick(panel.controls.end_button, Qt.MouseButton.LeftButton)  # frees the graph

    assert panel.selected == mul
    items = [panel.saved_box.itemText(i) for i in range(panel.saved_box.count())]
    assert len(items) == 2 and all(item.endswith(" (gone)") for item in items)
    assert panel.marked == frozenset()


def test_play_stops_when_another_pass_replaces_it(qtbot, window):
    panel = insert(qtbot, window, MICROGRAD)
    controls = panel.controls
    press(qtbot, panel, Qt.Key.Key_Space)
    assert controls.playing

    window.session.undo_stack.undo()  # the graph of d now: a new pass, not the one playing

    assert window.session.graph.root_name == "d"
    assert not controls.playing and controls.play_button.text() == "Play"
    press(qtbot, panel, Qt.Key.Key_Space)
    assert controls.playing
    window.run_code("z = d * 1")
    assert not controls.playing


def test_stepping_back_over_an_accumulation_keeps_a_name_for_grad_its_grad(qtbot, window):
    # The second call adds into x.grad in place; g = x.grad must stay that tensor stepping back.
    panel = insert(qtbot, window, MICROGRAD)
    qtbot.mouseClick(panel.retain_graph_box, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.controls.end_button, Qt.MouseButton.LeftButton)
    window.run_code("g = c.grad")
    session = window.session
    c = node_named(panel, "c")
    while not any(a.tensor == c for a in session.backward_pass.view().accumulated):
        press(qtbot, panel, Qt.Key.Key_Right)
    assert session.tensors()["c"].grad.item() == -4.0

    press(qtbot, panel, Qt.Key.Key_Left)

    tensors = session.tensors()
    assert tensors["g"] is tensors["c"].grad and tensors["g"].item() == -2.0
    press(qtbot, panel, Qt.Key.Key_Right)
    assert tensors["g"] is tensors["c"].grad and tensors["g"].item() == -4.0


def test_an_empty_leaf_box_has_room_for_grad_none(qtbot, window):
    window.run_code("x = core.zeros(0, 3, requires_grad=True)\nL = x.sum()")
    panel = window.graph_panel
    item = panel.view.node_items[node_named(panel, "x")]

    mono = QFontMetricsF(panel.view.fonts.mono)
    assert item.rect.width() >= mono.horizontalAdvance("grad None") + 2 * PADDING


def test_a_step_keeps_the_labels_of_gradients_already_drawn(qtbot, window):
    panel = insert(qtbot, window, MICROGRAD)
    press(qtbot, panel, Qt.Key.Key_Right)
    first = dict(panel.view.edge_labels)

    press(qtbot, panel, Qt.Key.Key_Right)

    labels = panel.view.edge_labels
    assert all(labels[edge] is label and not label.fresh for edge, label in first.items())
    assert any(label.fresh for label in labels.values())
    press(qtbot, panel, Qt.Key.Key_Left)  # a replay: new gradients, new labels
    assert set(panel.view.edge_labels) == set(first)
    assert all(label.fresh for label in panel.view.edge_labels.values())


# -- large graphs, themes, rendering ----------------------------------------------------------


def test_a_large_graph_shows_a_page_that_turns_as_it_steps(qtbot, window):
    code = "x = core.ones(2, requires_grad=True)\ny = x\nfor _ in range(300): y = y * 1.01\n"
    code += "s = y.sum()"
    window.run_code(code)
    panel = window.graph_panel

    assert len(panel.view.node_items) == NODE_LIMIT
    first_page = panel.page
    for _ in range(NODE_LIMIT // 2 + 2):
        window.session.step()
    assert panel.page is not first_page
    current = window.session.backward_pass.view().current
    assert panel.view.node_items[current].state == "current"


def test_the_graph_follows_the_theme(qtbot, window, restore_theme, qapp):
    panel = insert(qtbot, window, MICROGRAD)
    light = panel.view.colors.background.lightness()

    apply_theme(qapp, "dark")
    qtbot.waitUntil(lambda: panel.view.colors.background.lightness() < 128)

    assert panel.view.colors.background.lightness() < 128 <= light
    item = next(iter(panel.view.node_items.values()))
    assert item.colors is panel.view.colors


def test_render_the_graph_at_a_step(tmp_path, monkeypatch, restore_theme):
    shown = {}
    real_render_widget = app.window_commands.render_widget

    def spy(widget, path):
        written = real_render_widget(widget, path)
        shown["states"] = {item.node.name: item.state for item in widget.view.node_items.values()}
        return written

    monkeypatch.setattr(app.window_commands, "render_widget", spy)
    output = tmp_path / "graph.png"
    code = "; ".join(MICROGRAD.code.splitlines())
    argv = ["render", "--panel", "graph", "--code", code, "--step", "3", "-o", str(output)]

    assert app.cli.main([*argv, "--theme", "dark"]) == 0

    image = QImage(str(output))
    assert (image.width(), image.height()) == GRAPH_PICTURE_SIZE
    assert image.pixelColor(3, 3).lightness() < 128
    assert shown["states"]["AddBackward0"] == "current"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--step", "9"], "--step 9: the backward pass of L has only 7 steps"),
        (["--select", "e", "--step", "1"], None),
        (["--select", "x"], "--select x: no tensor has that name"),
    ],
)
def test_render_step_errors_exit_2_in_one_line(tmp_path, extra, message):
    output = tmp_path / "graph.png"
    code = "; ".join(MICROGRAD.code.splitlines())
    command = [sys.executable, "-m", "app.cli", "render", "--panel", "graph", "--code", code]

    result = subprocess.run(
        [*command, *extra, "-o", str(output)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=60,
    )

    if message is None:
        assert result.returncode == 0 and output.exists()
        return
    assert result.returncode == 2
    assert result.stderr.startswith(f"stridescope: error: {message}")
    assert len(result.stderr.strip().splitlines()) == 1


def test_render_step_without_a_graph_exits_2(tmp_path, capsys):
    argv = ["render", "--panel", "graph", "--step", "1", "-o", str(tmp_path / "g.png")]

    assert app.cli.main(argv) == 2

    assert "no tensor requires grad" in capsys.readouterr().err


def test_torch_agrees_on_used_twice_grad(qtbot, window):
    panel = insert(qtbot, window, USED_TWICE)
    qtbot.mouseClick(panel.controls.end_button, Qt.MouseButton.LeftButton)
    x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
    (x * x + x).sum().backward()

    item = panel.view.node_items[node_named(panel, "x")]
    np.testing.assert_allclose(item.grad.numpy(), x.grad.numpy())
