"""The Session model without widgets: lines, history, undo, lineage, hover, view failures."""

import numpy as np
import pytest
import torch

import core
from app.code_text import torch_code, torch_script
from app.session import CodeError, Session, Shown


@pytest.fixture
def session(qapp):
    return Session()


def run_all(session: Session, *lines: str) -> None:
    for line in lines:
        session.run(line)


def values(tensor) -> np.ndarray:
    return np.asarray(tensor.numpy())


def test_a_line_makes_named_tensors_and_shows_the_last(session):
    run_all(session, "x = core.arange(12).view(3, 4)", "y = x.t(); z = y[1:]")

    assert list(session.tensors()) == ["x", "y", "z"]
    assert session.current.name == "z"
    assert session.history == ["x = core.arange(12).view(3, 4)", "y = x.t(); z = y[1:]"]


def test_torch_is_an_alias_so_pasted_pytorch_lines_run(session):
    session.run("x = torch.ones(2, 3).t()")

    assert session.tensors()["x"].stride() == (1, 3)


def test_history_as_a_pytorch_script_gives_the_same_tensors(session):
    lines = [
        "x = core.arange(24, dtype=core.float32).view(2, 3, 4)",
        "y = x.permute(2, 0, 1)[1:, :, ::2]",
        "y.mul_(10)",
        "z = y.reshape(-1)",
    ]
    run_all(session, *lines)
    namespace = {}

    exec(torch_script(session.history), namespace)

    assert torch_script(lines).startswith(
        "import torch\n\nx = torch.arange(24, dtype=torch.float32)"
    )
    for name, tensor in session.tensors().items():
        expected = namespace[name]
        assert tensor.shape == tuple(expected.shape)
        assert tensor.stride() == expected.stride()
        assert tensor.storage_offset() == expected.storage_offset()
        np.testing.assert_array_equal(values(tensor), expected.numpy())


def test_torch_code_renames_only_the_name_core():
    assert torch_code("x = core.zeros(2, dtype=core.int64)  # core stays\ns = 'core'") == (
        "x = torch.zeros(2, dtype=torch.int64)  # core stays\ns = 'core'"
    )


@pytest.mark.parametrize(
    "line",
    [
        "x = core.nope(3)",
        "x = 1 / 0",
        "x = (",
        "y = x.view(5)",
        "x[0, 0] = 100; x = core.zeros(2); 1 / 0",  # writes, rebinds, then fails
        "x.add_(1); undefined_name",
        "del x; 1 / 0",
        "exit()",
    ],
)
def test_a_failing_line_leaves_the_session_as_it_was(session, line):
    run_all(session, "x = core.arange(12).view(3, 4)", "y = x.t()")
    before = {name: (t, values(t).copy()) for name, t in session.tensors().items()}

    with pytest.raises(CodeError) as failure:
        session.run(line)

    assert "\n" not in str(failure.value)
    assert session.history == ["x = core.arange(12).view(3, 4)", "y = x.t()"]
    assert list(session.tensors()) == ["x", "y"]
    for name, tensor in session.tensors().items():
        np.testing.assert_array_equal(values(tensor), before[name][1])
    assert session.tensors()["y"].untyped_storage() is session.tensors()["x"].untyped_storage()


def test_error_message_names_the_exception_class(session):
    with pytest.raises(CodeError, match=r"^ZeroDivisionError: division by zero$"):
        session.run("1 / 0")
    with pytest.raises(CodeError, match=r"^SyntaxError: '\(' was never closed"):
        session.run("x = (")
    with pytest.raises(CodeError, match="Nothing to run"):
        session.run("   ")


def test_undo_and_redo_step_through_in_place_writes(session):
    run_all(session, "x = core.zeros(2, 3)", "y = x.t()", "y[1, 0] = 5", "x.add_(1)")
    x_after = values(session.tensors()["x"]).copy()

    session.undo_stack.undo()
    np.testing.assert_array_equal(values(session.tensors()["x"]), [[0, 5, 0], [0, 0, 0]])
    session.undo_stack.undo()
    np.testing.assert_array_equal(values(session.tensors()["x"]), np.zeros((2, 3)))
    session.undo_stack.undo()
    assert list(session.tensors()) == ["x"]
    assert session.current.name == "x"

    session.undo_stack.redo()
    session.undo_stack.redo()
    session.undo_stack.redo()
    np.testing.assert_array_equal(values(session.tensors()["x"]), x_after)
    assert session.tensors()["y"].untyped_storage() is session.tensors()["x"].untyped_storage()
    assert session.history[-1] == "x.add_(1)"


