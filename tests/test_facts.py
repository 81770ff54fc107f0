"""Facts of the market on wording seen in real DCEs, traps included."""

from __future__ import annotations

from datetime import date

import pytest

from achat_check.extract.facts import market_object, procedure_kind, read_facts
from achat_check.extract.numbers import parse_number
from achat_check.ingest import read_member
from achat_check.ingest.archive import Member
from achat_check.settings import Limits


def facts(text: str, name: str = "RC.txt", months: float | None = None):
    doc = read_member(Member(name, text.encode()), Limits())
    return read_facts([doc], months)


@pytest.mark.parametrize(
    ("text", "proc"),
    [
        ("La consultation est passée selon la procédure de l'appel d'offres ouvert.", "formalisee"),
        ("Mode de passation : Procédure adaptée ouverte (article R. 2123-1).", "adaptee"),
        ("Type de procédure : procédure adaptée.", "adaptee"),
        ("Le marché est passé sans publicité ni mise en concurrence préalables (article R. 2122-8).", "negociee"),
        ("La procédure retenue est le dialogue compétitif.", "formalisee"),
    ],
)
def test_procedure(text, proc):
    assert facts(text).procedure == proc


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # a real AE and a real RC: the articles come first, the procedure's name after them
        ("Le présent accord-cadre est conclu en application des articles R2124-2,1° et R2161-2 à\n"
         "R2161-5 du code de la commande publique, régissant l'appel d'offres ouvert.", "appel d'offres ouvert"),
        ("Article 2 – Procédure\nSur la base des articles L.2124-1, L.2124-2 et R.2124-2 du code de la commande "
         "publique, la procédure de la présente consultation est celle de l'appel d'offres restreint.", "appel d'offres restreint"),
        ("La procédure de passation est régie par l'article R2124-2 du code de la commande publique.", "R2124-2"),
        # a real RC: the generic wording first, the name right after it
        ("3.1 - Procédure\nLa procédure retenue est une procédure formalisée d’appel d’offres ouvert conformément aux "
         "articles L2124-2 et R2161-2 à R2161-5 du code de la commande publique.", "appel d’offres ouvert"),
    ],
)
def test_the_procedure_is_named_rather_than_its_article(text, label):
    found = facts(text)
    assert found.procedure == "formalisee" and found.procedure_label == label
    assert found.evidence["procedure"][0].quote.startswith(("Le présent", "Sur la base", "La procédure"))
    assert found.evidence["procedure"][0].matched.endswith(label)  # quoted to the name


AE_PERIOD_TABLES = (
    "Article 4 – Prix\n\nLe montant des prestations pour la période initiale de l'accord-cadre est défini comme suit :\n\n"
    "Pour le lot n°3 - Boissons\nCommune de Sainte-Aurore\nPériode\tMinimum HT\tMaximum HT\n"
    "Période initiale\t8 000,00 €\t42 000,00 €\nSyndicat des écoles du Val\nPériode\tMinimum HT\tMaximum HT\n"
    "Période initiale\t0,00 €\t6 000,00 €\n\n{same}"
)
CCAP_PERIODS = ("Article 3 – Durée\n\nL'accord-cadre est conclu pour une période initiale de 1 an. Le nombre de périodes de "
                "reconduction est fixé à 3. La durée maximale du contrat, toutes périodes confondues, est de 4 ans.")


@pytest.mark.parametrize(
    ("same", "amount", "basis"),
    [
        ("Les montants seront identiques pour chaque période de reconduction.", 192000, "somme des maxima de la période initiale × 4 périodes"),
        ("", 48000, "somme des maxima de la période initiale (reconductions non comptées)"),
    ],
)
def test_maxima_of_the_initial_period_in_tables_of_an_ae(same, amount, basis):
    """The AE of the AWS-achat model (a real one: two members of a group of buyers, each with
    « Période initiale 12 500,00 € 75 000,00 € » under « Minimum HT Maximum HT ») gave no
    value: the market's scope for the indicators was unknown."""
    docs = [read_member(Member("AE.txt", AE_PERIOD_TABLES.format(same=same).encode()), Limits()),
            read_member(Member("CCAP.txt", CCAP_PERIODS.encode()), Limits())]
    f = read_facts(docs, 48)
    assert f.estimated_amount_ht == amount and f.amount_basis == basis
    assert "42 000,00 €" in f.evidence["estimated_amount_ht"][0].quote


def test_amount_ttc_only_is_converted_with_the_written_vat():
    f = facts("Le montant estimé du marché est de 120 000 € TTC (TVA au taux de 20 %).")
    assert f.estimated_amount_ht == 100000 and "TTC" in f.amount_basis


def test_amount_ttc_without_rate_says_the_rate_is_assumed():
    f = facts("Le montant estimatif du marché est de 55 000 euros TTC.")
    assert round(f.estimated_amount_ht, 2) == round(55000 / 1.2, 2) and "non écrit" in f.amount_basis


def test_annual_amount_times_maximum_duration():
    f = facts("Le montant estimé est de 65 000 € HT par an.", months=48)
    assert f.estimated_amount_ht == 260000 and "× 4 ans" in f.amount_basis


@pytest.mark.parametrize(
    ("text", "form"),
    [
        # real wording of the technique
        ("Le marché prend la forme d'un accord cadre, mono-attributaire, s'exécutant par bons de commandes sans minimum.", "bons_de_commande"),
        ("Les prestations s'exécutent par émission et transmission au Titulaire de bons de commande.", "bons_de_commande"),
        ("Objet du marché à bons de commande", "bons_de_commande"),
        ("Le titulaire de l'accord-cadre est chargé du gardiennage. Un bon de commande mensuel lui est adressé.", "bons_de_commande"),
        ("Forme : accord-cadre à bons de commande et/ou marché(s) subséquent(s).", "mixte"),
        ("Chaque marché subséquent précise ses quantités.", "marches_subsequents"),
        # the order of an ordinary market (a real CCAP for two engines; a real CCAP beside « marché ordinaire »)
        ("Le délai de livraison court à compter de l'envoi du bon de commande. Seuls les bons de commande signés valent commande.", None),
        ("1.3 - Type et forme de contrat\nIl s'agit d'un marché ordinaire.\n"
         "Pénalité : 1 % du montant HT du marché ou de l'accord-cadre, ou du montant HT du bon de commande concerné.", None),
    ],
)
def test_the_framework_form_is_the_one_the_dce_says(text, form):
    assert facts(text).framework == form


