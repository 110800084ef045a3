"""The province's discipline caseload for 2018–2024: the published figures it is sized by, and its plan.

    >>> import random
    >>> form_targets(40_000)
    (25800, 10920, 1520, 1760)
    >>> issues = plan_year(random.Random(1), 40_000)
    >>> sum(len(p) for i in issues for c in i.cases for p in c.persons) > 30_000
    True

Figures and sources (RESEARCH.md §9.1 unless said otherwise):

- 四种形态 person-times (人次), shares of form 1 / 2 / 3 / 4:
  national 2023: 171.8万 = 63.8 / 28.6 / 3.7 / 3.9 % (CCDI release of 2024-01-24; issue 10 quotes
  1.707 million, which RESEARCH.md §9.1 marks as a misquote of this row);
  national 2021: 212.5万 = 70.0 / 23.2 / 3.3 / 3.5 %;
  one province, 2022 H1: 51,044 = 65.9 / 26.1 / 2.8 / 5.2 % (jwfz.org.cn);
  issue 10 also cites provincial bulletins of 29,440 (2022 H1) and 150,257 (2021) person-times, with
  about 62–67 % form 1, 24–31 % form 2, 3–4 % form 3 and 4–5 % form 4.
- The volume: Gansu has 1.75 % of the country's people (2,465万 of 140,967万 at the end of 2023,
  the provincial and national statistical bulletins; not in RESEARCH.md), so the national 2023 total
  gives 171.8万 × 1.75 % ≈ 30,000 person-times a year, and 2021's ≈ 37,000. Issue 10 suggested
  ≈ 40,000; the demo takes the published rate of the latest verified year, ``PERSON_TIMES_PER_YEAR``
  = 30,000 (``PARAMS["full"].caseload_person_times``), times the generator's ``caseload`` multiplier.
- Problem clues handled ≈ 2× cases filed (立案): that province in 2022 H1 handled 35,723 clues and
  filed 15,472 cases (2.3×); nationally 2023, 173.3万 clues and 62.6万 cases (2.8×); issue 10 asks
  for ≈ 2×. Here every measure needs a Case, so Case nodes also hold 问责 decisions (``accountability``)
  that bulletins do not count as 立案: clues are ``CLUES_PER_FILED_CASE`` × the disciplinary reviews
  and supervisory investigations, or the cases that came through a clue if there are more.

The plan draws, per year, exactly ``form_targets(person_times)`` measures of each form: subjects
are graded light (form 1), medium (form 2), heavy (form 3) or criminal (a judicial transfer: form 4,
some also expelled, which counts in form 3), grouped into cases (most of one subject, some of
several), and cases into issues at one organisation (most issues one or two cases, a few many).
Everything else here (the kinds within a form, case sizes, the exposure rate) is invented.
"""

from __future__ import annotations

import random
from bisect import bisect
from dataclasses import dataclass, field
from itertools import accumulate

from loaders.demo.terms import (
    C_ACCOUNTABILITY,
    C_DISCIPLINARY,
    C_SUPERVISORY,
    EXPULSION,
    GOV_EXPULSION,
    ORG_MEASURES,
    T_DISCIPLINE,
    T_JUDICIAL,
    T_PROCURATORATE,
)
from schema.rules import GOV_SANCTIONS, PARTY_SANCTIONS

# Shares of the four forms the caseload is built to (inside every published range above).
FORM_SHARES = (0.645, 0.273, 0.038, 0.044)
PERSON_TIMES_PER_YEAR = 30_000  # 1.75 % of the national 2023 total (above)
CLUES_PER_FILED_CASE = 2.0
CASELESS_ISSUE_SHARE = 0.15  # issues found and rectified with nobody held accountable

LIGHT, MEDIUM, HEAVY, CRIMINAL = "light", "medium", "heavy", "criminal"
GRADES = (CRIMINAL, HEAVY, MEDIUM, LIGHT)  # heaviest first

