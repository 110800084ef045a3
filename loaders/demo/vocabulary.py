"""The words the demo is written in: name pools, ethnic mixes, department catalogues, titles, issue texts.

    >>> from loaders.demo.vocabulary import PROVINCE_DEPTS, SURNAME_TABLE
    >>> PROVINCE_DEPTS[13], SURNAME_TABLE[0]
    (('transport', '交通运输厅', '厅长', 'gov'), '王')

Nothing here draws a random number: the stages draw from these tuples and tables. Names are
invented (surname and given-name pools, no real person); department catalogues follow the real
structure of Gansu's party and government organs at each level; the issue catalogues give, per
field, the severity weights (minor, serious, major) and sample details for ``Issue.summary``.
"""

from __future__ import annotations

from loaders.demo.terms import R_COUNTY_D, R_STAFF, R_TOWN_D, R_TOWN_P

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶"
    "阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺"
    "赖龚文牛祁"
)


def weighted_table(weighted: list[tuple[str, int]]) -> list[str]:
    """A lookup table drawing ``value`` with probability ∝ ``count``: uniform draws from it are fast."""
    return [v for v, n in weighted for _ in range(n)]


# common surnames first, about 1/(rank + 6) as often
SURNAME_TABLE = weighted_table([(c, round(600 / (i + 6))) for i, c in enumerate(SURNAMES)])
MALE_CHARS = "伟强磊军洋勇杰涛明超刚平辉斌鹏飞波海峰俊志国永建文东林成荣新德亮光天瑞翔宇鑫博诚毅兵浩宏"
FEMALE_CHARS = "芳娜敏静丽艳秀霞桂英华玉兰萍红晨欣婷雪琳慧颖佳晓春云燕莉岚晶蓉倩梅琴丹娟"


def _given_table(chars: str) -> list[str]:
    """Given names of one or two characters: about 30% one (王芳), 70% two (王晓燕)."""
    doubles = [a + b for a in chars for b in chars if a != b]
    repeat = round(0.30 * len(doubles) / (0.70 * len(chars)))
    return weighted_table([(c, repeat) for c in chars]) + doubles


MALE_GIVEN = _given_table(MALE_CHARS)
FEMALE_GIVEN = _given_table(FEMALE_CHARS)
HUI_SURNAMES = "马马马马马丁白何穆冶韩妥沙"
TIBETAN_A = ("扎西", "才让", "多杰", "尕藏", "旦正", "索南", "完玛", "华旦", "仁青", "桑杰", "贡保", "周加")
TIBETAN_B = ("才让", "东智", "加措", "卓玛", "拉毛", "道吉", "草", "吉", "措", "太", "当周")
HUI_STYLE = ("回族", "东乡族", "撒拉族", "保安族")

