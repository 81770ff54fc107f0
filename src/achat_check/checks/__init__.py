"""Verdicts: each check turns the report's facts and detections into pass, fail,
not_applicable or unknown, with its reason and evidence, and a failing check into a finding
with the wording a buyer can paste.

A check never answers `pass` for lack of a fact: a missing date, procedure or weight gives
`unknown` and says what is missing.  Texts (legal basis, scope, messages, suggestions) are
data in rules/verifications.yaml; the logic is here, one function per check id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from achat_check.engine.loader import RuleSet, load_rules
from achat_check.engine.schema import CheckSpec
from achat_check.errors import AchatCheckError
from achat_check.extract.numbers import GIVEN_AMOUNT, NOTIFIED_AMOUNT
from achat_check.model import CheckDetail, DocKind, Document, Evidence, Finding, MarketReport
from achat_check.report.labels import first_of, fmt_amount, yes_no
from achat_check.thresholds import reaches, scope_threshold

CLIMATE_DATE = date(2026, 8, 22)
PAYMENT_MAX_DAYS = {"organisme": 30, "etat": 30, "collectivite": 30, "etablissement_sante": 50, "entite_adjudicatrice": 60}


@dataclass
class Context:
    """What a check may depend on besides the report."""

    rulebook: str = "rso-2025"
    buyer_type: str = "organisme"
    documents: list[Document] = field(default_factory=list)

    def document(self, name: str) -> Document | None:
        """The document an evidence names."""
        return next((d for d in self.documents if name in (d.path, d.name)), None)

    def contract_given(self, kinds: tuple[DocKind, ...] | None = None) -> bool:
        """Whether the DCE checked holds one of these pieces (by default a CCAP or a CCTP), or a
        document that is one (a contract that is AE and CCAP)."""
        return any(d.is_piece(*(kinds or CONTRACT_KINDS)) for d in self.documents)


#: the pieces that write the clauses; an RC or a notice only announces them
CONTRACT_KINDS = (DocKind.CCAP, DocKind.CCTP)


@dataclass
class Verdict:
    """A check's answer, its reason and the evidence it rests on."""

    status: str
    reason: str
    evidence: list[Evidence] = field(default_factory=list)
    severity: str | None = None  # overrides the check kind's severity (a recommendation breaching a legal limit)
    #: a fail for something not found (not for a value written): no proof when part of the DCE was not read
    absent: bool = False
    #: the lines of the check's suggestion that apply, by the label they open with (« Travaux »
    #: for a works market lacking its waste clause); every line when empty
    suggest: tuple[str, ...] = ()
    #: for a fail for something not found: the pieces where it is written (a clause, in the CCAP
    #: or the CCTP); when the DCE given has none of them, the fail is no proof
    written_in: tuple[DocKind, ...] = ()

    def __post_init__(self) -> None:
        # one quote once: a sentence that announces both environmental and social clauses (a
        # real CCAP) was quoted twice, once for each theme
        seen: set[tuple[str, int, str]] = set()
        kept = []
        for e in self.evidence:
            key = (e.document, e.quote_start if e.quote_start is not None else e.start, e.quote)
            if key not in seen:
                seen.add(key)
                kept.append(e)
        self.evidence = kept


CheckFn = Callable[[MarketReport, Context], Verdict]
REGISTRY: dict[str, CheckFn] = {}


def check(check_id: str) -> Callable[[CheckFn], CheckFn]:
    """Register the logic of a check id."""

    def wrap(fn: CheckFn) -> CheckFn:
        REGISTRY[check_id] = fn
        return fn

    return wrap


def in_scope(report: MarketReport, rulebook: str) -> bool | None:
    """Market counted by the yearly indicators: amount HT at or above the threshold."""
    amount = report.facts.estimated_amount_ht
    if amount is None:
        return None
    return reaches(amount, *scope_threshold(rulebook))


def scope_label(report: MarketReport) -> str:
    """The scope for the yearly indicators said with what decides it, for the report's
    summary: « oui (800 000 € HT ; seuil : 25 000 € HT) », « inconnu (montant estimé
    introuvable…) » (a bare « inconnu » left the buyer to guess why)."""
    return f"{yes_no(report.flags.in_scope)} ({scope_basis(report)})"


def scope_basis(report: MarketReport) -> str:
    """What decides the scope: the amount read and the rulebook's threshold."""
    threshold, inclusive = scope_threshold(report.rulebook)
    limit = f"seuil : {'' if inclusive else 'plus de '}{fmt_amount(threshold)} HT"
    amount = report.facts.estimated_amount_ht
    if amount is None:
        return f"montant estimé introuvable dans les documents ; {limit}"
    basis = report.facts.amount_basis or ""
    given = f", {basis.split(' ; ')[0]}" if basis.startswith((GIVEN_AMOUNT, NOTIFIED_AMOUNT)) else ""
    return f"{fmt_amount(amount)} HT{given} ; {limit}"


def load_logic() -> None:
    """Import the module whose decorators fill REGISTRY."""
    from achat_check.checks import rules as _rules  # noqa: F401


def known_check(check_id: str, option: str) -> str:
    """`check_id` if a check has that id; else an error naming `option` and every id."""
    load_logic()
    if check_id not in REGISTRY:
        raise AchatCheckError("AC-E016", f"{option} « {check_id} » : vérification inconnue ; choisissez parmi : "
                              f"{', '.join(sorted(REGISTRY))}.")
    return check_id


def checks_by_id(rulebook: str) -> dict[str, CheckSpec]:
    """The rulebook's checks by id, in the rules' order: the titles a manager reads beside the
    ids a job's rows hold (« payment.delay » is « Délai de paiement »)."""
    return {c.id: c for c in load_rules(rulebook).checks}


