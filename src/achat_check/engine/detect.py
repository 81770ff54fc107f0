"""Run compiled rules on one document: hits, their sentence, context, lever, score, evidence.

A hit becomes a scored detection only through its sentence: the rule's `requires` and
`excludes` are read there, context rules (negation, mere reminder, candidate's
presentation, false friends) lower or cancel it, and the lever (clause, specification,
criterion, need) comes from where the sentence stands: an award-criteria section, the
object of the market, or the kind of document.
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass, replace

from rapidfuzz import fuzz

from achat_check.accents import fold
from achat_check.caseless import caseless
from achat_check.engine.compile import CompiledContext, CompiledRules
from achat_check.engine.schema import Rule
from achat_check.evidence import make_evidence
from achat_check.extract.numbers import fmt_number
from achat_check.model import Adjustment, DocKind, Document, Evidence, Explanation
from achat_check.nlp import TOKEN_RE, LazySentences, Sentence
from achat_check.report.labels import file_name, fmt_score
from achat_check.structure import BULLET_MARKS, TOC_LEADERS, is_toc_page

COUNT_THRESHOLD = 0.5
CRITERIA_HEADING = caseless(
    r"crit[eè]res?|jugement des offres|attribution d[eu]s? (march|offre|accord)|notation|pond[ée]ration|"
    r"analyse des offres|choix de l.offre|classement des offres|examen des offres",
    prefilter=False,
)
CRITERION_CUE = caseless(
    r"crit[eè]re|pond[ée]r|\d+(?:[.,]\d+)?\s*(?:%|points?\b|pts\b)|not[ée]e? sur\s*\d",
    prefilter=False,
)
#: « Le cinquième critère « Respect de la démarche éco-conception » pondéré à 5 % » (a real RC)
CRITERION_WORD = caseless(
    r"crit[eè]res?\s+(d.attribution|de\s+(jugement|choix|notation|classement))|sous-crit[eè]re|"
    r"crit[eè]re\s*(n°\s*)?\d|crit[eè]re\s+(environnemental|social|prix|technique|de\s+performance)|"
    r"(premier|second|deuxi[eè]me|troisi[eè]me|quatri[eè]me|cinqui[eè]me|sixi[eè]me|septi[eè]me|dernier)\s+crit[eè]re\b|"
    r"crit[eè]re\s*[«\"]",
    prefilter=False,
)
OBJECT_HEADING = caseless(r"^\s*(objet|d[ée]finition du besoin|description du besoin|contexte)\b")
#: documents that do not bind the titulaire: response frames, guides, models, Q&A and
#: unidentified documents (a notice, subkind "avis", does state the market's terms)
NON_CONTRACTUAL = {"cadre_reponse", "guide", "modele", "qr", "formulaire", ""}
NON_CONTRACTUAL_FACTOR = 0.5
#: a section title names a topic; the requirement is in the text below it
TITLE_FACTOR = 0.5
#: chunks of text whose anchor words a process remembers (about 15 MB at the most)
MAX_KNOWN_CHUNKS = 100_000
KIND_LEVER = {
    DocKind.CCTP: ("specification", "pièce technique (CCTP)"),
    DocKind.BPU: ("specification", "bordereau de prix"),
    DocKind.CCAP: ("clause", "pièce administrative (CCAP)"),
    DocKind.AE: ("clause", "acte d'engagement"),
    DocKind.RC: ("clause", "règlement de la consultation"),
}


@dataclass
class Hit:
    """Words matched by one rule."""

    rule_id: str
    start: int
    end: int
    via: str


@dataclass
class Scored:
    """One hit judged in its context: the unit aggregated into detections."""

    rule: Rule
    lever: str
    score: float
    evidence: Evidence
    explanation: Explanation
    sentence: Sentence


class DocumentScan:
    """Text views of one document shared by the rules (sentences, folded sentences), each
    computed only where a hit asks for it."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.sents = LazySentences(doc.text)
        self._folded: dict[int, str] = {}
        #: context cues already looked for, by context rule and text looked at: the hits of
        #: several rules in one sentence ask the same question
        self.cues: dict[tuple[int, str], str | None] = {}
        self.heading_lines = [(h.start, _line_end(doc.text, h.start)) for h in doc.headings]
        self._toc_pages: dict[int, bool] = {}

    def is_toc(self, sent: Sentence) -> bool:
        """A table-of-contents entry: a title repeated with its page, not a requirement."""
        if TOC_LEADERS.search(self.doc.text, sent.start, sent.end):
            return True
        return self._is_toc_page(self.doc.page_at(sent.start))

    def _is_toc_page(self, number: int) -> bool:
        got = self._toc_pages.get(number)
        if got is None:
            got = self._toc_pages[number] = is_toc_page(self.doc.page_text(number)[1].split("\n"))
        return got

    def is_title(self, sent: Sentence) -> bool:
        """True when the sentence is (part of) section title lines: one, or an article's title
        and its first subsection's run together (« Article 8 – Clause sociale d'insertion » /
        « 8.1 – Engagement du titulaire », no full stop between them)."""
        if sent.end - sent.start >= 200:
            return False
        pos = sent.start
        while pos < sent.end - 1:
            line = next(((start, end) for start, end in self.heading_lines if start <= pos + 3 and pos < end), None)
            if line is None:
                return False
            pos = line[1]
            while pos < sent.end and self.doc.text[pos].isspace():
                pos += 1
        return True

    def sentence(self, offset: int) -> Sentence:
        """The sentence holding an offset."""
        return self.sents.at(offset)

    def raw(self, sent: Sentence) -> str:
        """The sentence's text as written."""
        return self.doc.text[sent.start : sent.end]

    def folded(self, sent: Sentence) -> str:
        """The sentence lowercased without accents (cached: several rules read it)."""
        got = self._folded.get(sent.start)
        if got is None:
            got = fold(self.raw(sent))
            self._folded[sent.start] = got
        return got


