"""The achat-check command: formats, output file, exit codes, no traceback."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from achat_check.cli import app
from achat_check.report.labels import procedure
from tests.conftest import ROOT, SAMPLES, run_cli, write

runner = CliRunner()
STABLE_CORE = {
    "schema_version", "tool_version", "rulebook", "documents", "facts", "criteria", "considerations",
    "insertion", "reserved", "flags", "checks", "findings",
}


def test_check_json_has_the_stable_core(tmp_path):
    result = runner.invoke(app, ["check", str(SAMPLES / "nettoyage-caf"), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert STABLE_CORE <= set(report)
    doc = report["documents"][0]
    assert {"path", "kind", "pages", "ocr", "warnings"} <= set(doc)
    kinds = sorted(d["kind"] for d in report["documents"])
    assert kinds == ["BPU", "CCAP", "CCTP", "RC"]
    facts = report["facts"]
    for key in ("procedure", "estimated_amount_ht", "amount_basis", "lots", "nature", "consultation_date",
                "payment_delay_days", "advance_rate", "retenue_garantie_rate"):
        assert key in facts
    for key in ("present", "hours", "facilitator", "evidence"):
        assert key in report["insertion"]
    for key in ("env_consideration", "env_criterion", "social_consideration", "social_criterion",
                "insertion_clause", "facilitator", "reserved", "in_scope"):
        assert key in report["flags"]


def test_check_zip_markdown_to_file(tmp_path):
    out = tmp_path / "rapport.md"
    result = runner.invoke(app, ["check", str(SAMPLES / "restauration-ugecam"), "--format", "md", "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Rapport achat-check")
    assert "| AE.rtf | AE |" in text
    # a clause's title inside a sentence keeps its names (« loi egalim » was written)
    assert "| **conforme** | condition d'exécution : produits durables et de qualité (loi Egalim) |" in text


def test_the_pieces_are_named_in_french(tmp_path):
    """A response frame is « autre : cadre de réponse », not the JSON's « OTHER »; a piece
    valid as two keeps its roles."""
    md = runner.invoke(app, ["check", str(SAMPLES / "tma-cnaf"), "--format", "md"])
    assert "| Cadre-de-reponse-technique.docx | autre : cadre de réponse |" in md.stdout
    assert "OTHER" not in md.stdout
    html = runner.invoke(app, ["check", str(SAMPLES / "informatique-cpam"), "--format", "html"])
    assert "<td>RC-valant-CCAP.docx</td><td>RC (RC+CCAP)</td>" in html.stdout
    term = runner.invoke(app, ["check", str(SAMPLES / "tma-cnaf")])
    assert "autre :" in term.stdout and "OTHER" not in term.stdout  # the narrow terminal wraps the cell


def test_check_terminal_default_verdicts_first_and_exit_1_on_a_failed_obligation():
    result = runner.invoke(app, ["check", str(SAMPLES / "gardiennage-urssaf")])
    assert result.exit_code == 1
    out = result.stdout
    assert "Documents lus" in out and "CCP.pdf" in out
    # the verdict summary comes before the findings, the findings before the criteria table
    assert out.index("Obligations non respectées : 6") < out.index("Points à corriger") < out.index("Critères d'attribution")
    assert "Rédaction proposée" in out and "45 jours" in out


def test_exit_codes_fail_on_and_buyer_type():
    clean = runner.invoke(app, ["check", str(SAMPLES / "nettoyage-caf"), "--format", "json"])
    assert clean.exit_code == 0
    # informatique-cpam only misses recommendations: 0 by default, 1 with --fail-on warning
    reco = str(SAMPLES / "informatique-cpam")
    assert runner.invoke(app, ["check", reco, "--format", "json"]).exit_code == 0
    assert runner.invoke(app, ["check", reco, "--format", "json", "--fail-on", "warning"]).exit_code == 1
    guard = str(SAMPLES / "gardiennage-urssaf")
    assert runner.invoke(app, ["check", guard, "--format", "json", "--fail-on", "never"]).exit_code == 0
    hospital = runner.invoke(app, ["check", guard, "--format", "json", "--buyer-type", "etablissement_sante"])
    assert json.loads(hospital.stdout)["checks"]["payment.delay"] == "pass"  # 45 days, 50 allowed


def test_a_dce_read_in_part_does_not_pass_the_publication_gate(tmp_path):
    # nettoyage-caf passes every obligation (exit 0 above); with a damaged CCTP beside it, the
    # check is incomplete: exit 1 unless --fail-on never
    dce = tmp_path / "dce"
    dce.mkdir()
    for p in (SAMPLES / "nettoyage-caf").iterdir():
        (dce / p.name).write_bytes(p.read_bytes())
    (dce / "CCTP-annexe.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    gated = run_cli("check", str(dce), "--format", "json")
    assert gated.returncode == 1 and "DCE lu en partie (CCTP-annexe.pdf)" in " ".join(gated.stderr.split())
    assert json.loads(gated.stdout)["findings"] == []  # no breach: the gate stops on the unread file alone
    assert run_cli("check", str(dce), "--format", "json", "--fail-on", "never").returncode == 0


def test_the_report_format_follows_the_name_given_to_out(tmp_path):
    """« -o rapport.html » without --format wrote the terminal's frames into the HTML file; a
    name of no report format is refused before the DCE is read; --format, when given, wins."""
    dce = str(SAMPLES / "tma-cnaf")
    for name, start in (("rapport.html", "<!DOCTYPE html>"), ("rapport.json", "{"), ("rapport.md", "# Rapport achat-check"), ("rapport.txt", "╭")):
        result = runner.invoke(app, ["check", dce, "--fail-on", "never", "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        assert (tmp_path / name).read_text(encoding="utf-8").startswith(start), name
    result = runner.invoke(app, ["check", dce, "--fail-on", "never", "--format", "md", "-o", str(tmp_path / "rapport.html")])
    assert result.exit_code == 0 and (tmp_path / "rapport.html").read_text(encoding="utf-8").startswith("# Rapport")
    proc = run_cli("check", dce, "-o", str(tmp_path / "rapport.pdf"))
    said = " ".join(proc.stderr.split())
    assert proc.returncode == 2 and "AC-E016" in said and "rapport.pdf" in said and ".html, .json, .md ou .txt" in said
    assert not (tmp_path / "rapport.pdf").exists()
    folder = tmp_path / "rapports"
    folder.mkdir()
    for fmt in ([], ["--format", "html"]):  # a folder: refused before the DCE is read, not once it was checked
        folder_said = run_cli("check", dce, "-o", str(folder), *fmt)
        assert folder_said.returncode == 2 and f"« {folder} » est un dossier" in " ".join(folder_said.stderr.split())
        assert "[AC-E016]" in folder_said.stderr and list(folder.iterdir()) == []


def test_rules_show_finds_a_rule_or_a_check_as_rules_list_names_it():
    """`rules show payment.delay` (a check, which the API shows) and `rules show env.food_quality`
    (the name `rules list` prints beside the id) were « règle inconnue »; a typo now gets the
    nearest ids."""
    for given, rule_id in (("env-004", "ENV-004"), ("env.food_quality", "ENV-004"), ("payment.delay", "payment.delay")):
        shown = runner.invoke(app, ["rules", "show", given])
        assert shown.exit_code == 0 and f"id: {rule_id}\n" in shown.output, given
    assert "# pack verifications" in runner.invoke(app, ["rules", "show", "payment.delay"]).output
    typo = run_cli("rules", "show", "paiement.delai")
    assert typo.returncode == 2 and "règle « paiement.delai » inconnue (voulez-vous dire payment.delay ?)" in typo.stderr


def test_bad_option_values_are_clear_errors():
    for args in (["--fail-on", "sometimes"], ["--buyer-type", "mairie"], ["--rulebook", "rso-2030"]):
        proc = run_cli("check", str(SAMPLES / "nettoyage-caf"), *args)
        assert proc.returncode == 2 and "AC-E016" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize(("variable", "value", "said"), [
    ("ACHAT_CHECK_MAX_PAGES", "beaucoup", "nombre entier attendu"),
    ("ACHAT_CHECK_DOC_TIMEOUT", "-3", "doit valoir plus de 0"),
    ("ACHAT_CHECK_ISOLATE", "peut-être", "true ou false attendu"),
])
def test_a_wrong_setting_names_its_variable(monkeypatch, variable, value, said):
    monkeypatch.setenv(variable, value)
    proc = run_cli("check", str(SAMPLES / "nettoyage-caf"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "Erreur interne" not in proc.stderr
    assert f"[AC-E016] réglage invalide : {variable}=« {value} » ({said})" in " ".join(proc.stderr.split())


def test_a_wrong_service_setting_is_said_before_the_service_starts(monkeypatch):
    monkeypatch.setenv("ACHAT_CHECK_MAX_RUNNING_BATCHES", "0")
    monkeypatch.setenv("ACHAT_CHECK_BATCH_WORKERS", "deux")
    proc = run_cli("serve", "--port", "1", timeout=60)
    said = " ".join(proc.stderr.split())
    assert proc.returncode == 2 and "Erreur interne" not in said
    assert "ACHAT_CHECK_BATCH_WORKERS=« deux » (nombre entier attendu)" in said
    assert "ACHAT_CHECK_MAX_RUNNING_BATCHES=« 0 » (doit valoir au moins 1)" in said


def test_unreadable_input_exits_2_without_traceback(tmp_path):
    bad = write(tmp_path, "RC.pdf", b"")
    proc = run_cli("check", str(bad))
    assert proc.returncode == 2
    assert "AC-E003" in proc.stderr and str(bad) in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def test_a_dce_with_nothing_readable_shows_why_and_no_verdict(tmp_path):
    """A report of no text would say « 0 obligation non respectée » and « non » everywhere:
    every format says instead that nothing was checked, and which files to fix."""
    write(tmp_path, "DCE.zip", b"PK\x03\x04 tronque")
    missing = tmp_path / "CCAP.pdf"
    shown = run_cli("check", str(tmp_path / "DCE.zip"), str(missing))
    assert shown.returncode == 2
    said = " ".join(shown.stdout.replace("│", " ").split())
    assert "Aucun document du DCE n'a pu être lu : rien n'a été vérifié." in said
    assert "[AC-E004]" in said and "[AC-E001]" in said
    assert "Obligations non respectées" not in said and "considération non" not in said
    for fmt in ("md", "html"):
        out = tmp_path / f"rapport.{fmt}"
        assert run_cli("check", str(tmp_path / "DCE.zip"), str(missing), "-f", fmt, "--out", str(out)).returncode == 2
        text = out.read_text(encoding="utf-8").replace("&#39;", "'")
        assert "rien n'a été vérifié" in text and "AC-E004" in text
        assert "Obligations non respectées" not in text and "obligation(s) non respectée(s)" not in text
        assert "Critères d'attribution" not in text


def test_one_bad_document_does_not_stop_the_report(tmp_path):
    write(tmp_path, "RC.txt", b"REGLEMENT DE LA CONSULTATION\nArticle 1 - Objet\nTexte.")
    write(tmp_path, "CCAP.pdf", b"%PDF-1.4 tronque")
    proc = run_cli("check", str(tmp_path), "-f", "json")
    # the report is made from the rest; the exit code says the check is incomplete (the gate
    # test below), 2 being kept for a DCE with nothing readable
    assert proc.returncode == 1 and "vérification incomplète" in proc.stderr
    report = json.loads(proc.stdout)
    assert [d["name"] for d in report["documents"]] == ["RC.txt"]
    assert report["errors"][0]["code"] == "AC-E004"
    assert "Traceback" not in proc.stderr


def test_unknown_format_option_is_a_clear_error():
    proc = run_cli("check", str(SAMPLES / "tma-cnaf"), "-f", "pdf")
    assert proc.returncode == 2 and "AC-E016" in proc.stderr and "Traceback" not in proc.stderr


def test_check_date_replaces_the_documents_date_and_an_unreadable_one_is_refused():
    given = runner.invoke(app, ["check", str(SAMPLES / "nettoyage-caf"), "-f", "json", "--fail-on", "never", "--date", "2027-01-15"])
    facts = json.loads(given.stdout)["facts"]
    assert given.exit_code == 0 and facts["consultation_date"] == "2027-01-15"
    assert facts["consultation_date_basis"].startswith("date donnée à la vérification ; les documents donnent le ")
    words = runner.invoke(app, ["check", str(SAMPLES / "nettoyage-caf"), "-f", "json", "--fail-on", "never", "--date", "15 janvier 2027"])
    assert json.loads(words.stdout)["facts"]["consultation_date"] == "2027-01-15"
    proc = run_cli("check", str(SAMPLES / "tma-cnaf"), "--date", "32/01/2027")
    assert proc.returncode == 2 and "AC-E016" in proc.stderr and "--date « 32/01/2027 »" in proc.stderr and "Traceback" not in proc.stderr
    # a year typed wrong decided which obligations apply (the loi Climat's from 2026): 1850 was taken
    typo = run_cli("check", str(SAMPLES / "tma-cnaf"), "--date", "01/01/1850")
    assert typo.returncode == 2 and "[AC-E016] --date « 01/01/1850 » : année 1850 improbable pour une consultation" in typo.stderr


@pytest.mark.parametrize(("value", "said"), [
    ("31/02/2026", "le 31/02/2026 n'existe pas : février 2026 a 28 jours"),
    ("29-02-2027", "le 29/02/2027 n'existe pas : février 2027 a 28 jours"),
    ("2026-04-31", "le 31/04/2026 n'existe pas : avril 2026 a 30 jours"),
    ("15/13/2026", "il n'y a pas de mois 13"),
])
def test_an_impossible_date_says_which_part_is_wrong(value, said):
    """« 31/02/2026 » was « date illisible ; écrivez-la JJ/MM/AAAA », to a buyer who wrote it so:
    a date written in the right form but impossible says what is wrong in it."""
    from achat_check.errors import AchatCheckError
    from achat_check.extract.dates import given_date

    with pytest.raises(AchatCheckError) as err:
        given_date(value, "--date")
    assert err.value.code == "AC-E016" and f"--date « {value} » : {said}" in err.value.message, err.value.message


def test_limits_given_as_options_are_checked_before_reading():
    """« --max-pages 0 » read no page and said « aucun texte lisible (scan sans OCR) » of
    every PDF; « --timeout 0 » stopped every document: a copy of the limits was not checked
    as the environment's are."""
    for args, said in ((["--max-pages", "0"], "--max-pages 0 : doit valoir au moins 1."),
                       (["--timeout", "0", "--max-pages", "-3"], "--max-pages -3 : doit valoir au moins 1 ; --timeout 0 : doit valoir plus de 0.")):
        proc = run_cli("check", str(SAMPLES / "tma-cnaf"), *args)
        assert proc.returncode == 2 and f"[AC-E016] {said}" in proc.stderr and "AC-W002" not in proc.stderr, proc.stderr


