"""The report on a terminal (rich): verdicts first, then findings with quotes, then criteria."""

from __future__ import annotations

import io

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from achat_check.checks import scope_label
from achat_check.extract.numbers import fmt_count, fmt_number
from achat_check.model import Criterion, MarketReport
from achat_check.report.consoles import console
from achat_check.report.labels import (
    CHECK_STATUS,
    KIND_LABELS,
    LEVER_LABELS,
    NOTHING_READ,
    check_kind_in,
    cite,
    clip,
    criteria_tables,
    fact_rows,
    fmt_percent,
    fmt_score,
    market_buyer,
    market_object,
    partly_read,
    piece,
    pieces_missing,
    yes_no,
)

STATUS_STYLE = {"pass": "green", "fail": "bold red", "not_applicable": "dim", "unknown": "yellow"}



def print_report(report: MarketReport, out: Console) -> None:
    """Print every section of the report (only why, when no file could be read)."""
    if not report.readable:
        said = [Text(n.render(), style="red" if n.level == "error" else "yellow") for n in report.errors]
        out.print(Panel(Group(Text(NOTHING_READ, style="bold red"), *said), title=f"achat-check · {report.rulebook}"))
        return
    out.print(_summary(report))
    for part in (_findings(report), _criteria(report), _considerations(report), _facts(report), _documents(report)):
        if part is not None:
            out.print(part)


def to_text(report: MarketReport, width: int = 110) -> str:
    """The terminal report as plain text (for --out and tests)."""
    buf = io.StringIO()
    print_report(report, console(file=buf, width=width, color_system=None, force_terminal=False))
    return buf.getvalue()


def _summary(r: MarketReport) -> Panel:
    fails = sum(1 for f in r.findings if f.severity == "error")
    warns = sum(1 for f in r.findings if f.severity == "warning")
    head = Text()
    if obj := market_object(r):
        head.append(f"{obj}\n", style="italic")
    if buyer := market_buyer(r):
        head.append("Acheteur : ", style="bold")
        head.append(f"{buyer}\n")
    head.append("Obligations non respectées : ", style="bold")
    head.append(f"{fails}\n", style="bold red" if fails else "green")
    head.append("Recommandations non suivies : ", style="bold")
    head.append(f"{warns}\n", style="yellow" if warns else "green")
    head.append(
        f"Environnement : considération {yes_no(r.flags.env_consideration)}, critère {yes_no(r.flags.env_criterion)}   "
        f"Social : considération {yes_no(r.flags.social_consideration)}, critère {yes_no(r.flags.social_criterion)}\n"
    )
    hours = f" ({fmt_count(r.insertion.hours)} h)" if r.insertion.hours else ""
    head.append(
        f"Insertion : {yes_no(r.flags.insertion_clause)}{hours}   Facilitateur : {yes_no(r.flags.facilitator)}   "
        f"Marché réservé : {yes_no(r.flags.reserved)}\nPérimètre des indicateurs : {scope_label(r)}"
    )
    parts: list[RenderableType] = [head]
    for caveat in (partly_read(r), pieces_missing(r)):
        if caveat:
            parts.append(Text(caveat, style="bold yellow"))
    if r.check_details:
        checks = Table(show_header=True, header_style="bold", box=None)
        checks.add_column("vérification", max_width=46)
        checks.add_column("résultat", no_wrap=True)
        checks.add_column("pourquoi", max_width=60)
        for c in r.check_details:
            checks.add_row(f"{c.title} ({check_kind_in(r, c)})", Text(CHECK_STATUS.get(c.status, c.status), style=STATUS_STYLE.get(c.status, "")), clip(c.reason, 160))
        parts.append(checks)
    for n in r.errors:
        parts.append(Text(n.render(), style="red" if n.level == "error" else "yellow"))
    return Panel(Group(*parts), title=f"achat-check · {r.rulebook}", subtitle=f"{len(r.documents)} document(s)")


