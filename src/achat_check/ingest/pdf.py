"""PDF reader: pypdfium2 for text and drawn tables, pdfplumber as the tables' fallback.

Measured on the real DCEs: pypdfium2 reads about 300 dense pages/s per core while
pdfplumber reads about 10 and spends 0.1 to 0.4 s per table page.  Tables are only looked
for on pages whose text reads as award criteria or lots and that carry drawn lines; they
are read from the drawn grid (`pdftables`), and pdfplumber only takes the few pages whose
lines do not form a grid.  Pages with no text layer are OCRed when Tesseract is here.
"""

from __future__ import annotations

import bisect
import io
import logging
import re
from collections.abc import Iterable

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from achat_check.caseless import Caseless, caseless
from achat_check.errors import AchatCheckError, library_reason, notice
from achat_check.ingest.kind import classify
from achat_check.ingest.ocr import INSTALL_HINT, ocr_image, ocr_status
from achat_check.ingest.pdf_repair import Mended, candidates, damaged_streams, looks_cut
from achat_check.ingest.pdftables import page_tables
from achat_check.model import DocKind, Notice, Table
from achat_check.raw import RawDocument, RawPage, split_lines
from achat_check.report.labels import first_of
from achat_check.settings import Limits
from achat_check.structure import clean_inline

#: A page needs pdfplumber's tables when it weighs award criteria...  The cues are run
#: over whole documents, so each starts with a literal: `re` then jumps from one occurrence
#: of it to the next, where an alternation or a leading `\b` makes it try every position
#: (measured over the bench's 90 documents: about 5 ms each against 38 ms for the three
#: cues as one alternation, and 6 ms against 102 ms for "lots" with its leading `\b`).
CRITERIA_CUES = tuple(
    caseless(cue, prefilter=False)
    for cue in (r"pond[ée]r", r"crit[èe]res? (d['’ ]?attribution|de (jugement|choix|notation))", r"sous[- ]crit[èe]re")
)
WEIGHT_CUE = caseless(r"\d\s?(%|pts?\b|points?\b)", prefilter=False)
#: ... or, in the RC, CCAP or AE, lists lots with their amounts (a whole word: the `\b`
#: before it is checked on each match, see `table_pages`).
LOTS_CUE = caseless(r"lots?\b", prefilter=False)
WORD_CHAR = re.compile(r"\w")
AMOUNT_CUE = caseless(r"\d\s?(€|euros?\b)", prefilter=False)
#: drawn tables are made of many path objects; text lists of criteria have few
MIN_TABLE_PATHS = 8
MAX_CRITERIA_PAGES = 8
MAX_FALLBACK_PAGES = 1  # pdfplumber costs about 0.5 s a page: only the first page our grid reader could not assemble
MAX_LOTS_PAGES = 4
MIN_TEXT_CHARS = 12
MIN_SCAN_AREA = 0.3
CUT = "PDF tronqué (fin du fichier absente : téléchargement interrompu ?)"


def _open(data: bytes, path: str) -> tuple[pdfium.PdfDocument, Mended | None]:
    """The document, and how it was mended when its download was cut short (None when whole;
    pdfium opens some cut files as they are: they are said to be cut all the same)."""
    try:
        return pdfium.PdfDocument(data), (Mended(data, own_tree=True) if looks_cut(data) else None)
    except pdfium.PdfiumError as exc:
        msg = str(exc)
        if "password" in msg.lower():
            raise AchatCheckError(
                "AC-E005",
                "PDF protégé par un mot de passe : demandez à l'acheteur une version sans "
                "mot de passe ou enregistrez-en une copie déverrouillée.",
                path,
            ) from None
        if looks_cut(data):
            return _reopen(data, path)
        raise AchatCheckError(
            "AC-E004",
            f"PDF illisible ({library_reason(msg)}) : fichier tronqué ou corrompu, téléchargez-le à nouveau.",
            path,
        ) from None


