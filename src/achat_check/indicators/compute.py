"""The yearly indicators of a rulebook, from the registers and the documents' reports.

A market counts for the year of its notification date.  Rates are over markets whose
amount HT reaches the rulebook's threshold (≥ 25 000 € HT for the Référentiel 2025, > 20 000
€ HT for the Plan cadre) and whose value is known: a market with no known value is left out
of both numerator and denominator, and the data-quality section says which and why.
Counts (hours, facilitator, reserved markets) are over every market of the year; when no
market of the year gives the value, the count is unknown, not 0.  An indicator without a
value says why in its note (no market that year, none at the threshold, a value the register
never gives and how to give it).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from achat_check.extract.numbers import fmt_number
from achat_check.indicators.model import (
    CrossCheck,
    DataIssue,
    Indicator,
    IndicatorReport,
    MarketLine,
    MarketRecord,
    OrganisationRecord,
    PaymentRecord,
    ReportDigest,
    unknown_value,
)
from achat_check.indicators.registers import PROTECTED
from achat_check.model import MarketReport, walk_criteria
from achat_check.report.labels import cite, first_of
from achat_check.thresholds import THRESHOLDS, reaches

DEFAULT_VAT = 20.0
LIST_CAP = 20  # ids named in one data-quality line
RESERVED_BASIS = {"L2113-12": "ESAT/EA", "L2113-13": "SIAE", "L2113-15": "ESS"}
CROSS_FIELDS = {
    "env_consideration": "considération environnementale",
    "env_criterion": "critère environnemental",
    "social_consideration": "considération sociale",
    "social_criterion": "critère social",
    "reserved": "marché réservé",
    "facilitator": "facilitateur",
}


@dataclass(frozen=True)
class Definition:
    """An indicator of a rulebook: how it is labelled and computed."""

    id: str
    label: str
    level: str
    family: str
    unit: str
    compute: Callable[[Scope], Indicator]
    target: float | None = None
    target_label: str | None = None


@dataclass(frozen=True)
class Asking:
    """How a manager is told to give what a value lacks, in the words of where they are: the
    command line's options (the default), the web page's forms or the API's fields (the web
    page told its users to give « --payments »)."""

    #: what fills the flags of markets whose register line is silent (a rate, a count)
    documents: str = "joignez les rapports de leurs DCE (--reports) ou faites-les vérifier (--scan)"
    reports: str = "joignez les rapports des DCE (--reports)"
    payments: str = "--payments"
    organisations: str = "--organisations"
    #: how the years are asked for, before « 2026 »
    year: str = "--year "


COMMAND_LINE = Asking()
WEB_PAGE = Asking(
    documents="faites vérifier leurs DCE par un lot (page « Lots »), puis calculez « À partir des lots enregistrés »",
    reports="faites vérifier les DCE par un lot (page « Lots »)",
    payments="champ « Registre des paiements »",
    organisations="champ « Registre des organismes »",
    year="« Année(s) » ",
)
API = Asking(
    documents="faites vérifier leurs DCE par un lot (POST /v1/batches), puis GET /v1/indicators",
    reports="faites vérifier les DCE par un lot (POST /v1/batches)",
    payments="champ payments",
    organisations="champ organisations",
    year="year=",
)


@dataclass
class Scope:
    """What one indicator is computed over: a year, a group, and their records."""

    year: int
    group: str | None
    markets: list[MarketRecord]
    payments: list[PaymentRecord]
    organisations: list[OrganisationRecord]
    threshold: float
    inclusive: bool
    issues: list[DataIssue]
    payments_given: bool = False
    asking: Asking = COMMAND_LINE
    #: (kind, message, ids) -> the line said and the values it names (`note`)
    said: dict[tuple[str, str, tuple[str, ...]], tuple[DataIssue, list[str]]] = field(default_factory=dict)
    #: where the register's markets are when this year has none (`_elsewhere`)
    other_years: str = ""

    def in_scope(self, m: MarketRecord) -> bool:
        """Amount HT at (or above, or strictly above) the threshold."""
        if m.amount_ht is None:
            return False
        return reaches(m.amount_ht, self.threshold, self.inclusive)

    @property
    def bound(self) -> str:
        """« ≥ 25 000 € HT » or « > 20 000 € HT »."""
        return f"{'≥' if self.inclusive else '>'} {_eur(self.threshold)} HT"

    def why_no_rate(self, scoped: list[MarketRecord], unknown: list[str], label: str, fix: str) -> str:
        """Why a rate has no value: the year has no market, none reaches the threshold, or no
        register line says the value (a dash alone sent the manager hunting)."""
        if not self.markets:
            return "aucun marché notifié cette année dans le registre" + self.other_years
        if not scoped:
            no_amount = sum(1 for m in self.markets if m.amount_ht is None)
            return f"aucun marché {self.bound} cette année" + (f" ({no_amount} sans montant)" if no_amount else "")
        return f"{unknown_value(label)} pour tous les marchés {self.bound} de l'année : {fix}"

    def fill(self, what: str) -> str:
        """How to give a value a register lacks: « renseignez {what} », or, when the year's
        markets come from a DECP file, which has no such column, a register that has it."""
        if self.markets and all(m.decp for m in self.markets):
            return f"absent des DECP, donnez un registre CSV ou XLSX avec {what}"
        return f"renseignez {what}"

    def left_out(self, unknown: list[str], label: str) -> str:
        """The note of a rate computed without the markets whose value is unknown."""
        return f"{len(unknown)} marché(s) {self.bound} de {unknown_value(label)} exclu(s) du taux" if unknown else ""

    def none_known(self, unknown: list[str]) -> bool:
        """Whether no market of the year gives the value (`unknown` are the ids of those that
        do not): a count is then unknown, not 0."""
        return bool(self.markets) and len(unknown) == len(self.markets)

    def note(self, kind: str, ids: list[str], message: str, label: str = "", several: str = "") -> None:
        """One data-quality line for several markets of this scope.  The values (`label`) the
        same markets lack share one line: a DECP file of the 2019 format, which declares no
        consideration, gave three lines naming the same 206 markets; `several` is the message
        of a line that names more than one value."""
        if not ids:
            return
        key = (kind, message, tuple(ids))
        issue, labels = self.said.get(key) or (None, [])
        labels.append(label)
        text = f"{', '.join(labels)} : {several if len(labels) > 1 and several else message}" if label else message
        text += f" : {len(ids)} marché(s) ({_listed(ids)})."
        if issue is not None:
            issue.message = text
            return
        issue = DataIssue(kind=kind, source=f"{self.year}" + (f", {self.group}" if self.group else ""), message=text)
        self.issues.append(issue)
        self.said[key] = (issue, labels)


# --------------------------------------------------------------------------- indicator kinds


SME_COLUMNS = "la catégorie ou l'effectif du titulaire (colonnes « categorie_titulaire », « effectif_titulaire »)"


def rate(flag: str, label: str) -> Callable[[Scope], Indicator]:
    """Rate of in-scope markets whose flag is true, over those whose flag is known."""

    def compute(s: Scope) -> Indicator:
        scoped = [m for m in s.markets if s.in_scope(m)]
        unknown = [m.id for m in scoped if getattr(m, flag) is None]
        known = [m for m in scoped if getattr(m, flag) is not None]
        yes = [m.id for m in known if getattr(m, flag)]
        s.note("valeur inconnue", unknown, "valeur inconnue, marché exclu du taux", label, "valeurs inconnues, marché exclu de ces taux")
        if not known:
            return _ind(s, value=None, numerator=0, denominator=0, note=s.why_no_rate(scoped, unknown, label, s.asking.documents))
        return _ind(s, value=len(yes) / len(known), numerator=len(yes), denominator=len(known), ids=yes,
                    note=s.left_out(unknown, label))

    return compute


def count(flag: str, label: str, column: str) -> Callable[[Scope], Indicator]:
    """Markets of the year whose flag is true, whatever their amount; no value when no market
    of the year says (a register without the `column` counted 0, as if none were)."""

    def compute(s: Scope) -> Indicator:
        yes = [m.id for m in s.markets if getattr(m, flag)]
        unknown = [m.id for m in s.markets if getattr(m, flag) is None]
        note = _count_note(s, unknown, label, column)
        if s.none_known(unknown):
            return _ind(s, value=None, note=note)
        return _ind(s, value=len(yes), numerator=len(yes), ids=yes, note=note)

    return compute


def _count_note(s: Scope, unknown: list[str], label: str, column: str) -> str:
    """No market of the year says: why the count has no value (and the register's `column`
    to fill); some do not: it is a minimum."""
    if not unknown:
        return ""
    if s.none_known(unknown):
        return f"{unknown_value(label)} pour tous les marchés de l'année : {s.fill(f'la colonne « {column} »')} ou {s.asking.reports}"
    return f"valeur minimale : {len(unknown)} marché(s) de {unknown_value(label)} non compté(s)"


def hours(exclude_disability: bool) -> Callable[[Scope], Indicator]:
    """Insertion hours worked over the markets of the year (minus disability hours if asked).

    A market whose hours are not given counts for nothing only when it is known to have no
    social clause; if no market of the year gives hours while some may have a clause, the
    total is unknown, not 0."""

    def compute(s: Scope) -> Indicator:
        total, ids = 0.0, []
        for m in s.markets:
            if m.insertion_hours:
                h = m.insertion_hours - ((m.insertion_hours_disability or 0) if exclude_disability else 0)
                total += max(h, 0)
                ids.append(m.id)
        given = any(m.insertion_hours is not None for m in s.markets)
        missing = [m.id for m in s.markets if m.insertion_hours is None and m.social_clause is not False]
        fix = s.fill("les heures réalisées (colonne « heures_insertion »)")
        if missing and not given:
            return _ind(s, value=None, note=f"heures d'insertion renseignées pour aucun marché de l'année, et certains ont une "
                                             f"clause sociale ou n'en disent rien : {fix}")
        note = f"valeur minimale : {len(missing)} marché(s) à clause sociale, ou qui n'en disent rien, sans heures renseignées" if missing else ""
        return _ind(s, value=total, numerator=total, ids=ids, note=note)

    return compute


def sme_rate(s: Scope) -> Indicator:
    """Rate of in-scope markets awarded to an SME, over those whose awardee category is known."""
    scoped = [m for m in s.markets if s.in_scope(m)]
    unknown = [m.id for m in scoped if m.sme is None]
    s.note("catégorie inconnue", unknown, "catégorie d'entreprise du titulaire inconnue, marché exclu du taux PME")
    known = [m for m in scoped if m.sme is not None]
    yes = [m.id for m in known if m.sme]
    if not known:
        return _ind(s, value=None, numerator=0, denominator=0, note=s.why_no_rate(scoped, unknown, "titulaire PME", s.fill(SME_COLUMNS)))
    return _ind(s, value=len(yes) / len(known), numerator=len(yes), denominator=len(known), ids=yes,
                note=s.left_out(unknown, "titulaire PME"))


def sme_amount_share(s: Scope) -> Indicator:
    """Share of the total amount HT of in-scope markets awarded to SMEs (Plan cadre indicator 10)."""
    scoped = [m for m in s.markets if s.in_scope(m)]
    unknown = [m.id for m in scoped if m.sme is None]
    known = [m for m in scoped if m.sme is not None]
    total = sum(m.amount_ht or 0 for m in known)
    sme = [m for m in known if m.sme]
    part = sum(m.amount_ht or 0 for m in sme)
    if not total:
        return _ind(s, value=None, numerator=part, denominator=total, note=s.why_no_rate(scoped, unknown, "titulaire PME", s.fill(SME_COLUMNS)))
    return _ind(s, value=part / total, numerator=part, denominator=total, ids=[m.id for m in sme],
                note=s.left_out(unknown, "titulaire PME"))


def payment_delay(s: Scope) -> Indicator:
    """Average days between payment request and payment, over payments made in the year."""
    delays: list[float] = []
    negative: list[str] = []
    missing: list[str] = []
    unreadable: list[str] = []
    for p in s.payments:
        d = p.delay
        if d is None:
            (unreadable if p.unreadable_date else missing).append(p.source)
        elif d < 0:
            negative.append(p.source)
        else:
            delays.append(d)
    for kind, items, message in (("délai négatif", negative, "paiement antérieur à la demande, exclu du délai moyen"),
                                 ("date manquante", missing, "date de réception ou de paiement manquante, paiement exclu"),
                                 ("date illisible", unreadable, "date de réception ou de paiement illisible (attendu : AAAA-MM-JJ ou "
                                  "JJ/MM/AAAA), paiement exclu")):
        if items:
            s.issues.append(DataIssue(kind=kind, source=str(s.year), message=f"{message} : {len(items)} paiement(s) ({_listed(items)})."))
    total = float(sum(delays))
    if not delays:
        why = (f"registre des paiements non fourni ({s.asking.payments})" if not s.payments_given else
               "aucun paiement de l'année au délai lisible" if s.payments else "aucun paiement de l'année dans le registre des paiements")
        return _ind(s, value=None, numerator=0, denominator=0, note=why)
    return _ind(s, value=round(total / len(delays), 1), numerator=total, denominator=len(delays))


def protected_sector(volume: bool) -> Callable[[Scope], Indicator]:
    """Markets reserved to ESAT/EA (the protected and adapted sector): count or amount HT."""

    def compute(s: Scope) -> Indicator:
        reserved = [m for m in s.markets if m.reserved]
        unknown = [m.id for m in reserved if not m.reserved_kind]
        if not volume:
            s.note("type de réservation inconnu", unknown, "marché réservé sans type (ESAT/EA, SIAE, ESS), non compté au secteur protégé")
        esat = [m for m in reserved if PROTECTED.search(m.reserved_kind)]
        said = [m.id for m in s.markets if m.reserved is None]
        note = _count_note(s, said, "marché réservé", "marche_reserve")
        if s.none_known(said):
            return _ind(s, value=None, note=note)
        if volume:
            total = sum(m.amount_ht or 0 for m in esat)
            return _ind(s, value=total, numerator=total, ids=[m.id for m in esat], note=note)
        return _ind(s, value=len(esat), numerator=len(esat), ids=[m.id for m in esat], note=note)

    return compute


def orgs_with_facilitator(s: Scope) -> Indicator:
    """Organisations that used a facilitator for at least one market of the year."""
    orgs = sorted({m.organisation or m.buyer_id for m in s.markets if m.facilitator})
    ids = [m.id for m in s.markets if m.facilitator]
    unknown = [m.id for m in s.markets if m.facilitator is None]
    if s.none_known(unknown):
        return _ind(s, value=None, note=_count_note(s, unknown, "facilitateur", "facilitateur"))
    return _ind(s, value=len(orgs), numerator=len(orgs), ids=ids, note=_organisations(orgs))


def _organisations(ids: list[str]) -> str:
    """The note naming the organisations an indicator counts: « organisme(s) : X » alone left
    a manager asking what X was (the ones with a plan, not the ones without)."""
    return "organisme(s) compté(s) au numérateur : " + first_of(ids, LIST_CAP) if ids else ""


def org_rate(test: Callable[[OrganisationRecord, int], bool | None], label: str) -> Callable[[Scope], Indicator]:
    """Rate of organisations of the register meeting a test (None: unknown, left out)."""

    def compute(s: Scope) -> Indicator:
        if not s.organisations:
            return _ind(s, value=None, note=f"registre des organismes non fourni ({s.asking.organisations})")
        known = [(o, test(o, s.year)) for o in s.organisations]
        unknown = [o.id for o, ok in known if ok is None]
        if unknown:
            s.issues.append(DataIssue(kind="valeur inconnue", source=str(s.year),
                                      message=f"{label} : valeur inconnue pour {len(unknown)} organisme(s) ({', '.join(unknown[:LIST_CAP])}), exclu(s) du taux."))
        counted = [o for o, ok in known if ok is not None]
        yes = [o for o, ok in known if ok]
        if not counted:
            return _ind(s, value=None, numerator=0, denominator=0,
                        note=f"{unknown_value(label)} pour tous les organismes du registre des organismes")
        return _ind(s, value=len(yes) / len(counted), numerator=len(yes), denominator=len(counted),
                    note=_organisations([o.id for o in yes]))

    return compute


def trained_within_3_years(o: OrganisationRecord, year: int) -> bool | None:
    """Buyers trained in social aspects in the three years up to the end of the year."""
    if o.social_training is None:
        return None
    return date(year - 3, 12, 31) < o.social_training <= date(year, 12, 31)


def _ind(s: Scope, value: float | None, numerator: float | None = None, denominator: float | None = None,
         ids: list[str] | None = None, note: str = "") -> Indicator:
    # id, label... are filled by the caller from the Definition
    return Indicator(id="", label="", level="P1", family="", unit="nombre", year=s.year, group=s.group, value=value,
                     numerator=numerator, denominator=denominator, market_ids=ids or [], note=note)


# --------------------------------------------------------------------------- rulebooks

TARGET_2026 = "100 % des marchés en 2026 (Référentiel RSO)"
RSO_2025 = [
    Definition("ENV-P1", "Taux des marchés ≥ 25 000 € HT comportant au moins une considération environnementale", "P1", "Environnement", "taux",
               rate("env_consideration", "considération environnementale"), 1.0, TARGET_2026),
    Definition("ENV-P2", "Taux des marchés ≥ 25 000 € HT intégrant un critère environnemental", "P2", "Environnement", "taux",
               rate("env_criterion", "critère environnemental"), 1.0, TARGET_2026),
    Definition("ENV-P2-PLAN", "Taux d'organismes ayant mis en place un plan d'actions pour réduire les consommations et les volumes d'achats",
               "P2", "Organismes", "taux", org_rate(lambda o, y: o.reduction_plan, "plan de réduction")),
    Definition("SOC-P1", "Taux des marchés ≥ 25 000 € HT comportant au moins une considération sociale", "P1", "Social", "taux",
               rate("social_consideration", "considération sociale"), 1.0, TARGET_2026),
    Definition("SOC-P1-TRAINING", "Taux d'organismes ayant formé depuis 3 ans des acheteurs aux aspects sociaux de la commande publique",
               "P1", "Organismes", "taux", org_rate(trained_within_3_years, "date de formation")),
    Definition("SOC-P2-FACILITATOR", "Nombre de marchés passés en lien avec un facilitateur", "P2", "Social", "nombre", count("facilitator", "facilitateur", "facilitateur")),
    Definition("SOC-P2-HOURS", "Nombre d'heures d'insertion", "P2", "Social", "heures", hours(exclude_disability=False)),
    Definition("SOC-P2-RESERVED", "Nombre de marchés réservés notifiés avec les structures inclusives et l'ESS", "P2", "Social", "nombre",
               count("reserved", "marché réservé", "marche_reserve")),
    Definition("ECO-P1-PME", "Taux des marchés ≥ 25 000 € HT passés avec des PME", "P1", "Relations fournisseurs", "taux", sme_rate),
    Definition("ECO-P1-DELAY", "Délai moyen de paiement des fournisseurs (en jours)", "P1", "Relations fournisseurs", "jours", payment_delay),
]
PLAN_CADRE_2015 = [
    Definition("PC-1", "% de marchés (> 20 000 € HT) comportant une clause environnementale", "suivi", "Environnement", "taux",
               rate("env_clause", "clause environnementale")),
    Definition("PC-4", "Nombre d'heures travaillées dans le cadre des clauses d'insertion (hors handicap)", "suivi", "Social", "heures",
               hours(exclude_disability=True)),
    Definition("PC-5", "Nombre d'organismes ayant eu recours à un facilitateur dans le cadre d'une passation de marché", "suivi", "Social",
               "nombre", orgs_with_facilitator),
    Definition("PC-6", "Marchés (> 20 000 € HT) comportant une clause sociale", "résultat", "Social", "taux",
               rate("social_clause", "clause sociale"), 0.18, "18 % d'ici 2018 (Plan cadre)"),
    Definition("PC-8", "Nombre de marchés auprès du secteur protégé et adapté (EA/ESAT)", "résultat", "Social", "nombre", protected_sector(False)),
    Definition("PC-8-VOLUME", "Volume d'achat auprès du secteur protégé et adapté (€ HT)", "résultat", "Social", "euros", protected_sector(True),
               15_000_000, "15 M€ d'ici 2018 (Plan cadre)"),
    Definition("PC-10", "Part des PME dans le montant total des marchés (> 20 000 € HT)", "suivi", "Relations fournisseurs", "taux", sme_amount_share),
]
#: the indicators each rulebook defines
DEFINITIONS = {"rso-2025": RSO_2025, "plan-cadre-2015": PLAN_CADRE_2015}


# --------------------------------------------------------------------------- preparation


def prepare_markets(markets: list[MarketRecord], issues: list[DataIssue], today: date | None = None,
                    years: list[int] | None = None, unsaid: list[tuple[int, str]] | None = None) -> list[MarketRecord]:
    """Duplicates, amounts HT and dates checked once, before any year is computed.

    What is said of the markets goes to `issues`, one line for a cause many markets share
    (`Remarks`); given `years`, only of the markets notified in them or undated: the others'
    remarks go to `unsaid` as (year, file), for one line that counts them."""
    today = today or date.today()
    seen: dict[str, MarketRecord] = {}
    said = Remarks(years)
    out = []
    for n_read, m in enumerate(markets, start=1):
        if not m.id or PLACEHOLDER_ID.fullmatch(m.id):
            said.unnamed.append((m, m.id))
            m.id = f"sans-identifiant-{n_read}"
        key = f"{m.buyer_id}|{m.id}" if m.buyer_id else m.id
        first = seen.get(key)
        if first is not None:
            if (first.object, first.amount, first.notified) == (m.object, m.amount, m.notified):
                said.repeated[key].append(m)
                continue
            n = sum(1 for k in seen if k.split("#")[0] == key) + 1
            said.reused[key].append(m)
            m.id = f"{m.id}#{n}"
            key = f"{key}#{n}"
        seen[key] = m
        own: list[DataIssue] = []
        _amount_ht(m, own)
        said.each.extend((m, issue) for issue in own)
        _imply(m)
        if m.notified is None:
            if "date_notification" not in m.unreadable:  # else its « date illisible » issue says it
                said.each.append((m, DataIssue(kind="date manquante", source=m.source, market_id=m.id,
                                               message="date de notification manquante : marché compté dans aucune année.")))
        elif m.notified > today or m.notified.year < 2000:  # said whatever the years: 2062 may be a 2026 mistyped
            issues.append(DataIssue(kind="date douteuse", source=m.source, market_id=m.id,
                                    message=f"date de notification {m.notified:%d/%m/%Y} improbable : à vérifier."))
        out.append(m)
    said.tell(seen, issues, unsaid if unsaid is not None else [])
    return out


#: an identifier the data fill with zeros: a real DECP file (2019 format) writes
#: « 000000000000 » or « 0000000000000000 » for 12 of its markets; they are markets without
#: an identifier, not lots of one market (« identifiant déjà utilisé … (lot ?) »)
PLACEHOLDER_ID = re.compile(r"[0\W_]+")


@dataclass
class Remarks:
    """What preparing the markets has to say, gathered to be said once per cause: a real
    DECP file left 33 markets without an identifier and reused one for 12 lots, 45 lines
    that buried the rest.  Only the markets of `years` (and the undated) are spoken of: a
    manager computing 2019 read lines about 2021's markets."""

    years: list[int] | None
    #: (market, the identifier written: "" or a placeholder)
    unnamed: list[tuple[MarketRecord, str]] = field(default_factory=list)
    #: first market's key -> the markets dropped as its repeats, and those kept under « id#n »
    repeated: dict[str, list[MarketRecord]] = field(default_factory=lambda: defaultdict(list))
    reused: dict[str, list[MarketRecord]] = field(default_factory=lambda: defaultdict(list))
    each: list[tuple[MarketRecord, DataIssue]] = field(default_factory=list)

    def about(self, m: MarketRecord) -> bool:
        """Whether a market is spoken of: notified in the years computed, or undated."""
        return self.years is None or m.notified is None or m.notified.year in self.years

    def tell(self, seen: dict[str, MarketRecord], issues: list[DataIssue], unsaid: list[tuple[int, str]]) -> None:
        """The remarks on the markets of the years to `issues`, the others' (year, file) to `unsaid`."""
        def kept(ms: list[MarketRecord]) -> list[MarketRecord]:
            unsaid.extend((m.notified.year, _file(m.source)) for m in ms if not self.about(m))  # type: ignore[union-attr]
            return [m for m in ms if self.about(m)]

        written = {id(m): w for m, w in self.unnamed}
        for ms in _by_file(kept([m for m, _ in self.unnamed])).values():
            issues.append(_unnamed(ms, [written[id(m)] for m in ms]))
        issues += _per_cause(seen, {key: kept(ms) for key, ms in self.repeated.items()}, _repeats, _repeated_once)
        issues += _per_cause(seen, {key: kept(ms) for key, ms in self.reused.items()}, _reuses, _reused_once)
        for m, issue in self.each:
            if kept([m]):
                issues.append(issue)