# Kinds within each form, with invented weights (MODEL.md "Measures and the four forms").
FORM1 = (
    ("criticism_education", 30),
    ("reminder_talk", 25),
    ("admonishment", 20),
    ("ordered_self_criticism", 12),
    ("circulated_criticism", 8),
    ("warning_talk", 3),
    ("ordered_rectification_with_deadline", 1),
    ("ordered_public_apology", 1),
)
FORM2 = (
    ("party_warning", 30),
    ("party_serious_warning", 18),
    ("gov_warning", 12),
    ("gov_demerit", 12),
    ("gov_major_demerit", 6),
    ("gov_demotion_in_grade", 3),
    ("post_adjustment", 8),
    ("removal_from_office", 5),
    ("suspension_for_examination", 3),
    ("ordered_resignation", 3),
)
FORM2_PARTY = (("party_warning", 3), ("party_serious_warning", 2))
FORM2_GOV = (("gov_warning", 2), ("gov_demerit", 3), ("gov_major_demerit", 2), ("gov_demotion_in_grade", 1))
FORM3 = (
    ("party_probation", 35),
    ("removal_from_party_posts", 25),
    ("gov_removal_from_post", 25),
    ("demotion_in_post", 15),
)
# Decided by the party committee (组织处理), the rest by the 纪委监委.
BY_PARTY_COMMITTEE = frozenset(
    (
        "post_adjustment",
        "removal_from_office",
        "ordered_resignation",
        "suspension_for_examination",
        "demotion_in_post",
        "circulated_criticism",
    )
)
SANCTIONS = frozenset(PARTY_SANCTIONS + GOV_SANCTIONS)

# Subjects per case, by grade: (size, weight).
_CASE_SIZES = {
    CRIMINAL: ((1, 85), (2, 15)),
    HEAVY: ((1, 80), (2, 20)),
    MEDIUM: ((1, 70), (2, 20), (3, 10)),
    LIGHT: ((1, 55), (2, 25), (3, 12), (4, 5), (6, 3)),
}
# Cases per issue: most one or two, a few issues with many (a bad year at one bureau).
_ISSUE_SIZES = ((1, 55), (2, 25), (3, 10), (4, 5), (6, 3), (10, 1), (16, 1))
_EXPOSED = {CRIMINAL: 0.25, HEAVY: 0.10, MEDIUM: 0.03, LIGHT: 0.01}  # typical cases published
# Cases that began with a clue; the others (mostly 问责 on what an inspection found) came straight from the issue.
_VIA_CLUE = {CRIMINAL: 1.0, HEAVY: 1.0, MEDIUM: 0.8, LIGHT: 0.35}


@dataclass
class CasePlan:
    """A case still to be written: its grade, measure kinds per subject, kind, transfer, how it began."""

    grade: str
    persons: list[list[str]]
    kind: str
    transfer: str | None = None
    via_clue: bool = True
    exposed: bool = False
    org_measure: str | None = None


@dataclass
class IssuePlan:
    """An issue still to be written: the cases it led to and the clues it raised that led to none."""

    cases: list[CasePlan] = field(default_factory=list)
    idle_clues: int = 0

    @property
    def grade(self) -> str | None:
        """The heaviest grade among its cases (None: nobody was held accountable)."""
        for g in GRADES:
            if any(c.grade == g for c in self.cases):
                return g
        return None


def form_targets(person_times: int) -> tuple[int, int, int, int]:
    """Measures (人次) of forms 1–4 for a year of ``person_times``: the shares above, summing exactly."""
    f4, f3, f2 = (round(person_times * s) for s in FORM_SHARES[:0:-1])
    return person_times - f2 - f3 - f4, f2, f3, f4


_CUMULATIVE: dict[int, tuple[list[str], list[int]]] = {}


def _pick(rng: random.Random, pool: tuple[tuple[str, int], ...]) -> str:
    """A kind drawn from ``pool`` by weight (one uniform draw; the pool's running sums kept)."""
    items, cum = _CUMULATIVE.get(id(pool)) or _CUMULATIVE.setdefault(
        id(pool), ([k for k, _ in pool], list(accumulate(w for _, w in pool)))
    )
    return items[bisect(cum, rng.random() * cum[-1])]


