"""智慧招商 demo: the investment database of Rongcheng, reviewed and published, with English.

Chains follow the city's "5+2" system and the facts file (§3): 海洋食品, 船舶与海工装备,
核电装备与新能源, 汽车及零部件/房车; parks and zones after §1.3; coordinates near the town
seats (§1.1). Company, asset and price details are invented for the demo ([E]). Every item is
written by 商务局 staff and reviewed by its liaison through the publishing workflow, as the
measures require (art. 12); a few stay in review to show the queue.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from qifu.accounts.models import Department, Enterprise, User
from qifu.demo import Output
from qifu.investment.catalogue import KINDS, catalogue_create, chain_links_add
from qifu.investment.models import (
    Chain,
    ChainLink,
    CooperationProject,
    EnterpriseNeed,
    EnvironmentSection,
    IdleAsset,
    InvestmentCost,
    InvestmentPolicy,
    LearningMaterial,
    Park,
    PromotionContact,
)
from qifu.notifications.models import Notification
from qifu.policies.models import Policy
from qifu.publishing import services as publishing
from qifu.publishing.models import PublicationStatus

D = Decimal

CHAINS: list[dict[str, Any]] = [
    {
        "code": "marine-food",
        "name": "海洋食品",
        "name_en": "Marine food",
        "summary": "荣成渔业主要指标连续三十多年居全国县级首位，是“中国海洋食品名城”。海带产量约占全国一半，"
        "海参、鲍鱼、鱿鱼制品和鱼糜加工集聚，远洋渔业自捕鱼回运加工形成完整链条。",
        "summary_en": "Rongcheng has led China's county-level fishery indicators for more than thirty "
        "years and is known as China's city of marine food. It grows about half of China's kelp and "
        "clusters processors of sea cucumber, abalone, squid and surimi, with distant-water catches "
        "landed and processed locally.",
        "links": [
            (
                "upstream",
                "海水养殖与海洋牧场",
                "Mariculture and marine ranching",
                ["A0411"],
                400000,
            ),
            ("upstream", "远洋捕捞", "Distant-water fishing", ["A0421"], 500000),
            ("midstream", "水产品冷冻加工", "Frozen seafood processing", ["C1361"], 900000),
            ("midstream", "鱼糜与干腌制品", "Surimi and cured seafood", ["C1362"], 600000),
            ("midstream", "海参海带精深加工", "Sea cucumber and kelp products", ["C1369"], 500000),
            (
                "midstream",
                "海洋生物提取与保健食品",
                "Marine extracts and health foods",
                ["C1363", "C1492", "C2761"],
                300000,
            ),
            ("downstream", "冷链物流", "Cold-chain logistics", ["G5930", "G5432"], 150000),
            (
                "downstream",
                "调味品与预制菜",
                "Seasonings and prepared dishes",
                ["C1469", "C1439"],
                120000,
            ),
        ],
    },
    {
        "code": "shipbuilding",
        "name": "船舶与海工装备",
        "name_en": "Shipbuilding and offshore equipment",
        "summary": "石岛湾、王家湾一带船舶修造企业和配套企业集聚，以滚装客船、多用途重吊船、远洋渔船和游艇见长，"
        "正向海洋工程装备和绿色智能船舶延伸。",
        "summary_en": "Shipyards and suppliers cluster around Shidao and Wangjia bays. They are known "
        "for ro-ro passenger ships, multipurpose heavy-lift vessels, ocean fishing vessels and "
        "yachts, and are moving into offshore engineering equipment and green, smart ships.",
        "links": [
            (
                "upstream",
                "船用钢材与复合材料",
                "Marine steel and composites",
                ["C3062", "C313"],
                200000,
            ),
            ("upstream", "船舶配套设备", "Marine equipment and systems", ["C3734"], 350000),
            ("midstream", "金属船舶制造", "Steel shipbuilding", ["C3731"], 800000),
            ("midstream", "游艇与休闲船艇", "Yachts and leisure boats", ["C3733"], 150000),
            ("midstream", "海洋工程装备", "Offshore engineering equipment", ["C3737"], 400000),
            ("downstream", "船舶修理与改装", "Ship repair and conversion", ["C3735"], 250000),
            (
                "downstream",
                "港口与航运服务",
                "Port and shipping services",
                ["G5532", "G5821"],
                100000,
            ),
        ],
    },
    {
        "code": "nuclear-energy",
        "name": "核电装备与新能源",
        "name_en": "Nuclear equipment and new energy",
        "summary": "华能石岛湾高温气冷堆示范工程和“国和一号”示范工程在宁津湾建成运行，核电配套产业园、石岛风电产业园"
        "承接核级材料、阀门、风电叶片和新能源运维项目。",
        "summary_en": "The Shidao Bay high-temperature gas-cooled reactor demonstration plant and the "
        "CAP1400 demonstration plant operate at Ningjin Bay. The nuclear supply-chain park and the "
        "Shidao wind-power park host nuclear-grade materials, valves, wind blades and new-energy "
        "operation and maintenance.",
        "links": [
            (
                "upstream",
                "核级石墨与碳材料",
                "Nuclear graphite and carbon materials",
                ["C3091"],
                120000,
            ),
            (
                "midstream",
                "核电阀门与关键设备",
                "Nuclear valves and key equipment",
                ["C3443", "C3411"],
                300000,
            ),
            ("midstream", "风电装备", "Wind-power equipment", ["C3415"], 250000),
            (
                "midstream",
                "储能与光伏设备",
                "Energy storage and photovoltaic equipment",
                ["C3841", "C3825"],
                200000,
            ),
            (
                "downstream",
                "新能源发电与运维",
                "Renewable generation and O&M",
                ["D4415", "D4416"],
                180000,
            ),
            (
                "downstream",
                "核能供热与综合利用",
                "Nuclear heating and by-products",
                ["D4430"],
                80000,
            ),
        ],
    },
    {
        "code": "auto-rv",
        "name": "汽车及零部件/房车",
        "name_en": "Automotive parts and recreational vehicles",
        "summary": "荣成是“中国房车产业出口基地”和国家外贸转型升级基地（房车），轮胎、改装车和房车配件企业配套齐全，"
        "房车出口欧美、澳新市场。",
        "summary_en": "Rongcheng is China's export base for recreational vehicles and a national "
        "foreign-trade upgrading base for RVs. Tyre makers, vehicle converters and RV parts "
        "suppliers form a full chain, exporting to Europe, North America, Australia and New Zealand.",
        "links": [
            ("upstream", "轮胎与橡胶制品", "Tyres and rubber products", ["C2911"], 600000),
            ("midstream", "汽车零部件", "Vehicle parts", ["C3670"], 300000),
            (
                "midstream",
                "房车与改装车制造",
                "RV and special vehicle manufacturing",
                ["C3630", "C3660"],
                400000,
            ),
            ("downstream", "房车营地与租赁", "RV camps and rental", ["L7111", "N7869"], 60000),
        ],
    },
]

PARKS: list[dict[str, Any]] = [
    {
        "name": "荣成经济开发区",
        "name_en": "Rongcheng Economic Development Zone",
        "level": "provincial",
        "town": "崖头街道",
        "lat": "37.158",
        "lng": "122.426",
        "planned_area": 22700,
        "available_land": 420,
        "chain": "auto-rv",
        "leading_industries": "装备制造、房车、生物科技、新材料",
        "leading_industries_en": "Equipment manufacturing, RVs, biotechnology, new materials",
        "infrastructure": "七通一平；园区污水处理厂日处理能力5万吨；距威海机场约40公里，距石岛港约35公里。",
        "infrastructure_en": "Fully serviced land; a wastewater plant of 50,000 t/day; about 40 km to "
        "Weihai airport and 35 km to Shidao port.",
        "description": "1992年设立的首批省级开发区，辖崖头、寻山、崂山、城西四个街道，建有山东省高端装备制造产业园区。",
        "description_en": "One of Shandong's first provincial development zones (1992). It covers four "
        "sub-districts and hosts the Shandong high-end equipment manufacturing park.",
        "phone": "0631-7561200",
    },
    {
        "name": "威海海洋高新技术产业园（石岛管理区）",
        "name_en": "Weihai Marine High-Tech Industrial Park (Shidao)",
        "level": "city",
        "town": "港湾街道",
        "lat": "36.888",
        "lng": "122.418",
        "planned_area": 27000,
        "available_land": 360,
        "chain": "marine-food",
        "leading_industries": "海洋食品、远洋渔业、船舶修造、核电配套",
        "leading_industries_en": "Marine food, distant-water fishing, shipbuilding, nuclear supply chain",
        "infrastructure": "石岛港为国家一类开放口岸，石岛渔港为北方最大群众渔港；距韩国约94海里。",
        "infrastructure_en": "Shidao port is a national first-class open port and Shidao fishing port "
        "is the largest in northern China; about 94 nautical miles from Korea.",
        "description": "辖宁津、港湾、桃园、王连、东山、斥山六个街道，海洋经济特色突出。",
        "description_en": "Covers six sub-districts with a strong ocean economy.",
        "phone": "0631-7386100",
    },
    {
        "name": "石岛湾核电配套产业园",
        "name_en": "Shidao Bay Nuclear Supply-Chain Park",
        "level": "city",
        "town": "宁津街道",
        "lat": "36.975",
        "lng": "122.490",
        "planned_area": 800,
        "available_land": 210,
        "chain": "nuclear-energy",
        "leading_industries": "核级石墨、核电阀门、设备运维",
        "leading_industries_en": "Nuclear graphite, valves, equipment servicing",
        "infrastructure": "紧邻华能石岛湾核电厂，专用变电站、危废暂存和检测中心配套。",
        "infrastructure_en": "Next to the Shidao Bay nuclear plant, with a dedicated substation, "
        "hazardous-waste storage and a testing centre.",
        "description": "服务高温气冷堆和“国和一号”示范工程的配套产业园，入园项目固定资产投资不低于5000万元。",
        "description_en": "Supply-chain park for the HTR-PM and CAP1400 demonstration plants; projects "
        "invest at least 50 million CNY in fixed assets.",
        "phone": "0631-7388300",
    },
    {
        "name": "海洋生物食品产业园",
        "name_en": "Marine Bio-Food Industrial Park",
        "level": "city",
        "town": "寻山街道",
        "lat": "37.162",
        "lng": "122.488",
        "planned_area": 600,
        "available_land": 85,
        "chain": "marine-food",
        "leading_industries": "海洋食品精深加工、海洋生物提取",
        "leading_industries_en": "Advanced seafood processing, marine extracts",
        "infrastructure": "集中供热、冷库群和食品检测公共服务平台。",
        "infrastructure_en": "District heating, cold-store cluster and a public food-testing platform.",
        "description": "经济开发区建设的专业园区，面向海洋食品精深加工和功能食品项目。",
        "description_en": "A specialised park for advanced seafood processing and functional foods.",
        "phone": "0631-7561236",
    },
    {
        "name": "石岛风电产业园",
        "name_en": "Shidao Wind Power Industrial Park",
        "level": "city",
        "town": "港湾街道",
        "lat": "36.872",
        "lng": "122.440",
        "planned_area": 300,
        "available_land": 60,
        "chain": "nuclear-energy",
        "leading_industries": "风电叶片、海上风电运维",
        "leading_industries_en": "Wind blades, offshore wind O&M",
        "infrastructure": "临港布局，5万吨级码头可直接装运叶片。",
        "infrastructure_en": "Port-side site; a 50,000-tonne wharf ships blades directly.",
        "description": "",
        "description_en": "",
        "phone": "0631-7386120",
    },
    {
        "name": "新材料与智能制造产业园",
        "name_en": "New Materials and Smart Manufacturing Park",
        "level": "city",
        "town": "崂山街道",
        "lat": "37.112",
        "lng": "122.452",
        "planned_area": 500,
        "available_land": 140,
        "chain": "shipbuilding",
        "leading_industries": "复合材料、海工装备、智能制造",
        "leading_industries_en": "Composites, offshore equipment, smart manufacturing",
        "infrastructure": "标准厂房12万平方米，可“拎包入驻”。",
        "infrastructure_en": "120,000 m² of ready-built standard factories.",
        "description": "",
        "description_en": "",
        "phone": "0631-7561250",
    },
    {
        "name": "蔚蓝谷海洋科技产业园",
        "name_en": "Weilan Valley Marine Technology Park",
        "level": "city",
        "town": "俚岛镇",
        "lat": "37.243",
        "lng": "122.560",
        "planned_area": 200,
        "available_land": 35,
        "chain": "marine-food",
        "leading_industries": "海藻精深加工、海洋生物研发",
        "leading_industries_en": "Seaweed processing, marine bio R&D",
        "infrastructure": "海藻加工中试车间、研发楼。",
        "infrastructure_en": "Seaweed pilot plant and R&D building.",
        "description": "",
        "description_en": "",
        "phone": "0631-7411200",
    },
    {
        "name": "沙窝岛国家远洋渔业基地",
        "name_en": "Shawodao National Distant-Water Fishing Base",
        "level": "national",
        "town": "人和镇",
        "lat": "36.880",
        "lng": "122.310",
        "planned_area": 80,
        "available_land": 12,
        "chain": "marine-food",
        "leading_industries": "远洋渔业、鱿鱼精深加工、冷链",
        "leading_industries_en": "Distant-water fishing, squid processing, cold chain",
        "infrastructure": "42公顷港池，年修船能力100万载重吨，35万吨冷库。",
        "infrastructure_en": "A 42-hectare harbour basin, ship repair of 1 million DWT a year and "
        "350,000 tonnes of cold storage.",
        "description": "2016年批准建设的全国第二个国家远洋渔业基地。",
        "description_en": "China's second national distant-water fishing base, approved in 2016.",
        "phone": "0631-7351100",
        "submitted_only": True,
    },
]

ASSETS: list[tuple[Any, ...]] = [
    # (code, title, title_en, kind, town, park, lat, lng, area ㎡, price, unit, owner, availability)
    (
        "RC-L-001",
        "开发区装备园工业用地（地块一）",
        "Industrial land, equipment park plot 1",
        "land",
        "崖头街道",
        "荣成经济开发区",
        "37.152",
        "122.431",
        66700,
        18,
        "per_mu",
        "荣成经济开发区管理委员会",
        "available",
    ),
    (
        "RC-L-002",
        "核电配套产业园工业用地",
        "Industrial land, nuclear supply-chain park",
        "land",
        "宁津街道",
        "石岛湾核电配套产业园",
        "36.971",
        "122.486",
        133400,
        16,
        "per_mu",
        "石岛管理区管理委员会",
        "available",
    ),
    (
        "RC-L-003",
        "海洋生物食品产业园用地",
        "Land, marine bio-food park",
        "land",
        "寻山街道",
        "海洋生物食品产业园",
        "37.166",
        "122.492",
        40000,
        20,
        "per_mu",
        "荣成经济开发区管理委员会",
        "negotiating",
    ),
    (
        "RC-F-001",
        "崂山街道标准厂房A3栋",
        "Standard factory A3, Laoshan",
        "factory",
        "崂山街道",
        "新材料与智能制造产业园",
        "37.114",
        "122.455",
        6800,
        12,
        "rent",
        "荣成市国有资产运营有限公司",
        "available",
    ),
    (
        "RC-F-002",
        "原水产加工厂房（整体转让）",
        "Former seafood plant (whole transfer)",
        "factory",
        "港湾街道",
        "威海海洋高新技术产业园（石岛管理区）",
        "36.882",
        "122.426",
        12500,
        2600,
        "total",
        "荣成市某水产食品有限公司（破产管理人）",
        "available",
    ),
    (
        "RC-F-003",
        "滕家镇闲置轮胎配套厂房",
        "Idle tyre-parts factory, Tengjia",
        "factory",
        "滕家镇",
        None,
        "37.114",
        "122.365",
        9200,
        9,
        "rent",
        "滕家镇人民政府",
        "available",
    ),
    (
        "RC-F-004",
        "斥山街道冷链车间",
        "Cold-chain workshop, Chishan",
        "factory",
        "斥山街道",
        None,
        "36.933",
        "122.386",
        4300,
        15,
        "rent",
        "斥山街道办事处",
        "taken",
    ),
    (
        "RC-O-001",
        "荣成市科技孵化中心三层",
        "Technology incubator, 3rd floor",
        "office",
        "崖头街道",
        "荣成经济开发区",
        "37.167",
        "122.410",
        1800,
        25,
        "rent",
        "荣成经济开发区管理委员会",
        "available",
    ),
    (
        "RC-O-002",
        "石岛商务楼宇12层",
        "Shidao office tower, 12th floor",
        "office",
        "桃园街道",
        None,
        "36.902",
        "122.408",
        1200,
        30,
        "rent",
        "石岛管理区管理委员会",
        "available",
    ),
    (
        "RC-W-001",
        "石岛港区冷库（2万吨）",
        "Shidao port cold store (20,000 t)",
        "warehouse",
        "港湾街道",
        None,
        "36.876",
        "122.432",
        15000,
        18,
        "rent",
        "荣成市北港港务有限公司",
        "negotiating",
    ),
    (
        "RC-W-002",
        "人和镇远洋基地冷库",
        "Cold store, distant-water fishing base",
        "warehouse",
        "人和镇",
        "沙窝岛国家远洋渔业基地",
        "36.884",
        "122.306",
        8000,
        20,
        "rent",
        "人和镇人民政府",
        "available",
    ),
    (
        "RC-L-004",
        "俚岛镇海藻加工用地",
        "Seaweed processing land, Lidao",
        "land",
        "俚岛镇",
        "蔚蓝谷海洋科技产业园",
        "37.247",
        "122.559",
        26700,
        15,
        "per_mu",
        "俚岛镇人民政府",
        "available",
    ),
]

COSTS = [
    # (category, item, item_en, price, unit, unit_en, effective_on, source)
    (
        "land",
        "工业用地出让起始价（三等）",
        "Industrial land grant base price (grade 3)",
        "18",
        "万元/亩",
        "10k CNY per mu",
        "2025-07-01",
        "荣成市自然资源局 工业用地出让最低价标准",
    ),
    (
        "land",
        "标准厂房租金",
        "Standard factory rent",
        "8-15",
        "元/㎡·月",
        "CNY per m² per month",
        "2026-01-01",
        "荣成经济开发区投资促进局",
    ),
    (
        "electricity",
        "一般工商业用电（1-10千伏）",
        "Commercial and industrial power (1-10 kV)",
        "0.6512",
        "元/千瓦时",
        "CNY per kWh",
        "2025-06-01",
        "国网荣成市供电公司 代理购电价格公告",
    ),
    (
        "electricity",
        "大工业用电（35千伏）",
        "Large industrial power (35 kV)",
        "0.5830",
        "元/千瓦时",
        "CNY per kWh",
        "2025-06-01",
        "国网荣成市供电公司 代理购电价格公告",
    ),
    (
        "water",
        "工业用水",
        "Industrial water",
        "3.85",
        "元/吨",
        "CNY per tonne",
        "2025-01-01",
        "荣成市水务局 水价公告",
    ),
    (
        "water",
        "污水处理费（工业）",
        "Industrial wastewater treatment",
        "1.40",
        "元/吨",
        "CNY per tonne",
        "2025-01-01",
        "荣成市水务局 水价公告",
    ),
    (
        "gas",
        "工业用天然气",
        "Industrial natural gas",
        "3.95",
        "元/立方米",
        "CNY per m³",
        "2025-11-01",
        "荣成市燃气公司价格公示",
    ),
    (
        "wage",
        "最低工资标准",
        "Minimum monthly wage",
        "2200",
        "元/月",
        "CNY per month",
        "2025-10-01",
        "山东省人民政府 最低工资标准通知",
    ),
    (
        "wage",
        "普通操作工月工资（市场水平）",
        "Production worker monthly wage (market)",
        "4800",
        "元/月",
        "CNY per month",
        "2026-01-01",
        "荣成市人力资源和社会保障局 人力资源市场工资价位",
    ),
    (
        "wage",
        "工程技术人员月工资（市场水平）",
        "Engineer monthly wage (market)",
        "7500",
        "元/月",
        "CNY per month",
        "2026-01-01",
        "荣成市人力资源和社会保障局 人力资源市场工资价位",
    ),
    (
        "logistics",
        "集装箱陆运至青岛港（40尺）",
        "40-ft container trucking to Qingdao port",
        "3200",
        "元/箱",
        "CNY per container",
        "2026-01-01",
        "荣成市交通运输局 市场调查",
    ),
    (
        "logistics",
        "石岛港至仁川港海运（20尺）",
        "Shidao–Incheon sea freight (20-ft)",
        "260",
        "美元/箱",
        "USD per container",
        "2026-01-01",
        "荣成市商务局 航运企业报价调查",
    ),
]

POLICY_LINKS = [
    (
        "RC-FGJ-2026-001",
        "Support for projects in the Shidao Bay nuclear supply-chain park",
        "入园核电、风电配套项目固定资产投资5000万元以上的，给予3年厂房租金减免和设备补助。",
        "Nuclear and wind supply-chain projects investing over 50 million CNY in fixed assets get three years' rent relief and equipment subsidies.",
    ),
    (
        "RC-SWJ-2026-002",
        "Support for RV exports and brands",
        "房车企业出口额1000万元以上的，按出口增量的2%给予扶持。",
        "RV makers exporting over 10 million CNY receive 2 % of the export increase.",
    ),
    (
        "RC-GXJ-2026-003",
        "Subsidy for technology upgrading equipment",
        "规上工业企业年度技改设备投资500万元以上的，按设备投资额8%给予补助，最高300万元。",
        "Industrial firms investing over 5 million CNY a year in new equipment receive 8 % of it, up to 3 million CNY.",
    ),
]

COOPERATION = [
    (
        "海参精深加工及功能食品项目",
        "Sea cucumber processing and functional foods",
        "marine-food",
        "海洋食品",
        "Marine food",
        30000,
        "独资或合资",
        "寻山街道",
        "建设海参肽、海参胶囊等功能食品生产线，本地海参原料年供应量超过1万吨。",
        "Production lines for sea cucumber peptides and capsules; local raw supply exceeds 10,000 tonnes a year.",
    ),
    (
        "远洋鱿鱼自捕回运精深加工项目",
        "Squid processing from local distant-water catch",
        "marine-food",
        "海洋食品",
        "Marine food",
        50000,
        "合资合作",
        "人和镇",
        "依托沙窝岛国家远洋渔业基地，建设鱿鱼丝、鱿鱼预制菜加工和冷链仓储。",
        "Squid snacks, prepared dishes and cold storage at the Shawodao distant-water fishing base.",
    ),
    (
        "绿色智能渔船与科考船建造项目",
        "Green smart fishing and research vessels",
        "shipbuilding",
        "船舶修造",
        "Shipbuilding",
        80000,
        "合资合作",
        "王连街道",
        "面向远洋渔船更新改造需求，建设LNG动力和电动渔船、极地科考船建造能力。",
        "LNG-powered and electric fishing vessels and polar research ships for the fleet renewal.",
    ),
    (
        "海上风电运维母港及装备项目",
        "Offshore wind O&M base and equipment",
        "nuclear-energy",
        "新能源",
        "New energy",
        60000,
        "独资或合资",
        "港湾街道",
        "建设海上风电运维船基地、备件仓储和叶片修复中心。",
        "A base for wind-farm service vessels, spare-parts storage and blade repair.",
    ),
    (
        "核级石墨制品深加工项目",
        "Nuclear-grade graphite products",
        "nuclear-energy",
        "核电配套",
        "Nuclear supply chain",
        20000,
        "独资",
        "宁津街道",
        "为高温气冷堆提供核级石墨构件加工和检测服务。",
        "Machining and testing of nuclear-grade graphite parts for the HTR-PM.",
    ),
    (
        "高端房车及房车零部件产业园项目",
        "High-end RVs and RV parts park",
        "auto-rv",
        "房车制造",
        "RV manufacturing",
        40000,
        "合资合作",
        "城西街道",
        "引进房车底盘改装、车内家具和电气系统配套企业，共建出口房车产业园。",
        "Chassis conversion, RV furniture and electrical suppliers for an export RV park.",
    ),
]

NEEDS = [
    (
        1,
        "supply",
        "寻找海参即食产品自动化包装设备供应商",
        "Looking for automatic packing lines for ready-to-eat sea cucumber",
        "年产即食海参500吨，需要真空包装和杀菌一体化设备。",
        "We make 500 t of ready-to-eat sea cucumber a year and need combined vacuum packing and sterilising lines.",
    ),
    (
        2,
        "cooperation",
        "房车出口欧洲认证合作",
        "Partner for EU certification of RV exports",
        "寻求具备欧盟整车型式认证经验的合作伙伴。",
        "We seek a partner experienced in EU whole-vehicle type approval.",
    ),
    (
        3,
        "capital",
        "冷链物流中心二期引资",
        "Investor for phase 2 of a cold-chain centre",
        "二期新建5万吨冷库，寻求战略投资者。",
        "Phase 2 adds 50,000 tonnes of cold storage; we seek a strategic investor.",
    ),
]

ENVIRONMENT = [
    (
        "区位交通",
        "Location and transport",
        "荣成位于山东半岛最东端，三面环海，海岸线近500公里。距威海国际机场约40公里，石岛港为国家一类开放口岸，"
        "开通至韩国仁川、平泽的客货航线，距韩国仅94海里。",
        "Rongcheng lies at the eastern tip of the Shandong peninsula with nearly 500 km of coastline. Weihai international airport is about 40 km away; Shidao is a national first-class open port with passenger and cargo routes to Incheon and Pyeongtaek, only 94 nautical miles from Korea.",
    ),
    (
        "产业基础",
        "Industrial base",
        "形成高端装备与智能制造、海洋生物食品及医药、核电装备与新能源、高新材料、电子信息五大制造业产业链和文旅康养、现代物流两大服务业，"
        "2022年规上工业企业298家，是山东省工业强县。",
        "Five manufacturing chains — high-end equipment, marine bio-food and medicine, nuclear equipment and new energy, advanced materials, electronics — and two service chains, tourism and logistics. 298 industrial firms above designated size (2022); a Shandong industrial-strength county.",
    ),
    (
        "营商环境",
        "Business environment",
        "企业开办一个工作日内办结，工程建设项目审批全程帮办代办，每个项目配备项目管家，每个企业配备服务专员。"
        "企业诉求当日派发、3个工作日内办结。",
        "Companies are set up within one working day; construction approvals are handled with a project steward for every project and a service commissioner for every enterprise. Enterprise appeals are dispatched the same day and settled within three working days.",
    ),
    (
        "人才与生活",
        "Talent and living",
        "“荣归故里”人才计划提供安家补贴，好运角国家级旅游度假区、天鹅湖、海草房村落宜居宜游。",
        "The Rongcheng talent programme offers housing subsidies; the Haoyunjiao national tourism resort, Swan Lake and seaweed-roofed villages make it a pleasant place to live.",
    ),
]

CONTACTS = [
    (
        "荣成市商务局投资促进科",
        "Investment Promotion Division, Rongcheng Bureau of Commerce",
        "鞠红霞",
        "0631-7562811",
        "invest@rongcheng.example.gov.cn",
        "荣成市崖头街道伟德东路9号",
        "9 Weide East Road, Yatou, Rongcheng",
    ),
    (
        "荣成经济开发区投资促进局",
        "Investment Promotion Bureau, Rongcheng Economic Development Zone",
        "",
        "0631-7561200",
        "",
        "荣成市崖头街道成山大道",
        "Chengshan Avenue, Yatou, Rongcheng",
    ),
    (
        "石岛管理区经济发展局",
        "Economic Development Bureau, Shidao",
        "",
        "0631-7386100",
        "",
        "荣成市港湾街道",
        "Gangwan, Shidao, Rongcheng",
    ),
]

LEARNING = [
    (
        "policy",
        "外商投资准入特别管理措施（负面清单）要点",
        "负面清单之外的领域按照内外资一致原则管理；招商洽谈时先核对项目是否在清单内，再向投资方说明审批流程。",
    ),
    (
        "knowledge",
        "投资项目备案与核准的区别",
        "企业投资项目除《政府核准的投资项目目录》所列外实行备案制，在全国投资项目在线审批监管平台在线办理，备案即时完成。",
    ),
    (
        "knowledge",
        "工业用地“标准地”出让流程",
        "标准地出让前明确投资强度、亩均税收、容积率等控制指标，企业拿地即可开工；签约时将指标写入投资协议。",
    ),
]


# Pinyin of the towns for the English addresses (the names of the facts file, §1.1).
TOWN_EN = {
    "宁津街道": "Ningjin Subdistrict",
    "港湾街道": "Gangwan Subdistrict",
    "桃园街道": "Taoyuan Subdistrict",
    "王连街道": "Wanglian Subdistrict",
    "东山街道": "Dongshan Subdistrict",
    "斥山街道": "Chishan Subdistrict",
    "崖头街道": "Yatou Subdistrict",
    "城西街道": "Chengxi Subdistrict",
    "寻山街道": "Xunshan Subdistrict",
    "崂山街道": "Laoshan Subdistrict",
    "俚岛镇": "Lidao Town",
    "成山镇": "Chengshan Town",
    "埠柳镇": "Buliu Town",
    "港西镇": "Gangxi Town",
    "夏庄镇": "Xiazhuang Town",
    "崖西镇": "Yaxi Town",
    "荫子镇": "Yinzi Town",
    "滕家镇": "Tengjia Town",
    "大疃镇": "Datuan Town",
    "上庄镇": "Shangzhuang Town",
    "虎山镇": "Hushan Town",
    "人和镇": "Renhe Town",
}


def _publish(item: Any, author: User, reviewer: User, *, stop_at: str = "") -> Any:
    """Through the same review workflow as the staff pages: submit, approve, publish."""
    item = publishing.publication_submit(item=item, actor=author)
    if stop_at == "submitted":
        return item
    item = publishing.publication_approve(item=item, actor=reviewer)
    return publishing.publication_publish(item=item, actor=reviewer)


def _create(
    kind: str, author: User, reviewer: User, values: dict[str, Any], *, stop_at: str = ""
) -> tuple[Any, bool]:
    item = catalogue_create(kind=KINDS[kind], author=author, values=values)
    return (item if stop_at == "draft" else _publish(item, author, reviewer, stop_at=stop_at)), True


def seed(*, stdout: Output) -> None:
    author = User.objects.get(username="shangwu")
    reviewer = User.objects.get(username="swlianluo")
    towns = {d.name: d for d in Department.objects.filter(kind="town")}
    created: dict[str, int] = {}

    def count(kind: str, made: bool) -> None:
        created[kind] = created.get(kind, 0) + int(made)

    chains: dict[str, Chain] = {}
    for spec in CHAINS:
        chain = Chain.objects.filter(code=spec["code"]).first()
        if chain is None:
            chain = catalogue_create(
                kind=KINDS["chains"],
                author=author,
                values={k: spec[k] for k in ("code", "name", "name_en", "summary", "summary_en")}
                | {"sort_order": 10 * (len(chains) + 1)},
            )
            assert isinstance(chain, Chain)
            chain_links_add(
                chain=chain,
                actor=author,
                links=[
                    {
                        "position": position,
                        "name": name,
                        "name_en": name_en,
                        "industry_prefixes": prefixes,
                        "target_output": D(target),
                        "order": order * 10,
                    }
                    for order, (position, name, name_en, prefixes, target) in enumerate(
                        spec["links"], start=1
                    )
                ],
            )
            chain.refresh_from_db()
            chain = _publish(chain, author, reviewer)
            count("产业链", True)
        chains[spec["code"]] = chain

    for spec in PARKS:
        if Park.objects.filter(name=spec["name"]).exists():
            continue
        values = {
            "name": spec["name"],
            "name_en": spec["name_en"],
            "level": spec["level"],
            "town": towns.get(spec["town"]),
            "latitude": D(spec["lat"]),
            "longitude": D(spec["lng"]),
            "planned_area": D(spec["planned_area"]),
            "available_land": D(spec["available_land"]),
            "chain": chains.get(spec["chain"]),
            "leading_industries": spec["leading_industries"],
            "leading_industries_en": spec["leading_industries_en"],
            "infrastructure": spec["infrastructure"],
            "infrastructure_en": spec["infrastructure_en"],
            "description": spec["description"],
            "description_en": spec["description_en"],
            "contact_phone": spec["phone"],
            "address": f"荣成市{spec['town']}",
            "address_en": f"{TOWN_EN[spec['town']]}, Rongcheng",
        }
        _create(
            "parks",
            author,
            reviewer,
            values,
            stop_at="submitted" if spec.get("submitted_only") else "",
        )
        count("园区", True)

    parks = {p.name: p for p in Park.objects.all()}
    for (
        code,
        title,
        title_en,
        kind,
        town,
        park,
        lat,
        lng,
        area,
        price,
        unit,
        owner,
        availability,
    ) in ASSETS:
        if IdleAsset.objects.filter(code=code).exists():
            continue
        values = {
            "code": code,
            "title": title,
            "title_en": title_en,
            "kind": kind,
            "town": towns.get(town),
            "park": parks.get(park) if park else None,
            "latitude": D(lat),
            "longitude": D(lng),
            "area": D(area),
            "price": D(price),
            "price_unit": unit,
            "owner": owner,
            "availability": availability,
            "address": f"荣成市{town}",
            "address_en": f"{TOWN_EN[town]}, Rongcheng",
            "contact_phone": "0631-7562811",
        }
        _create("assets", author, reviewer, values, stop_at="draft" if code == "RC-L-004" else "")
        count("闲置资产", True)

    for category, item, item_en, price, unit, unit_en, on, source in COSTS:
        effective_on = dt.date.fromisoformat(on)
        if "-" in price:  # a range: the low end is the price, the range is in the item's name
            item, item_en = f"{item}（{price}）", f"{item_en} ({price})"
        if InvestmentCost.objects.filter(
            category=category, item=item, effective_on=effective_on
        ).exists():
            continue
        _create(
            "costs",
            author,
            reviewer,
            {
                "category": category,
                "item": item,
                "item_en": item_en,
                "price": D(price.split("-")[0]),
                "unit": unit,
                "unit_en": unit_en,
                "effective_on": effective_on,
                "source": source,
            },
        )
        count("投资成本", True)

    for code, title_en, summary, summary_en in POLICY_LINKS:
        policy = Policy.objects.filter(code=code).first()
        if policy is None or InvestmentPolicy.objects.filter(policy=policy).exists():
            continue
        _create(
            "policies",
            author,
            reviewer,
            {"policy": policy, "title_en": title_en, "summary": summary, "summary_en": summary_en},
        )
        count("招商政策", True)

    for (
        title,
        title_en,
        chain,
        industry,
        industry_en,
        amount,
        mode,
        town,
        body,
        body_en,
    ) in COOPERATION:
        if CooperationProject.objects.filter(title=title).exists():
            continue
        _create(
            "cooperation",
            author,
            reviewer,
            {
                "title": title,
                "title_en": title_en,
                "chain": chains.get(chain),
                "industry": industry,
                "industry_en": industry_en,
                "amount": D(amount),
                "mode": mode,
                "town": towns.get(town),
                "description": body,
                "description_en": body_en,
            },
        )
        count("合作项目", True)

    enterprises = list(Enterprise.objects.order_by("credit_code")[:40])
    for index, kind, title, title_en, body, body_en in NEEDS:
        if EnterpriseNeed.objects.filter(title=title).exists() or len(enterprises) <= index:
            continue
        picks = {1: "水产", 2: "房车", 3: "冷链"}
        enterprise = next((e for e in enterprises if picks[index] in e.name), enterprises[index])
        _create(
            "needs",
            author,
            reviewer,
            {
                "enterprise": enterprise,
                "kind": kind,
                "title": title,
                "title_en": title_en,
                "description": body,
                "description_en": body_en,
            },
        )
        count("企业需求", True)

    for order, (title, title_en, body, body_en) in enumerate(ENVIRONMENT, start=1):
        if EnvironmentSection.objects.filter(title=title).exists():
            continue
        _create(
            "environment",
            author,
            reviewer,
            {
                "title": title,
                "title_en": title_en,
                "body": body,
                "body_en": body_en,
                "order": order * 10,
            },
        )
        count("投资环境", True)

    for order, (office, office_en, person, phone, email, address, address_en) in enumerate(
        CONTACTS, start=1
    ):
        if PromotionContact.objects.filter(office=office).exists():
            continue
        _create(
            "contacts",
            author,
            reviewer,
            {
                "office": office,
                "office_en": office_en,
                "person": person,
                "phone": phone,
                "email": email,
                "address": address,
                "address_en": address_en,
                "order": order * 10,
            },
        )
        count("联系方式", True)

    for category, title, body in LEARNING:
        if LearningMaterial.objects.filter(title=title).exists():
            continue
        _create("learning", author, reviewer, {"category": category, "title": title, "body": body})
        count("学习资料", True)

    # The author has read the review outcomes of the demo's own publishing (one per item); the
    # inbox then shows what is waiting rather than a hundred routine notices.
    Notification.objects.filter(
        user=author,
        read_at__isnull=True,
        title__in=["内容已审核通过", "内容已发布"],
        url__startswith="/investment/library/",
    ).update(read_at=timezone.now())
    published = sum(
        kind.model.objects.filter(status=PublicationStatus.PUBLISHED).count()
        for kind in KINDS.values()
    )
    summary = "，".join(f"{k} {v}" for k, v in created.items() if v) or "无新增"
    stdout.write(
        f"招商资料库：{ChainLink.objects.count()} 个产业链环节，已发布 {published} 项（本次新增：{summary}）\n"
    )