def test_undo_replays_random_fills_exactly(session):
    run_all(session, "a = core.rand(3, 3)", "b = core.randn(4)")
    a, b = values(session.tensors()["a"]).copy(), values(session.tensors()["b"]).copy()

    session.undo_stack.undo()
    session.undo_stack.undo()
    session.undo_stack.redo()
    session.undo_stack.redo()

    np.testing.assert_array_equal(values(session.tensors()["a"]), a)
    np.testing.assert_array_equal(values(session.tensors()["b"]), b)


def test_undo_everything_shows_nothing(session):
    session.run("x = core.ones(2)")
    changes = []
    session.current_changed.connect(lambda: changes.append(session.current))

    session.undo_stack.undo()

    assert session.tensors() == {}
    assert session.current is None
    assert changes == [None]


def test_a_new_line_after_undo_drops_the_undone_ones(session):
    run_all(session, "x = core.ones(2)", "y = x * 2")
    session.undo_stack.undo()

    session.run("z = x + 1")

    assert session.history == ["x = core.ones(2)", "z = x + 1"]
    assert not session.undo_stack.canRedo()


def test_lineage_follows_pure_chains_across_names(session):
    run_all(session, "x = core.arange(12).view(3, 4)", "y = x.t()[1:, ::2]", "z = y.contiguous()")

    steps = session.lineage()

    assert [(s.label, s.name) for s in steps] == [
        ("core.arange(12).view(3, 4)", "x"),
        ("x.t()", None),
        ("x.t()[1:, ::2]", "y"),
        ("y.contiguous()", "z"),
    ]
    x = session.tensors()["x"]
    assert steps[1].tensor.stride() == (1, 4)
    assert steps[1].tensor.untyped_storage() is x.untyped_storage()
    assert steps[3].tensor.untyped_storage() is not x.untyped_storage()


def test_lineage_of_a_reassigned_name_keeps_the_old_root(session):
    run_all(session, "x = core.arange(6)", "x = x.view(2, 3)")

    assert [(s.label, s.name) for s in session.lineage()] == [
        ("core.arange(6)", "x"),
        ("x.view(2, 3)", "x"),
    ]
    assert session.lineage()[0].tensor.shape == (6,)


def test_lineage_runs_each_step_once_in_place_ones_too(session):
    run_all(session, "x = core.zeros(3)", "y = x.add_(1).view(3, 1)")

    np.testing.assert_array_equal(values(session.tensors()["x"]), [1, 1, 1])  # added once
    assert [(s.label, s.name) for s in session.lineage()] == [
        ("core.zeros(3)", "x"),
        ("x.add_(1)", None),
        ("x.add_(1).view(3, 1)", "y"),
    ]


def test_selecting_a_lineage_step_keeps_the_lineage(session):
    run_all(session, "x = core.arange(12).view(3, 4)", "y = x.t()[1:]")
    middle = session.lineage()[1]

    session.show(middle)

    assert session.current is middle
    assert session.lineage()[1] is middle


def test_family_lists_every_named_tensor_over_the_storage(session):
    run_all(
        session,
        "x = core.arange(12).view(3, 4)",
        "c = x.t().contiguous()",
        "y = x.t()",
        "w = x[1]",
    )

    session.select("y")
    assert [shown.name for shown in session.family()] == ["x", "y", "w"]
    session.select("c")
    assert [shown.name for shown in session.family()] == ["c"]
    session.show(Shown("x.t()", session.tensors()["x"].t()))  # unnamed: listed last
    assert [shown.label for shown in session.family()] == ["x", "y", "w", "x.t()"]


