"""融资服务 demo: products of Weihai-area banks (published through review), government funds
with the city's bridge fund (应急转贷, facts: policy 17), financing news, and the demo
enterprises' needs at every step: granted and rated, taken up, waiting, a contract loan."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile

from qifu.accounts.models import User
from qifu.demo import Output
from qifu.financing.models import (
    FinancialProduct,
    FinancingNews,
    FinancingRequest,
    FundKind,
    GovernmentFund,
    ProductKind,
    RequestKind,
)
from qifu.financing.services import (
    news_create,
    order_grant,
    order_rate,
    order_take,
    product_create,
    request_submit,
)
from qifu.providers.models import Provider
from qifu.publishing.services import (
    publication_approve,
    publication_publish,
    publication_submit,
)

K = ProductKind
SMALL = ["medium", "small", "micro"]

# (author, name, kind, amount min–max 万元, term min–max months, rate min–max %, scales,
#  industries, min_years, conditions, description)
PRODUCTS: list[tuple[Any, ...]] = [
    (
        "yinhang",
        "政采贷",
        K.CONTRACT,
        (10, 1000),
        (1, 12),
        ("3.45", "4.35"),
        SMALL,
        [],
        0,
        "中标政府采购项目的供应商，凭采购合同或中标通知书申请；无需抵押，采购资金回款还款。",
        "依托政府采购合同的信用贷款，线上申请、快速审批，额度最高为合同金额的80%。",
    ),
    (
        "yinhang",
        "科创e贷",
        K.CREDIT,
        (10, 500),
        (6, 36),
        ("3.30", "4.50"),
        SMALL,
        [],
        1,
        "科技型中小企业、高新技术企业或专精特新企业；企业及实际控制人征信良好。",
        "面向科技型企业的纯信用贷款，随借随还。",
    ),
    (
        "yinhang",
        "知识产权质押贷",
        K.IP_PLEDGE,
        (50, 1000),
        (12, 36),
        ("3.50", "4.80"),
        [],
        [],
        1,
        "拥有有效发明专利、实用新型专利或注册商标；可享受荣成市知识产权质押融资贴息。",
        "以专利权、商标权质押，评估值最高可贷50%。",
    ),
    (
        "yinhang2",
        "纳税e贷",
        K.CREDIT,
        (5, 300),
        (1, 12),
        ("3.20", "4.20"),
        SMALL,
        [],
        2,
        "纳税信用等级A级或B级，正常经营满2年，近两年纳税总额不低于5万元。",
        "依据企业纳税数据核定额度的线上信用贷款。",
    ),
    (
        "yinhang2",
        "渔船抵押贷",
        K.MORTGAGE,
        (50, 2000),
        (12, 60),
        ("3.60", "5.00"),
        [],
        ["A04", "C13"],
        2,
        "渔业捕捞、水产养殖或水产品加工企业，以自有渔船或海域使用权抵押。",
        "支持远洋渔业和海洋牧场建设的抵押贷款。",
    ),
    (
        "nongshang",
        "鲁担惠农贷",
        K.GUARANTEE,
        (10, 1000),
        (12, 36),
        ("3.60", "4.50"),
        SMALL,
        ["A", "C13"],
        1,
        "从事农林牧渔及农产品加工的企业，由山东省农业发展信贷担保公司提供担保。",
        "政府性担保增信，担保费率不超过1%。",
    ),
    (
        "nongshang",
        "供应链e融",
        K.SUPPLY_CHAIN,
        (20, 3000),
        (3, 12),
        ("3.80", "5.50"),
        [],
        [],
        1,
        "核心企业的上游供应商，凭应收账款或订单融资。",
        "基于核心企业确权应收账款的供应链融资，最快当天放款。",
    ),
    (
        "nongshang",
        "厂房抵押贷",
        K.MORTGAGE,
        (100, 5000),
        (12, 120),
        ("3.90", "5.20"),
        [],
        [],
        2,
        "以自有工业厂房、土地使用权抵押，经营正常。",
        "用于技术改造、设备购置和流动资金周转。",
    ),
]

FUNDS = [
    {
        "name": "荣成市中小微企业应急转贷资金",
        "kind": FundKind.BRIDGE,
        "manager": "荣成市财政局",
        "operator": "荣成市融资担保有限公司",
        "scale": "1亿元",
        "max_amount": Decimal("1000"),
        "max_days": 15,
        "fee": "按日万分之一收取资金使用费",
        "conditions": "贷款即将到期、合作银行已同意续贷的中小微企业，征信良好，无恶意逃废债。",
        "description": "为贷款到期续贷的中小微企业提供短期过桥资金，避免因续贷间隙资金链断裂。",
        "contact": "0631-7530360",
        "sort_order": 10,
    },
    {
        "name": "荣成市中小企业贷款风险补偿资金",
        "kind": FundKind.RISK,
        "manager": "荣成市财政局",
        "scale": "5000万元",
        "conditions": "合作银行向本市中小企业发放的首贷、信用贷款。",
        "description": "对合作银行发生的贷款损失按比例补偿，鼓励银行扩大中小企业信贷投放。",
        "sort_order": 20,
    },
    {
        "name": "荣成市知识产权质押融资贴息资金",
        "kind": FundKind.SUBSIDY,
        "manager": "荣成市市场监督管理局",
        "conditions": "以专利、商标质押从本地银行取得贷款的企业。",
        "description": "按实际支付利息的50%给予贴息，每家企业每年最高30万元。",
        "sort_order": 30,
    },
    {
        "name": "荣成市产业发展引导基金",
        "kind": FundKind.GUIDANCE,
        "manager": "荣成市财政局",
        "scale": "10亿元",
        "description": "以股权投资方式引导社会资本投向海洋食品、高端装备、海洋生物医药等产业。",
        "sort_order": 40,
    },
]

NEWS = [
    (
        "荣成市举办2026年银企对接会，12家金融机构现场授信",
        "工信局联合金融服务中心举办银企对接会，现场签约授信金额超过8亿元。",
        "为缓解中小微企业融资难题，荣成市工业和信息化局联合市金融服务中心举办2026年银企对接会。"
        "\n\n威海银行、农业银行、荣成农商银行等12家金融机构参会，与60余家企业现场对接，"
        "签约授信金额超过8亿元。\n\n企业可通过平台“融资服务”随时发布融资需求，金融机构限时接单。",
    ),
    (
        "应急转贷资金使用流程进一步简化",
        "企业通过平台在线申请，运营机构2个工作日内受理。",
        "荣成市中小微企业应急转贷资金自即日起支持在平台在线申请。企业选择“应急转贷”，"
        "填写原贷款到期日和续贷银行，运营机构在2个工作日内受理，单笔最高1000万元，使用不超过15天。",
    ),
    (
        "政府采购合同融资（政采贷）业务全面上线",
        "中标企业凭采购合同即可在线申请无抵押贷款。",
        "中标政府采购项目的供应商，可在平台选择“合同贷”，上传采购合同或中标通知书，"
        "选择意向银行后提交。合同仅对所选银行可见，银行审核后最快3个工作日放款。",
    ),
]

_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _publish(item: Any, author: User, reviewer: User) -> None:
    item = publication_submit(item=item, actor=author)
    item = publication_approve(item=item, actor=reviewer)
    publication_publish(item=item, actor=reviewer)


def seed(*, stdout: Output) -> None:
    """Add what does not exist yet; a second run adds nothing."""
    users = {u.username: u for u in User.objects.filter(username__in=_USERNAMES)}
    reviewer = users.get("gongxin")
    if reviewer is None or "yinhang" not in users:
        return
    added = {"products": 0, "funds": 0, "news": 0, "needs": 0}
    for row in PRODUCTS:
        author_name, name, kind, amounts, terms, rates, scales, industries, years, cond, desc = row
        author = users.get(author_name)
        if author is None or FinancialProduct.objects.filter(name=name).exists():
            continue
        product = product_create(
            author=author,
            name=name,
            kind=kind,
            amount_min=Decimal(amounts[0]),
            amount_max=Decimal(amounts[1]),
            term_min_months=terms[0],
            term_max_months=terms[1],
            rate_min=Decimal(rates[0]),
            rate_max=Decimal(rates[1]),
            scales=scales,
            industries=industries,
            min_years=years,
            conditions=cond,
            description=desc,
        )
        _publish(product, author, reviewer)
        added["products"] += 1
    for spec in FUNDS:
        if GovernmentFund.objects.filter(name=spec["name"]).exists():
            continue
        values = dict(spec)
        operator = values.pop("operator", None)
        GovernmentFund.objects.create(
            operator=Provider.objects.filter(name=operator).first() if operator else None,
            **values,
        )
        added["funds"] += 1
    liaison = users.get("gxlianluo") or reviewer
    for title, summary, body in NEWS:
        if FinancingNews.objects.filter(title=title).exists():
            continue
        news = news_create(author=reviewer, title=title, summary=summary, body=body)
        _publish(news, reviewer, liaison)
        added["news"] += 1
    added["needs"] = _seed_needs(users)
    stdout.write(
        "融资服务：新增产品 {products}、基金 {funds}、动态 {news}、企业需求 {needs}\n".format(
            **added
        )
    )


_USERNAMES = ["gongxin", "gxlianluo", "yinhang", "yinhang2", "nongshang", "danbao", "qiye", "qiye2"]


def _seed_needs(users: dict[str, User]) -> int:
    qiye, qiye2 = users.get("qiye"), users.get("qiye2")
    if qiye is None or qiye2 is None or qiye.enterprise_id is None:
        return 0
    if FinancingRequest.objects.filter(enterprise_id=qiye.enterprise_id).exists():
        return 0
    added = 0
    # 1. Granted and rated: a credit loan for the peak season's raw fish.
    granted = request_submit(
        user=qiye,
        kind=RequestKind.CREDIT,
        amount="200",
        term_months=12,
        purpose="鱿鱼、鲐鱼等原料集中收购，旺季流动资金周转。",
        contact_name="于海波",
        contact_phone="13963100006",
    )
    added += 1
    for order in granted.orders.select_related("provider"):
        member = _member(order.provider, users)
        if member is None:
            continue
        order = order_take(order=order, actor=member, note="已电话联系企业，预约下周上门调查。")
        if order.provider.name.startswith("威海"):
            order = order_grant(
                order=order, actor=member, amount="200", rate="3.85", term_months=12, note="科创e贷"
            )
            order_rate(order=order, actor=qiye, rating=5, comment="客户经理上门服务，一周放款。")
        break
    # 2. Waiting to be taken up: a mortgage on the cold store.
    request_submit(
        user=qiye,
        kind=RequestKind.MORTGAGE,
        amount="800",
        term_months=36,
        purpose="新建2万吨冷库及速冻生产线设备购置。",
        guarantee="自有厂房及土地使用权抵押",
        contact_name="于海波",
        contact_phone="13963100006",
    )
    added += 1
    # 3. A contract loan of the second enterprise, to the bank it chose.
    bank = Provider.objects.filter(name="威海市商业银行股份有限公司荣成支行").first()
    if bank is not None and qiye2.enterprise and qiye2.enterprise.scale in SMALL:
        request_submit(
            user=qiye2,
            kind=RequestKind.CONTRACT,
            amount="150",
            term_months=6,
            purpose="履行荣成市教育局校园设备采购合同，采购原材料。",
            contact_name="孙志强",
            contact_phone="13963100007",
            chosen_provider=bank,
            document=ContentFile(_PDF, name="中标通知书.pdf"),
        )
        added += 1
    return added


def _member(provider: Provider, users: dict[str, User]) -> User | None:
    return next(
        (u for u in users.values() if provider.members.filter(user=u).exists()),
        None,
    )
