"""Which markets a batch holds, and the content hash that lets an unchanged DCE reuse its report."""

from __future__ import annotations

import hashlib
import os
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from achat_check.errors import AchatCheckError, library_reason, notice, os_reason
from achat_check.ingest.archive import readable_name
from achat_check.model import GivenFacts, Notice

if TYPE_CHECKING:
    from achat_check.indicators.model import DataIssue
    from achat_check.settings import Limits

CHUNK = 1 << 20
ARCHIVE_SUFFIXES = (".zip",)


def discover(archive: str | Path) -> tuple[list[tuple[str, list[str]]], list[Notice]]:
    """One market per subfolder or ZIP of the archive folder (its name is the market id).

    Loose files at the top of the archive belong to no market: they are listed, not guessed.
    """
    root = Path(archive)
    shown = readable_name(str(root))
    if root.is_file() and root.suffix.lower() in ARCHIVE_SUFFIXES:
        raise AchatCheckError(
            "AC-E001",
            "c'est une archive ZIP, pas un dossier : décompressez-la (unzip ARCHIVE.zip -d ARCHIVE/) et donnez le "
            "dossier, dont chaque sous-dossier ou ZIP est un marché (le service HTTP, lui, prend le ZIP : POST /v1/batches).",
            shown,
        )
    if not root.is_dir():
        what = "n'est pas un dossier" if root.exists() else "dossier d'archive introuvable"
        raise AchatCheckError("AC-E001", f"{what} : donnez un dossier dont chaque sous-dossier ou ZIP est un marché.", shown)
    markets, notices = [], []
    try:
        entries = sorted(root.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        raise AchatCheckError("AC-E004", f"dossier illisible ({os_reason(exc)}) : vérifiez les droits d'accès, puis relancez.", shown) from exc
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir() or entry.suffix.lower() in ARCHIVE_SUFFIXES:
            # the id is shown and stored as text; the path keeps the OS's name (JSON escapes it)
            markets.append((readable_name(entry.stem if entry.is_file() else entry.name), [str(entry)]))
        else:
            notices.append(Notice(code="AC-W008", path=readable_name(str(entry)), message="fichier hors de tout dossier de marché : ignoré (rangez-le dans le dossier ou le ZIP de son marché)."))
    return unique_ids(markets), notices  # "lot1" folder and "lot1.zip" side by side


def unique_ids(markets: list[tuple[str, list[str]]]) -> list[tuple[str, list[str]]]:
    """The same markets, a repeated id numbered `id#2`, `id#3`... (a job holds each id once,
    even when a folder is itself named « lot#2 »)."""
    taken: set[str] = set()
    out = []
    for mid, paths in markets:
        new, n = mid, 1
        while new in taken:
            n += 1
            new = f"{mid}#{n}"
        taken.add(new)
        out.append((new, paths))
    return out


def loose_files_only(notices: list[Notice], check_with: str) -> str:
    """Why an archive holding files but no market folder gave no market, and what to do: most
    often it is one market's DCE, given where its parent folder was expected."""
    loose = sum(1 for n in notices if n.code == "AC-W008")
    if not loose:
        return ""
    return (f"l'archive ne contient que des fichiers ({loose}), sans sous-dossier ni ZIP de marché : si c'est le DCE "
            f"d'un seul marché, vérifiez-le avec {check_with} ; sinon rangez chaque DCE dans son sous-dossier.")


def from_register(register: str | Path) -> tuple[list[tuple[str, list[str]]], list[Notice], dict[str, GivenFacts]]:
    """The markets of a register that name their DCE (column `dce`), under the ids the
    indicators give them (a repeated line dropped, an id reused for another market numbered
    `id#2`), so that `indicators --reports` finds each report; what the register says of
    each beside its DCE (its notification date, its amount HT, its buyer, procedure, object
    and duration) comes with them, by the same ids."""
    from achat_check.indicators.compute import prepare_markets
    from achat_check.indicators.registers import load_markets

    issues: list[DataIssue] = []
    records = prepare_markets(load_markets(register, issues), issues)
    notices = [Notice(code="AC-W008", path=str(register), message=f"{i.source} : {i.message}")
               for i in issues if i.kind in ("doublon", "identifiant manquant")]
    named = [m for m in records if m.dce]
    if named:
        notices += [Notice(code="AC-W008", path=str(register), message=f"{m.source} : marché {m.id} sans DCE (colonne dce vide), non vérifié.")
                    for m in records if not m.dce]
    markets = unique_ids([(m.id, [m.dce]) for m in named])
    given = {mid: g for (mid, _), m in zip(markets, named, strict=True)
             if (g := GivenFacts(notified=m.notified, notified_amount_ht=m.amount_ht, buyer=m.buyer_name or None,
                                 procedure=m.procedure or None, object=m.object or None,
                                 duration_months=m.duration_months)) != GivenFacts()}
    return markets, notices, given


#: why a register gave no market to check (its lines each without a DCE: one line says it)
NO_DCE_NAMED = ("aucune ligne du registre ne nomme son DCE : la colonne « dce » donne, pour chaque marché à vérifier, "
                "le chemin de son dossier ou de son ZIP, relatif au registre (modèle : `achat-check indicators template`).")


def register_within(register: str | Path, root: str | Path, shown: str) -> tuple[list[tuple[str, list[str]]], list[Notice], dict[str, GivenFacts]]:
    """The markets of a register sent beside an archive (`root`, unpacked or a server folder):
    its `dce` column names each market's folder or ZIP as the archive lists it, the one top
    folder an archive may wrap them in written or not.  A line whose DCE is absent, or whose
    path leads out of the archive, is said and left out: the register's own folder (`shown`
    names the file in notices) is never read."""
    markets, notices, given = from_register(register)
    notices = [n.model_copy(update={"path": shown}) for n in notices]
    base, top = Path(register).parent.resolve(), Path(root).resolve()
    kept = []
    for mid, (path,) in markets:
        target, why = _within(Path(path), base, top)
        if target is None:
            notices.append(Notice(code="AC-W008", path=shown, message=f"marché {mid} : {why} ; marché non vérifié, corrigez la colonne « dce »."))
            given.pop(mid, None)
        else:
            kept.append((mid, [str(target)]))
    return kept, notices, given


def _within(path: Path, base: Path, root: Path) -> tuple[Path | None, str]:
    """Where a register's DCE path (resolved against the register's folder `base`) lies in
    `root`, or why it does not."""
    try:
        rel = path.relative_to(base)
    except ValueError:
        return None, "chemin du DCE hors de l'archive (absolu ou avec « .. »)"
    tries = [rel, Path(*rel.parts[1:])] if len(rel.parts) > 1 else [rel]  # « archive/M-1 » when the archive was « archive/ »
    for candidate in tries:
        target = (root / candidate).resolve()
        if root in target.parents and target.exists():
            return target, ""
    return None, f"DCE « {rel.as_posix()} » absent de l'archive"


def content_hash(paths: list[str], notices: Sequence[Notice] = (), given: GivenFacts | None = None) -> str:
    """SHA-256 of a DCE's files (names relative to the market, and bytes), in a stable order,
    of what was said of its files left out (the same files with a member lost are not the
    same DCE: their report says it was read in part) and of what is given beside them (a
    notification date may decide the climate checks of a DCE that says no date)."""
    digest = hashlib.sha256()
    if given is not None:
        digest.update(f"given\0{given.model_dump_json(exclude_none=True)}\0".encode())
    for n in notices:
        digest.update(f"{n.code}\0{n.path}\0{n.message}\0".encode())
    for path in paths:
        p = Path(path)
        files = sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p]
        for f in files:
            rel = f.relative_to(p).as_posix() if p.is_dir() else f.name
            digest.update(os.fsencode(rel) + b"\0")  # a name in another encoding (old ZIP, Windows) as its bytes
            if not f.is_file():  # a device or a pipe named by a register: /dev/zero never ends, a pipe blocks
                digest.update(b"<pas un fichier ordinaire>\0")
                continue
            try:
                with f.open("rb") as fh:
                    while chunk := fh.read(CHUNK):
                        digest.update(chunk)
            except OSError:
                digest.update(b"<illisible>")
            digest.update(b"\0")
    return digest.hexdigest()


