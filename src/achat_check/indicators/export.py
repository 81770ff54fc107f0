"""Write the indicators as JSON, CSV, XLSX (one sheet per family, a chart sheet) and PNG charts,
and the register templates a purchasing manager fills in.
"""

from __future__ import annotations

import csv
import ctypes
import gc
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from achat_check.errors import FILE_SUFFIXES, AchatCheckError
from achat_check.indicators.model import Indicator, IndicatorReport
from achat_check.indicators.registers import (
    MARKET_COLUMNS,
    ORGANISATION_COLUMNS,
    PAYMENT_COLUMNS,
    Column,
)
from achat_check.report.labels import yes_no

if TYPE_CHECKING:  # openpyxl is imported when a workbook is written
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.worksheet import Worksheet
from achat_check.report.sheets import csv_row, xlsx_row

CSV_FIELDS = ["id", "label", "level", "family", "unit", "year", "group", "value", "numerator", "denominator", "target", "markets", "market_ids", "note"]
UNIT_LABELS = {"taux": "%", "nombre": "nombre", "heures": "heures", "jours": "jours", "euros": "€ HT"}


def to_csv(report: IndicatorReport) -> str:
    """One row per indicator, year and group; rates as fractions, like the JSON, written with a
    decimal comma (`csv_cell`)."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";")
    w.writerow(CSV_FIELDS)
    for i in report.indicators:
        w.writerow(csv_row([i.id, i.label, i.level, i.family, i.unit, i.year, i.group or "", _num(i.value), _num(i.numerator),
                            _num(i.denominator), _num(i.target), len(i.market_ids), " ".join(i.market_ids), i.note]))
    return buf.getvalue()


def _num(v: float | None) -> float | str:
    """A figure for `csv_cell` to write, or an empty cell."""
    return "" if v is None else float(v)


def display_value(i: Indicator) -> str:
    """The value as a buyer reads it: 42,5 %, 1 200 heures, 28,3 jours."""
    if i.value is None:
        return "—"
    if i.unit == "taux":
        return f"{i.value * 100:.1f} %".replace(".", ",")
    if i.unit == "jours":
        return f"{i.value:.1f} jours".replace(".", ",")
    text = f"{i.value:,.0f}".replace(",", " ")
    return text + (" €" if i.unit == "euros" else (" h" if i.unit == "heures" else ""))


# --------------------------------------------------------------------------- XLSX


def write_xlsx(report: IndicatorReport, path: Path) -> None:
    """One sheet per indicator family, data quality, cross-check, and a chart sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    wb.remove(wb.worksheets[0])  # the default sheet: ours are named
    bold, head_fill = Font(bold=True), PatternFill("solid", fgColor="DCE6F1")
    families = list(dict.fromkeys(i.family for i in report.indicators))
    for family in families:
        ws = wb.create_sheet(family[:31])
        ws.append(["indicateur", "libellé", "niveau", "année", "groupe", "valeur", "unité", "numérateur", "dénominateur", "cible", "marchés", "remarque"])
        for row, i in enumerate((x for x in report.indicators if x.family == family), start=2):  # counted: ws.max_row looks at every cell
            ws.append(xlsx_row(ws, [i.id, i.label, i.level, i.year, i.group or "Ensemble", i.value, UNIT_LABELS[i.unit], i.numerator,
                                i.denominator, i.target, len(i.market_ids), i.note]))
            if i.unit == "taux":
                for col in ("F", "J"):
                    ws[f"{col}{row}"].number_format = "0.0%"
            elif i.unit in ("euros", "heures", "nombre"):
                ws[f"F{row}"].number_format = "#,##0"
        _style(ws, bold, head_fill, widths={"A": 20, "B": 70, "E": 24, "L": 40})
        wrap = Alignment(wrap_text=True, vertical="top")  # one style object for the column, not one per cell
        for cell in ws["B"]:
            cell.alignment = wrap
    _sheet_rows(wb, "Qualité des données", ["nature", "où", "marché", "message"],
                [[d.kind, d.source, d.market_id or "", d.message] for d in report.data_quality], bold, head_fill, {"B": 28, "D": 110})
    _sheet_rows(wb, "Contrôle croisé", ["marché", "donnée", "déclaré", "documents", "preuve"],
                [[c.market_id, c.field, yes_no(c.declared), yes_no(c.documents), "\n".join(c.evidence)] for c in report.cross_check],
                bold, head_fill, {"B": 28, "E": 110})
    _sheet_rows(wb, "Marchés", ["marché", "année", "groupe", "montant HT", "dans le périmètre", "considération env.", "critère env.",
                                "considération sociale", "PME", "facilitateur", "réservé", "heures d'insertion", "source des valeurs", "ligne"],
                [[m.id, m.year, m.group, m.amount_ht, yes_no(m.in_scope), yes_no(m.env_consideration), yes_no(m.env_criterion),
                  yes_no(m.social_consideration), yes_no(m.sme), yes_no(m.facilitator), yes_no(m.reserved), m.insertion_hours,
                  "documents" if m.from_documents else "registre", m.source] for m in report.markets],
                bold, head_fill, {"A": 18, "N": 28})
    _charts(wb, report)
    wb.save(path)



