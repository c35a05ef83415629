"""The kinds of the investment database (招商资料库) and the writes common to all of them.

One registry drives the staff pages (list, new, edit with review actions, files, import): a kind
names its model, the fields staff edit, and the columns of its list. Creating and editing go
through `qifu.publishing.services`, so every item is reviewed before it reaches the public pages
(measures article 12) and every version is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from qifu.accounts.models import Section
from qifu.core.audit import audit_record
from qifu.core.uploads import ATTACHMENT_MIME, attachment_check
from qifu.investment.models import (
    CatalogueFile,
    CatalogueItem,
    Chain,
    ChainLink,
    CooperationProject,
    EnterpriseNeed,
    EnvironmentSection,
    IdleAsset,
    InvestmentCost,
    InvestmentPolicy,
    LearningMaterial,
    LinkPosition,
    MediaItem,
    Park,
    PromotionContact,
)
from qifu.publishing import services as publishing

MAX_FILES = 12
IMAGE_KINDS = frozenset({"jpg", "png"})


@dataclass(frozen=True)
class Kind:
    key: str
    model: type[CatalogueItem]
    label: str
    fields: tuple[str, ...]  # edited by staff, in form order
    columns: tuple[str, ...]  # shown in the staff list besides the status
    photos: bool = False  # photos shown with the item
    documents: bool = False  # documents attached (learning material)
    public: bool = True  # shown on the promotion pages once published
    description: str = ""


def editable(model: type[CatalogueItem], first: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The form fields of a kind: its content fields (a key field first), by field name."""
    return (*first, *(name.removesuffix("_id") for name in model.CONTENT_FIELDS))


KINDS: dict[str, Kind] = {
    k.key: k
    for k in (
        Kind(
            "environment",
            EnvironmentSection,
            "投资环境",
            editable(EnvironmentSection),
            ("title", "order"),
            description="区位交通、产业基础、营商环境等介绍",
        ),
        Kind(
            "chains",
            Chain,
            "产业链",
            ("code", "name", "name_en", "summary", "summary_en", "sort_order"),
            ("name", "code"),
            description="主导产业链及其上中下游环节，环节上的本地企业",
        ),
        Kind(
            "parks",
            Park,
            "园区",
            editable(Park),
            ("name", "level", "town", "available_land"),
            photos=True,
            description="面积、可供土地、主导产业、基础设施、位置、图片",
        ),
        Kind(
            "assets",
            IdleAsset,
            "闲置资产",
            editable(IdleAsset, first=("code",)),
            ("code", "title", "kind", "town", "area", "availability"),
            photos=True,
            description="闲置土地、厂房、楼宇：面积、价格、位置、权属、状态、图片",
        ),
        Kind(
            "costs",
            InvestmentCost,
            "投资成本",
            editable(InvestmentCost),
            ("category", "item", "price", "unit", "effective_on"),
            description="地价、水电气价、工资、物流成本，注明日期和来源",
        ),
        Kind(
            "policies",
            InvestmentPolicy,
            "招商政策",
            editable(InvestmentPolicy),
            ("policy",),
            description="链接政策库中的政策，附招商要点",
        ),
        Kind(
            "cooperation",
            CooperationProject,
            "对外合作项目",
            editable(CooperationProject),
            ("title", "chain", "amount"),
            description="面向投资者的合作项目：行业、投资额、内容",
        ),
        Kind(
            "needs",
            EnterpriseNeed,
            "企业需求",
            editable(EnterpriseNeed),
            ("title", "enterprise", "kind"),
            description="本地企业的配套供应、合作、引资需求",
        ),
        Kind(
            "contacts",
            PromotionContact,
            "招商联系方式",
            editable(PromotionContact),
            ("office", "phone"),
        ),
        Kind(
            "media",
            MediaItem,
            "图片视频",
            editable(MediaItem),
            ("title", "kind"),
            photos=True,
            description="展示投资环境的图片和视频",
        ),
        Kind(
            "learning",
            LearningMaterial,
            "学习资料",
            editable(LearningMaterial),
            ("title", "category"),
            documents=True,
            public=False,
            description="供招商人员学习的行业政策、商务知识（审核后内部共享）",
        ),
    )
}


def kind_of(item: CatalogueItem) -> Kind:
    return KINDS[item.KIND]


# --- create and edit ----------------------------------------------------------------------------


def catalogue_create(*, kind: Kind, author: Any, values: dict[str, Any]) -> CatalogueItem:
    """A new draft of the author's department, with its first revision."""
    item = kind.model(**values)
    item.section = Section.INVESTMENT
    if isinstance(item, Chain):
        item.link_outline = ""
    return publishing.publication_create(item=item, author=author)


