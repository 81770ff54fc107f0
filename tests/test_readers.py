"""Every reader produces the same Document model, from files the tests generate."""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from achat_check.errors import AchatCheckError
from achat_check.ingest import ingest, read_member
from achat_check.ingest.archive import Member
from achat_check.ingest.sniff import OLE_MAGIC
from achat_check.model import DocKind
from corpus import makers
from tests.conftest import SAMPLES, edit_package, write

RC_MARKUP = """@title RÈGLEMENT DE LA CONSULTATION
@header Caisse de test – RC – Consultation 2026-01
@footer Page {page} sur {pages}

# ARTICLE 1 – Objet

Le marché porte sur la fourniture de papier recyclé.

# ARTICLE 2 – Critères d'attribution

| Critère | Pondération |
| Prix | 60 % |
| Valeur technique | 30 % |
| Performance environnementale | 10 % |

===page===

# ARTICLE 3 – Paiement

Le délai global de paiement est de 30 jours.

===page===

# ARTICLE 4 – Divers

Texte de la troisième page.
"""


def read_bytes(name: str, data: bytes, limits):
    return read_member(Member(name, data), limits)


def test_pdf_text_pages_headers_and_tables(limits):
    doc = read_bytes("RC.pdf", makers.make_pdf(makers.parse(RC_MARKUP)), limits)
    assert doc.format == "pdf" and doc.pages == 3
    assert doc.kind == DocKind.RC
    assert [p.number for p in doc.page_spans] == [1, 2, 3]
    # the running header and page footer are removed from every page
    assert "Caisse de test – RC" not in doc.text
    assert "Page 2 sur 3" not in doc.text
    assert any("Caisse de test" in line for line in doc.headers_footers_removed)
    # offsets map back to pages
    pos = doc.text.index("délai global de paiement")
    assert doc.page_at(pos) == 2
    # the drawn criteria table is kept as a table
    table = next(t for t in doc.tables if t.rows[0][0] == "Critère")
    assert table.page == 1 and ["Prix", "60 %"] in table.rows
    assert [h.number for h in doc.headings] == ["1", "2", "3", "4"]
    art = doc.heading_at(pos)
    assert art is not None and art.title == "Paiement"


def test_table_pages_follow_the_cues_page_by_page():
    """Criteria pages with two weights; lots pages of an RC with two amounts, "lot" as a whole
    word only (the reader checks the `\\b` before it by hand); pages in order."""
    from achat_check.ingest.pdf import table_pages

    pages = [
        "Règlement de la consultation",
        "pilots : 10 €, 20 €\n_lot 3 €, 4 €",  # "lot" inside a word: not a lots page
        "LOT 1 : 10 000 €\nlot 2 : 5 000 euros",
        "Sous-critères : délai 10 pts, méthode 20 pts",
        "Critères d'attribution : Prix",  # one weight only
        "Pondération : prix 60 %, valeur technique 40 %",
    ]
    assert table_pages(pages, "RC.pdf") == [2, 3, 5]
    cctp = ["Cahier des clauses techniques particulières", *pages[1:]]
    assert table_pages(cctp, "CCTP.pdf") == [3, 5]  # lots tables are read in the RC, CCAP or AE


def test_docx_body_tables_in_order_headers_apart(limits):
    src = makers.parse(RC_MARKUP)
    doc = read_bytes("RC.docx", makers.make_docx(src), limits)
    assert doc.format == "docx" and doc.kind == DocKind.RC
    assert "Caisse de test" not in doc.text  # Word header kept apart from the body
    i_obj = doc.text.index("papier recyclé")
    i_table = doc.text.index("Performance environnementale\t10 %")
    i_pay = doc.text.index("délai global de paiement")
    assert i_obj < i_table < i_pay  # tables in reading order
    assert doc.pages == 3 and not doc.pages_estimated  # explicit page breaks counted
    assert [(h.number, h.title) for h in doc.headings] == [
        (None, "RÈGLEMENT DE LA CONSULTATION"), ("1", "Objet"), ("2", "Critères d'attribution"), ("3", "Paiement"), ("4", "Divers")
    ]
    assert len(doc.tables) == 1 and doc.tables[0].rows[1] == ["Prix", "60 %"]


def test_docx_skips_deleted_text_and_toc(limits):
    import docx
    from docx.oxml import OxmlElement

    d = docx.Document()
    p = d.add_paragraph("Texte conservé. ")
    run = OxmlElement("w:del")
    r = OxmlElement("w:r")
    t = OxmlElement("w:delText")
    t.text = "Texte supprimé en révision."
    r.append(t)
    run.append(r)
    p._p.append(run)
    toc = d.add_paragraph("1\tObjet du marché\t3")
    toc.style = d.styles.add_style("toc 1", 1)
    import io

    buf = io.BytesIO()
    d.save(buf)
    doc = read_bytes("x.docx", buf.getvalue(), limits)
    assert "Texte conservé" in doc.text
    assert "supprimé" not in doc.text
    assert "Objet du marché" not in doc.text


def _with_list(d, levels: list[tuple[int, str, str, str]], num_id: str = "90", start_override: tuple[int, int] | None = None) -> str:
    """Add a Word list to document `d`: levels (ilvl, format, lvlText, linked style id)."""
    from docx.oxml import parse_xml

    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        + (f'<w:pStyle w:val="{style}"/>' if style else "") + f'<w:lvlText w:val="{text}"/></w:lvl>'
        for i, fmt, text, style in levels
    )
    numbering = d.part.numbering_part.element
    numbering.insert(0, parse_xml(f'<w:abstractNum {ns} w:abstractNumId="{num_id}">{lvls}</w:abstractNum>'))
    override = (f'<w:lvlOverride w:ilvl="{start_override[0]}"><w:startOverride w:val="{start_override[1]}"/></w:lvlOverride>'
                if start_override else "")
    numbering.append(parse_xml(f'<w:num {ns} w:numId="{num_id}"><w:abstractNumId w:val="{num_id}"/>{override}</w:num>'))
    return num_id


