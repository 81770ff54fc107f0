"""Structure steps on real-looking layouts: running lines, cut words, headings, offsets."""

from __future__ import annotations

import pytest

from achat_check import structure
from achat_check.raw import RawDocument, RawPage
from achat_check.structure import heading_of_line, plausible_next


def pdf_pages(*pages: str) -> RawDocument:
    return RawDocument(format="pdf", paginated=True, pages=[RawPage(lines=p.split("\n")) for p in pages])


def markdown(text: str) -> RawDocument:
    return RawDocument(format="md", paginated=False, pages=[RawPage(lines=text.split("\n"))])


WORDS = ["objet", "durée", "prix", "pénalités", "résiliation", "litiges"]


def body(n: int) -> str:
    return f"Cette page traite de {WORDS[n]} et de ses modalités particulières."


def test_running_headers_footers_and_page_numbers_removed():
    pages = [
        f"Consultation n°: 2026FCSSA0025 Page {i} sur 5\n{body(i)}\nRC – DAE-AMOA-2025 Page {i} sur 35"
        for i in range(1, 6)
    ]
    built = structure.build(pdf_pages(*pages))
    assert "Consultation n°" not in built.text and "DAE-AMOA" not in built.text
    for i in range(1, 6):
        assert body(i) in built.text
    assert len(built.removed) == 2


def test_edge_line_kept_when_it_is_not_repeated():
    pages = [f"Objet du marché\n{body(1)}"] + [f"{body(i)}\nSuite." for i in range(2, 6)]
    built = structure.build(pdf_pages(*pages))
    assert "Objet du marché" in built.text
    assert built.text.count("Suite.") == 0  # repeated at the bottom of 4 pages of 5: running


def test_short_documents_keep_lines_that_differ_by_a_number():
    built = structure.build(pdf_pages("Lot 1 – Siège\nTexte A.", "Lot 2 – Agences\nTexte B."))
    assert "Lot 1 – Siège" in built.text and "Lot 2 – Agences" in built.text


def test_bare_page_number_removed_even_in_two_page_docs():
    built = structure.build(pdf_pages("- 1 -\nPremière page.", "Seconde page.\n2/2"))
    assert built.text == "Première page.\fSeconde page."


def test_cut_words_joined_with_the_lexicon():
    page = "Les clauses environne-\nmentales sont précisées.\nLe non-\nrespect est sanctionné.\nla clause d'in\ufffesertion"
    built = structure.build(pdf_pages(page))
    assert "clauses environnementales sont" in built.text
    assert "non-respect" in built.text
    assert "d'insertion" in built.text
    assert built.hyphenations == 3


def test_hyphen_kept_before_a_capital_or_number():
    built = structure.build(pdf_pages("Rue Saint-\nGermain\nvoir article R. 2123-\n1 du code"))
    assert "Saint-\nGermain" in built.text
    assert "2123-\n1" in built.text


def test_letter_spaced_titles_collapsed():
    built = structure.build(pdf_pages("D I S P O S I T I F  D E S  C L A U S E S\nTexte."))
    assert built.text.startswith("DISPOSITIF DES CLAUSES")