def test_hover_a_logical_element_lights_its_storage_element(session):
    session.run("y = core.arange(24).view(2, 3, 4).permute(2, 0, 1)[1:, :, ::2]")
    tensor = session.current.tensor
    expected = tensor.storage_indices()

    for index in [(0, 0, 0), (2, 1, 1), (1, 0, 1)]:
        session.hover_logical(index)
        highlight = session.highlight
        assert highlight.origin == "logical"
        assert highlight.storage.tolist() == [expected[index]]
        assert highlight.logical.tolist() == [list(index)]
        assert highlight.formula == tensor.address_formula(index)
        assert highlight.byte_address == tensor.byte_address(index)

    session.hover_logical(None)
    assert session.highlight is None


@pytest.mark.parametrize(
    "line",
    [
        "y = core.arange(3).view(3, 1).expand(3, 4)",
        "y = core.arange(10).unfold(0, 4, 2)",
        "y = core.arange(12).view(3, 4)[1:, ::2]",
        "y = core.arange(6).as_strided((3, 3), (1, 1))",
    ],
)
def test_hover_a_storage_element_lights_every_reader(session, line):
    session.run(line)
    tensor = session.current.tensor
    indices = tensor.storage_indices()

    for storage_index in range(tensor.untyped_storage().element_count):
        session.hover_storage(storage_index)
        readers = np.argwhere(indices == storage_index)
        assert session.highlight.origin == "storage"
        assert session.highlight.logical.tolist() == readers.tolist()
        assert session.highlight.storage.tolist() == [storage_index]
        assert session.highlight.formula.startswith(
            f"storage[{storage_index}] is read by {len(readers)} element"
        )


def test_hover_signals_only_on_change(session):
    session.run("x = core.arange(4)")
    emitted = []
    session.highlight_changed.connect(lambda: emitted.append(session.highlight))

    session.hover_logical(None)
    session.hover_logical((1,))
    session.hover_logical(None)
    session.hover_logical(None)

    assert len(emitted) == 2


def test_a_failed_view_is_explained_with_the_two_ways_out(session):
    session.run("x = core.arange(12).view(3, 4)")
    explanations = []
    session.view_failed.connect(explanations.append)

    with pytest.raises(CodeError, match="view size is not compatible"):
        session.run("z = x.t().view(12)")

    (explanation,) = explanations
    assert explanation.receiver == "x.t()"
    assert explanation.shape == (12,)
    assert explanation.failure.chunks == ((0,), (1,))
    assert explanation.error.startswith("RuntimeError: view size is not compatible")
    assert explanation.reshape_code == "z = x.t().reshape(12)"
    assert explanation.contiguous_code == "z = x.t().contiguous().view(12)"
    with pytest.raises(RuntimeError, match="view size is not compatible"):
        torch.arange(12).view(3, 4).t().view(12)

    session.run(explanation.contiguous_code)
    assert explanations[-1] is None
    assert session.tensors()["z"].shape == (12,)


def test_a_view_with_minus_one_is_explained_with_the_inferred_shape(session):
    session.run("x = core.arange(24).view(2, 3, 4).transpose(1, 2)")
    explanations = []
    session.view_failed.connect(explanations.append)

    with pytest.raises(CodeError):
        session.run("y = x.view((2, -1))")

    assert explanations[0].shape == (2, 12)
    assert explanations[0].reshape_code == "y = x.reshape((2, -1))"


def test_other_errors_carry_no_view_explanation(session):
    explanations = []
    session.view_failed.connect(explanations.append)

    with pytest.raises(CodeError):
        session.run("x = core.arange(12).view(5)")

    assert explanations == [None]


def test_memory_limit_refuses_before_allocating(session):
    session.memory_limit = 1024

    with pytest.raises(CodeError, match="OutOfMemoryError"):
        session.run("x = core.zeros(100_000, 100_000)")

    assert session.tensors() == {}
    session.run("x = core.zeros(16, 16)")  # 1024 bytes: exactly the limit
    assert session.tensors()["x"].nbytes == 1024


def test_select_unknown_name_raises_key_error(session):
    with pytest.raises(KeyError):
        session.select("nope")


def test_global_state_a_line_changes_is_reset_by_a_replay(session):
    run_all(session, "core.set_default_dtype(core.float64)", "x = core.ones(2)")
    assert session.tensors()["x"].dtype == core.float64

    session.undo_stack.undo()
    session.undo_stack.undo()
    session.run("x = core.ones(2)")

    assert session.tensors()["x"].dtype == core.float32


