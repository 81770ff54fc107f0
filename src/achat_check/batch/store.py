"""The batch store: jobs, markets, reports and document errors, in SQLite (default) or PostgreSQL.

Each market's result is committed the moment it is known, so that a killed job loses
nothing it finished.  Reports are shared by content: a DCE whose files (and the rules and
tool versions) have not changed reuses its report from any earlier job.  The schema is
created and upgraded by Alembic migrations (achat_check/batch/migrations), never by
`create_all`, so a store written by one release opens with the next.
"""

from __future__ import annotations

import functools
import json
import re
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    Select,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    create_engine,
    event,
    func,
    select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import (
    ArgumentError,
    IntegrityError,
    InterfaceError,
    NoSuchModuleError,
    OperationalError,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    InstrumentedAttribute,
    Mapped,
    Session,
    defer,
    mapped_column,
    sessionmaker,
)

from achat_check.batch.stored import StoredReport, failed_check_ids
from achat_check.errors import AchatCheckError, library_reason
from achat_check.model import GivenFacts, Notice

DEFAULT_DB = "achat-check.db"


class Moment(TypeDecorator[datetime]):
    """A moment as the store keeps it: in UTC, read back in UTC with its zone.  SQLite keeps
    no time zone (its moments came back naive: the API wrote « 2026-12-05T19:39:50 » from
    SQLite and « …+00:00 » from PostgreSQL), and PostgreSQL gives them in its session's zone."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        """UTC before it is written (SQLite would keep another zone's wall time as UTC's)."""
        return value.astimezone(UTC) if value is not None and value.tzinfo is not None else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        """UTC with its zone: SQLite's naive value was written in UTC."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base of the store's tables."""


class Job(Base):
    """One batch run over an archive (or a register), resumable by its id."""

    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(Moment)
    finished_at: Mapped[datetime | None] = mapped_column(Moment)
    status: Mapped[str] = mapped_column(String(16))  # queued (API), running, done, interrupted, cancelled
    source: Mapped[str] = mapped_column(Text)
    rulebook: Mapped[str] = mapped_column(String(32))
    rules_version: Mapped[str] = mapped_column(String(64))
    tool_version: Mapped[str] = mapped_column(String(32))
    backend: Mapped[str] = mapped_column(String(200))
    workers: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Integer)
    notices: Mapped[str | None] = mapped_column(Text)  # JSON: what discovering the markets said (migration 0002)

    def notice_list(self) -> list[Notice]:
        """Files the job left out and why (loose files, damaged archive members, links)."""
        return [Notice.model_validate(n) for n in json.loads(self.notices or "[]")]


class Market(Base):
    """One market of a job: its DCE files, its status and, once done, its report."""

    __tablename__ = "markets"
    __table_args__ = (UniqueConstraint("job_id", "market_id", name="uq_market_job"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id"), index=True)
    market_id: Mapped[str] = mapped_column(String(255))
    paths: Mapped[str] = mapped_column(Text)  # JSON list of the DCE's files or folder
    content_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)  # pending, done, cached, failed
    error: Mapped[str | None] = mapped_column(Text)
    seconds: Mapped[float | None] = mapped_column(Float)
    finished_at: Mapped[datetime | None] = mapped_column(Moment)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"))
    #: JSON: what was said of its files before the check (an archive member left out, migration 0004)
    notices: Mapped[str | None] = mapped_column(Text)
    #: JSON GivenFacts: what its register says beside the DCE (migration 0007)
    given: Mapped[str | None] = mapped_column(Text)

    def notice_list(self) -> list[Notice]:
        """Files of this market's DCE left out before the check, and why."""
        return [Notice.model_validate(n) for n in json.loads(self.notices or "[]")]

    def given_facts(self) -> GivenFacts | None:
        """What is known of the market beside its DCE, None when nothing is."""
        return GivenFacts.model_validate_json(self.given) if self.given else None


