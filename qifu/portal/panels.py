"""The role panels of the workbench: who I am, my enterprise, my department, system management.

They show only what exists today. Counts are real queries; an entry links only once its page
exists (its URL name resolves), otherwise it is listed as "建设中".
"""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse

from qifu.accounts.industries import industry_label
from qifu.accounts.models import Department, Enterprise, Section, User
from qifu.portal import sections
from qifu.portal.workbench import Counter, Panel, register

# Entries an enterprise user reaches for first, by URL name, in the order they are shown.
ENTERPRISE_ENTRIES = (
    "workspace:home",
    "appeals:new",
    "policies:matches",
    "matters:catalogue",
    "assistant:ask",
    "board:new",
    "declarations:calls",
    "content:postings",
)


def _url(url_name: str) -> str | None:
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None


def _entry_panel_parts(
    links: list[sections.Link],
) -> tuple[tuple[tuple[str, str], ...], list[str]]:
    """Split links into (label, url) pairs and the titles of those still being built."""
    pairs: list[tuple[str, str]] = []
    pending: list[str] = []
    seen: set[str] = set()
    for link in links:
        if link.title in seen or (link.url and link.url in {u for _, u in pairs}):
            continue
        seen.add(link.title)
        if link.url:
            pairs.append((link.title, link.url))
        else:
            pending.append(link.title)
    return tuple(pairs), pending


def _entries_by_url_name() -> dict[str, sections.Entry]:
    found: dict[str, sections.Entry] = {}
    for section in sections.home_sections():
        for entry in section.entries:
            found.setdefault(entry.url_name, entry)
    return found


def _organisation(user: User) -> str:
    if user.enterprise_id:
        return str(user.enterprise)
    if user.department_id:
        return str(user.department)
    return user.organisation_name or "—"


@register
def account_panel(user: Any) -> list[Panel]:
    """我的账号: every signed-in person sees who they are signed in as."""
    roles = user.role_labels or ["未分配角色"]
    facts = [
        ("账号", user.get_username()),
        ("姓名", user.real_name or "—"),
        ("角色", "、".join(roles)),
        ("所属单位", _organisation(user)),
        ("手机号", user.masked_phone or "未绑定"),
    ]
    links: tuple[tuple[str, str], ...] = ()
    profile = _url("accounts:profile")
    if profile:
        links = (("账号设置", profile),)
    # Last: the to-do panels of the other apps and the role panels matter more day to day.
    return [
        Panel(title="我的账号", links=links, order=900, extra={"kind": "account", "facts": facts})
    ]


@register
def enterprise_panel(user: Any) -> list[Panel]:
    """我的企业: the enterprise of an enterprise user and the entries it uses most."""
    if not user.enterprise_id:
        return []
    enterprise: Enterprise = user.enterprise
    facts = [
        ("企业名称", enterprise.name),
        ("统一社会信用代码", enterprise.credit_code),
        ("企业规模", enterprise.get_scale_display()),
        ("所属行业", industry_label(enterprise.industry)),
        ("所在镇街", enterprise.region.name if enterprise.region is not None else "未填写"),
    ]
    by_name = _entries_by_url_name()
    entries = tuple(by_name[n] for n in ENTERPRISE_ENTRIES if n in by_name)
    links, pending = _entry_panel_parts(sections.entry_links(entries, user))
    accounts = User.objects.filter(enterprise_id=enterprise.pk, is_active=True).count()
    return [
        Panel(
            title="我的企业",
            counters=(Counter("本企业账号", accounts),),
            links=links,
            order=20,
            extra={"kind": "enterprise", "facts": facts, "pending": pending},
        )
    ]


@register
def department_panel(user: Any) -> list[Panel]:
    """我的部门: a government worker's department and the sections it administers."""
    if not user.is_government or user.department is None:
        return []
    department: Department = user.department
    administered = [s for s in Section if user.administers_section(s.value)]
    facts = [
        ("部门名称", department.name),
        ("部门类型", department.get_kind_display()),
        (
            "负责版块",
            "、".join(s.label for s in administered) or "无（处理派发的诉求、发布本部门信息）",
        ),
    ]
    # The section's work pages this user opens, then its entries as they lead for this user
    # (企业诉求 takes a department to its inbox); one rule per page decides both.
    found: list[sections.Link] = []
    for section in sections.home_sections():
        if section.code in {s.value for s in administered}:
            found += sections.tool_links(section, user)
            found += sections.entry_links(section.entries, user)
    links, pending = _entry_panel_parts(found)
    colleagues = User.objects.filter(department_id=department.pk, is_active=True).count()
    departments = Department.objects.filter(is_active=True).count()
    return [
        Panel(
            title="我的部门",
            counters=(Counter("本部门账号", colleagues), Counter("全市部门和镇街", departments)),
            links=links,
            order=20,
            extra={"kind": "department", "facts": facts, "pending": pending},
        )
    ]


@register
def superuser_panel(user: Any) -> list[Panel]:
    """系统管理: the superuser's way into data maintenance and the audit log."""
    if not user.is_superuser:
        return []
    links = [("数据维护（后台管理）", reverse("admin:index"))]
    audit = _url("core:audit")
    if audit:
        links.append(("审计日志", audit))
    keys = _url("integrations:keys")
    if keys:
        links.append(("接口密钥（Open311等）", keys))
    connectors = _url("connectors:manage")
    if connectors:
        links.append(("外部系统对接", connectors))
    counters = (
        Counter("有效账号", User.objects.filter(is_active=True).count()),
        Counter("企业", Enterprise.objects.filter(is_active=True).count()),
        Counter("部门和镇街", Department.objects.filter(is_active=True).count()),
    )
    return [
        Panel(
            title="系统管理",
            counters=counters,
            links=tuple(links),
            order=15,
            extra={"kind": "superuser", "pending": [] if audit else ["审计日志"]},
        )
    ]


@register
def unit_coverage_panel(user: Any) -> list[Panel]:
    """Article 11 for platform administrators: units without their liaison or administrator."""
    from qifu.accounts.selectors import can_view_unit_coverage, unit_coverage

    if not can_view_unit_coverage(user):
        return []
    coverage = unit_coverage()
    url = reverse("accounts:unit_coverage")
    return [
        Panel(
            title="联络员和管理员配备（第十一条）",
            counters=(
                Counter(
                    "缺联络员的管理机构",
                    len(coverage.agencies_without_liaison),
                    url,
                    tone="warning" if coverage.agencies_without_liaison else "primary",
                ),
                Counter(
                    "缺管理员的部门和镇街",
                    len(coverage.units_without_administrator),
                    url,
                    tone="warning" if coverage.units_without_administrator else "primary",
                ),
            ),
            links=(("查看配备情况", url),),
            order=90,
            extra={"kind": "unit_coverage"},
        )
    ]
