"""Read a DOCX or ODT cut short: its body up to the cut, without the parts after it.

A DOCX or an ODT is a ZIP package (see `zip_repair` for what a cut leaves of the ZIP).  Three
things kept a cut one unreadable although its text was there:
- the parts written after the cut are still named by the package's relationships (Word
  writes the styles, numbering, fonts and properties after the body): python-docx asks for
  each and stops at the first missing (« There is no item named 'docProps/app.xml' »);
- a cut in the body itself (the largest part: 2 % to 69 % of a real cadre de réponses) leaves
  XML without its end, which no parser takes as it is;
- an ODT's manifest, which odfpy reads first, is its last part.
So the body's beginning is kept (`keep_body`), closed by libxml2's recovering parser, the
relationships to parts that are not there are dropped, and a lost manifest is written anew
for the parts that are.  Runs in the reader's guarded child, as the readers do: it parses
bytes from the file.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Callable
from typing import Any

#: the part that holds a document's text, per format
BODY = {"docx": "word/document.xml", "odt": "content.xml"}
EXTERNAL = "External"
#: an ODT's list of its parts, which odfpy reads first: LibreOffice writes it last, so a cut ODT lacks it
MANIFEST = "META-INF/manifest.xml"
MANIFEST_NS = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
ODT_TYPE = "application/vnd.oasis.opendocument.text"


def keep_body(fmt: str) -> Callable[[bytes, bytes], bytes | None]:
    """For `zip_repair.rebuild`: the beginning of the body kept when the cut went through it."""
    body = BODY[fmt].encode()
    return lambda name, head: head if name == body else None


def mended(data: bytes, fmt: str) -> bytes:
    """The package with its body closed if it was cut (kept by `keep_body`: the rebuilt
    sommaire says so), and no relationship to a part it lacks."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = set(source.namelist())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = source.read(info)
            if info.filename == BODY[fmt]:
                part = _closed(part)
            elif info.filename.endswith(".rels"):
                part = _present_only(part, info.filename, names)
            elif info.filename == MANIFEST:
                part = _manifest(names, part)
            target.writestr(info, part)
        if fmt == "odt" and MANIFEST not in names:
            target.writestr(MANIFEST, _manifest(names, None))
    return out.getvalue()


def _parser(recover: bool) -> Any:
    """No entities, no network, no DTD: the package's own checks refused a DTD before."""
    from lxml import etree

    return etree.XMLParser(recover=recover, resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _closed(part: bytes) -> bytes:
    """The body as it is when whole, else its elements closed at the cut."""
    from lxml import etree  # here: a cut package is rare, lxml costs every reader 5 MB

    try:
        etree.fromstring(part, _parser(recover=False))
        return part
    except etree.XMLSyntaxError:
        root = etree.fromstring(part, _parser(recover=True))
    if root is None:  # not even its first element: nothing to read, the reader says so
        return part
    closed: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return closed


def _present_only(rels: bytes, name: str, names: set[str]) -> bytes:
    """A relationships part without the relationships to parts the package lacks."""
    from lxml import etree

    try:
        root = etree.fromstring(rels, _parser(recover=False))
    except etree.XMLSyntaxError:
        return rels
    base = posixpath.dirname(posixpath.dirname(name))  # word/_rels/document.xml.rels: relative to word/
    for rel in list(root):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == EXTERNAL or not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
        if path not in names:
            root.remove(rel)
    kept: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return kept


def _manifest(names: set[str], said: bytes | None) -> bytes:
    """An ODT's manifest naming only the parts it holds: its own without the entries of lost
    parts, or a new one (`said` None)."""
    from lxml import etree

    root = None
    if said is not None:
        try:
            root = etree.fromstring(said, _parser(recover=False))
        except etree.XMLSyntaxError:
            root = None
    entry = f"{{{MANIFEST_NS}}}file-entry"
    path, media = f"{{{MANIFEST_NS}}}full-path", f"{{{MANIFEST_NS}}}media-type"
    if root is None:
        root = etree.Element(f"{{{MANIFEST_NS}}}manifest", nsmap={"manifest": MANIFEST_NS})
        etree.SubElement(root, entry, {path: "/", media: ODT_TYPE})
        for name in sorted(names - {"mimetype", MANIFEST}):
            etree.SubElement(root, entry, {path: name, media: "text/xml" if name.endswith(".xml") else ""})
    for e in list(root):
        where = e.get(path, "")
        if where != "/" and not where.endswith("/") and where not in names:
            root.remove(e)
    written: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return written
