"""The report as one self-contained HTML page (no network: inline CSS, no fonts, no CDN).

Every quote links to a view of its page where the exact words the rule matched are
highlighted, so a buyer can read the clause in its context without opening the PDF.
Only the cited pages are embedded, which keeps the page small for large DCEs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from achat_check.checks import scope_basis
from achat_check.extract.criteria import makes_100
from achat_check.extract.numbers import fmt_count
from achat_check.model import Criterion, Document, Evidence, MarketReport
from achat_check.report.labels import (
    CHECK_STATUS,
    EFORMS_FIELDS,
    KIND_LABELS,
    LEVER_LABELS,
    NOTHING_READ,
    check_kind_in,
    cite,
    criteria_tables,
    eforms_meaning,
    fact_rows,
    fmt_percent,
    fmt_score,
    market_buyer,
    market_object,
    partly_read,
    piece,
    pieces_missing,
    unbroken_amounts,
    yes_no,
)

MAX_PAGES = 300  # cited pages embedded at most


@dataclass
class PageView:
    """One cited page, with the spans to highlight and their anchors."""

    anchor: str
    document: str
    page: int
    start: int
    text: str
    marks: dict[tuple[int, int], str] = field(default_factory=dict)  # (start, end) in doc.text -> anchor

    def html(self) -> Markup:
        """The page text, escaped, with <mark> around each cited span.

        Overlapping spans (two rules on the same words) are merged into one mark that
        carries every anchor, so that every link lands on highlighted words.
        """
        merged: list[list[Any]] = []  # [start, end, anchors] relative to the page
        for (a, b), anchor in sorted(self.marks.items()):
            a, b = max(a - self.start, 0), min(b - self.start, len(self.text))
            if b <= a:
                a, b = max(0, min(a, len(self.text) - 1)), max(0, min(a, len(self.text) - 1)) + 1
            if merged and a < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
                merged[-1][2].append(anchor)
            else:
                merged.append([a, b, [anchor]])
        out, pos = [], 0
        for a, b, anchors in merged:
            extra = "".join(f'<a id="{x}"></a>' for x in anchors[1:])
            out += [escape(self.text[pos:a]), f'<mark id="{anchors[0]}">{extra}', escape(self.text[a:b]), "</mark>"]
            pos = b
        out.append(escape(self.text[pos:]))
        return Markup("".join(out))


class Pages:
    """Registry of the cited pages: gives each evidence a link to its highlighted words."""

    def __init__(self, documents: list[Document]) -> None:
        self.docs = {d.path: d for d in documents}
        self.index = {d.path: i for i, d in enumerate(documents)}
        self.views: dict[tuple[str, int], PageView] = {}
        self.count = 0

    def link(self, ev: Evidence) -> str | None:
        """Anchor of the evidence's highlighted words, or None when its text is not at hand."""
        doc = self.docs.get(ev.document)
        if doc is None:
            return None
        key = (doc.path, ev.page)
        view = self.views.get(key)
        if view is None:
            if len(self.views) >= MAX_PAGES:
                return None
            start, text = doc.page_text(ev.page)
            view = PageView(f"p{self.index[doc.path]}-{ev.page}", doc.name, ev.page, start, text)
            self.views[key] = view
        span = (ev.start, ev.end)
        if span not in view.marks:
            self.count += 1
            view.marks[span] = f"ev{self.count}"
        return view.marks[span]

    def ordered(self) -> list[PageView]:
        """Views in document then page order."""
        return [self.views[k] for k in sorted(self.views, key=lambda k: (self.index[k[0]], k[1]))]



def _rows(criteria: list[Criterion], depth: int = 0) -> list[dict[str, Any]]:
    rows = []
    for c in criteria:
        rows.append({"c": c, "depth": depth, "kind": KIND_LABELS.get(c.kind, c.kind)})
        rows += _rows(c.sub, depth + 1)
    return rows


def _env() -> Environment:
    env = Environment(loader=PackageLoader("achat_check.report", "templates"), autoescape=select_autoescape(["html", "j2"]),
                      finalize=unbroken_amounts)
    env.filters.update(
        count=fmt_count, percent=fmt_percent, score=fmt_score, yes_no=yes_no, cite=cite,
        market_object=market_object, market_buyer=market_buyer, eforms_meaning=eforms_meaning,
        piece=lambda d: piece(d.kind, d.roles, d.subkind),
        eforms_field=lambda k: f"{k} ({EFORMS_FIELDS[k]})" if k in EFORMS_FIELDS else k,
    )
    return env


def to_html(report: MarketReport, documents: list[Document] | None = None) -> str:
    """Render the report; with the documents read, quotes link to highlighted page views."""
    pages = Pages(documents or [])
    template = _env().get_template("report.html.j2")
    html = template.render(
        r=report,
        f=report.facts,
        pages=pages,
        errors=[x for x in report.findings if x.severity == "error"],
        warnings=[x for x in report.findings if x.severity == "warning"],
        infos=[x for x in report.findings if x.severity == "info"],
        criteria_groups=[(heading, _rows(crits), total) for heading, crits, total in criteria_tables(report) if crits],
        makes_100=makes_100,
        CHECK_STATUS=CHECK_STATUS,
        LEVER_LABELS=LEVER_LABELS,
        check_kind_in=check_kind_in,
        fact_rows=fact_rows(report),
        scope_basis=scope_basis(report),
        generated=datetime.now().strftime("%d/%m/%Y %H:%M"),
        caveat=partly_read(report),
        missing=pieces_missing(report),
        nothing_read="" if report.readable else NOTHING_READ,
    )
    # The page views are filled while the body renders (each quote registers its page).
    views = _env().get_template("pages.html.j2").render(views=pages.ordered())
    return html.replace("<!--PAGES-->", views)
