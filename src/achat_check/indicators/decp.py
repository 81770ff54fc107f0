"""Markets from DECP JSON or XML as published: the 2019 format and the 2024 format (schema 2.0.x).

Seen in the real files: `marches` as a list (2019, and some 2024 files) or as
`{"marche": [...], "contrat-concession": [...]}`; `titulaires` as `[{id, ...}]` or
`[{"titulaire": {...}}]`; considerations as a list or `{"considerationSociale": [...]}`
(an empty list means not declared); `montant` as a number or a string ("30000.00"),
always HT in the DECP; dates with a time-zone suffix ("2018-12-31+01:00").
Concession contracts are not markets: they are counted out, with a data-quality line.
The XML form (schema_decp_v2.0.2.xsd, the official example Marche.xml) has the same fields
as elements, its lists as repeated children (`<titulaires><titulaire>…`): it is read into
the JSON's shape, one `<marche>` at a time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from achat_check.errors import AchatCheckError, library_reason
from achat_check.indicators.model import DataIssue, MarketRecord
from achat_check.indicators.registers import (
    SHOWN,
    apply_decp_values,
    load_json,
    read_date_and_amount,
    read_months,
    refuse_too_big,
)
from achat_check.report.labels import clip


def _records(data: object, path: Path, issues: list[DataIssue]) -> list[dict[str, Any]]:
    marches = data.get("marches") if isinstance(data, dict) else None
    if isinstance(marches, list):
        records = marches
    elif isinstance(marches, dict):
        records = _list(marches.get("marche"))
        concessions = _list(marches.get("contrat-concession"))
        if concessions:
            issues.append(DataIssue(kind="hors périmètre", source=path.name,
                                    message=f"{len(concessions)} contrat(s) de concession ignoré(s) : les indicateurs portent sur les marchés."))
    else:
        raise AchatCheckError("AC-E015", "fichier DECP sans clé « marches » : ce n'est pas un fichier DECP (format 2019 ou 2024).", str(path))
    return [r for r in records if isinstance(r, dict)]


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else [value] if isinstance(value, dict) else []


def _values(block: object, inner: str) -> list[str]:
    if isinstance(block, dict):
        block = block.get(inner) or []
    if isinstance(block, str):  # one value, or an XML container left empty (« <considerationsSociales/> »)
        return [block] if block.strip() else []
    if not isinstance(block, list):  # a number or a boolean where values are listed: nothing declared
        return []
    return [str(v) for v in block if isinstance(v, (str, int, float))]


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _awardee(rec: dict[str, Any]) -> dict[str, Any]:
    tits = rec.get("titulaires")
    if isinstance(tits, dict):  # {"titulaire": [...]} or {"titulaire": {...}}
        tits = tits.get("titulaire")
    if isinstance(tits, dict):
        tits = [tits]
    first = tits[0] if isinstance(tits, list) and tits else None
    return _dict(first.get("titulaire", first)) if isinstance(first, dict) else {}


def load_decp(path: Path, issues: list[DataIssue]) -> list[MarketRecord]:
    """Every market of a DECP file (JSON or XML), with its declared considerations when the format has them."""
    data = load_xml(path) if path.suffix.lower() == ".xml" else load_json(path)
    out = []
    for n, rec in enumerate(_records(data, path, issues), start=1):
        source = f"{path.name}, marché {n}"
        if str(rec.get("_type", "")).lower().startswith("contrat"):
            issues.append(DataIssue(kind="hors périmètre", source=source, market_id=str(rec.get("id", "")), message="contrat de concession ignoré."))
            continue
        try:
            out.append(_market(rec, source, issues))
        except (TypeError, ValueError, AttributeError, KeyError, IndexError) as exc:  # one odd record, not the whole file
            issues.append(DataIssue(kind="marché mal formé", source=source, market_id=str(rec.get("id", "")),
                                    message=f"marché DECP mal formé ({type(exc).__name__}) : ignoré, corrigez-le dans la source."))
    return out


def _market(rec: dict[str, Any], source: str, issues: list[DataIssue]) -> MarketRecord:
    """One DECP record; fields of an unexpected type count as absent."""
    buyer = _dict(rec.get("acheteur"))
    awardee = _awardee(rec)
    m = MarketRecord(id=str(rec.get("id", "")).strip(), source=source, decp=True)
    m.buyer_id, m.buyer_name = str(buyer.get("id", "")), str(buyer.get("nom", "")).strip()
    m.organisation = m.buyer_name or m.buyer_id
    m.object, m.procedure = str(rec.get("objet", "")).strip(), str(rec.get("procedure", ""))
    read_date_and_amount(m, rec.get("dateNotification"), rec.get("montant"), issues)
    # « La durée initiale du marché comprend la durée des tranches et reconductions potentielles »
    # (schéma DECP 2.0.3): the maximum duration; « "36" » is a string in some files, « 0 » none
    m.duration_months = read_months(months := rec.get("dureeMois"))
    if m.duration_months is None and months is not None and str(months).strip():
        issues.append(DataIssue(kind="valeur illisible", source=source, market_id=m.id,
                                message=f"dureeMois « {clip(str(months), SHOWN)} » illisible (nombre de mois, au moins 1) : durée traitée comme inconnue."))
    m.awardee_id, m.awardee_name = str(awardee.get("id", "")), str(awardee.get("denominationSociale", "")).strip()
    social = _values(rec.get("considerationsSociales"), "considerationSociale")
    env = _values(rec.get("considerationsEnvironnementales"), "considerationEnvironnementale")
    apply_decp_values(m, social, env, issues)
    if "considerationsSociales" in rec and not social:
        issues.append(DataIssue(kind="considération non déclarée", source=source, market_id=m.id,
                                message="considerationsSociales vide : à renseigner (le schéma DECP 2024 exige au moins une valeur)."))
    return m


#: the top-level records of a DECP XML file, read one at a time
XML_RECORDS = ("marche", "contrat-concession")


def load_xml(path: Path) -> dict[str, Any]:
    """A DECP XML file in the shape of its JSON: `{"marches": {"marche": [...], "contrat-concession": [...]}}`.

    Each record is turned into a dict as soon as it is read and its elements freed: the tree
    of a large file is never held whole.  expat refuses entity expansions past its limits and
    ElementTree fetches no external entity: a hostile file is an unreadable one."""
    try:
        refuse_too_big(path, "XML", "gardez-en les marchés de vos acheteurs, ou donnez un registre CSV, XLSX, XLS ou ODS.")
        records: dict[str, list[Any]] = {tag: [] for tag in XML_RECORDS}
        depth, root = 0, None
        for event, el in ElementTree.iterparse(path, events=("start", "end")):
            depth += 1 if event == "start" else -1
            if root is None:
                root = el.tag
            if event == "end" and depth == 1 and el.tag in records:
                records[el.tag].append(_element(el))
                el.clear()
    except (OSError, ElementTree.ParseError) as exc:
        raise AchatCheckError("AC-E015", f"XML illisible ({library_reason(exc)}) : vérifiez le fichier.", str(path)) from None
    if root != "marches":
        raise AchatCheckError("AC-E015", f"fichier XML dont l'élément racine est « {root} », pas « marches » : ce n'est pas un "
                              "fichier DECP (format 2019 ou 2024).", str(path))
    return {"marches": records}


def _element(el: ElementTree.Element) -> object:
    """An element as its JSON value: its text when it has no child, else a dict of its
    children, a list where a child's name repeats (`<titulaire>` twice)."""
    children = list(el)
    if not children:
        return (el.text or "").strip()
    grouped: dict[str, list[Any]] = {}
    for child in children:
        grouped.setdefault(child.tag, []).append(_element(child))
    return {tag: values[0] if len(values) == 1 else values for tag, values in grouped.items()}
