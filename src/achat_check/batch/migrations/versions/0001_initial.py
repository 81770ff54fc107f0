"""First release of the batch store: jobs, markets, reports, document errors.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the four tables."""
    op.create_table(
        "jobs",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("rulebook", sa.String(32), nullable=False),
        sa.Column("rules_version", sa.String(64), nullable=False),
        sa.Column("tool_version", sa.String(32), nullable=False),
        sa.Column("backend", sa.String(200), nullable=False),
        sa.Column("workers", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
    )
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("rulebook", sa.String(32), nullable=False),
        sa.Column("rules_version", sa.String(64), nullable=False),
        sa.Column("tool_version", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("report_json", sa.Text(), nullable=False),
        sa.Column("documents", sa.Integer(), nullable=False),
        sa.Column("env_consideration", sa.Boolean(), nullable=False),
        sa.Column("env_criterion", sa.Boolean(), nullable=False),
        sa.Column("social_consideration", sa.Boolean(), nullable=False),
        sa.Column("social_criterion", sa.Boolean(), nullable=False),
        sa.Column("insertion_clause", sa.Boolean(), nullable=False),
        sa.Column("facilitator", sa.Boolean(), nullable=False),
        sa.Column("reserved", sa.Boolean(), nullable=False),
        sa.Column("in_scope", sa.Boolean(), nullable=True),
        sa.Column("amount_ht", sa.Float(), nullable=True),
        sa.Column("insertion_hours", sa.Float(), nullable=True),
        sa.Column("procedure", sa.String(16), nullable=True),
        sa.Column("consultation_date", sa.Date(), nullable=True),
        sa.Column("obligations_failed", sa.Integer(), nullable=False),
        sa.Column("recommendations_missed", sa.Integer(), nullable=False),
        sa.UniqueConstraint("content_hash", "rulebook", "rules_version", "tool_version", name="uq_report_content"),
    )
    op.create_index("ix_reports_content_hash", "reports", ["content_hash"])
    op.create_table(
        "markets",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("job_id", sa.String(32), sa.ForeignKey("jobs.id"), nullable=False),
        sa.Column("market_id", sa.String(255), nullable=False),
        sa.Column("paths", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("seconds", sa.Float(), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("report_id", sa.Integer(), sa.ForeignKey("reports.id"), nullable=True),
        sa.UniqueConstraint("job_id", "market_id", name="uq_market_job"),
    )
    op.create_index("ix_markets_job_id", "markets", ["job_id"])
    op.create_index("ix_markets_content_hash", "markets", ["content_hash"])
    op.create_index("ix_markets_status", "markets", ["status"])
    op.create_table(
        "document_errors",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("market_pk", sa.Integer(), sa.ForeignKey("markets.id"), nullable=False),
        sa.Column("path", sa.Text(), nullable=True),
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
    )
    op.create_index("ix_document_errors_market_pk", "document_errors", ["market_pk"])


def downgrade() -> None:
    """Drop them."""
    op.drop_table("document_errors")
    op.drop_table("markets")
    op.drop_table("reports")
    op.drop_table("jobs")
