"""Excel export of a lecture's registrations; phone numbers are masked (PIPL)."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils import timezone
from openpyxl import Workbook

from qifu.core.masking import mask_phone
from qifu.policies.models import LectureRegistration

COLUMNS = (("序号", 6), ("姓名", 12), ("企业", 36), ("手机号", 16), ("报名时间", 18))


def registrations_workbook(registrations: Iterable[LectureRegistration]) -> bytes:
    """One sheet, one row per registrant."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("报名名单")
    for index, (_, width) in enumerate(COLUMNS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.append([title for title, _ in COLUMNS])
    for number, registration in enumerate(registrations, start=1):
        user = registration.user
        sheet.append(
            [
                number,
                user.real_name or user.username,
                registration.enterprise.name if registration.enterprise else "",
                mask_phone(user.phone),
                timezone.localtime(registration.created_at).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
