"""The main window: the tree of initiatives beside the timeline, the inspector, menus, files and undo.

The tree (left) and the timeline (right) show the same rows — both read
:func:`dxroadmap.model.rows.flatten_rows` with the tree's expanded state — with the
same row height and header height, and they scroll together.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import QByteArray, QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QContextMenuEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDockWidget,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QToolButton,
    QTreeView,
    QWidget,
)

from dxroadmap.io.errors import PlanWriteError
from dxroadmap.io.xlsx.read.results import Notice
from dxroadmap.model.plan import Initiative, Milestone, Phase, Pillar, Plan
from dxroadmap.model.progress import report_fiscal_year
from dxroadmap.model.rows import Row, flatten_rows
from dxroadmap.model.validation import validate
from dxroadmap.model.wareki import format_fiscal_year
from dxroadmap.ui.context_menus import (
    add_initiative_near,
    add_milestone_at,
    add_phase_at,
    add_pillar_after,
    add_subaction,
    build_context_menu,
    delete_object,
)
from dxroadmap.ui.document import Document
from dxroadmap.ui.file_guard import write_message
from dxroadmap.ui.file_session import OPEN_EXTENSIONS, SAVE_EXTENSIONS, FileSession, written_by_dxroadmap
from dxroadmap.ui.inspector import Inspector
from dxroadmap.ui.preferences import (
    Preferences,
    PreferencesDialog,
    clear_recent_files,
    load_preferences,
    recent_files,
    save_preferences,
    settings,
)
from dxroadmap.ui.strings import language, notice_text, problem_text, set_language, tr, tr_command
from dxroadmap.ui.timeline import TimelineView
from dxroadmap.ui.timeline.texts import month_text, span_text
from dxroadmap.ui.tree_model import COL_DEPARTMENTS, COL_NAME, COL_SUMMARY, PROGRESS_FILTERS, PlanTreeModel

__all__ = ["MainWindow", "new_plan", "written_by_dxroadmap", "OPEN_EXTENSIONS", "SAVE_EXTENSIONS"]


def new_plan() -> Plan:
    """A new plan over 令和5–9年度 with one pillar and one initiative to start from."""
    return Plan(title="", start_fy=2023, end_fy=2027,
                pillars=[Pillar(tr("new.pillar"), [Initiative(tr("new.initiative"))])])


class PlanTree(QTreeView):
    """The tree of pillars › initiatives › sub-actions: rows as tall as the timeline's, F2 renames, drag reorders."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setUniformRowHeights(True)  # fast; off while a crowded row is taller (set_row_heights_vary)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.DoubleClicked)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)  # only our own MIME type is accepted
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.setAllColumnsShowFocus(True)
        self.setIndentation(16)
        self.setAnimated(False)
        self.setExpandsOnDoubleClick(False)
        self.setTabKeyNavigation(False)

    cleared = Signal()  # the user asked for no selection (Esc, or a click below the rows)
    NAME_MIN_WIDTH = 160

    def set_row_heights_vary(self, vary: bool) -> None:
        """Rows as tall as the model says (a crowded row spans lanes), or uniform rows, much faster
        for big plans, while every row is one lane."""
        if vary == (not self.uniformRowHeights()):
            return
        self.setUniformRowHeights(not vary)
        self.doItemsLayout()

    def fit_name_column(self) -> None:
        """取組内容 takes the room the other visible columns leave: widening the tree widens the names first."""
        header = self.header()
        others = sum(header.sectionSize(c) for c in range(header.count())
                     if c != COL_NAME and not header.isSectionHidden(c))
        header.resizeSection(COL_NAME, max(self.NAME_MIN_WIDTH, self.viewport().width() - others))

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self.fit_name_column()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape and self.state() != QAbstractItemView.State.EditingState:
            self.cleared.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if not self.indexAt(event.position().toPoint()).isValid():
            self.cleared.emit()
        super().mousePressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802
        if event.reason() == QContextMenuEvent.Reason.Keyboard and self.currentIndex().isValid():
            # the menu key opens the menu at the current row, not wherever the mouse happens to be
            rect = self.visualRect(self.currentIndex())
            self.customContextMenuRequested.emit(QPoint(rect.left() + 24, rect.center().y()))
            event.accept()
            return
        super().contextMenuEvent(event)


