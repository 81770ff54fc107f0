"""Every check on small DCEs written for it: pass, fail, not applicable and unknown.

Each DCE is an RC and a CCAP in Markdown, worded like the real DCEs of ../shared/real/dce
(appel d'offres ouvert, "Date limite de réception des offres", criteria tables, "délai
global de paiement", "retenue de garantie"...).  A check must say `unknown` when a fact is
missing, never `pass`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from achat_check.checker import Checker
from achat_check.errors import AchatCheckError
from achat_check.model import GivenFacts
from achat_check.report import render
from corpus import makers

FORMAL = "La consultation est passée selon la procédure de l'appel d'offres ouvert (articles R. 2124-2 et R. 2161-2 du code de la commande publique)."
MAPA = "La consultation est passée selon une procédure adaptée (article R. 2123-1 du code de la commande publique)."
AFTER = "Date limite de réception des offres : 15 octobre 2026 à 12h00."
BEFORE = "Date limite de réception des offres : 10 mars 2026 à 12h00."
PLAIN_CRITERIA = "| Critère | Pondération |\n| Prix | 60 % |\n| Valeur technique | 40 % |"
ENV_CRITERIA = "| Critère | Pondération |\n| Prix | 50 % |\n| Valeur technique | 40 % |\n| Performance environnementale de l'offre | 10 % |"
ENV_CLAUSE = (
    "# Article 6 – Conditions d'exécution environnementales\n\n"
    "Le titulaire utilise exclusivement des produits d'entretien titulaires de l'Écolabel européen ou d'un label équivalent. "
    "Il remet chaque semestre un bilan des quantités de produits utilisés. "
    "Tout manquement constaté donne lieu à une pénalité de 100 € HT par constat."
)
INSERTION = (
    "# Article 7 – Clause sociale d'insertion\n\n"
    "Le titulaire réserve à des personnes rencontrant des difficultés sociales ou professionnelles particulières "
    "un volume de 800 heures d'insertion par an. Le PLIE de la Vallée, facilitateur de la clause, assure le suivi ; "
    "le titulaire lui transmet chaque trimestre un état nominatif des heures réalisées. "
    "Une pénalité de 50 € HT par heure non réalisée est appliquée."
)
#: the exclusions on environmental or social grounds the Référentiel asks markets to include
EXCLUSIONS = ("Motifs d'exclusion : le pouvoir adjudicateur exclut de la procédure, en application des articles L. 2141-7-1 et "
              "L. 2141-7-2 du code de la commande publique, les candidats soumis à l'obligation d'établir un plan de vigilance "
              "ou un bilan de leurs émissions de gaz à effet de serre qui ne l'ont pas établi.")
MONEY = (
    "# Article 3 – Prix et paiement\n\nLe délai global de paiement est de 30 jours. "
    "Une avance de 10 % est versée au titulaire. Le marché ne prévoit pas de retenue de garantie. "
    "Le montant cumulé des pénalités est plafonné à 10 % du montant du marché."
)


def rc(procedure: str = FORMAL, date: str = AFTER, criteria: str = ENV_CRITERIA,
       allotment: str = "Le marché est alloti :\n\n- Lot 1 : Nettoyage des bureaux\n- Lot 2 : Vitrerie",
       amount: str = "Le montant estimé du marché est de 300 000 € HT.", obj: str = "le nettoyage des locaux de la caisse",
       exclusions: str = EXCLUSIONS) -> str:
    return (
        "# RÈGLEMENT DE LA CONSULTATION\n\n"
        f"{date}\n\n"
        f"# Article 1 – Objet\n\nLa consultation a pour objet {obj}.\n\n"
        f"# Article 2 – Procédure\n\n{procedure}\n\n{exclusions}\n\n"
        f"# Article 3 – Allotissement\n\n{allotment}\n\n"
        f"# Article 4 – Montant\n\n{amount} Le marché est conclu pour une durée de deux ans.\n\n"
        f"# Article 5 – Critères d'attribution\n\n{criteria}\n"
    )


def ccap(*articles: str) -> str:
    body = "\n\n".join(articles)
    return f"# CAHIER DES CLAUSES ADMINISTRATIVES PARTICULIÈRES\n\n# Article 1 – CCAG\n\nLe marché est soumis au CCAG-FCS.\n\n{body}\n"


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker()


def run(tmp_path: Path, checker: Checker, rc_text: str, ccap_text: str):
    (tmp_path / "RC.md").write_text(rc_text, encoding="utf-8")
    (tmp_path / "CCAP.md").write_text(ccap_text, encoding="utf-8")
    return checker.check([tmp_path])


def detail(report, check_id: str):
    return next(c for c in report.check_details if c.id == check_id)


def finding(report, check_id: str):
    return next(f for f in report.findings if f.check == check_id)


GOOD_CCAP = ccap(MONEY, ENV_CLAUSE, INSERTION)


def test_a_well_drafted_formalised_market_passes_every_check(tmp_path, checker):
    r = run(tmp_path, checker, rc(), GOOD_CCAP)
    assert r.checks == {
        "climate.env_award_criterion": "pass",
        "climate.env_execution_condition": "pass",
        "climate.social_consideration": "pass",
        "rso.criterion_weight": "pass",
        "rso.criterion_detached": "pass",
        "rso.criterion_combined": "pass",
        "criteria.sum": "pass",
        "payment.delay": "pass",
        "sme.allotment": "pass",
        "sme.financial_terms": "pass",
        "sme.group_solidarity": "pass",
        "rso.exclusions": "pass",
        "clauses.quality": "pass",
        "clauses.declared": "not_applicable",
        "obligations.sector": "not_applicable",
    }
    assert not [f for f in r.findings if f.severity in ("error", "warning")]
    env = detail(r, "climate.env_award_criterion")
    assert env.evidence and "Performance environnementale" in env.evidence[0].quote
    assert env.legal_basis.startswith("Loi n° 2021-1104") and env.effective_from.isoformat() == "2026-08-22"


SUSTAINABLE_CRITERIA = (
    "Les critères d'attribution sont les suivants :\n\n"
    "- Critère 1 : Prix (50 %)\n"
    "- Critère 2 : Valeur technique (30 %)\n"
    "- Critère 3 : Performance en matière de développement durable (20 %), dont :\n"
    "- Sous-critère 3.1 : Réduction et tri des déchets produits sur les sites (10 %)\n"
    "- Sous-critère 3.2 : Formation et insertion du personnel affecté au marché (10 %)"
)


def test_the_award_criterion_considerations_quote_their_own_sub_criterion(tmp_path, checker):
    """A combined « développement durable » criterion split in an environmental and a social
    sub-criterion (DAE's RC, a sample's): each consideration quotes its own sub-criterion, not
    the combined line read first."""
    r = run(tmp_path, checker, rc(criteria=SUSTAINABLE_CRITERIA), GOOD_CCAP)
    shown = {d.category: d.evidence[0].quote for d in r.considerations.environmental + r.considerations.social
             if d.category in ("env_criterion", "social_criterion")}
    assert shown == {
        "env_criterion": "- Sous-critère 3.1 : Réduction et tri des déchets produits sur les sites (10 %)",
        "social_criterion": "- Sous-critère 3.2 : Formation et insertion du personnel affecté au marché (10 %)",
    }


def test_formalised_market_without_environment_or_social_fails_the_climate_checks(tmp_path, checker):
    r = run(tmp_path, checker, rc(criteria=PLAIN_CRITERIA), ccap(MONEY))
    assert r.checks["climate.env_award_criterion"] == "fail"
    assert r.checks["climate.env_execution_condition"] == "fail"
    assert r.checks["climate.social_consideration"] == "fail"
    f = finding(r, "climate.env_award_criterion")
    assert f.severity == "error" and "Prix (60 %)" in f.message and "L2152-7" in f.legal_basis
    # one sentence: the message, then what this DCE holds in parentheses before the full stop
    assert f.message.endswith("depuis le 22 août 2026 (critères trouvés : Prix (60 %), Valeur technique (40 %)).")
    assert detail(r, "climate.env_award_criterion").reason.startswith("critères trouvés : Prix (60 %)")
    assert "Performance environnementale" in f.suggestion and "10 %" in f.suggestion
    assert "condition d'exécution" in finding(r, "climate.env_execution_condition").suggestion.lower()
    social = finding(r, "climate.social_consideration").suggestion
    assert "heures" in social and "facilitateur" in social
    # every failure says why in the checks' table, the social one included (it said nothing)
    assert all(d.reason for d in r.check_details if d.status == "fail")
    assert detail(r, "climate.social_consideration").reason.startswith("ni clause sociale ou d'insertion")


def test_a_value_not_found_says_part_of_the_dce_could_not_be_read(tmp_path, checker):
    """« Vérification impossible : aucun critère pondéré trouvé dans les documents fournis »
    for an RC read up to the cut of its download: the weights may be in the part lost, and
    the reason did not say that part existed (a breach not found did)."""
    (tmp_path / "CCTP.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    r = run(tmp_path, checker, rc(criteria=""), ccap(ENV_CLAUSE))
    assert r.unread() == ["CCTP.pdf"] and r.checks["criteria.sum"] == "unknown"
    lost = "or une partie du DCE n'a pas pu être lue (CCTP.pdf) : ce qui manque y est peut-être"
    assert detail(r, "criteria.sum").reason == f"aucun critère pondéré trouvé dans le texte lu ; {lost}"
    assert detail(r, "payment.delay").reason == f"délai de paiement introuvable dans le texte lu ; {lost}"
    (tmp_path / "entier").mkdir()
    whole = run(tmp_path / "entier", checker, rc(criteria=""), ccap(ENV_CLAUSE))
    assert detail(whole, "criteria.sum").reason == "aucun critère pondéré trouvé dans les documents fournis"


def test_a_clause_not_found_is_no_breach_when_part_of_the_dce_could_not_be_read(tmp_path, checker):
    # the same DCE as above, with a CCTP whose file is damaged: the clauses it may hold were
    # not read, so their absence is « à vérifier », not a breach; the criteria table was read
    # whole, and its lack of an environmental criterion stays a breach
    (tmp_path / "CCTP.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    r = run(tmp_path, checker, rc(criteria=PLAIN_CRITERIA), ccap(MONEY))
    assert r.unread() == ["CCTP.pdf"]
    assert r.checks["climate.env_award_criterion"] == "fail"
    assert r.checks["climate.env_execution_condition"] == "unknown"
    assert r.checks["climate.social_consideration"] == "unknown"
    f = finding(r, "climate.env_execution_condition")
    assert f.severity == "info" and "or une partie du DCE n'a pas pu être lue (CCTP.pdf) : ce qui manque y est peut-être" in f.message
    # « … dans les documents fournis dans le texte lu » said where twice
    assert detail(r, "climate.social_consideration").reason == (
        "ni clause sociale ou d'insertion, ni marché réservé, ni critère social dans le texte lu ; or une partie du DCE "
        "n'a pas pu être lue (CCTP.pdf) : ce qui manque y est peut-être")
    # an obligation that could not be verified is still an obligation, not a recommendation
    assert "### À vérifier : condition d'exécution environnementale (marchés formalisés) (obligation)" in render(r, "md")
    # and every rendering says so at the top, next to its « non »
    for fmt in ("terminal", "md", "html"):
        assert "DCE lu en partie (CCTP.pdf)" in " ".join(render(r, fmt).split()), fmt
    (tmp_path / "entier").mkdir()
    whole = run(tmp_path / "entier", checker, rc(criteria=PLAIN_CRITERIA), ccap(MONEY))
    assert whole.unread() == [] and "lu en partie" not in render(whole, "terminal")


def test_climate_checks_do_not_apply_to_mapa_or_before_the_date(tmp_path, checker):
    r = run(tmp_path, checker, rc(procedure=MAPA, criteria=PLAIN_CRITERIA), ccap(MONEY))
    assert r.checks["climate.env_award_criterion"] == "not_applicable"
    assert "procédure adaptée" in detail(r, "climate.env_award_criterion").reason
    r2 = run(tmp_path, checker, rc(date=BEFORE, criteria=PLAIN_CRITERIA), ccap(MONEY))
    assert r2.checks["climate.env_execution_condition"] == "not_applicable"
    assert "10/03/2026" in detail(r2, "climate.env_execution_condition").reason


def test_climate_checks_are_unknown_without_procedure_or_date(tmp_path, checker):
    r = run(tmp_path, checker, rc(procedure="", date="", criteria=PLAIN_CRITERIA), ccap(MONEY))
    d = detail(r, "climate.env_award_criterion")
    assert d.status == "unknown" and "procédure" in d.reason and "date" in d.reason
    # an obligation that cannot be verified is reported, as information, never as a pass
    f = finding(r, "climate.env_award_criterion")
    assert f.severity == "info" and f.status == "unknown"


def test_a_date_given_to_the_check_decides_the_climate_obligations_of_a_draft(tmp_path, checker):
    """A draft DCE leaves its deadline blank: the loi Climat checks were « indéterminé » until
    the buyer could say when the consultation will be launched."""
    draft = rc(date="Date limite de réception des offres : …", criteria=PLAIN_CRITERIA)
    (tmp_path / "RC.md").write_text(draft, encoding="utf-8")
    (tmp_path / "CCAP.md").write_text(ccap(MONEY), encoding="utf-8")
    undated = detail(checker.check([tmp_path]), "climate.env_award_criterion")
    assert undated.status == "unknown" and "donnez sa publication prévue (--date JJ/MM/AAAA" in undated.reason
    r = checker.check([tmp_path], given=GivenFacts(consultation_date=date(2027, 1, 15)))
    d = detail(r, "climate.env_award_criterion")
    assert d.status == "fail" and d.reason.startswith("critères trouvés : Prix (60 %)")
    assert r.facts.consultation_date == date(2027, 1, 15) and r.facts.consultation_date_basis == "date donnée à la vérification"
    assert "| Date de la consultation | 15/01/2027 (date donnée à la vérification) |" in render(r, "md")
    early = checker.check([tmp_path], given=GivenFacts(consultation_date=date(2026, 3, 1)))
    assert early.checks["climate.env_award_criterion"] == "not_applicable"


def test_a_date_given_to_the_check_wins_over_the_documents_which_stay_in_view(tmp_path, checker):
    r = run(tmp_path, checker, rc(date=BEFORE, criteria=PLAIN_CRITERIA), ccap(MONEY))
    assert r.checks["climate.env_award_criterion"] == "not_applicable" and r.facts.evidence["consultation_date"]
    given = checker.check([tmp_path], given=GivenFacts(consultation_date=date(2026, 10, 1)))
    f = given.facts
    assert f.consultation_date == date(2026, 10, 1) and given.checks["climate.env_award_criterion"] == "fail"
    assert f.consultation_date_basis == "date donnée à la vérification ; les documents donnent le 10/03/2026 (date limite de réception des offres)"
    assert "consultation_date" not in f.evidence  # its quote is of the other date
    # the same date as the documents': their quote stays
    same = checker.check([tmp_path], given=GivenFacts(consultation_date=date(2026, 3, 10)))
    assert same.facts.evidence["consultation_date"] and same.facts.consultation_date_basis == "date donnée à la vérification"


def test_a_registers_notification_date_places_an_undated_consultation_before_it(tmp_path, checker):
    """A DCE archived without a date (a register's market checked by `batch --register`):
    notified before 22/08/2026, its consultation came before the loi Climat."""
    undated = rc(date="", criteria=PLAIN_CRITERIA)
    (tmp_path / "RC.md").write_text(undated, encoding="utf-8")
    (tmp_path / "CCAP.md").write_text(ccap(MONEY), encoding="utf-8")
    r = checker.check([tmp_path], given=GivenFacts(notified=date(2025, 3, 1)))
    d = detail(r, "climate.env_award_criterion")
    assert d.status == "not_applicable"
    assert d.reason.startswith("consultation antérieure au 01/03/2025 (marché notifié ce jour-là, selon le registre)")
    assert r.facts.consultation_date is None and r.facts.consultation_before == date(2025, 3, 1)
    assert "| Date de la consultation | avant le 01/03/2025 (marché notifié ce jour-là, selon le registre) |" in render(r, "md")
    # notified after the law: the consultation may have come before it or after
    assert checker.check([tmp_path], given=GivenFacts(notified=date(2026, 11, 20))).checks["climate.env_award_criterion"] == "unknown"
    # a date the documents write wins
    (tmp_path / "RC.md").write_text(rc(criteria=PLAIN_CRITERIA), encoding="utf-8")
    dated = checker.check([tmp_path], given=GivenFacts(notified=date(2025, 3, 1)))
    assert dated.facts.consultation_date == date(2026, 10, 15) and dated.facts.consultation_before is None
    assert dated.checks["climate.env_award_criterion"] == "fail"
    # a repealed law the DCE cites places it earlier still: kept
    (tmp_path / "RC.md").write_text(rc(procedure=FORMAL + " Articles 33 et 57 à 59 du Code des marchés publics.", date="",
                                       criteria=PLAIN_CRITERIA), encoding="utf-8")
    old = checker.check([tmp_path], given=GivenFacts(notified=date(2025, 3, 1)))
    assert old.facts.consultation_before == date(2016, 4, 1) and "code des marchés publics" in old.facts.consultation_before_basis


def test_an_amount_given_to_the_check_places_a_draft_in_the_indicators_scope(tmp_path, checker):
    """A DCE seldom writes its estimate (10 of the 18 real DCEs of ../shared/real write none):
    their scope (25 000 € HT) and the advance owed above 50 000 € HT were undecided, while the
    buyer knows the amount."""
    r = run(tmp_path, checker, rc(amount=""), ccap(MONEY.replace("Une avance de 10 % est versée au titulaire.", "Il n'est pas prévu d'avance.")))
    assert r.facts.estimated_amount_ht is None and r.flags.in_scope is None
    assert r.checks["sme.financial_terms"] == "pass"  # no advance owed to a market of unknown size
    given = checker.check([tmp_path], given=GivenFacts(estimated_amount_ht=120000))
    f = given.facts
    assert (f.estimated_amount_ht, f.amount_basis, given.flags.in_scope) == (120000, "montant donné à la vérification", True)
    assert "- Dans le périmètre des indicateurs : oui (120 000 € HT, montant donné à la vérification ; seuil : 25 000 € HT)" \
        in render(given, "md")
    assert given.checks["sme.financial_terms"] == "fail" and "avance" in detail(given, "sme.financial_terms").reason
    assert checker.check([tmp_path], given=GivenFacts(estimated_amount_ht=20000)).flags.in_scope is False
    # a register's amount stands in for the one the DCE does not write
    registered = checker.check([tmp_path], given=GivenFacts(notified_amount_ht=90000))
    assert (registered.facts.estimated_amount_ht, registered.facts.amount_basis) == (90000, "montant du marché selon le registre")


def test_a_registers_buyer_names_the_buyer_of_a_dce_that_names_none(tmp_path, checker):
    """A DCE archived without its RC often names no buyer: its market fell under « acheteur non
    trouvé dans le DCE » in the indicators by organisation, while its register names it."""
    r = run(tmp_path, checker, rc(), ccap(MONEY))
    assert r.facts.buyer is None
    given = checker.check([tmp_path], given=GivenFacts(buyer="CAF du Val-de-Lys"))
    assert (given.facts.buyer, given.facts.buyer_basis) == ("CAF du Val-de-Lys", "acheteur nommé par le registre")
    assert "**Acheteur** : CAF du Val-de-Lys (acheteur nommé par le registre)" in render(given, "md")
    assert "acheteur : <strong>CAF du Val-de-Lys (acheteur nommé par le registre)</strong>" in render(given, "html")
    # the documents' own name wins
    (tmp_path / "RC.md").write_text(rc().replace("# Article 1 – Objet", "Pouvoir adjudicateur : CPAM des Hautes-Terres\n\n# Article 1 – Objet"),
                                    encoding="utf-8")
    named = checker.check([tmp_path], given=GivenFacts(buyer="CAF du Val-de-Lys"))
    assert (named.facts.buyer, named.facts.buyer_basis) == ("CPAM des Hautes-Terres", None)


def test_a_registers_procedure_and_object_stand_in_for_a_dce_that_says_neither(tmp_path, checker):
    """A CCAP archived without its RC says no procedure: the loi Climat's checks of a market
    notified after the law stayed « indéterminé (type de procédure introuvable) », while its
    register says « Procédure adaptée »."""
    (tmp_path / "CCAP.md").write_text(ccap(MONEY), encoding="utf-8")
    bare = checker.check([tmp_path], given=GivenFacts(notified=date(2026, 11, 20)))
    assert bare.facts.procedure is None and bare.facts.object is None
    assert detail(bare, "climate.env_award_criterion").reason.startswith("type de procédure et date de la consultation introuvables")
    given = GivenFacts(notified=date(2026, 11, 20), procedure="Procédure adaptée", object="l'entretien des espaces verts")
    r = checker.check([tmp_path], given=given)
    f = r.facts
    assert (f.procedure, f.procedure_label, f.procedure_basis) == ("adaptee", "Procédure adaptée", "procédure selon le registre")
    assert r.checks["climate.env_award_criterion"] == "not_applicable"
    assert detail(r, "climate.env_award_criterion").reason == \
        "procédure adaptée (procédure selon le registre) : l'obligation vise les procédures formalisées"
    md = render(r, "md")
    assert "**Objet** : L'entretien des espaces verts (objet selon le registre)" in md
    assert "| Procédure | procédure adaptée (MAPA) — procédure selon le registre |" in md
    # a register's cell holding a whole description is cut between words, as the documents' object is
    long = checker.check([tmp_path], given=GivenFacts(object="Entretien des espaces verts et " * 20)).facts.object
    assert len(long) <= 242 and long.endswith(" …") and "\n" not in long
    # a register's abbreviations, as buyers number their markets (« 2018AOO0412 », « 2018MAPA062 »
    # in a real DECP file)
    for cell, kind in [("AOO", "formalisee"), ("AOR - accord-cadre", "formalisee"), ("MAPA", "adaptee"), ("aoo", "formalisee"),
                       ("Assistance aux opérations de réception (AOR)", None)]:
        abbreviated = checker.check([tmp_path], given=GivenFacts(notified=date(2026, 11, 20), procedure=cell)).facts
        assert (abbreviated.procedure, abbreviated.procedure_label if kind else None) == (kind, cell if kind else None), cell
    # a wording no kind fits gives no procedure
    odd = checker.check([tmp_path], given=GivenFacts(notified=date(2026, 11, 20), procedure="Procédure négociée ouverte"))
    assert odd.facts.procedure is None and odd.facts.procedure_basis is None


def test_an_amount_given_to_the_check_wins_over_the_documents_a_registers_does_not(tmp_path, checker):
    r = run(tmp_path, checker, rc(), ccap(MONEY))
    assert r.facts.estimated_amount_ht == 300000 and r.facts.evidence["estimated_amount_ht"]
    given = checker.check([tmp_path], given=GivenFacts(estimated_amount_ht=450000))
    assert given.facts.estimated_amount_ht == 450000 and "estimated_amount_ht" not in given.facts.evidence
    assert given.facts.amount_basis == f"montant donné à la vérification ; les documents donnent 300 000 € HT ({r.facts.amount_basis})"
    registered = checker.check([tmp_path], given=GivenFacts(notified_amount_ht=90000))
    assert registered.facts.estimated_amount_ht == 300000 and registered.facts.amount_basis == r.facts.amount_basis


def test_no_award_criterion_in_a_dce_without_its_rc_is_no_breach(tmp_path, checker):
    """An acte d'engagement checked alone (a real one) « failed » the climate law's award
    criterion, which its RC, not given, writes."""
    (tmp_path / "CCAP.md").write_text(ccap(FORMAL, MONEY, ENV_CLAUSE), encoding="utf-8")
    r = checker.check([tmp_path], given=GivenFacts(consultation_date=date(2027, 1, 15)))
    d = detail(r, "climate.env_award_criterion")
    assert d.status == "unknown" and "les critères s'écrivent dans le RC ou l'avis, absents" in d.reason
    # with the RC, the same silence is a breach
    (tmp_path / "RC.md").write_text(rc(criteria=""), encoding="utf-8")
    with_rc = checker.check([tmp_path], given=GivenFacts(consultation_date=date(2027, 1, 15)))
    assert with_rc.checks["climate.env_award_criterion"] == "fail"


def test_values_written_in_pieces_not_given_say_which_pieces_to_add(tmp_path, checker):
    """CCTPs checked alone (four real DCEs) said « délai de paiement introuvable dans les
    documents fournis », « aucun critère pondéré trouvé »: true, but the buyer was not told
    that the CCAP (or the acte d'engagement) and the RC, not given, are where they are written."""
    (tmp_path / "CCTP.md").write_text(
        "# CAHIER DES CLAUSES TECHNIQUES PARTICULIÈRES\n\n# Article 1 – Objet\n\n"
        "Le présent CCTP décrit les prestations de gardiennage des locaux de la caisse.\n", encoding="utf-8")
    r = checker.check([tmp_path])
    assert detail(r, "payment.delay").reason == ("délai de paiement introuvable ; il s'écrit d'ordinaire dans le CCAP ou "
                                                 "l'AE, absents des documents fournis : joignez-les à la vérification")
    assert detail(r, "sme.financial_terms").reason.endswith("elles s'écrivent dans le CCAP ou l'AE, absents "
                                                            "des documents fournis : joignez-les à la vérification")
    # whole in the terminal's table too, which cuts a reason past 160 characters: the action is its end
    assert max(len(detail(r, i).reason) for i in ("payment.delay", "sme.financial_terms", "criteria.sum", "sme.allotment",
                                                   "sme.group_solidarity", "climate.env_award_criterion")) <= 160
    assert detail(r, "climate.env_award_criterion").reason == (
        "type de procédure et date de la consultation introuvables : pour un projet, donnez sa publication prévue "
        "(--date JJ/MM/AAAA, champ « Date de la consultation »)")
    assert detail(r, "criteria.sum").reason == ("aucun critère pondéré trouvé ; les critères s'écrivent dans le RC ou l'avis, "
                                                "absents des documents fournis : joignez-les à la vérification")
    assert "joignez-les à la vérification" in finding(r, "payment.delay").message
    # the wording to paste is an article of an RC, nothing else (it held « (Si le règlement de la
    # consultation est une autre pièce, joignez-la à la vérification.) », pasted with it)
    assert finding(r, "criteria.sum").suggestion.endswith("3) Performance environnementale : 10 %.")
    assert detail(r, "sme.allotment").reason == ("ni lots ni mention d'un marché unique ; l'allotissement s'écrit dans le RC, "
                                                 "le CCAP ou l'avis, absents des documents fournis : joignez-les à la vérification")
    # the synthesis says which pieces are missing, above its « 0 obligation non respectée »
    unknown = sum(1 for c in r.check_details if c.status == "unknown")
    assert unknown >= 4
    said = f"Pièces absentes du DCE fourni : RC, CCAP ({unknown} vérifications indéterminées) : joignez-les pour un rapport complet"
    assert f"- **{said}**" in render(r, "md")
    assert f'id="pieces-absentes">{said}</p>' in render(r, "html")
    assert " ".join(said.split()) in " ".join(render(r, "terminal").replace("│", " ").split())
    # with a CCAP and an RC that write none of them, their silence is what the check reports
    (tmp_path / "CCAP.md").write_text(ccap(ENV_CLAUSE), encoding="utf-8")
    (tmp_path / "RC.md").write_text(rc(criteria="Les offres sont jugées sur la valeur technique et le prix."), encoding="utf-8")
    given = checker.check([tmp_path])
    assert detail(given, "payment.delay").reason == "délai de paiement introuvable dans les documents fournis"
    assert detail(given, "criteria.sum").reason == "aucun critère pondéré trouvé dans les documents fournis"
    assert "joignez" not in detail(given, "sme.financial_terms").reason
    assert "Pièces absentes" not in render(given, "md")


@pytest.mark.parametrize(
    ("cited", "before"),
    [
        # a real CCTP, under the code of 2006; a real model clause, under the ordonnance of 2015
        ("Marché passé en appel d'offres ouvert (Articles 33 et 57 à 59 du Code des Marchés publics).", "01/04/2016"),
        ("Clause prise en application de l'article 38 de l'ordonnance n° 2015-899 relative aux marchés publics.", "01/04/2019"),
    ],
)
def test_a_dce_without_a_date_is_dated_by_the_repealed_law_it_cites(tmp_path, checker, cited, before):
    """The climate checks were « indéterminé, date de la consultation introuvable » for a DCE
    whose law was repealed years before 22/08/2026."""
    r = run(tmp_path, checker, rc(procedure=cited, date="", criteria=PLAIN_CRITERIA), ccap(MONEY))
    d = detail(r, "climate.env_award_criterion")
    assert d.status == "not_applicable" and d.reason.startswith(f"consultation antérieure au {before} (le DCE cite")
    assert d.evidence and r.facts.consultation_date is None  # the indicators' year is not made up
    assert f"| Date de la consultation | avant le {before} (le DCE cite" in render(r, "md")
    # today's code loosely called by its former name dates nothing
    loose = run(tmp_path, checker, rc(procedure=FORMAL + " Voir le code des marchés publics.", date="", criteria=PLAIN_CRITERIA), ccap(MONEY))
    assert loose.checks["climate.env_award_criterion"] == "unknown" and loose.facts.consultation_before is None


@pytest.mark.parametrize(
    ("cover", "status", "said"),
    [
        # two real works DCEs without their RC: « DOSSIER PRO/DCE – INDICE B – MARS 2021 »,
        # « … 01-15/3429 DCE B 5 Octobre 2016 » on their covers
        ("Maîtrise d'œuvre : Atelier du Canal\nDOSSIER PRO/DCE – INDICE B – MARS 2021", "not_applicable",
         "DCE daté de mars 2021 : consultation lancée dans l'année qui suit, antérieure au 22/08/2026"),
        ("Atelier du Canal 02-19/5521 DCE B 5 Octobre 2016", "not_applicable",
         "DCE daté du 5 octobre 2016 : consultation lancée dans l'année qui suit, antérieure au 22/08/2026"),
        # a draft dated after the law: its consultation cannot come before it; the law applies
        ("DOSSIER DE CONSULTATION DES ENTREPRISES – DCE – DÉCEMBRE 2026", "fail", "critères trouvés : Prix (60 %)"),
        # less than a year before the law: it may have been launched after
        ("DCE – indice A – 15/01/2026", "unknown", "date de la consultation introuvable"),
    ],
)
def test_a_dce_without_a_consultation_date_is_placed_by_the_date_it_bears(tmp_path, checker, cover, status, said):
    r = run(tmp_path, checker, rc(date=cover, criteria=PLAIN_CRITERIA), ccap(MONEY))
    d = detail(r, "climate.env_award_criterion")
    assert d.status == status and d.reason.startswith(said)
    assert r.facts.consultation_date is None  # the indicators' year is not made up
    if status == "not_applicable":
        assert d.evidence and "DCE" in d.evidence[0].quote
        assert "| Date de la consultation | après son DCE, daté d" in render(r, "md")


@pytest.mark.parametrize(("amount", "said"), [
    ("Le montant estimé du marché est de 300 000 € HT.", "oui (300 000 € HT ; seuil : 25 000 € HT)"),
    ("Le montant estimé du marché est de 18 000 € HT.", "non (18 000 € HT ; seuil : 25 000 € HT)"),
    ("", "inconnu (montant estimé introuvable dans les documents ; seuil : 25 000 € HT)"),
])
def test_the_summary_says_why_a_market_is_in_the_indicators_scope_or_not(tmp_path, checker, amount, said):
    r = run(tmp_path, checker, rc(amount=amount), ccap(MONEY))
    assert f"- Dans le périmètre des indicateurs : {said}" in render(r, "md")
    assert f"Périmètre des indicateurs : {said}" in " ".join(render(r, "terminal").split())
    value, basis = said.split(" (", 1)
    page = render(r, "html").replace("\u00a0", " ")  # its amounts' unbreakable spaces (test_an_amount_never_breaks_across_lines)
    assert f'<div class="n">{value}</div><div class="l">dans le périmètre des indicateurs ({basis}</div>' in page


def test_social_obligation_applies_to_long_works_even_under_mapa(tmp_path, checker):
    text = rc(procedure=MAPA, criteria=PLAIN_CRITERIA, obj="des travaux de rénovation du bâtiment administratif",
              amount="Le montant estimé des travaux est de 400 000 € HT.").replace("deux ans", "dix mois")
    r = run(tmp_path, checker, text, ccap(MONEY))
    assert r.facts.nature == "travaux"
    assert r.checks["climate.env_award_criterion"] == "not_applicable"
    assert r.checks["climate.social_consideration"] == "fail"


@pytest.mark.parametrize(
    ("criteria", "status", "said"),
    [
        ("| Critère | Pondération |\n| Prix | 55 % |\n| Valeur technique | 40 % |\n| Performance environnementale | 5 % |", "fail", "5 % (10 % au moins)"),
        ("| Critère | Pondération |\n| Prix | 45 % |\n| Valeur technique | 35 % |\n| Développement durable | 20 % |\n"
         "| dont performance environnementale | 10 % |\n| dont performance sociale | 10 % |", "pass", "20 %"),
        ("| Critère | Pondération |\n| Prix | 50 % |\n| Valeur technique | 35 % |\n| Développement durable | 15 % |", "fail", "15 % (20 % au moins)"),
        (PLAIN_CRITERIA, "not_applicable", "aucun critère"),
    ],
)
def test_criterion_weight(tmp_path, checker, criteria, status, said):
    r = run(tmp_path, checker, rc(criteria=criteria), GOOD_CCAP)
    d = detail(r, "rso.criterion_weight")
    assert d.status == status and said in d.reason
    if status == "fail":
        f = finding(r, "rso.criterion_weight")
        assert f.severity == "warning" and "10 %" in f.suggestion and "20 %" in f.suggestion


def test_criteria_repeated_in_each_lot_group_are_said_once():
    """A RC whose lots share the same sustainable criterion (seen on a real one: the same 15 %
    criterion in the group of all lots and in lot 7's) names it once, quotes it once."""
    from achat_check.checks import Context
    from achat_check.checks.rules import criterion_weight
    from achat_check.model import CriteriaGroup, Criterion, Evidence, MarketReport

    def group(page: int) -> list[Criterion]:
        said = "Critère n°3 : Considérations sociales et environnementales (15 %)"
        ev = Evidence(document="RC.pdf", page=page, start=0, end=10, quote=said)
        return [Criterion(name="Prix", weight=85, kind="price"),
                Criterion(name="Considérations sociales et environnementales", weight=15, kind="sustainable", evidence=[ev])]

    report = MarketReport(criteria=group(24), criteria_lots=[CriteriaGroup(lots=["1"], criteria=group(24)),
                                                             CriteriaGroup(lots=["7"], criteria=group(25))])
    verdict = criterion_weight(report, Context())
    assert verdict.status == "fail"
    assert verdict.reason == "« Considérations sociales et environnementales » : 15 % (20 % au moins)."
    assert [e.page for e in verdict.evidence] == [24]


def test_a_financial_terms_failure_quotes_what_it_is_about_only():
    """A real DCE's « Avance : Sans » (amount unknown, so no advance problem) was quoted first
    under a finding about uncapped penalties."""
    from achat_check.checks import Context
    from achat_check.checks.rules import financial_terms
    from achat_check.model import Evidence, MarketReport

    def said(quote: str) -> list[Evidence]:
        return [Evidence(document="CCAP.pdf", page=1, start=0, end=5, quote=quote)]

    report = MarketReport()
    report.facts.advance_present, report.facts.penalties_capped = False, False
    report.facts.evidence = {"advance_rate": said("Avance Sans"), "penalties_capped": said("Les pénalités ne sont pas plafonnées")}
    verdict = financial_terms(report, Context())
    assert verdict.status == "fail" and verdict.reason.startswith("pénalités déclarées non plafonnées")
    assert [e.quote for e in verdict.evidence] == ["Les pénalités ne sont pas plafonnées"]
    report.facts.estimated_amount_ht = 80000  # now the advance is a problem too, and quoted
    assert [e.quote for e in financial_terms(report, Context()).evidence] == ["Avance Sans", "Les pénalités ne sont pas plafonnées"]


def test_a_financial_terms_failure_suggests_the_wording_of_what_it_is_about_only(tmp_path, checker):
    """A real CCAP's uncapped penalties were offered an « Article X – Avance et retenue de
    garantie » paragraph whose last sentence only was about penalties."""
    capped = "Le montant cumulé des pénalités est plafonné à 10 % du montant du marché."
    r = run(tmp_path, checker, rc(), ccap(MONEY.replace(capped, "Le montant des pénalités n'est pas plafonné.")))
    assert finding(r, "sme.financial_terms").suggestion == (
        "Pénalités : le montant cumulé des pénalités est plafonné à 10 % du montant du marché.")
    r = run(tmp_path, checker, rc(), ccap(MONEY.replace("Le marché ne prévoit pas de retenue de garantie.",
                                                           "Une retenue de garantie de 10 % est prélevée.")))
    assert finding(r, "sme.financial_terms").suggestion.startswith("Retenue de garantie : aucune retenue de garantie")
    assert "\n" not in finding(r, "sme.financial_terms").suggestion


def test_an_advance_excluded_by_an_accord_cadre_a_bons_de_commande_is_not_a_failure():
    """Two real AE of accords-cadres à bons de commande exclude the advance (« Il n'est pas
    prévu d'avance », « Avance Sans ») for maxima of 800 000 and 255 000 € HT over all
    periods: the advance follows the orders (and a minimum above 50 000 € HT, R2191-17), not
    that maximum, so « avance écartée pour un marché de plus de 50 000 € HT » was wrong."""
    from achat_check.checks import Context
    from achat_check.checks.rules import ORDERS_ADVANCE, financial_terms
    from achat_check.model import MarketReport

    report = MarketReport()
    report.facts.advance_present, report.facts.estimated_amount_ht, report.facts.max_duration_months = False, 255000, 36
    report.facts.framework = "bons_de_commande"
    verdict = financial_terms(report, Context())
    assert verdict.status == "pass" and verdict.reason == ORDERS_ADVANCE and "R2191-17" in verdict.reason
    report.facts.retenue_garantie_rate = 0.0  # excluded: said as the market data row says it, not « 0 % »
    assert financial_terms(report, Context()).reason == ORDERS_ADVANCE + ", sans retenue de garantie"
    report.facts.framework = None  # an ordinary market of that value owes the advance
    verdict = financial_terms(report, Context())
    assert verdict.status == "fail" and verdict.reason.startswith("avance écartée pour un marché de plus de 50 000 € HT")


def test_penalties_of_a_consultation_older_than_the_2021_ccag():
    """A real CCP under the décret 2016-360 was told « plafond de 10 % des CCAG 2021 s'ils
    s'appliquent »: launched before 1 April 2021, it cannot be under them."""
    import datetime

    from achat_check.checks import Context
    from achat_check.checks.rules import financial_terms
    from achat_check.model import MarketReport, Penalty

    report = MarketReport()
    report.facts.penalties = [Penalty(label="pénalité de 150 € par jour de retard")]
    assert "s'ils s'appliquent" in financial_terms(report, Context()).reason  # date unknown
    report.facts.consultation_before = datetime.date(2019, 4, 1)
    report.facts.consultation_before_basis = "le DCE cite le décret 2016-360, abrogé à cette date"
    assert financial_terms(report, Context()).reason == (
        "pénalités sans plafond propre (consultation antérieure au 01/04/2021 et aux CCAG de cette date, qui les plafonnent à 10 %)")
    report.facts.consultation_before, report.facts.consultation_date = None, datetime.date(2021, 10, 4)
    assert "s'ils s'appliquent" in financial_terms(report, Context()).reason


def test_criterion_inside_the_technical_value_is_not_detached(tmp_path, checker):
    criteria = ("| Critère | Pondération |\n| Prix | 60 % |\n| Valeur technique | 40 % |\n"
                "| dont méthodologie | 25 % |\n| dont performance environnementale | 15 % |")
    r = run(tmp_path, checker, rc(criteria=criteria), GOOD_CCAP)
    assert r.checks["rso.criterion_detached"] == "fail"
    assert "performance environnementale" in detail(r, "rso.criterion_detached").reason
    assert "critère à part entière" in finding(r, "rso.criterion_detached").suggestion
    assert r.checks["climate.env_award_criterion"] == "pass"  # still an environmental criterion for the law
    r2 = run(tmp_path, checker, rc(criteria=PLAIN_CRITERIA), GOOD_CCAP)
    assert r2.checks["rso.criterion_detached"] == "not_applicable"


SOCIAL_CRITERIA = ("| Critère | Pondération |\n| Prix | 50 % |\n| Valeur technique | 30 % |\n"
                   "| Performance environnementale | 10 % |\n| Performance sociale | 10 % |")


def test_an_environmental_or_social_criterion_goes_with_a_clause_of_its_theme(tmp_path, checker):
    """The Référentiel's first condition for a criterion: « en combinaison condition exécution
    et/ou spécification ».  A social criterion with only an environmental clause fails for the
    social part alone, with the wording for it."""
    r = run(tmp_path, checker, rc(criteria=SOCIAL_CRITERIA), ccap(MONEY, ENV_CLAUSE))
    assert r.checks["rso.criterion_combined"] == "fail"
    said = detail(r, "rso.criterion_combined").reason
    assert said == "critère social sans condition d'exécution ou spécification sociale dans les documents fournis."
    f = finding(r, "rso.criterion_combined")
    assert f.severity == "warning" and "condition 1" in f.legal_basis
    assert f.suggestion.startswith("Social :") and "Environnemental" not in f.suggestion
    both = run(tmp_path, checker, rc(criteria=SOCIAL_CRITERIA), ccap(MONEY, ENV_CLAUSE, INSERTION))
    assert both.checks["rso.criterion_combined"] == "pass"
    assert "critère social accompagné de « Clause sociale d'insertion » (clause d'insertion)" in detail(both, "rso.criterion_combined").reason
    assert run(tmp_path, checker, rc(criteria=PLAIN_CRITERIA), GOOD_CCAP).checks["rso.criterion_combined"] == "not_applicable"


def test_a_criterion_without_its_clause_or_the_clauses_quality_are_unknown_when_the_pieces_that_write_clauses_are_missing(tmp_path, checker):
    (tmp_path / "RC.md").write_text(rc(criteria=ENV_CRITERIA), encoding="utf-8")
    r = checker.check([tmp_path / "RC.md"])
    assert r.checks["rso.criterion_combined"] == "unknown"
    assert "ni CCAP ni CCTP" in detail(r, "rso.criterion_combined").reason
    # nor can the clauses' drafting be judged: it was « sans objet » for an RC or a notice alone
    assert r.checks["clauses.quality"] == "unknown"
    assert detail(r, "clauses.quality").reason == ("aucune clause trouvée ; elles s'écrivent dans le CCAP ou le CCTP, absents des "
                                                   "documents fournis : joignez-les à la vérification")


def test_a_contract_without_its_rc_says_the_rc_writes_the_lots(tmp_path, checker):
    """Two real DCEs (a contract AE+CCAP, a CCP) came without their RC and say nothing of lots:
    « ni lots ni mention d'un marché unique dans les documents fournis » did not tell the buyer
    that the RC, not given, is where a consultation says whether it is divided into lots."""
    (tmp_path / "CCAP.md").write_text(ccap(MONEY), encoding="utf-8")
    r = checker.check([tmp_path])
    assert r.facts.allotted is None and not r.facts.lots
    assert detail(r, "sme.allotment").reason == ("ni lots ni mention d'un marché unique ; l'allotissement s'écrit dans le RC "
                                                 "ou l'avis, absents des documents fournis : joignez-les à la vérification")
    # with its RC, the same silence is the DCE's own
    (tmp_path / "RC.md").write_text(rc(criteria=PLAIN_CRITERIA, allotment="Sans objet."), encoding="utf-8")
    both = checker.check([tmp_path])
    assert both.facts.allotted is None and not both.facts.lots
    assert detail(both, "sme.allotment").reason == "ni lots ni mention d'un marché unique dans les documents fournis"


SENT_TO_CCTP = ("# Article 6 – Développement durable\n\n"
                "Les conditions d'exécution des prestations comportent des éléments à caractère environnemental "
                "qui prennent en compte les objectifs de développement durable comme suit : Voir CCTP")


@pytest.mark.parametrize(
    ("cctp", "said"),
    [
        ("Le titulaire livre au moins 30 % de produits issus de l'agriculture biologique. "
         "Il remet chaque trimestre un bilan des quantités livrées par label.", "sans pénalité chiffrée"),
        # the price schedule is no follow-up
        ("Le titulaire livre au moins 30 % de produits issus de l'agriculture biologique. "
         "Le bordereau des prix unitaires est complété par le candidat.", "sans suivi (bilan, état, justificatifs) ni pénalité chiffrée"),
    ],
)
def test_a_clause_that_sends_to_the_cctp_as_a_whole_is_read_there(tmp_path, checker, cctp, said):
    """A real CCAP writes its environmental conditions « comme suit : Voir CCTP », and its CCTP
    holds them: the CCAP's article alone was judged « sans exigence mesurable, suivi ni
    pénalité »."""
    (tmp_path / "CCTP.md").write_text(f"# CCTP\n\n# Article 2 – Produits\n\n{cctp}\n", encoding="utf-8")
    r = run(tmp_path, checker, rc(), ccap(MONEY, SENT_TO_CCTP))
    assert detail(r, "clauses.quality").reason == f"clauses environnementales (CCAP art. 6, CCTP art. 2) : {said}."


def test_criteria_sum(tmp_path, checker):
    bad = "| Critère | Pondération |\n| Prix | 50 % |\n| Valeur technique | 35 % |\n| Performance environnementale | 10 % |"
    r = run(tmp_path, checker, rc(criteria=bad), GOOD_CCAP)
    assert r.checks["criteria.sum"] == "fail" and "95 %" in detail(r, "criteria.sum").reason
    assert "100 %" in finding(r, "criteria.sum").suggestion
    r2 = run(tmp_path, checker, rc(criteria="Les offres sont jugées selon les critères énoncés dans le cahier des charges."), GOOD_CCAP)
    assert r2.checks["criteria.sum"] == "unknown"
    # no weight found: « correct the weights » made no sense; the wording to paste writes them
    said = finding(r2, "criteria.sum").suggestion
    assert said.startswith("Article X – Jugement des offres") and "Corrigez" not in said



def test_criteria_in_points_against_the_total_the_rc_writes(tmp_path, checker):
    """Points are turned into weights on their own sum, which always makes 100 %: criteria
    of 45 + 35 + 20 + 10 points under « Total : 100 points » passed."""
    points = ("| Critère | Points |\n| Prix des prestations | 45 points |\n| Valeur technique | 35 points |\n"
              "| Performance environnementale | 20 points |\n| Délai | 10 points |\n| Total | {} points |")
    r = run(tmp_path, checker, rc(criteria=points.format(100)), GOOD_CCAP)
    assert r.checks["criteria.sum"] == "fail"
    assert detail(r, "criteria.sum").reason == "les critères totalisent 110 points, le total écrit est de 100."
    r2 = run(tmp_path, checker, rc(criteria=points.format(110)), GOOD_CCAP)
    assert r2.checks["criteria.sum"] == "pass" and r2.criteria_points_total == 110


@pytest.mark.parametrize(
    ("groups", "status"),
    [
        # real notices' wordings (Grand-Quevilly; the notices' field), and their opposites (Nîmes, DAE)
        ("Après attribution du marché à un groupement, l'acheteur impose la forme d'un groupement solidaire "
         "pour assurer la bonne exécution du marché.", "fail"),
        ("Forme juridique que devra revêtir le groupement d'opérateurs économiques attributaire du marché : groupement solidaire.", "fail"),
        ("Le pouvoir adjudicateur ne souhaite pas imposer la forme d'un groupement solidaire.", "pass"),
        ("La forme du groupement n'est pas imposée. En cas de groupement conjoint, le mandataire est solidaire "
         "de chacun des membres du groupement.", "pass"),
        ("", "pass"),  # the RC says nothing: nothing is imposed
    ],
)
def test_the_joint_and_several_form_imposed_on_groups(tmp_path, checker, groups, status):
    text = rc() + (f"\n# Article 6 – Groupements\n\n{groups}\n" if groups else "")
    r = run(tmp_path, checker, text, GOOD_CCAP)
    assert r.checks["sme.group_solidarity"] == status
    if status == "fail":
        f = finding(r, "sme.group_solidarity")
        assert f.severity == "warning" and "R2142-22" in f.message and "solidaire" in f.evidence[0].quote
        assert "n'impose aucune forme de groupement" in f.suggestion
    elif groups:
        assert detail(r, "sme.group_solidarity").evidence  # the sentence that leaves the form free


@pytest.mark.parametrize(
    ("written", "status"),
    [
        ("", "fail"),
        # a real RC's heading (DAE), the grounds said beside their exclusion
        ("Motif d'exclusion lié au non-respect de l'obligation des entreprises d'établir un bilan de leurs émissions de gaz "
         "à effet de serre. Les candidats présentent ce bilan à la demande de l'acheteur.", "pass"),
        ("Le candidat qui n'a pas satisfait à l'obligation d'établir un plan de vigilance est exclu de la procédure.", "pass"),
        ("L'acheteur applique les exclusions prévues aux articles L2141-7-1 et L2141-7-2 du code de la commande publique.", "pass"),
        # « vigilance » and the emissions elsewhere: the URSSAF's certificate, a report the holder sends
        ("Le candidat retenu produit l'attestation de vigilance délivrée par l'Urssaf. Le titulaire remet chaque année un "
         "bilan des émissions de gaz à effet de serre liées aux prestations.", "fail"),
        ("Le titulaire utilise exclusivement des véhicules électriques et remet un bilan des émissions de gaz à effet de "
         "serre de ses livraisons.", "fail"),  # « exclusivement » excludes no one
        # the sworn statement of real RCs and notices: the optional exclusions cited in a block, none said
        ("Une déclaration sur l'honneur pour justifier que le candidat n'entre dans aucun cas mentionné aux articles L2141-1 à "
         "L2141-5 et L2141-7 à L2141-11 du code de la commande publique.", "fail"),
    ],
)
def test_exclusions_on_environmental_or_social_grounds(tmp_path, checker, written, status):
    """The Référentiel (engagement 4, enjeu 3) asks markets to include the exclusions on
    environmental or social grounds its glossary lists: no plan de vigilance, no greenhouse-gas
    report, no sustainability information."""
    r = run(tmp_path, checker, rc(exclusions=written), GOOD_CCAP)
    assert r.checks["rso.exclusions"] == status
    if status == "fail":
        f = finding(r, "rso.exclusions")
        assert f.severity == "warning" and "L2141-7-1" in f.legal_basis and "engagement 4, enjeu 3" in f.legal_basis
        assert "L. 2141-7-1 et L. 2141-7-2" in f.suggestion
        in_block = "L2141-7 à L2141-11" in written
        assert ("ne sont citées qu'en bloc (« L2141-7 à L2141-11 »)" in f.message) is in_block
        assert bool(f.evidence) is in_block  # the block it quotes; an absence quotes nothing
    else:
        said = detail(r, "rso.exclusions")
        assert said.evidence and said.reason.split(" : ")[1] in (
            "bilan des émissions de gaz à effet de serre", "plan de vigilance", "plan de vigilance (L2141-7-1)")  # the ground it found
    quoted = [e.quote for d in r.considerations.environmental for e in d.evidence]
    assert not [q for q in quoted if "xclu" in q and "exclusivement" not in q or "vigilance" in q]  # an exclusion is no environmental clause


def test_exclusions_are_unknown_without_an_rc_or_a_notice(tmp_path, checker):
    (tmp_path / "CCAP.md").write_text(GOOD_CCAP, encoding="utf-8")
    r = checker.check([tmp_path])
    assert r.checks["rso.exclusions"] == "unknown" and "RC ou l'avis" in detail(r, "rso.exclusions").reason


def test_the_form_of_groups_is_unknown_without_an_rc_or_a_notice(tmp_path, checker):
    (tmp_path / "CCAP.md").write_text(GOOD_CCAP, encoding="utf-8")
    r = checker.check([tmp_path])
    assert r.checks["sme.group_solidarity"] == "unknown" and "RC ou l'avis" in detail(r, "sme.group_solidarity").reason


@pytest.mark.parametrize(
    ("sentence", "buyer", "status"),
    [
        ("Le délai global de paiement est de 30 jours.", "organisme", "pass"),
        ("Les factures sont réglées dans un délai global de paiement de 45 jours.", "organisme", "fail"),
        ("Les factures sont réglées dans un délai global de paiement de 45 jours.", "etablissement_sante", "pass"),
        ("Les factures sont réglées par virement.", "organisme", "unknown"),
        # a notice's wording (Courthézon)
        ("Le paiement des sommes dues est effectué dans un délai global maximum de 45 jours.", "organisme", "fail"),
    ],
)
def test_payment_delay_by_buyer_type(tmp_path, sentence, buyer, status):
    checker = Checker(buyer_type=buyer)
    r = run(tmp_path, checker, rc(), ccap(f"# Article 3 – Paiement\n\n{sentence}", ENV_CLAUSE, INSERTION))
    assert r.checks["payment.delay"] == status
    if status == "fail":
        f = finding(r, "payment.delay")
        assert "45 jours" in f.message and "30 jours" in f.suggestion and f.evidence


@pytest.mark.parametrize(
    ("allotment", "status"),
    [
        ("Le marché n'est pas alloti : les prestations sont techniquement indissociables, une dévolution en lots séparés "
         "rendant l'exécution techniquement difficile.", "pass"),
        ("Il s'agit d'un marché unique.", "fail"),
        ("", "unknown"),
    ],
)
def test_allotment(tmp_path, checker, allotment, status):
    r = run(tmp_path, checker, rc(allotment=allotment), GOOD_CCAP)
    assert r.checks["sme.allotment"] == status
    if status == "fail":
        assert "L. 2113-11" in finding(r, "sme.allotment").suggestion


def test_lots_announced_without_a_list_pass_the_allotment_and_are_shown(tmp_path, checker):
    """« composé de 3 lots définis comme suit », the lots in a layout not read (a real RC):
    allotted, with the number said, not « ni lots ni mention » nor « l'un de ses lots »."""
    r = run(tmp_path, checker, rc(allotment="La consultation est composée de 3 lots définis comme suit :"), GOOD_CCAP)
    assert (r.checks["sme.allotment"], detail(r, "sme.allotment").reason) == ("pass", "marché alloti (3 lots)")
    assert "| Lots | 3 lots annoncés (liste non lue) |" in render(r, "md")


def test_a_notice_alone_does_not_fail_the_allotment_it_does_not_justify(tmp_path, checker):
    """A BOAMP notice says « Prestations divisées en lots : non » and has no room for the
    justification, which the RC or the CCAP writes: four real notices failed the obligation."""
    (tmp_path / "avis.txt").write_text(
        "AVIS D'APPEL PUBLIC À LA CONCURRENCE\nObjet du marché : acquisition de deux véhicules électriques.\n"
        "Prestations divisées en lots : non.\nType de procédure : procédure adaptée.\n", encoding="utf-8")
    r = checker.check([tmp_path])
    assert r.checks["sme.allotment"] == "unknown" and "absents des documents fournis" in detail(r, "sme.allotment").reason
    (tmp_path / "RC.md").write_text(rc(allotment="Il s'agit d'un marché unique."), encoding="utf-8")
    assert checker.check([tmp_path]).checks["sme.allotment"] == "fail"  # with the RC, its silence is a breach


def test_financial_terms_retenue_above_the_legal_limit_is_an_error(tmp_path, checker):
    money = ("# Article 3 – Prix et paiement\n\nLe délai global de paiement est de 30 jours. Il n'est pas prévu d'avance. "
             "Une retenue de garantie de 10 % est prélevée sur chaque paiement.")
    r = run(tmp_path, checker, rc(), ccap(money, ENV_CLAUSE, INSERTION))
    d = detail(r, "sme.financial_terms")
    assert d.status == "fail" and "10 %" in d.reason and "avance écartée" in d.reason
    fs = [f for f in r.findings if f.check == "sme.financial_terms"]
    assert len(fs) == 1 and fs[0].severity == "error" and "avance" in fs[0].suggestion.lower()


def test_financial_terms_uncapped_penalties_and_unknown(tmp_path, checker):
    money = ("# Article 3 – Prix et paiement\n\nLe délai global de paiement est de 30 jours. Une avance de 5 % est versée. "
             "Par dérogation à l'article 14.1.2 du CCAG-FCS, le montant total des pénalités de retard n'est pas plafonné.")
    r = run(tmp_path, checker, rc(), ccap(money, ENV_CLAUSE, INSERTION))
    assert r.checks["sme.financial_terms"] == "fail" and "non plafonnées" in detail(r, "sme.financial_terms").reason
    assert finding(r, "sme.financial_terms").severity == "warning"
    r2 = run(tmp_path, checker, rc(), ccap("# Article 3 – Paiement\n\nLe délai global de paiement est de 30 jours."))
    assert r2.checks["sme.financial_terms"] == "unknown"


def test_clause_quality(tmp_path, checker):
    weak = ("# Article 6 – Conditions d'exécution environnementales\n\n"
            "Le titulaire utilise des produits d'entretien titulaires de l'Écolabel européen ou d'un label équivalent.")
    r = run(tmp_path, checker, rc(), ccap(MONEY, weak, INSERTION))
    d = detail(r, "clauses.quality")
    assert d.status == "fail" and "environnementales (CCAP art. 6)" in d.reason
    assert "sociales" not in d.reason
    # what is missing said as French says it (it read « sans suivi (…), pénalité chiffrée »)
    assert "(CCAP art. 6) : sans suivi (bilan, état, justificatifs) ni pénalité chiffrée." in d.reason
    assert "pénalité chiffrée" in finding(r, "clauses.quality").suggestion
    # it quotes the weak clause, not the complete insertion clause beside it (a real contract's
    # finding on its environmental clauses quoted its insertion commitment too)
    assert d.evidence and all(e.article.startswith("6") for e in d.evidence), [e.quote for e in d.evidence]
    r2 = run(tmp_path, checker, rc(criteria=PLAIN_CRITERIA), ccap(MONEY))
    assert r2.checks["clauses.quality"] == "not_applicable"


def test_a_sentence_announcing_both_themes_is_quoted_once(tmp_path, checker):
    """« … des éléments à caractère social et environnemental … comme suit : » (a real CCAP)
    opens the clauses of both themes: the finding quoted it twice."""
    both = ("# Article 6 – Responsabilité sociétale\n\nLes conditions d'exécution des prestations comportent des éléments "
            "à caractère social et environnemental qui prennent en compte les objectifs de développement durable comme suit :\n\n"
            "Le titulaire livre des produits porteurs de l'Écolabel européen ou équivalent.\n\n"
            "Le titulaire veille à l'égalité entre les femmes et les hommes et lutte contre les discriminations.")
    r = run(tmp_path, checker, rc(), ccap(MONEY, both))
    d = detail(r, "clauses.quality")
    assert d.status == "fail" and "clauses environnementales" in d.reason and "clauses sociales" in d.reason, d.reason
    quotes = [(e.document, e.quote) for e in d.evidence]
    assert len(quotes) == len(set(quotes)) and any("social et environnemental" in q for _, q in quotes), quotes


def test_clause_quality_of_clauses_an_rc_announces_is_unknown_without_the_ccap(tmp_path, checker):
    """A real RC checked alone announces « une clause obligatoire d'insertion » written « dans le
    cahier des charges »: the checker judged that announcement and found it without follow-up or
    penalty. The clause is in a document it was not given: it cannot say."""
    announce = rc(criteria=PLAIN_CRITERIA) + (
        "\n# Article 6 – Clause d'insertion\n\nLe pouvoir adjudicateur inclut dans le cahier des charges une clause "
        "obligatoire d'insertion : le titulaire réalise une action d'insertion qui permet l'accès à l'emploi de "
        "personnes rencontrant des difficultés sociales ou professionnelles particulières.\n")
    (tmp_path / "RC.md").write_text(announce, encoding="utf-8")
    r = checker.check([tmp_path / "RC.md"])
    d = detail(r, "clauses.quality")
    assert d.status == "unknown", d.reason
    assert "clauses sociales annoncées (RC art. 6), rédigées dans un cahier des charges non fourni" in d.reason
    assert d.evidence and d.evidence[0].article.startswith("6")
    # given with its CCAP, the clause is judged there
    r = run(tmp_path, checker, announce, ccap(MONEY))
    assert detail(r, "clauses.quality").status == "fail"


def test_clause_quality_of_clauses_an_rc_sends_to_a_ccap_not_given(tmp_path, checker):
    """A real RC, checked with its CCTP but without its CCAP, announces « des conditions
    d'exécution … à caractère environnemental (cf. article 8 du CCAP) »: the CCTP being there
    did not make the RC's announcement the clause to judge."""
    announce = rc() + ("\n# Article 6 – Considérations environnementales\n\nLe présent accord-cadre prévoit des conditions "
                       "d'exécution des prestations comportant des éléments à caractère environnemental (cf. article 8 du CCAP).\n")
    (tmp_path / "RC.md").write_text(announce, encoding="utf-8")
    (tmp_path / "CCTP.md").write_text("# CAHIER DES CLAUSES TECHNIQUES PARTICULIÈRES\n\n# Article 1 – Prestations\n\n"
                                      "Le titulaire nettoie les locaux chaque jour ouvré.\n", encoding="utf-8")
    r = checker.check([tmp_path])
    d = detail(r, "clauses.quality")
    assert d.status == "unknown", d.reason
    assert "clauses environnementales annoncées (RC art. 6), rédigées au CCAP art. 8, non fourni" in d.reason


def test_clause_quality_of_a_clause_announced_for_the_cahier_des_charges_beside_a_cctp_that_only_follows_it(tmp_path, checker):
    """The DAE: its RC puts « dans le cahier des charges » a « clause obligatoire d'insertion »;
    its CCTP, given without the CCAP, only lists « Suivi de l'exécution de la clause d'insertion »
    among a steering meeting's aims. That agenda item was judged as the clause (« sans pénalité
    chiffrée »): it names the clause, it is not it, and the clause is the CCAP's, not given."""
    announce = rc() + (
        "\n# Article 6 – Clause d'insertion\n\nLe pouvoir adjudicateur inclut dans le cahier des charges de la présente "
        "consultation une clause obligatoire d'insertion : le titulaire réalise une action d'insertion qui permet "
        "l'accès à l'emploi de personnes rencontrant des difficultés sociales ou professionnelles particulières.\n")
    (tmp_path / "RC.md").write_text(announce, encoding="utf-8")
    (tmp_path / "CCTP.md").write_text(
        "# CAHIER DES CLAUSES TECHNIQUES PARTICULIÈRES\n\n# Article 1 – Prestations\n\nLe titulaire nettoie les locaux.\n\n"
        "# Article 2 – Pilotage\n\nObjectifs de la réunion semestrielle :\n\n- Suivi de l'exécution de la clause d'insertion sociale\n"
        "- Point sur les difficultés remontées par les sites\n", encoding="utf-8")
    r = checker.check([tmp_path])
    d = detail(r, "clauses.quality")
    assert d.status == "unknown", d.reason
    assert "clauses sociales annoncées (RC art. 6), rédigées au CCAP, non fourni" in d.reason
    assert not any("Suivi de l'exécution" in e.quote for e in d.evidence)


def test_clause_quality_follows_the_article_a_clause_refers_to(tmp_path, checker):
    """A CCAP whose clause only says « se référer à l'article 10 du CCTP » (seen in a real
    CCAP) is judged with that CCTP article, not alone."""
    sends = ("# Article 6 – Développement durable\n\nLes conditions d'exécution des prestations comportent des éléments "
             "à caractère environnemental comme suit : se référer à l'article 10 du CCTP.")
    cctp = ("# CAHIER DES CLAUSES TECHNIQUES PARTICULIÈRES\n\n# Article 9 – Livraison\n\nLes fournitures sont livrées au siège.\n\n"
            "# Article 10 – Protection de l'environnement\n\nLe titulaire reprend 100 % des emballages et remet chaque année "
            "un bilan des quantités reprises. Tout manquement donne lieu à une pénalité de 150 € HT par constat.\n\n"
            "# Article 11 – Garantie\n\nLa garantie est de deux ans.")
    (tmp_path / "CCTP.md").write_text(cctp, encoding="utf-8")
    r = run(tmp_path, checker, rc(), ccap(MONEY, sends, INSERTION))
    d = detail(r, "clauses.quality")
    assert d.status == "pass", d.reason
    (tmp_path / "CCTP.md").write_text(cctp.replace("Tout manquement donne lieu à une pénalité de 150 € HT par constat.", ""), encoding="utf-8")
    r = run(tmp_path, checker, rc(), ccap(MONEY, sends, INSERTION))
    d = detail(r, "clauses.quality")
    assert d.status == "fail" and "(CCAP art. 6, CCTP art. 10) : sans pénalité chiffrée" in d.reason


def test_clause_quality_judges_the_clause_not_the_summary_box(tmp_path, checker):
    """The box « L'essentiel du contrat » a CCAP may open with (seen in a real CCAP) says
    « Clauses environnementales Avec »: a label, not the clause.  Judged as a clause, the
    text around it (a duration, the payment article's rates and penalty cap) made a clause
    without any penalty look complete."""
    box = "L'ESSENTIEL DU CONTRAT\n\nDurée 2 ans\n\nClauses sociales Sans\n\nClauses environnementales Avec"
    weak = ("# Article 6 – Conditions d'exécution environnementales\n\nLe titulaire reprend les emballages de ses "
            "livraisons en vue de leur recyclage et remet chaque semestre un bilan des emballages repris.")
    r = run(tmp_path, checker, rc(), "\n\n".join([box, MONEY, weak, INSERTION]))
    d = detail(r, "clauses.quality")
    assert d.status == "fail", d.reason
    assert "(CCAP art. 6) : sans exigence mesurable ni pénalité chiffrée" in d.reason


def test_clause_quality_leaves_the_cover_page_out(tmp_path, checker):
    """A contract's cover (a real one reads « … de recharge de véhicules électriques »)
    names the object before the first article: not a clause to judge nor to cite."""
    cover = "CAISSE NATIONALE\n\nMarché de fourniture et de pose de bornes de recharge pour véhicules électriques\n\n===page===\n\n"
    weak = ("# ARTICLE 6 – Engagement environnemental\n\nLe titulaire reprend les emballages de ses livraisons "
            "en vue de leur recyclage et remet chaque semestre un bilan des emballages repris.")
    body = "\n\n".join(["# ARTICLE 1 – Objet\n\nLe marché porte sur la fourniture de bornes.", MONEY.replace("# Article 3", "# ARTICLE 3"), weak])
    (tmp_path / "CCAP.pdf").write_bytes(makers.make_pdf(makers.parse(cover + body)))
    (tmp_path / "RC.md").write_text(rc(), encoding="utf-8")
    r = checker.check([tmp_path])
    d = detail(r, "clauses.quality")
    assert d.status == "fail" and "(CCAP art. 6) : sans exigence mesurable ni pénalité chiffrée" in d.reason, d.reason


def test_clause_quality_in_a_contract_without_numbers(tmp_path, checker):
    """A CCAP whose sections have no numbers (as in a real one): its clause on page 2 is
    judged in its section, not taken for the cover page's title block."""
    pages = ("CAHIER DES CLAUSES ADMINISTRATIVES PARTICULIERES\n\nFourniture de mobilier de bureau\n\n===page===\n\n"
             "CONDITIONS D'EXECUTION\n\nLes prestations sont conformes au contrat.\n\nClauses environnementales\n\n"
             "Le titulaire livre le mobilier dans des emballages réemployables à 100 %. Il remet chaque semestre un bilan "
             "des emballages repris. Tout manquement donne lieu à une pénalité de 100 € HT par constat.\n\n"
             "MODALITES DE PAIEMENT\n\nLe délai global de paiement est de 30 jours.")
    (tmp_path / "CCAP.pdf").write_bytes(makers.make_pdf(makers.parse(pages)))
    (tmp_path / "RC.md").write_text(rc(), encoding="utf-8")
    r = checker.check([tmp_path])
    d = detail(r, "clauses.quality")
    assert d.status == "pass", d.reason


def box(social: str, env: str) -> str:
    """The summary box of the State's models, as a real CCAP's first page extracts."""
    return f"# L'ESSENTIEL DU CONTRAT\n\nObjet Nettoyage des locaux\nClauses sociales {social}\nClauses\nenvironnementales {env}\nDurée / Délai 2 ans"


def test_the_dce_s_declaration_of_its_clauses_against_the_clauses_written(tmp_path, checker):
    for case in "abcd":
        (tmp_path / case).mkdir()
    r = run(tmp_path / "a", checker, rc(), ccap(box("Avec", "Avec"), MONEY, ENV_CLAUSE, INSERTION))
    d = detail(r, "clauses.declared")
    assert d.status == "pass" and "art. 7" in d.reason and "art. 6" in d.reason
    assert d.evidence[0].quote == "Clauses sociales Avec"
    # the box declares, it is no clause: « Avec » is not counted as one (CTX-016)
    assert not [d for d in r.considerations.environmental if "Avec" in d.evidence[0].quote]
    assert any(d.explanation.adjustments[0].rule_id == "CTX-016" for d in r.considerations.discarded)
    # « Sans » while the CCAP has an insertion clause: the published data would say no social clause
    r = run(tmp_path / "b", checker, rc(), ccap(box("Sans", "Avec"), MONEY, ENV_CLAUSE, INSERTION))
    f = finding(r, "clauses.declared")
    assert f.severity == "warning" and "« Clauses sociales : Sans » déclaré, mais les documents en contiennent (CCAP.md" in f.message
    assert "art. 7" in f.message and "Clauses environnementales" not in f.message
    assert {e.quote for e in f.evidence} >= {"Clauses sociales Sans"} and "R2196-1" in f.legal_basis
    # « Avec » with no environmental clause written: a breach of the declaration...
    r = run(tmp_path / "c", checker, rc(), ccap(box("Sans", "Avec"), MONEY))
    assert r.checks["clauses.declared"] == "fail"
    assert "aucune clause environnementale trouvée" in finding(r, "clauses.declared").message
    # the RC and the CCAP must say the same: the RC's box is the one read, the CCAP's contradicts it
    (tmp_path / "e").mkdir()
    r = run(tmp_path / "e", checker, box("Avec", "Avec") + "\n\n" + rc(), ccap(box("Sans", "Avec"), MONEY, ENV_CLAUSE, INSERTION))
    assert (r.facts.declared_social_clauses, r.facts.declared_env_clauses) == (True, True)
    f = finding(r, "clauses.declared")
    assert "« Clauses sociales : Avec » dans RC.md, mais « Sans » dans CCAP.md" in f.message and "Clauses environnementales" not in f.message
    # ... unless part of the DCE could not be read: the clause may be there
    (tmp_path / "d" / "CCTP.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    r = run(tmp_path / "d", checker, rc(), ccap(box("Sans", "Avec"), MONEY))
    assert r.checks["clauses.declared"] == "unknown"


def test_a_declaration_written_as_a_sentence_is_no_clause_either(tmp_path, checker):
    """« Clauses sociales : Avec. » with a full stop: read as the declaration, not counted as
    the social clause it declares (it then proved itself: « clause écrite (RC art. 1) »)."""
    said = "# Article 9 – Clauses\n\nClauses sociales : Avec.\n\nClauses environnementales : Avec.\n"
    r = run(tmp_path, checker, rc() + said, ccap(MONEY, ENV_CLAUSE))
    assert (r.facts.declared_social_clauses, r.facts.declared_env_clauses) == (True, True)
    assert r.checks["clauses.declared"] == "fail"
    assert finding(r, "clauses.declared").message.endswith("(« Clauses sociales : Avec » déclaré, mais aucune clause sociale trouvée dans les documents).")
    assert not [d for d in r.considerations.social + r.considerations.environmental if "Avec" in d.evidence[0].quote]


def test_sector_obligations(tmp_path, checker):
    food = rc(obj="la fourniture de repas en liaison froide pour le restaurant du personnel")
    r = run(tmp_path, checker, food, GOOD_CCAP)
    assert r.checks["obligations.sector"] == "fail" and "Egalim" in detail(r, "obligations.sector").reason
    # the wording proposed is the catering one alone, not the vehicles' and works' as well
    assert finding(r, "obligations.sector").suggestion.startswith("Restauration : la part des produits durables")
    assert "Travaux" not in finding(r, "obligations.sector").suggestion and "Véhicules" not in finding(r, "obligations.sector").suggestion
    egalim = ("# Article 8 – Qualité des produits\n\nLa part des produits durables et de qualité servis est au moins égale à 50 % "
              "en valeur, dont au moins 20 % de produits issus de l'agriculture biologique.")
    r2 = run(tmp_path, checker, food, ccap(MONEY, ENV_CLAUSE, INSERTION, egalim))
    assert r2.checks["obligations.sector"] == "pass"
    r3 = run(tmp_path, checker, rc(), GOOD_CCAP)
    assert r3.checks["obligations.sector"] == "not_applicable"
    # a consultation before 1 January 2022, when the Egalim share became due, is not held to it
    older = run(tmp_path, checker, food.replace(AFTER, "Date limite de réception des offres : 14 octobre 2021 à 12h00."), GOOD_CCAP)
    d = detail(older, "obligations.sector")
    assert d.status == "not_applicable" and d.reason.startswith("restauration : consultation du 14/10/2021, antérieure au 01/01/2022")
    assert d.evidence


def test_the_works_waste_objective_binds_consultations_from_2020(tmp_path, checker):
    """A real works DCE of 2016 (« DCE B 5 Octobre 2016 ») « failed » the 70 % of works waste
    recovered, the code de l'environnement's objective for 2020 (L541-1)."""
    works = rc(obj="des travaux de réhabilitation de l'école", date="Date limite de réception des offres : 12 novembre 2019 à 12h00.")
    d = detail(run(tmp_path, checker, works, GOOD_CCAP), "obligations.sector")
    assert d.status == "not_applicable" and d.reason == (
        "travaux : consultation du 12/11/2019, antérieure au 01/01/2020, année de l'objectif de 70 % des déchets valorisés (L541-1)")
    now = run(tmp_path, checker, works.replace("12 novembre 2019", "12 novembre 2026"), GOOD_CCAP)
    assert now.facts.nature == "travaux" and now.checks["obligations.sector"] == "fail"


def test_a_clause_missing_from_a_dce_without_ccap_or_cctp_is_not_a_failure(tmp_path, checker):
    """A real acte d'engagement checked alone « failed » the Egalim obligation (and the
    execution conditions and the social consideration it cannot hold): the pieces that write
    the clauses were not given. The same DCE with its CCAP still fails."""
    (tmp_path / "RC.md").write_text(rc(obj="la fourniture de repas en liaison froide pour le restaurant du personnel",
                                       criteria=PLAIN_CRITERIA), encoding="utf-8")
    r = checker.check([tmp_path / "RC.md"])
    for check_id in ("obligations.sector", "climate.env_execution_condition", "climate.social_consideration"):
        d = detail(r, check_id)
        assert d.status == "unknown" and "le DCE fourni ne comprend ni CCAP ni CCTP" in d.reason, (check_id, d.reason)
    # the wording offered is the catering line only, as for a failure (the vehicles' and the
    # works' lines were offered to a food supply too), under a title that keeps « Egalim »
    (todo,) = [f for f in r.findings if f.check == "obligations.sector"]
    assert todo.title == "À vérifier : obligations propres au secteur (Egalim, véhicules, déchets de travaux)"
    assert todo.suggestion.startswith("Restauration :") and "\n" not in todo.suggestion
    # the award criteria are the RC's, which was given: that failure stands
    assert [f.check for f in r.findings if f.status == "fail"] == ["climate.env_award_criterion"]
    (tmp_path / "CCAP.md").write_text(ccap(MONEY), encoding="utf-8")
    r = checker.check([tmp_path])
    assert r.checks["obligations.sector"] == "fail" and r.checks["climate.env_execution_condition"] == "fail"


def test_plan_cadre_rulebook_threshold_and_recommendations(tmp_path):
    text = rc(amount="Le montant estimé du marché est de 22 000 € HT.")
    rso = run(tmp_path, Checker(rulebook="rso-2025"), text, GOOD_CCAP)
    legacy = run(tmp_path, Checker(rulebook="plan-cadre-2015"), text, GOOD_CCAP)
    assert rso.flags.in_scope is False and legacy.flags.in_scope is True
    assert legacy.rulebook == "plan-cadre-2015"
    assert legacy.checks["rso.criterion_weight"] == "not_applicable"
    assert "rso-2025" in detail(legacy, "rso.criterion_weight").reason
    assert legacy.checks["payment.delay"] == "pass"  # legal obligations hold under both rulebooks
    at = run(tmp_path, Checker(rulebook="plan-cadre-2015"), rc(amount="Le montant estimé du marché est de 20 000 € HT."), GOOD_CCAP)
    assert at.flags.in_scope is False  # the Plan cadre counts markets strictly above 20 000 € HT
    edge = run(tmp_path, Checker(), rc(amount="Le montant estimé du marché est de 25 000 € HT."), GOOD_CCAP)
    assert edge.flags.in_scope is True  # the Référentiel counts markets of 25 000 € HT and more


def test_a_plan_cadre_report_cites_the_plan_cadre_not_the_2025_referentiel(tmp_path):
    """A purchasing manager checking a 2016 market under the Plan cadre read « Référentiel RSO
    2025, engagement 4, enjeu 3 » as the basis of its payment delay and SME checks: the Plan
    cadre has its own enjeu 3 (« accès aux PME/TPE », objectif 1 : « Réduire et maîtriser les
    délais de paiement »)."""
    text = rc(amount="Le montant estimé du marché est de 60 000 € HT.")
    legacy = run(tmp_path, Checker(rulebook="plan-cadre-2015"), text, GOOD_CCAP)
    applied = [d for d in legacy.check_details if "hors du référentiel" not in d.reason]
    assert {d.id for d in applied} >= {"payment.delay", "sme.allotment", "sme.financial_terms", "clauses.declared"}
    assert not [d.id for d in applied if "RSO 2025" in d.legal_basis]
    assert not [f.check for f in legacy.findings if "RSO 2025" in f.legal_basis]
    assert detail(legacy, "payment.delay").legal_basis.endswith(
        "Plan cadre développement durable 2015-2018, responsabilité économique, enjeu 3 (achat responsable – soutien au "
        "tissu économique et accès aux PME/TPE), objectif 1 (« Réduire et maîtriser les délais de paiement »)")
    rso = run(tmp_path, Checker(rulebook="rso-2025"), text, GOOD_CCAP)
    assert detail(rso, "payment.delay").legal_basis.endswith("Référentiel RSO 2025, engagement 4, enjeu 3")


def test_unknown_rulebook_or_buyer_type_is_a_clear_error():
    with pytest.raises(AchatCheckError) as e:
        Checker(rulebook="rso-2030")
    assert "rso-2025" in str(e.value)
    with pytest.raises(AchatCheckError):
        Checker(buyer_type="mairie")


def test_open_data_values(tmp_path, checker):
    r = run(tmp_path, checker, rc(), GOOD_CCAP)
    assert r.decp.considerationsSociales == ["Clause sociale"]
    assert set(r.decp.considerationsEnvironnementales) == {"Clause environnementale", "Critère environnemental"}
    assert r.decp.eforms["BT-06"] == ["env-imp", "soc-obj"] and "opp" in r.decp.eforms["BT-775"]
    bare = run(tmp_path, checker, rc(criteria=PLAIN_CRITERIA), ccap(MONEY))
    assert bare.decp.considerationsSociales == ["Pas de considération sociale"]
    assert bare.decp.eforms["BT-06"] == ["none"]


DECP_SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "real" / "data" / "decp-schema-and-official-examples" / "schema_decp_v2.0.3.json"


@pytest.mark.skipif(not DECP_SCHEMA.is_file(), reason="schéma DECP de ../shared absent")
def test_open_data_values_are_in_the_decp_schema(tmp_path, checker):
    import json

    defs = json.loads(DECP_SCHEMA.read_text(encoding="utf-8"))["definitions"]["marche"]["definitions"]
    social_enum = set(defs["considerationSocialeArray"]["items"]["enum"])
    env_enum = set(defs["considerationEnvironnementaleArray"]["items"]["enum"])
    for text in (rc(), rc(criteria=PLAIN_CRITERIA)):
        for body in (GOOD_CCAP, ccap(MONEY)):
            decp = run(tmp_path, checker, text, body).decp.as_decp()
            social = decp["considerationsSociales"]["considerationSociale"]
            env = decp["considerationsEnvironnementales"]["considerationEnvironnementale"]
            assert social and set(social) <= social_enum and len(set(social)) == len(social)
            assert env and set(env) <= env_enum and len(set(env)) == len(env)


def test_a_failed_check_says_its_message_and_reason_as_one_sentence():
    from achat_check.checks import fail_message

    assert fail_message("Le délai dépasse le maximum.", "délai écrit : 45 jours.") == "Le délai dépasse le maximum (délai écrit : 45 jours)."
    assert fail_message("Les conditions freinent les PME (avance écartée, retenue élevée).", "retenue de garantie : 10 %.") == (
        "Les conditions freinent les PME (avance écartée, retenue élevée) : retenue de garantie : 10 %.")
    assert fail_message("Aucune considération sociale.", "") == "Aucune considération sociale."


def test_a_criterion_line_is_shown_once_as_the_criterion_not_also_as_an_announced_clause(tmp_path, checker):
    """« Performances en matière de protection de l'environnement … 10 % » (a real RC's
    criterion) holds the announcement's words too: the report shows it under the
    environmental criterion only; the announcement found in the CCAP stays a clause."""
    criteria = ("| Critère | Pondération |\n| Prix | 50 % |\n| Valeur technique | 40 % |\n"
                "| Performances en matière de protection de l'environnement en lien avec l'objet du marché | 10 % |")
    report = run(tmp_path, checker, rc(criteria=criteria), ccap(
        "# Article 5 – Développement durable\n\nLes conditions d'exécution des prestations comportent des éléments "
        "à caractère environnemental qui prennent en compte les objectifs de développement durable."))
    shown = [(d.rule_id, d.lever) for d in report.considerations.environmental]
    assert ("ENV-029", "criterion") in shown
    assert ("ENV-028", "clause") in shown
    assert ("ENV-028", "criterion") not in shown
    assert report.flags.env_criterion and report.flags.env_consideration


def test_figures_in_reasons_are_written_the_french_way(tmp_path, checker):
    """« 57,5 % », never « 57.5 % » (a real RC weighs sub-criteria 3,5 %)."""
    criteria = "| Critère | Pondération |\n| Prix | 57,5 % |\n| Valeur technique | 42,5 % |"
    r = run(tmp_path, checker, rc(criteria=criteria), ccap(MONEY))
    reason = detail(r, "climate.env_award_criterion").reason
    assert reason == "critères trouvés : Prix (57,5 %), Valeur technique (42,5 %)."
    assert "57.5" not in finding(r, "climate.env_award_criterion").message


def test_a_lot_whose_criteria_have_no_environmental_one_breaches_the_obligation(tmp_path, checker):
    """Each lot is a market: the environmental criterion of lot 2 is none of lot 1's (it passed
    on lot 2's)."""
    per_lot = ("| Critères | Lot 1 | Lot 2 |\n| Prix | 60 % | 50 % |\n| Valeur technique | 40 % | 35 % |\n"
               "| Performance environnementale | - | 15 % |")
    r = run(tmp_path, checker, rc(criteria=per_lot), GOOD_CCAP)
    assert r.checks["climate.env_award_criterion"] == "fail"
    assert detail(r, "climate.env_award_criterion").reason == (
        "Lot 1 : aucun critère environnemental ; « Performance environnementale » (15 %) ne vaut que pour les autres "
        "lots, et chaque lot est un marché.")
    both = per_lot.replace("| - |", "| 10 % |").replace("| 60 % |", "| 50 % |")
    assert run(tmp_path, checker, rc(criteria=both), GOOD_CCAP).checks["climate.env_award_criterion"] == "pass"
