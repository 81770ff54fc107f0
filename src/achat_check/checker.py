"""One DCE in, one `MarketReport` out: the library's main entry point.

The analysis resources (the French pipeline, the compiled rule packs) are built once per
`Checker` and reused for every market it checks: build one per process (CLI run, API
lifespan, batch worker), never one per request.
"""

from __future__ import annotations

import time
from pathlib import Path

from achat_check import market
from achat_check.analysis import Analyzer
from achat_check.ingest import Ingested, ingest
from achat_check.model import DocumentReport, MarketReport
from achat_check.settings import Limits, get_limits


class Checker:
    """Checks DCEs against a rulebook with the rule packs it was built with."""

    def __init__(
        self, rulebook: str = "rso-2025", limits: Limits | None = None, rules_dirs: list[str | Path] | None = None
    ) -> None:
        self.rulebook = rulebook
        self.limits = limits or get_limits()
        self.analyzer = Analyzer(rulebook, rules_dirs)

    def check(self, paths: list[str | Path]) -> MarketReport:
        """Read the documents of one market and report on them."""
        started = time.perf_counter()
        ingested = ingest(paths, self.limits)
        report = self.report(ingested, [str(p) for p in paths])
        report.elapsed_seconds = round(time.perf_counter() - started, 3)
        return report

    def report(self, ingested: Ingested, source: list[str]) -> MarketReport:
        """Assemble the report of documents already read."""
        report = MarketReport(
            rulebook=self.rulebook,
            rules_version=self.analyzer.version,
            source=source,
            documents=[DocumentReport.of(d) for d in ingested.documents],
            errors=ingested.notices,
        )
        scored = [s for doc in ingested.documents for s in self.analyzer.scan(doc)]
        return market.assemble(report, ingested.documents, scored)