def test_heading_forms_seen_in_dces():
    assert heading_of_line("ARTICLE 5 – Délais de paiement")[:3] == (1, "5", "Délais de paiement")
    assert heading_of_line("Article 7 :")[:3] == (1, "7", "")
    # a real RC separates number and title with a slash: « ARTICLE 3 / Présentation des offres »
    assert heading_of_line("ARTICLE 3 / Présentation des offres")[:3] == (1, "3", "Présentation des offres")
    assert heading_of_line("5.2.1 - Avance")[:3] == (3, "5.2.1", "Avance")
    assert heading_of_line("4.8 Clause d’insertion par l’activité économique")[:2] == (2, "4.8")
    assert heading_of_line("II.6. CLAUSE D’INSERTION PAR L’ACTIVITE ECONOMIQUE")[:2] == (2, "II.6")
    assert heading_of_line("ARTICLE PREMIER - OBJET")[:2] == (1, "1")
    assert heading_of_line("1.1 - Objet......................................4") is None  # table of contents
    assert heading_of_line("15 JUILLET 2026 A 12:00") is None  # a date
    assert heading_of_line("2 65 000 000€ 97 500 000€") is None  # a lots table row
    assert heading_of_line("2.1 – Moyens humains 20 %") is None  # a criteria table row
    assert heading_of_line("1. le titulaire doit livrer les fournitures") is None  # lower-case item
    assert heading_of_line(" Article 8.du CCFT 50€ par jour calendaires ") is None  # a penalty table's reference
    assert heading_of_line("Article 4 des CCAG-FCS") is None
    assert heading_of_line("Article 8 – de la résiliation")[:3] == (1, "8", "de la résiliation")
    # a real CCTP: a title that ends with the number it needs (not a page), and « 3.2 : »
    assert heading_of_line("ARTICLE 2 : OBJET DU LOT 2")[:3] == (1, "2", "OBJET DU LOT 2")
    assert heading_of_line("3.2 : Missions générales de surveillance")[:3] == (2, "3.2", "Missions générales de surveillance")
    assert heading_of_line("ARTICLE 2 : OBJET DU LOT 2 ........ 4") is None  # its entry in the contents
    assert heading_of_line("Article 2 - Objet 4") is None  # an entry without dots
    assert heading_of_line("1 : Analyse comparée des modes de gestion") is None  # a notice's « Tranche no » wrapped


def test_outline_ignores_numbered_lists_inside_sections():
    page = "\n".join([
        "ARTICLE 4 – Jugement des offres",
        "Les critères sont les suivants :",
        "1 – Prix des prestations",
        "2 – Valeur technique",
        "3 – Performance environnementale",
        "ARTICLE 5 – Négociation",
        "Texte.",
    ])
    built = structure.build(pdf_pages(page))
    assert [h.number for h in built.headings] == ["4", "5"]
    art4 = built.headings[0]
    assert built.text[art4.start : art4.end].count("Performance environnementale") == 1


def test_lists_restarting_in_each_unit_of_work_stay_inside_the_last_article():
    # the DAE CCTP: « Article 7 LOT 4 » then, for each unit of work, « 1. Objet » … « 8. Indicateurs »;
    # the first « 8. » after « Article 7 » took the 130 pages of lot 4 as « 8 Indicateurs »
    names = ["audits", "conduite", "support", "maîtrise", "qualité", "sécurité", "formation", "archives", "pilotage", "recette"]

    def unit(name: str) -> str:
        sections = ["Objet", "Prérequis", "Description", "Niveau de complexité", "Délais", "Expertises", "Livrables", "Indicateurs"]
        text = "\n".join(f"{n}. {t}\nLe titulaire traite {t.lower()} de l'unité {name}." for n, t in enumerate(sections, start=1))
        # a page's last lines differ from the other pages' (else they read as running footers)
        return text + "".join(f"\nLes livrables de {name} sont remis en {w}." for w in WORDS)

    pages = [f"Article {n} LOT {n} – Prestations de {names[n]}\nUO {names[n].upper()}\n{unit(names[n])}" for n in range(1, 8)]
    pages += [f"UO {names[k].upper()} DU LOT 7\n{unit(names[k])}" for k in (8, 9, 0)]
    built = structure.build(pdf_pages(*pages))
    top = [h for h in built.headings if h.level == 1]
    assert [h.number for h in top] == [str(n) for n in range(1, 8)]
    assert top[-1].end == len(built.text)  # lot 7 runs to the end
    # a top level of bare numbers is left alone: « 9. » may follow « 8. »
    bare = [f"{n}. SECTION {names[n]}\n{body(n % 6)}" for n in range(1, 10)]
    assert [h.number for h in structure.build(pdf_pages(*bare)).headings] == [str(n) for n in range(1, 10)]


