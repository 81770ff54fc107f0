"""Detections on the corpus and real DCEs: flags, evidence, explanations, false friends."""

from __future__ import annotations

from pathlib import Path

import pytest

from achat_check.checker import Checker
from achat_check.evaluation import evaluate
from tests.conftest import REAL_DCE, ROOT, SAMPLES

CHECKER = Checker()
TARGET_FIELDS = ("env_consideration", "social_consideration", "insertion_clause", "facilitator", "reserved")


@pytest.fixture(scope="module")
def nettoyage():
    return CHECKER.check([SAMPLES / "nettoyage-caf"])


def test_evidence_points_at_the_exact_words(nettoyage):
    from achat_check.ingest import ingest

    docs = {d.path: d for d in ingest([SAMPLES / "nettoyage-caf"]).documents}
    dets = nettoyage.considerations.environmental + nettoyage.considerations.social
    assert dets
    for det in dets:
        for ev in det.evidence:
            text = docs[ev.document].text
            assert text[ev.start : ev.end] == ev.matched
            assert docs[ev.document].page_at(ev.start) == ev.page
            assert ev.matched.split()[0].lower() in ev.quote.lower()
        assert det.explanation.rule.startswith(det.rule_id)
        assert det.explanation.summary


def test_levers_follow_document_and_section(nettoyage):
    levers = {(d.rule_id, d.lever, d.evidence[0].kind) for d in nettoyage.considerations.environmental}
    assert ("ENV-001", "clause", "CCAP") in levers  # écolabel required in the CCAP
    assert ("ENV-001", "specification", "CCTP") in levers  # and specified in the CCTP
    assert any(lev == "criterion" and kind == "RC" for _, lev, kind in levers)


def test_the_cover_page_title_names_the_need_it_binds_no_one(tmp_path):
    # France Travail's contract: « … DE RECHARGE DE VEHICULES ELECTRIQUES » on its cover was
    # a « condition d'exécution » of the CCAP; it is the market's object
    from corpus import makers

    ccap = ("CAHIER DES CLAUSES ADMINISTRATIVES PARTICULIÈRES\nFOURNITURE ET INSTALLATION D'INFRASTRUCTURES\n"
            "DE RECHARGE DE VÉHICULES ÉLECTRIQUES\n===page===\n# ARTICLE 1 – Obligations du titulaire\n\n"
            "Le titulaire livre les bornes dans un délai de trois mois.\n\n"
            "# ARTICLE 2 – Véhicules de service\n\nLes véhicules utilisés par le titulaire pour ses interventions sont des véhicules électriques.\n")
    (tmp_path / "CCAP.pdf").write_bytes(makers.make_pdf(makers.parse(ccap)))
    r = CHECKER.check([tmp_path])
    by_page = {e.page: (d.lever, d.explanation.lever_reason) for d in r.considerations.environmental for e in d.evidence}
    assert by_page[1] == ("need", "intitulé du marché (page de garde)")
    assert by_page[2][0] == "clause"  # the article binds the titulaire


def test_the_clause_is_quoted_before_a_meeting_item_that_names_its_follow_up(tmp_path):
    """The DAE's CCTP (read before its RC) lists « Suivi de l'exécution de la clause
    d'insertion sociale » in a meeting's agenda: the report quoted that item for the clause
    the RC writes (« le pouvoir adjudicateur a décidé … une clause obligatoire d'insertion »)."""
    (tmp_path / "A-CCTP.txt").write_text(
        "CAHIER DES CLAUSES TECHNIQUES PARTICULIÈRES\n\nArticle 9 – Réunion de suivi\n\nOrdre du jour :\n"
        "- Suivi de l'exécution de la clause d'insertion sociale\n- Bilan des commandes\n", encoding="utf-8")
    (tmp_path / "B-RC.txt").write_text(
        "RÈGLEMENT DE LA CONSULTATION\n\nArticle 4 – Clause d'insertion\n\nLe pouvoir adjudicateur a décidé d'inclure "
        "une clause obligatoire d'insertion par l'activité économique dans le cahier des charges.\n", encoding="utf-8")
    clause = next(d for d in CHECKER.check([tmp_path]).considerations.social if d.rule_id == "INS-001" and d.lever == "insertion")
    assert clause.evidence[0].quote.startswith("Le pouvoir adjudicateur a décidé")
    assert clause.evidence[-1].quote.startswith("Suivi de l'exécution")


