"""The tensor list: every named tensor, grouped under the storage it reads."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem, QWidget

import core
from app.i18n import QT_TRANSLATE_NOOP, translate
from app.session import Session
from app.tensor_facts import first_owner, storage_summary
from app.theme import monospace_font, muted_color
from app.widgets.palette import family_color

NAME_COLUMN, SHAPE_COLUMN, KIND_COLUMN = range(3)
OWN_STORAGE = QT_TRANSLATE_NOOP("TensorList", "own storage")
SWATCH_SIZE = 14
# Pixels between a column's widest text and the next column: the list reads as a table.
COLUMN_ROOM = 18


def storage_groups(named: dict[str, core.Tensor]) -> list[list[str]]:
    """The names in ``named`` grouped by storage; groups and names in creation order.

    A name's position in its group is its family colour position, as ``Session.family()``
    gives when a tensor of that group is shown.
    """
    groups: dict[int, list[str]] = {}
    for name, tensor in named.items():
        groups.setdefault(id(tensor.untyped_storage()), []).append(name)
    return list(groups.values())


class TensorList(QTreeWidget):
    """Named tensors under storage headers; a colour swatch, name, shape and view/own badge.

    Clicking a tensor selects it in the session; the shown tensor is selected here.
    """

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setColumnCount(3)
        self.setHeaderLabels(
            [
                translate("TensorList", "tensor"),
                translate("TensorList", "shape"),
                translate("TensorList", "storage"),
            ]
        )
        self.header().setStretchLastSection(True)
        self.setRootIsDecorated(False)
        self.setItemsExpandable(False)
        self.setIndentation(12)
        self.setIconSize(QSize(SWATCH_SIZE, SWATCH_SIZE))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setFont(monospace_font(self.font()))
        self.setUniformRowHeights(True)
        self.currentItemChanged.connect(self._select_in_session)
        session.tensors_changed.connect(self.refresh)
        session.current_changed.connect(self.mark_current)
        self.refresh()

    def refresh(self) -> None:
        """Rebuild the groups from ``session.tensors()``, then mark the shown tensor."""
        self.blockSignals(True)  # rebuilding moves the current item: not a user's choice
        self.clear()
        named = self.session.tensors()
        muted = QBrush(muted_color(self.palette()))
        ring = self.palette().color(QPalette.ColorRole.HighlightedText)
        for names in storage_groups(named):
            summary = storage_summary(named[names[0]])
            header = QTreeWidgetItem(
                self, [translate("TensorList", "storage: {summary}").format(summary=summary)]
            )
            header.setFlags(Qt.ItemFlag.ItemIsEnabled)
            header.setForeground(NAME_COLUMN, muted)
            header.setFirstColumnSpanned(True)
            for position, name in enumerate(names):
                tensor = named[name]
                owner, same_tensor = first_owner(name, tensor, named)
                if owner is None:
                    kind = translate("TensorList", OWN_STORAGE)
                elif same_tensor:
                    kind = translate("TensorList", "same tensor as {owner}").format(owner=owner)
                else:
                    kind = translate("TensorList", "view of {owner}").format(owner=owner)
                row = QTreeWidgetItem(header, [name, str(tuple(tensor.shape)), kind])
                row.setData(NAME_COLUMN, Qt.ItemDataRole.UserRole, name)
                row.setIcon(NAME_COLUMN, _swatch(QColor(family_color(position)), ring))
                row.setForeground(KIND_COLUMN, muted)
        self.expandAll()
        for column in (NAME_COLUMN, SHAPE_COLUMN):
            self.resizeColumnToContents(column)
            self.setColumnWidth(column, self.columnWidth(column) + COLUMN_ROOM)
        self.blockSignals(False)
        self.mark_current()

    def mark_current(self) -> None:
        """Select the row of the shown tensor (none when a lineage step is shown)."""
        shown = self.session.current
        self.blockSignals(True)  # following the session is not a new selection
        self.setCurrentItem(None)
        self.clearSelection()
        for row in self.tensor_rows():
            if shown is not None and row.data(NAME_COLUMN, Qt.ItemDataRole.UserRole) == shown.name:
                self.setCurrentItem(row)
                break
        self.blockSignals(False)
        self.viewport().update()

    def tensor_rows(self) -> list[QTreeWidgetItem]:
        """The rows of named tensors, group by group."""
        return [
            self.topLevelItem(g).child(r)
            for g in range(self.topLevelItemCount())
            for r in range(self.topLevelItem(g).childCount())
        ]

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self.refresh()
        super().changeEvent(event)

    def _select_in_session(
        self, item: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None = None
    ) -> None:
        name = None if item is None else item.data(NAME_COLUMN, Qt.ItemDataRole.UserRole)
        if name is not None:
            self.session.select(name)


def _swatch(color: QColor, ring: QColor) -> QIcon:
    """A rounded square of the family ``color``; ringed in ``ring`` on a selected row.

    The ring keeps the swatch visible on the selection colour, often a blue much like
    the first family colour.
    """
    icon = QIcon()
    for mode, ring_color in ((QIcon.Mode.Normal, None), (QIcon.Mode.Selected, ring)):
        pixmap = QPixmap(SWATCH_SIZE, SWATCH_SIZE)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen if ring_color is None else QPen(ring_color, 1.5))
        painter.setBrush(color)
        painter.drawRoundedRect(QRectF(1, 1, SWATCH_SIZE - 2, SWATCH_SIZE - 2), 3, 3)
        painter.end()
        icon.addPixmap(pixmap, mode)
    return icon
