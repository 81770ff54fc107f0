"""Typed, numbered errors: each names the file and says what to do.

No traceback reaches a user: every failure the library foresees is an `AchatCheckError`
carrying a code from `CODES`, rendered as a French message by the doors (CLI, API).
"""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager

from achat_check.model import Notice

#: code -> (level, short French title).  Codes are stable: never renumber.
CODES: dict[str, tuple[str, str]] = {
    "AC-E001": ("error", "fichier introuvable"),
    "AC-E002": ("error", "format non pris en charge"),
    "AC-E003": ("error", "fichier vide"),
    "AC-E004": ("error", "fichier illisible ou corrompu"),
    "AC-E005": ("error", "document chiffré ou protégé par mot de passe"),
    "AC-E006": ("error", "archive hors limites (taille, taux de compression ou nombre de fichiers)"),
    "AC-E007": ("error", "chemin dangereux dans l'archive"),
    "AC-E008": ("error", "XML dangereux (entités) dans le document"),
    "AC-E009": ("error", "temps de lecture dépassé"),
    "AC-E010": ("error", "mémoire de lecture dépassée"),
    "AC-E011": ("error", "outil de lecture des .doc absent"),
    "AC-E012": ("error", "aucun document lisible"),
    "AC-E013": ("error", "fichier de règles invalide"),
    "AC-E014": ("error", "fichier d'évaluation (gold) invalide"),
    "AC-E015": ("error", "registre invalide"),
    "AC-E016": ("error", "paramètre invalide"),
    "AC-E017": ("error", "travail (job) inconnu"),
    "AC-E018": ("error", "vérification d'un marché impossible"),
    "AC-E019": ("error", "temps de vérification d'un marché dépassé"),
    "AC-E020": ("error", "mémoire dépassée par la vérification d'un marché"),
    "AC-E021": ("error", "clé d'API absente ou invalide"),
    "AC-E022": ("error", "téléversement trop gros"),
    "AC-E023": ("error", "service occupé"),
    "AC-E024": ("error", "dossier du serveur non autorisé"),
    "AC-E025": ("error", "cluster Dask injoignable"),
    "AC-E026": ("error", "base des lots injoignable pendant un lot"),
    "AC-E027": ("error", "ressource introuvable"),
    "AC-E028": ("error", "écriture impossible à l'emplacement demandé"),
    "AC-W001": ("warning", "OCR indisponible"),
    "AC-W002": ("warning", "pages sans texte"),
    "AC-W003": ("warning", "extension trompeuse"),
    "AC-W004": ("warning", "document tronqué à la limite de pages"),
    "AC-W005": ("warning", "élément d'archive ignoré"),
    "AC-W006": ("warning", "OCR partiel"),
    "AC-W007": ("warning", "tableau illisible"),
    "AC-W008": ("warning", "fichier ignoré"),
    "AC-W009": ("warning", "pages ou parties endommagées, non lues"),
    "AC-W010": ("warning", "plusieurs DCE donnés pour un seul rapport"),
    "AC-W011": ("warning", "brouillon : modifications suivies ou commentaires"),
    "AC-W012": ("warning", "sommaire d'archive abîmé, tous les fichiers lus"),
}