def _numbered(paragraph, num_id: str, ilvl: int) -> None:
    from docx.oxml import parse_xml

    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    paragraph._p.get_or_add_pPr().append(parse_xml(f'<w:numPr {ns}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'))


def _saved(d) -> bytes:
    import io

    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_docx_headings_take_the_numbers_of_words_list(limits):
    """A real cadre de réponse: headings numbered by Word's list (no number in their text), and
    « Finesse de structuration laser » in that list at the headings' level 2 but in the « List
    Paragraph » style: Word shows it as 2.1, and the next « Titre 2 » as 2.2."""
    import docx

    d = docx.Document()
    num = _with_list(d, [(0, "decimal", "%1.", ""), (1, "decimal", "%1.%2.", ""), (2, "decimal", "%1.%2.%3.", "")])
    for style, ilvl, text in [
        ("Heading 1", 0, "Présentation générale du système proposé"),
        ("Heading 1", 0, "Spécifications techniques détaillées"),
        ("List Paragraph", 1, "Finesse de structuration laser"),
        ("Normal", None, "Sous-critère 2.1 - Pondération : 20 % - Noté sur 100"),
        ("Heading 2", 1, "Performances du procédé de fabrication intégré"),
        ("Heading 3", 2, "Qualité de gravure (réf. art. 3.1.3 du CCTP)"),
        ("Heading 1", 0, "Qualité des services associés"),
        ("Heading 2", 1, "Livraison"),
    ]:
        p = d.add_paragraph(text, style=style)
        if ilvl is not None:
            _numbered(p, num, ilvl)
    doc = read_bytes("CRTE.docx", _saved(d), limits)
    assert [(h.number, h.level, h.title) for h in doc.headings] == [
        ("1", 1, "Présentation générale du système proposé"),
        ("2", 1, "Spécifications techniques détaillées"),
        ("2.1", 2, "Finesse de structuration laser"),
        ("2.2", 2, "Performances du procédé de fabrication intégré"),
        ("2.2.1", 3, "Qualité de gravure (réf. art. 3.1.3 du CCTP)"),
        ("3", 1, "Qualité des services associés"),
        ("3.1", 2, "Livraison"),
    ]


def test_docx_list_tied_to_a_heading_style_and_its_label(limits):
    """A real CCAP's template ties « Titre 1 » and « Titre 2 » to its outline list in the style
    itself; « L’organisation et les rôles… » is 1.2, no article « L ».  A list whose label says
    « ARTICLE %1 - » gives the number alone; a list restarted at 5 counts from 5."""
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    h1, h2 = d.styles["Heading 1"], d.styles["Heading 2"]
    num = _with_list(d, [(0, "decimal", "ARTICLE %1 -", h1.style_id), (1, "decimal", "%1.%2", h2.style_id)])
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    for style in (h1, h2):
        style.element.get_or_add_pPr().append(parse_xml(f'<w:numPr {ns}><w:numId w:val="{num}"/></w:numPr>'))
    d.add_paragraph("Présentation de l’acheteur", style="Heading 1")
    d.add_paragraph("Histoire et missions", style="Heading 2")
    d.add_paragraph("L’organisation et les rôles des acteurs", style="Heading 2")
    d.add_paragraph("Objet du marché", style="Heading 1")
    restarted = _with_list(d, [(0, "upperRoman", "%1.", "")], num_id="91", start_override=(0, 5))
    _numbered(d.add_paragraph("Prix", style="Heading 1"), restarted, 0)
    doc = read_bytes("CCAP.docx", _saved(d), limits)
    assert [(h.number, h.title) for h in doc.headings] == [
        ("1", "Présentation de l’acheteur"), ("1.1", "Histoire et missions"),
        ("1.2", "L’organisation et les rôles des acteurs"), ("2", "Objet du marché"), ("V", "Prix"),
    ]


def test_word_list_labels():
    from achat_check.ingest.docx_lists import format_number, label_number

    assert [format_number(n, f) for n, f in [(4, "upperRoman"), (9, "lowerRoman"), (27, "lowerLetter"), (3, "upperLetter"), (7, "decimalZero"), (2, "bullet")]] == [
        "IV", "ix", "aa", "C", "07", ""]
    assert [label_number(x) for x in ["ARTICLE 3 -", "2.1.", "B)", "Chapitre II :", "", "•"]] == ["3", "2.1", "B", "II", None, None]


def test_odt_headings_and_tables(limits):
    doc = read_bytes("RC.odt", makers.make_odt(makers.parse(RC_MARKUP)), limits)
    assert doc.format == "odt"
    assert "Performance environnementale\t10 %" in doc.text
    assert [h.title for h in doc.headings] == ["Objet", "Critères d'attribution", "Paiement", "Divers"]
    assert doc.tables and doc.tables[0].source == "odt"


def test_rtf_text_pages_headings_and_tables(limits):
    """RCs list « rtf » among the DCE's formats: it was skipped as « sans texte à analyser »."""
    doc = read_bytes("RC.rtf", makers.make_rtf(makers.parse(RC_MARKUP)), limits)
    assert doc.format == "rtf" and doc.kind == DocKind.RC and doc.pages == 3 and doc.pages_estimated
    assert [(h.title, h.page) for h in doc.headings] == [("Objet", 1), ("Critères d'attribution", 1), ("Paiement", 2), ("Divers", 3)]
    assert "Le marché porte sur la fourniture de papier recyclé." in doc.text
    assert "Caisse de test" not in doc.text and "Times New Roman" not in doc.text  # header and font table are not text
    (table,) = doc.tables
    assert table.source == "rtf" and table.page == 1
    assert table.rows == [["Critère", "Pondération"], ["Prix", "60 %"], ["Valeur technique", "30 %"], ["Performance environnementale", "10 %"]]
    assert "Performance environnementale\t10 %" in doc.text


