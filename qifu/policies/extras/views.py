"""Pages of interpretations, topics and lectures: public lists and details, staff editing."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qifu.core.audit import audit_record
from qifu.core.exports import xlsx_file_response
from qifu.core.forms import apply_errors as _add_errors
from qifu.policies.extras import exports, selectors, services
from qifu.policies.extras.forms import InterpretationForm, LectureForm, PublishableForm, TopicForm
from qifu.policies.forms import ReturnForm
from qifu.policies.models import Interpretation, InterpretationKind, Lecture, Topic
from qifu.publishing import services as publishing
from qifu.publishing.models import Publishable
from qifu.publishing.selectors import publication_history, revision_list
from qifu.publishing.views import (
    government_required,
    publication_action,
    saved_message,
    workflow_actions,
)

PAGE_SIZE = 20


@dataclass(frozen=True)
class Kind:
    """One kind of staff-edited content: its model, form, services and public page."""

    slug: str
    label: str
    model: type[Publishable]
    form: type[PublishableForm]
    create: Callable[..., Any]
    update: Callable[..., Any]
    public_url: str


KINDS = {
    "interpretations": Kind(
        "interpretations",
        "政策解读",
        Interpretation,
        InterpretationForm,
        services.interpretation_create,
        lambda item, actor, **c: services.interpretation_update(
            interpretation=item, actor=actor, **c
        ),
        "policies:interpretation_detail",
    ),
    "topics": Kind(
        "topics",
        "政策专题",
        Topic,
        TopicForm,
        services.topic_create,
        lambda item, actor, **c: services.topic_update(topic=item, actor=actor, **c),
        "policies:topic_detail",
    ),
    "lectures": Kind(
        "lectures",
        "政策在线讲堂",
        Lecture,
        LectureForm,
        services.lecture_create,
        lambda item, actor, **c: services.lecture_update(lecture=item, actor=actor, **c),
        "policies:lecture_detail",
    ),
}


def _kind(slug: str) -> Kind:
    kind = KINDS.get(slug)
    if kind is None:
        raise Http404("未知栏目。")
    return kind


def _stored_file(field: Any, *, download_name: str) -> FileResponse:
    if not field:
        raise Http404("没有该文件。")
    extension = field.name.rsplit(".", 1)[-1].lower()
    return FileResponse(
        field.open("rb"),
        filename=f"{download_name}.{extension}",
        content_type="image/png" if extension == "png" else "image/jpeg",
    )


# --- Public -----------------------------------------------------------------------------------


@require_GET
def interpretations(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.interpretation_public_list(), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "policies/extras/interpretations.html", {"page": page})


@require_GET
def interpretation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.interpretation_get_public(pk=pk)
    return render(
        request,
        "policies/extras/interpretation_detail.html",
        {"item": item, "kinds": InterpretationKind},
    )


@require_GET
def interpretation_image(request: HttpRequest, pk: int) -> FileResponse:
    item = selectors.interpretation_get_public(pk=pk)
    return _stored_file(item.image, download_name=f"interpretation-{item.pk}")


@require_GET
def topics(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.topic_public_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "policies/extras/topics.html", {"page": page})


@require_GET
def topic_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(
        request, "policies/extras/topic_detail.html", {"topic": selectors.topic_get_public(pk=pk)}
    )


@require_GET
def topic_cover(request: HttpRequest, pk: int) -> FileResponse:
    topic = selectors.topic_get_public(pk=pk)
    return _stored_file(topic.cover, download_name=f"topic-{topic.pk}")


@require_GET
def lectures(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    past = request.GET.get("when") == "past"
    page = Paginator(selectors.lecture_public_list(now=now, past=past), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "policies/extras/lectures.html",
        {"page": page, "past": past, "now": now, "query": "when=past" if past else ""},
    )


@require_GET
def lecture_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lecture = selectors.lecture_get_public(pk=pk)
    now = timezone.now()
    user: Any = request.user
    registered = user.is_authenticated and lecture.registrations.filter(user_id=user.pk).exists()
    return render(
        request,
        "policies/extras/lecture_detail.html",
        {
            "lecture": lecture,
            "registered": registered,
            "is_open": lecture.is_open_for_registration(now),
            "seats_left": max(lecture.capacity - lecture.registered, 0),  # type: ignore[attr-defined]
            "has_replay": lecture.has_replay(now),
            "has_ended": now >= lecture.ends_at,
        },
    )


@login_required
@require_POST
def lecture_register(request: HttpRequest, pk: int) -> HttpResponse:
    lecture = selectors.lecture_get_public(pk=pk)
    try:
        services.lecture_register(lecture=lecture, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "报名成功，讲堂开始前1小时将提醒您。")
    return redirect("policies:lecture_detail", pk=pk)


@login_required
@require_POST
def lecture_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    lecture = selectors.lecture_get_public(pk=pk)
    try:
        cancelled = services.lecture_registration_cancel(lecture=lecture, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if cancelled:
            messages.success(request, "已取消报名。")
    return redirect("policies:lecture_detail", pk=pk)


# --- Staff ------------------------------------------------------------------------------------


@government_required
@require_GET
def manage(request: HttpRequest, kind: str) -> HttpResponse:
    k = _kind(kind)
    page = Paginator(
        selectors.extra_manage_list(model=k.model, user=request.user), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request, "policies/extras/manage_list.html", {"kind": k, "kinds": KINDS, "page": page}
    )


@government_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest, kind: str) -> HttpResponse:
    k = _kind(kind)
    user: Any = request.user
    if user.department_id is None:
        raise PermissionDenied("您不属于任何部门，不能撰写内容。")
    form = k.form(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = k.create(author=user, **form.changes())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "已保存为草稿。确认无误后请提交审核。")
            return redirect("policies:extra_edit", kind=k.slug, pk=item.pk)
    return render(
        request,
        "policies/extras/item_form.html",
        {"kind": k, "form": form},
        status=400 if form.is_bound else 200,
    )


def _render_edit(
    request: HttpRequest,
    kind: Kind,
    item: Any,
    *,
    form: PublishableForm | None = None,
    return_form: ReturnForm | None = None,
    status: int = 200,
) -> HttpResponse:
    actions = workflow_actions(request.user, item)
    if form is None and actions["edit"]:
        form = kind.form(instance=item)
    context: dict[str, Any] = {
        "kind": kind,
        "item": item,
        "form": form if actions["edit"] else None,
        "return_form": return_form or ReturnForm(),
        "actions": actions,
        "revisions": revision_list(item=item),
        "history": publication_history(item=item),
        "public_url": reverse(kind.public_url, args=[item.pk]) if item.is_public else "",
    }
    if isinstance(item, Lecture):
        context["registrations"] = selectors.lecture_registrations(lecture=item)
    return render(request, "policies/extras/item_edit.html", context, status=status)


@government_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    k = _kind(kind)
    item = selectors.extra_get_for_user(model=k.model, user=request.user, pk=pk)
    if request.method == "GET":
        return _render_edit(request, k, item)
    if not publishing.can_manage(request.user, item):
        raise PermissionDenied("只有提供单位的工作人员可以修改此内容。")
    # The form validates a copy, so the page keeps showing the saved title on errors.
    form = k.form(request.POST, request.FILES, instance=copy.copy(item))
    if not form.is_valid():
        return _render_edit(request, k, item, form=form, status=400)
    try:
        updated = k.update(item, request.user, **form.changes())
    except ValidationError as exc:
        _add_errors(form, exc)
        return _render_edit(request, k, item, form=form, status=400)
    saved_message(request, item, updated)
    return redirect("policies:extra_edit", kind=k.slug, pk=pk)


@government_required
@require_POST
def action(request: HttpRequest, kind: str, pk: int, action: str) -> HttpResponse:
    k = _kind(kind)
    item = selectors.extra_get_for_user(model=k.model, user=request.user, pk=pk)
    edit_url = reverse("policies:extra_edit", kwargs={"kind": k.slug, "pk": pk})
    return publication_action(
        request,
        item,
        action,
        edit_url=edit_url,
        review_url=edit_url,
        render_edit=lambda **kw: _render_edit(request, k, item, **kw),
    )


@government_required
@require_GET
def lecture_export(request: HttpRequest, pk: int) -> HttpResponse:
    lecture = selectors.extra_get_for_user(model=Lecture, user=request.user, pk=pk)
    audit_record(
        action="policies.lecture_export",
        actor=request.user,
        target=lecture,
        summary=f"导出讲堂报名名单 {lecture.title}"[:500],
    )
    return xlsx_file_response(
        exports.registrations_workbook(selectors.lecture_registrations(lecture=lecture)),
        filename=f"lecture-{lecture.pk}.xlsx",
    )
