"""Writing and reviewing: banks' products (the institution writes, 工信局 reviews), financing
news (工信局 writes and reviews, never the author), and the statistics."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qifu.accounts.access import get_for_user_or_404
from qifu.core.exports import xlsx_response
from qifu.core.forms import apply_errors
from qifu.core.pages import page_rule
from qifu.financing import selectors, services
from qifu.financing.access import can_oversee, is_financial_provider
from qifu.financing.forms import NewsForm, ProductForm, StatisticsForm
from qifu.financing.models import FinancialProduct, FinancingNews
from qifu.publishing import services as publishing
from qifu.publishing.forms import ReturnForm
from qifu.publishing.models import PublicationStatus
from qifu.publishing.selectors import publication_history, revision_list
from qifu.publishing.views import publication_action, saved_message, workflow_actions

PAGE_SIZE = 20

provider_required = page_rule(is_financial_provider, "仅限已入驻的银行和融资担保机构发布金融产品。")
overseer_required = page_rule(can_oversee, "仅限平台工作人员和工信局使用。")


def _may_write_or_review(user: Any) -> bool:
    return is_financial_provider(user) or can_oversee(user)


writer_required = page_rule(_may_write_or_review, "仅限金融机构和工信局工作人员。")


@dataclass(frozen=True)
class Kind:
    model: type[Any]
    form: type[Any]
    template_title: str
    edit_url: str
    list_url: str
    create: Callable[..., Any]
    update: Callable[..., Any]


PRODUCT = Kind(
    FinancialProduct,
    ProductForm,
    "金融产品",
    "financing:product_edit",
    "financing:my_products",
    lambda user, data: services.product_create(author=user, **data),
    lambda item, user, data: services.product_update(product=item, actor=user, **data),
)
NEWS = Kind(
    FinancingNews,
    NewsForm,
    "融资动态",
    "financing:news_edit",
    "financing:manage_news",
    lambda user, data: services.news_create(author=user, **data),
    lambda item, user, data: services.news_update(news=item, actor=user, **data),
)


def _news_for(user: Any) -> Any:
    return FinancingNews.objects.for_user(user)


def _get(kind: Kind, user: Any, pk: int) -> Any:
    if kind is PRODUCT:
        return get_for_user_or_404(FinancialProduct.objects.select_related("provider"), user, pk=pk)
    return get_for_user_or_404(FinancingNews.objects.all(), user, pk=pk)


def _render_edit(
    request: HttpRequest,
    kind: Kind,
    item: Any,
    *,
    form: Any = None,
    return_form: Any = None,
    status: int = 200,
) -> HttpResponse:
    actions = workflow_actions(request.user, item)
    if form is None and actions["edit"]:
        form = kind.form(instance=item)
    return render(
        request,
        "financing/item_edit.html",
        {
            "item": item,
            "kind": kind,
            "form": form if actions["edit"] else None,
            "return_form": return_form or ReturnForm(),
            "actions": actions,
            "revisions": revision_list(item=item),
            "history": publication_history(item=item),
            "action_prefix": reverse(kind.edit_url, args=[item.pk]),
        },
        status=status,
    )


def _new(request: HttpRequest, kind: Kind) -> HttpResponse:
    form = kind.form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = kind.create(request.user, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已保存为草稿。确认无误后请提交审核。")
            return redirect(kind.edit_url, pk=item.pk)
    return render(
        request,
        "financing/item_new.html",
        {"form": form, "kind": kind},
        status=400 if form.errors else 200,
    )


def _edit(request: HttpRequest, kind: Kind, pk: int) -> HttpResponse:
    item = _get(kind, request.user, pk)
    if request.method == "GET":
        return _render_edit(request, kind, item)
    if not publishing.can_manage(request.user, item):
        raise PermissionDenied("只有提供单位可以修改此内容。")
    form = kind.form(request.POST, instance=copy.copy(item))
    if not form.is_valid():
        return _render_edit(request, kind, item, form=form, status=400)
    try:
        updated = kind.update(item, request.user, form.cleaned_data)
    except ValidationError as exc:
        apply_errors(form, exc)
        return _render_edit(request, kind, item, form=form, status=400)
    saved_message(request, item, updated)
    return redirect(kind.edit_url, pk=pk)


def _action(request: HttpRequest, kind: Kind, pk: int, action: str) -> HttpResponse:
    item = _get(kind, request.user, pk)
    return publication_action(
        request,
        item,
        action,
        edit_url=reverse(kind.edit_url, args=[pk]),
        review_url=reverse("financing:review"),
        render_edit=lambda **kw: _render_edit(request, kind, item, **kw),
    )


# --- products (institutions write; 工信局 reviews) ----------------------------------------------


@provider_required
@require_GET
def my_products(request: HttpRequest) -> HttpResponse:
    items = FinancialProduct.objects.for_user(request.user).order_by("-updated_at", "-id")
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "financing/my_products.html", {"page": page})


@provider_required
@require_http_methods(["GET", "POST"])
def product_new(request: HttpRequest) -> HttpResponse:
    return _new(request, PRODUCT)


@writer_required
@require_http_methods(["GET", "POST"])
def product_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, PRODUCT, pk)


@writer_required
@require_POST
def product_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    return _action(request, PRODUCT, pk, action)


# --- news (工信局) ------------------------------------------------------------------------------


@overseer_required
@require_GET
def manage_news(request: HttpRequest) -> HttpResponse:
    items = _news_for(request.user).order_by("-updated_at", "-id")
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "financing/manage_news.html", {"page": page})


@overseer_required
@require_http_methods(["GET", "POST"])
def news_new(request: HttpRequest) -> HttpResponse:
    return _new(request, NEWS)


@overseer_required
@require_http_methods(["GET", "POST"])
def news_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, NEWS, pk)


@overseer_required
@require_POST
def news_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    return _action(request, NEWS, pk, action)


@overseer_required
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    products = (
        FinancialProduct.objects.reviewable_by(user)
        .select_related("provider")
        .order_by("submitted_at")
    )
    news = FinancingNews.objects.reviewable_by(user).order_by("submitted_at")
    return render(
        request,
        "financing/review.html",
        {"products": products[:100], "news": news[:100], "submitted": PublicationStatus.SUBMITTED},
    )


# --- statistics ---------------------------------------------------------------------------------


@overseer_required
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    data = request.GET.copy()
    data.setdefault("end", today.isoformat())
    data.setdefault("start", today.replace(month=1, day=1).isoformat())
    form = StatisticsForm(data)
    stats = None
    if form.is_valid():
        stats = selectors.financing_statistics(
            start=form.cleaned_data["start"], end=form.cleaned_data["end"]
        )
        if request.GET.get("export") == "xlsx":
            return _export(stats)
    return render(
        request,
        "financing/statistics.html",
        {"form": form, "stats": stats},
        status=400 if form.errors else 200,
    )


def _export(stats: selectors.FinancingStatistics) -> HttpResponse:
    headers = [
        "金融机构",
        "收到需求",
        "接单",
        "放款笔数",
        "放款金额（万元）",
        "未获批",
        "平均办结天数",
        "平均评价",
    ]
    rows = [
        [
            r.name,
            r.received,
            r.taken,
            r.granted,
            float(r.granted_amount),
            r.refused,
            r.avg_days_to_outcome,
            r.avg_rating,
        ]
        for r in [*stats.rows, stats.totals]
    ]
    return xlsx_response(
        filename=f"融资服务统计_{stats.start:%Y%m%d}-{stats.end:%Y%m%d}.xlsx",
        sheet_title="融资服务统计",
        headers=headers,
        rows=rows,
        preamble=[[f"统计区间：{stats.start:%Y-%m-%d} 至 {stats.end:%Y-%m-%d}"]],
    )
