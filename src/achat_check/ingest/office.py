"""DOCX and ODT readers: body text and tables in reading order, headers and footers apart.

Both formats are ZIPs of XML.  Before any parser sees them, every XML part is checked
for size, compression ratio and DTD entities: Office files never need a DTD, so any
`<!ENTITY` is refused (billion-laughs protection independent of the parser).
"""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from achat_check.errors import AchatCheckError, library_reason, notice
from achat_check.extract.numbers import fmt_count
from achat_check.ingest.docx_lists import ListNumbering, QName, XmlElement, label_number
from achat_check.ingest.sniff import ZIP_ERRORS, zip_reason
from achat_check.model import Notice, Table
from achat_check.raw import RawDocument, RawPage, paginate
from achat_check.settings import Limits

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

#: an element of an ODT as odfpy gives it (odfpy ships no types)
OdfNode = Any

DTD_RE = re.compile(rb"<!(DOCTYPE|ENTITY)", re.I)
HEADING_STYLE = re.compile(r"^(heading|titre|title)\s*(\d)?$", re.I)
#: a number typed at the start of a heading: « 3.2 Objet », « Article 4 », « IV. Prix »; a
#: roman numeral in capitals and not elided (a real CCAP's « L’organisation et les rôles… »
#: is no article « L »)
NUMBER_IN_TEXT = re.compile(r"^\s*((?:article|art\.)\s*)?(\d+(?:\.\d+)*|(?-i:[IVXLC]+)(?:\.\d+)*)\b(?![’'])", re.I)


def check_office_zip(data: bytes, path: str, limits: Limits) -> None:
    """Refuse Office packages that are bombs, carry DTD entities or are encrypted."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        with zf:
            _check_parts(zf, path, limits)
    except ZIP_ERRORS as exc:  # a part's name, size, checksum or deflated bytes that do not hold
        raise AchatCheckError(
            "AC-E004", f"document Office illisible ({zip_reason(exc, 'partie')}) : réenregistrez-le depuis Word ou LibreOffice.", path
        ) from None


def _check_parts(zf: zipfile.ZipFile, path: str, limits: Limits) -> None:
    """Each part's size and ratio (a bomb), and the head of each XML part: a password
    (encryption-data) or DTD entities; reading a head also meets a damaged part's bytes."""
    total = 0
    for info in zf.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > limits.zip_max_total_mb * (1 << 20) or (info.file_size > 1 << 22 and ratio > limits.zip_max_ratio):
            raise AchatCheckError(
                "AC-E006",
                f"le document se décompresse de façon anormale (partie « {info.filename} ») : "
                "fichier suspect, il n'a pas été lu.",
                path,
            )
        if info.filename.endswith(".xml") or info.filename.endswith(".rels"):
            with zf.open(info) as fh:
                head = fh.read(1 << 16)
            if info.filename == "META-INF/manifest.xml" and b"encryption-data" in head:
                # LibreOffice's « Enregistrer avec mot de passe »: the package opens, its parts do not
                raise AchatCheckError(
                    "AC-E005",
                    "document OpenDocument protégé par un mot de passe : enregistrez-en une copie sans mot de "
                    "passe (Fichier > Propriétés > Général, décochez « Enregistrer avec mot de passe »).",
                    path,
                )
            if DTD_RE.search(head):
                raise AchatCheckError(
                    "AC-E008",
                    f"la partie « {info.filename} » déclare des entités XML (DTD), ce qu'aucun "
                    "document Office légitime ne fait : fichier suspect, il n'a pas été lu.",
                    path,
                )


# --------------------------------------------------------------------------- DOCX


