"""Yearly indicators on small registers whose answers are computed by hand in each test."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from achat_check.errors import AchatCheckError, notice
from achat_check.indicators import compute_indicators, load_reports, run
from achat_check.indicators.model import DataIssue, MarketRecord
from achat_check.indicators.registers import apply_decp_values, load_markets, load_payments
from achat_check.model import DocKind, DocumentReport, Flags, MarketReport
from tests.conftest import ROOT, edit_package, run_cli

TODAY = date(2026, 11, 25)
HEADER = ("id_marche;nom_acheteur;date_notification;montant;montant_type;taux_tva;categorie_titulaire;effectif_titulaire;"
          "marche_reserve;type_reserve;facilitateur;heures_insertion;heures_insertion_handicap;consideration_environnementale;"
          "critere_environnemental;consideration_sociale;clause_sociale;considerations_sociales\n")
REAL_DATA = ROOT.parent / "shared" / "real" / "data"


def register(tmp_path: Path, rows: list[str], name: str = "marches.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def indicators(tmp_path, rows, years=(2026,), rulebook="rso-2025", **kw):
    return run(register(tmp_path, rows), list(years), rulebook, today=TODAY, **kw)


def value(report, iid, year=2026, group=None):
    ind = report.find(iid, year, group)
    return ind.value, ind.numerator, ind.denominator


def test_rates_are_over_markets_at_or_above_25000_ht(tmp_path):
    rows = [
        "M1;CAF;2026-02-01;25000;HT;;PME;;non;;non;;;oui;oui;non;non;",        # exactly the threshold: in
        "M2;CAF;2026-03-01;24999,99;HT;;PME;;non;;non;;;oui;oui;oui;oui;",     # below: out of rates
        "M3;CAF;2026-04-01;30000;TTC;20;GE;;non;;non;;;non;non;oui;oui;",      # 30 000 TTC = 25 000 HT: in
        "M4;CAF;2026-05-01;100000;HT;;ETI;;non;;non;;;oui;non;oui;non;",
        "M5;CAF;2025-12-31;500000;HT;;PME;;non;;non;;;oui;oui;oui;oui;",      # another year
    ]
    r = indicators(tmp_path, rows)
    # in scope for 2026: M1, M3, M4 -> environmental consideration in M1, M4
    assert value(r, "ENV-P1") == (pytest.approx(2 / 3), 2, 3)
    assert value(r, "ENV-P2") == (pytest.approx(1 / 3), 1, 3)
    assert value(r, "SOC-P1") == (pytest.approx(2 / 3), 2, 3)
    assert value(r, "ECO-P1-PME") == (pytest.approx(1 / 3), 1, 3)
    assert r.find("ENV-P1", 2026).market_ids == ["M1", "M4"]
    kinds = {d.kind for d in r.data_quality}
    assert {"seuil", "TTC converti"} <= kinds
    ttc = next(d for d in r.data_quality if d.kind == "TTC converti")
    assert ttc.market_id == "M3" and "25 000 € HT" in ttc.message
    # M1 and M3 (converted) are both at the threshold: one line names them
    (edge,) = [d for d in r.data_quality if d.kind == "seuil"]
    assert edge.source == "marches.csv" and edge.message == (
        "2 marchés au montant exactement égal au seuil de 25 000 € HT : dans le périmètre (≥) (M1, M3).")


def test_plan_cadre_counts_markets_strictly_above_20000_ht(tmp_path):
    rows = [
        "P1;CAF;2026-02-01;20000;HT;;PME;;non;;non;;;oui;non;oui;oui;",       # not > 20 000: out
        "P2;CAF;2026-02-02;20000,01;HT;;PME;;non;;non;;;non;non;oui;oui;",
        "P3;CAF;2026-02-03;80000;HT;;GE;;non;;non;;;non;non;non;non;",
    ]
    r = indicators(tmp_path, rows, rulebook="plan-cadre-2015")
    assert value(r, "PC-6") == (pytest.approx(0.5), 1, 2)  # P2 of P2, P3
    assert r.find("PC-6", 2026).target == 0.18
    # indicator 10: SME share of the amount of P2 and P3
    assert value(r, "PC-10") == (pytest.approx(20000.01 / 100000.01), pytest.approx(20000.01), pytest.approx(100000.01))
    # P3 declared no environmental consideration, so no environmental clause; P2 likewise
    assert value(r, "PC-1") == (0.0, 0, 2)


def test_counts_are_over_every_market_of_the_year(tmp_path):
    rows = [
        "C1;CAF;2026-01-10;5000;HT;;TPE;;oui;ESAT/EA;oui;300;100;non;non;oui;non;",   # small, reserved, facilitator
        "C2;CAF;2026-06-10;90000;HT;;PME;;non;;oui;1200;0;oui;oui;oui;oui;",
        "C3;CAF;2026-09-10;;HT;;PME;;oui;;non;;;non;non;oui;non;",                  # no amount, reserved of unknown type
    ]
    r = indicators(tmp_path, rows)
    assert value(r, "SOC-P2-FACILITATOR")[0] == 2
    assert value(r, "SOC-P2-HOURS")[0] == 1500
    assert value(r, "SOC-P2-RESERVED")[0] == 2
    legacy = indicators(tmp_path, rows, rulebook="plan-cadre-2015")
    assert value(legacy, "PC-4")[0] == 1400  # hours minus disability hours
    assert value(legacy, "PC-8")[0] == 1 and value(legacy, "PC-8-VOLUME")[0] == 5000  # ESAT/EA only
    assert value(legacy, "PC-5")[0] == 1  # one organisation (CAF) used a facilitator
    assert any(d.kind == "type de réservation inconnu" and "C3" in d.message for d in legacy.data_quality)
    assert any(d.kind == "montant manquant" and d.market_id == "C3" for d in r.data_quality)


@pytest.mark.parametrize(("kind", "protected"), [
    ("ESAT/EA", True), ("EA", True), ("Entreprise adaptée", True), ("ESAT", True),
    ("Établissement et service d'aide par le travail", True), ("art. L. 2113-12", True), ("L2113-12 CCP", True),
    ("SIAE", False), ("ESS", False), ("L2113-13", False),
])
def test_a_reservation_to_the_protected_sector_as_registers_write_it(tmp_path, kind, protected):
    """« Entreprise adaptée » or « L2113-12 » as a reserved market's type was no ESAT/EA: the
    market was left out of the protected sector's count (PC-8) without a word."""
    rows = [f"R1;CAF;2026-01-10;40000;HT;;PME;;oui;{kind};non;;;non;non;oui;non;"]
    legacy = indicators(tmp_path, rows, rulebook="plan-cadre-2015")
    assert value(legacy, "PC-8")[0] == (1 if protected else 0)
    assert value(legacy, "PC-8-VOLUME")[0] == (40000 if protected else 0)


def test_unknown_values_leave_the_rate_and_are_listed(tmp_path):
    rows = [
        "U1;CAF;2026-02-01;50000;HT;;PME;;non;;non;;;oui;;;;",
        "U2;CAF;2026-02-01;50000;HT;;;;non;;non;;;;;non;;",
        "U3;CAF;2026-02-01;50000;HT;;;120;non;;non;;;non;;oui;;",
    ]
    r = indicators(tmp_path, rows)
    assert value(r, "ENV-P1") == (0.5, 1, 2)  # U2 unknown
    assert value(r, "ECO-P1-PME") == (1.0, 2, 2)  # U2 category unknown; U3 has 120 employees: an SME
    notes = [d for d in r.data_quality if d.kind == "valeur inconnue" and "environnementale" in d.message]
    assert notes and "U2" in notes[0].message
    assert any(d.kind == "catégorie inconnue" and "U2" in d.message for d in r.data_quality)


def test_a_consideration_is_known_from_its_parts_when_no_column_gives_it(tmp_path):
    """A register with « clause » and « critère » columns and no « considération » one: a
    market with neither has none (the glossary's consideration is a clause or a criterion);
    hours of insertion are a social consideration.  Such markets were left unknown, out of
    the rates, which became those of the markets with one (ENV-P1 100 % for 1 market of 2)."""
    path = tmp_path / "registre.csv"
    path.write_text(
        "id_marche;nom_acheteur;date_notification;montant;clause_environnementale;critere_environnemental;"
        "clause_sociale;critere_social;marche_reserve;heures_insertion\n"
        "A1;CAF;2026-02-01;50000;non;non;non;non;non;\n"
        "A2;CAF;2026-03-01;60000;oui;non;non;oui;non;\n"
        "A3;CAF;2026-04-01;70000;non;non;non;non;;\n"      # reserved unknown: its social side too
        "A4;CAF;2026-05-01;80000;;;;;;400\n",              # nothing declared but hours of insertion
        encoding="utf-8")
    r = run(path, [2026], "rso-2025", today=TODAY)
    assert value(r, "ENV-P1") == (pytest.approx(1 / 3), 1, 3)  # A1, A3 without; A4 unknown
    assert r.find("ENV-P1", 2026).market_ids == ["A2"]
    assert value(r, "SOC-P1") == (pytest.approx(2 / 3), 2, 3)  # A2 (criterion), A4 (hours); A3 unknown
    unknown = [d.message for d in r.data_quality if d.kind == "valeur inconnue"]
    assert any("considération sociale" in u and "A3" in u and "A1" not in u for u in unknown), unknown
    assert not any("considération environnementale" in u and ("A1" in u or "A3" in u) for u in unknown), unknown


def test_duplicates_and_contradictory_declarations(tmp_path):
    rows = [
        "D1;CAF;2026-02-01;50000;HT;;PME;;non;;non;;;oui;non;;;",
        "D1;CAF;2026-02-01;50000;HT;;PME;;non;;non;;;oui;non;;;",
        'D2;CAF;2026-03-01;60000;HT;;PME;;non;;non;;;oui;non;;;"Pas de considération sociale;Clause sociale"',
    ]
    r = indicators(tmp_path, rows)
    assert r.markets_read == 3 and value(r, "ENV-P1") == (1.0, 2, 2)
    assert any(d.kind == "doublon" and d.market_id == "D1" for d in r.data_quality)
    contra = [d for d in r.data_quality if d.kind == "déclaration contradictoire"]
    assert contra and contra[0].market_id == "D2"
    assert value(r, "SOC-P1") == (1.0, 1, 1)  # the positive value is kept


def test_remarks_shared_by_many_markets_are_said_once_and_only_for_the_years_computed(tmp_path):
    """A real DECP file (2019 format) left 33 markets without an identifier, wrote
    « 000000000000 » for 12 more and reused identifiers for lots: 53 lines of data quality,
    most about 2020-2021 when 2019 was computed.  One line per cause, the placeholder taken
    for no identifier, and the other years' remarks counted in one line."""
    rows = [
        ";CAF;2026-02-01;50000;HT;;PME;;non;;non;;;oui;non;;;",                # line 2: no id
        ";CAF;2026-02-02;60000;HT;;PME;;non;;non;;;oui;non;;;",                # line 3: no id
        "000000;CAF;2026-02-03;70000;HT;;PME;;non;;non;;;oui;non;;;",          # line 4: a placeholder
        "000000;CAF;2026-02-04;80000;HT;;PME;;non;;non;;;oui;non;;;",          # line 5: another, not its lot
        "L1;CAF;2026-03-01;10000;HT;;PME;;non;;non;;;oui;non;;;",              # line 6: three lots under one id
        "L1;CAF;2026-03-01;20000;HT;;PME;;non;;non;;;oui;non;;;",
        "L1;CAF;2026-03-01;30000;HT;;PME;;non;;non;;;oui;non;;;",
        "R1;CAF;2026-04-01;40000;HT;;PME;;non;;non;;;oui;non;;;",              # line 9, then twice again
        "R1;CAF;2026-04-01;40000;HT;;PME;;non;;non;;;oui;non;;;",
        "R1;CAF;2026-04-01;40000;HT;;PME;;non;;non;;;oui;non;;;",
        "O1;CAF;2025-05-01;36000;TTC;20;PME;;non;;non;;;oui;non;;;",           # 2025: converted, not said for 2026
        ";CAF;2025-06-01;50000;HT;;PME;;non;;non;;;oui;non;;;",                # 2025, no id: not said either
    ]
    r = indicators(tmp_path, rows)
    unnamed = [d for d in r.data_quality if d.kind == "identifiant manquant"]
    assert len(unnamed) == 1 and unnamed[0].source == "marches.csv"
    assert unnamed[0].message.startswith("4 marchés sans identifiant (dont 2 à l'identifiant factice « 000000 »)")
    assert "(lignes 2, 3, 4, 5)" in unnamed[0].message
    assert {m.id for m in r.markets} >= {"sans-identifiant-1", "sans-identifiant-4", "L1", "L1#2", "L1#3", "R1"}
    doubles = sorted(d.message for d in r.data_quality if d.kind == "doublon")
    assert len(doubles) == 2
    assert doubles[0].endswith("ligne 6 par 2 autres marchés (lots ?) : gardés sous « L1#2 » à « L1#3 » (lignes 7, 8).")
    assert doubles[1] == "marché répété 2 fois après marches.csv, ligne 9 : répétitions ignorées (lignes 10, 11)."
    assert not [d for d in r.data_quality if d.market_id == "O1" or "ligne 13" in d.source + d.message]
    other = [d for d in r.data_quality if d.kind == "autres années"]
    assert len(other) == 1 and other[0].source == "marches.csv"
    assert other[0].message.startswith("2 remarque(s) sur des marchés notifiés en 2025") and "(--year 2025)" in other[0].message
    # computing 2025 says them, and counts 2026's
    r25 = indicators(tmp_path, rows, years=(2025,))
    assert any(d.kind == "TTC converti" and d.market_id == "O1" for d in r25.data_quality)
    assert any(d.kind == "identifiant manquant" and d.source == "marches.csv, ligne 13" for d in r25.data_quality)
    assert "--year 2026" in next(d.message for d in r25.data_quality if d.kind == "autres années")


def test_markets_each_met_once_again_are_said_in_one_line_per_file(tmp_path):
    """Two real DECP files (2019 format) publish markets twice and reuse identifiers for a
    second object, one market at a time: a line each (a consolidated DECP, which repeats
    many markets, would bury the rest). One line per file for each cause, every market
    still named with where it was first read."""
    rows = [
        "A1;CAF;2026-02-01;50000;HT;;PME;;non;;non;;;oui;non;;;",          # line 2
        "A1;CAF;2026-02-01;50000;HT;;PME;;non;;non;;;oui;non;;;",          # line 3: its double
        "B1;CAF;2026-03-01;60000;HT;;PME;;non;;non;;;oui;non;;;",          # line 4
        "B1;CAF;2026-03-01;60000;HT;;PME;;non;;non;;;oui;non;;;",          # line 5: its double
        "C1;CAF;2026-04-01;70000;HT;;PME;;non;;non;;;oui;non;;;",          # line 6
        "C1;CAF;2026-04-01;80000;HT;;PME;;non;;non;;;oui;non;;;",          # line 7: another object (lot ?)
        "D1;CAF;2026-05-01;90000;HT;;PME;;non;;non;;;oui;non;;;",          # line 8
        "D1;CAF;2026-05-01;95000;HT;;PME;;non;;non;;;oui;non;;;",          # line 9: another object
    ]
    r = indicators(tmp_path, rows)
    doubles = [d for d in r.data_quality if d.kind == "doublon"]
    assert [(d.source, d.market_id, d.message) for d in doubles] == [
        ("marches.csv", None, "2 marchés en double, ignorés : ligne 3 · A1 (déjà lu en ligne 2), "
                              "ligne 5 · B1 (déjà lu en ligne 4)."),
        ("marches.csv", None, "2 identifiants déjà utilisés pour un autre objet (lots ?), marchés gardés sous : « C1#2 » "
                              "(ligne 7 ; « C1 » en ligne 6), « D1#2 » (ligne 9 ; « D1 » en ligne 8)."),
    ]
    assert {m.id for m in r.markets} == {"A1", "B1", "C1", "C1#2", "D1", "D1#2"}
    # one such market alone keeps its own line, as before
    alone = [d for d in indicators(tmp_path, rows[:2]).data_quality if d.kind == "doublon"]
    assert [(d.market_id, d.message) for d in alone] == [("A1", "marché en double (déjà lu en marches.csv, ligne 2) : ignoré.")]


