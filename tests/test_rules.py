"""One generic test over every rule's examples, the lint, and errors of bad packs."""

from __future__ import annotations

from pathlib import Path

import pytest

from achat_check.analysis import Analyzer
from achat_check.engine.detect import COUNT_THRESHOLD
from achat_check.engine.docs import rules_markdown
from achat_check.engine.lint import lint
from achat_check.engine.loader import load_pack, load_rules
from achat_check.errors import AchatCheckError
from tests.conftest import ROOT, SAMPLES, run_cli

ANALYZER = Analyzer()
RULESET = ANALYZER.ruleset


def _cases():
    for pack in RULESET.packs:
        for rule in pack.all_rules:
            for kind, items in (("pos", rule.examples.positive), ("neg", rule.examples.negative), ("todo", rule.examples.todo)):
                for i, text in enumerate(items):
                    marks = [pytest.mark.xfail(strict=True, reason="exemple connu non encore traité")] if kind == "todo" else []
                    yield pytest.param(rule.id, kind, text, id=f"{rule.id}-{kind}-{i}", marks=marks)


@pytest.mark.parametrize(("rule_id", "kind", "text"), list(_cases()))
def test_rule_example(rule_id, kind, text):
    if rule_id.startswith("CRI-"):
        from achat_check.extract.criteria_kind import classify_criterion

        expected = RULESET.find(rule_id).kind
        assert (classify_criterion(text)[0] == expected) == (kind != "neg"), classify_criterion(text)
        return
    _, scored = ANALYZER.scan_text(text)
    if rule_id.startswith("CTX-"):
        hit = any(a.rule_id == rule_id for s in scored for a in s.explanation.adjustments)
        assert hit == (kind != "neg"), [s.explanation.summary for s in scored]
        return
    counted = {s.rule.id for s in scored if s.score >= COUNT_THRESHOLD}
    if kind == "neg":
        assert rule_id not in counted, [s.explanation.summary for s in scored if s.rule.id == rule_id]
    else:
        assert rule_id in counted, [s.explanation.summary for s in scored]


def test_packs_pass_the_lint():
    assert lint(RULESET) == []


def test_docs_rules_md_is_up_to_date():
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == rules_markdown(RULESET), (
        "docs/rules.md est en retard : lancez `achat-check rules docs -o docs/rules.md`"
    )


def test_every_pack_declares_its_rulebooks():
    assert {p.id for p in RULESET.packs} >= {"environnement", "social", "insertion", "reserve", "contexte"}
    assert all(p.language == "fr" and p.version for p in RULESET.packs)


GOOD_RULE = """
id: maison
version: "1"
title: Pack maison
theme: environmental
rules:
  - id: MSN-001
    name: msn.compost
    title: Compostage
    rationale: Le compostage des biodéchets réduit les déchets.
    legal_basis: Code de l'environnement L541-21-1
    category: waste
    patterns: [compostage des biodéchets]
    message: Compostage prévu.
    suggestion: Le titulaire assure le compostage des biodéchets.
    examples:
      positive: [Le titulaire assure le compostage des biodéchets sur site.]
      negative: [Le titulaire nettoie les locaux.]
"""


def _pack(tmp_path: Path, text: str) -> Path:
    d = tmp_path / "packs"
    d.mkdir(exist_ok=True)
    (d / "maison.yaml").write_text(text, encoding="utf-8")
    return d


def test_user_pack_is_loaded_and_detects(tmp_path):
    d = _pack(tmp_path, GOOD_RULE)
    analyzer = Analyzer(rules_dirs=[d])
    _, scored = analyzer.scan_text("Le titulaire assure le compostage des biodéchets sur site.")
    assert "MSN-001" in {s.rule.id for s in scored if s.score >= COUNT_THRESHOLD}


