"""The report as Markdown: verdicts first, then proof, then what was read."""

from __future__ import annotations

from achat_check.checks import scope_label
from achat_check.extract.criteria import makes_100
from achat_check.extract.numbers import fmt_count, fmt_number
from achat_check.model import Criterion, Detection, MarketReport
from achat_check.report.labels import (
    CHECK_STATUS,
    FINDING_KINDS,
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


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def to_markdown(report: MarketReport) -> str:
    """Render the whole report."""
    out: list[str] = ["# Rapport achat-check", ""]
    if not report.readable:
        out += [f"**{NOTHING_READ}**", "", "### Fichiers non lus", ""] + [f"- {n.render()}" for n in report.errors]
        return "\n".join(out).rstrip() + "\n"
    out += _summary(report)
    out += _findings(report)
    out += _criteria(report)
    out += _considerations(report)
    out += _facts(report)
    out += _documents(report)
    return "\n".join(out).rstrip() + "\n"


def _summary(r: MarketReport) -> list[str]:
    fails = [f for f in r.findings if f.severity == "error"]
    warns = [f for f in r.findings if f.severity == "warning"]
    lines = [f"**Objet** : {_cell(obj)}", ""] if (obj := market_object(r)) else []
    lines += [f"**Acheteur** : {_cell(buyer)}", ""] if (buyer := market_buyer(r)) else []
    lines += [
        f"Référentiel : **{r.rulebook}** · outil {r.tool_version} · règles {r.rules_version or '—'}",
        "",
        "## Synthèse",
        "",
        f"- Obligations non respectées : **{len(fails)}**",
        f"- Recommandations non suivies : **{len(warns)}**",
        f"- Considération environnementale : {yes_no(r.flags.env_consideration)} · critère environnemental : {yes_no(r.flags.env_criterion)}",
        f"- Considération sociale : {yes_no(r.flags.social_consideration)} · critère social : {yes_no(r.flags.social_criterion)}",
        f"- Clause d'insertion : {yes_no(r.flags.insertion_clause)}"
        + (f" ({fmt_count(r.insertion.hours)} heures)" if r.insertion.hours else "")
        + f" · facilitateur : {yes_no(r.flags.facilitator)} · marché réservé : {yes_no(r.flags.reserved)}",
        f"- Dans le périmètre des indicateurs : {scope_label(r)}",
        *([f"- **{caveat}**"] if (caveat := partly_read(r)) else []),
        *([f"- **{missing}**"] if (missing := pieces_missing(r)) else []),
        "",
    ]
    if r.check_details:
        lines += ["## Vérifications", "", "| vérification | résultat | pourquoi | base |", "|---|---|---|---|"]
        lines += [
            f"| {c.title} (`{c.id}`, {check_kind_in(r, c)}) "
            f"| **{CHECK_STATUS.get(c.status, c.status)}** | {_cell(c.reason)} | {_cell(c.legal_basis)} |"
            for c in r.check_details
        ]
        lines.append("")
    if r.errors:
        lines += ["### Fichiers non lus", ""] + [f"- {n.render()}" for n in r.errors] + [""]
    return lines


def _findings(r: MarketReport) -> list[str]:
    if not r.findings:
        return []
    lines = ["## Points à corriger", ""]
    for f in r.findings:
        lines.append(f"### {f.title} ({FINDING_KINDS[f.severity]})")
        lines.append("")
        lines.append(f.message)
        if f.legal_basis:
            lines.append(f"\n*Base : {f.legal_basis}*")
        for ev in f.evidence[:3]:
            lines.append(f"\n> {clip(ev.quote, 300)}  \n> — {cite(ev)}")
        if f.suggestion:
            lines += ["", "Rédaction proposée :", "", "```text", f.suggestion.strip(), "```"]
        lines.append("")
    return lines


def _criterion_rows(c: Criterion, depth: int = 0) -> list[str]:
    pad = "  " * depth + ("↳ " if depth else "")
    pts = f"{fmt_number(c.points)} pts" if c.points is not None else ""
    rows = [f"| {pad}{_cell(c.name)} | {fmt_percent(c.weight)} | {pts} | {KIND_LABELS.get(c.kind, c.kind)} |"]
    for s in c.sub:
        rows += _criterion_rows(s, depth + 1)
    return rows


def _criteria(r: MarketReport) -> list[str]:
    if not r.criteria:
        return []
    lines = ["## Critères d'attribution", ""]
    for heading, criteria, total in criteria_tables(r):
        if heading:
            lines += [f"### {heading}", ""]
        lines += ["| critère | poids | points | nature |", "|---|---|---|---|"]
        for c in criteria:
            lines += _criterion_rows(c)
        lines += ["", f"Total : {fmt_percent(total)}" + ("" if makes_100(total) is not False else " (différent de 100 %)"), ""]
    return lines


def _detections(title: str, items: list[Detection]) -> list[str]:
    if not items:
        return [f"### {title}", "", "Aucune.", ""]
    lines = [f"### {title}", ""]
    for d in items:
        ev = d.evidence[0] if d.evidence else None
        where = f" — {cite(ev)}" if ev else ""
        lines.append(f"- **{d.title or d.rule_id}** ({LEVER_LABELS.get(d.lever, d.lever)}, score {fmt_score(d.score)}){where}")
        if ev:
            lines.append(f"  > {clip(ev.quote, 240)}")
    lines.append("")
    return lines


def _considerations(r: MarketReport) -> list[str]:
    c = r.considerations
    if not (c.environmental or c.social or r.insertion.present or r.reserved.present):
        return []
    lines = ["## Considérations relevées", ""]
    lines += _detections("Environnementales", c.environmental)
    lines += _detections("Sociales", c.social)
    ins = r.insertion
    if ins.present:
        lines += ["### Clause d'insertion", ""]
        if ins.hours is not None:
            lines.append(f"- Heures sur la durée du marché : **{fmt_count(ins.hours)}** ({ins.hours_basis or ''})")
        elif ins.share_of_labour_hours is not None:
            lines.append(f"- Part des heures travaillées : {fmt_percent(ins.share_of_labour_hours * 100)}")
        else:
            lines.append("- Nombre d'heures non indiqué dans les documents fournis")
        lines.append(f"- Facilitateur : {yes_no(ins.facilitator)}" + (f" ({ins.facilitator_name})" if ins.facilitator_name else ""))
        lines.append("")
    if r.reserved.present:
        lines += ["### Marché réservé", "", f"- Base : {r.reserved.basis or 'non précisée'}", ""]
    return lines


def _facts(r: MarketReport) -> list[str]:
    rows = fact_rows(r)
    if all(v == "—" for _, v in rows):
        return []
    return ["## Données du marché", "", "| donnée | valeur |", "|---|---|"] + [f"| {k} | {v} |" for k, v in rows] + [""]


def _documents(r: MarketReport) -> list[str]:
    lines = ["## Documents lus", "", "| document | pièce | pages | OCR | articles | avertissements |", "|---|---|---|---|---|---|"]
    for d in r.documents:
        pages = f"{d.pages}{' (estimé)' if d.pages_estimated else ''}"
        lines.append(
            f"| {_cell(d.name)} | {piece(d.kind, d.roles, d.subkind)} | {pages} | {yes_no(d.ocr)} "
            f"| {len(d.structure.headings)} | {len(d.warnings)} |"
        )
    lines.append("")
    for d in r.documents:
        if d.warnings:
            lines += [f"- {w.render()}" for w in d.warnings]
    return lines + [""]
