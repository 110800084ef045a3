"""api.lanes: a request's execution runs in one worker thread of the lane its cost has earned."""

from __future__ import annotations

import asyncio
import contextvars
import threading
import time

import pytest

from api.endpoint import reads_nothing
from api.lanes import Lanes

WHO: contextvars.ContextVar[str] = contextvars.ContextVar("who", default="nobody")


def _sleeper(seconds: float, seen: list[tuple[str, str]] | None = None):
    async def work() -> str:
        if seen is not None:
            seen.append((threading.current_thread().name, WHO.get()))
        time.sleep(seconds)  # a blocking store call, made in the worker thread
        await asyncio.sleep(0)
        return f"slept {seconds}"

    return work


def test_runs_in_a_worker_thread_with_the_callers_context_variables() -> None:
    lanes = Lanes(quick_threads=1, slow_threads=1, quick_ms=50)
    seen: list[tuple[str, str]] = []

    async def main() -> str:
        WHO.set("inspector")
        return await lanes.run(("q", None), _sleeper(0.0, seen), time.monotonic() + 5)

    try:
        assert asyncio.run(main()) == "slept 0.0"
        assert seen == [("wenze-quick_0", "inspector")]
    finally:
        lanes.shutdown()


def test_a_shape_goes_to_the_slow_lane_once_its_fastest_runs_are_slow() -> None:
    lanes = Lanes(quick_threads=1, slow_threads=1, quick_ms=50)
    slow, quick = ("{ fourForms { form1 } }", None), ("{ node(id: 1) { id } }", None)

    async def main() -> None:
        for _ in range(3):
            assert not lanes.is_slow(slow)  # not yet learned: quick
            await lanes.run(slow, _sleeper(0.08), time.monotonic() + 5)
            await lanes.run(quick, _sleeper(0.0), time.monotonic() + 5)

    try:
        asyncio.run(main())
        assert lanes.is_slow(slow) and not lanes.is_slow(quick)
        assert lanes.describe() == {"quick": 1, "slow": 1, "quick_ms": 50, "shapes": 2, "slow_shapes": 1}
        lanes.note(slow, 0.01)  # one fast run is enough to come back (the least of the last 16)
        assert not lanes.is_slow(slow)
    finally:
        lanes.shutdown()


def test_queued_slow_requests_do_not_hold_up_a_quick_one() -> None:
    lanes = Lanes(quick_threads=1, slow_threads=1, quick_ms=50)
    slow = ("slow", None)
    for _ in range(3):
        lanes.note(slow, 0.3)

    async def main() -> tuple[float, int]:
        slow_ones = [asyncio.ensure_future(lanes.run(slow, _sleeper(0.3), time.monotonic() + 10)) for _ in range(3)]
        await asyncio.sleep(0.05)
        t0 = time.monotonic()
        await lanes.run(("quick", None), _sleeper(0.0), time.monotonic() + 10)
        took = time.monotonic() - t0
        pending = sum(not f.done() for f in slow_ones)
        await asyncio.gather(*slow_ones)
        return took, pending

    try:
        took, pending = asyncio.run(main())
        assert took < 0.2, took
        assert pending == 3  # the slow ones were still running or queued (1 thread, 0.9 s of work)
    finally:
        lanes.shutdown()


def test_past_the_deadline_the_caller_stops_waiting_and_the_cost_still_counts() -> None:
    lanes = Lanes(quick_threads=1, slow_threads=1, quick_ms=50)
    shape = ("budget", None)

    async def main() -> None:
        with pytest.raises(TimeoutError):
            await lanes.run(shape, _sleeper(0.3), time.monotonic() + 0.05)

    try:
        t0 = time.monotonic()
        asyncio.run(main())
        assert time.monotonic() - t0 < 0.25
        lanes.quick.shutdown(wait=True)  # the execution finishes its call, then is noted
        assert lanes.describe()["shapes"] == 1
    finally:
        lanes.shutdown()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("{ __typename }", True),
        ("query Ping { __typename }", True),
        ('{ __typename node(id: "1") { id } }', False),
        ("{ __schema { types { name } } }", False),
        ("{ ...F } fragment F on Query { __typename }", False),
        ("{ __typename", False),  # a syntax error: the normal path reports it
    ],
)
def test_only_documents_asking_for_typename_alone_read_nothing(query: str, expected: bool) -> None:
    assert reads_nothing(query) is expected
