"""Settings in one place, read from `ACHAT_CHECK_*` environment variables."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Limits(BaseSettings):
    """Bounds that keep one hostile or huge file from stalling a run."""

    model_config = SettingsConfigDict(env_prefix="ACHAT_CHECK_", extra="ignore")

    max_pages: int = Field(1000, description="pages lues au plus par document")
    doc_timeout: float = Field(120.0, description="secondes de lecture au plus par document")
    doc_memory_mb: int = Field(1500, description="mémoire au plus par lecture de document (Mo)")
    max_file_mb: int = Field(200, description="taille au plus d'un fichier (Mo)")
    zip_max_total_mb: int = Field(500, description="taille décompressée au plus d'une archive (Mo)")
    zip_max_ratio: int = Field(200, description="taux de compression au plus d'un membre")
    zip_max_files: int = Field(2000, description="nombre de fichiers au plus dans une archive")
    zip_max_depth: int = Field(3, description="profondeur au plus d'archives imbriquées")
    max_ocr_pages: int = Field(60, description="pages passées à l'OCR au plus par document")
    ocr_dpi: int = Field(300, description="résolution du rendu des pages à OCRiser")
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
    return Limits()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings in force, read once."""
    return Settings()
