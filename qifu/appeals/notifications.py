"""Who is told what when an appeal moves: written to the inbox and outbox in the step's own
transaction (qifu/core/workflow.py), delivered by the worker afterwards."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from qifu.accounts.models import Role, User
from qifu.appeals.models import Appeal
from qifu.notifications.services import notify


def _platform_staff() -> list[User]:
    return list(
        User.objects.filter(is_active=True, role_grants__role=Role.PLATFORM_STAFF).distinct()
    )


def _department_handlers(department_id: int | None) -> list[User]:
    if department_id is None:
        return []
    return list(
        User.objects.filter(
            is_active=True,
            department_id=department_id,
            role_grants__role__in=[Role.DEPARTMENT_ADMIN, Role.DEPARTMENT_HANDLER],
        ).distinct()
    )


def _supervisors() -> list[User]:
    return list(User.objects.filter(is_active=True, role_grants__role=Role.SUPERVISOR).distinct())


def _enterprise_users(appeal: Appeal) -> list[User]:
    if appeal.enterprise_id is None:
        return []
    return list(User.objects.filter(is_active=True, enterprise_id=appeal.enterprise_id))


def _due(value: Any) -> str:
    return timezone.localtime(value).strftime("%m月%d日 %H:%M") if value else ""


def send(code: str, *, appeal: Appeal, **extra: Any) -> None:
    """Write the notifications for one step of an appeal (in the caller's transaction)."""
    url = reverse("appeals:detail", args=[appeal.pk])
    subject = f"诉求{appeal.number}“{appeal.title}”"
    plan: list[tuple[list[User], str, str, tuple[str, ...]]] = []
    sms = ("inbox", "sms", "email")
    inbox = ("inbox",)
    if code == "filed":
        plan.append(
            (
                _platform_staff(),
                "新诉求待派发",
                f"{subject}已受理，请于{_due(appeal.dispatch_due_at)}前研判派发。",
                inbox,
            )
        )
        plan.append(
            (
                _enterprise_users(appeal),
                "诉求已受理",
                f"您的{subject}已受理，平台将尽快派发至相关部门。",
                inbox,
            )
        )
    elif code == "dispatched":
        plan.append(
            (
                _department_handlers(appeal.department_id),
                "新派单",
                f"{subject}已派发给贵单位，请于{_due(_contact_due(appeal))}前联系企业，"
                f"{_due(appeal.respond_due_at)}前办结反馈。",
                sms,
            )
        )
        plan.append(
            (
                _enterprise_users(appeal),
                "诉求已派发",
                f"您的{subject}已派发至{appeal.department}办理。",
                inbox,
            )
        )
    elif code == "returned":
        plan.append(
            (_platform_staff(), "派单被退回", f"{subject}被承办部门退回，请重新研判派发。", inbox)
        )
    elif code == "extension_requested":
        plan.append(
            (
                _platform_staff(),
                "延期申请待审批",
                f"{appeal.department}申请延长{subject}的办理期限。",
                inbox,
            )
        )
    elif code in ("extension_approved", "extension_refused"):
        result = "已同意" if code == "extension_approved" else "未同意"
        plan.append(
            (
                _department_handlers(appeal.department_id),
                f"延期申请{result}",
                f"{subject}的延期申请{result}，应答期限：{_due(appeal.current_due_at)}。"
                f"法定期限{_due(appeal.respond_due_at)}仍计入考核。",
                inbox,
            )
        )
        if code == "extension_approved":
            plan.append(
                (
                    _enterprise_users(appeal),
                    "诉求办理期限延长",
                    f"{appeal.department}申请延长您的{subject}的办理期限，平台已同意，"
                    f"新的应答期限为{_due(appeal.current_due_at)}。",
                    inbox,
                )
            )
    elif code == "responded":
        plan.append(
            (
                _enterprise_users(appeal),
                "诉求已答复",
                f"{appeal.department}已答复您的{subject}，请登录查看并评价。",
                sms,
            )
        )
        plan.append(
            (
                _platform_staff(),
                "待电话回访",
                f"{subject}已应答，请于{_due(appeal.followup_due_at)}前电话回访。",
                inbox,
            )
        )
    elif code == "rated_online":
        plan.append(
            (
                _platform_staff(),
                "企业已在线评价，待电话回访",
                f"企业已在线评价{subject}，请于{_due(appeal.followup_due_at)}前电话回访确认。",
                inbox,
            )
        )
    elif code == "unsatisfied":
        plan.append(
            (
                _platform_staff(),
                "企业不满意，待重新派发",
                f"企业对{subject}的办理结果不满意，请重新研判派发。",
                inbox,
            )
        )
    elif code == "supervised":
        heads = [
            u
            for u in _department_handlers(appeal.department_id or _last_department(appeal))
            if u.has_role(Role.DEPARTMENT_ADMIN)
        ]
        plan.append(
            (
                _supervisors() + heads + _platform_staff(),
                "督办通知",
                f"{subject}已列入督办件，请督促办理直至企业满意。",
                sms,
            )
        )
    elif code == "closed":
        plan.append(
            (_enterprise_users(appeal), "诉求已办结", f"您的{subject}已办结，感谢您的评价。", inbox)
        )
    elif code == "overdue":
        plan.append(
            (
                _responsible(appeal),
                "诉求已超期",
                f"{subject}已超过{extra.get('what', '办理')}期限，请立即处理。",
                sms,
            )
        )
    for users, title, body, channels in plan:
        unique = list({u.pk: u for u in users}.values())
        if unique:
            notify(
                users=unique,
                code="generic",
                context={"title": title, "body": body},
                url=url,
                channels=channels,
            )


def _contact_due(appeal: Appeal) -> Any:
    assignment = appeal.assignments.order_by("-round").first()
    return assignment.contact_due_at if assignment else None


def _last_department(appeal: Appeal) -> int | None:
    last = appeal.assignments.order_by("-round").values_list("department_id", flat=True).first()
    return last


def _responsible(appeal: Appeal) -> list[User]:
    """Whoever must act at the appeal's current stage."""
    if appeal.stage == "dispatched":
        return _department_handlers(appeal.department_id)
    return _platform_staff()


def reminder_targets(appeal: Appeal) -> list[User]:
    return _responsible(appeal)
