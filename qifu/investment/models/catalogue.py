"""招商资料库 (measures article 10): the investment database, reviewed before publishing.

Every item here is `Publishable` in the 智慧招商 section: the department that provides it writes
it, a reviewer of the section (商务局) approves it, and only then do the public promotion pages
show it. Items shown to investors abroad carry reviewed English text in `*_en` fields beside the
Chinese; both are content fields, so changing either sends the item back to review.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import translation

from qifu.accounts.models import Department, DepartmentKind, Enterprise, Section
from qifu.core.models import TimeStampedModel, UploadedFile
from qifu.publishing.models import Publishable

TOWN_CHOICES = {"kind": DepartmentKind.TOWN}
POSITIVE = [MinValueValidator(Decimal("0"))]


def localized(obj: Any, name: str) -> str:
    """The English text of `name` on the English pages when it has one, else the Chinese."""
    if translation.get_language() == "en":
        english = getattr(obj, f"{name}_en", "")
        if english:
            return str(english)
    return str(getattr(obj, name, "") or "")


def has_english(obj: Any, name: str) -> bool:
    return bool(getattr(obj, f"{name}_en", ""))


class CatalogueItem(Publishable):
    """What every database item shares: the investment section, and the staff edit URL."""

    KIND: ClassVar[str] = ""  # the key in qifu.investment.catalogue.KINDS

    class Meta(Publishable.Meta):
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.section = Section.INVESTMENT
        super().save(*args, **kwargs)

    def manage_url(self) -> str:
        return reverse("investment:item", args=[self.KIND, self.pk])


def _money(label: str, **kw: Any) -> models.DecimalField[Any, Any]:
    return models.DecimalField(label, max_digits=14, decimal_places=2, validators=POSITIVE, **kw)


# --- chains -----------------------------------------------------------------------------------


class Chain(CatalogueItem):
    """An industrial chain the city promotes (产业链招商), e.g. 海洋食品, 船舶与海工装备."""

    KIND = "chains"
    CONTENT_FIELDS = ("name", "name_en", "summary", "summary_en", "link_outline")

    code = models.SlugField("编码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=60)
    name_en = models.CharField("英文名称", max_length=120, blank=True)
    summary = models.TextField("简介", max_length=2000)
    summary_en = models.TextField("英文简介", max_length=4000, blank=True)
    # The links as text, kept by the link services: a change of the links is a change of the
    # chain's content, so it goes back to review and its revision shows what changed.
    link_outline = models.TextField("环节概要", blank=True, editable=False)
    sort_order = models.PositiveIntegerField("排序", default=100)

    class Meta(CatalogueItem.Meta):
        verbose_name = "产业链"
        verbose_name_plural = "产业链"
        ordering = ["sort_order", "code"]
        indexes = [models.Index(fields=["status", "published_at"], name="inv_chain_status_idx")]

    def __str__(self) -> str:
        return self.name


class LinkPosition(models.TextChoices):
    UPSTREAM = "upstream", "上游"
    MIDSTREAM = "midstream", "中游"
    DOWNSTREAM = "downstream", "下游"


POSITION_EN = {"upstream": "Upstream", "midstream": "Midstream", "downstream": "Downstream"}

industry_prefix_validator = RegexValidator(
    r"^[A-T](\d{2,4})?$", "行业代码前缀应为 GB/T 4754 门类字母加 2–4 位数字，例如 C136。"
)


class ChainLink(TimeStampedModel):
    """One link of a chain, upstream to downstream; local enterprises are placed on it by
    industry code (and by hand), and its planned output is what the gap is measured against."""

    chain = models.ForeignKey(Chain, on_delete=models.CASCADE, related_name="links")
    position = models.CharField("位置", max_length=12, choices=LinkPosition.choices)
    name = models.CharField("环节", max_length=60)
    name_en = models.CharField("英文名称", max_length=120, blank=True)
    industry_prefixes = models.JSONField(
        "行业代码", default=list, blank=True, help_text="GB/T 4754 代码或前缀，例如 C1361、C37"
    )
    target_output = _money("目标产值（万元）", default=Decimal("0"))
    order = models.PositiveIntegerField("排序", default=100)

    class Meta:
        verbose_name = "产业链环节"
        verbose_name_plural = "产业链环节"
        ordering = ["chain", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "name"], name="inv_chainlink_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.chain.name} · {self.name}"

    @property
    def position_en(self) -> str:
        return POSITION_EN.get(self.position, self.position)

    def matches(self, industry: str) -> bool:
        return any(industry.startswith(p) for p in self.industry_prefixes)


class ChainPlacement(TimeStampedModel):
    """A hand adjustment of the automatic placement: include an enterprise on a link whose
    industry code does not say so, or exclude one that it wrongly puts there."""

    link = models.ForeignKey(ChainLink, on_delete=models.CASCADE, related_name="placements")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+")
    is_excluded = models.BooleanField("排除", default=False)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "环节企业调整"
        verbose_name_plural = "环节企业调整"
        constraints = [
            models.UniqueConstraint(fields=["link", "enterprise"], name="inv_placement_unique")
        ]


# --- parks and idle assets --------------------------------------------------------------------


class ParkLevel(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"
    CITY = "city", "市级"


LEVEL_EN = {"national": "National", "provincial": "Provincial", "city": "Municipal"}


class Located(models.Model):
    town = models.ForeignKey(
        Department,
        verbose_name="所在镇街",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=TOWN_CHOICES,
    )
    address = models.CharField("地址", max_length=200, blank=True)
    address_en = models.CharField("英文地址", max_length=300, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class Park(Located, CatalogueItem):
    """An industrial park (专业园区): area, land still available, leading industries."""

    KIND = "parks"
    CONTENT_FIELDS = (
        "name",
        "name_en",
        "level",
        "town_id",
        "address",
        "address_en",
        "latitude",
        "longitude",
        "planned_area",
        "available_land",
        "leading_industries",
        "leading_industries_en",
        "infrastructure",
        "infrastructure_en",
        "description",
        "description_en",
        "contact_phone",
        "chain_id",
    )

    name = models.CharField("园区名称", max_length=100, unique=True)
    name_en = models.CharField("英文名称", max_length=200, blank=True)
    level = models.CharField("级别", max_length=12, choices=ParkLevel.choices)
    planned_area = _money("规划面积（公顷）", default=Decimal("0"))
    available_land = _money("可供土地（公顷）", default=Decimal("0"))
    chain = models.ForeignKey(
        Chain,
        verbose_name="主导产业链",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="parks",
    )
    leading_industries = models.CharField("主导产业", max_length=300)
    leading_industries_en = models.CharField("英文主导产业", max_length=500, blank=True)
    infrastructure = models.TextField("基础设施", max_length=2000, blank=True)
    infrastructure_en = models.TextField("英文基础设施", max_length=4000, blank=True)
    description = models.TextField("简介", max_length=4000, blank=True)
    description_en = models.TextField("英文简介", max_length=8000, blank=True)
    contact_phone = models.CharField("招商电话", max_length=30, blank=True)

    class Meta(CatalogueItem.Meta):
        verbose_name = "园区"
        verbose_name_plural = "园区"
        ordering = ["name"]
        indexes = [models.Index(fields=["status", "published_at"], name="inv_park_status_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def level_en(self) -> str:
        return LEVEL_EN.get(self.level, self.level)


class AssetKind(models.TextChoices):
    LAND = "land", "土地"
    FACTORY = "factory", "厂房"
    OFFICE = "office", "办公楼宇"
    WAREHOUSE = "warehouse", "仓储冷库"


ASSET_KIND_EN = {
    "land": "Land",
    "factory": "Factory building",
    "office": "Office space",
    "warehouse": "Warehouse / cold store",
}


class Availability(models.TextChoices):
    AVAILABLE = "available", "可招商"
    NEGOTIATING = "negotiating", "洽谈中"
    TAKEN = "taken", "已盘活"


AVAILABILITY_EN = {"available": "Available", "negotiating": "Under negotiation", "taken": "Taken"}


class PriceUnit(models.TextChoices):
    PER_MU = "per_mu", "万元/亩（出让）"
    RENT = "rent", "元/㎡·月（租金）"
    TOTAL = "total", "万元（整体转让）"


PRICE_UNIT_EN = {
    "per_mu": "10k CNY per mu (land grant)",
    "rent": "CNY per m² per month (rent)",
    "total": "10k CNY (whole transfer)",
}

asset_code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9\-]{0,29}$", "资产编号只能包含字母、数字和连字符，最长30位。"
)


class IdleAsset(Located, CatalogueItem):
    """Idle land, factories, offices and warehouses offered to investors (闲置资产)."""

    KIND = "assets"
    CONTENT_FIELDS = (
        "title",
        "title_en",
        "kind",
        "town_id",
        "address",
        "address_en",
        "latitude",
        "longitude",
        "area",
        "price",
        "price_unit",
        "owner",
        "availability",
        "description",
        "description_en",
        "contact_phone",
        "park_id",
    )

    code = models.CharField(
        "资产编号", max_length=30, unique=True, validators=[asset_code_validator]
    )
    title = models.CharField("名称", max_length=100)
    title_en = models.CharField("英文名称", max_length=200, blank=True)
    kind = models.CharField("类型", max_length=12, choices=AssetKind.choices)
    park = models.ForeignKey(
        Park, verbose_name="所在园区", null=True, blank=True, on_delete=models.SET_NULL
    )
    area = _money("面积（㎡）")
    price = _money("价格", null=True, blank=True)
    price_unit = models.CharField(
        "价格单位", max_length=10, choices=PriceUnit.choices, default=PriceUnit.RENT
    )
    owner = models.CharField("权属人", max_length=100)
    availability = models.CharField(
        "招商状态", max_length=12, choices=Availability.choices, default=Availability.AVAILABLE
    )
    description = models.TextField("简介", max_length=4000, blank=True)
    description_en = models.TextField("英文简介", max_length=8000, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)

    class Meta(CatalogueItem.Meta):
        verbose_name = "闲置资产"
        verbose_name_plural = "闲置资产"
        ordering = ["code"]
        indexes = [models.Index(fields=["status", "published_at"], name="inv_asset_status_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def kind_en(self) -> str:
        return ASSET_KIND_EN.get(self.kind, self.kind)

    @property
    def availability_en(self) -> str:
        return AVAILABILITY_EN.get(self.availability, self.availability)

    @property
    def price_unit_en(self) -> str:
        return PRICE_UNIT_EN.get(self.price_unit, self.price_unit)


# --- costs, policies, co-operation, needs -----------------------------------------------------


class CostCategory(models.TextChoices):
    LAND = "land", "土地"
    WATER = "water", "用水"
    ELECTRICITY = "electricity", "用电"
    GAS = "gas", "用气"
    WAGE = "wage", "用工"
    LOGISTICS = "logistics", "物流"


COST_CATEGORY_EN = {
    "land": "Land",
    "water": "Water",
    "electricity": "Electricity",
    "gas": "Natural gas",
    "wage": "Labour",
    "logistics": "Logistics",
}


class InvestmentCost(CatalogueItem):
    """One investment cost (投资成本) with its date and source, e.g. 工业用电 0.6 元/千瓦时."""

    KIND = "costs"
    CONTENT_FIELDS = (
        "category",
        "item",
        "item_en",
        "price",
        "unit",
        "unit_en",
        "effective_on",
        "source",
    )

    category = models.CharField("类别", max_length=12, choices=CostCategory.choices)
    item = models.CharField("项目", max_length=100)
    item_en = models.CharField("英文项目", max_length=200, blank=True)
    price = models.DecimalField("价格", max_digits=12, decimal_places=4, validators=POSITIVE)
    unit = models.CharField("单位", max_length=30)
    unit_en = models.CharField("英文单位", max_length=60, blank=True)
    effective_on = models.DateField("执行日期")
    source = models.CharField("数据来源", max_length=200)

    class Meta(CatalogueItem.Meta):
        verbose_name = "投资成本"
        verbose_name_plural = "投资成本"
        ordering = ["category", "item"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "item", "effective_on"], name="inv_cost_natural_key"
            )
        ]

    def __str__(self) -> str:
        return self.item

    @property
    def category_en(self) -> str:
        return COST_CATEGORY_EN.get(self.category, self.category)


class InvestmentPolicy(CatalogueItem):
    """A policy of the policy library offered to investors, with an English summary."""

    KIND = "policies"
    CONTENT_FIELDS = ("policy_id", "title_en", "summary", "summary_en")

    policy = models.ForeignKey(
        "policies.Policy", verbose_name="政策库中的政策", on_delete=models.PROTECT, related_name="+"
    )
    title_en = models.CharField("英文标题", max_length=300, blank=True)
    summary = models.TextField("招商要点", max_length=2000)
    summary_en = models.TextField("英文要点", max_length=4000, blank=True)

    class Meta(CatalogueItem.Meta):
        verbose_name = "招商政策"
        verbose_name_plural = "招商政策"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.policy) if self.policy_id else "招商政策"

    @property
    def title(self) -> str:
        return self.policy.title

    @property
    def title_localized(self) -> str:
        return localized(self, "title")


class CooperationProject(CatalogueItem):
    """A project offered to investors (对外合作项目): industry, amount, description."""

    KIND = "cooperation"
    CONTENT_FIELDS = (
        "title",
        "title_en",
        "chain_id",
        "industry",
        "industry_en",
        "amount",
        "mode",
        "description",
        "description_en",
        "town_id",
    )

    title = models.CharField("项目名称", max_length=100)
    title_en = models.CharField("英文名称", max_length=200, blank=True)
    chain = models.ForeignKey(
        Chain, verbose_name="所属产业链", null=True, blank=True, on_delete=models.SET_NULL
    )
    industry = models.CharField("行业", max_length=60)
    industry_en = models.CharField("英文行业", max_length=120, blank=True)
    amount = _money("投资额（万元）")
    mode = models.CharField("合作方式", max_length=60, blank=True)
    description = models.TextField("项目内容", max_length=4000)
    description_en = models.TextField("英文项目内容", max_length=8000, blank=True)
    town = models.ForeignKey(
        Department,
        verbose_name="拟选址镇街",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=TOWN_CHOICES,
    )

    class Meta(CatalogueItem.Meta):
        verbose_name = "对外合作项目"
        verbose_name_plural = "对外合作项目"
        ordering = ["-amount", "title"]
        constraints = [
            models.UniqueConstraint(fields=["title"], name="inv_cooperation_unique_title")
        ]

    def __str__(self) -> str:
        return self.title


class NeedKind(models.TextChoices):
    SUPPLY = "supply", "配套供应需求"
    COOPERATION = "cooperation", "合作需求"
    CAPITAL = "capital", "引资需求"


NEED_KIND_EN = {
    "supply": "Supplier wanted",
    "cooperation": "Partner wanted",
    "capital": "Investor wanted",
}


class EnterpriseNeed(CatalogueItem):
    """A local enterprise's supply-chain or co-operation need, shown to investors."""

    KIND = "needs"
    CONTENT_FIELDS = ("enterprise_id", "kind", "title", "title_en", "description", "description_en")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("类型", max_length=12, choices=NeedKind.choices)
    title = models.CharField("需求", max_length=100)
    title_en = models.CharField("英文需求", max_length=200, blank=True)
    description = models.TextField("说明", max_length=2000)
    description_en = models.TextField("英文说明", max_length=4000, blank=True)

    class Meta(CatalogueItem.Meta):
        verbose_name = "企业需求"
        verbose_name_plural = "企业需求"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def kind_en(self) -> str:
        return NEED_KIND_EN.get(self.kind, self.kind)


