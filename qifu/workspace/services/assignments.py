"""Who serves which enterprise: assigning by hand, by the rules, and handing over (measures art. 8).

An assignment is never edited or deleted: a change ends the current row and opens a new one, so
the history of who served an enterprise stays. The partial unique constraint on the model (one
current row per enterprise and role) is what makes two concurrent assignments safe: the loser
gets an IntegrityError inside its savepoint and the enterprise keeps the winner.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from qifu.accounts.models import Enterprise, User
from qifu.core.audit import audit_record
from qifu.notifications.services import notify
from qifu.workspace.models import (
    ASSIGNMENT_ACCOUNT_ROLE,
    Assignment,
    AssignmentMethod,
    AssignmentRole,
    AssignmentRule,
)

ROLE_LABELS: dict[str, str] = dict(AssignmentRole.choices)


def check_space_admin(user: Any) -> None:
    """Only the agency running the space (or a superuser) assigns and hands over."""
    if not (
        getattr(user, "is_authenticated", False)
        and (user.is_superuser or user.administers_section("space"))
    ):
        raise PermissionDenied("只有专属空间的管理机构可以分配服务专员和项目管家。")


def check_can_serve(user: User, role: str) -> None:
    """The person must be active and hold the account role that goes with the capacity."""
    if role not in ROLE_LABELS:
        raise ValidationError({"role": "未知的担任类型。"})
    if not (user.is_active and user.has_role(ASSIGNMENT_ACCOUNT_ROLE[AssignmentRole(role)])):
        raise ValidationError({"user": f"{user}不是{ROLE_LABELS[role]}，不能被指定。"})


def _notify_later(users: Callable[[], Iterable[Any]], title: str, body: str, url: str) -> None:
    def send() -> None:
        notify(users=list(users()), code="generic", context={"title": title, "body": body}, url=url)

    transaction.on_commit(send)


def _enterprise_users(enterprise_id: int) -> Callable[[], Iterable[Any]]:
    return lambda: User.objects.filter(enterprise_id=enterprise_id, is_active=True)


def _open(
    *,
    enterprise: Enterprise,
    role: str,
    user: User,
    method: str,
    actor: Any,
    note: str,
) -> Assignment:
    """End the current row (if any) and open a new one; the caller holds a transaction."""
    now = timezone.now()
    current = (
        Assignment.objects.select_for_update()
        .current()
        .filter(enterprise=enterprise, role=role)
        .first()
    )
    if current is not None:
        if current.user_id == user.pk:
            return current
        current.ended_at = now
        current.save(update_fields=["ended_at", "updated_at"])
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
    assignment = Assignment.objects.create(
        enterprise=enterprise,
        role=role,
        user=user,
        method=method,
        started_at=now,
        assigned_by=actor_user,
        note=note.strip()[:200],
    )
    label = ROLE_LABELS[role]
    audit_record(
        action=f"workspace.assignment.{method}",
        actor=actor_user,
        target=assignment,
        summary=f"{enterprise.name} {label}：{current.user if current else '无'} → {user}",
        username="system" if actor_user is None else "",
    )
    phone = f"，联系电话 {user.phone}" if user.phone else ""
    _notify_later(
        _enterprise_users(enterprise.pk),
        f"您的{label}是{user}",
        f"{user}（{user.department.display_name if user.department else ''}）"
        f"现为贵企业的{label}{phone}。",
        reverse("workspace:commissioner"),
    )
    _notify_later(
        lambda: [user],
        f"新服务企业：{enterprise.name}",
        f"您被指定为{enterprise.name}的{label}。",
        reverse("workspace:served"),
    )
    return assignment


def assignment_set(
    *,
    enterprise: Enterprise,
    role: str,
    user: User,
    method: str = AssignmentMethod.MANUAL,
    actor: Any,
    note: str = "",
) -> Assignment:
    """Make `user` the enterprise's commissioner or steward from now on (history kept)."""
    if actor is not None:
        check_space_admin(actor)
    check_can_serve(user, role)
    with transaction.atomic():
        return _open(
            enterprise=enterprise, role=role, user=user, method=method, actor=actor, note=note
        )


@dataclass(frozen=True)
class _Candidate:
    rule: AssignmentRule

    def matches(self, enterprise: Enterprise) -> bool:
        rule = self.rule
        if rule.region_id is not None and rule.region_id != enterprise.region_id:
            return False
        return not rule.industry_prefix or enterprise.industry.startswith(rule.industry_prefix)

    @property
    def specificity(self) -> tuple[int, int]:
        # A town and an industry beat either alone; a longer industry prefix is narrower.
        rule = self.rule
        return (
            int(rule.region_id is not None) + int(bool(rule.industry_prefix)),
            len(rule.industry_prefix),
        )


def current_loads(role: str) -> Counter[int]:
    """How many enterprises each person currently serves in `role`."""
    rows = (
        Assignment.objects.current()
        .filter(role=role)
        .values("user_id")
        .annotate(n=Count("id"))
        .values_list("user_id", "n")
    )
    return Counter(dict(rows))


