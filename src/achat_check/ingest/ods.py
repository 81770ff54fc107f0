"""OpenDocument spreadsheets (.ods, LibreOffice Calc's own format): sheets as rows of cells.

Two users meet them: a DCE whose price schedule (BPU, DQE) was saved from Calc, and a
purchasing manager whose register of markets lives in Calc.  `content.xml` is streamed
with ElementTree (odfpy's DOM would hold every cell of a 20,000-line register as Python
objects) once `check_office_zip` has refused bombs, DTD entities and encrypted files.

Calc writes runs of identical cells and rows once, with a repeat count: the empty tail of
every row (`number-columns-repeated="1000"`) and sheet (`number-rows-repeated="1048000"`).
Empty runs are never expanded; filled ones are, within the limits and a cell budget a
hostile file cannot get past.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO
from xml.etree import ElementTree

from achat_check.errors import AchatCheckError, library_reason
from achat_check.extract.numbers import fmt_count
from achat_check.ingest.office import check_office_zip
from achat_check.settings import Limits

TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
CELLS = (f"{TABLE}table-cell", f"{TABLE}covered-table-cell")
#: Calc's own sheet size: no genuine file repeats a row or a cell further
MAX_REPEAT = 1 << 20
#: cells a workbook may expand to (a register of 50,000 markets by 40 columns is 2 million)
MAX_CELLS = 5_000_000
MAX_SPACES = 100


@dataclass
class Sheet:
    """One sheet: its name, its rows (trailing empty cells left out; empty rows kept as `[]`
    between filled ones, dropped at the end), and what lies past the rows and columns read
    (« 150 001 lignes », « 75 colonnes »)."""

    name: str
    rows: list[list[object]] = field(default_factory=list)
    rows_seen: int = 0  # rows up to the last filled one, read or not
    cols_seen: int = 0
    empty_rows: int = 0
    #: cells (« C2 ») holding a formula never computed: a program wrote the file, and Calc,
    #: which computes and keeps each value on saving, never opened it
    uncomputed: list[str] = field(default_factory=list)

    def add(self, row: _Row, repeat: int, max_rows: int, budget: _Budget) -> None:
        """A row, as many times as it repeats; empty rows are kept (as `[]`) between filled
        ones only, so that a register's line numbers stay those of the sheet."""
        if not row.cells:
            self.empty_rows += repeat
            return
        self.cols_seen = max(self.cols_seen, row.width)
        start = self.rows_seen + self.empty_rows
        self.rows_seen, self.empty_rows = start + repeat, 0
        pad = max(0, min(start, max_rows) - len(self.rows))
        take = max(0, min(self.rows_seen, max_rows) - len(self.rows) - pad)
        budget.spend(pad + take * len(row.cells))
        self.rows += [[] for _ in range(pad)]
        self.rows += [list(row.cells) for _ in range(take)]


def read_sheets(data: bytes, path: str, typed: bool, limits: Limits, max_rows: int | None = None,
                max_cols: int | None = None) -> list[Sheet]:
    """Every sheet of the workbook.  `typed`: a cell is its value (float, date, bool, text),
    for a register; else the text Calc shows (« 1 234,50 € », « 15/10/2026 »), for a DCE."""
    check_office_zip(data, path, limits)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf, zf.open("content.xml") as fh:
            return _parse(fh, typed, max_rows or MAX_REPEAT, max_cols or MAX_REPEAT, path)
    except KeyError:
        raise AchatCheckError("AC-E004", "classeur ODS sans contenu (content.xml absent) : réenregistrez-le depuis LibreOffice Calc.", path) from None
    except (zipfile.BadZipFile, ElementTree.ParseError, OSError, EOFError) as exc:
        raise AchatCheckError("AC-E004", f"classeur ODS illisible ({library_reason(exc)}) : réenregistrez-le depuis LibreOffice Calc.",
                              path) from None


def beyond(sheet: Sheet, max_rows: int, max_cols: int) -> str:
    """What of a sheet was left out: « 150 001 lignes », « 75 colonnes », or empty."""
    said = []
    if sheet.rows_seen > max_rows:
        said.append(f"{fmt_count(sheet.rows_seen)} lignes")
    if sheet.cols_seen > max_cols:
        said.append(f"{sheet.cols_seen} colonnes")
    return ", ".join(said)


