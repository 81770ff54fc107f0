"""Award criteria, their weights and sub-criteria, from tables and from text lists.

Forms seen in real DCEs, all handled here: a drawn table whose cells span lines
(Grenoble INP, Villeneuve); text lists "Prix : 50 %" (CEA), "Critère n°1 : Prix (35%)" with
"Sous-critère 2.1.1 … (5%)" down three levels (DAE); weights inside the name "CRITERE 1 :
VALEUR TECHNIQUE (70 % DE LA NOTE GLOBALE)" with sub-weights "Pondération sur 100" (AMF);
points "sur 50 points" (IFPRA); decimal commas "2,5 %"; "dont …" sub-rows; different sets per
lot group; a restatement later in the document (deduplicated); placeholders "XX %" (no
number); a "Total" row that may be wrong (the real sum is reported); grading scales "noté
sur 20" and candidates' selection criteria, which are not award weights.

Weights are returned as percents of the total score: points are converted with the total
of points, and sub-weights given "sur 100" inside a criterion are scaled to it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import takewhile
from typing import NamedTuple, TypeGuard

from achat_check.accents import fold
from achat_check.caseless import caseless
from achat_check.extract.criteria_kind import classify_criterion
from achat_check.extract.numbers import all_known, parse_number
from achat_check.model import (
    CriteriaGroup,
    Criterion,
    DocKind,
    Document,
    Evidence,
    Table,
    walk_criteria,
)
from achat_check.report.labels import clip
from achat_check.structure import LABEL_CELL, TOC_LEADERS, is_toc_page

NUM = r"\d{1,3}(?:[.,]\d{1,2})?"
#: a weight's unit: a percent or points (the alternatives, for a group)
WEIGHT_UNIT = r"%|pts?\b|points?\b"
#: leaders up to a weight, not a page number: « Prix des prestations ........ 40 % » is a
#: criterion, « Article 5 – Critères d'attribution ........ 12 » a line of the contents
WEIGHT_AFTER_LEADERS = re.compile(rf"(?:\.{{5,}}|…{{2,}})\s*{NUM}\s*(?:{WEIGHT_UNIT})\s*$", re.I)

ANCHOR = caseless(
    r"crit[èe]res?\s+(d['’]\s*attribution|de\s+jugement|de\s+choix|retenus|pond[ée]r|suivants|de\s+s[ée]lection\s+des\s+offres|[ée]nonc[ée]s\s+ci-dessous)"
    r"|jugement\s+des\s+offres|pond[ée]r[ée]s\s+de\s+la\s+mani[èe]re|crit[èe]res\s+et\s+pond[ée]ration"
    r"|offre\s+[ée]conomiquement\s+la\s+plus\s+avantageuse\s+(appr[ée]ci[ée]e|[ée]valu[ée]e|d[ée]termin[ée]e)",
)
NOT_AWARD = caseless(r"s[ée]lection\s+des\s+candidat|candidatures", prefilter=False)
OUT_OF_100 = r"(?:points?\s+)?sur\s+100\b(?:\s*(?:points?\b|pts?\b))?"
#: a weight: « 40 % », « 40 points », « pondéré à 40 % », « pondération = 40 % », « sur 40 points »,
#: and a number out of 100 (BOAMP notices: « Prix des prestations pondéré à 40 sur 100 points », « Le
#: critère valeur technique noté 30 sur 100 points »: 40 and 30 are the weights, not 100)
WEIGHT = caseless(
    rf"(?:\(\s*)?(?:pond[ée]r[ée]e?\s+[àa]\s+|pond[ée]ration\s*[:=]?\s*|sur\s+|not[ée]e?\s+(?={NUM}\s+sur\s+100\b))?"
    rf"(?P<n>{NUM}|X{{1,3}}(?!\s*sur))\s*(?P<u>{OUT_OF_100}|{WEIGHT_UNIT})",
    prefilter=False,
)
#: a weight given as a coefficient, as BOAMP notices write them: « Prix - Coef. 5 », « Prix des
#: prestations : (coefficient 4) », « Valeur technique : coeff 5 - Délais : coeff 3 - Prix : coeff 2 »
#: (weights in proportion to the sum of the coefficients; « (coefficient 50 %) » is a percent)
COEFFICIENT_WORD = r"\bco[eé]ff?(?:icient)?\b\.?\s*(?:de\s+pond[ée]ration\s*)?[:=]?\s*"
COEFFICIENT = caseless(rf"[\s(\-–:]*{COEFFICIENT_WORD}(?P<n>\d{{1,2}}(?:[.,]\d{{1,2}})?)\b(?!\s*%)\s*\)?", prefilter=False)
#: where one criterion given with its coefficient ends and the next starts, on one line
AFTER_COEFFICIENT = re.compile(rf"(?i:{COEFFICIENT_WORD}\d{{1,2}}(?:[.,]\d{{1,2}})?\b\)?)(?P<sep>\s*[-–;,]?\s+)(?=[A-ZÀ-Ý])")
#: a weight that is a scale, not the criterion's weight: « noté sur 20 points », « 20 points
#: pondérés à 50 % » (a BOAMP notice: the weight is the one after)
SCALE_BEFORE = re.compile(r"not[ée]e?s?\s*$", re.I)
WEIGHED_AFTER = re.compile(r"\s*pond[ée]r[ée]e?s?\s+[àa]\s", re.I)
PAREN_BARE = re.compile(rf"\(\s*(?P<n>{NUM})\s*\)\s*:?\s*$")
BARE_END = re.compile(rf"(?:^|\s)(?P<n>{NUM})\s*$")
SCALE = caseless(
    r"^\W*(chaque|les|le|la|une?|cette|ce|chacun)\b[^.]{0,60}\bnot[ée]e?s?\s+sur|attribuer\s+une\s+note|not[ée]e?s?\s+de\s+0\s+[àa]|"
    r"^\W*(chaque\s+candidat|la\s+note)\b|m[ée]thode\s+de\s+calcul|formule|(?<!pond[ée]ration)(?<!pond[ée]ration\s)=\s*\d",
    prefilter=False,
)
SUB_HEADER = caseless(r"pond[ée]ration\s+sur\s+100|not[ée]s?\s+sur\s+100\s+au\s+sein", prefilter=False)
PRIVATE_BULLETS = re.compile(r"^[\uf000-\uf0ff\u25a0-\u25ff\u2700-\u27bf]+\s*")
TOTAL_ROW = caseless(r"^\W*total\b")
#: a table's header row read as a line: « Critères Pondération lot n° 1 Pondération lot n° 2 »
#: (its lots' numbers are no weights)
HEADER_LINE = caseless(r"^\W*crit[èe]res?\s+(?:et\s+sous-crit[èe]res?\s+)?(?:pond[ée]ration|poids|points|notes?)\b")
HEADER_ROW = caseless(r"^\W*(crit[èe]res?|libell[ée]s?|intitul[ée]s?)\W*$")
NUMBERING = caseless(
    r"^\s*(?:(?P<kw>sous[- ]crit[èe]re\b|crit[èe]re\b|cr\.)\s*(?:n[°o]\s*)?(?P<kwnum>\d+(?:\.\d+)*)?\s*[:\-–—.)]?\s*)?"
    r"(?P<num>\d{1,2}(?:\.\d{1,2}){0,3})?\s*[\-–—.)/]?\s*",
)
#: « 1er critère : Le Prix (70 points) - 2ème critère : … » (a BOAMP notice)
ORDINAL_CRITERION = r"(?P<n>\d{1,2})\s*(?:er|[èe]re|re|e|[èe]me|nde?)\s+(?P<sub>sous-)?crit[èe]re\b"
ORDINAL = caseless(rf"^{ORDINAL_CRITERION}\s*[:\-–—.]?\s*")
NEXT_ORDINAL = re.compile(ORDINAL_CRITERION, re.I)
#: « Critères : » opening a list written on its line, « Pour le lot 1 : » (BOAMP notices)
LIST_WORD = caseless(r"^\W*(?:crit[èe]res\b|pour\s+(?:les?\s+)?lots?\s+(?:n[°o]\s*)?\d+(?:\s*(?:à|a|et|,)\s*\d+)*)")
#: where the announcement gives way to the first criterion
ANNOUNCED = caseless(r"\s(?:sont|seront|est|sera)\b(?:\s+les\s+suivants)?\s*:?\s+|\s*:\s+|\s+[-–—]\s+", prefilter=False)
#: a table row's label cell, then its value (« Critères d'attribution | Prix : 40 % ; … »)
AFTER_LABEL = re.compile(LABEL_CELL)
#: a name taken from a sentence starts with its article: « la valeur technique (50 points) »
ARTICLE_WORD = re.compile(r"^(?:les|le|la|du|des|de\s+la|l['’]|de\s+l['’])\s*(?=[^\W\d_])")
#: a name opening its line with its article, capitalised: « Le prix », « La valeur technique »
CAPITAL_ARTICLE = re.compile(r"[\s\-–—]*(?:(?:Les|Le|La|LES|LE|LA)\s+|L['’])(?=[^\W\d_])")
BULLETS = {"•": 2, "●": 2, "▪": 2, "➢": 3, "➤": 3, "o": 3, "◦": 3, "-": 0, "–": 0, "*": 0, "→": 0}
DONT = caseless(r"^\W*dont\b\s*:?\s*")
TRAILING_DONT = re.compile(r"[,;]?\s+dont\s*:?\s*$", re.I)
#: the lots a text names: « lot 6 », « lots 1 à 5 », « lots 1, 2 et 3 », « lots 1-2-3-4 » (a number
#: followed by a weight is no lot: « lots 1 à 5, 40 points pour le lot 6 »)
LOT_NUMBER = rf"\d{{1,3}}\b(?!\s*(?:{WEIGHT_UNIT}|[.,]\d))"
LOT_SPEC = rf"lots?\s+(?:n[°o]\s*)?{LOT_NUMBER}(?:\s*(?:à|a|-|et|,)\s*(?:n[°o]\s*)?{LOT_NUMBER})*"
LOTS_IN = caseless(rf"\b{LOT_SPEC}", prefilter=False)
#: the lots a weight is not for: « Prix (sauf pour le lot 9 : 40 %) : 60 % » (a BOAMP notice)
EXCEPT_WORD = caseless(r"\b(?:sauf|hors|except|l['’]exception)", prefilter=False)
EXCEPT_BEFORE = caseless(r"\b(?:sauf|hors|except[ée]?s?|à\s+l['’]exception\s+d[ue]s?)\s+(?:pour\s+)?(?:(?:le|les)\s+)?$", prefilter=False)
#: a criterion's weight given lot by lot on its line (BOAMP notices: « Valeur technique : 40 points
#: pour le lot 1 ; 55 points pour le lot 2 », « Prix : (pondération 40 points pour les lots 1 à 5
#: (pondération 60 points pour le lot 6 », « Prix (lots 1 et 2 : 30 points ; lots 3 et 4 : … »)
LOT_WEIGHT = caseless(
    rf"(?P<n>{NUM})\s*(?P<u>{WEIGHT_UNIT})\s*\(?\s*(?:(?:pour|sur|au|aux|dans)\s+)?(?:(?:le|les)\s+)?(?P<lots>{LOT_SPEC})"
    rf"|(?:pour\s+)?(?:(?:le|les)\s+)?(?P<lots2>{LOT_SPEC})\s*:\s*(?:pond[ée]ration\s*:?\s*)?(?P<n2>{NUM})\s*(?P<u2>{WEIGHT_UNIT})",
    prefilter=False,
)
LOT_SWITCH = caseless(r"^\W*pour\s+(les?\s+)?lots?\b")
MAX_GAP_LINES = 14
MAX_BLOCK_LINES = 160
#: a criterion's name at most: a longer one is its description too, clipped with « … »
NAME_WIDTH = 140


@dataclass
class Item:
    """One criterion line before the tree is built."""

    name: str
    value: float | None
    unit: str  # "%", "points", "coefficient" or "" (bare number)
    level: int
    offset: int
    line: str
    placeholder: bool = False
    #: the parts a criterion's line gives in parentheses, and whether this item is one of them
    parts: list[Item] = field(default_factory=list)
    inline_part: bool = False
    #: its weight lot by lot, when its line gives one per lot: (lots, weight)
    lot_weights: list[tuple[list[str], float]] = field(default_factory=list)


@dataclass
class Block:
    """A list of criteria found in one place, for some lots."""

    items: list[Item]
    lots: list[str]
    doc: Document
    start: int
    stated_total: float | None = None
    sub_on_100: bool = False
    source: str = "texte"
    header: str = ""


# --------------------------------------------------------------------------- line parsing


def _clean_name(raw: str) -> str:
    name = raw
    # a label followed by its description: "Finesse de structuration : Apprécié au regard…"
    head, sep, _ = name.partition(" : ")
    if sep and len(head.strip()) >= 3 and len(name) > 45 and not re.fullmatch(r"\W*(crit[èe]re|sous-crit[èe]re)[^:]*", head, re.I):
        name = head
    quoted = re.search(r"«\s*([^»]{2,120}?)\s*»", name)
    if quoted:
        return quoted.group(1).strip()
    name = DONT.sub("", name)
    name = TRAILING_DONT.sub("", name)  # « Performance … durable, dont : » announcing its parts
    opened = name.rfind("(")
    if opened > 0 and ")" not in name[opened:]:
        name = name[:opened]  # a name cut at its line's end inside a parenthesis: « moyens humains (profils / »
    name = re.sub(r"\s*(:|–|-|—|,)\s*$", "", name.strip())
    name = re.sub(r"[\s:]*\d{1,3}(?:[.,]\d{1,2})?\s*(?:points?|pts?|%)(?=\s+pond[ée]r[ée]e?s?\s+[àa]$)", "", name.strip(), flags=re.I)
    name = re.sub(r"\s+(pond[ée]r[ée]e?s?\s+[àa]|sur|de|pour|:)$", "", name.strip(), flags=re.I)
    name = re.sub(r"\s+(?:(?:est|sera)\s+)?not[ée]e?s?$", "", name, flags=re.I)  # « Prix noté sur 70 points »
    name = re.sub(r"\(\s*(voir|cf\.?)[^)]*\)?", "", name, flags=re.I)
    name = ARTICLE_WORD.sub("", name.strip())
    if m := CAPITAL_ARTICLE.match(name):  # « Le prix » as a table would name it: « Prix »
        name = name[m.end()].upper() + name[m.end() + 1 :]
    return " ".join(name.split()).strip(" :;,-–—.…(")


def _announced(text: str) -> str:
    """The line from its first criterion on, past the words that announce the list on the
    same line: « Les critères de jugement des offres sont : Prix … », « Les critères retenus
    sont le prix (40 points), … », « Critères : 1. Prix : 40 % 2. … »."""
    m = ANCHOR.search(text) or LIST_WORD.match(text)
    if m is None:
        return text
    if not text[: m.start()].strip(" -–•*") and (cell := AFTER_LABEL.match(text, m.end())):
        return text[cell.end() :]  # a table's row: « Critères d'attribution | Prix : 40 % ; … »
    after = ANNOUNCED.search(text, m.end())
    return text[after.end() :] if after else text


def _level_and_rest(line: str) -> tuple[int, str, bool]:
    """Level from bullets and numbering; the text after them; True when explicitly numbered."""
    s = line.strip()
    level = 0
    bullet = s[:1]
    if bullet in BULLETS and (len(s) > 1 and s[1] == " " or bullet not in ("o",)):
        if bullet != "o" or s[1:2] == " ":
            level = BULLETS[bullet]
            s = s[1:].strip()
    if DONT.match(s):
        return 2, DONT.sub("", s), True
    if m := ORDINAL.match(s):
        return (2 if m.group("sub") else 1), s[m.end() :], True
    m = NUMBERING.match(s)
    numbered = False
    if m and (m.group("kw") or m.group("num")):
        num = m.group("kwnum") or m.group("num")
        if m.group("kw") and m.group("kw").lower().startswith("sous"):
            level = max(level, num.count(".") + 1 if num else 2, 2)
        elif num:
            level = num.count(".") + 1
        else:
            level = level or 1
        numbered = True
        s = s[m.end() :]
    return level, s, numbered


def parse_item(line: str, offset: int, bare_ok: bool, max_len: int = 260, left_open: bool = False,
               scales_ok: bool = False) -> Item | None:
    """A criterion line: its name, weight (percent, points, coefficient or bare number), level,
    and the parts its parentheses give; `left_open`: a parenthesis the line never closes is
    closed at its end (none of the next lines closes it); `scales_ok`: a « noté sur » scale is
    its weight (see text_blocks)."""
    text = PRIVATE_BULLETS.sub("- ", line.strip())
    if not text or len(text) > max_len or not scales_ok and SCALE.search(text) or TOTAL_ROW.match(text):
        return None
    groups = _parts_groups(text)
    if groups and not left_open and _left_open(text):
        return None  # its parts go on on the next line: the line is read with it (see _read_block)
    base = offset + len(line) - len(line.lstrip()) - (len(text) - len(line.strip()))
    lot_weights, excepted = _lot_weights(text)
    found = _weight_of(text, groups, base, bare_ok, scales_ok, excepted)
    if found is None:
        return None
    value, unit, cut, placeholder, parts = found
    if len(lot_weights) >= 2:
        value, cut = lot_weights[0][1], min(cut, lot_weights[0][2])
    level, rest, numbered = _level_and_rest(_announced(_without(text[:cut], groups)))
    if not rest.strip() and (after := _name_after_weight(text, cut)):
        rest = after  # « 80 pts : Prix de l'offre »
    name = _clean_name(rest)
    if not name or len(name) < 2 or not re.search(r"[A-Za-zÀ-ÿ]", name):
        return None
    if value is not None and not 0 < value <= (MAX_POINTS if unit == "points" else 100):
        return None
    return Item(name=name, value=value, unit=unit, level=level or (1 if numbered else 0), offset=offset, line=text,
                placeholder=placeholder, parts=parts, lot_weights=[(lots, w) for lots, w, _ in lot_weights])


#: a criterion named after its weight (BOAMP notices: « 80 pts : Prix de l'offre », « 15 points :
#: critère environnemental »): the name follows a colon or a dash and holds no other weight
NAME_AFTER_WEIGHT = re.compile(r"\s*[:\-–—]\s*(?P<name>[^\W\d_][^:]*)$")
#: criteria given points beyond 100 weigh in proportion to them (« Prix sur 720 points /
#: Technique sur 280 points », a BOAMP notice); a percent is at most 100
MAX_POINTS = 999


def _name_after_weight(text: str, cut: int) -> str:
    """The name written after the weight that opens a line, or ""."""
    m = WEIGHT.match(text, cut)
    after = NAME_AFTER_WEIGHT.match(text, m.end()) if m else None
    return after.group("name") if after and not WEIGHT.search(after.group("name")) else ""


def _lot_weights(text: str) -> tuple[list[tuple[list[str], float, int]], list[tuple[int, int]]]:
    """(lots, weight, where it is written) of each weight a line gives for some lots, and the
    spans of those it gives for the lots it excepts: « Prix (sauf pour les lots 3 et 4 : 80 %) :
    60 % » weighs 60 %."""
    found: list[tuple[list[str], float, int]] = []
    excepted: list[tuple[int, int]] = []
    may_except = EXCEPT_WORD.search(text) is not None
    for m in LOT_WEIGHT.finditer(text):
        group = "lots" if m.group("lots") else "lots2"
        if may_except and EXCEPT_BEFORE.search(text, 0, m.start(group)):
            excepted.append(m.span())
            continue
        lots = _lots_of(m.group(group))
        weight = parse_number(m.group("n") or m.group("n2"))
        if lots and weight is not None and all(lots != seen for seen, _, _ in found):
            found.append((lots, weight, m.start()))
    return found, excepted


class Weighed(NamedTuple):
    """What a criterion's line says of its weight."""

    value: float | None
    unit: str
    cut: int  #: where the criterion's name ends
    placeholder: bool  #: « XX % », a weight left to fill in
    parts: list[Item]


