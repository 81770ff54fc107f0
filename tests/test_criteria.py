"""Every form of award criteria seen in real DCEs, on documents written for the tests."""

from __future__ import annotations

import csv

import pytest
import yaml

from achat_check.extract.criteria import market_criteria
from achat_check.extract.criteria_kind import classify_criterion
from achat_check.ingest import read_member
from achat_check.ingest.archive import Member
from achat_check.settings import Limits
from corpus import makers
from tests.conftest import REAL_DCE, ROOT

LIMITS = Limits()


def read(name: str, data: bytes):
    return read_member(Member(name, data), LIMITS)


def crit(markup: str, fmt: str = "raw"):
    if fmt == "raw":
        return market_criteria([read("RC.txt", markup.encode())])
    src = makers.parse(markup)
    data = {
        "pdf": lambda: makers.make_pdf(src),
        "docx": lambda: makers.make_docx(src),
        "odt": lambda: makers.make_odt(src),
        "txt": lambda: makers.plain_text(src).encode(),
        "md": lambda: makers.markdown_text(src).encode(),
    }[fmt]()
    return market_criteria([read(f"RC.{fmt}", data)])


def weights(criteria):
    return [(c.name, c.weight, [(s.name, s.weight) for s in c.sub]) for c in criteria]


TABLE = """# ARTICLE 6 – Jugement des offres

Les critères retenus sont pondérés de la manière suivante :

| Critères | Pondération |
| 1 – Prix des prestations | 45 % |
| 2 – Valeur technique appréciée au vu du mémoire technique, de la méthodologie décrite et des moyens humains et matériels que le candidat affecte à l'exécution du marché | 40 % |
| 2.1 – Méthodologie d'intervention et organisation des équipes sur les sites de l'acheteur | 25 % |
| 2.2 – Moyens matériels | 15 % |
| 3 – Performance environnementale des produits et des matériels | 15 % |
| Total | 100 % |
"""


@pytest.mark.parametrize("fmt", ["pdf", "docx", "odt"])
def test_drawn_or_word_table_with_cells_spanning_lines(fmt):
    r = crit(TABLE, fmt)
    assert [c.weight for c in r.criteria] == [45, 40, 15]
    assert [(s.weight) for s in r.criteria[1].sub] == [25, 15]
    assert [c.kind for c in r.criteria] == ["price", "technical", "environmental"]
    assert r.total == 100


def test_text_list_on_one_line():
    r = crit("Les critères de jugement des offres sont : Prix : 40 % ; Valeur technique : 60 %.")
    assert [(c.name, c.weight) for c in r.criteria] == [("Prix", 40), ("Valeur technique", 60)]


ONE_SENTENCE = [
    ("Article 7 – Jugement des offres\nLes offres seront jugées selon les critères pondérés suivants : prix (60 %) ; "
     "valeur technique (40 %).", [("prix", 60), ("valeur technique", 40)]),
    ("Article 7 – Critères d'attribution\nLes critères retenus sont le prix (40 points), la valeur technique (50 points) "
     "et les performances environnementales (10 points).",
     [("prix", 40), ("valeur technique", 50), ("performances environnementales", 10)]),
    # a text extraction of a real BOAMP notice gives its two lines as one
    ("Critères d'attribution :\nOffre économiquement la plus avantageuse appréciée en fonction des critères énoncés "
     "ci-dessous avec leur pondération.\n- prix selon rc : 40 %;- valeur technique selon rc : 60 %.",
     [("prix selon rc", 40), ("valeur technique selon rc", 60)]),
    ("L'offre économiquement la plus avantageuse est appréciée en fonction des critères énoncés ci-dessous avec leur "
     "pondération : - valeur technique : 60 % - prix : 40 %.", [("valeur technique", 60), ("prix", 40)]),
    # a BOAMP notice's, parted by slashes
    ("les critères d'attribution répondent à la pondération suivante : éléments techniques 50 %/éléments financiers "
     "45%/délais de mobilisation 5%.", [("éléments techniques", 50), ("éléments financiers", 45), ("délais de mobilisation", 5)]),
]


@pytest.mark.parametrize(("text", "expected"), ONE_SENTENCE)
def test_criteria_in_one_sentence_starting_lower_case(text, expected):
    """Only the first criterion was read (« prix », 60 %), so the DCE had « aucun critère
    pondéré » and criteria.sum could not be judged; the names lose the sentence's article."""
    r = crit(text)
    assert [(c.name, c.weight) for c in r.criteria] == expected and r.total == 100


def test_the_wording_criteria_sum_proposes_is_read_back_with_clean_names():
    """The fix criteria.sum proposes (« … suivants : 1) Prix : 40 % ; 2) Valeur technique … »)
    was read as « 1) Prix »; « Critères : 1. Prix … » as « s : 1. Prix »."""
    spec = next(v for v in yaml.safe_load((ROOT / "rules" / "verifications.yaml").read_text())["checks"]
                if v["id"] == "criteria.sum")
    r = crit(spec["suggestion_unknown"])
    assert [(c.name, c.weight) for c in r.criteria] == [("Prix", 40), ("Valeur technique", 50), ("Performance environnementale", 10)]
    r = crit("Article 7 – Critères d'attribution\nCritères : 1. Prix : 40 % 2. Valeur technique : 60 %")
    assert [(c.name, c.weight) for c in r.criteria] == [("Prix", 40), ("Valeur technique", 60)]


COEFFICIENTS = [
    # BOAMP notices: « Prix des prestations - Coef. 4 », « Pour le lot 1 - Valeur technique : coeff 5
    # - Délais : coeff 3 - Prix : coeff 2 », « Prix des prestations : (coefficient 4 »
    ("Critères d'attribution :\nOffre économiquement la plus avantageuse appréciée en fonction des critères énoncés "
     "ci-dessous avec leur pondération.\n- Prix des prestations - Coef. 4\n- Valeur technique - Coeff 5\n"
     "- Performances en matière de protection de l'environnement - coef. 1",
     [("Prix des prestations", 40), ("Valeur technique", 50), ("Performances en matière de protection de l'environnement", 10)]),
    ("Critères d'attribution :\nPour le lot 1 - Valeur technique : coeff 5 - Délais : coeff 3 - Prix : coeff 2",
     [("Valeur technique", 50), ("Délais", 30), ("Prix", 20)]),
    ("Article 7 – Critères d'attribution\n1er critère : Valeur technique (coefficient 6)\n2e critère : Prix (coefficient 4)",
     [("Valeur technique", 60), ("Prix", 40)]),
    ("Critères d'attribution :\nPrix des prestations : (coefficient 2)\nValeur technique : (coefficient 1)",
     [("Prix des prestations", 66.6667), ("Valeur technique", 33.3333)]),
    # its parts in parentheses before it (« Valeur technique et environnementale - Coef. 3 (conditions
    # … - Note/2 et … - Note /3 », a BOAMP name): the coefficient stays on its line
    ("Critères d'attribution :\n- Prix des prestations - Coef. 5\n- Valeur technique (moyens humains 50 % - méthodologie 50 %) - Coeff 5",
     [("Prix des prestations", 50), ("Valeur technique", 50)]),
]


