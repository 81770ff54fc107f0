"""pydantic's validation errors said in French, one table for the settings and the API.

pydantic's messages are English ("Input should be a valid integer"); a buyer reading why an
`ACHAT_CHECK_*` variable or an API field was refused reads the same French words either way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any


def _num(value: object) -> str:
    """A bound as written: 100000 stays 100000 (":g" would say 1e+06 of a million), 0.25 stays 0.25."""
    return f"{value:g}" if isinstance(value, float) else str(value)


def _allowed(ctx: dict[str, Any]) -> str:
    return "valeurs permises : " + str(ctx.get("expected", "")).replace(" or ", " ou ")


#: pydantic's error types, in French; the others keep pydantic's words
SAYS: dict[str, Callable[[dict[str, Any]], str]] = {
    "greater_than_equal": lambda ctx: f"doit valoir au moins {_num(ctx.get('ge'))}",
    "less_than_equal": lambda ctx: f"doit valoir au plus {_num(ctx.get('le'))}",
    "greater_than": lambda ctx: f"doit valoir plus de {_num(ctx.get('gt'))}",
    "less_than": lambda ctx: f"doit valoir moins de {_num(ctx.get('lt'))}",
    "literal_error": _allowed,
    "enum": _allowed,
    "int_parsing": lambda ctx: "nombre entier attendu",
    "int_type": lambda ctx: "nombre entier attendu",
    "int_from_float": lambda ctx: "nombre entier attendu",
    "float_parsing": lambda ctx: "nombre attendu",
    "bool_parsing": lambda ctx: "true ou false attendu",
    "string_too_long": lambda ctx: f"au plus {_num(ctx.get('max_length'))} caractères",
    "finite_number": lambda ctx: "nombre fini attendu",
    "missing": lambda ctx: "champ obligatoire absent",
    "string_type": lambda ctx: "texte attendu",
    "list_type": lambda ctx: "liste attendue",
    "float_type": lambda ctx: "nombre attendu",
    "bool_type": lambda ctx: "true ou false attendu",
    **dict.fromkeys(("dict_type", "model_type", "model_attributes_type"), lambda ctx: "dictionnaire (clé : valeur) attendu"),
    "extra_forbidden": lambda ctx: "champ inconnu (faute de frappe ?)",
    "string_pattern_mismatch": lambda ctx: f"forme attendue : {ctx.get('pattern')}",
    "string_too_short": lambda ctx: f"au moins {_num(ctx.get('min_length'))} caractère(s)",
    "too_short": lambda ctx: f"au moins {_num(ctx.get('min_length'))} élément(s)",
    "too_long": lambda ctx: f"au plus {_num(ctx.get('max_length'))} élément(s)",
    # our validators' own words (« expression régulière invalide… »), without pydantic's « Value error, »
    **dict.fromkeys(("value_error", "assertion_error"), lambda ctx: str(ctx.get("error", ""))),
    # a buyer types « 15/01/2027 » where the API takes 2027-01-15 (it was « invalid character in year »)
    **dict.fromkeys(("date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact", "date_type"),
                    lambda ctx: "date attendue au format AAAA-MM-JJ (par exemple 2027-01-15)"),
}


def in_french(error: Mapping[str, Any]) -> str:
    """What is wrong with the value of one pydantic error (an item of `.errors()`)."""
    say = SAYS.get(error.get("type", ""))
    return say(error.get("ctx") or {}) if say else str(error.get("msg", ""))
