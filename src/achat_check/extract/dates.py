"""French dates as DCEs write them: "jeudi 15 octobre 2026", "1er septembre 2026", "15/07/2026"."""

from __future__ import annotations

import re
from datetime import date

from achat_check.caseless import caseless

MONTHS = {m: i for i, m in enumerate(
    ["janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre", "novembre", "decembre"], start=1)}
DATE_TEXT = caseless(r"(?P<d>\d{1,2})(?:er)?\s+(?P<m>janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[ûu]t|septembre|octobre|novembre|d[ée]cembre)\s+(?P<y>20\d{2})")
DATE_NUM = re.compile(r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>20\d{2})")


def parse_date(text: str) -> date | None:
    """French dates: "jeudi 15 octobre 2026", "1er septembre 2026", "15/07/2026"."""
    m = DATE_TEXT.search(text)
    if m:
        month = MONTHS[m.group("m").lower().replace("é", "e").replace("û", "u")]
        try:
            return date(int(m.group("y")), month, int(m.group("d")))
        except ValueError:
            return None
    m = DATE_NUM.search(text)
    if m:
        try:
            return date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        except ValueError:
            return None
    return None


def months_between(a: date, b: date) -> float:
    """Whole months from a to b (a period "du 16 août 2026 au 16 août 2030" is 48)."""
    months = (b.year - a.year) * 12 + (b.month - a.month)
    if b.day + 1 < a.day:
        months -= 1
    return float(months)
