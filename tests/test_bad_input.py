"""Bad input gets a notice naming the file and what to do; never a traceback, never a stop."""

from __future__ import annotations

import io
import os
import re
import stat
import struct
import subprocess
import tempfile
import time
import zipfile

import pytest

from achat_check.ingest import READERS, guard, ingest
from achat_check.settings import Limits
from corpus import makers
from tests.conftest import SAMPLES, edit_package, pdf_with_the_catalog_last, write

GOOD_TXT = "REGLEMENT DE LA CONSULTATION\n\nArticle 1 - Objet\nFourniture de papier recyclé.".encode()


def codes(result) -> list[str]:
    return [n.code for n in result.notices]


def one_bad(tmp_path, name, data, limits, extra_good=True):
    bad = write(tmp_path, name, data)
    paths = [bad]
    if extra_good:
        paths.append(write(tmp_path, "RC-bon.txt", GOOD_TXT))
    return ingest(paths, limits), str(bad)


def notice_for(result, path):
    return next(n for n in result.notices if n.path and n.path.startswith(path))


def test_empty_file(tmp_path, limits):
    result, path = one_bad(tmp_path, "CCAP.pdf", b"", limits)
    n = notice_for(result, path)
    assert n.code == "AC-E003" and "vide" in n.message
    assert [d.name for d in result.documents] == ["RC-bon.txt"]  # the good one is kept


@pytest.mark.parametrize("suffix", [".xlsx", ".ods"])
def test_a_register_of_markets_given_as_a_piece_is_left_out_with_its_command(tmp_path, limits, suffix):
    """A purchasing register given to `check` with the DCE was read as one of its pieces: its
    « Critère social (O/N) » heading made a social criterion, its « MAPA » cells the procedure.
    It is left out, with the command that reads it; a BPU (a DCE's own workbook) is read."""
    rows = [["Registre des marchés 2026"], ["N° du marché", "Date de notification", "Montant HT", "Procédure",
                                             "Critère social (O/N)"], ["26-001", "2026-02-03", "480000", "MAPA", "O"]]
    data = makers.make_xlsx({"Registre": rows}) if suffix == ".xlsx" else makers.make_ods({"Registre": rows})
    result, path = one_bad(tmp_path, f"registre{suffix}", data, limits)
    n = notice_for(result, path)
    assert n.code == "AC-W008" and n.level == "warning"
    assert n.message == ("registre des marchés (colonnes « N° du marché », « Date de notification », « Montant HT », "
                         f"« Procédure » …), pas une pièce de DCE : laissé de côté ; ses indicateurs : `achat-check "
                         f"indicators registre{suffix}`.")
    assert [d.name for d in result.documents] == ["RC-bon.txt"]
    bpu = [["Code", "Désignation", "Unité", "Prix unitaire € HT"], ["N1", "Nettoyage des bureaux", "m²", "2,10"]]
    kept, _ = one_bad(tmp_path, f"BPU{suffix}", makers.make_xlsx({"BPU": bpu}) if suffix == ".xlsx" else makers.make_ods({"BPU": bpu}),
                      limits, extra_good=False)
    assert [d.name for d in kept.documents] == [f"BPU{suffix}"] and not kept.notices


def test_random_bytes(tmp_path, limits):
    result, path = one_bad(tmp_path, "CCTP.pdf", os.urandom(5000) + b"\x00", limits)
    n = notice_for(result, path)
    assert n.code == "AC-E002" and "PDF, DOCX, ODT" in n.message


def test_wrong_extension_is_read_by_content(tmp_path, limits):
    data = makers.make_docx(makers.parse("# Objet\n\nTexte du CCAP."))
    result, path = one_bad(tmp_path, "CCAP.pdf", data, limits, extra_good=False)
    doc = result.documents[0]
    assert doc.format == "docx" and "Texte du CCAP" in doc.text
    assert any(w.code == "AC-W003" and "docx" in w.message for w in doc.warnings)


