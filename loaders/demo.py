"""Synthetic Gansu 2023 demonstration data for the 学–述–考–督–责 chain (MODEL.md, "The seed's figures").

    >>> tables = generate("small")
    >>> tables["Campaign"].num_rows > 0 and ROAD_TRAFFIC_CAMPAIGN_ID in tables["Campaign"]["id"].to_pylist()
    True

``generate`` returns one ``pyarrow.Table`` per bundle file of CONTRACT §1 (node kinds and
relationship kinds, keyed by the file stem), every column a string exactly as a CSV cell reads:
dates ``YYYY-MM-DD``, booleans ``true``/``false``, numbers as decimal text, null for an empty cell.
The derived columns ``Measure.form`` and ``Measure.period_end`` are left to the loader.

The regions are Gansu's real divisions (embedded below, verbatim from
``shared/domain/gansu_divisions.csv``). Everything else is invented: townships, officials (names
drawn from surname and given-name pools; no real person), posts, events and the whole
accountability chain. At full scale the data reproduce the seed's 2023 figures exactly;
``EXPECTED`` lists, per scale, the figures a test should count.

The output depends only on ``scale`` and ``seed``: one ``random.Random(seed)`` is consumed in a
fixed order, nothing reads the clock, and no set of strings is ever iterated.
"""

from __future__ import annotations

import csv
import hashlib
import io
import random
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

import pyarrow as pa

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
    NODE_KINDS,
    ORG_KINDS,
    POST_KINDS,
    RANKS,
    REGION_LEVELS,
    REL_KINDS,
    REPORT_FORMS,
    RESPONSIBILITY_KINDS,
    SEVERITIES,
    STEP_KINDS,
    STUDY_KINDS,
    TRANSFER_KINDS,
    TRANSFER_OUTCOMES,
)
from schema.rules import (
    DISCIPLINE_TRANSFER,
    GOV_SANCTIONS,
    MEASURE_LABELS,
    PARTY_SANCTIONS,
    AccountabilityFacts,
    MeasureFact,
    TransferFact,
    count_four_forms,
)

__all__ = ["EXPECTED", "PROVINCIAL_COMMISSION_ID", "ROAD_TRAFFIC_CAMPAIGN_ID", "Scale", "generate"]

Scale = Literal["small", "full"]


def _of(values: tuple[str, ...], *names: str) -> tuple[str, ...]:
    """The model's enum identifiers, checked at import so a renamed value fails loudly here."""
    missing = [n for n in names if n not in values]
    if missing:
        raise ValueError(f"loaders.demo uses {missing}, which schema.model does not declare")
    return names


PROVINCE, PREFECTURE, COUNTY, TOWNSHIP = _of(REGION_LEVELS, "province", "prefecture", "county", "township")
(K_PARTY_COMMITTEE, K_GOVERNMENT, K_DEPARTMENT, K_DISCIPLINE, K_ROL_OFFICE, K_PROCURATORATE, K_COURT,
 K_PUBLIC_SECURITY, K_TOWNSHIP, K_SUBDISTRICT, K_NEW_AREA_ADMIN, K_OTHER) = _of(
    ORG_KINDS, "party_committee", "government", "department", "discipline_commission", "rule_of_law_office",
    "procuratorate", "court", "public_security", "township", "subdistrict", "new_area_admin", "other")
MALE, FEMALE = _of(GENDERS, "male", "female")
PARTY_PRINCIPAL, GOV_PRINCIPAL, DEPUTY, TEAM_MEMBER, STAFF = _of(
    POST_KINDS, "party_principal", "gov_principal", "deputy", "team_member", "staff")
(R_PROV_P, R_PROV_D, R_BUREAU_P, R_BUREAU_D, R_COUNTY_P, R_COUNTY_D, R_TOWN_P, R_TOWN_D, R_STAFF) = _of(
    RANKS, "provincial_ministerial_principal", "provincial_ministerial_deputy", "bureau_principal",
    "bureau_deputy", "county_division_principal", "county_division_deputy", "township_section_principal",
    "township_section_deputy", "staff")
CENTRAL_GROUP, TRAINING_COURSE, LECTURE, ROTATION = _of(
    STUDY_KINDS, "central_group_study", "training_course", "lecture", "rotation_training")
F_WRITTEN, F_ON_SITE, F_THEMATIC, F_COMMISSION, F_ONLINE, F_YEAR_END = _of(
    REPORT_FORMS, "written", "on_site", "thematic_session", "commission_meeting", "online_live",
    "year_end_within_duty_report")
A_ROUTINE, A_ANNUAL = _of(ASSESSMENT_KINDS, "routine", "annual")
SPECIAL_CAMPAIGN, INSPECTION_PLAN = _of(CAMPAIGN_KINDS, "special_campaign", "inspection_plan")
I_COMPREHENSIVE, I_SPECIAL, I_FIELD = _of(INSPECTION_KINDS, "comprehensive", "special", "field")
MINOR, SERIOUS, MAJOR = _of(SEVERITIES, "minor", "serious", "major")
POINT_TO_POINT, BACK_TO_BACK = _of(FEEDBACK_FORMS, "point_to_point", "back_to_back")
IMMEDIATE, TIME_LIMITED, LONG_TERM = _of(DEADLINE_KINDS, "immediate", "time_limited", "long_term")
S_OPEN, S_RECTIFYING, S_RECTIFIED, S_VERIFIED, S_REOPENED = _of(
    ISSUE_STATUSES, "open", "rectifying", "rectified", "verified", "reopened")
(ST_INSTRUCTION, ST_PLAN, ST_WEEKLY, ST_MONTHLY, ST_DISPATCH, ST_NOTICE, ST_LETTER, ST_LOOK_BACK, ST_COMPLETION,
 ST_CLOSED) = _of(STEP_KINDS, "leader_instruction", "plan", "weekly_summary", "monthly_notice",
                  "dispatch_meeting", "notice", "supervision_letter", "look_back", "completion_report", "closed")
TALK_OR_INQUIRY, PRELIMINARY, SHELVED, CLUE_CLOSED = _of(
    CLUE_DISPOSALS, "talk_or_written_inquiry", "preliminary_verification", "shelved_pending_investigation",
    "closed")
C_ACCOUNTABILITY, C_DISCIPLINARY, C_SUPERVISORY = _of(
    CASE_KINDS, "accountability", "disciplinary_review", "supervisory_investigation")
T_DISCIPLINE, T_JUDICIAL, T_PROCURATORATE = _of(
    TRANSFER_KINDS, "to_discipline_commission_for_filing", "to_judicial_organ", "to_procuratorate_for_prosecution")
O_PENDING, O_ACCEPTED, O_FILED, O_PROSECUTED, O_CONVICTED, O_RETURNED = _of(
    TRANSFER_OUTCOMES, "pending", "accepted", "case_filed", "prosecuted", "convicted", "returned")
D_NOTICE, D_BRIEFING, D_DECISION, D_LETTER, D_REPORT, D_OTHER = _of(
    DOCUMENT_KINDS, "notice", "briefing", "decision", "supervision_letter", "report", "other")
RESP_DIRECT, RESP_PRINCIPAL, RESP_IMPORTANT, RESP_OVERALL = _of(
    RESPONSIBILITY_KINDS, "direct", "principal_leadership", "important_leadership", "overall_leadership")
assert DISCIPLINE_TRANSFER == T_DISCIPLINE

# Measure pools (kinds checked against the model at import).
FORM1_POOL = _of(MEASURE_KINDS, "admonishment", "circulated_criticism", "criticism_education", "reminder_talk",
                 "ordered_self_criticism", "warning_talk", "ordered_rectification_with_deadline",
                 "ordered_public_apology")
FORM1_WEIGHTS = (30, 25, 20, 12, 8, 4, 4, 2)
ORG_HANDLING = _of(MEASURE_KINDS, "suspension_for_examination", "post_adjustment", "ordered_resignation",
                   "removal_from_office")
DEMOTION = _of(MEASURE_KINDS, "demotion_in_post")[0]
PARTY_SANCTION_POOL = _of(MEASURE_KINDS, "party_warning", "party_serious_warning", "removal_from_party_posts",
                          "party_probation")
GOV_SANCTION_POOL = _of(MEASURE_KINDS, "gov_warning", "gov_demerit", "gov_major_demerit",
                        "gov_demotion_in_grade", "gov_removal_from_post")
EXPULSION, GOV_EXPULSION = _of(MEASURE_KINDS, "expulsion_from_party", "gov_expulsion")
ORG_MEASURES = _of(MEASURE_KINDS, "org_circular", "org_examination")

ROAD_TRAFFIC_CAMPAIGN_ID = "CP-2023-ROAD-TRAFFIC"
PROVINCIAL_COMMISSION_ID = "ORG-620000-ROL-COMMISSION"
_PLAN_IDS = {2022: "CP-2022-INSPECTION-PLAN", 2023: "CP-2023-INSPECTION-PLAN"}

ROLE_CITY_COUNTY = "市县党政主要负责人及班子成员"
ROLE_DEPARTMENTS = "省市县部门主要负责人及班子成员"
ROLE_TOWNSHIP = "乡镇（街道）党政主要负责人"
ROLE_OTHER = "其他述法主体"

# What a test should count in the generated tables (see tests/unit/test_demo.py and
# tests/contract/test_demo_figures.py). The full-scale figures are the seed's; the small ones keep
# the same shape at a size a unit test loads in a blink.
EXPECTED: dict[str, dict[str, int]] = {
    "small": {
        "trained_officials": 300, "training_courses": 24, "lectures": 10,
        "duty_reporters": 98, "reporters_city_county": 16, "reporters_departments": 40,
        "reporters_township": 12, "reporters_other": 30, "reviewed_principals": 6,
        "inspections_comprehensive": 1, "inspections_special": 2,
        "campaign_held_accountable": 12, "campaign_sanctioned": 3, "campaign_transferred_to_discipline": 2,
        "campaign_transferred_to_judicial": 1, "campaign_exposed_cases": 2,
        "nodes": 1_167, "relationships": 2_049,
    },
    "full": {
        "trained_officials": 410_000, "training_courses": 4_012, "lectures": 1_618,
        "duty_reporters": 34_144, "reporters_city_county": 1_791, "reporters_departments": 20_176,
        "reporters_township": 5_565, "reporters_other": 6_612, "reviewed_principals": 61,
        "inspections_comprehensive": 4, "inspections_special": 11,
        "campaign_held_accountable": 267, "campaign_sanctioned": 30, "campaign_transferred_to_discipline": 37,
        "campaign_transferred_to_judicial": 3, "campaign_exposed_cases": 18,
        "nodes": 556_385, "relationships": 1_087_035,
    },
}

# ---------------------------------------------------------------- the real divisions

