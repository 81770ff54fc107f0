"""How one file was read, for `achat-check inspect`."""

from __future__ import annotations

import io
import json

from rich.table import Table

from achat_check.extract.numbers import fmt_number
from achat_check.model import Document, DocumentReport
from achat_check.report.consoles import console
from achat_check.report.labels import piece, yes_no


def render_inspection(doc: Document, fmt: str = "terminal", show_text: bool = False) -> str:
    """Kind and reason, pages, OCR, articles, headers/footers removed, tables, warnings."""
    if fmt == "json":
        data = DocumentReport.of(doc).model_dump(mode="json")
        data["read_seconds"] = doc.read_seconds
        data["tables_found"] = [{"page": t.page, "rows": len(t.rows), "source": t.source} for t in doc.tables]
        if show_text:
            data["text"] = doc.text
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    buf = io.StringIO()
    con = console(file=buf, width=110, color_system=None)
    con.print(doc.path, style="bold")
    roles = f" (vaut {' + '.join(doc.roles)})" if doc.roles else ""
    con.print(f"Pièce : {piece(doc.kind, [], doc.subkind)}{roles} — {doc.kind_reason}")
    con.print(
        f"Format : {doc.format} · pages : {doc.pages}{' (estimées)' if doc.pages_estimated else ''} · "
        f"OCR : {yes_no(doc.ocr)} · caractères : {len(doc.text)} · lu en {fmt_number(doc.read_seconds)} s"
    )
    con.print(f"Mots coupés rejoints : {doc.hyphenations_joined} · tableaux : {len(doc.tables)}")
    if doc.headers_footers_removed:
        con.print("En-têtes et pieds de page retirés :")
        for line in doc.headers_footers_removed:
            con.print(f"  – {line}", highlight=False)
    table = Table(title=f"Articles et titres ({len(doc.headings)})")
    for col in ("n°", "titre", "niveau", "page"):
        table.add_column(col)
    for h in doc.headings:
        table.add_row(h.number or "", h.title, str(h.level), str(h.page))  # wrapped, never cut mid-word
    con.print(table)
    for t in doc.tables:
        con.print(f"Tableau p. {t.page} ({t.source}) : {len(t.rows)} lignes · {' | '.join(t.rows[0])[:90]}", highlight=False)
    for w in doc.warnings:
        con.print(w.render(), style="yellow", highlight=False)
    if show_text:
        for p in doc.page_spans:
            con.print(f"\n──── page {p.number}{' (OCR)' if p.ocr else ''} ────", highlight=False)
            con.print(doc.text[p.start : p.end], highlight=False, markup=False)
    return buf.getvalue()
