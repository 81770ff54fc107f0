"""The amount from which each rulebook counts a market in the yearly indicators.

One table for both readers: a report's scope (`checks.in_scope`, said in its summary) and
the indicators computed from a register (`indicators.compute`).  A module of its own, so
the indicators do not load the checks' rule machinery to read two figures.
"""

from __future__ import annotations

#: rulebook -> (amount HT, inclusive): the Référentiel 2025 counts 25 000 € HT and more, the
#: Plan cadre 2015 more than 20 000 € HT
THRESHOLDS = {"rso-2025": (25000.0, True), "plan-cadre-2015": (20000.0, False)}


def scope_threshold(rulebook: str) -> tuple[float, bool]:
    """The rulebook's threshold (amount HT, inclusive); the Référentiel 2025's for a rulebook
    of the user's own."""
    return THRESHOLDS.get(rulebook, THRESHOLDS["rso-2025"])


def reaches(amount: float, threshold: float, inclusive: bool) -> bool:
    """Whether an amount HT is in the indicators' scope: at the threshold or above it
    (inclusive), or strictly above it."""
    return amount >= threshold if inclusive else amount > threshold