def _weight_unit(m: re.Match[str]) -> str:
    """« % » for a percent or a number out of 100 (« pondéré à 40 sur 100 points »), else « points »."""
    unit = m.group("u")
    return "%" if unit == "%" or unit[:3].lower() == "sur" else "points"


def _weight_of(text: str, groups: list[tuple[int, int]], base: int, bare_ok: bool, scales_ok: bool,
               excepted: list[tuple[int, int]]) -> Weighed | None:
    """The weight of a criterion's line, where its name ends and its parts: its first
    weight outside the parentheses that hold parts (not one in a « noté sur » scale, nor one for
    the lots it excepts unless it gives no other), else its coefficient, else the sum of its
    parts, else a bare number where one is a weight."""

    def outside(m: re.Match[str], spans: list[tuple[int, int]] = groups) -> bool:
        return not any(a <= m.start() < b for a, b in spans)

    # a weight for the lots the line excepts is its weight only when it gives no other
    weights = [m for m in WEIGHT.finditer(text) if outside(m)]
    weights = [m for m in weights if outside(m, excepted)] or weights
    if weights:
        m = next((w for w in weights if (scales_ok or not SCALE_BEFORE.search(text, 0, w.start()))
                  and not WEIGHED_AFTER.match(text, w.end())), None)
        if m is None:
            return None
        placeholder = m.group("n").upper().startswith("X")
        value = None if placeholder else parse_number(m.group("n"))
        parts = _group_parts(text, groups[0], base, value) if groups else []
        return Weighed(value, _weight_unit(m), m.start(), placeholder, parts)
    if m := next((c for c in COEFFICIENT.finditer(text) if outside(c)), None):
        # « Valeur technique (moyens humains 50 % - méthodologie 50 %) - Coeff 5 »: parts as shares
        return Weighed(parse_number(m.group("n")), "coefficient", m.start(), False,
                       _group_parts(text, groups[0], base, 100.0) if groups else [])
    if groups:
        if parts := _group_parts(text, groups[0], base, None):
            # « Valeur technique (mémoire technique 15 % - moyens humains 15 %) »: its parts make its
            # weight, unless they make 100 (its shares, its own weight unsaid)
            total = sum(p.value or 0 for p in parts)
            return Weighed(None if makes_100(total) else total, parts[0].unit, groups[0][0], False, parts)
        return _weight_of(text, [], base, bare_ok, scales_ok, excepted)  # « Prix (lots 1 et 2 : 30 points ; …) »: no parts
    m = PAREN_BARE.search(text) or (BARE_END.search(text) if bare_ok else None)
    return Weighed(parse_number(m.group("n")), "", m.start(), False, []) if m else None


