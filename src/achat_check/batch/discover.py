"""Which markets a batch holds, and the content hash that lets an unchanged DCE reuse its report."""

from __future__ import annotations

import hashlib
from pathlib import Path

from achat_check.errors import AchatCheckError
from achat_check.model import Notice

CHUNK = 1 << 20
ARCHIVE_SUFFIXES = (".zip",)


def discover(archive: str | Path) -> tuple[list[tuple[str, list[str]]], list[Notice]]:
    """One market per subfolder or ZIP of the archive folder (its name is the market id).

    Loose files at the top of the archive belong to no market: they are listed, not guessed.
    """
    root = Path(archive)
    if not root.is_dir():
        raise AchatCheckError("AC-E001", "dossier d'archive introuvable : donnez un dossier dont chaque sous-dossier ou ZIP est un marché.", str(root))
    markets, notices = [], []
    for entry in sorted(root.iterdir(), key=lambda p: p.name):
        if entry.name.startswith("."):
            continue
        if entry.is_dir() or entry.suffix.lower() in ARCHIVE_SUFFIXES:
            markets.append((entry.stem if entry.is_file() else entry.name, [str(entry)]))
        else:
            notices.append(Notice(code="AC-W008", path=str(entry), message="fichier hors de tout dossier de marché : ignoré (rangez-le dans le dossier ou le ZIP de son marché)."))
    seen: dict[str, int] = {}
    for i, (mid, paths) in enumerate(markets):  # "lot1" folder and "lot1.zip" side by side
        if mid in seen:
            markets[i] = (f"{mid}#{seen[mid] + 1}", paths)
        seen[mid] = seen.get(mid, 0) + 1
    return markets, notices


def from_register(register: str | Path) -> tuple[list[tuple[str, list[str]]], list[Notice]]:
    """The markets of a register that name their DCE (column `dce`)."""
    from achat_check.indicators.registers import load_markets

    issues: list = []
    records = load_markets(register, issues)
    markets = [(m.id, [m.dce]) for m in records if m.dce and m.id]
    notices = [Notice(code="AC-W008", path=str(register), message=f"{m.source} : marché {m.id or '?'} sans DCE (colonne dce vide), non vérifié.")
               for m in records if not m.dce]
    return markets, notices


def content_hash(paths: list[str]) -> str:
    """SHA-256 of a DCE's files (names relative to the market, and bytes), in a stable order."""
    digest = hashlib.sha256()
    for path in paths:
        p = Path(path)
        files = sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p]
        for f in files:
            rel = f.relative_to(p).as_posix() if p.is_dir() else f.name
            digest.update(rel.encode() + b"\0")
            try:
                with f.open("rb") as fh:
                    while chunk := fh.read(CHUNK):
                        digest.update(chunk)
            except OSError:
                digest.update(b"<illisible>")
            digest.update(b"\0")
    return digest.hexdigest()
