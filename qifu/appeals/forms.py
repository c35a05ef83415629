"""Forms of the appeal pages; every rule lives in the services, these only parse and show errors."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from qifu.accounts.models import Department, Enterprise
from qifu.accounts.validators import normalize_credit_code
from qifu.appeals.models import AppealCategory, Channel, Satisfaction, Stage
from qifu.appeals.services import (
    ATTACHMENT_KINDS,
    CONTACT_WAYS,
    MAX_ATTACHMENTS,
    MAX_EXTENSION_WORKING_DAYS,
    attachment_check,
)
from qifu.core.forms import StyledFormMixin

ATTACHMENT_HELP = (
    f"可选，最多{MAX_ATTACHMENTS}个，每个不超过10MB；接受{'、'.join(ATTACHMENT_KINDS.values())}。"
)
ACCEPT = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by its content (services.attachment_check)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", ATTACHMENT_HELP)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(f"每次最多上传{MAX_ATTACHMENTS}个文件。")
        errors: list[str] = []
        for upload in files:
            super().clean(upload, initial)
            try:
                attachment_check(upload)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return files


def _categories() -> Any:
    return AppealCategory.objects.filter(is_active=True)


def _departments() -> Any:
    return Department.objects.filter(is_active=True)


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class AppealForm(StyledFormMixin, forms.Form):
    """An enterprise files an appeal."""

    category = forms.ModelChoiceField(
        label="诉求类别", queryset=AppealCategory.objects.none(), empty_label="请选择类别"
    )
    title = forms.CharField(label="标题", max_length=100, help_text="一句话概括诉求，100字以内。")
    content = forms.CharField(
        label="诉求内容",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="请写明事情经过、涉及的部门或项目、希望如何解决。",
    )
    contact_name = forms.CharField(label="联系人", max_length=50)
    contact_phone = forms.CharField(label="联系电话", max_length=20)
    attachments = MultipleFileField(label="附件")
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["category"]).queryset = _categories()
        if not self.is_bound:
            # One key per rendered form: a double click or a resubmission creates one appeal.
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)


class RecordForm(AppealForm):
    """Platform staff record an appeal received by phone, in person or from the hotline."""

    enterprise = forms.CharField(
        label="诉求企业",
        max_length=200,
        help_text="输入统一社会信用代码，或企业名称中的关键字后从列表中选择。",
    )
    channel = forms.ChoiceField(
        label="受理渠道",
        choices=[(c.value, c.label) for c in (Channel.PHONE, Channel.VISIT, Channel.HOTLINE)],
    )
    received_at = forms.DateTimeField(
        label="受理时间",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text="来电或来访的实际时间，可早于现在。",
    )
    field_order = [
        "enterprise",
        "channel",
        "received_at",
        "category",
        "title",
        "content",
        "contact_name",
        "contact_phone",
        "attachments",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact_name"].required = False
        self.fields["contact_phone"].required = False
        self.fields["enterprise"].widget.attrs.update(
            {"list": "enterprise-options", "autocomplete": "off"}
        )
        if not self.is_bound:
            self.initial.setdefault(
                "received_at", timezone.localtime().replace(second=0, microsecond=0)
            )

    def clean_enterprise(self) -> Enterprise:
        value = self.cleaned_data["enterprise"].strip()
        code = normalize_credit_code(value.split(" ")[0]) if value else ""
        match = Enterprise.objects.filter(credit_code=code, is_active=True).first()
        if match is not None:
            return match
        found = list(
            Enterprise.objects.filter(is_active=True).filter(
                Q(name=value) | Q(name__icontains=value)
            )[:6]
        )
        exact = [e for e in found if e.name == value]
        if len(exact) == 1 or len(found) == 1:
            return (exact or found)[0]
        if not found:
            raise ValidationError("未找到该企业，请核对统一社会信用代码或企业名称。")
        names = "、".join(e.name for e in found[:5])
        raise ValidationError(f"匹配到多家企业（{names}），请输入统一社会信用代码。")

    def clean_received_at(self) -> dt.datetime:
        value: dt.datetime = self.cleaned_data["received_at"]
        if value > timezone.now() + dt.timedelta(minutes=5):
            raise ValidationError("受理时间不能晚于当前时间。")
        return value


class TriageForm(StyledFormMixin, forms.Form):
    category = forms.ModelChoiceField(label="诉求类别", queryset=AppealCategory.objects.none())
    department = DepartmentChoiceField(
        label="拟承办部门", queryset=Department.objects.none(), required=False
    )
    note = forms.CharField(
        label="研判意见", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["category"]).queryset = _categories()
        cast(forms.ModelChoiceField, self.fields["department"]).queryset = _departments()


class DispatchForm(StyledFormMixin, forms.Form):
    department = DepartmentChoiceField(label="承办部门", queryset=Department.objects.none())
    co_departments = forms.ModelMultipleChoiceField(
        label="协办部门",
        queryset=Department.objects.none(),
        required=False,
        help_text="可选，需要其他部门配合办理时选择（按住Ctrl或Command多选）。",
    )
    note = forms.CharField(
        label="派发说明", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["department"]).queryset = _departments()
        cast(forms.ModelChoiceField, self.fields["co_departments"]).queryset = _departments()


class ChoiceRadios(forms.RadioSelect):
    """Radios in one row. StyledFormMixin gives every input the form-check-input class, which
    Django's template also puts on the group's container; the container gets its own class."""

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"] = {**context["widget"]["attrs"], "class": "appeal-choices"}
        return context


SCORE_CHOICES = [(str(n), f"{n}分") for n in range(5, 0, -1)]


class EvaluationForm(StyledFormMixin, forms.Form):
    """满意/基本满意/不满意, a score 1–5 and a comment: the enterprise online or staff by phone."""

    level = forms.ChoiceField(label="满意度", choices=Satisfaction.choices, widget=ChoiceRadios)
    score = forms.TypedChoiceField(label="评分", choices=SCORE_CHOICES, coerce=int)
    comment = forms.CharField(
        label="意见", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ContactForm(StyledFormMixin, forms.Form):
    way = forms.ChoiceField(label="联系方式", choices=list(CONTACT_WAYS.items()))
    contacted_at = forms.DateTimeField(
        label="联系时间",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text="不填则为当前时间。",
    )
    content = forms.CharField(
        label="联系情况", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label="退回理由",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="说明不属于本部门职责的依据，以及应由哪个部门承办。",
    )


class ExtensionForm(StyledFormMixin, forms.Form):
    working_days = forms.IntegerField(
        label="延长工作日", min_value=1, max_value=MAX_EXTENSION_WORKING_DAYS
    )
    reason = forms.CharField(
        label="延期理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class RespondForm(StyledFormMixin, forms.Form):
    result = forms.CharField(
        label="办理结果",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="企业将看到此答复：说明如何解决，或不能解决的依据。",
    )
    attachments = MultipleFileField(label="答复附件")


class NoteForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label="内部备注",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="仅平台和承办部门可见，企业看不到。",
    )
    attachments = MultipleFileField(label="内部附件")


class SuperviseForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label="督办说明", required=False, max_length=1000)


class CloseForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label="办结说明", required=False, max_length=1000)


class ExtensionDecisionForm(StyledFormMixin, forms.Form):
    extension = forms.IntegerField(widget=forms.HiddenInput)
    approve = forms.TypedChoiceField(
        label="审批", choices=[("1", "同意延期"), ("0", "不同意")], coerce=lambda v: v == "1"
    )
    note = forms.CharField(label="审批意见", required=False, max_length=1000)


class MergeForm(StyledFormMixin, forms.Form):
    into = forms.IntegerField(widget=forms.HiddenInput)


BOOL_CHOICES = [("", "全部"), ("1", "是"), ("0", "否")]
SORT_CHOICES = [
    ("due", "期限最近"),
    ("-received", "最新受理"),
    ("received", "最早受理"),
    ("number", "编号"),
]


class AppealFilterForm(StyledFormMixin, forms.Form):
    """The filters of the staff list and the department inbox (GET)."""

    q = forms.CharField(
        label="搜索",
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "编号、标题、内容或企业名称"}
        ),
    )
    stage = forms.ChoiceField(
        label="环节", required=False, choices=[("", "全部环节"), *Stage.choices]
    )
    department = forms.ChoiceField(label="承办部门", required=False)
    category = forms.ChoiceField(label="类别", required=False)
    overdue = forms.ChoiceField(label="超期", required=False, choices=BOOL_CHOICES)
    supervised = forms.ChoiceField(label="督办件", required=False, choices=BOOL_CHOICES)
    received_from = forms.DateField(
        label="受理日期起", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    received_to = forms.DateField(
        label="受理日期止", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = forms.ChoiceField(label="排序", required=False, choices=SORT_CHOICES)

    def __init__(self, *args: Any, with_department: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_department:
            cast(forms.ChoiceField, self.fields["department"]).choices = [
                ("", "全部部门"),
                *_departments().values_list("code", "name"),
            ]
        else:
            del self.fields["department"]
        cast(forms.ChoiceField, self.fields["category"]).choices = [
            ("", "全部类别"),
            *AppealCategory.objects.values_list("code", "name"),
        ]

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for selectors.appeal_list (empty when the form is invalid)."""
        if not self.is_valid():
            return {"sort": "due"}
        data = self.cleaned_data
        as_bool = {"1": True, "0": False}
        return {
            "q": data.get("q") or None,
            "stage": data.get("stage") or None,
            "department": data.get("department") or None,
            "category": data.get("category") or None,
            "overdue": as_bool.get(data.get("overdue") or ""),
            "supervised": as_bool.get(data.get("supervised") or ""),
            "received_from": data.get("received_from"),
            "received_to": data.get("received_to"),
            "sort": data.get("sort") or "due",
        }
