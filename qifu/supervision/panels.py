"""督办: the workbench panel of supervisors (督查领导) who are not platform staff (platform staff
see 督办件 in their appeal panel and reach the board from it)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from qifu.accounts.access import is_platform_staff
from qifu.accounts.models import Role
from qifu.core.pages import link_for
from qifu.portal.workbench import Counter, Panel, register
from qifu.supervision import selectors


@register
def supervision_panel(user: Any) -> list[Panel]:
    if is_platform_staff(user) or not user.has_role(Role.SUPERVISOR):
        return []
    counts = selectors.board(timezone.now()).aggregate(
        total=Count("id"),
        supervised=Count("id", filter=Q(is_supervised=True)),
        due=Count("id", filter=~Q(next_step="")),
        listed=Count("id", filter=Q(level=2)),
    )
    url = reverse("supervision:board")
    links = [("打开督办台", url)]
    dashboard = link_for(user, "dashboards:overview")
    if dashboard:
        links.append(("领导驾驶舱", dashboard))
    return [
        Panel(
            title="督办",
            counters=(
                Counter("在台案件", counts["total"], url),
                Counter(
                    "督办件",
                    counts["supervised"],
                    f"{url}?kind=supervised",
                    tone="danger" if counts["supervised"] else "primary",
                ),
                Counter(
                    "应催办或通报",
                    counts["due"],
                    f"{url}?due=on",
                    tone="warning" if counts["due"] else "primary",
                ),
                Counter("已列入通报", counts["listed"], f"{url}?level=2"),
            ),
            links=tuple(links),
            order=10,
            extra={"kind": "supervision"},
        )
    ]
