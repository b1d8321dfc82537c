from conftest import by_type


def places(x):
    return {e.label: e for e in by_type(x, "Place")}


def test_towns_villages_and_communities_with_hierarchy_and_pinyin(run):
    x = run("充分发挥万安镇金雁社区、调元镇顺河村立法调研联系点作用。")
    p = places(x)
    assert p["万安镇"].attrs.parent == "罗江区"
    assert p["金雁社区"].attrs.parent == "万安镇"
    assert p["金雁社区"].attrs.place_type == "community"
    assert p["顺河村"].attrs.parent == "调元镇"
    assert p["调元镇"].attrs.pinyin == "Tiaoyuan Town"
    assert p["万安镇"].attrs.pinyin == "Wan'an Town"


def test_own_region_references_and_short_forms(run):
    x = run("我区营商环境持续优化,罗江特色产业发展。德阳市和四川省召开会议。")
    p = places(x)
    assert {m.text for m in p["罗江区"].mentions} >= {"我区", "罗江"}
    assert p["德阳市"].attrs.place_type == "city"
    assert p["四川省"].attrs.place_type == "province"


def test_villages_elsewhere_in_china_are_not_matched_by_name_alone(run):
    # 胜利村 exists in many counties but not in this report's county
    x = run("胜利村开展普法宣传。")
    assert "胜利村" not in places(x)


def test_zones(run):
    x = run("构建国家级种子芯谷片区、生态农业产业片区协同发展格局。")
    p = places(x)
    assert "国家级种子芯谷片区" in p and p["国家级种子芯谷片区"].attrs.place_type == "zone"


def test_a_province_named_only_in_a_documents_title_is_not_a_place_of_the_report(run):
    from kg.text.documents import load_bytes
    from kg.extract import extract
    from conftest import report
    text = "认真落实《四川省法治政府建设实施方案》,区司法局在万安镇开展普法。"
    x = extract(load_bytes(report(text), "a.txt"))
    assert [e.label for e in x.entities if e.type == "Place"] == ["万安镇"]
    # unless the report is the province's own
    x = extract(load_bytes(report(text, region="四川省"), "b.txt"))
    assert "四川省" in [e.label for e in x.entities if e.type == "Place"]


def test_a_city_written_right_before_its_district_is_named_too(run):
    x = run("与绵阳涪城区签订边界合作通办协议。")
    labels = {e.label: e for e in x.entities if e.type == "Place"}
    assert {"绵阳市", "涪城区"} <= set(labels)
    assert labels["绵阳市"].attrs.path == ("四川省", "绵阳市")
    # a county named after its city (岳阳县 in 岳阳市) does not name the city
    x = run("岳阳县开展普法活动。", region="湖南省/岳阳市/岳阳县")
    assert "岳阳市" not in {e.label for e in x.entities if e.type == "Place"}


def test_the_whole_region_in_an_autonomous_regions_report(run):
    """全区 in the report of an autonomous region (宁夏回族自治区) is that region; in a
    district's report it is the district; in a town's it is not the town."""
    x = run("全区办理行政复议案件5件。", region="宁夏回族自治区")
    assert "全区" in next(e for e in by_type(x, "Place") if e.label == "宁夏回族自治区").aliases
    x = run("全区办理行政复议案件5件。", region="四川省/德阳市/罗江区")
    assert "全区" in next(e for e in by_type(x, "Place") if e.label.endswith("罗江区")).aliases
    x = run("全区办理行政复议案件5件。", region="浙江省/宁波市/象山县/贤庠镇")
    assert not [e for e in by_type(x, "Place") if "全区" in e.aliases]


def test_autonomous_areas_read_in_english_with_their_peoples(run):
    """Autonomous areas are named in English with their peoples, as GB/T 3304 and official use
    write them, in two regions and at three levels."""
    x = run("红河哈尼族彝族自治州金平苗族瑶族傣族自治县司法局开展普法活动。宁夏回族自治区、新疆维吾尔自治区、"
            "延边朝鲜族自治州召开会议。")
    p = places(x)
    assert p["金平苗族瑶族傣族自治县"].attrs.pinyin == "Jinping Miao, Yao and Dai Autonomous County"
    assert p["红河哈尼族彝族自治州"].attrs.pinyin == "Honghe Hani and Yi Autonomous Prefecture"
    assert p["宁夏回族自治区"].attrs.pinyin == "Ningxia Hui Autonomous Region"
    assert p["新疆维吾尔自治区"].attrs.pinyin == "Xinjiang Uygur Autonomous Region"
    assert p["延边朝鲜族自治州"].attrs.pinyin == "Yanbian Korean Autonomous Prefecture"


def test_a_place_named_after_its_people_alone_and_one_that_only_looks_so():
    from kg.text.pinyin import place_pinyin
    assert place_pinyin("鄂伦春自治旗") == "Oroqen Autonomous Banner"
    assert place_pinyin("内蒙古自治区") == "Neimenggu Autonomous Region"  # 内 is no place name
    assert place_pinyin("海西蒙古族藏族自治州") == "Haixi Mongol and Tibetan Autonomous Prefecture"


def test_development_zones_read_in_english_by_their_kind():
    """Zones are named in English by the kind of zone their ending says (zone_suffixes.txt), as
    their official English names are: in Sichuan, Shanghai and Hebei."""
    from kg.text.pinyin import place_pinyin
    assert place_pinyin("巴中经济技术开发区") == "Bazhong Economic and Technological Development Zone"
    assert place_pinyin("浦东新区") == "Pudong New Area"
    assert place_pinyin("雄安新区") == "Xiong'an New Area"
    assert place_pinyin("成都高新技术产业开发区") == "Chengdu Hi-tech Industrial Development Zone"
    assert place_pinyin("罗江区") == "Luojiang District"  # a district stays one
