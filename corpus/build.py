"""Build the sample DCEs of `corpus/samples/` from their sources in `corpus/src/`.

Every text here was written for this project.  Run `python corpus/build.py` after editing
a source; the outputs are committed so that the README demo and the tests need no build.
The legacy Word .doc needs LibreOffice: it is converted once and kept as it is when
LibreOffice is absent.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))

from corpus import makers  # noqa: E402

SRC = ROOT / "src"
OUT = ROOT / "samples"


def src(dce: str, name: str) -> makers.Source:
    return makers.parse((SRC / dce / f"{name}.mk").read_text(encoding="utf-8"))


def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    print(f"  {path.relative_to(ROOT)} ({len(data)} octets)")


BPU_NETTOYAGE = {
    "BPU": [
        ["Bordereau des prix unitaires – Nettoyage des locaux"],
        ["Code", "Désignation", "Unité", "Prix unitaire € HT"],
        ["N1", "Nettoyage quotidien des bureaux", "m²/mois", None],
        ["N2", "Nettoyage des sanitaires", "m²/mois", None],
        ["N3", "Vitrerie intérieure", "m²", None],
        ["N4", "Remise en état des sols", "m²", None],
    ]
}
DPGF_TRAVAUX = {
    "Lot 02": [
        ["DPGF – Lot 02 Menuiseries extérieures"],
        ["Poste", "Désignation", "Unité", "Quantité", "Prix unitaire € HT", "Montant € HT"],
        ["2.1", "Dépose sélective des menuiseries existantes", "u", 96, None, None],
        ["2.2", "Fenêtres aluminium à rupture de pont thermique", "u", 96, None, None],
        ["2.3", "Portes d'entrée vitrées", "u", 4, None, None],
    ]
}
BPU_RESTAURATION = {
    "BPU": [
        ["Désignation", "Unité", "Prix € HT"],
        ["Repas patient standard", "repas", None],
        ["Repas patient texture modifiée", "repas", None],
        ["Repas personnel (self)", "repas", None],
    ]
}
BPU_ESPACES_VERTS = {
    "BPU": [
        ["Bordereau des prix unitaires – Entretien des espaces verts"],
        ["Code", "Désignation", "Unité", "Quantité annuelle estimée", "Prix unitaire € HT"],
        ["EV1", "Tonte haute des pelouses", "m²", 12500, None],
        ["EV2", "Fauche tardive des prairies", "m²", 4000, None],
        ["EV3", "Taille des haies et broyage des branchages sur place", "ml", 850, None],
        ["EV4", "Désherbage mécanique ou thermique des allées", "m²", 2300.5, None],
        ["EV5", "Ramassage des feuilles", "passage", 6, None],
    ]
}
SCANNED_AE = [
    "ACTE D'ENGAGEMENT",
    "Rénovation énergétique du centre administratif de Saint-Aubrac",
    "Lot 02 - Menuiseries extérieures",
    "",
    "Le titulaire s'engage à exécuter les travaux du lot 02",
    "pour un montant de 1 350 000 euros hors taxes.",
    "Délai d'exécution : quatorze mois.",
    "Avance : le titulaire ne renonce pas au bénéfice de l'avance.",
]


def build() -> None:
    d = "nettoyage-caf"
    print(d)
    write(OUT / d / "RC.pdf", makers.make_pdf(src(d, "RC")))
    write(OUT / d / "CCAP.docx", makers.make_docx(src(d, "CCAP")))
    write(OUT / d / "CCTP.odt", makers.make_odt(src(d, "CCTP")))
    write(OUT / d / "BPU.xlsx", makers.make_xlsx(BPU_NETTOYAGE))

    d = "restauration-ugecam"
    print(d)
    annexes = makers.make_zip({
        "AE.rtf": makers.make_rtf(src(d, "AE")),  # real RCs list « rtf » among the DCE's formats
        "BPU.xlsx": makers.make_xlsx(BPU_RESTAURATION),
    })
    write(OUT / d / "DCE-restauration-2026-REST-02.zip", makers.make_zip({
        "DCE/RC.pdf": makers.make_pdf(src(d, "RC")),
        "DCE/CCAP.pdf": makers.make_pdf(src(d, "CCAP")),
        "DCE/CCTP.docx": makers.make_docx(src(d, "CCTP")),
        "DCE/Annexes.zip": annexes,
    }))

    d = "informatique-cpam"
    print(d)
    write(OUT / d / "RC-valant-CCAP.docx", makers.make_docx(src(d, "RC-valant-CCAP")))
    write(OUT / d / "CCTP.pdf", makers.make_pdf(src(d, "CCTP")))

    d = "travaux-renovation"
    print(d)
    write(OUT / d / "RC.pdf", makers.make_pdf(src(d, "RC")))
    doc_path = OUT / d / "CCAP.doc"
    try:
        write(doc_path, makers.make_doc_with_libreoffice(makers.make_docx(src(d, "CCAP"))))
    except (RuntimeError, OSError) as exc:
        print(f"  {doc_path.name} gardé tel quel ({exc})")
    write(OUT / d / "CCTP-LOT-02-Menuiseries.pdf", makers.make_pdf(src(d, "CCTP-LOT-02")))
    write(OUT / d / "DPGF-LOT-02.xls", makers.make_xls(DPGF_TRAVAUX))  # an old Excel 97 template
    write(OUT / d / "AE-LOT-02-signe.pdf", makers.make_scanned_pdf(SCANNED_AE))

    d = "gardiennage-urssaf"
    print(d)
    write(OUT / d / "RC.pdf", makers.make_pdf(src(d, "RC")))
    write(OUT / d / "CCP.pdf", makers.make_pdf(src(d, "CCP")))

    d = "espaces-verts-reserve"
    print(d)
    write(OUT / d / "RC.md", makers.markdown_text(src(d, "RC")).encode("utf-8"))
    write(OUT / d / "CCTP.txt", makers.plain_text(src(d, "CCTP")).encode("utf-8"))
    write(OUT / d / "BPU.ods", makers.make_ods(BPU_ESPACES_VERTS))  # a small buyer's LibreOffice Calc

    d = "tma-cnaf"
    print(d)
    write(OUT / d / "RC.odt", makers.make_odt(src(d, "RC")))
    write(OUT / d / "CCAP.pdf", makers.make_pdf(src(d, "CCAP")))
    write(OUT / d / "Cadre-de-reponse-technique.docx", makers.make_docx(src(d, "Cadre-de-reponse")))


if __name__ == "__main__":
    build()