def test_rtf_cells_of_several_paragraphs_and_unicode_escapes(limits):
    rtf = (rb"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0 Arial;}}"
           rb"\pard Crit\u232\'e8res\par"
           rb"\trowd\cellx3000\cellx6000\pard\intbl Valeur technique\par dont m\'e9thodologie\cell\pard\intbl 40\~%\cell\row"
           rb"\trowd\cellx3000\cellx6000\pard\intbl Prix\cell\pard\intbl 60\~%\cell\row"
           rb"\pard Fin \u8364? 12\par}")
    doc = read_bytes("RC.rtf", rtf, limits)
    assert doc.tables[0].rows == [["Valeur technique dont méthodologie", "40\xa0%"], ["Prix", "60\xa0%"]]
    assert "Critères" in doc.text and "Fin € 12" in doc.text
    # a writer that gives no fallback to its \\u characters (\\uc0) keeps its text whole
    doc = read_bytes("RC.rtf", rtf.replace(rb"\\ansicpg1252", rb"\\ansicpg1252\\uc0").replace(rb"\\u8364?", rb"\\u8364 "), limits)
    assert doc.tables[0].rows[1] == ["Prix", "60\xa0%"] and "Fin € 12" in doc.text


def test_rtf_headings_by_their_outline_level(limits):
    """Word writes its « Titre » paragraphs with an outline level: headings without numbers
    are found as in a DOCX (body text, level 9, is none)."""
    rtf = (rb"{\rtf1\ansi{\stylesheet{\s1\outlinelevel0 heading 1;}}"
           rb"\pard\plain\s1\outlinelevel0\b Objet du march\'e9\b0\par\pard Le march\'e9 porte sur du papier recycl\'e9.\par"
           rb"\pard\plain\s2\outlinelevel1\b Livraison des ramettes\b0\par\pard\outlinelevel9 Les ramettes sont livr\'e9es chaque mois.\par"
           rb"\pard\plain\s1\outlinelevel0\b Crit\'e8res de choix\b0\par\pard Prix 60 %.\par}")
    doc = read_bytes("RC.rtf", rtf, limits)
    assert [(h.title, h.level) for h in doc.headings] == [("Objet du marché", 1), ("Livraison des ramettes", 2), ("Critères de choix", 1)]
    assert "\x1c" not in doc.text and "Les ramettes sont livrées chaque mois." in doc.text


def test_an_rtf_saved_as_doc_is_read_as_rtf(limits):
    doc = read_bytes("AE.doc", makers.make_rtf(makers.parse("# ACTE D'ENGAGEMENT\n\nLe titulaire s'engage.")), limits)
    assert doc.format == "rtf" and "Le titulaire s'engage." in doc.text
    assert [w.code for w in doc.warnings] == ["AC-W003"]


def test_a_dce_written_in_rtf_is_checked_as_the_same_dce_in_the_other_formats(tmp_path):
    from achat_check.checker import Checker

    for source in (SAMPLES.parent / "src" / "nettoyage-caf").glob("*.mk"):
        write(tmp_path, f"{source.stem}.rtf", makers.make_rtf(makers.parse(source.read_text(encoding="utf-8"))))
    write(tmp_path, "BPU.xlsx", (SAMPLES / "nettoyage-caf" / "BPU.xlsx").read_bytes())
    checker = Checker()
    rtf, sample = checker.check([tmp_path]), checker.check([SAMPLES / "nettoyage-caf"])
    assert not rtf.errors and {d.format for d in rtf.documents} == {"rtf", "xlsx"}
    assert rtf.checks == sample.checks
    assert [(c.name, c.weight) for c in rtf.criteria] == [(c.name, c.weight) for c in sample.criteria]
    found = [sorted((d.rule_id, e.quote) for d in side.considerations.environmental + side.considerations.social for e in d.evidence)
             for side in (rtf, sample)]
    assert found[0] == found[1] and found[0]
    assert rtf.insertion.hours == sample.insertion.hours == 4800


def test_xlsx_sheets_as_pages_and_tables(limits):
    data = makers.make_xlsx({"BPU": [["Désignation", "Prix € HT"], ["Repas", 4.5]], "DQE": [["Total", 1000]]})
    doc = read_bytes("BPU.xlsx", data, limits)
    assert doc.format == "xlsx" and doc.pages == 2
    assert "Repas\t4.5" in doc.text
    assert doc.kind == DocKind.BPU
    assert [t.page for t in doc.tables] == [1, 2]


def test_a_sheet_read_in_part_is_said(tmp_path, limits):
    """A BPU of 150 000 lines was read to its 5 000th line, silently."""
    from openpyxl import Workbook

    from achat_check.ingest.other import MAX_SHEET_COLS, MAX_SHEET_ROWS
    from achat_check.model import TEXT_LOST

    streamed = Workbook(write_only=True)  # no size declared: the row after the last read is looked at
    sheet = streamed.create_sheet("BPU")
    for i in range(MAX_SHEET_ROWS + 2):
        sheet.append([f"R{i}", "Article", i])
    streamed.save(tmp_path / "BPU.xlsx")
    (w,) = read_bytes("BPU.xlsx", (tmp_path / "BPU.xlsx").read_bytes(), limits).warnings
    assert w.code == "AC-W004" and w.code in TEXT_LOST and "« BPU » (plus de 5 000 lignes)" in w.message
    wide = Workbook()
    wide.active.title = "DQE"
    wide.active.append([f"c{i}" for i in range(MAX_SHEET_COLS + 5)])
    wide.save(tmp_path / "DQE.xlsx")
    (w,) = read_bytes("DQE.xlsx", (tmp_path / "DQE.xlsx").read_bytes(), limits).warnings
    assert f"« DQE » ({MAX_SHEET_COLS + 5} colonnes)" in w.message
    small = Workbook()
    small.active.append(["Réf", "Prix"])
    small.save(tmp_path / "petit.xlsx")
    assert not read_bytes("petit.xlsx", (tmp_path / "petit.xlsx").read_bytes(), limits).warnings


def calc_ods(tables: str, encrypted: bool = False) -> bytes:
    """An .ods as LibreOffice Calc writes it: `tables` is the XML of its sheets."""
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
    content = f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}><office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>'
    entry = ('<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
             + ('<manifest:encryption-data manifest:checksum-type="SHA1/1K"/>' if encrypted else "") + "</manifest:file-entry>")
    manifest = f'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">{entry}</manifest:manifest>'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("META-INF/manifest.xml", manifest)
        zf.writestr("content.xml", content.encode("utf-8") if not encrypted else os.urandom(600))
    return buf.getvalue()


