"""``generate``: the stages of the demo in their fixed order over one ``DemoState``.

    >>> tables = generate("small")
    >>> tables["Region"].column("id")[0].as_py()
    '620000'

The order is part of the output: every stage draws from the one ``random.Random(seed)`` in turn,
so moving a stage (or a draw inside one) changes every table after it.
"""

from __future__ import annotations

import random

import pyarrow as pa

from loaders.demo.accountability import build_accountability
from loaders.demo.assessments import build_assessments
from loaders.demo.duty_reports import build_duty_reports
from loaders.demo.inspections import build_inspections
from loaders.demo.officials import build_leaders, build_officials, build_staff
from loaders.demo.organisations import build_organisations
from loaders.demo.parameters import PARAMS, Scale
from loaders.demo.regions import build_regions
from loaders.demo.state import DemoState
from loaders.demo.study import build_study


def generate(scale: Scale = "small", seed: int = 2023) -> dict[str, pa.Table]:
    """The demonstration graph as one string table per bundle file (CONTRACT §1).

    Same ``scale`` and ``seed``, same tables. ``EXPECTED[scale]`` holds the figures to count.
    """
    if scale not in PARAMS:
        raise ValueError(f"scale must be 'small' or 'full', not {scale!r}")
    st = DemoState(PARAMS[scale], random.Random(seed))
    build_regions(st)  # the world: regions, organisations and their positions, people in them
    build_organisations(st)
    build_leaders(st)
    build_staff(st)
    build_officials(st)
    build_study(st)  # 学
    build_duty_reports(st)  # 述
    build_assessments(st)  # 考
    found = build_inspections(st)  # 督
    build_accountability(st, found)  # 责
    return st.t.tables()