def _file(source: str) -> str:
    """The file of a source (« registre.csv, ligne 12 » -> « registre.csv »)."""
    return source.rpartition(", ")[0] or source


def _place(source: str) -> str:
    """Where in its file a source is (« ligne 12 », « marché 3 »)."""
    return source.rpartition(", ")[2]


def _by_file(ms: list[MarketRecord]) -> dict[str, list[MarketRecord]]:
    """Markets by the file they were read from (several registers may be given)."""
    out: dict[str, list[MarketRecord]] = defaultdict(list)
    for m in ms:
        out[_file(m.source)].append(m)
    return out


def _places(ms: list[MarketRecord]) -> str:
    """Where markets are in their file, in few words: « marchés 67, 68, 70 », « lignes 4, 9 »."""
    places = [_place(m.source).split(" ", 1) for m in ms]
    words = {p[0] for p in places}
    if len(words) == 1 and all(len(p) == 2 for p in places):
        return f"{words.pop()}s {_listed([p[1] for p in places])}"
    return _listed([" ".join(p) for p in places])


def _ids(ms: list[MarketRecord]) -> str:
    """« X#2 » à « X#12 » for consecutive numbers, else each."""
    nums = [int(m.id.rpartition("#")[2]) for m in ms]
    if nums == list(range(nums[0], nums[0] + len(nums))):
        return f"« {ms[0].id} » à « {ms[-1].id} »"
    return _listed([f"« {m.id} »" for m in ms])


