"""服务超市: offerings through review, orders by direct choice, quotes and random draw, the
provider's acceptance within working days, completion, rating, complaints, and who sees what."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from qifu.core.workflow import TransitionNotAllowed
from qifu.market import services
from qifu.market.deadlines import orders_deadline_sweep
from qifu.market.models import Draw, Order, OrderStatus, draw_index
from qifu.market.selectors import provider_record
from qifu.notifications.models import Notification

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def test_an_offering_is_public_only_after_review(
    law_firm: Any, department_admin: Any, client: Any
) -> None:
    _, lawyer = law_firm
    offering = services.offering_create(
        author=lawyer,
        category="legal",
        title="企业常年法律顾问",
        description="合同审查、法律咨询。",
        area_served="荣成市",
        promised_working_days=5,
    )
    assert client.get(reverse("market:offering", args=[offering.pk])).status_code == 404
    from qifu.publishing.services import (
        publication_approve,
        publication_publish,
        publication_submit,
    )

    publication_submit(item=offering, actor=lawyer)
    publication_approve(item=offering, actor=department_admin)
    publication_publish(item=offering, actor=department_admin)
    page = client.get(reverse("market:offering", args=[offering.pk]))
    assert page.status_code == 200
    assert "企业常年法律顾问" in page.content.decode()


def test_an_enterprise_cannot_list_offerings(enterprise_user: Any, department: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.offering_create(
            author=enterprise_user, category="legal", title="x", description="y"
        )


def test_law_firm_lists_enterprise_draws_orders_and_rates(
    law_firm: Any,
    other_law_firm: Any,
    enterprise_user: Any,
    publish_offering: Any,
    client: Any,
) -> None:
    firm, lawyer = law_firm
    other, other_lawyer = other_law_firm
    publish_offering(lawyer)
    publish_offering(other_lawyer, title="合同审查")

    order = services.need_post(
        user=enterprise_user,
        category="legal",
        method="draw",
        title="季节性用工合同规范",
        description="旺季临时用工 200 人。",
    )
    assert order.status == OrderStatus.SELECTING
    draw = services.order_draw(user=enterprise_user, order=order)
    order.refresh_from_db()
    assert order.status == OrderStatus.SUBMITTED
    assert order.provider_id == draw.chosen_id
    assert sorted(draw.candidate_ids) == sorted([firm.pk, other.pk])
    assert draw.verify()
    assert order.accept_due_at is not None

    chosen_user = lawyer if draw.chosen_id == firm.pk else other_lawyer
    services.order_accept(user=chosen_user, order=order, working_days=10)
    services.order_complete(user=chosen_user, order=order, result="已出具合规报告。")
    services.order_rate(user=enterprise_user, order=order, rating=4, comment="专业、及时。")
    order.refresh_from_db()
    assert (order.status, order.rating) == (OrderStatus.COMPLETED, 4)
    assert [e.action for e in order.events.all()] == [
        "post",
        "draw",
        "accept",
        "complete",
        "rate",
    ]

    record = provider_record(draw.chosen)
    assert (record.completed, record.rating, record.rated) == (1, 4.0, 1)
    assert record.response_hours is not None
    page = client.get(reverse("market:provider", args=[draw.chosen_id])).content.decode()
    assert "专业、及时。" in page and "4.0" in page


def test_a_draw_is_reproducible_from_its_record(
    law_firm: Any, other_law_firm: Any, enterprise_user: Any, publish_offering: Any
) -> None:
    publish_offering(law_firm[1])
    publish_offering(other_law_firm[1])
    order = services.need_post(
        user=enterprise_user, category="legal", method="draw", title="t", description="d"
    )
    draw = services.order_draw(user=enterprise_user, order=order)
    ids = [c["id"] for c in draw.candidates]
    assert ids == sorted(ids)
    assert ids[draw_index(draw.seed, ids)] == draw.chosen_id
    # The same seed and candidates always give the same provider.
    assert all(draw_index(draw.seed, ids) == draw_index(draw.seed, ids) for _ in range(5))
    assert draw.order.events.get(action="draw").data["seed"] == draw.seed


def test_a_provider_that_declines_is_left_out_of_the_next_draw(
    law_firm: Any, other_law_firm: Any, enterprise_user: Any, publish_offering: Any
) -> None:
    firm, lawyer = law_firm
    _other, other_lawyer = other_law_firm
    publish_offering(lawyer)
    publish_offering(other_lawyer)
    order = services.need_post(
        user=enterprise_user, category="legal", method="draw", title="t", description="d"
    )
    first = services.order_draw(user=enterprise_user, order=order)
    refuser = lawyer if first.chosen_id == firm.pk else other_lawyer
    services.order_decline(user=refuser, order=order, reason="本所近期案件已满。")
    order.refresh_from_db()
    assert order.status == OrderStatus.SELECTING and order.provider_id is None
    second = services.order_draw(user=enterprise_user, order=order)
    assert second.chosen_id != first.chosen_id
    assert second.excluded_ids == [first.chosen_id]


def test_a_direct_order_declined_ends_there(
    law_firm: Any, enterprise_user: Any, publish_offering: Any
) -> None:
    offering = publish_offering(law_firm[1])
    order = services.order_direct(user=enterprise_user, offering=offering, description="需要")
    services.order_decline(user=law_firm[1], order=order, reason="不在服务区域。")
    order.refresh_from_db()
    assert order.status == OrderStatus.DECLINED


def test_quotes_are_chosen_by_the_enterprise_and_hidden_from_other_providers(
    law_firm: Any,
    other_law_firm: Any,
    enterprise_user: Any,
    publish_offering: Any,
    client_for: Any,
) -> None:
    publish_offering(law_firm[1])
    publish_offering(other_law_firm[1])
    order = services.need_post(
        user=enterprise_user, category="legal", method="quote", title="合同审查", description="d"
    )
    first = services.quote_submit(
        user=law_firm[1], order=order, amount=Decimal("9000"), working_days=5, note="甲方报价"
    )
    services.quote_submit(
        user=other_law_firm[1], order=order, amount=Decimal("8800"), working_days=8
    )
    page = client_for(other_law_firm[1]).get(reverse("market:order", args=[order.pk]))
    assert page.status_code == 200
    assert "甲方报价" not in page.content.decode()
    assert "13900000001" not in page.content.decode()  # the enterprise's phone, not yet chosen

    services.quote_choose(user=enterprise_user, order=order, quote_id=first.pk)
    order.refresh_from_db()
    assert order.provider_id == law_firm[0].pk
    assert order.agreed_price == Decimal("9000")
    assert order.promised_working_days == 5
    # Once chosen, the other firm no longer sees the order at all.
    assert (
        client_for(other_law_firm[1]).get(reverse("market:order", args=[order.pk])).status_code
        == 404
    )


def test_a_provider_without_offerings_in_the_category_cannot_quote(
    law_firm: Any, accounting_firm: Any, enterprise_user: Any, publish_offering: Any
) -> None:
    publish_offering(law_firm[1])
    order = services.need_post(
        user=enterprise_user, category="legal", method="quote", title="t", description="d"
    )
    with pytest.raises(PermissionDenied):
        services.quote_submit(
            user=accounting_firm[1], order=order, amount=Decimal("1"), working_days=1
        )


def test_providers_cannot_see_one_anothers_orders(
    law_firm: Any,
    other_law_firm: Any,
    enterprise_user: Any,
    publish_offering: Any,
    client_for: Any,
    api_client_for: Any,
) -> None:
    offering = publish_offering(law_firm[1])
    order = services.order_direct(user=enterprise_user, offering=offering, description="需要")
    other = client_for(other_law_firm[1])
    assert other.get(reverse("market:order", args=[order.pk])).status_code == 404
    assert order.number not in other.get(reverse("market:orders")).content.decode()
    assert other.post(reverse("market:order_action", args=[order.pk, "accept"])).status_code == 404
    api = api_client_for(other_law_firm[1])
    assert api.get(f"/api/v1/market/orders/{order.pk}").status_code == 404
    assert api.get("/api/v1/market/orders").json()["count"] == 0
    # …and the firm it was sent to does.
    own = client_for(law_firm[1])
    assert own.get(reverse("market:order", args=[order.pk])).status_code == 200


def test_an_enterprise_sees_only_its_own_orders(
    law_firm: Any,
    enterprise_user: Any,
    other_enterprise_user: Any,
    publish_offering: Any,
    client_for: Any,
    api_client_for: Any,
) -> None:
    offering = publish_offering(law_firm[1])
    mine = services.order_direct(user=enterprise_user, offering=offering, description="需要")
    theirs = services.order_direct(
        user=other_enterprise_user, offering=offering, description="要", contact_phone="0631-1"
    )
    client = client_for(enterprise_user)
    assert client.get(reverse("market:order", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("market:order", args=[mine.pk])).status_code == 200
    listing = client.get(reverse("market:orders")).content.decode()
    assert mine.number in listing and theirs.number not in listing
    api = api_client_for(other_enterprise_user)
    assert api.get(f"/api/v1/market/orders/{mine.pk}").status_code == 404
    cancel = api.post(
        f"/api/v1/market/orders/{mine.pk}/cancel", {}, content_type="application/json"
    )
    assert cancel.status_code == 404
    assert [o["id"] for o in api.get("/api/v1/market/orders").json()["items"]] == [theirs.pk]


def test_anonymous_users_are_sent_to_sign_in(client: Any) -> None:
    for name in ("market:orders", "market:need_new", "market:manage", "market:review"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "login" in response["Location"]


def test_the_provider_accepts_within_working_days_and_the_sweep_reminds_then_marks(
    law_firm: Any, enterprise_user: Any, publish_offering: Any, settings: Any
) -> None:
    settings.MARKET_ACCEPT_WORKING_DAYS = 2
    offering = publish_offering(law_firm[1])
    # Friday 2026-09-04 10:00: two working days later is Tuesday 2026-09-08.
    with time_machine.travel(dt.datetime(2026, 9, 4, 10, 0, tzinfo=SH), tick=False):
        order = services.order_direct(user=enterprise_user, offering=offering, description="x")
    due = order.accept_due_at.astimezone(SH)
    assert due.date() == dt.date(2026, 9, 8)
    with time_machine.travel(dt.datetime(2026, 9, 7, 17, 30, tzinfo=SH), tick=False):
        assert orders_deadline_sweep()["reminded"] == 1
        assert orders_deadline_sweep()["reminded"] == 0
    with time_machine.travel(dt.datetime(2026, 9, 9, 9, 0, tzinfo=SH), tick=False):
        assert orders_deadline_sweep()["overdue"] == 1
        assert orders_deadline_sweep()["overdue"] == 0
    assert order.events.filter(action="overdue").count() == 1
    assert Notification.objects.filter(user=law_firm[1]).exists()


def test_rating_needs_completion_and_happens_once(
    law_firm: Any, enterprise_user: Any, publish_offering: Any
) -> None:
    offering = publish_offering(law_firm[1])
    order = services.order_direct(user=enterprise_user, offering=offering, description="x")
    with pytest.raises(TransitionNotAllowed):
        services.order_rate(user=enterprise_user, order=order, rating=5)
    services.order_accept(user=law_firm[1], order=order)
    services.order_complete(user=law_firm[1], order=order, result="完成")
    with pytest.raises(ValidationError) as error:
        services.order_rate(user=enterprise_user, order=order, rating=6)
    assert "rating" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.order_rate(user=law_firm[1], order=order, rating=5)
    services.order_rate(user=enterprise_user, order=order, rating=5)
    with pytest.raises(TransitionNotAllowed):
        services.order_rate(user=enterprise_user, order=order, rating=1)


def test_a_complaint_goes_to_the_platform_and_is_answered(
    law_firm: Any, enterprise_user: Any, department_admin: Any, publish_offering: Any
) -> None:
    offering = publish_offering(law_firm[1])
    order = services.order_direct(user=enterprise_user, offering=offering, description="x")
    services.order_accept(user=law_firm[1], order=order)
    complaint = services.complaint_file(user=enterprise_user, order=order, content="迟迟未联系。")
    assert Notification.objects.filter(user=department_admin).exists()
    with pytest.raises(PermissionDenied):
        services.complaint_resolve(user=law_firm[1], complaint=complaint, response="x")
    services.complaint_resolve(
        user=department_admin, complaint=complaint, response="已督促机构当日联系企业。"
    )
    complaint.refresh_from_db()
    assert complaint.status == "resolved"
    assert order.events.filter(action="resolve").exists()


def test_a_second_click_orders_once(
    law_firm: Any, enterprise_user: Any, publish_offering: Any, client_for: Any
) -> None:
    offering = publish_offering(law_firm[1])
    data = {
        "description": "需要法律顾问",
        "contact_name": "于海波",
        "contact_phone": "13906310101",
        "idempotency_key": "k-1",
    }
    client = client_for(enterprise_user)
    url = reverse("market:offering_order", args=[offering.pk])
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert Order.objects.count() == 1


def test_bad_need_input_is_refused_next_to_the_field(
    enterprise_user: Any, client_for: Any, department: Any
) -> None:
    client = client_for(enterprise_user)
    empty = client.post(reverse("market:need_new"), {})
    assert empty.status_code == 400
    html = empty.content.decode()
    assert 'id="id_title_error"' in html and "请填写需求名称。" in html
    nul = client.post(
        reverse("market:need_new"),
        {
            "category": "legal",
            "method": "quote",
            "title": "合同\x00审查",
            "description": "x" * 3001,
            "contact_name": "于",
            "contact_phone": "1",
        },
    )
    assert nul.status_code == 400
    html = nul.content.decode()
    assert 'id="id_title_error"' in html and 'id="id_description_error"' in html
    assert not Order.objects.exists()


def test_bad_api_input_is_refused_field_by_field(
    law_firm: Any, enterprise_user: Any, publish_offering: Any, api_client_for: Any
) -> None:
    publish_offering(law_firm[1])
    api = api_client_for(enterprise_user)
    empty = api.post("/api/v1/market/needs", {}, content_type="application/json")
    assert empty.status_code == 400
    assert "title" in empty.json()["detail"]
    nul = api.post(
        "/api/v1/market/needs",
        {"category": "legal", "method": "quote", "title": "合同\x00审查", "description": "d"},
        content_type="application/json",
    )
    assert nul.status_code == 400
    assert "控制字符" in " ".join(nul.json()["detail"]["title"])
    huge = api.post(
        "/api/v1/market/needs",
        {
            "category": "legal",
            "method": "quote",
            "title": "合同审查",
            "description": "x" * 100_000,
            "contact_phone": "1",
        },
        content_type="application/json",
    )
    assert huge.status_code == 400
    assert "3000" in " ".join(huge.json()["detail"]["description"])
    blank = api.post(
        "/api/v1/market/needs",
        {"category": "x", "method": "y", "title": " ", "description": " "},
        content_type="application/json",
    )
    assert blank.status_code == 400 and "category" in blank.json()["detail"]
    assert not Order.objects.exists()


def test_the_api_chain_lists_draws_orders_and_rates(
    law_firm: Any,
    other_law_firm: Any,
    enterprise_user: Any,
    department_admin: Any,
    api_client_for: Any,
) -> None:
    from qifu.market.models import Offering
    from qifu.publishing.services import publication_approve, publication_publish

    firm_api = api_client_for(law_firm[1])
    created = firm_api.post(
        "/api/v1/market/offerings",
        {"category": "legal", "title": "劳动用工合规体检", "description": "逐项检查。"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    offering_id = created.json()["id"]
    assert firm_api.post(f"/api/v1/market/offerings/{offering_id}/submit").status_code == 200
    offering = Offering.objects.get(pk=offering_id)
    publication_approve(item=offering, actor=department_admin)
    publication_publish(item=offering, actor=department_admin)
    assert any(
        o["id"] == offering_id for o in firm_api.get("/api/v1/market/offerings").json()["items"]
    )

    api = api_client_for(enterprise_user)
    need = api.post(
        "/api/v1/market/needs",
        {"category": "legal", "method": "draw", "title": "用工合规", "description": "旺季用工"},
        content_type="application/json",
    )
    assert need.status_code == 201, need.content
    order_id = need.json()["id"]
    drawn = api.post(f"/api/v1/market/orders/{order_id}/draw").json()
    assert drawn["provider_id"] == law_firm[0].pk  # the only qualified firm
    assert drawn["draws"][0]["verified"] is True
    assert (
        firm_api.post(
            f"/api/v1/market/orders/{order_id}/accept", {}, content_type="application/json"
        ).status_code
        == 200
    )
    assert (
        firm_api.post(
            f"/api/v1/market/orders/{order_id}/complete",
            {"result": "已出具报告"},
            content_type="application/json",
        ).status_code
        == 200
    )
    rated = api.post(
        f"/api/v1/market/orders/{order_id}/rate",
        {"rating": 5, "comment": "好"},
        content_type="application/json",
    )
    assert rated.status_code == 200 and rated.json()["rating"] == 5
    again = api.post(
        f"/api/v1/market/orders/{order_id}/rate", {"rating": 1}, content_type="application/json"
    )
    assert again.status_code == 409
    record = api.get(f"/api/v1/market/providers/{law_firm[0].pk}").json()
    assert (record["completed"], record["rating"]) == (1, 5.0)
    assert Draw.objects.filter(order_id=order_id).count() == 1


def test_the_supermarket_home_lists_offerings_in_bounded_queries(
    law_firm: Any, publish_offering: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(5):
        publish_offering(law_firm[1], title=f"服务{i}")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("market:home"), {"category": "legal"})
    assert response.status_code == 200
    assert "服务4" in response.content.decode()
