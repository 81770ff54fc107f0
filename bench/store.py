"""A large job's results: pages, exports and indicators read from the store.

    python bench/store.py [--markets 10000]

A purchasing department scans thousands of past markets, then reads the results through
the API, exports them and computes the indicators from the store.  This bench fills a
SQLite store with one job of `--markets` markets, each with its own report (the reports of
the seven sample DCEs, each stored once per market under its own content hash, as distinct
DCEs would be), then measures, each in a fresh process (time and peak resident memory):
  - one page of 50 results through the API, in the middle of the job (`GET /v1/batches/{id}/results`);
  - the job with its counts per failed check (`GET /v1/batches/{id}`, what the lot page polls),
    and the first page of the markets failing one check (`?failing=payment.delay`);
  - `achat-check batch results JOB --format jsonl --out FILE` (every report);
  - `achat-check batch export JOB --out FILE.xlsx`;
  - `GET /v1/indicators?year=2026` (every market's latest report).
No target is set by an issue: the figures show how these scale (they held whole jobs in
memory before: 3 GB for the JSON lines and 2.8 GB for the indicators of 10,000 markets).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from common import ROOT  # noqa: I001

PROBE = r"""
import json, resource, sys, time
sys.path[:0] = [{src!r}, {root!r}]
started = time.perf_counter()
what, db, job, page = sys.argv[1:5]
if what in ("page", "job", "failing", "indicators"):
    import api
    from api.settings import ApiSettings
    from fastapi.testclient import TestClient
    app = api.create_app(ApiSettings(db=db, data_dir=sys.argv[5]), start_services=False)
    url = {{"page": f"/v1/batches/{{job}}/results?page={{page}}&per_page=50", "job": f"/v1/batches/{{job}}",
           "failing": f"/v1/batches/{{job}}/results?failing=payment.delay&per_page=50",
           "indicators": "/v1/indicators?year=2026"}}[what]
    with TestClient(app) as c:
        t = time.perf_counter()
        r = c.get(url)
        assert r.status_code == 200, r.text
        size = len(r.content)
        seconds = time.perf_counter() - t
else:
    from achat_check.cli import main
    out = sys.argv[5]
    args = ["batch", "results", job, "--format", "jsonl", "--out", out] if what == "jsonl" else ["batch", "export", job, "--out", out]
    sys.argv = ["achat-check", *args, "--db", db]
    t = time.perf_counter()
    try:
        main()
    except SystemExit as exc:
        assert not exc.code, exc.code
    seconds = time.perf_counter() - t
    import os
    size = os.path.getsize(out)
print(json.dumps({{"seconds": round(seconds, 2), "bytes": size,
                  "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}}))
"""


def sample_reports() -> list[str]:
    """The stored JSON of the seven sample DCEs' reports."""
    from achat_check.batch.stored import StoredReport
    from achat_check.checker import Checker

    checker = Checker()
    folders = sorted(p for p in (ROOT / "corpus" / "samples").iterdir() if p.is_dir())
    return [StoredReport.of(checker.check([f])) for f in folders]


def fill(db: Path, markets: int) -> str:
    """A job of `markets` markets, each with its own report row; returns the job id."""
    from sqlalchemy import insert, update

    from achat_check.batch import Store, new_job
    from achat_check.batch.store import Market, Report

    store = Store(str(db))
    reports = sample_reports()
    job = new_job(store, "archive", [(f"marche-{i:05d}", [f"/archive/marche-{i:05d}"]) for i in range(markets)],
                  "rso-2025", "local:2", 2)
    with store.engine.begin() as c:
        ids = [m.id for m in store.todo(job.id)]
        for n, pk in enumerate(ids):
            stored = reports[n % len(reports)]
            report = json.loads(stored.report_json)
            report["market_id"], report["source"] = f"marche-{n:05d}", [f"/archive/marche-{n:05d}"]
            row = c.execute(insert(Report).values(
                content_hash=f"{n:064x}", rulebook=stored.rulebook, rules_version=stored.rules_version,
                tool_version=stored.tool_version, created_at=job.created_at, report_json=json.dumps(report, ensure_ascii=False),
                **stored.columns))
            c.execute(update(Market).where(Market.id == pk).values(status="done", report_id=row.inserted_primary_key[0], seconds=0.2))
    store.set_job_status(job.id, "done")
    return job.id


def probe(what: str, db: Path, job: str, extra: str, page: int = 1) -> dict:
    code = PROBE.format(src=str(ROOT / "src"), root=str(ROOT))
    proc = subprocess.run([sys.executable, "-c", code, what, str(db), job, str(page), extra], capture_output=True, text=True, check=False)
    if proc.returncode:
        raise SystemExit(f"{what}: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--markets", type=int, default=10_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        db = root / "lots.db"
        job = fill(db, args.markets)
        result = {"markets": args.markets, "store_mb": round(db.stat().st_size / 2**20)}
        result["api_results_page"] = probe("page", db, job, str(root / "data"), page=max(1, args.markets // 100))  # the middle
        result["api_job_with_failing_counts"] = probe("job", db, job, str(root / "data"))
        result["api_results_failing_one_check"] = probe("failing", db, job, str(root / "data"))
        result["results_jsonl"] = probe("jsonl", db, job, str(root / "lots.jsonl"))
        result["export_xlsx"] = probe("xlsx", db, job, str(root / "lots.xlsx"))
        result["api_indicators"] = probe("indicators", db, job, str(root / "data"))
        print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