def _listed(items: list[str]) -> str:
    """Up to LIST_CAP items, the rest counted."""
    return ", ".join(items[:LIST_CAP]) + (f" … (+{len(items) - LIST_CAP})" if len(items) > LIST_CAP else "")


def _unnamed(ms: list[MarketRecord], written: list[str]) -> DataIssue:
    """Markets of one file without an identifier (or with a placeholder), under provisional ones."""
    fakes = sorted({w for w in written if w})
    if len(ms) == 1:
        what = f"identifiant « {fakes[0]} » factice (rien que des zéros)" if fakes else "marché sans identifiant"
        return DataIssue(kind="identifiant manquant", source=ms[0].source, market_id=ms[0].id,
                         message=f"{what} : compté sous « {ms[0].id} », à renseigner dans les données.")
    among = f" (dont {sum(1 for w in written if w)} à l'identifiant factice {', '.join(f'« {w} »' for w in fakes)})" if fakes else ""
    return DataIssue(kind="identifiant manquant", source=_file(ms[0].source),
                     message=f"{len(ms)} marchés sans identifiant{among} : comptés sous « sans-identifiant-… », à renseigner dans "
                             f"les données ({_places(ms)}).")


def _per_cause(seen: dict[str, MarketRecord], groups: dict[str, list[MarketRecord]],
               one: Callable[[MarketRecord, list[MarketRecord]], DataIssue],
               several: Callable[[list[tuple[MarketRecord, MarketRecord]]], DataIssue]) -> list[DataIssue]:
    """The remarks on markets met again under a market's identifier: a line per first market
    met several times (`one`), and one line per file for the markets met once again each
    (`several`): a DECP file's markets published twice each (a known fault of consolidated
    DECP) gave a line per market."""
    out: list[DataIssue] = []
    once: list[tuple[MarketRecord, MarketRecord]] = []
    for key, ms in groups.items():
        if len(ms) == 1:
            once.append((seen[key], ms[0]))
        elif ms:
            out.append(one(seen[key], ms))
    by_file: dict[str, list[tuple[MarketRecord, MarketRecord]]] = defaultdict(list)
    for first, m in once:
        by_file[_file(m.source)].append((first, m))
    for pairs in by_file.values():
        out.append(one(pairs[0][0], [pairs[0][1]]) if len(pairs) == 1 else several(pairs))
    return out