def read_docx(data: bytes, path: str, limits: Limits) -> RawDocument:
    """Read a DOCX body: paragraphs and tables in order, page breaks counted."""
    check_office_zip(data, path, limits)
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, zlib.error) as exc:
        reason = library_reason(exc, "paquet Word incomplet ou abîmé")
        raise AchatCheckError("AC-E004", f"DOCX illisible ({reason}) : réenregistrez-le depuis Word.", path) from None
    body = document.element.body
    _drop_copies(body)
    walker = _DocxWalker(document)
    walker.walk(body)
    raw = walker.finish()
    changes = sum(1 for _ in body.iter(W_INS, W_DEL, W_MOVE_TO))
    draft = _draft_notice(changes, _part_count(data, "word/comments.xml", (b"<w:comment ",)), "Révision > Accepter", path)
    raw.warnings += [draft] if draft else []
    raw.title_hint = (document.core_properties.title or "").strip()
    return raw


#: Word writes each text box twice, as DrawingML (mc:Choice) and as VML for older readers
#: (mc:Fallback): a real Q/R register's headings read « QUESTION / REPONSE N°1QUESTION / REPONSE N°1 »
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
#: a draft's tracked move keeps the moved text where it was, struck through, in w:t (a tracked
#: deletion's text is w:delText, which the walk skips)
W_MOVE_FROM = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}moveFrom"
W_INS, W_DEL, W_MOVE_TO = (f"{{http://schemas.openxmlformats.org/wordprocessingml/2006/main}}{t}" for t in ("ins", "del", "moveTo"))


def _draft_notice(changes: int, comments: int, accept: str, path: str) -> Notice | None:
    """AC-W011 for a draft still carrying tracked changes or comments: the buyer checking it
    before publication is told, since candidates would read both in the published file."""
    if not (changes or comments):
        return None
    said, todo = [], []
    if changes:
        said.append("des modifications suivies non acceptées (lues ici comme acceptées)")
        todo.append(f"acceptez ou refusez les modifications ({accept})")
    if comments:
        said.append(f"{fmt_count(comments)} commentaire{'s' if comments > 1 else ''}")
        todo.append("supprimez les commentaires")
    return notice("AC-W011", f"brouillon : ce document contient {' et '.join(said)} ; avant publication, {' et '.join(todo)} : "
                  "les candidats les liraient dans le fichier publié.", path)


