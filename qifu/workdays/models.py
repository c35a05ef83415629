"""Holidays and make-up working days (节假日/调休) maintained by administrators."""

from __future__ import annotations

from django.db import models

from qifu.core.models import TimeStampedModel

WEEKDAY_LABELS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


class Holiday(TimeStampedModel):
    """A date whose status is fixed by the official schedule; it overrides every other source."""

    on = models.DateField("日期", unique=True)
    is_workday = models.BooleanField(
        "调休上班", default=False, help_text="勾选表示该日为调休上班日；不勾选表示该日放假。"
    )
    name = models.CharField("名称", max_length=50, help_text="如：春节、国庆节。")
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "节假日/调休"
        verbose_name_plural = "节假日/调休"
        ordering = ["on"]

    def __str__(self) -> str:
        return f"{self.on:%Y-%m-%d} {self.name}（{self.kind_label}）"

    @property
    def kind_label(self) -> str:
        return "调休上班" if self.is_workday else "放假"

    @property
    def weekday_label(self) -> str:
        return WEEKDAY_LABELS[self.on.weekday()]
