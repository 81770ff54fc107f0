"""`pip install .` from a clean clone gives a working `achat-check` with its data."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.slow
@pytest.mark.skipif(not (ROOT / ".git").exists() or not shutil.which("git"), reason="needs a git checkout")
def test_pip_install_from_clean_clone(tmp_path):
    clone = tmp_path / "clone"
    site = tmp_path / "site"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(clone)],
        check=True, capture_output=True, timeout=600,
    )
    script = site / "bin" / "achat-check"
    assert script.exists()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(site)
    out = subprocess.run(
        [str(script), "check", str(clone / "corpus" / "samples" / "nettoyage-caf"), "--format", "json"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300,
    )
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert sorted(d["kind"] for d in report["documents"]) == ["BPU", "CCAP", "CCTP", "RC"]
    # data files travel with the package (rules, models, bundled samples)
    probe = subprocess.run(
        [sys.executable, "-c", "import achat_check, pathlib; p = pathlib.Path(achat_check.__file__).parent / '_data'; "
         "print(sorted(x.name for x in p.iterdir()))"],
        capture_output=True, text=True, env=env, cwd=tmp_path,
    )
    assert "samples" in probe.stdout and "rules" in probe.stdout, probe.stdout + probe.stderr
    assert str(site) in subprocess.run(
        [sys.executable, "-c", "import achat_check; print(achat_check.__file__)"], capture_output=True, text=True, env=env, cwd=tmp_path
    ).stdout