def _subjects(rng: random.Random, person_times: int) -> dict[str, list[list[str]]]:
    """Measure kinds per subject, by grade, that count exactly ``form_targets(person_times)``."""
    f1, f2, f3, f4 = form_targets(person_times)
    c_both, c_party = round(f4 * 0.20), round(f4 * 0.15)  # 双开, or 开除党籍 only, before the transfer
    while 2 * c_both + c_party > f3:
        if c_both:
            c_both -= 1
        else:
            c_party -= 1
    criminal = [[EXPULSION, GOV_EXPULSION]] * c_both + [[EXPULSION]] * c_party + [[]] * (f4 - c_both - c_party)
    h = f3 - 2 * c_both - c_party
    h_extra = round(h * 0.3)  # 撤销党内职务 with a government sanction beside it
    heavy = [[_pick(rng, FORM3), _pick(rng, FORM2_GOV)] for _ in range(h_extra)]
    heavy += [[_pick(rng, FORM3)] for _ in range(h - h_extra)]
    m2 = max(f2 - h_extra, 0)
    m = round(m2 / 1.15)
    m_pair = m2 - m  # both a party and a government sanction
    m_mixed = min(m - m_pair, round(m * 0.15), f1)  # a form-2 measure and a form-1 one
    medium = [[_pick(rng, FORM2_PARTY), _pick(rng, FORM2_GOV)] for _ in range(m_pair)]
    medium += [[_pick(rng, FORM2), _pick(rng, FORM1)] for _ in range(m_mixed)]
    medium += [[_pick(rng, FORM2)] for _ in range(m - m_pair - m_mixed)]
    l1 = f1 - m_mixed
    n_light = round(l1 / 1.15)
    light = [[_pick(rng, FORM1), _pick(rng, FORM1)] for _ in range(l1 - n_light)]
    light += [[_pick(rng, FORM1)] for _ in range(2 * n_light - l1)]
    for subjects in (criminal, heavy, medium, light):
        rng.shuffle(subjects)
    return {CRIMINAL: criminal, HEAVY: heavy, MEDIUM: medium, LIGHT: light}


def _cases(rng: random.Random, grade: str, subjects: list[list[str]]) -> list[CasePlan]:
    sizes, weights = zip(*_CASE_SIZES[grade], strict=True)
    out = []
    at = 0
    while at < len(subjects):
        k = rng.choices(sizes, weights=weights)[0]
        persons, at = subjects[at : at + k], at + k
        if grade == CRIMINAL:
            plan = CasePlan(
                grade, persons, C_SUPERVISORY, transfer=rng.choice((T_PROCURATORATE, T_PROCURATORATE, T_JUDICIAL))
            )
        elif grade == HEAVY or any(m in SANCTIONS for p in persons for m in p):
            plan = CasePlan(grade, persons, C_DISCIPLINARY)
        else:
            plan = CasePlan(grade, persons, C_ACCOUNTABILITY)
            if rng.random() < 0.06:  # 问责 that hands the matter to the 纪委监委 for filing
                plan.transfer = T_DISCIPLINE
            if grade == LIGHT and rng.random() < 0.03:
                plan.org_measure = rng.choice(ORG_MEASURES)
        plan.via_clue = rng.random() < _VIA_CLUE[grade]
        plan.exposed = rng.random() < _EXPOSED[grade]
        out.append(plan)
    return out


def plan_year(rng: random.Random, person_times: int) -> list[IssuePlan]:
    """One year's issues with their cases, clues and measures (see the module docstring)."""
    subjects = _subjects(rng, person_times)
    cases = [c for g in GRADES for c in _cases(rng, g, subjects[g])]
    rng.shuffle(cases)
    sizes, weights = zip(*_ISSUE_SIZES, strict=True)
    issues: list[IssuePlan] = []
    at = 0
    while at < len(cases):
        k = rng.choices(sizes, weights=weights)[0]
        issues.append(IssuePlan(cases[at : at + k]))
        at += k
    issues += [IssuePlan() for _ in range(round(len(issues) * CASELESS_ISSUE_SHARE))]
    rng.shuffle(issues)
    filed = sum(c.kind != C_ACCOUNTABILITY for i in issues for c in i.cases)
    idle = max(round(filed * CLUES_PER_FILED_CASE) - sum(c.via_clue for i in issues for c in i.cases), 0)
    for _ in range(idle):
        rng.choice(issues).idle_clues += 1
    return issues
