"""A real client round trip through /open311/v2/ in JSON and XML."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client

from qifu.appeals.models import Appeal, Channel, Stage
from qifu.appeals.services import appeal_file
from qifu.integrations.models import Open311Request
from qifu.integrations.services import api_key_revoke

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"
SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Thursday, a working day, before the 17:00 cut-off.
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def _post(client: Client, fmt: str, data: dict[str, Any], **kw: Any) -> Any:
    return client.post(f"{BASE}/requests.{fmt}", data, **kw)


def _payload(raw: str, enterprise: Any, **extra: Any) -> dict[str, Any]:
    data = {
        "api_key": raw,
        "service_code": "ZC",
        "description": "技改设备奖补资金至今未拨付，请协调。",
        "account_id": enterprise.credit_code,
        "lat": "37.165",
        "long": "122.41",
        "address_string": "荣成市成山大道",
        "first_name": "经理",
        "last_name": "张",
        "phone": "13905310001",
        "email": "zhang@example.com",
        "media_url": "https://example.com/a.jpg",
    }
    data.update(extra)
    return data


def _xml(response: Any) -> ET.Element:
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)  # noqa: S314 - our own response in a test


def test_services_are_the_active_categories_in_json(client: Client, category: Any) -> None:
    response = client.get(f"{BASE}/services.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    [service] = response.json()
    assert service == {
        "service_code": "ZC",
        "service_name": "政策咨询",
        "description": "奖补资金、政策兑现",
        "metadata": True,
        "type": "realtime",
        "keywords": "奖补资金,政策兑现",
        "group": "荣成市工业和信息化局",
    }


def test_services_in_xml_have_the_georeport_shape(client: Client, category: Any) -> None:
    root = _xml(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    [service] = list(root)
    assert service.tag == "service"
    assert [c.tag for c in service] == [
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    ]
    assert service.findtext("service_code") == "ZC"
    assert service.findtext("metadata") == "true"


def test_a_service_definition_has_only_optional_attributes(client: Client, category: Any) -> None:
    definition = client.get(f"{BASE}/services/ZC.json").json()
    assert definition["service_code"] == "ZC"
    assert all(not a["required"] for a in definition["attributes"])
    root = _xml(client.get(f"{BASE}/services/ZC.xml"))
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "ZC"
    assert root.find("attributes") is not None
    missing = client.get(f"{BASE}/services/NOPE.json")
    assert missing.status_code == 404
    assert missing.json()[0]["code"] == 404


def test_a_json_post_creates_an_appeal_and_reads_back(
    client: Client, category: Any, api_key: Any, enterprise: Any, enterprise_user: Any
) -> None:
    raw, key = api_key
    response = client.post(
        f"{BASE}/requests.json",
        _payload(raw, enterprise),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    [created] = response.json()
    assert set(created) == {"service_request_id", "service_notice", "account_id"}
    assert created["account_id"] == enterprise.credit_code
    appeal = Appeal.objects.get(number=created["service_request_id"])
    assert appeal.channel == Channel.OPEN311
    assert appeal.enterprise == enterprise
    assert appeal.created_by == key.service_user
    assert appeal.contact_name == "张经理"
    assert Open311Request.objects.get(appeal=appeal).api_key == key
    # The enterprise sees the appeal as its own.
    assert Appeal.objects.for_user(enterprise_user).filter(pk=appeal.pk).exists()

    [item] = client.get(f"{BASE}/requests/{appeal.number}.json").json()
    assert item["service_request_id"] == appeal.number
    assert item["status"] == "open"
    assert item["service_code"] == "ZC"
    assert item["description"] == "技改设备奖补资金至今未拨付，请协调。"
    assert item["requested_datetime"] == "2026-11-26T10:00:00+08:00"
    assert item["expected_datetime"] == "2026-11-26T17:00:00+08:00"
    assert item["lat"] == 37.165 and item["long"] == 122.41
    assert item["media_url"] == "https://example.com/a.jpg"
    # Public data only: no contact, no enterprise.
    body = client.get(f"{BASE}/requests/{appeal.number}.json").content.decode()
    assert "13905310001" not in body
    assert enterprise.name not in body
    assert "zhang@example.com" not in body


def test_a_form_post_in_xml_round_trips(
    client: Client, category: Any, api_key: Any, enterprise: Any
) -> None:
    raw, _ = api_key
    root = _xml(_post(client, "xml", _payload(raw, enterprise)))
    assert root.tag == "service_requests"
    [request] = list(root)
    assert request.tag == "request"
    assert [c.tag for c in request] == ["service_request_id", "service_notice", "account_id"]
    number = request.findtext("service_request_id")

    detail = _xml(client.get(f"{BASE}/requests/{number}.xml"))
    assert detail.tag == "service_requests"
    [item] = list(detail)
    assert item.tag == "request"
    assert item.findtext("service_request_id") == number
    assert item.findtext("status") == "open"
    assert item.findtext("agency_responsible") == ""
    assert {c.tag for c in item} >= {
        "status_notes",
        "service_name",
        "requested_datetime",
        "expected_datetime",
        "lat",
        "long",
    }


def test_the_list_filters_by_id_status_code_and_dates(
    client: Client, category: Any, api_key: Any, enterprise: Any, platform_staff: Any
) -> None:
    raw, _ = api_key
    first = _post(client, "json", _payload(raw, enterprise)).json()[0]["service_request_id"]
    second = _post(client, "json", _payload(raw, enterprise, description="第二件")).json()[0][
        "service_request_id"
    ]
    # A web appeal is the enterprise's business and never appears in the public list.
    web, _ = appeal_file(
        user=platform_staff,
        title="电话",
        content="电话登记",
        category=category,
        enterprise=enterprise,
    )
    Appeal.objects.filter(number=second).update(stage=Stage.CLOSED)

    listing = client.get(f"{BASE}/requests.json").json()
    assert [r["service_request_id"] for r in listing] == [second, first]
    assert web.number not in {r["service_request_id"] for r in listing}

    def ids(**query: str) -> list[str]:
        return [r["service_request_id"] for r in client.get(f"{BASE}/requests.json", query).json()]

    assert ids(status="open") == [first]
    assert ids(status="closed") == [second]
    assert ids(service_request_id=f"{first},{web.number}") == [first]
    assert ids(service_code="ZC") == [second, first]
    assert ids(service_code="GC") == []
    assert ids(start_date="2026-11-27T00:00:00+08:00") == []
    assert ids(end_date="2026-11-25T00:00:00+08:00") == []
    assert ids(start_date="2026-11-26T00:00:00+08:00", end_date="2026-11-27") == [second, first]
    bad = client.get(f"{BASE}/requests.json", {"start_date": "yesterday"})
    assert bad.status_code == 400

    root = _xml(client.get(f"{BASE}/requests.xml", {"status": "open"}))
    assert root.tag == "service_requests"
    assert [r.findtext("service_request_id") for r in root.findall("request")] == [first]


def test_the_list_defaults_to_the_last_90_days(
    client: Client, category: Any, api_key: Any, enterprise: Any
) -> None:
    raw, _ = api_key
    with time_machine.travel(NOW - dt.timedelta(days=120), tick=False):
        old = _post(client, "json", _payload(raw, enterprise)).json()[0]["service_request_id"]
    assert client.get(f"{BASE}/requests.json").json() == []
    assert client.get(f"{BASE}/requests/{old}.json").status_code == 200


def test_posting_without_a_key_is_401_in_the_spec_error_format(
    client: Client, category: Any, enterprise: Any
) -> None:
    response = _post(client, "json", _payload("", enterprise))
    assert response.status_code == 401
    [error] = response.json()
    assert error["code"] == 401 and error["description"]
    root = _xml(_post(client, "xml", _payload("", enterprise)))
    assert root.tag == "errors"
    assert root.find("error").findtext("code") == "401"
    assert not Appeal.objects.exists()


def test_an_invalid_or_revoked_key_is_403(
    client: Client, category: Any, api_key: Any, enterprise: Any, superuser: Any
) -> None:
    raw, key = api_key
    assert _post(client, "json", _payload("qf_wrong", enterprise)).status_code == 403
    api_key_revoke(key=key, actor=superuser)
    response = _post(client, "json", _payload(raw, enterprise))
    assert response.status_code == 403
    assert response.json()[0]["code"] == 403
    assert not Appeal.objects.exists()


def test_an_unknown_service_code_is_400(
    client: Client, category: Any, api_key: Any, enterprise: Any
) -> None:
    raw, _ = api_key
    response = _post(client, "json", _payload(raw, enterprise, service_code="NOPE"))
    assert response.status_code == 400
    assert "service_code" in response.json()[0]["description"]


def test_a_standard_client_without_account_id_is_accepted_and_linked_during_triage(
    client: Client,
    category: Any,
    api_key: Any,
    enterprise: Any,
    platform_staff: Any,
    department: Any,
) -> None:
    """GeoReport v2 clients send the service, the place, the description and contact fields."""
    from qifu.appeals import services

    raw, _ = api_key
    data = {
        "api_key": raw,
        "service_code": "ZC",
        "description": "厂区门前道路破损，货车无法进出。",
        "lat": "37.165",
        "long": "122.41",
        "first_name": "经理",
        "last_name": "王",
        "phone": "13800000000",
        "attribute[enterprise_name]": "荣成某水产公司",
    }
    response = _post(client, "json", data)
    assert response.status_code == 201
    appeal = Appeal.objects.get(number=response.json()[0]["service_request_id"])
    assert appeal.enterprise is None
    assert appeal.reported_enterprise == "荣成某水产公司"
    # It cannot be dispatched before its enterprise is identified...
    with pytest.raises(ValidationError, match="尚未确认企业"):
        services.appeal_dispatch(appeal=appeal, user=platform_staff, department=department)
    # ...which 研判 does, searching by name or code, in the same one-form step.
    appeal = services.appeal_dispatch(
        appeal=appeal, user=platform_staff, department=department, enterprise=enterprise
    )
    assert (appeal.enterprise, appeal.stage) == (enterprise, Stage.DISPATCHED)
    assert [e.action for e in appeal.events.order_by("at", "id")] == [
        "record",
        "link",
        "triage",
        "dispatch",
    ]


def test_an_exact_credit_code_or_a_phone_of_one_enterprise_links_at_once(
    client: Client, category: Any, api_key: Any, enterprise: Any
) -> None:
    raw, _ = api_key
    by_attribute = _post(
        client,
        "json",
        _payload(
            raw, enterprise, account_id="", **{"attribute[credit_code]": enterprise.credit_code}
        ),
    )
    assert by_attribute.status_code == 201
    assert Appeal.objects.get(number=by_attribute.json()[0]["service_request_id"]).enterprise == (
        enterprise
    )
    enterprise.contact_phone = "13912345678"
    enterprise.save()
    by_phone = _post(client, "json", _payload(raw, enterprise, account_id="", phone="13912345678"))
    assert Appeal.objects.get(number=by_phone.json()[0]["service_request_id"]).enterprise == (
        enterprise
    )
    unknown = _post(client, "json", _payload(raw, enterprise, account_id="91371082MA00000000"))
    assert unknown.status_code == 201
    appeal = Appeal.objects.get(number=unknown.json()[0]["service_request_id"])
    assert appeal.enterprise is None and appeal.reported_credit_code == "91371082MA00000000"


def test_service_definitions_declare_the_optional_enterprise_attributes(
    client: Client, category: Any
) -> None:
    services_list = client.get(f"{BASE}/services.json").json()
    assert services_list[0]["metadata"] is True
    definition = client.get(f"{BASE}/services/ZC.json").json()
    codes = {a["code"]: a["required"] for a in definition["attributes"]}
    assert codes == {"enterprise_name": False, "credit_code": False}
    xml = _xml(client.get(f"{BASE}/services/ZC.xml"))
    assert [a.findtext("code") for a in xml.iter("attribute")] == ["enterprise_name", "credit_code"]


def test_a_missing_description_or_bad_location_is_400(
    client: Client, category: Any, api_key: Any, enterprise: Any
) -> None:
    raw, _ = api_key
    assert _post(client, "json", _payload(raw, enterprise, description=" ")).status_code == 400
    assert _post(client, "json", _payload(raw, enterprise, lat="north")).status_code == 400
    assert _post(client, "json", _payload(raw, enterprise, lat="95")).status_code == 400
    assert not Appeal.objects.exists()


def test_a_wrong_jurisdiction_is_404_and_the_right_one_is_ignored(
    client: Client, category: Any, api_key: Any, enterprise: Any, settings: Any
) -> None:
    wrong = client.get(f"{BASE}/services.json", {"jurisdiction_id": "elsewhere.gov"})
    assert wrong.status_code == 404
    assert wrong.json()[0]["code"] == 404
    raw, _ = api_key
    refused = _post(client, "xml", _payload(raw, enterprise, jurisdiction_id="elsewhere.gov"))
    assert refused.status_code == 404
    assert _xml(refused).tag == "errors"
    right = client.get(f"{BASE}/services.json", {"jurisdiction_id": settings.JURISDICTION_ID})
    assert right.status_code == 200


def test_an_unknown_request_id_is_404(client: Client, db: Any) -> None:
    response = client.get(f"{BASE}/requests/SQ0000.json")
    assert response.status_code == 404
    assert response.json()[0]["code"] == 404


def test_status_notes_show_the_department_response_and_the_agency(
    client: Client, category: Any, api_key: Any, enterprise: Any, department: Any
) -> None:
    raw, _ = api_key
    number = _post(client, "json", _payload(raw, enterprise)).json()[0]["service_request_id"]
    Appeal.objects.filter(number=number).update(
        stage=Stage.RESPONDED,
        department=department,
        response="奖补资金已于本周拨付。",
        responded_at=NOW,
    )
    [item] = client.get(f"{BASE}/requests/{number}.json").json()
    assert item["status_notes"] == "奖补资金已于本周拨付。"
    assert item["agency_responsible"] == "荣成市工业和信息化局"


def test_requests_over_the_rate_limit_get_429(client: Client, category: Any, settings: Any) -> None:
    settings.API_RATE_LIMIT_PER_MINUTE = 10  # two a minute per address without a key
    assert client.get(f"{BASE}/services.json").status_code == 200
    assert client.get(f"{BASE}/services.json").status_code == 200
    response = client.get(f"{BASE}/services.json")
    assert response.status_code == 429
    assert response.json()[0]["code"] == 429


def test_a_client_retry_with_the_same_idempotency_key_creates_one_appeal(
    client: Client, category: Any, api_key: Any, enterprise: Any
) -> None:
    raw, _ = api_key
    first = _post(client, "json", _payload(raw, enterprise), HTTP_IDEMPOTENCY_KEY="abc")
    again = _post(client, "json", _payload(raw, enterprise), HTTP_IDEMPOTENCY_KEY="abc")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json() == again.json()
    assert Appeal.objects.count() == 1
