"""Users, enterprises, departments and the roles that join them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property

from qifu.accounts.validators import (
    validate_credit_code,
    validate_industry_code,
    validate_mobile,
)
from qifu.core.crypto import EncryptedCharField, blind_index
from qifu.core.masking import mask_id_number, mask_phone
from qifu.core.models import TimeStampedModel


class Section(models.TextChoices):
    """The four sections of the platform (measures, article 6)."""

    SERVICES = "services", "办事服务"
    SPACE = "space", "专属空间"
    POLICY = "policy", "政策诉求"
    INVESTMENT = "investment", "智慧招商"


class DepartmentKind(models.TextChoices):
    AGENCY = "agency", "平台管理机构"
    DEPARTMENT = "department", "市直部门"
    TOWN = "town", "镇街区"


class Department(TimeStampedModel):
    """A government unit: one of the three platform agencies, a city department, or a town."""

    code = models.SlugField("编码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=30, blank=True)
    kind = models.CharField("类型", max_length=12, choices=DepartmentKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Article 5: each agency runs its section(s); data, so another city can assign them differently.
    sections = models.JSONField("负责版块", default=list, blank=True)
    remit = models.CharField("职责", max_length=300, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    is_active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveIntegerField("排序", default=100)

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = "部门"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class Scale(models.TextChoices):
    """统计上大中小微型企业划分办法."""

    LARGE = "large", "大型"
    MEDIUM = "medium", "中型"
    SMALL = "small", "小型"
    MICRO = "micro", "微型"


class Qualification(models.TextChoices):
    HIGH_TECH = "high_tech", "高新技术企业"
    TECH_SME = "tech_sme", "科技型中小企业"
    SPECIALIZED_NEW = "specialized_new", "专精特新中小企业"
    LITTLE_GIANT = "little_giant", "专精特新“小巨人”"
    ABOVE_SCALE = "above_scale", "规模以上企业"
    FOREIGN_TRADE = "foreign_trade", "外贸企业"
    FOREIGN_INVESTED = "foreign_invested", "外商投资企业"


class EnterpriseQuerySet(models.QuerySet["Enterprise"]):
    def for_user(self, user: Any) -> EnterpriseQuerySet:
        """Enterprises a user may read: staff see all, an enterprise user only their own."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser or user.is_government:
            return self
        if user.enterprise_id:
            return self.filter(pk=user.enterprise_id)
        return self.none()


class Enterprise(TimeStampedModel):
    """An enterprise, identified by its unified social credit code (统一社会信用代码)."""

    credit_code = models.CharField(
        "统一社会信用代码", max_length=18, unique=True, validators=[validate_credit_code]
    )
    name = models.CharField("企业名称", max_length=200, db_index=True)
    industry = models.CharField(
        "行业代码",
        max_length=5,
        validators=[validate_industry_code],
        help_text="GB/T 4754-2017，例如 C1361",
    )
    scale = models.CharField("企业规模", max_length=8, choices=Scale.choices)
    qualifications = models.JSONField("资质标签", default=list, blank=True)
    region = models.ForeignKey(
        Department,
        verbose_name="所在镇街",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
        limit_choices_to={"kind": DepartmentKind.TOWN},
    )
    address = models.CharField("地址", max_length=200, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    registered_capital = models.DecimalField(
        "注册资本（万元）",
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    employees = models.PositiveIntegerField("从业人数", default=0)
    revenue = models.DecimalField(
        "上年营业收入（万元）",
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    founded_on = models.DateField("成立日期", null=True, blank=True)
    rd_ratio = models.DecimalField(
        "研发投入占比",
        max_digits=5,
        decimal_places=4,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text="小数，0.035 表示 3.5%",
    )
    legal_representative = models.CharField("法定代表人", max_length=50, blank=True)
    # Encrypted at rest (qifu/core/crypto.py); found by its blind index, never by the column.
    legal_representative_id_number = EncryptedCharField(
        "法定代表人身份证号", max_length=18, blank=True
    )
    legal_representative_id_index = models.CharField(
        "身份证号检索值", max_length=64, blank=True, db_index=True, editable=False
    )
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True)
    is_active = models.BooleanField("有效", default=True)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = "企业"
        verbose_name_plural = "企业"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scale__in=[s.value for s in Scale]), name="enterprise_scale_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.legal_representative_id_index = blind_index(self.legal_representative_id_number)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "legal_representative_id_number" in update_fields:
            kwargs["update_fields"] = {*update_fields, "legal_representative_id_index"}
        super().save(*args, **kwargs)

    @property
    def masked_contact_phone(self) -> str:
        return mask_phone(self.contact_phone)

    @property
    def masked_legal_id_number(self) -> str:
        return mask_id_number(self.legal_representative_id_number)

    @property
    def qualification_labels(self) -> list[str]:
        labels = dict(Qualification.choices)
        return [labels.get(q, q) for q in self.qualifications]

    def years_since_founding(self, today: Any = None) -> int | None:
        """Whole years completed as of today."""
        if self.founded_on is None:
            return None
        today = today or timezone.localdate()
        years = today.year - self.founded_on.year
        if (today.month, today.day) < (self.founded_on.month, self.founded_on.day):
            years -= 1
        return years


class Role(models.TextChoices):
    ENTERPRISE_ADMIN = "enterprise_admin", "企业管理员"
    ENTERPRISE_MEMBER = "enterprise_member", "企业用户"
    PLATFORM_STAFF = "platform_staff", "平台工作人员"
    DEPARTMENT_ADMIN = "department_admin", "部门管理员"
    DEPARTMENT_HANDLER = "department_handler", "部门经办人"
    LIAISON = "liaison", "联络员"
    COMMISSIONER = "commissioner", "服务专员"
    STEWARD = "steward", "项目管家"
    SUPERVISOR = "supervisor", "督查领导"
    PROVIDER = "provider", "服务机构"
    AUDITOR = "auditor", "审计员"
    ASSESSOR = "assessor", "考核管理员"
    # 三员分立 (MLPS 2.0 level 3, 访问控制 d): the system, security and audit administrators are
    # three people; role_grant_check refuses a second one of ADMIN_TRIAD to anyone.
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"


ADMIN_TRIAD = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR})
ENTERPRISE_ROLES = frozenset({Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_MEMBER})
DEPARTMENT_ROLES = frozenset(
    {
        Role.PLATFORM_STAFF,
        Role.DEPARTMENT_ADMIN,
        Role.DEPARTMENT_HANDLER,
        Role.LIAISON,
        Role.COMMISSIONER,
        Role.STEWARD,
        Role.SUPERVISOR,
        Role.ASSESSOR,
    }
)


