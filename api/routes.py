"""The `/v1` API: check a DCE, run batches, compute indicators, read the rules."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    Response,
    StreamingResponse,
)
from pydantic import BaseModel, Field

from achat_check import indicators as ind
from achat_check.batch.cli_support import COLUMNS, jsonl_lines, result_row, to_csv, to_xlsx
from achat_check.batch.store import Store
from achat_check.batch.stored import job_reports, latest_reports
from achat_check.checks import known_check
from achat_check.engine.loader import RuleSet, load_rules
from achat_check.engine.schema import Rulebook
from achat_check.extract.dates import FIRST_GIVEN, LAST_GIVEN
from achat_check.indicators.model import DataIssue, IndicatorReport
from achat_check.model import GivenFacts, MarketReport, Notice

from .deps import get_batches, get_checks, get_settings, get_store, require_key
from .problems import PROBLEM_DOC, Problem, unread_fields
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

router = APIRouter(prefix="/v1", dependencies=[Depends(require_key)])
BuyerType = Literal["organisme", "etat", "collectivite", "etablissement_sante", "entite_adjudicatrice"]
PROBLEM = PROBLEM_DOC
ERRORS: dict[int | str, dict[str, Any]] = {401: PROBLEM, 404: PROBLEM, 413: PROBLEM, 422: PROBLEM, 503: PROBLEM}


# --------------------------------------------------------------------------- check


@router.post(
    "/check", response_model=MarketReport, responses={**ERRORS, 200: {"content": {"text/html": {}, "text/markdown": {}}}},
    summary="Vérifier un DCE", tags=["vérification"],
)
async def check(
    files: Annotated[list[UploadFile], File(description="pièces du DCE (PDF, DOCX, ODT, DOC, RTF, XLSX, XLS, ODS, TXT, MD) ou un ZIP")],
    format: Annotated[Literal["json", "html", "md"], Query(description="json (MarketReport), html ou md")] = "json",
    rulebook: Annotated[Rulebook, Query()] = "rso-2025",
    buyer_type: Annotated[BuyerType, Query()] = "organisme",
    consultation_date: Annotated[date | None, Query(ge=FIRST_GIVEN, le=LAST_GIVEN, description=(
        "date de la consultation, AAAA-MM-JJ (pour un projet de DCE : sa publication prévue), qui remplace celle des documents"))] = None,
    estimated_amount_ht: Annotated[float | None, Query(ge=0, allow_inf_nan=False, description=(
        "montant estimé du marché en € HT, sur toute sa durée (reconductions comprises), qui remplace celui des documents"))] = None,
    settings: ApiSettings = Depends(get_settings),
    checks: Checks = Depends(get_checks),
) -> Response:
    """Le rapport du marché que décrivent les pièces envoyées."""
    import asyncio

    folder = await asyncio.to_thread(temp_folder, settings, "check-")
    try:
        paths = await save_uploads(files, folder, settings)
        given = GivenFacts(consultation_date=consultation_date, estimated_amount_ht=estimated_amount_ht)
        body = await checks.check(paths, format, rulebook, buyer_type, given)
    finally:
        await asyncio.to_thread(remove, folder)
    if format == "html":
        return HTMLResponse(body)
    if format == "md":
        return PlainTextResponse(body, media_type="text/markdown; charset=utf-8")
    return Response(body, media_type="application/json")


# --------------------------------------------------------------------------- batches


class JobOut(BaseModel):
    """A batch job and its progress."""

    id: str
    status: str
    created_at: datetime
    finished_at: datetime | None
    source: str
    rulebook: str
    rules_version: str
    total: int
    done: int
    cached: int
    failed: int
    pending: int
    partly_read: int = Field(0, description="marchés vérifiés dont une partie du DCE n'a pas pu être lue (voir `unread` "
                                            "dans les résultats) : ce qui n'y a pas été trouvé reste à vérifier")
    incomplete: int = Field(0, description="marchés vérifiés dont le DCE n'a pas toutes ses pièces principales (RC, CCAP, "
                                           "CCTP ; lesquelles : `missing_pieces` dans les résultats) : les vérifications "
                                           "qui les lisent y restent indéterminées")
    notices: list[Notice] = Field(default_factory=list, description="fichiers laissés de côté (ou archive réparée, AC-W012) en créant le lot, et pourquoi")
    failing_checks: dict[str, int] | None = Field(None, description="nombre de marchés qui manquent chaque vérification, "
                                                  "la plus manquée d'abord (les marchés : results?failing=ID) ; donné par "
                                                  "GET /v1/batches/{id}, pas par la liste des lots")


class ResultRow(BaseModel):
    """One market of a batch: status and the values the indicators use (the columns of the CSV and
    XLSX exports, described once in `COLUMNS`)."""

    market_id: str = Field(..., description=COLUMNS["market_id"])
    status: str = Field(..., description=COLUMNS["status"])
    error: str | None = Field(None, description=COLUMNS["error"])
    seconds: float | None = Field(None, description=COLUMNS["seconds"])
    documents: int | None = Field(None, description=COLUMNS["documents"])
    env_consideration: bool | None = Field(None, description=COLUMNS["env_consideration"])
    env_criterion: bool | None = Field(None, description=COLUMNS["env_criterion"])
    social_consideration: bool | None = Field(None, description=COLUMNS["social_consideration"])
    social_criterion: bool | None = Field(None, description=COLUMNS["social_criterion"])
    insertion_clause: bool | None = Field(None, description=COLUMNS["insertion_clause"])
    facilitator: bool | None = Field(None, description=COLUMNS["facilitator"])
    reserved: bool | None = Field(None, description=COLUMNS["reserved"])
    in_scope: bool | None = Field(None, description=COLUMNS["in_scope"])
    amount_ht: float | None = Field(None, description=COLUMNS["amount_ht"])
    insertion_hours: float | None = Field(None, description=COLUMNS["insertion_hours"])
    procedure: str | None = Field(None, description=COLUMNS["procedure"])
    consultation_date: str | None = Field(None, description=COLUMNS["consultation_date"])
    obligations_failed: int | None = Field(None, description=COLUMNS["obligations_failed"])
    recommendations_missed: int | None = Field(None, description=COLUMNS["recommendations_missed"])
    failed_checks: str | None = Field(None, description=COLUMNS["failed_checks"])
    unread: str | None = Field(None, description=COLUMNS["unread"])
    buyer: str | None = Field(None, description=COLUMNS["buyer"])
    object: str | None = Field(None, description=COLUMNS["object"])
    max_duration_months: float | None = Field(None, description=COLUMNS["max_duration_months"])
    missing_pieces: str | None = Field(None, description=COLUMNS["missing_pieces"])


class ResultsPage(BaseModel):
    """A page of a batch's results."""

    job: str
    page: int
    per_page: int
    total: int
    items: list[ResultRow] = Field(default_factory=list)