def _after(first: MarketRecord, m: MarketRecord) -> str:
    """Where the first market is, said from the place of a later one: its place alone in the
    same file (« marché 253 »), else its whole source."""
    return _place(first.source) if _file(first.source) == _file(m.source) else first.source


def _repeated_once(pairs: list[tuple[MarketRecord, MarketRecord]]) -> DataIssue:
    """Markets of one file each met once again (same identifier, object, amount and date)."""
    listed = _listed([f"{_place(m.source)} · {m.id} (déjà lu en {_after(first, m)})" for first, m in pairs])
    return DataIssue(kind="doublon", source=_file(pairs[0][1].source),
                     message=f"{len(pairs)} marchés en double, ignorés : {listed}.")


def _reused_once(pairs: list[tuple[MarketRecord, MarketRecord]]) -> DataIssue:
    """Markets of one file each under an identifier already used for another object."""
    listed = _listed([f"« {m.id} » ({_place(m.source)} ; « {first.id} » en {_after(first, m)})" for first, m in pairs])
    return DataIssue(kind="doublon", source=_file(pairs[0][1].source),
                     message=f"{len(pairs)} identifiants déjà utilisés pour un autre objet (lots ?), marchés gardés sous : {listed}.")


def _repeats(first: MarketRecord, ms: list[MarketRecord]) -> DataIssue:
    """The repeats of a market (same identifier, object, amount and date), dropped."""
    if len(ms) == 1:
        return DataIssue(kind="doublon", source=ms[0].source, market_id=ms[0].id,
                         message=f"marché en double (déjà lu en {first.source}) : ignoré.")
    return DataIssue(kind="doublon", source=_file(ms[0].source), market_id=first.id,
                     message=f"marché répété {len(ms)} fois après {first.source} : répétitions ignorées "
                             f"({_places(ms)}).")


