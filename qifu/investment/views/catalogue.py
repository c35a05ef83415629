"""招商资料库 staff pages: one list, form and edit page per kind (from the registry), the review
queue, chain links and placements, files, and the imports."""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qifu.accounts.models import Enterprise
from qifu.accounts.validators import normalize_credit_code
from qifu.core.audit import audit_record
from qifu.core.uploads import download_response
from qifu.investment import access
from qifu.investment.catalogue import (
    KINDS,
    Kind,
    catalogue_create,
    catalogue_file_add,
    catalogue_file_delete,
    catalogue_update,
    chain_link_delete,
    chain_link_save,
    files_of,
)
from qifu.investment.forms import CatalogueForm, ChainLinkForm, FileForm, ImportForm, PlacementForm
from qifu.investment.models import CatalogueFile, Chain, ChainLink, ChainPlacement
from qifu.investment.selectors.analysis import local_enterprises_by_link
from qifu.investment.services.imports import IMPORT_KINDS, investment_import_file
from qifu.investment.views.common import form_errors
from qifu.publishing import services as publishing
from qifu.publishing.forms import ReturnForm
from qifu.publishing.models import PublicationStatus
from qifu.publishing.selectors import publication_history, revision_list
from qifu.publishing.views import (
    government_required,
    publication_action,
    saved_message,
    workflow_actions,
)

PAGE_SIZE = 20


def _kind(key: str) -> Kind:
    kind = KINDS.get(key)
    if kind is None:
        raise Http404
    return kind


def _visible(kind: Kind, user: Any) -> Any:
    """Items the user's department provides, and those sent for review in sections they run;
    published learning material is shared with every investment staff member."""
    qs = kind.model.objects.for_user(user)
    if kind.key == "learning" and access.is_investment_staff(user):
        qs = qs | kind.model.objects.published()
    return qs


