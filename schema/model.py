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

import datetime as _dt
from dataclasses import dataclass, field
from typing import Literal

PropType = Literal["string", "int", "float", "bool", "date", "enum"]

PYTHON_TYPES: dict[str, type] = {
    "string": str,
    "int": int,
    "float": float,
    "bool": bool,
    "date": _dt.date,
    "enum": str,
}


@dataclass(frozen=True)
class Prop:
    """One property of a node or relationship kind."""

    name: str
    type: PropType
    label: str  # the Chinese label users see; accepted as a header alias
    required: bool = False
    enum: tuple[str, ...] = ()
    derived: bool = False  # computed by the model (e.g. Measure.form); a given value must agree


@dataclass(frozen=True)
class NodeKind:
    name: str
    label: str
    properties: dict[str, Prop]
    title_property: str  # the property that makes a human-readable label
    searchable: tuple[str, ...] = ()  # properties the search index covers

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


def _props(*ps: Prop) -> dict[str, Prop]:
    return {p.name: p for p in ps}


# ---------------------------------------------------------------- enumerations

REGION_LEVELS = ("province", "prefecture", "county", "township")
ORG_KINDS = (
    "party_committee", "government", "party_group", "department", "discipline_commission",
    "rule_of_law_office", "procuratorate", "court", "public_security", "township", "subdistrict",
    "new_area_admin", "other",
)
GENDERS = ("male", "female")
RANKS = (
    "national_principal", "national_deputy",
    "provincial_ministerial_principal", "provincial_ministerial_deputy",
    "bureau_principal", "bureau_deputy",
    "county_division_principal", "county_division_deputy",
    "township_section_principal", "township_section_deputy",
    "staff",
)
STUDY_KINDS = ("central_group_study", "training_course", "lecture", "rotation_training")
REPORT_FORMS = (
    "written", "on_site", "thematic_session", "commission_meeting", "online_live",
    "year_end_within_duty_report",
)
ASSESSMENT_KINDS = ("routine", "annual")
CAMPAIGN_KINDS = ("special_campaign", "inspection_plan")
INSPECTION_KINDS = (
    "comprehensive", "special", "field", "desk_review", "open_and_undercover", "random_spot_check",
    "look_back_recheck",
)
SEVERITIES = ("minor", "serious", "major")
FEEDBACK_FORMS = ("point_to_point", "back_to_back")
DEADLINE_KINDS = ("immediate", "time_limited", "long_term")
ISSUE_STATUSES = ("open", "rectifying", "rectified", "verified", "reopened")
STEP_KINDS = (
    "leader_instruction", "plan", "weekly_summary", "monthly_notice", "dispatch_meeting", "notice",
    "supervision_letter", "look_back", "completion_report", "closed",
)
CLUE_DISPOSALS = ("talk_or_written_inquiry", "preliminary_verification", "shelved_pending_investigation", "closed")
CASE_KINDS = ("accountability", "disciplinary_review", "supervisory_investigation")
TRANSFER_KINDS = ("to_discipline_commission_for_filing", "to_judicial_organ", "to_procuratorate_for_prosecution")
TRANSFER_OUTCOMES = ("pending", "accepted", "case_filed", "prosecuted", "convicted", "returned", "dropped")
DOCUMENT_KINDS = ("notice", "briefing", "decision", "supervision_letter", "report", "other")
POST_KINDS = ("party_principal", "gov_principal", "deputy", "team_member", "staff")
RESPONSIBILITY_KINDS = ("direct", "principal_leadership", "important_leadership", "overall_leadership")

