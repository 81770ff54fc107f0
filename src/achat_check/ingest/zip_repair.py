"""Read what a truncated ZIP still holds.

A ZIP names its files in a sommaire (the central directory) written at its very end: a
download cut short loses it, and zipfile then refuses the whole archive (« File is not a zip
file ») although the files written before the cut are whole. Each file also starts with its
own local header (name, method, sizes, checksum), so walking those headers from the start
finds every file stored entirely before the cut; a new sommaire for them makes an archive
zipfile opens, with its usual checks (names, limits, checksums) on each file.  The same walk
reads an archive whose sommaire is whole but damaged (a flipped byte): it then reaches the old
sommaire, and no file is lost.  The file the cut went through is kept up to the cut when the
caller can read it so (`keep`): a PDF, which the PDF reader reads up to its cut (`pdf_repair`:
a real DCE zipped without compression and cut in its RC lost the whole RC), a DOCX or ODT
(`package_repair`), or the body of an office document cut in its own package.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

LOCAL = b"PK\x03\x04"
LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
DESCRIPTOR = b"PK\x07\x08"
CENTRAL_SIGNATURE = b"PK\x01\x02"
CENTRAL = struct.Struct("<4sHHHHHHIIIHHHHHII")
END_SIGNATURE = b"PK\x05\x06"  # an empty archive starts with it
END = struct.Struct("<4sHHHHIIH")
STORED = 0
DEFLATED = 8
ENCRYPTED = 0x01
HAS_DESCRIPTOR = 0x08
UTF8 = 0x800
#: bytes fed to and taken from the inflater at a time
STEP = 1 << 20
#: what the beginning of a file cut may inflate to, per byte kept (a PDF or a DOCX in a ZIP: one to three times)
PARTIAL_RATIO = 50
#: sizes of 0xFFFFFFFF are in a ZIP64 extra field: such archives are not rebuilt
ZIP64 = 0xFFFFFFFF


class OverBudget(Exception):
    """A file inflates beyond what the whole archive may hold (a bomb, or an archive past
    the size limit)."""


@dataclass
class Entry:
    """A file found whole before the cut: where its local header starts and what it says."""

    offset: int
    header: tuple[Any, ...]  # LOCAL_HEADER's fields
    name: bytes
    crc: int
    compressed: int
    size: int
    end: int  # where the next file's header starts: past its data and its data descriptor


@dataclass
class Cut:
    """The file the cut went through: its name, and its header and data's start when its
    header is whole (where what it holds before the cut begins)."""

    name: bytes
    utf8: bool
    header: tuple[Any, ...] | None = None
    start: int = 0


@dataclass
class Rebuilt:
    """The archive's bytes up to the last whole file, followed by a new sommaire."""

    data: bytes
    count: int  # whole files found
    cut: Cut | None  # the file the cut went through (its raw name and UTF-8 flag)
    complete: bool  # the walk reached the old sommaire: every file was found, none is lost
    renamed: int  # names flagged UTF-8 that are not, read in the DOS code page
    partial: bool = False  # the file cut is in the archive up to the cut (as `keep` chose)


def keep_readable(name: bytes, head: bytes) -> bytes | None:
    """The beginning of a file cut kept when its reader tells it is cut and reads it up to
    the cut: a PDF (`pdf_repair`), a ZIP package or archive (a DOCX, an ODT, a DCE.zip in
    the DCE.zip); the other readers would read a text's beginning as the whole."""
    return head if head.startswith((b"%PDF", LOCAL)) else None


def rebuild(data: bytes, max_files: int, max_inflated: int,
            keep: Callable[[bytes, bytes], bytes | None] = keep_readable) -> Rebuilt | None:
    """The files stored whole in an archive whose sommaire is lost, as a ZIP zipfile opens;
    None when the bytes do not start as a ZIP, hold no whole file, or inflate past
    `max_inflated`.  At most `max_files` + 1 headers are walked (one more than an archive may
    hold, for its own check to refuse it) and `max_inflated` bytes inflated: finding where a
    file written with a data descriptor ends means inflating it.  The file the cut went
    through is added up to the cut when `keep` (given its name and beginning) returns bytes."""
    if not data.startswith(LOCAL):
        return None
    entries: list[Entry] = []
    offset = 0
    cut_at: Cut | None = None
    while data.startswith(LOCAL, offset) and len(entries) <= max_files:
        try:
            entry, cut_at = _entry(data, offset, max_inflated)
        except OverBudget:  # more than an archive may hold: refused, as a whole one would be
            return None
        if entry is None:
            break
        max_inflated -= entry.size
        entries.append(entry)
        offset = entry.end
    if not entries:
        return None
    kept = bytearray(data[:offset])
    renamed = _plain_names(kept, entries)
    complete = data.startswith(CENTRAL_SIGNATURE, offset)
    whole = len(entries)
    head = _beginning(data, cut_at, max_inflated) if cut_at else None
    partial = keep(cut_at.name, head) if cut_at and head is not None else None
    if cut_at and partial is not None:
        entries.append(_stored(kept, cut_at, partial))
    return Rebuilt(bytes(kept) + _sommaire(entries, len(kept)), whole, cut_at, complete, renamed, partial is not None)


