"""French labels and number formats shared by every renderer."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from achat_check.extract.dates import GIVEN_DATE
from achat_check.extract.numbers import ARTICLE_REF, fmt_number
from achat_check.model import CheckDetail, Criterion, DocKind, Evidence, Facts, MarketReport

CHECK_STATUS = {
    "pass": "conforme",
    "fail": "non conforme",
    "not_applicable": "sans objet",
    "unknown": "indéterminé",
}
KIND_LABELS = {
    "price": "prix",
    "cost": "coût",
    "technical": "technique",
    "environmental": "environnemental",
    "social": "social",
    "sustainable": "développement durable",
    "delay": "délai",
    "other": "autre",
}
LEVER_LABELS = {
    "clause": "condition d'exécution",
    "specification": "spécification technique",
    "criterion": "critère d'attribution",
    "need": "définition du besoin",
    "reserved": "marché réservé",
    "insertion": "clause d'insertion",
}
#: a rule's theme and a context rule's effect, as `rules list` shows them
THEME_LABELS = {"environmental": "environnement", "social": "social"}
EFFECT_LABELS = {"cancel": "écarte la détection", "lower": "abaisse le score"}
#: what a document that is none of the main pieces is (`ingest.kind.SUBKIND_CUES`)
SUBKIND_LABELS = {
    "avis": "avis de publicité",
    "cadre_reponse": "cadre de réponse",
    "qr": "questions-réponses",
    "guide": "guide",
    "modele": "modèle de clauses",
    "formulaire": "formulaire (DUME, DC)",
}
#: the eForms fields of the open data and their codes, in French (EU code lists
#: strategic-procurement, environmental-impact, social-objective)
EFORMS_FIELDS = {"BT-06": "achat stratégique", "BT-774": "impact environnemental", "BT-775": "objectif social"}
EFORMS_CODES = {
    "none": "aucun", "env-imp": "réduction des impacts environnementaux", "soc-obj": "objectif social",
    "inn-pur": "achat innovant", "clim-mitig": "atténuation du changement climatique",
    "clim-adapt": "adaptation au changement climatique", "circ-econ": "économie circulaire",
    "biodiv-eco": "biodiversité et écosystèmes", "pollu-prev": "prévention de la pollution",
    "wat-mar": "eau et ressources marines", "acc-all": "accessibilité pour tous", "gen-eq": "égalité femmes-hommes",
    "hum-right": "droits humains", "opp": "emploi des personnes éloignées de l'emploi",
    "work-cond": "conditions de travail", "other": "autre",
}
#: a batch job's state and a market's in it, as people read them (the CLI, the web page);
#: the codes stay in the API, the JSON lines and the CSV, which programs read
JOB_STATUS = {
    "queued": "en attente", "running": "en cours", "done": "terminé", "cancelled": "annulé", "interrupted": "interrompu",
}
MARKET_STATUS = {"done": "vérifié", "cached": "en cache", "failed": "échec", "pending": "à faire"}
PROCEDURE_LABELS = {
    "formalisee": "procédure formalisée",
    "adaptee": "procédure adaptée (MAPA)",
    "negociee": "sans publicité ni mise en concurrence",
}


def procedure(kind: str | None, wording: str | None) -> str:
    """The « Procédure » row: its kind, with the documents' own words when they say more
    (« procédure formalisée (appel d'offres ouvert) », « … (L.2124-2) ») and not when they
    repeat it (« procédure adaptée (MAPA) », not « … (procédure adaptée) »).  A name is
    written in lower case whatever a title's case (« APPEL D’OFFRE OUVERT », « Appel
    d'offres ouvert » in two real DCEs); an article keeps its « L. »."""
    label = PROCEDURE_LABELS.get(kind or "", "—")
    if not wording or " ".join(wording.lower().split()) in label.lower():
        return label
    return f"{label} ({wording if ARTICLE_REF.match(wording) else wording.lower()})"


def market_object(report: MarketReport) -> str:
    """What the market buys, as a heading (« La surveillance humaine… », the documents saying
    « porte sur la surveillance humaine… »), with where it comes from when not from the
    documents (« … (objet selon le registre) »); empty when unknown."""
    text = (report.facts.object or "").strip()
    basis = f" ({report.facts.object_basis})" if text and report.facts.object_basis else ""
    return text[:1].upper() + text[1:] + basis


def market_buyer(report: MarketReport) -> str:
    """The buyer as reports show it, with where the name comes from when not from the
    documents (« CAF du Val-de-Lys (acheteur nommé par le registre) »); empty when unknown."""
    f = report.facts
    return f"{f.buyer} ({f.buyer_basis})" if f.buyer and f.buyer_basis else (f.buyer or "")


def eforms_meaning(code: str) -> str:
    """What an eForms code means (« circ-econ »: « économie circulaire »); empty if unknown."""
    return EFORMS_CODES.get(code, "")


def fmt_score(score: float) -> str:
    """A detection's score as French writes it, two decimals: 0,85."""
    return f"{score:.2f}".replace(".", ",")


def yes_no(value: bool | None) -> str:
    """oui / non / inconnu."""
    return "inconnu" if value is None else ("oui" if value else "non")


#: what a finding is, by severity: an « info » finding is an obligation that could not be
#: verified (its title says « À vérifier » ; a recommendation says nothing when unknown)
FINDING_KINDS = {"error": "obligation", "warning": "recommandation", "info": "obligation"}


def check_kind(kind: str) -> str:
    """A check's kind as the reports say it: « obligation » or « recommandation »."""
    return {"obligation": "obligation", "information": "information"}.get(kind, "recommandation")


def check_kind_in(report: MarketReport, detail: CheckDetail) -> str:
    """A check's kind as this report judges it: a recommendation whose failure here breaches a
    legal limit (a retenue de garantie above 5 %) is counted among the obligations not met, and
    the table of checks says why (it said « recommandation » beside a count of obligations that
    included it)."""
    kind = check_kind(detail.kind)
    if detail.kind != "obligation" and any(f.check == detail.id and f.severity == "error" for f in report.findings):
        return f"{kind} ; ici, limite légale dépassée"
    return kind


def piece(kind: str, roles: Sequence[str], subkind: str = "") -> str:
    """The « pièce » column: RC, CCAP (AE+CCAP) for a combined piece, or, for another
    document, what it is in French (« autre : cadre de réponse ») rather than « OTHER »."""
    if kind == DocKind.OTHER:
        label = SUBKIND_LABELS.get(subkind)
        return f"autre : {label}" if label else "autre"
    return f"{kind} ({'+'.join(roles)})" if roles else str(kind)


def no_lots(allotted: bool | None, announced: int | None = None) -> str:
    """The « Lots » row of a report that lists none: a market not allotted, lots announced
    (« composée de 3 lots ») whose list was not read, one lot of an allotted consultation
    (« Lot n° 20 : Epicerie »), or nothing said."""
    if allotted and announced:
        return f"{announced} lots annoncés (liste non lue)"
    if allotted is None:
        return "—"
    return "un lot d'une consultation allotie" if allotted else "non alloti"


def lots_heading(lots: list[str]) -> str:
    """Whose award criteria a table gives when they differ per lot (a real RC: lots 1 to 6
    share theirs, lot 7 has its own): « Lot 7 », « Lots 1 à 6 », « Lots 2, 4 et 5 »."""
    if not lots:
        return "Tous lots"
    if len(lots) == 1:
        return f"Lot {lots[0]}"
    if len(lots) > 2 and all(n.isdigit() for n in lots):
        first = int(lots[0])
        if [int(n) for n in lots] == list(range(first, first + len(lots))):
            return f"Lots {lots[0]} à {lots[-1]}"
    return f"Lots {', '.join(lots[:-1])} et {lots[-1]}"


def criteria_tables(report: MarketReport) -> list[tuple[str, list[Criterion], float | None]]:
    """The award criteria as the renderers show them: one table, or one per group of lots
    with its heading (« Lots 1 à 6 », « Lot 7 ») and its own total."""
    if len(report.criteria_lots) < 2:
        return [("", report.criteria, report.criteria_total)]
    first = report.criteria_lots[0]
    # criteria stated for no lot in particular, then some lot's own: the others' criteria
    tables = [(lots_heading(first.lots) if first.lots else "Autres lots", report.criteria, report.criteria_total)]
    return tables + [(lots_heading(g.lots), g.criteria, g.total) for g in report.criteria_lots[1:]]


def clip(text: str, width: int) -> str:
    """`text` on one line, cut at a word's end with « … » when longer than `width`: a
    criterion named by a whole paragraph, a quote in a report."""
    t = " ".join(text.split())
    if len(t) <= width:
        return t
    cut = t[: width - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut[width // 2 :] else cut).rstrip(" ,;:–-") + "…"


def first_of(items: list[str], most: int) -> str:
    """The first `most` items, comma-separated, « … » when there are more (a message names
    a few files, pages or cells, not a thousand)."""
    return ", ".join(items[:most]) + (" …" if len(items) > most else "")


#: what a report of a DCE of which no file could be read says instead of its verdict: its
#: « 0 obligation non respectée » and its « non » would be about no text at all
NOTHING_READ = ("Aucun document du DCE n'a pu être lu : rien n'a été vérifié. Corrigez ou remplacez les fichiers "
                "signalés, puis relancez la vérification.")


def partly_read(report: MarketReport) -> str:
    """The report's caveat when files of the DCE were not read, or not all of them ("" when
    all was read): its "non" and its « indéterminé » are about the text read only."""
    names = report.unread()
    if not names:
        return ""
    return (f"DCE lu en partie ({first_of(names, 5)}) : ce qui n'a pas été trouvé y est peut-être, à vérifier "
            "(fichier coupé ou endommagé, pages scannées sans OCR ou au-delà de la limite)")


def pieces_missing(report: MarketReport) -> str:
    """The report's caveat when main pieces of the DCE were not given ("" when all were):
    CCTPs checked alone (four real DCEs) showed « 0 obligation non respectée » over checks
    left « indéterminé » for want of the RC and the CCAP, which the synthesis did not say."""
    missing = report.missing_pieces()
    if not missing:
        return ""
    unknown = sum(1 for c in report.check_details if c.status == "unknown")
    said = f" ({unknown} vérification{'s' if unknown > 1 else ''} indéterminée{'s' if unknown > 1 else ''})" if unknown else ""
    return f"Pièces absentes du DCE fourni : {', '.join(missing)}{said} : joignez-les pour un rapport complet"


def fmt_percent(value: float | None) -> str:
    """40 %, 2,5 %, or a dash."""
    if value is None:
        return "—"
    return f"{fmt_number(value)} %"


def fmt_amount(value: float | None) -> str:
    """1 250 000 € HT style, or a dash."""
    if value is None:
        return "—"
    return f"{value:,.0f}".replace(",", " ") + " €"


#: a space a line may not break at: inside a number (« 420 000 ») or between it and its unit
#: (« 10 % », « 25 000 € HT », « 12 000 h », « 30 jours »)
_SPACE_IN_AMOUNT = re.compile(r"(?<=\d) (?=\d{3}(?!\d))|(?<=\d) (?=(?:h|heures|jours|mois|ans)\b|[€%])|(?<=€) (?=HT\b)")


def unbroken_amounts(value: Any) -> Any:
    """Text of a web page with its numbers kept whole (Jinja's `finalize`).

    A card of the HTML report printed « 420 » at the end of a line and « 000 € HT » on the
    next; French typography joins a number's groups and its unit by non-breaking spaces.
    Safe markup stays safe (the type is kept); other values pass unchanged.
    """
    if isinstance(value, str) and " " in value:
        return type(value)(_SPACE_IN_AMOUNT.sub("\u00a0", value))
    return value


def cite(ev: Evidence) -> str:
    """Where a quote is: "CCAP.docx, p. 3, art. 8.1 – Engagement du titulaire"."""
    art = ""
    if ev.article:
        art = (", art. " if ev.article[:1].isdigit() else ", ") + ev.article
    return f"{file_name(ev)}, p. {ev.page}{art}"


def file_name(ev: Evidence) -> str:
    """The file an evidence quotes, without its folder: "CCAP.docx"."""
    return ev.document.rsplit("/", 1)[-1]


#: the framework agreement's form as a buyer writes it; a dash when the DCE states none (an
#: ordinary market, or a form it does not say)
FRAMEWORK_FORMS = {
    "bons_de_commande": "accord-cadre à bons de commande",
    "marches_subsequents": "accord-cadre à marchés subséquents",
    "mixte": "accord-cadre à bons de commande et marchés subséquents",
}


def contract_form(f: Facts) -> str:
    """« accord-cadre à bons de commande », « accord-cadre » when its form is not said,
    « marché à tranches (une tranche ferme, 3 optionnelles) », « marché ordinaire » when the
    DCE says so, « marché public, pas un accord-cadre » when its notice ticks that box alone;
    a dash when it says nothing."""
    forms = [FRAMEWORK_FORMS[f.framework]] if f.framework else []
    if not forms and f.framework_agreement:
        forms.append("accord-cadre (bons de commande ou marchés subséquents : non précisé)")
    if f.optional_tranches is not None:
        optional = f"{f.optional_tranches} optionnelle{'s' if f.optional_tranches > 1 else ''}" if f.optional_tranches else "aucune optionnelle"
        forms.append(f"marché à tranches (une tranche ferme, {optional})")
    if not forms and f.ordinary_market:
        forms.append("marché ordinaire")
    if not forms and f.framework_agreement is False:
        forms.append("marché public, pas un accord-cadre (selon l'avis)")
    return " ; ".join(forms) or "—"


def fact_rows(report: MarketReport) -> list[tuple[str, str]]:
    """The « Données du marché » table, the same rows and words in every report (the
    Markdown report wrote the date « 2026-07-15 », the terminal left out five rows)."""
    f = report.facts
    lots = " · ".join(f"{lot.number} {lot.title}" if lot.title else f"lot {lot.number}" for lot in f.lots) if f.lots else no_lots(f.allotted, f.lots_announced)
    return [
        ("Procédure", procedure(f.procedure, f.procedure_label) + (f" — {f.procedure_basis}" if f.procedure_basis else "")),
        ("Montant estimé HT", fmt_amount(f.estimated_amount_ht) + (f" ({f.amount_basis})" if f.amount_basis else "")),
        ("Nature", f.nature or "—"),
        ("Forme", contract_form(f)),
        ("Lots", lots),
        ("Date de la consultation", consultation_date(f)),
        ("Durée maximale", duration(f)),
        ("CCAG", f.ccag or "—"),
        ("Délai de paiement", f"{f.payment_delay_days} jours" if f.payment_delay_days is not None else "—"),
        ("Avance", advance(f)),
        ("Retenue de garantie", "aucune" if f.retenue_garantie_rate == 0 else fmt_percent(f.retenue_garantie_rate)),
        ("Pénalités", penalties(f)),
    ]


def consultation_date(f: Facts) -> str:
    """« 15/07/2026 », « 15/01/2027 (date donnée à la vérification) », or « avant le
    01/04/2016 (le DCE cite le code des marchés publics…) », or « après son DCE, daté de
    mars 2021 »."""
    if f.consultation_date:
        given = (f.consultation_date_basis or "").startswith(GIVEN_DATE)
        return f"{f.consultation_date:%d/%m/%Y}" + (f" ({f.consultation_date_basis})" if given else "")
    said = []
    if f.consultation_before:
        said.append(f"avant le {f.consultation_before:%d/%m/%Y} ({f.consultation_before_basis})")
    if f.dce_date:
        said.append(f"après son DCE, {dce_dated(f).removeprefix('DCE ')}")
    return " ; ".join(said) or "—"


def dce_dated(f: Facts) -> str:
    """« DCE daté de mars 2021 », « DCE daté du 5 octobre 2016 »."""
    written = f.dce_date_basis or f"{f.dce_date:%d/%m/%Y}"
    return f"DCE daté {'du' if written[:1].isdigit() else 'de'} {written}"


def duration(f: Facts) -> str:
    """« 48 mois (12 mois, reconductible 3 fois) »: the maximum, and its first period when
    the maximum is longer; « 48 mois (durée selon le registre) »; « de la notification au
    31/12/2026, reconductible 3 fois pour 12 mois : maximum selon la date de notification »
    when the first period ends on a day written and the notification day is not known."""
    if not f.max_duration_months:
        return _until_day(f) if f.first_period_end else "—"
    said = f"{fmt_number(f.max_duration_months)} mois"
    if f.duration_basis:
        return f"{said} ({f.duration_basis})"
    if f.duration_months and f.duration_months < f.max_duration_months:
        times = f", reconductible {f.renewals} fois" if f.renewals else ""
        said += f" ({fmt_number(f.duration_months)} mois{times})"
    return said


def _until_day(f: Facts) -> str:
    """The first period closed by a day, with its bound when the consultation's date gives one
    (`Facts.max_duration_at_most_months`)."""
    said = f"de la notification au {f.first_period_end:%d/%m/%Y}"
    if f.renewals:
        said += f", reconductible {f.renewals} fois" + (f" pour {fmt_number(f.renewal_months)} mois" if f.renewal_months else "")
    if f.max_duration_at_most_months is None or f.consultation_date is None:
        return said + " : maximum selon la date de notification"
    return (f"{said} : au plus {fmt_number(f.max_duration_at_most_months)} mois (notification après la consultation du "
            f"{f.consultation_date:%d/%m/%Y}), maximum exact selon la date de notification")


def advance(f: Facts) -> str:
    """« 5 % (10 % pour une PME) », « sans », or a dash."""
    if f.advance_rate is None:
        return "sans" if f.advance_present is False else "—"
    sme = f" ({fmt_percent(f.advance_rate_sme)} pour une PME)" if f.advance_rate_sme not in (None, f.advance_rate) else ""
    return fmt_percent(f.advance_rate) + sme


def penalties(f: Facts) -> str:
    """The penalties as they weigh on an SME: their cap, or that there is none."""
    if f.penalties_capped is False:
        return "non plafonnées"
    if f.penalties_capped:
        return f"plafonnées à {fmt_percent(f.penalty_cap_rate)}" if f.penalty_cap_rate is not None else "plafonnées"
    return "plafond non précisé" if f.penalties else "—"
