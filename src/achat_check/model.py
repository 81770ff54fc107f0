"""The contract between every stage: documents read, detections, criteria, facts, verdicts.

Every stage takes and returns these models; no dict travels between stages.  The
names of `MarketReport` listed in DESIGN.md ("stable core") are relied upon by other
tools: fields may be added, never renamed.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from achat_check import code_version
from achat_check.caseless import lowered

SCHEMA_VERSION = "1.0"


class Model(BaseModel):
    """Base model: unknown fields are refused so that typos fail loudly."""

    model_config = ConfigDict(extra="forbid")


class DocKind(StrEnum):
    """Kinds of DCE documents the checker distinguishes."""

    RC = "RC"
    CCAP = "CCAP"
    CCTP = "CCTP"
    AE = "AE"
    BPU = "BPU"
    OTHER = "OTHER"


#: the pieces a DCE is checked from: the award terms (RC), the contract's clauses (CCAP) and
#: its specifications (CCTP); the AE is a form, often left out of a draft
MAIN_PIECES = (DocKind.RC, DocKind.CCAP, DocKind.CCTP)


class Notice(Model):
    """A warning or error about one input, always naming the file and what to do."""

    code: str
    level: Literal["warning", "error"] = "warning"
    path: str | None = None
    message: str

    def render(self) -> str:
        """One line for stderr and the terminal report."""
        where = f"{self.path} : " if self.path else ""
        return f"[{self.code}] {where}{self.message}"


# --------------------------------------------------------------------------- documents


class PageSpan(Model):
    """Where one page of the source lies in the document's cleaned text."""

    number: int
    start: int
    end: int
    ocr: bool = False


class Heading(Model):
    """An article or numbered heading, with the span of the section it opens."""

    number: str | None = None
    title: str
    level: int = 1
    page: int
    start: int
    end: int

    @property
    def label(self) -> str:
        """How the article is cited in evidence ("5.2 – Délais de paiement")."""
        return f"{self.number} – {self.title}" if self.number else self.title


class Table(Model):
    """A table kept as rows of cells, for criteria and lots parsing."""

    page: int
    rows: list[list[str]]
    source: str = ""
    start: int | None = None


class PlaysPieces:
    """What a read document and its summary in a report both tell: the pieces it is."""

    def is_piece(self, *kinds: DocKind) -> bool:
        """Whether the document is one of these pieces, by its kind or by a role it also plays
        (a « contrat » that is AE and CCAP, an RC that is also the CCAP)."""
        return self.kind in kinds or any(r in kinds for r in self.roles)  # type: ignore[attr-defined]


class Document(PlaysPieces, Model):
    """One file of a DCE, read and structured; offsets index `text`."""

    path: str
    name: str
    format: str
    kind: DocKind = DocKind.OTHER
    kind_reason: str = ""
    subkind: str = ""
    roles: list[DocKind] = Field(default_factory=list)
    pages: int = 0
    pages_estimated: bool = False
    ocr: bool = False
    text: str = ""
    page_spans: list[PageSpan] = Field(default_factory=list)
    headings: list[Heading] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    headers_footers_removed: list[str] = Field(default_factory=list)
    hyphenations_joined: int = 0
    warnings: list[Notice] = Field(default_factory=list)
    sha256: str = ""
    read_seconds: float = 0.0
    #: a combined DCE's pieces (one PDF for the RC, the CCAP, the CCTP): where each begins
    parts: list[tuple[int, DocKind]] = Field(default_factory=list)
    #: files attached to it (a PDF portfolio's pieces), read next as members of the DCE
    _attachments: list[tuple[str, bytes]] = PrivateAttr(default_factory=list)

    def kind_at(self, offset: int) -> DocKind:
        """The piece the words at `offset` belong to: the document's kind, or in a combined
        DCE the piece whose part holds them (the CCTP's pages of a « DCE complet »)."""
        kind = self.kind
        for start, part in self.parts:
            if start > offset:
                break
            kind = part
        return kind

    def mentions(self, *words: str) -> bool:
        """Whether any of these lowercase words occurs in the text: a substring test that
        lets a costly regex skip the documents that cannot match it (the lowercased text
        is the one the caseless patterns share)."""
        low = lowered(self.text)
        if low is None:  # lowercasing changed the length: no shared copy for this text
            low = self.text.lower()
        return any(w in low for w in words)

    def page_at(self, offset: int) -> int:
        """Page number (1-based) holding a character offset of `text`."""
        if not self.page_spans:
            return 1
        starts = [p.start for p in self.page_spans]
        i = bisect.bisect_right(starts, offset) - 1
        return self.page_spans[max(i, 0)].number

    def page_text(self, number: int) -> tuple[int, str]:
        """Start offset and cleaned text of one page."""
        for p in self.page_spans:
            if p.number == number:
                return p.start, self.text[p.start : p.end]
        return 0, ""

    def heading_at(self, offset: int) -> Heading | None:
        """The innermost heading whose section contains the offset."""
        best: Heading | None = None
        for h in self.headings:
            if h.start <= offset < h.end and (best is None or h.level >= best.level):
                best = h
        return best

    def headings_at(self, offset: int) -> list[Heading]:
        """All headings whose sections contain the offset, outermost first."""
        found = [h for h in self.headings if h.start <= offset < h.end]
        return sorted(found, key=lambda h: (h.level, h.start))

    def in_title_block(self, offset: int) -> bool:
        """Whether the offset lies in the cover page's title block ("…postes reconditionnés",
        « INFRASTRUCTURES DE RECHARGE DE VEHICULES ELECTRIQUES »): the block an unnumbered title
        opens, or the first page before the outline starts.  It names the market; it binds no one."""
        head = self.heading_at(offset)
        if head is None:
            first = min((h.start for h in self.headings), default=None)
            return first is not None and offset < first and self.pages > 1 and self.page_at(offset) == 1
        if head.number is not None or head.start > 1500 or (self.pages > 1 and head.page > 1):
            return False  # a numbered article, or a title past the cover page
        return all(h.number is None for h in self.headings if h.start <= head.start)


