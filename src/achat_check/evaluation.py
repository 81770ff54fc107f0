"""Score reports against a gold file: per-field precision, recall, F1, exactness, misses.

A gold file lists markets (paths to their documents, relative to the gold file) with what
a careful reader of the documents expects.  Only the fields a market's gold states are
scored, so a gold file can grow field by field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from achat_check.errors import AchatCheckError, library_reason
from achat_check.model import Criterion, DocKind, MarketReport
from achat_check.report.labels import file_name
from achat_check.validation import in_french

if TYPE_CHECKING:
    from achat_check.checker import Checker

FLAG_FIELDS = ("env_consideration", "social_consideration", "insertion_clause", "facilitator", "reserved", "env_criterion", "social_criterion")


class GoldModel(BaseModel):
    """Gold entries refuse unknown keys: a typo must not silently drop a field."""

    model_config = ConfigDict(extra="forbid")


class GoldInsertion(GoldModel):
    """The insertion clause's hours in a market's gold: the total, and the figure as the text states it."""
    hours: float | None = None
    hours_stated: float | None = None


class GoldMarket(GoldModel):
    """One annotated market: its files and what a correct report says of it (fields left out are not scored)."""
    id: str
    paths: list[str]
    notes: str = ""
    documents: dict[str, DocKind] = Field(default_factory=dict)
    flags: dict[str, bool] = Field(default_factory=dict)
    insertion: GoldInsertion | None = None
    reserved_basis: str | None = None
    criteria: list[dict[str, Any]] | None = None
    criteria_total: float | None = None
    facts: dict[str, Any] = Field(default_factory=dict)
    checks: dict[str, Literal["pass", "fail", "not_applicable", "unknown"]] = Field(default_factory=dict)


class Gold(GoldModel):
    """A gold file: annotated markets, and the false friends no rule may fire on."""
    version: int = 1
    description: str = ""
    false_friends: list[str] = Field(default_factory=list)
    markets: list[GoldMarket]


class FieldScore(BaseModel):
    """Counts and scores of one field over the markets whose gold states it."""

    field: str
    n: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    exact: int = 0

    @property
    def precision(self) -> float:
        """Share of the positives reported that the gold confirms (1.0 when none was reported)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """Share of the gold's positives that were reported (1.0 when the gold has none)."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def accuracy(self) -> float:
        """Share of markets whose value is exactly the gold's (values that are not yes/no included)."""
        return self.exact / self.n if self.n else 1.0


class Miss(BaseModel):
    """One disagreement, with the evidence that explains it."""

    market: str
    field: str
    expected: Any
    got: Any
    evidence: list[str] = Field(default_factory=list)
    notes: str = ""


class EvalResult(BaseModel):
    """Every field's score, the misses, and false-friend detections."""

    gold: str
    markets: int
    fields: list[FieldScore]
    misses: list[Miss]
    false_friend_hits: list[Miss]

    def score(self, name: str) -> FieldScore | None:
        """The score of one field, None when no market of the gold states it."""
        return next((f for f in self.fields if f.field == name), None)


def load_gold(path: str | Path) -> Gold:
    """Read and validate a gold file; errors name the file and the field."""
    p = Path(path)
    try:
        return Gold.model_validate(json.loads(p.read_text(encoding="utf-8")))
    except (OSError, json.JSONDecodeError) as exc:
        raise AchatCheckError("AC-E014", f"fichier d'évaluation illisible ({library_reason(exc)}).", str(p)) from None
    except ValidationError as exc:
        first = exc.errors()[0]
        raise AchatCheckError(
            "AC-E014", f"champ « {'.'.join(str(x) for x in first['loc'])} » : {in_french(first)}.", str(p)
        ) from None


def _flag_evidence(report: MarketReport, field: str) -> list[str]:
    theme = "environmental" if field.startswith("env") else "social"
    dets = report.considerations.environmental if theme == "environmental" else report.considerations.social
    if field.endswith("criterion"):
        dets = [d for d in dets if d.lever == "criterion"]
    elif field == "insertion_clause":
        dets = [d for d in dets if d.category == "insertion_clause" and d.lever != "criterion"]
    elif field == "facilitator":
        dets = [d for d in dets if d.category == "facilitator"]
    elif field == "reserved":
        dets = [d for d in dets if d.category.startswith("reserved")]
    out = []
    for d in dets[:3]:
        e = d.evidence[0]
        out.append(f"{d.rule_id} [{file_name(e)} p. {e.page}] {e.quote[:160]}")
    return out


def _near(a: float | None, b: float | None, tol: float) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= tol * max(abs(b), 1.0)


