"""The buyer's web page: check a DCE, run and follow batches, compute indicators.

Server-rendered templates, one stylesheet, a few lines of script for drag and drop; no
build step and no network.  Every form works without script.
"""

from __future__ import annotations

import asyncio
import base64
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from achat_check import __version__
from achat_check import indicators as ind
from achat_check.batch.cli_support import (
    SHORTFALL_TITLE,
    say_incomplete,
    say_partly_read,
    shortfall,
)
from achat_check.batch.store import Job, Store
from achat_check.batch.stored import failed_check_ids, job_reports, latest_reports
from achat_check.checks import PAYMENT_MAX_DAYS, checks_by_id, known_check
from achat_check.engine.schema import RULEBOOKS
from achat_check.errors import AchatCheckError
from achat_check.extract.numbers import fmt_count
from achat_check.indicators.export import display_value, write_charts
from achat_check.indicators.model import IndicatorReport
from achat_check.model import GivenFacts
from achat_check.report.indicators import MAX_GROUPS
from achat_check.report.labels import JOB_STATUS, MARKET_STATUS, fmt_amount, unbroken_amounts

from .deps import get_batches, get_checks, get_settings, get_store, require_web_access
from .problems import STATUS_OF, Problem, said_to_client
from .routes import batch_results, batch_xlsx, csv_download, indicators_response, job_out
from .services import (
    Batches,
    Checks,
    remove,
    save_uploads,
    saved_archive,
    saved_register,
    temp_folder,
    upload_paths,
)
from .settings import ApiSettings

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=HERE / "templates")
templates.env.finalize = unbroken_amounts  # before any template is compiled: numbers stay whole on a line
templates.env.globals.update(version=__version__, display_value=display_value, fmt_count=fmt_count, fmt_amount=fmt_amount, job_status=JOB_STATUS,
                             market_status=MARKET_STATUS, shortfall=shortfall, shortfall_title=SHORTFALL_TITLE,
                             max_groups=MAX_GROUPS, failed_check_ids=failed_check_ids)
web = APIRouter(dependencies=[Depends(require_web_access)], include_in_schema=False)
#: the site's links over a report, and a link that saves the report as a file of its own (the
#: report alone, self-contained, without these links: « Enregistrer sous » of the browser kept
#: them, dead once the file is sent with the tender's documents)
NAV = ('<nav id="site" style="background:#0b2545;padding:8px 32px;font:15px system-ui,sans-serif" aria-label="Navigation principale">'
       '<a href="/" style="color:#fff;margin-right:18px">← Nouvelle vérification</a>'
       '<a href="/lots" style="color:#fff;margin-right:18px">Lots</a>'
       '<a href="/indicateurs" style="color:#fff;margin-right:18px">Indicateurs</a>'
       '<a href="#" id="enregistrer" style="color:#fff;float:right">Enregistrer le rapport (HTML)</a>'
       '<script>document.getElementById("enregistrer").addEventListener("click", function (e) {'
       'e.preventDefault(); var copy = document.documentElement.cloneNode(true); copy.querySelector("#site").remove();'
       'var a = document.createElement("a"); a.download = "rapport-achat-check.html";'
       'a.href = URL.createObjectURL(new Blob(["<!DOCTYPE html>\\n" + copy.outerHTML], {type: "text/html"})); a.click();'
       '});</script></nav>')


def recent_jobs(store: Store) -> list[Job]:
    """The latest stored batches (100 at most), newest first: the lists the pages offer."""
    return store.jobs()[:100]


def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page of the site; a valid ?key= is remembered in a cookie."""
    response = templates.TemplateResponse(request, name, context, status_code=status)
    key = request.query_params.get("key")
    if key:
        response.set_cookie("achat_check_key", key, httponly=True, samesite="strict")
    return response


def not_found_page(request: Request) -> HTMLResponse:
    """A browser's address that leads nowhere (a mistyped link): the site's first page saying
    so, not the API's JSON."""
    return page(request, "index.html", status=404, settings=request.app.state.settings,
                error=f"[AC-E027] aucune page à l'adresse {request.url.path} : choisissez-en une dans le menu.")


