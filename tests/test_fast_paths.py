"""The fast paths give the answers of the plain ones: caseless regexes, lazy sentences, phrase windows.

Each fast path is compared with the straightforward computation it replaces, on the
texts of the corpus samples (and of the real DCEs when they are beside the checkout).
"""

from __future__ import annotations

import importlib
import random
import re

import pytest

from achat_check import caseless as caseless_mod
from achat_check.analysis import Analyzer
from achat_check.caseless import Caseless, caseless, lower_pattern
from achat_check.engine.detect import DocumentScan, _matcher_hits, find_hits, phrase_windows
from achat_check.ingest import ingest
from achat_check.nlp import LazySentences, sentence_at, sentences
from tests.conftest import REAL_DCE, SAMPLES

MODULES = [
    "achat_check.extract.facts",
    "achat_check.extract.criteria",
    "achat_check.extract.duration",
    "achat_check.extract.insertion",
    "achat_check.extract.dates",
    "achat_check.extract.numbers",
    "achat_check.checks.rules",
    "achat_check.engine.detect",
    "achat_check.ingest.pdf",
]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    paths = sorted(SAMPLES.iterdir())
    if REAL_DCE.is_dir():
        paths += sorted(REAL_DCE.iterdir())[:8]
    docs = [d for p in paths for d in ingest([p]).documents]
    return [d.text for d in docs if d.text]


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


def _caseless_patterns() -> list[tuple[str, Caseless]]:
    found = []
    for name in MODULES:
        for attr, value in vars(importlib.import_module(name)).items():
            if isinstance(value, Caseless):
                found.append((f"{name}.{attr}", value))
            elif isinstance(value, list | tuple | dict):
                items = value.values() if isinstance(value, dict) else value
                for item in items:
                    first = item[0] if isinstance(item, tuple) and item else item
                    if isinstance(first, Caseless):
                        found.append((f"{name}.{attr}", first))
    return found


def test_every_caseless_pattern_finds_what_re_ignorecase_finds(texts):
    patterns = _caseless_patterns()
    assert len(patterns) > 60  # the fact, criteria, duration and check patterns
    before = caseless_mod.divergences
    for name, pat in patterns:
        plain = re.compile(pat.pattern, pat.flags)
        for text in texts:
            got = [(m.span(), m.groups()) for m in pat.finditer(text)]
            want = [(m.span(), m.groups()) for m in plain.finditer(text)]
            assert got == want, name
            assert pat.findall(text) == plain.findall(text), name
    assert caseless_mod.divergences == before


def test_caseless_keeps_the_text_case_in_groups():
    pat = caseless(r"acheteur\s*:\s*(?P<b>[^\n]+)")
    text = "x" * 3000 + "\nACHETEUR : Caisse Nationale d'Assurance Maladie\n"
    m = pat.search(text)
    assert m is not None and m.group("b") == "Caisse Nationale d'Assurance Maladie"
    assert pat.search(text, 0, 2000) is None  # endpos is honoured


def test_lower_pattern_keeps_escapes_and_group_names():
    assert lower_pattern(r"\bMAPA\b|[LR]\.?\s?2123-1") == r"\bmapa\b|[lr]\.?\s?2123-1"
    assert lower_pattern(r"(?P<Num>\d+)\S(?P=Num)") == r"(?P<Num>\d+)\S(?P=Num)"
    assert lower_pattern(r"\x41BC") is None  # a letter given by its code is left to re.I
    assert lower_pattern(r"(a)\1") is None
    assert lower_pattern(r"(?-i:CCAG) travaux") is None  # a part that keeps its case


def test_a_case_sensitive_part_is_honoured():
    text = "x " * 1500 + "le ccag travaux puis le CCAG travaux"
    m = caseless(r"(?-i:CCAG) travaux").search(text)
    assert m is not None and m.group() == "CCAG travaux"


