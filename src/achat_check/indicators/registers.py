"""Read the registers a purchasing manager has: markets (CSV, XLSX, XLS, ODS or DECP JSON/XML), payments,
organisations.

Column names are French and documented (`achat-check indicators template` writes them with
an example row); common spellings are accepted as aliases ("SIRET acheteur",
"siret_acheteur", "Date de notification"...).  A value that cannot be read is not guessed:
it is left unknown and a data-quality line says where and why.
"""

from __future__ import annotations

import collections
import csv
import functools
import io
import itertools
import json
import math
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from achat_check.accents import fold
from achat_check.errors import AchatCheckError, library_reason
from achat_check.extract.dates import MONTH_NAMES, month_number, parse_date
from achat_check.extract.numbers import parse_number
from achat_check.indicators.model import (
    DataIssue,
    MarketRecord,
    OrganisationRecord,
    PaymentRecord,
    Tri,
)
from achat_check.ingest.other import decode_text
from achat_check.ingest.sniff import OLE_MAGIC, sniff
from achat_check.report.labels import clip, first_of

if TYPE_CHECKING:
    from _csv import Reader as CsvReader

# --------------------------------------------------------------------------- columns


@dataclass(frozen=True)
class Column:
    """A documented column: its name in the template, what it holds, its aliases."""

    name: str
    help: str
    example: str
    aliases: tuple[str, ...] = ()
    required: bool = False


#: an amount column whose heading says TTC: its amounts are converted to HT as `montant_type`
#: « TTC » would have them (when the register has no such column)
TTC_HEADINGS = ("montant_ttc", "montant_total_ttc", "montant_notifie_ttc", "montant_estime_ttc", "montant_maximum_ttc", "montant_max_ttc",
                "montant_initial_ttc")
MARKET_COLUMNS = [
    Column("id_marche", "Identifiant du marché (unique dans le registre)", "2026-CAF-014", ("id", "identifiant", "numero_marche", "n_marche", "reference"), True),
    Column("siret_acheteur", "SIRET de l'acheteur", "53428957400011", ("acheteur_id", "siret_organisme", "id_acheteur")),
    Column("nom_acheteur", "Nom de l'acheteur", "CAF du Val-de-Lys", ("acheteur", "acheteur_nom", "nom_organisme")),
    Column("organisme", "Organisme pour lequel les indicateurs sont donnés (par défaut : l'acheteur)", "CAF du Val-de-Lys", ("organisation",)),
    Column("branche", "Branche ou regroupement (Maladie, Famille, Retraite, Recouvrement…)", "Famille", ("groupe", "regroupement")),
    Column("objet", "Objet du marché", "Nettoyage des locaux", ("objet_marche", "intitule")),
    Column("procedure", "Procédure (appel d'offres ouvert, procédure adaptée…)", "Appel d'offres ouvert", ("type_procedure",)),
    Column("date_notification", "Date de notification (AAAA-MM-JJ ou JJ/MM/AAAA) : le marché compte pour cette année", "2026-03-15", ("notification", "date_notif"), True),
    Column("duree_mois", "Durée du marché en mois, reconductions comprises (« dureeMois » des DECP)", "48",
           ("dureemois", "duree", "duree_marche", "duree_totale", "duree_maximale")),
    Column("montant", "Montant du marché sur toute sa durée (reconductions comprises)", "720000",
           ("montant_marche", "montant_total", "montant_ht", "montant_total_ht", "montant_estime", "montant_estime_ht", "montant_notifie", "montant_notifie_ht",
            # DECP's « montant HT initial forfaitaire … ou estimé maximum » (an accord-cadre's maximum)
            "montant_maximum", "montant_maximum_ht", "montant_max", "montant_max_ht", "montant_ht_maximum", "montant_estime_maximum",
            "montant_initial", "montant_initial_ht",
            *TTC_HEADINGS)),
    Column("montant_type", "HT ou TTC (un montant TTC est converti en HT)", "HT", ("type_montant", "ht_ttc")),
    Column("taux_tva", "Taux de TVA en % pour convertir un montant TTC (20 % si absent, signalé)", "20", ("tva",)),
    Column("siret_titulaire", "SIRET du titulaire", "41234567800019", ("titulaire_id", "id_titulaire", "siret_attributaire")),
    Column("nom_titulaire", "Raison sociale du titulaire", "Net'Services", ("titulaire", "titulaire_nom", "denomination_titulaire", "attributaire", "nom_attributaire")),
    Column("categorie_titulaire", "Catégorie d'entreprise : TPE, PME, ETI ou GE", "PME", ("categorie_entreprise", "categorie", "taille_entreprise", "taille_titulaire", "categorie_attributaire")),
    Column("effectif_titulaire", "Effectif du titulaire (si la catégorie est inconnue ; PME : moins de 250)", "45", ("effectif",)),
    Column("titulaire_pme", "Titulaire PME, TPE comprises (oui/non), si ni la catégorie ni l'effectif ne sont donnés", "", ("pme", "titulaire_tpe_pme", "est_une_pme")),
    Column("marche_reserve", "Marché réservé (oui/non)", "non", ("reserve",)),
    Column("type_reserve", "Structures du marché réservé : ESAT/EA, SIAE, ESS", "", ("reserve_type",)),
    Column("facilitateur", "Passé avec un facilitateur (oui/non)", "oui", ("avec_facilitateur",)),
    Column("heures_insertion", "Heures d'insertion réalisées dans l'année", "1150",
           ("heures_insertion_realisees", "heures", "nombre_d_heures_d_insertion", "nb_heures_insertion")),
    Column("heures_insertion_handicap", "Dont heures au titre du handicap (exclues de l'indicateur 4 du Plan cadre)", "0", ()),
    Column("consideration_environnementale", "Au moins une considération environnementale (oui/non)", "oui", ("considerations_environnementales_oui_non", "consideration_env")),
    Column("clause_environnementale", "Clause environnementale (oui/non)", "oui", ("clause_env",)),
    Column("critere_environnemental", "Critère d'attribution environnemental (oui/non)", "oui", ("critere_env",)),
    Column("consideration_sociale", "Au moins une considération sociale (oui/non)", "oui", ("consideration_soc",)),
    Column("clause_sociale", "Clause sociale ou d'insertion (oui/non)", "oui", ("clause_insertion", "clause_sociale_d_insertion", "clause_soc")),
    Column("critere_social", "Critère d'attribution social (oui/non)", "oui", ("critere_soc",)),
    Column("considerations_sociales", "Valeurs DECP, séparées par « | » ou « ; » entre guillemets (Clause sociale ; Critère social ; Marché réservé ; Pas de considération sociale)", "", ()),
    Column("considerations_environnementales", "Valeurs DECP, séparées par « | » ou « ; » entre guillemets (Clause environnementale ; Critère environnemental ; Pas de considération environnementale)", "", ()),
    Column("dce", "Chemin du DCE (dossier ou ZIP), relatif au registre", "", ("chemin_dce", "dossier_dce")),
]
PAYMENT_COLUMNS = [
    Column("date_reception", "Date de réception de la demande de paiement (facture)", "2026-04-02", ("date_reception_facture", "date_demande_paiement", "reception"), True),
    Column("date_paiement", "Date du paiement", "2026-04-24", ("paiement", "date_mise_en_paiement"), True),
    Column("montant", "Montant payé", "12500", ("montant_ttc", "montant_paye")),
    Column("fournisseur", "Fournisseur", "Net'Services", ("titulaire", "siret_fournisseur")),
    Column("organisme", "Organisme payeur", "CAF du Val-de-Lys", ("nom_acheteur", "acheteur", "siret_acheteur")),
]
ORGANISATION_COLUMNS = [
    Column("organisme", "Organisme (même nom ou SIRET que dans le registre des marchés)", "CAF du Val-de-Lys", ("nom", "organisation", "siret", "nom_organisme"), True),
    Column("branche", "Branche ou regroupement", "Famille", ("groupe",)),
    Column("date_formation_sociale", "Date de la dernière formation des acheteurs aux aspects sociaux de la commande publique", "2025-06-12", ("formation_sociale", "date_formation", "date_derniere_formation", "derniere_formation")),
    Column("plan_reduction", "Plan d'actions de réduction des consommations et des volumes d'achats (oui/non)", "oui", ("plan_reduction_consommations",)),
]


