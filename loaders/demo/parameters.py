"""How big each scale is, and the figures a test should count in what it generates (``EXPECTED``).

    >>> from loaders.demo.parameters import EXPECTED, PARAMS
    >>> EXPECTED["full"]["campaign_held_accountable"], PARAMS["small"].staff_total
    (267, 420)

``PARAMS[scale]`` sizes every stage (how many prefectures, departments, deputies, staff, issues …).
``EXPECTED[scale]`` holds the seed's figures at ``full`` (MODEL.md, "The seed's figures") and the
same shape at a small size for ``small``; the stages build to these counts and raise if they miss.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from loaders.demo.caseload_plan import PERSON_TIMES_PER_YEAR
from loaders.demo.vocabulary import PROVINCE_DEPTS

Scale = Literal["small", "full"]

# What a test should count in the generated tables (see tests/unit/test_demo.py and
# tests/contract/test_demo_figures.py). The full-scale figures are the seed's; the small ones keep
# the same shape at a size a unit test loads in a blink. "nodes" and "relationships" are the
# generator's own totals (the seed plus the 2018–2024 caseload), not published figures.
EXPECTED: dict[str, dict[str, int]] = {
    "small": {
        "trained_officials": 300,
        "training_courses": 24,
        "lectures": 10,
        "duty_reporters": 98,
        "reporters_city_county": 16,
        "reporters_departments": 40,
        "reporters_township": 12,
        "reporters_other": 30,
        "reviewed_principals": 6,
        "inspections_comprehensive": 1,
        "inspections_special": 2,
        "campaign_held_accountable": 12,
        "campaign_sanctioned": 3,
        "campaign_transferred_to_discipline": 2,
        "campaign_transferred_to_judicial": 1,
        "campaign_exposed_cases": 2,
        "nodes": 1_640,
        "relationships": 3_142,
    },
    "full": {
        "trained_officials": 410_000,
        "training_courses": 4_012,
        "lectures": 1_618,
        "duty_reporters": 34_144,
        "reporters_city_county": 1_791,
        "reporters_departments": 20_176,
        "reporters_township": 5_565,
        "reporters_other": 6_612,
        "reviewed_principals": 61,
        "inspections_comprehensive": 4,
        "inspections_special": 11,
        "campaign_held_accountable": 267,
        "campaign_sanctioned": 30,
        "campaign_transferred_to_discipline": 37,
        "campaign_transferred_to_judicial": 3,
        "campaign_exposed_cases": 18,
        "nodes": 1_178_115,
        "relationships": 2_567_012,
    },
}


@dataclass(frozen=True)
class Params:
    """The sizes of one scale; ``expected`` is that scale's row of ``EXPECTED``."""

    prefectures: tuple[str, ...] | None  # None: every prefecture-level unit
    counties: tuple[str, ...] | None
    townships: tuple[int, int]  # per county
    zone_townships: int  # townships directly under 嘉峪关 and 兰州新区
    province_depts: tuple[str, ...] | None
    prefecture_depts: tuple[str, ...] | None
    county_depts: tuple[str, ...] | None
    pc_team: tuple[int, int]
    gov_deputies: tuple[int, int]
    dept_deputies: tuple[int, int]
    dept_team: tuple[int, int]
    twp_deputies: tuple[int, int]
    twp_team: tuple[int, int]
    other_deputies: tuple[int, int]
    other_team: tuple[int, int]
    staff_total: int
    central_sessions: int
    rotation_sessions: int
    review_depts: tuple[str, ...]
    review_separate_dept: str  # the one reviewed department whose 党组书记 and 厅长 are two people
    comprehensive: int
    special_themes: int
    rt_inspections: int
    comprehensive_counties: int
    issues: dict[str, int]  # per inspection: comprehensive, rt, special, field_2022
    other_cases_2023: int
    cases_2022: int
    caseload_person_times: int  # four-form person-times a year, 2018–2024 (loaders.demo.caseload_plan)
    expected: dict[str, int] = field(default_factory=dict)


PARAMS: dict[str, Params] = {
    "small": Params(
        prefectures=("620100",),
        counties=("620102", "620121"),
        townships=(2, 2),
        zone_townships=0,
        province_depts=("transport", "psb", "justice", "finance", "organisation"),
        prefecture_depts=("transport", "psb", "justice", "organisation"),
        county_depts=("transport", "psb", "justice"),
        pc_team=(2, 2),
        gov_deputies=(2, 2),
        dept_deputies=(1, 2),
        dept_team=(1, 1),
        twp_deputies=(1, 1),
        twp_team=(1, 1),
        other_deputies=(1, 1),
        other_team=(0, 1),
        staff_total=420,
        central_sessions=1,
        rotation_sessions=1,
        review_depts=("transport", "justice", "finance"),
        review_separate_dept="finance",
        comprehensive=1,
        special_themes=1,
        rt_inspections=1,
        comprehensive_counties=2,
        issues={"comprehensive": 4, "rt": 8, "special": 2, "field_2022": 2},
        other_cases_2023=2,
        cases_2022=1,
        caseload_person_times=20,
        expected=EXPECTED["small"],
    ),
    "full": Params(
        prefectures=None,
        counties=None,
        townships=(8, 16),
        zone_townships=6,
        province_depts=None,
        prefecture_depts=None,
        county_depts=None,
        pc_team=(8, 9),
        gov_deputies=(6, 8),
        dept_deputies=(4, 6),
        dept_team=(3, 5),
        twp_deputies=(2, 3),
        twp_team=(2, 3),
        other_deputies=(2, 4),
        other_team=(1, 3),
        staff_total=420_000,
        central_sessions=2,
        rotation_sessions=4,
        review_depts=tuple(k for k, _, _, side in PROVINCE_DEPTS if side != "party" and k != "energy"),
        review_separate_dept="education",
        comprehensive=4,
        special_themes=7,
        rt_inspections=4,
        comprehensive_counties=20,
        issues={"comprehensive": 25, "rt": 40, "special": 12, "field_2022": 15},
        other_cases_2023=10,
        cases_2022=3,
        caseload_person_times=PERSON_TIMES_PER_YEAR,  # 1.75 % of the national 2023 total
        expected=EXPECTED["full"],
    ),
}
