"""The inspector: every field of the selected pillar, initiative, phase or milestone (or the plan).

Each edit goes through the Document as one undo step; typing in one field merges into
one step. When the document changes (undo, redo, a drag on the timeline) the fields
are refreshed in place — only fields whose value differs are rewritten, so the cursor
in the field being typed in stays where it is.
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from dxroadmap.model.departments import split_departments
from dxroadmap.model.edits import clamp_span
from dxroadmap.model.fiscal import fiscal_month_number, fiscal_year_of, fy_first_month, year_month
from dxroadmap.model.national import NationalVersion, match_item, version_of
from dxroadmap.model.plan import Initiative, Milestone, Phase, PhaseKind, Pillar, Plan
from dxroadmap.model.wareki import YearStyle, format_fiscal_year
from dxroadmap.ui.document import Document
from dxroadmap.ui.progress_panel import ProgressPanel
from dxroadmap.ui.strings import language, national_category_text, national_item_text, tr
from dxroadmap.ui.timeline.texts import month_name, span_text

__all__ = ["Inspector", "MonthPicker", "STATUS_CHOICES"]

# Stored in the plan as written, so they stay in the plan's language (Japanese).
STATUS_CHOICES = ("", "未着手", "検討中", "準備中", "実施中", "完了", "継続", "保留")
_KIND_EN = {PhaseKind.STUDY: "study", PhaseKind.PREPARE: "preparation", PhaseKind.TRIAL: "trial",
            PhaseKind.INTRODUCE: "introduction", PhaseKind.OPERATE: "operation", PhaseKind.CONTINUE: "continuation",
            PhaseKind.CUSTOM: "other"}
PERIOD_YEARS = range(2000, 2051)


def kind_text(kind: PhaseKind) -> str:
    """A phase kind in the users' term (検討…), with the English word in the English UI."""
    return kind.label_ja if language() == "ja" else f"{kind.label_ja} ({_KIND_EN[kind]})"


class MonthPicker(QWidget):
    """A 年度 combo (the plan's years) and a 月 combo (4月 … 3月) picking one month index."""

    monthChanged = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.year = QComboBox()
        self.month = QComboBox()
        for n in range(12):
            self.month.addItem(month_name((n + 3) % 12 + 1, language()), n)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.year, 3)
        layout.addWidget(self.month, 1)
        self.setFocusProxy(self.year)
        self._style = YearStyle.ERA_WESTERN
        self.year.activated.connect(self._changed)
        self.month.activated.connect(self._changed)

    def set_month(self, m: int, first_fy: int, last_fy: int, style: YearStyle = YearStyle.ERA_WESTERN) -> None:
        """Show month ``m`` with the years ``first_fy``..``last_fy`` (widened to include ``m``'s year)."""
        fy = fiscal_year_of(m)
        years = list(range(min(first_fy, fy), max(last_fy, fy) + 1))
        current = [self.year.itemData(i) for i in range(self.year.count())]
        self.year.blockSignals(True)
        self.month.blockSignals(True)
        if current != years or style is not self._style:
            self._style = style
            self.year.clear()
            for y in years:
                self.year.addItem(_year_text(y, style), y)
        self.year.setCurrentIndex(years.index(fy))
        self.month.setCurrentIndex(fiscal_month_number(m) - 1)
        self.year.blockSignals(False)
        self.month.blockSignals(False)

    def value(self) -> int:
        return fy_first_month(int(self.year.currentData())) + int(self.month.currentData())

    def retranslate(self) -> None:
        """Month and year names in the current UI language (4月 / Apr, 令和5年度 / FY2023)."""
        for n in range(12):
            self.month.setItemText(n, month_name((n + 3) % 12 + 1, language()))
        for i in range(self.year.count()):
            self.year.setItemText(i, _year_text(int(self.year.itemData(i)), self._style))

    def _changed(self, *_: Any) -> None:
        self.monthChanged.emit(self.value())


def _year_text(fy: int, style: YearStyle) -> str:
    if language() == "en":  # the English UI names fiscal years without era words
        return f"FY{fy}"
    try:
        return format_fiscal_year(fy, style)
    except ValueError:
        return f"{fy}年度"