def _reuses(first: MarketRecord, ms: list[MarketRecord]) -> DataIssue:
    """Other markets under a market's identifier (lots, often), kept under « id#n »."""
    if len(ms) == 1:
        return DataIssue(kind="doublon", source=ms[0].source, market_id=ms[0].id.rpartition("#")[0],
                         message=f"identifiant déjà utilisé en {first.source} pour un autre objet (lot ?) : gardé sous « {ms[0].id} ».")
    return DataIssue(kind="doublon", source=_file(ms[0].source), market_id=first.id,
                     message=f"identifiant déjà utilisé en {first.source} par {len(ms)} autres marchés (lots ?) : "
                             f"gardés sous {_ids(ms)} ({_places(ms)}).")


#: a consideration and what it is made of (Référentiel RSO 2025 glossary): an environmental
#: one is a clause (object, execution, specification) or a criterion; a social one a clause
#: (insertion included), a criterion or a market reserved to inclusive structures
PARTS = (("env_consideration", ("env_clause", "env_criterion")),
         ("social_consideration", ("social_clause", "social_criterion", "reserved")))


def _imply(m: MarketRecord) -> None:
    """What declared values imply: no consideration means none of its parts; one of its parts
    means a consideration, and none of them all (a register with « clause » and « critère »
    columns but no « considération » one left every market without either unknown, out of
    the rate: the rate was that of the markets with one); hours of insertion mean a social
    consideration (a clause, or a market reserved to insertion structures)."""
    if m.insertion_hours and m.social_consideration is None:
        m.social_consideration = True
    for whole, parts in PARTS:
        values = [getattr(m, p) for p in parts]
        if getattr(m, whole) is False:
            for p, v in zip(parts, values, strict=True):
                if v is None:
                    setattr(m, p, False)
        elif getattr(m, whole) is None and any(values):
            setattr(m, whole, True)
        elif getattr(m, whole) is None and all(v is False for v in values):
            setattr(m, whole, False)


