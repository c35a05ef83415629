"""Provider pages: apply to join, the organisation's own page and members, staff review."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qifu.core.forms import apply_errors
from qifu.core.pages import page_rule
from qifu.core.workflow import TransitionNotAllowed
from qifu.providers import selectors, services
from qifu.providers.access import can_review_providers, provider_membership
from qifu.providers.forms import (
    KindFilterForm,
    MemberForm,
    ProviderRegisterForm,
    ResubmitForm,
    ReviewForm,
)
from qifu.providers.models import Provider, ProviderDocument, ProviderStatus
from qifu.providers.workflow import PROCESS

PAGE_SIZE = 20

reviewer_required = page_rule(
    can_review_providers, "仅限平台工作人员和政策诉求版块管理机构审核服务机构。"
)


@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    form = KindFilterForm(request.GET or None)
    kind = form.cleaned_data["kind"] if form.is_valid() else ""
    page = Paginator(selectors.provider_directory(kind=kind), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "providers/directory.html",
        {"page": page, "form": form, "query": f"kind={kind}" if kind else ""},
    )


def _registration_allowed(request: HttpRequest) -> bool:
    """One limit per address for applications, as for enterprise registration (the SMS codes
    have their own caps per phone, address and platform)."""
    from django.conf import settings

    from qifu.core.ratelimit import Limit, hit
    from qifu.core.request_context import client_ip

    address = client_ip(request) or "unknown"
    limit = Limit("providers.register", address, settings.REGISTER_LIMIT_PER_ADDRESS_HOUR, 3600)
    return hit(limit) is None


def _send_code(request: HttpRequest) -> HttpResponse:
    from qifu.accounts.models import PhoneCodePurpose
    from qifu.accounts.services import phone_code_send
    from qifu.accounts.validators import validate_mobile

    keep = {
        k: v
        for k, v in request.POST.items()
        if k in ProviderRegisterForm.base_fields and k not in ("password", "code")
    }
    form = ProviderRegisterForm(initial=keep)
    phone = request.POST.get("phone", "").strip()
    try:
        validate_mobile(phone)
        phone_code_send(phone=phone, purpose=PhoneCodePurpose.REGISTER)
    except ValidationError as exc:
        messages.error(request, "手机号：" + " ".join(exc.messages))
        return render(request, "providers/register.html", {"form": form}, status=400)
    messages.success(request, "验证码已发送，10分钟内有效。请重新选择资质证明文件后提交。")
    return render(request, "providers/register.html", {"form": form})


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and request.POST.get("action") == "send_code":
        return _send_code(request)
    form = ProviderRegisterForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and not _registration_allowed(request):
        form.is_valid()
        form.add_error(None, "提交过于频繁，请一小时后再试。")
    elif request.method == "POST" and form.is_valid():
        try:
            provider = services.provider_register(**form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                f"“{provider.name}”的入驻申请已提交，审核通过后即可使用。请用刚才设置的用户名登录查看进度。",
            )
            return redirect("accounts:login")
    return render(
        request, "providers/register.html", {"form": form}, status=400 if form.errors else 200
    )


def _own_membership(request: HttpRequest) -> Any:
    membership = provider_membership(request.user)
    if membership is None:
        raise Http404("您不是服务机构的成员。")
    return membership


def _mine_context(request: HttpRequest, **forms_: Any) -> dict[str, Any]:
    membership = _own_membership(request)
    provider = membership.provider
    return {
        "membership": membership,
        "provider": provider,
        "events": selectors.provider_events(provider),
        "documents": provider.documents.all(),
        "members": provider.members.select_related("user"),
        "member_form": forms_.get("member_form") or MemberForm(),
        "resubmit_form": forms_.get("resubmit_form") or ResubmitForm(),
    }


member_required = page_rule(
    lambda user: provider_membership(user) is not None, "仅限服务机构的成员。"
)


@member_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "providers/mine.html", _mine_context(request))


@login_required
@require_POST
def member_add(request: HttpRequest) -> HttpResponse:
    membership = _own_membership(request)
    if not membership.is_admin:
        raise PermissionDenied("只有机构管理员可以添加成员。")
    form = MemberForm(request.POST)
    if form.is_valid():
        try:
            services.provider_member_add(
                provider=membership.provider, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except TransitionNotAllowed as exc:
            messages.error(request, str(exc))
            return redirect("providers:mine")
        else:
            messages.success(request, f"已添加成员 {form.cleaned_data['real_name']}。")
            return redirect("providers:mine")
    return render(
        request, "providers/mine.html", _mine_context(request, member_form=form), status=400
    )


@login_required
@require_POST
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _own_membership(request)
    if not membership.is_admin:
        raise PermissionDenied("只有机构管理员可以移除成员。")
    member = get_object_or_404(membership.provider.members.select_related("user"), pk=pk)
    try:
        services.provider_member_remove(
            provider=membership.provider, actor=request.user, member=member
        )
    except (ValidationError, TransitionNotAllowed) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, "已移除该成员，其账号已停用。")
    return redirect("providers:mine")


@login_required
@require_POST
def resubmit(request: HttpRequest) -> HttpResponse:
    membership = _own_membership(request)
    form = ResubmitForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.provider_resubmit(
                provider=membership.provider,
                actor=request.user,
                qualification=form.cleaned_data.get("qualification"),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except TransitionNotAllowed as exc:
            messages.error(request, str(exc))
            return redirect("providers:mine")
        else:
            messages.success(request, "已重新提交入驻申请。")
            return redirect("providers:mine")
    return render(
        request, "providers/mine.html", _mine_context(request, resubmit_form=form), status=400
    )


@login_required
@require_GET
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    document = get_object_or_404(ProviderDocument.objects.select_related("provider"), pk=pk)
    membership = provider_membership(request.user)
    own = membership is not None and membership.provider_id == document.provider_id
    if not (own or can_review_providers(request.user)):
        raise Http404("未找到，或您无权查看。")
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )


@reviewer_required
@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", ProviderStatus.SUBMITTED)
    if status not in ProviderStatus.values:
        status = ""
    page = Paginator(
        selectors.providers_to_review(user=request.user, status=status), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "providers/review_list.html",
        {
            "page": page,
            "status": status,
            "statuses": ProviderStatus.choices,
            "query": f"status={status}",
        },
    )


def _review_context(request: HttpRequest, provider: Provider, **forms_: Any) -> dict[str, Any]:
    return {
        "provider": provider,
        "events": selectors.provider_events(provider),
        "documents": provider.documents.all(),
        "members": provider.members.select_related("user"),
        "offered": PROCESS.offered(request.user, provider),
        "form": forms_.get("form") or ReviewForm(),
    }


@reviewer_required
@require_GET
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    provider = get_object_or_404(Provider.objects.for_user(request.user), pk=pk)
    return render(request, "providers/review_detail.html", _review_context(request, provider))


DECISIONS = {
    "approve": lambda p, u, note: services.provider_approve(provider=p, actor=u, note=note),
    "reject": lambda p, u, note: services.provider_reject(provider=p, actor=u, reason=note),
    "suspend": lambda p, u, note: services.provider_suspend(provider=p, actor=u, reason=note),
    "reinstate": lambda p, u, note: services.provider_reinstate(provider=p, actor=u, note=note),
}


@reviewer_required
@require_POST
def review_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    provider = get_object_or_404(Provider.objects.for_user(request.user), pk=pk)
    decide = DECISIONS.get(action)
    if decide is None:
        raise Http404
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            decide(provider, request.user, form.cleaned_data["note"])
        except ValidationError as exc:
            apply_errors(form, exc)
        except (TransitionNotAllowed, PermissionDenied) as exc:
            messages.error(request, str(exc))
            return redirect("providers:review_detail", pk=pk)
        else:
            messages.success(request, f"已{PROCESS.actions[action].label}。")
            return redirect("providers:review_detail", pk=pk)
    return render(
        request,
        "providers/review_detail.html",
        _review_context(request, provider, form=form),
        status=400,
    )
