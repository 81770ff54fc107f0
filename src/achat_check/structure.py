"""Turn a reader's pages into clean text with pages, articles and offsets.

Steps, in order: normalise characters; drop headers and footers that repeat at the top
or bottom of pages (and bare page numbers); join words cut at line ends
("environne-\\nmentales"); collapse letter-spaced titles ("D I S P O S I T I F"); then
find articles and numbered headings.  The offsets of the cleaned text are the ones every
later stage and the web page use.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import accumulate, chain
from operator import add

from achat_check.lexicon import lexicon
from achat_check.model import DocKind, Heading, PageSpan, Table
from achat_check.raw import RawDocument, RawPage

PAGE_SEP = "\f"
#: a table row read as a line, between its label cell and its value: a tab in Word and ODT
#: tables, a space before a capital in a PDF's (« Objet\tEntretien des espaces verts »,
#: « Objet Acquisition d'une machine … »)
LABEL_CELL = r"(?:[ \t]*\t|[ \t]+(?=[A-ZÀ-Ý]))"
EDGE_LINES = 6
SOFT = "\ufffe"
CHAR_FIXES = str.maketrans(
    {
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u2007": " ",
        "\x02": SOFT,
        "\u00ad": SOFT,
        "\u2010": "-",
        "\u2011": "-",
        "\x0c": " ",
        "\x0b": " ",
        "\u200b": "",
        "\ufeff": "",
    }
)
PAGE_NUMBER = re.compile(
    r"^(?:page\s*:?\s*)?#(?:\s*(?:/|sur|de|of)\s*#)?$|^-\s*#\s*-$|^p\.\s*#$|^\[?#\]?$", re.I
)
SOFT_INLINE = re.compile(r"(\w{1,40})" + SOFT + r"\s*(\w{1,40})")
LETTER_SPACED = re.compile(r"^(?:\S {1,2}){3,}\S$")
PAGE_WORD = re.compile(r"\bpage\b|\bp\.\s*\d", re.I)
DIGITS = re.compile(r"\d+")

ARTICLE_RE = re.compile(
    r"^\s*(?:ARTICLE|Article|ART\.?|Art\.)\s*(?:n°\s*)?"
    r"(\d{1,3}(?:[.\-]\d{1,3}){0,4}|[IVXLC]{1,6}|(?i:premier|1er|unique))\b\.?"
    r"\s*(?:[-–—:.)/]\s*)?(.*)$"
)
#: « Article 8 du CCAG », « Article R2191 de la … »: a reference to another text's article
REFERENCE_TITLE = re.compile(r"(?:du|des|de|au|aux)\b")
TITLE_DASH = re.compile(r"[-–—:]")
CHAPTER_RE = re.compile(r"^\s*(?:CHAPITRE|Chapitre|TITRE|Titre|PARTIE|Partie)\s+(\d{1,2}|[IVXLC]{1,6})\b\s*[-–—:.]?\s*(.*)$")
NUMBERED_RE = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2}){0,4})(?:\.|\s*[-–—)]|(?=[A-ZÀ-Ý]))?\s*(\S.*)$")
ROMAN_RE = re.compile(r"^\s*([IVX]{1,4}(?:\.\d{1,2}){0,3})\s*[.\-–—)]\s*(\S.*)$")
HEADING_FIRST = frozenset("ACTPIVX")  # ARTICLE/Art., CHAPITRE, TITRE, PARTIE, roman numerals
#: a table's row of figures (« L3-UO6-S 10 7 5 », days per level of complexity) ends with
#: several numbers; a table of contents' entry ends with one, its page
FIGURES_END = re.compile(r"\d\s+\d{1,3}\s*$")
#: a contents entry's dotted leaders (« ....... 27 », « …… 27 », « . . . . . 27 »), the one
#: pattern structure, detection, criteria and citations read contents by; and the entry:
#: leaders or a final page number
TOC_LEADERS = re.compile(r"\.{4,}|…{2,}|(?:\. ){4,}")
TOC_LINE = re.compile(TOC_LEADERS.pattern + r"|(?:\s|\.)\d{1,3}\s*$|\t\d{1,3}\s*$")
#: a title whose last word is a number it needs, not a page: « ARTICLE 2 : OBJET DU LOT 2 »
#: (a real CCTP), « Annexe 3 », « Phase 1 », « 01.34 Recommandations COVID 19 » (another)
NUMBERED_NOUN_END = re.compile(r"\b(?:lots?|n°|tranches?|phases?|annexes?|articles?|chapitres?|sites?|zones?|secteurs?|b[âa]timents?|covid)\s+\d{1,3}\s*$",
                               re.I)
MONTHS = ("janvier", "février", "fevrier", "mars", "avril", "mai", "juin", "juillet", "août", "aout",
          "septembre", "octobre", "novembre", "décembre", "decembre")
TRAILING_FIGURE = re.compile(r"\d\s*(%|pts?|points?|€|euros?|HT|TTC)\s*$", re.I)
TITLE_START = re.compile(r"^[«\"“(]?[A-ZÀ-ÝŒ]")
#: a bare number and its mark opening a line (« 2- », « 3. », « 4) »): a list's items share the mark
ITEM_MARK = re.compile(r"\s*(\d{1,2})\s*([-.)–])(?!\d)")
LIST_LOOKBACK = 40  # lines: a list's items and sub-items are read back up to the line announcing them
#: the end of a line whose next line's number is not a heading's (see `_follows_on`)
NUMBER_ANNOUNCED = re.compile(r"(?::|\b(?:n°|no|tranches?|phases?))$", re.I)
#: « 7 Rue de Jouy, 75004 Paris. » (the court's address in a real RC) is no article 7
STREET_ADDRESS = re.compile(r"(?:rue|avenue|boulevard|bd|place|all[ée]e|impasse|quai|chemin|route|cours|square|esplanade)\b"
                            r".*\b\d{5}\b", re.I)
#: a unit of work titled in an IT framework agreement's CCTP (the DAE's « L4-UO1 : PRISE DE
#: CONNAISSANCE D'UN CONTEXTE SPECIFIQUE »): a section, whose inner « 1. Objet » … « 8.
#: Indicateurs » restart in every unit; a bare « UO1 » is a table's cell, not a title
UNIT_OF_WORK = re.compile(r"^\s*((?:L(?:ot)?\s?\d{1,2}\s?[-–.]\s?)?UO\s?\d{1,3}(?:[.-]\d{1,2}){0,2})\s*[:–—-]\s*(\S.*)$")


@dataclass
class Structured:
    """Clean text of a document and what the structure step found in it."""

    text: str
    page_spans: list[PageSpan]
    headings: list[Heading]
    tables: list[Table]
    removed: list[str] = field(default_factory=list)
    hyphenations: int = 0
    #: the pieces of a combined DCE (one PDF holding the RC, the CCAP, the CCTP): where each
    #: begins and which it is; empty for a document of one piece
    parts: list[tuple[int, DocKind]] = field(default_factory=list)


def build(raw: RawDocument) -> Structured:
    """Clean and structure a raw document."""
    pages = [_normalise(p) for p in raw.pages]
    removed: list[str] = []
    if raw.paginated and len(pages) >= 2:
        removed = _drop_running_lines(pages)
    else:
        _drop_page_numbers(pages)
    parts: list[str] = []
    spans: list[PageSpan] = []
    line_offsets: list[dict[int, int]] = []
    hyphenations = 0
    pos = 0
    for number, page in enumerate(pages, start=1):
        text, offsets, joined = _join_lines(page)
        hyphenations += joined
        spans.append(PageSpan(number=number, start=pos, end=pos + len(text), ocr=page.ocr))
        line_offsets.append({i: pos + o for i, o in offsets.items()})
        parts.append(text)
        pos += len(text) + len(PAGE_SEP)
    full = PAGE_SEP.join(parts)
    pieces = _pieces(pages, line_offsets)
    headings = _find_headings(full, pages, spans, line_offsets, unnumbered=_may_have_unnumbered_titles(raw, pages),
                              part_starts=[start for start, _ in pieces[1:]])
    tables = _locate_tables(raw.tables, full, spans)
    return Structured(full, spans, headings, tables, removed, hyphenations, pieces)


#: a piece's title opens its page: within its first lines (a running header is gone)
PIECE_TITLE_LINES = 3


def _pieces(pages: list[RawPage], line_offsets: list[dict[int, int]]) -> list[tuple[int, DocKind]]:
    """Where each piece of a combined DCE begins: a page opened by a piece's title in
    capitals (« CAHIER DES CLAUSES ADMINISTRATIVES PARTICULIÈRES »), when the document holds
    two pieces or more; one piece (any ordinary RC or CCAP) gives none."""
    from achat_check.ingest.kind import piece_title  # the ingest package imports this module

    found: list[tuple[int, DocKind]] = []
    for page, offsets in zip(pages, line_offsets, strict=True):
        written = []  # the page's first written lines, and the one after them
        for i, line in enumerate(page.lines):
            if line.strip():
                written.append(i)
                if len(written) > PIECE_TITLE_LINES:
                    break
        for n, i in enumerate(written[:PIECE_TITLE_LINES]):
            kind = piece_title(page.lines[i])
            if kind is not None:
                # a title, not the list of the DCE's pieces in capitals, one per line
                listed = n + 1 < len(written) and piece_title(page.lines[written[n + 1]]) is not None
                if i in offsets and not listed and (not found or found[-1][1] != kind) and not is_toc_page(page.lines):
                    found.append((offsets[i], kind))
                break
            if page.lines[i].rstrip().endswith((".", ":", ";", ",")):
                break  # a sentence opens the page: whatever follows is in its body
    return found if len({kind for _, kind in found}) >= 2 else []


# --------------------------------------------------------------------------- cleaning


SPECIAL_CHARS = re.compile("[" + "".join(re.escape(chr(k)) for k in CHAR_FIXES) + "]")


def _normalise(page: RawPage) -> RawPage:
    text = "\n".join(page.lines)
    if SPECIAL_CHARS.search(text):
        text = text.translate(CHAR_FIXES)
    lines = [line.rstrip() for line in text.split("\n")]
    for i, line in enumerate(lines):
        # a letter-spaced line ("A R T I C L E") has a space second once stripped: test that first
        if (line[1:2] == " " or line[:1].isspace()) and _letter_spaced(line.strip()):
            lines[i] = " ".join("".join(part.split()) for part in re.split(r"\s{2,}", line.strip()))
    return RawPage(lines=lines, ocr=page.ocr, headings=dict(page.headings))


def _letter_spaced(stripped: str) -> bool:
    return bool(LETTER_SPACED.match(stripped)) and all(len(t) == 1 for t in stripped.split())


def _edge_indices(lines: list[str]) -> list[int]:
    idx = [i for i, line in enumerate(lines) if line.strip()]
    return sorted(set(idx[:EDGE_LINES] + idx[-EDGE_LINES:]))


def _key(line: str, loose: bool = True) -> str:
    """Compare running lines with their numbers masked (page numbers change).

    In documents of two or three pages a match on two pages is all there is, so numbers
    are only masked on lines that speak of pages ("Page 2 sur 3").
    """
    text = line.lower()
    if loose or PAGE_WORD.search(text):
        text = DIGITS.sub("#", text)
    return " ".join(text.split())


def _drop_running_lines(pages: list[RawPage]) -> list[str]:
    """Remove lines repeated at page edges on many pages; return examples removed."""
    n = len(pages)
    loose = n > 3
    counts: Counter[str] = Counter()
    known: dict[str, str] = {}  # running lines repeat on every page: each is keyed once

    def key(line: str) -> str:
        got = known.get(line)
        if got is None:
            got = known[line] = _key(line, loose)
        return got

    edge_keys = [{i: key(page.lines[i]) for i in _edge_indices(page.lines)} for page in pages]
    for keys in edge_keys:
        counts.update(set(keys.values()))
    threshold = 2 if n <= 3 else max(3, math.ceil(0.4 * n))
    running = {k for k, c in counts.items() if c >= threshold and len(k) >= 1}
    examples: dict[str, str] = {}
    for page, keys in zip(pages, edge_keys, strict=True):
        drop = set()
        for i, edge_key in keys.items():
            if edge_key in running or PAGE_NUMBER.match(edge_key if loose else _key(page.lines[i])):
                drop.add(i)
                examples.setdefault(edge_key, page.lines[i].strip())
        _remove_lines(page, drop)
    return list(examples.values())[:30]


def _drop_page_numbers(pages: list[RawPage]) -> None:
    for page in pages:
        drop = {i for i in _edge_indices(page.lines) if PAGE_NUMBER.match(_key(page.lines[i]))}
        _remove_lines(page, drop)


def _remove_lines(page: RawPage, drop: set[int]) -> None:
    if not drop:
        return
    keep = [i for i in range(len(page.lines)) if i not in drop]
    remap = {old: new for new, old in enumerate(keep)}
    page.headings = {remap[i]: v for i, v in page.headings.items() if i in remap}
    page.lines = [page.lines[i] for i in keep]


def _dehyphen(left: str, right: str, soft: bool) -> tuple[str, bool]:
    """Join a word cut at a line end; True when the hyphen is dropped."""
    words = lexicon()
    hyphenated = f"{left}-{right}".lower()
    joined = f"{left}{right}".lower()
    if hyphenated in words:
        return f"{left}-{right}", False
    if joined in words or soft:
        return f"{left}{right}", True
    return f"{left}-{right}", False


def _fix_inline_soft(line: str) -> tuple[str, int]:
    """Join words split by a soft hyphen inside a line; count the joins."""
    if SOFT not in line:
        return line, 0
    line, count = SOFT_INLINE.subn(lambda m: _dehyphen(m.group(1), m.group(2), True)[0], line)
    return line.replace(SOFT, "-"), count


def clean_inline(text: str) -> str:
    """Normalise characters and join soft-hyphenated words in a short text (a table cell)."""
    return _fix_inline_soft(text.translate(CHAR_FIXES))[0]


HYPHEN_END = re.compile(r"(\w{1,40})(-|" + SOFT + r")$")
TAIL = 48  # hyphen search looks at the end of a line only: bounded cost on huge lines
WORD_START = re.compile(r"^\s*([a-zà-ÿœ]\w{0,40})")


def _join_lines(page: RawPage) -> tuple[str, dict[int, int], int]:
    """Page text with cut words joined; offsets of each kept line start."""
    lines = page.lines
    text = "\n".join(lines)
    if SOFT not in text and "-\n" not in text and not text.endswith("-"):  # nothing to join: most pages
        starts = accumulate(map(len, lines), initial=0)
        return text, dict(enumerate(map(add, starts, range(len(lines))))), 0
    out: list[str] = []
    offsets: dict[int, int] = {}
    pos = 0
    joined = 0
    carry = ""
    for i, line in enumerate(lines):
        if carry:
            line = carry + line.lstrip()
            carry = ""
        else:
            offsets[i] = pos
        tail_at = max(len(line) - TAIL, 0)
        m = HYPHEN_END.search(line, tail_at) if line.endswith(("-", SOFT)) else None
        nxt = WORD_START.match(lines[i + 1]) if m and i + 1 < len(lines) else None
        if m and nxt:
            whole, _ = _dehyphen(m.group(1), nxt.group(1), m.group(2) == SOFT)
            head = whole[: len(whole) - len(nxt.group(1))]
            carry = line[: m.start()] + head
            joined += 1
            continue
        line, count = _fix_inline_soft(line)
        joined += count
        out.append(line)
        pos += len(line) + 1
    if carry:
        out.append(_fix_inline_soft(carry)[0])
    return "\n".join(out), offsets, joined


# --------------------------------------------------------------------------- headings


def toc_entry(s: str) -> bool:
    """A line that reads as a table of contents' entry: dotted leaders, or a final page
    number that is not part of the title (« Objet du lot 2 »)."""
    return bool(TOC_LINE.search(s)) and (bool(TOC_LEADERS.search(s)) or not NUMBERED_NOUN_END.search(s))


def heading_of_line(line: str) -> tuple[int, str | None, str, bool] | None:
    """(level, number, title, strong) when a line reads as an article or numbered heading.

    `strong` marks headings introduced by a word ("ARTICLE 5", "CHAPITRE 2"): they are
    rarely accidental, unlike a bare number at the start of a line.
    """
    s = line.strip()
    if not _may_start_heading(s) or len(s) > 160 or toc_entry(s):
        return None
    m = ARTICLE_RE.match(s)
    if m and REFERENCE_TITLE.match(m.group(2)) and not TITLE_DASH.search(s, m.end(1), m.start(2)):
        return None  # « Article 8 du CCFT 50 € par jour » (a penalty table's cell) cites an article
    if m:
        number = m.group(1)
        number = "1" if number.lower() in ("premier", "1er") else number
        level = number.count(".") + number.count("-") + 1 if number[0].isdigit() else 1
        return level, number, m.group(2).strip(), True
    m = CHAPTER_RE.match(s)
    if m:
        return 1, m.group(1), m.group(2).strip(), True
    m = NUMBERED_RE.match(s)
    if m:
        number, title = m.group(1), m.group(2)
        if title.startswith(":") and "." in number:
            # « 3.2 : Missions générales… » (a real CCTP); not « 1 : Analyse… », a notice's
            # « Tranche optionnelle no » wrapped before its number
            title = title[1:].lstrip()
        if _plausible_title(title):
            return number.count(".") + 1, number, title.strip(), False
    m = ROMAN_RE.match(s)
    if m and _plausible_title(m.group(2)):
        number = m.group(1)
        return number.count(".") + 1, number, m.group(2).strip(), False
    return None


def _follows_on(lines: list[str], i: int, before: list[str]) -> bool:
    """A bare number after a line that announces a list or ends on « n° » is not a heading:
    an item of the list (a real RC: « L’enjeu est double : » / « 1. Améliorer la qualité de
    service proposée… » was its article 1), or the number of the line before, wrapped (a
    BOAMP notice: « -tranche optionnelle no » / « 3 Accompagnement dans la mise en oeuvre… »).
    Nor are the list's next items (a real CCTP's « … gestes barrières : » / « 1- … », « 2- … »,
    « 3- … : » with its sub-items « • … », whose « 2- » to « 4- » were articles after
    « 01.33 »), the list maybe begun on the page before (`before`, its lines)."""
    item = ITEM_MARK.match(lines[i])
    expected = int(item.group(1)) - 1 if item else 0  # the list's item looked for above
    just_above = True  # the line read is the one just above this line, or above the list's item 1
    for s in (line.strip() for line in chain(reversed(lines[max(0, i - LIST_LOOKBACK) : i]), reversed(before[-LIST_LOOKBACK:]))):
        if not s:
            continue
        if just_above and NUMBER_ANNOUNCED.search(s):
            return True
        earlier = ITEM_MARK.match(s)
        if item and earlier and earlier.group(2) == item.group(2) and int(earlier.group(1)) == expected >= 1:
            expected -= 1
            just_above = expected == 0
        elif item and expected and (BULLET_START.match(s) or s[0].islower()):
            just_above = False  # a sub-item between two items, or its wrapped end
        else:
            return False
    return False


def _plausible_title(title: str) -> bool:
    t = title.strip()
    if not TITLE_START.match(t) or len(t) > 120 or STREET_ADDRESS.match(t):
        return False
    first = t.split()[0].lower().strip("«\"“(")
    if first in MONTHS:
        return False
    if t.endswith((";", ",")) or TRAILING_FIGURE.search(t):
        return False
    return not (t.endswith(".") and len(t) > 70)


ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _roman(s: str) -> int | None:
    if not s or any(c not in ROMAN for c in s):
        return None
    total = 0
    for a, b in zip(s, s[1:] + " ", strict=True):
        v = ROMAN[a]
        total += -v if b in ROMAN and ROMAN[b] > v else v
    return total


def number_key(number: str | None) -> tuple[int, ...] | None:
    """"7.2.1" -> (7, 2, 1); "VI.2" -> (6, 2); None when not a numbering."""
    if not number:
        return None
    out = []
    for part in re.split(r"[.\-]", number):
        if part.isdigit():
            out.append(int(part))
        else:
            r = _roman(part.upper())
            if r is None:
                return None
            out.append(r)
    return tuple(out)


def plausible_next(last: tuple[int, ...] | None, cand: tuple[int, ...], gap: int = 3) -> bool:
    """True when `cand` can follow `last` in an outline (child, or next at some level).

    Lists inside the text ("1-Prix 40 %", "2-Valeur technique") restart their numbering;
    refusing numbers that go backwards keeps them from cutting the articles in pieces.
    """
    if last is None:
        return True
    if cand[: len(last)] == last and len(cand) == len(last) + 1 and cand[-1] <= gap:
        return True
    if cand[: len(last)] == last and cand[len(last) :] == (1, 1):
        return True  # « 8. RESILIATION » then « 8.1.1 » (a Word outline that skipped a level)
    for k in range(min(len(last), len(cand))):
        if cand[:k] == last[:k] and last[k] < cand[k] <= last[k] + gap:
            return all(c <= 1 for c in cand[k + 1 :])
    return False


def _may_have_unnumbered_titles(raw: RawDocument, pages: list[RawPage]) -> bool:
    """Documents of several pages of prose may title their sections without numbers; a
    spreadsheet, a one-page form or a price table has cells in capitals, not sections, and
    a format that marks its headings (Word styles, Markdown) has said them already."""
    return raw.format != "xlsx" and len(pages) >= 2 and not any(page.headings for page in pages)


#: a heading found in the text: its outline key (its numbers, None without), whether the format
#: said it is a heading (a Word style), whether a word introduces it (« ARTICLE 5 »), the heading
Candidate = tuple[tuple[int, ...] | None, bool, bool, Heading]


def _find_headings(
    text: str, pages: list[RawPage], spans: list[PageSpan], line_offsets: list[dict[int, int]], unnumbered: bool = False,
    part_starts: list[int] | None = None,
) -> list[Heading]:
    """The document's outline; in a combined DCE, one outline per piece, each numbered from
    its own « Article 1 »."""
    candidates: list[Candidate] = []
    body = [(page, span, offsets) for page, span, offsets in zip(pages, spans, line_offsets, strict=True) if not is_toc_page(page.lines)]
    before: list[str] = []
    for page, span, offsets in body:
        for i in _heading_lines(page):
            if i not in offsets:
                continue
            found = _heading_candidate(page, i, page.lines[i], before)
            if found is None:
                continue
            level, number, title, hinted, strong = found
            title = " ".join(title.split())  # « Pilotage  national »: a Word line's double space
            heading = Heading(number=number, title=title[:160], level=level, page=span.number, start=offsets[i], end=len(text))
            candidates.append((number_key(number), hinted, strong, heading))
        before = page.lines
    headings = [h for part in _split_at(candidates, part_starts or []) for h in _longest_outline(_without_contents_entries(part, text))]
    if unnumbered and sum(1 for h in headings if h.number) < 2:
        headings = sorted(headings + _unnumbered_titles(body), key=lambda h: h.start)
    if "UO" in text:
        headings = _with_units_of_work(headings, body)
    _close_sections(headings, len(text))
    return headings


def _split_at(candidates: list[Candidate], starts: list[int]) -> list[list[Candidate]]:
    """The candidates in runs, a new run at each of `starts` (the pieces of a combined DCE)."""
    runs: list[list[Candidate]] = [[]]
    bounds = iter(sorted(starts))
    bound = next(bounds, None)
    for c in candidates:
        while bound is not None and c[3].start >= bound:
            runs.append([])
            bound = next(bounds, None)
        runs[-1].append(c)
    return runs


MIN_CONTENTS_ENTRIES = 3


def _without_contents_entries(candidates: list[Candidate], text: str) -> list[Candidate]:
    """The candidates without the entries of a table of contents that has no page numbers.

    A real RC in Markdown opens on « Sommaire » then « ARTICLE 1 - OBJET … » to « ARTICLE 9 -
    SUIVI DES FOURNISSEURS », one per line: nothing marks them as contents (`is_toc_page`
    looks for page numbers), and as nine « ARTICLE » headings they outweighed the body's
    outline, which lacks two of them: every quote of the RC was cited « 9 – SUIVI DES
    FOURNISSEURS ».  Entries are told by two things at once: at least three numbered
    headings on consecutive lines, with no text between them, each written again later with
    the same number and title.
    """
    numbered = [i for i, (key, hinted, _, _) in enumerate(candidates) if key is not None and not hinted]
    last = {(candidates[i][0], candidates[i][3].title.casefold()): i for i in numbered}
    again = [i for i in numbered if last[(candidates[i][0], candidates[i][3].title.casefold())] != i]
    drop: set[int] = set()
    run: list[int] = []
    for i in again:
        if run and not _next_line_is(text, candidates[run[-1]][3].start, candidates[i][3].start):
            drop.update(run if len(run) >= MIN_CONTENTS_ENTRIES else [])
            run = []
        run.append(i)
    drop.update(run if len(run) >= MIN_CONTENTS_ENTRIES else [])
    return [c for i, c in enumerate(candidates) if i not in drop] if drop else candidates


def _next_line_is(text: str, start: int, other: int) -> bool:
    """Whether the line at offset `other` is the first written line after the one at `start`."""
    end = text.find("\n", start)
    return end >= 0 and end < other and not text[end:other].strip()


#: first words of a sentence, never of a section title ("Le titulaire…", "Seront éliminés…")
SENTENCE_OPENERS = frozenset(
    "le la les l un une des du il elle ils elles on nous vous ce cet cette ces tout toute tous toutes chaque "
    "aucun aucune si en dans pour par seront sera sont est doit doivent peut cf afin lorsque".split()
)
MIN_TITLE_LETTERS = 4
MAX_CAPS_TITLE = 100
MAX_SHORT_TITLE = 80
MAX_TITLE_WORDS = 12
SENTENCE_END = (".", "!", "?", "»")
#: a line ending on a word no phrase ends with (a preposition, an article, a conjunction) or a
#: comma: its sentence goes on at the next line, whatever that line looks like
CUT_PHRASE = re.compile(r"(?:(?<![^\W\d_])(?:du|de|des|la|le|les|à|au|aux|et|ou|en|par|pour|sur|avec|dans|un|une|que|qui)|[,'’])$",
                        re.I)
#: the marks that open a list item, the one list every reader of lists uses (sentences, titles,
#: quotes, the memoir's list): dashes, Word's and LibreOffice's bullets, the arrows and the
#: « ✦ » and « ❖ » of a real RC's memoir list, and Word's symbol-font bullets turned private-use
BULLET_MARKS = "-–—•▪◦●○■□➢➤►→✓✦❖*\uf0b7\uf0a7"
#: a line opened by a bullet mark, not by nlp.BULLET's « a) » and « 1. » items (a numbered line
#: may be a title); structure does not import nlp, which loads spaCy, since the reader process uses it
BULLET_START = re.compile(f"[{re.escape(BULLET_MARKS)}]")


def _unnumbered_titles(body: list[tuple[RawPage, PageSpan, dict[int, int]]]) -> list[Heading]:
    """Section titles of a document written without numbers (a PDF whose Word numbering
    did not survive): lines in capitals are sections ("CONDITIONS D'EXECUTION DES
    PRESTATIONS"), short lines standing alone between sentences are their subsections
    ("Délai global de paiement").  Used only when the numbered outline has fewer than two
    headings, so that evidence still names the part of the document it comes from.
    `body` is the pages with their spans and line offsets, tables of contents left out.
    """
    found: list[Heading] = []
    last = ""  # the last written line of the page before
    for page, span, offsets in body:
        # the top of a page (its running lines are gone) may open a section, unless the page
        # before ended inside a phrase (a BOAMP notice's « … conformément aux dispositions de
        # l'article L2323-1 du » / « CPP avec publicité et négociation des offres » titled its
        # pages 2 to 5); a brochure's page ending on a list of titles without stops still does
        opens = not CUT_PHRASE.search(last)
        caps_run = False  # a title in capitals wrapped on several lines is one title
        for i, line in enumerate(page.lines):
            s = line.strip()
            if not s:
                continue
            level = _caps_title(s) or (2 if opens and _short_title(s) and _next_starts_sentence(page.lines, i) else 0)
            if level == 1 and caps_run:
                found[-1].title = f"{found[-1].title} {s}"[:160]
            elif level and i in offsets:
                found.append(Heading(number=None, title=s[:160], level=level, page=span.number, start=offsets[i], end=0))
            caps_run = level == 1 and i in offsets
            opens = bool(level) or s.endswith(SENTENCE_END) or bool(BULLET_START.match(s))  # a list's last item
            last = s
    return found


def _with_units_of_work(headings: list[Heading], body: list[tuple[RawPage, PageSpan, dict[int, int]]]) -> list[Heading]:
    """The outline with the units of work of an IT CCTP as sections, one level below the
    heading they are written in: otherwise a quote on page 120 of the DAE's CCTP cites
    « Article 7 LOT 4 », a section of 125 pages and 42 units."""
    units: list[Heading] = []
    for page, span, offsets in body:
        for i, line in enumerate(page.lines):
            m = UNIT_OF_WORK.match(line) if "UO" in line[:16] else None
            if m and i in offsets and _unit_title(m.group(2).strip()):
                title = _wrapped_caps_title(m.group(2).strip(), page.lines[i + 1 : i + 2])
                units.append(Heading(number=m.group(1).replace(" ", ""), title=title[:160], level=1,
                                     page=span.number, start=offsets[i], end=0))
    if not units:
        return headings
    starts = [h.start for h in headings]  # in order: the outline is read top to bottom
    for unit in units:
        before = bisect.bisect_left(starts, unit.start)
        unit.level = headings[before - 1].level + 1 if before else 1
    return sorted(headings + units, key=lambda h: h.start)


def _unit_title(s: str) -> bool:
    """A unit of work's title: in capitals (« ASSISTANCE UTILISATEURS DE NIVEAU 1 », whose
    final number is no page number), not a table of contents' entry nor a table row
    (« L2-UO7-S 10 7 5 »)."""
    return s.isupper() and sum(c.isalpha() for c in s) >= MIN_TITLE_LETTERS and "...." not in s and "…" not in s


def _wrapped_caps_title(title: str, following: list[str]) -> str:
    """A title in capitals with its second line (« … D'UNE EQUIPE SUR UN » / « PROJET/PRODUIT
    DIGITAL »), a word cut by a soft hyphen (« NON\ufffe » / « REGRESSION) ») joined; a sentence
    in capitals (« LE PRIX EST FERME. ») is no second line."""
    nxt = following[0].strip() if following else ""
    if (not nxt or not nxt.isupper() or len(nxt) > MAX_CAPS_TITLE or nxt.endswith(SENTENCE_END) or heading_of_line(nxt)
            or UNIT_OF_WORK.match(nxt)):
        return title.replace(SOFT, "-")
    return title[:-1] + nxt if title.endswith(SOFT) else f"{title} {nxt}"


def _caps_title(s: str) -> int:
    """1 for a line in capitals that reads as a section title, else 0."""
    if len(s) > MAX_CAPS_TITLE or not s[0].isalpha() or not s.isupper():  # most lines stop here
        return 0
    letters = sum(c.isalpha() for c in s)
    if letters < MIN_TITLE_LETTERS or 2 * letters < len(s.replace(" ", "")):
        return 0  # "SIRET 187 609 094 00029" is an identifier, not a title
    return 0 if s.endswith((".", ",", ";", ":")) or toc_entry(s) else 1


def _short_title(s: str) -> bool:
    """A short line with no final stop that starts like a title, not like a sentence."""
    if len(s) > MAX_SHORT_TITLE or len(s.split()) > MAX_TITLE_WORDS or s.endswith((".", ",", ";", ":")):
        return False
    if ":" in s or "@" in s or "http" in s or not s[0].isupper() or not (s[-1].isalnum() or s[-1] in ")»?"):
        return False
    if not any(c.islower() for c in s) or toc_entry(s):
        return False
    first = re.split(r"[\s'’]", s, maxsplit=1)[0].lower()
    return first not in SENTENCE_OPENERS and _plausible_title(s)


def _next_starts_sentence(lines: list[str], i: int) -> bool:
    """The next line starts a sentence or a list: the title line stands alone."""
    for line in lines[i + 1 :]:
        s = line.strip()
        if s:
            return s[0].isupper() or bool(BULLET_START.match(s))
    return False


def _may_start_heading(stripped: str) -> bool:
    """Every heading pattern starts with a digit or a letter of HEADING_FIRST: most lines
    stop at this test."""
    return bool(stripped) and (stripped[0].isdecimal() or stripped[0] in HEADING_FIRST)


def _heading_lines(page: RawPage) -> list[int]:
    """Lines that may be headings: those the format marks, and those `heading_of_line` can read."""
    found = [i for i, line in enumerate(page.lines) if _may_start_heading(line.lstrip()[:1])]
    return sorted(set(found).union(page.headings)) if page.headings else found


def _heading_candidate(page: RawPage, i: int, line: str, before: list[str]) -> tuple[int, str | None, str, bool, bool] | None:
    """(level, number, title, hinted, strong) of a line that heads a section; `before` is the
    page before's lines, where a list may have begun."""
    hint = page.headings.get(i)
    parsed = heading_of_line(line)
    strong = bool(parsed and parsed[3])
    if hint:
        level, number = hint
        title = line.strip()
        if parsed and parsed[1]:
            number = number or parsed[1]
            title = parsed[2] or title
    elif parsed and (strong or not _follows_on(page.lines, i, before)):
        level, number, title, _ = parsed
    else:
        return None
    title = title or _next_line(page.lines, i)
    if strong and not hint and title.isupper():
        # « Article 9 LOT 6 – … LA PASSATION D’UN MARCHE » over « DE PII » (the DAE CCTP); not
        # « … DE PROJETS/ » over « PRODUITS DIGITAUX – seuil > 500 000€ HT », not in capitals
        title = _wrapped_caps_title(title, page.lines[i + 1 : i + 2])
    return (level, number, title, bool(hint), strong) if title else None


