"""Load and validate rule packs; every error names the file, the rule and the field."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from achat_check.engine.schema import AnyRule, CheckSpec, ContextRule, CriterionKindRule, Pack, Rule
from achat_check.errors import AchatCheckError, library_reason
from achat_check.resources import data_dir

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

    def rule(self, rule_id: str) -> AnyRule | None:
        """The rule of this id, disabled or not (`rules show` shows a disabled rule too)."""
        for p in self.packs:
            for r in p.all_rules:
                if r.id == rule_id:
                    return r
        return None

    def pack_of(self, rule_id: str) -> Pack | None:
        """The pack that holds the rule of this id (`rules show` names it and its file)."""
        for p in self.packs:
            if any(r.id == rule_id for r in p.all_rules):
                return p
        return None


def rule_dirs(extra: Sequence[str | Path] | None = None) -> list[Path]:
    """Packaged packs first, then `--rules` folders, then ACHAT_CHECK_RULES (':'-separated)."""
    dirs = [data_dir("rules")]
    dirs += [Path(d) for d in (extra or [])]
    env = os.environ.get("ACHAT_CHECK_RULES")
    if env:
        dirs += [Path(d) for d in env.split(os.pathsep) if d]
    return dirs


def _locate(errors: list, data: dict) -> str:
    parts = []
    for err in errors[:5]:
        loc = list(err["loc"])
        where = ""
        if len(loc) >= 2 and loc[0] in ("rules", "context") and isinstance(loc[1], int):
            items = data.get(loc[0]) or []
            rid = items[loc[1]].get("id", f"n°{loc[1] + 1}") if loc[1] < len(items) and isinstance(items[loc[1]], dict) else f"n°{loc[1] + 1}"
            where = f"règle {rid}, champ « {'.'.join(str(x) for x in loc[2:]) or loc[0]} »"
        else:
            where = f"champ « {'.'.join(str(x) for x in loc) or 'pack'} »"
        parts.append(f"{where} : {err['msg']}")
    return " ; ".join(parts)


def load_pack(path: Path) -> Pack:
    """Read one YAML pack or raise AC-E013 naming the file, rule and field."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except (OSError, UnicodeDecodeError) as exc:
        raise AchatCheckError("AC-E013", f"fichier de règles illisible ({library_reason(exc)}).", str(path)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" ligne {mark.line + 1}" if mark else ""
        raise AchatCheckError("AC-E013", f"YAML invalide{where} : {getattr(exc, 'problem', exc)}.", str(path)) from None
    if not isinstance(data, dict):
        raise AchatCheckError("AC-E013", "un pack de règles est un dictionnaire YAML (id, version, rules…).", str(path))
    try:
        return Pack.model_validate(data)
    except ValidationError as exc:
        raise AchatCheckError("AC-E013", _locate(exc.errors(), data), str(path)) from None


def load_rules(rulebook: str = "rso-2025", extra: Sequence[str | Path] | None = None) -> RuleSet:
    """Every pack of the rule folders that applies to the rulebook, ids checked unique."""
    packs: list[Pack] = []
    sources: dict[str, Path] = {}
    digest = hashlib.sha256()
    seen: dict[str, Path] = {}
    for folder in rule_dirs(extra):
        if not folder.is_dir():
            raise AchatCheckError("AC-E013", "dossier de règles introuvable.", str(folder))
        for path in sorted(folder.glob("*.y*ml")):
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
