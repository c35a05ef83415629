"""招商资料库: what the city offers and asks — costs, policies, co-operation projects, enterprise
needs, the environment, promotion contacts, media and learning materials."""

from __future__ import annotations

from django.db import models

from qifu.accounts.models import Department, Enterprise
from qifu.investment.models.catalogue import (
    POSITIVE,
    TOWN_CHOICES,
    CatalogueItem,
    Chain,
    localized,
    money_field,
)


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
    amount = money_field("投资额（万元）")
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
