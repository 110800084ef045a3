"""A small hand-built bundle full of temporal traps, written as CSV files (CONTRACT §1).

The traps, and where the tests check them:
- a succession the day after the issue occurred: 张伟's last day as 局长 of 城关区交通运输局 is
  2023-03-10, the day ISS-1 occurred; 李娜 starts on 2023-03-11 (as 代局长, acting) → 张伟 and the
  party secretary 王强 are responsible for ISS-1, not 李娜;
- acting posts: 陈明 is 代市长 (acting) from 2023-01-10, then 市长 from 2023-03-01;
- falling back to found_on: ISS-2 has no occurred_on; found 2023-05-20 → 陈明;
- explicit responsibility overriding the default: ISS-3 occurred under 刘强 but names 李娜 (direct);
- a clue between issue and case: ISS-1 → CLU-1 → CASE-1;
- one person with both a party and a government sanction: 张伟 (党内警告 + 记过) counts once as sanctioned;
- measures on both sides of a date filter: 2023-06-01, 2023-06-20, 2023-07-05 around [06-15, 06-30];
- a case in another region: CASE-3 in 嘉峪关市 (620200);
- a case with no issue: CASE-4 is placed by 李娜's post on the measure date (620102, not her earlier
  post in 嘉峪关市).
"""

from __future__ import annotations

from pathlib import Path