OUTLINE_WINDOW = 80
STRONG_WEIGHT = 10
STRONG_GAP = 12  # "ARTICLE 6" then "ARTICLE 11": articles left out of an excerpt or a template
STRONG_LOOKBACK = 20  # "ARTICLE" headings an "ARTICLE" heading may follow beyond the window


def _longest_outline(candidates: list[Candidate]) -> list[Heading]:
    """Keep the heaviest chain of numbered headings that reads as one outline.

    Numbered lists inside the text ("1-Prix 40 %", "5 Accompagnement…" in a lots table)
    look like headings one line at a time; as a whole they break the outline.  Headings
    introduced by "ARTICLE" weigh more than bare numbers; headings the format itself
    marks (Word styles, Markdown) and unnumbered ones are always kept.  Between two
    "ARTICLE" headings the numbering may jump further than between bare numbers.
    """
    numbered = [i for i, (key, hinted, _, _) in enumerate(candidates) if key is not None and not hinted]
    strong_before: list[int] = []  # numbered "ARTICLE" candidates met so far
    best: dict[int, int] = {}
    prev: dict[int, int | None] = {}
    #: whether every top-level heading of the best chain ending here is an "ARTICLE" one
    article_top: dict[int, bool] = {}
    for pos, i in enumerate(numbered):
        key, _, strong, _ = candidates[i]
        assert key is not None, "a numbered candidate"
        weight = STRONG_WEIGHT if strong else 1
        best[i], prev[i] = weight, None
        window = numbered[max(0, pos - OUTLINE_WINDOW) : pos]
        if strong:
            # « Article 8 » follows « Article 7 » however many numbered lines lie between (a real
            # CCTP: 60 pages of units of work, each with its « 1. Contexte » … « 8. Indicateurs »)
            window = sorted(set(window) | set(strong_before[-STRONG_LOOKBACK:]))
            strong_before.append(i)
        for j in window:
            gap = STRONG_GAP if strong and candidates[j][2] else 3
            # under "Article 7 LOT 4", a bare "8. Indicateurs" is a list restarting in each unit
            # of work (DAE CCTP), not « Article 8 »: a document whose top level says "Article"
            # says it for every top-level heading
            demoted = len(key) == 1 and not strong and article_top[j]
            if best[j] + weight > best[i] and not demoted and plausible_next(candidates[j][0], key, gap):
                best[i], prev[i] = best[j] + weight, j
        before = prev[i]
        if before is None:
            article_top[i] = strong
        else:
            article_top[i] = article_top[before] and (strong or len(key) > 1)
    keep: set[int] = set()
    if best:
        cur: int | None = max(best, key=lambda k: (best[k], -k))
        while cur is not None:
            keep.add(cur)
            cur = prev[cur]
    return [h for i, (key, hinted, _, h) in enumerate(candidates) if key is None or hinted or i in keep]


