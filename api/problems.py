"""Errors as RFC 9457 problem details (application/problem+json), with our numbered codes."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from achat_check.errors import CODES, AchatCheckError
from achat_check.validation import in_french

MEDIA = "application/problem+json"
PROBLEM_DOC = {"content": {"application/problem+json": {}}, "description": "erreur (RFC 9457, avec le code AC-Exxx)"}
STATUS_OF = {
    "AC-E001": 404, "AC-E002": 415, "AC-E003": 422, "AC-E004": 422, "AC-E005": 422, "AC-E006": 413, "AC-E007": 422,
    "AC-E008": 422, "AC-E009": 422, "AC-E010": 422, "AC-E011": 422, "AC-E012": 422, "AC-E013": 500, "AC-E014": 422,
    "AC-E015": 422, "AC-E016": 422, "AC-E017": 404, "AC-E018": 422, "AC-E019": 422, "AC-E020": 422,
    "AC-E021": 401, "AC-E022": 413, "AC-E023": 503, "AC-E024": 403, "AC-E027": 404,
}


#: where a wrong value was, said as an API user reads the request
#: the folder of `data_dir` where each batch's uploaded ZIP is unpacked (one folder per upload)
BATCH_FOLDER = "lots"
WHERE = {"query": "paramètre", "body": "champ", "path": "chemin", "header": "en-tête", "cookie": "cookie"}


def validation_errors(errors: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each wrong field of a request: where, pydantic's type, and what is wrong in French."""
    out = []
    for e in errors:
        loc = [str(x) for x in e.get("loc", [])]
        kind = e.get("type", "")
        if kind == "missing":
            msg = "obligatoire, absent de la requête"
        elif "UploadFile" in str(e.get("msg", "")):  # a text where a file is expected
            msg = "un fichier est attendu (formulaire multipart/form-data, champ de type fichier)"
        else:
            msg = in_french(e)
        out.append({"loc": loc, "type": kind, "msg": msg})
    return out


def _said(e: dict[str, Any]) -> str:
    loc = e["loc"]
    name = ".".join(loc[1:]) if len(loc) > 1 else ".".join(loc)
    return f"{WHERE.get(loc[0], loc[0]) if loc else 'requête'} « {name} » : {e['msg']}"


class Problem(Exception):
    """An error the service answers with a problem document."""

    def __init__(self, code: str, detail: str, status: int | None = None, **extra: object) -> None:
        super().__init__(detail)
        self.code, self.status, self.extra = code, status or STATUS_OF.get(code, 400), extra
        self.detail = for_client(code, detail)


#: errors of the service's own configuration, not of the request: the client is told the
#: service must be mended (no server path), its operator reads the cause in the service's log
SERVICE_FAULTS = {
    "AC-E013": "les packs de règles du service ne se chargent pas : son administrateur doit les corriger "
               "(cause dans le journal du service ; GET /readyz le signale aussi).",
}


def for_client(code: str, detail: str) -> str:
    """What the client is told of an error: the service's own faults in general words, their
    cause logged for the operator (the API's problems and the web page's errors alike)."""
    if code not in SERVICE_FAULTS:
        return detail
    logging.getLogger("uvicorn.error").error("[%s] %s", code, detail)
    return SERVICE_FAULTS[code]


def problem_response(request: Request, code: str, detail: str, status: int, **extra: object) -> JSONResponse:
    """The problem document for an error code."""
    title = CODES.get(code, ("error", "erreur"))[1]
    body = {"type": f"/v1/errors/{code}", "title": title, "status": status, "detail": detail, "instance": str(request.url.path), "code": code}
    body.update(extra)
    headers = {"WWW-Authenticate": 'ApiKey header="X-API-Key"'} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=MEDIA, headers=headers)


