"""Per-document detections merged into one market: considerations, insertion, reserved, flags."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from achat_check.engine.detect import COUNT_THRESHOLD, Scored, set_aside
from achat_check.evidence import evidence_at
from achat_check.extract.criteria import makes_100, market_criteria
from achat_check.extract.duration import Duration, find_duration
from achat_check.extract.facts import REGISTER_DURATION, read_facts
from achat_check.extract.insertion import facilitator_name, read_hours, section_of
from achat_check.model import (
    Considerations,
    Criterion,
    Detection,
    DocKind,
    Document,
    Flags,
    GivenFacts,
    Insertion,
    Lot,
    MarketReport,
    Reserved,
    walk_criteria,
)

MAX_EVIDENCE = 5
MAX_DISCARDED = 40
RESERVED_BASIS = {
    "reserved_esat_ea": "L2113-12 (ESAT et entreprises adaptées)",
    "reserved_siae": "L2113-13 (structures d'insertion par l'activité économique)",
    "reserved_ess": "L2113-15 (entreprises de l'économie sociale et solidaire)",
}
DURATION_KINDS = (DocKind.CCAP, DocKind.RC, DocKind.AE, DocKind.CCTP, DocKind.OTHER, DocKind.BPU)


def group_detections(scored: list[Scored]) -> tuple[list[Detection], list[Detection]]:
    """One detection per rule and lever (best evidence first); counted and discarded apart."""
    groups: dict[tuple[str, str, bool, str], list[Scored]] = {}
    for s in scored:
        counted = s.score >= COUNT_THRESHOLD
        # discarded hits are grouped by what discarded them, so each reason is explained
        why = "" if counted else ",".join(a.rule_id for a in s.explanation.adjustments)
        groups.setdefault((s.rule.id, s.lever, counted, why), []).append(s)
    kept: list[Detection] = []
    discarded: list[Detection] = []
    for (_, lever, counted, _why), items in sorted(groups.items()):
        # at equal scores a clause of the CCAP, CCTP or RC shows the detection before a line
        # of a price schedule (« Fauche tardive des prairies m² 4000 » of a BPU)
        items.sort(key=lambda s: (-s.score, s.evidence.kind == DocKind.BPU))
        best = items[0]
        det = Detection(
            rule_id=best.rule.id,
            name=best.rule.name,
            title=best.rule.title,
            theme=best.rule.theme or "",
            category=best.rule.category,
            lever=lever,
            score=best.score,
            counted=counted,
            evidence=[s.evidence for s in items[:MAX_EVIDENCE]],
            explanation=best.explanation,
        )
        (kept if counted else discarded).append(det)
    kept.sort(key=lambda d: (-d.score, d.rule_id))
    return kept, discarded[:MAX_DISCARDED]


#: a theme's « announced » rule and its award-criterion rule.  Any rule read in a weighted
#: criterion's line takes the criterion lever; for the announcement that gives « Condition
#: d'exécution … annoncée (critère d'attribution) », quoting the line the criterion rule
#: already shows (« Performances en matière de protection de l'environnement … 10 % » of a
#: real RC): the line is shown once, as the criterion
ANNOUNCEMENT_CRITERION = {"env_execution_condition": "env_criterion", "social_clause": "social_criterion"}


def _without_repeated_announcements(scored: list[Scored]) -> list[Scored]:
    """The hits but an announcement read as a criterion in a sentence its theme's criterion
    rule holds too."""
    shown = {(s.rule.category, s.evidence.document, s.evidence.quote_start) for s in scored
             if s.lever == "criterion" and s.rule.category in ANNOUNCEMENT_CRITERION.values()}
    return [s for s in scored if not (
        s.lever == "criterion" and s.rule.category in ANNOUNCEMENT_CRITERION
        and (ANNOUNCEMENT_CRITERION[s.rule.category], s.evidence.document, s.evidence.quote_start) in shown
    )]


CRITERION_LINE = "ligne d'un critère d'attribution pondéré"


def criterion_lines_as_criteria(scored: list[Scored], groups: list[list[Criterion]]) -> list[Scored]:
    """Hits on the line of a weighted criterion the criteria reader took are criteria: « Respect
    de la démarche éco-conception 5% » in a real RC, under a heading that does not say
    « critères », was read as a clause of the RC."""
    lines: dict[str, list[tuple[int, int]]] = {}
    for criteria in groups:
        for c in walk_criteria(criteria):
            for e in c.evidence[:1]:
                lines.setdefault(e.document, []).append((e.start, e.end))
    out = []
    for s in scored:
        ev = s.evidence
        if s.lever != "criterion" and any(a < ev.end and ev.start < b for a, b in lines.get(ev.document, ())):
            why = s.explanation
            s = replace(s, lever="criterion", explanation=why.model_copy(update={
                "lever_reason": CRITERION_LINE,
                "summary": why.summary.replace(f"levier : {why.lever_reason}.", f"levier : {CRITERION_LINE}."),
            }))
        out.append(s)
    return out


#: why an insertion cue in the sentence that reserves the market is set aside: « réservé aux
#: structures d'insertion par l'activité économique » (L2113-13) names who may bid, it is a
#: reserved market, not an insertion clause (L2112-2), and counts as one in the indicators
RESERVATION_SENTENCE = "phrase qui réserve le marché, pas une clause d'insertion"


def reservation_restated(scored: list[Scored]) -> list[Scored]:
    """Insertion-clause hits in a sentence that reserves the market are set aside (score 0,
    said in their explanation): the reservation is reported as such."""
    reserving = {_sentence_key(s) for s in _counted(scored, "reserved", *RESERVED_BASIS)}
    if not reserving:
        return scored
    out = []
    for s in scored:
        if s.rule.category == "insertion_clause" and s.score > 0 and _sentence_key(s) in reserving:
            s = set_aside(s, "RESERVED", RESERVATION_SENTENCE)
        out.append(s)
    return out


def _sentence_key(s: Scored) -> tuple[str, int]:
    return s.evidence.document, s.evidence.quote_start or s.evidence.start


def considerations(scored: list[Scored]) -> Considerations:
    """Environmental and social detections of the market."""
    kept, discarded = group_detections(_without_repeated_announcements(scored))
    return Considerations(
        environmental=[d for d in kept if d.theme == "environmental"],
        social=[d for d in kept if d.theme == "social"],
        discarded=discarded,
    )


#: the criterion kinds that show a theme's award-criterion detection best, narrowest first
CRITERION_KINDS_SHOWN = {"env_criterion": ("environmental", "sustainable"), "social_criterion": ("social", "sustainable")}


def criterion_evidence_first(found: Considerations, groups: list[list[Criterion]]) -> None:
    """« Critère d'attribution social » quotes the social criterion the criteria list holds.

    The rule reads every weighted line naming its theme, the combined one first in the
    text: DAE's « Critère n°3 : Considérations sociales et environnementales (15%) » was
    quoted before its « Sous-critère 3.1 : Prise en compte de la performance sociale (5%) »,
    and a sample RC's sentence announcing its two criteria before « Performance sociale
    10 % ».  The first criterion of the theme's own kind (else a combined one) is shown
    first: its line when the rule read it, else the criterion's own evidence."""
    for det in found.environmental + found.social:
        kinds = CRITERION_KINDS_SHOWN.get(det.category)
        if det.lever != "criterion" or not kinds:
            continue
        crit = _first_of_kinds(groups, kinds)
        if crit is None or not crit.evidence:
            continue
        line = crit.evidence[0]
        same = [e for e in det.evidence if e.document == line.document and e.start < line.end and line.start < e.end]
        first = same[0] if same else line
        det.evidence = [first] + [e for e in det.evidence if e is not first][: MAX_EVIDENCE - 1]


