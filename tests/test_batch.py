"""Batch scans: the store (SQLite, and PostgreSQL when ACHAT_CHECK_TEST_PG is set), the local
pool with failing markets, kill-and-resume, the cache, and the Dask backend on a LocalCluster."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.exc import SQLAlchemyError

from achat_check.batch import (
    DaskBackend,
    LocalPool,
    Store,
    content_hash,
    discover,
    interrupt,
    new_job,
    run_job,
)
from achat_check.batch.cli_support import action, to_csv, to_xlsx
from achat_check.batch.runner import Outcome, Task
from achat_check.batch.stored import StoredReport
from achat_check.errors import AchatCheckError
from achat_check.model import DocumentReport, Finding, MarketReport, Notice
from tests.conftest import ROOT, SAMPLES, UNDATED_RC, run_cli

PG_URL = os.environ.get("ACHAT_CHECK_TEST_PG")
FAST = ["espaces-verts-reserve", "gardiennage-urssaf", "informatique-cpam"]


def archive(tmp_path: Path, names: list[str], copies: int = 1) -> Path:
    root = tmp_path / "archive"
    root.mkdir(exist_ok=True)
    for k in range(copies):
        for name in names:
            target = root / (name if copies == 1 else f"{name}-{k:02d}")
            shutil.copytree(SAMPLES / name, target)
            if copies > 1:  # each copy is another market, with other content (no cache hit between them)
                (target / "NOTE.txt").write_text(f"Pièce annexe n° {k}\n", encoding="utf-8")
    return root


def fresh_pg() -> Store:
    from sqlalchemy import create_engine, text

    engine = create_engine(PG_URL)
    with engine.begin() as c:
        c.execute(text("DROP TABLE IF EXISTS document_errors, markets, reports, jobs, alembic_version CASCADE"))
    engine.dispose()
    return Store(PG_URL)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path) -> Store:
    if request.param == "postgresql":
        if not PG_URL:
            pytest.skip("ACHAT_CHECK_TEST_PG non défini (.ci/run démarre PostgreSQL et le définit)")
        return fresh_pg()
    return Store(str(tmp_path / "achat-check.db"))


def test_migrations_build_exactly_the_models(store):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from achat_check.batch.store import Base

    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    if store.url.startswith("sqlite"):
        path = store.url.removeprefix("sqlite:///")
        assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def store_made_at(tmp_path: Path, revision: str, status: str, markets: list[tuple[str, list[str]]] = ()) -> Store:
    """A store made by an older release (schema at `revision`), holding the job « ancien »
    with these pending markets, opened (so upgraded) by today's Store."""
    from sqlalchemy import create_engine, text

    from achat_check.batch.migrations import upgrade

    db = tmp_path / "achat-check.db"
    engine = create_engine(f"sqlite:///{db}")
    upgrade(engine, revision)
    with engine.begin() as c:
        c.execute(text("INSERT INTO jobs (id, created_at, status, source, rulebook, rules_version, tool_version, backend, workers, total) "
                       "VALUES ('ancien', '2026-11-25 10:00:00', :s, 'archive', 'rso-2025', 'r1', '0.1.0', 'local:1', 1, :n)"),
                  {"s": status, "n": len(markets)})
        for mid, paths in markets:
            c.execute(text("INSERT INTO markets (job_id, market_id, paths, status) VALUES ('ancien', :m, :p, 'pending')"),
                      {"m": mid, "p": json.dumps(paths)})
    engine.dispose()
    return Store(str(db))


def test_a_store_of_the_first_release_is_upgraded_and_its_jobs_kept(tmp_path):
    """Migration 0002 adds the jobs' notices: a job stored before has none, and is read."""
    store = store_made_at(tmp_path, "0001", "done")
    assert store.job("ancien").notice_list() == []
    job = new_job(store, "archive", [("M-1", [str(tmp_path)])], "rso-2025", "local:1", 1,
                  [Notice(code="AC-W008", path="archive/notes.txt", message="fichier hors de tout dossier de marché : ignoré.")])
    assert [(n.code, n.path) for n in store.job(job.id).notice_list()] == [("AC-W008", "archive/notes.txt")]


def test_status_says_an_archive_read_whole_was_repaired_not_left_out(tmp_path):
    """A « lots.zip » sent to the API whose sommaire was damaged lost nothing (AC-W012): the
    status listed it under « laissé de côté »."""
    from achat_check.errors import notice

    db = tmp_path / "achat-check.db"
    repaired = notice("AC-W012", "sommaire de l'archive abîmé : ses 2 fichiers ont été lus d'après leurs propres "
                                 "en-têtes, rien n'est perdu.", "lots.zip")
    job = Store(str(db)).create_job("lots.zip", "rso-2025", "1", "1", "local", 1, [], notices=[repaired])
    status = run_cli("batch", "status", job.id, "--db", str(db)).stdout
    assert "  réparé : [AC-W012] lots.zip : sommaire de l'archive abîmé" in status and "laissé de côté" not in status


def test_a_market_stored_before_migration_0007_has_nothing_given_and_resumes(tmp_path):
    """Migration 0007 adds what a register gives beside each DCE: a market pending in a store
    made before has nothing given, and is checked as it was."""
    store = store_made_at(tmp_path, "0006", "interrupted", [("M-1", [str(SAMPLES / FAST[0])])])
    (market,) = store.todo("ancien")
    assert market.given_facts() is None
    assert run_job(store, "ancien", LocalPool(1)).done == 1


def test_status_names_the_files_a_job_left_out(tmp_path):
    root = archive(tmp_path, FAST[:1])
    (root / "notes.txt").write_text("à ranger", encoding="utf-8")
    db = tmp_path / "achat-check.db"
    assert run_cli("batch", str(root), "--db", str(db), "--workers", "1", timeout=600).returncode == 0
    job = Store(str(db)).jobs()[0]
    status = run_cli("batch", "status", job.id, "--db", str(db)).stdout
    assert "laissé de côté : [AC-W008]" in status and "notes.txt" in status
    # the job's state in words, as the web page says it (it read « (done) »)
    assert f"Travail {job.id} (terminé)" in status
    listed = run_cli("batch", "list", "--db", str(db)).stdout
    assert f"{job.id}  {job.created_at:%d/%m/%Y %H:%M}  terminé" in listed and " done " not in listed


