"""Reports keep what the indicators read of them (their digest, about 1 kB): the indicators of
a store's 10,000 markets parsed and validated every report whole (45 kB each), 11 s for
`GET /v1/indicators` and `indicators --job`.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add reports.digest_json, NULL for the reports already stored: theirs is taken from the
    report itself when the indicators read it, as before (the digest is the application's
    reading of a report, which a migration should not freeze)."""
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("digest_json", sa.Text(), nullable=True))


def downgrade() -> None:
    """Drop reports.digest_json."""
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("digest_json")
