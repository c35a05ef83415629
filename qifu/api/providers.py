"""服务机构 API: the directory of admitted providers and the caller's own organisation."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from qifu.providers.access import provider_membership
from qifu.providers.selectors import provider_directory

router = Router(tags=["服务机构"])


class ProviderOut(Schema):
    id: int
    name: str
    short_name: str
    credit_code: str
    kind: str
    kind_label: str
    status: str
    address: str
    contact_phone: str
    description: str


class MyProviderOut(ProviderOut):
    is_admin: bool


class DirectoryFilters(Schema):
    kind: str = ""


@router.get("", response=list[ProviderOut], auth=None, summary="已入驻的服务机构")
@paginate(LimitOffsetPagination)
def directory(request: HttpRequest, filters: Query[DirectoryFilters]) -> Any:
    return provider_directory(kind=filters.kind)


@router.get("/me", response=MyProviderOut, summary="我所在的服务机构（含审核状态）")
def me(request: HttpRequest) -> Any:
    membership = provider_membership(request.user)
    if membership is None:
        raise Http404
    provider = membership.provider
    fields = ("id", "name", "short_name", "credit_code", "kind", "status", "address")
    return {
        **{name: getattr(provider, name) for name in fields},
        "contact_phone": provider.contact_phone,
        "description": provider.description,
        "kind_label": provider.get_kind_display(),
        "is_admin": membership.is_admin,
    }
