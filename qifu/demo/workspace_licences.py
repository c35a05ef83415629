"""Demo e-licences (facts §7.2) and 2025 annual reports (§7.1) for the exclusive space.

qiye's company (荣成市蓝湾水产食品有限公司, a seafood processor in 俚岛镇) holds its business
licence and the permits a processor needs, some expiring within 30 and 90 days of the day the
demo is seeded and one already expired; a dozen other demo enterprises hold the licences of their
industries. Dates are relative to the seeding day, so the demo always has something to remind.
Licences go through the import service (idempotent by number); reports are keyed by
(enterprise, year).
"""

from __future__ import annotations

import datetime as dt
import zlib

from django.utils import timezone

from qifu.accounts.models import Department, Enterprise
from qifu.accounts.validators import build_credit_code
from qifu.demo import Output
from qifu.demo.enterprises import DEMO_SERIAL_BASE, QIYE2_CREDIT_CODE, QIYE_CREDIT_CODE, SPECS
from qifu.workspace.models import AnnualReport
from qifu.workspace.services.licences import departments_by_name, licence_import

SHENPI = "荣成市行政审批服务局"
SHUIWU = "荣成市水务局"
JIAOTONG = "荣成市交通运输局"
HUANJING = "威海市生态环境局荣成分局"
HAIGUAN = "中华人民共和国威海海关"
SHENG_YAOJIAN = "山东省药品监督管理局"
YINGJI = "威海市应急管理局"
HAIYANG = "荣成市海洋发展局"

# (suffix, name, issuer, years before today it was issued, days from today to expiry or None
#  for long-term, scope).
QIYE_LICENCES: list[tuple[str, str, str, int, int | None, str]] = [
    ("YYZZ", "营业执照", SHENPI, 20, None, "水产品加工、销售；食品生产；货物进出口"),
    ("PW", "排污许可证", HUANJING, 5, 20, "重点管理：水产品加工废水，排放口 DW001"),
    ("QS", "取水许可证", SHUIWU, 5, 75, "地下水，年取水量 3.6 万立方米，用途：工业生产"),
    ("CK", "出口食品生产企业备案证明", HAIGUAN, 5, 1100, "冷冻水产品、即食海参"),
    ("JY", "食品经营许可证", SHENPI, 5, -12, "预包装食品（含冷藏冷冻食品）销售"),
    ("TZSB", "特种设备使用登记证（冷库氨制冷压力容器）", "威海市市场监督管理局", 3, None, ""),
]

# Licences by industry prefix for the other demo enterprises (the first that matches wins).
INDUSTRY_LICENCES: list[tuple[str, str, str, int, str]] = [
    ("C13", "食品生产许可证", SHENPI, 5, "水产制品（干制水产品、盐渍水产品、鱼糜制品）"),
    ("C14", "食品生产许可证", SHENPI, 5, "调味品、其他食品"),
    ("C27", "药品生产许可证", SHENG_YAOJIAN, 5, "原料药、片剂、胶囊剂"),
    ("A041", "水域滩涂养殖证", "荣成市人民政府", 10, "海水养殖（筏式），桑沟湾海域"),
    ("A04", "渔业捕捞许可证", HAIYANG, 5, "远洋捕捞（公海），作业类型：拖网"),
    ("G54", "道路运输经营许可证", JIAOTONG, 4, "道路普通货物运输、冷藏保鲜设备运输"),
    ("G5", "道路运输经营许可证", JIAOTONG, 4, "道路普通货物运输"),
    ("C29", "安全生产许可证", YINGJI, 3, "轮胎制造"),
    ("C3", "排污许可证", HUANJING, 5, "简化管理：工业废水、废气"),
    ("H61", "食品经营许可证", SHENPI, 5, "热食类食品制售"),
    ("D44", "电力业务许可证", "国家能源局山东监管办公室", 20, "发电类"),
]

OTHER_ENTERPRISES = 14
# Days from the seeding day to expiry, so that the other enterprises show every status.
EXPIRY_SPREAD = [-20, 12, 40, 85, 150, 260, 420, 610, 800, 1000, 1200, 1400, 330, 520]
# Every seventh demo enterprise has not filed its 2025 report (qiye2's company among them).
UNREPORTED_EVERY = 7


# Number formats as printed on the real documents; the digits are derived from the credit code.
NUMBER_FORMATS = {
    "YYZZ": "{code}",  # the business licence number is the unified social credit code
    "PW": "{code}001V",
    "QS": "D371082G{year}-{n4}",
    "CK": "3700/{n6}",
    "JY": "JY1371082{n6}{n1}",
    "TZSB": "容3LS鲁K{n5}({yy})",
    "食品生产许可证": "SC1{n2}371082{n6}",
    "药品生产许可证": "鲁{year}{n4}",
    "水域滩涂养殖证": "鲁荣成府(海)养证[{year}]第{n5}号",
    "渔业捕捞许可证": "(鲁荣)船捕({year}){n4}号",
    "道路运输经营许可证": "鲁交运管许可威字371082{n6}号",
    "安全生产许可证": "(鲁)WH安许证字[{year}]{n4}",
    "排污许可证": "{code}001Q",
    "食品经营许可证": "JY2371082{n6}{n1}",
    "电力业务许可证": "1010{year}{n4}",
}


