"""Add and delete operations on the Document, and the right-click menus of the tree and the timeline.

The operations (``add_phase_at``, ``add_initiative_near``…) each push one undo step
and return the new object so the caller can select it. ``build_context_menu`` makes
the menu for a clicked object and its row; the tree and the timeline
(``TimelineView.contextMenuRequested``) both use it.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QMenu, QWidget

from dxroadmap.model.defaults import default_phase_month, new_phase_at
from dxroadmap.model.edits import locate
from dxroadmap.model.plan import Initiative, Milestone, Phase, Pillar
from dxroadmap.ui.document import Document
from dxroadmap.ui.strings import tr

__all__ = ["add_phase_at", "add_milestone_at", "add_initiative_near", "add_subaction", "add_pillar_after",
           "delete_object", "build_context_menu", "MenuHandler"]


def add_phase_at(document: Document, initiative: Initiative, month: int | None = None) -> Phase:
    """Add the default new phase (:func:`dxroadmap.model.defaults.new_phase_at`) to ``initiative``."""
    phase = new_phase_at(document.plan, initiative, month)
    document.add_phase(initiative, phase)
    return phase


def add_milestone_at(document: Document, initiative: Initiative, month: int | None = None) -> Milestone:
    if month is None:
        month = default_phase_month(document.plan, initiative)
    milestone = Milestone(month, tr("new.milestone"))
    document.add_milestone(initiative, milestone)
    return milestone


def add_initiative_near(document: Document, ref: Pillar | Initiative | None, below: bool = True) -> Initiative:
    """A new 取組 below (or above) ``ref``; into a pillar when ``ref`` is one (a new pillar if there is none)."""
    plan = document.plan
    initiative = Initiative(tr("new.initiative"))
    if ref is None:
        if not plan.pillars:
            pillar = Pillar(tr("new.pillar"), [initiative])
            document.insert_pillar(0, pillar)
            return initiative
        ref = plan.pillars[-1]
    if isinstance(ref, Pillar):
        document.insert_initiative(ref, len(ref.initiatives) if below else 0, initiative)
    else:
        loc = locate(plan, ref)
        document.insert_initiative(loc.owner, loc.index + (1 if below else 0), initiative)
    return initiative


def add_subaction(document: Document, parent: Initiative) -> Initiative:
    child = Initiative(tr("new.subaction"))
    document.insert_initiative(parent, len(parent.children), child)
    return child


def add_pillar_after(document: Document, ref: Pillar | Initiative | None) -> Pillar:
    plan = document.plan
    pillar = Pillar(tr("new.pillar"))
    if isinstance(ref, Initiative):
        ref = next((p for p in plan.pillars if any(i is ref for i in p.walk())), None)
    index = len(plan.pillars) if ref is None else plan.pillars.index(ref) + 1
    document.insert_pillar(index, pillar)
    return pillar


def delete_object(document: Document, obj: object) -> bool:
    """Delete a phase, milestone, initiative (with its sub-actions) or pillar; False if nothing to delete."""
    if isinstance(obj, Phase):
        document.remove_phase(obj)
    elif isinstance(obj, Milestone):
        document.remove_milestone(obj)
    elif isinstance(obj, Initiative):
        document.remove_initiative(obj)
    elif isinstance(obj, Pillar):
        document.remove_pillar(obj)
    else:
        return False
    return True


class MenuHandler(Protocol):
    """What the menu's actions call (the main window)."""

    document: Document

    def created(self, obj: object, rename: bool = False) -> None: ...
    def rename(self, obj: object) -> None: ...
    def focus_inspector(self) -> None: ...


def build_context_menu(handler: MenuHandler, clicked: object, row_obj: object, month: int | None,
                       parent: QWidget | None = None) -> QMenu:
    """The right-click menu for ``clicked`` (phase, milestone, initiative, pillar or None) in ``row_obj``'s row."""
    doc = handler.document
    menu = QMenu(parent)

    def act(key: str, fn) -> None:
        menu.addAction(tr(key)).triggered.connect(lambda *_: fn())

    def edit(obj: object) -> None:
        doc.select(obj)
        handler.focus_inspector()

    if isinstance(clicked, Phase):
        act("ctx.edit_phase", lambda: edit(clicked))
        act("ctx.delete_phase", lambda: doc.remove_phase(clicked))
        menu.addSeparator()
    elif isinstance(clicked, Milestone):
        act("ctx.edit_milestone", lambda: edit(clicked))
        act("ctx.delete_milestone", lambda: doc.remove_milestone(clicked))
        menu.addSeparator()
    if isinstance(row_obj, Initiative):
        init = row_obj
        act("ctx.add_phase_here" if month is not None else "act.add_phase",
            lambda: handler.created(add_phase_at(doc, init, month)))
        act("ctx.add_milestone_here" if month is not None else "act.add_milestone",
            lambda: handler.created(add_milestone_at(doc, init, month)))
        menu.addSeparator()
        act("ctx.rename", lambda: handler.rename(init))
        act("ctx.add_initiative_above", lambda: handler.created(add_initiative_near(doc, init, below=False), True))
        act("ctx.add_initiative_below", lambda: handler.created(add_initiative_near(doc, init), True))
        act("ctx.add_subaction", lambda: handler.created(add_subaction(doc, init), True))
        menu.addSeparator()
        act("ctx.delete_initiative", lambda: doc.remove_initiative(init))
        menu.addSeparator()
        act("ctx.add_pillar_below", lambda: handler.created(add_pillar_after(doc, init), True))
    elif isinstance(row_obj, Pillar):
        pillar = row_obj
        act("ctx.rename", lambda: handler.rename(pillar))
        act("ctx.add_initiative_in", lambda: handler.created(add_initiative_near(doc, pillar), True))
        act("ctx.add_pillar_below", lambda: handler.created(add_pillar_after(doc, pillar), True))
        menu.addSeparator()
        act("ctx.delete_pillar", lambda: doc.remove_pillar(pillar))
    else:
        act("ctx.add_pillar", lambda: handler.created(add_pillar_after(doc, None), True))
        if doc.plan.pillars:
            act("act.add_initiative", lambda: handler.created(add_initiative_near(doc, None), True))
    return menu
