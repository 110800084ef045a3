"""Organisations of every region (党委, 政府, 纪委监委, 依法治办, 检察院, 法院, 党校, departments) and their posts.

    >>> import random
    >>> from loaders.demo.parameters import PARAMS
    >>> from loaders.demo.regions import build_regions
    >>> st = DemoState(PARAMS["small"], random.Random(2023))
    >>> build_regions(st); build_organisations(st)
    >>> st.units["620000"]["transport"].name
    '甘肃省交通运输厅'

``build_organisations`` writes Organisation, IN_REGION and UNDER rows and records each position as
a ``Slot`` (which rows a holder gets, rank, tenure length); ``loaders.demo.officials`` then fills
the slots with people over 2018–2024. 一肩挑 is decided here: a department whose 党组书记 is also
its 厅长/局长 gets one slot with both rows (the second lagged, the people's congress appoints later).
"""

from __future__ import annotations

from typing import Any

from loaders.demo.records import Org, Region, Slot
from loaders.demo.state import DemoState
from loaders.demo.terms import (
    COUNTY,
    DEPUTY,
    GOV_PRINCIPAL,
    K_COURT,
    K_DEPARTMENT,
    K_DISCIPLINE,
    K_GOVERNMENT,
    K_NEW_AREA_ADMIN,
    K_OTHER,
    K_PARTY_COMMITTEE,
    K_PROCURATORATE,
    K_PUBLIC_SECURITY,
    K_ROL_OFFICE,
    K_SUBDISTRICT,
    K_TOWNSHIP,
    NEW_AREA_CODE,
    PARTY_PRINCIPAL,
    PREFECTURE,
    PROVINCE,
    PROVINCIAL_COMMISSION_ID,
    R_BUREAU_D,
    R_BUREAU_P,
    R_COUNTY_D,
    R_COUNTY_P,
    R_PROV_D,
    R_PROV_P,
    R_TOWN_D,
    R_TOWN_P,
    TEAM_MEMBER,
    TOWNSHIP,
)
from loaders.demo.vocabulary import COUNTY_DEPTS, GOVERNOR_ETHNICITY, NEW_AREA_DEPTS, PREFECTURE_DEPTS, PROVINCE_DEPTS

_RANK_BY_LEVEL = {  # (lead principal, lead deputy, unit principal, unit deputy)
    PROVINCE: (R_PROV_P, R_PROV_D, R_BUREAU_P, R_BUREAU_D),
    PREFECTURE: (R_BUREAU_P, R_BUREAU_D, R_COUNTY_P, R_COUNTY_D),
    COUNTY: (R_COUNTY_P, R_COUNTY_D, R_TOWN_P, R_TOWN_D),
    TOWNSHIP: (R_TOWN_P, R_TOWN_D, R_TOWN_D, R_TOWN_D),
}
_PRINCIPAL_TENURE = (730, 1800)  # days in post, drawn uniformly
_DEPUTY_TENURE = (900, 2200)


def _org(
    st: DemoState,
    id_: str,
    name: str,
    kind: str,
    region: Region,
    unit: str,
    key: str,
    under: Org | None = None,
    staff_titles: str = "default",
) -> Org:
    """Write an Organisation (IN_REGION its region, UNDER ``under``) and index it by unit and key."""
    o = Org(id_, name, kind, region.level, region, unit, key, staff_titles)
    st.orgs.append(o)
    st.units[unit][key] = o
    st.t.node("Organisation", id_, name=name, kind=kind, level=region.level)
    st.t.rel("IN_REGION", id_, region.code)
    if under is not None:
        st.t.rel("UNDER", id_, under.id)
    return o


def _slot(
    st: DemoState, org: Org, rows: list[tuple[str, str, str, bool]], rank: str, role: str, category: str, **kw: Any
) -> Slot:
    """Record a position; principals serve shorter tenures than deputies unless ``tenure`` is given."""
    tenure = kw.pop("tenure", _PRINCIPAL_TENURE if role == "principal" else _DEPUTY_TENURE)
    s = Slot(org, rows, rank, role, category, tenure, **kw)
    st.slots.append(s)
    return s


