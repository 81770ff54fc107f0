"""One Hyperscan pass per document tells each caseless pattern where its matches may start.

Python's `re` scans a text once per pattern: about 100 fact, criteria, check and rule
patterns over every document cost most of a check's analysis time (`bench/stages.py`).
Hyperscan runs all of them together in one pass at several hundred MB/s.  It is used as a
prefilter only, so the matches stay exactly those of `re`:

* each pattern is translated into a *wider*, *reversed* Hyperscan expression: zero-width
  assertions (`^`, lookarounds, most `\\b`) are dropped, and every class keeps every byte one
  of its characters can be written as, so whatever `re` matches, the expression matches
  too, over the same characters;
* the lowercase text is scanned reversed, as cp1252 bytes, one byte per character
  (characters cp1252 lacks become "?", which every class admits): each end offset the
  reversed expression reports is the start offset of a possible match in the text;
* a pattern with no report cannot match and `re` is not run; otherwise `re` searches
  from the first possible start, and after each match from the next one, skipping the
  stretches where no match can start.

Match starts are not asked of Hyperscan itself (its start-of-match mode crashed on some
expressions in our tests, and refuses long bounded repeats); the reversed scan gives them
exactly.  A pattern Hyperscan cannot take (a back-reference, a pattern that can match the
empty string, one anchored at the start of the text) goes without the prefilter; without
the `hyperscan` package or on a CPU it does not support, nothing changes but the speed.
"""

from __future__ import annotations

import bisect
import hashlib
import os
import re
import threading
from collections.abc import Callable, Iterable
from re import _constants as sre  # type: ignore[attr-defined]  # the parser `re` itself uses: no stubs
from re import _parser  # type: ignore[attr-defined]
from typing import Any

from achat_check.settings import user_cache_dir, write_cache
from achat_check.textcache import RecentTexts

#: reports kept from one scan; past that the text is searched without the prefilter
MAX_REPORTS = 500_000
#: the byte a character cp1252 lacks is written as
UNKNOWN = ord("?")
_CATEGORIES = {
    sre.CATEGORY_DIGIT: re.compile(r"\d"),
    sre.CATEGORY_NOT_DIGIT: re.compile(r"\D"),
    sre.CATEGORY_SPACE: re.compile(r"\s"),
    sre.CATEGORY_NOT_SPACE: re.compile(r"\S"),
    sre.CATEGORY_WORD: re.compile(r"\w"),
    sre.CATEGORY_NOT_WORD: re.compile(r"\W"),
}
#: each cp1252 byte but "?" and the character it stands for
_CHARS = {}
for _b in range(256):
    try:
        _CHARS[_b] = bytes([_b]).decode("cp1252")
    except UnicodeDecodeError:
        continue
del _CHARS[UNKNOWN]

#: items of a pattern parsed by `re`'s own parser: (opcode, argument) pairs
ParsedItems = Iterable[tuple[Any, Any]]


class Unsupported(ValueError):
    """The pattern has a construct the prefilter does not translate."""


def _byte(char: str) -> int:
    try:
        return char.encode("cp1252")[0]
    except UnicodeEncodeError:
        return UNKNOWN


def _member(char: str, items: ParsedItems) -> bool:
    """Whether `char` is in the parsed class `items` (as `re` decides it, without re.I)."""
    code, negate, hit = ord(char), False, False
    for op, av in items:
        if op is sre.NEGATE:
            negate = True
        elif op is sre.LITERAL:
            hit = hit or code == av
        elif op is sre.RANGE:
            hit = hit or av[0] <= code <= av[1]
        elif op is sre.CATEGORY and av in _CATEGORIES:
            hit = hit or _CATEGORIES[av].match(char) is not None
        else:
            raise Unsupported(f"classe {op}")
    return hit != negate


def _other_than(code: int) -> Callable[[str], bool]:
    """What a negated literal (`[^x]`) accepts."""
    return lambda ch: ord(ch) != code


