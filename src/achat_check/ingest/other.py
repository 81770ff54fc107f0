"""Readers for legacy Word .doc (antiword), RTF, workbooks (XLSX, ODS, XLS price schedules) and plain text/Markdown."""

from __future__ import annotations

import codecs
import io
import re
import shutil
import subprocess
import tempfile
import zipfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from achat_check.errors import AchatCheckError, library_reason, notice
from achat_check.extract.numbers import fmt_count
from achat_check.ingest.office import check_office_zip
from achat_check.model import Table
from achat_check.raw import LINES_PER_PAGE, RawDocument, RawPage, paginate, split_lines
from achat_check.settings import Limits

if TYPE_CHECKING:
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    from achat_check.ingest.ods import Sheet

#: antiword's last words, said in French (its own messages name our temporary copy of the file)
ANTIWORD_SAYS = {
    "is not a Word Document": "ce n'est pas un document Word valide",
    "I can't find the text of this document": "le texte du document est introuvable",
    "is damaged": "sa structure interne est endommagée",
}
MAX_SHEET_ROWS = 5000
MAX_SHEET_COLS = 60


def read_doc(data: bytes, path: str, limits: Limits) -> RawDocument:
    """Read a Word 97-2003 .doc through antiword, in a private temporary directory."""
    exe = shutil.which("antiword")
    if not exe:
        raise AchatCheckError(
            "AC-E011",
            "ce fichier Word 97-2003 (.doc) demande l'outil antiword : installez-le "
            "(Debian/Ubuntu : sudo apt-get install antiword) ou enregistrez le fichier en .docx.",
            path,
        )
    with tempfile.TemporaryDirectory(prefix="achat-check-") as tmp:
        target = Path(tmp) / "document.doc"
        target.write_bytes(data)
        try:
            proc = subprocess.run(
                [exe, "-m", "UTF-8.txt", "-w", "0", str(target)],
                capture_output=True,
                timeout=max(limits.doc_timeout - 1, 1),
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise AchatCheckError("AC-E009", "antiword n'a pas fini de lire ce .doc à temps.", path) from None
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        hint = _antiword_says(err[-1]) if err else f"code {proc.returncode}"
        raise AchatCheckError(
            "AC-E004", f"ce .doc n'a pas pu être lu ({hint}) : enregistrez-le en .docx.", path
        )
    text = proc.stdout.decode("utf-8", "replace")
    pages = [RawPage(lines=split_lines(t)) for t in text.split("\f")]
    raw = RawDocument(format="doc", pages=paginate(pages), pages_estimated=True)
    raw.source_pages = len(raw.pages)
    return raw


def _antiword_says(line: str) -> str:
    """antiword's message in French, or its own words without the path of our temp copy."""
    return next((fr for en, fr in ANTIWORD_SAYS.items() if en in line), line.rsplit("document.doc", 1)[-1].strip(" :") or line)


#: an RTF control word (``\page``, ``\cell``, ``\row``) and not a longer one (``\pagebb``, ``\cellx``)
RTF_PAGE = re.compile(r"\\page(?![a-zA-Z])")
RTF_CELL = re.compile(r"\\cell(?![a-zA-Z])")
RTF_ROW = re.compile(r"\\row(?![a-zA-Z])")
RTF_IN_TABLE = re.compile(r"\\intbl(?![a-zA-Z])")
#: a paragraph's outline level, which Word writes on its headings (« Titre 1 » is level 0;
#: 9 is body text)
RTF_OUTLINE = re.compile(r"\\outlinelevel([0-8])(?![0-9])")
#: what they become before the text is taken out: a form feed, and separators no DCE
#: writes, so pages, table paragraphs, rows and headings can be told from the other paragraphs
CELL_END, ROW_END, IN_TABLE, HEADING = "\x1f", "\x1e", "\x1d", "\x1c"
HEADING_MARK = re.compile(HEADING + "([0-8])")


def _rtf_char(char: str) -> str:
    """The RTF writing `char` in a group of its own, so that the document's \\uc (how many
    fallback characters follow a \\u) does not eat or add a character."""
    return rf"{{\uc1\u{ord(char)}?}}"


RTF_MARKS = ((RTF_PAGE, _rtf_char("\f")), (RTF_CELL, _rtf_char(CELL_END)), (RTF_ROW, _rtf_char(ROW_END) + r"\par "),
             (RTF_IN_TABLE, _rtf_char(IN_TABLE)))
CELL_SPACES = re.compile(r"[ \t\n]+")


def read_rtf(data: bytes, path: str, limits: Limits) -> RawDocument:
    """Read an RTF file (real RCs list « rtf » among the DCE's formats, beside doc and xls):
    its text, its page breaks and its tables (one line of tab-separated cells per row, as
    for the other formats).  Pages are estimated: Word writes only the forced breaks."""
    from striprtf.striprtf import rtf_to_text

    source = decode_text(data)
    for control, mark in RTF_MARKS:
        source = control.sub(mark.replace("\\", r"\\"), source)  # as a template: backslashes doubled
    # the heading mark keeps its level: written as a text digit, in a group, right after the mark
    source = RTF_OUTLINE.sub(lambda m: _rtf_char(HEADING) + "{" + m.group(1) + "}", source)
    try:
        text = rtf_to_text(source, errors="replace")
    except (ValueError, IndexError, LookupError) as exc:
        reason = library_reason(exc, "syntaxe RTF invalide")
        raise AchatCheckError("AC-E004", f"RTF illisible ({reason}) : enregistrez-le en .docx ou en PDF.", path) from None
    pages: list[RawPage] = []
    tables: list[Table] = []
    for chunk in text.split("\f")[: limits.max_pages]:
        lines, found = _rtf_rows(split_lines(chunk))
        first = len(pages)
        pages.extend(paginate([_with_headings(lines)]))
        tables += [Table(page=first + at // LINES_PER_PAGE + 1, rows=rows, source="rtf") for at, rows in found]
    raw = RawDocument(format="rtf", pages=pages, tables=tables, pages_estimated=True)
    raw.source_pages = len(raw.pages)
    return raw


def _with_headings(lines: list[str]) -> RawPage:
    """The lines as a page, those Word marked with an outline level as its headings (as the
    « Titre » styles of a DOCX), the marks taken out."""
    page = RawPage(lines=lines)
    for i, line in enumerate(lines):
        if HEADING in line:
            levels = HEADING_MARK.findall(line)
            page.lines[i] = HEADING_MARK.sub("", line).replace(HEADING, "")
            if levels and page.lines[i].strip():
                page.headings[i] = (int(levels[0]) + 1, None)
    return page


def _rtf_rows(lines: list[str]) -> tuple[list[str], list[tuple[int, list[list[str]]]]]:
    """The lines with each table row made one tab-separated line, and the tables: runs of
    rows on consecutive lines, with the index of their first line.  A row is the paragraphs
    marked as in a table up to the one ending the row (a cell may hold several paragraphs);
    a writer that does not mark them has its rows start at the first cell end."""
    out: list[str] = []
    tables: list[tuple[int, list[list[str]]]] = []
    pending: list[str] = []
    for line in lines:
        if not pending and IN_TABLE not in line and CELL_END not in line:
            out.append(line.replace(ROW_END, ""))
            continue
        pending.append(line.replace(IN_TABLE, ""))
        if ROW_END in line:
            row = " ".join(pending).replace(ROW_END, "").split(CELL_END)[:-1]
            cells = [CELL_SPACES.sub(" ", c).strip() for c in row]
            if tables and tables[-1][0] + len(tables[-1][1]) == len(out):
                tables[-1][1].append(cells)
            else:
                tables.append((len(out), [cells]))
            out.append("\t".join(cells))
            pending = []
    out.extend(line.replace(CELL_END, "\t") for line in pending)  # a row never closed
    return out, tables


def read_xlsx(data: bytes, path: str, limits: Limits) -> RawDocument:
    """Read each sheet of a workbook as one page and one table (values, not formulas)."""
    check_office_zip(data, path, limits)
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, zlib.error, KeyError, ValueError, OSError) as exc:
        reason = library_reason(exc, "classeur incomplet ou abîmé")
        raise AchatCheckError("AC-E004", f"classeur illisible ({reason}) : réenregistrez-le en .xlsx.", path) from None
    try:
        sheets = [(ws.title, _sheet_rows(ws), _beyond_limits(ws)) for ws in wb.worksheets]
    finally:
        wb.close()
    return _workbook(sheets, path, "xlsx")


def read_ods(data: bytes, path: str, limits: Limits) -> RawDocument:
    """Read each sheet of a LibreOffice Calc workbook (a BPU, a DQE) as one page and one
    table, its cells as Calc shows them."""
    from achat_check.ingest.ods import read_sheets

    return _shown_sheets(read_sheets(data, path, False, limits, max_rows=MAX_SHEET_ROWS, max_cols=MAX_SHEET_COLS), path, "ods")


def read_xls(data: bytes, path: str, limits: Limits) -> RawDocument:
    """Read each sheet of an Excel 97-2003 workbook (an old template's BPU, DQE or DPGF) as
    one page and one table, its cells as Excel shows them."""
    from achat_check.ingest.xls import read_sheets

    return _shown_sheets(read_sheets(data, path, False, MAX_SHEET_ROWS, MAX_SHEET_COLS), path, "xls")


def _shown_sheets(sheets: list[Sheet], path: str, fmt: str) -> RawDocument:
    """The sheets the ODS and XLS readers give (cells as shown, empty rows kept) as a workbook:
    its filled rows, and what lies past the DCE's limits."""
    from achat_check.ingest.ods import beyond

    return _workbook([(s.name, [["" if c is None else str(c) for c in r] for r in s.rows if r], beyond(s, MAX_SHEET_ROWS, MAX_SHEET_COLS))
                      for s in sheets], path, fmt)


def _workbook(sheets: list[tuple[str, list[list[str]], str]], path: str, fmt: str) -> RawDocument:
    """A workbook's (name, rows, what was left out) sheets as pages, tables and a warning."""
    raw = RawDocument(format=fmt)
    cut: list[str] = []
    for title, rows, beyond in sheets:
        raw.pages.append(RawPage(lines=[f"[Feuille {title}]"] + ["\t".join(r) for r in rows]))
        if rows:
            raw.tables.append(Table(page=len(raw.pages), rows=rows, source=fmt))
        if beyond:
            cut.append(f"« {title} » ({beyond})")
    if cut:
        raw.warnings.append(notice(
            "AC-W004",
            f"feuille(s) lue(s) en partie, au-delà de {fmt_count(MAX_SHEET_ROWS)} lignes ou {MAX_SHEET_COLS} colonnes : "
            f"{', '.join(cut)} ; le reste n'est pas vérifié (un bordereau de prix écrit rarement les clauses ; "
            "si elles y sont, mettez-les dans une feuille à part ou dans le CCAP).",
            path,
        ))
    raw.source_pages = len(raw.pages)
    return raw


def _sheet_rows(ws: ReadOnlyWorksheet) -> list[list[str]]:
    rows: list[list[str]] = []
    for row in ws.iter_rows(max_row=MAX_SHEET_ROWS, max_col=MAX_SHEET_COLS, values_only=True):  # type: ignore[misc]  # the stub types it for Worksheet only
        cells = ["" if v is None else _fmt(v) for v in row]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            rows.append(cells)
    return rows


def _beyond_limits(ws: ReadOnlyWorksheet) -> str:
    """What of a sheet lies past the rows and columns read (a BPU of 150 000 lines was read to
    its 5 000th, silently): « 150 001 lignes », « 75 colonnes », or empty.  The sheet's size is
    the one its file declares; without it, the row after the last read is looked at."""
    rows, cols = ws.max_row, ws.max_column
    if rows is None:
        extra = next(ws.iter_rows(min_row=MAX_SHEET_ROWS + 1, max_row=MAX_SHEET_ROWS + 1, max_col=MAX_SHEET_COLS, values_only=True), ())  # type: ignore[misc]
        rows = MAX_SHEET_ROWS + 1 if any(v is not None for v in extra) else 0
    said = []
    if rows > MAX_SHEET_ROWS:
        said.append(f"{fmt_count(rows)} lignes" if ws.max_row else f"plus de {fmt_count(MAX_SHEET_ROWS)} lignes")
    if cols is not None and cols > MAX_SHEET_COLS:
        said.append(f"{cols} colonnes")
    return ", ".join(said)


def _fmt(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252: the two encodings seen in DCEs and
    registers; UTF-16 when the text starts with its byte-order mark (Notepad's and Excel's
    « Unicode » text).

    A UTF-8 file with a few Windows-1252 bytes in it (a cell pasted from an older file)
    stays UTF-8, those bytes read as Windows-1252: read whole as Windows-1252, every
    accent of it would turn into two letters ("CatÃ©gorie") and no column would be found.
    Bytes Windows-1252 leaves undefined become U+FFFD, without taking the apostrophes and
    euro signs of the rest with them.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):
        return data.decode("utf-8-sig", errors=STRAY_AS_CP1252)
    return data.decode("cp1252", errors="replace")


def _stray_as_cp1252(exc: UnicodeError) -> tuple[str, int]:
    """Error handler: bytes that are not UTF-8, read as Windows-1252."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return exc.object[exc.start : exc.end].decode("cp1252", errors="replace"), exc.end


STRAY_AS_CP1252 = "achat-check-stray-cp1252"
codecs.register_error(STRAY_AS_CP1252, _stray_as_cp1252)


def _mostly_utf8(data: bytes) -> bool:
    """More well-formed UTF-8 characters beyond ASCII than bytes that are not UTF-8: French
    written in Windows-1252 almost never forms a UTF-8 sequence (an accented letter is a
    lead byte, followed by a plain letter)."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ch > "\x7f") - bad
    return good > bad


def read_text(data: bytes, path: str, limits: Limits, fmt: str = "txt") -> RawDocument:
    """Read TXT or Markdown; form feeds separate pages, else pages are estimated."""
    text = decode_text(data)
    chunks = text.split("\f")
    pages: list[RawPage] = []
    tables: list[Table] = []
    for chunk in chunks[: limits.max_pages]:
        page = RawPage(lines=split_lines(chunk))
        if fmt == "md":
            _markdown(page, len(pages) + 1, tables)
        pages.append(page)
    estimated = len(chunks) == 1 and len(pages[0].lines) > LINES_PER_PAGE
    raw = RawDocument(format=fmt, pages=paginate(pages) if estimated else pages, pages_estimated=estimated)
    raw.tables = tables
    raw.source_pages = len(raw.pages)
    return raw


MD_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")


def _markdown(page: RawPage, number: int, tables: list[Table]) -> None:
    """Markdown headings become headings; pipe tables become tab-separated rows and tables."""
    rows: list[list[str]] = []
    out: list[str] = []
    for _i, line in enumerate(page.lines):
        stripped = line.strip()
        if stripped.startswith("#"):
            level = len(stripped) - len(stripped.lstrip("#"))
            page.headings[len(out)] = (min(level, 6), None)
            out.append(stripped.lstrip("#").strip())
        elif stripped.startswith("|") and stripped.count("|") >= 2:
            if not MD_TABLE_RULE.match(stripped):
                rows.append([c.strip() for c in stripped.strip("|").split("|")])
                out.append("\t".join(rows[-1]))
            continue
        else:
            out.append(line)
        if rows and not stripped.startswith("|"):
            tables.append(Table(page=number, rows=rows, source="markdown"))
            rows = []
    if rows:
        tables.append(Table(page=number, rows=rows, source="markdown"))
    page.lines = out
