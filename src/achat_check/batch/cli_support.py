"""`achat-check batch` at the terminal: its options checked, the job made or resumed and run with a
progress bar, and a job's status, results and exports."""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

from achat_check.batch.interrupt import stop_on_signals
from achat_check.batch.runner import Backend, run_job, workers_to_start
from achat_check.batch.runner import Progress as Counts
from achat_check.batch.store import Job, Market, Report, Store
from achat_check.batch.stored import failed_check_ids, own_report
from achat_check.checks import checks_by_id, known_check
from achat_check.engine.loader import known_rulebook
from achat_check.engine.schema import CheckSpec
from achat_check.errors import FILE_SUFFIXES, AchatCheckError, writing
from achat_check.extract.numbers import fmt_number
from achat_check.ingest.archive import readable_name
from achat_check.report.consoles import console
from achat_check.report.labels import JOB_STATUS, MARKET_STATUS, check_kind, yes_no
from achat_check.report.sheets import csv_cell, xlsx_row

#: the columns of a job's rows (CSV, XLSX, the API's rows) in the order written, with what each
#: holds: the ids are what programs read (added ones go last: migrations 0006, 0008, 0009, so a
#: program reading the columns by position still finds the others); the meanings are the XLSX's
#: « Colonnes » sheet and the API's field descriptions, for a manager who reads
#: « env_consideration » at the head of a column
COLUMNS: dict[str, str] = {
    "market_id": "le marché : son dossier ou son ZIP dans l'archive, ou sa ligne du registre",
    "status": "done (vérifié), cached (repris du cache), failed (échec, voir error), pending (à faire)",
    "error": "pourquoi le marché n'a pas pu être vérifié (statut failed)",
    "seconds": "durée de sa vérification, en secondes",
    "documents": "nombre de documents du DCE lus",
    "env_consideration": "au moins une considération environnementale (spécification, condition d'exécution ou critère)",
    "env_criterion": "au moins un critère d'attribution environnemental",
    "social_consideration": "au moins une considération sociale (condition d'exécution, clause d'insertion, marché "
                            "réservé ou critère)",
    "social_criterion": "au moins un critère d'attribution social",
    "insertion_clause": "une clause d'insertion par l'activité économique",
    "facilitator": "un facilitateur de la clause d'insertion nommé",
    "reserved": "marché ou lot réservé (handicap, structures d'insertion, ESS)",
    "in_scope": "dans le périmètre des indicateurs (montant estimé au seuil du référentiel ou au-dessus) ; vide : montant inconnu",
    "amount_ht": "montant estimé en € HT, sur toute la durée du marché",
    "insertion_hours": "heures d'insertion que demande la clause",
    "procedure": "formalisee (procédure formalisée), adaptee (MAPA), negociee (sans publicité ni mise en concurrence)",
    "consultation_date": "date de la consultation (AAAA-MM-JJ)",
    "obligations_failed": "nombre d'obligations légales non respectées",
    "recommendations_missed": "nombre de recommandations du référentiel non suivies",
    "failed_checks": "vérifications manquées (obligations et recommandations), leurs identifiants séparés par « , » "
                     "(clauses.declared, climate.env_award_criterion…) : intitulés dans la feuille « Vérifications » de "
                     "l'export XLSX ; un identifiant choisit les marchés qui la manquent (--failing, ?failing=)",
    "unread": "fichiers du DCE non lus en entier (fichier coupé ou endommagé, pages scannées sans OCR, pages au-delà de la limite), "
              "séparés par des virgules : ce qu'ils contiennent n'a pas été vérifié",
    "content_hash": "empreinte des fichiers du DCE : les mêmes fichiers vérifiés avec les mêmes règles reprennent ce résultat",
    "paths": "où est le DCE du marché : son dossier ou son ZIP dans l'archive, ou le chemin que donne le registre",
    "buyer": "l'acheteur que nomment les pièces du DCE ; à défaut, celui du registre envoyé avec le lot (le rapport "
             "le dit : facts.buyer_basis)",
    "object": "l'objet du marché, tel que les pièces l'écrivent ; à défaut, celui du registre envoyé avec le lot (le "
              "rapport le dit : facts.object_basis)",
    "max_duration_months": "durée maximale du marché en mois, reconductions comprises, telle que les pièces l'écrivent ; "
                           "à défaut, celle du registre (facts.duration_basis)",
    "missing_pieces": "pièces principales absentes du DCE (RC, CCAP, CCTP), séparées par « , » : les vérifications qui "
                      "les lisent y restent indéterminées",
}
ROW_FIELDS = list(COLUMNS)
MARKET_STATUSES = ("done", "cached", "failed", "pending")
RESULT_FORMATS = ("terminal", "jsonl", "csv")
MAX_TERMINAL_ROWS = 200  # `batch results` at a terminal: a table of 10,000 rows took 9 s and scrolled away
MAX_FAILURES_SHOWN = 20  # `batch status` names the first failures; `results --status failed` has them all
err = console(stderr=True, soft_wrap=True)  # file paths are never cut across lines