def _first_of_kinds(groups: list[list[Criterion]], kinds: tuple[str, ...]) -> Criterion | None:
    for kind in kinds:
        for criteria in groups:
            crit = next((c for c in walk_criteria(criteria) if c.kind == kind), None)
            if crit is not None:
                return crit
    return None


def market_duration(docs: list[Document], notified: date | None = None) -> tuple[Duration, Document] | None:
    """The maximum duration stated by the documents (contract pieces first); `notified`, the
    notification day known beside them, starts a first period they close by a day.  Such a
    period with no notification day gives no maximum: another piece's maximum is taken first."""
    partial = None
    for kind in DURATION_KINDS:
        for doc in docs:
            if doc.kind == kind:
                found = find_duration(doc.text, notified)
                if found is None:
                    continue
                if found.months is not None:
                    return found, doc
                partial = partial or (found, doc)
    return partial


def _counted(scored: list[Scored], *categories: str) -> list[Scored]:
    return [s for s in scored if s.score >= COUNT_THRESHOLD and s.rule.category in categories and s.lever != "criterion"]


def insertion(scored: list[Scored], docs: dict[str, Document], max_months: float | None,
              duration_basis: str | None = None) -> Insertion:
    """The insertion clause: presence, hours over the market (counted over `max_months`, which
    `duration_basis` says comes from the register when the documents write none), facilitator."""
    clause = _counted(scored, "insertion_clause")
    result = Insertion(present=bool(clause), evidence=[s.evidence for s in clause[:MAX_EVIDENCE]])
    for s in sorted(clause, key=lambda s: (s.evidence.document, s.evidence.start)):
        doc = docs[s.evidence.document]
        lo, hi = section_of(doc, s.evidence.start)
        hours = read_hours(doc, lo, hi, max_months, duration_basis)
        if hours and (hours.stated is not None or hours.share is not None or hours.etp is not None):
            result.hours = hours.total
            result.hours_stated = hours.stated
            result.hours_period = hours.period
            result.hours_basis = hours.basis
            result.etp_stated = hours.etp
            result.share_of_labour_hours = hours.share
            break
    facilitators = _counted(scored, "facilitator")
    if facilitators and (result.present or _counted(scored, "insertion_means")):
        result.facilitator = True
        result.facilitator_evidence = [s.evidence for s in facilitators[:MAX_EVIDENCE]]
        for s in facilitators:
            name = facilitator_name(docs[s.evidence.document], s.evidence.start, s.evidence.end)
            if name:
                result.facilitator_name = name
                break
    return result