# --------------------------------------------------------------------------- check


@web.get("/", response_class=HTMLResponse)
def home(request: Request, settings: ApiSettings = Depends(get_settings)) -> HTMLResponse:
    """The upload form."""
    return page(request, "index.html", settings=settings)


@web.post("/verifier", response_class=HTMLResponse)
async def check_page(
    request: Request,
    files: Annotated[list[UploadFile], File()],
    rulebook: Annotated[str, Form()] = "rso-2025",
    buyer_type: Annotated[str, Form()] = "organisme",
    consultation_date: Annotated[str, Form()] = "",
    estimated_amount_ht: Annotated[str, Form()] = "",
    settings: ApiSettings = Depends(get_settings),
    checks: Checks = Depends(get_checks),
) -> HTMLResponse:
    """The report of the uploaded DCE, or the form again with what went wrong."""
    folder = temp_folder(settings, "web-")
    try:
        if rulebook not in RULEBOOKS or buyer_type not in PAYMENT_MAX_DAYS:
            raise Problem("AC-E016", "référentiel ou type d'acheteur inconnu.")
        given = _form_given(consultation_date, estimated_amount_ht)
        files = [f for f in files if f.filename]
        paths = await save_uploads(files, folder, settings)
        html = await checks.check(paths, "html", rulebook, buyer_type, given)
    except Problem as exc:
        return page(request, "index.html", status=exc.status, settings=settings, error=f"[{exc.code}] {exc.detail}")
    finally:
        remove(folder)
    return HTMLResponse(html.replace("<body>", "<body>" + NAV, 1))


def _said(exc: Problem | AchatCheckError, settings: ApiSettings) -> tuple[str, str, int]:
    """(code, message, status) of a form's error, as the API's problem document says it: an
    uploaded file by the name it was sent under, never by our working folder."""
    if isinstance(exc, Problem):
        return exc.code, exc.detail, exc.status
    return exc.code, said_to_client(exc, settings.data_dir), STATUS_OF.get(exc.code, 422)


def _form_given(day: str, amount: str) -> GivenFacts:
    """The form's date field (AAAA-MM-JJ from a date input, JJ/MM/AAAA typed where the
    browser shows a plain text field) and amount field (« 120 000 € »), empty when left so."""
    from achat_check.extract.dates import given_date
    from achat_check.extract.numbers import given_amount

    try:
        return GivenFacts(consultation_date=given_date(day, "date de la consultation"),
                          estimated_amount_ht=given_amount(amount, "montant estimé HT"))
    except AchatCheckError as exc:
        raise Problem(exc.code, exc.message) from None


# --------------------------------------------------------------------------- batches


@web.get("/lots", response_class=HTMLResponse)
def batches_page(request: Request, settings: ApiSettings = Depends(get_settings), store: Store = Depends(get_store)) -> HTMLResponse:
    """Jobs and the form to start one."""
    jobs = [job_out(store, j.id) for j in recent_jobs(store)]
    return page(request, "lots.html", jobs=jobs, settings=settings)


@web.post("/lots")
async def start_batch_page(
    request: Request,
    archive: Annotated[UploadFile | None, File()] = None,
    folder: Annotated[str, Form()] = "",
    register_file: Annotated[UploadFile | None, File(alias="register")] = None,  # « register » would shadow BaseModel's
    rulebook: Annotated[str, Form()] = "rso-2025",
    settings: ApiSettings = Depends(get_settings),
    batches: Batches = Depends(get_batches),
    store: Store = Depends(get_store),
) -> Response:
    """Start a job from a ZIP or a server folder, then follow it."""
    staging = temp_folder(settings, "lot-")
    try:
        if rulebook not in RULEBOOKS:
            raise Problem("AC-E016", "référentiel inconnu.")
        given = await saved_register(register_file, staging, settings)
        if archive is not None and archive.filename:
            path = await saved_archive(archive, staging, settings)
            job_id = await asyncio.to_thread(batches.submit_zip, path, rulebook, given)
        elif folder.strip():
            job_id = await asyncio.to_thread(batches.submit_folder, folder.strip(), rulebook, given)
        else:
            raise Problem("AC-E016", "choisissez une archive ZIP ou indiquez un dossier du serveur.")
    except (Problem, AchatCheckError) as exc:
        return _lots_page_saying(request, exc, store, settings)
    finally:
        remove(staging)
    return RedirectResponse(f"/lots/{job_id}", status_code=303)


