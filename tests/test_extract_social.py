"""Insertion hours, durations and facilitator names, on wording seen in DCEs."""

from __future__ import annotations

from datetime import date

import pytest

from achat_check.analysis import Analyzer
from achat_check.extract.duration import find_duration
from achat_check.extract.insertion import facilitator_name, read_hours

ANALYZER = Analyzer()


def hours_of(text: str, months: float | None):
    doc, _ = ANALYZER.scan_text(text)
    return read_hours(doc, 0, len(doc.text), months)


@pytest.mark.parametrize(
    ("text", "months", "stated", "period", "total"),
    [
        ("Le titulaire réserve à ces personnes le nombre d'heures de travail suivant :\n3 000 heures, par année d'exécution du marché.", 48, 3000, "an", 12000),
        ("Le volume d'heures d'insertion est fixé à 1 200 heures par an.", 36, 1200, "an", 3600),
        ("Le titulaire réalise 450 heures d'insertion sur la durée du marché.", 48, 450, "marché", 450),
        ("Le titulaire réalise une action d'insertion représentant l'équivalent de 2 ETP sur la durée du chantier, un équivalent temps plein correspondant à 1 607 heures.", 14, 3214, "marché", 3214),
        ("Le volume d'heures d'insertion est fixé à 1 200 heures par an.", None, 1200, "an", None),
        # the figures after the words, as real delays are written (« trente (30) jours »)
        ("La clause d'insertion représente un volume de sept cents (700) heures sur la durée du marché.", 24, 700, "marché", 700),
    ],
)
def test_hours(text, months, stated, period, total):
    h = hours_of(text, months)
    assert (h.stated, h.period, h.total) == (stated, period, total)


def test_a_meeting_s_length_is_no_insertion_hours():
    """A real CCTP's steering meeting on the clause, in a table without full stops: its
    « Durée : 1h30 à 2h » was read as 2 hours of insertion."""
    meeting = ("Objectifs de la réunion\n- Suivi de l'exécution de la clause d'insertion sociale\n"
               "- Point sur les difficultés\nFréquence : semestrielle\nDurée : 1h30 à 2h, selon les points à traiter")
    assert hours_of(meeting, 48) is None
    assert hours_of("Clause d'insertion\nLe titulaire réserve 800 h d'insertion par an aux publics éloignés de l'emploi.", 24).total == 1600


def test_hours_basis_writes_counts_as_french_does():
    assert hours_of("Le volume d'heures d'insertion est fixé à 1 200 heures par an.", 18).basis == (
        "1 200 heures par an × 1,5 an (durée maximale du marché)")
    assert hours_of("Le volume d'heures d'insertion est fixé à 3 000 heures par an.", 48).basis == (
        "3 000 heures par an × 4 ans (durée maximale du marché)")  # a real contract: was « × 4 (années de durée maximale) »
    assert hours_of("L'insertion représente 2 ETP sur la durée du marché, un équivalent temps plein correspondant "
                    "à 1 607 heures.", 14).basis == "2 ETP × 1 607 heures (conversion du document)"


def test_hours_given_lot_by_lot_add_up():
    """Each lot's hours in its own sentence: the market's hours are their sum (the first
    lot's alone were reported, under-counting the indicator)."""
    h = hours_of("Action d'insertion\nLe titulaire du lot 1 réalise une action d'insertion représentant au moins 5 % du "
                 "nombre total d'heures de travail nécessaires à l'exécution du lot, soit 140 heures. Le titulaire du "
                 "lot n° 3 réalise 70 heures d'insertion.", 5)
    assert (h.stated, h.total) == (210, 210)
    assert h.basis == "lot 1 : 140 heures ; lot 3 : 70 heures (période non précisée) ; pris comme total du marché"
    yearly = hours_of("Le titulaire du lot 2 réalise 300 heures d'insertion par an. Le titulaire du lot 4 réalise "
                      "200 heures d'insertion par an.", 24)
    assert (yearly.stated, yearly.total) == (500, 1000)


@pytest.mark.parametrize("text", [
    # the same lot twice: a restatement, not two lots
    "Le titulaire du lot 1 réalise 140 heures d'insertion. Pour le lot 1, les 140 heures sont suivies par le facilitateur.",
    # a sentence about several lots
    "Pour les lots 1 et 2, le titulaire réalise 140 heures d'insertion. Le titulaire du lot 3 réalise 70 heures d'insertion.",
    # different periods
    "Le titulaire du lot 1 réalise 140 heures d'insertion par an. Le titulaire du lot 3 réalise 70 heures d'insertion sur la durée du marché.",
])
def test_hours_not_clearly_lot_by_lot_keep_the_first_figure(text):
    assert hours_of(text, 12).stated == 140


