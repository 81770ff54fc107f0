"""Insertion hours and the facilitator's name, read in the section that holds the clause.

The hours indicator is the total over the market's maximum duration: "1 200 heures par
an" for four years is 4 800 hours; "2 ETP, un ETP correspondant à 1 607 heures" is 3 214
hours with the document's own conversion; a share of the labour hours is kept as a share.
The figure as stated and its period stay beside the total.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from achat_check.caseless import caseless
from achat_check.extract.numbers import NUMBER, fmt_count, parse_number
from achat_check.model import Document

#: « 1 200 heures », « sept cents (700) heures » (the figures after the words, as the real
#: payment delays write « trente (30) jours »)
HOURS = caseless(rf"(?<![\d,.])(?P<n>{NUMBER}|X{{2,}})(?:(?<=\d)\))?\s*(?:heures?|h)\b(?P<tail>[^.;\n]{{0,100}})", prefilter=False)
ETP = caseless(rf"(?<![\d,.])(?P<n>{NUMBER})\s*(?:ETP|[ée]quivalents?\s+temps\s+plein)\b", prefilter=False)
ETP_CONVERSION = caseless(
    rf"(?:un|1|chaque)\s+(?:ETP|[ée]quivalent\s+temps\s+plein)\s+(?:=|correspond\w*\s+[àa]|repr[ée]sente|[ée]quivaut\s+[àa]|soit|vaut)\s+(?P<n>{NUMBER})\s*heures",
    prefilter=False,
)
SHARE = caseless(
    rf"(?P<n>{NUMBER})\s*%\s+(?:du\s+(?:nombre|volume)\s+(?:total\s+)?d['’]heures|des\s+heures(?:\s+de\s+travail)?|du\s+temps\s+de\s+travail)",
    prefilter=False,
)
PERIODS = [
    (caseless(r"par\s+an\b|par\s+ann[ée]e|annuel|chaque\s+ann[ée]e|ann[ée]e\s+d['’]ex[ée]cution", prefilter=False), "an"),
    (caseless(r"par\s+mois|mensuel", prefilter=False), "mois"),
    (caseless(r"sur\s+(la|toute\s+la)\s+dur[ée]e|pendant\s+(toute\s+)?la\s+dur[ée]e|au\s+total|sur\s+l['’]ensemble|du\s+chantier", prefilter=False), "marché"),
]
#: the lot a sentence is about, and the wording of a sentence about several
LOT_NAMED = caseless(r"\blot\s*(?:n[°o]\s*)?(\d{1,2})\b", prefilter=False)
SEVERAL_LOTS = caseless(r"\blots\b|\bchaque\s+lot|\btous\s+les\s+lots", prefilter=False)
INSERTION_WORDS = caseless(r"insertion|r[ée]serv|[ée]loign|difficult|clause sociale", prefilter=False)
SECTION_CAP = 5000
#: the facilitators' usual names, as written with or without capitals (« Maison de l'Emploi de Lyon »)
FACILITATOR_NAME = re.compile(
    r"\b((?:PLIE|(?i:Maison\s+de\s+l['’]emploi|Mission\s+locale|Plan\s+local\s+pour\s+l['’]insertion\s+et\s+l['’]emploi))"
    r"(?:\s+(?:du|de\s+la|de\s+l['’]|des|d['’]|de)\s*[A-ZÉÈÀ][\w'’\-]*(?:[\s\-][A-ZÉÈÀ][\w'’\-]*|\s+(?:de|du|des|d['’])\s*[A-ZÉÈÀ][\w'’\-]*)*)?)"
)
AFTER_PAR = caseless(r"mis\s+en\s+(?:œ|oe)uvre\s+par\s*:?\s*(?P<name>[^\n,;.]{3,80})", prefilter=False)


@dataclass
class Hours:
    """Insertion hours as stated and as a total over the market."""

    stated: float | None = None
    period: str | None = None
    total: float | None = None
    basis: str | None = None
    etp: float | None = None
    share: float | None = None
    start: int = 0
    end: int = 0


def section_of(doc: Document, offset: int) -> tuple[int, int]:
    """Span of the innermost section around an offset (bounded)."""
    heading = doc.heading_at(offset)
    if heading is None:
        return max(0, offset - 800), min(len(doc.text), offset + 1200)
    return heading.start, min(heading.end, heading.start + SECTION_CAP, len(doc.text))


def read_hours(doc: Document, start: int, end: int, max_months: float | None, duration_basis: str | None = None) -> Hours | None:
    """The insertion hours stated in text[start:end], converted to a total when possible;
    `duration_basis` says where `max_months` comes from when not from the documents
    (« durée selon le registre »)."""
    text = doc.text[start:end]
    conv = ETP_CONVERSION.search(text)
    etp = next((m for m in ETP.finditer(text) if not (conv and conv.start() <= m.start() < conv.end())), None)
    if etp:
        n = parse_number(etp.group("n"))
        hours = Hours(etp=n, start=start + etp.start(), end=start + etp.end())
        if n and conv:
            per = parse_number(conv.group("n"))
            hours.stated = n * per if per else None
            hours.basis = f"{fmt_count(n)} ETP × {fmt_count(per or 0)} heures (conversion du document)"
            hours.period = _period(text[etp.end() : etp.end() + 120]) or "marché"
            return _total(hours, max_months, duration_basis)
        return hours if n else None
    stated = _stated_hours(text, conv)
    if stated:
        first = stated[0]
        hours = Hours(stated=first.value, period=first.period, start=start + first.start, end=start + first.end)
        if first.value is None:
            hours.basis = "nombre d'heures laissé à compléter dans le document"
            return hours
        hours.basis = f"{fmt_count(first.value)} heures {_period_label(first.period)}"
        if lots := _per_lot(stated):
            hours.stated = sum(h.value or 0.0 for h in lots)  # each has one (see _per_lot)
            hours.basis = " ; ".join(f"lot {h.lot} : {fmt_count(h.value or 0)} heures" for h in lots) + f" {_period_label(first.period)}"
        return _total(hours, max_months, duration_basis)
    share = SHARE.search(text)
    if share:
        value = parse_number(share.group("n"))
        return Hours(share=value / 100 if value is not None else None, start=start + share.start(), end=start + share.end(),
                     basis=f"{share.group(0)} (part des heures travaillées)")
    return None


@dataclass
class Stated:
    """Hours written once in a section: the figure, its period, the lot its sentence names."""

    value: float | None
    period: str | None
    lot: str | None
    start: int
    end: int


def _stated_hours(text: str, conv: re.Match[str] | None) -> list[Stated]:
    """Every mention of insertion hours in a section, in order (the ETP conversion's hours,
    and « 2h » off a line about insertion, left out)."""
    found: list[Stated] = []
    for m in HOURS.finditer(text):
        if conv and conv.start() <= m.start() < conv.end():
            continue
        sentence = _sentence_around(text, m.start())
        if _abbreviated(m):
            if not INSERTION_WORDS.search(_line_around(text, m.start())):
                continue
        elif not INSERTION_WORDS.search(sentence) and not INSERTION_WORDS.search(text[:200]):
            continue
        lots = {n.lstrip("0") for n in LOT_NAMED.findall(sentence)}
        found.append(Stated(parse_number(m.group("n")), _period(m.group("tail")) or _period(sentence),
                            lots.pop() if len(lots) == 1 and not SEVERAL_LOTS.search(sentence) else None, m.start(), m.end()))
    return found


def _per_lot(stated: list[Stated]) -> list[Stated]:
    """The hours of each lot, when the section gives them lot by lot (« Le titulaire du lot 1
    réalise … soit 140 heures. Le titulaire du lot 3 réalise 70 heures d'insertion. »): the
    market's hours are their sum.  Only when every mention names one lot, no lot twice, all
    for the same period; otherwise [] (the first figure stands)."""
    if len(stated) < 2 or any(h.lot is None or h.value is None for h in stated):
        return []
    if len({h.lot for h in stated}) < len(stated) or len({h.period for h in stated}) > 1:
        return []
    return stated


def _abbreviated(m: re.Match[str]) -> bool:
    """« 2h » rather than « 2 heures »: a time of day or a meeting's length (a real CCTP's
    steering meeting on the clause: « Durée : 1h30 à 2h », in a table whose lines have no full
    stop), hours of insertion only on a line that says so."""
    return not m.group(0)[len(m.group("n")) :].strip().lower().startswith("heure")


def _line_around(text: str, pos: int) -> str:
    end = text.find("\n", pos)
    return text[text.rfind("\n", 0, pos) + 1 : end if end >= 0 else len(text)]


def _sentence_around(text: str, pos: int) -> str:
    lo = max(text.rfind(".", 0, pos), text.rfind("\n\n", 0, pos), 0)
    hi = text.find(".", pos)
    return text[lo : hi if hi > 0 else len(text)]


def _period(text: str) -> str | None:
    for rx, period in PERIODS:
        if rx.search(text):
            return period
    return None


def _period_label(period: str | None) -> str:
    return {"an": "par an", "mois": "par mois", "marché": "sur la durée du marché"}.get(period or "", "(période non précisée)")


def _total(hours: Hours, max_months: float | None, duration_basis: str | None) -> Hours:
    if hours.stated is None:
        return hours
    if hours.period in ("marché", None):
        hours.total = hours.stated
        hours.basis = (hours.basis or "") + ("" if hours.period else " ; pris comme total du marché")
    elif max_months:
        factor = max_months / 12 if hours.period == "an" else max_months
        hours.total = round(hours.stated * factor, 2)
        unit = ("ans" if factor >= 2 else "an") if hours.period == "an" else "mois"
        hours.basis = f"{hours.basis} × {fmt_count(factor)} {unit} ({duration_basis or 'durée maximale du marché'})"
    else:
        hours.basis = f"{hours.basis} ; durée maximale du marché introuvable, total non calculé"
    return hours


def facilitator_name(doc: Document, start: int, end: int) -> str | None:
    """Name of the facilitator around a detection (PLIE du …, Maison de l'emploi de …)."""
    window = doc.text[max(0, start - 200) : min(len(doc.text), end + 300)]
    m = FACILITATOR_NAME.search(window)
    if m:
        return " ".join(m.group(1).split())
    m = AFTER_PAR.search(window)
    if m:
        return " ".join(m.group("name").split())
    return None
