"""Demo 政策解读、政策专题、政策在线讲堂, written by 工信局 and reviewed by its liaison.

Everything goes through the services and the review workflow; an item whose title exists is
left alone, so a second run adds nothing.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from qifu.accounts.models import User
from qifu.demo import Output
from qifu.policies.extras.services import (
    interpretation_create,
    lecture_create,
    lecture_register,
    topic_create,
)
from qifu.policies.models import Interpretation, InterpretationKind, Lecture, Policy, Topic
from qifu.publishing.services import (
    publication_approve,
    publication_publish,
    publication_submit,
)

ZJTX = "RC-GXJ-2026-001"
TOPIC_CODES = [ZJTX, "RC-GXJ-2026-002", "RC-GXJ-2026-003"]

INTERPRETATIONS: list[dict[str, Any]] = [
    {
        "code": ZJTX,
        "kind": InterpretationKind.TEXT,
        "title": "一问一答读懂“专精特新”企业认定奖励",
        "summary": "谁能申请、奖多少、怎么申请，一次说清。",
        "body": (
            "<h3>谁可以申请？</h3><p>上一年度新认定的省级专精特新中小企业和国家级专精特新"
            "“小巨人”企业。</p><h3>奖励多少？</h3><ul><li>省级专精特新：一次性奖励20万元；</li>"
            "<li>国家级“小巨人”：一次性奖励50万元。</li></ul><h3>怎么申请？</h3>"
            "<p>通过平台“项目申报”栏目在线提交认定文件，工信局审核后兑现。</p>"
        ),
    },
    {
        "code": "RC-GXJ-2026-003",
        "kind": InterpretationKind.VIDEO,
        "title": "视频解读：工业技术改造设备投资奖补",
        "summary": "工信局政策科负责人讲解技改奖补的申报要点。",
        "body": "<p>视频时长约12分钟，介绍奖补标准、设备投资口径和申报时间安排。</p>",
        "video_url": "https://www.rongcheng.gov.cn/",
    },
]


def _publish(item: Any, author: User, reviewer: User) -> Any:
    item = publication_submit(item=item, actor=author)
    item = publication_approve(item=item, actor=reviewer)
    return publication_publish(item=item, actor=reviewer)


def seed(*, stdout: Output) -> None:
    """Publish the demo interpretations, topic and lectures that do not exist yet."""
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["gongxin", "gxlianluo", "qiye", "qiye2"])
    }
    author, reviewer = users.get("gongxin"), users.get("gxlianluo")
    if author is None or reviewer is None:
        stdout.write("政策解读、专题、讲堂：缺少工信局演示账号，跳过\n")
        return
    policies = {p.code: p for p in Policy.objects.filter(code__in=[*TOPIC_CODES])}
    added = 0
    for spec in INTERPRETATIONS:
        if (
            Interpretation.objects.filter(title=spec["title"]).exists()
            or spec["code"] not in policies
        ):
            continue
        fields = {k: v for k, v in spec.items() if k != "code"}
        item = interpretation_create(author=author, policy=policies[spec["code"]], **fields)
        _publish(item, author, reviewer)
        added += 1
    title = "专精特新政策专题"
    if not Topic.objects.filter(title=title).exists() and len(policies) == len(TOPIC_CODES):
        topic = topic_create(
            author=author,
            title=title,
            summary="从认定奖励、小升规培育到技术改造奖补，专精特新企业成长各阶段的扶持政策。",
            policy_codes=TOPIC_CODES,
        )
        _publish(topic, author, reviewer)
        added += 1
    now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    upcoming = (now + timedelta(days=7)).replace(hour=9, minute=30)
    past = (now - timedelta(days=14)).replace(hour=14)
    lectures = [
        {
            "title": "2026年专精特新企业认定政策解读会",
            "speaker": "工信局中小企业科 曲振华",
            "policy": policies.get(ZJTX),
            "summary": "讲解专精特新认定标准、申报材料准备和奖励兑现流程，现场答疑。",
            "starts_at": upcoming,
            "ends_at": upcoming + timedelta(hours=2),
            "place": "荣成市民服务中心三楼会议室",
            "online_url": "https://www.rongcheng.gov.cn/",
            "capacity": 80,
        },
        {
            "title": "工业技术改造设备投资奖补政策宣讲",
            "speaker": "工信局投资与技术改造科",
            "policy": policies.get("RC-GXJ-2026-003"),
            "summary": "技改奖补政策宣讲及典型案例分享。",
            "starts_at": past,
            "ends_at": past + timedelta(hours=2),
            "place": "",
            "online_url": "https://www.rongcheng.gov.cn/",
            "capacity": 200,
            "replay_url": "https://www.rongcheng.gov.cn/",
        },
    ]
    for spec in lectures:
        if Lecture.objects.filter(title=spec["title"]).exists():
            continue
        lecture = _publish(lecture_create(author=author, **spec), author, reviewer)
        if lecture.starts_at > timezone.now():
            for name in ("qiye", "qiye2"):
                if name in users:
                    lecture_register(lecture=lecture, user=users[name])
        added += 1
    stdout.write(f"政策解读、专题、讲堂：5 条（新增 {added}）\n")
