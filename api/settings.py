"""Settings in one typed object (CONTRACT §2), read from WENZE_* environment variables or a settings file.

    settings = Settings()                          # environment, then ./wenze.env if present
    settings = Settings(backend="neo4j", neo4j_uri="bolt://localhost:7687")
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

from loaders.limits import LoadLimits

_LIMITS = LoadLimits()


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WENZE_", env_file="wenze.env", extra="ignore")

    backend: Literal["embedded", "neo4j"] = "embedded"
    data_dir: Path = Path("./wenze-data")
    neo4j_uri: str = "bolt://localhost:7687"
    neo4j_user: str = "neo4j"
    neo4j_password: str = ""
    neo4j_database: str = "neo4j"
    # GraphQL limits: hostile queries beyond these are refused with QUERY_TOO_COMPLEX.
    max_query_depth: int = 12
    max_query_complexity: int = 5000
    # How often search asks the store whether data changed (then rebuilds its index in the background).
    search_refresh_seconds: float = 2.0
    # What a bundle may be (loaders.limits): a file beyond one is refused before it is read whole.
    load_max_columns: int = _LIMITS.max_columns
    load_max_cell_bytes: int = _LIMITS.max_cell_bytes
    load_max_rows: int = _LIMITS.max_rows
    load_max_unzipped_bytes: int = _LIMITS.max_unzipped_bytes
    load_max_zip_ratio: float = _LIMITS.max_zip_ratio

    def load_limits(self) -> LoadLimits:
        """The limits for ``loaders.load``, from the WENZE_LOAD_MAX_* settings."""
        return LoadLimits(max_columns=self.load_max_columns, max_cell_bytes=self.load_max_cell_bytes,
                          max_rows=self.load_max_rows, max_unzipped_bytes=self.load_max_unzipped_bytes,
                          max_zip_ratio=self.load_max_zip_ratio)