#: the results of a job that fail one check (results and their XLSX export)
FailingCheck = Annotated[str | None, Query(max_length=64, description="seulement les marchés dont le rapport manque cette "
                                           "vérification (identifiant : clauses.declared, sme.allotment… ; voir /v1/rules)")]


def job_out(store: Store, job_id: str, failing_checks: bool = False) -> JobOut:
    """The job with its counts; with `failing_checks`, its markets counted per failed check
    too (one job's view: in a list of a hundred jobs of 10,000 markets, 10 s)."""
    job = store.job(job_id)
    c = store.counts(job_id)
    return JobOut(id=job.id, status=job.status, created_at=job.created_at, finished_at=job.finished_at, source=job.source,
                  rulebook=job.rulebook, rules_version=job.rules_version, total=job.total, done=c.get("done", 0),
                  cached=c.get("cached", 0), failed=c.get("failed", 0), pending=c.get("pending", 0),
                  partly_read=store.partly_read(job_id), incomplete=store.incomplete(job_id), notices=job.notice_list(),
                  failing_checks=store.failing_counts(job_id) if failing_checks else None)


@router.post("/batches", response_model=JobOut, status_code=202, responses=ERRORS, summary="Lancer un lot", tags=["lots"])
async def start_batch(
    request: Request,
    archive: Annotated[UploadFile | None, File(description="ZIP des DCE : un dossier ou un ZIP par marché")] = None,
    folder: Annotated[str | None, Form(description="ou un dossier du serveur (si ACHAT_CHECK_SERVER_FOLDERS l'ouvre)")] = None,
    register_file: Annotated[UploadFile | None, File(alias="register", description="registre des marchés (CSV, XLSX, XLS, ODS, DECP JSON ou XML) dont la "
                                                  "colonne « dce » nomme le dossier ou le ZIP de chaque marché dans l'archive : "
                                                  "les marchés prennent ses identifiants, et sa date de notification situe un "
                                                  "DCE qui ne dit pas la sienne")] = None,
    rulebook: Annotated[Rulebook, Form()] = "rso-2025",
    settings: ApiSettings = Depends(get_settings),
    batches: Batches = Depends(get_batches),
) -> JobOut:
    """Le travail créé ; il tourne en arrière-plan et reprend après un redémarrage."""
    if (archive is None) == (folder is None):
        raise Problem("AC-E016", "envoyez soit une archive ZIP (champ « archive »), soit un dossier du serveur (champ « folder »)"
                                 f"{await unread_fields(request)}.", 422)
    staging = temp_folder(settings, "lot-")
    try:
        given = await saved_register(register_file, staging, settings)
        if folder is not None:
            job_id = batches.submit_folder(folder, rulebook, given)
        else:
            assert archive is not None, "one of the two, checked above"
            job_id = batches.submit_zip(await saved_archive(archive, staging, settings), rulebook, given)
    finally:
        remove(staging)
    return job_out(batches.store, job_id)


