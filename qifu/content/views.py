"""工作动态 pages: the public news list and detail, and the staff pages to write and review."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qifu.accounts.access import is_enterprise_user
from qifu.content import exports, selectors
from qifu.content.forms import (
    POSTING_FORMS,
    NoticeFilterForm,
    NoticeForm,
    PostingFilterForm,
    ReturnForm,
)
from qifu.content.models import Notice, NoticeKind, Posting, PostingKind
from qifu.content.services import (
    EDITABLE_FIELDS,
    notice_create,
    notice_update,
    posting_create,
    posting_update,
)
from qifu.core.audit import audit_record
from qifu.core.exports import xlsx_file_response
from qifu.core.pages import page_rule
from qifu.publishing import services as publishing
from qifu.publishing.models import PublicationStatus
from qifu.publishing.selectors import publication_history, revision_list
from qifu.publishing.views import (
    government_required,
    publication_action,
    reviewer_required,
    saved_message,
    workflow_actions,
)

PAGE_SIZE = 20
EXPORT_LIMIT = 5000


# --- Public -----------------------------------------------------------------------------------


@require_GET
def news_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kind = kind if kind in NoticeKind.values else ""
    page = Paginator(selectors.notice_public_list(kind=kind), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "content/news_list.html",
        {
            "page": page,
            "kind": kind,
            "kinds": NoticeKind.choices,
            "query": urlencode({"kind": kind}) if kind else "",
        },
    )


@require_GET
def news_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_get_public(pk=pk)
    if notice is None:
        raise Http404("未找到该信息，或已下线。")
    return render(request, "content/news_detail.html", {"notice": notice})


# --- Staff ------------------------------------------------------------------------------------


@government_required
@require_GET
def manage_list(request: HttpRequest) -> HttpResponse:
    filters = NoticeFilterForm(request.GET or None)
    qs = selectors.notice_manage_list(user=request.user, **filters.values())
    query = request.GET.copy()
    query.pop("page", None)
    if query.pop("format", None) == ["xlsx"]:
        audit_record(
            action="content.notice.export",
            actor=request.user,
            summary=f"导出工作动态 {query.urlencode()}"[:500],
            data={"filters": query.dict()},
        )
        stamp = timezone.localtime().strftime("%Y%m%d%H%M")
        return xlsx_file_response(
            exports.notices_workbook(qs[:EXPORT_LIMIT]), filename=f"notices-{stamp}.xlsx"
        )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "content/manage_list.html",
        {"page": page, "filters": filters, "query": query.urlencode()},
    )


@government_required
@require_http_methods(["GET", "POST"])
def notice_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.department_id is None:
        raise PermissionDenied("您不属于任何部门，不能撰写工作动态。")
    form = NoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        notice = notice_create(author=user, **form.cleaned_data)
        messages.success(request, "已保存为草稿。确认无误后请提交审核。")
        return redirect("content:edit", pk=notice.pk)
    return render(request, "content/notice_form.html", {"form": form})


def _render_edit(
    request: HttpRequest,
    notice: Notice,
    *,
    form: NoticeForm | None = None,
    return_form: ReturnForm | None = None,
    status: int = 200,
) -> HttpResponse:
    actions = workflow_actions(request.user, notice)
    if form is None and actions["edit"]:
        form = NoticeForm(instance=notice)
    return render(
        request,
        "content/notice_edit.html",
        {
            "notice": notice,
            "form": form if actions["edit"] else None,
            "return_form": return_form or ReturnForm(),
            "actions": actions,
            "revisions": revision_list(item=notice),
            "history": publication_history(item=notice),
            "needs_review_again": notice.status
            in (PublicationStatus.APPROVED, PublicationStatus.PUBLISHED),
        },
        status=status,
    )


@government_required
@require_http_methods(["GET", "POST"])
def notice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_get_for_user(user=request.user, pk=pk)
    if request.method == "GET":
        return _render_edit(request, notice)
    if not publishing.can_manage(request.user, notice):
        raise PermissionDenied("只有提供单位的工作人员可以修改此内容。")
    # The form validates a copy, so the page keeps showing the saved title on errors.
    form = NoticeForm(request.POST, instance=copy.copy(notice))
    if not form.is_valid():
        return _render_edit(request, notice, form=form, status=400)
    changes = {name: form.cleaned_data[name] for name in EDITABLE_FIELDS}
    updated = notice_update(notice=notice, actor=request.user, **changes)
    saved_message(request, notice, updated)
    return redirect("content:edit", pk=notice.pk)


@government_required
@require_POST
def notice_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    notice = selectors.notice_get_for_user(user=request.user, pk=pk)
    return publication_action(
        request,
        notice,
        action,
        edit_url=reverse("content:edit", args=[pk]),
        review_url=reverse("content:review"),
        render_edit=lambda **kw: _render_edit(request, notice, **kw),
    )


@reviewer_required
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notice_review_queue(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "content/review_queue.html", {"page": page})


# --- 信息发布: enterprise postings ------------------------------------------------------------


# Signed-in users of an enterprise write postings; staff review them.
enterprise_required = page_rule(is_enterprise_user, "仅限企业用户使用。")


@require_GET
def posting_list(request: HttpRequest) -> HttpResponse:
    filters = PostingFilterForm(request.GET or None)
    items = selectors.posting_public_list(**filters.values())
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "content/posting_list.html",
        {"page": page, "filters": filters, "query": query.urlencode()},
    )


@require_GET
def posting_detail(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    posting = selectors.posting_get_public(kind=kind, pk=pk)
    if posting is None:
        raise Http404("未找到该信息，或已下线。")
    return render(
        request,
        "content/posting_detail.html",
        {"posting": posting, "show_phone": request.user.is_authenticated},
    )


@enterprise_required
@require_GET
def posting_mine(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "content/posting_mine.html",
        {"items": selectors.posting_mine(user=request.user), "kinds": PostingKind.choices},
    )


@enterprise_required
@require_http_methods(["GET", "POST"])
def posting_new(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in POSTING_FORMS:
        raise Http404("未知的信息类别。")
    form = POSTING_FORMS[kind](request.POST or None)
    if request.method == "POST" and form.is_valid():
        posting = posting_create(kind=kind, author=request.user, **form.cleaned_data)
        messages.success(request, "已保存为草稿。确认无误后请提交审核，审核通过后才会公开。")
        return redirect(posting.manage_url())
    return render(
        request,
        "content/posting_form.html",
        {"form": form, "kind_label": PostingKind(kind).label},
    )


def _render_posting(
    request: HttpRequest,
    posting: Posting,
    *,
    form: Any = None,
    return_form: ReturnForm | None = None,
    status: int = 200,
) -> HttpResponse:
    actions = workflow_actions(request.user, posting)
    if form is None and actions["edit"]:
        form = POSTING_FORMS[posting.KIND](instance=posting)
    return render(
        request,
        "content/posting_manage.html",
        {
            "posting": posting,
            "form": form if actions["edit"] else None,
            "return_form": return_form or ReturnForm(),
            "actions": actions,
            "history": publication_history(item=posting),
            "is_enterprise": bool(getattr(request.user, "enterprise_id", None)),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def posting_manage(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    posting = selectors.posting_get_for_user(user=request.user, kind=kind, pk=pk)
    if request.method == "GET":
        return _render_posting(request, posting)
    if not publishing.can_manage(request.user, posting):
        raise PermissionDenied("只有发布企业可以修改此信息。")
    form = POSTING_FORMS[kind](request.POST, instance=copy.copy(posting))
    if not form.is_valid():
        return _render_posting(request, posting, form=form, status=400)
    updated = posting_update(posting=posting, actor=request.user, **form.cleaned_data)
    if updated.revision == posting.revision:
        messages.info(request, "内容没有变化。")
    elif updated.status != posting.status:
        messages.warning(request, "已保存。内容已修改，需重新审核，审核通过前不公开显示。")
    else:
        messages.success(request, "已保存。")
    return redirect(posting.manage_url())


@login_required
@require_POST
def posting_action(request: HttpRequest, kind: str, pk: int, action: str) -> HttpResponse:
    posting = selectors.posting_get_for_user(user=request.user, kind=kind, pk=pk)
    return publication_action(
        request,
        posting,
        action,
        edit_url=posting.manage_url(),
        review_url=reverse("content:postings_review"),
        render_edit=lambda **kw: _render_posting(request, posting, **kw),
    )


@reviewer_required
@require_GET
def posting_review_queue(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.posting_review_queue(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "content/posting_review.html", {"page": page})
