"""The schema.model identifiers the demo writes, checked at import, and the demo's fixed ids and roles.

    >>> from loaders.demo.terms import PARTY_PRINCIPAL, ROAD_TRAFFIC_CAMPAIGN_ID
    >>> PARTY_PRINCIPAL, ROAD_TRAFFIC_CAMPAIGN_ID
    ('party_principal', 'CP-2023-ROAD-TRAFFIC')

Every enumeration value goes through ``_of``, so a value renamed in ``schema.model`` fails here, at
import, rather than as a rejected bundle. The measure pools group kinds the way the accountability
stage draws them.
"""

from __future__ import annotations

from schema.model import (
    ASSESSMENT_KINDS,
    CAMPAIGN_KINDS,
    CASE_KINDS,
    CLUE_DISPOSALS,
    DEADLINE_KINDS,
    DOCUMENT_KINDS,
    FEEDBACK_FORMS,
    GENDERS,
    INSPECTION_KINDS,
    ISSUE_STATUSES,
    MEASURE_KINDS,
    ORG_KINDS,
    POST_KINDS,
    RANKS,
    REGION_LEVELS,
    REPORT_FORMS,
    RESPONSIBILITY_KINDS,
    SEVERITIES,
    STEP_KINDS,
    STUDY_KINDS,
    TRANSFER_KINDS,
    TRANSFER_OUTCOMES,
)
from schema.rules import DISCIPLINE_TRANSFER


def _of(values: tuple[str, ...], *names: str) -> tuple[str, ...]:
    """The model's enum identifiers, checked at import so a renamed value fails loudly here."""
    missing = [n for n in names if n not in values]
    if missing:
        raise ValueError(f"loaders.demo uses {missing}, which schema.model does not declare")
    return names


PROVINCE, PREFECTURE, COUNTY, TOWNSHIP = _of(REGION_LEVELS, "province", "prefecture", "county", "township")
(
    K_PARTY_COMMITTEE,
    K_GOVERNMENT,
    K_DEPARTMENT,
    K_DISCIPLINE,
    K_ROL_OFFICE,
    K_PROCURATORATE,
    K_COURT,
    K_PUBLIC_SECURITY,
    K_TOWNSHIP,
    K_SUBDISTRICT,
    K_NEW_AREA_ADMIN,
    K_OTHER,
) = _of(
    ORG_KINDS,
    "party_committee",
    "government",
    "department",
    "discipline_commission",
    "rule_of_law_office",
    "procuratorate",
    "court",
    "public_security",
    "township",
    "subdistrict",
    "new_area_admin",
    "other",
)
MALE, FEMALE = _of(GENDERS, "male", "female")
PARTY_PRINCIPAL, GOV_PRINCIPAL, DEPUTY, TEAM_MEMBER, STAFF = _of(
    POST_KINDS, "party_principal", "gov_principal", "deputy", "team_member", "staff"
)
(R_PROV_P, R_PROV_D, R_BUREAU_P, R_BUREAU_D, R_COUNTY_P, R_COUNTY_D, R_TOWN_P, R_TOWN_D, R_STAFF) = _of(
    RANKS,
    "provincial_ministerial_principal",
    "provincial_ministerial_deputy",
    "bureau_principal",
    "bureau_deputy",
    "county_division_principal",
    "county_division_deputy",
    "township_section_principal",
    "township_section_deputy",
    "staff",
)
CENTRAL_GROUP, TRAINING_COURSE, LECTURE, ROTATION = _of(
    STUDY_KINDS, "central_group_study", "training_course", "lecture", "rotation_training"
)
F_WRITTEN, F_ON_SITE, F_THEMATIC, F_COMMISSION, F_ONLINE, F_YEAR_END = _of(
    REPORT_FORMS,
    "written",
    "on_site",
    "thematic_session",
    "commission_meeting",
    "online_live",
    "year_end_within_duty_report",
)
A_ROUTINE, A_ANNUAL = _of(ASSESSMENT_KINDS, "routine", "annual")
SPECIAL_CAMPAIGN, INSPECTION_PLAN = _of(CAMPAIGN_KINDS, "special_campaign", "inspection_plan")
I_COMPREHENSIVE, I_SPECIAL, I_FIELD = _of(INSPECTION_KINDS, "comprehensive", "special", "field")
MINOR, SERIOUS, MAJOR = _of(SEVERITIES, "minor", "serious", "major")
POINT_TO_POINT, BACK_TO_BACK = _of(FEEDBACK_FORMS, "point_to_point", "back_to_back")
IMMEDIATE, TIME_LIMITED, LONG_TERM = _of(DEADLINE_KINDS, "immediate", "time_limited", "long_term")
S_OPEN, S_RECTIFYING, S_RECTIFIED, S_VERIFIED, S_REOPENED = _of(
    ISSUE_STATUSES, "open", "rectifying", "rectified", "verified", "reopened"
)
(
    ST_INSTRUCTION,
    ST_PLAN,
    ST_WEEKLY,
    ST_MONTHLY,
    ST_DISPATCH,
    ST_NOTICE,
    ST_LETTER,
    ST_LOOK_BACK,
    ST_COMPLETION,
    ST_CLOSED,
) = _of(
    STEP_KINDS,
    "leader_instruction",
    "plan",
    "weekly_summary",
    "monthly_notice",
    "dispatch_meeting",
    "notice",
    "supervision_letter",
    "look_back",
    "completion_report",
    "closed",
)
TALK_OR_INQUIRY, PRELIMINARY, SHELVED, CLUE_CLOSED = _of(
    CLUE_DISPOSALS, "talk_or_written_inquiry", "preliminary_verification", "shelved_pending_investigation", "closed"
)
C_ACCOUNTABILITY, C_DISCIPLINARY, C_SUPERVISORY = _of(
    CASE_KINDS, "accountability", "disciplinary_review", "supervisory_investigation"
)
T_DISCIPLINE, T_JUDICIAL, T_PROCURATORATE = _of(
    TRANSFER_KINDS, "to_discipline_commission_for_filing", "to_judicial_organ", "to_procuratorate_for_prosecution"
)
O_PENDING, O_ACCEPTED, O_FILED, O_PROSECUTED, O_CONVICTED, O_RETURNED = _of(
    TRANSFER_OUTCOMES, "pending", "accepted", "case_filed", "prosecuted", "convicted", "returned"
)
D_NOTICE, D_BRIEFING, D_DECISION, D_LETTER, D_REPORT, D_OTHER = _of(
    DOCUMENT_KINDS, "notice", "briefing", "decision", "supervision_letter", "report", "other"
)
RESP_DIRECT, RESP_PRINCIPAL, RESP_IMPORTANT, RESP_OVERALL = _of(
    RESPONSIBILITY_KINDS, "direct", "principal_leadership", "important_leadership", "overall_leadership"
)
assert DISCIPLINE_TRANSFER == T_DISCIPLINE