# --------------------------------------------------------------------------- evidence


class Evidence(Model):
    """Proof of a detection: where the words are and the sentence that holds them."""

    document: str
    kind: DocKind | None = None
    page: int
    article: str | None = None
    start: int
    end: int
    quote: str
    quote_start: int | None = None
    matched: str | None = None


class Adjustment(Model):
    """One context cue that changed a detection's score."""

    rule_id: str
    effect: str
    factor: float
    cue: str


class Explanation(Model):
    """Why a detection was raised and how context changed its score."""

    rule: str
    pattern: str
    base_score: float
    adjustments: list[Adjustment] = Field(default_factory=list)
    lever_reason: str = ""
    summary: str = ""


Lever = Literal["clause", "specification", "criterion", "need", "reserved", "insertion"]


class Detection(Model):
    """A consideration found in the documents, with its evidence."""

    rule_id: str
    name: str = ""
    title: str = ""
    theme: str = ""
    category: str = ""
    lever: Lever = "clause"
    score: float
    counted: bool = True
    evidence: list[Evidence] = Field(default_factory=list)
    explanation: Explanation


class Considerations(Model):
    """Environmental and social considerations, and what context discarded."""

    environmental: list[Detection] = Field(default_factory=list)
    social: list[Detection] = Field(default_factory=list)
    discarded: list[Detection] = Field(default_factory=list)


class Insertion(Model):
    """The social insertion clause: presence, hours and facilitator."""

    present: bool = False
    hours: float | None = None
    hours_stated: float | None = None
    hours_period: str | None = None
    hours_basis: str | None = None
    etp_stated: float | None = None
    share_of_labour_hours: float | None = None
    facilitator: bool = False
    facilitator_name: str | None = None
    facilitator_evidence: list[Evidence] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)


class Reserved(Model):
    """A market reserved to inclusive structures (CCP L2113-12 to L2113-15)."""

    present: bool = False
    basis: str | None = None
    evidence: list[Evidence] = Field(default_factory=list)


# --------------------------------------------------------------------------- criteria and facts

CriterionKind = Literal[
    "price", "cost", "technical", "environmental", "social", "sustainable", "delay", "other"
]


class Criterion(Model):
    """One award criterion; weights are percents of the total score."""

    name: str
    weight: float | None = None
    points: float | None = None
    kind: CriterionKind = "other"
    kind_reason: str = ""
    inside_technical: bool = False
    sub: list[Criterion] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)


def walk_criteria(items: Iterable[Criterion]) -> Iterator[Criterion]:
    """Each criterion then its sub-criteria, depth first: the order the documents write them."""
    for c in items:
        yield c
        yield from walk_criteria(c.sub)


