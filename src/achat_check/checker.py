"""One DCE in, one `MarketReport` out: the library's main entry point.

The analysis resources (the French pipeline, the compiled rule packs) are built once per
`Checker` and reused for every market it checks: build one per process (CLI run, API
lifespan, batch worker), never one per request.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from achat_check import market
from achat_check.accents import fold
from achat_check.analysis import Analyzer
from achat_check.checks import PAYMENT_MAX_DAYS, Context, run_checks
from achat_check.checks.opendata import open_data
from achat_check.engine.loader import known_rulebook
from achat_check.errors import AchatCheckError, notice
from achat_check.extract.duration import months_at_most
from achat_check.extract.facts import apply_given, buyer
from achat_check.ingest import Ingested, ingest
from achat_check.ingest.archive import readable_name
from achat_check.model import DocKind, Document, DocumentReport, GivenFacts, MarketReport, Notice
from achat_check.settings import Limits, get_limits


class Checker:
    """Checks DCEs against a rulebook with the rule packs it was built with."""

    def __init__(
        self,
        rulebook: str = "rso-2025",
        limits: Limits | None = None,
        rules_dirs: Sequence[str | Path] | None = None,
        buyer_type: str = "organisme",
    ) -> None:
        known_rulebook(rulebook)
        if buyer_type not in PAYMENT_MAX_DAYS:
            raise AchatCheckError("AC-E016", f"type d'acheteur « {buyer_type} » inconnu : {', '.join(PAYMENT_MAX_DAYS)}.")
        self.rulebook = rulebook
        self.limits = limits or get_limits()
        self.analyzer = Analyzer(rulebook, rules_dirs)
        self.context = Context(rulebook=rulebook, buyer_type=buyer_type)

    def check(self, paths: Sequence[str | Path], notices: Sequence[Notice] = (), given: GivenFacts | None = None) -> MarketReport:
        """Read the documents of one market and report on them; `notices` name files of the
        DCE left out before (an archive member that could not be unpacked); `given` is what
        is known of the market beside its documents (see `apply_given`)."""
        return self.check_documents(paths, notices, given)[0]

    def check_documents(
        self, paths: Sequence[str | Path], notices: Sequence[Notice] = (), given: GivenFacts | None = None
    ) -> tuple[MarketReport, list[Document]]:
        """The report and the documents read (their text backs the HTML page views)."""
        started = time.perf_counter()
        ingested = ingest(paths, self.limits)
        ingested.notices[:0] = notices
        if several := several_dces(ingested.documents) or several_notices(ingested.documents):
            ingested.notices.append(several)
        report = self.report(ingested, [readable_name(str(p)) for p in paths], given)
        report.elapsed_seconds = round(time.perf_counter() - started, 3)
        return report, ingested.documents

    def report(self, ingested: Ingested, source: list[str], given: GivenFacts | None = None) -> MarketReport:
        """Assemble the report of documents already read."""
        report = MarketReport(
            rulebook=self.rulebook,
            rules_version=self.analyzer.version,
            source=source,
            documents=[DocumentReport.of(d) for d in ingested.documents],
            errors=ingested.notices,
        )
        scored = [s for doc in ingested.documents for s in self.analyzer.scan(doc)]
        market.assemble(report, ingested.documents, scored, given)
        if given is not None:
            apply_given(report.facts, given)
        report.facts.max_duration_at_most_months = months_at_most(report.facts)  # with the date given, if any
        report.decp = open_data(report)  # before the checks: clauses.declared holds the DCE's own declaration against it
        run_checks(report, self.analyzer.ruleset, replace(self.context, documents=ingested.documents))
        return report


def several_dces(documents: list[Document]) -> Notice | None:
    """The warning for the DCEs of several markets given as one: règlements de la
    consultation in folders side by side (an archive's root given to `check`: nine markets
    were merged into one report, the criteria of one beside the clauses of another).  An RC
    in a subfolder of another's (« modificatifs/ ») is the same market's."""
    folders = sorted({d.path.rsplit("/", 1)[0] if "/" in d.path else "" for d in documents if d.is_piece(DocKind.RC)})
    apart = [f for f in folders if not any(f != g and f.startswith(g + "/") for g in folders)]
    if len(apart) < 2:
        return None
    root = _common_folder(apart)
    names = [f[len(root):].strip("/") or f for f in apart]
    batch = f"achat-check batch {root}" if root and Path(root).is_dir() else "achat-check batch DOSSIER"
    return notice(
        "AC-W010",
        f"{len(apart)} règlements de la consultation, dans des dossiers distincts ({_shown(names)}) : ce sont sans doute "
        f"{len(apart)} marchés, que ce rapport mêle. Vérifiez chaque dossier à part, ou tous ensemble avec "
        f"`{batch}` (ou POST /v1/batches) : un rapport par marché.",
        root or None,
    )


def several_notices(documents: list[Document]) -> Notice | None:
    """The warning for the notices of several markets given as one: avis de publicité of
    different buyers (eight BOAMP notices of eight buyers in one folder made one report, the
    object of one, the lots of another).  Notices of one buyer (the BOAMP and JOUE notices of a
    market, a corrective notice) are the same market's."""
    buyers: dict[str, str] = {}
    for doc in documents:
        if doc.kind == DocKind.OTHER and doc.subkind == "avis" and (found := buyer([doc])):
            buyers.setdefault(" ".join(fold(found.value).split()), found.value)
    if len(buyers) < 2:
        return None
    root = _common_folder([d.path.rsplit("/", 1)[0] for d in documents if "/" in d.path])
    return notice(
        "AC-W010",
        f"avis de publicité de {len(buyers)} acheteurs distincts ({_shown(list(buyers.values()))}) : ce sont sans doute "
        f"{len(buyers)} marchés, que ce rapport mêle. Vérifiez chaque avis à part avec les pièces de son marché, ou "
        "placez chaque marché dans son dossier et vérifiez-les tous avec `achat-check batch DOSSIER` (ou POST "
        "/v1/batches) : un rapport par marché.",
        root or None,
    )


def _shown(names: list[str]) -> str:
    """The first five names, quoted."""
    return ", ".join(f"« {n} »" for n in names[:5]) + (" …" if len(names) > 5 else "")


def _common_folder(folders: list[str]) -> str:
    """The deepest folder holding all these (« /archive » for « /archive/a » and « /archive/b »)."""
    parts = [f.split("/") for f in folders]
    common = []
    for level in zip(*parts, strict=False):
        if len(set(level)) > 1:
            break
        common.append(level[0])
    return "/".join(common)