def test_check_amount_replaces_the_documents_amount_and_a_wrong_one_is_refused():
    given = runner.invoke(app, ["check", str(SAMPLES / "nettoyage-caf"), "-f", "json", "--fail-on", "never", "--amount", "1,2 M€"])
    facts = json.loads(given.stdout)["facts"]
    assert given.exit_code == 0 and facts["estimated_amount_ht"] == 1_200_000
    assert facts["amount_basis"].startswith("montant donné à la vérification")
    for wrong, said in (("beaucoup", "montant illisible"), ("120 000 € TTC", "montant TTC"), ("-5", "montant négatif"),
                        ("0", "montant nul")):
        proc = run_cli("check", str(SAMPLES / "tma-cnaf"), "--amount", wrong)
        assert proc.returncode == 2 and "AC-E016" in proc.stderr and f"--amount « {wrong} »" in proc.stderr and said in proc.stderr
        assert "Traceback" not in proc.stderr


def test_inspect_shows_how_a_file_was_read():
    result = runner.invoke(app, ["inspect", str(SAMPLES / "nettoyage-caf" / "RC.pdf")])
    assert result.exit_code == 0
    out = result.stdout
    assert "Pièce : RC" in out and "En-têtes et pieds de page retirés" in out
    assert "Jugement des offres" in out and "OCR : non" in out
    js = runner.invoke(app, ["inspect", str(SAMPLES / "nettoyage-caf" / "RC.pdf"), "-f", "json"])
    data = json.loads(js.stdout)
    assert data["kind"] == "RC" and data["tables_found"]


