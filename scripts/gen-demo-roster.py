#!/usr/bin/env python3
"""Generates the demo roster and chat-group bindings of the fictional county 润南县 (tenant `rn`).

    python3 scripts/gen-demo-roster.py      # rewrites config/demo/roster.json and groups.json

Everything here is synthetic: the county, its townships and villages, and every person's name
are made up (names are drawn from common surnames and given-name characters with a fixed seed;
no real person's data, no real officials). The shape follows the newsletter in
docs/seed-newsletter-zh.txt: 1,194 deputies with codes D0001..D1194 across four levels, a
liaison station per township plus a few more, and one station built along the sweet potato ->
starch noodles chain (薯业链代表联络站, D0001..D0024) with 24 deputies of four levels, a head,
three deputy heads, three specialty groups and 73 paired enterprises.

Python 3 standard library only; the output depends only on SEED, so running the script twice
gives byte-identical files. The JSON shape is the one `roster::from_json`
(workflow/roster_json.cpp) reads; keys starting with "_" are notes the loader ignores.

Handy identities for a walk-through (all on the "sandbox" platform):
  deputies        dep-<code>, e.g. dep-D0004 (the 小寨村 deputy who receives 900001's cases)
  departments     h-<department id>, e.g. h-transport, h-water, h-agriculture
  committees      c-<committee id>-1, e.g. c-njw-1
  congress office office-1, office-2
  enterprises     ent-001-a ... (people who speak for a paired enterprise)
"""
import json
import os
import random

SEED = 20241111  # the newsletter's date
ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
OUT_ROSTER = os.path.join(ROOT, "config", "demo", "roster.json")
OUT_GROUPS = os.path.join(ROOT, "config", "demo", "groups.json")

COUNTY = "润南县"
TOTAL_DEPUTIES = 1194
LEVEL_TOTALS = {"province": 6, "city": 36, "county": 262, "township": 890}
assert sum(LEVEL_TOTALS.values()) == TOTAL_DEPUTIES

# ---------------------------------------------------------------------------------------------
# Names

SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶贺顾毛郝龚邵万钱严武戴孔向汤常乔"
)
# The first ones are far more common, as in any Chinese county.
SURNAME_WEIGHTS = [max(1, 40 - i) for i in range(len(SURNAMES))]
GIVEN_M = list("建国华明军伟强磊勇涛杰斌超刚平辉鹏飞峰海林波宁凯浩文志新振兴福旺顺荣光东方卫庆喜胜亮俊宇航守山松先进良友民安德长永利学成根保全金")
GIVEN_F = list("秀英兰芳娟敏静丽霞艳玲红燕萍梅莉洁琳丹婷慧雪云玉凤桂银晨欣悦佳怡晓桃素彩爱春华")