@pytest.mark.parametrize(("text", "expected"), COEFFICIENTS)
def test_weights_given_as_coefficients(text, expected):
    """A coefficient weighs its share of the coefficients' sum; such lists were not read (the
    DCE had « aucun critère pondéré »)."""
    r = crit(text)
    assert [(c.name, c.weight) for c in r.criteria] == expected and r.total == pytest.approx(100, abs=0.001)
    if "moyens humains 50 %" in text:
        assert [(s.name, s.weight) for s in r.criteria[1].sub] == [("moyens humains", 25), ("méthodologie", 25)]


PARTS_IN_PARENTHESES = [
    # BOAMP notices give a criterion's parts in parentheses on its line, named then weighed,
    # weighed then named, or inside its description
    ("Critères d'attribution :\n1. Valeur technique de l'offre (qualité du mémoire technique 25% - calendrier d'exécution 15%) : 40 %\n"
     "2. Prix : 60 %", [("Valeur technique de l'offre", 40, [("qualité du mémoire technique", 25), ("calendrier d'exécution", 15)]),
                        ("Prix", 60, [])]),
    ("Critères d'attribution :\nValeur technique (10 points : Solidité des matériaux / 10 points : Facilité de montage / "
     "10 points : Qualité ludique) : 30 points\nPrix : 70 points",
     [("Valeur technique", 30, [("Solidité des matériaux", 10), ("Facilité de montage", 10), ("Qualité ludique", 10)]), ("Prix", 70, [])]),
    ("Critères d'attribution :\n- Valeur technique (nombre de commerçants - 30 % ; modalités et délais de livraison - 15 % ; "
     "délai de validité - 20 %) : 65 %\n- Prix : 35 %",
     [("Valeur technique", 65, [("nombre de commerçants", 30), ("modalités et délais de livraison", 15), ("délai de validité", 20)]),
      ("Prix", 35, [])]),
    ("Critères d'attribution :\n1. Valeur technique (appréciée d'après le mémoire technique dont équipe (20%) et méthodologie (30%)) : 50 %\n"
     "2. Prix : 50 %", [("Valeur technique", 50, [("équipe", 20), ("méthodologie", 30)]), ("Prix", 50, [])]),
    # weighed then named after a description (a BOAMP name: the first part was named by the description)
    ("Critères d'attribution :\n1. Valeur et performances techniques (appréciées au regard du mémoire technique : - 50 points : "
     "Pertinence de la démarche d'insertion - 20 points : Moyens employés) : 70 points\n2. Prix : 30 points",
     [("Valeur et performances techniques", 70, [("Pertinence de la démarche d'insertion", 50), ("Moyens employés", 20)]),
      ("Prix", 30, [])]),
    # the criterion's own weight left out: its parts make it
    ("Critères d'attribution :\n1. Valeur technique de l'offre (mémoire technique 15% - moyens humains 15% - planning de réalisation 20%)\n"
     "2. Prix : 50 %", [("Valeur technique de l'offre", 50, [("mémoire technique", 15), ("moyens humains", 15), ("planning de réalisation", 20)]),
                        ("Prix", 50, [])]),
    # the parenthesis never closed (the BOAMP names are cut so), the next criterion on the next line
    ("Critères d'attribution :\n1. Valeur technique de l'offre (mémoire technique 15% - moyens humains 15% - planning de réalisation 20%\n"
     "2. Prix : 50 %", [("Valeur technique de l'offre", 50, [("mémoire technique", 15), ("moyens humains", 15), ("planning de réalisation", 20)]),
                        ("Prix", 50, [])]),
    # after the criterion's weight, parted by « ; » (which a sentence's criteria are cut at)
    ("Critères d'attribution :\n1. Prix : 60 %\n2. Valeur technique : 40 % (mémoire technique 20 % ; moyens humains 20 %)",
     [("Prix", 60, []), ("Valeur technique", 40, [("mémoire technique", 20), ("moyens humains", 20)])]),
    # parts marked « + », « pour le », or given as shares of their criterion (adding up to 100)
    ("Critères d'attribution :\n1. La valeur environnementale ( 5% pour le SOPRE et 10% pour le SOSED) : 15 %\n"
     "2. Qualité (qualité gustative 30% + qualité de fabrication 30%) : 60 %\n3. Prix : 25 %",
     [("Valeur environnementale", 15, [("SOPRE", 5), ("SOSED", 10)]),
      ("Qualité", 60, [("qualité gustative", 30), ("qualité de fabrication", 30)]), ("Prix", 25, [])]),
    ("Critères d'attribution :\n1. Valeur technique (sous-critère 1 : moyens humains : 30 % - sous-critère 2 : "
     "note méthodologique : 70 %) : 60 %\n2. Prix : 40 %",
     [("Valeur technique", 60, [("moyens humains", 18), ("note méthodologique", 42)]), ("Prix", 40, [])]),
    # weights per lot in parentheses are no parts
    ("Critères d'attribution :\n1. Prix (lots 1 et 2 : 30 points ; lots 3 et 4 : 100 points)\n2. Valeur technique : 70 points",
     [("Prix", 30, []), ("Valeur technique", 70, [])]),
]


@pytest.mark.parametrize(("text", "expected"), PARTS_IN_PARENTHESES)
def test_a_criterion_s_parts_in_parentheses_on_its_line(text, expected):
    """The first part's weight was the criterion's (« Valeur technique » 25 %) and the others
    criteria beside it; each part is now quoted where it is written."""
    doc = read("RC.txt", text.encode())
    r = market_criteria([doc])
    assert weights(r.criteria) == expected and r.total == 100
    for part in (s for c in r.criteria for s in c.sub):
        ev = part.evidence[0]
        assert doc.text[ev.start : ev.end] == ev.quote and part.name in ev.quote
    for crit in r.criteria:  # a line whose parenthesis is never closed is quoted as it is
        ev = crit.evidence[0]
        assert " ".join(doc.text[ev.start : ev.end].split()) == ev.quote


@pytest.mark.parametrize("fmt", ["docx", "pdf", "odt"])
def test_parts_in_parentheses_from_each_format(fmt):
    text, expected = PARTS_IN_PARENTHESES[2]
    r = crit("Article 7 – Jugement des offres\n\n" + text.replace("\n", "\n\n"), fmt)
    assert weights(r.criteria) == expected


