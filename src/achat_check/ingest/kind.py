"""Tell which piece of the DCE a document is (RC, CCAP, CCTP, AE, BPU or OTHER).

Two kinds of cues, both written in the report's reason: the title on the first page (a
short line such as "RÈGLEMENT DE LA CONSULTATION", the strongest cue) and words of the
file name ("RC_2026…", "CCTP-LOT-02").  Combined pieces are recognised: a "RC valant
CCAP", a CCP (CCAP + CCTP), a "CCTP & DPGF".
"""

from __future__ import annotations

import bisect
import re

from achat_check.accents import strip_accents
from achat_check.model import DocKind
from achat_check.report.labels import clip

TITLE_CUES: list[tuple[str, DocKind, tuple[DocKind, ...]]] = [
    ("MODELE DE CLAUSE", DocKind.OTHER, ()),
    ("MODELES DE CLAUSES", DocKind.OTHER, ()),
    ("REGLEMENT DE LA CONSULTATION VALANT CAHIER DES CLAUSES ADMINISTRATIVES", DocKind.RC, (DocKind.RC, DocKind.CCAP)),
    ("REGLEMENT DE CONSULTATION VALANT CAHIER DES CLAUSES ADMINISTRATIVES", DocKind.RC, (DocKind.RC, DocKind.CCAP)),
    ("RC VALANT CCAP", DocKind.RC, (DocKind.RC, DocKind.CCAP)),
    ("REGLEMENT DE LA CONSULTATION", DocKind.RC, ()),
    ("REGLEMENT DE CONSULTATION", DocKind.RC, ()),
    ("REGLEMENT PARTICULIER DE LA CONSULTATION", DocKind.RC, ()),
    ("CAHIER DES CLAUSES ADMINISTRATIVES ET TECHNIQUES PARTICULIERES", DocKind.CCAP, (DocKind.CCAP, DocKind.CCTP)),
    ("CAHIER DES CLAUSES ADMINISTRATIVES PARTICULIERES", DocKind.CCAP, ()),
    ("CAHIER DES CLAUSES TECHNIQUES PARTICULIERES", DocKind.CCTP, ()),
    ("CAHIER DES CLAUSES PARTICULIERES", DocKind.CCAP, (DocKind.CCAP, DocKind.CCTP)),
    ("CAHIER DES CHARGES FONCTIONNEL ET TECHNIQUE", DocKind.CCTP, ()),
    ("CAHIER DES CHARGES TECHNIQUE", DocKind.CCTP, ()),
    ("CCTP & DPGF", DocKind.CCTP, (DocKind.CCTP, DocKind.BPU)),
    ("CCTP ET DPGF", DocKind.CCTP, (DocKind.CCTP, DocKind.BPU)),
    ("ACTE D'ENGAGEMENT", DocKind.AE, ()),
    ("ACTE D ENGAGEMENT", DocKind.AE, ()),
    ("BORDEREAU DES PRIX UNITAIRES", DocKind.BPU, ()),
    ("BORDEREAU DE PRIX UNITAIRES", DocKind.BPU, ()),
    ("DETAIL QUANTITATIF ESTIMATIF", DocKind.BPU, ()),
    ("DECOMPOSITION DU PRIX GLOBAL ET FORFAITAIRE", DocKind.BPU, ()),
    ("CADRE DE REPONSE", DocKind.OTHER, ()),
    ("CADRE DE MEMOIRE TECHNIQUE", DocKind.OTHER, ()),
    ("AVIS D'APPEL PUBLIC A LA CONCURRENCE", DocKind.OTHER, ()),
    ("AVIS DE MARCHE", DocKind.OTHER, ()),
    ("AVIS D'ATTRIBUTION", DocKind.OTHER, ()),
    ("QUESTIONS RECUES", DocKind.OTHER, ()),
    ("QUESTIONS / REPONSES", DocKind.OTHER, ()),
    ("QUESTIONS-REPONSES", DocKind.OTHER, ()),
    ("GUIDE PRATIQUE", DocKind.OTHER, ()),
    ("CONTRAT", DocKind.CCAP, (DocKind.AE, DocKind.CCAP)),
]