# Pinyin for every character that appears in a place name, to build readable ids.
PY = {
    "王": "wang", "李": "li", "张": "zhang", "刘": "liu", "陈": "chen", "杨": "yang", "赵": "zhao", "黄": "huang",
    "周": "zhou", "吴": "wu", "徐": "xu", "孙": "sun", "胡": "hu", "朱": "zhu", "高": "gao", "郭": "guo", "何": "he",
    "马": "ma", "罗": "luo", "梁": "liang", "宋": "song", "郑": "zheng", "谢": "xie", "韩": "han", "唐": "tang",
    "冯": "feng", "于": "yu", "董": "dong", "程": "cheng", "曹": "cao", "袁": "yuan", "邓": "deng", "彭": "peng",
    "吕": "lv", "苏": "su", "卢": "lu", "蒋": "jiang", "蔡": "cai", "贾": "jia", "丁": "ding", "魏": "wei", "薛": "xue",
    "叶": "ye", "潘": "pan", "杜": "du", "戴": "dai", "夏": "xia", "钟": "zhong", "田": "tian", "任": "ren",
    "范": "fan", "方": "fang", "石": "shi", "姚": "yao", "谭": "tan", "廖": "liao", "邹": "zou", "熊": "xiong",
    "金": "jin", "郝": "hao", "孔": "kong", "白": "bai", "崔": "cui", "康": "kang", "毛": "mao", "邱": "qiu",
    "秦": "qin", "顾": "gu", "侯": "hou", "邵": "shao", "孟": "meng", "龙": "long", "段": "duan", "雷": "lei",
    "乔": "qiao", "常": "chang", "文": "wen", "庄": "zhuang", "寨": "zhai", "营": "ying", "集": "ji", "店": "dian",
    "屯": "tun", "楼": "lou", "湾": "wan", "岗": "gang", "洼": "wa", "桥": "qiao", "园": "yuan", "坡": "po",
    "沟": "gou", "湖": "hu", "河": "he", "岭": "ling", "堂": "tang", "铺": "pu", "台": "tai", "庙": "miao",
    "坊": "fang", "东": "dong", "西": "xi", "南": "nan", "北": "bei", "前": "qian", "后": "hou", "大": "da",
    "小": "xiao", "上": "shang", "下": "xia", "新": "xin", "老": "lao", "柳": "liu", "林": "lin", "杏": "xing",
    "花": "hua", "枣": "zao", "桃": "tao", "清": "qing", "泉": "quan", "槐": "huai", "树": "shu", "柿": "shi",
    "青": "qing", "三": "san", "里": "li", "五": "wu", "七": "qi", "双": "shuang", "梨": "li", "松": "song",
    "竹": "zhu", "荷": "he", "凤": "feng", "凰": "huang", "红": "hong", "旗": "qi", "向": "xiang", "阳": "yang",
    "团": "tuan", "结": "jie", "和": "he", "平": "ping", "幸": "xing", "福": "fu", "胜": "sheng", "利": "li",
    "光": "guang", "明": "ming", "长": "chang", "土": "tu", "水": "shui", "磨": "mo", "油": "you", "粉": "fen",
    "甘": "gan", "丰": "feng", "收": "shou", "沙": "sha", "窑": "yao", "头": "tou", "城": "cheng", "关": "guan",
    "薯": "shu", "乡": "xiang", "山": "shan", "坪": "ping", "埠": "bu", "口": "kou", "塘": "tang", "井": "jing",
    "陂": "bei", "岔": "cha", "棠": "tang", "榆": "yu", "杉": "shan", "兴": "xing", "隆": "long", "安": "an",
    "宁": "ning", "富": "fu", "强": "qiang", "盛": "sheng", "泰": "tai",
}

TOWNSHIPS = [  # id, name, number of villages
    ("shuxiang", "薯乡镇", 18), ("chengguan", "城关镇", 20), ("donghe", "东河镇", 17), ("xiling", "西岭乡", 16),
    ("nanhu", "南湖镇", 17), ("beipo", "北坡乡", 16), ("liuwan", "柳湾镇", 17), ("yangji", "杨集乡", 16),
    ("shiqiao", "石桥镇", 16), ("qingshan", "青山乡", 15), ("jingang", "金岗乡", 16), ("mazhuang", "马庄镇", 16),
]

# The industry-chain station's villages (薯乡镇), 小寨村 first: it is the demo village.
CHAIN_VILLAGES = ["小寨", "粉坊", "甘泉", "东刘庄", "丰收", "沙岗", "王湾", "窑头", "槐树"]