def test_inspect_shows_long_titles_whole(tmp_path):
    """Titles were cut at 80 characters, mid-word (« … DE LA PRESTATION DE » of a real CCTP)."""
    title = "PERIODES ET HORAIRES D'EXECUTION DE LA PRESTATION DE SURVEILLANCE ET DE PREVENTION DES GRANDS EQUIPEMENTS"
    doc = tmp_path / "CCTP.md"
    doc.write_text(f"# CCTP\n\n## ARTICLE 1 – {title}\n\nLes agents sont présents du lundi au vendredi.\n", encoding="utf-8")
    out = runner.invoke(app, ["inspect", str(doc)]).stdout
    assert "GRANDS" in out and "EQUIPEMENTS" in out


def test_the_terminal_prints_names_and_quotes_as_they_are(tmp_path):
    """Brackets are rich's markup: « [brouillon] RC.pdf » printed as « RC.pdf » and a
    criterion holding « [/] » stopped the report with a MarkupError."""
    import shutil

    from achat_check.model import MarketReport
    from achat_check.report.markdown import to_markdown
    from achat_check.report.terminal import to_text

    market = tmp_path / "dce"
    shutil.copytree(SAMPLES / "nettoyage-caf", market)
    (market / "RC.pdf").rename(market / "[brouillon] RC.pdf")
    result = runner.invoke(app, ["check", str(market)])
    assert result.exit_code in (0, 1) and "│ [brouillon] RC.pdf │ RC" in result.stdout  # the documents table
    shown = runner.invoke(app, ["inspect", str(market / "[brouillon] RC.pdf")])
    assert shown.exit_code == 0 and "[brouillon] RC.pdf" in shown.stdout
    report = MarketReport.model_validate_json(runner.invoke(app, ["check", str(market), "-f", "json"]).stdout)
    report.criteria[0].name = "[a] Prix [/] :fire:"
    assert "[a] Prix [/] :fire:" in to_text(report, width=200)
    report.criteria[0].name = "Prix | coût"  # a cell of Markdown's tables keeps its columns
    assert "| Prix \\| coût |" in to_markdown(report)