def test_units_of_work_are_sections_of_their_lot():
    # the DAE CCTP titles each unit of work « L4-UO1 : PRISE DE CONNAISSANCE … » inside
    # « Article 7 LOT 4 » (125 pages): a quote cites its unit, not the whole lot; a unit's
    # table of delays (« L4-UO1-S 10 7 5 ») is no table of contents, and a bare « UO1 »
    # cell or a sentence naming a unit is no title
    names = ["CADRAGE", "RECETTE", "ASSISTANCE UTILISATEURS DE NIVEAU 1", "FORMATION DES EQUIPES SUR UN"]

    def unit(k: int) -> str:
        delays = "\n".join(f"L4-UO{k}-{c} {10 * n} {7 * n} {5 * n}" for n, c in enumerate("SMC", start=1))
        return (f"L4-UO{k} : {names[k - 1]}\n" + ("PROJET NUMERIQUE\n" if k == 4 else "")
                + f"1. Objet\nLe titulaire réalise l'unité {k} : {body(k)}\n5. Délais\nCode UO Délai\n{delays}\n"
                f"8. Indicateurs\nLe respect des délais de l'unité {k} est suivi par l'acheteur.\n{body(k + 1)}\nUnité {k}, {WORDS[k]}.")

    pages = ["Article 6 LOT 3 – Support\nLe lot 3 porte sur le support.\nUO1\nUO2",
             "Article 7 LOT 4 – Assistance à maîtrise d'ouvrage\nLe lot 4 comprend les unités suivantes.\n" + unit(1),
             *(unit(k) for k in (2, 3, 4)),
             "L4-UO2 : le titulaire remet son rapport sous dix jours.\nArticle 8 – Pénalités\nLes pénalités sont dues."]
    built = structure.build(pdf_pages(*pages))
    got = [(h.number, h.title, h.level, h.page) for h in built.headings]
    assert got == [
        ("6", "LOT 3 – Support", 1, 1), ("7", "LOT 4 – Assistance à maîtrise d'ouvrage", 1, 2),
        ("L4-UO1", "CADRAGE", 2, 2), ("L4-UO2", "RECETTE", 2, 3), ("L4-UO3", "ASSISTANCE UTILISATEURS DE NIVEAU 1", 2, 4),
        ("L4-UO4", "FORMATION DES EQUIPES SUR UN PROJET NUMERIQUE", 2, 5), ("8", "Pénalités", 1, 6),
    ]
    unit3 = built.headings[4]
    assert "réalise l'unité 3" in built.text[unit3.start : unit3.end] and "unité 4" not in built.text[unit3.start : unit3.end]
    assert built.headings[1].end == built.headings[-1].start  # the lot holds its units


def test_an_article_follows_the_previous_one_beyond_many_numbered_lines():
    """The DAE CCTP: « Article 7 LOT 4 », then 60 pages of units of work, each with its « 1.
    Objet » … « 8. Indicateurs » (over 80 numbered lines), then « Article 8 LOT 5 » … « Article
    11 PILOTAGE » and its « 12.2 REUNION DE SUIVI »: the outline stopped at Article 7, and a
    quote of the steering meeting was cited under the last unit of lot 7."""
    steps = ["Objet", "Prérequis", "Description", "Niveau", "Délais", "Expertises", "Livrables", "Indicateurs"]

    def unit(k: int) -> str:
        lines = "\n".join(f"{n}. {t}\nLe titulaire traite {t.lower()} de l'unité {k}." for n, t in enumerate(steps, start=1))
        return f"L4-UO{k} : UNITE {k}\n{lines}\nL'unité {k} est suivie par l'acheteur, {WORDS[k % 6]}."

    pages = ["Article 7 LOT 4 – Assistance\nLe lot 4 comprend des unités.", *(unit(k) for k in range(1, 31)),
             "Article 8 LOT 5 – Recette\nLe lot 5 porte sur la recette.",
             "Article 9 PILOTAGE ET SUIVI\nLe titulaire assure le suivi.\n9.1 REUNION DE SUIVI\nObjectifs de la réunion : suivi de la clause."]
    built = structure.build(pdf_pages(*pages))
    assert [h.number for h in built.headings if h.level == 1] == ["7", "8", "9"]
    meeting = built.text.index("suivi de la clause")
    around = [h.number for h in built.headings if h.start <= meeting < h.end]
    assert around == ["9", "9.1"]


