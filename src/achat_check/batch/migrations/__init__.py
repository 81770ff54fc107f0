"""Alembic migrations of the batch store, run programmatically when a store opens.

A new column or table is a new file in versions/ (write it by hand, or with
`alembic -c src/achat_check/batch/migrations/alembic.ini revision --autogenerate -m "..."`);
`tests/test_batch.py` checks that the migrations produce exactly the models.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Connection, Engine

if TYPE_CHECKING:
    from alembic.config import Config

HERE = Path(__file__).resolve().parent


def config(engine: Engine | None = None) -> Config:
    """An Alembic config pointing at these scripts (and at the engine, when given)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.set_main_option("path_separator", "os")
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply the migrations up to `revision`."""
    from alembic import command

    command.upgrade(config(engine), revision)


#: reports read at a time when a migration fills new columns of a store made before
FILL_BATCH = 200


def fill_from_reports(conn: Connection, columns: tuple[str, ...], read: Callable[[str], dict[str, Any]], types: dict[str, Any] | None = None) -> None:
    """Fill new columns of `reports` from each stored report's JSON, a batch at a time.

    `read(report_json)` gives the columns' values (a report it cannot read gives NULLs: it
    returns {}); `types` names the SQL type of a column that is not text (a number bound as
    text is a string to PostgreSQL).  Migrations call it: what it does must stay what it did,
    as a migration's own code does not change with the code after it.
    """
    import sqlalchemy as sa

    reports = sa.table("reports", sa.column("id", sa.Integer), sa.column("report_json", sa.Text),
                       *(sa.column(c, (types or {}).get(c, sa.Text)) for c in columns))
    last = 0
    while True:
        rows = conn.execute(sa.select(reports.c.id, reports.c.report_json).where(reports.c.id > last)
                            .order_by(reports.c.id).limit(FILL_BATCH)).all()
        if not rows:
            break
        for pk, report_json in rows:
            values = {k: v for k, v in read(report_json).items() if v}
            if values:
                conn.execute(reports.update().where(reports.c.id == pk).values(**values))
        last = rows[-1][0]