FILES: dict[str, str] = {
    "Region.csv": """id,name,level
620000,甘肃省,province
620100,兰州市,prefecture
620102,城关区,county
620200,嘉峪关市,prefecture
""",
    "PART_OF.csv": """from,to
620100,620000
620102,620100
620200,620000
INSP-1,CAMP-RT
""",
    "Organisation.csv": """id,name,kind,level
ORG-LZ-GOV,兰州市人民政府,government,prefecture
ORG-CG-GOV,城关区人民政府,government,county
ORG-CG-TRAFFIC,城关区交通运输局,department,county
ORG-JYG-POLICE,嘉峪关市公安局,public_security,prefecture
ORG-PROV-DISC,甘肃省纪委监委,discipline_commission,province
ORG-PROV-ROL,中共甘肃省委全面依法治省委员会办公室,rule_of_law_office,province
ORG-LZ-PROC,兰州市人民检察院,procuratorate,prefecture
""",
    "IN_REGION.csv": """from,to
ORG-LZ-GOV,620100
ORG-CG-GOV,620102
ORG-JYG-POLICE,620200
ORG-PROV-DISC,620000
ORG-PROV-ROL,620000
ORG-LZ-PROC,620100
""",
    # 城关区交通运输局 has no IN_REGION of its own: its region comes from the government it is UNDER.
    "UNDER.csv": """from,to
ORG-CG-TRAFFIC,ORG-CG-GOV
""",
    "Official.csv": """id,name,gender,birth_year,party_member,rank
OFF-ZW,张伟,male,1975,true,county_division_principal
OFF-LN,李娜,female,1982,true,county_division_principal
OFF-WQ,王强,male,1970,true,county_division_principal
OFF-CM,陈明,male,1968,true,bureau_principal
OFF-LQ,刘强,male,1960,true,bureau_principal
OFF-HL,黄磊,male,1979,true,county_division_deputy
""",
    "HELD_POST.csv": """from,to,title,post_kind,acting,start,end
OFF-ZW,ORG-CG-TRAFFIC,局长,gov_principal,false,2020-01-01,2023-03-10
OFF-LN,ORG-JYG-POLICE,副局长,deputy,false,2018-01-01,2023-03-10
OFF-LN,ORG-CG-TRAFFIC,代局长,gov_principal,true,2023-03-11,2023-06-30
OFF-LN,ORG-CG-TRAFFIC,局长,gov_principal,false,2023-07-01,
OFF-WQ,ORG-CG-TRAFFIC,党组书记,party_principal,false,2019-05-01,
OFF-LQ,ORG-LZ-GOV,市长,gov_principal,false,2018-01-01,2023-01-09
OFF-CM,ORG-LZ-GOV,代市长,gov_principal,true,2023-01-10,2023-02-28
OFF-CM,ORG-LZ-GOV,市长,gov_principal,false,2023-03-01,
OFF-HL,ORG-JYG-POLICE,副局长,deputy,false,2019-01-01,
""",
    "Campaign.csv": """id,name,year,kind
CAMP-RT,道路交通安全和运输执法领域突出问题专项整治,2023,special_campaign
""",
    "Inspection.csv": """id,kind,title,start,end
INSP-1,special,道路交通执法专项督察,2023-04-01,2023-05-31
INSP-2,comprehensive,2023年综合督察,2023-05-01,2023-06-30
""",
    "ORGANISED.csv": """from,to
ORG-PROV-ROL,INSP-1
ORG-PROV-ROL,INSP-2
ORG-PROV-ROL,SE-1
""",
    "INSPECTED.csv": """from,to
INSP-1,ORG-CG-TRAFFIC
INSP-1,ORG-LZ-GOV
INSP-2,ORG-LZ-GOV
INSP-2,ORG-JYG-POLICE
""",
    "Issue.csv": "id,summary,category,severity,occurred_on,found_on,feedback_on,feedback_form,deadline,"
    """deadline_kind,status
ISS-1,城关区交通运输局以罚代管、逐利执法,逐利执法,serious,2023-03-10,2023-04-15,2023-04-18,point_to_point,2023-06-30,time_limited,rectified
ISS-2,兰州市道路运输违规收费,违规收费,major,,2023-05-20,2023-05-25,back_to_back,2023-08-31,time_limited,rectifying
ISS-3,兰州市行政审批超时限,审批超时,minor,2022-12-01,2023-06-01,2023-06-05,point_to_point,,long_term,open
ISS-4,嘉峪关市公安局执法不规范,执法不规范,serious,2023-02-01,2023-05-10,,,,,verified
""",
    "FOUND.csv": """from,to
INSP-1,ISS-1
INSP-1,ISS-2
INSP-2,ISS-3
INSP-2,ISS-4
""",
    "AT.csv": """from,to
ISS-1,ORG-CG-TRAFFIC
ISS-2,ORG-LZ-GOV
ISS-3,ORG-LZ-GOV
ISS-4,ORG-JYG-POLICE
""",
    "RESPONSIBLE.csv": """from,to,kind
ISS-3,OFF-LN,direct
""",
    # Listed out of date order on purpose: the chain must sort them.
    "RectificationStep.csv": """id,kind,date,note
STEP-3,completion_report,2023-06-10,整改完成
STEP-1,leader_instruction,2023-04-20,局长批示立即整改
STEP-2,plan,2023-04-25,制定整改方案
""",
    "HAS_STEP.csv": """from,to
ISS-1,STEP-3
ISS-1,STEP-1
ISS-1,STEP-2
""",
    "Clue.csv": """id,source,received_on,disposal,disposed_on
CLU-1,督察移交,2023-04-30,preliminary_verification,2023-05-15
""",
    "Case.csv": """id,kind,title,opened_on,closed_on,status
CASE-1,accountability,城关区交通运输局逐利执法问责案,2023-05-20,2023-08-01,closed
CASE-2,disciplinary_review,陈明违规收费审查调查案,2023-06-01,,open
CASE-3,accountability,嘉峪关市公安局执法不规范问责案,2023-05-12,2023-05-30,closed
CASE-4,accountability,李娜履职不力问责案,2023-03-25,2023-04-10,closed
""",
    "LED_TO.csv": """from,to
ISS-1,CLU-1
CLU-1,CASE-1
ISS-2,CASE-2
ISS-4,CASE-3
""",
    "CONCERNS.csv": """from,to
CASE-1,OFF-ZW
CASE-1,OFF-WQ
CASE-2,OFF-CM
CASE-3,OFF-HL
CASE-4,OFF-LN
""",
    "Measure.csv": """id,kind,decided_on,effective_on
M-1,admonishment,2023-06-01,2023-06-01
M-2,party_warning,2023-06-20,2023-06-20
M-3,gov_demerit,2023-07-05,2023-07-05
M-4,expulsion_from_party,2023-08-10,2023-08-10
M-5,warning_talk,2023-05-05,2023-05-05
M-6,circulated_criticism,2023-04-01,2023-04-01
""",
    "DECIDED.csv": """from,to
CASE-1,M-1
CASE-1,M-2
CASE-1,M-3
CASE-2,M-4
CASE-3,M-5
CASE-4,M-6
""",
    "APPLIES_TO.csv": """from,to
M-1,OFF-WQ
M-2,OFF-ZW
M-3,OFF-ZW
M-4,OFF-CM
M-5,OFF-HL
M-6,OFF-LN
""",
    "BY.csv": """from,to
M-2,ORG-PROV-DISC
STEP-1,OFF-LN
""",
    "Transfer.csv": """id,kind,transferred_on,outcome,outcome_on
T-1,to_discipline_commission_for_filing,2023-07-10,case_filed,2023-08-01
T-2,to_procuratorate_for_prosecution,2023-08-15,pending,
""",
    "TRANSFERRED.csv": """from,to
CASE-1,T-1
CASE-2,T-2
""",
    "TO.csv": """from,to
T-1,ORG-PROV-DISC
T-2,ORG-LZ-PROC
""",
    "Exposure.csv": """id,published_on,channel,title
X-1,2023-07-20,甘肃省纪委监委网站,城关区交通运输局逐利执法问题通报
X-2,2023-09-01,甘肃日报,陈明严重违纪违法问题通报
""",
    "EXPOSED_IN.csv": """from,to
CASE-1,X-1
CASE-2,X-2
""",
    "Document.csv": """id,title,doc_no,date,kind
DOC-1,关于城关区交通运输局逐利执法问题的督察通报,甘法督〔2023〕5号,2023-04-18,notice
DOC-2,党纪处分决定书,甘纪〔2023〕12号,2023-06-20,decision
""",
    "EVIDENCED_BY.csv": """from,to,page,note
ISS-1,DOC-1,3,问题描述
M-2,DOC-2,1,
""",
    "StudyEvent.csv": """id,kind,title,date
SE-1,training_course,道路交通执法规范化培训班,2023-02-15
""",
    "ATTENDED.csv": """from,to
OFF-ZW,SE-1
""",
    "DutyReport.csv": """id,year,form,reporter_role,score,grade
DR-1,2023,written,县直部门主要负责人,86.5,良好
""",
    "SUBMITTED.csv": """from,to
OFF-ZW,DR-1
""",
    "REVIEWED_BY.csv": """from,to,date
DR-1,ORG-PROV-ROL,2023-12-20
""",
}


def write_bundle(folder: Path) -> Path:
    """Write the bundle's CSV files into ``folder`` (UTF-8) and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder
