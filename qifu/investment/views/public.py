"""招商推介: the public promotion pages, in Chinese at /invest/ and English at /en/invest/.

Only published items appear. Template text is Chinese, translated for the English pages by the
reviewed catalogue in qifu/investment/locale; database items show their reviewed English fields
(or the Chinese, marked as such, where an item has no English yet).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from qifu.core.forms import apply_errors
from qifu.core.request_context import current as request_info
from qifu.investment.catalogue import KINDS
from qifu.investment.forms import AssetFilterForm, IntentForm, ParkFilterForm
from qifu.investment.models import localized
from qifu.investment.selectors import public
from qifu.investment.services.intents import (
    TooManyIntents,
    intent_clean,
    intent_rate_check,
    intent_register,
)

PAGE_SIZE = 12
SESSION_REFERENCE = "investment_intent_reference"


def _context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    language = translation.get_language()
    other = "zh-hans" if language == "en" else "en"
    return {
        "is_english": language == "en",
        "switch_url": translate_url(request.path, other),
        "switch_label": "中文" if language == "en" else "English",
        **extra,
    }


def map_config(points: list[dict[str, Any]]) -> dict[str, Any]:
    """What the map script needs: the outline shipped with the site, optional tiles, points."""
    return {
        "outline": static("investment/rongcheng.geojson"),
        "tiles": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "center": list(settings.MAP_CENTER),
        "points": [p for p in points if p],
        "labels": {
            "park": _("园区"),
            "asset": _("闲置资产"),
            "enterprise": _("企业"),
            "outline": _("荣成市"),
            "towns": _("镇街（示意范围）"),
        },
    }


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "investment/public/home.html",
        _context(
            request,
            sections=public.environment(),
            chains=public.chains(),
            parks_count=public.parks().count(),
            assets_count=public.assets().count(),
            projects=public.cooperation()[:4],
            media=[(m, public.photos(m)[:1]) for m in public.media()[:6]],
        ),
    )


@require_GET
def chains(request: HttpRequest) -> HttpResponse:
    return render(
        request, "investment/public/chains.html", _context(request, chains=public.chains())
    )


@require_GET
def chain_detail(request: HttpRequest, code: str) -> HttpResponse:
    chain = public.chains().filter(code=code).first()
    if chain is None:
        raise Http404
    return render(
        request,
        "investment/public/chain.html",
        _context(
            request,
            chain=chain,
            parks=public.parks(chain=chain),
            projects=public.cooperation().filter(chain=chain),
        ),
    )


@require_GET
def parks(request: HttpRequest) -> HttpResponse:
    form = ParkFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    rows = public.parks(chain=data.get("chain"), min_land=data.get("min_land"))
    points = [
        public.point(
            p,
            url=reverse("promotion:park", args=[p.pk]),
            kind="park",
            label=localized(p, "name"),
            detail=localized(p, "leading_industries"),
        )
        for p in rows
    ]
    return render(
        request,
        "investment/public/parks.html",
        _context(request, form=form, parks=rows, map=map_config(points)),  # type: ignore[arg-type]
    )


def _kind_label(asset: Any) -> str:
    return str(asset.kind_en if translation.get_language() == "en" else asset.get_kind_display())


def _detail(request: HttpRequest, kind_key: str, pk: int, template: str) -> HttpResponse:
    kind = KINDS[kind_key]
    item = public.published_item(kind, pk)
    if item is None:
        raise Http404
    point = public.point(
        item,
        url="",
        kind="park" if kind_key == "parks" else "asset",
        label=localized(item, "name" if kind_key == "parks" else "title"),
    )
    return render(
        request,
        template,
        _context(
            request, item=item, photos=public.photos(item), map=map_config([point] if point else [])
        ),  # type: ignore[list-item]
    )


@require_GET
def park_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, "parks", pk, "investment/public/park.html")


@require_GET
def assets(request: HttpRequest) -> HttpResponse:
    form = AssetFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    rows = public.assets(
        kind=data.get("kind", ""),
        town=data.get("town"),
        availability=data.get("availability", ""),
        min_area=data.get("min_area"),
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    points = [
        public.point(
            a,
            url=reverse("promotion:asset", args=[a.pk]),
            kind="asset",
            label=localized(a, "title"),
            detail=f"{_kind_label(a)} · {a.area} m²",
        )
        for a in rows
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "investment/public/assets.html",
        _context(request, form=form, page=page, map=map_config(points), query=query.urlencode()),  # type: ignore[arg-type]
    )


@require_GET
def asset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, "assets", pk, "investment/public/asset.html")


@require_GET
def cooperation(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "investment/public/cooperation.html",
        _context(request, projects=public.cooperation(), needs=public.needs()),
    )


@require_GET
def costs(request: HttpRequest) -> HttpResponse:
    return render(request, "investment/public/costs.html", _context(request, costs=public.costs()))


@require_GET
def policies(request: HttpRequest) -> HttpResponse:
    return render(
        request, "investment/public/policies.html", _context(request, policies=public.policies())
    )


@require_GET
def contacts(request: HttpRequest) -> HttpResponse:
    return render(
        request, "investment/public/contacts.html", _context(request, contacts=public.contacts())
    )


@require_GET
def photo(request: HttpRequest, pk: int) -> FileResponse:
    stored = public.public_file(pk)
    if stored is None or not stored.is_image:
        raise Http404
    response = FileResponse(stored.file.open("rb"), content_type=stored.content_type)
    response["Cache-Control"] = "public, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _client_address(request: HttpRequest) -> str:
    info = request_info()
    return (info.ip_address if info else None) or request.META.get("REMOTE_ADDR", "") or "unknown"


@require_http_methods(["GET", "POST"])
def intent(request: HttpRequest) -> HttpResponse:
    english = translation.get_language() == "en"
    form = IntentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        robot = form.robot_check()
        if robot == "bot":
            # Tell a robot nothing it could learn from; no lead, no message to anyone.
            request.session[SESSION_REFERENCE] = ""
            return redirect("promotion:intent_done")
        if robot:
            form.add_error(
                None,
                _("页面已过期，请核对后重新提交。")
                if robot == "stale"
                else _("提交过快，请核对填写的内容后再次提交。"),
            )
            return render(
                request,
                "investment/public/intent.html",
                _context(request, form=_fresh_stamp(form)),
                status=400,
            )
        try:
            checked = intent_clean(form.cleaned_data, english=english)
            intent_rate_check(address=_client_address(request), intent=checked)
        except ValidationError as exc:
            apply_errors(form, exc)
        except TooManyIntents:
            form.add_error(None, _("提交过于频繁，请稍后再试，或直接致电商务局。"))
        else:
            lead = intent_register(intent=checked, language="en" if english else "zh-hans")
            request.session[SESSION_REFERENCE] = lead.reference
            return redirect("promotion:intent_done")
        form = _fresh_stamp(form)
    elif request.method == "POST":
        form = _fresh_stamp(form)
    return render(
        request,
        "investment/public/intent.html",
        _context(request, form=form),
        status=400 if request.method == "POST" else 200,
    )


def _fresh_stamp(form: IntentForm) -> IntentForm:
    """Re-render with a new form time, so a person correcting an error is not taken for a robot
    when they send it again within seconds of the stamp."""
    data = form.data.copy()  # type: ignore[attr-defined]
    data["stamp"] = IntentForm().initial["stamp"]
    fresh = IntentForm(data)
    fresh._errors = form.errors  # type: ignore[attr-defined]  # the first check's errors stay
    return fresh


@require_GET
def intent_done(request: HttpRequest) -> HttpResponse:
    if SESSION_REFERENCE not in request.session:
        messages.info(request, _("请先填写投资意向。"))
        return redirect("promotion:intent")
    reference = request.session.get(SESSION_REFERENCE, "")
    return render(
        request, "investment/public/intent_done.html", _context(request, reference=reference)
    )
