"""Properties derived at write time: where each node lies (jurisdiction, CONTRACT §4) and where and
when each four-forms fact counts (placement, CONTRACT §3). Declared here once; ``graph.derived``
computes them on every write, the backends store them beside the declared properties, and reads
filter and count on them where the data are (never in Python over a whole table).

    DERIVED["Measure"]["fact_place"].type          # 'strings'
    SCOPE                                          # 'scope_regions'

Names start with ``scope_``, ``home_`` or ``fact_`` and never clash with MODEL.md properties; they are
not part of a bundle (the loader refuses them as columns, ``wenze export`` leaves them out) and not
part of the GraphQL node types.

- ``scope_regions`` (every kind but Region): the node's regions by CONTRACT §4 with all their ancestors
  (PART_OF), sorted. A caller holding region R sees the node when R is in the list.
- ``home_region`` (Organisation): the region it is IN_REGION, else that of its nearest UNDER parent.
- ``fact_*`` (Measure, Transfer, Exposure; partly Issue, Clue, Case, which pass them on): the case,
  the issue the case is placed by, the campaigns of its issues, the placement (the issue's
  organisation's region and ancestors; without an issue, those of the subjects' posts on the fact's
  date), the fact's date and month, the officials it counts for, its form (1–3 measures, 4 a judicial
  transfer) and what kind of sanction or transfer it is.
"""

from __future__ import annotations

from schema.model import NODE_KINDS, Prop, PropType

SCOPE = "scope_regions"
# Raised whenever the rules below change: a store derived under another version is derived afresh
# when a writable wenze opens it (graph.derived.rederive).
DERIVED_VERSION = 1
HOME_REGION = "home_region"
FACT_KINDS = ("Measure", "Transfer", "Exposure")
# Kinds that carry fact context for the facts below them (an issue's campaigns, a case's issue).
CONTEXT_KINDS = ("Issue", "Clue", "Case")

_FACT: dict[str, tuple[PropType, str]] = {
    "fact_case": ("string", "所属案件"),
    "fact_issue": ("string", "所属问题"),
    "fact_campaigns": ("strings", "所属专项"),
    "fact_place": ("strings", "统计区划"),
    "fact_on": ("date", "统计日期"),
    "fact_month": ("string", "统计月份"),
    "fact_subjects": ("strings", "计入干部"),
    "fact_form": ("int", "形态"),
    "fact_sanction": ("string", "处分类别"),
    "fact_transfer": ("string", "移送类别"),
}
_CONTEXT: dict[str, tuple[str, ...]] = {
    "Issue": ("fact_campaigns", "fact_place"),
    "Clue": ("fact_issue", "fact_campaigns"),
    "Case": ("fact_issue", "fact_campaigns", "fact_place", "fact_subjects"),
}


def _declare() -> dict[str, dict[str, Prop]]:
    out: dict[str, dict[str, Prop]] = {}
    for kind in NODE_KINDS:
        props: dict[str, Prop] = {}
        if kind != "Region":
            props[SCOPE] = Prop(SCOPE, "strings", "辖区")
        if kind == "Organisation":
            props[HOME_REGION] = Prop(HOME_REGION, "string", "所在区划（推导）")
        names = tuple(_FACT) if kind in FACT_KINDS else _CONTEXT.get(kind, ())
        for name in names:
            prop_type, label = _FACT[name]
            props[name] = Prop(name, prop_type, label)
        for name in props:
            if name in NODE_KINDS[kind].properties:
                raise ValueError(f"{kind}.{name}: a derived property may not share a declared property's name")
        out[kind] = props
    return out


DERIVED: dict[str, dict[str, Prop]] = _declare()
DERIVED_NAMES: frozenset[str] = frozenset(n for props in DERIVED.values() for n in props)
