"""The HTTP API and the web page, with TestClient: every route and every error path."""

from __future__ import annotations

import html
import io
import json
import shutil
import time
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import api
from api.deps import get_settings
from api.settings import ApiSettings
from tests.conftest import ROOT, SAMPLES, UNDATED_RC, pdf_with_the_catalog_last

PROBLEM = "application/problem+json"


def files_of(name: str) -> list[tuple[str, tuple[str, bytes]]]:
    return [("files", (p.name, p.read_bytes())) for p in sorted((SAMPLES / name).iterdir())]


def zip_of(*names: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name in names:
            for p in sorted((SAMPLES / name).iterdir()):
                zf.write(p, f"archive/{name}/{p.name}")
    return buf.getvalue()


@pytest.fixture(scope="module")
def settings(tmp_path_factory) -> ApiSettings:
    root = tmp_path_factory.mktemp("api")
    return ApiSettings(db=str(root / "achat-check.db"), data_dir=root / "data", max_upload_mb=20, max_files=12,
                       server_folders=str(SAMPLES.parent))


@pytest.fixture(scope="module")
def client(settings):
    app = api.create_app(settings)
    with TestClient(app) as c:
        yield c


def with_settings(client, **changes):
    """Override the settings dependency (keys, limits) for one test."""
    changed = client.app.state.settings.model_copy(update=changes)
    client.app.dependency_overrides[get_settings] = lambda: changed
    return changed


@pytest.fixture(autouse=True)
def _reset_overrides(client):
    yield
    client.app.dependency_overrides.clear()


def assert_problem(r, status: int, code: str) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    body = r.json()
    assert body["code"] == code and body["status"] == status and body["detail"] and "Traceback" not in r.text
    return body


def wait_job(client, job_id: str, timeout: float = 180) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/v1/batches/{job_id}").json()
        if job["status"] not in ("running", "queued"):
            return job
        time.sleep(0.3)
    raise AssertionError(f"job {job_id} still running")


# --------------------------------------------------------------------------- service


def test_health_and_readiness(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ready", "checks": True, "store": True, "rules": True}


def test_rule_packs_that_stop_loading_are_the_service_s_fault(settings, tmp_path, monkeypatch):
    """A pack of ACHAT_CHECK_RULES broken while the service runs (or a folder without one,
    before the start refused it): /readyz said ready, and the requests that load the rules
    answered a 422 naming the server's folder, an error no client can mend. /readyz now says
    the service is misconfigured, and the client gets a 500 without the server's paths."""
    from achat_check.errors import AchatCheckError

    packs = tmp_path / "regles-du-service"
    packs.mkdir()
    (packs / "maison.yaml").write_text(
        'id: maison\nversion: "1"\ntitle: Pack maison\nrules: []\n', encoding="utf-8")
    monkeypatch.setenv("ACHAT_CHECK_RULES", str(packs))
    app = api.create_app(settings, start_services=False)
    with TestClient(app) as c:
        assert c.get("/v1/rules").status_code == 200
        assert c.get("/readyz").json()["rules"] is True
        (packs / "maison.yaml").write_text("id: maison\nrules: [\n", encoding="utf-8")  # edited, broken
        ready = c.get("/readyz")
        assert ready.status_code == 503 and ready.json()["status"] == "misconfigured" and ready.json()["rules"] is False
        body = assert_problem(c.get("/v1/rules"), 500, "AC-E013")
        assert "administrateur" in body["detail"] and str(tmp_path) not in json.dumps(body)
        lot = {"archive": ("lots.zip", zip_of("tma-cnaf"), "application/zip")}
        body = assert_problem(c.post("/v1/batches", files=lot), 500, "AC-E013")
        assert str(tmp_path) not in json.dumps(body)
        page = c.post("/lots", files=lot)  # the web page's form says it as the API does
        assert page.status_code == 500 and "administrateur" in page.text and str(tmp_path) not in page.text
    (packs / "maison.yaml").unlink()
    with pytest.raises(AchatCheckError) as err:  # and a folder without a pack: refused before the start
        api.create_app(settings, start_services=False)
    assert err.value.code == "AC-E013" and "ACHAT_CHECK_RULES" in err.value.message


def test_batch_workers_beyond_the_machine_s_memory_are_refused_before_the_start(settings):
    """ACHAT_CHECK_BATCH_WORKERS=1000 started a thousand processes of about 200 MB at the first
    batch: the service refuses to start and says how many fit."""
    from achat_check.errors import AchatCheckError

    with pytest.raises(AchatCheckError) as err:
        api.create_app(settings.model_copy(update={"batch_workers": 50_000, "max_running_batches": 2}), start_services=False)
    assert err.value.code == "AC-E016" and "ACHAT_CHECK_BATCH_WORKERS × ACHAT_CHECK_MAX_RUNNING_BATCHES = 100000" in err.value.message


def test_openapi_is_published_under_v1(client):
    spec = client.get("/v1/openapi.json").json()
    assert {"/v1/check", "/v1/batches", "/v1/batches/{job_id}", "/v1/batches/{job_id}/results", "/v1/indicators",
            "/v1/rules", "/v1/rules/{rule_id}"} <= set(spec["paths"])


# --------------------------------------------------------------------------- check


def test_check_returns_the_market_report(client):
    r = client.post("/v1/check", files=files_of("gardiennage-urssaf"))
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    report = r.json()
    assert report["checks"]["payment.delay"] == "fail" and report["flags"]["in_scope"] is True
    assert sorted(d["name"] for d in report["documents"]) == ["CCP.pdf", "RC.pdf"]
    assert "data" not in json.dumps(report["documents"])  # no server folder leaks into the report


def test_check_a_zip_and_the_rendered_formats(client):
    data = next((SAMPLES / "restauration-ugecam").glob("*.zip")).read_bytes()
    r = client.post("/v1/check", files=[("files", ("DCE.zip", data))], params={"format": "html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "obligation(s) non respectée(s)" in r.text and "<mark id=" in r.text
    md = client.post("/v1/check", files=files_of("tma-cnaf"), params={"format": "md"})
    assert md.status_code == 200 and md.text.startswith("# Rapport achat-check")


def test_check_takes_the_estimated_amount(client):
    r = client.post("/v1/check", files=files_of("gardiennage-urssaf"), params={"estimated_amount_ht": "120000"})
    facts = r.json()["facts"]
    assert r.status_code == 200 and facts["estimated_amount_ht"] == 120000 and facts["amount_basis"].startswith("montant donné")
    assert_problem(client.post("/v1/check", files=files_of("tma-cnaf"), params={"estimated_amount_ht": "-1"}), 422, "AC-E016")
    page = client.post("/verifier", files=files_of("gardiennage-urssaf"), data={"estimated_amount_ht": "120 000 €"})
    assert page.status_code == 200 and "120\u00a0000\u00a0€ (montant donné à la vérification" in html.unescape(page.text)
    bad = client.post("/verifier", files=files_of("gardiennage-urssaf"), data={"estimated_amount_ht": "cher"})
    assert bad.status_code == 422 and "montant estimé HT « cher » : montant illisible" in html.unescape(bad.text)
    assert 'name="estimated_amount_ht"' in client.get("/").text


def test_check_takes_the_consultation_date(client):
    r = client.post("/v1/check", files=files_of("gardiennage-urssaf"), params={"consultation_date": "2027-01-15"})
    facts = r.json()["facts"]
    assert r.status_code == 200 and facts["consultation_date"] == "2027-01-15"
    assert facts["consultation_date_basis"].startswith("date donnée à la vérification")
    body = assert_problem(client.post("/v1/check", files=files_of("tma-cnaf"), params={"consultation_date": "15/01/27x"}), 422, "AC-E016")
    assert "« consultation_date »" in body["detail"]
    # in French, with the form it takes (it said pydantic's « invalid character in year »)
    body = assert_problem(client.post("/v1/check", files=files_of("tma-cnaf"), params={"consultation_date": "15/01/2027"}), 422, "AC-E016")
    assert body["detail"] == "paramètre invalide — paramètre « consultation_date » : date attendue au format AAAA-MM-JJ (par exemple 2027-01-15)"
    body = assert_problem(client.post("/v1/check", files=files_of("tma-cnaf"), params={"consultation_date": "1850-01-01"}), 422, "AC-E016")
    assert "« consultation_date » : doit valoir au moins 2000-01-01" in body["detail"]  # a year typed wrong
    page = client.post("/verifier", files=files_of("gardiennage-urssaf"), data={"consultation_date": "2027-01-15"})
    assert page.status_code == 200 and "15/01/2027 (date donnée à la vérification" in page.text
    bad = client.post("/verifier", files=files_of("gardiennage-urssaf"), data={"consultation_date": "demain"})
    assert bad.status_code == 422 and 'role="alert"' in bad.text and "date de la consultation « demain » : date illisible" in bad.text


def test_files_of_our_working_folders_are_named_as_the_client_sent_them(tmp_path, monkeypatch):
    """The default data folder is relative, where a register's DCE paths are resolved: both
    sides are compared resolved (a relative prefix let those server paths through)."""
    from achat_check.errors import AchatCheckError
    from api.problems import said_to_client
    from api.services import upload_paths

    monkeypatch.chdir(tmp_path)
    data = tmp_path / "achat-check-data"
    (data / "lots" / "28fb4036-lots" / "m1").mkdir(parents=True)
    shown = upload_paths(ApiSettings(data_dir="achat-check-data"))
    assert shown(str(data / "lots" / "28fb4036-lots" / "m1" / "RC.pdf")) == "m1/RC.pdf"  # resolved, as a register gives it
    assert shown("achat-check-data/lots/28fb4036-lots/m1/RC.pdf") == "m1/RC.pdf"  # as unpacked under a relative data folder
    assert shown("/srv/dce/m1/RC.pdf") == "/srv/dce/m1/RC.pdf"  # a server folder its client named
    error = AchatCheckError("AC-E004", "PDF illisible", str(data / "lots" / "28fb4036-lots" / "m1" / "RC.pdf"))
    assert said_to_client(error, Path("achat-check-data")) == "m1/RC.pdf : PDF illisible"  # one rule for errors and results
    staged = AchatCheckError("AC-E015", "classeur illisible", str(data / "lot-x1y2" / "paiements.xlsx"))
    assert said_to_client(staged, Path("achat-check-data")) == "paiements.xlsx : classeur illisible"


def test_fields_a_form_sends_that_its_address_does_not_read_are_named(client):
    """POST /v1/batches takes its register as « register », POST /v1/indicators as
    « markets »: a client that sent « register » to the second was told only that
    « markets » was missing; the fields sent and not read are named, with those read."""
    register = ("marches.csv", b"id_marche;date_notification\nM1;2026-01-02\n")
    body = assert_problem(client.post("/v1/indicators", files={"register": register}), 422, "AC-E016")
    assert body["detail"] == ("paramètre invalide — champ « markets » : obligatoire, absent de la requête ; champ(s) envoyé(s) "
                              "que /v1/indicators ne lit pas : « register » (ses champs : markets, year, payments, "
                              "organisations, rulebook, by, format, batch)")
    body = assert_problem(client.post("/v1/batches", files={"files": ("lots.zip", b"PK")}), 422, "AC-E016")
    assert body["detail"].endswith("; champ(s) envoyé(s) que /v1/batches ne lit pas : « files » (ses champs : archive, "
                                   "folder, register, rulebook).")
    body = assert_problem(client.post("/v1/indicators", files={"markets": register}, data={"by": "x"}), 422, "AC-E016")
    assert "ne lit pas" not in body["detail"]  # every field sent is read: nothing more to say


def test_check_error_paths(client):
    body = assert_problem(client.post("/v1/check"), 422, "AC-E016")  # no file
    assert body["detail"] == "paramètre invalide — champ « files » : obligatoire, absent de la requête"
    body = assert_problem(client.post("/v1/check", files=files_of("tma-cnaf"), params={"format": "pdf"}), 422, "AC-E016")
    assert body["detail"] == "paramètre invalide — paramètre « format » : valeurs permises : 'json', 'html' ou 'md'"
    assert body["errors"] == [{"loc": ["query", "format"], "type": "literal_error", "msg": "valeurs permises : 'json', 'html' ou 'md'"}]
    body = assert_problem(client.post("/v1/check", data={"files": "texte"}), 422, "AC-E016")
    assert "un fichier est attendu" in body["detail"]
    body = assert_problem(client.get("/v1/batches/x/results", params={"page": 0, "per_page": "abc"}), 422, "AC-E016")
    assert body["detail"] == "paramètre invalide — paramètre « page » : doit valoir au moins 1; paramètre « per_page » : nombre entier attendu"
    body = assert_problem(client.post("/v1/check", files={"files": ("R" * 5000 + ".pdf", b"x")}), 400, "AC-E016")
    assert body["detail"].startswith("formulaire multipart/form-data illisible")  # Starlette's parser said it in English
    body = assert_problem(client.post("/v1/check", files=[("files", ("RC.pdf", b"%PDF-1.7 pas un pdf"))]), 422, "AC-E012")
    assert "RC.pdf" in body["detail"] and "/data/" not in body["detail"]
    with_settings(client, max_upload_mb=1)
    big = [("files", ("CCTP.pdf", b"%PDF" + b"0" * (2 << 20)))]
    assert_problem(client.post("/v1/check", files=big), 413, "AC-E022")
    with_settings(client, max_files=2)
    assert_problem(client.post("/v1/check", files=files_of("nettoyage-caf")), 413, "AC-E022")


def test_unknown_routes_and_methods_are_problems(client):
    # not « fichier introuvable » (AC-E001, a file of the DCE): no resource at that address
    assert_problem(client.get("/v1/nulle-part"), 404, "AC-E027")
    assert_problem(client.put("/v1/check"), 405, "AC-E016")
    # a browser's mistyped address on the site is the site's page saying so, not JSON; the API's
    # addresses, and a program asking the site, still get the problem document
    browser = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    page = client.get("/verifer", headers=browser)
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "aucune page à l'adresse /verifer" in html.unescape(page.text) and 'name="files"' in page.text
    assert_problem(client.get("/v1/nulle-part", headers=browser), 404, "AC-E027")
    assert_problem(client.get("/verifer"), 404, "AC-E027")


def test_api_keys(client):
    with_settings(client, api_keys="secret-1, secret-2")
    body = assert_problem(client.get("/v1/rules"), 401, "AC-E021")
    assert "X-API-Key" in body["detail"]
    assert client.get("/v1/rules", headers={"X-API-Key": "wrong"}).status_code == 401
    assert client.get("/v1/rules", headers={"X-API-Key": "secret-2"}).status_code == 200
    assert client.get("/v1/rules", headers={"Authorization": "Bearer secret-1"}).status_code == 200
    assert client.get("/healthz").status_code == 200  # probes stay open
    # the web page from another machine asks for the key, then remembers it
    assert client.get("/").status_code == 401
    page = client.get("/", params={"key": "secret-1"})
    assert page.status_code == 200 and "achat_check_key" in page.headers["set-cookie"]


# --------------------------------------------------------------------------- batches


def test_batch_from_a_zip_results_exports_and_indicators(client):
    r = client.post("/v1/batches", files={"archive": ("lots.zip", zip_of("gardiennage-urssaf", "informatique-cpam"))})
    assert r.status_code == 202, r.text
    job = wait_job(client, r.json()["id"])
    assert job["status"] == "done" and job["done"] + job["cached"] == 2 and job["failed"] == 0
    # moments carry their zone, whatever the database (SQLite's came without one)
    created = datetime.fromisoformat(job["created_at"])
    assert created.utcoffset() == timedelta(0) and datetime.fromisoformat(job["finished_at"]).utcoffset() == timedelta(0)
    assert f"<td>{created.astimezone():%d/%m/%Y %H:%M}</td>" in client.get("/lots").text
    # the job is the file the client sent, not the server's working folder it was unpacked to
    assert job["source"] == "lots.zip" and '<p class="hint">lots.zip · référentiel' in client.get(f"/lots/{job['id']}").text
    listed = client.get("/lots").text  # several lots told apart by their archive, not by their ids alone
    assert f'<a href="/lots/{job["id"]}">{job["id"]}</a></td><td>lots.zip</td>' in listed
    page = client.get(f"/v1/batches/{job['id']}/results", params={"per_page": 1}).json()
    assert page["total"] == 2 and len(page["items"]) == 1 and page["items"][0]["market_id"] == "gardiennage-urssaf"
    assert page["items"][0]["buyer"] == "URSSAF DES PLATEAUX" and page["items"][0]["object"].startswith("la surveillance humaine")
    second = client.get(f"/v1/batches/{job['id']}/results", params={"per_page": 1, "page": 2}).json()
    assert second["total"] == 2 and [i["market_id"] for i in second["items"]] == ["informatique-cpam"]
    assert client.get(f"/v1/batches/{job['id']}/results", params={"status": "failed"}).json() | {"job": ""} == {
        "job": "", "page": 1, "per_page": 50, "total": 0, "items": []}
    nd = client.get(f"/v1/batches/{job['id']}/results", params={"format": "ndjson"})
    lines = [json.loads(line) for line in nd.text.splitlines()]
    # an uploaded archive's files are named inside it, never in the server's working folder
    report = lines[1]["report"]
    assert report["source"] == ["informatique-cpam"] and report["documents"][0]["path"].startswith("informatique-cpam/")
    working = str(client.app.state.settings.data_dir)
    assert working not in nd.text and working not in json.dumps(page) and lines[1]["paths"] == "informatique-cpam"
    assert nd.headers["content-type"].startswith("application/x-ndjson") and lines[1]["report"]["market_id"] == "informatique-cpam"
    csv = client.get(f"/v1/batches/{job['id']}/results", params={"format": "csv"})
    assert working not in csv.text and working not in client.get(f"/lots/{job['id']}/resultats.csv").text
    assert csv.text.splitlines()[0].startswith("market_id;status")
    # the markets failing one check: gardiennage pays at 45 days, informatique misses only clauses.quality
    failing = client.get(f"/v1/batches/{job['id']}/results", params={"failing": "payment.delay"}).json()
    assert failing["total"] == 1 and [i["market_id"] for i in failing["items"]] == ["gardiennage-urssaf"]
    assert "payment.delay" in failing["items"][0]["failed_checks"].split(", ")
    quality = client.get(f"/v1/batches/{job['id']}/results", params={"failing": "clauses.quality", "format": "csv"}).text
    assert [line.split(";")[0] for line in quality.splitlines()[1:]] == ["informatique-cpam"]
    unknown = client.get(f"/v1/batches/{job['id']}/results", params={"failing": "payment_delay"})
    assert unknown.status_code == 422 and unknown.json()["code"] == "AC-E016" and "payment.delay" in unknown.json()["detail"]
    counts = client.get(f"/v1/batches/{job['id']}").json()["failing_checks"]
    assert counts["payment.delay"] == 1 and counts["clauses.quality"] == 1 and "criteria.sum" not in counts
    assert next(j for j in client.get("/v1/batches").json() if j["id"] == job["id"])["failing_checks"] is None  # one job's view only
    page = client.get(f"/lots/{job['id']}", params={"manque": "payment.delay"}).text
    assert "marchés qui manquent « Délai de paiement »" in page and "<td>gardiennage-urssaf</td>" in page
    assert "<td>informatique-cpam</td>" not in page and '<option value="payment.delay" selected>Délai de paiement (1 marché)' in page
    assert '<td class="num">420\u00a0000\u00a0€</td>' in page  # an amount is not cut after its thousands (« 420 000 » over « € »)
    whole = client.get(f"/lots/{job['id']}", params={"manque": ""}).text  # the form's « every check »
    assert "<td>informatique-cpam</td>" in whole and "Qualité de rédaction des clauses sociales et environnementales" in whole
    typo = client.get(f"/lots/{job['id']}", params={"manque": "delai"})  # the page, not the API's JSON
    assert typo.status_code == 422 and typo.headers["content-type"].startswith("text/html")
    assert "vérification « delai » inconnue" in typo.text and "<td>informatique-cpam</td>" in typo.text
    gone = client.get("/lots/abc123def456")  # an old link: the batches' page says it, no command line
    assert gone.status_code == 404 and gone.headers["content-type"].startswith("text/html")
    assert "lot « abc123def456 » inconnu de ce service" in gone.text and "achat-check batch" not in gone.text
    # the downloads of a filtered page hold the markets shown
    assert 'href="/lots/' + job["id"] + '/resultats.csv?manque=payment.delay"' in page
    filtered = client.get(f"/lots/{job['id']}/resultats.csv", params={"manque": "payment.delay"}).text
    assert [line.split(";")[0] for line in filtered.splitlines()[1:]] == ["gardiennage-urssaf"]
    # the page's CSV opens in Excel with its accents (« Marché » read « MarchÃ© » without the mark); the API's has none
    assert filtered.startswith("\ufeffmarket_id;") and quality.startswith("market_id;")
    from openpyxl import load_workbook
    book = load_workbook(io.BytesIO(client.get(f"/v1/batches/{job['id']}/export.xlsx", params={"failing": "clauses.quality"}).content))
    assert [row[0] for row in book.active.iter_rows(min_row=2, values_only=True)] == ["informatique-cpam"]
    xlsx = client.get(f"/v1/batches/{job['id']}/export.xlsx")
    assert xlsx.content[:2] == b"PK"
    ind = client.get("/v1/indicators", params={"year": "2026"}).json()
    env = next(i for i in ind["indicators"] if i["id"] == "ENV-P1" and i["group"] is None)
    assert (env["numerator"], env["denominator"]) == (1, 2)  # informatique yes, gardiennage no
    assert client.get("/v1/indicators", params={"year": "2026", "organisation": "urssaf"}).json()["markets"][0]["id"] == "gardiennage-urssaf"
    # the name folded as the organisations are (spaces, case, accents): a name typed with a stray space
    assert [m["id"] for m in client.get("/v1/indicators", params={"year": "2026", "organisation": "Urssaf  des  plateaux"}).json()["markets"]] \
        == ["gardiennage-urssaf"]
    # a name that matches no buyer said nothing: indicators of no market, « — » everywhere
    none = client.get("/v1/indicators", params={"year": "2026", "organisation": "Ursaff"}).json()
    assert none["markets"] == [] and none["data_quality"][0]["kind"] == "acheteur introuvable"
    assert "« Ursaff » : vérifiez l'orthographe" in none["data_quality"][0]["message"]


def test_a_batch_tells_the_markets_read_in_part(client):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for p in sorted((SAMPLES / "gardiennage-urssaf").iterdir()):
            zf.write(p, f"archive/gardiennage-urssaf/{p.name}")
        zf.writestr("archive/gardiennage-urssaf/CCTP.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 8)  # damaged
        zf.write(SAMPLES / "gardiennage-urssaf" / "RC.pdf", "archive/rc-seul/RC.pdf")  # a DCE archived without its CCP
    r = client.post("/v1/batches", files={"archive": ("lots.zip", buf.getvalue())})
    assert r.status_code == 202, r.text
    job = wait_job(client, r.json()["id"])
    assert job["status"] == "done" and job["done"] == 2 and job["partly_read"] == 1
    items = {i["market_id"]: i for i in client.get(f"/v1/batches/{job['id']}/results").json()["items"]}
    item = items["gardiennage-urssaf"]
    assert item["unread"] == "CCTP.pdf"
    # its CCP is both CCAP and CCTP: the damaged extra file takes no piece away; the RC alone lacks both
    assert (job["incomplete"], item["missing_pieces"], items["rc-seul"]["missing_pieces"]) == (1, None, "CCAP, CCTP")
    page = client.get(f"/lots/{job['id']}").text
    assert "1 marché(s) lu(s) en partie" in page and "non lu en entier : CCTP.pdf" in page
    assert "1 marché(s) au DCE sans toutes ses pièces principales (RC, CCAP, CCTP)" in page
    # and which ones, on the market's own line (the page pointed at a column only the downloads have)
    line = next(tr for tr in page.split("<tr>") if tr.startswith("<td>rc-seul</td>")).split("</tr>")[0]
    assert line.endswith("<td>pièces absentes : CCAP, CCTP</td>")


def test_a_member_of_an_upload_that_cannot_be_unpacked_is_said_by_its_market(client):
    """A damaged member was only in the job's list of files left out: its market was reported
    as read whole (its absences taken as proof), and a market's own damaged ZIP vanished."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted((SAMPLES / "gardiennage-urssaf").iterdir()):
            zf.write(p, f"archive/gardiennage-urssaf/{p.name}")
        zf.writestr("archive/gardiennage-urssaf/Annexe.txt", "Annexe du CCTP. " * 200)
        zf.writestr("archive/perdu.zip", b"PK" + b"contenu du marche " * 200)
    data = bytearray(buf.getvalue())
    for name in ("archive/gardiennage-urssaf/Annexe.txt", "archive/perdu.zip"):
        info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(name)
        data[info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)] ^= 0xFF  # its deflated data is broken
    r = client.post("/v1/batches", files={"archive": ("lots.zip", bytes(data))})
    assert r.status_code == 202, r.text
    job = wait_job(client, r.json()["id"])
    assert (job["total"], job["done"], job["failed"], job["partly_read"]) == (2, 1, 1, 1)
    items = {i["market_id"]: i for i in client.get(f"/v1/batches/{job['id']}/results").json()["items"]}
    assert items["gardiennage-urssaf"]["unread"] == "Annexe.txt"
    assert items["perdu"]["status"] == "failed" and "perdu.zip" in items["perdu"]["error"] and "illisible" in items["perdu"]["error"]
    page = client.get(f"/lots/{job['id']}").text
    assert "non lu en entier : Annexe.txt" in page


def test_an_upload_cut_short_checks_the_markets_stored_before_the_cut(client):
    """A « lots.zip » whose end was lost (its sommaire is written last) was refused whole,
    « archive ZIP illisible (ce n'est pas une archive ZIP) », its whole markets with it."""
    import os

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for market in ("gardiennage-urssaf", "informatique-cpam"):
            for p in sorted((SAMPLES / market).iterdir()):
                zf.write(p, f"archive/{market}/{p.name}")
        zf.writestr("archive/nettoyage/RC.txt", "REGLEMENT DE LA CONSULTATION\nArticle 1 Objet\nNettoyage des locaux.")
        zf.writestr("archive/nettoyage/CCTP.txt", os.urandom(20_000).hex())  # does not compress: the cut falls inside
    data = buf.getvalue()
    r = client.post("/v1/batches", files={"archive": ("lots.zip", data[: data.index(b"archive/nettoyage/CCTP.txt") + 5000])})
    assert r.status_code == 202, r.text
    job = wait_job(client, r.json()["id"])
    # the two sample markets may come from the store's cache (other tests checked them)
    assert (job["total"], job["done"] + job["cached"], job["failed"], job["partly_read"]) == (3, 3, 0, 1)
    said = [(n["code"], n["path"], n["message"]) for n in job["notices"]]
    assert said[0][:2] == ("AC-W009", "lots.zip") and "« archive/nettoyage/CCTP.txt » est coupé, non lu" in said[0][2]
    items = {i["market_id"]: i for i in client.get(f"/v1/batches/{job['id']}/results").json()["items"]}
    assert items["nettoyage"]["unread"] == "CCTP.txt" and items["gardiennage-urssaf"]["unread"] in (None, "")


def test_an_upload_cut_in_a_pdf_checks_its_market_with_the_pages_before_the_cut(client):
    """The cut went through a market's CCTP.pdf: the market was checked without it (« coupé,
    non lu »); its pages before the cut are read, and the market is « lu en partie »."""
    pages = [f"Article {n} - Nettoyage des locaux du site « {''.join(chr(97 + (n * 7 + k * 3) % 26) for k in range(5))} »"
             for n in range(1, 21)]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("archive/nettoyage/RC.txt", "REGLEMENT DE LA CONSULTATION\nArticle 1 Objet\nNettoyage des locaux.")
        zf.writestr("archive/nettoyage/CCTP.pdf", pdf_with_the_catalog_last(pages))
    data = buf.getvalue()
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("archive/nettoyage/CCTP.pdf")
    cut = data[: info.header_offset + 30 + len(info.filename) + info.compress_size // 2]
    r = client.post("/v1/batches", files={"archive": ("lots.zip", cut)})
    assert r.status_code == 202, r.text
    job = wait_job(client, r.json()["id"])
    assert (job["total"], job["done"], job["failed"], job["partly_read"]) == (1, 1, 0, 1)
    (n,) = job["notices"]
    assert n["code"] == "AC-W009" and "« archive/nettoyage/CCTP.pdf » est coupé, lu jusqu'à la coupure" in n["message"]
    (item,) = client.get(f"/v1/batches/{job['id']}/results").json()["items"]
    assert item["market_id"] == "nettoyage" and item["unread"] == "CCTP.pdf" and item["documents"] == 2
    (line,) = client.get(f"/v1/batches/{job['id']}/results", params={"format": "ndjson"}).text.splitlines()
    (cctp,) = [d for d in json.loads(line)["report"]["documents"] if d["name"] == "CCTP.pdf"]
    assert 5 < cctp["pages"] < 20 and any("page(s) lue(s) avant la coupure" in w["message"] for w in cctp["warnings"])
    assert "non lu en entier : CCTP.pdf" in client.get(f"/lots/{job['id']}").text  # read up to the cut, not « non lu »


def test_an_upload_whose_sommaire_is_damaged_checks_every_market_whole(client):
    """A « lots.zip » with a flipped byte in its sommaire was refused whole; read from its
    files' own headers it loses nothing, and says so: no market is « lu en partie »."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("archive/nettoyage/RC.txt", "REGLEMENT DE LA CONSULTATION\nArticle 1 Objet\nNettoyage des locaux.")
        zf.writestr("archive/accueil/RC.txt", "REGLEMENT DE LA CONSULTATION\nArticle 1 Objet\nAccueil des assurés.")
    data = bytearray(buf.getvalue())
    data[data.index(b"PK\x01\x02") + 6] = 94  # « version needed to extract » 9.4 in the sommaire only
    r = client.post("/v1/batches", files={"archive": ("lots.zip", bytes(data))})
    assert r.status_code == 202, r.text
    job = wait_job(client, r.json()["id"])
    assert (job["total"], job["done"] + job["cached"], job["failed"], job["partly_read"]) == (2, 2, 0, 0)
    (n,) = job["notices"]
    assert (n["code"], n["path"]) == ("AC-W012", "lots.zip") and "ses 2 fichiers ont été lus" in n["message"]
    assert "rien n'est perdu" in n["message"]


def test_an_empty_batch_upload_is_said_empty(client):
    """An upload that sent nothing was « archive ZIP illisible (ce n'est pas une archive ZIP) »."""
    problem = assert_problem(client.post("/v1/batches", files={"archive": ("lots.zip", b"")}), 422, "AC-E003")
    assert problem["detail"] == "lots.zip : fichier vide (0 octet) : téléchargez-le à nouveau."


def test_batch_error_paths(client):
    unknown = assert_problem(client.get("/v1/batches/inconnu"), 404, "AC-E017")
    assert "GET /v1/batches" in unknown["detail"]  # an API client is told the API's way to list jobs
    assert_problem(client.delete("/v1/batches/inconnu"), 404, "AC-E017")
    assert_problem(client.post("/v1/batches"), 422, "AC-E016")
    assert_problem(client.post("/v1/batches", files={"archive": ("x.zip", b"pas un zip")}), 422, "AC-E004")
    rar = assert_problem(client.post("/v1/batches", files={"archive": ("lots.rar", b"Rar!\x1a\x07\x01\x00" + bytes(64))}), 415, "AC-E002")
    assert "archive RAR non ouverte" in rar["detail"] and "ZIP" in rar["detail"]  # was « archive ZIP illisible »
    assert rar["detail"].startswith("lots.rar : ")  # the file sent, not « lots.zip », the name it was saved under
    named = client.post("/v1/batches", files={"archive": ("lots", zip_of("tma-cnaf", "gardiennage-urssaf"))})
    assert named.status_code == 202 and named.json()["source"] == "lots"  # a ZIP by its content, whatever its name
    assert_problem(client.post("/v1/batches", data={"folder": "/etc"}), 403, "AC-E024")
    assert_problem(client.post("/v1/batches", data={"folder": "\x00"}), 422, "AC-E016")  # found by schemathesis
    empty = io.BytesIO()
    zipfile.ZipFile(empty, "w").writestr("seul.txt", "rien")
    body = assert_problem(client.post("/v1/batches", files={"archive": ("vide.zip", empty.getvalue())}), 422, "AC-E012")
    assert "DCE d'un seul marché" in body["detail"] and "POST /v1/check" in body["detail"]  # one market's files: said so
    assert_problem(client.get("/v1/batches/x/results", params={"per_page": 0}), 422, "AC-E016")


REGISTER_HEAD = "id_marche;nom_acheteur;date_notification;montant;dce\n"


def _dated_archive() -> bytes:
    """An archive wrapped in one top folder: a DCE whose RC writes no date, and a sample DCE."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("archive/sans-date/RC.md", UNDATED_RC)
        for p in sorted((SAMPLES / "gardiennage-urssaf").iterdir()):
            zf.write(p, f"archive/gardiennage-urssaf/{p.name}")
    return buf.getvalue()


def test_a_register_sent_with_a_batch_names_its_markets_and_dates_them(client):
    """`batch --register` had no API twin: an archive scanned over HTTP took its folder names
    for ids (not the register's, which the indicators use) and a DCE archived without its
    date left the climate checks « indéterminé » for markets notified years before the law."""
    register = (REGISTER_HEAD
                + "M-1;CAF;2025-03-01;144000;archive/sans-date\n"  # the archive's top folder written
                + "M-2;URSSAF;2026-03-15;90000;gardiennage-urssaf\n"  # or not
                + "M-3;CAF;2025-01-01;30000;../../etc\n"  # out of the archive
                + "M-4;CAF;2025-01-01;30000;archive/absent\n"
                + "M-5;CPAM;2025-01-01;30000;\n")
    r = client.post("/v1/batches", files={"archive": ("lots.zip", _dated_archive()),
                                          "register": ("registre.csv", register.encode())})
    assert r.status_code == 202, r.text
    job = wait_job(client, r.json()["id"])
    assert (job["status"], job["total"], job["failed"]) == ("done", 2, 0)
    said = {n["message"]: n["path"] for n in job["notices"]}
    assert set(said.values()) == {"registre.csv"}  # the file as sent, never the service's folders
    assert any("M-3" in m and "hors de l'archive" in m for m in said)
    assert any("M-4" in m and "« archive/absent » absent de l'archive" in m for m in said)
    assert any("M-5" in m and "sans DCE" in m for m in said)
    rows = {json.loads(line)["market_id"]: json.loads(line)
            for line in client.get(f"/v1/batches/{job['id']}/results", params={"format": "ndjson"}).text.splitlines()}
    assert set(rows) == {"M-1", "M-2"}
    early = rows["M-1"]["report"]
    assert early["facts"]["consultation_before"] == "2025-03-01" and early["facts"]["consultation_date"] is None
    assert early["checks"]["climate.env_award_criterion"] == "not_applicable"
    assert rows["M-2"]["report"]["facts"]["buyer"] == "URSSAF DES PLATEAUX"
    # the register's amount stands in for the one the undated RC does not write
    assert (early["facts"]["estimated_amount_ht"], early["facts"]["amount_basis"]) == (144000, "montant du marché selon le registre")
    assert early["flags"]["in_scope"] is True
    assert (early["facts"]["buyer"], early["facts"]["buyer_basis"]) == ("CAF", "acheteur nommé par le registre")
    assert rows["M-2"]["report"]["facts"]["buyer_basis"] is None  # its DCE names it
    # the stored batches' indicators count M-1 in its register's year: its DCE writes no date
    counted = client.get("/v1/indicators", params={"year": "2025"}).json()["markets"]
    assert [(m["id"], m["year"]) for m in counted if m["id"] == "M-1"] == [("M-1", 2025)]


def test_indicators_of_a_register_joined_to_a_stored_batch(client):
    """The API had no twin of `indicators REGISTRE --reports`: a register's declarations could not
    be checked against the documents a batch read (what a scan of past markets is for) without
    exporting the batch's reports and running the command line."""
    register = (REGISTER_HEAD.replace(";dce", ";consideration_environnementale;dce")
                + "M-1;CAF;2025-03-01;144000;oui;archive/sans-date\n"  # declared, but its RC has none
                + "M-2;URSSAF;2025-03-15;90000;non;gardiennage-urssaf\n"
                + "M-3;CPAM;2025-01-01;30000;non;\n").encode()
    made = client.post("/v1/batches", files={"archive": ("lots.zip", _dated_archive()), "register": ("registre.csv", register)})
    assert made.status_code == 202, made.text
    job = wait_job(client, made.json()["id"])
    files = {"markets": ("registre.csv", register)}
    alone = client.post("/v1/indicators", files=files, data={"year": "2025"}).json()
    assert alone["cross_check"] == []
    joined = client.post("/v1/indicators", files=files, data={"year": "2025", "batch": job["id"]})
    assert joined.status_code == 200, joined.text
    data = joined.json()
    assert [(c["market_id"], c["declared"], c["documents"]) for c in data["cross_check"]] == [("M-1", True, False)]
    without = [i["message"] for i in data["data_quality"] if i["kind"] == "sans DCE"]
    assert len(without) == 1 and "(M-3)" in without[0]  # M-1 and M-2 found their reports by the register's ids
    assert {m["id"]: m["from_documents"] for m in data["markets"]} == {"M-1": True, "M-2": True, "M-3": False}
    # an unknown batch, or one checked under another rulebook, is said before anything is computed
    assert "inconnu" in assert_problem(client.post("/v1/indicators", files=files, data={"year": "2025", "batch": "nope"}),
                                       404, "AC-E017")["detail"]
    other = client.post("/v1/indicators", files=files, data={"year": "2025", "batch": job["id"], "rulebook": "plan-cadre-2015"})
    assert "rso-2025" in assert_problem(other, 422, "AC-E016")["detail"]
    # the web page offers the stored batches beside the register
    form = client.get("/indicateurs").text
    assert f'<option value="{job["id"]}">' in form
    # the batch's page links the form with the batch chosen
    assert f'href="/indicateurs?lot={job["id"]}"' in client.get(f"/lots/{job['id']}").text
    assert f'<option value="{job["id"]}" selected>' in client.get("/indicateurs", params={"lot": job["id"]}).text
    shown = client.post("/indicateurs", files={"registre": ("registre.csv", register)}, data={"annee": "2025", "lot": job["id"]})
    assert shown.status_code == 200 and "M-1 · considération environnementale : déclaré oui, documents non" in shown.text
    assert f"registre.csv, rapports du lot {job['id']}" in shown.text


def test_a_register_with_a_server_folder_and_its_errors(client, tmp_path):
    folder = client.post("/v1/batches", data={"folder": str(SAMPLES)},
                         files={"register": ("marches.csv", (REGISTER_HEAD + "G-1;URSSAF;2026-03-15;90000;gardiennage-urssaf\n").encode())})
    assert folder.status_code == 202, folder.text
    assert [i["market_id"] for i in client.get(f"/v1/batches/{wait_job(client, folder.json()['id'])['id']}/results").json()["items"]] == ["G-1"]
    none = assert_problem(client.post("/v1/batches", files={"archive": ("lots.zip", _dated_archive()),
                                                            "register": ("registre.csv", (REGISTER_HEAD + "M-9;CAF;2025-01-01;1;ailleurs\n").encode())}),
                          422, "AC-E012")
    assert "registre.csv" in none["detail"] and "« ailleurs » absent" in none["detail"]
    lots = client.app.state.settings.data_dir / "lots"
    before = sorted(p.name for p in lots.iterdir())
    assert_problem(client.post("/v1/batches", files={"register": ("registre.csv", REGISTER_HEAD.encode())}), 422, "AC-E016")  # no archive
    wrong = assert_problem(client.post("/v1/batches", files={"archive": ("lots.zip", _dated_archive()),
                                                             "register": ("registre.pdf", b"%PDF-1.7")}), 415, "AC-E002")
    assert "registre.pdf" in wrong["detail"] and str(tmp_path.parent) not in wrong["detail"]
    empty = io.BytesIO()
    zipfile.ZipFile(empty, "w").writestr("seul.txt", "rien")
    assert_problem(client.post("/v1/batches", files={"archive": ("vide.zip", empty.getvalue())}), 422, "AC-E012")
    assert sorted(p.name for p in lots.iterdir()) == before  # archives no job was made of are not kept
    page = client.post("/lots", files={"archive": ("lots.zip", _dated_archive()),
                                       "register": ("registre.csv", (REGISTER_HEAD + "M-1;CAF;2025-03-01;1;sans-date\n").encode())},
                       follow_redirects=False)
    assert page.status_code == 303
    assert 'name="register"' in client.get("/lots").text


def test_what_a_batch_leaves_out_is_kept_with_the_job_and_shown(client, tmp_path):
    """A damaged member or a loose file of an uploaded archive was said only when no market
    was found: otherwise a document went unchecked and unsaid."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted((SAMPLES / "gardiennage-urssaf").iterdir()):
            zf.write(p, f"archive/gardiennage-urssaf/{p.name}")
        zf.writestr("archive/gardiennage-urssaf/Annexe.txt", "Annexe du CCTP. " * 200)
        zf.writestr("archive/lisez-moi.txt", "notes")
    data = bytearray(buf.getvalue())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("archive/gardiennage-urssaf/Annexe.txt")
    data[info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)] = 0xFF  # its deflated data is broken
    r = client.post("/v1/batches", files={"archive": ("lots.zip", bytes(data))})
    assert r.status_code == 202, r.text
    said = {(n["code"], n["path"]) for n in r.json()["notices"]}
    assert said == {("AC-E004", "lots.zip"), ("AC-W008", "lots.zip/lisez-moi.txt")}  # named in the archive, not on our disk
    assert any("Annexe.txt" in n["message"] for n in r.json()["notices"])
    job = wait_job(client, r.json()["id"])
    assert job["total"] == 1 and len(job["notices"]) == 2
    page = client.get(f"/lots/{job['id']}").text
    assert "Fichiers laissés de côté ou réparés (2)" in page and "lisez-moi.txt" in page
    # a server folder's market that links out of the opened folders is left out, and said
    opened, elsewhere = tmp_path / "ouvert", tmp_path / "ailleurs"
    shutil.copytree(SAMPLES / "informatique-cpam", opened / "m1")
    shutil.copytree(SAMPLES / "tma-cnaf", elsewhere / "secret")
    (opened / "m2").symlink_to(elsewhere / "secret", target_is_directory=True)
    client.app.state.batches.settings = client.app.state.settings.model_copy(update={"server_folders": str(opened)})
    r = client.post("/v1/batches", data={"folder": str(opened)})
    assert r.status_code == 202, r.text
    assert r.json()["total"] == 1 and [n["code"] for n in r.json()["notices"]] == ["AC-W008"]
    assert "hors de ACHAT_CHECK_SERVER_FOLDERS" in r.json()["notices"][0]["message"]
    wait_job(client, r.json()["id"])


def test_cancel_a_running_batch(client, tmp_path):
    folder = tmp_path / "archive"
    for k in range(6):
        (folder / f"m{k}").mkdir(parents=True)
        for p in (SAMPLES / "travaux-renovation").iterdir():
            (folder / f"m{k}" / p.name).write_bytes(p.read_bytes() + (b"" if p.suffix != ".pdf" else f"\n%{k}\n".encode()))
    with_settings(client, server_folders=str(tmp_path))
    client.app.state.batches.settings = client.app.state.settings.model_copy(update={"server_folders": str(tmp_path)})
    job = client.post("/v1/batches", data={"folder": str(folder)}).json()
    cancelled = client.delete(f"/v1/batches/{job['id']}").json()
    final = wait_job(client, job["id"])
    assert final["status"] == "cancelled" and final["pending"] > 0
    assert final["done"] + final["cached"] + final["failed"] + final["pending"] == 6
    assert cancelled["id"] == job["id"]


def test_batches_past_the_running_bound_wait_their_turn_and_can_be_cancelled(client):
    batches = client.app.state.batches
    assert batches.settings.max_running_batches == 1
    assert batches.gate.acquire(timeout=60)  # a job holds the one running place
    try:
        waiting = client.post("/v1/batches", files={"archive": ("a.zip", zip_of("tma-cnaf"))}).json()
        dropped = client.post("/v1/batches", files={"archive": ("b.zip", zip_of("tma-cnaf"))}).json()
        time.sleep(0.5)
        assert client.get(f"/v1/batches/{waiting['id']}").json()["status"] == "queued"
        assert "En attente" in client.get(f"/lots/{waiting['id']}").text
        assert client.delete(f"/v1/batches/{dropped['id']}").json()["status"] == "cancelled"
    finally:
        batches.gate.release()
    final = wait_job(client, waiting["id"])
    assert final["status"] == "done" and final["done"] + final["cached"] == 1
    after = client.get(f"/v1/batches/{dropped['id']}").json()
    assert (after["status"], after["pending"], after["done"]) == ("cancelled", 1, 0)  # never started


def test_jobs_resume_after_a_restart(settings, tmp_path):
    from achat_check.batch import Store, new_job

    db = tmp_path / "restart.db"
    store = Store(str(db))
    job = new_job(store, "archive", [("tma", [str(SAMPLES / "tma-cnaf")])], "rso-2025", "api:local:1", 1)
    assert store.job(job.id).status == "running"  # as a server killed mid-job leaves it
    app = api.create_app(settings.model_copy(update={"db": str(db)}))
    waiting = new_job(store, "archive", [("tma", [str(SAMPLES / "tma-cnaf")])], "rso-2025", "api:local:1", 1)
    store.set_job_status(waiting.id, "queued")  # a server stopped while this one waited its turn
    with TestClient(app) as c:
        assert app.state.resumed == [job.id, waiting.id]  # oldest first
        final = wait_job(c, job.id)
        second = wait_job(c, waiting.id)
    assert final["status"] == "done" and final["done"] == 1
    assert second["status"] == "done" and second["done"] + second["cached"] == 1


# --------------------------------------------------------------------------- indicators and rules


def test_indicators_from_an_uploaded_register(client):
    reg = ROOT / "corpus" / "registres"
    files = {"markets": ("marches.csv", (reg / "marches.csv").read_bytes()), "payments": ("paiements.csv", (reg / "paiements.csv").read_bytes())}
    r = client.post("/v1/indicators", files=files, data={"year": "2025-2026"})
    assert r.status_code == 200, r.text
    data = r.json()
    delay = next(i for i in data["indicators"] if i["id"] == "ECO-P1-DELAY" and i["year"] == 2026)
    assert (delay["numerator"], delay["denominator"]) == (148, 6)
    x = client.post("/v1/indicators", files=files, data={"year": "2026", "format": "xlsx"})
    assert x.status_code == 200 and x.content[:2] == b"PK"
    assert_problem(client.post("/v1/indicators", files=files, data={"year": "l'an dernier"}), 422, "AC-E016")
    bad = {"markets": ("r.csv", b"numero;objet\n1;x\n")}
    assert "id_marche" in assert_problem(client.post("/v1/indicators", files=bad, data={"year": "2026"}), 422, "AC-E015")["detail"]
    # of the registers sent, the one at fault is named as sent (it was the message alone), no server path
    damaged = {**files, "payments": ("paiements.xlsx", b"PK\x03\x04 pas un classeur")}
    detail = assert_problem(client.post("/v1/indicators", files=damaged, data={"year": "2026"}), 422, "AC-E015")["detail"]
    assert detail.startswith("paiements.xlsx : classeur XLSX illisible") and "/" not in detail.split(" : ")[0]
    page = client.post("/indicateurs", files={"registre": ("marches.csv", files["markets"][1]), "payments": damaged["payments"]},
                       data={"annee": "2026"})
    assert page.status_code == 422 and "[AC-E015] paiements.xlsx : classeur XLSX illisible" in page.text
    # the code said once (the stored batches' form said « [AC-E016] [AC-E016] année … »)
    stored = client.get("/indicateurs", params={"annee": "l'an dernier"})
    assert stored.status_code == 422 and "[AC-E016] année « l&#39;an dernier » illisible" in stored.text
    assert "[AC-E016] [AC-E016]" not in stored.text


def test_indicators_of_a_register_without_a_year(client):
    """As on the command line: a register of one year is tallied for it; one of several
    years is a problem naming them and how many markets each has."""
    reg = (ROOT / "corpus" / "registres" / "marches.csv").read_text(encoding="utf-8").splitlines()
    several = client.post("/v1/indicators", files={"markets": ("marches.csv", "\n".join(reg).encode())})
    detail = assert_problem(several, 422, "AC-E016")["detail"]
    assert "marches.csv couvre 2025 à 2026 (marchés par année de notification : 2025 :" in detail
    assert detail.endswith(" : year=2026 (ou year=2025-2026).")  # the API's field, not the command line's --year
    one_year = [reg[0]] + [line for line in reg[1:] if ";2026-" in line]
    r = client.post("/v1/indicators", files={"markets": ("marches-2026.csv", "\n".join(one_year).encode())})
    assert r.status_code == 200, r.text
    assert r.json()["years"] == [2026]
    # what a value lacks is asked for in the API's words, its fields, not the command line's options
    notes = {i["id"]: i["note"] for i in r.json()["indicators"]}
    assert notes["ECO-P1-DELAY"] == "registre des paiements non fourni (champ payments)"
    assert notes["SOC-P1-TRAINING"] == "registre des organismes non fourni (champ organisations)"


def test_indicators_from_an_uploaded_decp_xml(client):
    """DECP published as XML are a register like their JSON; the remarks on the markets of
    other years are counted in one line that names the API's field."""
    xml = ("<marches><marche><id>A1</id><dateNotification>2026-02-01</dateNotification><montant>40000</montant>"
           "<considerationsEnvironnementales><considerationEnvironnementale>Clause environnementale</considerationEnvironnementale>"
           "</considerationsEnvironnementales></marche><marche><id>A2</id><dateNotification>2025-02-01</dateNotification>"
           "<montant>40000</montant><considerationsSociales/></marche></marches>")
    r = client.post("/v1/indicators", files={"markets": ("decp.xml", xml.encode())}, data={"year": "2026"})
    assert r.status_code == 200, r.text
    env = next(i for i in r.json()["indicators"] if i["id"] == "ENV-P1")
    assert (env["numerator"], env["denominator"]) == (1, 1)
    other = [d for d in r.json()["data_quality"] if d["kind"] == "autres années"]
    assert len(other) == 1 and other[0]["message"].endswith("(year=2025).")


def test_rules(client):
    rules = client.get("/v1/rules").json()
    ids = {r["id"] for r in rules}
    assert {"ENV-001", "CTX-001", "climate.env_award_criterion"} <= ids
    one = client.get("/v1/rules/ENV-001").json()
    assert one["legal_basis"] and one["examples"]["positive"]
    assert_problem(client.get("/v1/rules/ENV-999"), 404, "AC-E027")
    # named as `rules list` shows it (any case, or by its name), and a typo answered with the nearest ids
    assert client.get("/v1/rules/env-001").json()["id"] == "ENV-001"
    assert client.get("/v1/rules/env.food_quality").json()["id"] == "ENV-004"
    typo = assert_problem(client.get("/v1/rules/ENV-04"), 404, "AC-E027")
    assert "voulez-vous dire ENV-004," in typo["detail"] and typo["detail"].endswith("GET /v1/rules donne la liste.")


# --------------------------------------------------------------------------- web page


def test_web_pages(client):
    home = client.get("/")
    assert home.status_code == 200 and '<html lang="fr">' in home.text and '<label for="files">' in home.text
    assert '<input id="consultation_date" name="consultation_date" type="date">' in home.text
    report = client.post("/verifier", files=files_of("gardiennage-urssaf"), data={"rulebook": "rso-2025", "buyer_type": "organisme"})
    assert report.status_code == 200 and "Points à corriger" in report.text and "Nouvelle vérification" in report.text
    bad = client.post("/verifier", files=[("files", ("RC.pdf", b"%PDF-1.7 pas un pdf"))])
    assert bad.status_code == 422 and 'role="alert"' in bad.text and "AC-E0" in bad.text
    lots = client.get("/lots")
    assert lots.status_code == 200 and "Lancer le lot" in lots.text
    ind = client.post("/indicateurs", files={"registre": ("marches.csv", (ROOT / "corpus/registres/marches.csv").read_bytes())},
                      data={"annee": "2025-2026"})
    assert ind.status_code == 200 and "ENV-P1" in ind.text and "data:image/png;base64," in ind.text
    # why a value is « — »: the page said nothing of the registers not given, then told its
    # users to give « --payments », an option of the command line
    assert ("<li><strong>ECO-P1-DELAY</strong> (2025, 2026) : registre des paiements non fourni (champ « Registre des "
            "paiements »).</li>") in ind.text
    assert "--" not in ind.text.split("<main", 1)[-1]
    # the year left empty: the register's only one, or the years it covers, said in the form's words
    lines = (ROOT / "corpus/registres/marches.csv").read_text(encoding="utf-8").splitlines()
    only = client.post("/indicateurs", files={"registre": ("m.csv", "\n".join(lines[:1] + [x for x in lines if ";2026-" in x]).encode())},
                       data={"annee": ""})
    assert only.status_code == 200 and '<th scope="col">2026</th>' in only.text and '<th scope="col">2025</th>' not in only.text
    several = client.post("/indicateurs", files={"registre": ("marches.csv", "\n".join(lines).encode())})
    assert several.status_code == 422 and "couvre 2025 à 2026" in several.text
    assert "« Année(s) » 2026 (ou « Année(s) » 2025-2026)" in html.unescape(several.text)
    legacy = client.post("/indicateurs", files={"registre": ("marches.csv", (ROOT / "corpus/registres/marches.csv").read_bytes())},
                         data={"annee": "2026", "rulebook": "plan-cadre-2015"})
    assert "(3\u00a0349\u00a0000/5\u00a0869\u00a0000)" in legacy.text and "e+06" not in legacy.text  # the SME share of amounts, written out


def test_the_indicators_page_takes_the_organisations_register(client):
    """ENV-P2-PLAN and SOC-P1-TRAINING were « — » on the page, whose remark sent the manager to
    the command line or the API: the form takes the organisations' register too, and gives what
    the API gives from the same files."""
    from achat_check.indicators.export import display_value
    from achat_check.indicators.model import Indicator
    from achat_check.report.labels import unbroken_amounts

    registers = {"registre": ("marches.csv", (ROOT / "corpus/registres/marches.csv").read_bytes()),
                 "organisations": ("organismes.csv", (ROOT / "corpus/registres/organismes.csv").read_bytes())}
    page = client.post("/indicateurs", files=registers, data={"annee": "2026"})
    assert page.status_code == 200 and '<input id="organisations" name="organisations" type="file"' in page.text
    api = client.post("/v1/indicators", files={"markets": registers["registre"], "organisations": registers["organisations"]},
                      data={"year": "2026"}).json()
    for iid in ("ENV-P2-PLAN", "SOC-P1-TRAINING"):
        got = Indicator(**next(i for i in api["indicators"] if i["id"] == iid and i["group"] is None))
        assert got.value is not None
        row = page.text[page.text.index(f'<th scope="row">{iid} '):]
        assert f'<td class="num">{unbroken_amounts(display_value(got))}' in html.unescape(row[: row.index("</tr>")])
    alone = client.post("/indicateurs", files={"registre": registers["registre"]}, data={"annee": "2026"})
    assert "registre des organismes non fourni (champ « Registre des organismes »)" in html.unescape(alone.text)
    assert "ligne de commande" not in alone.text


def test_the_indicators_page_details_them_by_organisation_or_branch(client):
    """The command line (--by) and the API (by) gave a table per organisation or branch; the
    page gave the whole alone.  Its « Détail » gives each group's table, the API's figures."""
    from achat_check.indicators.export import display_value
    from achat_check.indicators.model import Indicator
    from achat_check.report.indicators import MAX_GROUPS
    from achat_check.report.labels import unbroken_amounts

    registers = {"registre": ("marches.csv", (ROOT / "corpus/registres/marches.csv").read_bytes()),
                 "organisations": ("organismes.csv", (ROOT / "corpus/registres/organismes.csv").read_bytes())}
    shown = {}
    for by, heading in (("branche", "Par branche"), ("organisation", "Par organisme")):
        page = client.post("/indicateurs", files=registers, data={"annee": "2026", "by": by})
        api = client.post("/v1/indicators", files={"markets": registers["registre"], "organisations": registers["organisations"]},
                          data={"year": "2026", "by": by}).json()
        groups = sorted({i["group"] for i in api["indicators"] if i["group"] is not None})
        assert page.status_code == 200 and len(groups) > 1 and f"<h2>{heading} ({len(groups)})</h2>" in page.text
        text = shown[by] = html.unescape(page.text)
        for g in groups:
            table = text[text.index(f"<summary>{g}</summary>"):]
            table = table[: table.index("</details>")]
            got = Indicator(**next(i for i in api["indicators"] if i["id"] == "ENV-P1" and i["group"] == g))
            row = table[table.index('<th scope="row">ENV-P1 '):]
            assert f'<td class="num">{unbroken_amounts(display_value(got))}' in row[: row.index("</tr>")], (by, g)
    # a group's « — » says why, under it (the whole's remarks are listed below its own table)
    agricole = shown["branche"][shown["branche"].index("<summary>Agricole</summary>"):]
    plan = agricole[agricole.index('<th scope="row">ENV-P2-PLAN '):]
    assert "valeur inconnue (plan de réduction) pour tous les organismes" in plan[: plan.index("</tr>")]
    # a national register: the first groups on the page, the others in the files
    head, line = (ROOT / "corpus/registres/marches.csv").read_text(encoding="utf-8").splitlines()[:2]
    many = "\n".join([head] + [line.replace("2026-CAF-001", f"M{n}").replace("CAF du Val-de-Lys", f"CAF {n:02d}")
                                for n in range(MAX_GROUPS + 2)])
    national = html.unescape(client.post("/indicateurs", files={"registre": ("m.csv", many.encode())},
                                         data={"annee": "2026", "by": "organisation"}).text)
    assert national.count("<summary>") == MAX_GROUPS and f"<h2>Par organisme ({MAX_GROUPS + 2})</h2>" in national
    assert "… et 2 autre(s) : « Télécharger XLSX » ou « CSV » les donnent tous (colonne « groupe »)." in national
    whole = client.post("/indicateurs", files=registers, data={"annee": "2026", "by": ""})
    assert whole.status_code == 200 and "<details>" not in whole.text
    bad = client.post("/indicateurs", files=registers, data={"annee": "2026", "by": "région"})
    assert bad.status_code == 422 and "« Détail » : « région » inconnu" in html.unescape(bad.text)


def test_the_indicators_download_as_csv_from_the_api_and_the_page(client):
    """The command line wrote the indicators as CSV (-o indicateurs.csv); the API and the page
    gave JSON or XLSX only.  The same rows everywhere; the page's file opens in Excel (BOM)."""
    import csv
    import io

    from achat_check.indicators.export import CSV_FIELDS

    register = ("marches.csv", (ROOT / "corpus/registres/marches.csv").read_bytes())
    data = client.post("/v1/indicators", files={"markets": register}, data={"year": "2026"}).json()
    api = client.post("/v1/indicators", files={"markets": register}, data={"year": "2026", "format": "csv"})
    assert api.status_code == 200 and api.headers["content-type"].startswith("text/csv")
    assert 'filename="indicateurs.csv"' in api.headers["content-disposition"] and not api.text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(api.text), delimiter=";"))
    assert rows[0] == CSV_FIELDS and len(rows) == 1 + len(data["indicators"])
    assert [r[0] for r in rows[1:]] == [i["id"] for i in data["indicators"]]
    page = client.post("/indicateurs", files={"registre": register}, data={"annee": "2026", "csv": "1"})
    assert page.status_code == 200 and page.text.startswith("\ufeff")
    shown = list(csv.reader(io.StringIO(page.text[1:]), delimiter=";"))  # the same figures; notes in the page's words
    assert [r[:-1] for r in shown] == [r[:-1] for r in rows] and "champ « Registre des organismes »" in page.text
    assert '<button type="submit" name="csv" value="1">Télécharger CSV</button>' in client.get("/indicateurs").text
    xlsx = client.post("/indicateurs", files={"registre": register}, data={"annee": "2026", "xlsx": "1"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    stored = client.get("/v1/indicators", params={"year": "2026", "format": "csv"})
    assert stored.status_code == 200 and stored.text.splitlines()[0] == ";".join(CSV_FIELDS)
    # the stored batches' form gives its files too
    lots = client.get("/indicateurs", params={"annee": "2026", "format": "csv"})
    assert lots.status_code == 200 and lots.text.startswith("\ufeff") and 'filename="indicateurs.csv"' in lots.headers["content-disposition"]
    assert [r[:-1] for r in csv.reader(io.StringIO(lots.text[1:]), delimiter=";")] == [
        r[:-1] for r in csv.reader(io.StringIO(stored.text), delimiter=";") if r[6] in ("group", "")]  # the API adds a table per buyer
    assert client.get("/indicateurs", params={"annee": "2026", "format": "xlsx"}).content[:2] == b"PK"


def test_the_api_workers_run_the_library_code_not_an_installed_copy():
    """A worker process imports what it runs by name: from `api/` it took the copy the wheel
    installed (`achat_check_api`), older than the checkout the server was started from."""
    from api import services

    for fn in (services.check_in_worker, services.warm_worker):
        assert fn.__module__.startswith("achat_check.")
