"""政策服务 API, exactly as docs/api.md "Policies": the library, one policy, and matching."""

# No `from __future__ import annotations` here: ninja reads Query[...] annotations at runtime.

import datetime as dt
from collections.abc import Sequence
from typing import Any, overload

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from qifu.accounts.models import Enterprise
from qifu.accounts.validators import normalize_credit_code
from qifu.policies import selectors
from qifu.policies.matching import criteria_in_words
from qifu.policies.models import Policy

router = Router(tags=["政策服务"])

# A full-text search answers with its most relevant hits, at most this many, then paginated.
SEARCH_LIMIT = 100


class PolicySummary(Schema):
    code: str
    title: str
    issuer: str
    doc_number: str
    published_on: dt.date
    expires_on: dt.date | None
    summary: str
    tags: list[str]
    benefit: str
    is_auto_grant: bool
    in_force: bool

    @staticmethod
    def resolve_issuer(obj: Policy) -> str:
        return obj.issuer.name

    @staticmethod
    def resolve_in_force(obj: Policy) -> bool:
        return obj.is_public


class CriterionText(Schema):
    label: str
    requirement: str


class PolicyOut(PolicySummary):
    body: str
    how_to_apply: str
    industries: list[str]
    criteria: dict[str, Any]
    criteria_text: list[CriterionText]

    @staticmethod
    def resolve_criteria_text(obj: Policy) -> list[dict[str, str]]:
        return [
            {"label": label, "requirement": text}
            for label, text in criteria_in_words(obj.industries, obj.criteria)
        ]


class PolicyRef(Schema):
    code: str
    title: str


class Reason(Schema):
    criterion: str
    met: bool
    text: str


class MatchOut(Schema):
    policy: PolicyRef
    score: int
    reasons: list[Reason]


class NearMissOut(MatchOut):
    missing: list[Reason]


class PolicyFilters(Schema):
    q: str | None = None
    issuer: str | None = None
    industry: str | None = None
    tag: str | None = None
    in_force: bool | None = None
    published_from: dt.date | None = None
    published_to: dt.date | None = None


class RankedPolicies(Sequence[Policy]):
    """Search hits in rank order, loaded only for the page the pagination slices out
    (not all SEARCH_LIMIT of them)."""

    def __init__(self, ids: list[int]) -> None:
        self.ids = ids

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> Policy: ...

    @overload
    def __getitem__(self, index: slice) -> list[Policy]: ...

    def __getitem__(self, index: int | slice) -> Policy | list[Policy]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        ids = self.ids[index]
        rows = Policy.objects.select_related("issuer").in_bulk(ids)
        return [rows[pk] for pk in ids if pk in rows]


@router.get(
    "",
    response=list[PolicySummary],
    auth=None,
    summary="政策库（已发布政策；q 为全文检索，按相关度排序）",
)
@paginate(LimitOffsetPagination)
def list_policies(request: HttpRequest, filters: Query[PolicyFilters]) -> Any:
    issuer = selectors.department_by_code_or_name(filters.issuer) if filters.issuer else None
    if filters.issuer and issuer is None:
        return []
    if filters.q and filters.q.strip():
        from qifu.policies.search import policy_search_ranked, query_terms

        ranked = policy_search_ranked(
            terms=query_terms(filters.q),
            issuer=issuer,
            industry=filters.industry,
            tag=filters.tag,
            in_force=filters.in_force,
            published_from=filters.published_from,
            published_to=filters.published_to,
            limit=SEARCH_LIMIT,
        )
        return RankedPolicies([pk for pk, _ in ranked])
    return selectors.policy_public_list(
        issuer=issuer.code if issuer else "",
        industry=filters.industry or "",
        tag=filters.tag or "",
        in_force=filters.in_force,
        published_from=filters.published_from,
        published_to=filters.published_to,
    )


def _enterprise(request: HttpRequest, credit_code: str) -> Enterprise:
    """The enterprise named by its credit code, if the user may see it (else 404)."""
    enterprise = (
        Enterprise.objects.for_user(request.user)
        .select_related("region")
        .filter(credit_code=normalize_credit_code(credit_code))
        .first()
    )
    if enterprise is None:
        raise Http404
    return enterprise


def _match_out(match: selectors.PolicyMatch, *, missing: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "policy": {"code": match.policy.code, "title": match.policy.title},
        "score": match.score,
        "reasons": match.reasons,
    }
    if missing:
        out["missing"] = match.result.missing
    return out


@router.get(
    "/matches",
    response=list[MatchOut],
    summary="企业今天符合条件的政策（附符合与不符合的理由）",
)
def policy_matches(request: HttpRequest, enterprise: str) -> Any:
    target = _enterprise(request, enterprise)
    return [_match_out(m) for m in selectors.policy_matches(enterprise=target)]


@router.get(
    "/near-misses",
    response=list[NearMissOut],
    summary="企业仅差一项条件的政策（可努力争取）",
)
def policy_near_misses(request: HttpRequest, enterprise: str) -> Any:
    target = _enterprise(request, enterprise)
    return [_match_out(m, missing=True) for m in selectors.policy_near_misses(enterprise=target)]


@router.get("/{code}", response=PolicyOut, auth=None, summary="政策详情（含申报条件）")
def get_policy(request: HttpRequest, code: str) -> Any:
    return selectors.policy_get_public(code=code)
