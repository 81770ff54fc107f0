"""Checks every pack must pass beyond its schema: examples, legal basis, unique names."""

from __future__ import annotations

from achat_check.engine.loader import RuleSet


def lint(ruleset: RuleSet) -> list[str]:
    """Problems found, each naming the pack file and the rule (empty when all is well)."""
    problems: list[str] = []
    names: dict[str, str] = {}
    for pack in ruleset.packs:
        where = ruleset.sources.get(pack.id, pack.id)
        for rule in pack.all_rules:
            label = f"{where} : règle {rule.id}"
            if rule.name in names:
                problems.append(f"{label} : nom « {rule.name} » déjà pris par {names[rule.name]}")
            names[rule.name] = rule.id
            if not rule.examples.positive:
                problems.append(f"{label} : aucun exemple positif")
            if not rule.examples.negative:
                problems.append(f"{label} : aucun exemple négatif")
            if not rule.rationale.strip():
                problems.append(f"{label} : justification (rationale) vide")
        for rule in pack.rules:
            label = f"{where} : règle {rule.id}"
            if not rule.legal_basis.strip() or "?" in rule.legal_basis:
                problems.append(f"{label} : base légale absente ou incomplète")
            if not rule.message.strip():
                problems.append(f"{label} : message vide")
            if not rule.suggestion.strip():
                problems.append(f"{label} : pas de rédaction proposée (suggestion)")
            prefix = rule.id.split("-")[0]
            expected = {"ENV": "environmental", "SOC": "social", "INS": "social", "RES": "social"}.get(prefix)
            if expected and rule.theme != expected:
                problems.append(f"{label} : préfixe {prefix} incohérent avec le thème {rule.theme}")
    return problems + _lint_checks(ruleset)


def _lint_checks(ruleset: RuleSet) -> list[str]:
    """Every verification has its logic, every logic its texts, every failure its wording."""
    from achat_check.checks import REGISTRY, load_logic

    load_logic()
    problems = []
    specs = {c.id: c for c in ruleset.checks}
    for spec in ruleset.checks:
        label = f"vérification {spec.id}"
        if spec.id not in REGISTRY:
            problems.append(f"{label} : aucune logique enregistrée dans achat_check.checks")
        if not spec.suggestion.strip() or not spec.message_fail.strip():
            problems.append(f"{label} : message ou rédaction proposée vide")
        if not spec.legal_basis.strip():
            problems.append(f"{label} : base légale vide")
    if ruleset.checks:
        problems += [f"vérification {cid} : logique sans texte dans les packs (verifications.yaml)" for cid in REGISTRY if cid not in specs]
    return problems
