"""End to end in headless Chromium (Debian `chromium`, driven by Playwright): a buyer checks a
DCE and follows a quote to its highlighted words, then runs a batch and sees it finish.

Screenshots are kept in test-artifacts/ at the root of the checkout.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT, SAMPLES

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = ROOT / "test-artifacts"
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium absent (paquet Debian `chromium`, installé par .ci/run)"),
]
sync_api = pytest.importorskip("playwright.sync_api")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("e2e")
    port = free_port()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]), ACHAT_CHECK_DB=str(root / "achat-check.db"),
               ACHAT_CHECK_DATA_DIR=str(root / "data"), ACHAT_CHECK_API_KEYS="")
    proc = subprocess.Popen([sys.executable, "-m", "achat_check.cli", "serve", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/readyz", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            raise AssertionError(proc.stdout.read().decode(errors="replace"))
        time.sleep(0.3)
    yield base
    proc.terminate()
    proc.wait(20)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def test_check_a_dce_and_follow_a_quote_to_its_highlighted_words(server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server + "/")
    assert page.get_by_label("Pièces du DCE").count() == 1  # the input has its label
    page.set_input_files("#files", [str(p) for p in sorted((SAMPLES / "gardiennage-urssaf").iterdir())])
    page.get_by_role("button", name="Vérifier").click()
    page.wait_for_selector("text=Points à corriger", timeout=120_000)
    cards = page.locator(".card.bad .n").first.inner_text()
    assert cards == "6"  # six legal obligations not met
    shot(page, "1-rapport")
    link = page.locator("blockquote a").first
    target = link.get_attribute("href")
    link.click()
    page.wait_for_function(f"location.hash === '{target}'")
    colour = page.evaluate("getComputedStyle(document.querySelector(':target')).backgroundColor")
    assert colour == "rgb(255, 179, 0)"  # mark:target: the exact words, highlighted
    assert page.locator(":target").inner_text().strip()
    shot(page, "2-mots-surlignes")
    # the report saved as a file of its own: whole, without the site's links (dead once sent)
    with page.expect_download() as got:
        page.get_by_text("Enregistrer le rapport (HTML)").click()
    download = got.value
    saved = Path(download.path()).read_text(encoding="utf-8")
    assert download.suggested_filename == "rapport-achat-check.html" and saved.startswith("<!DOCTYPE html>")
    assert "Points à corriger" in saved and "Nouvelle vérification" not in saved and 'id="site"' not in saved
    download.save_as(tmp_path / download.suggested_filename)
    alone = browser.new_page()
    alone.goto((tmp_path / download.suggested_filename).as_uri())  # opened as a file, no server
    assert alone.locator(".card.bad .n").first.inner_text() == "6" and alone.locator("nav#site").count() == 0
    alone.close()
    page.close()


def test_start_a_batch_and_see_it_finish(server, browser, tmp_path):
    archive = tmp_path / "lots.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for name in ("espaces-verts-reserve", "informatique-cpam"):
            for p in sorted((SAMPLES / name).iterdir()):
                zf.write(p, f"{name}/{p.name}")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server + "/lots")
    page.set_input_files("#archive", str(archive))
    page.get_by_role("button", name="Lancer le lot").click()
    page.wait_for_url("**/lots/*")
    page.wait_for_selector("[data-status=done]", timeout=180_000)  # the page refreshes itself while it runs
    assert page.locator("tbody tr").count() == 2
    assert "2 vérifié(s)" in page.locator("#etat").inner_text()
    shot(page, "3-lot-termine")
    csv = httpx.get(server + page.url.removeprefix(server) + "/resultats.csv")
    assert csv.status_code == 200 and csv.text.count("\n") == 3
    page.close()