class CriteriaGroup(Model):
    """Criteria that apply to a group of lots (criteria differing per lot)."""

    lots: list[str]
    criteria: list[Criterion] = Field(default_factory=list)
    total: float | None = None


class Lot(Model):
    """One lot of the market."""

    number: str
    title: str = ""
    amount_ht: float | None = None
    amount_basis: str | None = None


class Penalty(Model):
    """A penalty stated in the contract terms."""

    label: str
    amount: float | None = None
    unit: str | None = None
    evidence: list[Evidence] = Field(default_factory=list)


class GivenFacts(Model):
    """What is known of a market beside its documents, given with them: the date and the
    estimated amount a buyer gives a draft (`check --date --amount`), the notification date
    and amount of a register's market (`batch --register`).  The documents say no date often
    enough (a draft, a DCE archived without its RC) that the loi Climat checks, in force on a
    date, need them; and a DCE seldom writes its estimate (the buyer's own file keeps it),
    which places the market in the indicators' scope (25 000 € HT) and decides the advance."""

    consultation_date: date | None = None
    notified: date | None = None
    #: the buyer's estimate, € HT over the whole market: it replaces the documents' amount
    estimated_amount_ht: float | None = None
    #: the register's amount, € HT: it stands in when the documents write none
    notified_amount_ht: float | None = None
    #: the register's buyer (« nom_acheteur »): it stands in when the documents name none (a
    #: DCE archived without its RC), so that indicators by organisation find the market
    buyer: str | None = None
    #: the register's procedure (« Procédure adaptée », « Appel d'offres ouvert »…): it stands in
    #: when the documents say none (a DCE archived without its RC), for the loi Climat's scope
    procedure: str | None = None
    #: the register's object: it stands in when the documents say none
    object: str | None = None
    #: the register's duration in months, renewals included (DECP « dureeMois »): it stands in
    #: when the documents say no maximum (insertion hours a year are counted over it)
    duration_months: float | None = None


#: the procedure's kind, as the loi Climat's checks and the indicators sort markets
Procedure = Literal["formalisee", "adaptee", "negociee"]
#: the market's nature (the CCAG and the thresholds depend on it)
Nature = Literal["travaux", "fournitures", "services"]