def test_caseless_falls_back_when_lowercasing_changes_length():
    text = "İ" * 10 + " Lot unique " + "x" * 3000  # "İ".lower() is two characters
    m = caseless(r"lot\s+unique").search(text)
    assert m is not None and m.group() == "Lot unique"


def test_a_pattern_opened_by_a_word_skips_the_substring_test_and_finds_the_same():
    """`re` finds a leading literal by itself: the substring test would only scan twice."""
    opened = caseless(r"pond[ée]ration\s+(\d+)", prefilter=False)
    classed = caseless(r"\bpond[ée]ration\s+(\d+)", prefilter=False)
    assert opened.anchors == () and classed.anchors != ()
    text = "x " * 1500 + "Critère prix : PONDÉRATION 60 %, technique : pondération 40 %"
    assert [m.group(0) for m in opened.finditer(text)] == ["PONDÉRATION 60", "pondération 40"]
    assert [m.group(1) for m in opened.finditer(text)] == [m.group(1) for m in classed.finditer(text)]


def test_lazy_sentences_equal_the_full_cut(texts):
    rng = random.Random(7)
    for text in texts:
        sents = sentences(text)
        if not sents:
            continue
        starts = [s.start for s in sents]
        lazy = LazySentences(text)
        for offset in rng.sample(range(len(text)), min(300, len(text))) + [0, len(text) - 1]:
            want = sentence_at(sents, starts, offset)
            got = lazy.at(offset)
            assert (got.start, got.end) == (want.start, want.end), repr(text[max(0, offset - 60) : offset + 20])


def test_lazy_sentences_across_page_breaks_and_blank_lines():
    text = "\n\nTitre du marché\nLe titulaire trie les déchets.\fIl remet un bilan\nchaque année.\n\n\nFin"
    sents = sentences(text)
    starts = [s.start for s in sents]
    lazy = LazySentences(text)
    for offset in range(len(text)):
        assert lazy.at(offset) == sentence_at(sents, starts, offset), offset


def test_phrase_windows_find_every_phrase_match(texts, analyzer):
    compiled = analyzer.compiled
    for text in texts:
        full = sorted((h.rule_id, h.start, h.end) for h in _matcher_hits(compiled, text, 0, len(text)))
        windowed = sorted(
            (h.rule_id, h.start, h.end) for lo, hi in phrase_windows(compiled, text) for h in _matcher_hits(compiled, text, lo, hi)
        )
        assert windowed == full


def test_phrase_windows_skip_text_without_phrases(analyzer):
    filler = "Le titulaire informe l'acheteur de toute difficulté. " * 400
    assert phrase_windows(analyzer.compiled, filler) == []
    text = filler + "\nLes produits sont titulaires de l'Écolabel européen.\n" + filler
    windows = phrase_windows(analyzer.compiled, text)
    assert windows and sum(hi - lo for lo, hi in windows) < 1000
    doc, _ = analyzer.scan_text(text)
    rules = {h.rule_id for h in find_hits(analyzer.compiled, DocumentScan(doc))}
    assert "ENV-001" in rules


def test_a_phrase_made_of_a_spaced_number_is_still_found(tmp_path):
    """"25 000" is one token but two chunks of text: it cannot anchor a window."""
    from tests.test_rules import GOOD_RULE, _pack

    pack = GOOD_RULE.replace("patterns: [compostage des biodéchets]", 'patterns: ["25 000", "heures de 25 000"]')
    pack = pack.replace("positive: [Le titulaire assure le compostage des biodéchets sur site.]", "positive: [Un volume de 25 000 repas.]")
    analyzer = Analyzer(rules_dirs=[_pack(tmp_path, pack)])
    filler = "Le titulaire informe l'acheteur de toute difficulté. " * 100
    doc, _ = analyzer.scan_text(filler + "Un volume de 25 000 repas par an." + filler)
    hits = [h for h in find_hits(analyzer.compiled, DocumentScan(doc)) if h.rule_id == "MSN-001"]
    assert [doc.text[h.start : h.end] for h in hits] == ["25 000"]