def test_truncated_pdf(tmp_path, limits):
    """ReportLab writes the pages' content last: cut at a third, no page has any text left."""
    data = makers.make_pdf(makers.parse("# Objet\n\n" + "Texte. " * 400))
    result, path = one_bad(tmp_path, "RC.pdf", data[: len(data) // 3], limits)
    n = notice_for(result, path)
    assert n.code == "AC-E004" and "téléchargez-le à nouveau" in n.message
    assert "PDF tronqué (fin du fichier absente : téléchargement interrompu ?) : aucun texte avant la coupure" in n.message


THREE_PAGES = "# Objet\n\nPage un.\n\n===page===\n\n# Deux\n\nPage deux.\n\n===page===\n\n# Trois\n\nFourniture de papier recyclé."


def test_a_page_whose_content_does_not_inflate_is_said_damaged(tmp_path, limits):
    """pdfium draws a page whose compressed content is damaged as a blank page, without an
    error: the page's text was lost without a word, and what it said counted as absent.  A
    blank page of a whole file says nothing."""
    from achat_check.ingest.pdf_repair import STREAM

    data = makers.make_pdf(makers.parse(THREE_PAGES.replace("Page deux.", "Page deux. " + "Papier recyclé. " * 30)))
    second = list(STREAM.finditer(data))[1].end()  # ReportLab writes the pages' content in their order
    damaged = data[:second + 8] + b"zzzzzzzz" + data[second + 16:]
    result, path = one_bad(tmp_path, "CCTP.pdf", damaged, limits, extra_good=False)
    (doc,) = result.documents
    assert "Page un" in doc.text and "Page deux" not in doc.text and "Trois" in doc.text
    (w,) = doc.warnings
    assert w.code == "AC-W009" and "1 page(s) endommagée(s) n'ont pas pu être lues (p. 2)" in w.message
    blank = makers.make_pdf(makers.parse("# Objet\n\nPage un.\n\n===page===\n\n===page===\n\n# Trois\n\nFin."))
    result, path = one_bad(tmp_path, "CCTP.pdf", blank, limits, extra_good=False)
    assert result.documents[0].pages == 3 and result.documents[0].warnings == []


def test_a_truncated_pdf_gives_the_pages_written_before_the_cut(tmp_path, limits):
    """pdfium refused a PDF whose download was cut (no trailer: « Failed to load document »),
    though the real DCEs cut at 30 to 90 % of their length still hold most of their pages;
    cut in the third page's content, the first two are read and the warning says the cut."""
    data = makers.make_pdf(makers.parse(THREE_PAGES))
    last = max(m.start() for m in re.finditer(rb"\d+ 0 obj", data))  # the third page's content stream
    result, path = one_bad(tmp_path, "CCTP.pdf", data[: last + 40], limits, extra_good=False)
    (doc,) = result.documents
    assert "Page un" in doc.text and "Page deux" in doc.text and "papier recyclé" not in doc.text and doc.pages == 3
    (w,) = doc.warnings
    assert w.code == "AC-W009" and w.path == path
    assert w.message == ("PDF tronqué (fin du fichier absente : téléchargement interrompu ?) : 2 page(s) sur 3 ont un texte "
                         "lu, les autres n'ont pas pu l'être (écrites après la coupure ?) ; téléchargez-le à nouveau pour tout vérifier.")
    whole, _ = one_bad(tmp_path, "CCTP.pdf", data, limits, extra_good=False)
    assert whole.documents[0].warnings == [] and "papier recyclé" in whole.documents[0].text


def test_a_truncated_pdf_whose_catalog_came_last_gives_the_pages_before_the_cut(tmp_path, limits):
    """The catalog (the root of the pages) at the end, lost with the cut: a page tree of the
    pages found before it is made, in the file's order."""
    data = pdf_with_the_catalog_last(["Article 1 - Objet du marché", "Article 2 - Papier recyclé", "Article 3 - Prix"])
    whole, _ = one_bad(tmp_path, "CCAP.pdf", data, limits, extra_good=False)
    assert whole.documents[0].pages == 3 and whole.documents[0].warnings == []
    cut = data[: data.index(b"6 0 obj") + 10]  # page 3's content cut, its page object lost
    result, path = one_bad(tmp_path, "CCAP.pdf", cut, limits, extra_good=False)
    (doc,) = result.documents
    assert "Article 1 - Objet du marché" in doc.text and "Papier recyclé" in doc.text and "Prix" not in doc.text
    assert doc.pages == 2 and doc.text.index("Objet") < doc.text.index("Papier")
    (w,) = doc.warnings
    assert w.code == "AC-W009" and "2 page(s) lue(s) avant la coupure, les suivantes sont perdues" in w.message
    before = data[: data.index(b"3 0 obj")]  # no page object before the cut
    result, path = one_bad(tmp_path, "CCAP.pdf", before, limits, extra_good=False)
    n = notice_for(result, path)
    assert n.code == "AC-E004" and "aucune page n'a pu être lue, téléchargez-le à nouveau" in n.message


def test_a_pdf_cut_in_an_update_pdfium_opens_is_said_to_be_cut(tmp_path, limits):
    """pdfium opens some cut files as they are (it finds an earlier trailer: here, the file's
    first version, before an update appended and cut): read, and said to be cut all the same."""
    data = makers.make_pdf(makers.parse(THREE_PAGES))
    update = b"\n13 0 obj\n<< /Type /Annot /Subtype /Text /Contents (Note de relecture) >>\nendobj\nxref\n0 1\n0000"
    result, path = one_bad(tmp_path, "CCTP.pdf", data + update, limits, extra_good=False)
    (doc,) = result.documents
    assert "papier recyclé" in doc.text and [w.code for w in doc.warnings] == ["AC-W009"]
    assert "ses 3 pages ont un texte lu, mais ce qui était écrit après la coupure (fin d'une page, tableau) manque" in doc.warnings[0].message


def _three_pages_the_second_damaged() -> bytes:
    data = makers.make_pdf(makers.parse("# Objet\n\nPage un.\n\n===page===\n\n# Deux\n\nPage deux.\n\n===page===\n\n"
                                        "# Trois\n\nFourniture de papier recyclé."))
    return data.replace(b"5 0 obj\n<<", b"5 0 obj\n[ ", 1)  # page 2's object is no page: pdfium cannot load it


def test_a_pdf_with_a_damaged_page_keeps_the_others(tmp_path, limits):
    result, path = one_bad(tmp_path, "CCTP.pdf", _three_pages_the_second_damaged(), limits, extra_good=False)
    doc = result.documents[0]
    assert "Page un" in doc.text and "papier recyclé" in doc.text and doc.pages == 3
    (w,) = [w for w in doc.warnings if w.code == "AC-W009"]
    assert "(p. 2)" in w.message and "CCTP.pdf" in w.path


def test_a_damaged_zip_member_is_named_and_the_others_are_read(tmp_path, limits):
    """A flipped byte in deflated data is a zlib.error, a bogus version a NotImplementedError:
    neither is a BadZipFile, and each stopped the whole run (found by fuzzing real DCEs)."""
    data = bytearray(_zip_with([("CCTP.txt", GOOD_TXT * 50), ("RC.txt", GOOD_TXT)]))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("CCTP.txt")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start] = 0xFF  # deflate block type 3 does not exist: zlib says "invalid block type"
    result, path = one_bad(tmp_path, "dce.zip", bytes(data), limits, extra_good=False)
    assert [d.name for d in result.documents] == ["RC.txt"]
    n = notice_for(result, path)
    assert n.code == "AC-E004" and "« CCTP.txt »" in n.message and "téléchargez-la à nouveau" in n.message
    versioned = bytearray(_zip_with([("RC.txt", GOOD_TXT)]))
    central = versioned.index(b"PK\x01\x02")
    versioned[central + 6] = 94  # "version needed to extract" 9.4 in the sommaire: zipfile refuses it…
    result, path = one_bad(tmp_path, "dce.zip", bytes(versioned), limits, extra_good=False)
    assert [d.name for d in result.documents] == ["RC.txt"] and codes(result) == ["AC-W012"]  # …the file's header has it right
    assert "son fichier a été lu d'après son propre en-tête, rien n'est perdu" in result.notices[0].message
    versioned[4] = 94  # and in the file's own header too
    for name in ("dce.zip", "CCAP.docx"):
        result, path = one_bad(tmp_path, name, bytes(versioned), limits)
        assert notice_for(result, path).code == "AC-E004" and [d.name for d in result.documents] == ["RC-bon.txt"]


def test_a_damaged_office_document_is_one_document_not_an_archive_of_its_parts(tmp_path, limits):
    """Unrecognised, a damaged .odt or .docx was expanded as a ZIP of DCE files, and its
    parts (« mimetype », « content.xml », « xl/styles.xml ») were each reported unreadable."""
    odt = bytearray(makers.make_odt(makers.parse("# Objet\n\nFourniture de papier recyclé.")))
    at = odt.index(b"application/vnd.oasis")  # the stored « mimetype » part: its CRC no longer matches
    odt[at] = ord("b")
    result, path = one_bad(tmp_path, "CCTP.odt", bytes(odt), limits, extra_good=False)
    assert not [n for n in result.notices if "content.xml" in n.message or "mimetype" in n.message]
    assert [d.format for d in result.documents] == ["odt"] and "papier recyclé" in result.documents[0].text
    odt[at] = ord("a")
    odt[odt.index(b"mimetype", odt.index(b"PK\x01\x02"))] = ord("l")  # « limetype » in the central directory
    result, path = one_bad(tmp_path, "CCTP.odt", bytes(odt), limits, extra_good=False)
    assert not result.notices and [d.format for d in result.documents] == ["odt"]  # odfpy does without it
    assert "papier recyclé" in result.documents[0].text
    docx = bytearray(makers.make_docx(makers.parse("# Objet\n\nTexte.")))
    at = docx.index(b"word/document.xml", docx.index(b"PK\x01\x02"))  # its name in the central directory
    docx[at] = ord("x")
    result, path = one_bad(tmp_path, "CCAP.docx", bytes(docx), limits)
    (n,) = [n for n in result.notices if n.path.startswith(path)]
    assert n.code == "AC-E004" and n.path == path  # the document itself, not one of its parts
    assert [d.name for d in result.documents] == ["RC-bon.txt"]


def _odt_with_damaged_styles() -> bytes:
    src = zipfile.ZipFile(io.BytesIO(makers.make_odt(makers.parse("# Objet\n\nFourniture de papier recyclé."))))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "styles.xml":  # an undeclared prefix: odfpy's SAX parser gives up on the part
                data = data.replace(b"<office:styles", b"<zz:oops/><office:styles", 1)
            zf.writestr(zipfile.ZipInfo(info.filename, info.date_time), data)
    return buf.getvalue()


def test_a_damaged_odt_part_is_said_and_never_printed_into_the_json_report(tmp_path, limits, capsys):
    """odfpy printed the whole part it could not parse to standard output: into the report
    of `check -f json > rapport.json`, which no longer parsed."""
    import json

    from tests.conftest import run_cli

    market = tmp_path / "dce"
    market.mkdir()
    write(market, "CCTP.odt", _odt_with_damaged_styles())
    write(market, "RC.txt", GOOD_TXT)
    proc = run_cli("check", str(market), "-f", "json", "--fail-on", "never")
    report = json.loads(proc.stdout)
    (odt,) = [d for d in report["documents"] if d["name"] == "CCTP.odt"]
    assert [w["code"] for w in odt["warnings"]] == ["AC-W009"] and odt["structure"]["headings"]  # its text is read
    result = ingest([market / "CCTP.odt"], limits.model_copy(update={"isolate": False}))  # in this process too
    assert "FAILED" not in capsys.readouterr().out and result.documents[0].warnings[0].code == "AC-W009"


def test_an_uploaded_archive_of_markets_skips_a_damaged_member(tmp_path):
    from achat_check.batch.discover import unpack_archive

    data = bytearray(_zip_with([("M-1/CCTP.txt", GOOD_TXT * 50), ("M-2/RC.txt", GOOD_TXT)]))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("M-1/CCTP.txt")
    data[info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)] = 0xFF
    upload = write(tmp_path, "archive.zip", bytes(data))
    left = unpack_archive(upload, tmp_path / "out")
    assert [rel for rel, _ in left] == ["M-1/CCTP.txt"]  # where it belonged: its market says it (test_batch)
    notices = [n for _, n in left]
    assert [n.code for n in notices] == ["AC-E004"] and "M-1/CCTP.txt" in notices[0].message
    assert notices[0].level == "error"  # the level of its code, as every notice of the project
    assert (tmp_path / "out" / "M-2" / "RC.txt").read_bytes() == GOOD_TXT
    assert not (tmp_path / "out" / "M-1" / "CCTP.txt").exists()  # no half-written file to check


