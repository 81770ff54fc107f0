"""Batch scans of archived DCEs: a persistent store, resumable jobs, a local pool or Dask."""

from __future__ import annotations

from achat_check.batch.discover import content_hash, discover, from_register, loose_files_only
from achat_check.batch.runner import (
    DaskBackend,
    LocalPool,
    Progress,
    check_address,
    current_versions,
    run_job,
)
from achat_check.batch.store import Job, Store
from achat_check.model import GivenFacts, Notice

__all__ = ["DaskBackend", "LocalPool", "Progress", "Store", "check_address", "content_hash", "current_versions", "discover", "from_register", "loose_files_only", "new_job", "run_job"]


def new_job(store: Store, source: str, markets: list[tuple[str, list[str]]], rulebook: str, backend_name: str, workers: int,
            notices: list[Notice] | None = None, market_notices: dict[str, list[Notice]] | None = None,
            market_given: dict[str, GivenFacts] | None = None) -> Job:
    """A job over these markets, recorded with the versions that will make its reports, what
    discovering them said (files left out, and why), what was said of each market's own
    files (an archive member that could not be unpacked: its report says it) and what a
    register says of each beside its DCE (a GivenFacts: its notification date, amount, buyer…)."""
    rules_version, tool_version = current_versions(rulebook)
    return store.create_job(source, rulebook, rules_version, tool_version, backend_name, workers, markets, notices, market_notices,
                            market_given)
