"""Fixtures of 项目申报: a published call of 工信局 and a PDF to upload."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from qifu.declarations.models import Application, Call
from qifu.declarations.services import (
    application_accept,
    application_approve,
    application_save_draft,
    application_submit,
    call_create,
)
from qifu.publishing.services import (
    publication_approve,
    publication_publish,
    publication_submit,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Thursday 26 November 2026, 10:00 in Rongcheng: an ordinary working day inside the window.
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI)
MATERIAL = "项目申报书"


@pytest.fixture
def now() -> Iterator[Any]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def pdf(name: str = "申报书.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n", "application/pdf")


@pytest.fixture
def publish_call(department_admin: Any, superuser: Any) -> Callable[..., Call]:
    """A call written by 工信局, reviewed by another person, and published."""

    def make(**fields: Any) -> Call:
        values: dict[str, Any] = {
            "title": "2026年度“专精特新”企业认定奖励申报",
            "body": "符合条件的企业请于截止日期前在线申报。",
            "criteria": {"scales": ["small", "medium"]},
            "opens_on": dt.date(2026, 11, 1),
            "closes_on": dt.date(2026, 12, 31),
            "required_materials": [MATERIAL],
            "review_working_days": 5,
            "publicity_days": 5,
        }
        values.update(fields)
        call = call_create(author=department_admin, **values)
        publication_submit(item=call, actor=department_admin)
        publication_approve(item=call, actor=superuser)
        publication_publish(item=call, actor=department_admin)
        call.refresh_from_db()
        return call

    return make


@pytest.fixture
def call(now: Any, publish_call: Callable[..., Call]) -> Call:
    return publish_call()


@pytest.fixture
def submitted(call: Call, enterprise_user: Any) -> Application:
    application = application_save_draft(
        user=enterprise_user,
        call=call,
        project_name="海洋食品精深加工生产线",
        amount=None,
        files={MATERIAL: pdf()},
    )
    return application_submit(application=application, user=enterprise_user)


@pytest.fixture
def approved(submitted: Application, department_admin: Any) -> Application:
    application_accept(application=submitted, user=department_admin)
    return application_approve(application=submitted, user=department_admin)