# Measure kinds in the order of MODEL.md; their form, labels and effect periods are in rules.py.
MEASURE_KINDS = (
    # form 1
    "reminder_talk", "warning_talk", "criticism_education", "ordered_self_criticism", "admonishment",
    "circulated_criticism", "ordered_public_apology", "ordered_rectification_with_deadline",
    # form 2
    "party_warning", "party_serious_warning", "gov_warning", "gov_demerit", "gov_major_demerit",
    "gov_demotion_in_grade", "suspension_for_examination", "post_adjustment", "ordered_resignation",
    "removal_from_office",
    # form 3
    "removal_from_party_posts", "party_probation", "expulsion_from_party", "gov_removal_from_post",
    "gov_expulsion", "demotion_in_post",
    # measures on organisations (问责条例 art. 8)
    "org_examination", "org_circular", "org_reorganization",
)

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
        NodeKind("Region", "行政区划", _props(
            Prop("name", S, "名称", required=True),
            Prop("level", E, "层级", required=True, enum=REGION_LEVELS),
        ), "name", ("name",)),
        NodeKind("Organisation", "单位", _props(
            Prop("name", S, "名称", required=True),
            Prop("kind", E, "类型", required=True, enum=ORG_KINDS),
            Prop("level", E, "层级", enum=REGION_LEVELS),
        ), "name", ("name",)),
        NodeKind("Official", "干部", _props(
            Prop("name", S, "姓名", required=True),
            Prop("gender", E, "性别", enum=GENDERS),
            Prop("birth_year", INT, "出生年份"),
            Prop("ethnicity", S, "民族"),
            Prop("party_member", B, "党员"),
            Prop("rank", E, "职级", enum=RANKS),
        ), "name", ("name",)),
        NodeKind("StudyEvent", "学习培训", _props(
            Prop("kind", E, "类型", required=True, enum=STUDY_KINDS),
            Prop("title", S, "标题"),
            Prop("date", D, "日期", required=True),
        ), "title", ("title",)),
        NodeKind("DutyReport", "述法", _props(
            Prop("year", INT, "年度", required=True),
            Prop("form", E, "述法形式", enum=REPORT_FORMS),
            Prop("reporter_role", S, "述法主体"),
            Prop("score", F, "得分"),
            Prop("grade", S, "等次"),
            Prop("commentary", S, "点评"),
        ), "reporter_role"),
        NodeKind("Assessment", "法治建设考评", _props(
            Prop("year", INT, "年度", required=True),
            Prop("kind", E, "类型", required=True, enum=ASSESSMENT_KINDS),
            Prop("score", F, "得分"),
            Prop("weight_points", F, "赋分"),
            Prop("grade", S, "等次"),
        ), "grade"),
        NodeKind("Campaign", "专项整治", _props(
            Prop("name", S, "名称", required=True),
            Prop("year", INT, "年度"),
            Prop("kind", E, "类型", enum=CAMPAIGN_KINDS),
        ), "name", ("name",)),
        NodeKind("Inspection", "法治督察", _props(
            Prop("kind", E, "类型", required=True, enum=INSPECTION_KINDS),
            Prop("title", S, "标题"),
            Prop("start", D, "开始日期"),
            Prop("end", D, "结束日期"),
        ), "title", ("title",)),
        NodeKind("Issue", "问题", _props(
            Prop("summary", S, "问题摘要", required=True),
            Prop("category", S, "领域"),
            Prop("severity", E, "严重程度", enum=SEVERITIES),
            Prop("occurred_on", D, "发生日期"),
            Prop("found_on", D, "发现日期"),
            Prop("feedback_on", D, "反馈日期"),
            Prop("feedback_form", E, "反馈方式", enum=FEEDBACK_FORMS),
            Prop("deadline", D, "整改期限"),
            Prop("deadline_kind", E, "期限类型", enum=DEADLINE_KINDS),
            Prop("status", E, "状态", enum=ISSUE_STATUSES),
        ), "summary", ("summary", "category")),
        NodeKind("RectificationStep", "整改进展", _props(
            Prop("kind", E, "类型", required=True, enum=STEP_KINDS),
            Prop("date", D, "日期"),
            Prop("note", S, "说明"),
        ), "note"),
        NodeKind("Clue", "问题线索", _props(
            Prop("source", S, "来源"),
            Prop("received_on", D, "受理日期"),
            Prop("disposal", E, "处置方式", enum=CLUE_DISPOSALS),
            Prop("disposed_on", D, "处置日期"),
        ), "source"),
        NodeKind("Case", "问责案件", _props(
            Prop("kind", E, "类型", required=True, enum=CASE_KINDS),
            Prop("title", S, "标题"),
            Prop("opened_on", D, "立案日期"),
            Prop("closed_on", D, "结案日期"),
            Prop("status", S, "状态"),
        ), "title", ("title",)),
        NodeKind("Measure", "处置措施", _props(
            Prop("kind", E, "措施", required=True, enum=MEASURE_KINDS),
            Prop("form", INT, "形态", derived=True),
            Prop("decided_on", D, "决定日期"),
            Prop("effective_on", D, "生效日期"),
            Prop("period_end", D, "影响期届满", derived=True),
        ), "kind"),
        NodeKind("Transfer", "移送", _props(
            Prop("kind", E, "类型", required=True, enum=TRANSFER_KINDS),
            Prop("transferred_on", D, "移送日期"),
            Prop("outcome", E, "结果", enum=TRANSFER_OUTCOMES),
            Prop("outcome_on", D, "结果日期"),
        ), "kind"),
        NodeKind("Exposure", "通报曝光", _props(
            Prop("published_on", D, "发布日期"),
            Prop("channel", S, "渠道"),
            Prop("title", S, "标题"),
        ), "title", ("title",)),
        NodeKind("Document", "依据文件", _props(
            Prop("title", S, "标题", required=True),
            Prop("doc_no", S, "文号"),
            Prop("date", D, "日期"),
            Prop("kind", E, "类型", enum=DOCUMENT_KINDS),
            Prop("sha256", S, "SHA256"),
        ), "title", ("title", "doc_no")),
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
        RelKind("HELD_POST", "任职", (("Official", "Organisation"),), _props(
            Prop("title", S, "职务"),
            Prop("post_kind", E, "职务类型", required=True, enum=POST_KINDS),
            Prop("acting", B, "代理"),
            Prop("start", D, "任职日期"),
            Prop("end", D, "离任日期"),
        ), key_properties=("start",)),
        RelKind("ATTENDED", "参加", (("Official", "StudyEvent"),)),
        RelKind("ORGANISED", "组织", _pairs(("Organisation",), ("StudyEvent", "Inspection", "Assessment"))),
        RelKind("SUBMITTED", "提交", (("Official", "DutyReport"),)),
        RelKind("REVIEWED_BY", "审议", (("DutyReport", "Organisation"),), _props(Prop("date", D, "日期"))),
        RelKind("ASSESSES", "考评对象", _pairs(("Assessment",), ("Organisation", "Official"))),
        RelKind("INSPECTED", "督察对象", (("Inspection", "Organisation"),)),
        RelKind("FOUND", "发现", (("Inspection", "Issue"),)),
        RelKind("AT", "问题单位", (("Issue", "Organisation"),)),
        RelKind("RESPONSIBLE", "责任人", (("Issue", "Official"),), _props(
            Prop("kind", E, "责任类型", required=True, enum=RESPONSIBILITY_KINDS),
        )),
        RelKind("HAS_STEP", "整改步骤", (("Issue", "RectificationStep"),)),
        RelKind("BY", "作出主体", _pairs(("RectificationStep", "Measure"), ("Official", "Organisation"))),
        RelKind("LED_TO", "导致", (("Issue", "Clue"), ("Issue", "Case"), ("Clue", "Case"))),
        RelKind("CONCERNS", "涉及", _pairs(("Case",), ("Official", "Organisation"))),
        RelKind("DECIDED", "作出", (("Case", "Measure"),)),
        RelKind("APPLIES_TO", "适用于", _pairs(("Measure",), ("Official", "Organisation"))),
        RelKind("TRANSFERRED", "移送", (("Case", "Transfer"),)),
        RelKind("TO", "移送至", (("Transfer", "Organisation"),)),
        RelKind("EXPOSED_IN", "曝光", (("Case", "Exposure"),)),
        RelKind("EVIDENCED_BY", "依据", _pairs(_ALL_NODES, ("Document",)), _props(
            Prop("page", INT, "页码"),
            Prop("note", S, "说明"),
        )),
    )
}

# Bounds on walks the API offers over the graph (paths, neighbourhoods): declared once, used by every
# backend and the GraphQL argument checks.
MAX_PATH_HOPS = 6
MAX_NEIGHBOURHOOD_DEPTH = 3

# Relationship-file columns besides the properties.
REL_ENDPOINT_COLUMNS = ("from", "to")
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
        labels = [p.label for p in nk.all_properties.values()]
        if len(labels) != len(set(labels)):
            raise ValueError(f"node {name}: two properties share a Chinese label")
    if set(NODE_KINDS) & set(REL_KINDS):
        raise ValueError("a node kind and a relationship kind share a name")


_check()