#: little words a heading may have or not: « Objet du marché » is « objet_marche », « Date de
#: notification » « date_notification », « Nom de l'acheteur » « nom_acheteur »
HEADING_LITTLE_WORDS = frozenset({"de", "du", "des", "d", "la", "le", "les", "l", "en", "au", "aux"})


def _key(text: str) -> str:
    """A heading as compared with the names and aliases: ASCII, lower case, words joined
    by « _ », without the little words."""
    t = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower()
    return "_".join(w for w in re.split(r"[^a-z0-9]+", t) if w and w not in HEADING_LITTLE_WORDS)


#: what a heading adds in brackets: its answers or its unit, « Clause sociale (O/N) »,
#: « Marché réservé (oui/non) » as the template's « Colonnes » sheet describes the column
BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def _names(columns: list[Column]) -> dict[str, str]:
    """Each name, alias and description (the « contenu » of the template's « Colonnes »
    sheet, without its brackets), as `_key` writes it -> the column it names (the first
    column that claims it); built once per list (a workbook's 24 sheets looked at for a
    register's headings built it 240 times: 0.08 s), not to be changed by its callers."""
    return _names_of(tuple(columns))


@functools.cache
def _names_of(columns: tuple[Column, ...]) -> dict[str, str]:
    known: dict[str, str] = {}
    for col in columns:
        for alias in (col.name, *col.aliases):
            known.setdefault(_key(alias), col.name)
    described = collections.Counter(_key(BRACKETS.sub(" ", col.help)) for col in columns)
    for col in columns:  # a description two columns share (« Valeurs DECP… ») names neither
        if described[key := _key(BRACKETS.sub(" ", col.help))] == 1:
            known.setdefault(key, col.name)
    return known


def _named(known: dict[str, str], heading: str) -> str | None:
    """The column a heading names: as written (« Montant (TTC) » is « montant_ttc »), else
    without what it adds in brackets (« Clause sociale (O/N) »)."""
    return known.get(_key(heading)) or known.get(_key(BRACKETS.sub(" ", str(heading))))


def _found(header: list[str], columns: list[Column]) -> dict[str, int]:
    """Column name -> index in the file, by name or alias, for the columns the header names."""
    known = _names(columns)
    found: dict[str, int] = {}
    for i, h in enumerate(header):
        name = _named(known, h)
        if name and name not in found:
            found[name] = i
    return found


def unread_columns(header: list[str], mapping: dict[str, int], columns: list[Column], where: str, issues: list[DataIssue]) -> None:
    """A data-quality line for each named column the register has and we do not read (a
    heading of its own, « Montant HT (€) » before it was an alias): its values are not
    counted, which the manager must know; the closest expected name is offered."""
    from rapidfuzz import fuzz, process

    read = set(mapping.values())
    names = _names(columns)
    for i, heading in enumerate(header):
        if i in read or not str(heading).strip():
            continue
        if (twice := _named(names, heading)) in mapping:  # the same column named twice
            issues.append(DataIssue(kind="colonne non lue", source=where,
                                    message=f"colonne « {str(heading).strip()} » : elle donne « {twice} », déjà lu dans la "
                                            f"colonne {mapping[twice] + 1} (« {str(header[mapping[twice]]).strip()} ») : "
                                            "ses valeurs ne sont pas lues ; supprimez ou renommez l'une des deux."))
            continue
        guess = process.extractOne(_key(heading), list(names), scorer=fuzz.WRatio, score_cutoff=80)
        mapped = names[guess[0]] if guess else None
        hint = (f" ; si elle donne « {mapped} », renommez-la ainsi" if mapped and mapped not in mapping
                else f" ; « {mapped} » est lu dans la colonne « {str(header[mapping[mapped]]).strip()} »" if mapped else "")
        issues.append(DataIssue(kind="colonne non lue", source=where,
                                message=f"colonne « {str(heading).strip()} » non reconnue : ses valeurs ne sont pas lues{hint} "
                                        "(noms attendus : `achat-check indicators template`)."))


def _mapping(header: list[str], columns: list[Column], path: str) -> dict[str, int]:
    """Column name -> index in the file, by name or alias; required columns must be there."""
    found = _found(header, columns)
    missing = [c.name for c in columns if c.required and c.name not in found]
    if missing:
        raise AchatCheckError(
            "AC-E015",
            f"colonne(s) obligatoire(s) absente(s) : {', '.join(missing)}. Colonnes lues : {', '.join(h for h in header if h) or 'aucune'}"
            f"{_closest(missing, header, found, columns)}. Le modèle `achat-check indicators template` donne les noms attendus.",
            path,
        )
    return found


def _closest(missing: list[str], header: list[str], found: dict[str, int], columns: list[Column]) -> str:
    """For each required column missing, the heading that may be it (« Date notif. » for
    date_notification), as the unread columns' lines offer one; "" when none is close."""
    from rapidfuzz import fuzz, process

    free = {_key(BRACKETS.sub(" ", h)): str(h).strip() for i, h in enumerate(header) if str(h).strip() and i not in found.values()}
    names = _names(columns)
    said = []
    for name in missing:
        keys = [k for k, col in names.items() if col == name]
        best = max((m for k in keys if (m := process.extractOne(k, list(free), scorer=fuzz.WRatio, score_cutoff=80))),
                   key=lambda m: m[1], default=None)
        if best:
            said.append(f"si « {free[best[0]]} » donne {name}, renommez-la ainsi")
    return f" ; {' ; '.join(said)}" if said else ""