def _style(ws: Worksheet, bold: Font, fill: PatternFill, widths: dict[str, int]) -> None:
    for cell in ws[1]:
        cell.font, cell.fill = bold, fill
    ws.freeze_panes = "A2"
    for col, width in widths.items():
        ws.column_dimensions[col].width = width


def _sheet_rows(wb: Workbook, title: str, header: list[str], rows: list[list[Any]], bold: Font, fill: PatternFill, widths: dict[str, int]) -> None:
    ws = wb.create_sheet(title)
    ws.append(header)
    for r in rows:
        ws.append(xlsx_row(ws, r))
    _style(ws, bold, fill, widths)


def _charts(wb: Workbook, report: IndicatorReport) -> None:
    """A data sheet of the rates (all organisations) by year, and a chart sheet drawing them."""
    from openpyxl.chart import BarChart, LineChart, Reference

    rates = list(dict.fromkeys(i.id for i in report.indicators if i.unit == "taux" and i.group is None))
    data = wb.create_sheet("Données des graphiques")
    data.append(["indicateur", *[str(y) for y in report.years], "cible"])
    for rid in rates:
        row: list[str | float | None] = [rid, *(_value(report, rid, y) for y in report.years)]
        target = next((i.target for i in report.indicators if i.id == rid), None)
        data.append([*row, target])
        for cell in data[data.max_row][1:]:
            cell.number_format = "0.0%"
    n, years = len(rates), len(report.years)
    bars = BarChart()
    bars.type, bars.grouping = "col", "clustered"
    bars.title = f"Taux par année ({report.rulebook})"
    bars.y_axis.title, bars.y_axis.number_format = "taux", "0%"
    bars.y_axis.scaling.min, bars.y_axis.scaling.max = 0, 1
    if n:
        bars.add_data(Reference(data, min_col=2, max_col=1 + years + 1, min_row=1, max_row=1 + n), titles_from_data=True)
        bars.set_categories(Reference(data, min_col=1, min_row=2, max_row=1 + n))
    sheet = wb.create_chartsheet("Graphiques")
    sheet.add_chart(bars)
    shown, _ = trend_series(report, rates)
    if years > 1 and shown:  # as in the PNG, a rate computed in no year draws no empty series
        trend = LineChart()
        trend.title, trend.y_axis.number_format = "Tendance des taux", "0%"
        for r, rid in enumerate(rates, start=2):
            if rid in shown:
                trend.add_data(Reference(data, min_col=1, max_col=1 + years, min_row=r, max_row=r), from_rows=True, titles_from_data=True)
        trend.set_categories(Reference(data, min_col=2, max_col=1 + years, min_row=1, max_row=1))
        data.add_chart(trend, "A" + str(n + 4))


# --------------------------------------------------------------------------- PNG


def bar_labels(report: IndicatorReport, rates: list[str], year: int) -> list[str]:
    """The label over each bar of a year: its rate as the table writes it, without a
    trailing « ,0 » (« 62,5 % », « 100 % »), or « n.c. » for a rate not computed, drawn as no
    bar (a missing rate looked like a rate of 0 %).  Rounded to the unit, 5 PME markets of 8
    read « 62 % » over the table's « 62,5 % »."""
    out = []
    for r in rates:
        ind = report.find(r, year)
        out.append(display_value(ind).replace(",0 %", " %") if ind is not None and ind.value is not None else "n.c.")
    return out