def test_markets_read_in_part_are_said_at_the_end_in_status_and_in_their_rows(tmp_path):
    # the same DCE twice, once with a damaged CCTP: what that market lacks proves nothing
    root = archive(tmp_path, FAST[:1])
    damaged = root / "avec-cctp-abime"
    shutil.copytree(root / FAST[0], damaged)
    (damaged / "CCTP.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    db = tmp_path / "achat-check.db"
    proc = run_cli("batch", str(root), "--db", str(db), "--workers", "1", timeout=600)
    assert proc.returncode == 0 and "1 marché(s) lu(s) en partie" in " ".join(proc.stderr.split())
    job = Store(str(db)).jobs()[0]
    # the sample has no CCAP: both markets' checks that read one stay undecided, said at the end too
    assert (f"2 marché(s) au DCE sans toutes ses pièces principales (RC, CCAP, CCTP) : les vérifications qui les lisent "
            f"y restent indéterminées : achat-check batch status {job.id}") in " ".join(proc.stderr.split())
    status = run_cli("batch", "status", job.id, "--db", str(db)).stdout
    assert "1 marché(s) lu(s) en partie" in " ".join(status.split())
    # each command it suggests reads this base (without --db: the default one, « travail inconnu »)
    suggested = re.findall(r"achat-check batch [^\n;)]*", status)  # a command ends its line, its clause or its brackets
    assert len(suggested) >= 2 and all(s.rstrip().endswith(f"--db {db}") for s in suggested), suggested
    rows = {r["market_id"]: r for r in map(json.loads, run_cli("batch", "results", job.id, "--db", str(db)).stdout.splitlines())}
    assert rows["avec-cctp-abime"]["unread"] == "CCTP.pdf" and rows[FAST[0]]["unread"] is None
    assert rows["avec-cctp-abime"]["status"] == "done"  # read in part, not failed: its other files were read
    table = run_cli("batch", "results", job.id, "--db", str(db), "--format", "terminal").stdout
    assert "non lu en entier : CCTP.pdf" in table
    # and the pieces each DCE lacks, on its own line (only the CSV's column said them)
    line = next(x for x in table.splitlines() if f" {FAST[0]} " in x)
    assert "pièces absentes : CCAP │" in " ".join(line.split())


def test_a_member_left_out_before_the_check_is_said_by_its_market(store, tmp_path):
    """An uploaded archive's member that could not be unpacked belonged to one market: its
    report says it was read in part (and its absences prove nothing), a market whose only file
    or own ZIP was lost fails with the reason, and neither shares a report with the same
    files that lost nothing."""
    root = archive(tmp_path, FAST[:1])
    shutil.copytree(root / FAST[0], root / "sans-annexe")
    (root / "vide").mkdir()  # its only member was lost
    from achat_check.errors import notice

    lost = {"sans-annexe": [notice("AC-E004", "« lots/sans-annexe/Annexe.txt » illisible dans l'archive (Bad CRC-32) : ignoré.", "Annexe.txt")],
            "vide": [notice("AC-W005", "élément ignoré (élément chiffré) : « lots/vide/CCTP.pdf ».", "CCTP.pdf")],
            "perdu": [notice("AC-E004", "« lots/perdu.zip » illisible dans l'archive (Bad CRC-32) : ignoré.", "perdu.zip")]}
    markets = [*discover(root)[0], ("perdu", [str(root / "perdu.zip")])]
    job = new_job(store, str(root), markets, "rso-2025", "local:1", 1, market_notices=lost)
    run_job(store, job.id, LocalPool(1))
    rows = {m.market_id: (m, r) for m, r in store.results(job.id)}
    (whole, whole_report), (part, part_report) = rows[FAST[0]], rows["sans-annexe"]
    assert whole.status == part.status == "done" and whole_report.unread is None and part_report.unread == "Annexe.txt"
    assert part.report_id != whole.report_id  # the same files, but not the same DCE
    report = json.loads(part_report.report_json)
    assert any(e["code"] == "AC-E004" and "Annexe.txt" in e["message"] for e in report["errors"])
    assert rows["vide"][0].status == "failed" and "chiffré" in rows["vide"][0].error
    assert rows["perdu"][0].status == "failed" and "perdu.zip" in rows["perdu"][0].error and "introuvable" not in rows["perdu"][0].error


def test_an_uploaded_archive_tells_each_market_its_members_left_out(tmp_path):
    from achat_check.batch.discover import LeftOut, market_notices, unique_ids

    def said(code: str, name: str) -> Notice:
        return Notice(code=code, path="lots.zip", message=f"« {name} » illisible dans l'archive : ignoré.")

    markets = [("M-1", [str(tmp_path / "M-1")]), ("M-2", [str(tmp_path / "M-2.zip")])]
    left = [LeftOut("M-1/pieces/CCTP.pdf", said("AC-E004", "M-1/pieces/CCTP.pdf")), LeftOut("M-3.zip", said("AC-E004", "M-3.zip")),
            LeftOut("", said("AC-W005", "../../etc/passwd")), LeftOut("notes.txt", said("AC-E004", "notes.txt"))]
    got, told = market_notices(tmp_path, markets, left)
    assert got == [*markets, ("M-3", [str(tmp_path / "M-3.zip")])]  # a lost market ZIP is still a market
    assert {mid: [n.path for n in ns] for mid, ns in told.items()} == {"M-1": ["pieces/CCTP.pdf"], "M-3": ["M-3.zip"]}
    assert unique_ids([("lot", ["a"]), ("lot#2", ["b"]), ("lot", ["c"])]) == [("lot", ["a"]), ("lot#2", ["b"]), ("lot#3", ["c"])]


def test_the_stored_report_fills_every_indicator_column():
    """The worker computes the columns: a column added to the table must be filled there too."""
    from achat_check.batch.store import Report

    meta = {"id", "content_hash", "rulebook", "rules_version", "tool_version", "created_at", "report_json"}
    report = MarketReport(rulebook="rso-2025", rules_version="r1", tool_version="0.1")
    report.insertion.hours = 350
    stored = StoredReport.of(report)
    assert set(stored.columns) == {c.name for c in Report.__table__.columns} - meta
    assert stored.columns["insertion_hours"] == 350 and stored.columns["documents"] == 0


def test_a_market_and_its_report_are_committed_together_or_not_at_all(store):
    """A write that fails after the report row (here a document error the schema refuses;
    in a batch, a kill) leaves neither the report nor the market recorded.  On SQLite the
    report used to be committed alone by its savepoint: --resume then took the market as
    cached."""
    from types import SimpleNamespace

    from sqlalchemy.exc import IntegrityError

    job = store.create_job("archive", "rso-2025", "r1", "0.1", "local:1", 1, [("m1", ["/a"])])
    (market,) = store.todo(job.id)
    stored = StoredReport.of(MarketReport(rulebook="rso-2025", rules_version="r1", tool_version="0.1"))
    stored.errors = [SimpleNamespace(path="/a/CCTP.pdf", code=None, message="refusé par le schéma")]
    with pytest.raises(IntegrityError):
        store.save_report(market.id, stored, "h1", 1.0)
    assert store.cached_report("h1", "rso-2025", "r1", "0.1") is None
    assert [m.market_id for m in store.todo(job.id)] == ["m1"]


def test_a_report_stored_meanwhile_by_another_writer_is_shared(store, monkeypatch):
    """Two writers (two API jobs on one base) finish identical DCEs at once: the second
    insert hits the unique index, and its market is recorded with the first one's report."""
    from sqlalchemy.orm import Session

    job = store.create_job("archive", "rso-2025", "r1", "0.1", "local:1", 1, [("m1", ["/a"]), ("m2", ["/b"])])
    m1, m2 = store.todo(job.id)
    stored = StoredReport.of(MarketReport(rulebook="rso-2025", rules_version="r1", tool_version="0.1"))
    store.save_report(m1.id, stored, "h1", 1.0)
    real, missed = Session.scalar, []

    def not_yet_seen(self, statement, *args, **kwargs):  # the other writer's row, not yet visible
        if not missed and "FROM reports" in str(statement):
            missed.append(statement)
            return None
        return real(self, statement, *args, **kwargs)

    monkeypatch.setattr(Session, "scalar", not_yet_seen)
    store.save_report(m2.id, stored, "h1", 2.0)
    rows = {m.market_id: (m, r) for m, r in store.results(job.id)}
    assert missed and rows["m2"][0].status == "done" and rows["m1"][1].id == rows["m2"][1].id


def test_store_commits_each_market_once_and_shares_reports_by_content(store):
    job = store.create_job("archive", "rso-2025", "r1", "0.1", "local:1", 1, [("m1", ["/a"]), ("m2", ["/b"]), ("m3", ["/c"])])
    markets = {m.market_id: m for m in store.todo(job.id)}
    report = MarketReport(rulebook="rso-2025", rules_version="r1", tool_version="0.1")
    report.flags.env_consideration = True
    stored = StoredReport.of(report)
    store.save_report(markets["m1"].id, stored, "h1", 1.5)
    store.save_report(markets["m1"].id, stored, "h1", 9.9)  # a resumed job writing the same market again: ignored
    store.save_report(markets["m2"].id, stored, "h1", 1.0)  # same content: same report row
    store.save_failure(markets["m3"].id, "fichier corrompu", "AC-E004", content_hash="h3")
    rows = {m.market_id: (m, r) for m, r in store.results(job.id)}
    assert rows["m1"][0].seconds == 1.5 and rows["m1"][0].status == "done"
    assert [rows[k][0].content_hash for k in ("m1", "m2", "m3")] == ["h1", "h1", "h3"]
    assert MarketReport.model_validate_json(rows["m1"][1].report_json) == report
    assert rows["m1"][1].id == rows["m2"][1].id and rows["m1"][1].env_consideration is True
    assert rows["m3"][0].status == "failed" and rows["m3"][1] is None
    assert [e.code for e in store.document_errors(rows["m3"][0].id)] == ["AC-E004"]
    assert store.cached_report("h1", "rso-2025", "r1", "0.1") == rows["m1"][1].id
    assert store.cached_report("h1", "rso-2025", "r2", "0.1") is None  # other rules: no reuse
    assert store.counts(job.id) == {"done": 2, "failed": 1}


def test_moments_come_back_in_utc_with_their_zone_on_every_database(store):
    """SQLite keeps no time zone: its jobs came back naive, and the API wrote
    « 2026-12-05T19:39:50 » from SQLite where it wrote « …+00:00 » from PostgreSQL, a
    moment an integrating program could not place; every moment is now UTC, with its zone."""
    job = store.create_job("archive", "rso-2025", "r1", "0.1", "local:1", 1, [("m1", ["/a"])])
    (market,) = store.todo(job.id)
    store.save_report(market.id, StoredReport.of(MarketReport(rulebook="rso-2025", rules_version="r1")), "h1", 1.0)
    store.set_job_status(job.id, "done")
    job = store.job(job.id)
    ((row, report),) = store.results(job.id)
    for moment in (job.created_at, job.finished_at, row.finished_at, report.created_at):
        assert moment is not None and moment.utcoffset() == timedelta(0), moment
    assert abs(datetime.now(UTC) - job.created_at) < timedelta(minutes=5)


def test_jobs_are_listed_at_the_local_time_of_the_machine(tmp_path, monkeypatch):
    """`batch list` (and the web pages) wrote a job's UTC time: 19:39 for a job launched at
    20:39 in Paris.  Shown in the machine's zone (TZ, here one hour east of UTC, a POSIX
    zone that needs no time zone database)."""
    db = tmp_path / "a.db"
    job = Store(str(db)).create_job("archive", "rso-2025", "r1", "0.1", "local:1", 1, [("m1", ["/a"])])
    monkeypatch.setenv("TZ", "CET-1")
    listed = run_cli("batch", "list", "--db", str(db))
    assert listed.returncode == 0, listed.stderr
    local = job.created_at + timedelta(hours=1)
    assert f"{job.id}  {local:%d/%m/%Y %H:%M}" in listed.stdout


def _failing(*checks: str) -> StoredReport:
    """A stored report whose checks `checks` fail (and one unknown, which is not a failure)."""
    report = MarketReport(rulebook="rso-2025", rules_version="r1", tool_version="0.1")
    report.findings = [Finding(rule_id=c, check=c, status="fail", severity="error", title=c, message="manque") for c in checks]
    report.findings.append(Finding(rule_id="criteria.sum", check="criteria.sum", status="unknown", severity="info",
                                   title="À vérifier", message="introuvable"))
    return StoredReport.of(report)


def test_the_markets_failing_a_check_are_asked_for_by_its_id(store):
    """`results --failing ID` / `?failing=ID`: a purchasing department looks for the markets
    of its archive that fail one check without opening every report."""
    job = store.create_job("archive", "rso-2025", "r1", "0.1", "local:1", 1, [(f"m{i}", [f"/{i}"]) for i in range(4)])
    m0, m1, m2, m3 = store.todo(job.id)
    store.save_report(m0.id, _failing("payment.delay", "sme.allotment"), "h0", 1.0)
    store.save_report(m1.id, _failing("sme.allotment"), "h1", 1.0)
    store.save_report(m2.id, _failing(), "h2", 1.0)
    store.save_failure(m3.id, "fichier corrompu", "AC-E004")
    found = {check: [m.market_id for m, _ in store.results(job.id, failing=check)]
             for check in ("sme.allotment", "payment.delay", "criteria.sum", "payment_delay", "sme")}
    assert found == {"sme.allotment": ["m0", "m1"], "payment.delay": ["m0"], "criteria.sum": [],
                     "payment_delay": [], "sme": []}  # whole ids, "_" not a wildcard; unknown is not failed
    assert store.total(job.id, failing="sme.allotment") == 2 and store.total(job.id, "failed", "sme.allotment") == 0
    assert store.failing_counts(job.id) == {"sme.allotment": 2, "payment.delay": 1}  # the most failed first
    rows = {m.market_id: r for m, r in store.results(job.id, full=False)}
    assert rows["m0"].failed_checks == "payment.delay, sme.allotment" and rows["m2"].failed_checks is None


def test_the_checks_a_job_misses_are_said_by_their_titles(store, capsys, monkeypatch, tmp_path):
    """`batch status` and the XLSX export named the checks by their ids alone (« sme.allotment
    2 »), which a purchasing manager has to look up; they give each check's title and kind
    beside the id --failing takes, and the workbook says what each column holds."""
    from openpyxl import load_workbook

    job = store.create_job("archive", "rso-2025", "r1", "0.1", "local:1", 1, [(f"m{i}", [f"/{i}"]) for i in range(3)])
    m0, m1, m2 = store.todo(job.id)
    store.save_report(m0.id, _failing("payment.delay", "sme.allotment"), "h0", 1.0)
    store.save_report(m1.id, _failing("sme.allotment"), "h1", 1.0)
    store.save_report(m2.id, _failing(), "h2", 1.0)
    action(store, "status", [job.id], None, None, None)
    lines = [" ".join(line.split()) for line in capsys.readouterr().out.splitlines()]
    at = next(i for i, line in enumerate(lines) if line.startswith("vérifications manquées"))
    assert lines[at + 1:at + 3] == ["2 Allotissement ou marché unique justifié (obligation) : sme.allotment",
                                    "1 Délai de paiement (obligation) : payment.delay"]
    book = load_workbook(io.BytesIO(to_xlsx(store, job.id)))
    assert book.sheetnames == ["Marchés", "Vérifications", "Colonnes"]
    markets = book["Marchés"]
    assert markets.freeze_panes == "B2" and markets.auto_filter.ref == "A1:AA4" and markets["A1"].font.b
    checks = list(book["Vérifications"].iter_rows(values_only=True))
    assert checks[0] == ("vérification", "nature", "marchés qui la manquent", "identifiant (--failing)")
    assert checks[1:3] == [("Allotissement ou marché unique justifié", "obligation", 2, "sme.allotment"),
                           ("Délai de paiement", "obligation", 1, "payment.delay")]
    assert {row[3] for row in checks[3:]} >= {"criteria.sum", "clauses.quality"} and {row[2] for row in checks[3:]} == {0}
    legend = dict(list(book["Colonnes"].iter_rows(values_only=True))[1:])
    assert [c.value for c in markets[1]] == list(legend) and "environnementale" in legend["env_consideration"]
    only = load_workbook(io.BytesIO(to_xlsx(store, job.id, failing="payment.delay")))  # counted over the markets exported
    assert [r[2] for r in only["Vérifications"].iter_rows(min_row=2, max_row=3, values_only=True)] == [1, 1]
    broken = tmp_path / "regles"
    broken.mkdir()
    (broken / "pack.yaml").write_text("id: [\n", encoding="utf-8")
    monkeypatch.setenv("ACHAT_CHECK_RULES", str(broken))  # a pack of one's own broken since the job ran
    action(store, "status", [job.id], None, None, None)
    assert "2 sme.allotment" in " ".join(capsys.readouterr().out.split())  # the ids alone, the status still said


def test_results_and_export_of_the_markets_failing_a_check(tmp_path):
    root = archive(tmp_path, FAST[1:])  # gardiennage pays at 45 days; informatique misses only clauses.quality
    db = tmp_path / "achat-check.db"
    assert run_cli("batch", str(root), "--db", str(db), "--workers", "1", timeout=600).returncode == 0
    job = Store(str(db)).jobs()[0]
    proc = run_cli("batch", "results", job.id, "--db", str(db), "--failing", "payment.delay", "-f", "csv")
    rows = proc.stdout.splitlines()
    assert "failed_checks" in rows[0].split(";") and [r.split(";")[0] for r in rows[1:]] == ["gardiennage-urssaf"]
    assert run_cli("batch", "export", job.id, "--db", str(db), "--failing", "clauses.quality", "--out", str(tmp_path / "r")).returncode == 0
    assert [p.name for p in (tmp_path / "r").iterdir()] == ["informatique-cpam.json"]
    none = run_cli("batch", "results", job.id, "--db", str(db), "--failing", "criteria.sum", "-f", "terminal")
    assert none.stdout == "Aucun marché qui manque criteria.sum.\n"
    status = " ".join(run_cli("batch", "status", job.id, "--db", str(db)).stdout.split())
    assert "vérifications manquées, en nombre de marchés" in status and "1 Délai de paiement (obligation) : payment.delay" in status
    assert "1 Qualité de rédaction des clauses sociales et environnementales (recommandation) : clauses.quality" in status
    typo = run_cli("batch", "results", job.id, "--db", str(db), "--failing", "delai")
    assert typo.returncode != 0 and "AC-E016" in typo.stderr and "payment.delay" in typo.stderr and "Traceback" not in typo.stderr


#: the columns of reports that a store made at each revision lacks (added by the migrations after it)
LACKS = {"0004": ("failed_checks", "buyer", "object", "max_duration_months", "missing_pieces", "digest_json"),
         "0005": ("buyer", "object", "max_duration_months", "missing_pieces", "digest_json"),
         "0007": ("max_duration_months", "missing_pieces", "digest_json"), "0008": ("missing_pieces", "digest_json"),
         "0009": ("digest_json",)}


def _old_store(tmp_path, made_at: str, reports: dict[str, StoredReport | None]) -> Store:
    """A store as a release at migration `made_at` left it, holding `reports` (None: a report
    whose JSON cannot be read), then opened by this release (which migrates it)."""
    from sqlalchemy import create_engine, text

    from achat_check.batch.migrations import upgrade

    db = tmp_path / "ancien.db"
    engine = create_engine(f"sqlite:///{db}")
    upgrade(engine, made_at)
    with engine.begin() as c:
        c.execute(text("INSERT INTO jobs (id, created_at, status, source, rulebook, rules_version, tool_version, backend, workers, total) "
                       f"VALUES ('ancien', '2026-11-25 10:00:00', 'done', 'archive', 'rso-2025', 'r1', '0.1.0', 'local:1', 1, {len(reports)})"))
        for i, (name, stored) in enumerate(reports.items(), start=1):
            report_json = stored.report_json if stored else "{pas du JSON"
            columns = {k: v for k, v in (stored or _failing()).columns.items() if k not in LACKS[made_at]}
            keys = ", ".join(columns)
            c.execute(text(f"INSERT INTO reports (id, content_hash, rulebook, rules_version, tool_version, created_at, report_json, {keys}) "
                           f"VALUES ({i}, '{name}', 'rso-2025', 'r1', '0.1.0', '2026-11-25 10:00:00', :json, {', '.join(':' + k for k in columns)})"),
                      {"json": report_json, **columns})
            c.execute(text("INSERT INTO markets (job_id, market_id, paths, status, report_id) "
                           f"VALUES ('ancien', '{name}', '[]', 'done', {i})"))
    engine.dispose()
    return Store(str(db))


def test_a_store_made_before_failed_checks_has_them_filled_from_its_reports(tmp_path):
    """Migration 0005 reads the reports already stored: an archive scanned last year can be
    asked for its markets failing a check without being scanned again."""
    store = _old_store(tmp_path, "0004", {"r1": _failing("sme.allotment", "payment.delay"), "r2": _failing(), "r3": None})
    rows = {m.market_id: r.failed_checks for m, r in store.results("ancien", full=False)}
    assert rows == {"r1": "sme.allotment, payment.delay", "r2": None, "r3": None}  # an unreadable report keeps none
    assert [m.market_id for m, _ in store.results("ancien", failing="payment.delay")] == ["r1"]


def _named(buyer: str | None, obj: str | None) -> StoredReport:
    report = MarketReport(rulebook="rso-2025", rules_version="r1", tool_version="0.1")
    report.facts.buyer, report.facts.object = buyer, obj
    return StoredReport.of(report)


def test_rows_and_exports_name_the_buyer_and_the_object(tmp_path, store):
    """A manager's export of an archive scan lists each market's buyer and object (they were
    only inside each report's JSON); migration 0006 fills them for a store made before."""
    job = store.create_job("archive", "rso-2025", "r1", "0.1", "local:1", 2, [("m0", ["/0"]), ("m1", ["/1"])])
    for m, stored in zip(store.todo(job.id), [_named("CPAM de la Gironde", "l'entretien des espaces verts"), _named(None, None)], strict=True):
        store.save_report(m.id, stored, f"h{m.id}", 1.0)
    rows = list(csv.DictReader(io.StringIO(to_csv(store, job.id)), delimiter=";"))
    assert [(r["market_id"], r["buyer"], r["object"]) for r in rows] == [
        ("m0", "CPAM de la Gironde", "l'entretien des espaces verts"), ("m1", "", "")]
    old = _old_store(tmp_path, "0005", {"r1": _named("Ville de Nîmes", "achat de deux véhicules électriques"),
                                        "r2": _named(None, None), "r3": None})
    assert [(m.market_id, r.buyer, r.object) for m, r in old.results("ancien", full=False)] == [
        ("r1", "Ville de Nîmes", "achat de deux véhicules électriques"), ("r2", None, None), ("r3", None, None)]


def test_the_name_given_to_out_says_what_results_and_export_write(tmp_path, store):
    """`results -o resultats.xlsx` wrote JSON lines into a file Excel refuses, and
    `export -o rapports.json` made a folder of that name: the extension is the format, a
    file's extension neither writes is refused before anything is written."""
    from openpyxl import load_workbook

    job = store.create_job("archive", "rso-2025", "r1", "0.1", "local:1", 1, [("m0", ["/0"])])
    (m,) = store.todo(job.id)
    store.save_report(m.id, _named("CPAM de la Gironde", "l'entretien des espaces verts"), "h0", 1.0)
    for name in ("resultats.xlsx", "exporte.xlsx"):
        action(store, "results" if name.startswith("resultats") else "export", [job.id], None, None, tmp_path / name)
        rows = list(load_workbook(tmp_path / name)["Marchés"].iter_rows(values_only=True))
        assert rows[0][0] == "market_id" and rows[1][0] == "m0"
    action(store, "results", [job.id], None, None, tmp_path / "tableau.txt")
    table = (tmp_path / "tableau.txt").read_text(encoding="utf-8")
    assert "m0" in table and "vérifié" in table and not table.startswith("{")  # the table, not JSON lines
    for command, name in (("results", "resultats.json"), ("results", "resultats.pdf"), ("export", "rapports.json"),
                          ("export", "rapports.txt"), ("export", "resultats.ods")):
        with pytest.raises(AchatCheckError) as info:
            action(store, command, [job.id], None, None, tmp_path / name)
        assert info.value.code == "AC-E016" and info.value.message.startswith(f"« {name} » : {command} ")
        assert not (tmp_path / name).exists()
    action(store, "export", [job.id], None, None, tmp_path / "rapports.2026")  # a folder named with a date
    for command in ("results", "export"):  # a CSV file opens in Excel with its accents: UTF-8 with its byte-order mark
        action(store, command, [job.id], None, None, tmp_path / f"{command}.csv")
        assert (tmp_path / f"{command}.csv").read_bytes().startswith(b"\xef\xbb\xbfmarket_id;")
        assert "CPAM de la Gironde" in (tmp_path / f"{command}.csv").read_text(encoding="utf-8-sig")
    assert [p.name for p in (tmp_path / "rapports.2026").iterdir()] == ["m0.json"]


def _lasting(months: float | None) -> StoredReport:
    report = MarketReport(rulebook="rso-2025", rules_version="r1", tool_version="0.1")
    report.facts.max_duration_months = months
    return StoredReport.of(report)


def test_rows_and_exports_give_the_duration_and_old_stores_get_it(tmp_path, store):
    """A manager sorting an archive's scan in a spreadsheet needs each market's duration,
    renewals included, beside its amount (it was only inside each report's JSON, in no
    column of the CSV, the XLSX or the API's rows); migration 0008 fills it for a store made
    before."""
    from openpyxl import load_workbook

    job = store.create_job("archive", "rso-2025", "r1", "0.1", "local:1", 2, [("m0", ["/0"]), ("m1", ["/1"])])
    for m, stored in zip(store.todo(job.id), [_lasting(48), _lasting(None)], strict=True):
        store.save_report(m.id, stored, f"h{m.id}", 1.0)
    rows = list(csv.DictReader(io.StringIO(to_csv(store, job.id)), delimiter=";"))
    assert [(r["market_id"], r["max_duration_months"]) for r in rows] == [("m0", "48"), ("m1", "")]
    sheet = load_workbook(io.BytesIO(to_xlsx(store, job.id))).active
    header = [c.value for c in sheet[1]]
    column = header.index("max_duration_months") + 1
    assert column > header.index("object") and sheet.cell(2, column).value == 48
    old = _old_store(tmp_path, "0007", {"r1": _lasting(36.5), "r2": _lasting(None), "r3": None})
    assert [(m.market_id, r.max_duration_months) for m, r in old.results("ancien", full=False)] == [
        ("r1", 36.5), ("r2", None), ("r3", None)]


def _of_pieces(*kinds: str) -> StoredReport:
    """The stored report of a DCE of these pieces (« CCAP+CCTP »: one document playing both)."""
    report = MarketReport(rulebook="rso-2025", rules_version="r1", tool_version="0.1")
    for k in kinds:
        kind, *roles = k.split("+")
        report.documents.append(DocumentReport(path=f"/dce/{k}.pdf", name=f"{k}.pdf", format="pdf", kind=kind,
                                               roles=[kind, *roles] if roles else [], pages=1))
    return StoredReport.of(report)


def test_markets_whose_dce_lacks_a_main_piece_are_counted_and_listed(tmp_path, store, capsys):
    """An archive holds DCEs archived without their RC or their CCAP, whose checks stay
    « indéterminé »: `batch status`, the API's job and the rows say which and how many, so
    that a manager fetches the pieces; migration 0009 fills the column for a store made
    before."""
    from api.routes import job_out

    job = store.create_job("archive", "rso-2025", "r1", "0.1", "local:1", 4, [(f"m{i}", [f"/{i}"]) for i in range(4)])
    made = [_of_pieces("RC", "CCAP", "CCTP"), _of_pieces("CCTP", "CCTP"), _of_pieces("RC", "CCAP+CCTP"), _of_pieces()]
    for m, stored in zip(store.todo(job.id), made, strict=True):
        store.save_report(m.id, stored, f"h{m.id}", 1.0)
    rows = list(csv.DictReader(io.StringIO(to_csv(store, job.id)), delimiter=";"))
    assert [(r["market_id"], r["missing_pieces"]) for r in rows] == [("m0", ""), ("m1", "RC, CCAP"), ("m2", ""), ("m3", "")]
    assert store.incomplete(job.id) == 1 and job_out(store, job.id).incomplete == 1
    action(store, "status", [job.id], None, None, None)
    said = capsys.readouterr().out
    assert ("1 marché(s) au DCE sans toutes ses pièces principales (RC, CCAP, CCTP) : les vérifications qui les lisent y "
            f"restent indéterminées ; lesquelles : colonne « missing_pieces » de achat-check batch results {job.id}") in said
    old = _old_store(tmp_path, "0008", {"r1": _of_pieces("AE"), "r2": _of_pieces("RC", "CCAP+CCTP"), "r3": None})
    assert [(m.market_id, r.missing_pieces) for m, r in old.results("ancien", full=False)] == [
        ("r1", "RC, CCAP, CCTP"), ("r2", None), ("r3", None)]


def test_pages_of_results_read_only_their_rows_and_rows_without_their_reports(store):
    job = store.create_job("archive", "rso-2025", "r1", "0.1", "local:1", 5, [(f"m{i}", [f"/{i}"]) for i in range(5)])
    stored = StoredReport.of(MarketReport(rulebook="rso-2025", rules_version="r1", tool_version="0.1"))
    for i, m in enumerate(store.todo(job.id)):
        if i == 3:
            store.save_failure(m.id, "fichier corrompu", "AC-E004")
        else:
            store.save_report(m.id, stored, f"h{i}", 1.0)
    assert [m.market_id for m, _ in store.results(job.id, offset=1, limit=2)] == ["m1", "m2"]
    assert [m.market_id for m, _ in store.results(job.id, "done", offset=2, limit=10)] == ["m2", "m4"]
    light = list(store.results(job.id, full=False))
    assert [r.rulebook for _, r in light if r is not None] == ["rso-2025"] * 4  # the columns come...
    with pytest.raises(SQLAlchemyError):
        light[0][1].report_json  # noqa: B018 - ...the report's JSON stays in the database


def test_json_lines_are_written_one_market_at_a_time(store, monkeypatch):
    from achat_check.batch import cli_support

    job = store.create_job("archive", "rso-2025", "r1", "0.1", "local:1", 3, [(f"m{i}", [f"/{i}"]) for i in range(3)])
    stored = StoredReport.of(MarketReport(rulebook="rso-2025", rules_version="r1", tool_version="0.1"))
    for i, m in enumerate(store.todo(job.id)):
        store.save_report(m.id, stored, f"h{i}", 1.0)
    seen = []
    real = cli_support.own_report
    monkeypatch.setattr(cli_support, "own_report", lambda m, text, shown=None: seen.append(m.market_id) or real(m, text, shown))
    lines = cli_support.jsonl_lines(store, job.id)
    assert json.loads(next(lines))["report"]["market_id"] == "m0" and seen == ["m0"]  # not the whole job in memory
    assert [json.loads(line)["market_id"] for line in lines] == ["m1", "m2"]


def test_the_indicators_read_each_market_s_latest_report_under_their_rulebook(store):
    from achat_check.batch.stored import latest_reports

    def job_with(env: bool, rulebook: str = "rso-2025") -> None:
        job = store.create_job("archive", rulebook, "r1", "0.1", "local:1", 1, [("m1", ["/m1"])])
        report = MarketReport(rulebook=rulebook, rules_version="r1", tool_version="0.1")
        report.flags.env_consideration = env
        store.save_report(store.todo(job.id)[0].id, StoredReport.of(report), f"{rulebook}-{env}", 1.0)
        time.sleep(0.01)  # jobs are ordered by creation time

    job_with(False)
    job_with(True)
    job_with(False, "plan-cadre-2015")
    latest = latest_reports(store, "rso-2025")
    assert list(latest) == ["m1"] and latest["m1"].flags["env_consideration"] is True  # the newer rso-2025 job
    assert latest["m1"].market_id == "m1"
    assert latest_reports(store, "plan-cadre-2015")["m1"].flags["env_consideration"] is False


def test_the_indicators_read_the_digest_kept_beside_each_report(store, tmp_path, monkeypatch):
    """The indicators of a store parsed and validated every report whole (45 kB each: 11 s for
    10,000 markets); each report keeps its digest (migration 0010), read instead, and gives the
    indicators what the report read whole gives.  A report stored before, and one of which
    nothing could be read (its digest quotes its file's path), are still read whole, as the
    market's own (an identical DCE elsewhere shares the report)."""
    from achat_check.batch import stored as stored_module
    from achat_check.batch.stored import latest_reports, own_report
    from achat_check.checker import Checker
    from achat_check.indicators.compute import digest

    checked = Checker().check([SAMPLES / "tma-cnaf"])
    unreadable = MarketReport(rulebook="rso-2025", rules_version="r1", tool_version="0.1", source=["/a/m3"],
                              errors=[Notice(code="AC-E004", level="error", path="/a/m3/RC.pdf", message="PDF illisible")])
    job = store.create_job("archive", "rso-2025", "r1", "0.1", "local:1", 1,
                           [("m1", [str(SAMPLES / "tma-cnaf")]), ("m2", ["/ailleurs/m2"]), ("m3", ["/a/m3"]), ("m4", ["/b/m4"])])
    m1, m2, m3, m4 = store.todo(job.id)
    for m, report, content in ((m1, checked, "h1"), (m2, checked, "h1"), (m3, unreadable, "h3"), (m4, unreadable, "h3")):
        store.save_report(m.id, StoredReport.of(report), content, 1.0)  # m2 and m4: identical DCEs, one report each pair
    whole = {m.market_id: digest(MarketReport.model_validate(own_report(m, store.report_json(r.id))))
             for m, r in store.results(job.id, full=False)}
    read: list[str] = []
    monkeypatch.setattr(stored_module, "own_report", lambda m, text, shown=None: read.append(m.market_id) or own_report(m, text, shown))
    latest = latest_reports(store, "rso-2025")
    assert read == ["m3", "m4"]  # the readable reports were not parsed
    assert latest == whole and latest["m1"].flags["env_consideration"] is True and latest["m1"].evidence
    assert latest["m4"].why_unread == "[AC-E004] /b/m4/RC.pdf : PDF illisible"  # its own path, not m3's
    old = _old_store(tmp_path, "0009", {"r1": StoredReport.of(checked)})  # a report stored before: read whole
    assert old.report_json(1) and latest_reports(old, "rso-2025")["r1"].flags == latest["m1"].flags


def test_a_job_waits_for_a_store_that_stops_answering_then_says_how_to_resume(store):
    from sqlalchemy.exc import OperationalError

    job = store.create_job("archive", "rso-2025", "r1", "0.1", "local:1", 2, [("m1", ["/1"]), ("m2", ["/2"])])
    m1, m2 = store.todo(job.id)
    stored = StoredReport.of(MarketReport(rulebook="rso-2025", rules_version="r1", tool_version="0.1"))
    real, outage = store.sessions, {"left": 2}

    def sessions():  # the database restarts: two refused connections, then it answers
        if outage["left"]:
            outage["left"] -= 1
            raise OperationalError("SELECT 1", {}, Exception("connection refused"))
        return real()

    store.sessions = sessions
    store.save_report(m1.id, stored, "h1", 1.0)
    assert outage["left"] == 0 and store.counts(job.id) == {"done": 1, "pending": 1}
    outage["left"], store.retry_seconds = 10**6, 0.6  # now it is gone for good
    with pytest.raises(AchatCheckError) as exc:
        store.save_report(m2.id, stored, "h2", 1.0)
    assert exc.value.code == "AC-E026" and "reprenez le travail" in str(exc.value) and "connection refused" in str(exc.value)
    before = outage["left"]
    with pytest.raises(AchatCheckError):
        store.set_job_status(job.id, "interrupted")  # on the way out: tried once, not waited for again
    assert before - outage["left"] == 1
    store.sessions = real
    assert store.counts(job.id) == {"done": 1, "pending": 1}  # nothing lost: --resume checks m2


def test_a_job_run_without_a_terminal_writes_progress_lines_to_its_log(tmp_path, capsys):
    from achat_check.batch import cli_support
    from achat_check.batch.runner import Outcome

    class Instant:  # every market fails at once: the lines count them
        name = "test"

        def run(self, tasks):
            for t in tasks:
                yield Outcome(t.pk, error="illisible", code="AC-E004")

    markets = []
    for i in range(3):
        (tmp_path / f"m{i}").mkdir()
        (tmp_path / f"m{i}" / "RC.txt").write_text("x", encoding="utf-8")
        markets.append((f"m{i}", [str(tmp_path / f"m{i}")]))
    store = Store(str(tmp_path / "lots.db"))
    job = store.create_job("archive", "rso-2025", "r1", "0.1", "test", 1, markets)
    counts = cli_support.run_with_progress(store, job.id, Instant(), every=0.0)
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith(f"Travail {job.id} : ")]
    assert counts.failed == 3 and len(lines) == 3  # stderr is no terminal here: lines, not a bar
    assert lines[0].startswith(f"Travail {job.id} : 1/3 (33 %) · 0 vérifiés · 1 échecs · 0 en cache · ")
    assert "reste environ" in lines[1] and lines[2].startswith(f"Travail {job.id} : 3/3 (100 %)") and "reste" not in lines[2]


