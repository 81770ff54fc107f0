"""Evidence of words in a document: where they are and the sentence that holds them."""

from __future__ import annotations

import re

from achat_check.model import Document, Evidence
from achat_check.nlp import Sentence
from achat_check.structure import BULLET_MARKS

QUOTE_MAX = 420
#: a list item's mark at the head of its sentence (« • », « ➢ », Word's « o » and private-use
#: glyphs): the quote starts after it
LEADING_BULLET = re.compile(rf"\s*(?:[{re.escape(BULLET_MARKS)}\uf0d8-\uf0e8]|o(?=\s+[A-ZÀ-ÝŒ]))\s+")


def make_evidence(doc: Document, start: int, end: int, sent: Sentence) -> Evidence:
    """Evidence of words [start, end) quoted with their sentence (trimmed around the words)."""
    qs, qe = sent.start, sent.end
    if qe - qs > QUOTE_MAX:
        qs = max(sent.start, start - QUOTE_MAX // 2)
        qe = min(sent.end, qs + QUOTE_MAX)
    bullet = LEADING_BULLET.match(doc.text, qs, qe)
    if bullet and bullet.end() <= start:
        qs = bullet.end()
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


#: where a sentence ends: a stop or a line end, not the point of « 3.1 » or « 1.5 % »
SENTENCE_END = re.compile(r"[;\n\f]|\.(?!\d)")


def evidence_at(doc: Document, start: int, end: int) -> Evidence:
    """Evidence of text[start:end] quoted with the sentence around it."""
    lo_from = max(0, start - 300)
    ends_before = [m.end() for m in SENTENCE_END.finditer(doc.text, lo_from, start)]
    lo = ends_before[-1] if ends_before else lo_from
    after = SENTENCE_END.search(doc.text, end, min(len(doc.text), end + 300))
    hi = after.start() if after else min(len(doc.text), end + 300)
    return make_evidence(doc, start, end, Sentence(lo, max(hi, end)))
