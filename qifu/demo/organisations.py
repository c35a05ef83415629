"""Departments of the demo city: the three platform agencies, city departments, zones and towns.

Names, remits and coordinates follow the research notes in
/work/shared/reference/rongcheng-facts.md (§1.1 towns, §1.3 zones, §2 departments).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from qifu.accounts.models import Department, DepartmentKind
from qifu.demo import Output


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    short_name: str
    kind: str
    remit: str = ""
    sections: tuple[str, ...] = ()
    address: str = ""
    latitude: str | None = None
    longitude: str | None = None
    parent: str | None = None


AGENCY, DEPT, TOWN = DepartmentKind.AGENCY, DepartmentKind.DEPARTMENT, DepartmentKind.TOWN

# Article 5 of the measures: the entrance and 办事服务/专属空间 are run by 行政审批服务局,
# 政策诉求 by 工信局, 智慧招商 by 商务局.
AGENCIES = [
    Unit(
        "xzsp",
        "荣成市行政审批服务局",
        "行政审批服务局",
        AGENCY,
        "相对集中行政许可：企业开办、多数许可、工程建设项目审批、政务服务大厅、“高效办成一件事”",
        ("services", "space"),
        "悦湖路59号",
    ),
    Unit(
        "gxj",
        "荣成市工业和信息化局",
        "工信局",
        AGENCY,
        "产业政策、技改、专精特新与中小企业梯度培育、小升规、数字化转型、产业链“链长制”",
        ("policy",),
    ),
    Unit(
        "swj",
        "荣成市商务局",
        "商务局",
        AGENCY,
        "外贸、外资、招商引资、跨境电商、展会补贴、出口信用保险",
        ("investment",),
    ),
]

DEPARTMENTS = [
    Unit(
        "zfb",
        "荣成市人民政府办公室",
        "市政府办",
        DEPT,
        "统筹协调、12345与督办衔接、印发荣政发/荣政办发文件",
        address="伟德东路9号",
    ),
    Unit(
        "fgj",
        "荣成市发展和改革局",
        "发改局",
        DEPT,
        "投资项目核准备案、重大项目、营商环境与社会信用（信用修复）、能源价格、电力协调",
    ),
    Unit(
        "kjj",
        "荣成市科学技术局",
        "科技局",
        DEPT,
        "高新技术企业与科技型中小企业培育、研发平台、科技成果转化",
    ),
    Unit("czj", "荣成市财政局", "财政局", DEPT, "奖补资金拨付（政策兑现）、政府采购"),
    Unit(
        "jrfw",
        "荣成市金融服务中心",
        "金融服务中心",
        DEPT,
        "银企对接、应急转贷（过桥）资金、融资担保、上市培育",
    ),
    Unit(
        "rsj",
        "荣成市人力资源和社会保障局",
        "人社局",
        DEPT,
        "招聘用工、稳岗返还、就业创业补贴、创业担保贷款、人才、劳动保障监察与仲裁",
    ),
    Unit(
        "zrzyj",
        "荣成市自然资源局",
        "自然资源局",
        DEPT,
        "土地供应、用地预审与选址、建设用地与工程规划许可、不动产登记、海域使用",
    ),
    Unit(
        "zjj",
        "荣成市住房和城乡建设局",
        "住建局",
        DEPT,
        "施工许可、消防设计审查与验收、竣工验收备案、建筑市场、燃气供热监管",
    ),
    Unit(
        "scjgj",
        "荣成市市场监督管理局",
        "市场监管局",
        DEPT,
        "市场主体监管、年报、食品与特种设备、计量质量、知识产权（专利商标、质押融资）",
    ),
    Unit(
        "sw",
        "国家税务总局荣成市税务局",
        "税务局",
        DEPT,
        "税费、发票、退税、研发费用加计扣除、小微与高企税收优惠",
    ),
    Unit("sthj", "威海市生态环境局荣成分局", "生态环境分局", DEPT, "环评、排污许可、环境执法"),
    Unit(
        "yjglj",
        "荣成市应急管理局",
        "应急管理局",
        DEPT,
        "安全生产、危险化学品经营许可、安全检查、应急预案",
    ),
    Unit(
        "hyfzj",
        "荣成市海洋发展局",
        "海洋发展局",
        DEPT,
        "渔业、远洋渔业项目与渔船、海洋牧场、养殖证、海洋经济",
    ),
    Unit("jtysj", "荣成市交通运输局", "交通运输局", DEPT, "道路运输许可、物流、港航协调"),
    Unit("slj", "荣成市水务局", "水务局", DEPT, "取水许可、供水排水"),
    Unit("nyncj", "荣成市农业农村局", "农业农村局", DEPT, "农业企业、农业产业化"),
    Unit("wlj", "荣成市文化和旅游局", "文旅局", DEPT, "旅游企业、A级景区、旅行社"),
    Unit("sfj", "荣成市司法局", "司法局", DEPT, "公共法律服务、行政执法监督（涉企检查）"),
    Unit(
        "zhzfj", "荣成市综合行政执法局", "综合执法局", DEPT, "城市管理执法（户外广告、建筑垃圾等）"
    ),
    Unit("xfj", "荣成市信访局", "信访局", DEPT, "信访事项受理与督办", address="伟德东路3号"),
    Unit("tjj", "荣成市统计局", "统计局", DEPT, "规上、限上企业入库统计"),
    Unit(
        "gdgs", "国网荣成市供电公司", "供电公司", DEPT, "电力接入、增容、停电抢修（公用事业单位）"
    ),
]

# The three zone committees are handlers of first instance for enterprises inside them, not
# places an enterprise is registered in, so they are departments; their towns point at them.
ZONES = [
    Unit(
        "jkq",
        "荣成经济开发区管理委员会",
        "经济开发区",
        DEPT,
        "区内企业服务第一责任单位；生物科技、新材料、装备制造、房车产业",
        latitude="37.165",
        longitude="122.410",
    ),
    Unit(
        "sdglq",
        "石岛管理区管理委员会",
        "石岛管理区",
        DEPT,
        "区内企业服务第一责任单位；渔港、远洋渔业、船舶修造、核电配套",
        latitude="36.900",
        longitude="122.420",
    ),
    Unit(
        "hyj",
        "好运角旅游度假区管理委员会",
        "好运角度假区",
        DEPT,
        "区内企业服务第一责任单位；文旅康养",
        latitude="37.370",
        longitude="122.580",
    ),
]

# (code, name, lat, lon, zone). Zone membership only where the notes confirm it (§1.1, §1.3).
TOWN_ROWS = [
    ("ningjin", "宁津街道", "36.987", "122.502", "sdglq"),
    ("gangwan", "港湾街道", "36.878", "122.428", "sdglq"),
    ("taoyuan", "桃园街道", "36.900", "122.405", "sdglq"),
    ("wanglian", "王连街道", "36.987", "122.362", "sdglq"),
    ("dongshan", "东山街道", "36.925", "122.460", "sdglq"),
    ("chishan", "斥山街道", "36.930", "122.382", "sdglq"),
    ("yatou", "崖头街道", "37.165", "122.407", "jkq"),
    ("chengxi", "城西街道", "37.170", "122.365", "jkq"),
    ("xunshan", "寻山街道", "37.170", "122.500", "jkq"),
    ("laoshan", "崂山街道", "37.110", "122.450", "jkq"),
    ("lidao", "俚岛镇", "37.250", "122.566", None),
    ("chengshan", "成山镇", "37.367", "122.550", "hyj"),
    ("buliu", "埠柳镇", "37.320", "122.470", None),
    ("gangxi", "港西镇", "37.378", "122.412", None),
    ("xiazhuang", "夏庄镇", "37.232", "122.444", None),
    ("yaxi", "崖西镇", "37.253", "122.368", None),
    ("yinzi", "荫子镇", "37.210", "122.310", None),
    ("tengjia", "滕家镇", "37.110", "122.360", None),
    ("datuan", "大疃镇", "37.070", "122.320", None),
    ("shangzhuang", "上庄镇", "36.996", "122.288", None),
    ("hushan", "虎山镇", "36.947", "122.208", None),
    ("renhe", "人和镇", "36.891", "122.298", None),
]

TOWNS = [
    Unit(code, name, name, TOWN, latitude=lat, longitude=lon, parent=zone)
    for code, name, lat, lon, zone in TOWN_ROWS
]

ALL_UNITS = [*AGENCIES, *DEPARTMENTS, *ZONES, *TOWNS]


def _defaults(unit: Unit, sort_order: int, parent: Department | None) -> dict[str, object]:
    return {
        "name": unit.name,
        "short_name": unit.short_name,
        "kind": unit.kind,
        "remit": unit.remit,
        "sections": list(unit.sections),
        "address": unit.address,
        "latitude": Decimal(unit.latitude) if unit.latitude else None,
        "longitude": Decimal(unit.longitude) if unit.longitude else None,
        "parent": parent,
        "sort_order": sort_order,
        "is_active": True,
    }


def seed(*, stdout: Output) -> None:
    """Create or update every unit by its code; zones before the towns that point at them."""
    created_count = 0
    by_code: dict[str, Department] = {}
    for index, unit in enumerate(ALL_UNITS):
        parent = by_code[unit.parent] if unit.parent else None
        department, created = Department.objects.update_or_create(
            code=unit.code, defaults=_defaults(unit, 10 * (index + 1), parent)
        )
        by_code[unit.code] = department
        created_count += created
    stdout.write(f"部门、管委会与镇街：{len(ALL_UNITS)} 个（新增 {created_count}）\n")