def test_a_long_document_name_is_shown_whole_in_the_terminal(tmp_path):
    """Five real CCTP named « COUPVRAY-CCTP-LOT-0N-… » all read « COUPVRAY-CCTP-LOT-0… »."""
    import shutil

    from achat_check.checker import Checker
    from achat_check.report.terminal import to_text

    market = tmp_path / "dce"
    shutil.copytree(SAMPLES / "nettoyage-caf", market)
    long = "NETTOYAGE-CCTP-LOT-02-Vitrerie-et-surfaces-vitrees-des-agences-Indice-B.odt"
    (market / "CCTP.odt").rename(market / long)
    text = to_text(Checker().check([market]), width=80)
    table = text[text.index("Documents lus") :].splitlines()
    first_cells = "".join(line.split("│")[1].strip() for line in table if line.startswith("│"))
    assert long in first_cells


def test_wrapped_lines_of_the_terminal_report_stay_under_their_paragraph():
    """A finding's message, basis, quote and wording, and a consideration's quote, ran back to
    the panel's edge once wrapped, under the bullets (the real Villeneuve-sur-Lot report)."""
    from achat_check.checker import Checker
    from achat_check.model import Finding
    from achat_check.report.terminal import to_text

    report = Checker().check([SAMPLES / "nettoyage-caf"])
    quoted = report.considerations.environmental[0].evidence
    report.findings.append(Finding(
        rule_id="clauses.quality", check="clauses.quality", status="fail", severity="warning",
        title="Qualité de rédaction des clauses", message="Les clauses ne sont pas toutes mesurables, suivies et "
        "assorties d'une pénalité chiffrée, ce que le Référentiel recommande pour chacune d'elles.",
        legal_basis="Référentiel RSO de la Sécurité sociale 2025, engagement 4, glossaire « Qualité de rédaction »",
        evidence=quoted, suggestion="Pour chaque clause : une exigence mesurable, l'information attendue et sa "
        "fréquence, une pénalité chiffrée et proportionnée."))
    text = to_text(report, width=80)
    for title, bullet in (("Points à corriger", "│ ●"), ("Considérations relevées", "│   •")):
        panel = text[text.index(title) :].split("╰")[0].splitlines()[1:]
        body = [line for line in panel if line.strip("│ ")]
        wrapped = [line for line in body if not line.startswith(bullet) and not line.startswith("│ Environnement")
                   and not line.startswith("│ Social")]
        assert len(wrapped) > len(body) // 2  # the paragraphs do wrap at 80 columns
        assert all(line.startswith("│   ") for line in wrapped), [w for w in wrapped if not w.startswith("│   ")]


