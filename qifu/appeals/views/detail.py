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
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from qifu.accounts.access import is_platform_staff
from qifu.appeals import selectors, services, similarity
from qifu.appeals.forms import (
    CloseForm,
    ContactForm,
    DispatchForm,
    EvaluationForm,
    ExtensionDecisionForm,
    ExtensionForm,
    FollowupForm,
    MergeForm,
    NoteForm,
    RespondForm,
    ReturnForm,
    SuperviseForm,
    TriageForm,
)
from qifu.appeals.models import (
    Appeal,
    AppealAction,
    Attachment,
    ExtensionStatus,
    Satisfaction,
    Stage,
)
from qifu.appeals.services import TransitionNotAllowed
from qifu.appeals.workflow import PROCESS
from qifu.core.forms import apply_errors as apply_form_errors
from qifu.core.uploads import download_response

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


def _timeline(appeal: Appeal, *, internal: bool) -> list[dict[str, Any]]:
    attachments: dict[int, list[Attachment]] = {}
    for attachment in appeal.visible_attachments:  # type: ignore[attr-defined]
        if attachment.event_id:
            attachments.setdefault(attachment.event_id, []).append(attachment)
    return [
        {
            "event": event,
            "label": event.get_action_display(),
            "note": selectors.event_note(event, internal=internal),
            "attachments": attachments.get(event.pk, []),
        }
        for event in appeal.events.all()
    ]


def _detail_context(
    request: HttpRequest, appeal: Appeal, bound: dict[str, django_forms.Form] | None = None
) -> dict[str, Any]:
    """The page and the actions the viewer may take now: each offered by the same permission
    rule (the process table) that the service enforces."""
    user: Any = request.user
    bound = bound or {}
    is_enterprise = bool(user.enterprise_id)
    appeal.visible_attachments = [  # type: ignore[attr-defined]
        a for a in appeal.attachments.all() if a.is_public or not is_enterprise
    ]
    can = set(PROCESS.offered(user, appeal)) if not appeal.merged_into_id else set()
    staff = is_platform_staff(user)
    now = timezone.now()
    assignment = services.current_assignment(appeal)
    ctx: dict[str, Any] = {
        "appeal": appeal,
        "steps": _stage_steps(appeal),
        "timeline": _timeline(appeal, internal=not is_enterprise),
        "general_attachments": [
            a
            for a in appeal.visible_attachments  # type: ignore[attr-defined]
            if a.event_id is None
        ],
        "is_enterprise": is_enterprise,
        "is_staff": staff,
        "is_handling": AppealAction.RESPOND in can or AppealAction.CONTACT in can,
        "late_now": appeal.is_late_now(now),
        "overdue": appeal.is_overdue(now),
        "current_round": assignment,
        "actions": {},
    }
    actions: dict[str, django_forms.Form] = ctx["actions"]

    def offer(name: str, form_class: type[django_forms.Form], **initial: Any) -> None:
        if name in bound:
            actions[name] = bound[name]
        else:
            actions[name] = form_class(initial=initial, prefix=name)

    def offer_with(name: str, form: django_forms.Form) -> None:
        actions[name] = bound.get(name) or form

    if not is_enterprise:
        ctx["assignments"] = list(
            appeal.assignments.select_related("department").prefetch_related("co_departments")
        )
        ctx["extensions"] = list(
            appeal.extensions.select_related("requested_by").order_by("-created_at")
        )
    if AppealAction.EVALUATE in can:
        offer("evaluate", EvaluationForm)
    if AppealAction.DISPATCH in can:
        suggestions = similarity.suggest_departments(appeal)
        ctx["suggestions"] = suggestions
        ctx["duplicates"] = similarity.likely_duplicates(appeal)
        proposed = appeal.department or (suggestions[0].department if suggestions else None)
        unlinked = appeal.enterprise_id is None
        initial = {"category": appeal.category_id, "department": proposed.pk if proposed else None}
        offer_with(
            "dispatch",
            DispatchForm(initial=initial, prefix="dispatch", needs_enterprise=unlinked),
        )
        offer_with(
            "triage", TriageForm(initial=initial, prefix="triage", needs_enterprise=unlinked)
        )
    if AppealAction.EXTENSION_APPROVED in can:
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
    if AppealAction.FOLLOWUP in can:
        online = services.latest_online_rating(appeal)
        ctx["online_rating"] = online
        offer_with("followup", FollowupForm(prefix="followup", online=online))
    if AppealAction.CLOSE in can:
        offer("close", CloseForm)
    if AppealAction.SUPERVISE in can and not appeal.is_supervised:
        offer("supervise", SuperviseForm)
    if AppealAction.ACCEPT in can and appeal.accepted_at is None:
        actions["accept"] = django_forms.Form()
    if AppealAction.CONTACT in can:
        offer("contact", ContactForm, way="phone", person=appeal.contact_name)
    if AppealAction.RESPOND in can:
        needs_contact = assignment is not None and assignment.first_contact_at is None
        offer_with(
            "respond",
            RespondForm(
                prefix="respond",
                needs_contact=needs_contact,
                initial={"contact_way": "phone", "contact_person": appeal.contact_name},
            ),
        )
    if AppealAction.EXTEND in can and not any(
        e.status == ExtensionStatus.PENDING for e in ctx.get("extensions", [])
    ):
        offer("extend", ExtensionForm, working_days=2)
    if AppealAction.RETURN in can:
        offer("return", ReturnForm)
    if AppealAction.NOTE in can:
        offer("note", NoteForm)
    return ctx


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = selectors.appeal_with_details(user=request.user, pk=pk)
    return render(request, "appeals/detail.html", _detail_context(request, appeal))