def test_etp_without_conversion_keeps_etp_and_no_hours():
    h = hours_of("La clause d'insertion représente 1,5 ETP pendant la durée du marché.", 24)
    assert h.etp == 1.5 and h.stated is None and h.total is None


def test_share_of_labour_hours():
    h = hours_of("Le titulaire réserve à l'insertion 7 % du nombre total d'heures travaillées sur le chantier.", 12)
    assert h.share == 0.07 and h.total is None


def test_placeholder_hours_are_not_numbers():
    h = hours_of("Le titulaire réalise XX heures d'insertion par an.", 12)
    assert h.stated is None and h.total is None and "compléter" in h.basis


def test_hours_not_about_insertion_are_ignored():
    assert hours_of("Les interventions ont lieu de 7 heures à 19 heures, du lundi au vendredi.", 12) is None


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("conclu pour une durée d'un an, reconductible tacitement trois fois par période d'un an, soit une durée maximale de quatre ans.", 48),
        ("Chaque lot est conclu pour une durée ferme de 24 mois sans que leur durée ne puisse excéder 48 mois.", 48),
        ("Le délai global d'exécution est de quatorze mois, période de préparation incluse.", 14),
        ("Le marché est conclu pour un an, reconductible deux fois, soit trois ans au plus.", 36),
        ("Chaque lot est un accord-cadre d'une durée de deux ans reconductible une fois pour deux ans.", 48),
        ("Il s'agit d'un marché conclu pour trois ans.", 36),
        ("Le marché prendra effet à compter de sa date de notification pour une durée de 3 ans.", 36),
        # the AWS-achat model's CCAP (Villeneuve-sur-Lot): the maximum wins, else base + renewals
        ("L'accord-cadre est conclu pour une période initiale de 1 an. Le nombre de périodes de reconduction est fixé à 2. "
         "La durée de chaque période de reconduction est de 1 an. La durée maximale du contrat, toutes périodes confondues, est de 3 ans.", 36),
        ("L'accord-cadre est conclu pour une période initiale de 2 ans. Le nombre de périodes de reconduction est fixé à 2. "
         "La durée de chaque période de reconduction est de 1 an.", 48),
        ("L'accord-cadre est conclu pour une période initiale de 1 an. Le nombre de reconductions est fixé à 3.", 48),
        # BOAMP notices: a span of dates, its first day « 1.e.r » (both days in it)
        ("Lot(s) 1. - transports scolaires.\nDurée : à compter du 1.e.r octobre 2020 jusqu'au 31 août 2021.", 11),
        ("Durée du marché : du 1er janvier 2027 au 31 décembre 2028.", 24),
        ("Prestations divisées en lots : non. Durée du marché ou délai d'exécution : 60 mois à compter de la notification du marché.", 60),
        ("L'avis implique l'établissement d'un accord-cadre. Durée de l'accord-cadre : 4 an(s). Caractéristiques principales :", 48),
        # a notice's lots each with its duration, in days: the longest is the market's (125 days)
        ("Lot(s) 1. - Camion benne\nDurée : 90 jours à compter de la date de notification du marché.\n"
         "Lot(s) 2. - Fourgon\nDurée : 125 jours à compter de la date de notification du marché.\n"
         "Lot(s) 3. - Berline\nDurée : 6 semaines à compter de la notification.", 4.1),
    ],
)
def test_durations(text, months):
    assert find_duration(text).months == months


@pytest.mark.parametrize(
    ("text", "first", "maximum", "shown"),
    [
        ("Le marché est conclu pour une durée d'un an à compter de sa notification. Il est reconductible tacitement trois fois "
         "par période d'un an, sans que sa durée totale puisse excéder quatre ans.", 12, 48, "48 mois (12 mois, reconductible 3 fois)"),
        ("L'accord-cadre prend effet le 1er janvier 2027 pour une période initiale de 24 mois, renouvelable une fois pour 24 mois.",
         24, 48, "48 mois (24 mois, reconductible 1 fois)"),
        ("Il s'agit d'un marché conclu pour trois ans.", 36, 36, "36 mois"),
        # a real CCAP: the renewals in « dans la limite de trois (3) reconductions » were not read
        ("L'accord-cadre est conclu pour une durée d'un (1) an à compter de sa date de notification au titulaire.\n"
         "L'accord-cadre peut ensuite être reconduit tacitement, par périodes d'une année dans la limite de\ntrois (3)\n"
         "reconductions. Ainsi, la durée totale de l'accord-cadre ne pourra excéder quatre (4) années.",
         12, 48, "48 mois (12 mois, reconductible 3 fois)"),
    ],
)
def test_the_first_period_is_reported_beside_the_maximum(tmp_path, text, first, maximum, shown):
    """`facts.duration_months` stayed null in every report: the buyer saw « 48 mois » and not
    that it was one year renewed three times."""
    from achat_check.checker import Checker
    from achat_check.report.labels import fact_rows

    (tmp_path / "CCAP.txt").write_text(f"CCAP\n\nArticle 4 – Durée\n{text}\n", encoding="utf-8")
    report = Checker().check([tmp_path])
    assert (report.facts.duration_months, report.facts.max_duration_months) == (first, maximum)
    assert ("Durée maximale", shown) in fact_rows(report)