class _Page(QWidget):
    """A form whose labels can be retranslated."""

    def __init__(self) -> None:
        super().__init__()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        outer.addLayout(self.form)
        outer.addStretch(1)
        self.labels: list[tuple[QLabel, str]] = []

    def row(self, key: str, widget: QWidget) -> QWidget:
        label = QLabel(tr(key))
        label.setBuddy(widget)
        self.labels.append((label, key))
        self.form.addRow(label, widget)
        return widget

    def retranslate(self) -> None:
        for label, key in self.labels:
            label.setText(tr(key))


def _plain(max_height: int = 90) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    edit.setMaximumHeight(max_height)
    return edit


class _PageStack(QStackedWidget):
    """A stack as large as the page it shows, so a short page (a bar, a milestone) gets no scroll bar.

    QStackedWidget's size is that of its largest page (the initiative's, with the 進捗 table),
    which made the scroll area around it scroll on every page. QStackedLayout leaves pages
    whose size policy is Ignored out of its size: every page but the current one is.
    """

    def __init__(self) -> None:
        super().__init__()
        self.currentChanged.connect(self._fit)

    def _fit(self, _index: int) -> None:
        Policy = QSizePolicy.Policy
        for i in range(self.count()):
            page = self.widget(i)
            if page is self.currentWidget():
                page.setSizePolicy(Policy.Preferred, Policy.Preferred)
            else:
                page.setSizePolicy(Policy.Ignored, Policy.Ignored)
        self.updateGeometry()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        page = self.currentWidget()
        return page.sizeHint() if page is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        page = self.currentWidget()
        return page.minimumSizeHint() if page is not None else super().minimumSizeHint()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt API)
        page = self.currentWidget()
        return page.hasHeightForWidth() if page is not None else super().hasHeightForWidth()

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt API)
        # QStackedLayout answers with its tallest page (wrapped labels make pages height-for-width)
        page = self.currentWidget()
        return page.heightForWidth(width) if page is not None else super().heightForWidth(width)


