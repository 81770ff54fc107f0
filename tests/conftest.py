"""Shared fixtures: sample paths, limits, and file factories from corpus.makers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from achat_check.settings import Limits

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpus" / "samples"
REAL_DCE = ROOT.parent / "shared" / "real" / "dce"

#: an RC that writes no date (a DCE archived without its notice): a register's date places it
UNDATED_RC = (
    "# RÈGLEMENT DE LA CONSULTATION\n\n# Article 1 – Objet\n\nLa consultation a pour objet l'entretien des espaces verts.\n\n"
    "# Article 2 – Procédure\n\nLa consultation est passée selon la procédure de l'appel d'offres ouvert (articles R. 2124-2 et "
    "R. 2161-2 du code de la commande publique).\n\n# Article 3 – Jugement des offres\n\n"
    "| Critère | Pondération |\n| Prix | 60 % |\n| Valeur technique | 40 % |\n"
)


@pytest.fixture(scope="session")
def samples() -> Path:
    return SAMPLES


@pytest.fixture()
def limits() -> Limits:
    return Limits(doc_timeout=60, max_pages=1000)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def edit_package(data: bytes, edits: dict[str, Callable[[bytes], bytes]]) -> bytes:
    """An Office or OpenDocument package with some parts rewritten (`edits`: part name →
    function of its bytes): a damaged, encrypted or hostile variant of a generated one."""
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w") as out:
        for info in src.infolist():
            part = src.read(info)
            out.writestr(info, edits[info.filename](part) if info.filename in edits else part)
    return buf.getvalue()


def run_cli(*args: str, timeout: float = 300):
    """Run `achat-check` as a user would, from this checkout's sources."""
    import os
    import subprocess
    import sys

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT), env.get("PYTHONPATH", "")])
    return subprocess.run(
        [sys.executable, "-m", "achat_check.cli", *args], capture_output=True, text=True, env=env, timeout=timeout
    )


def pdf_with_the_catalog_last(pages: list[str]) -> bytes:
    """A PDF written as Word and LibreOffice write theirs: each page's content and page
    object first, the page tree and the catalog at the end (lost by a cut)."""
    objects = [b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    tree = 2 + 2 * len(pages)
    for text in pages:
        stream = b"BT /F1 12 Tf 72 720 Td (%s) Tj ET" % text.encode("cp1252")
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        objects.append(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 1 0 R >> >> >>" % (tree, len(objects)))
    kids = b" ".join(b"%d 0 R" % (3 + 2 * k) for k in range(len(pages)))
    objects.append(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(pages)))
    objects.append(b"<< /Type /Catalog /Pages %d 0 R >>" % tree)
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, tree + 1, xref)
    return bytes(out)
