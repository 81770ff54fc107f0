"""The kind of an award criterion from its name (price, technical, environmental…).

The vocabulary is data (`rules/criteres.yaml`, `criterion_kinds`); the first rule whose
pattern matches the folded name wins.  Measured on the 533 hand-labelled BOAMP criterion
names by `bench/criteria_kind.py`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from achat_check.accents import fold
from achat_check.model import CriterionKind


@lru_cache(maxsize=1)
def _compiled() -> list[tuple[str, CriterionKind, re.Pattern[str]]]:
    from achat_check.engine.loader import load_rules

    out = []
    for rule in load_rules().criterion_kinds:
        out.append((rule.id, rule.kind, re.compile("|".join(f"(?:{p})" for p in rule.patterns))))
    return out


def classify_criterion(name: str) -> tuple[CriterionKind, str]:
    """(kind, reason) of a criterion name."""
    folded = " ".join(fold(name).replace("’", "'").split())
    for rule_id, kind, rx in _compiled():
        m = rx.search(folded)
        if m:
            return kind, f"{rule_id} : « {m.group(0).strip()} »"
    return "other", "aucun mot caractéristique"
