"""Load a bundle into a store: read, validate everything, then write it in one transaction.

report = load(store, Path("bundle/"))             # BundleRejected lists every problem; nothing written
report = load(store, generate("small"))           # in-memory tables (the demo)
report = load(store, Path("bundle.zip"), dry_run=True)
report = load(store, Path("gbk-export/"), limits=LoadLimits(max_rows=100_000), encoding="gb18030")
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from graph.port import GraphStore, WriteStats
from loaders.bundle import RawBundle, from_tables, read_bundle
from loaders.limits import LoadLimits
from loaders.validate import validate

_PROGRESS_FROM_ROWS = 50_000


@dataclass
class LoadReport:
    rows: int = 0
    dry_run: bool = False
    stats: WriteStats = field(default_factory=WriteStats)
    read_seconds: float = 0.0
    validate_seconds: float = 0.0
    write_seconds: float = 0.0
    encodings: dict[str, str] = field(default_factory=dict)  # files read in an encoding other than UTF-8

    @property
    def rows_per_second(self) -> float:
        total = self.read_seconds + self.validate_seconds + self.write_seconds
        return self.rows / total if total else 0.0


def load(
    store: GraphStore,
    source: Path | str | Mapping[str, pa.Table] | RawBundle,
    dry_run: bool = False,
    progress: bool | None = None,
    on_write_start: Callable[[], None] | None = None,
    limits: LoadLimits | None = None,
    encoding: str | None = None,
) -> LoadReport:
    """Validate ``source`` completely, then (unless ``dry_run``) upsert it in one transaction.

    ``progress``: a progress bar on stderr (default: for large loads when stderr is a terminal).
    ``limits``: what a file may be (``LoadLimits()`` by default); ``encoding``: of every CSV file
    (default: UTF-8, or GB18030 for a file that is not UTF-8 and decodes cleanly as GB18030).
    """
    report = LoadReport(dry_run=dry_run)
    t0 = time.perf_counter()
    if isinstance(source, RawBundle):
        raw = source
    elif isinstance(source, Mapping):
        raw = from_tables(dict(source))
    else:
        raw = read_bundle(Path(source), limits, encoding)
    report.encodings = raw.encodings()
    t1 = time.perf_counter()
    batch = validate(raw, store)
    t2 = time.perf_counter()
    report.read_seconds, report.validate_seconds = t1 - t0, t2 - t1
    report.rows = batch.row_count
    if dry_run:
        return report
    show = progress if progress is not None else (sys.stderr.isatty() and report.rows >= _PROGRESS_FROM_ROWS)
    if on_write_start is not None:
        on_write_start()
    if show:
        from tqdm import tqdm

        with tqdm(total=report.rows, unit="行", desc="写入 writing", file=sys.stderr) as bar:
            report.stats = store.write(batch, progress=bar.update)
    else:
        report.stats = store.write(batch)
    report.write_seconds = time.perf_counter() - t2
    return report
