"""The self-contained HTML report: links to highlighted words, no network, seen in Chromium."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from achat_check.checker import Checker
from achat_check.report import render
from tests.conftest import SAMPLES, run_cli

HIGHLIGHT_TARGET = (255, 179, 0)  # mark:target background in report.html.j2


@pytest.fixture(scope="module")
def nettoyage_html() -> str:
    report, docs = Checker().check_documents([SAMPLES / "nettoyage-caf"])
    return render(report, "html", docs)


def test_every_quote_links_to_highlighted_words_of_its_page(nettoyage_html):
    html = nettoyage_html
    links = set(re.findall(r'href="#(ev\d+)"', html))
    anchors = set(re.findall(r'<mark id="(ev\d+)">', html)) | set(re.findall(r'<a id="(ev\d+)"></a>', html))
    assert links and links == anchors
    # the highlighted words are the words the rule matched, inside the page view of their page
    m = re.search(r'<div class="page" id="p\d+-(\d+)">\s*<h3>CCAP.docx — page 1</h3>', html)
    assert m
    assert re.search(r'<mark id="ev\d+">[^<]*[ÉéE]colabel', html)


def test_the_open_data_codes_say_what_they_mean(nettoyage_html):
    """eForms codes stay as published (to copy into a notice) with their meaning in French."""
    odata = nettoyage_html[nettoyage_html.index('class="odata"'):]
    odata = odata[: odata.index("</p>")]
    assert "BT-774 (impact environnemental) : <code>circ-econ</code> économie circulaire" in odata
    assert "BT-06 (achat stratégique) : <code>env-imp</code> réduction des impacts environnementaux" in odata
    # the DECP fields under their published names, to copy (« considérationsSociales » was no field)
    assert "considerationsSociales : <code>" in odata and "considerationsEnvironnementales : <code>" in odata
    report, docs = Checker().check_documents([SAMPLES / "gardiennage-urssaf"])
    bare = render(report, "html", docs)
    assert "BT-774 (impact environnemental) : —" in bare and "<code>none</code> aucun" in bare


def test_summary_cards_criteria_bars_findings_and_suggestions():
    report, docs = Checker().check_documents([SAMPLES / "gardiennage-urssaf"])
    html = render(report, "html", docs)
    assert '<div class="n">6</div><div class="l">obligation(s) non respectée(s)' in html
    assert html.count('class="finding error"') == 6
    assert 'class="bar k-price"' in html and 'style="width:60' in html
    assert html.count("Rédaction proposée") == len(report.findings)
    assert "délai global de paiement de 30\u00a0jours" in html  # the payment suggestion, pasteable


def test_a_file_left_aside_is_a_warning_and_an_unreadable_one_an_error(tmp_path):
    """Every notice was drawn as an error (red): « fichier ignoré » (AC-W008) or an archive
    read up to its cut (AC-W009) looked like a file that could not be read at all (AC-E004)."""
    dce = tmp_path / "dce"
    shutil.copytree(SAMPLES / "gardiennage-urssaf", dce)
    (dce / "avis.json").write_text('{"avis": 1}', encoding="utf-8")
    (dce / "Annexe.pdf").write_bytes(b"%PDF-1.4 abime\n%%EOF\n")
    report, docs = Checker().check_documents([dce])
    html = render(report, "html", docs)
    said = {n.code: n for n in report.errors}
    assert set(said) == {"AC-W008", "AC-E004"}
    for code, level in (("AC-W008", "warning"), ("AC-E004", "error")):
        assert f'<p class="finding {level}">{said[code].render()}</p>' in html.replace("&#39;", "'")


def test_no_criterion_found_in_a_dce_partly_read_says_so(tmp_path):
    """« Aucun critère d'attribution trouvé dans les documents fournis » under an RC read up
    to the cut of its download: the criteria may be in the part lost."""
    (tmp_path / "RC.md").write_text("# RÈGLEMENT DE LA CONSULTATION\n\n# Article 1 – Objet\n\nNettoyage des locaux.\n",
                                     encoding="utf-8")
    (tmp_path / "CCTP.pdf").write_bytes(b"%PDF-1.4 abime\n%%EOF\n")
    report, docs = Checker().check_documents([tmp_path])
    assert report.unread() == ["CCTP.pdf"] and not report.criteria
    said = html.unescape(render(report, "html", docs))
    assert "Aucun critère d'attribution trouvé dans le texte lu : une partie du DCE n'a pas pu l'être (voir la synthèse)." in said
    (tmp_path / "CCTP.pdf").unlink()
    report, docs = Checker().check_documents([tmp_path])
    assert "Aucun critère d'attribution trouvé dans les documents fournis." in html.unescape(render(report, "html", docs))


def test_an_amount_never_breaks_across_lines():
    """The scope card printed « 420 » at the end of a line and « 000 € HT » below it (seen in
    the report's capture): a number's groups and its unit are joined by non-breaking spaces,
    in the report and on the service's pages, markup and quotes alike."""
    from markupsafe import Markup

    from achat_check.report.labels import unbroken_amounts

    report, docs = Checker().check_documents([SAMPLES / "gardiennage-urssaf"])
    html = render(report, "html", docs)
    card = html[html.index("dans le périmètre des indicateurs"):]
    card = card[: card.index("</div>")]
    assert "(420\u00a0000\u00a0€\u00a0HT ; seuil : 25\u00a0000\u00a0€\u00a0HT)" in card
    assert "Prix (60\u00a0%), Valeur technique (40\u00a0%)" in html  # a check's reason
    assert unbroken_amounts("lot 2 pour 3 ans ; art. 7 ; 01 23 45 67 89") == "lot 2 pour 3\u00a0ans ; art. 7 ; 01 23 45 67 89"
    safe = unbroken_amounts(Markup("<b>1 000 €</b>"))
    assert isinstance(safe, Markup) and safe == Markup("<b>1\u00a0000\u00a0€</b>")
    assert unbroken_amounts(144000) == 144000


def test_no_network_resource_and_quotes_are_escaped(tmp_path):
    (tmp_path / "RC.md").write_text(
        "# Règlement\n\n# Article 1 – Critères\n\n| Critère | Pondération |\n| Prix <script>alert(1)</script> | 60 % |\n"
        "| Performance environnementale | 40 % |\n", encoding="utf-8")
    report, docs = Checker().check_documents([tmp_path])
    html = render(report, "html", docs)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "default-src 'none'" in html


def test_cli_writes_html(tmp_path):
    out = tmp_path / "rapport.html"
    proc = run_cli("check", str(SAMPLES / "tma-cnaf"), "--format", "html", "--out", str(out))
    assert proc.returncode == 1, proc.stderr  # criteria.sum fails: an obligation
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "Somme des pondérations" in text


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(_chromium() is None, reason="Chromium absent (Debian package `chromium`, installed by .ci/run)")
def test_chromium_renders_the_page_and_highlights_the_targeted_words(tmp_path, nettoyage_html):
    from PIL import Image

    page = tmp_path / "rapport.html"
    page.write_text(nettoyage_html, encoding="utf-8")
    shots = {}
    # headless Chromium draws a blank frame once scrolled: the target shot uses a window
    # tall enough for the whole page, so the fragment only highlights, never scrolls
    for name, url, height in (("top", page.as_uri(), 900), ("target", page.as_uri() + "#ev1", 14000)):
        png = tmp_path / f"{name}.png"
        subprocess.run(
            [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", f"--window-size=1280,{height}",
             f"--screenshot={png}", url],
            capture_output=True, timeout=120, check=False,
        )
        assert png.exists() and png.stat().st_size > 10_000, f"no screenshot for {url}"
        shots[name] = Image.open(png).convert("RGB")
    top = shots["top"]
    # the header band is drawn (dark blue) and the page is not blank
    assert top.getpixel((10, 10)) == (0x12, 0x35, 0x5B)
    assert len(_colours(top.resize((64, 48)))) > 20
    # following a quote's link highlights its words (mark:target), and only then
    assert HIGHLIGHT_TARGET in _colours(shots["target"])
    assert HIGHLIGHT_TARGET not in _colours(top)


def _colours(image) -> set[tuple[int, int, int]]:
    return {c for _, c in image.getcolors(maxcolors=1 << 24)}


def test_screenshot_helper_is_documented():
    # the CI script installs the browser the screenshot test needs
    assert "chromium" in (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text()


def test_the_market_data_table_is_the_same_in_every_report():
    """One table of « Données du marché » for the three reports: the Markdown report wrote the
    consultation date « 2026-07-15 » and the terminal showed six of its ten rows."""
    import datetime
    import html as html_lib

    from achat_check.report.labels import fact_rows

    report, docs = Checker().check_documents([SAMPLES / "nettoyage-caf"])
    report.facts.consultation_date = datetime.date(2026, 7, 15)
    report.facts.max_duration_months = 48
    report.facts.retenue_garantie_rate = 0.0
    report.facts.penalties_capped, report.facts.penalty_cap_rate = True, 10.0
    rows = fact_rows(report)
    assert ("Date de la consultation", "15/07/2026") in rows and ("Durée maximale", "48 mois (12 mois, reconductible 3 fois)") in rows
    assert ("Retenue de garantie", "aucune") in rows  # the documents say there is none (not « 0 % »)
    assert ("Pénalités", "plafonnées à 10 %") in rows  # what weighs on an SME (the reports did not say)
    assert ("Forme", "accord-cadre à bons de commande") in rows  # « Chaque lot fait l'objet d'un accord-cadre à bons de commande »
    from achat_check.model import Lot

    saved, report.facts.lots = report.facts.lots, [Lot(number="1", title="Vitrerie"), Lot(number="2")]
    assert ("Lots", "1 Vitrerie · lot 2") in fact_rows(report)  # a lot without a title (« Lot 2 : XX € HT »)
    report.facts.lots = saved
    rows = fact_rows(report)
    for fmt in ("md", "terminal", "html"):
        text = html_lib.unescape(render(report, fmt, docs)).replace("\u00a0", " ")  # the page's unbreakable spaces are spaces
        flat = " ".join(text.replace("│", " ").replace("|", " ").split())
        for label, value in rows:
            assert " ".join(f"{label} {value}".split()) in flat or fmt == "html" and f"<td>{label}</td><td>{value}</td>" in text, (fmt, label, value)
        assert "2026-07-15" not in text


def test_criteria_that_differ_per_lot_are_shown_per_lot_in_every_report():
    """A real RC: lots 1 to 6 share criteria, lot 7 has its own. The Markdown report titled
    only lot 7's table (« Lots 7 ») so lots 1-6's read as everyone's, and the terminal
    showed lots 1-6's alone."""
    import html as html_lib

    from achat_check.model import CriteriaGroup, Criterion
    from achat_check.report.labels import lots_heading

    assert [lots_heading(x) for x in (["7"], ["1", "2", "3", "4", "5", "6"], ["2", "4", "5"], ["1", "2"], [])] == [
        "Lot 7", "Lots 1 à 6", "Lots 2, 4 et 5", "Lots 1 et 2", "Tous lots"]
    report, docs = Checker().check_documents([SAMPLES / "nettoyage-caf"])
    shared = [Criterion(name="Prix", weight=35, kind="price"), Criterion(name="Valeur technique", weight=65, kind="technical")]
    own = [Criterion(name="Prix", weight=40, kind="price"), Criterion(name="Qualité des experts rares", weight=50, kind="technical")]
    report.criteria, report.criteria_total = shared, 100.0
    report.criteria_lots = [CriteriaGroup(lots=[str(n) for n in range(1, 7)], criteria=shared, total=100.0),
                            CriteriaGroup(lots=["7"], criteria=own, total=90.0)]
    for fmt in ("md", "terminal", "html"):
        text = html_lib.unescape(render(report, fmt, docs)).replace("\u00a0", " ")  # the page's unbreakable spaces are spaces
        first, second = text.index("Lots 1 à 6"), text.index("Lot 7")
        assert first < text.index("Valeur technique", first) < second < text.index("Qualité des experts rares", second), fmt
        assert "Lots 7" not in text and "90 %" in text[second:], fmt  # lot 7's own total
    assert "Total : 90 % (différent de 100 %)" in render(report, "md", docs)


def test_a_recommendation_breaching_a_legal_limit_says_why_it_counts_among_obligations():
    """The gardiennage DCE's retenue de garantie of 10 % breaks the legal 5 %: its check, a
    recommendation, is counted among the obligations not met (6), while the table of checks said
    « recommandation » beside it; every report now says why it counts."""
    import html as html_lib

    report, docs = Checker().check_documents([SAMPLES / "gardiennage-urssaf"])
    said = "recommandation ; ici, limite légale dépassée"
    assert sum(f.severity == "error" for f in report.findings) == 6
    terminal = render(report, "terminal")  # a table: the kind wraps under the title
    assert "Conditions financières accessibles aux PME" in terminal and "(recommandation ; ici, limite légale" in terminal
    assert f"(`sme.financial_terms`, {said})" in render(report, "md")
    assert f"sme.financial_terms</code> · {said}" in html_lib.unescape(render(report, "html", docs))
    assert "Délai de paiement (obligation)" in terminal and terminal.count("ici, limite légale") == 1