def test_a_click_pins_the_highlight_until_clicked_again(session):
    session.run("y = core.arange(12).view(3, 4).t()")

    session.click_logical((1, 2))
    session.hover_logical((0, 0))
    session.hover_logical(None)
    assert session.pinned
    assert session.highlight.storage.tolist() == [9]

    session.click_storage(4)  # another element: the pin moves there
    assert session.pinned
    assert session.highlight.logical.tolist() == [[0, 1]]

    session.click_storage(4)  # the same one again: unpinned and cleared
    assert not session.pinned
    assert session.highlight is None
    session.hover_logical((0, 0))
    assert session.highlight.storage.tolist() == [0]


def test_showing_another_tensor_or_clicking_nothing_unpins(session):
    run_all(session, "x = core.arange(6)", "y = x.view(2, 3)")
    session.click_logical((1, 1))

    session.select("x")
    assert not session.pinned and session.highlight is None

    session.click_logical((2,))
    session.click_logical(None)
    assert not session.pinned and session.highlight is None


def test_undo_replays_lines_that_ran_even_under_a_lower_limit_now(session):
    run_all(session, "x = core.zeros(1000)", "x.add_(1); y = core.zeros(100_000)", "z = x[:10]")
    session.memory_limit = 1024  # y alone is 400 kB

    session.undo_stack.undo()
    session.undo_stack.undo()

    assert session.history == ["x = core.zeros(1000)"]
    np.testing.assert_array_equal(values(session.tensors()["x"]), np.zeros(1000))
    with pytest.raises(CodeError, match="OutOfMemoryError"):
        session.run("w = core.zeros(100_000)")  # new lines still obey the limit


@pytest.mark.parametrize(
    "failing",
    [
        "core.rand(2); 1 / 0",
        "core.set_default_dtype(core.float64); 1 / 0",
        "torch.set_grad_enabled(False); 1 / 0",
        "x.requires_grad_(); y = x.view(5)",
    ],
)
def test_a_failed_line_leaves_no_engine_state_behind(session, failing):
    session.run("x = core.rand(3)")
    expected = values(session.tensors()["x"]).copy()

    with pytest.raises(CodeError):
        session.run(failing)
    run_all(session, "a = core.rand(2)", "b = core.zeros(2)", "c = x * 2")
    after = {name: values(t).copy() for name, t in session.tensors().items()}
    session.undo_stack.undo()
    session.undo_stack.redo()

    np.testing.assert_array_equal(values(session.tensors()["x"]), expected)
    for name, tensor in session.tensors().items():
        np.testing.assert_array_equal(values(tensor), after[name])
    assert session.tensors()["b"].dtype == core.float32
    assert session.tensors()["c"].grad_fn is None
    assert core.is_grad_enabled()


def test_a_line_runs_once_so_its_side_effects_happen_once(session):
    session.run("x = core.ones(3)")

    session.run("y = x.narrow(0, 0, int(x.add_(1)[0])).t()")

    np.testing.assert_array_equal(values(session.tensors()["x"]), [2, 2, 2])


def test_lineage_starts_from_the_name_as_rebound_earlier_in_the_line(session):
    session.run("x = core.arange(12).view(3, 4)")

    session.run("x = core.zeros(2, 6); y = x.t()[1:]")

    steps = session.lineage()
    assert [(s.label, s.name) for s in steps] == [
        ("core.zeros(2, 6)", "x"),
        ("x.t()", None),
        ("x.t()[1:]", "y"),
    ]
    assert steps[1].tensor.shape == (6, 2)
    assert steps[2].tensor.untyped_storage() is session.tensors()["x"].untyped_storage()


def test_a_name_rebound_another_way_loses_its_stale_lineage(session):
    run_all(session, "x = core.arange(6)", "y = x.view(2, 3)", "(y,) = [core.zeros(5)]")

    session.select("y")

    assert [(s.label, s.name) for s in session.lineage()] == []
    assert session.current.tensor.shape == (5,)


