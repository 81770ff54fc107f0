"""What a format reader returns before structuring: pages of lines, tables, hints."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from achat_check.model import Notice, Table


@dataclass
class RawPage:
    """One page (or sheet, or estimated page) of lines as the reader saw them.

    `headings` maps a line index to (level, number) when the format says the line is a
    heading (Word "Titre 2" style, ODT outline level); other headings are found by
    the structure step from their numbering.
    """

    lines: list[str]
    ocr: bool = False
    headings: dict[int, tuple[int, str | None]] = field(default_factory=dict)

    def __reduce__(self) -> tuple[Callable[..., RawPage], tuple[object, ...]]:
        """Pickled as one string (the reader process sends every page to its worker: one
        string a page costs a fraction of one per line)."""
        text = "\n".join(self.lines)
        if text.count("\n") != len(self.lines) - 1:  # a line holding a line break: keep the list
            return (RawPage, (self.lines, self.ocr, self.headings))
        return (_page_from_text, (text, self.ocr, self.headings))


def _page_from_text(text: str, ocr: bool, headings: dict[int, tuple[int, str | None]]) -> RawPage:
    return RawPage(text.split("\n"), ocr, headings)


@dataclass
class RawDocument:
    """A file read by a format reader, not yet cleaned or structured."""

    format: str
    pages: list[RawPage] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)
    paginated: bool = False
    pages_estimated: bool = False
    source_pages: int = 0
    title_hint: str = ""
    #: files attached to the document (a PDF portfolio's pieces): name and bytes, read next
    #: as members of the DCE
    attachments: list[tuple[str, bytes]] = field(default_factory=list)


#: lines per estimated page when a format has no page breaks to count
LINES_PER_PAGE = 45


def paginate(pages: list[RawPage]) -> list[RawPage]:
    """Cut an unpaginated text into estimated pages so evidence can cite a page."""
    out: list[RawPage] = []
    for page in pages:
        for start in range(0, max(len(page.lines), 1), LINES_PER_PAGE):
            chunk = RawPage(lines=page.lines[start : start + LINES_PER_PAGE], ocr=page.ocr)
            chunk.headings = {i - start: v for i, v in page.headings.items() if start <= i < start + LINES_PER_PAGE}
            out.append(chunk)
    return out


def split_lines(text: str) -> list[str]:
    """Lines of an extracted text, whatever its line endings."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
