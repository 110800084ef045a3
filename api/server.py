"""Run the app under uvicorn with ONE worker (the embedded engine allows one process; reads use threads).

run(Settings(), host="127.0.0.1", port=8000)

The service's own messages (logger ``wenze``: the search index built or loaded from its file, torn
logs set aside, …) go to standard error at INFO, beside uvicorn's.
"""

from __future__ import annotations

import logging

import uvicorn

from api.app import create_app
from api.settings import Settings


def _log_to_stderr() -> None:
    service = logging.getLogger("wenze")
    if not service.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s:     %(name)s: %(message)s"))
        service.addHandler(handler)
        service.setLevel(logging.INFO)


def run(settings: Settings, host: str = "127.0.0.1", port: int = 8000) -> None:
    _log_to_stderr()
    uvicorn.run(create_app(settings), host=host, port=port, workers=1, log_level="info", access_log=False)
