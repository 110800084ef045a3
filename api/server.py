"""Run the app under uvicorn with ONE worker (the embedded engine allows one process; reads use threads).

run(Settings(), host="127.0.0.1", port=8000)
"""

from __future__ import annotations

import uvicorn

from api.app import create_app
from api.settings import Settings


def run(settings: Settings, host: str = "127.0.0.1", port: int = 8000) -> None:
    uvicorn.run(create_app(settings), host=host, port=port, workers=1, log_level="info", access_log=False)