def test_insertion_hours_are_written_as_french_counts():
    """France Travail's 3 000 hours a year over four years: « 12 000 heures », not « 12000 »."""
    from achat_check.checker import Checker
    from achat_check.report.html import to_html
    from achat_check.report.markdown import to_markdown
    from achat_check.report.terminal import to_text

    report = Checker().check([SAMPLES / "nettoyage-caf"])
    report.insertion.hours = 12000.0
    report.flags.insertion_clause = True
    assert "oui (12 000 heures)" in to_markdown(report) and "**12 000**" in to_markdown(report)
    assert "(12 000 h)" in to_text(report, width=200)
    # the web page joins a number and its unit by non-breaking spaces (test_report_html)
    assert "12\u00a0000\u00a0h</div>" in to_html(report) and "<strong>12\u00a0000</strong>" in to_html(report)
    report.insertion.hours = 1607.5
    assert "**1 607,5**" in to_markdown(report)


def test_serve_runs_the_api_beside_this_code_from_any_folder(tmp_path):
    """An editable install copies api/ into site-packages when installed; `achat-check serve`
    run from another folder served that stale copy instead of the checkout's."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), ACHAT_CHECK_DB=str(tmp_path / "a.db"))
    code = "import sys; from achat_check.cli import _api_app; _api_app(); print(sys.modules['achat_check_api'].__file__)"
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(ROOT / "api" / "__init__.py")


def test_the_procedure_row_adds_the_documents_words_only_when_they_say_more():
    assert procedure("adaptee", "procédure adaptée") == "procédure adaptée (MAPA)"
    assert procedure("formalisee", "Procédure  formalisée") == "procédure formalisée"
    assert procedure("formalisee", "L.2124-2") == "procédure formalisée (L.2124-2)"
    assert procedure("formalisee", "APPEL D’OFFRE OUVERT") == "procédure formalisée (appel d’offre ouvert)"
    assert procedure(None, None) == "—"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["check"], "argument manquant : CHEMIN"),
        (["rules", "show"], "argument manquant : RÈGLE"),
        (["check", "--bogus", "x"], "option inconnue : --bogus"),
        (["check", "x", "--max-pages", "beaucoup"], "valeur invalide pour --max-pages : nombre entier attendu"),
        (["verifier", "x"], "commande inconnue : « verifier »"),
        (["version", "en-trop"], "argument en trop : en-trop"),
    ],
)
def test_a_wrong_command_line_is_answered_in_french(args, said):
    """Typer says these in English; the user reads French, the usage line and where the help is."""
    done = run_cli(*args)
    assert done.returncode == 2, done.stderr
    assert said in done.stderr
    assert "Utilisation : achat-check" in done.stderr and "Aide : achat-check" in done.stderr
    for english in ("Missing", "No such", "Invalid value", "Input should", "Usage:", "Try '", "Error"):
        assert english not in done.stderr


def test_the_help_panels_are_french():
    done = run_cli("check", "--help")
    assert done.returncode == 0
    assert "[obligatoire]" in done.stdout and "[par défaut : rso-2025]" in done.stdout
    assert "[required]" not in done.stdout and "[default:" not in done.stdout
    assert "FICHIER" in done.stdout and "<str>" not in done.stdout and "<path>" not in done.stdout  # what a value is, in French
    assert "Commandes" in run_cli("--help").stdout


@pytest.mark.parametrize(
    ("args", "usage"),
    [
        (["check"], "achat-check check [OPTIONS] CHEMIN..."),
        (["batch"], "achat-check batch [OPTIONS] [CIBLE]..."),
        (["indicators"], "achat-check indicators [OPTIONS] REGISTRE"),
        (["rules", "show"], "achat-check rules show [OPTIONS] RÈGLE"),
        (["serve"], "achat-check serve [OPTIONS]"),
    ],
)
def test_help_pages_name_values_in_french_not_by_python_types(args, usage):
    """Typer 0.29 wrote « {paths}... » in the usage line, « <list[Path]> » beside an argument
    and « <bool> » beside every flag: every value is named by its French metavar, a flag by
    nothing."""
    page = run_cli(*args, "--help").stdout
    assert f"Utilisation : {usage}" in " ".join(page.split())
    assert not re.search(r"<[a-z][\w\[\], ]*>|\{\w+\}", page), page
    assert not re.search(r"par défaut : \d+\.0\]", page), page  # « 900 », not Python's « 900.0 » seconds


@pytest.mark.parametrize("args", [["--help"], ["check", "--help"], ["rules", "--help"], ["rules", "show", "--help"]])
def test_the_help_pages_own_lines_are_french(args):
    """Typer wrote « Usage: », « COMMAND [ARGS]... » and « Show this message and exit. » on
    every help page, of every command and group."""
    page = " ".join(run_cli(*args).stdout.replace("│", " ").split())
    assert "Utilisation : achat-check" in page and "Afficher cette aide et quitter." in page
    for english in ("Usage:", "Show this message", "COMMAND "):
        assert english not in page


def test_every_command_has_the_french_help_page():
    """The help pages above stand for all: every command and group is one of ours."""
    import typer

    from achat_check.cli import app
    from achat_check.cli_words import FrenchCommand, FrenchGroup

    def walk(command):
        yield command
        for sub in getattr(command, "commands", {}).values():
            yield from walk(sub)

    commands = list(walk(typer.main.get_command(app)))
    assert len(commands) >= 14  # the app, its 7 commands, the rules group and its 5 commands
    assert all(isinstance(c, FrenchGroup if hasattr(c, "commands") else FrenchCommand) for c in commands), commands


def test_every_report_names_what_the_market_buys():
    """The documents say « Le marché porte sur la surveillance humaine… »: each report opens
    on it, capitalised (the Markdown report did not show it at all)."""
    want = "La surveillance humaine, les rondes et le filtrage des accès"
    md = runner.invoke(app, ["check", str(SAMPLES / "gardiennage-urssaf"), "--format", "md"]).stdout
    assert md.splitlines()[2].startswith(f"**Objet** : {want}")
    html = runner.invoke(app, ["check", str(SAMPLES / "gardiennage-urssaf"), "--format", "html"]).stdout
    assert f"<title>achat-check – {want}" in html
    term = runner.invoke(app, ["check", str(SAMPLES / "gardiennage-urssaf")]).stdout
    assert term.index("La surveillance humaine") < term.index("Obligations non respectées")


def test_every_report_names_the_buyer():
    """The buyer the documents name heads each report, under the object (it was only in the
    JSON, and a manager scanning an archive reads reports of many buyers); a report whose
    documents name none says nothing of it."""
    md = runner.invoke(app, ["check", str(SAMPLES / "gardiennage-urssaf"), "--format", "md"]).stdout
    assert md.splitlines()[4] == "**Acheteur** : URSSAF DES PLATEAUX"
    html = runner.invoke(app, ["check", str(SAMPLES / "gardiennage-urssaf"), "--format", "html"]).stdout
    assert "acheteur : <strong>URSSAF DES PLATEAUX</strong>" in html
    term = runner.invoke(app, ["check", str(SAMPLES / "gardiennage-urssaf")]).stdout
    assert term.index("Acheteur : URSSAF DES PLATEAUX") < term.index("Obligations non respectées")


def test_the_terminal_says_when_one_side_has_no_consideration():
    """The informatique sample has environmental considerations and no social one: the
    terminal printed the « Social » heading over nothing (Markdown and HTML say « Aucune. »)."""
    term = runner.invoke(app, ["check", str(SAMPLES / "informatique-cpam"), "--fail-on", "never"]).stdout
    panel = term[term.index("Considérations relevées"):]
    assert re.search(r"│ Social\s+│\n│\s+Aucune\.\s+│", panel), panel


def test_scores_are_written_the_french_way():
    md = runner.invoke(app, ["check", str(SAMPLES / "nettoyage-caf"), "--format", "md"]).stdout
    assert "score 0,90)" in md and "score 0.9" not in md


def test_rules_list_speaks_french():
    """The list wrote the rules' codes: « environmental », « specification », « cancel »."""
    from achat_check.cli import app

    result = CliRunner().invoke(app, ["rules", "list"], env={"COLUMNS": "250"}, terminal_width=250)
    page = " ".join(result.stdout.replace("│", " ").split())
    assert "environnement" in page and "spécification technique" in page and "écarte la détection" in page
    for code in (" environmental ", " specification ", " cancel ", " lower "):
        assert code not in f" {page} "


