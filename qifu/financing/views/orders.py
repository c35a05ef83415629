"""Needs and orders: the enterprise submits and follows its needs; the institution takes up and
decides the orders sent to it; the 政策诉求 agency oversees them all."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qifu.accounts.access import is_enterprise_user
from qifu.core.forms import apply_errors
from qifu.core.pages import page_rule
from qifu.core.workflow import TransitionNotAllowed, action_label
from qifu.financing import selectors, services
from qifu.financing.access import can_oversee, takes_orders
from qifu.financing.forms import GrantForm, NoteForm, RateForm, RefuseForm, RequestForm
from qifu.financing.models import FinancingDocument, FinancingOrder, OrderStatus, RequestKind
from qifu.financing.workflow import PROCESS

PAGE_SIZE = 20

enterprise_required = page_rule(
    is_enterprise_user, "仅限企业用户提交融资需求。", elsewhere=["financing:orders"]
)
orders_required = page_rule(
    lambda u: takes_orders(u) or can_oversee(u),
    "仅限已入驻的金融机构和平台工作人员。",
    elsewhere=["financing:requests"],
)


def _may_list_requests(user: Any) -> bool:
    return bool(user.enterprise_id) or can_oversee(user)


requests_required = page_rule(
    _may_list_requests, "仅限企业用户和平台工作人员。", elsewhere=["financing:orders"]
)


# --- needs ------------------------------------------------------------------------------------


@requests_required
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    from qifu.content.models import FinancingNeed

    page = Paginator(selectors.requests_for(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    # The enterprise's own 信息发布 financing postings, each one click from an order.
    postings = FinancingNeed.objects.mine(request.user).order_by("-created_at")[:5]  # type: ignore[attr-defined]
    return render(request, "financing/requests.html", {"page": page, "postings": postings})


def _posting_initial(request: HttpRequest) -> tuple[Any, dict[str, Any]]:
    """A financing need the enterprise published in 信息发布, to start from (?posting=<id>)."""
    from qifu.content.models import FinancingNeed

    raw = request.GET.get("posting") or request.POST.get("posting") or ""
    if not raw.isdigit():
        return None, {}
    posting = FinancingNeed.objects.mine(request.user).filter(pk=int(raw)).first()  # type: ignore[attr-defined]
    if posting is None:
        raise Http404("未找到该融资需求信息。")
    return posting, {
        "amount": posting.amount,
        "term_months": posting.term_months,
        "purpose": posting.use,
        "guarantee": posting.guarantee,
        "contact_name": posting.contact_name,
        "contact_phone": posting.contact_phone,
    }


@enterprise_required
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    posting, initial = _posting_initial(request)
    if not initial:
        initial = {
            "kind": request.GET.get("kind")
            if request.GET.get("kind") in RequestKind.values
            else "",
            "contact_name": user.real_name,
            "contact_phone": user.phone or user.enterprise.contact_phone,
        }
    form = RequestForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            need = services.request_submit(user=user, posting=posting, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            sent = need.orders.count()
            if sent:
                messages.success(request, f"融资需求已提交，已推送给 {sent} 家金融机构。")
            else:
                messages.warning(
                    request, "融资需求已提交。暂无匹配的金融产品，工信局将协调金融机构对接。"
                )
            return redirect("financing:request", pk=need.pk)
    return render(
        request,
        "financing/request_new.html",
        {"form": form, "posting": posting},
        status=400 if form.errors else 200,
    )


def _request_context(request: HttpRequest, need: Any, **forms_: Any) -> dict[str, Any]:
    user: Any = request.user
    orders = selectors.request_orders(need, user=user)
    is_owner = user.enterprise_id == need.enterprise_id
    bound = forms_.get("rate_form")
    for order in orders:
        order.offered = PROCESS.offered(user, order)  # type: ignore[attr-defined]
        # One rating form per order, each with its own field ids.
        order.rate_form = (  # type: ignore[attr-defined]
            bound
            if bound is not None and bound.prefix == f"o{order.pk}"
            else RateForm(prefix=f"o{order.pk}")
        )
    return {
        "need": need,
        "orders": orders,
        "events": selectors.order_events(orders, public_only=is_owner),
        "documents": selectors.documents_visible(need, user=user),
        "is_owner": is_owner,
        "is_provider": takes_orders(user),
    }


@login_required
@require_GET
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    need = selectors.request_get(user=request.user, pk=pk)
    return render(request, "financing/request_detail.html", _request_context(request, need))


@login_required
@require_POST
def request_order_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """The enterprise's steps on one of its orders: withdraw it, rate it."""
    order = selectors.order_get(user=request.user, pk=pk)
    if action not in ("cancel", "rate"):
        raise Http404
    need_url = ("financing:request", order.request_id)
    try:
        if action == "cancel":
            services.order_cancel(order=order, actor=request.user)
        else:
            form = RateForm(request.POST, prefix=f"o{order.pk}")
            if not form.is_valid():
                context = _request_context(request, order.request, rate_form=form)
                return render(request, "financing/request_detail.html", context, status=400)
            services.order_rate(order=order, actor=request.user, **form.cleaned_data)
    except (TransitionNotAllowed, PermissionDenied) as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"已{action_label(PROCESS.name, action)}。")
    return redirect(need_url[0], pk=need_url[1])


