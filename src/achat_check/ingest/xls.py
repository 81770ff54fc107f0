"""Excel 97-2003 workbooks (.xls): sheets as rows of cells, as `ods.read_sheets` gives them.

Two users meet them: a DCE whose price schedule (BPU, DQE, DPGF) comes from an old Excel
template, and a purchasing manager whose register of markets is exported by a purchasing
system that still writes .xls.  xlrd reads the BIFF records only: no macro runs, no formula
is computed (the value Excel saved is read), and a sheet holds at most 65,536 rows by 256
columns, so a hostile file is bounded by its size, which the ingest guard already limits.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from achat_check.errors import AchatCheckError, library_reason
from achat_check.ingest.ods import Sheet

#: an Excel 97 sheet's size: a register is read whole within it
MAX_ROWS, MAX_COLS = 65_536, 256
#: how Excel shows a yes/no cell in French
BOOLEANS = {True: "VRAI", False: "FAUX"}
RESAVE = "réenregistrez-le en .xlsx depuis le tableur"


def read_sheets(data: bytes, path: str, typed: bool, max_rows: int, max_cols: int) -> list[Sheet]:
    """Every sheet of the workbook.  `typed`: a cell is its value (number, date, yes/no, text),
    for a register; else the text a French Excel shows (« 15/10/2026 », « VRAI »), for a DCE.
    Empty rows are kept as `[]` so that a register's line numbers stay those of the sheet."""
    import xlrd

    try:
        # xlrd prints its warnings on a damaged file to stdout, where the JSON report goes: kept apart
        book = xlrd.open_workbook(file_contents=data, on_demand=True, ragged_rows=True, logfile=io.StringIO())
    except xlrd.XLRDError as exc:
        if "encrypted" in str(exc).lower():
            raise AchatCheckError(
                "AC-E005",
                "classeur Excel protégé par un mot de passe : dans Excel, « Fichier > Informations > Protéger "
                "le classeur », retirez le mot de passe, ou enregistrez-en une copie sans mot de passe.",
                path,
            ) from None
        raise _unreadable(exc, path) from None
    except Exception as exc:  # noqa: BLE001 - xlrd fails on damaged records with any error (struct, index, assert)
        raise _unreadable(exc, path) from None
    try:
        return [_sheet(book, i, typed, max_rows, max_cols, path) for i in range(book.nsheets)]
    finally:
        book.release_resources()


def _unreadable(exc: Exception, path: str) -> AchatCheckError:
    # xlrd's message when not known, its class name when long; a record pointing past the others
    # (« 5 », or nothing) says its damage instead; any failure of the OLE container's layer
    # (« MSAT extension corruption: seen[3] == 2 », « sector allocation table invalid entry »,
    # found by fuzzing) is the container's damage
    from xlrd.compdoc import CompDocError

    if isinstance(exc, CompDocError):
        return AchatCheckError("AC-E004", f"classeur XLS illisible (conteneur Office endommagé) : {RESAVE}.", path)
    bare = isinstance(exc, (KeyError, IndexError, AssertionError))
    reason = library_reason(exc, "structure interne tronquée ou abîmée" if bare else None)
    reason = type(exc).__name__ if reason == str(exc) and len(reason) > 80 else reason
    return AchatCheckError("AC-E004", f"classeur XLS illisible ({reason}) : {RESAVE}.", path)


def _sheet(book: Any, index: int, typed: bool, max_rows: int, max_cols: int, path: str) -> Sheet:  # an xlrd Book (no stubs)
    try:
        ws = book.sheet_by_index(index)
    except Exception as exc:  # noqa: BLE001 - a damaged sheet's records fail as the book's do
        raise _unreadable(exc, path) from None
    sheet = Sheet(name=ws.name, rows_seen=ws.nrows, cols_seen=ws.ncols)
    for r in range(min(ws.nrows, max_rows)):
        cells = [_value(c, book.datemode, typed) for c in ws.row_slice(r, 0, min(ws.row_len(r), max_cols))]
        while cells and cells[-1] in (None, ""):
            cells.pop()
        sheet.rows.append(cells)
    while sheet.rows and not sheet.rows[-1]:
        sheet.rows.pop()
    return sheet


def _value(cell: Any, datemode: int, typed: bool) -> object:  # an xlrd Cell
    """A cell's value (typed) or the text Excel shows; None for an empty cell or an error."""
    import xlrd

    kind, value = cell.ctype, cell.value
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if kind == xlrd.XL_CELL_TEXT:
        return " ".join(value.split()) if not typed else value
    if kind == xlrd.XL_CELL_NUMBER:
        number = int(value) if value.is_integer() else value
        return number if typed else str(number)
    if kind == xlrd.XL_CELL_DATE:
        return _date(value, datemode, typed)
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(value) if typed else BOOLEANS[bool(value)]
    return None if typed else xlrd.error_text_from_code.get(value, "")


def _date(value: float, datemode: int, typed: bool) -> object:
    """A date cell: a datetime (a date when it has no time of day) or « 15/10/2026 »; the
    serial number itself when it is no date Excel can show (negative, past 9999)."""
    import xlrd

    try:
        when = xlrd.xldate_as_datetime(value, datemode)
    except (xlrd.xldate.XLDateError, ValueError, OverflowError):
        return value if typed else str(value)
    if typed:
        return when.date() if when == datetime(when.year, when.month, when.day) else when
    return when.strftime("%d/%m/%Y") if when.hour == when.minute == 0 else when.strftime("%d/%m/%Y %H:%M")
