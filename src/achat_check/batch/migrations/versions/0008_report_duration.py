"""Reports say how long each market may run: a purchasing manager reading an archive's scan
in a spreadsheet sorts markets by duration (renewals included) beside their amount, to see
the long accords-cadres to re-tender and the advance owed on markets of more than two months.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

from achat_check.batch.migrations import fill_from_reports

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add reports.max_duration_months (the report's facts.max_duration_months) and fill it
    from the reports already stored."""
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("max_duration_months", sa.Float(), nullable=True))
    fill_from_reports(op.get_bind(), ("max_duration_months",), _duration, types={"max_duration_months": sa.Float})


def _duration(report_json: str) -> dict[str, float | None]:
    """The report's maximum duration in months ({} when the report cannot be read or the
    value is not a number: NULL)."""
    try:
        months = (json.loads(report_json).get("facts") or {}).get("max_duration_months")
    except (ValueError, TypeError, AttributeError):
        return {}
    return {"max_duration_months": float(months)} if isinstance(months, int | float) and not isinstance(months, bool) else {}


def downgrade() -> None:
    """Drop reports.max_duration_months."""
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("max_duration_months")
