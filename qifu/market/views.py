"""服务超市 pages: the public supermarket and providers' records, enterprises' orders and needs,
providers' offerings and orders, the staff's review and complaints."""

from __future__ import annotations

import copy
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qifu.accounts.access import get_for_user_or_404, is_enterprise_user
from qifu.core.forms import apply_errors
from qifu.core.pages import page_rule
from qifu.core.workflow import TransitionNotAllowed
from qifu.market import selectors, services
from qifu.market.access import is_market_provider, is_market_staff
from qifu.market.forms import (
    AcceptForm,
    CancelForm,
    ComplaintForm,
    DeclineForm,
    FilterForm,
    NeedForm,
    OfferingForm,
    OrderForm,
    QuoteForm,
    RateForm,
    ResponseForm,
    ResultForm,
)
from qifu.market.models import Category, Complaint, Order, OrderStatus, SelectionMethod
from qifu.market.workflow import PROCESS
from qifu.providers.access import provider_for
from qifu.providers.models import Provider
from qifu.publishing.forms import ReturnForm
from qifu.publishing.selectors import publication_history
from qifu.publishing.views import publication_action, saved_message, workflow_actions

PAGE_SIZE = 20

enterprise_required = page_rule(is_enterprise_user, "仅限企业用户使用。")
provider_required = page_rule(is_market_provider, "仅限已入驻的服务机构使用。")
staff_required = page_rule(is_market_staff, "仅限服务超市的管理部门（工信局）使用。")


def _may_see_orders(user: Any) -> bool:
    return bool(is_enterprise_user(user) or is_market_provider(user) or is_market_staff(user))


orders_required = page_rule(_may_see_orders, "仅限企业、入驻服务机构和管理部门使用。")


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- Public -----------------------------------------------------------------------------------


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    filters = FilterForm(request.GET or None)
    offerings = selectors.offerings_public(**filters.values())
    page = Paginator(offerings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "market/home.html",
        {
            "page": page,
            "filters": filters,
            "query": _query(request),
            "categories": Category.choices,
            "current": filters.values().get("category", ""),
        },
    )


@require_GET
def offering_detail(request: HttpRequest, pk: int) -> HttpResponse:
    offering = selectors.offering_public_or_404(pk)
    user: Any = request.user
    form = None
    if is_enterprise_user(user):
        form = OrderForm(
            initial={
                "contact_name": user.real_name,
                "contact_phone": user.phone or "",
                "idempotency_key": uuid.uuid4().hex,
            }
        )
    return render(
        request,
        "market/offering_detail.html",
        {
            "offering": offering,
            "form": form,
            "record": selectors.provider_record(offering.provider),
            "accept_days": settings.MARKET_ACCEPT_WORKING_DAYS,
        },
    )