class LeftOut(NamedTuple):
    """A member of an uploaded archive that was not unpacked, and why."""

    #: its path under the folder it was unpacked to ("" when it had no place there: an unsafe path)
    rel: str
    notice: Notice


def unpack_archive(zip_path: str | Path, dest: str | Path, limits: Limits | None = None) -> list[LeftOut]:
    """Write a ZIP of DCEs (one folder or ZIP per market) to `dest`, safely.

    The same rules as reading a DCE: no absolute path, no `../`, no link, no encrypted
    member, bounded total size, ratio and file count.  Nested ZIPs (a market's own ZIP) are
    kept as files: the checker expands them when it reads the market.  A single top folder
    holding the market folders is stepped into.  Returns the members left out (damaged,
    encrypted, unsafe), for `market_notices` to tell the markets they belonged to.
    """
    import shutil

    from achat_check.ingest.archive import (
        JUNK_PARTS,
        cut_name,
        decode_name,
        open_zip,
        rebuilt_notice,
        unsafe_reason,
    )
    from achat_check.ingest.sniff import ZIP_ERRORS
    from achat_check.settings import get_limits

    limits = limits or get_limits()
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    left: list[LeftOut] = []
    zf, rebuilt = open_zip(Path(zip_path), str(zip_path), limits)
    if rebuilt is not None:  # what follows the cut is lost: the job says it; the file cut, its market
        left.append(LeftOut("", rebuilt_notice(rebuilt, str(zip_path))))
    # the file the cut went through, unless it is read up to the cut (a PDF, DOCX, ODT or ZIP: its reader says so)
    cut = cut_name(rebuilt) if rebuilt is not None and not rebuilt.partial else None
    budget = limits.zip_max_total_mb << 20
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > limits.zip_max_files:
            raise AchatCheckError("AC-E006", f"l'archive contient {len(infos)} fichiers (au plus {limits.zip_max_files}).", str(zip_path))
        names = [(decode_name(i), i) for i in infos]
        tops = {n.replace("\\", "/").split("/")[0] for n, _ in names}
        strip = len(tops) == 1 and all("/" in n.replace("\\", "/") for n, _ in names)
        if cut:  # the file the cut went through: its market says it was not read
            norm = cut.replace("\\", "/")
            left.append(LeftOut(norm.split("/", 1)[1] if strip and "/" in norm else norm,
                                notice("AC-E004", f"« {cut} » coupé par la fin de l'archive : non lu ; téléchargez "
                                                  "l'archive à nouveau.", str(zip_path))))
        for name, info in names:
            norm = name.replace("\\", "/")
            if any(j in norm for j in JUNK_PARTS):
                continue
            unsafe = unsafe_reason(norm, info)
            rel = "" if unsafe else (norm.split("/", 1)[1] if strip else norm)
            reason = unsafe or ("élément chiffré" if info.flag_bits & 0x1 else None)
            if reason:
                left.append(LeftOut(rel, Notice(code="AC-W005", path=str(zip_path), message=f"élément ignoré ({reason}) : « {name} ».")))
                continue
            if info.file_size > 1 << 20 and info.file_size / max(info.compress_size, 1) > limits.zip_max_ratio:
                raise AchatCheckError("AC-E006", f"« {name} » se décompresse au-delà du taux permis : archive suspecte, non lue.", str(zip_path))
            target = (dest / rel).resolve()
            if not str(target).startswith(str(dest.resolve())):
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                budget = _copy_member(zf, info, target, budget)
            except ZIP_ERRORS as exc:  # one damaged member: the others are markets to check
                target.unlink(missing_ok=True)
                left.append(LeftOut(rel, notice("AC-E004", f"« {name} » illisible dans l'archive ({library_reason(exc)}) : ignoré ; téléchargez "
                                                        "l'archive à nouveau.", str(zip_path))))
                continue
            if budget < 0:
                shutil.rmtree(dest, ignore_errors=True)
                raise AchatCheckError("AC-E006", f"archive de plus de {limits.zip_max_total_mb} Mo une fois décompressée.", str(zip_path))
    return left