def test_results_at_a_terminal_show_the_first_markets_and_say_where_the_others_are(store, monkeypatch):
    from achat_check.batch import cli_support

    job = store.create_job("archive", "rso-2025", "r1", "0.1", "local:1", 3, [(f"m{i}", [f"/{i}"]) for i in range(3)])
    for m in store.todo(job.id):
        store.save_failure(m.id, "fichier corrompu", "AC-E004")
    monkeypatch.setattr(cli_support, "MAX_TERMINAL_ROWS", 2)
    text = cli_support.to_terminal(store, job.id)
    assert "m0" in text and "m1" in text and "m2" not in text
    assert "… et 1 autre(s) marché(s) : tous dans un fichier avec --out resultats.csv" in text
    assert "autre(s)" not in cli_support.to_terminal(store, job.id, "done")  # none: nothing more to say


def test_messages_never_show_the_database_password():
    from achat_check.errors import AchatCheckError

    pytest.importorskip("psycopg")
    for url in ("postgresql+psycopg://achat:s3cret@127.0.0.1:1/x", "postgresql+nodriver://achat:s3cret@127.0.0.1:1/x"):
        with pytest.raises(AchatCheckError) as caught:
            Store(url)
        assert "s3cret" not in str(caught.value) and "achat:***@127.0.0.1" in str(caught.value)