def test_the_dces_of_several_markets_given_as_one_are_said(tmp_path):
    """An archive's root given to `check` merged its markets into one report, silently."""
    import shutil

    for name in ("nettoyage-caf", "tma-cnaf"):
        shutil.copytree(SAMPLES / name, tmp_path / "archive" / name)
    report = CHECKER.check([tmp_path / "archive"])
    (said,) = [n for n in report.errors if n.code == "AC-W010"]
    assert said.level == "warning" and said.path == str(tmp_path / "archive")
    assert "2 règlements de la consultation, dans des dossiers distincts (« nettoyage-caf », « tma-cnaf »)" in said.message
    assert f"`achat-check batch {tmp_path / 'archive'}`" in said.message and report.unread() == []
    # an RC amended in a subfolder of the market's is the same market's
    market = tmp_path / "archive" / "nettoyage-caf"
    (market / "modificatifs").mkdir()
    (market / "modificatifs" / "RC-modificatif.txt").write_text(
        "RÈGLEMENT DE LA CONSULTATION – MODIFICATIF N° 1\n\nLa date limite de réception des offres est reportée.", encoding="utf-8")
    assert not [n for n in CHECKER.check([market]).errors if n.code == "AC-W010"]


def test_the_notices_of_several_buyers_given_as_one_are_said(tmp_path):
    """Eight real BOAMP notices of eight buyers, in one folder, made one report: the object of
    the first, the lots of another, and no word of it.  The BOAMP and JOUE notices of one
    buyer's market are that market's."""

    def notice_of(name: str, who: str, what: str) -> None:
        (tmp_path / name).write_text(
            f"Avis d'appel public à la concurrence\nAnnonce No {len(name)}-{len(who)}\n"
            f"- Nom et adresse officiels de l'organisme acheteur : {who}.\nObjet du marché : {what}.\n", encoding="utf-8")

    notice_of("avis-boamp-espaces-verts.txt", "Commune de Saint-Arnoult", "entretien des espaces verts")
    notice_of("avis-joue-espaces-verts.txt", "COMMUNE DE SAINT-ARNOULT", "entretien des espaces verts")
    assert not [n for n in CHECKER.check([tmp_path]).errors if n.code == "AC-W010"]
    notice_of("avis-boamp-transport.txt", "Syndicat des transports du Val d'Orge", "transport scolaire")
    (said,) = [n for n in CHECKER.check([tmp_path]).errors if n.code == "AC-W010"]
    assert said.message.startswith("avis de publicité de 2 acheteurs distincts (« Commune de Saint-Arnoult », "
                                   "« Syndicat des transports du Val d'Orge ») : ce sont sans doute 2 marchés")
    assert said.path == str(tmp_path)


def test_insertion_hours_and_facilitator(nettoyage):
    ins = nettoyage.insertion
    assert ins.present and ins.hours == 4800 and ins.hours_stated == 1200 and ins.hours_period == "an"
    assert "× 4" in ins.hours_basis
    assert ins.facilitator and ins.facilitator_name == "PLIE du Val-de-Lys"
    assert ins.evidence and ins.facilitator_evidence


def test_negation_is_explained_in_discarded():
    report = CHECKER.check([SAMPLES / "tma-cnaf"])
    assert not report.insertion.present
    neg = [d for d in report.considerations.discarded if d.rule_id == "INS-001"
           and [a.rule_id for a in d.explanation.adjustments] == ["CTX-001"]]
    assert neg and neg[0].score == 0 and "Aucune clause" in neg[0].explanation.summary


def test_reserved_market_basis():
    report = CHECKER.check([SAMPLES / "espaces-verts-reserve"])
    assert report.reserved.present and report.reserved.basis.startswith("L2113-12")