# --------------------------------------------------------------------------- values

#: with the marks of a spreadsheet's tick column (« ✓ », « ✔ », « ☑ », an empty box « ☐ »);
#: a cross « ✗ » says yes in some registers and no in others: unread, and said
YES = {"oui", "o", "yes", "y", "vrai", "true", "1", "x", "avec", "✓", "✔", "☑"}
#: « sans objet » is DECP's value when none applies (its `technique`, `modaliteExecution`)
NO = {"non", "n", "no", "faux", "false", "0", "sans", "", "☐", "sans objet", "néant", "aucun", "aucune"}
#: a yes or a no followed by what a manager adds to it: « Oui (clause d'insertion) »,
#: « non - MAPA », « Oui* »; not « non renseigné », which says the value is unknown
BOTH = re.compile(r"\b(?:oui|yes|vrai|avec)\b.*\b(?:non|no|faux|sans)\b|\b(?:non|no|faux|sans)\b.*\b(?:oui|yes|vrai|avec)\b")
ANSWERED = re.compile(r"(oui|non|yes|no|vrai|faux|avec|sans)\b(?![ \t]*(?:renseign|communiqu|connu|précis|déterminé|disponible))[^\w]")
DATE_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
#: an Excel date exported as its serial number (« 45762 » for 15/04/2025): days since 30/12/1899,
#: between 2000 and 2100 (no amount, code or year sits in a date column in that range)
EXCEL_EPOCH = date(1899, 12, 30)
EXCEL_SERIALS = (36526, 73051)
#: « 80 k€ », « 1,2 M€ », « 1,2 million d'euros »: a register's rounded amounts
AMOUNT_UNIT = re.compile(r"^(?P<n>[\d\s\u00a0\u202f.,]+?)\s*(?P<unit>k|m|millions?)\s*(?:€|eur\w*|d['’]euros)?\s*(?:h\.?t\.?|ttc)?$", re.I)
#: « HT » or « TTC » written with an amount (« 48 000 € TTC »), dots or not
TAX_BASIS = re.compile(r"\b(h\.?t|t\.?t\.?c)\.?(?!\w)", re.I)


def _is_ttc(amount: object, declared: str, source: str, market_id: str, issues: list[DataIssue],
            declared_by: str = "colonne « montant_type »") -> bool:
    """Whether a register's amount is TTC: as its own cell says (« 48 000 € TTC » was taken
    HT when the « montant_type » column was empty or absent), else as `declared` says (that
    column, or the amount's heading, `declared_by`); a cell and a declaration that disagree
    are said, the cell's word kept (it is the amount's own)."""
    column = re.sub(r"[^A-Z]", "", declared.upper())  # « TTC », « T.T.C. »
    written = TAX_BASIS.search(amount) if isinstance(amount, str) else None
    if written is None:
        return column == "TTC"
    own = re.sub(r"[^A-Z]", "", written[1].upper())
    if column in ("HT", "TTC") and column != own:
        issues.append(DataIssue(kind="déclaration contradictoire", source=source, market_id=market_id,
                                message=f"montant « {clip(str(amount), SHOWN)} » écrit {own}, {declared_by} : {column} : "
                                        f"le montant est pris {own}, à corriger dans le registre."))
    return own == "TTC"


#: the cell key that says an amount's TTC comes from its column's heading (« Montant TTC »), not « montant_type »
HEADING_SAYS = "_montant_type_said_by"
#: what follows an amount: its currency, written as the DCEs write it (« 375 000 euros »), and HT/TTC
CURRENCY = re.compile(r"€|\b(?:euros?|eur|h\.?t\.?|t\.?t\.?c\.?)(?!\w)", re.I)
#: 10/02/2026, and 10/02/26 (Excel's « jj/mm/aa »: every notification is after 2000)
DATE_FR = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?!\d)")


#: the unit a person may type after hours, a headcount or a rate (« 1 150 h », « 250 salariés », « 20 % »)
COUNT_UNIT = re.compile(r"\s*(h|heures?|%|salari[ée]s?|personnes?|etp|agents?)\.?\s*$", re.IGNORECASE)


def _count(value: object) -> float | None:
    """A number, its unit allowed."""
    number = parse_amount(value)
    if number is None and isinstance(value, str) and COUNT_UNIT.search(value):
        number = parse_amount(COUNT_UNIT.sub("", value))
    return number


#: a duration's unit in a register's cell: « 48 mois », « 4 ans »
DURATION_UNIT = re.compile(r"^\s*([\d\s.,]+?)\s*(mois|ans?|ann[ée]es?)?\.?\s*$", re.IGNORECASE)


def read_months(value: object) -> float | None:
    """A duration in months: a number (« 48 », 48), or with its unit (« 48 mois », « 4 ans »)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if value > 0 else None
    m = DURATION_UNIT.match(str(value or ""))
    number = parse_amount(m.group(1)) if m else None
    if m is None or not number or number <= 0:
        return None
    return number * 12 if (m.group(2) or "").lower().startswith("an") else number


def _cell(cells: dict[str, object], column: str, parse: Callable[[object], Any], source: str, market_id: str,
          issues: list[DataIssue]) -> Any:
    """A cell read by `parse`; one written but unreadable (« peut-être », « mille ») is said,
    with its column and line, then taken as unknown."""
    raw = cells.get(column)
    value = parse(raw)
    if value is None and raw is not None and str(raw).strip():
        issues.append(DataIssue(kind="valeur illisible", source=source, market_id=market_id,
                                message=f"colonne « {column} » : « {clip(str(raw), SHOWN)} » illisible ({EXPECTED[parse]}) : valeur traitée comme inconnue."))
    return value


def parse_bool(value: object) -> Tri:
    """oui/non, vrai/faux, 1/0, x, « sans objet », or one of them with a comment; None when
    empty or unreadable."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    t = str(value).strip().lower()
    if not t:
        return None
    if t in YES:
        return True
    if t in NO:
        return False
    answered = ANSWERED.match(t)
    if answered and not BOTH.search(t):  # « oui/non » copied from the template's hint answers nothing
        return answered[1] in YES
    return None