def test_names_keep_the_order_of_their_latest_binding(session):
    run_all(session, "a = core.zeros(1)", "b = core.arange(6)", "a = b.view(2, 3)")

    assert list(session.tensors()) == ["b", "a"]
    assert [shown.name for shown in session.family()] == ["b", "a"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("torch = core.zeros(2)", "'torch' is the engine here"),
        ("core = 1", "'core' is the engine here"),
        ("import torch", "'torch' is the engine here"),
        ("del core", "'core' is the engine here"),
        ("x = " + "+".join(["1"] * 5000), "RecursionError"),
        ("x = core.zeros(2); raise KeyboardInterrupt", "KeyboardInterrupt"),
    ],
)
def test_lines_that_would_break_the_session_are_refused(session, line, message):
    session.run("x = core.ones(2)")

    with pytest.raises(CodeError, match=message):
        session.run(line)

    assert session.history == ["x = core.ones(2)"]
    np.testing.assert_array_equal(values(session.tensors()["x"]), [1, 1])
    assert session._namespace["core"] is core and session._namespace["torch"] is core


def test_a_failed_line_that_changed_nothing_keeps_the_same_tensors(session):
    session.run("x = core.arange(6)")
    x = session.tensors()["x"]

    with pytest.raises(CodeError):
        session.run("y = x.view(4)")

    assert session.tensors()["x"] is x


def test_jumping_back_many_lines_replays_once(session, monkeypatch):
    run_all(session, *(f"x{i} = core.arange({i + 1})" for i in range(12)))
    replays = []
    replay = session._replay
    monkeypatch.setattr(
        session, "_replay", lambda lines: (replays.append(len(lines)), replay(lines))
    )

    session.undo_stack.setIndex(2)

    assert replays == [2]
    assert list(session.tensors()) == ["x0", "x1"]
    session.undo_stack.setIndex(12)
    assert list(session.tensors()) == [f"x{i}" for i in range(12)]
    assert replays == [2]  # redo runs the lines again, without a replay


# -- backward stepping (the graph panel's model) -------------------------------------------

MICROGRAD_LINES = (
    "a = core.tensor(2.0, requires_grad=True)",
    "b = core.tensor(-3.0, requires_grad=True)",
    "L = (a * b + 1) * a",
)


def test_the_graph_follows_the_last_scalar_that_requires_grad(session):
    graph_changes = []
    session.graph_changed.connect(lambda: graph_changes.append(session.graph))
    run_all(session, "x = core.arange(3.0)")
    assert session.graph is None and session.backward_pass is None

    run_all(session, *MICROGRAD_LINES, "v = a * core.ones(3)")

    assert session.graph.root_name == "L"  # v requires grad but is not a scalar
    assert session.backward_roots() == ["a", "b", "L", "v"]
    session.choose_backward_root("v")
    assert session.graph.root_name == "v"
    assert graph_changes[-1] is session.graph


def test_a_pass_run_to_its_end_joins_the_history_and_undoes(session):
    run_all(session, *MICROGRAD_LINES)
    steps = []
    session.stepped.connect(lambda: steps.append(session.backward_pass.shown_step))

    session.step()
    session.step()
    assert session.history[-1] == MICROGRAD_LINES[-1]  # partway: not in the history yet
    session.run_to_end()

    assert session.history[-1] == "L.backward()"
    assert steps[:2] == [1, 2] and session.backward_pass.finished
    a, b = session.tensors()["a"], session.tensors()["b"]
    # L = (a·b + 1)·a: dL/da = 2ab + 1 = -11, dL/db = a² = 4
    assert (float(a.grad), float(b.grad)) == (-11.0, 4.0)
    namespace = {}
    exec(torch_script(session.history), namespace)
    assert float(namespace["a"].grad) == -11.0

    session.undo_stack.undo()
    assert session.history[-1] == MICROGRAD_LINES[-1]
    assert session.tensors()["a"].grad is None
    session.undo_stack.redo()
    assert float(session.tensors()["a"].grad) == -11.0


def test_stepping_back_from_the_end_takes_the_line_out_again(session):
    run_all(session, *MICROGRAD_LINES)
    session.run_to_end()
    total = session.backward_pass.shown_step

    session.step_back()

    assert session.backward_pass.shown_step == total - 1
    assert "L.backward()" not in session.history
    session.step()
    assert session.history[-1] == "L.backward()"
    session.reset_backward()
    assert session.backward_pass.shown_step == 0 and "L.backward()" not in session.history
    assert session.tensors()["a"].grad is None