@pytest.mark.parametrize(
    ("text", "tranches", "ordinary", "shown"),
    [
        # a real RC: each optional tranche numbered, the last with no duration
        ("1.3 - Marché à tranches\nLe marché est composé des tranches suivantes :\n- Tranche ferme d'une durée de deux ans.\n"
         "- Tranche optionnelle n°1 : une année.\n- Tranche optionnelle n°2 : une année.\n"
         "- Tranche optionnelle n°3 relative aux prestations de réversibilité.", 3, None, "marché à tranches (une tranche ferme, 3 optionnelles)"),
        # a BOAMP notice says the count; « no » on its own line before the rank
        ("Le marché comporte une tranche ferme et deux tranches optionnelles au sens des articles R2113-4 à R2113-6.", 2, None,
         "marché à tranches (une tranche ferme, 2 optionnelles)"),
        ("-Tranche ferme (Tf) Analyse des rapports\n-Tranche conditionnelle no\n1 : Accompagnement", 1, None,
         "marché à tranches (une tranche ferme, 1 optionnelle)"),
        ("1.3 - Type et forme de contrat\nIl s'agit d'un marché ordinaire.", None, True, "marché ordinaire"),
        # a real CCAP for two engines: the notification is the one order
        ("La notification du marché vaudra commande pour une livraison et installation dans l'établissement.", None, True,
         "marché ordinaire"),
        ("La notification du marché vaut commande de la tranche ferme. Le marché comporte une tranche ferme et une tranche "
         "optionnelle.", 1, None, "marché à tranches (une tranche ferme, 1 optionnelle)"),
        # a BOAMP notice declares the agreement, not how it is carried out
        ("L'avis implique l'établissement d'un accord-cadre. Accord-cadre avec un seul opérateur. Durée de l'accord-cadre : 11 mois.",
         None, None, "accord-cadre (bons de commande ou marchés subséquents : non précisé)"),
        # what every notice and CCAP writes, framework agreement or not
        ("Les pièces sont remises avant la notification du marché public ou de l'accord-cadre (formulaire NOTI1).", None, None, "—"),
        # an accord-cadre is said as such, whatever else
        ("Le marché est un accord-cadre à bons de commande.", None, None, "accord-cadre à bons de commande"),
        ("Le titulaire livre les fournitures au fur et à mesure.", None, None, "—"),
        # a BOAMP notice ticks « un marché public » (no framework agreement)...
        ("Travaux\nL'avis implique un marché public.\nCaractéristiques principales :", None, None,
         "marché public, pas un accord-cadre (selon l'avis)"),
        # ... and a real one ticks it, then describes an agreement: the description wins
        ("L'avis implique un marché public.\nObjet : accord-Cadre à bons de commande et/ou marché(s) subséquent(s) ayant pour objet",
         None, None, "accord-cadre à bons de commande et marchés subséquents"),
        # tranches say more than the box
        ("L'avis implique un marché public.\nLe marché comporte une tranche ferme et deux tranches optionnelles.", 2, None,
         "marché à tranches (une tranche ferme, 2 optionnelles)"),
    ],
)
def test_the_form_of_the_contract_tranches_or_ordinary_market(text, tranches, ordinary, shown):
    """« Forme : — » for a real RC's market in a firm and three optional tranches, for one
    that says « Il s'agit d'un marché ordinaire », for a notice's framework agreement, and for
    six real notices that tick « L'avis implique un marché public »."""
    from achat_check.report.labels import contract_form

    f = facts(text)
    assert (f.optional_tranches, f.ordinary_market, contract_form(f)) == (tranches, ordinary, shown)
    if "implique un marché public" in text:  # the box is read as « no agreement » only when nothing says one
        assert f.framework_agreement is (None if f.framework else False)
        assert ("framework_agreement" in f.evidence) is (f.framework is None)  # the box quoted when it tells


def test_insurance_and_penalty_amounts_are_not_the_market_value():
    text = ("Le titulaire souscrit une assurance responsabilité civile d'un montant minimum de 2 000 000 € par sinistre. "
            "Une pénalité de 5 000 € est appliquée par manquement. "
            "Les bons de commande d'un montant supérieur à 50 000 € HT ouvrent droit à une avance. "
            "Le montant maximum de l'accord-cadre est fixé à 1,5 M€ HT pour sa durée totale.")
    f = facts(text)
    assert f.estimated_amount_ht == 1500000 and f.amount_basis == "maximum de l'accord-cadre"


@pytest.mark.parametrize(
    ("text", "allowed"),
    [
        ("Refus des variantes. La procédure d'achat du présent avis est couverte par l'accord sur les marchés publics de l'OMC : non.", False),
        ("Dans le cadre de la présente consultation, les variantes à l'initiative des candidats ne sont pas autorisées. "
         "Il n'est pas prévu de variantes à l'initiative du pouvoir adjudicateur.", False),
        ("L'acheteur n'autorise pas les variantes.", False),
        ("Le CEA autorise la présentation de variantes de durée. Les soumissionnaires doivent remettre une offre de base.", True),
        ("L'entrepreneur peut proposer des variantes, si le règlement de consultation l'autorise.", None),
    ],
)
def test_variants_as_real_rcs_and_notices_say_it(text, allowed):
    assert facts(text).variants_allowed is allowed


def test_the_lots_of_a_boamp_notice():
    """BOAMP notices end « Lot(s) 2. - » on the dash (the title on the next line), may open a
    page with it, or name their lots without numbers (« Lot(s) Peinture. - »): the lots of
    two real notices were missed in part or whole, their allotment left unknown."""
    numbered = facts("Prestations divisées en lots : oui.\nLot(s) 1. -\nVéhicule utilitaire électrique\nDurée : 100 jours.\n"
                     "Mots descripteurs : Véhicules\fLot(s) 2. -\nVéhicule à moteur essence\nDurée : 100 jours.", "avis.txt")
    assert [(lot.number, lot.title) for lot in numbered.lots] == [("1", "Véhicule utilitaire électrique"), ("2", "Véhicule à moteur essence")]
    named = facts("Renseignements relatifs aux lots :\nLot(s) VRD - Gros oeuvre -Carrelage. -\nSelon CCTP Lot 1\n"
                  "Lot(s) Peinture. -\nSelon CCTP Lot 4\nLot(s) Ascenseur. -\nSelon CCTP Lot 7", "avis.txt")
    assert [lot.title for lot in named.lots] == ["VRD - Gros oeuvre -Carrelage", "Peinture", "Ascenseur"] and named.allotted
    said = facts("Prestations divisées en lots : oui. Possibilité de présenter une offre pour tous les lots.", "avis.txt")
    assert said.allotted is True and not said.lots


def test_the_brackets_of_a_calibration_grid_are_no_market_value():
    """A real buyers' guide calibrates the clause's hours by « Montant prévisionnel » brackets:
    its « 99 000 € » was read as the market's estimated value."""
    grid = ("Calibrage de la clause\nMontant prévisionnel sur la période ferme du marché\n150 heures\n300 heures\n450 heures\n"
            "Entre 1€ et 99 000 €\nEntre 100 000€ et 199 000 €\nEntre 200 000€ et 399 000 €\nA partir de 400 000€\n")
    assert facts(grid, "guide.txt").estimated_amount_ht is None
    stated = facts("Le montant estimé du marché est compris entre 100 000 € et 150 000 € HT.")
    assert stated.estimated_amount_ht == 100000  # a value given as a range is still the market's: its lower bound


def test_maxima_per_period_add_up():
    text = ("Pour chaque période contractuelle, les seuils maximum s'établissent comme suit :\n"
            "période ferme : montant maximum 600 000 € HT ; période de reconduction : montant maximum 200 000 € HT.")
    assert facts(text).estimated_amount_ht == 800000


def test_maxima_per_period_written_with_cents_after_a_point():
    """An AE printed from a spreadsheet (CIAS de la Ténarèze) writes « 400 000.00 euros HT »:
    the cents are no second amount of 0 €, and the thousands stay thousands."""
    text = ("Article 7 – Montant de l'accord-cadre\n"
            "Le montant maximum de commandes pour la durée de la période initiale est de 400 000.00 euros HT.\n"
            "Le montant maximum de commandes pour la durée de la période de reconduction n°1 est de 400 000.00\neuros HT.")
    f = facts(text, "AE.txt")
    assert f.estimated_amount_ht == 800000 and f.amount_basis == "somme des maxima par période de l'accord-cadre"


