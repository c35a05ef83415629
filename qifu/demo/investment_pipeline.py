"""智慧招商 demo: the promotion teams, the key-enterprise database, leads in every node (from
several provinces and countries), visits both ways and follow-up tasks.

Leads move through the real services (the pipeline table, registration with a steward and a
construction project); afterwards their history is dated back as it would have happened, so the
service indicators, the statistics and the slip notices show a realistic year. Companies are
invented ([E]); places and industries follow the facts file.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from qifu.accounts.models import Department, Role, User
from qifu.accounts.services import user_create
from qifu.accounts.validators import build_credit_code
from qifu.demo import Output
from qifu.demo.accounts import DEMO_PASSWORD
from qifu.demo.enterprises import DEMO_SERIAL_BASE
from qifu.investment import pipeline
from qifu.investment.models import (
    NODE_ORDER,
    Chain,
    ChainLink,
    ContactStatus,
    EventAction,
    FollowUpTask,
    InvestmentTeam,
    KeyEnterprise,
    Lead,
    LeadEvent,
    LeadNode,
    Park,
    Stage,
    Visit,
)
from qifu.investment.services import leads as services
from qifu.investment.services.visits import task_create, visit_save

OFFICERS = [
    # username, name, department, phone
    ("zhaoshang", "董志刚", "swj", "13963109001"),
    ("zhaoshang2", "王丽娜", "swj", "13963109002"),
    ("kfqzhaoshang", "孙立伟", "jkq", "13963109003"),
]
TEAMS = [
    ("招商一组（海洋食品与生物）", "zhaoshang", ["zhaoshang", "shangwu"]),
    ("招商二组（装备制造与新能源）", "zhaoshang2", ["zhaoshang2", "kfqzhaoshang"]),
]

KEY_ENTERPRISES = [
    # name, country, province, city, chain, link, industry, revenue 万元, ranking, status
    (
        "宁波海宸船舶配套股份有限公司",
        "中国",
        "浙江",
        "宁波",
        "shipbuilding",
        "船舶配套设备",
        "船用甲板机械、舱口盖",
        380000,
        "国家级专精特新“小巨人”",
        "contacted",
    ),
    (
        "南通瀚洋海洋工程装备有限公司",
        "中国",
        "江苏",
        "南通",
        "shipbuilding",
        "海洋工程装备",
        "海上风电安装平台",
        1250000,
        "中国船舶工业百强",
        "visited",
    ),
    (
        "大连北渔船舶设计研究院有限公司",
        "中国",
        "辽宁",
        "大连",
        "shipbuilding",
        "金属船舶制造",
        "远洋渔船设计",
        42000,
        "",
        "none",
    ),
    (
        "上海蓝途游艇制造有限公司",
        "中国",
        "上海",
        "上海",
        "shipbuilding",
        "游艇与休闲船艇",
        "豪华游艇",
        96000,
        "",
        "negotiating",
    ),
    (
        "福州闽海鱿鱼食品集团有限公司",
        "中国",
        "福建",
        "福州",
        "marine-food",
        "鱼糜与干腌制品",
        "鱿鱼精深加工",
        510000,
        "农业产业化国家重点龙头企业",
        "contacted",
    ),
    (
        "青岛海健生物科技股份有限公司",
        "中国",
        "山东",
        "青岛",
        "marine-food",
        "海洋生物提取与保健食品",
        "海洋胶原蛋白肽",
        168000,
        "上市公司",
        "negotiating",
    ),
    (
        "广州粤鲜预制菜供应链有限公司",
        "中国",
        "广东",
        "广州",
        "marine-food",
        "调味品与预制菜",
        "水产预制菜",
        230000,
        "",
        "none",
    ),
    (
        "深圳冷云供应链科技有限公司",
        "中国",
        "广东",
        "深圳",
        "marine-food",
        "冷链物流",
        "冷链仓储与配送",
        410000,
        "",
        "visited",
    ),
    (
        "北京中核晟华石墨新材料有限公司",
        "中国",
        "北京",
        "北京",
        "nuclear-energy",
        "核级石墨与碳材料",
        "等静压石墨",
        88000,
        "",
        "negotiating",
    ),
    (
        "江苏风驰叶片科技有限公司",
        "中国",
        "江苏",
        "盐城",
        "nuclear-energy",
        "风电装备",
        "海上风电叶片",
        720000,
        "",
        "contacted",
    ),
    (
        "合肥储源新能源科技有限公司",
        "中国",
        "安徽",
        "合肥",
        "nuclear-energy",
        "储能与光伏设备",
        "储能电池系统",
        1560000,
        "中国民营企业500强",
        "none",
    ),
    (
        "杭州驰旅房车科技有限公司",
        "中国",
        "浙江",
        "杭州",
        "auto-rv",
        "房车与改装车制造",
        "拖挂式房车",
        64000,
        "",
        "converted",
    ),
    (
        "Hanbada Marine Equipment Co., Ltd.",
        "韩国",
        "",
        "釜山",
        "shipbuilding",
        "船舶配套设备",
        "船用泵阀",
        210000,
        "",
        "visited",
    ),
    (
        "Kaiyo Foods Corporation",
        "日本",
        "",
        "大阪",
        "marine-food",
        "海参海带精深加工",
        "海藻食品",
        330000,
        "",
        "contacted",
    ),
    (
        "Nordhav Seafood AS",
        "挪威",
        "",
        "奥勒松",
        "marine-food",
        "水产品冷冻加工",
        "冷冻海产品",
        540000,
        "",
        "none",
    ),
    (
        "Wanderhaus Caravans GmbH",
        "德国",
        "",
        "斯图加特",
        "auto-rv",
        "房车与改装车制造",
        "房车底盘改装",
        270000,
        "",
        "contacted",
    ),
]

# company, contact, phone, email, country, province, city, industry, code, chain, link, amount
# 万元, foreign 万美元, jobs, origin, target node, owner, park, town, days ago, likelihood, slip
LEADS: list[tuple[Any, ...]] = [
    (
        "宁波海宸船舶配套股份有限公司",
        "周建国",
        "13805748812",
        "",
        "中国",
        "浙江",
        "宁波",
        "船舶配套",
        "C3734",
        "shipbuilding",
        "船舶配套设备",
        35000,
        None,
        260,
        "key_enterprise",
        "producing",
        "zhaoshang2",
        "新材料与智能制造产业园",
        "崂山街道",
        430,
        "high",
        False,
    ),
    (
        "杭州驰旅房车科技有限公司",
        "陈卓",
        "13906512233",
        "chen.zhuo@example.com",
        "中国",
        "浙江",
        "杭州",
        "房车制造",
        "C3630",
        "auto-rv",
        "房车与改装车制造",
        26000,
        None,
        180,
        "key_enterprise",
        "started",
        "zhaoshang2",
        "荣成经济开发区",
        "城西街道",
        330,
        "high",
        False,
    ),
    (
        "Hanbada Marine (Rongcheng) Co., Ltd.",
        "Kim Min-jun",
        "+82 51 555 0123",
        "mj.kim@example.kr",
        "韩国",
        "",
        "釜山",
        "船用泵阀",
        "C3734",
        "shipbuilding",
        "船舶配套设备",
        21000,
        3000,
        120,
        "visit",
        "started",
        "zhaoshang2",
        "威海海洋高新技术产业园（石岛管理区）",
        "王连街道",
        300,
        "high",
        False,
    ),
    (
        "青岛海健生物科技股份有限公司",
        "孙海涛",
        "13605321177",
        "",
        "中国",
        "山东",
        "青岛",
        "海洋胶原蛋白肽",
        "C1492",
        "marine-food",
        "海洋生物提取与保健食品",
        30000,
        None,
        140,
        "key_enterprise",
        "registered",
        "zhaoshang",
        "海洋生物食品产业园",
        "寻山街道",
        240,
        "high",
        True,
    ),
    (
        "北京中核晟华石墨新材料有限公司",
        "刘振宇",
        "13701023456",
        "",
        "中国",
        "北京",
        "北京",
        "核级石墨",
        "C3091",
        "nuclear-energy",
        "核级石墨与碳材料",
        22000,
        None,
        90,
        "key_enterprise",
        "signed",
        "kfqzhaoshang",
        "石岛湾核电配套产业园",
        "宁津街道",
        190,
        "high",
        False,
    ),
    (
        "Kaiyo Foods Rongcheng Co., Ltd.",
        "Tanaka Hiroshi",
        "",
        "h.tanaka@example.jp",
        "日本",
        "",
        "大阪",
        "海藻食品",
        "C1369",
        "marine-food",
        "海参海带精深加工",
        12000,
        1700,
        80,
        "visit",
        "signed",
        "zhaoshang",
        "蔚蓝谷海洋科技产业园",
        "俚岛镇",
        200,
        "medium",
        False,
    ),
    (
        "福州闽海鱿鱼食品集团有限公司",
        "林海鹏",
        "13905911288",
        "",
        "中国",
        "福建",
        "福州",
        "鱿鱼精深加工",
        "C1362",
        "marine-food",
        "鱼糜与干腌制品",
        45000,
        None,
        300,
        "key_enterprise",
        "negotiation",
        "zhaoshang",
        "沙窝岛国家远洋渔业基地",
        "人和镇",
        120,
        "medium",
        True,
    ),
    (
        "Wanderhaus Caravans GmbH",
        "Lukas Becker",
        "+49 711 555 2201",
        "l.becker@example.de",
        "德国",
        "",
        "斯图加特",
        "房车底盘改装",
        "C3630",
        "auto-rv",
        "房车与改装车制造",
        14000,
        2000,
        90,
        "intent",
        "negotiation",
        "zhaoshang2",
        "荣成经济开发区",
        None,
        95,
        "medium",
        False,
    ),
    (
        "深圳冷云供应链科技有限公司",
        "赵敏",
        "13760011223",
        "",
        "中国",
        "广东",
        "深圳",
        "冷链仓储",
        "G5930",
        "marine-food",
        "冷链物流",
        20000,
        None,
        60,
        "visit",
        "inspection",
        "zhaoshang",
        None,
        "港湾街道",
        70,
        "medium",
        False,
    ),
    (
        "南通瀚洋海洋工程装备有限公司",
        "钱国平",
        "13962977889",
        "",
        "中国",
        "江苏",
        "南通",
        "海工装备",
        "C3737",
        "shipbuilding",
        "海洋工程装备",
        80000,
        None,
        350,
        "key_enterprise",
        "inspection",
        "zhaoshang2",
        "新材料与智能制造产业园",
        "崂山街道",
        60,
        "medium",
        True,
    ),
    (
        "江苏风驰叶片科技有限公司",
        "吴磊",
        "13905151234",
        "",
        "中国",
        "江苏",
        "盐城",
        "风电叶片",
        "C3415",
        "nuclear-energy",
        "风电装备",
        36000,
        None,
        200,
        "key_enterprise",
        "inspection",
        "kfqzhaoshang",
        "石岛风电产业园",
        "港湾街道",
        45,
        "medium",
        False,
    ),
    (
        "Nordhav Seafood AS",
        "Ingrid Solberg",
        "",
        "ingrid@example.no",
        "挪威",
        "",
        "奥勒松",
        "冷冻海产品",
        "C1361",
        "marine-food",
        "水产品冷冻加工",
        25000,
        3500,
        100,
        "intent",
        "contact",
        "zhaoshang",
        None,
        None,
        30,
        "medium",
        False,
    ),
    (
        "广州粤鲜预制菜供应链有限公司",
        "何志明",
        "13922200345",
        "",
        "中国",
        "广东",
        "广州",
        "水产预制菜",
        "C1439",
        "marine-food",
        "调味品与预制菜",
        15000,
        None,
        150,
        "intent",
        "contact",
        "zhaoshang",
        None,
        None,
        20,
        "low",
        False,
    ),
    (
        "合肥储源新能源科技有限公司",
        "张弛",
        "13866612345",
        "",
        "中国",
        "安徽",
        "合肥",
        "储能系统",
        "C3841",
        "nuclear-energy",
        "储能与光伏设备",
        120000,
        None,
        500,
        "key_enterprise",
        "contact",
        "kfqzhaoshang",
        None,
        None,
        25,
        "low",
        True,
    ),
    (
        "苏州精诚智能装备有限公司",
        "马骏",
        "13913188776",
        "",
        "中国",
        "江苏",
        "苏州",
        "智能制造装备",
        "C3599",
        None,
        None,
        8000,
        None,
        60,
        "intent",
        "lead",
        None,
        None,
        None,
        1,
        "low",
        False,
    ),
    (
        "Busan Cold Chain Logistics Co.",
        "Park Ji-hoon",
        "+82 51 444 8877",
        "jh.park@example.kr",
        "韩国",
        "",
        "釜山",
        "冷链物流",
        "G5930",
        "marine-food",
        "冷链物流",
        9000,
        1300,
        40,
        "intent",
        "lead",
        None,
        None,
        None,
        0,
        "low",
        False,
    ),
    (
        "厦门海智渔业装备有限公司",
        "郑凯",
        "13806022333",
        "",
        "中国",
        "福建",
        "厦门",
        "渔业装备",
        "C3579",
        None,
        None,
        6000,
        None,
        50,
        "intent",
        "lead",
        "zhaoshang2",
        None,
        None,
        3,
        "low",
        True,
    ),
    (
        "天津蓝港船舶修造有限公司",
        "王强",
        "13602099887",
        "",
        "中国",
        "天津",
        "天津",
        "船舶修理",
        "C3735",
        "shipbuilding",
        "船舶修理与改装",
        12000,
        None,
        90,
        "staff",
        "terminated",
        "zhaoshang2",
        None,
        None,
        150,
        "low",
        False,
    ),
    (
        "Singapore Marine Nutrition Pte. Ltd.",
        "Tan Wei Ming",
        "",
        "wm.tan@example.sg",
        "新加坡",
        "",
        "新加坡",
        "海洋营养品",
        "C1492",
        "marine-food",
        "海洋生物提取与保健食品",
        10000,
        1400,
        40,
        "intent",
        "terminated",
        "zhaoshang",
        None,
        None,
        180,
        "low",
        False,
    ),
]
TERMINATED = {
    "天津蓝港船舶修造有限公司": ("negotiation", "企业决定在天津本地扩建，暂不异地投资。"),
    "Singapore Marine Nutrition Pte. Ltd.": (
        "inspection",
        "投资方调整亚太布局，项目搁置；保留联系，明年再对接。",
    ),
}

VISITS = [
    # direction, days ago, delegation, country, province, city, people, leader, purpose, outcome,
    # lead companies
    (
        "incoming",
        400,
        "宁波海宸船舶配套股份有限公司考察团",
        "中国",
        "浙江",
        "宁波",
        6,
        "周建国",
        "考察船舶配套产业园用地",
        "达成投资意向，推进签约。",
        ["宁波海宸船舶配套股份有限公司"],
    ),
    (
        "incoming",
        320,
        "杭州驰旅房车科技有限公司",
        "中国",
        "浙江",
        "杭州",
        4,
        "陈卓",
        "考察房车产业链配套",
        "确定选址城西街道。",
        ["杭州驰旅房车科技有限公司"],
    ),
    (
        "outgoing",
        310,
        "荣成市招商代表团赴韩国釜山",
        "韩国",
        "",
        "釜山",
        5,
        "市政府分管副市长",
        "船舶配套和冷链物流专题推介",
        "拜访企业8家，形成线索3条。",
        ["Hanbada Marine (Rongcheng) Co., Ltd."],
    ),
    (
        "incoming",
        290,
        "Hanbada Marine Equipment 代表团",
        "韩国",
        "",
        "釜山",
        5,
        "Kim Min-jun",
        "考察石岛船舶产业集群",
        "签署合作备忘录。",
        ["Hanbada Marine (Rongcheng) Co., Ltd."],
    ),
    (
        "incoming",
        230,
        "青岛海健生物科技股份有限公司",
        "中国",
        "山东",
        "青岛",
        3,
        "孙海涛",
        "考察海洋生物食品产业园",
        "就厂房定制达成一致。",
        ["青岛海健生物科技股份有限公司"],
    ),
    (
        "incoming",
        200,
        "Kaiyo Foods Corporation 考察组",
        "日本",
        "",
        "大阪",
        4,
        "Tanaka Hiroshi",
        "海藻原料和加工合作",
        "确定在蔚蓝谷设立合资企业。",
        ["Kaiyo Foods Rongcheng Co., Ltd."],
    ),
    (
        "outgoing",
        170,
        "荣成市商务局赴上海、苏州招商",
        "中国",
        "上海",
        "上海",
        3,
        "商务局局长",
        "游艇、智能装备产业链招商",
        "对接企业6家。",
        ["上海蓝途游艇制造有限公司"],
    ),
    (
        "incoming",
        160,
        "北京中核晟华石墨新材料有限公司",
        "中国",
        "北京",
        "北京",
        5,
        "刘振宇",
        "考察核电配套产业园",
        "推进项目签约。",
        ["北京中核晟华石墨新材料有限公司"],
    ),
    (
        "incoming",
        130,
        "福州闽海鱿鱼食品集团",
        "中国",
        "福建",
        "福州",
        6,
        "林海鹏",
        "考察沙窝岛远洋渔业基地",
        "进入合同条款洽谈。",
        ["福州闽海鱿鱼食品集团有限公司"],
    ),
    (
        "incoming",
        100,
        "Wanderhaus Caravans 管理层",
        "德国",
        "",
        "斯图加特",
        3,
        "Lukas Becker",
        "房车底盘改装合作",
        "洽谈合资方案。",
        ["Wanderhaus Caravans GmbH"],
    ),
    (
        "outgoing",
        80,
        "荣成市招商小分队赴深圳、广州",
        "中国",
        "广东",
        "深圳",
        4,
        "招商二组组长",
        "冷链、预制菜产业链招商",
        "邀请2家企业来荣考察。",
        ["深圳冷云供应链科技有限公司", "广州粤鲜预制菜供应链有限公司"],
    ),
    (
        "incoming",
        65,
        "南通瀚洋海洋工程装备有限公司",
        "中国",
        "江苏",
        "南通",
        7,
        "钱国平",
        "考察海工装备用地",
        "待出具选址方案。",
        ["南通瀚洋海洋工程装备有限公司"],
    ),
    (
        "incoming",
        50,
        "深圳冷云供应链科技有限公司",
        "中国",
        "广东",
        "深圳",
        3,
        "赵敏",
        "考察港区冷库",
        "提出冷库改造需求。",
        ["深圳冷云供应链科技有限公司"],
    ),
    (
        "incoming",
        40,
        "江苏风驰叶片科技有限公司",
        "中国",
        "江苏",
        "盐城",
        4,
        "吴磊",
        "考察石岛风电产业园",
        "对码头条件满意。",
        ["江苏风驰叶片科技有限公司"],
    ),
    (
        "incoming",
        28,
        "Nordhav Seafood AS",
        "挪威",
        "",
        "奥勒松",
        2,
        "Ingrid Solberg",
        "冷冻海产品加工合作",
        "介绍园区和成本情况。",
        ["Nordhav Seafood AS"],
    ),
    (
        "incoming",
        12,
        "辽宁大连渔业协会",
        "中国",
        "辽宁",
        "大连",
        8,
        "协会秘书长",
        "远洋渔船建造与修理合作",
        "交流远洋渔船更新需求。",
        [],
    ),
]


def _officers() -> dict[str, User]:
    people = {u.username: u for u in User.objects.filter(username__in=["shangwu", "swlianluo"])}
    departments = {d.code: d for d in Department.objects.filter(code__in=["swj", "jkq"])}
    for username, name, department, phone in OFFICERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(
                username=username,
                password=DEMO_PASSWORD,
                real_name=name,
                phone=phone,
                department=departments[department],
                roles=[Role.DEPARTMENT_HANDLER],
            )
        people[username] = user
    for name, leader, members in TEAMS:
        team, _ = InvestmentTeam.objects.get_or_create(
            name=name, defaults={"leader": people[leader]}
        )
        team.members.add(*[people[m] for m in members])
    return people


def _key_enterprises() -> None:
    chains = {c.code: c for c in Chain.objects.all()}
    links = {(link.chain_id, link.name): link for link in ChainLink.objects.all()}
    today = timezone.localdate()
    for index, (
        name,
        country,
        province,
        city,
        chain,
        link,
        industry,
        revenue,
        ranking,
        status,
    ) in enumerate(KEY_ENTERPRISES):
        c = chains.get(chain)
        KeyEnterprise.objects.get_or_create(
            name=name,
            defaults={
                "country": country,
                "province": province,
                "city": city,
                "chain": c,
                "chain_link": links.get((c.pk, link)) if c else None,
                "industry": industry,
                "revenue": Decimal(revenue),
                "ranking": ranking,
                "contact_status": status,
                "last_contact_on": None
                if status == ContactStatus.NONE
                else today - dt.timedelta(days=10 + 7 * index),
            },
        )


def _aware(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_default_timezone())


def _date_history(lead: Lead, *, rng: random.Random, slip: bool) -> None:
    """Spread the events over the months they took: each node reached near its planned day."""
    intent_at = lead.intent_at
    first_contact = lead.first_contact_at or intent_at + dt.timedelta(hours=1)
    nodes = {n.stage: n for n in lead.nodes.all()}
    now = timezone.now()
    previous = first_contact
    reached: dict[str, dt.datetime] = {Stage.LEAD: intent_at}
    for stage in NODE_ORDER[1:]:
        node = nodes.get(stage)
        if node is None or node.reached_at is None:
            break
        planned = node.planned_on or timezone.localdate(previous)
        when = _aware(
            planned + dt.timedelta(days=rng.choice([-4, -2, -1, 0, 0, 1, 3, 6])),
            rng.choice([9, 10, 14, 15, 16]),
        )
        when = min(max(when, previous + dt.timedelta(hours=2)), now - dt.timedelta(hours=1))
        if stage == Stage.CONTACT:
            when = first_contact
        node.reached_at = when
        node.save(update_fields=["reached_at"])
        reached[stage] = when
        previous = when
    for event in LeadEvent.objects.filter(lead=lead):
        if event.to_state in reached and event.action == EventAction.ADVANCE:
            at = reached[event.to_state]
        elif event.action == EventAction.REGISTER:
            at = reached.get(Stage.REGISTERED, previous)
        elif event.action == EventAction.CONTACT:
            at = first_contact
        elif event.action in (EventAction.INTENT, EventAction.CREATE, EventAction.DUPLICATE):
            at = intent_at
        elif event.action in (EventAction.ASSIGN, EventAction.PLAN):
            at = intent_at + dt.timedelta(minutes=40)
        else:
            at = previous
        LeadEvent.objects.filter(pk=event.pk).update(at=at)
    if lead.owner_assigned_at is not None:
        lead.owner_assigned_at = intent_at + dt.timedelta(minutes=40)
    lead.stage_changed_at = previous if lead.stage != Stage.LEAD else intent_at
    upcoming = lead.next_stage
    if upcoming is not None:
        node = nodes[upcoming]
        today = timezone.localdate()
        if slip:
            node.planned_on = today - dt.timedelta(days=rng.choice([3, 6, 9]))
            node.save(update_fields=["planned_on"])
        elif node.planned_on is None or node.planned_on <= today:
            plan = pipeline.default_plan(today, after=lead.stage)
            for stage, day in plan.items():
                LeadNode.objects.filter(lead=lead, stage=stage, reached_at__isnull=True).update(
                    planned_on=day
                )
    pipeline.refresh_due(lead)
    lead.save()


def _leads(people: dict[str, User]) -> int:
    chains = {c.code: c for c in Chain.objects.all()}
    links = {(link.chain_id, link.name): link for link in ChainLink.objects.all()}
    parks = {p.name: p for p in Park.objects.all()}
    towns = {d.name: d for d in Department.objects.filter(kind="town")}
    teams = list(InvestmentTeam.objects.order_by("name"))
    chief = people["shangwu"]
    created = 0
    for index, row in enumerate(LEADS):
        (
            company,
            contact,
            phone,
            email,
            country,
            province,
            city,
            industry,
            code,
            chain,
            link,
            amount,
            foreign,
            jobs,
            origin,
            target,
            owner_name,
            park,
            town,
            days_ago,
            likelihood,
            slip,
        ) = row
        if Lead.objects.filter(company=company).exists():
            continue
        rng = random.Random(f"lead-{company}")
        c = chains.get(chain) if chain else None
        owner = people.get(owner_name) if owner_name else None
        intent_day = timezone.localdate() - dt.timedelta(days=days_ago)
        intent_at = _aware(intent_day, 9 + index % 8, 10 + index)
        if days_ago == 0:
            intent_at = timezone.now() - dt.timedelta(hours=2)
        team = None
        if owner is not None:
            team = next((t for t in teams if t.members.filter(pk=owner.pk).exists()), None)
        with transaction.atomic():
            lead = services.lead_insert(
                fields={
                    "company": company,
                    "contact_name": contact,
                    "phone": phone,
                    "email": email,
                    "country": country,
                    "province": province,
                    "city": city,
                    "industry": industry,
                    "industry_code": code,
                    "chain": c,
                    "chain_link": links.get((c.pk, link)) if c else None,
                    "amount": Decimal(amount),
                    "foreign_amount": Decimal(foreign) if foreign else None,
                    "jobs": jobs,
                    "annual_output": Decimal(amount) * Decimal("1.6"),
                    "annual_tax": Decimal(amount) * Decimal("0.08"),
                    "interest": "新建生产基地" if target != "lead" else "了解投资环境",
                    "origin": origin,
                    "likelihood": likelihood,
                    "park": parks.get(park) if park else None,
                    "town": towns.get(town) if town else None,
                    "team": team,
                    "intent_at": intent_at,
                    "key_enterprise": KeyEnterprise.objects.filter(name=company).first(),
                    "language": "en" if country not in ("中国",) else "zh-hans",
                },
                actor=None if origin == "intent" else (owner or chief),
                action=EventAction.INTENT if origin == "intent" else EventAction.CREATE,
            )
            if owner is not None:
                lead = services.lead_assign(lead=lead, actor=chief, owner=owner)
            stop = TERMINATED[company][0] if target == "terminated" else target
            actor = owner or chief
            if stop != Stage.LEAD:
                hours = rng.choice([1.5, 3, 5, 20, 26])
                services.lead_contact(
                    lead=lead,
                    actor=actor,
                    way="电话",
                    content="介绍投资环境，约定考察时间。",
                    contacted_at=min(intent_at + dt.timedelta(hours=hours), timezone.now()),
                )
            for stage in NODE_ORDER[1 : NODE_ORDER.index(stop) + 1]:
                credit_code = ""
                if stage == Stage.REGISTERED:
                    credit_code = build_credit_code(serial=DEMO_SERIAL_BASE + 700 + index)
                lead = services.lead_advance(
                    lead=lead,
                    actor=actor,
                    stage=stage,
                    note=_NOTES.get(stage, ""),
                    credit_code=credit_code,
                    scale="medium" if (amount or 0) >= 20000 else "small",
                )
            if target == "terminated":
                lead = services.lead_terminate(
                    lead=lead, actor=actor, reason=TERMINATED[company][1]
                )
            lead.refresh_from_db()
            _date_history(lead, rng=rng, slip=slip)
        created += 1
    return created


_NOTES: dict[str, str] = {
    Stage.CONTACT: "电话联系，介绍园区和政策。",
    Stage.INSPECTION: "投资方来荣实地考察选址。",
    Stage.NEGOTIATION: "就用地、厂房和扶持政策进行洽谈。",
    Stage.SIGNED: "签订投资协议。",
    Stage.REGISTERED: "完成工商注册，企业入驻平台。",
    Stage.STARTED: "取得施工许可，项目开工。",
    Stage.PRODUCING: "竣工验收，投产运营。",
}


def _visits(people: dict[str, User]) -> None:
    if Visit.objects.exists():
        return
    today = timezone.localdate()
    for (
        direction,
        days_ago,
        delegation,
        country,
        province,
        city,
        count,
        leader,
        purpose,
        outcome,
        companies,
    ) in VISITS:
        visit_save(
            actor=people["zhaoshang"],
            values={
                "direction": direction,
                "visited_on": today - dt.timedelta(days=days_ago),
                "delegation": delegation,
                "country": country,
                "province": province,
                "city": city,
                "people": count,
                "leader": leader,
                "purpose": purpose,
                "outcome": outcome,
            },
            leads=list(Lead.objects.filter(company__in=companies)),
        )
        # The history notes the visit on its day, not on the day the demo was loaded.
        LeadEvent.objects.filter(
            lead__company__in=companies, action=EventAction.VISIT, note__contains=delegation
        ).update(at=_aware(today - dt.timedelta(days=days_ago), 16))


def _tasks(people: dict[str, User]) -> None:
    if FollowUpTask.objects.exists():
        return
    now = timezone.now()
    for company, title, owner, hours in (
        ("Nordhav Seafood AS", "发送园区英文介绍和投资成本表", "zhaoshang", 30),
        ("福州闽海鱿鱼食品集团有限公司", "协调自然资源局出具用地预审意见", "zhaoshang", 72),
        ("南通瀚洋海洋工程装备有限公司", "准备选址方案比选材料", "zhaoshang2", 20),
        ("合肥储源新能源科技有限公司", "邀请来荣考察", "kfqzhaoshang", 120),
    ):
        lead = Lead.objects.filter(company=company).first()
        if lead is not None:
            task_create(
                actor=people["shangwu"],
                title=title,
                assignee=people[owner],
                due_at=now + dt.timedelta(hours=hours),
                lead=lead,
            )


def seed(*, stdout: Output) -> None:
    people = _officers()
    _key_enterprises()
    created = _leads(people)
    _visits(people)
    _tasks(people)
    by_stage = {s: Lead.objects.filter(stage=s).count() for s in Stage.values}
    stdout.write(
        f"招商项目：{Lead.objects.count()} 个（本次新增 {created}；"
        + "、".join(f"{Stage(s).label}{n}" for s, n in by_stage.items())
        + f"），外地重点企业 {KeyEnterprise.objects.count()} 家，来访出访 {Visit.objects.count()} 次\n"
    )
