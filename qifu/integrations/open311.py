"""Open311 GeoReport v2 at /open311/v2/ (docs/api.md "Open311 GeoReport v2"), JSON and XML.

Choices where the GeoReport v2 spec leaves room, or where an appeal is not a pothole:

- Services are the active appeal categories (service_code = the category code). Each declares two
  optional attributes (`metadata` true): `enterprise_name` (企业名称) and `credit_code`
  (统一社会信用代码), sent as `attribute[enterprise_name]` / `attribute[credit_code]` (or an
  `attribute` object in a JSON body), as GeoReport v2 clients do.
- `account_id` is optional, as in the specification. An appeal belongs to an enterprise, but a
  real Open311 client sends only the service, the location, the description and contact fields:
  the enterprise is linked at once when a credit code (`account_id` or the attribute) names a
  known enterprise exactly, or when the contact phone belongs to exactly one enterprise;
  otherwise the appeal is created as "enterprise to be identified" and 研判 links it (searching
  by name or code) before it can be dispatched.
- The posting integration acts through its API key's service account (username
  `integration-<id>`, platform staff role, unusable password, made once when the key is issued),
  so the appeal enters the one workflow through `appeal_file()` like one recorded by staff, with
  channel `open311` and the key as its creator.
- A location (lat/long or address_string) is optional: many appeals (financing, permits) have
  none.
- GET needs no key and answers public data only. Appeals are enterprises' business data, so the
  public GET endpoints show only requests that came in through Open311 itself (the web appeals of
  enterprises stay private), and only the fields GeoReport defines — never the enterprise's name
  or the contact's name, phone or e-mail. `status_notes` is the department's response once given.
- Unknown service_code on POST → 400; on the service definition → 404. A `jurisdiction_id`
  other than settings.JURISDICTION_ID → 404.
- Rate limits use the shared fixed-window counters (qifu.core.ratelimit): per API key for a valid
  key, per client address otherwise; over the limit → 429.
"""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import re_path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from qifu.accounts.validators import normalize_credit_code
from qifu.appeals.models import Appeal, AppealCategory, Channel, Stage
from qifu.appeals.services import appeal_file, identify_enterprise
from qifu.core.dates import parse_moment
from qifu.core.ratelimit import Limit, hit
from qifu.core.request_context import client_ip
from qifu.integrations.models import ApiKey, Open311Request, Scope
from qifu.integrations.services import api_key_authenticate

MAX_REQUESTS = 1000
DEFAULT_WINDOW = dt.timedelta(days=90)
FORMATS = "json|xml"