def _line_end(text: str, start: int) -> int:
    end = text.find("\n", start)
    return len(text) if end < 0 else end


def find_hits(compiled: CompiledRules, scan: DocumentScan) -> list[Hit]:
    """Every match of every rule in the document (phrases, token patterns, regexes, fuzzy)."""
    text = scan.doc.text
    hits: list[Hit] = []
    windows = [(0, len(text))] if compiled.tokens is not None and len(compiled.tokens) else phrase_windows(compiled, text)
    for lo, hi in windows:
        hits += _matcher_hits(compiled, text, lo, hi)
    titles = [h.start for h in scan.doc.headings]
    for cr in compiled.regexes:
        for m in cr.rx.finditer(text):
            if not _crosses_title(titles, m.start(), m.end()):
                hits.append(Hit(cr.rule.id, m.start(), m.end(), "expression régulière"))
    hits += _fuzzy_hits(compiled, scan, hits)
    return _dedupe(hits)


def _crosses_title(titles: list[int], start: int, end: int) -> bool:
    """A match that runs from one article into the next one's title: its words are about two
    things (a table row « Pénalités de retard … plafonnées à 10 % » without a full stop, then
    « Article 2 – Clause environnementale »).  Rules' expressions stop at a full stop, which
    titles and table rows lack."""
    i = bisect.bisect_right(titles, start)
    return i < len(titles) and titles[i] < end