#: a real AE (CIAS de la Ténarèze): the first period runs from the notification to a day written
UNTIL_DAY = ("Article 8 – Durée de l'accord-cadre\nL'accord-cadre prend effet à sa notification jusqu’au 31/12/2026. Il est "
             "renouvelable 3 fois par\nreconduction expresse pour une période d’un an à chaque reconduction.")


def test_a_first_period_closed_by_a_day_gives_its_renewals():
    """Nothing was read of it, not even its three renewals: the report said « Durée maximale — »."""
    found = find_duration(UNTIL_DAY)
    assert (found.months, found.base_months, found.renewals, found.per_months) == (None, None, 3, 12)
    assert found.first_end == date(2026, 12, 31)
    assert UNTIL_DAY[found.start:found.end].endswith("d’un an")


def test_a_first_period_closed_by_a_day_counts_from_the_notification_when_known():
    found = find_duration(UNTIL_DAY, notified=date(2025, 4, 15))
    assert (found.months, found.base_months, found.renewals) == (20 + 3 * 12, 20, 3)
    assert found.basis.endswith("notifié le 15/04/2025")
    # notified after the day the first period ends: no period to count
    assert find_duration(UNTIL_DAY, notified=date(2027, 1, 5)).months is None


def test_renewals_by_express_renewal_take_their_own_period():
    text = "L'accord-cadre est conclu pour une durée d'un an. Il est renouvelable 2 fois par reconduction tacite pour une période de six mois."
    found = find_duration(text)
    assert (found.months, found.base_months, found.renewals, found.per_months) == (24, 12, 2, 6)


def test_a_period_to_an_event_is_no_duration():
    assert find_duration("Le marché est conclu à compter de sa notification jusqu'à l'achèvement de la mission.") is None


def test_the_register_s_notification_gives_the_maximum(tmp_path):
    """Without it the report says the first period's end and the renewals; with a register's
    notification day (batch --register), the maximum."""
    from achat_check.checker import Checker
    from achat_check.model import GivenFacts
    from achat_check.report.labels import fact_rows

    (tmp_path / "AE.txt").write_text(f"ACTE D'ENGAGEMENT\n\n{UNTIL_DAY}\n", encoding="utf-8")
    checker = Checker()
    report = checker.check([tmp_path])
    f = report.facts
    assert (f.max_duration_months, f.renewals, f.renewal_months, f.first_period_end) == (None, 3, 12, date(2026, 12, 31))
    assert ("Durée maximale", "de la notification au 31/12/2026, reconductible 3 fois pour 12 mois : maximum selon la date "
            "de notification") in fact_rows(report)
    assert report.facts.evidence["duration"][0].quote.startswith("L'accord-cadre prend effet")
    given = checker.check([tmp_path], given=GivenFacts(notified=date(2025, 4, 15)))
    assert (given.facts.max_duration_months, given.facts.duration_months) == (56, 20)
    assert ("Durée maximale", "56 mois (20 mois, reconductible 3 fois)") in fact_rows(given)
    # a draft checked with its consultation's date (--date): the notification follows it, which bounds the maximum
    draft = checker.check([tmp_path], given=GivenFacts(consultation_date=date(2025, 3, 15)))
    assert draft.facts.max_duration_months is None  # a bound, not the maximum: nothing is counted over it
    # the bound is a fact of the JSON too (it was in the report's label only), none without the date
    assert (draft.facts.max_duration_at_most_months, f.max_duration_at_most_months, given.facts.max_duration_at_most_months) == (58, None, None)
    assert '"max_duration_at_most_months":58.0' in draft.model_dump_json()
    assert ("Durée maximale", "de la notification au 31/12/2026, reconductible 3 fois pour 12 mois : au plus 58 mois "
            "(notification après la consultation du 15/03/2025), maximum exact selon la date de notification") in fact_rows(draft)


