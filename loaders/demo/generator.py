"""``generate``: the stages of the demo in their fixed order over one ``DemoState``.

    >>> tables = generate("small")
    >>> tables["Region"].column("id")[0].as_py()
    '620000'

The order is part of the output: every stage draws from the one ``random.Random(seed)`` in turn,
so moving a stage (or a draw inside one) changes every table after it.
"""

from __future__ import annotations

import random
from dataclasses import replace

import pyarrow as pa

from loaders.demo.accountability import build_accountability
from loaders.demo.assessments import build_assessments
from loaders.demo.caseload import build_caseload
from loaders.demo.duty_reports import build_duty_reports
from loaders.demo.inspections import build_inspections
from loaders.demo.officials import build_leaders, build_officials, build_staff
from loaders.demo.organisations import build_organisations
from loaders.demo.parameters import PARAMS, Scale
from loaders.demo.regions import build_regions
from loaders.demo.state import DemoState
from loaders.demo.study import build_study


def generate(scale: Scale = "small", seed: int = 2023, caseload: float = 1.0) -> dict[str, pa.Table]:
    """The demonstration graph as one string table per bundle file (CONTRACT §1).

    Same ``scale``, ``seed`` and ``caseload``, same tables. ``EXPECTED[scale]`` holds the figures to
    count (its node and relationship totals at ``caseload=1``). ``caseload`` multiplies the yearly
    person-times of the 2018–2024 caseload (``bench/volume.py`` runs 1×, 2×, 4×); the seed's rows and
    figures do not change with it, and ``caseload=0`` leaves the seed alone:

        >>> seed, both = generate("small", caseload=0), generate("small")
        >>> both["Official"].slice(0, seed["Official"].num_rows).equals(seed["Official"])
        True
    """
    if scale not in PARAMS:
        raise ValueError(f"scale must be 'small' or 'full', not {scale!r}")
    if not caseload >= 0:
        raise ValueError(f"caseload must be a multiplier >= 0, not {caseload!r}")
    params = PARAMS[scale]
    params = replace(params, caseload_person_times=round(params.caseload_person_times * caseload))
    st = DemoState(params, random.Random(seed))
    build_regions(st)  # the world: regions, organisations and their positions, people in them
    build_organisations(st)
    build_leaders(st)
    build_staff(st)
    build_officials(st)
    build_study(st)  # 学
    build_duty_reports(st)  # 述
    build_assessments(st)  # 考
    found = build_inspections(st)  # 督
    build_accountability(st, found)  # 责: the seed's cases
    if params.caseload_person_times:
        build_caseload(st)  # 责: the province's caseload 2018–2024, after the seed so its figures stay exact
    return st.t.tables()
