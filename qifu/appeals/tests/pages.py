"""Builders shared by the appeal page tests."""

from __future__ import annotations

import io
import zoneinfo
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qifu.appeals import services
from qifu.appeals.models import (
    Appeal,
)

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _real_png() -> bytes:
    # A real image: uploads are re-encoded (metadata scrub), so magic bytes alone are refused.
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, "PNG")
    return out.getvalue()


PNG = _real_png()


def pdf(name: str = "说明.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def new_form_data(category: Any, key: str = "k-1", **extra: Any) -> dict[str, Any]:
    data = {
        "category": category.pk,
        "title": "厂区门前道路破损影响货车通行",
        "content": "我公司门前道路破损严重，雨天积水，货车无法正常进出，请协调修复。",
        "contact_name": "张经理",
        "contact_phone": "13905310001",
        "idempotency_key": key,
    }
    data.update(extra)
    return data


def dispatched(appeal: Appeal, staff: Any, department: Any) -> Appeal:
    return services.appeal_dispatch(appeal=appeal, user=staff, department=department, note="请办理")


def responded(appeal: Appeal, staff: Any, department_user: Any) -> Appeal:
    dispatched(appeal, staff, department_user.department)
    return services.appeal_respond(
        appeal=appeal,
        user=department_user,
        result="已协调财政部门，奖补资金将于本月底前拨付到位。",
        contact={"way": "phone", "person": "张经理", "content": "电话了解情况。"},
    )


def act(client: Any, appeal: Appeal, action: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(reverse("appeals:act", args=[appeal.pk, action]), data or {})


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]
