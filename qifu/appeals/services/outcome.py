"""The outcome: the enterprise's online rating, 电话回访 by the platform, 办结, 督办 (arts. 16–17),
and the platform's housekeeping: merging duplicates, internal notes.

The 回访 stage is complete only when platform staff record the call (or visit): the enterprise's
online rating adds to it, never replaces it. Where the enterprise already rated online, the call
confirms that rating in one step. Unsatisfied (online or on the call) → back to 研判 for
re-dispatch; the third dissatisfaction with the same department's answers makes a 督办件, which
cannot be closed until the enterprise is satisfied.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from qifu.accounts.models import Department, User
from qifu.appeals.models import (
    Appeal,
    AppealAction,
    AppealEvent,
    Assignment,
    AssignmentOutcome,
    Evaluation,
    Satisfaction,
    Stage,
)
from qifu.appeals.services.common import (
    FOLLOWUP_WAYS,
    SUPERVISION_THRESHOLD,
    current_assignment,
    send_notifications,
)
from qifu.appeals.workflow import PROCESS
from qifu.core.workflow import Step, TransitionNotAllowed

A = AppealAction


def parse_satisfaction(satisfied: bool, level: str | None) -> str:
    if level:
        if level not in Satisfaction.values:
            raise ValidationError({"level": "满意度应为满意、基本满意或不满意。"})
        if (level != Satisfaction.UNSATISFIED) != bool(satisfied):
            raise ValidationError({"level": "满意度与“是否满意”不一致。"})
        return level
    return Satisfaction.SATISFIED if satisfied else Satisfaction.UNSATISFIED


def check_score(score: Any) -> int:
    try:
        value = int(score)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        raise ValidationError({"score": "评分应为1至5分。"})
    return value


def latest_online_rating(appeal: Appeal) -> Evaluation | None:
    """The enterprise's own rating of the current response, if it gave one."""
    if appeal.responded_at is None:
        return None
    return (
        appeal.evaluations.filter(
            source=Evaluation.Source.ENTERPRISE, created_at__gte=appeal.responded_at
        )
        .order_by("-created_at", "-id")
        .first()
    )


def _record(
    step: Step,
    *,
    source: str,
    satisfaction: str,
    score: int,
    comment: str,
    **call: Any,
) -> Evaluation:
    locked = step.obj
    assignment = current_assignment(locked)
    evaluation = Evaluation.objects.create(
        appeal=locked,
        assignment=assignment,
        source=source,
        satisfaction=satisfaction,
        score=score,
        comment=comment.strip(),
        by=step.actor,
        **call,
    )
    satisfied = satisfaction != Satisfaction.UNSATISFIED
    if assignment is not None:
        Assignment.objects.filter(pk=assignment.pk).update(
            outcome=AssignmentOutcome.SATISFIED if satisfied else AssignmentOutcome.UNSATISFIED
        )
    step.note = f"{Satisfaction(satisfaction).label}，{score}分。{comment.strip()}".strip()
    step.data = {"satisfaction": satisfaction, "score": score}
    step.extra = {"department": assignment.department if assignment else None}
    if not satisfied:
        # Back to 研判 for re-dispatch, with a new same-day dispatch deadline.
        step.go(Stage.TRIAGED)
        locked.followup_due_at = None
        locked.respond_due_at = None
        locked.extended_due_at = None
        if assignment is not None:
            _maybe_supervise(step, assignment.department)
        step.then(lambda: send_notifications("unsatisfied", locked))
    return evaluation


def _maybe_supervise(step: Step, department: Department) -> None:
    """Art. 17: the 3rd dissatisfaction with the same department makes a 督办件."""
    locked = step.obj
    if locked.is_supervised:
        return
    count = locked.assignments.filter(
        department=department, outcome=AssignmentOutcome.UNSATISFIED
    ).count()
    if count >= SUPERVISION_THRESHOLD:
        _supervise(
            step,
            note=f"同一诉求重派{department.display_name}后，企业第{count}次不满意，列入督办件。",
            main=False,
        )


def _supervise(step: Step, *, note: str, main: bool) -> None:
    locked = step.obj
    locked.is_supervised = True
    locked.supervised_at = step.now
    if main:
        step.note = note
    else:
        step.record(A.SUPERVISE, note=note, after=True)
    step.then(lambda: send_notifications("supervised", locked))


def appeal_evaluate(
    *,
    appeal: Appeal,
    user: User,
    satisfied: bool,
    score: int,
    comment: str = "",
    level: str | None = None,
) -> Evaluation:
    """The enterprise rates the response online (once the department has responded). Satisfied,
    the appeal still waits for the platform's call; unsatisfied, it goes back for re-dispatch."""
    satisfaction = parse_satisfaction(satisfied, level)
    value = check_score(score)
    with PROCESS.act(appeal, A.EVALUATE, actor=user) as step:
        evaluation = _record(
            step,
            source=Evaluation.Source.ENTERPRISE,
            satisfaction=satisfaction,
            score=value,
            comment=comment,
        )
        if step.target is None:
            step.then(lambda: send_notifications("rated_online", step.obj))
    return evaluation