def build_organisations(st: DemoState) -> None:
    """Every region's organisations and positions: provinces, prefectures and counties, then townships."""
    for r in list(st.regions.values()):
        if r.level in (PROVINCE, PREFECTURE, COUNTY):
            _unit(st, r)
    for r in list(st.regions.values()):
        if r.level == TOWNSHIP:
            _township_org(st, r)


def _unit(st: DemoState, r: Region) -> None:
    """The party committee, government, commissions, courts and departments of one region."""
    p, rng = st.p, st.rng
    code, level, name = r.code, r.level, r.name
    new_area = code == NEW_AREA_CODE
    parent = st.units.get(r.parent or "", {})
    if level == PROVINCE:
        c = "省"
    elif new_area:
        c = "区"
    elif level == PREFECTURE:
        c = "州" if name.endswith("州") else "市"
    else:
        c = name[-1]
    lead_p, lead_d, unit_p, unit_d = _RANK_BY_LEVEL[level]
    lead_cat = "province_leadership" if level == PROVINCE else "leadership"
    reviewed = level == PREFECTURE  # the 14 市州 and 兰州新区: both principals report to the commission

    pc_name = "中共兰州新区工作委员会" if new_area else f"中共{name}委"
    pc = _org(st, f"ORG-{code}-PC", pc_name, K_PARTY_COMMITTEE, r, code, "pc", parent.get("pc"))
    if new_area:
        gov = _org(st, f"ORG-{code}-ADMIN", "兰州新区管理委员会", K_NEW_AREA_ADMIN, r, code, "gov", parent.get("gov"))
    else:
        gov = _org(st, f"ORG-{code}-GOV", f"{name}人民政府", K_GOVERNMENT, r, code, "gov", parent.get("gov"))
    if reviewed:
        st.review_orgs += [pc, gov]
    commission = None
    if level == PROVINCE:
        commission = _org(
            st, PROVINCIAL_COMMISSION_ID, "中共甘肃省委全面依法治省委员会", K_OTHER, r, code, "commission", pc
        )
    dc = _org(
        st,
        f"ORG-{code}-DC",
        "兰州新区纪工委监察工委" if new_area else f"{name}纪委监委",
        K_DISCIPLINE,
        r,
        code,
        "dc",
        parent.get("dc"),
    )
    rol = _org(
        st, f"ORG-{code}-ROL", f"{pc_name}全面依法治{c}委员会办公室", K_ROL_OFFICE, r, code, "rol", commission or pc
    )
    others = [dc, rol]
    if not new_area:
        others.append(
            _org(st, f"ORG-{code}-PROC", f"{name}人民检察院", K_PROCURATORATE, r, code, "proc", parent.get("proc"))
        )
        court_name = {PROVINCE: "高级人民法院", PREFECTURE: "中级人民法院"}.get(level, "人民法院")
        others.append(_org(st, f"ORG-{code}-COURT", f"{name}{court_name}", K_COURT, r, code, "court"))
        if level != COUNTY:
            school = "中共甘肃省委党校（甘肃行政学院）" if level == PROVINCE else f"{pc_name}党校"
            others.append(_org(st, f"ORG-{code}-SCHOOL", school, K_OTHER, r, code, "school", pc))

    # 党委 and 政府 (人民政府 / 管委会) leadership
    sec = "党工委书记" if new_area else f"{c}委书记"
    dep_sec = "党工委副书记" if new_area else f"{c}委副书记"
    standing = "党工委委员" if new_area else f"{c}委常委"
    head = "管委会主任" if new_area else f"{c}长"
    rows = [(pc.id, sec, PARTY_PRINCIPAL, False)]
    if commission is not None:
        rows.append((commission.id, "主任", PARTY_PRINCIPAL, False))
    _slot(st, pc, rows, lead_p, "principal", lead_cat, quiet=reviewed)
    rows = [(gov.id, head, GOV_PRINCIPAL, False), (pc.id, dep_sec, DEPUTY, False)]
    if commission is not None:
        rows.append((commission.id, "副主任", DEPUTY, False))
    _slot(
        st,
        gov,
        rows,
        lead_p,
        "principal",
        lead_cat,
        quiet=reviewed,
        acting_title=None if new_area else f"代{head}",
        acting_p=0.0 if new_area else 0.8,
        ethnicity=GOVERNOR_ETHNICITY.get(code),
    )
    _slot(st, pc, [(pc.id, dep_sec, DEPUTY, False)], lead_d, "deputy", lead_cat)
    for _ in range(rng.randint(*p.pc_team)):
        _slot(st, pc, [(pc.id, standing, TEAM_MEMBER, False)], lead_d, "team", lead_cat)
    for i in range(rng.randint(*p.gov_deputies)):
        title = "管委会副主任" if new_area else ("常务副" if i == 0 else "副") + head
        _slot(st, gov, [(gov.id, title, DEPUTY, False)], lead_d, "deputy", lead_cat)
    if not new_area:
        if level == COUNTY:
            _slot(st, gov, [(gov.id, f"{c}政府党组成员", TEAM_MEMBER, False)], unit_p, "team", lead_cat)
        else:
            _slot(st, gov, [(gov.id, f"{c}政府秘书长", TEAM_MEMBER, False)], unit_p, "team", lead_cat)

    # departments
    catalogue: tuple[tuple[str, str, str, str], ...]
    if level == PROVINCE:
        catalogue, wanted = PROVINCE_DEPTS, p.province_depts
    elif new_area:
        catalogue, wanted = (
            PREFECTURE_DEPTS,
            NEW_AREA_DEPTS
            if p.prefecture_depts is None
            else tuple(k for k in NEW_AREA_DEPTS if k in p.prefecture_depts),
        )
    elif level == PREFECTURE:
        catalogue, wanted = PREFECTURE_DEPTS, p.prefecture_depts
    else:
        catalogue, wanted = COUNTY_DEPTS, p.county_depts
    gov_prefix = "兰州新区" if new_area else name
    for key, suffix, title, side in catalogue:
        if wanted is not None and key not in wanted:
            continue
        if side == "party":
            d = _org(st, f"ORG-{code}-{key.upper()}", pc_name + suffix, K_DEPARTMENT, r, code, key, pc)
            rows = [(d.id, title, PARTY_PRINCIPAL, False)]
            if level == PROVINCE and key == "political_legal":
                # the 省委政法委书记 also heads the 依法治省办 (RESEARCH.md §1.3)
                rows.append((rol.id, "主任", PARTY_PRINCIPAL, False))
            _slot(st, d, rows, unit_p, "principal", "department")
            deputy, team = "副" + title, "委员"
        else:
            kind = K_PUBLIC_SECURITY if side == "psb" else K_DEPARTMENT
            titles = "psb" if side == "psb" else "transport" if key == "transport" else "default"
            d = _org(st, f"ORG-{code}-{key.upper()}", gov_prefix + suffix, kind, r, code, key, gov, titles)
            party_title = "党委书记" if side == "psb" else "党组书记"
            in_review = level == PROVINCE and key in p.review_depts
            if level == PROVINCE and key == p.review_separate_dept:
                one_person = False
            elif side == "psb" or in_review:
                one_person = True
            else:
                one_person = rng.random() < 0.7
            if in_review:
                st.review_orgs.append(d)
            if one_person:
                _slot(
                    st,
                    d,
                    [(d.id, party_title, PARTY_PRINCIPAL, False), (d.id, title, GOV_PRINCIPAL, True)],
                    unit_p,
                    "principal",
                    "department",
                    quiet=in_review,
                )
            else:
                _slot(
                    st,
                    d,
                    [(d.id, party_title, PARTY_PRINCIPAL, False)],
                    unit_p,
                    "principal",
                    "department",
                    quiet=in_review,
                )
                _slot(st, d, [(d.id, title, GOV_PRINCIPAL, False)], unit_p, "principal", "department", quiet=in_review)
            deputy, team = "副" + title, "党委委员" if side == "psb" else "党组成员"
        for _ in range(rng.randint(*p.dept_deputies)):
            _slot(st, d, [(d.id, deputy, DEPUTY, False)], unit_d, "deputy", "department")
        for _ in range(rng.randint(*p.dept_team)):
            _slot(st, d, [(d.id, team, TEAM_MEMBER, False)], unit_d, "team", "department")
    if not (level == PROVINCE and "political_legal" in st.units[code]):
        _slot(st, rol, [(rol.id, "主任", PARTY_PRINCIPAL, False)], unit_p, "principal", "other")

    # 纪委监委, 依法治办, 检察院, 法院, 党校
    for o in others:
        if o.key == "dc":
            _slot(st, o, [(o.id, "纪委书记、监委主任", PARTY_PRINCIPAL, False)], lead_d, "principal", "other")
            deputy, team = "纪委副书记、监委副主任", "纪委常委、监委委员"
        elif o.key == "rol":
            deputy, team = "副主任", ""
        elif o.key == "proc":
            _slot(
                st,
                o,
                [(o.id, "党组书记", PARTY_PRINCIPAL, False), (o.id, "检察长", GOV_PRINCIPAL, True)],
                unit_p,
                "principal",
                "other",
            )
            deputy, team = "副检察长", "检察委员会专职委员"
        elif o.key == "court":
            _slot(
                st,
                o,
                [(o.id, "党组书记", PARTY_PRINCIPAL, False), (o.id, "院长", GOV_PRINCIPAL, True)],
                unit_p,
                "principal",
                "other",
            )
            deputy, team = "副院长", "审判委员会专职委员"
        else:
            _slot(
                st,
                o,
                [(o.id, "党委书记", PARTY_PRINCIPAL, False), (o.id, "常务副校长", GOV_PRINCIPAL, True)],
                unit_p,
                "principal",
                "other",
            )
            deputy, team = "副校长", ""
        for _ in range(rng.randint(*p.other_deputies)):
            _slot(st, o, [(o.id, deputy, DEPUTY, False)], unit_d, "deputy", "other")
        if team:
            for _ in range(rng.randint(*p.other_team)):
                _slot(st, o, [(o.id, team, TEAM_MEMBER, False)], unit_d, "team", "other")