class Open311Error(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def _throttle(request: HttpRequest, key: ApiKey | None = None) -> None:
    per_minute = settings.API_RATE_LIMIT_PER_MINUTE
    if key is not None:
        limit = Limit("open311.key", str(key.pk), per_minute, 60)
    else:
        limit = Limit(
            "open311.address", client_ip(request) or "unknown", max(per_minute // 5, 1), 60
        )
    if hit(limit) is not None:
        raise Open311Error(429, "请求过于频繁，请稍后再试。")


# --- rendering ---------------------------------------------------------------------------------


def _xml_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _xml(root_name: str, item_name: str, items: list[dict[str, Any]]) -> bytes:
    root = ET.Element(root_name)
    for item in items:
        element = ET.SubElement(root, item_name)
        for name, value in item.items():
            child = ET.SubElement(element, name)
            if isinstance(value, list):
                continue  # attributes: always empty here
            child.text = _xml_value(value)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _respond(
    fmt: str, root_name: str, item_name: str, items: list[dict[str, Any]], status: int = 200
) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(
            _xml(root_name, item_name, items), content_type="application/xml", status=status
        )
    return JsonResponse(items, safe=False, status=status, json_dumps_params={"ensure_ascii": False})


def _error(fmt: str, status: int, description: str) -> HttpResponse:
    return _respond(fmt, "errors", "error", [{"code": status, "description": description}], status)


def _time(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


# GeoReport v2 service attributes: optional, so that a plain client is never refused.
ATTRIBUTES = (
    {
        "variable": True,
        "code": "enterprise_name",
        "datatype": "string",
        "required": False,
        "datatype_description": "企业全称",
        "order": 1,
        "description": "诉求企业名称（可选，便于平台确认企业）",
    },
    {
        "variable": True,
        "code": "credit_code",
        "datatype": "string",
        "required": False,
        "datatype_description": "18位统一社会信用代码",
        "order": 2,
        "description": "诉求企业的统一社会信用代码（可选）",
    },
)


def _service(category: AppealCategory) -> dict[str, Any]:
    department = category.default_department
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": True,
        "type": "realtime",
        "keywords": category.description.replace("、", ","),
        "group": department.name if department else "企业诉求",
    }


def _request(appeal: Appeal) -> dict[str, Any]:
    envelope: Open311Request | None = getattr(appeal, "open311", None)
    return {
        "service_request_id": appeal.number,
        "status": "closed" if appeal.stage == Stage.CLOSED else "open",
        "status_notes": appeal.response,
        "service_name": appeal.category.name,
        "service_code": appeal.category.code,
        "description": appeal.content,
        "agency_responsible": appeal.department.name if appeal.department else "",
        "service_notice": "",
        "requested_datetime": _time(appeal.received_at),
        "updated_datetime": _time(appeal.updated_at),
        "expected_datetime": _time(appeal.current_due_at),
        "address": appeal.address,
        "address_id": "",
        "zipcode": "",
        "lat": float(appeal.latitude) if appeal.latitude is not None else None,
        "long": float(appeal.longitude) if appeal.longitude is not None else None,
        "media_url": envelope.media_url if envelope else "",
    }


# --- shared checks -----------------------------------------------------------------------------


def _params(request: HttpRequest) -> dict[str, str]:
    """GET query, form-encoded POST body, or a JSON object body."""
    params = {k: str(v) for k, v in request.GET.items()}
    if request.method == "POST":
        if request.content_type == "application/json":
            try:
                body = json.loads(request.body or b"{}")
            except ValueError as exc:
                raise Open311Error(400, "请求体不是有效的 JSON。") from exc
            if not isinstance(body, dict):
                raise Open311Error(400, "请求体应为 JSON 对象。")
            attribute = body.pop("attribute", None)
            if isinstance(attribute, dict):
                body.update({f"attribute[{k}]": v for k, v in attribute.items()})
            params.update({k: "" if v is None else str(v) for k, v in body.items()})
        else:
            params.update({k: str(v) for k, v in request.POST.items()})
    return params


def _check_jurisdiction(params: dict[str, str]) -> None:
    jurisdiction = params.get("jurisdiction_id", "").strip()
    if jurisdiction and jurisdiction != settings.JURISDICTION_ID:
        raise Open311Error(404, f"jurisdiction_id 不正确，本平台为 {settings.JURISDICTION_ID}。")


def _public_requests() -> QuerySet[Appeal]:
    return Appeal.objects.filter(channel=Channel.OPEN311).select_related(
        "category", "department", "open311"
    )


def _moment(value: str, name: str) -> dt.datetime:
    moment = parse_moment(value, dates=True)
    if moment is None:
        raise Open311Error(
            400, f"{name} 应为真实存在的 ISO 8601 时间，例如 2026-09-30T17:00:00+08:00。"
        )
    return moment


def _handle(request: HttpRequest, fmt: str, view: Any, *args: Any) -> HttpResponse:
    try:
        params = _params(request)
        _check_jurisdiction(params)
        return view(request, fmt, params, *args)  # type: ignore[no-any-return]
    except Open311Error as exc:
        return _error(fmt, exc.status, exc.description)


# --- endpoints ---------------------------------------------------------------------------------


@require_GET
def services_list(request: HttpRequest, fmt: str) -> HttpResponse:
    def view(request: HttpRequest, fmt: str, params: dict[str, str]) -> HttpResponse:
        _throttle(request)
        categories = AppealCategory.objects.filter(is_active=True).select_related(
            "default_department"
        )
        return _respond(fmt, "services", "service", [_service(c) for c in categories])

    return _handle(request, fmt, view)


@require_GET
def service_definition(request: HttpRequest, service_code: str, fmt: str) -> HttpResponse:
    def view(request: HttpRequest, fmt: str, params: dict[str, str]) -> HttpResponse:
        _throttle(request)
        if not AppealCategory.objects.filter(code=service_code, is_active=True).exists():
            raise Open311Error(404, f"service_code {service_code} 不存在。")
        if fmt == "xml":
            root = ET.Element("service_definition")
            ET.SubElement(root, "service_code").text = service_code
            attributes = ET.SubElement(root, "attributes")
            for attribute in ATTRIBUTES:
                element = ET.SubElement(attributes, "attribute")
                for name, value in attribute.items():
                    ET.SubElement(element, name).text = _xml_value(value)
            body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
            return HttpResponse(body, content_type="application/xml")
        return JsonResponse(
            {"service_code": service_code, "attributes": list(ATTRIBUTES)},
            json_dumps_params={"ensure_ascii": False},
        )

    return _handle(request, fmt, view)


def _list_requests(request: HttpRequest, fmt: str, params: dict[str, str]) -> HttpResponse:
    _throttle(request)
    appeals = _public_requests()
    ids = [i.strip() for i in params.get("service_request_id", "").split(",") if i.strip()]
    if ids:
        # The spec: with service_request_id, every other filter is ignored.
        appeals = appeals.filter(number__in=ids[:MAX_REQUESTS])
    else:
        if params.get("service_code"):
            codes = [c.strip() for c in params["service_code"].split(",") if c.strip()]
            appeals = appeals.filter(category__code__in=codes)
        statuses = {s.strip() for s in params.get("status", "").split(",") if s.strip()}
        if statuses - {"open", "closed"}:
            raise Open311Error(400, "status 只能是 open 或 closed。")
        if statuses == {"open"}:
            appeals = appeals.exclude(stage=Stage.CLOSED)
        elif statuses == {"closed"}:
            appeals = appeals.filter(stage=Stage.CLOSED)
        start = _moment(params["start_date"], "start_date") if params.get("start_date") else None
        end = _moment(params["end_date"], "end_date") if params.get("end_date") else None
        if start is None and end is None:
            start = timezone.now() - DEFAULT_WINDOW
        if start is not None:
            appeals = appeals.filter(received_at__gte=start)
        if end is not None:
            appeals = appeals.filter(received_at__lte=end)
    appeals = appeals.order_by("-received_at", "-id")[:MAX_REQUESTS]
    return _respond(fmt, "service_requests", "request", [_request(a) for a in appeals])


def _decimal(value: str, name: str, limit: int) -> Decimal | None:
    if not value.strip():
        return None
    try:
        number = Decimal(value.strip())
    except InvalidOperation as exc:
        raise Open311Error(400, f"{name} 应为十进制数（WGS84）。") from exc
    if not number.is_finite() or abs(number) > limit:
        raise Open311Error(400, f"{name} 超出范围。")
    return number.quantize(Decimal("0.000001"))


def _create_request(request: HttpRequest, fmt: str, params: dict[str, str]) -> HttpResponse:
    raw_key = params.get("api_key", "").strip()
    if not raw_key:
        _throttle(request)
        raise Open311Error(401, "缺少 api_key：提交诉求需要平台签发的接口密钥。")
    key = api_key_authenticate(raw_key, scope=Scope.OPEN311)
    if key is None or key.service_user is None:
        _throttle(request)
        raise Open311Error(403, "api_key 无效或已吊销。")
    _throttle(request, key)

    code = params.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, "缺少 service_code。")
    category = AppealCategory.objects.filter(code=code, is_active=True).first()
    if category is None:
        raise Open311Error(400, f"service_code {code} 不存在，请先查询 services 列表。")
    description = params.get("description", "").strip()
    if not description:
        raise Open311Error(400, "缺少 description（诉求内容）。")
    if len(description) > 5000:
        raise Open311Error(400, "description 不能超过5000字。")
    account_id = normalize_credit_code(params.get("account_id", ""))[:30]
    credit_code = account_id or normalize_credit_code(params.get("attribute[credit_code]", ""))
    reported_name = params.get("attribute[enterprise_name]", "").strip()[:200]
    phone = params.get("phone", "").strip()[:20]
    enterprise = identify_enterprise(credit_code=credit_code, phone=phone)
    latitude = _decimal(params.get("lat", ""), "lat", 90)
    longitude = _decimal(params.get("long", ""), "long", 180)
    if (latitude is None) != (longitude is None):
        raise Open311Error(400, "lat 与 long 须同时提供。")
    email = params.get("email", "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise Open311Error(400, "email 格式不正确。") from exc
    media_url = params.get("media_url", "").strip()
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError as exc:
            raise Open311Error(400, "media_url 应为 http(s) 网址。") from exc
    name = f"{params.get('last_name', '').strip()}{params.get('first_name', '').strip()}"
    title = f"{category.name}：{description.splitlines()[0]}"[:40]
    idempotency_key = request.headers.get("Idempotency-Key", "").strip()[:64] or None
    try:
        with transaction.atomic():
            appeal, created = appeal_file(
                user=key.service_user,
                title=title,
                content=description,
                category=category,
                contact_name=name[:50],
                contact_phone=phone,
                enterprise=enterprise,
                enterprise_pending=enterprise is None,
                reported_enterprise=reported_name,
                reported_credit_code=credit_code[:30],
                channel=Channel.OPEN311,
                idempotency_key=idempotency_key,
                address=params.get("address_string", "").strip()[:200],
                latitude=latitude,
                longitude=longitude,
            )
            if created:
                Open311Request.objects.create(
                    appeal=appeal,
                    api_key=key,
                    account_id=account_id,
                    email=email[:254],
                    device_id=params.get("device_id", "").strip()[:100],
                    media_url=media_url[:500],
                )
    except ValidationError as exc:
        raise Open311Error(400, "；".join(exc.messages)) from exc
    except PermissionDenied as exc:
        raise Open311Error(403, str(exc)) from exc
    item = {
        "service_request_id": appeal.number,
        "service_notice": "",
        "account_id": enterprise.credit_code if enterprise else account_id,
    }
    return _respond(fmt, "service_requests", "request", [item], status=201 if created else 200)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests_collection(request: HttpRequest, fmt: str) -> HttpResponse:
    view = _create_request if request.method == "POST" else _list_requests
    return _handle(request, fmt, view)


@require_GET
def request_detail(request: HttpRequest, service_request_id: str, fmt: str) -> HttpResponse:
    def view(request: HttpRequest, fmt: str, params: dict[str, str]) -> HttpResponse:
        _throttle(request)
        appeal = _public_requests().filter(number=service_request_id).first()
        if appeal is None:
            raise Open311Error(404, f"service_request_id {service_request_id} 不存在。")
        return _respond(fmt, "service_requests", "request", [_request(appeal)])

    return _handle(request, fmt, view)


urlpatterns = [
    re_path(rf"^services\.(?P<fmt>{FORMATS})$", services_list, name="services"),
    re_path(
        rf"^services/(?P<service_code>[\w-]+)\.(?P<fmt>{FORMATS})$",
        service_definition,
        name="service",
    ),
    re_path(rf"^requests\.(?P<fmt>{FORMATS})$", requests_collection, name="requests"),
    re_path(
        rf"^requests/(?P<service_request_id>[\w-]+)\.(?P<fmt>{FORMATS})$",
        request_detail,
        name="request",
    ),
]