def test_a_scale_before_the_weight_is_not_the_weight():
    """A BOAMP notice's « La valeur technique des prestations : 20 points pondérés à 50 % »: each
    criterion noted on 20 weighed its 20 points (50 % each here, whatever the weights)."""
    r = crit("Critères d'attribution :\n1. Valeur technique : 20 points pondérés à 60 %\n2. Prix : 20 points pondérés à 40 %")
    assert [(c.name, c.weight) for c in r.criteria] == [("Valeur technique", 60), ("Prix", 40)]


def test_criteria_numbered_by_ordinals_on_one_line():
    """A BOAMP notice: « 1er critère : Le Prix (70 Points - 2ème critère : Le délai de
    réalisation (10 Points - … »; names were « er critère : … »."""
    r = crit("Critères d'attribution :\n1er critère : Le Prix (70 points) - 2ème critère : Le délai de réalisation "
             "(10 points) - 3ème critère : La valeur technique (20 points)")
    assert [(c.name, c.weight) for c in r.criteria] == [("Prix", 70), ("Délai de réalisation", 10), ("Valeur technique", 20)]


@pytest.mark.parametrize("fmt", ["raw", "docx", "pdf"])
def test_a_criterion_s_parts_after_its_weight_on_its_line(fmt):
    """« Valeur technique (60 %) : méthodologie (30 %) ; moyens humains (30 %) »: the parts
    are its sub-criteria, not criteria beside it (130 %)."""
    r = crit("Article 7 – Critères d'attribution\n\nCritères de jugement des offres :\n\nValeur technique (60 %) : "
             "méthodologie (30 %) ; moyens humains (30 %)\n\nPrix (40 %)", fmt)
    assert weights(r.criteria) == [("Valeur technique", 60, [("méthodologie", 30), ("moyens humains", 30)]), ("Prix", 40, [])]


def test_a_name_spanning_lines_is_kept_whole_or_clipped_at_a_word():
    """A real RC's sub-criteria on two lines, too long to keep whole, were named from their
    first line: « Pertinence et adéquation des moyens humains (profils / compétences / », then
    without the open parenthesis, and « Qualité des engagements de sécurité formalisés dans le
    Cahier des clauses » (of cybersecurity, on the next line). A name of up to 140 characters
    is kept whole; a paragraph is clipped at a word, with « … »."""
    text = ("CRITERES DE JUGEMENT DES OFFRES\nLes offres sont jugées selon les critères pondérés ci-dessous :\n"
            "CRITERE 1 : VALEUR TECHNIQUE (60 % DE LA NOTE GLOBALE)\n"
            "Elle s'apprécie à partir des éléments suivants : Valeur technique globale Pondération sur 100\n"
            "Pertinence et adéquation des moyens humains (profils / compétences /\n"
            "expertises et références des intervenants) affectés à la réalisation des prestations de maintenance "
            "corrective et évolutive des applications 50\n"
            "Qualité des engagements de sécurité formalisés dans le plan d'assurance\n"
            "sécurité et pertinence des justifications apportées 50\n"
            "CRITERE 2 : PRIX (40 % DE LA NOTE GLOBALE)\n")
    r = crit(text)
    first, second = (s.name for s in r.criteria[0].sub)
    assert second == "Qualité des engagements de sécurité formalisés dans le plan d'assurance sécurité et pertinence des justifications apportées"
    whole = ("Pertinence et adéquation des moyens humains (profils / compétences / expertises et références des "
             "intervenants) affectés à la réalisation des prestations de maintenance corrective et évolutive des applications")
    assert first.endswith("…") and len(first) <= 140 and whole.startswith(first[:-1] + " ")
    assert first == ("Pertinence et adéquation des moyens humains (profils / compétences / expertises et références des "
                     "intervenants) affectés à la réalisation…")
    assert [s.weight for s in r.criteria[0].sub] == [30, 30]


def test_clip_cuts_at_a_word():
    from achat_check.report.labels import clip

    assert clip("  Prix   des prestations ", 40) == "Prix des prestations"
    assert clip("Valeur technique de l'offre appréciée au vu du mémoire", 30) == "Valeur technique de l'offre…"
    assert clip("Anticonstitutionnellement" * 3, 20) == "Anticonstitutionnel…"  # no word end: cut inside


def test_points_and_weight_inside_the_name():
    r = crit("""Les critères d'attribution sont notés sur 100 points :
1. Prix des prestations : sur 50 points
2. Valeur technique (40 points)
3. Délais de livraison : 10 points
Chaque critère est noté sur 20.""")
    assert [(c.weight, c.points) for c in r.criteria] == [(50, 50), (40, 40), (10, 10)]
    assert [c.kind for c in r.criteria] == ["price", "technical", "delay"]


def test_points_not_summing_to_100_are_converted():
    r = crit("""Les critères d'attribution sont les suivants :
- Prix : 12 points
- Valeur technique : 8 points""")
    assert [c.weight for c in r.criteria] == [60, 40]


PARTS = """Les critères d'attribution sont les suivants :
{bullet}Prix des prestations : 40 points
{bullet}Valeur technique : 60 points
- Méthodologie et organisation du chantier : 30 points
- Gestion et valorisation des déchets de chantier : 15 points
- Planning détaillé : 15 points
"""


@pytest.mark.parametrize("bullet", ["", "- "])
def test_parts_that_add_up_to_the_criterion_above_are_its_sub_criteria(bullet):
    """Dashes do not say the level: the three parts weigh the 60 points of the technical
    value (read flat, the list weighed 160 points and the waste criterion 9.38 %)."""
    r = crit(PARTS.format(bullet=bullet))
    assert weights(r.criteria) == [
        ("Prix des prestations", 40, []),
        ("Valeur technique", 60, [("Méthodologie et organisation du chantier", 30),
                                  ("Gestion et valorisation des déchets de chantier", 15), ("Planning détaillé", 15)]),
    ]
    assert r.criteria[1].sub[1].inside_technical and r.total == 100


@pytest.mark.parametrize("fmt", ["pdf", "docx", "md"])
def test_table_rows_that_add_up_to_the_row_above_are_its_sub_criteria(fmt):
    r = crit("| Critère | Pondération |\n| Prix | 40 % |\n| Valeur technique | 45 % |\n| - Méthodologie | 25 % |\n"
             "| - Moyens humains | 20 % |\n| Performance environnementale | 15 % |", fmt)
    assert weights(r.criteria) == [("Prix", 40, []), ("Valeur technique", 45, [("Méthodologie", 25), ("Moyens humains", 20)]),
                                   ("Performance environnementale", 15, [])]


