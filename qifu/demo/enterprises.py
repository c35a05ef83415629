"""About sixty invented enterprises across Rongcheng's "5+2" industries, and synthetic volume.

Names follow the pattern of the research notes (§3) with invented trade names, never the real
companies'. Every figure is drawn from a random.Random seeded by the enterprise's serial, so a
rerun produces the same rows and the same credit codes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from qifu.accounts.models import Department, DepartmentKind, Enterprise, Qualification, Scale
from qifu.accounts.services import ENTERPRISE_FIELDS, enterprise_upsert
from qifu.accounts.validators import build_credit_code
from qifu.demo import Output

# Serial ranges of build_credit_code: the curated rows and the synthetic volume never overlap,
# and neither overlaps the small serials the test fixtures use.
DEMO_SERIAL_BASE = 26_000_000
SYNTHETIC_SERIAL_BASE = 500_000_000

# Qualifications are judged as of this date, not today, so reruns in another year agree.
REFERENCE_DATE = date(2026, 1, 1)


@dataclass(frozen=True)
class Spec:
    name: str
    industry: str
    town: str
    scale: str
    # x: exports (外贸), f: foreign-invested, t: technology-driven, g: national 小巨人 candidate
    traits: str = ""
    founded_year: int | None = None


L, M, S, X = Scale.LARGE, Scale.MEDIUM, Scale.SMALL, Scale.MICRO

# The first two are the enterprises of the demo accounts `qiye` and `qiye2` (README).
SPECS: list[Spec] = [
    Spec("荣成市蓝湾水产食品有限公司", "C1361", "lidao", M, "x", 2006),
    Spec("山东远驰房车制造有限公司", "C3630", "chengxi", M, "xtg", 2012),
    # 海洋生物食品
    Spec("荣成市海晟水产食品有限公司", "C1361", "xunshan", L, "x"),
    Spec("荣成市鑫洋海参制品有限公司", "C1369", "ningjin", S, "x"),
    Spec("威海海珍源海洋生物科技有限公司", "C1492", "yatou", S, "t"),
    Spec("荣成市渔乡鱼糜制品有限公司", "C1362", "gangwan", M, "x"),
    Spec("荣成市东澳海带食品有限公司", "C1369", "chengshan", S),
    Spec("荣成市鲍鲜汇海洋食品有限公司", "C1369", "renhe", S),
    Spec("石岛鑫渔鱿鱼制品有限公司", "C1362", "gangwan", L, "x"),
    Spec("荣成市海之韵即食海产有限公司", "C1369", "taoyuan", S, "x"),
    Spec("荣成市聚海鱼油制品有限公司", "C1363", "dongshan", S, "t"),
    Spec("荣成市海福冷冻食品有限公司", "C1361", "chishan", M, "xf"),
    Spec("荣成市海韵调味食品有限公司", "C1469", "xiazhuang", X),
    Spec("荣成市碧波海藻食品有限公司", "C1369", "lidao", S),
    Spec("荣成市金贝水产食品有限公司", "C1361", "wanglian", X),
    # 远洋渔业与海水养殖
    Spec("石岛远帆远洋渔业有限公司", "A0421", "gangwan", L, "x"),
    Spec("石岛海丰远洋渔业有限公司", "A0421", "renhe", M, "x"),
    Spec("荣成市北辰远洋渔业有限公司", "A0421", "ningjin", M, "x"),
    Spec("荣成市蓝海牧场海洋科技有限公司", "A0411", "xunshan", M, "t"),
    Spec("荣成市桑沟湾海水养殖有限公司", "A0411", "xunshan", S),
    Spec("荣成市鸿祥海参养殖有限公司", "A0411", "ningjin", X),
    Spec("荣成市俚海水产养殖有限公司", "A0411", "lidao", X),
    # 船舶修造与海工装备
    Spec("荣成市远航船舶修造有限公司", "C3731", "gangwan", M, "x"),
    Spec("荣成市海湾船舶修造有限公司", "C3735", "ningjin", S),
    Spec("荣成瀚海船舶重工有限公司", "C3731", "wanglian", L, "x"),
    Spec("荣成市船邦船舶配套设备有限公司", "C3734", "chishan", S, "t"),
    Spec("荣成市蓝鲸游艇制造有限公司", "C3733", "gangwan", S, "x"),
    Spec("荣成市深蓝海洋工程装备有限公司", "C3737", "laoshan", M, "t"),
    # 房车与轮胎
    Spec("山东途居房车制造有限公司", "C3660", "chengxi", S, "x"),
    Spec("荣成市驿行房车配件有限公司", "C3670", "yatou", S),
    Spec("荣成市卡威汽车改装有限公司", "C3630", "laoshan", S),
    Spec("荣成市华驰轮胎有限公司", "C2911", "yatou", L, "x"),
    Spec("荣成市固力轮胎科技有限公司", "C2911", "tengjia", M, "xt"),
    # 核电装备与新能源
    Spec("荣成市核晟石墨科技有限公司", "C3091", "ningjin", S, "t"),
    Spec("荣成市核力阀门制造有限公司", "C3443", "ningjin", M, "tg"),
    Spec("荣成市海风叶片科技有限公司", "C3415", "gangwan", M, "t"),
    Spec("荣成市滨海风力发电有限公司", "D4415", "chengshan", M),
    Spec("荣成市光耀新能源科技有限公司", "D4416", "datuan", S),
    # 高新材料
    Spec("荣成市海纤复合材料有限公司", "C3062", "laoshan", S, "t"),
    Spec("荣成市蓝晶新材料科技有限公司", "C2669", "chengxi", S, "t"),
    Spec("荣成市鑫源玻璃纤维有限公司", "C3061", "yaxi", M),
    Spec("荣成市恒碳新材料有限公司", "C3091", "yinzi", X, "t", 2025),
    # 电子信息
    Spec("荣成市芯海电子科技有限公司", "C3982", "yatou", M, "xtg"),
    Spec("荣成市海感传感器有限公司", "C3983", "chengxi", S, "t"),
    Spec("荣成市宏达电子元件有限公司", "C3981", "yatou", S),
    Spec("荣成市晶光光电科技有限公司", "C3976", "laoshan", X, "t", 2024),
    # 海洋生物医药
    Spec("威海蓝源海洋生物科技有限公司", "C2761", "xunshan", M, "t"),
    Spec("荣成市润海药业有限公司", "C2720", "yatou", M, "t"),
    Spec("荣成市海肽生物工程有限公司", "C2761", "lidao", S, "t"),
    Spec("荣成市康舒医用敷料有限公司", "C2770", "chengxi", S, "xt"),
    Spec("荣成市本草源中药饮片有限公司", "C2730", "datuan", X),
    # 高端装备与智能制造
    Spec("荣成市智捷自动化设备有限公司", "C3599", "chengxi", S, "t"),
    Spec("荣成市渔机装备制造有限公司", "C3579", "shangzhuang", S),
    Spec("荣成市精工锻造有限公司", "C3393", "hushan", S),
    # 文旅康养
    Spec("荣成市鸥鸣岛文化旅游有限公司", "N7869", "chengshan", M),
    Spec("荣成市海草人家民宿管理有限公司", "H6130", "chengshan", X),
    Spec("荣成市好游国际旅行社有限公司", "L7271", "yatou", X),
    Spec("荣成市海悦度假酒店有限公司", "H6110", "buliu", S),
    # 现代物流
    Spec("荣成市冰川冷链物流有限公司", "G5930", "gangwan", M),
    Spec("荣成市顺港国际货运代理有限公司", "G5821", "gangwan", S, "x"),
    Spec("荣成市速鲜冷藏运输有限公司", "G5432", "yatou", S),
    Spec("荣成市北港港务有限公司", "G5532", "gangxi", M),
]

QIYE_CREDIT_CODE = build_credit_code(serial=DEMO_SERIAL_BASE + 1)
QIYE2_CREDIT_CODE = build_credit_code(serial=DEMO_SERIAL_BASE + 2)

# (employees, revenue in 万元, registered capital in 万元) per scale, consistent with
# 工信部联企业〔2011〕300号 as the notes summarise it (§5.1).
BANDS: dict[str, tuple[tuple[int, int], tuple[int, int], tuple[int, int]]] = {
    Scale.LARGE: ((1000, 3200), (40_000, 260_000), (10_000, 100_000)),
    Scale.MEDIUM: ((300, 950), (2_000, 39_000), (1_000, 8_000)),
    Scale.SMALL: ((20, 290), (300, 1_990), (100, 1_000)),
    Scale.MICRO: ((3, 19), (40, 290), (10, 100)),
}

# The sea lies east of these towns and south of those: keep jitter small on the sea side (§1.2).
COAST_EAST = {"xunshan", "lidao", "chengshan", "ningjin"}
COAST_SOUTH = {"gangwan", "ningjin", "renhe", "dongshan", "taoyuan"}
COAST_NORTH = {"gangxi", "chengshan"}
JITTER = 0.015
SEA_SIDE_JITTER = 0.003

SURNAMES = "王李张刘于孙曲鞠毕林梁宋汤郭徐马高邹谷姜"
GIVEN = [
    "建国", "海波", "志强", "秀英", "丽娟", "明", "磊", "洪涛", "春雷", "晓燕",
    "文军", "玉梅", "立新", "海燕", "国庆", "振华", "红霞", "永胜", "静", "宏伟",
]  # fmt: skip
ROADS = ["海滨路", "工业园路", "渔港路", "成山大道", "府新路", "兴业路", "青山路", "海港路"]

_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"


def id_number(*, birth: date, sequence: int, region: str = "371082") -> str:
    """A well-formed resident ID number (GB 11643 check digit) for invented people."""
    first17 = f"{region}{birth:%Y%m%d}{sequence % 1000:03d}"
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return first17 + _ID_CHECK[total % 11]


def qualifications_for(
    *,
    scale: str,
    employees: int,
    revenue: Decimal,
    rd_ratio: Decimal,
    founded_on: date,
    traits: str,
) -> list[str]:
    """Tags consistent with the thresholds in the notes (§5.1): no tag a firm could not hold."""
    years = (
        REFERENCE_DATE.year
        - founded_on.year
        - ((REFERENCE_DATE.month, REFERENCE_DATE.day) < (founded_on.month, founded_on.day))
    )
    tags: list[str] = []
    tech = "t" in traits
    # 高新技术企业: R&D share of sales ≥ 5 % / 4 % / 3 % by revenue band, registered ≥ 1 year.
    threshold = Decimal("0.05") if revenue <= 5000 else Decimal("0.04")
    if revenue > 20000:
        threshold = Decimal("0.03")
    if tech and years >= 1 and rd_ratio >= threshold:
        tags.append(Qualification.HIGH_TECH)
    if tech and employees <= 500 and revenue <= 20000:
        tags.append(Qualification.TECH_SME)
    specialized = (
        tech
        and scale in (Scale.SMALL, Scale.MEDIUM)
        and years >= 2
        and revenue >= 1000
        and rd_ratio >= Decimal("0.03")
        and revenue * rd_ratio >= 100
    )
    if specialized:
        tags.append(Qualification.SPECIALIZED_NEW)
        if "g" in traits and years >= 3:
            tags.append(Qualification.LITTLE_GIANT)
    if revenue >= 2000:
        tags.append(Qualification.ABOVE_SCALE)
    if "x" in traits:
        tags.append(Qualification.FOREIGN_TRADE)
    if "f" in traits:
        tags.append(Qualification.FOREIGN_INVESTED)
    return [str(t) for t in tags]


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _jitter(rng: random.Random, low_side: bool, high_side: bool) -> Decimal:
    low = -SEA_SIDE_JITTER if low_side else -JITTER
    high = SEA_SIDE_JITTER if high_side else JITTER
    return Decimal(str(round(rng.uniform(low, high), 6)))


def figures(
    *,
    serial: int,
    scale: str,
    town: Department,
    traits: str = "",
    founded_year: int | None = None,
) -> dict[str, Any]:
    """Every field of an enterprise but its name and industry, drawn from its serial."""
    rng = random.Random(serial)
    (e_low, e_high), (r_low, r_high), (c_low, c_high) = BANDS[scale]
    employees = rng.randint(e_low, e_high)
    revenue = Decimal(rng.randint(r_low * 10, r_high * 10)) / 10
    capital = Decimal(rng.randint(c_low, c_high))
    if "t" in traits:
        rd_ratio = Decimal(rng.randint(300, 900)) / 10000
    else:
        rd_ratio = Decimal(rng.randint(0, 250)) / 10000
    year = founded_year or rng.randint(1988, 2022)
    founded_on = date(year, rng.randint(1, 6 if founded_year else 12), rng.randint(1, 28))
    legal = _person(rng)
    birth = date(rng.randint(1962, 1990), rng.randint(1, 12), rng.randint(1, 28))
    lat = Decimal(town.latitude or 0) + _jitter(
        rng, town.code in COAST_SOUTH, town.code in COAST_NORTH
    )
    lon = Decimal(town.longitude or 0) + _jitter(rng, False, town.code in COAST_EAST)
    return {
        "scale": scale,
        "region": town,
        "address": f"山东省荣成市{town.name}{rng.choice(ROADS)}{rng.randint(1, 399)}号",
        "latitude": lat.quantize(Decimal("0.000001")),
        "longitude": lon.quantize(Decimal("0.000001")),
        "registered_capital": capital,
        "employees": employees,
        "revenue": revenue,
        "founded_on": founded_on,
        "rd_ratio": rd_ratio,
        "qualifications": qualifications_for(
            scale=scale,
            employees=employees,
            revenue=revenue,
            rd_ratio=rd_ratio,
            founded_on=founded_on,
            traits=traits,
        ),
        "legal_representative": legal,
        "legal_representative_id_number": id_number(birth=birth, sequence=serial),
        "contact_name": _person(rng),
        "contact_phone": f"138{serial % 10**8:08d}",
    }


def _towns() -> dict[str, Department]:
    return {d.code: d for d in Department.objects.filter(kind=DepartmentKind.TOWN)}


def _unchanged(enterprise: Enterprise, fields: dict[str, Any]) -> bool:
    for key, value in fields.items():
        current = getattr(enterprise, key)
        if isinstance(value, Decimal) and current is not None:
            if Decimal(current) != value:
                return False
        elif current != value:
            return False
    return True


def seed(*, stdout: Output) -> None:
    """Create or update the curated enterprises through enterprise_upsert; unchanged rows stay."""
    towns = _towns()
    existing = {
        e.credit_code: e
        for e in Enterprise.objects.filter(
            credit_code__in=[
                build_credit_code(serial=DEMO_SERIAL_BASE + i + 1) for i in range(len(SPECS))
            ]
        )
    }
    created = updated = 0
    for index, spec in enumerate(SPECS):
        serial = DEMO_SERIAL_BASE + index + 1
        code = build_credit_code(serial=serial)
        fields = {
            "name": spec.name,
            "industry": spec.industry,
            **figures(
                serial=serial,
                scale=spec.scale,
                town=towns[spec.town],
                traits=spec.traits,
                founded_year=spec.founded_year,
            ),
        }
        current = existing.get(code)
        if current is not None and _unchanged(current, fields):
            continue
        enterprise_upsert(credit_code=code, **fields)
        created += current is None
        updated += current is not None
    stdout.write(f"企业：{len(SPECS)} 家（新增 {created}，更新 {updated}）\n")


# Synthetic volume (--scale): (industry, name suffix, traits), roughly the city's mix.
SYNTHETIC_INDUSTRIES = [
    ("C1361", "水产食品有限公司", "x"),
    ("C1369", "海洋食品有限公司", ""),
    ("C1362", "鱼糜制品有限公司", ""),
    ("A0411", "水产养殖有限公司", ""),
    ("A0421", "远洋渔业有限公司", "x"),
    ("C3731", "船舶修造有限公司", ""),
    ("C3734", "船舶配件有限公司", "t"),
    ("C3630", "房车制造有限公司", "x"),
    ("C2911", "轮胎有限公司", ""),
    ("C3443", "阀门制造有限公司", "t"),
    ("C3062", "复合材料有限公司", "t"),
    ("C3982", "电子科技有限公司", "t"),
    ("C2761", "生物科技有限公司", "t"),
    ("C3599", "机械设备有限公司", ""),
    ("G5930", "冷链物流有限公司", ""),
    ("G5432", "运输有限公司", ""),
    ("H6130", "民宿管理有限公司", ""),
    ("F5124", "水产品贸易有限公司", "x"),
]
SYNTHETIC_PREFIXES = ["荣成市", "荣成市", "荣成", "威海", "山东"]
SYNTHETIC_CHARS = "海润鑫泰宏达恒昌盛源祥瑞丰华兴远航蓝鲸洋晟峰通安康明德信成荣利隆福禄嘉禾金银"
SYNTHETIC_SCALES = [X] * 50 + [S] * 36 + [M] * 12 + [L] * 2
SYNTHETIC_BATCH = 500


def synthetic_enterprise(serial: int, towns: list[Department]) -> Enterprise:
    """One synthetic enterprise, a pure function of its serial."""
    rng = random.Random(-serial)
    industry, suffix, traits = rng.choice(SYNTHETIC_INDUSTRIES)
    trade_name = rng.choice(SYNTHETIC_CHARS) + rng.choice(SYNTHETIC_CHARS)
    fields = figures(
        serial=serial, scale=rng.choice(SYNTHETIC_SCALES), town=rng.choice(towns), traits=traits
    )
    return Enterprise(
        credit_code=build_credit_code(serial=serial),
        name=f"{rng.choice(SYNTHETIC_PREFIXES)}{trade_name}{suffix}",
        industry=industry,
        **{k: v for k, v in fields.items() if k in ENTERPRISE_FIELDS},
    )


def seed_synthetic(*, count: int, stdout: Output) -> int:
    """Add the first `count` synthetic enterprises that do not exist yet; returns how many."""
    towns = sorted(_towns().values(), key=lambda d: d.code)
    if not towns:
        raise RuntimeError("no towns: seed organisations first")
    added = 0
    with transaction.atomic():
        for start in range(0, count, SYNTHETIC_BATCH):
            serials = range(
                SYNTHETIC_SERIAL_BASE + start,
                SYNTHETIC_SERIAL_BASE + min(start + SYNTHETIC_BATCH, count),
            )
            batch = [synthetic_enterprise(s, towns) for s in serials]
            existing = set(
                Enterprise.objects.filter(
                    credit_code__in=[e.credit_code for e in batch]
                ).values_list("credit_code", flat=True)
            )
            fresh = [e for e in batch if e.credit_code not in existing]
            # Bulk insert without per-row audit: this is benchmark volume, not a user's action.
            Enterprise.objects.bulk_create(fresh)
            added += len(fresh)
    stdout.write(f"合成企业：{count} 家（新增 {added}）\n")
    return added
