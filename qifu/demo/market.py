"""Demo 服务超市 and 校企共建: offerings of the Weihai-area providers (the law firm of `lvsuo`,
accounting firms, a technology-service firm), university resources of 山东大学（威海）,
哈尔滨工业大学（威海） and 威海职业学院, the demo enterprises' needs and orders, and one
co-operation recorded up to its agreement. Everything goes through the real services (review
before publishing, the order and co-operation processes), so the histories read like real ones.

Idempotent: an offering, resource or need is identified by its provider (or enterprise) and
title, an order by its title, a co-operation by its pair; what exists is left alone.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from qifu.accounts.models import User
from qifu.accounts.validators import credit_code_check_char
from qifu.cooperation import services as cooperation_services
from qifu.cooperation.models import Cooperation, CooperationStatus, Resource, TechNeed
from qifu.demo import Output
from qifu.demo.accounts import DEMO_PASSWORD
from qifu.market import services as market_services
from qifu.market.models import Offering, Order, OrderStatus
from qifu.providers.access import forget_membership
from qifu.providers.models import Provider, ProviderKind
from qifu.providers.services import provider_approve, provider_register
from qifu.publishing.services import (
    publication_approve,
    publication_publish,
    publication_submit,
)

_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)

# More providers, so that a random draw or a call for quotes has several candidates:
# (name, short name, first 17 characters of the credit code, kind, contact, phone, address,
#  description, username, real name, mobile). Names and codes are invented.
EXTRA_PROVIDERS = [
    ("山东荣德律师事务所", "荣德律所", "31370000MD0173851", ProviderKind.LAW_FIRM, "毕建国",
     "0631-7536655", "荣成市崖头街道成山大道中段",
     "专注公司治理、知识产权保护和海事海商纠纷，为渔业和食品企业提供法律服务。",
     "lvsuo2", "毕建国", "13963200021"),
    ("威海正信会计师事务所有限公司荣成分所", "正信会计", "91371082MA3D8K5Q7",
     ProviderKind.ACCOUNTING, "曲丽娜", "0631-7590312", "荣成市寻山街道",
     "提供年度审计、税务鉴证和内部控制咨询，熟悉海洋食品和装备制造企业的财税业务。",
     "kuaiji2", "曲丽娜", "13963200022"),
    ("荣成市海创科技服务有限公司", "海创科服", "91371082MA3F2W6T9", ProviderKind.SERVICE,
     "张海峰", "0631-7611200", "荣成市石岛管理区海洋高新技术产业园",
     "运营石岛海洋高新区的标准厂房和孵化器，提供检验检测、知识产权代理和产业对接服务。",
     "fuwu", "张海峰", "13963200023"),
    ("威海职业学院", "威海职院", "12371000MB1E29647", ProviderKind.UNIVERSITY, "刘振宇",
     "0631-5701200", "威海市文化西路",
     "设有海洋食品、机电和智能制造等专业群，面向企业开放实训基地，开展技术服务和员工培训。",
     "weizhi", "刘振宇", "13963200024"),
]  # fmt: skip

# (author, category, title, description, low, high, unit, area, qualifications, days)
OFFERINGS = [
    ("lvsuo", "legal", "企业常年法律顾问",
     "为企业提供日常经营的法律咨询、合同起草与审查、规章制度审核、法律风险提示和纠纷预防，"
     "每季度上门开展一次合规巡检，紧急事项 24 小时内响应。",
     "20000", "60000", "元/年", "荣成市、威海市",
     "律师事务所执业许可证；专职律师 12 名，其中 3 名具有涉外律师资格", 5),
    ("lvsuo", "legal", "劳动用工合规体检",
     "对劳动合同、考勤与工时、社保缴纳、季节性用工和劳务派遣逐项检查，出具合规报告并协助整改，"
     "适合水产加工等季节性用工多的企业。",
     "8000", "15000", "元/次", "荣成市", "律师事务所执业许可证", 10),
    ("lvsuo", "legal", "中韩、中日贸易合同审查",
     "审查进出口贸易合同的价格条款、交付与检验、争议解决和法律适用，提示汇率和贸易壁垒风险。",
     "3000", None, "元/份", "荣成市、威海市", "涉外律师资格 3 名", 5),
    ("lvsuo2", "legal", "商标与专利侵权维权",
     "商标异议与无效、专利侵权调查取证、电商平台投诉和诉讼代理，保护企业的品牌和技术。",
     "5000", "30000", "元/件", "荣成市、威海市", "律师事务所执业许可证；专利代理师 2 名", 20),
    ("lvsuo2", "legal", "企业合同审查与劳动争议代理",
     "合同审查、劳动仲裁与诉讼代理，提供用工纠纷调解方案。",
     "2000", "20000", "元/件", "荣成市", "律师事务所执业许可证", 10),
    ("kuaiji", "finance", "高新技术企业认定专项审计",
     "按《高新技术企业认定管理办法》出具近三个会计年度研发费用和近一年高新技术产品（服务）收入"
     "专项审计报告，辅导研发项目归集。",
     "15000", "30000", "元/次", "荣成市、威海市", "会计师事务所执业证书；注册会计师 8 名", 15),
    ("kuaiji", "finance", "研发费用加计扣除专项鉴证",
     "梳理研发项目立项、人员工时和费用归集，出具研发费用加计扣除专项鉴证报告。",
     "8000", "20000", "元/次", "荣成市", "会计师事务所执业证书", 10),
    ("kuaiji", "finance", "小微企业代理记账",
     "代理记账、纳税申报、工商年报和财务报表，每月提供经营简报。",
     "300", "800", "元/月", "荣成市", "代理记账许可证", 3),
    ("kuaiji2", "finance", "年度财务报表审计",
     "年度财务报表审计、验资和清产核资，满足银行贷款和项目申报的审计要求。",
     "10000", None, "元/次", "荣成市、威海市", "会计师事务所执业证书", 20),
    ("kuaiji2", "finance", "税务筹划与合规咨询",
     "出口退税、留抵退税和税收优惠政策适用评估，税务风险排查。",
     "5000", "20000", "元/次", "荣成市", "税务师 3 名", 10),
    ("fuwu", "venue", "石岛海洋高新区标准厂房出租",
     "单层标准厂房 1,200–3,000 平方米，层高 9 米，配 10 吨行车和 630kVA 变压器，近石岛港。",
     "8", "12", "元/㎡·月", "石岛管理区", "园区运营方", 5),
    ("fuwu", "venue", "冷链仓储库位出租",
     "-25℃ 冷冻库和 0–4℃ 冷藏库库位，按托盘计费，提供装卸和出入库管理。",
     "2", "3", "元/托·天", "石岛管理区、港湾街道", "冷库备案", 3),
    ("fuwu", "other", "海洋食品检验检测",
     "水产品微生物、重金属、兽药残留和营养成分检测，出具 CMA 检测报告。",
     "200", "3000", "元/样", "荣成市", "检验检测机构资质认定证书（CMA）", 5),
    ("fuwu", "project", "产业链上下游对接",
     "为海洋食品、装备制造企业对接原料供应、代工和销售渠道，组织供需对接会。",
     None, None, "", "荣成市", "", 20),
    ("fuwu", "product", "海参自动化蒸煮生产线选型服务",
     "根据产能和工艺推荐蒸煮、烘干和包装设备组合，组织设备厂商现场演示。",
     "5000", "10000", "元/次", "荣成市", "", 10),
    ("gaoxiao", "result", "海参内脏酶解制备海参肽技术",
     "山东大学（威海）海洋学院的可转化成果，可许可使用或合作中试，见校企共建高校资源。",
     None, None, "", "威海市", "发明专利 2 项", 30),
]  # fmt: skip

# (author, kind, title, industry, description, keywords, terms)
RESOURCES = [
    ("gaoxiao", "result", "海参内脏酶解制备海参肽关键技术", "marine_food",
     "以海参加工副产物（内脏、体壁边角料）为原料，经复合酶解、超滤分级和喷雾干燥制备海参肽，"
     "得率提高 30% 以上，产品可用于功能食品和化妆品原料。已完成中试，拥有发明专利 2 项。",
     "海参、内脏、酶解、海参肽、副产物、高值化利用", "技术许可、合作中试"),
    ("gaoxiao", "lab", "海洋生物资源开发实验平台", "marine_food",
     "配有液相色谱-质谱联用仪、氨基酸分析仪、冷冻干燥机和中试发酵罐，可为企业提供成分分析、"
     "工艺验证和小试服务。",
     "液相色谱、质谱、氨基酸分析、冷冻干燥、中试", "仪器共享，按机时收费"),
    ("gaoxiao", "expert", "海洋食品加工与保鲜专家团队", "marine_food",
     "团队长期从事水产品加工、低温保鲜和品质控制研究，可为企业提供即食海产品工艺改进和技术培训。",
     "水产品加工、保鲜、即食、品质控制、杀菌", "技术咨询、驻厂指导"),
    ("hagongda", "result", "船舶与海洋工程装备焊接变形控制技术", "equipment",
     "针对薄板结构焊接变形，采用预变形与随焊冷却相结合的工艺，变形量降低 60%，"
     "适用于船舶、房车车身和钢结构制造。",
     "焊接、变形控制、薄板、车身、船舶", "技术转让、合作开发"),
    ("hagongda", "result", "轻量化复合材料车身板材成型技术", "materials",
     "玻璃纤维/聚氨酯夹芯复合板材模压成型，面密度降低 35%，保温和隔音性能优良，"
     "适用于房车、冷藏车厢体。",
     "复合材料、轻量化、车身、板材、房车、保温", "技术许可、合作开发"),
    ("hagongda", "lab", "材料分析测试中心", "materials",
     "扫描电子显微镜、X 射线衍射仪、万能材料试验机和盐雾试验箱，对外提供材料性能测试。",
     "扫描电镜、X射线衍射、材料测试、盐雾、防腐", "仪器共享，按样品收费"),
    ("weizhi", "expert", "数控技术与智能制造教师团队", "equipment",
     "国家级职业教育教学创新团队，可为企业开展数控设备调试、工业机器人应用和员工技能培训。",
     "数控、工业机器人、智能制造、技能培训", "技术服务、订单式培训"),
    ("weizhi", "result", "即食海产品低温杀菌工艺", "marine_food",
     "以低温长时巴氏杀菌结合栅栏技术延长即食海带、即食海参的保质期，常温保质期可达 9 个月。",
     "即食、海带、海参、杀菌、保质期、栅栏技术", "技术转让、驻厂指导"),
]  # fmt: skip

# (author, title, industry, description, keywords, budget 万元)
NEEDS = [
    ("qiye", "海参加工副产物高值化利用", "marine_food",
     "我公司年加工鲜海参 800 吨，产生内脏等副产物约 120 吨，目前低价出售。希望引进酶解制备"
     "海参肽等技术，建设一条副产物精深加工线。",
     "海参、副产物、内脏、酶解、海参肽", "80"),
    ("qiye", "即食海带常温保质期延长", "marine_food",
     "即食海带产品常温保质期仅 3 个月，影响电商销售。希望改进杀菌工艺，保质期延长到 6 个月以上，"
     "同时保持口感。",
     "即食、海带、杀菌、保质期", "30"),
    ("qiye2", "房车车身轻量化与焊接变形控制", "equipment",
     "房车车身骨架焊接后变形大，返修率约 8%；同时希望车身减重 20%。"
     "寻求焊接工艺和轻量化材料方面的合作。",
     "房车、车身、焊接、变形、轻量化、复合材料", "150"),
]  # fmt: skip


def _code(first17: str) -> str:
    return first17 + credit_code_check_char(first17)


def _register_extra_providers(reviewer: User | None) -> int:
    added = 0
    for (name, short, code17, kind, contact, phone, address, description, username, real,
         mobile) in EXTRA_PROVIDERS:  # fmt: skip
        if (
            Provider.objects.filter(name=name).exists()
            or User.objects.filter(username=username).exists()
        ):
            continue
        provider = provider_register(
            name=name,
            short_name=short,
            credit_code=_code(code17),
            kind=kind,
            contact_name=contact,
            contact_phone=phone,
            address=address,
            description=description,
            qualification=ContentFile(_PDF, name="营业执照及执业许可证.pdf"),
            username=username,
            password=DEMO_PASSWORD,
            real_name=real,
            phone=mobile,
            phone_verified=True,  # demo data: no SMS code at hand
        )
        if reviewer is not None:
            provider_approve(provider=provider, actor=reviewer, note="资质材料齐全，同意入驻。")
        added += 1
    return added


def _publish(item: Any, author: User, reviewer: User) -> None:
    publication_submit(item=item, actor=author)
    publication_approve(item=item, actor=reviewer)
    publication_publish(item=item, actor=reviewer)


def _money(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def _seed_offerings(users: dict[str, User], reviewer: User) -> int:
    added = 0
    for author_name, category, title, description, low, high, unit, area, quals, days in OFFERINGS:
        author = users.get(author_name)
        if author is None:
            continue
        forget_membership(author)
        if Offering.objects.filter(provider__members__user=author, title=title).exists():
            continue
        offering = market_services.offering_create(
            author=author,
            category=category,
            title=title,
            description=description,
            price_min=_money(low),
            price_max=_money(high),
            price_unit=unit,
            area_served=area,
            qualifications=quals,
            promised_working_days=days,
        )
        _publish(offering, author, reviewer)
        added += 1
    return added


def _offering(title: str) -> Offering | None:
    return Offering.objects.published().filter(title=title).first()


def _seed_orders(users: dict[str, User]) -> int:
    qiye, qiye2 = users.get("qiye"), users.get("qiye2")
    if qiye is None or qiye2 is None:
        return 0
    added = 0
    # 1. A direct order, done and rated (the accounting firm's public record shows it).
    audit = _offering("高新技术企业认定专项审计")
    title = "2026 年高新技术企业认定专项审计"
    if audit is not None and not Order.objects.filter(title=title).exists():
        order = market_services.order_direct(
            user=qiye,
            offering=audit,
            title=title,
            description="申报 2026 年高新技术企业，需要近三年研发费用专项审计报告，10 月底前完成。",
            budget=Decimal("25000"),
            contact_name="于海波",
            contact_phone="13906310101",
        )
        provider_user = users["kuaiji"]
        market_services.order_accept(user=provider_user, order=order, working_days=15)
        market_services.order_complete(
            user=provider_user,
            order=order,
            result="已出具近三个会计年度研发费用专项审计报告和高新技术产品收入专项审计报告。",
        )
        market_services.order_rate(
            user=qiye, order=order, rating=5, comment="响应快，辅导细致，报告一次通过形式审查。"
        )
        added += 1
    # 2. A need for legal services, the provider drawn at random and at work.
    title = "季节性用工劳动合同规范"
    if not Order.objects.filter(title=title).exists():
        order = market_services.need_post(
            user=qiye,
            category="legal",
            method="draw",
            title=title,
            description="海参加工旺季临时用工约 200 人，需规范劳务合同、工时和社保，避免用工纠纷。",
            budget=Decimal("12000"),
            contact_name="于海波",
            contact_phone="13906310101",
        )
        draw = market_services.order_draw(user=qiye, order=order)
        chosen = draw.chosen.members.select_related("user").first()
        if chosen is not None:
            market_services.order_accept(user=chosen.user, order=order, working_days=10)
        added += 1
    # 3. A need inviting quotes, with two quotes waiting for the enterprise's choice.
    title = "房车出口业务税务合规咨询"
    if not Order.objects.filter(title=title).exists():
        order = market_services.need_post(
            user=qiye2,
            category="finance",
            method="quote",
            title=title,
            description="公司开始向韩国出口房车，需要出口退税和关联交易的税务合规咨询。",
            budget=Decimal("20000"),
            contact_name="孙志强",
            contact_phone="13806310202",
        )
        for username, amount, days, note in (
            ("kuaiji", "16000", 10, "含出口退税流程梳理和两次现场辅导。"),
            ("kuaiji2", "18500", 8, "含关联交易定价评估。"),
        ):
            if username in users:
                market_services.quote_submit(
                    user=users[username],
                    order=order,
                    amount=Decimal(amount),
                    working_days=days,
                    note=note,
                )
        added += 1
    return added


def _seed_cooperation(users: dict[str, User], reviewer: User) -> tuple[int, int]:
    items = 0
    for author_name, kind, title, industry, description, keywords, terms in RESOURCES:
        author = users.get(author_name)
        if author is None:
            continue
        forget_membership(author)
        if Resource.objects.filter(provider__members__user=author, title=title).exists():
            continue
        resource = cooperation_services.resource_create(
            author=author,
            kind=kind,
            title=title,
            industry=industry,
            description=description,
            keywords=keywords,
            terms=terms,
            contact_name=author.real_name,
            contact_phone=author.phone or "",
        )
        _publish(resource, author, reviewer)
        items += 1
    for author_name, title, industry, description, keywords, budget in NEEDS:
        author = users.get(author_name)
        if (
            author is None
            or TechNeed.objects.filter(enterprise=author.enterprise, title=title).exists()
        ):
            continue
        need = cooperation_services.need_create(
            author=author,
            title=title,
            industry=industry,
            description=description,
            keywords=keywords,
            budget=Decimal(budget),
            contact_name=author.real_name,
            contact_phone=author.phone or "",
        )
        _publish(need, author, reviewer)
        items += 1
    records = 0
    sea_need = TechNeed.objects.published().filter(title="海参加工副产物高值化利用").first()
    sea_result = Resource.objects.published().filter(title="海参内脏酶解制备海参肽关键技术").first()
    qiye, gaoxiao = users.get("qiye"), users.get("gaoxiao")
    if (
        sea_need
        and sea_result
        and qiye
        and gaoxiao
        and not Cooperation.objects.filter(need=sea_need, resource=sea_result).exists()
    ):
        cooperation = cooperation_services.cooperation_propose(
            user=qiye, need=sea_need, resource=sea_result, note="希望到贵校实验平台考察中试条件。"
        )
        cooperation_services.cooperation_accept(
            user=gaoxiao, cooperation=cooperation, note="欢迎来校考察，可安排中试样品。"
        )
        cooperation_services.cooperation_progress(
            user=qiye,
            cooperation=cooperation,
            note="双方完成实验平台考察，确定以技术许可加合作中试的方式推进。",
        )
        cooperation_services.cooperation_agree(
            user=gaoxiao,
            cooperation=cooperation,
            form="licence",
            agreed_on=timezone.localdate() - dt.timedelta(days=3),
            amount=Decimal("60"),
            summary="学校许可企业使用海参肽制备专利技术 5 年，派驻 2 名研究人员指导中试，"
            "企业投资建设年处理 120 吨副产物的生产线。",
        )
        records += 1
    rv_need = TechNeed.objects.published().filter(title="房车车身轻量化与焊接变形控制").first()
    welding = (
        Resource.objects.published().filter(title="船舶与海洋工程装备焊接变形控制技术").first()
    )
    hagongda = users.get("hagongda")
    if (
        rv_need
        and welding
        and hagongda
        and not Cooperation.objects.filter(need=rv_need, resource=welding).exists()
    ):
        cooperation_services.cooperation_propose(
            user=hagongda,
            need=rv_need,
            resource=welding,
            note="我校焊接变形控制技术已在车身结构上验证，愿意对接。",
        )
        records += 1
    return items, records


def seed(*, stdout: Output) -> None:
    """Create what does not exist yet of the supermarket's and co-construction's demo data."""
    reviewer = User.objects.filter(username="gongxin").first()
    if reviewer is None:
        stdout.write("服务超市、校企共建：缺少审核账号 gongxin，跳过。\n")
        return
    providers = _register_extra_providers(reviewer)
    names = [
        "qiye", "qiye2", "lvsuo", "lvsuo2", "kuaiji", "kuaiji2", "fuwu", "gaoxiao", "hagongda",
        "weizhi",
    ]  # fmt: skip
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    offerings = _seed_offerings(users, reviewer)
    orders = _seed_orders(users)
    items, records = _seed_cooperation(users, reviewer)
    open_orders = Order.objects.exclude(status=OrderStatus.CANCELLED).count()
    agreed = Cooperation.objects.filter(status=CooperationStatus.AGREED).count()
    stdout.write(
        f"服务超市：新增机构 {providers} 家、服务 {offerings} 项、"
        f"订单 {orders} 单（共 {open_orders} 单）；"
        f"校企共建：新增资源和需求 {items} 项、对接 {records} 项（已签约 {agreed} 项）\n"
    )
