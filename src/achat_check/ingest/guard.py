"""Run one document's reading in a forked child with a time and a memory limit.

PDF and Office parsers are C code fed with hostile bytes: a file can make them loop,
allocate without bound or crash.  A forked child costs a few milliseconds, shares the
parent's loaded libraries, and can be killed; the parent gets either the result or a
typed error naming the file.  Where fork is unavailable the reader runs inline.

A reader leads its own process group and writes its temporary files in a folder of its
own: killing it (time limit, a market's deadline) also kills what it started (Tesseract,
antiword), which would otherwise run on orphaned, and its files are removed with it
(Tesseract's page images, about 250 KB each, were left in /tmp by every interrupted OCR).
"""

from __future__ import annotations

import functools
import os
import pickle
import select
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from achat_check.errors import AchatCheckError, library_reason

if TYPE_CHECKING:
    from achat_check.raw import RawDocument
    from achat_check.settings import Limits

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


def _limit_memory(memory_mb: int) -> None:
    """Let this process grow by at most `memory_mb` from now on (0: no limit).

    Only the soft limit is set, never above the hard one: a reader process sets it again
    before each document, and raising the hard limit is not allowed.
    """
    if memory_mb <= 0:
        return
    import resource

    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    soft = _vm_size_bytes() + memory_mb * (1 << 20)
    resource.setrlimit(resource.RLIMIT_AS, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))


def _attempt(fn: Callable[[], T], catching: type[BaseException] = BaseException) -> tuple[Any, ...]:
    """Run a reader: its value or its typed failure, as `_result` reads them.  A reader in
    a child catches everything (the child only exits); one run in this process lets Ctrl-C
    and exits through (`catching=Exception`)."""
    try:
        return ("ok", fn())
    except AchatCheckError as exc:
        return ("err", exc.code, exc.message, exc.path)
    except MemoryError:
        return ("mem",)
    except catching as exc:  # any parser failure becomes a report error
        said = library_reason(exc)  # in French when known, else as the library said it, with its kind
        return ("exc", said if said != str(exc) else f"{type(exc).__name__}: {exc}")


def _outcome(fn: Callable[[], T]) -> tuple[str, bytes]:
    """Run a reader: its outcome's tag and the pickled outcome (value or typed failure)."""
    outcome = _attempt(fn)
    try:
        return outcome[0], pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        return "mem", pickle.dumps(("mem",))


