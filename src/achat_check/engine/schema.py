"""The one schema every rule pack must follow (YAML, validated strictly at load).

A pattern's form picks its matcher:
- a string is a phrase, matched on folded lemmas ("écolabels européens" = "Écolabel européen");
- a list is a spaCy token pattern (`[{"LEMMA": "heure"}, {"LOWER": "d'"}, ...]`);
- `{regex: "..."}` a regular expression on the text (case-insensitive);
- `{fuzzy: "...", threshold: 85}` a model clause compared with rapidfuzz, only on sentences
  where a phrase or regex of the same pack already hit.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

Theme = Literal["environmental", "social"]
Lever = Literal["clause", "specification", "criterion", "need", "reserved", "insertion"]
Rulebook = Literal["rso-2025", "plan-cadre-2015"]
#: the rulebooks a pack, a check, a batch or the indicators may name
RULEBOOKS: tuple[str, ...] = get_args(Rulebook)


class Strict(BaseModel):
    """Refuse unknown fields: a typo in a YAML key must fail with its name."""

    model_config = ConfigDict(extra="forbid")


def _compiles(value: str) -> str:
    """A regular expression is refused at load, with the file, rule and field, rather than
    when the first DCE is checked (« Erreur interne »); one that matches the empty text would
    silently mark every sentence (a context rule cancelling all, an `excludes` refusing all)."""
    try:
        compiled = re.compile(value)
    except re.error as exc:
        raise ValueError(f"expression régulière invalide : {exc}") from None
    if compiled.match("") is not None:  # « "" », « (recyclé)? »: found in every sentence
        raise ValueError("expression qui trouve aussi un texte vide, donc chaque phrase (un « ? » ou « * » sur tout "
                         "le motif, ou une chaîne vide) : donnez au moins un mot obligatoire")
    return value


#: a field read as a regular expression (or a fragment of one, joined with others)
Regex = Annotated[str, AfterValidator(_compiles)]


class RegexPattern(Strict):
    """A regular expression searched in the document text."""

    regex: Regex
    label: str | None = None


class FuzzyPattern(Strict):
    """A model clause compared to candidate sentences with rapidfuzz."""

    fuzzy: str
    threshold: int = Field(85, ge=50, le=100)


Pattern = str | list[dict[str, Any]] | RegexPattern | FuzzyPattern


class Examples(Strict):
    """Sentences a rule must (positive) or must not (negative) detect; todo = known gaps."""

    positive: list[str] = Field(default_factory=list)
    negative: list[str] = Field(default_factory=list)
    todo: list[str] = Field(default_factory=list)


class Rule(Strict):
    """A detection rule: what it finds, why it counts, what to tell the buyer."""

    id: str = Field(pattern=r"^[A-Z]{2,5}-\d{3}$")
    name: str = Field(pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")
    title: str
    rationale: str
    legal_basis: str
    effective_from: date | None = None
    until: date | None = None
    theme: Theme | None = None
    category: str
    lever: Lever = "clause"
    score: float = Field(0.8, ge=0, le=1)
    patterns: list[Pattern] = Field(min_length=1)
    requires: list[Regex] = Field(default_factory=list, description="mots dont l'un doit figurer dans la phrase")
    excludes: list[Regex] = Field(default_factory=list, description="mots qui écartent la phrase (faux amis)")
    severity: Literal["info", "warning", "error"] = "info"
    message: str
    suggestion: str = ""
    examples: Examples
    enabled: bool = True


class ContextRule(Strict):
    """A cue that lowers or cancels a detection near it, and says so in its explanation."""

    id: str = Field(pattern=r"^CTX-\d{3}$")
    name: str = Field(pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")
    title: str
    rationale: str
    effect: Literal["cancel", "lower"]
    factor: float = Field(0.0, ge=0, le=1)
    scope: Literal["sentence", "near", "heading"] = "sentence"
    window: int = Field(60, ge=0, le=400, description="caractères autour des mots trouvés (scope near)")
    patterns: list[RegexPattern | Regex] = Field(min_length=1)
    targets: list[Regex] = Field(default_factory=list, description="ne s'applique que si les mots trouvés contiennent l'un de ces mots")
    themes: list[Theme] = Field(default_factory=lambda: list(get_args(Theme)))
    categories: list[str] = Field(default_factory=list, description="ne s'applique qu'à ces catégories de règles")
    unless_lever: list[Lever] = Field(default_factory=list)
    examples: Examples
    enabled: bool = True

    @model_validator(mode="after")
    def _factor_matches_effect(self) -> ContextRule:
        if self.effect == "cancel" and self.factor != 0:
            raise ValueError("effect: cancel demande factor: 0")
        if self.effect == "lower" and not 0 < self.factor < 1:
            raise ValueError("effect: lower demande 0 < factor < 1")
        return self


class CriterionKindRule(Strict):
    """Words of a criterion's name that tell its kind; the first matching rule wins."""

    id: str = Field(pattern=r"^CRI-\d{3}$")
    name: str = Field(pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")
    kind: Literal["price", "cost", "technical", "environmental", "social", "sustainable", "delay", "other"]
    title: str
    rationale: str
    patterns: list[Regex] = Field(min_length=1, description="expressions régulières sur le nom en minuscules sans accents")
    examples: Examples
    enabled: bool = True


#: a rule of any of the three sorts a pack holds
AnyRule = Rule | ContextRule | CriterionKindRule


class CheckSpec(Strict):
    """Texts of a verification (its logic lives in achat_check.checks, keyed by id)."""

    id: str = Field(pattern=r"^[a-z]+\.[a-z0-9_]+$")
    title: str
    kind: Literal["obligation", "recommendation", "information"]
    rulebooks: list[Rulebook] = Field(min_length=1)
    legal_basis: str
    legal_basis_by_rulebook: dict[Rulebook, str] = Field(default_factory=dict, description=(
        "la base citée à la place de legal_basis dans les rapports d'un référentiel (le Plan cadre 2015 pour les "
        "années passées : ses propres enjeux, pas ceux du Référentiel RSO 2025)"))
    effective_from: date | None = None
    scope: str
    searched: str
    message_fail: str
    suggestion: str
    suggestion_unknown: str = Field("", description="rédaction proposée quand la vérification est impossible (sinon : suggestion)")
    enabled: bool = True

    def basis(self, rulebook: str) -> str:
        """The legal basis a report under `rulebook` cites."""
        basis: str = self.legal_basis_by_rulebook.get(rulebook, self.legal_basis)  # type: ignore[call-overload]
        return basis


class Pack(Strict):
    """A YAML pack: one theme, its rules or its context rules."""

    id: str = Field(pattern=r"^[a-z_]+$")
    version: str
    language: Literal["fr"] = "fr"
    rulebook: list[Rulebook] = Field(default_factory=lambda: list(get_args(Rulebook)))
    title: str
    theme: Theme | None = None
    rules: list[Rule] = Field(default_factory=list)
    context: list[ContextRule] = Field(default_factory=list)
    criterion_kinds: list[CriterionKindRule] = Field(default_factory=list)
    checks: list[CheckSpec] = Field(default_factory=list)

    @property
    def all_rules(self) -> list[AnyRule]:
        """Its rules of every sort (each has an id, a name, examples and a rationale)."""
        return [*self.rules, *self.context, *self.criterion_kinds]

    @model_validator(mode="after")
    def _themes(self) -> Pack:
        for rule in self.rules:
            if rule.theme is None:
                if self.theme is None:
                    raise ValueError(f"règle {rule.id} : theme manquant (ni sur la règle ni sur le pack)")
                rule.theme = self.theme
        return self


def json_schema() -> dict[str, Any]:
    """The JSON schema of a pack, exported for editors and docs."""
    return Pack.model_json_schema()
