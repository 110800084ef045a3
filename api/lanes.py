"""Where a request's execution runs: in one worker thread, in the lane its cost has earned.

    lanes = Lanes(quick_threads=2, slow_threads=3, quick_ms=50.0)
    result = await lanes.run(("{ chain(…) { … } }", None), lambda: schema.execute(…), deadline)
    lanes.describe()        # {'quick': 2, 'slow': 3, 'quick_ms': 50.0, 'shapes': 7, 'slow_shapes': 2}

Each request takes a worker thread once (not once per nested look-up): its whole GraphQL execution
runs there, on an event loop of that thread's own, so the server's event loop only reads requests,
writes answers and the audit — a slow request's Python work never sits on it.

Two lanes, each a thread pool with its own queue: a *shape* (the query text and operation name) whose
fastest recent execution took at most ``quick_ms`` (the least of its last 16, in wall time inside the
worker, queueing not counted) runs in the quick lane, others in the slow lane; a shape not yet seen 3
times runs in the quick lane. The least, not the median: under load every execution takes longer
(the CPU is shared), and a cheap shape must not be sent to the slow lane for that — its fastest run
stays near its cost alone, a slow shape's never gets under it. A burst of slow requests then waits
in its own queue and cannot delay a cheap one by more than the CPU they share.
"""

from __future__ import annotations

import asyncio
import contextvars
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
Shape = tuple[str, str | None]
_KEEP = 16  # executions remembered per shape
_LEARN = 3  # executions before a shape's lane follows its cost
_SHAPES = 1024  # shapes remembered (least recently used forgotten)
_thread = threading.local()


def _run_on_own_loop(factory: Callable[[], Coroutine[Any, Any, T]], took: Callable[[float], None]) -> T:
    """Run the coroutine to its end on this worker thread's own event loop; tell ``took`` how long it ran
    (also when it failed, or its caller stopped waiting: a request past its budget still counts)."""
    loop = getattr(_thread, "loop", None)
    if loop is None:
        loop = _thread.loop = asyncio.new_event_loop()
    started = time.perf_counter()
    try:
        return loop.run_until_complete(factory())
    finally:
        took(time.perf_counter() - started)


class Lanes:
    """Two thread pools (quick, slow) and the recent cost of each request shape."""

    def __init__(self, quick_threads: int, slow_threads: int, quick_ms: float) -> None:
        self.quick = ThreadPoolExecutor(quick_threads, thread_name_prefix="wenze-quick")
        self.slow = ThreadPoolExecutor(slow_threads, thread_name_prefix="wenze-slow")
        self.quick_threads, self.slow_threads, self.quick_ms = quick_threads, slow_threads, quick_ms
        self._costs: OrderedDict[Shape, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def is_slow(self, shape: Shape) -> bool:
        """Whether requests of this shape run in the slow lane (their fastest recent run is over ``quick_ms``)."""
        with self._lock:
            costs = self._costs.get(shape)
            if costs is None or len(costs) < _LEARN:
                return False
            self._costs.move_to_end(shape)
            return self._over(costs)

    def _over(self, costs: deque[float]) -> bool:
        return min(costs) * 1000 > self.quick_ms

    def note(self, shape: Shape, seconds: float) -> None:
        with self._lock:
            costs = self._costs.get(shape)
            if costs is None:
                costs = self._costs[shape] = deque(maxlen=_KEEP)
                while len(self._costs) > _SHAPES:
                    self._costs.popitem(last=False)
            costs.append(seconds)

    async def run(self, shape: Shape, factory: Callable[[], Coroutine[Any, Any, T]], deadline: float) -> T:
        """``factory()``'s coroutine run to its end in a worker thread of the shape's lane, in a copy of
        this task's context variables. Past ``deadline`` (``time.monotonic()``) raise ``TimeoutError``;
        the execution then stops at its next store call (``api.context.Context.call``)."""
        pool = self.slow if self.is_slow(shape) else self.quick
        future = asyncio.get_running_loop().run_in_executor(
            pool, contextvars.copy_context().run, _run_on_own_loop, factory, lambda s: self.note(shape, s)
        )
        remaining = deadline - time.monotonic()
        return await asyncio.wait_for(future, remaining if remaining != float("inf") else None)

    def describe(self) -> dict[str, Any]:
        with self._lock:
            slow = sum(1 for c in self._costs.values() if len(c) >= _LEARN and self._over(c))
            shapes = len(self._costs)
        return {
            "quick": self.quick_threads,
            "slow": self.slow_threads,
            "quick_ms": self.quick_ms,
            "shapes": shapes,
            "slow_shapes": slow,
        }

    def shutdown(self) -> None:
        self.quick.shutdown(wait=False, cancel_futures=True)
        self.slow.shutdown(wait=False, cancel_futures=True)
