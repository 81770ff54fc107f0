"""Duration of a market over its whole life, renewals included (CCP R2121-1 to R2121-9).

Annual figures (amounts, insertion hours) are multiplied by this maximum duration, so it
is read with care: an explicit maximum ("soit une durée maximale de quatre ans", "sans
que sa durée ne puisse excéder 48 mois") wins over a base duration plus renewals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from achat_check.caseless import caseless
from achat_check.extract.dates import FIRST, months_between, parse_date
from achat_check.extract.numbers import NUMBER, WORD_RE, fmt_number, parse_number
from achat_check.model import Facts

N = rf"(?P<n>{NUMBER}|{WORD_RE})(?:\s*\(\d+\))?"
UNIT = r"(?P<unit>ann[ée]es?|ans?|mois)"
MARKET = r"(?:du\s+march[ée]|de\s+l['’]accord-cadre|du\s+contrat|des\s+march[ée]s|de\s+chaque\s+lot)"
MAX_PATTERNS = [
    caseless(rf"soit\s+une\s+dur[ée]e\s+(?:totale\s+|maximale\s+)+(?:de\s+|d['’]){N}\s*{UNIT}"),
    # « La durée maximale du contrat, toutes périodes confondues, est de 3 ans » (CCAP of the
    # AWS-achat model, Villeneuve-sur-Lot)
    caseless(rf"dur[ée]e\s+(?:totale\s+|maximale\s+)+{MARKET}(?:\s*,[^.;,]{{1,40}},)?\s+(?:est\s+|sera\s+)?(?:de\s+|fix[ée]e\s+[àa]\s+|d['’])?{N}\s*{UNIT}"),
    caseless(rf"dur[ée]e\s+(?:totale\s+|maximale\s+)*{MARKET}?[^.;]{{0,30}}?ne\s+(?:peut|pourra|puisse|saurait)\s+exc[ée]der\s+{N}\s*{UNIT}"),
    caseless(rf"soit\s+{N}\s*{UNIT}\s+au\s+plus"),
    caseless(rf"dur[ée]e\s*/\s*d[ée]lai\s*:?\s*{N}\s*{UNIT}"),
]
BASE_PATTERNS = [
    caseless(rf"(?:march[ée]|accord-cadre|contrat|lot)s?\b[^.;]{{0,80}}?(?:conclue?s?|pass[ée]e?s?)\s+pour\s+(?:une\s+(?:dur[ée]e|p[ée]riode)\s+(?:ferme\s+)?(?:initiale\s+)?(?:de\s+|d['’]))?{N}\s*{UNIT}"),
    caseless(rf"dur[ée]e\s+(?:ferme\s+|initiale\s+)?{MARKET}\s+(?:est\s+)?(?:fix[ée]e\s+[àa]\s+|de\s+|d['’]){N}\s*{UNIT}"),
    caseless(rf"(?:march[ée]|accord-cadre|contrat)\b[^.;]{{0,80}}?d['’]une\s+dur[ée]e\s+(?:de\s+|d['’]){N}\s*{UNIT}"),
    # « Le marché prendra effet à compter de sa date de notification pour une durée de 3 ans »
    caseless(rf"\bprend(?:ra)?\s+effet\b[^.;]{{0,80}}?\bpour\s+une\s+(?:dur[ée]e|p[ée]riode)\s+(?:ferme\s+)?(?:initiale\s+)?(?:de\s+|d['’]){N}\s*{UNIT}"),
    caseless(rf"d[ée]lai\s+(?:global\s+)?d['’]ex[ée]cution\s+(?:des\s+travaux\s+|des\s+prestations\s+|du\s+march[ée]\s+)?(?:est\s+)?(?:fix[ée]\s+[àa]\s+|de\s+){N}\s*{UNIT}"),
    # BOAMP notices: « Durée du marché ou délai d'exécution : 60 mois à compter de la notification »,
    # « Durée de l'accord-cadre : 4 an(s) »
    caseless(rf"dur[ée]e\s+{MARKET}(?:\s+ou\s+d[ée]lai\s+d['’]ex[ée]cution)?\s*:\s*{N}\s*{UNIT}\b"),
    # a summary table's row, its label then its value (« Durée / Délai 6 mois » in a real RC's):
    # « Durée\t12 mois reconductible 3 fois », « Durée initiale 1 an »
    caseless(rf"(?m)^[ \t]*dur[ée]e(?:\s+(?:initiale|ferme|{MARKET}))?[ \t]*[:\t]?[ \t]*{N}\s*{UNIT}\b"),
]
#: « reconductible 2 fois pour une période de 12 mois », « renouvelable 3 fois par reconduction
#: expresse pour une période d'un an à chaque reconduction » (a real AE)
RENEWAL = caseless(
    rf"(?:reconductible|renouvelable|reconduit)\s+(?:tacitement\s+|express[ée]ment\s+)?{N.replace('?P<n>', '?P<times>')}\s+fois"
    r"(?:\s+par\s+reconduction\s+(?:expresse|tacite))?"
    rf"(?:\s+(?:pour|par)\s+(?:une\s+)?(?:p[ée]riode|dur[ée]e)\s+(?:de\s+|d['’]){N.replace('?P<n>', '?P<per>')}\s*{UNIT.replace('?P<unit>', '?P<perunit>')})?",
)

#: the same said in two sentences: « Le nombre de périodes de reconduction est fixé à 2. La
#: durée de chaque période de reconduction est de 1 an. » (AWS-achat model)
RENEWAL_COUNT = caseless(rf"nombre\s+(?:de\s+)?(?:p[ée]riodes\s+de\s+)?reconductions?\s+(?:est\s+)?fix[ée]\s+[àa]\s+{N.replace('?P<n>', '?P<times>')}")
RENEWAL_PERIOD = caseless(rf"dur[ée]e\s+de\s+chaque\s+(?:p[ée]riode\s+de\s+)?reconduction\s+est\s+(?:fix[ée]e\s+[àa]\s+|de\s+|d['’]){N.replace('?P<n>', '?P<per>')}\s*{UNIT.replace('?P<unit>', '?P<perunit>')}")

#: « L'accord-cadre peut ensuite être reconduit tacitement par l'AMF, par périodes d'une année
#: dans la limite de trois (3) reconductions » (a real CCAP)
RENEWAL_LIMIT = caseless(
    rf"(?:reconduit|reconductible|renouvel\w*)\b(?:[^.;]{{0,60}}?\bpar\s+p[ée]riodes?\s+(?:de\s+|d['’]){N.replace('?P<n>', '?P<per>')}\s*"
    rf"{UNIT.replace('?P<unit>', '?P<perunit>')})?[^.;]{{0,60}}?\bdans\s+la\s+limite\s+(?:de\s+|d['’]){N.replace('?P<n>', '?P<times>')}\s+"
    r"(?:reconductions?|renouvellements?)",
)


@dataclass
class Duration:
    """Maximum duration in months, with its basis and where it was read."""

    #: None when the first period runs from a notification not known yet to a day written
    months: float | None
    base_months: float | None
    renewals: int | None
    basis: str
    start: int
    end: int
    #: months of each renewal period, when written
    per_months: float | None = None
    #: the first period's last day, when written as a day (see UNTIL_DAY)
    first_end: date | None = None


#: days in a month on average (a duration in days or weeks said in months)
MONTH_DAYS = 365.25 / 12


def _months(value: float, unit: str) -> float:
    unit = unit.lower()
    if unit.startswith("jour"):
        return round(value / MONTH_DAYS, 1)
    if unit.startswith("semaine"):
        return round(value * 7 / MONTH_DAYS, 1)
    return value if unit.startswith("mois") else value * 12


#: a day as a period's bound is written: « 1er octobre 2020 », « 1.e.r octobre 2020 », « 01/10/2020 »
DAY = rf"\d{{1,2}}{FIRST}\s+\w+\s+20\d{{2}}|\d{{1,2}}/\d{{1,2}}/20\d{{2}}"
PERIOD = caseless(rf"du\s+(?P<a>{DAY})\s+(?:jusqu['’]\s*)?au\s+(?P<b>{DAY})")


def _tranches(text: str) -> Duration | None:
    """Firm and optional tranches given as periods: the whole span is the maximum."""
    spans = []
    for m in re.finditer(r"tranche", text, re.I):
        p = PERIOD.search(text, m.end(), m.end() + 160)
        if p:
            a, b = parse_date(p.group("a")), parse_date(p.group("b"))
            if a and b and b > a:
                spans.append((a, b, m.start(), p.end()))
    if len(spans) < 2:
        return None
    start = min(s[0] for s in spans)
    end = max(s[1] for s in spans)
    months = months_between(start, end)
    return Duration(months, None, len(spans) - 1, f"tranches du {start:%d/%m/%Y} au {end:%d/%m/%Y}", spans[0][2], spans[-1][3])


def find_duration(text: str, notified: date | None = None) -> Duration | None:
    """The market's maximum duration read from one document's text; `notified`, the market's
    notification day when known beside the documents (a register's), starts a first period
    the documents close by a day."""
    tranches = _tranches(text)
    if tranches:
        return tranches
    based = _base_and_renewals(text)
    for rx in MAX_PATTERNS:
        m = rx.search(text)
        if m:
            n = parse_number(m.group("n"))
            if n:
                months = _months(n, m.group("unit"))
                first, times, per = (based.base_months, based.renewals, based.per_months) if based else (None, None, None)
                return Duration(months, first, times, f"durée maximale écrite « {m.group(0)} »", m.start(), m.end(), per)
    return based or _until_day(text, notified) or _lots_longest(text) or _dated_span(text)


def _base_and_renewals(text: str) -> Duration | None:
    """The first period and its renewals (« conclu pour un an, reconductible trois fois »)."""
    for rx in BASE_PATTERNS:
        m = rx.search(text)
        if not m:
            continue
        n = parse_number(m.group("n"))
        if not n:
            continue
        base = _months(n, m.group("unit"))
        renewals = _renewals(text, m.end())
        if renewals:
            times, per, end = renewals
            per = per or base
            return Duration(base + times * per, base, int(times), f"« {m.group(0)} » + {int(times)} reconduction(s) de {fmt_number(per)} mois", m.start(), end,
                            per)
        return Duration(base, base, 0, f"« {m.group(0)} »", m.start(), m.end())
    return None


#: a first period from the notification to a day written: « L'accord-cadre prend effet à sa
#: notification jusqu'au 31/12/2026. Il est renouvelable 3 fois par reconduction expresse pour
#: une période d'un an » (a real AE).  Its length depends on a notification day the DCE
#: cannot know (« jusqu'à l'achèvement de la mission » is no day: not read)
UNTIL_DAY = caseless(
    r"\b(?:prend(?:ra)?\s+effet|(?:est\s+|sera\s+)?conclue?)\s+(?:[àa]\s+)?(?:compter\s+de\s+)?(?:la\s+date\s+de\s+)?(?:sa\s+)?"
    rf"notification(?:\s+du\s+march[ée]|\s+de\s+l['’]accord-cadre)?\s*,?\s+(?:et\s+)?jusqu['’]\s*au\s+(?P<b>{DAY})"
)


def _until_day(text: str, notified: date | None) -> Duration | None:
    """The first period closed by a day, with its renewals: a maximum when the notification
    day is known (from the register), else the renewals and the first period's end only."""
    m = UNTIL_DAY.search(text)
    last = parse_date(m.group("b")) if m else None
    if m is None or last is None:
        return None
    times, per, end = _renewals(text, m.end()) or (0, None, m.end())
    said = f"« {m.group(0)} »" + (f" + {int(times)} reconduction(s) de {fmt_number(per)} mois" if times and per else "")
    if notified is None or notified >= last or (times and per is None):
        return Duration(None, None, int(times), said, m.start(), end, per, last)
    base = months_between(notified, last)
    return Duration(base + times * (per or 0), base, int(times), f"{said}, notifié le {notified:%d/%m/%Y}", m.start(), end, per, last)


def months_at_most(f: Facts) -> float | None:
    """The most a market whose first period runs from its notification to a day written can
    last, when the notification day is unknown but the consultation's date is (given with
    --date for a draft, or read): the notification comes after the consultation, so the first
    period is at most the months from that date to its last day, plus the renewals."""
    start, end = f.consultation_date, f.first_period_end
    if f.max_duration_months is not None or start is None or end is None or start >= end or (f.renewals and not f.renewal_months):
        return None
    first = months_between(start, end) + (0 if (end + timedelta(days=1)).day == start.day else 1)
    return first + (f.renewals or 0) * (f.renewal_months or 0)


#: BOAMP notices give each lot its own duration: « Durée : 125 jours à compter de la date de
#: notification du marché » (Saint-Quentin); the counting from the notification tells it from
#: a meeting's « Durée : 1h30 à 2h »
LOT_DURATION = caseless(
    rf"dur[ée]e\s*:\s*{N}\s*(?P<unit>jours?|semaines?|mois|ans?|ann[ée]es?)\s+[àa]\s+compter\s+de\s+la\s+"
    rf"(?:date\s+de\s+(?:la\s+)?)?notification",
)


def _lots_longest(text: str) -> Duration | None:
    """The longest of the durations a notice writes lot by lot (the market's maximum)."""
    found = [(_months(n, m.group("unit")), m) for m in LOT_DURATION.finditer(text) if (n := parse_number(m.group("n")))]
    if not found:
        return None
    months, m = max(found, key=lambda f: f[0])
    said = f"« {m.group(0)} »" if len(found) == 1 else f"la plus longue des {len(found)} durées écrites, « {m.group(0)} »"
    return Duration(months, None, None, said, m.start(), m.end())


#: a duration given by its first and last days (BOAMP notices: « Durée : à compter du 1.e.r
#: octobre 2020 jusqu'au 31 août 2021 », each lot the same)
DATED_SPAN = caseless(
    rf"dur[ée]e\b[^.;\n]{{0,60}}?(?:[àa]\s+compter\s+)?du\s+(?P<a>{DAY})"
    rf"\s+(?:et\s+)?(?:jusqu['’]\s*)?au\s+(?P<b>{DAY})",
)


def _dated_span(text: str) -> Duration | None:
    """The duration written as a span of dates, when no other is."""
    m = DATED_SPAN.search(text)
    a, b = (parse_date(m.group("a")), parse_date(m.group("b"))) if m else (None, None)
    if m is None or not (a and b and b > a):
        return None
    return Duration(months_between(a, b), None, None, f"du {a:%d/%m/%Y} au {b:%d/%m/%Y}", m.start(), m.end())


def initial_months(text: str) -> float | None:
    """The first period's length (« conclu pour une période initiale de 1 an »), whatever
    the maximum: amounts written for that period are counted once per period."""
    based = _base_and_renewals(text)
    return based.base_months if based else None


def _renewals(text: str, start: int) -> tuple[float, float | None, int] | None:
    """Renewals written after the base duration: (times, months each or None when as long
    as the base, where they end), in one sentence or in the AWS-achat model's two."""
    r = RENEWAL.search(text, start, start + 400) or RENEWAL_LIMIT.search(text, start, start + 400)
    if r:
        return parse_number(r.group("times")) or 0, _period_months(r), r.end()
    count = RENEWAL_COUNT.search(text, start, start + 400)
    if not count:
        return None
    period = RENEWAL_PERIOD.search(text, count.end(), count.end() + 200)
    return parse_number(count.group("times")) or 0, _period_months(period), (period or count).end()


def _period_months(m: re.Match[str] | None) -> float | None:
    """Months of each renewal period, when the match says it (its `per` and `perunit`)."""
    if m is None or not m.group("per"):
        return None
    return _months(parse_number(m.group("per")) or 0, m.group("perunit"))