VILLAGE_SUR = list("王李张刘陈杨赵黄周吴徐孙胡朱郭何马罗梁宋郑谢韩唐冯董程曹袁邓彭吕苏卢蒋蔡贾丁魏薛叶潘杜戴夏钟田任范方姚谭廖邹熊郝孔白崔康毛邱秦顾侯邵孟段雷乔常")
VILLAGE_SUFFIX = list("庄寨营集店屯楼湾岗洼桥园坡沟堂铺台庙坊")
VILLAGE_PREFIX = list("东西南北前后大小上下新老")
VILLAGE_NAMED = [
    "柳林", "杏花", "枣园", "桃园", "石河", "清泉", "青龙", "白马", "三里桥", "五里铺", "七里岗", "双庙", "梨园",
    "杨树", "松林", "竹园", "荷花", "凤凰", "红旗", "向阳", "团结", "和平", "幸福", "胜利", "光明", "长岭", "黄土岗",
    "水磨", "油坊", "山口", "河坪", "柳埠", "塘口", "龙井", "石陂", "三岔", "棠梨", "榆树", "杉园", "兴隆", "安宁",
    "富强", "盛泰", "永和",
]
PY.setdefault("永", "yong")


def pinyin(name):
    return "".join(PY[c] for c in name)


class Namer:
    def __init__(self, rng):
        self.rng, self.used = rng, set()

    def person(self):
        while True:
            s = self.rng.choices(SURNAMES, SURNAME_WEIGHTS)[0]
            pool = GIVEN_F if self.rng.random() < 0.3 else GIVEN_M  # about 30% of deputies are women
            g = "".join(self.rng.choice(pool) for _ in range(1 if self.rng.random() < 0.28 else 2))
            if len(g) == 2 and g[0] == g[1]:
                continue
            if s + g not in self.used:
                self.used.add(s + g)
                return s + g


# ---------------------------------------------------------------------------------------------
# Places


def make_places(rng):
    townships = [{"id": tid, "name": name} for tid, name, _ in TOWNSHIPS]
    used_names, used_ids = set(), set()

    def add(stem):
        used_names.add(stem)
        used_ids.add(pinyin(stem))

    for stem in CHAIN_VILLAGES:
        add(stem)

    def fresh():
        while True:
            r = rng.random()
            if r < 0.5:
                stem = rng.choice(VILLAGE_SUR) + rng.choice(VILLAGE_SUFFIX)
            elif r < 0.7:
                stem = rng.choice(VILLAGE_PREFIX) + rng.choice(VILLAGE_SUR) + rng.choice(VILLAGE_SUFFIX)
            elif r < 0.85:
                stem = rng.choice(VILLAGE_PREFIX) + rng.choice(VILLAGE_SUFFIX)
            else:
                stem = rng.choice(VILLAGE_NAMED)
            if stem not in used_names and pinyin(stem) not in used_ids and len(stem) <= 4:
                add(stem)
                return stem

    villages = []  # dicts with an extra "_chain" flag, stripped on output
    for tid, tname, count in TOWNSHIPS:
        stems = list(CHAIN_VILLAGES) if tid == "shuxiang" else []
        stems += [fresh() for _ in range(count - len(stems))]
        for k, stem in enumerate(stems):
            villages.append({"id": pinyin(stem), "name": stem + "村", "township": tid, "station": "",
                             "_chain": tid == "shuxiang" and stem in CHAIN_VILLAGES, "_constituency": k + 1})
    return townships, villages


def make_stations(villages):
    stations = [{"id": "st-shuye", "name": "薯业链代表联络站", "township": "shuxiang",
                 "_note": "built along the sweet potato -> starch noodles chain, in the sweet potato park's show room"}]
    for tid, tname, _ in TOWNSHIPS:
        stations.append({"id": "st-" + tid, "name": tname + "人大代表联络站", "township": tid})
    # A few more, as a county has: areas of large townships, a trade, the industrial park, county organs.
    extras = [
        ("st-chengbei", "城关镇城北片区代表联络站", "chengguan", 8),
        ("st-hedong", "东河镇河东片区代表联络站", "donghe", 6),
        ("st-nanhu-yuye", "南湖镇渔业代表联络站", "nanhu", 5),
        ("st-qingshan-linguo", "青山乡林果产业代表联络站", "qingshan", 6),
        ("st-shiqiao-shangmao", "石桥镇商贸代表联络站", "shiqiao", 5),
        ("st-park", "润南县产业集聚区代表联络站", "chengguan", 0),
        ("st-xianzhi", "县直机关代表联络站", "chengguan", 0),
    ]
    for sid, name, tid, _ in extras:
        stations.append({"id": sid, "name": name, "township": tid})
    # Which station serves each village: the chain villages the chain station; the last n villages
    # of a township with an area station that one; the rest the township's station.
    for v in villages:
        v["station"] = "st-shuye" if v["_chain"] else "st-" + v["township"]
    for sid, _, tid, n in extras:
        if n:
            for v in [v for v in villages if v["township"] == tid][-n:]:
                v["station"] = sid
    return stations


