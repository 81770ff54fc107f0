"""Expand ZIP archives of DCEs in memory, safely.

Archives come from platforms and from anybody: they are expanded in memory (nothing is
written to disk, so no `../` or symlink member can land outside a temp dir), with limits
on total size, compression ratio, file count and nesting, and every skipped member is
reported with its path.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from achat_check.errors import AchatCheckError, library_reason, notice
from achat_check.ingest import zip_repair
from achat_check.ingest.sniff import ZIP_ERRORS, inner_sommaire, sniff, zip_reason
from achat_check.model import Notice
from achat_check.settings import Limits

JUNK_PARTS = ("__MACOSX/", ".DS_Store", "Thumbs.db", "desktop.ini")
CHUNK = 1 << 20


@dataclass
class Member:
    """One file taken out of an archive, named by its path inside the archives."""

    path: str
    data: bytes

    @cached_property
    def sha256(self) -> str:
        """The content's hash: a document's identity (`Document.sha256`), and how a copy of a
        file already read is known."""
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class Expansion:
    """Files found in an archive and notices about what was skipped."""

    members: list[Member] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    total: int = 0


def readable_name(name: str) -> str:
    """A file-system path as text a report, a JSON answer or the database can hold.

    A name whose bytes are not UTF-8 (an archive unpacked from Windows, an old share) comes
    from the OS with surrogate escapes, which UTF-8 refuses; each such part of the path is
    read as cp1252, the Windows code page of French.  Only for showing: the file is still
    opened by the name the OS gave.
    """
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return "/".join(_decode_part(part) for part in os.fsencode(name).split(b"/"))


def _decode_part(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def decode_name(info: zipfile.ZipInfo) -> str:
    """Member name as the author typed it: cp437 names are often really UTF-8 or cp850."""
    if info.flag_bits & 0x800:
        return info.filename
    return decode_raw_name(info.filename.encode("cp437", errors="replace"), info.filename)


def decode_raw_name(raw: bytes, otherwise: str | None = None) -> str:
    """A name's bytes as a ZIP without the UTF-8 flag holds them: UTF-8, else cp850 (the
    DOS code page of French), else `otherwise` or cp437 as zipfile reads them."""
    for enc in ("utf-8", "cp850"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return otherwise if otherwise is not None else raw.decode("cp437")


def unsafe_reason(name: str, info: zipfile.ZipInfo) -> str | None:
    """Why a member must not be read (path traversal, absolute path, link), or None."""
    mode = (info.external_attr >> 16) & 0xFFFF
    if mode and stat.S_ISLNK(mode):
        return "lien symbolique"
    norm = name.replace("\\", "/")
    if norm.startswith("/") or (len(norm) > 1 and norm[1] == ":"):
        return "chemin absolu"
    if any(part == ".." for part in norm.split("/")):
        return "chemin remontant hors de l'archive (../)"
    return None


def expand_zip(data: bytes, archive_path: str, limits: Limits, depth: int = 0) -> Expansion:
    """Return every readable member of a ZIP (nested ZIPs expanded) or raise on a bomb."""
    out = Expansion()
    try:
        _expand_into(data, archive_path, limits, depth, out)
    except AchatCheckError as exc:
        # a bomb or an unreadable archive stops expansion; members already read are kept
        out.notices.append(exc.notice())
    return out


#: archives sniffed but not opened (a DCE comes as a ZIP; the others are said, not read as junk)
ARCHIVES_UNOPENED = {"7z": "7-Zip (.7z)", "rar": "RAR", "gzip": "gzip (.gz, .tgz)"}


def unopened_archive(kind: str, path: str) -> AchatCheckError:
    """What to do with a 7-Zip, RAR or gzip archive."""
    return AchatCheckError(
        "AC-E002", f"archive {ARCHIVES_UNOPENED[kind]} non ouverte : décompressez-la et donnez le dossier obtenu, ou une archive ZIP.", path)


def zip_unreadable(exc: BaseException, head: bytes, path: str) -> AchatCheckError:
    """The error for an archive zipfile cannot open: an empty file, another archive format
    named as such (a RAR uploaded as a batch's « lots.zip »), else a damaged ZIP."""
    if not head:  # an upload or a download that sent nothing
        return AchatCheckError("AC-E003", "fichier vide (0 octet) : téléchargez-le à nouveau.", path)
    kind = sniff(head)
    if kind in ARCHIVES_UNOPENED:
        return unopened_archive(kind, path)
    return AchatCheckError("AC-E004", f"archive ZIP illisible ({zip_reason(exc)}) : vérifiez le téléchargement.", path)


def rebuilt_notice(rebuilt: zip_repair.Rebuilt, path: str) -> Notice:
    """What a truncated archive (or one whose sommaire is damaged) still gave, what it lost,
    and what to do; an archive read to its old sommaire lost nothing, and says so (its
    report is not « lu en partie »)."""
    if rebuilt.complete:
        read = ("son fichier a été lu d'après son propre en-tête" if rebuilt.count == 1
                else f"ses {rebuilt.count} fichiers ont été lus d'après leurs propres en-têtes")
        names = "" if not rebuilt.renamed else (
            " ; 1 nom de fichier abîmé est lu tel quel" if rebuilt.renamed == 1
            else f" ; {rebuilt.renamed} noms de fichiers abîmés sont lus tels quels")
        return notice(
            "AC-W012",
            f"sommaire de l'archive abîmé : {read}, rien n'est perdu{names} ; refaites l'archive avant de la transmettre.",
            path,
        )
    read = "lu jusqu'à la coupure" if rebuilt.partial else "non lu"
    cut = f" ; « {name} » est coupé, {read}" if (name := cut_name(rebuilt)) else ""
    whole = ("1 fichier entier lu d'après son propre en-tête" if rebuilt.count == 1
             else f"{rebuilt.count} fichiers entiers lus d'après leurs propres en-têtes")
    return notice(
        "AC-W009",
        f"archive tronquée ou au sommaire abîmé (téléchargement interrompu ?) : {whole}{cut} ; "
        "d'éventuels fichiers suivants sont perdus : téléchargez-la à nouveau pour tout vérifier.",
        path,
    )


def cut_name(rebuilt: zip_repair.Rebuilt) -> str | None:
    """The name of the file the cut went through, as its author typed it, if its header survived."""
    cut = rebuilt.cut
    if cut is None or not cut.name:
        return None
    return cut.name.decode("utf-8", errors="replace") if cut.utf8 else decode_raw_name(cut.name)


def open_zip(source: bytes | Path, path: str, limits: Limits,
             keep: Callable[[bytes, bytes], bytes | None] = zip_repair.keep_readable) -> tuple[zipfile.ZipFile, zip_repair.Rebuilt | None]:
    """An archive (its bytes, or a file: an upload), or what it holds before a cut (a
    download interrupted) with the rebuilt sommaire that says so, the file cut kept up to
    the cut when `keep` says so; else the error that says why it cannot be read."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
        if not inner_sommaire(zf, source[:4] if isinstance(source, bytes) else _head(source)):
            return zf, None
        zf.close()
        raise zipfile.BadZipFile("sommaire d'une archive contenue dans celle-ci")
    except ZIP_ERRORS as exc:
        data = source if isinstance(source, bytes) else source.read_bytes()
        rebuilt = zip_repair.rebuild(data, limits.zip_max_files, limits.zip_max_total_mb * (1 << 20), keep)
        try:
            if rebuilt is not None:
                return zipfile.ZipFile(io.BytesIO(rebuilt.data)), rebuilt
        except ZIP_ERRORS:
            pass
        raise zip_unreadable(exc, data[:8], path) from None


def _head(path: Path) -> bytes:
    with path.open("rb") as fh:
        return fh.read(4)


def _expand_into(data: bytes, archive_path: str, limits: Limits, depth: int, out: Expansion) -> None:
    if depth > limits.zip_max_depth:
        raise AchatCheckError(
            "AC-E006",
            f"archives imbriquées sur plus de {limits.zip_max_depth} niveaux : "
            "décompressez l'archive et donnez les dossiers.",
            archive_path,
        )
    zf, rebuilt = open_zip(data, archive_path, limits)
    if rebuilt is not None:
        out.notices.append(rebuilt_notice(rebuilt, archive_path))
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > limits.zip_max_files:
            raise AchatCheckError(
                "AC-E006",
                f"l'archive contient {len(infos)} fichiers (au plus {limits.zip_max_files}) : "
                "découpez-la ou relevez ACHAT_CHECK_ZIP_MAX_FILES.",
                archive_path,
            )
        for info in sorted(infos, key=_member_order):
            _take_member(zf, info, archive_path, limits, depth, out)


def _member_order(info: zipfile.ZipInfo) -> tuple[str, ...]:
    """A member's place among the DCE's files: the order of their paths, as a folder's files
    are taken (`collect` sorts them).  Taken as the ZIP stores them, « Lot2/ » zipped before
    « Lot1/ » listed the pieces in another order than the same folder unzipped, and the copy of a
    file kept was Lot 2's where the folder kept Lot 1's."""
    return Path(decode_name(info).replace("\\", "/")).parts


def _take_member(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, archive_path: str, limits: Limits, depth: int, out: Expansion
) -> None:
    name = decode_name(info)
    if any(j in name for j in JUNK_PARTS):
        return
    member_path = f"{archive_path}/{name}"
    reason = unsafe_reason(name, info)
    if reason:
        out.notices.append(
            notice("AC-W005", f"élément ignoré ({reason}) : « {name} ». Rien n'a été écrit hors de l'archive.", archive_path)
        )
        return
    if info.flag_bits & 0x1:
        out.notices.append(
            notice("AC-W005", f"élément chiffré ignoré : « {name} ». Fournissez l'archive sans mot de passe.", archive_path)
        )
        return
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > 1 << 20 and ratio > limits.zip_max_ratio:
        raise AchatCheckError(
            "AC-E006",
            f"« {name} » se décompresse {ratio:.0f} fois (au plus {limits.zip_max_ratio}) : "
            "archive suspecte (bombe ZIP), elle n'a pas été lue.",
            archive_path,
        )
    try:
        content = _read_capped(zf, info, name, archive_path, limits, out)
    except AchatCheckError as exc:
        if exc.code != "AC-E004":
            raise
        out.notices.append(exc.notice())
        return
    if sniff(content, name) == "zip":
        _expand_into(content, member_path, limits, depth + 1, out)
    else:
        out.members.append(Member(member_path, content))


def _read_capped(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, archive_path: str, limits: Limits, out: Expansion
) -> bytes:
    """Read a member, counting real bytes: declared sizes in a hostile ZIP may lie."""
    budget = limits.zip_max_total_mb * (1 << 20) - out.total
    per_file = limits.max_file_mb * (1 << 20)
    buf = io.BytesIO()
    try:
        with zf.open(info) as fh:
            while True:
                chunk = fh.read(CHUNK)
                if not chunk:
                    break
                buf.write(chunk)
                size = buf.tell()
                if size > budget:
                    raise AchatCheckError(
                        "AC-E006",
                        f"l'archive dépasse {limits.zip_max_total_mb} Mo une fois décompressée "
                        f"(arrêt sur « {name} ») : archive suspecte ou trop grande, relevez "
                        "ACHAT_CHECK_ZIP_MAX_TOTAL_MB si elle est légitime.",
                        archive_path,
                    )
                if size > per_file:
                    raise AchatCheckError(
                        "AC-E006",
                        f"« {name} » dépasse {limits.max_file_mb} Mo une fois décompressé.",
                        archive_path,
                    )
                if size > 1 << 20 and size / max(info.compress_size, 1) > limits.zip_max_ratio:
                    raise AchatCheckError(
                        "AC-E006",
                        f"« {name} » se décompresse plus de {limits.zip_max_ratio} fois : "
                        "archive suspecte (bombe ZIP), elle n'a pas été lue.",
                        archive_path,
                    )
    except ZIP_ERRORS as exc:
        raise AchatCheckError(
            "AC-E004", f"« {name} » illisible dans l'archive ({library_reason(exc)}) : l'archive est endommagée, téléchargez-la à nouveau.", archive_path
        ) from None
    out.total += buf.tell()
    return buf.getvalue()
