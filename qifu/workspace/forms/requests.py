"""Forms of service requests, contacts and coverage; rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from qifu.accounts.models import Department, DepartmentKind
from qifu.accounts.widgets import DepartmentChoiceField
from qifu.core.forms import StyledFormMixin
from qifu.matters.forms import MaterialsField
from qifu.matters.models import ELicence
from qifu.workspace.models import (
    AssignmentRole,
    ContactKind,
    RequestKind,
    RequestStatus,
    ServiceRequest,
)
from qifu.workspace.selectors.assignments import users_who_can_serve


class PersonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("empty_label", "请选择人员")  # a prompt, never "---------"
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        department = obj.department.display_name if obj.department_id else ""
        return f"{obj.real_name or obj.username}（{department}）"


class RequestForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label="服务类型", choices=[("", "请选择"), *RequestKind.choices])
    title = forms.CharField(label="标题", max_length=100)
    description = forms.CharField(
        label="需求说明",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="写明需要专员帮助办理的事项、时间要求等。",
    )
    licence = forms.ModelChoiceField(
        label="相关证照", queryset=ELicence.objects.none(), required=False
    )
    contact_name = forms.CharField(label="联系人", max_length=50)
    contact_phone = forms.CharField(label="联系电话", max_length=20)
    attachments = MaterialsField(label="附件")
    # A one-time key issued with the page: a double submit files one request.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args: Any, enterprise: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["licence"]
        field.queryset = ELicence.objects.filter(enterprise=enterprise).order_by("name")
        field.empty_label = "不涉及证照"


class NoteForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label="需企业补充的内容",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="请一次性写明；企业补充前暂停计时。",
    )


class OptionalNoteForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label="撤回原因", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SupplyForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label="补充说明", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    attachments = MaterialsField(label="补充材料")


class CompleteForm(StyledFormMixin, forms.Form):
    result = forms.CharField(
        label="办理结果", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    result_files = MaterialsField(label="结果文件", help_text="例如档案查询的档案摘录，可选。")


class ReassignForm(StyledFormMixin, forms.Form):
    to_user = PersonChoiceField(label="转交给", queryset=None)  # type: ignore[arg-type]
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["to_user"]
        field.queryset = users_who_can_serve(AssignmentRole.COMMISSIONER)


class InboxFilterForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(
        label="状态",
        choices=[("", "全部状态"), ("open", "未办结"), *RequestStatus.choices],
        required=False,
    )
    kind = forms.ChoiceField(
        label="类型", choices=[("", "全部类型"), *RequestKind.choices], required=False
    )
    sort = forms.ChoiceField(
        label="排序", choices=[("deadline", "按期限"), ("newest", "最新提交")], required=False
    )


class ContactForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label="方式", choices=ContactKind.choices)
    occurred_at = forms.DateTimeField(
        label="时间",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    summary = forms.CharField(
        label="情况记录",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="企业可在其专属空间的时间线中看到本条记录（方式、时间与情况记录），"
        "请勿填写仅供内部掌握的信息。",
    )
    service_request = forms.ModelChoiceField(
        label="相关服务申请",
        queryset=ServiceRequest.objects.none(),
        required=False,
        empty_label="不关联",
    )

    def __init__(self, *args: Any, enterprise: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial", {"occurred_at": timezone.localtime().replace(second=0, microsecond=0)}
        )
        super().__init__(*args, **kwargs)
        field: Any = self.fields["service_request"]
        field.queryset = enterprise.service_requests.order_by("-submitted_at")


class CoverageFilterForm(StyledFormMixin, forms.Form):
    role = forms.ChoiceField(label="担任", choices=AssignmentRole.choices, required=False)
    town = DepartmentChoiceField(
        label="镇街",
        queryset=Department.objects.filter(kind=DepartmentKind.TOWN),
        required=False,
        empty_label="全部镇街",
    )
    industry = forms.CharField(label="行业代码前缀", max_length=5, required=False)


class AssignForm(StyledFormMixin, forms.Form):
    role = forms.ChoiceField(label="担任", choices=AssignmentRole.choices)
    enterprise = forms.IntegerField(widget=forms.HiddenInput)
    user = PersonChoiceField(label="人员", queryset=None)  # type: ignore[arg-type]

    def __init__(self, *args: Any, role: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["user"]
        field.queryset = users_who_can_serve(role)


class HandoverForm(StyledFormMixin, forms.Form):
    role = forms.ChoiceField(label="担任", choices=AssignmentRole.choices)
    from_user = PersonChoiceField(label="交出人", queryset=None)  # type: ignore[arg-type]
    to_user = PersonChoiceField(label="接手人", queryset=None)  # type: ignore[arg-type]
    note = forms.CharField(label="交接说明", max_length=200, required=False)

    def __init__(self, *args: Any, role: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = users_who_can_serve(role)
        for name in ("from_user", "to_user"):
            field: Any = self.fields[name]
            field.queryset = people


class RuleForm(StyledFormMixin, forms.Form):
    role = forms.ChoiceField(label="担任", choices=AssignmentRole.choices)
    user = PersonChoiceField(label="人员", queryset=None)  # type: ignore[arg-type]
    region = DepartmentChoiceField(
        label="镇街",
        queryset=Department.objects.filter(kind=DepartmentKind.TOWN),
        required=False,
        empty_label="不限镇街",
    )
    industry_prefix = forms.CharField(
        label="行业代码前缀", max_length=5, required=False, help_text="例如 C136 或 C；可留空。"
    )
    priority = forms.IntegerField(
        label="优先级", min_value=1, max_value=999, initial=100, help_text="数字小者优先。"
    )

    def __init__(self, *args: Any, role: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["user"]
        field.queryset = users_who_can_serve(role)
