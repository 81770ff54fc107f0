"""The `achat-check` command: a thin door onto the library (no domain logic here)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from achat_check import __version__, code_version
from achat_check.cli_words import FrenchTyper, is_usage_error, print_usage_error, use_french_help
from achat_check.errors import FILE_SUFFIXES, AchatCheckError, os_reason, writing
from achat_check.report.consoles import console
from achat_check.settings import Limits, get_limits

if TYPE_CHECKING:  # the web app is imported by `serve` alone
    from fastapi import FastAPI

    from achat_check.indicators.model import ReportDigest

app = FrenchTyper(
    name="achat-check",
    help="Vérifie les considérations environnementales et sociales d'un DCE et calcule les indicateurs achats.",
    add_completion=False,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
)

EXIT_OK, EXIT_FAIL, EXIT_UNREADABLE = 0, 1, 2
FAIL_ON = {"error": {"error"}, "warning": {"error", "warning"}, "never": set()}

err = console(stderr=True, soft_wrap=True)  # file paths are never cut across lines


def _limits(max_pages: int | None, timeout: float | None) -> Limits:
    """The limits in force with the options given, checked as the environment's are: a
    copy with an update is not validated, and « --max-pages 0 » read no page and said
    « aucun texte lisible (scan sans OCR) », « --timeout 0 » stopped every document."""
    from pydantic import ValidationError

    from achat_check.validation import in_french

    options = {"max_pages": ("--max-pages", max_pages), "doc_timeout": ("--timeout", timeout)}
    update = {field: value for field, (_, value) in options.items() if value is not None}
    base = get_limits()
    if not update:
        return base
    try:
        return Limits.model_validate({**base.model_dump(), **update})
    except ValidationError as exc:
        wrong = [f"{options[str(e['loc'][0])][0]} {e['input']:g} : {in_french(e)}" for e in exc.errors()]
        raise AchatCheckError("AC-E016", " ; ".join(wrong) + ".") from None


#: the axes of `indicators --by` as a manager writes them: the register's column is
#: « organisme » (`indicators template`), and « --by organisme » was refused
BY_WORDS = {"organisation": "organisation", "organisations": "organisation", "organisme": "organisation",
            "organismes": "organisation", "branche": "branche", "branches": "branche"}


def _one_of(option: str, value: str | None, allowed: Iterable[str]) -> None:
    """Refuse a value the option does not take, naming those it does (`inspect -f xml` and
    `eval -f xml` printed the terminal's report as if nothing was wrong)."""
    allowed = list(allowed)
    if value is not None and value not in allowed:
        raise AchatCheckError("AC-E016", f"{option} « {value} » inconnu : choisissez parmi {', '.join(allowed)}.")


def _emit(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    with writing(out):
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    err.print(f"Écrit : {out}")


#: the report's format named by the file it is written to, when --format is not given
FORMAT_OF_SUFFIX = {".html": "html", ".htm": "html", ".json": "json", ".md": "md", ".markdown": "md", ".txt": "terminal"}


def _format_of(out: Path | None, fmt: str | None = None) -> str:
    """The format asked for, else the one the name given to --out asks for: « -o rapport.html »
    wrote the terminal's frames into an HTML file; a name of no report format (« rapport.pdf »)
    and a folder (« -o rapports/ », refused only once the whole DCE was checked) are refused
    before the DCE is read."""
    if out is not None and out.is_dir():
        raise AchatCheckError("AC-E016", f"« {out} » est un dossier : donnez le nom du fichier du rapport (par exemple "
                                         f"{out / 'rapport.html'}).")
    if fmt:
        return fmt
    if out is None:
        return "terminal"
    fmt = FORMAT_OF_SUFFIX.get(out.suffix.lower())
    if fmt is None:
        raise AchatCheckError("AC-E016", f"« {out.name} » : le rapport s'écrit en .html, .json, .md ou .txt ; nommez le "
                              "fichier ainsi, ou donnez --format (terminal, json, md ou html).")
    return fmt


@app.command()
def check(
    paths: Annotated[list[Path], typer.Argument(metavar="CHEMIN", help="Dossier, ZIP ou fichiers du DCE (PDF, DOCX, ODT, DOC, RTF, XLSX, XLS, ODS, TXT, MD)")],
    fmt: Annotated[str | None, typer.Option("--format", "-f", metavar="FORMAT",
                                            help="terminal, json, md ou html (par défaut : celui du nom donné à --out, sinon terminal)")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", metavar="FICHIER", help="Écrire le rapport dans ce fichier (.html, .json, .md, .txt)")] = None,
    rulebook: Annotated[str, typer.Option(metavar="RÉFÉRENTIEL", help="Référentiel : rso-2025 ou plan-cadre-2015")] = "rso-2025",
    buyer_type: Annotated[
        str, typer.Option(metavar="TYPE", help="Type d'acheteur (délai de paiement maximal) : organisme, etat, collectivite, etablissement_sante, entite_adjudicatrice")
    ] = "organisme",
    fail_on: Annotated[
        str, typer.Option(metavar="NIVEAU", help="Code de sortie 1 si : error (obligation non respectée), warning (aussi une recommandation), never")
    ] = "error",
    max_pages: Annotated[int | None, typer.Option(metavar="PAGES", help="Pages lues au plus par document")] = None,
    timeout: Annotated[float | None, typer.Option(metavar="SECONDES", help="Secondes de lecture au plus par document")] = None,
    rules: Annotated[list[Path] | None, typer.Option("--rules", metavar="DOSSIER", help="Dossier de packs de règles, ou un pack .yaml, ajouté (répétable)")] = None,
    when: Annotated[str | None, typer.Option("--date", metavar="JJ/MM/AAAA", help=(
        "Date de la consultation (pour un projet de DCE : sa publication prévue), qui remplace celle des documents"))] = None,
    amount: Annotated[str | None, typer.Option("--amount", metavar="MONTANT", help=(
        "Montant estimé du marché en € HT, sur toute sa durée (reconductions comprises), qui remplace celui des documents"))] = None,
) -> None:
    """Vérifier un DCE et produire un rapport pour le marché qu'il décrit."""
    from achat_check.checker import Checker
    from achat_check.report import FORMATS, render

    fmt = _format_of(out, fmt)
    _one_of("--format", fmt, FORMATS)
    _one_of("--fail-on", fail_on, FAIL_ON)
    from achat_check.extract.dates import given_date
    from achat_check.extract.numbers import given_amount
    from achat_check.model import GivenFacts

    given = GivenFacts(consultation_date=given_date(when, "--date"), estimated_amount_ht=given_amount(amount, "--amount"))
    checker = Checker(rulebook=rulebook, limits=_limits(max_pages, timeout), rules_dirs=rules, buyer_type=buyer_type)
    report, documents = checker.check_documents([str(p) for p in paths], given=given)
    for notice in report.errors:
        err.print(notice.render(), style="red" if notice.level == "error" else "yellow", highlight=False)
    for doc in report.documents:
        for w in doc.warnings:
            err.print(w.render(), style="yellow", highlight=False)
    if fmt == "terminal" and out is None:
        from achat_check.report.terminal import print_report

        print_report(report, console())
    else:
        _emit(render(report, fmt, documents), out)
    if not report.readable:
        err.print("[AC-E012] aucun document n'a pu être lu : voir les messages ci-dessus.", style="bold red", highlight=False)
        raise typer.Exit(EXIT_UNREADABLE)
    failing = {f.severity for f in report.findings} & FAIL_ON[fail_on]
    if failing:
        raise typer.Exit(EXIT_FAIL)
    if FAIL_ON[fail_on] and report.unread():
        # a publication gate must not let through a DCE it could not check whole (a damaged
        # CCTP turns its absent clauses into « indéterminé », not into breaches)
        from achat_check.report.labels import partly_read

        err.print(f"{partly_read(report)} : vérification incomplète.", style="bold yellow", highlight=False)
        raise typer.Exit(EXIT_FAIL)


@app.command()
def inspect(
    file: Annotated[Path, typer.Argument(metavar="FICHIER", help="Un fichier du DCE")],
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="terminal ou json")] = "terminal",
    show_text: Annotated[bool, typer.Option("--text", help="Afficher le texte nettoyé")] = False,
    max_pages: Annotated[int | None, typer.Option(metavar="PAGES", help="Pages lues au plus")] = None,
) -> None:
    """Montrer comment un fichier a été lu : pièce, pages, articles, en-têtes retirés, OCR."""
    from achat_check.ingest import collect, read_member
    from achat_check.report.inspect import render_inspection

    _one_of("--format", fmt, ("terminal", "json"))
    limits = _limits(max_pages, None)
    members, notices = collect([file], limits)
    for n in notices:
        err.print(n.render(), style="yellow", highlight=False)
    if not members:
        raise typer.Exit(EXIT_UNREADABLE)
    failed = 0
    for member in members:
        try:
            doc = read_member(member, limits)
        except AchatCheckError as exc:
            err.print(str(exc), style="red", highlight=False)
            failed += 1
            continue
        sys.stdout.write(render_inspection(doc, fmt, show_text))
    if failed == len(members):
        raise typer.Exit(EXIT_UNREADABLE)


@app.command("eval")
def eval_cmd(
    gold: Annotated[Path, typer.Argument(metavar="FICHIER", help="Fichier d'annotations (gold) JSON")],
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="terminal ou json")] = "terminal",
    market: Annotated[list[str] | None, typer.Option("--market", "-m", metavar="MARCHÉ", help="Évaluer seulement ce marché (répétable)")] = None,
    rulebook: Annotated[str, typer.Option(metavar="RÉFÉRENTIEL", help="Référentiel")] = "rso-2025",
) -> None:
    """Mesurer les rapports contre des annotations : précision, rappel, F1, exactitude, écarts."""
    from achat_check.checker import Checker
    from achat_check.evaluation import evaluate
    from achat_check.report.evaluation import print_evaluation

    _one_of("--format", fmt, ("terminal", "json"))
    result, _ = evaluate(gold, Checker(rulebook=rulebook), market)
    if fmt == "json":
        data = result.model_dump(mode="json")
        for f, src in zip(data["fields"], result.fields, strict=True):
            f.update(precision=round(src.precision, 4), recall=round(src.recall, 4), f1=round(src.f1, 4), accuracy=round(src.accuracy, 4))
        import json as _json

        typer.echo(_json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print_evaluation(result, console())


#: DCE past which `indicators --scan` points to the batch (parallel, resumable)
MANY_DCES = 100


@app.command()
def indicators(
    register: Annotated[str, typer.Argument(metavar="REGISTRE", help="Registre des marchés (CSV, XLSX, XLS, ODS, DECP JSON ou XML), ou « template » pour écrire les modèles")],
    year: Annotated[list[str] | None, typer.Option("--year", "-y", metavar="ANNÉE", help="Année(s) : 2026, 2024-2026 (répétable)")] = None,
    reports: Annotated[Path | None, typer.Option(metavar="DOSSIER", help="Dossier de rapports JSON de DCE (check ou batch)")] = None,
    job: Annotated[str | None, typer.Option(metavar="JOB", help="Lot enregistré (batch) dont les rapports sont joints, comme --reports")] = None,
    db: Annotated[str | None, typer.Option(metavar="BASE", help="Base du lot --job (achat-check.db par défaut)")] = None,
    scan: Annotated[bool, typer.Option("--scan", help="Vérifier les DCE de la colonne « dce » du registre")] = False,
    payments: Annotated[Path | None, typer.Option(metavar="FICHIER", help="Registre des paiements (CSV, XLSX, XLS ou ODS)")] = None,
    organisations: Annotated[Path | None, typer.Option(metavar="FICHIER", help="Registre des organismes (CSV, XLSX, XLS ou ODS)")] = None,
    rulebook: Annotated[str, typer.Option(metavar="RÉFÉRENTIEL", help="Référentiel : rso-2025 ou plan-cadre-2015")] = "rso-2025",
    by: Annotated[str | None, typer.Option(metavar="AXE", help="Détailler par : organisation (ou organisme) ou branche")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="terminal ou json")] = "terminal",
    out: Annotated[Path | None, typer.Option("--out", "-o", metavar="FICHIER", help="Dossier où écrire JSON, CSV, XLSX et graphiques, ou un seul fichier .xlsx, .json ou .csv (ou fichier du modèle)")] = None,
) -> None:
    """Calculer les indicateurs annuels du Référentiel RSO (ou du Plan cadre) à partir des registres."""
    from achat_check import indicators as ind

    if register == "template":
        from achat_check.indicators.export import write_template

        with writing(out or "."):
            written_template = write_template(out or Path("registre-achats.xlsx"))
        for path in written_template:
            err.print(f"Écrit : {path}")
        return
    from achat_check.engine.loader import known_rulebook

    known_rulebook(rulebook)
    by = BY_WORDS.get((by or "").strip().lower(), by)
    _one_of("--by", by, ("organisation", "branche"))
    _one_of("--format", fmt, ("terminal", "json"))
    if out is not None:
        from achat_check.indicators.export import check_out

        check_out(out)
    years = ind.parse_years(year) if year else None  # None: the register's only year (ind.only_year)
    if db and not job:
        raise AchatCheckError("AC-E016", "--db donne la base d'un lot : ajoutez --job JOB (achat-check batch list les nomme).")
    stored = _job_reports(job, db, rulebook) if job else None
    if scan:
        from rich.progress import Progress

        with Progress(console=err, transient=True) as bar:  # one DCE after another: say where it is
            task = bar.add_task("DCE du registre", total=None)

            def progress(n: int, total: int) -> None:
                if n == 1 and total > MANY_DCES:
                    bar.console.print(f"{total} DCE à vérifier l'un après l'autre : un lot les vérifie en parallèle et "
                                      f"reprend où il s'est arrêté (achat-check batch --register {register}, puis "
                                      "batch export JOB --out rapports/ et --reports rapports/).", style="yellow", highlight=False)
                bar.update(task, completed=n - 1, total=total)

            result = ind.run(register, years, rulebook, payments, organisations, reports, scan, by,
                             on_progress=progress, reports=stored)
    else:
        result = ind.run(register, years, rulebook, payments, organisations, reports, scan, by, reports=stored)
    if not years:
        err.print(f"Année {result.years[0]} : la seule où {Path(register).name} a des marchés notifiés (--year pour une autre).",
                  highlight=False)
    written: list[Path] = []
    if out is not None:  # before the table: a reader that closes the pipe (`| head`) ends us there
        from achat_check.indicators.export import write_out

        with writing(out):
            written = write_out(result, out)
    if fmt == "json":
        sys.stdout.write(result.model_dump_json(indent=2) + "\n")
    else:
        from achat_check.report.indicators import print_indicators

        print_indicators(result, console(), out=out)
    for path in written:
        err.print(f"Écrit : {path}")


