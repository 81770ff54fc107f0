"""Criterion kind classifier on real BOAMP criterion names (read from ../shared, never committed).

    python bench/criteria_kind.py

Target (issue 4): kind accuracy >= 95 % on the 533 hand-labelled names (QUALITE counted as
technical; AUTRE as any kind other than price, technical and delay).  The 15,950 unlabelled
names give the distribution of predicted kinds and the speed.
"""

from __future__ import annotations

import collections
import csv
import json
import sys

from common import REAL_DCE, timed  # noqa: I001

from achat_check.extract.criteria_kind import classify_criterion

DATA = REAL_DCE.parent / "data" / "boamp-criteria-dataset"
MAP = {"PRIX": {"price"}, "TECHNIQUE": {"technical"}, "QUALITE": {"technical"}, "DELAI": {"delay"},
       "AUTRE": {"other", "environmental", "social", "sustainable", "cost"}}


def main() -> None:
    if not DATA.is_dir():
        print("../shared/real/data/boamp-criteria-dataset absent", file=sys.stderr)
        return
    ok = n = 0
    errors = []
    with (DATA / "critere_attribution_train.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            labels = [k for k in MAP if row[k] == "1"]
            if not labels:
                continue
            n += 1
            kind, _ = classify_criterion(row["CRITERE"])
            if kind in set().union(*(MAP[k] for k in labels)):
                ok += 1
            else:
                errors.append((row["CRITERE"][:70], labels, kind))
    names = []
    with (DATA / "critere_attribution_data.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            names += [row.get("CRITERES_ATTRIBUTION_1") or "", row.get("CRITERES_ATTRIBUTION_2") or ""]
    names = [x for x in names if x.strip()]
    kinds, seconds = timed(lambda: [classify_criterion(x)[0] for x in names])
    print(json.dumps({
        "labelled": n, "correct": ok, "accuracy": round(ok / n, 4), "target_95": ok / n >= 0.95,
        "errors": errors,
        "unlabelled_names": len(names), "names_per_second": round(len(names) / seconds),
        "unlabelled_distribution": collections.Counter(kinds).most_common(),
    }, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
