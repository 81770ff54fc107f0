"""The analysis resources of a process: rule packs compiled once, applied to documents."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from achat_check import structure
from achat_check.engine.compile import CompiledRules, compile_rules
from achat_check.engine.detect import Scored, scan_document
from achat_check.engine.loader import RuleSet, load_rules
from achat_check.ingest.other import read_text
from achat_check.model import DocKind, Document
from achat_check.nlp import pipeline
from achat_check.settings import Limits


class Analyzer:
    """Compiled rules of one rulebook (plus user packs); build one per process."""

    def __init__(self, rulebook: str = "rso-2025", rules_dirs: Sequence[str | Path] | None = None) -> None:
        self.ruleset: RuleSet = load_rules(rulebook, rules_dirs)
        self.compiled: CompiledRules = compile_rules(self.ruleset, pipeline())

    @property
    def version(self) -> str:
        """Version of the packs in force (changes with their content)."""
        return self.ruleset.version

    def scan(self, doc: Document) -> list[Scored]:
        """Scored detections of one document."""
        return scan_document(self.compiled, doc)

    def scan_text(self, text: str, kind: DocKind = DocKind.CCAP, name: str = "exemple.txt") -> tuple[Document, list[Scored]]:
        """Analyse a text as if it were a document of the given kind (examples, tests, API)."""
        raw = read_text(text.encode("utf-8"), name, Limits(), "txt")
        built = structure.build(raw)
        doc = Document(
            path=name, name=name, format="txt", kind=kind, pages=len(built.page_spans), text=built.text,
            page_spans=built.page_spans, headings=built.headings,
        )
        return doc, self.scan(doc)
