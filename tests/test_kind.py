"""Document kinds from file name and first-page title, with the reason."""

from __future__ import annotations

import pytest

from achat_check.ingest.kind import classify
from achat_check.model import DocKind


@pytest.mark.parametrize(
    ("name", "first_page", "kind", "roles"),
    [
        ("RC_2026FCSSA0025 v2.pdf", "RÈGLEMENT DE LA CONSULTATION\nMARCHÉ PUBLIC", DocKind.RC, []),
        ("piece1.pdf", "Ville\nRèglement de la consultation valant cahier des clauses\nadministratives particulières", DocKind.RC, [DocKind.RC, DocKind.CCAP]),
        ("CCP-gardiennage.pdf", "CAHIER DES CLAUSES\nPARTICULIERES (CCP)", DocKind.CCAP, [DocKind.CCAP, DocKind.CCTP]),
        ("Lot-01.pdf", "01-15/3429 Salle informatique C.C.T.P. & D.P.G.F. - Lot n°1", DocKind.CCTP, [DocKind.CCTP, DocKind.BPU]),
        ("2022_011 CCAP.pdf", "ACCORD CADRE\nCAHIER DES CLAUSES ADMINISTRATIVES\nPARTICULIERES (CCAP)", DocKind.CCAP, []),
        ("ACTE ENGAGEMENT.pdf", "CIAS\nActe d'engagement", DocKind.AE, []),
        ("2025005_BPU_DQE.xlsx", "[Feuille BPU]", DocKind.BPU, []),
        ("Registre Questions-Reponses.docx", "Question : ...", DocKind.OTHER, []),
        ("guide.pdf", "GUIDE PRATIQUE\nA DESTINATION DES ACHETEURS", DocKind.OTHER, []),
        ("sans-nom.pdf", "Texte quelconque", DocKind.OTHER, []),
        ("model.doc", "Modèle de « Clause sociale de formation »\nREGLEMENT DE LA CONSULTATION", DocKind.OTHER, []),
    ],
)
def test_classify(name, first_page, kind, roles):
    got, got_roles, reason = classify(name, first_page)
    assert got == kind
    assert got_roles == roles
    assert reason


def test_title_mentioned_in_a_sentence_is_not_a_title():
    kind, _, _ = classify("x.pdf", "Les candidats lisent le règlement de la consultation avant de répondre à la présente offre.")
    assert kind == DocKind.OTHER


def test_title_beats_file_name_and_reason_names_both():
    kind, _, reason = classify("CCTP.pdf", "REGLEMENT DE LA CONSULTATION")
    assert kind == DocKind.RC
    assert "titre" in reason


def test_the_reason_quotes_the_title_as_the_page_writes_it():
    """The reason said the folded cue, « Reglement De La Consultation », to a buyer whose RC
    says « RÈGLEMENT DE LA CONSULTATION »; a title on two lines is quoted whole."""
    _, _, reason = classify("piece.pdf", "CAF du Val-de-Lys\n\nRÈGLEMENT DE LA CONSULTATION\n\nNettoyage des locaux")
    assert reason == "titre « RÈGLEMENT DE LA CONSULTATION » en page 1"
    kind, _, reason = classify("piece.pdf", "Cahier des clauses\nadministratives particulières\n\nArticle 1 – Objet")
    assert kind == DocKind.CCAP and reason == "titre « Cahier des clauses administratives particulières » en page 1"
