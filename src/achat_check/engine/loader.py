"""Load and validate rule packs; every error names the file, the rule and the field."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from achat_check.engine.schema import (
    RULEBOOKS,
    AnyRule,
    CheckSpec,
    ContextRule,
    CriterionKindRule,
    Pack,
    Rule,
)
from achat_check.errors import AchatCheckError, library_reason, set_by
from achat_check.resources import data_dir
from achat_check.validation import in_french

#: libyaml's loader parses the packs about ten times faster when it is available
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class RuleSet:
    """The packs in force for one rulebook, and a version that changes with their content."""

    packs: list[Pack]
    rulebook: str
    version: str
    sources: dict[str, Path] = field(default_factory=dict)

    @property
    def rules(self) -> list[Rule]:
        """Detection rules of every pack, the disabled ones left out."""
        return [r for p in self.packs for r in p.rules if r.enabled]

    @property
    def context(self) -> list[ContextRule]:
        """Context rules (what must surround a hit) of every pack, the disabled ones left out."""
        return [c for p in self.packs for c in p.context if c.enabled]

    @property
    def checks(self) -> list[CheckSpec]:
        """Compliance checks of every pack, the disabled ones left out."""
        return [c for p in self.packs for c in p.checks if c.enabled]

    @property
    def criterion_kinds(self) -> list[CriterionKindRule]:
        """Rules that say an award criterion is environmental or social, the disabled ones left out."""
        return [c for p in self.packs for c in p.criterion_kinds if c.enabled]

    def pack_of(self, rule_id: str) -> Pack | None:
        """The pack that holds the rule or check of this id (`rules show` names it and its file)."""
        for p in self.packs:
            if any(r.id == rule_id for r in [*p.all_rules, *p.checks]):
                return p
        return None

    def find(self, given: str) -> AnyRule | CheckSpec | None:
        """A rule or a check as a user names it, disabled or not (`rules show` shows a disabled rule
        too): its id in any case (« env-004 », « payment.delay ») or its name (« env.food_quality »,
        which `rules list` shows beside the id)."""
        key = given.strip().lower()
        for p in self.packs:
            for r in [*p.all_rules, *p.checks]:
                if key in (r.id.lower(), str(getattr(r, "name", "")).lower()):
                    return r
        return None

    def unknown(self, given: str, where: str) -> str:
        """Why `given` names no rule, with the ids nearest to it (« ENV-04 » : ENV-004, ENV-014 ou
        ENV-024 ?) and `where` the list is."""
        from rapidfuzz import fuzz, process

        ids = [r.id for p in self.packs for r in [*p.all_rules, *p.checks]]
        near = [key for _, _, key in process.extract(given.strip().upper(), {i: i.upper() for i in ids}, scorer=fuzz.ratio,
                                                      limit=3, score_cutoff=70)]
        said = f" (voulez-vous dire {', '.join(near[:-1])} ou {near[-1]} ?)" if len(near) > 1 else (
            f" (voulez-vous dire {near[0]} ?)" if near else "")
        return f"règle « {given} » inconnue{said} : {where}."


RULES_SETTING = "ACHAT_CHECK_RULES"


def rule_dirs(extra: Sequence[str | Path] | None = None) -> list[Path]:
    """Packaged packs first, then `--rules` folders, then ACHAT_CHECK_RULES (':'-separated)."""
    return [data_dir("rules"), *(Path(d) for d in (extra or [])), *_setting_dirs()]


def _setting_dirs() -> list[Path]:
    return [Path(d) for d in os.environ.get(RULES_SETTING, "").split(os.pathsep) if d]


#: the lists of a pack whose items are named by their id in an error, and what an item is
ITEMS = {"rules": "règle", "context": "règle", "criterion_kinds": "nature de critère", "checks": "vérification"}
#: the forms a pattern may take, as pydantic names them when it tried each (a union's members)
FORMS = {"str": "texte", "RegexPattern": "{regex: …}", "FuzzyPattern": "{fuzzy: …}"}


def _locate(errors: list[Any], data: dict[str, Any]) -> str:
    """The first errors of a pack, each with its rule (by id) and field, in French."""
    parts = []
    for err in _one_form(errors)[:5]:
        loc = list(err["loc"])
        if len(loc) >= 2 and loc[0] in ITEMS and isinstance(loc[1], int):
            items = data.get(loc[0]) or []
            item = items[loc[1]] if loc[1] < len(items) else None
            rid = item.get("id") if isinstance(item, dict) else None
            field = ".".join(str(x) for x in loc[2:])
            where = (f"{ITEMS[loc[0]]} {rid if isinstance(rid, str) and rid.strip() else f'n°{loc[1] + 1}'}"
                     + (f", champ « {field} »" if field else ""))
        else:
            where = f"champ « {'.'.join(str(x) for x in loc) or 'pack'} »"
        parts.append(f"{where} : {in_french(err)}")
    return " ; ".join(parts)


def _form_of(part: object) -> str | None:
    """The form a loc part names when pydantic tried a union's members (« str »,
    « list[dict[str,any]] », « RegexPattern »), None for a field name or an index."""
    if not isinstance(part, str):
        return None
    if part.startswith("function-after["):  # a string checked by a validator: a regular expression
        return "expression régulière"
    return FORMS.get(part) or ("liste de jetons" if part.startswith("list[") else None)


#: pydantic's errors that say a value is not of a form's type (the author chose another form)
NOT_THIS_FORM = {"string_type", "list_type", "dict_type", "model_type", "model_attributes_type", "int_type",
                 "float_type", "bool_type"}


def _chosen(error: dict[str, Any], base: tuple[Any, ...]) -> bool:
    """True when an error says the value took this form but is wrong inside it: a field of
    it, or its content (a regular expression that does not compile)."""
    return len(error["loc"]) > len(base) or error.get("type") not in NOT_THIS_FORM


def _one_form(errors: list[Any]) -> list[dict[str, Any]]:
    """pydantic's errors with a union's members folded: a pattern that fits no form gave one
    error per form (« patterns.0.str », « patterns.0.list[dict[str,any]] »…). The form the
    author chose (its errors inside it or about its content; the fewest errors first) keeps
    them, its name dropped from the place; a value that fits none says the forms expected."""
    tried: dict[tuple[Any, ...], dict[str, list[dict[str, Any]]]] = {}
    out: list[dict[str, Any] | tuple[Any, ...]] = []
    for err in errors:
        loc = tuple(err["loc"])
        at = next((i for i, part in enumerate(loc) if _form_of(part)), None)
        if at is None:
            out.append(err)
            continue
        base = loc[:at]
        if base not in tried:
            tried[base] = {}
            out.append(base)  # its place in the order of the errors
        tried[base].setdefault(loc[at], []).append({**err, "loc": base + loc[at + 1 :]})
    folded: list[dict[str, Any]] = []
    for item in out:
        if not isinstance(item, tuple):
            folded.append(item)
            continue
        forms = tried[item]
        inside: list[list[dict[str, Any]]] = [errs for errs in forms.values() if any(_chosen(e, item) for e in errs)]
        if inside:
            chosen = min(inside, key=len)
            folded += chosen
        else:
            names = list(dict.fromkeys(str(_form_of(form)) for form in forms))
            said = ", ".join(names[:-1]) + " ou " + names[-1] if len(names) > 1 else names[0]
            folded.append({"loc": item, "type": "forms", "msg": f"forme attendue : {said}"})
    return folded


#: what the YAML parser (libyaml, or PyYAML without it) says of a pack's usual mistakes, in French
YAML_PROBLEMS: tuple[tuple[str, str], ...] = (
    ("node content", "valeur attendue (une liste « [ » ou un dictionnaire « { » non refermé)"),  # both parsers' words
    ("cannot start any token", "caractère qui ne peut pas commencer une valeur : une tabulation (indentez avec des "
                               "espaces), ou « @ », « ` », « % » (mettez la valeur entre guillemets)"),
    ("expected '-' indicator", "indentation incohérente : les éléments d'une liste commencent à la même colonne"),
    ("expected <block end>", "indentation incohérente : les clés d'un même bloc commencent à la même colonne"),
    ("could not find expected ':'", "« : » attendu après la clé (clé: valeur)"),
    ("unexpected end of stream", "guillemet non refermé"),
    ("mapping values are not allowed", "« : » dans une valeur : mettez-la entre guillemets (title: \"Critère : prix\")"),
    ("did not find expected key", "clé attendue : un « - » hors d'une liste, ou une indentation incohérente"),
    ("undefined alias", "« * » en tête de valeur : mettez la valeur entre guillemets"),
    ("expected ',' or '}'", "dictionnaire « { » non refermé"),
    ("expected ',' or ']'", "liste « [ » non refermée"),
)


def _yaml_problem(exc: yaml.YAMLError) -> str:
    said = str(getattr(exc, "problem", None) or exc)
    return next((french for english, french in YAML_PROBLEMS if english in said), said)


def load_pack(path: Path) -> Pack:
    """Read one YAML pack or raise AC-E013 naming the file, rule and field."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except (OSError, UnicodeDecodeError) as exc:
        raise AchatCheckError("AC-E013", f"fichier de règles illisible ({library_reason(exc)}).", str(path)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" ligne {mark.line + 1}" if mark else ""
        raise AchatCheckError("AC-E013", f"YAML invalide{where} : {_yaml_problem(exc)}.", str(path)) from None
    if not isinstance(data, dict):
        raise AchatCheckError("AC-E013", "un pack de règles est un dictionnaire YAML (id, version, rules…).", str(path))
    try:
        return Pack.model_validate(data)
    except ValidationError as exc:
        raise AchatCheckError("AC-E013", _locate(exc.errors(), data), str(path)) from None


def _pack_files(place: Path) -> list[Path]:
    """The YAML packs of a rules folder, or the one pack a buyer wrote (« --rules
    mon-pack.yaml », which was « dossier de règles introuvable »); a folder with none is said
    (its rules were silently not there)."""
    if place.is_file():
        if place.suffix.lower() in (".yaml", ".yml"):
            return [place]
        raise AchatCheckError("AC-E013", "ni un dossier de packs de règles ni un pack YAML : donnez le dossier de vos "
                                         "packs, ou un fichier .yaml.", str(place))
    if not place.is_dir():
        raise AchatCheckError("AC-E013", "dossier de règles introuvable.", str(place))
    packs = sorted(place.glob("*.y*ml"))
    if not packs:
        raise AchatCheckError("AC-E013", "aucun pack de règles (fichier .yaml) dans ce dossier.", str(place))
    return packs


def known_rulebook(rulebook: str) -> str:
    """The rulebook named, or AC-E016 listing those there are (`rules list --rulebook xx`
    listed no rule and said nothing)."""
    if rulebook not in RULEBOOKS:
        raise AchatCheckError("AC-E016", f"référentiel « {rulebook} » inconnu : {' ou '.join(RULEBOOKS)}.")
    return rulebook


def load_rules(rulebook: str = "rso-2025", extra: Sequence[str | Path] | None = None) -> RuleSet:
    """Every pack of the rule folders that applies to the rulebook, ids checked unique."""
    known_rulebook(rulebook)
    packs: list[Pack] = []
    sources: dict[str, Path] = {}
    digest = hashlib.sha256()
    seen: dict[str, Path] = {}
    from_setting = _setting_dirs()
    for folder in rule_dirs(extra):
        with set_by(RULES_SETTING) if folder in from_setting else nullcontext():
            for path in _pack_files(folder):
                pack = load_pack(path)
                for item in [*pack.all_rules, *pack.checks]:
                    if item.id in seen:
                        raise AchatCheckError(
                            "AC-E013", f"règle {item.id} : identifiant déjà utilisé dans {seen[item.id]}.", str(path)
                        )
                    seen[item.id] = path
                if rulebook not in pack.rulebook:
                    continue
                packs.append(pack)
                sources[pack.id] = path
                digest.update(path.read_bytes())
    version = "+".join(sorted({p.version for p in packs})) + "." + digest.hexdigest()[:8] if packs else "none"
    return RuleSet(packs=packs, rulebook=rulebook, version=version, sources=sources)
