"""The UI speaks Simplified Chinese whatever language the browser asks for."""

from typing import Any

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_browser_asking_for_english_still_gets_chinese_field_errors(client: Any) -> None:
    response = client.post(reverse("accounts:register"), {}, HTTP_ACCEPT_LANGUAGE="en-US,en")
    html = response.content.decode()
    assert "这个字段是必填项" in html
    assert "This field is required" not in html
