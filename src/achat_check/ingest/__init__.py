"""Read a DCE: folders, ZIPs and files become `Document`s with provenance.

One bad file never stops the others: each failure becomes a notice naming the file and
saying what to do, and every document already read is kept.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from achat_check import structure
from achat_check.errors import AchatCheckError, notice, os_reason
from achat_check.ingest import package_repair, zip_repair
from achat_check.ingest.archive import (
    ARCHIVES_UNOPENED,
    Member,
    expand_zip,
    open_zip,
    readable_name,
    unopened_archive,
)
from achat_check.ingest.guard import reader_process, run_guarded
from achat_check.ingest.kind import classify, subkind_of
from achat_check.ingest.office import check_office_zip, read_docx, read_odt
from achat_check.ingest.other import read_doc, read_ods, read_rtf, read_text, read_xls, read_xlsx
from achat_check.ingest.pdf import read_pdf
from achat_check.ingest.sniff import format_from_extension, ignored_because, sniff
from achat_check.model import DocKind, Document, Notice
from achat_check.raw import RawDocument
from achat_check.report.labels import first_of
from achat_check.settings import Limits, get_limits

READERS = {
    "pdf": read_pdf,
    "docx": read_docx,
    "odt": read_odt,
    "doc": read_doc,
    "rtf": read_rtf,
    "xlsx": read_xlsx,
    "ods": read_ods,
    "xls": read_xls,
    "txt": lambda d, p, lim: read_text(d, p, lim, "txt"),
    "md": lambda d, p, lim: read_text(d, p, lim, "md"),
    # a package cut short, its body closed at the cut and its links to lost parts dropped
    "docx+mended": lambda d, p, lim: read_docx(_mended(d, p, lim, "docx"), p, lim),
    "odt+mended": lambda d, p, lim: read_odt(_mended(d, p, lim, "odt"), p, lim),
}


def _mended(data: bytes, path: str, limits: Limits, fmt: str) -> bytes:
    """A cut package mended for its reader, once its parts are known to be no bomb (mending
    inflates each)."""
    check_office_zip(data, path, limits)
    return package_repair.mended(data, fmt)


@dataclass
class Ingested:
    """Documents read from the inputs and notices about the rest."""

    documents: list[Document] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)


def collect(paths: Sequence[str | Path], limits: Limits) -> tuple[list[Member], list[Notice]]:
    """Files named by the inputs: folders walked, ZIPs expanded, in a stable order."""
    members: list[Member] = []
    notices: list[Notice] = []
    for given in paths:
        path = Path(given)
        if not path.exists() and not path.is_symlink():
            notices.append(notice("AC-E001", "fichier ou dossier introuvable : vérifiez le chemin.", readable_name(str(given))))
            continue
        said = len(members) + len(notices)
        entries = _walk(path, notices) if path.is_dir() else [path]
        hidden = 0
        for entry in sorted(entries):
            if entry.name.startswith((".", "~$")):  # hidden files, Office and Emacs lock files
                hidden += 1
                continue
            if why := _not_a_plain_file(entry):
                notices.append(notice("AC-W008", why, readable_name(str(entry))))
            else:
                _collect_file(entry, limits, members, notices)
        if len(members) + len(notices) == said:  # else the report would say « nothing read » and not why
            notices.append(_nothing_in(path, hidden))
    return members, notices


def _nothing_in(path: Path, hidden: int) -> Notice:
    """Why an input gave no file at all: an empty folder (or one of hidden and lock files
    only, as a copy of a DCE's folder can leave), an empty ZIP."""
    name = readable_name(str(path))
    if not path.is_dir():
        return notice("AC-E003", "archive vide : elle ne contient aucun fichier ; téléchargez à nouveau le DCE.", name)
    only = f" (seulement {hidden} fichier(s) caché(s) ou temporaire(s), ignorés)" if hidden else ""
    return notice("AC-E003", f"dossier sans aucun fichier à lire{only} : donnez le dossier qui contient les pièces "
                  "du DCE (RC, CCAP, CCTP…), son ZIP ou les fichiers eux-mêmes.", name)


def _walk(folder: Path, notices: list[Notice]) -> list[Path]:
    """Every entry under `folder` but its folders, links to folders not followed (they are
    listed, to be said); a folder that cannot be listed is said (pathlib's rglob skips it
    silently, and its files with it)."""

    def unlisted(exc: OSError) -> None:
        notices.append(notice("AC-E004", f"dossier illisible ({os_reason(exc)}) : ses fichiers ne sont pas lus ; "
                              "vérifiez les droits d'accès, puis relancez.", readable_name(str(exc.filename or folder))))

    entries: list[Path] = []
    for root, dirs, files in os.walk(folder, onerror=unlisted):
        entries += [Path(root, name) for name in files]
        entries += [link for name in dirs if (link := Path(root, name)).is_symlink()]
    return entries


def _not_a_plain_file(entry: Path) -> str:
    """Why a link or a special file is not read ("" for a file)."""
    if entry.is_symlink():
        if entry.is_dir():
            return "lien symbolique vers un dossier, ignoré : donnez le dossier lui-même."
        if entry.exists():
            return "lien symbolique ignoré : donnez le fichier lui-même."
        return "lien symbolique cassé (sa cible n'existe pas), ignoré : donnez le fichier lui-même."
    if entry.is_file():
        return ""
    return "fichier spécial (tube, socket ou périphérique), ignoré : donnez un fichier ordinaire."


def _collect_file(file: Path, limits: Limits, members: list[Member], notices: list[Notice]) -> None:
    name = readable_name(str(file))
    if why := ignored_because(file.name):
        notices.append(notice("AC-W008", f"{why}.", name))
        return
    try:
        size = file.stat().st_size
        if size > limits.max_file_mb * (1 << 20):
            notices.append(
                notice("AC-E006", f"fichier de {size >> 20} Mo (au plus {limits.max_file_mb} Mo) : relevez ACHAT_CHECK_MAX_FILE_MB.", name)
            )
            return
        data = file.read_bytes()
    except OSError as exc:  # unreadable here (rights, a network share gone): the other files are still read
        notices.append(notice("AC-E004", f"fichier illisible ({os_reason(exc)}) : vérifiez les droits d'accès "
                              "ou copiez-le sur un disque local, puis relancez.", name))
        return
    _add(name, data, limits, members, notices)


def _add(name: str, data: bytes, limits: Limits, members: list[Member], notices: list[Notice]) -> None:
    """A file as members of the DCE: itself, or the files of the ZIP it is."""
    if data and sniff(data, name.rsplit("/", 1)[-1]) == "zip":
        expansion = expand_zip(data, name, limits)
        notices.extend(expansion.notices)
        members.extend(m for m in expansion.members if not _skip_member(m, notices))
    elif not _skip_member(member := Member(name, data), notices):
        members.append(member)


def _skip_member(member: Member, notices: list[Notice]) -> bool:
    base = member.path.rsplit("/", 1)[-1]
    if base.startswith((".", "~$")):
        return True
    if why := ignored_because(base):
        notices.append(notice("AC-W008", f"{why}.", member.path))
        return True
    return False


def detect_format(member: Member) -> tuple[str, list[Notice]]:
    """The reader to use, or raise with a message saying what the file really is."""
    name = member.path.rsplit("/", 1)[-1]
    if not member.data:
        raise AchatCheckError("AC-E003", "fichier vide (0 octet) : téléchargez-le à nouveau.", member.path)
    if not member.data.strip():
        raise AchatCheckError("AC-E003", "fichier sans contenu (espaces seulement).", member.path)
    real = sniff(member.data, name)
    declared = format_from_extension(name)
    notices: list[Notice] = []
    if real == "ole-encrypted":
        raise AchatCheckError(
            "AC-E005",
            "document Office protégé par un mot de passe : enregistrez-en une copie sans mot de passe.",
            member.path,
        )
    if real in ARCHIVES_UNOPENED:
        raise unopened_archive(real, member.path)
    if real not in READERS:
        what = {
            "ole": "un fichier Office binaire autre que Word ou Excel (.ppt…)",
            "office-other": "une présentation ou un autre document Office",
            "odf-other": "un document OpenDocument autre qu'un texte",
            "unknown": "des données binaires inconnues",
        }.get(real, real)
        raise AchatCheckError(
            "AC-E002",
            f"ce fichier contient {what} : donnez un PDF, DOCX, ODT, DOC, RTF, XLSX, XLS, ODS, TXT ou MD.",
            member.path,
        )
    if declared and declared != real and not (declared in ("txt", "md") and real in ("txt", "md")):
        notices.append(
            notice("AC-W003", f"l'extension annonce « {declared} » mais le contenu est « {real} » : lu comme {real}.", member.path)
        )
    return real, notices


def read_member(member: Member, limits: Limits | None = None) -> Document:
    """Read, structure and classify one file, guarded by time and memory limits."""
    limits = limits or get_limits()
    fmt, notices = detect_format(member)
    started = time.perf_counter()
    try:
        raw = _read(fmt, member.data, member.path, limits)
    except AchatCheckError as exc:
        raw, said = _read_rebuilt(member, fmt, limits, exc)
        notices.append(said)
    if fmt in SPREADSHEETS:
        _not_a_register(raw, member.path)
    doc = _structure(member, fmt, raw)
    doc._attachments = raw.attachments
    doc.warnings = notices + doc.warnings
    doc.read_seconds = round(time.perf_counter() - started, 4)
    return doc


#: the workbooks a register of markets may be kept in
SPREADSHEETS = ("xlsx", "xls", "ods")


def _not_a_register(raw: RawDocument, path: str) -> None:
    """A register of markets given as a piece of a DCE is left out, with the command that
    reads it: read as a piece, its headings and cells made a report of nothing."""
    from achat_check.indicators.registers import register_headings

    for table in raw.tables:
        headings = register_headings(table.rows)
        if headings:
            name = readable_name(path.rsplit("/", 1)[-1])
            raise AchatCheckError("AC-W008", f"registre des marchés (colonnes {first_of([f'« {h} »' for h in headings], 4)}), "
                                  f"pas une pièce de DCE : laissé de côté ; ses indicateurs : `achat-check indicators {name}`.", path)


def _read(fmt: str, data: bytes, path: str, limits: Limits) -> RawDocument:
    """The format parsers (C code fed with untrusted bytes) run in a guarded child; the
    structure step, our own bounded Python, runs here on the pages it returns."""
    reader = reader_process()
    if reader is not None and limits.isolate:
        raw: RawDocument = reader.read(fmt, data, path, limits)
        return raw
    return run_guarded(
        lambda: READERS[fmt](data, path, limits),
        path,
        timeout=limits.doc_timeout,
        memory_mb=limits.doc_memory_mb,
        isolate=limits.isolate,
    )


#: the formats that are ZIP packages: cut short, each still holds its parts written before the cut
PACKAGES = ("docx", "odt", "xlsx", "ods")


def _read_rebuilt(member: Member, fmt: str, limits: Limits, failure: AchatCheckError) -> tuple[RawDocument, Notice]:
    """A package that could not be read because its sommaire is lost (a download
    interrupted) or damaged, read again from its parts' own headers, with the warning that
    says what may be lost; any other failure is raised as it was.  Rebuilt only after a
    failure: a whole document costs nothing more."""
    rebuilt = _rebuilt_package(member.data, fmt, limits) if failure.code == "AC-E004" else None
    if rebuilt is None:
        raise failure
    cut_short = not rebuilt.complete and fmt in package_repair.BODY
    try:
        raw = _read(f"{fmt}+mended" if cut_short else fmt, rebuilt.data, member.path, limits)
    except AchatCheckError as again:
        if again.code != "AC-E004":
            raise
        if rebuilt.complete:  # nothing was cut: what the reader first said is the reason
            raise failure from None
        raise AchatCheckError("AC-E004", "document tronqué ou abîmé (téléchargement interrompu ?) : ses parties entières "
                                         "ne suffisent pas à le lire : téléchargez-le à nouveau.", member.path) from None
    if rebuilt.complete:
        return raw, notice("AC-W012", "sommaire du document abîmé : toutes ses parties ont été lues d'après leurs propres "
                                      "en-têtes, rien n'est perdu ; réenregistrez-le depuis Word ou LibreOffice avant de le "
                                      "transmettre.", member.path)
    if rebuilt.partial:  # the cut went through its body
        return raw, notice("AC-W009", "document tronqué (téléchargement interrompu ?) : son texte est lu jusqu'à la coupure, "
                                      "la suite est perdue : téléchargez-le à nouveau pour le lire en entier.", member.path)
    return raw, notice(
        "AC-W009",
        "document tronqué ou au sommaire abîmé (téléchargement interrompu ?) : lu d'après les en-têtes de ses parties "
        "entières ; des images ou parties annexes ont pu être perdues : téléchargez-le à nouveau pour le lire en entier.",
        member.path,
    )


def _rebuilt_package(data: bytes, fmt: str, limits: Limits) -> zip_repair.Rebuilt | None:
    """A package with a sommaire rebuilt from its parts' own headers, when its own is lost
    or damaged and a part at least is whole; None otherwise (a package whose sommaire opens is
    damaged elsewhere, and its reader said how).  Opened as archives are, by `open_zip`."""
    if fmt not in PACKAGES:
        return None
    keep = package_repair.keep_body(fmt) if fmt in package_repair.BODY else (lambda name, head: None)
    try:
        zf, rebuilt = open_zip(data, "", limits, keep)
    except AchatCheckError:  # no part whole before the cut: the reader's failure stands
        return None
    zf.close()
    return rebuilt


def _structure(member: Member, fmt: str, raw: RawDocument) -> Document:
    built = structure.build(raw)
    name = member.path.rsplit("/", 1)[-1]
    first_page = built.text[built.page_spans[0].start : built.page_spans[0].end] if built.page_spans else ""
    kind, roles, reason = classify(name, (raw.title_hint + "\n" + first_page) if raw.title_hint else first_page)
    if built.parts:  # a « DCE complet »: it plays each piece it holds
        roles = list(dict.fromkeys([*roles, *(part for _, part in built.parts)]))
    doc = Document(
        path=member.path,
        name=name,
        format=fmt,
        kind=kind,
        kind_reason=reason,
        subkind=subkind_of(name, first_page[:300]) if kind == DocKind.OTHER else "",
        roles=roles,
        pages=raw.source_pages or len(built.page_spans),
        pages_estimated=raw.pages_estimated,
        ocr=any(p.ocr for p in raw.pages),
        text=built.text,
        page_spans=built.page_spans,
        headings=built.headings,
        tables=built.tables,
        headers_footers_removed=built.removed,
        hyphenations_joined=built.hyphenations,
        warnings=list(raw.warnings),
        sha256=member.sha256,
        parts=built.parts,
    )
    if doc.parts:
        doc.kind_reason += " ; " + ", ".join(f"{part.value} en page {doc.page_at(start)}" for start, part in doc.parts)
    if not raw.attachments:  # a portfolio's blank cover: its text is in the files attached
        _warn_if_empty(doc)
    return doc


def _warn_if_empty(doc: Document) -> None:
    if len(doc.text.strip()) >= 20 or any(w.code == "AC-W001" for w in doc.warnings):
        return
    doc.warnings.append(
        notice(
            "AC-W002",
            "aucun texte lisible dans ce document (scan sans OCR, ou document vide) : "
            "fournissez une version texte (PDF issu du traitement de texte, DOCX).",
            doc.path,
        )
    )


def ingest(paths: Sequence[str | Path], limits: Limits | None = None) -> Ingested:
    """Read every document named by the inputs."""
    limits = limits or get_limits()
    queue, notices = collect(paths, limits)
    result = Ingested(notices=notices)
    attached: set[str] = set()
    first_of_content: dict[str, Member] = {}
    n = 0
    while n < len(queue):
        member = queue[n]
        n += 1
        if (first := first_of_content.setdefault(member.sha256, member)) is not member:
            result.notices.append(_copy_notice(member.path, first.path))
            continue
        try:
            doc = read_member(member, limits)
        except AchatCheckError as exc:
            result.notices.append(exc.notice())
            continue
        result.documents.append(doc)
        if doc._attachments:
            pieces = _attached_members(doc, member.path in attached, limits, result.notices)
            queue[n:n] = pieces
            attached.update(m.path for m in pieces)
        doc._attachments = []
    return result


def _copy_notice(path: str, original: str) -> Notice:
    """A file whose content was read under another name (a DCE's ZIP beside its unzipped
    files, « RC (1).pdf » beside « RC.pdf », a portfolio's attachment also given alone): read
    twice, each clause was quoted twice and each page counted twice."""
    if original == path:
        return notice("AC-W008", "fichier donné deux fois : lu une seule fois.", path)
    return notice("AC-W008", f"copie identique de « {original} » (même contenu) : lue une seule fois.", path)


def _attached_members(doc: Document, nested: bool, limits: Limits, notices: list[Notice]) -> list[Member]:
    """The files attached to a document (a PDF portfolio's RC, CCAP, CCTP), as members named
    « Dossier.pdf/CCTP.docx », read right after it; those of an attached file are said, not
    read (one level, as an archive's nesting is bounded)."""
    names = [name for name, _ in doc._attachments]
    if nested:
        notices.append(notice("AC-W005", f"pièce(s) jointe(s) d'une pièce jointe non lue(s) : {first_of(names, 5)} : "
                                         "extrayez-les et joignez-les au DCE.", doc.path))
        return []
    members: list[Member] = []
    for name, data in doc._attachments:
        _add(f"{doc.path}/{name}", data, limits, members, notices)
    return members
