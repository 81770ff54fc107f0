"""The command line's own words in French: its help's panels and its usage errors.

Everything achat-check says is French, but a wrong option, a missing argument or a bad
value was answered by Typer in English (« No such option: --bogus », « Missing argument
'paths'. », « Input should be a valid integer, unable to parse string as an integer »).
The help's panel titles are Typer's `rich_utils` settings; its usage line and help option
are said by our command classes (`FrenchCommand`, `FrenchGroup`, the defaults of `FrenchTyper`);
the usage errors are read from
the exception Typer raises when the command runs with `standalone_mode=False`, by its class
name and attributes, which Typer's own Click and the Click of older Typer releases share.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import typer
from rich.markup import escape
from rich.panel import Panel
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from achat_check.validation import in_french

if TYPE_CHECKING:
    from rich.console import Console
    from typer.models import CommandFunctionType

#: the Click context Typer passes its hooks (Typer's vendored Click is private: not named here)
ClickContext = Any

#: `typer.rich_utils` settings: panel titles and the notes after an option's help
HELP_WORDS = {
    "ARGUMENTS_PANEL_TITLE": "Arguments",
    "OPTIONS_PANEL_TITLE": "Options",
    "COMMANDS_PANEL_TITLE": "Commandes",
    "ERRORS_PANEL_TITLE": "Erreur",
    "ABORTED_TEXT": "Interrompu.",
    "DEFAULT_STRING": "[par défaut : {}]",
    "REQUIRED_LONG_STRING": "[obligatoire]",
    "ENVVAR_STRING": "[variable d'environnement : {}]",
    "DEPRECATED_STRING": "(obsolète) ",
    "RICH_HELP": "Aide : [blue]{command_path} {help_option}[/]",
}
#: Typer's messages for a usage error, in French
MESSAGES = [
    (re.compile(r"No such command '(.+)'\.?$"), "commande inconnue : « {0} »"),
    (re.compile(r"Got unexpected extra arguments?(?:\(s\))? \((.+)\)$"), "argument en trop : {0}"),
    (re.compile(r"Option '?(.+?)'? requires an argument\.?$"), "l'option {0} attend une valeur"),
]
#: a bad value's message is pydantic's own text (Typer keeps no error type): its type, whose
#: French words `validation.SAYS` holds for the settings and the API too
PYDANTIC_TYPES = [
    (re.compile(r"Input should be a valid integer"), "int_parsing"),
    (re.compile(r"Input should be a valid number"), "float_parsing"),
    (re.compile(r"Input should be a valid boolean"), "bool_parsing"),
]
USAGE = re.compile(r"^\s*Usage:\s*")
#: the help option's own line in every help page (Typer's « Show this message and exit. »)
HELP_OPTION_TEXT = "Afficher cette aide et quitter."
#: what follows a group's name in its usage line (Typer's « COMMAND [ARGS]... »)
SUBCOMMAND_METAVAR = "COMMANDE [ARGS]..."


def french_usage(usage: str) -> str:
    """« Usage: achat-check check … » as « Utilisation : achat-check check … »."""
    return USAGE.sub("Utilisation : ", usage, count=1)


class FrenchArgument(TyperArgument):
    """An argument shown by its French metavar alone: Typer writes its Python type beside it
    (« <list[Path]> ») and its name in braces in the usage line (« {paths}... »)."""

    def display_type_rich(self, ctx: ClickContext) -> str | None:
        """No type: the metavar says what the value is."""
        return None

    def get_usage_pieces(self, ctx: ClickContext) -> list[str]:
        """« CHEMIN... » when required, « [CIBLE]... » when not."""
        name = self.metavar or (self.name or "").upper()  # as Click names an argument without one
        name = name if self.required else f"[{name}]"
        return [name + ("..." if self.nargs != 1 else "")]


class FrenchOption(TyperOption):
    """An option whose help shows its French metavar, and nothing for a flag (Typer writes
    « <bool> » beside every flag, the help option included)."""

    def display_type_rich(self, ctx: ClickContext) -> str | None:
        """The metavar, or nothing for a flag."""
        return None if self.is_flag and self.metavar is None else super().display_type_rich(ctx)


def french_param(param: Any) -> Any:  # a Typer parameter, the same one
    """The same parameter, shown the French way. Typer builds its parameters itself with no
    hook to choose their class, so the instance takes our subclass, which only adds display."""
    if type(param) is TyperArgument:
        param.__class__ = FrenchArgument
    elif type(param) is TyperOption:
        param.__class__ = FrenchOption
    return param


class _FrenchHelp:
    """Typer's own words of a help page in French: the usage line, the help option and the
    parameters' value names (the panels' titles are `HELP_WORDS`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:  # type: ignore[attr-defined]
            french_param(param)

    def get_help_option(self, ctx: ClickContext) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]  # a mixin of Typer's command classes
        if option is not None:
            option.help = HELP_OPTION_TEXT
            french_param(option)
        return option

    def get_usage(self, ctx: ClickContext) -> str:
        return french_usage(super().get_usage(ctx))  # type: ignore[misc]


