"""Gansu's real divisions (province, 14 市州 and 兰州新区, 86 counties) and invented townships under them.

    >>> [row for row in divisions() if row[0] == "620171"]
    [('620171', '兰州新区', 'functional_zone_statistical_code', '620100')]

The divisions come from ``gansu_divisions.csv`` beside this module (package data: a verbatim copy
of ``shared/domain/gansu_divisions.csv``, RESEARCH.md §8); townships get invented names and
9-digit codes under their county. ``build_regions`` writes the Region rows and PART_OF edges of
the regions a scale keeps.
"""

from __future__ import annotations

import csv
import io
from importlib.resources import files

from loaders.demo.records import Region
from loaders.demo.state import DemoState
from loaders.demo.terms import COUNTY, PREFECTURE, PROVINCE, PROVINCE_CODE, TOWNSHIP
from loaders.demo.vocabulary import ETHNIC_MIX

DIVISIONS_FILE = "gansu_divisions.csv"

# The division types of the file, as the model's region levels.
LEVEL_OF_TYPE = {
    "prefecture_city": PREFECTURE,
    "prefecture_city_no_counties": PREFECTURE,
    "autonomous_prefecture": PREFECTURE,
    # 兰州新区 carries a statistical code under 兰州市 but is run like a prefecture (党工委 + 管委会) and
    # reports beside the 14 市州 (seed: "14个市州、兰州新区"); the model makes it prefecture-level.
    "functional_zone_statistical_code": PREFECTURE,
    "district": COUNTY,
    "county": COUNTY,
    "autonomous_county": COUNTY,
    "county_level_city": COUNTY,
}


def divisions() -> list[tuple[str, str, str, str]]:
    """(code, name, type, parent code) for each row of the divisions file, in file order.

    Tolerant of the two ways such a file breaks: a comma inside an unquoted English name (the
    type and parent are then read from the end of the row) and a line broken inside a value (a
    line that does not start with a 6-digit code continues the previous row).
    """
    rows: list[list[str]] = []
    text = files("loaders.demo").joinpath(DIVISIONS_FILE).read_text(encoding="utf-8")
    for row in csv.reader(io.StringIO(text)):
        if not row or row[0] == "code":
            continue
        if not (len(row[0].strip()) == 6 and row[0].strip().isdigit()) and rows:
            rows[-1][-1] += row[0]
            rows[-1].extend(row[1:])
            continue
        rows.append(row)
    out = []
    for row in rows:
        if len(row) < 6:
            raise ValueError(f"divisions: row {row!r} has {len(row)} fields, expected 6")
        out.append((row[0].strip(), row[1].strip(), row[-3].strip(), row[-2].strip()))
    return out


def build_regions(st: DemoState) -> None:
    """The province, the prefecture-level units and counties the scale keeps, then their townships."""
    p, rng, t = st.p, st.rng, st.t
    prov = Region(PROVINCE_CODE, "甘肃省", PROVINCE, None, "province", PROVINCE_CODE, "default")
    st.regions[prov.code] = prov
    t.node("Region", prov.code, name=prov.name, level=PROVINCE)
    for code, name, dtype, parent in divisions():
        if dtype not in LEVEL_OF_TYPE:
            raise ValueError(f"divisions: unknown type {dtype!r} for {code}")
        level = LEVEL_OF_TYPE[dtype]
        if level == PREFECTURE:
            parent = PROVINCE_CODE  # also for 兰州新区 (see LEVEL_OF_TYPE)
            if p.prefectures is not None and code not in p.prefectures:
                continue
        elif p.counties is not None and code not in p.counties:
            continue
        if parent not in st.regions:
            continue
        pref = code if level == PREFECTURE else st.regions[parent].prefecture
        eth = code if code in ETHNIC_MIX else pref if pref in ETHNIC_MIX else "default"
        r = Region(code, name, level, parent, dtype, pref, eth)
        st.regions[code] = r
        t.node("Region", code, name=name, level=level)
        t.rel("PART_OF", code, parent)
    for r in list(st.regions.values()):
        if r.level == COUNTY:
            _townships(st, r, rng.randint(*p.townships), r.code)
        elif r.dtype in ("prefecture_city_no_counties", "functional_zone_statistical_code") and p.zone_townships:
            # 嘉峪关 has no counties: NBS files its townships under the virtual code 620201.
            _townships(st, r, p.zone_townships, "620201" if r.code == "620200" else r.code)


def _townships(st: DemoState, r: Region, n: int, base: str) -> None:
    """``n`` townships (街道, 镇, 乡) under ``r``, coded ``base`` + 001…, 101…, 201… by kind."""
    rng = st.rng
    share = {"district": 0.7, "county_level_city": 0.35, "prefecture_city_no_counties": 0.6}.get(r.dtype, 0.08)
    first = "东西南北新红金石马柳杨白黄青大小高双三龙凤河川水山平安永兴古清沙宁城关中上下"
    second = "岗湾坪川沟营峡寨台滩堡集庄源泉阳林河桥原岔塬梁峪"
    names: list[str] = []
    while len(names) < n:
        nm = rng.choice(first) + rng.choice(second)
        if nm not in names:
            names.append(nm)
    counters = {"街道": 0, "镇": 99, "乡": 199}
    for nm in names:
        if rng.random() < share:
            suffix = "街道"
        else:
            suffix = "镇" if rng.random() < 0.6 else "乡"
        counters[suffix] += 1
        code = f"{base}{counters[suffix]:03d}"
        tr = Region(code, nm + suffix, TOWNSHIP, r.code, suffix, r.prefecture, r.eth_key)
        st.regions[code] = tr
        st.t.node("Region", code, name=tr.name, level=TOWNSHIP)
        st.t.rel("PART_OF", code, r.code)