@router.get("/batches", response_model=list[JobOut], summary="Les lots", tags=["lots"])
def list_batches(store: Store = Depends(get_store)) -> list[JobOut]:
    """Tous les travaux, du plus récent au plus ancien."""
    return [job_out(store, j.id) for j in store.jobs()]


@router.get("/batches/{job_id}", response_model=JobOut, responses=ERRORS, summary="Avancement d'un lot", tags=["lots"])
def batch_status(job_id: str, store: Store = Depends(get_store)) -> JobOut:
    """Marchés vérifiés, repris du cache, en échec, à faire ; marchés par vérification manquée."""
    return job_out(store, job_id, failing_checks=True)


def csv_download(store: Store, job_id: str, status: str | None, failing: str | None, shown: Callable[[str], str],
                 for_excel: bool = False) -> Response:
    """The results as a CSV attachment; for a spreadsheet (the web page's link) with the
    byte-order mark Excel needs to read UTF-8 (« Marché » showed « MarchÃ© »), which a
    program reading the API's CSV is not given (its first column stays « market_id »)."""
    text = ("\ufeff" if for_excel else "") + to_csv(store, job_id, status, failing, shown)
    return Response(text, media_type="text/csv; charset=utf-8", headers={"Content-Disposition": f'attachment; filename="lot-{job_id}.csv"'})


@router.get(
    "/batches/{job_id}/results", response_model=ResultsPage,
    responses={**ERRORS, 200: {"content": {"application/x-ndjson": {}, "text/csv": {}}}}, summary="Résultats d'un lot", tags=["lots"],
)
def batch_results(
    job_id: str,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=500)] = 50,
    status: Annotated[Literal["done", "cached", "failed", "pending"] | None, Query()] = None,
    failing: FailingCheck = None,
    format: Annotated[Literal["json", "ndjson", "csv"], Query()] = "json",
    store: Store = Depends(get_store),
    settings: ApiSettings = Depends(get_settings),
) -> Response:
    """Page de résultats (JSON), ou tous les résultats en NDJSON (avec les rapports) ou CSV."""
    store.job(job_id)
    if failing is not None:
        known_check(failing, "failing")
    shown = upload_paths(settings)
    if format == "csv":
        return csv_download(store, job_id, status, failing, shown)
    if format == "ndjson":
        return StreamingResponse(jsonl_lines(store, job_id, status, failing, shown), media_type="application/x-ndjson")
    total = store.total(job_id, status, failing)
    rows = store.results(job_id, status, full=False, failing=failing, offset=(page - 1) * per_page, limit=per_page)
    items = [ResultRow.model_validate({k: row[k] for k in ResultRow.model_fields}) for row in (result_row(m, r, shown) for m, r in rows)]
    return JSONResponse(ResultsPage(job=job_id, page=page, per_page=per_page, total=total, items=items).model_dump(mode="json"))