def _silence_stdout() -> None:
    """A reader process writes nothing on standard output: it is the report's, in
    `check -f json > rapport.json` (odfpy printed whole XML parts there)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)


def _scratch() -> str:
    """A new folder for one reader's temporary files (made by the parent, which removes it);
    "" where none can be made (a read-only temporary folder): most readers need none."""
    try:
        return tempfile.mkdtemp(prefix="achat-check-lecture-")
    except OSError:
        return ""


def _remove(scratch: str) -> None:
    if scratch:
        shutil.rmtree(scratch, ignore_errors=True)


def _enter_reader(scratch: str) -> None:
    """First steps of a reader process: its own process group, its own temporary folder,
    no crash dump (the parent reports a crash), nothing on standard output."""
    import faulthandler

    try:
        os.setpgid(0, 0)
    except OSError:
        pass
    if scratch:
        tempfile.tempdir = scratch  # Python's temporary files (pytesseract's among them)
        os.environ["TMPDIR"] = scratch  # and the programs it starts
    faulthandler.disable()
    _silence_stdout()


def _lead_group(pid: int) -> None:
    """Put the forked reader in a group of its own from the parent's side too: whichever
    of the two runs first, the group exists before the parent may have to kill it."""
    try:
        os.setpgid(pid, pid)
    except OSError:
        pass


def _child(fn: Callable[[], T], wfd: int, memory_mb: int, scratch: str) -> None:
    """Body of the forked child: compute, pickle the outcome, exit without cleanup."""
    try:
        _enter_reader(scratch)
        _limit_memory(memory_mb)
        _, payload = _outcome(fn)
        with os.fdopen(wfd, "wb") as fh:
            fh.write(payload)
    finally:
        os._exit(0)


def run_guarded(fn: Callable[[], T], path: str, timeout: float, memory_mb: int, isolate: bool = True) -> T:
    """Return fn() or raise AchatCheckError (timeout, memory, crash) naming `path`.  Read in
    this process (`ACHAT_CHECK_ISOLATE=0`, or no fork), a parser's failure is the same
    error as from a child: one damaged file never stops the others."""
    if not (isolate and HAS_FORK):
        value: T = _result(_attempt(fn, Exception), path, memory_mb)
        return value
    scratch = _scratch()
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        os.close(rfd)
        _child(fn, wfd, memory_mb, scratch)
    _lead_group(pid)
    os.close(wfd)
    payload = None
    try:
        payload = _collect(rfd, pid, path, timeout)
    finally:
        os.close(rfd)
        if payload is None:  # interrupted (Ctrl-C, a market's deadline): the reader stops too
            _kill(pid)
        _reap(pid)
        _remove(scratch)
    unpacked: T = _unpack(payload, path, memory_mb)
    return unpacked


def _collect(rfd: int, pid: int, path: str, timeout: float) -> bytes:
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            _kill(pid)
            raise _timeout(path, timeout)
        ready, _, _ = select.select([rfd], [], [], remaining)
        if not ready:
            continue
        chunk = os.read(rfd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _timeout(path: str, timeout: float) -> AchatCheckError:
    return AchatCheckError(
        "AC-E009",
        f"lecture interrompue après {timeout:.0f} s : le fichier est peut-être corrompu ou "
        "piégé ; réenregistrez-le (PDF/DOCX) ou relevez ACHAT_CHECK_DOC_TIMEOUT.",
        path,
    )


def _unpack(payload: bytes, path: str, memory_mb: int) -> Any:
    return _result(pickle.loads(payload) if payload else ("crash",), path, memory_mb)


def _result(outcome: tuple[Any, ...], path: str, memory_mb: int) -> Any:
    """The reader's value, or the AchatCheckError its outcome stands for."""
    tag = outcome[0]
    if tag == "crash":
        raise AchatCheckError(
            "AC-E004",
            "le lecteur s'est arrêté brutalement sur ce fichier (fichier corrompu ou piégé) : "
            "réenregistrez-le depuis son logiciel d'origine.",
            path,
        )
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
    raise AchatCheckError(
        "AC-E004",
        f"fichier illisible ou endommagé ({outcome[1]}) : téléchargez-le à nouveau ou réenregistrez-le "
        "depuis son logiciel d'origine.",
        path,
    )


def _kill(pid: int) -> None:
    """Kill a reader and the programs it started (its process group, see _enter_reader)."""
    try:
        os.killpg(pid, signal.SIGKILL)
        return
    except OSError:  # no such group: the reader could not lead one
        pass
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


# --------------------------------------------------------------------------- reader process

#: documents read by one reader process before it is replaced (bounds a slow leak)
READER_RECYCLE = 200
_HEADER = 8
WAIT_SLICE = 0.5  # seconds