def test_payment_delay(tmp_path):
    pay = tmp_path / "paiements.csv"
    pay.write_text(
        "date_reception;date_paiement;montant;fournisseur\n"
        "2026-01-01;2026-01-21;100;A\n"      # 20 days
        "15/02/2026;17/03/2026;100;B\n"      # 30 days
        "2026-04-10;2026-04-01;100;C\n"      # negative: excluded
        "2026-05-01;;100;D\n"                # not paid: excluded
        "2025-12-20;2026-01-09;100;E\n",     # 20 days, paid in 2026
        encoding="utf-8",
    )
    r = indicators(tmp_path, ["X;CAF;2026-02-01;50000;HT;;PME;;non;;non;;;oui;oui;oui;oui;"], payments=pay)
    assert value(r, "ECO-P1-DELAY") == (pytest.approx(70 / 3, abs=0.05), 70, 3)
    assert any(d.kind == "délai négatif" and "ligne 4" in d.message for d in r.data_quality)
    assert any(d.kind == "date manquante" and "ligne 5" in d.message for d in r.data_quality)


def test_organisation_indicators_and_groups(tmp_path):
    orgs = tmp_path / "organismes.csv"
    orgs.write_text(
        "organisme;branche;date_formation_sociale;plan_reduction\n"
        "CAF A;Famille;2024-02-01;oui\n"
        "CAF B;Famille;2022-06-01;non\n"   # trained more than 3 years before end of 2026
        "CPAM C;Maladie;;oui\n",
        encoding="utf-8",
    )
    rows = ["G1;CAF A;2026-02-01;50000;HT;;PME;;non;;non;;;oui;oui;oui;oui;",
            "G2;CAF B;2026-02-01;50000;HT;;GE;;non;;non;;;non;non;non;non;",
            "G3;CPAM C;2026-02-01;50000;HT;;GE;;non;;non;;;oui;non;non;non;"]
    r = indicators(tmp_path, rows, organisations=orgs, by="branche")
    assert value(r, "SOC-P1-TRAINING") == (0.5, 1, 2)  # CPAM C unknown
    assert value(r, "ENV-P2-PLAN") == (pytest.approx(2 / 3), 2, 3)
    assert value(r, "ENV-P1", group="Famille") == (0.5, 1, 2)
    assert value(r, "ENV-P1", group="Maladie") == (1.0, 1, 1)
    assert value(r, "ENV-P1") == (pytest.approx(2 / 3), 2, 3)


@pytest.mark.parametrize(("written", "trained"), [
    ("mars 2024", True), ("03/2024", True), ("2024-03", True), ("2024", True), ("2023", False), ("2026", True), ("2027", False),
])
def test_a_training_written_by_its_month_or_year_counts(tmp_path, written, trained):
    """« Formation de mars 2024 » is recorded « mars 2024 » or « 2024 »: « illisible » before,
    the organisation out of the rate; the rate counts the trainings of the three years to
    the end of the year computed (2024 to 2026 for 2026), which the year alone says."""
    orgs = tmp_path / "organismes.csv"
    orgs.write_text(f"organisme;date_formation_sociale\nCAF A;{written}\n", encoding="utf-8")
    r = indicators(tmp_path, ["G1;CAF A;2026-02-01;50000;HT;;PME;;non;;non;;;oui;oui;oui;oui;"], organisations=orgs)
    assert value(r, "SOC-P1-TRAINING") == ((1.0, 1, 1) if trained else (0.0, 0, 1))
    assert not [d for d in r.data_quality if d.kind == "date illisible"]


@pytest.mark.parametrize(("category", "sme"), [
    ("TPE/PME", True), ("PME (12 salariés)", True), ("PME-TPE", True), ("ME", True), ("Micro-entreprise", True),
    ("Non PME", False), ("hors PME", False), ("GE / ETI", False), ("Association", None),
])
def test_an_enterprise_category_as_registers_write_it(tmp_path, category, sme):
    """« TPE/PME » or « PME (12 salariés) » were an unknown category, the market out of the
    SME rate (« catégorie inconnue »); « Non PME » is no SME."""
    path = tmp_path / "registre.csv"
    path.write_text(f"id_marche;date_notification;montant;categorie_titulaire\nM1;2026-02-01;50000;{category}\n", encoding="utf-8")
    (m,) = load_markets(path, [])
    assert m.sme is sme


def test_an_organisation_repeated_counts_once_and_another_register_is_refused(tmp_path):
    """A register's organisation written twice (« CAF A », then « CAF  a ») counted twice in
    the organisations' rates; the payments register given as --organisations was read as one
    (its « organisme » column, one line per payment) and every rate said « valeur inconnue »."""
    orgs = tmp_path / "organismes.csv"
    orgs.write_text("organisme;branche;date_formation_sociale;plan_reduction\n"
                    "CAF A;Famille;2024-02-01;oui\n"
                    "CPAM C;Maladie;2025-01-10;non\n"
                    "CAF  a;Famille;2024-02-01;oui\n", encoding="utf-8")
    r = indicators(tmp_path, ["G1;CAF A;2026-02-01;50000;HT;;PME;;non;;non;;;oui;oui;oui;oui;"], organisations=orgs)
    assert value(r, "ENV-P2-PLAN") == (0.5, 1, 2)  # it was 2/3
    (repeated,) = [d for d in r.data_quality if d.kind == "doublon"]
    assert repeated.source == "organismes.csv, ligne 4"
    assert repeated.message == ("organisme « CAF a » en double (déjà lu en organismes.csv, ligne 2) : ligne ignorée ; "
                                "gardez une ligne par organisme.")
    payments = tmp_path / "paiements.csv"
    payments.write_text("date_reception;date_paiement;montant;fournisseur;organisme\n2026-03-01;2026-03-20;1200;Net;CAF A\n",
                        encoding="utf-8")
    with pytest.raises(AchatCheckError) as refused:
        indicators(tmp_path, ["G1;CAF A;2026-02-01;50000;HT;;PME;;non;;non;;;oui;oui;oui;oui;"], organisations=payments)
    assert refused.value.code == "AC-E015" and refused.value.path == str(payments)
    assert refused.value.message.startswith("aucune colonne du registre des organismes (branche, date_formation_sociale, "
                                            "plan_reduction) : est-ce bien ce registre ? Colonnes lues : date_reception")


@pytest.mark.parametrize("name", ["registre.csv", "decp.json"])
def test_a_register_path_naming_a_folder_or_nothing_says_which(tmp_path, name):
    """A folder given as the register was « fichier introuvable » (a CSV) or « JSON illisible
    (c'est un dossier, pas un fichier) » (a DECP file), a missing DECP file « JSON illisible »."""
    (tmp_path / name).mkdir()
    with pytest.raises(AchatCheckError) as folder:
        run(tmp_path / name, [2026])
    assert folder.value.code == "AC-E001" and folder.value.message.startswith("c'est un dossier : donnez le fichier du registre")
    with pytest.raises(AchatCheckError) as missing:
        run(tmp_path / "absent" / name, [2026])
    assert missing.value.code == "AC-E001" and missing.value.message == "fichier introuvable : vérifiez le chemin."


def test_reports_given_where_there_are_none_are_said(tmp_path):
    """--reports naming a folder that is not there (a typo) or a file was read as an empty
    folder: the indicators went without the documents and nothing said so."""
    rows = ["R1;CAF;2026-02-01;50000;HT;;PME;;non;;non;;;oui;oui;non;non;"]
    with pytest.raises(AchatCheckError) as missing:
        indicators(tmp_path, rows, reports_dir=tmp_path / "rapprots")
    assert missing.value.code == "AC-E001" and missing.value.message.startswith("dossier de rapports introuvable")
    with pytest.raises(AchatCheckError) as register_given:
        indicators(tmp_path, rows, reports_dir=register(tmp_path, rows))
    assert register_given.value.code == "AC-E016" and "--reports attend un dossier de rapports JSON" in register_given.value.message
    empty = tmp_path / "vide"
    empty.mkdir()
    r = indicators(tmp_path, rows, reports_dir=empty)
    (none,) = [d for d in r.data_quality if d.kind == "rapports absents"]
    assert none.source == "vide" and none.message.startswith("aucun rapport JSON dans ce dossier")
    one = tmp_path / "R1.json"
    one.write_text(MarketReport(market_id="R1", flags=Flags(env_consideration=False),
                                documents=[DocumentReport(path="RC.pdf", name="RC.pdf", format="pdf", kind=DocKind.RC, pages=3)]
                                ).model_dump_json(), encoding="utf-8")
    assert value(indicators(tmp_path, rows, reports_dir=one), "ENV-P1") == (0.0, 0, 1)  # one report's file: the documents say no


def test_documents_replace_declarations_and_disagreements_are_listed(tmp_path):
    reports = tmp_path / "rapports"
    reports.mkdir()
    report = MarketReport(market_id="R1", flags=Flags(env_consideration=False, social_consideration=True, facilitator=True),
                          documents=[], errors=[notice("AC-E004", "PDF illisible : téléchargez-le à nouveau.", "dce/RC.pdf")])
    (reports / "quelconque.json").write_text(report.model_dump_json(), encoding="utf-8")
    (reports / "pas-un-rapport.json").write_text('{"a": 1}', encoding="utf-8")
    (reports / "tronque.json").write_text(report.model_dump_json()[:200], encoding="utf-8")
    (reports / "autre-version.json").write_text(report.model_dump_json().replace('"criteria":[]', '"criteria":5'), encoding="utf-8")
    rows = ["R1;CAF;2026-02-01;50000;HT;;PME;;non;;non;;;oui;oui;non;non;"]
    issues: list[DataIssue] = []
    loaded = load_reports(reports, issues)
    assert set(loaded) == {"R1"} and {i.kind for i in issues} == {"rapport illisible"}
    # why each is not a report: it said only pydantic's class, « (ValidationError) »
    assert {i.source: i.message.split(" : ignoré")[0] for i in issues} == {
        "autre-version.json": "ce fichier n'est pas un rapport achat-check (champ « criteria » : liste attendue)",
        "pas-un-rapport.json": "ce fichier n'est pas un rapport achat-check (champ « a » : champ inconnu (faute de frappe ?))",
        "tronque.json": "ce fichier n'est pas un rapport achat-check (JSON invalide)"}
    # a report with no readable document keeps the declared values
    r = indicators(tmp_path, rows, reports_dir=reports)
    assert value(r, "ENV-P1") == (1.0, 1, 1)
    (unreadable,) = [d for d in r.data_quality if d.kind == "DCE illisible"]
    assert unreadable.message == ("aucun document du DCE n'a pu être lu : valeurs du registre gardées "
                                  "([AC-E004] dce/RC.pdf : PDF illisible : téléchargez-le à nouveau).")  # what to fix
    report.documents = [DocumentReport(path="dce/RC.pdf", name="RC.pdf", format="pdf", kind=DocKind.RC, pages=3)]
    report.errors = []  # now read whole
    (reports / "quelconque.json").write_text(report.model_dump_json(), encoding="utf-8")
    r = indicators(tmp_path, rows, reports_dir=reports)
    assert value(r, "ENV-P1") == (0.0, 0, 1) and value(r, "SOC-P1") == (1.0, 1, 1)
    fields = {c.field: c for c in r.cross_check}
    # R1 declares env yes, env criterion yes, social no, facilitator no; its documents say the opposite
    assert set(fields) == {"considération environnementale", "critère environnemental", "considération sociale", "facilitateur"}
    assert fields["considération environnementale"].declared is True and fields["considération environnementale"].documents is False
    assert "rien trouvé" in fields["considération environnementale"].evidence[0]


def test_a_dce_read_in_part_counts_its_yes_and_keeps_the_register_where_it_found_nothing(tmp_path):
    # the CCTP is a scan read without OCR: the environmental clause it may hold was not read,
    # so the documents' "no" must not replace the register's "yes" (nor be listed against it)
    reports = tmp_path / "rapports"
    reports.mkdir()
    scanned = notice("AC-W001", "3 page(s) sans texte (document scanné) n'ont pas été lues.", "dce/CCTP.pdf")
    report = MarketReport(market_id="R1", flags=Flags(env_consideration=False, social_consideration=True, facilitator=True), documents=[
        DocumentReport(path="dce/RC.pdf", name="RC.pdf", format="pdf", kind=DocKind.RC, pages=3),
        DocumentReport(path="dce/CCTP.pdf", name="CCTP.pdf", format="pdf", kind=DocKind.CCTP, pages=3, warnings=[scanned]),
    ])
    (reports / "r1.json").write_text(report.model_dump_json(), encoding="utf-8")
    rows = ["R1;CAF;2026-02-01;50000;HT;;PME;;non;;non;;;oui;oui;non;non;"]
    r = indicators(tmp_path, rows, reports_dir=reports)
    assert value(r, "ENV-P1") == (1.0, 1, 1)  # declared, not contradicted by the text read
    assert value(r, "SOC-P1") == (1.0, 1, 1)  # found in the text read: counted
    assert {c.field for c in r.cross_check} == {"considération sociale", "facilitateur"}
    partial = [d for d in r.data_quality if d.kind == "DCE lu en partie"]
    assert len(partial) == 1 and partial[0].market_id == "R1" and "CCTP.pdf" in partial[0].message


def test_reports_are_said_of_the_markets_of_the_years_computed(tmp_path):
    """« --year 2026 --scan » scans the DCEs of 2026 only, then listed the 2025 markets as
    « sans rapport de DCE »; a 2025 market's report, given with --reports, had its
    contradictions listed among 2026's. What is said of reports is said of the years computed,
    as the registers' remarks are."""
    reports = tmp_path / "rapports"
    reports.mkdir()
    for market_id in ("R1", "A1"):  # both say: no environmental consideration
        report = MarketReport(market_id=market_id, flags=Flags(env_consideration=False), documents=[
            DocumentReport(path="dce/RC.pdf", name="RC.pdf", format="pdf", kind=DocKind.RC, pages=3)])
        (reports / f"{market_id}.json").write_text(report.model_dump_json(), encoding="utf-8")
    rows = ["R1;CAF;2026-02-01;50000;HT;;PME;;non;;non;;;oui;oui;non;non;",
            "R2;CAF;2026-03-01;50000;HT;;PME;;non;;non;;;oui;oui;non;non;",
            "A1;CAF;2025-02-01;50000;HT;;PME;;non;;non;;;oui;oui;non;non;",
            "A2;CAF;2025-03-01;50000;HT;;PME;;non;;non;;;oui;oui;non;non;"]
    r = indicators(tmp_path, rows, reports_dir=reports)
    assert {c.market_id for c in r.cross_check} == {"R1"}
    (without,) = [d.message for d in r.data_quality if d.kind == "sans DCE"]
    assert "1 marché(s) sans rapport de DCE" in without and "R2" in without and "A2" not in without
    both = indicators(tmp_path, rows, years=(2025, 2026), reports_dir=reports)
    assert {c.market_id for c in both.cross_check} == {"A1", "R1"}
    assert value(both, "ENV-P1", 2025) == (0.5, 1, 2)  # A1's documents counted in its year


