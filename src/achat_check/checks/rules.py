"""The logic of every check, one function per id of rules/verifications.yaml."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from achat_check.caseless import caseless
from achat_check.checks import (
    CLIMATE_DATE,
    CONTRACT_KINDS,
    PAYMENT_MAX_DAYS,
    Context,
    Verdict,
    check,
    lower_first,
)
from achat_check.checks.opendata import ENV_CLAUSE, SOCIAL_CLAUSE, clause_detections
from achat_check.extract.dates import months_later
from achat_check.extract.facts import DECLARED_CLAUSES, PENALTY, declared_value
from achat_check.extract.numbers import all_known, fmt_number
from achat_check.market import about_reservation, criteria_groups
from achat_check.model import (
    Criterion,
    Detection,
    DocKind,
    Document,
    Evidence,
    MarketReport,
    walk_criteria,
)
from achat_check.report.labels import (
    LEVER_LABELS,
    advance,
    cite,
    dce_dated,
    file_name,
    lots_heading,
)

ENV_KINDS = ("environmental", "sustainable")
SOC_KINDS = ("social", "sustainable")
#: a follow-up: « bilan », « état nominatif », « bordereau de suivi des déchets » (by « suivi »);
#: not a « bordereau » alone, the price schedule a real CCTP asks to fill in
FOLLOW_UP = caseless(
    r"\b(bilan|rapport|[ée]tat\s+(nominatif|des\s+heures)|justificati|suivi\b|audit|indicateurs?\b|rend\s+compte|"
    r"transmet|remet|communique|pr[ée]sente\s+(chaque|[àa]\s+l['’]issue))",
    prefilter=False,
)
MEASURABLE = caseless(
    r"\d[\d\s  ]*(?:[,.]\d+)?\s*(?:%|pour\s?cent|heures?\b|h\b|etp\b|€|euros?|jours?|mois|ans?\b|kg|tonnes?|kwh|g\s*co|points?|flux|personnes?)|"
    r"[ée]colabel|\blabels?\b|\bnf\s+environnement|epeat|tco\s+certified|iso\s*\d{4,5}|rgaa|rgesn|"
    r"\b(?:aucune?|exclusivement|100\s*%)\b|au\s+moins\s+(?:un|une|deux|trois|quatre|cinq)\b",
    prefilter=False,
)
CATERING = caseless(r"restauration|repas|denr[ée]es\s+alimentaires|cantine|\bself\b|liaison\s+(froide|chaude)", prefilter=False)
VEHICLES = caseless(r"(acquisition|achat|location|fourniture|renouvellement)\s+(de\s+|d['’])?(\w+\s+){0,3}v[ée]hicules?", prefilter=False)
NEGATION_RULE = "CTX-001"
ARTICLE_CAP = 9000  # characters: a top article longer than this is a whole chapter, use the paragraph


def _criterion_evidence(crits: Iterable[Criterion]) -> list[Evidence]:
    """The first quote of each criterion, each sentence once: criteria repeated in the
    groups of several lots are written alike, and a finding shows only its first quotes."""
    seen: dict[str, Evidence] = {}
    for c in crits:
        for e in c.evidence[:1]:
            seen.setdefault(e.quote, e)
    return list(seen.values())


def _counted(report: MarketReport, theme: str) -> list[Detection]:
    return report.considerations.environmental if theme == "environmental" else report.considerations.social


def _said_absent(report: MarketReport, theme: str) -> list[Evidence]:
    """Sentences where the documents say the consideration is absent ("Aucune clause
    d'insertion n'est prévue"): the only discarded words worth quoting against a failure."""
    return [e for d in report.considerations.discarded if d.theme == theme
            and any(a.rule_id == NEGATION_RULE for a in d.explanation.adjustments) for e in d.evidence[:1]][:3]


#: a DCE is put out to tender within the year that follows its date: a works DCE « DCE –
#: MARS 2021 » or « DCE B 5 Octobre 2016 » (two real ones, without their RC) was not launched
#: five years later; a rule in force more than a year after the DCE's month did not bind it
DCE_TO_LAUNCH_MONTHS = 12


def launched_before(report: MarketReport, day: date) -> tuple[str, list[Evidence]] | None:
    """Why the consultation came before `day` (a rule's entry into force), and the evidence:
    its date, the repealed law it cites, or the date of its DCE more than a year before;
    None when it did not or cannot be told."""
    f = report.facts
    if f.consultation_date is not None and f.consultation_date < day:
        return f"consultation du {f.consultation_date:%d/%m/%Y}, antérieure au {day:%d/%m/%Y}", f.evidence.get("consultation_date", [])
    if f.consultation_date is None and f.consultation_before is not None and f.consultation_before <= day:
        return (f"consultation antérieure au {f.consultation_before:%d/%m/%Y} ({f.consultation_before_basis}), donc au {day:%d/%m/%Y}",
                f.evidence.get("consultation_before", []))
    if f.consultation_date is None and f.dce_date is not None and months_later(f.dce_date, DCE_TO_LAUNCH_MONTHS + 1) <= day:
        return (f"{dce_dated(f)} : consultation lancée dans l'année qui suit, antérieure au {day:%d/%m/%Y}",
                f.evidence.get("dce_date", []))
    return None


def launched_after(report: MarketReport, day: date) -> bool:
    """Whether the consultation came on or after `day`: its date, or a DCE dated that day or
    later (a consultation follows its DCE), as a draft dated « DCE – Décembre 2026 » is."""
    f = report.facts
    if f.consultation_date is not None:
        return f.consultation_date >= day
    return f.dce_date is not None and f.dce_date >= day


def climate_scope(report: MarketReport, social: bool = False) -> Verdict | None:
    """None when the loi Climat obligations apply; else the not_applicable/unknown verdict."""
    f = report.facts
    long_works = f.nature == "travaux" and (f.max_duration_months or 0) > 6
    label = {"adaptee": "procédure adaptée", "negociee": "marché sans publicité ni mise en concurrence"}
    if f.procedure in label and not (social and long_works):
        basis = f" ({f.procedure_basis})" if f.procedure_basis else ""
        return Verdict("not_applicable", f"{label[f.procedure]}{basis} : l'obligation vise les procédures formalisées",
                       f.evidence.get("procedure", []))
    if earlier := launched_before(report, CLIMATE_DATE):
        return Verdict("not_applicable", f"{earlier[0]} (entrée en vigueur)", earlier[1])
    missing = []
    if f.procedure is None and not (social and long_works):
        missing.append("type de procédure")
    undated = f.consultation_date is None and not launched_after(report, CLIMATE_DATE)
    if undated:
        missing.append("date de la consultation")
    if not missing:
        return None
    # one sentence the terminal's table shows whole (it cuts a reason at 160 characters)
    reason = " et ".join(missing) + (" introuvables" if len(missing) > 1 else " introuvable")
    if undated:
        reason += " : pour un projet, donnez sa publication prévue (--date JJ/MM/AAAA, champ « Date de la consultation »)"
    return Verdict("unknown", reason)


@check("climate.env_award_criterion")
def env_award_criterion(report: MarketReport, ctx: Context) -> Verdict:
    """An award criterion (or sub-criterion) of environmental or sustainable kind; else fail."""
    scope = climate_scope(report)
    if scope:
        return scope
    env = [c for g in criteria_groups(report) for c in walk_criteria(g) if c.kind in ENV_KINDS]
    if env and (without := _lots_without(report, ENV_KINDS)):
        # each lot is a market of its own: the criterion of one lot is none of another's
        return Verdict("fail", f"{' ; '.join(without)} : aucun critère environnemental ; {_named_criterion(env[0])} ne vaut "
                               "que pour les autres lots, et chaque lot est un marché.", _criterion_evidence(env))
    if env:
        return Verdict("pass", f"critère environnemental : {_named_criterion(env[0])}", _criterion_evidence(env))
    dets = [d for d in report.considerations.environmental if d.lever == "criterion"]
    if dets:
        return Verdict("pass", "un critère environnemental est annoncé dans les documents", [e for d in dets for e in d.evidence[:1]])
    if not report.criteria and not award_terms_given(ctx):
        return Verdict("unknown", f"aucun critère d'attribution trouvé ; les critères s'écrivent {WRITTEN_IN_AWARD_TERMS}")
    found = "aucun critère d'attribution trouvé dans les documents fournis" if not report.criteria else \
        "critères trouvés : " + ", ".join(f"{c.name} ({fmt_number(c.weight)} %)" if c.weight is not None else c.name for c in report.criteria)
    return Verdict("fail", f"{found}.", _criterion_evidence(report.criteria), absent=not report.criteria)


def absent_from(pieces: str) -> str:
    """Where a value is written, and what to do when the DCE given holds none of those pieces:
    a check is « indéterminé » there, and the buyer is told which pieces to add (CCTPs checked
    alone, as four real DCEs of ../shared/real are, said only « introuvable »)."""
    return f"dans {pieces}, absents des documents fournis : joignez-les à la vérification"


#: the pieces that write the award criteria and the form of groupings
WRITTEN_IN_AWARD_TERMS = absent_from("le RC ou l'avis")
#: the pieces that write the payment delay and the financial terms (a real AE writes them; a
#: CCTP, a BPU, an RC seldom do)
WRITTEN_IN_MONEY_TERMS = absent_from("le CCAP ou l'AE")  # short: the terminal's table cuts a reason at 160 characters
MONEY_PIECES = (DocKind.CCAP, DocKind.AE)
#: the pieces that write the lots or the single market
WRITTEN_IN_ALLOTMENT = absent_from("le RC, le CCAP ou l'avis")


def award_terms_given(ctx: Context) -> bool:
    """Whether the DCE checked holds an RC or a notice, where the award criteria and the form
    of groupings are written: an acte d'engagement checked alone (a real one) says neither,
    and its silence is no proof of their absence."""
    return any(d.is_piece(DocKind.RC) or d.subkind == "avis" for d in ctx.documents)


def _named_criterion(crit: Criterion) -> str:
    return f"« {crit.name} »" + (f" ({fmt_number(crit.weight)} %)" if crit.weight is not None else "")


def _lots_without(report: MarketReport, kinds: Iterable[str]) -> list[str]:
    """The lot groups whose criteria (given lot by lot) have none of these kinds: « Lot 1 »."""
    if len(report.criteria_lots) < 2:
        return []
    return [lots_heading(g.lots) for g in report.criteria_lots
            if g.lots and g.criteria and not any(c.kind in kinds for c in walk_criteria(g.criteria))]


@check("climate.env_execution_condition")
def env_execution_condition(report: MarketReport, ctx: Context) -> Verdict:
    """A binding environmental clause or specification counted in the documents."""
    scope = climate_scope(report)
    if scope:
        return scope
    dets = [d for d in report.considerations.environmental if d.lever in ("clause", "specification")]
    if dets:
        best = sorted(dets, key=lambda d: (d.lever != "clause", -d.score))[0]
        kind = "condition d'exécution" if best.lever == "clause" else "spécification technique"
        return Verdict("pass", f"{kind} : {lower_first(best.title)}", [e for d in dets[:3] for e in d.evidence[:1]])
    return Verdict("fail", "aucune exigence environnementale contraignante trouvée dans le CCAP, le CCTP, le RC ou l'AE.",
                   _said_absent(report, "environmental"), absent=True, written_in=CONTRACT_KINDS)


@check("climate.social_consideration")
def social_consideration(report: MarketReport, ctx: Context) -> Verdict:
    """Insertion clause, reserved market, social criterion or social clause."""
    scope = climate_scope(report, social=True)
    if scope:
        return scope
    if report.flags.social_consideration:
        parts = []
        if report.insertion.present:
            parts.append("clause d'insertion")
        if report.reserved.present:
            parts.append("marché réservé")
        if report.flags.social_criterion:
            parts.append("critère social")
        if report.considerations.social and not parts:
            parts.append(lower_first(report.considerations.social[0].title))
        ev = report.insertion.evidence[:2] + report.reserved.evidence[:1] + [e for d in report.considerations.social[:2] for e in d.evidence[:1]]
        return Verdict("pass", ", ".join(parts), ev)
    return Verdict("fail", "ni clause sociale ou d'insertion, ni marché réservé, ni critère social dans les documents fournis",
                   _said_absent(report, "social"), absent=True, written_in=CONTRACT_KINDS)


@check("rso.criterion_weight")
def criterion_weight(report: MarketReport, ctx: Context) -> Verdict:
    """Environmental/social criteria ≥ 10 %, sustainable (DD) ≥ 20 % with each part ≥ 10 %."""
    targets = [c for g in criteria_groups(report) for c in g if c.kind in ("environmental", "social", "sustainable")]
    subs = [s for g in criteria_groups(report) for c in g if c.kind == "technical" for s in walk_criteria(c.sub) if s.kind in ("environmental", "social")]
    targets += subs
    if not targets:
        return Verdict("not_applicable", "aucun critère environnemental, social ou de développement durable")
    problems, unknown = [], []
    for c in targets:
        if c.weight is None:
            unknown.append(c.name)
        elif c.kind == "sustainable":
            if c.weight < 20:
                problems.append(f"« {c.name} » : {fmt_number(c.weight)} % (20 % au moins)")
            for s in c.sub:
                if s.kind in ("environmental", "social") and s.weight is not None and s.weight < 10:
                    problems.append(f"« {s.name} » : {fmt_number(s.weight)} % (10 % au moins)")
            if c.sub and not {s.kind for s in c.sub} >= {"environmental", "social"}:
                problems.append(f"« {c.name} » n'a pas à la fois une partie environnementale et une partie sociale")
        elif c.weight < 10:
            problems.append(f"« {c.name} » : {fmt_number(c.weight)} % (10 % au moins)")
    ev = _criterion_evidence(targets)
    # the same criteria are repeated in each lot group that has them: each is said once
    if problems:
        return Verdict("fail", " ; ".join(dict.fromkeys(problems)) + ".", ev)
    if unknown:
        return Verdict("unknown", "poids non écrit pour " + ", ".join(f"« {n} »" for n in dict.fromkeys(unknown)), ev)
    return Verdict("pass", ", ".join(dict.fromkeys(f"« {c.name} » {fmt_number(c.weight or 0)} %" for c in targets)), ev)  # all weighed


@check("rso.criterion_detached")
def criterion_detached(report: MarketReport, ctx: Context) -> Verdict:
    """No environmental or social criterion nested inside the technical value."""
    all_env_soc = [c for g in criteria_groups(report) for c in walk_criteria(g) if c.kind in ("environmental", "social", "sustainable")]
    if not all_env_soc:
        return Verdict("not_applicable", "aucun critère environnemental ou social")
    inside = [c for c in all_env_soc if c.inside_technical]
    if inside:
        return Verdict("fail", "sous-critère(s) de la valeur technique : " + ", ".join(f"« {c.name} »" for c in inside) + ".",
                       _criterion_evidence(inside))
    return Verdict("pass", "critère(s) distinct(s) de la valeur technique", _criterion_evidence(all_env_soc))


#: the levers that bind the holder of the market: an execution condition (an insertion clause
#: is one) or a technical specification
BINDING_LEVERS = ("clause", "specification", "insertion")
THEME_ADJECTIVE = {"environmental": "environnemental", "social": "social"}


@check("rso.criterion_combined")
def criterion_combined(report: MarketReport, ctx: Context) -> Verdict:
    """An environmental (social) award criterion goes with an environmental (social) execution
    condition or specification: the first of the Référentiel's three conditions, a criterion
    alone rewarding promises the contract does not require."""
    themes = [t for t, on in (("environmental", report.flags.env_criterion), ("social", report.flags.social_criterion)) if on]
    if not themes:
        return Verdict("not_applicable", "aucun critère environnemental, social ou de développement durable")
    said, missing, ev = [], [], []
    for theme in themes:
        binding = [d for d in _counted(report, theme) if d.lever in BINDING_LEVERS and not about_reservation(report, d)]
        crits = [c for g in criteria_groups(report) for c in walk_criteria(g) if c.kind in (ENV_KINDS if theme == "environmental" else SOC_KINDS)]
        ev += _criterion_evidence(crits[:1])
        if binding:
            best = sorted(binding, key=lambda d: (d.lever == "specification", -d.score))[0]
            said.append(f"critère {THEME_ADJECTIVE[theme]} accompagné de « {best.title} » ({LEVER_LABELS[best.lever]})")
            ev += best.evidence[:1]
        else:
            missing.append(theme)
    if missing:
        words = " ni ".join(f"condition d'exécution ou spécification {THEME_ADJECTIVE[t]}e" for t in missing)
        return Verdict("fail", f"critère {' et '.join(THEME_ADJECTIVE[t] for t in missing)} sans {words} dans les documents fournis.",
                       ev, absent=True, written_in=CONTRACT_KINDS, suggest=tuple(THEME_ADJECTIVE[t].capitalize() for t in missing))
    return Verdict("pass", " ; ".join(said), ev)


@check("criteria.sum")
def criteria_sum(report: MarketReport, ctx: Context) -> Verdict:
    """Weights of each criteria group add up to 100 % (unknown when a weight is missing)."""
    groups = criteria_groups(report)
    if not groups:
        if not award_terms_given(ctx):
            return Verdict("unknown", f"aucun critère pondéré trouvé ; les critères s'écrivent {WRITTEN_IN_AWARD_TERMS}")
        return Verdict("unknown", "aucun critère pondéré trouvé dans les documents fournis", absent=True)
    totals = []
    for g in groups:
        weights = all_known([c.weight for c in g])
        if weights is None:
            return Verdict("unknown", "pondérations non chiffrées (modèle à compléter ou poids absents)", _criterion_evidence(g))
        totals.append(round(sum(weights), 4))
    wrong = [t for t in totals if abs(t - 100) > 0.01]
    ev = _criterion_evidence(groups[0])
    if wrong:
        return Verdict("fail", f"somme des pondérations : {fmt_number(wrong[0])} %.", ev)
    points, stated = report.criteria_points_total, report.criteria_stated_total
    if points is not None and stated is not None and abs(points - stated) > 0.01:
        # weights read from points always make 100 %: the total the RC writes is what can be wrong
        return Verdict("fail", f"les critères totalisent {fmt_number(points)} points, le total écrit est de {fmt_number(stated)}.", ev)
    return Verdict("pass", "somme des pondérations : 100 %", ev)


@check("payment.delay")
def payment_delay(report: MarketReport, ctx: Context) -> Verdict:
    """The written payment delay against the buyer type's legal maximum."""
    maximum = PAYMENT_MAX_DAYS.get(ctx.buyer_type, 30)
    days = report.facts.payment_delay_days
    ev = report.facts.evidence.get("payment_delay_days", [])
    if days is None:
        if not ctx.contract_given(MONEY_PIECES):
            return Verdict("unknown", f"délai de paiement introuvable ; il s'écrit d'ordinaire {WRITTEN_IN_MONEY_TERMS}")
        return Verdict("unknown", "délai de paiement introuvable dans les documents fournis", absent=True)
    if days > maximum:
        return Verdict("fail", f"délai écrit : {days} jours, maximum pour cet acheteur : {maximum} jours.", ev)
    return Verdict("pass", f"{days} jours (maximum {maximum})", ev)


@check("sme.allotment")
def allotment(report: MarketReport, ctx: Context) -> Verdict:
    """Lots, or a single market with its justification written near it."""
    f = report.facts
    ev = f.evidence.get("allotted", [])
    if f.lots or f.allotted:
        if f.lots or f.lots_announced:
            return Verdict("pass", f"marché alloti ({len(f.lots) or f.lots_announced} lots)", ev)
        return Verdict("pass", "marché alloti (le DCE porte sur l'un de ses lots)", ev)
    if f.allotted is False:
        if f.single_lot_justified:
            return Verdict("pass", "marché unique justifié dans les documents", ev)
        if not ctx.contract_given((DocKind.RC, DocKind.CCAP)):  # a BOAMP notice alone: « divisées en lots : non »
            return Verdict("unknown", f"marché unique ; sa justification s'écrit d'ordinaire {absent_from('le RC ou le CCAP')}", ev)
        return Verdict("fail", "aucune justification trouvée près de la mention du marché unique.", ev, absent=True)
    if not award_terms_given(ctx):
        # a CCAP without its RC (two real DCEs): the RC, not the contract, says whether there are lots
        written = WRITTEN_IN_AWARD_TERMS if ctx.contract_given((DocKind.CCAP,)) else WRITTEN_IN_ALLOTMENT
        return Verdict("unknown", f"ni lots ni mention d'un marché unique ; l'allotissement s'écrit {written}")
    return Verdict("unknown", "ni lots ni mention d'un marché unique dans les documents fournis", absent=True)


@check("sme.group_solidarity")
def group_solidarity(report: MarketReport, ctx: Context) -> Verdict:
    """The joint and several form not imposed on groups of undertakings (Référentiel 2025:
    « ne pas systématiser la solidarité des cotraitants »); silence in an RC or a notice, where
    the form is written, imposes nothing."""
    f = report.facts
    ev = f.evidence.get("group_solidarity_imposed", [])
    if f.group_solidarity_imposed:
        return Verdict("fail", "forme solidaire imposée ; seule la bonne exécution du marché peut la justifier (CCP R2142-22).", ev)
    if f.group_solidarity_imposed is False:
        return Verdict("pass", "aucune forme de groupement imposée", ev)
    if award_terms_given(ctx):
        return Verdict("pass", "aucune forme de groupement imposée dans les documents (RC ou avis compris)")
    return Verdict("unknown", f"la forme des groupements s'écrit {WRITTEN_IN_AWARD_TERMS}")


#: what an exclusion's words name, for the reason of a pass (its article says it itself)
EXCLUSION_LABELS = (("vigilance", "plan de vigilance"), ("gaz", "bilan des émissions de gaz à effet de serre"),
                    ("durabilit", "informations en matière de durabilité"), ("2023-1142", "informations en matière de durabilité"),
                    ("2141-7-1", "plan de vigilance (L2141-7-1)"), ("2141-7-2", "bilan des émissions de gaz à effet de serre (L2141-7-2)"))


@check("rso.exclusions")
def exclusions(report: MarketReport, ctx: Context) -> Verdict:
    """Exclusions on environmental or social grounds written in the DCE (Référentiel 2025,
    engagement 4, enjeu 3: « Inclure dans les marchés des exclusions en cas de non-respect des
    obligations environnementales et sociales »); the RC or the notice writes them, and
    without either their silence says nothing."""
    f = report.facts
    ev = f.evidence.get("exclusions_stated", [])
    found = " ".join((ev[0].matched or ev[0].quote).split()) if ev else ""  # what the fact found: a ground, or a block
    if f.exclusions_stated:
        ground = next((label for cue, label in EXCLUSION_LABELS if cue in found.lower()), "")
        return Verdict("pass", "exclusion pour motif environnemental ou social prévue" + (f" : {ground}" if ground else ""), ev)
    if not award_terms_given(ctx):
        return Verdict("unknown", f"les motifs d'exclusion s'écrivent {WRITTEN_IN_AWARD_TERMS}")
    if f.exclusions_stated is False:
        return Verdict("fail", f"les exclusions facultatives ne sont citées qu'en bloc (« {found} »), sans dire celles pour "
                               "défaut de plan de vigilance ou de bilan des émissions de gaz à effet de serre", ev, absent=True)
    return Verdict("fail", "aucune exclusion pour défaut de plan de vigilance, de bilan des émissions de gaz à effet de serre "
                           "ou d'informations en matière de durabilité dans les documents fournis", absent=True)


#: an accord-cadre à bons de commande that excludes the advance (two real AE: « Il n'est pas
#: prévu d'avance », « Avance Sans », 800 000 and 255 000 € HT over all periods): the advance
#: is owed on the orders, its minimum when above the threshold (CCP R2191-17), not on the
#: whole value, which the documents' « maximum » is
ORDERS_ADVANCE = ("avance écartée, ce que permet un accord-cadre à bons de commande dont ni le minimum ni les bons "
                  "de commande ne dépassent 50 000 € HT (au-delà, elle est due : CCP R2191-17)")


@check("sme.financial_terms")
def financial_terms(report: MarketReport, ctx: Context) -> Verdict:
    """Advance, retenue de garantie (≤ 5 %) and penalty cap: what hinders SMEs."""
    f = report.facts
    problems: list[str] = []
    severity = None
    # a failure quotes what it is about only (an « Avance : Sans » beside a penalty finding misled)
    advance_ev, retenue_ev = f.evidence.get("advance_rate", []), f.evidence.get("retenue_garantie_rate", [])
    cap_ev = f.evidence.get("penalties_capped", [])
    ev: list[Evidence] = []
    #: the lines of the suggestion for what hinders (a penalty finding was offered an advance)
    suggest: list[str] = []
    if f.retenue_garantie_rate is not None and f.retenue_garantie_rate > 5:
        problems.append(f"retenue de garantie de {fmt_number(f.retenue_garantie_rate)} %, au-delà des 5 % permis par l'article R2191-33")
        severity = "error"  # a legal limit, not only a recommendation
        ev += retenue_ev
        suggest.append("Retenue de garantie")
    big = (f.estimated_amount_ht or 0) > 50000 and (f.max_duration_months is None or f.max_duration_months > 2)
    by_orders = f.framework == "bons_de_commande"  # the advance follows the orders, not the whole value
    if f.advance_present is False and big and not by_orders:
        problems.append("avance écartée pour un marché de plus de 50 000 € HT")
        ev += advance_ev
        suggest.append("Avance")
    if f.penalties_capped is False:
        problems.append("pénalités déclarées non plafonnées (les CCAG 2021 les plafonnent à 10 %)")
        ev += cap_ev
        suggest.append("Pénalités")
    elif f.penalty_cap_rate is not None and f.penalty_cap_rate > 10:
        problems.append(f"plafond des pénalités porté à {fmt_number(f.penalty_cap_rate)} % (10 % dans les CCAG 2021)")
        ev += cap_ev
        suggest.append("Pénalités")
    known = [f.advance_present, f.retenue_garantie_rate, f.penalties or None, f.penalties_capped]
    if problems:
        return Verdict("fail", " ; ".join(problems) + ".", ev, severity=severity, suggest=tuple(suggest))
    ev = advance_ev + retenue_ev
    if all(k is None for k in known):
        if not ctx.contract_given(MONEY_PIECES):
            return Verdict("unknown", f"ni avance, ni retenue de garantie, ni pénalités trouvées ; elles s'écrivent {WRITTEN_IN_MONEY_TERMS}")
        return Verdict("unknown", "ni avance, ni retenue de garantie, ni pénalités trouvées dans les documents fournis", absent=True)
    parts = []
    if f.advance_rate is not None:
        parts.append(f"avance {advance(f)}")
    elif f.advance_present:
        parts.append("avance prévue")
    elif f.advance_present is False and by_orders:
        parts.append(ORDERS_ADVANCE)
    if f.retenue_garantie_rate == 0:
        parts.append("sans retenue de garantie")  # the market data row says « aucune », not « 0 % »
    elif f.retenue_garantie_rate is not None:
        parts.append(f"retenue de garantie {fmt_number(f.retenue_garantie_rate)} %")
    if f.penalties_capped:
        parts.append(f"pénalités plafonnées à {fmt_number(f.penalty_cap_rate)} %" if f.penalty_cap_rate is not None else "pénalités plafonnées")
    elif f.penalties:
        parts.append("pénalités sans plafond propre " + (
            "(consultation antérieure au 01/04/2021 et aux CCAG de cette date, qui les plafonnent à 10 %)"
            if launched_before(report, CCAG_2021_DATE) else "(plafond de 10 % des CCAG 2021 s'ils s'appliquent)"))
    return Verdict("pass", ", ".join(parts) or "conditions financières sans frein relevé", ev + cap_ev)


CONTRACTUAL = (DocKind.CCAP, DocKind.CCTP, DocKind.AE)
THEME_WORDS = {
    "environmental": caseless(r"environnement|d[ée]chets?|[ée]colabel|label|emballage|[ée]nergi|carbone|v[ée]hicule|biodiversit|durables?", prefilter=False),
    "social": caseless(r"insertion|heures?\s+(non\s+r[ée]alis|d['’]insertion)|clause\s+sociale|handicap|accessibilit|social", prefilter=False),
}


@dataclass
class Article:
    """A clause's article: where the exigence, its follow-up and its penalty should be."""

    doc: Document
    start: int
    end: int
    at: int  # where the clause's words are: the page a buyer is sent to when no heading names the article

    @property
    def text(self) -> str:
        """The article's words."""
        return self.doc.text[self.start : self.end]

    def holds(self, e: Evidence) -> bool:
        """Whether the evidence's words are in this article."""
        return e.document in (self.doc.path, self.doc.name) and self.start <= e.start < self.end

    @property
    def label(self) -> str:
        """How a buyer finds the article: "CCAP art. 8"."""
        head = self.doc.heading_at(self.start)
        if head and head.start == self.start:
            where = f"art. {head.number}" if head.number else f"« {head.title} »"
        else:
            where = f"p. {self.doc.page_at(self.at)}"
        kind = self.doc.kind_at(self.start)
        return f"{kind.value if kind != DocKind.OTHER else self.doc.name} {where}"


#: a clause is a sentence; fewer words are a label or a table cell (« Clauses
#: environnementales : Avec » in the summary box a CCAP opens with), judged only when
#: nothing else quotes the clause
MIN_CLAUSE_WORDS = 5


def clause_articles(ctx: Context, quotes: list[Evidence]) -> list[Article]:
    """The articles holding the clauses: the whole top article (its sub-articles hold the
    follow-up and the penalty: "8.2 Suivi", "8.3 Pénalités"), or the paragraph around the
    words when the article is a whole chapter; and the articles they send the reader to
    (« se référer à l'article 10 du CCTP »).  Contractual documents only, unless the
    clause appears nowhere else (an RC only announces clauses written in the CCAP)."""
    found: dict[tuple[str, int, int], Article] = {}
    for e in quotes:
        doc = ctx.document(e.document)
        if doc is None or doc.in_title_block(e.start):
            continue
        heads = [h for h in doc.headings_at(e.start) if h.end - h.start <= ARTICLE_CAP]
        top = next((h for h in heads if h.number), heads[-1] if heads else None)
        a, b = (top.start, top.end) if top else (max(0, e.start - 600), min(len(doc.text), e.end + 900))
        found.setdefault((doc.path, a, b), Article(doc, a, b, e.start))
    for article in list(found.values()):
        for ref in _referenced(ctx, article):
            found.setdefault((ref.doc.path, ref.start, ref.end), ref)
    articles = sorted(found.values(), key=lambda x: (x.doc.path, x.start))
    contractual = [x for x in articles if x.doc.is_piece(*CONTRACTUAL)]
    return contractual or articles


#: words that name a clause as the object of a follow-up, not the clause (a real CCTP's
#: steering-meeting agenda: « Suivi de l'exécution de la clause d'insertion sociale et de la
#: clause environnementale »); the context rule CTX-017 says the same of detections, whose
#: evidence then quotes the clause first
FOLLOW_UP_OF_CLAUSE = caseless(r"\bsuivi\s+(?:de\s+l['’]\s*ex[ée]cution\s+)?de\s+la\s+clause\b", prefilter=False)


def _clause_quotes(dets: list[Detection]) -> list[Evidence]:
    """The evidence quoting the clauses themselves (three per detection at most): labels,
    table cells and mentions of a clause's follow-up only when nothing else quotes them."""
    quotes = [e for d in dets for e in d.evidence[:3]]
    worded = [e for d in dets for e in [e for e in d.evidence if len(e.quote.split()) >= MIN_CLAUSE_WORDS][:3]]
    clauses = [e for e in worded if not FOLLOW_UP_OF_CLAUSE.search(e.quote)]
    return clauses or worded or quotes


#: « Se référer à l'article 10 du CCTP » : the CCAP's clause is written in another document
REFERENCE = caseless(r"\barticles?\s+(\d{1,2}(?:\.\d{1,2}){0,3})\s+du\s+(cctp|ccap|acte\s+d.engagement)\b", prefilter=False)
REFERENCED_KIND = {"cctp": DocKind.CCTP, "ccap": DocKind.CCAP}


def _referenced(ctx: Context, article: Article) -> list[Article]:
    """The articles of other documents an article sends the reader to (one step, not a chain)."""
    out = []
    for m in REFERENCE.finditer(article.text):
        kind = REFERENCED_KIND.get(m.group(2).lower(), DocKind.AE)
        for doc in ctx.documents:
            if doc is article.doc or not doc.is_piece(kind):
                continue
            head = next((h for h in doc.headings if h.number == m.group(1)), None)
            if head is not None and head.end - head.start <= ARTICLE_CAP:
                out.append(Article(doc, head.start, head.end, head.start))
    return out


#: a clause that sends to a whole piece, no article named: « Les conditions d'exécution des
#: prestations comportent des éléments à caractère environnemental … comme suit : Voir CCTP »
#: (a real CCAP, its CCTP given); « cf. CCTP », « précisées au CCTP », « définies dans le CCTP »
SENT_TO_PIECE = caseless(
    r"\b(?:voir|cf\.?|(?:pr[ée]cis|d[ée]fini|indiqu|d[ée]taill)[ée]e?s?\s+(?:au|dans\s+le))\s+(?:le\s+)?(?P<piece>CCTP|CCAP)\b"
    r"(?!\s*(?:,\s*)?(?:art|§|\d))",
    prefilter=False,
)


def _sent_to_piece(ctx: Context, report: MarketReport, theme: str, articles: list[Article]) -> list[Article]:
    """The articles of a piece a clause sends to as a whole (« Voir CCTP ») where the theme's
    requirements are read (any lever but the criteria), when that piece was given."""
    kinds = {REFERENCED_KIND[m.group("piece").lower()] for a in articles for m in SENT_TO_PIECE.finditer(a.text)}
    kinds = {k for k in kinds if ctx.contract_given((k,))}
    if not kinds:
        return []
    held = {(a.doc.path, a.start) for a in articles}
    quotes = [e for d in _counted(report, theme) if d.lever != "criterion" for e in d.evidence[:3]
              if (doc := ctx.document(e.document)) is not None and doc.is_piece(*kinds)]
    return [a for a in clause_articles(ctx, quotes) if (a.doc.path, a.start) not in held]


#: an announcement that sends to the contract without an article: « incluant dans le cahier des
#: charges de la présente consultation une clause obligatoire d'insertion » (a real RC)
SENT_TO_CONTRACT = caseless(r"\b(?:dans\s+le|par\s+le|au)\s+(?P<piece>cahier\s+des\s+charges|CCAP)\b", prefilter=False)


def _sent_to_a_missing_piece(ctx: Context, quotes: list[Evidence], articles: list[Article]) -> str | None:
    """« CCAP art. 8 » when the clauses send the reader to a CCAP or CCTP article and no such
    piece was given (a real RC: « des conditions d'exécution … (cf. article 8 du CCAP) »,
    checked with its CCTP only); the quotes' own reference first, then their announcement
    of a clause « dans le cahier des charges » with no CCAP given, then their articles'."""
    quoted = [e.quote for e in quotes]
    if piece := _missing_article(ctx, quoted):
        return piece
    if not ctx.contract_given((DocKind.CCAP,)):
        # « au CCAP »; or « dans le cahier des charges » beside a CCTP given that does not hold it
        sent = [m.group("piece").lower() for q in quoted if (m := SENT_TO_CONTRACT.search(q))]
        if "ccap" in sent or sent and ctx.contract_given((DocKind.CCTP,)):
            return DocKind.CCAP.value
    return _missing_article(ctx, [a.text for a in articles])


def _missing_article(ctx: Context, texts: list[str]) -> str | None:
    """« CCAP art. 8 »: the first article of a CCAP or CCTP not given that the texts send to."""
    for text in texts:
        for m in REFERENCE.finditer(text):
            kind = REFERENCED_KIND.get(m.group(2).lower())
            if kind and not ctx.contract_given((kind,)):
                return f"{kind.value} art. {m.group(1)}"
    return None


def theme_penalty(ctx: Context, theme: str) -> bool:
    """A quantified penalty elsewhere (a general "Pénalités" article) aimed at the theme."""
    for doc in ctx.documents:
        for m in PENALTY.finditer(doc.text):
            lo = max(doc.text.rfind(".", 0, m.start()), doc.text.rfind("\n", 0, m.start()), m.start() - 300)
            hi = doc.text.find(".", m.end())
            if THEME_WORDS[theme].search(doc.text[lo + 1 : hi if hi > 0 else m.end() + 200]):
                return True
    return False


@check("clauses.quality")
def clauses_quality(report: MarketReport, ctx: Context) -> Verdict:
    """Each theme's clause articles hold a measurable demand, a follow-up and a quantified penalty."""
    lacks: list[str] = []
    evidence: list[Evidence] = []
    lacking: list[Evidence] = []
    unseen: list[str] = []  # clauses an RC announces, whose text is in a CCAP not given
    announced: list[Evidence] = []
    for theme, label in (("environmental", "environnementales"), ("social", "sociales")):
        clauses = [d for d in _counted(report, theme) if d.lever in ("clause", "insertion") and not about_reservation(report, d)]
        if not clauses:
            continue
        quotes = _clause_quotes(clauses)
        articles = clause_articles(ctx, quotes)
        articles += _sent_to_piece(ctx, report, theme, articles)
        text = "\n".join(a.text for a in articles) or " ".join(e.quote for d in clauses for e in d.evidence)
        missing = [name for name, ok in (
            ("exigence mesurable", MEASURABLE.search(text)),
            ("suivi (bilan, état, justificatifs)", FOLLOW_UP.search(text)),
            ("pénalité chiffrée", PENALTY.search(text) or theme_penalty(ctx, theme)),
        ) if not ok]
        where = ", ".join(dict.fromkeys(a.label for a in articles))
        only_announced = missing and all(a.doc.kind_at(a.start) not in CONTRACT_KINDS for a in articles)
        piece = _sent_to_a_missing_piece(ctx, quotes, articles) if only_announced else None
        if only_announced and (piece or not ctx.contract_given()):
            unseen.append(f"clauses {label} annoncées" + (f" ({where})" if where else "")
                          + (f", rédigées au {piece}, non fourni" if piece else ", rédigées dans un cahier des charges non fourni"))
            announced += quotes[:2]
            continue
        if missing:
            # « sans suivi (bilan, état, justificatifs) ni pénalité chiffrée », not « …, pénalité chiffrée »
            said = ", ".join(missing[:-1]) + " ni " + missing[-1] if len(missing) > 1 else missing[0]
            lacks.append(f"clauses {label}" + (f" ({where})" if where else "") + f" : sans {said}")
        quoted = ([e for e in quotes if any(a.holds(e) for a in articles)] or quotes)[:2]
        evidence += quoted
        lacking += quoted if missing else []
    if lacks:
        # the clauses that lack something, not a complete one of the other theme beside them
        return Verdict("fail", " ; ".join(lacks + unseen) + ".", lacking, absent=True)
    if unseen:
        return Verdict("unknown", " ; ".join(unseen), announced)
    if not evidence and not ctx.contract_given():
        # an RC, a notice or an AE alone: the clauses, if any, are in the pieces not given
        return Verdict("unknown", f"aucune clause trouvée ; elles s'écrivent {absent_from('le CCAP ou le CCTP')}")
    if not evidence:
        return Verdict("not_applicable", "aucune clause sociale ou environnementale d'exécution")
    return Verdict("pass", "clauses mesurables, suivies et assorties de pénalités chiffrées", evidence)


#: (domain of the declaration, its label, its adjective, the open-data value of its clauses)
DECLARATIONS = (("social", "sociales", "sociale", SOCIAL_CLAUSE), ("env", "environnementales", "environnementale", ENV_CLAUSE))


@check("clauses.declared")
def clauses_declared(report: MarketReport, ctx: Context) -> Verdict:
    """The DCE's own « Clauses sociales / environnementales : Avec / Sans » against the
    clauses written in it: the box is what the buyer publishes as the market's données
    essentielles (DECP), and what the indicators of a register copied from it count."""
    right: list[str] = []
    wrong: list[str] = []
    evidence: list[Evidence] = []
    unsure = True  # every disagreement is a clause not found (not proof when the DCE was read in part)
    for domain, label, adjective, decp_value in DECLARATIONS:
        declared = getattr(report.facts, f"declared_{domain}_clauses")
        if declared is None:
            continue
        said = f"« Clauses {label} : {'Avec' if declared else 'Sans'} »"
        box = report.facts.evidence.get(f"declared_{domain}_clauses", [])
        evidence += box
        if other := next((e for e in box[1:] if _declares(e) not in (None, declared)), None):
            wrong.append(f"{said} dans {file_name(box[0])}, mais « {'Sans' if declared else 'Avec'} » dans {file_name(other)}")
            unsure = False
        clauses = _clause_evidence(report, domain)
        found = decp_value in (report.decp.considerationsSociales + report.decp.considerationsEnvironnementales)
        if declared and not found:
            wrong.append(f"{said} déclaré, mais aucune clause {adjective} trouvée dans les documents")
        elif found and not declared:
            wrong.append(f"{said} déclaré, mais les documents en contiennent ({cite(clauses[0]) if clauses else 'clause relevée'})")
            unsure = False
        else:
            right.append(said + (f", clause écrite ({cite(clauses[0])})" if clauses else ", et aucune clause trouvée"))
        evidence += clauses[: 2 if found and not declared else 1]
    if wrong:
        return Verdict("fail", " ; ".join(wrong) + ".", evidence, absent=unsure)
    if right:
        return Verdict("pass", " ; ".join(right), evidence)
    return Verdict("not_applicable", "le DCE ne déclare pas ses clauses (pas de « Clauses sociales / environnementales : Avec / Sans »)")


def _declares(ev: Evidence) -> bool | None:
    """The value a declaration's quote says (« Clauses sociales Sans » -> False)."""
    m = DECLARED_CLAUSES.search(ev.quote)
    return declared_value(m) if m else None


def _clause_evidence(report: MarketReport, domain: str) -> list[Evidence]:
    """Quotes of the clauses of one domain, as the open data counts them (not criteria)."""
    quotes = [d.evidence[0] for d in clause_detections(report, domain) if d.evidence]
    if domain == "social" and report.insertion.present:
        quotes = report.insertion.evidence[:1] + quotes
    return quotes


#: the CCAG of 2021, which cap penalties at 10 %, apply to consultations from this day (those
#: launched before keep the CCAG of their time: a real CCP under the décret 2016-360)
CCAG_2021_DATE = date(2021, 4, 1)
#: the Egalim share of sustainable and quality products applies to meals served from this day
#: (code rural L230-5-1 : « au plus tard le 1er janvier 2022 »)
EGALIM_DATE = date(2022, 1, 1)
#: the 70 % of works waste recovered is the objective « en 2020 » of the code de
#: l'environnement (L541-1, I, 6°), the basis this check cites: a works DCE of 2016 (a real
#: one, « DCE B 5 Octobre 2016 ») was not bound by it
WORKS_WASTE_DATE = date(2020, 1, 1)


@check("obligations.sector")
def sector(report: MarketReport, ctx: Context) -> Verdict:
    """Egalim for catering, low-emission vehicles, 70 % of works waste recovered."""
    text = " ".join([report.facts.object or ""] + [e.quote for dets in (report.considerations.environmental,) for d in dets for e in d.evidence[:1]])
    names = " ".join(d.name for d in report.documents)
    catering = bool(CATERING.search(text) or CATERING.search(names) or any(d.category == "egalim_food" for d in report.considerations.environmental))
    vehicles = bool(VEHICLES.search(text))
    works = report.facts.nature == "travaux"
    env = report.considerations.environmental
    #: (the suggestion's line, what is required, found, the evidence)
    checks: list[tuple[str, str, bool, list[Evidence]]] = []
    #: sectors whose obligation came into force after the consultation: why, and the evidence
    earlier: list[tuple[str, list[Evidence]]] = []
    before_egalim = launched_before(report, EGALIM_DATE) if catering else None
    if before_egalim:
        earlier.append((f"restauration : {before_egalim[0]}, où la part de produits durables devient obligatoire (Egalim)",
                        before_egalim[1]))
    if catering and not before_egalim:
        egalim = [d for d in env if d.rule_id == "ENV-004"]
        checks.append(("Restauration", "restauration : produits durables et de qualité (Egalim)", bool(egalim),
                       [e for d in egalim for e in d.evidence[:1]]))
    if vehicles:
        clean = [d for d in env if d.category == "clean_vehicles"]
        checks.append(("Véhicules", "véhicules : motorisations à faibles émissions", bool(clean), [e for d in clean for e in d.evidence[:1]]))
    before_waste = launched_before(report, WORKS_WASTE_DATE) if works else None
    if before_waste:
        earlier.append((f"travaux : {before_waste[0]}, année de l'objectif de 70 % des déchets valorisés (L541-1)", before_waste[1]))
    elif works:
        waste70 = [d for d in env if d.category == "waste" and any(re.search(r"70\s*%", e.quote) for e in d.evidence)]
        checks.append(("Travaux", "travaux : 70 % des déchets valorisés", bool(waste70), [e for d in waste70 for e in d.evidence[:1]]))
    if not checks and earlier:
        return Verdict("not_applicable", " ; ".join(why for why, _ in earlier), [e for _, evs in earlier for e in evs])
    if not checks:
        return Verdict("not_applicable", "ni restauration collective, ni achat de véhicules, ni travaux")
    missing = [(line, name) for line, name, ok, _ in checks if not ok]
    ev = [e for *_, evs in checks for e in evs]
    if missing:
        return Verdict("fail", "manque : " + " ; ".join(name for _, name in missing) + ".", ev, absent=True,
                       suggest=tuple(line for line, _ in missing), written_in=CONTRACT_KINDS)
    return Verdict("pass", " ; ".join(name for _, name, _, _ in checks), ev)