@government_required
@require_GET
def library(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    rows = []
    for kind in KINDS.values():
        visible = _visible(kind, user)
        rows.append(
            {
                "kind": kind,
                "total": visible.count(),
                "published": visible.filter(status=PublicationStatus.PUBLISHED).count(),
                "waiting": visible.filter(status=PublicationStatus.SUBMITTED).count(),
            }
        )
    return render(
        request,
        "investment/staff/library.html",
        {
            "rows": rows,
            "imports": IMPORT_KINDS.values(),
            "is_staff": access.is_investment_staff(user),
        },
    )


@government_required
@require_GET
def item_list(request: HttpRequest, kind: str) -> HttpResponse:
    k = _kind(kind)
    qs = _visible(k, request.user).select_related("provider_department")
    status = request.GET.get("status", "")
    if status in PublicationStatus.values:
        qs = qs.filter(status=status)
    q = request.GET.get("q", "").strip()[:100]
    if q:
        text_fields = [f for f in ("name", "title", "item", "office", "code") if f in k.fields]
        condition = Q()
        for name in text_fields:
            condition |= Q(**{f"{name}__icontains": q})
        if text_fields:
            qs = qs.filter(condition)
    page = Paginator(qs.order_by("-updated_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    columns = [
        (name, getattr(k.model._meta.get_field(name), "verbose_name", name)) for name in k.columns
    ]
    rows = [(item, [_display(item, name) for name, _label in columns]) for item in page.object_list]
    return render(
        request,
        "investment/staff/item_list.html",
        {
            "kind": k,
            "page": page,
            "rows": rows,
            "columns": columns,
            "status": status,
            "q": q,
            "statuses": PublicationStatus.choices,
        },
    )


def _display(item: Any, name: str) -> Any:
    method = getattr(item, f"get_{name}_display", None)
    if callable(method):
        return method()
    value = getattr(item, name)
    return "—" if value in (None, "") else value


@government_required
@require_http_methods(["GET", "POST"])
def item_new(request: HttpRequest, kind: str) -> HttpResponse:
    k = _kind(kind)
    user: Any = request.user
    if user.department_id is None and not user.is_superuser:
        raise PermissionDenied("您不属于任何部门，不能提供招商资料。")
    form = CatalogueForm.for_kind(k)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = catalogue_create(kind=k, author=user, values=form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "已保存为草稿。确认无误后请提交审核。")
            return redirect("investment:item", kind=k.key, pk=item.pk)
    return render(request, "investment/staff/item_form.html", {"kind": k, "form": form})


def _item(kind: Kind, user: Any, pk: int) -> Any:
    item = _visible(kind, user).filter(pk=pk).first()
    if item is None:
        raise Http404("未找到，或您无权查看。")
    return item


def _render_item(
    request: HttpRequest,
    kind: Kind,
    item: Any,
    *,
    form: Any = None,
    return_form: Any = None,
    status: int = 200,
) -> HttpResponse:
    actions = workflow_actions(request.user, item)
    if form is None and actions["edit"]:
        form = CatalogueForm.for_kind(kind)(instance=item)
    context: dict[str, Any] = {
        "kind": kind,
        "item": item,
        "form": form if actions["edit"] else None,
        "return_form": return_form or ReturnForm(),
        "actions": actions,
        "revisions": revision_list(item=item),
        "history": publication_history(item=item),
        "files": files_of(item) if (kind.photos or kind.documents) else [],
        "file_form": FileForm() if actions["edit"] and (kind.photos or kind.documents) else None,
        "needs_review_again": item.status
        in (PublicationStatus.APPROVED, PublicationStatus.PUBLISHED),
        "values": [(item._meta.get_field(n).verbose_name, _display(item, n)) for n in kind.fields],
    }
    if isinstance(item, Chain):
        context["links"] = item.links.order_by("position", "order", "id")
    return render(request, "investment/staff/item.html", context, status=status)


@government_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    k = _kind(kind)
    item = _item(k, request.user, pk)
    if request.method == "GET":
        return _render_item(request, k, item)
    if not publishing.can_manage(request.user, item):
        raise PermissionDenied("只有提供单位的工作人员可以修改此内容。")
    form = CatalogueForm.for_kind(k)(request.POST, instance=copy.copy(item))
    if not form.is_valid():
        return _render_item(request, k, item, form=form, status=400)
    try:
        updated = catalogue_update(item=item, actor=request.user, values=form.cleaned_data)
    except ValidationError as exc:
        form_errors(form, exc)
        return _render_item(request, k, item, form=form, status=400)
    saved_message(request, item, updated)
    return redirect("investment:item", kind=k.key, pk=pk)


@government_required
@require_POST
def item_action(request: HttpRequest, kind: str, pk: int, action: str) -> HttpResponse:
    k = _kind(kind)
    item = _item(k, request.user, pk)
    return publication_action(
        request,
        item,
        action,
        edit_url=reverse("investment:item", args=[k.key, pk]),
        review_url=reverse("investment:review"),
        render_edit=lambda **kw: _render_item(request, k, item, **kw),
    )


@government_required
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    rows = []
    for kind in KINDS.values():
        for item in kind.model.objects.reviewable_by(request.user).select_related(
            "provider_department"
        )[:200]:
            rows.append((kind, item))
    rows.sort(key=lambda r: r[1].submitted_at or r[1].created_at)
    return render(request, "investment/staff/review.html", {"rows": rows})


# --- files ------------------------------------------------------------------------------------


@government_required
@require_POST
def file_add(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    k = _kind(kind)
    item = _item(k, request.user, pk)
    form = FileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            catalogue_file_add(
                item=item,
                actor=request.user,
                upload=form.cleaned_data["file"],
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "附件已上传。")
    else:
        messages.error(request, "请选择要上传的文件。")
    return redirect("investment:item", kind=k.key, pk=pk)


@government_required
@require_POST
def file_delete(request: HttpRequest, kind: str, pk: int, file_pk: int) -> HttpResponse:
    k = _kind(kind)
    item = _item(k, request.user, pk)
    stored = get_object_or_404(files_of(item), pk=file_pk)
    catalogue_file_delete(stored=stored, actor=request.user)
    messages.success(request, "附件已删除。")
    return redirect("investment:item", kind=k.key, pk=pk)


@government_required
@require_GET
def file_download(request: HttpRequest, kind: str, pk: int, file_pk: int) -> Any:
    k = _kind(kind)
    item = _item(k, request.user, pk)
    stored: CatalogueFile = get_object_or_404(files_of(item), pk=file_pk)
    return download_response(stored.file, name=stored.original_name, inline=stored.is_image)


# --- chain links --------------------------------------------------------------------------------


def _chain(request: HttpRequest, pk: int) -> Chain:
    chain = _item(KINDS["chains"], request.user, pk)
    return chain  # type: ignore[no-any-return]


@government_required
@require_http_methods(["GET", "POST"])
def chain_links(request: HttpRequest, pk: int) -> HttpResponse:
    chain = _chain(request, pk)
    manage = publishing.can_manage(request.user, chain)
    editing = None
    if request.GET.get("link"):
        editing = get_object_or_404(ChainLink, chain=chain, pk=request.GET["link"])
    form = ChainLinkForm(request.POST or None, instance=copy.copy(editing) if editing else None)
    placement_form = PlacementForm()
    if request.method == "POST":
        if not manage:
            raise PermissionDenied("只有提供单位的工作人员可以修改产业链环节。")
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in ChainLinkForm.Meta.fields}
            try:
                chain_link_save(chain=chain, actor=request.user, values=values, link=editing)
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, "环节已保存。产业链内容已变化，需重新审核后在网站显示。")
                return redirect("investment:chain_links", pk=chain.pk)
    links = list(chain.links.order_by("position", "order", "id"))
    placed = local_enterprises_by_link(links)
    rows = [(link, placed.get(link.pk, [])) for link in links]
    return render(
        request,
        "investment/staff/chain_links.html",
        {
            "chain": chain,
            "rows": rows,
            "form": form if manage else None,
            "editing": editing,
            "placement_form": placement_form if access.is_investment_staff(request.user) else None,
            "adjustments": ChainPlacement.objects.filter(link__chain=chain).select_related(
                "link", "enterprise"
            ),
        },
        status=400 if request.method == "POST" else 200,
    )


@government_required
@require_POST
def chain_link_remove(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    chain = _chain(request, pk)
    link = get_object_or_404(ChainLink, chain=chain, pk=link_pk)
    chain_link_delete(link=link, actor=request.user)
    messages.success(request, "环节已删除。")
    return redirect("investment:chain_links", pk=chain.pk)


@government_required
@require_POST
def chain_placement(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    """Investment staff adjust which local enterprises sit on a link (by hand)."""
    access.check_investment_staff(request.user)
    chain = _chain(request, pk)
    link = get_object_or_404(ChainLink, chain=chain, pk=link_pk)
    form = PlacementForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写企业的统一社会信用代码。")
        return redirect("investment:chain_links", pk=chain.pk)
    enterprise = Enterprise.objects.filter(
        credit_code=normalize_credit_code(form.cleaned_data["credit_code"])
    ).first()
    if enterprise is None:
        messages.error(request, "平台上没有该统一社会信用代码的企业。")
        return redirect("investment:chain_links", pk=chain.pk)
    ChainPlacement.objects.update_or_create(
        link=link,
        enterprise=enterprise,
        defaults={
            "is_excluded": form.cleaned_data["is_excluded"],
            "note": form.cleaned_data["note"],
        },
    )
    audit_record(
        action="investment.chain.placement",
        actor=request.user,
        target=link,
        summary=f"{link}：{'排除' if form.cleaned_data['is_excluded'] else '加入'}"
        f" {enterprise.name}",
    )
    messages.success(
        request, f"已{'排除' if form.cleaned_data['is_excluded'] else '加入'}{enterprise.name}。"
    )
    return redirect("investment:chain_links", pk=chain.pk)


# --- imports ----------------------------------------------------------------------------------


@government_required
@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest, kind: str) -> HttpResponse:
    import_kind = IMPORT_KINDS.get(kind)
    if import_kind is None:
        raise Http404
    if kind == "key_enterprises":
        access.check_investment_staff(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / f"import{suffix}"
            with target.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            try:
                report = investment_import_file(
                    kind_key=kind,
                    path=target,
                    actor=request.user,
                    dry_run=form.cleaned_data["dry_run"],
                )
            except UnicodeDecodeError:
                form.add_error("file", "CSV 文件应为 UTF-8 编码（Excel 中“另存为 CSV UTF-8”）。")
            except (OSError, ValueError, KeyError) as exc:
                form.add_error("file", f"无法读取文件：{exc}")
    return render(
        request,
        "investment/staff/import.html",
        {"form": form, "report": report, "import_kind": import_kind},
    )
