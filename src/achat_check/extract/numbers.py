"""French numbers as DCEs write them: "3 000", "1 250 000,50", "400 000.00", "2,5", "40.0", "trois", "XX"."""

from __future__ import annotations

import re

from achat_check.caseless import caseless

WORDS = {
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14,
    "quinze": 15, "seize": 16, "dix-huit": 18, "vingt": 20, "vingt-quatre": 24, "trente": 30,
    "trente-six": 36, "quarante-cinq": 45, "quarante-huit": 48, "cinquante": 50, "soixante": 60,
}
WORD_RE = "|".join(sorted((re.escape(w) for w in WORDS), key=len, reverse=True))
#: a number with French thousands separators (space, NBSP, narrow NBSP, dot) and decimals:
#: after a comma, or after a point when they are cents (« 400 000.00 euros HT », an AE
#: printed from a spreadsheet); three figures after a point are one more thousand
NUMBER = r"\d{1,3}(?:[ \u00a0\u202f.]\d{3})+(?:,\d+|\.\d{1,2}(?!\d))?|\d+(?:[.,]\d+)?"
GROUPED = re.compile(r"(\d{1,3}(?:[ .]\d{3})+)(?:,(\d+)|\.(\d{1,2}))?")
PLACEHOLDER = caseless(r"\bX{1,}\b|\.{3}|…", prefilter=False)
#: an article of the code de la commande publique, not a procedure's name: « L.2124-2 », « R2124-2 »
ARTICLE_REF = re.compile(r"[LR]\.?\s?21\d\d-\d")


def parse_number(text: str) -> float | None:
    """Value of a number as written in French ("3 000" -> 3000.0, "2,5" -> 2.5, "trois" -> 3)."""
    t = text.strip().lower()
    if t in WORDS:
        return float(WORDS[t])
    if not t or PLACEHOLDER.search(t):
        return None
    t = t.replace("\u00a0", " ").replace("\u202f", " ")
    grouped = GROUPED.fullmatch(t)
    if grouped:
        whole, decimals = grouped.group(1), grouped.group(2) or grouped.group(3) or "0"
        t = f"{whole.replace(' ', '').replace('.', '')}.{decimals}"
    else:
        t = t.replace(" ", "").replace(",", ".")
    try:
        return float(t)
    except ValueError:
        return None


def all_known(values: list[float | None]) -> list[float] | None:
    """The values when every one is known, else None: weights with one left blank (« XX % »)
    add up to nothing."""
    known = [v for v in values if v is not None]
    return known if len(known) == len(values) else None


def fmt_number(value: float) -> str:
    """A figure as French writes it: 0,3 ; 2,5 ; 1500 (two decimals at most)."""
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def fmt_count(value: float) -> str:
    """A count as French writes it, thousands apart: 12 000 ; 1 607,5.  Reports and the
    hours' basis use it: a buyer reads « 12000 » as a code, not twelve thousand hours."""
    whole, comma, decimals = fmt_number(value).partition(",")
    return f"{int(whole):,}".replace(",", " ") + comma + decimals


#: the basis of an amount the user gave (`check --amount`, the API's `estimated_amount_ht`)
GIVEN_AMOUNT = "montant donné à la vérification"
#: the basis of a register's amount, for a DCE that writes none
NOTIFIED_AMOUNT = "montant du marché selon le registre"


def given_amount(value: str | float | None, what: str) -> float | None:
    """An amount in € HT the user gives (`check --amount`, the web form's field): « 120000 »,
    « 120 000,50 € », « 1,2 M€ »; None when none is given.  One that cannot be read, is
    negative or nil or says TTC is refused, naming `what` and what is wrong with it, before
    any document is read."""
    from achat_check.errors import AchatCheckError
    from achat_check.indicators.registers import parse_amount

    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    amount = parse_amount(value.strip() if isinstance(value, str) else value)
    if isinstance(value, str) and "ttc" in value.lower():
        raise AchatCheckError("AC-E016", f"{what} « {value} » : montant TTC ; donnez le montant estimé hors taxes (HT).")
    if amount is None:
        raise AchatCheckError("AC-E016", f"{what} « {value} » : montant illisible ; écrivez-le en euros HT (120000 ou 120 000,50).")
    if amount <= 0:  # read, but no market's value: « illisible » told a buyer who wrote « -5 » to write it otherwise
        said = "montant négatif" if amount < 0 else "montant nul"
        raise AchatCheckError("AC-E016", f"{what} « {value} » : {said} ; donnez le montant estimé du marché en euros HT, "
                                         "ou rien pour celui des documents.")
    return amount