def test_indicator_files_are_written_even_when_the_table_s_reader_stops_early(tmp_path):
    """`achat-check indicators … --out DIR | head`: the console ends the process on the closed
    pipe, and the files were written after the table, so none was."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), COLUMNS="100")
    code = "import sys; from achat_check.cli import main; sys.argv[0] = 'achat-check'; main()"
    proc = subprocess.Popen([sys.executable, "-c", code, "indicators", str(ROOT / "corpus/registres/marches.csv"), "--year", "2026",
                             "--out", str(tmp_path / "sortie")], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    proc.stdout.read(10)  # the start of the table, then the reader goes away
    proc.stdout.close()
    proc.wait(timeout=120)
    assert sorted(p.name for p in (tmp_path / "sortie").iterdir()) == ["graphiques", "indicateurs.csv", "indicateurs.json", "indicateurs.xlsx"]


def test_an_output_place_that_cannot_be_written_is_said_not_an_internal_error(tmp_path):
    """`-o` naming a folder under a file, or a folder where a file of that name is: the
    system's refusal reached the user as « Erreur interne (FileExistsError: [Errno 17]…) »."""
    a_file = write(tmp_path, "deja-la", b"x")
    register = str(ROOT / "corpus" / "registres" / "marches.csv")
    cases = [
        (("indicators", register, "--year", "2026", "-o", str(a_file)), str(a_file),
         "un fichier porte déjà ce nom là où il faut un dossier"),
        (("indicators", "template", "-o", str(a_file / "modele.xlsx")), str(a_file / "modele.xlsx"),
         "un élément du chemin est un fichier, pas un dossier"),
        (("check", str(SAMPLES / "nettoyage-caf"), "-o", str(a_file / "rapport.json")), str(a_file),
         "un fichier porte déjà ce nom là où il faut un dossier"),
    ]
    for args, where, why in cases:
        proc = run_cli(*args)
        said = " ".join(proc.stderr.split())
        assert proc.returncode == 2 and f"[AC-E028] {where} : écriture impossible ({why})" in said, said
        assert "Erreur interne" not in said


