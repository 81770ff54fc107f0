"""Reports say which files of their DCE were not read, or not all of them (a damaged file,
scanned pages without OCR, pages past the limit): a scan of an archive must tell the
markets whose absences prove nothing, and the ones to read again once OCR is installed.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add reports.unread (file names, comma-separated; NULL when all was read, and for
    reports stored before)."""
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("unread", sa.Text(), nullable=True))


def downgrade() -> None:
    """Drop reports.unread."""
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("unread")