@dataclass(frozen=True)
class Action:
    rule: str  # the action of the process table whose permission decides who may post
    form: type[django_forms.Form] | None
    run: Callable[[HttpRequest, Appeal, dict[str, Any], Any], str]
    files: bool = False
    # Keyword arguments the form needs for this appeal (e.g. whether to ask for the contact).
    form_kwargs: Callable[[Appeal], dict[str, Any]] = lambda appeal: {}


def _user(request: HttpRequest) -> Any:
    return request.user


def _run_triage(request: HttpRequest, appeal: Appeal, d: dict[str, Any], form: Any) -> str:
    services.appeal_triage(
        appeal=appeal,
        user=_user(request),
        category=d["category"],
        department=d["department"],
        note=d["note"],
        enterprise=d.get("enterprise"),
    )
    return "已保存研判意见。"


def _run_dispatch(request: HttpRequest, appeal: Appeal, d: dict[str, Any], form: Any) -> str:
    services.appeal_dispatch(
        appeal=appeal,
        user=_user(request),
        department=d["department"],
        note=d["note"],
        co_departments=list(d["co_departments"]),
        category=d["category"],
        conclusion=d["conclusion"],
        enterprise=d.get("enterprise"),
    )
    return f"已研判并派发至{d['department'].name}，部门将收到通知。"


def _run_merge(request: HttpRequest, appeal: Appeal, d: dict[str, Any], form: Any) -> str:
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


def _run_followup(request: HttpRequest, appeal: Appeal, d: dict[str, Any], form: Any) -> str:
    confirm = bool(d.get("confirm_online"))
    evaluation = services.appeal_followup(
        appeal=appeal,
        user=_user(request),
        satisfied=None if confirm else d["level"] != Satisfaction.UNSATISFIED,
        level=None if confirm else d["level"],
        score=None if confirm else d["score"],
        comment=d["comment"],
        way=d["way"],
        person=d["person"],
        contacted_at=d["contacted_at"],
        confirm_online=confirm,
        close=d["close"],
    )
    if not evaluation.satisfied:
        return "已记录电话回访结果：企业不满意，诉求已退回研判，请重新派发。"
    return "已记录电话回访结果，诉求已办结。" if d["close"] else "已记录电话回访结果。"


def _run_evaluate(request: HttpRequest, appeal: Appeal, d: dict[str, Any], form: Any) -> str:
    services.appeal_evaluate(appeal=appeal, user=_user(request), **_level(d))
    return "感谢您的评价。平台工作人员将电话回访确认。"


def _run_close(request: HttpRequest, appeal: Appeal, d: dict[str, Any], form: Any) -> str:
    services.appeal_close(appeal=appeal, user=_user(request), note=d["note"])
    return "诉求已办结。"


def _run_supervise(request: HttpRequest, appeal: Appeal, d: dict[str, Any], form: Any) -> str:
    services.appeal_supervise(appeal=appeal, user=_user(request), note=d["note"])
    return "已列入督办件。"


def _run_decide(request: HttpRequest, appeal: Appeal, d: dict[str, Any], form: Any) -> str:
    extension = appeal.extensions.filter(pk=d["extension"]).first()
    if extension is None:
        raise Http404("未找到该延期申请。")
    decided = services.appeal_extension_decide(
        extension=extension, user=_user(request), approve=d["approve"], note=d["note"]
    )
    if decided.new_due_at:
        return (
            f"已同意延期，新的应答期限为{timezone.localtime(decided.new_due_at):%Y-%m-%d %H:%M}"
            "（法定期限仍计入考核）。"
        )
    return "已不同意延期，原期限不变。"


