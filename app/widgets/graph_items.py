"""What the graph view draws: a box per node, a line per edge, a label per gradient on an edge.

Each item paints itself from a few fields the view sets (its state in the pass, the
gradient it shows), in the colours of :class:`GraphColors`, so a theme switch is a repaint.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QStyleOptionGraphicsItem

import core
from app.autograd_graph import GradFnNode, TensorNode
from app.gradient_values import full_text, heat_map, is_small, values_text
from app.i18n import translate
from app.theme import ACCENT_COLORS, current_theme, error_color, mix, muted_color

PADDING = 7.0
"""Space between a box's edge and its text."""
HEAT_CELL = 5.0
"""Pixels a side of one heat-map cell on an edge label."""
HEAT_LABEL_HEIGHT = 12.0
"""A heat map on an edge is at least this tall (a vector is one row of cells)."""
LEAF_TINT, ROOT_TINT = "#4e79a7", "#59a14f"


@dataclass(frozen=True)
class GraphColors:
    """The graph's colours in one theme."""

    background: QColor
    text: QColor
    muted: QColor
    line: QColor
    accent: QColor
    error: QColor
    function_fill: QColor
    tensor_fill: QColor
    leaf_fill: QColor
    root_fill: QColor

    @classmethod
    def of(cls, palette: QPalette) -> GraphColors:
        """The colours of the theme ``palette`` belongs to."""
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        muted = muted_color(palette)
        return cls(
            background=base,
            text=text,
            muted=muted,
            line=mix(muted, base, 0.25),
            accent=QColor(ACCENT_COLORS[current_theme(palette)]),
            error=error_color(palette),
            function_fill=palette.color(QPalette.ColorRole.Button),
            tensor_fill=palette.color(QPalette.ColorRole.AlternateBase),
            leaf_fill=mix(base, QColor(LEAF_TINT), 0.22),
            root_fill=mix(base, QColor(ROOT_TINT), 0.22),
        )


def heat_image(tensor: core.Tensor) -> QImage:
    """The tensor's heat map as an image, one pixel per cell (scaled up when drawn)."""
    rgba = np.ascontiguousarray(heat_map(tensor))
    rows, cols = rgba.shape[:2]
    return QImage(rgba.data, cols, rows, cols * 4, QImage.Format.Format_RGBA8888).copy()


