"""Renderers of a MarketReport: JSON (the model itself), Markdown, terminal (rich)."""

from __future__ import annotations

from achat_check.model import MarketReport

FORMATS = ("terminal", "json", "md")


def render(report: MarketReport, fmt: str) -> str:
    """The report as text in one of FORMATS (terminal output is rendered to plain text)."""
    if fmt == "json":
        return report.model_dump_json(indent=2)
    if fmt == "md":
        from achat_check.report.markdown import to_markdown

        return to_markdown(report)
    if fmt == "terminal":
        from achat_check.report.terminal import to_text

        return to_text(report)
    raise ValueError(fmt)
