"""The numbers Word shows before numbered paragraphs (DOCX `numbering.xml`), which are not
in the paragraph's text.

An article numbered by Word's list (« 2.1. » before « Finesse de structuration laser » in a
real cadre de réponse) has no number in its text: its number is computed from the list
definition (`w:abstractNum` levels: start, format, `lvlText` such as « %1.%2. ») and from
the paragraphs of that list met before it.  A paragraph is in a list by its own `w:numPr`
or by its style's (« Titre 1 » tied to the template's outline list, as in a real CCAP).
Each list instance (`w:num`) counts on its own; a level restarts when a level above it
advances.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

#: an element of a DOCX's XML as python-docx gives it: an lxml element (lxml ships no types)
XmlElement = Any
#: python-docx's `qn`: « w:p » -> the tag's Clark name
QName = Callable[[str], str]

#: roman numerals' values and letters, largest first, subtractive pairs included
_ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
#: the number at the end of a label: « ARTICLE 3 - » -> 3, « 2.1. » -> 2.1, « B) » -> B
_LABEL_NUMBER = re.compile(r"([0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*)[^0-9A-Za-z]*$")


def _roman(n: int) -> str:
    out = []
    for value, letters in _ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def _letters(n: int) -> str:
    # Word's letters: a..z, then aa..zz, aaa...
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else ""


def format_number(n: int, fmt: str) -> str:
    """One counter as Word writes it in the level's format; a format we do not write
    (« ordinal », Asian scripts) as a decimal."""
    if fmt in ("bullet", "none"):
        return ""
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    style: str = ""  # the paragraph style tied to this level (« Titre2 »)


@dataclass
class _List:
    levels: dict[int, _Level]
    counters: dict[int, int] = field(default_factory=dict)


class ListNumbering:
    """The lists of one DOCX, with their counters as the body is read in order."""

    def __init__(self, document: DocxDocument, qn: QName) -> None:
        self.qn = qn
        self.lists: dict[str, _List] = {}
        self.style_num: dict[str, tuple[str, int | None]] = {}
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            numbering = None
        if numbering is not None:
            self._read_lists(numbering)
        self._read_styles(document)

    def _read_lists(self, numbering: XmlElement) -> None:
        qn = self.qn
        abstract = {a.get(qn("w:abstractNumId")): self._levels(a) for a in numbering.iterchildren(qn("w:abstractNum"))}
        for num in numbering.iterchildren(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            levels = dict(abstract.get(ref.get(qn("w:val")) if ref is not None else None, {}))
            for override in num.iterchildren(qn("w:lvlOverride")):
                ilvl = _int(override.get(qn("w:ilvl")), 0)
                lvl = override.find(qn("w:lvl"))
                if lvl is not None:
                    levels[ilvl] = self._level(lvl)
                start = override.find(qn("w:startOverride"))
                if start is not None:
                    base = levels.get(ilvl, _Level())
                    levels[ilvl] = _Level(_int(start.get(qn("w:val")), 1), base.fmt, base.text, base.style)
            self.lists[num.get(qn("w:numId")) or ""] = _List(levels)

    def _levels(self, abstract: XmlElement) -> dict[int, _Level]:
        qn = self.qn
        return {_int(lvl.get(qn("w:ilvl")), 0): self._level(lvl) for lvl in abstract.iterchildren(qn("w:lvl"))}

    def _level(self, lvl: XmlElement) -> _Level:
        qn = self.qn

        def val(tag: str) -> str | None:
            el = lvl.find(qn(tag))
            return el.get(qn("w:val")) if el is not None else None

        return _Level(_int(val("w:start"), 1), val("w:numFmt") or "decimal", val("w:lvlText") or "", val("w:pStyle") or "")

    def _read_styles(self, document: DocxDocument) -> None:
        """Style id -> (numId, ilvl or None), following `basedOn` (a style inherits its list)."""
        qn = self.qn
        own: dict[str, tuple[str, int | None]] = {}
        based: dict[str, str] = {}
        for style in document.styles:
            el = getattr(style, "element", None)
            if el is None:
                continue
            sid = style.style_id
            base = el.find(qn("w:basedOn"))
            if base is not None:
                based[sid] = base.get(qn("w:val")) or ""
            ppr = el.find(qn("w:pPr"))
            num = ppr.find(qn("w:numPr")) if ppr is not None else None
            if num is not None:
                own[sid] = self._num_pr(num)
        for sid in set(own) | set(based):
            seen, cur = 0, sid
            while cur and cur not in own and seen < 10:
                cur, seen = based.get(cur, ""), seen + 1
            if cur in own:
                self.style_num[sid] = own[cur]

    def _num_pr(self, num: XmlElement) -> tuple[str, int | None]:
        qn = self.qn
        num_id = num.find(qn("w:numId"))
        ilvl = num.find(qn("w:ilvl"))
        return (num_id.get(qn("w:val")) if num_id is not None else "") or "", _int(ilvl.get(qn("w:val")), 0) if ilvl is not None else None

    def list_of(self, p: XmlElement, style_id: str) -> tuple[str, int] | None:
        """(list, level) of a paragraph, by its own numbering or its style's; None if not in a list."""
        qn = self.qn
        ppr = p.find(qn("w:pPr"))
        num = ppr.find(qn("w:numPr")) if ppr is not None else None
        num_id, ilvl = self._num_pr(num) if num is not None else ("", None)
        style_id_num, style_ilvl = self.style_num.get(style_id, ("", None))
        num_id = num_id or style_id_num
        if num_id in ("", "0") or num_id not in self.lists:  # numId 0: numbering removed
            return None
        if ilvl is None:
            ilvl = style_ilvl if style_ilvl is not None else self._level_of_style(num_id, style_id)
        return num_id, ilvl

    def _level_of_style(self, num_id: str, style_id: str) -> int:
        for ilvl, level in self.lists[num_id].levels.items():
            if level.style and level.style == style_id:
                return ilvl
        return 0

    def next_label(self, num_id: str, ilvl: int) -> str:
        """Advance the list at this level and give the label Word shows (« 2.1. »)."""
        lst = self.lists[num_id]
        level = lst.levels.get(ilvl, _Level())
        lst.counters[ilvl] = lst.counters[ilvl] + 1 if ilvl in lst.counters else level.start
        for deeper in [k for k in lst.counters if k > ilvl]:
            del lst.counters[deeper]

        def counter(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            lvl = lst.levels.get(k, _Level())
            return format_number(lst.counters.get(k, lvl.start), lvl.fmt)

        return re.sub(r"%([1-9])", counter, level.text) if level.fmt not in ("bullet", "none") else ""


def label_number(label: str) -> str | None:
    """The number in a list label, as an article number: « ARTICLE 3 - » -> « 3 »."""
    m = _LABEL_NUMBER.search(label.strip())
    return m.group(1) if m else None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
