"""Who is told what at each step (written in the step's own transaction, delivered after)."""

from __future__ import annotations

import logging
from typing import Any

from django.utils import timezone

logger = logging.getLogger(__name__)

ENTERPRISE_TEXT = {
    "submit": ("申报已提交", "您的项目“{project}”已提交至{department}，请等待受理。"),
    "accept": ("申报已受理", "您的项目“{project}”已被受理，正在审核。"),
    "return": ("申报被退回补正", "您的项目“{project}”需补正材料，理由：{reason}"),
    "reject": ("申报未通过", "很遗憾，您的项目“{project}”未通过审核，理由：{reason}"),
    "approve": ("申报审核通过", "您的项目“{project}”已审核通过，将进行结果公示。"),
    "publish": ("申报结果公示中", "您的项目“{project}”已进入公示期，公示至{ends}。"),
    "object": ("公示收到异议", "您的项目“{project}”在公示期收到异议，部门正在核实。"),
    "uphold": ("异议成立", "您的项目“{project}”的公示异议成立，项目重新进入审核。"),
    "dismiss": ("异议不成立", "您的项目“{project}”的公示异议不成立，继续公示。"),
    "finalise": ("公示结束", "您的项目“{project}”公示期满，申报结果生效。"),
}


def application_changed(application: Any, action: str) -> None:
    """Tell the enterprise about every step, and the department about new submissions."""
    from qifu.accounts.models import User
    from qifu.notifications.services import notify

    call = application.call
    url = application.get_absolute_url()
    ends = (
        f"{timezone.localtime(application.publicity_ends_at):%Y-%m-%d %H:%M}"
        if application.publicity_ends_at
        else ""
    )
    title, body = ENTERPRISE_TEXT[action]
    text = body.format(
        project=application.project_name,
        department=call.provider_department.display_name,
        reason=application.reason or "未填写",
        ends=ends,
    )
    users = User.objects.filter(enterprise_id=application.enterprise_id, is_active=True)
    notify(users=users, code="generic", context={"title": title, "body": text}, url=url)
    if action in ("submit", "object"):
        staff = [
            u
            for u in User.objects.filter(
                department_id=call.provider_department_id, is_active=True
            ).prefetch_related("role_grants")
            if u.is_government
        ]
        what = "新的项目申报" if action == "submit" else "公示异议待答复"
        notify(
            users=staff,
            code="generic",
            context={
                "title": what,
                "body": f"{application.enterprise.name}：“{application.project_name}”"
                f"（{call.title}）{what}，请及时处理。",
            },
            url=url,
            channels=("inbox",),
        )


def call_published(item: Any) -> None:
    """After a call is published: push it to every enterprise that meets its criteria."""
    from qifu.accounts.models import Enterprise, User
    from qifu.declarations.eligibility import call_eligibility
    from qifu.declarations.models import Call
    from qifu.notifications.services import notify

    if not isinstance(item, Call):
        return
    today = timezone.localdate()
    if item.closes_on < today:
        return
    eligible = [
        e.pk
        for e in Enterprise.objects.filter(is_active=True).select_related("region")
        if call_eligibility(call=item, enterprise=e, today=today).eligible
    ]
    users = User.objects.filter(enterprise_id__in=eligible, is_active=True)
    notify(
        users=users,
        code="generic",
        context={
            "title": "新的项目申报通知",
            "body": f"“{item.title}”开始申报（{item.opens_on:%Y-%m-%d}至"
            f"{item.closes_on:%Y-%m-%d}），贵企业符合申报条件，欢迎申报。",
        },
        url=item.get_absolute_url(),
        channels=("inbox",),
    )
    logger.info("declarations call %s pushed to %s enterprises", item.pk, len(eligible))