def test_values_an_option_does_not_take_are_refused_before_working(tmp_path):
    """`inspect -f xml` and `eval -f xml` printed the terminal's output; `rules list --rulebook
    xx` listed no rule; `rules docs -o regles.pdf` wrote Markdown into a .pdf."""
    for args, said in ((["inspect", str(SAMPLES / "tma-cnaf" / "RC.pdf"), "-f", "xml"], "--format « xml » inconnu : choisissez parmi terminal, json."),
                       (["eval", str(ROOT / "corpus" / "gold" / "corpus.json"), "-f", "xml"], "--format « xml » inconnu"),
                       (["rules", "list", "--rulebook", "rso-2052"], "référentiel « rso-2052 » inconnu : rso-2025 ou plan-cadre-2015."),
                       (["rules", "docs", "-o", str(tmp_path / "regles.pdf")], "« regles.pdf » : la documentation des règles s'écrit en Markdown"),
                       (["indicators", str(ROOT / "corpus" / "registres" / "marches.csv"), "--by", "region"], "--by « region » inconnu")):
        proc = run_cli(*args)
        assert proc.returncode == 2 and f"[AC-E016] {said}" in proc.stderr and not proc.stdout, (args, proc.stderr)
    assert not (tmp_path / "regles.pdf").exists()


