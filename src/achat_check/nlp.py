"""The French pipeline: a fast tokenizer producing spaCy Docs with lookup lemmas, and sentences.

Measured on the real DCEs of this project: `spacy.blank("fr")` takes 4.7 s to import (its
tokenizer exceptions module) and tokenizes about 65,000 tokens/s, while a regular
expression tokenizer building the same `Doc` (words, spaces) reaches 330,000 tokens/s.
So the vocabulary and matchers are spaCy's, the tokenizer is ours: words, numbers,
elided articles ("l'", "d’") and punctuation, with each token's lemma looked up in
spacy-lookups-data on its lowercase form, then folded to lowercase without accents.  The
folded lemma is the key every phrase rule matches on, so "Écolabels européens",
"ecolabel europeen" and "écolabel européen" are one pattern.

Sentences are cut by rules written for DCE layouts (bullets, table rows, titles without
final stop, legal references such as "L. 2113-12" that must not end a sentence).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc
from spacy.vocab import Vocab

from achat_check.accents import fold
from achat_check.lexicon import lemma_table
from achat_check.structure import BULLET_MARKS

TOKEN_RE = re.compile(
    r"(?:[^\W\d_]{1,3}['’])"  # elided article or pronoun: l' d' qu' jusqu'
    r"|\d+(?:[.,  ]\d{3})*(?:[.,]\d+)?"  # numbers, with thousands separators
    r"|[^\W_]+(?:[-'’][^\W_]+)*"  # words, hyphenated compounds
    r"|\S",
    re.U,
)


@dataclass
class Tokens:
    """A tokenized text: the spaCy Doc and each token's character offset in the text."""

    doc: Doc
    starts: list[int]

    def char_span(self, start_token: int, end_token: int) -> tuple[int, int]:
        """Character offsets of tokens [start_token, end_token)."""
        last = end_token - 1
        return self.starts[start_token], self.starts[last] + len(self.doc[last].text)


class FrenchPipeline:
    """Builds Docs whose LEMMA attribute is the folded lookup lemma; one per process."""

    def __init__(self) -> None:
        self.vocab = Vocab()
        self.table = lemma_table()
        self._cache: dict[str, str] = {}

    def key(self, word: str) -> str:
        """Folded lemma of one word (cached: DCE vocabulary is small)."""
        got = self._cache.get(word)
        if got is None:
            got = fold(self._lemma(word.lower().replace("’", "'")))
            self._cache[word] = got
        return got

    def _lemma(self, low: str) -> str:
        lemma = self.table.get(low)
        if lemma is not None:
            return lemma
        # plurals the table lacks ("écolabels", "réemplois"): try the singular
        if len(low) > 3 and low.endswith(("s", "x")):
            for singular in (low[:-1], low[:-3] + "al" if low.endswith("aux") else ""):
                if singular and singular in self.table:
                    return self.table[singular]
            return low[:-1]
        return low

    def tokens(self, text: str) -> Tokens:
        """Tokenize `text` into a Doc with lemmas; offsets kept for evidence."""
        words: list[str] = []
        starts: list[int] = []
        for m in TOKEN_RE.finditer(text):
            words.append(m.group())
            starts.append(m.start())
        spaces = [
            i + 1 < len(words) and starts[i + 1] > starts[i] + len(words[i]) for i in range(len(words))
        ]
        lemmas = [self.key(w) for w in words]
        return Tokens(Doc(self.vocab, words=words, spaces=spaces, lemmas=lemmas), starts)

    def pattern_doc(self, phrase: str) -> Doc:
        """The Doc of a phrase pattern, tokenized and lemmatized like the texts."""
        return self.tokens(phrase).doc


@lru_cache(maxsize=1)
def pipeline() -> FrenchPipeline:
    """The process-wide pipeline (lemma table loaded once)."""
    return FrenchPipeline()


# --------------------------------------------------------------------------- sentences

