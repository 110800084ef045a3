"""Settings in one typed object (CONTRACT §2, §4), read from WENZE_* environment variables or a settings file.

    settings = Settings()                          # environment, then ./wenze.env if present
    settings = Settings(backend="neo4j", neo4j_uri="bolt://localhost:7687")
    settings.audit_folder                          # <data_dir>/audit unless WENZE_AUDIT_DIR says otherwise

Backends: ``embedded`` (LadybugDB files under ``data_dir``, the default), ``neo4j`` (a server, per the
neo4j_* settings) and ``memory`` (for tests and demos: the graph lives in this process only, one graph
per process, and its data are lost on exit).

Identity (api/auth), audit (api/audit) and their limits are here too; nothing reads the
environment anywhere else.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from loaders.limits import LoadLimits

_LIMITS = LoadLimits()


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WENZE_", env_file="wenze.env", extra="ignore")

    backend: Literal["embedded", "neo4j", "memory"] = "embedded"
    data_dir: Path = Path("./wenze-data")
    neo4j_uri: str = "bolt://localhost:7687"
    neo4j_user: str = "neo4j"
    neo4j_password: str = ""
    neo4j_database: str = "neo4j"
    # A first load (into a Neo4j store holding no graph) of more rows than this is written in several
    # transactions of at most this many rows, still all-or-nothing (graph.neo4j.store): the server's
    # transaction memory then needs about 1.4 GB instead of ~2.7 KB per row of the whole bundle.
    neo4j_single_transaction_rows: int = Field(default=500_000, ge=1)
    # GraphQL limits: hostile queries beyond these are refused with QUERY_TOO_COMPLEX.
    max_query_depth: int = 12
    max_query_complexity: int = 5000
    # Each request's time budget: past it the request stops with a TIMEOUT error (the engine's own query
    # timeout is set to the same budget, so the work stops too).
    request_timeout_seconds: float = 30.0
    # ---- serving under load (api.lanes, api.server): each request's execution runs in one worker
    # thread of its lane, never on the event loop (one event loop, one process: the embedded engine
    # admits one). Requests whose shape's fastest recent run took at most quick_lane_ms run in the quick lane
    # (quick_threads threads), the others in the slow lane (store_threads threads); each lane queues
    # its own requests, so a burst of slow ones cannot hold up cheap ones. The engine runs a query on
    # its own threads; the Python around it holds the GIL, so more threads than cores mostly add
    # contention (more help only while calls wait on a server: Neo4j).
    store_threads: int = Field(default=3, ge=1)
    quick_threads: int = Field(default=2, ge=1)
    quick_lane_ms: float = Field(default=50.0, ge=0)
    # The GIL's switch interval while serving (sys.setswitchinterval; Python's default is 5 ms): how
    # long a busy thread may keep the GIL while the event loop or a quick request waits for it.
    switch_interval_ms: float = Field(default=1.0, gt=0, le=100)
    # After start-up and after each search-index build, move the objects then alive (the store's
    # caches, the index: millions) out of the garbage collector's sight (gc.freeze), so a full
    # collection does not stop every request for 0.3–3 s walking them.
    gc_freeze: bool = True
    # Where `wenze load` sends a bundle when a running server holds the embedded store (with the API
    # token in WENZE_TOKEN, of a user with the admin role).
    server_url: str = "http://127.0.0.1:8000"
    token: str | None = None
    # How often search asks the store whether data changed (then rebuilds its index in the background).
    search_refresh_seconds: float = 2.0

    # ---- identity (CONTRACT §4 "Signing in")
    # on: every data request needs an identity. off: everyone is LOCAL_CALLER — refused unless the
    # server listens on a loopback address (development only).
    auth: Literal["on", "off"] = "on"
    # Where users, sessions and tokens live: "auto" follows the backend (a SQLite file under data_dir
    # for embedded, nodes in the same Neo4j database for neo4j, shared by every app server).
    account_store: Literal["auto", "embedded", "neo4j"] = "auto"
    session_idle_minutes: int = Field(default=30, ge=1)
    session_absolute_hours: int = Field(default=12, ge=1)
    lockout_failures: int = Field(default=5, ge=1)
    lockout_minutes: int = Field(default=30, ge=1)
    token_days: int = Field(default=90, ge=1)  # `wenze token create` without --days
    # Mark the session cookie Secure although the request came over plain HTTP, because TLS ends at a
    # proxy or gateway in front of wenze (requests over HTTPS always get Secure).
    tls_proxy: bool = False
    # Serve the GraphiQL page (to signed-in callers only; introspection needs an identity like any query).
    graphiql: bool = True
    # Per-user rate limit in query cost points (api.limits counts a query's cost), moving window.
    rate_limit: str = "100000/minute"

    # ---- OIDC bearer tokens, verified offline against a JWKS file (no network at run time)
    oidc_issuer: str | None = None
    oidc_audience: str | None = None
    oidc_jwks_file: Path | None = None
    oidc_algorithms: list[str] = ["RS256"]
    oidc_leeway_seconds: int = Field(default=30, ge=0)
    # Claims: the login of a local user, or (when no local user has it) roles and regions from the token.
    oidc_login_claim: str = "preferred_username"
    oidc_name_claim: str = "name"
    oidc_roles_claim: str = "wenze_roles"
    oidc_regions_claim: str = "wenze_regions"

    # ---- audit (CONTRACT §4 "Audit")
    audit_dir: Path | None = None  # default <data_dir>/audit
    audit_key_file: Path | None = None  # default <data_dir>/audit.key (created 0600 on first use)
    audit_algorithm: Literal["hmac-sha256", "hmac-sm3"] = "hmac-sha256"
    audit_retention_days: int = Field(default=185, ge=1)  # 网络安全法: network logs kept ≥ 6 months
    audit_checkpoint_every: int = Field(default=1000, ge=1)
    # An audit append runs on the event loop while the disk takes at most this long to write one (ms;
    # 0: always on a thread of its own, where concurrent appends share one fdatasync). See AuditLog.quick.
    audit_inline_ms: float = Field(default=5.0, ge=0)

    @field_validator("oidc_algorithms")
    @classmethod
    def _no_symmetric_or_none(cls, algs: list[str]) -> list[str]:
        bad = [a for a in algs if a.lower() == "none" or a.upper().startswith("HS")]
        if bad or not algs:
            raise ValueError(
                f"oidc_algorithms must list asymmetric algorithms such as RS256 or ES256 (got {algs}); "
                "'none' and HS* are refused (algorithm confusion)"
            )
        return algs

    @property
    def audit_folder(self) -> Path:
        return self.audit_dir if self.audit_dir is not None else self.data_dir / "audit"

    @property
    def audit_key_path(self) -> Path:
        return self.audit_key_file if self.audit_key_file is not None else self.data_dir / "audit.key"

    @property
    def oidc_configured(self) -> bool:
        return bool(self.oidc_issuer and self.oidc_audience and self.oidc_jwks_file)

    @property
    def account_backend(self) -> Literal["embedded", "neo4j"]:
        if self.account_store != "auto":
            return self.account_store
        # The in-memory graph keeps its accounts in the SQLite file, like the embedded engine.
        return "neo4j" if self.backend == "neo4j" else "embedded"

    # What a bundle may be (loaders.limits): a file beyond one is refused before it is read whole.
    load_max_columns: int = _LIMITS.max_columns
    load_max_cell_bytes: int = _LIMITS.max_cell_bytes
    load_max_rows: int = _LIMITS.max_rows
    load_max_unzipped_bytes: int = _LIMITS.max_unzipped_bytes
    load_max_zip_ratio: float = _LIMITS.max_zip_ratio

    def load_limits(self) -> LoadLimits:
        """The limits for ``loaders.load``, from the WENZE_LOAD_MAX_* settings."""
        return LoadLimits(
            max_columns=self.load_max_columns,
            max_cell_bytes=self.load_max_cell_bytes,
            max_rows=self.load_max_rows,
            max_unzipped_bytes=self.load_max_unzipped_bytes,
            max_zip_ratio=self.load_max_zip_ratio,
        )
