"""Records read from the registers, and the indicators computed from them.

Records are slotted dataclasses (a register may hold hundreds of thousands of payments);
what leaves the package (indicators, data-quality lines, cross-checks) is pydantic, like
the report of one market.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, TypeAdapter

Tri = bool | None  # yes / no / not known


#: the words of a register's enterprise category that say an SME (TPE and PME: fewer than 250 employees)
SME_WORDS = frozenset({"TPE", "PME", "PE", "ME", "MICRO"})


@dataclass(slots=True)
class MarketRecord:
    """One market of the register, with where each value came from."""

    id: str
    source: str  # "registre.csv, ligne 12" or "decp.json, marché 3"
    buyer_id: str = ""
    buyer_name: str = ""
    organisation: str = ""  # the organisation the indicators are given for (buyer by default)
    branch: str = ""
    object: str = ""
    procedure: str = ""
    notified: date | None = None
    #: the market's duration in months, renewals included (DECP « dureeMois », column « duree_mois »)
    duration_months: float | None = None
    amount: float | None = None
    amount_is_ttc: bool = False
    vat_rate: float | None = None
    amount_ht: float | None = None
    awardee_id: str = ""
    awardee_name: str = ""
    awardee_category: str = ""  # TPE, PME, ETI, GE or ""
    awardee_headcount: int | None = None
    awardee_sme: Tri = None  # a register's « PME : oui/non » column
    reserved: Tri = None
    reserved_kind: str = ""  # ESAT/EA, SIAE, ESS
    facilitator: Tri = None
    insertion_hours: float | None = None
    insertion_hours_disability: float | None = None
    env_consideration: Tri = None
    env_clause: Tri = None
    env_criterion: Tri = None
    social_consideration: Tri = None
    social_clause: Tri = None
    social_criterion: Tri = None
    dce: str = ""
    from_documents: bool = False  # flags taken from the documents' report
    #: read from a DECP file: a value the DECP do not carry cannot be « filled in its column »
    decp: bool = False
    declared: dict[str, Tri] = field(default_factory=dict)  # the register's values when documents replaced them
    #: columns whose cell was written but could not be read (« 31/02/2026 », « abc »): their
    #: « illisible » issue already says what follows, a « manquant » one would say it twice
    unreadable: set[str] = field(default_factory=set)

    @property
    def sme(self) -> Tri:
        """Awarded to an SME (TPE or PME: fewer than 250 employees); None when unknown."""
        cat = self.awardee_category.upper().replace("É", "E")
        words = set(re.findall(r"[A-Z]+", cat))
        # « PME », and as registers write them: « Micro-entreprise », « Petite entreprise »,
        # « Moyenne entreprise », « Grande entreprise », « Entreprise de taille intermédiaire »,
        # « TPE/PME », « PME (12 salariés) »; « Non PME », « hors PME » are not
        if words & {"NON", "HORS"} and words & SME_WORDS:
            return False
        if words & SME_WORDS or cat.startswith(("MICRO", "PETITE", "MOYENNE", "TRES PETITE")):
            return True
        if words & {"ETI", "GE"} or cat.startswith(("GRANDE", "ENTREPRISE DE TAILLE INTERMEDIAIRE")):
            return False
        if self.awardee_headcount is not None:
            return self.awardee_headcount < 250
        return self.awardee_sme


@dataclass(slots=True)
class ReportDigest:
    """What the indicators read of a DCE report, kept instead of the report.

    A report weighs about 0.2 MB in memory; the indicators of 10,000 stored reports held
    2.8 GB.  A digest is taken as each report is read, and the report let go.
    """

    market_id: str
    readable: bool
    buyer: str = ""
    object: str = ""
    procedure: str = ""
    consultation_date: date | None = None
    #: the notification date a register gave with the DCE (`batch --register`, an API batch's
    #: register): the year the market counts for, as the Référentiel counts markets
    notified: date | None = None
    amount_ht: float | None = None
    #: the documents' answer per register column (None: the documents do not tell)
    flags: dict[str, Tri] = field(default_factory=dict)
    reserved_basis: str = ""
    #: per column, the quotes that back the documents' answer (shown when the register disagrees)
    evidence: dict[str, list[str]] = field(default_factory=dict)
    #: files of the DCE not read, or not all of it (MarketReport.unread): a "no" of the
    #: documents is then no answer, only their "yes" counts
    unread: list[str] = field(default_factory=list)
    #: why the first file was not read (its notice, « [AC-E004] RC.pdf : … »), for a DCE of
    #: which nothing could be read: the data-quality line says what to fix
    why_unread: str = ""

    def to_json(self) -> str:
        """The digest as a batch store keeps it beside its report (reports.digest_json)."""
        return _digest_adapter().dump_json(self).decode()

    @classmethod
    def from_json(cls, text: str) -> ReportDigest:
        """A digest a batch store kept."""
        return _digest_adapter().validate_json(text)


@functools.cache
def _digest_adapter() -> TypeAdapter[ReportDigest]:
    """pydantic's reader and writer of digests, built once (a few milliseconds)."""
    return TypeAdapter(ReportDigest)