def _parts_groups(text: str) -> list[tuple[int, int]]:
    """The parenthesised spans of a line that hold two weights or more: a criterion's parts
    (BOAMP notices: « Valeur technique (mémoire technique 15% - moyens humains 15% - planning
    de réalisation 20%) », « Valeur technique (10 points : Solidité des matériaux / 10 points :
    Facilité de montage …) »)."""
    return [(a, b) for a, b in _paren_spans(text) if len(WEIGHT.findall(text, a + 1, b)) >= 2]


def _paren_spans(text: str) -> list[tuple[int, int]]:
    """The outermost parenthesised spans of a line; one left open runs to the line's end."""
    spans: list[tuple[int, int]] = []
    depth = start = 0
    for i, ch in enumerate(text):
        if ch == "(":
            start = i if depth == 0 else start
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i + 1))
    if depth:
        spans.append((start, len(text)))
    return spans


def _without(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with the spans that fall in it taken out."""
    for a, b in sorted(spans, reverse=True):
        if a < len(text):
            text = text[:a] + text[b:]
    return text


def _group_parts(text: str, span: tuple[int, int], base: int, whole: float | None) -> list[Item]:
    """The parts a parenthesised span gives, named before their weights (« mémoire technique
    15 % - … ») or after them (« 10 points : Solidité des matériaux / … »); none unless they
    add up to the criterion's weight or to 100 (shares of it), or when the criterion has no
    weight but its parts, and none when they are lots (« lots 1 et 2 : 30 points ; … »)."""
    a, b = span
    weights = list(WEIGHT.finditer(text, a + 1, b))
    if text[a + 1 : weights[0].start()].strip(" -–:;/,(") == "" or WEIGHT_THEN_NAME.match(text, weights[0].end()):
        names = [(w.end(), nxt.start() if nxt else b) for w, nxt in zip(weights, [*weights[1:], None], strict=True)]
    else:
        names = [(prev.end() if prev else a + 1, w.start()) for prev, w in zip([None, *weights[:-1]], weights, strict=True)]
    parts = []
    for w, (x, y) in zip(weights, names, strict=True):
        name = _clean_name(PART_INTRO.sub("", PART_MARK.sub("", text[x:y]), count=1))
        value = parse_number(w.group("n")) if not w.group("n").upper().startswith("X") else None
        if len(name) < 3 or value is None or LOTS_IN.search(name):
            return []
        said = text[min(x, w.start()) : max(y, w.end())]
        line = said.strip(PART_EDGES)
        parts.append(Item(name=name, value=value, unit=_weight_unit(w), level=0,
                          offset=base + min(x, w.start()) + said.index(line), line=line, inline_part=True))
    total = sum(p.value or 0 for p in parts)
    if whole is not None and not any(abs(total - t) < 0.01 for t in (whole, 100.0)):
        return []
    return parts


# --------------------------------------------------------------------------- blocks in text


WEIGHT_END = r"(?:(?<=%)|(?<=%\))|(?i:(?<=pts)|(?<=points)|(?<=point)|(?<=pts\))|(?<=points\))))"
HAS_WEIGHT = rf"\d\s*(?:{WEIGHT_UNIT})"
#: several criteria written on one line, each cut after its weight: « 1. Prix : 60 % 2. Valeur
#: technique : 40 % », « Prix : 60 % ; Valeur technique : 40 % »; in a sentence, where the next
#: one starts lower-case, only when it carries its own weight: « prix (60 %) ; valeur technique
#: (40 %) », the real BOAMP notice's « - prix selon rc : 40 %;- valeur technique selon rc :
#: 60 % » (one line in a text extraction of it), « le prix (40 points), la valeur technique
#: (50 points) et les performances environnementales (10 points) », a BOAMP notice's « éléments
#: techniques 50 %/éléments financiers 45%/délais de mobilisation 5% »
ITEM_AFTER_WEIGHT = re.compile(
    WEIGHT_END + r"(?![\s;,/]*(?:pour\s+)?(?:l[ea]s?\s+)?(?i:lots?)\s+(?:n[°o]\s*)?\d)"  # the next lot's weight
    r"\s*(?:"
    r"[;,.]?\s+(?=(?:\d{1,2}[.)-]|[-•➢])\s*[A-ZÀ-Ý])|[;,]\s*(?=[A-ZÀ-Ý])"
    r"|[-–;,]?\s+(?=\d{1,2}\s*(?i:er|[èe]re|re|e|[èe]me|nde?)\s+(?i:sous-)?(?i:crit[èe]re)\b)"
    rf"|[;/]\s*(?:et\s+)?(?=(?:[-•➢]\s*)?[^\W\d_][^;/]{{0,150}}?{HAS_WEIGHT})"
    rf"|(?=[-•➢]\s+[^\W\d_][^;•➢]{{0,150}}?{HAS_WEIGHT})"
    rf"|(?<=\))(?:,|\s+et)\s+(?=[^\W\d_][^,;()]{{0,150}}?\(\s*{NUM}\s*(?:%|pts?|points?)\s*\))"
    r")"
)
#: a line's piece that is only the weight opening it, after its bullet or number: its criterion is
#: named after it (« - 60 % - Prix »); `_weight_only` is a whole line that is a weight, closing a name
OPENING_WEIGHT = re.compile(rf"\W*(?:\d{{1,2}}[.)]\s*)?{NUM}\s*(?:{WEIGHT_UNIT})", re.I)
ITEM_START = caseless(r"^\s*(?:[•●▪➢➤◦*→-]|o\s|\d{1,2}(?:\.\d{1,2})*\s*[.)\-–]|(?:sous[- ])?crit[èe]re\b)")


def _lines(text: str, start: int, end: int) -> Iterator[tuple[int, str]]:
    """(offset, text) of each line between `start` and `end`; a line holding several criteria
    (« prix : 40 %;- valeur technique : 60 % ») is cut where the next one starts, after a
    weight or a coefficient."""
    pos = start
    for line in re.split(r"(?<=[\n\f])", text[start:end]):
        body = line.rstrip("\n\f")
        cursor = 0
        cuts = [m.span() for m in ITEM_AFTER_WEIGHT.finditer(body)] + [m.span("sep") for m in AFTER_COEFFICIENT.finditer(body)]
        groups = _paren_spans(body) if "(" in body else []
        for start, end in sorted(cuts):
            # a criterion's parts in parentheses, and its coefficient after them, stay on its line;
            # not the next ordinal criterion in a parenthesis left open (« 1er critère : Le Prix
            # (70 Points - 2ème critère : Le délai … », a BOAMP notice's text)
            inside = any(a < start < b for a, b in groups) and not NEXT_ORDINAL.match(body, end)
            # nor the name after a weight that opens the line (« - 60 % - Prix »)
            bare = OPENING_WEIGHT.fullmatch(body, cursor, start) is not None
            if start >= cursor and not inside and not bare and not COEFFICIENT.match(body, start):
                yield pos + cursor, body[cursor:start]
                cursor = end
        yield pos + cursor, body[cursor:]
        pos += len(line)


def text_blocks(doc: Document) -> list[Block]:
    """Criteria lists announced by an anchor sentence or found as "Critère n°…" lines."""
    blocks: list[Block] = []
    consumed_until = -1
    toc_pages = {p.number for p in doc.page_spans if is_toc_page(doc.text[p.start : p.end].split("\n"))}
    for m in ANCHOR.finditer(doc.text):
        if m.start() < consumed_until or doc.page_at(m.start()) in toc_pages:
            continue
        line_start = doc.text.rfind("\n", 0, m.start()) + 1
        line_end = doc.text.find("\n", m.end())
        anchor_line = doc.text[line_start : line_end if line_end > 0 else len(doc.text)]
        if NOT_AWARD.search(anchor_line) and not re.search(r"offres", anchor_line, re.I):
            continue
        block = _read_block(doc, line_start, anchor_line)
        if not _is_list(block) and _is_list(scaled := _read_block(doc, line_start, anchor_line, scales_ok=True)) \
                and makes_100(sum(i.value or 0.0 for i in scaled.items if i.level <= 1)):
            block = scaled  # each criterion « noté sur » its points, adding up to 100: its weight
        if _is_list(block):
            blocks += _per_lot(block)
            consumed_until = block.items[-1].offset + 1
    return blocks


def _is_list(block: Block | None) -> TypeGuard[Block]:
    return block is not None and len([i for i in block.items if i.level <= 1]) >= 2


def _read_block(doc: Document, start: int, anchor_line: str, scales_ok: bool = False) -> Block | None:
    """The criteria listed after an anchor line; with `scales_ok`, each read with its « noté sur »
    points as weight (« Prix noté sur 70 points », a BOAMP notice)."""
    item_of = partial(parse_item, scales_ok=scales_ok)
    following = doc.text[start + len(anchor_line) : start + len(anchor_line) + 200].strip().split("\n", 1)[0]
    lots = _lots_of(anchor_line) or (_lots_of(following) if ANCHOR.search(following) or "lot" in following.lower()[:60] else [])
    items: list[Item] = []
    pending: list[tuple[int, str]] = []
    gap = 0
    # bare numbers are weights when the list is announced as weighted, on its anchor's line or
    # the next one (« Jugement des offres » / « Les offres sont notées sur 100 points … »)
    bare_ok = bool(re.search(r"pond[ée]ration|sur\s+100", f"{anchor_line}\n{following}", re.I))
    sub_on_100 = False
    stated_total = None
    end = min(len(doc.text), start + 12000)
    for n, (pos, line) in enumerate(_lines(doc.text, start, end)):
        if n > MAX_BLOCK_LINES:
            break
        if SUB_HEADER.search(line):
            if items:
                sub_on_100 = True
                bare_ok = True
            pending = []
            continue
        if items and (ANCHOR.search(line) and not WEIGHT.search(line) or LOT_SWITCH.match(line)):
            break  # a new list is announced (criteria of other lots)
        if TOTAL_ROW.match(line):
            w = WEIGHT.search(line) or BARE_END.search(line)
            stated_total = parse_number(w.group("n")) if w else None
            if items:
                break
            continue
        if TOC_LEADERS.search(line) and not WEIGHT_AFTER_LEADERS.search(line) or HEADER_LINE.match(line) and not WEIGHT.search(line):
            continue
        item = item_of(line, pos, bare_ok)
        if pending and _left_open(pending[-1][1]) and ITEM_START.match(line):
            # its parenthesis is never closed (a criterion's line cut short): read as it is
            _append(items, item_of(pending[-1][1], pending[-1][0], bare_ok, left_open=True), sub_on_100)
            pending = []
        if pending and (item is None and _weight_only(line) or item is not None and _continues(line) or _left_open(pending[-1][1])):
            # a name spanning lines: the weight closes the criterion opened above
            label_pos, _ = _opening_line(pending)
            joined = " ".join(t.strip() for p, t in pending if p >= label_pos)
            item = item_of(f"{joined} {line.strip()}", label_pos, True, max_len=2000)
            if item is not None and len(item.name) > NAME_WIDTH:
                item.name = clip(item.name, NAME_WIDTH)  # a paragraph (a real RC), not its first line cut mid-phrase
            pending = []
        if item is not None and any(i.name == item.name and i.value == item.value for i in items):
            break  # the list starts again: a restatement, not new criteria
        if item is not None:
            _append(items, item, sub_on_100)
            pending = []
            gap = 0
        else:
            if items and _ends_block(doc, pos):
                break
            if line.strip():
                pending.append((pos, line))
                if len(pending) > 6:
                    pending = pending[-6:]
                gap += 1
            if items and gap > MAX_GAP_LINES:
                break
    if items and pending and _left_open(pending[-1][1]) and ITEM_START.match(pending[-1][1]):
        # the list's last line, its parenthesis never closed (« 2. Prix : (pondération 40 points
        # pour les lots 1 à 5 (pondération 60 points pour le lot 6 », a BOAMP notice)
        _append(items, item_of(pending[-1][1], pending[-1][0], bare_ok, left_open=True), sub_on_100)
    if not items:
        return None
    block = Block(items=items, lots=lots, doc=doc, start=start, stated_total=stated_total, sub_on_100=sub_on_100)
    _normalise_levels(block)
    return block


def _append(items: list[Item], item: Item | None, sub_on_100: bool) -> None:
    """Add a criterion read from a line, and the parts its parentheses give, under it."""
    if item is None:
        return
    if sub_on_100 and item.level == 0 and items:
        item.level = _last_top(items).level + 1
    items.append(item)
    for part in item.parts:
        part.level = max(item.level, 1) + 1
    items.extend(item.parts)


def _left_open(line: str) -> bool:
    """A line whose parenthesis its next line closes: « Valeur technique (nombre de commerçants
    - 30 % ; délai de » / « validité - 20 %) : 65 % »."""
    return line.count("(") > line.count(")") and WEIGHT.search(line) is not None


def _continues(line: str) -> bool:
    """A line that goes on with the previous one (lower-case start, no bullet or number)."""
    s = line.strip()
    return bool(s) and s[0].islower() and not ITEM_START.match(s)


def _opening_line(pending: list[tuple[int, str]]) -> tuple[int, str]:
    """The line that opens the criterion: the latest one with a bullet, number or
    « Critère », else the first of the last lines (a table cell spanning lines)."""
    for pos, line in reversed(pending):
        if ITEM_START.match(line):
            return pos, line
    return pending[-4:][0]


def _last_top(items: list[Item]) -> Item:
    return next((i for i in reversed(items) if i.level <= 1), items[-1])


def _completes(head: Item | None, run: float, item: Item) -> bool:
    """Whether a plain line goes on the parts of a « …, dont : » criterion whose marks the
    reader lost (an ODT list): its parts so far weigh less than it, and this one fits."""
    return (head is not None and head.value is not None and item.value is not None and item.unit == head.unit
            and run < head.value and run + item.value <= head.value + 0.01)


def _same_bullet(a: Item, b: Item) -> bool:
    return a.line.strip()[:1] == b.line.strip()[:1] and not a.line.strip()[:1].isalnum()


def _weight_only(line: str) -> bool:
    s = line.strip()
    return bool(re.fullmatch(rf"\(?\s*({NUM}|X{{1,3}})\s*(%|pts?|points?)?\s*\)?", s, re.I))


def _ends_block(doc: Document, pos: int) -> bool:
    """A new article that is not about criteria ends the list."""
    for h in doc.headings:
        if h.start == pos:
            return not _about_criteria(h.title)
    return False


def _about_criteria(title: str) -> bool:
    return bool(re.search(r"crit[èe]re|pond[ée]r|sous-crit", title, re.I))


def _lots_of(text: str) -> list[str]:
    """The lots a text names, ranges spread: « lots 1 à 3 » (or « lots 1-3 ») is 1, 2 and 3;
    « lots 1-2-4 » and « lots 1, 2 et 4 » are lists."""
    lots: list[int] = []
    for m in LOTS_IN.finditer(text):
        spec = m.group(0)
        dash_range = spec.count("-") == 1
        spread = False
        for number, sep in re.findall(r"(\d+)|(\bà\b|\ba\b|-)", spec):
            if sep:
                spread = sep != "-" or dash_range
                continue
            n = int(number)
            if spread and lots and lots[-1] < n:
                lots += range(lots[-1] + 1, min(n, lots[-1] + 30) + 1)
            elif n not in lots:
                lots.append(n)
            spread = False
    return [str(n) for n in lots]


def _per_lot(block: Block) -> list[Block]:
    """A list whose criteria weigh differently lot by lot (« Prix : 50 points pour le lot 1 ;
    35 points pour le lot 2 », « Coût d'acquisition pour les lots 1 et 2 : 60 % » and « Coût
    d'exploitation pour le lot 3 : 60 % ») is one list per group of lots weighed alike; a
    criterion given for other lots only is left out of a lot's list, with its parts."""
    named_lots = [named for i in block.items for named, _ in i.lot_weights]
    if len({tuple(named) for named in named_lots}) < 2:
        return [block]
    lots = list(dict.fromkeys(lot for named in named_lots for lot in named))
    groups: dict[tuple[float | None, ...], list[str]] = {}
    for lot in lots:
        groups.setdefault(tuple(_weight_for(i, lot) for i in block.items), []).append(lot)
    if len(groups) < 2:
        return [block]
    return [replace(block, items=_kept(block.items, values), lots=named) for values, named in groups.items()]


NOT_FOR_LOT = -1.0


def _weight_for(item: Item, lot: str) -> float | None:
    if not item.lot_weights:
        return item.value
    return next((w for named, w in item.lot_weights if lot in named), NOT_FOR_LOT)


def _kept(items: list[Item], values: tuple[float | None, ...]) -> list[Item]:
    kept, dropped_level = [], None
    for item, value in zip(items, values, strict=True):
        if dropped_level is not None and item.level > dropped_level:
            continue  # a part of a criterion not given for these lots
        dropped_level = item.level if value == NOT_FOR_LOT else None
        if dropped_level is None:
            kept.append(replace(item, value=value, lot_weights=[]))
    return kept


def _normalise_levels(block: Block) -> None:
    """Unnumbered items take the level of their bullets relative to the numbered ones."""
    items = block.items
    explicit = [i.level for i in items if i.level > 0]
    shift = min(explicit) - 1 if explicit and all(i.level > 0 for i in items) and min(explicit) > 1 else 0
    for item in items:
        item.level = max(item.level - shift, 0) if item.level else 0
    head, run = None, 0.0  # the « …, dont : » criterion whose parts are being read, and their sum
    for i, item in enumerate(items):
        if item.level == 0:
            # a plain line is a criterion, or a sub-criterion under a "…, dont :" parent
            parent = next((items[j] for j in range(i - 1, -1, -1) if not items[j].inline_part), None)
            if parent is not None and re.search(r"dont\s*:?\s*$|:\s*$", parent.line):
                head, run, item.level = parent, 0.0, parent.level + 1
            elif parent and parent.level > 1 and (_same_bullet(parent, item) or _completes(head, run, item)):
                item.level = parent.level
            else:
                head, item.level = None, 1
            run += item.value or 0.0
        else:
            head = None


# --------------------------------------------------------------------------- tables


def table_blocks(doc: Document) -> list[Block]:
    """Criteria tables: a name column and a weight column (or one weight column per lot)."""
    return [lot_block for table in doc.tables for block in _table_blocks(doc, table) for lot_block in _per_lot(block)]


def _table_blocks(doc: Document, table: Table) -> list[Block]:
    rows = [r for r in table.rows if any(c.strip() for c in r)]
    if len(rows) < 2:
        return []
    header = " ".join(rows[0]).lower()
    if not re.search(r"crit[èe]re|pond[ée]ration|poids|points", header) and not any(
        re.search(r"crit[èe]re", r[0], re.I) for r in rows
    ):
        return []
    if lot_columns := _lot_columns(rows[0]):
        # « Critères | Lot 1 | Lot 2 »: one list per lot, its rows' weights in its column
        others = [i for i in range(len(rows[0])) if i not in dict(lot_columns)]
        return [block for col, lots in lot_columns if (block := _block_of_rows(
            doc, table, [[*(r[i] for i in others if i < len(r)), r[col] if col < len(r) else ""] for r in rows], lots))]
    return [block] if (block := _block_of_rows(doc, table, rows, [])) else []


#: how far after the table's first word its rows are looked for in the text
ROWS_REACH = 8000


def _place_rows(text: str, items: list[Item], base: int) -> None:
    """Each row where the text holds it: the line of its name's first words, found in the
    rows' order from the table's start on (that line is the row's quote).  A row not found
    keeps the table's start."""
    cursor = base
    for item in items:
        words = re.findall(r"\w+", item.name)[:6]
        m = re.compile(r"\W+".join(map(re.escape, words))).search(text, cursor, cursor + ROWS_REACH) if words else None
        if m is None:
            continue
        start = text.rfind("\n", 0, m.start()) + 1  # the row's line (« dont … » before a part's name)
        start = start if start >= cursor else m.start()  # not the criterion's cell, on a part's line
        end = text.find("\n", m.end())
        item.offset, item.line = start, text[start : end if end >= 0 else len(text)]
        cursor = m.end()


def _lot_columns(header: list[str]) -> list[tuple[int, list[str]]]:
    """The weight columns of a table that weighs the criteria lot by lot, with their lots
    (« Lot 1 », « Pondération lot 2 », « Lots 3 et 4 »); none unless two or more."""
    columns = [(i, lots) for i, cell in enumerate(header) if i and (lots := _lots_of(cell))]
    return columns if len(columns) >= 2 else []


def _block_of_rows(doc: Document, table: Table, rows: list[list[str]], lots: list[str]) -> Block | None:
    header = " ".join(rows[0]).lower()
    base = table.start or 0
    if (columns := _criterion_and_sub_columns(rows[0])) is not None:
        items, stated_total = _two_level_rows(rows[1:], *columns, base)
    else:
        items, stated_total = _one_level_rows(rows, header, base)
    if len(items) < 2:
        return None
    _place_rows(doc.text, items, base)
    block = Block(items=items, lots=lots, doc=doc, start=base, stated_total=stated_total,
                  sub_on_100=bool(re.search(r"sur\s+100", header)), source=f"tableau p. {table.page}", header=header)
    _normalise_levels(block)
    return block


def _one_level_rows(rows: list[list[str]], header: str, base: int) -> tuple[list[Item], float | None]:
    """A name column and a weight column (the level said by the names' numbering)."""
    items: list[Item] = []
    stated_total = None
    for row in rows[1:] if HEADER_ROW.match(rows[0][0]) or "pond" in header else rows:
        cells = [c.strip() for c in row]
        name_cell = next((c for c in cells if re.search(r"[A-Za-zÀ-ÿ]{3}", c)), "")
        weight_cell = next((c for c in cells[1:] if WEIGHT.search(c) or re.fullmatch(NUM, c)), "")
        if TOTAL_ROW.match(name_cell):
            w = re.search(NUM, weight_cell)
            stated_total = parse_number(w.group(0)) if w else None
            continue
        if not name_cell or not weight_cell:
            continue
        item = parse_item(f"{name_cell} {weight_cell}", base, True, max_len=2000)
        if item:
            items.append(item)
    return items, stated_total


SUB_COLUMN = caseless(r"sous[- ]crit[èe]res?", prefilter=False)
CRITERION_COLUMN = caseless(r"^\W*crit[èe]res?\b")


def _criterion_and_sub_columns(header: list[str]) -> tuple[int, int] | None:
    """The columns of a table giving each criterion in one column and its sub-criteria in the
    next (« Critère | Sous-critère | Pondération », the criterion's cell merged down its
    sub-criteria's rows), or None."""
    crit = next((i for i, c in enumerate(header) if CRITERION_COLUMN.search(c) and not SUB_COLUMN.search(c)), None)
    sub = next((i for i, c in enumerate(header) if SUB_COLUMN.search(c)), None)
    return (crit, sub) if crit is not None and sub is not None and crit < sub else None


def _weight_cell(cells: list[str], columns: range) -> str:
    return next((cells[i] for i in columns if WEIGHT.search(cells[i]) or re.fullmatch(NUM, cells[i])), "")


def _two_level_rows(rows: list[list[str]], crit_col: int, sub_col: int, base: int) -> tuple[list[Item], float | None]:
    """Criteria and sub-criteria from a two-column table: a row with a sub-criterion belongs
    to the criterion above it (its merged cell is read once, empty below); the criterion's
    weight is the one written in its cell (« Valeur technique (60 %) »), the weight cell of
    its row when it has no sub-criteria, else the sum of its sub-criteria's."""
    items: list[Item] = []
    stated_total = None
    for row in rows:
        cells = [c.strip() for c in row] + [""] * (sub_col + 1 - len(row))
        crit, sub = cells[crit_col], cells[sub_col]
        # a weight column may follow each: « Critère | Pondération | Sous-critère | Pondération »
        crit_weight = _weight_cell(cells, range(crit_col + 1, sub_col))
        weight = _weight_cell(cells, range(sub_col + 1, len(cells)))
        if TOTAL_ROW.match(crit or sub):
            w = re.search(NUM, crit_weight or weight)
            stated_total = parse_number(w.group(0)) if w else None
            continue
        if crit:
            own = crit_weight or ("" if sub else weight)
            item = parse_item(crit, base, False) or parse_item(f"{crit} {own}".strip(), base, True)
            if item is None and sub:
                item = Item(name=_clean_name(crit), value=None, unit="", level=1, offset=base, line=crit)
            if item is not None:
                item.level = 1
                items.append(item)
        if sub and items and (part := parse_item(f"{sub} {weight}", base, True, max_len=2000)):
            part.level = 2
            items.append(part)
    for n, item in enumerate(items):
        if item.level != 1 or item.value is not None:
            continue
        subs = list(takewhile(lambda p: p.level == 2, items[n + 1 :]))  # its rows: those under it
        if subs and (values := all_known([p.value for p in subs])) is not None:
            item.value, item.unit = sum(values), subs[0].unit
    return items, stated_total


# --------------------------------------------------------------------------- tree and weights


def build_tree(block: Block) -> list[Criterion]:
    """Criteria with their sub-criteria, weights in percent of the total score."""
    _nest_parts(block.items, block.stated_total)
    roots: list[Criterion] = []
    stack: list[tuple[int, Criterion, Item]] = []
    top = min(j.level for j in block.items)
    units = {i.unit for i in block.items if i.level == top}
    top_unit = "points" if units == {"points"} else "coefficient" if units == {"coefficient"} else "%"
    coefficients = sum(i.value or 0 for i in block.items if i.level == top) if top_unit == "coefficient" else 0
    for item in block.items:
        crit = Criterion(
            name=item.name,
            weight=_weight(item, top_unit, coefficients),
            points=item.value if item.unit == "points" else None,
            evidence=[_evidence(block.doc, item)],
        )
        while stack and stack[-1][0] >= item.level:
            stack.pop()
        if stack:
            stack[-1][1].sub.append(crit)
        else:
            roots.append(crit)
        stack.append((item.level, crit, item))
    _weights_from_points(roots)
    for root in roots:
        _scale_subs(root, block.sub_on_100)
    for crit in walk_criteria(roots):
        crit.kind, crit.kind_reason = classify_criterion(crit.name)
    _inherit_kinds(roots)
    _mark_inside_technical(roots)
    return roots


def _weight(item: Item, top_unit: str, coefficients: float) -> float | None:
    """An item's weight in percent: as written, or its coefficient's share of the sum of the
    criteria's coefficients; points are converted once the tree is built."""
    if item.unit == "coefficient":
        return round(item.value * 100 / coefficients, 4) if coefficients and item.value is not None else None
    return item.value if top_unit == "%" or item.unit == "%" else None


def _nest_parts(items: list[Item], stated_total: float | None) -> None:
    """Items that add up to the item above them are its sub-criteria when nothing else said
    their level (a dash, a table row): « Valeur technique : 60 points » then « - Méthodologie :
    30 points », « - Planning : 15 points », « - Déchets : 15 points ».  Only when the criteria
    then add up to the whole (100, or the total the list states), as they must, and did not
    before; otherwise the list stays as read."""
    top = min((i.level for i in items), default=0)
    heads = [n for n, i in enumerate(items) if i.level == top]
    values = all_known([items[n].value for n in heads])
    if len(heads) < 3 or values is None or len({items[n].unit for n in heads}) > 1:
        return
    # points add up to 100, or to 20 or 10 (« noté sur 20 ») when the list states no total
    wholes = (stated_total,) if stated_total else (100.0, 20.0, 10.0) if items[heads[0]].unit == "points" else (100.0,)
    total = sum(values)
    if any(abs(total - whole) < 0.01 for whole in wholes):
        return
    runs = _runs_adding_up(values)
    if len(runs) > MAX_RUNS:
        return  # no list of criteria: the search below would try too many sets
    for whole in wholes:
        chosen = _runs_removing(runs, total - whole)
        if chosen:
            for k, j in chosen:
                stop = heads[j + 1] if j + 1 < len(heads) else len(items)
                for n in range(heads[k + 1], stop):
                    items[n].level += 1
            return


#: the runs of parts a list of criteria may hold at most (one per criterion split in parts)
MAX_RUNS = 12


def _runs_adding_up(values: list[float]) -> list[tuple[int, int, float]]:
    """(parent, last part, sum): the runs of two or more values right after a value that add
    up to it."""
    runs = []
    for k, parent in enumerate(values):
        run = 0.0
        for j in range(k + 1, len(values)):
            run += values[j]
            if run > parent + 0.01:
                break
            if abs(run - parent) < 0.01 and j > k + 1:
                runs.append((k, j, run))
                break
    return runs


def _runs_removing(runs: list[tuple[int, int, float]], excess: float) -> list[tuple[int, int]]:
    """Runs apart from one another whose parts weigh `excess` in all (the list's weight
    beyond its whole); the first such set in list order, none when there is none."""
    def search(start: int, after: int, left: float) -> list[tuple[int, int]] | None:
        if abs(left) < 0.01:
            return []
        for n in range(start, len(runs)):
            k, j, weight = runs[n]
            if k > after and weight <= left + 0.01 and (rest := search(n + 1, j, left - weight)) is not None:
                return [(k, j), *rest]
        return None

    return search(0, -1, excess) or [] if excess > 0.01 else []


def _inherit_kinds(crits: list[Criterion]) -> None:
    """A sub-criterion whose name has no telling word is of its criterion's kind: « Finesse
    de structuration laser » under « Performances techniques du système » is technical."""
    for crit in crits:
        if crit.kind != "other":
            for sub in crit.sub:
                if sub.kind == "other":
                    sub.kind, sub.kind_reason = crit.kind, f"sous-critère de « {crit.name} »"
        _inherit_kinds(crit.sub)


def _weights_from_points(roots: list[Criterion]) -> None:
    if not roots or not all(r.weight is None and r.points is not None for r in roots):
        return
    total = sum(r.points or 0 for r in roots)
    if not total:
        return
    for crit in walk_criteria(roots):
        if crit.points is not None:
            crit.weight = round(crit.points * 100 / total, 4)


def _scale_subs(parent: Criterion, on_100: bool) -> None:
    """Sub-weights become shares of the total: as written when they add up to the parent,
    scaled when they add up to 100 inside a criterion weighing less."""
    weights = [s.weight for s in parent.sub if s.weight is not None]
    if weights and parent.weight is not None:
        total = sum(weights)
        if (on_100 or makes_100(total)) and abs(parent.weight - 100) > 0.01 and abs(total - parent.weight) > 0.01:
            for s in parent.sub:
                if s.weight is not None:
                    s.weight = round(s.weight * parent.weight / 100, 4)
                    for ss in s.sub:
                        if ss.weight is not None and sum(x.weight or 0 for x in s.sub) > s.weight + 0.01:
                            ss.weight = round(ss.weight * parent.weight / 100, 4)
    for s in parent.sub:
        _scale_subs(s, False)


def _mark_inside_technical(roots: list[Criterion]) -> None:
    for root in roots:
        if root.kind == "technical":
            for sub in walk_criteria(root.sub):
                if sub.kind in ("environmental", "social", "sustainable"):
                    sub.inside_technical = True


def _evidence(doc: Document, item: Item) -> Evidence:
    return Evidence(
        document=doc.path,
        kind=doc.kind,
        page=doc.page_at(item.offset),
        article=heading.label[:100] if (heading := doc.heading_at(item.offset)) else None,
        start=item.offset,
        end=item.offset + len(item.line),
        quote=" ".join(item.line.split())[:300],
        quote_start=item.offset,
        matched=item.name,
    )


# --------------------------------------------------------------------------- market level


@dataclass
class CriteriaResult:
    """Criteria of the market (first lot group) and every lot group."""

    criteria: list[Criterion]
    groups: list[CriteriaGroup]
    total: float | None
    stated_total: float | None
    #: the first group's points, added up, when its criteria are given in points
    points_total: float | None = None


DOC_ORDER = {DocKind.RC: 0, DocKind.CCAP: 2, DocKind.AE: 3, DocKind.OTHER: 4, DocKind.CCTP: 5, DocKind.BPU: 6}


def _signature(block: Block) -> set[tuple[str, float | None]]:
    return {(i.name.lower()[:25], i.value) for i in block.items if i.level <= 1}


def _reads_tables(text: Block, tables: list[Block]) -> bool:
    """A list read from the lines of the document's criteria tables: each of its criteria is a
    row of one of them, with the row's weight, whose name its line holds (a line joins the
    cells of a row: « Valeur technique Méthodologie 30 points » is the part « Méthodologie »
    of a two-column table; a table weighing each lot in its own column is one list per lot).
    The tables, which know the rows' levels and lots, are the lists."""
    names = [(" ".join(j.name.lower().split()), j.value) for t in tables for j in t.items]
    return all(any(v == i.value and n in " ".join(i.name.lower().split()) for n, v in names) for i in text.items)


def _keep(chosen: list[Block], block: Block) -> None:
    """Add a block unless it restates one already kept (the richer of the two stays)."""
    sig = _signature(block)
    for i, kept in enumerate(chosen):
        other = _signature(kept)
        if sig <= other or other <= sig:
            if len(block.items) > len(kept.items):
                block.lots = block.lots or kept.lots
                chosen[i] = block
            return
    chosen.append(block)


def market_criteria(docs: list[Document]) -> CriteriaResult | None:
    """Pick the criteria lists of the market: the RC's first, restatements dropped."""
    ranked = sorted(docs, key=lambda d: (0 if DocKind.RC in d.roles else DOC_ORDER.get(d.kind, 9), d.path))
    chosen: list[Block] = []
    for doc in ranked:
        tables = table_blocks(doc)
        texts = [b for b in text_blocks(doc) if not _reads_tables(b, tables)]
        for block in sorted(tables + texts, key=lambda b: b.start):
            _keep(chosen, block)
        if chosen:
            break  # the first piece that states criteria prevails over restatements elsewhere
    if not chosen:
        return None
    read = [span for b in chosen for span in _inline_parts(b)]
    chosen = [b for b in chosen if not _inside(b, read)] or chosen
    trees = [build_tree(b) for b in chosen]
    trees, chosen = _attach_sub_tables(trees, chosen)
    groups = [CriteriaGroup(lots=b.lots, criteria=t) for b, t in zip(chosen, trees, strict=True)]
    for g in groups:
        g.total = _total(g.criteria)
    first = groups[0]
    points = all_known([c.points for c in first.criteria])
    return CriteriaResult(criteria=first.criteria, groups=groups if len(groups) > 1 else [], total=first.total,
                          stated_total=chosen[0].stated_total,
                          points_total=round(sum(points), 4) if points else None)


#: a criterion's parts given in one sentence after the list, each weight in parentheses:
#: « La valeur technique est notée selon les sous-critères suivants : qualité des produits
#: (15 points), délais de livraison (15 points). », « La performance environnementale est
#: appréciée au regard de la part de mobilier issu du réemploi (10 points) et des modalités
#: de reprise (10 points). »  (the real DCEs give one « Sous-critère 2.1 : … (20%) » a line)
PAREN_WEIGHT = caseless(rf"\(\s*(?P<n>{NUM})\s*(?P<u>{WEIGHT_UNIT})\s*\)", prefilter=False)
#: what the sentence does with its criterion before naming the parts, when no colon does
INLINE_VERB = caseless(
    r"\b(?:est|sont|sera|seront)\s+(?:not|appr[ée]ci|[ée]valu|jug|d[ée]compos|analys)\w*\b[^:()]*?"
    r"\s(?:au\s+regard|selon|en\s+fonction|sur\s+la\s+base|[àa]\s+partir)\s+(?:d['’]\s*|de\s+|des\s+|du\s+)?",
    prefilter=False,
)
#: a sentence: up to a full stop before a capital or at a line's end, or up to a line that
#: a capital opens, or a blank line
SENTENCE = re.compile(r"(?:[^.\n]|\.(?![ \t]*\n|\s+[A-ZÀ-Ý«(]|\s*$)|\n(?![A-ZÀ-Ý«\n]))+\.?")
#: what joins a part to the one before it, and its mark (« ; b) »); after « au regard de »,
#: its own « de » (« … (10 points) et des modalités de reprise (10 points) »)
PART_LINK = re.compile(r"[\s,;]*(?:(?:et|ainsi\s+que|puis)\s+)?(?:[a-z1-9]\)\s*|[-–•]\s+)?")
PART_OF = re.compile(r"(?:des|du|de)\s+|d['’]\s*")
INLINE_REACH = 4000
#: what opens or closes a part in parentheses: its dash, colon, slash or « et »
PART_EDGES = " -–:;/,()+&"
PART_EDGE_RUN = rf"[\s{re.escape(PART_EDGES)}]*"
PART_MARK = re.compile(rf"(?i)^{PART_EDGE_RUN}(?:et\s+|dont\s+|pour\s+(?:l[ae]s?\s+|l['’]\s*)?)?|{PART_EDGE_RUN}(?:\bet)?\s*$")
#: parts weighed then named (« 50 points : Pertinence de la démarche d'insertion - 20 points : … »),
#: after a description (« (Appréciée au regard du mémoire technique : - 50 points : … »)
WEIGHT_THEN_NAME = re.compile(r"\)?\s*:\s*[^\W\d_]")
#: what a part's name follows when the criterion's description comes first: « (appréciée d'après
#: le mémoire technique dont équipe (20 %) et méthodologie (30 %)) »
PART_INTRO = re.compile(r".*(?:\bdont\b|:)\s*(?=\S{3})")
#: a colon right after a criterion's weight opens its parts
OPENS_PARTS = re.compile(r"\s*:")


def _inline_parts(block: Block) -> list[tuple[int, int]]:
    """Add the parts of a criterion given in a sentence after the list as its sub-criteria;
    the spans of the sentences read, whose lines no other list may claim.  A sentence counts
    when it names a criterion of the list that has no parts yet and its weights add up to
    that criterion's (or to 100, shares of it); what the line reader took from it (its first
    part, as a criterion) is replaced."""
    doc = block.doc
    last = max(i.offset for i in block.items)
    end = min(len(doc.text), last + INLINE_REACH)
    end = next((h.start for h in doc.headings if last < h.start < end and not _about_criteria(h.title)), end)
    read: list[tuple[int, int]] = []
    for m in SENTENCE.finditer(doc.text, block.start, end):
        if len(PAREN_WEIGHT.findall(m.group(0))) >= 2 and (items := _sentence_parts(m.group(0), m.start(), block.items)):
            block.items = items
            read.append(m.span())
    return read


def _sentence_parts(sentence: str, offset: int, items: list[Item]) -> list[Item] | None:
    """The list's items with the parts a sentence gives inserted under the criterion it
    names, or None when it names none or its parts do not add up.  What the line reader took
    from the sentence gives way to the parts (its first part read as a criterion), but the
    criterion that opens it (« Valeur technique : 60 %, décomposée comme suit : a) … »)."""
    weights = list(PAREN_WEIGHT.finditer(sentence))
    if len(weights) > 2 and OPENS_PARTS.match(sentence, weights[0].end()):
        weights = weights[1:]  # the criterion's own weight: « Valeur technique (60 %) : méthodologie (30 %) ; … »
    if len(weights) < 2 or sentence[weights[-1].end() :].strip(" .;\n\f"):
        return None
    colon = sentence.rfind(":", 0, weights[0].start())
    verb = INLINE_VERB.search(sentence, 0, weights[0].start()) if colon < 0 else None
    if colon >= 0:
        head, cursor = sentence[:colon], colon + 1
    elif verb is not None:
        head, cursor = sentence[: verb.start()], verb.end()
    else:
        return None
    # a criterion opens the sentence when its weight comes first, outside the parentheses
    first = WEIGHT.search(sentence)
    opened = first is not None and not any(w.start() <= first.start() < w.end() for w in weights)
    said = _folded(head)
    inside = {id(i) for i in items if offset <= i.offset < offset + len(sentence) and not (opened and _folded(i.name) in said)}
    kept = [i for i in items if id(i) not in inside]
    top = min(i.level for i in items)
    parent = _named_in(said, [i for i in kept if i.level == top])
    if parent is None:
        return None
    at = next(n for n, i in enumerate(kept) if i is parent) + 1
    if at < len(kept) and kept[at].level > top:
        return None  # its parts are already read
    values = all_known([parse_number(w.group("n")) for w in weights])
    if values is None or not any(abs(sum(values) - whole) < 0.01 for whole in (parent.value or 0, 100.0)):
        return None
    subs: list[Item] = []
    for w, value in zip(weights, values, strict=True):
        link = PART_LINK.match(sentence, cursor, w.start())
        assert link is not None, "PART_LINK matches the empty string"
        cursor = link.end()
        if verb is not None and (of := PART_OF.match(sentence, cursor, w.start())):
            cursor = of.end()
        name = _clean_name(sentence[cursor : w.start()])
        if len(name) < 3:
            return None
        line = " ".join(sentence[cursor : w.end()].split())
        subs.append(Item(name=name, value=value, unit=_weight_unit(w), level=top + 1,
                         offset=offset + cursor, line=line))
        cursor = w.end()
    return kept[:at] + subs + kept[at:]


def _folded(text: str) -> str:
    """Lowercase, unaccented, single-spaced: how a sentence's head and a criterion's name compare."""
    return " ".join(fold(text).split())


def _named_in(folded: str, items: list[Item]) -> Item | None:
    """The criterion a sentence's head (folded) names: its first two words (« valeur
    technique » for « Valeur technique, appréciée au vu du mémoire technique »)."""
    for item in items:
        words = re.findall(r"[a-z0-9]+", fold(item.name))
        words = [w for w in words if w not in ("le", "la", "les", "l", "critere", "n", "no")][:2]
        if words and re.search(r"\b" + r"\W+".join(words) + r"\b", folded):
            return item
    return None


def _inside(block: Block, spans: list[tuple[int, int]]) -> bool:
    """A list whose every line lies in sentences read as another list's parts."""
    return bool(spans) and all(any(a <= i.offset < b for a, b in spans) for i in block.items)


SUB_TABLE = caseless(r"niveau\s*2|sous[- ]crit|crit[èe]res?\s+techniques", prefilter=False)


def _attach_sub_tables(trees: list[list[Criterion]], blocks: list[Block]) -> tuple[list[list[Criterion]], list[Block]]:
    """A table of technical sub-criteria weighing 100 (an annex of the RC) belongs under
    the technical criterion of the first list, scaled to its weight."""
    if len(trees) < 2:
        return trees, blocks
    technical = [c for c in trees[0] if c.kind == "technical" and not c.sub and c.weight]
    keep_t, keep_b = [trees[0]], [blocks[0]]
    for tree, block in zip(trees[1:], blocks[1:], strict=True):
        total = _total(tree)
        if len(technical) == 1 and not block.lots and SUB_TABLE.search(block.header) and total and makes_100(total):
            parent = technical[0]
            weight = parent.weight or 0.0  # never 0: `technical` keeps the weighed ones only
            for sub in tree:
                sub.weight = round(sub.weight * weight / 100, 4) if sub.weight is not None else None
                if sub.kind in ("environmental", "social", "sustainable"):
                    sub.inside_technical = True
            parent.sub = tree
            _inherit_kinds([parent])
            continue
        keep_t.append(tree)
        keep_b.append(block)
    return keep_t, keep_b


def makes_100(total: float | None) -> bool | None:
    """Whether weights summing to `total` make 100 % (None: some weight unknown)."""
    return None if total is None else abs(total - 100) < 0.01


def _total(criteria: list[Criterion]) -> float | None:
    weights = all_known([c.weight for c in criteria])
    return round(sum(weights), 4) if weights else None
