"""Run the app under uvicorn with ONE worker (the embedded engine allows one process; reads use threads).

    run(Settings(), host="127.0.0.1", port=8000)

The service's own messages (logger ``wenze``: the search index built or loaded from its file, torn
logs set aside, the lanes' sizes, …) go to standard error at INFO, beside uvicorn's.

Serving sets the GIL's switch interval (``settings.switch_interval_ms``, 1 ms unless set; Python's
default is 5 ms), so a thread busy in Python gives the GIL up sooner to the event loop and to quick
requests waiting for it. The lanes' sizes are logged at start (``api.lanes``).
"""

from __future__ import annotations

import logging
import sys

import uvicorn

from api.app import create_app
from api.settings import Settings

log = logging.getLogger("wenze.api")


def _log_to_stderr() -> None:
    service = logging.getLogger("wenze")
    if not service.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s:     %(name)s: %(message)s"))
        service.addHandler(handler)
        service.setLevel(logging.INFO)


def run(settings: Settings, host: str = "127.0.0.1", port: int = 8000) -> None:
    _log_to_stderr()
    sys.setswitchinterval(settings.switch_interval_ms / 1000)
    log.info(
        "serving: quick lane %d threads (shapes ≤ %g ms), slow lane %d threads, GIL switch interval %g ms",
        settings.quick_threads,
        settings.quick_lane_ms,
        settings.store_threads,
        settings.switch_interval_ms,
    )
    uvicorn.run(create_app(settings), host=host, port=port, workers=1, log_level="info", access_log=False)