def _part_count(data: bytes, part: str, marks: tuple[bytes, ...]) -> int:
    """How many times the package's part holds these marks (0 without the part)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            xml = zf.read(part) if part in zf.namelist() else b""
    except (zipfile.BadZipFile, KeyError, OSError, EOFError):
        return 0
    return sum(xml.count(m) for m in marks)


def _new_line(parts: list[str]) -> None:
    """End the line being read, unless nothing or a line end came before."""
    if parts and not parts[-1].endswith("\n"):
        parts.append("\n")


def _drop_copies(body: XmlElement) -> None:
    """Remove the text a reader of the document does not read there: the older readers' copy
    of every text box, drawing and shape, and the old place of text moved in tracked changes."""
    for copy in list(body.iter(MC_FALLBACK, W_MOVE_FROM)):
        copy.getparent().remove(copy)


class _PagedWalker:
    """What the DOCX and ODT walkers share: pages cut where the file says a page breaks,
    tables, and the document they make (paginated by estimate when no break was seen)."""

    FORMAT = ""

    def __init__(self) -> None:
        self.pages: list[RawPage] = [RawPage(lines=[])]
        self.tables: list[Table] = []
        self.breaks_seen = False

    def _new_page(self) -> None:
        self.breaks_seen = True
        if self.pages[-1].lines:
            self.pages.append(RawPage(lines=[]))

    def finish(self) -> RawDocument:
        raw = RawDocument(format=self.FORMAT, pages=[p for p in self.pages if p.lines] or [RawPage(lines=[])])
        raw.tables = self.tables
        raw.pages_estimated = not self.breaks_seen
        if raw.pages_estimated:
            raw.pages = paginate(raw.pages)
            for t in raw.tables:
                t.page = min(t.page, len(raw.pages))
        raw.source_pages = len(raw.pages)
        return raw


class _DocxWalker(_PagedWalker):
    """Walks a DOCX body in reading order, splitting pages on rendered page breaks."""

    FORMAT = "docx"

    def __init__(self, document: DocxDocument) -> None:
        from docx.oxml.ns import qn

        super().__init__()
        self.qn = qn
        self.style_names = {s.style_id: (s.name or "") for s in document.styles}
        self.style_outline = _docx_style_outline(document, qn)
        self.counters: list[int] = [0] * 9
        self.lists = ListNumbering(document, qn)
        self.heading_lists = self._heading_lists(document.element.body)
        #: the list (and level) of the paragraph being read, and its label (« 2.1. »)
        self._where: tuple[str, int] | None = None
        self._label: str | None = None

    def _heading_lists(self, body: XmlElement) -> dict[tuple[str, int], int]:
        """(list, level) -> heading level, for list levels that headings use.

        A paragraph of such a level is a heading even without a heading style: a real cadre
        de réponse numbers « 2.1. Finesse de structuration laser » in its headings' list but
        in the « Paragraphe de liste » style, between « 2. » and « 2.2. », both « Titre ».
        """
        out: dict[tuple[str, int], int] = {}
        for p in body.iter(self.qn("w:p")):
            style = self._style_name(p)
            level = self._heading_level(p, style)
            if level and not _is_toc(style):
                where = self.lists.list_of(p, self._style_id(p))
                if where is not None:
                    out.setdefault(where, level)
        return out

    def walk(self, body: XmlElement) -> None:
        qn = self.qn
        for child in body.iterchildren():
            if child.tag == qn("w:p"):
                self._paragraph(child)
            elif child.tag == qn("w:tbl"):
                self._table(child)
            elif child.tag == qn("w:sdt"):
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    self.walk(content)

    def _paragraph(self, p: XmlElement) -> None:
        qn = self.qn
        where = self.lists.list_of(p, self._style_id(p))
        # Word numbers every paragraph of a list, an empty one too: the count follows it
        self._label = self.lists.next_label(*where) if where is not None else None
        self._where = where
        text_parts: list[str] = []
        in_box = False  # the last paragraph met was one of a text box anchored in this one
        for el in p.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr"), qn("w:lastRenderedPageBreak"), qn("w:delText"),
                         qn("w:instrText"), qn("w:p")):
            tag = el.tag
            if tag == qn("w:t"):
                if in_box and next(el.iterancestors(qn("w:p"))) is p:
                    in_box = False  # the anchor's own text goes on after the box, on a line of its own
                    _new_line(text_parts)
                text_parts.append(el.text or "")
            elif tag == qn("w:p"):
                if el is not p:
                    in_box = True
                    _new_line(text_parts)  # a paragraph of a text box: a line of its own
            elif tag == qn("w:tab"):
                text_parts.append("\t")
            elif tag in (qn("w:br"), qn("w:cr")):
                if el.get(qn("w:type")) == "page":
                    self._flush_para(text_parts, p)
                    text_parts = []
                    self._new_page()
                else:
                    text_parts.append("\n")
            elif tag == qn("w:lastRenderedPageBreak"):
                if "".join(text_parts).strip():
                    self._flush_para(text_parts, p)
                    text_parts = []
                self._new_page()
        self._flush_para(text_parts, p)

    def _flush_para(self, parts: list[str], p: XmlElement) -> None:
        text = "".join(parts)
        style = self._style_name(p)
        if _is_toc(style):
            return  # the table of contents repeats headings with page numbers
        page = self.pages[-1]
        level = self._heading_level(p, style) or (self.heading_lists.get(self._where, 0) if self._where else 0)
        lines = text.split("\n")
        if level and text.strip():
            m = HEADING_STYLE.match(style.strip())
            # a document title ("Title"/"Titre" style) is a heading with no outline number
            is_title = m is not None and m.group(1).lower() in ("title", "titre") and not m.group(2)
            number = None if is_title else self._number(level, text)
            page.headings[len(page.lines)] = (level, number)
            self._label = None  # the rest of a paragraph split by a page break has no number
        page.lines.extend(lines)

    def _style_id(self, p: XmlElement) -> str:
        qn = self.qn
        ppr = p.find(qn("w:pPr"))
        st = ppr.find(qn("w:pStyle")) if ppr is not None else None
        return (st.get(qn("w:val")) or "") if st is not None else ""

    def _style_name(self, p: XmlElement) -> str:
        sid = self._style_id(p)
        return self.style_names.get(sid, sid)

    def _heading_level(self, p: XmlElement, style: str) -> int:
        qn = self.qn
        m = HEADING_STYLE.match(style.strip())
        if m:
            return int(m.group(2) or 1)
        ppr = p.find(qn("w:pPr"))
        if ppr is not None:
            ol = ppr.find(qn("w:outlineLvl"))
            if ol is not None and (ol.get(qn("w:val")) or "9").isdigit() and int(ol.get(qn("w:val"))) < 9:
                return int(ol.get(qn("w:val"))) + 1
        return self.style_outline.get(style, 0)

    def _number(self, level: int, text: str) -> str | None:
        """The heading's number: typed in the text, else the label of Word's list it is in,
        else our count of the headings (a heading style with no list)."""
        m = NUMBER_IN_TEXT.match(text)
        if m:
            return m.group(2)
        if self._label is not None:
            return label_number(self._label)
        self.counters[level - 1] += 1
        for i in range(level, len(self.counters)):
            self.counters[i] = 0
        return ".".join(str(c) for c in self.counters[:level] if c) or None


    def _table(self, tbl: XmlElement) -> None:
        qn = self.qn
        rows: list[list[str]] = []
        for tr in tbl.iter(qn("w:tr")):
            if _inside_nested(tr, tbl, qn):
                continue
            cells = []
            for tc in tr.iterchildren(qn("w:tc")):
                cell_text = " ".join(
                    "".join(t.text or "" for t in para.iter(qn("w:t"))) for para in tc.iter(qn("w:p"))
                )
                cells.append(" ".join(cell_text.split()))
            if any(cells):
                rows.append(cells)
        if not rows:
            return
        page = self.pages[-1]
        self.tables.append(Table(page=len(self.pages), rows=rows, source="docx"))
        page.lines.extend("\t".join(r) for r in rows)



TOC_ID = re.compile(r"TM[1-9]$")


def _is_toc(style: str) -> bool:
    """A table-of-contents paragraph style (« TOC 1 », « TM 2 », « Table des matières »), or
    its id when the styles part is lost (a DOCX cut short): French Word's « TM1 »."""
    return style.lower().startswith(("toc", "tm ", "table des mati")) or TOC_ID.match(style) is not None