def _amount_ht(m: MarketRecord, issues: list[DataIssue]) -> None:
    """The amount HT the rates use, a TTC one converted; `issues` say what was done."""
    if m.amount is None:
        m.amount_ht = None
        if "montant" in m.unreadable:  # its « montant illisible » issue says the same
            return
        issues.append(DataIssue(kind="montant manquant", source=m.source, market_id=m.id,
                                message="montant manquant : marché exclu des taux (compté dans les nombres)."))
        return
    if m.amount_is_ttc:
        rate_ = m.vat_rate if m.vat_rate is not None else DEFAULT_VAT
        m.amount_ht = round(m.amount / (1 + rate_ / 100), 2)
        said = "" if m.vat_rate is not None else f" (taux non renseigné : {fmt_number(DEFAULT_VAT)} % supposé)"
        issues.append(DataIssue(kind="TTC converti", source=m.source, market_id=m.id,
                                message=f"montant {_eur(m.amount)} TTC converti en {_eur(m.amount_ht)} HT à {fmt_number(rate_)} %{said}."))
    else:
        m.amount_ht = m.amount
    if m.amount_ht < 0:
        issues.append(DataIssue(kind="montant négatif", source=m.source, market_id=m.id, message="montant négatif : exclu des taux."))
        m.amount_ht = None


def _eur(v: float) -> str:
    """1 440 000 € or 1 200 000,50 €."""
    text = f"{v:,.2f}".replace(",", " ").replace(".", ",")
    return (text[:-3] if text.endswith(",00") else text) + " €"


def join_reports(markets: list[MarketRecord], reports: dict[str, ReportDigest], issues: list[DataIssue],
                 years: list[int]) -> list[CrossCheck]:
    """Use the documents' flags where a report exists; list where the register disagrees. What
    is said (unread DCEs, contradictions, markets without a report) is said of the markets of
    `years` and undated ones, as the registers' remarks are: « --year 2026 --scan » listed the
    2025 markets, which it does not scan, as « sans rapport de DCE »."""
    checks: list[CrossCheck] = []
    for m in markets:
        report = reports.get(m.id)
        if report is None:
            continue
        said = _in_years(m, years)
        if not report.readable:
            if said:
                issues.append(DataIssue(kind="DCE illisible", source=m.source, market_id=m.id,
                                        message="aucun document du DCE n'a pu être lu : valeurs du registre gardées"
                                                + (f" ({report.why_unread.rstrip('.')})." if report.why_unread else ".")))
            continue
        if report.unread and said:
            issues.append(DataIssue(kind="DCE lu en partie", source=m.source, market_id=m.id,
                                    message=f"non lu en entier : {first_of(report.unread, 5)} ; ce que le texte lu ne montre "
                                            "pas ne contredit pas le registre (seuls ses « oui » sont pris)."))
        for name, got in report.flags.items() if said else ():
            declared = getattr(m, name)
            if name in CROSS_FIELDS and declared is not None and got is not None and declared != got:
                checks.append(CrossCheck(market_id=m.id, field=CROSS_FIELDS[name], declared=declared, documents=got,
                                         evidence=report.evidence.get(name, [])))
        _take_flags(m, report)
    missing = [m.id for m in markets if m.id not in reports and _in_years(m, years)]
    if reports and missing:
        issues.append(DataIssue(kind="sans DCE", source="rapports",
                                message=f"{len(missing)} marché(s) sans rapport de DCE, valeurs déclarées utilisées ({first_of(missing, LIST_CAP)})."))
    known = {m.id for m in markets}  # built once: inside the comprehension, 10,000 reports took 5 s
    unknown = [k for k in reports if k not in known]
    if unknown:
        issues.append(DataIssue(kind="rapport orphelin", source="rapports",
                                message=f"{len(unknown)} rapport(s) sans marché dans le registre : {', '.join(unknown[:LIST_CAP])}."))
    return checks


