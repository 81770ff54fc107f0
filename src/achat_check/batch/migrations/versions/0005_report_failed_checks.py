"""Reports say which checks they fail: a purchasing department scanning its archive asks
for the markets that fail one check (« the declared clauses differ from the documents »,
« no environmental criterion ») without opening every report.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

from achat_check.batch.migrations import fill_from_reports

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add reports.failed_checks (check ids joined by ", "; NULL when none fails) and fill
    it from the reports already stored."""
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("failed_checks", sa.Text(), nullable=True))
    fill_from_reports(op.get_bind(), ("failed_checks",), lambda report_json: {"failed_checks": _failed(report_json)})


def _failed(report_json: str) -> str | None:
    """What achat_check.batch.stored.failed_checks gives, written here as it stood: a
    migration does not change with the code after it."""
    try:
        findings = json.loads(report_json).get("findings") or []
        return ", ".join(dict.fromkeys(f["check"] for f in findings if f.get("status") == "fail")) or None
    except (ValueError, TypeError, AttributeError, KeyError):  # a report we cannot read keeps NULL
        return None


def downgrade() -> None:
    """Drop reports.failed_checks."""
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("failed_checks")
