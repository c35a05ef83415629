"""The steps of the supervision ladder, each an action of the appeals process (催办, 列入通报),
taken by a supervisor or platform staff from the board, or by the platform's sweep once the
thresholds pass. Each step writes its history row and notifies the department's leader (its
administrator, 部门管理员) through the outbox, in the step's own transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from qifu.accounts.models import Department, Role, User
from qifu.appeals.models import Appeal, AppealAction
from qifu.appeals.workflow import PROCESS
from qifu.core.workflow import Step, TransitionNotAllowed
from qifu.supervision import selectors

A = AppealAction
NOTE_MAX = 500


def _clean_note(note: str) -> str:
    text = "".join(c for c in (note or "") if c in "\n\t" or c.isprintable()).strip()
    if len(text) > NOTE_MAX:
        raise ValidationError({"note": f"说明不能超过{NOTE_MAX}字。"})
    return text


def department_leaders(department: Department | None) -> list[User]:
    """The department's leader on the platform: its administrator (部门管理员, art. 11)."""
    if department is None:
        return []
    return list(
        User.objects.filter(
            is_active=True, department=department, role_grants__role=Role.DEPARTMENT_ADMIN
        ).distinct()
    )


def _handlers(department: Department | None) -> list[User]:
    if department is None:
        return []
    return list(
        User.objects.filter(
            is_active=True, department=department, role_grants__role=Role.DEPARTMENT_HANDLER
        ).distinct()
    )


def _supervisors() -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, role_grants__role__in=[Role.SUPERVISOR, Role.PLATFORM_STAFF]
        ).distinct()
    )


def _on_board(appeal_pk: int, now: dt.datetime) -> Any:
    row = selectors.board(now).filter(pk=appeal_pk).first()
    if row is None:
        raise TransitionNotAllowed("该诉求不在督办台上（已办结，或既非督办件也未长期超期）。")
    return row


def _subject(appeal: Appeal) -> str:
    return f"诉求{appeal.number}“{appeal.title}”"


def supervision_urge(
    *, appeal: Appeal | int, user: Any, note: str = "", seen: int | None = None
) -> Appeal:
    """催办: press the department; its leader and handlers are told (inbox, SMS, e-mail).

    `seen` is the number of 催办 the page showed: a second click of the same button (or a
    colleague's 催办 in between) is refused instead of pressing twice."""
    text = _clean_note(note)
    pk = appeal.pk if isinstance(appeal, Appeal) else appeal
    with PROCESS.act(pk, A.URGE, actor=user) as step:
        row = _on_board(pk, step.now)
        if seen is not None and seen != step.obj.urge_count:
            raise TransitionNotAllowed("该诉求刚刚已被催办，请刷新后查看。")
        if user is None and row.next_step != "urge":
            raise TransitionNotAllowed("尚未到自动催办的时间。")
        department = selectors.responsible_department(step.obj)
        step.obj.urged_at = step.now
        step.obj.urge_count = (step.obj.urge_count or 0) + 1
        kind = "督办件" if row.is_supervised else "超期派单"
        step.note = text or f"{kind}第{step.obj.urge_count}次催办，请立即办理并反馈。"
        step.data = {"urge_count": step.obj.urge_count, "kind": kind}
        step.extra = {"department": department}
        _notify(
            step,
            department_leaders(department) + _handlers(department),
            "督办催办",
            f"{_subject(step.obj)}（{kind}）被催办：{step.note}逾期未办将列入下期通报。",
        )
    return step.obj


def supervision_escalate(*, appeal: Appeal | int, user: Any, note: str = "") -> Appeal:
    """列入通报: after a 催办 on this time on the board, list the case for the next report."""
    text = _clean_note(note)
    pk = appeal.pk if isinstance(appeal, Appeal) else appeal
    with PROCESS.act(pk, A.ESCALATE, actor=user) as step:
        row = _on_board(pk, step.now)
        if row.level < 1 or (
            step.obj.escalated_at is not None
            and step.obj.urged_at is not None
            and step.obj.escalated_at >= step.obj.urged_at
        ):
            raise TransitionNotAllowed("请先催办；催办后仍未办理的，才能列入通报。")
        if user is None and row.next_step != "escalate":
            raise TransitionNotAllowed("尚未到自动列入通报的时间。")
        department = selectors.responsible_department(step.obj)
        step.obj.escalated_at = step.now
        step.note = text or "催办后仍未办理，列入下期通报。"
        step.data = {"level": 2}
        step.extra = {"department": department}
        _notify(
            step,
            department_leaders(department) + _supervisors(),
            "督办件列入通报",
            f"{_subject(step.obj)}催办后仍未办理，已列入下期通报：{step.note}",
        )
    return step.obj


def _notify(step: Step, users: list[User], title: str, body: str) -> None:
    step.notify(users, title, body, channels=("inbox", "sms", "email"))


def supervision_sweep(*, now: dt.datetime | None = None, limit: int = 500) -> dict[str, int]:
    """The ladder's automatic steps (by 系统): 催办 where due, then 通报 where due. Each step
    re-checks on the locked row, so a second run (or a supervisor's click in between) does not
    act twice."""
    now = now or timezone.now()
    result = {"urged": 0, "escalated": 0}
    due = selectors.board(now).exclude(Q(next_step=""))
    for row in list(due.only("pk")[:limit]):
        pk, step_name = row.pk, row.next_step  # type: ignore[attr-defined]
        try:
            if step_name == "urge":
                supervision_urge(appeal=pk, user=None)
                result["urged"] += 1
            else:
                supervision_escalate(appeal=pk, user=None)
                result["escalated"] += 1
        except TransitionNotAllowed:
            continue
    return result
