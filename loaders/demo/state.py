"""The state every stage works over: the parameters, the one random stream, the rows built, the look-ups.

    >>> import random
    >>> from loaders.demo.parameters import PARAMS
    >>> st = DemoState(PARAMS["small"], random.Random(2023))
    >>> st.next_id("CA-2023"), st.next_id("CA-2023")
    ('CA-2023-0001', 'CA-2023-0002')

Stages run in a fixed order (``loaders.demo.build``) and each reads what the earlier ones left
here: regions and organisations, the leaders' tenures and posts, the staff, the official ids.
Officials are ints (``pid``: leaders first, then staff) until written; ``official_ids[pid]`` is
the bundle id. Everything draws from ``rng`` alone, so the same seed gives the same tables.
"""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from dataclasses import dataclass, field

from loaders.demo.columns import Columns
from loaders.demo.dates import iso
from loaders.demo.parameters import Params
from loaders.demo.records import Org, Region, Slot, Tenure
from loaders.demo.terms import DEPUTY, GOV_PRINCIPAL, PARTY_PRINCIPAL, PROVINCE_CODE, STAFF, TEAM_MEMBER
from schema.rules import AccountabilityFacts

# (pid, org id, title, post kind, acting, start, end, slot)
LeaderRow = tuple[int, str, str, str, bool, int, int | None, Slot]


@dataclass
class DemoState:
    """What the stages share; ``t`` holds the bundle's columns, the rest are the generator's look-ups."""

    p: Params
    rng: random.Random
    t: Columns = field(default_factory=Columns)
    regions: dict[str, Region] = field(default_factory=dict)
    orgs: list[Org] = field(default_factory=list)
    units: dict[str, dict[str, Org]] = field(default_factory=lambda: defaultdict(dict))  # unit code -> key -> org
    slots: list[Slot] = field(default_factory=list)
    review_orgs: list[Org] = field(default_factory=list)
    tenures: list[Tenure] = field(default_factory=list)
    n_leaders: int = 0
    leader_rows: list[LeaderRow] = field(default_factory=list)
    leader_root_slot: list[Slot] = field(default_factory=list)  # per leader: the slot of their first tenure
    leader_latest_slot: list[Slot] = field(default_factory=list)  # per leader: the slot of their latest tenure
    tenure_pid: list[int] = field(default_factory=list)  # per tenure: the leader holding it
    # org id -> (pid, post kind, start, end) of every leader's post there
    rows_by_org: dict[str, list[tuple[int, str, int, int | None]]] = field(default_factory=lambda: defaultdict(list))
    principal_successions: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    staff_org: list[int] = field(default_factory=list)  # per staff member: index into orgs
    staff_start: list[int] = field(default_factory=list)
    staff_end: list[int | None] = field(default_factory=list)
    staff_rank: list[str] = field(default_factory=list)
    official_ids: list[str] = field(default_factory=list)
    official_names: list[str] = field(default_factory=list)
    staff_by_org: dict[str, list[tuple[int, int, int | None]]] | None = None
    doc_numbers: dict[tuple[str, int], int] = field(default_factory=lambda: defaultdict(int))
    monthly_docs: dict[tuple[int, int], str] = field(default_factory=dict)
    used_subjects: set[int] = field(default_factory=set)
    campaign_facts: AccountabilityFacts = field(default_factory=AccountabilityFacts)
    seq: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def rol_prov(self) -> Org:
        """省委全面依法治省委员会办公室: it organises the inspections and follows up rectification."""
        return self.units[PROVINCE_CODE]["rol"]

    def next_id(self, prefix: str, width: int = 4) -> str:
        """The next id of a series: ``CA-2023-0001``, ``CA-2023-0002`` …"""
        self.seq[prefix] += 1
        return f"{prefix}-{self.seq[prefix]:0{width}d}"

    def staff_index(self) -> dict[str, list[tuple[int, int, int | None]]]:
        """org id -> (pid, start, end) of its staff, built on first use."""
        if self.staff_by_org is None:
            by: dict[str, list[tuple[int, int, int | None]]] = defaultdict(list)
            base = self.n_leaders
            orgs = self.orgs
            for i, (oi, s, e) in enumerate(zip(self.staff_org, self.staff_start, self.staff_end, strict=True)):
                by[orgs[oi].id].append((base + i, s, e))
            self.staff_by_org = by
        return self.staff_by_org

    def principals_at(self, org_id: str, day: int) -> list[int]:
        """The 党政主要负责人 of an organisation on a day (MODEL.md, "Principal at a date")."""
        out: list[int] = []
        for pid, pk, s, e in self.rows_by_org.get(org_id, ()):
            if pk in (PARTY_PRINCIPAL, GOV_PRINCIPAL) and s <= day and (e is None or day <= e) and pid not in out:
                out.append(pid)
        return out

    def members_at(self, org_id: str, day: int) -> list[tuple[int, str]]:
        """(person, post kind) of everyone in post at an organisation on a day: leaders, then staff."""
        out: list[tuple[int, str]] = []
        seen: set[int] = set()
        order = {PARTY_PRINCIPAL: 0, GOV_PRINCIPAL: 0, DEPUTY: 1, TEAM_MEMBER: 2}
        leaders = sorted(
            (order[pk], pid, pk)
            for pid, pk, s, e in self.rows_by_org.get(org_id, ())
            if s <= day and (e is None or day <= e)
        )
        for _, pid, pk in leaders:
            if pid not in seen:
                seen.add(pid)
                out.append((pid, pk))
        for pid, s, e in self.staff_index().get(org_id, ()):
            if s <= day and (e is None or day <= e):
                out.append((pid, STAFF))
        return out

    def doc(self, title: str, doc_no: str | None, day: int, kind: str) -> str:
        """Write a Document (its sha256 over number, title and date) and return its id."""
        did = self.next_id("DOC", 5)
        digest = hashlib.sha256(f"{doc_no}|{title}|{iso(day)}".encode()).hexdigest()
        self.t.node("Document", did, title=title, doc_no=doc_no, date=iso(day), kind=kind, sha256=digest)
        return did

    def doc_no(self, prefix: str, year: int) -> str:
        """The next 文号 of a series: ``甘法督〔2023〕1号``, ``甘法督〔2023〕2号`` …"""
        self.doc_numbers[(prefix, year)] += 1
        return f"{prefix}〔{year}〕{self.doc_numbers[(prefix, year)]}号"