def _run_accept(request: HttpRequest, appeal: Appeal, d: dict[str, Any], form: Any) -> str:
    services.appeal_accept(appeal=appeal, user=_user(request))
    return "已签收，请及时联系企业。"


def _run_contact(request: HttpRequest, appeal: Appeal, d: dict[str, Any], form: Any) -> str:
    services.appeal_contact(
        appeal=appeal,
        user=_user(request),
        way=d["way"],
        content=d["content"],
        person=d["person"],
        contacted_at=d["contacted_at"],
    )
    return "已记录联系情况。"


def _run_return(request: HttpRequest, appeal: Appeal, d: dict[str, Any], form: Any) -> str:
    services.appeal_return(appeal=appeal, user=_user(request), reason=d["reason"])
    return "已退回平台重新研判。"


def _run_extend(request: HttpRequest, appeal: Appeal, d: dict[str, Any], form: Any) -> str:
    services.appeal_extension_request(
        appeal=appeal, user=_user(request), working_days=d["working_days"], reason=d["reason"]
    )
    return "延期申请已提交，等待平台审批。"


def _run_respond(request: HttpRequest, appeal: Appeal, d: dict[str, Any], form: Any) -> str:
    services.appeal_respond(
        appeal=appeal,
        user=_user(request),
        result=d["result"],
        contact=form.contact(),
        files=d["attachments"],
    )
    return "已提交办理结果，平台将电话回访企业。"


def _run_note(request: HttpRequest, appeal: Appeal, d: dict[str, Any], form: Any) -> str:
    services.appeal_note(appeal=appeal, user=_user(request), note=d["note"], files=d["attachments"])
    return "已添加内部备注。"


def _needs_enterprise(appeal: Appeal) -> dict[str, Any]:
    return {"needs_enterprise": appeal.enterprise_id is None}


def _needs_contact(appeal: Appeal) -> dict[str, Any]:
    assignment = services.current_assignment(appeal)
    return {"needs_contact": assignment is not None and assignment.first_contact_at is None}


def _online(appeal: Appeal) -> dict[str, Any]:
    return {"online": services.latest_online_rating(appeal)}


ACTIONS: dict[str, Action] = {
    "triage": Action(AppealAction.TRIAGE, TriageForm, _run_triage, form_kwargs=_needs_enterprise),
    "dispatch": Action(
        AppealAction.DISPATCH, DispatchForm, _run_dispatch, form_kwargs=_needs_enterprise
    ),
    "merge": Action(AppealAction.MERGED, MergeForm, _run_merge),
    "followup": Action(AppealAction.FOLLOWUP, FollowupForm, _run_followup, form_kwargs=_online),
    "close": Action(AppealAction.CLOSE, CloseForm, _run_close),
    "supervise": Action(AppealAction.SUPERVISE, SuperviseForm, _run_supervise),
    "decide": Action(AppealAction.EXTENSION_APPROVED, ExtensionDecisionForm, _run_decide),
    "accept": Action(AppealAction.ACCEPT, None, _run_accept),
    "contact": Action(AppealAction.CONTACT, ContactForm, _run_contact),
    "return": Action(AppealAction.RETURN, ReturnForm, _run_return),
    "extend": Action(AppealAction.EXTEND, ExtensionForm, _run_extend),
    "respond": Action(
        AppealAction.RESPOND, RespondForm, _run_respond, files=True, form_kwargs=_needs_contact
    ),
    "note": Action(AppealAction.NOTE, NoteForm, _run_note, files=True),
    "evaluate": Action(AppealAction.EVALUATE, EvaluationForm, _run_evaluate),
}


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One POST endpoint per workflow action; success and conflicts both redirect to the detail.

    Who may act is decided by the service (the process table's permission rule, on the locked
    row); a refusal is a 403 page, a stage that no longer allows it a message."""
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404("未知的操作。")
    appeal = selectors.appeal_get(user=request.user, pk=pk)
    rule = PROCESS.actions[spec.rule]
    if not rule.allowed(request.user, appeal):
        raise PermissionDenied(rule.refusal)
    prefix = action
    if action == "decide":
        prefix = f"decide-{request.POST.get('extension_id', '')}"
    form: django_forms.Form | None = None
    data: dict[str, Any] = {}
    if spec.form is not None:
        form = spec.form(
            request.POST,
            request.FILES if spec.files else None,
            prefix=prefix,
            **spec.form_kwargs(appeal),
        )
        if not form.is_valid():
            return _rerender(request, appeal, prefix, form)
        data = form.cleaned_data
    try:
        message = spec.run(request, appeal, data, form)
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
    return download_response(attachment.file, name=attachment.original_name)
