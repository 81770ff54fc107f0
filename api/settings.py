"""Settings of the HTTP service, from `ACHAT_CHECK_*` environment variables (one place)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ApiSettings(BaseSettings):
    """What an operator sets: keys, store, limits, where batch uploads go."""

    model_config = SettingsConfigDict(env_prefix="ACHAT_CHECK_", extra="ignore")

    api_keys: str = Field("", description="clés d'API séparées par des virgules ; vide : pas de clé demandée")
    db: str = Field("achat-check.db", description="base des lots : fichier SQLite ou URL PostgreSQL")
    data_dir: Path = Field(Path("achat-check-data"), description="dossier des archives de lots téléversées")
    max_upload_mb: int = Field(200, ge=1, description="taille au plus d'un téléversement (Mo)")
    max_files: int = Field(100, ge=1, description="fichiers au plus par téléversement")
    max_concurrent_checks: int = Field(2, ge=1, description="vérifications simultanées (processus)")
    queue_timeout: float = Field(300.0, gt=0, description="attente au plus d'une vérification avant « service occupé » (s)")
    batch_workers: int = Field(1, ge=1, description="processus par lot en cours")
    max_running_batches: int = Field(1, ge=1, description="lots qui tournent en même temps ; les suivants attendent leur tour")
    server_folders: str = Field("", description="dossiers du serveur que l'on peut donner à un lot, séparés par ':'")
    web_open_on_loopback: bool = Field(True, description="page web sans clé pour les connexions locales")
    rulebook: str = Field("rso-2025", description="référentiel par défaut")

    @property
    def keys(self) -> set[str]:
        """The API keys in force."""
        return {k.strip() for k in self.api_keys.split(",") if k.strip()}

    @property
    def folders(self) -> list[Path]:
        """Server folders a batch may scan."""
        return [Path(p).resolve() for p in self.server_folders.split(":") if p.strip()]