def test_a_market_reserved_to_siae_is_no_insertion_clause(tmp_path):
    """« réservé aux structures d'insertion par l'activité économique » (L2113-13) names who
    may bid: the market is reserved, its sentence is no insertion clause (it made « Clause
    d'insertion : oui », hours unknown, and counted in the indicators' insertion clauses)."""
    (tmp_path / "RC.txt").write_text(
        "RÈGLEMENT DE LA CONSULTATION\n\nArticle 2 – Réservation\nEn application de l'article L. 2113-13 du code de la "
        "commande publique, le marché est réservé aux structures d'insertion par l'activité économique mentionnées à "
        "l'article L. 5132-4 du code du travail.\n", encoding="utf-8")
    report = CHECKER.check([tmp_path])
    assert report.reserved.present and report.reserved.basis.startswith("L2113-13")
    assert not report.insertion.present and not report.flags.insertion_clause
    (aside,) = [d for d in report.considerations.discarded if d.rule_id == "INS-001"]
    assert aside.explanation.adjustments[-1].rule_id == "RESERVED" and "réserve le marché" in aside.explanation.summary
    # an insertion clause written apart from the reservation still counts
    (tmp_path / "CCAP.txt").write_text(
        "CAHIER DES CLAUSES ADMINISTRATIVES PARTICULIÈRES\n\nArticle 8 – Clause d'insertion\nLe titulaire réserve 300 heures "
        "de travail à des personnes éloignées de l'emploi au titre de la clause d'insertion.\n", encoding="utf-8")
    assert CHECKER.check([tmp_path]).insertion.present


COMBINED_DCE = """@title DOSSIER DE CONSULTATION DES ENTREPRISES

# RÈGLEMENT DE LA CONSULTATION

## Article 1 – Procédure

La consultation est passée selon la procédure d'appel d'offres ouvert. Date limite de réception des offres : 10 mai 2027 à 12h00.

## Article 2 – Critères d'attribution

- Prix : 50 %
- Valeur technique : 35 %
- Performance environnementale des produits : 15 %

===page===

# CAHIER DES CLAUSES ADMINISTRATIVES PARTICULIÈRES

## Article 1 – Durée

Le marché est conclu pour une durée de 24 mois.

## Article 2 – Paiement

Le délai global de paiement est de 30 jours. Une avance de 20 % est versée.

===page===

# CAHIER DES CLAUSES TECHNIQUES PARTICULIÈRES

## Article 1 – Exigences environnementales

Le mobilier est certifié NF Environnement Ameublement ou porteur d'un écolabel équivalent.
"""


def test_a_dce_in_one_pdf_is_read_piece_by_piece(tmp_path):
    """« DCE complet » in one PDF: the criteria list ends at the CCAP (it read « Une avance de
    20 % » as a criterion and was dropped), the CCTP's words are a technical specification
    cited in its own article, and the document plays the three pieces."""
    from corpus import makers

    (tmp_path / "DCE-complet.pdf").write_bytes(makers.make_pdf(makers.parse(COMBINED_DCE)))
    report = CHECKER.check([tmp_path])
    (doc,) = report.documents
    assert (doc.kind.value, [r.value for r in doc.roles]) == ("RC", ["RC", "CCAP", "CCTP"])
    assert [(c.name, c.weight) for c in report.criteria] == [
        ("Prix", 50), ("Valeur technique", 35), ("Performance environnementale des produits", 15)]
    (label,) = [d for d in report.considerations.environmental if d.category == "ecolabel"]
    assert label.lever == "specification" and label.evidence[0].article == "1 – Exigences environnementales"
    assert report.checks["criteria.sum"] == "pass"


def test_a_clause_shows_a_detection_before_a_price_schedule_line_of_the_same_score():
    """The espaces verts BPU's « EV2 Fauche tardive des prairies m² 4000 » (read since .ods
    pieces are) was quoted for « Biodiversité et gestion différenciée » before the CCTP's
    article requiring it, the BPU coming first by name."""
    report = CHECKER.check([SAMPLES / "espaces-verts-reserve"])
    (bio,) = [d for d in report.considerations.environmental if d.rule_id == "ENV-018" and d.lever == "specification"]
    assert [Path(e.document).name for e in bio.evidence] == ["CCTP.txt", "CCTP.txt", "BPU.ods"]


MEMOIR_RC = """# RÈGLEMENT DE LA CONSULTATION

# Article 3 – Contenu des offres

Le candidat remet les pièces suivantes :

• Un mémoire technique, rédigé en français, détaillant au moins les points
suivants :
✦ Présentation de l'équipe dédiée au projet
✦ Présentation de la démarche d'écoconception du site

# Article 4 – Remise des maquettes

Les offres sont jugées selon les critères pondérés suivants :

- Prix 60 %
- Valeur technique 30 %
- Respect de la démarche d'écoconception 10 %

Le troisième critère « Respect de la démarche d'écoconception » pondéré à 10 % est noté sur 100 points.
"""


