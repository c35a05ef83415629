"""The enterprise picker of the "new project" form: only enterprises the user may register for."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from qifu.projects.tests.conftest import assign_steward

pytestmark = pytest.mark.django_db

URL = "projects:enterprise_options"


def offered(client: Any, term: str) -> str:
    response = client.get(reverse(URL), {"enterprise": term}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return str(response.content.decode())


def test_the_picker_needs_sign_in_and_is_not_for_enterprises_or_commissioners(
    client: Any, client_for: Any, enterprise_user: Any, commissioner: Any
) -> None:
    assert client.get(reverse(URL), {"enterprise": "海润"}).status_code == 302
    assert client_for(enterprise_user).get(reverse(URL), {"enterprise": "海润"}).status_code == 403
    assert client_for(commissioner).get(reverse(URL), {"enterprise": "海润"}).status_code == 403


def test_a_steward_is_offered_only_the_enterprises_they_serve(
    client_for: Any, enterprise: Any, make_enterprise: Any, steward: Any
) -> None:
    assign_steward(enterprise, steward)
    make_enterprise(name="荣成市海润冷链物流有限公司")  # matches, but not served
    text = offered(client_for(steward), "海润")
    assert f'<option value="{enterprise.credit_code}">{enterprise.name}</option>' in text
    assert "冷链" not in text


def test_platform_staff_find_any_active_enterprise_by_name_or_credit_code(
    client_for: Any,
    enterprise: Any,
    other_enterprise: Any,
    make_enterprise: Any,
    platform_staff: Any,
) -> None:
    make_enterprise(name="荣成市海润已注销有限公司", is_active=False)
    client = client_for(platform_staff)
    by_name = offered(client, "海润")
    assert enterprise.name in by_name and "已注销" not in by_name
    assert other_enterprise.name in offered(client, other_enterprise.credit_code.lower())


def test_a_single_character_offers_nothing(
    client_for: Any, enterprise: Any, platform_staff: Any
) -> None:
    assert "<option" not in offered(client_for(platform_staff), "海")


def test_the_form_field_is_wired_to_the_picker_and_works_as_a_plain_field(
    client_for: Any, platform_staff: Any
) -> None:
    page = client_for(platform_staff).get(reverse("projects:new")).content.decode()
    assert 'list="project-enterprise-options"' in page
    assert '<datalist id="project-enterprise-options"></datalist>' in page
    assert f'hx-get="{reverse(URL)}"' in page
    assert 'name="enterprise"' in page  # the typed value is still posted without JavaScript
