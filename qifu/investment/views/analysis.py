"""招商大数据分析, 招商决策支持 and 招商服务 staff pages: the key-enterprise database, chain gaps,
maps and charts (each with its table and Excel export), service indicators, learning material."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qifu.investment import access
from qifu.investment.fields import KEY_ENTERPRISE_FIELDS
from qifu.investment.forms import KeyEnterpriseFilterForm, KeyEnterpriseForm
from qifu.investment.models import (
    Chain,
    ContactStatus,
    KeyEnterprise,
    Lead,
    LeadNode,
    LearningMaterial,
    MaterialCategory,
)
from qifu.investment.selectors import analysis
from qifu.investment.selectors.indicators import service_indicators
from qifu.investment.services.visits import key_enterprise_save, key_enterprise_to_lead
from qifu.investment.views.common import (
    export_response,
    form_errors,
    investment_staff_required,
    pipeline_reader_required,
)
from qifu.investment.views.public import map_config

PAGE_SIZE = 30


@pipeline_reader_required
@require_GET
def analysis_home(request: HttpRequest) -> HttpResponse:
    """外地重点企业库 with filters, its contact statuses and export."""
    form = KeyEnterpriseFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = KeyEnterprise.objects.select_related("chain", "chain_link")
    if data.get("chain"):
        qs = qs.filter(chain=data["chain"])
    if data.get("contact_status"):
        qs = qs.filter(contact_status=data["contact_status"])
    if data.get("q"):
        qs = qs.filter(Q(name__icontains=data["q"]) | Q(industry__icontains=data["q"]))
    dataset = analysis.Dataset(
        "key_enterprises",
        "外地重点企业库",
        [
            "企业",
            "国家/地区",
            "省份",
            "城市",
            "产业链",
            "环节",
            "主营业务",
            "营业收入（万元）",
            "榜单/地位",
            "联系状态",
            "最近联系",
        ],
        [
            [
                k.name,
                k.country,
                k.province,
                k.city,
                k.chain.name if k.chain else "",
                k.chain_link.name if k.chain_link else "",
                k.industry,
                float(k.revenue) if k.revenue is not None else "",
                k.ranking,
                k.get_contact_status_display(),  # type: ignore[attr-defined]
                k.last_contact_on.isoformat() if k.last_contact_on else "",
            ]
            for k in qs[:5000]
        ]
        if request.GET.get("export")
        else [],
    )
    exported = export_response(request, [dataset])
    if exported is not None:
        return exported
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    counts = analysis.key_enterprise_counts()
    return render(
        request,
        "investment/staff/analysis.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "statuses": [(v, label, counts.get(v, 0)) for v, label in ContactStatus.choices],
            "is_staff": access.is_investment_staff(request.user),
        },
    )


@investment_staff_required
@require_http_methods(["GET", "POST"])
def key_enterprise_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    row = get_object_or_404(KeyEnterprise, pk=pk) if pk else None
    form = KeyEnterpriseForm(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        try:
            key_enterprise_save(
                actor=request.user,
                values={n: form.cleaned_data[n] for n in KEY_ENTERPRISE_FIELDS},
                key_enterprise=row,
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect("investment:analysis")
    return render(request, "investment/staff/key_enterprise_form.html", {"form": form, "row": row})


@investment_staff_required
@require_POST
def key_enterprise_lead(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(KeyEnterprise, pk=pk)
    try:
        lead = key_enterprise_to_lead(actor=request.user, key_enterprise=row)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("investment:analysis")
    messages.success(request, f"已生成招商项目 {lead.reference}。")
    return redirect("investment:lead", pk=lead.pk)


@pipeline_reader_required
@require_GET
def gaps(request: HttpRequest) -> HttpResponse:
    chain = None
    if request.GET.get("chain"):
        chain = Chain.objects.filter(pk=request.GET["chain"]).first()
    rows = analysis.chain_gaps(chain=chain)
    dataset = analysis.chain_gap_dataset(rows)
    exported = export_response(request, [dataset])
    if exported is not None:
        return exported
    return render(
        request,
        "investment/staff/gaps.html",
        {"rows": rows, "chains": Chain.objects.all(), "chain": chain},
    )


def _decision_datasets(request: HttpRequest) -> list[analysis.Dataset]:
    leads = Lead.objects.for_user(request.user)
    return [
        *analysis.pipeline_datasets(leads),
        analysis.asset_dataset(),
        *analysis.visit_datasets(),
        analysis.foreign_dataset(leads),
    ]


@pipeline_reader_required
@require_GET
def decision(request: HttpRequest) -> HttpResponse:
    """招商统计: projects, idle assets, visits and foreign investment, chart and table each."""
    datasets = _decision_datasets(request)
    exported = export_response(request, datasets)
    if exported is not None:
        return exported
    return render(request, "investment/staff/decision.html", {"datasets": datasets})


@pipeline_reader_required
@require_GET
def investment_map(request: HttpRequest) -> HttpResponse:
    """荣成投资地图: enterprises by town and industry, parks, idle assets."""
    chain = Chain.objects.filter(pk=request.GET.get("chain") or 0).first()
    industry = (request.GET.get("industry") or "").strip()[:5]
    towns, enterprise_points = analysis.town_dataset(chain=chain, industry=industry)
    parks, assets = analysis.park_asset_points()
    park_table = analysis.Dataset(
        "parks",
        "园区",
        ["园区", "纬度", "经度", "说明"],
        [[p["name"], p["lat"], p["lng"], p["detail"]] for p in parks],
    )
    asset_table = analysis.Dataset(
        "idle_assets",
        "闲置资产位置",
        ["资产", "纬度", "经度", "说明"],
        [[a["name"], a["lat"], a["lng"], a["detail"]] for a in assets],
    )
    exported = export_response(request, [towns, park_table, asset_table])
    if exported is not None:
        return exported
    config = map_config([*enterprise_points, *parks, *assets])
    config["towns"] = towns.chart["counts"]
    return render(
        request,
        "investment/staff/map.html",
        {
            "map": config,
            "towns": towns,
            "parks": park_table,
            "assets": asset_table,
            "chains": Chain.objects.all(),
            "chain": chain,
            "industry": industry,
            "query": request.GET.urlencode(),
        },
    )


@pipeline_reader_required
@require_GET
def national_map(request: HttpRequest) -> HttpResponse:
    """全国招商地图: leads and incoming visits by province of origin."""
    dataset = analysis.origin_dataset(Lead.objects.for_user(request.user))
    exported = export_response(request, [dataset])
    if exported is not None:
        return exported
    return render(request, "investment/staff/national.html", {"dataset": dataset})


def _period(request: HttpRequest) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    try:
        start = dt.date.fromisoformat(request.GET.get("start", ""))
    except ValueError:
        start = today.replace(month=1, day=1) - dt.timedelta(days=365)
        start = start.replace(month=1, day=1)
    try:
        end = dt.date.fromisoformat(request.GET.get("end", ""))
    except ValueError:
        end = today
    return (start, end) if start <= end else (end, start)


@pipeline_reader_required
@require_GET
def indicators(request: HttpRequest) -> HttpResponse:
    start, end = _period(request)
    officers, teams = service_indicators(Lead.objects.for_user(request.user), start=start, end=end)
    exported = export_response(request, [officers, teams])
    if exported is not None:
        return exported
    return render(
        request,
        "investment/staff/indicators.html",
        {
            "officers": officers,
            "teams": teams,
            "start": start,
            "end": end,
            "query": f"start={start.isoformat()}&end={end.isoformat()}",
        },
    )


@investment_staff_required
@require_GET
def services_home(request: HttpRequest) -> HttpResponse:
    """招商服务: shared learning material (published after review) and my upcoming nodes."""
    category = request.GET.get("category", "")
    materials = LearningMaterial.objects.published()
    if category in MaterialCategory.values:
        materials = materials.filter(category=category)
    today = timezone.localdate()
    upcoming = (
        LeadNode.objects.filter(
            owner_id=request.user.pk,
            reached_at__isnull=True,
            planned_on__isnull=False,
            lead__stage__in=[
                "lead",
                "contact",
                "inspection",
                "negotiation",
                "signed",
                "registered",
                "started",
            ],
        )
        .select_related("lead")
        .order_by("planned_on")[:20]
    )
    return render(
        request,
        "investment/staff/services.html",
        {
            "materials": materials[:50],
            "category": category,
            "categories": MaterialCategory.choices,
            "upcoming": upcoming,
            "today": today,
        },
    )


@investment_staff_required
@require_GET
def material(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(LearningMaterial.objects.published(), pk=pk)
    from qifu.investment.catalogue import files_of

    return render(
        request, "investment/staff/material.html", {"item": item, "files": files_of(item)}
    )