def _number(credit_code: str, kind: str, issued_on: dt.date) -> str:
    digits = f"{zlib.crc32(f'{credit_code}{kind}'.encode()):010d}"
    return NUMBER_FORMATS[kind].format(
        code=credit_code,
        year=issued_on.year,
        yy=f"{issued_on.year % 100:02d}",
        n1=digits[-1],
        n2=digits[-2:],
        n4=digits[-4:],
        n5=digits[-5:],
        n6=digits[-6:],
    )


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _import(
    *,
    enterprise: Enterprise,
    departments: dict[str, Department],
    number: str,
    name: str,
    issuer: str,
    issued_on: dt.date,
    valid_until: dt.date | None,
    scope: str,
) -> str:
    return licence_import(
        data={
            "number": number,
            "name": name,
            "enterprise": enterprise,
            "issuer": issuer,
            "department": departments.get(issuer),
            "issued_on": issued_on,
            "valid_until": valid_until,
            "scope": scope,
        }
    )


def seed(*, stdout: Output) -> None:
    """Create or update the demo licences by number and the 2025 annual reports once."""
    today = timezone.localdate()
    departments = departments_by_name()
    codes = [build_credit_code(serial=DEMO_SERIAL_BASE + i + 1) for i in range(len(SPECS))]
    enterprises = {e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=codes)}
    outcomes: list[str] = []
    qiye = enterprises.get(QIYE_CREDIT_CODE)
    if qiye is not None:
        for suffix, name, issuer, years, days, scope in QIYE_LICENCES:
            until = None if days is None else today + dt.timedelta(days=days)
            issued = dt.date(2006, 4, 12) if suffix == "YYZZ" else _years_before(today, years)
            if until is not None and suffix != "YYZZ":
                # Issued so that the validity period is a whole number of years.
                issued = _years_before(until, years) + dt.timedelta(days=1)
            outcomes.append(
                _import(
                    enterprise=qiye,
                    departments=departments,
                    number=_number(qiye.credit_code, suffix, issued),
                    name=name,
                    issuer=issuer,
                    issued_on=issued,
                    valid_until=until,
                    scope=scope,
                )
            )
    # Every third demo enterprise after qiye's: a spread of industries, not only food.
    others = [
        enterprises[code] for code in codes if code in enterprises and code != QIYE_CREDIT_CODE
    ][::3][:OTHER_ENTERPRISES]
    for index, enterprise in enumerate(others):
        outcomes.append(
            _import(
                enterprise=enterprise,
                departments=departments,
                number=_number(enterprise.credit_code, "YYZZ", today),
                name="营业执照",
                issuer=SHENPI,
                issued_on=enterprise.founded_on or dt.date(2015, 6, 1),
                valid_until=None,
                scope="",
            )
        )
        for prefix, name, issuer, years, scope in INDUSTRY_LICENCES:
            if not enterprise.industry.startswith(prefix):
                continue
            days = min(EXPIRY_SPREAD[index % len(EXPIRY_SPREAD)], years * 365 - 60)
            until = today + dt.timedelta(days=days)
            issued = _years_before(until, years) + dt.timedelta(days=1)
            outcomes.append(
                _import(
                    enterprise=enterprise,
                    departments=departments,
                    number=_number(enterprise.credit_code, name, issued),
                    name=name,
                    issuer=issuer,
                    issued_on=issued,
                    valid_until=until,
                    scope=scope,
                )
            )
            break
    reports = _seed_annual_reports(codes, enterprises, year=2025)
    stdout.write(
        f"电子证照：新增 {outcomes.count('created')} 张，更新 {outcomes.count('updated')} 张；"
        f"2025年度年报：新增 {reports} 条。"
    )


def _seed_annual_reports(codes: list[str], enterprises: dict[str, Enterprise], *, year: int) -> int:
    """Most demo enterprises filed their report between January and June; a few did not."""
    added = 0
    for index, code in enumerate(codes):
        enterprise = enterprises.get(code)
        if enterprise is None or code == QIYE2_CREDIT_CODE or index % UNREPORTED_EVERY == 6:
            continue
        if enterprise.founded_on is not None and enterprise.founded_on.year > year:
            continue
        spread = zlib.crc32(code.encode()) % 170  # 2 January … 20 June
        reported_on = dt.date(year + 1, 1, 2) + dt.timedelta(days=spread)
        _, created = AnnualReport.objects.get_or_create(
            enterprise=enterprise, year=year, defaults={"reported_on": reported_on}
        )
        added += created
    return added
