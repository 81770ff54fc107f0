"""Run a batch: check every pending market on a local process pool or on a Dask cluster,
and write each result to the store the moment it comes back.

Both backends share one code path: `run(tasks)` submits one task per market and yields
outcomes as they complete, in any order.  The local pool is ours rather than
`ProcessPoolExecutor`, because a batch must survive a market that hangs or eats memory: the
parent watches each worker's time on its market and its resident memory, kills the worker
that goes over, records the market as failed with the reason, starts a new worker and goes
on.  Workers build the French pipeline and the rules once, and are recycled after a number
of markets so that a slow leak cannot grow.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing as mp
import os
import queue
import re
import signal
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.connection import wait as wait_for
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from achat_check.batch import interrupt
from achat_check.batch.stored import StoredReport
from achat_check.errors import AchatCheckError, library_reason
from achat_check.extract.numbers import fmt_number
from achat_check.ingest.archive import readable_name
from achat_check.ingest.guard import use_reader_process
from achat_check.model import GivenFacts, Notice

if TYPE_CHECKING:
    from distributed import Client

    from achat_check.batch.store import Store
    from achat_check.checker import Checker

DEFAULT_TIMEOUT = 900.0  # seconds for one market
DEFAULT_MEMORY_MB = 1500  # resident memory of one worker
DEFAULT_RECYCLE = 200  # markets per worker before it is replaced
MALLOC_TUNABLES = "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=67108864"
#: what a worker imports, imported once by the forkserver: every worker, and every
#: replacement of a recycled one, then starts with it in memory.  Measured: importing it
#: took 1.5 s of CPU of the 1.8 s a worker needed to get ready (the rules and pipeline
#: build takes the rest), paid again at each recycling (every 200 markets).
WORKER_MODULES = ["achat_check.batch.runner", "achat_check.checker"]


def worker_context() -> mp.context.ForkServerContext:
    """The multiprocessing context of batch and API workers: forkserver (no fork of a
    parent holding threads and database connections), with the malloc settings and the
    modules every worker needs loaded once, before the first worker.

    Both only apply if the forkserver is not running yet in this process.
    """
    # measured (DESIGN.md): fewer page faults, pypdfium2 about 40 % faster in workers;
    # read by glibc when the forkserver starts, inherited by every worker
    os.environ.setdefault("GLIBC_TUNABLES", MALLOC_TUNABLES)
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(WORKER_MODULES)
    return ctx


@dataclass(frozen=True)
class Task:
    """One market to check."""

    pk: int
    market_id: str
    paths: list[str]
    #: files of its DCE left out before the check (an archive member that could not be unpacked)
    notices: list[Notice] = field(default_factory=list)
    #: what its register says beside the DCE (see GivenFacts)
    given: GivenFacts | None = None


@dataclass
class Outcome:
    """What came back for a market: its report (stored form) or why it failed."""

    pk: int
    report: StoredReport | None = None
    error: str | None = None
    code: str = "AC-E018"
    seconds: float = 0.0


# --------------------------------------------------------------------------- the work itself

_CHECKERS: dict[str, Checker] = {}


def check_task(paths: list[str], market_id: str, rulebook: str, notices: Sequence[Notice] = (),
               given: GivenFacts | None = None) -> tuple[StoredReport | None, str | None, str, float]:
    """Check one market in the current process: (stored report, error, code, seconds).

    The Checker (pipeline and compiled rules) is built once per process and reused.
    `notices` say files of the DCE left out before the check: the report says them;
    `given`, what is known of the market beside its DCE.
    """
    from achat_check.checker import Checker

    started = time.perf_counter()
    try:
        checker = _CHECKERS.get(rulebook)
        if checker is None:
            checker = _CHECKERS[rulebook] = Checker(rulebook=rulebook)
        report = checker.check(paths, notices, given)
        report.market_id = market_id
        return StoredReport.of(report), None, "", time.perf_counter() - started
    except AchatCheckError as exc:
        return None, str(exc), exc.code, time.perf_counter() - started
    except MemoryError:
        return None, "mémoire insuffisante pour ce marché", "AC-E020", time.perf_counter() - started
    except Exception as exc:  # noqa: BLE001 - one bad market never stops the batch
        return None, f"erreur interne ({type(exc).__name__}: {exc})", "AC-E018", time.perf_counter() - started


def warm_up(rulebook: str) -> None:
    """Make this process ready to check markets: its reader process first, forked while the
    process is still small (see ReaderProcess), then the Checker (pipeline and rules: an
    empty market is a cheap error that builds them)."""
    use_reader_process()
    check_task([], "", rulebook)


# --------------------------------------------------------------------------- local pool


def owner_alive(pid: int) -> bool:
    """Whether the process that started this worker still runs (a worker's parent is the
    forkserver, which may outlive it: the owner's pid is what tells a killed batch)."""
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def watch_owner(pid: int, every: float = 1.0) -> None:
    """Leave at once when the owner is gone, even in the middle of a market."""
    import threading

    def loop() -> None:
        while owner_alive(pid):
            time.sleep(every)
        os._exit(0)

    threading.Thread(target=loop, name="owner-watch", daemon=True).start()


def _worker_main(rulebook: str, inbox: mp.Queue[Task | None], outbox: Connection, recycle: int, owner: int) -> None:
    """Worker loop: warm up, then take markets one at a time; leave when told, recycled or orphaned."""
    # Ctrl-C reaches the whole process group: the parent alone answers it (it records the
    # job as interrupted and stops its workers); a worker would only print a traceback
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    watch_owner(owner)
    warm_up(rulebook)
    # the pipeline and rules live as long as the worker: full collections need not walk
    # their 150,000 objects again (collection time over 200 markets: 0.22 s -> 0.12 s).
    # Dask workers are the cluster's processes: their collector is left alone.
    gc.freeze()
    outbox.send(("ready", None))
    for _ in range(recycle):
        while True:
            try:
                task = inbox.get(timeout=1.0)
                break
            except queue.Empty:
                continue
        if task is None:
            return
        outbox.send(("start", task.pk))
        stored, error, code, seconds = check_task(task.paths, task.market_id, rulebook, task.notices, task.given)
        outbox.send(("done", Outcome(task.pk, stored, error, code or "AC-E018", seconds)))
    outbox.send(("recycled", None))


@dataclass
class _Worker:
    process: BaseProcess
    inbox: mp.Queue[Task | None]
    #: the worker's own pipe to the parent.  One queue shared by all workers deadlocked the
    #: job when a worker was killed (over memory or time) while it wrote to it: it died holding
    #: the queue's lock, and its replacement's « ready » never came (seen in CI)
    outbox: Connection
    task: Task | None = None
    closed: bool = False  # its pipe said end of file: the worker is gone
    started: float | None = None
    ready: bool = False
    retiring: bool = False
    given: int = 0  # markets sent: a worker leaves after `recycle` of them


def rss_mb(pid: int) -> float:
    """Resident memory of a process, in MB (0 when unknown)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


@dataclass
class LocalPool:
    """N worker processes on this machine, watched for time and memory."""

    workers: int
    rulebook: str = "rso-2025"
    timeout: float = DEFAULT_TIMEOUT
    memory_mb: float = DEFAULT_MEMORY_MB
    recycle: int = DEFAULT_RECYCLE
    peak_rss_mb: float = 0.0
    _ctx: mp.context.ForkServerContext | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        """How the job records its backend."""
        return f"local:{self.workers}"

    def _spawn(self) -> _Worker:
        ctx = self._ctx
        assert ctx is not None, "set by run() before the first worker"
        inbox = ctx.Queue()
        outbox, sender = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_worker_main, args=(self.rulebook, inbox, sender, self.recycle, os.getpid()), daemon=True)
        proc.start()
        sender.close()  # the worker's end only: the pipe then says end of file when the worker dies
        return _Worker(proc, inbox, outbox)

    def run(self, tasks: Iterable[Task]) -> Iterator[Outcome]:
        """Yield an outcome per task, as the markets finish."""
        self._ctx = worker_context()
        self._pending = iter(tasks)
        self._ahead: Task | None = None
        self._exhausted = False
        pool = [self._spawn() for _ in range(max(1, self.workers))]
        self._warmup_deaths = 0
        grace = 5.0  # at the end or on a cancel, workers finish the market in hand, then leave
        try:
            while True:
                interrupt.check()  # a Ctrl-C or SIGTERM whose exception was lost on the way
                for w in pool:  # give idle, ready workers a market
                    self._feed(w)
                if self._exhausted and self._ahead is None and all(w.task is None for w in pool):
                    return
                self._prepare()
                yield from self._drain(pool, wait=0.2)
                yield from self._watch(pool)
        except BaseException as exc:
            if not isinstance(exc, GeneratorExit):
                grace = 0.0  # interrupted (Ctrl-C) or failed: markets in hand are redone at --resume
            raise
        finally:
            for w in pool:
                w.inbox.put(None)
            deadline = time.monotonic() + grace
            for w in pool:
                w.process.join(max(0.0, deadline - time.monotonic()))
                if w.process.is_alive():
                    w.process.kill()
                w.outbox.close()

    def _feed(self, w: _Worker) -> None:
        """Give an idle, ready worker its next market."""
        if not w.ready or w.task is not None or w.retiring or w.given >= self.recycle:
            return
        self._prepare()
        task, self._ahead = self._ahead, None
        if task is not None:
            w.task, w.started = task, None
            w.given += 1
            w.inbox.put(task)

    def _prepare(self) -> None:
        """Take the next market from the job ahead of need: its files are hashed and its
        cached report looked up while the workers are busy, not while one waits for it."""
        if self._ahead is None and not self._exhausted:
            self._ahead = next(self._pending, None)
            self._exhausted = self._ahead is None

    def _drain(self, pool: list[_Worker], wait: float) -> Iterator[Outcome]:
        """Handle every message waiting (the first one waited for up to `wait` seconds)."""
        timeout = wait
        while True:
            ready = wait_for([w.outbox for w in pool if not w.closed], timeout)
            if not ready:
                return
            timeout = 0.0
            for w in [x for x in pool if x.outbox in ready]:  # a worker replaced since is not read
                try:
                    kind, payload = w.outbox.recv()
                except (EOFError, OSError):
                    w.closed = True  # the worker died: `_watch` records its market and replaces it
                    continue
                yield from self._handle(w, kind, payload)

    def _handle(self, w: _Worker, kind: str, payload: object) -> Iterator[Outcome]:  # a task's pk, or its Outcome
        """One message of a worker."""
        if kind == "ready":
            w.ready = True
            self._warmup_deaths = 0
        elif kind == "start":
            w.started = time.monotonic()
        elif kind == "done":
            assert isinstance(payload, Outcome), "a worker's « done » carries its market's Outcome"
            w.task, w.started = None, None
            self._feed(w)  # the next market first: the worker must not wait while this result is stored
            yield payload
            self._prepare()
        elif kind == "recycled":
            w.retiring = True

    def _watch(self, pool: list[_Worker]) -> Iterator[Outcome]:
        """Kill and replace a worker over time or memory, or dead; its market is a failure."""
        for i, w in enumerate(pool):
            alive = w.process.is_alive()
            rss = rss_mb(w.process.pid) if alive and w.process.pid else 0.0
            self.peak_rss_mb = max(self.peak_rss_mb, rss)
            if not alive and w.task is not None:
                yield from self._drain(pool, wait=0.5)  # its last result may still be in its pipe
            failure = self._failure(w, alive, rss)
            if failure is not None:
                task, reason, code = failure
                w.process.kill()
                w.process.join(5)
                w.outbox.close()
                elapsed = time.monotonic() - w.started if w.started else 0.0
                yield Outcome(task.pk, error=reason, code=code, seconds=elapsed)
                pool[i] = self._spawn()
            elif not alive:
                if not w.ready and not w.retiring:
                    self._warmup_deaths += 1
                    if self._warmup_deaths > 3 * max(1, self.workers):
                        raise AchatCheckError("AC-E018", f"les processus de vérification meurent au démarrage (code {w.process.exitcode}) : "
                                              "vérifiez l'installation (`achat-check check` sur un DCE d'exemple).")
                w.outbox.close()
                pool[i] = self._spawn()

    def _failure(self, w: _Worker, alive: bool, rss: float) -> tuple[Task, str, str] | None:
        """The market in hand, why it failed and the code; None while the worker is sound (or idle)."""
        task = w.task
        if task is None:
            return None
        if w.started is not None and time.monotonic() - w.started > self.timeout:
            return task, over_time(self.timeout), "AC-E019"
        if rss > self.memory_mb:
            return task, f"mémoire dépassée ({rss:.0f} Mo > {fmt_number(self.memory_mb)} Mo) : marché abandonné, le lot continue", "AC-E020"
        if not alive:
            code = "AC-E020" if w.process.exitcode == -9 else "AC-E018"
            return task, f"le processus de vérification s'est arrêté (code {w.process.exitcode}) sur ce marché", code
        return None


# --------------------------------------------------------------------------- Dask


def _dask_task(paths: list[str], market_id: str, rulebook: str, timeout: float = DEFAULT_TIMEOUT, notices: Sequence[Notice] = (),
               given: GivenFacts | None = None) -> tuple[StoredReport | None, str | None, str, float]:
    """Check one market in a Dask worker, within `timeout` seconds (see batch.timelimit)."""
    from achat_check.batch.timelimit import MarketTimeout, time_limit

    if rulebook not in _CHECKERS:
        warm_up(rulebook)  # outside the first market's time, as a local worker does
    started = time.perf_counter()
    try:
        with time_limit(timeout):
            return check_task(paths, market_id, rulebook, notices, given)
    except MarketTimeout:
        # interrupted anywhere in our code: the next market gets a Checker built afresh
        _CHECKERS.pop(rulebook, None)
        return None, over_time(timeout), "AC-E019", time.perf_counter() - started


def over_time(timeout: float) -> str:
    """Why a market over its time is failed (local pool and Dask alike)."""
    return f"temps dépassé ({fmt_number(timeout)} s) : marché abandonné, le lot continue"


@dataclass
class DaskBackend:
    """The same tasks on a Dask distributed cluster (a scheduler address, or a Client)."""

    address: str | Client
    rulebook: str = "rso-2025"
    #: seconds for one market, enforced in the Dask worker (memory and recycling are the cluster's)
    timeout: float = DEFAULT_TIMEOUT
    peak_rss_mb: float = 0.0
    #: markets submitted ahead of the results (default: 4 per worker thread, at least 16)
    ahead: int | None = None

    @property
    def name(self) -> str:
        """How the job records its backend."""
        return f"dask:{self.address if isinstance(self.address, str) else 'client'}"

    def run(self, tasks: Iterable[Task]) -> Iterator[Outcome]:
        """Submit one task per market, yield outcomes as completed."""
        from distributed import Client, as_completed

        client = self.address if isinstance(self.address, Client) else _connect(self.address)
        try:
            # submitted as results come, a window ahead: `tasks` hashes each DCE (and takes the
            # cached ones) as it is drawn, and an archive of thousands must not be read whole
            # before the first result
            pending = iter(tasks)
            futures: dict[object, Task] = {}
            done = as_completed(loop=client.loop)  # our client is no default client

            def submit_next() -> None:
                task = next(pending, None)
                if task is not None:
                    fut = client.submit(_dask_task, task.paths, task.market_id, self.rulebook, self.timeout, task.notices, task.given,
                                        pure=False)
                    futures[fut] = task
                    done.add(fut)

            for _ in range(self.ahead or _window(client)):
                submit_next()
            for fut in done:
                submit_next()
                task = futures.pop(fut)
                try:
                    stored, error, code, seconds = fut.result()
                except Exception as exc:  # noqa: BLE001 - a worker lost with the market on it
                    yield Outcome(task.pk, error=f"le worker Dask a échoué sur ce marché ({type(exc).__name__}: {exc})", code="AC-E018")
                    continue
                finally:
                    fut.release()
                yield Outcome(task.pk, stored, error, code or "AC-E018", seconds)
            self.peak_rss_mb = _dask_peak(client)
        finally:
            if client is not self.address:
                client.close()


def _window(client: Client) -> int:
    """Markets in flight on the cluster: enough to keep every worker thread busy."""
    try:
        threads = sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values())
    except Exception:  # noqa: BLE001 - a figure to size a queue, not worth failing for
        threads = 4
    return max(16, 4 * int(threads))


def check_address(address: str) -> None:
    """Refuse, before a job is recorded, a scheduler address Dask cannot dial (« http://… »,
    no port, a space): a typo to fix, not a cluster to wait for.  Dask's own refusal came
    after an interrupted job was made, in English, followed by the traceback its half-built
    Client printed when collected."""
    from distributed.comm.addressing import parse_address, parse_host_port
    from distributed.comm.registry import get_backend

    try:
        scheme, location = parse_address(address)
        get_backend(scheme)
        if scheme in ("tcp", "tls"):
            parse_host_port(location)
    except ValueError:
        raise AchatCheckError(
            "AC-E016",
            f"--dask « {address} » : adresse d'ordonnanceur Dask invalide ; donnez celle que `dask scheduler` "
            "affiche au démarrage, de la forme tcp://hôte:8786.",
        ) from None


def _connect(address: str) -> Client:
    """A client of the scheduler at `address`, or a clear error (Dask's own is an OSError)."""
    from distributed import Client

    try:
        return Client(address, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise AchatCheckError(
            "AC-E025",
            f"ordonnanceur Dask injoignable à « {address} » ({_dask_reason(exc)}) : vérifiez l'adresse et que "
            "`dask scheduler` et ses workers tournent, ou lancez le lot sans --dask.",
        ) from None


def _dask_reason(exc: BaseException) -> str:
    """Dask's reason in French: it retries a refused or unknown address until its connect
    timeout, then says « Timed out trying to connect to … after 2 s »."""
    timed_out = re.search(r"Timed out trying to connect to \S+ after ([\d.]+) s", str(exc))
    if timed_out:
        return f"aucune réponse en {fmt_number(float(timed_out.group(1)))} s"
    return library_reason(exc)


def _dask_peak(client: Client) -> float:
    try:
        info = client.scheduler_info()["workers"]
        return max((w.get("metrics", {}).get("memory", 0) / 2**20 for w in info.values()), default=0.0)
    except Exception:  # noqa: BLE001 - a figure for the record only
        return 0.0


# --------------------------------------------------------------------------- the job


def current_versions(rulebook: str) -> tuple[str, str]:
    """The rules version and the tool version a report made now carries."""
    from achat_check import code_version
    from achat_check.engine.loader import load_rules

    return load_rules(rulebook).version, code_version()


@dataclass
class Progress:
    """Counts a progress display shows."""

    total: int
    done: int = 0
    failed: int = 0
    cached: int = 0
    started: float = field(default_factory=time.monotonic)

    @property
    def finished(self) -> int:
        """Markets with a result."""
        return self.done + self.failed + self.cached


class Backend(Protocol):
    """What runs a job's markets: `LocalPool` or `DaskBackend`."""

    @property
    def name(self) -> str:
        """How the job records its backend (« local:2 », « dask:… »)."""

    peak_rss_mb: float

    def run(self, tasks: Iterable[Task]) -> Iterator[Outcome]:
        """One outcome per task, in the order they finish."""


def workers_to_start(asked: int, pending: int) -> int:
    """No more worker processes than markets left to check (a job of 7 markets asked with 32
    workers warmed 25 processes up for nothing), and one at least."""
    return max(1, min(asked, pending))


def run_job(store: Store, job_id: str, backend: Backend, use_cache: bool = True,
            on_progress: Callable[[Progress], None] | None = None,
            stop: Callable[[], bool] | None = None) -> Progress:
    """Check every pending market of the job; each result is committed as it comes.

    `stop()` true (a cancelled job) ends the run after the markets in flight: the job is
    left `cancelled`, its pending markets untouched.
    """
    from achat_check.batch.discover import content_hash

    job = store.job(job_id)
    versions = current_versions(job.rulebook)  # what checks now: a resumed job may outlive an upgrade
    counts = store.counts(job_id)
    progress = Progress(total=job.total, done=counts.get("done", 0), failed=counts.get("failed", 0), cached=counts.get("cached", 0))
    hashes: dict[int, str] = {}

    def tasks() -> Iterator[Task]:
        import json

        for m in store.todo(job_id):
            if stop is not None and stop():
                return
            paths, notices, given = json.loads(m.paths), m.notice_list(), m.given_facts()
            missing = [p for p in paths if not Path(p).exists()]
            if missing:  # gone since the job was made, or never unpacked from an uploaded archive
                said = "; ".join(n.message for n in notices)
                store.save_failure(m.id, said or f"DCE introuvable : {', '.join(readable_name(p) for p in missing)}",
                                   notices[0].code if notices else "AC-E001")
                progress.failed += 1
                _tell(on_progress, progress)
                continue
            digest = m.content_hash or content_hash(paths, notices, given)
            cached = store.cached_report(digest, job.rulebook, *versions) if use_cache else None
            if cached is not None:
                store.mark_cached(m.id, cached, digest)
                progress.cached += 1
                _tell(on_progress, progress)
                continue
            hashes[m.id] = digest
            yield Task(m.id, m.market_id, paths, notices, given)

    if isinstance(backend, LocalPool):  # a service's pool is sized before it knows the job
        backend.workers = workers_to_start(backend.workers, counts.get("pending", 0))
        if backend.workers != job.workers:
            store.set_job_workers(job_id, backend.workers)
    store.set_job_status(job_id, "running")
    try:
        for outcome in backend.run(tasks()):
            stored, digest = outcome.report, hashes.pop(outcome.pk, "")
            if stored is not None and stored.readable:
                store.save_report(outcome.pk, stored, digest, outcome.seconds)
                progress.done += 1
            elif stored is not None:  # every document of the DCE was unreadable: say which and why
                reasons = "; ".join(n.render() for n in stored.errors) or "le dossier ou l'archive du marché est vide"
                store.save_failure(outcome.pk, f"aucun document lisible : {reasons}", "AC-E012", outcome.seconds, digest)
                progress.failed += 1
            else:
                store.save_failure(outcome.pk, outcome.error or "échec", outcome.code, outcome.seconds, digest)
                progress.failed += 1
            _tell(on_progress, progress)
            interrupt.check()
            if stop is not None and stop():
                break
    except BaseException:
        with contextlib.suppress(AchatCheckError):  # a store that stopped answering leaves it "running": --resume takes both
            store.set_job_status(job_id, "interrupted")
        raise
    cancelled = stop is not None and stop()
    store.set_job_status(job_id, "cancelled" if cancelled else "done")
    return progress


def _tell(cb: Callable[[Progress], None] | None, p: Progress) -> None:
    if cb is not None:
        cb(p)