# Verbatim copy of shared/domain/gansu_divisions.csv (RESEARCH.md §8), so the generator needs no
# file outside the package. One row quotes a comma inside the English name.
_DIVISIONS_CSV = """\
code,name_zh,name_en,type,parent_code,parent_name_zh
620100,兰州市,Lanzhou City,prefecture_city,620000,甘肃省
620200,嘉峪关市,Jiayuguan City,prefecture_city_no_counties,620000,甘肃省
620300,金昌市,Jinchang City,prefecture_city,620000,甘肃省
620400,白银市,Baiyin City,prefecture_city,620000,甘肃省
620500,天水市,Tianshui City,prefecture_city,620000,甘肃省
620600,武威市,Wuwei City,prefecture_city,620000,甘肃省
620700,张掖市,Zhangye City,prefecture_city,620000,甘肃省
620800,平凉市,Pingliang City,prefecture_city,620000,甘肃省
620900,酒泉市,Jiuquan City,prefecture_city,620000,甘肃省
621000,庆阳市,Qingyang City,prefecture_city,620000,甘肃省
621100,定西市,Dingxi City,prefecture_city,620000,甘肃省
621200,陇南市,Longnan City,prefecture_city,620000,甘肃省
622900,临夏回族自治州,Linxia Hui Autonomous Prefecture,autonomous_prefecture,620000,甘肃省
623000,甘南藏族自治州,Gannan Tibetan Autonomous Prefecture,autonomous_prefecture,620000,甘肃省
620171,兰州新区,Lanzhou New Area,functional_zone_statistical_code,620100,兰州市
620102,城关区,Chengguan District,district,620100,兰州市
620103,七里河区,Qilihe District,district,620100,兰州市
620104,西固区,Xigu District,district,620100,兰州市
620105,安宁区,Anning District,district,620100,兰州市
620111,红古区,Honggu District,district,620100,兰州市
620121,永登县,Yongdeng County,county,620100,兰州市
620122,皋兰县,Gaolan County,county,620100,兰州市
620123,榆中县,Yuzhong County,county,620100,兰州市
620302,金川区,Jinchuan District,district,620300,金昌市
620321,永昌县,Yongchang County,county,620300,金昌市
620402,白银区,Baiyin District,district,620400,白银市
620403,平川区,Pingchuan District,district,620400,白银市
620421,靖远县,Jingyuan County,county,620400,白银市
620422,会宁县,Huining County,county,620400,白银市
620423,景泰县,Jingtai County,county,620400,白银市
620502,秦州区,Qinzhou District,district,620500,天水市
620503,麦积区,Maiji District,district,620500,天水市
620521,清水县,Qingshui County,county,620500,天水市
620522,秦安县,Qin'an County,county,620500,天水市
620523,甘谷县,Gangu County,county,620500,天水市
620524,武山县,Wushan County,county,620500,天水市
620525,张家川回族自治县,Zhangjiachuan Hui Autonomous County,autonomous_county,620500,天水市
620602,凉州区,Liangzhou District,district,620600,武威市
620621,民勤县,Minqin County,county,620600,武威市
620622,古浪县,Gulang County,county,620600,武威市
620623,天祝藏族自治县,Tianzhu Tibetan Autonomous County,autonomous_county,620600,武威市
620702,甘州区,Ganzhou District,district,620700,张掖市
620721,肃南裕固族自治县,Sunan Yugur Autonomous County,autonomous_county,620700,张掖市
620722,民乐县,Minle County,county,620700,张掖市
620723,临泽县,Linze County,county,620700,张掖市
620724,高台县,Gaotai County,county,620700,张掖市
620725,山丹县,Shandan County,county,620700,张掖市
620802,崆峒区,Kongtong District,district,620800,平凉市
620821,泾川县,Jingchuan County,county,620800,平凉市
620822,灵台县,Lingtai County,county,620800,平凉市
620823,崇信县,Chongxin County,county,620800,平凉市
620825,庄浪县,Zhuanglang County,county,620800,平凉市
620826,静宁县,Jingning County,county,620800,平凉市
620881,华亭市,Huating City,county_level_city,620800,平凉市
620902,肃州区,Suzhou District,district,620900,酒泉市
620921,金塔县,Jinta County,county,620900,酒泉市
620922,瓜州县,Guazhou County,county,620900,酒泉市
620923,肃北蒙古族自治县,Subei Mongol Autonomous County,autonomous_county,620900,酒泉市
620924,阿克塞哈萨克族自治县,Aksay Kazakh Autonomous County,autonomous_county,620900,酒泉市
620981,玉门市,Yumen City,county_level_city,620900,酒泉市
620982,敦煌市,Dunhuang City,county_level_city,620900,酒泉市
621002,西峰区,Xifeng District,district,621000,庆阳市
621021,庆城县,Qingcheng County,county,621000,庆阳市
621022,环县,Huan County,county,621000,庆阳市
621023,华池县,Huachi County,county,621000,庆阳市
621024,合水县,Heshui County,county,621000,庆阳市
621025,正宁县,Zhengning County,county,621000,庆阳市
621026,宁县,Ning County,county,621000,庆阳市
621027,镇原县,Zhenyuan County,county,621000,庆阳市
621102,安定区,Anding District,district,621100,定西市
621121,通渭县,Tongwei County,county,621100,定西市
621122,陇西县,Longxi County,county,621100,定西市
621123,渭源县,Weiyuan County,county,621100,定西市
621124,临洮县,Lintao County,county,621100,定西市
621125,漳县,Zhang County,county,621100,定西市
621126,岷县,Min County,county,621100,定西市
621202,武都区,Wudu District,district,621200,陇南市
621221,成县,Cheng County,county,621200,陇南市
621222,文县,Wen County,county,621200,陇南市
621223,宕昌县,Dangchang County,county,621200,陇南市
621224,康县,Kang County,county,621200,陇南市
621225,西和县,Xihe County,county,621200,陇南市
621226,礼县,Li County,county,621200,陇南市
621227,徽县,Hui County,county,621200,陇南市
621228,两当县,Liangdang County,county,621200,陇南市
622901,临夏市,Linxia City,county_level_city,622900,临夏回族自治州
622921,临夏县,Linxia County,county,622900,临夏回族自治州
622922,康乐县,Kangle County,county,622900,临夏回族自治州
622923,永靖县,Yongjing County,county,622900,临夏回族自治州
622924,广河县,Guanghe County,county,622900,临夏回族自治州
622925,和政县,Hezheng County,county,622900,临夏回族自治州
622926,东乡族自治县,Dongxiang Autonomous County,autonomous_county,622900,临夏回族自治州
622927,积石山保安族东乡族撒拉族自治县,"Jishishan Bonan, Dongxiang and Salar Autonomous County",autonomous_county,622900,临夏回族自治州
623001,合作市,Hezuo City,county_level_city,623000,甘南藏族自治州
623021,临潭县,Lintan County,county,623000,甘南藏族自治州
623022,卓尼县,Jonê (Zhuoni) County,county,623000,甘南藏族自治州
623023,舟曲县,Zhugqu (Zhouqu) County,county,623000,甘南藏族自治州
623024,迭部县,Têwo (Diebu) County,county,623000,甘南藏族自治州
623025,玛曲县,Maqu County,county,623000,甘南藏族自治州
623026,碌曲县,Luqu County,county,623000,甘南藏族自治州
623027,夏河县,Xiahe County,county,623000,甘南藏族自治州
"""  # noqa: E501  (verbatim file content)

_LEVEL_OF_TYPE = {
    "prefecture_city": PREFECTURE, "prefecture_city_no_counties": PREFECTURE,
    "autonomous_prefecture": PREFECTURE,
    # 兰州新区 carries a statistical code under 兰州市 but is run like a prefecture (党工委 + 管委会) and
    # reports beside the 14 市州 (seed: "14个市州、兰州新区"); the model makes it prefecture-level.
    "functional_zone_statistical_code": PREFECTURE,
    "district": COUNTY, "county": COUNTY, "autonomous_county": COUNTY, "county_level_city": COUNTY,
}
PROVINCE_CODE = "620000"
NEW_AREA_CODE = "620171"


def divisions() -> list[tuple[str, str, str, str]]:
    """(code, name, type, parent code) for each row of the divisions file, in file order.

    Tolerant of the two ways such a file breaks: a comma inside an unquoted English name (the
    type and parent are then read from the end of the row) and a line broken inside a value (a
    line that does not start with a 6-digit code continues the previous row).
    """
    rows: list[list[str]] = []
    for row in csv.reader(io.StringIO(_DIVISIONS_CSV)):
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


# ---------------------------------------------------------------- dates

def _d(y: int, m: int, d: int) -> int:
    return date(y, m, d).toordinal()


WINDOW_START, WINDOW_END = _d(2018, 1, 1), _d(2024, 12, 31)
YEAR_START, YEAR_END = _d(2023, 1, 1), _d(2023, 12, 31)
REVIEW_DAY = _d(2024, 1, 26)  # 省委全面依法治省委员会 meeting that reviewed the 61 述法 reports
_QUIET = (_d(2023, 10, 1), _d(2024, 3, 31))  # no succession in reviewed units around the review
_FIRST_START = (_d(2013, 1, 1), _d(2017, 12, 31))  # the 2018 holders were appointed before the window
_STAFF_START = (_d(2006, 1, 1), _d(2023, 6, 30))
_NEVER = 10**7
_ISO: dict[int, str] = {}


def _iso(o: int | None) -> str | None:
    if o is None:
        return None
    s = _ISO.get(o)
    if s is None:
        s = _ISO[o] = date.fromordinal(o).isoformat()
    return s


def _month_end(o: int) -> int:
    d = date.fromordinal(o)
    nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return nxt.toordinal() - 1


# ---------------------------------------------------------------- names and people

_SURNAMES = ("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶"
             "阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺"
             "赖龚文牛祁")


def _table(weighted: list[tuple[str, int]]) -> list[str]:
    """A lookup table drawing ``value`` with probability ∝ ``count``: uniform draws from it are fast."""
    return [v for v, n in weighted for _ in range(n)]


# common surnames first, about 1/(rank + 6) as often
_SURNAME_TABLE = _table([(c, round(600 / (i + 6))) for i, c in enumerate(_SURNAMES)])
_MALE_CHARS = "伟强磊军洋勇杰涛明超刚平辉斌鹏飞波海峰俊志国永建文东林成荣新德亮光天瑞翔宇鑫博诚毅兵浩宏"
_FEMALE_CHARS = "芳娜敏静丽艳秀霞桂英华玉兰萍红晨欣婷雪琳慧颖佳晓春云燕莉岚晶蓉倩梅琴丹娟"


def _given_table(chars: str) -> list[str]:
    """Given names of one or two characters: about 30% one (王芳), 70% two (王晓燕)."""
    doubles = [a + b for a in chars for b in chars if a != b]
    repeat = round(0.30 * len(doubles) / (0.70 * len(chars)))
    return _table([(c, repeat) for c in chars]) + doubles


_MALE_GIVEN = _given_table(_MALE_CHARS)
_FEMALE_GIVEN = _given_table(_FEMALE_CHARS)
_HUI_SURNAMES = "马马马马马丁白何穆冶韩妥沙"
_TIBETAN_A = ("扎西", "才让", "多杰", "尕藏", "旦正", "索南", "完玛", "华旦", "仁青", "桑杰", "贡保", "周加")
_TIBETAN_B = ("才让", "东智", "加措", "卓玛", "拉毛", "道吉", "草", "吉", "措", "太", "当周")
_HUI_STYLE = ("回族", "东乡族", "撒拉族", "保安族")

_ETHNIC_MIX: dict[str, tuple[tuple[str, float], ...]] = {
    "default": (("汉族", 96.5), ("回族", 2.5), ("藏族", 0.5), ("满族", 0.5)),
    "622900": (("回族", 45), ("汉族", 35), ("东乡族", 15), ("撒拉族", 3), ("保安族", 2)),
    "623000": (("藏族", 55), ("汉族", 38), ("回族", 7)),
    "620623": (("藏族", 35), ("汉族", 60), ("土族", 5)),
    "620525": (("回族", 60), ("汉族", 40)),
    "620721": (("裕固族", 30), ("汉族", 60), ("藏族", 10)),
    "620923": (("蒙古族", 35), ("汉族", 65)),
    "620924": (("哈萨克族", 35), ("汉族", 65)),
    "622926": (("东乡族", 80), ("回族", 10), ("汉族", 10)),
    "622927": (("保安族", 10), ("东乡族", 25), ("撒拉族", 15), ("回族", 20), ("汉族", 30)),
}
_ETHNIC_TABLE = {k: _table([(e, round(w * 2)) for e, w in v]) for k, v in _ETHNIC_MIX.items()}
# 宪法 art. 114 and the autonomy law: the head of an autonomous area's government is a citizen of
# the autonomous nationality (RESEARCH.md §7.2).
_GOVERNOR_ETHNICITY = {"622900": "回族", "623000": "藏族", "620623": "藏族", "620525": "回族",
                       "620721": "裕固族", "620923": "蒙古族", "620924": "哈萨克族", "622926": "东乡族",
                       "622927": "保安族"}

# ---------------------------------------------------------------- organisations

# (key, name suffix, principal title, side): gov = 党组书记 + 行政首长; psb = 党委书记 + 首长 (always
# 一肩挑); party = 党委工作部门 with one principal.
_PROVINCE_DEPTS = (
    ("ndrc", "发展和改革委员会", "主任", "gov"), ("education", "教育厅", "厅长", "gov"),
    ("science", "科学技术厅", "厅长", "gov"), ("industry", "工业和信息化厅", "厅长", "gov"),
    ("ethnic", "民族事务委员会", "主任", "gov"), ("psb", "公安厅", "厅长", "psb"),
    ("civil", "民政厅", "厅长", "gov"), ("justice", "司法厅", "厅长", "gov"),
    ("finance", "财政厅", "厅长", "gov"), ("hrss", "人力资源和社会保障厅", "厅长", "gov"),
    ("land", "自然资源厅", "厅长", "gov"), ("ecology", "生态环境厅", "厅长", "gov"),
    ("housing", "住房和城乡建设厅", "厅长", "gov"), ("transport", "交通运输厅", "厅长", "gov"),
    ("water", "水利厅", "厅长", "gov"), ("agriculture", "农业农村厅", "厅长", "gov"),
    ("commerce", "商务厅", "厅长", "gov"), ("culture", "文化和旅游厅", "厅长", "gov"),
    ("health", "卫生健康委员会", "主任", "gov"), ("veterans", "退役军人事务厅", "厅长", "gov"),
    ("emergency", "应急管理厅", "厅长", "gov"), ("audit", "审计厅", "厅长", "gov"),
    ("sasac", "人民政府国有资产监督管理委员会", "主任", "gov"), ("market", "市场监督管理局", "局长", "gov"),
    ("forestry", "林业和草原局", "局长", "gov"), ("medical", "医疗保障局", "局长", "gov"),
    ("statistics", "统计局", "局长", "gov"), ("petition", "信访局", "局长", "gov"),
    ("drug", "药品监督管理局", "局长", "gov"), ("sport", "体育局", "局长", "gov"),
    ("energy", "能源局", "局长", "gov"),
    ("general_office", "办公厅", "主任", "party"), ("organisation", "组织部", "部长", "party"),
    ("propaganda", "宣传部", "部长", "party"), ("united_front", "统战部", "部长", "party"),
    ("political_legal", "政法委员会", "书记", "party"),
    ("cyberspace", "网络安全和信息化委员会办公室", "主任", "party"),
    ("staffing", "机构编制委员会办公室", "主任", "party"),
)
_PREFECTURE_DEPTS = (
    ("ndrc", "发展和改革委员会", "主任", "gov"), ("education", "教育局", "局长", "gov"),
    ("industry", "工业和信息化局", "局长", "gov"), ("psb", "公安局", "局长", "psb"),
    ("civil", "民政局", "局长", "gov"), ("justice", "司法局", "局长", "gov"),
    ("finance", "财政局", "局长", "gov"), ("hrss", "人力资源和社会保障局", "局长", "gov"),
    ("land", "自然资源局", "局长", "gov"), ("ecology", "生态环境局", "局长", "gov"),
    ("housing", "住房和城乡建设局", "局长", "gov"), ("transport", "交通运输局", "局长", "gov"),
    ("water", "水务局", "局长", "gov"), ("agriculture", "农业农村局", "局长", "gov"),
    ("commerce", "商务局", "局长", "gov"), ("culture", "文化和旅游局", "局长", "gov"),
    ("health", "卫生健康委员会", "主任", "gov"), ("veterans", "退役军人事务局", "局长", "gov"),
    ("emergency", "应急管理局", "局长", "gov"), ("audit", "审计局", "局长", "gov"),
    ("market", "市场监督管理局", "局长", "gov"), ("forestry", "林业和草原局", "局长", "gov"),
    ("medical", "医疗保障局", "局长", "gov"), ("statistics", "统计局", "局长", "gov"),
    ("petition", "信访局", "局长", "gov"),
    ("general_office", "办公室", "主任", "party"), ("organisation", "组织部", "部长", "party"),
    ("propaganda", "宣传部", "部长", "party"), ("united_front", "统战部", "部长", "party"),
    ("political_legal", "政法委员会", "书记", "party"),
)
_COUNTY_DEPTS = (
    ("ndrc", "发展和改革局", "局长", "gov"), ("education", "教育局", "局长", "gov"),
    ("psb", "公安局", "局长", "psb"), ("civil", "民政局", "局长", "gov"),
    ("justice", "司法局", "局长", "gov"), ("finance", "财政局", "局长", "gov"),
    ("hrss", "人力资源和社会保障局", "局长", "gov"), ("land", "自然资源局", "局长", "gov"),
    ("housing", "住房和城乡建设局", "局长", "gov"), ("transport", "交通运输局", "局长", "gov"),
    ("water", "水务局", "局长", "gov"), ("agriculture", "农业农村局", "局长", "gov"),
    ("health", "卫生健康局", "局长", "gov"), ("emergency", "应急管理局", "局长", "gov"),
    ("audit", "审计局", "局长", "gov"), ("market", "市场监督管理局", "局长", "gov"),
    ("forestry", "林业和草原局", "局长", "gov"), ("medical", "医疗保障局", "局长", "gov"),
    ("general_office", "办公室", "主任", "party"), ("organisation", "组织部", "部长", "party"),
    ("propaganda", "宣传部", "部长", "party"),
)
_NEW_AREA_DEPTS = ("ndrc", "education", "psb", "justice", "finance", "land", "ecology", "housing", "transport",
                   "market", "emergency", "organisation")

