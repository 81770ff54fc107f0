"""Markets keep what is known of them beside their documents: the notification date a
register gives (`batch --register`).  A DCE archived without its RC says no date, and the
loi Climat checks were « indéterminé » for markets notified years before the law; the
register's date places the consultation before it.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add markets.given (JSON GivenFacts; NULL when nothing is given, and for markets
    recorded before)."""
    with op.batch_alter_table("markets") as batch:
        batch.add_column(sa.Column("given", sa.Text(), nullable=True))


def downgrade() -> None:
    """Drop markets.given."""
    with op.batch_alter_table("markets") as batch:
        batch.drop_column("given")
