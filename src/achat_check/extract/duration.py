"""Duration of a market over its whole life, renewals included (CCP R2121-1 to R2121-9).

Annual figures (amounts, insertion hours) are multiplied by this maximum duration, so it
is read with care: an explicit maximum ("soit une durée maximale de quatre ans", "sans
que sa durée ne puisse excéder 48 mois") wins over a base duration plus renewals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from achat_check.extract.numbers import NUMBER, WORD_RE, parse_number

N = rf"(?P<n>{NUMBER}|{WORD_RE})(?:\s*\(\d+\))?"
UNIT = r"(?P<unit>ans?|ann[ée]es?|mois)"
MAX_PATTERNS = [
    re.compile(rf"dur[ée]e\s+(?:totale\s+)?maximale\s+(?:du\s+march[ée]\s+|de\s+l['’]accord-cadre\s+)?(?:est\s+)?(?:de\s+|fix[ée]e\s+[àa]\s+)?{N}\s*{UNIT}", re.I),
    re.compile(rf"ne\s+puisse\s+exc[ée]der\s+{N}\s*{UNIT}", re.I),
    re.compile(rf"soit\s+(?:une\s+dur[ée]e\s+(?:totale|maximale)\s+de\s+)?{N}\s*{UNIT}\s+au\s+plus", re.I),
    re.compile(rf"soit\s+une\s+dur[ée]e\s+(?:totale\s+|maximale\s+)+de\s+{N}\s*{UNIT}", re.I),
    re.compile(rf"dur[ée]e\s+totale\s+(?:du\s+march[ée]\s+|de\s+l['’]accord-cadre\s+)?(?:est\s+)?(?:de\s+){N}\s*{UNIT}", re.I),
]
BASE_PATTERNS = [
    re.compile(rf"(?:conclue?|pass[ée]e?)\s+pour\s+(?:une\s+dur[ée]e\s+(?:ferme\s+)?(?:initiale\s+)?(?:de\s+|d['’]))?{N}\s*{UNIT}", re.I),
    re.compile(rf"dur[ée]e\s+(?:ferme\s+|initiale\s+)?(?:du\s+march[ée]\s+|de\s+l['’]accord-cadre\s+)?(?:est\s+)?(?:fix[ée]e\s+[àa]\s+|de\s+|d['’]){N}\s*{UNIT}", re.I),
    re.compile(rf"d[ée]lai\s+(?:global\s+)?d['’]ex[ée]cution\s+(?:des\s+travaux\s+)?(?:est\s+)?(?:fix[ée]\s+[àa]\s+|de\s+){N}\s*{UNIT}", re.I),
]
RENEWAL = re.compile(
    rf"reconductible\s+(?:tacitement\s+|expressément\s+)?{N.replace('?P<n>', '?P<times>')}\s+fois"
    rf"(?:\s+(?:pour|par)\s+(?:une\s+)?(?:p[ée]riode|dur[ée]e)\s+(?:de\s+|d['’]){N.replace('?P<n>', '?P<per>')}\s*{UNIT.replace('?P<unit>', '?P<perunit>')})?",
    re.I,
)


@dataclass
class Duration:
    """Maximum duration in months, with its basis and where it was read."""

    months: float
    base_months: float | None
    renewals: int | None
    basis: str
    start: int
    end: int


def _months(value: float, unit: str) -> float:
    return value if unit.lower().startswith("mois") else value * 12


def find_duration(text: str) -> Duration | None:
    """The market's maximum duration read from one document's text."""
    for rx in MAX_PATTERNS:
        m = rx.search(text)
        if m:
            n = parse_number(m.group("n"))
            if n:
                months = _months(n, m.group("unit"))
                return Duration(months, None, None, f"durée maximale écrite « {m.group(0)} »", m.start(), m.end())
    for rx in BASE_PATTERNS:
        m = rx.search(text)
        if not m:
            continue
        n = parse_number(m.group("n"))
        if not n:
            continue
        base = _months(n, m.group("unit"))
        r = RENEWAL.search(text, m.end(), m.end() + 400)
        if r:
            times = parse_number(r.group("times")) or 0
            per = _months(parse_number(r.group("per")) or 0, r.group("perunit")) if r.group("per") else base
            total = base + times * per
            return Duration(total, base, int(times), f"« {m.group(0)} » + {int(times)} reconduction(s) de {per:g} mois", m.start(), r.end())
        return Duration(base, base, 0, f"« {m.group(0)} »", m.start(), m.end())
    return None
