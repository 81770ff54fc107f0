"""Compile rule packs once into matchers: a PhraseMatcher, a Matcher, regexes, fuzzy templates.

Measured here: phrase matching on lemmas costs almost nothing whatever the number of
phrases, a token-pattern Matcher costs per pattern, rapidfuzz over every sentence is
the slowest.  So phrases carry most rules, token patterns are few, and fuzzy templates
only run on sentences where a phrase or regex of the same theme already hit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.matcher import Matcher, PhraseMatcher

from achat_check.engine.loader import RuleSet
from achat_check.engine.schema import ContextRule, FuzzyPattern, RegexPattern, Rule
from achat_check.nlp import FrenchPipeline, fold


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


@dataclass(frozen=True)
class CompiledRegex:
    """A rule's regex, with the words any match must contain (one of each group)."""

    rule: Rule
    rx: re.Pattern[str]
    label: str
    anchors: tuple[tuple[str, ...], ...] = ()

    def may_match(self, doc) -> bool:
        """False when the document lacks every word of some required group."""
        return all(doc.mentions(*group) for group in self.anchors)


MIN_ANCHOR = 3


def regex_anchors(pattern: str) -> tuple[tuple[str, ...], ...]:
    """Groups of lowercase literals: every match of `pattern` contains a word of each group.

    Read from the parsed pattern: literal runs, and alternations whose every branch has
    one, that the match cannot skip.  A document whose lowercased text lacks a whole group
    cannot match, so the regex is not run over it: the regex rules cost most of the
    detection time on long CCTPs, and most of them never match there.
    """
    from re import _constants as sre
    from re import _parser

    def best(groups: list[set[str]]) -> set[str] | None:
        return max(groups, key=lambda g: (min(len(w) for w in g), -len(g)), default=None)

    def seq(items) -> list[set[str]]:
        groups: list[set[str]] = []
        run: list[str] = []
        for op, av in items:
            if op is sre.LITERAL:
                run.append(chr(av))
                continue
            if run:
                groups.append({"".join(run).lower()})
                run = []
            groups += item(op, av)
        if run:
            groups.append({"".join(run).lower()})
        return [g for g in groups if min(len(w) for w in g) >= MIN_ANCHOR]

    def item(op, av) -> list[set[str]]:
        if op is sre.SUBPATTERN:
            return seq(av[3])
        if op is sre.BRANCH:
            union: set[str] = set()
            for branch in av[1]:
                got = best(seq(branch))
                if not got:
                    return []
                union |= got
            return [union]
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and av[0] >= 1:
            return seq(av[2])
        return []

    try:
        groups = seq(_parser.parse(pattern))
    except Exception:  # noqa: BLE001 - a pattern we cannot read is simply never skipped
        return ()
    return tuple(dict.fromkeys(tuple(sorted(g)) for g in groups))


def compile_rules(ruleset: RuleSet, nlp: FrenchPipeline) -> CompiledRules:
    """Build the matchers of every enabled rule and context rule."""
    out = CompiledRules(ruleset=ruleset, nlp=nlp)
    out.phrase = PhraseMatcher(nlp.vocab, attr="LEMMA")
    out.tokens = Matcher(nlp.vocab)
    token_patterns: dict[str, list] = {}
    for rule in ruleset.rules:
        out.rules[rule.id] = rule
        phrases = []
        for pat in rule.patterns:
            if isinstance(pat, str):
                phrases.append(nlp.pattern_doc(pat))
            elif isinstance(pat, list):
                token_patterns.setdefault(rule.id, []).append(pat)
            elif isinstance(pat, RegexPattern):
                out.regexes.append(CompiledRegex(rule, re.compile(pat.regex, re.I), pat.label or pat.regex, regex_anchors(pat.regex)))
            elif isinstance(pat, FuzzyPattern):
                out.fuzzy.append((rule, fold(pat.fuzzy), pat.threshold))
        if phrases:
            out.phrase.add(rule.id, phrases)
        if rule.requires:
            out.requires[rule.id] = folded_regex(rule.requires)
        if rule.excludes:
            out.excludes[rule.id] = folded_regex(rule.excludes)
    for rule_id, pats in token_patterns.items():
        out.tokens.add(rule_id, pats)
    for ctx in ruleset.context:
        strings = [p for p in ctx.patterns if isinstance(p, str)]
        raws = [re.compile(p.regex, re.I) for p in ctx.patterns if isinstance(p, RegexPattern)]
        out.context.append(CompiledContext(ctx, folded_regex(strings), raws, folded_regex(ctx.targets)))
    return out