# ---------------------------------------------------------------------------------------------
# Deputies

LEVEL_ORDER = ["province", "city", "county", "township"]

# The 24 deputies of the chain station (newsletter: 1 province, 1 city, 7 county, 15 township;
# a head, three deputy heads; planting, production and sales, support services).
# (level, role, specialty group, village stem or None)
CHAIN_DEPUTIES = [
    ("province", "", "chanxiao", "粉坊"),         # D0001 runs a starch noodle works
    ("city", "deputy_head", "baozhang", None),    # D0002 heads the support group (an agriculture official)
    ("county", "head", "chanxiao", "甘泉"),        # D0003 the station head
    ("county", "deputy_head", "zhongzhi", "小寨"),  # D0004 the 小寨村 deputy; leads planting
    ("county", "deputy_head", "chanxiao", "东刘庄"),
    ("county", "", "zhongzhi", "丰收"),
    ("county", "", "chanxiao", "窑头"),
    ("county", "", "baozhang", "沙岗"),
    ("county", "", "zhongzhi", "王湾"),
    ("township", "", "zhongzhi", "小寨"),
    ("township", "", "zhongzhi", "小寨"),
    ("township", "", "baozhang", "小寨"),
    ("township", "", "zhongzhi", "槐树"),
    ("township", "", "zhongzhi", "丰收"),
    ("township", "", "zhongzhi", "甘泉"),
    ("township", "", "zhongzhi", "沙岗"),
    ("township", "", "chanxiao", "粉坊"),
    ("township", "", "chanxiao", "粉坊"),
    ("township", "", "chanxiao", "窑头"),
    ("township", "", "chanxiao", "东刘庄"),
    ("township", "", "chanxiao", "王湾"),
    ("township", "", "baozhang", "槐树"),
    ("township", "", "baozhang", "东刘庄"),
    ("township", "", "baozhang", "王湾"),
]
SPECIALTY_GROUPS = [
    ("sg-zhongzhi", "zhongzhi", "甘薯种植代表小组", ["farming"]),
    ("sg-chanxiao", "chanxiao", "三粉产销代表小组", ["enterprise"]),
    ("sg-baozhang", "baozhang", "要素保障代表小组", ["electricity", "water", "social_security"]),
]


def constituency(level, v, tname_of):
    if level == "province":
        return "市人民代表大会选举（" + COUNTY + "推荐）"
    if level == "city":
        return COUNTY + "人民代表大会选举"
    if v is None:
        return "县直机关选区" if level == "county" else ""
    if level == "county":
        return "%s第%d选区（%s）" % (COUNTY, v["_county_constituency"], tname_of[v["township"]])
    return "%s第%d选区（%s）" % (tname_of[v["township"]], v["_constituency"], v["name"])


