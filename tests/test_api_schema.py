"""Schemathesis against the published OpenAPI: no generated request gets a server error."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis")
from fastapi.testclient import TestClient  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

import api  # noqa: E402
from api.settings import ApiSettings  # noqa: E402

ROOT = Path(tempfile.mkdtemp(prefix="achat-check-schema-"))
APP = api.create_app(ApiSettings(db=str(ROOT / "achat-check.db"), data_dir=ROOT / "data", max_concurrent_checks=1))
schema = schemathesis.openapi.from_asgi("/v1/openapi.json", APP)


@pytest.fixture(scope="module", autouse=True)
def _running_app():
    with TestClient(APP):  # the lifespan: check workers and store up for the whole module
        yield
    shutil.rmtree(ROOT, ignore_errors=True)  # the store and uploads of this module's requests


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_error(case):
    response = case.call()
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:300]}"
    if response.status_code >= 400:
        ctype = response.headers.get("content-type") or response.headers.get("Content-Type") or [""]
        assert (ctype[0] if isinstance(ctype, list) else ctype).startswith("application/problem+json")
        assert response.json()["code"].startswith("AC-E")