#: seconds between two progress lines when standard error is a file or a pipe (a job run by
#: cron or a service writes its log there: a bar would show nothing until the end)
LOG_EVERY = 30.0


def run_with_progress(store: Store, job_id: str, backend: Backend, use_cache: bool = True, every: float = LOG_EVERY) -> Counts:
    """Run the job with a progress bar (markets done, failed, cached, rate and time left) at a
    terminal, or a progress line every `every` seconds in a log."""
    job = store.job(job_id)
    before = store.counts(job_id)  # a resumed job: its rate and time left count this run's markets only
    checked_before = before.get("done", 0) + before.get("failed", 0)

    def detail(p: Counts) -> tuple[str, float]:
        rate = (p.done + p.failed - checked_before) / max(1e-6, _elapsed(p)) * 60
        return f"{p.done} vérifiés · {p.failed} échecs · {p.cached} en cache · {fmt_number(round(rate, 1))} marchés/min", rate

    if not err.is_terminal:
        last = [0.0]  # the first line after `every` seconds: the first markets' rate includes the workers' start

        def log(p: Counts) -> None:
            if _elapsed(p) - last[0] < every:
                return
            last[0] = _elapsed(p)
            text, rate = detail(p)
            left = f" · reste environ {_duration((p.total - p.finished) / rate * 60)}" if rate > 0 and p.finished < p.total else ""
            err.print(f"Travail {job_id} : {p.finished}/{p.total} ({100 * p.finished // max(1, p.total)} %) · {text}{left}", highlight=False)

        return run_job(store, job_id, backend, use_cache, on_progress=log)
    columns = (TextColumn("{task.description}", style="bold", markup=False), BarColumn(), TaskProgressColumn(),
               TextColumn("{task.fields[detail]}", markup=False), TimeRemainingColumn())
    with Progress(*columns, console=err, transient=False) as bar:
        task = bar.add_task(f"Travail {job_id}", total=job.total, completed=job.total - before.get("pending", 0), detail="")

        def show(p: Counts) -> None:
            bar.update(task, completed=p.finished, detail=detail(p)[0])

        counts = run_job(store, job_id, backend, use_cache, on_progress=show)
        show(counts)
    return counts


def _duration(seconds: float) -> str:
    """"45 s", "12 min", "3 h 05" (a time left, as a log line says it)."""
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    return f"{int(seconds // 3600)} h {int(seconds % 3600 // 60):02d}"


#: a worker holds about 200 MB before its first market (pipeline, rules, lemma table:
#: `bench/batch.py` measures 210 MB at its peak); a lower limit would fail every market
MIN_WORKER_MEMORY_MB = 300


#: what a worker and its reader hold before their first market (a worker peaks at about 180 MB
#: on the bench): the memory a machine must have free for each worker asked for
WORKER_FLOOR_MB = 250


def check_limits(workers: int, market_timeout: float, worker_memory_mb: float, recycle_after: int) -> None:
    """Refuse limits that would fail every market, never end or exhaust the machine, before a
    job is recorded (`--workers 1000` started a thousand processes of 200 MB each)."""
    problems = [
        (workers < 1, f"--workers {workers} : il faut au moins 1 processus"),
        (market_timeout <= 0, f"--market-timeout {market_timeout:g} : donnez un nombre de secondes positif (900 par défaut)"),
        (worker_memory_mb < MIN_WORKER_MEMORY_MB,
         f"--worker-memory-mb {worker_memory_mb:g} : un processus occupe déjà environ 200 Mo avant son premier marché ; "
         f"donnez au moins {MIN_WORKER_MEMORY_MB} (1 500 par défaut)"),
        (recycle_after < 1, f"--recycle-after {recycle_after} : un processus vérifie au moins 1 marché avant d'être remplacé"),
    ]
    for bad, message in problems:
        if bad:
            raise AchatCheckError("AC-E016", message + ".")
    workers_fit(workers, "--workers")