def make_deputies(rng, namer, villages, stations):
    tname_of = {tid: name for tid, name, _ in TOWNSHIPS}
    by_stem = {v["name"][:-1]: v for v in villages}
    # County constituencies: about three villages each, numbered across the county.
    for i, v in enumerate(villages):
        v["_county_constituency"] = i // 3 + 1

    people = []  # dicts before codes are given

    def person(level, village, station, group="", role=""):
        people.append({"name": namer.person(), "level": level, "village": village["id"] if village else "",
                       "constituency": constituency(level, village, tname_of), "station": station,
                       "specialty_group": group, "_role": role})

    for level, role, group, stem in CHAIN_DEPUTIES:
        person(level, by_stem[stem] if stem else None, "st-shuye", "sg-" + group, role)
    chain = people[:]
    people.clear()

    left = dict(LEVEL_TOTALS)
    for level, *_ in CHAIN_DEPUTIES:
        left[level] -= 1
    open_villages = [v for v in villages if not v["_chain"]]
    # Deputies without a village: officials and enterprise heads at the park and county-organ stations.
    for level, n_park, n_organs in [("province", 2, 1), ("city", 8, 10), ("county", 10, 20)]:
        for _ in range(n_park):
            person(level, None, "st-park")
        for _ in range(n_organs):
            person(level, None, "st-xianzhi")
        left[level] -= n_park + n_organs
    # Everyone else lives in a village outside the chain and belongs to the station serving it.
    # Township deputies: at least three in every village, the rest spread at random.
    twp = [v for v in open_villages for _ in range(3)]
    twp += [rng.choice(open_villages) for _ in range(left["township"] - len(twp))]
    for v in twp:
        person("township", v, v["station"])
    for level in ["province", "city", "county"]:
        for _ in range(left[level]):
            v = rng.choice(open_villages)
            person(level, v, v["station"])

    station_order = {s["id"]: i for i, s in enumerate(stations)}
    village_order = {v["id"]: i for i, v in enumerate(villages)}
    people.sort(key=lambda p: (station_order[p["station"]], LEVEL_ORDER.index(p["level"]),
                               village_order.get(p["village"], -1)))
    deputies = chain + people
    assert len(deputies) == TOTAL_DEPUTIES
    used_qq = set()
    for i, d in enumerate(deputies):
        d["code"] = "D%04d" % (i + 1)
        contacts = {"sandbox": "dep-" + d["code"]}
        demo = d["station"] == "st-shuye"
        if demo or rng.random() < 0.3:
            while True:
                qq = str(rng.randrange(200000000, 3999999999))
                if qq not in used_qq:
                    used_qq.add(qq)
                    break
            contacts["onebot"] = qq
        if demo or rng.random() < 0.2:
            contacts["wecom"] = "rn-" + d["code"].lower()
        d["contacts"] = contacts
    return deputies


def fill_stations(stations, deputies):
    for s in stations:
        members = [d for d in deputies if d["station"] == s["id"]]
        s["members"] = [d["code"] for d in members]
        if s["id"] == "st-shuye":
            s["head"] = next(d["code"] for d in members if d["_role"] == "head")
            s["deputy_heads"] = [d["code"] for d in members if d["_role"] == "deputy_head"]
            continue
        # Head: the first county deputy; deputy heads: the next ones (two at township stations).
        ranked = sorted(members, key=lambda d: (0 if d["level"] == "county" else 1, d["code"]))
        n = 2 if s["id"] == "st-" + s["township"] else 1
        s["head"] = ranked[0]["code"]
        s["deputy_heads"] = [d["code"] for d in ranked[1:1 + n]]


# ---------------------------------------------------------------------------------------------
# Enterprises paired with the chain station's deputies

ENTERPRISE_KINDS = [  # (count, name pattern, specialty group of the paired deputy)
    (14, "{b}红薯种植专业合作社", "zhongzhi"),
    (4, "{b}脱毒甘薯种苗繁育场", "zhongzhi"),
    (4, "{b}家庭农场", "zhongzhi"),
    (14, "{b}粉条厂", "chanxiao"),
    (6, "{b}粉皮厂", "chanxiao"),
    (5, "{b}粉丝加工厂", "chanxiao"),
    (5, "{b}淀粉加工厂", "chanxiao"),
    (5, "{b}薯业电子商务有限公司", "chanxiao"),
    (4, "{b}包装材料厂", "baozhang"),
    (4, "{b}物流有限公司", "baozhang"),
    (4, "{b}鲜薯窖藏仓储中心", "baozhang"),
    (4, "{b}农资店", "baozhang"),
]
assert sum(k[0] for k in ENTERPRISE_KINDS) == 73
BRANDS = list("润薯金红甜丰鑫源瑞兴旺福康顺盛泰佳祥宏裕隆绿香农安荣")