# Measure pools (kinds checked against the model at import).
FORM1_POOL = _of(
    MEASURE_KINDS,
    "admonishment",
    "circulated_criticism",
    "criticism_education",
    "reminder_talk",
    "ordered_self_criticism",
    "warning_talk",
    "ordered_rectification_with_deadline",
    "ordered_public_apology",
)
FORM1_WEIGHTS = (30, 25, 20, 12, 8, 4, 4, 2)
ORG_HANDLING = _of(
    MEASURE_KINDS, "suspension_for_examination", "post_adjustment", "ordered_resignation", "removal_from_office"
)
DEMOTION = _of(MEASURE_KINDS, "demotion_in_post")[0]
PARTY_SANCTION_POOL = _of(
    MEASURE_KINDS, "party_warning", "party_serious_warning", "removal_from_party_posts", "party_probation"
)
GOV_SANCTION_POOL = _of(
    MEASURE_KINDS, "gov_warning", "gov_demerit", "gov_major_demerit", "gov_demotion_in_grade", "gov_removal_from_post"
)
EXPULSION, GOV_EXPULSION = _of(MEASURE_KINDS, "expulsion_from_party", "gov_expulsion")
ORG_MEASURES = _of(MEASURE_KINDS, "org_circular", "org_examination")

ROAD_TRAFFIC_CAMPAIGN_ID = "CP-2023-ROAD-TRAFFIC"
PROVINCIAL_COMMISSION_ID = "ORG-620000-ROL-COMMISSION"
PLAN_IDS = {2022: "CP-2022-INSPECTION-PLAN", 2023: "CP-2023-INSPECTION-PLAN"}

ROLE_CITY_COUNTY = "市县党政主要负责人及班子成员"
ROLE_DEPARTMENTS = "省市县部门主要负责人及班子成员"
ROLE_TOWNSHIP = "乡镇（街道）党政主要负责人"
ROLE_OTHER = "其他述法主体"

PROVINCE_CODE = "620000"
NEW_AREA_CODE = "620171"