def draw_heat_map(painter: QPainter, rect: QRectF, image: QImage, frame: QColor) -> None:
    """``image`` stretched over ``rect`` with sharp cells, in a thin frame."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
    painter.drawImage(rect, image)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(frame, 1.0))
    painter.drawRect(rect)
    painter.restore()


class NodeItem(QGraphicsItem):
    """A box: a grad_fn node (PyTorch's name, its step) or a tensor (name, shape, ``.grad``).

    ``state`` is "pending", "done", "current" or "failed"; ``grad`` the ``.grad`` shown
    (tensor nodes that hold one); ``marked`` outlines a tensor a clicked node saved.
    """

    def __init__(
        self, node: GradFnNode | TensorNode, size: tuple[float, float], fonts: GraphFonts
    ) -> None:
        super().__init__()
        self.node = node
        self.rect = QRectF(0, 0, *size)
        self.fonts = fonts
        self.colors: GraphColors | None = None
        self.state = "pending"
        self.step_number: int | None = None
        self.grad: core.Tensor | None = None
        self.marked = False
        self.selected = False
        self.hidden_neighbours = 0
        self._grad_image: QImage | None = None
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    @property
    def shows_grad(self) -> bool:
        """True for a tensor box with a ``.grad`` line (a leaf, or one that retains grad)."""
        return isinstance(self.node, TensorNode) and (self.node.is_leaf or self.node.retains_grad)

    def grad_text(self) -> str:
        """The ``.grad`` line as written: ``grad 6.``, ``grad None``; "grad" before a heat map."""
        if self.grad is None:
            return "grad None"
        return f"grad {values_text(self.grad)}" if is_small(self.grad) else "grad"

    def set_grad(self, grad: core.Tensor | None) -> None:
        """Show ``grad`` (None: no ``.grad`` yet)."""
        self.grad = grad
        self._grad_image = None if grad is None or is_small(grad) else heat_image(grad)
        self.setToolTip(self._tooltip())
        self.update()

    def boundingRect(self) -> QRectF:
        return self.rect.adjusted(-4, -4, 4, 4)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        colors = self.colors
        is_tensor = isinstance(self.node, TensorNode)
        fill = colors.function_fill
        if is_tensor:
            fill = colors.tensor_fill
            if self.node.is_leaf:
                fill = colors.leaf_fill
            elif self.node.is_root:
                fill = colors.root_fill
        border, width = colors.muted, 1.0
        if self.state == "current":
            fill, border, width = mix(fill, colors.accent, 0.25), colors.accent, 3.0
        elif self.state == "failed":
            fill, border, width = mix(fill, colors.error, 0.25), colors.error, 3.0
        elif self.state == "done":
            border, width = colors.text, 1.4
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(QBrush(fill))
        painter.setPen(QPen(border, width))
        radius = 9.0 if is_tensor else 2.0
        painter.drawRoundedRect(self.rect, radius, radius)
        if self.marked or self.selected:
            pen = QPen(colors.accent if self.marked else colors.text, 1.6)
            pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(self.rect.adjusted(-3.5, -3.5, 3.5, 3.5), radius, radius)
        if is_tensor:
            self._paint_tensor(painter, colors)
        else:
            self._paint_function(painter, colors)

    def _paint_function(self, painter: QPainter, colors: GraphColors) -> None:
        step = ""
        if self.step_number is not None:
            step = translate("NodeItem", "step {number}").format(number=self.step_number + 1)
        lines = box_lines(self.node, self.hidden_neighbours, step)
        y = PADDING
        for kind, text in lines:
            font = self.fonts.of(kind)
            painter.setFont(font)
            if kind == "bold":
                painter.setPen(colors.text if self.state != "pending" else colors.muted)
            else:
                painter.setPen(colors.muted)
            painter.drawText(self._line(y, font), Qt.AlignmentFlag.AlignCenter, text)
            y += self.fonts.line_height(font)

    def _paint_tensor(self, painter: QPainter, colors: GraphColors) -> None:
        y = PADDING
        for kind, text in box_lines(self.node, self.hidden_neighbours):
            font = self.fonts.of(kind)
            painter.setFont(font)
            line = self._line(y, font)
            y += self.fonts.line_height(font)
            if kind != "grad":
                painter.setPen(colors.text if kind == "bold" else colors.muted)
                painter.drawText(line, Qt.AlignmentFlag.AlignLeft, text)
                continue
            painter.setPen(colors.text if self.grad is not None else colors.muted)
            metrics = QFontMetricsF(font)
            grad = metrics.elidedText(self.grad_text(), Qt.TextElideMode.ElideRight, line.width())
            painter.drawText(line, Qt.AlignmentFlag.AlignLeft, grad)
            if self._grad_image is not None:
                left = line.left() + metrics.horizontalAdvance("grad ")
                height = line.height() - 2
                width = min(line.right() - left, height * 4)
                rect = QRectF(left, line.top() + 1, width, height)
                draw_heat_map(painter, rect, self._grad_image, colors.muted)

    def _line(self, y: float, font: QFont) -> QRectF:
        return QRectF(PADDING, y, self.rect.width() - 2 * PADDING, self.fonts.line_height(font))

    def _tooltip(self) -> str:
        node = self.node
        if isinstance(node, GradFnNode):
            return node.formula
        if node.is_leaf:
            text = translate("NodeItem", "{name}: leaf, shape {shape}, {dtype}")
        else:
            text = translate("NodeItem", "{name}: non-leaf, shape {shape}, {dtype}")
        name = node.name or translate("NodeItem", "no name")
        text = text.format(name=name, shape=node.shape_text, dtype=node.dtype)
        if self.shows_grad:
            text += "\n.grad = " + ("None" if self.grad is None else full_text(self.grad))
        return text


def box_lines(
    node: GradFnNode | TensorNode, hidden_neighbours: int = 0, step: str | None = None
) -> list[tuple[str, str]]:
    """The lines of a node's box as ``(font, text)``, font "bold", "small" or "grad".

    A grad_fn box: PyTorch's name, then its ``step``. A tensor box: its name, then shape
    and kind, then (a leaf, or one that retains grad) its ``.grad``, written when drawn; an
    unnamed non-leaf is just its shape, so that the many in a larger graph stay small.
    ``step`` None is a stand-in as wide as a step usually is, for sizing the box.
    """
    hidden = ""
    if hidden_neighbours:
        hidden = "  " + translate("NodeItem", "+{count} hidden").format(count=hidden_neighbours)
    if isinstance(node, GradFnNode):
        if step is None:
            step = translate("NodeItem", "step {number}").format(number=999)
        return [("bold", node.name), ("small", (step + hidden).strip())]
    dtype = "" if node.dtype == "float32" else node.dtype
    if not (node.name or node.is_leaf or node.is_root or node.retains_grad):
        return [("small", "  ".join(p for p in (node.shape_text, dtype) if p) + hidden)]
    kinds = []
    if node.is_leaf:
        kinds.append(translate("NodeItem", "leaf"))
    elif node.is_root:
        kinds.append(translate("NodeItem", "root"))
    if node.retains_grad:
        kinds.append(translate("NodeItem", "retains grad"))
    kind = " · ".join(kinds)
    details = "  ".join(part for part in (node.shape_text, dtype, kind) if part)
    lines = [("bold", node.name or translate("NodeItem", "leaf")), ("small", details + hidden)]
    if node.is_leaf or node.retains_grad:
        lines.append(("grad", "grad"))
    return lines


@dataclass(frozen=True)
class GraphFonts:
    """The fonts of the graph: names bold, details small, values monospace."""

    bold: QFont
    small: QFont
    mono: QFont

    def of(self, kind: str) -> QFont:
        """The font of a line of ``kind``: "bold", "small", or "grad" (monospace)."""
        return {"bold": self.bold, "small": self.small, "grad": self.mono}[kind]

    def line_height(self, font: QFont) -> float:
        """The height of one line of ``font``, with a little leading."""
        return QFontMetricsF(font).height() + 2.0


class EdgeItem(QGraphicsPathItem):
    """An edge along its routed polyline; thicker once a gradient has travelled it."""

    def __init__(self, points: tuple[tuple[float, float], ...]) -> None:
        super().__init__()
        self.points = [QPointF(x, y) for x, y in points]
        path = QPainterPath(self.points[0])
        for point in self.points[1:]:
            path.lineTo(point)
        self.setPath(path)
        self.setZValue(-1)
        self.state = "idle"
        """"idle", "carried" (a gradient went along it) or "fresh" (in the current step)."""

    def restyle(self, colors: GraphColors) -> None:
        """Set the pen for ``state`` in ``colors``."""
        color, width = colors.line, 1.2
        if self.state == "carried":
            color, width = colors.text, 1.4
        elif self.state == "fresh":
            color, width = colors.accent, 2.6
        self.setPen(QPen(color, width))

    def arrow_head(self) -> QPolygonF:
        """A small triangle at the target end, pointing the way data flows."""
        tip, before = self.points[-1], self.points[-2]
        direction = tip - before
        length = max((direction.x() ** 2 + direction.y() ** 2) ** 0.5, 1e-9)
        unit = direction / length
        normal = QPointF(-unit.y(), unit.x())
        back = tip - unit * 7
        return QPolygonF([tip, back + normal * 3.5, back - normal * 3.5])

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        super().paint(painter, option, widget)
        painter.setBrush(self.pen().color())
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawPolygon(self.arrow_head())

    def boundingRect(self) -> QRectF:
        return super().boundingRect().adjusted(-8, -8, 8, 8)


class GradientLabel(QGraphicsItem):
    """The gradient on an edge: its values when small, a heat map when not; all on hover.

    ``tensor`` is the gradient shown; ``fresh`` marks one sent in the current step.
    """

    def __init__(
        self, tensor: core.Tensor, fonts: GraphFonts, colors: GraphColors, max_width: float
    ) -> None:
        super().__init__()
        self.tensor = tensor
        self.fonts = fonts
        self.colors = colors
        self.fresh = False
        metrics = QFontMetricsF(fonts.mono)
        self.text = ""
        """The values as written (cut short with … when wider than ``max_width``)."""
        if is_small(tensor):
            self.text = metrics.elidedText(
                values_text(tensor), Qt.TextElideMode.ElideRight, max(max_width - 8, 24)
            )
        self._image = None if is_small(tensor) else heat_image(tensor)
        if self._image is None:
            width, height = metrics.horizontalAdvance(self.text) + 8, metrics.height() + 2
        else:
            width = self._image.width() * HEAT_CELL + 4
            height = max(self._image.height() * HEAT_CELL, HEAT_LABEL_HEIGHT) + 4
        self.rect = QRectF(-width / 2, -height / 2, width, height)
        heading = translate("GradientLabel", "gradient {shape}").format(shape=tuple(tensor.shape))
        self.setToolTip(f"{heading}\n{full_text(tensor)}")
        self.setZValue(2)
        self.setAcceptHoverEvents(True)

    def shows(self, tensor: core.Tensor, colors: GraphColors, fonts: GraphFonts) -> bool:
        """True when this label is ``tensor``'s in ``colors`` and ``fonts`` (the same objects)."""
        return self.tensor is tensor and self.colors is colors and self.fonts is fonts

    def boundingRect(self) -> QRectF:
        return self.rect.adjusted(-1, -1, 1, 1)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        colors = self.colors
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        border = colors.accent if self.fresh else colors.line
        painter.setPen(QPen(border, 1.6 if self.fresh else 1.0))
        painter.setBrush(colors.background)
        painter.drawRoundedRect(self.rect, 4, 4)
        if self._image is not None:
            inner = self.rect.adjusted(2, 2, -2, -2)
            draw_heat_map(painter, inner, self._image, colors.line)
            return
        painter.setFont(self.fonts.mono)
        painter.setPen(colors.text)
        painter.drawText(self.rect, Qt.AlignmentFlag.AlignCenter, self.text)
