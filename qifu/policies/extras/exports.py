"""Excel export of a lecture's registrations; phone numbers are masked (PIPL)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from qifu.core.exports import xlsx_bytes
from qifu.core.masking import mask_phone
from qifu.policies.models import LectureRegistration

COLUMNS = (("序号", 6), ("姓名", 12), ("企业", 36), ("手机号", 16), ("报名时间", 18))


def registrations_workbook(registrations: Iterable[LectureRegistration]) -> bytes:
    """One sheet, one row per registrant."""
    return xlsx_bytes(
        sheet_title="报名名单",
        headers=[title for title, _ in COLUMNS],
        widths=[width for _, width in COLUMNS],
        rows=(
            (
                number,
                registration.user.real_name or registration.user.username,
                registration.enterprise.name if registration.enterprise else "",
                mask_phone(registration.user.phone),
                timezone.localtime(registration.created_at).strftime("%Y-%m-%d %H:%M"),
            )
            for number, registration in enumerate(registrations, start=1)
        ),
    )