def test_a_register_s_duration_stands_in_for_a_maximum_the_documents_do_not_write(tmp_path):
    """The register's « dureeMois » (batch --register): the maximum of a DCE that writes none,
    said as the register's; insertion hours a year are counted over it.  A maximum the
    documents write wins."""
    from achat_check.checker import Checker
    from achat_check.model import GivenFacts
    from achat_check.report.labels import fact_rows

    (tmp_path / "AE.txt").write_text(f"ACTE D'ENGAGEMENT\n\n{UNTIL_DAY}\n", encoding="utf-8")
    (tmp_path / "CCAP.txt").write_text(
        "CCAP\n\nArticle 9 – Clause sociale d'insertion\nLe titulaire réalise une action d'insertion professionnelle au "
        "bénéfice de personnes éloignées de l'emploi. Le volume d'heures d'insertion est de 300 heures par an.\n\n"
        "Article 10 – Montant\nLe montant estimé du marché est de 65 000 € HT par an.\n", encoding="utf-8")
    checker = Checker()
    report = checker.check([tmp_path], given=GivenFacts(duration_months=48))
    f = report.facts
    assert (f.max_duration_months, f.duration_basis, f.renewals, f.first_period_end) == (48, "durée selon le registre", 3, date(2026, 12, 31))
    assert ("Durée maximale", "48 mois (durée selon le registre)") in fact_rows(report)
    assert report.insertion.hours == 1200  # 300 a year over the register's four years, and said so
    assert report.insertion.hours_basis == "300 heures par an × 4 ans (durée selon le registre)"
    assert (f.estimated_amount_ht, f.amount_basis) == (260000, "montant estimé annuel × 4 ans (durée selon le registre)")
    alone = checker.check([tmp_path]).insertion  # no maximum: the hours a year, no total
    assert (alone.hours, alone.hours_stated, alone.hours_period) == (None, 300, "an")
    # the notification day gives the documents' own maximum: it wins over the register's duration
    dated = checker.check([tmp_path], given=GivenFacts(duration_months=48, notified=date(2025, 4, 15)))
    assert (dated.facts.max_duration_months, dated.facts.duration_basis) == (56, None)


def test_another_piece_s_maximum_wins_over_a_period_closed_by_a_day(tmp_path):
    from achat_check.checker import Checker

    (tmp_path / "AE.txt").write_text(f"ACTE D'ENGAGEMENT\n\n{UNTIL_DAY}\n", encoding="utf-8")
    (tmp_path / "CCAP.txt").write_text("CCAP\n\nArticle 4 – Durée\nLa durée maximale de l'accord-cadre est de 4 ans.\n",
                                       encoding="utf-8")
    assert Checker().check([tmp_path]).facts.max_duration_months == 48


def test_the_basis_quotes_the_whole_unit():
    """« quatre (4) années » was quoted « quatre (4) an »."""
    assert find_duration("La durée totale de l'accord-cadre ne pourra excéder quatre (4) années.").basis.endswith("(4) années »")


def test_a_duration_not_counted_from_the_notification_is_not_the_market_s():
    assert find_duration("Réunion de lancement. Durée : 2 jours, selon les enjeux.") is None
    assert find_duration("Formation des agents. Durée : 3 jours à compter de la date de livraison.") is None
    assert find_duration("Le titulaire du marché conserve les pièces pour une durée de 5 ans.") is None


def test_facilitator_names():
    for text, name in [
        ("Le PLIE du Val-de-Lys, facilitateur de la clause, accompagne le titulaire.", "PLIE du Val-de-Lys"),
        ("Le titulaire est accompagné par la Maison de l'emploi du Pays d'Aubrac, facilitateur.", "Maison de l'emploi du Pays d'Aubrac"),
        # as most are written, with a capital: the facilitator was found but not named
        ("Le facilitateur de la clause est la Maison de l'Emploi de Lyon, que le titulaire contacte.", "Maison de l'Emploi de Lyon"),
        ("Le titulaire prend contact avec la Mission Locale du Grand Nancy, facilitateur.", "Mission Locale du Grand Nancy"),
        ("un dispositif d'accompagnement mis en œuvre par\nEnsemble Paris Emploi Compétences\n18 rue Goubet", "Ensemble Paris Emploi Compétences"),
    ]:
        doc, _ = ANALYZER.scan_text(text)
        assert facilitator_name(doc, 0, len(doc.text)) == name