def reserved(scored: list[Scored]) -> Reserved:
    """A market reserved to inclusive structures, and its legal basis."""
    hits = _counted(scored, "reserved", *RESERVED_BASIS)
    if not hits:
        return Reserved()
    bases = [RESERVED_BASIS[s.rule.category] for s in hits if s.rule.category in RESERVED_BASIS]
    return Reserved(present=True, basis=bases[0] if bases else None, evidence=[s.evidence for s in hits[:MAX_EVIDENCE]])


def about_reservation(report: MarketReport, det: Detection) -> bool:
    """A detection that only restates the reservation (the reserved-market article, e.g.
    "travailleurs handicapés" in it) is neither an execution clause nor a clause sociale."""
    if det.category.startswith("reserved"):
        return True
    spans = {(e.document, e.quote_start or e.start) for e in report.reserved.evidence}
    return bool(spans) and all((e.document, e.quote_start or e.start) in spans for e in det.evidence)


def criteria_flags(criteria: list[Criterion]) -> tuple[bool, bool]:
    """(environmental, social) award criteria, sub-criteria included; a combined
    sustainability criterion counts for the parts it holds (both when it is not split)."""
    env = soc = False
    for c in walk_criteria(criteria):
        kinds = {s.kind for s in walk_criteria(c.sub)}
        if c.kind == "environmental" or c.kind == "sustainable" and ("environmental" in kinds or not c.sub):
            env = True
        if c.kind == "social" or c.kind == "sustainable" and ("social" in kinds or not c.sub):
            soc = True
    return env, soc


