"""The service's working parts: uploads saved within limits, checks run in worker processes
(never on the event loop), and batch jobs run in background threads that survive restarts.
"""

from __future__ import annotations

import asyncio
import functools
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from fastapi import UploadFile

from achat_check.batch import LocalPool, Store, discover, new_job, run_job
from achat_check.batch.discover import (
    LeftOut,
    loose_files_only,
    market_notices,
    register_within,
    unpack_archive,
)
from achat_check.batch.runner import worker_context
from achat_check.errors import AchatCheckError, notice
from achat_check.model import GivenFacts, Notice
from achat_check.service_worker import check_in_worker, warm_worker

from .problems import BATCH_FOLDER, Problem, client_path
from .settings import ApiSettings

CHUNK = 1 << 20
SAFE_NAME = re.compile(r"[^\w.\- ()'’àâçéèêëîïôûùüÿœÀÂÇÉÈÊËÎÏÔÛÙÜŸŒ]+")

# --------------------------------------------------------------------------- uploads


def safe_name(name: str | None, fallback: str) -> str:
    """The base name of an uploaded file, without any path or odd character."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    base = SAFE_NAME.sub("_", base).strip("._ ")
    return base[:120] or fallback


async def save_uploads(files: list[UploadFile], folder: Path, settings: ApiSettings) -> list[Path]:
    """Write the uploads to `folder`, refusing too many files or too many bytes.

    The copying runs in a thread: a burst of uploads never holds the event loop.
    """
    if not files:
        raise Problem("AC-E016", "aucun fichier reçu : envoyez les pièces du DCE (champ « files »).", 422)
    if len(files) > settings.max_files:
        raise Problem("AC-E022", f"{len(files)} fichiers reçus, au plus {settings.max_files} par envoi : envoyez un ZIP.", 413)
    names, seen = [], set()
    for i, f in enumerate(files, start=1):
        name = safe_name(f.filename, f"fichier-{i}")
        while name in seen:
            name = f"{i}-{name}"
        seen.add(name)
        names.append(name)
    return await asyncio.to_thread(_copy_all, [f.file for f in files], names, folder, settings.max_upload_mb)


async def saved_archive(archive: UploadFile, folder: Path, settings: ApiSettings) -> Path:
    """The batch's archive saved in `folder` under the client's name: it is read as a ZIP by its
    content, and the job and its messages name the file the client sent (renamed « .zip », a
    RAR sent as « dce.rar » was refused as « dce.zip : archive RAR non ouverte »)."""
    (path,) = await save_uploads([archive], folder, settings)
    return path


async def saved_register(register: UploadFile | None, folder: Path, settings: ApiSettings) -> Register | None:
    """The register sent with a batch saved in a folder of its own in `folder` (its relative
    paths must not find the archive's files beside it), or None when none was sent."""
    if register is None or not register.filename:
        return None
    own = folder / "registre"
    own.mkdir()
    (path,) = await save_uploads([register], own, settings)
    return Register(path, safe_name(register.filename, path.name))


def _copy_all(sources: list[BinaryIO], names: list[str], folder: Path, max_mb: int) -> list[Path]:
    budget = max_mb << 20
    paths = []
    for src, name in zip(sources, names, strict=True):
        path = folder / name
        src.seek(0)
        with path.open("wb") as out:
            while chunk := src.read(CHUNK):
                budget -= len(chunk)
                if budget < 0:
                    raise Problem("AC-E022", f"envoi de plus de {max_mb} Mo : découpez le DCE ou relevez ACHAT_CHECK_MAX_UPLOAD_MB.", 413)
                out.write(chunk)
        paths.append(path)
    return paths


# --------------------------------------------------------------------------- checks in worker processes


@dataclass
class Checks:
    """A small pool of worker processes with the pipeline built once, and a bound on waiting."""

    settings: ApiSettings
    pool: ProcessPoolExecutor | None = None
    gate: asyncio.Semaphore | None = None

    def start(self) -> None:
        """Start the workers (they build the pipeline and rules once)."""
        n = max(1, self.settings.max_concurrent_checks)
        self.pool = ProcessPoolExecutor(n, mp_context=worker_context(), initializer=warm_worker,
                                        initargs=(self.settings.rulebook, os.getpid()), max_tasks_per_child=200)
        self.gate = asyncio.Semaphore(n * 8)

    def stop(self) -> None:
        """Stop the workers (they also leave by themselves if the server is killed)."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    async def check(self, paths: list[Path], fmt: str, rulebook: str, buyer_type: str, given: GivenFacts | None = None) -> str:
        """The rendered report, computed in a worker process; problems for unreadable input."""
        folder = str(paths[0].parent) if paths else ""
        assert self.pool is not None and self.gate is not None, "service not started"
        try:
            await asyncio.wait_for(self.gate.acquire(), timeout=self.settings.queue_timeout)
        except TimeoutError:
            raise Problem("AC-E023", "trop de vérifications en attente : réessayez dans un instant.", 503) from None
        try:
            loop = asyncio.get_running_loop()
            kind, body, code = await loop.run_in_executor(self.pool, check_in_worker, [str(p) for p in paths], fmt, rulebook, buyer_type, folder,
                                                       given)
        finally:
            self.gate.release()
        if kind == "error":
            raise Problem(code or "AC-E018", body)
        return body


# --------------------------------------------------------------------------- batch jobs

API_BACKEND = "api"


@dataclass(frozen=True)
class Register:
    """A register of markets sent with a batch: its `dce` column names each market's DCE in
    the archive (saved at `path`; `name` is the file as the client sent it)."""

    path: Path
    name: str

    def markets_in(self, folder: Path) -> tuple[list[tuple[str, list[str]]], list[Notice], dict[str, GivenFacts]]:
        """The markets it names in `folder`; a register that cannot be read is refused naming
        it as sent (the API's problems say the message, never the service's paths)."""
        try:
            return register_within(self.path, folder, self.name)
        except AchatCheckError as exc:
            raise AchatCheckError(exc.code, f"registre « {self.name} » : {exc.message}", self.name) from None


@dataclass
class Batches:
    """Batch jobs of the service: each runs in a thread (its workers are processes).

    At most `max_running_batches` jobs run at once; the others are `queued` and start in
    turn.  Each running job has its own worker processes (about 200 MB each): without
    this bound, fifty uploads would start fifty pools on the server.
    """

    settings: ApiSettings
    store: Store
    running: dict[str, threading.Event] = field(default_factory=dict)
    shutting_down: threading.Event = field(default_factory=threading.Event)
    threads: dict[str, threading.Thread] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    gate: threading.Semaphore = field(init=False)

    def __post_init__(self) -> None:
        self.gate = threading.Semaphore(max(1, self.settings.max_running_batches))

    def resume_all(self) -> list[str]:
        """Resume the service's jobs a restart interrupted or left waiting, oldest first."""
        resumed = []
        for job in reversed(self.store.jobs()):
            if job.backend.startswith(API_BACKEND) and job.status in ("running", "interrupted", "queued"):
                self._start(job.id, job.rulebook)
                resumed.append(job.id)
        return resumed

    def submit_zip(self, upload: Path, rulebook: str, register: Register | None = None) -> str:
        """A job over the markets of an uploaded ZIP (one folder or ZIP per market), or over
        those its register names."""
        import uuid

        folder = self.settings.data_dir / BATCH_FOLDER / f"{uuid.uuid4().hex[:8]}-{upload.stem}"  # two uploads of « lots.zip » never mix
        try:
            left = unpack_archive(upload, folder)
            notices = [n.model_copy(update={"path": upload.name}) for _, n in left]  # not our staging path
            return self._new(folder, rulebook, notices, shown=upload.name, left=left, register=register)
        except BaseException:  # no job made of it (no market, a register refused): nothing keeps its files
            shutil.rmtree(folder, ignore_errors=True)
            raise

    def submit_folder(self, folder: str, rulebook: str, register: Register | None = None) -> str:
        """A job over a folder of the server, if the operator allowed it."""
        try:
            target = Path(folder).resolve()
        except (ValueError, OSError):  # a NUL byte or an unreadable path: the client's error, not ours
            raise Problem("AC-E016", "chemin de dossier invalide : donnez le chemin d'un dossier du serveur.", 422) from None
        if not self._allowed(target):
            raise Problem("AC-E024", "ce dossier du serveur n'est pas ouvert aux lots (ACHAT_CHECK_SERVER_FOLDERS) : envoyez un ZIP.", 403)
        return self._new(target, rulebook, [], register=register)

    def _allowed(self, path: Path) -> bool:
        return any(path == root or root in path.parents for root in self.settings.folders)

    def _new(self, folder: Path, rulebook: str, notices: list[Notice], shown: str | None = None, left: Sequence[LeftOut] = (),
             register: Register | None = None) -> str:
        if register is None:
            markets, more = discover(folder)
            given: dict[str, GivenFacts] = {}
            if shown is not None:  # an upload: its files are named inside the archive, never by our working folder
                more = [n.model_copy(update={"path": f"{shown}/{Path(n.path).name}" if n.path else shown}) for n in more]
        else:  # the register's lines, under its ids, with what it says beside each DCE (GivenFacts)
            markets, more, given = register.markets_in(folder)
        named = len(markets)
        markets, told = market_notices(folder, markets, left)  # a member left out: its market says it
        if register is not None:
            markets = markets[:named]  # a lost ZIP the register does not name is no market of its
        if shown is None:  # a server folder: a market that links out of the folders the operator opened is left out
            markets, outside = self._inside(markets)
            more += outside
        notices = notices + more
        if not markets:
            said = "; ".join(n.message for n in notices[:3])
            if register is not None:
                raise Problem("AC-E012", f"aucun marché de {register.name} trouvé dans l'archive : la colonne « dce » nomme le "
                              "dossier ou le ZIP de chaque marché, tel que l'archive le range." + (f" ({said})" if said else ""))
            why = loose_files_only(notices, "POST /v1/check")
            raise Problem("AC-E012", "aucun marché dans l'archive : " + (why or "un dossier ou un ZIP par marché.") + (f" ({said})" if said and not why else ""))
        # an upload is the job of the file its client sent (« lots.zip »), not of our working folder
        job = new_job(self.store, shown or str(folder), markets, rulebook, f"{API_BACKEND}:local:{self.settings.batch_workers}",
                      self.settings.batch_workers, notices, told, market_given=given)
        self._start(job.id, rulebook)
        return job.id

    def _inside(self, markets: list[tuple[str, list[str]]]) -> tuple[list[tuple[str, list[str]]], list[Notice]]:
        """The markets whose folder or ZIP really is in an opened folder (a link may point anywhere)."""
        kept, left = [], []
        for mid, paths in markets:
            if all(self._allowed(Path(p).resolve()) for p in paths):
                kept.append((mid, paths))
            else:
                left.append(notice("AC-W008", "lien vers un dossier hors de ACHAT_CHECK_SERVER_FOLDERS : marché laissé de côté.", paths[0]))
        return kept, left

    def _start(self, job_id: str, rulebook: str) -> None:
        with self.lock:
            if job_id in self.threads and self.threads[job_id].is_alive():
                return
            stop = threading.Event()
            self.running[job_id] = stop
            self.store.set_job_status(job_id, "queued")  # until its turn comes (run_job says "running")
            t = threading.Thread(target=self._run, args=(job_id, rulebook, stop), name=f"lot-{job_id}", daemon=True)
            self.threads[job_id] = t
            t.start()

    def _run(self, job_id: str, rulebook: str, stop: threading.Event) -> None:
        while not self.gate.acquire(timeout=0.2):  # its turn
            if stop.is_set() or self.shutting_down.is_set():
                return  # cancelled while waiting (cancel() said so), or a restart: still queued
        try:
            run_job(self.store, job_id, LocalPool(self.settings.batch_workers, rulebook),
                    stop=lambda: stop.is_set() or self.shutting_down.is_set())
        except Exception:  # noqa: BLE001 - the job is left "interrupted" and resumes at next start
            return
        finally:
            self.gate.release()
        if self.shutting_down.is_set() and not stop.is_set():
            self.store.set_job_status(job_id, "interrupted")  # a restart, not a cancel: resume it

    def cancel(self, job_id: str) -> bool:
        """Ask a running job to stop after its markets in flight; True if it was running."""
        status = self.store.job(job_id).status  # an unknown job: a clear error
        event = self.running.get(job_id)
        thread = self.threads.get(job_id)
        if event is None or thread is None or not thread.is_alive():
            if status in ("running", "interrupted", "queued"):
                self.store.set_job_status(job_id, "cancelled")
            return False
        event.set()
        if status == "queued":  # it never started: nothing in flight to wait for
            self.store.set_job_status(job_id, "cancelled")
        return True

    def stop_all(self, wait: float = 10.0) -> None:
        """Stop every job at shutdown; they are marked interrupted and resume at next start."""
        self.shutting_down.set()
        for t in self.threads.values():
            t.join(wait)


def temp_folder(settings: ApiSettings, prefix: str) -> Path:
    """A private folder for one request's files (removed by the caller)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=prefix, dir=settings.data_dir))


def upload_paths(settings: ApiSettings) -> Callable[[str], str]:
    """How the results name the files of a market: an uploaded archive's by their path inside
    it (« informatique-cpam/CCTP.pdf »), not in the working folder it was unpacked to (a
    server path); a server folder's as they are (its client named the folder)."""
    @functools.lru_cache(maxsize=4096)  # a report names each file again in every quotation
    def shown(path: str) -> str:
        return client_path(path, settings.data_dir) or path

    return shown


def remove(folder: Path) -> None:
    """Remove a request's folder."""
    shutil.rmtree(folder, ignore_errors=True)