def cell(text: str = "", repeat: int = 1, value: str = "") -> str:
    attrs = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    attrs += f' office:value-type="float" office:value="{value}"' if value else (' office:value-type="string"' if text else "")
    return f"<table:table-cell{attrs}>" + (f"<text:p>{text}</text:p>" if text else "") + "</table:table-cell>"


def row(cells: str, repeat: int = 1) -> str:
    return (f'<table:table-row table:number-rows-repeated="{repeat}">' if repeat > 1 else "<table:table-row>") + cells + "</table:table-row>"


def test_an_ods_price_schedule_is_read_like_an_xlsx_one(limits):
    """LibreOffice Calc's own format was skipped (« classeur non lu … enregistrez-le en .xlsx »).
    Calc ends every row with an empty run as wide as the sheet and every sheet with an empty
    run of rows, writes equal neighbours once with their count, and merged cells as covered."""
    sheets = (
        '<table:table table:name="BPU">'
        + row(cell("Bordereau des prix unitaires") + cell(repeat=1023))
        + row(cell("Code") + cell("Désignation") + cell("Prix € HT") + cell(repeat=1021))
        + row(cell("EV1") + cell("Tonte<text:s/>haute des pelouses") + cell("0,12", value="0.12") + cell(repeat=1021))
        + row(cell(repeat=1024), 3)  # blank lines inside the sheet
        + row(cell("EV2") + "<table:covered-table-cell/>" + cell("sans objet", repeat=2) + cell(repeat=1020))
        + row(cell(repeat=1024), 1048570)
        + "</table:table>"
        + '<table:table table:name="DQE">' + row(cell("Total") + cell("1 000,00 €", value="1000")) + "</table:table>"
    )
    doc = read_bytes("BPU.ods", calc_ods(sheets), limits)
    assert doc.format == "ods" and doc.kind == DocKind.BPU and doc.pages == 2 and not doc.warnings
    assert [t.rows for t in doc.tables] == [
        [["Bordereau des prix unitaires"], ["Code", "Désignation", "Prix € HT"], ["EV1", "Tonte haute des pelouses", "0,12"],
         ["EV2", "", "sans objet", "sans objet"]],
        [["Total", "1 000,00 €"]],
    ]
    assert "[Feuille DQE]\nTotal\t1 000,00 €" in doc.text
    # the same file named .zip, or damaged, or saved with a password
    assert read_bytes("annexe.zip", calc_ods(sheets), limits).format == "ods"
    broken = calc_ods(sheets.replace("</table:table-row>", "</table:row>", 1))
    with pytest.raises(AchatCheckError) as bad:
        read_bytes("BPU.ods", broken, limits)
    assert (bad.value.code, bad.value.path) == ("AC-E004", "BPU.ods") and "LibreOffice Calc" in bad.value.message
    with pytest.raises(AchatCheckError) as locked:
        read_bytes("BPU.ods", calc_ods(sheets, encrypted=True), limits)
    assert locked.value.code == "AC-E005" and "mot de passe" in locked.value.message


def test_an_ods_sheet_past_the_limits_or_expanding_without_end_is_said(limits):
    """Repeat counts cost a few bytes: a filled row repeated a million times by a thousand
    columns is read to the limits of a DCE's sheet and said, and refused as a register."""
    from achat_check.ingest.ods import MAX_CELLS, read_sheets
    from achat_check.ingest.other import MAX_SHEET_COLS, MAX_SHEET_ROWS

    huge = '<table:table table:name="DQE">' + row(cell("x", repeat=1000), 1_000_000) + "</table:table>"
    doc = read_bytes("DQE.ods", calc_ods(huge), limits)
    assert len(doc.tables[0].rows) == MAX_SHEET_ROWS and len(doc.tables[0].rows[0]) == MAX_SHEET_COLS
    (w,) = doc.warnings
    assert w.code == "AC-W004" and "« DQE » (1 000 000 lignes, 1000 colonnes)" in w.message
    with pytest.raises(AchatCheckError) as caught:
        read_sheets(calc_ods(huge), "registre.ods", True, limits)
    assert caught.value.code == "AC-E006" and f"{MAX_CELLS:,}".replace(",", " ") in caught.value.message
    # spans nested deeper than Python recurses (« RecursionError: maximum recursion depth
    # exceeded » was the message); a note is no text of the cell
    deep = "<text:span>" * 5000 + "Désherbage" + "</text:span>" * 5000
    odd = ('<table:table table:name="BPU">' + row(cell(f"Lot<text:s text:c=\"3\"/>2<text:tab/>{deep}<office:annotation>"
                                                       "<text:p>à revoir</text:p></office:annotation>")) + "</table:table>")
    assert read_sheets(calc_ods(odd), "BPU.ods", True, limits)[0].rows == [["Lot   2\tDésherbage"]]


def test_an_opendocument_text_saved_with_a_password_is_said(limits):
    """An ODT « enregistré avec mot de passe » was « ODT illisible (…) »: the password said."""
    locked_odt = edit_package(makers.make_odt(makers.parse("# Objet\n\nTexte.")), {
        "META-INF/manifest.xml": lambda xml: xml.replace(
            b'"content.xml" manifest:media-type="text/xml"/>',
            b'"content.xml" manifest:media-type="text/xml"><manifest:encryption-data manifest:checksum-type="SHA1/1K"/></manifest:file-entry>'),
        "content.xml": lambda xml: os.urandom(len(xml)),  # what the password encrypts
    })
    with pytest.raises(AchatCheckError) as locked:
        read_bytes("CCTP.odt", locked_odt, limits)
    assert (locked.value.code, locked.value.path) == ("AC-E005", "CCTP.odt")


