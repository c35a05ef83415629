"""Demo policy library: 20 Rongcheng policies after facts §5.3, loaded through the import service.

Criteria use the keys of docs/api.md. The demo enterprise of `qiye` (蓝湾水产, C1361, 俚岛镇,
medium, 规上 and 外贸, R&D 0.5 %) matches several and misses the R&D policies by one criterion;
`qiye2` (远驰房车, C3630, 高企/专精特新/小巨人, exporter) matches the RV export policy.
"""

from __future__ import annotations

from typing import Any

from qifu.accounts.models import User
from qifu.demo import Output
from qifu.policies.imports import RowRejected, clean_policy_row, policy_issuers_by_name
from qifu.policies.services import policy_import

GXJ = "荣成市工业和信息化局"
KJJ = "荣成市科学技术局"
RSJ = "荣成市人力资源和社会保障局"
CZJ = "荣成市财政局"
SWJ = "荣成市商务局"
HYJ = "荣成市海洋发展局"
SCJ = "荣成市市场监督管理局"
JRZX = "荣成市金融服务中心"
FGJ = "荣成市发展和改革局"
SHIDAO = ["宁津街道", "港湾街道", "桃园街道", "王连街道", "东山街道", "斥山街道"]


def _p(
    code: str,
    title: str,
    issuer: str,
    published_on: str,
    *,
    benefit: str,
    summary: str,
    criteria: dict[str, Any] | None = None,
    industries: list[str] | None = None,
    tags: list[str] | None = None,
    doc_number: str = "",
    expires_on: str | None = "2027-12-31",
    auto: bool = False,
    how: str = "通过平台“项目申报”栏目在线提交申请材料，主管部门审核后兑现。",
) -> dict[str, Any]:
    return {
        "code": code,
        "title": title,
        "issuer": issuer,
        "doc_number": doc_number,
        "published_on": published_on,
        "expires_on": expires_on,
        "summary": summary,
        "body": f"{summary}\n\n一、适用对象：符合本政策申报条件、在荣成市依法登记注册的企业。\n"
        f"二、扶持内容：{benefit}。\n三、本政策由{issuer}负责解释。",
        "industries": industries or [],
        "criteria": criteria or {},
        "tags": tags or [],
        "benefit": benefit,
        "how_to_apply": "无需申请，符合条件的企业由主管部门核实后直接兑现。" if auto else how,
        "is_auto_grant": auto,
    }