def score_market(gm: GoldMarket, report: MarketReport, fields: dict[str, FieldScore], misses: list[Miss]) -> None:
    """Add one market's comparisons to the field scores."""

    def field(name: str) -> FieldScore:
        return fields.setdefault(name, FieldScore(field=name))

    got_flags = report.flags.model_dump()
    for name, expected in gm.flags.items():
        f = field(name)
        got = bool(got_flags.get(name))
        f.n += 1
        f.exact += got == expected
        if expected and got:
            f.tp += 1
        elif expected:
            f.fn += 1
            misses.append(Miss(market=gm.id, field=name, expected=True, got=False, notes=gm.notes))
        elif got:
            f.fp += 1
            misses.append(Miss(market=gm.id, field=name, expected=False, got=True, evidence=_flag_evidence(report, name), notes=gm.notes))
        else:
            f.tn += 1
    if gm.insertion is not None and gm.insertion.hours is not None:
        f = field("insertion_hours")
        f.n += 1
        if _near(report.insertion.hours, gm.insertion.hours, 0.0005):
            f.exact += 1
        else:
            misses.append(Miss(market=gm.id, field="insertion_hours", expected=gm.insertion.hours, got=report.insertion.hours,
                               evidence=[report.insertion.hours_basis or "aucune heure lue"]))
    if gm.documents:
        f = field("document_kind")
        got_kinds = {d.name: d.kind for d in report.documents}
        for name, kind in gm.documents.items():
            f.n += 1
            if got_kinds.get(name) == kind:
                f.exact += 1
            else:
                misses.append(Miss(market=gm.id, field="document_kind", expected=f"{name}: {kind}", got=str(got_kinds.get(name))))
    _score_criteria(gm, report, field, misses)
    _score_facts(gm, report, field, misses)
    _score_checks(gm, report, field, misses)
    if "reserved_basis" in gm.model_fields_set and gm.reserved_basis is not None:
        f = field("reserved_basis")
        f.n += 1
        basis = report.reserved.basis or ""
        if basis.startswith(gm.reserved_basis):
            f.exact += 1
        else:
            misses.append(Miss(market=gm.id, field="reserved_basis", expected=gm.reserved_basis, got=basis))


FACT_TOLERANCE = {"estimated_amount_ht": 0.01}


def _weights(criteria: list[Any], depth: int = 0, with_subs: bool = True) -> list[tuple[int, float | None]]:
    out = []
    for c in criteria:
        w = c.get("weight") if isinstance(c, dict) else c.weight
        sub = (c.get("sub") or []) if isinstance(c, dict) else c.sub
        out.append((depth, None if w is None else round(float(w), 2)))
        if with_subs:
            out += _weights(sub, depth + 1)
    return out


def _score_criteria(gm: GoldMarket, report: MarketReport, field: Callable[[str], FieldScore], misses: list[Miss]) -> None:
    if gm.criteria is None:
        return
    got = [c.model_dump() for c in report.criteria]
    top = field("criteria_weights")
    top.n += 1
    if _weights(gm.criteria, with_subs=False) == _weights(got, with_subs=False):
        top.exact += 1
    else:
        misses.append(Miss(market=gm.id, field="criteria_weights", expected=_weights(gm.criteria, with_subs=False),
                           got=_weights(got, with_subs=False), evidence=[c.name for c in report.criteria]))
    if any(c.get("sub") for c in gm.criteria):
        sub = field("criteria_sub_weights")
        sub.n += 1
        if _weights(gm.criteria) == _weights(got):
            sub.exact += 1
        else:
            misses.append(Miss(market=gm.id, field="criteria_sub_weights", expected=_weights(gm.criteria), got=_weights(got)))
    kinds = field("criteria_kind")
    for g, r in _paired_criteria(gm.criteria, report.criteria):
        if g.get("kind"):
            kinds.n += 1
            if g["kind"] == r.kind:
                kinds.exact += 1
            else:
                misses.append(Miss(market=gm.id, field="criteria_kind", expected=f"{g.get('name')}: {g['kind']}", got=f"{r.name}: {r.kind}"))
    if gm.criteria_total is not None:
        total = field("criteria_total")
        total.n += 1
        if _near(report.criteria_total, gm.criteria_total, 0.0001):
            total.exact += 1
        else:
            misses.append(Miss(market=gm.id, field="criteria_total", expected=gm.criteria_total, got=report.criteria_total))