def is_toc_page(lines: list[str]) -> bool:
    """A table of contents page: its wrapped entries must not become headings."""
    text = "\n".join(lines)
    if text.count("....") + text.count("……") + text.count(". . . .") + sum(1 for line in lines if line.rstrip()[-1:].isdigit()) < 4:
        return False  # fewer than 4 lines can read as entries (each needs one of these)
    hits = 0
    for line in lines:
        s = line.strip()
        dotted = TOC_LEADERS.search(s) is not None
        # an entry ends with its page number; dotted lines that end otherwise are a form's
        # blanks (« Valeur proposée ……..µm », « ………… » of a real cadre de réponse)
        if len(s) > 8 and s[-1].isdigit() and TOC_LINE.search(s) and (dotted or not FIGURES_END.search(s)):
            hits += 1
            if hits >= 4:
                return True
    return False


def _next_line(lines: list[str], i: int) -> str:
    for line in lines[i + 1 : i + 3]:
        if line.strip():
            return line.strip()
    return ""


def _close_sections(headings: list[Heading], end: int) -> None:
    for i, h in enumerate(headings):
        h.end = end
        for nxt in headings[i + 1 :]:
            if nxt.level <= h.level:
                h.end = nxt.start
                break


def _locate_tables(tables: list[Table], text: str, spans: list[PageSpan]) -> list[Table]:
    out = []
    for t in tables:
        first = next((c for row in t.rows for c in row if len(c) >= 3), "")
        start = None
        if first and 1 <= t.page <= len(spans):
            span = spans[t.page - 1]
            probe = first.split()[0] if first.split() else first
            idx = text.find(probe, span.start, span.end)
            start = idx if idx >= 0 else span.start
        out.append(t.model_copy(update={"start": start}))
    return out