ETHNIC_MIX: dict[str, tuple[tuple[str, float], ...]] = {
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
ETHNIC_TABLE = {k: weighted_table([(e, round(w * 2)) for e, w in v]) for k, v in ETHNIC_MIX.items()}
# 宪法 art. 114 and the autonomy law: the head of an autonomous area's government is a citizen of
# the autonomous nationality (RESEARCH.md §7.2).
GOVERNOR_ETHNICITY = {
    "622900": "回族",
    "623000": "藏族",
    "620623": "藏族",
    "620525": "回族",
    "620721": "裕固族",
    "620923": "蒙古族",
    "620924": "哈萨克族",
    "622926": "东乡族",
    "622927": "保安族",
}

# ---------------------------------------------------------------- organisations

# (key, name suffix, principal title, side): gov = 党组书记 + 行政首长; psb = 党委书记 + 首长 (always
# 一肩挑); party = 党委工作部门 with one principal.
PROVINCE_DEPTS = (
    ("ndrc", "发展和改革委员会", "主任", "gov"),
    ("education", "教育厅", "厅长", "gov"),
    ("science", "科学技术厅", "厅长", "gov"),
    ("industry", "工业和信息化厅", "厅长", "gov"),
    ("ethnic", "民族事务委员会", "主任", "gov"),
    ("psb", "公安厅", "厅长", "psb"),
    ("civil", "民政厅", "厅长", "gov"),
    ("justice", "司法厅", "厅长", "gov"),
    ("finance", "财政厅", "厅长", "gov"),
    ("hrss", "人力资源和社会保障厅", "厅长", "gov"),
    ("land", "自然资源厅", "厅长", "gov"),
    ("ecology", "生态环境厅", "厅长", "gov"),
    ("housing", "住房和城乡建设厅", "厅长", "gov"),
    ("transport", "交通运输厅", "厅长", "gov"),
    ("water", "水利厅", "厅长", "gov"),
    ("agriculture", "农业农村厅", "厅长", "gov"),
    ("commerce", "商务厅", "厅长", "gov"),
    ("culture", "文化和旅游厅", "厅长", "gov"),
    ("health", "卫生健康委员会", "主任", "gov"),
    ("veterans", "退役军人事务厅", "厅长", "gov"),
    ("emergency", "应急管理厅", "厅长", "gov"),
    ("audit", "审计厅", "厅长", "gov"),
    ("sasac", "人民政府国有资产监督管理委员会", "主任", "gov"),
    ("market", "市场监督管理局", "局长", "gov"),
    ("forestry", "林业和草原局", "局长", "gov"),
    ("medical", "医疗保障局", "局长", "gov"),
    ("statistics", "统计局", "局长", "gov"),
    ("petition", "信访局", "局长", "gov"),
    ("drug", "药品监督管理局", "局长", "gov"),
    ("sport", "体育局", "局长", "gov"),
    ("energy", "能源局", "局长", "gov"),
    ("general_office", "办公厅", "主任", "party"),
    ("organisation", "组织部", "部长", "party"),
    ("propaganda", "宣传部", "部长", "party"),
    ("united_front", "统战部", "部长", "party"),
    ("political_legal", "政法委员会", "书记", "party"),
    ("cyberspace", "网络安全和信息化委员会办公室", "主任", "party"),
    ("staffing", "机构编制委员会办公室", "主任", "party"),
)
PREFECTURE_DEPTS = (
    ("ndrc", "发展和改革委员会", "主任", "gov"),
    ("education", "教育局", "局长", "gov"),
    ("industry", "工业和信息化局", "局长", "gov"),
    ("psb", "公安局", "局长", "psb"),
    ("civil", "民政局", "局长", "gov"),
    ("justice", "司法局", "局长", "gov"),
    ("finance", "财政局", "局长", "gov"),
    ("hrss", "人力资源和社会保障局", "局长", "gov"),
    ("land", "自然资源局", "局长", "gov"),
    ("ecology", "生态环境局", "局长", "gov"),
    ("housing", "住房和城乡建设局", "局长", "gov"),
    ("transport", "交通运输局", "局长", "gov"),
    ("water", "水务局", "局长", "gov"),
    ("agriculture", "农业农村局", "局长", "gov"),
    ("commerce", "商务局", "局长", "gov"),
    ("culture", "文化和旅游局", "局长", "gov"),
    ("health", "卫生健康委员会", "主任", "gov"),
    ("veterans", "退役军人事务局", "局长", "gov"),
    ("emergency", "应急管理局", "局长", "gov"),
    ("audit", "审计局", "局长", "gov"),
    ("market", "市场监督管理局", "局长", "gov"),
    ("forestry", "林业和草原局", "局长", "gov"),
    ("medical", "医疗保障局", "局长", "gov"),
    ("statistics", "统计局", "局长", "gov"),
    ("petition", "信访局", "局长", "gov"),
    ("general_office", "办公室", "主任", "party"),
    ("organisation", "组织部", "部长", "party"),
    ("propaganda", "宣传部", "部长", "party"),
    ("united_front", "统战部", "部长", "party"),
    ("political_legal", "政法委员会", "书记", "party"),
)
COUNTY_DEPTS = (
    ("ndrc", "发展和改革局", "局长", "gov"),
    ("education", "教育局", "局长", "gov"),
    ("psb", "公安局", "局长", "psb"),
    ("civil", "民政局", "局长", "gov"),
    ("justice", "司法局", "局长", "gov"),
    ("finance", "财政局", "局长", "gov"),
    ("hrss", "人力资源和社会保障局", "局长", "gov"),
    ("land", "自然资源局", "局长", "gov"),
    ("housing", "住房和城乡建设局", "局长", "gov"),
    ("transport", "交通运输局", "局长", "gov"),
    ("water", "水务局", "局长", "gov"),
    ("agriculture", "农业农村局", "局长", "gov"),
    ("health", "卫生健康局", "局长", "gov"),
    ("emergency", "应急管理局", "局长", "gov"),
    ("audit", "审计局", "局长", "gov"),
    ("market", "市场监督管理局", "局长", "gov"),
    ("forestry", "林业和草原局", "局长", "gov"),
    ("medical", "医疗保障局", "局长", "gov"),
    ("general_office", "办公室", "主任", "party"),
    ("organisation", "组织部", "部长", "party"),
    ("propaganda", "宣传部", "部长", "party"),
)
NEW_AREA_DEPTS = (
    "ndrc",
    "education",
    "psb",
    "justice",
    "finance",
    "land",
    "ecology",
    "housing",
    "transport",
    "market",
    "emergency",
    "organisation",
)

# Staff titles by the rank drawn for a staff member; police and transport enforcement get their own.
STAFF_RANK_TABLE = weighted_table([(R_STAFF, 13), (R_TOWN_D, 4), (R_TOWN_P, 2), (R_COUNTY_D, 1)])
STAFF_TITLES = {
    "default": {
        R_STAFF: ("一级科员", "二级科员", "科员", "办事员"),
        R_TOWN_D: ("四级主任科员", "三级主任科员", "副科长"),
        R_TOWN_P: ("二级主任科员", "一级主任科员", "科长"),
        R_COUNTY_D: ("四级调研员", "三级调研员", "副处长"),
    },
    "psb": {
        R_STAFF: ("民警", "交警大队民警", "二级警员", "一级警员"),
        R_TOWN_D: ("二级警长", "交警中队副中队长"),
        R_TOWN_P: ("一级警长", "交警中队中队长"),
        R_COUNTY_D: ("交警支队副支队长", "三级高级警长"),
    },
    "transport": {
        R_STAFF: ("交通运输综合执法队员", "路政员", "科员"),
        R_TOWN_D: ("执法中队副中队长", "四级主任科员"),
        R_TOWN_P: ("执法中队中队长", "科长"),
        R_COUNTY_D: ("执法支队副支队长", "四级调研员"),
    },
}

# ---------------------------------------------------------------- 督 and 责 vocabulary

RT_ISSUES = (  # (category, severity weights minor/serious/major, details)
    ("逐利执法", (2, 5, 1), ("违规设定罚没收入指标", "对货运车辆重复处罚", "以罚代管、只罚不纠")),
    ("执法不规范", (5, 3, 0), ("执法记录仪未全程开启", "执法文书填写不规范", "未依法告知当事人陈述申辩权利")),
    ("超范围执法", (3, 4, 1), ("超越职权扣留车辆", "对非管辖路段车辆实施检查")),
    ("执法方式简单僵化", (5, 2, 0), ("对轻微违法一律顶格处罚", "未落实首违不罚清单")),
    ("执法粗暴", (2, 4, 1), ("执法过程中态度粗暴、言语不文明", "暴力拦截车辆")),
    ("执法“寻租”", (0, 2, 4), ("收受好处费后减免处罚", "与停车场勾连收取高额停车费")),
)
COMPREHENSIVE_ISSUES = (
    ("法治建设第一责任人职责落实不到位", (3, 3, 0), ("党政主要负责人未专题研究法治建设工作", "年度述法报告内容空泛")),
    ("重大行政决策合法性审查不到位", (2, 4, 1), ("重大行政决策未经合法性审查即提交审议", "未建立重大行政决策目录")),
    ("规范性文件备案审查不规范", (4, 2, 0), ("规范性文件未按期报备", "清理规范性文件不及时")),
    ("行政执法“三项制度”落实不到位", (4, 3, 0), ("重大执法决定法制审核流于形式", "执法公示信息更新不及时")),
    ("普法责任制落实不到位", (5, 1, 0), ("“谁执法谁普法”责任清单未落实", "普法工作无年度计划")),
    ("行政复议应诉工作不规范", (3, 3, 0), ("行政机关负责人出庭应诉率偏低", "行政复议决定履行不到位")),
)
THEME_ISSUES = {
    "食品药品": (("食品药品执法不严", (2, 4, 1), ("对无证经营长期未予查处", "抽检不合格产品处置不及时")),),
    "行政复议": (("行政复议体制改革不到位", (3, 3, 0), ("复议职责整合后人员未到位", "复议案件超期办理")),),
    "营商环境": (
        ("营商环境法治保障不足", (3, 3, 1), ("涉企检查频次过多", "违规设置市场准入门槛")),
        ("涉企执法不规范", (3, 3, 0), ("对企业轻微违法未适用免罚清单",)),
    ),
    "黄河": (("生态保护执法不力", (2, 4, 1), ("河道违法采砂查处不力", "排污口整治不到位")),),
    "保供": (("基本生活保供执法不到位", (4, 2, 0), ("价格监测预警机制未落实", "储备粮监管存在漏洞")),),
    "耕地": (("耕地占用补偿不到位", (2, 4, 1), ("占补平衡项目验收不严", "违法占用耕地查处不及时")),),
    "安全生产": (("安全生产执法宽松软", (2, 4, 1), ("重大隐患整改未跟踪到位", "执法检查走过场")),),
}
SPECIAL_THEMES = (  # (title, start, end, theme key, department keys inspected)
    ("食品药品领域执法专项督察", (3, 13), (3, 24), "食品药品", ("market", "drug")),
    ("行政复议体制改革专项督察", (4, 17), (4, 28), "行政复议", ("justice",)),
    ("优化法治化营商环境专项督察", (5, 22), (6, 2), "营商环境", ("ndrc", "market", "commerce")),
    ("《甘肃省黄河流域生态保护条例》实施情况专项督察", (7, 3), (7, 14), "黄河", ("ecology", "water")),
    ("“米袋子”“菜篮子”“果盘子”基本生活保供专项督察", (8, 7), (8, 18), "保供", ("agriculture", "commerce")),
    ("耕地占用补偿制度落实情况专项督察", (9, 4), (9, 15), "耕地", ("land", "agriculture")),
    ("安全生产领域执法专项督察", (11, 6), (11, 17), "安全生产", ("emergency",)),
)
COMPREHENSIVE = (
    ("2023年全省市县法治建设全面督察", (6, 5), (6, 20)),
    ("2023年法治政府建设全面督察", (8, 14), (8, 25)),
    ("“一规划两方案”落实情况全面督察", (9, 11), (9, 22)),
    ("“八五”普法规划实施情况全面督察", (10, 16), (10, 27)),
)
RT_WINDOWS = (((4, 10), (4, 21)), ((5, 15), (5, 26)), ((6, 12), (6, 23)), ((7, 10), (7, 21)))
RT_REGIONS = (  # the four 片区 of the road-traffic inspections at full scale
    ("河西片区", ("620200", "620300", "620600", "620700", "620900")),
    ("陇中片区", ("620100", "620171", "620400", "621100")),
    ("陇东片区", ("620500", "620800", "621000")),
    ("陇南及民族地区片区", ("621200", "622900", "623000")),
)
DOC_ABBR = {
    "620000": "甘",
    "620100": "兰",
    "620171": "兰新",
    "620200": "嘉",
    "620300": "金",
    "620400": "白",
    "620500": "天",
    "620600": "武",
    "620700": "张",
    "620800": "平",
    "620900": "酒",
    "621000": "庆",
    "621100": "定",
    "621200": "陇",
    "622900": "临",
    "623000": "南",
}
EXPOSURE_CHANNELS = ("甘肃省纪委监委网站", "法治甘肃微信公众号", "甘肃日报", "甘肃政法网")
REVIEW_COMMENTS = (
    "述法报告内容全面，第一责任人职责履行到位，建议在重大行政决策合法性审查上再加力。",
    "对法治督察反馈问题整改较为扎实，述法重点突出，下一步要强化行政执法监督。",
    "学习贯彻习近平法治思想有举措，但对基层法治建设指导不够，需补齐短板。",
    "述法实事求是，问题查摆较深，整改措施具体可行。",
    "法治政府建设推进有力，道路交通领域执法突出问题整改成效明显。",
)
COURSE_THEMES = (
    "习近平法治思想专题培训班",
    "习近平法治思想专题研讨班",
    "领导干部依法行政能力提升培训班",
    "行政执法人员法治素养培训班",
    "法治政府建设专题培训班",
    "基层法治建设骨干培训班",
)
LECTURE_THEMES = (
    "习近平法治思想辅导讲座",
    "宪法专题辅导讲座",
    "民法典专题辅导讲座",
    "行政复议法专题辅导讲座",
    "党内法规专题讲座",
    "法治政府建设专题讲座",
)

# ---------------------------------------------------------------- the discipline caseload, 2018–2024

# (category, details) by the heaviest grade of an issue's cases; the families follow the CCDI's
# monthly 中央八项规定 tables and the 纪律处分条例's six disciplines (RESEARCH.md §9.2).
CASELOAD_ISSUES: dict[str | None, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "criminal": (
        ("贪污贿赂", ("利用职务便利收受他人财物", "在工程招投标中为他人谋取利益并收受好处", "侵吞、套取公款")),
        ("滥用职权", ("违规审批造成国有资产重大损失", "违规出借财政资金")),
        ("玩忽职守", ("监管失职导致重大安全责任事故", "审核把关不严致使国家利益遭受重大损失")),
    ),
    "heavy": (
        ("违反廉洁纪律", ("违规经商办企业", "利用职务影响为亲属经营活动谋利", "违规借用管理服务对象大额资金")),
        ("群众身边腐败问题", ("截留挪用惠民惠农补贴资金", "虚报冒领扶贫项目资金", "侵占村集体资产")),
        ("违反组织纪律", ("违规选拔任用干部", "在干部选拔中搞拉票贿选")),
    ),
    "medium": (
        (
            "违反中央八项规定精神",
            ("违规收受礼品礼金", "违规公款吃喝", "违规发放津贴补贴", "公车私用", "违规操办婚丧喜庆事宜"),
        ),
        ("违反工作纪律", ("违规干预插手工程项目", "履职不力造成不良影响", "违规出具证明材料")),
        ("违反组织纪律", ("不如实报告个人有关事项", "违规办理因私出国（境）证件")),
        ("群众身边不正之风", ("优亲厚友违规认定低保", "吃拿卡要、故意刁难办事群众")),
    ),
    "light": (
        (
            "形式主义、官僚主义",
            (
                "落实上级决策部署打折扣、做选择",
                "督查检查考核过多过频、过度留痕",
                "脱离实际搞“一刀切”",
                "文山会海反弹回潮",
            ),
        ),
        ("违反工作纪律", ("工作作风漂浮、推诿扯皮", "上班时间擅离职守", "政务服务窗口服务态度差")),
        ("违反中央八项规定精神", ("超标准接待", "违规使用公务用车")),
    ),
    None: (
        ("内部管理不规范", ("财务报销手续不完备", "固定资产登记不及时", "公务用车管理台账不全")),
        ("制度执行不到位", ("“三重一大”事项集体决策记录不全", "政府采购程序不规范")),
    ),
}
CLUE_SOURCES = (
    ("petition_report", 45),
    ("found_in_supervision", 30),
    ("inspection_tour_transfer", 12),
    ("audit_transfer", 6),
    ("law_enforcement_judicial_transfer", 4),
    ("rule_of_law_inspection_transfer", 3),
)
SUPERVISION_KINDS = (
    (("field", "监督检查"), 4),
    (("open_and_undercover", "明察暗访"), 3),
    (("random_spot_check", "随机抽查"), 2),
    (("desk_review", "专项审查"), 1),
)