def test_missing_column_and_bad_files_are_clear_errors(tmp_path):
    bad = tmp_path / "registre.csv"
    bad.write_text("numero;objet\n1;Nettoyage\n", encoding="utf-8")
    proc = run_cli("indicators", str(bad), "--year", "2026")
    assert proc.returncode == 2 and "AC-E015" in proc.stderr and "id_marche" in proc.stderr and "registre.csv" in proc.stderr
    assert "Traceback" not in proc.stderr
    notjson = tmp_path / "decp.json"
    notjson.write_text("{pas du json", encoding="utf-8")
    proc = run_cli("indicators", str(notjson), "--year", "2026")
    assert proc.returncode == 2 and "AC-E015" in proc.stderr and "decp.json" in proc.stderr
    assert "syntaxe JSON invalide ligne 1, colonne 2" in " ".join(proc.stderr.split())  # json's English, said in French
    notxlsx = tmp_path / "marches.xlsx"
    notxlsx.write_bytes(b"PK\x03\x04 tronque")
    proc = run_cli("indicators", str(notxlsx), "--year", "2026")
    assert proc.returncode == 2 and "classeur XLSX illisible (ce n'est pas une archive ZIP)" in " ".join(proc.stderr.split())
    proc = run_cli("indicators", str(bad), "--year", "vingt")
    assert proc.returncode == 2 and "AC-E016" in proc.stderr
    old = tmp_path / "registre.xls"  # Excel 97-2003, cut short
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    proc = run_cli("indicators", str(old), "--year", "2026")
    said = " ".join(proc.stderr.split())
    assert proc.returncode == 2 and "AC-E015" in said and "registre.xls" in said and "classeur XLS illisible (format inconnu" in said
    old.write_text("<html><body><table><tr><td>id_marche</td></tr></table></body></html>", encoding="utf-8")  # an « export Excel »
    proc = run_cli("indicators", str(old), "--year", "2026")
    said = " ".join(proc.stderr.split())
    assert proc.returncode == 2 and "AC-E015" in said and "page web (export HTML)" in said and "Traceback" not in said
    calc = tmp_path / "registre.ods"  # LibreOffice Calc's own format, damaged
    calc.write_bytes(b"PK\x03\x04")
    proc = run_cli("indicators", str(calc), "--year", "2026")
    said = " ".join(proc.stderr.split())
    assert proc.returncode == 2 and "AC-E015" in said and "registre.ods" in said and "réenregistrez-le" in said and "Traceback" not in said


ROWS_2026 = [
    "M1;CAF;2026-02-01;30000;HT;;PME;;non;;non;;;oui;oui;non;non;",
    "M2;CAF;2026-03-01;40000;HT;;GE;;non;;non;;;non;non;oui;oui;",
]


@pytest.mark.parametrize(("name", "encode"), [
    # Excel's « Texte Unicode (*.txt) »: UTF-16 with its byte-order mark, tab-separated, CRLF
    ("marches.txt", lambda text: text.replace(";", "\t").replace("\n", "\r\n").encode("utf-16")),
    # Excel for Mac's « CSV (Macintosh) »: a carriage return alone ends each line
    ("marches.csv", lambda text: text.replace("\n", "\r").encode("cp1252")),
])
def test_registers_saved_by_excel_in_its_other_text_formats_are_read(tmp_path, name, encode):
    path = tmp_path / name
    path.write_bytes(encode(HEADER + "\n".join(ROWS_2026) + "\n"))
    r = run(path, [2026], "rso-2025", today=TODAY)
    assert value(r, "ENV-P1") == (pytest.approx(1 / 2), 1, 2)
    assert value(r, "SOC-P1") == (pytest.approx(1 / 2), 1, 2)


def test_a_utf8_register_with_a_few_windows_1252_bytes_stays_utf8(tmp_path):
    # a cell pasted from an older file brings its Windows-1252 « é »: read whole as
    # Windows-1252, every other accent of the register became two letters (« HÃ©rault »)
    rows = [row.replace(";CAF;", ";CAF de l'Hérault;") for row in ROWS_2026]
    path = tmp_path / "marches.csv"
    path.write_bytes((HEADER + "\n".join(rows) + "\n").encode("utf-8") + "M3;Urssaf Vendée;".encode("cp1252")
                     + b"2026-04-01;50000;HT;;PME;;non;;non;;;oui;oui;non;non;\n")
    markets = load_markets(path, [])
    assert [m.buyer_name for m in markets] == ["CAF de l'Hérault", "CAF de l'Hérault", "Urssaf Vendée"]


def test_dates_with_a_two_digit_year_are_this_century(tmp_path):
    # Excel's short French date « jj/mm/aa », as a CSV export writes it
    rows = [row.replace("2026-02-01", "01/02/26").replace("2026-03-01", "1/3/26") for row in ROWS_2026]
    r = indicators(tmp_path, rows)
    assert value(r, "ENV-P1") == (pytest.approx(1 / 2), 1, 2)
    assert not [d for d in r.data_quality if "date" in d.kind]


@pytest.mark.parametrize("hint", ["sep=;", "sep=;;;;;", '"sep=;"'])
def test_excels_separator_line_is_read_as_the_separator(tmp_path, hint):
    path = tmp_path / "marches.csv"
    path.write_text(f"{hint}\n" + (HEADER + "\n".join(ROWS_2026) + "\n"), encoding="cp1252")
    r = run(path, [2026], "rso-2025", today=TODAY)
    assert value(r, "ENV-P1") == (pytest.approx(1 / 2), 1, 2)
    # and a line it cannot read is named where it is in the file (the hint is line 1)
    path.write_text("sep=,\n" + HEADER.replace(";", ",") + "M1," + "x" * 200_000 + "\n", encoding="utf-8")
    with pytest.raises(AchatCheckError, match="ligne 3 illisible"):
        run(path, [2026], "rso-2025", today=TODAY)


def test_a_csv_line_the_csv_module_cannot_read_is_a_clear_error(tmp_path):
    path = register(tmp_path, [ROWS_2026[0], "M2;CAF;2026-03-01;" + "x" * 200_000 + ";HT"])
    proc = run_cli("indicators", str(path), "--year", "2026")
    said = " ".join(proc.stderr.split())
    assert proc.returncode == 2 and "Traceback" not in said and "Erreur interne" not in said
    assert "AC-E015" in said and "marches.csv" in said and "ligne 3 illisible (cellule de plus de 128 Ko)" in said


def test_a_quote_never_closed_is_a_clear_error(tmp_path):
    """A cell typed « "CAF » opened a quoted cell the csv module read to the end of the file:
    the markets below became its text and left the indicators without a word."""
    from achat_check.errors import AchatCheckError

    rows = [ROWS_2026[0], ROWS_2026[1].replace(";CAF;", ';"CAF;'), "M3;CAF;2026-04-01;50000;HT;;PME;;non;;non;;;oui;oui;non;non;"]
    with pytest.raises(AchatCheckError) as info:
        load_markets(register(tmp_path, rows), [])
    assert info.value.code == "AC-E015" and info.value.message.startswith("ligne 3, colonne « nom_acheteur » : une cellule "
                                                                          "ouverte par un guillemet n'est pas refermée")
    # a cell quoted as a spreadsheet writes it, its line break and its quotes inside, is a cell
    rows[1] = ROWS_2026[1].replace(";CAF;", ';"CAF ""Nord"";\nagence 2;";')
    assert [m.buyer_name for m in load_markets(register(tmp_path, rows), [])] == ["CAF", 'CAF "Nord";\nagence 2;', "CAF"]


def test_years_are_checked_before_they_are_counted():
    """« 2000-99999999999 » built a list of 10^11 years (a form field of the API) before
    the bounds were checked; a reversed range said nothing useful."""
    from achat_check.errors import AchatCheckError
    from achat_check.indicators import parse_years

    assert parse_years(["2024-2026", "2020,2022"]) == [2020, 2022, 2024, 2025, 2026]
    # a range as Word writes it (its dash), with spaces or « à », and years apart by spaces or « ; »
    for written in ("2024–2026", "2024 - 2026", "2024 — 2026", "2024 à 2026", "2024 2025 2026", "2024 ; 2025, 2026"):
        assert parse_years([written]) == [2024, 2025, 2026], written
    with pytest.raises(AchatCheckError) as info:
        parse_years(["de 2024 à 2026"])  # still a word that is no year, quoted as written
    assert "année « de 2024 à 2026 » illisible" in info.value.message
    for given in ("2000-99999999999", "2026-2024", "1999", "2101"):
        with pytest.raises(AchatCheckError) as info:
            parse_years([given])
        assert info.value.code == "AC-E016" and "2000 à 2100" in info.value.message


def _workbook_with_sheet_xml(tmp_path, rows: list[list], edit=lambda xml: xml) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Marchés"
    for row in rows:
        ws.append(row)
    wb.save(tmp_path / "written.xlsx")
    path = tmp_path / "marches.xlsx"
    path.write_bytes(edit_package((tmp_path / "written.xlsx").read_bytes(), {"xl/worksheets/sheet1.xml": edit}))
    return path


def test_formulas_never_computed_are_said_not_read_as_missing_amounts(tmp_path):
    """A register written by a program keeps formulas without their values: each amount
    was read empty and reported « montant manquant », with no word of why."""
    from achat_check.indicators.registers import uncomputed_formulas

    rows = [["id_marche", "date_notification", "montant"], ["M1", "2026-02-01", "=30000*2"], ["M2", "2026-03-01", 80000]]
    path = _workbook_with_sheet_xml(tmp_path, rows)
    assert uncomputed_formulas(path) == ["C2"]
    report = run(path, [2026], today=TODAY)
    (issue,) = [d for d in report.data_quality if d.kind == "formule non calculée"]
    assert "(C2)" in issue.message and "enregistrez-le" in issue.message
    saved = _workbook_with_sheet_xml(tmp_path, rows, lambda xml: xml.replace(b"<f>30000*2</f><v></v>", b"<f>30000*2</f><v>60000</v>"))
    assert uncomputed_formulas(saved) == []  # computed by a spreadsheet: its value is read
    assert {m.id: m.amount_ht for m in run(saved, [2026], today=TODAY).markets} == {"M1": 60000, "M2": 80000}
    shared = _workbook_with_sheet_xml(tmp_path, rows, lambda xml: xml.replace(b"<f>30000*2</f><v></v>", b'<f t="shared" si="0"/>'))
    assert uncomputed_formulas(shared) == ["C2"]


def test_formulas_never_computed_in_a_calc_register_are_said_too(tmp_path):
    """The same as in an XLSX: a formula cell a program wrote without its value (odfpy,
    a report generator) is read empty; Calc's own saved value is read."""
    from tests.test_readers import calc_ods, cell, row

    header = row(cell("id_marche") + cell("date_notification") + cell("montant"))
    never = '<table:table-cell table:formula="of:=30000*2"/>'
    saved = '<table:table-cell table:formula="of:=40000*2" office:value-type="float" office:value="80000"><text:p>80000</text:p></table:table-cell>'
    sheet = ('<table:table table:name="Marchés">' + header + row(cell("M1") + cell("2026-02-01") + never)
             + row(cell("M2") + cell("2026-03-01") + saved) + "</table:table>")
    path = tmp_path / "registre.ods"
    path.write_bytes(calc_ods(sheet))
    issues: list[DataIssue] = []
    markets = load_markets(path, issues)
    (issue,) = [d for d in issues if d.kind == "formule non calculée"]
    assert "(C2)" in issue.message and issue.source == "registre.ods"
    assert {m.id: m.amount for m in markets} == {"M1": None, "M2": 80000}


def test_decp_2024_official_example_considerations(tmp_path):
    path = REAL_DATA / "decp-schema-and-official-examples" / "marches_avec_modifications.json"
    if not path.is_file():
        pytest.skip("../shared/real/data absent")
    issues: list[DataIssue] = []
    markets = load_markets(path, issues)
    first = markets[0]
    assert first.id == "TEST2022" and first.amount == 575000 and first.notified == date(2024, 5, 15)
    assert first.duration_months == 48  # « dureeMois »: 48, a number in this format
    assert first.social_clause and first.social_criterion and first.social_consideration
    # the list holds every consideration of the theme: « Critère environnemental » left out is a no
    assert first.env_clause and first.env_consideration and first.env_criterion is False
    assert first.reserved is False  # « Marché réservé » is not in its social list


def test_decp_xml_official_example_reads_as_its_json(tmp_path):
    """The DECP are published in XML too (schema_decp_v2.0.2.xsd; the official Marche.xml):
    the XML example gives the market the JSON example gives."""
    folder = REAL_DATA / "decp-schema-and-official-examples"
    if not (folder / "Marche.xml").is_file():
        pytest.skip("../shared/real/data absent")
    issues: list[DataIssue] = []
    (xml, *_), (js, *_) = load_markets(folder / "Marche.xml", issues), load_markets(folder / "marches_avec_modifications.json", [])
    fields = ("id", "amount", "notified", "duration_months", "procedure", "awardee_id", "env_clause",
              "env_criterion", "env_consideration", "social_clause", "social_criterion", "social_consideration", "reserved")
    assert xml.source == "Marche.xml, marché 1" and xml.notified == date(2024, 5, 15) and xml.duration_months == 48
    assert xml.buyer_id == "21750001630040"  # the two examples' buyers differ by a digit
    assert {f: getattr(xml, f) for f in fields} == {f: getattr(js, f) for f in fields}
    r = compute_indicators(load_markets(folder / "Marche.xml", []), [2024], today=TODAY)
    assert value(r, "ENV-P1", 2024) == (1.0, 1, 1) and value(r, "SOC-P1", 2024) == (1.0, 1, 1)


def test_what_a_decp_file_does_not_carry_is_asked_from_a_register(tmp_path):
    """« renseignez la colonne « facilitateur » » meant nothing for a DECP file, which has no
    such column: a register that has it is asked for; a register's own wording stays."""
    path = tmp_path / "decp.json"
    path.write_text(json.dumps({"marches": [{"id": "D1", "dateNotification": "2026-03-01", "montant": 40000,
                                             "considerationsSociales": ["Clause sociale"],
                                             "considerationsEnvironnementales": ["Pas de considération environnementale"]}]}),
                    encoding="utf-8")
    r = run(path, [2026], today=TODAY)
    notes = {i.id: i.note for i in r.indicators}
    assert notes["SOC-P2-FACILITATOR"] == ("valeur inconnue (facilitateur) pour tous les marchés de l'année : absent des DECP, donnez un "
                                           "registre CSV ou XLSX avec la colonne « facilitateur » ou joignez les rapports des DCE (--reports)")
    assert notes["ECO-P1-PME"].endswith(": absent des DECP, donnez un registre CSV ou XLSX avec la catégorie ou l'effectif du titulaire "
                                        "(colonnes « categorie_titulaire », « effectif_titulaire »)")
    assert notes["SOC-P2-HOURS"].endswith("absent des DECP, donnez un registre CSV ou XLSX avec les heures réalisées (colonne « heures_insertion »)")
    csv = indicators(tmp_path, ["R1;CAF;2026-03-01;40000;HT;;;;;;;;;oui;non;oui;oui;"])
    assert {i.id: i.note for i in csv.indicators}["SOC-P2-FACILITATOR"].endswith(
        ": renseignez la colonne « facilitateur » ou joignez les rapports des DCE (--reports)")