def _paired_criteria(gold: list[dict[str, Any]], got: list[Criterion]) -> Iterator[tuple[dict[str, Any], Criterion]]:
    """Gold and found criteria side by side, in order, at every level (sub-criteria too)."""
    for g, r in zip(gold, got, strict=False):
        yield g, r
        yield from _paired_criteria(g.get("sub") or [], r.sub)


def _score_facts(gm: GoldMarket, report: MarketReport, field: Callable[[str], FieldScore], misses: list[Miss]) -> None:
    got = report.facts.model_dump(mode="json")
    for name, expected in gm.facts.items():
        f = field(f"facts.{name}")
        f.n += 1
        value = len(got["lots"]) if name == "lots" else got.get(name)
        if name in FACT_TOLERANCE and expected is not None and value is not None:
            ok = _near(float(value), float(expected), FACT_TOLERANCE[name])
        else:
            ok = value == expected
        if ok:
            f.exact += 1
        else:
            ev = report.facts.evidence.get(name, [])
            misses.append(Miss(market=gm.id, field=f"facts.{name}", expected=expected, got=value,
                               evidence=[f"[{file_name(e)} p. {e.page}] {e.quote[:160]}" for e in ev[:2]]))


def _score_checks(gm: GoldMarket, report: MarketReport, field: Callable[[str], FieldScore], misses: list[Miss]) -> None:
    """Each expected verdict exactly; over all checks, `fail` as the positive class (P/R/F1)."""
    reasons = {c.id: c.reason for c in report.check_details}
    for check_id, expected in gm.checks.items():
        got = report.checks.get(check_id)
        one, all_ = field(f"checks.{check_id}"), field("checks")
        for f in (one, all_):
            f.n += 1
            f.exact += got == expected
        if expected == "fail":
            all_.tp += got == "fail"
            all_.fn += got != "fail"
        else:
            all_.fp += got == "fail"
            all_.tn += got != "fail"
        if got != expected:
            misses.append(Miss(market=gm.id, field=f"checks.{check_id}", expected=expected, got=got,
                               evidence=[reasons.get(check_id, "vérification absente du rapport")]))


def false_friend_hits(gm: GoldMarket, report: MarketReport, patterns: list[re.Pattern[str]]) -> list[Miss]:
    """Counted detections whose matched words are covered by a known false friend."""
    out = []
    for det in report.considerations.environmental + report.considerations.social:
        for ev in det.evidence:
            at = ev.quote.find(ev.matched) if ev.matched else -1
            for rx in patterns:
                if any(at < 0 or (m.start() < at + len(ev.matched or "") and m.end() > at) for m in rx.finditer(ev.quote)):
                    out.append(Miss(market=gm.id, field="false_friend", expected=rx.pattern, got=det.rule_id,
                                    evidence=[f"[{file_name(ev)} p. {ev.page}] {ev.quote[:200]}"]))
    return out


def evaluate(gold_path: str | Path, checker: Checker, only: list[str] | None = None) -> tuple[EvalResult, dict[str, MarketReport]]:
    """Check every market of the gold file and score the reports."""
    gold = load_gold(gold_path)
    base = Path(gold_path).resolve().parent
    fields: dict[str, FieldScore] = {}
    misses: list[Miss] = []
    ff_hits: list[Miss] = []
    patterns = [re.compile(p, re.I) for p in gold.false_friends]
    reports: dict[str, MarketReport] = {}
    ids = [g.id for g in gold.markets]
    unknown = [m for m in only or [] if m not in ids]
    if unknown:  # a typo evaluated nothing and printed an empty table
        raise AchatCheckError("AC-E016", f"--market {', '.join(unknown)} : absent(s) du fichier d'annotations ; ses marchés : "
                              f"{', '.join(ids)}.", str(gold_path))
    markets = [m for m in gold.markets if not only or m.id in only]
    for gm in markets:
        paths = [str((base / p).resolve()) for p in gm.paths]
        missing = [p for p in paths if not Path(p).exists()]
        if missing:
            raise AchatCheckError("AC-E014", f"marché « {gm.id} » : chemin introuvable {missing[0]}.", str(gold_path))
        report = checker.check(paths)
        reports[gm.id] = report
        score_market(gm, report, fields, misses)
        ff_hits += false_friend_hits(gm, report, patterns)
    order = {name: i for i, name in enumerate([*FLAG_FIELDS, "insertion_hours", "reserved_basis", "document_kind",
                                                  "criteria_weights", "criteria_sub_weights", "criteria_kind", "criteria_total"])}
    ordered = sorted(fields.values(), key=lambda f: (order.get(f.field, 99), f.field))
    return EvalResult(gold=str(gold_path), markets=len(markets), fields=ordered, misses=misses, false_friend_hits=ff_hits), reports