# Staff titles by the rank drawn for a staff member; police and transport enforcement get their own.
_STAFF_RANK_TABLE = _table([(R_STAFF, 13), (R_TOWN_D, 4), (R_TOWN_P, 2), (R_COUNTY_D, 1)])
_STAFF_TITLES = {
    "default": {R_STAFF: ("一级科员", "二级科员", "科员", "办事员"),
                R_TOWN_D: ("四级主任科员", "三级主任科员", "副科长"),
                R_TOWN_P: ("二级主任科员", "一级主任科员", "科长"),
                R_COUNTY_D: ("四级调研员", "三级调研员", "副处长")},
    "psb": {R_STAFF: ("民警", "交警大队民警", "二级警员", "一级警员"),
            R_TOWN_D: ("二级警长", "交警中队副中队长"), R_TOWN_P: ("一级警长", "交警中队中队长"),
            R_COUNTY_D: ("交警支队副支队长", "三级高级警长")},
    "transport": {R_STAFF: ("交通运输综合执法队员", "路政员", "科员"),
                  R_TOWN_D: ("执法中队副中队长", "四级主任科员"), R_TOWN_P: ("执法中队中队长", "科长"),
                  R_COUNTY_D: ("执法支队副支队长", "四级调研员")},
}

# ---------------------------------------------------------------- 督 and 责 vocabulary

_RT_ISSUES = (  # (category, severity weights minor/serious/major, details)
    ("逐利执法", (2, 5, 1), ("违规设定罚没收入指标", "对货运车辆重复处罚", "以罚代管、只罚不纠")),
    ("执法不规范", (5, 3, 0), ("执法记录仪未全程开启", "执法文书填写不规范", "未依法告知当事人陈述申辩权利")),
    ("超范围执法", (3, 4, 1), ("超越职权扣留车辆", "对非管辖路段车辆实施检查")),
    ("执法方式简单僵化", (5, 2, 0), ("对轻微违法一律顶格处罚", "未落实首违不罚清单")),
    ("执法粗暴", (2, 4, 1), ("执法过程中态度粗暴、言语不文明", "暴力拦截车辆")),
    ("执法“寻租”", (0, 2, 4), ("收受好处费后减免处罚", "与停车场勾连收取高额停车费")),
)
_COMPREHENSIVE_ISSUES = (
    ("法治建设第一责任人职责落实不到位", (3, 3, 0), ("党政主要负责人未专题研究法治建设工作", "年度述法报告内容空泛")),
    ("重大行政决策合法性审查不到位", (2, 4, 1), ("重大行政决策未经合法性审查即提交审议", "未建立重大行政决策目录")),
    ("规范性文件备案审查不规范", (4, 2, 0), ("规范性文件未按期报备", "清理规范性文件不及时")),
    ("行政执法“三项制度”落实不到位", (4, 3, 0), ("重大执法决定法制审核流于形式", "执法公示信息更新不及时")),
    ("普法责任制落实不到位", (5, 1, 0), ("“谁执法谁普法”责任清单未落实", "普法工作无年度计划")),
    ("行政复议应诉工作不规范", (3, 3, 0), ("行政机关负责人出庭应诉率偏低", "行政复议决定履行不到位")),
)
_THEME_ISSUES = {
    "食品药品": (("食品药品执法不严", (2, 4, 1), ("对无证经营长期未予查处", "抽检不合格产品处置不及时")),),
    "行政复议": (("行政复议体制改革不到位", (3, 3, 0), ("复议职责整合后人员未到位", "复议案件超期办理")),),
    "营商环境": (("营商环境法治保障不足", (3, 3, 1), ("涉企检查频次过多", "违规设置市场准入门槛")),
                ("涉企执法不规范", (3, 3, 0), ("对企业轻微违法未适用免罚清单",)),),
    "黄河": (("生态保护执法不力", (2, 4, 1), ("河道违法采砂查处不力", "排污口整治不到位")),),
    "保供": (("基本生活保供执法不到位", (4, 2, 0), ("价格监测预警机制未落实", "储备粮监管存在漏洞")),),
    "耕地": (("耕地占用补偿不到位", (2, 4, 1), ("占补平衡项目验收不严", "违法占用耕地查处不及时")),),
    "安全生产": (("安全生产执法宽松软", (2, 4, 1), ("重大隐患整改未跟踪到位", "执法检查走过场")),),
}
_SPECIAL_THEMES = (  # (title, start, end, theme key, department keys inspected)
    ("食品药品领域执法专项督察", (3, 13), (3, 24), "食品药品", ("market", "drug")),
    ("行政复议体制改革专项督察", (4, 17), (4, 28), "行政复议", ("justice",)),
    ("优化法治化营商环境专项督察", (5, 22), (6, 2), "营商环境", ("ndrc", "market", "commerce")),
    ("《甘肃省黄河流域生态保护条例》实施情况专项督察", (7, 3), (7, 14), "黄河", ("ecology", "water")),
    ("“米袋子”“菜篮子”“果盘子”基本生活保供专项督察", (8, 7), (8, 18), "保供", ("agriculture", "commerce")),
    ("耕地占用补偿制度落实情况专项督察", (9, 4), (9, 15), "耕地", ("land", "agriculture")),
    ("安全生产领域执法专项督察", (11, 6), (11, 17), "安全生产", ("emergency",)),
)
_COMPREHENSIVE = (
    ("2023年全省市县法治建设全面督察", (6, 5), (6, 20)),
    ("2023年法治政府建设全面督察", (8, 14), (8, 25)),
    ("“一规划两方案”落实情况全面督察", (9, 11), (9, 22)),
    ("“八五”普法规划实施情况全面督察", (10, 16), (10, 27)),
)
_RT_WINDOWS = (((4, 10), (4, 21)), ((5, 15), (5, 26)), ((6, 12), (6, 23)), ((7, 10), (7, 21)))
_RT_REGIONS = (  # the four 片区 of the road-traffic inspections at full scale
    ("河西片区", ("620200", "620300", "620600", "620700", "620900")),
    ("陇中片区", ("620100", "620171", "620400", "621100")),
    ("陇东片区", ("620500", "620800", "621000")),
    ("陇南及民族地区片区", ("621200", "622900", "623000")),
)
_DOC_ABBR = {"620000": "甘", "620100": "兰", "620171": "兰新", "620200": "嘉", "620300": "金", "620400": "白",
             "620500": "天", "620600": "武", "620700": "张", "620800": "平", "620900": "酒", "621000": "庆",
             "621100": "定", "621200": "陇", "622900": "临", "623000": "南"}
_EXPOSURE_CHANNELS = ("甘肃省纪委监委网站", "法治甘肃微信公众号", "甘肃日报", "甘肃政法网")
_REVIEW_COMMENTS = (
    "述法报告内容全面，第一责任人职责履行到位，建议在重大行政决策合法性审查上再加力。",
    "对法治督察反馈问题整改较为扎实，述法重点突出，下一步要强化行政执法监督。",
    "学习贯彻习近平法治思想有举措，但对基层法治建设指导不够，需补齐短板。",
    "述法实事求是，问题查摆较深，整改措施具体可行。",
    "法治政府建设推进有力，道路交通领域执法突出问题整改成效明显。",
)
_COURSE_THEMES = ("习近平法治思想专题培训班", "习近平法治思想专题研讨班", "领导干部依法行政能力提升培训班",
                  "行政执法人员法治素养培训班", "法治政府建设专题培训班", "基层法治建设骨干培训班")
_LECTURE_THEMES = ("习近平法治思想辅导讲座", "宪法专题辅导讲座", "民法典专题辅导讲座", "行政复议法专题辅导讲座",
                   "党内法规专题讲座", "法治政府建设专题讲座")


# ---------------------------------------------------------------- parameters per scale

@dataclass(frozen=True)
class _Params:
    prefectures: tuple[str, ...] | None  # None: every prefecture-level unit
    counties: tuple[str, ...] | None
    townships: tuple[int, int]  # per county
    zone_townships: int  # townships directly under 嘉峪关 and 兰州新区
    province_depts: tuple[str, ...] | None
    prefecture_depts: tuple[str, ...] | None
    county_depts: tuple[str, ...] | None
    pc_team: tuple[int, int]
    gov_deputies: tuple[int, int]
    dept_deputies: tuple[int, int]
    dept_team: tuple[int, int]
    twp_deputies: tuple[int, int]
    twp_team: tuple[int, int]
    other_deputies: tuple[int, int]
    other_team: tuple[int, int]
    staff_total: int
    central_sessions: int
    rotation_sessions: int
    review_depts: tuple[str, ...]
    review_separate_dept: str  # the one reviewed department whose 党组书记 and 厅长 are two people
    comprehensive: int
    special_themes: int
    rt_inspections: int
    comprehensive_counties: int
    issues: dict[str, int]  # per inspection: comprehensive, rt, special, field_2022
    other_cases_2023: int
    cases_2022: int
    expected: dict[str, int] = field(default_factory=dict)


_PARAMS: dict[str, _Params] = {
    "small": _Params(
        prefectures=("620100",), counties=("620102", "620121"), townships=(2, 2), zone_townships=0,
        province_depts=("transport", "psb", "justice", "finance", "organisation"),
        prefecture_depts=("transport", "psb", "justice", "organisation"),
        county_depts=("transport", "psb", "justice"),
        pc_team=(2, 2), gov_deputies=(2, 2), dept_deputies=(1, 2), dept_team=(1, 1), twp_deputies=(1, 1),
        twp_team=(1, 1), other_deputies=(1, 1), other_team=(0, 1), staff_total=420,
        central_sessions=1, rotation_sessions=1,
        review_depts=("transport", "justice", "finance"), review_separate_dept="finance",
        comprehensive=1, special_themes=1, rt_inspections=1, comprehensive_counties=2,
        issues={"comprehensive": 4, "rt": 8, "special": 2, "field_2022": 2}, other_cases_2023=2, cases_2022=1,
        expected=EXPECTED["small"],
    ),
    "full": _Params(
        prefectures=None, counties=None, townships=(8, 16), zone_townships=6,
        province_depts=None, prefecture_depts=None, county_depts=None,
        pc_team=(8, 9), gov_deputies=(6, 8), dept_deputies=(4, 6), dept_team=(3, 5), twp_deputies=(2, 3),
        twp_team=(2, 3), other_deputies=(2, 4), other_team=(1, 3), staff_total=420_000,
        central_sessions=2, rotation_sessions=4,
        review_depts=tuple(k for k, _, _, side in _PROVINCE_DEPTS if side != "party" and k != "energy"),
        review_separate_dept="education",
        comprehensive=4, special_themes=7, rt_inspections=4, comprehensive_counties=20,
        issues={"comprehensive": 25, "rt": 40, "special": 12, "field_2022": 15}, other_cases_2023=10,
        cases_2022=3, expected=EXPECTED["full"],
    ),
}


# ---------------------------------------------------------------- entry point

def generate(scale: Scale = "small", seed: int = 2023) -> dict[str, pa.Table]:
    """The demonstration graph as one string table per bundle file (CONTRACT §1).

    Same ``scale`` and ``seed``, same tables. ``EXPECTED[scale]`` holds the figures to count.
    """
    if scale not in _PARAMS:
        raise ValueError(f"scale must be 'small' or 'full', not {scale!r}")
    return _Generator(_PARAMS[scale], random.Random(seed)).run()


# ---------------------------------------------------------------- table building

def _cell(v: Any) -> str | None:
    if v is None or isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(round(v, 2))
    raise TypeError(f"cannot write {v!r} as a bundle cell")


class _Columns:
    """Column lists per bundle file; rows are appended, each table is built once at the end."""

    def __init__(self) -> None:
        self.data: dict[str, dict[str, list[str | None]]] = {}
        for name, nk in NODE_KINDS.items():
            cols = ["id", *(p.name for p in nk.properties.values() if not p.derived)]
            self.data[name] = {c: [] for c in cols}
        for name, rk in REL_KINDS.items():
            self.data[name] = {c: [] for c in ("from", "to", *rk.properties)}

    def node(self, node_kind: str, id_: str, /, **props: Any) -> str:
        cols = self.data[node_kind]
        for k in props:
            if k not in cols:
                raise KeyError(f"{node_kind} has no column {k}")
        for c, lst in cols.items():
            lst.append(id_ if c == "id" else _cell(props.get(c)))
        return id_

    def rel(self, rel_kind: str, frm: str, to: str, /, **props: Any) -> None:
        cols = self.data[rel_kind]
        for k in props:
            if k not in cols:
                raise KeyError(f"{rel_kind} has no column {k}")
        for c, lst in cols.items():
            lst.append(frm if c == "from" else to if c == "to" else _cell(props.get(c)))

    def tables(self) -> dict[str, pa.Table]:
        return {name: pa.table({c: pa.array(v, type=pa.string()) for c, v in cols.items()})
                for name, cols in self.data.items()}