class User(AbstractUser):
    """A person who signs in: an enterprise user, a government worker or a service provider."""

    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    real_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField(
        "手机号", max_length=11, null=True, blank=True, unique=True, validators=[validate_mobile]
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name="所属企业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    department = models.ForeignKey(
        Department,
        verbose_name="所属部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    organisation_name = models.CharField("所属机构", max_length=200, blank=True)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)

    objects = UserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        constraints = [
            models.CheckConstraint(
                condition=Q(enterprise__isnull=True) | Q(department__isnull=True),
                name="user_enterprise_or_department",
            ),
        ]

    def __str__(self) -> str:
        return self.real_name or self.username

    @cached_property
    def role_set(self) -> frozenset[str]:
        return frozenset(self.role_grants.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return any(r in self.role_set for r in roles)

    @property
    def is_government(self) -> bool:
        """A government worker: platform staff or a department, with any role there."""
        return self.department_id is not None and bool(self.role_set & DEPARTMENT_ROLES)

    @property
    def is_enterprise_user(self) -> bool:
        return self.enterprise_id is not None

    @property
    def is_enterprise_admin(self) -> bool:
        return self.enterprise_id is not None and self.has_role(Role.ENTERPRISE_ADMIN)

    @property
    def is_platform_staff(self) -> bool:
        return self.is_superuser or self.has_role(Role.PLATFORM_STAFF)

    @property
    def requires_short_session(self) -> bool:
        return self.is_superuser or self.is_staff or self.is_government

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def role_labels(self) -> list[str]:
        labels = dict(Role.choices)
        names = [labels[r] for r in sorted(self.role_set) if r in labels]
        if self.is_superuser:
            names.insert(0, "平台超级管理员")
        return names

    def administers_section(self, section: str) -> bool:
        """Article 5: each section is maintained by the agency responsible for it."""
        if self.is_superuser:
            return True
        if self.department is None or not self.has_role(
            Role.PLATFORM_STAFF, Role.DEPARTMENT_ADMIN, Role.LIAISON
        ):
            return False
        return section in (self.department.sections or [])


class RoleGrant(TimeStampedModel):
    """A role held by a user, scoped to the user's department or enterprise."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField("角色", max_length=30, choices=Role.choices)
    department = models.ForeignKey(
        Department,
        verbose_name="部门",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_grants",
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name="企业",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_grants",
    )
    granted_by = models.ForeignKey(
        User,
        verbose_name="授权人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "角色授权"
        verbose_name_plural = "角色授权"
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="rolegrant_unique_user_role"),
            # Article 11: one liaison per platform agency, one administrator per department/town.
            models.UniqueConstraint(
                fields=["role", "department"],
                condition=Q(role__in=["liaison", "department_admin"]),
                name="rolegrant_one_liaison_or_admin_per_department",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class PhoneCodePurpose(models.TextChoices):
    REGISTER = "register", "注册"
    RESET_PASSWORD = "reset", "找回密码"
    CHANGE_PHONE = "change_phone", "更换手机号"
    VERIFY = "verify", "身份核验"


class PhoneCode(TimeStampedModel):
    """A one-time SMS verification code; only its hash is stored."""

    phone = models.CharField("手机号", max_length=11, db_index=True)
    purpose = models.CharField("用途", max_length=20, choices=PhoneCodePurpose.choices)
    code_hash = models.CharField(max_length=128)
    expires_at = models.DateTimeField("过期时间")
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    used_at = models.DateTimeField("使用时间", null=True, blank=True)

    class Meta:
        verbose_name = "短信验证码"
        verbose_name_plural = "短信验证码"
        indexes = [models.Index(fields=["phone", "purpose", "created_at"])]


class ApiToken(TimeStampedModel):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField("过期时间", db_index=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        verbose_name = "API令牌"
        verbose_name_plural = "API令牌"


class PasswordHistory(models.Model):
    """Earlier password hashes of a user: the last N may not be chosen again (MLPS 身份鉴别 a)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"
