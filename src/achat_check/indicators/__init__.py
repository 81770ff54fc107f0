"""Yearly purchasing indicators (Référentiel RSO 2025, Plan cadre 2015-2018) from registers
of markets, payments and organisations, joined to the reports of the markets' DCEs.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from copy import copy
from datetime import date
from pathlib import Path

from achat_check.errors import AchatCheckError
from achat_check.indicators.compute import (
    API,
    COMMAND_LINE,
    WEB_PAGE,
    Asking,
    compute_indicators,
    digest,
    prepare_markets,
)
from achat_check.indicators.model import DataIssue, IndicatorReport, MarketRecord, ReportDigest
from achat_check.indicators.registers import (
    load_markets,
    load_organisations,
    load_payments,
    organisation_key,
)
from achat_check.model import MarketReport
from achat_check.thresholds import THRESHOLDS

__all__ = ["API", "COMMAND_LINE", "WEB_PAGE", "Asking", "THRESHOLDS", "compute_indicators", "from_reports", "organisation_key", "organisation_names", "load_reports", "parse_years", "notified_years", "run", "scan_dces", "only_year", "years_asked"]


#: a range of years as people write it: « 2024-2026 », Word's « 2024–2026 » (its dash
#: once typed or pasted), « 2024 - 2026 », « 2024 à 2026 »
YEAR_RANGE = re.compile(r"\s*(?:[-‐‑‒–—−]|\bà\b)\s*")
YEARS_APART = re.compile(r"[,;\s]+")


def parse_years(values: list[str]) -> list[int]:
    """"2026", "2024-2026", "2024,2025", "2024 2025" (repeatable) -> sorted distinct years."""
    years: list[int] = []
    for v in values:
        for part in YEARS_APART.split(YEAR_RANGE.sub("-", str(v).strip())):
            if not part:
                continue
            lo, _, hi = part.partition("-")
            if not (lo.isdigit() and (not hi or hi.isdigit())):
                raise AchatCheckError("AC-E016", f"année « {v} » illisible : 2026, 2024-2026 ou 2024,2025.")
            first, last = int(lo), int(hi or lo)
            if not 2000 <= first <= last <= 2100:  # checked before the range is built: "2000-99999999999" was a list of 10^11 years
                raise AchatCheckError("AC-E016", f"années « {part} » : de 2000 à 2100, la première avant la dernière (2024-2026).")
            years += range(first, last + 1)
    if not years or len(set(years)) > 50:
        raise AchatCheckError("AC-E016", "année(s) attendue(s) entre 2000 et 2100 (50 au plus).")
    return sorted(set(years))


MAX_YEARS_LISTED = 8  # the markets of each year named in the message, up to this many years


def notified_years(markets: list[MarketRecord]) -> dict[int, int]:
    """Markets per year of notification (the years a tally can be asked for)."""
    counts: dict[int, int] = {}
    for m in markets:
        if m.notified is not None and 2000 <= m.notified.year <= 2100:
            counts[m.notified.year] = counts.get(m.notified.year, 0) + 1
    return counts


def only_year(register: str | Path, markets: list[MarketRecord], asking: Asking = COMMAND_LINE) -> list[int]:
    """The years to tally when none was asked: the register's only year of notification; a
    register of several years (or of none) is AC-E016, saying the years it covers and how to
    ask for them where the manager is (`asking.year`: « --year », « year= », the form's field)."""
    counts = notified_years(markets)
    if len(counts) != 1:
        raise AchatCheckError("AC-E016", years_asked(register, counts, asking.year))
    return list(counts)


def years_asked(register: str | Path, counts: dict[int, int], flag: str = "--year ") -> str:
    """What to answer a manager who gave no year for a register of several years (or none):
    the years it covers, from `notified_years` (« --year 2026 » was no help on a 2019-2021
    DECP file)."""
    if not counts:
        return f"indiquez l'année : {flag}2026 (ou {flag}2024-2026) ; aucune date de notification lisible dans {Path(register).name}."
    first, last = min(counts), max(counts)
    span = f"{first}" if first == last else f"{first} à {last}"
    per_year = f" (marchés par année de notification : {', '.join(f'{y} : {n}' for y, n in sorted(counts.items()))})" \
        if len(counts) <= MAX_YEARS_LISTED else ""
    example = f"{flag}{last}" + (f" (ou {flag}{first}-{last})" if first != last else "")
    return f"indiquez l'année : {Path(register).name} couvre {span}{per_year} : {example}."


def from_reports(reports: dict[str, MarketReport] | dict[str, ReportDigest]) -> list[MarketRecord]:
    """Markets known only by their DCE reports (a batch's results): the year is that of the
    notification date the batch's register gave, else of the consultation date, the only
    date a DCE gives; the organisation is the buyer the documents name (or the register),
    one organisation however its DCEs write it (`organisation_names`)."""
    digests = {market_id: digest(report) for market_id, report in reports.items()}
    names = organisation_names([r.buyer for r in digests.values()])
    return [
        MarketRecord(id=market_id, source=f"rapport {market_id}", buyer_name=r.buyer,
                     organisation=names.get(r.buyer) or "acheteur non trouvé dans le DCE", object=r.object,
                     procedure=r.procedure, notified=r.notified or r.consultation_date, amount=r.amount_ht)
        for market_id, r in digests.items()
    ]


def organisation_names(buyers: list[str]) -> dict[str, str]:
    """Each buyer's name as written in a DCE, mapped to the one name its organisation gets.

    DCEs write one buyer in several ways: a cover in capitals, the RC in lower case, a curly
    apostrophe or a double space (« MAIRIE DE COUPVRAY » on a real CCTP's cover, « Mairie de
    Coupvray » elsewhere; our sample UGECAM DCE read as « UGECAM Rives-de-Garonne » and, from the
    bench's PDF of the same text, « UGECAM RIVES-DE-GARONNE »): indicators by organisation
    split it into as many rows.  Names equal once folded (case, accents, apostrophes, spaces)
    are one organisation, named by its most frequent form, a form not all in capitals first."""
    keys: dict[str, str] = {}  # each spelling met, by its folded key
    forms: dict[str, Counter[str]] = {}  # each key's forms (spaces collapsed), counted
    for raw in buyers:
        if raw:
            form = " ".join(raw.split())
            keys[raw] = key = organisation_key(form)
            forms.setdefault(key, Counter())[form] += 1
    named = {key: _usual_form(counts) for key, counts in forms.items()}
    return {raw: named[key] for raw, key in keys.items()}


def _usual_form(counts: Counter[str]) -> str:
    """The most frequent form, one not all in capitals first; `max` keeps the first of equal
    forms, and a Counter lists its forms first seen first."""
    return max(counts, key=lambda form: (counts[form], not form.isupper()))


def _not_a_report(exc: Exception) -> str:
    """Why a JSON file of the reports' folder is not a report: a field it lacks (another JSON
    file, the indicators' own output), else its first wrong field, in French."""
    from pydantic import ValidationError

    from achat_check.errors import library_reason
    from achat_check.validation import in_french

    if not isinstance(exc, ValidationError):
        return library_reason(exc)
    errors = exc.errors()
    first = next((e for e in errors if e["type"] == "missing"), errors[0])
    if first["type"] == "json_invalid":
        return "JSON invalide"
    where = ".".join(str(x) for x in first["loc"])
    return f"champ « {where} » : {in_french(first)}" if where else in_french(first)


def load_reports(folder: str | Path, issues: list[DataIssue]) -> dict[str, ReportDigest]:
    """Reports of `achat-check check --format json` (or of a batch) in a folder (or one
    report's file), by market id (the report's `market_id`, else the file name without
    .json); each kept as its digest.  A folder that is not there was read as an empty one:
    the indicators went without the documents, and nothing said so."""
    from pydantic import ValidationError

    out: dict[str, ReportDigest] = {}
    for path in _report_files(Path(folder), issues):
        try:
            report = MarketReport.model_validate_json(path.read_bytes())
        except (OSError, ValidationError, ValueError) as exc:
            issues.append(DataIssue(kind="rapport illisible", source=path.name,
                                    message=f"ce fichier n'est pas un rapport achat-check ({_not_a_report(exc)}) : ignoré ; "
                                            "s'il en est un d'une autre version, vérifiez à nouveau le DCE."))
            continue
        out[report.market_id or path.stem] = digest(report)
    return out


def _report_files(folder: Path, issues: list[DataIssue]) -> list[Path]:
    """The JSON files of the reports' folder, or the report file given; a path that is not
    there, or a file of another kind, is an error naming it."""
    how = "achat-check batch export JOB --out DOSSIER ou achat-check check DCE -o rapport.json les écrivent"
    if folder.is_file():
        if folder.suffix.lower() != ".json":
            raise AchatCheckError("AC-E016", f"--reports attend un dossier de rapports JSON, ou un rapport .json ({how}).", str(folder))
        return [folder]
    if not folder.is_dir():
        raise AchatCheckError("AC-E001", f"dossier de rapports introuvable : vérifiez le chemin ({how}).", str(folder))
    found = sorted(folder.rglob("*.json"))
    if not found:
        issues.append(DataIssue(kind="rapports absents", source=folder.name or str(folder),
                                message=f"aucun rapport JSON dans ce dossier : les indicateurs sont calculés sans les documents ({how})."))
    return found


def scan_dces(markets: list[MarketRecord], issues: list[DataIssue], rulebook: str = "rso-2025",
              on_progress: Callable[[int, int], None] | None = None, years: list[int] | None = None) -> dict[str, ReportDigest]:
    """Check the DCE named in the register for each market that has one, of `years` when
    given: a market notified in another year counts in none of them, and a register of five
    years had every DCE checked to compute one.

    Reports are keyed by the ids `compute_indicators` will give the markets (a repeated line
    dropped and not checked twice, an id reused for another market numbered `id#2`): they are
    worked out here on copies, so that each report joins its own market.
    """
    from achat_check.checker import Checker
    from achat_check.errors import AchatCheckError

    todo = [m for m in prepare_markets([copy(m) for m in markets], [])
            if m.dce and (years is None or (m.notified is not None and m.notified.year in years))]
    if not todo:
        # asked to scan, and nothing was: the register names no DCE (the indicators were
        # computed from its declarations alone, without a word of it)
        named = "aucune ligne du registre ne nomme son DCE" if not any(m.dce for m in markets) else \
            "aucun marché des années calculées ne nomme son DCE"
        issues.append(DataIssue(kind="DCE non vérifiés", source="--scan", message=(
            f"{named} : la colonne « dce » donne le chemin du dossier ou du ZIP de chaque marché, relatif au registre ; "
            "les indicateurs viennent des seules déclarations du registre.")))
        return {}
    checker = Checker(rulebook=rulebook)
    out = {}
    for n, m in enumerate(todo, start=1):
        if on_progress is not None:
            on_progress(n, len(todo))
        if not Path(m.dce).exists():
            issues.append(DataIssue(kind="DCE introuvable", source=m.source, market_id=m.id, message=f"DCE introuvable : {m.dce}."))
            continue
        try:
            report = checker.check([m.dce])
        except AchatCheckError as exc:
            issues.append(DataIssue(kind="DCE illisible", source=m.source, market_id=m.id, message=str(exc)))
            continue
        report.market_id = m.id
        out[m.id] = digest(report)
    return out


def run(
    register: str | Path,
    years: list[int] | None,
    rulebook: str = "rso-2025",
    payments: str | Path | None = None,
    organisations: str | Path | None = None,
    reports_dir: str | Path | None = None,
    scan: bool = False,
    by: str | None = None,
    today: date | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    asking: Asking = COMMAND_LINE,
    reports: dict[str, ReportDigest] | None = None,
) -> IndicatorReport:
    """Load the registers, join the DCE reports (of `reports_dir`, and `reports` given by market
    id: a stored batch's), compute every indicator of the rulebook for `years` (None: the
    register's only year, see `only_year`, known before any DCE is scanned); what a value
    lacks is asked for in the words of `asking` (command line, web page, API)."""
    issues: list[DataIssue] = []
    markets = load_markets(register, issues)
    years = years or only_year(register, markets, asking)
    pays = load_payments(payments, issues) if payments else []
    orgs = load_organisations(organisations, issues) if organisations else []
    joined = {**(load_reports(reports_dir, issues) if reports_dir else {}), **(reports or {})}
    if scan:
        joined.update(scan_dces(markets, issues, rulebook, on_progress, years))
    return compute_indicators(markets, years, rulebook, pays, orgs, joined, by, issues, today, asking)
