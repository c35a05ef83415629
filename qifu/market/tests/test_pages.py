"""The 服务超市 and 校企共建 entries of the home page open real pages, and the enterprise's
exclusive space shows its orders and co-operations."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from qifu.market import services

pytestmark = pytest.mark.django_db


def test_the_policy_section_links_the_supermarket_and_the_cooperation_pages(client: Any) -> None:
    html = client.get(reverse("portal:section", args=["policy"])).content.decode()
    assert f'href="{reverse("market:home")}"' in html
    assert f'href="{reverse("cooperation:home")}"' in html
    for name in ("market:home", "cooperation:home"):
        assert client.get(reverse(name)).status_code == 200


def test_the_space_shows_the_enterprises_orders(
    law_firm: Any, enterprise_user: Any, publish_offering: Any, client_for: Any
) -> None:
    offering = publish_offering(law_firm[1])
    order = services.order_direct(user=enterprise_user, offering=offering, description="需要")
    html = client_for(enterprise_user).get(reverse("workspace:home")).content.decode()
    assert "服务超市" in html and "校企共建" in html
    assert reverse("market:order", args=[order.pk]) in html


def test_a_provider_finds_its_pages_in_the_section(law_firm: Any, client_for: Any) -> None:
    html = client_for(law_firm[1]).get(reverse("portal:section", args=["policy"])).content.decode()
    assert f'href="{reverse("market:manage")}"' in html
    assert reverse("market:review") not in html


def test_the_orders_list_costs_a_bounded_number_of_queries(
    law_firm: Any,
    enterprise_user: Any,
    publish_offering: Any,
    client_for: Any,
    django_assert_max_num_queries: Any,
) -> None:
    offering = publish_offering(law_firm[1])
    clients = [client_for(enterprise_user), client_for(law_firm[1])]
    services.order_direct(user=enterprise_user, offering=offering, description="第一单")
    counts = []
    for client in clients:
        with django_assert_max_num_queries(40) as few:
            assert client.get(reverse("market:orders")).status_code == 200
        counts.append(len(few.captured_queries))
    for n in range(5):
        services.order_direct(user=enterprise_user, offering=offering, description=f"第{n}单")
    for client, count in zip(clients, counts, strict=True):
        with django_assert_max_num_queries(count):
            assert client.get(reverse("market:orders")).status_code == 200