def test_text_and_markdown(limits):
    md = read_bytes("RC.md", b"# Reglement de la consultation\n\n## Article 1 - Objet\n\nTexte.\n", limits)
    assert md.format == "md" and md.headings[0].title == "Reglement de la consultation"
    txt = read_bytes("notes.txt", "Page un\fPage deux".encode("cp1252"), limits)
    assert txt.pages == 2 and "Page deux" in txt.text
    # Notepad's « Unicode » is UTF-16 with its byte-order mark (it read as "R\x00è\x00g\x00...")
    utf16 = read_bytes("RC.txt", "Règlement de la consultation\r\nArticle 1 – Objet".encode("utf-16"), limits)
    assert "Règlement de la consultation" in utf16.text and "\x00" not in utf16.text


def test_text_in_windows_1252_with_a_byte_it_leaves_undefined_keeps_its_apostrophes(limits):
    # 0x81 is undefined in Windows-1252: the whole file used to be read as Latin-1, where
    # the apostrophe 0x92 and the euro sign 0x80 are control characters
    txt = read_bytes("notes.txt", "L’acheteur verse 500 € d’avance.".encode("cp1252") + b" \x81", limits)
    assert "L’acheteur verse 500 € d’avance." in txt.text and "\x92" not in txt.text


@pytest.mark.skipif(not shutil.which("antiword"), reason="antiword absent (CI installs it)")
def test_legacy_doc_through_antiword(limits):
    doc = read_bytes("CCAP.doc", (SAMPLES / "travaux-renovation" / "CCAP.doc").read_bytes(), limits)
    assert doc.format == "doc" and doc.kind == DocKind.CCAP
    assert "70 %" in doc.text and "Maison de l'emploi" in doc.text


@pytest.mark.skipif(not shutil.which("antiword"), reason="antiword absent (CI installs it)")
def test_a_damaged_doc_is_said_in_french_without_our_temp_path(limits):
    """antiword named our temporary copy (/tmp/achat-check-…/document.doc) in English."""
    damaged = bytearray((SAMPLES / "travaux-renovation" / "CCAP.doc").read_bytes())
    damaged[512:1024] = b"\xff" * 512  # the OLE allocation table
    not_word = OLE_MAGIC + bytes(100) + "WordDocument".encode("utf-16-le") + bytes(3000)
    for data, said in ((damaged, "sa structure interne est endommagée"), (not_word, "ce n'est pas un document Word valide")):
        with pytest.raises(Exception) as info:
            read_bytes("CCAP.doc", bytes(data), limits.model_copy(update={"isolate": False}))
        assert info.value.code == "AC-E004" and said in info.value.message and "/tmp" not in info.value.message


def test_legacy_doc_without_antiword_is_a_clear_error(limits, monkeypatch):
    import achat_check.ingest.other as other

    monkeypatch.setattr(other.shutil, "which", lambda name: None)
    limits = limits.model_copy(update={"isolate": False})
    with pytest.raises(Exception) as info:
        read_bytes("CCAP.doc", (SAMPLES / "travaux-renovation" / "CCAP.doc").read_bytes(), limits)
    assert info.value.code == "AC-E011"
    assert "apt-get install antiword" in info.value.message


def test_zip_nested_folders_and_zips(tmp_path, limits):
    inner = makers.make_zip({"annexes/BPU.xlsx": makers.make_xlsx({"BPU": [["a", 1]]})})
    outer = makers.make_zip({
        "DCE/RC.pdf": makers.make_pdf(makers.parse(RC_MARKUP)),
        "DCE/pieces/CCTP.txt": b"CAHIER DES CLAUSES TECHNIQUES PARTICULIERES\n\nTexte.",
        "DCE/annexes.zip": inner,
        "__MACOSX/._RC.pdf": b"junk",
    })
    path = write(tmp_path, "dce.zip", outer)
    result = ingest([path], limits)
    names = sorted(d.path.split("dce.zip/")[1] for d in result.documents)
    assert names == ["DCE/RC.pdf", "DCE/annexes.zip/annexes/BPU.xlsx", "DCE/pieces/CCTP.txt"]
    assert not result.notices


def test_zip_whose_pdfs_are_stored_uncompressed_is_an_archive(tmp_path, limits):
    """`zip -0` and archivers that do not deflate already-compressed files store a PDF as is:
    its « %PDF- » then lies within the archive's first kilobyte, and the ZIP was read as
    that one PDF (the other pieces silently dropped)."""
    pdf = makers.make_pdf(makers.parse(RC_MARKUP))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("DCE/RC.pdf", pdf)
        zf.writestr("DCE/CCTP.txt", b"CAHIER DES CLAUSES TECHNIQUES PARTICULIERES\n\nTexte.")
    result = ingest([write(tmp_path, "dce.zip", buf.getvalue())], limits)
    assert sorted(d.name for d in result.documents) == ["CCTP.txt", "RC.pdf"]
    assert not result.notices