def _job_reports(job: str, db: str | None, rulebook: str) -> dict[str, ReportDigest]:
    """The reports of a stored batch by market id, for `indicators --job` (no export needed)."""
    from achat_check.batch.store import Store
    from achat_check.batch.stored import job_reports

    return job_reports(Store(db, must_exist=True), job, rulebook)


BATCH_ACTIONS = ("list", "status", "results", "export")


@app.command()
def batch(
    target: Annotated[list[str] | None, typer.Argument(metavar="CIBLE", help="DOSSIER d'archive (un sous-dossier ou ZIP par marché), ou : list | status JOB | results JOB | export JOB")] = None,
    register: Annotated[Path | None, typer.Option(metavar="REGISTRE", help="Registre dont la colonne « dce » nomme le DCE de chaque marché")] = None,
    db: Annotated[str | None, typer.Option(metavar="BASE", help="Base : fichier SQLite (achat-check.db par défaut) ou URL postgresql+psycopg://…")] = None,
    workers: Annotated[int | None, typer.Option(metavar="N", help="Processus de vérification en parallèle (par défaut : un par cœur, dans la mémoire libre)")] = None,
    dask: Annotated[str | None, typer.Option("--dask", metavar="ADRESSE", help="Adresse d'un ordonnanceur Dask (tcp://hôte:8786)")] = None,
    resume: Annotated[str | None, typer.Option(metavar="TRAVAIL", help="Reprendre ce travail là où il s'est arrêté")] = None,
    rulebook: Annotated[str, typer.Option(metavar="RÉFÉRENTIEL", help="Référentiel")] = "rso-2025",
    market_timeout: Annotated[float, typer.Option(metavar="SECONDES", help="Secondes au plus par marché")] = 900,
    worker_memory_mb: Annotated[float, typer.Option(metavar="MO", help="Mémoire résidente au plus par processus (Mo)")] = 1500,
    recycle_after: Annotated[int, typer.Option(metavar="N", help="Marchés par processus avant de le remplacer")] = 200,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Revérifier même les DCE inchangés")] = False,
    fmt: Annotated[str | None, typer.Option("--format", "-f", metavar="FORMAT", help="results : terminal, jsonl ou csv (par défaut : terminal dans un terminal, sinon jsonl ; avec --out, selon l'extension)")] = None,
    status_filter: Annotated[str | None, typer.Option("--status", metavar="ÉTAT", help="results/export : seulement done, cached, failed ou pending")] = None,
    failing: Annotated[str | None, typer.Option("--failing", metavar="VÉRIFICATION", help="results/export : seulement les marchés qui manquent cette vérification (ex. clauses.declared, climate.env_award_criterion)")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", metavar="FICHIER", help="results/export : fichier (.jsonl, .csv, .xlsx) ou dossier de rapports JSON")] = None,
) -> None:
    """Vérifier des milliers de DCE archivés dans un travail persistant et reprenable."""
    from achat_check import batch as b
    from achat_check.batch import cli_support as support
    from achat_check.batch.interrupt import Terminated

    args = target or []
    workers = support.default_workers() if workers is None else workers
    support.check_limits(workers, market_timeout, worker_memory_mb, recycle_after)
    if dask:
        b.check_address(dask)
    reading = bool(args) and args[0] in BATCH_ACTIONS
    support.one_source(folder=bool(args) and not reading, register=register is not None, resume=resume is not None)
    store = b.Store(db, must_exist=reading or bool(resume))
    if reading:
        support.action(store, args[0], args[1:], fmt, status_filter, out, failing, db)
        return
    if resume:
        job = support.job_to_resume(store, resume, db)
        if job is None:
            return
    else:
        job = support.new_job_of(store, args, register, rulebook, f"dask:{dask}" if dask else f"local:{workers}", 0 if dask else workers)
    if dask:
        support.say_dask_limits(worker_memory_mb, recycle_after)
    backend = (b.DaskBackend(dask, job.rulebook, market_timeout) if dask else
               b.LocalPool(support.workers_for(store, job, workers), job.rulebook, market_timeout, worker_memory_mb, recycle_after))
    stopped = support.run_to_end(store, job, backend, use_cache=not no_cache, db=db)
    if stopped is not None:
        codes = ((Terminated, 143), (KeyboardInterrupt, 130))  # 128 + the signal, as shells say it
        raise typer.Exit(next((code for kind, code in codes if isinstance(stopped, kind)), EXIT_UNREADABLE))


def _api_app() -> FastAPI:
    """The HTTP app: the checkout's `api/` when this code runs from a checkout, else the
    `achat_check_api` the wheel installed.

    An editable install copies `api/` into site-packages at install time: run from another
    folder, `import api` fails and that stale copy would serve, older than the code beside it.
    """
    import importlib.util

    here = Path(__file__).resolve().parents[2] / "api" / "__init__.py"
    if here.is_file() and "achat_check_api" not in sys.modules:
        spec = importlib.util.spec_from_file_location("achat_check_api", here, submodule_search_locations=[str(here.parent)])
        if spec is not None and spec.loader is not None:  # always, for a .py file
            module = importlib.util.module_from_spec(spec)
            sys.modules["achat_check_api"] = module
            spec.loader.exec_module(module)
    from achat_check_api import create_app

    service: FastAPI = create_app()
    return service


@app.command()
def serve(
    host: Annotated[str, typer.Option(metavar="HÔTE", help="Adresse d'écoute (127.0.0.1 : cette machine seulement)")] = "127.0.0.1",
    port: Annotated[int, typer.Option(metavar="PORT", help="Port")] = 8000,
) -> None:
    """Lancer le service HTTP (API /v1 et page web) ; réglages par variables ACHAT_CHECK_*."""
    import uvicorn

    _can_listen(host, port)
    service = _api_app()  # its settings, working folder and store: said before the banner when wrong
    err.print(f"achat-check {__version__} : http://{host}:{port}/ (API : http://{host}:{port}/v1/docs)", highlight=False)
    uvicorn.run(service, host=host, port=port, log_level="info")


def _can_listen(host: str, port: int) -> None:
    """Refuse, before the service starts, an address it cannot listen on: a port out of
    range was « Erreur interne (OverflowError …) », an unknown host or a port already taken
    a line of uvicorn's English log after the application had started."""
    import errno
    import socket

    if not 0 < port < 65536:
        raise AchatCheckError("AC-E016", f"--port {port} : un port va de 1 à 65535 (8000 par défaut).")
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (socket.gaierror, UnicodeError):
        raise AchatCheckError("AC-E016", f"--host « {host} » : adresse inconnue ; 127.0.0.1 pour cette machine seule, "
                              "0.0.0.0 pour toutes ses interfaces.") from None
    reasons = {errno.EADDRINUSE: f"le port {port} est déjà pris (un autre service, ou achat-check déjà lancé) : "
                                 "choisissez-en un autre avec --port",
               errno.EACCES: f"le port {port} est réservé à l'administrateur (au-dessous de 1024) : choisissez-en un "
                             "au-dessus, par exemple --port 8000",
               errno.EADDRNOTAVAIL: f"{host} n'est pas une adresse de cette machine : vérifiez --host"}
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds: a socket in TIME_WAIT is no obstacle
        try:
            probe.bind(address)
        except OSError as exc:
            said = reasons.get(exc.errno or 0, os_reason(exc))
            raise AchatCheckError("AC-E016", f"impossible d'écouter sur {host}:{port} : {said}.") from None


rules_app = FrenchTyper(help="Consulter et vérifier les packs de règles.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")

RulesOpt = Annotated[list[Path] | None, typer.Option("--rules", metavar="DOSSIER", help="Dossier de packs, ou un pack .yaml, ajouté (répétable)")]
RulebookOpt = Annotated[str, typer.Option(metavar="RÉFÉRENTIEL", help="Référentiel : rso-2025 ou plan-cadre-2015")]


@rules_app.command("list")
def rules_list(rules: RulesOpt = None, rulebook: RulebookOpt = "rso-2025") -> None:
    """Lister les règles en vigueur."""
    from rich.table import Table

    from achat_check.engine.loader import load_rules
    from achat_check.report.labels import EFFECT_LABELS, LEVER_LABELS, THEME_LABELS

    ruleset = load_rules(rulebook, rules)
    table = Table(title=f"Règles {rulebook} · {ruleset.version}")
    for col in ("id", "nom", "titre", "thème", "levier ou effet"):
        table.add_column(col, overflow="fold")
    for pack in ruleset.packs:
        for r in pack.rules:
            table.add_row(r.id, r.name, r.title, THEME_LABELS.get(r.theme or "", r.theme or ""), LEVER_LABELS.get(r.lever, r.lever))
        for c in pack.context:
            table.add_row(c.id, c.name, c.title, "contexte", EFFECT_LABELS.get(c.effect, c.effect))
    console().print(table)


@rules_app.command("show")
def rules_show(
    rule_id: Annotated[str, typer.Argument(metavar="RÈGLE", help="Identifiant de la règle (voir rules list)")],
    rules: RulesOpt = None,
    rulebook: RulebookOpt = "rso-2025",
) -> None:
    """Afficher une règle (YAML)."""
    import yaml

    from achat_check.engine.loader import load_rules

    ruleset = load_rules(rulebook, rules)
    rule = ruleset.find(rule_id)
    if rule is None:
        raise AchatCheckError("AC-E016", ruleset.unknown(rule_id, "voir `achat-check rules list`"))
    data = rule.model_dump(mode="json", exclude_defaults=True)
    if pack := ruleset.pack_of(rule.id):  # the pack that gave the rule: always found
        typer.echo(f"# pack {pack.id} ({ruleset.sources[pack.id]})")
    typer.echo(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


@rules_app.command("lint")
def rules_lint(rules: RulesOpt = None, rulebook: RulebookOpt = "rso-2025") -> None:
    """Vérifier les packs : schéma, identifiants, exemples, bases légales."""
    from achat_check.engine.compile import compile_rules
    from achat_check.engine.lint import lint
    from achat_check.engine.loader import load_rules
    from achat_check.nlp import pipeline

    ruleset = load_rules(rulebook, rules)
    compile_rules(ruleset, pipeline())  # token patterns are checked by spaCy only there
    problems = lint(ruleset)
    for p in problems:
        err.print(p, style="red", highlight=False)
    count = sum(len(p.rules) + len(p.context) for p in ruleset.packs)
    if problems:
        raise typer.Exit(EXIT_FAIL)
    typer.echo(f"{len(ruleset.packs)} packs, {count} règles : aucun problème.")


@rules_app.command("docs")
def rules_docs(
    out: Annotated[Path | None, typer.Option("--out", "-o", metavar="FICHIER", help="Fichier Markdown à écrire")] = None,
    rules: RulesOpt = None,
    rulebook: RulebookOpt = "rso-2025",
) -> None:
    """Générer la documentation des règles (docs/rules.md)."""
    from achat_check.engine.docs import rules_markdown
    from achat_check.engine.loader import load_rules

    if out is not None and out.suffix.lower() in FILE_SUFFIXES - {".md", ".txt"}:  # « -o regles.pdf » got Markdown
        raise AchatCheckError("AC-E016", f"« {out.name} » : la documentation des règles s'écrit en Markdown ; nommez le "
                              f"fichier {out.stem or 'regles'}.md.")
    _emit(rules_markdown(load_rules(rulebook, rules)), out)


@rules_app.command("schema")
def rules_schema() -> None:
    """Imprimer le schéma JSON d'un pack de règles."""
    import json

    from achat_check.engine.schema import json_schema

    typer.echo(json.dumps(json_schema(), ensure_ascii=False, indent=2))


@app.command()
def version() -> None:
    """Afficher la version."""
    typer.echo(f"achat-check {code_version()}")


def main() -> None:
    """Entry point: no traceback ever reaches the user, and usage errors are said in French."""
    use_french_help()
    try:
        code = app(standalone_mode=False, prog_name="achat-check")
    except AchatCheckError as exc:
        err.print(str(exc), style="bold red", highlight=False)
        sys.exit(EXIT_UNREADABLE)
    except KeyboardInterrupt:
        err.print("Interrompu.", style="yellow")
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - last resort: a message, not a traceback
        if type(exc).__name__ == "NoArgsIsHelpError":  # the help is printed already
            sys.exit(getattr(exc, "exit_code", 2))
        if is_usage_error(exc):
            print_usage_error(exc, err)
            sys.exit(getattr(exc, "exit_code", 2))
        if type(exc).__name__ == "Abort":
            err.print("Interrompu.", style="yellow")
            sys.exit(1)
        if os.environ.get("ACHAT_CHECK_DEBUG"):
            raise
        err.print(
            f"Erreur interne ({type(exc).__name__}: {exc}). Relancez avec ACHAT_CHECK_DEBUG=1 "
            "pour le détail et signalez-la avec le fichier en cause.",
            style="bold red",
            highlight=False,
        )
        sys.exit(3)
    sys.exit(code if isinstance(code, int) else EXIT_OK)


if __name__ == "__main__":
    main()
