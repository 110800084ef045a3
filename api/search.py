"""Search kept in step with the store: the project's own index, rebuilt when the data change.

search = LiveSearch.start(store)        # builds the index in the background and returns at once
search.search("张伟", 20)               # ranked ids; at most every ``check_every`` seconds it asks
                                        # store.data_version() and, if writes committed since the
                                        # build (on Neo4j: from any process), rebuilds in the
                                        # background while the old index keeps answering

At start-up the first build (tens of seconds on the full demo, on a busy machine) runs beside the
server, so every other question is answered at once after a restart; a search (or an official
listing, which reads the index) asked before the first build is done waits for it — up to
``first_build_timeout`` seconds, then ``SearchNotReady`` — and then answers from the complete index:
never from a partial one.

On the embedded engine the index is also kept in a file beside the store (graph/search_file.py), keyed
by the store's data version on disk: a restart loads it (seconds less than a build) when the data
are those it was made from, and builds afresh otherwise — a damaged file included. Each build made
while no write ran is saved there (after it answers).
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from api.errors import RequestTimeout
from graph import search_file
from graph.port import GraphStore
from graph.search_index import SearchIndex

log = logging.getLogger("wenze.search")


class SearchNotReady(RequestTimeout):
    """The search index's first build has not finished in time (TIMEOUT; the message says so)."""


class LiveSearch:
    def __init__(
        self,
        store: GraphStore,
        index: SearchIndex | None,
        version: int,
        check_every: float = 2.0,
        first_build_timeout: float = 120.0,
    ) -> None:
        self._store = store
        self._index = index
        self._version = version
        self._check_every = check_every
        self._checked = time.monotonic()
        self._rebuilding = threading.Lock()
        self._ready = threading.Event()
        self._first_build_timeout = first_build_timeout
        if index is not None:
            self._ready.set()

    @classmethod
    def start(
        cls, store: GraphStore, check_every: float = 2.0, background: bool = True, first_build_timeout: float = 120.0
    ) -> LiveSearch:
        """The live index; ``background``: the first build runs in a thread (readers wait for it)."""
        if not background:
            version = store.data_version()  # read before building: a write during the build triggers a rebuild
            return cls(store, SearchIndex.build(store), version, check_every, first_build_timeout)
        live = cls(store, None, -1, check_every, first_build_timeout)
        live._rebuilding.acquire()
        version = store.data_version()
        threading.Thread(target=live._rebuild, args=(version,), name="wenze-search-build", daemon=True).start()
        return live

    @property
    def ready(self) -> bool:
        """Whether the first build is done (searches answer without waiting)."""
        return self._ready.is_set()

    @property
    def settled(self) -> bool:
        """Whether the index is built and no build or save of its file is under way (the server is idle)."""
        return self._ready.is_set() and not self._rebuilding.locked()

    @property
    def index(self) -> SearchIndex:
        if not self._ready.wait(self._first_build_timeout) or self._index is None:
            raise SearchNotReady(
                f"搜索索引尚未建好 the search index is still being built (waited {self._first_build_timeout:.0f} s); "
                "ask again shortly"
            )
        return self._index

    def search(self, text: str, first: int = 20) -> list[str]:
        self._refresh_if_stale()
        return self.index.search(text, first)

    def ids_of(self, kind: str) -> list[str]:
        self._refresh_if_stale()
        return self.index.ids_of(kind)

    def containing(self, kind: str, prop: str, text: str) -> list[str]:
        self._refresh_if_stale()
        return self.index.containing(kind, prop, text)

    def _refresh_if_stale(self) -> None:
        now = time.monotonic()
        if now - self._checked < self._check_every:
            return
        self._checked = now
        version = self._store.data_version()
        if version == self._version or not self._rebuilding.acquire(blocking=False):
            return
        threading.Thread(target=self._rebuild, args=(version,), name="wenze-search-rebuild", daemon=True).start()

    def _cache(self) -> tuple[Path | None, str | None]:
        """Where the index's file is and the data version it must carry (None, None: no file kept)."""
        cache_file = getattr(self._store, "cache_file", None)
        return cache_file(search_file.FILE_NAME) if cache_file is not None else (None, None)

    def _rebuild(self, version: int) -> None:
        try:
            started = time.perf_counter()
            first = self._index is None
            path, key = self._cache()  # read before the scan: a write after it changes the version
            index = search_file.load(path, key) if first and path is not None and key is not None else None
            how = "loaded from its file" if index is not None else "built" if first else "rebuilt after a write"
            if index is None:
                index = SearchIndex.build(self._store)
            self._index, self._version = index, version
            self._ready.set()
            log.info("search index %s: %d entries in %.1f s", how, index.size, time.perf_counter() - started)
            if first:
                self._warm_store()
            if path is not None and key is not None and how != "loaded from its file" and self._cache()[1] == key:
                self._save(index, path, key)
        except Exception:  # a failed rebuild keeps the old index answering; the next check retries
            log.exception("search index rebuild failed")
        finally:
            self._rebuilding.release()

    def _warm_store(self) -> None:
        """What the store builds in memory (the embedded id map: graph/ladybug/id_map.py), now that the
        index is in: one build at a time beside the first requests (bench/restart.py)."""
        warm = getattr(self._store, "warm", None)
        if warm is None:
            return
        started = time.perf_counter()
        try:
            warm()
        except Exception:  # the store answers without it (from the engine), and builds it when a write needs it
            log.exception("the store's id map was not built")
            return
        log.info("store warmed (id map built) in %.1f s", time.perf_counter() - started)

    @staticmethod
    def _save(index: SearchIndex, path: Path, key: str) -> None:
        started = time.perf_counter()
        try:
            search_file.save(index, path, key)
        except OSError as e:  # a full disk or a read-only folder: the next start builds instead
            log.warning("search index not saved to %s: %s", path, e)
            return
        log.info("search index saved to %s in %.1f s", path, time.perf_counter() - started)

    def wait_until_fresh(self, timeout: float = 60.0) -> None:
        """Block until the index reflects the store's current version (tests, and after a load)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._checked = 0.0
            self._refresh_if_stale()
            if self._ready.is_set() and self._version == self._store.data_version() and not self._rebuilding.locked():
                return
            time.sleep(0.05)
        raise TimeoutError("the search index did not catch up with the store")