def _in_years(m: MarketRecord, years: list[int]) -> bool:
    return m.notified is None or m.notified.year in years


def _take_flags(m: MarketRecord, report: ReportDigest) -> None:
    """The documents' flags in place of the declared ones (kept in `declared`)."""
    for name, got in report.flags.items():
        m.declared[name] = getattr(m, name)
        if got is not None:
            setattr(m, name, got)
    if report.reserved_basis and not m.reserved_kind:
        m.reserved_kind = RESERVED_BASIS.get(report.reserved_basis.split()[0], "")
    m.from_documents = True


def digest(r: MarketReport | ReportDigest) -> ReportDigest:
    """What the indicators read of a report (a digest is returned as it is)."""
    if isinstance(r, ReportDigest):
        return r
    flags = _document_flags(r)
    unread = r.unread()
    if unread:  # what the text read lacks may be in the text not read
        flags = {name: (True if got else None) for name, got in flags.items()}
    return ReportDigest(
        market_id=r.market_id or "", readable=r.readable, buyer=r.facts.buyer or "", object=r.facts.object or "",
        procedure=r.facts.procedure or "", consultation_date=r.facts.consultation_date, amount_ht=r.facts.estimated_amount_ht,
        flags=flags, reserved_basis=r.reserved.basis or "",
        evidence={name: _evidence(r, name, got) for name, got in flags.items() if name in CROSS_FIELDS and got is not None},
        unread=unread,
        why_unread=next((n.render() for n in r.errors if n.level == "error"), "") if not r.readable else "",
    )


def _document_flags(r: MarketReport) -> dict[str, bool | None]:
    return {
        "env_consideration": r.flags.env_consideration,
        "env_criterion": r.flags.env_criterion,
        "env_clause": "Clause environnementale" in r.decp.considerationsEnvironnementales,
        "social_consideration": r.flags.social_consideration,
        "social_criterion": r.flags.social_criterion,
        "social_clause": "Clause sociale" in r.decp.considerationsSociales,
        "reserved": r.flags.reserved,
        "facilitator": r.flags.facilitator,
    }


def _evidence(r: MarketReport, name: str, got: bool) -> list[str]:
    if not got:
        return [f"rien trouvé dans les {len(r.documents)} document(s) lu(s) : {', '.join(d.name for d in r.documents)}"]
    dets = {"env_consideration": r.considerations.environmental, "social_consideration": r.considerations.social}.get(name)
    evidence = [e for d in dets for e in d.evidence[:1]] if dets else []
    if name in ("env_criterion", "social_criterion"):
        kinds = ("environmental", "sustainable") if name == "env_criterion" else ("social", "sustainable")
        evidence = [e for c in walk_criteria(r.criteria) if c.kind in kinds for e in c.evidence[:1]]
    elif name == "reserved":
        evidence = r.reserved.evidence
    elif name == "facilitator":
        evidence = r.insertion.evidence
    return [f"« {e.quote[:200]} » — {cite(e)}" for e in evidence[:2]]


# --------------------------------------------------------------------------- computation


def compute_indicators(
    markets: list[MarketRecord],
    years: list[int],
    rulebook: str = "rso-2025",
    payments: list[PaymentRecord] | None = None,
    organisations: list[OrganisationRecord] | None = None,
    reports: dict[str, MarketReport] | dict[str, ReportDigest] | None = None,
    by: str | None = None,
    issues: list[DataIssue] | None = None,
    today: date | None = None,
    asking: Asking = COMMAND_LINE,
) -> IndicatorReport:
    """Every indicator of the rulebook for each year, overall and per group when asked; what a
    value lacks is asked for as `asking` says (command line, web page or API)."""
    issues = issues if issues is not None else []
    threshold, inclusive = THRESHOLDS[rulebook]
    unsaid: list[tuple[int, str]] = []
    issues[:] = _of_years(issues, markets, years, unsaid)
    prepared = prepare_markets(markets, issues, today, years, unsaid)
    cross = join_reports(prepared, {k: digest(r) for k, r in (reports or {}).items()}, issues, years)
    payments, organisations = payments or [], organisations or []
    _edge_cases(prepared, threshold, inclusive, years, issues)
    out = IndicatorReport(rulebook=rulebook, years=sorted(years), by=by, threshold_ht=threshold,
                          markets_read=len(markets), payments_read=len(payments), cross_check=cross)
    by_year = defaultdict(list)
    for m in prepared:
        if m.notified is not None:
            by_year[m.notified.year].append(m)
    pay_year = defaultdict(list)
    undated = []
    for p in payments:
        if p.paid is not None:
            pay_year[p.paid.year].append(p)
        elif p.received is not None:
            pay_year[p.received.year].append(p)
        else:
            undated.append(p.source)
    if undated:  # in no year: no year's « date manquante » line would name them
        issues.append(DataIssue(kind="paiement sans date", source=_file(undated[0]),
                                message=f"{len(undated)} paiement(s) sans date de réception ni de paiement lisible, comptés dans "
                                        f"aucune année ({first_of(undated, LIST_CAP)})."))
    group_of = _grouper(by, organisations)
    probe = Scope(0, None, [], [], [], threshold, inclusive, [])
    out.markets = [
        MarketLine(id=m.id, year=year, group=group_of(m.organisation, m.branch), source=m.source, amount_ht=m.amount_ht,
                   in_scope=probe.in_scope(m), env_consideration=m.env_consideration, env_criterion=m.env_criterion,
                   social_consideration=m.social_consideration, sme=m.sme, facilitator=m.facilitator, reserved=m.reserved,
                   insertion_hours=m.insertion_hours, from_documents=m.from_documents)
        for year in sorted(years) for m in by_year[year]
    ]
    other_years = _elsewhere(by_year, years, asking)
    for year in sorted(years):
        scopes: list[GroupScope] = [(None, by_year[year], pay_year[year], organisations)]
        if by:
            scopes += _group_scopes(by_year[year], pay_year[year], organisations, group_of)
        for group, ms, ps, os_ in scopes:
            scope = Scope(year, group, ms, ps, os_, threshold, inclusive, issues if group is None else [], bool(payments), asking,
                          other_years=other_years if group is None else "")
            for d in DEFINITIONS[rulebook]:
                ind = d.compute(scope)
                out.indicators.append(ind.model_copy(update={
                    "id": d.id, "label": d.label, "level": d.level, "family": d.family, "unit": d.unit,
                    "target": d.target, "target_label": d.target_label,
                }))
    if unsaid:
        issues.append(_unsaid(unsaid, asking))
    out.data_quality = issues
    return out