def _within(items: ParsedItems) -> Callable[[str], bool]:
    """What a parsed class (`[a-zé]`) accepts."""
    return lambda ch: _member(ch, items)


def _bytes_class(accepts: Callable[[str], bool]) -> str:
    """The bytes whose character `accepts`, plus "?" (it may stand for any character)."""
    keep = sorted({b for b, ch in _CHARS.items() if accepts(ch)} | {UNKNOWN})
    return "[" + "".join(f"\\x{b:02x}" for b in keep) + "]"


def _edge_chars(item: tuple[Any, Any], first: bool) -> set[str] | None:
    """The characters `item` can begin (first) or end with in any match; None when unknown
    or too many to list (a category, a negated class, an optional repeat)."""
    op, av = item
    if op is sre.LITERAL:
        return {chr(av)}
    if op is sre.IN:
        chars: set[str] = set()
        for sub_op, sub_av in av:
            if sub_op is sre.LITERAL:
                chars.add(chr(sub_av))
            elif sub_op is sre.RANGE and sub_av[1] - sub_av[0] < 256:
                chars.update(map(chr, range(sub_av[0], sub_av[1] + 1)))
            else:
                return None
        return chars
    if op is sre.SUBPATTERN:
        return _sequence_edge(av[3], first)
    if op is sre.BRANCH:
        union: set[str] = set()
        for branch in av[1]:
            edge = _sequence_edge(branch, first)
            if edge is None:
                return None
            union |= edge
        return union
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and av[0] >= 1:
        return _sequence_edge(av[2], first)
    return None


def _sequence_edge(items: ParsedItems, first: bool) -> set[str] | None:
    items = list(items)
    return _edge_chars(items[0] if first else items[-1], first) if items else None


def _ascii_word(chars: set[str] | None) -> bool:
    return bool(chars) and all(c.isascii() and (c.isalnum() or c == "_") for c in chars or ())


def _keeps_boundary(items: list[tuple[Any, Any]], i: int) -> bool:
    """Whether the `\b` at items[i] can stay in the expression.

    Hyperscan's `\b` knows ASCII word characters only ("é", a cp1252 byte above 0x7f, is
    not one).  Where the character on one side of the boundary is always an ASCII word
    character, `re`'s boundary means the other side is no word character at all, which
    Hyperscan sees as no word character either: its `\b` then holds wherever `re`'s does.
    Kept, it spares a report at every "x" of a text for `\bx+\b`.
    """
    return (i + 1 < len(items) and _ascii_word(_edge_chars(items[i + 1], first=True))) or (
        i > 0 and _ascii_word(_edge_chars(items[i - 1], first=False))
    )


def _translate(items: ParsedItems, dotall: bool) -> str:
    """The reversed, wider expression of a parsed sequence (see `expression`)."""
    out: list[str] = []
    items = list(items)
    for i in reversed(range(len(items))):
        op, av = items[i]
        if op is sre.LITERAL:
            out.append(f"\\x{_byte(chr(av)):02x}")
        elif op is sre.NOT_LITERAL:
            out.append(_bytes_class(_other_than(av)))
        elif op is sre.ANY:
            out.append("[\\x00-\\xff]" if dotall else "[^\\n]")
        elif op is sre.IN:
            out.append(_bytes_class(_within(av)))
        elif op is sre.SUBPATTERN:
            out.append(f"(?:{_translate(av[3], dotall)})")
        elif op is sre.ATOMIC_GROUP:
            out.append(f"(?:{_translate(av, dotall)})")
        elif op is sre.BRANCH:
            out.append("(?:" + "|".join(_translate(b, dotall) for b in av[1]) + ")")
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            low, high, sub = av
            inner = f"(?:{_translate(sub, dotall)})"
            out.append(f"{inner}{{{low},}}" if high is sre.MAXREPEAT else f"{inner}{{{low},{high}}}")
        elif op is sre.AT and av is sre.AT_BOUNDARY and _keeps_boundary(items, i):
            out.append("\\b")
        elif op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue  # zero-width: without it the expression only matches more
        else:
            raise Unsupported(str(op))
    return "".join(out)


