"""Generate docs/rules.md from the packs: every rule, its basis, patterns and examples."""

from __future__ import annotations

from typing import Any

from achat_check.engine.loader import RuleSet
from achat_check.engine.schema import FuzzyPattern, RegexPattern
from achat_check.extract.numbers import fmt_number

LEVERS = {
    "clause": "condition d'exécution", "specification": "spécification technique", "criterion": "critère d'attribution",
    "need": "définition du besoin", "reserved": "marché réservé", "insertion": "clause d'insertion",
}


def _pattern(p: RegexPattern | FuzzyPattern | str | list[dict[str, Any]]) -> str:
    """A rule's pattern as the docs list it (a list of token specs is « motif de mots »)."""
    if isinstance(p, str):
        return f"« {p} »"
    if isinstance(p, RegexPattern):
        return f"regex {p.label or p.regex}"
    if isinstance(p, FuzzyPattern):
        return f"clause type ({p.threshold}) « {p.fuzzy[:60]} »"
    return "motif de mots"


def rules_markdown(ruleset: RuleSet) -> str:
    """The reference of every rule and context rule, in French."""
    out = [
        "# Règles d'achat-check",
        "",
        "Page générée par `achat-check rules docs` à partir des packs YAML de `rules/` : ne pas la modifier à la main.",
        f"Référentiel : `{ruleset.rulebook}` · version des règles : `{ruleset.version}`.",
        "",
        "Une détection est retenue quand son score atteint 0,5 : score de base de la règle, multiplié par les",
        "règles de contexte qui s'appliquent, par 0,5 pour un titre de section seul et par 0,5 dans un",
        "document non contractuel (cadre de réponse, guide, modèle, questions-réponses).",
        "",
    ]
    for pack in ruleset.packs:
        out += [f"## {pack.title} (`{pack.id}`, version {pack.version})", ""]
        for r in pack.rules:
            out += [
                f"### {r.id} — {r.title}",
                "",
                f"- nom : `{r.name}` · thème : {r.theme} · catégorie : `{r.category}` · levier par défaut : {LEVERS[r.lever]} · score : {fmt_number(r.score)}",
                f"- base légale : {r.legal_basis}",
                f"- pourquoi : {r.rationale}",
                f"- motifs : {', '.join(_pattern(p) for p in r.patterns)}",
            ]
            if r.requires:
                out.append(f"- la phrase doit contenir : {', '.join(r.requires)}")
            out += [f"- message : {r.message}", f"- rédaction proposée : {r.suggestion}"]
            out += [f"- exemple retenu : « {e} »" for e in r.examples.positive]
            out += [f"- exemple écarté : « {e} »" for e in r.examples.negative]
            out.append("")
        for k in pack.criterion_kinds:
            out += [
                f"### {k.id} — {k.title}",
                "",
                f"- nom : `{k.name}` · nature : `{k.kind}`",
                f"- pourquoi : {k.rationale}",
                f"- mots : {', '.join(f'`{p}`' for p in k.patterns)}",
                f"- exemples : {', '.join(f'« {e} »' for e in k.examples.positive)}",
                "",
            ]
        for c in pack.context:
            effect = "annule" if c.effect == "cancel" else f"abaisse (×{fmt_number(c.factor)})"
            out += [
                f"### {c.id} — {c.title}",
                "",
                f"- nom : `{c.name}` · effet : {effect} · portée : {c.scope}" + (f" ({c.window} caractères)" if c.scope == "near" else ""),
                f"- pourquoi : {c.rationale}",
                f"- indices : {', '.join(_pattern(p) for p in c.patterns)}",
            ]
            if c.targets:
                out.append(f"- seulement si les mots trouvés contiennent : {', '.join(c.targets)}")
            if c.categories:
                out.append(f"- catégories visées : {', '.join(c.categories)}")
            out += [f"- exemple : « {e} »" for e in c.examples.positive]
            out.append("")
        for v in pack.checks:
            kind = {"obligation": "obligation légale", "recommendation": "recommandation", "information": "information"}[v.kind]
            out += [
                f"### `{v.id}` — {v.title}",
                "",
                f"- nature : {kind} · référentiels : {', '.join(v.rulebooks)}"
                + (f" · en vigueur depuis le {v.effective_from:%d/%m/%Y}" if v.effective_from else ""),
                f"- base légale : {v.legal_basis}",
                *(f"- base légale citée sous {book} : {basis}" for book, basis in v.legal_basis_by_rulebook.items()),
                f"- portée : {v.scope}",
                f"- recherché : {v.searched}",
                f"- message en cas d'échec : {v.message_fail}",
                "- rédaction proposée :",
                "",
                "```text",
                v.suggestion.strip(),
                "```",
                "",
            ]
            if v.suggestion_unknown:
                out += ["- rédaction proposée quand la vérification est impossible :", "", "```text", v.suggestion_unknown.strip(), "```", ""]
    return "\n".join(out).rstrip() + "\n"