def _indented(text: str, style: str = "", indent: int = 2) -> Padding:
    """A paragraph whose wrapped lines stay under its first one (a message, a quote, a
    wording): spaces written before the text indented its first line only, and the rest ran
    back to the panel's edge, under the bullet of the next point."""
    return Padding(Text(text, style=style), (0, 0, 0, indent))


def _findings(r: MarketReport) -> Panel | None:
    if not r.findings:
        return None
    items: list[RenderableType] = []
    for f in r.findings:
        style = "bold red" if f.severity == "error" else ("yellow" if f.severity == "warning" else "cyan")
        items.append(Text(f"● {f.title}", style=style))
        items.append(_indented(f.message))
        if f.legal_basis:
            items.append(_indented(f"Base : {f.legal_basis}", "dim"))
        for ev in f.evidence[:2]:
            items.append(_indented(f"« {clip(ev.quote, 220)} » — {cite(ev)}", "italic"))
        if f.suggestion:
            items.append(_indented("Rédaction proposée : " + clip(f.suggestion, 400), "green"))
        items.append(Text(""))
    return Panel(Group(*items), title="Points à corriger")


def _add_criterion(table: Table, c: Criterion, depth: int = 0) -> None:
    table.add_row(
        ("  " * depth + ("↳ " if depth else "")) + c.name,
        fmt_percent(c.weight),
        f"{fmt_number(c.points)}" if c.points is not None else "",
        KIND_LABELS.get(c.kind, c.kind),
    )
    for s in c.sub:
        _add_criterion(table, s, depth + 1)


def _criteria(r: MarketReport) -> Group | None:
    if not r.criteria:
        return None
    tables = []
    for heading, criteria, total in criteria_tables(r):
        table = Table(title="Critères d'attribution" + (f" — {heading}" if heading else ""), show_lines=False)
        for col in ("critère", "poids", "points", "nature"):
            table.add_column(col)
        for c in criteria:
            _add_criterion(table, c)
        table.caption = f"Total : {fmt_percent(total)}"
        tables.append(table)
    return Group(*tables)


def _considerations(r: MarketReport) -> Panel | None:
    c = r.considerations
    if not (c.environmental or c.social):
        return None
    items: list[RenderableType] = []
    for title, dets in (("Environnement", c.environmental), ("Social", c.social)):
        items.append(Text(title, style="bold"))
        if not dets:
            items.append(Text("  Aucune.", style="dim"))
        for d in dets:
            ev = d.evidence[0] if d.evidence else None
            items.append(_indented(f"• {d.title or d.rule_id} ({LEVER_LABELS.get(d.lever, d.lever)}, {fmt_score(d.score)})"))
            if ev:
                items.append(_indented(f"« {clip(ev.quote, 180)} » — {cite(ev)}", "italic dim", 4))
    return Panel(Group(*items), title="Considérations relevées")


def _facts(r: MarketReport) -> Table | None:
    rows = fact_rows(r)
    if all(v == "—" for _, v in rows):
        return None
    table = Table(title="Données du marché", show_header=False)
    table.add_column()
    table.add_column()
    for k, v in rows:
        table.add_row(k, v)
    return table


def _documents(r: MarketReport) -> Table:
    table = Table(title="Documents lus")
    for col in ("document", "pièce", "pages", "OCR", "articles", "avertissements"):
        # a long file name wraps rather than losing its end (« …-LOT-00-Gene… » for five CCTP)
        table.add_column(col, overflow="fold" if col == "document" else "ellipsis")
    for d in r.documents:
        table.add_row(
            d.name,
            piece(d.kind, d.roles, d.subkind),
            f"{d.pages}{'~' if d.pages_estimated else ''}",
            yes_no(d.ocr),
            str(len(d.structure.headings)),
            "\n".join(w.render() for w in d.warnings) or "—",
        )
    return table
