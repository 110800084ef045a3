"""The accountability graph's model, declared once (../shared/domain/MODEL.md).

Every node kind, relationship kind, property, enumeration and Chinese label lives here.
Backend DDL, loader validation and GraphQL enums are derived from these declarations.

    >>> NODE_KINDS["Issue"].properties["severity"].enum
    ('minor', 'serious', 'major')
    >>> REL_KINDS["HELD_POST"].allows("Official", "Organisation")
    True

A bad declaration fails loudly at import (see ``_check``), never later at run time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from schema import vocabulary as V
from schema.vocabulary import Vocabulary

PropType = Literal["string", "int", "float", "bool", "date", "enum", "strings"]  # strings: derived lists only


@dataclass(frozen=True)
class Prop:
    """One property of a node or relationship kind."""

    name: str
    type: PropType
    label: str  # the Chinese label users see; accepted as a header alias
    required: bool = False
    values: Vocabulary | None = None  # the enumeration of an enum property (schema.vocabulary)
    derived: bool = False  # computed by the model (e.g. Measure.form); a given value must agree

    @property
    def enum(self) -> tuple[str, ...]:
        """The identifiers an enum property admits (empty for other types)."""
        return self.values.names if self.values is not None else ()


@dataclass(frozen=True)
class Caption:
    """How a node's Chinese label is made (``schema.captions.caption``).

    ``head`` is a template over property names (``"{year}年度述法"``; an enum shows its label); when a
    property it names is empty, the kind's label stands instead and ``bare_details`` join the details.
    ``details`` are properties (or ``@subject``, the name of a measure's subject) shown in （…）.
    """

    head: str
    details: tuple[str, ...] = ()
    bare_details: tuple[str, ...] = ()


@dataclass(frozen=True)
class NodeKind:
    name: str
    label: str
    properties: dict[str, Prop]
    title_property: str  # the property that makes a human-readable label
    searchable: tuple[str, ...] = ()  # properties the search index covers
    caption: Caption = Caption("")  # how its label is made; empty head: the title property
    sort_by: tuple[str, ...] = ()  # lists of the kind run oldest first on the first of these that is set

    @property
    def all_properties(self) -> dict[str, Prop]:
        return {"id": Prop("id", "string", "编号", required=True), **self.properties}


@dataclass(frozen=True)
class RelKind:
    name: str
    label: str
    endpoints: tuple[tuple[str, str], ...]  # allowed (from kind, to kind) pairs
    properties: dict[str, Prop] = field(default_factory=dict)
    key_properties: tuple[str, ...] = ()  # besides endpoints and kind, what identifies one relationship

    def allows(self, from_kind: str, to_kind: str) -> bool:
        return (from_kind, to_kind) in self.endpoints

    @property
    def from_kinds(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f for f, _ in self.endpoints))

    @property
    def to_kinds(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t for _, t in self.endpoints))


def property_key(node_kind: str, prop: str) -> str:
    """Key of a property in a node record: the name itself, but ``kind`` becomes ``<type>_kind``.

    >>> property_key("RectificationStep", "kind")
    'rectification_step_kind'
    """
    if prop != "kind":
        return prop
    snake = "".join("_" + c.lower() if c.isupper() else c for c in node_kind).lstrip("_")
    return f"{snake}_kind"


def _props(*ps: Prop) -> dict[str, Prop]:
    return {p.name: p for p in ps}


# ---------------------------------------------------------------- enumerations (schema.vocabulary)

# Identifier tuples of each enumeration (MEASURE_KINDS in MODEL.md order).
REGION_LEVELS = V.REGION_LEVEL.names
ORG_KINDS = V.ORG_KIND.names
GENDERS = V.GENDER.names
RANKS = V.RANK.names
STUDY_KINDS = V.STUDY_KIND.names
REPORT_FORMS = V.REPORT_FORM.names
ASSESSMENT_KINDS = V.ASSESSMENT_KIND.names
CAMPAIGN_KINDS = V.CAMPAIGN_KIND.names
INSPECTION_KINDS = V.INSPECTION_KIND.names
SEVERITIES = V.SEVERITY.names
FEEDBACK_FORMS = V.FEEDBACK_FORM.names
DEADLINE_KINDS = V.DEADLINE_KIND.names
ISSUE_STATUSES = V.ISSUE_STATUS.names
STEP_KINDS = V.STEP_KIND.names
CLUE_DISPOSALS = V.CLUE_DISPOSAL.names
CASE_KINDS = V.CASE_KIND.names
TRANSFER_KINDS = V.TRANSFER_KIND.names
TRANSFER_OUTCOMES = V.TRANSFER_OUTCOME.names
DOCUMENT_KINDS = V.DOCUMENT_KIND.names
POST_KINDS = V.POST_KIND.names
RESPONSIBILITY_KINDS = V.RESPONSIBILITY_KIND.names
MEASURE_KINDS = V.MEASURE_KIND.names

# ---------------------------------------------------------------- node kinds

S: PropType = "string"
INT: PropType = "int"
F: PropType = "float"
B: PropType = "bool"
D: PropType = "date"
E: PropType = "enum"

NODE_KINDS: dict[str, NodeKind] = {
    k.name: k
    for k in (
        NodeKind(
            "Region",
            "行政区划",
            _props(
                Prop("name", S, "名称", required=True),
                Prop("level", E, "层级", required=True, values=V.REGION_LEVEL),
            ),
            "name",
            ("name",),
        ),
        NodeKind(
            "Organisation",
            "单位",
            _props(
                Prop("name", S, "名称", required=True),
                Prop("kind", E, "类型", required=True, values=V.ORG_KIND),
                Prop("level", E, "层级", values=V.REGION_LEVEL),
            ),
            "name",
            ("name",),
        ),
        NodeKind(
            "Official",
            "干部",
            _props(
                Prop("name", S, "姓名", required=True),
                Prop("gender", E, "性别", values=V.GENDER),
                Prop("birth_year", INT, "出生年份"),
                Prop("ethnicity", S, "民族"),
                Prop("party_member", B, "党员"),
                Prop("rank", E, "职级", values=V.RANK),
            ),
            "name",
            ("name",),
        ),
        NodeKind(
            "StudyEvent",
            "学习培训",
            _props(
                Prop("kind", E, "类型", required=True, values=V.STUDY_KIND),
                Prop("title", S, "标题"),
                Prop("date", D, "日期", required=True),
            ),
            "title",
            ("title",),
            Caption("", bare_details=("date",)),
            ("date",),
        ),
        NodeKind(
            "DutyReport",
            "述法",
            _props(
                Prop("year", INT, "年度", required=True),
                Prop("form", E, "述法形式", values=V.REPORT_FORM),
                Prop("reporter_role", S, "述法主体"),
                Prop("score", F, "得分"),
                Prop("grade", S, "等次"),
                Prop("commentary", S, "点评"),
            ),
            "reporter_role",
            caption=Caption("{year}年度述法", ("reporter_role",)),
            sort_by=("year",),
        ),
        NodeKind(
            "Assessment",
            "法治建设考评",
            _props(
                Prop("year", INT, "年度", required=True),
                Prop("kind", E, "类型", required=True, values=V.ASSESSMENT_KIND),
                Prop("score", F, "得分"),
                Prop("weight_points", F, "赋分"),
                Prop("grade", S, "等次"),
            ),
            "grade",
            caption=Caption("{year}年度法治建设考评", ("grade",)),
            sort_by=("year",),
        ),
        NodeKind(
            "Campaign",
            "专项整治",
            _props(
                Prop("name", S, "名称", required=True),
                Prop("year", INT, "年度"),
                Prop("kind", E, "类型", values=V.CAMPAIGN_KIND),
            ),
            "name",
            ("name",),
        ),
        NodeKind(
            "Inspection",
            "法治督察",
            _props(
                Prop("kind", E, "类型", required=True, values=V.INSPECTION_KIND),
                Prop("title", S, "标题"),
                Prop("start", D, "开始日期"),
                Prop("end", D, "结束日期"),
            ),
            "title",
            ("title",),
            Caption("", bare_details=("start",)),
            ("start",),
        ),
        NodeKind(
            "Issue",
            "问题",
            _props(
                Prop("summary", S, "问题摘要", required=True),
                Prop("category", S, "领域"),
                Prop("severity", E, "严重程度", values=V.SEVERITY),
                Prop("occurred_on", D, "发生日期"),
                Prop("found_on", D, "发现日期"),
                Prop("feedback_on", D, "反馈日期"),
                Prop("feedback_form", E, "反馈方式", values=V.FEEDBACK_FORM),
                Prop("deadline", D, "整改期限"),
                Prop("deadline_kind", E, "期限类型", values=V.DEADLINE_KIND),
                Prop("status", E, "状态", values=V.ISSUE_STATUS),
            ),
            "summary",
            ("summary", "category"),
            sort_by=("found_on", "occurred_on"),
        ),
        NodeKind(
            "RectificationStep",
            "整改进展",
            _props(
                Prop("kind", E, "类型", required=True, values=V.STEP_KIND),
                Prop("date", D, "日期"),
                Prop("note", S, "说明"),
            ),
            "note",
            caption=Caption("{kind}", ("date",)),
            sort_by=("date",),
        ),
        NodeKind(
            "Clue",
            "问题线索",
            _props(
                Prop("source", S, "来源"),
                Prop("received_on", D, "受理日期"),
                Prop("disposal", E, "处置方式", values=V.CLUE_DISPOSAL),
                Prop("disposed_on", D, "处置日期"),
            ),
            "source",
            caption=Caption("问题线索", ("source", "received_on")),
            sort_by=("received_on",),
        ),
        NodeKind(
            "Case",
            "问责案件",
            _props(
                Prop("kind", E, "类型", required=True, values=V.CASE_KIND),
                Prop("title", S, "标题"),
                Prop("opened_on", D, "立案日期"),
                Prop("closed_on", D, "结案日期"),
                Prop("status", S, "状态"),
            ),
            "title",
            ("title",),
            Caption("", bare_details=("opened_on",)),
            ("opened_on",),
        ),
        NodeKind(
            "Measure",
            "处置措施",
            _props(
                Prop("kind", E, "措施", required=True, values=V.MEASURE_KIND),
                Prop("form", INT, "形态", derived=True),
                Prop("decided_on", D, "决定日期"),
                Prop("effective_on", D, "生效日期"),
                Prop("period_end", D, "影响期届满", derived=True),
            ),
            "kind",
            caption=Caption("{kind}", ("@subject",)),
            sort_by=("decided_on",),
        ),
        NodeKind(
            "Transfer",
            "移送",
            _props(
                Prop("kind", E, "类型", required=True, values=V.TRANSFER_KIND),
                Prop("transferred_on", D, "移送日期"),
                Prop("outcome", E, "结果", values=V.TRANSFER_OUTCOME),
                Prop("outcome_on", D, "结果日期"),
            ),
            "kind",
            caption=Caption("{kind}", ("transferred_on",)),
            sort_by=("transferred_on",),
        ),
        NodeKind(
            "Exposure",
            "通报曝光",
            _props(
                Prop("published_on", D, "发布日期"),
                Prop("channel", S, "渠道"),
                Prop("title", S, "标题"),
            ),
            "title",
            ("title",),
            Caption("", bare_details=("published_on",)),
            ("published_on",),
        ),
        NodeKind(
            "Document",
            "依据文件",
            _props(
                Prop("title", S, "标题", required=True),
                Prop("doc_no", S, "文号"),
                Prop("date", D, "日期"),
                Prop("kind", E, "类型", values=V.DOCUMENT_KIND),
                Prop("sha256", S, "SHA256"),
            ),
            "title",
            ("title", "doc_no"),
            Caption("", bare_details=("date",)),
            ("date",),
        ),
    )
}

_ALL_NODES = tuple(NODE_KINDS)


def _pairs(froms: tuple[str, ...], tos: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((f, t) for f in froms for t in tos)


REL_KINDS: dict[str, RelKind] = {
    k.name: k
    for k in (
        RelKind("PART_OF", "隶属", (("Region", "Region"), ("Inspection", "Campaign"))),
        RelKind("IN_REGION", "所在区划", (("Organisation", "Region"),)),
        RelKind("UNDER", "上级单位", (("Organisation", "Organisation"),)),
        RelKind(
            "HELD_POST",
            "任职",
            (("Official", "Organisation"),),
            _props(
                Prop("title", S, "职务"),
                Prop("post_kind", E, "职务类型", required=True, values=V.POST_KIND),
                Prop("acting", B, "代理"),
                Prop("start", D, "任职日期"),
                Prop("end", D, "离任日期"),
            ),
            key_properties=("start",),
        ),
        RelKind("ATTENDED", "参加", (("Official", "StudyEvent"),)),
        RelKind("ORGANISED", "组织", _pairs(("Organisation",), ("StudyEvent", "Inspection", "Assessment"))),
        RelKind("SUBMITTED", "提交", (("Official", "DutyReport"),)),
        RelKind("REVIEWED_BY", "审议", (("DutyReport", "Organisation"),), _props(Prop("date", D, "日期"))),
        RelKind("ASSESSES", "考评对象", _pairs(("Assessment",), ("Organisation", "Official"))),
        RelKind("INSPECTED", "督察对象", (("Inspection", "Organisation"),)),
        RelKind("FOUND", "发现", (("Inspection", "Issue"),)),
        RelKind("AT", "问题单位", (("Issue", "Organisation"),)),
        RelKind(
            "RESPONSIBLE",
            "责任人",
            (("Issue", "Official"),),
            _props(
                Prop("kind", E, "责任类型", required=True, values=V.RESPONSIBILITY_KIND),
            ),
        ),
        RelKind("HAS_STEP", "整改步骤", (("Issue", "RectificationStep"),)),
        RelKind("BY", "作出主体", _pairs(("RectificationStep", "Measure"), ("Official", "Organisation"))),
        RelKind("LED_TO", "导致", (("Issue", "Clue"), ("Issue", "Case"), ("Clue", "Case"))),
        RelKind("CONCERNS", "涉及", _pairs(("Case",), ("Official", "Organisation"))),
        RelKind("DECIDED", "作出", (("Case", "Measure"),)),
        RelKind("APPLIES_TO", "适用于", _pairs(("Measure",), ("Official", "Organisation"))),
        RelKind("TRANSFERRED", "移送", (("Case", "Transfer"),)),
        RelKind("TO", "移送至", (("Transfer", "Organisation"),)),
        RelKind("EXPOSED_IN", "曝光", (("Case", "Exposure"),)),
        RelKind(
            "EVIDENCED_BY",
            "依据",
            _pairs(_ALL_NODES, ("Document",)),
            _props(
                Prop("page", INT, "页码"),
                Prop("note", S, "说明"),
            ),
        ),
    )
}

# Bounds on walks the API offers over the graph (paths, neighbourhoods): declared once, used by every
# backend and the GraphQL argument checks.
MAX_PATH_HOPS = 6
MAX_NEIGHBOURHOOD_DEPTH = 3

# Header aliases of the endpoint columns of relationship files.
REL_COLUMN_ALIASES = {"起点": "from", "终点": "to", "from_id": "from", "to_id": "to"}


def header_aliases(props: dict[str, Prop]) -> dict[str, str]:
    """Map every accepted header (identifier or Chinese label) to the property identifier."""
    aliases: dict[str, str] = {}
    for p in props.values():
        aliases[p.name] = p.name
        aliases[p.label] = p.name
    return aliases


def _check() -> None:
    """Fail loudly at import on a declaration that cannot be right."""
    for name, rk in REL_KINDS.items():
        for f, t in rk.endpoints:
            if f not in NODE_KINDS or t not in NODE_KINDS:
                raise ValueError(f"relationship {name}: unknown endpoint kind in ({f}, {t})")
        for key in rk.key_properties:
            if key not in rk.properties:
                raise ValueError(f"relationship {name}: key property {key} is not declared")
    for name, nk in NODE_KINDS.items():
        if nk.title_property not in nk.properties:
            raise ValueError(f"node {name}: title property {nk.title_property} is not declared")
        for p in nk.properties.values():
            if p.name == "id":
                raise ValueError(f"node {name}: 'id' is implicit")
            if (p.type == "enum") != bool(p.enum):
                raise ValueError(f"{name}.{p.name}: enum type and values go together")
            if p.values is not None and len(p.values.by_label()) != len(p.values.values):
                raise ValueError(f"{name}.{p.name}: two values share a label (a bundle could not tell them apart)")
        import string

        named = [f for _, f, _, _ in string.Formatter().parse(nk.caption.head) if f]
        for prop in (*named, *nk.caption.details, *nk.caption.bare_details, *nk.sort_by):
            if prop != "@subject" and prop not in nk.properties:
                raise ValueError(f"node {name}: caption or sort property {prop} is not declared")
        labels = [p.label for p in nk.all_properties.values()]
        if len(labels) != len(set(labels)):
            raise ValueError(f"node {name}: two properties share a Chinese label")
    if set(NODE_KINDS) & set(REL_KINDS):
        raise ValueError("a node kind and a relationship kind share a name")


_check()