def test_encrypted_pdf(tmp_path, limits):
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=pdfencrypt.StandardEncryption("secret", "owner"))
    c.drawString(100, 700, "Texte confidentiel")
    c.save()
    result, path = one_bad(tmp_path, "RC.pdf", buf.getvalue(), limits)
    n = notice_for(result, path)
    assert n.code == "AC-E005" and "mot de passe" in n.message


def test_password_protected_docx(tmp_path, limits):
    msoffcrypto = pytest.importorskip("msoffcrypto")
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = makers.make_docx(makers.parse("# Objet\n\nTexte."))
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(plain)).encrypt("motdepasse", out)
    assert msoffcrypto
    result, path = one_bad(tmp_path, "CCAP.docx", out.getvalue(), limits)
    n = notice_for(result, path)
    assert n.code == "AC-E005"


def _zip_with(members: list[tuple[zipfile.ZipInfo | str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in members:
            zf.writestr(info, data)
    return buf.getvalue()


def test_zip_bomb_ratio(tmp_path, limits):
    # the archive's RC is not the good file's copy (a copy is read once, see below)
    bomb = _zip_with([("RC.txt", GOOD_TXT + b" Annexe."), ("zeros.txt", b"0" * (60 << 20))])
    result, path = one_bad(tmp_path, "dce.zip", bomb, limits)
    n = notice_for(result, path)
    assert n.code == "AC-E006" and "bombe ZIP" in n.message
    assert "RC-bon.txt" in [d.name for d in result.documents]


def test_zip_total_size_limit(tmp_path):
    limits = Limits(zip_max_total_mb=1)
    data = _zip_with([(f"annexe{i}.txt", os.urandom(400_000).hex().encode()[:400_000]) for i in range(4)])
    result, path = one_bad(tmp_path, "dce.zip", data, limits)
    n = notice_for(result, path)
    assert n.code == "AC-E006" and "1 Mo" in n.message


def test_zip_file_count_limit(tmp_path):
    limits = Limits(zip_max_files=5)
    data = _zip_with([(f"f{i}.txt", GOOD_TXT) for i in range(6)])
    result, path = one_bad(tmp_path, "dce.zip", data, limits)
    assert notice_for(result, path).code == "AC-E006"


def test_zip_unsafe_members_are_skipped_and_nothing_is_written(tmp_path, limits):
    link = zipfile.ZipInfo("lien.txt")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    data = _zip_with([
        ("../../evil.txt", b"evil"),
        ("/etc/evil.txt", b"evil"),
        (link, b"/etc/passwd"),
        ("DCE/RC.txt", GOOD_TXT),
    ])
    before = set(tmp_path.parent.rglob("evil.txt"))
    result, path = one_bad(tmp_path, "dce.zip", data, limits, extra_good=False)
    reasons = " ".join(n.message for n in result.notices if n.code == "AC-W005")
    assert "../" in reasons and "chemin absolu" in reasons and "lien symbolique" in reasons
    assert [d.name for d in result.documents] == ["RC.txt"]
    assert set(tmp_path.parent.rglob("evil.txt")) == before


def test_zip_nesting_depth_limit(tmp_path):
    limits = Limits(zip_max_depth=1)
    inner = makers.make_zip({"RC.txt": GOOD_TXT})
    for _ in range(3):
        inner = makers.make_zip({"niveau.zip": inner})
    result, path = one_bad(tmp_path, "dce.zip", inner, limits)
    n = notice_for(result, path)
    assert n.code == "AC-E006" and "imbriquées" in n.message


def _replace_part(package: bytes, part: str, content: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(package))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            out.writestr(item, content if item.filename == part else src.read(item.filename))
    return buf.getvalue()


LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">'.encode() if i else b"" for i in range(1, 9))
    + b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol8;</w:t></w:r></w:p></w:body></w:document>'
)


def test_docx_entity_bomb(tmp_path, limits):
    docx = _replace_part(makers.make_docx(makers.parse("Texte.")), "word/document.xml", LAUGHS)
    result, path = one_bad(tmp_path, "CCAP.docx", docx, limits)
    n = notice_for(result, path)
    assert n.code == "AC-E008" and "entités" in n.message


def test_odt_entity_bomb(tmp_path, limits):
    odt = _replace_part(makers.make_odt(makers.parse("Texte.")), "content.xml", LAUGHS)
    result, path = one_bad(tmp_path, "CCTP.odt", odt, limits)
    assert notice_for(result, path).code == "AC-E008"


def test_page_limit_on_a_2000_page_pdf(tmp_path):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    for _ in range(2000):
        pdf.new_page(595, 842)
    buf = io.BytesIO()
    pdf.save(buf)
    limits = Limits(max_pages=50)
    started = time.perf_counter()
    result, path = one_bad(tmp_path, "annexe.pdf", buf.getvalue(), limits, extra_good=False)
    doc = result.documents[0]
    assert doc.pages == 2000 and len(doc.page_spans) == 50
    warn = next(w for w in doc.warnings if w.code == "AC-W004")
    assert "--max-pages" in warn.message
    assert time.perf_counter() - started < 60  # bounded, not a speed assertion


def _swap_reader(monkeypatch, fn):
    monkeypatch.setitem(READERS, "txt", fn)


@pytest.fixture(params=["fork", "reader"])
def isolation(request, monkeypatch):
    """Read in a child forked per document, or through a reader process (batch and API
    workers); the reader must be started after the test swapped a reader in."""

    def enable():
        if request.param == "reader":
            reader = guard.ReaderProcess()
            monkeypatch.setattr(guard, "_reader", reader)
            request.addfinalizer(reader.stop)

    enable.mode = request.param
    return enable


def _bad_then_good(tmp_path, data, limits):
    """A bad .txt then a good .md: the good one is still read (by a new reader if need be)."""
    bad = write(tmp_path, "piege.txt", data)
    good = write(tmp_path, "RC-bon.md", GOOD_TXT)
    result = ingest([bad, good], limits)
    assert [d.name for d in result.documents] == ["RC-bon.md"]
    return result, str(bad)


def test_hanging_reader_is_stopped(tmp_path, monkeypatch, isolation):
    def hang(data, path, limits):
        while True:
            time.sleep(0.05)

    _swap_reader(monkeypatch, hang)
    isolation()
    result, path = _bad_then_good(tmp_path, b"texte", Limits(doc_timeout=1.5))
    n = notice_for(result, path)
    assert n.code == "AC-E009" and "ACHAT_CHECK_DOC_TIMEOUT" in n.message


def test_a_stopped_reader_leaves_no_program_running_and_no_temporary_file(tmp_path, monkeypatch, isolation):
    """As OCR does: the reader writes a page image in the temporary folder and starts a
    program on it; stopped at its time limit, the program dies with it and the file goes."""
    started = tmp_path / "started.txt"

    def ocr_like(data, path, limits):
        image = tempfile.NamedTemporaryFile(prefix="tess_", delete=False)
        program = subprocess.Popen(["sleep", "60"])
        started.write_text(f"{program.pid} {image.name}")
        while True:
            time.sleep(0.05)

    _swap_reader(monkeypatch, ocr_like)
    isolation()
    result, path = _bad_then_good(tmp_path, b"texte", Limits(doc_timeout=1.5))
    assert notice_for(result, path).code == "AC-E009"
    pid, image = started.read_text().split()
    assert not os.path.exists(image)
    deadline = time.monotonic() + 10  # the kill is immediate; this bounds the zombie's reaping
    while _running(int(pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _running(int(pid)), "the program the reader started runs on, orphaned"


@pytest.mark.parametrize("mode", ["fork", "reader"])
def test_documents_are_read_where_no_temporary_folder_can_be_made(tmp_path, monkeypatch, mode):
    """A locked-down server (read-only /tmp): the reader's own temporary folder is a comfort,
    not a need; a PDF is read without one."""

    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied", "/tmp")

    monkeypatch.setattr(tempfile, "mkdtemp", refused)
    if mode == "reader":
        reader = guard.ReaderProcess()
        monkeypatch.setattr(guard, "_reader", reader)
    rc = SAMPLES / "nettoyage-caf" / "RC.pdf"
    result = ingest([rc], Limits())
    if mode == "reader":
        reader.stop()
    assert [d.name for d in result.documents] == ["RC.pdf"] and result.notices == []


def _running(pid: int) -> bool:
    """The process is alive (not gone, not a zombie waiting for its reaper)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_memory_hog_reader_is_stopped(tmp_path, monkeypatch, isolation):
    def hog(data, path, limits):
        blocks = []
        while True:
            blocks.append(bytearray(50 << 20))

    _swap_reader(monkeypatch, hog)
    isolation()
    result, path = _bad_then_good(tmp_path, b"texte", Limits(doc_memory_mb=300))
    assert notice_for(result, path).code == "AC-E010"


@pytest.mark.parametrize("mode", ["fork", "reader"])
def test_a_memory_budget_above_the_hard_limit_still_reads(tmp_path, mode):
    """Under a hard address-space limit (`ulimit -v`) below the budget asked for, the limit
    is set at the hard one: the document is read, not lost to a failed setrlimit."""
    import subprocess
    import sys

    good = write(tmp_path, "RC-bon.md", GOOD_TXT)
    script = f"""
import resource
from achat_check.ingest import guard, ingest
from achat_check.settings import Limits
hard = guard._vm_size_bytes() + (2 << 30)
resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
if {mode!r} == "reader":
    guard.use_reader_process()
result = ingest([{str(good)!r}], Limits(doc_memory_mb=8000))
print([d.name for d in result.documents], [n.code for n in result.notices])
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "['RC-bon.md'] []", out.stderr[-2000:]


def test_crashing_reader_is_reported(tmp_path, monkeypatch, isolation):
    def crash(data, path, limits):
        os.abort()

    _swap_reader(monkeypatch, crash)
    isolation()
    result, path = _bad_then_good(tmp_path, b"texte", Limits())
    n = notice_for(result, path)
    assert n.code == "AC-E004" and "arrêté brutalement" in n.message


def test_reader_process_reads_like_the_fork_and_is_recycled(monkeypatch, samples):
    paths = sorted((samples / "nettoyage-caf").iterdir())
    want = [(d.name, d.text, len(d.tables)) for d in ingest(paths, Limits()).documents]
    reader = guard.ReaderProcess(recycle=2)
    monkeypatch.setattr(guard, "_reader", reader)
    started = []
    start = reader.start
    monkeypatch.setattr(reader, "start", lambda: (start(), started.append(reader.pid)))
    got = [(d.name, d.text, len(d.tables)) for d in ingest(paths, Limits()).documents]
    reader.stop()
    assert got == want and len(want) >= 3
    assert len(set(started)) == len(started) == -(-len(want) // 2)  # a new reader every two documents


@pytest.mark.parametrize("name,data,said", [
    ("DCE.7z", b"7z\xbc\xaf\x27\x1c\x00\x04" + bytes(range(64)), "archive 7-Zip (.7z) non ouverte : décompressez-la"),
    ("DCE.rar", b"Rar!\x1a\x07\x01\x00" + bytes(range(64)), "archive RAR non ouverte : décompressez-la"),
    ("DCE.zip", b"Rar!\x1a\x07\x00" + bytes(range(64)), "archive RAR non ouverte"),  # read by its bytes, not its name
    ("DCE.tar.gz", b"\x1f\x8b\x08\x00" + bytes(range(64)), "archive gzip (.gz, .tgz) non ouverte"),
], ids=["7z", "rar", "rar-nomme-zip", "gzip"])
def test_other_archives_are_named_with_what_to_do(tmp_path, limits, name, data, said):
    """They were « des données binaires inconnues », and an RC advises « 7-zip ou .zip »."""
    result, path = one_bad(tmp_path, name, data, limits)
    n = notice_for(result, path)
    assert n.code == "AC-E002" and said in n.message and "ZIP" in n.message
    assert len(result.documents) == 1


@pytest.mark.parametrize("name,said", [
    ("scan-AE.jpg", "image ignorée (une pièce scannée se donne en PDF"),
    ("plan-RDC.dwg", "plan (DWG, DXF)"),
    ("CCAP.pdf.p7s", "signature électronique"),
    ("presentation.pptx", "présentation non lue"),
    # a notice from the BOAMP's API (JSON) or TED (XML), as ../shared/real/data holds: its PDF extract is read
    ("avis-boamp.json", "fichier de données ou page web (avis, export) : ignoré ; si c'est l'avis de marché, donnez-le en PDF"),
    ("2024-OJS012-00032045.xml", "fichier de données ou page web (avis, export) : ignoré ; si c'est l'avis de marché, donnez-le"),
])
def test_a_skipped_file_is_said_for_what_it_is(tmp_path, limits, name, said):
    """Every skipped file was « sans texte à analyser (image, plan, signature…) ».  (A DQE in
    .xls was skipped too: it is read now, see test_readers.)"""
    result, path = one_bad(tmp_path, name, b"\x00\x01binaire", limits)
    n = notice_for(result, path)
    assert n.code == "AC-W008" and n.message.startswith(said)
    assert len(result.documents) == 1


def test_missing_path(tmp_path, limits):
    result = ingest([tmp_path / "absent.pdf"], limits)
    assert codes(result) == ["AC-E001"]


def test_an_input_that_holds_no_file_says_so(tmp_path, limits):
    """An empty folder, a folder of hidden and lock files only, an empty ZIP: the report said
    « aucun document n'a pu être lu : voir les messages ci-dessus » above no message at all."""
    (empty := tmp_path / "vide").mkdir()
    (hidden := tmp_path / "caches").mkdir()
    (hidden / ".DS_Store").write_bytes(b"x")
    (hidden / "~$CCAP.docx").write_bytes(b"x")
    zipped = tmp_path / "DCE.zip"
    zipfile.ZipFile(zipped, "w").close()
    good = write(tmp_path, "RC-bon.txt", GOOD_TXT)
    result = ingest([empty, hidden, zipped, good], limits)
    assert codes(result) == ["AC-E003"] * 3 and [d.name for d in result.documents] == ["RC-bon.txt"]
    by_path = {n.path: n.message for n in result.notices}
    assert by_path[str(empty)].startswith("dossier sans aucun fichier à lire : donnez le dossier qui contient les pièces")
    assert "seulement 2 fichier(s) caché(s) ou temporaire(s)" in by_path[str(hidden)]
    assert by_path[str(zipped)].startswith("archive vide")


def test_a_copy_of_a_file_is_read_once(tmp_path, limits):
    """A DCE's ZIP beside its unzipped files, « RC (1).txt » beside « RC.txt », a file given
    twice: each was read again, its clauses quoted twice and its pages counted twice."""
    market = tmp_path / "dce"
    market.mkdir()
    rc = write(market, "RC.txt", GOOD_TXT)
    write(market, "RC (1).txt", GOOD_TXT)
    with zipfile.ZipFile(market / "DCE.zip", "w") as z:
        z.writestr("DCE/CCAP.txt", "CCAP\n\nArticle 1 - Pénalités\nPénalité de 100 € par jour de retard.")
        z.writestr("DCE/RC.txt", GOOD_TXT)
    result = ingest([market], limits)
    assert [d.path for d in result.documents] == [f"{market}/DCE.zip/DCE/CCAP.txt", f"{market}/DCE.zip/DCE/RC.txt"]
    said = f"copie identique de « {market}/DCE.zip/DCE/RC.txt » (même contenu) : lue une seule fois."
    assert [(n.code, n.path, n.message) for n in result.notices] == [("AC-W008", str(market / "RC (1).txt"), said),
                                                                     ("AC-W008", str(rc), said)]
    twice = ingest([rc, rc], limits)
    assert len(twice.documents) == 1
    assert [(n.path, n.message) for n in twice.notices] == [(str(rc), "fichier donné deux fois : lu une seule fois.")]


def test_a_zip_gives_its_files_in_the_order_of_the_same_folder(tmp_path, limits):
    """A ZIP stores its members in the order they were added (« Lot2/ » before « Lot1/ » here):
    read so, the DCE listed its pieces in another order than the same folder unzipped, and of
    two identical files it kept Lot 2's where the folder kept Lot 1's."""
    folder = tmp_path / "dce"
    files = {"Lot2/RC.txt": GOOD_TXT, "Lot2/CCAP.txt": "CCAP\n\nArticle 1 - Prix\nPrix fermes.", "Lot1/RC.txt": GOOD_TXT,
             "Lot1/CCTP.txt": "CCTP\n\nArticle 1 - Objet\nNettoyage des locaux."}
    with zipfile.ZipFile(tmp_path / "dce.zip", "w") as z:
        for name, text in files.items():
            z.writestr(name, text)
            write(folder / name.split("/")[0], name.split("/")[1], text if isinstance(text, bytes) else text.encode())
    zipped, unzipped = ingest([tmp_path / "dce.zip"], limits), ingest([folder], limits)
    inside = [d.path.split("dce.zip/")[1] for d in zipped.documents]
    assert inside == ["Lot1/CCTP.txt", "Lot1/RC.txt", "Lot2/CCAP.txt"]
    assert inside == [d.path.split("/dce/")[1] for d in unzipped.documents]
    assert [n.path.split("dce.zip/")[1] for n in zipped.notices] == ["Lot2/RC.txt"]  # the later copy is the one left


def test_a_path_part_in_cp1252_reads_as_text_and_the_utf8_parts_stay():
    from achat_check.ingest.archive import readable_name

    path = os.fsdecode("/archives/Marché".encode() + b"/R\xe8glement \x80.pdf")  # as the OS gives it
    assert readable_name(path) == "/archives/Marché/Règlement €.pdf"
    assert readable_name("/archives/Marché/RC.pdf") == "/archives/Marché/RC.pdf"


@pytest.mark.parametrize(
    ("name", "data", "said"),
    [
        # ended as a PDF ends (a cut one is said to be cut: test_a_truncated_pdf_whose_catalog_came_last…)
        ("CCAP.pdf", b"%PDF-1.4 abime\n%%EOF\n", "PDF illisible (format de données invalide)"),
        ("DCE.zip", b"PK\x03\x04 tronque", "archive ZIP illisible (ce n'est pas une archive ZIP)"),
        ("CCAP.docx", b"PK\x03\x04 tronque", "document Office illisible (ce n'est pas une archive ZIP)"),
        # spans nested 5 000 deep in an ODT: « RecursionError: maximum recursion depth exceeded »
        ("CCTP.odt", "deep-odt", "fichier illisible ou endommagé (éléments imbriqués sur des milliers de niveaux, structure anormale)"),
    ],
)
def test_a_parser_failure_is_said_in_french(tmp_path, limits, name, data, said):
    """zipfile and pdfium say why in English (« File is not a zip file », « Data format
    error »): a French buyer reads it in French, the file named and what to do."""
    if data == "deep-odt":
        data = _deep_odt()
    result, path = one_bad(tmp_path, name, data, limits)
    n = notice_for(result, path)
    assert n.code == "AC-E004" and said in n.message
    assert any(todo in n.message for todo in ("téléchargez", "vérifiez le téléchargement", "réenregistrez"))


def _deep_odt() -> bytes:
    deep = b"<text:span>" * 5000 + b"profond" + b"</text:span>" * 5000
    return edit_package(makers.make_odt(makers.parse("# Objet\n\nTexte MARK.")), {"content.xml": lambda xml: xml.replace(b"MARK", deep)})


def _damaged(data: bytes, part: str, how: str) -> bytes:
    """A package whose `part` is damaged as fuzzing the real DCEs' DOCX and ODT damaged
    them: its deflated bytes, its checksum, its name in its own header or in both headers,
    or the sommaire's (the central directory's) size."""
    out = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(part)
    name_at = info.header_offset + 30
    if how == "deflate":
        assert info.compress_type == zipfile.ZIP_DEFLATED
        out[name_at + len(info.filename.encode()) + len(info.extra)] = 0xFF  # deflate block type 3: « invalid block type »
    elif how in ("crc", "utf8"):
        central = out.index(b"PK\x01\x02")
        while out[central + 46 : central + 46 + len(info.filename)] != info.filename.encode():
            central = out.index(b"PK\x01\x02", central + 4)
        if how == "crc":
            out[central + 16] ^= 0xFF  # the central directory's CRC-32 of the part
        else:
            for flags, name in ((central + 9, central + 46), (info.header_offset + 7, name_at)):  # both headers
                out[flags] |= 0x08  # its name said UTF-8 (flag bit 11)…
                out[name] = 0xFF  # …and not UTF-8
    elif how == "name":
        out[name_at] ^= 0x20  # « word/… » is « Word/… » in the part's own header only
    else:
        end = out.rindex(b"PK\x05\x06")
        out[end + 12 : end + 16] = (20).to_bytes(4, "little")  # the sommaire's size: 20 bytes, one entry takes 46
    return bytes(out)


@pytest.mark.parametrize(("name", "part"), [("CCTP.docx", "word/document.xml"), ("CCTP.odt", "content.xml"),
                                            ("BPU.xlsx", "xl/workbook.xml")])
def test_a_package_whose_sommaire_is_damaged_is_read_from_its_parts(tmp_path, limits, name, part):
    """Each part also has its own header: a damaged sommaire no longer costs the document."""
    data = _package(name)
    result, path = one_bad(tmp_path, name, _damaged(data, part, "sommaire"), limits, extra_good=False)
    (doc,) = result.documents
    assert "Papier recyclé" in doc.text or "papier recyclé" in doc.text
    assert [w.code for w in doc.warnings] == ["AC-W012"] and "sommaire du document abîmé" in doc.warnings[0].message


def _package(name: str) -> bytes:
    if name.endswith(".xlsx"):
        return makers.make_xlsx({"BPU": [["Désignation", "Prix"], ["Papier recyclé", 3]]})
    source = makers.parse("# Objet\n\nFourniture de papier recyclé. " + "Texte du CCTP. " * 400)
    return (makers.make_docx if name.endswith(".docx") else makers.make_odt)(source)


@pytest.mark.parametrize(("how", "said"), [("deflate", "(données compressées abîmées)"),
                                           ("crc", "(somme de contrôle fausse : contenu abîmé)"),
                                           ("name", "(noms de parties incohérents : structure de l'archive abîmée)"),
                                           ("utf8", "(nom de partie illisible : structure de l'archive abîmée)")])
@pytest.mark.parametrize(("name", "part"), [("CCTP.docx", "word/document.xml"), ("CCTP.odt", "content.xml"),
                                            ("BPU.xlsx", "xl/workbook.xml")])
def test_a_damaged_package_is_said_in_french(tmp_path, limits, how, said, name, part):
    """zlib and zipfile say what broke in English (« Error -3 while decompressing data:
    invalid distance too far back », « File name in directory … differ »), and python-docx's
    failure showed only its class: « DOCX illisible (BadZipFile) »."""
    result, path = one_bad(tmp_path, name, _damaged(_package(name), part, how), limits)
    n = notice_for(result, path)
    assert n.code == "AC-E004" and said in n.message, n.message
    assert "réenregistrez" in n.message or "téléchargez" in n.message
    assert [d.name for d in result.documents] == ["RC-bon.txt"]


class _Stream(io.RawIOBase):
    """A destination zipfile cannot seek back into: it writes each file's checksum and sizes in
    a data descriptor after its data, as streaming servers and Java's ZipOutputStream do."""

    def __init__(self) -> None:
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, b) -> int:
        self.data += b
        return len(b)


def _dce_zip(streamed: bool, members: dict[str, bytes]) -> bytes:
    if not streamed:
        return makers.make_zip(members)
    out = _Stream()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return bytes(out.data)


def _three_pieces() -> dict[str, bytes]:
    return {"DCE/RC.pdf": makers.make_pdf(makers.parse("# Règlement de la consultation\n\nArticle 1 Objet\nFourniture de papier recyclé.")),
            "DCE/CCAP.docx": makers.make_docx(makers.parse("# CCAP\n\nArticle 1 Clause sociale d'insertion de 200 heures.")),
            "DCE/CCTP.txt": os.urandom(30_000).hex().encode()}  # text that does not compress: the cut falls inside it


@pytest.mark.parametrize("streamed", [False, True])
def test_a_truncated_dce_archive_gives_the_files_before_the_cut(tmp_path, limits, streamed):
    """A DCE.zip whose download stopped lost its sommaire (written last): zipfile refused it
    whole (« archive ZIP illisible (ce n'est pas une archive ZIP) ») although its RC and CCAP
    were whole in it."""
    data = _dce_zip(streamed, _three_pieces())
    cctp = data.index(b"DCE/CCTP.txt")  # its local header's name
    result, path = one_bad(tmp_path, "DCE.zip", data[: cctp + 20_000], limits, extra_good=False)
    assert [d.name for d in result.documents] == ["CCAP.docx", "RC.pdf"]  # in the order of their paths, as a folder's
    assert "insertion de 200 heures" in result.documents[0].text
    (n,) = result.notices
    assert n.code == "AC-W009" and n.path == path
    assert "2 fichiers entiers lus d'après leurs propres en-têtes ; « DCE/CCTP.txt » est coupé, non lu" in n.message
    assert "téléchargez-la à nouveau" in n.message


def test_a_cut_archive_ending_inside_a_stored_archive_is_not_taken_for_it(tmp_path, limits):
    """An archive stored without compression (zip -0) keeps its ODT's own sommaire as plain
    bytes: cut a little after that ODT, its last 64 KB held the ODT's sommaire, and zipfile
    opened the cut archive as the ODT (« content.xml », « styles.xml » taken for the DCE's
    files, the RC lost without a word).  It is read as a cut archive: the files before the cut."""
    from achat_check.batch.discover import unpack_archive

    odt = makers.make_odt(makers.parse("# CCTP\n\nArticle 1 Papier recyclé."))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("DCE/RC.txt", GOOD_TXT)
        zf.writestr("DCE/CCTP.odt", odt)
        zf.writestr("DCE/BPU.txt", os.urandom(30_000).hex().encode())
    data = buf.getvalue()
    cut = data[: data.index(b"DCE/BPU.txt") + 5_000]
    assert zipfile.ZipFile(io.BytesIO(cut)).namelist()[0] in ("mimetype", "content.xml")  # what zipfile alone finds
    result, path = one_bad(tmp_path, "DCE.zip", cut, limits, extra_good=False)
    assert [d.name for d in result.documents] == ["CCTP.odt", "RC.txt"] and "Papier recyclé" in result.documents[0].text
    (n,) = result.notices
    assert n.code == "AC-W009" and "« DCE/BPU.txt » est coupé, non lu" in n.message
    # an uploaded batch archive, the same: its markets' files, not the ODT's parts
    left = unpack_archive(write(tmp_path, "lots.zip", cut), tmp_path / "out", limits)
    assert sorted(p.name for p in (tmp_path / "out").rglob("*") if p.is_file()) == ["CCTP.odt", "RC.txt"]
    assert [n.code for _, n in left] == ["AC-W009", "AC-E004"]


@pytest.mark.parametrize("method", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_a_pdf_the_cut_of_its_archive_went_through_is_read_up_to_the_cut(tmp_path, limits, method):
    """A real DCE zipped without compression and cut 20 KB into its RC lost the whole RC
    (« est coupé, non lu »): its pages before the cut are read, the PDF saying it is cut;
    a PDF whose pages' content came after the cut (ReportLab's) says so in its own error."""
    from achat_check.batch.discover import unpack_archive

    # each page its own words: a line alike on every page but for its number is a running header, dropped
    pages = [f"Article {n} - Papier recyclé pour le site « {''.join(chr(97 + (n * 7 + k * 3) % 26) for k in range(5))} »"
             for n in range(1, 21)]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        zf.writestr("DCE/RC.txt", GOOD_TXT)
        zf.writestr("DCE/CCTP.pdf", pdf_with_the_catalog_last(pages))
    data = buf.getvalue()
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("DCE/CCTP.pdf")
    cut = data[: info.header_offset + 30 + len(info.filename) + info.compress_size // 2]
    result, path = one_bad(tmp_path, "DCE.zip", cut, limits, extra_good=False)
    assert [d.name for d in result.documents] == ["CCTP.pdf", "RC.txt"]
    cctp = result.documents[0]
    assert pages[0] in cctp.text and pages[-1] not in cctp.text and 5 < cctp.pages < 20
    (n,) = result.notices
    assert n.code == "AC-W009" and "« DCE/CCTP.pdf » est coupé, lu jusqu'à la coupure" in n.message
    (w,) = cctp.warnings
    assert w.code == "AC-W009" and f"{cctp.pages} page(s) lue(s) avant la coupure, les suivantes sont perdues" in w.message
    # an uploaded batch archive: the market has the PDF as far as it goes, and no « non lu » for it
    left = unpack_archive(write(tmp_path, "lots.zip", cut), tmp_path / "out", limits)
    assert sorted(p.name for p in (tmp_path / "out").rglob("*") if p.is_file()) == ["CCTP.pdf", "RC.txt"]
    assert [n.code for _, n in left] == ["AC-W009"]
    # ReportLab writes its pages' content last: nothing to read before the cut, said by the PDF
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        zf.writestr("DCE/RC.txt", GOOD_TXT)
        zf.writestr("DCE/CCTP.pdf", makers.make_pdf(makers.parse(THREE_PAGES)))
    data = buf.getvalue()
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("DCE/CCTP.pdf")
    result, path = one_bad(tmp_path, "DCE.zip", data[: info.header_offset + 30 + len(info.filename) + info.compress_size // 4], limits,
                           extra_good=False)
    assert [d.name for d in result.documents] == ["RC.txt"]
    assert [(n.code, n.path.rsplit("/", 1)[-1]) for n in result.notices] == [("AC-W009", "DCE.zip"), ("AC-E004", "CCTP.pdf")]
    assert result.notices[1].message.startswith("PDF tronqué (fin du fichier absente : téléchargement interrompu ?) : aucun")


def test_a_report_of_a_truncated_dce_archive_is_read_in_part(tmp_path):
    """The files after the cut are lost: what the report did not find may be written there,
    so the report says it was read in part (its checks take no absence as proof)."""
    from achat_check.checker import Checker

    data = _dce_zip(False, _three_pieces())
    cut = write(tmp_path, "DCE.zip", data[: data.index(b"DCE/CCTP.txt") + 20_000])
    report = Checker().check([cut])
    assert [d.name for d in report.documents] == ["CCAP.docx", "RC.pdf"] and report.unread() == ["DCE.zip"]
    # the caveat names the cut among its causes (it said « fichier endommagé, pages scannées… »)
    from achat_check.report import render

    assert "DCE lu en partie (DCE.zip) : ce qui n'a pas été trouvé y est peut-être, à vérifier (fichier coupé ou endommagé" in \
        " ".join(render(report, "md").split())


def test_an_archive_that_lost_only_its_sommaire_is_read_whole(tmp_path, limits):
    data = _dce_zip(True, _three_pieces())
    result, path = one_bad(tmp_path, "DCE.zip", data[: data.index(b"PK\x01\x02")], limits, extra_good=False)
    assert [d.name for d in result.documents] == ["CCAP.docx", "CCTP.txt", "RC.pdf"]
    (n,) = result.notices
    assert n.code == "AC-W009" and "3 fichiers entiers lus d'après leurs propres en-têtes ; d'éventuels" in n.message


def test_a_dce_archive_with_a_name_damaged_in_both_headers_is_read(tmp_path, limits):
    """Fuzzing: a name flagged UTF-8 whose bytes are not, in the sommaire and in the file's own
    header, refused the whole DCE.zip (« archive ZIP illisible (texte qui n'est pas en UTF-8,
    octet 0) »): its RC and CCAP are whole."""
    from achat_check.checker import Checker

    data = _zip_with([("RC.txt", GOOD_TXT), ("CCAP.txt", b"Clause sociale d'insertion de 200 heures. " * 5)])
    damaged = _damaged(data, "CCAP.txt", "utf8")
    result, path = one_bad(tmp_path, "DCE.zip", damaged, limits, extra_good=False)
    assert [d.name for d in result.documents] == ["RC.txt", "\xa0CAP.txt"]  # the damaged byte, read in cp850
    assert "insertion de 200 heures" in result.documents[1].text
    (n,) = result.notices
    assert n.code == "AC-W012" and n.path == path
    assert n.message == ("sommaire de l'archive abîmé : ses 2 fichiers ont été lus d'après leurs propres en-têtes, "
                         "rien n'est perdu ; 1 nom de fichier abîmé est lu tel quel ; refaites l'archive avant de la "
                         "transmettre.")
    assert Checker().check([path]).unread() == []  # nothing lost: absences are findings
    from achat_check.errors import AchatCheckError
    from achat_check.ingest.archive import open_zip

    prefixed = b"\x00" * 64 + damaged  # zipfile finds an archive after other bytes (a batch upload): no header first
    with pytest.raises(AchatCheckError) as info:
        open_zip(prefixed, "lots.zip", limits)
    assert info.value.code == "AC-E004"
    assert "(nom de fichier illisible : structure de l'archive abîmée)" in info.value.message


def test_a_truncated_archive_keeps_its_limits(tmp_path):
    """Walking the files' own headers inflates them to find where they end: that inflating
    stops at the archive's size limit, and the files found go through every archive's checks."""
    zeros = _dce_zip(True, {"RC.txt": GOOD_TXT, "bombe.txt": bytes(3 << 20)})
    cut = zeros[: zeros.index(b"PK\x01\x02")]
    small = Limits(zip_max_total_mb=2, isolate=False)
    result, path = one_bad(tmp_path, "DCE.zip", cut, small, extra_good=False)
    assert not result.documents and codes(result) == ["AC-E004"]
    assert "archive ZIP illisible" in result.notices[0].message
    result, path = one_bad(tmp_path, "DCE.zip", cut, Limits(zip_max_total_mb=4, isolate=False), extra_good=False)
    assert [d.name for d in result.documents] == ["RC.txt"]  # within the size, the ratio check of every archive
    assert codes(result) == ["AC-W009", "AC-E006"] and "bombe ZIP" in result.notices[1].message


def test_a_truncated_office_document_says_it_is_truncated(tmp_path, limits):
    """A DOCX cut short read « document Office illisible (ce n'est pas une archive ZIP) :
    réenregistrez-le depuis Word »: it is a ZIP, cut, and a new download mends it."""
    docx = makers.make_docx(makers.parse("# CCTP\n\nFourniture de papier recyclé."))
    with_orphan = io.BytesIO(docx)
    with zipfile.ZipFile(with_orphan, "a") as zf:  # a last part no relation names: python-docx never loads it
        zf.writestr("word/media/inutile.txt", os.urandom(4000).hex())
    orphan = with_orphan.getvalue()
    cut = orphan[: zipfile.ZipFile(io.BytesIO(orphan)).getinfo("word/media/inutile.txt").header_offset + 100]
    result, path = one_bad(tmp_path, "CCTP.docx", cut, limits, extra_good=False)
    (doc,) = result.documents
    assert "papier recyclé" in doc.text and [w.code for w in doc.warnings] == ["AC-W009"]
    assert "document tronqué ou au sommaire abîmé" in doc.warnings[0].message
    document = zipfile.ZipFile(io.BytesIO(docx)).getinfo("word/document.xml")
    result, path = one_bad(tmp_path, "CCTP.docx", docx[: document.header_offset + 40], limits, extra_good=False)
    (n,) = result.notices
    assert n.code == "AC-E004" and "document tronqué ou abîmé (téléchargement interrompu ?)" in n.message
    assert "téléchargez-le à nouveau" in n.message



LONG_BODY = "# CCTP\n\n" + "\n\n".join(f"# Article {n} – Exigence {n}\n\nLe titulaire livre du papier recyclé au bâtiment {n}, "
                                          "en cartons réutilisables. " * 3 for n in range(1, 80))


def _cut_in(data: bytes, part: str, share: float) -> bytes:
    """The package cut at `share` of `part`'s compressed bytes (0: at its start, 1: after it)."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(part)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    return data[: start + int(info.compress_size * share)]


@pytest.mark.parametrize(("name", "body"), [("CCTP.docx", "word/document.xml"), ("CCTP.odt", "content.xml")])
def test_a_document_cut_in_its_body_is_read_up_to_the_cut(tmp_path, limits, name, body):
    """A DOCX or ODT whose download stopped in its body (the largest part: 2 % to 69 % of a
    real cadre de réponses) was « tronqué ou abîmé », not read: its text up to the cut is."""
    data = (makers.make_docx if name.endswith(".docx") else makers.make_odt)(makers.parse(LONG_BODY))
    whole, _ = one_bad(tmp_path, name, data, limits, extra_good=False)
    text = whole.documents[0].text
    result, path = one_bad(tmp_path, name, _cut_in(data, body, 0.5), limits, extra_good=False)
    (doc,) = result.documents
    assert "Article 1 – Exigence 1" in doc.text and "Article 79 – Exigence 79" not in doc.text
    assert text.startswith(doc.text.rsplit("\n", 1)[0])  # the text before the cut, as the whole document has it
    (w,) = doc.warnings
    assert w.code == "AC-W009" and w.message == ("document tronqué (téléchargement interrompu ?) : son texte est lu jusqu'à la "
                                                 "coupure, la suite est perdue : téléchargez-le à nouveau pour le lire en entier.")


@pytest.mark.parametrize(("name", "after"), [("CCTP.docx", "word/styles.xml"), ("CCTP.odt", "meta.xml")])
def test_a_document_cut_after_its_body_is_read_whole(tmp_path, limits, name, after):
    """Cut after its body, a DOCX still named its styles, settings and fonts (python-docx:
    « There is no item named … »), and an ODT lost its manifest, written last, which odfpy
    reads first: both were « tronqué ou abîmé », their whole text there."""
    data = (makers.make_docx if name.endswith(".docx") else makers.make_odt)(makers.parse(LONG_BODY))
    whole, _ = one_bad(tmp_path, name, data, limits, extra_good=False)
    result, path = one_bad(tmp_path, name, _cut_in(data, after, 0.5), limits, extra_good=False)
    (doc,) = result.documents
    assert doc.text == whole.documents[0].text
    (w,) = doc.warnings
    assert w.code == "AC-W009" and "lu d'après les en-têtes de ses parties entières" in w.message


def test_a_docx_the_cut_of_its_archive_went_through_is_read_up_to_the_cut(tmp_path, limits):
    """A DCE.zip cut in its CCTP.docx lost the whole CCTP (« est coupé, non lu »): the DOCX
    reader now reads a cut DOCX up to its cut, so the archive keeps it as far as it goes."""
    docx = makers.make_docx(makers.parse(LONG_BODY))
    inner = len(_cut_in(docx, "word/document.xml", 0.5))  # the DOCX's own cut, in its body
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("DCE/RC.txt", GOOD_TXT)
        zf.writestr("DCE/CCTP.docx", docx)
    data = buf.getvalue()
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("DCE/CCTP.docx")
    result, path = one_bad(tmp_path, "DCE.zip", data[: info.header_offset + 30 + len(info.filename) + inner], limits,
                           extra_good=False)
    assert [d.name for d in result.documents] == ["CCTP.docx", "RC.txt"]
    cctp = result.documents[0]
    assert "Article 1 – Exigence 1" in cctp.text and "Article 79 – Exigence 79" not in cctp.text
    assert [w.code for w in cctp.warnings] == ["AC-W009"] and "son texte est lu jusqu'à la coupure" in cctp.warnings[0].message
    (n,) = result.notices
    assert "« DCE/CCTP.docx » est coupé, lu jusqu'à la coupure" in n.message


def test_a_docx_cut_before_its_styles_still_leaves_out_its_table_of_contents(tmp_path, limits):
    """Its styles lost with the cut, a paragraph says its style by id only: French Word's
    table of contents (« TM1 ») was read as text, its lines « 2.2.1. Qualité de gravure … 5 »
    among the articles (seen cutting a real cadre de réponse and a real AE)."""
    toc = ('<w:p><w:pPr><w:pStyle w:val="TM1"/></w:pPr><w:r><w:t>1. Objet du marché\t3</w:t></w:r></w:p>'
           '<w:p><w:pPr><w:pStyle w:val="TM2"/></w:pPr><w:r><w:t>1.1. Papier recyclé\t4</w:t></w:r></w:p>')
    data = edit_package(makers.make_docx(makers.parse(LONG_BODY)),
                        {"word/document.xml": lambda xml: xml.replace(b"<w:body>", b"<w:body>" + toc.encode(), 1)})
    result, path = one_bad(tmp_path, "CCTP.docx", _cut_in(data, "word/styles.xml", 0.5), limits, extra_good=False)
    (doc,) = result.documents
    assert "Article 1 – Exigence 1" in doc.text and "Objet du marché" not in doc.text and "1.1. Papier recyclé" not in doc.text


def test_a_document_cut_inside_its_sommaire_lost_nothing_and_says_so(tmp_path, limits):
    """Cut inside the sommaire (written last), every part is whole: it said « des images ou
    parties annexes ont pu être perdues » and the report was « lu en partie »."""
    from achat_check.checker import Checker

    docx = makers.make_docx(makers.parse("# CCTP\n\nFourniture de papier recyclé."))
    result, path = one_bad(tmp_path, "CCTP.docx", docx[: docx.index(b"PK\x01\x02") + 10], limits, extra_good=False)
    (doc,) = result.documents
    assert "papier recyclé" in doc.text and [w.code for w in doc.warnings] == ["AC-W012"]
    assert "toutes ses parties ont été lues d'après leurs propres en-têtes, rien n'est perdu" in doc.warnings[0].message
    assert Checker().check([path]).unread() == []


def test_read_in_this_process_a_damaged_file_still_stops_only_itself(tmp_path):
    """Fuzzing the real DCEs' BPU: openpyxl parses a sheet only when its rows are asked for,
    so a flipped byte inside it raised a ParseError past the reader's guard.  In a reader
    process it was « fichier illisible ou endommagé »; read in this process
    (ACHAT_CHECK_ISOLATE=0, or where there is no fork) it was « Erreur interne » and stopped
    the whole check."""
    bpu = edit_package(makers.make_xlsx({"BPU": [["Désignation", "Prix"], ["Papier recyclé", 3]]}),
                       {"xl/worksheets/sheet1.xml": lambda xml: xml.replace(b"</sheetData>", b"<row>\x01</sheetData>")})
    for isolate in (True, False):
        result, path = one_bad(tmp_path, "BPU.xlsx", bpu, Limits(isolate=isolate))
        n = notice_for(result, path)
        assert n.code == "AC-E004" and "fichier illisible ou endommagé (XML invalide : contenu abîmé)" in n.message
        assert [d.name for d in result.documents] == ["RC-bon.txt"]


def test_a_part_whose_stated_size_runs_past_the_file_is_said(tmp_path, limits):
    """Fuzzing a DOCX: a part's size in the sommaire larger than what follows it made zipfile
    raise a bare EOFError, « document Office illisible (cause non précisée par le lecteur) »."""
    buf = io.BytesIO(makers.make_docx(makers.parse("# CCTP\n\nFourniture de papier recyclé.")))
    with zipfile.ZipFile(buf, "a") as zf:
        zf.writestr(zipfile.ZipInfo("customXml/item9.xml"), b"<?xml version='1.0'?><a/>")  # stored: read as it is
    data = bytearray(buf.getvalue())
    central = data.rindex(b"PK\x01\x02")  # the last part's entry in the sommaire
    struct.pack_into("<II", data, central + 20, 1 << 20, 1 << 20)  # its compressed and full sizes: a megabyte
    result, path = one_bad(tmp_path, "CCTP.docx", bytes(data), limits)
    n = notice_for(result, path)
    assert n.code == "AC-E004" and "(données interrompues avant leur fin : fichier tronqué ou abîmé)" in n.message, n.message


def test_a_reason_the_library_left_empty_is_still_a_reason():
    """Fuzzing met « document Office illisible () » : an exception raised without a message;
    zipfile's bare EOFError, a part's data ending before its stated size (a size damaged in
    a fuzzed DOCX), says so."""
    from achat_check.errors import library_reason

    assert library_reason(RuntimeError()) == "cause non précisée par le lecteur"
    assert library_reason(EOFError()) == "données interrompues avant leur fin : fichier tronqué ou abîmé"
    assert library_reason(KeyError(), "paquet Word incomplet ou abîmé") == "paquet Word incomplet ou abîmé"


def test_what_the_excel_97_and_pdf_readers_say_of_a_damaged_file_is_french():
    """Fuzzing generated XLS and PDF files: « classeur XLS illisible (5) », « (unpack requires a
    buffer of 4 bytes) », « (MSAT: invalid sector id: -2) », « PDF illisible (Failed to load
    document (PDFium: Success).) »."""

    from achat_check.errors import library_reason
    from achat_check.ingest.xls import _unreadable

    structure = "structure interne tronquée ou abîmée"
    assert library_reason(struct.error("unpack requires a buffer of 4 bytes")) == structure
    assert library_reason(Exception("MSAT: invalid sector id: -2")) == "conteneur Office endommagé"
    assert library_reason("Failed to load document (PDFium: Success).") == "fichier endommagé"
    for bare in (KeyError(5), IndexError(), AssertionError()):
        assert _unreadable(bare, "BPU.xls").message.startswith(f"classeur XLS illisible ({structure}) : ")


@pytest.mark.parametrize(("at", "flip", "xlrd_said"), [(48, 0x01, "directory corruption: seen[16] == 2"),
                                                      (57, 0x80, "OLE2 stream 'Workbook (from SSCS)': sector allocation table")])
def test_an_excel_97_container_damaged_is_said_in_french(tmp_path, limits, at, flip, xlrd_said):
    """Fuzzing a generated BPU.xls: one byte of its OLE container's header made xlrd say
    « classeur XLS illisible (directory corruption: seen[16] == 2) » or « (OLE2 stream 'Workbook
    (from SSCS)': sector allocation table invalid entry (0)) »."""
    data = bytearray(makers.make_xls({"BPU": [["Désignation", "Prix"], ["Papier recyclé", 3]] * 30}))
    data[at] ^= flip
    result, path = one_bad(tmp_path, "BPU.xls", bytes(data), limits)
    n = notice_for(result, path)
    assert n.code == "AC-E004" and n.message.startswith("classeur XLS illisible (conteneur Office endommagé) : "), n.message
    assert xlrd_said.split(":")[0] not in n.message and [d.name for d in result.documents] == ["RC-bon.txt"]


def test_finding_where_a_cut_archives_files_end_holds_no_bomb_in_memory():
    """A file written with a data descriptor is inflated to find its end: a megabyte at a
    time and thrown away, so 200 MB of zeros (200 KB deflated) cost no 200 MB of memory."""
    import tracemalloc

    from achat_check.ingest import zip_repair

    out = _Stream()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("RC.txt", GOOD_TXT)
        with zf.open("zeros.bin", "w") as fh:
            for _ in range(200):
                fh.write(bytes(1 << 20))
    cut = bytes(out.data[: out.data.index(b"PK\x01\x02")])
    tracemalloc.start()
    try:
        rebuilt = zip_repair.rebuild(cut, 10, 500 << 20)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert rebuilt is not None and rebuilt.count == 2
    assert peak < 3 * len(cut) + (8 << 20), peak  # the archive's bytes and a few megabytes, not the 200 MB
    assert zip_repair.rebuild(cut, 10, 100 << 20) is None  # past the archive's budget: refused