def test_decp_xml_lists_empty_values_concessions_and_bad_files(tmp_path):
    """Repeated children are a list, an empty container declares nothing, a concession is
    counted out; a file that is not DECP XML, or that declares entities, is refused by name."""
    path = tmp_path / "decp.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<marches>\n'
        "<marche><id>X1</id><acheteur><id>180035016</id><nom>CPAM</nom></acheteur><objet>Nettoyage</objet>"
        "<procedure>Procédure adaptée</procedure><dateNotification>2024-03-01+01:00</dateNotification><montant>30000.00</montant>"
        "<titulaires><titulaire><id>111</id><denominationSociale>A</denominationSociale></titulaire>"
        "<titulaire><id>222</id></titulaire></titulaires>"
        "<considerationsSociales><considerationSociale>Clause sociale</considerationSociale>"
        "<considerationSociale>Marché réservé</considerationSociale></considerationsSociales>"
        "<considerationsEnvironnementales><considerationEnvironnementale>Pas de considération environnementale"
        "</considerationEnvironnementale></considerationsEnvironnementales></marche>\n"
        "<contrat-concession><id>C1</id></contrat-concession>\n"
        "<marche><id>X2</id><dateNotification>2024-04-01</dateNotification><montant>90000</montant>"
        "<considerationsSociales/></marche>\n</marches>\n", encoding="utf-8")
    issues: list[DataIssue] = []
    x1, x2 = load_markets(path, issues)
    assert (x1.id, x1.buyer_name, x1.amount, x1.notified, x1.awardee_id, x1.awardee_name) == ("X1", "CPAM", 30000, date(2024, 3, 1), "111", "A")
    assert x1.social_clause and x1.reserved and x1.env_consideration is False
    assert x2.social_consideration is None and x2.env_consideration is None
    kinds = [(i.kind, i.market_id) for i in issues]
    assert ("hors périmètre", None) in kinds and ("considération non déclarée", "X2") in kinds
    assert next(i.message for i in issues if i.kind == "considération non déclarée").startswith("considerationsSociales vide")
    for text, said in (("<html><body>export</body></html>", "« html », pas « marches »"), ("<marches><marche>", "XML illisible"),
                       ('<?xml version="1.0"?><!DOCTYPE m [<!ENTITY e SYSTEM "file:///etc/passwd">]><marches><marche><id>&e;</id>'
                        "</marche></marches>", "XML illisible")):
        path.write_text(text, encoding="utf-8")
        with pytest.raises(AchatCheckError) as err:
            load_markets(path, [])
        assert err.value.code == "AC-E015" and said in err.value.message and err.value.path == str(path)


@pytest.mark.skipif(not REAL_DATA.is_dir(), reason="../shared/real/data absent")
@pytest.mark.parametrize("path", sorted(p.relative_to(REAL_DATA).as_posix() for p in REAL_DATA.glob("decp-*/*.json") if "schema" not in p.name))
def test_real_decp_files_load(path):
    issues: list[DataIssue] = []
    markets = load_markets(REAL_DATA / path, issues)
    missing_ids = sum(1 for m in markets if not m.id or set(m.id) == {"0"})
    years = sorted({m.notified.year for m in markets if m.notified})
    r = compute_indicators(markets, years, issues=issues, today=TODAY)
    assert markets and r.indicators and all(m.id for m in markets)
    # markets the file leaves without an id (or with zeros) are kept under a provisional id, and
    # said: one line per file, which counts them
    unnamed = [d for d in r.data_quality if d.kind == "identifiant manquant"]
    assert sum(1 if d.market_id else int(d.message.split()[0]) for d in unnamed) == missing_ids
    assert len(unnamed) <= 1 and not any(d.kind == "autres années" for d in r.data_quality)
    if "2019" in path:  # the 2019 format has no considerations: every market is unknown, never counted as "no"
        assert all(m.env_consideration is None for m in markets)
        assert all(i.denominator == 0 for i in r.indicators if i.id == "ENV-P1")
        # the same markets lack the three values: one line a year names them, not three
        unknown = [d for d in r.data_quality if d.kind == "valeur inconnue"]
        assert unknown and len({d.source for d in unknown}) == len(unknown)
        assert all(d.message.startswith("considération environnementale, critère environnemental, considération sociale : "
                                        "valeurs inconnues, marché exclu de ces taux : ") for d in unknown)


def test_a_register_s_duration_is_read_in_months(tmp_path):
    """DECP's « dureeMois » (« la durée initiale du marché comprend la durée des tranches et
    reconductions potentielles », schema 2.0.3) and a register's « Durée (mois) » column: a
    DCE that writes no maximum takes it (see test_batch)."""
    path = tmp_path / "marches.csv"
    path.write_text("id_marche;date_notification;montant;Durée (mois)\nM1;2026-03-01;50000;48\nM2;2026-03-01;50000;4 ans\n"
                    "M3;2026-03-01;50000;\nM4;2026-03-01;50000;bientôt\n", encoding="utf-8")
    issues: list[DataIssue] = []
    assert [m.duration_months for m in load_markets(path, issues)] == [48, 48, None, None]
    (said,) = [d for d in issues if d.kind == "valeur illisible"]
    assert said.market_id == "M4" and "« duree_mois »" in said.message and "« bientôt »" in said.message


@pytest.mark.skipif(not REAL_DATA.is_dir(), reason="../shared/real/data absent")
def test_real_decp_durations_are_read():
    path = REAL_DATA / "decp-2019-format" / "decp_21590163800019_2019-01-01_2021-12-31.json"
    written = {str(r["id"]).strip(): r["dureeMois"] for r in json.loads(path.read_text(encoding="utf-8"))["marches"]}
    issues: list[DataIssue] = []
    markets = load_markets(path, issues)
    # « "36" »: a string in this file; one market's « "0" » (the schema's minimum is 1) is no
    # duration, and said as a data-quality line
    assert all(isinstance(v, str) for v in written.values()) and "0" in written.values()
    assert markets and {m.id: m.duration_months for m in markets} == {k: float(v) or None for k, v in written.items()}
    (said,) = [d for d in issues if d.kind == "valeur illisible"]
    assert said.message.startswith("dureeMois « 0 » illisible") and written[said.market_id] == "0"


def test_real_decp_2024_pas_de_consideration(tmp_path):
    path = REAL_DATA / "decp-2024-format" / "decp-59920013600241-2024-07-09-01.json"
    if not path.is_file():
        pytest.skip("../shared/real/data absent")
    markets = load_markets(path, [])
    assert markets and all(m.social_consideration is False and m.env_consideration is False for m in markets)
    # « Marché réservé » is a value of considerationsSociales: « Pas de considération sociale » denies it
    assert all(m.reserved is False and m.social_clause is False for m in markets)
    r = compute_indicators(markets, sorted({m.notified.year for m in markets}), today=TODAY)
    assert {i.value for i in r.indicators if i.id == "SOC-P2-RESERVED"} == {0}


def test_decp_records_of_unexpected_shapes_are_read_or_said_never_a_traceback(tmp_path):
    """Fuzzing the real DECP files: a string where the buyer is an object, a number for the
    awardees or the considerations, one market where a list is expected: each stopped the
    whole computation with a TypeError or an AttributeError."""
    good = {"id": "M1", "dateNotification": "2024-03-01", "montant": 50000, "acheteur": {"id": "1", "nom": "CAF"},
            "titulaires": {"titulaire": {"id": "9", "denominationSociale": "Net SA"}},
            "considerationsSociales": {"considerationSociale": ["Clause sociale"]}}
    odd = {"id": "M2", "dateNotification": "2024-04-01", "montant": "30000.00", "acheteur": "CAF du Nord",
           "titulaires": 3, "considerationsSociales": True, "considerationsEnvironnementales": 1.5}
    path = tmp_path / "decp.json"
    path.write_text(json.dumps({"marches": {"marche": [good, odd], "contrat-concession": 7}}), encoding="utf-8")
    issues: list[DataIssue] = []
    m1, m2 = load_markets(path, issues)
    assert (m1.awardee_name, m1.social_clause, m1.buyer_name) == ("Net SA", True, "CAF")
    assert (m2.amount, m2.buyer_name, m2.awardee_id, m2.social_consideration, m2.env_consideration) == (30000, "", "", None, None)
    single = tmp_path / "un.json"
    single.write_text(json.dumps({"marches": {"marche": good}}), encoding="utf-8")
    assert [m.id for m in load_markets(single, [])] == ["M1"]
    nan = tmp_path / "nan.json"  # Python's JSON reader takes NaN, which no amount is
    nan.write_text('{"marches": [{"id": "M3", "montant": NaN}, {"id": "M4", "montant": 1e999}]}', encoding="utf-8")
    assert [m.amount for m in load_markets(nan, [])] == [None, None]


def test_a_decp_record_that_still_breaks_a_reader_is_said_and_the_others_are_read(tmp_path, monkeypatch):
    import achat_check.indicators.decp as decp
    from achat_check.indicators.registers import read_date_and_amount

    def fragile(m, notified, amount, issues):
        if amount == "boom":
            raise ValueError(amount)
        return read_date_and_amount(m, notified, amount, issues)

    monkeypatch.setattr(decp, "read_date_and_amount", fragile)
    path = tmp_path / "decp.json"
    path.write_text(json.dumps({"marches": [{"id": "M1", "montant": "boom"}, {"id": "M2", "montant": 40000}]}), encoding="utf-8")
    issues: list[DataIssue] = []
    assert [(m.id, m.amount) for m in load_markets(path, issues)] == [("M2", 40000)]
    assert [(d.kind, d.market_id) for d in issues] == [("marché mal formé", "M1")]


def test_xlsx_has_a_sheet_per_family_and_the_chart(tmp_path):
    from openpyxl import load_workbook

    rows = ["X1;CAF;2025-02-01;50000;HT;;PME;;non;;oui;100;;oui;oui;oui;oui;",
            "X2;CAF;2026-02-01;50000;HT;;GE;;non;;non;;;non;non;oui;oui;"]
    r = indicators(tmp_path, rows, years=(2025, 2026))
    from achat_check.indicators.export import write_all

    written = write_all(r, tmp_path / "sortie")
    names = {p.name for p in written}
    assert {"indicateurs.json", "indicateurs.csv", "indicateurs.xlsx", "taux.png", "tendance.png"} <= names
    wb = load_workbook(tmp_path / "sortie" / "indicateurs.xlsx")
    assert {"Environnement", "Social", "Relations fournisseurs", "Qualité des données", "Contrôle croisé"} <= set(wb.sheetnames)
    assert [cs.title for cs in wb.chartsheets] == ["Graphiques"]
    assert wb["Graphiques"]._charts, "the chart sheet holds a chart"
    env = wb["Environnement"]
    row = next(r for r in env.iter_rows(values_only=True) if r[0] == "ENV-P1" and r[3] == 2026)
    assert row[5] == 0.0 and row[7] == 0 and row[8] == 1
    assert env["F2"].number_format == "0.0%"
    for png in (p for p in written if p.suffix == ".png"):
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    data = json.loads((tmp_path / "sortie" / "indicateurs.json").read_text(encoding="utf-8"))
    assert data["years"] == [2025, 2026] and all(0 <= i["value"] <= 1 for i in data["indicators"] if i["unit"] == "taux" and i["value"] is not None)


def test_the_trend_leaves_out_the_rates_computed_in_no_year(tmp_path):
    """A rate no year computes is named, not drawn as a legend entry over nothing; with none
    computed (a DECP file of the 2019 format) the chart says so, its years still apart."""
    from achat_check.indicators.export import trend_series, write_charts

    rows = ["X1;CAF;2025-02-01;50000;HT;;PME;;non;;oui;100;;oui;oui;oui;oui;",
            "X2;CAF;2026-02-01;50000;HT;;GE;;non;;non;;;non;non;oui;oui;"]
    r = indicators(tmp_path, rows, years=(2025, 2026))
    shown, never = trend_series(r, ["ENV-P1", "ENV-P2-PLAN", "ECO-P1-PME"])
    assert shown == {"ENV-P1": [100.0, 0.0], "ECO-P1-PME": [100.0, 0.0]} and never == ["ENV-P2-PLAN"]
    unknown = ["U1;CAF;2025-02-01;50000;HT;;;;;;;;;;;;;", "U2;CAF;2026-02-01;50000;HT;;;;;;;;;;;;;"]
    r = indicators(tmp_path, unknown, years=(2025, 2026))
    rates = [i.id for i in r.indicators if i.unit == "taux" and i.year == 2025]
    assert trend_series(r, rates) == ({}, rates)
    assert (tmp_path / "png" / "tendance.png") in write_charts(r, tmp_path / "png")
    # the workbook's own trend chart: no series for a rate never computed, no chart when none is
    from openpyxl import load_workbook

    from achat_check.indicators.export import write_xlsx

    for rows_, drawn in ((rows, 4), (unknown, 0)):  # ENV-P1, ENV-P2, SOC-P1, ECO-P1-PME; the plan and training rates need --organisations
        write_xlsx(indicators(tmp_path, rows_, years=(2025, 2026)), tmp_path / "i.xlsx")
        charts = load_workbook(tmp_path / "i.xlsx")["Données des graphiques"]._charts
        assert [len(c.series) for c in charts] == ([drawn] if drawn else [])


