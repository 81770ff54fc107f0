"""The HTTP service of achat-check: the `/v1` API and the buyer's web page.

It imports the library and is never imported by it.  `create_app()` builds the app; the
heavy parts (check workers with the French pipeline, the batch store, resumed jobs) start
in the lifespan, once per server process.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from achat_check import __version__
from achat_check.settings import from_env

from . import problems
from .settings import ApiSettings

if TYPE_CHECKING:
    from achat_check.batch import Store

HERE = __import__("pathlib").Path(__file__).resolve().parent


def _open_store(settings: ApiSettings) -> Store:
    """The working folder and the batch store, opened when the app is built: a folder the
    service cannot write or a database it cannot use is said in French before the server
    starts (opened in the lifespan, uvicorn printed its traceback, then « Application startup
    failed »)."""
    from achat_check.batch import Store
    from achat_check.errors import set_by, writing

    with writing(settings.data_dir, "ACHAT_CHECK_DATA_DIR"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    with set_by("ACHAT_CHECK_DB"):
        return Store(settings.db)


def _check_rules(rulebook: str) -> None:
    """The rule packs in force load (the packaged ones and ACHAT_CHECK_RULES's), or AC-E013:
    the service was ready while each check answered « aucun pack de règles » in a 422, an
    error no client can mend. Checked before the server starts and by /readyz (a pack edited
    since)."""
    from achat_check.engine.loader import load_rules

    load_rules(rulebook)


def _check_workers(settings: ApiSettings) -> None:
    """The batches' workers fit in the machine's memory (ACHAT_CHECK_BATCH_WORKERS=1000 started
    a thousand processes at the first batch), or AC-E016 before the server starts."""
    from achat_check.batch.cli_support import workers_fit

    workers_fit(settings.batch_workers * settings.max_running_batches, "ACHAT_CHECK_BATCH_WORKERS × ACHAT_CHECK_MAX_RUNNING_BATCHES =")


def create_app(settings: ApiSettings | None = None, start_services: bool = True) -> FastAPI:
    """The application; `start_services=False` leaves the workers to the tests' overrides."""
    settings = settings or from_env(ApiSettings)
    _check_rules(settings.rulebook)
    _check_workers(settings)
    store = _open_store(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from .services import Batches, Checks

        app.state.settings = settings
        app.state.started = time.time()
        app.state.batches = Batches(settings, store)
        app.state.checks = Checks(settings)
        if start_services:
            app.state.checks.start()
            app.state.resumed = app.state.batches.resume_all()
        try:
            yield
        finally:
            app.state.batches.stop_all()
            app.state.checks.stop()

    app = FastAPI(
        title="achat-check",
        version=__version__,
        description="Vérification des considérations environnementales et sociales des DCE, lots d'archives et indicateurs du Référentiel RSO.",
        openapi_url="/v1/openapi.json",
        docs_url="/v1/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    problems.install(app, settings.data_dir)

    from .routes import router
    from .web import not_found_page, web

    app.include_router(router)
    app.include_router(web)
    app.state.html_not_found = not_found_page  # the site's 404 for browsers (problems.install)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.get("/healthz", tags=["service"], summary="Le service répond")
    def healthz() -> JSONResponse:
        """Always cheap: no database, no worker."""
        return JSONResponse({"status": "ok"})

    @app.get("/readyz", tags=["service"], summary="Le service est prêt", responses={503: problems.PROBLEM_DOC})
    def readyz() -> JSONResponse:
        """Workers started, the store reachable and the rules loading."""
        from sqlalchemy import text

        from achat_check.errors import AchatCheckError

        ready = getattr(app.state, "checks", None) is not None and app.state.checks.pool is not None
        try:
            with app.state.batches.store.engine.connect() as c:
                c.execute(text("SELECT 1"))
            db = True
        except Exception:  # noqa: BLE001 - reported, not raised
            db = False
        body: dict[str, object] = {"status": "ready" if ready and db else "starting", "checks": ready, "store": db,
                                   "rules": True}
        try:
            _check_rules(settings.rulebook)
        except AchatCheckError as exc:
            logging.getLogger("uvicorn.error").error("/readyz : %s", exc)
            body.update(status="misconfigured", rules=False)
        return JSONResponse(body, status_code=200 if body["status"] == "ready" else 503)

    return app