# ---------------------------------------------------------------- the model's pieces

class _Region:
    __slots__ = ("code", "name", "level", "parent", "dtype", "prefecture", "eth_key")

    def __init__(self, code: str, name: str, level: str, parent: str | None, dtype: str, prefecture: str,
                 eth_key: str) -> None:
        self.code, self.name, self.level, self.parent = code, name, level, parent
        self.dtype, self.prefecture, self.eth_key = dtype, prefecture, eth_key


class _Org:
    __slots__ = ("id", "name", "kind", "level", "region", "group", "unit", "key", "staff_titles", "eth_key")

    def __init__(self, id_: str, name: str, kind: str, level: str, region: _Region, unit: str, key: str,
                 staff_titles: str = "default") -> None:
        self.id, self.name, self.kind, self.level, self.region = id_, name, kind, level, region
        self.group = region.prefecture  # the prefecture-level unit (or the province) it belongs to
        self.unit, self.key, self.staff_titles, self.eth_key = unit, key, staff_titles, region.eth_key


class _Slot:
    """One position (书记 of 兰州市委, a 副局长 of 永登县交通运输局 …) and the rows each holder gets."""

    __slots__ = ("org", "rows", "rank", "role", "category", "tenure", "acting_title", "acting_p", "ethnicity",
                 "quiet", "lagged")

    def __init__(self, org: _Org, rows: list[tuple[str, str, str, bool]], rank: str, role: str, category: str,
                 tenure: tuple[int, int], acting_title: str | None = None, acting_p: float = 0.0,
                 ethnicity: str | None = None, quiet: bool = False) -> None:
        self.org, self.rows, self.rank, self.role, self.category = org, rows, rank, role, category
        self.tenure, self.acting_title, self.acting_p = tenure, acting_title, acting_p
        self.ethnicity, self.quiet = ethnicity, quiet
        self.lagged = any(r[3] for r in rows)


class _Tenure:
    __slots__ = ("idx", "slot", "first", "start", "lag", "end", "last_day", "acting_end", "root")

    def __init__(self, idx: int, slot: _Slot, start: int, first: bool) -> None:
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
class _IssueRec:
    id: str
    org: _Org
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
class _CaseSpec:
    persons: list[list[str]]  # measure kinds per subject, in order (empty: transfer only)
    transfers: list[str]
    kind: str
    tier: int  # 0 judicial, 1 discipline, 2 sanction, 3 other
    via_clue: bool
    cleared: int = 0  # extra subjects concerned but cleared (no measure, no transfer)
    org_measure: str | None = None
    exposed: bool = False


_RANK_BY_LEVEL = {  # (lead principal, lead deputy, unit principal, unit deputy)
    PROVINCE: (R_PROV_P, R_PROV_D, R_BUREAU_P, R_BUREAU_D),
    PREFECTURE: (R_BUREAU_P, R_BUREAU_D, R_COUNTY_P, R_COUNTY_D),
    COUNTY: (R_COUNTY_P, R_COUNTY_D, R_TOWN_P, R_TOWN_D),
    TOWNSHIP: (R_TOWN_P, R_TOWN_D, R_TOWN_D, R_TOWN_D),
}
_RANK_INDEX = {r: i for i, r in enumerate(RANKS)}
_PRINCIPAL_TENURE = (730, 1800)
_DEPUTY_TENURE = (900, 2200)


# ---------------------------------------------------------------- the generator

