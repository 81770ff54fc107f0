"""The stored form of a market's report, made by the process that checked the market."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from achat_check.errors import AchatCheckError
from achat_check.ingest.archive import readable_name
from achat_check.model import MarketReport, Notice

if TYPE_CHECKING:
    from achat_check.batch.store import Market, Store
    from achat_check.indicators.model import ReportDigest

#: the report's fields that name a file of the DCE (documents, evidence, notices)
PATH_KEYS = ("path", "document")


@dataclass
class StoredReport:
    """What the store keeps of a MarketReport: its JSON and the columns the indicators need.

    Built where the report is made (a batch worker), so that the process writing the
    store neither parses nor serialises reports: at two workers, that parsing was most of
    the writer's work and took CPU from the workers.
    """

    report_json: str
    rulebook: str
    rules_version: str
    tool_version: str
    readable: bool
    columns: dict[str, object] = field(default_factory=dict)
    errors: list[Notice] = field(default_factory=list)

    @classmethod
    def of(cls, report: MarketReport) -> StoredReport:
        """The stored form of a report, with its digest for the indicators (made here, in the
        worker, as the columns are)."""
        from achat_check.indicators.compute import digest

        flags, facts = report.flags, report.facts
        columns: dict[str, object] = {
            "documents": len(report.documents),
            "env_consideration": flags.env_consideration, "env_criterion": flags.env_criterion,
            "social_consideration": flags.social_consideration, "social_criterion": flags.social_criterion,
            "insertion_clause": flags.insertion_clause, "facilitator": flags.facilitator, "reserved": flags.reserved,
            "in_scope": flags.in_scope, "amount_ht": facts.estimated_amount_ht, "insertion_hours": report.insertion.hours,
            "procedure": facts.procedure, "consultation_date": facts.consultation_date,
            "obligations_failed": sum(1 for f in report.findings if f.severity == "error"),
            "recommendations_missed": sum(1 for f in report.findings if f.severity == "warning"),
            "unread": ", ".join(report.unread()) or None,
            "failed_checks": failed_checks(report),
            "buyer": facts.buyer, "object": facts.object, "max_duration_months": facts.max_duration_months,
            "missing_pieces": ", ".join(report.missing_pieces()) or None,
            "digest_json": digest(report).to_json(),
        }
        return cls(report.model_dump_json(), report.rulebook, report.rules_version, report.tool_version,
                   report.readable, columns, list(report.errors))


def failed_checks(report: MarketReport) -> str | None:
    """The checks a report fails, obligations and recommendations, in its order, joined by
    ", " (migration 0005 fills the column of older stores with its own copy of this rule)."""
    return ", ".join(dict.fromkeys(f.check for f in report.findings if f.status == "fail")) or None


def failed_check_ids(column: str | None) -> list[str]:
    """The check ids a reports.failed_checks value holds (what `failed_checks` joined)."""
    return [c for c in (column or "").split(", ") if c]


def own_report(market: Market, report_json: str, shown: Callable[[str], str] | None = None) -> dict[str, Any]:
    """A stored report as this market's own: its id, and its own files, each as `shown` names
    it (the API names an uploaded archive's files inside it, not in its working folder).

    Identical DCEs share one stored report (the cache, and the same content within a job),
    which names the market and the files that were checked first; a buyer opening this
    market's report must see this market's folder, not another's.
    """
    report: dict[str, Any] = json.loads(report_json)
    report["market_id"] = market.market_id
    own = [readable_name(p) for p in json.loads(market.paths)]
    first = report.get("source") or []
    if len(first) == len(own) and first != own:
        report["source"] = own
        moves = list(zip(first, own, strict=True))
        _rebase(report, lambda path: _moved(path, moves))
    if shown is not None:
        report["source"] = [shown(p) for p in report.get("source") or []]
        _rebase(report, shown)
    return report


def _rebase(node: object, move: Callable[[str], str]) -> None:
    """Every file path of a report (PATH_KEYS) passed through `move`."""
    if isinstance(node, list):
        for item in node:
            _rebase(item, move)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key in PATH_KEYS and isinstance(value, str):
                node[key] = move(value)
            elif isinstance(value, (list, dict)):
                _rebase(value, move)


def _moved(path: str, moves: list[tuple[str, str]]) -> str:
    for old, new in moves:
        if path == old or path.startswith(old + "/"):
            return new + path[len(old):]
    return path


def latest_reports(store: Store, rulebook: str) -> dict[str, ReportDigest]:
    """The digest of each market's report from the latest job that checked it under this
    rulebook (what the indicators read: a digest each, not 0.2 MB of report each), with the
    notification date its register gave, if any."""
    reports: dict[str, ReportDigest] = {}
    for job in store.jobs():  # newest first: a market's latest report is the first one met
        if job.rulebook == rulebook:
            for market_id, d in _digests(store, job.id, rulebook, skip=reports):
                reports[market_id] = d
    return reports


def job_reports(store: Store, job_id: str, rulebook: str) -> dict[str, ReportDigest]:
    """The digest of each market's report of one job, by the market's id (a register's, when
    the job was made from one): what `indicators --reports` reads from a `batch export`.  A
    job checked under another rulebook is a clear error: its reports judge other rules."""
    job = store.job(job_id)
    if job.rulebook != rulebook:
        raise AchatCheckError("AC-E016", f"le lot « {job_id} » a été vérifié avec le référentiel {job.rulebook}, pas {rulebook} : "
                                         f"demandez les indicateurs de {job.rulebook}, ou relancez le lot avec {rulebook}.")
    return dict(_digests(store, job_id, rulebook))


def _digests(store: Store, job_id: str, rulebook: str, skip: dict[str, ReportDigest] | None = None) -> Iterator[tuple[str, ReportDigest]]:
    """Each report of the job under this rulebook as its digest, with the notification date
    its register gave, if any; the markets in `skip` left out (a newer job's report won).

    The digest kept beside each report is read, not the report (45 kB to parse and validate:
    11 s for the indicators of 10,000 markets).  It names files by their names only, which
    identical DCEs sharing one report share; a report stored before it was kept (migration
    0010), and one of which nothing could be read (its digest quotes its file's path), are
    read whole as this market's own."""
    from achat_check.indicators.compute import digest
    from achat_check.indicators.model import ReportDigest

    for m, r in store.results(job_id, full=False):
        if r is None or r.rulebook != rulebook or m.market_id in (skip or {}):
            continue
        d = ReportDigest.from_json(r.digest_json) if r.digest_json else None
        if d is None or not d.readable:
            d = digest(MarketReport.model_validate(own_report(m, store.report_json(r.id))))
        d.market_id = m.market_id
        d.notified = given.notified if (given := m.given_facts()) else None
        yield m.market_id, d
