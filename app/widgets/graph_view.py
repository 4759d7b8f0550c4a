"""The graph view: the autograd graph laid out left to right, the pass drawn over it.

It draws what it is given (a graph, the page of it to show, a :class:`PassView`) and
reports clicks on nodes; the graph panel wires it to the session.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
    QMouseEvent,
    QPainter,
    QResizeEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView, QWidget

from app.autograd_graph import AutogradGraph, EdgeId, NodeId, Page
from app.backward_pass import PassView
from app.gradient_values import HEAT_MAP_CELLS, is_small_shape, typical_text
from app.graph_gaps import Gap, column_gaps, widen_gaps
from app.graph_layout import Box, GraphLayout, layered_layout
from app.theme import monospace_font
from app.widgets.graph_items import (
    HEAT_CELL,
    PADDING,
    EdgeItem,
    GradientLabel,
    GraphColors,
    GraphFonts,
    NodeItem,
    box_lines,
)

NODE_GAP = 18.0
MIN_LAYER_GAP, MAX_LAYER_GAP = 40.0, 180.0
"""Columns are at least this far apart, more where the gradient labels between them need it
(up to the most; a longer label is cut short)."""
LABEL_MARGIN = 8.0
"""Room left either side of a gradient label in the gap between two columns."""
LABEL_SPACING = 3.0
SCENE_MARGIN = 24.0
SMALLEST_FIT = 0.7
"""Fitting a large graph never shrinks it below this scale: scroll to see the rest."""
ZOOM_STEP = 1.2


def panel_fonts(font: QFont) -> GraphFonts:
    """The graph's fonts, from the widget's font."""
    bold = QFont(font)
    bold.setBold(True)
    small = QFont(font)
    small.setPointSizeF(font.pointSizeF() * 0.88)
    mono = monospace_font(font)
    mono.setPointSizeF(font.pointSizeF() * 0.92)
    return GraphFonts(bold, small, mono)


class GraphView(QGraphicsView):
    """The graph's boxes and edges, with the pass's state, gradients and ``.grad`` values.

    ``node_items`` and ``edge_labels`` are what is drawn, by node and edge id.
    """

    node_clicked = Signal(object)
    """A node's box was clicked: its id."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.graph: AutogradGraph | None = None
        self.page: Page | None = None
        self.graph_layout: GraphLayout | None = None
        self.node_items: dict[NodeId, NodeItem] = {}
        self.edge_items: dict[EdgeId, EdgeItem] = {}
        self.edge_labels: dict[EdgeId, GradientLabel] = {}
        self.fonts = panel_fonts(self.font())
        self.colors = GraphColors.of(self.palette())
        self._pass: PassView | None = None
        self._marked: frozenset = frozenset()
        self._selected: NodeId | None = None
        self._fitting = True  # until the user zooms: a resize fits the graph again
        self._gaps: dict[int, Gap] = {}
        self._focus: NodeId | None = None

    # -- drawing -------------------------------------------------------------------

    def set_graph(self, graph: AutogradGraph | None, page: Page | None) -> None:
        """Lay out and draw the nodes of ``page`` (None: nothing to draw)."""
        scene = self.scene()
        scene.clear()
        self.node_items, self.edge_items, self.edge_labels = {}, {}, {}
        self.graph, self.page, self.graph_layout, self._pass = graph, page, None, None
        if graph is None or page is None:
            scene.setSceneRect(QRectF())
            return
        shown = [node for node_id, node in graph.nodes.items() if node_id in page.nodes]
        edges = [
            e for e in graph.edges.values() if e.source in page.nodes and e.target in page.nodes
        ]
        boxes = [Box(node.id, *self._box_size(node, page)) for node in shown]
        layout = layered_layout(
            boxes,
            [(edge.source, edge.target) for edge in edges],
            layer_gap=MIN_LAYER_GAP,
            node_gap=NODE_GAP,
        )
        self.graph_layout = layout = widen_gaps(layout, self._gaps_for_labels(graph, edges, layout))
        self._gaps = column_gaps(layout)
        for node in shown:
            placed = layout.boxes[node.id]
            item = NodeItem(node, (placed.width, placed.height), self.fonts)
            item.colors = self.colors
            item.hidden_neighbours = page.hidden_neighbours.get(node.id, 0)
            item.setPos(placed.x, placed.y)
            item.setToolTip(item._tooltip())
            scene.addItem(item)
            self.node_items[node.id] = item
        for edge, routed in zip(edges, layout.edges, strict=True):
            item = EdgeItem(routed.points)
            item.restyle(self.colors)
            scene.addItem(item)
            self.edge_items[edge.id] = item
        scene.setSceneRect(
            QRectF(0, 0, layout.width, layout.height).adjusted(
                -SCENE_MARGIN, -SCENE_MARGIN, SCENE_MARGIN, SCENE_MARGIN
            )
        )
        self.fit()

    def show_pass(
        self,
        view: PassView | None,
        marked: frozenset = frozenset(),
        selected: NodeId | None = None,
    ) -> None:
        """Draw the pass at its shown step: node states, gradients on edges, ``.grad`` values.

        ``marked`` tensor nodes get a dashed outline (what a clicked node saved);
        ``selected`` is the node last clicked.
        """
        self._pass, self._marked, self._selected = view, marked, selected
        # A label whose gradient and colours are unchanged is kept: making one writes every
        # value for its tooltip, and a large page has hundreds of them at every step.
        previous, self.edge_labels = self.edge_labels, {}
        for node_id, item in self.node_items.items():
            item.state = self._state_of(node_id, view)
            item.step_number = None if view is None else view.step_numbers.get(node_id)
            item.marked = node_id in marked
            item.selected = node_id == selected
            if item.shows_grad:
                item.set_grad(None if view is None else view.grads.get(node_id))
            item.update()
        for edge_id, item in self.edge_items.items():
            carried = view is not None and edge_id in view.gradients
            fresh = carried and edge_id in view.fresh
            item.state = "fresh" if fresh else "carried" if carried else "idle"
            item.restyle(self.colors)
            if carried:
                gradient = view.gradients[edge_id]
                label = previous.pop(edge_id, None)
                if label is None or not label.shows(gradient, self.colors, self.fonts):
                    if label is not None:
                        self.scene().removeItem(label)
                    gap = self._gap_before(edge_id)
                    label = GradientLabel(
                        gradient, self.fonts, self.colors, gap.end - gap.start - 2 * LABEL_MARGIN
                    )
                    self.scene().addItem(label)
                label.fresh = fresh
                label.setPos(self._label_place(edge_id, item))
                label.update()
                self.edge_labels[edge_id] = label
        for label in previous.values():
            self.scene().removeItem(label)
        self._spread_labels()

    def fit(self, smallest: float = SMALLEST_FIT) -> None:
        """Show the whole graph, shrunk down to ``smallest`` at most; past that, scroll to the
        node in focus (see :meth:`follow_node`)."""
        self._fitting = True
        self.resetTransform()
        rect = self.sceneRect()
        if rect.isEmpty():
            return
        viewport = self.viewport().rect()
        scale = min(viewport.width() / rect.width(), viewport.height() / rect.height(), 1.0)
        scale = max(scale, smallest)
        self.scale(scale, scale)
        self.centerOn(rect.center())
        if self._focus is not None:
            self.follow_node(self._focus)

    def fit_all(self) -> None:
        """Shrink the graph until all of it is in view, however small."""
        self.fit(smallest=0.0)

    def follow_node(self, node_id: NodeId | None) -> None:
        """Keep ``node_id``'s box in view from now on (None: no node in particular)."""
        self._focus = node_id
        item = self.node_items.get(node_id)
        if item is None:
            return
        shown = self.mapToScene(self.viewport().rect()).boundingRect()
        if not shown.contains(item.sceneBoundingRect()):
            self.centerOn(item)

    # -- sizes ---------------------------------------------------------------------

    def _box_size(self, node, page: Page) -> tuple[float, float]:
        fonts = self.fonts
        widths, height = [], 0.0
        for kind, text in box_lines(node, page.hidden_neighbours.get(node.id, 0)):
            font = fonts.of(kind)
            if kind == "grad":
                text = "grad " + self._widest_values(node.shape)
            widths.append(QFontMetricsF(font).horizontalAdvance(text))
            height += fonts.line_height(font)
        return math.ceil(max(widths) + 2 * PADDING), math.ceil(height + 2 * PADDING)

    def _widest_values(self, shape: tuple[int, ...]) -> str:
        if is_small_shape(shape):
            # Monospace: the longer text is the wider. An empty tensor's "[]" is shorter
            # than the "None" its box shows before the pass.
            return max(typical_text(shape), "None", key=len)
        return "█" * 4  # a heat map four lines wide

    def _gaps_for_labels(self, graph: AutogradGraph, edges, layout) -> dict[int, float]:
        """For each column, how wide the gap before it must be for the gradient labels of the
        edges that end there (each label sits in the gap just left of its edge's target)."""
        mono = QFontMetricsF(self.fonts.mono)
        wanted: dict[int, float] = {}
        for edge in edges:
            tensor = graph.nodes[edge.source if edge.id[0] == "used" else edge.target]
            if is_small_shape(tensor.shape):
                width = mono.horizontalAdvance(typical_text(tensor.shape)) + 8
            else:
                columns = tensor.shape[-1] if tensor.shape else 1
                width = min(columns, HEAT_MAP_CELLS) * HEAT_CELL + 4
            layer = layout.boxes[edge.target].layer
            gap = min(width + 2 * LABEL_MARGIN, MAX_LAYER_GAP)
            wanted[layer] = max(wanted.get(layer, MIN_LAYER_GAP), gap)
        return wanted

    def _gap_before(self, edge_id: EdgeId) -> Gap:
        """The gap just left of the edge's target, where its label goes."""
        target = self.graph.edges[edge_id].target
        return self._gaps[self.graph_layout.boxes[target].layer]

    # -- placing labels ------------------------------------------------------------------

    def _label_place(self, edge_id: EdgeId, edge: EdgeItem) -> QPointF:
        """On the edge, in the middle of the gap just left of its target."""
        x = self._gap_before(edge_id).middle
        for before, after in zip(edge.points, edge.points[1:], strict=False):
            if before.x() <= x <= after.x() and after.x() > before.x():
                t = (x - before.x()) / (after.x() - before.x())
                return QPointF(x, before.y() + t * (after.y() - before.y()))
        return (edge.points[-2] + edge.points[-1]) / 2

    def _spread_labels(self) -> None:
        """Move labels in the same gap apart vertically so that none covers another."""
        columns: dict[int, list[GradientLabel]] = {}
        for label in self.edge_labels.values():
            columns.setdefault(round(label.pos().x() / 8), []).append(label)
        for labels in columns.values():
            labels.sort(key=lambda item: item.pos().y())
            bottom = -math.inf
            for label in labels:
                top = label.pos().y() + label.rect.top()
                if top < bottom + LABEL_SPACING:
                    label.setY(label.pos().y() + bottom + LABEL_SPACING - top)
                bottom = label.pos().y() + label.rect.bottom()

    def _state_of(self, node_id: NodeId, view: PassView | None) -> str:
        if view is None:
            return "pending"
        if view.error is not None and node_id == view.error.node:
            return "failed"
        if node_id == view.current:
            return "current"
        if node_id in view.done:
            return "done"
        if node_id[0] == "tensor":
            producer = ("grad_fn", node_id[1])
            if producer in view.done or producer == view.current:
                return "done"
        return "pending"

    # -- events --------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        item = self.itemAt(event.position().toPoint())
        while item is not None and not isinstance(item, NodeItem):
            item = item.parentItem()
        if isinstance(item, NodeItem) and event.button() == Qt.MouseButton.LeftButton:
            self.node_clicked.emit(item.node.id)
            event.accept()
            return
        super().mousePressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            if event.angleDelta().y() > 0:
                self.zoom_in()
            else:
                self.zoom_out()
            event.accept()
            return
        super().wheelEvent(event)

    def zoom_in(self) -> None:
        """Draw the graph larger by one step."""
        self._fitting = False
        self.scale(ZOOM_STEP, ZOOM_STEP)

    def zoom_out(self) -> None:
        """Draw the graph smaller by one step."""
        self._fitting = False
        self.scale(1 / ZOOM_STEP, 1 / ZOOM_STEP)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._fitting:
            self.fit()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.colors = GraphColors.of(self.palette())
            for item in self.node_items.values():
                item.colors = self.colors
            # The labels and pens in the new colours.
            self.show_pass(self._pass, self._marked, self._selected)
        elif event.type() == QEvent.Type.FontChange:
            self.fonts = panel_fonts(self.font())
            self._lay_out_again()

    def _lay_out_again(self) -> None:
        """Draw the graph again in the present fonts (its boxes are sized to their text when
        laid out), at the same step, and at the user's zoom if they zoomed."""
        if self.graph is None:
            return
        fitting, zoom = self._fitting, QTransform(self.transform())
        center = self.mapToScene(self.viewport().rect().center())
        shown = (self._pass, self._marked, self._selected)
        self.set_graph(self.graph, self.page)
        self.show_pass(*shown)
        if not fitting:
            self._fitting = False
            self.setTransform(zoom)
            self.centerOn(center)
