"""Forms of the 项目申报 pages; the rules live in the services, these parse and show errors."""

from __future__ import annotations

from typing import Any

from django import forms

from qifu.core.forms import StyledFormMixin
from qifu.declarations.models import ApplicationStatus, Call
from qifu.policies.forms import CriteriaFieldsMixin
from qifu.policies.models import Policy

ACCEPT = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"


class CallForm(StyledFormMixin, CriteriaFieldsMixin, forms.ModelForm):  # type: ignore[type-arg]
    materials = forms.CharField(
        label="申报材料",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一项材料名称，企业须逐项上传。",
    )
    industries_text = forms.CharField(
        label="适用行业",
        required=False,
        max_length=300,
        help_text="行业代码或前缀，用空格或逗号分隔，例如 C13 C14；留空沿用政策或不限。",
    )

    class Meta:
        model = Call
        fields = [
            "policy",
            "title",
            "body",
            "opens_on",
            "closes_on",
            "review_working_days",
            "publicity_days",
        ]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 10}),
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        error_messages = {
            "title": {"required": "请填写标题。"},
            "body": {"required": "请填写通知正文。"},
            "opens_on": {"required": "请填写申报开始日期。"},
            "closes_on": {"required": "请填写申报截止日期。"},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        instance = kwargs.get("instance")
        if instance is not None and instance.pk and "initial" not in kwargs:
            kwargs["initial"] = self.criteria_initial(instance.criteria)
        super().__init__(*args, **kwargs)
        self.fields["policy"].queryset = Policy.objects.published()  # type: ignore[attr-defined]
        self.fields["policy"].required = False
        self.fields["policy"].empty_label = "不依据具体政策"  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["materials"].initial = "\n".join(self.instance.required_materials)
            self.fields["industries_text"].initial = " ".join(self.instance.industries)
        self.order_fields(["policy", "title", "body", "opens_on", "closes_on", "materials"])

    @property
    def call_fields_shown(self) -> list[Any]:
        """The notice itself; the criteria come after it, in their own fieldset."""
        criteria = {field.name for field in self.criteria_fields}
        return [field for field in self if field.name not in criteria]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", "截止日期不能早于开始日期。")
        # Empty criteria: the call follows the criteria of the policy it is based on.
        data["criteria"] = self.criteria_from(data) or {}
        return data

    def call_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        text = data.get("industries_text") or ""
        return {
            "policy": data.get("policy"),
            "title": data["title"],
            "body": data["body"],
            "opens_on": data["opens_on"],
            "closes_on": data["closes_on"],
            "review_working_days": data["review_working_days"],
            "publicity_days": data["publicity_days"],
            "criteria": data.get("criteria") or {},
            "industries": [c for c in text.replace(",", " ").replace("，", " ").split() if c],
            "required_materials": (data.get("materials") or "").splitlines(),
        }


class ApplicationForm(StyledFormMixin, forms.Form):
    project_name = forms.CharField(
        label="项目名称", max_length=200, error_messages={"required": "请填写项目名称。"}
    )
    summary = forms.CharField(
        label="项目简介", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    amount = forms.DecimalField(
        label="申请金额（万元）", required=False, min_value=0, max_digits=12, decimal_places=2
    )

    def __init__(self, *args: Any, call: Call, uploaded: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.materials = list(call.required_materials)
        for index, name in enumerate(self.materials):
            done = uploaded.get(name)
            self.fields[f"file_{index}"] = forms.FileField(
                label=name,
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
                help_text=f"已上传：{done}（重新选择将替换）"
                if done
                else "PDF、图片、Word 或 Excel，不超过10MB。",
            )
        # Added after the mixin styled the fields: style these too.
        for name in self.fields:
            if name.startswith("file_"):
                self.fields[name].widget.attrs["class"] = "form-control"

    def files_by_material(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data.get(f"file_{index}")
            for index, name in enumerate(self.materials)
            if self.cleaned_data.get(f"file_{index}")
        }


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label="理由",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写理由。"},
    )


class ObjectionForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label="异议理由",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写异议理由。"},
        help_text="请如实说明异议事实和依据；部门将核实并答复。",
    )


class ObjectionAnswerForm(StyledFormMixin, forms.Form):
    upheld = forms.TypedChoiceField(
        label="核实结论",
        choices=[("0", "异议不成立，继续公示"), ("1", "异议成立，重新审核")],
        coerce=lambda v: v == "1",
    )
    answer = forms.CharField(
        label="答复",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写答复内容。"},
    )


class ApplicationFilterForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[("", "全部状态"), *ApplicationStatus.choices[1:]],
    )
