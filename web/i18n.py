"""Interface strings, Chinese first with an English toggle (?lang=en)."""
from kg.core.types import BY_NAME

STRINGS = {
    "site": ("政务知识图谱", "Government Report Knowledge Graph"),
    "search": ("搜索", "Search"),
    "search_placeholder": ("部门、地点、法规、举措或任意词句(可用拼音)", "Department, place, regulation, initiative or any words (pinyin works)"),
    "reports": ("报告", "Reports"),
    "regulations": ("法规文件", "Regulations"),
    "sparql": ("SPARQL 查询", "SPARQL"),
    "examples": ("示例问题", "Example questions"),
    "corpus": ("语料概况", "What the corpus holds"),
    "hits": ("条结果", "results"),
    "read_as": ("按拼音读作", "Read as pinyin:"),
    "read_as_initials": ("按拼音首字母读作", "Read as the first letters of pinyin syllables:"),
    "other_readings": ("也可能是", "or perhaps"),
    "no_results": ("没有找到。可以换一个较短的词,或去掉 type:、year: 等筛选条件。",
                   "Nothing found. Try a shorter word, or leave out filters such as type: and year:."),
    "entities": ("实体", "Entities"),
    "passages": ("原文段落", "Passages"),
    "facts": ("事实", "Facts"),
    "acted_under": ("依据的法规", "Regulations acted under"),
    "places": ("地点", "Places"),
    "metrics": ("指标", "Metrics"),
    "acted_with": ("协同部门", "Departments it acted with"),
    "who_acted": ("依据该法规行动的部门", "Who acted under it"),
    "citing_reports": ("引用该法规的报告", "Reports citing it"),
    "naming_reports": ("提及它的报告", "Reports naming it"),
    "who_acted_initiative": ("参与该举措的部门", "Departments acting in it"),
    "who_acted_place": ("在此行动的部门", "Departments acting here"),
    "hierarchy": ("行政隶属", "Hierarchy"),
    "children": ("下辖", "Contains"),
    "happened_here": ("在此发生的事实", "What happened here"),
    "aliases": ("别名", "Also written"),
    "type": ("类型", "Type"),
    "level": ("层级", "Level"),
    "issuer": ("发布机关", "Issuer"),
    "pinyin": ("拼音", "Pinyin"),
    "sentence": ("原句", "Sentence"),
    "document": ("文档", "Document"),
    "section": ("章节", "Section"),
    "implicit": ("主体隐含", "implicit agent"),
    "run": ("运行", "Run"),
    "gallery": ("查询示例", "Query gallery"),
    "download": ("下载", "Download"),
    "time": ("耗时", "time"),
    "truncated": ("结果已截断,仅显示前", "Results truncated: only the first"),
    "rows": ("行", "rows"),
    "run_hint": ("Ctrl+Enter 运行", "Ctrl+Enter runs"),
    "permalink": ("永久链接", "Permalink"),
    "view": ("视图", "View"),
    "view_table": ("表格", "Table"),
    "view_bar": ("柱状图", "Bar chart"),
    "view_line": ("折线图", "Line chart"),
    "no_chart": ("结果中没有可绘制的数值列,请用表格查看。", "The result has no column of numbers to draw; see it as a table."),
    "sort": ("按此列排序", "Sort by this column"),
    "page": ("页码", "page"),
    "any": ("(任意)", "(any)"),
    "not_found": ("未找到", "Not found"),
    "prev": ("上一页", "Previous"),
    "next": ("下一页", "Next"),
    "graph": ("关系图", "Graph"),
    "metadata": ("元数据", "Metadata"),
    "language": ("English", "中文"),
    "stated": ("报告明确由其实施的事实", "Facts the report states it did"),
    "named": ("报告提及其参与的事实", "Facts that name it"),
    "likely": ("按职能推断可能由其实施的事实", "Facts it likely carried out (by its functions)"),
    "likely_note": ("推断:报告未写明主体,依据该部门的法定职能推定,非报告原文陈述。",
                    "An inference: the report names no agent; the department's legal functions suggest it. "
                    "Not a statement of the report."),
    "likely_executors": ("可能的执行部门(按职能推断)", "Likely executors (inferred by function)"),
    "participants": ("参与方", "Participants"),
    "units": ("下属机构", "Sub-units"),  # internal units (股, 科) and offices sent out (司法所)
    "parent": ("上级机构", "Parent body"),
    "members": ("成员", "Members"),
    "initiatives": ("举措", "Initiatives"),
    "basis": ("依据", "basis"),
    "departments": ("部门", "Departments"),
    "sort_by": ("排序", "Sort by"),
    "sort_stated": ("明确实施", "Stated"),
    "sort_named": ("提及参与", "Named"),
    "sort_likely": ("按职能推断", "Likely"),
    "sort_name": ("名称", "Name"),
    "sort_facts": ("事实数", "Facts"),
    "sort_reports": ("提及的报告数", "Reports naming it"),
    "all": ("全部", "all"),
    "within": ("所属", "Within"),
    "filter": ("筛选", "Filter"),
    "agent": ("主体", "Agent"),
    "fact_page": ("事实详情", "Fact page"),
    "filter_agent": ("实施主体", "Stated agent"),
    "filter_participant": ("提及参与", "Named participant"),
    "filter_likely": ("按职能推断的执行部门", "Likely executor"),
    "n_facts": ("{n}条", "{n} facts"),
    "part_problems": ("存在的问题:不计为事实", "problems: not counted as facts"),
    "part_plans": ("今后的计划:不计为事实", "plans: not counted as facts"),
    "one_fact": ("1条", "1 fact"),
    "filter_heading": ("所在章节标题提及", "Under a heading naming"),
    "under_heading": ("标题提及它的章节下的工作", "Work reported under a heading that names it"),
    "under_heading_note": ("报告以它为章节标题(如“二、深化‘放管服’改革”),其下各项工作围绕它开展;句子本身未必提到它。",
                           "A report heads a section with it; the work below is reported under it, though each "
                           "sentence need not name it."),
    "filter_regulation": ("依据法规", "Under the regulation"),
    "filter_initiative": ("所属举措", "In the initiative"),
    "filter_place": ("地点", "In the place"),
    "see_all": ("查看全部", "See all"),
    "shown_of": ("显示前", "showing the first"),
    "region": ("地区", "Region"),
    "facet_department": ("部门", "Department"),
    "facet_place": ("地点", "Place"),
    "facet_region": ("地区", "Region"),
    "facet_year": ("年份", "Year"),
    "error_400": ("请求有误", "Bad request"),
    "error_403": ("不允许的操作", "Forbidden"),
    "error_404": ("未找到", "Not found"),
    "error_405": ("不支持的请求方法", "Method not allowed"),
    "error_413": ("请求过大", "Request too large"),
    "error_500": ("服务器出错", "Server error"),
    "error_503": ("暂无可用数据", "No data"),
    "error_detail": ("详细说明(英文):", "Details:"),
    "period": ("时期", "Period"),
}