def make_enterprises(rng, namer, villages, deputies):
    chain_villages = [v for v in villages if v["_chain"]]
    members_of = {g: [d for d in deputies if d["specialty_group"] == "sg-" + g] for _, g, _, _ in SPECIALTY_GROUPS}
    head = next(d for d in deputies if d["_role"] == "head")
    turn = {g: 0 for g in members_of}
    used, out = set(), []
    for count, pattern, group in ENTERPRISE_KINDS:
        for _ in range(count):
            while True:
                v = rng.choice(chain_villages)
                r = rng.random()
                if r < 0.4:
                    b = v["name"][:-1]
                elif r < 0.8:
                    b = rng.choice(BRANDS) + rng.choice(BRANDS)
                else:
                    b = rng.choice(SURNAMES) + "记"
                name = COUNTY + pattern.format(b=b)
                if b[0] != b[-1] and name not in used:
                    used.add(name)
                    break
            # One deputy of the matching group in turn (so every one is paired), a second one at times.
            ms = members_of[group]
            first = ms[turn[group] % len(ms)]
            turn[group] += 1
            pair = [first["code"]]
            if rng.random() < 0.25:
                other = rng.choice([d for d in deputies if d["station"] == "st-shuye" and d["code"] != first["code"]])
                pair.append(other["code"])
            elif rng.random() < 0.1 and head["code"] not in pair:
                pair.append(head["code"])
            eid = "ent-%03d" % (len(out) + 1)
            members = [{"platform": "sandbox", "id": eid + "-a"}]
            if rng.random() < 0.5:
                members.append({"platform": "onebot", "id": str(rng.randrange(300000000, 3999999999))})
            if rng.random() < 0.3:
                members.append({"platform": "wecom", "id": "rn-" + eid})
            out.append({"id": eid, "name": name, "village": v["id"], "deputies": pair, "members": members})
    return out


# ---------------------------------------------------------------------------------------------
# Departments, committees, congress office

DEPARTMENTS = [  # id, name, WeCom handler id
    ("transport", "县交通运输局", "rn-jtj01"),
    ("water", "县水利局", "rn-slj01"),
    ("power", "国网润南县供电公司", "rn-gdgs01"),
    ("urban_management", "县城市管理局", "rn-cgj01"),
    ("agriculture", "县农业农村局", "rn-nyj01"),
    ("hrss", "县人力资源和社会保障局", "rn-rsj01"),
    ("health_insurance", "县医疗保障局", "rn-ybj01"),
    ("education", "县教育局", "rn-jyj01"),
    ("natural_resources", "县自然资源局", "rn-zrj01"),
    ("justice", "县司法局", "rn-sfj01"),
    ("industry", "县工业和信息化局", "rn-gxj01"),
    ("office", "县人大常委会办公室", "rn-rdbgs01"),
    # Not the default department of any category; a deputy may assign cases to them by hand.
    ("civil_affairs", "县民政局", "rn-mzj01"),
    ("housing", "县住房和城乡建设局", "rn-zjj01"),
]
COMMITTEES = [
    ("njw", "县人大常委会农业农村工作委员会"),
    ("sjw", "县人大社会建设委员会"),
    ("cjw", "县人大财政经济委员会"),
    ("chj", "县人大常委会城乡建设环境保护工作委员会"),
    ("fzw", "县人大常委会法制工作委员会"),
]


