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

from qifu.accounts.models import DepartmentKind, Enterprise, Section
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


def money_field(label: str, **kw: Any) -> models.DecimalField[Any, Any]:
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
    target_output = money_field("目标产值（万元）", default=Decimal("0"))
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
