"""Evidence of words in a document: where they are and the sentence that holds them."""

from __future__ import annotations

from achat_check.model import Document, Evidence
from achat_check.nlp import Sentence

QUOTE_MAX = 420
SENTENCE_ENDS = ".;\n\f"


def make_evidence(doc: Document, start: int, end: int, sent: Sentence) -> Evidence:
    """Evidence of words [start, end) quoted with their sentence (trimmed around the words)."""
    qs, qe = sent.start, sent.end
    if qe - qs > QUOTE_MAX:
        qs = max(sent.start, start - QUOTE_MAX // 2)
        qe = min(sent.end, qs + QUOTE_MAX)
    heading = doc.heading_at(start)
    label = heading.label[:100] if heading else None
    return Evidence(
        document=doc.path,
        kind=doc.kind,
        page=doc.page_at(start),
        article=label,
        start=start,
        end=end,
        quote=" ".join(doc.text[qs:qe].split()),
        quote_start=qs,
        matched=doc.text[start:end],
    )


def evidence_at(doc: Document, start: int, end: int) -> Evidence:
    """Evidence of text[start:end] quoted with the sentence around it."""
    lo = max(doc.text.rfind(c, max(0, start - 300), start) for c in SENTENCE_ENDS) + 1
    his = [doc.text.find(c, end, end + 300) for c in SENTENCE_ENDS]
    hi = min((h for h in his if h >= 0), default=min(len(doc.text), end + 300))
    return make_evidence(doc, start, end, Sentence(max(lo, 0), max(hi, end)))