POLICIES: list[dict[str, Any]] = [
    _p("RC-KJJ-2026-001", "高新技术企业减按15%税率征收企业所得税", KJJ, "2026-01-08",
       benefit="企业所得税税率由25%降为15%", auto=True, expires_on=None,
       summary="经认定的高新技术企业，减按15%的税率征收企业所得税。",
       criteria={"qualifications_all": ["high_tech"]}, tags=["税收优惠", "科技创新"]),
    _p("RC-KJJ-2026-002", "企业研发费用税前加计扣除（100%）", KJJ, "2026-01-10",
       benefit="研发费用按实际发生额的100%在税前加计扣除", expires_on=None,
       summary="企业开展研发活动实际发生的研发费用，按100%在税前加计扣除。",
       criteria={"min_rd_ratio": 0.01}, tags=["税收优惠", "研发投入"]),
    _p("RC-CZJ-2026-001", "小型微利企业所得税优惠", CZJ, "2026-01-12",
       benefit="减按25%计入应纳税所得额，按20%的税率缴纳企业所得税", auto=True,
       summary="对小型微利企业减按25%计算应纳税所得额，按20%的税率缴纳企业所得税，执行至2027年底。",
       criteria={"scales": ["small", "micro"], "max_employees": 300},
       tags=["税收优惠", "小微企业"]),
    _p("RC-RSJ-2026-001", "失业保险稳岗返还", RSJ, "2026-02-01",
       benefit="中小微企业返还上年度实际缴纳失业保险费的60%，大型企业30%", auto=True,
       summary="参保企业上年度未裁员或裁员率不高于全国城镇调查失业率控制目标的，返还部分失业保险费。",
       tags=["稳岗就业", "社保"]),
    _p("RC-RSJ-2026-002", "一次性扩岗补助", RSJ, "2026-02-10",
       benefit="每招用1人补助1500元",
       summary="招用毕业年度及离校2年内未就业高校毕业生、登记失业青年并缴纳3个月以上失业保险的企业，给予一次性扩岗补助。",
       criteria={"min_employees": 1}, tags=["稳岗就业"]),
    _p("RC-RSJ-2026-003", "创业担保贷款及贴息", RSJ, "2026-02-15",
       benefit="小微企业最高可申请400万元创业担保贷款，并享受财政贴息",
       summary="支持初创小微企业吸纳就业，提供创业担保贷款并按规定给予贴息。",
       criteria={"scales": ["small", "micro"], "max_years_since_founding": 5},
       tags=["融资支持", "小微企业", "创业"]),
    _p("RC-GXJ-2026-001", "荣成市“专精特新”企业认定奖励办法", GXJ, "2026-03-01",
       doc_number="荣工信发〔2026〕5号",
       benefit="新认定省级专精特新企业奖励20万元，国家级小巨人奖励50万元",
       summary="对新认定的省级专精特新中小企业、国家级专精特新“小巨人”企业给予一次性奖励。",
       criteria={"qualifications_any": ["specialized_new", "little_giant"]},
       tags=["专精特新", "奖励"]),
    _p("RC-GXJ-2026-002", "荣成市工业企业“小升规”培育奖励", GXJ, "2026-03-05",
       doc_number="荣工信发〔2026〕6号", benefit="首次入规奖励10万元，次年仍在库再奖励5万元",
       summary="对当年首次纳入规模以上工业统计的企业给予培育奖励。",
       industries=["C"], criteria={"qualifications_all": ["above_scale"]}, tags=["小升规", "奖励"]),
    _p("RC-GXJ-2026-003", "荣成市工业技术改造设备投资奖补实施细则", GXJ, "2026-03-10",
       doc_number="荣工信发〔2026〕8号", benefit="按设备投资额的8%给予奖补，最高300万元",
       summary="规模以上工业企业年度技术改造设备投资500万元以上的，按设备投资额给予奖补。",
       industries=["C"], criteria={"qualifications_all": ["above_scale"], "min_revenue": 2000},
       tags=["技术改造", "奖补"]),
    _p("RC-KJJ-2026-003", "荣成市高新技术企业首次认定奖励", KJJ, "2026-03-15",
       benefit="首次认定的高新技术企业奖励10万元",
       summary="对首次通过高新技术企业认定的企业给予一次性奖励。",
       criteria={"qualifications_all": ["high_tech"], "min_years_since_founding": 1},
       tags=["科技创新", "奖励"]),
    _p("RC-KJJ-2026-004", "荣成市企业研发投入后补助", KJJ, "2026-03-20",
       benefit="按研发投入增量的5%给予补助，最高100万元",
       summary="企业年度研发投入300万元以上且占营业收入比重不低于3%的，按增量给予后补助。",
       criteria={"min_rd_ratio": 0.03, "min_revenue": 1000}, tags=["研发投入", "奖补"]),
    _p("RC-SCJ-2026-001", "荣成市知识产权质押融资贴息", SCJ, "2026-03-25",
       benefit="按实际支付利息的50%给予贴息，每年最高30万元",
       summary="以专利权、商标权向本地银行质押贷款的中小企业，给予贷款贴息。",
       criteria={"scales": ["medium", "small", "micro"]}, tags=["融资支持", "知识产权"]),
    _p("RC-SWJ-2026-001", "荣成市外贸企业出口信用保险保费补贴", SWJ, "2026-04-01",
       benefit="按实缴保费的50%给予补贴，最高50万元",
       summary="年出口额300万美元以上、投保短期出口信用保险的外贸企业，给予保费补贴。",
       criteria={"qualifications_all": ["foreign_trade"], "min_revenue": 2000},
       tags=["外贸", "出口"]),
    _p("RC-HYJ-2026-001", "荣成市远洋渔业自捕水产品回运奖励", HYJ, "2026-04-05",
       benefit="自捕水产品回运并在本地加工的，每吨奖励100元",
       summary="对具备远洋渔业企业资格、自捕水产品运回荣成并在本地加工的企业给予奖励。",
       industries=["A0421"], tags=["远洋渔业", "海洋经济"]),
    _p("RC-HYJ-2026-002", "荣成市海洋牧场及休闲渔业示范奖励", HYJ, "2026-04-10",
       benefit="新获评国家级示范奖励50万元、省级20万元",
       summary="对新获评国家级、省级海洋牧场示范区或休闲渔业示范基地的企业给予奖励。",
       industries=["A0411", "A0412"], tags=["海洋牧场", "海洋经济"]),
    _p("RC-RSJ-2026-004", "荣成市“荣归故里”人才计划引进人才安家补贴", RSJ, "2026-04-15",
       benefit="按学历职称给予10万至30万元安家补贴",
       summary="企业引进的博士、硕士或副高级以上职称人才，在荣成企业工作满3年的，给予安家补贴。",
       criteria={"min_employees": 10}, tags=["人才", "补贴"]),
    _p("RC-JRZX-2026-001", "荣成市中小微企业应急转贷（过桥）资金管理办法", JRZX, "2026-04-20",
       benefit="提供最高1000万元、最长15天的低费率过桥资金",
       summary="贷款到期、银行已同意续贷的中小微企业，可申请应急转贷资金。",
       criteria={"scales": ["medium", "small", "micro"]}, tags=["融资支持"]),
    _p("RC-SWJ-2026-002", "荣成市房车产业出口与品牌建设扶持", SWJ, "2026-05-01",
       benefit="按出口增量的2%给予扶持",
       summary="列入工信部车辆产品公告的房车生产企业，年出口额1000万元以上的，按出口增量给予扶持。",
       industries=["C3630", "C3660"], criteria={"qualifications_all": ["foreign_trade"]},
       tags=["房车", "外贸", "出口"]),
    _p("RC-FGJ-2026-001", "荣成市核电配套产业园入园项目扶持", FGJ, "2026-05-10",
       benefit="厂房租金三年全免，设备投资给予补助",
       summary="在核电配套产业园新建核电、风电装备配套项目，固定资产投资5000万元以上的，给予扶持。",
       industries=["C34", "C38", "D44"],
       criteria={"regions": SHIDAO, "min_registered_capital": 1000},
       tags=["核电配套", "招商引资"]),
    _p("RC-GXJ-2026-004", "山东省工业企业“亩产效益”评价差别化政策", GXJ, "2026-05-15",
       benefit="A类企业享受城镇土地使用税减免、用能指标优先保障",
       summary="对占地3亩以上的规模以上工业企业开展亩产效益综合评价，分A、B、C、D四类实施差别化政策。",
       industries=["B", "C", "D"], criteria={"qualifications_all": ["above_scale"]},
       tags=["亩产效益", "要素保障"]),
    _p("RC-GXJ-2026-005", "俚岛镇海洋食品精深加工扶持", GXJ, "2026-05-20",
       benefit="精深加工设备投资补助10%，最高100万元",
       summary="支持俚岛镇海洋食品企业开展海参、海带精深加工，提升产品附加值。",
       industries=["C13"], criteria={"regions": ["俚岛镇"], "min_years_since_founding": 3},
       tags=["海洋食品", "精深加工"]),
    _p("RC-GXJ-2025-009", "2025年度荣成市中小企业数字化转型补助", GXJ, "2025-03-01",
       benefit="按软件和服务投入的30%给予补助，最高20万元", expires_on="2025-12-31",
       summary="2025年度实施数字化改造的中小企业给予补助（已到期，仅供查阅）。",
       criteria={"scales": ["medium", "small", "micro"]}, tags=["数字化"]),
]  # fmt: skip


def seed(*, stdout: Output) -> None:
    """Import the demo policies through the import service (idempotent by code)."""
    actor = User.objects.filter(username="admin", is_superuser=True).first()
    if actor is None:
        actor = User.objects.filter(is_superuser=True).order_by("pk").first()
    if actor is None:
        stdout.write("政策：没有系统管理员账号，跳过\n")
        return
    issuers = policy_issuers_by_name()
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for row in POLICIES:
        try:
            data = clean_policy_row(row, issuers=issuers)
        except RowRejected as exc:
            raise ValueError(f"demo policy {row['code']}: {exc}") from exc
        counts[policy_import(data=data, actor=actor)] += 1
    stdout.write(
        f"政策：{len(POLICIES)} 条（新增 {counts['created']}，更新 {counts['updated']}）\n"
    )
