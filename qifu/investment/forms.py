"""Forms of the investment section: the database kinds (built from the registry), leads and
their actions, visits, tasks, key enterprises, imports, and the public intent form."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from qifu.accounts.models import Department, DepartmentKind, Scale, User
from qifu.core.forms import StyledFormMixin
from qifu.investment import access
from qifu.investment.catalogue import Kind
from qifu.investment.fields import EDITABLE_FIELDS, KEY_ENTERPRISE_FIELDS, VISIT_FIELDS
from qifu.investment.models import (
    NODE_ORDER,
    AssetKind,
    Availability,
    Chain,
    ChainLink,
    ContactStatus,
    DocumentKind,
    KeyEnterprise,
    Lead,
    Origin,
    Stage,
    Visit,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
LONG_TEXT = {"rows": 4}


def towns() -> Any:
    return Department.objects.filter(kind=DepartmentKind.TOWN, is_active=True).order_by(
        "sort_order"
    )


def staff_people() -> list[User]:
    users = User.objects.filter(is_active=True, enterprise__isnull=True).select_related(
        "department"
    )
    return [u for u in users if access.is_investment_staff(u) and not u.is_superuser]


class PeopleChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        department = obj.department.display_name if obj.department else ""
        return f"{obj.real_name or obj.username}（{department}）" if department else str(obj)


def _people_field(label: str, *, required: bool = False) -> PeopleChoiceField:
    people = staff_people()
    return PeopleChoiceField(
        label=label,
        queryset=User.objects.filter(pk__in=[u.pk for u in people]).order_by("username"),
        required=required,
    )


class CatalogueForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    """The staff form of one database kind; `for_kind` builds the class."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "town" in self.fields:
            self.fields["town"].queryset = towns()  # type: ignore[attr-defined]
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs.setdefault("rows", 4)
            if isinstance(field.widget, forms.DateInput):
                field.widget = DATE
            if name.endswith("_en"):
                field.help_text = "供英文推介页面使用，须为人工审校的英文，不用机器翻译。"

    @classmethod
    def for_kind(cls, kind: Kind) -> type[CatalogueForm]:
        return forms.modelform_factory(kind.model, form=cls, fields=kind.fields)  # type: ignore[return-value]


class ChainLinkForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    industry_prefixes = forms.CharField(
        label="行业代码",
        required=False,
        help_text="GB/T 4754 代码或前缀，用“|”分隔，例如 C1361|C1362",
    )

    class Meta:
        model = ChainLink
        fields = ("position", "name", "name_en", "industry_prefixes", "target_output", "order")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["industry_prefixes"] = "|".join(self.instance.industry_prefixes)

    def clean_industry_prefixes(self) -> list[str]:
        from qifu.investment.models.catalogue import industry_prefix_validator

        raw = self.cleaned_data.get("industry_prefixes") or ""
        prefixes = [p.strip().upper() for p in raw.replace("，", "|").replace(",", "|").split("|")]
        prefixes = [p for p in prefixes if p]
        for prefix in prefixes:
            industry_prefix_validator(prefix)
        return prefixes


class PlacementForm(StyledFormMixin, forms.Form):
    credit_code = forms.CharField(label="企业统一社会信用代码", max_length=18)
    is_excluded = forms.BooleanField(label="从该环节排除（不勾选为加入）", required=False)
    note = forms.CharField(label="说明", max_length=200, required=False)


class FileForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label="文件")
    caption = forms.CharField(label="说明", max_length=100, required=False)


class ImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label="CSV 或 Excel 文件", help_text="第一行为列名；CSV 为 UTF-8 编码")
    dry_run = forms.BooleanField(label="试运行（只检查，不写入）", required=False)


# --- leads ------------------------------------------------------------------------------------


class LeadForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Lead
        fields = EDITABLE_FIELDS
        widgets = {"message": forms.Textarea(attrs=LONG_TEXT)}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = towns()  # type: ignore[attr-defined]
        self.fields["chain_link"].queryset = ChainLink.objects.select_related("chain")  # type: ignore[attr-defined]


