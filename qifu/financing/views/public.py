"""融资服务's public pages: the section home, news, products, institutions, funds."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from qifu.financing import selectors
from qifu.financing.access import can_oversee, is_financial_provider, takes_orders
from qifu.financing.forms import ProductFilterForm
from qifu.financing.models import FinancialProduct, ProductKind
from qifu.providers.access import provider_for

PAGE_SIZE = 20


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "financing/home.html",
        {
            "news": selectors.news_published()[:5],
            "products": selectors.products_published()[:6],
            "institutions": selectors.institutions()[:8],
            "funds": selectors.funds()[:4],
            "kinds": ProductKind.choices,
            "is_enterprise": bool(user.is_authenticated and user.enterprise_id),
            "is_financial_provider": is_financial_provider(user),
            "takes_orders": takes_orders(user),
            "oversees": can_oversee(user),
        },
    )


@require_GET
def news_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.news_published(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "financing/news_list.html", {"page": page})


@require_GET
def news_detail(request: HttpRequest, pk: int) -> HttpResponse:
    news = selectors.news_published().filter(pk=pk).first()
    if news is None:
        raise Http404("未找到该动态。")
    return render(request, "financing/news_detail.html", {"news": news})


@require_GET
def product_list(request: HttpRequest) -> HttpResponse:
    form = ProductFilterForm(request.GET or None)
    kind = form.cleaned_data["kind"] if form.is_valid() else ""
    raw = request.GET.get("provider", "")
    provider_id = int(raw) if raw.isdigit() and len(raw) < 10 else None
    items = selectors.products_published(kind=kind, provider_id=provider_id)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = "&".join(
        part
        for part in (
            f"kind={kind}" if kind else "",
            f"provider={provider_id}" if provider_id else "",
        )
        if part
    )
    return render(
        request,
        "financing/product_list.html",
        {"page": page, "form": form, "kind": kind, "query": query},
    )


@require_GET
def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    product = selectors.products_published().filter(pk=pk).first()
    if product is None:
        # Its institution and its reviewers still see a product that is not public.
        product = FinancialProduct.objects.for_user(request.user).filter(pk=pk).first()
        if product is None:
            raise Http404("未找到该产品。")
    own = provider_for(request.user)
    return render(
        request,
        "financing/product_detail.html",
        {"product": product, "own": own is not None and own.pk == product.provider_id},
    )


@require_GET
def institution_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    page = Paginator(selectors.institutions(kind=kind), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "financing/institutions.html",
        {"page": page, "kind": kind, "query": f"kind={kind}" if kind else ""},
    )


@require_GET
def fund_list(request: HttpRequest) -> HttpResponse:
    return render(request, "financing/funds.html", {"funds": selectors.funds()})