def phrase_windows(compiled: CompiledRules, text: str) -> list[tuple[int, int]]:
    """Stretches of the text that may hold a phrase match, merged.

    Tokenizing and matching the whole text cost more than reading the PDF, and most of
    a CCTP holds no phrase of the rules.  The words of the text are counted cheaply
    (split on spaces, each distinct chunk tokenized once per process); each phrase is
    anchored on its word that is rarest in this text (a phrase with a missing word cannot
    match at all), and only the stretches around anchor words are tokenized: a match holds
    its anchor and lies within `compiled.window` characters of it.
    """
    counts = dict.fromkeys(compiled.anchor_keys, 0)
    forms: dict[str, set[str]] = {}
    known = compiled.chunk_anchors
    for chunk, n in Counter(text.split()).items():
        pairs = known.get(chunk)
        if pairs is None:
            pairs = _chunk_anchors(compiled, chunk)
            if len(known) >= MAX_KNOWN_CHUNKS:
                known.clear()  # bounded: a worker checks thousands of DCEs
            known[chunk] = pairs
        for word, key in pairs:
            counts[key] += n
            forms.setdefault(key, set()).add(word)
    anchors = set()
    count = counts.__getitem__  # every phrase key is an anchor key: no default needed
    for keys in compiled.phrase_keys:
        if not keys:
            return [(0, len(text))]
        rarest = min(keys, key=count)
        if counts[rarest]:
            anchors.add(rarest)
    spans: list[tuple[int, int]] = []
    for form in {w for key in anchors for w in forms[key]}:
        pos = text.find(form)
        while pos >= 0:
            spans.append((pos, pos + len(form)))
            pos = text.find(form, pos + 1)
    return _merge_windows(text, spans, compiled.window)


def _chunk_anchors(compiled: CompiledRules, chunk: str) -> tuple[tuple[str, str], ...]:
    """The words of a chunk whose key some phrase holds, with their keys."""
    key, anchors = compiled.nlp.key, compiled.anchor_keys
    return tuple((word, k) for word in TOKEN_RE.findall(chunk) if (k := key(word)) in anchors)