class ReaderProcess:
    """A small child process that reads documents for a long-lived parent, one at a time.

    Forking per document costs a busy parent more than the reading itself: after each
    fork, every page of the parent's heap (the lemma table, the compiled rules) faults
    once on its next write; measured on the batch bench, about 9 ms per document against
    22 ms of text extraction.  A batch or API worker therefore forks this reader once,
    while it is still small, and sends it each document's bytes.  The guarantees are the
    per-document fork's: a time limit (the reader is killed and replaced), a memory
    limit (RLIMIT_AS set before each document), and a crash that costs the document only.
    """

    def __init__(self, recycle: int = READER_RECYCLE) -> None:
        self.recycle = recycle
        self.pid: int | None = None
        self.served = 0
        self._to = -1
        self._from = -1
        self._scratch = ""
        self._lock = threading.Lock()

    def start(self) -> None:
        """Fork the reader now (do it before the parent loads its large data)."""
        self._scratch = _scratch()
        to_r, to_w = os.pipe()
        from_r, from_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child
            os.close(to_w)
            os.close(from_r)
            _serve(to_r, from_w, self.recycle, self._scratch)
        _lead_group(pid)
        os.close(to_r)
        os.close(from_w)
        self.pid, self._to, self._from, self.served = pid, to_w, from_r, 0

    def stop(self) -> None:
        """Kill the reader (a new one starts at the next document)."""
        if self.pid is None:
            return
        _kill(self.pid)
        _reap(self.pid)
        _remove(self._scratch)
        for fd in (self._to, self._from):
            os.close(fd)
        self.pid = None

    def read(self, fmt: str, data: bytes, path: str, limits: Limits) -> RawDocument:
        """The reader's RawDocument for these bytes, or AchatCheckError naming `path`."""
        request = pickle.dumps((fmt, data, path, limits), protocol=pickle.HIGHEST_PROTOCOL)
        with self._lock:
            if self.pid is None:
                self.start()
            try:
                payload = self._exchange(request, path, limits.doc_timeout)
            except BaseException:  # a time limit, or a market's deadline mid-exchange: never reuse a half-used pipe
                self.stop()
                raise
            self.served += 1
            outcome = pickle.loads(payload) if payload else ("crash",)
            if outcome[0] not in ("ok", "err") or self.served >= self.recycle:
                self.stop()  # the reader left (crash, memory, odd failure) or is recycled
        raw: RawDocument = _result(outcome, path, limits.doc_memory_mb)
        return raw

    def _exchange(self, request: bytes, path: str, timeout: float) -> bytes:
        """Send one request, wait for its answer (b"" if the reader died on it)."""
        try:
            _send(self._to, request)
        except BrokenPipeError:  # the reader had died between documents: not this one's fault
            self.stop()
            self.start()
            _send(self._to, request)
        assert self.pid is not None, "the reader was started before the exchange"
        return _collect_framed(self._from, self.pid, path, timeout)


def _send(fd: int, payload: bytes) -> None:
    os.write(fd, len(payload).to_bytes(_HEADER, "little"))
    view = memoryview(payload)
    while view:
        view = view[os.write(fd, view) :]


def _read_exact(fd: int, n: int) -> bytes:
    chunks = []
    while n:
        chunk = os.read(fd, min(n, 1 << 20))
        if not chunk:
            return b""
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def _collect_framed(fd: int, pid: int, path: str, timeout: float) -> bytes:
    """One length-prefixed answer, within `timeout` seconds; b"" if the reader died."""
    deadline = time.monotonic() + timeout
    # waited for in slices: between two, Python runs, and a market's deadline (batch.timelimit)
    # can interrupt the wait
    while not select.select([fd], [], [], min(WAIT_SLICE, max(0.0, deadline - time.monotonic())))[0]:
        if time.monotonic() >= deadline:
            _kill(pid)
            raise _timeout(path, timeout)
    header = _read_exact(fd, _HEADER)
    if len(header) < _HEADER:
        return b""
    return _read_exact(fd, int.from_bytes(header, "little"))


def _serve(rfd: int, wfd: int, recycle: int, scratch: str) -> None:  # pragma: no cover - runs in the child
    """The reader's loop: read a request, run the format reader under limits, answer.

    It removes its temporary folder when it leaves: a reader whose parent was killed
    (a batch worker over its time) reads on to the end of its pipe, then goes alone."""
    from achat_check.ingest import READERS

    _enter_reader(scratch)
    try:
        for _ in range(recycle):
            header = _read_exact(rfd, _HEADER)
            if len(header) < _HEADER:
                break
            fmt, data, path, limits = pickle.loads(_read_exact(rfd, int.from_bytes(header, "little")))
            _limit_memory(limits.doc_memory_mb)
            tag, payload = _outcome(functools.partial(READERS[fmt], data, path, limits))
            _send(wfd, payload)
            if tag in ("mem", "exc"):
                break  # a reader that failed oddly is not trusted with the next document
    finally:
        _remove(scratch)
        os._exit(0)


_reader: ReaderProcess | None = None


def use_reader_process() -> ReaderProcess:
    """Read documents through one reader process from now on in this process (batch and
    API workers call it first thing, while they are small)."""
    global _reader
    if _reader is None:
        _reader = ReaderProcess()
        _reader.start()
    return _reader


def reader_process() -> ReaderProcess | None:
    """The process's reader, when `use_reader_process` was called."""
    return _reader