def market_notices(folder: str | Path, markets: list[tuple[str, list[str]]],
                   left: Sequence[LeftOut]) -> tuple[list[tuple[str, list[str]]], dict[str, list[Notice]]]:
    """Tell each market of an archive unpacked to `folder` the members of its own left out.

    A member inside a market's folder makes that market read in part (its notice names the
    file as the market sees it); a market's own ZIP that could not be unpacked is still a
    market, recorded failed with the reason when the job runs, instead of vanishing from
    the results.  Returns the markets (with those lost ones) and the notices by market id.
    """
    by_entry = {Path(paths[0]).name: mid for mid, paths in markets if len(paths) == 1}
    told: dict[str, list[Notice]] = {}
    for rel, said in left:
        top, _, inner = rel.partition("/")
        if top not in by_entry and top.lower().endswith(ARCHIVE_SUFFIXES) and not inner:
            markets = unique_ids([*markets, (readable_name(Path(top).stem), [str(Path(folder) / top)])])
            by_entry[top], inner = markets[-1][0], top
        if top in by_entry and inner:
            told.setdefault(by_entry[top], []).append(said.model_copy(update={"path": inner}))
    return markets, told


def _copy_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, budget: int) -> int:
    """Copy one member to `target`; the budget left (negative: stopped once it ran out)."""
    with zf.open(info) as src, target.open("wb") as out:
        while chunk := src.read(CHUNK):
            budget -= len(chunk)
            if budget < 0:
                return budget
            out.write(chunk)
    return budget
