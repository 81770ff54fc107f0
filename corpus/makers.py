"""Writers of the document formats a DCE arrives in, from a small markup.

Used by `corpus/build.py` to produce the sample DCEs from their sources in
`corpus/src/`, and by the tests to generate the files they need (good and bad).

Markup, one block per paragraph (blank line between blocks):
    @title TEXTE          title lines of the first page (repeatable)
    @header TEXTE         running header on every page
    @footer TEXTE         running footer ({page} and {pages} replaced)
    # TITRE               heading level 1 (## level 2, ### level 3)
    | a | b |             table rows (first row is the header)
    - item                bullet
    ===page===            page break
    ~~~ ... ~~~           preformatted lines (kept as they are, e.g. a word cut "environne-")
    anything else         a paragraph (consecutive lines joined)
"""

from __future__ import annotations

import datetime
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
)


@dataclass
class Block:
    kind: str  # h1 h2 h3 p table bullet page pre
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Source:
    title: list[str] = field(default_factory=list)
    header: str = ""
    footer: str = ""
    blocks: list[Block] = field(default_factory=list)


def parse(markup: str) -> Source:
    src = Source()
    para: list[str] = []
    table: list[list[str]] = []
    pre: list[str] | None = None

    def flush() -> None:
        nonlocal para, table
        if para:
            src.blocks.append(Block("p", " ".join(para)))
            para = []
        if table:
            src.blocks.append(Block("table", rows=table))
            table = []

    for line in markup.splitlines():
        s = line.strip()
        if pre is not None:
            if s == "~~~":
                src.blocks.append(Block("pre", "\n".join(pre)))
                pre = None
            else:
                pre.append(line)
            continue
        if s == "~~~":
            flush()
            pre = []
        elif s.startswith("@title "):
            src.title.append(s[7:])
        elif s.startswith("@header "):
            src.header = s[8:]
        elif s.startswith("@footer "):
            src.footer = s[8:]
        elif not s:
            flush()
        elif s == "===page===":
            flush()
            src.blocks.append(Block("page"))
        elif s.startswith("#"):
            flush()
            level = len(s) - len(s.lstrip("#"))
            src.blocks.append(Block(f"h{min(level, 3)}", s.lstrip("#").strip()))
        elif s.startswith("|"):
            if para:
                flush()
            table.append([c.strip() for c in s.strip("|").split("|")])
        elif s.startswith("- "):
            flush()
            src.blocks.append(Block("bullet", s[2:]))
        else:
            if table:
                flush()
            para.append(s)
    flush()
    return src


def plain_text(src: Source) -> str:
    """The source as plain text (TXT and Markdown samples)."""
    out = list(src.title) + [""] if src.title else []
    for b in src.blocks:
        if b.kind.startswith("h"):
            out += [b.text, ""]
        elif b.kind == "table":
            out += ["\t".join(r) for r in b.rows] + [""]
        elif b.kind == "bullet":
            out.append(f"- {b.text}")
        elif b.kind == "page":
            out.append("\f")
        else:
            out += [b.text, ""]
    return "\n".join(out).replace("\n\f\n", "\f")


def markdown_text(src: Source) -> str:
    out = [f"# {t}" for t in src.title[:1]] + [""]
    for b in src.blocks:
        if b.kind.startswith("h"):
            out += ["#" * (int(b.kind[1]) + 1) + " " + b.text, ""]
        elif b.kind == "table":
            out.append("| " + " | ".join(b.rows[0]) + " |")
            out.append("|" + "---|" * len(b.rows[0]))
            out += ["| " + " | ".join(r) + " |" for r in b.rows[1:]] + [""]
        elif b.kind == "bullet":
            out.append(f"- {b.text}")
        elif b.kind == "pre":
            out += [b.text, ""]
        elif b.kind != "page":
            out += [b.text, ""]
    return "\n".join(out)


# --------------------------------------------------------------------------- PDF