def most_workers(free: float) -> int:
    """How many workers `free` MB of memory hold (one at least)."""
    return max(1, int(free // WORKER_FLOOR_MB))


def default_workers() -> int:
    """One worker per core, as many as the free memory holds: the default is never refused."""
    free = free_memory_mb()
    cores = os.cpu_count() or 1
    return min(cores, most_workers(free)) if free is not None else cores


def workers_fit(workers: int, setting: str) -> None:
    """AC-E016 when `workers` processes would not fit in the machine's free memory, naming the
    option or variable that asked for them and how many fit."""
    free = free_memory_mb()
    if free is None or workers * WORKER_FLOOR_MB <= free:
        return
    most = most_workers(free)
    raise AchatCheckError("AC-E016", f"{setting} {workers} : chaque processus occupe au moins {WORKER_FLOOR_MB} Mo et cette "
                                     f"machine en a {fmt_number(free / 1024)} Go de libres : donnez au plus {most} (avec "
                                     f"{os.cpu_count() or 1} cœur(s), plus de processus que de cœurs ne va pas plus vite).")


def one_source(folder: bool, register: bool, resume: bool) -> None:
    """A job is made of a folder or of a register, or resumed: one at a time."""
    given = [name for name, on in (("un dossier", folder), ("--register", register), ("--resume", resume)) if on]
    if len(given) > 1:
        raise AchatCheckError("AC-E016", f"donnez un seul de : {', '.join(given)} (un travail porte sur un dossier ou un "
                              "registre ; --resume reprend un travail déjà créé).")


def job_to_resume(store: Store, job_id: str, db: str | None) -> Job | None:
    """The job to go on with, or None when it has nothing left (said); an upgrade since it
    began is said too."""
    from achat_check.batch.runner import current_versions

    job = store.job(job_id)
    now = current_versions(job.rulebook)
    if now != (job.rules_version, job.tool_version):
        err.print(f"Les règles ou l'outil ont changé depuis le début du travail {job.id} (règles {job.rules_version}, "
                  f"outil {job.tool_version} ; maintenant {now[0]}, {now[1]}) : les marchés restants seront vérifiés "
                  "avec les nouveaux, et chaque rapport dit ses versions. Pour un travail homogène, relancez tout "
                  "le dossier : les DCE déjà vérifiés avec ces versions viendront du cache.", style="yellow", highlight=False)
    counts = store.counts(job.id)
    if job.status == "done" and not counts.get("pending"):
        err.print(f"Travail {job.id} déjà terminé, rien à reprendre : {_summary(counts, job.total)}. "
                  f"Résultats : achat-check batch results {job.id}{_db_hint(db)}", highlight=False)
        return None
    return job


def free_memory_mb() -> float | None:
    """The memory this machine has available (Linux's MemAvailable), or None where it is not said."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def workers_for(store: Store, job: Job, workers: int) -> int:
    """The workers to start for a job: no more than its markets left to check (a job of 7
    markets with --workers 32 started 32 processes to warm up for nothing), and a word when
    there are more than cores."""
    started = workers_to_start(workers, store.counts(job.id).get("pending", 0))
    cores = os.cpu_count() or 1
    if started > cores:
        err.print(f"--workers {workers} : cette machine a {cores} cœur(s) ; les processus au-delà se partagent les mêmes "
                  "cœurs (plus de mémoire, pas plus vite).", highlight=False)
    return started


def new_job_of(store: Store, args: list[str], register: Path | None, rulebook: str, backend_name: str, workers: int) -> Job:
    """A new job over the archive folder's markets, or the register's."""
    from achat_check.batch import discover, from_register, loose_files_only, new_job
    from achat_check.batch.discover import NO_DCE_NAMED

    known_rulebook(rulebook)
    if register is not None:
        markets, notices, given = from_register(register)
        source = readable_name(str(register))
    elif len(args) == 1:
        markets, notices = discover(args[0])
        given = {}
        source = readable_name(str(Path(args[0]).resolve()))
    else:
        raise AchatCheckError("AC-E016", "donnez un dossier d'archive, --register REGISTRE ou --resume JOB.")
    for n in notices:
        err.print(n.render(), style="yellow", highlight=False)
    if not markets:
        # a register's lines without a DCE are no loose files of an archive
        why = NO_DCE_NAMED if register else (loose_files_only(notices, "`achat-check check DOSSIER`") or "le dossier est vide.")
        raise AchatCheckError("AC-E012", f"aucun marché à vérifier : {why}", source)
    job = new_job(store, source, markets, rulebook, backend_name, workers, notices, market_given=given)
    err.print(f"Travail {job.id} : {job.total} marché(s) — base {store.shown_url}", highlight=False)
    return job


def say_dask_limits(worker_memory_mb: float, recycle_after: int) -> None:
    """The local pool's process limits mean nothing to a Dask cluster: say so when they were
    set, with the cluster's own (--market-timeout does apply: see batch.timelimit)."""
    from achat_check.batch.runner import DEFAULT_MEMORY_MB, DEFAULT_RECYCLE

    if (worker_memory_mb, recycle_after) != (DEFAULT_MEMORY_MB, DEFAULT_RECYCLE):
        err.print("Avec --dask, --worker-memory-mb et --recycle-after sont sans effet : la mémoire et le "
                  "renouvellement des processus sont ceux du cluster (dask worker --memory-limit, --lifetime) ; "
                  "--market-timeout s'applique, et chaque document reste lu sous les limites de temps et de "
                  "mémoire de `achat-check check`.", style="yellow", highlight=False)


def run_to_end(store: Store, job: Job, backend: Backend, use_cache: bool, db: str | None) -> BaseException | None:
    """Run the job with its progress bar.  An interruption (Ctrl-C, a lost cluster) is said
    with the command that resumes the job, and returned for the exit code."""
    quiet_interrupted_resets()
    try:
        with stop_on_signals():
            progress = run_with_progress(store, job.id, backend, use_cache=use_cache)
    except (KeyboardInterrupt, AchatCheckError) as exc:  # Typer would end a Ctrl-C silently
        if isinstance(exc, AchatCheckError):
            err.print(str(exc), style="bold red", highlight=False)
        err.print(f"Travail {job.id} interrompu : les marchés vérifiés sont enregistrés ; reprenez-le avec "
                  f"`achat-check batch --resume {job.id}{_db_hint(db)}`.", style="yellow", highlight=False)
        return exc
    err.print(f"Travail {job.id} terminé : {progress.done} vérifié(s), {progress.cached} repris du cache, {progress.failed} en échec.", highlight=False)
    if progress.failed:
        err.print(f"Détail des échecs : achat-check batch results {job.id} --status failed{_db_hint(db)}", highlight=False)
    # what makes results say less than they could: files not read, pieces not in the DCE
    for n, say in ((store.partly_read(job.id), say_partly_read), (store.incomplete(job.id), say_incomplete)):
        if n:
            err.print(f"{say(n)} : achat-check batch status {job.id}{_db_hint(db)}", style="yellow", highlight=False)
    return None


def _not_an_interruption(record: logging.LogRecord) -> bool:
    exc = record.exc_info[1] if record.exc_info else None
    return not isinstance(exc, KeyboardInterrupt)


def quiet_interrupted_resets() -> None:
    """Keep SQLAlchemy's pool from printing a traceback when Ctrl-C lands while it hands a
    connection back: it logs « Exception during reset or similar » with the KeyboardInterrupt
    (seen once in the Ctrl-C test), then lets it go on to `run_to_end`, which says
    the interruption in French.  Other pool errors still reach the user's logging."""
    import logging

    from sqlalchemy.pool import impl

    # a filter applies on the logger that makes the record: each pool class logs on its own
    for name in ("QueuePool", "SingletonThreadPool", "NullPool", "StaticPool", "AssertionPool"):
        logger = logging.getLogger(f"{impl.__name__}.{name}")
        if _not_an_interruption not in logger.filters:
            logger.addFilter(_not_an_interruption)


def _db_hint(db: str | None) -> str:
    """` --db URL` for the commands we suggest, its password masked (never printed back)."""
    from achat_check.batch.store import shown

    return f" --db {shown(db)}" if db else ""


def _elapsed(p: Counts) -> float:
    import time

    return time.monotonic() - p.started


def action(store: Store, name: str, args: list[str], fmt: str | None, status: str | None, out: Path | None,
           failing: str | None = None, db: str | None = None) -> None:
    """list, status JOB, results JOB, export JOB (results and export: of a status, failing a check).
    The commands `status` suggests name the base `db` it was given (without it, they read the
    default base: « travail inconnu »)."""
    if name == "list":
        jobs = store.jobs()
        if not jobs:
            sys.stdout.write(f"Aucun travail dans la base {store.shown_url}.\n")
        for job in jobs:
            counts = store.counts(job.id)
            sys.stdout.write(f"{job.id}  {job.created_at.astimezone():%d/%m/%Y %H:%M}  {JOB_STATUS.get(job.status, job.status):<11} {_summary(counts, job.total)}  {job.source}\n")
        return
    if not args:
        raise AchatCheckError("AC-E016", f"`achat-check batch {name} JOB` : indiquez le travail (voir `achat-check batch list{_db_hint(db)}`).")
    job = store.job(args[0])
    if name == "status":
        counts = store.counts(job.id)
        sys.stdout.write(
            f"Travail {job.id} ({JOB_STATUS.get(job.status, job.status)}) — {job.source}\n"
            f"référentiel {job.rulebook}, règles {job.rules_version}, outil {job.tool_version}, exécution {job.backend}\n"
            f"{_summary(counts, job.total)}\n"
        )
        left_out = job.notice_list()
        for n in left_out[:MAX_FAILURES_SHOWN]:
            said = "réparé" if n.code == "AC-W012" else "laissé de côté"  # AC-W012: an archive read whole, nothing left out
            sys.stdout.write(f"  {said} : {n.render()}\n")
        if len(left_out) > MAX_FAILURES_SHOWN:
            sys.stdout.write(f"  … et {len(left_out) - MAX_FAILURES_SHOWN} autre(s) fichier(s) laissé(s) de côté\n")
        partly = store.partly_read(job.id)
        if partly:
            sys.stdout.write(f"  {say_partly_read(partly)} ; leurs fichiers non lus : colonne « unread » de "
                             f"achat-check batch results {job.id} --format csv{_db_hint(db)}\n")
        if incomplete := store.incomplete(job.id):
            sys.stdout.write(f"  {say_incomplete(incomplete)} ; lesquelles : colonne « missing_pieces » de "
                             f"achat-check batch results {job.id} --format csv{_db_hint(db)}\n")
        if missed := store.failing_counts(job.id):
            sys.stdout.write(f"  vérifications manquées, en nombre de marchés (lesquels : achat-check batch results {job.id} "
                             f"--failing ID{_db_hint(db)}) :\n")
            specs = _checks_of(job.rulebook)
            for check, markets in missed.items():
                sys.stdout.write(f"  {markets:>6}  {_check_title(check, specs)} : {check}\n")
        failed = counts.get("failed", 0)
        for shown, (m, _) in enumerate(store.results(job.id, "failed", full=False, limit=MAX_FAILURES_SHOWN + 1)):
            if shown == MAX_FAILURES_SHOWN:
                sys.stdout.write(f"  … et {failed - shown} autre(s) : achat-check batch results {job.id} --status failed{_db_hint(db)}\n")
                break
            sys.stdout.write(f"  échec {m.market_id} : {m.error}\n")
        return
    if status is not None and status not in MARKET_STATUSES:
        raise AchatCheckError("AC-E016", f"--status « {status} » inconnu : {', '.join(MARKET_STATUSES)}.")
    if failing is not None:
        known_check(failing, "--failing")
    if name == "results":
        fmt = results_format(fmt, out)
        if fmt == "xlsx" and out is not None:  # a workbook: the one export writes
            export(store, job.id, out, status, failing)
            return
        writers: dict[str, Callable[[Store, str, str | None, str | None], str | Iterable[str]]] = {
            "terminal": to_terminal, "jsonl": jsonl_lines, "csv": to_csv}
        _write(writers[fmt](store, job.id, status, failing), out, for_excel=fmt == "csv")
        return
    if out is None:
        raise AchatCheckError("AC-E016", "export : --out DOSSIER (rapports JSON pour `indicators --reports`) ou --out fichier.xlsx/.csv/.jsonl")
    export(store, job.id, out, status, failing)


def say_partly_read(n: int) -> str:
    """How many markets were read in part, and what that means for their results."""
    return (f"{n} marché(s) lu(s) en partie (fichier coupé ou endommagé, pages scannées sans OCR…) : ce qui n'y a pas été "
            "trouvé reste à vérifier")


def say_incomplete(n: int) -> str:
    """How many markets' DCEs lack a main piece, and what that means for their results."""
    return (f"{n} marché(s) au DCE sans toutes ses pièces principales (RC, CCAP, CCTP) : les vérifications qui "
            "les lisent y restent indéterminées")


def _summary(counts: dict[str, int], total: int) -> str:
    done, cached, failed, pending = (counts.get(k, 0) for k in ("done", "cached", "failed", "pending"))
    return f"{done + cached + failed}/{total} : {done} vérifiés, {cached} en cache, {failed} échecs, {pending} à faire"


#: the files `results` and `export` write, by the extension given to --out (`results` also
#: writes its table to a .txt)
OUT_FORMATS = {".jsonl": "jsonl", ".csv": "csv", ".xlsx": "xlsx"}
#: extensions of files neither writes: « -o resultats.xlsx » put JSON lines in it, and
#: « export -o rapports.json » made a folder so named
NOT_WRITTEN = FILE_SUFFIXES - set(OUT_FORMATS) - {".txt"}


def results_format(fmt: str | None, out: Path | None) -> str:
    """The format asked for; else the --out file's (.csv, .jsonl, .xlsx, .txt: the table);
    else a table for a person at a terminal and JSON lines for a program reading the output."""
    if fmt is None:
        if out is None:
            return "terminal" if sys.stdout.isatty() else "jsonl"
        suffix = out.suffix.lower()
        if suffix in NOT_WRITTEN:
            raise AchatCheckError("AC-E016", f"« {out.name} » : results s'écrit en .jsonl, .csv, .xlsx ou .txt (le tableau) ; "
                                             "nommez le fichier ainsi, ou donnez --format (terminal, jsonl ou csv).")
        return "terminal" if suffix == ".txt" else OUT_FORMATS.get(suffix, "jsonl")
    if fmt not in RESULT_FORMATS:
        raise AchatCheckError("AC-E016", f"--format « {fmt} » inconnu pour results : {', '.join(RESULT_FORMATS)}.")
    return fmt


def result_row(m: Market, r: Report | None, shown: Callable[[str], str] | None = None) -> dict[str, Any]:
    """A market's row: status and the columns the indicators use; its files as `shown` names
    them (see `own_report`), else as the store holds them."""
    paths = [readable_name(p) for p in json.loads(m.paths)]
    row = {"market_id": m.market_id, "status": m.status, "error": m.error or "", "seconds": m.seconds,
           "content_hash": m.content_hash or "", "paths": " ".join(map(shown, paths) if shown else paths)}
    for f in ROW_FIELDS:
        if r is not None and hasattr(r, f) and f not in row:
            value = getattr(r, f)
            row[f] = value.isoformat() if hasattr(value, "isoformat") else value
        row.setdefault(f, None)
    return row


def jsonl_lines(store: Store, job_id: str, status: str | None = None, failing: str | None = None,
                shown: Callable[[str], str] | None = None) -> Iterator[str]:
    """One JSON object per market (its row, and its full report when it has one), a line at a
    time: a job of 10,000 markets made one string of 470 MB and took 3 GB to write."""
    for m, r in store.results(job_id, status, failing=failing):
        row = result_row(m, r, shown)
        if r is not None:
            row["report"] = own_report(m, r.report_json, shown)
        yield json.dumps(row, ensure_ascii=False) + "\n"


def to_terminal(store: Store, job_id: str, status: str | None = None, failing: str | None = None) -> str:
    """What a buyer reads at a terminal: per market, its status, the considerations found and
    the breaches counted, for the first MAX_TERMINAL_ROWS markets (the full reports are in
    `--format jsonl` and `export`; every row in `--format csv`)."""
    from rich.table import Table

    rows: list[list[str]] = []
    for m, r in store.results(job_id, status, full=False, failing=failing, limit=MAX_TERMINAL_ROWS):
        result = result_row(m, r)
        flags = [yes_no(result[f]) if r is not None else "" for f in ("env_consideration", "social_consideration", "insertion_clause")]
        rows.append([m.market_id, MARKET_STATUS.get(m.status, m.status), *flags, _count(result["obligations_failed"]),
                     _count(result["recommendations_missed"]), shortfall(result)])
    if not rows:
        return "Aucun marché" + (f" au statut {status}" if status else "") + (f" qui manque {failing}" if failing else "") + ".\n"
    table = Table()
    table.add_column("marché", overflow="fold")  # whole, or wrapped: never cut short
    for name in ("statut", "env.", "social", "insertion"):
        table.add_column(name, no_wrap=True)
    table.add_column("obligations\nmanquées", justify="right")
    table.add_column("recomm.\nmanquées", justify="right")
    with_errors = any(row[-1] for row in rows)
    if with_errors:
        table.add_column(SHORTFALL_TITLE, overflow="fold")
    for row in rows:
        table.add_row(*(row if with_errors else row[:-1]))
    # a terminal's own width; piped into a file or a pager, room for the ids and the errors
    buffer = io.StringIO()
    out = console(file=buffer, width=console().width if sys.stdout.isatty() else 160, color_system=None)
    out.print(table)
    total = store.total(job_id, status, failing)
    if total > len(rows):
        out.print(f"… et {total - len(rows)} autre(s) marché(s) : tous dans un fichier avec --out resultats.csv "
                      "(ou --format csv), ou choisissez-les avec --status failed|done|cached|pending.", highlight=False)
    return buffer.getvalue()


SHORTFALL_TITLE = "échec, fichiers non lus en entier ou pièces absentes"


def shortfall(row: dict[str, Any]) -> str:
    """Why a market's results say less than they could (a row of `result_row` or of the API):
    its failure, else its files not read and the main pieces its DCE lacks."""
    if row.get("error"):
        return str(row["error"])
    said = [f"non lu en entier : {row['unread']}" if row.get("unread") else "",  # a PDF cut is read up to its cut
            f"pièces absentes : {row['missing_pieces']}" if row.get("missing_pieces") else ""]
    return " ; ".join(s for s in said if s)


def _count(value: int | None) -> str:
    return "" if value is None else str(value)


def to_csv(store: Store, job_id: str, status: str | None = None, failing: str | None = None,
           shown: Callable[[str], str] | None = None) -> str:
    """One row per market with the columns the indicators use."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=ROW_FIELDS, delimiter=";", extrasaction="ignore")
    w.writeheader()
    for m, r in store.results(job_id, status, full=False, failing=failing):
        w.writerow({k: csv_cell(v) for k, v in result_row(m, r, shown).items()})
    return buf.getvalue()


def _checks_of(rulebook: str) -> dict[str, CheckSpec]:
    """The job's checks by id; none when the rules cannot be read (a pack of one's own broken
    since the job ran): the ids are then shown alone, and the results still are."""
    try:
        return checks_by_id(rulebook)
    except AchatCheckError:
        return {}


def _check_title(check: str, specs: dict[str, CheckSpec]) -> str:
    spec = specs.get(check)
    return f"{spec.title} ({check_kind(spec.kind)})" if spec else check


#: widths of the « Marchés » sheet's columns, in characters (the others: 14)
XLSX_WIDTHS = {"market_id": 28, "error": 40, "failed_checks": 40, "unread": 30, "paths": 40, "buyer": 30, "object": 40}


def to_xlsx(store: Store, job_id: str, status: str | None = None, failing: str | None = None,
            shown: Callable[[str], str] | None = None) -> bytes:
    """A workbook: one row per market (the columns of to_csv, their ids as headers: what
    programs read), then the checks its markets miss with their titles, and what each column
    holds: a manager reads « Délai de paiement », not « payment.delay »."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Marchés")
    ws.freeze_panes = "B2"  # the header and the market's id stay in sight
    for i, f in enumerate(ROW_FIELDS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = XLSX_WIDTHS.get(f, 14)
    ws.append(_header(ws, ROW_FIELDS))
    missed: Counter[str] = Counter()
    n = 0
    for m, r in store.results(job_id, status, full=False, failing=failing):
        row = result_row(m, r, shown)
        ws.append(xlsx_row(ws, [row[f] for f in ROW_FIELDS]))
        missed.update(failed_check_ids(row["failed_checks"]))
        n += 1
    ws.auto_filter.ref = f"A1:{get_column_letter(len(ROW_FIELDS))}{n + 1}"
    _checks_sheet(wb, missed, _checks_of(store.job(job_id).rulebook))
    legend = wb.create_sheet("Colonnes")
    legend.column_dimensions["A"].width, legend.column_dimensions["B"].width = 24, 110
    legend.append(_header(legend, ["colonne", "contenu"]))
    for f in ROW_FIELDS:
        legend.append([f, COLUMNS[f]])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _checks_sheet(wb: Any, missed: Counter[str], specs: dict[str, CheckSpec]) -> None:
    """Every check of the rulebook with the number of exported markets missing it, the most
    missed first (then the rules' order), and the id that --failing takes."""
    ws = wb.create_sheet("Vérifications")
    for col, width in zip("ABCD", (70, 16, 14, 34), strict=True):
        ws.column_dimensions[col].width = width
    ws.append(_header(ws, ["vérification", "nature", "marchés qui la manquent", "identifiant (--failing)"]))
    order = list(specs) + [c for c in missed if c not in specs]
    for check in sorted(order, key=lambda c: -missed[c]):
        spec = specs.get(check)
        ws.append(xlsx_row(ws, [spec.title if spec else check, check_kind(spec.kind) if spec else "", missed[check], check]))


def _header(ws: Any, names: list[str]) -> list[Any]:
    """A header row in bold (cells of the write-only sheet `ws`)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    bold = Font(bold=True)
    cells = []
    for name in names:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = bold
        cells.append(cell)
    return cells


def export(store: Store, job_id: str, out: Path, status: str | None = None, failing: str | None = None) -> None:
    """.xlsx, .csv or .jsonl file; or a folder of `<market>.json` reports for `indicators --reports`
    (a name with a file's extension is not taken for a folder)."""
    if out.suffix.lower() in FILE_SUFFIXES - set(OUT_FORMATS) and not out.is_dir():
        raise AchatCheckError("AC-E016", f"« {out.name} » : export écrit un fichier .xlsx, .csv ou .jsonl, ou un dossier de "
                                         "rapports JSON pour `indicators --reports` (un nom sans extension, ex. rapports/).")
    with writing(out):
        _export(store, job_id, out, status, failing)


def _export(store: Store, job_id: str, out: Path, status: str | None, failing: str | None) -> None:
    fmt = OUT_FORMATS.get(out.suffix.lower())
    if fmt == "jsonl":
        _write(jsonl_lines(store, job_id, status, failing), out)
    elif fmt == "csv":
        _write(to_csv(store, job_id, status, failing), out, for_excel=True)
    elif fmt == "xlsx":
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(to_xlsx(store, job_id, status, failing))
        err.print(f"Écrit : {out}")
    else:
        out.mkdir(parents=True, exist_ok=True)
        n = 0
        written: set[str] = set()
        for m, r in store.results(job_id, status, failing=failing):
            if r is None:
                continue
            report = own_report(m, r.report_json)
            (out / _file_name(m.market_id, written)).write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
            n += 1
        err.print(f"Écrit : {n} rapport(s) dans {out} (pour `achat-check indicators --reports {out}`)")


def _file_name(market_id: str, written: set[str]) -> str:
    """A file name for the market's report, unique in the export: "2024/12" and "2024_12"
    both read "2024_12" once made safe, and neither may overwrite the other (the
    indicators take the id from inside the report, not from the name)."""
    safe = "".join(c if c.isalnum() or c in "-_.#" else "_" for c in market_id).lstrip(".") or "marche"
    name, n = f"{safe}.json", 1
    while name.lower() in written:  # case-insensitive file systems too
        n += 1
        name = f"{safe}~{n}.json"
    written.add(name.lower())
    return name


def _write(text: str | Iterable[str], out: Path | None, for_excel: bool = False) -> None:
    """Write a text, or its pieces as they come, to the file or to standard output.  A CSV
    file starts with the byte-order mark Excel needs to read UTF-8 (« Marché » showed
    « MarchÃ© »), as the indicators' CSV does; standard output, read by programs, has none."""
    pieces = [text] if isinstance(text, str) else text
    if out is None:
        sys.stdout.writelines(pieces)
        return
    with writing(out):
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", encoding="utf-8-sig" if for_excel else "utf-8") as fh:
            fh.writelines(pieces)
    err.print(f"Écrit : {out}")
