"""The generator's own records of the world it builds: regions, organisations, positions, tenures, issues.

    >>> from loaders.demo.records import CaseSpec
    >>> CaseSpec([["admonishment"]], [], "accountability", tier=3, via_clue=False).exposed
    False

These never reach the bundle themselves; the stages write rows from them. ``Slot`` is a position
(书记 of 兰州市委, a 副局长 of 永登县交通运输局 …), ``Tenure`` one holder's time in it, ``IssueRec``
an issue as the accountability stage needs it, ``CaseSpec`` the shape of a case still to be written.
"""

from __future__ import annotations

from dataclasses import dataclass

from loaders.demo.terms import GOV_PRINCIPAL


class Region:
    """A region of the bundle; ``prefecture`` is its prefecture-level unit, ``eth_key`` its ethnic mix."""

    __slots__ = ("code", "name", "level", "parent", "dtype", "prefecture", "eth_key")

    def __init__(
        self, code: str, name: str, level: str, parent: str | None, dtype: str, prefecture: str, eth_key: str
    ) -> None:
        self.code, self.name, self.level, self.parent = code, name, level, parent
        self.dtype, self.prefecture, self.eth_key = dtype, prefecture, eth_key


class Org:
    """An organisation; ``unit`` is the region code of its party committee and government, ``key`` its role."""

    __slots__ = ("id", "name", "kind", "level", "region", "group", "unit", "key", "staff_titles", "eth_key")

    def __init__(
        self,
        id_: str,
        name: str,
        kind: str,
        level: str,
        region: Region,
        unit: str,
        key: str,
        staff_titles: str = "default",
    ) -> None:
        self.id, self.name, self.kind, self.level, self.region = id_, name, kind, level, region
        self.group = region.prefecture  # the prefecture-level unit (or the province) it belongs to
        self.unit, self.key, self.staff_titles, self.eth_key = unit, key, staff_titles, region.eth_key


class Slot:
    """One position (书记 of 兰州市委, a 副局长 of 永登县交通运输局 …) and the rows each holder gets."""

    __slots__ = (
        "org",
        "rows",
        "rank",
        "role",
        "category",
        "tenure",
        "acting_title",
        "acting_p",
        "ethnicity",
        "quiet",
        "lagged",
    )

    def __init__(
        self,
        org: Org,
        rows: list[tuple[str, str, str, bool]],
        rank: str,
        role: str,
        category: str,
        tenure: tuple[int, int],
        acting_title: str | None = None,
        acting_p: float = 0.0,
        ethnicity: str | None = None,
        quiet: bool = False,
    ) -> None:
        self.org, self.rows, self.rank, self.role, self.category = org, rows, rank, role, category
        self.tenure, self.acting_title, self.acting_p = tenure, acting_title, acting_p
        self.ethnicity, self.quiet = ethnicity, quiet
        self.lagged = any(r[3] for r in rows)


class Tenure:
    """One holder's time in a slot; ``root`` joins tenures that are the same person (a move)."""

    __slots__ = ("idx", "slot", "first", "start", "lag", "end", "last_day", "acting_end", "root")

    def __init__(self, idx: int, slot: Slot, start: int, first: bool) -> None:
        self.idx, self.slot, self.start, self.first = idx, slot, start, first
        self.lag = 0
        self.end: int | None = None
        self.last_day: int | None = None
        self.acting_end: int | None = None
        self.root = idx

    def rows(self) -> list[tuple[str, str, str, bool, int, int | None]]:
        """(org id, title, post kind, acting, start, end) for each post the holder gets.

        一肩挑: the 行政首长 row of a department starts ``lag`` days after the 党组书记 row (the
        people's congress appoints after the party), so both rows keep distinct identities.
        """
        out = []
        for org_id, title, pk, lagged in self.slot.rows:
            if lagged:
                out.append((org_id, title, pk, False, self.start + self.lag, self.last_day))
            elif self.acting_end is not None and pk == GOV_PRINCIPAL:
                out.append((org_id, self.slot.acting_title or title, pk, True, self.start, self.acting_end))
                out.append((org_id, title, pk, False, self.acting_end + 1, self.end))
            else:
                out.append((org_id, title, pk, False, self.start, self.end))
        return out


@dataclass
class IssueRec:
    """An issue written to the bundle, with what accountability needs (dates as ordinals)."""

    id: str
    org: Org
    occurred: int
    found: int
    feedback: int
    category: str
    severity: str
    campaign: bool
    year: int
    succession: bool = False
    cases: int = 0


@dataclass
class CaseSpec:
    """The shape of a case to write: measures per subject, transfers, kind, and whether it is exposed."""

    persons: list[list[str]]  # measure kinds per subject, in order (empty: transfer only)
    transfers: list[str]
    kind: str
    tier: int  # 0 judicial, 1 discipline, 2 sanction, 3 other
    via_clue: bool
    cleared: int = 0  # extra subjects concerned but cleared (no measure, no transfer)
    org_measure: str | None = None
    exposed: bool = False
