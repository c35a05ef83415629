"""招商资料库: the places an investor can settle in — parks and idle assets (厂房, 土地, 楼宇)."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import RegexValidator
from django.db import models

from qifu.accounts.models import Department
from qifu.investment.models.catalogue import (
    TOWN_CHOICES,
    CatalogueItem,
    Chain,
    money_field,
)


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
    planned_area = money_field("规划面积（公顷）", default=Decimal("0"))
    available_land = money_field("可供土地（公顷）", default=Decimal("0"))
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
    area = money_field("面积（㎡）")
    price = money_field("价格", null=True, blank=True)
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