class _Generator:
    def __init__(self, p: _Params, rng: random.Random) -> None:
        self.p, self.rng = p, rng
        self.t = _Columns()
        self.regions: dict[str, _Region] = {}
        self.orgs: list[_Org] = []
        self.units: dict[str, dict[str, _Org]] = defaultdict(dict)  # unit code -> key -> org
        self.slots: list[_Slot] = []
        self.review_orgs: list[_Org] = []
        self.tenures: list[_Tenure] = []
        self.n_leaders = 0
        self.leader_rows: list[tuple[int, str, str, str, bool, int, int | None, _Slot]] = []
        self.rows_by_org: dict[str, list[tuple[int, str, int, int | None]]] = defaultdict(list)
        self.principal_successions: dict[str, list[int]] = defaultdict(list)
        self.staff_org: list[int] = []
        self.staff_start: list[int] = []
        self.staff_end: list[int | None] = []
        self.staff_rank: list[str] = []
        self.official_ids: list[str] = []
        self.official_names: list[str] = []
        self.staff_by_org: dict[str, list[tuple[int, int, int | None]]] | None = None
        self.doc_seq = 0
        self.doc_numbers: dict[tuple[str, int], int] = defaultdict(int)
        self.monthly_docs: dict[tuple[int, int], str] = {}
        self.used_subjects: set[int] = set()
        self.campaign_facts = AccountabilityFacts()
        self.seq: dict[str, int] = defaultdict(int)

    def next_id(self, prefix: str, width: int = 4) -> str:
        self.seq[prefix] += 1
        return f"{prefix}-{self.seq[prefix]:0{width}d}"

    def run(self) -> dict[str, pa.Table]:
        self._regions()
        self._organisations()
        self._leaders()
        self._staff()
        self._officials()
        self._study()
        self._duty_reports()
        self._assessments()
        self._supervision()
        return self.t.tables()

    # ------------------------------------------------------------ regions

    def _regions(self) -> None:
        p, rng, t = self.p, self.rng, self.t
        prov = _Region(PROVINCE_CODE, "甘肃省", PROVINCE, None, "province", PROVINCE_CODE, "default")
        self.regions[prov.code] = prov
        t.node("Region", prov.code, name=prov.name, level=PROVINCE)
        for code, name, dtype, parent in divisions():
            if dtype not in _LEVEL_OF_TYPE:
                raise ValueError(f"divisions: unknown type {dtype!r} for {code}")
            level = _LEVEL_OF_TYPE[dtype]
            if level == PREFECTURE:
                parent = PROVINCE_CODE  # also for 兰州新区 (see _LEVEL_OF_TYPE)
                if p.prefectures is not None and code not in p.prefectures:
                    continue
            elif p.counties is not None and code not in p.counties:
                continue
            if parent not in self.regions:
                continue
            pref = code if level == PREFECTURE else self.regions[parent].prefecture
            eth = code if code in _ETHNIC_MIX else pref if pref in _ETHNIC_MIX else "default"
            r = _Region(code, name, level, parent, dtype, pref, eth)
            self.regions[code] = r
            t.node("Region", code, name=name, level=level)
            t.rel("PART_OF", code, parent)
        for r in list(self.regions.values()):
            if r.level == COUNTY:
                self._townships(r, rng.randint(*p.townships), r.code)
            elif r.dtype in ("prefecture_city_no_counties", "functional_zone_statistical_code") and p.zone_townships:
                # 嘉峪关 has no counties: NBS files its townships under the virtual code 620201.
                self._townships(r, p.zone_townships, "620201" if r.code == "620200" else r.code)

    def _townships(self, r: _Region, n: int, base: str) -> None:
        rng = self.rng
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
            tr = _Region(code, nm + suffix, TOWNSHIP, r.code, suffix, r.prefecture, r.eth_key)
            self.regions[code] = tr
            self.t.node("Region", code, name=tr.name, level=TOWNSHIP)
            self.t.rel("PART_OF", code, r.code)

    # ------------------------------------------------------------ organisations and positions

    def _org(self, id_: str, name: str, kind: str, region: _Region, unit: str, key: str,
             under: _Org | None = None, staff_titles: str = "default") -> _Org:
        o = _Org(id_, name, kind, region.level, region, unit, key, staff_titles)
        self.orgs.append(o)
        self.units[unit][key] = o
        self.t.node("Organisation", id_, name=name, kind=kind, level=region.level)
        self.t.rel("IN_REGION", id_, region.code)
        if under is not None:
            self.t.rel("UNDER", id_, under.id)
        return o

    def _slot(self, org: _Org, rows: list[tuple[str, str, str, bool]], rank: str, role: str, category: str,
              **kw: Any) -> _Slot:
        tenure = kw.pop("tenure", _PRINCIPAL_TENURE if role == "principal" else _DEPUTY_TENURE)
        s = _Slot(org, rows, rank, role, category, tenure, **kw)
        self.slots.append(s)
        return s

    def _organisations(self) -> None:
        for r in list(self.regions.values()):
            if r.level in (PROVINCE, PREFECTURE, COUNTY):
                self._unit(r)
        for r in list(self.regions.values()):
            if r.level == TOWNSHIP:
                self._township_org(r)

    def _unit(self, r: _Region) -> None:
        """The party committee, government, commissions, courts and departments of one region."""
        p, rng = self.p, self.rng
        code, level, name = r.code, r.level, r.name
        new_area = code == NEW_AREA_CODE
        parent = self.units.get(r.parent or "", {})
        if level == PROVINCE:
            c = "省"
        elif new_area:
            c = "区"
        elif level == PREFECTURE:
            c = "州" if name.endswith("州") else "市"
        else:
            c = name[-1]
        lead_p, lead_d, unit_p, unit_d = _RANK_BY_LEVEL[level]
        lead_cat = "province_leadership" if level == PROVINCE else "leadership"
        reviewed = level == PREFECTURE  # the 14 市州 and 兰州新区: both principals report to the commission

        pc_name = "中共兰州新区工作委员会" if new_area else f"中共{name}委"
        pc = self._org(f"ORG-{code}-PC", pc_name, K_PARTY_COMMITTEE, r, code, "pc", parent.get("pc"))
        if new_area:
            gov = self._org(f"ORG-{code}-ADMIN", "兰州新区管理委员会", K_NEW_AREA_ADMIN, r, code, "gov",
                            parent.get("gov"))
        else:
            gov = self._org(f"ORG-{code}-GOV", f"{name}人民政府", K_GOVERNMENT, r, code, "gov", parent.get("gov"))
        if reviewed:
            self.review_orgs += [pc, gov]
        commission = None
        if level == PROVINCE:
            commission = self._org(PROVINCIAL_COMMISSION_ID, "中共甘肃省委全面依法治省委员会", K_OTHER, r, code,
                                   "commission", pc)
        dc = self._org(f"ORG-{code}-DC", "兰州新区纪工委监察工委" if new_area else f"{name}纪委监委", K_DISCIPLINE,
                       r, code, "dc", parent.get("dc"))
        rol = self._org(f"ORG-{code}-ROL", f"{pc_name}全面依法治{c}委员会办公室", K_ROL_OFFICE, r, code, "rol",
                        commission or pc)
        others = [dc, rol]
        if not new_area:
            others.append(self._org(f"ORG-{code}-PROC", f"{name}人民检察院", K_PROCURATORATE, r, code, "proc",
                                    parent.get("proc")))
            court_name = {PROVINCE: "高级人民法院", PREFECTURE: "中级人民法院"}.get(level, "人民法院")
            others.append(self._org(f"ORG-{code}-COURT", f"{name}{court_name}", K_COURT, r, code, "court"))
            if level != COUNTY:
                school = "中共甘肃省委党校（甘肃行政学院）" if level == PROVINCE else f"{pc_name}党校"
                others.append(self._org(f"ORG-{code}-SCHOOL", school, K_OTHER, r, code, "school", pc))

        # 党委 and 政府 (人民政府 / 管委会) leadership
        sec = "党工委书记" if new_area else f"{c}委书记"
        dep_sec = "党工委副书记" if new_area else f"{c}委副书记"
        standing = "党工委委员" if new_area else f"{c}委常委"
        head = "管委会主任" if new_area else f"{c}长"
        rows = [(pc.id, sec, PARTY_PRINCIPAL, False)]
        if commission is not None:
            rows.append((commission.id, "主任", PARTY_PRINCIPAL, False))
        self._slot(pc, rows, lead_p, "principal", lead_cat, quiet=reviewed)
        rows = [(gov.id, head, GOV_PRINCIPAL, False), (pc.id, dep_sec, DEPUTY, False)]
        if commission is not None:
            rows.append((commission.id, "副主任", DEPUTY, False))
        self._slot(gov, rows, lead_p, "principal", lead_cat, quiet=reviewed,
                   acting_title=None if new_area else f"代{head}", acting_p=0.0 if new_area else 0.8,
                   ethnicity=_GOVERNOR_ETHNICITY.get(code))
        self._slot(pc, [(pc.id, dep_sec, DEPUTY, False)], lead_d, "deputy", lead_cat)
        for _ in range(rng.randint(*p.pc_team)):
            self._slot(pc, [(pc.id, standing, TEAM_MEMBER, False)], lead_d, "team", lead_cat)
        for i in range(rng.randint(*p.gov_deputies)):
            title = "管委会副主任" if new_area else ("常务副" if i == 0 else "副") + head
            self._slot(gov, [(gov.id, title, DEPUTY, False)], lead_d, "deputy", lead_cat)
        if not new_area:
            if level == COUNTY:
                self._slot(gov, [(gov.id, f"{c}政府党组成员", TEAM_MEMBER, False)], unit_p, "team", lead_cat)
            else:
                self._slot(gov, [(gov.id, f"{c}政府秘书长", TEAM_MEMBER, False)], unit_p, "team", lead_cat)

        # departments
        catalogue: tuple[tuple[str, str, str, str], ...]
        if level == PROVINCE:
            catalogue, wanted = _PROVINCE_DEPTS, p.province_depts
        elif new_area:
            catalogue, wanted = _PREFECTURE_DEPTS, _NEW_AREA_DEPTS if p.prefecture_depts is None else tuple(
                k for k in _NEW_AREA_DEPTS if k in p.prefecture_depts)
        elif level == PREFECTURE:
            catalogue, wanted = _PREFECTURE_DEPTS, p.prefecture_depts
        else:
            catalogue, wanted = _COUNTY_DEPTS, p.county_depts
        gov_prefix = "兰州新区" if new_area else name
        for key, suffix, title, side in catalogue:
            if wanted is not None and key not in wanted:
                continue
            if side == "party":
                d = self._org(f"ORG-{code}-{key.upper()}", pc_name + suffix, K_DEPARTMENT, r, code, key, pc)
                rows = [(d.id, title, PARTY_PRINCIPAL, False)]
                if level == PROVINCE and key == "political_legal":
                    # the 省委政法委书记 also heads the 依法治省办 (RESEARCH.md §1.3)
                    rows.append((rol.id, "主任", PARTY_PRINCIPAL, False))
                self._slot(d, rows, unit_p, "principal", "department")
                deputy, team = "副" + title, "委员"
            else:
                kind = K_PUBLIC_SECURITY if side == "psb" else K_DEPARTMENT
                titles = "psb" if side == "psb" else "transport" if key == "transport" else "default"
                d = self._org(f"ORG-{code}-{key.upper()}", gov_prefix + suffix, kind, r, code, key, gov, titles)
                party_title = "党委书记" if side == "psb" else "党组书记"
                in_review = level == PROVINCE and key in p.review_depts
                if level == PROVINCE and key == p.review_separate_dept:
                    one_person = False
                elif side == "psb" or in_review:
                    one_person = True
                else:
                    one_person = rng.random() < 0.7
                if in_review:
                    self.review_orgs.append(d)
                if one_person:
                    self._slot(d, [(d.id, party_title, PARTY_PRINCIPAL, False), (d.id, title, GOV_PRINCIPAL, True)],
                               unit_p, "principal", "department", quiet=in_review)
                else:
                    self._slot(d, [(d.id, party_title, PARTY_PRINCIPAL, False)], unit_p, "principal", "department",
                               quiet=in_review)
                    self._slot(d, [(d.id, title, GOV_PRINCIPAL, False)], unit_p, "principal", "department",
                               quiet=in_review)
                deputy, team = "副" + title, "党委委员" if side == "psb" else "党组成员"
            for _ in range(rng.randint(*p.dept_deputies)):
                self._slot(d, [(d.id, deputy, DEPUTY, False)], unit_d, "deputy", "department")
            for _ in range(rng.randint(*p.dept_team)):
                self._slot(d, [(d.id, team, TEAM_MEMBER, False)], unit_d, "team", "department")
        if not (level == PROVINCE and "political_legal" in self.units[code]):
            self._slot(rol, [(rol.id, "主任", PARTY_PRINCIPAL, False)], unit_p, "principal", "other")

        # 纪委监委, 依法治办, 检察院, 法院, 党校
        for o in others:
            if o.key == "dc":
                self._slot(o, [(o.id, "纪委书记、监委主任", PARTY_PRINCIPAL, False)], lead_d, "principal", "other")
                deputy, team = "纪委副书记、监委副主任", "纪委常委、监委委员"
            elif o.key == "rol":
                deputy, team = "副主任", ""
            elif o.key == "proc":
                self._slot(o, [(o.id, "党组书记", PARTY_PRINCIPAL, False), (o.id, "检察长", GOV_PRINCIPAL, True)],
                           unit_p, "principal", "other")
                deputy, team = "副检察长", "检察委员会专职委员"
            elif o.key == "court":
                self._slot(o, [(o.id, "党组书记", PARTY_PRINCIPAL, False), (o.id, "院长", GOV_PRINCIPAL, True)],
                           unit_p, "principal", "other")
                deputy, team = "副院长", "审判委员会专职委员"
            else:
                self._slot(o, [(o.id, "党委书记", PARTY_PRINCIPAL, False), (o.id, "常务副校长", GOV_PRINCIPAL, True)],
                           unit_p, "principal", "other")
                deputy, team = "副校长", ""
            for _ in range(rng.randint(*p.other_deputies)):
                self._slot(o, [(o.id, deputy, DEPUTY, False)], unit_d, "deputy", "other")
            if team:
                for _ in range(rng.randint(*p.other_team)):
                    self._slot(o, [(o.id, team, TEAM_MEMBER, False)], unit_d, "team", "other")

    def _township_org(self, r: _Region) -> None:
        p, rng = self.p, self.rng
        county = self.regions[r.parent or ""]
        street = r.dtype == "街道"
        o = self._org(f"ORG-{r.code}", county.name + r.name, K_SUBDISTRICT if street else K_TOWNSHIP, r,
                      county.code, r.code, self.units[county.code]["gov"])
        lp, ld = _RANK_BY_LEVEL[TOWNSHIP][:2]
        head = "办事处主任" if street else r.dtype + "长"
        self._slot(o, [(o.id, "党工委书记" if street else "党委书记", PARTY_PRINCIPAL, False)], lp, "principal",
                   "township", tenure=(900, 1800))
        self._slot(o, [(o.id, head, GOV_PRINCIPAL, False)], lp, "principal", "township", tenure=(900, 1800),
                   acting_title=None if street else "代" + head, acting_p=0.0 if street else 0.5)
        deputies = ["党工委副书记" if street else "党委副书记"] + ["办事处副主任" if street else "副" + head] * 3
        for i in range(rng.randint(*p.twp_deputies)):
            self._slot(o, [(o.id, deputies[i], DEPUTY, False)], ld, "deputy", "township")
        team = ("党工委委员", "纪工委书记", "武装部长") if street else ("党委委员", "人大主席", "纪委书记", "武装部长")
        for i in range(rng.randint(*p.twp_team)):
            self._slot(o, [(o.id, team[i % len(team)], TEAM_MEMBER, False)], ld, "team", "township")

    # ------------------------------------------------------------ leaders: successions, acting posts, moves

    def _leaders(self) -> None:
        rng = self.rng
        rnd = rng.random

        def between(a: int, b: int) -> int:  # rng.randint without its overhead: 90k chains
            return a + int(rnd() * (b - a + 1))

        for slot in self.slots:
            lo, hi = slot.tenure
            cur = between(*_FIRST_START)
            starts = [cur]
            while True:
                nxt = cur + between(lo, hi)
                if slot.quiet and _QUIET[0] - 31 <= nxt <= _QUIET[1]:
                    nxt = _QUIET[1] + between(1, 60)
                if nxt > WINDOW_END:
                    break
                starts.append(nxt)
                cur = nxt
            keep = max(i for i, s in enumerate(starts) if s <= WINDOW_START)
            chain = []
            for i, s in enumerate(starts[keep:]):
                tn = _Tenure(len(self.tenures), slot, s, i == 0)
                tn.lag = between(3, 25) if slot.lagged else 0
                self.tenures.append(tn)
                chain.append(tn)
            for i, tn in enumerate(chain):
                nxt_t = chain[i + 1] if i + 1 < len(chain) else None
                tn.end = nxt_t.start - 1 if nxt_t else None
                tn.last_day = nxt_t.start + nxt_t.lag - 1 if nxt_t else None
                if slot.acting_title and not tn.first and rnd() < slot.acting_p:
                    if (tn.end if tn.end is not None else WINDOW_END) - tn.start > 200:
                        tn.acting_end = tn.start + between(30, 120)
                if not tn.first and slot.role == "principal":
                    self.principal_successions[slot.org.id].append(tn.start)
        self._moves()
        # persons: one per chain of tenures joined by moves
        pid_of_root: dict[int, int] = {}
        latest: dict[int, _Tenure] = {}
        for tn in self.tenures:
            if tn.root == tn.idx:
                pid_of_root[tn.idx] = len(pid_of_root)
            cur_latest = latest.get(tn.root)
            if cur_latest is None or tn.start > cur_latest.start:
                latest[tn.root] = tn
        self.n_leaders = len(pid_of_root)
        self._leader_root_slot = [self.tenures[root].slot for root in pid_of_root]
        self._leader_latest_slot = [latest[root].slot for root in pid_of_root]
        self._tenure_pid = [pid_of_root[tn.root] for tn in self.tenures]
        for tn in self.tenures:
            pid = self._tenure_pid[tn.idx]
            for org_id, title, pk, acting, s, e in tn.rows():
                self.leader_rows.append((pid, org_id, title, pk, acting, s, e, tn.slot))
                self.rows_by_org[org_id].append((pid, pk, s, e))

    def _moves(self) -> None:
        """People move: a holder who leaves one post takes up a principal post elsewhere weeks later."""
        rng = self.rng
        by_end = sorted((tn.last_day, tn.idx) for tn in self.tenures if tn.last_day is not None)
        deps = [self.tenures[i] for _, i in by_end]
        ends = [e for e, _ in by_end]
        used: set[int] = set()
        person_last = {tn.idx: tn.last_day if tn.last_day is not None else _NEVER for tn in self.tenures}
        arrivals = sorted((tn for tn in self.tenures
                           if not tn.first and tn.slot.role == "principal" and tn.slot.ethnicity is None),
                          key=lambda tn: (tn.start, tn.idx))
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
                person_last[d.root] = a.last_day if a.last_day is not None else _NEVER
                break

    # ------------------------------------------------------------ staff

    def _staff(self) -> None:
        """Staff (一般干部): one post each, spread over organisations by a weight per kind and level."""
        p, rng = self.p, self.rng
        weights = []
        for o in self.orgs:
            w = {K_DEPARTMENT: 1.0, K_PUBLIC_SECURITY: 5.0, K_PARTY_COMMITTEE: 1.2, K_GOVERNMENT: 1.5,
                 K_NEW_AREA_ADMIN: 2.0, K_DISCIPLINE: 0.8, K_ROL_OFFICE: 0.15, K_PROCURATORATE: 1.0, K_COURT: 1.4,
                 K_TOWNSHIP: 0.6, K_SUBDISTRICT: 0.5, K_OTHER: 0.8}[o.kind]
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
        lo, span = _STAFF_START[0], _STAFF_START[1] - _STAFF_START[0]
        starts = [lo + int(rnd() * span) for _ in range(n)]
        ends: list[int | None] = []
        left_lo, left_span = _d(2018, 3, 1), _d(2022, 12, 31) - _d(2018, 3, 1)
        later_lo, later_span = _d(2024, 1, 15), _d(2024, 12, 15) - _d(2024, 1, 15)
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
        self.staff_org, self.staff_start, self.staff_end = org_idx, starts, ends
        self.staff_rank = rng.choices(_STAFF_RANK_TABLE, k=n)

    def _staff_index(self) -> dict[str, list[tuple[int, int, int | None]]]:
        if self.staff_by_org is None:
            by: dict[str, list[tuple[int, int, int | None]]] = defaultdict(list)
            base = self.n_leaders
            orgs = self.orgs
            for i, (oi, s, e) in enumerate(zip(self.staff_org, self.staff_start, self.staff_end, strict=True)):
                by[orgs[oi].id].append((base + i, s, e))
            self.staff_by_org = by
        return self.staff_by_org

    # ------------------------------------------------------------ Official and HELD_POST

    def _people(self, male_p: list[float], eth: list[str]) -> tuple[list[str], list[str]]:
        """Names and genders in bulk; Hui-style surnames and Tibetan names where the ethnicity asks."""
        rng = self.rng
        n = len(male_p)
        rnd = rng.random
        male = [rnd() < mp for mp in male_p]
        surnames = rng.choices(_SURNAME_TABLE, k=n)
        mg = rng.choices(_MALE_GIVEN, k=n)
        fg = rng.choices(_FEMALE_GIVEN, k=n)
        names = [s + (m if is_m else f) for s, m, f, is_m in zip(surnames, mg, fg, male, strict=True)]
        for i, e in enumerate(eth):
            if e == "汉族":
                continue
            if e == "藏族":
                a = rng.choice(_TIBETAN_A)
                b = rng.choice([x for x in _TIBETAN_B if x != a])
                names[i] = a + b
            elif e in _HUI_STYLE:
                names[i] = rng.choice(_HUI_SURNAMES) + names[i][1:]
        return names, [MALE if m else FEMALE for m in male]

    def _ethnicities(self, keys: list[str]) -> list[str]:
        """One ethnicity per person from the mix of their region, drawn in runs of equal keys."""
        rng = self.rng
        out: list[str] = []
        i = 0
        while i < len(keys):
            j = i
            while j < len(keys) and keys[j] == keys[i]:
                j += 1
            out += rng.choices(_ETHNIC_TABLE[keys[i]], k=j - i)
            i = j
        return out

    def _officials(self) -> None:
        rng = self.rng
        t = self.t
        nl = self.n_leaders
        ns = len(self.staff_org)
        n = nl + ns
        ids = [f"P{i + 1:07d}" for i in range(n)]
        self.official_ids = ids
        root_slots, latest_slots = self._leader_root_slot, self._leader_latest_slot
        # leaders
        eth_keys = [s.org.eth_key for s in root_slots]
        eth = self._ethnicities(eth_keys)
        for i, s in enumerate(root_slots):
            if s.ethnicity:
                eth[i] = s.ethnicity
        male_p = [0.9 if s.role == "principal" else 0.82 for s in latest_slots]
        l_names, l_gender = self._people(male_p, eth)
        band = {R_PROV_P: (1960, 1966), R_PROV_D: (1961, 1970), R_BUREAU_P: (1963, 1972), R_BUREAU_D: (1965, 1978),
                R_COUNTY_P: (1966, 1982), R_COUNTY_D: (1970, 1987), R_TOWN_P: (1975, 1990), R_TOWN_D: (1978, 1994)}
        l_birth = [str(rng.randint(*band[s.rank])) for s in latest_slots]
        l_party = ["true" if s.role == "principal" or rng.random() < 0.93 else "false" for s in latest_slots]
        l_rank = [s.rank for s in latest_slots]
        # staff
        orgs = self.orgs
        s_eth = self._ethnicities([orgs[oi].eth_key for oi in self.staff_org])
        s_names, s_gender = self._people([0.58] * ns, s_eth)
        years = [str(y) for y in range(1964, 2002)]
        s_birth = rng.choices(years, k=ns)
        rnd = rng.random
        s_party = ["true" if rnd() < 0.72 else "false" for _ in range(ns)]
        self.official_names = l_names + s_names
        cols = t.data["Official"]
        cols["id"] += ids
        cols["name"] += self.official_names
        cols["gender"] += l_gender + s_gender
        cols["birth_year"] += l_birth + s_birth
        cols["ethnicity"] += eth + s_eth
        cols["party_member"] += l_party + s_party
        cols["rank"] += l_rank + self.staff_rank
        # HELD_POST: leaders, then staff
        hp = t.data["HELD_POST"]
        for pid, org_id, title, pk, acting, start, end, _slot in self.leader_rows:
            hp["from"].append(ids[pid])
            hp["to"].append(org_id)
            hp["title"].append(title)
            hp["post_kind"].append(pk)
            hp["acting"].append("true" if acting else "false")
            hp["start"].append(_iso(start))
            hp["end"].append(_iso(end))
        hp["from"] += ids[nl:]
        hp["to"] += [orgs[oi].id for oi in self.staff_org]
        titles = _STAFF_TITLES
        hp["title"] += [(tp := titles[orgs[oi].staff_titles][r])[i % len(tp)]
                        for i, (oi, r) in enumerate(zip(self.staff_org, self.staff_rank, strict=True))]
        hp["post_kind"] += [STAFF] * ns
        hp["acting"] += ["false"] * ns
        hp["start"] += [_iso(s) for s in self.staff_start]
        hp["end"] += [_iso(e) for e in self.staff_end]

    # ------------------------------------------------------------ posts at a date

    def principals_at(self, org_id: str, day: int) -> list[int]:
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
        leaders = sorted((order[pk], pid, pk) for pid, pk, s, e in self.rows_by_org.get(org_id, ())
                         if s <= day and (e is None or day <= e))
        for _, pid, pk in leaders:
            if pid not in seen:
                seen.add(pid)
                out.append((pid, pk))
        for pid, s, e in self._staff_index().get(org_id, ()):
            if s <= day and (e is None or day <= e):
                out.append((pid, STAFF))
        return out

    # ------------------------------------------------------------ 学: study events and attendance

    def _study(self) -> None:
        p, rng, t = self.p, self.rng, self.t
        exp = p.expected
        ids = self.official_ids
        # who was in post in 2023, and in which prefecture-level group
        group_of: dict[int, str] = {}
        for pid, _org, _title, _pk, _acting, s, e, slot in self.leader_rows:
            if s <= YEAR_END and (e is None or e >= YEAR_START) and pid not in group_of:
                group_of[pid] = slot.org.group
        orgs = self.orgs
        base = self.n_leaders
        for i, (oi, s, e) in enumerate(zip(self.staff_org, self.staff_start, self.staff_end, strict=True)):
            if s <= YEAR_END and (e is None or e >= YEAR_START):
                group_of[base + i] = orgs[oi].group
        attended: list[tuple[int, str]] = []
        forced: dict[int, None] = {}

        def event(kind: str, title: str, day: int, organiser: _Org) -> str:
            eid = self.next_id("SE-2023", 5)
            t.node("StudyEvent", eid, kind=kind, title=title, date=_iso(day))
            t.rel("ORGANISED", organiser.id, eid)
            return eid

        # 理论学习中心组: each party committee's leadership studies 习近平法治思想
        pcs = [o for o in orgs if o.key == "pc"]
        for o in pcs:
            for k in range(p.central_sessions):
                day = YEAR_START + rng.randint(40, 160) + 180 * k
                eid = event(CENTRAL_GROUP, f"{o.name}理论学习中心组习近平法治思想专题学习", day, o)
                for pid in dict.fromkeys(pid for pid, _pk, s, e in self.rows_by_org[o.id]
                                         if s <= day and (e is None or day <= e)):
                    attended.append((pid, eid))
                    forced[pid] = None
        # 省管领导干部 rotation training at the provincial party school
        school = self.units[PROVINCE_CODE]["school"]
        bureau = sorted({pid for pid, _o, _t, _pk, _a, s, e, slot in self.leader_rows
                         if slot.rank in (R_BUREAU_P, R_BUREAU_D) and s <= _d(2023, 6, 30)
                         and (e is None or e >= _d(2023, 6, 30))})
        for k in range(p.rotation_sessions):
            day = _d(2023, 4, 10) + 49 * k
            eid = event(ROTATION, f"省管领导干部习近平法治思想专题轮训班（第{k + 1}期）", day, school)
            for pid in bureau[k::p.rotation_sessions]:
                attended.append((pid, eid))
                forced[pid] = None
        # classes, seminars and lectures (4000余期 / 1600余场次), organised across the province
        course_w = {"school": 40.0, "rol": 15.0, "pc": 6.0, "gov": 3.0, "dc": 2.0, "proc": 1.5, "court": 1.5}
        lecture_w = {"school": 10.0, "rol": 10.0, "pc": 6.0, "gov": 3.0, "dc": 1.0, "proc": 1.0, "court": 1.0}
        organisers = [o for o in orgs if o.key != "commission"]

        def weight(o: _Org, table: dict[str, float]) -> float:
            if o.key in table:
                return table[o.key]
            if o.kind in (K_TOWNSHIP, K_SUBDISTRICT):
                return 0.3
            return 3.0 if o.kind == K_PUBLIC_SECURITY else 1.2

        events_by_group: dict[str, list[str]] = defaultdict(list)
        for kind, n, table, themes in ((TRAINING_COURSE, exp["training_courses"], course_w, _COURSE_THEMES),
                                       (LECTURE, exp["lectures"], lecture_w, _LECTURE_THEMES)):
            chosen = rng.choices(organisers, weights=[weight(o, table) for o in organisers], k=n)
            counter: dict[tuple[str, str], int] = defaultdict(int)
            for o in chosen:
                theme = rng.choice(themes)
                counter[(o.id, theme)] += 1
                k = counter[(o.id, theme)]
                title = f"{o.name}{theme}（第{k}期）" if kind == TRAINING_COURSE else (
                    f"{o.name}{theme}" + (f"（第{k}场）" if k > 1 else ""))
                eid = event(kind, title, YEAR_START + rng.randrange(365), o)
                events_by_group[o.group].append(eid)
        # the 41万 trained: everyone at a central-group or rotation session, then a sample of the rest
        need = exp["trained_officials"] - len(forced)
        rest = [pid for pid in group_of if pid not in forced]
        if need < 0 or len(rest) < need:
            raise AssertionError(f"cannot train exactly {exp['trained_officials']}: {len(forced)} forced, "
                                 f"{len(rest)} others in post in 2023")
        left_out = set(rng.sample(rest, len(rest) - need))  # cheaper than sampling 400k of 430k
        trained = list(forced) + [pid for pid in rest if pid not in left_out]
        by_group: dict[str, list[int]] = defaultdict(list)
        for pid in trained:
            by_group[group_of[pid]].append(pid)
        rnd = rng.random
        for g in sorted(by_group):
            evs = events_by_group.get(g) or [e for g2 in sorted(events_by_group) for e in events_by_group[g2]]
            ne = len(evs)
            for j, pid in enumerate(by_group[g]):
                first = j % ne if j < ne else int(rnd() * ne)
                attended.append((pid, evs[first]))
                if ne > 1 and rnd() < 0.2:
                    second = (first + 1 + int(rnd() * (ne - 1))) % ne
                    attended.append((pid, evs[second]))
                    if ne > 2 and rnd() < 0.2:
                        third = next(x for x in ((second + k) % ne for k in range(1, ne)) if x != first)
                        attended.append((pid, evs[third]))
        cols = t.data["ATTENDED"]
        cols["from"] += [ids[pid] for pid, _ in attended]
        cols["to"] += [eid for _, eid in attended]

    # ------------------------------------------------------------ 述: duty reports

    def _duty_reports(self) -> None:
        p, rng, t = self.p, self.rng, self.t
        exp = p.expected
        ids = self.official_ids
        # reviewed by the provincial commission: the principals of the reviewed units on the day
        reviewed: list[int] = []
        for o in self.review_orgs:
            for pid in self.principals_at(o.id, REVIEW_DAY):
                if pid not in reviewed:
                    reviewed.append(pid)
        if len(reviewed) != exp["reviewed_principals"]:
            raise AssertionError(f"{len(reviewed)} reviewed principals, expected {exp['reviewed_principals']}")
        reviewed_set = set(reviewed)
        # who is in post at the year end, by category, principals first
        pools: dict[str, tuple[dict[int, None], dict[int, None]]] = {
            c: ({}, {}) for c in ("leadership", "department", "township", "other")}
        principal_slot: dict[int, _Slot] = {}
        for tn in self.tenures:
            cat = tn.slot.category
            if cat not in pools or tn.start > YEAR_END or (tn.last_day is not None and tn.last_day < YEAR_END):
                continue
            pid = self._tenure_pid[tn.idx]
            if tn.slot.role == "principal":
                pools[cat][0][pid] = None
                principal_slot.setdefault(pid, tn.slot)
            else:
                pools[cat][1][pid] = None
        base = self.n_leaders
        filler = [base + i for i, (s, e, r) in enumerate(zip(self.staff_start, self.staff_end, self.staff_rank,
                                                               strict=True))
                  if r in (R_TOWN_P, R_COUNTY_D) and s <= YEAR_END and (e is None or e >= YEAR_END)]
        taken: set[int] = set()
        plan = (("leadership", ROLE_CITY_COUNTY, exp["reporters_city_county"]),
                ("department", ROLE_DEPARTMENTS, exp["reporters_departments"]),
                ("township", ROLE_TOWNSHIP, exp["reporters_township"]),
                ("other", ROLE_OTHER, exp["reporters_other"]))
        chosen_by_role: list[tuple[str, list[int]]] = []
        for cat, role, target in plan:
            principals, others = pools[cat]
            first = [pid for pid in principals if pid in reviewed_set]
            first += [pid for pid in principals if pid not in reviewed_set and pid not in taken]
            if len(first) > target:
                raise AssertionError(f"{role}: {len(first)} principals exceed the target {target}")
            rest = [pid for pid in others if pid not in taken and pid not in principals]
            if cat == "other":
                rest += [pid for pid in filler if pid not in taken]
            if len(rest) < target - len(first):
                raise AssertionError(f"{role}: only {len(first) + len(rest)} candidates for {target}")
            chosen = first + rng.sample(rest, target - len(first))
            taken.update(chosen)
            chosen_by_role.append((role, chosen))
        missing = reviewed_set - taken
        if missing:
            raise AssertionError(f"reviewed principals without a report: {sorted(missing)}")
        forms = {ROLE_CITY_COUNTY: (F_ON_SITE, F_THEMATIC, F_YEAR_END),
                 ROLE_DEPARTMENTS: (F_YEAR_END, F_YEAR_END, F_YEAR_END, F_WRITTEN, F_ON_SITE),
                 ROLE_TOWNSHIP: (F_WRITTEN, F_ON_SITE, F_ONLINE, F_YEAR_END),
                 ROLE_OTHER: (F_WRITTEN, F_YEAR_END)}
        review_doc = self._doc("中共甘肃省委全面依法治省委员会2024年第一次会议纪要", "甘法委纪〔2024〕1号", REVIEW_DAY,
                               D_REPORT)
        for role, chosen in chosen_by_role:
            for pid in chosen:
                rid = self.next_id("DR-2023", 5)
                score = round(rng.triangular(58.0, 99.0, 90.0), 1)
                grade = "优秀" if score >= 90 else "良好" if score >= 80 else "一般" if score >= 70 else "较差"
                comment: str | None
                if pid in reviewed_set:
                    form, comment = F_COMMISSION, rng.choice(_REVIEW_COMMENTS)
                else:
                    form = rng.choice(forms[role])
                    comment = rng.choice(_REVIEW_COMMENTS) if rng.random() < 0.05 else None
                t.node("DutyReport", rid, year=2023, form=form, reporter_role=role, score=score, grade=grade,
                       commentary=comment)
                t.rel("SUBMITTED", ids[pid], rid)
                if pid in reviewed_set:
                    t.rel("REVIEWED_BY", rid, PROVINCIAL_COMMISSION_ID, date=_iso(REVIEW_DAY))
                    t.rel("EVIDENCED_BY", rid, review_doc, page=2 + len(t.data["REVIEWED_BY"]["from"]) // 4,
                          note="专题审议述法报告")
                elif role == ROLE_CITY_COUNTY and pid in principal_slot and principal_slot[pid].org.level == COUNTY:
                    # county principals' 述法 is reviewed by the prefecture's party committee
                    pref = self.units[principal_slot[pid].org.group]["pc"]
                    t.rel("REVIEWED_BY", rid, pref.id, date=_iso(_d(2024, 1, 10) + rng.randint(0, 10)))

    # ------------------------------------------------------------ 考: assessments

    def _assessments(self) -> None:
        rng, t = self.rng, self.t
        rol = self.units[PROVINCE_CODE]["rol"]
        depts = [o for o in self.orgs if o.level == PROVINCE and o.kind in (K_DEPARTMENT, K_PUBLIC_SECURITY)]
        cities = [(self.units[code]["pc"], self.units[code]["gov"]) for code, r in self.regions.items()
                  if r.level == PREFECTURE and code != NEW_AREA_CODE]
        docs = {y: self._doc(f"关于{y}年度法治建设考评结果的通报", f"甘法治办发〔{y + 1}〕3号", _d(y + 1, 3, 15),
                             D_NOTICE) for y in (2022, 2023)}

        def grade(score: float) -> str:
            return "优秀" if score >= 90 else "良好" if score >= 80 else "一般" if score >= 70 else "较差"

        for year, w_dept, w_city in ((2022, 2.0, 1.0), (2023, 6.0, 4.5)):
            for targets, w in ([(d,) for d in depts], w_dept), (cities, w_city):
                for orgs in targets:
                    aid = self.next_id(f"AS-{year}", 4)
                    score = round(rng.triangular(68.0, 99.0, 88.0), 1)
                    t.node("Assessment", aid, year=year, kind=A_ANNUAL, score=score, weight_points=w,
                           grade=grade(score))
                    t.rel("ORGANISED", rol.id, aid)
                    for o in orgs:
                        t.rel("ASSESSES", aid, o.id)
                    t.rel("EVIDENCED_BY", aid, docs[year], page=1 + len(t.data["ASSESSES"]["from"]) // 20,
                          note="年度法治建设考评结果")
        for pc, gov in cities:  # 平时考评, quarterly in 2023
            for _quarter in range(3):
                aid = self.next_id("AS-2023", 4)
                score = round(rng.triangular(70.0, 99.0, 88.0), 1)
                t.node("Assessment", aid, year=2023, kind=A_ROUTINE, score=score, grade=None)
                t.rel("ORGANISED", rol.id, aid)
                t.rel("ASSESSES", aid, pc.id)
                t.rel("ASSESSES", aid, gov.id)

    # ------------------------------------------------------------ documents

    def _doc(self, title: str, doc_no: str | None, day: int, kind: str) -> str:
        did = self.next_id("DOC", 5)
        digest = hashlib.sha256(f"{doc_no}|{title}|{_iso(day)}".encode()).hexdigest()
        self.t.node("Document", did, title=title, doc_no=doc_no, date=_iso(day), kind=kind, sha256=digest)
        return did

    def _doc_no(self, prefix: str, year: int) -> str:
        self.doc_numbers[(prefix, year)] += 1
        return f"{prefix}〔{year}〕{self.doc_numbers[(prefix, year)]}号"

    # ------------------------------------------------------------ 督: campaigns, inspections, issues

    def _supervision(self) -> None:
        p, rng, t = self.p, self.rng, self.t
        self.rol_prov = self.units[PROVINCE_CODE]["rol"]
        t.node("Campaign", ROAD_TRAFFIC_CAMPAIGN_ID, name="道路交通安全和运输执法领域突出问题专项整治", year=2023,
               kind=SPECIAL_CAMPAIGN)
        t.rel("EVIDENCED_BY", ROAD_TRAFFIC_CAMPAIGN_ID,
              self._doc("关于开展道路交通安全和运输执法领域突出问题专项整治的通知", self._doc_no("甘法治办发", 2023),
                        _d(2023, 3, 10), D_NOTICE), page=1, note="部署文件")
        for year in (2022, 2023):
            t.node("Campaign", _PLAN_IDS[year], name=f"{year}年全省法治督察工作计划", year=year, kind=INSPECTION_PLAN)
            t.rel("EVIDENCED_BY", _PLAN_IDS[year],
                  self._doc(f"{year}年全省法治督察工作计划", self._doc_no("甘法治办发", year), _d(year, 2, 20),
                            D_NOTICE), page=1, note="年度督察计划")
        prefs = [code for code, r in self.regions.items() if r.level == PREFECTURE]
        counties_of: dict[str, list[str]] = defaultdict(list)
        for code, r in self.regions.items():
            if r.level == COUNTY:
                counties_of[r.prefecture].append(code)
        all_counties = [c for pref in prefs for c in counties_of[pref]]

        def orgs_of(units: list[str], keys: tuple[str, ...]) -> list[_Org]:
            return [self.units[u][k] for u in units for k in keys if k in self.units[u]]

        campaign_issues: list[_IssueRec] = []
        other_2023: list[_IssueRec] = []
        issues_2022: list[_IssueRec] = []
        # comprehensive (全面督察)
        for title, s, e in _COMPREHENSIVE[: p.comprehensive]:
            sample = sorted(rng.sample(all_counties, min(p.comprehensive_counties, len(all_counties))))
            inspected = orgs_of(prefs + sample, ("pc", "gov"))
            other_2023 += self._inspection(I_COMPREHENSIVE, title, _d(2023, *s), _d(2023, *e), _PLAN_IDS[2023],
                                           inspected, p.issues["comprehensive"], _COMPREHENSIVE_ISSUES, False)
        # road-traffic special inspections (PART_OF the campaign)
        if p.rt_inspections == len(_RT_REGIONS):
            groups = [(nm, [c for c in codes if c in self.regions]) for nm, codes in _RT_REGIONS]
        else:
            groups = [(self.regions[prefs[0]].name, prefs)][: p.rt_inspections]
        for k, (group_name, group_prefs) in enumerate(groups):
            (s, e) = _RT_WINDOWS[k]
            units = ([PROVINCE_CODE] if k == 0 else []) + group_prefs + [c for g in group_prefs for c in counties_of[g]]
            inspected = orgs_of(units, ("transport", "psb"))
            title = f"道路交通安全和运输执法领域突出问题专项整治督察（{group_name}）"
            campaign_issues += self._inspection(I_SPECIAL, title, _d(2023, *s), _d(2023, *e), ROAD_TRAFFIC_CAMPAIGN_ID,
                                                inspected, p.issues["rt"], _RT_ISSUES, True)
        # other special inspections
        done = 0
        for title, s, e, theme, keys in _SPECIAL_THEMES:
            if done == p.special_themes:
                break
            sample = sorted(rng.sample(all_counties, min(15, len(all_counties))))
            inspected = orgs_of([PROVINCE_CODE] + prefs + sample, keys)
            if not inspected:  # the small scale has only a handful of departments
                continue
            done += 1
            other_2023 += self._inspection(I_SPECIAL, title, _d(2023, *s), _d(2023, *e), _PLAN_IDS[2023], inspected,
                                           p.issues["special"], _THEME_ISSUES[theme], False)
        # 2022 实地督察 (before the campaign; its accountability falls in 2022)
        sample = sorted(rng.sample(all_counties, min(30, len(all_counties))))
        issues_2022 += self._inspection(I_FIELD, "2022年市县法治建设实地督察", _d(2022, 8, 29), _d(2022, 9, 13),
                                        _PLAN_IDS[2022], orgs_of(prefs + sample, ("pc", "gov")),
                                        p.issues["field_2022"], _COMPREHENSIVE_ISSUES, False, year=2022)
        self._campaign_accountability(campaign_issues)
        self._other_accountability(other_2023, issues_2022)
        self._check_campaign()

    def _inspection(self, kind: str, title: str, start: int, end: int, campaign: str, inspected: list[_Org],
                    n_issues: int, catalogue: tuple[tuple[str, tuple[int, int, int], tuple[str, ...]], ...],
                    in_campaign: bool, year: int = 2023) -> list[_IssueRec]:
        rng, t = self.rng, self.t
        iid = self.next_id(f"IN-{year}", 2)
        t.node("Inspection", iid, kind=kind, title=title, start=_iso(start), end=_iso(end))
        t.rel("ORGANISED", self.rol_prov.id, iid)
        t.rel("PART_OF", iid, campaign)
        for o in inspected:
            t.rel("INSPECTED", iid, o.id)
        feedback_base = end + rng.randint(10, 20)
        t.rel("EVIDENCED_BY", iid, self._doc(f"关于{title}情况的通报", self._doc_no("甘法督", year), feedback_base,
                                             D_BRIEFING), page=1, note="督察反馈")
        out = []
        for _ in range(n_issues):
            org = rng.choice(inspected)
            category, sev_w, details = rng.choice(catalogue)
            severity = rng.choices((MINOR, SERIOUS, MAJOR), weights=sev_w)[0]
            found = rng.randint(start, end)
            occurred = found - rng.randint(20, 300)
            succession = False
            recent = [s for s in self.principal_successions.get(org.id, ()) if found - 400 <= s <= found]
            if recent and rng.random() < 0.35:
                # it happened shortly before a new principal took over: the old holder answers for it
                occurred = rng.choice(recent) - rng.randint(5, 40)
                succession = True
            feedback = feedback_base + rng.randint(0, 5)
            rec = _IssueRec(self.next_id(f"IS-{year}", 4), org, occurred, found, feedback, category, severity,
                            in_campaign, year, succession)
            dk = rng.choices((IMMEDIATE, TIME_LIMITED, LONG_TERM), weights=(3, 6, 1))[0]
            deadline = feedback + (15 if dk == IMMEDIATE else rng.choice((30, 60, 90)) if dk == TIME_LIMITED
                                   else rng.randint(180, 270))
            weights = (10, 20, 20, 45, 5) if year == 2023 else (0, 0, 15, 80, 5)
            status = rng.choices((S_OPEN, S_RECTIFYING, S_RECTIFIED, S_VERIFIED, S_REOPENED), weights=weights)[0]
            t.node("Issue", rec.id, summary=org.name + rng.choice(details), category=category, severity=severity,
                   occurred_on=_iso(occurred), found_on=_iso(found), feedback_on=_iso(feedback),
                   feedback_form=rng.choice((POINT_TO_POINT, POINT_TO_POINT, BACK_TO_BACK)), deadline=_iso(deadline),
                   deadline_kind=dk, status=status)
            t.rel("FOUND", iid, rec.id)
            t.rel("AT", rec.id, org.id)
            self._steps(rec, status)
            out.append(rec)
        return out

    def _step(self, issue: _IssueRec, kind: str, day: int, note: str, by: str, doc: str | None = None) -> None:
        sid = self.next_id("RS", 5)
        self.t.node("RectificationStep", sid, kind=kind, date=_iso(day), note=note)
        self.t.rel("HAS_STEP", issue.id, sid)
        self.t.rel("BY", sid, by)
        if doc is not None:
            self.t.rel("EVIDENCED_BY", sid, doc, page=1, note=None)

    def _steps(self, issue: _IssueRec, status: str) -> None:
        """批示 → 整改方案 → 周汇总 → 月通报 → (调度会 → 督办函 → 通报) → 整改报告 → 回头看 → 销号, in date order."""
        if status == S_OPEN:
            return
        rng = self.rng
        rol = self.rol_prov.id
        org = issue.org
        d = issue.feedback + rng.randint(1, 5)
        leaders = self.principals_at(org.id, d)
        self._step(issue, ST_INSTRUCTION, d, "党政主要负责同志作出批示，要求立行立改、举一反三",
                   self.official_ids[leaders[0]] if leaders else org.id)
        d += rng.randint(6, 20)
        self._step(issue, ST_PLAN, d, "制定整改方案，明确整改措施、责任人和完成时限", org.id)
        d += rng.randint(3, 7)
        self._step(issue, ST_WEEKLY, d, "纳入整改落实周汇总", rol)
        d = max(d + 1, _month_end(d))
        self._step(issue, ST_MONTHLY, d, "月通报整改进展", rol, self._monthly_doc(d))
        if status in (S_RECTIFYING, S_REOPENED) or rng.random() < 0.25:
            d += rng.randint(10, 30)
            self._step(issue, ST_DISPATCH, d, "召开整改工作调度会", rol)
            d += rng.randint(5, 20)
            letter = self._doc(f"关于督促{org.name}抓紧整改{issue.category}问题的督办函",
                               self._doc_no("甘法督", date.fromordinal(d).year), d, D_LETTER)
            self._step(issue, ST_LETTER, d, "下发督办函，督促限期整改到位", rol, letter)
            if rng.random() < 0.4:
                d += rng.randint(5, 15)
                self._step(issue, ST_NOTICE, d, "印发通报，对整改滞后情况予以通报", rol)
        if status in (S_RECTIFIED, S_VERIFIED, S_REOPENED):
            d += rng.randint(10, 60)
            self._step(issue, ST_COMPLETION, d, "报送整改情况报告", org.id)
        if status in (S_VERIFIED, S_REOPENED):
            d += rng.randint(20, 60)
            found_again = status == S_REOPENED
            self._step(issue, ST_LOOK_BACK, d, "组织“回头看”，" + ("发现问题反弹" if found_again else "整改到位"), rol)
        if status == S_VERIFIED:
            d += rng.randint(3, 15)
            self._step(issue, ST_CLOSED, d, "整改销号", rol)

    def _monthly_doc(self, day: int) -> str:
        dt = date.fromordinal(day)
        key = (dt.year, dt.month)
        if key not in self.monthly_docs:
            self.monthly_docs[key] = self._doc(f"关于{dt.year}年{dt.month}月法治督察发现问题整改情况的通报",
                                               f"甘法治办通〔{dt.year}〕{dt.month}号", _month_end(day), D_NOTICE)
        return self.monthly_docs[key]

    # ------------------------------------------------------------ 责: accountability

    def _campaign_plan(self) -> list[_CaseSpec]:
        """Cases whose counts give exactly the seed's 267 / 30 / 37 / 3 / 18 (or the small figures).

        Every subject is in exactly one campaign case, so persons are counted by construction:
        judicial subjects were first transferred for case filing (J ⊆ D), a few of the transferred
        were also sanctioned, and some sanctioned people have both a party and a government sanction.
        """
        rng, exp = self.rng, self.p.expected
        held, sanctioned_n = exp["campaign_held_accountable"], exp["campaign_sanctioned"]
        discipline_n, judicial_n = exp["campaign_transferred_to_discipline"], exp["campaign_transferred_to_judicial"]
        cases: list[_CaseSpec] = []
        sanctioned = 0
        for i in range(judicial_n):
            measures: list[str] = []
            if i == 0 and sanctioned < sanctioned_n:
                measures = [EXPULSION, GOV_EXPULSION]  # 双开: counts once among the sanctioned
                sanctioned += 1
            elif i == 1 and sanctioned < sanctioned_n:
                measures = [EXPULSION]
                sanctioned += 1
            cases.append(_CaseSpec([measures], [T_DISCIPLINE, (T_PROCURATORATE, T_JUDICIAL)[i % 2]],
                                   C_SUPERVISORY, 0, True))
        n = discipline_n - judicial_n
        with_sanction = min(sanctioned_n - sanctioned, round(n * 0.25))
        persons: list[list[str]] = []
        for i in range(n):
            if i < with_sanction:
                m = [rng.choice(PARTY_SANCTION_POOL)]
                if i % 3 == 0:
                    m.append(rng.choice(GOV_SANCTION_POOL))
            elif i % 4 == 0:
                m = ["suspension_for_examination"]
            else:
                m = []
            persons.append(m)
        sanctioned += with_sanction
        rng.shuffle(persons)
        while persons:
            k = min(len(persons), rng.choice((1, 1, 2)))
            cases.append(_CaseSpec(persons[:k], [T_DISCIPLINE], C_DISCIPLINARY, 1, True))
            persons = persons[k:]
        n = s_only = sanctioned_n - sanctioned
        both = max(1, n // 7) if n else 0
        for i in range(n):
            if i < both:
                m = [rng.choice(PARTY_SANCTION_POOL), rng.choice(GOV_SANCTION_POOL)]
            elif rng.random() < 0.5:
                m = [rng.choice(PARTY_SANCTION_POOL)]
            else:
                m = [rng.choice(GOV_SANCTION_POOL)]
            if rng.random() < 0.25:
                m.append(rng.choice(("removal_from_office", "post_adjustment")))
            persons.append(m)
        while persons:
            k = min(len(persons), rng.randint(1, 3))
            cases.append(_CaseSpec(persons[:k], [], C_ACCOUNTABILITY, 2, rng.random() < 0.5))
            persons = persons[k:]
        n = held - discipline_n - s_only  # everyone else held accountable: form 1–3 measures, no sanction
        for i in range(n):
            if i == 0:
                m = [DEMOTION]
            elif i == 1:
                m = ["admonishment", "post_adjustment"]
            else:
                r = rng.random()
                m = [rng.choice(ORG_HANDLING)] if r < 0.12 else [DEMOTION] if r < 0.15 else [
                    rng.choices(FORM1_POOL, weights=FORM1_WEIGHTS)[0]]
                if rng.random() < 0.15:
                    extra = rng.choices(FORM1_POOL, weights=FORM1_WEIGHTS)[0]
                    if extra not in m:
                        m.append(extra)
            persons.append(m)
        others: list[_CaseSpec] = []
        while persons:
            k = min(len(persons), rng.randint(1, 4))
            others.append(_CaseSpec(persons[:k], [], C_ACCOUNTABILITY, 3, rng.random() < 0.2))
            persons = persons[k:]
        others[0].cleared = 1
        for spec in others[:: max(2, len(others) // 6)]:
            spec.org_measure = rng.choice(ORG_MEASURES)
        cases += others
        # typical cases exposed (起): the judicial ones first, then heavy ones, then others
        heavy = [c for c in cases if c.tier in (1, 2)]
        rest = [c for c in cases if c.tier == 3]
        rng.shuffle(heavy)
        rng.shuffle(rest)
        for c in ([c for c in cases if c.tier == 0] + heavy + rest)[: exp["campaign_exposed_cases"]]:
            c.exposed = True
        return cases

    def _campaign_accountability(self, issues: list[_IssueRec]) -> None:
        rng = self.rng
        specs = self._campaign_plan()
        rank = {MAJOR: 0, SERIOUS: 1, MINOR: 2}
        order = sorted(issues, key=lambda i: (rank[i.severity], rng.random()))
        # issues that occurred just before a succession get a leadership case first
        order = [i for i in order if i.succession] + [i for i in order if not i.succession]
        specs.sort(key=lambda s: s.tier)
        slots = order + order  # at most two cases per issue
        for k, spec in enumerate(specs):
            issue = slots[k % len(slots)]
            self._case(issue, spec, 2023, campaign=True, leadership=issue.succession and issue.cases == 0)

    def _other_accountability(self, issues_2023: list[_IssueRec], issues_2022: list[_IssueRec]) -> None:
        """Accountability outside the campaign, so the campaign filter matters."""
        rng, p = self.rng, self.p
        early = sorted((i for i in issues_2023 if i.feedback <= _d(2023, 9, 30)), key=lambda i: i.id)
        for k in range(min(p.other_cases_2023, len(early))):
            issue = early[(k * 7) % len(early)]
            persons = [[rng.choices(FORM1_POOL, weights=FORM1_WEIGHTS)[0]] for _ in range(rng.randint(1, 2))]
            if k % 3 == 1:
                persons[0] = [rng.choice(PARTY_SANCTION_POOL)]
            spec = _CaseSpec(persons, [T_DISCIPLINE] if k == 0 else [], C_ACCOUNTABILITY, 3, k % 2 == 0,
                             exposed=k == 1, org_measure=ORG_MEASURES[0] if k == 2 else None)
            self._case(issue, spec, 2023, campaign=False)
        for k in range(min(p.cases_2022, len(issues_2022))):
            spec = _CaseSpec([[rng.choices(FORM1_POOL, weights=FORM1_WEIGHTS)[0]]], [], C_ACCOUNTABILITY, 3, False)
            self._case(issues_2022[k], spec, 2022, campaign=False)
        # a case with no issue: a petition (信访举报) clue about a department deputy
        dept = next(o for o in self.orgs if o.key == "justice" and o.level == PREFECTURE)
        cand = [pid for pid, pk in self.members_at(dept.id, _d(2023, 4, 1)) if pk == DEPUTY]
        if cand:
            clue = self.next_id("CL-2023", 4)
            self.t.node("Clue", clue, source="petition_report", received_on=_iso(_d(2023, 4, 3)),
                        disposal=TALK_OR_INQUIRY, disposed_on=_iso(_d(2023, 4, 25)))
            case = self.next_id("CA-2023", 4)
            title = f"{dept.name}{self.official_names[cand[0]]}信访举报问题问责案"
            self.t.node("Case", case, kind=C_ACCOUNTABILITY, title=title,
                        opened_on=_iso(_d(2023, 5, 4)), closed_on=_iso(_d(2023, 6, 20)), status="closed")
            self.t.rel("LED_TO", clue, case)
            self.t.rel("CONCERNS", case, self.official_ids[cand[0]])
            self._measure(case, cand[0], "admonishment", _d(2023, 6, 12), self.units[dept.unit]["dc"], False)

    def _subjects(self, issue: _IssueRec, n: int, leadership: bool) -> list[tuple[int, str]]:
        """People to hold accountable for an issue: in post at its organisation when it occurred."""
        rng = self.rng
        members = [m for m in self.members_at(issue.org.id, issue.occurred) if m[0] not in self.used_subjects]
        principals = [m for m in members if m[1] in (PARTY_PRINCIPAL, GOV_PRINCIPAL)]
        rest = [m for m in members if m[1] not in (PARTY_PRINCIPAL, GOV_PRINCIPAL)]
        rng.shuffle(rest)
        chosen = principals[:1] if (leadership or rng.random() < 0.25) and principals else []
        chosen += rest[: n - len(chosen)]
        if len(chosen) < n:  # a small organisation: widen to the whole inspected area of the issue's unit
            more = [m for o in self.orgs if o.unit == issue.org.unit and o is not issue.org
                    for m in self.members_at(o.id, issue.occurred)
                    if m[0] not in self.used_subjects and m not in chosen]
            chosen += more[: n - len(chosen)]
        if len(chosen) < n:
            raise AssertionError(f"not enough people at {issue.org.name} for a case of {n}")
        for pid, _ in chosen:
            self.used_subjects.add(pid)
        return chosen

    def _measure(self, case: str, pid: int, kind: str, day: int, by: _Org, campaign: bool,
                 subject_org: _Org | None = None) -> None:
        t = self.t
        mid = self.next_id(f"ME-{date.fromordinal(day).year}", 4)
        t.node("Measure", mid, kind=kind, decided_on=_iso(day), effective_on=_iso(day))
        t.rel("DECIDED", case, mid)
        t.rel("BY", mid, by.id)
        if subject_org is not None:
            t.rel("APPLIES_TO", mid, subject_org.id)
            if campaign:
                self.campaign_facts.measures.append(MeasureFact(mid, kind, subject_org.id, False, case))
            return
        t.rel("APPLIES_TO", mid, self.official_ids[pid])
        if campaign:
            self.campaign_facts.measures.append(MeasureFact(mid, kind, self.official_ids[pid], True, case))
        if kind in PARTY_SANCTIONS or kind in GOV_SANCTIONS:
            region = self.regions[by.unit]
            doc = self._doc(f"关于给予{self.official_names[pid]}{MEASURE_LABELS[kind]}处分的决定",
                            self._doc_no(f"{_DOC_ABBR.get(region.prefecture, '甘')}纪处", date.fromordinal(day).year),
                            day, D_DECISION)
            t.rel("EVIDENCED_BY", mid, doc, page=1, note="处分决定")

    def _case(self, issue: _IssueRec, spec: _CaseSpec, year: int, campaign: bool, leadership: bool = False) -> None:
        rng, t = self.rng, self.t
        ids = self.official_ids
        cap = _d(year, 12, 31)
        n_subjects = len(spec.persons) + spec.cleared
        subjects = self._subjects(issue, n_subjects, leadership)
        issue.cases += 1
        unit = self.units[issue.org.unit]
        dc, pc = unit["dc"], unit["pc"]
        base = issue.feedback
        if spec.via_clue:
            clue = self.next_id(f"CL-{year}", 4)
            received = base + rng.randint(3, 15)
            disposed = received + rng.randint(10, 25)
            disposal = PRELIMINARY if spec.tier <= 2 else rng.choice((TALK_OR_INQUIRY, PRELIMINARY))
            t.node("Clue", clue, source="rule_of_law_inspection_transfer", received_on=_iso(received),
                   disposal=disposal, disposed_on=_iso(disposed))
            t.rel("LED_TO", issue.id, clue)
            opened = disposed + rng.randint(2, 10)
        else:
            opened = base + rng.randint(10, 30)
        opened = min(opened, cap - 70)
        first_name = self.official_names[subjects[0][0]]
        tail = f"等{n_subjects}人" if n_subjects > 1 else ""
        case = self.next_id(f"CA-{year}", 4)
        dates: list[int] = []
        # measures
        resp_kind = {PARTY_PRINCIPAL: RESP_PRINCIPAL, GOV_PRINCIPAL: RESP_PRINCIPAL, DEPUTY: RESP_IMPORTANT,
                     TEAM_MEMBER: RESP_IMPORTANT, STAFF: RESP_DIRECT}
        pending = False
        for (pid, _pk), measures in zip(subjects, spec.persons, strict=False):
            for kind in measures:
                day = min(opened + rng.randint(15, 60), cap - 5)
                by = pc if kind in ORG_HANDLING or kind == DEMOTION or kind == "circulated_criticism" else dc
                self._measure(case, pid, kind, day, by, campaign)
                dates.append(day)
        if spec.org_measure:
            day = min(opened + rng.randint(15, 60), cap - 5)
            self._measure(case, -1, spec.org_measure, day, pc, campaign, subject_org=issue.org)
            dates.append(day)
        # transfers (all subjects of the case are transferred)
        subject_ids = tuple(sorted(ids[pid] for pid, _ in subjects))
        sent = None
        for kind in spec.transfers:
            sent = min((opened if sent is None else sent) + rng.randint(5, 40), cap - 3)
            if kind == T_DISCIPLINE:
                to = dc
                outcome = rng.choices((O_FILED, O_ACCEPTED, O_PENDING, O_RETURNED), weights=(70, 10, 15, 5))[0]
            else:
                to = unit.get("proc") or self.units[PROVINCE_CODE]["proc"] if kind == T_PROCURATORATE else (
                    unit.get("psb") or self.units[PROVINCE_CODE]["psb"])
                outcome = O_PROSECUTED if kind == T_PROCURATORATE else rng.choice((O_FILED, O_CONVICTED))
            tid = self.next_id(f"TR-{year}", 3)
            outcome_on = None if outcome == O_PENDING else sent + rng.randint(20, 120)
            pending = pending or outcome == O_PENDING
            t.node("Transfer", tid, kind=kind, transferred_on=_iso(sent), outcome=outcome, outcome_on=_iso(outcome_on))
            t.rel("TRANSFERRED", case, tid)
            t.rel("TO", tid, to.id)
            dates.append(outcome_on or sent)
            if campaign:
                self.campaign_facts.transfers.append(TransferFact(tid, kind, case, subject_ids))
        closed = None if pending or rng.random() < 0.1 else max(dates or [opened]) + rng.randint(3, 20)
        t.node("Case", case, kind=spec.kind, title=f"{issue.org.name}{first_name}{tail}{issue.category}问题案",
               opened_on=_iso(opened), closed_on=_iso(closed), status="closed" if closed else "open")
        if spec.via_clue:
            t.rel("LED_TO", clue, case)
        else:
            t.rel("LED_TO", issue.id, case)
        for pid, _ in subjects:
            t.rel("CONCERNS", case, ids[pid])
        if spec.org_measure:
            t.rel("CONCERNS", case, issue.org.id)
        # explicit responsibility on part of the issues (the rest falls on the principals then in office)
        if issue.cases == 1 and rng.random() < 0.45:
            for pid, pk in subjects:
                t.rel("RESPONSIBLE", issue.id, ids[pid], kind=resp_kind[pk])
            if issue.org.kind == K_GOVERNMENT:
                secretary = [x for x in self.principals_at(pc.id, issue.occurred) if x not in {s for s, _ in subjects}]
                if secretary:
                    t.rel("RESPONSIBLE", issue.id, ids[secretary[0]], kind=RESP_OVERALL)
        if spec.exposed:
            xid = self.next_id(f"EX-{year}", 3)
            published = max(dates or [opened]) + rng.randint(10, 40)
            label = "道路交通安全和运输执法领域" if campaign else "法治督察发现"
            t.node("Exposure", xid, published_on=_iso(published), channel=rng.choice(_EXPOSURE_CHANNELS),
                   title=f"{label}典型问题通报：{issue.org.name}{issue.category}问题")
            t.rel("EXPOSED_IN", case, xid)
            if campaign:
                self.campaign_facts.exposed_cases.add(case)

    def _check_campaign(self) -> None:
        exp = self.p.expected
        got = count_four_forms(self.campaign_facts)
        figures = {"campaign_held_accountable": got.held_accountable, "campaign_sanctioned": got.sanctioned,
                   "campaign_transferred_to_discipline": got.transferred_to_discipline,
                   "campaign_transferred_to_judicial": got.transferred_to_judicial,
                   "campaign_exposed_cases": got.exposed_cases}
        wrong = {k: (v, exp[k]) for k, v in figures.items() if v != exp[k]}
        if wrong:
            raise AssertionError(f"campaign figures (got, expected): {wrong}")