def _inside_nested(tr: XmlElement, tbl: XmlElement, qn: QName) -> bool:
    parent = tr.getparent()
    while parent is not None and parent is not tbl:
        if parent.tag == qn("w:tbl"):
            return True
        parent = parent.getparent()
    return False


def _docx_style_outline(document: DocxDocument, qn: QName) -> dict[str, int]:
    """Style name -> outline level, for custom heading styles ("Titre Article")."""
    out: dict[str, int] = {}
    for style in document.styles:
        el = getattr(style, "element", None)
        if el is None:
            continue
        ppr = el.find(qn("w:pPr"))
        if ppr is None:
            continue
        ol = ppr.find(qn("w:outlineLvl"))
        val = ol.get(qn("w:val")) if ol is not None else None
        if val and val.isdigit() and int(val) < 9:
            out[style.name or ""] = int(val) + 1
    return out


# --------------------------------------------------------------------------- ODT


def read_odt(data: bytes, path: str, limits: Limits) -> RawDocument:
    """Read an ODT body: headings with their outline level, paragraphs, lists, tables."""
    check_office_zip(data, path, limits)
    from odf import opendocument

    said = io.StringIO()
    try:
        # odfpy prints a part it cannot parse, whole, to standard output: into the JSON
        # report of `check -f json > rapport.json`
        with contextlib.redirect_stdout(said):
            doc = opendocument.load(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - odfpy raises many kinds on bad input
        reason = library_reason(exc, "paquet OpenDocument incomplet ou abîmé")
        raise AchatCheckError("AC-E004", f"ODT illisible ({reason}) : réenregistrez-le depuis LibreOffice.", path) from None
    walker = _OdtWalker()
    walker.walk(doc.text)
    raw = walker.finish()
    changes = _part_count(data, "content.xml", (b"<text:changed-region",))
    comments = _part_count(data, "content.xml", (b"<office:annotation>", b"<office:annotation "))
    draft = _draft_notice(changes, comments, "Édition > Suivi des modifications > Gérer", path)
    raw.warnings += [draft] if draft else []
    if "FAILED TO PARSE" in said.getvalue():  # odfpy went on without that part
        raw.warnings.append(notice(
            "AC-W009", "une partie de ce document ODT est endommagée (XML invalide) et n'a pas été lue : son texte peut "
            "être incomplet ; réenregistrez-le depuis LibreOffice.", path))
    return raw


class _OdtWalker(_PagedWalker):
    """Walks an ODT body in reading order, splitting pages on the soft page breaks LibreOffice
    writes where it laid a page out."""

    FORMAT = "odt"
    TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"

    def walk(self, node: OdfNode) -> None:
        for child in node.childNodes:
            qname = getattr(child, "qname", None)
            if qname is None:
                continue
            ns, tag = qname
            if ns == self.TEXT_NS and tag in ("p", "h"):
                self._paragraph(child, tag)
            elif ns == self.TEXT_NS and tag == "soft-page-break":
                self._new_page()
            elif ns == self.TABLE_NS and tag == "table":
                self._table(child)
            elif ns == self.TEXT_NS and tag in ("list", "list-item", "section", "list-header"):
                self.walk(child)

    def _paragraph(self, node: OdfNode, tag: str) -> None:
        if any(getattr(c, "qname", (None, None))[1] == "soft-page-break" for c in node.childNodes):
            self._new_page()
        text = _odt_text(node)
        page = self.pages[-1]
        if tag == "h" and text.strip():
            level = int(node.getAttrNS(self.TEXT_NS, "outline-level") or 1)
            m = NUMBER_IN_TEXT.match(text)
            page.headings[len(page.lines)] = (level, m.group(2) if m else None)
        page.lines.extend(text.split("\n"))

    def _table(self, node: OdfNode) -> None:
        rows: list[list[str]] = []
        for row in _odt_rows(node, self.TABLE_NS):
            cells = [" ".join(_odt_text(cell).split()) for cell in row.childNodes if getattr(cell, "qname", (None, ""))[1] == "table-cell"]
            if any(cells):
                rows.append(cells)
        if rows:
            self.tables.append(Table(page=len(self.pages), rows=rows, source="odt"))
            self.pages[-1].lines.extend("\t".join(r) for r in rows)




def _odt_rows(table: OdfNode, ns: str) -> Iterator[OdfNode]:
    for child in table.childNodes:
        qn = getattr(child, "qname", (None, ""))
        if qn == (ns, "table-row"):
            yield child
        elif qn[0] == ns and qn[1] in ("table-header-rows", "table-rows", "table-row-group"):
            yield from _odt_rows(child, ns)


def _odt_text(node: OdfNode) -> str:
    """Text of an ODF element with its spaces, tabs and line breaks.

    A paragraph inside it (one of a table cell, or of a text box anchored in a paragraph)
    is a line of its own: a cell's « Valeur technique » and « dont délais : 10 % » were
    read « Valeur techniquedont délais : 10 % »."""
    out: list[str] = []
    for child in node.childNodes:
        if child.nodeType == child.TEXT_NODE:
            out.append(str(child.data))
            continue
        tag = getattr(child, "qname", (None, ""))[1]
        if tag in ("p", "h"):
            _new_line(out)
            out += [_odt_text(child), "\n"]
        elif tag == "s":
            out.append(" " * int(child.getAttribute("c") or 1))
        elif tag == "tab":
            out.append("\t")
        elif tag == "line-break":
            out.append("\n")
        elif tag in ("note", "annotation"):
            continue
        else:
            out.append(_odt_text(child))
    return "".join(out)