def _portfolio(files: dict[str, bytes]) -> bytes:
    """A PDF whose blank cover page carries the pieces as attachments (a « portfolio »)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(595, 842)
    for name, data in files.items():
        pdf.new_attachment(name).set_data(data)
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def test_the_pieces_attached_to_a_pdf_are_read_as_members_of_the_dce(tmp_path, limits):
    """A DCE sent as one PDF whose pieces are attached to a blank cover was read as that blank
    page: « aucun texte lisible », the RC and the CCTP never read."""
    rc = makers.make_pdf(makers.parse(RC_MARKUP))
    cctp = b"CAHIER DES CLAUSES TECHNIQUES PARTICULIERES\n\nArticle 1 - Objet\n\nTexte."
    path = write(tmp_path, "Dossier.pdf", _portfolio({"RC.pdf": rc, "CCTP.txt": cctp, "plan.png": b"\x89PNG...."}))
    result = ingest([path], limits)
    assert sorted((d.path.split("Dossier.pdf")[1], d.kind) for d in result.documents) == [
        ("", DocKind.OTHER), ("/CCTP.txt", DocKind.CCTP), ("/RC.pdf", DocKind.RC)]
    assert not [w for d in result.documents for w in d.warnings]  # the blank cover is no « page sans texte »
    assert [(n.code, n.path.rsplit("/", 1)[-1]) for n in result.notices] == [("AC-W008", "plan.png")]
    # an attached file's own attachments are said, not read
    nested = write(tmp_path, "Dossier2.pdf", _portfolio({"Annexes.pdf": _portfolio({"BPU.txt": b"BORDEREAU DES PRIX"})}))
    result = ingest([nested], limits)
    assert len(result.documents) == 2
    assert [n.code for n in result.notices] == ["AC-W005"] and "BPU.txt" in result.notices[0].message
    # past the archives' limits: said on the document, which then counts as read in part
    few = limits.model_copy(update={"zip_max_files": 1})
    doc = next(d for d in ingest([path], few).documents if d.name == "Dossier.pdf")
    assert [w.code for w in doc.warnings] == ["AC-W005"] and "au-delà des limites" in doc.warnings[0].message


def test_folder_is_walked_in_order(tmp_path, limits):
    write(tmp_path, "b/CCTP.txt", b"CAHIER DES CLAUSES TECHNIQUES PARTICULIERES\nx")
    write(tmp_path, "a/RC.txt", b"REGLEMENT DE LA CONSULTATION\nx")
    write(tmp_path, "logo.png", b"\x89PNG....")
    result = ingest([tmp_path], limits)
    assert [d.name for d in result.documents] == ["RC.txt", "CCTP.txt"]
    assert [d.kind for d in result.documents] == [DocKind.RC, DocKind.CCTP]
    assert any(n.code == "AC-W008" and n.path.endswith("logo.png") for n in result.notices)


def test_a_linked_folder_in_a_dce_is_said_not_silently_skipped(tmp_path, limits):
    dce = tmp_path / "dce"
    dce.mkdir()
    write(dce, "RC.txt", b"REGLEMENT DE LA CONSULTATION\n\nArticle 1 - Objet")
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    write(elsewhere, "CCTP.txt", b"CCTP")
    (dce / "annexes").symlink_to(elsewhere, target_is_directory=True)
    result = ingest([dce], limits)
    assert [d.name for d in result.documents] == ["RC.txt"]
    (n,) = result.notices
    assert n.code == "AC-W008" and n.path.endswith("dce/annexes") and "lien symbolique" in n.message


def test_links_special_and_unreadable_files_are_said_and_the_others_read(tmp_path, limits, monkeypatch):
    """A DCE copied from a share may hold a broken link, a pipe, a file or a folder this
    user may not read: each is named with what to do, and the readable pieces are read."""
    dce = tmp_path / "dce"
    write(dce, "RC.txt", b"REGLEMENT DE LA CONSULTATION\n\nArticle 1 - Objet")
    write(dce, "CCAP.txt", b"CAHIER DES CLAUSES ADMINISTRATIVES PARTICULIERES")
    write(dce / "annexes", "CCTP.txt", b"CCTP")
    (dce / "AE.pdf").symlink_to(tmp_path / "absent.pdf")
    (dce / ".#RC.txt").symlink_to("root@poste.1234")  # an editor's lock file: not a piece
    os.mkfifo(dce / "BPU.pdf")  # would block whoever reads it
    real_read, real_scandir = Path.read_bytes, os.scandir

    def read_bytes(self):
        if self.name == "CCAP.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    def scandir(path="."):
        if str(path).endswith("annexes"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr(os, "scandir", scandir)
    result = ingest([dce], limits)
    assert [d.name for d in result.documents] == ["RC.txt"]
    said = {n.path.rsplit("/", 1)[-1]: (n.code, n.message) for n in result.notices}
    assert set(said) == {"AE.pdf", "BPU.pdf", "CCAP.txt", "annexes"}
    assert said["AE.pdf"][0] == "AC-W008" and "lien symbolique cassé" in said["AE.pdf"][1]
    assert said["BPU.pdf"][0] == "AC-W008" and "fichier spécial" in said["BPU.pdf"][1]
    assert said["CCAP.txt"] == ("AC-E004", "fichier illisible (droits insuffisants) : vérifiez les droits d'accès "
                                "ou copiez-le sur un disque local, puis relancez.")
    assert said["annexes"][0] == "AC-E004" and "dossier illisible (droits insuffisants)" in said["annexes"][1]


def test_every_sample_reads_without_error(samples, limits):
    for dce in sorted(p for p in samples.iterdir() if p.is_dir()):
        result = ingest([dce], limits)
        assert result.documents, dce
        assert not [n for n in result.notices if n.level == "error"], dce


def test_raw_pages_cross_the_reader_pipe_unchanged():
    import pickle

    from achat_check.raw import RawPage

    for page in (RawPage(["Article 1", "", "  texte  "], True, {0: (1, "1")}), RawPage([]), RawPage([""]),
                 RawPage(["une ligne\navec un saut", "suite"])):
        assert pickle.loads(pickle.dumps(page, protocol=pickle.HIGHEST_PROTOCOL)) == page


def test_reading_documents_loads_no_language_pipeline(tmp_path):
    """The batch's reader processes only read: importing the market-data labels for a
    reading message pulled in the fact extractors and spaCy (peak memory of one reading
    process from 133 to 192 MB in bench/ingest.py)."""
    import subprocess
    import sys

    code = ("import sys; from achat_check.ingest import ingest; "
            f"r = ingest([{str(SAMPLES / 'nettoyage-caf')!r}]); assert r.documents; "
            "print(sorted(m for m in ('spacy', 'achat_check.nlp', 'achat_check.extract.facts') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
    # nor lxml, which only the office readers and a cut package's mending need (5 MB more in
    # every reading process when package_repair imported it at the top)
    code = "import sys, achat_check.ingest; print('lxml' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "False"


def test_an_xls_price_schedule_is_read_like_an_xlsx_one(limits):
    """Excel 97-2003 workbooks (an old template's DPGF, DQE) were skipped: « classeur non lu …
    enregistrez-le en .xlsx ».  Cells read as a French Excel shows them: whole numbers without
    « .0 », dates dd/mm/yyyy, yes/no as VRAI/FAUX; each sheet a page and a table."""
    from datetime import date

    sheets = {
        "DPGF": [["DPGF – Lot 02 Menuiseries extérieures"], [],
                 ["Poste", "Désignation", "Unité", "Quantité", "Prix unitaire € HT", "Révisable"],
                 ["2.1", "Dépose   sélective des menuiseries", "u", 96, 0.12, True],
                 ["2.2", "Fenêtres aluminium", None, 4, None, False],
                 ["Date de valeur", date(2026, 3, 1)]],
        "DQE": [["Total", 1000]],
    }
    data = makers.make_xls(sheets)
    doc = read_bytes("DPGF-LOT-02.xls", data, limits)
    assert doc.format == "xls" and doc.kind == DocKind.BPU and doc.pages == 2 and not doc.warnings
    assert [t.rows for t in doc.tables] == [
        [["DPGF – Lot 02 Menuiseries extérieures"], ["Poste", "Désignation", "Unité", "Quantité", "Prix unitaire € HT", "Révisable"],
         ["2.1", "Dépose sélective des menuiseries", "u", "96", "0.12", "VRAI"], ["2.2", "Fenêtres aluminium", "", "4", "", "FAUX"],
         ["Date de valeur", "01/03/2026"]],
        [["Total", "1000"]],
    ]
    assert "[Feuille DQE]\nTotal\t1000" in doc.text
    # told by its content, whatever its name; an OLE file that is no workbook is still said
    assert read_bytes("annexe.doc", data, limits).format == "xls"


def test_a_damaged_or_locked_xls_is_said_by_name(limits, capfd):
    """A truncated .xls, and one saved with a password (Excel 97 marks it with a FILEPASS
    record: here written over the WINDOWPROTECT record of the same length), name the file
    and what to do, never a traceback."""
    data = makers.make_xls({"BPU": [["Désignation", "Prix"], ["Tonte", 1.5]]})
    with pytest.raises(AchatCheckError) as bad:
        read_bytes("BPU.xls", data[:1200], limits)
    assert (bad.value.code, bad.value.path) == ("AC-E004", "BPU.xls") and "réenregistrez-le en .xlsx" in bad.value.message
    with pytest.raises(AchatCheckError) as cut:  # xlrd: « array index out of range »
        read_bytes("BPU.xls", data[:900], limits)
    assert "(structure interne tronquée ou abîmée)" in cut.value.message
    window_protect = b"\x19\x00\x02\x00\x00\x00"  # the first one: the workbook's globals come first
    locked = data.replace(window_protect, b"\x2f\x00\x02\x00\x00\x00", 1)
    with pytest.raises(AchatCheckError) as caught:
        read_bytes("BPU.xls", locked, limits)
    assert (caught.value.code, caught.value.path) == ("AC-E005", "BPU.xls") and "mot de passe" in caught.value.message
    # a damaged sector table: xlrd wrote « WARNING *** File is truncated, or OLE2 MSAT is
    # corrupt!! » on stdout, in the middle of a JSON report
    damaged = bytearray(data)
    damaged[0x4C:0x50] = b"\xff\xff\xff\x37"  # the first entry of the sector table
    with pytest.raises(AchatCheckError) as broken:
        read_bytes("BPU.xls", bytes(damaged), limits)
    assert broken.value.code == "AC-E004" and capfd.readouterr().out == ""
    with pytest.raises(AchatCheckError) as junk:  # no workbook at all: said as for any format
        read_bytes("DQE.xls", b"\x00\x01binaire", limits)
    assert junk.value.code == "AC-E002" and "données binaires inconnues" in junk.value.message


def test_an_xls_sheet_past_the_limits_is_said(limits):
    from achat_check.ingest.other import MAX_SHEET_COLS, MAX_SHEET_ROWS

    rows = [[f"l{r}c{c}" for c in range(MAX_SHEET_COLS + 5)] for r in range(MAX_SHEET_ROWS + 2)]
    doc = read_bytes("DQE.xls", makers.make_xls({"DQE": rows}), limits)
    assert len(doc.tables[0].rows) == MAX_SHEET_ROWS and len(doc.tables[0].rows[0]) == MAX_SHEET_COLS
    (w,) = doc.warnings
    assert w.code == "AC-W004" and f"« DQE » (5 002 lignes, {MAX_SHEET_COLS + 5} colonnes)" in w.message


TEXT_BOX = (
    '<w:p><w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
    '<mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>QUESTION / REPONSE N°1</w:t></w:r></w:p>'
    '<w:p><w:r><w:t>Publiée le 01/07/2026</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>'
    '<mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>QUESTION / REPONSE N°1</w:t></w:r></w:p>'
    '<w:p><w:r><w:t>Publiée le 01/07/2026</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback>'
    '</mc:AlternateContent></w:r></w:p>'
)


def test_a_docx_text_box_is_read_once_line_by_line(limits):
    """Word writes a text box twice, for new readers (mc:Choice) and old ones (mc:Fallback): a
    real Q/R register's headings read « QUESTION / REPONSE N°1QUESTION / REPONSE N°1 ».  The
    box's paragraphs are lines of their own."""
    data = makers.make_docx(makers.parse("# Registre des questions\n\nTexte d'introduction."))

    def add_box(xml: bytes) -> bytes:
        return xml.replace(b"</w:body>", TEXT_BOX.encode() + b"</w:body>")

    doc = read_bytes("Registre Q-R.docx", edit_package(data, {"word/document.xml": add_box}), limits)
    assert doc.text.count("QUESTION / REPONSE N°1") == 1
    assert "QUESTION / REPONSE N°1\nPubliée le 01/07/2026" in doc.text


def test_the_anchor_paragraph_goes_on_after_a_text_box_on_a_line_of_its_own(limits):
    """A text box sits in a paragraph (its anchor), which may hold text after it: the box's
    last line and that text were one line (« Publiée le 01/07/2026Article 1 – Objet du
    marché »), so the heading after a cover box was lost."""
    data = makers.make_docx(makers.parse("Texte d'introduction."))
    anchored = TEXT_BOX.replace("</mc:AlternateContent></w:r></w:p>",
                                "</mc:AlternateContent></w:r><w:r><w:t>Article 1 – Objet du marché</w:t></w:r></w:p>")

    def add_box(xml: bytes) -> bytes:
        return xml.replace(b"</w:body>", anchored.encode() + b"</w:body>")

    doc = read_bytes("CCAP.docx", edit_package(data, {"word/document.xml": add_box}), limits)
    assert "QUESTION / REPONSE N°1\nPubliée le 01/07/2026\nArticle 1 – Objet du marché" in doc.text


def test_a_draft_with_tracked_changes_reads_as_it_would_be_accepted(limits):
    """A buyer checks a draft: tracked insertions are read, deletions are not, and a moved
    sentence once, at its new place (its old place, struck through, keeps its text in w:t)."""
    data = makers.make_docx(makers.parse("# Article 6 – Conditions d'exécution\n\nTexte."))
    tracked = (
        '<w:p><w:ins w:id="1" w:author="Acheteur" w:date="2026-11-30T10:00:00Z"><w:r><w:t>Le titulaire réserve 5 % des heures '
        "à l'insertion.</w:t></w:r></w:ins><w:del w:id=\"2\" w:author=\"Acheteur\" w:date=\"2026-11-30T10:00:00Z\"><w:r>"
        "<w:delText>Aucune clause sociale.</w:delText></w:r></w:del></w:p>"
        '<w:p><w:moveFrom w:id="3" w:author="Acheteur" w:date="2026-11-30T10:00:00Z"><w:r><w:t>Les produits sont écolabellisés.'
        '</w:t></w:r></w:moveFrom></w:p><w:p><w:r><w:t>Les emballages sont repris.</w:t></w:r></w:p>'
        '<w:p><w:moveTo w:id="4" w:author="Acheteur" w:date="2026-11-30T10:00:00Z"><w:r><w:t>Les produits sont écolabellisés.'
        "</w:t></w:r></w:moveTo></w:p>"
    )
    doc = read_bytes("CCAP.docx", edit_package(data, {"word/document.xml": lambda xml: xml.replace(b"</w:body>", tracked.encode() + b"</w:body>")}), limits)
    assert "Le titulaire réserve 5 % des heures à l'insertion." in doc.text and "Aucune clause sociale" not in doc.text
    assert doc.text.count("écolabellisés") == 1
    assert doc.text.index("Les emballages sont repris.") < doc.text.index("Les produits sont écolabellisés.")
    # the buyer is told the draft still carries them, and its comments, which candidates would read
    (w,) = doc.warnings
    assert w.code == "AC-W011" and "modifications suivies non acceptées" in w.message and "commentaire" not in w.message
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w") as out:
        for info in src.infolist():
            out.writestr(info, src.read(info))
        out.writestr("word/comments.xml", '<w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                     + '<w:comment w:id="0" w:author="Juriste"><w:p><w:r><w:t>Vérifier le taux</w:t></w:r></w:p></w:comment>' * 2
                     + "</w:comments>")
    (w,) = read_bytes("CCAP.docx", buf.getvalue(), limits).warnings
    assert w.code == "AC-W011" and "2 commentaires" in w.message and "supprimez les commentaires" in w.message and "modifications" not in w.message
    assert not read_bytes("CCAP.docx", data, limits).warnings  # a clean document: nothing said


def test_an_odt_draft_with_comments_and_tracked_changes_is_said(limits):
    """Writer keeps a deleted passage in text:tracked-changes (not read) and a comment inside
    the paragraph (not read as text); the draft is said, as for Word."""
    data = makers.make_odt(makers.parse("# Article 6 – Clauses sociales\n\nLe titulaire réserve des heures."))

    def mark(xml: bytes) -> bytes:
        xml = xml.replace(b"<office:text>", b'<office:text><text:tracked-changes><text:changed-region text:id="ct1"><text:deletion>'
                          b"<office:change-info><dc:creator>Acheteur</dc:creator></office:change-info><text:p>Aucune clause sociale.</text:p>"
                          b"</text:deletion></text:changed-region></text:tracked-changes>", 1)
        return xml.replace(b"Le titulaire", b"<office:annotation><text:p>A revoir avec le facilitateur</text:p></office:annotation>Le titulaire", 1)

    doc = read_bytes("CCAP.odt", edit_package(data, {"content.xml": mark}), limits)
    assert "Aucune clause sociale" not in doc.text and "A revoir" not in doc.text and "Le titulaire réserve des heures." in doc.text
    (w,) = doc.warnings
    assert w.code == "AC-W011" and "modifications suivies" in w.message and "1 commentaire " in w.message


def test_odt_paragraphs_in_a_cell_or_a_text_box_are_lines_of_their_own(limits):
    """Writer keeps each paragraph of a table cell, and of a text box (draw:frame anchored in
    a paragraph), as a text:p inside it: they were glued to each other and to the anchor's
    text (« Valeur techniquedont délais : 10 % », « Publiée le 01/07/2026Article 6 – Objet »)."""
    data = makers.make_odt(makers.parse(
        "# Article 5 – Jugement des offres\n\n| Critère | Pondération |\n| Valeur technique | 60 % |\n"
        "| Prix | 40 % |\n\nTexte."))

    def mark(xml: bytes) -> bytes:
        if b"xmlns:draw=" not in xml:  # odfpy declares the namespaces a document of the process used
            xml = xml.replace(b"<office:document-content ", b'<office:document-content xmlns:draw="urn:oasis:names:tc:opendocument:'
                              b'xmlns:drawing:1.0" ', 1)
        xml = xml.replace(b"<text:p>Valeur technique</text:p>", "<text:p>Valeur technique</text:p><text:p>dont délais : 10 %"
                          "</text:p>".encode(), 1)
        box = ("<text:p><draw:frame><draw:text-box><text:p>QUESTION / REPONSE N°1</text:p><text:p>Publiée le 01/07/2026"
               "</text:p></draw:text-box></draw:frame>Article 6 – Objet</text:p>")
        return xml.replace(b"<text:p>Texte.</text:p>", box.encode(), 1)

    doc = read_bytes("RC.odt", edit_package(data, {"content.xml": mark}), limits)
    assert ["Valeur technique dont délais : 10 %", "60 %"] in doc.tables[0].rows
    assert "QUESTION / REPONSE N°1\nPubliée le 01/07/2026\nArticle 6 – Objet" in doc.text