def expression(pattern: str, flags: int = 0) -> bytes:
    """The reversed, wider Hyperscan expression of a lowercase `re` pattern (no re.I), over
    cp1252 bytes: scanned over the reversed text, its end offsets are the start offsets of
    the pattern's possible matches.

    Raises Unsupported for back-references, patterns that can match the empty string
    (Hyperscan reports no empty match) and patterns anchored at the start of the text
    (`re` tries them at one offset; without the anchor, the expression would report at
    every digit or space of a text).
    """
    tree = _parser.parse(pattern, flags)
    if tree.getwidth()[0] == 0:
        raise Unsupported("motif pouvant être vide")
    if not tree.state.flags & re.M and tree.data and tree.data[0] == (sre.AT, sre.AT_BEGINNING):
        raise Unsupported("motif ancré au début du texte")  # `re` tries it at one place only
    return _translate(list(tree), bool(flags & re.S)).encode("ascii")


def encode(low: str) -> bytes:
    """The text as the reversed expressions read it: reversed, one cp1252 byte per character."""
    return low[::-1].encode("cp1252", errors="replace")


class Candidates:
    """Where one pattern's matches may start in one text, in order."""

    __slots__ = ("starts",)

    def __init__(self, starts: list[int]) -> None:
        starts.sort()
        self.starts = starts

    def next_start(self, pos: int) -> int | None:
        """The first offset >= pos where a match may start; None when none can."""
        i = bisect.bisect_left(self.starts, pos)
        return self.starts[i] if i < len(self.starts) else None


class _Database:
    """Expressions compiled together, scanned together."""

    def __init__(self, slots: list[int], exprs: list[bytes]) -> None:
        import hyperscan

        self.slots = slots
        self.db = _load_or_compile(hyperscan, exprs)
        self.lock = threading.Lock()  # a database's scratch space serves one scan at a time

    def scan(self, data: bytes, most: int) -> dict[int, list[int]] | None:
        """Slot -> start offsets of its possible matches (`data` is the reversed text); None
        when they pass `most` in all (a text made to match everywhere: each report costs a
        Python call and a list entry, so the scan stops and `re` searches as before)."""
        found: dict[int, list[int]] = {}
        size = len(data)
        count = 0

        def on_match(index: int, _start: int, end: int, _flags: int, _ctx: object) -> bool:
            nonlocal count
            count += 1
            got = found.get(index)
            if got is None:
                found[index] = [size - end]
            else:
                got.append(size - end)
            return count > most  # True stops the scan

        import hyperscan

        with self.lock:
            try:
                self.db.scan(data, match_event_handler=on_match)
            except hyperscan.ScanTerminated:  # raised when on_match returned True
                return None
        return {self.slots[i]: starts for i, starts in found.items()}


def _load_or_compile(hyperscan: Any, exprs: list[bytes]) -> Any:  # the module, and its Database (no stubs)
    """A compiled database, from the user's cache when these expressions were compiled before
    (compiling a hundred expressions takes about 0.5 s; loading one takes milliseconds)."""
    key = hashlib.sha256(b"\0".join([hyperscan.__version__.encode(), *exprs])).hexdigest()[:24]
    cache = user_cache_dir() / f"hs-{key}.db"
    try:
        db = hyperscan.loadb(cache.read_bytes(), hyperscan.HS_MODE_BLOCK)
        db.scratch = hyperscan.Scratch(db)  # a loaded database comes without scratch space
        return db
    except (OSError, hyperscan.error):
        pass  # not cached yet, or cached by another Hyperscan build: compile
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(expressions=exprs, ids=list(range(len(exprs))), elements=len(exprs),
               flags=[0] * len(exprs))
    write_cache(cache, hyperscan.dumpb(db))
    return db


