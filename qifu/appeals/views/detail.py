"""The detail page, its workflow actions (one POST endpoint each) and attachment downloads.

A transition the stage no longer allows (someone else acted first) becomes a message on the
page, not an error."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from qifu.appeals import selectors, services, similarity
from qifu.appeals.forms import (
    CloseForm,
    ContactForm,
    DispatchForm,
    EvaluationForm,
    ExtensionDecisionForm,
    ExtensionForm,
    MergeForm,
    NoteForm,
    RespondForm,
    ReturnForm,
    SuperviseForm,
    TriageForm,
)
from qifu.appeals.models import (
    AWAITING_DISPATCH,
    OPEN_STAGES,
    Appeal,
    AppealEvent,
    Attachment,
    ExtensionStatus,
    Satisfaction,
    Stage,
)
from qifu.appeals.services import ACTION_LABELS, TransitionNotAllowed, is_platform_staff
from qifu.appeals.views.common import apply_form_errors, require_access

TIMELINE_STAGES = [
    Stage.RECEIVED,
    Stage.TRIAGED,
    Stage.DISPATCHED,
    Stage.RESPONDED,
    Stage.FOLLOWED_UP,
    Stage.CLOSED,
]


def _stage_steps(appeal: Appeal) -> list[dict[str, Any]]:
    current = TIMELINE_STAGES.index(Stage(appeal.stage))
    return [
        {
            "label": stage.label,
            "state": "done"
            if i < current or appeal.stage == Stage.CLOSED
            else "current"
            if i == current
            else "todo",
        }
        for i, stage in enumerate(TIMELINE_STAGES)
    ]


def _timeline(appeal: Appeal) -> list[dict[str, Any]]:
    attachments: dict[int, list[Attachment]] = {}
    for attachment in appeal.visible_attachments:  # type: ignore[attr-defined]
        if attachment.event_id:
            attachments.setdefault(attachment.event_id, []).append(attachment)
    rows: list[dict[str, Any]] = []
    for event in appeal.events.all():
        rows.append(
            {
                "event": event,
                "label": ACTION_LABELS.get(event.action, event.action),
                "attachments": attachments.get(event.pk, []),
            }
        )
    return rows


def _detail_context(
    request: HttpRequest, appeal: Appeal, bound: dict[str, django_forms.Form] | None = None
) -> dict[str, Any]:
    user: Any = request.user
    bound = bound or {}
    is_enterprise = bool(user.enterprise_id)
    appeal.visible_attachments = [  # type: ignore[attr-defined]
        a for a in appeal.attachments.all() if a.is_public or not is_enterprise
    ]
    staff = is_platform_staff(user)
    handling = bool(
        user.is_government
        and user.department_id
        and user.department_id == appeal.department_id
        and not staff
    ) or (user.is_superuser and appeal.stage == Stage.DISPATCHED)
    open_stage = appeal.stage in OPEN_STAGES and not appeal.merged_into_id
    now = timezone.now()
    ctx: dict[str, Any] = {
        "appeal": appeal,
        "steps": _stage_steps(appeal),
        "timeline": _timeline(appeal),
        "general_attachments": [
            a
            for a in appeal.visible_attachments  # type: ignore[attr-defined]
            if a.event_id is None
        ],
        "is_enterprise": is_enterprise,
        "is_staff": staff,
        "is_handling": handling,
        "overdue": appeal.is_overdue(now),
        "actions": {},
    }
    actions: dict[str, django_forms.Form] = ctx["actions"]

    def offer(name: str, form_class: type[django_forms.Form], **initial: Any) -> None:
        actions[name] = bound.get(name) or form_class(initial=initial, prefix=name)

    if not is_enterprise:
        ctx["assignments"] = list(
            appeal.assignments.select_related("department").prefetch_related("co_departments")
        )
        ctx["extensions"] = list(
            appeal.extensions.select_related("requested_by").order_by("-created_at")
        )
    if is_enterprise and appeal.stage in services.ALLOWED["evaluate"]:
        offer("evaluate", EvaluationForm)
    if staff and open_stage:
        if appeal.stage in AWAITING_DISPATCH:
            suggestions = similarity.suggest_departments(appeal)
            ctx["suggestions"] = suggestions
            ctx["duplicates"] = similarity.likely_duplicates(appeal)
            proposed = appeal.department or (suggestions[0].department if suggestions else None)
            offer(
                "triage",
                TriageForm,
                category=appeal.category_id,
                department=proposed.pk if proposed else None,
            )
            offer("dispatch", DispatchForm, department=proposed.pk if proposed else None)
        if appeal.stage == Stage.DISPATCHED:
            ctx["decisions"] = [
                (
                    ext,
                    bound.get(f"decide-{ext.pk}")
                    or ExtensionDecisionForm(
                        initial={"extension": ext.pk, "approve": "1"}, prefix=f"decide-{ext.pk}"
                    ),
                )
                for ext in ctx["extensions"]
                if ext.status == ExtensionStatus.PENDING
            ]
        if appeal.stage == Stage.RESPONDED:
            offer("followup", EvaluationForm)
        if appeal.stage == Stage.FOLLOWED_UP:
            offer("close", CloseForm)
        if not appeal.is_supervised:
            offer("supervise", SuperviseForm)
    if handling and appeal.stage == Stage.DISPATCHED:
        if appeal.accepted_at is None:
            actions["accept"] = django_forms.Form()
        offer("contact", ContactForm, way="phone")
        offer("respond", RespondForm)
        if not any(e.status == ExtensionStatus.PENDING for e in ctx["extensions"]):
            offer("extend", ExtensionForm, working_days=2)
        offer("return", ReturnForm)
    if (staff or handling) and open_stage:
        offer("note", NoteForm)
    return ctx


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = selectors.appeal_with_details(user=request.user, pk=pk)
    return render(request, "appeals/detail.html", _detail_context(request, appeal))


@dataclass(frozen=True)
class Action:
    who: str  # staff, department (the handling one), enterprise, either (staff or department)
    form: type[django_forms.Form] | None
    run: Callable[[HttpRequest, Appeal, dict[str, Any]], str]
    files: bool = False


def _user(request: HttpRequest) -> Any:
    return request.user


def _run_triage(request: HttpRequest, appeal: Appeal, d: dict[str, Any]) -> str:
    services.appeal_triage(
        appeal=appeal,
        user=_user(request),
        category=d["category"],
        department=d["department"],
        note=d["note"],
    )
    return "已保存研判意见。"


def _run_dispatch(request: HttpRequest, appeal: Appeal, d: dict[str, Any]) -> str:
    services.appeal_dispatch(
        appeal=appeal,
        user=_user(request),
        department=d["department"],
        note=d["note"],
        co_departments=list(d["co_departments"]),
    )
    return f"已派发至{d['department'].name}，部门将收到通知。"


def _run_merge(request: HttpRequest, appeal: Appeal, d: dict[str, Any]) -> str:
    into = selectors.appeal_get(user=_user(request), pk=d["into"])
    services.appeal_merge(duplicate=appeal, into=into, user=_user(request))
    return f"已将本诉求并入{into.number}，两条诉求的流转记录均保留。"


def _level(d: dict[str, Any]) -> dict[str, Any]:
    return {
        "satisfied": d["level"] != Satisfaction.UNSATISFIED,
        "level": d["level"],
        "score": d["score"],
        "comment": d["comment"],
    }


def _run_followup(request: HttpRequest, appeal: Appeal, d: dict[str, Any]) -> str:
    services.appeal_followup(appeal=appeal, user=_user(request), **_level(d))
    return "已记录电话回访结果。"


def _run_evaluate(request: HttpRequest, appeal: Appeal, d: dict[str, Any]) -> str:
    services.appeal_evaluate(appeal=appeal, user=_user(request), **_level(d))
    return "感谢您的评价。"


def _run_close(request: HttpRequest, appeal: Appeal, d: dict[str, Any]) -> str:
    services.appeal_close(appeal=appeal, user=_user(request), note=d["note"])
    return "诉求已办结。"


def _run_supervise(request: HttpRequest, appeal: Appeal, d: dict[str, Any]) -> str:
    services.appeal_supervise(appeal=appeal, user=_user(request), note=d["note"])
    return "已列入督办件。"


def _run_decide(request: HttpRequest, appeal: Appeal, d: dict[str, Any]) -> str:
    extension = appeal.extensions.filter(pk=d["extension"]).first()
    if extension is None:
        raise Http404("未找到该延期申请。")
    decided = services.appeal_extension_decide(
        extension=extension, user=_user(request), approve=d["approve"], note=d["note"]
    )
    if decided.new_due_at:
        return (
            f"已同意延期，新的应答期限为{timezone.localtime(decided.new_due_at):%Y-%m-%d %H:%M}。"
        )
    return "已不同意延期，原期限不变。"


def _run_accept(request: HttpRequest, appeal: Appeal, d: dict[str, Any]) -> str:
    services.appeal_accept(appeal=appeal, user=_user(request))
    return "已签收，请及时联系企业。"


def _run_contact(request: HttpRequest, appeal: Appeal, d: dict[str, Any]) -> str:
    services.appeal_contact(
        appeal=appeal,
        user=_user(request),
        way=d["way"],
        content=d["content"],
        contacted_at=d["contacted_at"],
    )
    return "已记录联系情况。"


def _run_return(request: HttpRequest, appeal: Appeal, d: dict[str, Any]) -> str:
    services.appeal_return(appeal=appeal, user=_user(request), reason=d["reason"])
    return "已退回平台重新研判。"


def _run_extend(request: HttpRequest, appeal: Appeal, d: dict[str, Any]) -> str:
    services.appeal_extension_request(
        appeal=appeal, user=_user(request), working_days=d["working_days"], reason=d["reason"]
    )
    return "延期申请已提交，等待平台审批。"


def _latest_event(appeal: Appeal, action: str) -> AppealEvent | None:
    return appeal.events.filter(action=action).order_by("-at", "-id").first()


def _run_respond(request: HttpRequest, appeal: Appeal, d: dict[str, Any]) -> str:
    with transaction.atomic():
        services.appeal_respond(appeal=appeal, user=_user(request), result=d["result"])
        if d["attachments"]:
            services.appeal_attachments_add(
                appeal=appeal,
                user=_user(request),
                files=d["attachments"],
                is_public=True,
                event=_latest_event(appeal, "respond"),
            )
    return "已提交办理结果，平台将回访企业。"


def _run_note(request: HttpRequest, appeal: Appeal, d: dict[str, Any]) -> str:
    with transaction.atomic():
        event = services.appeal_note(appeal=appeal, user=_user(request), note=d["note"])
        if d["attachments"]:
            services.appeal_attachments_add(
                appeal=appeal,
                user=_user(request),
                files=d["attachments"],
                is_public=False,
                event=event,
            )
    return "已添加内部备注。"


ACTIONS: dict[str, Action] = {
    "triage": Action("staff", TriageForm, _run_triage),
    "dispatch": Action("staff", DispatchForm, _run_dispatch),
    "merge": Action("staff", MergeForm, _run_merge),
    "followup": Action("staff", EvaluationForm, _run_followup),
    "close": Action("staff", CloseForm, _run_close),
    "supervise": Action("staff", SuperviseForm, _run_supervise),
    "decide": Action("staff", ExtensionDecisionForm, _run_decide),
    "accept": Action("department", None, _run_accept),
    "contact": Action("department", ContactForm, _run_contact),
    "return": Action("department", ReturnForm, _run_return),
    "extend": Action("department", ExtensionForm, _run_extend),
    "respond": Action("department", RespondForm, _run_respond, files=True),
    "note": Action("either", NoteForm, _run_note, files=True),
    "evaluate": Action("enterprise", EvaluationForm, _run_evaluate),
}


def _may(user: Any, who: str) -> bool:
    if who == "staff":
        return is_platform_staff(user)
    if who == "department":
        return bool(user.is_superuser or (user.is_government and user.department_id))
    if who == "enterprise":
        return bool(user.enterprise_id)
    return bool(is_platform_staff(user) or (user.is_government and user.department_id))


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One POST endpoint per workflow action; success and conflicts both redirect to the detail."""
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404("未知的操作。")
    appeal = selectors.appeal_get(user=request.user, pk=pk)
    require_access(_may(request.user, spec.who))
    prefix = action
    if action == "decide":
        prefix = f"decide-{request.POST.get('extension_id', '')}"
    form: django_forms.Form | None = None
    data: dict[str, Any] = {}
    if spec.form is not None:
        form = spec.form(request.POST, request.FILES if spec.files else None, prefix=prefix)
        if not form.is_valid():
            return _rerender(request, appeal, prefix, form)
        data = form.cleaned_data
    try:
        message = spec.run(request, appeal, data)
    except TransitionNotAllowed as conflict:
        messages.error(request, str(conflict))
        return redirect("appeals:detail", pk=appeal.pk)
    except ValidationError as error:
        if form is None or all(field.is_hidden for field in form):
            # Nothing on the page to show the error next to (签收, 合并): say it as a message.
            messages.error(request, "；".join(error.messages))
            return redirect("appeals:detail", pk=appeal.pk)
        apply_form_errors(form, error)
        return _rerender(request, appeal, prefix, form)
    messages.success(request, message)
    return redirect("appeals:detail", pk=appeal.pk)


def _rerender(
    request: HttpRequest, appeal: Appeal, prefix: str, form: django_forms.Form
) -> HttpResponse:
    messages.error(request, "提交的内容有误，请按提示修改。")
    fresh = selectors.appeal_with_details(user=request.user, pk=appeal.pk)
    ctx = _detail_context(request, fresh, bound={prefix: form})
    return render(request, "appeals/detail.html", ctx, status=400)


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """A file of an appeal the user may see; internal files never reach the enterprise."""
    user: Any = request.user
    attachment = (
        Attachment.objects.filter(pk=pk, appeal__in=Appeal.objects.for_user(user))
        .select_related("appeal")
        .first()
    )
    if attachment is None or (user.enterprise_id and not attachment.is_public):
        raise Http404("未找到，或您无权查看。")
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type or "application/octet-stream",
    )
    return response
