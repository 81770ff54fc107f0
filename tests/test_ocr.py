"""Scanned PDFs: OCR when Tesseract is here, a warning saying how to install it otherwise."""

from __future__ import annotations

import pytest

from achat_check.ingest import ocr as ocr_mod
from achat_check.ingest import read_member
from achat_check.ingest.archive import Member
from tests.conftest import SAMPLES

SCAN = SAMPLES / "travaux-renovation" / "AE-LOT-02-signe.pdf"


@pytest.mark.skipif(not ocr_mod.ocr_status()[0], reason="Tesseract + fra absent (CI installs them)")
def test_scanned_page_is_ocred(limits):
    doc = read_member(Member(str(SCAN), SCAN.read_bytes()), limits)
    assert doc.ocr is True and doc.page_spans[0].ocr is True
    text = " ".join(doc.text.split()).lower()
    assert "acte d'engagement" in text.replace("’", "'")
    assert "1 350 000" in text


def test_scan_without_tesseract_warns_and_goes_on(limits, monkeypatch):
    monkeypatch.setattr("achat_check.ingest.pdf.ocr_status", lambda: (False, "Tesseract introuvable"))
    limits = limits.model_copy(update={"isolate": False})
    doc = read_member(Member(str(SCAN), SCAN.read_bytes()), limits)
    assert doc.ocr is False
    warn = next(w for w in doc.warnings if w.code == "AC-W001")
    assert "apt-get install tesseract-ocr tesseract-ocr-fra" in warn.message
    assert warn.path == str(SCAN)