def _merge_windows(text: str, spans: list[tuple[int, int]], margin: int) -> list[tuple[int, int]]:
    """Spans widened by `margin` to the nearest whitespace, overlapping ones merged."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        lo = max(0, start - margin)
        hi = min(len(text), end + margin)
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return [(_space_before(text, lo), _space_after(text, hi)) for lo, hi in out]


def _space_before(text: str, pos: int) -> int:
    while pos > 0 and not text[pos - 1].isspace():
        pos -= 1
    return pos


def _space_after(text: str, pos: int) -> int:
    while pos < len(text) and not text[pos].isspace():
        pos += 1
    return pos


def _matcher_hits(compiled: CompiledRules, text: str, lo: int, hi: int) -> list[Hit]:
    """Phrase and token-pattern matches in text[lo:hi], at their offsets in the text."""
    toks = compiled.nlp.tokens(text[lo:hi])
    strings = compiled.nlp.vocab.strings
    hits = []
    for matcher, via in ((compiled.phrase, "expression"), (compiled.tokens, "motif de mots")):
        if matcher is None or not len(matcher):
            continue
        for match_id, s, e in matcher(toks.doc):
            cs, ce = toks.char_span(s, e)
            hits.append(Hit(strings[match_id], lo + cs, lo + ce, via))
    return hits


def _fuzzy_hits(compiled: CompiledRules, scan: DocumentScan, hits: list[Hit]) -> list[Hit]:
    if not compiled.fuzzy or not hits:
        return []
    themes_by_sentence: dict[int, set[str]] = {}
    for h in hits:
        sent = scan.sentence(h.start)
        themes_by_sentence.setdefault(sent.start, set()).add(compiled.rules[h.rule_id].theme or "")
    out = []
    for start, themes in themes_by_sentence.items():
        sent = scan.sentence(start)
        folded = scan.folded(sent)
        for rule, template, threshold in compiled.fuzzy:
            if rule.theme not in themes or fuzz.token_set_ratio(template, folded) < 60:
                continue
            if fuzz.partial_ratio(template, folded) >= threshold:
                out.append(Hit(rule.id, sent.start, sent.end, "clause type"))
    return out


def _dedupe(hits: list[Hit]) -> list[Hit]:
    """One hit per rule and overlapping span (the longest wins)."""
    hits.sort(key=lambda h: (h.rule_id, h.start, -(h.end - h.start)))
    out: list[Hit] = []
    for h in hits:
        if out and out[-1].rule_id == h.rule_id and h.start < out[-1].end:
            continue
        out.append(h)
    return out


def score_hits(compiled: CompiledRules, scan: DocumentScan, hits: list[Hit]) -> list[Scored]:
    """Judge each hit in its sentence; hits of one rule in one sentence count once."""
    out: list[Scored] = []
    seen: set[tuple[str, int]] = set()
    for hit in hits:
        rule = compiled.rules[hit.rule_id]
        sent = scan.sentence(hit.start)
        if (rule.id, sent.start) in seen or scan.is_toc(sent):
            continue
        folded = scan.folded(sent)
        req = compiled.requires.get(rule.id)
        if req is not None and not req.search(folded):
            continue
        seen.add((rule.id, sent.start))
        out.append(_judge(compiled, scan, rule, hit, sent, folded))
    return out


def _judge(compiled: CompiledRules, scan: DocumentScan, rule: Rule, hit: Hit, sent: Sentence, folded: str) -> Scored:
    doc = scan.doc
    raw = scan.raw(sent)
    matched = doc.text[hit.start : hit.end]
    lever, lever_reason = choose_lever(rule, doc, hit.start, raw)
    score = rule.score
    adjustments: list[Adjustment] = []
    excl = compiled.excludes.get(rule.id)
    m = excl.search(folded) if excl is not None else None
    if m:
        score = 0.0
        adjustments.append(Adjustment(rule_id=rule.id, effect="cancel", factor=0.0, cue=m.group()))
    for ctx in compiled.context:
        if score == 0.0:
            break
        cue = _context_cue(ctx, rule, lever, scan, hit, sent, raw, folded, matched)
        if cue:
            factor = 0.0 if ctx.rule.effect == "cancel" else ctx.rule.factor
            score *= factor
            adjustments.append(Adjustment(rule_id=ctx.rule.id, effect=ctx.rule.effect, factor=factor, cue=cue))
    if score > 0 and scan.is_title(sent):
        score *= TITLE_FACTOR
        adjustments.append(Adjustment(rule_id="TITLE", effect="lower", factor=TITLE_FACTOR, cue="titre de section seul"))
    if doc.kind == DocKind.OTHER and doc_subkind(doc) in NON_CONTRACTUAL and score > 0 and lever != "criterion":
        score *= NON_CONTRACTUAL_FACTOR
        adjustments.append(
            Adjustment(rule_id="DOC-KIND", effect="lower", factor=NON_CONTRACTUAL_FACTOR, cue=f"document non contractuel ({doc_subkind(doc) or 'pièce non identifiée'})")
        )
    evidence = make_evidence(doc, hit.start, hit.end, sent)
    explanation = Explanation(
        rule=f"{rule.id} {rule.name}",
        pattern=f"{hit.via} « {matched} »",
        base_score=rule.score,
        adjustments=adjustments,
        lever_reason=lever_reason,
        summary=_summary(rule, matched, evidence, lever_reason, adjustments, score),
    )
    return Scored(rule, lever, round(score, 3), evidence, explanation, sent)


def _context_cue(
    ctx: CompiledContext, rule: Rule, lever: str, scan: DocumentScan, hit: Hit, sent: Sentence, raw: str, folded: str, matched: str
) -> str | None:
    c = ctx.rule
    if rule.theme not in c.themes or (c.categories and rule.category not in c.categories) or lever in c.unless_lever:
        return None
    if ctx.targets is not None and not ctx.targets.search(fold(matched)):
        return None
    doc = scan.doc
    folded_text: str | None = None
    if c.scope == "sentence":
        text, folded_text = raw, folded
    elif c.scope == "near":
        text = doc.text[max(sent.start, hit.start - c.window) : min(sent.end, hit.end + c.window)]
    else:  # the titles of the sections holding the hit
        text = " / ".join(h.title for h in doc.headings_at(hit.start))
        if not text:
            return None
    key = (id(ctx), text)  # the cue depends on the text only
    if key not in scan.cues:
        scan.cues[key] = ctx.cue(text, folded_text if folded_text is not None else fold(text))
    return scan.cues[key]


def choose_lever(rule: Rule, doc: Document, offset: int, sentence: str) -> tuple[str, str]:
    """Where the words stand decides how the consideration is brought into the market."""
    headings = doc.headings_at(offset)
    in_criteria = any(CRITERIA_HEADING.search(h.title) for h in headings)
    weighted = CRITERION_CUE.search(sentence)
    if weighted and (in_criteria or rule.lever == "criterion" or CRITERION_WORD.search(sentence)):
        return "criterion", "phrase de critère d'attribution" + (" (section des critères)" if in_criteria else "")
    if rule.lever in ("insertion", "reserved"):
        return rule.lever, "levier propre à la règle"
    kind = doc.kind_at(offset)
    if kind == DocKind.RC and in_memoir_list(doc.text, offset):
        return "criterion", "contenu demandé au mémoire technique, jugé au titre des critères"
    if headings and OBJECT_HEADING.search(headings[-1].title):
        return "need", f"objet du marché (« {headings[-1].title[:60]} »)"
    if doc.in_title_block(offset):
        return "need", "intitulé du marché (page de garde)"
    if kind in KIND_LEVER:
        lever, why = KIND_LEVER[kind]
        return lever, why
    return rule.lever, "levier par défaut de la règle"


#: the line that opens what the offer's technical memoir must hold: « Un mémoire technique
#: justificatif obligatoire, rédigé en français, détaillant au moins les points suivants : » (a
#: real RC, its items « ✦ Présentation de la démarche d'éco-conception » below)
MEMOIR_INTRO = caseless(r"m[ée]moire\s+(?:technique|justificatif)|note\s+m[ée]thodologique|cadre\s+de\s+r[ée]ponse", prefilter=False)
MEMOIR_LOOKBACK = 800  # characters: the memoir's list is read up to its opening line


def in_memoir_list(text: str, offset: int) -> bool:
    """Whether the line at `offset` is an item of the list of what the memoir must hold: the
    RC asks the candidate to present it, it binds no one and is judged with the offer."""
    start = text.rfind("\n", 0, offset) + 1
    if text[start : offset + 1].lstrip()[:1] not in BULLET_MARKS:
        return False
    for line in reversed(text[max(0, start - MEMOIR_LOOKBACK):start].split("\n")[:-1]):
        s = line.strip()
        if not s:
            return False
        if MEMOIR_INTRO.search(s):
            return True
        if not (s[0] in BULLET_MARKS or s[0].islower()):
            return False  # a sentence or a heading: the list, if any, is not the memoir's
    return False


def doc_subkind(doc: Document) -> str:
    """Finer kind of OTHER documents (response frame, guide, model, Q&A, notice)."""
    return doc.subkind


def _summary(rule: Rule, matched: str, ev: Evidence, lever_reason: str, adjustments: list[Adjustment], score: float) -> str:
    where = f"{file_name(ev)}, p. {ev.page}" + (f", {ev.article}" if ev.article else "")
    parts = [f"Règle {rule.id} « {rule.title} » : « {matched} » trouvé ({where}) ; levier : {lever_reason}."]
    parts += [_adjustment_words(a) for a in adjustments]
    parts.append(_score_words(score))
    return " ".join(parts)


def _adjustment_words(a: Adjustment) -> str:
    verb = "écarté" if a.effect == "cancel" else f"abaissé (×{fmt_number(a.factor)})"
    return f"{verb} par {a.rule_id} : « {a.cue} »."


def _score_words(score: float) -> str:
    return f"Score {fmt_score(score)}" + (" : retenu." if score >= COUNT_THRESHOLD else " : non retenu.")


def set_aside(s: Scored, rule_id: str, cue: str) -> Scored:
    """A scored hit cancelled once the market's other hits are known (the context rules judge
    one sentence alone), said in its explanation as theirs are."""
    why = s.explanation
    cancel = Adjustment(rule_id=rule_id, effect="cancel", factor=0.0, cue=cue)
    head = why.summary.rsplit(" Score ", 1)[0]  # the summary up to its score, which changes
    return replace(s, score=0.0, explanation=why.model_copy(update={
        "adjustments": [*why.adjustments, cancel],
        "summary": f"{head} {_adjustment_words(cancel)} {_score_words(0.0)}",
    }))


def scan_document(compiled: CompiledRules, doc: Document) -> list[Scored]:
    """All scored detections of one document."""
    scan = DocumentScan(doc)
    return score_hits(compiled, scan, find_hits(compiled, scan))
