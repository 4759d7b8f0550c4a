"""The timing plot: one experiment's curves on log-log axes, with hover readouts and the
size where a GPU curve overtakes the CPU's marked.

Colour says where a curve was measured (this CPU, this GPU, a recorded GPU), line style
and symbol say which layout, so contiguous against strided reads at a glance.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPalette, QPen
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

import core.timing
from app.bench_command import format_seconds
from app.i18n import QT_TRANSLATE_NOOP, translate
from app.render import render_widget, save_svg
from app.theme import ACCENT_COLORS, current_theme, muted_color, set_text_color
from app.timing_results import (
    THROUGHPUT,
    TIME,
    Comparison,
    Curve,
    CurveKey,
    experiment_description,
    layout_order,
    point_description,
    size_text,
)
from app.widgets.palette import FAMILY_COLORS

LOG10_2 = math.log10(2)
# Where a curve was measured, by (device type, recorded): blue, green, orange, grey.
SOURCE_COLORS = {
    ("cpu", False): FAMILY_COLORS[0],
    ("cuda", False): FAMILY_COLORS[2],
    ("cuda", True): FAMILY_COLORS[1],
    ("cpu", True): "#8c8c8c",
}
LAYOUT_STYLES = (
    (Qt.PenStyle.SolidLine, "o"),
    (Qt.PenStyle.DashLine, "t"),
    (Qt.PenStyle.DotLine, "s"),
)
HOVER_RADIUS_PX = 12
TITLE_SCALE = 11 / 9
"""The title's size against the other texts': pyqtgraph's 11 pt title over 9 pt labels."""
TITLE_ROW_PX = 30
"""The least height of the title's row (pyqtgraph's own)."""
HOVER_HINT = QT_TRANSLATE_NOOP("TimingPlot", "Hover a point for its exact values.")
EMPTY_TEXT = QT_TRANSLATE_NOOP(
    "TimingPlot", "Press Run to time the experiments, or open a saved CSV"
)