def test_an_article_title_in_capitals_wrapped_on_two_lines_is_whole():
    """Real CCTPs: « Article 9 LOT 6 – … LA PASSATION D'UN MARCHE » / « DE PII », « ARTICLE 4 –
    PERIODES ET HORAIRES D'EXECUTION DE LA PRESTATION DE » / « SURVEILLANCE ET PREVENTION »:
    quotes cited the first line only."""
    pages = ["ARTICLE 1 – OBJET\nLe marché porte sur la surveillance des sites.\n"
             "ARTICLE 2 – PERIODES ET HORAIRES D'EXECUTION DE LA PRESTATION DE\nGARDIENNAGE DES SITES\n"
             "Les agents sont présents du lundi au vendredi.\nARTICLE 3 – PRIX\nLE PRIX EST FERME.\n"
             "ARTICLE 4 – DUREE\nARTICLE 5 – LIEUX\nLes sites sont listés en annexe."]
    built = structure.build(pdf_pages(*pages))
    assert [h.title for h in built.headings] == [
        "OBJET", "PERIODES ET HORAIRES D'EXECUTION DE LA PRESTATION DE GARDIENNAGE DES SITES", "PRIX", "DUREE", "LIEUX"]


def test_plausible_next():
    assert plausible_next((7, 2), (7, 3))
    assert plausible_next((7, 2), (7, 2, 1))
    assert plausible_next((7, 2), (8,))
    assert plausible_next((2, 3, 4), (3, 1))
    assert not plausible_next((7, 2), (1,))
    assert not plausible_next((7, 2), (2, 1))
    assert plausible_next((8,), (8, 1, 1))  # France Travail's contract: « 8. RESILIATION » then « 8.1.1 »
    assert not plausible_next((8,), (8, 1, 2)) and not plausible_next((8,), (8, 2, 1))


def test_toc_pages_give_no_headings():
    toc = "\n".join(f"{i}.1 Titre {i} .............. {i + 3}" for i in range(1, 8))
    built = structure.build(pdf_pages(toc, "1 OBJET\nTexte.\n2 DUREE\nTexte."))
    assert [(h.number, h.page) for h in built.headings] == [("1", 2), ("2", 2)]
    # a table of delays per level of complexity (DAE CCTP) ends its rows with figures, not a page
    delays = "\n".join(f"L3-UO6-{c} {10 * n} {7 * n} {5 * n}" for n, c in enumerate("SMCX", start=1))
    assert structure.is_toc_page(toc.split("\n")) and not structure.is_toc_page(f"5. Délais\n{delays}\n6. Expertises".split("\n"))


def test_contents_without_page_numbers_give_way_to_the_body():
    """A real RC (Markdown of a PDF) lists « ARTICLE 1 - … » to « ARTICLE 9 - … » under
    « Sommaire », one per line, no page numbers; its body, an excerpt, lacks two articles.
    The nine entries outweighed the body and every quote was cited « 9 – SUIVI DES … »."""
    titles = ["OBJET DU MARCHE", "DOCUMENTS", "CONDITIONS DE LA CONSULTATION", "CANDIDATURE", "REMISE DES OFFRES",
              "JUGEMENT DES OFFRES", "PIECES FISCALES", "RENSEIGNEMENTS", "SUIVI DES FOURNISSEURS"]
    contents = "Sommaire\n" + "\n".join(f"ARTICLE {n} - {t}" for n, t in enumerate(titles, start=1))
    kept = [1, 2, 3, 5, 6, 8, 9]  # the excerpt's articles
    text = "\n\n".join(f"ARTICLE {n} - {titles[n - 1]}\n\n{n}.1 - Règle\nLe texte de la règle {n}." for n in kept)
    built = structure.build(markdown(f"{contents}\n\n{text}"))
    assert [h.number for h in built.headings if "." not in h.number] == [str(n) for n in kept]
    assert all(h.start > built.text.index("SUIVI DES FOURNISSEURS") for h in built.headings)
    procedure = built.text.index("Le texte de la règle 3.")
    assert [h.number for h in built.headings if h.start <= procedure][-2:] == ["3", "3.1"]
    # headings written twice with text under each are no contents
    repeated = "\n\n".join(f"ARTICLE {n} - {titles[n - 1]}\nTexte." for n in (1, 2, 3))
    assert [h.number for h in structure.build(markdown(f"{repeated}\n\n{repeated}")).headings] == ["1", "2", "3"]


