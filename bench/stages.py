"""Where a batch worker's time goes: each stage of a market's check against plain pypdfium2.

    python bench/stages.py [--markets 30]

Generates markets as `bench/batch.py` does and checks them in this process, as a batch
worker does (documents read by a reader process, pipeline and rules built once), timing
each stage; best of two passes.  Stages: reading and structure (`ingest`), detection
(`Analyzer.scan`), facts and criteria (`market.assemble`), checks, open data and JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from common import ROOT  # noqa: I001


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--markets", type=int, default=30)
    args = ap.parse_args()
    sys.path[:0] = [str(ROOT / "src"), str(ROOT), str(ROOT / "bench")]
    from achat_check.batch.runner import MALLOC_TUNABLES

    if os.environ.get("GLIBC_TUNABLES") != MALLOC_TUNABLES:  # as in the batch workers
        os.environ["GLIBC_TUNABLES"] = MALLOC_TUNABLES
        os.execv(sys.executable, [sys.executable, *sys.argv])
    from achat_check.ingest.guard import use_reader_process

    use_reader_process()
    import batch

    from achat_check import market
    from achat_check.checker import Checker
    from achat_check.checks import run_checks
    from achat_check.checks.opendata import open_data
    from achat_check.ingest import ingest
    from achat_check.model import DocumentReport, MarketReport

    with tempfile.TemporaryDirectory() as tmp:
        dirs = batch.generate(Path(tmp), args.markets)
        checker = Checker()
        checker.check(sorted(dirs[0].iterdir()))  # warm
        best: dict[str, float] = {}
        for _ in range(2):
            cur: dict[str, float] = {}
            files = [f for d in dirs for f in sorted(d.iterdir())]
            t = time.perf_counter()
            pages = sum(batch._read_plain(str(f)) for f in files)
            cur["plain_pypdfium2"] = time.perf_counter() - t
            for d in dirs:
                paths = sorted(d.iterdir())
                t0 = time.perf_counter()
                ing = ingest(paths)
                t1 = time.perf_counter()
                scored = [s for doc in ing.documents for s in checker.analyzer.scan(doc)]
                t2 = time.perf_counter()
                report = MarketReport(rulebook=checker.rulebook, rules_version=checker.analyzer.version,
                                      source=[str(p) for p in paths], documents=[DocumentReport.of(x) for x in ing.documents],
                                      errors=ing.notices)
                market.assemble(report, ing.documents, scored)
                t3 = time.perf_counter()
                run_checks(report, checker.analyzer.ruleset, replace(checker.context, documents=ing.documents))
                report.decp = open_data(report)
                report.model_dump_json()
                t4 = time.perf_counter()
                for key, dt in (("reading_and_structure", t1 - t0), ("detection", t2 - t1),
                                ("facts_and_criteria", t3 - t2), ("checks_and_json", t4 - t3)):
                    cur[key] = cur.get(key, 0.0) + dt
            best = {k: min(v, best.get(k, v)) for k, v in cur.items()}
        plain = best["plain_pypdfium2"]
        total = sum(v for k, v in best.items() if k != "plain_pypdfium2")
        print(json.dumps({
            "markets": len(dirs), "pages": pages,
            "seconds": {k: round(v, 3) for k, v in best.items()},
            "times_plain": {k: round(v / plain, 2) for k, v in best.items() if k != "plain_pypdfium2"},
            "check_vs_plain": round(total / plain, 2),
        }, indent=2))


if __name__ == "__main__":
    main()
