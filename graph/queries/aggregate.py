"""The explorer's guarded expand: a node's neighbours as a subgraph, or, past the element cap, as counts.

    grown = expand(store, "OFF-ZW", visible=0)                  # Expansion(subgraph=Subgraph(...), aggregate=None)
    grown = expand(store, "620000", visible=4800, cap=5000)      # subgraph None: the aggregate instead
    grown.aggregate.by_kind                                      # [Count('Organisation', '单位', 1000), …]

What would be drawn is counted before anything is sent: the node's relationships of the allowed kinds,
valid in the time window (``analytics.valid_in``), and the distinct neighbours at their other ends. When
``visible`` (what the caller already shows) plus those relationships and neighbours exceed ``cap``, no
subgraph is read: the answer counts the neighbours by kind, the relationships by kind, and the neighbours
by region (the most specific region of each one's jurisdiction, ``schema.derived.SCOPE``; a region
counts as itself), largest first. At most ``READ_LIMIT`` relationships are read; past that the counts
are lower bounds (``at_least``). Reads go through the store, so a scoped store counts what the caller may see.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

from graph.port import Edge, GraphStore
from graph.queries.analytics import Window, check_kinds, valid_in
from graph.queries.labels import labels_for
from graph.queries.subgraphs import Subgraph
from schema.derived import HOME_REGION, SCOPE

ELEMENT_CAP = 5000  # elements (nodes + relationships) the explorer draws fluidly (bench/explorer.py)
READ_LIMIT = 50_000
TOP_REGIONS = 20
# Region levels, most specific first (MODEL.md Region.level).
_LEVELS = ("township", "county", "prefecture", "province")


@dataclass(frozen=True)
class Count:
    key: str  # a node kind, a relationship kind, or a region code ("" for nodes without a region)
    count: int


@dataclass(frozen=True)
class Aggregate:
    node: str
    neighbours: int
    relationships: int
    at_least: bool  # READ_LIMIT cut the reading: the counts are lower bounds
    by_kind: list[Count]
    by_relationship: list[Count]
    by_region: list[Count]  # the TOP_REGIONS largest
    region_names: dict[str, str]


@dataclass(frozen=True)
class Expansion:
    cap: int
    visible: int
    would_add: int  # the neighbours and relationships the expand would draw (at least, when cut)
    subgraph: Subgraph | None  # None: past the cap, see ``aggregate``
    aggregate: Aggregate | None

    @property
    def capped(self) -> bool:
        return self.subgraph is None

    def message(self) -> str:
        """Why nothing was drawn (Chinese, then English); empty when the subgraph came."""
        if not self.capped:
            return ""
        cut = self.aggregate is not None and self.aggregate.at_least
        more, en_more = ("至少 ", "at least ") if cut else ("", "")
        return (
            f"展开将新增{more}{self.would_add} 个元素，画面已有 {self.visible} 个，超过上限 {self.cap} 个："
            f"改为显示统计汇总。请按关系类型或时间窗缩小范围。"
            f" Expanding would add {en_more}{self.would_add} elements to the {self.visible} shown, past the cap"
            f" of {self.cap}: counts instead. Narrow it by relationship kind or time window."
        )


def _region_of(derived: dict[str, object], levels: dict[str, int]) -> str:
    home = derived.get(HOME_REGION)
    if isinstance(home, str):
        return home
    regions = derived.get(SCOPE)
    if not isinstance(regions, list) or not regions:
        return ""
    return min((str(r) for r in regions), key=lambda r: (levels.get(r, len(_LEVELS)), r))


def aggregate(store: GraphStore, node_id: str, found: list[Edge], at_least: bool) -> Aggregate:
    """Counts of the neighbours of ``node_id`` over the relationships ``found``."""
    others = list(dict.fromkeys(e.target if e.source == node_id else e.source for e in found))
    kinds = store.kinds_of(others)
    derived = store.derived([i for i in others if kinds.get(i) != "Region"])
    candidates = {str(r) for d in derived.values() for r in (d.get(SCOPE) or [])}
    candidates |= {i for i in others if kinds.get(i) == "Region"}
    records = store.get_nodes(sorted(candidates))
    levels = {
        r: _LEVELS.index(str(rec.get("level"))) if rec.get("level") in _LEVELS else len(_LEVELS)
        for r, rec in records.items()
    }
    regions = Counter(i if kinds.get(i) == "Region" else _region_of(derived.get(i, {}), levels) for i in others)

    def ranked(counter: Counter[str]) -> list[Count]:
        return [Count(k, n) for k, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))]

    by_region = ranked(regions)[:TOP_REGIONS]
    names = {c.key: str(records[c.key].get("name") or c.key) for c in by_region if c.key in records}
    return Aggregate(
        node_id,
        len(others),
        len(found),
        at_least,
        ranked(Counter(kinds.get(i, "?") for i in others)),
        ranked(Counter(e.type for e in found)),
        by_region,
        names,
    )


def expand(
    store: GraphStore,
    node_id: str,
    visible: int = 0,
    cap: int = ELEMENT_CAP,
    kinds: Collection[str] = (),
    window: Window = (None, None),
) -> Expansion | None:
    """``node_id``'s neighbours through ``kinds`` (all when empty) valid in ``window``: the subgraph (the node,
    its neighbours, those relationships) while ``visible`` + what it adds stays within ``cap``, else the
    aggregate. None when the node does not exist; ValueError for an unknown kind or a cap out of range.
    """
    if not 1 <= cap <= ELEMENT_CAP:
        raise ValueError(f"cap must be between 1 and {ELEMENT_CAP}")
    allowed = check_kinds(kinds)
    root = store.get_nodes([node_id]).get(node_id)
    if root is None:
        return None
    read = store.edges([node_id], allowed, "both", limit=READ_LIMIT + 1)
    cut = len(read) > READ_LIMIT
    found = [e for e in read[:READ_LIMIT] if valid_in(e, window)]
    others = list(dict.fromkeys(e.target if e.source == node_id else e.source for e in found))
    others = [i for i in others if i != node_id]
    would_add = len(others) + len(found)
    if cut or visible + would_add > cap:
        return Expansion(cap, visible, would_add, None, aggregate(store, node_id, found, cut))
    recs = store.get_nodes(others)
    nodes = [root, *(recs[i] for i in others if i in recs)]
    edges = sorted({e.id: e for e in found}.values(), key=lambda e: e.id)
    return Expansion(cap, visible, would_add, Subgraph(nodes, labels_for(store, nodes), edges, False), None)
