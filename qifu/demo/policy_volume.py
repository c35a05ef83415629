"""Synthetic published policies for benchmarks (`seed_demo --scale N` adds N × 10,000).

The texts are short and built from a small vocabulary of real policy topics, so searches hit
realistic word frequencies (each topic word is in about one policy in fifteen) while indexing
100,000 of them stays well under a minute.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from qifu.accounts.models import Department, DepartmentKind, User
from qifu.demo import Output
from qifu.policies.models import Policy
from qifu.policies.search import policy_index_bulk, policy_title_words
from qifu.publishing.models import PublicationStatus

SYNTHETIC_CODE_PREFIX = "SYN-POL-"
BATCH = 1000
TOPICS = (
    "海洋牧场",
    "专精特新",
    "高新技术企业",
    "技术改造",
    "人才引进",
    "外贸出口",
    "冷链物流",
    "水产品加工",
    "新能源装备",
    "数字经济",
    "文旅融合",
    "创业担保贷款",
    "研发费用",
    "首台套",
    "绿色工厂",
)
MEASURES = ("扶持办法", "奖励政策", "补助实施细则", "若干措施", "申报指南")
BENEFITS = ("一次性奖励", "资金补助", "贷款贴息", "租金减免")
INDUSTRIES: tuple[list[str], ...] = ([], [], ["C13"], ["C"], ["G"], ["I"], ["C34", "C35"])
CRITERIA: tuple[dict[str, object], ...] = (
    {},
    {"scales": ["small", "micro"]},
    {"min_employees": 10},
    {"qualifications_any": ["high_tech", "tech_sme"]},
    {"scales": ["medium", "large"], "min_revenue": 2000},
    {"max_years_since_founding": 5},
)


def seed_synthetic(*, count: int, stdout: Output) -> int:
    """Add synthetic published policies, indexed for search, up to `count`; returns how many."""
    issuers = list(
        Department.objects.filter(kind__in=[DepartmentKind.DEPARTMENT, DepartmentKind.AGENCY])
    )
    author = User.objects.filter(department__isnull=False).order_by("pk").first()
    if not issuers or author is None:
        raise RuntimeError("synthetic policies need departments and a government user first")
    existing = Policy.objects.filter(code__startswith=SYNTHETIC_CODE_PREFIX).count()
    today = timezone.localdate()
    now = timezone.now()
    rng = random.Random(2026)
    added = 0
    for start in range(existing, count, BATCH):
        batch: list[Policy] = []
        for n in range(start, min(start + BATCH, count)):
            topic = TOPICS[n % len(TOPICS)]
            measure = rng.choice(MEASURES)
            benefit = rng.choice(BENEFITS)
            issuer = rng.choice(issuers)
            published_on = today - dt.timedelta(days=rng.randint(1, 5 * 365))
            policy = Policy(
                code=f"{SYNTHETIC_CODE_PREFIX}{n:07d}",
                title=f"荣成市{published_on.year}年{topic}{measure}",
                doc_number=f"荣政发〔{published_on.year}〕{n % 97 + 1}号",
                issuer=issuer,
                provider_department=issuer,
                created_by=author,
                status=PublicationStatus.PUBLISHED,
                published_at=now,
                published_on=published_on,
                summary=f"支持{topic}，对符合条件的企业给予{benefit}。",
                body=f"为推动{topic}高质量发展，经研究，对符合条件的企业给予{benefit}，"
                f"最高{rng.choice((10, 20, 50, 100))}万元。",
                industries=rng.choice(INDUSTRIES),
                criteria=rng.choice(CRITERIA),
                tags=[topic],
                benefit=benefit,
            )
            policy.search_text = policy_title_words(policy)
            batch.append(policy)
        with transaction.atomic():
            created = Policy.objects.bulk_create(batch)
            policy_index_bulk(policies=created, update_search_text=False)
        added += len(batch)
    stdout.write(f"合成政策：{count} 条（新增 {added}，已建检索索引）\n")
    return added
