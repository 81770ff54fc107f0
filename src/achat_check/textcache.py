"""Values derived from the latest texts, kept while those texts are in use.

Several steps read the same document text many times through derived forms (its
lowercase copy, its Hyperscan reports).  Texts are immutable and long, so a value is
keyed by the text object itself (its id, checked by identity) rather than by hashing
megabytes; the latest texts are kept, within a count and a bound on characters held.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

V = TypeVar("V")


class RecentTexts(Generic[V]):
    """A value per text for the latest texts (oldest dropped first)."""

    def __init__(self, size: int = 64, chars: int = 40_000_000) -> None:
        self.size = size
        self.chars = chars  # the cache holds its texts: a market's documents fit, a flood does not
        self._items: dict[int, tuple[str, V]] = {}
        self._lock = threading.Lock()  # Dask workers may check several markets in threads

    def get(self, text: str, compute: Callable[[str], V]) -> V:
        """The value kept for this very text, else `compute(text)`, kept."""
        got = self._items.get(id(text))
        if got is not None and got[0] is text:
            return got[1]
        value = compute(text)
        with self._lock:
            held = sum(len(t) for t, _ in self._items.values())
            while self._items and (len(self._items) >= self.size or held + len(text) > self.chars):
                old, _ = self._items.pop(next(iter(self._items)))
                held -= len(old)
            self._items[id(text)] = (text, value)
        return value

    def texts(self) -> list[str]:
        """The texts kept, oldest first."""
        return [t for t, _ in self._items.values()]
