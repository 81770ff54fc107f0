"""Tell a file's real format from its bytes, not only from its extension.

Real DCEs arrive with lying or missing extensions (a ZIP renamed .pdf, a DOCX saved as
.doc); reading by content and warning on the mismatch keeps the run going.
"""

from __future__ import annotations

import codecs
import io
import lzma
import zipfile
import zlib

from achat_check.errors import library_reason
from achat_check.ingest.zip_repair import END_SIGNATURE, LOCAL

#: what reading a damaged or unusual ZIP raises: a flipped byte in deflated data is a
#: zlib.error, a bogus "version needed" a NotImplementedError, an encrypted member a
#: RuntimeError; none of them is a BadZipFile, and each stopped a whole run (found by
#: fuzzing the real DCEs)
ZIP_ERRORS = (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError, zlib.error, lzma.LZMAError)


def zip_reason(exc: BaseException, entry: str = "fichier") -> str:
    """Why a ZIP (an archive, or an Office package whose entries are « parties ») is
    unreadable, in French; a name flagged UTF-8 that is not is the archive's damage, not a
    text encoding the user could fix."""
    if isinstance(exc, UnicodeDecodeError):
        return f"nom de {entry} illisible : structure de l'archive abîmée"
    return library_reason(exc)


#: folders of an Office Open XML package
OFFICE_PARTS = ("word/", "xl/", "_rels/", "docProps/")
#: the parts of an OpenDocument beside its « mimetype », which a damaged one may have lost
OPENDOCUMENT_PARTS = {"content.xml", "styles.xml", "meta.xml", "settings.xml", "META-INF/manifest.xml"}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

EXTENSIONS = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".docm": "docx",
    ".dotx": "docx",
    ".odt": "odt",
    ".ott": "odt",
    ".doc": "doc",
    ".rtf": "rtf",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".xls": "xls",
    ".ods": "ods",
    ".ots": "ods",
    ".txt": "txt",
    ".md": "md",
    ".markdown": "md",
    ".text": "txt",
    ".csv": "txt",
    ".zip": "zip",
}

#: Files that carry no DCE text we read, skipped with a notice saying what they are and,
#: when a piece of the DCE may hide in them, what to give instead.
IGNORED_EXTENSIONS = {
    **dict.fromkeys((".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff"),
                    "image ignorée (une pièce scannée se donne en PDF : ses pages sont lues par OCR)"),
    **dict.fromkeys((".dwg", ".dxf"), "plan (DWG, DXF), sans clauses à lire : ignoré"),
    **dict.fromkeys((".p7s", ".sig", ".xsig"), "signature électronique d'une pièce : ignorée (la pièce signée est lue)"),
    **dict.fromkeys((".ppt", ".pptx", ".odp"), "présentation non lue : si elle porte des clauses, donnez-la en PDF"),
    **dict.fromkeys((".xml", ".json", ".html", ".htm"),
                    "fichier de données ou page web (avis, export) : ignoré ; si c'est l'avis de marché, donnez-le en PDF "
                    "(extrait du BOAMP ou de TED, ou page imprimée en PDF), lu comme les autres pièces"),
    **dict.fromkeys((".exe", ".dll", ".so", ".bin", ".mp4", ".avi", ".mp3", ".wav"),
                    "programme, son ou vidéo, sans texte à analyser : ignoré"),
}

#: archives of other formats than ZIP, by their first bytes: said, not taken for binary junk
ARCHIVE_MAGICS = {b"7z\xbc\xaf\x27\x1c": "7z", b"Rar!\x1a\x07": "rar", b"\x1f\x8b": "gzip"}


def format_from_extension(name: str) -> str | None:
    """Format named by the file extension, if any is known."""
    lower = name.lower()
    dot = lower.rfind(".")
    return EXTENSIONS.get(lower[dot:]) if dot >= 0 else None


def ignored_because(name: str) -> str | None:
    """Why a file is skipped (an image, a plan, a signature...), or None when it is read."""
    lower = name.lower()
    dot = lower.rfind(".")
    return IGNORED_EXTENSIONS.get(lower[dot:]) if dot >= 0 else None


def sniff(data: bytes, name: str = "") -> str:
    """Return the format of the bytes: pdf, docx, odt, xlsx, xls, zip, ole, doc, rtf, txt, md, an
    archive we do not open (7z, rar, gzip) or unknown.

    `ole` is an OLE2 container that is neither a Word 97 document nor an Excel 97 workbook: an
    encrypted Office file (the usual wrapping of a password-protected DOCX) or another Office
    binary (a PowerPoint 97 presentation).
    """
    head = data[:8]
    if head.startswith((LOCAL, END_SIGNATURE)):
        return _sniff_zip(data, name)
    if head == OLE_MAGIC:
        return _sniff_ole(data, name)
    archive = next((fmt for magic, fmt in ARCHIVE_MAGICS.items() if head.startswith(magic)), None)
    if archive:
        return archive
    if data[:64].lstrip()[:5] == b"{\\rtf":  # Word's « Texte mis en forme », often saved as .doc
        return "rtf"
    # A PDF may follow some junk (readers look for « %PDF- » in the first kilobyte); tested
    # after the archive magics, as a ZIP that stores a PDF uncompressed holds one there too.
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if _looks_like_text(data[:8192]):
        ext = format_from_extension(name)
        return "md" if ext == "md" else "txt"
    return "unknown"


