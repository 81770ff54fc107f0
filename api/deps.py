"""Dependencies of the routes: settings, the running services, and the API-key guard.

Tests replace them with `app.dependency_overrides`.
"""

from __future__ import annotations

import ipaddress
import secrets
from typing import TYPE_CHECKING

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader

from .problems import Problem
from .settings import ApiSettings

if TYPE_CHECKING:
    from achat_check.batch import Store

    from .services import Batches, Checks

key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="clé d'API (si ACHAT_CHECK_API_KEYS est défini)")


def get_settings(request: Request) -> ApiSettings:
    """The service's settings."""
    settings: ApiSettings = request.app.state.settings
    return settings


def get_checks(request: Request) -> Checks:
    """The check workers."""
    checks: Checks = request.app.state.checks
    return checks


def get_batches(request: Request) -> Batches:
    """The batch jobs."""
    batches: Batches = request.app.state.batches
    return batches


def get_store(request: Request) -> Store:
    """The batch store."""
    store: Store = request.app.state.batches.store
    return store


def _key_ok(given: str | None, keys: set[str]) -> bool:
    if not given:
        return False
    return any(secrets.compare_digest(given, k) for k in keys)


def require_key(request: Request, key: str | None = Depends(key_header), settings: ApiSettings = Depends(get_settings)) -> None:
    """Every /v1 route asks for a key when keys are set (header X-API-Key or Bearer)."""
    keys = settings.keys
    if not keys:
        return
    bearer = request.headers.get("authorization", "")
    given = key or (bearer[7:].strip() if bearer.lower().startswith("bearer ") else None)
    if not _key_ok(given, keys):
        raise Problem("AC-E021", "clé d'API absente ou invalide : en-tête X-API-Key ou Authorization: Bearer.", 401)


def is_loopback(request: Request) -> bool:
    """A connection from this machine."""
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def require_web_access(request: Request, settings: ApiSettings = Depends(get_settings)) -> None:
    """The web page: open on loopback by default, else the same keys (cookie or ?key=)."""
    keys = settings.keys
    if not keys or (settings.web_open_on_loopback and is_loopback(request)):
        return
    given = request.cookies.get("achat_check_key") or request.query_params.get("key") or request.headers.get("x-api-key")
    if not _key_ok(given, keys):
        raise Problem("AC-E021", "page protégée : ouvrez-la avec ?key=VOTRE_CLÉ (elle est ensuite retenue).", 401)