def make_departments():
    out = []
    for did, name, wecom in DEPARTMENTS:
        out.append({"id": did, "name": name, "handlers": [{"platform": "sandbox", "id": "h-" + did},
                                                          {"platform": "wecom", "id": wecom}]})
    return out


def make_committees():
    return [{"id": cid, "name": name, "members": [{"platform": "sandbox", "id": "c-%s-1" % cid},
                                                  {"platform": "sandbox", "id": "c-%s-2" % cid},
                                                  {"platform": "wecom", "id": "rn-%s01" % cid}]}
            for cid, name in COMMITTEES]


# ---------------------------------------------------------------------------------------------
# Chat-group bindings

GROUPS_FORMAT = (
    "Chat groups bound to a village, liaison station or enterprise of roster.json. "
    "{\"groups\": [{\"platform\", \"bot\", \"group\", one of \"village\"|\"station\"|\"enterprise\", \"name\"}]}: "
    "platform is onebot|qq|wecom|wechat|sandbox; bot names the bot account of that platform in the config "
    "(\"demo\" everywhere here; the OneBot one has self id 10000); group is the platform's group id as a string "
    "(OneBot group_id, QQ group_openid, WeCom chatid, WeChat chatroom id, sandbox chat id); village, station or "
    "enterprise is an id in roster.json (exactly one of them; a village's station is the one serving it); name is "
    "the group's display name. (platform, bot, group) is unique. Keys starting with \"_\" are notes."
)


