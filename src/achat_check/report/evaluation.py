"""The evaluation on a terminal: one line per field, then every miss with its evidence."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from achat_check.evaluation import EvalResult


def _score(value: float) -> str:
    """« 0,967 »: a score written the French way."""
    return f"{value:.3f}".replace(".", ",")


def print_evaluation(result: EvalResult, console: Console) -> None:
    """Scores, then misses, then false-friend detections."""
    table = Table(title=f"Évaluation sur {result.markets} marché(s) — {result.gold}")
    # the scores whole, the field's name folded: on 80 columns the scores read « 1… »
    table.add_column("champ", overflow="fold")
    for col in ("n", "VP", "FP", "FN", "précision", "rappel", "F1", "exact"):
        table.add_column(col, justify="right", no_wrap=True)
    for f in result.fields:
        binary = f.tp + f.fp + f.fn + f.tn > 0
        table.add_row(
            f.field, str(f.n),
            str(f.tp) if binary else "", str(f.fp) if binary else "", str(f.fn) if binary else "",
            _score(f.precision) if binary else "", _score(f.recall) if binary else "", _score(f.f1) if binary else "",
            f"{f.exact}/{f.n} ({f.accuracy * 100:.0f} %)",
        )
    console.print(table)
    if result.misses:
        console.print(f"Écarts ({len(result.misses)})", style="bold")
        for m in result.misses:
            console.print(f"• {m.market} · {m.field} : attendu {m.expected}, obtenu {m.got}", highlight=False)
            for ev in m.evidence:
                console.print(f"    {ev}", style="dim", highlight=False)
    console.print(f"Détections causées par un faux ami : {len(result.false_friend_hits)}", highlight=False)
    for m in result.false_friend_hits:
        console.print(f"• {m.market} · {m.got} ({m.expected})", highlight=False)
        for ev in m.evidence:
            console.print(f"    {ev}", style="dim", highlight=False)
