"""政策服务 pages: the public library and calculator, an enterprise's matches, the staff pages."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qifu.accounts.access import is_enterprise_user, is_government
from qifu.accounts.industries import industry_label
from qifu.accounts.models import Enterprise
from qifu.core.forms import apply_errors
from qifu.core.pages import page_rule
from qifu.core.uploads import download_response
from qifu.policies import selectors
from qifu.policies.extras.selectors import interpretation_public_list
from qifu.policies.forms import (
    AttachmentForm,
    LibraryFilterForm,
    ManageFilterForm,
    MuteForm,
    PolicyForm,
    ProfileForm,
    ReturnForm,
    SubscriptionForm,
)
from qifu.policies.matching import criteria_in_words
from qifu.policies.models import (
    AutoGrant,
    AutoGrantStatus,
    Policy,
    PolicyAttachment,
    PolicyMute,
    PolicySubscription,
)
from qifu.policies.services import (
    auto_grant_confirm,
    policy_attachment_add,
    policy_attachment_remove,
    policy_create,
    policy_mute_add,
    policy_mute_remove,
    policy_subscription_add,
    policy_subscription_remove,
    policy_update,
)
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


def _own_enterprise(request: HttpRequest) -> Enterprise | None:
    user: Any = request.user
    if not user.is_authenticated or not user.enterprise_id:
        return None
    return Enterprise.objects.select_related("region").filter(pk=user.enterprise_id).first()


# --- Public -----------------------------------------------------------------------------------


@require_GET
def library(request: HttpRequest) -> HttpResponse:
    filters = LibraryFilterForm(
        request.GET or None, issuers=selectors.policy_issuers(), tags=selectors.policy_tags()
    )
    values = filters.values()
    issuer = selectors.department_by_code_or_name(values.get("issuer") or "")
    in_force = False if values.get("in_force") == "expired" else None
    query = request.GET.copy()
    query.pop("page", None)
    context: dict[str, Any] = {"filters": filters, "query": query.urlencode()}
    q = (values.get("q") or "").strip()
    if q:
        from qifu.policies.search import ASSISTANT_HINT, policy_search, policy_search_suggestions

        # The index ranks a page at a time; one hit more than a page tells whether a next exists.
        number = request.GET.get("page", "1")
        page_number = int(number) if number.isdigit() and int(number) > 0 else 1
        hits = policy_search(
            q=q,
            issuer=issuer,
            industry=values.get("industry") or None,
            tag=values.get("tag") or None,
            in_force=in_force,
            limit=PAGE_SIZE + 1,
            offset=(page_number - 1) * PAGE_SIZE,
        )
        context.update(
            q=q,
            hits=hits[:PAGE_SIZE],
            page_number=page_number,
            has_next=len(hits) > PAGE_SIZE,
            suggestions=[] if hits else policy_search_suggestions(q=q),
            assistant_hint=ASSISTANT_HINT,
        )
    else:
        qs = selectors.policy_public_list(
            issuer=issuer.code if issuer else "",
            industry=values.get("industry") or "",
            tag=values.get("tag") or "",
            in_force=in_force,
        )
        context["page"] = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "policies/library.html", context)


@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    policy = selectors.policy_get_public(code=code)
    enterprise = _own_enterprise(request)
    match = selectors.policy_match_one(policy=policy, enterprise=enterprise) if enterprise else None
    open_call = None
    if match is not None and match.eligible:
        # Declarations build on policies, so the call is looked up here at run time only.
        from qifu.declarations.selectors import call_open_for_policy

        open_call = call_open_for_policy(policy=policy)
    return render(
        request,
        "policies/detail.html",
        {
            "policy": policy,
            "criteria": criteria_in_words(policy.industries, policy.criteria),
            "enterprise": enterprise,
            "match": match,
            "open_call": open_call,
            "industries": [industry_label(code) for code in policy.industries or []],
            "attachments": policy.attachments.all() if policy.is_public else [],
            "interpretations": interpretation_public_list(policy=policy)
            if policy.is_public
            else [],
        },
    )


@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """A file of a policy on the public site; files of unpublished policies are not found."""
    attachment = (
        PolicyAttachment.objects.filter(pk=pk, policy__in=Policy.objects.published())
        .only("file", "original_name", "content_type")
        .first()
    )
    if attachment is None:
        raise Http404("未找到该附件，或政策已下线。")
    return download_response(attachment.file, name=attachment.original_name)


@require_GET
def new_notices(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.policy_new_notices(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "policies/new_notices.html",
        {"page": page, "days": selectors.NEW_NOTICE_DAYS},
    )


@require_GET
def calculator(request: HttpRequest) -> HttpResponse:
    enterprise = _own_enterprise(request)
    if "scale" in request.GET:
        form = ProfileForm(request.GET)
    else:
        form = ProfileForm(initial=ProfileForm.initial_for(enterprise) if enterprise else None)
    matches = None
    if form.is_bound and form.is_valid():
        matches = selectors.match_policies(profile=form.profile())
    return render(
        request,
        "policies/calculator.html",
        {"form": form, "matches": matches, "enterprise": enterprise},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@page_rule(
    is_enterprise_user,
    "“精准政策”按本企业的情况匹配，仅限企业用户查看；可用“政策计算器”按条件测算。",
    elsewhere=("policies:calculator",),
)
@require_GET
def matches(request: HttpRequest) -> HttpResponse:
    enterprise = _own_enterprise(request)
    if enterprise is None:
        raise Http404("未找到本企业。")
    granted = set(
        AutoGrant.objects.filter(
            enterprise=enterprise, status=AutoGrantStatus.CONFIRMED
        ).values_list("policy__code", flat=True)
    )
    return render(
        request,
        "policies/matches.html",
        {
            "enterprise": enterprise,
            "matches": selectors.match_policies(profile=enterprise),
            "granted": granted,
        },
    )


# --- Staff ------------------------------------------------------------------------------------


@government_required
@require_GET
def manage(request: HttpRequest) -> HttpResponse:
    filters = ManageFilterForm(request.GET or None)
    qs = selectors.policy_manage_list(user=request.user, **filters.values())
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "policies/manage_list.html",
        {
            "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
            "filters": filters,
            "query": query.urlencode(),
            "review_count": selectors.policy_review_queue(user=request.user).count(),
        },
    )


@reviewer_required
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.policy_review_queue(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "policies/review_queue.html", {"page": page})


def writes_policies(user: Any) -> bool:
    """Departments write their own policies (谁提供、谁负责); a superuser has no department."""
    return bool(is_government(user) and user.department_id)


@page_rule(writes_policies, "您不属于任何部门，不能发布政策。")
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = PolicyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        policy = policy_create(author=user, code=form.cleaned_data["code"], **form.changes())
        messages.success(request, "已保存为草稿。确认无误后请提交审核。")
        return redirect("policies:edit", pk=policy.pk)
    return render(
        request,
        "policies/policy_form.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


def _render_edit(
    request: HttpRequest,
    policy: Policy,
    *,
    form: PolicyForm | None = None,
    return_form: ReturnForm | None = None,
    attachment_form: AttachmentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    actions = workflow_actions(request.user, policy)
    if form is None and actions["edit"]:
        form = PolicyForm(instance=policy)
    return render(
        request,
        "policies/policy_edit.html",
        {
            "policy": policy,
            "form": form if actions["edit"] else None,
            "return_form": return_form or ReturnForm(),
            "attachment_form": attachment_form or AttachmentForm(),
            "attachments": policy.attachments.all(),
            "actions": actions,
            "criteria": criteria_in_words(policy.industries, policy.criteria),
            "revisions": revision_list(item=policy),
            "history": publication_history(item=policy),
            "needs_review_again": policy.status
            in (PublicationStatus.APPROVED, PublicationStatus.PUBLISHED),
        },
        status=status,
    )


@government_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    policy = selectors.policy_get_for_user(user=request.user, pk=pk)
    if request.method == "GET":
        return _render_edit(request, policy)
    if not publishing.can_manage(request.user, policy):
        raise PermissionDenied("只有发布部门的工作人员可以修改此政策。")
    form = PolicyForm(request.POST, instance=copy.copy(policy))
    if not form.is_valid():
        return _render_edit(request, policy, form=form, status=400)
    try:
        updated = policy_update(policy=policy, actor=request.user, **form.changes())
    except ValidationError as exc:
        apply_errors(form, exc)
        return _render_edit(request, policy, form=form, status=400)
    saved_message(request, policy, updated)
    return redirect("policies:edit", pk=policy.pk)


@government_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    policy = selectors.policy_get_for_user(user=request.user, pk=pk)
    if not publishing.can_manage(request.user, policy):
        raise PermissionDenied("只有发布部门的工作人员可以上传附件。")
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_edit(request, policy, attachment_form=form, status=400)
    try:
        attachment = policy_attachment_add(
            policy=policy, actor=request.user, upload=form.cleaned_data["file"]
        )
    except ValidationError as exc:
        form.add_error("file", exc.message_dict.get("file", exc.messages))
        return _render_edit(request, policy, attachment_form=form, status=400)
    messages.success(request, f"已上传附件“{attachment.original_name}”。")
    return redirect("policies:edit", pk=pk)


@government_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = PolicyAttachment.objects.filter(
        pk=pk, policy__in=Policy.objects.for_user(request.user)
    ).first()
    if attachment is None:
        raise Http404("未找到，或您无权查看。")
    policy_attachment_remove(attachment=attachment, actor=request.user)
    messages.success(request, "已删除附件。")
    return redirect("policies:edit", pk=attachment.policy_id)


@government_required
@require_POST
def action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    policy = selectors.policy_get_for_user(user=request.user, pk=pk)
    return publication_action(
        request,
        policy,
        action,
        edit_url=reverse("policies:edit", args=[pk]),
        review_url=reverse("policies:review"),
        render_edit=lambda **kw: _render_edit(request, policy, **kw),
    )


# --- Subscriptions ----------------------------------------------------------------------------


def _render_subscriptions(
    request: HttpRequest,
    *,
    form: SubscriptionForm | None = None,
    mute_form: MuteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "policies/subscriptions.html",
        {
            "form": form or SubscriptionForm(),
            "mute_form": mute_form or MuteForm(),
            "subscriptions": PolicySubscription.objects.for_user(request.user),
            "mutes": PolicyMute.objects.for_user(request.user),
            "tags": selectors.policy_tags(),
        },
        status=status,
    )


@login_required
@require_GET
def subscriptions(request: HttpRequest) -> HttpResponse:
    return _render_subscriptions(request)


@login_required
@require_POST
def subscription_add(request: HttpRequest) -> HttpResponse:
    form = SubscriptionForm(request.POST)
    if not form.is_valid():
        return _render_subscriptions(request, form=form, status=400)
    policy_subscription_add(user=request.user, **form.cleaned_data)
    messages.success(request, "已订阅。有符合的新政策发布时将通知您。")
    return redirect("policies:subscriptions")


@login_required
@require_POST
def subscription_remove(request: HttpRequest, pk: int) -> HttpResponse:
    policy_subscription_remove(user=request.user, pk=pk)
    messages.success(request, "已取消订阅。")
    return redirect("policies:subscriptions")


@login_required
@require_POST
def mute_add(request: HttpRequest) -> HttpResponse:
    form = MuteForm(request.POST)
    if not form.is_valid():
        return _render_subscriptions(request, mute_form=form, status=400)
    policy_mute_add(user=request.user, tag=form.cleaned_data["tag"].strip())
    messages.success(request, "已屏蔽，此标签的新政策不再推送给您。")
    return redirect("policies:subscriptions")


@login_required
@require_POST
def mute_remove(request: HttpRequest, pk: int) -> HttpResponse:
    policy_mute_remove(user=request.user, pk=pk)
    messages.success(request, "已取消屏蔽。")
    return redirect("policies:subscriptions")


# --- 免申即享 ----------------------------------------------------------------------------------


@government_required
@require_http_methods(["GET", "POST"])
def auto_grant(request: HttpRequest, pk: int) -> HttpResponse:
    policy = selectors.policy_get_for_user(user=request.user, pk=pk)
    user: Any = request.user
    if not policy.is_auto_grant:
        raise Http404("该政策不是免申即享政策。")
    if not (user.is_superuser or user.department_id == policy.issuer_id):
        raise Http404("未找到，或您无权查看。")
    if request.method == "POST":
        ids = [int(v) for v in request.POST.getlist("grant") if v.isdigit()]
        if not ids:
            messages.error(request, "请勾选要确认的企业。")
        else:
            count = auto_grant_confirm(policy=policy, grant_ids=ids, actor=user)
            messages.success(request, f"已确认 {count} 家企业享受该政策。")
        return redirect("policies:auto_grant", pk=pk)
    grants = (
        AutoGrant.objects.for_user(user)
        .filter(policy=policy)
        .select_related("enterprise", "confirmed_by")
    )
    page = Paginator(grants, 50).get_page(request.GET.get("page"))
    return render(request, "policies/auto_grant.html", {"policy": policy, "page": page})
