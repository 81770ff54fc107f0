"""Batch throughput: 1 and 2 local workers, Dask LocalCluster(2), against plain pypdfium2.

    python bench/batch.py [--markets 1000] [--skip-dask]

Generates `--markets` DCEs of 3 PDF documents each (RC, CCAP, CCTP of 10 to 60 pages) from
the corpus sources (corpus/src/*/*.mk), padded with articles we wrote for the purpose and
varied by a fixed seed; documents come from a pool of variants, hard-linked into each
market's folder.  Measured in the same run:
  - plain: every file read with pypdfium2 (text of every page), one process per core;
  - the batch (cache off) with 1 worker, 2 workers, and Dask LocalCluster(2 workers set up
    as the README advises: our modules preloaded, Dask's sampling profiler off);
  - the peak resident memory of a worker.
This shared machine's speed drifts by a third within minutes (plain reading took 51.8 s
and 69.6 s in two runs of one afternoon), so each ratio compares runs made close together:
the plain reading runs just before and just after the 2-worker scan, then Dask and the
2-worker scan alternate (Dask, local, Dask), and the 1-worker scan comes last.  Each side
of the scan/plain and Dask/local ratios is its best run (two plain readings, two 2-worker
scans, two Dask scans), as timeit takes the best of its repeats: a third of a run lost to
the machine's drift is not the code's.  The 1/2-worker speedup compares the 1-worker scan
with the first 2-worker scan, as before (one run each way).
Targets (issue 7): 2 workers >= 1.7x the throughput of 1; Dask within 15 % of the local
pool; the 2-worker scan <= 1.5x the plain reading time; peak memory per worker < 500 MB.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT  # noqa: I001

KINDS = {"RC": "RC", "CCAP": "CCAP", "CCTP": "CCTP"}
FILLER = [
    "Le titulaire exécute les prestations dans le respect des délais fixés par le bon de commande et informe sans délai l'acheteur de toute difficulté.",
    "Les prestations font l'objet d'un compte rendu mensuel remis au représentant de l'acheteur, qui précise les interventions réalisées et les anomalies constatées.",
    "Le représentant du titulaire est joignable aux heures ouvrées ; il dispose des pouvoirs nécessaires pour prendre les décisions relatives à l'exécution du marché.",
    "Les locaux sont occupés pendant l'exécution ; le titulaire organise ses interventions de manière à limiter la gêne pour les agents et le public.",
    "Toute modification des conditions d'exécution fait l'objet d'un avenant ou d'une décision de poursuivre, dans les conditions du code de la commande publique.",
    "Le titulaire tient à jour la liste des personnels affectés au marché et la communique à l'acheteur à chaque changement.",
    "Les réunions de suivi se tiennent chaque trimestre dans les locaux de l'acheteur ; le titulaire en rédige le compte rendu.",
    "Les documents remis par le titulaire sont rédigés en langue française et transmis sous forme électronique.",
]


def _sources() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {k: [] for k in KINDS}
    for mk in sorted((ROOT / "corpus" / "src").glob("*/*.mk")):
        for kind in KINDS:
            if mk.stem.upper().startswith(kind):
                out[kind].append(mk.read_text(encoding="utf-8"))
    return out


def _variant(base: str, pages: int, rng: random.Random) -> bytes:
    from corpus import makers

    lines = base.splitlines()
    extra = []
    for art in range(1, pages):
        extra += ["===page===", "", f"# ARTICLE {100 + art} – Dispositions d'exécution n° {art}", ""]
        for _ in range(6):
            extra += [" ".join(rng.sample(FILLER, 3)), ""]
    return makers.make_pdf(makers.parse("\n".join(lines + [""] + extra)))


def generate(folder: Path, markets: int, pool_per_kind: int = 12, seed: int = 11) -> list[Path]:
    """`markets` folders of 3 PDFs; returns the folders."""
    rng = random.Random(seed)
    sources = _sources()
    pool: dict[str, list[Path]] = {}
    (folder / "pool").mkdir(parents=True)
    for kind, bases in sources.items():
        pool[kind] = []
        for i in range(pool_per_kind):
            pages = 10 + round(50 * i / max(1, pool_per_kind - 1))  # 10 to 60 pages
            path = folder / "pool" / f"{kind}-{i:02d}.pdf"
            path.write_bytes(_variant(bases[i % len(bases)], pages, rng))
            pool[kind].append(path)
    dirs = []
    for n in range(markets):
        d = folder / "archive" / f"marche-{n:04d}"
        d.mkdir(parents=True)
        for kind in KINDS:
            os.link(rng.choice(pool[kind]), d / f"{kind}.pdf")
        dirs.append(d)
    return dirs


def _read_plain(path: str) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            page.get_textpage().get_text_range()
        return len(pdf)
    finally:
        pdf.close()


def plain(files: list[Path], procs: int) -> tuple[float, int]:
    t = time.perf_counter()
    # spawn, not forkserver: the batch's forkserver must start later, from the batch, with
    # the modules its workers preload (a forkserver started here would serve it without)
    with mp.get_context("spawn").Pool(procs) as p:
        pages = sum(p.map(_read_plain, [str(f) for f in files], chunksize=16))
    return time.perf_counter() - t, pages


def scan(archive: Path, db: Path, backend) -> tuple[float, int]:
    from achat_check.batch import Store, discover, new_job, run_job

    store = Store(str(db))
    markets, _ = discover(archive)
    job = new_job(store, str(archive), markets, "rso-2025", backend.name, getattr(backend, "workers", 0))
    t = time.perf_counter()
    progress = run_job(store, job.id, backend, use_cache=False)
    return time.perf_counter() - t, progress.failed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--markets", type=int, default=1000)
    ap.add_argument("--skip-dask", action="store_true")
    args = ap.parse_args()
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    from achat_check.batch import DaskBackend, LocalPool
    from achat_check.batch.runner import MALLOC_TUNABLES

    # the batch workers read with these malloc settings: the plain reading gets them too
    os.environ.setdefault("GLIBC_TUNABLES", MALLOC_TUNABLES)

    cores = os.cpu_count() or 2
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        t = time.perf_counter()
        dirs = generate(root, args.markets)
        gen_s = time.perf_counter() - t
        files = [f for d in dirs for f in sorted(d.iterdir())]
        plain_before, pages = plain(files, cores)
        result = {"markets": len(dirs), "documents": len(files), "pages": pages, "generation_seconds": round(gen_s, 1),
                  "cores": cores, "plain_before_seconds": plain_before}
        two = LocalPool(2)
        result["local_2_seconds"], failed = scan(root / "archive", root / "two.db", two)
        result["plain_after_seconds"], _ = plain(files, cores)
        if not args.skip_dask:
            import dask
            from distributed import Client, LocalCluster

            from achat_check.batch.dask_worker import WORKER_CONFIG

            # workers set up as the README advises: our modules preloaded, Dask's sampling
            # profiler off (achat_check.batch.dask_worker)
            with dask.config.set(WORKER_CONFIG), \
                    LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
                    Client(cluster) as client:
                result["dask_2_seconds"], fd = scan(root / "archive", root / "dask.db", DaskBackend(client))
                # the local pool again, between two Dask scans: alternated, the two backends
                # meet the same moments of the machine (a single pair was 0.95 and 1.26 on
                # unchanged code, in runs a day apart)
                again = LocalPool(2)
                result["local_2_after_dask_seconds"], fa = scan(root / "archive", root / "two-again.db", again)
                client.restart()  # fresh Dask workers, as each local scan starts its own
                result["dask_2_again_seconds"], fd2 = scan(root / "archive", root / "dask-again.db", DaskBackend(client))
            failed += fd + fa + fd2
            two.peak_rss_mb = max(two.peak_rss_mb, again.peak_rss_mb)
        one = LocalPool(1)
        result["local_1_seconds"], f1 = scan(root / "archive", root / "one.db", one)
        result["peak_rss_mb_per_worker"] = round(max(one.peak_rss_mb, two.peak_rss_mb), 1)
        result["failed_markets"] = failed + f1
        result["plain_pypdfium2_seconds"] = min(result["plain_before_seconds"], result["plain_after_seconds"])
        for k in list(result):
            if k.endswith("_seconds"):
                result[k] = round(result[k], 2)
        # targets are judged on the ratios themselves, not on their rounded print (74.05 / 64.30
        # = 1.152 printed « 1.15 » once passed « within 15 % »)
        best_local_2 = min(result["local_2_seconds"], result.get("local_2_after_dask_seconds", result["local_2_seconds"]))
        speedup = result["local_1_seconds"] / result["local_2_seconds"]
        scan_ratio = best_local_2 / result["plain_pypdfium2_seconds"]
        result["speedup_2_vs_1"] = round(speedup, 3)
        result["scan_vs_plain"] = round(scan_ratio, 3)
        result["pages_per_second_2_workers"] = round(pages / best_local_2, 1)
        targets = {"speedup_at_least_1_7": speedup >= 1.7,
                   "scan_at_most_1_5x_plain": scan_ratio <= 1.5,
                   "worker_under_500_mb": result["peak_rss_mb_per_worker"] < 500}
        if "dask_2_seconds" in result:
            dask_ratio = min(result["dask_2_seconds"], result["dask_2_again_seconds"]) / best_local_2
            result["dask_vs_local"] = round(dask_ratio, 3)
            targets["dask_within_15_percent"] = dask_ratio <= 1.15
        result["targets"] = targets
        print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