def make_pdf(src: Source) -> bytes:
    from reportlab import rl_config
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import (
        PageBreak,
        Paragraph,
        Preformatted,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    rl_config.invariant = 1  # same bytes for the same source
    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["BodyText"], fontName="Helvetica", fontSize=10, leading=13)
    cell = ParagraphStyle("cell", parent=body, fontSize=9, leading=11)
    heads = {
        "h1": ParagraphStyle("h1", parent=body, fontName="Helvetica-Bold", fontSize=12, spaceBefore=10, spaceAfter=6),
        "h2": ParagraphStyle("h2", parent=body, fontName="Helvetica-Bold", fontSize=11, spaceBefore=8, spaceAfter=4),
        "h3": ParagraphStyle("h3", parent=body, fontName="Helvetica-BoldOblique", fontSize=10, spaceBefore=6),
    }
    title = ParagraphStyle("title", parent=body, fontName="Helvetica-Bold", fontSize=16, leading=20, alignment=1)

    def flowables() -> list:
        story: list = [Paragraph(_esc(t), title) for t in src.title]
        if src.title:
            story.append(Spacer(1, 0.8 * cm))
        for b in src.blocks:
            story.extend(_flowable(b))
        return story

    def _flowable(b: Block) -> list:
        story: list = []
        if b.kind in heads:
            story.append(Paragraph(_esc(b.text), heads[b.kind]))
        elif b.kind == "p":
            story.append(Paragraph(_esc(b.text), body))
        elif b.kind == "bullet":
            story.append(Paragraph("• " + _esc(b.text), body))
        elif b.kind == "pre":
            story.append(Preformatted(b.text, ParagraphStyle("pre", parent=body, fontName="Helvetica")))
        elif b.kind == "page":
            story.append(PageBreak())
        elif b.kind == "table":
            data = [[Paragraph(_esc(c), cell) for c in r] for r in b.rows]
            widths = _col_widths(b.rows, 16.5 * cm)
            t = Table(data, colWidths=widths, repeatRows=1)
            t.setStyle(TableStyle([
                ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]))
            story.append(t)
            story.append(Spacer(1, 0.3 * cm))
        return story

    def decorate(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        if src.header:
            canvas.drawString(2 * cm, A4[1] - 1.2 * cm, src.header)
        if src.footer:
            canvas.drawRightString(A4[0] - 2 * cm, 1.2 * cm, src.footer.format(page=doc.page, pages="{pages}").replace("{pages}", str(getattr(doc, "_total", "?"))))
        canvas.restoreState()

    def build(total: int | str) -> bytes:
        buf = io.BytesIO()
        doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=2 * cm, bottomMargin=2 * cm)
        doc._total = total
        doc.build(flowables(), onFirstPage=decorate, onLaterPages=decorate)
        return buf.getvalue()

    first = build("?")
    total = _count_pdf_pages(first)
    return build(total)


def _count_pdf_pages(data: bytes) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        return len(pdf)
    finally:
        pdf.close()


