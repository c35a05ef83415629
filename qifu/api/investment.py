"""智慧招商 API (docs/api.md "Investment", and the additions documented in the README).

- `POST /intents` — anonymous intent registration → 201 `{reference}` (429 over the limits).
- `GET /projects`, `GET /projects/{id}` — investment staff and leaders only; `POST /projects`,
  `POST /projects/{id}/advance` (409 unless `stage` is the next node; `credit_code` at
  `registered`), `/terminate`, `/reopen`, `/contact`, `PUT /projects/{id}/plan`.
- `GET /visits`, `/key-enterprises`, `/chain-gaps`, `/indicators` — staff and leaders.
- `GET /parks`, `/idle-assets`, `/chains` — public, published items only.
Enterprise users and anonymous visitors get 401/403/404 on every non-public path.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from qifu.accounts.access import get_for_user_or_404
from qifu.accounts.models import User
from qifu.core.request_context import current as request_info
from qifu.investment import access
from qifu.investment.models import (
    NODE_ORDER,
    KeyEnterprise,
    Lead,
    LeadEvent,
    LeadNode,
    Stage,
    Visit,
)
from qifu.investment.selectors import analysis, public
from qifu.investment.selectors.indicators import service_indicators
from qifu.investment.services import leads as services
from qifu.investment.services.intents import (
    TooManyIntents,
    intent_clean,
    intent_rate_check,
    intent_register,
)

router = Router(tags=["智慧招商"])
MAX_LIMIT = 100


class IntentIn(Schema):
    name: str
    company: str
    phone: str = ""
    email: str = ""
    industry: str
    amount: Decimal | None = None
    message: str = ""
    country: str = "中国"
    province: str = ""
    interest: str = ""
    language: str = "zh-hans"  # "en": field errors and the acknowledgement in English


class IntentOut(Schema):
    reference: str


@router.post(
    "/intents",
    response={201: IntentOut},
    auth=None,
    summary="在线登记投资意向（无需账号）",
)
def register_intent(request: HttpRequest, payload: IntentIn) -> Any:
    english = payload.language == "en"
    checked = intent_clean(payload.dict(), english=english)  # ValidationError → 400 by field
    info = request_info()
    address = (
        (info.ip_address if info else None) or request.META.get("REMOTE_ADDR", "") or "unknown"
    )
    try:
        intent_rate_check(address=address, intent=checked)
    except TooManyIntents as exc:
        raise HttpError(429, "提交过于频繁，请稍后再试。") from exc
    lead = intent_register(intent=checked, language="en" if english else "zh-hans")
    return Status(201, {"reference": lead.reference})


class EventOut(Schema):
    at: dt.datetime
    action: str
    label: str
    from_state: str
    to_state: str
    actor: str
    note: str


class NodeOut(Schema):
    stage: str
    label: str
    owner: str | None
    planned_on: dt.date | None
    reached_at: dt.datetime | None


class ProjectOut(Schema):
    id: int
    reference: str
    company: str
    credit_code: str
    stage: str
    stage_label: str
    owner: str | None
    next_due_at: dt.datetime | None
    is_slipping: bool
    origin: str
    country: str
    province: str
    industry: str
    industry_code: str
    chain: str | None
    amount: Decimal | None
    foreign_amount: Decimal | None
    jobs: int | None
    likelihood: str
    intent_at: dt.datetime
    first_contact_at: dt.datetime | None
    enterprise: str | None
    construction_project: int | None
    terminated_reason: str
    duplicate_of: str | None
    nodes: list[NodeOut]
    timeline: list[EventOut]


class ProjectPage(Schema):
    count: int
    items: list[ProjectOut]


def _project(lead: Lead) -> dict[str, Any]:
    return {
        "id": lead.pk,
        "reference": lead.reference,
        "company": lead.company,
        "credit_code": lead.credit_code,
        "stage": lead.stage,
        "stage_label": Stage(lead.stage).label,
        "owner": lead.owner.username if lead.owner else None,
        "next_due_at": lead.next_due_at,
        "is_slipping": lead.is_slipping,
        "origin": lead.origin,
        "country": lead.country,
        "province": lead.province,
        "industry": lead.industry,
        "industry_code": lead.industry_code,
        "chain": lead.chain.code if lead.chain else None,
        "amount": lead.amount,
        "foreign_amount": lead.foreign_amount,
        "jobs": lead.jobs,
        "likelihood": lead.likelihood,
        "intent_at": lead.intent_at,
        "first_contact_at": lead.first_contact_at,
        "enterprise": lead.enterprise.credit_code if lead.enterprise else None,
        "construction_project": lead.construction_project_id,
        "terminated_reason": lead.terminated_reason,
        "duplicate_of": lead.duplicate_of.reference if lead.duplicate_of else None,
        "nodes": [
            {
                "stage": n.stage,
                "label": Stage(n.stage).label,
                "owner": n.owner.username if n.owner else None,
                "planned_on": n.planned_on,
                "reached_at": n.reached_at,
            }
            for n in sorted(lead.nodes.all(), key=lambda n: NODE_ORDER.index(n.stage))
        ],
        "timeline": [
            {
                "at": e.at,
                "action": e.action,
                "label": e.get_action_display(),  # type: ignore[attr-defined]
                "from_state": e.from_state,
                "to_state": e.to_state,
                "actor": e.actor_label,
                "note": e.note,
            }
            for e in lead.events.all()
        ],
    }


def _leads(user: Any) -> Any:
    access.check_pipeline_reader(user)
    return (
        Lead.objects.for_user(user)
        .select_related("owner", "chain", "enterprise", "duplicate_of")
        .prefetch_related(
            Prefetch("nodes", queryset=LeadNode.objects.select_related("owner")),
            Prefetch("events", queryset=LeadEvent.objects.order_by("at", "id")),
        )
    )


class ProjectFilters(Schema):
    stage: str = ""
    slipping: bool = False
    limit: int = 20
    offset: int = 0


@router.get("/projects", response=ProjectPage, summary="招商项目列表（招商人员和领导）")
def list_projects(request: HttpRequest, filters: Query[ProjectFilters]) -> Any:
    qs = _leads(request.user)
    if filters.stage:
        if filters.stage not in Stage.values:
            raise HttpError(400, f"未知节点：{filters.stage}")
        qs = qs.filter(stage=filters.stage)
    if filters.slipping:
        from django.utils import timezone

        qs = qs.open().filter(next_due_at__lt=timezone.now())
    limit = max(1, min(filters.limit, MAX_LIMIT))
    offset = max(filters.offset, 0)
    return {"count": qs.count(), "items": [_project(lead) for lead in qs[offset : offset + limit]]}


@router.get("/projects/{project_id}", response=ProjectOut, summary="招商项目详情")
def get_project(request: HttpRequest, project_id: int) -> Any:
    return _project(get_for_user_or_404(_leads(request.user), request.user, pk=project_id))


class ProjectIn(Schema):
    company: str
    contact_name: str
    industry: str
    phone: str = ""
    email: str = ""
    credit_code: str = ""
    country: str = "中国"
    province: str = ""
    city: str = ""
    industry_code: str = ""
    amount: Decimal | None = None
    interest: str = ""
    origin: str = "staff"
    owner: str = ""  # username


@router.post("/projects", response={201: ProjectOut}, summary="录入招商线索（招商人员）")
def create_project(request: HttpRequest, payload: ProjectIn) -> Any:
    access.check_investment_staff(request.user)
    data = payload.dict()
    owner_name = data.pop("owner")
    owner = User.objects.filter(username=owner_name).first() if owner_name else request.user
    if owner_name and owner is None:
        raise HttpError(400, "未知的负责人账号。")
    lead = services.lead_create(actor=request.user, owner=owner, **data)
    return Status(201, _project(_leads(request.user).get(pk=lead.pk)))


def _workable(request: HttpRequest, project_id: int) -> Lead:
    lead = get_for_user_or_404(_leads(request.user), request.user, pk=project_id)
    access.check_work_lead(request.user, lead)
    return lead


class AdvanceIn(Schema):
    stage: str
    note: str = ""
    credit_code: str = ""
    scale: str = ""


@router.post(
    "/projects/{project_id}/advance",
    response=ProjectOut,
    summary="推进到下一节点（409：不是下一节点）",
)
def advance_project(request: HttpRequest, project_id: int, payload: AdvanceIn) -> Any:
    lead = _workable(request, project_id)
    services.lead_advance(
        lead=lead,
        actor=request.user,
        stage=payload.stage,
        note=payload.note,
        credit_code=payload.credit_code,
        scale=payload.scale,
    )
    return _project(_leads(request.user).get(pk=lead.pk))


class ReasonIn(Schema):
    reason: str


@router.post("/projects/{project_id}/terminate", response=ProjectOut, summary="终止（须说明原因）")
def terminate_project(request: HttpRequest, project_id: int, payload: ReasonIn) -> Any:
    lead = _workable(request, project_id)
    services.lead_terminate(lead=lead, actor=request.user, reason=payload.reason)
    return _project(_leads(request.user).get(pk=lead.pk))


@router.post(
    "/projects/{project_id}/reopen", response=ProjectOut, summary="恢复跟进（招商部门负责人）"
)
def reopen_project(request: HttpRequest, project_id: int) -> Any:
    lead = get_for_user_or_404(_leads(request.user), request.user, pk=project_id)
    services.lead_reopen(lead=lead, actor=request.user)
    return _project(_leads(request.user).get(pk=lead.pk))


class ContactIn(Schema):
    way: str = "电话"
    content: str
    contacted_at: dt.datetime | None = None


@router.post(
    "/projects/{project_id}/contact",
    response=ProjectOut,
    summary="记录联系（首次联系计入服务时效）",
)
def contact_project(request: HttpRequest, project_id: int, payload: ContactIn) -> Any:
    lead = _workable(request, project_id)
    services.lead_contact(
        lead=lead,
        actor=request.user,
        way=payload.way,
        content=payload.content,
        contacted_at=payload.contacted_at,
    )
    return _project(_leads(request.user).get(pk=lead.pk))


class PlanNodeIn(Schema):
    stage: str
    owner: str = ""  # username
    planned_on: dt.date | None = None


@router.put("/projects/{project_id}/plan", response=ProjectOut, summary="调整节点责任人和计划日期")
def plan_project(request: HttpRequest, project_id: int, payload: list[PlanNodeIn]) -> Any:
    lead = _workable(request, project_id)
    owners = {
        u.username: u
        for u in User.objects.filter(username__in=[p.owner for p in payload if p.owner])
    }
    unknown = [p.owner for p in payload if p.owner and p.owner not in owners]
    if unknown:
        raise HttpError(400, f"未知账号：{'、'.join(unknown)}")
    services.lead_plan_update(
        lead=lead,
        actor=request.user,
        plan={p.stage: (owners.get(p.owner), p.planned_on) for p in payload},
    )
    return _project(_leads(request.user).get(pk=lead.pk))


# --- staff reads ------------------------------------------------------------------------------


class VisitOut(Schema):
    id: int
    direction: str
    visited_on: dt.date
    delegation: str
    country: str
    province: str
    city: str
    people: int
    purpose: str
    outcome: str
    projects: list[str]


@router.get("/visits", response=list[VisitOut], summary="来访出访（招商人员和领导）")
def list_visits(request: HttpRequest, limit: int = 50, offset: int = 0) -> Any:
    access.check_pipeline_reader(request.user)
    limit = max(1, min(limit, MAX_LIMIT))
    rows = Visit.objects.prefetch_related("leads")[max(offset, 0) : max(offset, 0) + limit]
    return [
        {
            "id": v.pk,
            "direction": v.direction,
            "visited_on": v.visited_on,
            "delegation": v.delegation,
            "country": v.country,
            "province": v.province,
            "city": v.city,
            "people": v.people,
            "purpose": v.purpose,
            "outcome": v.outcome,
            "projects": [lead.reference for lead in v.leads.all()],
        }
        for v in rows
    ]


class KeyEnterpriseOut(Schema):
    id: int
    name: str
    country: str
    province: str
    chain: str | None
    chain_link: str | None
    revenue: Decimal | None
    contact_status: str


@router.get("/key-enterprises", response=list[KeyEnterpriseOut], summary="外地重点企业库")
def list_key_enterprises(
    request: HttpRequest, chain: str = "", limit: int = 50, offset: int = 0
) -> Any:
    access.check_pipeline_reader(request.user)
    qs = KeyEnterprise.objects.select_related("chain", "chain_link")
    if chain:
        qs = qs.filter(chain__code=chain)
    limit = max(1, min(limit, MAX_LIMIT))
    return [
        {
            "id": k.pk,
            "name": k.name,
            "country": k.country,
            "province": k.province,
            "chain": k.chain.code if k.chain else None,
            "chain_link": k.chain_link.name if k.chain_link else None,
            "revenue": k.revenue,
            "contact_status": k.contact_status,
        }
        for k in qs[max(offset, 0) : max(offset, 0) + limit]
    ]


class GapOut(Schema):
    chain: str
    position: str
    link: str
    local_enterprises: int
    local_output: Decimal
    target_output: Decimal
    gap: Decimal
    status: str
    candidates: list[str]


@router.get("/chain-gaps", response=list[GapOut], summary="缺链补链分析")
def chain_gaps(request: HttpRequest) -> Any:
    access.check_pipeline_reader(request.user)
    return [
        {
            "chain": c.code,
            "position": g.link.position,
            "link": g.link.name,
            "local_enterprises": len(g.enterprises),
            "local_output": g.output,
            "target_output": g.target,
            "gap": g.gap,
            "status": g.status,
            "candidates": [k.name for k in g.candidates],
        }
        for c, gaps in analysis.chain_gaps()
        for g in gaps
    ]


class IndicatorOut(Schema):
    headers: list[str]
    officers: list[list[Any]]
    teams: list[list[Any]]


@router.get("/indicators", response=IndicatorOut, summary="服务指标（按招商人员和小组）")
def indicators(request: HttpRequest, start: dt.date, end: dt.date) -> Any:
    access.check_pipeline_reader(request.user)
    officers, teams = service_indicators(Lead.objects.for_user(request.user), start=start, end=end)
    return {"headers": officers.headers, "officers": officers.rows, "teams": teams.rows}


# --- public reads -----------------------------------------------------------------------------


class ParkOut(Schema):
    id: int
    name: str
    name_en: str
    level: str
    town: str | None
    latitude: Decimal | None
    longitude: Decimal | None
    planned_area: Decimal
    available_land: Decimal
    leading_industries: str
    leading_industries_en: str


@router.get("/parks", response=list[ParkOut], auth=None, summary="园区（已发布）")
def list_parks(request: HttpRequest) -> Any:
    return [
        {
            **{f: getattr(p, f) for f in ParkOut.model_fields if f not in ("town",)},
            "town": p.town.name if p.town else None,
        }
        for p in public.parks()
    ]


class AssetOut(Schema):
    id: int
    code: str
    title: str
    title_en: str
    kind: str
    town: str | None
    latitude: Decimal | None
    longitude: Decimal | None
    area: Decimal
    price: Decimal | None
    price_unit: str
    availability: str


@router.get(
    "/idle-assets", response=list[AssetOut], auth=None, summary="闲置资产（已发布、可招商）"
)
def list_assets(request: HttpRequest, kind: str = "") -> Any:
    return [
        {
            **{f: getattr(a, f) for f in AssetOut.model_fields if f not in ("town",)},
            "town": a.town.name if a.town else None,
        }
        for a in public.assets(kind=kind)
    ]


class LinkOut(Schema):
    position: str
    name: str
    name_en: str


class ChainOut(Schema):
    code: str
    name: str
    name_en: str
    summary: str
    summary_en: str
    links: list[LinkOut]


@router.get("/chains", response=list[ChainOut], auth=None, summary="主导产业链（已发布）")
def list_chains(request: HttpRequest) -> Any:
    return [
        {
            "code": c.code,
            "name": c.name,
            "name_en": c.name_en,
            "summary": c.summary,
            "summary_en": c.summary_en,
            "links": [
                {"position": link.position, "name": link.name, "name_en": link.name_en}
                for link in c.links.all()
            ],
        }
        for c in public.chains()
    ]
