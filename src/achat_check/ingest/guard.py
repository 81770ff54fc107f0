"""Run one document's reading in a forked child with a time and a memory limit.

PDF and Office parsers are C code fed with hostile bytes: a file can make them loop,
allocate without bound or crash.  A forked child costs a few milliseconds, shares the
parent's loaded libraries, and can be killed; the parent gets either the result or a
typed error naming the file.  Where fork is unavailable the reader runs inline.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import sys
import time
from collections.abc import Callable
from typing import TypeVar

from achat_check.errors import AchatCheckError

T = TypeVar("T")

HAS_FORK = hasattr(os, "fork") and sys.platform != "win32"


def _vm_size_bytes() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _child(fn: Callable[[], T], wfd: int, memory_mb: int) -> None:
    """Body of the forked child: compute, pickle the outcome, exit without cleanup."""
    try:
        import faulthandler

        faulthandler.disable()  # a crash of the reader is reported by the parent, not dumped
        if memory_mb > 0:
            import resource

            limit = _vm_size_bytes() + memory_mb * (1 << 20)
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        try:
            outcome: tuple = ("ok", fn())
        except AchatCheckError as exc:
            outcome = ("err", exc.code, exc.message, exc.path)
        except MemoryError:
            outcome = ("mem",)
        except BaseException as exc:  # noqa: BLE001 - any parser failure becomes a report error
            outcome = ("exc", f"{type(exc).__name__}: {exc}")
        try:
            payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            payload = pickle.dumps(("mem",))
        with os.fdopen(wfd, "wb") as fh:
            fh.write(payload)
    finally:
        os._exit(0)


def run_guarded(fn: Callable[[], T], path: str, timeout: float, memory_mb: int, isolate: bool = True) -> T:
    """Return fn() or raise AchatCheckError (timeout, memory, crash) naming `path`."""
    if not (isolate and HAS_FORK):
        return fn()
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        os.close(rfd)
        _child(fn, wfd, memory_mb)
    os.close(wfd)
    try:
        payload = _collect(rfd, pid, path, timeout)
    finally:
        os.close(rfd)
        _reap(pid)
    return _unpack(payload, path, memory_mb)


def _collect(rfd: int, pid: int, path: str, timeout: float) -> bytes:
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            _kill(pid)
            raise AchatCheckError(
                "AC-E009",
                f"lecture interrompue après {timeout:.0f} s : le fichier est peut-être corrompu ou "
                "piégé ; réenregistrez-le (PDF/DOCX) ou relevez ACHAT_CHECK_DOC_TIMEOUT.",
                path,
            )
        ready, _, _ = select.select([rfd], [], [], remaining)
        if not ready:
            continue
        chunk = os.read(rfd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _unpack(payload: bytes, path: str, memory_mb: int):
    if not payload:
        raise AchatCheckError(
            "AC-E004",
            "le lecteur s'est arrêté brutalement sur ce fichier (fichier corrompu ou piégé) : "
            "réenregistrez-le depuis son logiciel d'origine.",
            path,
        )
    outcome = pickle.loads(payload)
    tag = outcome[0]
    if tag == "ok":
        return outcome[1]
    if tag == "err":
        raise AchatCheckError(outcome[1], outcome[2], outcome[3] or path)
    if tag == "mem":
        raise AchatCheckError(
            "AC-E010",
            f"la lecture a dépassé {memory_mb} Mo de mémoire : fichier anormalement lourd ou piégé ; "
            "relevez ACHAT_CHECK_DOC_MEMORY_MB s'il est légitime.",
            path,
        )
    raise AchatCheckError("AC-E004", f"fichier illisible ({outcome[1]}).", path)


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
