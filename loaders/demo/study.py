"""学: the 2023 study of 习近平法治思想 — central-group sessions, rotation training, courses and lectures.

    >>> from loaders.demo import generate
    >>> t = generate("small")
    >>> sorted(set(t["StudyEvent"].column("kind").to_pylist()))
    ['central_group_study', 'lecture', 'rotation_training', 'training_course']

Every party committee's leadership studies in its 理论学习中心组; bureau-level leaders go through
the provincial party school's rotation; ``EXPECTED`` courses and lectures are organised across the
province; then exactly ``EXPECTED["trained_officials"]`` officials in post in 2023 attend (those of
the sessions first, the rest sampled), most once, some two or three times, in their own prefecture.
"""

from __future__ import annotations

from collections import defaultdict

from loaders.demo.dates import YEAR_END, YEAR_START, iso, ymd
from loaders.demo.records import Org
from loaders.demo.state import DemoState
from loaders.demo.terms import (
    CENTRAL_GROUP,
    K_PUBLIC_SECURITY,
    K_SUBDISTRICT,
    K_TOWNSHIP,
    LECTURE,
    PROVINCE_CODE,
    R_BUREAU_D,
    R_BUREAU_P,
    ROTATION,
    TRAINING_COURSE,
)
from loaders.demo.vocabulary import COURSE_THEMES, LECTURE_THEMES


def build_study(st: DemoState) -> None:
    """The 学 stage: StudyEvent, ORGANISED and ATTENDED rows."""
    p, rng, t = st.p, st.rng, st.t
    exp = p.expected
    ids = st.official_ids
    # who was in post in 2023, and in which prefecture-level group
    group_of: dict[int, str] = {}
    for pid, _org, _title, _pk, _acting, s, e, slot in st.leader_rows:
        if s <= YEAR_END and (e is None or e >= YEAR_START) and pid not in group_of:
            group_of[pid] = slot.org.group
    orgs = st.orgs
    base = st.n_leaders
    for i, (oi, s, e) in enumerate(zip(st.staff_org, st.staff_start, st.staff_end, strict=True)):
        if s <= YEAR_END and (e is None or e >= YEAR_START):
            group_of[base + i] = orgs[oi].group
    attended: list[tuple[int, str]] = []
    forced: dict[int, None] = {}

    def event(kind: str, title: str, day: int, organiser: Org) -> str:
        eid = st.next_id("SE-2023", 5)
        t.node("StudyEvent", eid, kind=kind, title=title, date=iso(day))
        t.rel("ORGANISED", organiser.id, eid)
        return eid

    # 理论学习中心组: each party committee's leadership studies 习近平法治思想
    pcs = [o for o in orgs if o.key == "pc"]
    for o in pcs:
        for k in range(p.central_sessions):
            day = YEAR_START + rng.randint(40, 160) + 180 * k
            eid = event(CENTRAL_GROUP, f"{o.name}理论学习中心组习近平法治思想专题学习", day, o)
            for pid in dict.fromkeys(
                pid for pid, _pk, s, e in st.rows_by_org[o.id] if s <= day and (e is None or day <= e)
            ):
                attended.append((pid, eid))
                forced[pid] = None
    # 省管领导干部 rotation training at the provincial party school
    school = st.units[PROVINCE_CODE]["school"]
    bureau = sorted(
        {
            pid
            for pid, _o, _t, _pk, _a, s, e, slot in st.leader_rows
            if slot.rank in (R_BUREAU_P, R_BUREAU_D) and s <= ymd(2023, 6, 30) and (e is None or e >= ymd(2023, 6, 30))
        }
    )
    for k in range(p.rotation_sessions):
        day = ymd(2023, 4, 10) + 49 * k
        eid = event(ROTATION, f"省管领导干部习近平法治思想专题轮训班（第{k + 1}期）", day, school)
        for pid in bureau[k :: p.rotation_sessions]:
            attended.append((pid, eid))
            forced[pid] = None
    # classes, seminars and lectures (4000余期 / 1600余场次), organised across the province
    course_w = {"school": 40.0, "rol": 15.0, "pc": 6.0, "gov": 3.0, "dc": 2.0, "proc": 1.5, "court": 1.5}
    lecture_w = {"school": 10.0, "rol": 10.0, "pc": 6.0, "gov": 3.0, "dc": 1.0, "proc": 1.0, "court": 1.0}
    organisers = [o for o in orgs if o.key != "commission"]

    def weight(o: Org, table: dict[str, float]) -> float:
        if o.key in table:
            return table[o.key]
        if o.kind in (K_TOWNSHIP, K_SUBDISTRICT):
            return 0.3
        return 3.0 if o.kind == K_PUBLIC_SECURITY else 1.2

    events_by_group: dict[str, list[str]] = defaultdict(list)
    for kind, n, table, themes in (
        (TRAINING_COURSE, exp["training_courses"], course_w, COURSE_THEMES),
        (LECTURE, exp["lectures"], lecture_w, LECTURE_THEMES),
    ):
        chosen = rng.choices(organisers, weights=[weight(o, table) for o in organisers], k=n)
        counter: dict[tuple[str, str], int] = defaultdict(int)
        for o in chosen:
            theme = rng.choice(themes)
            counter[(o.id, theme)] += 1
            k = counter[(o.id, theme)]
            title = (
                f"{o.name}{theme}（第{k}期）"
                if kind == TRAINING_COURSE
                else (f"{o.name}{theme}" + (f"（第{k}场）" if k > 1 else ""))
            )
            eid = event(kind, title, YEAR_START + rng.randrange(365), o)
            events_by_group[o.group].append(eid)
    # the 41万 trained: everyone at a central-group or rotation session, then a sample of the rest
    need = exp["trained_officials"] - len(forced)
    rest = [pid for pid in group_of if pid not in forced]
    if need < 0 or len(rest) < need:
        raise AssertionError(
            f"cannot train exactly {exp['trained_officials']}: {len(forced)} forced, {len(rest)} others in post in 2023"
        )
    left_out = set(rng.sample(rest, len(rest) - need))  # cheaper than sampling 400k of 430k
    trained = list(forced) + [pid for pid in rest if pid not in left_out]
    by_group: dict[str, list[int]] = defaultdict(list)
    for pid in trained:
        by_group[group_of[pid]].append(pid)
    rnd = rng.random
    for g in sorted(by_group):
        evs = events_by_group.get(g) or [e for g2 in sorted(events_by_group) for e in events_by_group[g2]]
        ne = len(evs)
        for j, pid in enumerate(by_group[g]):
            first = j % ne if j < ne else int(rnd() * ne)
            attended.append((pid, evs[first]))
            if ne > 1 and rnd() < 0.2:
                second = (first + 1 + int(rnd() * (ne - 1))) % ne
                attended.append((pid, evs[second]))
                if ne > 2 and rnd() < 0.2:
                    third = next(x for x in ((second + k) % ne for k in range(1, ne)) if x != first)
                    attended.append((pid, evs[third]))
    cols = t.data["ATTENDED"]
    cols["from"] += [ids[pid] for pid, _ in attended]
    cols["to"] += [eid for _, eid in attended]
