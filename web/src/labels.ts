// Chinese names of the API's enumeration values (the API answers identifiers; nodes carry `label`).
export const KIND: Record<string, string> = {
  Official: '干部', Organisation: '单位', Region: '行政区划', Issue: '问题', Case: '案件', Measure: '处置措施',
  Transfer: '移送', Exposure: '通报曝光', Clue: '问题线索', Inspection: '督察', Campaign: '专项整治',
  Document: '依据文件', StudyEvent: '学习培训', DutyReport: '述法', Assessment: '考评', RectificationStep: '整改进展',
}

export const POST_KIND: Record<string, string> = {
  PARTY_PRINCIPAL: '党委（党组）主要负责人', GOV_PRINCIPAL: '行政主要负责人', DEPUTY: '副职',
  TEAM_MEMBER: '班子成员', STAFF: '工作人员',
}

export const BASIS: Record<string, string> = {
  EXPLICIT: '明确认定', PRINCIPAL_AT_OCCURRENCE: '发生时在任主要负责人',
}

export const RESPONSIBILITY: Record<string, string> = {
  DIRECT: '直接责任', PRINCIPAL_LEADERSHIP: '主要领导责任', IMPORTANT_LEADERSHIP: '重要领导责任',
  OVERALL_LEADERSHIP: '全面领导责任',
}

export const STAGE: Record<string, string> = {
  DISCOVERED: '发现问题', FEEDBACK: '反馈', RECTIFYING: '整改中', RECTIFIED: '整改完成', ACCOUNTABILITY: '问责',
  TRANSFERRED: '移送', CLOSED: '办结',
}

export const ISSUE_STATUS: Record<string, string> = {
  OPEN: '未整改', RECTIFYING: '整改中', RECTIFIED: '已整改', VERIFIED: '已核验销号', REOPENED: '重新打开',
}

export const SEVERITY: Record<string, string> = { MINOR: '一般', SERIOUS: '较重', MAJOR: '严重' }

export const DEADLINE_KIND: Record<string, string> = {
  IMMEDIATE: '立行立改', TIME_LIMITED: '限期整改', LONG_TERM: '长期坚持',
}

export const STEP_KIND: Record<string, string> = {
  LEADER_INSTRUCTION: '领导批示', PLAN: '整改方案', WEEKLY_SUMMARY: '周汇总', MONTHLY_NOTICE: '月通报',
  DISPATCH_MEETING: '调度会', NOTICE: '通知', SUPERVISION_LETTER: '督办函', LOOK_BACK: '回头看',
  COMPLETION_REPORT: '整改完成报告', CLOSED: '销号',
}

export const CLUE_DISPOSAL: Record<string, string> = {
  TALK_OR_WRITTEN_INQUIRY: '谈话函询', PRELIMINARY_VERIFICATION: '初步核实', SHELVED_PENDING_INVESTIGATION: '暂存待查',
  CLOSED: '予以了结',
}

// Clue.source is free text; the demo's identifiers get their Chinese names, anything else shows as it is.
export const CLUE_SOURCE: Record<string, string> = {
  rule_of_law_inspection_transfer: '法治督察移交', petition_report: '信访举报', inspection_transfer: '督察移交',
  audit_transfer: '审计移交', self_discovered: '自行发现',
}

export const CASE_KIND: Record<string, string> = {
  ACCOUNTABILITY: '问责', DISCIPLINARY_REVIEW: '纪律审查', SUPERVISORY_INVESTIGATION: '监察调查',
}

export const TRANSFER_KIND: Record<string, string> = {
  TO_DISCIPLINE_COMMISSION_FOR_FILING: '移交纪检监察机关立案审查', TO_JUDICIAL_ORGAN: '移送司法机关',
  TO_PROCURATORATE_FOR_PROSECUTION: '移送检察机关审查起诉',
}

export const TRANSFER_OUTCOME: Record<string, string> = {
  PENDING: '待反馈', ACCEPTED: '已受理', CASE_FILED: '已立案', PROSECUTED: '已起诉', CONVICTED: '已判决',
  RETURNED: '退回', DROPPED: '不予立案',
}