def test_maxima_for_fewer_periods_than_the_renewals_are_said(tmp_path):
    """The Ténarèze AE prices the initial period and « la période de reconduction n°1 » of an
    accord-cadre renewable three times: the sum covers 2 of 4 periods, and the report says so."""
    from achat_check.checker import Checker

    ae = tmp_path / "AE.txt"
    ae.write_text("ACTE D'ENGAGEMENT\nArticle 3 – Montant\n"
                  "Le montant maximum de commandes pour la période initiale est de 250 000.00 euros HT.\n"
                  "Le montant maximum de commandes pour la période de reconduction n°1 est de 250 000.00 euros HT.\n"
                  "Article 4 – Durée\nL'accord-cadre est conclu pour une durée d'un an à compter de sa notification. "
                  "Il est reconductible 3 fois pour une période d'un an.\n", encoding="utf-8")
    f = Checker().check([ae]).facts
    assert f.renewals == 3 and f.estimated_amount_ht == 500000
    assert f.amount_basis == ("somme des maxima par période de l'accord-cadre ; maxima écrits pour 2 des 4 périodes "
                              "(reconductible 3 fois) : 2 périodes sans maximum, non comptées")
    ae.write_text(ae.read_text(encoding="utf-8").replace("reconductible 3 fois", "reconductible 1 fois"), encoding="utf-8")
    assert Checker().check([ae]).facts.amount_basis == "somme des maxima par période de l'accord-cadre"


@pytest.mark.parametrize(("written", "value"), [("400 000.00", 400000), ("1 200 000.5", 1200000.5), ("1.200.000", 1200000),
                                                ("1 200.000", 1200000), ("1 250 000,50", 1250000.5), ("40.0", 40), ("2,5", 2.5)])
def test_numbers_as_dces_write_them(written, value):
    assert parse_number(written) == value


def test_lots_from_text_and_placeholders():
    f = facts("Le marché est alloti :\nLot 1 : Nettoyage des bureaux\nLot 2 : Vitrerie\nLot 3 : XX € HT")
    assert [lot.number for lot in f.lots] == ["1", "2", "3"] and f.allotted is True
    # a template's placeholder (a real CCAP: « Lot 1 : XX € HT ») or an amount is no title
    assert [lot.title for lot in f.lots] == ["Nettoyage des bureaux", "Vitrerie", ""]
    assert [lot.title for lot in facts("Lot 1 : XX € HT\nLot 2 : 45 000 € HT\nLot 3 : XX").lots] == ["", "", ""]


def test_a_lot_s_title_cut_by_a_line_break_is_read_in_full_further_on():
    """A real works CCTP: its cover « Lot n°1 - Charpente Couverture » (then « Menuiserie Alu »
    on the next line), and its list of lots further on; the cover's half title was kept.
    A later title that only shares the first words is another wording, not the same title."""
    f = facts("C.C.T.P.\nLot n°1 - Charpente Couverture\nMenuiserie Alu\n\nListe des corps d'état :\n"
              "Lot n°1 : Charpente Couverture Menuiseries Alu\nLot n°2 : Menuiserie Intérieure\n")
    assert [lot.title for lot in f.lots] == ["Charpente Couverture Menuiseries Alu", "Menuiserie Intérieure"]
    f = facts("Lot 1 : Nettoyage\nLot 2 : Vitrerie\n\nLot 1 : Nettoyagedes bureaux\nLot 2 : Vitrerie des sites\n")
    assert [lot.title for lot in f.lots] == ["Nettoyage", "Vitrerie des sites"]
    f = facts("Lot 1 : Nettoyage\nLot 2 : Vitrerie\n\nLot 1 : Nettoyage : le titulaire fournit les produits\n")
    assert [lot.title for lot in f.lots] == ["Nettoyage", "Vitrerie"]


def test_lots_titles_amounts_and_terms_from_a_real_rcs_three_lists():
    """A real RC: a table of titles for lots 1 to 4 only (footnote « HT1 »), a table of terms
    and amounts for lots 1 to 3 with no title column (its first words « bons de commande »),
    and « ➢ Lot 1 : bordereau de prix unitaires (BPU) » for what each lot's offer holds; its
    CCTP names every lot.  Titles come from the titles table, then from the CCTP's list."""
    from corpus import makers

    rc = makers.make_docx(makers.parse(
        "# ARTICLE 1 – Allotissement\n\n"
        "| N° | Intitulés des lots |\n| 1 | Réalisation d'études et d'audits |\n"
        "| 2 | Accompagnement au changement – inférieur ou égal à 500 000€ HT1 |\n\n"
        "| N° | Modalités d'exécution des lots | Forme | Montant estimatif de l'accord-cadre (en € HT) |\n"
        "| 1 | bons de commande | Multiattributaire | 65 000 000€ |\n| 2 | bons de commande | Multiattributaire | 40 000 000€ |\n"
        "| 3 | marchés subséquents | Monoattributaire | 30 000 000€ |\n\n"
        "# ARTICLE 2 – Contenu des offres\n\n"
        "Lot 1 : bordereau de prix unitaires (BPU) ;\nLot 2 : bordereau de prix unitaires (BPU) ;\n"
        "Lot 3 : bordereau de prix unitaires (BPU) ;\n"))
    cctp = ("LOT 1 – REALISATION D'ETUDES ET D'AUDITS\nLOT 2 – ACCOMPAGNEMENT AU CHANGEMENT\n"
            "LOT 3 – SERVICES D'INTERMEDIATION POUR DES EXPERTISES RARES\n")
    docs = [read_member(Member("RC.docx", rc), Limits()), read_member(Member("CCTP.txt", cctp.encode()), Limits())]
    lots = read_facts(docs, None).lots
    assert [(lot.number, lot.title, lot.amount_ht) for lot in lots] == [
        ("1", "Réalisation d'études et d'audits", 65_000_000),
        ("2", "Accompagnement au changement – inférieur ou égal à 500 000€ HT", 40_000_000),
        ("3", "SERVICES D'INTERMEDIATION POUR DES EXPERTISES RARES", 30_000_000),
    ]


def test_a_boamp_notice_s_lots_and_their_maxima():
    """A real BOAMP notice: « Lot no\n2 - … \nmontant maximum : 55 000 euro(s) (H.T.) » under
    each lot, and « Lot(s) 2. - … » in its lots section. It gave no lots and lot 1's maximum as
    the market's; and « Objet du marché : transports collectifs. » kept its full stop."""
    f = facts("Objet du marché : nettoyage des vitres.\nCaractéristiques principales : lot no\n1 - vitres du siège, "
              "façades et verrières des deux bâtiments administratifs de la caisse\nsans minimum\n"
              "montant maximum : 30 000 euro(s) (H.T.)\nLot no\n2 - vitres des agences\nmontant maximum : 20 000 euro(s) (H.T.)\n"
              "Prestations divisées en lots : oui.\nRenseignements relatifs aux lots :\n"
              "Lot(s) 1. - vitres du siège.\nDurée : un an.\nLot(s) 2. - vitres des agences.\nDurée : un an.\n", "avis.txt")
    assert f.object == "nettoyage des vitres"
    assert [lot.number for lot in f.lots] == ["1", "2"] and f.allotted is True
    assert (f.estimated_amount_ht, f.amount_basis) == (50_000, "somme des maxima des lots")


def test_lots_of_a_dce_with_one_document_per_lot():
    """A real works DCE gives one CCTP per lot, each naming its lot on its cover (the title may
    wrap after a dash), and a « LOT N°00 » of general terms that is no lot; no document lists
    the lots. It was read as neither allotted nor not."""
    covers = {
        "CCTP-LOT-00.txt": "CCTP – LOT N°00: GENERALITES\nRénovation de l'accueil\n\n1. Objet\nLes travaux de tous les lots…",
        "CCTP-LOT-01.txt": "LOT N°01: GROS ŒUVRE –\nDEMOLITION\nRénovation de l'accueil\n\n1. Objet\nL'entrepreneur du présent lot…",
        "CCTP-LOT-03.txt": "LOT N°03: PEINTURE\nRénovation de l'accueil\n\n1. Objet\nA la charge du lot 01 : les percements.",
    }
    docs = [read_member(Member(name, text.encode()), Limits()) for name, text in covers.items()]
    f = read_facts(docs, None)
    assert [(lot.number, lot.title) for lot in f.lots] == [("01", "GROS ŒUVRE – DEMOLITION"), ("03", "PEINTURE")]
    assert f.allotted is True
    # one document for one lot is no list of lots
    assert read_facts(docs[1:2], None).lots == []


@pytest.mark.parametrize(("text", "allotted"), [
    ("FOURNITURE DE DENREES ALIMENTAIRES Lot n° 20 : Epicerie", True),  # Villeneuve-sur-Lot's AE
    ("CCTP – PRESTATION DE GARDIENNAGE\nLot 2 : Grands équipements d'agglomération", True),  # Grand Chambéry
    ("Mairie de Villeneuve-sur-Lot 47300 : service des achats", None),
    ("Lot n° 1 : Nettoyage des bureaux", None),  # the first lot may be the only one
    # a criterion's weight for lot 2 at a line's end, the next criterion below: no lot's title
    ("Critères d'attribution :\n- Valeur technique : 40 points pour le lot 1 ; 55 points pour le lot 2\n- Prix : 50 points", None),
])
def test_a_dce_for_one_lot_of_an_allotted_consultation(text, allotted):
    f = facts(text, "AE.txt")
    assert f.allotted is allotted and not f.lots


@pytest.mark.parametrize(("text", "count"), [
    # a real RC, whose lots table follows in a layout no list reader takes; a real CCTP
    ("Le présent marché de la consultation est composé de 3 lots définis comme suit :\nN° DU LOT INTITULES", 3),
    ("Le présent accord-cadre comporte 7 lots :", 7),
    ("La consultation est décomposée en deux lots.", 2),
])
def test_lots_announced_without_their_list(text, count):
    f = facts(text)
    assert (f.allotted, f.lots_announced, f.lots) == (True, count, [])
    assert "lots" in f.evidence["allotted"][0].quote


@pytest.mark.parametrize("text", [
    "Il n'est pas prévu de décomposition en lots.",  # real RC and CCAP: denied, not announced
    "Le candidat peut répondre à un ou plusieurs des 3 lots.",  # a count with no verb that announces lots
])
def test_no_lots_announced(text):
    assert facts(text).lots_announced is None
    assert facts(text).allotted is not True


def test_lots_listed_are_not_announced_again():
    f = facts("La consultation est composée de 2 lots :\nLot 1 : Nettoyage des bureaux\nLot 2 : Vitrerie")
    assert len(f.lots) == 2 and f.lots_announced is None


def test_each_lot_s_estimate_adds_up():
    """Estimates written lot by lot: the first is lot 1's, not the market's."""
    f = facts("Le marché est décomposé en deux lots : lot n° 1 Déménagement des agences du nord (montant estimé "
              "60 000 € HT) ; lot n° 2 Déménagement des agences du sud (montant estimé 45 000 € HT).")
    assert (f.estimated_amount_ht, f.amount_basis) == (105000.0, "somme des montants estimés des lots")
    g = facts("Le montant estimé du marché est de 105 000 € HT, dont lot 1 : 60 000 € HT et lot 2 : 45 000 € HT.")
    assert g.estimated_amount_ht == 105000.0


def test_a_yearly_maximum_over_the_whole_duration():
    f = facts("Il s'agit d'un accord-cadre à bons de commande, conclu sans minimum et avec un maximum annuel de "
              "180 000 € HT.", months=48)
    assert (f.estimated_amount_ht, f.amount_basis) == (720000.0, "maximum de l'accord-cadre annuel × 4 ans")


def test_not_allotted_with_and_without_justification():
    f = facts("La consultation n'est pas allotie en raison de l'interdépendance technique des prestations.")
    assert f.allotted is False and f.single_lot_justified is True
    g = facts("Il s'agit d'un marché unique.")
    assert g.allotted is False and g.single_lot_justified is False


@pytest.mark.parametrize(
    "text",
    [
        # a real RC
        "La consultation n'est pas allotie. L'objet de la consultation ne permet pas d'identification de prestations distinctes.",
        # the same reason (CCP L. 2113-11 1°) as a participle: it was « non justifié », a breach of sme.allotment
        "Le marché n'est pas alloti, l'objet du marché ne permettant pas l'identification de prestations distinctes.",
    ],
)
def test_not_allotted_for_the_code_s_own_reason(text):
    f = facts(text)
    assert f.allotted is False and f.single_lot_justified is True


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("Le délai global de paiement est de 30 jours à compter de la réception de la facture.", 30),
        ("Les factures sont payées dans un délai global de trente jours.", 30),
        ("Le délai de paiement est de trente (30) jours.", 30),
        # a real CCAP's wording, and its like: the delay was not read (payment.delay « indéterminé »)
        ("Le paiement correspondant aux prestations s'effectuera dans un délai de 30 jours à compter de la réception des factures.", 30),
        ("Les paiements interviennent dans un délai maximum de 30 jours à compter de la réception de la demande de paiement.", 30),
        ("Le délai de livraison est de 45 jours. Le délai de validité des offres est de 120 jours.", None),
    ],
)
def test_payment_delay_is_not_delivery_or_validity(text, days):
    assert facts(text).payment_delay_days == days


def test_advance_is_not_avancement():
    f = facts("L'avancement des travaux est constaté chaque semaine. Une avance de 5 % est versée au titulaire.")
    assert f.advance_rate == 5.0
    g = facts("L'avancement du chantier est constaté en réunion.")
    assert g.advance_rate is None and g.advance_present is None
    h = facts("Il n'est pas prévu d'avance.")
    assert h.advance_present is False
    # « versement d'une avance » grants one, unless denied
    assert facts("Le présent marché ne donne pas lieu au versement d'une avance.").advance_present is False
    assert facts("L'avance n'est pas accordée.").advance_present is False
    assert facts("Le marché donne lieu au versement d'une avance.").advance_present is True


def test_the_advance_for_an_sme():
    """The State's CCAP model, in a real CCAP: the advance is 5 %, « fixé à 10,00 % lorsque le
    titulaire du marché public est une petite et moyenne entreprise »."""
    f = facts("Le montant de l'avance est fixé à 5,00 % du montant initial du marché. Ce taux est fixé à 20,00 % "
              "lorsque le titulaire du marché public est une petite et moyenne entreprise mentionnée à l'article R. 2151-13.")
    assert (f.advance_rate, f.advance_rate_sme) == (5.0, 20.0)
    assert f.evidence["advance_rate_sme"][0].quote.startswith("Ce taux est fixé à 20,00 %")
    assert facts("Une avance de 5 % est versée au titulaire.").advance_rate_sme is None
    raised = facts("Une avance de 10 % du montant initial du marché est versée au titulaire. Ce taux est porté à 20 % "
                   "lorsque le titulaire est une petite ou moyenne entreprise.")
    assert (raised.advance_rate, raised.advance_rate_sme) == (10.0, 20.0)


def test_retenue_de_garantie():
    assert facts("Une retenue de garantie de 5 % est prélevée sur les acomptes.").retenue_garantie_rate == 5.0
    assert facts("Le marché ne prévoit pas de retenue de garantie.").retenue_garantie_rate == 0.0
    assert facts("Les bons de commande sont dispensés de retenue de garantie.").retenue_garantie_rate == 0.0
    # the denial of a real notice's « il est appliqué une retenue de garantie »
    assert facts("Il n'est pas appliqué de retenue de garantie.").retenue_garantie_rate == 0.0
    assert facts("Article 6 – Garanties financières\nAucune clause de garantie financière ne sera exigée.").retenue_garantie_rate == 0.0
    assert facts("Aucune garantie financière n'est demandée au titulaire.").retenue_garantie_rate == 0.0
    # a summary table's row
    assert facts("Avance Oui, 10 %\nRetenue de garantie Non\nDélai global de paiement 30 jours").retenue_garantie_rate == 0.0


@pytest.mark.parametrize("order", ["avance", "retenue"])
def test_advance_and_retenue_under_one_heading_keep_their_own_rates(order):
    """« Article 4 – Avance et retenue de garantie » then the two sentences: each cue takes
    its own rate, not the one after the heading (the retenue read 10 %, the advance's)."""
    sentences = {"avance": "Une avance de 10 % est versée au titulaire.",
                 "retenue": "Une retenue de garantie de 5 % est appliquée sur les acomptes."}
    other = "retenue" if order == "avance" else "avance"
    f = facts(f"Article 4 – Avance et retenue de garantie\n{sentences[order]} {sentences[other]}", "CCAP.txt")
    assert (f.advance_rate, f.retenue_garantie_rate) == (10.0, 5.0)


def test_the_deadline_with_no_offers_named():
    """« Date et heure limites de réception : » in the box of the State's model, « des offres » left out."""
    assert facts("Date et heure limites de réception : 30 avril 2027 - 12:00").consultation_date == date(2027, 4, 30)


def test_the_deadline_written_with_l_heure():
    f = facts("Les plis devront parvenir à destination avant la date et l'heure limites de réception des offres soit\n"
              "17 MAI 2024 À 12H00 (heure locale)")
    assert f.consultation_date == date(2024, 5, 17)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        # a real RC, in its « REMISE DES OFFRES ET DES CANDIDATURES » article
        ("ARTICLE 5 - REMISE DES OFFRES ET DES CANDIDATURES\nLes dossiers doivent être remis au plus tard le 10 juin 2026 "
         "avant 16 heures.", date(2026, 6, 10)),
        ("Les offres devront être déposées avant le 3 mars 2026 à 12h00 sur le profil d'acheteur.", date(2026, 3, 3)),
        ("Les documents doivent être remis au plus tard le 10 juin 2026.", None),  # not the offers
    ],
)
def test_the_deadline_written_as_a_sentence(text, day):
    f = facts(text)
    assert f.consultation_date == day
    assert f.consultation_date_basis == ("date limite de réception des offres" if day else None)


@pytest.mark.parametrize(
    ("text", "day", "written"),
    [
        ("DOSSIER PRO/DCE – INDICE B – MARS 2021", date(2021, 3, 1), "mars 2021"),
        ("Atelier du Canal 02-19/5521 DCE B 5 Octobre 2016", date(2016, 10, 5), "5 octobre 2016"),
        ("Version DCE du 12/03/2024", date(2024, 3, 12), "12/03/2024"),
        ("Le DCE est téléchargeable jusqu'au 12 mars 2026 sur le profil d'acheteur.", None, None),
        ("Les pièces du DCE sont les suivantes : RC, CCAP, CCTP (mise à jour du 3 février 2025).", None, None),
    ],
)
def test_the_date_a_dce_bears_beside_its_name(text, day, written):
    f = facts(text)
    assert (f.dce_date, f.dce_date_basis) == (day, written)
    assert f.consultation_date is None


def test_a_boamp_notice_writes_the_first_of_the_month_1_e_r():
    """The deadline « 1.e.r septembre 2020 » was missed, the notice's sending date, three
    weeks earlier, taken instead."""
    f = facts("Date limite de réception des offres : 1.e.r septembre 2020, à 12 heures.\n"
              "Date d'envoi du présent avis à la publication : 12 août 2020.", "avis.txt")
    assert f.consultation_date == date(2020, 9, 1) and f.consultation_date_basis == "date limite de réception des offres"


def test_a_period_counts_its_first_and_last_days():
    from achat_check.extract.dates import months_between

    assert months_between(date(2026, 8, 16), date(2030, 8, 16)) == 48
    assert months_between(date(2020, 10, 1), date(2021, 8, 31)) == 11
    assert months_between(date(2026, 1, 1), date(2026, 12, 31)) == 12
    assert months_between(date(2026, 1, 15), date(2026, 2, 13)) == 0


def test_date_nature_ccag_variants_framework():
    f = facts("MARCHÉ PUBLIC DE FOURNITURES COURANTES ET DE SERVICES\n"
              "Date et heure limites de réception des offres : MERCREDI 15 JUILLET 2026 A 12:00\n"
              "Le marché est soumis au CCAG-FCS. Aucune variante n'est autorisée.\n"
              "L'accord-cadre est exécuté par bons de commande.")
    assert f.consultation_date == date(2026, 7, 15)
    assert f.ccag == "CCAG-FCS" and f.variants_allowed is False and f.framework == "bons_de_commande"
    assert f.nature == "fournitures"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a real answer to a candidate who asked for the CCAG Travaux: it does not apply
        ("Réponse : le présent marché n'est pas soumis aux dispositions du CCAG Travaux.", None),
        ("Le CCAG-FCS ne s'applique pas au présent accord-cadre.", None),
        ("Le présent marché n'est pas soumis au CCAG Travaux. Il est soumis au CCAG-FCS.", "CCAG-FCS"),
        # a derogation to one of its articles says the CCAG applies
        ("Par dérogation à l'article 14.1 du CCAG-FCS, les pénalités sont plafonnées à 5 %.", "CCAG-FCS"),
        # the CCAG named by the end of its title
        ("Le CCAG applicable est celui des marchés publics de prestations intellectuelles.", "CCAG-PI"),
        ("Le CCAG applicable n'est pas celui des marchés publics de travaux.", None),
    ],
)
def test_a_ccag_said_not_to_apply_is_not_the_markets(text, expected):
    assert facts(text, "CCAP.txt").ccag == expected


def test_penalties_listed():
    f = facts("En cas de retard, une pénalité de 150 € HT par jour de retard est appliquée.")
    assert f.penalties and f.penalties[0].amount == 150 and f.penalties[0].unit == "€"


def test_penalties_as_real_ccaps_write_them():
    """Four real wordings gave no penalty, so the SME check said « ni pénalités trouvées »:
    « pour retard » before the amount, the CCAG's rate « fixée à 1,00/1000 », a formula ending
    in « / 1000 », and the CCAG's article named instead of a figure."""
    f = facts("Le pouvoir adjudicateur peut appliquer des pénalités pour retard d'un montant de 300 euros par jour ouvré.")
    assert [(p.amount, p.unit) for p in f.penalties] == [(300, "€")]
    f = facts("Le titulaire encourt, par jour de retard, une pénalité fixée à 2,00/1000, selon l'article 14.1.1 du CCAG-FCS.")
    assert [p.label for p in f.penalties] == ["pénalité fixée à 2,00/1000"]
    f = facts("Le montant des pénalités est égal à la valeur des fournitures en retard x nombre de jours de retard / 1000.")
    assert len(f.penalties) == 1 and f.penalties[0].amount is None and f.penalties[0].label.endswith("/ 1000")
    f = facts("4.5 Pénalités\nLes pénalités sont appliquées conformément à l'article 14 du CCAG-FCS.")
    assert [p.label for p in f.penalties] == ["pénalités sont appliquées conformément à l'article 14 du CCAG-FCS"]
    f = facts("En dérogation à l'article 14 du CCAG-TIC, les pénalités applicables sont décrites à l'article 9 du CCTP.")
    assert [p.label for p in f.penalties] == ["pénalités applicables sont décrites à l'article 9 du CCTP"]
    # a penalty's word with no figure and no reference is none
    assert facts("Les pénalités sont appliquées après mise en demeure restée sans effet.").penalties == []


def test_a_penalty_cap_said_with_ne_pas():
    """« Le montant cumulé des pénalités … ne pourra pas excéder 15% » (a real CCAP) was no cap."""
    f = facts("Le montant cumulé des pénalités pour cette prestation ne pourra pas excéder 8 % du montant total annuel TTC.")
    assert (f.penalties_capped, f.penalty_cap_rate) == (True, 8.0)


def test_a_penalty_cap_after_a_comma():
    f = facts("Pénalités de retard : 1/1000e du montant du bon de commande par jour de retard, plafonnées à 10 %.")
    assert (f.penalties_capped, f.penalty_cap_rate) == (True, 10.0)


def test_a_heading_number_is_no_penalty_and_a_rate_is_one():
    """Three real CCAPs' « 9 – Pénalités / 9.1 – Pénalités de retard » gave a penalty of 9.1
    with no unit; « une pénalité égale à 0,5 % du montant » lost its percent."""
    f = facts("9 - Pénalités\n9.1 - Pénalités de retard\nLe titulaire encourt une pénalité égale à 0,5 % du montant "
              "exécuté du marché. Pénalités 14.1 à 14.3 : voir ci-dessous.", name="CCAP.txt")
    assert [(p.amount, p.unit) for p in f.penalties] == [(0.5, "% du montant exécuté du marché")]


def test_the_dce_s_own_declaration_of_its_clauses():
    # the summary box of the State's models, as two real DCEs extract: a tab between label
    # and value (DOCX), or a label wrapped on two lines (PDF)
    f = facts("L'ESSENTIEL DU CONTRAT\nObjet Fourniture de denrées alimentaires\nVariantes Sans\n"
              "Clauses sociales\tSans\nClauses\nenvironnementales Avec\nDurée / Délai 6 mois\n")
    assert (f.declared_social_clauses, f.declared_env_clauses) == (False, True)
    assert f.evidence["declared_env_clauses"][0].quote == "Clauses environnementales Avec"
    f = facts("9. CLAUSES ENVIRONNEMENTALES\nCLAUSES SOCIALES : SANS OBJET\n")
    assert (f.declared_social_clauses, f.declared_env_clauses) == (False, None)
    # prose that speaks of clauses declares nothing
    f = facts("Le titulaire respecte les\nclauses sociales avec un volume de 500 heures.\n"
              "Clauses sociales avec\nun volume horaire de 500 heures par an.\nClauses environnementales : voir le CCTP.\n")
    assert (f.declared_social_clauses, f.declared_env_clauses) == (None, None)


@pytest.mark.parametrize(
    ("text", "obj"),
    [
        # a real RC: the title on its own line, then the next sentence; not run together and cut mid-word
        ("1.1 - Objet\nLa présente consultation concerne :\nAcquisition d’une machine de prototypage de circuits imprimés\n"
         "Le présent marché a pour objet la fourniture, la livraison et la formation des utilisateurs.",
         "Acquisition d’une machine de prototypage de circuits imprimés"),
        # « en ce qui concerne » is not the market's object (a real AE); the market's sentence is
        ("Les remises sont révisées en ce qui concerne les taux de ces remises et leur fréquence.\n\n"
         "Le marché porte sur la fourniture de denrées alimentaires.",
         "la fourniture de denrées alimentaires"),
        # a real RC speaks of itself first: the object is what its conditions are about
        ("Le présent règlement de consultation a pour objet de définir les conditions de la consultation relative aux "
         "prestations de Tierce Maintenance Applicative des logiciels du laboratoire.",
         "prestations de Tierce Maintenance Applicative des logiciels du laboratoire"),
        ("Les travaux portent sur la rénovation énergétique du centre administratif.", "la rénovation énergétique du centre administratif"),
        # a real RC's cover: the next label ends the object; its title in capitals and the next
        # line are joined by a dash, as its AE writes them on one line
        ("La présente consultation concerne :\nFOURNITURE DE DENREES ALIMENTAIRES\nRelance du lot 20 - Epicerie\n"
         "Lieu(x) d'exécution :\nCuisine centrale", "FOURNITURE DE DENREES ALIMENTAIRES – Relance du lot 20 - Epicerie"),
        ("Objet du marché : TRAVAUX DE RÉFECTION DE LA\nTOITURE DU SIÈGE\nCPV - Objet principal : 45261000.",
         "TRAVAUX DE RÉFECTION DE LA TOITURE DU SIÈGE"),
        # a real CCTP: the next numbered heading ends the object (it was « … (42330) 1 »)
        ("1.2.1 Nature de l'opération\nL'opération a pour objet la rénovation de la salle polyvalente de Villedieu (12345)\n"
         "1.2.2 Liste des lots\nLes lots sont définis ci-après.", "la rénovation de la salle polyvalente de Villedieu (12345)"),
        # two real CCP speak of themselves: the object is what their conditions of execution are about
        ("Le présent cahier des clauses particulières a pour objet de définir les conditions d’exécution\n"
         "des prestations de surveillance et de gardiennage du siège de la caisse.",
         "prestations de surveillance et de gardiennage du siège de la caisse"),
        # a real AE's cover page: the label comes under the object, which no sentence states
        ("Caisse de test\n12 rue des Écoles\nFourniture et livraison de produits d'entretien et\nd'hygiène pour les "
         "établissements\nObjet du marché à bons de commande\nNuméro de marché : 2026-04",
         "Fourniture et livraison de produits d'entretien et d'hygiène pour les établissements"),
        # a real CCTP: an « Objet du lot » article whose first sentence says what « est requise »
        ("ARTICLE 2 : OBJET DU LOT 3\nUne prestation de nettoyage des vitres des deux bâtiments de la caisse\n"
         "est requise chaque trimestre :\n- pour le siège,\n- pour l'agence.",
         "prestation de nettoyage des vitres des deux bâtiments de la caisse"),
        # BOAMP notices wrap « Objet du marché : » onto the next lines, up to its full stop
        ("Objet du marché : prestations de transport de matières dangereuses au profit de\nDGA Essais de Missiles et de "
         "DGA Essais en vol.\nCatégorie de services : 2.\nCPV - Objet principal : 60100000.",
         "prestations de transport de matières dangereuses au profit de DGA Essais de Missiles et de DGA Essais en vol"),
        ("Objet du marché : travaux de mise aux normes du stade et du groupe\nscolaire Val Seille\nCPV - Objet principal : 45454000.",
         "travaux de mise aux normes du stade et du groupe scolaire Val Seille"),
        ("Objet du marché : transports collectifs.\nCatégorie de services : 2.", "transports collectifs"),
        # an RC's object line followed by its next heading stays one line
        ("Objet du marché : entretien des espaces verts du siège\n2. Durée du marché\nLe marché est conclu pour un an.",
         "entretien des espaces verts du siège"),
        ("Objet de la consultation : nettoyage des locaux\nII - Procédure\nLa procédure est adaptée.", "nettoyage des locaux"),
    ],
)
def test_the_object_is_what_is_bought_in_one_sentence(text, obj):
    assert facts(text).object == obj


def test_a_long_object_is_cut_between_words():
    long = "Le marché a pour objet " + " ".join(["la maintenance des équipements"] * 12) + "."
    got = facts(long).object
    assert got.endswith(" …") and len(got) <= 242
    assert got[:-2].split()[-1] in ("la", "maintenance", "des", "équipements")
    # the evidence ends on the document's last kept word, not two characters further for « … »
    doc = read_member(Member("RC.txt", long.encode()), Limits())
    found = market_object([doc])
    assert doc.text[: found.end].endswith(got[:-2].split()[-1])


SUMMARY_TABLE = """# RÈGLEMENT DE LA CONSULTATION

## Article 1 – Fiche récapitulative

| Rubrique | Contenu |
| Pouvoir adjudicateur | CPAM de la Gironde |
| Objet | Entretien des espaces verts des sites de la caisse |
| Procédure | Procédure adaptée (article R. 2123-1 du CCP) |
| Durée | 12 mois reconductible 3 fois |
| Délai de paiement | 30 jours |
"""


@pytest.mark.parametrize("fmt", ["docx", "pdf", "odt"])
def test_a_summary_table_s_rows(fmt):
    """An RC's « fiche récapitulative »: its buyer, object and duration (a real RC's table gives
    « Objet Acquisition d'une machine … », « Acheteur Direction des achats … », « Durée / Délai
    6 mois »); the three were not read, the market's maximum duration neither."""
    from achat_check.extract.duration import find_duration
    from corpus import makers

    data = {"docx": makers.make_docx, "pdf": makers.make_pdf, "odt": makers.make_odt}[fmt](makers.parse(SUMMARY_TABLE))
    doc = read_member(Member(f"RC.{fmt}", data), Limits())
    f = read_facts([doc], None)
    assert (f.buyer, f.object) == ("CPAM de la Gironde", "Entretien des espaces verts des sites de la caisse")
    found = find_duration(doc.text)
    assert (found.months, found.base_months, found.renewals) == (48, 12, 3)


def test_a_heading_or_a_label_alone_is_no_object_nor_buyer():
    f = facts("OBJET DE LA CONSULTATION\nLa présente consultation concerne l'entretien des espaces verts.\n"
              "Objet du marché\nAcheteur de la DAE\n")
    assert f.object == "l'entretien des espaces verts" and f.buyer is None


@pytest.mark.parametrize(
    "text, expected",
    [
        # a real AE: the profile's label, with leaders where a date is to be written, came
        # before the RC's « Acheteur : … » and was taken for the buyer
        ("En cas d'envoi par le profil d'acheteur :\nDate de mise à disposition sur le profil "
         "d'acheteur ………………………\nAcheteur : Communauté de Communes de la Ténarèze\n",
         "Communauté de Communes de la Ténarèze"),
        ("Adresse internet du profil d'acheteur : https://www.marches-publics.info/ .\n", None),
        # a real guide's « Actions de l’acheteur : » over a numbered list: the buyer was « 1 »
        ("Actions de l’acheteur :\n\n   1. Insérer le texte proposé dans le Règlement de la consultation\n", None),
        # real CCTPs of works: the « maître d'ouvrage » is the buyer
        (" Maître d'ouvrage :\nMAIRIE DE CUZIEU\n10 Route de Veauche - 42330 CUZIEU\n", "MAIRIE DE CUZIEU"),
        ("MAÎTRE D’OUVRAGE\nMAIRIE DE COUPVRAY\nPLACE DE LA MAIRIE\n", "MAIRIE DE COUPVRAY"),
        ("04 79 85-88-88 - agglo.frARTICLE 1 : IDENTIFICATION DE LA COLLECTIVITÉ CONTRACTANTE\n"
         "Grand Chambéry\n106 Allée des Blachères - CS 82618\n", "Grand Chambéry"),
        # a numbered heading in lowercase, then a label: neither is a name
        ("1.2.3 Maître d'Ouvrage\nCoordonnées du Maître d'Ouvrage\n", None),
        # the name, not what follows it: a real CCTP's definitions table, a role, an address
        ("Acheteur Direction des achats de l'État en charge de la passation et du suivi de\nl'accord-cadre\n",
         "Direction des achats de l'État"),
        ("Pouvoir adjudicateur : CPAM de la Gironde, représentée par son directeur\n", "CPAM de la Gironde"),
        ("Pouvoir adjudicateur : Caisse d'allocations familiales représentée par sa directrice\n",
         "Caisse d'allocations familiales"),
        # a cover page naming the body alone, in capitals
        ("CAISSE D'ALLOCATIONS FAMILIALES DU VAL-DE-LYS\nRÈGLEMENT DE LA CONSULTATION\n",
         "CAISSE D'ALLOCATIONS FAMILIALES DU VAL-DE-LYS"),
        # a cover title the PDF wrapped after its dash (the sample CNAF RC read by the batch bench)
        ("CAISSE NATIONALE DE LA BRANCHE FAMILLE –\nDIRECTION DES ACHATS\n", "CAISSE NATIONALE DE LA BRANCHE FAMILLE"),
        ("Le titulaire transmet au maître d'ouvrage : le planning, les plans.\n", None),
        # covers that name the buyer without a label (real RCs, CCAPs and CCTPs): above its
        # address, or in capitals among the first lines
        ("RÈGLEMENT DE LA CONSULTATION\nMARCHÉ PUBLIC DE SERVICES\nEntretien des espaces verts\n"
         "Date et heure limites de réception des offres :\nLUNDI 5 JANVIER 2026 A 12:00\n"
         "Université de Brocéliande\nDirection des achats\n12 rue des Chênes\n35000 RENNES\n",
         "Université de Brocéliande"),
        ("PRÉFECTURE DU DÉPARTEMENT DES MONTS\nCAHIER DES CLAUSES TECHNIQUES PARTICULIÈRES\n",
         "PRÉFECTURE DU DÉPARTEMENT DES MONTS"),
        # neither a notice's field, nor a maître d'œuvre's block, nor a company's legal form,
        # nor a body's name in a form's line without an address
        ("AVIS D'APPEL PUBLIC À LA CONCURRENCE\nDépartement(s) de publication : 30\n", None),
        ("CCTP\nMaîtrise d'œuvre\nAtelier Dupont Architectes\n4 place du Marché\n69001 LYON\n", None),
        ("RC\nÉtablissement public à caractère industriel et commercial\n17 avenue des Pins\n38000 GRENOBLE\n", None),
        # a public body's cover block: its name (an acronym), its address, its service, its status (a real RC)
        ("Maintenance des logiciels du laboratoire\n\nINRAP\nCentre de Nantes 12 rue des Pins 44000 NANTES Cedex 3\n"
         "Service des achats\nÉtablissement public national à caractère administratif\n", "INRAP"),
        # an RC that names its buyer only in its prose, reserving itself a right (a real one)
        ("Les montants sont indicatifs.\nLe ministère de l'Agriculture se réserve la possibilité de négocier.\n",
         "ministère de l'Agriculture"),
        ("La CPAM des Hautes-Terres se réserve le droit de ne pas donner suite.\n", "CPAM des Hautes-Terres"),
        # a body's common noun alone, or the titulaire, reserves nothing for a name
        ("La Caisse se réserve le droit de ne pas donner suite.\nLe titulaire se réserve le choix des moyens.\n", None),
        # a status under a title with no address between: no name
        ("Maintenance des logiciels\nÉtablissement public à caractère administratif\n", None),
        ("ACTE D'ENGAGEMENT\nIdentification\nMairie de la commune\nContrat n° 12 du 3 mars\n", None),
        ("RC\nDépartement des achats\n2 place de la Gare\n44000 NANTES\n", None),
        # a contract's parties, the buyer first (a real contract), not its roles nor another contract
        ("Le présent accord-cadre est conclu entre :\nla Caisse primaire d'assurance maladie des Hautes-Terres, "
         "représentée par son directeur,\nd'une part, et le titulaire désigné ci-après, d'autre part.\n",
         "Caisse primaire d'assurance maladie des Hautes-Terres"),
        ("Le marché est conclu entre l'Acheteur et le Titulaire désignés au présent acte.\n", None),
        ("Une convention de groupement de commandes est conclue entre la DAE et des établissements publics.\n", None),
        # a CCAP or a CCP naming its buyer only as the titulaire's counterpart (real ones)
        ("Le présent marché fixe la relation contractuelle entre le Titulaire et l'Agiref.\n"
         "Les documents échangés entre l'Agiref et le Titulaire ne valent pas contrat.\n", "Agiref"),
        ("Le titulaire s'engage à remettre à la Fondation du Moulin des Prés un rapport mensuel.\n",
         "Fondation du Moulin des Prés"),
        # the name the documents give it most often
        ("Le titulaire transmet à l'Agence Nord les relevés.\nLes échanges entre le titulaire et l'Afref sont écrits. "
         "Le titulaire adresse à l'Afref ses factures.\n", "Afref"),
        # a role or a body's common noun is no name
        ("Tout différend entre le titulaire et le Pouvoir adjudicateur est réglé à l'amiable.\n"
         "Le titulaire transmet à la Caisse ses factures.\nLe titulaire adresse à l'Établissement Public son rapport.\n"
         "Les échanges entre le titulaire et l'Administration sont écrits.\n", None),
    ],
)
def test_the_buyer_s_labels(text, expected):
    assert facts(text).buyer == expected


@pytest.mark.parametrize(
    ("wording", "kind"),
    [
        # the procedures of real DECP registers, as they write them
        ("Procédure adaptée", "adaptee"),
        ("Appel d'offres ouvert", "formalisee"),
        ("Appel d offres ouvert", "formalisee"),
        ("Appel d'offres restreint", "formalisee"),
        ("Marché négocié sans publicité ni mise en concurrence préalable", "negociee"),
        ("Marché passé sans publicité ni mise en concurrence préalable", "negociee"),
        ("Procédure avec négociation", "formalisee"),
        ("Procédure négociée avec mise en concurrence préalable", "formalisee"),
        ("Dialogue compétitif", "formalisee"),
        # a concession's procedure, or none, is no market procedure's kind
        ("Procédure négociée ouverte", None),
        ("Autre", None),
    ],
)
def test_the_kind_of_a_registers_procedure(wording, kind):
    assert procedure_kind(wording) == kind


def test_a_fact_is_quoted_with_its_whole_sentence_and_in_the_body_not_the_contents():
    """A fact's quote stopped at each line end of a PDF's wrapped paragraph (« … une avance d’un
    montant de 5% du », a real contract) or at an article number's point (« … en application
    des articles L »); words read in a table of contents (« DEROGATION AU CCAG/TIC ....... 27 »,
    a real CCAP) were cited there, not in the article saying them."""
    text = ("SOMMAIRE\nARTICLE 1 OBJET .......... 2\nARTICLE 2 DEROGATION AU CCAG-TIC .......... 3\n\n"
            "ARTICLE 1 OBJET\nLa consultation est passée selon la procédure de l'appel d'offres ouvert, en application\n"
            "des articles L. 2124-2 et R. 2124-1 du code de la commande publique.\n"
            "Une avance d'un montant de 5 % du\nmontant TTC du bon de commande est versée au titulaire.\n"
            "ARTICLE 2 DEROGATION AU CCAG-TIC\nLe présent marché déroge aux articles 14 et 15.\n")
    got = facts(text, "CCAP.txt")
    quotes = {name: ev[0].quote for name, ev in got.evidence.items()}
    assert quotes["procedure"] == ("La consultation est passée selon la procédure de l'appel d'offres ouvert, en application "
                                   "des articles L. 2124-2 et R. 2124-1 du code de la commande publique.")
    assert quotes["advance_rate"] == "Une avance d'un montant de 5 % du montant TTC du bon de commande est versée au titulaire."
    assert got.ccag == "CCAG-TIC" and "...." not in quotes["ccag"] and got.evidence["ccag"][0].article.startswith("2")


def test_contents_with_spaced_leaders_are_contents_for_citations_too():
    """Detection read « Article 2 – Dérogation au CCAG-TIC . . . . . . 3 » (leaders of spaced
    dots, as Word's « . . . » tab leader writes them) as a contents entry, the citation of facts
    did not: the CCAG was cited in the contents.  One pattern of leaders serves both."""
    text = ("SOMMAIRE\nARTICLE 1 OBJET . . . . . . 2\nARTICLE 2 DEROGATION AU CCAG-TIC . . . . . . 3\n\n"
            "ARTICLE 1 OBJET\nLe marché porte sur la maintenance des serveurs.\n"
            "ARTICLE 2 DEROGATION AU CCAG-TIC\nLe présent marché déroge aux articles 14 et 15.\n")
    got = facts(text, "CCAP.txt")
    assert got.ccag == "CCAG-TIC"
    assert ". . ." not in got.evidence["ccag"][0].quote and got.evidence["ccag"][0].article.startswith("2"), got.evidence["ccag"][0]


@pytest.mark.timeout(60)
def test_a_fact_without_words_on_a_contents_page_stays_where_it_is():
    """A fact placed at 0:0 (a document's kind read from its name) on a table of contents'
    page was looked for again « further on »: the empty string is found at every offset, each
    one testing its page."""
    from achat_check.evidence import evidence_at

    contents = "\n".join(f"ARTICLE {n} TITRE {n} .......... {n}" for n in range(1, 40))
    doc = read_member(Member("CCAP.txt", (contents + "\n" + "Le titulaire exécute les prestations. " * 20000).encode()), Limits())
    ev = evidence_at(doc, 0, 0)
    assert (ev.start, ev.end) == (0, 0)
