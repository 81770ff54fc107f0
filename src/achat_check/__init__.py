"""achat-check: compliance checker for responsible public purchasing in France."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

__version__ = "0.1.0"


#: under the package but not its code: compiled caches, and the rules and samples an installed
#: package carries (the rules have their own version)
NOT_CODE = frozenset({"__pycache__", "_data"})


def code_digest(root: Path) -> str:
    """A digest of the code under `root` (its files but `NOT_CODE`), 8 hex digits."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not NOT_CODE.intersection(p.relative_to(root).parts)):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:8]


@functools.cache
def code_version() -> str:
    """The version a report carries and a batch's cache is keyed by: the release and a
    digest of the code that made it.  The release number alone never changed while the
    readers did: a batch re-run after an update took from its cache the report of a DCE the
    new code reads otherwise (a PDF cut short, refused before, now read up to its cut)."""
    return f"{__version__}+{code_digest(Path(__file__).resolve().parent)}"
