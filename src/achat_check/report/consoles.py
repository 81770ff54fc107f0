"""The rich consoles of the command line: they print text as it is.

Document text, file names, market ids and register cells reach the terminal.  With rich's
markup on, "[brouillon] RC.pdf" printed as " RC.pdf", a criterion "[a] Prix" lost its
letter, and a quote holding "[/]" stopped the command with a MarkupError; with emoji codes
on, ":fire:" in a quote became a picture.  So markup and emoji codes are off, and styles
are given with `style=` or a `Text`, never written in the string.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console


def console(**kwargs: Any) -> Console:
    """A Console that never reads markup or emoji codes in what it prints."""
    return Console(markup=False, emoji=False, **kwargs)
