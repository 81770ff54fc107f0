"""Cells for the spreadsheets we write (XLSX and CSV), safe to open in Excel or LibreOffice.

What goes in them comes from outside: market ids are folder and file names of an archive,
messages name files and quote register cells, cross-checks quote documents.  A text that
starts with "=" became a formula in our XLSX (openpyxl stores such a string as one), and in
a CSV a spreadsheet computes any cell starting with =, +, - or @: a market named
"=HYPERLINK(...)" was a live link, "- 30 % prix" showed #NOM?.  The JSON and JSON lines
keep the text exactly; the spreadsheets keep it as text.
"""

from __future__ import annotations

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


def csv_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as written: a text that would start a formula gets a
    leading apostrophe, which Excel and LibreOffice read as "this is text" (numbers pass)."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    """A CSV row of `csv_cell`s."""
    return [csv_cell(v) for v in values]