class MainWindow(QMainWindow):
    """The editor window for one Document."""

    def __init__(self, document: Document | None = None, prefs: Preferences | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.prefs = prefs or load_preferences()
        self.document = document or Document(new_plan())
        self.document.setParent(self)
        # open / save / save as, the lock, changes on disk, autosave: the file side of the window
        self.file_session = FileSession(self.document, self, self)
        self.file_guard = self.file_session.guard
        self._collapsed: set[str] = set()
        self._syncing = False
        self._rows: list[Row] = []
        self._texts: list[tuple[Callable[[str], None], str]] = []
        self.setAcceptDrops(True)
        self.setObjectName("MainWindow")

        self.timeline = TimelineView(self.document)
        self.model = PlanTreeModel(self.document, TimelineView.ROW_HEIGHT, self)
        self.tree = PlanTree()
        self.tree.setModel(self.model)
        self.tree.setObjectName("planTree")
        header = self.tree.header()
        header.setStretchLastSection(False)  # the name column, not the last one, takes the spare width
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        header.setMinimumSectionSize(40)
        self.tree.setColumnWidth(COL_NAME, 300)
        self.tree.setColumnWidth(COL_DEPARTMENTS, 120)
        self.tree.setColumnWidth(COL_SUMMARY, 240)
        self.tree.setColumnHidden(COL_SUMMARY, True)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self.timeline)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([460, 1000])
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)

        self.inspector = Inspector(self.document)
        self.inspector_dock = QDockWidget(tr("insp.title"), self)
        self.inspector_dock.setObjectName("inspectorDock")
        self.inspector_dock.setWidget(self.inspector)
        self.inspector_dock.setAllowedAreas(Qt.DockWidgetArea.LeftDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.inspector_dock)
        self.resizeDocks([self.inspector_dock], [320], Qt.Orientation.Horizontal)

        self._build_status_bar()
        self._build_actions()
        self._build_menus()
        self._build_progress_ui()
        self._connect()
        self.apply_preferences(self.prefs, save=False)
        self._on_structure()
        self._update_title()
        self._restore_window_state()
        self.setTabOrder(self.tree, self.timeline)
        self.setTabOrder(self.timeline, self.inspector)

    # ------------------------------------------------------------ building

    def _text(self, setter: Callable[[str], None], key: str) -> None:
        setter(tr(key))
        self._texts.append((setter, key))

    def _action(self, key: str, slot: Callable[[], object], shortcut=None, checkable: bool = False) -> QAction:
        action = QAction(self)
        self._text(action.setText, key)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setCheckable(checkable)
        if checkable:
            action.toggled.connect(lambda on: slot(on))
        else:
            action.triggered.connect(lambda *_: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        K = QKeySequence.StandardKey
        self.act_new = self._action("act.new", self.new_file, K.New)
        self.act_open = self._action("act.open", self.open_dialog, K.Open)
        self.act_save = self._action("act.save", self.save, K.Save)
        self.act_save_as = self._action("act.save_as", self.save_as, K.SaveAs)
        self.act_save_as_workbook = self._action("act.save_as_workbook", lambda: self.file_session.save_as_workbook())
        self.act_print = self._action("act.print", lambda: self._print_call("print_preview"), K.Print)
        self.act_export_pdf = self._action("act.export_pdf", lambda: self._print_call("export_pdf"), "Ctrl+Shift+E")
        self.act_export_image = self._action("act.export_image", lambda: self._print_call("export_image"))
        self.act_export_slides = self._action("act.export_slides", self.export_slides)
        self.act_export_web = self._action("act.export_web", self.export_web_page)
        self.act_save_version = self._action("act.save_version", self.save_version)
        self.act_versions = self._action("act.versions", self.show_versions)
        self.act_coverage = self._action("act.coverage", self.show_coverage)
        self.act_survey_out = self._action("act.survey_out", self.send_surveys)
        self.act_survey_in = self._action("act.survey_in", self.import_survey_answers)
        self.act_preferences = self._action("act.preferences", self.show_preferences, K.Preferences)
        self.act_preferences.setMenuRole(QAction.MenuRole.PreferencesRole)
        if self.act_preferences.shortcut().isEmpty():  # no platform standard (Linux, Windows)
            self.act_preferences.setShortcut(QKeySequence("Ctrl+,"))
        self.act_quit = self._action("act.quit", self.close, K.Quit)
        self.act_undo = self._action("act.undo", self.document.undo_stack.undo, K.Undo)
        self.act_redo = self._action("act.redo", self.document.undo_stack.redo, K.Redo)
        self.act_delete = self._action("act.delete", self.delete_selection, K.Delete)
        self.act_rename = self._action("act.rename", lambda: self.rename(self._row_object()), "F2")
        self.act_rename.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # the tree's own F2 does the work
        self.act_add_initiative = self._action("act.add_initiative", self.add_initiative, "Ctrl+Return")
        self.act_add_subaction = self._action("act.add_subaction", self.add_subaction, "Ctrl+Shift+Return")
        self.act_add_pillar = self._action("act.add_pillar", self.add_pillar, "Ctrl+Shift+P")
        self.act_add_phase = self._action("act.add_phase", self.add_phase, "Ctrl+B")
        self.act_add_milestone = self._action("act.add_milestone", self.add_milestone, "Ctrl+M")
        self.act_zoom_in = self._action("act.zoom_in", lambda: self._zoom("zoom_in"), K.ZoomIn)
        self.act_zoom_out = self._action("act.zoom_out", lambda: self._zoom("zoom_out"), K.ZoomOut)
        self.act_zoom_fit = self._action("act.zoom_fit", lambda: self._zoom("zoom_fit"), "Ctrl+0")
        self.act_show_summary = self._action("act.show_summary", self._show_summary, checkable=True)
        self.act_focus_tree = self._action("act.focus_tree", lambda: self.tree.setFocus(), "Alt+1")
        self.act_focus_timeline = self._action("act.focus_timeline", lambda: self.timeline.setFocus(), "Alt+2")
        self.act_focus_inspector = self._action("act.focus_inspector", self.focus_inspector, "Alt+3")
        self.act_plan = self._action("act.plan", self.edit_plan, "Ctrl+Shift+I")
        self.act_about = self._action("act.about", self._about)
        self.act_undo.setEnabled(False)
        self.act_redo.setEnabled(False)

    def send_surveys(self) -> None:
        """File › 各課照会 (openpyxl is loaded only when asked for)."""
        from dxroadmap.ui.dialogs.survey import send_surveys

        send_surveys(self, self.document)

    def import_survey_answers(self) -> None:
        """File › 回答の取り込み."""
        from dxroadmap.ui.dialogs.survey import import_answers

        import_answers(self, self.document)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.menu_file = bar.addMenu("")
        self._text(self.menu_file.setTitle, "menu.file")
        self.menu_file.addActions([self.act_new, self.act_open])
        self.menu_recent = self.menu_file.addMenu("")
        self._text(self.menu_recent.setTitle, "menu.recent")
        self.menu_recent.aboutToShow.connect(self._fill_recent_menu)
        self.menu_file.addSeparator()
        self.menu_file.addActions([self.act_save, self.act_save_as, self.act_save_as_workbook])
        self.menu_file.addSeparator()
        self.menu_file.addActions([self.act_print, self.act_export_pdf, self.act_export_image, self.act_export_slides,
                                   self.act_export_web])
        self.menu_file.addSeparator()
        self.menu_file.addActions([self.act_save_version, self.act_versions, self.act_coverage])
        self.menu_file.addActions([self.act_survey_out, self.act_survey_in])
        self.menu_file.addSeparator()
        self.menu_file.addActions([self.act_preferences])
        self.menu_file.addSeparator()
        self.menu_file.addAction(self.act_quit)

        self.menu_edit = bar.addMenu("")
        self._text(self.menu_edit.setTitle, "menu.edit")
        self.menu_edit.addActions([self.act_undo, self.act_redo])
        self.menu_edit.addSeparator()
        self.menu_edit.addActions([self.act_add_pillar, self.act_add_initiative, self.act_add_subaction,
                                   self.act_add_phase, self.act_add_milestone])
        self.menu_edit.addSeparator()
        self.menu_edit.addActions([self.act_rename, self.act_delete])
        self.menu_edit.addSeparator()
        self.menu_edit.addAction(self.act_plan)

        self.menu_view = bar.addMenu("")
        self._text(self.menu_view.setTitle, "menu.view")
        self.menu_view.addActions([self.act_zoom_in, self.act_zoom_out, self.act_zoom_fit])
        self.menu_view.addSeparator()
        self.act_show_inspector = self.inspector_dock.toggleViewAction()
        self._text(self.act_show_inspector.setText, "act.show_inspector")
        self.act_show_inspector.setShortcut(QKeySequence("Ctrl+I"))
        self.menu_view.addActions([self.act_show_inspector, self.act_show_summary])
        self.menu_view.addSeparator()
        self.menu_view.addActions([self.act_focus_tree, self.act_focus_timeline, self.act_focus_inspector])

        self.menu_help = bar.addMenu("")
        self._text(self.menu_help.setTitle, "menu.help")
        self.menu_help.addAction(self.act_about)

        self.toolbar = self.addToolBar("")
        self.toolbar.setObjectName("mainToolbar")
        self._text(self.toolbar.setWindowTitle, "toolbar.main")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar.setMovable(False)
        self.toolbar.addActions([self.act_new, self.act_open, self.act_save])
        self.toolbar.addSeparator()
        self.toolbar.addActions([self.act_undo, self.act_redo])
        self.toolbar.addSeparator()
        self.toolbar.addActions([self.act_add_initiative, self.act_add_phase, self.act_add_milestone, self.act_delete])
        self.toolbar.addSeparator()
        self.toolbar.addActions([self.act_zoom_in, self.act_zoom_out, self.act_zoom_fit])
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.act_print)

    def _build_progress_ui(self) -> None:
        """進捗管理: the 進捗 view toggle and the tree filter (表示), File › 進捗状況一覧…, a filter box."""
        self.act_progress_view = self._action("act.progress_view", self.set_progress_view, "Ctrl+Shift+G",
                                              checkable=True)
        self.act_progress_report = self._action("act.progress_report", self.export_progress_report)
        self.menu_file.insertAction(self.act_preferences, self.act_progress_report)
        self.menu_file.insertSeparator(self.act_preferences)
        self.menu_view.addSeparator()
        self.menu_view.addAction(self.act_progress_view)
        self.menu_progress_filter = self.menu_view.addMenu("")
        self._text(self.menu_progress_filter.setTitle, "menu.progress_filter")
        group = QActionGroup(self)
        group.setExclusive(True)
        self.filter_actions: dict[str, QAction] = {}
        self.filter_box = QComboBox()
        self.filter_box.setObjectName("progressFilter")
        for i, name in enumerate(PROGRESS_FILTERS):
            action = self._action(f"act.filter.{name}", lambda n=name: self.set_progress_filter(n))
            action.setCheckable(True)
            group.addAction(action)
            self.menu_progress_filter.addAction(action)
            self.filter_actions[name] = action
            self.filter_box.addItem("", name)
            self._text(lambda t, i=i: self.filter_box.setItemText(i, t.replace("&", "")), f"act.filter.{name}")
        self.filter_actions["all"].setChecked(True)
        self.filter_box.activated.connect(lambda i: self.set_progress_filter(self.filter_box.itemData(i)))
        self.toolbar.addSeparator()
        self.filter_label = QLabel()
        self._text(self.filter_label.setText, "filter.label")
        self.toolbar.addWidget(self.filter_label)
        self.toolbar.addWidget(self.filter_box)
        self.toolbar.addAction(self.act_progress_view)

    def set_progress_view(self, on: bool) -> None:
        """Show or hide the timeline's 進捗 view (status per fiscal year)."""
        self.timeline.set_progress_mode(on)
        if self.act_progress_view.isChecked() != bool(on):
            self.act_progress_view.setChecked(bool(on))

    def set_progress_filter(self, name: str) -> None:
        """Filter the tree and the timeline by status ("all", "attention", "delayed", "not_started")."""
        plan = self.document.plan
        self.model.set_progress_filter(PROGRESS_FILTERS[name], report_fiscal_year(plan))
        self.filter_actions[name].setChecked(True)
        self.filter_box.setCurrentIndex(self.filter_box.findData(name))
        fy = report_fiscal_year(plan)
        try:
            year = format_fiscal_year(fy, self.prefs.year_style)
        except ValueError:
            year = str(fy)
        self.filter_box.setToolTip(tr("filter.tooltip", year=year))
        self._apply_progress_filter()

    def _apply_progress_filter(self) -> None:
        """Hide the tree rows the filter refuses and show the same rows on the timeline."""
        model, tree = self.model, self.tree

        def visit(obj: object, children: list) -> None:
            parent = model.index_of(obj)
            for row, child in enumerate(children):
                tree.setRowHidden(row, parent, not model.passes_filter(child))
                visit(child, child.children)

        for pillar in self.document.plan.pillars:
            visit(pillar, pillar.initiatives)
        self._update_rows()

    def _progress_changed(self, obj: object) -> None:
        if isinstance(obj, Initiative) and self.model.progress_filter:
            self.model.set_progress_filter(self.model.progress_filter, report_fiscal_year(self.document.plan))
            self._apply_progress_filter()

    def _plan_folder(self) -> str | None:
        return str(Path(self.document.path).parent) if self.document.path else None

    def export_slides(self) -> None:
        """File › スライドに書き出し: the roadmap as editable PowerPoint slides."""
        from dxroadmap.ui.dialogs.slides_export import export_slides

        written = export_slides(self, self.document.plan, self._plan_folder())
        if written is not None:
            self.statusBar().showMessage(tr("file.saved", name=written.name), 5000)

    def export_web_page(self) -> None:
        """File › Web ページに書き出し: the roadmap as one accessible web page."""
        from dxroadmap.ui.dialogs.slides_export import export_web_page

        written = export_web_page(self, self.document.plan, self._plan_folder())
        if written is not None:
            self.statusBar().showMessage(tr("file.saved", name=written.name), 5000)

    def export_progress_report(self) -> None:
        """File › 進捗状況一覧…: the report of a fiscal year as .xlsx or .pdf."""
        from dxroadmap.ui.dialogs.progress_report import export_progress_report

        folder = str(Path(self.document.path).parent) if self.document.path else None
        try:
            path = export_progress_report(self, self.document.plan, folder, self.prefs.year_style)
        except (PlanWriteError, OSError) as exc:
            self._error(tr("file.write_error_title"), write_message(exc, ""))
            return
        if path is not None:
            self.statusBar().showMessage(tr("report.done", name=path.name), 5000)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.selection_label = QLabel()
        self.problems_button = QToolButton()
        self.problems_button.setAutoRaise(True)
        self.problems_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.problems_menu = QMenu(self.problems_button)
        self.problems_button.setMenu(self.problems_menu)
        bar.addPermanentWidget(self.selection_label)
        bar.addPermanentWidget(self.problems_button)
        self._validate_timer = QTimer(self)
        self._validate_timer.setSingleShot(True)
        self._validate_timer.setInterval(250)
        self._validate_timer.timeout.connect(self.update_problems)
        self.problems: list = []

    def _connect(self) -> None:
        # Bound methods only: Qt cuts those connections when the window goes, before the undo stack (a
        # grandchild) clears itself and signals during its own destruction.
        doc = self.document
        doc.structureChanged.connect(self._on_structure)
        doc.selectionChanged.connect(self._on_document_selection)
        doc.itemChanged.connect(self._changed)
        doc.itemChanged.connect(self._progress_changed)
        doc.scheduleChanged.connect(self._changed)
        doc.scheduleChanged.connect(self._sync_row_heights)  # after the timeline re-read the row
        doc.planChanged.connect(self._on_plan_changed)
        stack = doc.undo_stack
        stack.cleanChanged.connect(self._on_clean_changed)
        stack.canUndoChanged.connect(self.act_undo.setEnabled)
        stack.canRedoChanged.connect(self.act_redo.setEnabled)
        stack.undoTextChanged.connect(self._update_undo_texts)
        stack.redoTextChanged.connect(self._update_undo_texts)
        stack.indexChanged.connect(self._update_title)
        self.tree.selectionModel().selectionChanged.connect(self._on_tree_selection)
        self.tree.cleared.connect(self._on_tree_cleared)
        self.tree.clicked.connect(self._on_tree_clicked)
        self.tree.expanded.connect(self._on_expanded)
        self.tree.collapsed.connect(self._on_collapsed)
        self.tree.customContextMenuRequested.connect(self._tree_menu)
        self.tree.verticalScrollBar().valueChanged.connect(self._tree_scrolled)
        self.timeline.scrolledY.connect(self._timeline_scrolled)
        self.timeline.contextMenuRequested.connect(self._timeline_menu)
        self.timeline.renameRequested.connect(self.rename)

    def _on_clean_changed(self, clean: bool) -> None:
        self.setWindowModified(not clean)

    def _on_expanded(self, index: QModelIndex) -> None:
        self._set_expanded(index, True)

    def _on_collapsed(self, index: QModelIndex) -> None:
        self._set_expanded(index, False)

    def _tree_scrolled(self, value: int) -> None:
        self.timeline.set_scroll_y(float(value))

    # ------------------------------------------------------------ rows, scrolling, selection

    def _is_expanded(self, obj: object) -> bool:
        return getattr(obj, "uid", None) not in self._collapsed

    def rows(self) -> list[Row]:
        """The rows the tree and the timeline show now."""
        return self._rows

    def _update_rows(self) -> None:
        self._rows = [r for r in flatten_rows(self.document.plan, self._is_expanded) if self.model.passes_filter(r.obj)]
        self.timeline.set_rows(self._rows)
        self._sync_row_heights()
        self._sync_geometry()

    def _sync_row_heights(self, *_: object) -> None:
        """The tree's rows take their own heights while some row spans more than one lane."""
        self.tree.set_row_heights_vary(bool((self.timeline.state.index.row_lanes > 1).any()))

    def _sync_geometry(self) -> None:
        header_height = int(self.timeline.header_height())
        if self.tree.header().height() != header_height:
            self.tree.header().setFixedHeight(header_height)
        self.timeline.set_scroll_y(float(self.tree.verticalScrollBar().value()))

    def _restore_expansion(self) -> None:
        """Expand every row with children except those the user collapsed (kept by uid across resets)."""
        self._syncing = True
        try:
            plan_uids = set()
            model, tree, collapsed = self.model, self.tree, self._collapsed

            def visit(obj: Pillar | Initiative, children: list[Initiative]) -> None:
                plan_uids.add(obj.uid)
                if children:
                    tree.setExpanded(model.index_of(obj), obj.uid not in collapsed)
                    for child in children:
                        visit(child, child.children)

            for pillar in self.document.plan.pillars:
                visit(pillar, pillar.initiatives)
            self._collapsed &= plan_uids
            root = QModelIndex()
            for row in range(len(self.document.plan.pillars)):
                tree.setFirstColumnSpanned(row, root, True)
        finally:
            self._syncing = False

    def _on_structure(self) -> None:
        self._restore_expansion()
        if self.model.progress_filter:  # the reset showed every row again; the year may have changed
            self.model.set_progress_filter(self.model.progress_filter, report_fiscal_year(self.document.plan))
            self._apply_progress_filter()
        self._update_rows()
        self._on_document_selection(self.document.selection)
        self._changed()

    def _on_plan_changed(self) -> None:
        self._collapsed.clear()
        self._update_title()

    def _set_expanded(self, index: QModelIndex, expanded: bool) -> None:
        if self._syncing:
            return
        obj = self.model.object_at(index)
        if obj is None:
            return
        if expanded:
            self._collapsed.discard(obj.uid)
        else:
            self._collapsed.add(obj.uid)
        self._update_rows()

    def _timeline_scrolled(self, px: float) -> None:
        self.tree.verticalScrollBar().setValue(int(round(px)))

    def _on_tree_selection(self, *_: object) -> None:
        """The user selected a row (mouse or keyboard); focus-in alone moves the current row without selecting."""
        if self._syncing:
            return
        rows = self.tree.selectionModel().selectedRows()
        obj = self.model.object_at(rows[0]) if rows else None
        if obj is None:
            return
        sel = self.document.selection
        if isinstance(sel, (Phase, Milestone)):
            try:
                if self.document.owner_of(sel) is obj:
                    return  # the tree follows a bar's row; keep the bar selected
            except LookupError:
                pass
        self.document.select(obj)

    def _on_tree_clicked(self, index: QModelIndex) -> None:
        """A click on a row shows that row's pillar or initiative, even when one of its bars was selected."""
        obj = self.model.object_at(index)
        if obj is not None and self.document.selection is not obj:
            self.document.select(obj)

    def _on_tree_cleared(self) -> None:
        self.document.select(None)

    def _row_object(self) -> Pillar | Initiative | None:
        """The pillar or initiative whose row is current (the owner of a selected bar)."""
        sel = self.document.selection
        if isinstance(sel, (Phase, Milestone)):
            try:
                return self.document.owner_of(sel)
            except LookupError:
                return None
        return sel if isinstance(sel, (Pillar, Initiative)) else None

    def _on_document_selection(self, obj: object) -> None:
        row_obj = self._row_object()
        self._syncing = True
        try:
            if row_obj is None:
                self.tree.selectionModel().clearSelection()
                self.tree.selectionModel().setCurrentIndex(QModelIndex(), self.tree.selectionModel().SelectionFlag.Clear)
            else:
                index = self.model.index_of(row_obj)
                if index.isValid():
                    flags = self.tree.selectionModel().SelectionFlag
                    self.tree.selectionModel().setCurrentIndex(index, flags.ClearAndSelect | flags.Rows)
                    self.tree.scrollTo(index)
        finally:
            self._syncing = False
        self._update_selection_label()

    def _update_selection_label(self) -> None:
        obj = self.document.selection
        text = ""
        style = self.prefs.year_style
        try:
            lang = language()  # months as the user reads them: 令和6年度 7月, or Jul FY2024 in English
            if isinstance(obj, Phase):
                text = f"{tr('insp.phase')}: {obj.label or ''}  {span_text(obj.start, obj.end, lang, style)}"
            elif isinstance(obj, Milestone):
                text = f"{tr('insp.milestone')}: {obj.label or ''}  {month_text(obj.month, lang, style)}"
            elif isinstance(obj, (Pillar, Initiative)):
                kind = tr("insp.pillar") if isinstance(obj, Pillar) else tr("insp.initiative")
                text = f"{kind}: {obj.name}"
        except ValueError:
            text = ""
        self.selection_label.setText(text)

    # ------------------------------------------------------------ context menus

    def _tree_menu(self, pos: QPoint) -> None:
        index = self.tree.indexAt(pos)
        obj = self.model.object_at(index)
        if obj is not None:
            self.document.select(obj)
        self.show_menu(build_context_menu(self, None, obj, None, self), self.tree.viewport().mapToGlobal(pos))

    def _timeline_menu(self, clicked: object, row_obj: object, month: int, global_pos: QPoint) -> None:
        if clicked is not None:
            self.document.select(clicked)
        elif row_obj is not None:
            self.document.select(row_obj)
        self.show_menu(build_context_menu(self, clicked, row_obj, month, self), global_pos)

    def show_menu(self, menu: QMenu, global_pos: QPoint) -> None:
        """Pop up a context menu and wait for the choice."""
        menu.exec(global_pos)
        menu.deleteLater()

    def _header_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        menu.addAction(self.act_show_summary)
        menu.exec(self.tree.header().mapToGlobal(pos))

    def _show_summary(self, on: bool) -> None:
        self.tree.setColumnHidden(COL_SUMMARY, not on)
        self.tree.fit_name_column()

    # ------------------------------------------------------------ edit commands (menu handler)

    def created(self, obj: object, rename: bool = False) -> None:
        """Select a newly added object; start renaming it in the tree when asked."""
        self.document.select(obj)
        if rename and isinstance(obj, (Pillar, Initiative)):
            self.rename(obj)

    def rename(self, obj: object) -> None:
        """Start editing ``obj``'s name in the tree (F2); a bar or milestone's 名称 in the inspector."""
        if isinstance(obj, (Phase, Milestone)):
            if self.document.selection is not obj:
                self.document.select(obj)
            self.inspector_dock.show()
            self.inspector_dock.raise_()
            field = self.inspector.phase_label if isinstance(obj, Phase) else self.inspector.ms_label
            field.setFocus(Qt.FocusReason.ShortcutFocusReason)
            field.selectAll()
            return
        if not isinstance(obj, (Pillar, Initiative)):
            return
        index = self.model.index_of(obj, COL_NAME)
        if index.isValid():
            self.tree.scrollTo(index)
            self.tree.setCurrentIndex(index)
            self.tree.setFocus()
            self.tree.edit(index)

    def focus_inspector(self) -> None:
        self.inspector_dock.show()
        self.inspector_dock.raise_()
        widget = self.inspector.stack.currentWidget()
        first = widget.form.itemAt(0, widget.form.ItemRole.FieldRole)
        if first is not None and first.widget() is not None:
            first.widget().setFocus()

    def edit_plan(self) -> None:
        """Show the plan's own fields (title, organization, period) in the inspector."""
        self.document.select(None)
        self.focus_inspector()

    def delete_selection(self) -> None:
        """Delete the selected bar, milestone, initiative or pillar (not while typing in the inspector)."""
        focus = QApplication.focusWidget()
        if focus is not None and self.inspector.isAncestorOf(focus):
            return
        obj = self.document.selection
        if obj is not None:
            delete_object(self.document, obj)

    def add_initiative(self) -> None:
        self.created(add_initiative_near(self.document, self._row_object()), rename=True)

    def add_subaction(self) -> None:
        row = self._row_object()
        if isinstance(row, Initiative):
            self.created(add_subaction(self.document, row), rename=True)
        else:
            self.add_initiative()

    def add_pillar(self) -> None:
        self.created(add_pillar_after(self.document, self._row_object()), rename=True)

    def add_phase(self) -> None:
        row = self._row_object()
        if isinstance(row, Initiative):
            self.created(add_phase_at(self.document, row))

    def add_milestone(self) -> None:
        row = self._row_object()
        if isinstance(row, Initiative):
            self.created(add_milestone_at(self.document, row))

    def _zoom(self, name: str) -> None:
        getattr(self.timeline, name)()
        self._sync_geometry()

    def _update_undo_texts(self, *_: object) -> None:
        stack = self.document.undo_stack
        undo, redo = stack.undoText(), stack.redoText()
        self.act_undo.setText(tr("act.undo_text", text=tr_command(undo)) if undo else tr("act.undo"))
        self.act_redo.setText(tr("act.redo_text", text=tr_command(redo)) if redo else tr("act.redo"))

    # ------------------------------------------------------------ validation

    def _changed(self, *_: object) -> None:
        self._validate_timer.start()
        self._update_selection_label()

    def update_problems(self) -> None:
        """Re-run validation and show the count in the status bar (the list in its menu)."""
        self.problems = validate(self.document.plan)
        n = len(self.problems)
        self.problems_button.setText(tr("problems.count", n=n) if n else tr("problems.none"))
        self.problems_button.setToolTip(tr("problems.tooltip"))
        errors = any(p.severity == "error" for p in self.problems)
        color = "#C00000" if errors else ("#B26B00" if n else "#2E7D32")
        self.problems_button.setStyleSheet(f"QToolButton {{ color: {color}; }}")
        self.problems_menu.clear()
        for problem in self.problems[:50]:
            action = self.problems_menu.addAction(problem_text(problem))
            subject = problem.subject
            action.triggered.connect(lambda *_, s=subject: self._select_problem(s))
        self.problems_button.setEnabled(bool(n))

    def _select_problem(self, subject: object) -> None:
        if isinstance(subject, Plan):
            self.document.select(None)
            self.focus_inspector()
        else:
            self.document.select(subject)

    # ------------------------------------------------------------ title and language

    def display_name(self) -> str:
        return self.file_session.display_name()

    def _update_title(self, *_: object) -> None:
        self.setWindowTitle(f"{self.display_name()}[*]{self.file_session.title_mark()} — dxroadmap")
        self.setWindowModified(self.document.modified)

    def retranslate(self) -> None:
        """Re-read every UI text (after a language switch)."""
        for setter, key in self._texts:
            setter(tr(key))
        self.inspector_dock.setWindowTitle(tr("insp.title"))
        self.model.retranslate()
        self.inspector.retranslate()
        self.timeline.set_language(language())
        self._update_undo_texts()
        self._update_title()
        self.update_problems()
        self._update_selection_label()

    def apply_preferences(self, prefs: Preferences, save: bool = True) -> None:
        """Use ``prefs`` now (language, year style, snapping) and store them."""
        language_changed = prefs.language != language()
        self.prefs = prefs
        set_language(prefs.language)
        self.timeline.set_year_style(prefs.year_style)
        self.file_session.set_autosave_minutes(prefs.autosave_minutes)
        self.timeline.set_snap(prefs.snap)
        self.timeline.set_language(prefs.language)
        self.timeline.set_quarter_months(prefs.quarter_labels == "months")
        self.inspector.set_year_style(prefs.year_style)
        if language_changed:
            self.retranslate()
        else:
            self.update_problems()
        if save:
            save_preferences(prefs)
        self._sync_geometry()

    def show_preferences(self) -> None:
        dialog = PreferencesDialog(self.prefs, self)
        if dialog.exec():
            self.apply_preferences(dialog.preferences())

    def _about(self) -> None:
        QMessageBox.about(self, tr("act.about"), tr("about.text"))

    # ------------------------------------------------------------ printing (another module)

    def save_version(self) -> None:
        """File › 版を保存: keep the plan as it is now as a named version."""
        from dxroadmap.ui.dialogs.versions import save_version_interactively

        save_version_interactively(self.document, self)

    def show_versions(self):
        """File › 版の一覧: view, compare, restore or delete the plan's versions."""
        from dxroadmap.ui.dialogs.versions import VersionsDialog

        dialog = VersionsDialog(self.document, self)
        dialog.show()
        return dialog

    def show_coverage(self):
        """File › 重点取組事項の対応表: national items × the initiatives serving them."""
        from dxroadmap.ui.dialogs.coverage import CoverageDialog

        dialog = CoverageDialog(self.document, self)
        dialog.show()
        return dialog

    def _print_call(self, name: str) -> None:
        from dxroadmap.ui import print_dialog

        func = getattr(print_dialog, name)
        try:
            if name == "print_preview":
                func(self, self.document.plan)
            else:  # exports start in the plan's own folder
                func(self, self.document.plan, folder=str(Path(self.document.path).parent) if self.document.path else None)
        except (PlanWriteError, OSError) as exc:
            self._error(tr("file.write_error_title"), write_message(exc, ""))

    # ------------------------------------------------------------ files

    def _error(self, title: str, text: str) -> None:
        QMessageBox.critical(self, title, text)

    # the session's requests (FileHost)

    def ask_save_path(self, title: str, default: str, filters: list[str], selected: str) -> tuple[str, str]:
        return QFileDialog.getSaveFileName(self, title, default, ";;".join(filters), selected)

    def show_status(self, text: str, msec: int) -> None:
        self.statusBar().showMessage(text, msec)

    def show_error(self, title: str, text: str) -> None:
        self._error(title, text)

    def show_warnings(self, name: str, warnings: list[Notice | str]) -> None:
        shown = warnings[:15]
        more = len(warnings) - len(shown)
        text = "\n".join(f"・{notice_text(w)}" for w in shown) + (f"\n… (+{more})" if more > 0 else "")
        box = QMessageBox(QMessageBox.Icon.Information, tr("file.warnings_title"),
                          tr("file.warnings_text", name=name), QMessageBox.StandardButton.Ok, self)
        box.setInformativeText(text)
        box.exec()

    def file_state_changed(self) -> None:
        self.act_save.setEnabled(not self.file_session.read_only)
        self._update_title()

    def plan_replacing(self) -> None:
        self._collapsed.clear()

    def file_opened(self, path: Path) -> None:
        QTimer.singleShot(0, self, lambda: self._zoom("zoom_fit"))

    # the file commands (the work is the session's)

    def maybe_save(self) -> bool:
        """Ask about unsaved changes (保存 / 破棄 / キャンセル); True when it is fine to go on."""
        return self.file_session.maybe_save()

    def new_file(self) -> None:
        if self.maybe_save():
            self.file_session.new(new_plan())

    def open_dialog(self) -> None:
        if not self.maybe_save():
            return
        start = str(Path(self.document.path).parent) if self.document.path else ""
        path, _ = QFileDialog.getOpenFileName(self, tr("file.open_title"), start, tr("file.filter.open"))
        if path:
            self.load_file(path)

    def open_file(self, path: str) -> bool:
        """Open ``path`` after asking about unsaved changes; errors go to a dialog."""
        return self.file_session.open_file(path)

    def load_file(self, path: str | Path) -> bool:
        """Read ``path`` into the document without asking; False (after a dialog) if it cannot be read."""
        return self.file_session.load_file(path)

    def save(self) -> bool:
        """Save to the current file (an office's own workbook: into its form)."""
        return self.file_session.save()

    def save_as(self) -> bool:
        return self.file_session.save_as()

    def write_to(self, path: str) -> bool:
        """Write the plan to ``path`` (format from the extension, atomically); a dialog on failure."""
        return self.file_session.write_to(path)

    def _fill_recent_menu(self) -> None:
        self.menu_recent.clear()
        files = recent_files()
        for n, path in enumerate(files, 1):
            label = f"&{n % 10} {Path(path).name}"
            action = self.menu_recent.addAction(label)
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda *_, p=path: self.open_file(p))
        if not files:
            self.menu_recent.addAction(tr("menu.recent.empty")).setEnabled(False)
        else:
            self.menu_recent.addSeparator()
            self.menu_recent.addAction(tr("menu.recent.clear")).triggered.connect(lambda *_: clear_recent_files())

    # ------------------------------------------------------------ window events

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if self._dropped_path(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:  # noqa: N802
        if self._dropped_path(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        path = self._dropped_path(event)
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        # Open after the drop returns, so the file manager is not blocked by a dialog.
        QTimer.singleShot(0, self, lambda: self.open_file(path))

    @staticmethod
    def _dropped_path(event) -> str | None:
        data = event.mimeData()
        if data is None or not data.hasUrls():
            return None
        for url in data.urls():
            if url.isLocalFile():
                return url.toLocalFile()
        return None

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self.maybe_save():
            event.ignore()
            return
        self.file_session.closed()
        s = settings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("window/treeHeader", self.tree.header().saveState())
        event.accept()

    def _restore_window_state(self) -> None:
        s = settings()
        for key, restore in (("window/geometry", self.restoreGeometry), ("window/state", self.restoreState),
                             ("window/splitter", self.splitter.restoreState),
                             ("window/treeHeader", self.tree.header().restoreState)):
            value = s.value(key)
            if isinstance(value, QByteArray) and not value.isEmpty():
                restore(value)
        self.tree.header().setStretchLastSection(False)  # a header saved by an older version stretched the last
        self.tree.fit_name_column()
        self.act_show_summary.setChecked(not self.tree.isColumnHidden(COL_SUMMARY))

