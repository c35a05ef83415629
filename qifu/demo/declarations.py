"""Demo 项目申报: one open call of 工信局, and a closed one whose results are under publicity."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qifu.accounts.models import User
from qifu.declarations.models import Call
from qifu.declarations.services import (
    application_accept,
    application_approve,
    application_save_draft,
    application_submit,
    call_create,
    results_publish,
)
from qifu.demo import Output
from qifu.publishing.services import (
    publication_approve,
    publication_publish,
    publication_submit,
)

OPEN_TITLE = "2026年度“专精特新”企业认定奖励申报"
CLOSED_TITLE = "2026年度海洋食品产业技术改造项目补助申报"
MATERIALS = ["项目申报书", "上年度财务审计报告"]


def _demo_pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n% demo\n1 0 obj<<>>endobj\n%%EOF\n")


def _publish(call: Call, author: User, reviewer: User) -> Call:
    publication_submit(item=call, actor=author)
    publication_approve(item=call, actor=reviewer)
    return publication_publish(item=call, actor=author)


def seed(*, stdout: Output) -> None:
    """Publish the two demo calls and qiye's application under publicity, once."""
    users = {u.username: u for u in User.objects.filter(username__in=["gongxin", "admin", "qiye"])}
    author, reviewer, company = users["gongxin"], users["admin"], users["qiye"]
    today = timezone.localdate()
    added = 0
    if not Call.objects.filter(title=OPEN_TITLE).exists():
        call = call_create(
            author=author,
            title=OPEN_TITLE,
            body="各有关企业：\n\n对新认定的省级“专精特新”中小企业给予一次性奖励。"
            "符合条件的企业请在申报期内通过平台在线提交申报书和财务审计报告。"
            "\n\n联系电话：0631-7561234。",
            criteria={"scales": ["small", "medium"], "min_years_since_founding": 2},
            opens_on=today - dt.timedelta(days=10),
            closes_on=today + dt.timedelta(days=45),
            required_materials=MATERIALS,
        )
        call = _publish(call, author, reviewer)
        added += 1
    if not Call.objects.filter(title=CLOSED_TITLE).exists():
        opens_on = today - dt.timedelta(days=60)
        call = call_create(
            author=author,
            title=CLOSED_TITLE,
            body="对实施智能化、绿色化技术改造的海洋食品加工企业给予设备投资补助。",
            industries=["C13"],
            opens_on=opens_on,
            closes_on=today - dt.timedelta(days=20),
            required_materials=MATERIALS[:1],
        )
        call = _publish(call, author, reviewer)
        submitted_at = timezone.make_aware(
            dt.datetime.combine(opens_on + dt.timedelta(days=5), dt.time(10, 0))
        )
        application = application_save_draft(
            user=company,
            call=call,
            project_name="海参精深加工智能化生产线改造",
            summary="新增自动化蒸煮、分拣和包装设备，年节能约15%。",
            amount=Decimal("120"),
            files={MATERIALS[0]: _demo_pdf("项目申报书.pdf")},
            now=submitted_at,
        )
        application_submit(application=application, user=company, now=submitted_at)
        application_accept(application=application, user=author)
        application_approve(application=application, user=author)
        results_publish(call=call, user=author)
        added += 1
    stdout.write(f"项目申报：2 个申报通知，1 个公示项目（新增 {added}）\n")
