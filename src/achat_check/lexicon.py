"""The French word list and lemma table, loaded once per process.

Both come from spacy-lookups-data (`fr_lemma_lookup`, looked up on the lowercase form).
The lemma table feeds the tokenizer (`nlp.py`); its keys and values are the lexicon the
structure step asks before joining "environne-" + "mentales" across a line break.
"""

from __future__ import annotations

import gzip
import json
import pickle
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

from achat_check.settings import user_cache_dir, write_cache


def _cache_file() -> Path:
    version = metadata.version("spacy-lookups-data")
    return user_cache_dir() / f"fr_lemma_lookup-{version}.pickle"


@lru_cache(maxsize=1)
def lemma_table() -> dict[str, str]:
    """Lowercase form -> lemma (first lemma when the table lists several).

    The gzipped JSON of spacy-lookups-data takes 0.5 s to parse; a pickle of the same
    table in the user's cache loads in under 0.1 s, so it is written on first use.
    """
    cache = _cache_file()
    try:
        with cache.open("rb") as fh:
            table: dict[str, str] = pickle.load(fh)
            return table
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        pass
    data = resources.files("spacy_lookups_data").joinpath("data/fr_lemma_lookup.json.gz").read_bytes()
    table = json.loads(gzip.decompress(data))
    table = {form: (lem[0] if isinstance(lem, list) else lem) for form, lem in table.items()}
    write_cache(cache, pickle.dumps(table, protocol=pickle.HIGHEST_PROTOCOL))
    return table


@lru_cache(maxsize=1)
def lexicon() -> frozenset[str]:
    """Every known lowercase French word form."""
    table = lemma_table()
    return frozenset(table) | frozenset(table.values())


def is_word(word: str) -> bool:
    """True when the lowercase word is a known French form."""
    return word.lower() in lexicon()