@login_required
@require_GET
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    document = FinancingDocument.objects.select_related("request").filter(pk=pk).first()
    if document is None:
        raise Http404("未找到，或您无权查看。")
    # The need itself must be visible, and the document too (a contract: its institution only).
    need = selectors.request_get(user=request.user, pk=document.request_id)
    if not selectors.documents_visible(need, user=request.user).filter(pk=pk).exists():
        raise Http404("未找到，或您无权查看。")
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )


# --- orders (institutions) ----------------------------------------------------------------------


ORDER_FILTERS = [("open", "待办"), *OrderStatus.choices, ("", "全部")]


@orders_required
@require_GET
def order_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    if status not in {value for value, _ in ORDER_FILTERS}:
        status = "open"
    page = Paginator(selectors.orders_for(request.user, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "financing/orders.html",
        {
            "page": page,
            "status": status,
            "filters": ORDER_FILTERS,
            "query": f"status={status}",
            "is_provider": takes_orders(request.user),
        },
    )


def _order_context(request: HttpRequest, order: FinancingOrder, **forms_: Any) -> dict[str, Any]:
    user: Any = request.user
    return {
        "order": order,
        "need": order.request,
        "events": selectors.order_events([order], public_only=False),
        "documents": selectors.documents_visible(order.request, user=user),
        "offered": PROCESS.offered(user, order),
        "take_form": forms_.get("take_form") or NoteForm(),
        "grant_form": forms_.get("grant_form")
        or GrantForm(
            initial={"amount": order.request.amount, "term_months": order.request.term_months}
        ),
        "refuse_form": forms_.get("refuse_form") or RefuseForm(),
    }


@orders_required
@require_GET
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.order_get(user=request.user, pk=pk)
    return render(request, "financing/order_detail.html", _order_context(request, order))


ORDER_FORMS = {"take": NoteForm, "grant": GrantForm, "refuse": RefuseForm}


@orders_required
@require_POST
def order_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    order = selectors.order_get(user=request.user, pk=pk)
    form_class = ORDER_FORMS.get(action)
    if form_class is None:
        raise Http404
    form = form_class(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "take":
                services.order_take(order=order, actor=request.user, note=data["note"])
            elif action == "grant":
                services.order_grant(order=order, actor=request.user, **data)
            else:
                services.order_refuse(order=order, actor=request.user, reason=data["reason"])
        except (TransitionNotAllowed, PermissionDenied) as exc:
            messages.error(request, str(exc))
            return redirect("financing:order", pk=pk)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已{action_label(PROCESS.name, action)}。")
            return redirect("financing:order", pk=pk)
    context = _order_context(request, order, **{f"{action}_form": form})
    return render(request, "financing/order_detail.html", context, status=400)
