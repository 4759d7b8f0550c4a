"""The inspector, lineage bar, tensor list and view failure panel, driven through a Session."""

from __future__ import annotations

import pytest
import torch
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette

import core
from app.session import CodeError, Session
from app.tensor_facts import OWNS_STORAGE, base_text, facts, first_owner
from app.widgets.inspector import Inspector
from app.widgets.lineage_bar import NEW_STORAGE_TOOLTIP, LineageBar
from app.widgets.palette import family_color
from app.widgets.tensor_list import OWN_STORAGE, TensorList
from app.widgets.view_failure_panel import (
    CONTIGUOUS_BUTTON,
    RESHAPE_BUTTON,
    RUN_COLORS,
    ViewFailurePanel,
)

# The same tensors built in both libraries: x, a view, a strided view of a view, a copy.
PAIRS = {
    "x": lambda lib: lib.arange(12).view(3, 4),
    "x.t()": lambda lib: lib.arange(12).view(3, 4).t(),
    "x.t()[1:, ::2]": lambda lib: lib.arange(12).view(3, 4).t()[1:, ::2],
    "x.t().contiguous()": lambda lib: lib.arange(12).view(3, 4).t().contiguous(),
    "x[1]": lambda lib: lib.arange(12, dtype=lib.float32).view(3, 4)[1],
}


def torch_facts(tensor: torch.Tensor) -> dict[str, str]:
    """The rows that torch can answer, written out by hand from torch's own values."""
    storage_nbytes = tensor.untyped_storage().nbytes()
    return {
        "shape": str(tuple(tensor.shape)),
        "stride()": str(tensor.stride()),
        "storage_offset()": str(tensor.storage_offset()),
        "is_contiguous()": str(tensor.is_contiguous()),
        "numel()": str(tensor.numel()),
        "element_size()": f"{tensor.element_size()} bytes",
        "nbytes": f"{tensor.nbytes} bytes",
        "untyped_storage().nbytes()": (
            f"{storage_nbytes} bytes ({storage_nbytes // tensor.element_size()} elements)"
        ),
    }


@pytest.fixture
def session(qtbot):
    return Session()


def run_lines(session: Session, *lines: str) -> None:
    for line in lines:
        session.run(line)


# -- tensor_facts -------------------------------------------------------------------


@pytest.mark.parametrize("code", list(PAIRS))
def test_facts_match_torch(code):
    ours = dict(facts(PAIRS[code](core), OWNS_STORAGE))
    expected = torch_facts(PAIRS[code](torch))
    assert {label: ours[label] for label in expected} == expected


def test_facts_name_identity_rows():
    x = core.arange(12).view(3, 4)
    rows = dict(facts(x.t(), "x"))
    assert rows["dtype"] == "core.int64"
    assert rows["device"] == "cpu"
    assert rows["data_ptr()"] == hex(x.data_ptr())
    assert rows["_version"] == "0"
    assert rows["view of"] == "x"
    assert dict(facts(x, base_text(None, False)))["view of"] == OWNS_STORAGE
    assert base_text("x", True) == "x (the same tensor)"


def test_first_owner_is_the_first_name_over_the_storage():
    x = core.arange(6)
    y = x.view(2, 3)
    z = y.clone()
    named = {"x": x, "y": y, "z": z, "w": x}
    assert [first_owner(name, t, named) for name, t in named.items()] == [
        (None, False),
        ("x", False),
        (None, False),
        ("x", True),
    ]


# -- Inspector ------------------------------------------------------------------------


def test_inspector_shows_torchs_values(qtbot, session):
    inspector = Inspector(session)
    qtbot.addWidget(inspector)
    run_lines(session, "x = core.arange(12).view(3, 4)", "y = x.t()", "z = y.contiguous()")
    x = torch.arange(12).view(3, 4)
    expected = [("x", x, OWNS_STORAGE), ("y", x.t(), "x"), ("z", x.t().contiguous(), OWNS_STORAGE)]
    for name, tensor, owner in expected:
        session.select(name)
        assert inspector.heading.text() == name
        shown = {label: inspector.value(label) for label in torch_facts(tensor)}
        assert shown == torch_facts(tensor)
        assert inspector.value("view of") == owner
        assert inspector.value("data_ptr()") == hex(session.tensors()[name].data_ptr())


def test_inspector_version_follows_in_place_writes(qtbot, session):
    inspector = Inspector(session)
    qtbot.addWidget(inspector)
    run_lines(session, "x = core.arange(12).view(3, 4)", "y = x.t()")
    assert inspector.value("_version") == "0"
    session.run("x.add_(1)")
    assert inspector.heading.text() == "y"
    assert inspector.value("_version") == "1"


