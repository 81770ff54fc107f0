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

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

#: reports read at a time to fill the columns of a store made before
BATCH = 200


def upgrade() -> None:
    """Add reports.buyer and reports.object (the report's facts.buyer and facts.object) and
    fill them from the reports already stored."""
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("buyer", sa.Text(), nullable=True))
        batch.add_column(sa.Column("object", sa.Text(), nullable=True))
    conn = op.get_bind()
    reports = sa.table("reports", sa.column("id", sa.Integer), sa.column("report_json", sa.Text),
                       sa.column("buyer", sa.Text), sa.column("object", sa.Text))
    last = 0
    while True:
        rows = conn.execute(sa.select(reports.c.id, reports.c.report_json).where(reports.c.id > last)
                            .order_by(reports.c.id).limit(BATCH)).all()
        if not rows:
            break
        for pk, report_json in rows:
            buyer, obj = _named(report_json)
            if buyer or obj:
                conn.execute(reports.update().where(reports.c.id == pk).values(buyer=buyer, object=obj))
        last = rows[-1][0]


def _named(report_json: str) -> tuple[str | None, str | None]:
    """The report's buyer and object (None each when the report has none or cannot be read)."""
    try:
        facts = json.loads(report_json).get("facts") or {}
        return facts.get("buyer") or None, facts.get("object") or None
    except (ValueError, TypeError, AttributeError):  # a report we cannot read keeps NULL
        return None, None


def downgrade() -> None:
    """Drop reports.buyer and reports.object."""
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("object")
        batch.drop_column("buyer")
