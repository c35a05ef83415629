from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from qifu.accounts.industries import division_choices
from qifu.accounts.models import Department, DepartmentKind, Qualification, Scale
from qifu.accounts.widgets import DepartmentChoiceField
from qifu.core.forms import StyledFormMixin
from qifu.policies.imports import CODE_RE
from qifu.policies.matching import validate_criteria, validate_industries
from qifu.policies.models import Policy, SubscriptionKind
from qifu.publishing.forms import ReturnForm as PublicationReturnForm
from qifu.publishing.models import PublicationStatus

SPLIT_RE = re.compile(r"[\s,，、|；;]+")


def _town_choices() -> list[tuple[str, str]]:
    towns = Department.objects.filter(kind=DepartmentKind.TOWN, is_active=True)
    return [(d.name, d.name) for d in towns.order_by("sort_order", "name")]


def _split(value: str) -> list[str]:
    return [part for part in SPLIT_RE.split(value or "") if part]


class LibraryFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label="关键词", required=False, max_length=50)
    # Grouped by kind and searchable by short name (the same department choice as every form).
    issuer = DepartmentChoiceField(
        label="发布部门",
        required=False,
        empty_label="全部部门",
        to_field_name="code",
        queryset=Department.objects.none(),
    )
    industry = forms.CharField(
        label="行业代码", required=False, max_length=5, help_text="例如 C1361"
    )
    tag = forms.ChoiceField(label="标签", required=False)
    in_force = forms.ChoiceField(
        label="效力", required=False, choices=[("", "现行有效"), ("expired", "已失效")]
    )

    def __init__(self, *args: Any, issuers: Any = (), tags: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if hasattr(issuers, "order_by"):
            cast(DepartmentChoiceField, self.fields["issuer"]).queryset = issuers
        cast(forms.ChoiceField, self.fields["tag"]).choices = [
            ("", "全部标签"),
            *((t, t) for t in tags),
        ]

    def clean_industry(self) -> str:
        value = (self.cleaned_data.get("industry") or "").strip().upper()
        if value:
            try:
                validate_industries([value])
            except ValidationError:
                raise forms.ValidationError("行业代码应符合GB/T 4754-2017，例如 C1361。") from None
        return value

    def values(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        issuer = self.cleaned_data.get("issuer")
        return {**self.cleaned_data, "issuer": issuer.code if issuer else ""}


class ProfileForm(StyledFormMixin, forms.Form):
    """The public policy calculator: an enterprise profile typed in by a visitor."""

    scale = forms.ChoiceField(label="企业规模", choices=Scale.choices)
    # A text box with the GB/T 4754 divisions as suggestions: typing "食品" offers
    # "C13 农副食品加工业" and "C14 食品制造业"; a precise code such as C1361 is kept as typed.
    industry = forms.CharField(
        label="所属行业",
        max_length=40,
        widget=forms.TextInput(attrs={"list": "industry-divisions", "autocomplete": "off"}),
        help_text="输入行业名称（如“食品”“汽车”）从列表中选择，或填写完整代码，如 C1361",
    )
    region_name = forms.ChoiceField(label="所在镇街", required=False)
    employees = forms.IntegerField(label="从业人数", min_value=0, required=False)
    registered_capital = forms.DecimalField(
        label="注册资本（万元）", min_value=0, max_digits=14, decimal_places=2, required=False
    )
    revenue = forms.DecimalField(
        label="上年营业收入（万元）", min_value=0, max_digits=14, decimal_places=2, required=False
    )
    founded_on = forms.DateField(
        label="成立日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    rd_percent = forms.DecimalField(
        label="研发投入占比（%）",
        min_value=0,
        max_value=100,
        max_digits=6,
        decimal_places=2,
        required=False,
        help_text="研发费用占营业收入的百分比，例如 3.5",
    )
    qualifications = forms.MultipleChoiceField(
        label="资质",
        required=False,
        choices=Qualification.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["region_name"]).choices = [
            ("", "请选择"),
            *_town_choices(),
        ]

    @property
    def industry_divisions(self) -> list[tuple[str, str]]:
        return [choice for _, choices in division_choices() for choice in choices]

    def clean_industry(self) -> str:
        value = (self.cleaned_data.get("industry") or "").strip().upper().split(" ")[0]
        try:
            validate_industries([value])
        except ValidationError:
            raise forms.ValidationError("行业代码应符合GB/T 4754-2017，例如 C1361。") from None
        return value

    def clean_founded_on(self) -> date | None:
        value: date | None = self.cleaned_data.get("founded_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError("成立日期不能晚于今天。")
        return value

    def profile(self) -> SimpleNamespace:
        """The typed-in profile in the shape `matching.evaluate` reads."""
        data = self.cleaned_data
        percent = data.get("rd_percent")
        return SimpleNamespace(
            scale=data["scale"],
            industry=data["industry"],
            region_name=data.get("region_name") or None,
            employees=data.get("employees"),
            registered_capital=data.get("registered_capital"),
            revenue=data.get("revenue"),
            founded_on=data.get("founded_on"),
            rd_ratio=None if percent is None else percent / 100,
            qualifications=data.get("qualifications") or [],
        )

    @staticmethod
    def initial_for(enterprise: Any) -> dict[str, Any]:
        return {
            "scale": enterprise.scale,
            "industry": enterprise.industry,
            "region_name": enterprise.region.name if enterprise.region_id else "",
            "employees": enterprise.employees,
            "registered_capital": enterprise.registered_capital,
            "revenue": enterprise.revenue,
            "founded_on": enterprise.founded_on,
            "rd_percent": (enterprise.rd_ratio * 100).normalize(),
            "qualifications": enterprise.qualifications,
        }


# The criteria editor: one form field per key of docs/api.md, so errors sit next to the field.
CRITERIA_FIELDS = (
    "scales",
    "qualifications_all",
    "qualifications_any",
    "regions",
    "min_employees",
    "max_employees",
    "min_registered_capital",
    "min_revenue",
    "max_revenue",
    "min_years_since_founding",
    "max_years_since_founding",
    "min_rd_percent",
)
MULTI_FIELDS = ("scales", "qualifications_all", "qualifications_any", "regions")


def criteria_form_fields() -> dict[str, forms.Field]:
    """Fresh form fields for the criteria of docs/api.md, one per key (the criteria editor)."""
    return {
        "scales": forms.MultipleChoiceField(
            label="企业规模（其一）",
            required=False,
            choices=Scale.choices,
            widget=forms.CheckboxSelectMultiple,
        ),
        "qualifications_all": forms.MultipleChoiceField(
            label="须同时具备的资质",
            required=False,
            choices=Qualification.choices,
            widget=forms.CheckboxSelectMultiple,
        ),
        "qualifications_any": forms.MultipleChoiceField(
            label="具备其一即可的资质",
            required=False,
            choices=Qualification.choices,
            widget=forms.CheckboxSelectMultiple,
        ),
        "regions": forms.MultipleChoiceField(
            label="所在镇街（其一）", required=False, widget=forms.CheckboxSelectMultiple
        ),
        "min_employees": forms.IntegerField(
            label="从业人数不少于（人）", min_value=0, required=False
        ),
        "max_employees": forms.IntegerField(
            label="从业人数不超过（人）", min_value=0, required=False
        ),
        "min_registered_capital": forms.DecimalField(
            label="注册资本不低于（万元）",
            min_value=0,
            max_digits=14,
            decimal_places=2,
            required=False,
        ),
        "min_revenue": forms.DecimalField(
            label="上年营业收入不低于（万元）",
            min_value=0,
            max_digits=14,
            decimal_places=2,
            required=False,
        ),
        "max_revenue": forms.DecimalField(
            label="上年营业收入不超过（万元）",
            min_value=0,
            max_digits=14,
            decimal_places=2,
            required=False,
        ),
        "min_years_since_founding": forms.IntegerField(
            label="成立年限不少于（年）", min_value=0, required=False
        ),
        "max_years_since_founding": forms.IntegerField(
            label="成立年限不超过（年）", min_value=0, required=False
        ),
        "min_rd_percent": forms.DecimalField(
            label="研发投入占比不低于（%）",
            min_value=0,
            max_value=100,
            max_digits=6,
            decimal_places=2,
            required=False,
            help_text="例如 3 表示研发费用不低于营业收入的 3%",
        ),
    }


class CriteriaFieldsMixin:
    """The criteria editor, shared by the policy form and the declaration-call form.

    Each criterion is its own field, so a clerk never writes JSON and an error sits next to the
    field it is about; `criteria_from(cleaned_data)` builds the validated criteria dict.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields  # type: ignore[attr-defined]
        for name, field in criteria_form_fields().items():
            fields[name] = field
        towns = _town_choices()
        known = {name for name, _ in towns}
        initial = self.initial.get("regions") or []  # type: ignore[attr-defined]
        extra = [(r, r) for r in initial if r not in known]
        cast(forms.ChoiceField, fields["regions"]).choices = [*towns, *extra]

    @property
    def criteria_fields(self) -> list[Any]:
        names = ("industries", "industries_text", *CRITERIA_FIELDS)
        return [self[n] for n in names if n in self.fields]  # type: ignore[index,attr-defined]

    @staticmethod
    def criteria_initial(criteria: dict[str, Any] | None) -> dict[str, Any]:
        criteria = criteria or {}
        initial: dict[str, Any] = {}
        for name in CRITERIA_FIELDS:
            if name == "min_rd_percent":
                if "min_rd_ratio" in criteria:
                    initial[name] = (Decimal(str(criteria["min_rd_ratio"])) * 100).normalize()
            elif name in criteria:
                initial[name] = criteria[name]
        return initial

    def criteria_from(self, data: dict[str, Any]) -> dict[str, Any] | None:
        """The criteria the fields describe, or None after adding errors to the fields."""
        for low, high in (
            ("min_employees", "max_employees"),
            ("min_revenue", "max_revenue"),
            ("min_years_since_founding", "max_years_since_founding"),
        ):
            if data.get(low) is not None and data.get(high) is not None and data[low] > data[high]:
                label = self.fields[low].label  # type: ignore[attr-defined]
                self.add_error(high, f"不能小于“{label}”。")  # type: ignore[attr-defined]
        if self.errors:  # type: ignore[attr-defined]
            return None
        criteria: dict[str, Any] = {}
        for name in CRITERIA_FIELDS:
            value: Any = data.get(name)
            if value in (None, "", []):
                continue
            if name == "min_rd_percent":
                criteria["min_rd_ratio"] = value / 100
            else:
                criteria[name] = value
        try:
            return validate_criteria(
                {k: float(v) if isinstance(v, Decimal) else v for k, v in criteria.items()}
            )
        except ValidationError as exc:
            self.add_error(None, exc.messages)  # type: ignore[attr-defined]
            return None


class PolicyForm(StyledFormMixin, CriteriaFieldsMixin, forms.Form):
    code = forms.CharField(
        label="政策编码",
        max_length=40,
        help_text="唯一编码，字母、数字、点、下划线和连字符，例如 RC-GXJ-2026-001；保存后不可修改",
    )
    title = forms.CharField(label="标题", max_length=200)
    doc_number = forms.CharField(label="文号", max_length=100, required=False)
    published_on = forms.DateField(
        label="发文日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    summary = forms.CharField(
        label="摘要", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    body = forms.CharField(
        label="正文",
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=(
            "纯文本空一行分段；也可使用 HTML 段落、加粗、列表、小标题、表格和链接，"
            "其他标签会被清除。"
        ),
    )
    benefit = forms.CharField(label="扶持内容", max_length=300, required=False)
    how_to_apply = forms.CharField(
        label="申报方式", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_auto_grant = forms.BooleanField(
        label="免申即享（无需申请，由部门确认后直接兑现）", required=False
    )
    tags = forms.CharField(
        label="标签", required=False, max_length=200, help_text="多个标签用逗号或空格分隔"
    )
    industries = forms.CharField(
        label="适用行业",
        required=False,
        max_length=300,
        help_text="行业代码或前缀，用逗号分隔，例如 C13, C3630；留空为不限行业",
    )
    publish_at = forms.DateTimeField(
        label="定时发布时间",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="留空则审核通过后手动发布",
    )
    expires_on = forms.DateField(
        label="有效期至",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="过了这一天自动下线；留空为长期有效",
    )

    def __init__(self, *args: Any, instance: Policy | None = None, **kwargs: Any) -> None:
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(instance)
        super().__init__(*args, **kwargs)
        if instance is not None:
            self.fields["code"].disabled = True
            self.fields["code"].required = False
        for field in self.fields.values():
            field.error_messages["required"] = f"请填写{field.label}。"

    @property
    def content_fields(self) -> list[Any]:
        return [self[n] for n in ("code", "title", "doc_number", "published_on", "summary", "body",
                                  "benefit", "how_to_apply", "is_auto_grant", "tags")]  # fmt: skip

    @property
    def schedule_fields(self) -> list[Any]:
        return [self["publish_at"], self["expires_on"]]

    @classmethod
    def initial_from(cls, policy: Policy) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "code": policy.code,
            "title": policy.title,
            "doc_number": policy.doc_number,
            "published_on": policy.published_on,
            "summary": policy.summary,
            "body": policy.body,
            "benefit": policy.benefit,
            "how_to_apply": policy.how_to_apply,
            "is_auto_grant": policy.is_auto_grant,
            "tags": "，".join(policy.tags or []),
            "industries": ", ".join(policy.industries or []),
            "publish_at": policy.publish_at,
            "expires_on": policy.expires_on,
        }
        return {**initial, **cls.criteria_initial(policy.criteria)}

    def clean_code(self) -> str:
        if self.instance is not None:
            return self.instance.code
        value = (self.cleaned_data.get("code") or "").strip()
        if not CODE_RE.match(value):
            raise forms.ValidationError(
                "政策编码只能包含字母、数字、点、下划线和连字符，最长40位。"
            )
        if Policy.objects.filter(code=value).exists():
            raise forms.ValidationError("该政策编码已被使用。")
        return value

    def clean_industries(self) -> list[str]:
        codes = [c.upper() for c in _split(self.cleaned_data.get("industries") or "")]
        try:
            return validate_industries(codes)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None

    def clean_tags(self) -> list[str]:
        return list(dict.fromkeys(_split(self.cleaned_data.get("tags") or "")))

    def clean_expires_on(self) -> date | None:
        value: date | None = self.cleaned_data.get("expires_on")
        changed = self.instance is None or value != self.instance.expires_on
        if value and changed and value < timezone.localdate():
            raise forms.ValidationError("有效期不能早于今天。")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        criteria = self.criteria_from(data)
        if criteria is not None:
            data["criteria"] = criteria
        return data

    def changes(self) -> dict[str, Any]:
        """The editable fields of the policy, as the services take them."""
        data = self.cleaned_data
        names = ("title", "doc_number", "published_on", "summary", "body", "benefit",
                 "how_to_apply", "is_auto_grant", "tags", "industries", "criteria",
                 "publish_at", "expires_on")  # fmt: skip
        return {name: data[name] for name in names}


ReturnForm = PublicationReturnForm  # one return form for all published content


class ManageFilterForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部状态"), *PublicationStatus.choices]
    )
    q = forms.CharField(label="标题或编码", required=False, max_length=50)

    def values(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class SubscriptionForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label="订阅类型", choices=SubscriptionKind.choices)
    value = forms.CharField(
        label="订阅内容",
        max_length=50,
        help_text="部门填全称或简称（如 工信局）；行业填代码或前缀（如 C13）；标签或关键词填文字",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, value = data.get("kind"), (data.get("value") or "").strip()
        if not kind or not value:
            return data
        if kind == SubscriptionKind.DEPARTMENT:
            department = Department.objects.filter(
                models.Q(name=value) | models.Q(short_name=value) | models.Q(code=value)
            ).first()
            if department is None:
                self.add_error("value", f"没有名为“{value}”的部门。")
            else:
                value = department.name
        elif kind == SubscriptionKind.INDUSTRY:
            value = value.upper()
            try:
                validate_industries([value])
            except ValidationError:
                self.add_error("value", "行业代码应符合GB/T 4754-2017，例如 C13 或 C1361。")
        elif kind == SubscriptionKind.KEYWORD and len(value) < 2:
            self.add_error("value", "关键词至少2个字。")
        data["value"] = value
        return data


class MuteForm(StyledFormMixin, forms.Form):
    tag = forms.CharField(label="不再接收此标签的政策推送", max_length=50)


class AttachmentForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label="附件",
        help_text="PDF、Word、Excel 或图片，不超过10MB；按文件内容识别类型。",
        error_messages={"required": "请选择要上传的文件。"},
    )

    def clean_file(self) -> Any:
        from qifu.core.uploads import attachment_check

        upload = self.cleaned_data["file"]
        attachment_check(upload)
        return upload
