"""Forms of the exclusive space: licence import and the annual-report mark."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from qifu.core.forms import StyledFormMixin
from qifu.core.uploads import attachment_check

MAX_IMPORT_BYTES = 5 * 1024 * 1024


class LicenceImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label="证照文件",
        help_text=(
            "CSV（UTF-8 编码）或 XLSX，第一行为列名：number, name, credit_code, issuer, "
            "issued_on, valid_until，可选 scope。日期格式 YYYY-MM-DD；有效期为空表示长期有效。"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    dry_run = forms.BooleanField(label="只检查，不写入（试运行）", required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError("文件超过5MB，请分批导入。")
        if name.endswith(".xlsx"):
            if attachment_check(upload) != "xlsx":
                raise ValidationError("文件内容不是 Excel（XLSX）表格。")
            return upload
        if name.endswith(".csv"):
            upload.seek(0)
            head = upload.read(65536)
            upload.seek(0)
            if b"\x00" in head:
                raise ValidationError("文件内容不是文本 CSV。")
            try:
                head.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                if len(head) < 65536 or not _truncated_utf8(head):
                    raise ValidationError(
                        "CSV 文件应为 UTF-8 编码（Excel 中“另存为 CSV UTF-8”）。"
                    ) from exc
            return upload
        raise ValidationError("只接受 .csv 或 .xlsx 文件。")


def _truncated_utf8(head: bytes) -> bool:
    """Whether the only decoding error is a character cut at the end of the sample."""
    try:
        head[:-3].decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return True


class AnnualReportMarkForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label="年度", widget=forms.HiddenInput)
    reported_on = forms.DateField(
        label="报送日期",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="在国家企业信用信息公示系统报送的日期。",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("reported_on", timezone.localdate())
        super().__init__(*args, **kwargs)

    def clean_reported_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["reported_on"]
        if value > timezone.localdate():
            raise ValidationError("报送日期不能晚于今天。")
        return value