class PowerOfTwoAxis(pg.AxisItem):
    """A log axis of sizes with ticks at powers of two, labelled ``2¹⁸`` (or ``256`` when
    ``plain``: a matrix side reads better as a number)."""

    plain = False

    def logTickValues(self, minVal, maxVal, size, stdTicks):  # noqa: N802, N803 (pyqtgraph's)
        first = math.ceil(min(minVal, maxVal) / LOG10_2)
        last = math.floor(max(minVal, maxVal) / LOG10_2)
        room = max(int(size // 48), 1)  # a label needs about 48 px
        step = 1
        while (last - first) // step + 1 > room:
            step *= 2
        start = math.ceil(first / step) * step
        powers = [power * LOG10_2 for power in range(start, last + 1, step)]
        if len(powers) < 2:  # zoomed in between two powers of two: pyqtgraph's own ticks
            return super().logTickValues(minVal, maxVal, size, stdTicks)
        return [(step * LOG10_2, powers)]

    def logTickStrings(self, values, scale, spacing):  # noqa: N802 (pyqtgraph's)
        sizes = [exact_power_of_two(value) for value in values]
        return [f"{round(size):,}" if self.plain else size_text(size) for size in sizes]


def exact_power_of_two(log10_size: float) -> float:
    """The size at ``log10_size`` on a log axis, exactly 2**k where it is that up to rounding."""
    power = log10_size / LOG10_2
    return 2 ** round(power) if abs(power - round(power)) < 1e-9 else 10**log10_size


class LogValueAxis(pg.AxisItem):
    """A log axis labelled with ``format_value`` at each decade (and 2 and 5 times it when
    the range spans fewer than three decades)."""

    def __init__(self, orientation: str, format_value: Callable[[float], str]) -> None:
        super().__init__(orientation)
        self.format_value = format_value

    def set_format(self, format_value: Callable[[float], str]) -> None:
        """Label the ticks with ``format_value`` from the next paint on."""
        if format_value is not self.format_value:
            self.format_value = format_value
            self.picture = None  # pyqtgraph's cached drawing of the ticks
            self.update()

    def logTickValues(self, minVal, maxVal, size, stdTicks):  # noqa: N802, N803 (pyqtgraph's)
        low, high = sorted((minVal, maxVal))
        decades = [float(power) for power in range(math.ceil(low), math.floor(high) + 1)]
        if len(decades) >= 3:
            return [(1.0, decades)]
        between = [
            power + math.log10(factor)
            for power in range(math.floor(low), math.ceil(high) + 1)
            for factor in (2, 5)
            if low <= power + math.log10(factor) <= high
        ]
        if len(decades) + len(between) < 2:  # a narrow range: round values across it
            return [(None, [math.log10(value) for value in round_values(10**low, 10**high)])]
        return [(1.0, decades), (None, between)]

    def logTickStrings(self, values, scale, spacing):  # noqa: N802 (pyqtgraph's)
        return [self.format_value(10**value) for value in values]


def round_values(low: float, high: float) -> list[float]:
    """Two to about six round numbers (1, 2 or 5 times a power of ten apart) in [low, high]."""
    step = 10 ** math.floor(math.log10(high - low))
    for factor in (1, 0.5, 0.2, 0.1):
        values = [
            index * step * factor
            for index in range(
                math.ceil(low / (step * factor)), math.floor(high / (step * factor)) + 1
            )
        ]
        if len(values) >= 2:
            return values
    return [low, high]


def css_size(font: QFont, factor: float = 1.0) -> str:
    """``font``'s size times ``factor`` for pyqtgraph's styled texts: in points, or in pixels
    where the font is set in pixels."""
    if font.pointSizeF() > 0:
        return f"{font.pointSizeF() * factor:.4g}pt"
    return f"{max(round(font.pixelSize() * factor), 1)}px"


def format_rate(value: float) -> str:
    """A throughput tick: ``0.05``, ``20``, ``10,000``."""
    return f"{value:,.0f}" if value >= 1 else f"{value:.2g}"


class TimingPlot(QWidget):
    """One experiment's curves, a readout of the point under the mouse, and the crossovers.

    Signals
    -------
    hovered(object)
        The TimingRow under the mouse, or None when it leaves the points.
    """

    hovered = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.size_axis = PowerOfTwoAxis("bottom")
        self.value_axis = LogValueAxis("left", format_seconds)
        self.plot_widget = pg.PlotWidget(
            axisItems={"bottom": self.size_axis, "left": self.value_axis}
        )
        self.plot_widget.setMinimumSize(360, 260)
        self.plot_item = plot = self.plot_widget.getPlotItem()
        plot.setLogMode(True, True)
        plot.showGrid(x=True, y=True, alpha=0.2)
        plot.setMenuEnabled(False)
        plot.hideButtons()
        self.legend = plot.addLegend(offset=(8, 8), labelTextSize=css_size(self.font()))
        self.readout = QLabel(translate("TimingPlot", HOVER_HINT))
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.readout.setWordWrap(True)
        self.comparison_label = QLabel()
        self.comparison_label.setWordWrap(True)
        self.comparison_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot_widget, stretch=1)
        layout.addWidget(self.comparison_label)
        layout.addWidget(self.readout)

        self.curve_items: dict[CurveKey, pg.PlotDataItem] = {}
        self.crossover_lines: list[pg.InfiniteLine] = []
        self._points: list[tuple[float, float, core.timing.TimingRow]] = []
        self.hovered_row: core.timing.TimingRow | None = None
        self._hover_marker = pg.ScatterPlotItem(size=14, pen=pg.mkPen(width=2), brush=None)
        self._hover_marker.setZValue(20)
        self._hover_text = pg.TextItem(anchor=(0, 1), border=pg.mkPen(width=1))
        self._hover_text.setZValue(30)
        self._empty_text = pg.TextItem(translate("TimingPlot", EMPTY_TEXT), anchor=(0.5, 0.5))
        self._shown: tuple = ("", [], [], TIME)
        # Every move, not pyqtgraph's sigMouseMoved: that one drops a move within 10 ms of
        # the last, so a pointer that stops quickly would keep a stale readout.
        self.plot_widget.viewport().installEventFilter(self)
        self._apply_palette()
        self._apply_font()
        self.show_curves(*self._shown)

    # -- drawing -------------------------------------------------------------------

    def show_curves(
        self,
        experiment: str,
        curves: Sequence[Curve],
        comparisons: Sequence[Comparison],
        quantity: str,
    ) -> None:
        """Draw ``curves`` of ``experiment`` as ``quantity`` (time or throughput), with a line
        saying how each GPU curve compares with the CPU's and the crossovers marked."""
        self._shown = (experiment, curves, comparisons, quantity)
        plot = self.plot_item
        plot.clear()  # curves, crossover lines, hover items and the legend's entries
        self.legend.clear()
        self.curve_items, self.crossover_lines, self._points = {}, [], []
        self._set_hovered(None)
        self._label_axes(experiment, curves, quantity)
        layouts = layout_order(experiment)
        for curve in curves:
            sizes, values = curve.points(quantity)
            if not sizes:
                continue  # a call that does no work has no throughput
            # By the experiment's order of layouts: a layout keeps its style on every plot.
            position = layouts.setdefault(curve.key.layout, len(layouts))
            item = self._curve_item(curve.key, position)
            item.setData(sizes, values)
            plot.addItem(item)
            self.curve_items[curve.key] = item
            rows = [row for row in curve.rows if row.size in set(sizes)]
            self._points += [
                (math.log10(row.size), math.log10(value), row)
                for row, value in zip(rows, values, strict=True)
            ]
        for comparison in comparisons:
            drawn = comparison.gpu in self.curve_items and comparison.cpu in self.curve_items
            if comparison.crossover is not None and drawn:
                self._mark_crossover(comparison)
        self.comparison_label.setText("\n".join(line.describe() for line in comparisons))
        self.comparison_label.setVisible(bool(comparisons))
        self.legend.setVisible(bool(self.curve_items))
        for side in ("left", "bottom"):
            plot.showAxis(side, bool(self.curve_items))  # no scale without data
        if not self.curve_items:
            plot.addItem(self._empty_text, ignoreBounds=True)
            self._empty_text.setText(
                translate("TimingPlot", EMPTY_TEXT)
                if not curves
                else translate("TimingPlot", "No throughput: this call moves no data")
            )
            self._empty_text.setPos(0.5, 0.5)
            plot.setRange(xRange=(0, 1), yRange=(0, 1), padding=0)
        else:
            plot.enableAutoRange()
        plot.addItem(self._hover_marker, ignoreBounds=True)
        plot.addItem(self._hover_text, ignoreBounds=True)
        self._hover_text.hide()

    def _label_axes(self, experiment: str, curves: Sequence[Curve], quantity: str) -> None:
        plot = self.plot_item
        for axis in (self.size_axis, self.value_axis):
            axis.enableAutoSIPrefix(False)  # the tick labels carry their own units
        known = core.timing.EXPERIMENTS.get(experiment)
        title = f"{experiment}: {experiment_description(experiment)}" if known else experiment
        plot.setTitle(title if experiment else "")
        self._fit_title_row()  # setTitle gives the row pyqtgraph's height again
        square = known is not None and known.square
        self.size_axis.plain = square
        self.size_axis.picture = None  # pyqtgraph's cached drawing of the ticks
        plot.setLabel(
            "bottom",
            translate("TimingPlot", "n (n×n matrices)")
            if square
            else translate("TimingPlot", "elements per input"),
        )
        if quantity == THROUGHPUT:
            units = sorted({row.unit for curve in curves for row in curve.rows})
            self.value_axis.set_format(format_rate)
            plot.setLabel(
                "left",
                translate("TimingPlot", "throughput ({units}), higher is faster").format(
                    units=", ".join(units) or "GB/s"
                ),
            )
        else:
            self.value_axis.set_format(format_seconds)
            plot.setLabel(
                "left", translate("TimingPlot", "time per call (median), lower is faster")
            )

    def _curve_item(self, key: CurveKey, layout_position: int) -> pg.PlotDataItem:
        color = QColor(SOURCE_COLORS[key.device_type, key.recorded])
        style, symbol = LAYOUT_STYLES[layout_position % len(LAYOUT_STYLES)]
        pen = pg.mkPen(color, width=2.5, style=style)
        return pg.PlotDataItem(
            name=key.label,
            pen=pen,
            symbol=symbol,
            symbolSize=8,
            symbolPen=pg.mkPen(color),
            symbolBrush=color if not key.recorded else None,
        )

    def _mark_crossover(self, comparison: Comparison) -> None:
        accent = QColor(ACCENT_COLORS[current_theme(self.palette())])
        line = pg.InfiniteLine(
            pos=math.log10(comparison.crossover),
            angle=90,
            pen=pg.mkPen(accent, width=1.5, style=Qt.PenStyle.DashDotLine),
            label=translate("TimingPlot", "{curve} faster →").format(curve=comparison.gpu.label),
            # Low on the line: the legend sits top left, and below the curves is empty
            # to the right of a crossover (times and rates both grow with size).
            labelOpts={
                "position": 0.06 + 0.07 * len(self.crossover_lines),  # one above the other
                "color": accent,
                "anchors": [(0, 0.5), (0, 0.5)],
            },
        )
        line.label.setFont(self.font())
        self.plot_item.addItem(line, ignoreBounds=True)
        self.crossover_lines.append(line)

    # -- hover ---------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseMove:
            position = self.plot_widget.mapToScene(event.position().toPoint())
            self._set_hovered(self.row_near(position))
        elif event.type() == QEvent.Type.Leave:
            self._set_hovered(None)
        return False  # pyqtgraph still gets the event

    def row_near(self, scene_position: QPointF) -> core.timing.TimingRow | None:
        """The measured point drawn within a few pixels of ``scene_position``, if any."""
        view_box = self.plot_item.getViewBox()
        best, best_distance = None, HOVER_RADIUS_PX
        for x, y, row in self._points:
            drawn = view_box.mapViewToScene(QPointF(x, y))
            distance = math.hypot(drawn.x() - scene_position.x(), drawn.y() - scene_position.y())
            if distance <= best_distance:
                best, best_distance = row, distance
        return best

    def scene_position_of(self, row: core.timing.TimingRow) -> QPointF:
        """Where ``row``'s point is drawn, in scene coordinates (for tests and tooltips)."""
        for x, y, drawn in self._points:
            if drawn == row:
                return self.plot_item.getViewBox().mapViewToScene(QPointF(x, y))
        raise ValueError(f"{row} is not drawn")

    def _set_hovered(self, row: core.timing.TimingRow | None) -> None:
        if row == self.hovered_row:
            return
        self.hovered_row = row
        if row is None:
            self._hover_marker.setData([])
            self._hover_text.setText("")
            self._hover_text.hide()
            self.readout.setText(translate("TimingPlot", HOVER_HINT))
        else:
            x, y = next((x, y) for x, y, drawn in self._points if drawn == row)
            self._hover_marker.setData([x], [y])
            text = point_description(row)
            self._hover_text.setText(text)
            self._hover_text.setAnchor(self._readout_anchor(x, y))
            self._hover_text.setPos(x, y)
            self._hover_text.show()
            self.readout.setText(text.replace("\n", "  ·  "))
        self.hovered.emit(row)

    def _readout_anchor(self, x: float, y: float) -> tuple[float, float]:
        """Put the readout on the side of the point with more room, so it stays in view."""
        (left, right), (bottom, top) = self.plot_item.getViewBox().viewRange()
        return (1.0 if x > (left + right) / 2 else 0.0, 0.0 if y > (bottom + top) / 2 else 1.0)

    # -- export and theme ----------------------------------------------------------

    def save_png(self, path: str | Path) -> Path:
        """Save the plot (title, axes, legend, curves) as a PNG; returns the absolute path.

        Raises
        ------
        OSError
            When the file cannot be written.
        """
        return render_widget(self.plot_widget, path)

    def save_svg(self, path: str | Path) -> Path:
        """Save the plot as an SVG, drawn by Qt's own SVG generator; returns the path."""
        return save_svg(self.plot_widget, path, title=self.plot_item.titleLabel.text)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_palette()
        elif event.type() == QEvent.Type.FontChange:
            self._apply_font()

    def _apply_font(self) -> None:
        """The plot's texts in the widget's font size (presenter mode makes it larger):
        pyqtgraph's texts keep the size they were made with, unlike its tick labels."""
        font = self.font()
        self.legend.setLabelTextSize(css_size(font))
        for _sample, label in self.legend.items:  # the size reaches a label with its text
            label.setText(label.text)
        self.legend.updateSize()
        for name in ("bottom", "left"):
            axis = self.plot_item.getAxis(name)
            axis.setLabel(axis.labelText, **{**axis.labelStyle, "font-size": css_size(font)})
        title = self.plot_item.titleLabel
        title.setAttr("size", css_size(font, TITLE_SCALE))
        title.setText(title.text)
        self._fit_title_row()
        labels = [line.label for line in self.crossover_lines]
        for item in (self._hover_text, self._empty_text, *labels):
            item.setFont(font)

    def _fit_title_row(self) -> None:
        """Give the title's row the height of its text (pyqtgraph fixes it for 11 pt)."""
        title = self.plot_item.titleLabel
        height = max(TITLE_ROW_PX, math.ceil(title.item.boundingRect().height()))
        title.setMaximumHeight(height)
        self.plot_item.layout.setRowFixedHeight(0, height)

    def _apply_palette(self) -> None:
        palette = self.palette()
        background = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        self.plot_widget.setBackground(background)
        for name in ("bottom", "left"):
            axis = self.plot_item.getAxis(name)
            axis.setPen(pg.mkPen(muted_color(palette)))
            axis.setTextPen(pg.mkPen(text))
        self.legend.setLabelTextColor(text)
        self.legend.setBrush(
            pg.mkBrush(background.red(), background.green(), background.blue(), 220)
        )
        self.legend.setPen(pg.mkPen(muted_color(palette)))
        self.plot_item.titleLabel.setText(self.plot_item.titleLabel.text, color=text.name())
        self._hover_text.fill = pg.mkBrush(palette.color(QPalette.ColorRole.ToolTipBase))
        self._hover_text.setColor(palette.color(QPalette.ColorRole.ToolTipText))
        self._hover_text.border = QPen(muted_color(palette))
        self._hover_marker.setPen(pg.mkPen(text, width=2))
        self._empty_text.setColor(muted_color(palette))
        set_text_color(self.readout, muted_color(palette))
        accent = QColor(ACCENT_COLORS[current_theme(palette)])
        set_text_color(self.comparison_label, accent)
        if self.crossover_lines:
            self.show_curves(*self._shown)  # the crossover lines in the new accent
