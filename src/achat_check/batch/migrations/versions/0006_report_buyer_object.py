"""Reports say whose market it is and what it buys: a purchasing manager's export of an
archive scan (CSV, XLSX, the API's pages of results) lists markets by buyer and object, not
by folder name alone.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

from achat_check.batch.migrations import fill_from_reports

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add reports.buyer and reports.object (the report's facts.buyer and facts.object) and
    fill them from the reports already stored."""
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("buyer", sa.Text(), nullable=True))
        batch.add_column(sa.Column("object", sa.Text(), nullable=True))
    fill_from_reports(op.get_bind(), ("buyer", "object"), _named)


def _named(report_json: str) -> dict[str, str | None]:
    """The report's buyer and object ({} when the report cannot be read: NULLs)."""
    try:
        facts = json.loads(report_json).get("facts") or {}
        return {"buyer": facts.get("buyer"), "object": facts.get("object")}
    except (ValueError, TypeError, AttributeError):
        return {}


def downgrade() -> None:
    """Drop reports.buyer and reports.object."""
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("object")
        batch.drop_column("buyer")
