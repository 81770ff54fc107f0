"""Helpers shared by the benchmarks: real DCE discovery, timing, generated documents."""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
REAL_DCE = ROOT.parent / "shared" / "real" / "dce"


def real_dce_folders() -> list[Path]:
    """Folders of ../shared/real/dce (empty when absent)."""
    if not REAL_DCE.is_dir():
        return []
    return sorted(p for p in REAL_DCE.iterdir() if p.is_dir())


def timed(fn, *args, **kwargs):
    """(result, seconds) of one call."""
    t = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t


def peak_rss_mb_children() -> float:
    """Peak resident memory of the waited-for child processes, in MB."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def long_pdf(pages: int = 200) -> bytes:
    """A dense text PDF of about `pages` pages, with a criteria table and running lines."""
    from corpus import makers

    para = (
        "Le titulaire exécute les prestations conformément au présent cahier des charges. "
        "Il met en œuvre les moyens humains et matériels nécessaires, assure le suivi des "
        "interventions et remet chaque mois un rapport d'activité détaillé à l'acheteur. "
    ) * 3
    parts = ["@title CAHIER DES CLAUSES TECHNIQUES PARTICULIÈRES", "@header Bench – CCTP", "@footer Page {page} sur {pages}", ""]
    for art in range(1, pages + 1):
        parts += [f"# ARTICLE {art} – Dispositions de l'article {art}", "", para, "", para, "", para, "", para, ""]
        if art == 5:
            parts += ["| Critère | Pondération |", "| Prix | 60 % |", "| Valeur technique | 40 % |", ""]
        parts += ["===page===", ""]
    return makers.make_pdf(makers.parse("\n".join(parts)))