class FrenchCommand(_FrenchHelp, TyperCommand):
    """Every command of achat-check (`FrenchTyper.command` makes them)."""


class FrenchGroup(_FrenchHelp, TyperGroup):
    """The command groups (`achat-check`, `achat-check rules`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("subcommand_metavar") is None:  # Typer passes None for its English default
            kwargs["subcommand_metavar"] = SUBCOMMAND_METAVAR
        super().__init__(*args, **kwargs)


class FrenchTyper(typer.Typer):
    """A Typer app whose groups and commands are `FrenchGroup` and `FrenchCommand` by
    default, so that no command of achat-check can be added with an English help page."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("cls", FrenchGroup)
        super().__init__(*args, **kwargs)

    def command(self, *args: Any, **kwargs: Any) -> Callable[[CommandFunctionType], CommandFunctionType]:
        """Typer's `command`, making a `FrenchCommand` unless told otherwise."""
        kwargs.setdefault("cls", FrenchCommand)
        return super().command(*args, **kwargs)


def use_french_help() -> None:
    """French panel titles and notes in every help page and error panel."""
    from typer import rich_utils

    for name, value in HELP_WORDS.items():
        setattr(rich_utils, name, value)


def is_usage_error(exc: BaseException) -> bool:
    """Whether Typer raised it for the command line itself (not for a file or a market)."""
    return any(cls.__name__ == "UsageError" for cls in type(exc).__mro__)


def usage_error_text(exc: BaseException) -> str:
    """What was wrong with the command line, in French."""
    kind = type(exc).__name__
    if kind == "NoSuchOption":
        text = f"option inconnue : {getattr(exc, 'option_name', '')}"
        close = sorted(getattr(exc, "possibilities", None) or [])
        return text + (f" (options proches : {', '.join(close)})" if close else "")
    hint = _param_hint(exc)
    if kind == "MissingParameter":
        param = getattr(exc, "param", None)
        what = "option manquante" if getattr(param, "param_type_name", "") == "option" else "argument manquant"
        return f"{what} : {hint}" if hint else what
    message = _translated(str(getattr(exc, "message", "") or exc))
    return f"valeur invalide pour {hint} : {message}" if kind == "BadParameter" and hint else message


def _param_hint(exc: BaseException) -> str:
    """The option (« --max-pages ») or argument (« CHEMIN », its name in the help) the error
    is about."""
    given = getattr(exc, "param_hint", None)
    if given:
        return given if isinstance(given, str) else " / ".join(given)
    param = getattr(exc, "param", None)
    if getattr(param, "param_type_name", "") == "argument" and (metavar := getattr(param, "metavar", None)):
        return str(metavar)
    opts = [o for o in getattr(param, "opts", None) or [] if o]
    return max(opts, key=len) if opts else (getattr(param, "name", "") or "")


def _translated(message: str) -> str:
    for pattern, french in MESSAGES:
        m = pattern.match(message.strip())
        if m:
            return french.format(*m.groups())
    for pattern, error_type in PYDANTIC_TYPES:
        if pattern.match(message.strip()):
            return in_french({"type": error_type})
    return message


def print_usage_error(exc: BaseException, console: Console) -> None:
    """The usage line, where to find help, and the error, as Typer lays them out."""
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        console.print(escape(ctx.get_usage()), highlight=False)
        console.print(f"Aide : {escape(ctx.command_path)} --help", style="dim", highlight=False)
    console.print(Panel(escape(usage_error_text(exc)), title=HELP_WORDS["ERRORS_PANEL_TITLE"], title_align="left", border_style="red"))
