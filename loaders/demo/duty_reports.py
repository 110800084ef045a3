"""述: the 2023 述法 duty reports, and the provincial commission's review of 61 principals' reports.

    >>> from loaders.demo import EXPECTED, generate
    >>> t = generate("small")
    >>> t["DutyReport"].num_rows == EXPECTED["small"]["duty_reporters"]
    True

The reviewed are the principals of the reviewed units (市州, 兰州新区, provincial departments) on
the review day; each reporter category is filled principals first, then deputies and team members,
to exactly the seed's counts per ``reporter_role``. County principals' reports are reviewed by their
prefecture's party committee.
"""

from __future__ import annotations

from loaders.demo.dates import REVIEW_DAY, YEAR_END, iso, ymd
from loaders.demo.records import Slot
from loaders.demo.state import DemoState
from loaders.demo.terms import (
    COUNTY,
    D_REPORT,
    F_COMMISSION,
    F_ON_SITE,
    F_ONLINE,
    F_THEMATIC,
    F_WRITTEN,
    F_YEAR_END,
    PROVINCIAL_COMMISSION_ID,
    R_COUNTY_D,
    R_TOWN_P,
    ROLE_CITY_COUNTY,
    ROLE_DEPARTMENTS,
    ROLE_OTHER,
    ROLE_TOWNSHIP,
)
from loaders.demo.vocabulary import REVIEW_COMMENTS


def build_duty_reports(st: DemoState) -> None:
    """The 述 stage: DutyReport, SUBMITTED, REVIEWED_BY and the review minutes."""
    p, rng, t = st.p, st.rng, st.t
    exp = p.expected
    ids = st.official_ids
    # reviewed by the provincial commission: the principals of the reviewed units on the day
    reviewed: list[int] = []
    for o in st.review_orgs:
        for pid in st.principals_at(o.id, REVIEW_DAY):
            if pid not in reviewed:
                reviewed.append(pid)
    if len(reviewed) != exp["reviewed_principals"]:
        raise AssertionError(f"{len(reviewed)} reviewed principals, expected {exp['reviewed_principals']}")
    reviewed_set = set(reviewed)
    # who is in post at the year end, by category, principals first
    pools: dict[str, tuple[dict[int, None], dict[int, None]]] = {
        c: ({}, {}) for c in ("leadership", "department", "township", "other")
    }
    principal_slot: dict[int, Slot] = {}
    for tn in st.tenures:
        cat = tn.slot.category
        if cat not in pools or tn.start > YEAR_END or (tn.last_day is not None and tn.last_day < YEAR_END):
            continue
        pid = st.tenure_pid[tn.idx]
        if tn.slot.role == "principal":
            pools[cat][0][pid] = None
            principal_slot.setdefault(pid, tn.slot)
        else:
            pools[cat][1][pid] = None
    base = st.n_leaders
    filler = [
        base + i
        for i, (s, e, r) in enumerate(zip(st.staff_start, st.staff_end, st.staff_rank, strict=True))
        if r in (R_TOWN_P, R_COUNTY_D) and s <= YEAR_END and (e is None or e >= YEAR_END)
    ]
    taken: set[int] = set()
    plan = (
        ("leadership", ROLE_CITY_COUNTY, exp["reporters_city_county"]),
        ("department", ROLE_DEPARTMENTS, exp["reporters_departments"]),
        ("township", ROLE_TOWNSHIP, exp["reporters_township"]),
        ("other", ROLE_OTHER, exp["reporters_other"]),
    )
    chosen_by_role: list[tuple[str, list[int]]] = []
    for cat, role, target in plan:
        principals, others = pools[cat]
        first = [pid for pid in principals if pid in reviewed_set]
        first += [pid for pid in principals if pid not in reviewed_set and pid not in taken]
        if len(first) > target:
            raise AssertionError(f"{role}: {len(first)} principals exceed the target {target}")
        rest = [pid for pid in others if pid not in taken and pid not in principals]
        if cat == "other":
            rest += [pid for pid in filler if pid not in taken]
        if len(rest) < target - len(first):
            raise AssertionError(f"{role}: only {len(first) + len(rest)} candidates for {target}")
        chosen = first + rng.sample(rest, target - len(first))
        taken.update(chosen)
        chosen_by_role.append((role, chosen))
    missing = reviewed_set - taken
    if missing:
        raise AssertionError(f"reviewed principals without a report: {sorted(missing)}")
    forms = {
        ROLE_CITY_COUNTY: (F_ON_SITE, F_THEMATIC, F_YEAR_END),
        ROLE_DEPARTMENTS: (F_YEAR_END, F_YEAR_END, F_YEAR_END, F_WRITTEN, F_ON_SITE),
        ROLE_TOWNSHIP: (F_WRITTEN, F_ON_SITE, F_ONLINE, F_YEAR_END),
        ROLE_OTHER: (F_WRITTEN, F_YEAR_END),
    }
    review_doc = st.doc(
        "中共甘肃省委全面依法治省委员会2024年第一次会议纪要", "甘法委纪〔2024〕1号", REVIEW_DAY, D_REPORT
    )
    for role, chosen in chosen_by_role:
        for pid in chosen:
            rid = st.next_id("DR-2023", 5)
            score = round(rng.triangular(58.0, 99.0, 90.0), 1)
            grade = "优秀" if score >= 90 else "良好" if score >= 80 else "一般" if score >= 70 else "较差"
            comment: str | None
            if pid in reviewed_set:
                form, comment = F_COMMISSION, rng.choice(REVIEW_COMMENTS)
            else:
                form = rng.choice(forms[role])
                comment = rng.choice(REVIEW_COMMENTS) if rng.random() < 0.05 else None
            t.node(
                "DutyReport",
                rid,
                year=2023,
                form=form,
                reporter_role=role,
                score=score,
                grade=grade,
                commentary=comment,
            )
            t.rel("SUBMITTED", ids[pid], rid)
            if pid in reviewed_set:
                t.rel("REVIEWED_BY", rid, PROVINCIAL_COMMISSION_ID, date=iso(REVIEW_DAY))
                t.rel(
                    "EVIDENCED_BY",
                    rid,
                    review_doc,
                    page=2 + len(t.data["REVIEWED_BY"]["from"]) // 4,
                    note="专题审议述法报告",
                )
            elif role == ROLE_CITY_COUNTY and pid in principal_slot and principal_slot[pid].org.level == COUNTY:
                # county principals' 述法 is reviewed by the prefecture's party committee
                pref = st.units[principal_slot[pid].org.group]["pc"]
                t.rel("REVIEWED_BY", rid, pref.id, date=iso(ymd(2024, 1, 10) + rng.randint(0, 10)))