def _township_org(st: DemoState, r: Region) -> None:
    """A 乡镇 or 街道 under its county government, with its principals, deputies and team."""
    p, rng = st.p, st.rng
    county = st.regions[r.parent or ""]
    street = r.dtype == "街道"
    o = _org(
        st,
        f"ORG-{r.code}",
        county.name + r.name,
        K_SUBDISTRICT if street else K_TOWNSHIP,
        r,
        county.code,
        r.code,
        st.units[county.code]["gov"],
    )
    lp, ld = _RANK_BY_LEVEL[TOWNSHIP][:2]
    head = "办事处主任" if street else r.dtype + "长"
    _slot(
        st,
        o,
        [(o.id, "党工委书记" if street else "党委书记", PARTY_PRINCIPAL, False)],
        lp,
        "principal",
        "township",
        tenure=(900, 1800),
    )
    _slot(
        st,
        o,
        [(o.id, head, GOV_PRINCIPAL, False)],
        lp,
        "principal",
        "township",
        tenure=(900, 1800),
        acting_title=None if street else "代" + head,
        acting_p=0.0 if street else 0.5,
    )
    deputies = ["党工委副书记" if street else "党委副书记"] + ["办事处副主任" if street else "副" + head] * 3
    for i in range(rng.randint(*p.twp_deputies)):
        _slot(st, o, [(o.id, deputies[i], DEPUTY, False)], ld, "deputy", "township")
    team = ("党工委委员", "纪工委书记", "武装部长") if street else ("党委委员", "人大主席", "纪委书记", "武装部长")
    for i in range(rng.randint(*p.twp_team)):
        _slot(st, o, [(o.id, team[i % len(team)], TEAM_MEMBER, False)], ld, "team", "township")
