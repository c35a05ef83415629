from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from qifu.accounts.models import User
from qifu.core.workflow import TransitionNotAllowed
from qifu.financing import selectors, services
from qifu.financing.models import (
    FinancingOrder,
    FinancingRequest,
    FundKind,
    GovernmentFund,
    OrderStatus,
    ProductKind,
    RequestKind,
)
from qifu.financing.tasks import deadlines_sweep
from qifu.financing.tests.conftest import PDF
from qifu.notifications.models import Notification
from qifu.portal.space import timeline
from qifu.providers.models import ProviderKind

pytestmark = pytest.mark.django_db


def need(user: User, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": RequestKind.CREDIT,
        "amount": "200",
        "term_months": "12",
        "purpose": "旺季原料收购流动资金",
        "contact_name": "于海波",
        "contact_phone": "13963100006",
    }
    data.update(overrides)
    return data


def test_the_whole_chain_from_product_to_rating(
    client_for: Any,
    bank_user: User,
    enterprise_user: User,
    publish_product: Any,
    enterprise: Any,
) -> None:
    """Done when: a bank publishes a product, an enterprise's need reaches it, it is taken up
    and granted, and the enterprise follows and rates it."""
    product = publish_product(bank_user)
    assert product.status == "published"
    # The enterprise files its need on the page.
    company = client_for(enterprise_user)
    response = company.post(reverse("financing:request_new"), need(enterprise_user))
    assert response.status_code == 302, response.content.decode()[:2000]
    request = FinancingRequest.objects.get()
    order = request.orders.get()
    assert order.provider == product.provider and order.product == product
    assert order.status == OrderStatus.PENDING and order.take_due_at is not None
    assert any("200 万元在产品额度 10–500 万元之内" in r for r in order.match_reasons)
    # The bank is told and takes it up.
    assert Notification.objects.filter(user=bank_user).exists()
    bank = client_for(bank_user)
    assert "待接单" in bank.get(reverse("financing:orders")).content.decode()
    assert bank.post(reverse("financing:order_act", args=[order.pk, "take"])).status_code == 302
    # A second click does not take it twice.
    bank.post(reverse("financing:order_act", args=[order.pk, "take"]))
    assert order.events.filter(action="take").count() == 1
    response = bank.post(
        reverse("financing:order_act", args=[order.pk, "grant"]),
        {"amount": "200", "rate": "3.85", "term_months": "12"},
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.GRANTED and order.granted_rate == Decimal("3.85")
    # The enterprise follows every step on its need page and in its space, then rates.
    page = company.get(reverse("financing:request", args=[request.pk])).content.decode()
    for step in ("推送机构", "接单", "放款", "3.85%"):
        assert step in page
    entries, _ = timeline(enterprise, enterprise_user, kinds={"financing"})
    assert [e.title.split("：")[1].split("（")[0] for e in entries] == ["放款", "接单", "推送机构"]
    response = company.post(
        reverse("financing:request_act", args=[order.pk, "rate"]),
        {f"o{order.pk}-rating": "5", f"o{order.pk}-comment": "一周放款"},
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.rating == 5
    with pytest.raises(PermissionDenied):
        services.order_rate(order=order, actor=enterprise_user, rating=4)


def test_the_chain_through_the_api(
    api_client_for: Any, bank_user: User, enterprise_user: User, publish_product: Any
) -> None:
    publish_product(bank_user)
    company, bank = api_client_for(enterprise_user), api_client_for(bank_user)
    response = company.post(
        "/api/v1/financing/requests",
        need(enterprise_user, amount="300"),
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    order_id = response.json()["orders"][0]["id"]
    assert (
        bank.post(
            f"/api/v1/financing/orders/{order_id}/take", {}, content_type="application/json"
        ).status_code
        == 200
    )
    assert (
        bank.post(
            f"/api/v1/financing/orders/{order_id}/take", {}, content_type="application/json"
        ).status_code
        == 409
    )
    granted = bank.post(
        f"/api/v1/financing/orders/{order_id}/grant",
        {"amount": "300", "rate": "3.9"},
        content_type="application/json",
    )
    assert granted.json()["status"] == "granted"
    rated = company.post(
        f"/api/v1/financing/orders/{order_id}/rate", {"rating": 4}, content_type="application/json"
    )
    assert rated.json()["rating"] == 4
    detail = company.get(f"/api/v1/financing/requests/{response.json()['id']}").json()
    assert [e["action"] for e in detail["timeline"]] == ["send", "take", "grant", "rate"]


def test_institutions_do_not_see_one_anothers_orders(
    client_for: Any,
    api_client_for: Any,
    bank_user: User,
    other_bank_user: User,
    enterprise_user: User,
    publish_product: Any,
) -> None:
    publish_product(bank_user)
    publish_product(other_bank_user, name="纳税e贷", rate_min=Decimal("3.20"))
    request = services.request_submit(user=enterprise_user, **need(enterprise_user))
    mine, theirs = (
        request.orders.get(provider__members__user=bank_user),
        request.orders.get(provider__members__user=other_bank_user),
    )
    bank = client_for(bank_user)
    assert bank.get(reverse("financing:order", args=[mine.pk])).status_code == 200
    assert bank.get(reverse("financing:order", args=[theirs.pk])).status_code == 404
    assert api_client_for(bank_user).get(f"/api/v1/financing/orders/{theirs.pk}").status_code == 404
    # On the need page each bank sees its own order only.
    page = bank.get(reverse("financing:request", args=[request.pk])).content.decode()
    assert mine.provider.name in page and theirs.provider.name not in page
    ids = [
        o["id"] for o in api_client_for(bank_user).get("/api/v1/financing/orders").json()["items"]
    ]
    assert ids == [mine.pk]
    with pytest.raises(PermissionDenied):
        services.order_take(order=theirs, actor=bank_user)


def test_an_enterprise_sees_only_its_own_needs(
    client_for: Any,
    api_client_for: Any,
    bank_user: User,
    enterprise_user: User,
    other_enterprise_user: User,
    publish_product: Any,
) -> None:
    publish_product(bank_user)
    mine = services.request_submit(user=enterprise_user, **need(enterprise_user))
    theirs = services.request_submit(user=other_enterprise_user, **need(other_enterprise_user))
    company = client_for(enterprise_user)
    assert company.get(reverse("financing:request", args=[theirs.pk])).status_code == 404
    assert company.get(reverse("financing:request", args=[mine.pk])).status_code == 200
    assert (
        api_client_for(enterprise_user).get(f"/api/v1/financing/requests/{theirs.pk}").status_code
        == 404
    )
    listed = company.get(reverse("financing:requests")).content.decode()
    assert mine.number in listed and theirs.number not in listed
    # And the other way round.
    other = client_for(other_enterprise_user)
    assert other.get(reverse("financing:request", args=[mine.pk])).status_code == 404
    order = theirs.orders.get()
    response = company.post(reverse("financing:request_act", args=[order.pk, "cancel"]))
    assert response.status_code == 404
    # A bank that received neither sees neither.
    assert (
        client_for(bank_user).get(reverse("financing:request", args=[mine.pk])).status_code == 200
    )


def test_a_contract_loan_goes_to_the_chosen_bank_only_and_its_contract_stays_there(
    client_for: Any,
    bank: Any,
    bank_user: User,
    other_bank_user: User,
    enterprise_user: User,
    publish_product: Any,
) -> None:
    provider, _ = bank
    publish_product(bank_user, name="政采贷", kind=ProductKind.CONTRACT)
    publish_product(other_bank_user, name="合同e贷", kind=ProductKind.CONTRACT)
    company = client_for(enterprise_user)
    response = company.post(
        reverse("financing:request_new"),
        {
            **need(enterprise_user, kind=RequestKind.CONTRACT),
            "chosen_provider": provider.pk,
            "document": SimpleUploadedFile("中标通知书.pdf", PDF),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    request = FinancingRequest.objects.get()
    assert [o.provider_id for o in request.orders.all()] == [provider.pk]
    document = request.documents.get()
    url = reverse("financing:document", args=[document.pk])
    assert client_for(bank_user).get(url).status_code == 200
    assert company.get(url).status_code == 200
    assert client_for(other_bank_user).get(url).status_code == 404


def test_a_contract_loan_needs_a_real_contract_file(
    client_for: Any, bank: Any, bank_user: User, enterprise_user: User, publish_product: Any
) -> None:
    publish_product(bank_user, name="政采贷", kind=ProductKind.CONTRACT)
    response = client_for(enterprise_user).post(
        reverse("financing:request_new"),
        {
            **need(enterprise_user, kind=RequestKind.CONTRACT),
            "document": SimpleUploadedFile("合同.pdf", b"MZ\x90\x00 not a pdf at all"),
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "合同贷须选择一家意向金融机构" in text and "不能上传" in text
    assert not FinancingRequest.objects.exists()


def test_a_bridge_request_goes_to_the_funds_operator(
    make_provider: Any, enterprise_user: User, api_client_for: Any
) -> None:
    operator, operator_user = make_provider(
        kind=ProviderKind.GUARANTEE, name="荣成市融资担保（测试）"
    )
    fund = GovernmentFund.objects.create(
        name="应急转贷资金",
        kind=FundKind.BRIDGE,
        manager="财政局",
        operator=operator,
        max_amount=Decimal("1000"),
    )
    due = timezone.localdate() + dt.timedelta(days=10)
    with pytest.raises(ValidationError) as caught:
        services.request_submit(
            user=enterprise_user,
            **need(enterprise_user, kind=RequestKind.BRIDGE, amount="2000"),
            fund=fund,
            loan_due_on=due,
        )
    assert "1000" in caught.value.message_dict["amount"][0]
    request = services.request_submit(
        user=enterprise_user,
        **need(enterprise_user, kind=RequestKind.BRIDGE),
        fund=fund,
        loan_due_on=due,
    )
    order = request.orders.get()
    assert order.provider == operator and order.product is None
    assert (
        api_client_for(operator_user).get(f"/api/v1/financing/orders/{order.pk}").status_code == 200
    )


def test_matching_follows_amount_term_kind_and_profile(
    bank_user: User, enterprise_user: User, publish_product: Any, enterprise: Any
) -> None:
    publish_product(bank_user, name="渔业抵押贷", kind=ProductKind.MORTGAGE, industries=["A04"])
    publish_product(bank_user, name="小微信用贷", scales=["micro"])
    publish_product(bank_user, name="老企业贷", min_years=50)
    publish_product(
        bank_user, name="大额贷", amount_min=Decimal("1000"), amount_max=Decimal("5000")
    )
    publish_product(bank_user, name="水产加工贷", industries=["C13"], scales=["small"])
    from qifu.financing.matching import match_products

    matches = match_products(
        enterprise=enterprise, kind=RequestKind.ANY, amount=Decimal("200"), term_months=12
    )
    assert [m.product.name for m in matches] == ["水产加工贷"]
    assert any("行业" in r for r in matches[0].reasons)


def test_a_need_nothing_fits_is_kept_and_the_agency_told(
    enterprise_user: User, department_admin: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        request = services.request_submit(user=enterprise_user, **need(enterprise_user))
    assert not request.orders.exists()
    assert Notification.objects.filter(user=department_admin).exists()


def test_bad_input_gets_chinese_field_errors(
    client_for: Any,
    api_client_for: Any,
    bank_user: User,
    enterprise_user: User,
    department_admin: User,
) -> None:
    company = client_for(enterprise_user)
    response = company.post(
        reverse("financing:request_new"),
        need(enterprise_user, amount="9" * 30, term_months="-3", purpose="用途\x00"),
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "数字过大" in text or "不能超过" in text
    assert "至少1个月" in text
    assert not FinancingRequest.objects.exists()
    api = api_client_for(enterprise_user)
    response = api.post(
        "/api/v1/financing/requests",
        need(enterprise_user, amount="1e400"),
        content_type="application/json",
    )
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "amount" in detail
    response = api.post(
        "/api/v1/financing/requests",
        need(enterprise_user, purpose="合法\x00用途"),
        content_type="application/json",
    )
    assert response.status_code == 400 and "控制字符" in response.json()["detail"]["purpose"][0]
    # A product with reversed ranges, on the page and through the API.
    bank = client_for(bank_user)
    response = bank.post(
        reverse("financing:product_new"),
        {
            "name": "反向产品",
            "kind": "credit",
            "amount_min": "500",
            "amount_max": "10",
            "term_min_months": "36",
            "term_max_months": "6",
            "rate_min": "5",
            "rate_max": "3",
            "conditions": "无",
            "min_years": "0",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "最高额度不能低于最低额度" in text and "最长期限不能短于最短期限" in text
    response = api_client_for(bank_user).post(
        "/api/v1/financing/products",
        {
            "name": "反向产品",
            "kind": "credit",
            "amount_min": "500",
            "amount_max": "10",
            "term_min_months": 6,
            "term_max_months": 36,
            "rate_min": "3",
            "rate_max": "99",
            "conditions": "无",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert {"amount_max", "rate_max"} <= set(response.json()["detail"])


def test_grant_refuses_impossible_numbers(
    bank_user: User, enterprise_user: User, publish_product: Any
) -> None:
    publish_product(bank_user)
    order = services.request_submit(user=enterprise_user, **need(enterprise_user)).orders.get()
    order = services.order_take(order=order, actor=bank_user)
    with pytest.raises(ValidationError) as caught:
        services.order_grant(order=order, actor=bank_user, amount="-1", rate="NaN")
    assert set(caught.value.message_dict) == {"amount", "rate"}
    with pytest.raises(ValidationError):
        services.order_refuse(order=order, actor=bank_user, reason=" ")
    services.order_refuse(order=order, actor=bank_user, reason="经营流水不足")
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUSED


def test_only_banks_publish_products(make_provider: Any, enterprise_user: User) -> None:
    _, lawyer = make_provider(kind=ProviderKind.LAW_FIRM)
    for user in (lawyer, enterprise_user):
        with pytest.raises(PermissionDenied):
            services.product_create(
                author=user,
                name="x",
                kind="credit",
                amount_min=1,
                amount_max=2,
                term_min_months=1,
                term_max_months=2,
                rate_min=1,
                rate_max=2,
                conditions="x",
            )


def test_an_order_not_taken_up_in_time_is_reminded_and_marked_overdue(
    bank_user: User, enterprise_user: User, publish_product: Any
) -> None:
    publish_product(bank_user)
    with time_machine.travel(dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        order = services.request_submit(user=enterprise_user, **need(enterprise_user)).orders.get()
    assert order.take_due_at is not None
    with time_machine.travel(order.take_due_at + dt.timedelta(hours=1), tick=False):
        counts = deadlines_sweep()
        assert counts["overdue"] == 1
        assert deadlines_sweep()["overdue"] == 0
    assert order.events.filter(action="overdue", is_public=True).exists()


def test_statistics_per_institution_and_period(
    bank_user: User,
    other_bank_user: User,
    enterprise_user: User,
    publish_product: Any,
    client_for: Any,
    department_admin: User,
) -> None:
    publish_product(bank_user)
    publish_product(other_bank_user, name="纳税e贷")
    request = services.request_submit(user=enterprise_user, **need(enterprise_user))
    order = request.orders.get(provider__members__user=bank_user)
    order = services.order_take(order=order, actor=bank_user)
    services.order_grant(order=order, actor=bank_user, amount="200", rate="3.8")
    today = timezone.localdate()
    stats = selectors.financing_statistics(start=today, end=today)
    assert stats.needs == 1 and stats.matched == 1
    rows = {r.name: r for r in stats.rows}
    granted = rows[order.provider.name]
    assert (granted.received, granted.taken, granted.granted) == (1, 1, 1)
    assert granted.granted_amount == Decimal("200")
    assert stats.totals.received == 2
    page = client_for(department_admin).get(reverse("financing:statistics"))
    assert page.status_code == 200 and order.provider.name in page.content.decode()
    export = client_for(department_admin).get(reverse("financing:statistics") + "?export=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client_for(bank_user).get(reverse("financing:statistics")).status_code == 403
    api = client_for(department_admin).get("/api/v1/financing/statistics")
    assert api.json()["needs"] == 1


def test_list_pages_use_a_bounded_number_of_queries(
    client_for: Any,
    bank_user: User,
    enterprise_user: User,
    publish_product: Any,
    django_assert_max_num_queries: Any,
) -> None:
    publish_product(bank_user)
    for amount in range(100, 160, 10):
        services.request_submit(user=enterprise_user, **need(enterprise_user, amount=str(amount)))
    company, bank = client_for(enterprise_user), client_for(bank_user)
    with django_assert_max_num_queries(15):
        assert company.get(reverse("financing:requests")).status_code == 200
    with django_assert_max_num_queries(15):
        assert bank.get(reverse("financing:orders")).status_code == 200
    with django_assert_max_num_queries(15):
        assert company.get(reverse("financing:home")).status_code == 200


def test_the_home_page_entry_opens_the_financing_page(client: Any) -> None:
    from qifu.portal.sections import section_by_code

    section = section_by_code("policy")
    assert section is not None
    entry = next(e for e in section.entries if e.title == "融资服务")
    assert entry.url == reverse("financing:home")
    assert client.get(entry.url).status_code == 200


def test_a_posting_of_the_enterprise_prefills_the_form(
    client_for: Any, enterprise_user: User, other_enterprise_user: User, agency: Any
) -> None:
    from qifu.content.services import posting_create

    posting = posting_create(
        kind="financing",
        author=enterprise_user,
        amount=Decimal("300"),
        term_months=24,
        use="购置速冻设备",
        guarantee="设备抵押",
        contact_name="于海波",
        contact_phone="13963100006",
        expires_on=timezone.localdate() + dt.timedelta(days=30),
    )
    page = client_for(enterprise_user).get(
        reverse("financing:request_new") + f"?posting={posting.pk}"
    )
    assert "购置速冻设备" in page.content.decode()
    other = client_for(other_enterprise_user).get(
        reverse("financing:request_new") + f"?posting={posting.pk}"
    )
    assert other.status_code == 404


def test_an_institution_cannot_decide_before_taking_up(
    bank_user: User, enterprise_user: User, publish_product: Any
) -> None:
    publish_product(bank_user)
    order = services.request_submit(user=enterprise_user, **need(enterprise_user)).orders.get()
    with pytest.raises(TransitionNotAllowed):
        services.order_grant(order=order, actor=bank_user, amount="100", rate="3.5")
    assert FinancingOrder.objects.get(pk=order.pk).status == OrderStatus.PENDING


def test_financing_news_is_reviewed_by_someone_else_before_it_is_public(
    client: Any, client_for: Any, department_admin: User, department: Any
) -> None:
    from qifu.accounts.models import Role
    from qifu.accounts.services import user_create
    from qifu.publishing.services import (
        publication_approve,
        publication_publish,
        publication_submit,
    )

    liaison = user_create(
        username="gxll_t", password=None, department=department, roles=[Role.LIAISON]
    )
    staff = client_for(department_admin)
    response = staff.post(
        reverse("financing:news_new"), {"title": "银企对接会举行", "body": "现场授信8亿元。"}
    )
    assert response.status_code == 302
    from qifu.financing.models import FinancingNews

    news = FinancingNews.objects.get()
    assert client.get(reverse("financing:news_detail", args=[news.pk])).status_code == 404
    news = publication_submit(item=news, actor=department_admin)
    with pytest.raises(PermissionDenied):
        publication_approve(item=news, actor=department_admin)
    news = publication_approve(item=news, actor=liaison)
    publication_publish(item=news, actor=department_admin)
    assert "银企对接会举行" in client.get(reverse("financing:news")).content.decode()


def test_an_institution_cannot_open_anothers_product_drafts(
    client_for: Any, bank_user: User, other_bank_user: User, department_admin: User
) -> None:
    product = services.product_create(
        author=bank_user,
        name="草稿产品",
        kind="credit",
        amount_min=1,
        amount_max=2,
        term_min_months=1,
        term_max_months=2,
        rate_min=1,
        rate_max=2,
        conditions="x",
    )
    url = reverse("financing:product_edit", args=[product.pk])
    assert client_for(bank_user).get(url).status_code == 200
    assert client_for(other_bank_user).get(url).status_code == 404
    assert (
        client_for(other_bank_user)
        .get(reverse("financing:product_detail", args=[product.pk]))
        .status_code
        == 404
    )
    response = client_for(other_bank_user).post(
        reverse("financing:product_action", args=[product.pk, "submit"])
    )
    assert response.status_code == 404
