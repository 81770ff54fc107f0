"""Facts of the market: procedure, amount, lots, nature, date, CCAG, payment and SME terms.

Each fact is read where DCEs state it (RC first, then AE, CCAP, notices, other pieces)
and keeps its evidence.  Traps seen in real DCEs are avoided on purpose: "avancement du
chantier" is not an "avance"; "délai de livraison" or "validité des offres" are not the
payment delay; an insurance amount, a penalty, a turnover threshold or a "bon de commande
supérieur à 50 000 €" is not the market's value; a TTC amount is converted with the VAT
rate written in the documents (20 % when none is written, and the basis says so).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from achat_check.accents import fold
from achat_check.caseless import Caseless, Searcher, caseless
from achat_check.evidence import evidence_at, make_evidence
from achat_check.extract.dates import DCE_DATE, GIVEN_DATE, NOTIFIED_BASIS, dce_edition, parse_date
from achat_check.extract.duration import initial_months
from achat_check.extract.numbers import (
    ARTICLE_REF,
    GIVEN_AMOUNT,
    NOTIFIED_AMOUNT,
    NUMBER,
    WORD_RE,
    fmt_count,
    fmt_number,
    parse_number,
)
from achat_check.model import (
    DocKind,
    Document,
    Evidence,
    Facts,
    GivenFacts,
    Lot,
    Nature,
    Penalty,
    Procedure,
    Table,
)
from achat_check.nlp import Sentence
from achat_check.structure import LABEL_CELL

DOC_ORDER = {DocKind.RC: 0, DocKind.AE: 1, DocKind.CCAP: 2, DocKind.OTHER: 3, DocKind.CCTP: 4, DocKind.BPU: 5}

PROCEDURES: list[tuple[Caseless, Procedure]] = [
    (caseless(r"proc[ée]dure\s+adapt[ée]e|\bMAPA\b|march[ée]\s+[àa]\s+proc[ée]dure\s+adapt[ée]e|\b[LR]\.?\s?2123-1\b"), "adaptee"),
    (caseless(r"sans\s+publicit[ée]\s+ni\s+mise\s+en\s+concurrence|\bR\.?\s?2122-\d+\b"), "negociee"),
    # « Appel d offres ouvert »: 43 lines of a real DECP file write no apostrophe
    (caseless(r"appel\s+d(?:['’]|\s)\s*offres?\s+(ouvert|restreint)|\b[LR]\.?\s?2124-[234]\b"), "formalisee"),
    (caseless(r"dialogue\s+comp[ée]titif|proc[ée]dure\s+(concurrentielle\s+)?avec\s+n[ée]gociation|proc[ée]dure\s+formalis[ée]e"
              r"|proc[ée]dure\s+n[ée]goci[ée]e\s+avec\s+mise\s+en\s+concurrence"), "formalisee"),
]
GENERIC_FORMAL = caseless(r"proc[ée]dure\s+formalis[ée]e", prefilter=False)  # matched against a match, not a text
PROCEDURE_WORDS = ("proc", "mapa", "2122", "2123", "2124", "publicit", "appel d", "dialogue")  # every PROCEDURES match holds one
PROCEDURE_CONTEXT = caseless(r"proc[ée]dure|passation|pass[ée]e?\s+selon|lanc[ée]e?\s+selon|soumise?\s+aux", prefilter=False)

AMOUNT = caseless(
    rf"(?P<n>{NUMBER})\s*(?P<mult>millions?\s+d['’]euros|millions?|M\s?€|k\s?€)?\s*(?:€|euros?|EUR)?\s*(?P<tax>H\.?T\.?|hors\s+taxes?|TTC|T\.T\.C\.?)?",
)
VALUE_CUE = caseless(
    r"montant\s+(estim|estimatif|pr[ée]visionnel|global|total|maximum|maximal|annuel|minimum)|estim[ée]e?\s+[àa]|valeur\s+(estim|totale|globale)|budget|"
    r"maximum\s+(?:annuel\s+|global\s+)?(de|est)|seuils?\s+maximum|montant\s+de\s+l['’]accord|montants?\s+sur\s+la\s+dur[ée]e",
    prefilter=False,
)
NOT_VALUE = caseless(
    r"p[ée]nalit|assurance|assur[ée]|sinistre|responsabilit[ée]\s+civile|garantie\s+(financi|[àa]\s+premi)|chiffre\s+d['’]affaires|capital|"
    r"indemnit|int[ée]r[êe]ts|sup[ée]rieure?\s+[àa]|inf[ée]rieure?\s+[àa]|exc[èe]de|au-del[àa]|avance|sous-trait|par\s+(jour|heure|manquement|constat)|caution|amende",
    prefilter=False,
)
#: an amount stated per year; narrower than the insertion hours' « an » (`insertion.PERIODS`),
#: which also reads « chaque année » and « année d'exécution »: said of hours, these give their
#: period, but an amount's sentence says « révisé chaque année » of a total
PER_YEAR = caseless(r"par\s+an\b|par\s+ann[ée]e|annuel", prefilter=False)
VAT = caseless(r"TVA\s+(?:au\s+taux\s+)?(?:de\s+)?(?P<n>\d{1,2}(?:[.,]\d{1,2})?)\s*%")

PAYMENT = [
    caseless(rf"d[ée]lai\s+(?:global\s+|maximum\s+)?de\s+(?:paiement|r[èe]glement)[^.;]{{0,80}}?(?P<n>\d{{1,3}}|{WORD_RE})\s*(?:\(\d+\)\s*)?jours"),
    caseless(rf"(?:pay[ée]e?s|r[ée]gl[ée]e?s|mandat[ée]e?s|sold[ée]e?s)\s+(?:par\s+virement\s+)?dans\s+un\s+d[ée]lai\s+(?:global\s+|maximum\s+)?(?:de\s+)?(?P<n>\d{{1,3}}|{WORD_RE})\s*(?:\(\d+\)\s*)?jours"),
    # « Le paiement correspondant aux prestations s'effectuera dans un délai de 30 jours à compter de
    # la réception des factures » (a real CCAP), « Les paiements interviennent dans un délai … »
    caseless(rf"\bpaiements?\b[^.;]{{0,60}}?\b(?:s['’]effectu\w*|intervien\w*)\s+dans\s+un\s+d[ée]lai\s+(?:global\s+)?(?:maxim(?:um|al)\s+)?"
             rf"(?:de\s+)?(?P<n>\d{{1,3}}|{WORD_RE})\s*(?:\(\d+\)\s*)?jours"),
    # « le paiement des sommes dues est effectué dans un délai global maximum de 30 jours » (a notice)
    caseless(rf"d[ée]lai\s+global\s+(?:maxim(?:um|al)\s+)?(?:de\s+)?(?P<n>\d{{1,3}}|{WORD_RE})\s*(?:\(\d+\)\s*)?jours"),
]
#: the gap between the cue and its rate does not cross the other one's name: under an article
#: « Avance et retenue de garantie », « Une avance de 10 %. Une retenue de garantie de 5 % … »
#: gave the retenue the heading's next rate, the advance's
ADVANCE_RATE = caseless(rf"\bavance\b(?:(?!retenue)[^.;]){{0,140}}?(?P<n>{NUMBER})\s*%|(?P<n2>{NUMBER})\s*%\s+(?:du\s+montant\s+[^.;]{{0,60}})?(?:au\s+titre\s+de\s+l['’])?avance\b")
#: no advance: « Il n'est pas prévu d'avance » (a real AE), and the forms that deny the
#: wording ADVANCE_YES reads (« ne donne pas lieu au versement d'une avance », « L'avance
#: n'est pas accordée »)
ADVANCE_NONE = caseless(
    r"(il\s+n['’]est\s+pas\s+pr[ée]vu\s+d['’]avance|pas\s+d['’]avance|sans\s+avance|aucune\s+avance|avance\s*:?\s*(sans|non|n[ée]ant)\b"
    r"|ne\s+donne\s+pas\s+lieu\s+(?:au\s+|[àa]\s+)?(?:versement\s+d['’]une\s+|d['’])?avance"
    r"|avance\s+n['’]est\s+pas\s+(?:accord[ée]e|vers[ée]e|pr[ée]vue))"
)
ADVANCE_YES = caseless(r"avance\s*:?\s*avec\b|b[ée]n[ée]fice\s+de\s+l['’]avance|versement\s+d['’]une\s+avance|une\s+avance\s+(est|sera)")
RETENUE_RATE = caseless(rf"retenue\s+de\s+garantie(?:(?!avance)[^.;]){{0,100}}?(?P<n>{NUMBER})\s*%")
#: no retenue: « ne prévoit pas de retenue de garantie », « il n'est pas appliqué de retenue de
#: garantie » (a real notice's « il est appliqué une retenue de garantie », denied), « les bons
#: de commande seront dispensés de retenue de garantie » (a real notice), « Aucune clause de
#: garantie financière ne sera appliquée » (the « Garanties financières » article of a real
#: CCAP: retenue or its substitutes), and a summary table's « Retenue de garantie Non » (the
#: AWS model's summary box writes « Avance Avec », « Reconduction Sans »)
RETENUE_NONE = caseless(
    r"(pas\s+de|aucune|sans|ne\s+(comporte|pr[ée]voit)\s+pas\s+de|n['’]est\s+pas\s+(?:pr[ée]vu|appliqu[ée]e?)\s+de|dispens[ée]e?s?\s+de)"
    r"\s+retenue\s+de\s+garantie|aucune\s+(?:clause\s+de\s+)?garantie\s+financi[èe]re\s+n(?:e\b|['’])"
    r"|retenue\s+de\s+garantie\s*:?\s*(?:sans|non|n[ée]ant)\b"
)
#: the CCAG by its short name (« CCAG-FCS ») or its title (« … applicables aux marchés publics de
#: travaux »), or the title's end after « Le CCAG applicable est celui des marchés publics de … »
CCAG = caseless(
    r"CCAG[\s\-/–]*(?P<short>FCS|Travaux|TIC|PI|MI|MOE|Fournitures\s+courantes)|"
    r"(?:clauses\s+administratives\s+g[ée]n[ée]rales\s+applicables\s+aux|CCAG\s+(?:applicable\s+)?(?:est\s+)?celui\s+des)\s+march[ée]s\s+publics\s+de\s+(?P<long>fournitures\s+courantes\s+et\s+de\s+services|travaux|techniques\s+de\s+l['’]information|prestations\s+intellectuelles|ma[îi]trise\s+d['’](?:œ|oe)uvre|march[ée]s\s+industriels)",
)
CCAG_NAMES = {
    "fcs": "CCAG-FCS", "fournitures courantes": "CCAG-FCS", "travaux": "CCAG-Travaux", "tic": "CCAG-TIC",
    "techniques de l'information": "CCAG-TIC", "pi": "CCAG-PI", "prestations intellectuelles": "CCAG-PI",
    "mi": "CCAG-MI", "marches industriels": "CCAG-MI", "moe": "CCAG-MOE", "maitrise d'oeuvre": "CCAG-MOE",
}
NOT_ALLOTTED = caseless(
    r"n['’]est\s+pas\s+allotie?|pas\s+de\s+d[ée]composition\s+en\s+lots|pas\s+pr[ée]vu\s+de\s+d[ée]composition\s+en\s+lots|"
    r"ne\s+fait\s+pas\s+l['’]objet\s+d['’]un\s+allotissement|\bnon[- ]allot|lot\s+unique|march[ée]\s+unique|pas\s+en\s+lots\s+s[ée]par[ée]s|"
    r"divis[ée]es?\s+en\s+lots\s*:\s*non|ne\s+pas\s+lancer\s+la\s+consultation\s+en\s+lots",
)
#: why a market is not allotted; the code's own reason (L. 2113-11 1°) as a real RC writes it,
#: « L'objet de la consultation ne permet pas d'identification de prestations distinctes », or
#: as a participle (« …, l'objet du marché ne permettant pas l'identification de prestations distinctes »)
JUSTIFIED = caseless(
    r"motifs?\s+suivants|en\s+raison|justifi|\bL\.?\s?2113-1[01]\b|compte\s+tenu|rendr(ait|ant|e)|ne\s+permet\w*\s+pas|"
    r"prestations\s+distinctes|indissociable|afin\s+de|car\s|"
    r"techniquement|[ée]conomiquement|difficile|compatibles?|coordination|m[êe]me\s+typologie",
    prefilter=False,
)
#: a DCE for one lot of an allotted consultation (« Lot n° 20 : Epicerie », « Relance du lot
#: 20 - Epicerie » in Villeneuve-sur-Lot's AE): a lot numbered 2 or more means several lots
LOT_TITLE = caseless(r"(?<!sur[ -])\blot\s+(?:n[°o]\s*)?(?P<n>\d{1,3})[ \t]*[:\-–—]\s*\w")
#: a lot in a list: « Lot 1 : … », « - Lot n°2 – … », a BOAMP notice's « Lot(s) 1. - transports … »
#: (its title on the next line when the notice ends the line on the dash: « Lot(s) 1. - »; a line
#: may open a page)
LOT_LINE = caseless(r"(?m)(?:^|(?<=\f))\W*lot(?:\(s\))?\s*(?:n[°o]\s*)?(?P<n>\d{1,2})\s*[:\-–—.][ \t]*(?:-[ \t]*\n)?(?P<title>[^\n]{3,140})")
#: a BOAMP notice's lots named without numbers: « Lot(s) VRD - Gros oeuvre -Carrelage. - »
NAMED_LOT_LINE = caseless(r"(?m)(?:^|(?<=\f))lot\(s\)[ \t]+(?P<title>[^\d\s][^\n]{2,140}?)\.[ \t]*-[ \t]*$")
#: « Prestations divisées en lots : oui » (BOAMP notices); a count of lots, when the list
#: that follows is not read: « La consultation est composé de 3 lots définis comme suit » (a
#: real RC), « Le présent accord-cadre comporte 7 lots : » (a real CCTP), « décomposée en 2
#: lots » (the form « pas prévu de décomposition en lots » of real RCs denies)
ALLOTTED_SAID = caseless(
    r"divis[ée]es?\s+en\s+lots\s*:\s*oui"
    rf"|\b(?:(?:(?:d[ée])?compos[ée]e?s?|divis[ée]e?s?|r[ée]partie?s?)\s+(?:en|de)|comporte(?:nt|ra)?)\s+(?P<count>\d{{1,2}}|{WORD_RE})\s+lots\b"
)
NOT_CCAG = r"(?!\s+courantes\s+et\s+de\s+services)"
#: explicit statements of the nature first ("marché public de travaux", CCAG, CPV 45…)
NATURE_EXPLICIT: list[tuple[Caseless, Nature]] = [
    (caseless(r"march[ée]s?\s+(?:public\s+|publics\s+)?de\s+travaux|CCAG[\s\-]*Travaux|\b45\d{6}-\d\b"), "travaux"),
    (caseless(rf"march[ée]s?\s+(?:public\s+|publics\s+)?de\s+fournitures?\b{NOT_CCAG}|accord-cadre\s+de\s+fournitures{NOT_CCAG}"), "fournitures"),
    (caseless(r"march[ée]s?\s+(?:public\s+|publics\s+)?de\s+services|accord-cadre\s+de\s+services"), "services"),
]
#: then the words of the object
NATURE_OBJECT: list[tuple[Caseless, Nature]] = [
    (caseless(r"\btravaux\s+(de\s+|d['’])?(r[ée]novation|construction|r[ée]habilitation|mise\s+aux\s+normes|am[ée]nagement)"), "travaux"),
    (caseless(r"\bfournitures?\s+(et\s+(la\s+)?livraison\s+)?(de|d['’])\s|\bacquisition\s+d|\bachat\s+de"), "fournitures"),
    (caseless(r"prestations?\s+de\s+(services|nettoyage|surveillance|gardiennage|maintenance|conseil|transport)|tierce\s+maintenance|\b(nettoyage|entretien|gardiennage|surveillance|maintenance|accompagnement|assistance)\s+(courant\s+)?(des|de\s+la|de\s+l['’]|du)\s"), "services"),
]
#: « Date et heure limites de réception des offres », « la date et l'heure limites de réception
#: des offres soit 17 MAI 2024 » (Mayotte's RC), « Les dossiers doivent être remis au plus tard
#: le 10 juin 2026 avant 16 heures » (a real RC, in its « REMISE DES OFFRES » article)
DEADLINE = caseless(
    r"date\s+(?:et\s+(?:l['’]\s*)?heure\s+)?limites?\s+de\s+(?:r[ée]ception|remise|d[ée]p[ôo]t)\s+des\s+(?:offres|plis|candidatures)"
    r"|date\s+et\s+heure\s+limites?\s+de\s+(?:r[ée]ception|remise|d[ée]p[ôo]t)\s*:"
    r"|\b(?:offres|plis|dossiers)\s+(?:doivent|devront)\s+(?:être\s+)?(?:remis|transmis|d[ée]pos[ée]|parvenir)\w*\s+(?:au\s+plus\s+tard|avant)\b"
)
PUBLICATION = caseless(r"date\s+d['’]envoi\s+du\s+pr[ée]sent\s+avis|publi[ée]\s+le")
#: « Les variantes ne sont pas autorisées », « les variantes à l'initiative des candidats ne sont
#: pas autorisées » (a real RC), « Refus des variantes. » (BOAMP notices), « Variantes : Sans »
VARIANTS_NO = caseless(
    r"variantes?(?:\s+[àa]\s+l['’]initiative\s+(?:des?\s+candidats?|des?\s+soumissionnaires?))?\s+(ne\s+sont\s+pas|n['’]est\s+pas)\s+(autoris|admis|accept)"
    r"|aucune\s+variante|variantes?\s*:?\s*(sans|non)\b|pas\s+autoris[ée]s\s+[àa]\s+pr[ée]senter\s+de\s+variantes|\brefus\s+des\s+variantes"
    r"|n['’]autorise\s+(?:pas|aucune)\s+(?:les\s+|de\s+|la\s+pr[ée]sentation\s+de\s+)?variantes?"
)
#: « Les variantes sont autorisées », « Variantes : Avec », « Le CEA autorise la présentation de
#: variantes de durée » (a real RC)
VARIANTS_YES = caseless(r"variantes?\s+(sont\s+)?(autoris|admis|accept)|variantes?\s*:?\s*avec\b"
                        r"|(?<!n['’])\bautorise\s+(?:la\s+pr[ée]sentation\s+de\s+|les\s+)?variantes")
#: a penalty and its figure: « pénalité de 150 € HT par jour », « pénalités pour retard d'un
#: montant de 250 euros par jour ouvré » (a real CCAP), « une pénalité fixée à 1,00/1000 » (two
#: real CCAPs: the CCAG's rate per day, written as a fraction)
PENALTY = caseless(
    rf"p[ée]nalit[ée]s?\s+(?:forfaitaires?\s+)?(?:(?:de|pour)\s+retard\s+)?(?:de\s+|d['’]un\s+montant\s+de\s+|égale?\s+[àa]\s+|fix[ée]e?s?\s+[àa]\s+)?"
    rf"(?P<n>\d+(?:,\d+)?\s*/\s*\d+(?:\s\d{{3}})?\s*(?:e|ème)?|{NUMBER})\s*(?P<unit>€|euros?|%(?:\s*(?:du|de\s+la|des)\s+[^.,;\n]{{0,40}})?|(?:du\s+montant)[^.,;\n]{{0,40}})?\s*(?:HT|TTC)?\s*(?P<per>(?:par|pour)\s+[^.,;\n]{{3,60}})?",
)


#: covariant: a reader of where facts were read takes any of them (`Found[object]`)
V = TypeVar("V", covariant=True)


@dataclass(frozen=True)
class Found(Generic[V]):
    """A fact read in one document, with where it was read (its value typed by its reader)."""

    value: V
    doc: Document
    start: int
    end: int
    label: str = ""

    def evidence(self) -> Evidence:
        """The quotation that backs the fact (document, page, article)."""
        return evidence_at(self.doc, self.start, self.end)

    def line_evidence(self) -> Evidence:
        """The fact quoted alone: a line of a summary box has no sentence around it."""
        return make_evidence(self.doc, self.start, self.end, Sentence(self.start, self.end))


def ordered(docs: list[Document]) -> list[Document]:
    """Documents in the order facts are looked for (RC first)."""
    return sorted(docs, key=lambda d: (0 if DocKind.RC in d.roles else DOC_ORDER.get(d.kind, 9), d.path))


def first_match(docs: list[Document], rx: Searcher) -> Found[re.Match[str]] | None:
    """The first match in the documents, in fact order."""
    for doc in ordered(docs):
        m = rx.search(doc.text)
        if m:
            return Found(m, doc, m.start(), m.end())
    return None


# --------------------------------------------------------------------------- procedure


#: a procedure's name found: (0 when the sentence speaks of the procedure, else 1), where, which, the match
ProcedureHit = tuple[int, int, Procedure, re.Match[str]]


def procedure(docs: list[Document]) -> Found[Procedure] | None:
    """Procedure type, preferring sentences that speak of the procedure."""
    for doc in ordered(docs):
        if not doc.mentions(*PROCEDURE_WORDS):
            continue
        hits: list[ProcedureHit] = []
        for rx, kind in PROCEDURES:
            for m in rx.finditer(doc.text):
                window = doc.text[max(0, m.start() - 120) : m.end() + 40]
                hits.append((0 if PROCEDURE_CONTEXT.search(window) else 1, m.start(), kind, m))
        if hits:
            _, _, kind, m = min(hits, key=lambda h: (h[0], h[1]))
            name = _name_beside(hits, m) or m  # quoted from the article to the name
            return Found(kind, doc, m.start(), name.end(), label=" ".join(name.group(0).split()))
    return None


def _name_beside(hits: list[ProcedureHit], ref: re.Match[str]) -> re.Match[str] | None:
    """The procedure's name written next to the article or the generic wording chosen:
    « articles R2124-2,1° et R2161-2 à R2161-5 …, régissant l'appel d'offres ouvert » (a real
    AE), « articles L.2124-1, L.2124-2 … la procédure de la consultation est celle de l'appel
    d'offres ouvert » (a real RC) are shown « appel d'offres ouvert », not « R2124-2 »; so is
    « une procédure formalisée d'appel d'offres ouvert » (another real RC), not « procédure
    formalisée » alone."""
    if _names_it(ref):
        return None
    near = [m for _, _, _, m in hits if _names_it(m) and 0 < m.start() - ref.end() <= 250]
    return min(near, key=lambda m: m.start()) if near else None


def _names_it(m: re.Match[str]) -> bool:
    """A procedure's own name (« appel d'offres ouvert »), not an article nor « procédure formalisée »."""
    return not (ARTICLE_REF.match(m.group(0)) or GENERIC_FORMAL.fullmatch(m.group(0)))


# --------------------------------------------------------------------------- amounts and lots


def _amount_value(m: re.Match[str]) -> float | None:
    value = parse_number(m.group("n"))
    if value is None:
        return None
    mult = (m.group("mult") or "").lower().replace(" ", "")
    if mult.startswith("million") or mult.startswith("m€") or mult == "m€":
        value *= 1_000_000
    elif mult.startswith("k"):
        value *= 1000
    return value


def _is_euro(m: re.Match[str], text: str) -> bool:
    tail = text[m.end("n") : m.end() + 3]
    return bool(re.search(r"€|euro|EUR|M\s?€|k\s?€", tail, re.I))


def lots_from_tables(doc: Document) -> list[Lot]:
    """Lots from the lots tables: amounts from the one that has them (estimated column
    preferred), titles from the one that has them."""
    tables = [lots for t in doc.tables if (lots := _lots_table(t))]
    with_amounts = next((lots for lots in tables if any(lot.amount_ht is not None for lot in lots)), None)
    with_titles = next((lots for lots in tables if sum(_named(lot) for lot in lots) >= len(lots) / 2), None)
    if with_amounts and with_titles and with_amounts is not with_titles:
        return merge_lots(with_amounts, with_titles)
    return with_amounts or with_titles or []


def _lots_table(table: Table) -> list[Lot]:
    header = " ".join(" ".join(r) for r in table.rows[:3]).lower()
    numbered = sum(bool(re.match(r"^\W*(lot\s*)?(n[°o]\s*)?\d{1,2}\W*$", r[0], re.I)) for r in table.rows[1:])
    if "lot" not in header and numbered < 2 or re.search(r"chiffre\s+d['’]affaires|capacit|r[ée]f[ée]rences", header):
        return []
    if not re.search(r"montant|estim|intitul|d[ée]signation|€|objet", header):
        return []
    est_col = _column(table, lambda h: "estim" in h)
    title_col = _column(table, TITLE_HEADER.search)
    lots: list[Lot] = []
    for row in table.rows:
        m = re.match(r"^\W*(?:lot\s*)?(?:n[°o]\s*)?(\d{1,2})\W*$", row[0], re.I)
        if not m:
            continue
        if title_col is not None:
            title = row[title_col] if title_col < len(row) else ""
        else:
            title = next((c for c in row[1:] if re.search(r"[A-Za-zÀ-ÿ]{4}", c) and not AMOUNT_CELL.match(c) and not LOT_TERMS.match(c)), "")
        title = FOOTNOTE_AFTER_TAX.sub(r"\1", title)
        amounts = [(i, _cell_amount(c)) for i, c in enumerate(row) if i > 0]
        amounts = [(i, a) for i, a in amounts if a is not None]
        amount, basis = None, None
        if amounts:
            pick = next(((i, a) for i, a in amounts if est_col is not None and i >= est_col), amounts[0])
            amount = pick[1]
            basis = "montant estimé du lot" if est_col is not None and pick[0] == est_col or "estim" in header else "montant du lot"
            if "annuel" in header:
                basis += " (annuel)"
        lots.append(Lot(number=m.group(1), title=title[:120], amount_ht=amount, amount_basis=basis))
    return lots if len(lots) >= 2 else []


AMOUNT_CELL = caseless(r"^\s*[\d\s\u00a0\u202f.,]+\s*(€|euros?|EUR)?\s*(HT|H\.T\.|TTC)?\s*$")
#: a lots table's column of titles (« Intitulés des lots », « Désignation », « Objet du lot »)
TITLE_HEADER = re.compile(r"intitul|d[ée]signation|\bobjet|libell[ée]", re.I)
#: a lot's terms, not its title: a real RC's lots table has no title column, and its first
#: cell in words was « bons de commande » (« Modalités d'exécution des lots »)
LOT_TERMS = re.compile(r"^\s*(?:bons?\s+de\s+commande|march[ée]s?\s+subs[ée]quents?|multi-?\s*attributaires?|mono-?\s*attributaires?)\s*$", re.I)
#: a footnote's number glued to « HT » (« … inférieur ou égal à 500 000€ HT1 » of a real RC)
FOOTNOTE_AFTER_TAX = re.compile(r"\b(HT|TTC)\d\b")


def _column(table: Table, test: Callable[[str], object]) -> int | None:
    """The first column whose header (first three rows) passes `test` (lowercase text)."""
    for i in range(1, max(len(r) for r in table.rows)):
        if any(i < len(r) and test(r[i].lower()) for r in table.rows[:3]):
            return i
    return None


#: what follows « Lot 1 : » in a buyer's template and is no title: a placeholder or an amount
#: (a real CCAP: « Le maximum pour chacun des lots est décomposé comme suit : Lot 1 : XX € HT »)
NO_TITLE = re.compile(rf"(?:X+|{NUMBER})\s*(?:€|euros?)?\s*(?:HT|H\.T\.|TTC)?", re.I)
#: a lot's title shorter than this is no name (« 5 », « BPU », empty): another list may name it
MIN_LOT_TITLE = 8


def _named(lot: Lot) -> bool:
    """Whether the lot has a title that names it."""
    return len(lot.title) >= MIN_LOT_TITLE


def _cell_amount(cell: str) -> float | None:
    """The amount of a cell that is an amount (not prose quoting one)."""
    if ("€" not in cell and "euro" not in cell.lower()) or not AMOUNT_CELL.match(cell):
        return None
    m = AMOUNT.search(cell)
    return _amount_value(m) if m and _is_euro(m, cell) else None


def lots_from_text(doc: Document) -> list[Lot]:
    """Lots listed in text ("Lot 1 : …", "- Lot 2 : …")."""
    seen: dict[str, Lot] = {}
    for m in LOT_LINE.finditer(doc.text):
        n = m.group("n")
        title = re.split(r"\s+montant|\s{2,}|\f", m.group("title").strip(), maxsplit=1)[0].strip(" :;-–")
        title = "" if NO_TITLE.fullmatch(title) else title[:120]
        if n not in seen or _goes_on(seen[n].title, title):
            seen[n] = Lot(number=n, title=title)
    lots = sorted(seen.values(), key=lambda lot: int(lot.number))
    if len(lots) >= 2 and lots[0].number in ("1", "01"):
        return lots
    named = [m.group("title").strip() for m in NAMED_LOT_LINE.finditer(doc.text)]
    return [Lot(number=str(i), title=title[:120]) for i, title in enumerate(named, 1)] if len(named) >= 2 else []


#: the words a cut title goes on with: a few words, no punctuation (« Lot 1 : Nettoyage : le
#: titulaire … » further on is a sentence about the lot, not its title)
TITLE_GOES_ON = re.compile(r"(?:\s+[\w'’-]+){1,6}")


def _goes_on(first: str, later: str) -> bool:
    """Whether a lot's later title is its first one, which a line break cut, in full: a real
    CCTP's cover « Lot n°1 - Charpente Couverture / Menuiserie Alu » then, in its list of
    lots, « Lot n°1 : Charpente Couverture Menuiseries Alu »."""
    rest = later[len(first):]
    return bool(first) and later.lower().startswith(first.lower()) and bool(TITLE_GOES_ON.fullmatch(rest))


def best_text_lots(docs: list[Document]) -> list[Lot]:
    """The documents' list of lots whose titles are most distinct: a lot's title is its own,
    while a real RC's « ➢ Lot 1 : bordereau de prix unitaires (BPU) ; ➢ Lot 2 : bordereau… »
    lists what is asked of each lot (its CCTP named the lots, one distinct title each)."""
    lists = [lots for d in ordered(docs) if (lots := lots_from_text(d))]
    return max(lists, key=lambda lots: len({lot.title.lower() for lot in lots}), default=[])


#: where a document names the lot it is about: its cover page and first header
LOT_COVER_CHARS = 3000


def lots_by_document(docs: list[Document]) -> list[Lot]:
    """The lots of a DCE that gives one document per lot, each naming its lot on its cover (a
    real works DCE: CCTP « LOT N°01: INSTALLATIONS DE CHANTIER – / DEMOLITION – MACONNERIE » to
    « LOT N°05 », with « LOT N°00: GENERALITES », common to all, which is no lot)."""
    seen: dict[int, Lot] = {}
    for doc in ordered(docs):
        cover = doc.text[:LOT_COVER_CHARS]
        m = LOT_LINE.search(cover)
        if not m or int(m.group("n")) == 0 or int(m.group("n")) in seen:
            continue
        title = m.group("title").strip()
        if title.endswith(("–", "-", "—")):  # the title goes on on the next line
            title += " " + cover[m.end() :].lstrip("\n").split("\n", 1)[0]
        seen[int(m.group("n"))] = Lot(number=m.group("n"), title=title.strip(" :;-–—")[:120])
    return [seen[n] for n in sorted(seen)] if len(seen) >= 2 else []


def merge_lots(from_table: list[Lot], from_text: list[Lot]) -> list[Lot]:
    """Amounts from the lots table, titles from the list that names the lots where the table
    has none."""
    if not from_table:
        return from_text
    titles = {lot.number.lstrip("0"): lot.title for lot in from_text if lot.title}
    for lot in from_table:
        if not _named(lot):
            lot.title = titles.get(lot.number.lstrip("0"), lot.title)
    return from_table


@dataclass
class AmountCandidate:
    """An amount read in a sentence about the market's value, with what the sentence says of it (HT/TTC, maximum, yearly)."""
    value: float
    tax: str
    maximum: bool
    per_year: bool
    found: Found[float]


def amount_candidates(doc: Document) -> list[AmountCandidate]:
    """Amounts in sentences that state the market's value (not penalties, insurance…)."""
    out = []
    for m in AMOUNT.finditer(doc.text):
        if not _is_euro(m, doc.text):
            continue
        value = _amount_value(m)
        if value is None or value < 1000:
            continue
        lo = max(doc.text.rfind(".", 0, m.start()), doc.text.rfind("\n\n", 0, m.start()), m.start() - 250) + 1
        sentence = doc.text[lo : m.end() + 60]
        before = doc.text[lo : m.start()]
        if not VALUE_CUE.search(sentence) or NOT_VALUE.search(before[-120:]) or _bracket_bound(doc.text, m):
            continue
        tax = (m.group("tax") or "").upper().replace(".", "").replace(" ", "")
        if not tax:
            tax = "TTC" if re.search(r"\bTTC\b", sentence) and not re.search(r"\bHT\b|hors\s+taxe", sentence, re.I) else "HT"
        out.append(AmountCandidate(value, "TTC" if tax.startswith("T") else "HT", bool(re.search(r"maxim", before, re.I)),
                                   bool(PER_YEAR.search(sentence)), Found(value, doc, m.start(), m.end())))
    return out


#: a bound of a bracket of amounts, which is no market's value: a real buyers' guide calibrates
#: a clause by « Montant prévisionnel » brackets, « Entre 100 000€ et 199 000 € » … « A partir de
#: 400 000€ »; « compris entre … et … » states a value as a range, and stays
BRACKET_UPPER = caseless(rf"\bentre\s+(?:{NUMBER})\s*(?:€|euros?)?\s*(?:HT\s*)?et\s*$", prefilter=False)
BRACKET_LOWER = caseless(r"\bentre\s*$", prefilter=False)
LOWER_THEN_UPPER = caseless(r"\s*(?:€|euros?)?\s*(?:HT\s*)?et\s+\d", prefilter=False)
THRESHOLD = caseless(r"[àa]\s+partir\s+de\s*$", prefilter=False)
RANGE_STATED = caseless(r"compris\s*$", prefilter=False)


def _bracket_bound(text: str, m: re.Match[str]) -> bool:
    """True for an amount that opens or closes a bracket (« Entre 1€ et 99 000 € »), or is
    a threshold (« A partir de 400 000€ »)."""
    before = text[max(0, m.start() - 60) : m.start()]
    if THRESHOLD.search(before):
        return True
    bound = BRACKET_UPPER.search(before)
    if not bound and (lower := BRACKET_LOWER.search(before)) and LOWER_THEN_UPPER.match(text, m.end()):
        bound = lower
    return bound is not None and not RANGE_STATED.search(before, 0, bound.start())


def estimated_amount(docs: list[Document], lots: list[Lot], max_months: float | None,
                     duration_basis: str | None = None, renewals: int | None = None) -> tuple[float | None, str | None, Found[float] | None]:
    """The market's value over its whole duration, HT, and how it was obtained; an annual
    amount counted over a duration the documents do not write says where it comes from
    (`duration_basis`, « durée selon le registre »); maxima given for fewer periods than the
    `renewals` make say which are left without one."""
    over = f" ({duration_basis})" if duration_basis else ""
    vat = first_match(docs, VAT)
    vat_rate = (parse_number(vat.value.group("n")) or 0.0) / 100 if vat else 0.20  # digits: always a number
    years = max_months / 12 if max_months else None
    if lots and all(lot.amount_ht is not None for lot in lots):
        total = sum(lot.amount_ht or 0.0 for lot in lots)
        annual = any("annuel" in (lot.amount_basis or "") for lot in lots)
        if annual and years:
            return round(total * years, 2), f"somme des {len(lots)} lots (annuelle) × {fmt_number(years)} ans{over}", None
        if not annual:
            return total, f"somme des {len(lots)} lots", None
    for doc in ordered(docs):
        if by_period := _initial_period_maxima(doc, docs, max_months, over):
            return by_period
        cands = amount_candidates(doc)
        if not cands:
            continue
        estimated = [c for c in cands if not c.maximum]
        pool = estimated or cands
        pick = pool[0]
        if pick.maximum:
            maxima = [c for c in cands if c.maximum and c.tax == pick.tax]
            periods = _per_period_sum(doc, maxima)
            per_lot = _per_lot_sum(doc, maxima)
            if periods:
                value, basis = periods[0], "somme des maxima par période de l'accord-cadre" + _unpriced(periods[1], renewals)
            elif per_lot:
                value, basis = per_lot, "somme des maxima des lots"
            else:
                value, basis = pick.value, "maximum de l'accord-cadre"
        elif per_lot := _per_lot_sum(doc, [c for c in estimated if c.tax == pick.tax]):
            # each lot's own estimate (« lot n° 1 … montant estimé 60 000 € HT ; lot n° 2 … »):
            # the first one is lot 1's, not the market's
            value, basis = per_lot, "somme des montants estimés des lots"
        else:
            value, basis = pick.value, "montant estimé"
        if pick.per_year:
            if not years:
                return None, "montant annuel ; durée maximale introuvable", pick.found
            value, basis = value * years, f"{basis} annuel × {fmt_number(years)} ans{over}"
        if pick.tax == "TTC":
            value = value / (1 + vat_rate)
            basis += f", converti de TTC (TVA {fmt_number(vat_rate * 100)} %{'' if vat else ' : taux normal, non écrit dans les documents'})"
        return round(value, 2), basis, pick.found
    return None, None, None


#: the maxima of the first period in a table (an AE of the AWS-achat model: « Période Minimum
#: HT Maximum HT » over « Période initiale 12 500,00 € 75 000,00 € », one table per member of a
#: group of buyers), the same for each renewal when the AE says so
PERIOD_MAXIMA = caseless(
    rf"maximum\s+HT[^\n]*\n[ \t]*p[ée]riode\s+initiale[ \t]+(?:(?:{NUMBER})[ \t]*€[ \t]+)?(?P<n>{NUMBER})[ \t]*€")
SAME_EACH_PERIOD = caseless(r"identiques\s+pour\s+chaque\s+p[ée]riode\s+de\s+reconduction")


def _initial_period_maxima(doc: Document, docs: list[Document], max_months: float | None, over: str = "") -> tuple[float, str, Found[float]] | None:
    """The market's value from the first period's maxima: their sum, times the number of
    periods when every renewal has the same (initial period and maximum duration read in
    the documents, a whole number of periods; `over` says a maximum the register gives); the
    first period's alone otherwise."""
    rows = list(PERIOD_MAXIMA.finditer(doc.text))
    values = [parse_number(m.group("n")) for m in rows]
    if not rows or None in values:
        return None
    total = sum(v for v in values if v is not None)
    basis = "somme des maxima de la période initiale" if len(rows) > 1 else "maximum de la période initiale"
    found = Found(total, doc, rows[0].start("n"), rows[-1].end())
    base = next((b for d in ordered(docs) if (b := initial_months(d.text))), None)
    if not (SAME_EACH_PERIOD.search(doc.text) and max_months and base):
        return total, basis + " (reconductions non comptées)", found
    periods = max_months / base
    if abs(periods - round(periods)) > 0.01 or periods < 1:
        return total, basis + " (reconductions non comptées)", found
    return round(total * round(periods), 2), f"{basis} × {round(periods)} périodes{over}", found


#: the lot a maximum is written under (a BOAMP notice: « Lot no\n2 - transports sur circuits
#: courts\nmontant maximum : 55 000 euro(s) (H.T.) »): the last lot named just before it
LOT_BEFORE = re.compile(r"\blot\s*(?:n[°o]\s*)?(\d{1,2})\b", re.I)
LOT_BEFORE_CHARS = 240


def _per_lot_sum(doc: Document, maxima: list[AmountCandidate]) -> float | None:
    """Maxima written lot by lot add up: in one sentence (« … pour le lot 1 et … pour le lot
    2 »), or each under its own lot, every lot once."""
    by_lot = [c for c in maxima if re.match(r"\s*(?:€|euros?)?\s*(?:HT|TTC)?\s*pour\s+le\s+lot\s+\d", doc.text[c.found.end : c.found.end + 30], re.I)]
    if len(by_lot) >= 2:
        return sum(c.value for c in by_lot)
    under: dict[str, float] = {}
    for c in maxima:
        named = LOT_BEFORE.findall(doc.text[max(0, c.found.start - LOT_BEFORE_CHARS) : c.found.start])
        if not named or named[-1] in under:
            return None  # a maximum under no lot, or a lot with two: not one maximum per lot
        under[named[-1]] = c.value
    return sum(under.values()) if len(under) >= 2 else None


def _per_period_sum(doc: Document, maxima: list[AmountCandidate]) -> tuple[float, int] | None:
    """Maxima stated per contractual period (initial + renewals) add up: their sum and how
    many periods they price."""
    periods = [c for c in maxima if re.search(r"p[ée]riode|reconduction|ferme", doc.text[max(0, c.found.start - 300) : c.found.end + 60], re.I)]
    if len(periods) >= 2:
        return sum(c.value for c in periods), len(periods)
    return None


def _unpriced(priced: int, renewals: int | None) -> str:
    """What the sum leaves out when the documents price fewer periods than the market has: a
    real AE (CIAS de la Ténarèze) gives the maxima of the initial period and of « la période de
    reconduction n°1 » of an accord-cadre « renouvelable 3 fois »; the sum is then a floor, and
    the buyer is told which periods to price."""
    if not renewals or priced >= renewals + 1:
        return ""
    left = renewals + 1 - priced
    return (f" ; maxima écrits pour {priced} des {renewals + 1} périodes (reconductible {renewals} fois) : "
            f"{left} période{'s' if left > 1 else ''} sans maximum, non comptée{'s' if left > 1 else ''}")


# --------------------------------------------------------------------------- dates, terms


def consultation_date(docs: list[Document]) -> tuple[date | None, str | None, Found[date] | None]:
    """The consultation's date, with which one it is: the offers' deadline, else the notice's
    publication (obligations that came into force on a date, such as the climate law's, are
    checked against it)."""
    for rx, basis in ((DEADLINE, "date limite de réception des offres"), (PUBLICATION, "date de publication de l'avis")):
        for doc in ordered(docs):
            for m in rx.finditer(doc.text):
                d = parse_date(doc.text[m.end() : m.end() + 120])
                if d:
                    return d, basis, Found(d, doc, m.start(), m.end())
    return None, None, None


def apply_given(facts: Facts, given: GivenFacts) -> None:
    """Put what is given with the documents in the facts read from them."""
    if given.consultation_date is not None:
        give_consultation_date(facts, given.consultation_date)
    elif given.notified is not None and facts.consultation_date is None:
        notified_before(facts, given.notified)
    if given.estimated_amount_ht is not None:
        give_amount(facts, given.estimated_amount_ht, GIVEN_AMOUNT)
    elif given.notified_amount_ht is not None and facts.estimated_amount_ht is None:
        give_amount(facts, given.notified_amount_ht, NOTIFIED_AMOUNT)
    if given.buyer and facts.buyer is None:
        facts.buyer, facts.buyer_basis = given.buyer, REGISTER_BUYER
    if given.procedure and facts.procedure is None and (kind := procedure_kind(given.procedure)):
        facts.procedure, facts.procedure_label, facts.procedure_basis = kind, given.procedure, REGISTER_PROCEDURE
    if given.object and facts.object is None:
        facts.object, facts.object_basis = _short_object(given.object), REGISTER_OBJECT


#: the basis of what a register gives for a DCE that does not say it
REGISTER_BUYER = "acheteur nommé par le registre"
REGISTER_PROCEDURE = "procédure selon le registre"
REGISTER_OBJECT = "objet selon le registre"
REGISTER_DURATION = "durée selon le registre"


def _short_object(text: str) -> str:
    """A register's object on one line, cut between words past `MAX_OBJECT` characters as the
    documents' is (« … » marks the cut): a register's cell may hold a whole description."""
    text = " ".join(text.split())
    if len(text) <= MAX_OBJECT or " " not in text[:MAX_OBJECT]:
        return text[:MAX_OBJECT]
    return _cut_at_word(text) + " …"


def _cut_at_word(text: str) -> str:
    """The text up to its last space within `MAX_OBJECT` characters, without the punctuation
    before it: where an object too long for a heading is cut (the documents' or a register's)."""
    return text[: text.rstrip()[:MAX_OBJECT].rfind(" ")].rstrip(" ,:-–")


def procedure_kind(wording: str) -> Procedure | None:
    """The kind of a procedure named alone, as a register names it (the DECP's « Procédure
    adaptée », « Appel d'offres ouvert », « Marché passé sans publicité ni mise en concurrence
    préalable », « Procédure avec négociation », or abbreviated: « AOO », « MAPA »); None for a
    wording no kind fits (a concession's « Procédure négociée ouverte »)."""
    kind = next((kind for rx, kind in PROCEDURES if rx.search(wording)), None)
    if kind is None and REGISTER_TENDER.match(wording):
        return "formalisee"
    return kind


#: an appel d'offres as buyers abbreviate it in their registers: « AOO » opens 38 market
#: numbers of a real DECP file (« 2018AOO0412/0200 », beside « 2018MAPA062/0100 ») and a real
#: notice's reference (« AOO - GEOMETRE »); « AOR » the restricted one.  Read at the start of
#: a register's cell only: in a DCE, « AOR » is the maître d'œuvre's « assistance aux
#: opérations de réception » (a real TED notice)
REGISTER_TENDER = re.compile(r"\s*(?:AOO|AOR)\b", re.IGNORECASE)


def give_amount(facts: Facts, amount: float, basis: str) -> None:
    """Put an amount given beside the documents in the facts: the buyer's estimate (a draft
    DCE seldom writes it; 10 of the 18 real DCEs of ../shared/real write none, so their
    scope and the advance owed above 50 000 € HT were undecided), or a register's.  The
    documents' own amount, when another, stays in view in the basis."""
    if facts.estimated_amount_ht is not None and facts.estimated_amount_ht != amount:
        basis += f" ; les documents donnent {fmt_count(facts.estimated_amount_ht)} € HT ({facts.amount_basis})"
        facts.evidence.pop("estimated_amount_ht", None)  # it quotes the other amount
    facts.estimated_amount_ht, facts.amount_basis, facts.amount_stated = amount, basis, None


def give_consultation_date(facts: Facts, day: date) -> None:
    """Put the date the user gives in place of the documents' one.

    A draft DCE checked before publication leaves its deadline blank (« Date limite de
    réception des offres : … ») and says no date at all: the loi Climat obligations, in
    force for consultations launched from 22 August 2026, were « indéterminé » for want of
    one.  The buyer knows when it will be published; a date they give wins over the
    documents' (a model's old date, say), which the basis keeps in view.
    """
    basis = GIVEN_DATE
    if facts.consultation_date is not None and facts.consultation_date != day:
        basis += f" ; les documents donnent le {facts.consultation_date:%d/%m/%Y} ({facts.consultation_date_basis})"
        facts.evidence.pop("consultation_date", None)  # it quotes the other date
    facts.consultation_date, facts.consultation_date_basis = day, basis


def notified_before(facts: Facts, notified: date) -> None:
    """A market is notified after its consultation: the register's notification date is a
    day the consultation came before, when the documents write no date of their own (a DCE
    archived without its RC).  A repealed law they cite may place it earlier still: the
    earlier day is kept."""
    if facts.consultation_before is not None and facts.consultation_before <= notified:
        return
    facts.consultation_before, facts.consultation_before_basis = notified, NOTIFIED_BASIS
    facts.evidence.pop("consultation_before", None)


#: the law a DCE cites dates it when no date is written: the Code des marchés publics (« Articles
#: 33 et 57 à 59 du Code des Marchés publics », a real CCTP) was repealed on 1 April 2016 by the
#: ordonnance 2015-899, which with the décret 2016-360 (« l'article 38 de l'ordonnance n°
#: 2015-899 », a real model clause) was repealed on 1 April 2019 by the code de la commande
#: publique.  The former code is known by its numbered articles: a loose « code des marchés
#: publics » said of today's code dates nothing.
FORMER_LAWS = [
    (caseless(r"\barticles?\s+\d{1,3}(?:\s*(?:,|et|à)\s*\d{1,3})*\s+du\s+code\s+des\s+march[ée]s\s+publics"),
     date(2016, 4, 1), "le DCE cite le code des marchés publics, abrogé à cette date"),
    (caseless(r"\bordonnance\s+(?:n[°o]\s*)?2015-899\b"), date(2019, 4, 1), "le DCE cite l'ordonnance 2015-899, abrogée à cette date"),
    (caseless(r"\bd[ée]cret\s+(?:n[°o]\s*)?2016-360\b"), date(2019, 4, 1), "le DCE cite le décret 2016-360, abrogé à cette date"),
]


def consultation_before(docs: list[Document]) -> Found[tuple[date, str]] | None:
    """The day the consultation came before, from the repealed law its documents cite (the
    earliest such day): its value is (day, why)."""
    found = []
    for rx, day, why in FORMER_LAWS:
        if m := first_match(docs, rx):
            found.append(Found((day, why), m.doc, m.start, m.end))
    return min(found, key=lambda f: f.value[0], default=None)


def dce_date(docs: list[Document]) -> Found[tuple[date, str]] | None:
    """The latest date a document of the DCE bears beside its name (its last edition, the
    nearest to the consultation): its value is (day, the date as written)."""
    found = []
    for doc in docs:
        if not doc.mentions("dce", "dossier de consultation"):
            continue
        for m in DCE_DATE.finditer(doc.text):
            day = dce_edition(m)
            if day is not None:
                found.append(Found((day, " ".join(m.group("when").lower().split())), doc, m.start(), m.end()))
    return max(found, key=lambda f: f.value[0], default=None)


def payment_delay(docs: list[Document]) -> Found[int] | None:
    """The payment delay in days (delivery, validity or execution delays are skipped: they use the same words)."""
    for doc in ordered(docs):
        for rx in PAYMENT:
            for m in rx.finditer(doc.text):
                if re.search(r"livraison|validit[ée]|ex[ée]cution|r[ée]ponse", m.group(0), re.I):
                    continue
                n = parse_number(m.group("n"))
                if n:
                    return Found(int(n), doc, m.start(), m.end())
    return None


#: the advance's rate for an SME, which the law raises (R2191-7): « Ce taux est fixé à 10,00 %
#: lorsque le titulaire du marché public est une petite et moyenne entreprise » (the State's CCAP
#: model, in a real CCAP), or « … porté à 20 % lorsque le titulaire est une petite ou moyenne
#: entreprise »
ADVANCE_SME = caseless(
    rf"\b(?:ce\s+taux|le\s+taux\s+de\s+l['’]avance|le\s+montant\s+de\s+l['’]avance)\s+est\s+(?:fix[ée]|port[ée])\s+[àa]\s+(?P<n>{NUMBER})\s*%"
    r"[^.;]{0,40}?\b(?:lorsque|si|quand)\s+le\s+titulaire[^.;]{0,60}?\b(?:petites?\s+(?:et|ou)\s+moyennes?\s+entreprises?|PME)\b"
)


def advance_for_sme(docs: list[Document]) -> Found[float] | None:
    """The advance's rate (%) when the holder is an SME, if the documents set one."""
    m = first_match(docs, ADVANCE_SME)
    rate = parse_number(m.value.group("n")) if m else None
    return Found(rate, m.doc, m.start, m.end) if m and rate is not None and 0 < rate <= 60 else None


def advance(docs: list[Document]) -> tuple[float | None, bool | None, Found[object] | None]:
    """The advance: (rate in %, granted or not, where); a rate above 60 % is no advance rate."""
    for doc in ordered(docs):
        m = ADVANCE_RATE.search(doc.text)
        if m:
            rate = parse_number(m.group("n") or m.group("n2"))
            if rate is not None and 0 < rate <= 60:
                return rate, True, Found(rate, doc, m.start(), m.end())
    none = first_match(docs, ADVANCE_NONE)
    if none:
        return None, False, none
    yes = first_match(docs, ADVANCE_YES)
    if yes:
        return None, True, yes
    return None, None, None


def retenue(docs: list[Document]) -> tuple[float | None, Found[float] | None]:
    """The retenue de garantie in %: 0 when the documents say there is none; a rate above 10 % is not one."""
    for doc in ordered(docs):
        none = RETENUE_NONE.search(doc.text)
        m = RETENUE_RATE.search(doc.text)
        if m and not (none and none.start() < m.start() < none.end() + 20):
            rate = parse_number(m.group("n"))
            if rate is not None and 0 < rate <= 10:
                return rate, Found(rate, doc, m.start(), m.end())
        if none:
            return 0.0, Found(0.0, doc, none.start(), none.end())
    return None, None


#: a CCAG said not to apply: « Le présent marché n'est pas soumis aux dispositions du CCAG
#: Travaux » (a real answer to a candidate who asked for it), « ne s'applique pas »
CCAG_NOT_APPLIED = caseless(
    r"n['’]\s*est\s+pas\s+soumis|ne\s+(?:sont|est)\s+pas\s+applicables?|ne\s+s['’]\s*applique(?:nt)?\s+pas"
    r"|n['’]\s*est\s+pas\s+fait\s+r[ée]f[ée]rence|aucun\s+CCAG|sans\s+r[ée]f[ée]rence\s+(?:au|à\s+un)",
    prefilter=False,
)


def ccag(docs: list[Document]) -> Found[str] | None:
    """The CCAG the market refers to, by its usual short name; not one its sentence says
    does not apply."""
    for doc in ordered(docs):
        if not doc.mentions("ccag", "clauses administratives g"):
            continue
        for m in CCAG.finditer(doc.text):
            if _ccag_not_applied(doc.text, m):
                continue
            key = (m.group("short") or m.group("long") or "").lower()
            key = key.replace("é", "e").replace("è", "e").replace("î", "i").replace("œ", "oe").replace("’", "'")
            for k, v in CCAG_NAMES.items():
                if key.startswith(k):
                    return Found(v, doc, m.start(), m.end())
    return None


def _ccag_not_applied(text: str, m: re.Match[str]) -> bool:
    """Whether the sentence around a CCAG's name says it does not apply."""
    start = max(text.rfind(".", 0, m.start()), text.rfind("\n\n", 0, m.start()), m.start() - 120) + 1
    end = text.find(".", m.end())
    end = min(end if end >= 0 else len(text), m.end() + 80)
    return CCAG_NOT_APPLIED.search(text[start:end]) is not None


#: the fallback's words, counted over whole documents only when neither « marché de … » nor
#: the object says the nature (none of the real DCEs): out of the Hyperscan pass, whose reports
#: of « prestations » alone outnumbered those of the patterns it serves
NATURE_WORDS: dict[Nature, Caseless] = {
    "travaux": caseless(r"\b(chantier|DPGF|ma[çc]onnerie|gros\s+(œ|oe)uvre|charpente|couverture|pl[âa]trerie|menuiseries?|VRD|d[ée]molition|travaux|ouvrages?)\b", prefilter=False),
    "fournitures": caseless(r"\b(fournitures?|livraison|acquisition|achat|mat[ée]riels?|[ée]quipements?|denr[ée]es)\b", prefilter=False),
    "services": caseless(r"\b(prestations?|maintenance|nettoyage|gardiennage|surveillance|assistance|accompagnement|conseil|transport|TMA|intervention)\b", prefilter=False),
}


def nature(docs: list[Document]) -> Found[Nature] | None:
    """Works, supplies or services: an explicit "marché de …" first, then the object's
    words, else the vocabulary of the documents."""
    for tier in (NATURE_EXPLICIT, NATURE_OBJECT):
        for doc in ordered(docs):
            best = None
            for rx, kind in tier:
                m = rx.search(doc.text)
                if m and (best is None or m.start() < best.start):
                    best = Found(kind, doc, m.start(), m.end())
            if best:
                return best
    counts = {kind: sum(len(rx.findall(d.text)) for d in docs) for kind, rx in NATURE_WORDS.items()}
    kind = max(counts, key=counts.__getitem__)
    if not counts[kind]:
        return None
    doc = ordered(docs)[0]
    m = NATURE_WORDS[kind].search(doc.text) or NATURE_WORDS[kind].search(" ".join(d.text for d in docs))
    return Found(kind, doc, m.start(), m.end()) if m and m.end() <= len(doc.text) else Found(kind, doc, 0, 0)


def allotment(docs: list[Document], lots: list[Lot]) -> tuple[bool | None, bool | None, Found[re.Match[str]] | None]:
    """(allotted, non-allotment justified, where): a market without lots must say why (L. 2113-11)."""
    if lots:
        return True, None, None
    m = first_match(docs, NOT_ALLOTTED)
    if m:
        window = m.doc.text[max(0, m.start - 200) : m.end + 400]
        return False, bool(JUSTIFIED.search(window)), m
    lot = first_match(docs, LOT_TITLE)
    if lot and int(lot.value.group("n")) >= 2:
        return True, None, lot
    said = first_match(docs, ALLOTTED_SAID)
    count = lots_announced(said)  # none for « Prestations divisées en lots : oui »
    if said and (count is None or count >= 2):
        return True, None, said
    return None, None, None


def lots_announced(found: Found[re.Match[str]] | None) -> int | None:
    """The number of lots a sentence announces (« comporte 7 lots »), None when it gives none."""
    m = found.value if found is not None and isinstance(found.value, re.Match) else None
    count = m.groupdict().get("count") if m else None
    value = parse_number(count) if count else None
    return int(value) if value else None


def variants(docs: list[Document]) -> tuple[bool | None, Found[re.Match[str]] | None]:
    """Whether variants are allowed: when the documents disagree, the one read first (RC before CCAP) wins."""
    no = first_match(docs, VARIANTS_NO)
    yes = first_match(docs, VARIANTS_YES)
    if no and (not yes or DOC_ORDER.get(no.doc.kind, 9) <= DOC_ORDER.get(yes.doc.kind, 9)):
        return False, no
    if yes:
        return True, yes
    return None, None


#: the joint and several form imposed on groups: « après attribution du marché à un groupement, la
#: personne publique impose la forme d'un groupement solidaire » (a real notice), the notices' field
#: « Forme juridique que devra revêtir le groupement … : groupement solidaire », « le groupement
#: attributaire devra prendre la forme d'un groupement solidaire »
GROUP_SOLIDARY = caseless(
    r"impos\w*\s+(?:la\s+forme\s+d['’]un\s+)?groupement\s+solidaire"
    r"|groupement\s+solidaire\s+(?:est\s+|sera\s+)?(?:exig|impos|obligatoire)"
    r"|(?:devra|doit|doivent|devront)\s+(?:prendre|rev[êe]tir|adopter)\s+la\s+forme\s+d['’]un\s+groupement\s+solidaire"
    r"|forme\s+juridique\s+que\s+devra\s+rev[êe]tir\s+le\s+groupement[^:\n]{0,80}:\s*(?:un\s+|le\s+)?groupement\s+solidaire"
)
#: the form left to the groups (real RCs, notices, a contract): « ne souhaite imposer aucune forme de
#: groupement », « Aucune forme de groupement imposée », « La forme du groupement n'est pas imposée »,
#: « n'exige pas que les groupements d'opérateurs économiques adoptent une forme juridique
#: déterminée », « sous forme de groupement conjoint ou solidaire », « celui-ci peut être solidaire
#: ou conjoint », « la forme d'un groupement solidaire ou d'un groupement conjoint »
GROUP_FREE = caseless(
    r"impos\w*\s+aucune\s+forme|aucune\s+forme\s+(?:juridique\s+)?de\s+groupement\s+(?:n['’]est\s+)?impos"
    r"|forme\s+(?:juridique\s+)?du\s+groupement\s+n['’]est\s+pas\s+impos"
    r"|n['’]exige\s+pas\s+que\s+les\s+groupements[^.;]{0,80}?forme\s+juridique"
    r"|groupement\s+conjoint\s+ou\s+(?:d['’]un\s+groupement\s+)?solidaire"
    r"|groupement\s+solidaire\s+ou\s+(?:d['’]un\s+groupement\s+)?conjoint"
    r"|(?:peut|peuvent)\s+[êe]tre\s+(?:solidaire\s+ou\s+conjoint|conjoint\s+ou\s+solidaire)"
)
#: « ne pas imposer la forme d'un groupement solidaire »: the imposition denied
DENIED = re.compile(r"(?:\bpas|\bne|\bn['’]|\bsans|\baucune?)\s*$", re.I)


def group_solidarity(docs: list[Document]) -> tuple[bool | None, Found[re.Match[str]] | None]:
    """Whether the joint and several form is imposed on groups (True), left to them (False) or
    not said (None); an imposition wins over a sentence leaving the form free elsewhere (« sous
    forme de groupement conjoint ou solidaire » at application, solidary once awarded)."""
    denied = None
    for doc in ordered(docs):
        for m in GROUP_SOLIDARY.finditer(doc.text):
            if not DENIED.search(doc.text, max(0, m.start() - 25), m.start()):
                return True, Found(m, doc, m.start(), m.end())
            denied = denied or Found(m, doc, m.start(), m.end())
    free = first_match(docs, GROUP_FREE) or denied
    return (False, free) if free else (None, None)


#: the exclusions on environmental or social grounds the Référentiel 2025 lists (glossary
#: « Exclusions pour motif environnemental ou social »): no plan de vigilance (CCP L2141-7-1), no
#: greenhouse-gas report (L2141-7-2), no sustainability information (ordonnance 2023-1142,
#: art. 36).  Their articles say it alone; their words only beside an exclusion (EXCLUDING), as
#: « vigilance » opens the URSSAF's « attestation de vigilance » every DCE asks for, and a CCTP
#: may ask the holder for a report of its emissions
EXCLUSION_ARTICLES = caseless(r"\bL\.?\s*2141-7-[12]\b")
EXCLUSION_GROUNDS = caseless(
    r"(?:plan|devoir)\s+de\s+vigilance"
    r"|bilan\s+(?:de\s+(?:leurs|ses)\s+|des\s+|d['’]\s*)?[ée]missions\s+de\s+gaz\s+[àa]\s+effet\s+de\s+serre"
    r"|informations\s+en\s+mati[èe]re\s+de\s+durabilit[ée]|ordonnance\s+n[°o]?\s*2023-1142"
)
EXCLUDING = re.compile(r"\bexclu(?:e?s?|t|re|sions?|ant)\b|interdiction\s+de\s+soumissionner", re.I)  # not « exclusivement »
#: how far from an exclusion ground its exclusion is written (a sentence, or an article's heading)
EXCLUSION_REACH = 300


#: the optional exclusions' articles cited in a block, as the candidates' sworn statement of real
#: RCs and notices does (« aucun cas mentionné aux articles L2141-1 à L2141-5 et L2141-7 à
#: L2141-11 », « L. 2141-1 à L.2141-14 »): a range over L2141-7-1 and L2141-7-2 that names neither
EXCLUSION_RANGE = caseless(r"\bL\.?\s*2141-(?P<first>\d{1,2})\s+(?:à|au)\s+L\.?\s*2141-(?P<last>\d{1,2})\b")


def exclusions(docs: list[Document]) -> tuple[bool | None, Found[re.Match[str]] | None]:
    """True with where, when the DCE writes an exclusion on environmental or social grounds;
    False when it only cites the optional exclusions' articles in a block (a sworn statement
    every DCE asks for: the Référentiel asks for the exclusions themselves); None otherwise
    (that no piece writes one is the check's to say, with the pieces given)."""
    article = first_match(docs, EXCLUSION_ARTICLES)
    if article:
        return True, article
    for doc in ordered(docs):
        for m in EXCLUSION_GROUNDS.finditer(doc.text):
            if EXCLUDING.search(doc.text, max(0, m.start() - EXCLUSION_REACH), m.end() + EXCLUSION_REACH):
                return True, Found(m, doc, m.start(), m.end())
    for doc in ordered(docs):
        for m in EXCLUSION_RANGE.finditer(doc.text):
            if int(m["first"]) <= 7 < int(m["last"]):
                return False, Found(m, doc, m.start(), m.end())
    return None, None


#: a DCE's own declaration of its clauses: a line of the summary box of the State's models
#: (« L'essentiel du contrat », « … de la procédure », « … de l'acte d'engagement »), where the
#: label may wrap (« Clauses\nenvironnementales Avec ») and a tab may part label and value, or
#: an article « Clauses sociales : sans objet » (a full stop after it, as a sentence).  The
#: label opens the line and the value, in capitals as the box writes it, closes it: prose
#: (« des clauses sociales avec un volume… ») never matches.
DECLARED_CLAUSES = re.compile(
    r"^[ \t]*(?:Clauses?|CLAUSES?)\s+(?P<domain>[Ss]ociales?|SOCIALES?|[Ee]nvironnementales?|ENVIRONNEMENTALES?)"
    r"[ \t]*:?[ \t]*(?:(?P<value>Avec|AVEC|Sans|SANS|Oui|OUI|Non|NON)|(?P<none>[Ss]ans objet|SANS OBJET))[ \t]*\.?[ \t]*$",
    re.M,
)


def declared_clauses(docs: list[Document]) -> dict[str, list[Found[bool]]]:
    """The DCE's own declarations of social and environmental clauses, by domain ("social",
    "env"), in fact order (RC first, whose declaration is the market's): True for « Avec »,
    False for « Sans » or « sans objet »; one per document (the RC, CCAP and AE of the State's
    models each carry the box, and may disagree)."""
    out: dict[str, list[Found[bool]]] = {}
    for doc in ordered(docs):
        if "lauses" not in doc.text and "LAUSES" not in doc.text:
            continue
        for m in DECLARED_CLAUSES.finditer(doc.text):
            domain = "social" if m.group("domain")[0] in "sS" else "env"
            start = m.start() + len(m.group()) - len(m.group().lstrip())
            said = out.setdefault(domain, [])
            if not any(f.doc is doc for f in said):
                said.append(Found(declared_value(m), doc, start, m.end()))
    return out


def declared_value(m: re.Match[str]) -> bool:
    """True for « Avec » (or « Oui »), False for « Sans », « Non » or « sans objet »."""
    value = m.group("value")
    return bool(value) and value.lower() in ("avec", "oui")


ORDER_FORMS = caseless(r"bons?\s+de\s+commande")
#: the technique said in so many words (real DCEs): « accord-cadre à bons de commande », « marché
#: fractionné à bons de commande », « PRESTATIONS A BONS DE COMMANDE », « s'exécutant par bons de
#: commandes », « exécuté par émission de bons de commande », « s'exécute par la passation de bons de
#: commande », « s'exécutent par émission et transmission au Titulaire de bons de commande »,
#: « exécute au moyen de bons de commande »
ORDER_FORMS_SAID = caseless(
    r"\b[àa]\s+bons?\s+de\s+commandes?"
    r"|ex[ée]cut\w*\s+(?:au\s+moyen\s+de|par)\s+(?:(?:l['’]\s*|la\s+)?(?:[ée]mission|passation|transmission)\s+"
    r"(?:(?:et|au|de|du|des|d['’])\s*\w+\s+){0,4}?(?:de\s+|des\s+)?)?bons?\s+de\s+commandes?"
)
FRAMEWORK_AGREEMENT = caseless(r"accords?[- ]cadres?")
#: « Il s'agit d'un marché ordinaire » (a real RC, whose CCAP speaks of « montant HT du bon de commande »);
#: « La notification du marché vaudra commande pour une livraison et installation » (a real CCAP
#: for two engines: one order, the market itself), not that of a firm tranche
ORDINARY = caseless(
    r"march[ée]\s+ordinaire"
    r"|notification\s+du\s+march[ée]\s+(?:public\s+)?va(?:ut|udra)\s+commande(?!\s+(?:de|pour)\s+la\s+tranche)"
)
#: « marchés subséquents », « Chaque marché subséquent », « marché(s) subséquent(s) » (a BOAMP notice)
SUBSEQUENT = caseless(r"march[ée](?:s|\(s\))?\s+subs[ée]quent")


def framework(docs: list[Document]) -> tuple[str | None, Found[re.Match[str]] | None]:
    """The framework agreement's form: order forms, subsequent markets, or both (« mixte »).

    Order forms are the technique when the DCE says so (« accord-cadre à bons de commande »),
    or speaks of them in a framework agreement; a « bon de commande » alone is the order of an
    ordinary market as well (« à compter de l'envoi du bon de commande », a real CCAP for two
    engines), and a DCE that declares an ordinary market has none."""
    bdc = first_match(docs, ORDER_FORMS_SAID)
    if bdc is None and not first_match(docs, ORDINARY) and first_match(docs, FRAMEWORK_AGREEMENT):
        bdc = first_match(docs, ORDER_FORMS)
    sub = first_match(docs, SUBSEQUENT)
    if bdc and sub:
        return "mixte", bdc
    if bdc:
        return "bons_de_commande", bdc
    if sub:
        return "marches_subsequents", sub
    return None, None


#: « Tranche ferme d'une durée de deux ans » and « Tranche optionnelle n°3 relative aux prestations
#: de réversibilité » (a real RC), « une tranche ferme et deux tranches optionnelles », « -Tranche
#: optionnelle no 2 » (a BOAMP notice); conditional tranches are the optional ones of the old code
FIRM_TRANCHE = caseless(r"\btranche\s+ferme\b")
OPTIONAL_TRANCHES = caseless(
    rf"\b(?P<count>\d{{1,2}}|{WORD_RE})\s+tranches\s+(?:optionnelles|conditionnelles)"
    r"|\btranche\s+(?:optionnelle|conditionnelle)\s*(?:n\s*[°o]\.?|num[ée]ro)\s*(?P<rank>\d{1,2})\b"
    r"|\btranche\s+(?:optionnelle|conditionnelle)\b"
)


def tranches(docs: list[Document]) -> tuple[int | None, Found[re.Match[str]] | None]:
    """The optional tranches of a market in tranches: the count said, else the highest rank
    numbered, else one; None without a firm tranche (no market in tranches)."""
    firm = first_match(docs, FIRM_TRANCHE)
    if firm is None:
        return None, None
    doc = firm.doc
    count = 0
    for m in OPTIONAL_TRANCHES.finditer(doc.text):
        if m.group("count"):
            count = max(count, int(parse_number(m.group("count")) or 0))
        else:
            count = max(count, int(m.group("rank") or 1))
    return count, firm


#: the market declared a framework agreement, in the notices' and DCEs' words (« L'avis implique
#: l'établissement d'un accord-cadre. Accord-cadre avec un seul opérateur. », a BOAMP notice; « Le
#: marché prend la forme d'un accord cadre », a CCAP; « Le présent accord-cadre est conclu », an AE),
#: not « la notification du marché public ou de l'accord-cadre » the notices and CCAPs all write
AGREEMENT_SAID = caseless(
    r"implique\s+l['’]\s*[ée]tablissement\s+d['’]\s*un\s+accords?[- ]cadres?"
    r"|accords?[- ]cadres?\s+avec\s+(?:un\s+seul|plusieurs)\s+op[ée]rateurs?"
    r"|(?:prend|a)\s+la\s+forme\s+d['’]\s*un\s+accords?[- ]cadres?"
    r"|\b(?:le\s+pr[ée]sent|cet)\s+accord[- ]cadre\b"
    r"|dur[ée]e\s+de\s+l['’]\s*accord[- ]cadre"
)


#: the box a BOAMP notice ticks for a market that is no framework agreement (« L'avis implique un
#: marché public. », six real notices; the others write « l'établissement d'un accord-cadre »)
NOTICE_PUBLIC_MARKET = caseless(r"l['’]\s*avis\s+implique\s+un\s+march[ée]\s+public\b")


def framework_agreement(docs: list[Document]) -> tuple[bool | None, Found[re.Match[str]] | None]:
    """True when the documents declare a framework agreement (its form said or not); False
    when a notice ticks « un marché public » and nothing gives an agreement's form: a real
    notice ticks it and then describes an « accord-Cadre à bons de commande et/ou
    marché(s) subséquent(s) », and the description wins."""
    said = _stated(docs, AGREEMENT_SAID)
    if said[0]:
        return said
    notice = first_match(docs, NOTICE_PUBLIC_MARKET)
    if notice and framework(docs)[0] is None:
        return False, notice
    return None, None


def ordinary_market(docs: list[Document]) -> tuple[bool | None, Found[re.Match[str]] | None]:
    """True when the DCE declares an ordinary market (neither framework agreement nor tranches),
    or makes its notification the order."""
    return _stated(docs, ORDINARY)


def _stated(docs: list[Document], rx: Searcher) -> tuple[bool | None, Found[re.Match[str]] | None]:
    """(True, where) when the documents say it; (None, None) when they do not (not « no »)."""
    found = first_match(docs, rx)
    return (True, found) if found else (None, None)


#: penalties with no figure of their own: a formula (« Le montant des pénalités est égal à valeur
#: de base du bon de commande x nombre de jours de retard / 1000 », a real CCAP; the CCAGs' « P =
#: V x R / 1000 »), or the CCAG's article (« Les pénalités sont appliquées conformément à l'article
#: 14 du CCAG-FCS », « pénalités telles que prévues par l'article 14 du CCAG-FCS », a real CCP;
#: « les pénalités et réfactions applicables sont décrites à l'article 10 du CCTP », a real CCAP);
#: from the last « pénalités » before it, not from the heading « Pénalités » above the sentence
PENALTY_WITHOUT_FIGURE = caseless(
    r"p[ée]nalit[ée]s?\b(?:(?!p[ée]nalit)[^.]){0,40}?\s(?:est|sont)\s+(?:égale?s?\s+[àa]|calcul[ée]e?s?\s+(?:selon|par|suivant))[^.]{0,160}?/\s*1\s?000\b"
    r"|p[ée]nalit[ée]s\b(?:(?!p[ée]nalit)[^.]){0,60}?(?:conform[ée]ment\s+[àa]|pr[ée]vues?\s+(?:[àa]|par)|selon|d[ée]crites?\s+[àa])\s+l['’]\s*article\s+\d+(?:\.\d+)*"
    r"\s+du\s+(?:CCAG(?:-\w+)?|CCTP|CCAP)\b"
)


def penalties(docs: list[Document], limit: int = 12) -> list[Penalty]:
    """Penalties the documents set, at most `limit`, each with its amount, unit and wording;
    those set by a formula or by the CCAG's article have no amount."""
    out: list[Penalty] = []
    for doc in ordered(docs):
        for m in PENALTY_WITHOUT_FIGURE.finditer(doc.text):
            label = " ".join(doc.text[m.start() : m.end()].split())
            out.append(Penalty(label=label[:160], evidence=[evidence_at(doc, m.start(), m.end())]))
            if len(out) >= limit:
                return out
        for m in PENALTY.finditer(doc.text):
            raw = m.group("n")
            amount = parse_number(raw) if "/" not in raw else None
            if amount is None and "/" not in raw:
                continue
            if "/" not in raw and not m.group("unit") and not m.group("per"):
                continue  # a number with nothing that makes it a sum: « Pénalités 9.1 – Pénalités de retard », a heading
            unit = "€" if (m.group("unit") or "").startswith(("€", "euro")) else _unit_words(doc.text, m)
            label = " ".join(doc.text[m.start() : m.end()].split())
            out.append(Penalty(label=label[:160], amount=amount, unit=unit, evidence=[evidence_at(doc, m.start(), m.end())]))
            if len(out) >= limit:
                return out
    return out


def _unit_words(text: str, m: re.Match[str]) -> str | None:
    """The words after a penalty's figure (« % du montant HT du marché »), on one line, without
    the word the length limit of the pattern cut in two."""
    words = (m.group("unit") or "").split()
    end = m.end("unit")
    if words and end < len(text) and text[end].isalnum():
        words = words[:-1]
    return " ".join(words) or None


PENALTY_UNCAPPED = caseless(
    r"p[ée]nalit[ée]s[^.]{0,80}?(?:n['’](?:est|sont)\s+pas|ne\s+(?:sont|seront)\s+pas)\s+plafonn|"
    r"p[ée]nalit[ée]s[^.]{0,80}?sans\s+plafond|d[ée]rog\w+[^.]{0,120}?plafon\w+\s+des\s+p[ée]nalit",
)
PENALTY_CAPPED = caseless(
    r"p[ée]nalit[ée]s[^.]{0,120}?(?:(?:est|sont|seront)\s+|,\s*)(?:plafonn|limit)[ée]e?s?\s+[àa]\s+(?P<n>\d+(?:[,.]\d+)?)\s*%|"
    r"p[ée]nalit[ée]s[^.]{0,120}?ne\s+(?:peut|peuvent|pourra|pourront)\s+(?:pas\s+)?(?:exc[ée]der|d[ée]passer)\s+(?P<n2>\d+(?:[,.]\d+)?)\s*%|"
    r"plafond\s+des\s+p[ée]nalit[ée]s[^.]{0,40}?(?P<n3>\d+(?:[,.]\d+)?)\s*%",
)


def penalty_cap(docs: list[Document]) -> Found[tuple[bool, float | None]] | None:
    """Whether the documents cap the penalties (value: (capped, rate %)).

    The CCAG 2021 cap late penalties at 10 % of the market; a CCAP may derogate ("le montant
    des pénalités n'est pas plafonné") or write its own cap, which is what we read here.
    """
    for doc in ordered(docs):
        m = PENALTY_UNCAPPED.search(doc.text)
        if m:
            return Found((False, None), doc, m.start(), m.end())
    for doc in ordered(docs):
        m = PENALTY_CAPPED.search(doc.text)
        if m:
            rate = parse_number(m.group("n") or m.group("n2") or m.group("n3"))
            return Found((True, rate), doc, m.start(), m.end())
    return None


# --------------------------------------------------------------------------- all facts


def read_facts(docs: list[Document], max_months: float | None, facts: Facts | None = None) -> Facts:
    """Every fact of the market read from its documents."""
    facts = facts or Facts()
    ev = facts.evidence

    def keep(name: str, found: Found[object] | None) -> None:
        if found is not None:
            ev[name] = [found.evidence()]

    proc = procedure(docs)
    if proc:
        facts.procedure = proc.value
        facts.procedure_label = proc.label
        keep("procedure", proc)
    table_lots = next((lots for d in ordered(docs) if (lots := lots_from_tables(d))), [])
    if table_lots and all(_named(lot) for lot in table_lots):
        lots = table_lots
    else:
        lots = merge_lots(table_lots, best_text_lots(docs)) or lots_by_document(docs)
    facts.lots = lots
    found: Found[object] | None  # where each fact below was read, whatever its value
    facts.allotted, facts.single_lot_justified, found = allotment(docs, lots)
    facts.lots_announced = None if lots else lots_announced(found)
    keep("allotted", found)
    amount, basis, found = estimated_amount(docs, lots, max_months, facts.duration_basis, facts.renewals)
    facts.estimated_amount_ht, facts.amount_basis = amount, basis
    keep("estimated_amount_ht", found)
    nat = nature(docs)
    if nat:
        facts.nature = nat.value
        keep("nature", nat)
    facts.consultation_date, facts.consultation_date_basis, found = consultation_date(docs)
    keep("consultation_date", found)
    if facts.consultation_date is None and (before := consultation_before(docs)):
        facts.consultation_before, facts.consultation_before_basis = before.value
        keep("consultation_before", before)
    if facts.consultation_date is None and (edition := dce_date(docs)):
        facts.dce_date, facts.dce_date_basis = edition.value
        keep("dce_date", edition)
    c = ccag(docs)
    if c:
        facts.ccag = c.value
        keep("ccag", c)
    pay = payment_delay(docs)
    if pay:
        facts.payment_delay_days = pay.value
        keep("payment_delay_days", pay)
    facts.advance_rate, facts.advance_present, found = advance(docs)
    keep("advance_rate", found)
    sme = advance_for_sme(docs)
    if sme:
        facts.advance_rate_sme = sme.value
        keep("advance_rate_sme", sme)
    for name, read in VALUE_FACTS:  # each a value and where it was read
        value, found = read(docs)
        setattr(facts, name, value)
        keep(name, found)
    for domain, said in declared_clauses(docs).items():
        setattr(facts, f"declared_{domain}_clauses", said[0].value)
        ev[f"declared_{domain}_clauses"] = [found.line_evidence() for found in said]  # each document's
    facts.penalties = penalties(docs)
    cap = penalty_cap(docs)
    if cap:
        facts.penalties_capped, facts.penalty_cap_rate = cap.value
        keep("penalties_capped", cap)
    who = buyer(docs)
    if who:
        facts.buyer = who.value
        keep("buyer", who)
    obj = market_object(docs)
    if obj:
        facts.object = obj.value
        keep("object", obj)
    return facts


#: the facts read as (value, where) by one function each, in the order they are read
VALUE_FACTS = (
    ("retenue_garantie_rate", retenue),
    ("variants_allowed", variants),
    ("group_solidarity_imposed", group_solidarity),
    ("exclusions_stated", exclusions),
    ("framework", framework),
    ("framework_agreement", framework_agreement),
    ("optional_tranches", tranches),
    ("ordinary_market", ordinary_market),
)


#: « Acheteur : … », « Pouvoir adjudicateur : … », a BOAMP notice's « Nom et adresse officiels de
#: l'organisme acheteur : … », the name on the label's line or the next (« ACHETEUR :\nIFPRA … » of
#: a real CCAP).  « acheteur » after an apostrophe is another label: « Adresse internet du profil
#: d'acheteur : … », « Date de mise à disposition sur le profil d'acheteur ……… » (a real AE),
#: « Actions de l'acheteur : » (a real guide's).  The name opens with a letter (« 1. Insérer … »
#: is a list's first item).
BUYER = caseless(
    r"(?:nom\s+et\s+adresse\s+officiels\s+de\s+l['’]organisme\s+acheteur|pouvoir\s+adjudicateur|organisme\s+acheteur"
    r"|(?<![\w'’])acheteur|^[ \t]*ma[îi]tre\s+d['’]\s*ouvrage)[ \t]*:\s*"
    r"(?P<b>[^\W\d_][^\n.;:]{2,119})|"
    r"consultation\s+est\s+lanc[ée]e\s+par\s*:?\s*(?P<b2>[^\W\d_][^\n.;]{2,119})",
    re.M,
)
#: a heading in capitals with the buyer's name alone on the next line, as on a cover page
#: (« MAÎTRE D’OUVRAGE\nMAIRIE DE … » of a real CCTP) or a first article (« ARTICLE 1 :
#: IDENTIFICATION DE LA COLLECTIVITÉ CONTRACTANTE\nGrand Chambéry » of another, whose heading
#: the page's header line runs into)
BUYER_HEADING = re.compile(
    r"(?:^[ \t]*MA[ÎI]TRE\s+D['’]\s*OUVRAGE"
    r"|IDENTIFICATION\s+(?:DE\s+LA\s+COLLECTIVIT[ÉE](?:\s+CONTRACTANTE)?|DU\s+POUVOIR\s+ADJUDICATEUR"
    r"|DE\s+L['’](?:ORGANISME\s+)?ACHETEUR))[ \t]*\n[ \t]*(?P<b>[^\W\d_][^\n.;:]{2,79})$",
    re.M,
)
#: where a buyer's name ends and what is said of it begins: dotted leaders where a template
#: leaves the name to be written (« ……… »), an address or a role after a comma, « en charge
#: de … » (a real CCTP's « Acheteur | Direction des achats de l'État en charge de la passation
#: et du suivi de » the cell's next line goes on), « représenté(e) par … » (a real CCAP's « Elle
#: est représentée par son président »)
BUYER_TAIL = re.compile(r"\s*(?:…|\.{3,}|_{3,}|,|\s(?:en\s+charge|charg[ée]e?s?|repr[ée]sent[ée]e?s?)\s+(?:de|d['’]|du|des|par)\b).*$", re.I)
#: a Sécurité sociale body named alone on a line, as a cover page names it (« CAISSE
#: D'ALLOCATIONS FAMILIALES DU VAL-DE-LYS » in capitals as « URSSAF … »)
#: the Sécurité sociale bodies' acronyms, as their documents write them
SECU_ACRONYMS = "CAF|CPAM|CARSAT|CGSS|URSSAF|MSA|UGECAM|CNAF|CNAM|CNAV|ACOSS|CCMSA|UCANSS"
SECU_BODY = re.compile(rf"^\W*((?:{SECU_ACRONYMS}|Caisse|CAISSE)\b[^\n]{{2,80}})$", re.M)
#: a public body's name opening a line of a cover page: « Institut polytechnique de … », « Mairie de
#: … », « PREFECTURE DE LA REGION … » (real RCs, CCAPs and CCTPs); the words are public bodies'
#: only, so that a maître d'œuvre's block (« Atelier d'architecture … ») or « Établissement public
#: à caractère industriel et commercial | RCS … » is not taken for the buyer, nor a service of it
#: above the address (« Département des achats », « Office des marchés »)
PUBLIC_BODY_LINE = re.compile(
    r"^[ \t]*((?:Institut|Universit[ée]|Mairie|Ville|Commune|Communaut[ée]|M[ée]tropole|D[ée]partement|R[ée]gion"
    r"|Conseil\s+(?:d[ée]partemental|r[ée]gional)|Pr[ée]fecture|Minist[èe]re|Centre\s+hospitalier|CHU|H[ôo]pital"
    r"|Assistance\s+publique|Office|Syndicat|Lyc[ée]e|Coll[èe]ge|Rectorat|Acad[ée]mie|Chambre)\b"
    r"(?!\s+(?:des\s+|du\s+|de\s+la\s+|de\s+l['’]\s*)?(?:achats?|march[ée]s|commande|affaires|services?|juridique"
    r"|financ|administrati|logistique|moyens))[^\n:]{2,100}?)[ \t]*$",
    re.I,
)
#: an address's last line, its postcode and town (« 38031 GRENOBLE CEDEX 1 »)
POSTCODE_LINE = re.compile(r"^[ \t]*\d{5}\s+\S")
COVER_ADDRESS_LINES = 4  # lines between the name and its postcode at the most (a service, a building, a street)
COVER_TOP_LINES = 3  # a name in capitals among a cover's first lines stands alone, without an address
#: a public body's legal status, written on a cover under its name and address (« CEA / Centre de
#: Grenoble 17 avenue des Martyrs 38054 GRENOBLE Cedex 9 / Service Marchés et Achats / Établissement
#: public à caractère industriel et commercial », a real RC): the name may be an acronym
STATUS_LINE = re.compile(r"^[ \t]*(?:[ÉE]tablissement\s+public|Groupement\s+d['’]int[ée]r[êe]t\s+public)\b", re.I)
#: a postcode and its town anywhere in a line (an address written on one line)
POSTCODE_IN_LINE = re.compile(r"\b\d{5}\s+[A-ZÀ-Ý]")
STATUS_BLOCK_LINES = 4  # lines between a name and its status at the most (address, service)


#: a summary table's row, its label then its value in the next cell (a tab in a Word table,
#: a space in a PDF's): « Acheteur Direction des achats de l'État … » (a real RC's table),
#: « Pouvoir adjudicateur\tCPAM de la Gironde »
BUYER_ROW = re.compile(rf"^[ \t]*(?:Pouvoir\s+adjudicateur|Acheteur|Organisme\s+acheteur|ACHETEUR){LABEL_CELL}[ \t]*(?P<b>[^\n.;:]{{3,120}})", re.M)


#: the roles a contract names with a capital, which are no one's name
ROLE_WORDS = (r"Acheteur|Titulaire|Attributaire|Pouvoir|Parties|Candidat|Prestataire|Fournisseur|Entreprise|Ma[îi]tre"
              r"|Mandataire|Groupement|Cocontractant|Soussign|Personne|Client")


#: a contract's parties, the buyer first (« Le présent marché est conclu entre les soussignés,\n<name>,
#: établissement public …, représenté par … » of a real contract): the name after its article,
#: opening with a capital, not a role (« conclu entre le titulaire et l'acheteur »), and said of
#: the market (« une convention … conclue entre la DAE et … » of a real RC is another contract)
CONTRACT_PARTIES = re.compile(
    r"\b(?:march[ée]|contrat|accord-cadre)\s+est\s+conclu\s+entre\s*(?:les\s+soussign[ée]s)?\s*[:,]?\s*"
    rf"(?:(?:la|le|l['’])\s*)?(?!(?-i:{ROLE_WORDS})\b)(?P<b>(?-i:[A-ZÀ-Ý])[^\n.;:]{{2,119}})",
    re.I,
)


#: a public body reserving itself a right, as the buyer does in an RC's prose (« le ministère de la
#: Justice se réserve la possibilité de … » of a real RC, which names its buyer nowhere else): the
#: body's name as its article introduces it, opening with a public body's word
BUYER_RESERVES = re.compile(
    rf"\b(?:[Ll]e|[Ll]a|[Ll]['’])\s*(?P<b>(?:{SECU_ACRONYMS}|[Mm]inist[èe]re|[Cc]aisse|[Ii]nstitut|[Uu]niversit[ée]|[Aa]gence"
    r"|[Oo]ffice|[Cc]entre\s+hospitalier|[Pp]r[ée]fecture|[Mm]airie|[Vv]ille|[Cc]ommune|[Cc]ommunaut[ée]|[Mm][ée]tropole"
    r"|[Dd][ée]partement|[Rr][ée]gion)\b(?:[ \t]+[^\s,.;:()]+){0,7}?)\s+se\s+r[ée]serve\b"
)


#: a proper name: capitalised words, joined by « de », « du », « des », « de la », « d' »
#: (« Fondation du Camp des Milles », « Ville de Nîmes », « AMF »), on one line
PROPER_NAME = (r"(?-i:[A-ZÀ-Ý][\w-]*)(?:[ \t]+(?:(?:de[ \t]+la|de|du|des)[ \t]+|d['’][ \t]*)?(?-i:[A-ZÀ-Ý][\w-]*))*")
#: the titulaire's counterpart, which is the buyer: « la relation contractuelle entre le Titulaire et
#: l'Afpa », « documents échangés entre l'Afpa et le Titulaire » (a real CCAP, which names its
#: buyer nowhere else), « Le titulaire s'engage à fournir à la Fondation du Camp des Milles » (a
#: real CCP), « le titulaire communique à l'AMF » (a real CCAP); a role (« entre le titulaire et le
#: Pouvoir adjudicateur ») is no name
COUNTERPART = re.compile(
    rf"\bentre\s+(?:le\s+titulaire|l['’]\s*attributaire)\s+et\s+(?:la|le|l['’])\s*(?!(?-i:{ROLE_WORDS})\b)(?P<b>{PROPER_NAME})"
    rf"|\bentre\s+(?:la|le|l['’])\s*(?!(?-i:{ROLE_WORDS})\b)(?P<b2>{PROPER_NAME})\s+et\s+(?:le\s+titulaire|l['’]\s*attributaire)"
    r"|\btitulaire\b[^.\n]{0,40}?\b(?:fourni[rt]|remet(?:tre)?|transmet(?:tre)?|communiquer?|adresser?)\s+à\s+"
    rf"(?:la|le|l['’])\s*(?!(?-i:{ROLE_WORDS})\b)(?P<b3>{PROPER_NAME})",
    re.I,
)
#: a body's common nouns and their adjectives, which name no one alone (« entre le titulaire et la
#: Caisse », « … et l'Établissement Public »)
GENERIC_NAME_WORDS = frozenset(
    "caisse ministere institut universite agence office prefecture mairie ville commune communaute metropole "
    "departement region fondation association collectivite etablissement societe direction etat administration "
    "public publique contractant contractante de du des la d'".split()
)


#: the patterns naming the buyer, in order, each with the words a document must mention for it to
#: match: the capital headings' case-sensitive `re` scanned every document of a market naming no
#: buyer by a label (3 ms a market of the batch bench, 10 ms per MB of text); the parties' pattern,
#: which opens on an alternation, doubled `buyer()` on the bench's markets run unguarded
BUYER_PATTERNS = ((BUYER, ()), (BUYER_ROW, ()), (BUYER_HEADING, ("ouvrage", "identification")),
                  (CONTRACT_PARTIES, ("conclu entre", "conclu\nentre")))


def buyer(docs: list[Document]) -> Found[str] | None:
    """The buyer the documents name ("Pouvoir adjudicateur : …", "lancée par : …", a summary
    table's row, a heading with the name under it, the contract's first party), else a Sécurité
    sociale body named alone on a line of the first page, or a public body named there as a cover
    names it (`_cover_body`, `_named_over_status`), else a public body reserving itself a right
    as the buyer does (`BUYER_RESERVES`)."""
    for rx, words in BUYER_PATTERNS:
        for doc in ordered(docs):
            if words and not doc.mentions(*words):
                continue
            for m in rx.finditer(doc.text):
                said = m.group("b") or m.groupdict().get("b2") or ""
                name = BUYER_TAIL.sub("", " ".join(said.split())).strip(" -–")
                if len(name) >= 3 and not name.lower().startswith(("http", "www", "le ", "la ", "les ")):
                    return Found(name, doc, m.start(), m.end())
    for doc in ordered(docs):
        first = doc.text[: doc.page_spans[0].end] if doc.page_spans else doc.text[:3000]
        body = SECU_BODY.search(first)
        if body:
            # "UGECAM X – RC – …": the body only, also when the line ends on its dash ("… FAMILLE –")
            name = re.split(r"\s+[–—-](?:\s+|$)", " ".join(body.group(1).split()))[0]
            return Found(name, doc, body.start(1), body.end(1))
        found = _cover_body(doc, first) or _named_over_status(doc, first)
        if found:
            return found
    for doc in ordered(docs):
        if not doc.mentions("se réserve", "se reserve"):
            continue
        for m in BUYER_RESERVES.finditer(doc.text):
            name = " ".join(m.group("b").split())
            if " " in name or name.isupper():  # « la Caisse se réserve » names no one
                return Found(name, doc, m.start("b"), m.end("b"))
    return _counterpart(docs)


