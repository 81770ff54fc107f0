"""Yearly indicators at the scale of a branch: 10 000 markets and 200 000 payments.

    python bench/indicators.py [--markets 10000] [--payments 200000]

Target (issue 6): under 10 s and under 1 GB for the whole `achat-check indicators` run
(reading both CSV registers, computing every indicator for three years, writing JSON, CSV,
XLSX and the PNG charts), measured in a fresh process, `--by branche` (5 groups) and
`--by organisation` (300 organisations, the order of the Sécurité sociale's bodies).  The
registers are generated here with a fixed seed, with the data-quality cases a real
register has (TTC amounts, missing amounts, duplicates, unknown categories, negative
payment delays).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, peak_rss_mb_children  # noqa: I001

ORGS = [f"Organisme {i:03d}" for i in range(300)]
BRANCHES = ["Maladie", "Famille", "Retraite", "Recouvrement", "Agricole"]
CATEGORIES = ["TPE", "PME", "PME", "ETI", "GE", ""]


def yn(rng: random.Random, p: float) -> str:
    return "oui" if rng.random() < p else "non"


def generate(folder: Path, n_markets: int, n_payments: int, seed: int = 7) -> tuple[Path, Path]:
    rng = random.Random(seed)
    markets = folder / "marches.csv"
    with markets.open("w", encoding="utf-8") as f:
        f.write("id_marche;nom_acheteur;branche;objet;date_notification;montant;montant_type;categorie_titulaire;marche_reserve;type_reserve;"
                "facilitateur;heures_insertion;consideration_environnementale;critere_environnemental;consideration_sociale;clause_sociale\n")
        for i in range(n_markets):
            year = rng.choice((2024, 2025, 2026))
            day = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            amount = "" if rng.random() < 0.01 else f"{rng.choice((8000, 18000, 25000, 40000, 90000, 250000, 1200000)) * rng.uniform(0.8, 1.2):.2f}"
            ttc = "TTC" if rng.random() < 0.05 else "HT"
            reserved = yn(rng, 0.03)
            row = [f"M{i:06d}", rng.choice(ORGS), rng.choice(BRANCHES), "Objet du marché", day, amount, ttc, rng.choice(CATEGORIES), reserved,
                   "ESAT/EA" if reserved == "oui" else "", yn(rng, 0.15), str(rng.randint(100, 3000)) if rng.random() < 0.1 else "",
                   yn(rng, 0.6), yn(rng, 0.4), yn(rng, 0.3), yn(rng, 0.2)]
            f.write(";".join(row) + "\n")
            if rng.random() < 0.002:  # a duplicated line
                f.write(";".join(row) + "\n")
    payments = folder / "paiements.csv"
    with payments.open("w", encoding="utf-8") as f:
        f.write("date_reception;date_paiement;montant;fournisseur;organisme\n")
        for _ in range(n_payments):
            y, m, d = rng.choice((2024, 2025, 2026)), rng.randint(1, 12), rng.randint(1, 28)
            delay = rng.randint(-2, 60)
            paid_day = min(28, d + delay % 28)
            paid_month = min(12, m + delay // 28)
            f.write(f"{y}-{m:02d}-{d:02d};{y}-{paid_month:02d}-{paid_day:02d};{rng.randint(100, 90000)};F{rng.randint(1, 5000)};{rng.choice(ORGS)}\n")
    return markets, payments


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--markets", type=int, default=10_000)
    ap.add_argument("--payments", type=int, default=200_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        markets, payments = generate(folder, args.markets, args.payments)
        result: dict = {"markets": args.markets, "payments": args.payments}
        for by in ("branche", "organisation"):
            result[f"by_{by}"] = _run(folder, markets, payments, by)
        runs = [result["by_branche"], result["by_organisation"]]
        result["peak_rss_mb"] = round(peak_rss_mb_children(), 1)  # the larger of the two runs
        result["targets"] = {"under_10_s": all(r["seconds"] < 10 for r in runs), "under_1_gb": result["peak_rss_mb"] < 1024}
        print(json.dumps(result, indent=2, ensure_ascii=False))


def _run(folder: Path, markets: Path, payments: Path, by: str) -> dict:
    """One whole `indicators` run in a fresh process: its time, what it wrote."""
    out = folder / f"sortie-{by}"
    cmd = [sys.executable, "-m", "achat_check.cli", "indicators", str(markets), "--year", "2024-2026", "--payments", str(payments),
           "--by", by, "--format", "json", "--out", str(out)]
    env = {"PYTHONPATH": f"{ROOT / 'src'}:{ROOT}", "PATH": "/usr/bin:/bin"}
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - t
    if proc.returncode != 0:
        print(proc.stderr, file=sys.stderr)
        sys.exit(1)
    report = json.loads(proc.stdout)
    return {
        "indicators": len(report["indicators"]),
        "data_quality_lines": len(report["data_quality"]),
        "seconds": round(seconds, 2),
        "outputs": sorted(p.name for p in out.rglob("*") if p.is_file()),
    }


if __name__ == "__main__":
    main()