class Inspector(QWidget):
    """Fields of ``document.selection`` (the plan's own fields when nothing is selected)."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.obj: object | None = None
        self._updating = False
        self._year_style = YearStyle.ERA_WESTERN
        self.heading = QLabel()
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)
        self.stack = _PageStack()
        self._build_plan_page()
        self._build_pillar_page()
        self._build_initiative_page()
        self._build_phase_page()
        self._build_milestone_page()
        self.stack._fit(self.stack.currentIndex())
        scroll = self._scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.stack)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.heading)
        layout.addWidget(scroll, 1)
        document.selectionChanged.connect(self.show_object)
        document.itemChanged.connect(self._item_changed)
        document.scheduleChanged.connect(self._schedule_changed)
        document.structureChanged.connect(self.refresh)
        document.planChanged.connect(lambda: self.show_object(document.selection))
        self.show_object(document.selection)

    # ------------------------------------------------------------ building

    def _line(self, page: _Page, key: str, attr: str, text: str = "編集") -> QLineEdit:
        edit = QLineEdit()
        edit.textEdited.connect(lambda value: self._set(attr, value, text))
        page.row(key, edit)
        return edit

    def _text(self, page: _Page, key: str, attr: str, convert: Callable[[str], Any] = str,
              text: str = "編集", height: int = 90) -> QPlainTextEdit:
        edit = _plain(height)
        edit.textChanged.connect(lambda: None if self._updating else self._set(attr, convert(edit.toPlainText()), text))
        page.row(key, edit)
        return edit

    def _build_plan_page(self) -> None:
        page = self.plan_page = _Page()
        self.plan_title = self._line(page, "insp.plan_title", "title", "計画名の変更")
        self.plan_org = self._line(page, "insp.organization", "organization", "団体名の変更")
        self.period_start = QComboBox()
        self.period_end = QComboBox()
        for fy in PERIOD_YEARS:
            for combo in (self.period_start, self.period_end):
                combo.addItem(_year_text(fy, YearStyle.ERA_WESTERN), fy)
        self.period_start.activated.connect(lambda *_: self._period_changed("start"))
        self.period_end.activated.connect(lambda *_: self._period_changed("end"))
        page.row("insp.period_start", self.period_start)
        page.row("insp.period_end", self.period_end)
        self.stack.addWidget(page)

    def _build_pillar_page(self) -> None:
        page = self.pillar_page = _Page()
        self.pillar_name = self._line(page, "insp.name", "name", "名前の変更")
        self.pillar_description = self._text(page, "insp.description", "description", text="説明の変更", height=160)
        self.stack.addWidget(page)

    def _build_initiative_page(self) -> None:
        page = self.initiative_page = _Page()
        self.init_name = self._line(page, "insp.name", "name", "名前の変更")
        self.init_summary = self._text(page, "insp.summary", "summary", text="概要の変更", height=120)
        self.init_departments = self._text(page, "insp.departments", "departments",
                                           split_departments,
                                           text="関係部門の変更", height=80)
        self.init_priority = QListWidget()
        self.init_priority.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.init_priority.setWordWrap(True)
        self.init_priority.setUniformItemSizes(True)
        self._priority_version: tuple[str, str] | None = None  # (national version, UI language) shown
        self._fill_priority()
        self.init_priority.itemChanged.connect(self._priority_changed)
        page.row("insp.priority", self.init_priority)
        self.init_kpi = self._text(page, "insp.kpi", "kpi", text="目標の変更", height=60)
        self.init_status = QComboBox()
        self.init_status.setEditable(True)
        self.init_status.addItems(STATUS_CHOICES)
        self.init_status.lineEdit().textEdited.connect(lambda value: self._set("status", value, "状況の変更"))
        self.init_status.activated.connect(lambda *_: self._set("status", self.init_status.currentText(), "状況の変更"))
        page.row("insp.status", self.init_status)
        self.init_notes = self._text(page, "insp.notes", "notes", text="備考の変更", height=60)
        self.progress = ProgressPanel(self.document)  # 進捗 of a chosen year and the KPI table
        page.form.addRow(self.progress)
        self.stack.addWidget(page)

    def _build_phase_page(self) -> None:
        page = self.phase_page = _Page()
        self.phase_label = self._line(page, "insp.label", "label", "工程名の変更")
        self.phase_kind = QComboBox()
        for kind in PhaseKind:
            self.phase_kind.addItem(kind_text(kind), kind.value)
        self.phase_kind.activated.connect(
            lambda *_: self._set("kind", PhaseKind(self.phase_kind.currentData()), "種別の変更", merge=False))
        page.row("insp.kind", self.phase_kind)
        colour = QWidget()
        row = QHBoxLayout(colour)
        row.setContentsMargins(0, 0, 0, 0)
        self.phase_swatch = QLabel()
        self.phase_swatch.setFixedSize(28, 18)
        self.phase_color = QPushButton(tr("insp.color_choose"))
        self.phase_color_default = QPushButton(tr("insp.color_default"))
        self.phase_color.clicked.connect(self._choose_color)
        self.phase_color_default.clicked.connect(lambda: self._set("color", None, "色の変更", merge=False))
        row.addWidget(self.phase_swatch)
        row.addWidget(self.phase_color)
        row.addWidget(self.phase_color_default)
        row.addStretch(1)
        page.row("insp.color", colour)
        self.phase_start = MonthPicker()
        self.phase_end = MonthPicker()
        self.phase_start.monthChanged.connect(lambda m: self._span_changed("start", m))
        self.phase_end.monthChanged.connect(lambda m: self._span_changed("end", m))
        page.row("insp.start", self.phase_start)
        page.row("insp.end", self.phase_end)
        self.phase_span = QLabel()
        self.phase_span.setWordWrap(True)
        page.form.addRow(self.phase_span)
        self.stack.addWidget(page)

    def _build_milestone_page(self) -> None:
        page = self.milestone_page = _Page()
        self.ms_label = self._line(page, "insp.label", "label", "マイルストーン名の変更")
        self.ms_month = MonthPicker()
        self.ms_month.monthChanged.connect(self._milestone_month_changed)
        page.row("insp.month", self.ms_month)
        self.stack.addWidget(page)

    # ------------------------------------------------------------ edits

    def _set(self, attr: str, value: Any, text: str = "編集", merge: bool = True) -> None:
        if self._updating:
            return
        target = self.obj if self.obj is not None else self.document.plan
        self.document.set_fields(target, text, merge=merge, **{attr: value})

    def _national(self) -> NationalVersion:
        """The national plan version the plan follows (the latest for one this build does not know)."""
        try:
            return version_of(self.document.plan.national_version)
        except KeyError:
            return version_of(None)

    def _fill_priority(self) -> None:
        """The 重点取組事項 checklist: the items of the plan's national version."""
        catalogue = self._national()
        if self._priority_version == (catalogue.version, language()):
            return
        was, self._updating = self._updating, True
        try:
            self.init_priority.clear()
            for national in catalogue.items:
                item = QListWidgetItem(national_item_text(national))
                item.setData(Qt.ItemDataRole.UserRole, national.name)  # what the plan stores: the national name
                item.setToolTip(f"{catalogue.label}　{national_category_text(national.category)}")
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable)
                item.setCheckState(Qt.CheckState.Unchecked)
                self.init_priority.addItem(item)
        finally:
            self._updating = was
        rows = self.init_priority.sizeHintForRow(0) * len(catalogue.items)
        self.init_priority.setFixedHeight(rows + 2 * self.init_priority.frameWidth() + 2)
        self._priority_version = (catalogue.version, language())

    def _priority_changed(self, _item: QListWidgetItem) -> None:
        if self._updating or not isinstance(self.obj, Initiative):
            return
        checked = [self.init_priority.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.init_priority.count())
                   if self.init_priority.item(i).checkState() == Qt.CheckState.Checked]
        version = self._national().version
        others = [p for p in self.obj.priority_items if match_item(p, version) is None]  # tags naming no item kept
        self._set("priority_items", checked + others, "重点取組事項の変更", merge=False)

    def _choose_color(self) -> None:
        if not isinstance(self.obj, Phase):
            return
        color = QColorDialog.getColor(QColor(self.obj.display_color), self, tr("insp.color"))
        if color.isValid():
            self._set("color", color.name().upper(), "色の変更", merge=False)

    def _span_changed(self, edge: str, month: int) -> None:
        phase = self.obj
        if self._updating or not isinstance(phase, Phase):
            return
        current = phase.start if edge == "start" else phase.end
        start, end = clamp_span((phase.start, phase.end), edge, month - current, push=True)
        self.document.set_phase_span(phase, start, end, "工程の変更")
        self.refresh()

    def _milestone_month_changed(self, month: int) -> None:
        if not self._updating and isinstance(self.obj, Milestone):
            self.document.set_milestone_month(self.obj, month)

    def _period_changed(self, edge: str) -> None:
        if self._updating:
            return
        start, end = int(self.period_start.currentData()), int(self.period_end.currentData())
        if edge == "start":
            end = max(end, start)
        else:
            start = min(start, end)
        self.document.set_period(start, end)
        self.refresh()

    # ------------------------------------------------------------ showing

    def set_year_style(self, style: YearStyle) -> None:
        """How 年度 are written in the year pickers."""
        self._year_style = style
        self.period_start.clear()
        self.period_end.clear()
        for fy in PERIOD_YEARS:
            for combo in (self.period_start, self.period_end):
                combo.addItem(_year_text(fy, style), fy)
        self.progress.set_year_style(style)
        self.refresh()

    def retranslate(self) -> None:
        for page in (self.plan_page, self.pillar_page, self.initiative_page, self.phase_page, self.milestone_page):
            page.retranslate()
        for picker in (self.phase_start, self.phase_end, self.ms_month):
            picker.retranslate()
        for combo in (self.period_start, self.period_end):
            for i in range(combo.count()):
                combo.setItemText(i, _year_text(int(combo.itemData(i)), self._year_style))
        self.phase_color.setText(tr("insp.color_choose"))
        self.phase_color_default.setText(tr("insp.color_default"))
        for i, kind in enumerate(PhaseKind):
            self.phase_kind.setItemText(i, kind_text(kind))
        self.progress.retranslate()
        self.refresh()

    def show_object(self, obj: object | None) -> None:
        """Show the fields of ``obj`` (the plan when ``None``)."""
        self.obj = obj if isinstance(obj, (Pillar, Initiative, Phase, Milestone)) else None
        page = {Pillar: self.pillar_page, Initiative: self.initiative_page, Phase: self.phase_page,
                Milestone: self.milestone_page}.get(type(self.obj), self.plan_page)
        self.stack.setCurrentWidget(page)
        self.progress.show_initiative(self.obj if isinstance(self.obj, Initiative) else None)
        self.refresh()

    def _item_changed(self, obj: object) -> None:
        if obj is self.obj or (self.obj is None and obj is self.document.plan):
            self.refresh()

    def _schedule_changed(self, owner: object) -> None:
        if isinstance(self.obj, (Phase, Milestone)):
            self.refresh()

    @staticmethod
    def _put_line(edit: QLineEdit, value: str) -> None:
        if edit.text() != value:
            edit.setText(value)

    @staticmethod
    def _put_text(edit: QPlainTextEdit, value: str) -> None:
        if edit.toPlainText() != value:
            edit.setPlainText(value)

    def refresh(self) -> None:
        """Re-read every field of the shown object (writes only the fields that differ)."""
        self._updating = True
        try:
            obj = self.obj
            if isinstance(obj, Pillar):
                self.heading.setText(f"{tr('insp.pillar')}: {obj.name}")
                self._put_line(self.pillar_name, obj.name)
                self._put_text(self.pillar_description, obj.description)
            elif isinstance(obj, Initiative):
                self.heading.setText(f"{tr('insp.initiative')}: {obj.name}")
                self._put_line(self.init_name, obj.name)
                self._put_text(self.init_summary, obj.summary)
                if split_departments(self.init_departments.toPlainText()) != obj.departments:  # keep 、 being typed
                    self._put_text(self.init_departments, "\n".join(obj.departments))
                self._fill_priority()
                version = self._national().version
                served = {m.name for m in (match_item(p, version) for p in obj.priority_items) if m is not None}
                for i in range(self.init_priority.count()):
                    item = self.init_priority.item(i)
                    state = Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in served else Qt.CheckState.Unchecked
                    if item.checkState() != state:
                        item.setCheckState(state)
                self._put_text(self.init_kpi, obj.kpi)
                if self.init_status.currentText() != obj.status:
                    self.init_status.setEditText(obj.status)
                self._put_text(self.init_notes, obj.notes)
            elif isinstance(obj, Phase):
                self._refresh_phase(obj)
            elif isinstance(obj, Milestone):
                owner = self._owner(obj)
                self.heading.setText(f"{tr('insp.milestone')}: {obj.label or ''}"
                                     + (f"\n{tr('insp.owner', name=owner.name)}" if owner else ""))
                self._put_line(self.ms_label, obj.label or "")
                plan = self.document.plan
                self.ms_month.set_month(obj.month, plan.start_fy, plan.end_fy, self._year_style)
            else:
                plan: Plan = self.document.plan
                self.heading.setText(f"{tr('insp.plan')}: {plan.title or tr('untitled')}")
                self._put_line(self.plan_title, plan.title)
                self._put_line(self.plan_org, plan.organization)
                for combo, fy in ((self.period_start, plan.start_fy), (self.period_end, plan.end_fy)):
                    index = combo.findData(fy)
                    if index < 0:
                        combo.addItem(_year_text(fy, self._year_style), fy)
                        index = combo.count() - 1
                    combo.setCurrentIndex(index)
        finally:
            self._updating = False

    def _owner(self, item: Phase | Milestone) -> Initiative | None:
        try:
            return self.document.owner_of(item)
        except LookupError:
            return None

    def _refresh_phase(self, phase: Phase) -> None:
        owner = self._owner(phase)
        self.heading.setText(f"{tr('insp.phase')}: {phase.label or ''}"
                             + (f"\n{tr('insp.owner', name=owner.name)}" if owner else ""))
        self._put_line(self.phase_label, phase.label or "")
        self.phase_kind.setCurrentIndex(list(PhaseKind).index(phase.kind))
        self.phase_swatch.setStyleSheet(f"background: {phase.display_color}; border: 1px solid #555;")
        self.phase_color_default.setEnabled(phase.color is not None)
        plan = self.document.plan
        self.phase_start.set_month(phase.start, plan.start_fy, plan.end_fy, self._year_style)
        self.phase_end.set_month(phase.end, plan.start_fy, plan.end_fy, self._year_style)
        try:
            span = span_text(phase.start, phase.end, language(), self._year_style)
        except ValueError:
            span = f"{year_month(phase.start)} – {year_month(phase.end)}"
        self.phase_span.setText(tr("insp.span", span=span, months=phase.length))
