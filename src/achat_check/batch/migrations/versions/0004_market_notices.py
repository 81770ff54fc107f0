"""Markets keep what was said about their own files before they were checked: a member of
an uploaded archive that could not be unpacked (damaged, encrypted, unsafe path) belonged
to one market, whose report must say it was read in part (or why it could not be read at
all), not only the job's list of files left out.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add markets.notices (JSON list of notices; NULL when nothing was said, and for
    markets recorded before)."""
    with op.batch_alter_table("markets") as batch:
        batch.add_column(sa.Column("notices", sa.Text(), nullable=True))


def downgrade() -> None:
    """Drop markets.notices."""
    with op.batch_alter_table("markets") as batch:
        batch.drop_column("notices")
