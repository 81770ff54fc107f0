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
