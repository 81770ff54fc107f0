"""Read what a truncated PDF still holds, and tell a page whose content is damaged.

A PDF ends with its trailer: the number of its catalog (the root of its page tree) and the
table of where each object starts.  A download cut short loses them, and pdfium refuses the
whole file (« Failed to load document »), although the objects written before the cut are
whole: measured on the real DCEs cut at 30, 60 and 90 % of their length, most still gave
the text of the pages whose content came before the cut.  pdfium rebuilds the table of
objects itself by walking the file when that table is wrong; what it lacks is the root.
So a trailer is appended that names it: the catalog written before the cut (the last one:
an updated file appends a new one), else, when the catalog came after the cut (LibreOffice,
Word and Acrobat write it at the end), a page tree of our own over the pages found before
the cut, in the file's order.

A page whose content stream is damaged at its start (bytes changed in its compressed data)
is drawn by pdfium as an empty page, without an error: its text was lost without a word.
Empty pages are rare in a DCE (none of the 704 pages of the real DCEs is, but the scan), so a
page with nothing on it, in a PDF whose other pages have text, has its file's compressed
streams checked (`damaged_streams`): one that does not inflate makes it a damaged page.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

#: « 12 0 obj »: where each object starts (not « 112 0 obj » read from its middle)
OBJECT = re.compile(rb"(?<![0-9])(\d{1,7})[ \t\r\n]+(\d{1,5})[ \t\r\n]+obj\b")  # 8,388,607 objects at most
CATALOG = re.compile(rb"/Type\s*/Catalog\b")
PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
#: a whole PDF, and each update appended to it, ends with this mark
END_MARK = b"%%EOF"
#: pages of the page tree made for a file whose own came after the cut (more are not read anyway)
MAX_PAGES = 100_000
#: what an object cut in its stream or dictionary needs to be closed before the trailer
CLOSE = b"\nendstream\nendobj\n"


@dataclass
class Mended:
    """Bytes pdfium opens, and whether the page tree is the file's own (its page count is
    then the whole document's) or ours (the pages found before the cut)."""

    data: bytes
    own_tree: bool


def looks_cut(data: bytes) -> bool:
    """True when the file does not end as a PDF ends (a download cut short): no end mark,
    or an update begun after the last one (an object, a table of objects) and not ended.
    Bytes that are neither after the mark (blanks, a web page glued on) do not count."""
    if not data.startswith(b"%PDF"):
        return False
    end = data.rfind(END_MARK)
    return end < 0 or OBJECT.search(data, end) is not None or b"xref" in data[end:]


def _objects(data: bytes) -> Iterator[tuple[int, int, bytes]]:
    """Each object written before the cut: its number, generation and dictionary (the
    bytes up to its stream or its end).  One at a time: a hostile file of « 1 0 obj »
    repeated holds millions."""
    previous = None
    for m in itertools.chain(OBJECT.finditer(data), [None]):
        if previous is not None:
            end = m.start() if m is not None else len(data)
            stream = data.find(b"stream", previous.end(), end)  # the dictionary alone: a stream may weigh megabytes
            yield int(previous[1]), int(previous[2]), data[previous.end():stream if stream >= 0 else end]
        previous = m


def candidates(data: bytes) -> Iterator[Mended]:
    """The mended files to try, best first: the file's own catalog, then a page tree of
    ours (each made when asked: a copy of the file)."""
    catalog = None
    pages: dict[tuple[int, int], None] = {}
    top = 0
    for num, gen, head in _objects(data):
        top = max(top, num + 1)
        if CATALOG.search(head):
            catalog = num, gen  # the last: an updated file appends a new one
        elif len(pages) < MAX_PAGES and PAGE.search(head):
            pages[num, gen] = None
    if catalog:
        yield Mended(data + CLOSE + b"trailer\n<< /Root %d %d R /Size %d >>\n%%%%EOF\n" % (*catalog, top), True)
    if pages:
        kids = b" ".join(b"%d %d R" % page for page in pages)
        tail = (b"%d 0 obj\n<< /Type /Pages /Kids [%s] /Count %d >>\nendobj\n" % (top, kids, len(pages))
                + b"%d 0 obj\n<< /Type /Catalog /Pages %d 0 R >>\nendobj\n" % (top + 1, top)
                + b"trailer\n<< /Root %d 0 R /Size %d >>\n%%%%EOF\n" % (top + 1, top + 2))
        yield Mended(data + CLOSE + tail, False)


#: the end of a stream's dictionary and the start of its data
STREAM = re.compile(rb">>\s*stream\r?\n")
FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/\w+)")
FLATE = [b"FlateDecode"]
ASCII85_FLATE = [b"ASCII85Decode", b"FlateDecode"]  # ReportLab's
#: bytes inflated at most per stream: a damaged stream fails within its first bytes
CHECKED = 1 << 20
#: how far before its data a stream's dictionary is looked for (from its « obj »)
DICTIONARY = 4000


def damaged_streams(data: bytes) -> bool:
    """Whether a compressed stream of the file does not inflate (its bytes damaged).  An
    encrypted file's streams are ciphered: none is said damaged."""
    if b"/Encrypt" in data:
        return False
    for m in STREAM.finditer(data):
        opened = data.rfind(b"obj", max(0, m.start() - DICTIONARY), m.start())
        found = FILTER.search(data, opened if opened >= 0 else max(0, m.start() - DICTIONARY), m.start())
        filters = re.findall(rb"/(\w+)", found[1]) if found else []
        if filters not in (FLATE, ASCII85_FLATE):
            continue
        end = data.find(b"endstream", m.end())
        body = data[m.end():end if end >= 0 else len(data)]
        try:
            if filters == ASCII85_FLATE:
                body = base64.a85decode(body.strip().removesuffix(b"~>"))
            zlib.decompressobj().decompress(body, CHECKED)
        except (zlib.error, ValueError, binascii.Error):
            return True
    return False
