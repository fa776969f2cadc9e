"""The 凡例 (legend) of a plan: one entry per colour meaning, the same for print, slides, web and workbook.

:func:`legend_entries` is the one rule every output uses (the PDF/PNG layout, the .pptx and .html
exports and the saved workbook's 凡例):

1. Each bar colour used by the plan gets one entry (colours compared as upper-case ``#RRGGBB``),
   never one per (colour, kind) pair.
2. When the plan carries its workbook's own legend (:attr:`Plan.legend`, colour → word, read from
   the office's 凡例 block), a colour named there shows that word, in the block's order; block
   colours the plan does not use are left out.
3. Any other colour is named from its phases' kinds (:class:`PhaseKind`, guessed from the bar
   labels when a plan is imported): the kind word when every phase of that colour agrees on a kind;
   otherwise the words of the kinds its phases name, commonest first (ties in the usual kind order),
   at most :data:`MAX_WORDS` joined with "・" (e.g. 運用・継続); phases of kind "その他" only count
   when nothing else does. No colour name is ever invented.
4. Colours named in rule 3 with the *same* word and the same hue (an office's tints of one theme
   colour, used to set adjacent bars apart) are one meaning: one entry, shown in the colour most
   bars use. Colours differing in hue, or in word, stay apart.
5. Entries from rule 3 follow the usual kind order (検討, 準備, 実証, 導入, 運用, 継続, その他) of
   their commonest kind, then first use; a ◆ マイルストーン entry closes the list when the plan has
   milestones.

It also converts :attr:`Plan.legend` to and from its JSON form (``[{"color", "label"}]``), shared by
the plan JSON file and the workbook data sheet.
"""

from __future__ import annotations

import colorsys
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from dxroadmap.model.plan import Phase, PhaseKind, Plan, guess_kind

__all__ = ["LegendItem", "legend_entries", "legend_to_json", "legend_from_json", "MAX_WORDS", "MILESTONE_LABEL",
           "normalize_color"]

MAX_WORDS = 2  # kind words joined for a colour whose phases disagree
MILESTONE_LABEL = "マイルストーン"
_HUE_TOLERANCE = 8.0  # degrees: tints of one theme colour keep its hue up to rounding
_GREY_SATURATION = 0.08  # below this a colour has no hue worth comparing
_COLOR_RE = re.compile(r"^#?([0-9A-Fa-f]{6})$")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_KIND_ORDER = {kind: k for k, kind in enumerate(PhaseKind)}


@dataclass(frozen=True)
class LegendItem:
    """One 凡例 entry: a bar colour and its word, or the milestone mark (``milestone`` true, no colour)."""

    color: str  # "#RRGGBB" (upper case); "" for the milestone entry
    label: str
    kind: PhaseKind | None = None  # the kind the colour stands for, when one does; None for milestones
    milestone: bool = False


def normalize_color(value: str | None) -> str | None:
    """``#RRGGBB`` in upper case, or ``None`` for anything that is not a colour."""
    if not isinstance(value, str):
        return None
    m = _COLOR_RE.match(value.strip())
    return "#" + m.group(1).upper() if m else None


def _phases(plan: Plan) -> list[Phase]:
    return [ph for _, init in plan.walk() for ph in init.phases]


def _kind_words(phases: list[Phase]) -> tuple[str, PhaseKind]:
    """The word for a colour from its phases' kinds (rule 3) and the kind it mainly stands for."""
    counts = Counter(ph.kind for ph in phases)
    if len(counts) == 1:
        kind = next(iter(counts))
        return kind.label_ja, kind
    named = {k: n for k, n in counts.items() if k is not PhaseKind.CUSTOM} or dict(counts)
    ranked = sorted(named, key=lambda k: (-named[k], _KIND_ORDER[k]))
    if len(ranked) == 1:
        return ranked[0].label_ja, ranked[0]
    return "・".join(k.label_ja for k in ranked[:MAX_WORDS]), ranked[0]


def _hue(color: str) -> float | None:
    r, g, b = (int(color[i:i + 2], 16) / 255 for i in (1, 3, 5))
    h, lightness, s = colorsys.rgb_to_hls(r, g, b)
    if s < _GREY_SATURATION or lightness > 0.97:
        return None
    return h * 360


def _same_hue(a: str, b: str) -> bool:
    ha, hb = _hue(a), _hue(b)
    if ha is None or hb is None:
        return ha is None and hb is None
    d = abs(ha - hb) % 360
    return min(d, 360 - d) <= _HUE_TOLERANCE


def legend_entries(plan: Plan) -> list[LegendItem]:
    """The plan's 凡例, one entry per colour meaning (see the module docstring for the rule)."""
    by_color: dict[str, list[Phase]] = {}
    for ph in _phases(plan):
        color = normalize_color(ph.color) or ph.kind.default_color  # as the bars are painted
        by_color.setdefault(color, []).append(ph)
    items: list[LegendItem] = []
    named: set[str] = set()
    for color, label in plan.legend:
        color = normalize_color(color)
        if color is None or color in named or color not in by_color or not label.strip():
            continue
        named.add(color)
        kinds = {ph.kind for ph in by_color[color]}
        kind = next(iter(kinds)) if len(kinds) == 1 else guess_kind(label)
        items.append(LegendItem(color, label.strip(), kind))
    # rule 3: the rest, by kind words; rule 4: tints of one hue with the same word are one entry
    groups: list[tuple[str, PhaseKind, list[str], int]] = []  # label, kind, colours (commonest first), first use
    for first, (color, phases) in enumerate(by_color.items()):
        if color in named:
            continue
        label, kind = _kind_words(phases)
        for glabel, _kind, colors, _first in groups:
            if glabel == label and _same_hue(colors[0], color):
                colors.append(color)
                break
        else:
            groups.append((label, kind, [color], first))
    rest = []
    for label, kind, colors, first in groups:
        main = max(colors, key=lambda c: (len(by_color[c]), -colors.index(c)))
        rest.append((_KIND_ORDER[kind], first, LegendItem(main, label, kind)))
    items.extend(item for _, _, item in sorted(rest, key=lambda x: (x[0], x[1])))
    if any(init.milestones for _, init in plan.walk()):
        items.append(LegendItem("", MILESTONE_LABEL, None, milestone=True))
    return items


def legend_to_json(legend: list[tuple[str, str]]) -> list[dict[str, str]]:
    """:attr:`Plan.legend` as the plan JSON's ``legend`` list."""
    return [{"color": color, "label": label} for color, label in legend]


def legend_from_json(value: Any) -> list[tuple[str, str]]:
    """:attr:`Plan.legend` from the JSON ``legend`` list; entries that are not a colour and a word are skipped
    (the key is an addition readers may ignore, so a damaged one must not cost the plan)."""
    out: list[tuple[str, str]] = []
    if not isinstance(value, list):
        return out
    for item in value:
        if not isinstance(item, dict):
            continue
        color, label = normalize_color(item.get("color")), item.get("label")
        if color is None or not isinstance(label, str) or not label.strip() or len(label) > 200 or \
                _SURROGATE_RE.search(label):
            continue
        out.append((color, label))
    return out
