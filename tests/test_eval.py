"""The eval command: scores, misses with evidence, bad gold files."""

from __future__ import annotations

import json

from tests.conftest import ROOT, run_cli, write


def test_eval_json_on_corpus():
    proc = run_cli("eval", str(ROOT / "corpus" / "gold" / "corpus.json"), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    fields = {f["field"]: f for f in data["fields"]}
    assert fields["env_consideration"]["n"] == 7 and fields["env_consideration"]["f1"] == 1.0
    assert data["false_friend_hits"] == []
    assert fields["checks"]["n"] == 98 and fields["checks.criteria.sum"]["n"] == 7
    # the kinds of sub-criteria are scored too: 21 criteria and 9 sub-criteria
    assert fields["criteria_kind"]["n"] == 30 and fields["criteria_kind"]["accuracy"] == 1.0


def test_eval_reports_misses_with_evidence(tmp_path):
    gold = {
        "markets": [{"id": "g", "paths": [str(ROOT / "corpus" / "samples" / "gardiennage-urssaf")],
                     "flags": {"env_consideration": True}},
                    {"id": "n", "paths": [str(ROOT / "corpus" / "samples" / "nettoyage-caf")],
                     "flags": {"reserved": True}}]
    }
    gold["markets"][0]["checks"] = {"payment.delay": "pass"}
    path = write(tmp_path, "gold.json", json.dumps(gold).encode())
    proc = run_cli("eval", str(path))
    assert proc.returncode == 0
    assert "g · env_consideration : attendu True, obtenu False" in proc.stdout
    assert "g · checks.payment.delay : attendu pass, obtenu fail" in proc.stdout and "45 jours" in proc.stdout
    assert "n · reserved : attendu True, obtenu False" in proc.stdout


def test_the_scores_are_read_whole_on_an_80_column_terminal():
    """On 80 columns rich cut every score to « 1… » to keep the field names on one line."""
    import io

    from rich.console import Console

    from achat_check.checker import Checker
    from achat_check.evaluation import evaluate
    from achat_check.report.evaluation import print_evaluation

    console = Console(file=io.StringIO(), width=80)
    print_evaluation(evaluate(ROOT / "corpus" / "gold" / "corpus.json", Checker(), ["nettoyage-caf"])[0], console)
    text = console.file.getvalue()
    assert "1,000 │" in text and "1/1 (100 %)" in text and "1…" not in text
    assert all(len(line) <= 80 for line in text.splitlines())


def test_a_market_not_in_the_gold_file_is_refused():
    """`eval --market` with a typo evaluated no market and printed an empty table."""
    proc = run_cli("eval", str(ROOT / "corpus" / "gold" / "corpus.json"), "--market", "nettoyage-cfa")
    assert proc.returncode == 2 and "[AC-E016]" in proc.stderr and "--market nettoyage-cfa : absent(s) du fichier d'annotations" in proc.stderr
    assert "nettoyage-caf" in proc.stderr and not proc.stdout  # the ids there are, nothing evaluated


def test_bad_gold_file(tmp_path):
    path = write(tmp_path, "gold.json", b'{"markets": [{"id": "x", "paths": [], "flagz": {}}]}')
    proc = run_cli("eval", str(path))
    said = " ".join(proc.stderr.split())
    assert proc.returncode == 2 and "AC-E014" in said and "champ « markets.0.flagz » : champ inconnu (faute de frappe ?)" in said
    assert "Traceback" not in said and "Extra inputs" not in said


def test_a_gold_file_not_found_or_a_folder_is_said_in_french(tmp_path):
    """« fichier d'évaluation illisible ([Errno 2] No such file or directory: '…') »: the
    system's English words, and the path twice."""
    missing = run_cli("eval", str(tmp_path / "gold.json"))
    assert missing.returncode == 2 and "fichier d'évaluation illisible (fichier ou dossier introuvable)." in missing.stderr
    folder = run_cli("eval", str(tmp_path))
    assert "fichier d'évaluation illisible (c'est un dossier, pas un fichier)." in folder.stderr
    assert "Errno" not in missing.stderr + folder.stderr