class Report(Base):
    """A MarketReport as JSON, with the columns the indicators need, keyed by content."""

    __tablename__ = "reports"
    __table_args__ = (UniqueConstraint("content_hash", "rulebook", "rules_version", "tool_version", name="uq_report_content"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    rulebook: Mapped[str] = mapped_column(String(32))
    rules_version: Mapped[str] = mapped_column(String(64))
    tool_version: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(Moment)
    report_json: Mapped[str] = mapped_column(Text)
    documents: Mapped[int] = mapped_column(Integer)
    env_consideration: Mapped[bool] = mapped_column(Boolean)
    env_criterion: Mapped[bool] = mapped_column(Boolean)
    social_consideration: Mapped[bool] = mapped_column(Boolean)
    social_criterion: Mapped[bool] = mapped_column(Boolean)
    insertion_clause: Mapped[bool] = mapped_column(Boolean)
    facilitator: Mapped[bool] = mapped_column(Boolean)
    reserved: Mapped[bool] = mapped_column(Boolean)
    in_scope: Mapped[bool | None] = mapped_column(Boolean)
    amount_ht: Mapped[float | None] = mapped_column(Float)
    insertion_hours: Mapped[float | None] = mapped_column(Float)
    procedure: Mapped[str | None] = mapped_column(String(16))
    consultation_date: Mapped[date | None] = mapped_column(Date)
    obligations_failed: Mapped[int] = mapped_column(Integer)
    recommendations_missed: Mapped[int] = mapped_column(Integer)
    #: files of the DCE not read, or not all of them (MarketReport.unread), comma-separated (migration 0003)
    unread: Mapped[str | None] = mapped_column(Text)
    #: checks the report fails (obligations and recommendations), comma-separated (migration 0005)
    failed_checks: Mapped[str | None] = mapped_column(Text)
    #: whose market and what it buys (facts.buyer, facts.object), as rows and exports show them (migration 0006)
    buyer: Mapped[str | None] = mapped_column(Text)
    object: Mapped[str | None] = mapped_column(Text)
    #: the longest the market may run, renewals included, in months (facts.max_duration_months; migration 0008)
    max_duration_months: Mapped[float | None] = mapped_column(Float)
    #: main pieces (RC, CCAP, CCTP) the DCE lacks, comma-separated (MarketReport.missing_pieces; migration 0009)
    missing_pieces: Mapped[str | None] = mapped_column(Text)
    #: what the indicators read of the report (indicators.model.ReportDigest as JSON; migration
    #: 0010): NULL for a report stored before, whose digest is taken from the report itself
    digest_json: Mapped[str | None] = mapped_column(Text)


class DocumentError(Base):
    """A document of a market that could not be read (or the market's own failure)."""

    __tablename__ = "document_errors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    market_pk: Mapped[int] = mapped_column(ForeignKey("markets.id"), index=True)
    path: Mapped[str | None] = mapped_column(Text)
    code: Mapped[str] = mapped_column(String(16))
    message: Mapped[str] = mapped_column(Text)


def _notices_json(notices: list[Notice] | None) -> str | None:
    """Notices as the store keeps them (None when there are none)."""
    return json.dumps([n.model_dump(mode="json") for n in notices], ensure_ascii=False) if notices else None


def now() -> datetime:
    """Timezone-aware now, as the store keeps it."""
    return datetime.now(UTC)


def _url(db: str | None) -> str:
    """A path becomes a SQLite URL; a URL is kept (`postgres://`, as hosting services write
    it, is the `postgresql+psycopg://` SQLAlchemy knows)."""
    db = db or DEFAULT_DB
    if db.startswith("postgres://"):
        return "postgresql+psycopg://" + db.removeprefix("postgres://")
    if "://" in db:
        return db
    if Path(db).is_dir():
        raise AchatCheckError("AC-E016", f"base « {db} » : c'est un dossier ; donnez un fichier, par exemple {Path(db) / DEFAULT_DB}.")
    return f"sqlite:///{Path(db).resolve()}"


def _engine_reason(exc: Exception) -> str:
    """Why SQLAlchemy refused a database URL, in French: it named the Python module of the
    driver it could not import (« No module named 'MySQLdb' ») or its own parser."""
    if isinstance(exc, (ImportError, NoSuchModuleError)):
        return "type de base ou pilote non pris en charge : SQLite, ou PostgreSQL avec le pilote psycopg"
    if isinstance(exc, (ArgumentError, ValueError)):  # « Could not parse SQLAlchemy URL », a port that is no number
        return "adresse mal formée"
    return shown(library_reason(exc))


def shown(text: str) -> str:
    """A URL, or a message quoting one, as messages show it: passwords masked (messages end
    up in logs and terminals)."""
    return re.sub(r"(://[^:/@\s]*):[^@\s]*@", r"\1:***@", text)


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: object) -> None:  # a DBAPI connection: sqlite3's
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")  # readers never block the writer; a kill loses nothing committed
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()


#: how long a job waits for a store that stopped answering (a database restart, a network
#: cut) before it stops; every finished market is already committed, --resume loses nothing
RETRY_SECONDS = 60.0


P = ParamSpec("P")
R = TypeVar("R")


def _retried(method: Callable[Concatenate[Store, P], R]) -> Callable[Concatenate[Store, P], R]:
    """Run a unit of work of a running job again while the database cannot be reached.

    Without it a database restart in the middle of a job of several hours stopped the job
    with an "internal error" and no word of how to resume it.  Once the store has given up,
    later calls (the job recorded as interrupted on the way out) are tried once.
    """

    @functools.wraps(method)
    def wrapper(self: Store, *args: P.args, **kwargs: P.kwargs) -> R:
        deadline = time.monotonic() + (0.0 if self.gave_up else self.retry_seconds)
        delay = 0.25
        while True:
            try:
                result = method(self, *args, **kwargs)
                self.gave_up = False
                return result
            except (OperationalError, InterfaceError) as exc:  # refused, lost, shutting down, locked
                if time.monotonic() + delay > deadline:
                    self.gave_up = True
                    reason = shown(str(getattr(exc, "orig", exc))).splitlines()[0]
                    raise AchatCheckError(
                        "AC-E026", f"la base des lots ne répond plus depuis {self.retry_seconds:g} s ({reason}) : "
                        "les marchés déjà vérifiés y sont enregistrés ; quand elle répond de nouveau, reprenez le travail.",
                        self.shown_url) from None
                time.sleep(delay)
                delay = min(2 * delay, 5.0)

    return wrapper


class Store:
    """Open (and migrate) a store, and every read and write the batch needs."""

    def __init__(self, db: str | None = None, must_exist: bool = False) -> None:
        """`must_exist`: a SQLite file that is not there is an error, not a new empty store
        (reading jobs from the wrong folder must say so)."""
        self.url = _url(db)
        #: the URL as messages show it (password masked)
        self.shown_url = shown(self.url)
        file = self.url.removeprefix("sqlite:///") if self.url.startswith("sqlite:///") else None
        if must_exist and file is not None and not Path(file).exists():
            raise AchatCheckError("AC-E017", f"aucune base de lots ici ({file}) : lancez la commande dans le dossier où le "
                                  "lot a été lancé, ou donnez --db FICHIER (ou l'URL PostgreSQL).")
        try:
            self.engine = create_engine(self.url, future=True, pool_pre_ping=True)
        except Exception as exc:  # noqa: BLE001 - a bad URL or a missing driver
            raise AchatCheckError("AC-E016", f"base « {self.shown_url} » inutilisable ({_engine_reason(exc)}) : donnez un "
                                  "fichier SQLite (achat-check.db, sqlite:///chemin.db) ou une URL "
                                  "postgresql+psycopg://utilisateur:motdepasse@hôte/base.") from None
        if self.url.startswith("sqlite"):
            _sqlite_pragmas(self.engine)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.retry_seconds = RETRY_SECONDS
        self.gave_up = False
        self.migrate()

    def migrate(self) -> None:
        """Bring the schema to the latest migration."""
        from achat_check.batch.migrations import upgrade

        try:
            upgrade(self.engine)
        except OperationalError as exc:
            raise AchatCheckError("AC-E016", f"base inaccessible ({shown(library_reason(exc.orig or exc))}) : vérifiez l'adresse et les droits.",
                                  self.shown_url) from exc

    def session(self) -> Session:
        """A new session (one per unit of work)."""
        return self.sessions()

    # ------------------------------------------------------------------ jobs

    def create_job(self, source: str, rulebook: str, rules_version: str, tool_version: str, backend: str, workers: int,
                   markets: list[tuple[str, list[str]]], notices: list[Notice] | None = None,
                   market_notices: dict[str, list[Notice]] | None = None, market_given: dict[str, GivenFacts] | None = None) -> Job:
        """A new job with all its markets pending, what finding them said, what was said of
        each market's own files and what is known of it beside them (by market id)."""
        market_notices, market_given = market_notices or {}, market_given or {}
        job = Job(id=uuid.uuid4().hex[:12], created_at=now(), status="running", source=source, rulebook=rulebook,
                  rules_version=rules_version, tool_version=tool_version, backend=backend, workers=workers, total=len(markets),
                  notices=_notices_json(notices) or "[]")
        with self.session() as s, s.begin():
            s.add(job)
            s.flush()
            s.add_all(Market(job_id=job.id, market_id=mid, paths=json.dumps(paths), status="pending",
                             notices=_notices_json(market_notices.get(mid)),
                             given=market_given[mid].model_dump_json(exclude_none=True) if mid in market_given else None)
                      for mid, paths in markets)
        return job

    def job(self, job_id: str) -> Job:
        """The job, or a clear error."""
        with self.session() as s:
            job = s.get(Job, job_id)
        if job is None:
            raise AchatCheckError("AC-E017", f"travail « {job_id} » inconnu : `achat-check batch list` (ou `GET /v1/batches`) donne les travaux de la base.", self.shown_url)
        return job

    def jobs(self) -> list[Job]:
        """Every job, newest first."""
        with self.session() as s:
            return list(s.scalars(select(Job).order_by(Job.created_at.desc())))

    @_retried
    def set_job_workers(self, job_id: str, workers: int) -> None:
        """The worker processes a run of the job starts, recorded as its backend says them
        (« local:3 », « api:local:3 »): the job kept « local:32 » when 3 markets were left."""
        with self.session() as s, s.begin():
            job = s.get_one(Job, job_id)
            job.workers = workers
            job.backend = re.sub(r"\blocal:\d+", f"local:{workers}", job.backend)

    @_retried
    def set_job_status(self, job_id: str, status: str) -> None:
        """queued (API), running, done, interrupted or cancelled."""
        with self.session() as s, s.begin():
            job = s.get_one(Job, job_id)
            job.status = status
            job.finished_at = now() if status == "done" else None

    @_retried
    def counts(self, job_id: str) -> dict[str, int]:
        """Markets of the job by status."""
        with self.session() as s:
            rows = s.execute(select(Market.status, func.count()).where(Market.job_id == job_id).group_by(Market.status)).all()
        return {status: n for status, n in rows}

    def partly_read(self, job_id: str) -> int:
        """Markets of the job with a report whose DCE was not all read (reports.unread)."""
        return self._reported_with(job_id, Report.unread)

    def incomplete(self, job_id: str) -> int:
        """Markets of the job with a report whose DCE lacks a main piece (reports.missing_pieces)."""
        return self._reported_with(job_id, Report.missing_pieces)

    def _reported_with(self, job_id: str, column: InstrumentedAttribute[Any]) -> int:
        """Markets of the job whose report has a value in this column."""
        with self.session() as s:
            q = select(func.count()).select_from(Market).join(Report, Market.report_id == Report.id)
            return s.scalar(q.where(Market.job_id == job_id, column.is_not(None))) or 0

    def failing_counts(self, job_id: str) -> dict[str, int]:
        """How many markets of the job fail each check, the most failed first: what an
        archive's scan says of the department's practice at a glance."""
        with self.session() as s:
            q = select(Report.failed_checks).select_from(Market).join(Report, Market.report_id == Report.id)
            held = s.scalars(q.where(Market.job_id == job_id, Report.failed_checks.is_not(None))).all()
        return dict(Counter(check for checks in held for check in failed_check_ids(checks)).most_common())

    def total(self, job_id: str, status: str | None = None, failing: str | None = None) -> int:
        """Markets of the job with this status (all of them without one), failing this check."""
        if failing:
            with self.session() as s:
                q = select(func.count()).select_from(Market).join(Report, Market.report_id == Report.id)
                return s.scalar(_where(q, job_id, status, failing)) or 0
        counts = self.counts(job_id)
        return counts.get(status, 0) if status else sum(counts.values())

    @_retried
    def todo(self, job_id: str) -> list[Market]:
        """Markets still to check (pending, including those in flight when the job was killed)."""
        with self.session() as s:
            return list(s.scalars(select(Market).where(Market.job_id == job_id, Market.status == "pending").order_by(Market.id)))

    # ------------------------------------------------------------------ results

    @_retried
    def cached_report(self, content_hash: str, rulebook: str, rules_version: str, tool_version: str) -> int | None:
        """Id of a report already computed for this content, rules and tool."""
        with self.session() as s:
            return s.scalar(select(Report.id).where(Report.content_hash == content_hash, Report.rulebook == rulebook,
                                                    Report.rules_version == rules_version, Report.tool_version == tool_version))

    @_retried
    def mark_cached(self, market_pk: int, report_id: int, content_hash: str) -> None:
        """The market reuses an earlier report."""
        with self.session() as s, s.begin():
            m = s.get_one(Market, market_pk)
            if m.status == "pending":
                m.status, m.report_id, m.finished_at, m.seconds = "cached", report_id, now(), 0.0
                m.content_hash = content_hash

    @_retried
    def save_report(self, market_pk: int, stored: StoredReport, content_hash: str, seconds: float) -> None:
        """Commit a finished market and its report in one transaction (idempotent).

        No savepoint inside it: under SQLite's Python driver a savepoint opened before any
        write is the outermost transaction, and releasing it committed the report alone; a
        kill before the market's update then left the market pending with its report stored,
        and --resume took it as « en cache ».  When another writer stores the same report
        first (the unique index on its content), the whole unit is done again and finds it.
        """
        try:
            self._save_report(market_pk, stored, content_hash, seconds)
        except IntegrityError:
            self._save_report(market_pk, stored, content_hash, seconds)

    def _save_report(self, market_pk: int, stored: StoredReport, content_hash: str, seconds: float) -> None:
        with self.session() as s, s.begin():
            m = s.get_one(Market, market_pk)
            if m.status != "pending":
                return  # already recorded (a resumed job never writes a market twice)
            report_id = self._report_row(s, stored, content_hash)
            m.status, m.report_id, m.seconds, m.finished_at, m.error = "done", report_id, round(seconds, 3), now(), None
            m.content_hash = content_hash or m.content_hash
            for n in stored.errors:
                s.add(DocumentError(market_pk=market_pk, path=n.path, code=n.code, message=n.message))

    def _report_row(self, s: Session, stored: StoredReport, content_hash: str) -> int:
        same = select(Report.id).where(Report.content_hash == content_hash, Report.rulebook == stored.rulebook,
                                       Report.rules_version == stored.rules_version, Report.tool_version == stored.tool_version)
        existing = s.scalar(same)
        if existing is not None:
            return existing
        row = Report(content_hash=content_hash, rulebook=stored.rulebook, rules_version=stored.rules_version,
                     tool_version=stored.tool_version, created_at=now(), report_json=stored.report_json, **stored.columns)
        s.add(row)
        s.flush()  # an identical DCE's report stored meanwhile: IntegrityError, see save_report
        return row.id

    @_retried
    def save_failure(self, market_pk: int, reason: str, code: str = "AC-E018", seconds: float | None = None,
                     content_hash: str = "") -> None:
        """Record a market that could not be checked, and why; the job goes on."""
        with self.session() as s, s.begin():
            m = s.get_one(Market, market_pk)
            if m.status != "pending":
                return
            m.status, m.error, m.finished_at = "failed", reason, now()
            m.seconds = None if seconds is None else round(seconds, 3)  # as a success's
            m.content_hash = content_hash or m.content_hash
            s.add(DocumentError(market_pk=market_pk, path=None, code=code, message=reason))

    def results(self, job_id: str, status: str | None = None, *, full: bool = True, failing: str | None = None,
                offset: int = 0, limit: int | None = None) -> Iterator[tuple[Market, Report | None]]:
        """Markets of the job with their reports, in order, from `offset`, `limit` of them;
        with `failing`, only those whose report fails that check.

        `full=False` leaves each report's JSON in the database (its columns come): a row or a
        page of results needs no report, and a job's reports weigh about 45 kB each, so
        loading them made a page of 50 out of 10,000 markets read 470 MB (1.1 s).
        """
        with self.session() as s:
            q = select(Market, Report).outerjoin(Report, Market.report_id == Report.id)
            if not full:
                q = q.options(defer(Report.report_json, raiseload=True))
            q = _where(q, job_id, status, failing).order_by(Market.id).offset(offset).limit(limit)
            for m, r in s.execute(q).yield_per(200):  # noqa: UP028 - rows unpacked to tuples
                yield m, r

    def report_json(self, report_id: int) -> str:
        """One stored report's JSON (the rows of `results(full=False)` leave it in the base)."""
        with self.session() as s:
            return s.scalars(select(Report.report_json).where(Report.id == report_id)).one()

    def document_errors(self, market_pk: int) -> list[DocumentError]:
        """What could not be read in a market."""
        with self.session() as s:
            return list(s.scalars(select(DocumentError).where(DocumentError.market_pk == market_pk)))


#: a select of any columns, kept as its caller built it
SelectT = TypeVar("SelectT", bound="Select[*tuple[Any, ...]]")


def _where(q: SelectT, job_id: str, status: str | None, failing: str | None) -> SelectT:
    """The markets of a job, of a status, whose report fails a check (reports.failed_checks
    holds the ids joined by ", ": the id is matched whole, its "_" not as a wildcard)."""
    q = q.where(Market.job_id == job_id)
    if status:
        q = q.where(Market.status == status)
    if failing:
        held = ", " + Report.failed_checks + ", "  # SQL concatenation (||)
        q = q.where(held.like(f"%, {escape_like(failing)}, %", escape="\\"))
    return q


def escape_like(text: str) -> str:
    """`text` matched literally by LIKE (escape character: backslash)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