# names of properties shown on entity pages
PROPERTIES = {
    "altLabel": ("别名", "Also written"), "level": ("层级", "Level"), "kind": ("类别", "Kind"),
    "regulationType": ("文件类型", "Document type"), "placeType": ("地点类型", "Kind of place"),
    "pinyin": ("拼音", "Pinyin"), "divisionCode": ("区划代码", "Division code"), "action": ("行为", "Action"),
    "object": ("对象", "Object"), "indicator": ("指标", "Indicator"), "value": ("数值", "Value"),
    "unit": ("单位", "Unit"), "approximate": ("约数", "Approximate"),
    "period": ("时期", "Period"), "year": ("年份", "Year"), "issued": ("发布日期", "Published"),
    "publisher": ("来源", "Source"), "indexNumber": ("索引号", "Index number"),
    "documentNumber": ("文号", "Document number"), "source": ("原文地址", "Original address"),
}
# values of levels, kinds and types, as the graph stores them (English words) and in Chinese
VALUES = {
    "national": ("国家级", "national"), "provincial": ("省级", "provincial"), "municipal": ("市级", "municipal"),
    "district": ("区(县)级", "district"), "county": ("县级", "county"), "town": ("乡镇(街道)级", "town"),
    "unknown": ("未知", "unknown"), "bureau": ("工作部门", "bureau"), "center": ("中心", "centre"),
    "congress": ("人大", "people's congress"), "government": ("人民政府", "government"), "meeting": ("会议", "meeting"),
    "office": ("办事机构", "office"), "party": ("党的机构", "Party body"), "subunit": ("下属单位", "subordinate unit"),
    "unit": ("内设机构", "internal unit"), "court": ("法院", "court"), "procuratorate": ("检察院", "procuratorate"),
    "cppcc": ("政协", "CPPCC"), "group": ("领导小组", "leading group"), "supervision": ("监察机关", "supervision"),
    "commission": ("委员会", "commission"), "committee": ("委员会", "committee"), "mass": ("群团组织", "mass organisation"),
    "province": ("省级行政区", "province"), "city": ("地级市", "city"), "community": ("社区", "community"),
    "village": ("村", "village"), "zone": ("园区", "zone"), "street": ("街道", "street"), "township": ("乡", "township"),
    "true": ("是", "yes"), "false": ("否", "no"),
    # kinds of documents (regulation_types.tsv), stored as the Chinese name of the kind
    "法律": ("法律", "law"), "行政法规": ("行政法规", "administrative regulation"),
    "地方性法规": ("地方性法规", "local regulation"), "条例": ("条例", "regulations"), "规章": ("规章", "rules"),
    "党内法规": ("党内法规", "Party regulation"), "规范性文件": ("规范性文件", "normative document"),
    "办法": ("办法", "measures"), "纲要": ("纲要", "outline"), "规划": ("规划", "programme"), "方案": ("方案", "plan"),
    "意见": ("意见", "opinions"), "通知": ("通知", "notice"), "要点": ("要点", "key tasks"), "报告": ("报告", "report"),
    "其他": ("其他", "other"),
}


def prop(key: str, lang: str) -> str:
    zh, en = PROPERTIES.get(key, (key, key))
    return en if lang == "en" else zh


def value(v: str, lang: str) -> str:
    zh, en = VALUES.get(v, (v, v))
    return en if lang == "en" else zh


def index_type_label(index_type: str, lang: str) -> str:
    """A search facet's type (department, passage …) in the page's language."""
    if index_type == "passage":
        return t("passages", lang)
    name = next((k.name for k in BY_NAME.values() if k.index == index_type), None)
    return kind_label(name, lang) if name else index_type


def kind_label(name: str, lang: str) -> str:
    k = BY_NAME.get(name)
    return (k.en if lang == "en" else k.zh) if k else name


def t(key: str, lang: str) -> str:
    zh, en = STRINGS.get(key, (key, key))
    return en if lang == "en" else zh