export const MEASURE_KIND: Record<string, string> = {
  REMINDER_TALK: '谈话提醒', WARNING_TALK: '警示谈话', CRITICISM_EDUCATION: '批评教育', ORDERED_SELF_CRITICISM: '责令检查',
  ADMONISHMENT: '诫勉', CIRCULATED_CRITICISM: '通报批评', ORDERED_PUBLIC_APOLOGY: '责令公开道歉',
  ORDERED_RECTIFICATION_WITH_DEADLINE: '限期整改', PARTY_WARNING: '党内警告', PARTY_SERIOUS_WARNING: '党内严重警告',
  GOV_WARNING: '政务警告', GOV_DEMERIT: '记过', GOV_MAJOR_DEMERIT: '记大过', GOV_DEMOTION_IN_GRADE: '降级',
  SUSPENSION_FOR_EXAMINATION: '停职检查', POST_ADJUSTMENT: '调整职务', ORDERED_RESIGNATION: '责令辞职',
  REMOVAL_FROM_OFFICE: '免职', REMOVAL_FROM_PARTY_POSTS: '撤销党内职务', PARTY_PROBATION: '留党察看',
  EXPULSION_FROM_PARTY: '开除党籍', GOV_REMOVAL_FROM_POST: '撤职', GOV_EXPULSION: '开除', DEMOTION_IN_POST: '降职',
  ORG_EXAMINATION: '检查', ORG_CIRCULAR: '通报', ORG_REORGANIZATION: '改组',
}

export const FORM: Record<number, string> = { 1: '第一种形态', 2: '第二种形态', 3: '第三种形态', 4: '第四种形态' }
// One colour per form, used everywhere (tags, bars, Gantt): light to heavy.
export const FORM_COLOR: Record<number, string> = { 1: '#409eff', 2: '#e6a23c', 3: '#f56c6c', 4: '#6e1414' }
// Darker shades of the same hues for text on white (WCAG AA contrast).
export const FORM_TEXT_COLOR: Record<number, string> = { 1: '#1d5fa8', 2: '#8a5a00', 3: '#b42323', 4: '#6e1414' }

export const DUTY_FORM: Record<string, string> = {
  WRITTEN: '书面述法', ON_SITE: '现场述法', THEMATIC_SESSION: '专题述法', COMMISSION_MEETING: '委员会会议述法',
  ONLINE_LIVE: '网络直播述法', YEAR_END_WITHIN_DUTY_REPORT: '年终述职中述法',
}

export const STUDY_KIND: Record<string, string> = {
  CENTRAL_GROUP_STUDY: '中心组学习', TRAINING_COURSE: '培训班', LECTURE: '法治讲座', ROTATION_TRAINING: '轮训',
}

export const RANK: Record<string, string> = {
  NATIONAL_PRINCIPAL: '国家级正职', NATIONAL_DEPUTY: '国家级副职', PROVINCIAL_MINISTERIAL_PRINCIPAL: '省部级正职',
  PROVINCIAL_MINISTERIAL_DEPUTY: '省部级副职', BUREAU_PRINCIPAL: '厅局级正职', BUREAU_DEPUTY: '厅局级副职',
  COUNTY_DIVISION_PRINCIPAL: '县处级正职', COUNTY_DIVISION_DEPUTY: '县处级副职',
  TOWNSHIP_SECTION_PRINCIPAL: '乡科级正职', TOWNSHIP_SECTION_DEPUTY: '乡科级副职', STAFF: '科员及以下',
}

export const ORG_KIND: Record<string, string> = {
  PARTY_COMMITTEE: '党委', GOVERNMENT: '人民政府', PARTY_GROUP: '党组', DEPARTMENT: '部门',
  DISCIPLINE_COMMISSION: '纪委监委', RULE_OF_LAW_OFFICE: '依法治省（市、县）办', PROCURATORATE: '检察院', COURT: '法院',
  PUBLIC_SECURITY: '公安机关', TOWNSHIP: '乡镇', SUBDISTRICT: '街道', NEW_AREA_ADMIN: '新区管委会', OTHER: '其他',
}

export const REGION_LEVEL: Record<string, string> = {
  PROVINCE: '省级', PREFECTURE: '市（州）级', COUNTY: '县（市、区）级', TOWNSHIP: '乡镇级',
}

export const GENDER: Record<string, string> = { MALE: '男', FEMALE: '女' }

export const ASSESSMENT_KIND: Record<string, string> = { ROUTINE: '日常考评', ANNUAL: '年度考评' }

export const DOCUMENT_KIND: Record<string, string> = {
  NOTICE: '通报', BRIEFING: '简报', DECISION: '决定', SUPERVISION_LETTER: '督办函', REPORT: '报告', OTHER: '其他',
}

/** The label of a value, or the value itself when unknown (never an empty cell). */
export function label(map: Record<string, string>, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—'
  return map[value] ?? value
}