#: a facilitator named in the « facilitateur » column instead of « oui » (« PLIE Métropole »,
#: « Maison de l'emploi du Val »): the insertion actors the rules know (INS-004)
FACILITATOR_NAMES = re.compile(r"\bplie\b|plan\s+local\s+pour\s+l['’]insertion|maison\s+de\s+l['’]emploi|facilitat|guichet\s+des\s+clauses", re.I)
#: a reservation to the protected and adapted sector as a register writes its type: « ESAT/EA »,
#: « EA », « Entreprises adaptées », « établissements et services d'aide par le travail », or
#: its article, L2113-12 (the Plan cadre's PC-8 counts them)
PROTECTED = re.compile(r"\b(?:esat|ea)\b|entreprises?\s+adapt[ée]|aide\s+par\s+le\s+travail|secteur\s+prot[ée]g|\bl\.?\s*2113-12\b", re.I)
#: a reservation named in the « marche_reserve » column instead of « oui » (« ESAT/EA », « SIAE »,
#: « L2113-13 »): the protected sector's names, insertion's and the ESS's; its type kept when
#: « type_reserve » says none
RESERVATION_NAMES = re.compile(rf"{PROTECTED.pattern}|\b(?:siae|ess|iae)\b|\bl\.?\s*2113-1[35]\b", re.I)


def parse_facilitator(value: object) -> Tri:
    """oui/non, or the facilitator's name, which says yes."""
    said = parse_bool(value)
    return True if said is None and value is not None and FACILITATOR_NAMES.search(str(value)) else said


def parse_reserved(value: object) -> Tri:
    """oui/non, or the reservation's type or article, which says yes."""
    said = parse_bool(value)
    return True if said is None and value is not None and RESERVATION_NAMES.search(str(value)) else said


#: what a cell read by each parser should hold, said when it does not (`_cell`)
EXPECTED: dict[Callable[[object], object], str] = {parse_bool: "attendu : oui ou non", _count: "nombre attendu",
                                                   parse_facilitator: "attendu : oui, non ou le nom du facilitateur",
                                                   parse_reserved: "attendu : oui, non ou le type de réservation (ESAT/EA, SIAE, ESS)",
                                                   read_months: "nombre de mois attendu, « 48 » ou « 48 mois »"}