def test_a_form_with_dotted_blanks_is_no_table_of_contents():
    """A cadre de réponse or an acte d'engagement leaves « ………… » blanks to fill in; a
    contents' entry ends with its page.  Read as contents, a real AE lost 14 of its 18 articles."""
    form = ("ARTICLE 3 – Identification du candidat\nNom commercial : ……………………………\nAdresse : ……………………………\n"
            "Téléphone : …………………\nLargeur de piste atteignable (µm) ……….µm\nCourriel : ……………………………\n"
            "ARTICLE 4 – Prix\nLe prix est ferme.")
    assert not structure.is_toc_page(form.split("\n"))
    built = structure.build(pdf_pages("ARTICLE 1 – Objet\nTexte.", form))
    assert [h.number for h in built.headings] == ["1", "3", "4"]


def test_offsets_map_to_pages_and_sections():
    built = structure.build(pdf_pages("ARTICLE 1 – Objet\nA", "ARTICLE 2 – Prix\nB"))
    assert [(p.number, built.text[p.start : p.end]) for p in built.page_spans] == [
        (1, "ARTICLE 1 – Objet\nA"), (2, "ARTICLE 2 – Prix\nB")
    ]
    h1, h2 = built.headings
    assert h1.end == h2.start and h2.end == len(built.text)


@pytest.mark.timeout(30)
def test_huge_single_line_is_read_in_bounded_time():
    line = "a" * 2_000_000
    built = structure.build(pdf_pages(line + "-\nsuite " + "b\ufffe" * 1000))
    assert len(built.text) > 2_000_000


UNNUMBERED = [
    "CAHIER DES CLAUSES ADMINISTRATIVES PARTICULIERES\nACHETEUR :\nSIRET 123 456 789 00012\nFourniture de mobilier de bureau",
    "\n".join([
        "CONDITIONS D’EXECUTION DU MARCHE",
        "Les prestations sont conformes aux stipulations du contrat.",
        "Livraison des fournitures",
        "Le titulaire livre les fournitures dans les locaux de l'acheteur.",
        "Seront refusées à la livraison :",
        "- les fournitures endommagées",
        "Clauses environnementales",
        "Le titulaire reprend les emballages et en justifie la valorisation",
        "par un bilan annuel.",
        "MODALITES DE PAIEMENT",
        "Délai global de paiement",
        "Les sommes dues sont payées dans un délai de 30 jours.",
    ]),
]


def test_unnumbered_titles_make_the_outline_when_nothing_is_numbered():
    """PDFs whose Word numbering was lost (seen in a real RC and CCAP): sections in capitals,
    subsections as short lines standing alone; identifiers, labels ending with a colon
    and sentences introducing a list are no titles."""
    built = structure.build(pdf_pages(*UNNUMBERED))
    assert [(h.level, h.title) for h in built.headings] == [
        (1, "CAHIER DES CLAUSES ADMINISTRATIVES PARTICULIERES"),
        (1, "CONDITIONS D’EXECUTION DU MARCHE"),
        (2, "Livraison des fournitures"),
        (2, "Clauses environnementales"),
        (1, "MODALITES DE PAIEMENT"),
        (2, "Délai global de paiement"),
    ]
    clause = next(h for h in built.headings if h.title == "Clauses environnementales")
    assert "bilan annuel" in built.text[clause.start : clause.end]
    assert "MODALITES" not in built.text[clause.start : clause.end]


def test_title_in_capitals_wrapped_on_two_lines_is_one_heading():
    built = structure.build(pdf_pages("GUIDE PRATIQUE\nDES CLAUSES SOCIALES\nLe présent guide présente les clauses.",
                                      "Les clauses sont rédigées par l'acheteur."))
    assert [h.title for h in built.headings] == ["GUIDE PRATIQUE DES CLAUSES SOCIALES"]


def test_cells_in_capitals_of_a_one_page_form_are_no_sections():
    form = "BON DE COMMANDE\nADRESSE DE LIVRAISON\nMontant total\nTOTAL TTC"
    assert structure.build(pdf_pages(form)).headings == []


def test_numbered_outline_is_not_mixed_with_unnumbered_titles():
    page = "ARTICLE 1 – Objet\nFourniture de papier.\nCONDITIONS GENERALES\nTexte.\nARTICLE 2 – Prix\nTexte."
    built = structure.build(pdf_pages(page))
    assert [h.number for h in built.headings] == ["1", "2"]


