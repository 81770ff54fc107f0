"""The Hyperscan prefilter never hides a match: every offset where a pattern matches is a
candidate start, on real texts and on characters cp1252 lacks."""

from __future__ import annotations

import re

import pytest

from achat_check import prefilter
from achat_check.caseless import Caseless, caseless
from achat_check.checker import Checker
from achat_check.ingest import ingest
from achat_check.prefilter import PREFILTER, Candidates, Prefilter
from tests.conftest import REAL_DCE, SAMPLES

#: characters cp1252 lacks or that `re` classes treat specially, in the places patterns look
TRICKY = (
    "Le délai global de paiement est fixé à ٣٠ jours ; la durée ≥ 12 mois… "
    "mis en œuvre par : l’association ŒUVRE ; 25 000 € HT ; 1 200 heures d’insertion "
    "réservées aux structures d’insertion par l’activité économique ; pénalités → 5 %.\n"
    "ARTICLE 3 – CRITÈRES D’ATTRIBUTION\ncritère n° 2 : valeur technique (40 points)\n"
)


@pytest.fixture(scope="module")
def texts() -> list[str]:
    Checker()  # its modules and rule packs register their patterns
    paths = sorted(SAMPLES.iterdir())
    if REAL_DCE.is_dir():
        paths += sorted(REAL_DCE.iterdir())[:6]
    docs = [d for p in paths for d in ingest([p]).documents]
    long = [d.text.lower() for d in docs if len(d.text) >= 2000]
    return long + [(TRICKY * 200).lower(), TRICKY.lower() * 3]


def test_hyperscan_is_installed_and_takes_most_patterns():
    assert PREFILTER.enabled, "pip install hyperscan (a dependency in pyproject.toml)"
    Checker()
    assert len(PREFILTER._slots) > 80  # the fact, criteria, check and rule patterns


def _every_start(pattern: str, flags: int, text: str) -> set[int]:
    """Every offset where the pattern matches (overlapping ones too)."""
    rx = re.compile(pattern, flags)
    body = re.sub(r"^\(\?[aiLmsux]+\)", "", pattern)  # inline flags move to `flags`
    probe = re.compile(f"(?=(?:{body}))", rx.flags)
    return {m.start() for m in probe.finditer(text)}


def test_every_match_start_is_a_candidate(texts):
    checked = 0
    for (pattern, flags), slot in PREFILTER._slots.items():
        for text in texts:
            where = PREFILTER.candidates(slot, text)
            starts = set(where.starts) if where is not None else set()
            if isinstance(where, type(prefilter._EVERYWHERE)):
                continue  # refused by Hyperscan: searched without the prefilter
            missed = _every_start(pattern, flags, text) - starts
            assert not missed, (pattern, sorted(missed)[:5])
            checked += 1
    assert checked > 1000


def test_searches_give_the_plain_answers_on_characters_cp1252_lacks():
    text = TRICKY * 200
    for pattern in (
        r"d[ée]lai\s+global\s+de\s+paiement[^.;]{0,80}?(?P<n>\d+)\s*jours",
        r"dur[ée]e\s*\W\s*(?P<n>\d+)\s*mois",
        r"mis\s+en\s+(?:œ|oe)uvre\s+par\s*:?\s*(?P<name>[^\n,;.]{3,80})",
        r"\b\d[\d\s  ]*\s*heures?\b[^.]{0,80}\b(insertion|r[ée]serv[ée]es?)",
        r"crit[èe]re\s+n[°o]\s*(?P<k>\d+)\s*:\s*(?P<t>[^(\n]+)\((?P<w>\d+)\s*points?\)",
        r"p[ée]nalit[ée]s\s*\S\s*(?P<p>\d+)\s*%",
        r"[^\x00-\x7f]{2,}",
        r"\w+’\w+",
    ):
        fast, plain = caseless(pattern), re.compile(pattern, re.I)
        assert fast.slot is not None, pattern
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)], pattern
        assert [m.groupdict() for m in fast.finditer(text)] == [m.groupdict() for m in plain.finditer(text)]
        for pos in (0, 17, 5000, len(text) - 300):
            got, want = fast.search(text, pos), plain.search(text, pos)
            assert (got and got.span()) == (want and want.span()), (pattern, pos)


def test_patterns_it_cannot_take_are_searched_without_it():
    table = Prefilter()
    assert table.register(r"(a)b\1", 0) is None  # back-reference
    assert table.register(r"a*", 0) is None  # may match the empty string
    assert table.register(r"^\s*objet", 0) is None  # anchored at the start: tried at one place
    assert table.register(r"(?m)^\s*objet", 0) is not None  # any line start: worth it
    pat = Caseless(r"(\w+) \1 dit", 0)
    text = ("blabla " * 400) + "Le Le dit"
    assert pat.search(text).group(1) == "Le"


