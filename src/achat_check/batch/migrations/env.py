"""Alembic environment: migrate the engine the store passes in (or the URL of alembic.ini)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from achat_check.batch.store import Base

cfg = context.config
engine = cfg.attributes.get("engine") or create_engine(cfg.get_main_option("sqlalchemy.url", ""))

with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=connection.dialect.name == "sqlite")
    context.run_migrations()