def said_to_client(exc: AchatCheckError, data_dir: Path) -> str:
    """The error's message, led by the uploaded file it is about: a path in one request's
    working folder (under `data_dir`) is said by the name the client gave the file
    (« paiements.xlsx : classeur XLSX illisible… », where three registers may be sent); any
    other path (database, server folders) stays on the server."""
    if exc.code in SERVICE_FAULTS:
        return for_client(exc.code, str(exc))
    name = client_path(exc.path, data_dir) if exc.path else None
    return f"{name} : {exc.message}" if name else exc.message


def client_path(path: str, data_dir: Path) -> str | None:
    """A file of our working folders under `data_dir` as the client knows it: past one
    request's own folder (« check-…/ », « lot-…/ ») or the folder a batch's ZIP was unpacked to
    (« lots/28fb4036-lots/ »); None for any other path, which stays on the server.  Both sides
    are resolved: `data_dir` may be relative, and a register's DCE paths are resolved."""
    try:
        inside = Path(os.path.realpath(path)).relative_to(os.path.realpath(data_dir))
    except ValueError:
        return None
    skip = 2 if inside.parts[:1] == (BATCH_FOLDER,) else 1
    return "/".join(inside.parts[skip:]) or None


async def unread_fields(request: Request) -> str:
    """The fields of a form the address does not read, with those it reads (« » when every
    field is read, or the body is no form): a client that sent POST /v1/batches's
    « register » to POST /v1/indicators, whose register is « markets », was told only that
    « markets » was missing."""
    if "form" not in request.headers.get("content-type", ""):
        return ""
    dependant = getattr(request.scope.get("route"), "dependant", None)
    read = [p.alias for p in getattr(dependant, "body_params", [])]
    try:
        sent = list(dict.fromkeys((await request.form()).keys()))
    except Exception:  # noqa: BLE001 - a form the parser refuses is said by its own error
        return ""
    unread = [f"« {name} »" for name in sent if name not in read]
    if not unread or not read:
        return ""
    return f" ; champ(s) envoyé(s) que {request.url.path} ne lit pas : {', '.join(unread)} (ses champs : {', '.join(read)})"


def _from_a_browser(request: Request) -> bool:
    """A page asked by a browser (it accepts HTML), outside the API and its static files."""
    return "text/html" in request.headers.get("accept", "") and not request.url.path.startswith(("/v1/", "/static/"))


def install(app: FastAPI, data_dir: Path) -> None:
    """Every error path answers problem+json; no traceback leaves the server."""

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        return problem_response(request, exc.code, exc.detail, exc.status, **exc.extra)

    @app.exception_handler(AchatCheckError)
    async def _achat(request: Request, exc: AchatCheckError) -> JSONResponse:
        return problem_response(request, exc.code, said_to_client(exc, data_dir), STATUS_OF.get(exc.code, 422))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = validation_errors(exc.errors())
        detail = "; ".join(_said(e) for e in errors) or "requête invalide"
        return problem_response(request, "AC-E016", f"paramètre invalide — {detail}{await unread_fields(request)}", 422, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        html_page = getattr(request.app.state, "html_not_found", None)
        if exc.status_code == 404 and html_page is not None and _from_a_browser(request):
            response: Response = html_page(request)
            return response
        code = {401: "AC-E021", 404: "AC-E027", 405: "AC-E016", 413: "AC-E022"}.get(exc.status_code, "AC-E016")
        detail = exc.detail if isinstance(exc.detail, str) else "requête refusée"
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"aucune ressource à l'adresse {request.url.path}"
        elif exc.status_code == 400 and "multipart" in detail.lower():  # Starlette's parser, in English
            detail = f"formulaire multipart/form-data illisible ({detail}) : renvoyez la requête ; un corps tronqué ou un nom de fichier très long en sont les causes habituelles."
        elif exc.status_code == 405:
            detail = f"méthode {request.method} non permise sur {request.url.path}"
        return problem_response(request, code, detail, exc.status_code)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:  # pragma: no cover - last resort
        return problem_response(request, "AC-E018", f"erreur interne ({type(exc).__name__}) : signalez-la avec le fichier en cause.", 500)