def _reopen(data: bytes, path: str) -> tuple[pdfium.PdfDocument, Mended]:
    """A cut PDF opened through the first of its mended forms that has pages."""
    for mended in candidates(data):
        try:
            pdf = pdfium.PdfDocument(mended.data)
        except pdfium.PdfiumError:
            continue
        if len(pdf):
            return pdf, mended
        pdf.close()
    raise AchatCheckError("AC-E004", f"{CUT} : aucune page n'a pu être lue, téléchargez-le à nouveau.", path)


def _cut_short(texts: list[str], total: int, mended: Mended, path: str) -> Notice:
    """The warning of a PDF read up to the cut of its download (`total`: the pages read,
    within the page limit); an error when no page before the cut has text (its pages'
    content is written after them: ReportLab)."""
    read = sum(1 for t in texts if t.strip())
    if not read:
        raise AchatCheckError("AC-E004", f"{CUT} : aucun texte avant la coupure, téléchargez-le à nouveau.", path)
    if not mended.own_tree:
        said = f"{read} page(s) lue(s) avant la coupure, les suivantes sont perdues"
    elif read < total:
        said = f"{read} page(s) sur {total} ont un texte lu, les autres n'ont pas pu l'être (écrites après la coupure ?)"
    else:
        said = f"ses {total} pages ont un texte lu, mais ce qui était écrit après la coupure (fin d'une page, tableau) manque"
    return notice("AC-W009", f"{CUT} : {said} ; téléchargez-le à nouveau pour tout vérifier.", path)


def _has_scan(page: pdfium.PdfPage) -> bool:
    """True when an image covers a good part of the page (a scan, not a logo)."""
    width, height = page.get_size()
    area = max(width * height, 1.0)
    for obj in page.get_objects(max_depth=2):
        if obj.type != pdfium_c.FPDF_PAGEOBJ_IMAGE:
            continue
        left, bottom, right, top = obj.get_bounds()
        if (right - left) * (top - bottom) >= MIN_SCAN_AREA * area:
            return True
    return False


def read_pdf(data: bytes, path: str, limits: Limits) -> RawDocument:
    """Read text per page, tables on candidate pages, OCR on image-only pages."""
    pdf, mended = _open(data, path)
    raw = RawDocument(format="pdf", paginated=True)
    try:
        raw.attachments = _attachments(pdf, path, limits, raw)
        total = len(pdf)
        raw.source_pages = total
        take = min(total, limits.max_pages)
        if total > take:
            raw.warnings.append(
                notice(
                    "AC-W004",
                    f"{total} pages : seules les {take} premières sont lues ; relevez la limite "
                    "avec --max-pages ou ACHAT_CHECK_MAX_PAGES si tout le document compte.",
                    path,
                )
            )
        texts, blank_with_image, damaged = _read_pages(pdf, take, data)
        ocr_pages = _ocr_pages(pdf, blank_with_image, texts, raw, path, limits)
        if mended:  # the pages after the cut are damaged or empty: one warning says why
            raw.warnings.append(_cut_short(texts, take, mended, path))
        elif damaged:
            raw.warnings.append(_damaged_pages(damaged, take, path))
        drawn = [i for i in table_pages(texts, path) if i not in damaged and _drawn_lines(pdf, i) >= MIN_TABLE_PATHS]
        raw.tables, unresolved = _grid_tables(pdf, drawn)
        extract = _subset(pdf, unresolved[:MAX_FALLBACK_PAGES]) if unresolved else b""
    finally:
        pdf.close()
    raw.pages = [RawPage(split_lines(t), ocr=(i in ocr_pages)) for i, t in enumerate(texts)]
    raw.tables += _tables(extract, unresolved[:MAX_FALLBACK_PAGES], raw, path)
    raw.tables.sort(key=lambda t: t.page)
    return raw