def test_what_the_memoir_must_present_and_the_criteria_lines_are_criteria_not_clauses(tmp_path):
    """A real RC (AaDTM Mayotte) asks the memoir for « la démarche d'éco-conception », weighs
    it 5 % as a criterion under a heading on the mock-ups, and restates it as « Le cinquième
    critère « … » pondéré à 5 % »: all three were read as a clause the RC imposes, so the
    criterion seemed to go with an execution condition.  The list's « ✦ » items were glued into
    one quote: « ✦ » was no bullet to the sentence splitter."""
    (tmp_path / "RC.md").write_text(MEMOIR_RC, encoding="utf-8")
    report = CHECKER.check([tmp_path / "RC.md"])
    env = report.considerations.environmental
    assert env and {d.lever for d in env} == {"criterion"}
    assert {e.quote[:30] for d in env for e in d.evidence} == {
        "Présentation de la démarche d'", "Respect de la démarche d'écoco", "Le troisième critère « Respect"}
    # each « ✦ » item is a sentence of its own: the quote is the item, without its mark
    assert "Présentation de la démarche d'écoconception du site" in {e.quote for d in env for e in d.evidence}


def test_numbered_headings_one_under_another_are_not_quoted_as_one_sentence():
    """A CCAP's headings run « 6. OBLIGATIONS DU TITULAIRE / 6.1 Clauses sociale et
    environnementale / 6.1.1 Engagement … » line under line, no stop at their ends: the quote
    was the three glued together.  A line opened by « 6.1 » and a capital starts a sentence."""
    from achat_check.nlp import sentences

    text = ("6. OBLIGATIONS DU TITULAIRE\n6.1 Clauses sociale et environnementale\n"
            "6.1.1 Engagement environnemental d'amélioration continue\n"
            "Le titulaire réduit les déchets de\n6.1 tonnes par an.\nLe montant est de\n6.5 millions d'euros.\n")
    said = [text[s.start : s.end].replace("\n", " ") for s in sentences(text)]
    assert "6.1 Clauses sociale et environnementale" in said
    assert "6.1.1 Engagement environnemental d'amélioration continue" in said
    # a long title in capitals then its text (a real RC's « V.5. PRECISIONS RELATIVES A L'EGALITE
    # PROFESSIONNELLE ENTRE LES HOMMES ET LES FEMMES » / « Le ministère … ») are two sentences
    text2 = ("PRECISIONS RELATIVES A L'EGALITE PROFESSIONNELLE ENTRE LES HOMMES ET LES FEMMES\n"
             "Le titulaire s'engage à promouvoir l'égalité.\nCONDITIONS PARTICULIERES D'EXECUTION APPLICABLES AUX PRESTATIONS DE\n"
             "NETTOYAGE DES LOCAUX\n")
    said2 = [" ".join(text2[s.start : s.end].split()) for s in sentences(text2)]
    assert said2[:2] == ["PRECISIONS RELATIVES A L'EGALITE PROFESSIONNELLE ENTRE LES HOMMES ET LES FEMMES",
                         "Le titulaire s'engage à promouvoir l'égalité."]
    assert said2[2] == "CONDITIONS PARTICULIERES D'EXECUTION APPLICABLES AUX PRESTATIONS DE NETTOYAGE DES LOCAUX"
    # an article's title longer than a short line, then its text: two sentences (the clause was
    # quoted « Article 6 – Conditions d'exécution à caractère environnemental Le titulaire livre … »)
    text3 = "Article 6 – Conditions d'exécution à caractère environnemental\nLe titulaire livre le mobilier sans emballage.\n"
    assert [text3[s.start : s.end] for s in sentences(text3)] == [
        "Article 6 – Conditions d'exécution à caractère environnemental", "Le titulaire livre le mobilier sans emballage."]
    # a figure that goes on a sentence (lower case after it, or a word that calls for more) does not cut it
    assert "Le titulaire réduit les déchets de 6.1 tonnes par an." in said and "Le montant est de 6.5 millions d'euros." in said