def test_the_parts_go_under_the_criterion_they_add_up_to_not_the_first_that_fits():
    """40 = 20 + 10 + 10 would put the sustainability criterion and its parts under the
    technical value (80 % in all); 20 = 10 + 10 makes 100 %.  The row's « , dont : » is no
    part of its name, and « environnement (…) » is the environmental part."""
    r = crit("| Critère | Pondération |\n| Prix | 40 % |\n| Valeur technique | 40 % |\n"
             "| Performance en matière de développement durable, dont : | 20 % |\n"
             "| environnement (taux de valorisation matière garanti) | 10 % |\n"
             "| social (accompagnement socioprofessionnel des salariés en insertion) | 10 % |", "docx")
    assert [(c.name, c.weight, len(c.sub)) for c in r.criteria] == [
        ("Prix", 40, 0), ("Valeur technique", 40, 0), ("Performance en matière de développement durable", 20, 2)]
    assert [s.kind for s in r.criteria[2].sub] == ["environmental", "social"] and r.total == 100


INLINE_PARTS = """# 6. Jugement des offres

Le jugement des offres est effectué sur la base des critères pondérés suivants :

| Critères | Pondération |
| Prix des prestations, apprécié au vu du DQE | 50 points |
| Valeur technique, appréciée au vu du mémoire technique | 30 points |
| Performance environnementale des produits | 20 points |

La valeur technique est notée selon les sous-critères suivants : qualité et ergonomie des produits (15 points), délais et modalités de livraison et d'installation (15 points).

La performance environnementale est appréciée au regard de la part de mobilier issu du réemploi ou intégrant des matières recyclées (10 points) et des modalités de reprise et de recyclage du mobilier usagé par la filière de responsabilité élargie du producteur (10 points).

# 7. Négociation
"""


@pytest.mark.parametrize("fmt", ["pdf", "docx", "raw"])
def test_parts_given_in_a_sentence_are_sub_criteria_of_the_criterion_it_names(fmt):
    """Read line by line, the sentences made a second list of half-parts (« qualité … » 15,
    « La performance environnementale est appréciée … » 10, « par la filière … » 10), and
    the report judged the weight of the environmental criteria on it."""
    markup = INLINE_PARTS if fmt != "raw" else INLINE_PARTS.replace("| ", "").replace(" |", "")
    r = crit(markup, fmt)
    assert weights(r.criteria) == [
        ("Prix des prestations, apprécié au vu du DQE", 50, []),
        ("Valeur technique, appréciée au vu du mémoire technique", 30,
         [("qualité et ergonomie des produits", 15), ("délais et modalités de livraison et d'installation", 15)]),
        ("Performance environnementale des produits", 20,
         [("part de mobilier issu du réemploi ou intégrant des matières recyclées", 10),
          ("modalités de reprise et de recyclage du mobilier usagé par la filière de responsabilité élargie du producteur", 10)]),
    ]
    assert r.groups == [] and r.total == 100
    sub = r.criteria[2].sub[1]
    assert sub.kind == "environmental" and sub.evidence[0].quote.startswith("modalités de reprise")


def test_parts_on_100_in_a_sentence_are_shares_of_their_criterion():
    r = crit("""Les critères d'attribution sont les suivants :
Prix : 60 %
Valeur technique : 40 %
Les sous-critères de la valeur technique sont : méthodologie (50 %) ; moyens humains (50 %).""")
    assert weights(r.criteria) == [("Prix", 60, []), ("Valeur technique", 40, [("méthodologie", 20), ("moyens humains", 20)])]


@pytest.mark.parametrize("fmt", ["raw", "docx", "pdf"])
def test_parts_marked_a_b_on_their_criterion_s_own_line(fmt):
    """« Valeur technique : 60 %, décomposée comme suit : a) … (30 %) ; b) … (30 %). » (the
    leftover of earlier sessions: the parts on one line were not read)."""
    r = crit("Article 7 – Critères d'attribution\n\nLes critères retenus pour le jugement des offres sont pondérés de la manière "
             "suivante :\n\nPrix : 40 %\n\nValeur technique : 60 %, décomposée comme suit : a) méthodologie (30 %) ; "
             "b) moyens humains (30 %).", fmt)
    assert weights(r.criteria) == [("Prix", 40, []), ("Valeur technique", 60, [("méthodologie", 30), ("moyens humains", 30)])]


def test_a_sentence_that_names_no_criterion_or_does_not_add_up_is_not_parts():
    r = crit("""Les critères d'attribution sont les suivants :
Prix : 60 %
Valeur technique : 40 %
Les délais sont notés selon la réactivité (10 points) et la disponibilité (10 points).
La valeur technique est appréciée au regard de la méthodologie (15 %) et des moyens (15 %).""")
    assert [(c.name, c.sub) for c in r.criteria][:2] == [("Prix", []), ("Valeur technique", [])]
    assert not any(c.sub for c in r.criteria)


def merged_cells_docx(rows: list[tuple[str, ...]], merge: tuple[int, int, int]) -> bytes:
    """An RC whose criteria table merges a criterion's cell down its sub-criteria's rows."""
    import io

    import docx

    d = docx.Document()
    d.add_paragraph("Article 8 – Critères de jugement des offres")
    table = d.add_table(rows=len(rows), cols=len(rows[0]))
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            table.cell(i, j).text = text
    col, top, bottom = merge
    kept = table.cell(top, col).text
    table.cell(top, col).merge(table.cell(bottom, col)).text = kept
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_a_criterion_column_and_a_sub_criterion_column():
    """« Critère | Sous-critère | Pondération », the criterion's cell merged down: its parts were
    read as criteria (the first lost), the list weighed 130 %."""
    data = merged_cells_docx([("Critère", "Sous-critère", "Pondération"),
                              ("Valeur technique (60 %)", "Méthodologie d'intervention", "30 %"),
                              ("", "Moyens humains et matériels", "20 %"),
                              ("", "Démarche environnementale (produits, déchets)", "10 %"),
                              ("Prix", "", "40 %")], (0, 1, 3))
    r = market_criteria([read("RC.docx", data)])
    assert weights(r.criteria) == [
        ("Valeur technique", 60, [("Méthodologie d'intervention", 30), ("Moyens humains et matériels", 20),
                                  ("Démarche environnementale (produits, déchets)", 10)]),
        ("Prix", 40, []),
    ]
    assert r.total == 100 and r.criteria[0].sub[2].kind == "environmental" and r.criteria[0].sub[2].inside_technical


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_each_column_with_its_weight_and_a_criterion_weighing_its_parts(fmt):
    r = crit("| Critère | Pondération | Sous-critère | Pondération |\n"
             "| Valeur technique | 50 % | Méthodologie | 30 % |\n"
             "| | | Planning | 20 % |\n"
             "| Performance sociale | | Heures d'insertion proposées | 10 % |\n"
             "| Prix | 40 % | | |", fmt)
    assert weights(r.criteria) == [("Valeur technique", 50, [("Méthodologie", 30), ("Planning", 20)]),
                                   ("Performance sociale", 10, [("Heures d'insertion proposées", 10)]), ("Prix", 40, [])]
    assert r.total == 100


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_table_s_lines_read_as_text_do_not_make_a_second_list(fmt):
    """The text reader read the rows' lines (« Valeur technique Méthodologie 30 points ») as a
    list of its own, placed first: it was the market's criteria, the table's under it."""
    r = crit("Article 6 – Critères d'attribution\n\n| Critère | Sous-critères | Note |\n"
             "| Valeur technique | Méthodologie | 30 points |\n| | Références | 10 points |\n| Prix | | 60 points |", fmt)
    assert weights(r.criteria) == [("Valeur technique", 40, [("Méthodologie", 30), ("Références", 10)]), ("Prix", 60, [])]
    assert r.groups == []


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize("heading", ["Lot {n}", "Pondération lot n° {n}"])
def test_a_weight_column_per_lot_is_a_list_per_lot(fmt, heading):
    """« Critères | Lot 1 | Lot 2 »: the first weight of each row was taken, whatever its lot
    (Prix 60 % of lot 1, the environment's 15 % of lot 2: 115 %, a false breach)."""
    r = crit(f"Article 6 – Critères d'attribution\n\n| Critères | {heading.format(n=1)} | {heading.format(n=2)} |\n| Prix | 60 % | 50 % |\n"
             "| Valeur technique | 40 % | 35 % |\n| Performance environnementale | - | 15 % |", fmt)
    assert [(g.lots, weights(g.criteria), g.total) for g in r.groups] == [
        (["1"], [("Prix", 60, []), ("Valeur technique", 40, [])], 100),
        (["2"], [("Prix", 50, []), ("Valeur technique", 35, []), ("Performance environnementale", 15, [])], 100),
    ]


