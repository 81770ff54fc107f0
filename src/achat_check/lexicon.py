"""The French word list and lemma table, loaded once per process.

Both come from spacy-lookups-data (`fr_lemma_lookup`, looked up on the lowercase form).
The lemma table feeds the tokenizer (`nlp.py`); its keys and values are the lexicon the
structure step asks before joining "environne-" + "mentales" across a line break.
"""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def lemma_table() -> dict[str, str]:
    """Lowercase form -> lemma (first lemma when the table lists several)."""
    data = resources.files("spacy_lookups_data").joinpath("data/fr_lemma_lookup.json.gz").read_bytes()
    table = json.loads(gzip.decompress(data))
    return {form: (lem[0] if isinstance(lem, list) else lem) for form, lem in table.items()}


@lru_cache(maxsize=1)
def lexicon() -> frozenset[str]:
    """Every known lowercase French word form."""
    table = lemma_table()
    return frozenset(table) | frozenset(table.values())


def is_word(word: str) -> bool:
    """True when the lowercase word is a known French form."""
    return word.lower() in lexicon()
