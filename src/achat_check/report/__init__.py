"""Renderers of a MarketReport: JSON (the model itself), Markdown, terminal (rich), HTML."""

from __future__ import annotations

from achat_check.model import Document, MarketReport

FORMATS = ("terminal", "json", "md", "html")


def render(report: MarketReport, fmt: str, documents: list[Document] | None = None) -> str:
    """The report as text in one of FORMATS (terminal output is rendered to plain text).

    The documents read are only needed by HTML, whose quotes link to highlighted pages.
    """
    if fmt == "json":
        return report.model_dump_json(indent=2)
    if fmt == "md":
        from achat_check.report.markdown import to_markdown

        return to_markdown(report)
    if fmt == "terminal":
        from achat_check.report.terminal import to_text

        return to_text(report)
    if fmt == "html":
        from achat_check.report.html import to_html

        return to_html(report, documents)
    raise ValueError(fmt)