@router.get("/batches/{job_id}/export.xlsx", responses=ERRORS, summary="Résultats d'un lot en XLSX", tags=["lots"],
            response_class=Response)
def batch_xlsx(
    job_id: str,
    failing: FailingCheck = None,
    store: Store = Depends(get_store),
    settings: ApiSettings = Depends(get_settings),
) -> Response:
    """Un classeur : une ligne par marché (ceux qui manquent la vérification `failing`, s'il est donné),
    puis chaque vérification avec son intitulé et le nombre de ces marchés qui la manquent, et ce que
    contient chaque colonne."""
    store.job(job_id)
    if failing is not None:
        known_check(failing, "failing")
    return Response(to_xlsx(store, job_id, failing=failing, shown=upload_paths(settings)), media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="lot-{job_id}.xlsx"'})


@router.delete("/batches/{job_id}", response_model=JobOut, responses=ERRORS, summary="Annuler un lot", tags=["lots"])
def cancel_batch(job_id: str, batches: Batches = Depends(get_batches)) -> JobOut:
    """Arrête le lot après les marchés en cours ; les résultats déjà obtenus sont gardés."""
    batches.cancel(job_id)
    return job_out(batches.store, job_id)


# --------------------------------------------------------------------------- indicators


@router.post(
    "/indicators", response_model=IndicatorReport,
    responses={**ERRORS, 200: {"content": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}, "text/csv": {}}}},
    summary="Indicateurs d'un registre", tags=["indicateurs"],
)
async def indicators_from_register(
    markets: Annotated[UploadFile, File(description="registre des marchés : CSV, XLSX, XLS, ODS, DECP JSON ou XML")],
    year: Annotated[str | None, Form(description="année(s) : 2026, 2024-2026 ou 2024,2025 ; sans elle, la seule année de "
                                                 "notification du registre (422 s'il en couvre plusieurs, en les nommant)")] = None,
    payments: Annotated[UploadFile | None, File(description="registre des paiements (CSV, XLSX, XLS ou ODS)")] = None,
    organisations: Annotated[UploadFile | None, File(description="registre des organismes (CSV, XLSX, XLS ou ODS)")] = None,
    rulebook: Annotated[Rulebook, Form()] = "rso-2025",
    by: Annotated[Literal["organisation", "branche"] | None, Form()] = None,
    format: Annotated[Literal["json", "xlsx", "csv"], Form()] = "json",
    batch: Annotated[str | None, Form(description="identifiant d'un lot enregistré (POST /v1/batches) : ses rapports sont "
                                                 "joints aux marchés du registre de même identifiant, comme "
                                                 "`indicators --reports` ; les valeurs des documents remplacent les "
                                                 "valeurs déclarées et les déclarations contredites sont listées (cross_check)")] = None,
    settings: ApiSettings = Depends(get_settings),
    store: Store = Depends(get_store),
) -> Response:
    """Chaque indicateur du référentiel, avec la qualité des données."""
    import asyncio

    # read off the event loop (a batch of 10 000 markets parses as many reports); an unknown
    # batch is said before any upload is saved
    reports = await asyncio.to_thread(job_reports, store, batch, rulebook) if batch else None
    folder = temp_folder(settings, "indicateurs-")
    try:
        uploads = [f for f in (markets, payments, organisations) if f is not None]
        paths = await save_uploads(uploads, folder, settings)
        reg = paths[0]
        pay = paths[1] if payments is not None else None
        org = paths[-1] if organisations is not None else None
        years = ind.parse_years([year]) if year else None  # None: the register's only year
        report = await asyncio.to_thread(ind.run, reg, years, rulebook, pay, org, None, False, by, asking=ind.API, reports=reports)
        return indicators_response(report, format)
    finally:
        remove(folder)


@router.get("/indicators", response_model=IndicatorReport, summary="Indicateurs des lots enregistrés", tags=["indicateurs"],
            responses={**ERRORS, 200: {"content": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}, "text/csv": {}}}})