def _of_years(issues: list[DataIssue], markets: list[MarketRecord], years: list[int], unsaid: list[tuple[int, str]]) -> list[DataIssue]:
    """The registers' remarks on markets of `years`, undated ones, or no market: those on
    markets of other years only go to `unsaid` (see `Remarks`)."""
    read: dict[str, set[int | None]] = defaultdict(set)
    for m in markets:
        read[m.id].add(m.notified.year if m.notified else None)
    asked = {None, *years}
    kept = []
    for issue in issues:
        of = read.get(issue.market_id or "")
        if not of or of & asked:
            kept.append(issue)
        else:
            unsaid.append((min(y for y in of if y is not None), _file(issue.source)))
    return kept


def _unsaid(unsaid: list[tuple[int, str]], asking: Asking) -> DataIssue:
    """One line for the remarks on markets of years not computed: how many, and how to see them."""
    years = sorted({y for y, _ in unsaid})
    return DataIssue(kind="autres années", source=", ".join(sorted({f for _, f in unsaid})),
                     message=f"{len(unsaid)} remarque(s) sur des marchés notifiés en {', '.join(map(str, years))}, "
                             f"hors des années calculées, non détaillée(s) ici : calculez ces années pour les voir "
                             f"({asking.year}{_span(years)}).")


def _elsewhere(by_year: dict[int, list[MarketRecord]], years: list[int], asking: Asking) -> str:
    """What a year without a market adds to its « aucun marché notifié cette année »: the years
    the register's markets are of, when none is computed (a real DECP file of 2018 and 2019,
    computed for 2020, gave dashes and « aucun marché » with no way on)."""
    other = sorted(y for y, ms in by_year.items() if ms and y not in years)
    if not other:
        return ""
    n = sum(len(by_year[y]) for y in other)
    held = "son marché daté est notifié" if n == 1 else f"ses {n} marchés datés sont notifiés"
    said = " et ".join(map(str, other)) if len(other) == 2 else ", ".join(map(str, other))
    return f" ; {held} en {said} : calculez {'cette année' if len(other) == 1 else 'ces années'} ({asking.year}{_span(other)})"


def _span(years: list[int]) -> str:
    """« 2018 » or « 2018-2019 »: the years as the year option or field takes them."""
    return f"{years[0]}" if len(years) == 1 else f"{years[0]}-{years[-1]}"


#: a group's name (None: all of them), and its markets, payments and organisations
GroupScope = tuple[str | None, list[MarketRecord], list[PaymentRecord], list[OrganisationRecord]]


def _group_scopes(markets: list[MarketRecord], payments: list[PaymentRecord], organisations: list[OrganisationRecord],
                  group_of: Callable[[str, str], str]) -> list[GroupScope]:
    """(group, its markets, payments, organisations) for each group, in the groups' order.

    Each record is looked at once: filtering every record for every group took 15 minutes
    on a register of 20,000 lines and as many buyers (it was groups x records)."""
    ms, ps, os_ = defaultdict(list), defaultdict(list), defaultdict(list)
    for m in markets:
        ms[group_of(m.organisation, m.branch)].append(m)
    for p in payments:
        ps[group_of(p.organisation, "")].append(p)
    for o in organisations:
        os_[group_of(o.id, o.branch)].append(o)
    return [(g, ms[g], ps[g], os_[g]) for g in sorted(set(ms) | set(os_))]


def _grouper(by: str | None, organisations: list[OrganisationRecord]) -> Callable[[str, str], str]:
    branch_of = {o.id: o.branch for o in organisations if o.branch}
    if by == "branche":
        return lambda org, branch: branch or branch_of.get(org, "") or "branche inconnue"
    return lambda org, branch: org or "organisme inconnu"


def _edge_cases(markets: list[MarketRecord], threshold: float, inclusive: bool, years: list[int], issues: list[DataIssue]) -> None:
    """The markets of the years whose amount is the threshold itself, one line per file:
    « 25 000 € » is a usual amount in a register (three in one real DECP file)."""
    where = "dans le périmètre (≥)" if inclusive else "hors périmètre (> seulement)"
    edge = [m for m in markets if m.amount_ht == threshold and m.notified and m.notified.year in years]
    for ms in _by_file(edge).values():
        if len(ms) == 1:
            issues.append(DataIssue(kind="seuil", source=ms[0].source, market_id=ms[0].id,
                                    message=f"montant exactement égal au seuil de {_eur(threshold)} HT : {where}."))
        else:
            issues.append(DataIssue(kind="seuil", source=_file(ms[0].source),
                                    message=f"{len(ms)} marchés au montant exactement égal au seuil de {_eur(threshold)} HT : {where} "
                                            f"({_listed([m.id for m in ms])})."))