def test_rules_given_as_one_pack_file_and_rule_places_without_packs(tmp_path):
    """« --rules maison.yaml » (the one pack a buyer wrote) was « dossier de règles
    introuvable »; a folder without any pack was taken silently, its rules not there."""
    d = _pack(tmp_path, GOOD_RULE)
    assert load_rules(extra=[d / "maison.yaml"]).find("MSN-001") is not None
    (tmp_path / "vide").mkdir()
    (tmp_path / "notes.txt").write_text("règles", encoding="utf-8")
    for place, said in ((tmp_path / "vide", "aucun pack de règles (fichier .yaml) dans ce dossier."),
                        (tmp_path / "notes.txt", "ni un dossier de packs de règles ni un pack YAML"),
                        (tmp_path / "absent", "dossier de règles introuvable.")):
        with pytest.raises(AchatCheckError) as info:
            load_rules(extra=[place])
        assert info.value.code == "AC-E013" and info.value.path == str(place) and info.value.message.startswith(said)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (("    category: waste\n", "    category: waste\n    colour: vert\n"), "colour"),
        (("    legal_basis: Code de l'environnement L541-21-1\n", ""), "legal_basis"),
        (("id: MSN-001", "id: msn-1"), "id"),
        (("    patterns: [compostage des biodéchets]\n", "    patterns:\n      - regex: \"(compost\"\n"), "patterns"),
    ],
)
def test_bad_rule_file_names_file_rule_and_field(tmp_path, change, field):
    d = _pack(tmp_path, GOOD_RULE.replace(*change))
    with pytest.raises(AchatCheckError) as info:
        load_pack(d / "maison.yaml")
    err = info.value
    assert err.code == "AC-E013" and err.path.endswith("maison.yaml")
    assert "MSN-001" in err.message or "msn-1" in err.message
    assert field in err.message


PATTERNS = "    patterns: [compostage des biodéchets]\n"


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (("    category: waste\n", "    category: waste\n    colour: vert\n"),
         "règle MSN-001, champ « colour » : champ inconnu (faute de frappe ?)"),
        (("    legal_basis: Code de l'environnement L541-21-1\n", ""), "règle MSN-001, champ « legal_basis » : champ obligatoire absent"),
        ((PATTERNS, "    patterns: [12]\n"),
         "règle MSN-001, champ « patterns.0 » : forme attendue : texte, liste de jetons, {regex: …} ou {fuzzy: …}"),
        ((PATTERNS, "    patterns:\n      - regex: 12\n"), "règle MSN-001, champ « patterns.0.regex » : texte attendu"),
        ((PATTERNS, "    patterns: []\n"), "règle MSN-001, champ « patterns » : au moins 1 élément(s)"),
        ((PATTERNS, "    patterns:\n      - regex: \"(compost\"\n"),
         "règle MSN-001, champ « patterns.0.regex » : expression régulière invalide : missing ), unterminated subpattern"),
        (("rules:\n  - id: MSN-001", "rules:\n  - 12\n  - id: MSN-001"), "règle n°1 : dictionnaire (clé : valeur) attendu"),
        # the fields read as regular expressions: refused at load, not at the first DCE (« Erreur interne »)
        (("    category: waste\n", "    category: waste\n    requires: [\"(biod\"]\n"),
         "règle MSN-001, champ « requires.0 » : expression régulière invalide : missing ), unterminated subpattern"),
        (("    category: waste\n", "    category: waste\n    excludes: [\"\"]\n"),
         "règle MSN-001, champ « excludes.0 » : expression qui trouve aussi un texte vide, donc chaque phrase"),
        (("title: Pack maison\n", "title: Pack maison\ncontext:\n  - id: CTX-901\n    name: ctx.maison\n    title: t\n"
                                   "    rationale: r\n    effect: cancel\n    patterns: [\"(rappel\"]\n"
                                   "    examples: {positive: [], negative: []}\n"),
         "règle CTX-901, champ « patterns.0 » : expression régulière invalide : missing ), unterminated subpattern"),
        (("title: Pack maison\n", "title: Pack maison\ncriterion_kinds:\n  - id: CRI-901\n    name: cri.maison\n"),
         "nature de critère CRI-901, champ « kind » : champ obligatoire absent"),
    ],
)
def test_a_bad_rule_is_said_in_french_where_it_is(tmp_path, change, said):
    """pydantic's English reached the author of a pack (« Field required », « Input should
    be a valid string »), a pattern that fit no form gave one error per form it may take
    (« patterns.0.str », « patterns.0.list[dict[str,any]] », « patterns.0.RegexPattern »),
    and an error in a criterion kind or a check was placed by index, not by its id."""
    d = _pack(tmp_path, GOOD_RULE.replace(*change))
    with pytest.raises(AchatCheckError) as info:
        load_pack(d / "maison.yaml")
    assert info.value.message.startswith(said), info.value.message
    assert "Input should" not in info.value.message and "Field required" not in info.value.message