def run_checks(report: MarketReport, ruleset: RuleSet, ctx: Context) -> MarketReport:
    """Fill checks, check_details and findings of the report."""
    load_logic()
    report.flags.in_scope = in_scope(report, ctx.rulebook)
    report.checks = {}
    report.check_details = []
    report.findings = []
    unread = report.unread()
    for spec in ruleset.checks:
        fn = REGISTRY.get(spec.id)
        if fn is None:
            continue
        if ctx.rulebook not in spec.rulebooks:
            verdict = Verdict("not_applicable", f"recommandation propre à {', '.join(spec.rulebooks)}, hors du référentiel {ctx.rulebook}")
        else:
            verdict = _unless_unread(_unless_pieces_missing(fn(report, ctx), ctx), unread)
        report.checks[spec.id] = verdict.status  # type: ignore[assignment]
        report.check_details.append(_detail(spec, verdict, ctx))
        report.findings += _findings(spec, verdict, spec.basis(ctx.rulebook))
    report.findings.sort(key=lambda f: {"error": 0, "warning": 1, "info": 2}[f.severity])
    return report


#: where a reason says nothing was found, when every piece was given and read
GIVEN = " dans les documents fournis"


def _unless_unread(verdict: Verdict, unread: list[str]) -> Verdict:
    """A fail for something not found becomes `unknown` when files of the DCE were not read
    (or not all of them): a scanned CCTP may hold the clause the text read lacks.  An
    `unknown` for something not found says it too (a weight not found in an RC read up to
    the cut of its download)."""
    if verdict.status not in ("fail", "unknown") or not verdict.absent or not unread:
        return verdict
    found = verdict.reason.strip().rstrip(".") or "rien trouvé"
    if found.endswith(GIVEN):  # « … dans les documents fournis dans le texte lu » said where twice
        found = found.removesuffix(GIVEN) + " dans le texte lu"
    return replace(verdict, status="unknown", reason=f"{found} ; or une partie du DCE n'a pas pu être lue "
                   f"({first_of(unread, 5)}) : ce qui manque y est peut-être")


def _unless_pieces_missing(verdict: Verdict, ctx: Context) -> Verdict:
    """A fail for a clause not found becomes `unknown` when the DCE given holds none of the
    pieces that write clauses: an acte d'engagement checked alone (a real one) « failed » the
    Egalim obligation its CCTP, not given, may well meet."""
    if verdict.status != "fail" or not verdict.absent or not verdict.written_in or ctx.contract_given(verdict.written_in):
        return verdict
    found = verdict.reason.strip().rstrip(".")
    pieces = " ni ".join(k.value for k in verdict.written_in)
    return replace(verdict, status="unknown", reason=f"{found} ; or le DCE fourni ne comprend ni {pieces}, où ces clauses "
                   "s'écrivent : joignez-les à la vérification")


def _detail(spec: CheckSpec, verdict: Verdict, ctx: Context) -> CheckDetail:
    return CheckDetail(
        id=spec.id,
        status=verdict.status,
        kind=spec.kind,
        rulebook=ctx.rulebook,
        title=spec.title,
        legal_basis=spec.basis(ctx.rulebook),
        effective_from=spec.effective_from,
        scope=spec.scope,
        reason=verdict.reason,
        searched=spec.searched,
        evidence=verdict.evidence[:5],
    )


def _suggestion(text: str, labels: tuple[str, ...]) -> str:
    """The suggested wording, only the lines for what is missing when the verdict says which."""
    lines = text.strip().splitlines()
    kept = [line for line in lines if line.split(" :", 1)[0] in labels] if labels else lines
    return "\n".join(kept or lines)


def lower_first(title: str) -> str:
    """A title inside a sentence: its first word in lower case, its names kept (« Egalim »,
    « PME », « DCE » were written « egalim », « pme », « dce »)."""
    return title[:1].lower() + title[1:] if title[1:2].islower() else title


def fail_message(message: str, reason: str) -> str:
    """The check's message with what was found in this DCE, as one French sentence: « Le délai
    de paiement dépasse le maximum légal applicable à l'acheteur (délai écrit : 45 jours, maximum
    pour cet acheteur : 30 jours). »  A message closing on its own parenthesis takes a colon."""
    detail = reason.strip().rstrip(".")
    if not detail:
        return message
    body = message.rstrip().removesuffix(".")
    return f"{body} : {detail}." if body.endswith(")") else f"{body} ({detail})."


def _findings(spec: CheckSpec, verdict: Verdict, basis: str) -> list[Finding]:
    out = []
    if verdict.status == "fail":
        severity = verdict.severity or ("error" if spec.kind == "obligation" else "warning")
        out.append(Finding(
            rule_id=spec.id, check=spec.id, status="fail", severity=severity, title=spec.title,
            message=fail_message(spec.message_fail, verdict.reason), legal_basis=basis,
            evidence=verdict.evidence[:5], suggestion=_suggestion(spec.suggestion, verdict.suggest),
        ))
    elif verdict.status == "unknown" and spec.kind == "obligation":
        out.append(Finding(
            rule_id=spec.id, check=spec.id, status="unknown", severity="info", title=f"À vérifier : {lower_first(spec.title)}",
            message=f"Vérification impossible : {verdict.reason}. Recherché : {spec.searched}.", legal_basis=basis,
            evidence=verdict.evidence[:5],
            # a food supply's AE, checked alone, was offered the vehicles' and the works' lines too
            suggestion=spec.suggestion_unknown.strip() if spec.suggestion_unknown else _suggestion(spec.suggestion, verdict.suggest),
        ))
    return out