def test_heading_titles_have_single_spaces():
    # a Word line's double space (« 7.1.1 Pilotage  national ») is no part of the citation
    built = structure.build(pdf_pages("7.1 Pilotage\nTexte.\n7.1.1 Pilotage  national\nTexte.", "7.1.2 Pilotage  régional\nTexte."))
    assert [h.title for h in built.headings] == ["Pilotage", "Pilotage national", "Pilotage régional"]


COMBINED = (
    "DOSSIER DE CONSULTATION\nRÈGLEMENT DE LA CONSULTATION\nArticle 1 – Procédure\nAppel d'offres ouvert.\n"
    "Article 2 – Critères d'attribution\n• Prix : 60 %\n• Valeur technique : 40 %",
    "CAHIER DES CLAUSES ADMINISTRATIVES PARTICULIÈRES (CCAP)\nArticle 1 – Durée\nLe marché dure deux ans.\n"
    "Article 2 – Paiement\nLe délai global de paiement est de 30 jours.\nArticle 3 – Pénalités\nAucune.",
    "CAHIER DES CLAUSES TECHNIQUES PARTICULIÈRES\nArticle 1 – Exigences environnementales\nLe mobilier est écolabellisé.",
)


def test_a_combined_dce_has_one_outline_per_piece():
    """One PDF for the RC, the CCAP and the CCTP, each numbered from « Article 1 »: read as
    one outline, the CCAP's articles 1-2 and the CCTP's article 1 were lost, and the CCTP's
    words were cited « art. 3 – Pénalités » of the CCAP."""
    built = structure.build(pdf_pages(*COMBINED))
    assert [(h.number, h.title, h.page) for h in built.headings] == [
        ("1", "Procédure", 1), ("2", "Critères d'attribution", 1), ("1", "Durée", 2), ("2", "Paiement", 2),
        ("3", "Pénalités", 2), ("1", "Exigences environnementales", 3)]
    assert [kind.value for _, kind in built.parts] == ["RC", "CCAP", "CCTP"]
    assert built.text[built.parts[2][0]:].startswith("CAHIER DES CLAUSES TECHNIQUES")


def test_a_piece_named_in_the_body_or_alone_makes_no_parts():
    # an RC listing the DCE's pieces in capitals, in its body: one piece
    rc = pdf_pages("RÈGLEMENT DE LA CONSULTATION\nArticle 1 – Contenu du DCE\nLe DCE comprend :",
                   "Les pièces suivantes sont fournies :\nle présent règlement ;\nCAHIER DES CLAUSES ADMINISTRATIVES PARTICULIÈRES\n"
                   "CAHIER DES CLAUSES TECHNIQUES PARTICULIÈRES\nArticle 2 – Procédure\nAppel d'offres ouvert.")
    assert structure.build(rc).parts == []
    # the same list opening a page
    listed = pdf_pages("RÈGLEMENT DE LA CONSULTATION\nArticle 1 – Contenu du DCE\nLe DCE comprend les pièces suivantes",
                       "CAHIER DES CLAUSES ADMINISTRATIVES PARTICULIÈRES\nCAHIER DES CLAUSES TECHNIQUES PARTICULIÈRES\n"
                       "Article 2 – Procédure\nAppel d'offres ouvert.")
    assert structure.build(listed).parts == []
    # one piece whose title opens two pages: no parts either
    assert structure.build(pdf_pages("CCAP\nCAHIER DES CLAUSES ADMINISTRATIVES PARTICULIÈRES\nArticle 1 – Durée\nDeux ans.",
                                     "CAHIER DES CLAUSES ADMINISTRATIVES PARTICULIÈRES\nArticle 2 – Prix\nFermes.")).parts == []


def test_a_sentence_cut_by_the_page_is_no_title_of_the_next_page():
    """A BOAMP notice's sentence cut by the page (« … conformément aux dispositions de
    l'article L2323-1 du » / « CPP avec publicité et négociation des offres ») made its end
    the title of the pages after it, cited as their article; a page opened after a sentence
    that ended still opens with its title."""
    cut = structure.build(pdf_pages(
        "CONDITIONS DE LA CONSULTATION\nLe marché est passé selon une procédure adaptée conformément à l'article L2323-1 du",
        "Code de la commande publique avec négociation des offres\nLes offres sont remises par voie électronique.",
    ))
    assert [h.title for h in cut.headings] == ["CONDITIONS DE LA CONSULTATION"]
    ended = structure.build(pdf_pages(
        "CONDITIONS DE LA CONSULTATION\nLe marché est passé selon une procédure adaptée.",
        "Délai global de paiement\nLes sommes dues sont payées dans un délai de 30 jours.",
    ))
    assert [h.title for h in ended.headings] == ["CONDITIONS DE LA CONSULTATION", "Délai global de paiement"]