def catalogue_update(*, item: CatalogueItem, actor: Any, values: dict[str, Any]) -> CatalogueItem:
    """Save an edit as a new revision; changed content of a published item is reviewed again."""
    return publishing.publication_update(item=item, actor=actor, changes=values)


# --- chain links ------------------------------------------------------------------------------


def chain_outline(chain: Chain) -> str:
    """The links as text, upstream to downstream: what a reviewer reads in the revision."""
    parts = []
    for position, label in LinkPosition.choices:
        names = [
            f"{link.name}（{'/'.join(link.industry_prefixes) or '—'}，"
            f"目标产值{link.target_output}万元）"
            for link in chain.links.filter(position=position).order_by("order", "id")
        ]
        if names:
            parts.append(f"{label}：" + "；".join(names))
    return "\n".join(parts)


def _check_chain_manager(actor: Any, chain: Chain) -> None:
    if not publishing.can_manage(actor, chain):
        raise PermissionDenied("只有提供单位的工作人员可以修改产业链环节。")


def chain_link_save(
    *, chain: Chain, actor: Any, values: dict[str, Any], link: ChainLink | None = None
) -> ChainLink:
    """Add or change a link; the chain's content changed, so it goes back to review."""
    _check_chain_manager(actor, chain)
    with transaction.atomic():
        link = link or ChainLink(chain=chain)
        for name, value in values.items():
            setattr(link, name, value)
        link.full_clean()
        link.save()
        catalogue_update(item=chain, actor=actor, values={"link_outline": chain_outline(chain)})
    return link


def chain_links_add(*, chain: Chain, actor: Any, links: list[dict[str, Any]]) -> list[ChainLink]:
    """Add several links at once (a new chain's outline): one new revision, not one per link."""
    _check_chain_manager(actor, chain)
    with transaction.atomic():
        created = []
        for values in links:
            link = ChainLink(chain=chain, **values)
            link.full_clean()
            link.save()
            created.append(link)
        catalogue_update(item=chain, actor=actor, values={"link_outline": chain_outline(chain)})
    return created


def chain_link_delete(*, link: ChainLink, actor: Any) -> None:
    chain = link.chain
    _check_chain_manager(actor, chain)
    with transaction.atomic():
        link.delete()
        catalogue_update(item=chain, actor=actor, values={"link_outline": chain_outline(chain)})


# --- files ------------------------------------------------------------------------------------


def files_of(item: CatalogueItem) -> Any:
    return CatalogueFile.objects.filter(
        item_type=ContentType.objects.get_for_model(item), item_id=item.pk
    )


def catalogue_file_add(
    *, item: CatalogueItem, actor: Any, upload: Any, caption: str = ""
) -> CatalogueFile:
    """Attach a photo (JPG/PNG; parks, assets, media) or a document (learning material)."""
    kind = kind_of(item)
    if not publishing.can_manage(actor, item):
        raise PermissionDenied("只有提供单位的工作人员可以上传附件。")
    if not (kind.photos or kind.documents):
        raise ValidationError({"file": f"{kind.label}不需要附件。"})
    try:
        extension = attachment_check(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    if kind.photos and extension not in IMAGE_KINDS:
        raise ValidationError({"file": "图片只接受 JPG 或 PNG 文件。"})
    if files_of(item).count() >= MAX_FILES:
        raise ValidationError({"file": f"每项最多{MAX_FILES}个附件。"})
    with transaction.atomic():
        stored = CatalogueFile.objects.create(
            item=item,
            file=upload,
            original_name=(getattr(upload, "name", "") or f"file.{extension}")[:200],
            content_type=ATTACHMENT_MIME[extension],
            size=upload.size,
            uploaded_by=actor,
            caption=caption.strip()[:100],
        )
        audit_record(
            action="investment.catalogue.file",
            actor=actor,
            target=item,
            summary=f"{kind.label}“{item}”上传附件 {stored.original_name}",
        )
    return stored


def catalogue_file_delete(*, stored: CatalogueFile, actor: Any) -> None:
    item: Any = stored.item
    if not publishing.can_manage(actor, item):
        raise PermissionDenied("只有提供单位的工作人员可以删除附件。")
    with transaction.atomic():
        audit_record(
            action="investment.catalogue.file_delete",
            actor=actor,
            target=item,
            summary=f"删除附件 {stored.original_name}",
        )
        stored.file.delete(save=False)
        stored.delete()