class Facts(Model):
    """Facts of the market read from the documents, each with its evidence."""

    procedure: Procedure | None = None
    procedure_label: str | None = None
    #: where the procedure comes from when not from the documents (« procédure selon le
    #: registre »); None when the documents say it
    procedure_basis: str | None = None
    estimated_amount_ht: float | None = None
    amount_basis: str | None = None
    amount_stated: str | None = None
    lots: list[Lot] = Field(default_factory=list)
    allotted: bool | None = None
    #: the number of lots the documents announce (« La consultation est composée de 3 lots »)
    #: when their list was not read
    lots_announced: int | None = None
    single_lot_justified: bool | None = None
    nature: Nature | None = None
    consultation_date: date | None = None
    consultation_date_basis: str | None = None
    #: when no date is written: the consultation came before this day (the law the DCE cites
    #: was repealed on it), and why
    consultation_before: date | None = None
    consultation_before_basis: str | None = None
    #: when no date of the consultation is written: the date the DCE itself bears (« DCE – MARS
    #: 2021 »: the first of the month), as written (« mars 2021 »); the consultation follows it
    dce_date: date | None = None
    dce_date_basis: str | None = None
    duration_months: float | None = None
    max_duration_months: float | None = None
    renewals: int | None = None
    #: months of each renewal period (« pour une période d'un an à chaque reconduction »)
    renewal_months: float | None = None
    #: the first period's last day, when the documents close it by a day from a notification
    #: they cannot know (« prend effet à sa notification jusqu'au 31/12/2026 »): the maximum
    #: duration then needs the notification day (a register's)
    first_period_end: date | None = None
    #: the most such a market can last when its notification day is not known: from the
    #: consultation's date (the notification comes after it) to `first_period_end`, renewals
    #: included (`extract.duration.months_at_most`)
    max_duration_at_most_months: float | None = None
    #: where the maximum comes from when not from the documents (« durée selon le registre »)
    duration_basis: str | None = None
    ccag: str | None = None
    payment_delay_days: int | None = None
    advance_rate: float | None = None
    #: the advance's rate when the holder is an SME (« fixé à 10 % lorsque le titulaire … est une PME »)
    advance_rate_sme: float | None = None
    advance_present: bool | None = None
    retenue_garantie_rate: float | None = None
    penalties: list[Penalty] = Field(default_factory=list)
    penalties_capped: bool | None = None
    penalty_cap_rate: float | None = None
    variants_allowed: bool | None = None
    #: the joint and several form imposed on groups of undertakings (True), left to them (False),
    #: or not said (None)
    group_solidarity_imposed: bool | None = None
    #: exclusions on environmental or social grounds written in the DCE (plan de vigilance,
    #: greenhouse-gas report, sustainability information): True; False when the optional
    #: exclusions' articles are only cited in a block (« L2141-7 à L2141-11 »); None otherwise
    exclusions_stated: bool | None = None
    framework: Literal["bons_de_commande", "marches_subsequents", "mixte"] | None = None
    #: the DCE says the market is a framework agreement (« L'avis implique l'établissement d'un
    #: accord-cadre », « Le présent accord-cadre »), whether or not it says how it is carried out;
    #: False when a notice ticks « L'avis implique un marché public » and no piece gives an
    #: agreement's form; None when nothing is said
    framework_agreement: bool | None = None
    #: a market in tranches: how many optional (or conditional) tranches follow the firm one
    #: (« une tranche ferme et deux tranches optionnelles »); None when it has no tranches
    optional_tranches: int | None = None
    #: the DCE says it is an ordinary market (« Il s'agit d'un marché ordinaire », « La
    #: notification du marché vaudra commande »)
    ordinary_market: bool | None = None
    #: what the DCE itself declares (« Clauses sociales : Avec / Sans » in the summary box of
    #: the State's models, « Clauses environnementales : sans objet »); None when it says nothing
    declared_social_clauses: bool | None = None
    declared_env_clauses: bool | None = None
    buyer: str | None = None
    #: where the buyer's name comes from when not from the documents (« acheteur nommé par le
    #: registre »); None when the documents name it
    buyer_basis: str | None = None
    object: str | None = None
    #: where the object comes from when not from the documents (« objet selon le registre »)
    object_basis: str | None = None
    evidence: dict[str, list[Evidence]] = Field(default_factory=dict)


# --------------------------------------------------------------------------- verdicts

CheckStatus = Literal["pass", "fail", "not_applicable", "unknown"]


class Flags(Model):
    """Booleans the yearly indicators count; null when unknown."""

    env_consideration: bool = False
    env_criterion: bool = False
    social_consideration: bool = False
    social_criterion: bool = False
    insertion_clause: bool = False
    facilitator: bool = False
    reserved: bool = False
    in_scope: bool | None = None


class CheckDetail(Model):
    """The full verdict of one check: why, on what basis, with what evidence."""

    id: str
    status: CheckStatus
    kind: Literal["obligation", "recommendation", "information"] = "obligation"
    rulebook: str = ""
    title: str = ""
    legal_basis: str = ""
    effective_from: date | None = None
    scope: str = ""
    reason: str = ""
    searched: str = ""
    evidence: list[Evidence] = Field(default_factory=list)


class Finding(Model):
    """Something the buyer must fix or should improve, with wording to paste."""

    rule_id: str
    check: str
    status: CheckStatus
    severity: Literal["error", "warning", "info"]
    title: str
    message: str
    legal_basis: str = ""
    evidence: list[Evidence] = Field(default_factory=list)
    suggestion: str = ""


class OpenData(Model):
    """The market's values in the DECP 2024 open-data format and eForms codes."""

    considerationsSociales: list[str] = Field(default_factory=list)  # noqa: N815 - DECP name
    considerationsEnvironnementales: list[str] = Field(default_factory=list)  # noqa: N815
    eforms: dict[str, list[str]] = Field(default_factory=dict)

    def as_decp(self) -> dict[str, dict[str, list[str]]]:
        """The two fields exactly as a DECP 2024 `marche` carries them (schema 2.0.3)."""
        return {
            "considerationsSociales": {"considerationSociale": list(self.considerationsSociales)},
            "considerationsEnvironnementales": {"considerationEnvironnementale": list(self.considerationsEnvironnementales)},
        }


# --------------------------------------------------------------------------- report