def test_a_bad_token_pattern_is_said_by_lint_and_check_not_as_an_internal_error(tmp_path):
    """spaCy checks a token pattern only when the matcher is built: « LOWR » for « LOWER »
    passed `rules lint` and made `check` stop with « Erreur interne (Invalid token patterns…) »."""
    d = _pack(tmp_path, GOOD_RULE.replace(PATTERNS, "    patterns:\n      - [{LOWR: compostage}, {LOWER: 5}]\n"))
    said = ("règle MSN-001, motif de jetons invalide : jeton 1, « LOWR » : attribut inconnu (faute de frappe ?) ; "
            "jeton 2, « LOWER » : valeur invalide")
    for command in (("rules", "lint", "--rules", str(d)), ("check", str(SAMPLES / "nettoyage-caf"), "--rules", str(d))):
        proc = run_cli(*command)
        out = " ".join(proc.stderr.split())
        assert proc.returncode == 2 and "[AC-E013]" in out and "maison.yaml" in out and said in out, out
        assert "Erreur interne" not in out


def test_a_rule_file_not_in_utf8_is_said_in_french(tmp_path):
    """A pack saved in Latin-1 said Python's « 'utf-8' codec can't decode byte 0xe9 … »."""
    d = _pack(tmp_path, GOOD_RULE)
    (d / "maison.yaml").write_bytes(GOOD_RULE.encode("latin-1", errors="replace"))
    with pytest.raises(AchatCheckError) as info:
        load_pack(d / "maison.yaml")
    assert info.value.code == "AC-E013" and "texte qui n'est pas en UTF-8, octet " in info.value.message
    assert "codec" not in info.value.message


@pytest.mark.parametrize(("text", "said"), [
    ("id: x\ntitle: Critère : prix\n", "ligne 2 : « : » dans une valeur : mettez-la entre guillemets"),
    ("id: x\nrules:\n\t- id: a\n", "ligne 3 : caractère qui ne peut pas commencer une valeur : une tabulation"),
    ("id: x\nrules:\n  - id: a\n   name: b\n", "ligne 4 : indentation incohérente"),
    ("id: 'x\nrules: []\n", "ligne 3 : guillemet non refermé"),
    ("id: x\nrules: [a, b\n", "ligne 3 : liste « [ » non refermée"),
])
def test_a_pack_s_yaml_mistakes_are_said_in_french(tmp_path, said, text):
    """A buyer writing a pack read the YAML parser's English (« mapping values are not allowed
    in this context », « found character that cannot start any token »)."""
    with pytest.raises(AchatCheckError) as info:
        load_pack(_pack(tmp_path, text) / "maison.yaml")
    assert info.value.code == "AC-E013" and f"YAML invalide {said}" in info.value.message, info.value.message


def test_broken_yaml_and_duplicate_ids(tmp_path):
    d = _pack(tmp_path, "id: x\n  - : [")
    with pytest.raises(AchatCheckError) as info:
        load_pack(d / "maison.yaml")
    assert "YAML invalide" in info.value.message
    d = _pack(tmp_path, GOOD_RULE.replace("MSN-001", "ENV-001"))
    with pytest.raises(AchatCheckError) as info:
        load_rules(extra=[d])
    assert "ENV-001" in info.value.message and "déjà utilisé" in info.value.message


def test_rules_cli_list_show_lint_and_bad_pack(tmp_path):
    assert "ENV-001" in run_cli("rules", "list").stdout
    shown = run_cli("rules", "show", "INS-004")
    assert shown.returncode == 0 and "facilitateur" in shown.stdout
    assert run_cli("rules", "lint").returncode == 0
    d = _pack(tmp_path, GOOD_RULE.replace("    legal_basis: Code de l'environnement L541-21-1\n", ""))
    bad = run_cli("rules", "lint", "--rules", str(d))
    assert bad.returncode == 2 and "AC-E013" in bad.stderr and "MSN-001" in bad.stderr and "Traceback" not in bad.stderr


