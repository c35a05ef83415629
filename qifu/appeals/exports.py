"""Excel export of appeal lists; personal data masked (PIPL: only what the reader needs)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from qifu.appeals.models import Appeal
from qifu.core.exports import xlsx_bytes
from qifu.core.masking import mask_phone

COLUMNS = (
    ("诉求编号", 20),
    ("企业", 30),
    ("类别", 12),
    ("标题", 40),
    ("环节", 8),
    ("承办部门", 20),
    ("受理渠道", 10),
    ("受理时间", 18),
    ("当前期限", 18),
    ("超期", 6),
    ("延期", 6),
    ("督办件", 6),
    ("派发次数", 8),
    ("联系人", 10),
    ("联系电话", 14),
)


def _local(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def appeals_workbook(appeals: Iterable[Appeal]) -> bytes:
    """One sheet, one row per appeal; the contact phone is masked (138****5678)."""
    now = timezone.now()
    return xlsx_bytes(
        sheet_title="企业诉求",
        headers=[title for title, _ in COLUMNS],
        widths=[width for _, width in COLUMNS],
        rows=(
            (
                appeal.number,
                appeal.enterprise_name,
                appeal.category.name,
                appeal.title,
                appeal.get_stage_display(),
                appeal.department.name if appeal.department else "",
                appeal.get_channel_display(),
                _local(appeal.received_at),
                _local(appeal.current_due_at),
                "是" if appeal.is_overdue(now) else "",
                "是" if appeal.is_extended else "",
                "是" if appeal.is_supervised else "",
                appeal.dispatch_count,
                appeal.contact_name,
                mask_phone(appeal.contact_phone),
            )
            for appeal in appeals
        ),
    )