def criteria_groups(report: MarketReport) -> list[list[Criterion]]:
    """The market's criteria and each other lot group's, each group once and none empty (the
    first lot group's criteria are the market's: the same list)."""
    groups = [report.criteria] + [g.criteria for g in report.criteria_lots[1:]]
    return [g for g in groups if g]


def flags(report: MarketReport, scored: list[Scored]) -> Flags:
    """The booleans the yearly indicators count."""
    counted = [s for s in scored if s.score >= COUNT_THRESHOLD]
    env = [s for s in counted if s.rule.theme == "environmental"]
    soc = [s for s in counted if s.rule.theme == "social"]
    groups = criteria_groups(report)
    crit_env = any(criteria_flags(g)[0] for g in groups)
    crit_soc = any(criteria_flags(g)[1] for g in groups)
    return Flags(
        env_consideration=bool(env) or crit_env,
        env_criterion=crit_env or any(s.lever == "criterion" for s in env),
        social_consideration=bool(soc) or report.insertion.present or report.reserved.present or crit_soc,
        social_criterion=crit_soc or any(s.lever == "criterion" for s in soc),
        insertion_clause=report.insertion.present,
        facilitator=report.insertion.facilitator,
        reserved=report.reserved.present,
        in_scope=report.flags.in_scope,
    )


def lots_of_criteria(report: MarketReport) -> None:
    """Criteria weighed lot by lot name the market's lots when no list of them was read: the
    market is allotted (« Prix : 60 % pour les lots 1 à 5, 40 % pour le lot 6 »)."""
    f = report.facts
    named = list(dict.fromkeys(lot for g in report.criteria_lots for lot in g.lots))
    if f.lots or f.allotted is False or len(named) < 2:
        return
    f.lots = [Lot(number=n) for n in named]
    f.allotted, f.lots_announced = True, None
    f.evidence["allotted"] = next(([c.evidence[0]] for g in report.criteria_lots for c in g.criteria if c.evidence), [])


def assemble(report: MarketReport, docs: list[Document], scored: list[Scored], given: GivenFacts | None = None) -> MarketReport:
    """Fill the detection parts of the report from every document's scored hits; `given`, what
    a register says beside the documents: its notification day may start the first period, its
    duration stands in for a maximum they do not write (annual figures are counted over it)."""
    by_path = {d.path: d for d in docs}
    found = market_duration(docs, given.notified if given else None)
    max_months = found[0].months if found else None
    if max_months is None and given is not None and given.duration_months:
        max_months, report.facts.duration_basis = given.duration_months, REGISTER_DURATION
    report.facts.max_duration_months = max_months
    if found:
        duration, doc = found
        report.facts.duration_months = duration.base_months
        report.facts.renewals = duration.renewals
        report.facts.renewal_months = duration.per_months
        report.facts.first_period_end = duration.first_end
        report.facts.evidence["duration"] = [evidence_at(doc, duration.start, duration.end)]
    report.facts = read_facts(docs, max_months, report.facts)
    found_criteria = market_criteria(docs)
    if found_criteria:
        report.criteria = found_criteria.criteria
        report.criteria_lots = found_criteria.groups
        report.criteria_total = found_criteria.total
        report.criteria_total_is_100 = makes_100(found_criteria.total)
        report.criteria_points_total = found_criteria.points_total
        report.criteria_stated_total = found_criteria.stated_total
        lots_of_criteria(report)
    groups = criteria_groups(report)
    scored = reservation_restated(criterion_lines_as_criteria(scored, groups))
    report.considerations = considerations(scored)
    criterion_evidence_first(report.considerations, groups)
    report.insertion = insertion(scored, by_path, max_months, report.facts.duration_basis)
    report.reserved = reserved(scored)
    report.flags = flags(report, scored)
    return report