def appeal_followup(
    *,
    appeal: Appeal,
    user: User,
    satisfied: bool | None = None,
    score: int | None = None,
    comment: str = "",
    level: str | None = None,
    way: str = "phone",
    person: str = "",
    contacted_at: dt.datetime | None = None,
    confirm_online: bool = False,
    close: bool = False,
    close_note: str = "",
) -> Evaluation:
    """电话回访 by platform staff with the satisfaction survey (art. 16): how, whom, when and the
    enterprise's answer. `confirm_online` takes the answer from the enterprise's own online
    rating (the call confirms it); `close` closes a satisfied appeal in the same step."""
    errors: dict[str, str] = {}
    if way not in FOLLOWUP_WAYS:
        errors["way"] = "请选择回访方式（电话或上门）。"
    if len(person) > 50:
        errors["person"] = "受访人不超过50个字。"
    if contacted_at is not None and contacted_at > timezone.now() + dt.timedelta(minutes=5):
        errors["contacted_at"] = "回访时间不能晚于当前时间。"
    if not confirm_online:
        if satisfied is None and not level:
            errors["level"] = "请选择企业的满意度。"
        if score is None:
            errors["score"] = "请选择评分。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        with PROCESS.act(appeal, A.FOLLOWUP, actor=user) as step:
            locked = step.obj
            when = contacted_at or step.now
            if locked.responded_at and when < locked.responded_at:
                raise ValidationError({"contacted_at": "回访时间不能早于部门应答时间。"})
            if confirm_online:
                online = latest_online_rating(locked)
                if online is None:
                    raise ValidationError({"confirm_online": "企业尚未在线评价，请记录回访结果。"})
                satisfaction, value = online.satisfaction, online.score
                comment = comment or online.comment
            else:
                satisfaction = parse_satisfaction(bool(satisfied), level)
                value = check_score(score)
            if locked.followup_due_at and when > locked.followup_due_at:
                locked.was_overdue = True
            evaluation = _record(
                step,
                source=Evaluation.Source.FOLLOWUP,
                satisfaction=satisfaction,
                score=value,
                comment=comment,
                way=way,
                contact_person=person.strip(),
                contacted_at=when,
                confirms_online=confirm_online,
            )
            who = f"，受访人{person.strip()}" if person.strip() else ""
            step.note = f"{FOLLOWUP_WAYS[way]}{who}：{step.note}"
            if confirm_online:
                step.note += "（确认企业在线评价）"
            step.data.update(way=way, contacted_at=when.isoformat())
            satisfied_now = evaluation.satisfied
            if satisfied_now:
                step.go(Stage.FOLLOWED_UP)
                locked.followed_up_at = when
        if close and satisfied_now:
            appeal_close(appeal=locked, user=user, note=close_note)
    return evaluation


def appeal_close(*, appeal: Appeal, user: User, note: str = "") -> Appeal:
    """办结 after a satisfied 电话回访 by the platform (the online rating alone is not enough)."""
    with PROCESS.act(appeal, A.CLOSE, actor=user) as step:
        locked = step.obj
        latest = (
            locked.evaluations.filter(source=Evaluation.Source.FOLLOWUP)
            .order_by("-created_at", "-id")
            .first()
        )
        if latest is None or not latest.satisfied:
            raise TransitionNotAllowed(
                "平台尚未完成电话回访或企业尚未表示满意，不能办结（督办件须督促办理直至企业满意）。"
            )
        locked.closed_at = step.now
        step.note = note
        step.then(lambda: send_notifications("closed", locked))
    return locked


def appeal_supervise(*, appeal: Appeal, user: User, note: str) -> Appeal:
    """A supervisor or platform staff put an appeal under supervision by hand."""
    with PROCESS.act(appeal, A.SUPERVISE, actor=user) as step:
        if step.obj.is_supervised:
            raise TransitionNotAllowed("该诉求已是督办件。")
        _supervise(step, note=note or "列入督办。", main=True)
    return step.obj


def appeal_merge(*, duplicate: Appeal, into: Appeal, user: User, note: str = "") -> Appeal:
    """Merge a duplicate of the same enterprise into another open appeal; both histories stay."""
    if duplicate.pk == into.pk:
        raise ValidationError({"into": "不能合并到自身。"})
    if duplicate.enterprise_id != into.enterprise_id:
        raise ValidationError({"into": "只能合并同一企业的诉求。"})
    if into.stage == Stage.CLOSED or into.merged_into_id:
        raise ValidationError({"into": "目标诉求已办结或已被合并。"})
    with transaction.atomic():
        with PROCESS.act(duplicate, A.MERGED, actor=user) as step:
            locked = step.obj
            locked.merged_into = into
            locked.closed_at = step.now
            step.note = f"与诉求{into.number}重复，已合并办理。{note}".strip()
            step.data = {"into": into.number}
        with PROCESS.act(into, A.MERGE, actor=user) as target:
            target.note = f"合并重复诉求{locked.number}：{locked.title}"
            target.data = {"duplicate": locked.number}
    return locked


def appeal_note(*, appeal: Appeal, user: User, note: str, files: list[Any] | None = None) -> Any:
    """An internal note between platform and department (with internal files); never shown to
    the enterprise."""
    if not note.strip():
        raise ValidationError({"note": "请填写备注内容。"})
    with PROCESS.act(appeal, A.NOTE, actor=user) as step:
        step.note = note
        if files:
            from qifu.appeals.services.attachments import store_attachments

            step.then(
                lambda: store_attachments(
                    step.obj, user=user, files=files, is_public=False, event=step.events[-1]
                )
            )
    event: AppealEvent = step.events[-1]
    return event
