"""Excel export of the staff list of 工作动态."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from qifu.content.models import Notice
from qifu.core.exports import xlsx_bytes

COLUMNS = (
    ("编号", 8),
    ("类别", 10),
    ("标题", 40),
    ("状态", 10),
    ("提供单位", 24),
    ("作者", 10),
    ("审核人", 10),
    ("审核时间", 18),
    ("发布时间", 18),
    ("有效期至", 12),
    ("版本", 6),
)


def _local(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def notices_workbook(notices: Iterable[Notice]) -> bytes:
    """One sheet, one row per notice, with who provided, wrote and reviewed it."""
    return xlsx_bytes(
        sheet_title="工作动态",
        headers=[title for title, _ in COLUMNS],
        widths=[width for _, width in COLUMNS],
        rows=(
            (
                notice.pk,
                notice.get_kind_display(),
                notice.title,
                notice.get_status_display(),
                notice.provider_department.name,
                str(notice.created_by),
                str(notice.reviewed_by) if notice.reviewed_by else "",
                _local(notice.reviewed_at),
                _local(notice.published_at),
                notice.expires_on.isoformat() if notice.expires_on else "",
                notice.revision,
            )
            for notice in notices
        ),
    )
