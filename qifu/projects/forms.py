"""Forms of the project steward's pages (errors shown next to each field, in Chinese)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from qifu.accounts.models import Department, DepartmentKind, Enterprise, Role, User
from qifu.accounts.widgets import DepartmentChoiceField
from qifu.core.forms import StyledFormMixin
from qifu.projects.models import ProjectKind, ProjectStatus, Stage


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def stewards() -> Any:
    return User.objects.filter(role_grants__role=Role.STEWARD, is_active=True).distinct()


class FilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label="搜索", required=False, max_length=100)
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部"), *ProjectStatus.choices]
    )
    stage = forms.ChoiceField(
        label="当前阶段", required=False, choices=[("", "全部"), *Stage.choices]
    )
    late = forms.BooleanField(label="只看滞后", required=False)


ENTERPRISE_OPTIONS_ID = "project-enterprise-options"


class ProjectForm(StyledFormMixin, forms.Form):
    enterprise = forms.CharField(
        label="企业",
        max_length=200,
        help_text="统一社会信用代码或企业全称；输入两个字以上可从您负责的企业中选择",
        # A <datalist> filled by htmx (qifu/projects/picker.py); without JS a plain text field.
        widget=forms.TextInput(
            attrs={"list": ENTERPRISE_OPTIONS_ID, "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    name = forms.CharField(label="项目名称", max_length=200)
    code = forms.CharField(
        label="项目代码", max_length=30, required=False, help_text="例如 2609-371082-04-01-123456"
    )
    kind = forms.ChoiceField(label="项目类型", choices=ProjectKind.choices)
    total_investment = forms.DecimalField(
        label="总投资（万元）", min_value=0, max_digits=12, decimal_places=2
    )
    town = DepartmentChoiceField(
        label="所在镇街",
        required=False,
        queryset=Department.objects.filter(kind=DepartmentKind.TOWN, is_active=True),
        empty_label="同企业所在镇街",
    )
    site = forms.CharField(label="建设地点", max_length=200, required=False)
    planned_start_on = forms.DateField(label="计划开始日期", widget=DateInput())
    steward = forms.ModelChoiceField(
        label="项目管家",
        required=False,
        queryset=User.objects.none(),
        empty_label="企业当前的项目管家",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["steward"].queryset = stewards()  # type: ignore[attr-defined]

    def clean_enterprise(self) -> Enterprise:
        value = self.cleaned_data["enterprise"].strip()
        enterprise = (
            Enterprise.objects.filter(credit_code=value.upper()).first()
            or Enterprise.objects.filter(name=value).first()
        )
        if enterprise is None:
            raise forms.ValidationError("未找到该企业，请填写统一社会信用代码或企业全称。")
        return enterprise


class StartForm(StyledFormMixin, forms.Form):
    on = forms.DateField(label="实际开始日期", widget=DateInput())


class CompleteForm(StyledFormMixin, forms.Form):
    on = forms.DateField(label="实际完成日期", widget=DateInput())
    note = forms.CharField(
        label="说明", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    document = forms.FileField(
        label="批复或证照文件", required=False, help_text="PDF、JPG、PNG、Word、Excel，10MB 以内"
    )


class WaiveForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label="免于办理理由", max_length=200)


class ReplanForm(StyledFormMixin, forms.Form):
    planned_start_on = forms.DateField(label="计划开始", widget=DateInput())
    planned_end_on = forms.DateField(label="计划完成", widget=DateInput())
    reason = forms.CharField(label="调整原因", max_length=200)
    cascade = forms.BooleanField(
        label="顺延后续事项",
        required=False,
        help_text="按工作日重新推算依赖本事项的未办结事项的计划日期",
    )


class RequestDocumentForm(StyledFormMixin, forms.Form):
    what = forms.CharField(label="需企业提供的材料", max_length=200)


class NoteForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label="记录内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_public = forms.BooleanField(label="企业可见（默认仅内部可见）", required=False)


class UploadForm(StyledFormMixin, forms.Form):
    item = forms.ChoiceField(label="相关事项", required=False)
    file = forms.FileField(label="文件", help_text="PDF、JPG、PNG、Word、Excel，10MB 以内")
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(
        self, *args: Any, items: Sequence[Any] = (), blank: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "（项目整体）")] if blank else []
        choices += [(str(i.pk), i.name) for i in items]
        self.fields["item"].choices = choices  # type: ignore[attr-defined]
        self.fields["item"].required = not blank


class StewardForm(StyledFormMixin, forms.Form):
    steward = forms.ModelChoiceField(label="项目管家", queryset=User.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["steward"].queryset = stewards()  # type: ignore[attr-defined]