BULLET = re.compile(rf"^\s*(?:[{re.escape(BULLET_MARKS)}]|o\s|\(?[a-z]\)|\d{{1,2}}[.)]\s|[ivx]{{1,4}}[.)]\s)")
END_PUNCT = re.compile(r"[.!?;:]\s*$")
SENTENCE_SPLIT = re.compile(r"(?<=[.!?;])\s+(?=[«\"(]?[A-ZÀ-ÝŒ•➢\-–])")
ABBREV_END = re.compile(r"(?:\b(?:art|cf|n|M|Mme|p|pp|al|etc|c|ex|min|max|env|réf|chap)|\b[A-Z])\.$")
MAX_SENTENCE = 700
#: a line ending with a weight, an amount or a figure is a table row drawn without tabs...
TRAILING_FIGURE = re.compile(r"\d\s*(%|€|pts?|points?|HT|TTC)?\s*$", re.I)
#: ... unless the next line goes on in lower case (« dans un délai de 15 » / « jours courant à
#: compter … », a real CCAP), but for a sub-criterion's row (« dont méthodologie 20 % »)
GOES_ON_LOWER = re.compile(r"(?!dont\b)[a-zà-ÿœ]")
#: a line opened by an article number of two levels or more and a capital: « 6.1 Clauses … »,
#: « 8.1 – Engagement du titulaire »
SUB_NUMBERED = re.compile(r"\d{1,2}(?:\.\d{1,2}){1,4}\.?\s*(?:[-–—]\s*)?[A-ZÀ-ÝŒ]")
#: a heading of its own (« ARTICLE 2 – OBJET », « 6. OBLIGATIONS »): the next line is another
NUMBERED_TITLE = re.compile(r"(?:ARTICLE|CHAPITRE|TITRE|SECTION|PARTIE|ANNEXE)\b|\d")
#: a line opened by an article's number and a dash or colon: an article's title
ARTICLE_TITLE = re.compile(r"(?:ARTICLE|Article|ART\.?|Art\.)\s*(?:n°\s*)?\d{1,3}(?:\.\d{1,3}){0,4}\s*[-–—:]\s*\S")
MAX_ARTICLE_TITLE = 160
#: the first word of a line of capitals that goes on the title above it
TITLE_GOES_ON = re.compile(r"(?:DE|DU|DES|D['’]|ET|À|AU|AUX|EN|POUR|PAR|SUR)\b")
#: the rubrics of an RC's summary table, whose rows a PDF gives as lines without a full stop
#: (a real RC's « Objet FOURNITURE DE DENREES ALIMENTAIRES », « Acheteur Direction des achats
#: de l'État … », « Durée / Délai 6 mois »): each row is its own sentence
SUMMARY_ROW = re.compile(
    r"(?:Objet|Acheteur|Pouvoir adjudicateur|Procédure|Forme du marché|Allotissement|Durée|Délai de paiement|Avance"
    r"|Retenue de garantie|Pénalités|Variantes|Critères d'attribution|Clause sociale|Clause environnementale"
    r"|Date limite|Montant)\b"
)
#: a line ending with a web address: an address never goes on with a capital, so a capitalised
#: line under it starts a sentence (a real RC's « https://www.economie.gouv.fr/dae/… » over « La
#: forme du groupement n'est pas imposée. »)
ENDS_WITH_ADDRESS = re.compile(r"(?:https?://|www\.)\S+$", re.I)
CONTINUING_WORDS = {"de", "du", "des", "la", "le", "les", "et", "à", "au", "aux", "en", "par", "pour", "sur", "un", "une", "d'", "l'"}


@dataclass
class Sentence:
    """A sentence of a document: its span in the text."""

    start: int
    end: int


def sentences(text: str) -> list[Sentence]:
    """Sentences of a cleaned document text (page breaks do not end a sentence)."""
    out: list[Sentence] = []
    block_start: int | None = None
    prev_line = ""
    pos = 0
    for line in re.split(r"(?<=[\n\f])", text):
        stripped = line.strip()
        line_start = pos
        pos += len(line)
        if not stripped:
            if block_start is not None:
                _split_block(text, block_start, line_start, out)
                block_start = None
            prev_line = ""
            continue
        if block_start is None:
            block_start = line_start
        elif _starts_new(prev_line, stripped):
            _split_block(text, block_start, line_start, out)
            block_start = line_start
        prev_line = stripped
    if block_start is not None:
        _split_block(text, block_start, len(text), out)
    return out


def _starts_new(prev: str, line: str) -> bool:
    if "\t" in line or "\t" in prev:
        return True  # table rows
    if BULLET.match(line) or TRAILING_FIGURE.search(prev) and not GOES_ON_LOWER.match(line):
        return True
    if END_PUNCT.search(prev) and not ABBREV_END.search(prev):
        return True
    if line[:1].isupper() and ENDS_WITH_ADDRESS.search(prev):
        return True
    if prev.isupper() and line[:1].isupper() and not line.isupper() and prev.split()[-1].lower() not in CONTINUING_WORDS:
        return True  # a long title in capitals, then its text: « V.5. PRECISIONS RELATIVES A … FEMMES » / « Le ministère … »
    if SUMMARY_ROW.match(line) and prev.split()[-1].lower() not in CONTINUING_WORDS:
        return True
    # a short line without final stop followed by a capitalised (or numbered: « 6.1.1 Engagement
    # … », as CCAP headings run one under the other) line: a title; an article's, longer
    # (« Article 6 – Conditions d'exécution à caractère environnemental » / « Le titulaire … »,
    # « 10.1 En lien avec les spécifications techniques des fournitures » / « Le soumissionnaire … »)
    if len(prev) >= 60 and (len(prev) >= MAX_ARTICLE_TITLE or not (ARTICLE_TITLE.match(prev) or SUB_NUMBERED.match(prev))) or not (line[:1].isupper() or SUB_NUMBERED.match(line)) or prev.endswith((",", "-", "'", "’")):
        return False
    if prev.isupper() and line.isupper() and TITLE_GOES_ON.match(line) and not NUMBERED_TITLE.match(prev):
        return False  # a title in capitals over several lines: « … D'INFRASTRUCTURES / DE RECHARGE DE VÉHICULES »
    return prev.split()[-1].lower() not in CONTINUING_WORDS


