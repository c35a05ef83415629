"""The 暂定 mark beside deadlines counted through a year without the official schedule."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from qifu.workdays.models import Holiday

pytestmark = pytest.mark.django_db

TEMPLATE = Template("{% load workdays %}{% provisional_mark due %}")


def render(due: Any, request: Any = None) -> str:
    return TEMPLATE.render(Context({"due": due, "request": request}))


def test_a_deadline_in_a_year_with_official_data_carries_no_mark() -> None:
    assert render(dt.datetime(2026, 12, 10, 17, 0)) == ""
    assert render(None) == ""


def test_a_deadline_in_2027_is_marked_until_the_year_is_imported() -> None:
    html = render(dt.date(2027, 2, 10))
    assert "暂定" in html and "qifu-provisional" in html and "title=" in html
    Holiday.objects.create(on=dt.date(2027, 1, 1), is_workday=False, name="元旦")
    assert render(dt.date(2027, 2, 10)) == ""


def test_a_list_looks_the_calendar_up_once_per_year_and_request(
    django_assert_max_num_queries: Any,
) -> None:
    request = RequestFactory().get("/")
    many = Template("{% load workdays %}{% for d in dues %}{% provisional_mark d %}{% endfor %}")
    dues = [dt.date(2027, 1, 5) + dt.timedelta(days=i) for i in range(30)]
    with django_assert_max_num_queries(1):
        html = many.render(Context({"dues": dues, "request": request}))
    assert html.count("暂定") == 30