@pytest.mark.parametrize("fmt", ["odt", "raw"])
def test_parts_without_marks_after_dont_go_on_until_they_weigh_their_criterion(fmt):
    """An ODT list's marks are not in its text: after « Critère 2 : Valeur technique – 35
    points, dont : » only the first part went under it, the others were criteria (120 points)."""
    r = crit("Article 3 : Critères d'attribution\n\nCritère 1 : Prix des prestations – 45 points\n\n"
             "Critère 2 : Valeur technique – 35 points, dont :\n\n- moyens humains et encadrement : 15 points\n"
             "- organisation et contrôle qualité : 10 points\n- produits et matériels utilisés : 10 points\n\n"
             "Critère 3 : Performance en matière d'insertion professionnelle – 20 points", fmt)
    assert weights(r.criteria) == [
        ("Prix des prestations", 45, []),
        ("Valeur technique", 35, [("moyens humains et encadrement", 15), ("organisation et contrôle qualité", 10),
                                  ("produits et matériels utilisés", 10)]),
        ("Performance en matière d'insertion professionnelle", 20, []),
    ]


def test_a_plain_line_beyond_its_criterion_s_weight_is_a_criterion():
    r = crit("Critères d'attribution :\nPrix : 40 points\nValeur technique : 40 points, dont :\nméthodologie : 25 points\n"
             "moyens : 15 points\nDélai d'intervention : 20 points")
    assert weights(r.criteria) == [("Prix", 40, []), ("Valeur technique", 40, [("méthodologie", 25), ("moyens", 15)]),
                                   ("Délai d'intervention", 20, [])]


@pytest.mark.parametrize("fmt", ["pdf", "raw"])
def test_bare_numbers_are_weights_when_the_line_after_the_title_says_the_list_is_on_100(fmt):
    markup = ("Article 6 – Jugement des offres\n\nLes offres sont notées sur 100 points répartis comme suit :\n\n"
              "| Critère | Note maximale |\n| Prix | 50 |\n| Valeur technique | 40 |\n| Insertion professionnelle | 10 |")
    r = crit(markup if fmt == "pdf" else markup.replace("| ", "").replace(" |", ""), fmt)
    assert weights(r.criteria) == [("Prix", 50, []), ("Valeur technique", 40, []), ("Insertion professionnelle", 10, [])]


def test_leaders_up_to_a_weight_are_criteria_not_contents():
    r = crit("""CRITÈRES D'ATTRIBUTION
Prix des prestations .............................. 40 %
Qualité technique de l'offre ...................... 50 %
Développement durable ............................. 10 %""")
    assert weights(r.criteria) == [("Prix des prestations", 40, []), ("Qualité technique de l'offre", 50, []),
                                   ("Développement durable", 10, [])]
    # a line of the contents ends with its page: no criterion
    assert crit("SOMMAIRE\nArticle 5 – Critères d'attribution .............. 12\nArticle 6 – Prix .............. 13") is None


def test_parts_stay_flat_when_the_list_then_does_not_add_up():
    """« 10 + 10 » under a 20 % criterion leaves 80 %: a criterion missed, not sub-criteria."""
    r = crit("""Les critères d'attribution sont les suivants :
- Prix : 40 %
- Valeur technique : 20 %
- Délai : 10 %
- Service après-vente : 10 %""")
    assert [c.weight for c in r.criteria] == [40, 20, 10, 10] and r.total == 80


def test_three_levels_decimal_commas_shares_of_the_total():
    r = crit("""Les critères d'attribution sont les suivants :
Critère n°1 : Prix (40%)
Critère n°2 : Valeur technique (45%)
• Sous-critère 2.1 : Qualité des profils (25%)
• Sous-critère 2.2 : Méthodologie (20%)
Critère n°3 : Considérations sociales et environnementales (15%)
• Sous-critère 3.1 : Performance sociale (5%)
➢ Sous-critère 3.1.1 : Taux de féminisation des salariés en insertion (2,5%)
➢ Sous-critère 3.1.2 : Formation des salariés en insertion (2,5%)
• Sous-critère 3.2 : Performance environnementale (10%)""")
    c3 = r.criteria[2]
    assert c3.kind == "sustainable" and c3.weight == 15
    assert [s.weight for s in c3.sub] == [5, 10]
    assert [s.weight for s in c3.sub[0].sub] == [2.5, 2.5]


def test_a_sub_criterion_without_a_telling_word_is_of_its_criterion_s_kind():
    r = crit("""Les critères d'attribution sont les suivants :
Critère n°1 : Prix (40%)
Critère n°2 : Performances techniques de l'équipement (50%)
• Sous-critère 2.1 : Précision de découpe (30%)
• Sous-critère 2.2 : Délai de livraison (20%)
Critère n°3 : Outils et environnements (10%)
• Sous-critère 3.1 : Tableaux de bord (10%)""")
    tech, other = r.criteria[1], r.criteria[2]
    assert [(s.kind, s.kind_reason) for s in tech.sub] == [
        ("technical", "sous-critère de « Performances techniques de l'équipement »"),
        ("delay", classify_criterion("Délai de livraison")[1]),  # a sub's own word stays
    ]
    assert other.kind == "other" and other.sub[0].kind == "other"  # nothing to inherit