class NewLeadForm(LeadForm):
    origin = forms.ChoiceField(
        label="来源", choices=[c for c in Origin.choices if c[0] != Origin.INTENT]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = _people_field("负责人")


class ContactForm(StyledFormMixin, forms.Form):
    way = forms.ChoiceField(
        label="联系方式",
        choices=[
            ("电话", "电话"),
            ("面谈", "面谈"),
            ("微信", "微信"),
            ("邮件", "邮件"),
            ("视频会议", "视频会议"),
        ],
    )
    contacted_at = forms.DateTimeField(
        label="联系时间", required=False, widget=DATETIME, help_text="留空为现在"
    )
    content = forms.CharField(
        label="联系情况", max_length=1000, widget=forms.Textarea(attrs=LONG_TEXT)
    )


class AdvanceForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label="说明", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    credit_code = forms.CharField(
        label="统一社会信用代码", max_length=18, required=False, help_text="推进到“注册”时必填"
    )
    scale = forms.ChoiceField(
        label="企业规模", choices=Scale.choices, initial=Scale.SMALL, required=False
    )


class TerminateForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label="终止原因", max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class AssignForm(StyledFormMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = _people_field("负责人", required=True)


class MemberForm(StyledFormMixin, forms.Form):
    role = forms.CharField(label="分工", max_length=60, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"] = _people_field("成员", required=True)
        self.order_fields(["user", "role"])


class DocumentForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label="材料类型", choices=DocumentKind.choices)
    file = forms.FileField(label="文件", help_text="PDF、JPG、PNG、Word 或 Excel，不超过10MB")


class PlanForm(StyledFormMixin, forms.Form):
    """One owner and date per node not yet reached."""

    def __init__(self, *args: Any, lead: Lead, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        nodes = {n.stage: n for n in lead.nodes.all()}
        self.stages = [
            s for s in NODE_ORDER[NODE_ORDER.index(lead.stage) + 1 :] if lead.stage in NODE_ORDER
        ]
        for stage in self.stages:
            node = nodes.get(stage)
            label = Stage(stage).label
            owner = _people_field(f"{label} 责任人")
            owner.initial = node.owner_id if node else None
            self.fields[f"{stage}_owner"] = owner
            self.fields[f"{stage}_on"] = forms.DateField(
                label=f"{label} 计划日期",
                required=False,
                widget=DATE,
                initial=node.planned_on if node else None,
            )

    def plan(self) -> dict[str, tuple[User | None, dt.date | None]]:
        return {
            s: (self.cleaned_data.get(f"{s}_owner"), self.cleaned_data.get(f"{s}_on"))
            for s in self.stages
        }


class TaskForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label="任务", max_length=200)
    due_at = forms.DateTimeField(label="完成期限", widget=DATETIME)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"] = _people_field("承办人", required=True)


class LeadFilterForm(StyledFormMixin, forms.Form):
    stage = forms.ChoiceField(label="节点", required=False, choices=[("", "全部"), *Stage.choices])
    chain = forms.ModelChoiceField(
        label="产业链", required=False, queryset=Chain.objects.all(), empty_label="全部"
    )
    origin = forms.ChoiceField(
        label="来源", required=False, choices=[("", "全部"), *Origin.choices]
    )
    q = forms.CharField(label="企业/编号", required=False, max_length=100)
    slipping = forms.BooleanField(label="只看节点滞后", required=False)
    mine = forms.BooleanField(label="只看我参与的", required=False)


class VisitForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    lead_refs = forms.CharField(
        label="关联项目编号",
        required=False,
        help_text="多个编号用空格或逗号分隔，例如 ZS2026-00001",
    )

    class Meta:
        model = Visit
        fields = VISIT_FIELDS
        widgets = {"visited_on": DATE, "outcome": forms.Textarea(attrs=LONG_TEXT)}

    def clean_lead_refs(self) -> list[Lead]:
        raw = self.cleaned_data.get("lead_refs") or ""
        refs = [
            r.strip().upper() for r in raw.replace("，", ",").replace(",", " ").split() if r.strip()
        ]
        leads = list(Lead.objects.filter(reference__in=refs))
        missing = sorted(set(refs) - {lead.reference for lead in leads})
        if missing:
            raise forms.ValidationError(f"未找到项目：{'、'.join(missing)}")
        return leads


class KeyEnterpriseForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = KeyEnterprise
        fields = KEY_ENTERPRISE_FIELDS
        widgets = {"last_contact_on": DATE}


class KeyEnterpriseFilterForm(StyledFormMixin, forms.Form):
    chain = forms.ModelChoiceField(
        label="产业链", required=False, queryset=Chain.objects.all(), empty_label="全部"
    )
    contact_status = forms.ChoiceField(
        label="联系状态", required=False, choices=[("", "全部"), *ContactStatus.choices]
    )
    q = forms.CharField(label="企业名称", required=False, max_length=100)


# --- public -----------------------------------------------------------------------------------


class AssetFilterForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("类型"), required=False, choices=[("", _("全部")), *AssetKind.choices]
    )
    town = forms.ModelChoiceField(
        label=_("镇街"), required=False, queryset=Department.objects.none(), empty_label=_("全部")
    )
    availability = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *Availability.choices]
    )
    min_area = forms.DecimalField(label=_("最小面积（㎡）"), required=False, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = towns()  # type: ignore[attr-defined]


class ParkFilterForm(StyledFormMixin, forms.Form):
    chain = forms.ModelChoiceField(
        label=_("主导产业链"), required=False, queryset=Chain.objects.none(), empty_label=_("全部")
    )
    min_land = forms.DecimalField(label=_("可供土地不少于（公顷）"), required=False, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chain"].queryset = Chain.objects.published()  # type: ignore[attr-defined]


class IntentForm(StyledFormMixin, forms.Form):
    """Online intent registration; labels in Chinese, translated on the English page."""

    name = forms.CharField(label=_("联系人姓名"), max_length=50)
    company = forms.CharField(label=_("企业名称"), max_length=200)
    country = forms.CharField(label=_("国家/地区"), max_length=60)
    province = forms.CharField(label=_("省份/州"), max_length=30, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    industry = forms.CharField(label=_("所属行业"), max_length=100)
    amount = forms.DecimalField(
        label=_("计划投资额（万元）"), required=False, min_value=0, decimal_places=2
    )
    interest = forms.CharField(
        label=_("投资意向"),
        max_length=200,
        required=False,
        help_text=_("例如：新建工厂、合资合作、租用厂房"),
    )
    message = forms.CharField(
        label=_("留言或咨询"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    consent = forms.BooleanField(
        label=_("我同意荣成市商务局为联系我而保存以上信息"),
        error_messages={"required": _("请阅读并同意后再提交。")},
    )
    # Robots fill every field; people never see this one (hidden from sight and screen readers).
    website = forms.CharField(required=False, label=_("网址（请留空）"))
    stamp = forms.CharField(widget=forms.HiddenInput)

    SALT = "investment.intent"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        if not self.is_bound and translation.get_language() != "en":
            self.initial["country"] = "中国"
        if not self.is_bound:
            self.initial["stamp"] = signing.dumps(timezone.now().timestamp(), salt=self.SALT)

    def robot_check(self) -> str:
        """ "bot" (the hidden field is filled or the stamp forged), "fast" (sent back faster than
        a person types), "stale" (the page is a day old), or "" for a person."""
        if self.data.get("website"):
            return "bot"
        try:
            started = float(
                signing.loads(self.data.get("stamp", ""), salt=self.SALT, max_age=86400)
            )
        except signing.SignatureExpired:
            return "stale"
        except (signing.BadSignature, ValueError, TypeError):
            return "bot"
        if timezone.now().timestamp() - started < settings.INTENT_MIN_SECONDS:
            return "fast"
        return ""
