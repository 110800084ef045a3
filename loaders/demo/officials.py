"""Officials: leaders who succeed each other in the slots over 2018–2024 and move between regions, and staff.

    >>> import random
    >>> from loaders.demo.organisations import build_organisations
    >>> from loaders.demo.parameters import PARAMS
    >>> from loaders.demo.regions import build_regions
    >>> st = DemoState(PARAMS["small"], random.Random(2023))
    >>> build_regions(st); build_organisations(st); build_leaders(st); build_staff(st); build_officials(st)
    >>> st.official_ids[0], len(st.official_ids) == st.n_leaders + len(st.staff_org)
    ('P0000001', True)

``build_leaders`` draws each slot's chain of tenures (the 2018 holder appointed before the window,
then successions; acting 代市长/代县长 before confirmation; no succession in reviewed units around
the 述法 review) and joins tenures into people where a holder leaves one post and takes up a
principal post elsewhere weeks later. ``build_staff`` spreads the 一般干部 over organisations by
kind and level; ``build_officials`` writes every Official row and every HELD_POST.
"""

from __future__ import annotations

from bisect import bisect_left

from loaders.demo.dates import FIRST_START, NEVER, QUIET, STAFF_START, WINDOW_END, WINDOW_START, iso, ymd
from loaders.demo.records import Tenure
from loaders.demo.state import DemoState
from loaders.demo.terms import (
    COUNTY,
    FEMALE,
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
    MALE,
    PREFECTURE,
    PROVINCE,
    R_BUREAU_D,
    R_BUREAU_P,
    R_COUNTY_D,
    R_COUNTY_P,
    R_PROV_D,
    R_PROV_P,
    R_TOWN_D,
    R_TOWN_P,
    STAFF,
    TOWNSHIP,
)
from loaders.demo.vocabulary import (
    ETHNIC_TABLE,
    FEMALE_GIVEN,
    HUI_STYLE,
    HUI_SURNAMES,
    MALE_GIVEN,
    STAFF_RANK_TABLE,
    STAFF_TITLES,
    SURNAME_TABLE,
    TIBETAN_A,
    TIBETAN_B,
)
from schema.model import RANKS

_RANK_INDEX = {r: i for i, r in enumerate(RANKS)}


def build_leaders(st: DemoState) -> None:
    """Tenures for every slot over the window, moves between them, then one leader (pid) per chain."""
    rng = st.rng
    rnd = rng.random

    def between(a: int, b: int) -> int:  # rng.randint without its overhead: 90k chains
        return a + int(rnd() * (b - a + 1))

    for slot in st.slots:
        lo, hi = slot.tenure
        cur = between(*FIRST_START)
        starts = [cur]
        while True:
            nxt = cur + between(lo, hi)
            if slot.quiet and QUIET[0] - 31 <= nxt <= QUIET[1]:
                nxt = QUIET[1] + between(1, 60)
            if nxt > WINDOW_END:
                break
            starts.append(nxt)
            cur = nxt
        keep = max(i for i, s in enumerate(starts) if s <= WINDOW_START)
        chain = []
        for i, s in enumerate(starts[keep:]):
            tn = Tenure(len(st.tenures), slot, s, i == 0)
            tn.lag = between(3, 25) if slot.lagged else 0
            st.tenures.append(tn)
            chain.append(tn)
        for i, tn in enumerate(chain):
            nxt_t = chain[i + 1] if i + 1 < len(chain) else None
            tn.end = nxt_t.start - 1 if nxt_t else None
            tn.last_day = nxt_t.start + nxt_t.lag - 1 if nxt_t else None
            if slot.acting_title and not tn.first and rnd() < slot.acting_p:
                if (tn.end if tn.end is not None else WINDOW_END) - tn.start > 200:
                    tn.acting_end = tn.start + between(30, 120)
            if not tn.first and slot.role == "principal":
                st.principal_successions[slot.org.id].append(tn.start)
    _moves(st)
    # persons: one per chain of tenures joined by moves
    pid_of_root: dict[int, int] = {}
    latest: dict[int, Tenure] = {}
    for tn in st.tenures:
        if tn.root == tn.idx:
            pid_of_root[tn.idx] = len(pid_of_root)
        cur_latest = latest.get(tn.root)
        if cur_latest is None or tn.start > cur_latest.start:
            latest[tn.root] = tn
    st.n_leaders = len(pid_of_root)
    st.leader_root_slot = [st.tenures[root].slot for root in pid_of_root]
    st.leader_latest_slot = [latest[root].slot for root in pid_of_root]
    st.tenure_pid = [pid_of_root[tn.root] for tn in st.tenures]
    for tn in st.tenures:
        pid = st.tenure_pid[tn.idx]
        for org_id, title, pk, acting, s, e in tn.rows():
            st.leader_rows.append((pid, org_id, title, pk, acting, s, e, tn.slot))
            st.rows_by_org[org_id].append((pid, pk, s, e))