def _parse(fh: IO[bytes], typed: bool, max_rows: int, max_cols: int, path: str) -> list[Sheet]:
    sheets: list[Sheet] = []
    depth = 0  # a table inside a cell (Writer's sub-table, pasted) is read as that cell's text
    budget = _Budget(path)
    row = _Row(max_cols, budget)
    for event, el in ElementTree.iterparse(fh, events=("start", "end")):
        tag = el.tag
        if tag == f"{TABLE}table":
            depth += 1 if event == "start" else -1
            if event == "start" and depth == 1:
                sheets.append(Sheet(name=el.get(f"{TABLE}name") or f"Feuille {len(sheets) + 1}"))
            continue
        if event != "end" or depth != 1:
            continue
        if tag in CELLS:
            if el.get(f"{TABLE}formula") and el.get(f"{OFFICE}value-type") is None:
                _uncomputed(sheets[-1], row)
            row.add(_value(el, typed), _repeat(el, "columns"))
            el.clear()
        elif tag == f"{TABLE}table-row":
            sheets[-1].add(row, _repeat(el, "rows"), max_rows, budget)
            row = _Row(max_cols, budget)
            el.clear()
    return sheets


def _uncomputed(sheet: Sheet, row: _Row) -> None:
    """Note the cell being read (« C2 ») as a formula never computed."""
    from openpyxl.utils import get_column_letter  # a rare case: not loaded for every workbook

    sheet.uncomputed.append(f"{get_column_letter(row.width + row.empty + 1)}{sheet.rows_seen + sheet.empty_rows + 1}")


class _Budget:
    """The cells a workbook may expand to, spent before they are made: past it the file is
    refused, never expanded."""

    def __init__(self, path: str) -> None:
        self.left = MAX_CELLS
        self.path = path

    def spend(self, cells: int) -> None:
        self.left -= cells
        if self.left < 0:
            raise AchatCheckError(
                "AC-E006", f"classeur ODS de plus de {fmt_count(MAX_CELLS)} cellules une fois ses répétitions dépliées : "
                "fichier anormal, il n'a pas été lu ; enregistrez-le en CSV depuis LibreOffice Calc.", self.path)


class _Row:
    """A row being read.  A run of empty cells is placed only when a filled cell follows it:
    Calc ends every row with one as wide as the sheet."""

    def __init__(self, max_cols: int, budget: _Budget) -> None:
        self.cells: list[object] = []
        self.width = 0  # columns up to the last filled one, read or not
        self.empty = 0
        self.max_cols = max_cols
        self.budget = budget

    def add(self, value: object, repeat: int) -> None:
        if value is None or value == "":
            self.empty += repeat
            return
        start = self.width + self.empty
        self.width, self.empty = start + repeat, 0
        pad = max(0, min(start, self.max_cols) - len(self.cells))
        take = max(0, min(self.width, self.max_cols) - len(self.cells) - pad)
        self.budget.spend(pad + take)
        self.cells += [None] * pad + [value] * take


def _repeat(el: ElementTree.Element, what: str) -> int:
    try:
        return max(1, min(int(el.get(f"{TABLE}number-{what}-repeated") or 1), MAX_REPEAT))
    except ValueError:
        return 1


def _value(el: ElementTree.Element, typed: bool) -> object:
    shown = "\n".join(_text(p) for p in el if p.tag == f"{TEXT}p").strip()
    if not typed:
        return " ".join(shown.split())
    kind = el.get(f"{OFFICE}value-type")
    try:
        if kind in ("float", "percentage", "currency"):
            return float(el.get(f"{OFFICE}value") or "")  # none written: ValueError, the text stands
        if kind == "date":
            day = el.get(f"{OFFICE}date-value") or ""
            return datetime.fromisoformat(day) if "T" in day else date.fromisoformat(day)
        if kind == "boolean":
            return el.get(f"{OFFICE}boolean-value") == "true"
    except (TypeError, ValueError):
        pass  # a value Calc would not write: the text shown stands
    return shown or None


def _text(el: ElementTree.Element) -> str:
    """Text of a paragraph with its spaces (`text:s`), tabs and line breaks, notes left out;
    walked with a stack, as a hostile file may nest spans deeper than Python recurses."""
    out: list[str] = []
    stack: list[ElementTree.Element | str] = [el]  # elements to open, and the texts that follow them
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        tag = item.tag
        if tag == f"{TEXT}s":
            try:
                out.append(" " * min(int(item.get(f"{TEXT}c") or 1), MAX_SPACES))
            except ValueError:
                out.append(" ")
        elif tag == f"{TEXT}tab":
            out.append("\t")
        elif tag == f"{TEXT}line-break":
            out.append("\n")
        elif tag not in (f"{OFFICE}annotation", f"{TEXT}note"):
            out.append(item.text or "")
            for child in reversed(item):
                stack += [child.tail or "", child]
    return "".join(out)