def test_an_annexed_table_of_level_2_criteria_takes_the_technical_kind():
    """An RC weighing « valeur technique » 60 % and its level-2 criteria in an annexed table
    on 100 (ministère de la Justice's form): the rows are technical sub-criteria."""
    r = crit("""# ARTICLE 8 – Jugement des offres

Les critères d'attribution sont les suivants :

- Valeur technique de l'offre : 60 %
- Prix : 40 %

Les pondérations des critères techniques de niveau 2 figurent en annexe 1.

# ARTICLE 9 – Négociation

L'acheteur se réserve la possibilité de négocier avec les trois meilleurs candidats.

# ANNEXE 1 – Pondération des critères techniques

| Critères techniques de niveau 2 | Pondération |
| Reprise des applications existantes | 25 % |
| Tierce maintenance applicative | 50 % |
| Réversibilité en fin de marché | 25 % |
""", "docx")
    tech = r.criteria[0]
    assert [(s.weight, s.kind) for s in tech.sub] == [(15, "technical"), (30, "technical"), (15, "technical")]
    assert tech.sub[1].kind_reason == "sous-critère de « Valeur technique de l'offre »"


def test_sub_weights_on_100_inside_the_criterion():
    r = crit("""Les critères de jugement des offres sont pondérés ci-dessous :
CRITERE 1 : VALEUR TECHNIQUE (60 % DE LA NOTE GLOBALE)
Sous-critères Pondération sur 100
Organisation proposée pour l'exécution des prestations 50
Moyens humains affectés 50
CRITERE 2 : PRIX (40 % DE LA NOTE GLOBALE)""")
    assert [c.weight for c in r.criteria] == [60, 40]
    assert [s.weight for s in r.criteria[0].sub] == [30, 30]


def test_wrong_total_row_reports_the_real_sum():
    r = crit("""| Critère | Pondération |
| Prix | 35 % |
| Valeur technique | 50 % |
| Performance environnementale | 10 % |
| Total | 100 % |""", "md")
    assert r.total == 95 and r.stated_total == 100


def test_criteria_per_lot_group():
    r = crit("""Les critères d'attribution des lots 1 à 3 sont les suivants :
Critère n°1 : Prix (40%)
Critère n°2 : Valeur technique (60%)
Les critères d'attribution du lot 4 sont les suivants :
Critère n°1 : Prix (30%)
Critère n°2 : Valeur technique (60%)
Critère n°3 : Performance sociale (10%)""")
    assert [g.lots for g in r.groups] == [["1", "2", "3"], ["4"]]
    assert [c.weight for c in r.groups[1].criteria] == [30, 60, 10]
    assert [c.weight for c in r.criteria] == [40, 60]


def test_placeholders_are_not_numbers():
    r = crit("""Les critères d'attribution sont les suivants :
- Valeur technique : XX %
- Prix : XX %""")
    assert [c.weight for c in r.criteria] == [None, None] and r.total is None


def test_page_break_and_running_header_inside_the_list():
    markup = """@header Caisse de test – RC – Consultation 2026-01
@footer Page {page} sur {pages}

# ARTICLE 5 – Critères d'attribution

Les critères d'attribution sont les suivants :

- Prix : 40 %
- Valeur technique : 50 %

===page===

- Performance environnementale : 10 %

# ARTICLE 6 – Négociation

Le pouvoir adjudicateur se réserve la possibilité de négocier.

===page===

# ARTICLE 7 – Divers

Fin."""
    r = crit(markup, "pdf")
    assert [c.weight for c in r.criteria] == [40, 50, 10]


def test_selection_of_candidates_is_not_award():
    r = crit("""Critères de sélection des candidatures : références 60 %, moyens humains 40 %.

Les critères de jugement des offres sont les suivants :
- Prix : 70 %
- Valeur technique : 30 %""")
    assert [c.name for c in r.criteria] == ["Prix", "Valeur technique"]


def test_restatement_later_is_not_a_new_list():
    r = crit("""Les critères d'attribution sont les suivants :
- Prix : 40 %
- Valeur technique : 60 %

Méthode de notation : le critère « Prix » pondéré à 40 % est noté sur 100. Le critère « Valeur technique » pondéré à 60 % est noté sur 100.""")
    assert len(r.criteria) == 2 and not r.groups


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Prix des prestations", "price"),
        ("Coût global de possession", "cost"),
        ("Valeur technique et environnementale de l'offre", "technical"),
        ("Performance en matière de développement durable", "sustainable"),
        ("Performance sociale", "social"),
        ("Délais de livraison", "delay"),
        ("Outils et environnements", "other"),
        ("Qualité du service", "technical"),
        # BOAMP names: the criterion named first is its kind, what its detail lists is not
        ("Valeur technique (moyens matériels et humains et mesures prises en faveur du développement durable)", "technical"),
        ("2 - Valeur technique (procédés et mesures de développement durable)", "technical"),
        ("Caractéristiques techniques des matériels - ergonomie 10 % - performance environnementale 5 %", "technical"),
        ("Prix : prix des articles (frais de port : 20 ; montants des emballages : 20)", "price"),
        ("Performance environnementale des emballages", "environmental"),
        # BOAMP names misspelt or without their apostrophe: they were « technical » or « other »,
        # a DCE with such a criterion « had no environmental criterion »
        ("La valeur environementale", "environmental"),
        ("Valeur environnemementale", "environmental"),
        ("Valeur environnement", "environmental"),
        ("Critère environnement : jugé suivant la méthode de dépouillement des offres", "environmental"),
        ("Performances en matière de protection de lenvironnement", "environmental"),
        ("Connaissance de l'environnement technique du système d'information", "technical"),
        # the code's two performances in one criterion: environment and insertion (was environmental)
        ("Performances en matière de protection de l'environnement et d'insertion professionnelle des publics en difficulté", "sustainable"),
        ("Performances en matière d'insertion et de protection de l'environnement", "sustainable"),
        # BOAMP names judging the candidate's finances were « price » (« financière »)
        ("Capacités financières", "other"),
        ("-Solidité financière et expérience du candidat (30%. Ce critère sera jugé sur les comptes annuels", "other"),
        ("- Capacités professionnelles(Références similaires : 15 % -Moyens humains : 5 %Garanties financières : 5 %", "other"),
        ("Proposition financière", "price"),
    ],
)
def test_kind(name, kind):
    assert classify_criterion(name)[0] == kind


BOAMP = REAL_DCE.parent / "data" / "boamp-criteria-dataset" / "critere_attribution_train.csv"
MAP = {"PRIX": {"price"}, "TECHNIQUE": {"technical"}, "QUALITE": {"technical"}, "DELAI": {"delay"},
       "AUTRE": {"other", "environmental", "social", "sustainable", "cost"}}