def _moves(st: DemoState) -> None:
    """People move: a holder who leaves one post takes up a principal post elsewhere weeks later."""
    rng = st.rng
    by_end = sorted((tn.last_day, tn.idx) for tn in st.tenures if tn.last_day is not None)
    deps = [st.tenures[i] for _, i in by_end]
    ends = [e for e, _ in by_end]
    used: set[int] = set()
    person_last = {tn.idx: tn.last_day if tn.last_day is not None else NEVER for tn in st.tenures}
    arrivals = sorted(
        (tn for tn in st.tenures if not tn.first and tn.slot.role == "principal" and tn.slot.ethnicity is None),
        key=lambda tn: (tn.start, tn.idx),
    )
    for a in arrivals:
        if rng.random() >= 0.4:
            continue
        lo, hi = bisect_left(ends, a.start - 120), bisect_left(ends, a.start)
        if lo >= hi:
            continue
        ra = _RANK_INDEX[a.slot.rank]
        for _ in range(8):
            d = deps[rng.randrange(lo, hi)]
            if d.idx in used or d.slot is a.slot or person_last[d.root] != d.last_day:
                continue
            if ra not in (_RANK_INDEX[d.slot.rank], _RANK_INDEX[d.slot.rank] - 1):
                continue
            used.add(d.idx)
            a.root = d.root
            person_last[d.root] = a.last_day if a.last_day is not None else NEVER
            break


def build_staff(st: DemoState) -> None:
    """Staff (一般干部): one post each, spread over organisations by a weight per kind and level."""
    p, rng = st.p, st.rng
    weights = []
    for o in st.orgs:
        w = {
            K_DEPARTMENT: 1.0,
            K_PUBLIC_SECURITY: 5.0,
            K_PARTY_COMMITTEE: 1.2,
            K_GOVERNMENT: 1.5,
            K_NEW_AREA_ADMIN: 2.0,
            K_DISCIPLINE: 0.8,
            K_ROL_OFFICE: 0.15,
            K_PROCURATORATE: 1.0,
            K_COURT: 1.4,
            K_TOWNSHIP: 0.6,
            K_SUBDISTRICT: 0.5,
            K_OTHER: 0.8,
        }[o.kind]
        if o.key == "commission":
            w = 0.0
        w *= {PROVINCE: 3.0, PREFECTURE: 1.6, COUNTY: 1.0, TOWNSHIP: 1.0}[o.level]
        weights.append(w)
    total_w = sum(weights)
    counts = [int(w * p.staff_total / total_w) for w in weights]
    short = p.staff_total - sum(counts)
    for i in sorted(range(len(counts)), key=lambda i: -weights[i])[:short]:
        counts[i] += 1
    org_idx = [i for i, n in enumerate(counts) for _ in range(n)]
    n = len(org_idx)
    rnd = rng.random
    lo, span = STAFF_START[0], STAFF_START[1] - STAFF_START[0]
    starts = [lo + int(rnd() * span) for _ in range(n)]
    ends: list[int | None] = []
    left_lo, left_span = ymd(2018, 3, 1), ymd(2022, 12, 31) - ymd(2018, 3, 1)
    later_lo, later_span = ymd(2024, 1, 15), ymd(2024, 12, 15) - ymd(2024, 1, 15)
    for i in range(n):
        u = rnd()
        if u < 0.04:
            e = left_lo + int(rnd() * left_span)
            if starts[i] >= e:
                starts[i] = e - 300 - int(rnd() * 3000)
            ends.append(e)
        elif u < 0.06:
            ends.append(later_lo + int(rnd() * later_span))
        else:
            ends.append(None)
    st.staff_org, st.staff_start, st.staff_end = org_idx, starts, ends
    st.staff_rank = rng.choices(STAFF_RANK_TABLE, k=n)