def test_a_database_that_cannot_be_reached_is_said_in_french():
    """psycopg's « Connection refused … Is the server running on that host and accepting
    TCP/IP connections? » was shown as it is, in the French message."""
    from achat_check.errors import AchatCheckError

    pytest.importorskip("psycopg")
    with pytest.raises(AchatCheckError) as caught:
        Store("postgresql+psycopg://achat:s3cret@127.0.0.1:1/x")
    assert "connexion refusée : aucun serveur PostgreSQL n'écoute à cette adresse et ce port" in caught.value.message
    assert "Is the server running" not in caught.value.message


@pytest.mark.parametrize(("url", "said"), [
    ("mysql://achat@hote/lots", "type de base ou pilote non pris en charge : SQLite, ou PostgreSQL avec le pilote psycopg"),
    ("postgresql+psycopg2://achat@hote/lots", "type de base ou pilote non pris en charge"),
    ("://lots", "adresse mal formée"),
    ("postgresql+psycopg://achat:s3cret@hote:port/lots", "adresse mal formée")])
def test_a_database_url_we_cannot_use_is_said_in_french(url, said):
    """SQLAlchemy's « No module named 'MySQLdb' », « Can't load plugin », « Could not parse
    SQLAlchemy URL » and « invalid literal for int() » were shown as they are."""
    from achat_check.errors import AchatCheckError

    with pytest.raises(AchatCheckError) as caught:
        Store(url)
    message = caught.value.message
    assert caught.value.code == "AC-E016" and f"inutilisable ({said}" in message and "s3cret" not in message
    assert "postgresql+psycopg://utilisateur:motdepasse@hôte/base" in message


