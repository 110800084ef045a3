"""Every enumeration of the model, each value declared once with its Chinese label.

    >>> SEVERITY.label_of("major")
    '重大'
    >>> SEVERITY.by_label()["重大"]
    'major'
    >>> MEASURE_KIND_DECLS["gov_warning"].form, MEASURE_KIND_DECLS["gov_warning"].effect_months
    (2, 6)

``schema.model`` attaches these to properties (``Prop.values``); the loader accepts a value's label
as an alias of its identifier, GraphQL enums take their value descriptions from the labels, and
``schema.rules`` derives forms, sanctions and effect periods from ``MEASURE_KIND_DECLS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Value:
    """One value of an enumeration: the identifier of MODEL.md and the label users see."""

    name: str
    label: str


@dataclass(frozen=True)
class Vocabulary:
    """An enumeration: its values in MODEL.md order."""

    values: tuple[Value, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(v.name for v in self.values)

    def label_of(self, name: str) -> str:
        for v in self.values:
            if v.name == name:
                return v.label
        raise KeyError(name)

    def labels(self) -> dict[str, str]:
        return {v.name: v.label for v in self.values}

    def by_label(self) -> dict[str, str]:
        """Label -> identifier (what a bundle may write instead of the identifier)."""
        return {v.label: v.name for v in self.values}


def _v(*pairs: tuple[str, str]) -> Vocabulary:
    return Vocabulary(tuple(Value(n, label) for n, label in pairs))


REGION_LEVEL = _v(("province", "省级"), ("prefecture", "市级"), ("county", "县级"), ("township", "乡级"))
ORG_KIND = _v(
    ("party_committee", "党委"),
    ("government", "政府"),
    ("party_group", "党组"),
    ("department", "部门"),
    ("discipline_commission", "纪委监委"),
    ("rule_of_law_office", "依法治理办公室"),
    ("procuratorate", "检察院"),
    ("court", "法院"),
    ("public_security", "公安机关"),
    ("township", "乡镇"),
    ("subdistrict", "街道"),
    ("new_area_admin", "新区管委会"),
    ("other", "其他单位"),
)
GENDER = _v(("male", "男"), ("female", "女"))
RANK = _v(
    ("national_principal", "国家级正职"),
    ("national_deputy", "国家级副职"),
    ("provincial_ministerial_principal", "省部级正职"),
    ("provincial_ministerial_deputy", "省部级副职"),
    ("bureau_principal", "厅局级正职"),
    ("bureau_deputy", "厅局级副职"),
    ("county_division_principal", "县处级正职"),
    ("county_division_deputy", "县处级副职"),
    ("township_section_principal", "乡科级正职"),
    ("township_section_deputy", "乡科级副职"),
    ("staff", "科员及以下"),
)
STUDY_KIND = _v(
    ("central_group_study", "理论学习中心组学法"),
    ("training_course", "培训班"),
    ("lecture", "法治讲座"),
    ("rotation_training", "轮训"),
)
REPORT_FORM = _v(
    ("written", "书面述法"),
    ("on_site", "现场述法"),
    ("thematic_session", "专题述法"),
    ("commission_meeting", "委员会会议述法"),
    ("online_live", "网络直播述法"),
    ("year_end_within_duty_report", "年终述职中述法"),
)
ASSESSMENT_KIND = _v(("routine", "日常考评"), ("annual", "年度考评"))
CAMPAIGN_KIND = _v(("special_campaign", "专项整治"), ("inspection_plan", "督察计划"))
INSPECTION_KIND = _v(
    ("comprehensive", "综合督察"),
    ("special", "专项督察"),
    ("field", "实地督察"),
    ("desk_review", "书面督察"),
    ("open_and_undercover", "明察暗访"),
    ("random_spot_check", "随机抽查"),
    ("look_back_recheck", "回头看复查"),
)
SEVERITY = _v(("minor", "一般"), ("serious", "较重"), ("major", "重大"))
FEEDBACK_FORM = _v(("point_to_point", "点对点反馈"), ("back_to_back", "背靠背反馈"))
DEADLINE_KIND = _v(("immediate", "立行立改"), ("time_limited", "限期整改"), ("long_term", "长期坚持"))
ISSUE_STATUS = _v(
    ("open", "待整改"),
    ("rectifying", "整改中"),
    ("rectified", "已整改"),
    ("verified", "已验收"),
    ("reopened", "重新整改"),
)
STEP_KIND = _v(
    ("leader_instruction", "领导批示"),
    ("plan", "整改方案"),
    ("weekly_summary", "周汇总"),
    ("monthly_notice", "月通报"),
    ("dispatch_meeting", "调度会"),
    ("notice", "通知"),
    ("supervision_letter", "督办函"),
    ("look_back", "回头看"),
    ("completion_report", "整改完成报告"),
    ("closed", "销号"),
)
CLUE_DISPOSAL = _v(
    ("talk_or_written_inquiry", "谈话函询"),
    ("preliminary_verification", "初步核实"),
    ("shelved_pending_investigation", "暂存待查"),
    ("closed", "予以了结"),
)
CASE_KIND = _v(
    ("accountability", "问责"),
    ("disciplinary_review", "纪律审查"),
    ("supervisory_investigation", "监察调查"),
)
TRANSFER_KIND = _v(
    ("to_discipline_commission_for_filing", "移交纪检监察机关立案审查"),
    ("to_judicial_organ", "移送司法机关"),
    ("to_procuratorate_for_prosecution", "移送检察机关审查起诉"),
)
TRANSFER_OUTCOME = _v(
    ("pending", "办理中"),
    ("accepted", "已受理"),
    ("case_filed", "已立案"),
    ("prosecuted", "已起诉"),
    ("convicted", "已判决"),
    ("returned", "已退回"),
    ("dropped", "不予立案"),
)
DOCUMENT_KIND = _v(
    ("notice", "通知"),
    ("briefing", "通报"),
    ("decision", "决定"),
    ("supervision_letter", "督办函"),
    ("report", "报告"),
    ("other", "其他"),
)
POST_KIND = _v(
    ("party_principal", "党委（党组）主要负责人"),
    ("gov_principal", "政府（行政）主要负责人"),
    ("deputy", "副职"),
    ("team_member", "班子成员"),
    ("staff", "工作人员"),
)
RESPONSIBILITY_KIND = _v(
    ("direct", "直接责任"),
    ("principal_leadership", "主要领导责任"),
    ("important_leadership", "重要领导责任"),
    ("overall_leadership", "全面领导责任"),
)

# ---------------------------------------------------------------- measures (RESEARCH §4; 问责条例 art. 8)

PERMANENT = -1  # an effect period with no end (开除)
Sanction = Literal["party", "gov"]
Subject = Literal["official", "organisation"]


@dataclass(frozen=True)
class MeasureKindDecl:
    """One measure kind: label, form (四种形态), 影响期 in months, and what it is.

    ``effect_months`` None: no lasting effect; ``PERMANENT``: no end. ``sanction`` marks 党纪 / 政务
    处分 (``heavy`` the ones of form 3). Organisational measures are never person-times; their form
    is the one their severity matches (检查 and 通报 are criticism, 改组 a reorganisation).
    """

    name: str
    label: str
    form: int
    effect_months: int | None = None
    sanction: Sanction | None = None
    subject: Subject = "official"

    @property
    def heavy(self) -> bool:
        return self.sanction is not None and self.form == 3


_M = MeasureKindDecl
MEASURE_KIND_DECLS: dict[str, MeasureKindDecl] = {
    m.name: m
    for m in (
        # form 1
        _M("reminder_talk", "谈话提醒", 1),
        _M("warning_talk", "警示谈话", 1),
        _M("criticism_education", "批评教育", 1),
        _M("ordered_self_criticism", "责令检查", 1),
        _M("admonishment", "诫勉", 1, 6),
        _M("circulated_criticism", "通报批评", 1),
        _M("ordered_public_apology", "责令公开道歉", 1),
        _M("ordered_rectification_with_deadline", "限期整改", 1),
        # form 2
        _M("party_warning", "党内警告", 2, 12, "party"),
        _M("party_serious_warning", "党内严重警告", 2, 18, "party"),
        _M("gov_warning", "政务警告", 2, 6, "gov"),
        _M("gov_demerit", "记过", 2, 12, "gov"),
        _M("gov_major_demerit", "记大过", 2, 18, "gov"),
        _M("gov_demotion_in_grade", "降级", 2, 24, "gov"),
        _M("suspension_for_examination", "停职检查", 2, 6),
        _M("post_adjustment", "调整职务", 2, 12),
        _M("ordered_resignation", "责令辞职", 2, 12),
        _M("removal_from_office", "免职", 2, 12),
        # form 3
        _M("removal_from_party_posts", "撤销党内职务", 3, 24, "party"),
        _M("party_probation", "留党察看", 3, 24, "party"),
        _M("expulsion_from_party", "开除党籍", 3, 60, "party"),
        _M("gov_removal_from_post", "撤职", 3, 24, "gov"),
        _M("gov_expulsion", "开除", 3, PERMANENT, "gov"),
        _M("demotion_in_post", "降职", 3, 24),
        # measures on organisations
        _M("org_examination", "检查", 1, subject="organisation"),
        _M("org_circular", "通报", 1, subject="organisation"),
        _M("org_reorganization", "改组", 2, subject="organisation"),
    )
}
MEASURE_KIND = Vocabulary(tuple(Value(m.name, m.label) for m in MEASURE_KIND_DECLS.values()))

FORM_LABELS: dict[int, str] = {1: "第一种形态", 2: "第二种形态", 3: "第三种形态", 4: "第四种形态"}

# ---------------------------------------------------------------- derived values (not properties)

STAGE = _v(
    ("discovered", "发现问题"),
    ("feedback", "反馈"),
    ("rectifying", "整改中"),
    ("rectified", "整改完成"),
    ("accountability", "问责"),
    ("transferred", "移送"),
    ("closed", "办结"),
)
RESPONSIBILITY_BASIS = _v(("explicit", "明确认定"), ("principal_at_occurrence", "问题发生时的主要负责人"))