@pytest.mark.skipif(not BOAMP.exists(), reason="../shared BOAMP dataset absent")
def test_kind_accuracy_on_labelled_boamp_names():
    ok = n = 0
    with BOAMP.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            labels = [k for k in MAP if row[k] == "1"]
            if not labels:
                continue
            n += 1
            ok += classify_criterion(row["CRITERE"])[0] in set().union(*(MAP[k] for k in labels))
    assert n > 500 and ok / n >= 0.95


PER_LOT = [
    # BOAMP notices: the weight of each lot on the criterion's line, after it or before it
    ("Critères d'attribution :\n- Valeur technique : 40 points pour le lot 1 ; 55 points pour le lot 2\n"
     "- Prix : 50 points pour le lot 1 ; 35 points pour le lot 2\n- Délai : 10 points pour les lots 1 et 2",
     [(["1"], [("Valeur technique", 40), ("Prix", 50), ("Délai", 10)]), (["2"], [("Valeur technique", 55), ("Prix", 35), ("Délai", 10)])]),
    ("Critères d'attribution :\n- Prix : Lot 1 : 50 % ; Lot 2 : 35 %\n- Valeur technique : Lot 1 : 50 % ; Lot 2 : 65 %",
     [(["1"], [("Prix", 50), ("Valeur technique", 50)]), (["2"], [("Prix", 35), ("Valeur technique", 65)])]),
    ("Critères d'attribution :\n1. Qualités des garanties 50 % pour les lots 1 à 3 et 45 % pour les lots 4 et 5\n"
     "2. Prix de la prestation 50 % pour les lots 1 à 3 et 55 % pour les lots 4 et 5",
     [(["1", "2", "3"], [("Qualités des garanties", 50), ("Prix de la prestation", 50)]),
      (["4", "5"], [("Qualités des garanties", 45), ("Prix de la prestation", 55)])]),
    # a criterion for some lots only is not in the others' lists
    ("Critères d'attribution :\n1. Valeur technique (lots 1 et 2 : 40 points)\n"
     "2. Prix (lots 1 et 2 : 30 points ; lots 3 et 4 : 100 points)\n3. Délai (lots 1 et 2 : 30 points)",
     [(["1", "2"], [("Valeur technique", 40), ("Prix", 30), ("Délai", 30)]), (["3", "4"], [("Prix", 100)])]),
    ("Critères d'attribution :\n1. Coût d'acquisition pour les lots 1 et 2 : 60 %\n2. Coût d'exploitation pour le lot 3 : 60 %\n"
     "3. Valeur technique : 40 %",
     [(["1", "2"], [("Coût d'acquisition pour les lots 1 et 2", 60), ("Valeur technique", 40)]),
      (["3"], [("Coût d'exploitation pour le lot 3", 60), ("Valeur technique", 40)])]),
    # the list's last line with its parenthesis never closed (as the notice's text is cut)
    ("Critères d'attribution :\n1. Valeur technique : (pondération 60 points pour les lots 1 à 5 (pondération 40 points pour le lot 6\n"
     "2. Prix : (pondération 40 points pour les lots 1 à 5 (pondération 60 points pour le lot 6",
     [(["1", "2", "3", "4", "5"], [("Valeur technique", 60), ("Prix", 40)]), (["6"], [("Valeur technique", 40), ("Prix", 60)])]),
]


@pytest.mark.parametrize(("text", "expected"), PER_LOT)
def test_weights_given_lot_by_lot_on_the_criterion_s_line(text, expected):
    """The first lot's weight was every lot's (« Prix : 50 points pour le lot 1 ; 35 points pour le
    lot 2 » was 50 for both), or the next lot's weight a criterion named « lot 2 »."""
    r = crit(text)
    assert [(g.lots, [(c.name, c.weight) for c in g.criteria]) for g in r.groups] == expected
    assert all(g.total == 100 for g in r.groups)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_weights_lot_by_lot_from_each_format(fmt):
    text = PER_LOT[0][0].replace(":\n", " :\n\n").replace("\n-", "\n\n-")
    r = crit(f"# ARTICLE 6 – Critères d'attribution\n\n{text}", fmt)
    assert [(g.lots, [(c.name, c.weight) for c in g.criteria]) for g in r.groups] == PER_LOT[0][1]


def test_a_weight_for_the_lots_a_criterion_excepts_is_not_its_weight():
    """« prix (sauf pour le lot 9 : 40 %) : 60 % » (a BOAMP notice) weighed 40 %; without another
    weight, the one for the excepted lots is read as before."""
    r = crit("Critères d'attribution :\n1. Prix (sauf pour le lot 9 : 40 %) : 60 %\n2. Valeur technique : 40 %")
    assert [c.weight for c in r.criteria] == [60, 40]
    r = crit("Critères d'attribution :\n1. Prix (sauf pour le lot 9 : 40 %\n2. Valeur technique (sauf pour le lot 9 : 60 %")
    assert [c.weight for c in r.criteria] == [40, 60]


def test_a_list_weighed_lot_by_lot_meets_the_sum_lot_by_lot(tmp_path):
    """Read with each criterion's first weight, this list made 110 %: a false breach of criteria.sum."""
    from achat_check.checker import Checker

    text = ("Article 6 – Critères d'attribution\n- Prix : 60 % pour les lots 1 à 5, 40 % pour le lot 6\n"
            "- Valeur technique : 40 % pour les lots 1 à 5, 50 % pour le lot 6\n- Performance environnementale : 10 % pour le lot 6\n")
    rc = tmp_path / "RC.txt"
    rc.write_text(text, encoding="utf-8")
    report = Checker().check([rc])
    assert report.checks["criteria.sum"] == "pass"
    assert [(g.lots, g.total) for g in report.criteria_lots] == [(["1", "2", "3", "4", "5"], 100), (["6"], 100)]
    # the criteria name the lots no list gave: the market is allotted (was « ni lots ni mention
    # d'un marché unique »)
    assert [lot.number for lot in report.facts.lots] == ["1", "2", "3", "4", "5", "6"] and report.facts.allotted is True
    assert report.checks["sme.allotment"] == "pass" and "Prix" in report.facts.evidence["allotted"][0].quote
    rc.write_text(text.replace("Article 6", "Article 2 – Le marché n'est pas alloti.\nArticle 6"), encoding="utf-8")
    assert Checker().check([rc]).facts.lots == []  # what the DCE says prevails


@pytest.mark.parametrize(("text", "lots"), [
    ("lots 1 à 3", ["1", "2", "3"]), ("lots 1-3", ["1", "2", "3"]), ("lots 1-2-4", ["1", "2", "4"]),
    ("lots 1, 2 et 4", ["1", "2", "4"]), ("lots n° 3 et 5", ["3", "5"]), ("Lot 6", ["6"]),
    ("lots 1 à 5, 40 points pour le lot 6", ["1", "2", "3", "4", "5", "6"]),
])
def test_the_lots_a_text_names(text, lots):
    from achat_check.extract.criteria import _lots_of

    assert _lots_of(text) == lots