def write_charts(report: IndicatorReport, folder: Path) -> list[Path]:
    """PNG charts: the rates of each year against their targets, and their trend over the years."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    rates = list(dict.fromkeys(i.id for i in report.indicators if i.unit == "taux" and i.group is None))
    if rates:
        fig, ax = plt.subplots(figsize=(max(6, 1.4 * len(rates)), 4.2), dpi=110)
        width = 0.8 / max(len(report.years), 1)
        for k, year in enumerate(report.years):
            values = [(_value(report, r, year) or 0) * 100 for r in rates]
            xs = [x + k * width for x in range(len(rates))]
            bars = ax.bar(xs, values, width=width, label=str(year))
            ax.bar_label(bars, labels=bar_labels(report, rates, year), fontsize=7, padding=2)
        for x, r in enumerate(rates):
            target = next((i.target for i in report.indicators if i.id == r and i.target is not None), None)
            if target is not None:
                ax.hlines(target * 100, x - width / 2, x + width * (len(report.years) - 0.5), colors="black", linestyles="dashed")
        ax.set_xticks([x + width * (len(report.years) - 1) / 2 for x in range(len(rates))], rates)
        ax.set_ylim(0, 112)  # room for the label of a rate of 100 %
        ax.set_ylabel("%")
        ax.set_title(f"Indicateurs en taux ({report.rulebook}) — pointillés : cible ; n.c. : non calculé (voir les remarques)")
        ax.legend()
        fig.tight_layout()
        path = folder / "taux.png"
        fig.savefig(path)
        plt.close(fig)
        written.append(path)
    if len(report.years) > 1 and rates:
        written.append(_trend_chart(report, rates, folder / "tendance.png", plt))
    return written


def trend_series(report: IndicatorReport, rates: list[str]) -> tuple[dict[str, list[float | None]], list[str]]:
    """The rates (in %) of each year for the trend, and the rates computed in no year, left
    out: on a DECP file of the 2019 format (no considerations declared) the chart was six
    legend entries over an empty frame."""
    series = {r: [(ind.value * 100 if (ind := report.find(r, y)) and ind.value is not None else None) for y in report.years]
              for r in rates}
    return {r: v for r, v in series.items() if any(x is not None for x in v)}, [r for r, v in series.items() if all(x is None for x in v)]


def _trend_chart(report: IndicatorReport, rates: list[str], path: Path, plt: Any) -> Path:  # matplotlib.pyplot, imported late
    """The rates over the years; those never computed named under the title, or said when none was."""
    shown, never = trend_series(report, rates)
    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=110)
    for r, values in shown.items():
        ax.plot(report.years, values, marker="o", label=r)
    ax.set_xticks(report.years, [str(y) for y in report.years])
    ax.set_xlim(report.years[0] - 0.5, report.years[-1] + 0.5)  # else, with nothing drawn, the ticks fall on one another
    ax.set_ylim(0, 105)
    ax.set_ylabel("%")
    if never and shown:
        ax.set_title(f"Tendance des taux\nnon calculés : {', '.join(never)} (voir les remarques)", fontsize=10)
    else:
        ax.set_title("Tendance des taux")
    if shown:
        ax.legend()
    else:
        ax.text(0.5, 0.5, "Aucun taux calculé pour ces années : voir les remarques.", transform=ax.transAxes, ha="center", va="center")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


#: the files `-o` may name instead of a folder: that one is written alone
SINGLE_FILES = (".xlsx", ".json", ".csv")


def check_out(out: Path) -> None:
    """Refuse, before anything is computed, an `-o` naming a file of a kind not written: it
    was made a folder of that name (« -o indicateurs.pdf/indicateurs.xlsx »)."""
    suffix = out.suffix.lower()
    if suffix in FILE_SUFFIXES and suffix not in SINGLE_FILES and not out.is_dir():
        raise AchatCheckError("AC-E016", "les indicateurs s'écrivent dans un dossier (JSON, CSV, XLSX et "
                              "graphiques ; un nom sans extension, ex. -o sortie) ou dans un seul fichier .xlsx, .json ou .csv.",
                              str(out))


def one_file(out: Path) -> bool:
    """True when `out` names the one file to write (.xlsx, .json, .csv), not a folder."""
    return out.suffix.lower() in SINGLE_FILES and not out.is_dir()


def write_out(report: IndicatorReport, out: Path) -> list[Path]:
    """The one file `out` names (.xlsx with its chart, .json, .csv), else every file in the
    folder `out`: « -o indicateurs.xlsx » made a folder of that name, the workbook inside."""
    if not one_file(out):
        return write_all(report, out)
    out.parent.mkdir(parents=True, exist_ok=True)
    _write_file(report, out)
    _give_back_memory()
    return [out]


def write_all(report: IndicatorReport, folder: Path) -> list[Path]:
    """indicateurs.json, indicateurs.csv, indicateurs.xlsx and the PNG charts, in one folder."""
    folder.mkdir(parents=True, exist_ok=True)
    files = [folder / f"indicateurs{suffix}" for suffix in (".json", ".csv", ".xlsx")]
    for path in files:
        _write_file(report, path)
    written = [*files, *write_charts(report, folder / "graphiques")]
    _give_back_memory()
    return written


def _write_file(report: IndicatorReport, path: Path) -> None:
    """The report as the file its extension names: the workbook, the JSON, or the CSV (with
    the byte-order mark Excel needs to read UTF-8)."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        write_xlsx(report, path)
    elif suffix == ".json":
        path.write_text(report.model_dump_json(indent=2), encoding="utf-8")
    else:
        path.write_text(to_csv(report), encoding="utf-8-sig")


