"""Compile rule packs once into matchers: a PhraseMatcher, a Matcher, regexes, fuzzy templates.

Measured here: phrase matching on lemmas costs almost nothing whatever the number of
phrases, a token-pattern Matcher costs per pattern, rapidfuzz over every sentence is
the slowest.  So phrases carry most rules, token patterns are few, and fuzzy templates
only run on sentences where a phrase or regex of the same theme already hit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from spacy.matcher import Matcher, PhraseMatcher

from achat_check.accents import fold
from achat_check.caseless import Caseless, caseless
from achat_check.engine.loader import RuleSet
from achat_check.engine.schema import ContextRule, FuzzyPattern, RegexPattern, Rule
from achat_check.errors import AchatCheckError
from achat_check.nlp import FrenchPipeline


def folded_regex(words: list[str]) -> re.Pattern[str] | None:
    """Regex over folded text: each entry is a regex fragment, word-bounded at its start."""
    if not words:
        return None
    return re.compile("|".join(rf"(?<!\w)(?:{fold(w)})" for w in words))


@dataclass
class CompiledContext:
    """A context rule ready to test: patterns on folded and raw text, filters."""

    rule: ContextRule
    folded: re.Pattern[str] | None
    raw: list[re.Pattern[str]]
    targets: re.Pattern[str] | None

    def cue(self, raw_text: str, folded_text: str) -> str | None:
        """The words of the text that trigger this context rule, if any."""
        if self.folded is not None:
            m = self.folded.search(folded_text)
            if m:
                return m.group()
        for rx in self.raw:
            m = rx.search(raw_text)
            if m:
                return m.group()
        return None


@dataclass
class CompiledRules:
    """Everything needed to run the rule packs on a document, built once per process."""

    ruleset: RuleSet
    nlp: FrenchPipeline
    rules: dict[str, Rule] = field(default_factory=dict)
    phrase: PhraseMatcher | None = None
    tokens: Matcher | None = None
    regexes: list[CompiledRegex] = field(default_factory=list)
    fuzzy: list[tuple[Rule, str, int]] = field(default_factory=list)
    requires: dict[str, re.Pattern[str]] = field(default_factory=dict)
    excludes: dict[str, re.Pattern[str]] = field(default_factory=dict)
    context: list[CompiledContext] = field(default_factory=list)
    #: the lemma keys of each phrase: a phrase can only match where all of them occur
    phrase_keys: set[tuple[str, ...]] = field(default_factory=set)
    #: characters a phrase match can stretch on either side of its anchor (generous)
    window: int = 0
    #: every key of `phrase_keys`: the only words whose counts choose the anchors
    anchor_keys: frozenset[str] = frozenset()
    #: chunk of text (between spaces) -> its words whose key is in `anchor_keys`, with
    #: those keys: documents share most of their chunks, so each is tokenized once
    chunk_anchors: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class CompiledRegex:
    """A rule's regex (it skips the texts that lack one of its required words)."""

    rule: Rule
    rx: Caseless
    label: str


#: a line of spaCy's report on a token pattern: « - [pattern -> 0 -> LOWR] Extra inputs are not permitted »
TOKEN_PROBLEM = re.compile(r"^- \[pattern -> (\d+) -> ([^\]]+?)(?: -> [^\]]*)?\] (.*)$", re.M)
TOKEN_SAYS = {"Extra inputs are not permitted": "attribut inconnu (faute de frappe ?)"}


#: a spaCy Matcher pattern: one dict of token attributes per token
TokenPattern = list[dict[str, Any]]


def _add_tokens(matcher: Matcher, ruleset: RuleSet, rule_id: str, patterns: list[TokenPattern]) -> None:
    """Add a rule's token patterns, or AC-E013 naming its file, the rule and each wrong
    token: spaCy checks them only here, and its refusal was an « Erreur interne »."""
    try:
        matcher.add(rule_id, patterns)
    except ValueError as exc:  # spaCy's MatchPatternError
        pack = ruleset.pack_of(rule_id)
        problems = dict.fromkeys(
            f"jeton {int(n) + 1}, « {attr} » : {TOKEN_SAYS.get(said, 'valeur invalide')}"
            for n, attr, said in TOKEN_PROBLEM.findall(str(exc))
        )
        raise AchatCheckError(
            "AC-E013",
            f"règle {rule_id}, motif de jetons invalide : {' ; '.join(problems) or 'forme inattendue'} "
            "(chaque jeton est un dictionnaire comme {LEMMA: « heure »} ou {LOWER: « d' »}).",
            str(ruleset.sources.get(pack.id, pack.id)) if pack else None,
        ) from None


def compile_rules(ruleset: RuleSet, nlp: FrenchPipeline) -> CompiledRules:
    """Build the matchers of every enabled rule and context rule."""
    out = CompiledRules(ruleset=ruleset, nlp=nlp)
    out.phrase = PhraseMatcher(nlp.vocab, attr="LEMMA")
    out.tokens = Matcher(nlp.vocab)
    token_patterns: dict[str, list[TokenPattern]] = {}
    for rule in ruleset.rules:
        out.rules[rule.id] = rule
        phrases = []
        for pat in rule.patterns:
            if isinstance(pat, str):
                phrases.append(nlp.pattern_doc(pat))
                # a number written with spaces ("25 000") is one token but two chunks of
                # text: such keys cannot anchor; a phrase with no other key is looked for
                # everywhere (empty tuple)
                out.phrase_keys.add(tuple(sorted({t.lemma_ for t in phrases[-1] if not any(c.isspace() for c in t.lemma_)})))
                out.window = max(out.window, 2 * len(pat) + 40)
            elif isinstance(pat, list):
                token_patterns.setdefault(rule.id, []).append(pat)
            elif isinstance(pat, RegexPattern):
                out.regexes.append(CompiledRegex(rule, caseless(pat.regex), pat.label or pat.regex))
            elif isinstance(pat, FuzzyPattern):
                out.fuzzy.append((rule, fold(pat.fuzzy), pat.threshold))
        if phrases:
            out.phrase.add(rule.id, phrases)
        if required := folded_regex(rule.requires):
            out.requires[rule.id] = required
        if excluded := folded_regex(rule.excludes):
            out.excludes[rule.id] = excluded
    for rule_id, pats in token_patterns.items():
        _add_tokens(out.tokens, ruleset, rule_id, pats)
    out.anchor_keys = frozenset(k for keys in out.phrase_keys for k in keys)
    for ctx in ruleset.context:
        strings = [p for p in ctx.patterns if isinstance(p, str)]
        raws = [re.compile(p.regex, re.I) for p in ctx.patterns if isinstance(p, RegexPattern)]
        out.context.append(CompiledContext(ctx, folded_regex(strings), raws, folded_regex(ctx.targets)))
    return out
