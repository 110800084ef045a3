"""Settings in one typed object (CONTRACT §2), read from WENZE_* environment variables or a settings file.

    settings = Settings()                          # environment, then ./wenze.env if present
    settings = Settings(backend="neo4j", neo4j_uri="bolt://localhost:7687")

Backends: ``embedded`` (LadybugDB files under ``data_dir``, the default), ``neo4j`` (a server, per the
neo4j_* settings) and ``memory`` (for tests and demos: the graph lives in this process only, one graph
per process, and its data are lost on exit).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WENZE_", env_file="wenze.env", extra="ignore")

    backend: Literal["embedded", "neo4j", "memory"] = "embedded"
    data_dir: Path = Path("./wenze-data")
    neo4j_uri: str = "bolt://localhost:7687"
    neo4j_user: str = "neo4j"
    neo4j_password: str = ""
    neo4j_database: str = "neo4j"
    # GraphQL limits: hostile queries beyond these are refused with QUERY_TOO_COMPLEX.
    max_query_depth: int = 12
    max_query_complexity: int = 5000
    # Each request's time budget: past it the request stops with a TIMEOUT error (the engine's own query
    # timeout is set to the same budget, so the work stops too).
    request_timeout_seconds: float = 30.0
    # Threads that run store calls, so the event loop never waits on the engine. Reads of the embedded
    # engine release the GIL; more threads than cores only help while some wait on I/O (Neo4j).
    store_threads: int = 8
    # How often search asks the store whether data changed (then rebuilds its index in the background).
    search_refresh_seconds: float = 2.0