def test_inspector_hover_line_and_address(qtbot, session):
    inspector = Inspector(session)
    qtbot.addWidget(inspector)
    run_lines(session, "x = core.arange(12).view(3, 4)", "y = x.t()")
    assert inspector.address_line.isHidden()
    session.hover_logical((1, 2))
    y = session.tensors()["y"]
    assert inspector.hover_line.text() == "y[1, 2] → storage index 0 + 1·1 + 2·4 = 9"
    assert inspector.address_line.text() == f"address {y.data_ptr() + 9 * 8:#x}"
    assert not inspector.address_line.isHidden()
    session.hover_logical(None)
    assert inspector.address_line.isHidden()


# -- LineageBar -----------------------------------------------------------------------


def test_lineage_chips_read_the_chain_and_click_shows_a_step(qtbot, session):
    bar = LineageBar(session)
    qtbot.addWidget(bar)
    run_lines(session, "x = core.arange(12).view(3, 4)", "y = x.t()[1:, ::2]")
    assert [chip.text() for chip in bar.chips] == ["x", "x.t()", "x.t()[1:, ::2]  (y)"]
    assert bar.shown_chip() is bar.chips[2]

    qtbot.mouseClick(bar.chips[1], Qt.MouseButton.LeftButton)
    assert session.current.label == "x.t()"
    assert session.current.name is None
    assert [chip.text() for chip in bar.chips] == ["x", "x.t()", "x.t()[1:, ::2]  (y)"]
    assert bar.shown_chip() is bar.chips[1]

    qtbot.mouseClick(bar.chips[0], Qt.MouseButton.LeftButton)
    assert (session.current.label, session.current.name) == ("x", "x")
    assert len(bar.chips) == 3  # the chain stays: the student can walk back to y


def test_lineage_marks_the_step_that_made_new_storage(qtbot, session):
    bar = LineageBar(session)
    qtbot.addWidget(bar)
    run_lines(session, "x = core.arange(12).view(3, 4)", "y = x.t()", "z = y.contiguous()")
    assert [chip.new_storage for chip in bar.chips] == [False, False, True]
    copy = bar.chips[2]
    assert copy.text() == "y.contiguous()  (z)"
    assert copy.toolTip() == f"z = y.contiguous()\n{NEW_STORAGE_TOOLTIP}"
    assert "dashed" in copy.styleSheet()
    assert not copy.icon().isNull()

    session.run("w = x.view(12)")
    assert [chip.new_storage for chip in bar.chips] == [False, False]
    view = bar.chips[1]
    assert view.toolTip() == "w = x.view(12)"
    assert "dashed" not in view.styleSheet()
    assert view.icon().isNull()


def test_lineage_chip_colours_are_family_colours(qtbot, session):
    bar = LineageBar(session)
    qtbot.addWidget(bar)
    run_lines(session, "x = core.arange(12).view(3, 4)", "y = x.t()")
    assert family_color(0) in bar.chips[0].styleSheet()
    assert family_color(1) in bar.chips[1].styleSheet()


# -- TensorList -----------------------------------------------------------------------


def group_names(tensor_list: TensorList) -> list[list[str]]:
    return [
        [header.child(r).text(0) for r in range(header.childCount())]
        for header in map(tensor_list.topLevelItem, range(tensor_list.topLevelItemCount()))
    ]


def test_tensor_list_groups_by_storage(qtbot, session):
    tensor_list = TensorList(session)
    qtbot.addWidget(tensor_list)
    run_lines(session, "x = core.arange(12).view(3, 4)", "y = x.t()", "z = y.contiguous()")
    assert group_names(tensor_list) == [["x", "y"], ["z"]]
    x = session.tensors()["x"]
    assert tensor_list.topLevelItem(0).text(0) == (
        f"storage: 12 × int64 · 96 bytes · {x.untyped_storage().data_ptr():#x}"
    )
    rows = tensor_list.tensor_rows()
    assert [(r.text(1), r.text(2)) for r in rows] == [
        ("(3, 4)", OWN_STORAGE),
        ("(4, 3)", "view of x"),
        ("(4, 3)", OWN_STORAGE),
    ]
    # Swatches: positions within each storage group, as Session.family() numbers them.
    swatch_colors = [r.icon(0).pixmap(14, 14).toImage().pixelColor(7, 7).name() for r in rows]
    assert swatch_colors == [family_color(0), family_color(1), family_color(0)]