def make_groups(rng, villages, stations, enterprises):
    vil = {v["id"]: v for v in villages}
    st = {s["id"]: s for s in stations}
    ent = {e["id"]: e for e in enterprises}
    groups = []

    def bind(platform, group, kind, ref, name):
        table = {"village": vil, "station": st, "enterprise": ent}[kind]
        assert ref in table, ref
        groups.append({"platform": platform, "bot": "demo", "group": group, kind: ref, "name": name})

    def alnum(n, alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"):
        return "".join(rng.choice(alphabet) for _ in range(n))

    # The demo enterprise: the first starch noodle works (粉条厂).
    first_ent = next(e for e in enterprises if e["name"].endswith("粉条厂"))
    # The ones the demo and the tests rely on.
    bind("onebot", "900001", "village", "xiaozhai", "小寨村村民群")
    bind("onebot", "900002", "station", "st-shuye", "薯业链代表联络站服务群")
    bind("onebot", "900003", "enterprise", first_ent["id"], first_ent["name"].replace(COUNTY, "") + "职工群")
    bind("sandbox", "village-1", "village", "xiaozhai", "小寨村村民群（沙盒）")
    bind("sandbox", "deputies", "station", "st-shuye", "薯业链代表联络站代表群（沙盒）")
    bind("sandbox", "enterprise-1", "enterprise", first_ent["id"], first_ent["name"].replace(COUNTY, "") + "（沙盒）")
    other = [v for v in villages if v["id"] != "xiaozhai"]
    bind("sandbox", "village-2", "village", other[20]["id"], other[20]["name"] + "村民群（沙盒）")
    bind("sandbox", "station-1", "station", "st-chengguan", "城关镇人大代表联络站群（沙盒）")

    # Village groups, a few per township, spread over the platforms as a county's would be.
    picks = []
    for tid, _, _ in TOWNSHIPS:
        vs = [v for v in other if v["township"] == tid]
        picks += rng.sample(vs, 3)
    platforms = ["onebot"] * 15 + ["qq"] * 7 + ["wecom"] * 8 + ["wechat"] * 6
    rng.shuffle(platforms)
    next_onebot = 900004
    for v, platform in zip(picks, platforms):
        if platform == "onebot":
            gid, next_onebot = str(next_onebot), next_onebot + 1
        elif platform == "qq":
            gid = alnum(32, "0123456789ABCDEF")
        elif platform == "wecom":
            gid = "wr" + alnum(28)
        else:
            gid = str(rng.randrange(10 ** 10, 10 ** 11)) + "@chatroom"
        bind(platform, gid, "village", v["id"], v["name"] + ("村民群" if platform != "wecom" else "议事群"))
    # Stations' groups on WeCom (where deputies and departments work).
    for sid in ["st-shuye", "st-chengguan", "st-park", "st-xianzhi", "st-qingshan-linguo"]:
        bind("wecom", "wr" + alnum(28), "station", sid, st[sid]["name"] + "工作群")
    # Two more enterprise groups.
    for e in enterprises[13:15]:
        bind("qq", alnum(32, "0123456789ABCDEF"), "enterprise", e["id"], e["name"].replace(COUNTY, "") + "群")
    keys = [(g["platform"], g["bot"], g["group"]) for g in groups]
    assert len(keys) == len(set(keys))
    return groups


# ---------------------------------------------------------------------------------------------
# Output: one record a line, so diffs stay readable.


def strip(o):
    return {k: v for k, v in o.items() if not k.startswith("_") or k == "_note"}


def dump(path, top):
    lines = ["{"]
    items = list(top.items())
    for i, (k, v) in enumerate(items):
        sep = "," if i + 1 < len(items) else ""
        if isinstance(v, list):
            lines.append("  %s: [" % json.dumps(k))
            for j, x in enumerate(v):
                lines.append("    " + json.dumps(x, ensure_ascii=False) + ("," if j + 1 < len(v) else ""))
            lines.append("  ]" + sep)
        else:
            lines.append("  %s: %s%s" % (json.dumps(k), json.dumps(v, ensure_ascii=False), sep))
    lines.append("}")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


def main():
    rng = random.Random(SEED)
    namer = Namer(rng)
    townships, villages = make_places(rng)
    stations = make_stations(villages)
    deputies = make_deputies(rng, namer, villages, stations)
    fill_stations(stations, deputies)
    enterprises = make_enterprises(rng, namer, villages, deputies)
    groups = make_groups(rng, villages, stations, enterprises)

    dep_keys = ["code", "name", "level", "village", "constituency", "station", "specialty_group", "contacts"]
    roster = {
        "_note": "synthetic demo data: the fictional county %s (tenant rn); every name is generated, no real "
                 "person's data. Generated by scripts/gen-demo-roster.py; edit that, not this file." % COUNTY,
        "townships": townships,
        "villages": [strip(v) for v in villages],
        "stations": [{k: s[k] for k in ["id", "name", "township", "head", "deputy_heads", "members"]} for s in stations],
        "specialty_groups": [{"id": sid, "name": name, "station": "st-shuye", "categories": cats,
                              "members": [d["code"] for d in deputies if d["specialty_group"] == sid]}
                             for sid, _, name, cats in SPECIALTY_GROUPS],
        "deputies": [{k: d[k] for k in dep_keys if d[k] != ""} for d in deputies],
        "enterprises": enterprises,
        "departments": make_departments(),
        "committees": make_committees(),
        "congress_office": {"id": "office", "name": "县人大常委会代表工作委员会",
                            "members": [{"platform": "sandbox", "id": "office-1"},
                                        {"platform": "sandbox", "id": "office-2"},
                                        {"platform": "wecom", "id": "rn-dbgw01"}]},
        "default_committee": "njw",
    }
    dump(OUT_ROSTER, roster)
    dump(OUT_GROUPS, {"_format": GROUPS_FORMAT,
                      "_note": "synthetic demo data for the fictional county %s; generated by "
                               "scripts/gen-demo-roster.py" % COUNTY,
                      "groups": groups})
    levels = {l: sum(1 for d in deputies if d["level"] == l) for l in LEVEL_ORDER}
    print("roster: %d townships, %d villages, %d stations, %d deputies %s, %d enterprises; %d group bindings"
          % (len(townships), len(villages), len(stations), len(deputies), levels, len(enterprises), len(groups)))


if __name__ == "__main__":
    main()