def _give_back_memory() -> None:
    """The workbook and the charts leave freed blocks that glibc keeps for the process: the
    table or JSON printed after the files (so that a closed pipe cannot lose them) then added
    to them (bench/indicators: a peak of 234 MB instead of 199)."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the memory stays with the process, as before
        pass


# --------------------------------------------------------------------------- templates

TEMPLATES = {"Marchés": MARKET_COLUMNS, "Paiements": PAYMENT_COLUMNS, "Organismes": ORGANISATION_COLUMNS}


TEMPLATE_SUFFIXES = (".xlsx", ".ods", ".csv")


def write_template(path: Path) -> list[Path]:
    """The registers to fill in: an XLSX (or, for a .ods path, a LibreOffice Calc workbook)
    with a sheet each and a sheet documenting the columns, or (for a .csv path) three CSV
    files.  An .ods path was written as an XLSX under that name, which no reader took; any
    other name (« modele.xls ») was too, which Excel opens with a warning: it is refused."""
    suffix = path.suffix.lower()
    if suffix not in TEMPLATE_SUFFIXES:
        raise AchatCheckError("AC-E016", f"le modèle s'écrit en .xlsx (Excel), .ods (LibreOffice Calc) ou .csv, pas sous le "
                              f"nom « {path.name} » : relancez avec par exemple -o {path.stem or 'modele'}.xlsx.", str(path))
    if suffix == ".ods":
        return [_template_ods(path)]
    if suffix == ".csv":
        written = []
        for sheet, cols in TEMPLATES.items():
            target = path if sheet == "Marchés" else path.with_name(f"{path.stem}-{_slug(sheet)}.csv")
            buf = io.StringIO()
            w = csv.writer(buf, delimiter=";")
            w.writerow([c.name for c in cols])
            w.writerow([c.example for c in cols])
            target.write_text(buf.getvalue(), encoding="utf-8-sig")
            written.append(target)
        return written
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.worksheets[0])  # the default sheet: ours are named
    for sheet, cols in TEMPLATES.items():
        ws = wb.create_sheet(sheet)
        ws.append([c.name for c in cols])
        ws.append([c.example for c in cols])
        for cell in ws[1]:
            cell.font = Font(bold=True)
    doc = wb.create_sheet("Colonnes")
    doc.append(["feuille", "colonne", "obligatoire", "contenu", "exemple", "autres noms acceptés"])
    for sheet, cols in TEMPLATES.items():
        for c in cols:
            doc.append(_doc_row(sheet, c))
    doc.column_dimensions["D"].width = 90
    wb.save(path)
    return [path]


def _template_ods(path: Path) -> Path:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    sheets = {sheet: [[c.name for c in cols], [c.example for c in cols]] for sheet, cols in TEMPLATES.items()}
    sheets["Colonnes"] = [["feuille", "colonne", "obligatoire", "contenu", "exemple", "autres noms acceptés"]] + [
        _doc_row(sheet, c) for sheet, cols in TEMPLATES.items() for c in cols]
    for name, rows in sheets.items():
        table = Table(name=name)
        for values in rows:
            row = TableRow()
            for value in values:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=str(value)))
                row.addElement(cell)
            table.addElement(row)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


def _doc_row(sheet: str, c: Column) -> list[str]:
    return [sheet, c.name, "oui" if c.required else "non", c.help, c.example, ", ".join(c.aliases)]


def _slug(text: str) -> str:
    return text.lower().replace("é", "e").replace(" ", "-")


def _value(report: IndicatorReport, indicator_id: str, year: int) -> float | None:
    """The indicator's value that year (None: not computed, or no figure)."""
    ind = report.find(indicator_id, year)
    return ind.value if ind else None