def indicators_from_store(
    year: Annotated[str, Query(description="année(s) de notification (celle du registre envoyé avec le lot), à défaut de "
                                           "la date de consultation : 2026 ou 2024-2026")],
    organisation: Annotated[str | None, Query(description="acheteur nommé dans les DCE (partie du nom)")] = None,
    rulebook: Annotated[Rulebook, Query()] = "rso-2025",
    format: Annotated[Literal["json", "xlsx", "csv"], Query()] = "json",
    store: Store = Depends(get_store),
) -> Response:
    """Indicateurs des marchés vérifiés par les lots (le dernier rapport de chaque marché)."""
    reports = latest_reports(store, rulebook)
    if organisation:  # « herault » finds « CAF de l'Hérault »
        needle = ind.organisation_key(organisation)
        reports = {k: v for k, v in reports.items() if needle in ind.organisation_key(v.buyer)}
    markets = ind.from_reports(reports)
    report = ind.compute_indicators(markets, ind.parse_years([year]), rulebook, reports=reports,
                                    by="organisation" if not organisation else None, asking=ind.API)
    if organisation and not reports:  # a typo gave indicators of no market, « — » everywhere, and no word why
        report.data_quality.insert(0, DataIssue(
            kind="acheteur introuvable", source="lots enregistrés",
            message=f"aucun marché des lots n'a un acheteur dont le nom contient « {organisation} » : vérifiez l'orthographe "
                    "(les noms sont comparés sans majuscules, accents ni espaces en trop)."))
    return indicators_response(report, format)


def indicators_response(report: IndicatorReport, fmt: str, for_excel: bool = False) -> Response:
    """The indicators as JSON, or as the XLSX or CSV file to download (the CSV of the command
    line's `-o indicateurs.csv`: one row per indicator, year and group); for a spreadsheet (the
    web page's button) the CSV starts with the byte-order mark Excel needs to read UTF-8."""
    if fmt == "xlsx":
        import tempfile
        from pathlib import Path

        from achat_check.indicators.export import write_xlsx

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "indicateurs.xlsx"
            write_xlsx(report, path)
            data = path.read_bytes()
        return Response(data, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": 'attachment; filename="indicateurs.xlsx"'})
    if fmt == "csv":
        from achat_check.indicators.export import to_csv

        return Response(("\ufeff" if for_excel else "") + to_csv(report), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="indicateurs.csv"'})
    return Response(report.model_dump_json(), media_type="application/json")


# --------------------------------------------------------------------------- rules


class RuleOut(BaseModel):
    """A rule, context rule, criterion kind or verification of the packs in force."""

    id: str
    kind: str
    pack: str
    title: str
    theme: str | None = None
    lever: str | None = None
    legal_basis: str | None = None


def _rules(ruleset: RuleSet) -> list[tuple[RuleOut, dict[str, Any]]]:
    out = []
    for pack in ruleset.packs:
        for kind, items in (("règle", pack.rules), ("contexte", pack.context), ("nature de critère", pack.criterion_kinds),
                            ("vérification", pack.checks)):
            for item in items:
                data = item.model_dump(mode="json")
                out.append((RuleOut(id=item.id, kind=kind, pack=pack.id, title=item.title, theme=data.get("theme"),
                                    lever=data.get("lever"), legal_basis=data.get("legal_basis")), data))
    return out


@router.get("/rules", response_model=list[RuleOut], summary="Règles en vigueur", tags=["règles"])
def rules(rulebook: Annotated[Rulebook, Query()] = "rso-2025") -> list[RuleOut]:
    """Les règles, règles de contexte, natures de critères et vérifications des packs."""
    return [r for r, _ in _rules(load_rules(rulebook))]


@router.get("/rules/{rule_id}", responses=ERRORS, summary="Une règle", tags=["règles"])
def rule(rule_id: str, rulebook: Annotated[Rulebook, Query()] = "rso-2025") -> dict[str, Any]:
    """La règle entière : motifs, exemples, base légale, rédaction proposée (son identifiant en
    minuscules ou majuscules, ou son nom)."""
    ruleset = load_rules(rulebook)
    found = ruleset.find(rule_id)
    if found is not None:
        for r, data in _rules(ruleset):  # the packs read once
            if r.id == found.id:
                return {"kind": r.kind, "pack": r.pack, **data}
    raise Problem("AC-E027", ruleset.unknown(rule_id, "GET /v1/rules donne la liste"), 404)