@pytest.mark.parametrize("suffix", ["xlsx", "ods"])
def test_template_lists_the_documented_columns(tmp_path, suffix):
    """The template in Excel's format, or in LibreOffice Calc's for a .ods name (it was an
    XLSX under that name, which Calc warned about and no reader took)."""
    out = tmp_path / f"modele.{suffix}"
    proc = run_cli("indicators", "template", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    if suffix == "xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(out)
        names, header = set(wb.sheetnames), [c.value for c in wb["Marchés"][1]]
    else:
        from achat_check.ingest.ods import read_sheets
        from achat_check.settings import Limits

        sheets = read_sheets(out.read_bytes(), str(out), True, Limits())
        names, header = {s.name for s in sheets}, sheets[0].rows[0]
    assert {"Marchés", "Paiements", "Organismes", "Colonnes"} <= names
    assert {"id_marche", "date_notification", "montant", "montant_type", "categorie_titulaire", "heures_insertion"} <= set(header)
    # the template's example row is itself a valid register
    issues: list[DataIssue] = []
    markets = load_markets(out, issues)
    assert len(markets) == 1 and markets[0].sme is True and not issues
    assert load_payments(out, issues)[0].delay == 22


def test_a_template_asked_under_another_name_is_refused(tmp_path):
    """« -o modele.xls » wrote an XLSX under that name, which Excel opens with a warning."""
    out = tmp_path / "modele.xls"
    proc = run_cli("indicators", "template", "-o", str(out))
    said = " ".join(proc.stderr.split())
    assert proc.returncode == 2 and "AC-E016" in said and "-o modele.xlsx" in said and not out.exists()


def test_corpus_example_end_to_end():
    folder = ROOT / "corpus" / "registres"
    proc = run_cli("indicators", str(folder / "marches.csv"), "--year", "2025-2026", "--scan", "--payments", str(folder / "paiements.csv"),
                   "--organisations", str(folder / "organismes.csv"), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    r = json.loads(proc.stdout)
    got = {(i["year"], i["id"]): (i["numerator"], i["denominator"]) for i in r["indicators"] if i["group"] is None}
    # by hand, from corpus/registres/marches.csv and the seven sample DCEs (see docs/indicators.md)
    assert got[(2026, "ENV-P1")] == (8, 9)      # URSSAF gardiennage: declared yes, documents say no
    assert got[(2026, "SOC-P1")] == (6, 9)
    assert got[(2026, "ECO-P1-PME")] == (5, 8)  # CNAF études: category unknown
    assert got[(2026, "ECO-P1-DELAY")] == (148, 6)
    assert got[(2025, "SOC-P1")] == (3, 3)
    assert got[(2026, "SOC-P2-HOURS")][0] == 2757
    cross = [(c["market_id"], c["field"]) for c in r["cross_check"]]
    assert cross == [("2026-URS-002", "considération environnementale")]


def test_scanned_dces_join_the_ids_the_indicators_give(tmp_path):
    """A register line repeated is checked once; an id reused for another market (another
    DCE) is numbered M-2#2, and each of the two gets its own DCE's report."""
    samples = ROOT / "corpus" / "samples"
    register = tmp_path / "marches.csv"
    register.write_text("id_marche;nom_acheteur;date_notification;montant;dce\n"
                        f"M-1;CAF;2026-03-15;144000;{samples / 'informatique-cpam'}\n"
                        f"M-2;URSSAF;2026-11-20;420000;{samples / 'gardiennage-urssaf'}\n"
                        f"M-1;CAF;2026-03-15;144000;{samples / 'informatique-cpam'}\n"
                        f"M-2;URSSAF;2026-11-20;80000;{samples / 'espaces-verts-reserve'}\n", encoding="utf-8")
    seen: list[tuple[int, int]] = []
    report = run(register, [2026], scan=True, on_progress=lambda n, total: seen.append((n, total)))
    lines = {m.id: m for m in report.markets}
    assert sorted(lines) == ["M-1", "M-2", "M-2#2"] and all(m.from_documents for m in lines.values())
    assert lines["M-2"].reserved is False and lines["M-2#2"].reserved is True  # each its own DCE
    assert seen == [(1, 3), (2, 3), (3, 3)]  # three DCEs checked, the repeated line once


def test_only_the_dces_of_the_years_computed_are_scanned(tmp_path):
    """--scan --year 2026 on a register of several years checks 2026's DCEs: the others' count
    in no year computed (every DCE of a five-year register was checked to compute one)."""
    samples = ROOT / "corpus" / "samples"
    register = tmp_path / "marches.csv"
    register.write_text("id_marche;nom_acheteur;date_notification;montant;dce\n"
                        f"A-2025;CAF;2025-03-15;144000;{samples / 'informatique-cpam'}\n"
                        f"B-2026;URSSAF;2026-11-20;420000;{samples / 'gardiennage-urssaf'}\n"
                        f"C-2024;CAF;2024-01-10;90000;{tmp_path / 'absent'}\n", encoding="utf-8")
    seen: list[tuple[int, int]] = []
    report = run(register, [2026], scan=True, on_progress=lambda n, total: seen.append((n, total)))
    assert seen == [(1, 1)]
    assert [(m.id, m.from_documents) for m in report.markets] == [("B-2026", True)]
    assert not any(d.kind == "DCE introuvable" for d in report.data_quality)  # C-2024's absent DCE was not looked for


def test_a_scan_of_a_register_that_names_no_dce_says_nothing_was_checked(tmp_path):
    """--scan on a register without « dce » paths computed the indicators from its
    declarations alone, without a word: the manager believed the DCEs checked."""
    register = tmp_path / "marches.csv"
    register.write_text("id_marche;date_notification;montant;consideration_environnementale\n"
                        "A-2026;2026-03-15;144000;oui\nB-2025;2025-03-15;90000;non\n", encoding="utf-8")
    report = run(register, [2026], scan=True)
    (said,) = [d for d in report.data_quality if d.kind == "DCE non vérifiés"]
    assert said.message.startswith("aucune ligne du registre ne nomme son DCE : la colonne « dce » donne")
    # a DCE named for another year only: none of the years computed has one
    register.write_text("id_marche;date_notification;montant;dce\nA-2026;2026-03-15;144000;\n"
                        f"B-2025;2025-03-15;90000;{ROOT / 'corpus' / 'samples' / 'tma-cnaf'}\n", encoding="utf-8")
    (said,) = [d for d in run(register, [2026], scan=True).data_quality if d.kind == "DCE non vérifiés"]
    assert said.message.startswith("aucun marché des années calculées ne nomme son DCE")
    assert not [d for d in run(register, [2026]).data_quality if d.kind == "DCE non vérifiés"]  # no --scan: nothing to say


def test_control_characters_in_ids_or_quotes_never_break_the_xlsx(tmp_path):
    """openpyxl refuses \\x00-\\x1f (but tab and newlines); they come from registers' stray
    bytes and from pdfium's text (\\x02 for a soft hyphen)."""
    from openpyxl import load_workbook

    from achat_check.indicators.export import write_xlsx
    from achat_check.indicators.model import CrossCheck

    r = indicators(tmp_path, ["X\x011;CAF;2026-02-01;50000;HT;;PME;;non;;oui;100;;oui;oui;oui;oui;"])
    r.cross_check.append(CrossCheck(market_id="X\x011", field="env_consideration", declared=True, documents=False,
                                    evidence=["éco\x02conception"]))
    write_xlsx(r, tmp_path / "i.xlsx")
    wb = load_workbook(tmp_path / "i.xlsx")
    assert ("X1", 2026) in {(row[0], row[1]) for row in wb["Marchés"].iter_rows(values_only=True)}
    assert any(row[4] == "écoconception" for row in wb["Contrôle croisé"].iter_rows(values_only=True))


def test_ids_and_quotes_that_look_like_formulas_stay_texts_in_the_exports(tmp_path):
    """A register's id « =1+1 » was a formula in the XLSX; in the CSV a spreadsheet computes
    cells starting with =, +, - or @ (« - 30 % prix » showed #NOM?)."""
    import csv
    import io

    from openpyxl import load_workbook

    from achat_check.indicators.export import to_csv, write_xlsx
    from achat_check.indicators.model import CrossCheck

    r = indicators(tmp_path, ["=1+1;CAF;2026-02-01;50000;HT;;PME;;non;;oui;100;;oui;oui;oui;oui;"])
    r.cross_check.append(CrossCheck(market_id="=1+1", field="env_consideration", declared=True, documents=False,
                                    evidence=["=SOMME(A1:A9)", "- 30 % prix"]))
    write_xlsx(r, tmp_path / "i.xlsx")
    wb = load_workbook(tmp_path / "i.xlsx")
    ids = [row[0] for row in wb["Marchés"].iter_rows(min_row=2)]
    assert [(c.value, c.data_type) for c in ids] == [("=1+1", "s")]
    quote = [row[4] for row in wb["Contrôle croisé"].iter_rows(min_row=2)]
    assert [(c.value, c.data_type) for c in quote] == [("=SOMME(A1:A9)\n- 30 % prix", "s")]
    rows = list(csv.DictReader(io.StringIO(to_csv(r)), delimiter=";"))
    assert {row["market_ids"] for row in rows if row["markets"] == "1"} == {"'=1+1"}
    assert all(not row["value"].startswith("'") for row in rows)  # numbers stay numbers


def test_csv_figures_are_written_for_a_spreadsheet_set_to_french():
    """Our CSVs are « ; »-separated for French spreadsheets: the indicators' CSV wrote a target
    of 15 M€ « 1.5e+07 » and a numerator « 3.349e+06 » (six digits kept), the batch results
    « True » and « 144000.0 »; a spreadsheet set to French reads none of them as figures."""
    from achat_check.report.sheets import csv_row

    assert csv_row([15_000_000.0, 3_348_751.0, 0.570625, 1 / 3, -0.5, 24.0, 7, True, False, None, "- 30 % prix"]) == [
        "15000000", "3348751", "0,570625", "0,333333", "-0,5", "24", 7, "oui", "non", None, "'- 30 % prix"]


def test_a_dce_path_with_a_stray_nul_byte_is_a_data_issue(tmp_path):
    """pathlib refuses a NUL: the whole computation stopped with a ValueError (found by fuzzing the registers)."""
    path = tmp_path / "marches.csv"
    path.write_text("id_marche;nom_acheteur;date_notification;montant;dce\nM1;CAF;2026-02-01;50000;dossier\x00/M1\n", encoding="utf-8")
    report = run(path, [2026], today=TODAY)
    (issue,) = [d for d in report.data_quality if d.kind == "chemin illisible"]
    assert issue.market_id == "M1" and "colonne « dce »" in issue.message
    assert [m.id for m in report.markets] == ["M1"]


def test_the_terminal_shows_the_first_problems_and_says_where_the_others_are(tmp_path):
    import io

    from rich.console import Console

    from achat_check.indicators.model import CrossCheck
    from achat_check.report.indicators import print_indicators

    r = indicators(tmp_path, ["A1;CAF;2026-02-01;50000;HT;;PME;;non;;oui;100;;oui;oui;oui;oui;"])
    r.data_quality = [DataIssue(kind="déclaration contradictoire", source=f"r.csv, ligne {n}", message="m") for n in range(45)]
    r.cross_check = [CrossCheck(market_id=f"M{n}", field="facilitateur", declared=True, documents=False) for n in range(43)]

    def shown(out: Path | None) -> str:
        console = Console(file=io.StringIO(), width=300)
        print_indicators(r, console, max_issues=40, out=out)
        return console.file.getvalue()

    text = shown(None)
    assert "r.csv, ligne 39 " in text and "r.csv, ligne 40 " not in text and "M39 ·" in text and "M40 ·" not in text
    assert "… et 5 autre(s) : relancez avec --out DOSSIER" in text and "… et 3 autre(s) : relancez avec --out DOSSIER" in text
    written = shown(tmp_path / "sortie")
    assert f"onglet « Contrôle croisé » de {tmp_path / 'sortie' / 'indicateurs.xlsx'}" in written


def test_out_naming_a_file_writes_that_file_and_a_file_not_written_is_refused(tmp_path):
    """« -o indicateurs.xlsx » made a folder of that name with the workbook inside, and
    « -o indicateurs.pdf » a folder too: a manager names the file they want."""
    from openpyxl import load_workbook

    rows = ["A1;CAF;2026-02-01;50000;HT;;PME;;non;;oui;100;;oui;oui;oui;oui;"]
    reg = register(tmp_path, rows)
    for name in ("indicateurs.xlsx", "indicateurs.json", "indicateurs.csv"):
        proc = run_cli("indicators", str(reg), "--year", "2026", "-o", str(tmp_path / name))
        assert proc.returncode == 0 and f"Écrit : {tmp_path / name}" in proc.stderr, proc.stderr
        assert (tmp_path / name).is_file()
    assert load_workbook(tmp_path / "indicateurs.xlsx")["Qualité des données"] is not None
    assert json.loads((tmp_path / "indicateurs.json").read_text(encoding="utf-8"))["indicators"]
    assert (tmp_path / "indicateurs.csv").read_text(encoding="utf-8-sig").startswith("id;")
    refused = run_cli("indicators", str(reg), "--year", "2026", "-o", str(tmp_path / "indicateurs.pdf"))
    assert refused.returncode == 2 and "[AC-E016]" in refused.stderr and "un seul fichier .xlsx, .json ou .csv" in refused.stderr
    assert not (tmp_path / "indicateurs.pdf").exists() and "ENV-P1" not in refused.stdout  # refused before computing
    assert run_cli("indicators", str(reg), "--year", "2026", "-o", str(tmp_path / "sortie.2026")).returncode == 0
    assert (tmp_path / "sortie.2026" / "indicateurs.xlsx").is_file()  # a folder named with a date


def test_lines_not_shown_are_said_to_be_in_the_one_file_written(tmp_path):
    import io

    from rich.console import Console

    from achat_check.report.indicators import print_indicators

    r = indicators(tmp_path, ["A1;CAF;2026-02-01;50000;HT;;PME;;non;;oui;100;;oui;oui;oui;oui;"])
    r.data_quality = [DataIssue(kind="déclaration contradictoire", source=f"r.csv, ligne {n}", message="m") for n in range(45)]

    def shown(out: Path) -> str:
        console = Console(file=io.StringIO(), width=300)
        print_indicators(r, console, max_issues=40, out=out)
        return console.file.getvalue()

    assert f"… et 5 autre(s) : onglet « Qualité des données » de {tmp_path / 'i.xlsx'}\n" in shown(tmp_path / "i.xlsx")
    assert f"… et 5 autre(s) : {tmp_path / 'i.json'}\n" in shown(tmp_path / "i.json")
    assert "… et 5 autre(s) : relancez avec --out DOSSIER" in shown(tmp_path / "i.csv")  # the CSV has the indicators only


def test_the_terminal_table_is_never_cropped(tmp_path):
    """On an 80-column terminal the table of two years lost its « cible » column to rich's
    cropping, four years more; the rate and its fraction stay whole."""
    import io

    from rich.console import Console

    from achat_check.report.indicators import print_indicators

    rows = ["A1;CAF;2025-02-01;50000;HT;;PME;;non;;oui;100;;oui;oui;oui;oui;",
            "A2;CAF;2026-02-01;50000;HT;;PME;;non;;oui;100;;oui;oui;oui;oui;"]

    def shown(years, width: int) -> list[str]:
        console = Console(file=io.StringIO(), width=width)
        print_indicators(indicators(tmp_path, rows, years=years), console)
        return console.file.getvalue().splitlines()

    two = shown((2025, 2026), 80)
    assert any("┃ cible ┃" in line for line in two) and all(len(line) <= 80 for line in two)
    assert any("100,0 %" in line and "│ 100 % │" in line for line in two) and any("(1/1)" in line for line in two)
    four = shown((2023, 2024, 2025, 2026), 80)  # too wide: one table per year, every column shown
    assert sum("Indicateurs rso-2025 — ensemble — " in line for line in four) == 4
    assert sum("┃ cible ┃" in line for line in four) == 4 and all(len(line) <= 80 for line in four)
    wide = shown((2023, 2024, 2025, 2026), 200)
    assert sum("┃ cible ┃" in line for line in wide) == 1 and any("┃ 2023 ┃ 2024 ┃" in line for line in wide)


def test_hundreds_of_organisations_are_computed_and_shown_in_bounds(tmp_path):
    """By organisation, a national register (hundreds of buyers): each lookup scanned every
    indicator and the XLSX re-measured its sheet on each row; 20,000 lines did not finish in
    15 minutes.  The terminal shows the first groups and says where the others are."""
    import io

    from rich.console import Console

    from achat_check.report.indicators import print_indicators

    rows = [f"M{n};Organisme {n % 40:02d};2026-02-01;50000;HT;;PME;;non;;oui;100;;oui;oui;oui;oui;" for n in range(200)]
    r = indicators(tmp_path, rows, by="organisation")
    groups = sorted({i.group for i in r.indicators if i.group})
    assert len(groups) == 40
    env = r.find("ENV-P1", 2026, "Organisme 07")
    assert env is not None and (env.numerator, env.denominator) == (5, 5) and env.group == "Organisme 07"
    assert r.find("ENV-P1", None, None) is r.find("ENV-P1", 2026, None)  # no year: the first one
    r.indicators.append(env.model_copy(update={"group": "Organisme ajouté"}))
    assert r.find("ENV-P1", 2026, "Organisme ajouté").group == "Organisme ajouté"  # the index follows the list
    console = Console(file=io.StringIO(), width=300)
    print_indicators(r, console, max_groups=30)
    text = console.file.getvalue()
    assert "— Organisme 29" in text and "— Organisme 30" not in text
    assert "… et 11 autre(s) groupe(s) : relancez avec --out DOSSIER" in text


def test_each_group_table_at_the_terminal_says_its_remarks_under_it():
    """`--by` printed a table per branch whose « — » said no why (the whole's remarks only,
    at the end, under the last branch's table); the page said it under each value.  Agricole's plan is « — » because no
    organisation of the branch gives it; Maladie's plan is known and names who counts."""
    import io

    from rich.console import Console

    from achat_check.report.indicators import print_indicators

    r = run(ROOT / "corpus/registres/marches.csv", [2026], organisations=ROOT / "corpus/registres/organismes.csv",
            by="branche", today=TODAY)
    assert r.find("ENV-P2-PLAN", 2026, "Agricole").value is None
    console = Console(file=io.StringIO(), width=200)
    print_indicators(r, console)
    text = console.file.getvalue()
    agricole = text[text.index("Remarques — Agricole"):text.index("— Famille")]
    assert "• ENV-P2-PLAN : valeur inconnue (plan de réduction) pour tous les organismes du registre des organismes." in agricole
    maladie = text[text.index("Remarques — Maladie"):]
    plan = r.find("ENV-P2-PLAN", 2026, "Maladie")
    assert plan.numerator and f"• ENV-P2-PLAN : {plan.note}." in maladie[: maladie.index("— Recouvrement")]
    assert plan.note.startswith("organisme(s) compté(s) au numérateur : ")  # who has a plan, not who lacks one
    # the whole's remarks under its own table (after the last group's, they read as that group's)
    assert text.index("Remarques — ensemble") < text.index("— Agricole (seuil")
    # a remark every group shares with the whole is said once
    assert text.count("ECO-P1-DELAY : registre des paiements non fourni (--payments).") == 1


def test_scanning_many_dces_points_to_the_batch(tmp_path):
    register = tmp_path / "marches.csv"
    lines = [f"M-{i};CAF;2026-03-15;144000;{tmp_path / 'absent' / str(i)}" for i in range(101)]
    register.write_text("id_marche;nom_acheteur;date_notification;montant;dce\n" + "\n".join(lines) + "\n", encoding="utf-8")
    proc = run_cli("indicators", str(register), "--year", "2026", "--scan", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    said = " ".join(proc.stderr.split())
    assert "101 DCE à vérifier l'un après l'autre" in said and f"achat-check batch --register {register}" in said
    few = tmp_path / "peu.csv"
    few.write_text("id_marche;nom_acheteur;date_notification;montant;dce\n" + "\n".join(lines[:3]) + "\n", encoding="utf-8")
    assert "l'un après l'autre" not in run_cli("indicators", str(few), "--year", "2026", "--scan", "--format", "json").stderr


def test_a_cell_written_but_unreadable_is_one_issue_not_two(tmp_path):
    """« 31/02/2026 » and « abc » were reported illisible, then again manquant: a buyer read
    four issues for two cells.  Each is said once, with what follows from it."""
    path = tmp_path / "marches.csv"
    path.write_text("id_marche;objet;date_notification;montant\nM1;Nettoyage;31/02/2026;abc\nM2;Gardiennage;;\n", encoding="utf-8")
    report = run(path, [2026], today=TODAY)
    said = {(d.market_id, d.kind): d.message for d in report.data_quality}
    assert said[("M1", "date illisible")].endswith("marché exclu de toute année.")
    assert said[("M1", "montant illisible")] == "montant « abc » illisible : marché exclu des taux (compté dans les nombres)."
    assert ("M1", "date manquante") not in said and ("M1", "montant manquant") not in said
    assert ("M2", "date manquante") in said and ("M2", "montant manquant") in said  # empty cells are still said missing


def test_payments_with_unreadable_or_no_dates_are_said_so(tmp_path):
    """« 2026-13-01 » was reported as a missing date, and a payment with neither date was
    dropped without a word (it falls in no year)."""
    path = tmp_path / "paiements.csv"
    path.write_text("date_reception;date_paiement;montant\n2026-13-01;2026-02-01;100\n2026-01-05;2026-01-25;100\n;;50\n",
                    encoding="utf-8")
    register = tmp_path / "marches.csv"
    register.write_text("id_marche;objet;date_notification;montant\nM1;Nettoyage;2026-02-01;30000\n", encoding="utf-8")
    report = run(register, [2026], today=TODAY, payments=path)
    said = {d.kind: d.message for d in report.data_quality}
    assert said["date illisible"].startswith("date de réception ou de paiement illisible")
    assert "(paiements.csv, ligne 2)" in said["date illisible"] and "date manquante" not in said
    assert said["paiement sans date"] == ("1 paiement(s) sans date de réception ni de paiement lisible, comptés dans aucune "
                                          "année (paiements.csv, ligne 4).")
    assert value(report, "ECO-P1-DELAY")[0] == 20


def test_a_yes_no_cell_written_otherwise_is_said_not_silently_unknown(tmp_path):
    """« peut-être » in a oui/non column was read as unknown without a word: the market left
    the rate's denominator and nobody knew which cell to fix."""
    register = tmp_path / "marches.csv"
    register.write_text("id_marche;objet;date_notification;montant;consideration_environnementale;facilitateur\n"
                        "M1;Nettoyage;2026-02-01;30000;peut-être;oui\nM2;Gardiennage;2026-03-01;40000;non;\n", encoding="utf-8")
    report = run(register, [2026], today=TODAY)
    (issue,) = [d for d in report.data_quality if d.kind == "valeur illisible"]
    assert issue.market_id == "M1" and issue.source == "marches.csv, ligne 2"
    assert issue.message == ("colonne « consideration_environnementale » : « peut-être » illisible (attendu : oui ou non) : "
                             "valeur traitée comme inconnue.")
    assert value(report, "ENV-P1") == (0.0, 0, 1)  # M1 unknown, out of the rate; M2 « non »; the empty cell is no issue


@pytest.mark.parametrize(("cell", "expected"), [
    ("Oui (clause d'insertion)", True), ("oui - art. 12 du CCAP", True), ("Oui*", True), ("Avec clause", True),
    ("non, MAPA", False), ("Non concerné", False), ("Sans objet", False), ("Néant", False), ("aucune", False),
    ("Non renseigné", None), ("non communiqué", None), ("Oui/Non", None), ("ouistiti", None), ("nonobstant", None),
])
def test_a_yes_or_no_with_a_comment_is_read(tmp_path, cell, expected):
    """A manager's register writes « Oui (clause d'insertion) » or « Sans objet » (DECP's value
    when none applies) in a oui/non column: each was « illisible », the market out of the
    rate.  A yes or a no followed by a comment is that answer; « non renseigné » still says
    the value is unknown, and « Oui/Non » (the template's hint copied) answers nothing."""
    register = tmp_path / "marches.csv"
    register.write_text("id_marche;objet;date_notification;montant;consideration_environnementale\n"
                        f"M1;Nettoyage;2026-02-01;30000;{cell}\n", encoding="utf-8")
    report = run(register, [2026], today=TODAY)
    assert next(m for m in report.markets if m.id == "M1").env_consideration is expected
    unreadable = [d for d in report.data_quality if d.kind == "valeur illisible"]
    assert len(unreadable) == (expected is None)


def test_an_amount_says_its_own_currency_and_tax_basis(tmp_path):
    """« 375 000 euros », as DCEs write it, was « illisible »; « 48 000 € TTC » in a register
    without a « montant_type » column was taken HT (in scope at 48 000 € HT).  The cell's
    « TTC » or « HT » is the amount's own: kept, and said when the column says otherwise."""
    register = tmp_path / "marches.csv"
    register.write_text("id_marche;objet;date_notification;montant;montant_type\n"
                        "M1;Nettoyage;2026-02-01;375 000 euros;\n"
                        "M2;Gardiennage;2026-03-01;48 000 € TTC;\n"
                        "M3;Repas;2026-04-01;24 000 € T.T.C.;HT\n"
                        "M4;Fournitures;2026-05-01;30 000 € HT;\n", encoding="utf-8")
    report = run(register, [2026], today=TODAY)
    amounts = {m.id: m.amount_ht for m in report.markets}
    assert amounts == {"M1": 375000, "M2": 40000, "M3": 20000, "M4": 30000}
    assert not [d for d in report.data_quality if d.kind == "montant illisible"]
    (contra,) = [d for d in report.data_quality if d.kind == "déclaration contradictoire"]
    assert contra.market_id == "M3" and contra.message == (
        "montant « 24 000 € T.T.C. » écrit TTC, colonne « montant_type » : HT : le montant est pris TTC, à corriger dans le registre.")
    # a « Montant TTC » heading declares TTC too: a cell that says HT contradicts the heading, not a column it lacks
    register.write_text("id_marche;objet;date_notification;Montant TTC\nM5;Repas;2026-04-01;30 000 € HT\n", encoding="utf-8")
    report = run(register, [2026], today=TODAY)
    assert [m.amount_ht for m in report.markets] == [30000]
    (contra,) = [d for d in report.data_quality if d.kind == "déclaration contradictoire"]
    assert contra.message == ("montant « 30 000 € HT » écrit HT, en-tête « Montant TTC » : TTC : le montant est pris HT, "
                              "à corriger dans le registre.")


def test_headings_with_their_answers_in_brackets_or_abbreviated_are_read(tmp_path):
    """« Clause sociale (O/N) », « Critère env. (O/N) », « Date notif. » or the template's own
    descriptions as headings (« Passé avec un facilitateur (oui/non) ») were « non
    reconnue », their values unread; « Date notif. » stopped the run without a word of it."""
    register = tmp_path / "marches.csv"
    register.write_text("N° de marché;Date notif.;Montant (TTC);Clause sociale (O/N);Critère env. (O/N);Clause env. [oui/non];"
                        "Passé avec un facilitateur (oui/non);Heures d'insertion réalisées dans l'année\n"
                        "H1;02/03/2026;60000;O;N;O;O;300\n", encoding="utf-8")
    issues: list[DataIssue] = []
    (m,) = load_markets(register, issues)
    assert (m.amount, m.amount_is_ttc, m.social_clause, m.env_criterion, m.env_clause, m.facilitator, m.insertion_hours) == (
        60000, True, True, False, True, True, 300)
    assert not [d for d in issues if d.kind == "colonne non lue"]
    assert value(run(register, [2026], today=TODAY), "ENV-P1") == (1.0, 1, 1)
    # a required column missing names the heading that may be it
    register2 = tmp_path / "autre.csv"
    register2.write_text("id_marche;Jour de signature;montant\nH1;02/03/2026;60000\n", encoding="utf-8")
    with pytest.raises(AchatCheckError) as err:
        run(register2, [2026], today=TODAY)
    assert "renommez-la" not in err.value.message  # nothing close: no guess
    register.write_text("id_marche;Date not.;montant\nH1;02/03/2026;60000\n", encoding="utf-8")
    with pytest.raises(AchatCheckError) as err:
        run(register, [2026], today=TODAY)
    assert "colonne(s) obligatoire(s) absente(s) : date_notification." in err.value.message
    assert "si « Date not. » donne date_notification, renommez-la ainsi." in err.value.message


def test_two_columns_sharing_a_description_are_named_by_neither():
    from achat_check.indicators.registers import MARKET_COLUMNS, _names

    names = _names(MARKET_COLUMNS)
    assert "valeurs_decp_separees_par_ou_entre_guillemets" not in names
    assert names["passe_avec_un_facilitateur"] == "facilitateur"


def test_a_workbook_opening_on_another_sheet_is_read_on_the_register_s_sheet(tmp_path):
    """A workbook whose first sheet is a « Synthèse » and whose register is on « Registre »
    was read on the first sheet and refused (« colonnes lues : Synthèse des achats 2026 »)."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "Synthèse"
    wb.active.append(["Synthèse des achats 2026"])
    ws = wb.create_sheet("Registre")
    ws.append(["Registre des marchés notifiés"])
    ws.append(["id_marche", "date_notification", "montant", "consideration_environnementale"])
    ws.append(["R1", "2026-03-02", 50000, "oui"])
    wb.save(tmp_path / "classeur.xlsx")
    issues: list[DataIssue] = []
    assert [m.id for m in load_markets(tmp_path / "classeur.xlsx", issues)] == ["R1"]
    (said,) = [i for i in issues if i.kind == "feuille"]
    assert said.message == ("feuille « Registre » lue : la première qui nomme les colonnes du registre (« Synthèse » ne "
                            "les nomme pas) ; nommez-la « Marchés » pour le dire.")
    ws.title = "Notes"  # no sheet names the columns: refused with the sheets' names
    ws.delete_rows(2)
    wb.save(tmp_path / "classeur.xlsx")
    with pytest.raises(AchatCheckError) as err:
        load_markets(tmp_path / "classeur.xlsx", [])
    assert err.value.code == "AC-E015" and err.value.message.startswith(
        "aucune des 2 feuilles (« Synthèse », « Notes ») ne nomme les colonnes obligatoires id_marche, date_notification "
        "dans ses 10 premières lignes : nommez « Marchés » la feuille du registre")


@pytest.mark.parametrize("heading", ["Montant maximum HT", "Montant max. HT", "Montant HT maximum", "Montant initial HT"])
def test_an_accord_cadre_s_maximum_is_the_market_s_amount(tmp_path, heading):
    """DECP's « montant » is « HT initial forfaitaire … ou estimé maximum »: a register of
    accords-cadres heads it « Montant maximum HT », « non reconnue » before, every market
    « montant manquant » and out of the rates."""
    path = tmp_path / "registre.csv"
    path.write_text(f"id_marche;date_notification;{heading}\nM1;2026-02-01;80000\n", encoding="utf-8")
    issues: list[DataIssue] = []
    (m,) = load_markets(path, issues)
    assert m.amount == 80000 and not m.amount_is_ttc and not issues
    path.write_text("id_marche;date_notification;Montant maximum TTC\nM1;2026-02-01;96000\n", encoding="utf-8")
    (m,) = load_markets(path, [])
    assert m.amount == 96000 and m.amount_is_ttc


def test_a_facilitator_or_a_reservation_named_in_its_yes_no_column_says_yes(tmp_path):
    """A manager writes who facilitated (« PLIE Métropole ») or how the market is reserved
    (« ESAT/EA », « SIAE ») where the template asks oui/non: each was « illisible » and the
    market not counted; the reservation's type is kept when « type_reserve » says none."""
    path = tmp_path / "registre.csv"
    path.write_text("id_marche;date_notification;montant;facilitateur;marche_reserve;type_reserve\n"
                    "M1;2026-02-01;50000;PLIE Métropole;ESAT/EA;\n"
                    "M2;2026-03-01;50000;Maison de l'emploi du Val;L2113-13;\n"
                    "M3;2026-04-01;50000;M. Dupont;SIAE;ESS\n"
                    "M4;2026-05-01;50000;non;non;\n"
                    "M5;2026-06-01;50000;non;Établissement et service d'aide par le travail;\n", encoding="utf-8")
    issues: list[DataIssue] = []
    markets = {m.id: m for m in load_markets(path, issues)}
    assert [(markets[k].facilitator, markets[k].reserved, markets[k].reserved_kind) for k in ("M1", "M2", "M3", "M4", "M5")] == [
        (True, True, "ESAT/EA"), (True, True, "L2113-13"), (None, True, "ESS"), (False, False, ""),
        (False, True, "Établissement et service d'aide par le travail")]  # the protected sector's names, as PC-8 reads them
    (said,) = [i for i in issues if i.kind == "valeur illisible"]  # a person's name says nothing of a facilitator
    assert said.market_id == "M3" and "attendu : oui, non ou le nom du facilitateur" in said.message
    legacy = run(path, [2026], "plan-cadre-2015", today=TODAY)
    assert value(legacy, "PC-8")[0] == 2  # M1 ESAT/EA and M5: the protected sector


def test_number_cells_take_their_unit_and_an_unreadable_one_is_said(tmp_path):
    """« 1 150 h » of insertion hours was read as unknown, silently: hours, headcount and VAT
    rate take the unit a person types; a cell still unreadable is a data issue."""
    register = tmp_path / "marches.csv"
    register.write_text("id_marche;objet;date_notification;montant;montant_type;taux_tva;effectif_titulaire;heures_insertion\n"
                        "M1;Nettoyage;2026-02-01;36000;TTC;20 %;120 salariés;1 150 h\n"
                        "M2;Gardiennage;2026-03-01;40000;HT;;;mille\n", encoding="utf-8")
    report = run(register, [2026], today=TODAY)
    m1 = next(m for m in report.markets if m.id == "M1")
    assert m1.amount_ht == 30000 and m1.sme is True and m1.insertion_hours == 1150
    (issue,) = [d for d in report.data_quality if d.kind == "valeur illisible"]
    assert issue.market_id == "M2" and "colonne « heures_insertion » : « mille » illisible (nombre attendu)" in issue.message


def test_a_decp_date_or_amount_written_but_unreadable_is_said_as_such(tmp_path):
    """In a DECP file too, « 2026-13-01 » is an unreadable date, not a missing one."""
    record = {"id": "M1", "dateNotification": "2026-13-01", "montant": "beaucoup", "acheteur": {"id": "1", "nom": "CAF"}}
    path = tmp_path / "decp.json"
    path.write_text(json.dumps({"marches": [record]}), encoding="utf-8")
    report = run(path, [2026], today=TODAY)
    said = {d.kind: d.message for d in report.data_quality if d.market_id == "M1"}
    assert said["date illisible"] == "date de notification « 2026-13-01 » illisible : marché exclu de toute année."
    assert said["montant illisible"].startswith("montant « beaucoup » illisible : marché exclu des taux")
    assert "date manquante" not in said and "montant manquant" not in said


def test_a_value_no_register_line_gives_is_unknown_and_says_how_to_give_it(tmp_path):
    """A DECP register of the 2019 format carries no consideration, facilitator, reserved market
    or hours: the rates showed « — » with no reason, and the counts 0 facilitator, 0 reserved
    market and 0 hour, as if none were."""
    rows = ["D1;CAF;2026-02-01;50000;HT;;;;;;;;;;;;;", "D2;CAF;2026-03-01;90000;HT;;;;;;;;;;;;;"]
    r = indicators(tmp_path, rows, years=(2025, 2026))
    for iid, label in (("ENV-P1", "considération environnementale"), ("SOC-P1", "considération sociale"), ("ECO-P1-PME", "titulaire PME")):
        ind = r.find(iid, 2026)
        assert ind.value is None and ind.note.startswith(f"valeur inconnue ({label}) pour tous les marchés ≥ 25 000 € HT de l'année : ")
    assert "(--reports)" in r.find("ENV-P1", 2026).note and "« categorie_titulaire »" in r.find("ECO-P1-PME", 2026).note
    for iid in ("SOC-P2-FACILITATOR", "SOC-P2-RESERVED", "SOC-P2-HOURS"):
        assert r.find(iid, 2026).value is None, iid
    assert "colonne « facilitateur »" in r.find("SOC-P2-FACILITATOR", 2026).note
    assert "colonne « heures_insertion »" in r.find("SOC-P2-HOURS", 2026).note
    assert r.find("ECO-P1-DELAY", 2026).note == "registre des paiements non fourni (--payments)"
    # 2025 has no market: rates have nothing to be over, counts are truly 0
    assert r.find("ENV-P1", 2025).note == "aucun marché notifié cette année dans le registre"
    assert r.find("SOC-P2-FACILITATOR", 2025).value == 0 and r.find("SOC-P2-HOURS", 2025).value == 0
    legacy = indicators(tmp_path, rows, rulebook="plan-cadre-2015")
    assert all(legacy.find(i, 2026).value is None for i in ("PC-1", "PC-4", "PC-5", "PC-8", "PC-8-VOLUME", "PC-10"))


def test_a_year_without_markets_says_the_years_the_register_holds(tmp_path):
    """A real DECP file of markets notified in 2018 and 2019, computed for 2020, gave dashes
    and « aucun marché notifié cette année dans le registre » and no way on: the years its
    markets are of are said, in the words of where the manager is."""
    from achat_check.indicators.compute import API, WEB_PAGE

    rows = ["A1;CAF;2018-02-01;50000;HT;;;;;;;;;;;;;", "A2;CAF;2019-03-01;90000;HT;;;;;;;;;;;;;",
            "A3;CAF;2019-05-01;30000;HT;;;;;;;;;;;;;"]
    r = indicators(tmp_path, rows, years=(2020,))
    assert r.find("ENV-P1", 2020).note == ("aucun marché notifié cette année dans le registre ; ses 3 marchés datés sont notifiés "
                                           "en 2018 et 2019 : calculez ces années (--year 2018-2019)")
    assert r.find("ECO-P1-PME", 2020).note == r.find("ENV-P1", 2020).note
    one = indicators(tmp_path, rows[:1], years=(2020, 2021), asking=WEB_PAGE)
    assert one.find("SOC-P1", 2021).note.endswith("; son marché daté est notifié en 2018 : calculez cette année (« Année(s) » 2018)")
    assert indicators(tmp_path, rows, years=(2020,), asking=API).find("ENV-P1", 2020).note.endswith("(year=2018-2019)")
    # the years computed with markets in them are no way on: a year among them without one says no more
    assert indicators(tmp_path, rows, years=(2017, 2018, 2019)).find("ENV-P1", 2017).note == \
        "aucun marché notifié cette année dans le registre"


def test_values_given_for_some_markets_count_and_say_what_they_leave_out(tmp_path):
    rows = [
        "K1;CAF;2026-02-01;50000;HT;;PME;;non;;oui;200;;oui;oui;oui;oui;",
        "K2;CAF;2026-03-01;90000;HT;;;;;;;;;;;;;",                 # says nothing
        "K3;CAF;2026-04-01;10000;HT;;GE;;non;;non;;;non;non;non;non;",  # below the threshold, no social clause: 0 hour
    ]
    r = indicators(tmp_path, rows)
    assert value(r, "ENV-P1") == (1.0, 1, 1)
    assert r.find("ENV-P1", 2026).note == "1 marché(s) ≥ 25 000 € HT de valeur inconnue (considération environnementale) exclu(s) du taux"
    assert r.find("SOC-P2-FACILITATOR", 2026).value == 1
    assert r.find("SOC-P2-FACILITATOR", 2026).note == "valeur minimale : 1 marché(s) de valeur inconnue (facilitateur) non compté(s)"
    assert r.find("SOC-P2-HOURS", 2026).value == 200 and r.find("SOC-P2-HOURS", 2026).note.startswith("valeur minimale : 1 marché(s)")
    nothing_over = indicators(tmp_path, [rows[2]])
    assert nothing_over.find("ENV-P1", 2026).note == "aucun marché ≥ 25 000 € HT cette année"
    assert nothing_over.find("SOC-P2-HOURS", 2026).value == 0 and not nothing_over.find("SOC-P2-HOURS", 2026).note


def test_the_terminal_says_why_a_value_is_a_dash_once_for_the_years_and_indicators_that_share_it(tmp_path):
    import io

    from rich.console import Console

    from achat_check.report.indicators import print_indicators

    rows = ["D1;CAF;2025-02-01;50000;HT;;;;;;;;;;;;;", "D2;CAF;2026-03-01;90000;HT;;;;;;;;;;;;;"]
    console = Console(file=io.StringIO(), width=400)
    print_indicators(indicators(tmp_path, rows, years=(2024, 2025, 2026)), console)
    text = console.file.getvalue()
    assert "Remarques (" in text
    # the values unknown for the same indicators' markets share a line (was three: one per value)
    assert ("• ENV-P1, ENV-P2, SOC-P1 (2025, 2026) : valeur inconnue (considération environnementale, critère environnemental, "
            "considération sociale) pour tous les marchés ≥ 25 000 € HT de l'année : joignez les rapports de leurs DCE (--reports) "
            "ou faites-les vérifier (--scan).") in text
    assert "• ECO-P1-PME (2025, 2026) : valeur inconnue (titulaire PME) pour tous les marchés ≥ 25 000 € HT de l'année : renseignez" in text
    assert "• ENV-P2-PLAN, SOC-P1-TRAINING (2024, 2025, 2026) : registre des organismes non fourni (--organisations)." in text
    assert "• ENV-P1, ENV-P2, SOC-P1, ECO-P1-PME (2024) : aucun marché notifié cette année dans le registre." in text


def test_no_year_given_says_the_years_the_register_covers(tmp_path):
    rows = ["Y1;CAF;2024-02-01;50000;HT;;PME;;non;;non;;;oui;oui;oui;oui;", "Y2;CAF;2025-03-01;50000;HT;;PME;;non;;non;;;oui;oui;oui;oui;",
            "Y3;CAF;2025-04-01;50000;HT;;PME;;non;;non;;;oui;oui;oui;oui;"]
    proc = run_cli("indicators", str(register(tmp_path, rows)))
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert ("[AC-E016] indiquez l'année : marches.csv couvre 2024 à 2025 (marchés par année de notification : 2024 : 1, "
            "2025 : 2) : --year 2025 (ou --year 2024-2025).") in " ".join(proc.stderr.split())
    undated = run_cli("indicators", str(register(tmp_path, ["Y4;CAF;;50000;HT;;PME;;non;;non;;;oui;oui;oui;oui;"], "vide.csv")))
    assert "aucune date de notification lisible dans vide.csv" in " ".join(undated.stderr.split())


def test_a_register_of_one_year_is_tallied_for_that_year_without_asking(tmp_path):
    """A DECP file of one buyer's 2024 markets was refused without --year, though it names
    the only year there is to tally: that year is taken, and said."""
    rows = ["Y1;CAF;2025-02-01;50000;HT;;PME;;non;;non;;;oui;oui;oui;oui;", "Y2;CAF;2025-03-01;60000;HT;;PME;;non;;non;;;oui;oui;oui;oui;"]
    proc = run_cli("indicators", str(register(tmp_path, rows)), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert "Année 2025 : la seule où marches.csv a des marchés notifiés (--year pour une autre)." in " ".join(proc.stderr.split())
    result = json.loads(proc.stdout)
    assert result["years"] == [2025]


def test_a_rate_not_computed_is_drawn_as_such_not_as_zero(tmp_path):
    """The chart drew a rate not computed (no organisation register) as a bar of 0 %."""
    from achat_check.indicators.export import bar_labels

    r = indicators(tmp_path, ["B1;CAF;2026-02-01;50000;HT;;PME;;non;;non;;;oui;non;oui;oui;",
                              "B2;CAF;2026-03-01;50000;HT;;GE;;non;;non;;;non;non;oui;oui;"])
    assert bar_labels(r, ["ENV-P1", "ENV-P2", "ENV-P2-PLAN"], 2026) == ["50 %", "0 %", "n.c."]


def test_a_bar_says_its_rate_as_the_table_does(tmp_path):
    """5 PME markets of 8: the table said « 62,5 % » and its bar « 62 % » (rounded half to
    even); 2 of 3, « 66,7 % » and « 67 % »."""
    from achat_check.indicators.export import bar_labels, display_value

    pme = ["PME"] * 5 + ["GE"] * 3
    r = indicators(tmp_path, [f"C{n};CAF;2026-02-01;50000;HT;;{size};;non;;non;;;{'oui' if n < 2 else 'non'};non;oui;oui;"
                              for n, size in enumerate(pme)])
    assert display_value(r.find("ECO-P1-PME", 2026)) == "62,5 %"
    assert bar_labels(r, ["ECO-P1-PME", "ENV-P1"], 2026) == ["62,5 %", "25 %"]
    (tmp_path / "3").mkdir()
    third = indicators(tmp_path / "3", [f"D{n};CAF;2026-02-01;50000;HT;;PME;;non;;non;;;{'oui' if n < 2 else 'non'};non;oui;oui;"
                                        for n in range(3)])
    assert bar_labels(third, ["ENV-P1", "ECO-P1-PME"], 2026) == ["66,7 %", "100 %"]


def test_the_terminal_writes_amounts_and_targets_with_their_units_and_remarks_in_the_tables_order():
    import io

    from rich.console import Console

    from achat_check.report.indicators import print_indicators

    r = run(ROOT / "corpus" / "registres" / "marches.csv", [2025, 2026], "plan-cadre-2015", today=TODAY)
    console = Console(file=io.StringIO(), width=200)
    print_indicators(r, console)
    text = console.file.getvalue()
    assert "(3 349 000/5 869 000)" in text and "│ 15 000 000 € │" in text  # were « 3349000/5869000 » and « 15 000 000 »
    said = [line.split(" (")[0] for line in text.split("Remarques")[1].split("Qualité des données")[0].splitlines() if line.startswith("• ")]
    assert said == sorted(said, key=lambda line: [i.id for i in r.indicators].index(line[2:].split(",")[0]))


@pytest.mark.parametrize("suffix", ["xlsx", "ods", "csv", "xls", "xlsx.xls", "csv.xls"])
def test_a_register_titled_above_its_column_names_is_read(tmp_path, suffix):
    """A register kept in a spreadsheet opens on its title and a blank line, the column names
    on row 3: it was refused, « colonnes obligatoires absentes ».  A register kept in
    LibreOffice Calc (.ods) or in Excel 97 (.xls) was refused whole: « enregistrez-le en
    .xlsx »; so was an « export Excel » that is an XLSX or a CSV under a .xls name."""
    rows = [["Registre des marchés de la caisse — exercice 2026"], [], ["Id marché", "Date de notification", "Montant", "Considération sociale"],
            ["T1", date(2026, 3, 1), 50000, "oui"], ["T2", "15/04/2026", "80 000 €", "non"]]
    content, _, suffix = suffix.rpartition(".") if "." in suffix else (suffix, "", suffix)
    path = tmp_path / f"registre.{suffix}"
    if content == "xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        for row in rows:
            wb.active.append(row)
        wb.save(tmp_path / "made.xlsx")  # openpyxl saves under an .xlsx name only
        (tmp_path / "made.xlsx").rename(path)
    elif content in ("ods", "xls"):
        from corpus import makers

        path.write_bytes((makers.make_ods if content == "ods" else makers.make_xls)({"Marchés": rows}))
    else:
        path.write_text("\n".join(";".join(str(c) for c in row) for row in rows) + "\n", encoding="utf-8")
    issues: list[DataIssue] = []
    markets = load_markets(path, issues)
    assert [(m.id, m.source, m.social_consideration, m.notified, m.amount) for m in markets] == [
        ("T1", f"registre.{suffix}, ligne 4", True, date(2026, 3, 1), 50000), ("T2", f"registre.{suffix}, ligne 5", False, date(2026, 4, 15), 80000)]
    if suffix == "csv":  # first rows that never name the required columns: refused, by the first row
        path.write_text("Registre\nA;B\n1;2\n", encoding="utf-8")
        with pytest.raises(AchatCheckError) as caught:
            load_markets(path, [])
        assert "Colonnes lues : Registre." in caught.value.message


def test_the_markets_sheet_is_found_by_its_name_however_written(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Notes"
    wb.active.append(["Registre tenu par le service achats"])
    sheet = wb.create_sheet("MARCHES 2026")
    for row in (["id_marche", "date_notification", "montant"], ["S1", "2026-05-02", 30000]):
        sheet.append(row)
    wb.save(tmp_path / "registre.xlsx")
    assert [m.id for m in load_markets(tmp_path / "registre.xlsx", [])] == ["S1"]


def test_cells_written_as_people_write_them_in_a_register(tmp_path):
    """« 80 k€ », « 1,2 M€ », « 2026/04/15 », an Excel date exported as its number, « T.T.C. »,
    « Petite entreprise »: each was unreadable or unknown."""
    register = tmp_path / "marches.csv"
    register.write_text(
        "id_marche;date_notification;montant;montant_type;categorie_titulaire\n"
        "K1;15 avril 2026;80 k€;HT;Micro-entreprise\n"
        "K2;2026/04/15;1,2 M€;H.T.;Petite entreprise\n"
        "K3;46127;1 234 567,89;T.T.C.;Grande entreprise\n"
        "K4;2026-02-30;12 000;HT;Entreprise de taille intermédiaire\n", encoding="utf-8")
    report = run(register, [2026], today=TODAY)
    got = {m.id: (m.amount_ht, m.sme) for m in report.markets}
    assert got == {"K1": (80000, True), "K2": (1_200_000, True), "K3": (pytest.approx(1_028_806.57), False)}
    (bad,) = [d for d in report.data_quality if d.kind == "date illisible"]  # 30 February is no day
    assert bad.market_id == "K4"

    assert MarketRecord(id="K4", source="", awardee_category="ENTREPRISE DE TAILLE INTERMÉDIAIRE").sme is False


def test_a_decp_file_too_big_to_read_whole_is_refused_clearly(tmp_path, monkeypatch):
    """The national DECP file (more than a gigabyte) would have been read whole, about ten
    times its size in memory: the machine down, or a MemoryError traceback."""
    from achat_check.indicators import registers

    path = tmp_path / "decp.json"
    path.write_text('{"marches": []}' + " " * (2 << 20), encoding="utf-8")
    monkeypatch.setattr(registers, "MAX_JSON_MB", 1)
    with pytest.raises(AchatCheckError) as caught:
        load_markets(path, [])
    assert caught.value.code == "AC-E015" and "fichier JSON de 2 Mo (au plus 1 Mo)" in caught.value.message
    assert "jq" in caught.value.message
    xml = tmp_path / "decp.xml"  # its XML form, under the same bound
    xml.write_text("<marches/>" + " " * (2 << 20), encoding="utf-8")
    with pytest.raises(AchatCheckError) as caught:
        load_markets(xml, [])
    assert caught.value.code == "AC-E015" and "fichier XML de 2 Mo (au plus 1 Mo)" in caught.value.message

    def no_memory(_data):
        raise MemoryError

    monkeypatch.setattr(registers, "MAX_JSON_MB", 300)
    monkeypatch.setattr(registers.json, "loads", no_memory)
    with pytest.raises(AchatCheckError) as caught:
        load_markets(path, [])
    assert "trop gros pour la mémoire" in caught.value.message


def test_a_register_with_its_own_headings_is_read(tmp_path):
    """The headings a purchasing department writes by hand: « Montant HT (€) », « Clause
    d'insertion », « Heures d'insertion », « Titulaire PME » (oui/non) are read as the
    template's columns; before, the amounts were all « manquant » and the rates empty."""
    path = tmp_path / "registre.csv"
    path.write_text("N° marché;Date de notification;Montant HT (€);Considération sociale;Clause d'insertion;"
                    "Heures d'insertion;Titulaire PME\n"
                    "M1;15/03/2026;120 000,00;Oui;Oui;1 200;Oui\n"
                    "M2;02/06/2026;85 500;Non;Non;;Non\n", encoding="cp1252")
    issues: list[DataIssue] = []
    m1, m2 = load_markets(path, issues)
    assert (m1.amount, m1.social_clause, m1.insertion_hours, m1.sme) == (120000.0, True, 1200.0, True)
    assert (m2.amount, m2.social_clause, m2.sme) == (85500.0, False, False)
    assert not issues
    report = run(path, [2026], "rso-2025", today=TODAY)
    assert value(report, "ECO-P1-PME")[1:] == (1, 2) and value(report, "SOC-P1")[1:] == (1, 2)


def test_headings_with_or_without_their_little_words(tmp_path):
    """« Objet du marché », « Nom de l'acheteur », « Catégorie de l'entreprise », « Date de
    mise en paiement »: the same columns as « objet », « nom_acheteur »… (« Objet du marché »
    was « non reconnue » and its values not read)."""
    path = tmp_path / "registre.csv"
    path.write_text("N° du marché;Objet du marché;Nom de l'acheteur;Date de la notification;Montant HT;"
                    "Catégorie de l'entreprise\nM1;Nettoyage des locaux;CAF du Val-de-Lys;15/03/2026;120 000;PME\n",
                    encoding="utf-8")
    issues: list[DataIssue] = []
    (m1,) = load_markets(path, issues)
    assert (m1.id, m1.object, m1.buyer_name, m1.amount, m1.sme) == ("M1", "Nettoyage des locaux", "CAF du Val-de-Lys", 120000.0, True)
    assert not issues
    payments = tmp_path / "paiements.csv"
    payments.write_text("Date de réception de la facture;Date de mise en paiement;Montant\n2026-04-02;2026-04-24;12 500\n",
                        encoding="utf-8")
    issues = []
    (p1,) = load_payments(payments, issues)
    assert p1.delay == 22 and not issues
    # the organisations' register as a department heads it
    from achat_check.indicators.registers import load_organisations

    orgs = tmp_path / "organismes.csv"
    orgs.write_text("Nom de l'organisme;Branche;Date de la dernière formation;Plan de réduction des consommations\n"
                    "CAF du Val-de-Lys;Famille;14/05/2024;oui\n", encoding="utf-8")
    issues = []
    (o1,) = load_organisations(orgs, issues)
    assert (o1.id, o1.social_training.isoformat(), o1.reduction_plan) == ("CAF du Val-de-Lys", "2024-05-14", True) and not issues
    # the awardee as notices name it (« attributaire »), its size as « taille »
    path.write_text("Référence;Date notification;Montant notifié HT;Attributaire;SIRET attributaire;Taille entreprise\n"
                    "A1;15/03/2026;120000;Net'Services;41234567800019;PME\n", encoding="utf-8")
    issues = []
    (a1,) = load_markets(path, issues)
    assert (a1.awardee_name, a1.awardee_id, a1.sme) == ("Net'Services", "41234567800019", True) and not issues


def test_a_column_nothing_reads_is_said_with_the_name_expected(tmp_path):
    path = tmp_path / "registre.csv"
    path.write_text("id_marche;date_notification;montant;Facilitateur clause;Montant TTC;Commentaires\n"
                    "M1;2026-03-15;120000;oui;144000;RAS\n", encoding="utf-8")  # « montant » read first
    issues: list[DataIssue] = []
    load_markets(path, issues)
    said = {i.message.split(" : ")[0]: i for i in issues if i.kind == "colonne non lue"}
    assert set(said) == {"colonne « Facilitateur clause » non reconnue", "colonne « Montant TTC »",
                         "colonne « Commentaires » non reconnue"}
    assert "si elle donne « facilitateur », renommez-la ainsi" in said["colonne « Facilitateur clause » non reconnue"].message
    assert "elle donne « montant », déjà lu dans la colonne 3 (« montant »)" in said["colonne « Montant TTC »"].message
    assert said["colonne « Commentaires » non reconnue"].source == "registre.csv, ligne 1"
    # a column named twice, or a second column for the same data: one is read, and which is said
    path.write_text("id_marche;date_notification;montant;Montant HT;date_notification\n"
                    "M1;2026-03-15;120000;130000;2026-04-01\n", encoding="utf-8")
    issues = []
    (m1,) = load_markets(path, issues)
    assert m1.amount == 120000 and str(m1.notified) == "2026-03-15"
    assert [i.message for i in issues if i.kind == "colonne non lue"] == [
        "colonne « Montant HT » : elle donne « montant », déjà lu dans la colonne 3 (« montant ») : ses valeurs ne sont "
        "pas lues ; supprimez ou renommez l'une des deux.",
        "colonne « date_notification » : elle donne « date_notification », déjà lu dans la colonne 2 "
        "(« date_notification ») : ses valeurs ne sont pas lues ; supprimez ou renommez l'une des deux."]
    # the template's own columns leave nothing unread
    issues = []
    load_markets(ROOT / "corpus" / "registres" / "marches.csv", issues)
    assert not [i for i in issues if i.kind == "colonne non lue"]


@pytest.mark.parametrize(("cell", "expected"), [("✓", True), ("✔", True), ("☑", True), ("☐", False), ("✗", None)])
def test_tick_marks_of_a_spreadsheet(cell, expected):
    from achat_check.indicators.registers import parse_bool

    assert parse_bool(cell) is expected


def test_a_ttc_amount_heading_sets_the_amounts_ttc(tmp_path):
    path = tmp_path / "registre.csv"
    path.write_text("id_marche;date_notification;Montant TTC\nM1;2026-03-15;144 000\n", encoding="utf-8")
    issues: list[DataIssue] = []
    (m,) = load_markets(path, issues)
    assert (m.amount, m.amount_is_ttc) == (144000.0, True)
    report = run(path, [2026], "rso-2025", today=TODAY)
    assert any(i.kind == "TTC converti" and "120 000 € HT" in i.message for i in report.data_quality)
    # a montant_type column keeps its say
    path.write_text("id_marche;date_notification;Montant TTC;montant_type\nM1;2026-03-15;144 000;HT\n", encoding="utf-8")
    (m,) = load_markets(path, [])
    assert m.amount_is_ttc is False


def test_a_registers_totals_row_is_no_market_nor_payment(tmp_path):
    """A spreadsheet's « Total » row was a market « without a notification date »; an
    identifier that begins with « TOTAL » but has its date is a market."""
    markets = tmp_path / "marches.csv"
    markets.write_text("id_marche;date_notification;montant\nM1;2026-03-01;40000\nTOTAL-2;2026-04-01;30000\n"
                       "Sous-total lot 1;;70000\nTotal;;70000\n", encoding="utf-8")
    issues: list[DataIssue] = []
    assert [m.id for m in load_markets(markets, issues)] == ["M1", "TOTAL-2"]
    assert [(d.kind, d.source) for d in issues] == [("ligne de total", "marches.csv, ligne 4"), ("ligne de total", "marches.csv, ligne 5")]
    payments = tmp_path / "paiements.csv"
    payments.write_text("date_reception;date_paiement;montant\n2026-03-01;2026-03-20;100\nTOTAL GÉNÉRAL;;100\n", encoding="utf-8")
    issues = []
    assert len(load_payments(payments, issues)) == 1
    assert [(d.kind, d.source) for d in issues] == [("ligne de total", "paiements.csv, ligne 3")]


def test_one_organisation_however_its_dces_write_its_name():
    """By organisation from the batches' reports, one buyer written in capitals on one DCE's
    cover and in lower case on another's (« MAIRIE DE COUPVRAY » and « Mairie de Coupvray » in
    the real DCEs; our UGECAM sample read in both forms) made two organisations, each with its
    own rates.  The names equal once folded are one organisation; each market keeps its name as
    written."""
    from achat_check.indicators import from_reports, organisation_names, parse_years
    from achat_check.model import DocKind, DocumentReport, MarketReport

    def report(buyer: str, env: bool) -> MarketReport:
        r = MarketReport(rulebook="rso-2025", rules_version="r1", tool_version="0.1",
                         documents=[DocumentReport(path="RC.pdf", name="RC.pdf", format="pdf", kind=DocKind.RC, pages=3)])
        r.facts.buyer, r.facts.consultation_date, r.facts.estimated_amount_ht = buyer, date(2026, 3, 2), 90000.0
        r.flags.env_consideration = env
        return r

    reports = {"m1": report("UGECAM RIVES-DE-GARONNE", True), "m2": report("UGECAM Rives-de-Garonne", False),
               "m3": report("Ugecam  Rives-de-Garonne", True), "m4": report("CAF de l’Hérault", False),
               "m5": report("CAF DE L'HERAULT", True), "m6": report("", True)}
    markets = from_reports(reports)
    assert [(m.buyer_name, m.organisation) for m in markets] == [
        ("UGECAM RIVES-DE-GARONNE", "UGECAM Rives-de-Garonne"), ("UGECAM Rives-de-Garonne", "UGECAM Rives-de-Garonne"),
        ("Ugecam  Rives-de-Garonne", "UGECAM Rives-de-Garonne"), ("CAF de l’Hérault", "CAF de l’Hérault"),
        ("CAF DE L'HERAULT", "CAF de l’Hérault"), ("", "acheteur non trouvé dans le DCE")]
    r = compute_indicators(markets, parse_years(["2026"]), reports=reports, by="organisation")
    assert sorted({i.group for i in r.indicators if i.group}) == ["CAF de l’Hérault", "UGECAM Rives-de-Garonne",
                                                                  "acheteur non trouvé dans le DCE"]
    env = r.find("ENV-P1", 2026, "UGECAM Rives-de-Garonne")
    assert (env.numerator, env.denominator) == (2, 3)
    # the most frequent form names the organisation, a form in capitals only when no other is as frequent
    assert organisation_names(["MAIRIE DE COUPVRAY", "MAIRIE DE COUPVRAY", "Mairie de Coupvray"])["Mairie de Coupvray"] == "MAIRIE DE COUPVRAY"
    # a ligature typed as two letters is the same name (« Œuvres » on a cover, « Oeuvres » in an RC)
    assert organisation_names(["Œuvres sociales de l’Hérault", "OEUVRES SOCIALES DE L'HERAULT"])["OEUVRES SOCIALES DE L'HERAULT"] \
        == "Œuvres sociales de l’Hérault"


def test_a_long_unreadable_cell_is_named_not_printed(tmp_path):
    """A data-quality line printed the whole cell: 5,000 characters of a pasted paragraph in
    « heures_insertion » filled the terminal table, the CSV and the XLSX."""
    row = ROWS_2026[0].split(";")
    row[11] = "voir le détail des heures " + "x" * 5000  # heures_insertion
    row[2] = "date " * 400  # date_notification
    issues: list[DataIssue] = []
    load_markets(register(tmp_path, [";".join(row)]), issues)
    said = {i.kind: i.message for i in issues}
    assert said["valeur illisible"] == ("colonne « heures_insertion » : « voir le détail des heures "
                                        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx… » illisible (nombre attendu) : valeur traitée comme inconnue.")
    assert said["date illisible"].startswith("date de notification « date date") and len(said["date illisible"]) < 140
    issues = []
    record = MarketRecord(id="M1", source="decp.json, marché 1")
    apply_decp_values(record, ["Clause sociale", "y" * 3000], [], issues)
    assert [i.message for i in issues] == [f"valeur(s) DECP inconnue(s) : {'y' * 59}… (ignorées)."]


def _register_workbook(suffix: str) -> bytes:
    from corpus import makers

    lines = ROWS_2026 + [f"M{n};CAF;2026-05-01;{30000 + n};HT;;PME;;non;;non;;;oui;oui;non;non;" for n in range(3, 400)]
    rows = [line.split(";") for line in (HEADER + "\n".join(lines)).splitlines()]
    return makers.make_xlsx({"Marchés": rows}) if suffix == ".xlsx" else makers.make_ods({"Marchés": rows})


@pytest.mark.parametrize(("suffix", "damage", "said"), [
    (".xlsx", "deflate", "classeur XLSX illisible (données compressées abîmées)"),
    (".xlsx", "middle", "classeur XLSX illisible (somme de contrôle fausse : contenu abîmé)"),
    (".xlsx", "xml", "classeur XLSX illisible (XML invalide : contenu abîmé)"),
    (".ods", "xml", "classeur ODS illisible (XML invalide : contenu abîmé)"),
])
def test_a_damaged_workbook_register_is_a_clear_error(tmp_path, suffix, damage, said):
    """openpyxl reads a sheet's start when it opens the workbook and the rest as the rows are
    asked for: damage past that start (its XML, its deflated bytes, met first by the search
    for formulas never computed) failed past the guard, « Erreur interne (ParseError…) »,
    « (error: Error -3 while decompressing data…) »."""
    import io
    import zipfile

    data = _register_workbook(suffix)
    part = "xl/worksheets/sheet1.xml" if suffix == ".xlsx" else "content.xml"
    if damage == "xml":
        data = edit_package(data, {part: lambda xml: xml.replace(b"</", b"<", 3)})
    else:
        out = bytearray(data)
        info = zipfile.ZipFile(io.BytesIO(data)).getinfo(part)
        start = info.header_offset + 30 + len(info.filename) + len(info.extra)
        at = start if damage == "deflate" else start + info.compress_size // 2
        out[at : at + 8] = b"\xff" * 8  # a deflate block of type 3, which does not exist
        data = bytes(out)
    path = tmp_path / f"marches{suffix}"
    path.write_bytes(data)
    proc = run_cli("indicators", str(path), "--year", "2026")
    out = " ".join(proc.stderr.split())
    assert proc.returncode == 2 and "[AC-E015]" in out and said in out, out
    assert "Erreur interne" not in out and "Traceback" not in out