def _lots_page_saying(request: Request, exc: Problem | AchatCheckError, store: Store, settings: ApiSettings,
                      job_id: str | None = None) -> HTMLResponse:
    """The page of the batches with what went wrong: a form refused, or a batch's page asked
    for a batch this service does not hold (an old link; it answered the API's JSON to the
    browser, pointing to a command line)."""
    code, detail, status = _said(exc, settings)
    if code == "AC-E017" and job_id is not None:
        detail = f"lot « {job_id} » inconnu de ce service : les lots qu'il garde sont listés ci-dessous."
    jobs = [job_out(store, j.id) for j in recent_jobs(store)]
    return page(request, "lots.html", status=status, jobs=jobs, settings=settings, error=f"[{code}] {detail}")


@web.get("/lots/{job_id}", response_class=HTMLResponse)
def batch_page(request: Request, job_id: str, manque: str | None = None, store: Store = Depends(get_store),
               settings: ApiSettings = Depends(get_settings)) -> HTMLResponse:
    """Progress and results of a job (the page refreshes itself while it runs); with
    `manque`, only the markets that fail that check."""
    import json

    try:
        job = job_out(store, job_id, failing_checks=True)
        checks = {i: c.title for i, c in checks_by_id(job.rulebook).items()}
    except (Problem, AchatCheckError) as exc:
        return _lots_page_saying(request, exc, store, settings, job_id)
    failing, error, status = manque or None, None, 200
    if failing is not None and failing not in checks:  # a link typed by hand: every market shown, and why
        error = f"[AC-E016] vérification « {failing} » inconnue : choisissez-la dans la liste."
        failing, status = None, 422
    rows = batch_results(job_id, page=1, per_page=200, status=None, failing=failing, format="json", store=store, settings=settings)
    data = json.loads(bytes(rows.body))
    partly = say_partly_read(job.partly_read) if job.partly_read else ""
    incomplete = say_incomplete(job.incomplete) if job.incomplete else ""
    return page(request, "lot.html", status=status, job=job, rows=data["items"], total=data["total"], partly_read=partly,
                incomplete=incomplete, checks=checks, failing=failing, error=error)


@web.post("/lots/{job_id}/annuler")
def cancel_page(job_id: str, batches: Batches = Depends(get_batches)) -> Response:
    """Cancel, then back to the job."""
    batches.cancel(job_id)
    return RedirectResponse(f"/lots/{job_id}", status_code=303)


@web.get("/lots/{job_id}/resultats.csv")
def batch_csv_page(job_id: str, manque: str | None = None, store: Store = Depends(get_store),
                   settings: ApiSettings = Depends(get_settings)) -> Response:
    """The results as CSV for a spreadsheet: the markets shown, those failing `manque` when the
    page filters them."""
    store.job(job_id)
    if manque:
        known_check(manque, "manque")
    return csv_download(store, job_id, None, manque or None, upload_paths(settings), for_excel=True)


@web.get("/lots/{job_id}/resultats.xlsx")
def batch_xlsx_page(job_id: str, manque: str | None = None, store: Store = Depends(get_store),
                    settings: ApiSettings = Depends(get_settings)) -> Response:
    """The results as XLSX (the same filter)."""
    return batch_xlsx(job_id, failing=manque or None, store=store, settings=settings)


