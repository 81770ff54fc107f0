"""Jobs keep what their discovery said: files outside any market, damaged archive members,
links left out.  The service answered them only when no market was found, and dropped
them otherwise, so a skipped document went unsaid.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add jobs.notices (a JSON list of notices; NULL for jobs made before)."""
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("notices", sa.Text(), nullable=True))


def downgrade() -> None:
    """Drop jobs.notices."""
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("notices")