def parse_day(value: object) -> date | None:
    """A date from a cell: ISO (with a time zone suffix as DECP writes it), JJ/MM/AAAA, or French words."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    t = str(value).strip()
    if len(t) >= 10 and t[4] == "-":
        try:
            return date.fromisoformat(t[:10])  # the common case, in C
        except ValueError:
            pass
    m = DATE_ISO.match(t)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    m = DATE_FR.match(t)
    if m:
        year = int(m.group(3)) + (2000 if len(m.group(3)) == 2 else 0)
        try:
            return date(year, int(m.group(2)), int(m.group(1)))
        except ValueError:
            return None
    serial = t.removesuffix(".0")
    if serial.isdigit() and EXCEL_SERIALS[0] <= int(serial) <= EXCEL_SERIALS[1]:
        return date.fromordinal(EXCEL_EPOCH.toordinal() + int(serial))
    return parse_date(t)


#: a day written by its month or its year only: « mars 2024 », « 03/2024 », « 2024-03 », « 2024 »
MONTH_OR_YEAR = re.compile(rf"^(?:(?P<word>{MONTH_NAMES})\s+|(?P<mm>\d{{1,2}})[/.-])?(?P<y>(?:19|20)\d{{2}})(?:[/.-](?P<m>\d{{1,2}}))?$", re.I)


def parse_month(value: object) -> date | None:
    """A date, or the first day of a month or a year written alone (as `dce_edition` reads
    a DCE's « mars 2021 »): a manager records a training as « formation de mars 2024 » or
    « 2024 », « illisible » before; the indicator counts the trainings of the three years to
    the end of the year computed, for which the year is all it needs."""
    day = parse_day(value)
    if day is not None or value is None:
        return day
    m = MONTH_OR_YEAR.match(str(value).strip().removesuffix(".0"))
    if not m or (m["mm"] and m["m"]):
        return None
    month = month_number(m["word"]) if m["word"] else int(m["mm"] or m["m"] or 1)
    return date(int(m["y"]), month, 1) if 1 <= month <= 12 else None


def parse_amount(value: object) -> float | None:
    """1 234 567,89 €, 1234567.89, "70000.00": a number or None."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)  # Python's JSON reader takes NaN and Infinity, which no amount is
        return number if math.isfinite(number) else None
    t = str(value).strip()
    plain = t.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    if "," in plain and "." not in plain:
        plain = plain.replace(",", ".")
    try:
        number = float(plain)  # "70000.00", "12 400", "2,5": the common cases
        return number if math.isfinite(number) else None
    except ValueError:
        pass
    if m := AMOUNT_UNIT.match(t):
        scaled = parse_number(m.group("n").strip())
        return None if scaled is None else scaled * (1000 if m.group("unit").lower() == "k" else 1_000_000)
    return parse_number(CURRENCY.sub("", t).strip())


# --------------------------------------------------------------------------- tables


def _rows_csv(path: Path) -> tuple[list[str], Iterator[list[str]]]:
    text = decode_text(path.read_bytes())
    end = LINE_END.search(text)
    first = text[: end.start()] if end else text
    hint = SEPARATOR_HINT.fullmatch(first)
    skipped = 0
    if hint:  # « sep=; »: the line Excel reads as the separator, not as the header
        delimiter, text, skipped = hint.group(1), text[end.end() :] if end else "", 1
    else:
        delimiter = max(";,\t", key=first.count)
    # newline="": the csv module reads the line ends itself, "\r" alone (Excel for Mac's
    # « CSV (Macintosh) ») included, and keeps a line break inside a quoted cell
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(_csv_lines(reader, path, skipped), None)
    if not header:
        raise AchatCheckError("AC-E015", "fichier vide : aucune ligne d'en-tête.", str(path))
    return header, _unswallowed(_csv_lines(reader, path, skipped), reader, header, delimiter, path, skipped)


def _unswallowed(rows: Iterator[list[str]], reader: CsvReader, header: list[str], delimiter: str, path: Path,
                 skipped: int) -> Iterator[list[str]]:
    """The rows, or AC-E015 where a cell opened by a quote takes whole lines of the file: a
    cell typed « "Papier » (a quote never closed) made the csv module read every following
    line as its text, and those markets vanished from the indicators without a word."""
    start = reader.line_num + 1
    for row in rows:
        for i, cell in enumerate(row):
            if "\n" not in cell and "\r" not in cell:  # nearly every cell: a line of its own
                continue
            if any(line.count(delimiter) >= max(2, len(header) - 2) for line in cell.splitlines()[1:]):
                column = f"colonne « {header[i].strip()} »" if i < len(header) else f"colonne {i + 1}"
                raise AchatCheckError(
                    "AC-E015",
                    f"ligne {start + skipped}, {column} : une cellule ouverte par un guillemet n'est pas "
                    "refermée, et les lignes suivantes y seraient lues comme du texte : retirez ce guillemet ou "
                    "doublez-le (\"\"), ou enregistrez le fichier depuis le tableur en CSV UTF-8.",
                    str(path),
                )
        yield row
        start = reader.line_num + 1


#: the first line some programs write for Excel to know the separator ("sep=;")
SEPARATOR_HINT = re.compile(r'\ufeff?"?sep=(.)"?(?:\1)*', re.I)
LINE_END = re.compile(r"\r\n|\r|\n")


def _csv_lines(reader: CsvReader, path: Path, skipped: int = 0) -> Iterator[list[str]]:
    """The rows, or AC-E015 naming the line the csv module could not read (a cell of more
    than 128 KB, a stray character after a closing quote...), counted in the file (`skipped`
    lines were read before the csv module's first)."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise AchatCheckError("AC-E015", f"ligne {reader.line_num + skipped} illisible ({library_reason(exc)}) : ouvrez le fichier dans le "
                                  "tableur et enregistrez-le en CSV UTF-8 (séparateur point-virgule).", str(path)) from None
        yield row


#: a formula cell with no computed value: what a program writes (openpyxl, some exports),
#: and what Excel or LibreOffice computes and fills in when the file is saved
UNCOMPUTED = re.compile(
    rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3}\d+)"[^>]*>\s*<(?:\w+:)?f\b[^>]*?(?:/>|>[^<]*</(?:\w+:)?f>)'
    rb"\s*(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>"
)


def uncomputed_formulas(path: Path) -> list[str]:
    """Cells (« H3 ») of a workbook's sheets holding a formula that was never computed:
    read with the values, they are empty, and an amount or a date silently went missing."""
    import zipfile

    from achat_check.ingest.sniff import ZIP_ERRORS

    try:
        with zipfile.ZipFile(path) as zf:
            sheets = [zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
    except (*ZIP_ERRORS, KeyError):  # damaged: openpyxl says what is wrong with the file
        return []
    # most registers hold no formula: a plain search skips them (the pattern takes 0.5 s on 20,000 lines)
    return [m.group(1).decode() for xml in sheets if b"<f" in xml or b":f" in xml for m in UNCOMPUTED.finditer(xml)]


def _rows_xlsx(path: Path, sheet: str, columns: list[Column], issues: list[DataIssue]) -> tuple[list[str], Iterator[list[Any]]]:
    from openpyxl import load_workbook

    try:
        # from its bytes: openpyxl refuses a path whose name does not end in .xlsx (an XLSX
        # exported under a .xls name)
        wb = load_workbook(io.BytesIO(path.read_bytes()), read_only=True, data_only=True)
        sheets = wb.worksheets

        def head(i: int) -> list[list[Any]]:
            return [list(r) for r in itertools.islice(sheets[i].iter_rows(values_only=True), MAX_TITLE_ROWS)]

        ws = sheets[_chosen_sheet([ws.title for ws in sheets], sheet, head, columns, path, issues)]
    except AchatCheckError:
        raise
    except Exception as exc:  # noqa: BLE001 - any openpyxl failure is an unreadable workbook
        raise _unreadable_workbook(exc, path) from exc
    return _header_and_rows(_read_on(ws.iter_rows(values_only=True), path), path)


def _unreadable_workbook(exc: BaseException, path: Path) -> AchatCheckError:
    reason = library_reason(exc)  # openpyxl's own messages can be long: its class name when not known
    reason = type(exc).__name__ if reason == str(exc) else reason
    return AchatCheckError("AC-E015", f"classeur XLSX illisible ({reason}) : réenregistrez-le depuis le tableur.", str(path))


def _read_on(rows: Iterator[tuple[Any, ...]], path: Path) -> Iterator[list[Any]]:
    """A read-only workbook's rows: openpyxl inflates and parses the sheet as it goes, so a
    damaged sheet (its deflated bytes, its checksum, its XML) fails here, mid-register."""
    try:
        for row in rows:
            yield list(row)
    except Exception as exc:  # noqa: BLE001 - as when opening: an unreadable workbook
        raise _unreadable_workbook(exc, path) from exc


def _chosen_sheet(titles: list[str], sheet: str, head: Callable[[int], list[list[Any]]], columns: list[Column], path: Path,
                  issues: list[DataIssue]) -> int:
    """The sheet a register is read from: « Marchés », or « Marches 2026 », « MARCHÉS » as a
    workbook names it (`sheet`); else the first whose first rows (`head`) name every required
    column, said when it is not the first (a workbook opening on a « Synthèse » sheet was
    read on that one and refused); a workbook of several sheets none of which does is
    refused with their names, one of a single sheet by its missing columns."""
    named = next((i for i, title in enumerate(titles) if _key(title).startswith(_key(sheet))), None)
    if named is not None or len(titles) == 1:
        return named or 0
    for i in range(len(titles)):
        if any(_names_required(["" if c is None else str(c) for c in row], columns) for row in head(i)):
            if i:
                issues.append(DataIssue(kind="feuille", source=path.name, message=(
                    f"feuille « {titles[i]} » lue : la première qui nomme les colonnes du registre (« {titles[0]} » ne les "
                    f"nomme pas) ; nommez-la « {sheet} » pour le dire.")))
            return i
    required = ", ".join(c.name for c in columns if c.required)
    raise AchatCheckError("AC-E015", (
        f"aucune des {len(titles)} feuilles ({', '.join(f'« {t} »' for t in titles[:10])}) ne nomme les colonnes obligatoires "
        f"{required} dans ses {MAX_TITLE_ROWS} premières lignes : nommez « {sheet} » la feuille du registre et donnez à ses "
        "colonnes les noms du modèle (`achat-check indicators template`)."), str(path))


def _header_and_rows(rows: Iterator[list[Any]], path: Path) -> tuple[list[str], Iterator[list[Any]]]:
    """The sheet's first row as column names, and the rows below it."""
    header = next(rows, None)
    if not header:
        raise AchatCheckError("AC-E015", "feuille vide : aucune ligne d'en-tête.", str(path))
    return ["" if h is None else str(h) for h in header], rows


def _rows_sheets(path: Path, sheet: str, issues: list[DataIssue], columns: list[Column]) -> tuple[list[str], Iterator[list[Any]]]:
    """A LibreOffice Calc (.ods) or Excel 97 (.xls) register: the sheet named like `sheet`,
    else the first; its cells as values (numbers, dates, yes/no), as `_rows_xlsx` gives them."""
    from achat_check.ingest import ods, xls
    from achat_check.settings import Limits

    data, name = path.read_bytes(), str(path)
    try:
        if path.suffix.lower() == ".xls":
            sheets = xls.read_sheets(data, name, True, xls.MAX_ROWS, xls.MAX_COLS)
        else:
            sheets = ods.read_sheets(data, name, True, Limits())
    except AchatCheckError as exc:  # unreadable: the register's code; a suspicious file keeps its own
        if exc.code != "AC-E004":
            raise
        raise AchatCheckError("AC-E015", exc.message, name) from None
    except Exception as exc:  # noqa: BLE001 - a part the parsers met damaged (its XML, its bytes)
        kind = "XLS" if path.suffix.lower() == ".xls" else "ODS"
        raise AchatCheckError("AC-E015", f"classeur {kind} illisible ({library_reason(exc)}) : réenregistrez-le depuis le "
                              "tableur.", name) from None
    if not sheets:
        raise AchatCheckError("AC-E015", "classeur sans feuille : réenregistrez-le depuis le tableur.", name)
    chosen = sheets[_chosen_sheet([s.name for s in sheets], sheet, lambda i: sheets[i].rows[:MAX_TITLE_ROWS], columns, path, issues)]
    _formulas_issue(path, chosen.uncomputed, issues)
    return _header_and_rows(iter(chosen.rows), path)


def must_be_file(path: Path) -> None:
    """A register's path names a file, or AC-E001 says what it names instead (a folder was
    « fichier introuvable », and a DECP one « JSON illisible »)."""
    if path.is_dir():
        raise AchatCheckError("AC-E001", "c'est un dossier : donnez le fichier du registre (CSV, XLSX, XLS, ODS, ou DECP JSON "
                              "ou XML).", str(path))
    if not path.is_file():
        raise AchatCheckError("AC-E001", "fichier introuvable : vérifiez le chemin.", str(path))


def read_table(path: Path, sheet: str, issues: list[DataIssue], columns: list[Column]) -> tuple[list[str], Iterator[list[Any]], int]:
    """Header, rows and the line number of the first row of a CSV, XLSX, XLS or ODS file (a
    workbook's formulas never computed are an issue)."""
    must_be_file(path)
    suffix = path.suffix.lower()
    if suffix == ".xls":
        suffix = _xls_content(path)
    if suffix in (".csv", ".txt", ".tsv"):
        return _below_title(*_rows_csv(path), columns)
    if suffix in (".xlsx", ".xlsm"):
        table = _rows_xlsx(path, sheet, columns, issues)
        _formulas_issue(path, uncomputed_formulas(path), issues)
        return _below_title(*table, columns)
    if suffix in (".ods", ".ots", ".xls"):
        return _below_title(*_rows_sheets(path, sheet, issues, columns), columns)
    if suffix == ".numbers":
        raise AchatCheckError("AC-E002", f"classeur {suffix[1:].upper()} non lu : dans le tableur, « Enregistrer sous » "
                              "Classeur Excel (.xlsx) ou CSV UTF-8, puis relancez avec ce fichier.", str(path))
    raise AchatCheckError("AC-E002", "registre attendu au format CSV, XLSX, XLS, ODS, DECP JSON ou XML.", str(path))


def _xls_content(path: Path) -> str:
    """What a register named .xls holds, as the suffix of its reader: purchasing systems'
    « export Excel » is often a CSV or TSV (read as such) or an XLSX under that name; a web
    page saved as .xls is said."""
    with path.open("rb") as fh:
        head = fh.read(512)
    if head.startswith(b"PK"):
        return ".xlsx"
    if head.lstrip().lower().startswith((b"<html", b"<!doctype", b"<table", b"<?xml")):
        raise AchatCheckError("AC-E015", "ce « .xls » est une page web (export HTML) : ouvrez-le dans le tableur et "
                              "enregistrez-le en Classeur Excel (.xlsx) ou CSV UTF-8, puis relancez avec ce fichier.", str(path))
    if not head.startswith(OLE_MAGIC[:4]) and sniff(head) in ("txt", "md"):
        return ".csv"
    return ".xls"  # a workbook, or what xlrd will say is no readable one


def _formulas_issue(path: Path, cells: list[str], issues: list[DataIssue]) -> None:
    """Formulas never computed are read empty: an amount or a date silently missing."""
    if cells:
        issues.append(DataIssue(kind="formule non calculée", source=path.name, message=(
            f"{len(cells)} cellule(s) contiennent une formule jamais calculée ({first_of(cells, 5)}), lues vides : le classeur "
            "vient sans doute d'un programme ; ouvrez-le dans Excel ou LibreOffice et enregistrez-le, puis relancez.")))


MAX_TITLE_ROWS = 10


def _below_title(header: list[str], rows: Iterator[list[Any]], columns: list[Column]) -> tuple[list[str], Iterator[list[Any]], int]:
    """The header row under a title: a register kept in a spreadsheet often opens on « Registre
    des marchés de la CAF — exercice 2026 » and a blank line, its column names on row 3.  The
    first of the first rows that names every required column is the header; when none does,
    the first row stays the header (its « colonne absente » error lists what it holds)."""
    if _names_required(header, columns):
        return header, rows, 2
    above: list[list[Any]] = []
    for line in range(2, MAX_TITLE_ROWS + 1):
        row = next(rows, None)
        if row is None:
            break
        above.append(row)
        cells = ["" if c is None else str(c) for c in row]
        if _names_required(cells, columns):
            return cells, rows, line + 1
    return header, itertools.chain(above, rows), 2


def _names_required(header: list[str], columns: list[Column]) -> bool:
    found = _found(header, columns)
    return all(c.name in found for c in columns if c.required)


#: how many of a register's columns besides the required ones make a sheet a register of
#: markets for sure (a DCE's workbook, a BPU or a DQE, names none of them)
REGISTER_MORE = 2


def register_headings(rows: list[list[str]]) -> list[str] | None:
    """The headings of a register of markets among a sheet's first rows (« N° du marché »,
    « Date notif. », « Montant maximum HT »…), None for any other sheet: given to `check` as
    a piece of a DCE, a register read as one gave a report of nothing (its « Critère social
    (O/N) » heading a social criterion, its « MAPA » cells the procedure)."""
    for row in rows[:MAX_TITLE_ROWS]:
        cells = ["" if c is None else str(c) for c in row]
        found = _found(cells, MARKET_COLUMNS)
        if all(c.name in found for c in MARKET_COLUMNS if c.required) and len(found) >= 2 + REGISTER_MORE:
            return [cells[i] for i in sorted(found.values())]
    return None


def _cells(row: list[Any], mapping: dict[str, int]) -> dict[str, object]:
    return {name: (row[i] if i < len(row) else None) for name, i in mapping.items()}


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --------------------------------------------------------------------------- markets


def load_markets(path: str | Path, issues: list[DataIssue]) -> list[MarketRecord]:
    """Markets from a CSV/XLSX register or a DECP JSON or XML file (2019 or 2024 format)."""
    p = Path(path)
    if p.suffix.lower() in (".json", ".xml"):
        from achat_check.indicators.decp import load_decp

        must_be_file(p)  # a table's path is checked by read_table
        return load_decp(p, issues)
    header, rows, first = read_table(p, "Marchés", issues, MARKET_COLUMNS)
    mapping = _mapping(header, MARKET_COLUMNS, str(p))
    unread_columns(header, mapping, MARKET_COLUMNS, f"{p.name}, ligne {first - 1}", issues)
    ttc_heading = "montant" in mapping and _key(header[mapping["montant"]]) in TTC_HEADINGS
    out = []
    for n, row in enumerate(rows, start=first):
        if not any(c not in (None, "") for c in row):
            continue
        cells = _cells(row, mapping)
        if _total_row(row) and parse_day(cells.get("date_notification")) is None:
            issues.append(DataIssue(kind="ligne de total", source=f"{p.name}, ligne {n}",
                                    message="ligne de total du registre : ignorée, ce n'est pas un marché."))
            continue
        if ttc_heading and not _text(cells.get("montant_type")):
            cells["montant_type"], cells[HEADING_SAYS] = "TTC", f"en-tête « {str(header[mapping['montant']]).strip()} »"
        out.append(_market(cells, f"{p.name}, ligne {n}", p.parent, issues))
    return out


def read_date_and_amount(m: MarketRecord, notified: object, amount: object, issues: list[DataIssue]) -> None:
    """The notification date and the amount of a market (register line or DECP record); a
    value written but unreadable is said here, with what follows from it, and marked so that
    it is not said « manquant » too."""
    m.notified, m.amount = parse_day(notified), parse_amount(amount)
    if notified not in (None, "") and m.notified is None:
        m.unreadable.add("date_notification")
        issues.append(DataIssue(kind="date illisible", source=m.source, market_id=m.id,
                                message=f"date de notification « {clip(str(notified), SHOWN)} » illisible : marché exclu de toute année."))
    if amount not in (None, "") and m.amount is None:
        m.unreadable.add("montant")
        issues.append(DataIssue(kind="montant illisible", source=m.source, market_id=m.id,
                                message=f"montant « {clip(str(amount), SHOWN)} » illisible : marché exclu des taux (compté dans les nombres)."))


#: characters of a cell a data-quality line quotes: a cell of a whole paragraph (or of a
#: line break and the rows a stray quote swallowed) is named, not printed
SHOWN = 60

#: the first written cell of a register's totals row: « Total », « TOTAL GÉNÉRAL », « Sous-total lot 1 »
TOTAL_CELL = re.compile(r"^\W*(?:sous[- ]?)?tota(?:l|ux)\b", re.I)


def _total_row(row: list[Any]) -> bool:
    """Whether a row's first written cell names it a spreadsheet's totals row; with no date
    (the label often sits in the date's column, tested after this) it is no market nor
    payment: said apart, not as a market « without a date »."""
    first = next((c for c in row if c not in (None, "")), "")
    return bool(TOTAL_CELL.match(_text(first)))


def _market(c: dict[str, object], source: str, base: Path, issues: list[DataIssue]) -> MarketRecord:
    mid = _text(c.get("id_marche"))
    m = MarketRecord(id=mid, source=source)
    m.buyer_id, m.buyer_name = _text(c.get("siret_acheteur")), _text(c.get("nom_acheteur"))
    m.organisation = _text(c.get("organisme")) or m.buyer_name or m.buyer_id
    m.branch = _text(c.get("branche"))
    m.object, m.procedure = _text(c.get("objet")), _text(c.get("procedure"))
    read_date_and_amount(m, c.get("date_notification"), c.get("montant"), issues)
    m.duration_months = _cell(c, "duree_mois", read_months, source, mid, issues)
    m.amount_is_ttc = _is_ttc(c.get("montant"), _text(c.get("montant_type")), source, mid, issues,
                              _text(c.get(HEADING_SAYS)) or "colonne « montant_type »")
    m.vat_rate = _cell(c, "taux_tva", _count, source, mid, issues)
    m.awardee_id, m.awardee_name = _text(c.get("siret_titulaire")), _text(c.get("nom_titulaire"))
    m.awardee_category = _text(c.get("categorie_titulaire")).upper()
    headcount = _cell(c, "effectif_titulaire", _count, source, mid, issues)
    m.awardee_headcount = int(headcount) if headcount is not None else None
    m.awardee_sme = _cell(c, "titulaire_pme", parse_bool, source, mid, issues)
    m.reserved = _cell(c, "marche_reserve", parse_reserved, source, mid, issues)
    # « ESAT/EA » written in the reservation's own column is its type too
    m.reserved_kind = _text(c.get("type_reserve")) or (_text(c.get("marche_reserve")) if m.reserved and parse_bool(c.get("marche_reserve")) is None else "")
    m.facilitator = _cell(c, "facilitateur", parse_facilitator, source, mid, issues)
    m.insertion_hours = _cell(c, "heures_insertion", _count, source, mid, issues)
    m.insertion_hours_disability = _cell(c, "heures_insertion_handicap", _count, source, mid, issues)
    for attr, col in (("env_consideration", "consideration_environnementale"), ("env_clause", "clause_environnementale"),
                      ("env_criterion", "critere_environnemental"), ("social_consideration", "consideration_sociale"),
                      ("social_clause", "clause_sociale"), ("social_criterion", "critere_social")):
        setattr(m, attr, _cell(c, col, parse_bool, source, mid, issues))
    social = [v.strip() for v in re.split(r"[;|,]", _text(c.get("considerations_sociales"))) if v.strip()]
    env = [v.strip() for v in re.split(r"[;|,]", _text(c.get("considerations_environnementales"))) if v.strip()]
    apply_decp_values(m, social, env, issues)
    dce = _text(c.get("dce"))
    if "\0" in dce:  # a stray byte of an export: no file has this name, and pathlib refuses it
        issues.append(DataIssue(kind="chemin illisible", source=source, market_id=mid,
                                message="chemin du DCE illisible (caractère nul) : corrigez la colonne « dce » ; DCE non lu."))
        dce = ""
    m.dce = str((base / dce).resolve()) if dce else ""
    return m


SOCIAL_VALUES = {"clause sociale": "social_clause", "critère social": "social_criterion", "marché réservé": "reserved"}
ENV_VALUES = {"clause environnementale": "env_clause", "critère environnemental": "env_criterion"}


def apply_decp_values(m: MarketRecord, social: list[str], env: list[str], issues: list[DataIssue]) -> None:
    """Set the flags from DECP consideration values; contradictions are data-quality lines."""
    for values, table, none_label, attr in (
        (social, SOCIAL_VALUES, "pas de considération sociale", "social_consideration"),
        (env, ENV_VALUES, "pas de considération environnementale", "env_consideration"),
    ):
        if not values:
            continue
        lowered = [v.lower() for v in values]
        unknown = [v for v, low in zip(values, lowered, strict=True) if low not in table and low != none_label]
        if unknown:
            issues.append(DataIssue(kind="valeur inconnue", source=m.source, market_id=m.id,
                                    message=f"valeur(s) DECP inconnue(s) : {first_of([clip(v, SHOWN) for v in unknown], 5)} (ignorées)."))
        positive = [table[low] for low in lowered if low in table]
        if none_label in lowered and positive:
            issues.append(DataIssue(kind="déclaration contradictoire", source=m.source, market_id=m.id,
                                    message=f"« {none_label.capitalize()} » déclaré avec {', '.join(v for v in values if v.lower() != none_label)} : "
                                            "la valeur positive est retenue, à corriger dans les données."))
        for flag in positive:
            setattr(m, flag, True)
        if positive or none_label in lowered:
            # the list is the market's considerations of the theme (« Les considérations
            # sociales du marché public », schema DECP 2.0): a value it leaves out, « Marché
            # réservé » among the social ones, is one the market does not have
            setattr(m, attr, bool(positive))
            for flag in table.values():
                if getattr(m, flag) is None:
                    setattr(m, flag, False)


# --------------------------------------------------------------------------- payments, organisations


def load_payments(path: str | Path, issues: list[DataIssue]) -> list[PaymentRecord]:
    """Payments: request received, paid, amount, supplier, organisation."""
    p = Path(path)
    header, rows, first = read_table(p, "Paiements", issues, PAYMENT_COLUMNS)
    mapping = _mapping(header, PAYMENT_COLUMNS, str(p))
    unread_columns(header, mapping, PAYMENT_COLUMNS, f"{p.name}, ligne {first - 1}", issues)
    ir, ip = mapping["date_reception"], mapping["date_paiement"]
    ia, isup, iorg = mapping.get("montant"), mapping.get("fournisseur"), mapping.get("organisme")
    need = max(i for i in (ir, ip, ia, isup, iorg) if i is not None) + 1
    out = []
    name = p.name
    for n, row in enumerate(rows, start=first):
        if not row or all(c in (None, "") for c in row):
            continue
        if len(row) < need:
            row = list(row) + [None] * (need - len(row))
        received, paid = _day_fast(row[ir]), _day_fast(row[ip])
        if received is None and paid is None and _total_row(row):
            issues.append(DataIssue(kind="ligne de total", source=f"{name}, ligne {n}",
                                    message="ligne de total du registre : ignorée, ce n'est pas un paiement."))
            continue
        out.append(PaymentRecord(
            source=f"{name}, ligne {n}",
            received=received,
            paid=paid,
            amount=parse_amount(row[ia]) if ia is not None else None,
            supplier=_text(row[isup]) if isup is not None else "",
            organisation=_text(row[iorg]) if iorg is not None else "",
            unreadable_date=(received is None and row[ir] not in (None, "")) or (paid is None and row[ip] not in (None, "")),
        ))
    return out


def _day_fast(value: object) -> date | None:
    """parse_day, with the ISO string of a CSV export tried first inline (200 000 rows)."""
    if value.__class__ is str and len(value) == 10 and value[4] == "-":
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    return parse_day(value)


def organisation_key(name: str) -> str:
    """A buyer's name folded as the rules fold words (`accents.fold`), in single spaces."""
    return fold(" ".join(name.split()))


#: what an organisations register gives beside the organisation's name
ORGANISATION_DATA = ("branche", "date_formation_sociale", "plan_reduction")


def load_organisations(path: str | Path, issues: list[DataIssue]) -> list[OrganisationRecord]:
    """Organisations: buyers' social training date, consumption-reduction plan; one line
    each (a repeated one would count twice in the organisations' rates)."""
    p = Path(path)
    header, rows, first = read_table(p, "Organismes", issues, ORGANISATION_COLUMNS)
    mapping = _mapping(header, ORGANISATION_COLUMNS, str(p))
    if not any(name in mapping for name in ORGANISATION_DATA):  # another register given as this one
        raise AchatCheckError(
            "AC-E015",
            f"aucune colonne du registre des organismes ({', '.join(ORGANISATION_DATA)}) : est-ce bien ce registre ? "
            f"Colonnes lues : {', '.join(h for h in header if h) or 'aucune'}. Le modèle `achat-check indicators "
            "template` donne les noms attendus.",
            str(p),
        )
    unread_columns(header, mapping, ORGANISATION_COLUMNS, f"{p.name}, ligne {first - 1}", issues)
    out = []
    seen: dict[str, str] = {}
    for n, row in enumerate(rows, start=first):
        if not row or all(c in (None, "") for c in row):
            continue
        c = _cells(row, mapping)
        source = f"{p.name}, ligne {n}"
        name = _text(c.get("organisme"))
        key = organisation_key(name)
        if key and key in seen:
            issues.append(DataIssue(kind="doublon", source=source, message=f"organisme « {clip(name, SHOWN)} » "
                                    f"en double (déjà lu en {seen[key]}) : ligne ignorée ; gardez une ligne par organisme."))
            continue
        seen[key] = source
        org = OrganisationRecord(id=name, source=source, branch=_text(c.get("branche")),
                                 social_training=parse_month(c.get("date_formation_sociale")),
                                 reduction_plan=_cell(c, "plan_reduction", parse_bool, source, "", issues))
        if c.get("date_formation_sociale") not in (None, "") and org.social_training is None:
            issues.append(DataIssue(kind="date illisible", source=source, message=f"date de formation « {clip(str(c.get('date_formation_sociale')), SHOWN)} » illisible."))
        out.append(org)
    return out


#: a DECP file is read whole (JSON), or into the whole list of its records (XML), about ten
#: times its size in memory: the consolidated national DECP (more than a gigabyte) would take
#: the machine down before saying anything
MAX_JSON_MB = 300
SPLIT_HINT = ("gardez-en les marchés de vos acheteurs (par exemple : jq '.marches |= map(select(.acheteur.id == \"SIRET\"))' "
              "decp.json > mes-marches.json), ou donnez un registre CSV, XLSX, XLS ou ODS.")


def refuse_too_big(path: Path, kind: str, hint: str) -> None:
    """Refuse a DECP file past MAX_JSON_MB, naming it, its size and what to do (`hint`)."""
    if (size := path.stat().st_size) > MAX_JSON_MB << 20:
        raise AchatCheckError("AC-E015", f"fichier {kind} de {size >> 20} Mo (au plus {MAX_JSON_MB} Mo) : {hint}", str(path))


def load_json(path: Path) -> object:
    """A JSON file, or a clear error naming it (unreadable, or too big to be read whole)."""
    try:
        refuse_too_big(path, "JSON", SPLIT_HINT)
        return json.loads(path.read_bytes())
    except MemoryError:
        raise AchatCheckError("AC-E015", f"fichier JSON trop gros pour la mémoire de cette machine : {SPLIT_HINT}", str(path)) from None
    except (OSError, ValueError) as exc:
        raise AchatCheckError("AC-E015", f"JSON illisible ({library_reason(exc)}) : vérifiez le fichier.", str(path)) from exc
