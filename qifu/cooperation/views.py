"""校企共建 pages: resources and needs (public once reviewed), suggested pairs with reasons for
both sides, the co-operation record from proposal to outcome, review and statistics."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qifu.accounts.access import get_for_user_or_404, is_enterprise_user
from qifu.cooperation import selectors, services
from qifu.cooperation.access import is_academic_provider, is_cooperation_staff
from qifu.cooperation.forms import (
    AgreeForm,
    FilterForm,
    NeedForm,
    NoteForm,
    OutcomeForm,
    ProposeForm,
    ResourceForm,
)
from qifu.cooperation.matching import suggest_needs, suggest_resources
from qifu.cooperation.models import Cooperation, Industry, Resource, TechNeed
from qifu.cooperation.workflow import PROCESS
from qifu.core.forms import apply_errors
from qifu.core.pages import page_rule
from qifu.core.workflow import TransitionNotAllowed
from qifu.providers.access import provider_for
from qifu.publishing.forms import ReturnForm
from qifu.publishing.selectors import publication_history
from qifu.publishing.views import publication_action, saved_message, workflow_actions

PAGE_SIZE = 20

enterprise_required = page_rule(is_enterprise_user, "仅限企业用户使用。")
academic_required = page_rule(is_academic_provider, "仅限已入驻的高校和科研院所使用。")
staff_required = page_rule(is_cooperation_staff, "仅限校企共建的管理部门（工信局）使用。")


def _takes_part(user: Any) -> bool:
    return bool(
        is_enterprise_user(user) or is_academic_provider(user) or is_cooperation_staff(user)
    )


party_required = page_rule(_takes_part, "仅限企业、入驻高校院所和管理部门使用。")


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    tab = "needs" if request.GET.get("tab") == "needs" else "resources"
    filters = FilterForm(request.GET or None)
    values = filters.values()
    if tab == "needs":
        items: Any = selectors.needs_public(
            industry=values.get("industry", ""), q=values.get("q", "")
        )
    else:
        items = selectors.resources_public(**values)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cooperation/home.html",
        {
            "tab": tab,
            "page": page,
            "filters": filters,
            "query": _query(request),
            "totals": selectors.statistics_totals(),
        },
    )


def _own_published_needs(user: Any) -> list[TechNeed]:
    return list(selectors.needs_of(user).filter(pk__in=TechNeed.objects.published()))


def _own_published_resources(user: Any) -> list[Resource]:
    return list(selectors.resources_of(user).filter(pk__in=Resource.objects.published()))


def _with_records(suggestions: list[Any], **pair: Any) -> list[Any]:
    """Mark the suggested pairs already proposed (one query), so the page links to them."""
    if not suggestions:
        return suggestions
    field = "resource_id" if "need" in pair else "need_id"
    records = {
        getattr(c, field): c for c in Cooperation.objects.filter(**pair).order_by("created_at")
    }
    for suggestion in suggestions:
        suggestion.cooperation = records.get(suggestion.item.pk)
    return suggestions


@require_GET
def resource_detail(request: HttpRequest, pk: int) -> HttpResponse:
    resource = selectors.resource_public_or_404(pk)
    user: Any = request.user
    provider = provider_for(user)
    own = provider is not None and provider.pk == resource.provider_id
    staff = is_cooperation_staff(user)
    return render(
        request,
        "cooperation/resource_detail.html",
        {
            "resource": resource,
            "suggestions": _with_records(suggest_needs(resource), resource=resource)
            if own or staff
            else [],
            "own": own,
            "staff": staff,
            "my_needs": _own_published_needs(user) if is_enterprise_user(user) else [],
            "can_propose": is_enterprise_user(user),
            "form": ProposeForm(),
        },
    )


@require_GET
def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    need = selectors.need_public_or_404(pk)
    user: Any = request.user
    own = getattr(user, "enterprise_id", None) == need.enterprise_id
    staff = is_cooperation_staff(user)
    academic = is_academic_provider(user)
    return render(
        request,
        "cooperation/need_detail.html",
        {
            "need": need,
            "suggestions": _with_records(suggest_resources(need), need=need)
            if own or staff
            else [],
            "own": own,
            "staff": staff,
            "my_resources": _own_published_resources(user) if academic else [],
            "can_propose": academic,
            "form": ProposeForm(),
        },
    )


@party_required
@require_POST
def propose(request: HttpRequest) -> HttpResponse:
    need_id = request.POST.get("need", "")
    resource_id = request.POST.get("resource", "")
    need = selectors.need_public_or_404(int(need_id)) if need_id.isdigit() else None
    resource = selectors.resource_public_or_404(int(resource_id)) if resource_id.isdigit() else None
    form = ProposeForm(request.POST)
    if resource is not None and provider_for(request.user) is None:
        back = reverse("cooperation:resource", args=[resource.pk])
    elif need is not None:
        back = reverse("cooperation:need", args=[need.pk])
    else:
        back = reverse("cooperation:home")
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect(back)
    try:
        cooperation = services.cooperation_propose(
            user=request.user, need=need, resource=resource, note=form.cleaned_data["note"]
        )
    except (ValidationError, PermissionDenied, TransitionNotAllowed) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, text)
        return redirect(back)
    messages.success(request, f"已发起对接（{cooperation.number}），等待对方答复。")
    return redirect("cooperation:record", cooperation.pk)


@party_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    page = Paginator(selectors.cooperations_for(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cooperation/mine.html",
        {
            "page": page,
            "query": "",
            "needs": selectors.needs_of(user)[:50] if is_enterprise_user(user) else [],
            "resources": selectors.resources_of(user)[:50] if is_academic_provider(user) else [],
            "is_enterprise": is_enterprise_user(user),
            "is_academic": is_academic_provider(user),
        },
    )


# --- Writing resources and needs ------------------------------------------------------------


def _create(
    request: HttpRequest, form_class: Any, create: Any, title: str, initial: dict[str, Any]
) -> HttpResponse:
    form = form_class(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form_class.Meta.fields}
        try:
            item = create(author=request.user, **fields)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已保存为草稿。确认无误后请提交审核，审核通过后才会公开。")
            return redirect(item.manage_url())
    return render(
        request,
        "cooperation/item_form.html",
        {"form": form, "title": title},
        status=400 if form.errors else 200,
    )


def _contact(user: Any) -> dict[str, Any]:
    return {"contact_name": user.real_name, "contact_phone": user.phone or ""}


@academic_required
@require_http_methods(["GET", "POST"])
def resource_new(request: HttpRequest) -> HttpResponse:
    return _create(
        request, ResourceForm, services.resource_create, "发布高校资源", _contact(request.user)
    )


@enterprise_required
@require_http_methods(["GET", "POST"])
def need_new(request: HttpRequest) -> HttpResponse:
    return _create(request, NeedForm, services.need_create, "发布技术需求", _contact(request.user))


def _render_edit(
    request: HttpRequest,
    item: Any,
    form_class: Any,
    *,
    form: Any = None,
    return_form: ReturnForm | None = None,
    status: int = 200,
) -> HttpResponse:
    actions = workflow_actions(request.user, item)
    if form is None and actions["edit"]:
        form = form_class(instance=item)
    return render(
        request,
        "cooperation/item_edit.html",
        {
            "item": item,
            "is_resource": isinstance(item, Resource),
            "form": form if actions["edit"] else None,
            "return_form": return_form or ReturnForm(),
            "actions": actions,
            "history": publication_history(item=item),
        },
        status=status,
    )


def _edit(request: HttpRequest, item: Any, form_class: Any, update: Any, name: str) -> HttpResponse:
    if request.method == "GET":
        return _render_edit(request, item, form_class)
    if not workflow_actions(request.user, item)["edit"]:
        raise PermissionDenied("只有发布单位可以修改。")
    form = form_class(request.POST, instance=copy.copy(item))
    if not form.is_valid():
        return _render_edit(request, item, form_class, form=form, status=400)
    fields = {field: form.cleaned_data[field] for field in form_class.Meta.fields}
    try:
        updated = update(**{name: item}, actor=request.user, **fields)
    except ValidationError as exc:
        apply_errors(form, exc)
        return _render_edit(request, item, form_class, form=form, status=400)
    saved_message(request, item, updated)
    return redirect(item.manage_url())


@login_required
@require_http_methods(["GET", "POST"])
def resource_edit(request: HttpRequest, pk: int) -> HttpResponse:
    resource = selectors.resource_for_manager(request.user, pk)
    return _edit(request, resource, ResourceForm, services.resource_update, "resource")


@login_required
@require_http_methods(["GET", "POST"])
def need_edit(request: HttpRequest, pk: int) -> HttpResponse:
    need = selectors.need_for_manager(request.user, pk)
    return _edit(request, need, NeedForm, services.need_update, "need")


@login_required
@require_POST
def resource_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    resource = selectors.resource_for_manager(request.user, pk)
    return publication_action(
        request,
        resource,
        action,
        edit_url=resource.manage_url(),
        review_url=reverse("cooperation:review"),
        render_edit=lambda **kw: _render_edit(request, resource, ResourceForm, **kw),
    )


@login_required
@require_POST
def need_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    need = selectors.need_for_manager(request.user, pk)
    return publication_action(
        request,
        need,
        action,
        edit_url=need.manage_url(),
        review_url=reverse("cooperation:review"),
        render_edit=lambda **kw: _render_edit(request, need, NeedForm, **kw),
    )


@staff_required
@require_GET
def review(request: HttpRequest) -> HttpResponse:
    resources, needs = selectors.to_review(request.user)
    return render(
        request,
        "cooperation/review.html",
        {"resources": resources[:100], "needs": needs[:100]},
    )


# --- Co-operation records -----------------------------------------------------------------------


def _record_context(request: HttpRequest, cooperation: Cooperation, **forms: Any) -> dict[str, Any]:
    return {
        "cooperation": cooperation,
        "offered": set(PROCESS.offered(request.user, cooperation)),
        "events": cooperation.events.order_by("at", "id"),
        "note_form": forms.get("note_form") or NoteForm(),
        "agree_form": forms.get("agree_form")
        or AgreeForm(initial={"agreed_on": timezone.localdate()}),
        "outcome_form": forms.get("outcome_form") or OutcomeForm(),
    }


@party_required
@require_GET
def record(request: HttpRequest, pk: int) -> HttpResponse:
    cooperation = get_for_user_or_404(
        Cooperation.objects.select_related("enterprise", "provider", "need", "resource"),
        request.user,
        pk=pk,
    )
    return render(request, "cooperation/record.html", _record_context(request, cooperation))


RECORD_FORMS = {
    "accept": ("note_form", NoteForm, False),
    "decline": ("note_form", NoteForm, True),
    "progress": ("note_form", NoteForm, True),
    "terminate": ("note_form", NoteForm, True),
    "agree": ("agree_form", AgreeForm, True),
    "outcome": ("outcome_form", OutcomeForm, True),
}
RECORD_DONE = {
    "accept": "已同意对接，进入洽谈。",
    "decline": "已婉拒。",
    "progress": "进展已记录。",
    "terminate": "合作已终止。",
    "agree": "合作协议已登记。",
    "outcome": "合作成效已记录。",
}


@party_required
@require_POST
def record_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    cooperation = get_for_user_or_404(
        Cooperation.objects.select_related("enterprise", "provider", "need", "resource"),
        request.user,
        pk=pk,
    )
    if action not in RECORD_FORMS:
        raise Http404("未知操作。")
    name, form_class, required = RECORD_FORMS[action]
    data = request.POST.copy()
    form = form_class(data)
    if not required:
        form.fields["note"].required = False
    if not form.is_valid():
        context = _record_context(request, cooperation, **{name: form})
        return render(request, "cooperation/record.html", context, status=400)
    values = form.cleaned_data
    user = request.user
    try:
        if action == "accept":
            services.cooperation_accept(user=user, cooperation=cooperation, note=values["note"])
        elif action == "decline":
            services.cooperation_decline(user=user, cooperation=cooperation, reason=values["note"])
        elif action == "progress":
            services.cooperation_progress(user=user, cooperation=cooperation, note=values["note"])
        elif action == "terminate":
            services.cooperation_terminate(
                user=user, cooperation=cooperation, reason=values["note"]
            )
        elif action == "agree":
            services.cooperation_agree(user=user, cooperation=cooperation, **values)
        else:
            services.cooperation_outcome(user=user, cooperation=cooperation, **values)
    except (TransitionNotAllowed, PermissionDenied) as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        apply_errors(form, exc)
        context = _record_context(request, cooperation, **{name: form})
        return render(request, "cooperation/record.html", context, status=400)
    else:
        messages.success(request, RECORD_DONE[action])
    return redirect("cooperation:record", cooperation.pk)


@require_GET
def stats(request: HttpRequest) -> HttpResponse:
    """Statistics per month of a year, and per university (public: the platform's figures)."""
    this_year = timezone.localdate().year
    year_text = request.GET.get("year", "")
    year = (
        int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= this_year else this_year
    )
    rows = selectors.statistics_by_month(year=year)
    return render(
        request,
        "cooperation/stats.html",
        {
            "year": year,
            "years": list(range(this_year, this_year - 5, -1)),
            "rows": rows,
            "total": {
                "proposed": sum(r.proposed for r in rows),
                "agreed": sum(r.agreed for r in rows),
                "completed": sum(r.completed for r in rows),
                "amount": sum((r.amount for r in rows), start=type(rows[0].amount)(0)),
            },
            "by_provider": selectors.statistics_by_provider()[:50],
            "totals": selectors.statistics_totals(),
            "industries": Industry.choices,
        },
    )