def _sniff_zip(data: bytes, name: str) -> str:
    """An office package or an archive.  A damaged package named .docx, .odt, .xlsx or .ods stays
    that format, so its reader says the document is damaged: read as an archive, its
    parts (« mimetype », « content.xml »...) were reported as unreadable DCE files."""
    claimed = format_from_extension(name)
    package = claimed if claimed in ("docx", "odt", "xlsx", "ods") else "zip"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if inner_sommaire(zf, data[:4]):  # a cut archive (or package): its reader reads what is before the cut
                return package
            names = set(zf.namelist())
            if "mimetype" in names:
                mime = _read_or_empty(zf, "mimetype")
                if b"opendocument.text" in mime:
                    return "odt"
                if b"opendocument.spreadsheet" in mime:
                    return "ods"
                if b"opendocument" in mime:
                    return "odf-other"
                if not mime and "content.xml" in names:  # an OpenDocument whose first part is damaged
                    return package
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
            if any(n.startswith("ppt/") for n in names):
                return "office-other"
            if "[Content_Types].xml" in names or any(n.startswith(OFFICE_PARTS) for n in names):
                return package  # an Office package missing its main part
            if names & OPENDOCUMENT_PARTS:
                return package  # an OpenDocument whose « mimetype » is lost: its name damaged
    except ZIP_ERRORS:  # damaged: the reader of the format it claims says what is wrong with it
        return package
    return "zip"


def inner_sommaire(zf: zipfile.ZipFile, head: bytes) -> bool:
    """Whether the sommaire zipfile read is that of a ZIP stored inside the archive, not its own.

    zipfile looks for the sommaire in the last 64 KB and places the archive where that sommaire
    says it starts.  A cut archive of files stored uncompressed (zip -0) whose last bytes held an
    ODT, a DOCX or a market's ZIP was opened as that inner file: its « content.xml » and
    « styles.xml » taken for the archive's files, or the whole DCE.zip read as an ODT.  An
    archive that starts (`head`, its first bytes) with a file of its own at byte 0 but whose
    sommaire names no file there is not the archive that sommaire describes; a self-extracting
    archive starts with a program, not a file, and is left as zipfile reads it."""
    infos = zf.infolist()
    return bool(infos) and head.startswith(LOCAL) and min(i.header_offset for i in infos) > 0


def _read_or_empty(zf: zipfile.ZipFile, member: str) -> bytes:
    try:
        return zf.read(member)[:100]
    except ZIP_ERRORS:
        return b""


def _sniff_ole(data: bytes, name: str) -> str:
    """Tell a Word 97 document and an Excel 97 workbook (« Workbook », or Excel 5's « Book »
    stream) from an encrypted OOXML package inside OLE, by the stream names of its directory
    (in the first megabyte, or in its first sector, which a large file writes at its end).  A
    damaged container named .doc or .xls stays that format, so its reader says it is damaged."""
    probe = data[: 1 << 20] + _first_directory_sector(data)
    if "EncryptedPackage".encode("utf-16-le") in probe or b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d" in probe:
        return "ole-encrypted"
    if "WordDocument".encode("utf-16-le") in probe:
        return "doc"
    if "Workbook".encode("utf-16-le") in probe or b"\x00B\x00o\x00o\x00k\x00" in probe:
        return "xls"
    claimed = format_from_extension(name)
    return claimed if claimed in ("doc", "xls") else "ole"


def _first_directory_sector(data: bytes) -> bytes:
    """The OLE directory's first sector (its root entry and first streams), where the header
    says it is: sector size 2**(uint16 at 0x1E), first directory sector number at 0x30."""
    if len(data) < 0x34:
        return b""
    shift = int.from_bytes(data[0x1E:0x20], "little")
    first = int.from_bytes(data[0x30:0x34], "little")
    if not 7 <= shift <= 16 or first >= 0xFFFFFFFA:
        return b""
    start = (first + 1) << shift
    return data[start : start + (1 << shift)]


def _looks_like_text(sample: bytes) -> bool:
    if not sample:
        return False
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Notepad's « Unicode »
        # French text is mostly ASCII letters; binary bytes after a stray mark read as CJK
        text = sample[: len(sample) // 2 * 2].decode("utf-16", errors="replace")
        controls = sum(1 for c in text if c < "\t" or "\r" < c < " ")
        return controls < 0.01 * len(text) and sum(c.isascii() for c in text) >= 0.7 * len(text)
    if b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        # a multi-byte character cut at the end of the sample is still text
        if exc.start >= len(sample) - 4:
            return True
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return controls / len(sample) < 0.01