@enterprise_required
@require_POST
def offering_order(request: HttpRequest, pk: int) -> HttpResponse:
    offering = selectors.offering_public_or_404(pk)
    form = OrderForm(request.POST)
    if form.is_valid():
        try:
            order = services.order_direct(user=request.user, offering=offering, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已下单（{order.number}），等待服务机构接单。")
            return redirect("market:order", order.pk)
    return render(
        request,
        "market/offering_detail.html",
        {
            "offering": offering,
            "form": form,
            "record": selectors.provider_record(offering.provider),
            "accept_days": settings.MARKET_ACCEPT_WORKING_DAYS,
        },
        status=400,
    )


@require_GET
def provider_detail(request: HttpRequest, pk: int) -> HttpResponse:
    provider = Provider.objects.approved().filter(pk=pk).first()
    if provider is None:
        raise Http404("未找到该服务机构。")
    ratings = (
        Order.objects.filter(provider=provider, rating__isnull=False)
        .select_related("enterprise")
        .order_by("-rated_at")[:10]
    )
    return render(
        request,
        "market/provider.html",
        {
            "provider": provider,
            "record": selectors.provider_record(provider),
            "offerings": selectors.offerings_public(provider=provider)[:50],
            "ratings": ratings,
        },
    )


@require_GET
def providers(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.providers_public(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "market/providers.html", {"page": page, "query": ""})


# --- Enterprises: needs and orders ------------------------------------------------------------


@enterprise_required
@require_http_methods(["GET", "POST"])
def need_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = NeedForm(
        request.POST if request.method == "POST" else None,
        initial={
            "contact_name": user.real_name,
            "contact_phone": user.phone or "",
            "idempotency_key": uuid.uuid4().hex,
            "category": request.GET.get("category", ""),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            order = services.need_post(user=user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if order.method == SelectionMethod.DRAW:
                messages.success(request, "需求已发布。请核对候选机构后点击“随机抽取”。")
            else:
                messages.success(request, "需求已发布，入驻机构报价后您可选定一家。")
            return redirect("market:order", order.pk)
    return render(
        request, "market/need_form.html", {"form": form}, status=400 if form.errors else 200
    )


@orders_required
@require_GET
def orders(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    qs = selectors.orders_for(request.user, status=status)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "market/orders.html",
        {
            "page": page,
            "query": _query(request),
            "statuses": OrderStatus.choices,
            "status": status,
            "provider": provider_for(request.user),
        },
    )


def _order_context(request: HttpRequest, order: Order, **forms: Any) -> dict[str, Any]:
    user: Any = request.user
    offered = set(PROCESS.offered(user, order))
    if order.rating is not None:
        offered.discard("rate")
    is_enterprise = order.enterprise_id == getattr(user, "enterprise_id", None)
    staff = is_market_staff(user)
    provider = provider_for(user)
    quotes = []
    if is_enterprise or staff:
        quotes = list(order.quotes.select_related("provider"))
    elif provider is not None:
        quotes = list(order.quotes.filter(provider=provider).select_related("provider"))
    candidates = []
    if order.method == SelectionMethod.DRAW and order.status == OrderStatus.SELECTING:
        excluded = list(order.declined_providers.values_list("pk", flat=True))
        candidates = selectors.qualified_providers(category=order.category, excluded=excluded)
    return {
        "order": order,
        "offered": offered,
        "events": selectors.order_events(order, public_only=not (is_enterprise or staff)),
        "quotes": quotes,
        "draws": order.draws.select_related("chosen") if is_enterprise or staff else [],
        "candidates": candidates,
        "complaints": order.complaints.all() if is_enterprise or staff else [],
        "quote_form": forms.get("quote_form") or QuoteForm(),
        "accept_form": forms.get("accept_form")
        or AcceptForm(
            initial={
                "working_days": order.promised_working_days
                or (order.offering.promised_working_days if order.offering else None)
            }
        ),
        "decline_form": forms.get("decline_form") or DeclineForm(),
        "cancel_form": forms.get("cancel_form") or CancelForm(),
        "result_form": forms.get("result_form") or ResultForm(),
        "rate_form": forms.get("rate_form") or RateForm(),
        "complaint_form": forms.get("complaint_form") or ComplaintForm(),
        "response_form": forms.get("response_form") or ResponseForm(),
        "is_enterprise": is_enterprise,
        "is_staff": staff,
        # A provider that may only quote does not get the enterprise's phone before it is chosen.
        "show_contact": is_enterprise
        or staff
        or (provider is not None and order.provider_id == provider.pk),
    }


@orders_required
@require_GET
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = get_for_user_or_404(
        Order.objects.select_related("enterprise", "provider", "offering"), request.user, pk=pk
    )
    return render(request, "market/order.html", _order_context(request, order))


ACTION_FORMS = {
    "quote": ("quote_form", QuoteForm),
    "accept": ("accept_form", AcceptForm),
    "decline": ("decline_form", DeclineForm),
    "cancel": ("cancel_form", CancelForm),
    "complete": ("result_form", ResultForm),
    "rate": ("rate_form", RateForm),
    "complain": ("complaint_form", ComplaintForm),
    "resolve": ("response_form", ResponseForm),
}

DONE = {
    "quote": "报价已提交。",
    "choose": "已选定服务机构，等待其接单。",
    "draw": "已随机抽取服务机构，等待其接单。",
    "accept": "已接单。",
    "decline": "已退回，不接此单。",
    "cancel": "已取消。",
    "complete": "已完成服务，等待企业评价。",
    "rate": "感谢您的评价。",
    "complain": "投诉已提交，平台将尽快处理。",
    "resolve": "投诉已处理。",
}


def _run(request: HttpRequest, order: Order, action: str, data: dict[str, Any]) -> None:
    user = request.user
    if action == "quote":
        services.quote_submit(user=user, order=order, **data)
    elif action == "choose":
        quote = request.POST.get("quote", "")
        if not quote.isdigit():
            raise ValidationError({"quote": ["请选择一份报价。"]})
        services.quote_choose(user=user, order=order, quote_id=int(quote))
    elif action == "draw":
        services.order_draw(user=user, order=order)
    elif action == "accept":
        services.order_accept(user=user, order=order, working_days=data.get("working_days"))
    elif action == "decline":
        services.order_decline(user=user, order=order, reason=data["reason"])
    elif action == "cancel":
        services.order_cancel(user=user, order=order, reason=data["reason"])
    elif action == "complete":
        services.order_complete(user=user, order=order, result=data["result"])
    elif action == "rate":
        services.order_rate(user=user, order=order, **data)
    elif action == "complain":
        services.complaint_file(user=user, order=order, content=data["content"])
    elif action == "resolve":
        complaint = order.complaints.filter(pk=request.POST.get("complaint") or 0).first()
        if complaint is None:
            raise ValidationError({"response": ["请选择要处理的投诉。"]})
        services.complaint_resolve(user=user, complaint=complaint, response=data["response"])
    else:
        raise Http404("未知操作。")


@orders_required
@require_POST
def order_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    order = get_for_user_or_404(
        Order.objects.select_related("enterprise", "provider", "offering"), request.user, pk=pk
    )
    if action not in DONE:
        raise Http404("未知操作。")
    data: dict[str, Any] = {}
    form = None
    if action in ACTION_FORMS:
        name, form_class = ACTION_FORMS[action]
        form = form_class(request.POST)
        if not form.is_valid():
            context = _order_context(request, order, **{name: form})
            return render(request, "market/order.html", context, status=400)
        data = form.cleaned_data
    try:
        _run(request, order, action, data)
    except (TransitionNotAllowed, PermissionDenied) as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        if form is None:
            messages.error(request, " ".join(exc.messages))
        else:
            apply_errors(form, exc)
            name = ACTION_FORMS[action][0]
            context = _order_context(request, order, **{name: form})
            return render(request, "market/order.html", context, status=400)
    else:
        messages.success(request, DONE[action])
    return redirect("market:order", order.pk)


# --- Providers: offerings -----------------------------------------------------------------------


@provider_required
@require_GET
def manage(request: HttpRequest) -> HttpResponse:
    provider = provider_for(request.user)
    page = Paginator(selectors.offerings_of(provider), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "market/manage.html",
        {"page": page, "query": "", "provider": provider},
    )


@provider_required
@require_http_methods(["GET", "POST"])
def offering_new(request: HttpRequest) -> HttpResponse:
    form = OfferingForm(
        request.POST if request.method == "POST" else None, initial={"area_served": "荣成市"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            offering = services.offering_create(
                author=request.user,
                **{name: form.cleaned_data[name] for name in services.OFFERING_FIELDS},
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已保存为草稿。确认无误后请提交审核，审核通过后才会公开。")
            return redirect(offering.manage_url())
    return render(
        request, "market/offering_form.html", {"form": form}, status=400 if form.errors else 200
    )


def _render_edit(
    request: HttpRequest,
    offering: Any,
    *,
    form: Any = None,
    return_form: ReturnForm | None = None,
    status: int = 200,
) -> HttpResponse:
    actions = workflow_actions(request.user, offering)
    if form is None and actions["edit"]:
        form = OfferingForm(instance=offering)
    return render(
        request,
        "market/offering_edit.html",
        {
            "offering": offering,
            "form": form if actions["edit"] else None,
            "return_form": return_form or ReturnForm(),
            "actions": actions,
            "history": publication_history(item=offering),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def offering_edit(request: HttpRequest, pk: int) -> HttpResponse:
    offering = selectors.offering_for_manager(request.user, pk)
    if request.method == "GET":
        return _render_edit(request, offering)
    if not workflow_actions(request.user, offering)["edit"]:
        raise PermissionDenied("只有发布机构可以修改此服务。")
    form = OfferingForm(request.POST, instance=copy.copy(offering))
    if not form.is_valid():
        return _render_edit(request, offering, form=form, status=400)
    try:
        updated = services.offering_update(
            offering=offering,
            actor=request.user,
            **{name: form.cleaned_data[name] for name in services.OFFERING_FIELDS},
        )
    except ValidationError as exc:
        apply_errors(form, exc)
        return _render_edit(request, offering, form=form, status=400)
    saved_message(request, offering, updated)
    return redirect(offering.manage_url())


@login_required
@require_POST
def offering_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    offering = selectors.offering_for_manager(request.user, pk)
    return publication_action(
        request,
        offering,
        action,
        edit_url=offering.manage_url(),
        review_url=reverse("market:review"),
        render_edit=lambda **kw: _render_edit(request, offering, **kw),
    )


# --- Staff: review and complaints ----------------------------------------------------------------


@staff_required
@require_GET
def review(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "market/review.html",
        {
            "offerings": selectors.offerings_to_review(request.user)[:100],
            "complaints": selectors.complaints_open()[:100],
            "complaint_count": Complaint.objects.filter(status="open").count(),
        },
    )