def _attachments(pdf: pdfium.PdfDocument, path: str, limits: Limits, raw: RawDocument) -> list[tuple[str, bytes]]:
    """The files attached to the PDF (a « portfolio » whose cover page holds nothing, the RC,
    CCAP and CCTP attached to it), within the archive limits; those left out are said."""
    out: list[tuple[str, bytes]] = []
    left: list[str] = []
    total = 0
    for i in range(pdf.count_attachments()):
        att = pdf.get_attachment(i)
        name = (att.get_name() or f"piece-jointe-{i + 1}").replace("/", "_").replace("\\", "_")
        try:
            data = bytes(att.get_data())
        except pdfium.PdfiumError:
            left.append(f"« {name} » (illisible)")
            continue
        if len(out) >= limits.zip_max_files or len(data) > limits.max_file_mb << 20 or total + len(data) > limits.zip_max_total_mb << 20:
            left.append(f"« {name} » (au-delà des limites des archives)")
            continue
        total += len(data)
        out.append((name, data))
    if left:
        raw.warnings.append(notice("AC-W005", f"pièce(s) jointe(s) du PDF non lue(s) : {first_of(left, 5)} : extrayez-les "
                                              "(panneau « Pièces jointes » du lecteur PDF) et joignez-les au DCE.", path))
    return out


def _damaged_pages(damaged: list[int], read: int, path: str) -> Notice:
    """The warning naming the pages pdfium could not load; an error when it is every page."""
    if len(damaged) == read:
        raise AchatCheckError(
            "AC-E004", "aucune page de ce PDF n'a pu être lue (fichier endommagé) : téléchargez-le à nouveau ou "
            "réenregistrez-le en PDF depuis son logiciel d'origine.", path,
        )
    shown = first_of([str(i + 1) for i in damaged], 10)
    return notice(
        "AC-W009",
        f"{len(damaged)} page(s) endommagée(s) n'ont pas pu être lues (p. {shown}) ; les autres l'ont été : "
        "téléchargez le fichier à nouveau ou réenregistrez-le en PDF pour tout lire.",
        path,
    )


def _grid_tables(pdf: pdfium.PdfDocument, pages: list[int]) -> tuple[list[Table], list[int]]:
    """Tables read from drawn grids; pages where no grid could be assembled."""
    found: list[Table] = []
    unresolved: list[int] = []
    for i in pages:
        page = pdf[i]
        textpage = page.get_textpage()
        try:
            tables = page_tables(page, textpage, clean_inline)
        finally:
            textpage.close()
            page.close()
        if not tables:
            unresolved.append(i)
        found += [Table(page=i + 1, rows=rows, source="pdfium-grid") for rows in tables]
    return found, unresolved


def _subset(pdf: pdfium.PdfDocument, pages: list[int]) -> bytes:
    """A small PDF of the pages that need tables: pdfplumber then parses only those."""
    sub = pdfium.PdfDocument.new()
    try:
        sub.import_pages(pdf, pages)
        buf = io.BytesIO()
        sub.save(buf)
        return buf.getvalue()
    finally:
        sub.close()


def _drawn_lines(pdf: pdfium.PdfDocument, index: int) -> int:
    """Number of vector paths on a page: borders of drawn tables."""
    page = pdf[index]
    try:
        return sum(1 for obj in page.get_objects(max_depth=2) if obj.type == pdfium_c.FPDF_PAGEOBJ_PATH)
    finally:
        page.close()


def _read_pages(pdf: pdfium.PdfDocument, take: int, data: bytes) -> tuple[list[str], list[int], list[int]]:
    """Each page's text; the pages to OCR (an image and no text); the damaged pages: those
    pdfium cannot load, and those drawn empty in a file with a damaged stream (pdfium draws a
    page whose content does not inflate as a blank page, without an error)."""
    texts: list[str] = []
    blank_with_image: list[int] = []
    damaged: list[int] = []
    empty: list[int] = []
    for i in range(take):
        try:
            text, needs_ocr, nothing = _page_text(pdf, i)
        except pdfium.PdfiumError:  # one damaged page: the others still say what the DCE says
            text, needs_ocr, nothing = "", False, False
            damaged.append(i)
        texts.append(text)
        if needs_ocr:
            blank_with_image.append(i)
        if nothing:
            empty.append(i)
    if empty and any(t.strip() for t in texts) and damaged_streams(data):
        damaged = sorted(damaged + empty)
    return texts, blank_with_image, damaged


