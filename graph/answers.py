"""Answers of the engine's counts kept for the data version they were counted at.

The four-forms figures, 学 and 述法 figures and issue pages are aggregations over tens of thousands
of facts (30–100 ms on the embedded engine at a province's caseload), asked again and again with the
same filters by many users' dashboards, while the data change only when a bundle is loaded. So each
backend keeps its recent answers, keyed by the query (which carries the caller's scope) and checked
against ``data_version()``: a commit — in this process or, on Neo4j, in any app server — changes the
version and every answer counted before it is dropped on the next ask.

    class LadybugStore:
        @remembered
        def count_facts(self, query: FactQuery) -> dict[Any, dict[str, int]]: ...

A race cannot serve stale figures: the version is read *before* counting, so an answer is filed
under a version no newer than the data it was counted from, and a reader who sees a newer version
never looks at it. Callers get a copy (the cached answer is never handed out to be changed).
``WENZE_ANSWER_CACHE=0`` in the environment turns it off (benchmarks of the engine's cold path).
"""

from __future__ import annotations

import copy
import functools
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar, cast

T = TypeVar("T")

MAX_ANSWERS = 512  # answers are small (a few dozen numbers, a page of ids): at most a few MB in all


class Answers:
    """The answers counted at one data version, least recently used first."""

    def __init__(self, limit: int = MAX_ANSWERS) -> None:
        self._lock = threading.Lock()
        self._version: Any = None
        self._answers: OrderedDict[Hashable, Any] = OrderedDict()
        self._limit = limit
        self.hits = self.misses = 0

    def get(self, version: Any, key: Hashable) -> tuple[bool, Any]:
        with self._lock:
            if version != self._version or key not in self._answers:
                self.misses += 1
                return False, None
            self._answers.move_to_end(key)
            self.hits += 1
            return True, self._answers[key]

    def put(self, version: Any, key: Hashable, answer: Any) -> None:
        with self._lock:
            if version != self._version:
                self._version = version
                self._answers.clear()
            self._answers[key] = answer
            self._answers.move_to_end(key)
            while len(self._answers) > self._limit:
                self._answers.popitem(last=False)


def enabled() -> bool:
    return os.environ.get("WENZE_ANSWER_CACHE", "1").strip().lower() not in ("0", "off", "false", "no")


def remembered(method: Callable[[Any, Any], T]) -> Callable[[Any, Any], T]:
    """Keep ``method(self, query)``'s answers per ``self.data_version()`` (``query`` hashable)."""
    name = method.__name__

    @functools.wraps(method)
    def wrapper(self: Any, query: Any) -> T:
        if not enabled():
            return method(self, query)
        answers: Answers | None = self.__dict__.get("_answers")
        if answers is None:
            answers = self.__dict__.setdefault("_answers", Answers())
        version = self.data_version()  # before counting: see the module's note on races
        key = (name, query)
        found, answer = answers.get(version, key)
        if not found:
            answer = method(self, query)
            answers.put(version, key, answer)
        return cast(T, copy.deepcopy(answer))

    return wrapper