@pytest.mark.parametrize(("text", "expected"), [
    # a BOAMP notice's text, its parentheses never closed: the next ordinal criterion is no part
    ("Critères d'attribution :\n1er critère : Le Prix (70 Points - 2ème critère : Le délai de réalisation (20 Points - "
     "3ème critère : Références de chantier en milieu sanitaire (10 Points",
     [("Prix", 70), ("Délai de réalisation", 20), ("Références de chantier en milieu sanitaire", 10)]),
    # weights in capitals end a criterion as lower-case ones do
    ("Critères d'attribution :\nPRIX : 60 POINTS ; VALEUR TECHNIQUE : 40 POINTS", [("PRIX", 60), ("VALEUR TECHNIQUE", 40)]),
])
def test_criteria_on_one_line_in_open_parentheses_or_capitals(text, expected):
    """Both were no list at all (« aucun critère pondéré »)."""
    r = crit(text)
    assert [(c.name, c.weight) for c in r.criteria] == expected and r.total == 100


@pytest.mark.parametrize(("text", "expected"), [
    # BOAMP notices: each criterion's points as its scale, adding up to 100
    ("Critères d'attribution :\n1. Prix noté sur 70 points\n2. Technique noté sur 30 points", [("Prix", 70), ("Technique", 30)]),
    ("Critères d'attribution :\n- Le prix est noté sur 60 points ;\n- La valeur technique est notée sur 40 points.",
     [("Prix", 60), ("Valeur technique", 40)]),
    ("Critères d'attribution :\n1. Prix : sur 60 points (formule de notation = montant de l'offre la moins disante / montant "
     "de l'offre jugée)\n2. Temps affecté à la mission : sur 40 points", [("Prix", 60), ("Temps affecté à la mission", 40)]),
])
def test_scales_adding_up_to_100_are_the_weights(text, expected):
    """A list given only as « noté sur » points was no list (« aucun critère pondéré »)."""
    r = crit(text)
    assert [(c.name, c.weight) for c in r.criteria] == expected and r.total == 100


@pytest.mark.parametrize("text", [
    "Critères d'attribution :\n1. Le prix des prestations noté sur 20\n2. La valeur technique notée sur 20",
    "Jugement des offres\nLe critère prix sera noté sur 10 de la manière suivante :\nNote = 10 x (prix le plus bas / prix de "
    "l'offre)\nLa valeur technique sera notée sur 10 points.",
])
def test_scales_that_make_no_100_are_no_weights(text):
    assert crit(text) is None


@pytest.mark.parametrize(("text", "expected"), [
    # BOAMP notices: « Prix des prestations pondéré à 40 sur 100 points », « Le critère valeur
    # technique noté 30 sur 100 points (représentant donc un coefficient de 30 %) »
    ("Critères d'attribution :\n- Prix des prestations pondéré à 60 sur 100 points\n"
     "- Valeur technique pondérée à 40 sur 100 points", [("Prix des prestations", 60), ("Valeur technique", 40)]),
    ("Critères d'attribution :\n1. Prix noté 70 sur 100 points\n2. Valeur technique notée 30 sur 100 points",
     [("Prix", 70), ("Valeur technique", 30)]),
    ("Critères d'attribution :\n1. Prix : 70 points sur 100\n2. Valeur technique : 30 points sur 100",
     [("Prix", 70), ("Valeur technique", 30)]),
])
def test_a_weight_out_of_100_is_the_number_before_it(text, expected):
    """« pondéré à 60 sur 100 points » was read as 100 points: every criterion weighed alike."""
    r = crit(text)
    assert [(c.name, c.weight) for c in r.criteria] == expected and r.total == 100


def test_weight_given_as_ponderation_equals():
    """A BOAMP notice's « prix. pondération = 50% » was read only as a scale, its name
    « Prix. Pondération = »."""
    r = crit("Critères d'attribution :\n- Prix. Pondération = 60 %\n- Valeur technique. Pondération = 40 %")
    assert [(c.name, c.weight) for c in r.criteria] == [("Prix", 60), ("Valeur technique", 40)] and r.total == 100


@pytest.mark.parametrize(("text", "expected"), [
    # BOAMP notices: « 80 pts : Prix de l'offre », « 15 points : critère environnemental »
    ("Critères d'attribution :\n- 80 pts : Prix de l'offre\n- 20 pts : Caractère esthétique et fonctionnel",
     [("Prix de l'offre", 80), ("Caractère esthétique et fonctionnel", 20)]),
    ("Critères d'attribution :\n- 60 % - Prix\n- 40 % - Valeur technique", [("Prix", 60), ("Valeur technique", 40)]),
    ("Critères d'attribution :\n1. 55 % : Valeur technique\n2. 30 % – Prix\n3. 15 % : critère environnemental",
     [("Valeur technique", 55), ("Prix", 30), ("critère environnemental", 15)]),
])
def test_weight_written_before_the_criterion(text, expected):
    """A list whose weights come first was no list (« aucun critère pondéré »)."""
    r = crit(text)
    assert [(c.name, c.weight) for c in r.criteria] == expected and r.total == 100


def test_weight_before_words_that_are_no_name_is_no_criterion():
    """« 50 % de la note » says how the note is made, not a criterion."""
    assert crit("Critères d'attribution :\n- 50 % de la note sera attribuée au prix\n- 50 % de la note à la valeur technique") is None


@pytest.mark.parametrize(("text", "expected"), [
    # BOAMP notices: « Prix sur 720 points / Technique sur 280 points », « Prix sur 150 points /
    # Valeur technique sur 100 points », « Le prix pour 300 points / Le délai de réalisation des
    # prestations pour 150 points »
    ("Critères d'attribution :\n1. Prix sur 720 points\n2. Technique sur 280 points", [("Prix", 72), ("Technique", 28)]),
    ("Critères d'attribution :\n1. Prix sur 150 points\n2. Valeur technique sur 100 points",
     [("Prix", 60), ("Valeur technique", 40)]),
    ("Critères d'attribution :\n- Le prix pour 300 points\n- Le délai de réalisation des prestations pour 150 points\n"
     "- La valeur technique pour 550 points", [("Prix", 30), ("Délai de réalisation des prestations", 15), ("Valeur technique", 55)]),
])
def test_points_beyond_100_weigh_in_proportion(text, expected):
    """Criteria given more than 100 points were no list; their points make their weights."""
    r = crit(text)
    assert [(c.name, c.weight) for c in r.criteria] == expected and r.total == 100


def test_percent_beyond_100_is_no_weight():
    assert crit("Critères d'attribution :\n1. Prix : 150 %\n2. Valeur technique : 100 %") is None
