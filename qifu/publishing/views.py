"""The review actions every kind of published content offers on its staff edit page.

Each content app keeps its own URLs and edit page and delegates the POSTed action here, so the
rules of submitting, approving, returning, publishing and withdrawing live in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from qifu.accounts.access import is_government
from qifu.accounts.models import Section
from qifu.core.pages import page_rule
from qifu.publishing import services as publishing
from qifu.publishing.forms import ReturnForm
from qifu.publishing.models import PublicationStatus, Publishable
from qifu.publishing.workflow import process_for

# Signed-in government staff (or a superuser); enterprise users get 403.
government_required = page_rule(is_government, "仅限政府部门工作人员使用。")


def is_reviewer(user: Any) -> bool:
    """Reviewers administer at least one section (article 5: the section's agency reviews)."""
    return bool(user.is_authenticated and any(user.administers_section(s) for s in Section))


# Review queues: only the sections' agencies review; other departments only write.
reviewer_required = page_rule(is_reviewer, "审核由各版块的牵头单位负责，您所在的部门不承担审核。")


def workflow_actions(user: Any, item: Publishable) -> dict[str, bool]:
    """Which workflow buttons to show: the process table's rules, which the services enforce."""
    process = process_for(type(item))
    actions = {name: process.can(user, name, item) for name in ACTION_MESSAGES}
    actions["edit"] = publishing.can_manage(user, item)
    return actions


def saved_message(request: HttpRequest, before: Publishable, after: Publishable) -> None:
    """Tell the editor what saving did: nothing, a new version, or a new version sent back to
    review (the item left the public site until it is approved again)."""
    if after.revision == before.revision:
        messages.info(request, "内容没有变化。")
    elif after.status != before.status:
        messages.warning(request, "已保存。内容已修改，需重新审核，审核通过前不在网站显示。")
    else:
        messages.success(request, f"已保存为第 {after.revision} 版。")


ACTION_MESSAGES = {
    "submit": "已提交审核。",
    "approve": "已审核通过。",
    "return": "已退回修改。",
    "publish": "已发布。",
    "withdraw": "已撤回，网站不再显示。",
}


def publication_action(
    request: HttpRequest,
    item: Publishable,
    action: str,
    *,
    edit_url: str,
    review_url: str,
    render_edit: Callable[..., HttpResponse],
) -> HttpResponse:
    """Run one review action on `item` and answer as the edit page should.

    `render_edit(return_form=…, status=…)` re-renders the edit page when a return reason is missing.
    """
    user: Any = request.user
    try:
        if action == "submit":
            item = publishing.publication_submit(item=item, actor=user)
        elif action == "approve":
            revision = request.POST.get("revision", "")
            item = publishing.publication_approve(
                item=item,
                actor=user,
                expected_revision=int(revision) if revision.isdigit() else None,
            )
        elif action == "return":
            form = ReturnForm(request.POST)
            if not form.is_valid():
                return render_edit(return_form=form, status=400)
            item = publishing.publication_return(
                item=item, actor=user, reason=form.cleaned_data["reason"]
            )
        elif action == "publish":
            item = publishing.publication_publish(item=item, actor=user)
        elif action == "withdraw":
            item = publishing.publication_withdraw(item=item, actor=user)
        else:
            raise Http404("未知操作。")
    except (publishing.TransitionNotAllowed, PermissionDenied) as exc:
        messages.error(request, str(exc))
        return redirect(edit_url)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(edit_url)
    if action == "publish" and item.status == PublicationStatus.APPROVED and item.publish_at:
        at = timezone.localtime(item.publish_at)
        messages.success(request, f"已定时，将于 {at:%Y-%m-%d %H:%M} 自动发布。")
    else:
        messages.success(request, ACTION_MESSAGES[action])
    if action in ("approve", "return") and not publishing.can_manage(user, item):
        return redirect(review_url)
    return redirect(edit_url)