def test_a_postgresql_url_without_its_password_is_said_in_french():
    pytest.importorskip("psycopg")
    if not os.environ.get("ACHAT_CHECK_TEST_PG"):
        pytest.skip("ACHAT_CHECK_TEST_PG: a PostgreSQL server that asks for a password")
    from achat_check.errors import AchatCheckError

    without = re.sub(r"(://[^:/@]+):[^@]*@", r"\1@", os.environ["ACHAT_CHECK_TEST_PG"])
    assert without != os.environ["ACHAT_CHECK_TEST_PG"]
    with pytest.raises(AchatCheckError) as caught:
        Store(without)
    assert "(mot de passe absent de l'URL)" in caught.value.message and "fe_sendauth" not in caught.value.message


def test_a_folder_or_a_hosting_service_url_as_database(tmp_path):
    from achat_check.batch.store import _url
    from achat_check.errors import AchatCheckError

    with pytest.raises(AchatCheckError, match="c'est un dossier") as err:
        Store(str(tmp_path))
    assert err.value.code == "AC-E016" and str(tmp_path / "achat-check.db") in str(err.value)
    assert _url("postgres://u:p@hote/base") == "postgresql+psycopg://u:p@hote/base"  # as Heroku, Render... write it



def test_reading_jobs_from_a_folder_without_a_store_says_so_and_creates_none(tmp_path):
    for args in (["batch", "list"], ["batch", "status", "abc"], ["batch", "--resume", "abc"]):
        proc = subprocess.run([sys.executable, "-m", "achat_check.cli", *args], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                              env=dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)])))
        assert proc.returncode != 0 and "aucune base de lots ici" in proc.stderr and "--db" in proc.stderr
    assert list(tmp_path.iterdir()) == []
    Store(str(tmp_path / "vide.db"))
    assert "Aucun travail" in run_cli("batch", "list", "--db", str(tmp_path / "vide.db")).stdout


def test_unknown_job_is_a_clear_error(tmp_path):
    proc = run_cli("batch", "status", "nope", "--db", str(tmp_path / "x.db"))
    assert proc.returncode == 2 and "AC-E017" in proc.stderr and "Traceback" not in proc.stderr


def test_local_pool_goes_on_past_a_failing_market(tmp_path):
    root = archive(tmp_path, FAST)
    broken = root / "b-marche-illisible"
    broken.mkdir()
    (broken / "RC.pdf").write_bytes(b"%PDF-1.7\n ce n'est pas un PDF")
    (root / "note-isolee.txt").write_text("hors marché", encoding="utf-8")
    (root / "c-marche-vide").mkdir()
    db = tmp_path / "achat-check.db"
    proc = run_cli("batch", str(root), "--db", str(db), "--workers", "2", timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "note-isolee.txt" in proc.stderr and "AC-W008" in proc.stderr
    store = Store(str(db))
    job = store.jobs()[0]
    rows = {m.market_id: m for m, _ in store.results(job.id)}
    assert set(rows) == {*FAST, "b-marche-illisible", "c-marche-vide"}
    assert rows["b-marche-illisible"].status == "failed" and "RC.pdf" in rows["b-marche-illisible"].error
    assert rows["c-marche-vide"].status == "failed" and "c-marche-vide : dossier sans aucun fichier à lire" in rows["c-marche-vide"].error
    assert rows["c-marche-vide"].seconds == round(rows["c-marche-vide"].seconds, 3)
    assert all(rows[n].status == "done" for n in FAST)
    status = run_cli("batch", "status", job.id, "--db", str(db))
    assert "3 vérifiés" in status.stdout and "2 échecs" in status.stdout and "b-marche-illisible" in status.stdout
    table = run_cli("batch", "results", job.id, "--db", str(db), "--status", "failed", "--format", "terminal").stdout
    assert "b-marche-illisible" in table and "échec" in table and "RC.pdf" in table and FAST[0] not in table
    again = run_cli("batch", "--resume", job.id, "--db", str(db))
    assert again.returncode == 0 and "déjà terminé" in again.stderr and "2 échecs" in again.stderr
    assert store.counts(job.id) == {"done": 3, "failed": 2}


def test_a_folder_a_register_and_a_resume_are_one_at_a_time(tmp_path):
    root = archive(tmp_path, FAST[:1])
    register = tmp_path / "registre.csv"
    register.write_text(f"id_marche;nom_acheteur;date_notification;montant;dce\nM-1;CAF;2026-03-15;144000;{root / FAST[0]}\n", encoding="utf-8")
    db = str(tmp_path / "achat-check.db")
    for args in ([str(root), "--register", str(register)], [str(root), "--resume", "abc"], ["--register", str(register), "--resume", "abc"]):
        proc = run_cli("batch", *args, "--db", db)
        assert proc.returncode != 0 and "AC-E016" in proc.stderr and "donnez un seul de" in proc.stderr
    assert not Path(db).exists()  # refused before a job or a store is made


@pytest.mark.parametrize("option", [["--workers", "0"], ["--market-timeout", "0"], ["--worker-memory-mb", "10"], ["--recycle-after", "0"],
                                    ["--workers", "100000"]])  # 100,000 × 250 MB: no machine has it free
def test_limits_that_would_fail_every_market_or_never_end_are_refused(tmp_path, option):
    root = archive(tmp_path, FAST[:1])
    proc = run_cli("batch", str(root), "--db", str(tmp_path / "achat-check.db"), *option, timeout=60)
    assert proc.returncode != 0 and "AC-E016" in proc.stderr and " ".join(option) in proc.stderr
    assert not (tmp_path / "achat-check.db").exists() or Store(str(tmp_path / "achat-check.db")).jobs() == []  # no job recorded


def test_workers_are_what_the_machine_and_the_job_can_use(store, monkeypatch, capsys):
    """`--workers 1000` started a thousand processes of about 200 MB each (the machine's
    memory gone), and a job of 3 markets with --workers 8 warmed up 8: more workers than the
    free memory holds are refused, saying how many it holds; no more start than markets are
    left; more than cores is said to be no faster."""
    from achat_check.batch import cli_support

    monkeypatch.setattr(cli_support, "free_memory_mb", lambda: 1100.0)
    cli_support.check_limits(4, 900, 1500, 200)  # 4 × 250 MB fit in 1.1 GB
    with pytest.raises(AchatCheckError) as info:
        cli_support.check_limits(5, 900, 1500, 200)
    assert info.value.code == "AC-E016" and "--workers 5" in info.value.message and "donnez au plus 4" in info.value.message
    monkeypatch.setattr(cli_support.os, "cpu_count", lambda: 8)
    assert cli_support.default_workers() == 4  # a core each, but no more than fit: the default is never refused
    monkeypatch.setattr(cli_support, "free_memory_mb", lambda: None)  # not said (not Linux): not refused for it
    cli_support.check_limits(64, 900, 1500, 200)
    assert cli_support.default_workers() == 8
    job = store.create_job("archive", "rso-2025", "r1", "0.1", "local:8", 8, [(f"m{i}", [f"/{i}"]) for i in range(3)])
    monkeypatch.setattr(cli_support.os, "cpu_count", lambda: 2)
    assert cli_support.workers_for(store, job, 8) == 3 and "cette machine a 2 cœur(s)" in capsys.readouterr().err
    assert cli_support.workers_for(store, job, 2) == 2 and capsys.readouterr().err == ""
    store.save_failure(store.todo(job.id)[0].id, "illisible")
    assert cli_support.workers_for(store, job, 8) == 2  # the markets left, not the job's


def test_an_archive_given_as_a_zip_or_a_single_market_says_what_to_do(tmp_path):
    zipped = tmp_path / "archives.zip"
    shutil.make_archive(str(zipped.with_suffix("")), "zip", SAMPLES)
    one_market = SAMPLES / FAST[0]
    for target, says in ((zipped, "unzip"), (one_market, "achat-check check"), (tmp_path / "absent", "introuvable")):
        proc = run_cli("batch", str(target), "--db", str(tmp_path / "achat-check.db"))
        assert proc.returncode != 0 and says in proc.stderr and str(target) in proc.stderr and "Traceback" not in proc.stderr


def test_an_archive_folder_that_cannot_be_listed_is_said(tmp_path, monkeypatch):
    root = tmp_path / "archive"
    root.mkdir()

    def refused(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "iterdir", refused)  # as for a user without the rights (the tests run as root)
    with pytest.raises(AchatCheckError) as err:
        discover(root)
    assert err.value.code == "AC-E004" and err.value.path == str(root)
    assert "dossier illisible (droits insuffisants)" in err.value.message


def test_names_in_another_encoding_neither_stop_the_batch_nor_reach_the_reports_unreadable(tmp_path):
    """Folders unpacked from Windows archives name files in cp1252: the OS gives such names
    with surrogate escapes, which crashed the whole job (content hash) and then every report."""
    root = tmp_path / "archive"
    market = root / os.fsdecode(b"March\xe9-1")
    market.mkdir(parents=True)
    (market / os.fsdecode(b"R\xe8glement.pdf")).write_bytes((SAMPLES / FAST[1] / "RC.pdf").read_bytes())
    shutil.copytree(SAMPLES / FAST[0], root / FAST[0])
    db = tmp_path / "achat-check.db"
    proc = run_cli("batch", str(root), "--db", str(db), "--workers", "1", timeout=600)
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in run_cli("batch", "results", Store(str(db)).jobs()[0].id, "--db", str(db)).stdout.splitlines()]
    by_id = {r["market_id"]: r for r in rows}
    assert set(by_id) == {"Marché-1", FAST[0]} and {r["status"] for r in rows} == {"done"}
    report = by_id["Marché-1"]["report"]
    assert report["documents"][0]["path"].endswith("Marché-1/Règlement.pdf") and report["documents"][0]["kind"] == "RC"
    checked = run_cli("check", str(market), "--format", "json", "--fail-on", "never")
    assert checked.returncode == 0 and json.loads(checked.stdout)["documents"][0]["name"] == "Règlement.pdf"


def test_a_report_shared_by_identical_dces_names_each_market_s_own_files(tmp_path):
    root = archive(tmp_path, FAST[:1])
    shutil.copytree(root / FAST[0], root / "copie-identique")  # same files, same content: one stored report
    db = tmp_path / "achat-check.db"
    assert run_cli("batch", str(root), "--db", str(db), "--workers", "1", timeout=600).returncode == 0
    store = Store(str(db))
    job = store.jobs()[0]
    assert len({m.report_id for m, _ in store.results(job.id)}) == 1
    for line in run_cli("batch", "results", job.id, "--db", str(db)).stdout.splitlines():
        row = json.loads(line)
        own = str(root / row["market_id"])
        report = row["report"]
        assert report["source"] == [own] and all(d["path"].startswith(own + "/") for d in report["documents"])
        quoted = [e["document"] for theme in ("environmental", "social") for c in report["considerations"][theme] for e in c["evidence"]]
        assert quoted and all(q.startswith(own + "/") for q in quoted)


