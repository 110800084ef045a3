"""Synthetic Gansu 2023 demonstration data for the 学–述–考–督–责 chain (MODEL.md, "The seed's figures").

    >>> tables = generate("small")
    >>> tables["Campaign"].num_rows > 0 and ROAD_TRAFFIC_CAMPAIGN_ID in tables["Campaign"]["id"].to_pylist()
    True

``generate`` returns one ``pyarrow.Table`` per bundle file of CONTRACT §1 (node kinds and
relationship kinds, keyed by the file stem), every column a string exactly as a CSV cell reads:
dates ``YYYY-MM-DD``, booleans ``true``/``false``, numbers as decimal text, null for an empty cell.
The derived columns ``Measure.form`` and ``Measure.period_end`` are left to the loader.

The regions are Gansu's real divisions (``gansu_divisions.csv``, package data, verbatim from
``shared/domain/gansu_divisions.csv``). Everything else is invented: townships, officials (names
drawn from surname and given-name pools; no real person), posts, events and the whole
accountability chain. At full scale the data reproduce the seed's 2023 figures exactly and carry
about 40,000 four-form person-times a year for 2018–2024 beside them; ``EXPECTED`` lists, per
scale, the figures a test should count.

The output depends only on ``scale`` and ``seed``: one ``random.Random(seed)`` is consumed in a
fixed order, nothing reads the clock, and no set of strings is ever iterated.

The package, module by module:

- ``generator``: ``generate``, the stages in order over one ``state.DemoState``;
- the world: ``regions`` (the divisions file, townships), ``organisations`` (units, departments,
  positions), ``officials`` (leaders' tenures, moves, staff, Official and HELD_POST rows);
- the chain, one module per stage: ``study`` 学, ``duty_reports`` 述, ``assessments`` 考,
  ``inspections`` 督, ``accountability`` 责 (the seed's cases, built to its exact figures);
- the province's discipline caseload of 2018–2024 around them: ``caseload_plan`` (the published
  figures it follows, with sources, and each year's plan) and ``caseload`` (its rows);
- what they share: ``state`` (the rng, the rows, look-ups), ``columns`` (the tables being built),
  ``records`` (regions, organisations, slots, tenures, issues, case shapes), ``dates``,
  ``terms`` (the model's identifiers, checked at import), ``vocabulary`` (names and texts),
  ``parameters`` (the scales and ``EXPECTED``).

Imports: ``schema`` (the model and its rules) and, if ever needed, ``graph``; never ``api``, and
nothing outside this package imports its modules other than through the names below.
"""

from loaders.demo.generator import generate
from loaders.demo.parameters import EXPECTED, Scale
from loaders.demo.regions import divisions
from loaders.demo.terms import (
    PROVINCIAL_COMMISSION_ID,
    ROAD_TRAFFIC_CAMPAIGN_ID,
    ROLE_CITY_COUNTY,
    ROLE_DEPARTMENTS,
    ROLE_OTHER,
    ROLE_TOWNSHIP,
)

__all__ = [
    "EXPECTED",
    "PROVINCIAL_COMMISSION_ID",
    "ROAD_TRAFFIC_CAMPAIGN_ID",
    "ROLE_CITY_COUNTY",
    "ROLE_DEPARTMENTS",
    "ROLE_OTHER",
    "ROLE_TOWNSHIP",
    "Scale",
    "divisions",
    "generate",
]
