"""The graph panel: the backward graph of a chosen tensor, stepped through node by node.

Above the graph: which tensor backward starts from, ``retain_graph``, ``retain_grad()`` for
the tensor clicked, and the Templates menu. Beside it, the step in words (the local rule,
what arrives, what is sent, what went into ``.grad``); below, the step controls. Clicking a
tensor shows it in the memory views; clicking a grad_fn node lights what it saved for
backward there. Everything goes through the session.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QScrollArea,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.autograd_graph import NodeId, Page
from app.backward_session import NO_GRAPH
from app.graph_templates import TEMPLATES
from app.i18n import translate
from app.session import CodeError, Session
from app.step_description import describe_step
from app.theme import monospace_font
from app.widgets.graph_items import box_lines
from app.widgets.graph_view import GraphView
from app.widgets.inline_error import InlineError
from app.widgets.step_controls import StepControls

DETAILS_HEIGHT = 100


class GraphPanel(QWidget):
    """The session's backward graph and pass; the widgets below are public for tests."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.selected: NodeId | None = None
        self.marked: frozenset = frozenset()
        self._selected_in: tuple | None = None  # the topology of the graph clicked in
        self.page: Page | None = None
        self._drawn_key: tuple | None = None

        self.root_box = QComboBox()
        self.root_box.setToolTip(translate("GraphPanel", "The tensor to call backward() on"))
        self.retain_graph_box = QCheckBox("retain_graph")
        self.retain_graph_box.setChecked(session.retain_graph)  # a rebuilt window's too
        self.retain_graph_box.setToolTip(
            translate(
                "GraphPanel",
                "Keep the saved tensors after the pass, so that backward can run again",
            )
        )
        self.retain_grad_box = QCheckBox("retain_grad()")
        self.retain_grad_box.setToolTip(
            translate("GraphPanel", "Click a named non-leaf tensor to keep its .grad")
        )
        self.saved_box = QComboBox()
        self.saved_box.setToolTip(
            translate("GraphPanel", "What the clicked node saved for backward, lit in storage")
        )
        self.templates_menu = QMenu(translate("GraphPanel", "&Templates"), self)
        for template in TEMPLATES:
            action = QAction(translate("GraphTemplate", template.title), self.templates_menu)
            action.triggered.connect(lambda _=False, code=template.code: self.insert(code))
            self.templates_menu.addAction(action)
        self.templates_button = QToolButton()
        self.templates_button.setText(translate("GraphPanel", "Templates"))
        self.templates_button.setMenu(self.templates_menu)
        self.templates_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.fit_button = QToolButton()
        self.fit_button.setText(translate("GraphPanel", "Fit"))
        self.fit_button.setToolTip(
            translate("GraphPanel", "Shrink the graph to fit (Ctrl+wheel zooms)")
        )

        self.hint = QLabel(translate("BackwardStepping", NO_GRAPH))
        self.hint.setWordWrap(True)
        self.view = GraphView()
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setContentsMargins(8, 6, 8, 6)
        details_area = QScrollArea()
        details_area.setWidget(self.details)
        details_area.setWidgetResizable(True)
        details_area.setMinimumHeight(60)
        # Below the graph: a graph runs left to right, so it wants the width.
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(details_area)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([10_000, DETAILS_HEIGHT])
        self.controls = StepControls(session, self)
        self.error = InlineError()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.hide()

        top = QHBoxLayout()
        top.addWidget(QLabel(translate("GraphPanel", "backward from")))
        top.addWidget(self.root_box)
        top.addWidget(self.retain_graph_box)
        top.addSpacing(12)
        top.addWidget(self.retain_grad_box)
        top.addWidget(self.saved_box)
        top.addStretch(1)
        top.addWidget(self.fit_button)
        top.addWidget(self.templates_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.hint)
        layout.addWidget(self.splitter, stretch=1)
        layout.addWidget(self.controls)
        layout.addWidget(self.error)
        layout.addWidget(self.note)

        self.root_box.activated.connect(
            lambda index: self.session.choose_backward_root(self.root_box.itemText(index))
        )
        self.retain_graph_box.toggled.connect(self.session.set_retain_graph)
        self.retain_grad_box.clicked.connect(self._toggle_retain_grad)
        self.saved_box.activated.connect(self._show_saved)
        self.view.node_clicked.connect(self.click_node)
        self.fit_button.clicked.connect(self.view.fit_all)
        session.graph_changed.connect(self._on_graph_changed)
        session.stepped.connect(self._on_stepped)
        self._on_graph_changed()
        self._on_stepped()

    # -- actions -------------------------------------------------------------------

    def insert(self, code: str) -> None:
        """Run a template's lines, then show its graph; a failure shows below the graph."""
        try:
            self.session.insert_template(code)
        except CodeError as error:
            self.error.show_error(str(error))

    def click_node(self, node_id: NodeId) -> None:
        """A tensor shows in the memory views; a grad_fn node lights what it saved."""
        graph = self.session.graph
        if graph is None or node_id not in graph.nodes:
            return
        self.selected, self._selected_in = node_id, graph.topology
        self.saved_box.clear()  # a new node: its first saved tensor
        self._list_saved()
        if node_id[0] == "tensor":
            self._show_note(self.session.show_graph_tensor(node_id))
        else:
            self._show_note(self.session.show_saved_tensor(node_id))
        self._sync_selection_controls()
        self._on_stepped()

    # -- following the session -----------------------------------------------------------

    def _on_graph_changed(self) -> None:
        session, graph = self.session, self.session.graph
        self.root_box.clear()
        self.root_box.addItems(session.backward_roots())
        if graph is not None:
            self.root_box.setCurrentText(graph.root_name)
        self.hint.setVisible(graph is None)
        self.splitter.setVisible(graph is not None)
        self.root_box.setEnabled(graph is not None)
        # Ids are positions in the graph: in another graph the same id is another node.
        if graph is None or graph.topology != self._selected_in:
            self.selected = None
        self._list_saved()
        backward_pass = session.backward_pass
        # Around the node shown, as the step drawn next will be: a large graph is laid out once.
        self._draw(None if backward_pass is None else backward_pass.view().current)
        self._sync_selection_controls()

    def _on_stepped(self) -> None:
        session = self.session
        graph, backward_pass = session.graph, session.backward_pass
        if graph is None or backward_pass is None:
            self.view.show_pass(None)
            self.details.setText("")
            self.error.clear_error()
            return
        view = backward_pass.view()
        self._draw(focus=view.current)
        self.view.show_pass(view, self.marked, self.selected)
        self.view.follow_node(view.current)
        self._write_details()
        if backward_pass.error is not None:
            message = backward_pass.error.message
            if backward_pass.error.node is not None:
                message = translate("GraphPanel", "{message}  (at {node})").format(
                    message=message, node=graph.nodes[backward_pass.error.node].name
                )
            self.error.show_error(message)
        else:
            self.error.clear_error()

    def _draw(self, focus: NodeId | None = None) -> None:
        """Lay the graph out again when what is drawn changed (nodes, names, page)."""
        graph = self.session.graph
        if graph is None:
            self.page, self._drawn_key = None, None
            self.view.set_graph(None, None)
            return
        page = graph.page(focus or graph.root, self.page)
        if graph is self.view.graph and page is self.page:
            return  # a step on the same page: the key below costs a walk of every node
        self.page = page
        drawn = tuple((node.id, tuple(box_lines(node))) for node in graph.nodes.values())
        key = (graph.topology, drawn, self.page.nodes)
        if key != self._drawn_key:
            self._drawn_key = key
            self.view.set_graph(graph, self.page)
        else:
            self.view.graph = graph

    def _write_details(self) -> None:
        session = self.session
        description = describe_step(
            session.graph,
            session.backward_pass,
            session.tensors(),
            session.backward_line(),
            session.backward_calls() - (session.backward_pass.committed is not None),
        )
        mono = monospace_font(self.font()).family()
        rows = "".join(
            f"<tr><td style='padding-right:8px; color:gray'>{html.escape(label)}</td>"
            f"<td style='font-family:\"{mono}\"'>"
            f"{html.escape(text).replace(chr(10), '<br>')}</td></tr>"
            for label, text in description.rows
        )
        self.details.setText(f"<b>{html.escape(description.heading)}</b><table>{rows}</table>")

    def _list_saved(self) -> None:
        """What the selected grad_fn node saved, as the graph has it now (freed ones say so):
        the choices of the saved box, and the tensors outlined."""
        graph, selected = self.session.graph, self.selected
        index = self.saved_box.currentIndex()
        self.saved_box.clear()
        self.marked = frozenset()
        if graph is None or selected is None or selected[0] != "grad_fn":
            return
        saved = graph.saved_tensors(selected)
        for item in saved:
            if item.problem is None:
                choice = translate("GraphPanel", "saved {key}")
            else:
                choice = translate("GraphPanel", "saved {key} (gone)")
            self.saved_box.addItem(choice.format(key=item.key))
        self.saved_box.setCurrentIndex(min(max(index, 0), len(saved) - 1))
        self.marked = frozenset(
            node
            for item in saved
            if item.tensor is not None
            for node in [graph.tensor_node_of(item.tensor)]
            if node is not None
        )

    def _sync_selection_controls(self) -> None:
        graph, selected = self.session.graph, self.selected
        node = None if graph is None or selected is None else graph.nodes.get(selected)
        named_non_leaf = (
            node is not None and selected[0] == "tensor" and not node.is_leaf and bool(node.name)
        )
        self.retain_grad_box.setEnabled(named_non_leaf)
        self.retain_grad_box.setChecked(named_non_leaf and node.retains_grad)
        self.saved_box.setVisible(
            node is not None and selected[0] == "grad_fn" and bool(node.saved)
        )

    def _toggle_retain_grad(self, checked: bool) -> None:
        node = self.session.graph.nodes[self.selected]
        try:
            self.session.set_retain_grad(node.first_name, checked)
        except CodeError as error:
            self.error.show_error(str(error))
        self._sync_selection_controls()

    def _show_saved(self, index: int) -> None:
        if self.selected is not None and self.selected[0] == "grad_fn":
            self._show_note(self.session.show_saved_tensor(self.selected, index))

    def _show_note(self, message: str | None) -> None:
        self.note.setText(message or "")
        self.note.setVisible(bool(message))
