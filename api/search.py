"""Search kept in step with the store: the project's own index, rebuilt when the data change.

search = LiveSearch.start(store)        # builds the index now
search.search("张伟", 20)               # ranked ids; at most every ``check_every`` seconds it asks
                                        # store.data_version() and, if writes committed since the
                                        # build (on Neo4j: from any process), rebuilds in the
                                        # background while the old index keeps answering
"""

from __future__ import annotations

import logging
import threading
import time

from graph.port import GraphStore
from graph.search_index import SearchIndex

log = logging.getLogger("wenze.search")


class LiveSearch:
    def __init__(self, store: GraphStore, index: SearchIndex, version: int, check_every: float = 2.0) -> None:
        self._store = store
        self._index = index
        self._version = version
        self._check_every = check_every
        self._checked = time.monotonic()
        self._rebuilding = threading.Lock()

    @classmethod
    def start(cls, store: GraphStore, check_every: float = 2.0) -> LiveSearch:
        version = store.data_version()  # read before building: a write during the build triggers a rebuild
        return cls(store, SearchIndex.build(store), version, check_every)

    @property
    def index(self) -> SearchIndex:
        return self._index

    def search(self, text: str, first: int = 20) -> list[str]:
        self._refresh_if_stale()
        return self._index.search(text, first)

    def ids_of(self, kind: str) -> list[str]:
        self._refresh_if_stale()
        return self._index.ids_of(kind)

    def containing(self, kind: str, prop: str, text: str) -> list[str]:
        self._refresh_if_stale()
        return self._index.containing(kind, prop, text)

    def _refresh_if_stale(self) -> None:
        now = time.monotonic()
        if now - self._checked < self._check_every:
            return
        self._checked = now
        version = self._store.data_version()
        if version == self._version or not self._rebuilding.acquire(blocking=False):
            return
        threading.Thread(target=self._rebuild, args=(version,), name="wenze-search-rebuild", daemon=True).start()

    def _rebuild(self, version: int) -> None:
        try:
            started = time.perf_counter()
            index = SearchIndex.build(self._store)
            self._index, self._version = index, version
            log.info(
                "search index rebuilt after a write: %d entries in %.1f s", index.size, time.perf_counter() - started
            )
        except Exception:  # a failed rebuild keeps the old index answering; the next check retries
            log.exception("search index rebuild failed")
        finally:
            self._rebuilding.release()

    def wait_until_fresh(self, timeout: float = 60.0) -> None:
        """Block until the index reflects the store's current version (tests, and after a load)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._checked = 0.0
            self._refresh_if_stale()
            if self._version == self._store.data_version() and not self._rebuilding.locked():
                return
            time.sleep(0.05)
        raise TimeoutError("the search index did not catch up with the store")