def test_a_numbered_list_item_and_an_address_are_no_articles():
    """A real RC: « L’enjeu est double : » / « 1. Améliorer la qualité de service … » became its
    article 1, and the court's address « 7 Rue …, 75004 Paris. » under « VI.5 VOIES ET DELAIS DE
    RECOURS » its article 7, cited for the pages after it."""
    built = structure.build(pdf_pages(
        "PRESENTATION\nLe service poursuit deux objectifs :\n1. Simplifier les démarches des usagers et leur suivi en\n"
        "lien avec les agents.\n2. Moderniser les outils mis à la disposition des usagers, des agents et des partenaires du service.",
        "II.1. DOCUMENTS DE LA CONSULTATION\nLe dossier comprend le présent règlement.\nII.2. VOIES DE RECOURS\n"
        "Le tribunal compétent est situé :\n3 Rue de la République, 69003 Lyon.\nIl peut être saisi par tout candidat.",
    ))
    assert [h.number for h in built.headings if h.number] == ["II.1", "II.2"]


def test_a_number_wrapped_after_n_degree_is_no_article():
    """BOAMP notices wrap « n° » (extracted « no ») and its number on two lines: « -tranche
    optionnelle no » / « 3 Accompagnement … », « concernant le lot no » / « 5 Electricite-Ssi: »
    were articles 3 and 5, cited for every page after them."""
    built = structure.build(pdf_pages(
        "Avis de marché\nLe marché comporte une tranche ferme et deux tranches optionnelles.\n-tranche optionnelle no\n"
        "1 Etude des modes de gestion du service\n-tranche optionnelle no\n2 Assistance à la mise en oeuvre du mode retenu",
        "Les offres sont remises par voie électronique.",
    ))
    assert [h.number for h in built.headings if h.number] == []


def test_items_of_an_announced_list_with_sub_items_are_no_articles():
    """A real CCTP numbered « 01.01 » to « 01.33 »: after « … gestes barrières : », its list
    « 1- … », « 2- … », « 3- … : » with bullets under it, « 4- … » (the list going on at the
    next page) became articles 2 to 4; a section closed by a list announced with a colon
    still lets the next article be one (« Exigences minimales : » / « • … » / « 2. … »)."""
    built = structure.build(pdf_pages(
        "01.32 Implantation\nLe titulaire implante les ouvrages.\n01.33 Précautions sanitaires\n"
        "A/ Gestes à respecter sur le chantier :\n1- Respect des distances entre les personnes.\n"
        "2- Accès à un point d'eau.\n3- Lavage des mains :\n • à l'arrivée sur le chantier,\n"
        " • après chaque pause, et après tout\n contact avec des objets partagés.",
        "4- Respect des consignes des autorités.\n01.34 Nettoyage\nLe chantier est nettoyé chaque jour.\n"
        "Exigences minimales :\n• Délai d'intervention : 4 heures\n2. GROS OEUVRE\nLes travaux comprennent les fondations.",
    ))
    assert [h.number for h in built.headings] == ["01.32", "01.33", "01.34", "2"]


def test_a_title_ending_with_covid_19_is_no_contents_entry():
    """« 01.34 Recommandations COVID 19 » (a real CCTP) read as a table of contents' entry
    pointing to page 19: the article was lost and its text cited as « 01.33 »."""
    built = structure.build(pdf_pages(
        "01.33 Précautions particulières\nLe titulaire protège les ouvrages.\n01.34 Mesures sanitaires COVID 19\n"
        "Les entreprises appliquent les gestes barrières.", "01.35 Nettoyage\nLe chantier est nettoyé chaque jour.",
    ))
    assert [h.number for h in built.headings] == ["01.33", "01.34", "01.35"]