def test_a_consideration_is_quoted_from_its_text_not_from_the_headings_above_it(nettoyage):
    """The sample's insertion clause was quoted « Article 8 – Clause sociale d'insertion 8.1 –
    Engagement du titulaire »: two headings glued into one « sentence », which the title
    factor did not see as a title. A « 8.1 – » line starts a sentence, and headings run
    together are a title."""
    from achat_check.nlp import sentences

    text = "Article 8 – Clause sociale d'insertion\n8.1 – Engagement du titulaire\nLe titulaire réserve 800 heures.\n"
    assert [text[s.start : s.end] for s in sentences(text)] == [
        "Article 8 – Clause sociale d'insertion", "8.1 – Engagement du titulaire", "Le titulaire réserve 800 heures."]
    quoted = [d.evidence[0].quote for d in nettoyage.considerations.social if d.evidence]
    assert quoted and not any(q.startswith(("Article 8", "4 – Exigences")) for q in quoted), quoted
    insertion = next(d for d in nettoyage.considerations.social if d.title == "Clause sociale d'insertion")
    assert insertion.evidence[0].quote.startswith("Afin de favoriser l'accès à l'emploi")


def test_a_title_in_capitals_over_several_lines_is_quoted_whole():
    """A cover title « MARCHÉ DE FOURNITURE ET D'INSTALLATION / D'INFRASTRUCTURES / DE RECHARGE
    DE VÉHICULES ÉLECTRIQUES » was quoted from its last line only; a heading of its own
    (« ARTICLE 2 – OBJET ») still ends at its line."""
    from achat_check.nlp import sentences

    text = ("MARCHÉ DE FOURNITURE ET D'INSTALLATION\nD'INFRASTRUCTURES\n DE RECHARGE DE VÉHICULES ÉLECTRIQUES\n"
            "Numéro de consultation : 12.26\nARTICLE 2 – OBJET\nDE LA DURÉE DU MARCHÉ\n")
    said = [" ".join(text[s.start : s.end].split()) for s in sentences(text)]
    assert said[0] == "MARCHÉ DE FOURNITURE ET D'INSTALLATION D'INFRASTRUCTURES DE RECHARGE DE VÉHICULES ÉLECTRIQUES"
    assert said[-2:] == ["ARTICLE 2 – OBJET", "DE LA DURÉE DU MARCHÉ"]


def test_a_quote_starts_after_its_list_mark():
    """Quotes of list items began with their mark: « o Mesure du taux… » (Word's « o »),
    « ➢ Sous-critère 3.2.1… », « • Accès aux données… »; the mark is no part of the sentence."""
    from achat_check.analysis import Analyzer
    from achat_check.evidence import evidence_at

    text = ("Le titulaire s'engage sur les points suivants :\n\no Mesure du taux de recyclage des déchets.\n\n"
            "➢ Sous-critère 3.1 : performance environnementale (5 %)\n\n- tri des déchets de chantier\n")
    doc, _ = Analyzer().scan_text(text)
    for words in ("recyclage", "performance environnementale", "tri des"):
        at = doc.text.index(words)
        ev = evidence_at(doc, at, at + len(words))
        assert ev.quote[:1].isalpha() and words in ev.quote, ev.quote
        assert doc.text[ev.quote_start :].startswith(ev.quote.split()[0])  # the page view highlights from there


def test_corpus_gold_is_met():
    result, _ = evaluate(ROOT / "corpus" / "gold" / "corpus.json", CHECKER)
    for name in (*TARGET_FIELDS, "env_criterion", "social_criterion"):
        assert result.score(name).f1 == 1.0, [m for m in result.misses if m.field == name]
    assert result.score("insertion_hours").accuracy == 1.0
    assert result.score("document_kind").accuracy == 1.0
    assert result.false_friend_hits == []
    # every sample DCE's expected verdicts (91 = 7 markets × 13 checks)
    checks = result.score("checks")
    assert checks.n == 98 and checks.accuracy == 1.0, [m for m in result.misses if m.field.startswith("checks.")]


@pytest.mark.skipif(not REAL_DCE.is_dir(), reason="../shared/real/dce absent")
def test_real_dce_gold_meets_targets():
    result, _ = evaluate(ROOT / "corpus" / "gold" / "real-dce.json", CHECKER)
    for name in TARGET_FIELDS:
        assert result.score(name).f1 >= 0.95, [m for m in result.misses if m.field == name]
    assert result.score("insertion_hours").accuracy >= 0.9
    assert result.false_friend_hits == [], result.false_friend_hits