def _counterpart(docs: list[Document]) -> Found[str] | None:
    """The name the documents most often give the titulaire's counterpart (`COUNTERPART`), the
    first said on a tie: the last resort of documents that name the buyer only as a party."""
    seen: dict[str, list[Found[str]]] = {}
    for doc in ordered(docs):
        if not doc.mentions("titulaire", "attributaire"):
            continue
        for m in COUNTERPART.finditer(doc.text):
            group = next(g for g in ("b", "b2", "b3") if m.group(g))
            name = " ".join(m.group(group).split())
            if len(name) >= 3 and not set(fold(name).replace("d'", "d' ").split()) <= GENERIC_NAME_WORDS:
                seen.setdefault(name, []).append(Found(name, doc, m.start(group), m.end(group)))
    if not seen:
        return None
    return max(seen.values(), key=len)[0]


def _named_over_status(doc: Document, first: str) -> Found[str] | None:
    """A name heading a block of the first page that gives its address, then its status of
    public body (`STATUS_LINE`): the top line of that block, unbroken by a blank line."""
    lines = first.split("\n")
    for i, line in enumerate(lines):
        if not STATUS_LINE.match(line):
            continue
        top = i
        while top > 0 and i - top < STATUS_BLOCK_LINES and lines[top - 1].strip():
            top -= 1
        name = " ".join(lines[top].split())
        addressed = any(POSTCODE_IN_LINE.search(x) for x in lines[top + 1 : i])
        if addressed and name and len(name.split()) <= 8 and not re.search(r"\d|:", name):
            start = _line_starts(lines)[top] + len(lines[top]) - len(lines[top].lstrip())
            return Found(name, doc, start, start + len(lines[top].strip()))
    return None


def _line_starts(lines: list[str]) -> list[int]:
    """The offset of each line in the text they were split from (and of its end, last)."""
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    return starts


def _cover_body(doc: Document, first: str) -> Found[str] | None:
    """A public body named on the first page as covers name the buyer without a label: above
    its postal address (« Mairie de … / Hôtel de Ville / Bd … / 47300 … », the AWS-achat model's
    RC and CCAP), or in capitals among the page's first lines (« PREFECTURE DE LA REGION … »).
    A public body's line elsewhere (« Département(s) de publication : 30 » of a BOAMP notice)
    is not the buyer."""
    lines = first.split("\n")
    starts = _line_starts(lines)
    filled = [i for i, line in enumerate(lines) if line.strip()]
    for i, line in enumerate(lines):
        m = PUBLIC_BODY_LINE.match(line)
        if not m:
            continue
        name = BUYER_TAIL.sub("", " ".join(m.group(1).split()))
        addressed = any(POSTCODE_LINE.match(x) for x in lines[i + 1 : i + 1 + COVER_ADDRESS_LINES])
        on_top = i in filled[:COVER_TOP_LINES] and name.isupper()
        if (addressed or on_top) and len(name.split()) <= 12:
            return Found(name, doc, starts[i] + m.start(1), starts[i] + m.end(1))
    return None


MAX_OBJECT = 240  # characters of an object at the most: a longer one is cut there
#: « a pour objet », or « porte sur » / « concerne » said of the consultation or the market
#: (« La présente consultation concerne : », « Le marché porte sur … », « Les travaux portent
#: sur … »), not of anything else
#: (« en ce qui concerne les taux de ces remises » of a real AE)
OBJECT = caseless(
    r"(?:a\s+pour\s+objet|(?:consultation|march[ée]|accord-cadre|contrat|projet)\s+(?:porte\s+sur|concerne)"
    r"|(?:travaux|prestations)\s+(?:portent\s+sur|concernent))"
    rf"\s*:?\s+(?P<o>(?:[^.;\n]|\n(?!\s*\n)){{10,{MAX_OBJECT}}})|"
    rf"^\W*objet\s+(?:du\s+march[ée]|de\s+la\s+consultation)?\s*:\s*(?P<o2>[^\n]{{10,{MAX_OBJECT}}})",
    re.M,
)


#: a line that opens a new sentence after the object's own line (a real RC: « La présente
#: consultation concerne :\nAcquisition d’une machine … et mécanique\nLe présent marché a pour
#: objet la fourniture, … »); checked on the document's own case
NEW_SENTENCE_LINE = re.compile(
    r"\n\s*(?:Le|La|Les|L['’]|Il|Elle|Ils|Ce|Cette|Ces|Un|Une|Des|En|Pour|Dans|Chaque|Tout|Toute)\b"
    r"|\n[^\n:]{2,40}:[ \t]*(?=\n|$)"  # a form's next label (« Lieu(x) d'exécution : » of a real RC)
    # the next numbered heading (« 1.2.2 Liste des Corps d'Etat » after a real CCTP's object)
    r"|\n\s*(?:\d{1,2}(?:\.\d{1,2})+\.?|ARTICLE|Article)\s"
)
#: « Le présent règlement a pour objet de définir les conditions de la consultation relative
#: aux prestations de Tierce Maintenance Applicative … » (a real RC): the object is what the
#: conditions are about
ABOUT_THE_DOCUMENT = re.compile(r"d(?:e\s+|['’]\s*)(?:d[ée]finir|[ée]tablir|fixer|pr[ée]ciser)\b", re.I)
ABOUT = re.compile(
    r"\b(?:relatif|relative|relatifs|relatives)\s+(?:à\s+l['’]|à\s+la\s+|à\s+|aux\s+|au\s+)|\bconcernant\s+|\bportant\s+sur\s+"
    # « a pour objet de définir les conditions d’exécution des prestations de surveillance et
    # de gardiennage des locaux … » (two real CCP)
    r"|\bconditions\s+d['’]\s*ex[ée]cution\s+(?:des\s+|du\s+|de\s+la\s+|de\s+l['’])",
    re.I,
)


def _what_is_bought(value: str) -> str:
    """The object without « de définir les conditions … relatives aux » when the sentence is
    about the document rather than the purchase."""
    if ABOUT_THE_DOCUMENT.match(value):
        about = ABOUT.search(value)
        if about and len(value) - about.end() >= 10:
            return value[about.end():]
    return value


#: a cover page whose label comes under its value (a real acte d'engagement: « Fourniture et
#: livraison de denrées alimentaires et\nnon alimentaires par une centrale d'achat ou de\n
#: référencement\nObjet du marché à bons de commande »): the lines above the label, from the
#: one that names what is bought; read only when no document states its object
OBJECT_ABOVE_LABEL = re.compile(
    r"^(?P<o>(?:Fournitures?|Acquisition|Achat|Prestations?|Travaux|Location|Maintenance|Entretien"
    r"|R[ée]alisation|Mission|Nettoyage|Services?)\b[^\n]*(?:\n[^\n]+){0,3})"
    r"\n[ \t]*Objet\s+du\s+march[ée](?:\s+[àa]\s+bons?\s+de\s+commande)?[ \t]*$",
    re.I | re.M,
)


#: an « Objet » article whose first sentence names what is bought and says it is needed (a real
#: CCTP: « ARTICLE 2 : OBJET DU LOT 2 / Une prestation de surveillance et de prévention dans trois
#: équipements sportifs de … / est requise pendant … »); read only when nothing else states it
OBJECT_UNDER_HEADING = re.compile(
    r"^\W*(?:article\s+\d{1,2}\s*[:.\-–—]?\s*)?objet(?:\s+(?:du\s+lot\s+\d{1,3}|du\s+march[ée]|de\s+la\s+consultation"
    r"|de\s+l['’]accord-cadre))?[ \t]*\n(?:une?|des)\s+"
    rf"(?P<o>(?:prestations?|fournitures?|travaux|missions?|services?)\b[^.;]{{10,{MAX_OBJECT}}}?)"
    r"(?=\s+(?:est|sont)\s+(?:requise?s?|demand[ée]e?s?|attendue?s?|n[ée]cessaires?|pr[ée]vue?s?)\b)",
    re.I | re.M,
)


def market_object(docs: list[Document]) -> Found[str] | None:
    """What the market buys, as its documents say it: up to the next sentence, and cut
    between words (« … » marks the cut) when it runs past `MAX_OBJECT` characters."""
    for doc in ordered(docs):
        m = OBJECT.search(doc.text)
        if m:
            group = "o" if m.group("o") else "o2"
            return _object_found(doc, m, group)
    for doc in ordered(docs):
        m = OBJECT_ABOVE_LABEL.search(doc.text)
        if m and len(m.group("o")) <= MAX_OBJECT:
            return _object_found(doc, m, "o")
    for rx in (OBJECT_UNDER_HEADING, OBJECT_ROW):
        for doc in ordered(docs):
            m = rx.search(doc.text)
            if m:
                return _object_found(doc, m, "o")
    return None


#: a summary table's row: « Objet Acquisition d'une machine de prototypage de circuits … » (a
#: real RC's table, read from its PDF), « Objet\tEntretien des espaces verts » (a Word table);
#: not a heading « OBJET DE LA CONSULTATION »
OBJECT_ROW = re.compile(
    r"^[ \t]*(?:Objet|OBJET)(?:\s+(?:du\s+march[ée]|de\s+la\s+consultation|de\s+l['’]accord-cadre))?"
    rf"{LABEL_CELL}(?!(?i:d[eu]\s|des\s|de\s+la\s))[ \t]*(?P<o>[^\n]{{10,{MAX_OBJECT}}})",
    re.M,
)


#: a notice's next field: « Catégorie de services : 2. », « CPV - Objet principal : 60100000. »;
#: or the next heading of an RC (« 2. Durée », « II – Procédure », « ARTICLE 2 », « Lot 1 »)
NEXT_FIELD = re.compile(r"[^\n:]{1,60}\s:\s|\s*(?:\d{1,2}(?:[.)\-–]|\s)|[IVX]{1,4}\s*[.)\-–]|article\b|lot\b)", re.I)
#: lines an « Objet du marché : » may wrap onto
MAX_OBJECT_LINES = 4


def _object_found(doc: Document, m: re.Match[str], group: str) -> Found[str]:
    """The object in `group` of the match, up to its sentence's end, cut if too long."""
    raw = m.group(group) if group != "o2" else _wrapped(doc.text, m.start(group), m.group(group))
    # looked for a little past the match: the object's pattern stops at a full stop, and so
    # before the « .2.2 » of a heading « 1.2.2 » that begins on its last line
    nxt = NEW_SENTENCE_LINE.search(doc.text[m.start(group): m.start(group) + len(raw) + 16])
    cut = ""
    if nxt and nxt.start() < len(raw):
        raw = raw[: nxt.start()]
    elif len(raw) >= MAX_OBJECT and " " in raw.strip():
        raw, cut = _cut_at_word(raw), " …"
    # « Objet du marché : transports collectifs. » (a real notice): the sentence's stop is not the object's
    value = _what_is_bought(_joined_lines(raw).rstrip(" .")) + cut
    return Found(value, doc, m.start(), m.start(group) + len(raw))  # the document's words only


def _joined_lines(raw: str) -> str:
    """The object's lines as one: a title in capitals followed by a line of its own gets a
    dash between them, as the buyer writes them on one line (a real RC's « FOURNITURE DE
    DENREES ALIMENTAIRES » / « Relance du lot 20 - Epicerie … », which its AE writes
    « FOURNITURE DE DENREES ALIMENTAIRES -Relance du lot 20 … »); a wrapped line goes on."""
    lines = [" ".join(line.split()) for line in raw.split("\n")]
    out = ""
    for line in filter(None, lines):
        titled = out and out.isupper() and line[:1].isupper() and not line.isupper()
        out = f"{out} – {line}" if titled else f"{out} {line}".strip()
    return out


def _wrapped(text: str, start: int, line: str) -> str:
    """A one-line « Objet du marché : » value with the lines it wraps onto, up to its full stop
    (BOAMP notices: « … sensibles au profit de\nDGA Essais de Missiles et de DGA Essais en
    vol. », then « Catégorie de services : 2. »); a notice's next field or a blank line ends it."""
    raw, end = line, start + len(line)
    for _ in range(MAX_OBJECT_LINES - 1):
        if raw.rstrip().endswith(".") or end >= len(text) or text[end] != "\n":
            break
        stop = text.find("\n", end + 1)
        nxt = text[end + 1 : stop if stop >= 0 else len(text)]
        if not nxt.strip() or NEXT_FIELD.match(nxt) or len(raw) >= MAX_OBJECT:
            break
        raw, end = raw + "\n" + nxt, end + 1 + len(nxt)
    return raw[:MAX_OBJECT]  # cut between words, and marked, by the caller