def rule_candidates(role: str) -> list[_Candidate]:
    """The active rules of `role` whose person may serve in it, for `rule_for`."""
    account_role = ASSIGNMENT_ACCOUNT_ROLE[AssignmentRole(role)]
    rules = AssignmentRule.objects.filter(
        role=role, is_active=True, user__is_active=True, user__role_grants__role=account_role
    ).select_related("user", "user__department")
    return [_Candidate(rule) for rule in rules]


def rule_for(
    enterprise: Enterprise, candidates: list[_Candidate], loads: Counter[int]
) -> AssignmentRule | None:
    """Most specific rule first, then the lower priority number, then the lighter load."""
    matching = [c for c in candidates if c.matches(enterprise)]
    if not matching:
        return None
    best = min(
        matching,
        key=lambda c: (
            -c.specificity[0],
            -c.specificity[1],
            c.rule.priority,
            loads[c.rule.user_id],
            c.rule.pk,
        ),
    )
    return best.rule


def assignments_auto_fill(*, role: str, actor: Any = None) -> dict[str, int]:
    """Assign every active enterprise without a current `role` by the active rules (idempotent)."""
    if actor is not None:
        check_space_admin(actor)
    if role not in ROLE_LABELS:
        raise ValidationError({"role": "未知的担任类型。"})
    candidates = rule_candidates(role)
    gaps = Enterprise.objects.filter(is_active=True).exclude(
        pk__in=Assignment.objects.current().filter(role=role).values("enterprise_id")
    )
    loads = current_loads(role)
    counts = {"assigned": 0, "unmatched": 0}
    for enterprise in gaps.order_by("pk"):
        rule = rule_for(enterprise, candidates, loads)
        if rule is None:
            counts["unmatched"] += 1
            continue
        method = AssignmentMethod.TOWN if rule.region_id else AssignmentMethod.INDUSTRY
        try:
            with transaction.atomic():
                if Assignment.objects.current().filter(enterprise=enterprise, role=role).exists():
                    continue  # someone assigned it meanwhile
                _open(
                    enterprise=enterprise,
                    role=role,
                    user=rule.user,
                    method=method,
                    actor=actor,
                    note=f"规则 #{rule.pk}",
                )
        except IntegrityError:
            continue  # a concurrent assignment won; the enterprise is covered
        loads[rule.user_id] += 1
        counts["assigned"] += 1
    return counts


def assignments_handover(
    *, from_user: User, to_user: User, role: str, actor: Any, note: str = ""
) -> int:
    """Move all of a person's current enterprises (and open requests) to another, in one go."""
    check_space_admin(actor)
    if from_user.pk == to_user.pk:
        raise ValidationError({"to_user": "交接双方不能是同一人。"})
    check_can_serve(to_user, role)
    if not note.strip():
        note = "工作交接"
    with transaction.atomic():
        rows = list(
            Assignment.objects.select_for_update(of=("self",))
            .current()
            .filter(user=from_user, role=role)
            .select_related("enterprise")
        )
        for row in rows:
            _open(
                enterprise=row.enterprise,
                role=role,
                user=to_user,
                method=AssignmentMethod.HANDOVER,
                actor=actor,
                note=note,
            )
        moved_requests = 0
        if role == AssignmentRole.COMMISSIONER:
            from qifu.workspace.services.requests import service_requests_move

            moved_requests = service_requests_move(
                from_user=from_user, to_user=to_user, actor=actor, note=note
            )
        audit_record(
            action="workspace.assignment.handover_all",
            actor=actor,
            target=to_user,
            summary=f"{ROLE_LABELS[role]} {from_user} → {to_user}：企业 {len(rows)} 家，"
            f"服务申请 {moved_requests} 件",
        )
    return len(rows)


def assignment_rule_create(
    *,
    actor: Any,
    role: str,
    user: User,
    region: Any = None,
    industry_prefix: str = "",
    priority: int = 100,
) -> AssignmentRule:
    """Add an automatic assignment rule (a town and/or an industry prefix)."""
    check_space_admin(actor)
    check_can_serve(user, role)
    prefix = industry_prefix.strip().upper()
    if region is None and not prefix:
        raise ValidationError({"industry_prefix": "请至少选择镇街或填写行业代码前缀。"})
    rule = AssignmentRule.objects.create(
        role=role, user=user, region=region, industry_prefix=prefix, priority=priority
    )
    audit_record(action="workspace.rule.create", actor=actor, target=rule, summary=str(rule))
    return rule


def assignment_rule_toggle(*, actor: Any, rule: AssignmentRule) -> AssignmentRule:
    """Switch a rule on or off (rules are kept: the assignments they made name them)."""
    check_space_admin(actor)
    rule.is_active = not rule.is_active
    rule.save(update_fields=["is_active", "updated_at"])
    audit_record(
        action="workspace.rule.toggle",
        actor=actor,
        target=rule,
        summary=f"{rule} {'启用' if rule.is_active else '停用'}",
    )
    return rule
