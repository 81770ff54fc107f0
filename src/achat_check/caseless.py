"""Case-insensitive regexes that run on the lowercased text: same matches, 3 to 9 times faster.

Python's `re` loses its fast literal and charset scans under IGNORECASE: measured on
3 MB of DCE text, the fact patterns took 100 to 200 ms each with `re.I` and 20 to 70 ms
written in lowercase and run on `text.lower()` (which costs 14 ms once per text).  A
`Caseless` pattern finds its matches that way, then re-matches the original pattern at
each start on the original text, so callers get ordinary `re.Match` objects whose groups
keep the document's own case.  When lowercasing changes the text's length (a few rare
letters such as "İ"), or the pattern cannot be lowercased safely, it runs as plain `re.I`.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol

from achat_check.prefilter import PREFILTER
from achat_check.textcache import RecentTexts

#: texts shorter than this are searched directly: lowercasing them saves nothing
MIN_LENGTH = 2000
#: texts shorter than this (a page, a section) skip the Hyperscan pass over all patterns:
#: it pays on whole documents, which every pattern reads
PREFILTER_MIN = 20_000
#: lowercase copies of the latest texts (every document of a large market)
_LOWERED: RecentTexts[str | None] = RecentTexts()
#: matches where the lowercased pattern disagreed with the original (a bug if ever > 0)
divergences = 0


def lowered(text: str) -> str | None:
    """`text.lower()` when it keeps every offset, else None (cached for the latest texts: the
    caseless patterns and `Document.mentions` share one copy per document)."""
    return _LOWERED.get(text, _lower)


def _lower(text: str) -> str | None:
    low = text.lower()
    return low if len(low) == len(text) else None


def lower_pattern(pattern: str) -> str | None:
    """The pattern with its literal letters lowercased; None when that could change its meaning.

    Escapes (`\\S`, `\\W`, `\\D`...), characters without case given by their code (`\\u00a0`)
    and group names are kept as written; a pattern holding a letter given by its code
    (`\\x41`, `\\u00C9`, `\\N{...}`), a back-reference or a case-sensitive part (`(?-i:...)`)
    is not rewritten.
    """
    if "(?-i" in pattern:  # a part that keeps its case cannot be run on lowercased text
        return None
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            nxt = pattern[i + 1 : i + 2]
            if nxt in ("x", "u"):  # a character by its code: kept when it has no case (\u00a0)
                size = 2 if nxt == "x" else 4
                code = pattern[i + 2 : i + 2 + size]
                char = chr(int(code, 16)) if len(code) == size and all(h in "0123456789abcdefABCDEF" for h in code) else ""
                if not char or char.lower() != char or char.upper() != char:
                    return None
                out.append(pattern[i : i + 2 + size])
                i += 2 + size
                continue
            if nxt in ("U", "N") or nxt.isdigit():
                return None
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if pattern.startswith(("(?P<", "(?P="), i):
            end = pattern.find(">" if pattern[i + 3] == "<" else ")", i)
            out.append(pattern[i : end + 1])
            i = end + 1
            continue
        low = c.lower()
        if len(low) != 1:
            return None
        out.append(low)
        i += 1
    return "".join(out)


MIN_ANCHOR = 3
MAX_CLASS = 4  # a class of up to 4 letters ([ée], [èéê]) is spelt out
MAX_VARIANTS = 16  # spellings of one run at the most


def regex_anchors(pattern: str, flags: int = 0) -> tuple[tuple[str, ...], ...]:
    """Groups of lowercase literals: every match of `pattern` contains a word of each group.

    Read from the parsed pattern: literal runs (small classes spelt out: `p[ée]nalit` gives
    "pénalit" and "penalit", rarer than "nalit"), and alternations whose every branch has
    one, that the match cannot skip (never inside lookarounds).  A text whose lowercase
    form lacks a whole group cannot match, so the regex is not run over it: a substring
    test costs a fraction of the scan, and most rule and fact patterns find nothing in
    most of a long CCTP.
    """
    from re import _constants as sre  # type: ignore[attr-defined]  # the parser `re` itself uses: no stubs
    from re import _parser  # type: ignore[attr-defined]

    def best(groups: list[set[str]]) -> set[str] | None:
        return max(groups, key=lambda g: (min(len(w) for w in g), -len(g)), default=None)

    def chars(op: Any, av: Any) -> set[str] | None:  # an opcode of `re`'s parser and its argument
        """The characters one item stands for: a literal, or a small class such as [ée]."""
        if op is sre.LITERAL:
            return {chr(av)}
        if op is sre.IN and 0 < len(av) <= MAX_CLASS and all(o is sre.LITERAL for o, _ in av):
            return {chr(a) for _, a in av}
        return None

    def seq(items: Iterable[tuple[Any, Any]]) -> list[set[str]]:
        groups: list[set[str]] = []
        run = [""]  # the spellings of the literal run read so far
        for op, av in items:
            got = chars(op, av)
            if got is not None and len(run) * len(got) <= MAX_VARIANTS:
                run = [r + c for r in run for c in got]
                continue
            if run != [""]:
                groups.append(set(run))
            run = sorted(got) if got is not None else [""]
            if got is None:
                groups += item(op, av)
        if run != [""]:
            groups.append(set(run))
        return [g for g in groups if min(len(w) for w in g) >= MIN_ANCHOR]

    def item(op: Any, av: Any) -> list[set[str]]:
        if op is sre.SUBPATTERN:
            return seq(av[3])
        if op is sre.BRANCH:
            union: set[str] = set()
            for branch in av[1]:
                got = best(seq(branch))
                if not got:
                    return []
                union |= got
            return [union]
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and av[0] >= 1:
            return seq(av[2])
        return []

    try:
        groups = seq(_parser.parse(pattern, flags))
    except Exception:  # noqa: BLE001 - a pattern we cannot read is simply never skipped
        return ()
    return tuple(dict.fromkeys(tuple(sorted(g)) for g in groups))


def opens_with_literal(pattern: str, flags: int = 0) -> bool:
    """Whether a (lowercase) pattern starts with `MIN_ANCHOR` literal characters: `re` then
    jumps from one occurrence of them to the next (its literal prefix scan)."""
    from re import _constants as sre  # type: ignore[attr-defined]  # the parser `re` itself uses: no stubs
    from re import _parser  # type: ignore[attr-defined]

    try:
        items = list(_parser.parse(pattern, flags & ~re.I))
    except Exception:  # noqa: BLE001 - a pattern we cannot read keeps its anchors
        return False
    return len(items) >= MIN_ANCHOR and all(op is sre.LITERAL for op, _ in items[:MIN_ANCHOR])


class Searcher(Protocol):
    """What the readers ask of a pattern, which `re.Pattern` and `Caseless` both give: the
    readers take either, as the pattern's own speed calls for (see the module's note)."""

    def search(self, text: str, pos: int = ..., endpos: int = ..., /) -> re.Match[str] | None:
        """As `re.Pattern.search`."""

    def finditer(self, text: str, pos: int = ..., endpos: int = ..., /) -> Iterator[re.Match[str]]:
        """As `re.Pattern.finditer`."""


class Caseless:
    """A case-insensitive pattern searched on the lowercased text (see the module's note)."""

    def __init__(self, pattern: str, flags: int = 0, prefilter: bool = True) -> None:
        self.rx = re.compile(pattern, flags | re.I)
        low = lower_pattern(pattern)
        self.low = re.compile(low, flags & ~re.I) if low is not None else None
        #: words the lowercased text must hold, one of each group, for a match to exist; none
        #: for a pattern opened by a literal word, which `re` finds by itself as fast as a
        #: substring test would (the test then only doubles the scan)
        self.anchors = regex_anchors(low, flags & ~re.I) if low is not None and not opens_with_literal(low, flags) else ()
        #: its place in the Hyperscan prefilter (None: the anchors are the only filter)
        self.slot = PREFILTER.register(low, flags & ~re.I) if low is not None and prefilter else None
        self.pattern = pattern
        self.flags = self.rx.flags
        self.groups = self.rx.groups
        self.groupindex = self.rx.groupindex

    def _fast(self, text: str) -> str | None:
        if self.low is None or len(text) < MIN_LENGTH:
            return None
        return lowered(text)

    def _absent(self, low: str) -> bool:
        """True when the text lacks every word of some required group: no match can exist
        (a substring test is much faster than the regex scan it saves)."""
        return not all(any(word in low for word in group) for group in self.anchors)

    def _low_matches(self, low: str, pos: int, endpos: int) -> Iterator[re.Match[str]]:
        """The lowercase pattern's matches, as `finditer` finds them, each search begun where
        the prefilter says the next match may start (patterns that never match empty)."""
        rx = self.low
        assert rx is not None, "only called once `_fast` has lowercased the text"
        if self.slot is None or len(low) < PREFILTER_MIN:
            if not self._absent(low):
                yield from rx.finditer(low, pos, endpos)
            return
        where = PREFILTER.candidates(self.slot, low)
        while where is not None:
            start = where.next_start(pos)
            if start is None or start >= endpos:
                return
            m = rx.search(low, start, endpos)
            if m is None:
                return
            yield m
            pos = m.end()

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """As `re.Pattern.search`."""
        low = self._fast(text)
        if low is None:
            return self.rx.search(text, pos, endpos)
        m = next(self._low_matches(low, pos, endpos), None)  # the first is what `search` finds
        if m is None:
            return None
        got = self._same(text, m, endpos)
        return got if got is not None else self.rx.search(text, pos, endpos)

    def finditer(
        self, text: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        """As `re.Pattern.finditer`."""
        low = self._fast(text)
        if low is None:
            yield from self.rx.finditer(text, pos, endpos)
            return
        same = [self._same(text, m, endpos) for m in self._low_matches(low, pos, endpos)]
        found = [m for m in same if m is not None]
        yield from found if len(found) == len(same) else self.rx.finditer(text, pos, endpos)

    def findall(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        """As `re.findall`: whole matches, the one group, or tuples of groups."""
        if self.groups == 0:
            return [m.group() for m in self.finditer(text, pos, endpos)]
        if self.groups == 1:
            return [m.group(1) or "" for m in self.finditer(text, pos, endpos)]
        return [m.groups("") for m in self.finditer(text, pos, endpos)]

    def _same(self, text: str, m: re.Match[str], endpos: int) -> re.Match[str] | None:
        """The original pattern's match at the same place (groups in the text's own case);
        None, counted in `divergences`, if the lowercased pattern disagreed (the caller then
        falls back to the plain pattern: tests assert the count stays at zero)."""
        got = self.rx.match(text, m.start(), endpos)
        if got is None or got.end() != m.end():
            global divergences
            divergences += 1
            return None
        return got

    # anchored uses, on short texts (lines, cells, titles): the plain pattern is as fast
    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """As `re.Pattern.match`."""
        return self.rx.match(text, pos, endpos)

    def fullmatch(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """As `re.Pattern.fullmatch`."""
        return self.rx.fullmatch(text, pos, endpos)

    def sub(self, repl: str | Callable[[re.Match[str]], str], text: str, count: int = 0) -> str:
        """As `re.Pattern.sub`."""
        return self.rx.sub(repl, text, count)

    def split(self, text: str, maxsplit: int = 0) -> list[Any]:
        """As `re.Pattern.split`."""
        return self.rx.split(text, maxsplit)


def caseless(pattern: str, flags: int = 0, prefilter: bool = True) -> Caseless:
    """Compile a case-insensitive pattern (use in place of `re.compile(pattern, re.I)`).

    `prefilter=False` keeps the pattern out of the Hyperscan pass over whole documents:
    for a pattern only ever searched in a sentence, a line, a cell or a window (shorter than
    `PREFILTER_MIN`, they never ask the pass), since the pass reports every possible start
    of every pattern in every document, each report a call into Python (a weight's
    placeholder « ... » at every dot of a form's blanks made most of a real DCE's reports);
    and for a pattern run alone in a process where no other pattern reads the same texts
    (the PDF reader's table cues), one pass for it alone would cost more than it saves.
    """
    return Caseless(pattern, flags, prefilter)