def test_exported_reports_never_overwrite_each_other(tmp_path):
    """Register ids such as « 2024/12 » and « 2024_12 » make the same safe file name."""
    store = Store(str(tmp_path / "achat-check.db"))
    ids = ["2024/12", "2024_12", "2024:12"]
    job = new_job(store, "registre", [(i, [str(SAMPLES / name)]) for i, name in zip(ids, FAST, strict=True)], "rso-2025", "local:1", 1)
    run_job(store, job.id, LocalPool(1), use_cache=False)
    out = tmp_path / "rapports"
    assert run_cli("batch", "export", job.id, "--db", str(tmp_path / "achat-check.db"), "--out", str(out)).returncode == 0
    assert len(list(out.glob("*.json"))) == 3
    from achat_check.indicators import load_reports

    assert sorted(load_reports(out, [])) == sorted(ids)


def test_the_xlsx_export_takes_control_characters(tmp_path):
    from openpyxl import load_workbook

    from achat_check.batch.cli_support import to_xlsx

    store = Store(str(tmp_path / "achat-check.db"))
    job = new_job(store, "registre", [("M\x01-1", [str(tmp_path / "absent")])], "rso-2025", "local:1", 1)
    for m, _ in store.results(job.id):
        store.save_failure(m.id, "raison \x02 citée", "AC-E001")
    (tmp_path / "r.xlsx").write_bytes(to_xlsx(store, job.id))
    rows = list(load_workbook(tmp_path / "r.xlsx")["Marchés"].iter_rows(values_only=True))
    assert rows[1][:3] == ("M-1", "failed", "raison  citée")


def test_exports_keep_texts_that_look_like_formulas_as_texts(tmp_path):
    """Market ids are folder names of an archive and messages quote files: a spreadsheet must
    show them, never compute them (a link, a #NAME? error) or lose them in the terminal."""
    import csv
    import io

    from openpyxl import load_workbook

    from achat_check.batch.cli_support import to_csv, to_terminal, to_xlsx

    store = Store(str(tmp_path / "achat-check.db"))
    ids = ['=HYPERLINK("http://x";"ouvrir")', "- 30 % prix", "[brouillon] lot 2"]
    job = new_job(store, "registre", [(i, [str(tmp_path / "absent")]) for i in ids], "rso-2025", "local:1", 1)
    for m, _ in store.results(job.id):
        store.save_failure(m.id, "=1+1 cité", "AC-E001")
    (tmp_path / "r.xlsx").write_bytes(to_xlsx(store, job.id))
    sheet = load_workbook(tmp_path / "r.xlsx")["Marchés"]
    cells = [row[0] for row in sheet.iter_rows(min_row=2)] + [row[2] for row in sheet.iter_rows(min_row=2)]
    assert sorted(c.value for c in cells[:3]) == sorted(ids) and {c.data_type for c in cells} == {"s"}
    rows = list(csv.DictReader(io.StringIO(to_csv(store, job.id)), delimiter=";"))
    assert sorted(r["market_id"] for r in rows) == sorted(["'" + ids[0], "'" + ids[1], ids[2]])
    assert {r["error"] for r in rows} == {"'=1+1 cité"}
    shown = to_terminal(store, job.id)
    assert "[brouillon]" in shown


def test_results_say_what_is_wrong_with_a_format_or_a_status(tmp_path):
    db = tmp_path / "achat-check.db"
    store = Store(str(db))
    job = new_job(store, str(tmp_path), [("M-1", [str(tmp_path / "M-1")])], "rso-2025", "local:1", 1)
    for option in (["--format", "xml"], ["--status", "fini"]):
        proc = run_cli("batch", "results", job.id, "--db", str(db), *option)
        assert proc.returncode != 0 and "AC-E016" in proc.stderr and option[1] in proc.stderr and "Traceback" not in proc.stderr
    many = new_job(store, str(tmp_path), [(f"M-{k}", [str(tmp_path / "absent")]) for k in range(25)], "rso-2025", "local:1", 1)
    for m, _ in store.results(many.id):
        store.save_failure(m.id, "DCE introuvable", "AC-E001")
    status = run_cli("batch", "status", many.id, "--db", str(db)).stdout
    assert status.count("  échec M-") == 20 and "… et 5 autre(s)" in status and "--status failed" in status
    pending = run_cli("batch", "results", job.id, "--db", str(db), "--format", "terminal").stdout
    assert "M-1" in pending and "à faire" in pending
    assert run_cli("batch", "results", job.id, "--db", str(db), "--status", "done", "-f", "terminal").stdout == "Aucun marché au statut done.\n"


def test_a_market_over_its_time_is_failed_and_the_job_goes_on(tmp_path):
    root = archive(tmp_path, ["travaux-renovation", "espaces-verts-reserve"])
    store = Store(str(tmp_path / "achat-check.db"))
    markets, _ = discover(root)
    job = new_job(store, str(root), markets, "rso-2025", "local:1", 1)
    # the works DCE (OCR of a scanned page) takes well over 0.3 s; the other well under
    run_job(store, job.id, LocalPool(1, timeout=0.3), use_cache=False)
    rows = {m.market_id: m for m, _ in store.results(job.id)}
    assert rows["travaux-renovation"].status == "failed" and "temps dépassé" in rows["travaux-renovation"].error
    assert rows["espaces-verts-reserve"].status == "done"
    assert [e.code for e in store.document_errors(rows["travaux-renovation"].id)] == ["AC-E019"]


def test_a_worker_over_its_memory_is_replaced_and_the_job_goes_on(tmp_path):
    root = archive(tmp_path, ["espaces-verts-reserve", "gardiennage-urssaf"])
    store = Store(str(tmp_path / "achat-check.db"))
    markets, _ = discover(root)
    job = new_job(store, str(root), markets, "rso-2025", "local:1", 1)
    # a worker holds its pipeline and rules (about 200 MB): over a 50 MB budget on any market
    progress = run_job(store, job.id, LocalPool(1, memory_mb=50), use_cache=False)
    rows = [m for m, _ in store.results(job.id)]
    assert progress.failed == 2 and store.job(job.id).status == "done"
    assert all(m.status == "failed" and "mémoire dépassée" in m.error for m in rows)
    assert all([e.code for e in store.document_errors(m.id)] == ["AC-E020"] for m in rows)


def test_recycled_workers_lose_no_market(tmp_path):
    root = archive(tmp_path, ["espaces-verts-reserve"], copies=5)
    store = Store(str(tmp_path / "achat-check.db"))
    markets, _ = discover(root)
    job = new_job(store, str(root), markets, "rso-2025", "local:1", 1)
    pool = LocalPool(1, recycle=2)  # a new worker after every second market
    progress = run_job(store, job.id, pool, use_cache=False)
    rows = [m for m, _ in store.results(job.id)]
    assert progress.done == 5 and progress.failed == 0
    assert len(rows) == 5 and all(m.status == "done" for m in rows)


def test_cached_results_are_reused_until_a_file_changes(tmp_path):
    root = archive(tmp_path, FAST)
    store = Store(str(tmp_path / "achat-check.db"))
    markets, _ = discover(root)
    first = new_job(store, str(root), markets, "rso-2025", "local:2", 2)
    run_job(store, first.id, LocalPool(2))
    (root / "gardiennage-urssaf" / "RC.pdf").write_bytes((root / "gardiennage-urssaf" / "RC.pdf").read_bytes() + b"\n%modif\n")
    second = new_job(store, str(root), markets, "rso-2025", "local:2", 2)
    progress = run_job(store, second.id, LocalPool(2))
    assert (progress.cached, progress.done) == (2, 1)
    old = {m.market_id: m.report_id for m, _ in store.results(first.id)}
    new = {m.market_id: (m.status, m.report_id) for m, _ in store.results(second.id)}
    assert new["espaces-verts-reserve"] == ("cached", old["espaces-verts-reserve"])
    assert new["gardiennage-urssaf"][0] == "done" and new["gardiennage-urssaf"][1] != old["gardiennage-urssaf"]
    assert content_hash([str(root / "gardiennage-urssaf")]) != content_hash([str(SAMPLES / "gardiennage-urssaf")])


def test_a_run_starts_and_records_no_more_workers_than_markets_left(tmp_path):
    """The service's pool (ACHAT_CHECK_BATCH_WORKERS) started all its processes for a job of one
    market, and the job kept the workers asked (« local:32 ») when fewer started."""
    root = archive(tmp_path, FAST[:1])
    store = Store(str(tmp_path / "achat-check.db"))
    markets, _ = discover(root)
    job = new_job(store, str(root), markets, "rso-2025", "api:local:4", 4)
    pool = LocalPool(4)
    assert run_job(store, job.id, pool).done == 1
    assert pool.workers == 1 and (store.job(job.id).backend, store.job(job.id).workers) == ("api:local:1", 1)


#: warm workers check these small markets in about 0.1 s each: 24 of them leave an
#: interruption a window of seconds after the first result, even on a loaded machine
MID_JOB_COPIES = 12
MID_JOB_MARKETS = 2 * MID_JOB_COPIES


def _done(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=30) as c:
            return c.execute("SELECT count(*) FROM markets WHERE status = 'done'").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_a_job_resumed_after_an_upgrade_says_so_and_never_reuses_old_rules_reports(tmp_path):
    from sqlalchemy import text

    root = archive(tmp_path, FAST[:1])
    db = tmp_path / "achat-check.db"
    store = Store(str(db))
    markets, _ = discover(root)
    first = new_job(store, str(root), markets, "rso-2025", "local:1", 1)
    run_job(store, first.id, LocalPool(1), use_cache=False)
    second = new_job(store, str(root), markets, "rso-2025", "local:1", 1)
    with store.engine.begin() as c:  # as if both were made by the rules of a previous release
        c.execute(text("UPDATE reports SET rules_version = 'ancienne'"))
        c.execute(text("UPDATE jobs SET rules_version = 'ancienne' WHERE id = :id"), {"id": second.id})
    proc = run_cli("batch", "--resume", second.id, "--db", str(db), "--workers", "1", timeout=600)
    assert proc.returncode == 0 and "ont changé depuis le début du travail" in proc.stderr and "ancienne" in proc.stderr
    assert [m.status for m, _ in store.results(second.id)] == ["done"]  # checked again, not the old report


def test_a_report_made_by_other_code_is_not_taken_from_the_cache(tmp_path):
    """The tool's version was « 0.1.0 » whatever its code: a batch re-run after an update took
    from its cache the report of a DCE the new code reads otherwise (a PDF cut short, refused
    before, now read up to its cut).  Reports carry the code's digest, and the cache follows it."""
    from sqlalchemy import text

    from achat_check import __version__, code_digest, code_version
    from achat_check.batch.runner import current_versions

    assert code_version().startswith(f"{__version__}+") and current_versions("rso-2025")[1] == code_version()
    assert MarketReport().tool_version == code_version()
    root = archive(tmp_path, FAST[:1])
    store = Store(str(tmp_path / "achat-check.db"))
    markets, _ = discover(root)
    first = new_job(store, str(root), markets, "rso-2025", "local:1", 1)
    run_job(store, first.id, LocalPool(1), use_cache=False)
    again = new_job(store, str(root), markets, "rso-2025", "local:1", 1)
    assert run_job(store, again.id, LocalPool(1)).cached == 1  # the same code: reused
    with store.engine.begin() as c:  # as if made by the code before an update
        c.execute(text("UPDATE reports SET tool_version = :v"), {"v": f"{__version__}+00000000"})
    third = new_job(store, str(root), markets, "rso-2025", "local:1", 1)
    progress = run_job(store, third.id, LocalPool(1))
    assert (progress.cached, progress.done) == (0, 1)
    # the digest follows the code's files, not their compiled caches nor the data an installed package carries
    code = tmp_path / "pkg"
    (code / "__pycache__").mkdir(parents=True)
    (code / "_data").mkdir()
    (code / "a.py").write_text("x = 1\n", encoding="utf-8")
    before = code_digest(code)
    (code / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"\0")
    (code / "_data" / "r.yaml").write_text("id: r\n", encoding="utf-8")
    assert code_digest(code) == before
    (code / "a.py").write_text("x = 2\n", encoding="utf-8")
    assert code_digest(code) != before


