"""What `achat-check batch` shows: the progress bar, and a job's status, results and exports."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

from achat_check.batch.runner import Progress as Counts
from achat_check.batch.runner import run_job
from achat_check.batch.store import Market, Report, Store
from achat_check.errors import AchatCheckError

ROW_FIELDS = [
    "market_id", "status", "error", "seconds", "documents", "env_consideration", "env_criterion", "social_consideration",
    "social_criterion", "insertion_clause", "facilitator", "reserved", "in_scope", "amount_ht", "insertion_hours", "procedure",
    "consultation_date", "obligations_failed", "recommendations_missed", "content_hash", "paths",
]
err = Console(stderr=True, soft_wrap=True)  # file paths are never cut across lines


def run_with_progress(store: Store, job_id: str, backend, use_cache: bool = True) -> Counts:
    """Run the job with a progress bar: markets done, failed, cached, rate and time left."""
    job = store.job(job_id)
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), TaskProgressColumn(),
               TextColumn("{task.fields[detail]}"), TimeRemainingColumn())
    with Progress(*columns, console=err, transient=False) as bar:
        task = bar.add_task(f"Travail {job_id}", total=job.total, detail="")

        def show(p: Counts) -> None:
            elapsed = max(1e-6, _elapsed(p))
            rate = (p.done + p.failed) / elapsed * 60
            bar.update(task, completed=p.finished,
                       detail=f"{p.done} vérifiés · {p.failed} échecs · {p.cached} en cache · {rate:.1f} marchés/min")

        counts = run_job(store, job_id, backend, use_cache, on_progress=show)
        show(counts)
    return counts


def _elapsed(p: Counts) -> float:
    import time

    return time.monotonic() - p.started


def action(store: Store, name: str, args: list[str], fmt: str, status: str | None, out: Path | None) -> None:
    """list, status JOB, results JOB, export JOB."""
    if name == "list":
        for job in store.jobs():
            counts = store.counts(job.id)
            sys.stdout.write(f"{job.id}  {job.created_at:%Y-%m-%d %H:%M}  {job.status:<11} {_summary(counts, job.total)}  {job.source}\n")
        return
    if not args:
        raise AchatCheckError("AC-E016", f"`achat-check batch {name} JOB` : indiquez le travail (voir `achat-check batch list`).")
    job = store.job(args[0])
    if name == "status":
        counts = store.counts(job.id)
        sys.stdout.write(
            f"Travail {job.id} ({job.status}) — {job.source}\n"
            f"référentiel {job.rulebook}, règles {job.rules_version}, outil {job.tool_version}, exécution {job.backend}\n"
            f"{_summary(counts, job.total)}\n"
        )
        for m, _ in store.results(job.id, "failed"):
            sys.stdout.write(f"  échec {m.market_id} : {m.error}\n")
        return
    if name == "results":
        text = to_jsonl(store, job.id, status) if fmt == "jsonl" else to_csv(store, job.id, status)
        _write(text, out)
        return
    if out is None:
        raise AchatCheckError("AC-E016", "export : --out DOSSIER (rapports JSON pour `indicators --reports`) ou --out fichier.xlsx/.csv/.jsonl")
    export(store, job.id, out)


def _summary(counts: dict[str, int], total: int) -> str:
    done, cached, failed, pending = (counts.get(k, 0) for k in ("done", "cached", "failed", "pending"))
    return f"{done + cached + failed}/{total} : {done} vérifiés, {cached} en cache, {failed} échecs, {pending} à faire"


def result_row(m: Market, r: Report | None) -> dict:
    """A market's row: status and the columns the indicators use."""
    row = {"market_id": m.market_id, "status": m.status, "error": m.error or "", "seconds": m.seconds,
           "content_hash": m.content_hash or "", "paths": " ".join(json.loads(m.paths))}
    for f in ROW_FIELDS:
        if r is not None and hasattr(r, f) and f not in row:
            value = getattr(r, f)
            row[f] = value.isoformat() if hasattr(value, "isoformat") else value
        row.setdefault(f, None)
    return row


def to_jsonl(store: Store, job_id: str, status: str | None = None) -> str:
    """One JSON object per market (its row, and its full report when it has one)."""
    lines = []
    for m, r in store.results(job_id, status):
        row = result_row(m, r)
        if r is not None:
            report = json.loads(r.report_json)
            report["market_id"] = m.market_id
            row["report"] = report
        lines.append(json.dumps(row, ensure_ascii=False))
    return "\n".join(lines) + ("\n" if lines else "")


def to_csv(store: Store, job_id: str, status: str | None = None) -> str:
    """One row per market with the columns the indicators use."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=ROW_FIELDS, delimiter=";", extrasaction="ignore")
    w.writeheader()
    for m, r in store.results(job_id, status):
        w.writerow(result_row(m, r))
    return buf.getvalue()


def to_xlsx(store: Store, job_id: str) -> bytes:
    """A workbook with one row per market (the columns of to_csv)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Marchés")
    ws.append(ROW_FIELDS)
    for m, r in store.results(job_id):
        row = result_row(m, r)
        ws.append([row[f] for f in ROW_FIELDS])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def export(store: Store, job_id: str, out: Path) -> None:
    """.xlsx, .csv or .jsonl file; or a folder of `<market>.json` reports for `indicators --reports`."""
    suffix = out.suffix.lower()
    if suffix == ".jsonl":
        _write(to_jsonl(store, job_id), out)
    elif suffix == ".csv":
        _write(to_csv(store, job_id), out)
    elif suffix == ".xlsx":
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(to_xlsx(store, job_id))
        err.print(f"Écrit : {out}")
    else:
        out.mkdir(parents=True, exist_ok=True)
        n = 0
        for m, r in store.results(job_id):
            if r is None:
                continue
            report = json.loads(r.report_json)
            report["market_id"] = m.market_id
            safe = "".join(c if c.isalnum() or c in "-_.#" else "_" for c in m.market_id)
            (out / f"{safe}.json").write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
            n += 1
        err.print(f"Écrit : {n} rapport(s) dans {out} (pour `achat-check indicators --reports {out}`)")


def _write(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    err.print(f"Écrit : {out}")