def test_a_line_run_partway_rewinds_the_pass_exactly(session):
    run_all(session, *MICROGRAD_LINES, "L.backward(retain_graph=True)", "g = a.grad")
    session.run_to_end()  # a second call: adds into a.grad in place, g too
    session.undo_stack.undo()
    session.step()
    session.run_to_end()
    session.step_back()  # partway through the second call again
    assert float(session.tensors()["g"]) == -22.0

    session.run("z = a + 1")

    g, a = session.tensors()["g"], session.tensors()["a"]
    assert float(g) == -11.0 and g is a.grad  # as PyTorch has it after the history
    assert session.backward_pass.shown_step == 0


def test_a_second_backward_call_accumulates_with_retain_graph(session):
    run_all(session, *MICROGRAD_LINES)
    session.set_retain_graph(True)
    session.run_to_end()
    session.step()  # at the end: another call
    session.run_to_end()

    assert session.history[-2:] == ["L.backward(retain_graph=True)"] * 2
    assert float(session.tensors()["a"].grad) == -22.0
    (accumulated,) = [
        acc
        for record in session.backward_pass.records
        for acc in record.accumulations
        if session.graph.nodes[acc.tensor].name == "a"
    ]
    assert (float(accumulated.before), float(accumulated.after)) == (-11.0, -22.0)


def test_a_second_call_without_retain_graph_fails_and_changes_nothing(session):
    run_all(session, *MICROGRAD_LINES)
    session.run_to_end()
    session.step()
    session.run_to_end()

    error = session.backward_pass.error
    assert error.message.startswith("RuntimeError: Trying to backward through the graph a second")
    assert session.graph.nodes[error.node].name == "MulBackward0"
    assert session.history.count("L.backward()") == 1
    assert float(session.tensors()["a"].grad) == -11.0


def test_retain_grad_toggles_as_a_line(session):
    run_all(session, *MICROGRAD_LINES, "m = a * b", "M = m * 2")

    session.set_retain_grad("m", True)
    assert session.history[-1] == "m.retain_grad()"
    session.run_to_end()
    assert float(session.tensors()["m"].grad) == 2.0
    session.undo_stack.undo()  # the backward line
    session.set_retain_grad("m", False)
    assert "m.retain_grad()" not in session.history
    assert not session.tensors()["m"].retains_grad
    session.set_retain_grad("m", True)
    session.run("z = m + 1")
    with pytest.raises(CodeError, match="no call that stops m retaining its grad"):
        session.set_retain_grad("m", False)


def test_clicking_graph_nodes_shows_tensors_and_saved_tensors(session):
    run_all(session, "x = core.arange(6.0).view(2, 3).requires_grad_()", "y = x.t() * 2")
    run_all(session, "loss = (y * y).sum()")
    graph = session.graph
    by_name = {n.name: n.id for n in graph.nodes.values() if getattr(n, "shape", None) is not None}

    assert session.show_graph_tensor(by_name["x"]) is None
    assert session.current.name == "x"
    (mul,) = [
        n.id
        for n in graph.nodes.values()
        if n.name == "MulBackward0" and graph.nodes[("tensor", n.id[1], 0)].name is None
    ]
    assert session.show_saved_tensor(mul) is None
    assert session.current.name == "y" and session.pinned
    assert sorted(session.highlight.storage.tolist()) == list(range(6))
    gone = [n.id for n in graph.nodes.values() if n.id[0] == "tensor" and n.name is None]
    assert "is gone" in session.show_graph_tensor(gone[0])


def test_backward_on_nothing_or_a_non_scalar_says_why(session):
    session.step()
    session.run_to_end()  # nothing requires grad: nothing happens
    run_all(session, "x = core.ones(3, requires_grad=True)", "y = x * 2")
    session.choose_backward_root("y")

    session.step()

    assert session.backward_pass.error.message == (
        "RuntimeError: grad can be implicitly created only for scalar outputs"
    )
    assert session.history[-1] == "y = x * 2"