def _beginning(data: bytes, cut: Cut, max_inflated: int) -> bytes | None:
    """What the file cut holds before the cut, inflated (None when its header is cut, or its
    data is damaged rather than cut)."""
    if cut.header is None:
        return None
    method = cut.header[3]
    if method == STORED:
        partial = data[cut.start:]
    elif method == DEFLATED:
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        most = min(max_inflated, PARTIAL_RATIO * (len(data) - cut.start))  # a bomb's beginning is no PDF
        try:
            partial = inflater.decompress(data[cut.start:], most)
        except zlib.error:  # damaged rather than cut: nothing to read
            return None
    else:
        return None
    return partial


def _stored(kept: bytearray, cut: Cut, partial: bytes) -> Entry:
    """The file cut, stored whole as far as it goes, appended to `kept`."""
    assert cut.header is not None
    version, flags, _, time, date = cut.header[1:6]
    flags &= UTF8  # nor encrypted nor with a descriptor: stored, its sizes said
    crc = zlib.crc32(partial)
    header = (LOCAL, version, flags, STORED, time, date, crc, len(partial), len(partial), len(cut.name), 0)
    offset = len(kept)
    kept += LOCAL_HEADER.pack(*header) + cut.name + partial
    return Entry(offset, header, cut.name, crc, len(partial), len(partial), len(kept))


def _plain_names(kept: bytearray, entries: list[Entry]) -> int:
    """The archive's files with the UTF-8 flag taken off the names that are not UTF-8 (a
    damaged byte in both of a name's headers): zipfile refuses the whole archive for one such
    name, and without the flag it reads it in the DOS code page.  The flag is in the file's
    own header, which zipfile compares with the sommaire's, so both lose it.  Returns how
    many names lost it."""
    renamed = 0
    for e in entries:
        flags = e.header[2]
        if flags & UTF8 and not _is_utf8(e.name):
            e.header = (*e.header[:2], flags & ~UTF8, *e.header[3:])
            struct.pack_into("<H", kept, e.offset + 6, flags & ~UTF8)
            renamed += 1
    return renamed


def _is_utf8(name: bytes) -> bool:
    try:
        name.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _entry(data: bytes, offset: int, max_inflated: int) -> tuple[Entry | None, Cut | None]:
    """The file whose local header starts at `offset` if it is whole, else the file cut
    (None when even its name is cut; its header when its data is known to be cut)."""
    if offset + LOCAL_HEADER.size > len(data):
        return None, None
    header = LOCAL_HEADER.unpack_from(data, offset)
    flags, method, crc, compressed, size, name_len, extra_len = header[2], header[3], *header[6:]
    start = offset + LOCAL_HEADER.size + name_len + extra_len
    if start > len(data):
        return None, None
    name = data[offset + LOCAL_HEADER.size : offset + LOCAL_HEADER.size + name_len]
    said = Cut(name, bool(flags & UTF8))
    if ZIP64 in (compressed, size) or flags & ENCRYPTED:
        return None, said
    cut = Cut(name, bool(flags & UTF8), header, start)
    end = start + compressed
    if flags & HAS_DESCRIPTOR:
        if method != DEFLATED:  # a stored file's end is only in the descriptor after it
            return None, said
        found = _inflated_extent(data, start, max_inflated)  # raises OverBudget
        if found is None:
            return None, cut
        compressed, size = found
        descriptor = _descriptor(data, start + compressed)
        if descriptor is None:
            return None, said
        crc, end = descriptor
    elif size > max_inflated:
        raise OverBudget
    elif end > len(data):
        return None, cut
    return Entry(offset, header, name, crc, compressed, size, end), None


def _inflated_extent(data: bytes, start: int, max_inflated: int) -> tuple[int, int] | None:
    """(compressed, inflated) lengths of the deflate stream at `start`, None if it is cut.
    Inflated a megabyte at a time and thrown away: a bomb costs time up to the budget,
    never its memory."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    size, pos, pending = 0, start, b""
    try:
        while not inflater.eof:
            if not pending:
                if pos >= len(data):
                    return None  # the stream goes on past the cut
                pending = data[pos : pos + STEP]
                pos += len(pending)
            size += len(inflater.decompress(pending, STEP))
            if size > max_inflated:
                raise OverBudget
            pending = inflater.unconsumed_tail
    except zlib.error:
        return None
    return pos - len(inflater.unused_data) - start, size


def _descriptor(data: bytes, at: int) -> tuple[int, int] | None:
    """The checksum in the data descriptor at `at` (its signature is optional) and where
    the descriptor ends, or None when it is cut."""
    if data.startswith(DESCRIPTOR, at):
        at += 4
    if at + 12 > len(data):
        return None
    return int(struct.unpack_from("<I", data, at)[0]), at + 12


def _sommaire(entries: list[Entry], at: int) -> bytes:
    """A central directory for the entries and its end record, written at `at`."""
    parts = []
    for e in entries:
        version, flags, method, time, date = e.header[1:6]
        parts.append(
            CENTRAL.pack(CENTRAL_SIGNATURE, 20, version, flags, method, time, date, e.crc,
                         e.compressed, e.size, len(e.name), 0, 0, 0, 0, 0, e.offset) + e.name
        )
    directory = b"".join(parts)
    count = min(len(entries), 0xFFFF)
    return directory + END.pack(END_SIGNATURE, 0, 0, count, count, len(directory), at, 0)

