"""Where the packaged data lives: rule packs, trained models, sample DCEs.

Installed, they are inside the package (`achat_check/_data/...`, see pyproject's
force-include); in a source checkout they are the top-level folders of the repository.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
REPO = PACKAGE.parents[1]


def data_dir(name: str) -> Path:
    """`rules`, `models` or `samples`, installed or from the checkout."""
    installed = PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    checkout = REPO / ("corpus/samples" if name == "samples" else name)
    return checkout