class Prefilter:
    """The registry of prefiltered patterns and the scans of recent texts.

    Patterns are registered as they are compiled (module constants at import, rule packs
    when loaded); the ones not yet in a database are compiled together on the first scan
    that needs them.  Each text is scanned once per database and the reports are kept for
    the most recent texts, like their lowercase copies (`caseless.lowered`).
    """

    def __init__(self, keep: int = 64, keep_chars: int = 40_000_000) -> None:
        #: per text, per database, the candidates of each slot (bounded like `caseless.lowered`)
        self._scans: RecentTexts[dict[int, dict[int, Candidates]]] = RecentTexts(keep, keep_chars)
        #: reports in one scan of one text at the most (ordinary documents: a few thousand)
        self.max_reports = MAX_REPORTS
        self._slots: dict[tuple[str, int], int] = {}
        self._exprs: list[bytes] = []
        self._db_of: list[_Database | _NoDatabase | None] = []
        self._lock = threading.Lock()
        self.enabled = _available()

    def register(self, pattern: str, flags: int) -> int | None:
        """A slot for this lowercase pattern, or None when it cannot be prefiltered."""
        if not self.enabled:
            return None
        key = (pattern, flags)
        with self._lock:
            if key in self._slots:
                return self._slots[key]
            try:
                expr = expression(pattern, flags)
            except (Unsupported, re.error, RecursionError):
                return None
            slot = len(self._exprs)
            self._slots[key] = slot
            self._exprs.append(expr)
            self._db_of.append(None)
            return slot

    def candidates(self, slot: int, low: str) -> Candidates | None:
        """Where the pattern of `slot` may match in the lowercase text; None when nowhere."""
        db = self._db_of[slot] or self._compile_pending(slot)
        if isinstance(db, _NoDatabase):
            return _EVERYWHERE
        per_db = self._scans.get(low, lambda _: {})
        reports = per_db.get(id(db))
        if reports is None:
            found = db.scan(encode(low), self.max_reports)
            reports = _ALL if found is None else {s: Candidates(starts) for s, starts in found.items()}
            per_db[id(db)] = reports
        return _EVERYWHERE if reports is _ALL else reports.get(slot)

    def _compile_pending(self, slot: int) -> _Database | _NoDatabase:
        with self._lock:
            known = self._db_of[slot]
            if known is not None:
                return known
            pending = [s for s, db in enumerate(self._db_of) if db is None]
            db = _compiled(pending, [self._exprs[s] for s in pending])
            if db is None:  # an expression Hyperscan rejects: leave out those it rejects alone
                for s in pending:
                    if _compiled([s], [self._exprs[s]]) is None:
                        self._db_of[s] = _NONE
                pending = [s for s in pending if self._db_of[s] is None]
                db = _compiled(pending, [self._exprs[s] for s in pending]) if pending else None
            for s in pending:
                self._db_of[s] = db or _NONE
            done = self._db_of[slot]
            assert done is not None, "each pending slot was just given its database"
            return done


def _compiled(slots: list[int], exprs: list[bytes]) -> _Database | None:
    try:
        return _Database(slots, exprs)
    except Exception:  # noqa: BLE001 - Hyperscan refused an expression ("too large"...)
        return None


class _NoDatabase:
    """Marks a slot whose expression Hyperscan refused (truthy, never scanned)."""


_NONE = _NoDatabase()


class _Everywhere(Candidates):
    """Candidates of a pattern Hyperscan refused: a match may start anywhere."""

    def next_start(self, pos: int) -> int | None:
        return pos


_EVERYWHERE = _Everywhere([])
#: the scans of a text whose reports passed `max_reports`: every pattern searches everywhere
_ALL: dict[int, Candidates] = {}


def _available() -> bool:
    if os.environ.get("ACHAT_CHECK_NO_HYPERSCAN"):
        return False
    try:
        import hyperscan

        db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        db.compile(expressions=[b"ab"], ids=[0], elements=1, flags=[0])
    except Exception:  # noqa: BLE001 - not installed, or a CPU Hyperscan does not run on
        return False
    return True


PREFILTER = Prefilter()