NAME_CUES: list[tuple[re.Pattern[str], DocKind, tuple[DocKind, ...]]] = [
    (re.compile(r"\brc\b.*\bvalant\b.*\bccap\b"), DocKind.RC, (DocKind.RC, DocKind.CCAP)),
    (re.compile(r"\b(rc|reglement de (la )?consultation|reglement)\b"), DocKind.RC, ()),
    (re.compile(r"\bccap\b"), DocKind.CCAP, ()),
    (re.compile(r"\bccp\b"), DocKind.CCAP, (DocKind.CCAP, DocKind.CCTP)),
    (re.compile(r"\bcctp\b.*\bdpgf\b"), DocKind.CCTP, (DocKind.CCTP, DocKind.BPU)),
    (re.compile(r"\b(cctp|ccft|cctg|cahier des charges)\b"), DocKind.CCTP, ()),
    (re.compile(r"\b(ae|atri1|attri1|acte d ?engagement|acte engagement)\b"), DocKind.AE, ()),
    (re.compile(r"\b(bpu|dqe|dpgf|bordereau|decomposition du prix)\b"), DocKind.BPU, ()),
    (re.compile(r"\bcontrat\b"), DocKind.CCAP, (DocKind.AE, DocKind.CCAP)),
    (re.compile(r"\b(avis|questions?|reponses?|cadre de reponses?|crt|crte|crf|dume|dc1|dc2|dc4|guide|registre|annexe|planning|memoire)\b"), DocKind.OTHER, ()),
]

#: finer kinds of OTHER documents: response frames, guides and models are not contractual
SUBKIND_CUES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(avis|boamp)\b"), "avis"),
    (re.compile(r"\b(cadre de reponses?|crt|crte|crf|memoire technique)\b"), "cadre_reponse"),
    (re.compile(r"\b(questions?|reponses?|registre)\b"), "qr"),
    (re.compile(r"\bguide\b"), "guide"),
    (re.compile(r"\bmodeles? de clauses?\b"), "modele"),
    (re.compile(r"\b(dume|dc1|dc2|dc4)\b"), "formulaire"),
]

TITLE_WEIGHT = 3
NAME_WEIGHT = 2
TITLE_SCAN_CHARS = 3000
MAX_TITLE_SHOWN = 100  # characters of a title quoted in the reason


def fold(text: str) -> str:
    """Upper case without accents, dotted acronyms joined ("C.C.T.P." -> "CCTP")."""
    return " ".join(_fold_chars(text).split())


def _fold_chars(text: str) -> str:
    """`fold` before spaces are collapsed: line breaks stay, so a page folds in one call."""
    text = strip_accents(text).upper().replace("’", "'").replace("«", " ").replace("»", " ")
    text = ACRONYM_DOTS.sub(r"\1", text)
    return ACRONYM_END.sub(r"\1", text)


ACRONYM_DOTS = re.compile(r"\b([A-Z])\.(?=[A-Z]\.?)")
ACRONYM_END = re.compile(r"\b([A-Z]{2,})\.")