class StructureSummary(Model):
    """How a document was structured, for the report and `inspect`."""

    headings: list[Heading] = Field(default_factory=list)
    tables: int = 0
    headers_footers_removed: list[str] = Field(default_factory=list)
    hyphenations_joined: int = 0


class DocumentReport(PlaysPieces, Model):
    """What the report says of one document (not its full text)."""

    path: str
    name: str
    format: str
    kind: DocKind
    kind_reason: str = ""
    subkind: str = ""
    roles: list[DocKind] = Field(default_factory=list)
    pages: int
    pages_estimated: bool = False
    ocr: bool = False
    chars: int = 0
    sha256: str = ""
    warnings: list[Notice] = Field(default_factory=list)
    structure: StructureSummary = Field(default_factory=StructureSummary)

    @classmethod
    def of(cls, doc: Document) -> DocumentReport:
        """Summarise a read document."""
        return cls(
            path=doc.path,
            name=doc.name,
            format=doc.format,
            kind=doc.kind,
            kind_reason=doc.kind_reason,
            subkind=doc.subkind,
            roles=doc.roles,
            pages=doc.pages,
            pages_estimated=doc.pages_estimated,
            ocr=doc.ocr,
            chars=len(doc.text),
            sha256=doc.sha256,
            warnings=doc.warnings,
            structure=StructureSummary(
                headings=doc.headings,
                tables=len(doc.tables),
                headers_footers_removed=doc.headers_footers_removed,
                hyphenations_joined=doc.hyphenations_joined,
            ),
        )


#: warnings saying part of a DCE's text was not read: scans without OCR (W001, W006), no text
#: at all (W002), pages past the page limit (W004), archive members left out (W005), damaged
#: pages or parts, or an archive cut short (W009)
TEXT_LOST = frozenset({"AC-W001", "AC-W002", "AC-W004", "AC-W005", "AC-W006", "AC-W009"})


class MarketReport(Model):
    """One report for the market a DCE describes."""

    schema_version: str = SCHEMA_VERSION
    market_id: str | None = None  # set when the DCE comes from a register or a batch
    tool_version: str = Field(default_factory=code_version)  # the code's digest: a batch's cache follows it
    rules_version: str = ""
    rulebook: str = "rso-2025"
    source: list[str] = Field(default_factory=list)
    documents: list[DocumentReport] = Field(default_factory=list)
    errors: list[Notice] = Field(default_factory=list)
    facts: Facts = Field(default_factory=Facts)
    criteria: list[Criterion] = Field(default_factory=list)
    criteria_lots: list[CriteriaGroup] = Field(default_factory=list)
    criteria_total: float | None = None
    criteria_total_is_100: bool | None = None
    #: criteria given in points: what their points add up to, and the total the documents
    #: write (a « Total : 100 points » row), which may disagree
    criteria_points_total: float | None = None
    criteria_stated_total: float | None = None
    considerations: Considerations = Field(default_factory=Considerations)
    insertion: Insertion = Field(default_factory=Insertion)
    reserved: Reserved = Field(default_factory=Reserved)
    flags: Flags = Field(default_factory=Flags)
    checks: dict[str, CheckStatus] = Field(default_factory=dict)
    check_details: list[CheckDetail] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    decp: OpenData = Field(default_factory=OpenData)
    elapsed_seconds: float = 0.0

    @property
    def readable(self) -> bool:
        """True when at least one document could be read."""
        return bool(self.documents)

    def missing_pieces(self) -> list[str]:
        """The main pieces of a DCE (RC, CCAP, CCTP) that none of its documents is, by kind or
        role ([] for a report of nothing read): the checks that read them stay « indéterminé »,
        and the report and a batch's rows say which pieces to add."""
        if not self.documents:
            return []
        return [k.value for k in MAIN_PIECES if not any(d.is_piece(k) for d in self.documents)]

    def unread(self) -> list[str]:
        """Files of the DCE whose text was not read, or not all of it: a file that could not
        be opened, an archive member left out, scanned pages without OCR, pages past the
        limit, damaged pages.  What the report did not find may be written there, so an
        absence is no proof (checks say `unknown`, indicators keep the register's value)."""
        paths = [n.path for n in self.errors if n.level == "error" or n.code in TEXT_LOST]
        paths += [d.path for d in self.documents if any(w.code in TEXT_LOST for w in d.warnings)]
        return list(dict.fromkeys(p.rstrip("/").rsplit("/", 1)[-1] for p in paths if p))
