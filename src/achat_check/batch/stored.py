"""The stored form of a market's report, made by the process that checked the market."""

from __future__ import annotations

from dataclasses import dataclass, field

from achat_check.model import MarketReport, Notice


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
        """The stored form of a report."""
        flags, facts = report.flags, report.facts
        columns = {
            "documents": len(report.documents),
            "env_consideration": flags.env_consideration, "env_criterion": flags.env_criterion,
            "social_consideration": flags.social_consideration, "social_criterion": flags.social_criterion,
            "insertion_clause": flags.insertion_clause, "facilitator": flags.facilitator, "reserved": flags.reserved,
            "in_scope": flags.in_scope, "amount_ht": facts.estimated_amount_ht, "insertion_hours": report.insertion.hours,
            "procedure": facts.procedure, "consultation_date": facts.consultation_date,
            "obligations_failed": sum(1 for f in report.findings if f.severity == "error"),
            "recommendations_missed": sum(1 for f in report.findings if f.severity == "warning"),
        }
        return cls(report.model_dump_json(), report.rulebook, report.rules_version, report.tool_version,
                   report.readable, columns, list(report.errors))