def test_tensor_list_selects_and_follows_the_session(qtbot, session):
    tensor_list = TensorList(session)
    qtbot.addWidget(tensor_list)
    tensor_list.show()
    run_lines(session, "x = core.arange(12).view(3, 4)", "y = x.t()", "z = y.contiguous()")
    assert tensor_list.currentItem().text(0) == "z"
    x_row = tensor_list.tensor_rows()[0]
    qtbot.mouseClick(
        tensor_list.viewport(),
        Qt.MouseButton.LeftButton,
        pos=tensor_list.visualItemRect(x_row).center(),
    )
    assert session.current.name == "x"
    session.select("y")
    assert tensor_list.currentItem().text(0) == "y"
    assert [item.text(0) for item in tensor_list.selectedItems()] == ["y"]


# -- ViewFailurePanel -----------------------------------------------------------------


def failed_view_panel(qtbot, session: Session) -> ViewFailurePanel:
    panel = ViewFailurePanel(session)
    qtbot.addWidget(panel)
    session.run("x = core.arange(12).view(3, 4)")
    assert panel.isHidden()
    with pytest.raises(CodeError):
        session.run("z = x.t().view(12)")
    return panel


def blend(under: QColor, over: str, alpha: float) -> tuple[int, ...]:
    """``over`` at ``alpha`` painted on ``under``, as RGB."""
    pairs = zip(under.getRgb()[:3], QColor(over).getRgb()[:3], strict=True)
    return tuple(round(a * (1 - alpha) + b * alpha) for a, b in pairs)


def test_view_failure_panel_explains_with_two_runs(qtbot, session):
    panel = failed_view_panel(qtbot, session)
    assert not panel.isHidden()
    assert panel.code_line.text() == "z = x.t().view(12)"
    assert panel.error_line.text().startswith("RuntimeError: view size is not compatible")
    assert panel.explanation.failure.chunks == ((0,), (1,))
    assert "new dim 0 (size 12) would have to walk across runs 1 and 2" in (
        panel.explanation_line.text()
    )
    assert panel.reshape_code.text() == "z = x.t().reshape(12)"
    assert panel.contiguous_code.text() == "z = x.t().contiguous().view(12)"

    diagram = panel.diagram
    diagram.resize(diagram.minimumSizeHint())
    image = diagram.grab().toImage()
    old_boxes, _ = diagram.dim_boxes()
    base = diagram.palette().color(QPalette.ColorRole.Base)
    # Just inside each box's corner: the tint of its run, away from border and text.
    drawn = [image.pixelColor(int(box.left()) + 6, int(box.bottom()) - 4) for box in old_boxes]
    expected = [blend(base, RUN_COLORS[0], 0.35), blend(base, RUN_COLORS[1], 0.35)]
    for color, want in zip(drawn, expected, strict=True):
        # ±2 per channel: rounding in the alpha blend.
        assert max(abs(a - b) for a, b in zip(color.getRgb()[:3], want, strict=True)) <= 2
    assert drawn[0] != drawn[1]


@pytest.mark.parametrize(
    ("button", "code_attribute"),
    [(RESHAPE_BUTTON, "reshape_button"), (CONTIGUOUS_BUTTON, "contiguous_button")],
)
def test_view_failure_panel_ways_out(qtbot, session, button, code_attribute):
    panel = failed_view_panel(qtbot, session)
    fix = getattr(panel, code_attribute)
    assert fix.text() == button
    qtbot.mouseClick(fix, Qt.MouseButton.LeftButton)
    z = session.tensors()["z"]
    assert tuple(z.shape) == (12,)
    assert z.tolist() == torch.arange(12).view(3, 4).t().reshape(12).tolist()
    assert not z.is_view_of(session.tensors()["x"])
    assert panel.isHidden()


def test_view_failure_panel_shows_a_failing_fix_inline(qtbot, session):
    panel = failed_view_panel(qtbot, session)
    session.memory_limit = 64  # the 96-byte copy that reshape makes is refused
    qtbot.mouseClick(panel.reshape_button, Qt.MouseButton.LeftButton)
    assert "z" not in session.tensors()
    assert not panel.isHidden()
    assert panel.fix_error.text().startswith("OutOfMemoryError")
    assert not panel.fix_error.isHidden()


def test_view_failure_panel_closes(qtbot, session):
    panel = failed_view_panel(qtbot, session)
    qtbot.mouseClick(panel.close_button, Qt.MouseButton.LeftButton)
    assert panel.isHidden()
    with pytest.raises(CodeError):
        session.run("z = x.t().view(12)")
    assert not panel.isHidden()
    session.run("w = x.view(12)")
    assert panel.isHidden()