def test_fuzzy_model_clause_catches_a_misspelt_clause():
    text = ("Le titulaire s'engage à réserver aux personnes rencontrant des dificultés sociales ou "
            "profesionnelles particulières une partie des heures de travail (clause sociale).")
    _, scored = ANALYZER.scan_text(text)
    ins = [s for s in scored if s.rule.id == "INS-001"]
    assert ins and ins[0].explanation.pattern.startswith("clause type")


def test_exported_json_schema_is_up_to_date():
    import json

    from achat_check.engine.schema import json_schema

    assert json.loads((ROOT / "docs" / "rule-pack.schema.json").read_text(encoding="utf-8")) == json_schema()


def test_packs_from_environment_variable(tmp_path, monkeypatch):
    d = _pack(tmp_path, GOOD_RULE)
    monkeypatch.setenv("ACHAT_CHECK_RULES", str(d))
    assert load_rules().find("MSN-001") is not None


def test_a_wrong_folder_of_the_environment_variable_names_it(tmp_path, monkeypatch):
    """A folder named by ACHAT_CHECK_RULES (set in a shell profile, forgotten) that is not
    there or holds no pack was « dossier de règles introuvable » with nothing saying where the
    folder came from; the same folder given by --rules is said as before."""
    (tmp_path / "vide").mkdir()
    for folder, said in ((tmp_path / "vide", "aucun pack de règles"), (tmp_path / "absent", "dossier de règles introuvable")):
        monkeypatch.setenv("ACHAT_CHECK_RULES", str(folder))
        with pytest.raises(AchatCheckError) as err:
            load_rules()
        assert err.value.code == "AC-E013" and err.value.path == str(folder)
        assert err.value.message.startswith(said) and "(réglé par la variable ACHAT_CHECK_RULES" in err.value.message
        monkeypatch.delenv("ACHAT_CHECK_RULES")
        with pytest.raises(AchatCheckError) as err:
            load_rules(extra=[folder])
        assert "ACHAT_CHECK_RULES" not in err.value.message


def test_regex_anchors_are_necessary_words():
    from achat_check.caseless import regex_anchors

    assert regex_anchors(r"\bL\.?\s?2113-12\b") == (("2113-12",),)
    assert regex_anchors(r"(insertion|clause sociale)[^.]{0,200}\bp[ée]nalit[ée]") == (
        ("clause sociale", "insertion"),
        ("penalite", "penalité", "pénalite", "pénalité"),  # a small class is spelt out
    )
    assert regex_anchors(r"d[ée]chets?\b[^.;]{0,80}\b(r[ée]employ[ée]s|recycl[ée]s|valoris[ée]s)\b") == (
        ("dechet", "déchet"),
        ("recycles", "recyclés", "reemployes", "reemployés", "réemployes", "réemployés", "valorises", "valorisés"),
    )
    assert regex_anchors(r"[a-z]{2}ab[cdefgh]xyz") == (("xyz",),)  # ranges and large classes end a run
    assert regex_anchors(r"(a|bc)\d+") == ()  # no word of three letters is required: never skipped
    assert regex_anchors(r"(?:foobar)?ba") == ()  # an optional group is never required
    assert regex_anchors(r"(?:foo)?bar") == (("bar",),)


def test_every_regex_example_holds_a_word_of_each_anchor_group():
    """A group that a positive example lacks would make the rule miss it: none may."""
    from achat_check.engine.compile import compile_rules
    from achat_check.engine.loader import load_rules
    from achat_check.nlp import pipeline

    compiled = compile_rules(load_rules(), pipeline())
    assert compiled.regexes and any(cr.rx.anchors for cr in compiled.regexes)
    for cr in compiled.regexes:
        for example in cr.rule.examples.positive:
            if cr.rx.search(example):
                for group in cr.rx.anchors:
                    assert any(a in example.lower() for a in group), (cr.rule.id, cr.label, example, group)
