"""French dates as DCEs write them: "jeudi 15 octobre 2026", "1er septembre 2026", "15/07/2026"."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from achat_check.caseless import caseless

#: the months as written, and as `month_number` looks them up (« février » and « fevrier »)
MONTH_WORDS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
               "novembre", "décembre")
MONTHS = {m.replace("é", "e").replace("û", "u"): i for i, m in enumerate(MONTH_WORDS, start=1)}
MONTH_NAMES = r"janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[ûu]t|septembre|octobre|novembre|d[ée]cembre"
#: the « er » of the first day: « 1er », « 1ᵉʳ », and « 1.e.r » as text taken from BOAMP notices
#: gives it (« Date limite de réception des offres : 1.e.r septembre 2020 »)
FIRST = r"(?:er|\.e\.r|ᵉʳ)?"
DATE_TEXT = caseless(rf"(?P<d>\d{{1,2}}){FIRST}\s+(?P<m>{MONTH_NAMES})\s+(?P<y>20\d{{2}})", prefilter=False)
DATE_NUM = re.compile(r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>20\d{2})")
#: the date a DCE is written on, beside its name on the cover or in a running line: « DOSSIER
#: PRO/DCE – MARS 2021 », « GBA & CO 01-15/3429 DCE B 5 Octobre 2016 » (the index between),
#: « Version DCE du 12/03/2024 »; a date further in the line may be another (« le DCE est
#: téléchargeable jusqu'au 12 mars »: no « jusqu'au » between)
DCE_DATE = caseless(
    r"\b(?:dce|dossier\s+de\s+consultation\s+des\s+entreprises)\s*(?:[-–—/:]\s*)?"
    r"(?:(?:indice|ind\.|phase|version)?\s*[a-z0-9]{1,2}\s*(?:[-–—/]\s*)?)?(?:du\s+|le\s+|en\s+date\s+du\s+)?"
    rf"(?P<when>(?:(?P<d>\d{{1,2}}){FIRST}\s+)?(?P<m>{MONTH_NAMES})\s+(?P<y>20\d{{2}})|\d{{1,2}}/\d{{1,2}}/20\d{{2}})\b"
)


def dce_edition(m: re.Match[str]) -> date | None:
    """The day (the first of the month when only the month is written) of a DCE_DATE match."""
    if m.group("m"):
        try:
            return date(int(m.group("y")), month_number(m.group("m")), int(m.group("d") or 1))
        except ValueError:
            return None
    return parse_date(m.group("when"))


def month_number(name: str) -> int:
    """« Mars » 3, « août » or « aout » 8: a month as MONTH_NAMES matches it."""
    return MONTHS[name.lower().replace("é", "e").replace("û", "u")]


def months_later(day: date, months: int) -> date:
    """The first day of the month `months` after `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def parse_date(text: str) -> date | None:
    """French dates: "jeudi 15 octobre 2026", "1er septembre 2026", "15/07/2026"."""
    m = DATE_TEXT.search(text)
    if m:
        month = month_number(m.group("m"))
        try:
            return date(int(m.group("y")), month, int(m.group("d")))
        except ValueError:
            return None
    m = DATE_NUM.search(text)
    if m:
        try:
            return date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        except ValueError:
            return None
    return None


def months_between(a: date, b: date) -> float:
    """Whole months of a period from a to b, both days in it: « du 16 août 2026 au 16 août
    2030 » is 48, « du 1er octobre 2020 jusqu'au 31 août 2021 » 11 (it was 10), « du 1er
    janvier au 31 décembre » 12."""
    end = b + timedelta(days=1)
    months = (end.year - a.year) * 12 + (end.month - a.month)
    if end.day < a.day:
        months -= 1
    return float(months)


#: the basis of a consultation date the user gave (`check --date`, the API's `consultation_date`)
GIVEN_DATE = "date donnée à la vérification"
#: the basis of a consultation placed before its market's notification, which a register gives
NOTIFIED_BASIS = "marché notifié ce jour-là, selon le registre"


#: the dates a user may give for a consultation: a year outside is a typo (« 01/01/1850 »,
#: « 2206 »), and the date decides which obligations apply (the loi Climat's, from 2026)
FIRST_GIVEN, LAST_GIVEN = date(2000, 1, 1), date(2100, 12, 31)


def given_date(value: str | None, what: str) -> date | None:
    """A date the user gives (`check --date`, the web form's field): JJ/MM/AAAA, AAAA-MM-JJ or
    in words, None when none is given; one that cannot be read is refused, naming `what`,
    before any document is read."""
    from achat_check.errors import AchatCheckError
    from achat_check.indicators.registers import parse_day

    if value is None or not value.strip():
        return None
    day = parse_day(value.strip())
    if day is None:
        raise AchatCheckError("AC-E016", f"{what} « {value} » : " + (_impossible(value.strip()) or
                              "date illisible ; écrivez-la JJ/MM/AAAA (15/01/2027) ou AAAA-MM-JJ."))
    if not FIRST_GIVEN <= day <= LAST_GIVEN:
        raise AchatCheckError("AC-E016", f"{what} « {value} » : année {day.year} improbable pour une consultation "
                                         f"({FIRST_GIVEN.year} à {LAST_GIVEN.year}) ; vérifiez-la.")
    return day


def _impossible(value: str) -> str | None:
    """What is wrong in a date written as `parse_day` reads dates (JJ/MM/AAAA, AAAA-MM-JJ) but
    that no calendar holds (a buyer who typed « 31/02/2026 » was told to write JJ/MM/AAAA);
    None for another mistake."""
    from achat_check.indicators.registers import DATE_FR, DATE_ISO

    if m := DATE_FR.match(value):
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3)) + (2000 if len(m.group(3)) == 2 else 0)
    elif m := DATE_ISO.match(value):
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        return None
    if not 1 <= month <= 12:
        return f"il n'y a pas de mois {month} ; écrivez la date JJ/MM/AAAA (15/01/2027), le jour avant le mois."
    length = calendar.monthrange(year, month)[1]
    if not 1 <= day <= length:
        return (f"le {day:02d}/{month:02d}/{year} n'existe pas : {MONTH_WORDS[month - 1]} {year} a {length} jours ; "
                "vérifiez le jour et le mois.")
    return None