def _page_text(pdf: pdfium.PdfDocument, index: int) -> tuple[str, bool, bool]:
    """A page's text, whether it needs OCR, and whether nothing at all is drawn on it."""
    page = pdf[index]
    try:
        textpage = page.get_textpage()
        try:
            text = textpage.get_text_range()
        finally:
            textpage.close()
        bare = text.strip()  # once: every page of every DCE passes here
        needs_ocr = len(bare) < MIN_TEXT_CHARS and _has_scan(page)
        nothing = not bare and pdfium_c.FPDFPage_CountObjects(page.raw) == 0
    finally:
        page.close()
    return text, needs_ocr, nothing


def _ocr_pages(
    pdf: pdfium.PdfDocument, candidates: list[int], texts: list[str], raw: RawDocument, path: str, limits: Limits
) -> set[int]:
    if not candidates:
        return set()
    ok, reason = ocr_status()
    if not ok:
        raw.warnings.append(
            notice(
                "AC-W001",
                f"{len(candidates)} page(s) sans texte (document scanné) n'ont pas été lues : "
                f"{reason} ; {INSTALL_HINT}.",
                path,
            )
        )
        return set()
    done: set[int] = set()
    for i in candidates[: limits.max_ocr_pages]:
        page = pdf[i]
        try:
            image = page.render(scale=limits.ocr_dpi / 72).to_pil()
        finally:
            page.close()
        texts[i] = ocr_image(image)
        done.add(i)
    if len(candidates) > limits.max_ocr_pages:
        raw.warnings.append(
            notice(
                "AC-W006",
                f"OCR limité à {limits.max_ocr_pages} pages sur {len(candidates)} scannées ; "
                "relevez ACHAT_CHECK_MAX_OCR_PAGES pour tout lire.",
                path,
            )
        )
    return done


def table_pages(texts: list[str], path: str) -> list[int]:
    """Pages worth pdfplumber's slow table finder: criteria tables, and lots tables of the RC/CCAP/AE.

    The cues are searched once over the whole document (pages joined by a NUL, which no
    cue matches, so no match spans two pages), then counted on the few pages they name, in
    page order.
    """
    starts, pos = [], 0
    for t in texts:
        starts.append(pos)
        pos += len(t) + 1
    joined = "\0".join(texts)

    def pages_with(cues: Iterable[Caseless], count: Caseless, minimum: int, whole_word: bool = False) -> list[int]:
        hit = {
            bisect.bisect_right(starts, m.start()) - 1
            for cue in cues
            for m in cue.finditer(joined)
            if not (whole_word and m.start() and WORD_CHAR.match(joined, m.start() - 1))
        }
        return [i for i in sorted(hit) if len(count.findall(texts[i])) >= minimum]

    pages = set(pages_with(CRITERIA_CUES, WEIGHT_CUE, 2)[:MAX_CRITERIA_PAGES])
    kind, roles, _ = classify(path, texts[0] if texts else "")
    if kind in (DocKind.RC, DocKind.CCAP, DocKind.AE) or DocKind.CCAP in roles:
        pages.update(pages_with((LOTS_CUE,), AMOUNT_CUE, 2, whole_word=True)[:MAX_LOTS_PAGES])
    return sorted(pages)


def _tables(data: bytes, pages: list[int], raw: RawDocument, path: str) -> list[Table]:
    """Tables of a PDF holding exactly `pages` (original page indexes, in order)."""
    if not pages:
        return []
    import pdfplumber

    # pdfminer logs damaged streams ("Data-loss while decompressing corrupted data") to the
    # terminal of whoever runs us, between the report's lines; what matters is in AC-W007
    logging.getLogger("pdfminer").setLevel(logging.ERROR)

    tables: list[Table] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as doc:
            for page, i in zip(doc.pages, pages, strict=True):
                for rows in page.extract_tables():
                    clean = [[_cell(c) for c in row] for row in rows if row and any(c for c in row)]
                    if len(clean) >= 2 and max(len(r) for r in clean) >= 2:
                        tables.append(Table(page=i + 1, rows=clean, source="pdfplumber"))
    except Exception as exc:  # noqa: BLE001 - tables are a bonus: text stays usable
        raw.warnings.append(
            notice("AC-W007", f"tableaux non lus ({type(exc).__name__}) ; le texte reste analysé.", path)
        )
    return tables


def _cell(value: str | None) -> str:
    return " ".join((value or "").split())
