"""Reports say which main pieces their DCE lacks: an archive scanned market by market holds
DCEs archived without their RC or their CCAP, whose checks stay « indéterminé »; a manager
counts and lists them (`batch status`, the CSV, the API) to fetch the pieces.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

from achat_check.batch.migrations import fill_from_reports

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

#: the main pieces, in the order the column lists them (as MarketReport.missing_pieces did
#: when this migration was written)
PIECES = ("RC", "CCAP", "CCTP")


def upgrade() -> None:
    """Add reports.missing_pieces (comma-separated, NULL when none is missing) and fill it
    from the reports already stored."""
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("missing_pieces", sa.Text(), nullable=True))
    fill_from_reports(op.get_bind(), ("missing_pieces",), _missing)


def _missing(report_json: str) -> dict[str, str | None]:
    """The main pieces none of the report's documents is ({} when the report cannot be read
    or read no document: NULL)."""
    try:
        documents = json.loads(report_json).get("documents") or []
        given = {k for d in documents for k in (d.get("kind"), *(d.get("roles") or []))}
    except (ValueError, TypeError, AttributeError):
        return {}
    missing = [p for p in PIECES if p not in given]
    return {"missing_pieces": ", ".join(missing)} if documents and missing else {}


def downgrade() -> None:
    """Drop reports.missing_pieces."""
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("missing_pieces")