def _name_words(name: str) -> str:
    stem = name.rsplit("/", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    folded = fold(stem).lower()
    return " ".join(re.split(r"[^a-z0-9]+", folded))


def subkind_of(name: str, title: str | None) -> str:
    """avis, cadre_reponse, qr, guide, modele, formulaire, or "" for the rest."""
    probe = f"{_name_words(name)} {fold(title or '').lower()}"
    for pattern, sub in SUBKIND_CUES:
        if pattern.search(probe):
            return sub
    return ""


#: the pieces a combined DCE (one PDF for the RC, the CCAP and the CCTP) opens a page with
PIECE_KINDS = (DocKind.RC, DocKind.CCAP, DocKind.CCTP, DocKind.AE)
#: « (RC) », « (C.C.A.P.) », « - CCTP » after a piece's title
PIECE_SUFFIX = re.compile(r"\s*(?:\(\s*[A-Z.&\s]{2,12}\)|[-–—:]\s*[A-Z.]{2,6})?\s*[.:]?\s*$")


def piece_title(line: str) -> DocKind | None:
    """The piece a line in capitals entitles, written alone (« CAHIER DES CLAUSES TECHNIQUES
    PARTICULIÈRES (CCTP) »); None for any other line, prose that names a piece included."""
    stripped = line.strip()
    if len(stripped) < 12 or stripped != stripped.upper():
        return None
    folded = PIECE_SUFFIX.sub("", fold(stripped))
    for phrase, kind, _ in TITLE_CUES:
        if folded == phrase and kind in PIECE_KINDS:
            return kind
    return None


def classify(name: str, first_page: str) -> tuple[DocKind, list[DocKind], str]:
    """Kind, roles (for combined pieces) and the French reason shown in the report."""
    scores: dict[DocKind, int] = {}
    roles: dict[DocKind, tuple[DocKind, ...]] = {}
    reasons: dict[DocKind, list[str]] = {}
    found = _title_cue(first_page)
    title = found[0] if found else None
    if found:
        (_, kind, combined), written = found
        scores[kind] = scores.get(kind, 0) + TITLE_WEIGHT
        roles[kind] = combined
        reasons.setdefault(kind, []).append(f"titre « {written} » en page 1")
    words = _name_words(name)
    for pattern, kind, combined in NAME_CUES:
        if pattern.search(words):
            scores[kind] = scores.get(kind, 0) + NAME_WEIGHT
            roles.setdefault(kind, combined)
            reasons.setdefault(kind, []).append(f"nom de fichier « {name.rsplit('/', 1)[-1]} »")
            break
    if not scores:
        return DocKind.OTHER, [], "ni titre ni nom de fichier reconnus : classé « autre »"
    kind = max(scores, key=lambda k: (scores[k], k == (title[1] if title else None)))
    return kind, list(roles.get(kind, ())), " ; ".join(reasons[kind])


def _title_cue(first_page: str) -> tuple[tuple[str, DocKind, tuple[DocKind, ...]], str] | None:
    """The first short line (or two lines) of the first page that is a document title: its cue,
    and the title as the page writes it (the report said the folded cue, « Reglement De La
    Consultation », where the page says « RÈGLEMENT DE LA CONSULTATION »)."""
    kept = [line for line in first_page[:TITLE_SCAN_CHARS].splitlines() if line.strip()]
    lines = [" ".join(line.split()) for line in _fold_chars("\n".join(kept)).split("\n")]
    text = " ".join(lines)
    starts = []
    pos = 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    found: list[tuple[int, int, int]] = []  # (line where the title starts, cue priority, line where it ends)
    for priority, (phrase, _, _) in enumerate(TITLE_CUES):
        at = text.find(phrase)
        while at >= 0:
            first = bisect.bisect_right(starts, at) - 1
            last = bisect.bisect_right(starts, at + len(phrase) - 1) - 1
            span = " ".join(lines[first : last + 1])
            if _is_title(span, phrase):
                found.append((first, priority, last))
                break
            at = text.find(phrase, at + 1)
    if not found:
        return None
    first, priority, last = min(found)
    # folding keeps the lines (`_fold_chars`): line i of `lines` is line i of `kept`
    written = " ".join(" ".join(line.split()) for line in kept[first : last + 1])
    return TITLE_CUES[priority], clip(written, MAX_TITLE_SHOWN)


def _is_title(line: str, phrase: str) -> bool:
    if len(line) > len(phrase) + 45:
        return False
    if line.startswith(("LE ", "LA ", "LES ", "CONFORMEMENT", "VOIR ")):
        return False
    return phrase != "CONTRAT" or line.strip(" :") == "CONTRAT"
