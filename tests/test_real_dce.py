"""`achat-check check` on every folder of ../shared/real/dce finishes without a traceback."""

from __future__ import annotations

import json

import pytest

from tests.conftest import REAL_DCE, run_cli

FOLDERS = sorted(p for p in REAL_DCE.iterdir() if p.is_dir()) if REAL_DCE.is_dir() else []


@pytest.mark.skipif(not FOLDERS, reason="../shared/real/dce absent")
@pytest.mark.parametrize("folder", FOLDERS, ids=[p.name for p in FOLDERS])
def test_check_real_dce_folder(folder):
    proc = run_cli("check", str(folder), "--format", "json")
    assert "Traceback" not in proc.stderr + proc.stdout
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    report = json.loads(proc.stdout)
    assert report["documents"], "no document read"


IFPRA = REAL_DCE / "ifpra-normandie-2026Appr-MoteurAgri"


@pytest.mark.skipif(not IFPRA.is_dir(), reason="../shared/real/dce absent")
def test_evidence_names_the_section_of_a_dce_written_without_numbers():
    """That DCE's RC and CCAP number no section (their Word numbering did not survive the
    PDF): the evidence still says which section the words are in."""
    proc = run_cli("check", str(IFPRA), "--format", "json")
    report = json.loads(proc.stdout)
    found = report["considerations"]["environmental"] + report["considerations"]["social"]
    evidence = [e for d in found for e in d["evidence"]]
    criteria = [e for e in evidence if e["document"].endswith("RC.pdf")]
    clauses = [e for e in evidence if e["document"].endswith("CCAP.pdf")]
    assert criteria and clauses
    assert all("critères" in (e["article"] or "").lower() for e in criteria)
    assert all("responsabilité sociale" in (e["article"] or "").lower() for e in clauses)


CHAMBERY = REAL_DCE / "teina-rag-btp__grand-chambery"


@pytest.mark.skipif(not CHAMBERY.is_dir(), reason="../shared/real/dce absent")
def test_the_dce_of_one_lot_passes_the_allotment_check_with_its_lot_quoted():
    """Grand Chambéry's CCTP is lot 2 of an allotted consultation (« Lot 2 : Grands
    équipements »): the allotment is no « indéterminé » to check by hand."""
    proc = run_cli("check", str(CHAMBERY), "--format", "md")
    row = next(line for line in proc.stdout.splitlines() if "`sme.allotment`" in line)
    assert "**conforme**" in row and "l'un de ses lots" in row
    assert "| Lots | un lot d'une consultation allotie |" in proc.stdout
    report = json.loads(run_cli("check", str(CHAMBERY), "--format", "json").stdout)
    # the lot's title whole, its second line too (the quote stopped at the line end)
    assert [e["quote"] for e in report["facts"]["evidence"]["allotted"]] == ["Lot 2 : Grands équipements d’agglomération"]