@dataclass(slots=True)
class PaymentRecord:
    """One invoice: when the request was received and when it was paid."""

    source: str
    received: date | None
    paid: date | None
    amount: float | None = None
    supplier: str = ""
    organisation: str = ""
    #: a date cell was written but could not be read (« 2026-13-01 »): not a missing date
    unreadable_date: bool = False

    @property
    def delay(self) -> int | None:
        """Days between the payment request and the payment."""
        if self.received is None or self.paid is None:
            return None
        return (self.paid - self.received).days


@dataclass(slots=True)
class OrganisationRecord:
    """One organisation: its buyers' training and its consumption-reduction plan."""

    id: str
    source: str
    name: str = ""
    branch: str = ""
    social_training: date | None = None  # last training of buyers in social aspects
    reduction_plan: Tri = None


class Out(BaseModel):
    """Base of what the package returns: unknown fields refused."""

    model_config = ConfigDict(extra="forbid")


class Indicator(Out):
    """One indicator for one year (and one organisation or group when split)."""

    id: str
    label: str
    level: Literal["P1", "P2", "résultat", "suivi"]
    family: str
    unit: Literal["taux", "nombre", "heures", "jours", "euros"]
    year: int
    group: str | None = None  # organisation or branch; None for all of them
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    target: float | None = None
    target_label: str | None = None
    market_ids: list[str] = Field(default_factory=list)
    note: str = ""


class DataIssue(Out):
    """A value excluded, converted or doubtful, and why: nothing is silent."""

    kind: str
    source: str
    market_id: str | None = None
    message: str


class CrossCheck(Out):
    """A market whose declared considerations disagree with its documents."""

    market_id: str
    field: str
    declared: bool | None
    documents: bool | None
    evidence: list[str] = Field(default_factory=list)


class MarketLine(Out):
    """One market of the years computed, with the values the indicators used (for audit)."""

    id: str
    year: int
    group: str
    source: str
    amount_ht: float | None
    in_scope: bool
    env_consideration: bool | None
    env_criterion: bool | None
    social_consideration: bool | None
    sme: bool | None
    facilitator: bool | None
    reserved: bool | None
    insertion_hours: float | None
    from_documents: bool


def unknown_value(label: str) -> str:
    """« valeur inconnue (facilitateur) »: how a note names the value it lacks; `remarks`
    reads the label back (LACKED) to say notes that differ only by it in one line, so every
    note writes it through here."""
    return f"valeur inconnue ({label})"


#: the value a note says is unknown, as `unknown_value` writes it
LACKED = re.compile(re.escape(unknown_value("\x00")).replace("\x00", "([^()]*)"))


class IndicatorReport(Out):
    """Every indicator of a rulebook over the years asked, with data quality and cross-checks."""

    rulebook: str
    years: list[int]
    by: str | None = None
    threshold_ht: float
    markets_read: int = 0
    payments_read: int = 0
    indicators: list[Indicator] = Field(default_factory=list)
    data_quality: list[DataIssue] = Field(default_factory=list)
    cross_check: list[CrossCheck] = Field(default_factory=list)
    markets: list[MarketLine] = Field(default_factory=list)
    _index: dict[tuple[str, int | None, str | None], Indicator] = PrivateAttr(default_factory=dict)
    _indexed: int = PrivateAttr(-1)

    def remarks(self, group: str | None = None) -> list[tuple[list[str], list[int], str]]:
        """The remarks of the indicators of all organisations (or of one `group`), one per
        text: the indicators and years that share it (why a value is « — », what a value
        leaves out), in the indicators' order; a line per indicator and year said the same
        thing thirty times."""
        years_of: dict[tuple[str, str], list[int]] = {}
        for i in sorted((i for i in self.indicators if i.group == group and i.note), key=lambda i: i.year):
            years_of.setdefault((i.id, i.note), []).append(i.year)
        # the notes that differ only by the value they lack share a line: a DECP file of the
        # 2019 format said « valeur inconnue (considération environnementale) … » three times,
        # for ENV-P1, ENV-P2 and SOC-P1, the same markets each time
        ids_of: dict[tuple[str, tuple[int, ...]], tuple[list[str], list[str]]] = {}
        for (iid, note), years in years_of.items():
            lacked = LACKED.search(note)
            shape = LACKED.sub(unknown_value("\x00"), note, count=1) if lacked else note
            ids, labels = ids_of.setdefault((shape, tuple(years)), ([], []))
            ids.append(iid)
            if lacked and lacked[1] not in labels:
                labels.append(lacked[1])
        order = {iid: n for n, iid in enumerate(dict.fromkeys(i.id for i in self.indicators))}
        said = [(ids, list(years), shape.replace("\x00", ", ".join(labels))) for (shape, years), (ids, labels) in ids_of.items()]
        return sorted(said, key=lambda r: (order[r[0][0]], r[1]))  # the table's order, then the years'

    def find(self, indicator_id: str, year: int | None = None, group: str | None = None) -> Indicator | None:
        """The indicator of that id, year (None: the first year) and group (None: all organisations).

        Looked up in an index built once (again when indicators are appended): a scan per
        lookup made the table of 300 organisations quadratic, minutes long."""
        if self._indexed != len(self.indicators):
            index: dict[tuple[str, int | None, str | None], Indicator] = {}
            for i in self.indicators:
                index.setdefault((i.id, i.year, i.group), i)
                index.setdefault((i.id, None, i.group), i)
            self._index, self._indexed = index, len(self.indicators)
        return self._index.get((indicator_id, year, group))
