"""Settings in one place, read from `ACHAT_CHECK_*` environment variables."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict


class Limits(BaseSettings):
    """Bounds that keep one hostile or huge file from stalling a run."""

    model_config = SettingsConfigDict(env_prefix="ACHAT_CHECK_", extra="ignore")

    max_pages: int = Field(1000, ge=1, description="pages lues au plus par document")
    doc_timeout: float = Field(120.0, gt=0, description="secondes de lecture au plus par document")
    doc_memory_mb: int = Field(1500, ge=100, description="mémoire au plus par lecture de document (Mo)")
    max_file_mb: int = Field(200, ge=1, description="taille au plus d'un fichier (Mo)")
    zip_max_total_mb: int = Field(500, ge=1, description="taille décompressée au plus d'une archive (Mo)")
    zip_max_ratio: int = Field(200, ge=1, description="taux de compression au plus d'un membre")
    zip_max_files: int = Field(2000, ge=1, description="nombre de fichiers au plus dans une archive")
    zip_max_depth: int = Field(3, ge=0, description="profondeur au plus d'archives imbriquées")
    max_ocr_pages: int = Field(60, ge=0, description="pages passées à l'OCR au plus par document")
    ocr_dpi: int = Field(300, ge=72, le=600, description="résolution du rendu des pages à OCRiser")
    isolate: bool = Field(True, description="lire chaque document dans un processus à part")


class Settings(BaseSettings):
    """Run-wide settings."""

    model_config = SettingsConfigDict(env_prefix="ACHAT_CHECK_", extra="ignore")

    rules: str | None = Field(None, description="dossier(s) de règles ajoutés, séparés par ':'")
    rulebook: str = "rso-2025"
    db: str = "sqlite:///achat-check.db"


@lru_cache(maxsize=1)
def get_limits() -> Limits:
    """The limits in force, read once."""
    return from_env(Limits)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings in force, read once."""
    return from_env(Settings)


S = TypeVar("S", bound=BaseSettings)


def from_env(cls: type[S]) -> S:
    """Settings read from their environment variables, or AC-E016 naming each variable that
    is wrong and what it should be (pydantic's own error read as an internal error)."""
    try:
        return cls()
    except ValidationError as exc:
        from achat_check.errors import (
            AchatCheckError,  # errors -> model -> caseless -> prefilter -> settings
        )
        from achat_check.validation import in_french

        prefix = cls.model_config.get("env_prefix", "")
        wrong = []
        for e in exc.errors():
            name = prefix.upper() + "_".join(str(p) for p in e["loc"]).upper()
            wrong.append(f"{name}=« {e.get('input')} » ({in_french(e)})")
        raise AchatCheckError("AC-E016", "réglage invalide : " + " ; ".join(wrong) + " : corrigez la variable ou retirez-la "
                              "pour garder la valeur par défaut.") from None


def user_cache_dir() -> Path:
    """Where derived data is kept between runs (lemma table, compiled Hyperscan databases):
    `$XDG_CACHE_HOME/achat-check`, else `~/.cache/achat-check`."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "achat-check"


def write_cache(path: Path, data: bytes) -> None:
    """Write a cache file whole or not at all (another process may be reading it, or
    writing the same one); a read-only home only means the work is done again next time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError:
        pass
