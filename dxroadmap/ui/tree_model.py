"""The tree of pillars › initiatives › sub-actions as a QAbstractItemModel over a Document.

Columns: 取組内容 (name), 関係部門 (departments, 、-separated) and 概要 (summary).
Edits go through the Document (one undo step each); drag and drop inside the tree
moves initiatives (within or between pillars, or under another initiative as a
sub-action) and pillars (among pillars) with ``Document.move_initiative`` /
``move_pillar``. The model resets when the document's structure changes and updates
single rows when an item changes.

A row is as tall as its row on the timeline: ``row_height`` px per lane, the lanes from
:func:`dxroadmap.ui.timeline.index.lanes_of` (overlapping bars stack, so a crowded row
grows). A schedule edit that changes a row's lanes re-sizes that row at once.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QByteArray, QMimeData, QModelIndex, QObject, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QBrush, QFont

from dxroadmap.model.departments import join_departments, split_departments
from dxroadmap.model.plan import Initiative, Pillar
from dxroadmap.ui.document import Document
from dxroadmap.ui.strings import tr
from dxroadmap.ui.timeline.index import lanes_of
from dxroadmap.ui.timeline.style import PILLAR_HUES, PILLAR_TEXT

__all__ = ["PlanTreeModel", "MIME_TYPE", "COL_NAME", "COL_DEPARTMENTS", "COL_SUMMARY", "PROGRESS_FILTERS"]

MIME_TYPE = "application/x-dxroadmap-uid"
COL_NAME, COL_DEPARTMENTS, COL_SUMMARY = 0, 1, 2
_COLUMNS = ("col.name", "col.departments", "col.summary")
# The tree's progress filters: name → the statuses an initiative must have in the filter year (none: all shown).
PROGRESS_FILTERS: dict[str, frozenset[str]] = {
    "all": frozenset(),
    "attention": frozenset({"delayed", "not-started"}),
    "delayed": frozenset({"delayed"}),
    "not_started": frozenset({"not-started"}),
}

AnyIndex = QModelIndex | QPersistentModelIndex
_ROOT_FLAGS = Qt.ItemFlag.ItemIsDropEnabled
_ROW_FLAGS = (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
              | Qt.ItemFlag.ItemIsDropEnabled)
_EDITABLE_FLAGS = _ROW_FLAGS | Qt.ItemFlag.ItemIsEditable


class PlanTreeModel(QAbstractItemModel):
    """Pillars at the top level, initiatives below them, sub-actions below those."""

    def __init__(self, document: Document, row_height: int = 24, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.row_height = row_height
        self._objects: dict[int, object] = {}
        self._parent: dict[int, tuple[object | None, int]] = {}
        self._hue: dict[int, int] = {}  # object id -> its pillar's index (the swimlane colour)
        self._bold = QFont()
        self._bold.setBold(True)
        self._filter: frozenset[str] = frozenset()
        self._filter_fy: int | None = None
        self._shown: set[int] | None = None  # ids of the rows the progress filter keeps (None: all)
        self._lanes: dict[int, int] = {}  # object id -> lanes of its row (cached; see lanes_of)
        self._rebuild()
        document.structureChanged.connect(self.reset)
        document.planChanged.connect(self.reset)
        document.itemChanged.connect(self._item_changed)
        document.scheduleChanged.connect(self._schedule_changed)

    # ------------------------------------------------------------ bookkeeping

    def _rebuild(self) -> None:
        objects: dict[int, object] = {}
        parents: dict[int, tuple[object | None, int]] = {}
        hues: dict[int, int] = {}

        def add(items: list[Initiative], owner: object, hue: int) -> None:
            for row, item in enumerate(items):
                objects[id(item)] = item
                parents[id(item)] = (owner, row)
                hues[id(item)] = hue
                add(item.children, item, hue)

        for row, pillar in enumerate(self.document.plan.pillars):
            objects[id(pillar)] = pillar
            parents[id(pillar)] = (None, row)
            hues[id(pillar)] = row % len(PILLAR_HUES)
            add(pillar.initiatives, pillar, row % len(PILLAR_HUES))
        self._objects, self._parent, self._hue = objects, parents, hues
        self._lanes = {}

    def row_lanes(self, obj: object) -> int:
        """How many timeline lanes the row of ``obj`` spans (its height is that × ``row_height``)."""
        n = self._lanes.get(id(obj))
        if n is None:
            n = self._lanes[id(obj)] = lanes_of(obj)
        return n

    # ------------------------------------------------------------ progress filter

    def set_progress_filter(self, statuses: frozenset[str] | set[str], fy: int | None = None) -> None:
        """Keep only initiatives whose status in fiscal year ``fy`` is one of ``statuses`` (empty: all).

        An initiative without an entry for ``fy`` does not match; the parents of a matching
        sub-action and every pillar stay, so the hierarchy reads. Call :meth:`refresh_filter`
        after progress changes; the view hides the rows :meth:`passes_filter` refuses.
        """
        self._filter = frozenset(statuses)
        self._filter_fy = fy
        self.refresh_filter()

    @property
    def progress_filter(self) -> frozenset[str]:
        return self._filter

    @property
    def filter_fy(self) -> int | None:
        return self._filter_fy

    def refresh_filter(self) -> None:
        """Re-evaluate the progress filter over the whole plan."""
        if not self._filter or self._filter_fy is None:
            self._shown = None
            return
        shown: set[int] = set()
        fy, wanted = self._filter_fy, self._filter

        def visit(init: Initiative) -> bool:
            keep = False
            for child in init.children:
                keep = visit(child) or keep
            entry = init.progress.get(fy)
            if keep or (entry is not None and entry.status in wanted):
                shown.add(id(init))
                return True
            return False

        for pillar in self.document.plan.pillars:
            shown.add(id(pillar))
            for init in pillar.initiatives:
                visit(init)
        self._shown = shown

    def passes_filter(self, obj: object) -> bool:
        """Whether the progress filter keeps the row of ``obj`` (always, when no filter is set)."""
        return self._shown is None or id(obj) in self._shown

    def reset(self) -> None:
        """Re-read the whole plan (after a structural change)."""
        self.beginResetModel()
        self._rebuild()
        self.refresh_filter()
        self.endResetModel()

    def _item_changed(self, obj: object) -> None:
        if isinstance(obj, (Pillar, Initiative)) and id(obj) in self._parent:
            index = self.index_of(obj)
            if index.isValid():
                self.dataChanged.emit(index, index.siblingAtColumn(self.columnCount() - 1))

    def _schedule_changed(self, initiative: object) -> None:
        """Phases or milestones changed: the row may need more or fewer lanes."""
        old = self._lanes.pop(id(initiative), None)
        if id(initiative) in self._parent and old != self.row_lanes(initiative):
            index = self.index_of(initiative)
            if index.isValid():
                self.dataChanged.emit(index, index.siblingAtColumn(self.columnCount() - 1),
                                      [Qt.ItemDataRole.SizeHintRole])

    @staticmethod
    def _children(obj: object | None, plan) -> list:
        if obj is None:
            return plan.pillars
        if isinstance(obj, Pillar):
            return obj.initiatives
        return obj.children

    def object_at(self, index: AnyIndex) -> Pillar | Initiative | None:
        """The pillar or initiative shown at ``index`` (``None`` for the root)."""
        if not index.isValid():
            return None
        return self._objects.get(index.internalId())

    def index_of(self, obj: object, column: int = 0) -> QModelIndex:
        """The index showing ``obj`` (invalid if it is not in the tree)."""
        entry = self._parent.get(id(obj))
        if entry is None or self._objects.get(id(obj)) is not obj:
            return QModelIndex()
        return self.createIndex(entry[1], column, id(obj))

    # ------------------------------------------------------------ structure

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:
        if parent.isValid():
            owner = self._objects.get(parent.internalId())
            if owner is None:
                return QModelIndex()
            items = owner.initiatives if isinstance(owner, Pillar) else owner.children
        else:
            items = self.document.plan.pillars
        if 0 <= row < len(items) and 0 <= column < 3:
            return self.createIndex(row, column, id(items[row]))
        return QModelIndex()

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        entry = self._parent.get(index.internalId())
        if entry is None or entry[0] is None:
            return QModelIndex()
        return self.index_of(entry[0])

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        if parent.column() > 0:
            return 0
        owner = self.object_at(parent)
        if parent.isValid() and owner is None:
            return 0
        return len(self._children(owner, self.document.plan))

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return len(_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(_COLUMNS):
            return tr(_COLUMNS[section])
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(_COLUMNS) - 1)

    # ------------------------------------------------------------ data

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        obj = self.object_at(index)
        if obj is None:
            return None
        if role == Qt.ItemDataRole.SizeHintRole:  # first: the tree asks it of every row and column
            return QSize(-1, self.row_height * self.row_lanes(obj))
        col = index.column()
        pillar = isinstance(obj, Pillar)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == COL_NAME:
                return obj.name
            if pillar:
                return obj.description if col == COL_SUMMARY else ""
            if col == COL_DEPARTMENTS:
                return join_departments(obj.departments)
            return obj.summary if role == Qt.ItemDataRole.EditRole else obj.summary.replace("\n", " ")
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_NAME:
                summary = obj.description if pillar else obj.summary
                return f"{obj.name}\n{summary}".strip() if summary else obj.name
            if col == COL_DEPARTMENTS and not pillar:
                return "\n".join(obj.departments) or None
            if col == COL_SUMMARY:
                return (obj.description if pillar else obj.summary) or None
            return None
        if role == Qt.ItemDataRole.BackgroundRole:  # the timeline's swimlane colours
            band, tint = PILLAR_HUES[self._hue.get(index.internalId(), 0)]
            return QBrush(band if pillar else tint)
        if pillar:
            if role == Qt.ItemDataRole.FontRole:
                return self._bold
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(PILLAR_TEXT)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return _ROOT_FLAGS
        if index.column() == COL_DEPARTMENTS and isinstance(self.object_at(index), Pillar):
            return _ROW_FLAGS
        return _EDITABLE_FLAGS

    def setData(self, index: AnyIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        obj = self.object_at(index)
        if obj is None or role != Qt.ItemDataRole.EditRole:
            return False
        text = "" if value is None else str(value)
        col = index.column()
        if col == COL_NAME:
            text = text.strip()
            if not text:
                return False
            self.document.set_fields(obj, "名前の変更", name=text)
        elif isinstance(obj, Pillar):
            if col != COL_SUMMARY:
                return False
            self.document.set_fields(obj, "概要の変更", description=text)
        elif col == COL_DEPARTMENTS:
            self.document.set_fields(obj, "関係部門の変更", departments=split_departments(text))
        else:
            self.document.set_fields(obj, "概要の変更", summary=text)
        return True

    # ------------------------------------------------------------ drag and drop

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:
        data = QMimeData()
        objs = []
        for index in indexes:
            obj = self.object_at(index)
            if obj is not None and obj not in objs:
                objs.append(obj)
        if objs:
            data.setData(MIME_TYPE, QByteArray(objs[0].uid.encode("ascii")))
        return data

    def _dragged(self, data: QMimeData) -> Pillar | Initiative | None:
        if data is None or not data.hasFormat(MIME_TYPE):
            return None
        uid = bytes(data.data(MIME_TYPE).data()).decode("ascii", "replace")
        obj = self.document.plan.find(uid)
        return obj if isinstance(obj, (Pillar, Initiative)) else None

    def _drop_target(self, data: QMimeData, row: int, parent: AnyIndex):
        """(object, new owner or None for pillars, index after removal) or None if the drop is not allowed."""
        obj = self._dragged(data)
        if obj is None:
            return None
        target = self.object_at(parent)
        plan = self.document.plan
        if isinstance(obj, Pillar):
            if target is None:
                index = len(plan.pillars) if row < 0 else row
            elif isinstance(target, Pillar) and row < 0:  # dropped onto a pillar: take its place
                index = plan.pillars.index(target)
            else:
                return None
            old = plan.pillars.index(obj)
            if index > old:
                index -= 1
            return obj, None, max(0, min(index, len(plan.pillars) - 1))
        if target is None:
            return None
        if isinstance(target, Initiative) and any(i is target for i in obj.walk()):
            return None
        items = self._children(target, plan)
        index = len(items) if row < 0 else row
        for i, item in enumerate(items):
            if item is obj and i < index:
                index -= 1
                break
        return obj, target, index

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: AnyIndex) -> bool:
        return action == Qt.DropAction.MoveAction and self._drop_target(data, row, parent) is not None

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: AnyIndex) -> bool:
        if action == Qt.DropAction.IgnoreAction:
            return True
        target = self._drop_target(data, row, parent) if action == Qt.DropAction.MoveAction else None
        if target is None:
            return False
        obj, owner, index = target
        if owner is None:
            self.document.move_pillar(obj, index)
        else:
            self.document.move_initiative(obj, owner, index)
        return True

    def removeRows(self, row: int, count: int, parent: AnyIndex = QModelIndex()) -> bool:
        # A drop already moved the rows through the Document; the view must not remove anything.
        return False
