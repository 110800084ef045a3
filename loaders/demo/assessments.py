"""考: 法治建设考评 — annual assessments of provincial departments and cities (2022, 2023), routine ones in 2023.

    >>> from loaders.demo import generate
    >>> weights = set(generate("small")["Assessment"].column("weight_points").to_pylist())
    >>> sorted(w for w in weights if w)
    ['1.0', '2.0', '4.5', '6.0']

The 2023 weights are the seed's (departments 6 points, cities 4.5; up 4 and 3.5 on 2022). A city is
assessed as its party committee and government together.
"""

from __future__ import annotations

from loaders.demo.dates import ymd
from loaders.demo.state import DemoState
from loaders.demo.terms import (
    A_ANNUAL,
    A_ROUTINE,
    D_NOTICE,
    K_DEPARTMENT,
    K_PUBLIC_SECURITY,
    NEW_AREA_CODE,
    PREFECTURE,
    PROVINCE,
    PROVINCE_CODE,
)


def build_assessments(st: DemoState) -> None:
    """The 考 stage: Assessment, ORGANISED, ASSESSES and the results notices."""
    rng, t = st.rng, st.t
    rol = st.units[PROVINCE_CODE]["rol"]
    depts = [o for o in st.orgs if o.level == PROVINCE and o.kind in (K_DEPARTMENT, K_PUBLIC_SECURITY)]
    cities = [
        (st.units[code]["pc"], st.units[code]["gov"])
        for code, r in st.regions.items()
        if r.level == PREFECTURE and code != NEW_AREA_CODE
    ]
    docs = {
        y: st.doc(f"关于{y}年度法治建设考评结果的通报", f"甘法治办发〔{y + 1}〕3号", ymd(y + 1, 3, 15), D_NOTICE)
        for y in (2022, 2023)
    }

    def grade(score: float) -> str:
        return "优秀" if score >= 90 else "良好" if score >= 80 else "一般" if score >= 70 else "较差"

    for year, w_dept, w_city in ((2022, 2.0, 1.0), (2023, 6.0, 4.5)):
        for targets, w in ([(d,) for d in depts], w_dept), (cities, w_city):
            for orgs in targets:
                aid = st.next_id(f"AS-{year}", 4)
                score = round(rng.triangular(68.0, 99.0, 88.0), 1)
                t.node("Assessment", aid, year=year, kind=A_ANNUAL, score=score, weight_points=w, grade=grade(score))
                t.rel("ORGANISED", rol.id, aid)
                for o in orgs:
                    t.rel("ASSESSES", aid, o.id)
                t.rel(
                    "EVIDENCED_BY",
                    aid,
                    docs[year],
                    page=1 + len(t.data["ASSESSES"]["from"]) // 20,
                    note="年度法治建设考评结果",
                )
    for pc, gov in cities:  # 平时考评, quarterly in 2023
        for _quarter in range(3):
            aid = st.next_id("AS-2023", 4)
            score = round(rng.triangular(70.0, 99.0, 88.0), 1)
            t.node("Assessment", aid, year=2023, kind=A_ROUTINE, score=score, grade=None)
            t.rel("ORGANISED", rol.id, aid)
            t.rel("ASSESSES", aid, pc.id)
            t.rel("ASSESSES", aid, gov.id)