def test_candidates_give_the_first_possible_start():
    where = Candidates([40, 3, 17])
    assert where.next_start(0) == 3
    assert where.next_start(3) == 3
    assert where.next_start(4) == 17
    assert where.next_start(41) is None


def test_scans_are_kept_for_recent_texts_only():
    table = Prefilter(keep=2)
    slot = table.register("lot", 0)
    texts = [f"{i} lot " * 5000 for i in range(4)]
    for t in texts:
        assert table.candidates(slot, t) is not None
    assert len(table._scans.texts()) == 2
    small = Prefilter(keep_chars=len(texts[0]) * 3 // 2)  # room for one of these texts
    slot = small.register("lot", 0)
    for t in texts:
        small.candidates(slot, t)
    assert small._scans.texts() == [texts[-1]]


def test_a_text_that_matches_everywhere_is_searched_without_the_prefilter(monkeypatch):
    pat = caseless(r"\bx{1,}\b|\.{3}")
    text = "x y " * 50_000 + "XXX fin."  # a report at every "x": a made-up hostile text
    Checker()
    monkeypatch.setattr(PREFILTER, "max_reports", 1_000)
    want = [m.span() for m in re.finditer(r"\bx{1,}\b|\.{3}", text, re.I)]
    assert [m.span() for m in pat.finditer(text)] == want
    assert isinstance(PREFILTER.candidates(pat.slot, text.lower()), type(prefilter._EVERYWHERE))


def test_word_boundaries_kept_next_to_ascii_letters_hide_no_match():
    """`\\b` stays in an expression only beside an ASCII word character; around it, accented
    letters, characters cp1252 lacks and other words must not hide a match."""
    table = Prefilter()
    patterns = [r"\bx{1,}\b", r"\blots?\b", r"\b(prestations?|tma)\b", r"\d+\s*pts\b", r"\bé\w+", r"\w+é\b", r"\b(?:é|e)t[ée]\b"]
    slots = {p: table.register(p, 0) for p in patterns}
    assert b"\\b" in prefilter.expression(r"\bx{1,}\b") and b"\\b" not in prefilter.expression(r"\bé\w+")
    neighbours = ["", " ", "é", "è", "→", "ω", "_", "1", "’", "«", "\u00a0", "œ", "x", "٣", "ß", "\n"]
    words = ["x", "xx", "lot", "lots", "prestation", "tma", "12 pts", "3pts", "été", "et", "bébé", "ét"]
    text = " ".join(f"{a}{w}{b}" for a in neighbours for w in words for b in neighbours)
    for pattern, slot in slots.items():
        assert slot is not None, pattern
        where = table.candidates(slot, text)
        starts = set(where.starts) if where is not None else set()
        missed = _every_start(pattern, 0, text) - starts
        assert not missed, (pattern, [text[max(0, i - 3) : i + 5] for i in sorted(missed)[:5]])


@pytest.mark.skipif(not (REAL_DCE / "grenoble-inp-2026FCSSA0025").is_dir(), reason="../shared/real absent")
def test_the_pass_reports_the_patterns_whole_documents_are_searched_for(monkeypatch):
    """Each report of the pass costs a call into Python.  Patterns only ever searched in a
    sentence, a line or a cell (a weight's placeholder « ... », at every dot of a form's blanks;
    « : » announcing a list) were in the pass all the same: on a real DCE, 88 % of its reports
    were for patterns no whole document was searched for.  They are kept out of it."""
    asked: set[int] = set()
    candidates = Prefilter.candidates

    def recording(self: Prefilter, slot: int, low: str) -> Candidates | None:
        asked.add(slot)
        return candidates(self, slot, low)

    monkeypatch.setattr(Prefilter, "candidates", recording)
    dce = REAL_DCE / "grenoble-inp-2026FCSSA0025"
    Checker().check([dce])
    # the databases the check scanned with (other tests compile their own patterns apart)
    databases = {id(db): db for db in (PREFILTER._db_of[slot] for slot in asked) if isinstance(db, prefilter._Database)}
    reports = unasked = 0
    for doc in ingest([dce]).documents:
        if len(doc.text) < 20_000:
            continue  # shorter texts are searched without the pass
        for db in databases.values():
            found = db.scan(prefilter.encode(doc.text.lower()), 10**9) or {}
            reports += sum(len(starts) for starts in found.values())
            unasked += sum(len(starts) for slot, starts in found.items() if slot not in asked)
    assert reports and unasked / reports < 0.3, (unasked, reports)