# --------------------------------------------------------------------------- indicators


def _charts(report: IndicatorReport) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        return ["data:image/png;base64," + base64.b64encode(p.read_bytes()).decode() for p in write_charts(report, Path(tmp))]


@web.get("/indicateurs", response_class=HTMLResponse)
def indicators_page(request: Request, annee: str | None = None, lot: str | None = None, format: str | None = None,
                    store: Store = Depends(get_store)) -> Response:
    """The form (?lot= chooses a stored batch to join to the register, as a batch's page links
    it); with ?annee=, the indicators of the batches' stored results (?format=xlsx or csv: the
    file to download)."""
    if not annee:
        return page(request, "indicateurs.html", jobs=recent_jobs(store), chosen=lot)
    try:
        years = ind.parse_years([annee])
    except AchatCheckError as exc:
        return page(request, "indicateurs.html", status=422, jobs=recent_jobs(store), error=f"[{exc.code}] {exc.message}")
    reports = latest_reports(store, "rso-2025")
    report = ind.compute_indicators(ind.from_reports(reports), years, reports=reports, asking=ind.WEB_PAGE)
    if format in ("xlsx", "csv"):
        return indicators_response(report, format, for_excel=True)
    return page(request, "indicateurs.html", report=report, charts=_charts(report), source=f"{len(reports)} marché(s) des lots enregistrés",
                jobs=recent_jobs(store))


@web.post("/indicateurs", response_class=HTMLResponse)
async def indicators_upload_page(
    request: Request,
    registre: Annotated[UploadFile, File()],
    annee: Annotated[str | None, Form()] = None,
    payments: Annotated[UploadFile | None, File()] = None,
    organisations: Annotated[UploadFile | None, File()] = None,
    by: Annotated[str | None, Form()] = None,
    rulebook: Annotated[str, Form()] = "rso-2025",
    xlsx: Annotated[str | None, Form()] = None,
    csv: Annotated[str | None, Form()] = None,
    lot: Annotated[str | None, Form()] = None,
    settings: ApiSettings = Depends(get_settings),
    store: Store = Depends(get_store),
) -> Response:
    """Indicators of an uploaded register, joined to a stored batch's reports if one is chosen:
    the table and charts, or the XLSX to download."""
    folder = temp_folder(settings, "web-ind-")
    try:
        if rulebook not in RULEBOOKS:
            raise Problem("AC-E016", "référentiel inconnu.")
        if by not in (None, "", "organisation", "branche"):
            raise Problem("AC-E016", f"« Détail » : « {by} » inconnu ; ensemble, par organisme ou par branche.")
        stored = await asyncio.to_thread(job_reports, store, lot, rulebook) if lot else None  # off the event loop
        given = {name: f for name, f in (("payments", payments), ("organisations", organisations)) if f is not None and f.filename}
        paths = dict(zip(["registre", *given], await save_uploads([registre, *given.values()], folder, settings), strict=True))
        # left empty: the register's only year, as on the command line (several: say which)
        years = ind.parse_years([annee]) if annee and annee.strip() else None
        report = await asyncio.to_thread(ind.run, paths["registre"], years, rulebook, paths.get("payments"), paths.get("organisations"),
                                         by=by or None, asking=ind.WEB_PAGE, reports=stored)
        if xlsx or csv:  # a button « Télécharger XLSX » or « CSV »: the file, for a spreadsheet
            return indicators_response(report, "xlsx" if xlsx else "csv", for_excel=True)
        source = (registre.filename or "registre") + (f", rapports du lot {lot}" if lot else "")
        return page(request, "indicateurs.html", report=report, charts=_charts(report), source=source, jobs=recent_jobs(store))
    except (Problem, AchatCheckError) as exc:
        code, detail, status = _said(exc, settings)
        return page(request, "indicateurs.html", status=status, jobs=recent_jobs(store), error=f"[{code}] {detail}")
    finally:
        remove(folder)
