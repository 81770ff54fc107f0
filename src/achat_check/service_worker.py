"""The service's check workers: one DCE checked in a worker process of the API.

These functions live in the library, not in `api/`: a worker imports them by name, and
the API package run from a checkout is loaded from its folder (`achat-check serve`) while
a worker would import the copy the wheel installed, older when the checkout changed (a
worker once called the installed `_check_in_worker` with an argument it did not take).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from achat_check.model import GivenFacts

_CHECKERS: dict[tuple[str, str], object] = {}


def check_in_worker(
    paths: list[str], fmt: str, rulebook: str, buyer_type: str, folder: str = "", given: GivenFacts | None = None
) -> tuple[str, str, str]:
    """(kind, body, code): kind is "ok" (body = rendered report) or "error" (body = message).

    The request's working folder is cut from every path, so that the report names the
    files as the user sent them and never shows the server's folders.
    """
    kind, body, code = _check(paths, fmt, rulebook, buyer_type, given)
    return kind, body.replace(folder.rstrip("/") + "/", "") if folder else body, code


def _check(paths: list[str], fmt: str, rulebook: str, buyer_type: str, given: GivenFacts | None = None) -> tuple[str, str, str]:
    from achat_check.checker import Checker
    from achat_check.errors import AchatCheckError
    from achat_check.report import render

    try:
        checker = _CHECKERS.get((rulebook, buyer_type))
        if checker is None:
            checker = _CHECKERS[(rulebook, buyer_type)] = Checker(rulebook=rulebook, buyer_type=buyer_type)
        report, documents = checker.check_documents(paths, given=given)  # type: ignore[attr-defined]
        if not report.readable:
            reasons = "; ".join(n.render() for n in report.errors) or "aucun fichier lisible"
            return "error", f"aucun document lisible : {reasons}", "AC-E012"
        return "ok", render(report, fmt, documents), ""
    except AchatCheckError as exc:
        return "error", str(exc), exc.code
    except MemoryError:
        return "error", "mémoire insuffisante pour ce DCE", "AC-E020"


def warm_worker(rulebook: str, owner: int) -> None:
    """Worker start: gone with the server, lower priority than the server (its event loop
    answers first), then the pipeline and rules built once."""
    import os

    from achat_check.batch.runner import watch_owner
    from achat_check.ingest.guard import use_reader_process

    watch_owner(owner)
    os.nice(5)
    use_reader_process()  # forked while this worker is small (see ReaderProcess)
    check_in_worker([], "json", rulebook, "organisme")