def _people(st: DemoState, male_p: list[float], eth: list[str]) -> tuple[list[str], list[str]]:
    """Names and genders in bulk; Hui-style surnames and Tibetan names where the ethnicity asks."""
    rng = st.rng
    n = len(male_p)
    rnd = rng.random
    male = [rnd() < mp for mp in male_p]
    surnames = rng.choices(SURNAME_TABLE, k=n)
    mg = rng.choices(MALE_GIVEN, k=n)
    fg = rng.choices(FEMALE_GIVEN, k=n)
    names = [s + (m if is_m else f) for s, m, f, is_m in zip(surnames, mg, fg, male, strict=True)]
    for i, e in enumerate(eth):
        if e == "汉族":
            continue
        if e == "藏族":
            a = rng.choice(TIBETAN_A)
            b = rng.choice([x for x in TIBETAN_B if x != a])
            names[i] = a + b
        elif e in HUI_STYLE:
            names[i] = rng.choice(HUI_SURNAMES) + names[i][1:]
    return names, [MALE if m else FEMALE for m in male]


def _ethnicities(st: DemoState, keys: list[str]) -> list[str]:
    """One ethnicity per person from the mix of their region, drawn in runs of equal keys."""
    rng = st.rng
    out: list[str] = []
    i = 0
    while i < len(keys):
        j = i
        while j < len(keys) and keys[j] == keys[i]:
            j += 1
        out += rng.choices(ETHNIC_TABLE[keys[i]], k=j - i)
        i = j
    return out


def build_officials(st: DemoState) -> None:
    """Official rows (leaders, then staff) and HELD_POST rows; sets ``official_ids`` and ``official_names``."""
    rng = st.rng
    t = st.t
    nl = st.n_leaders
    ns = len(st.staff_org)
    n = nl + ns
    ids = [f"P{i + 1:07d}" for i in range(n)]
    st.official_ids = ids
    root_slots, latest_slots = st.leader_root_slot, st.leader_latest_slot
    # leaders
    eth_keys = [s.org.eth_key for s in root_slots]
    eth = _ethnicities(st, eth_keys)
    for i, s in enumerate(root_slots):
        if s.ethnicity:
            eth[i] = s.ethnicity
    male_p = [0.9 if s.role == "principal" else 0.82 for s in latest_slots]
    l_names, l_gender = _people(st, male_p, eth)
    band = {
        R_PROV_P: (1960, 1966),
        R_PROV_D: (1961, 1970),
        R_BUREAU_P: (1963, 1972),
        R_BUREAU_D: (1965, 1978),
        R_COUNTY_P: (1966, 1982),
        R_COUNTY_D: (1970, 1987),
        R_TOWN_P: (1975, 1990),
        R_TOWN_D: (1978, 1994),
    }
    l_birth = [str(rng.randint(*band[s.rank])) for s in latest_slots]
    l_party = ["true" if s.role == "principal" or rng.random() < 0.93 else "false" for s in latest_slots]
    l_rank = [s.rank for s in latest_slots]
    # staff
    orgs = st.orgs
    s_eth = _ethnicities(st, [orgs[oi].eth_key for oi in st.staff_org])
    s_names, s_gender = _people(st, [0.58] * ns, s_eth)
    years = [str(y) for y in range(1964, 2002)]
    s_birth = rng.choices(years, k=ns)
    rnd = rng.random
    s_party = ["true" if rnd() < 0.72 else "false" for _ in range(ns)]
    st.official_names = l_names + s_names
    cols = t.data["Official"]
    cols["id"] += ids
    cols["name"] += st.official_names
    cols["gender"] += l_gender + s_gender
    cols["birth_year"] += l_birth + s_birth
    cols["ethnicity"] += eth + s_eth
    cols["party_member"] += l_party + s_party
    cols["rank"] += l_rank + st.staff_rank
    # HELD_POST: leaders, then staff
    hp = t.data["HELD_POST"]
    for pid, org_id, title, pk, acting, start, end, _slot in st.leader_rows:
        hp["from"].append(ids[pid])
        hp["to"].append(org_id)
        hp["title"].append(title)
        hp["post_kind"].append(pk)
        hp["acting"].append("true" if acting else "false")
        hp["start"].append(iso(start))
        hp["end"].append(iso(end))
    hp["from"] += ids[nl:]
    hp["to"] += [orgs[oi].id for oi in st.staff_org]
    titles = STAFF_TITLES
    hp["title"] += [
        (tp := titles[orgs[oi].staff_titles][r])[i % len(tp)]
        for i, (oi, r) in enumerate(zip(st.staff_org, st.staff_rank, strict=True))
    ]
    hp["post_kind"] += [STAFF] * ns
    hp["acting"] += ["false"] * ns
    hp["start"] += [iso(s) for s in st.staff_start]
    hp["end"] += [iso(e) for e in st.staff_end]
