"""Alembic migrations of the batch store, run programmatically when a store opens.

A new column or table is a new file in versions/ (write it by hand, or with
`alembic -c src/achat_check/batch/migrations/alembic.ini revision --autogenerate -m "..."`);
`tests/test_batch_store.py` checks that the migrations produce exactly the models.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine

HERE = Path(__file__).resolve().parent


def config(engine: Engine | None = None):
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
