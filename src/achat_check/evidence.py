"""Evidence of words in a document: where they are and the sentence that holds them."""

from __future__ import annotations

import re

from achat_check.model import Document, Evidence
from achat_check.nlp import LazySentences, Sentence
from achat_check.structure import BULLET_MARKS, TOC_LEADERS, is_toc_page

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


def evidence_at(doc: Document, start: int, end: int) -> Evidence:
    """Evidence of text[start:end] quoted with the sentences that hold it, as detections quote
    them: a fact's quote stopped at each line end, « d’exécution supérieure à deux mois ouvre
    droit au versement d’une avance d’un montant de 5% du » (a real contract's paragraph, wrapped
    by its PDF), where a summary row (« Variantes Sans ») still stands alone. Words read in a
    table of contents are cited where the document says them again, in its body."""
    start, end = _outside_contents(doc, start, end)
    sents = LazySentences(doc.text)  # cuts the lines around the offsets asked for only: nothing to keep
    first, last = sents.at(start), sents.at(max(start, end - 1))
    return make_evidence(doc, start, end, Sentence(min(first.start, start), max(last.end, end)))


def in_contents(doc: Document, offset: int, pages: dict[int, bool] | None = None) -> bool:
    """Whether the line at `offset` is an entry of a table of contents: dotted leaders, or a
    page of contents (`pages` keeps the pages' verdicts across calls)."""
    line_start = doc.text.rfind("\n", 0, offset) + 1
    line_end = doc.text.find("\n", offset)
    if TOC_LEADERS.search(doc.text, line_start, line_end if line_end >= 0 else len(doc.text)):
        return True
    known = pages if pages is not None else {}
    number = doc.page_at(offset)
    if number not in known:
        known[number] = is_toc_page(doc.page_text(number)[1].split("\n"))
    return known[number]


def _outside_contents(doc: Document, start: int, end: int) -> tuple[int, int]:
    """The same words further on, outside any table of contents, when those found are an
    entry of one (a real CCAP's CCAG read in « DEROGATION AU CCAG/TIC ........ 27 », cited so;
    its article 27 says it again): the buyer is sent to the article, not to its page number."""
    words, pages = doc.text[start:end], dict[int, bool]()
    if not words.strip() or not in_contents(doc, start, pages):  # no words (a fact placed at 0:0) are found anywhere
        return start, end
    pos = doc.text.find(words, end)
    while pos >= 0:
        if not in_contents(doc, pos, pages):
            return pos, pos + len(words)
        pos = doc.text.find(words, pos + 1)
    return start, end