# --- environment, contacts, media, learning ---------------------------------------------------


class EnvironmentSection(CatalogueItem):
    """A part of the investment-environment page (区位交通, 产业基础, 营商环境 …)."""

    KIND = "environment"
    CONTENT_FIELDS = ("title", "title_en", "body", "body_en", "order")

    title = models.CharField("标题", max_length=60)
    title_en = models.CharField("英文标题", max_length=120, blank=True)
    body = models.TextField("正文", max_length=6000)
    body_en = models.TextField("英文正文", max_length=12000, blank=True)
    order = models.PositiveIntegerField("排序", default=100)

    class Meta(CatalogueItem.Meta):
        verbose_name = "投资环境"
        verbose_name_plural = "投资环境"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class PromotionContact(CatalogueItem):
    """An office investors may call (招商联系方式): public by design."""

    KIND = "contacts"
    CONTENT_FIELDS = (
        "office",
        "office_en",
        "person",
        "phone",
        "email",
        "address",
        "address_en",
        "order",
    )

    office = models.CharField("单位", max_length=100)
    office_en = models.CharField("英文单位", max_length=200, blank=True)
    person = models.CharField("联系人", max_length=50, blank=True)
    phone = models.CharField("电话", max_length=30)
    email = models.EmailField("电子邮箱", blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    address_en = models.CharField("英文地址", max_length=300, blank=True)
    order = models.PositiveIntegerField("排序", default=100)

    class Meta(CatalogueItem.Meta):
        verbose_name = "招商联系方式"
        verbose_name_plural = "招商联系方式"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.office


class MediaKind(models.TextChoices):
    PHOTO = "photo", "图片"
    VIDEO = "video", "视频"


class MediaItem(CatalogueItem):
    """Photos and videos showing the investment environment; videos are links to the city's
    official channel (nothing is embedded from elsewhere: the CSP allows no third-party frames)."""

    KIND = "media"
    CONTENT_FIELDS = ("kind", "title", "title_en", "caption", "caption_en", "video_url")

    kind = models.CharField("类型", max_length=8, choices=MediaKind.choices)
    title = models.CharField("标题", max_length=100)
    title_en = models.CharField("英文标题", max_length=200, blank=True)
    caption = models.CharField("说明", max_length=300, blank=True)
    caption_en = models.CharField("英文说明", max_length=600, blank=True)
    video_url = models.URLField("视频链接", blank=True, help_text="视频类须填写，https 地址")

    class Meta(CatalogueItem.Meta):
        verbose_name = "图片视频"
        verbose_name_plural = "图片视频"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class MaterialCategory(models.TextChoices):
    POLICY = "policy", "行业政策"
    KNOWLEDGE = "knowledge", "商务知识"
    CASE = "case", "招商案例"


class LearningMaterial(CatalogueItem):
    """Shared learning material for the promotion staff (招商服务); never on the public pages."""

    KIND = "learning"
    CONTENT_FIELDS = ("category", "title", "body", "policy_id")

    category = models.CharField("类别", max_length=12, choices=MaterialCategory.choices)
    title = models.CharField("标题", max_length=100)
    body = models.TextField("内容", max_length=20000)
    policy = models.ForeignKey(
        "policies.Policy",
        verbose_name="相关政策",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta(CatalogueItem.Meta):
        verbose_name = "学习资料"
        verbose_name_plural = "学习资料"
        ordering = ["-published_at", "-created_at"]

    def __str__(self) -> str:
        return self.title


def catalogue_file_path(instance: CatalogueFile, filename: str) -> str:
    import uuid

    return f"investment/{instance.item_type_id}/{uuid.uuid4().hex}"


class CatalogueFile(UploadedFile):
    """A photo of a park, an idle asset or a media item, or a learning material's document.

    Stored under a random name and served only through a view that checks the item: published
    for the public, or readable by the staff member asking.
    """

    item_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    item_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("item_type", "item_id")
    file = models.FileField("文件", upload_to=catalogue_file_path)
    caption = models.CharField("说明", max_length=100, blank=True)

    class Meta:
        verbose_name = "资料附件"
        verbose_name_plural = "资料附件"
        ordering = ["id"]
        indexes = [models.Index(fields=["item_type", "item_id"])]

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