def test_kill_and_resume_loses_and_doubles_nothing(tmp_path):
    root = archive(tmp_path, ["nettoyage-caf", "restauration-ugecam"], copies=MID_JOB_COPIES)
    db = tmp_path / "achat-check.db"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]))
    cmd = [sys.executable, "-m", "achat_check.cli", "batch", str(root), "--db", str(db), "--workers", "1"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 300
    while _done(db) < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)  # the whole process group, as a crash of the machine's job would
    proc.wait()
    store = Store(str(db))
    job = store.jobs()[0]
    before = {m.market_id: (m.finished_at, m.report_id) for m, _ in store.results(job.id) if m.status == "done"}
    assert 2 <= len(before) < MID_JOB_MARKETS, "the kill must land mid-job"
    assert store.job(job.id).status == "running"  # killed: nobody could write "interrupted"
    resumed = run_cli("batch", "--resume", job.id, "--db", str(db), "--workers", "2", timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    rows = list(store.results(job.id))
    assert len(rows) == MID_JOB_MARKETS and len({m.market_id for m, _ in rows}) == MID_JOB_MARKETS
    assert all(m.status == "done" and r is not None for m, r in rows)
    after = {m.market_id: (m.finished_at, m.report_id) for m, _ in rows}
    assert all(after[k] == v for k, v in before.items()), "finished markets were not redone"
    assert store.job(job.id).status == "done"


def test_ctrl_c_while_the_pool_resets_a_connection_prints_no_traceback(tmp_path, caplog):
    """SQLAlchemy logs a KeyboardInterrupt met while handing a connection back, traceback
    and all, before letting it go on (seen once in the Ctrl-C test below); the batch command
    says the interruption itself.  Its other errors still reach the log."""
    from achat_check.batch.cli_support import quiet_interrupted_resets

    store = Store(str(tmp_path / "achat-check.db"))
    quiet_interrupted_resets()
    for exc in (KeyboardInterrupt(), ValueError("autre")):
        try:
            raise exc
        except BaseException:  # noqa: BLE001 - as the pool's own handler
            store.engine.pool.logger.error("Exception during reset or similar", exc_info=True)
    assert [r.exc_info[0] for r in caplog.records] == [ValueError]


@pytest.mark.parametrize("how", ["ctrl-c", "kill"])
def test_ctrl_c_records_the_job_as_interrupted_without_a_traceback(tmp_path, how):
    """Ctrl-C signals the parent and every worker; `kill` (a service stop) the parent only."""
    root = archive(tmp_path, ["nettoyage-caf", "restauration-ugecam"], copies=MID_JOB_COPIES)
    db = tmp_path / "achat-check.db"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]))
    cmd = [sys.executable, "-m", "achat_check.cli", "batch", str(root), "--db", str(db), "--workers", "2"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 300
    while _done(db) < 1 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    if how == "ctrl-c":
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the parent and every worker
    else:
        proc.terminate()
    _, stderr = proc.communicate(timeout=60)
    store = Store(str(db))
    job = store.jobs()[0]
    assert _done(db) < MID_JOB_MARKETS, "the interruption must land mid-job"
    assert proc.returncode == (130 if how == "ctrl-c" else 143) and "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
    assert f"--resume {job.id}" in stderr
    assert store.job(job.id).status == "interrupted"
    resumed = run_cli("batch", "--resume", job.id, "--db", str(db), "--workers", "2", timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    rows = list(store.results(job.id))
    assert len(rows) == MID_JOB_MARKETS and all(m.status == "done" for m, _ in rows), (
        [(m.status, m.error, m.market_id, m.content_hash, m.report_id) for m, _ in rows if m.status != "done"],
        [(m.market_id, m.content_hash, m.report_id) for m, _ in rows], stderr, resumed.stderr)


def _swallowed(signum: int) -> None:
    """A signal whose exception a library caught (« except BaseException: pass »)."""
    with contextlib.suppress(KeyboardInterrupt):
        os.kill(os.getpid(), signum)
        time.sleep(1)  # delivered at the next bytecode; the sleep only bounds the wait


class _OneAtATime:
    """A backend answering each market with a failure, a SIGTERM swallowed after the first."""

    name = "test:1"

    def run(self, tasks):
        for i, task in enumerate(tasks):
            if i == 1:
                _swallowed(signal.SIGTERM)
            yield Outcome(task.pk, error="échec de test", code="AC-E018")


@pytest.mark.parametrize("backend", ["any", "local"])
def test_a_signal_whose_exception_was_lost_still_interrupts_the_job(tmp_path, backend):
    """CI once saw a SIGTERM after the first market and the job finish its 24 markets: the
    handler's exception had been swallowed on the way.  The runners check for it between steps."""
    store = Store(str(tmp_path / "achat-check.db"))
    markets, _ = discover(archive(tmp_path, FAST))
    job = new_job(store, "archive", markets, "rso-2025", "test", 1)
    # the handlers the job found (a shell started in the background hands SIGINT over ignored)
    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    with interrupt.stop_on_signals():
        if backend == "local":
            _swallowed(signal.SIGINT)
        with pytest.raises(KeyboardInterrupt) as raised:
            run_job(store, job.id, _OneAtATime() if backend == "any" else LocalPool(1))
    assert isinstance(raised.value, interrupt.Terminated) == (backend == "any")  # SIGTERM is said as such (exit 143)
    assert store.job(job.id).status == "interrupted"
    assert store.counts(job.id) == ({"failed": 2, "pending": 1} if backend == "any" else {"pending": 3})
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before


def test_a_dask_market_over_its_time_is_failed_and_its_worker_goes_on(tmp_path):
    distributed = pytest.importorskip("distributed")
    from achat_check.batch.runner import Task

    root = archive(tmp_path, ["travaux-renovation", "espaces-verts-reserve"])
    slow, fast = (str(root / name) for name in ("travaux-renovation", "espaces-verts-reserve"))
    # one worker, one market at a time: the markets after the interrupted one run on the same worker
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        # the works DCE (OCR of a scanned page) takes well over 0.3 s; the other well under
        backend = DaskBackend(cluster.scheduler_address, timeout=0.3, ahead=1)
        tasks = [Task(0, "lent", [slow]), Task(1, "rapide", [fast]), Task(2, "lent-2", [slow])]
        with distributed.Client(cluster) as client:
            before = client.run(os.getpid)
            outcomes = {o.pk: o for o in backend.run(iter(tasks))}
            after = client.run(os.getpid)
    assert outcomes[0].report is None and outcomes[0].code == "AC-E019" and "temps dépassé (0,3 s)" in outcomes[0].error
    assert outcomes[1].report is not None and outcomes[1].report.readable and outcomes[1].error is None
    assert outcomes[2].code == "AC-E019"  # the deadline of each market is its own
    assert after == before  # the same worker process went on: nothing was killed or restarted


def test_an_unreachable_dask_scheduler_is_a_clear_error(tmp_path, monkeypatch):
    pytest.importorskip("distributed")
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT", "2s")
    root = archive(tmp_path, FAST)
    db = tmp_path / "achat-check.db"
    proc = run_cli("batch", str(root), "--db", str(db), "--dask", f"tcp://127.0.0.1:{port}", timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "Erreur interne" not in proc.stderr, proc.stderr
    assert "AC-E025" in proc.stderr and f"tcp://127.0.0.1:{port}" in proc.stderr
    assert "(aucune réponse en 2 s)" in proc.stderr and "Timed out" not in proc.stderr  # Dask's words, in French
    job = Store(str(db)).jobs()[0]
    assert job.status == "interrupted" and f"--resume {job.id}" in proc.stderr
    assert "sans effet" not in proc.stderr
    timed = run_cli("batch", "--resume", job.id, "--db", str(db), "--dask", f"tcp://127.0.0.1:{port}", "--market-timeout", "60", timeout=120)
    assert "sans effet" not in timed.stderr  # the market's time limit holds on Dask
    limited = run_cli("batch", "--resume", job.id, "--db", str(db), "--dask", f"tcp://127.0.0.1:{port}", "--recycle-after", "5", timeout=120)
    assert "--recycle-after sont sans effet" in limited.stderr and "--lifetime" in limited.stderr  # the cluster's limits, said


@pytest.mark.parametrize("address", ["http://ordonnanceur:8786", "ordonnanceur", "tcp://ordonnanceur:port"])
def test_a_malformed_dask_address_is_refused_before_any_job(tmp_path, address):
    """A typo in --dask (a web address, no port) made an interrupted job, said Dask's English
    (« unknown address scheme 'http' », « missing port number ») and printed the traceback of
    Dask's half-built Client (« Exception ignored in: Client.__del__ »)."""
    pytest.importorskip("distributed")
    root = archive(tmp_path, FAST[:1])
    db = tmp_path / "achat-check.db"
    proc = run_cli("batch", str(root), "--db", str(db), "--dask", address, timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr, proc.stderr
    assert f"[AC-E016] --dask « {address} » : adresse d'ordonnanceur Dask invalide" in proc.stderr
    assert "tcp://hôte:8786" in proc.stderr and (not db.exists() or Store(str(db)).jobs() == [])


def test_results_and_export_feed_the_indicators(tmp_path):
    root = archive(tmp_path, FAST)
    db = tmp_path / "achat-check.db"
    assert run_cli("batch", str(root), "--db", str(db), "--workers", "1", timeout=600).returncode == 0
    job = Store(str(db)).jobs()[0]
    lines = run_cli("batch", "results", job.id, "--db", str(db)).stdout.splitlines()
    first = json.loads(lines[0])
    assert len(lines) == 3 and first["market_id"] == "espaces-verts-reserve" and first["report"]["market_id"] == "espaces-verts-reserve"
    out = tmp_path / "rapports"
    assert run_cli("batch", "export", job.id, "--db", str(db), "--out", str(out)).returncode == 0
    assert sorted(p.stem for p in out.glob("*.json")) == sorted(FAST)
    xlsx = tmp_path / "resultats.xlsx"
    assert run_cli("batch", "export", job.id, "--db", str(db), "--out", str(xlsx)).returncode == 0
    from openpyxl import load_workbook

    rows = list(load_workbook(xlsx)["Marchés"].iter_rows(values_only=True))
    assert rows[0][0] == "market_id" and len(rows) == 4
    register = tmp_path / "marches.csv"
    register.write_text("id_marche;nom_acheteur;date_notification;montant;consideration_environnementale\n"
                        "gardiennage-urssaf;URSSAF;2026-11-20;420000;oui\n", encoding="utf-8")
    ind = run_cli("indicators", str(register), "--year", "2026", "--reports", str(out), "--format", "json")
    data = json.loads(ind.stdout)
    assert data["cross_check"][0]["market_id"] == "gardiennage-urssaf"  # declared yes, the documents say no


def test_a_register_names_the_dces_and_results_export_as_csv_and_jsonl(tmp_path):
    """`batch --register`: the DCE paths of the `dce` column (relative to the register);
    a market without one is named and skipped.  Results as CSV, exports as .csv and .jsonl."""
    archive(tmp_path, FAST[:2])
    register = tmp_path / "registre.csv"
    register.write_text("id_marche;nom_acheteur;date_notification;montant;dce\n"
                        f"M-1;CAF;2026-03-15;144000;archive/{FAST[0]}\n"
                        f"M-2;URSSAF;2026-11-20;420000;archive/{FAST[1]}\n"
                        "M-3;CPAM;2026-05-02;90000;\n"
                        f"M-1;CAF;2026-03-15;144000;archive/{FAST[0]}\n"  # the same line twice: checked once
                        # same id, another market: M-1's DCE, buyer, date and amount, so M-1's report (cached)
                        f"M-2;CAF;2026-03-15;144000;archive/{FAST[0]}\n", encoding="utf-8")
    db = tmp_path / "achat-check.db"
    proc = run_cli("batch", "--register", str(register), "--db", str(db), "--workers", "1", timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "M-3" in proc.stderr and "AC-W008" in proc.stderr  # no DCE named: said, not checked
    assert "ligne 5" in proc.stderr and "en double" in proc.stderr  # as the indicators count them (ids included)
    assert "ligne 6" in proc.stderr and "M-2#2" in proc.stderr
    job = Store(str(db)).jobs()[0]
    lines = run_cli("batch", "results", job.id, "--db", str(db), "--format", "csv").stdout.splitlines()
    header, *rows = [line.split(";") for line in lines]
    assert header[:2] == ["market_id", "status"] and sorted((r[0], r[1]) for r in rows) == [("M-1", "done"), ("M-2", "done"), ("M-2#2", "cached")]  # M-2#2 is M-1's DCE
    by_suffix = tmp_path / "resultats-sans-format.csv"  # no --format: the --out file's extension says it
    assert run_cli("batch", "results", job.id, "--db", str(db), "--out", str(by_suffix)).returncode == 0
    assert by_suffix.read_text(encoding="utf-8-sig").splitlines() == lines  # the file has the mark Excel reads UTF-8 by
    for suffix in (".csv", ".jsonl"):
        out = tmp_path / f"resultats{suffix}"
        assert run_cli("batch", "export", job.id, "--db", str(db), "--out", str(out)).returncode == 0
        text = out.read_text(encoding="utf-8")
        assert "M-1" in text and "M-2#2" in text and "M-3" not in text
    first = json.loads((tmp_path / "resultats.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert first["market_id"] in ("M-1", "M-2") and first["report"]["market_id"] == first["market_id"]
    reports = tmp_path / "rapports"
    assert run_cli("batch", "export", job.id, "--db", str(db), "--out", str(reports)).returncode == 0
    ind = json.loads(run_cli("indicators", str(register), "--year", "2026", "--reports", str(reports), "--format", "json").stdout)
    without = [i["message"] for i in ind["data_quality"] if i["kind"] == "sans DCE"]
    assert len(without) == 1 and "(M-3)" in without[0]  # M-2#2 found its report: the batch used the indicators' ids
    # the stored batch's reports joined without an export: the same indicators
    stored = json.loads(run_cli("indicators", str(register), "--year", "2026", "--job", job.id, "--db", str(db), "--format", "json").stdout)
    assert stored["indicators"] == ind["indicators"] and stored["markets"] == ind["markets"]
    unknown = run_cli("indicators", str(register), "--year", "2026", "--job", "nope", "--db", str(db))
    assert unknown.returncode != 0 and "AC-E017" in unknown.stderr and "Traceback" not in unknown.stderr


def test_a_register_that_names_no_dce_says_so_not_that_an_archive_holds_loose_files(tmp_path):
    """The indicators' register given to `batch --register` (no « dce » column): each line
    said « sans DCE (colonne dce vide) », then the job was refused because « l'archive ne
    contient que des fichiers (6), sans sous-dossier ni ZIP de marché », about no archive."""
    register = tmp_path / "registre.csv"
    register.write_text("id_marche;date_notification;montant\nM-1;2026-03-15;144000\nM-2;2026-11-20;420000\n", encoding="utf-8")
    proc = run_cli("batch", "--register", str(register), "--db", str(tmp_path / "a.db"))
    said = " ".join(proc.stderr.split())
    assert proc.returncode != 0 and "AC-E012" in said and "Traceback" not in said
    assert "aucun marché à vérifier : aucune ligne du registre ne nomme son DCE : la colonne « dce » donne" in said
    assert "archive" not in said and "colonne dce vide" not in said  # one line says it, not one per market


def test_a_registers_notification_date_reaches_the_report_of_an_undated_dce(tmp_path):
    """`batch --register` on a DCE archived without a date: the climate checks were
    « indéterminé » for a market notified before the law; the register's date decides them,
    and the same DCE under another date is another input, not a cached report."""
    (tmp_path / "archive" / "sans-date").mkdir(parents=True)
    (tmp_path / "archive" / "sans-date" / "RC.md").write_text(UNDATED_RC, encoding="utf-8")
    # a CCAP archived without its RC: no procedure, no object; the register's stand in
    (tmp_path / "archive" / "sans-rc").mkdir(parents=True)
    (tmp_path / "archive" / "sans-rc" / "CCAP.md").write_text(
        "# CAHIER DES CLAUSES ADMINISTRATIVES PARTICULIÈRES\n\n# Article 1 – Paiement\n\nLe délai global de paiement est de 30 jours.\n",
        encoding="utf-8")
    register = tmp_path / "registre.csv"
    register.write_text("id_marche;nom_acheteur;date_notification;montant;procedure;objet;dce\n"
                        "M-1;CAF;2025-03-01;144000;;;archive/sans-date\n"
                        "M-2;CAF;2026-11-20;144000;Procédure adaptée;Tonte;archive/sans-date\n"
                        "M-3;CAF;2026-11-20;144000;Procédure adaptée;Entretien des espaces verts;archive/sans-rc\n", encoding="utf-8")
    db = tmp_path / "achat-check.db"
    proc = run_cli("batch", "--register", str(register), "--db", str(db), "--workers", "1", timeout=600)
    assert proc.returncode == 0, proc.stderr
    job = Store(str(db)).jobs()[0]
    out = tmp_path / "resultats.jsonl"
    assert run_cli("batch", "export", job.id, "--db", str(db), "--out", str(out)).returncode == 0
    rows = {r["market_id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert {mid: r["status"] for mid, r in rows.items()} == {"M-1": "done", "M-2": "done", "M-3": "done"}
    early, late = rows["M-1"]["report"], rows["M-2"]["report"]
    assert early["facts"]["consultation_before"] == "2025-03-01" and early["facts"]["consultation_date"] is None
    assert early["checks"]["climate.env_award_criterion"] == "not_applicable"
    assert late["checks"]["climate.env_award_criterion"] == "unknown"  # notified after the law: launched before or after
    # the DCE's own procedure and object win over the register's
    assert (late["facts"]["procedure"], late["facts"]["procedure_basis"]) == ("formalisee", None)
    assert late["facts"]["object"] == "l'entretien des espaces verts" and late["facts"]["object_basis"] is None
    # a DCE that says neither: the register's procedure decides the loi Climat's scope, and says so
    bare = rows["M-3"]["report"]
    assert (bare["facts"]["procedure"], bare["facts"]["procedure_label"], bare["facts"]["procedure_basis"]) == \
        ("adaptee", "Procédure adaptée", "procédure selon le registre")
    assert (bare["facts"]["object"], bare["facts"]["object_basis"]) == ("Entretien des espaces verts", "objet selon le registre")
    assert bare["checks"]["climate.env_award_criterion"] == "not_applicable"
    why = next(d for d in bare["check_details"] if d["id"] == "climate.env_award_criterion")
    assert why["reason"].startswith("procédure adaptée (procédure selon le registre) :")


def test_a_register_s_duration_comes_with_its_market(tmp_path):
    """The register's « duree_mois » (DECP « dureeMois ») is given to the check beside the DCE,
    as its notification date is: its content hash changes with it (a register corrected
    re-checks its market)."""
    from achat_check.batch.discover import content_hash, from_register

    (tmp_path / "dce").mkdir()
    (tmp_path / "dce" / "AE.md").write_text("# ACTE D'ENGAGEMENT\n", encoding="utf-8")
    register = tmp_path / "registre.csv"
    register.write_text("id_marche;date_notification;montant;duree_mois;dce\nM-1;2025-04-15;144000;48 mois;dce\n", encoding="utf-8")
    markets, _, given = from_register(register)
    assert given["M-1"].duration_months == 48 and given["M-1"].notified.isoformat() == "2025-04-15"
    paths = markets[0][1]
    assert content_hash(paths, [], given["M-1"]) != content_hash(paths, [], given["M-1"].model_copy(update={"duration_months": 36}))


def test_dask_backend_on_a_local_cluster(tmp_path):
    distributed = pytest.importorskip("distributed")
    import dask

    from achat_check.batch.dask_worker import WORKER_CONFIG

    root = archive(tmp_path, FAST)
    store = Store(str(tmp_path / "achat-check.db"))
    markets, _ = discover(root)
    job = new_job(store, str(root), markets, "rso-2025", "dask", 0)
    # workers set up as the README advises (achat_check.batch.dask_worker)
    with dask.config.set(WORKER_CONFIG), \
            distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            # the preload imported what checking needs when the worker started, before any market
            preloaded = client.run(lambda: all(m in sys.modules for m in ("achat_check.checker", "spacy")))
        # by its address, as `--dask tcp://…` gives it: the backend's own client is no default client
        progress = run_job(store, job.id, DaskBackend(cluster.scheduler_address), use_cache=False)
        with distributed.Client(cluster) as client:
            workers_used = len(client.scheduler_info()["workers"])
        # markets are submitted a window ahead of the results, not the whole archive first
        taken: list[str] = []

        def tasks():
            for pk, (mid, paths) in enumerate(markets * 2):
                taken.append(mid)
                yield Task(pk, mid, paths)

        run = DaskBackend(cluster.scheduler_address, ahead=1).run(tasks())
        first = next(run)
        assert first.report is not None and len(taken) <= 2
        assert sorted(o.pk for o in [first, *run]) == list(range(6))
    assert progress.done == 3 and workers_used == 2
    assert list(preloaded.values()) == [True, True]
    local = new_job(store, str(root), markets, "rso-2025", "local:1", 1)
    run_job(store, local.id, LocalPool(1), use_cache=False)
    # same code path, same verdicts
    by_dask = {m.market_id: json.loads(r.report_json)["checks"] for m, r in store.results(job.id)}
    by_pool = {m.market_id: json.loads(r.report_json)["checks"] for m, r in store.results(local.id)}
    assert by_dask == by_pool


def test_a_pipe_or_a_device_named_as_a_dce_does_not_hang_the_batch(tmp_path):
    """A register line naming /dev/zero hashed it for the cache until the job was killed
    (« interrompu », and again at each --resume); a pipe blocked at its opening. Such a DCE
    is a market failed with the reader's own words (« fichier spécial »)."""
    import threading

    pipe = tmp_path / "tube"
    os.mkfifo(pipe)
    done: list[str] = []
    worker = threading.Thread(target=lambda: done.append(content_hash([str(pipe), "/dev/zero"])), daemon=True)
    worker.start()
    worker.join(30)
    assert done and not worker.is_alive()
    assert done[0] != content_hash([str(pipe)])  # still the DCE's names