def test_a_rule_s_expression_does_not_run_into_the_next_article():
    """A table row without a full stop, then the next article's title: « Pénalités de retard
    … plafonnées à 10 % » / « Article 2 – Clause environnementale » made an environmental
    penalty of a late penalty."""
    from achat_check.analysis import Analyzer

    text = ("Article 1 – Fiche récapitulative\n\nDélai global de paiement 30 jours\n"
            "Pénalités de retard 1/1000e du montant du bon de commande par jour, plafonnées à 10 %\n\n"
            "Article 2 – Clause environnementale\n\nLe titulaire trie les déchets produits lors des interventions "
            "et remet un bilan annuel. À défaut de bilan des déchets, une pénalité de 200 € HT est appliquée.\n")
    _, scored = Analyzer().scan_text(text)
    penalties = [s for s in scored if s.rule.id == "ENV-030"]
    assert [s.evidence.quote for s in penalties] == ["À défaut de bilan des déchets, une pénalité de 200 € HT est appliquée."]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Le titulaire s'engage à favoriser l'emploi de jeunes de moins de 26 ans sans qualification.", True),
        ("Le titulaire réserve 20 % des embauches du marché à des demandeurs d'emploi de longue durée.", True),
        ("Un tarif réduit est proposé aux jeunes de moins de 26 ans.", False),
        ("La filiale s'adresse aux demandeurs d'emploi et aux organismes publics qui gèrent la formation.", False),
    ],
)
def test_an_employment_commitment_for_the_publics_of_insertion(text, found):
    """The publics an insertion clause lists (a real contract's « les jeunes de moins de 26
    ans ayant un niveau inférieur au CAP ou BEP ») make the commitment to employ them an
    insertion clause; the words alone, for a fare or an organisation's mission, do not."""
    from achat_check.analysis import Analyzer

    _, scored = Analyzer().scan_text(f"Article 8 – Clause sociale\n\n{text}\n")
    assert any(s.rule.id == "INS-001" and s.score >= 0.5 for s in scored) is found


SUMMARY_ROWS = """# RÈGLEMENT DE LA CONSULTATION

## Article 1 – Fiche récapitulative

| Rubrique | Contenu |
| Objet | Nettoyage des locaux de la CAF |
| Clause sociale d'insertion | Oui : 1 200 heures sur la durée du marché |
| Critères d'attribution | Prix : 40 % ; Valeur technique : 50 % ; Performance environnementale : 10 % |
| Pénalités de retard | 1/1000e du montant du bon de commande par jour de retard |
| Durée | 1 an reconductible 3 fois |
"""


@pytest.mark.parametrize("fmt", ["pdf", "docx", "odt"])
def test_a_summary_table_s_rows_are_read_one_by_one(tmp_path, fmt):
    """A PDF gives a summary table's rows as lines without a full stop: the insertion row and the
    criteria row made one sentence, the clause a « criterion » (no insertion clause), and the
    first criterion was lost behind its row's label (« Critères d'attribution | Prix : 40 % … »)
    in every format; a penalty's label ran into the next row (« … par jour de retard D »)."""
    from corpus import makers

    (tmp_path / f"RC.{fmt}").write_bytes({"docx": makers.make_docx, "pdf": makers.make_pdf, "odt": makers.make_odt}[fmt](makers.parse(SUMMARY_ROWS)))
    report = CHECKER.check([tmp_path])
    assert report.insertion.present and report.insertion.hours == 1200
    assert [(c.name, c.weight) for c in report.criteria] == [("Prix", 40), ("Valeur technique", 50), ("Performance environnementale", 10)]
    assert [p.label for p in report.facts.penalties] == ["Pénalités de retard 1/1000e du montant du bon de commande par jour de retard"]
    assert report.facts.max_duration_months == 48


def test_a_summary_row_starts_a_sentence_unless_the_line_above_goes_on():
    """A real notice read from its PDF: « … type Pick up 2 places » then « Durée : 120 jours à
    compter … » was quoted as one sentence; a line that ends on « de la » goes on."""
    from achat_check.nlp import sentences

    text = ("Véhicule utilitaire à motorisation électrique type Pick up 2 places\n"
            "Durée : 120 jours à compter de la date de notification du marché.\n"
            "Les offres sont remises avant la date fixée à l'article 4 relatif à la\nDate limite de réception des offres.\n")
    said = [" ".join(text[s.start : s.end].split()) for s in sentences(text)]
    assert said == ["Véhicule utilitaire à motorisation électrique type Pick up 2 places",
                    "Durée : 120 jours à compter de la date de notification du marché.",
                    "Les offres sont remises avant la date fixée à l'article 4 relatif à la Date limite de réception des offres."]


