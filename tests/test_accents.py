"""strip_accents: the translate table gives exactly what the per-character filter gave."""

import unicodedata

from achat_check.accents import fold as word_fold
from achat_check.accents import strip_accents
from achat_check.ingest.kind import fold


def _reference(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def test_same_as_the_character_filter_over_the_whole_bmp():
    chars = "".join(chr(c) for c in range(0x20, 0x10000) if not 0xD800 <= c <= 0xDFFF)
    for i in range(0, len(chars), 4096):
        chunk = chars[i : i + 4096]
        assert strip_accents(chunk) == _reference(chunk)


def test_astral_text_takes_the_exact_road():
    # U+1D165 (musical stem) is a combining mark beyond the table; U+1D400 folds to "A"
    text = "Énergie \U0001d400\U0001d165 réemploi"
    assert strip_accents(text) == _reference(text) == "Energie A reemploi"


def test_ascii_and_french_words():
    assert strip_accents("clause d'insertion") == "clause d'insertion"
    assert strip_accents("Critères environnementaux, œuvre, ﬁn") == "Criteres environnementaux, œuvre, fin"


def test_the_two_matching_keys_use_it():
    assert word_fold("Éco-conçu ŒUVRE") == "eco-concu oeuvre"
    assert fold("C.C.T.P. – Cahier des clauses techniques particulières") == "CCTP – CAHIER DES CLAUSES TECHNIQUES PARTICULIERES"