def _split_block(text: str, start: int, end: int, out: list[Sentence]) -> None:
    block = text[start:end]
    cursor = 0
    for m in SENTENCE_SPLIT.finditer(block):
        if ABBREV_END.search(block[: m.start()]):
            continue
        _emit(text, start + cursor, start + m.start(), out)
        cursor = m.end()
    _emit(text, start + cursor, end, out)


def _emit(text: str, start: int, end: int, out: list[Sentence]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE:
        cut = text.rfind(" ", start, start + MAX_SENTENCE)
        cut = cut if cut > start else start + MAX_SENTENCE
        out.append(Sentence(start, cut))
        start = cut + 1
    if end > start:
        out.append(Sentence(start, end))


class LazySentences:
    """The sentences of a text, cut only around the offsets asked for.

    Whether a line starts a new sentence depends on that line and the non-blank line
    before it only (`_starts_new`), so the run of lines holding an offset can be cut alone
    and gives exactly the sentences `sentences()` gives there.  Detection asks for the
    sentences of its hits only: on a long CCTP a few dozen runs instead of the whole text.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._runs: dict[int, list[Sentence]] = {}

    def at(self, offset: int) -> Sentence:
        """The sentence `sentence_at(sentences(text), ...)` finds for `offset`."""
        start = self._run_start(offset)
        if start is None:  # blank text up to offset: the first sentence of the text
            start = self._next_run(offset)
            if start is None:
                return Sentence(offset, offset)
        sents = self._run(start)
        if not sents:
            return Sentence(offset, offset)
        if sents[0].start <= offset:
            return sentence_at(sents, [s.start for s in sents], offset)
        # offset in the blank lead of its run: the last sentence before, else the first one
        before = self._run_start(start - 1) if start > 0 else None
        earlier = self._run(before) if before is not None else []
        return earlier[-1] if earlier else sents[0]

    def _run(self, start: int) -> list[Sentence]:
        sents = self._runs.get(start)
        if sents is None:
            sents = []
            _split_block(self.text, start, self._run_end(start), sents)
            self._runs[start] = sents
        return sents

    def _line_start(self, offset: int) -> int:
        return max(self.text.rfind("\n", 0, offset), self.text.rfind("\f", 0, offset)) + 1

    def _line_end(self, start: int) -> int:
        """Offset just after the line's terminator (or the text's end)."""
        n = self.text.find("\n", start)
        f = self.text.find("\f", start)
        ends = [e for e in (n, f) if e >= 0]
        return min(ends) + 1 if ends else len(self.text)

    def _line(self, start: int) -> str:
        return self.text[start : self._line_end(start)].strip()

    def _run_start(self, offset: int) -> int | None:
        """Start of the run of lines holding `offset` (the run before it for a blank line);
        None when only blank lines precede."""
        start = self._line_start(offset)
        while not self._line(start):
            if start == 0:
                return None
            start = self._line_start(start - 1)
        while start > 0:
            prev_start = self._line_start(start - 1)
            prev = self._line(prev_start)
            if not prev or _starts_new(prev, self._line(start)):
                return start
            start = prev_start
        return 0

    def _next_run(self, offset: int) -> int | None:
        pos = self._line_start(offset)
        while pos < len(self.text):
            if self._line(pos):
                return pos
            pos = self._line_end(pos)
        return None

    def _run_end(self, start: int) -> int:
        prev = self._line(start)
        pos = self._line_end(start)
        while pos < len(self.text):
            line = self._line(pos)
            if not line or _starts_new(prev, line):
                return pos
            prev = line
            pos = self._line_end(pos)
        return len(self.text)


def sentence_index(sents: list[Sentence]) -> list[int]:
    """Starts of sentences, for bisect lookups."""
    return [s.start for s in sents]


def sentence_at(sents: list[Sentence], starts: list[int], offset: int) -> Sentence:
    """The sentence holding an offset (the closest before it if between sentences)."""
    i = max(bisect.bisect_right(starts, offset) - 1, 0)
    return sents[i]