def test_a_line_ending_with_a_web_address_ends_its_sentence():
    """A real RC gives an address on a line of its own, under « … à l'adresse suivante : », and
    the next paragraph below it (« La forme du groupement n'est pas imposée. ») without a blank
    line: the fact « groupement non imposé » was quoted « https://www.economie.gouv.fr/dae/…
    La forme du groupement n'est pas imposée. ».  An address never goes on with a capital."""
    from achat_check.nlp import sentences

    text = ("Des fiches explicatives sont disponibles à l'adresse suivante :\n"
            "https://www.economie.gouv.fr/dae/bourse-a-cotraitance-service-pour-aider-entreprises\n"
            "La forme du groupement n'est pas imposée.\n"
            "Le dossier est publié sur www.marches-publics.gouv.fr\nEn cas de difficulté, contactez le service.\n"
            "Les offres sont déposées sur la plateforme https://www.marches-publics.gouv.fr\navant la date limite.\n")
    said = [" ".join(text[s.start : s.end].split()) for s in sentences(text)]
    assert "La forme du groupement n'est pas imposée." in said, said
    assert "Le dossier est publié sur www.marches-publics.gouv.fr" in said, said
    # a sentence that goes on in lower case after its address stays one sentence
    assert "Les offres sont déposées sur la plateforme https://www.marches-publics.gouv.fr avant la date limite." in said


def test_a_figure_at_a_line_end_goes_on_in_lower_case():
    """A figure ends a row of a table drawn without tabs (« Prix 60 % » / « Valeur technique
    40 % »), so a line ending with one ended its sentence; a real CCAP's « … dans un délai de
    15 » / « jours courant à compter de la réception … » and a real CCTP's « … au moins 20% » /
    « de produits issus de l'agriculture biologique. » were quoted from their second line.  A
    line in lower case goes on the figure's sentence; a sub-criterion (« dont … ») stays a row."""
    from achat_check.nlp import sentences

    text = ("En cas d'absence de communication du contrat, dans un délai de 15\njours courant à compter de la mise "
            "en demeure, le titulaire encourt une pénalité.\nLes repas comprennent au moins 20%\nde produits issus de "
            "l'agriculture biologique.\nPrix 60 %\nValeur technique 40 %\ndont méthodologie 20 %\n")
    said = [" ".join(text[s.start : s.end].split()) for s in sentences(text)]
    assert said[:2] == ["En cas d'absence de communication du contrat, dans un délai de 15 jours courant à compter de la "
                        "mise en demeure, le titulaire encourt une pénalité.",
                        "Les repas comprennent au moins 20% de produits issus de l'agriculture biologique."], said
    assert said[2:] == ["Prix 60 %", "Valeur technique 40 %", "dont méthodologie 20 %"], said


def test_a_numbered_title_longer_than_a_line_of_text_ends_its_sentence():
    """A real CCTP's « 10.1 En lien avec les spécifications techniques des fournitures » (63
    characters, no full stop) over « Le soumissionnaire indique … » was quoted with its text: a
    line that long reads as wrapped text, unless it opens with an article's number, as
    « Article 6 – … » lines already did."""
    from achat_check.nlp import sentences

    text = ("10.1 En lien avec les spécifications techniques des fournitures\nLe soumissionnaire indique les "
            "spécifications techniques de la machine visant à réduire\nl'impact environnemental.\n"
            "Le titulaire remet chaque année au pouvoir adjudicateur un bilan des actions menées\nConformément au CCTP.\n")
    said = [" ".join(text[s.start : s.end].split()) for s in sentences(text)]
    assert said[:2] == ["10.1 En lien avec les spécifications techniques des fournitures",
                        "Le soumissionnaire indique les spécifications techniques de la machine visant à réduire "
                        "l'impact environnemental."], said
    # a long line of text without a number still goes on under it
    assert said[2] == "Le titulaire remet chaque année au pouvoir adjudicateur un bilan des actions menées Conformément au CCTP."