def test_serve_says_why_it_cannot_listen_before_starting():
    """A port out of range was « Erreur interne (OverflowError: bind(): port must be
    0-65535.) »; an unknown host or a port already taken was a line of uvicorn's English log
    (« [Errno 98] address already in use ») after the service had started."""
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        for args, said in ((["--port", "99999"], "--port 99999 : un port va de 1 à 65535"),
                           (["--host", "hote inconnu"], "--host « hote inconnu » : adresse inconnue"),
                           (["--port", str(port)], f"impossible d'écouter sur 127.0.0.1:{port} : le port {port} est déjà pris")):
            proc = run_cli("serve", *args, timeout=60)
            assert proc.returncode == 2 and f"[AC-E016] {said}" in proc.stderr, proc.stderr
            assert "Started server" not in proc.stderr and "Traceback" not in proc.stderr


def test_serve_says_a_store_or_a_working_folder_it_cannot_use_before_starting(tmp_path, monkeypatch):
    """ACHAT_CHECK_DB naming a database it cannot use, or ACHAT_CHECK_DATA_DIR a place it
    cannot write, printed uvicorn's traceback of the lifespan, then « Application startup
    failed ». ACHAT_CHECK_RULES naming a folder without a pack started a service that said
    it was ready and answered every check « aucun pack de règles » in a 422."""
    (tmp_path / "fichier").write_text("pas un dossier", encoding="utf-8")
    (tmp_path / "regles").mkdir()
    for variable, value, said in (("ACHAT_CHECK_DB", "mysql://achat@hote/lots", "[AC-E016] base « mysql://achat@hote/lots » inutilisable"),
                                  ("ACHAT_CHECK_DATA_DIR", str(tmp_path / "fichier" / "travail"), "[AC-E028]"),
                                  ("ACHAT_CHECK_RULES", str(tmp_path / "regles"), "aucun pack de règles")):
        monkeypatch.setenv(variable, value)
        proc = run_cli("serve", "--port", "8799", timeout=60)
        monkeypatch.delenv(variable)
        assert proc.returncode == 2 and said in proc.stderr, proc.stderr
        assert "Traceback" not in proc.stderr and "startup" not in proc.stderr and "http://127.0.0.1:8799" not in proc.stderr
        where = ("(ACHAT_CHECK_DATA_DIR) ou corrigez les droits" if variable == "ACHAT_CHECK_DATA_DIR"
                 else f"(réglé par la variable {variable} : corrigez-la ou retirez-la)")
        assert where in " ".join(proc.stderr.split())  # where to change it


def test_indicators_by_takes_the_register_s_own_word():
    """The register's column is « organisme » (`indicators template`): « --by organisme » was
    refused (« inconnu : choisissez parmi organisation, branche »)."""
    register = str(ROOT / "corpus" / "registres" / "marches.csv")
    for word, axis in (("organisme", "organisation"), ("Organismes", "organisation"), ("branches", "branche")):
        result = runner.invoke(app, ["indicators", register, "--year", "2026", "--by", word, "--format", "json"])
        assert result.exit_code == 0 and json.loads(result.stdout)["by"] == axis, word
