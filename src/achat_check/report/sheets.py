"""Cells for the spreadsheets we write (XLSX and CSV), safe to open in Excel or LibreOffice.

What goes in them comes from outside: market ids are folder and file names of an archive,
messages name files and quote register cells, cross-checks quote documents.  A text that
starts with "=" became a formula in our XLSX (openpyxl stores such a string as one), and in
a CSV a spreadsheet computes any cell starting with =, +, - or @: a market named
"=HYPERLINK(...)" was a live link, "- 30 % prix" showed #NOM?.  The JSON and JSON lines
keep the text exactly; the spreadsheets keep it as text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

#: what a spreadsheet reads as the start of a formula in a CSV cell (OWASP's list)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?\d+([.,]\d+)?([eE][+-]?\d+)?")


def xlsx_row(ws: Any, values: Iterable[Any]) -> list[Any]:
    """Cells for openpyxl's `ws.append`: texts stay texts, whatever they start with.

    openpyxl refuses control characters with an error, and they come in quotes from
    documents (pdfium's \\x02 for a soft hyphen) and in registers' stray bytes: they are
    dropped.  A text starting with "=" is handed over as a cell of `ws` typed as text (both
    the normal and the write-only worksheets take a cell in a row).
    """
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    row: list[Any] = []
    for v in values:
        if isinstance(v, str):
            v = ILLEGAL_CHARACTERS_RE.sub("", v)
            if v.startswith("="):
                cell = WriteOnlyCell(ws, value=v)  # a Cell of ws (row and column set on append)
                cell.data_type = "s"
                v = cell
        row.append(v)
    return row


#: decimals kept in a CSV figure (a rate 0,570625, seconds 0,038)
CSV_DECIMALS = 6


def csv_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet set to French reads as written (our CSVs are « ; »-separated
    for it): a figure with a decimal comma and never an exponent (the indicators' CSV wrote a
    target of 15 M€ « 1.5e+07 », a text there), « oui »/« non » for a yes/no (not Python's
    « True »), and a text that would start a formula behind an apostrophe, which Excel and
    LibreOffice read as "this is text"."""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float):
        return french_figure(value)
    if isinstance(value, str) and value.startswith(FORMULA_START) and not NUMBER.fullmatch(value):
        return "'" + value
    return value


def french_figure(value: float) -> str:
    """1500 ; 0,570625 ; 15000000 : whole numbers without a decimal part, others with a comma."""
    if not math.isfinite(value):
        return ""
    if value.is_integer():
        return str(int(value))
    return f"{value:.{CSV_DECIMALS}f}".rstrip("0").rstrip(".").replace(".", ",")


def csv_row(values: Iterable[Any]) -> list[Any]:
    """A CSV row of `csv_cell`s."""
    return [csv_cell(v) for v in values]
