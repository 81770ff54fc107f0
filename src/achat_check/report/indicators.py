"""The indicators on a terminal: one table per year and family, then data quality and cross-checks."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from rich.console import Console
from rich.table import Table

from achat_check.extract.numbers import fmt_count, fmt_number
from achat_check.indicators.export import display_value, one_file
from achat_check.indicators.model import IndicatorReport
from achat_check.report.labels import yes_no

MAX_GROUPS = 30  # tables of groups at a terminal; 300 organisations scrolled for minutes
#: the unit written after a target that is no rate (« 15 000 000 € »)
TARGET_UNITS = {"euros": " €", "heures": " h"}
#: the label column's width at least: its longest words (« environnementale ») whole
LABEL_MIN_WIDTH = 16


def _more(hidden: int, sheet: str, out: Path | None) -> str:
    """Where the lines not shown are: in the files written, or in those --out would write."""
    return f"… et {hidden} autre(s) : {_where(out, f'onglet « {sheet} »', 'indicateurs.json', False, 'toutes')}"


def _where(out: Path | None, place: str, beside: str | None, in_csv: bool, every: str) -> str:
    """Where lines not shown are written: `place` of the workbook (and the `beside` file) of
    the folder `out`, or the one file `out` names when it holds them (the JSON holds all, the
    CSV the indicators' rows); else how to have them."""
    ask = f"relancez avec --out DOSSIER pour les avoir {every} (XLSX, CSV, JSON)"
    if out is None:
        return ask
    if not one_file(out):
        return f"{place} de {out / 'indicateurs.xlsx'}" + (f", et {out / beside}" if beside else "")
    suffix = out.suffix.lower()
    if suffix == ".xlsx":
        return f"{place} de {out}"
    return str(out) if suffix == ".json" or in_csv else ask


def _table(report: IndicatorReport, group: str | None, ids: dict[str, None], years: list[int]) -> tuple[Table, int]:
    """One family's indicators over `years` (a rate above its fraction, the target) and the
    narrowest width it shows in without cropping a column."""
    title = f"Indicateurs {report.rulebook}" + (f" — {group}" if group else " — ensemble")
    title += (f" — {years[0]}" if len(years) == 1 and len(report.years) > 1 else "")
    table = Table(title=title + f" (seuil {report.threshold_ht:,.0f} € HT)".replace(",", " "))
    rows = []
    for iid in ids:
        first = report.find(iid, None, group)  # with no year: its first, whatever the year (`ids` are the group's)
        assert first is not None
        cells = []
        for y in years:
            ind = report.find(iid, y, group)
            frac = f"\n({fmt_count(ind.numerator or 0)}/{fmt_count(ind.denominator)})" if ind and ind.unit == "taux" and ind.denominator else ""
            cells.append(display_value(ind) + frac if ind else "")
        target = f"{fmt_number(first.target * 100)} %" if first.target is not None and first.unit == "taux" else (
            fmt_count(first.target) + TARGET_UNITS.get(first.unit, "") if first.target is not None else "")
        rows.append([f"{iid}\n{first.level}", first.label, *cells, target])
    heads = ["indicateur", "libellé", *map(str, years), "cible"]
    widths = [max(len(line) for cell in [head, *(r[k] for r in rows)] for line in cell.split("\n")) for k, head in enumerate(heads)]
    widths[1] = LABEL_MIN_WIDTH  # the label wraps
    for k, head in enumerate(heads):
        table.add_column(head, justify="right" if k > 1 else "left", no_wrap=k != 1, ratio=1 if k == 1 else None,
                         min_width=LABEL_MIN_WIDTH if k == 1 else None)
    for row in rows:
        table.add_row(*row)
    return table, sum(widths) + 3 * len(widths) + 1


def print_indicators(report: IndicatorReport, console: Console, max_issues: int = 40, out: Path | None = None,
                     max_groups: int = MAX_GROUPS) -> None:
    """Indicators (all organisations, then each group), data quality, cross-checks.

    Groups, data-quality lines and cross-checks are shown up to `max_groups` and
    `max_issues` (a national register has hundreds of organisations and thousands of
    markets); the rest is in the files written to `out`, or the message says how to write them.
    """
    ids_of: dict[str | None, dict[str, None]] = {}
    for i in report.indicators:
        ids_of.setdefault(i.group, {})[i.id] = None
    groups = sorted(g for g in ids_of if g is not None)
    everywhere = _said_everywhere(report, groups)
    for group in [None, *groups[:max_groups]]:
        table, width = _table(report, group, ids_of.get(group, {}), report.years)
        if width <= console.width or len(report.years) < 2:
            console.print(table)
        else:
            for year in report.years:  # too wide for the terminal (rich would crop the right columns)
                console.print(_table(report, group, ids_of.get(group, {}), [year])[0])
        # each table's « — » says why right under it (the last group's remarks read as the whole's)
        _remarks(report, console, max_issues, out, group, everywhere if group else (), grouped=bool(groups))
    if len(groups) > max_groups:
        where = _where(out, "colonne « groupe » (un onglet par famille)", "indicateurs.csv", True, "tous")
        console.print(f"… et {len(groups) - max_groups} autre(s) groupe(s) : {where}", style="dim", highlight=False, markup=False)
    if report.data_quality:
        console.print(f"Qualité des données ({len(report.data_quality)})", style="bold")
        for d in report.data_quality[:max_issues]:
            console.print(f"• [{d.kind}] {d.source}" + (f" · {d.market_id}" if d.market_id else "") + f" : {d.message}", highlight=False, markup=False)
        if len(report.data_quality) > max_issues:
            console.print(_more(len(report.data_quality) - max_issues, "Qualité des données", out), style="dim", highlight=False, markup=False)
    if report.cross_check:
        console.print(f"Déclarations contredites par les documents ({len(report.cross_check)})", style="bold")
        for c in report.cross_check[:max_issues]:
            console.print(f"• {c.market_id} · {c.field} : déclaré {yes_no(c.declared)}, documents {yes_no(c.documents)}", highlight=False, markup=False)
            for e in c.evidence:
                console.print(f"    {e}", style="dim", highlight=False, markup=False)
        if len(report.cross_check) > max_issues:
            console.print(_more(len(report.cross_check) - max_issues, "Contrôle croisé", out), style="dim", highlight=False, markup=False)


def _said_everywhere(report: IndicatorReport, groups: list[str]) -> set[str]:
    """The remarks every group shares with the whole (« registre des paiements non fourni »):
    said once, under the whole's table, not again under each group's."""
    if not groups:
        return set()
    shared = {_line(r) for r in report.remarks()}
    for group in groups:
        shared &= {_line(r) for r in report.remarks(group)}
    return shared


def _line(remark: tuple[list[str], list[int], str]) -> str:
    ids, years, note = remark
    return f"{', '.join(ids)} {years} {note}"


def _remarks(report: IndicatorReport, console: Console, most: int, out: Path | None, group: str | None = None,
             said_once: Collection[str] = (), grouped: bool = False) -> None:
    """Each indicator's remark for all organisations (or one `group`, but for those
    `said_once` for all): why a value is « — » (no market of the year, none at the
    threshold, a value the register does not give and how to give it) or what it leaves
    out; the table alone showed a dash and no reason."""
    said = [r for r in report.remarks(group) if _line(r) not in said_once]
    if not said:
        return
    whose = f" — {group}" if group else (" — ensemble" if grouped else "")
    console.print(f"Remarques{whose} ({len(said)})", style="bold", highlight=False, markup=False)
    for ids, years, note in said[:most]:
        when = f" ({', '.join(map(str, years))})" if len(report.years) > 1 else ""
        console.print(f"• {', '.join(ids)}{when} : {note}.", highlight=False, markup=False)
    if len(said) > most:
        where = _where(out, "colonne « remarque » des onglets par famille", None, True, "toutes")
        console.print(f"… et {len(said) - most} autre(s) : {where}", style="dim", highlight=False, markup=False)