def _col_widths(rows: list[list[str]], total: float) -> list[float]:
    n = max(len(r) for r in rows)
    lens = [max(len(r[i]) if i < len(r) else 0 for r in rows) for i in range(n)]
    weights = [max(min(x, 60), 6) for x in lens]
    s = sum(weights)
    return [total * w / s for w in weights]


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def make_scanned_pdf(lines: list[str], dpi: int = 150) -> bytes:
    """An image-only PDF: text drawn on a white page, no text layer (a scan)."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = int(8.27 * dpi), int(11.69 * dpi)
    img = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(img)
    font = None
    for cand in FONT_CANDIDATES:
        if Path(cand).exists():
            font = ImageFont.truetype(cand, size=int(dpi / 5.5))
            break
    if font is None:
        font = ImageFont.load_default(size=int(dpi / 5.5))
    y = int(dpi * 0.8)
    for line in lines:
        draw.text((int(dpi * 0.8), y), line, fill=0, font=font)
        y += int(dpi / 3.6)
    buf = io.BytesIO()
    img.save(buf, format="PDF", resolution=dpi)
    return buf.getvalue()


# --------------------------------------------------------------------------- DOCX


def make_docx(src: Source, numbered_headings: bool = False) -> bytes:
    import docx
    from docx.enum.text import WD_BREAK

    d = docx.Document()
    section = d.sections[0]
    if src.header:
        section.header.paragraphs[0].text = src.header
    if src.footer:
        section.footer.paragraphs[0].text = src.footer.replace("{page}", "").replace("{pages}", "").strip(" /")
    for t in src.title:
        d.add_paragraph(t, style="Title")
    counters = [0, 0, 0]
    for b in src.blocks:
        if b.kind.startswith("h"):
            level = int(b.kind[1])
            text = b.text
            if numbered_headings:
                counters[level - 1] += 1
                for i in range(level, 3):
                    counters[i] = 0
            d.add_heading(text, level=level)
        elif b.kind == "p":
            d.add_paragraph(b.text)
        elif b.kind == "bullet":
            d.add_paragraph(b.text, style="List Bullet")
        elif b.kind == "pre":
            p = d.add_paragraph()
            lines = b.text.split("\n")
            for i, line in enumerate(lines):
                run = p.add_run(line)
                if i < len(lines) - 1:
                    run.add_break()
        elif b.kind == "page":
            d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif b.kind == "table":
            n = max(len(r) for r in b.rows)
            t = d.add_table(rows=len(b.rows), cols=n)
            t.style = "Table Grid"
            for i, r in enumerate(b.rows):
                for j, c in enumerate(r):
                    t.cell(i, j).text = c
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


# --------------------------------------------------------------------------- ODT


def make_odt(src: Source) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.table import TableColumn
    from odf.text import H, List, ListItem, P

    doc = OpenDocumentText()
    for t in src.title:
        doc.text.addElement(P(text=t))
    for b in src.blocks:
        if b.kind.startswith("h"):
            doc.text.addElement(H(outlinelevel=int(b.kind[1]), text=b.text))
        elif b.kind in ("p", "pre"):
            for line in b.text.split("\n"):
                doc.text.addElement(P(text=line))
        elif b.kind == "bullet":
            lst = List()
            item = ListItem()
            item.addElement(P(text=b.text))
            lst.addElement(item)
            doc.text.addElement(lst)
        elif b.kind == "table":
            table = _odf_table(f"T{id(b)}", b.rows, _text_cell)
            table.insertBefore(TableColumn(numbercolumnsrepeated=max(len(r) for r in b.rows)), table.firstChild)
            doc.text.addElement(table)
    return _odf_bytes(doc)


def _odf_table(name: str, rows: list[list], make_cell):
    """An OpenDocument table, each value made a cell by `make_cell`."""
    from odf.table import Table, TableRow

    table = Table(name=name)
    for r in rows:
        row = TableRow()
        for v in r:
            row.addElement(make_cell(v))
        table.addElement(row)
    return table


def _text_cell(v):
    from odf.table import TableCell
    from odf.text import P

    cell = TableCell()
    cell.addElement(P(text=v))
    return cell


def _odf_bytes(doc) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# --------------------------------------------------------------------------- RTF


def make_rtf(src: Source) -> bytes:
    r"""An RTF file as Word writes one: font and style tables, document information, running
    header and footer in their own groups, headings by style and outline level, tables of
    \cell / \row, page breaks, accents as Windows-1252 escapes and other characters as \u."""
    body = [
        r"{\rtf1\ansi\ansicpg1252\deff0\deflang1036{\fonttbl{\f0\froman\fcharset0 Times New Roman;}{\f1\fswiss\fcharset0 Arial;}}",
        r"{\colortbl;\red0\green0\blue0;}{\stylesheet{\s0 Normal;}{\s1\outlinelevel0 heading 1;}{\s2\outlinelevel1 heading 2;}}",
        r"{\info{\title " + _rtf("Pièce du DCE") + r"}{\author achat-check}}{\*\generator achat-check makers;}",
    ]
    if src.header:
        body.append(r"{\header\pard\plain " + _rtf(src.header) + r"\par}")
    if src.footer:
        body.append(r"{\footer\pard\plain " + _rtf(src.footer.replace("{page}", "1").replace("{pages}", "1")) + r"\par}")
    body += [r"\pard\plain\qc\b " + _rtf(t) + r"\b0\par" for t in src.title]
    for b in src.blocks:
        if b.kind.startswith("h"):
            level = int(b.kind[1])
            body.append(rf"\pard\plain\s{level}\outlinelevel{level - 1}\b " + _rtf(b.text) + r"\b0\par")
        elif b.kind in ("p", "pre"):
            body += [r"\pard\plain " + _rtf(line) + r"\par" for line in b.text.split("\n")]
        elif b.kind == "bullet":
            body.append(r"\pard\plain{\listtext\'95\tab}" + _rtf(b.text) + r"\par")
        elif b.kind == "table":
            n = max(len(r) for r in b.rows)
            widths = "".join(rf"\cellx{2400 * (i + 1)}" for i in range(n))
            for r in b.rows:
                cells = "".join(r"\pard\intbl " + _rtf(c) + r"\cell " for c in r)
                body.append(r"\trowd\trgaph70" + widths + cells + r"\row")
            body.append(r"\pard\par")
        elif b.kind == "page":
            body.append(r"\page")
    return ("\r\n".join(body) + "}").encode("ascii")


def _rtf(text: str) -> str:
    out = []
    for ch in text:
        if ch in "\\{}":
            out.append("\\" + ch)
        elif ord(ch) < 128:
            out.append(ch)
        else:
            try:
                out.append(rf"\'{ch.encode('cp1252')[0]:02x}")
            except UnicodeEncodeError:
                out.append(rf"\u{ord(ch) if ord(ch) < 32768 else ord(ch) - 65536}?")
    return "".join(out)


# --------------------------------------------------------------------------- XLSX, ODS and ZIP


def make_xlsx(sheets: dict[str, list[list]]) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def make_xls(sheets: dict[str, list[list]]) -> bytes:
    """An Excel 97-2003 workbook (an old template's DPGF): numbers as number cells, dates as
    date cells shown dd/mm/yyyy, text as text cells, None as an empty cell."""
    import datetime

    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    day = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for name, rows in sheets.items():
        ws = wb.add_sheet(name)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if isinstance(v, datetime.date):
                    ws.write(r, c, v, day)
                elif v is not None:
                    ws.write(r, c, v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def make_ods(sheets: dict[str, list[list]]) -> bytes:
    """A LibreOffice Calc workbook: numbers as float cells (shown with a decimal comma), dates
    as date cells, text as string cells, None as an empty cell."""
    from odf.opendocument import OpenDocumentSpreadsheet

    doc = OpenDocumentSpreadsheet()
    for name, rows in sheets.items():
        doc.spreadsheet.addElement(_odf_table(name, rows, _calc_cell))
    return _odf_bytes(doc)


def _calc_cell(v):
    from odf.table import TableCell
    from odf.text import P

    if v is None:
        return TableCell()  # a price left for the candidate to write
    if isinstance(v, datetime.date):
        cell = TableCell(valuetype="date", datevalue=v.isoformat())
        cell.addElement(P(text=v.strftime("%d/%m/%Y")))
    elif isinstance(v, int | float):
        cell = TableCell(valuetype="float", value=v)
        cell.addElement(P(text=str(v).replace(".", ",")))
    else:
        cell = TableCell(valuetype="string")
        cell.addElement(P(text=str(v)))
    return cell


def make_zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def make_doc_with_libreoffice(docx_bytes: bytes) -> bytes:
    """Convert a DOCX to Word 97 .doc with LibreOffice (corpus build only)."""
    import shutil
    import subprocess
    import tempfile

    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        raise RuntimeError("LibreOffice absent : apt-get install libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "doc.docx"
        src.write_bytes(docx_bytes)
        subprocess.run([exe, "--headless", "--convert-to", "doc:MS Word 97", "--outdir", tmp, str(src)],
                       check=True, capture_output=True, timeout=120)
        return (Path(tmp) / "doc.doc").read_bytes()
