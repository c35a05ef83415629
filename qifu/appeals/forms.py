"""Forms of the appeal pages; every rule lives in the services, these only parse and show errors."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db.models import Q
from django.utils import timezone

from qifu.accounts.models import Department, Enterprise
from qifu.accounts.validators import normalize_credit_code
from qifu.appeals.models import AppealCategory, Channel, Satisfaction, Stage
from qifu.appeals.services import (
    ATTACHMENT_KINDS,
    CONTACT_WAYS,
    FOLLOWUP_WAYS,
    MAX_ATTACHMENTS,
    attachment_check,
    max_extension_working_days,
)
from qifu.core.forms import RadioGroup, StyledFormMixin

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


def find_enterprise(value: str) -> Enterprise:
    """The one enterprise a clerk means by a credit code or (part of) a name, or a field error."""
    value = value.strip()
    code = normalize_credit_code(value.split(" ")[0]) if value else ""
    match = Enterprise.objects.filter(credit_code=code, is_active=True).first()
    if match is not None:
        return match
    found = list(
        Enterprise.objects.filter(is_active=True).filter(Q(name=value) | Q(name__icontains=value))[
            :6
        ]
    )
    exact = [e for e in found if e.name == value]
    if len(exact) == 1 or len(found) == 1:
        return (exact or found)[0]
    if not found:
        raise ValidationError("未找到该企业，请核对统一社会信用代码或企业名称。")
    names = "、".join(e.name for e in found[:5])
    raise ValidationError(f"匹配到多家企业（{names}），请输入统一社会信用代码。")


class EnterpriseField(forms.CharField):
    """A credit code or name, searched as the clerk types (the record form's enterprise list)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "诉求企业")
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("help_text", "输入统一社会信用代码，或企业名称中的关键字后从列表中选择。")
        super().__init__(**kwargs)
        self.widget.attrs.update({"list": "enterprise-options", "autocomplete": "off"})

    def clean(self, value: Any) -> Enterprise | None:
        text = super().clean(value)
        return find_enterprise(text) if text else None


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

    enterprise = EnterpriseField()
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
        if not self.is_bound:
            self.initial.setdefault(
                "received_at", timezone.localtime().replace(second=0, microsecond=0)
            )

    def clean_received_at(self) -> dt.datetime:
        value: dt.datetime = self.cleaned_data["received_at"]
        if value > timezone.now() + dt.timedelta(minutes=5):
            raise ValidationError("受理时间不能晚于当前时间。")
        return value


def _enterprise_first(form: forms.Form, needs_enterprise: bool) -> None:
    """An appeal from an outside system without its enterprise: 研判 links it first."""
    if needs_enterprise:
        form.fields["enterprise"] = EnterpriseField(
            label="确认诉求企业",
            help_text="来件未能确认企业：按统一社会信用代码或名称查找并确认后才能派发。",
        )
        form.order_fields(["enterprise"])


class TriageForm(StyledFormMixin, forms.Form):
    """保存研判 without dispatching yet (e.g. waiting for a department's view)."""

    category = forms.ModelChoiceField(label="诉求类别", queryset=AppealCategory.objects.none())
    department = DepartmentChoiceField(
        label="拟承办部门", queryset=Department.objects.none(), required=False
    )
    note = forms.CharField(
        label="研判意见",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="仅平台和部门可见。",
    )

    def __init__(self, *args: Any, needs_enterprise: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["category"]).queryset = _categories()
        cast(forms.ModelChoiceField, self.fields["department"]).queryset = _departments()
        _enterprise_first(self, needs_enterprise)


class DispatchForm(StyledFormMixin, forms.Form):
    """研判 and 派发 in one form for the clerk: category, conclusion, department, co-departments
    and note; the 研判 is recorded before the 派发."""

    category = forms.ModelChoiceField(label="诉求类别", queryset=AppealCategory.objects.none())
    conclusion = forms.CharField(
        label="研判意见",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="为何由该部门承办；仅平台和部门可见。",
    )
    department = DepartmentChoiceField(
        label="承办部门", queryset=Department.objects.none(), empty_label=None
    )
    co_departments = forms.ModelMultipleChoiceField(
        label="协办部门",
        queryset=Department.objects.none(),
        required=False,
        help_text="可选，需要其他部门配合办理时选择（按住Ctrl或Command多选）。",
    )
    note = forms.CharField(
        label="派发说明",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="承办部门可见：办理要求、注意事项。",
    )

    def __init__(self, *args: Any, needs_enterprise: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["category"]).queryset = _categories()
        cast(forms.ModelChoiceField, self.fields["department"]).queryset = _departments()
        cast(forms.ModelChoiceField, self.fields["co_departments"]).queryset = _departments()
        _enterprise_first(self, needs_enterprise)


SCORE_CHOICES = [(str(n), f"{n}分") for n in range(5, 0, -1)]


class EvaluationForm(StyledFormMixin, forms.Form):
    """满意/基本满意/不满意, a score 1–5 and a comment: the enterprise online or staff by phone."""

    level = forms.ChoiceField(label="满意度", choices=Satisfaction.choices, widget=RadioGroup)
    score = forms.TypedChoiceField(label="评分", choices=SCORE_CHOICES, coerce=int)
    comment = forms.CharField(
        label="意见", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class FollowupForm(StyledFormMixin, forms.Form):
    """电话回访 (art. 16): how, whom, when, the enterprise's answer; 办结 in the same step."""

    way = forms.ChoiceField(
        label="回访方式", choices=list(FOLLOWUP_WAYS.items()), widget=RadioGroup, initial="phone"
    )
    person = forms.CharField(
        label="受访人", max_length=50, help_text="接听电话或接待上门的企业人员。"
    )
    contacted_at = forms.DateTimeField(
        label="回访时间",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text="不填则为当前时间。",
    )
    confirm_online = forms.BooleanField(
        label="企业确认其在线评价", required=False, help_text="勾选后按企业在线评价记录满意度。"
    )
    level = forms.ChoiceField(
        label="满意度", choices=Satisfaction.choices, widget=RadioGroup, required=False
    )
    score = forms.TypedChoiceField(
        label="评分", choices=[("", "请选择"), *SCORE_CHOICES], coerce=int, required=False
    )
    comment = forms.CharField(
        label="企业意见", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    close = forms.BooleanField(
        label="企业满意，同时办结", required=False, initial=True, help_text="不满意时不会办结。"
    )

    def __init__(self, *args: Any, online: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if online is None:
            del self.fields["confirm_online"]
        else:
            self.fields["confirm_online"].initial = True
            self.fields["confirm_online"].help_text = (
                f"企业已在线评价：{online.get_satisfaction_display()}，{online.score}分"
                + (f"（{online.comment}）" if online.comment else "")
                + "。回访时企业确认的，勾选即可一步记录。"
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("confirm_online"):
            if not data.get("level"):
                self.add_error("level", "请选择企业的满意度。")
            if not data.get("score"):
                self.add_error("score", "请选择评分。")
        return data


class ContactForm(StyledFormMixin, forms.Form):
    way = forms.ChoiceField(label="联系方式", choices=list(CONTACT_WAYS.items()))
    person = forms.CharField(label="联系对象", max_length=50, help_text="企业方的联系人。")
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
    working_days = forms.IntegerField(label="延长工作日", min_value=1)
    reason = forms.CharField(
        label="延期理由",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="经平台同意后，企业可看到新的期限和理由。法定3个工作日的期限仍计入考核。",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = max_extension_working_days()
        field = cast(forms.IntegerField, self.fields["working_days"])
        field.max_value = limit
        field.validators.append(MaxValueValidator(limit))
        field.widget.attrs["max"] = limit
        field.help_text = f"最多{limit}个工作日，每次派发可延期一次。"


class RespondForm(StyledFormMixin, forms.Form):
    """诉求应答; where the department has not yet recorded its contact with the enterprise, the
    contact (time, way, person, content) is taken here in the same step (art. 16)."""

    contact_way = forms.ChoiceField(label="联系方式", choices=list(CONTACT_WAYS.items()))
    contact_person = forms.CharField(label="联系对象", max_length=50)
    contacted_at = forms.DateTimeField(
        label="联系时间",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text="不填则为当前时间。",
    )
    contact_content = forms.CharField(
        label="联系情况", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    result = forms.CharField(
        label="办理结果",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="企业将看到此答复：说明如何解决，或不能解决的依据。",
    )
    attachments = MultipleFileField(label="答复附件")

    CONTACT_FIELDS = ("contact_way", "contact_person", "contacted_at", "contact_content")

    def __init__(self, *args: Any, needs_contact: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not needs_contact:
            for name in self.CONTACT_FIELDS:
                del self.fields[name]

    def contact(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if "contact_way" not in self.fields:
            return None
        return {
            "way": data["contact_way"],
            "person": data["contact_person"],
            "contacted_at": data.get("contacted_at"),
            "content": data["contact_content"],
        }


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
    extended = forms.ChoiceField(label="延期", required=False, choices=BOOL_CHOICES)
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
            "extended": as_bool.get(data.get("extended") or ""),
            "supervised": as_bool.get(data.get("supervised") or ""),
            "received_from": data.get("received_from"),
            "received_to": data.get("received_to"),
            "sort": data.get("sort") or "due",
        }
