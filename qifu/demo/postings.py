"""Demo 信息发布: job postings and financing needs of the demo enterprises, reviewed by the
办事服务 agency before they are published (one financing need still awaits review)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from qifu.accounts.models import Department, DepartmentKind, User
from qifu.content.models import FinancingNeed, JobPosting, Posting
from qifu.content.services import posting_create
from qifu.demo import Output
from qifu.publishing.services import (
    publication_approve,
    publication_publish,
    publication_submit,
)

# (author, position, headcount, pay, town name, requirements, contact, phone, days valid)
JOBS = [
    ("qiye", "数控车床操作工", 6, "月薪 6000–8000 元，五险一金", "港湾街道",
     "有两年以上数控车床操作经验，能看懂机械图纸。", "于海波", "13906310101", 60),
    ("qiye", "质检员", 2, "月薪 5000–6500 元", "港湾街道",
     "中专及以上学历，熟悉质量管理体系。", "于海波", "13906310101", 45),
    ("qiye2", "海洋食品加工普工", 20, "计件工资，月均 5500 元以上，包食宿", "俚岛镇",
     "身体健康，吃苦耐劳，有食品加工经验者优先。", "孙志强", "13806310202", 30),
]  # fmt: skip

# (author, amount 万元, term months, use, guarantee, contact, phone, days valid, published?)
FINANCING = [
    ("qiye", Decimal("800"), 24, "购置五轴加工中心，扩建精密零部件生产线。", "厂房及土地抵押",
     "于海波", "13906310101", 90, True),
    ("qiye2", Decimal("300"), 12, "收购季原料采购流动资金。", "应收账款质押",
     "孙志强", "13806310202", 60, False),
]  # fmt: skip


def seed(*, stdout: Output) -> None:
    """Create the demo postings that do not exist yet, through the publishing workflow."""
    users = {u.username: u for u in User.objects.filter(username__in=["qiye", "qiye2", "pingtai"])}
    reviewer = users["pingtai"]
    towns = {d.name: d for d in Department.objects.filter(kind=DepartmentKind.TOWN)}
    fallback_town = Department.objects.filter(kind=DepartmentKind.TOWN).order_by("pk").first()
    today = timezone.localdate()
    added = 0
    for author_name, position, headcount, pay, town, requirements, contact, phone, days in JOBS:
        author = users[author_name]
        if JobPosting.objects.filter(enterprise=author.enterprise, position=position).exists():
            continue
        job = posting_create(
            kind="job",
            author=author,
            position=position,
            headcount=headcount,
            pay=pay,
            place=towns.get(town, fallback_town),
            requirements=requirements,
            contact_name=contact,
            contact_phone=phone,
            expires_on=today + dt.timedelta(days=days),
        )
        _publish(job, author, reviewer)
        added += 1
    for author_name, amount, term, use, guarantee, contact, phone, days, publish in FINANCING:
        author = users[author_name]
        if FinancingNeed.objects.filter(enterprise=author.enterprise, use=use).exists():
            continue
        need = posting_create(
            kind="financing",
            author=author,
            amount=amount,
            term_months=term,
            use=use,
            guarantee=guarantee,
            contact_name=contact,
            contact_phone=phone,
            expires_on=today + dt.timedelta(days=days),
        )
        if publish:
            _publish(need, author, reviewer)
        else:
            publication_submit(item=need, actor=author)
        added += 1
    stdout.write(f"信息发布：招工 {len(JOBS)} 条、融资需求 {len(FINANCING)} 条（新增 {added}）\n")


def _publish(item: Posting, author: User, reviewer: User) -> None:
    item = publication_submit(item=item, actor=author)
    item = publication_approve(item=item, actor=reviewer)
    publication_publish(item=item, actor=reviewer)