class AchatCheckError(Exception):
    """A foreseen failure with a stable code and a message naming the file."""

    def __init__(self, code: str, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.path = path

    def notice(self) -> Notice:
        """The error as a report notice."""
        level = CODES.get(self.code, ("error", ""))[0]
        return Notice(code=self.code, level=level, path=self.path, message=self.message)

    def __str__(self) -> str:
        return self.notice().render()


def notice(code: str, message: str, path: str | None = None) -> Notice:
    """Build a notice whose level comes from the code table."""
    level = CODES.get(code, ("warning", ""))[0]
    return Notice(code=code, level=level, path=path, message=message)


#: what the parsers (zipfile, zlib, pypdfium2, python-docx) say in English, said in French; a
#: message not listed is shown as the library wrote it (a detail for whoever debugs the file)
LIBRARY_REASONS: tuple[tuple[str, str], ...] = (
    ("File is not a zip file", "ce n'est pas une archive ZIP"),
    ("Truncated file header", "en-tête de fichier tronqué"),
    ("Bad magic number", "structure de l'archive abîmée"),
    ("Bad CRC-32", "somme de contrôle fausse : contenu abîmé"),
    # zlib, inflating a damaged part of an archive or of an Office package
    ("while decompressing data", "données compressées abîmées"),
    ("File name in directory", "noms de parties incohérents : structure de l'archive abîmée"),
    ("central directory", "sommaire de l'archive abîmé ou tronqué"),
    ("Corrupt extra field", "en-tête de partie abîmé"),
    ("There is no item named", "partie attendue absente du paquet"),
    ("password required for extraction", "partie chiffrée par un mot de passe"),
    ("zip file version", "version d'archive ZIP non prise en charge"),
    ("compressed patched data", "variante d'archive ZIP non prise en charge"),
    ("negative seek value", "structure interne tronquée ou abîmée"),
    # xml.etree (openpyxl) and lxml (python-docx) on a part whose XML is broken
    ("not well-formed", "XML invalide : contenu abîmé"),
    ("mismatched tag", "XML invalide : contenu abîmé"),
    ("no element found", "XML invalide : contenu tronqué"),
    ("unclosed token", "XML invalide : contenu tronqué"),
    ("compression method is not supported", "méthode de compression non prise en charge"),
    ("Data format error", "format de données invalide"),
    ("File access error", "fichier inaccessible"),
    ("Unsupported security scheme", "protection non prise en charge"),
    ("Page not found or content error", "page absente ou contenu invalide"),
    ("Unknown error", "erreur inconnue du lecteur PDF"),
    ("Package not found", "paquet Office introuvable ou abîmé"),
    ("expected after '\"'", "séparateur attendu après un guillemet fermant"),
    ("field larger than field limit", "cellule de plus de 128 Ko"),
    # a reader walking a document nested thousands of levels deep (no genuine document is)
    ("maximum recursion depth exceeded", "éléments imbriqués sur des milliers de niveaux, structure anormale"),
    # xlrd, reading an Excel 97-2003 workbook
    ("Unsupported format, or corrupt file", "format inconnu ou fichier endommagé"),
    ("Can't find workbook in OLE2 compound document", "fichier Office sans classeur"),
    ("Excel xlsx file; not supported", "c'est un classeur XLSX nommé .xls : renommez-le en .xlsx"),
    ("OLE2 compound document", "conteneur Office endommagé"),
    ('"little-endian" marker', "conteneur Office endommagé"),
    ("index out of range", "structure interne tronquée ou abîmée"),
    ("unpack requires a buffer", "structure interne tronquée ou abîmée"),
    ("invalid sector id", "conteneur Office endommagé"),
    # pdfium failing to open a damaged file while its last error says none
    ("PDFium: Success", "fichier endommagé"),
    # PostgreSQL, as psycopg says it (the batch store)
    ("Connection refused", "connexion refusée : aucun serveur PostgreSQL n'écoute à cette adresse et ce port"),
    ("password authentication failed", "identifiant ou mot de passe refusé par le serveur"),
    ("no password supplied", "mot de passe absent de l'URL"),
    ("could not translate host name", "nom d'hôte inconnu"),
    ("Name or service not known", "nom d'hôte inconnu"),
    ("timeout expired", "le serveur n'a pas répondu à temps"),
    ('database "', "base absente du serveur : créez-la (createdb)"),
    ('role "', "rôle absent du serveur : créez-le (CREATE ROLE)"),
)


def library_reason(exc: BaseException | str, unknown: str | None = None) -> str:
    """A parser's failure in French when it is a known one, else `unknown` when the caller
    has a French word for it, else as the library said it."""
    if isinstance(exc, json.JSONDecodeError):
        return f"syntaxe JSON invalide ligne {exc.lineno}, colonne {exc.colno}"
    if isinstance(exc, OSError) and exc.strerror:  # the system's refusal: its words are English
        return os_reason(exc)
    if isinstance(exc, UnicodeDecodeError):
        return f"texte qui n'est pas en UTF-8, octet {exc.start}"
    said = str(exc)
    if not said and isinstance(exc, EOFError):  # zipfile's when a part's data ends before its stated size
        return "données interrompues avant leur fin : fichier tronqué ou abîmé"
    if not said:  # an exception raised bare (a KeyError of nothing)
        return unknown or "cause non précisée par le lecteur"
    return next((french for english, french in LIBRARY_REASONS if english in said), unknown or said)


def os_reason(exc: OSError) -> str:
    """What the system refused, in French (its strerror is English)."""
    if isinstance(exc, PermissionError):
        return "droits insuffisants"
    if isinstance(exc, FileNotFoundError):
        return "fichier ou dossier introuvable"
    if isinstance(exc, IsADirectoryError):
        return "c'est un dossier, pas un fichier"
    if isinstance(exc, FileExistsError):
        return "un fichier porte déjà ce nom là où il faut un dossier"
    if isinstance(exc, NotADirectoryError):
        return "un élément du chemin est un fichier, pas un dossier"
    if exc.errno == errno.ENOSPC:
        return "disque plein"
    if exc.errno == errno.EROFS:
        return "emplacement en lecture seule"
    return f"erreur du système : {exc.strerror or type(exc).__name__}"


@contextmanager
def set_by(setting: str) -> Iterator[None]:
    """A value read from a setting of the environment (ACHAT_CHECK_RULES, ACHAT_CHECK_DB): its
    error names the setting, which whoever reads it may not know is set (a shell profile, a
    service's unit file) and where the fix is."""
    try:
        yield
    except AchatCheckError as exc:
        raise AchatCheckError(exc.code, f"{exc.message.rstrip('.')} (réglé par la variable {setting} : corrigez-la ou "
                                        "retirez-la).", exc.path) from None


#: extensions of document and data files: `-o` given such a name asks for that file, never
#: for a folder so named (« export -o rapports.json », « indicators -o indicateurs.pdf » made one)
FILE_SUFFIXES = frozenset({".json", ".jsonl", ".csv", ".tsv", ".txt", ".md", ".html", ".htm", ".pdf", ".xlsx", ".xls",
                           ".ods", ".odt", ".docx", ".doc", ".zip", ".png"})


@contextmanager
def writing(path: str | os.PathLike[str], named_by: str = "option -o") -> Iterator[None]:
    """Where the user asked a file or a folder written (`-o`, or the setting `named_by`):
    the system's refusal (no right, a file where a folder must be, a full disk) is AC-E028
    naming the place, not an « Erreur interne »."""
    try:
        yield
    except OSError as exc:
        where = os.fsdecode(exc.filename) if isinstance(exc.filename, (str, bytes)) else os.fspath(path)
        raise AchatCheckError("AC-E028", f"écriture impossible ({os_reason(exc)}) : choisissez un autre emplacement "
                              f"({named_by}) ou corrigez les droits.", where) from None
