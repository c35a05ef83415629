"""Demo 服务专员 and 项目管家: more commissioner and steward accounts, the assignment rules by town
and industry, assignments for all demo enterprises but a few (to show the coverage gaps), and
qiye's service requests in several states with contact logs. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qifu.accounts.models import Department, Enterprise, Role, User
from qifu.accounts.services import role_grant, user_create
from qifu.demo import Output
from qifu.demo.accounts import DEMO_PASSWORD
from qifu.demo.enterprises import QIYE2_CREDIT_CODE, QIYE_CREDIT_CODE
from qifu.workdays.calendar import deadline_after
from qifu.workspace.models import (
    Assignment,
    AssignmentMethod,
    AssignmentRole,
    AssignmentRule,
    ContactLog,
    RequestStatus,
    ServiceRequest,
)
from qifu.workspace.services import requests as request_services
from qifu.workspace.services.assignments import assignment_set, assignments_auto_fill

C, S = AssignmentRole.COMMISSIONER, AssignmentRole.STEWARD

# (username, real name, roles, phone): commissioners and a steward beside zhuanyuan and guanjia.
PEOPLE = [
    ("zhuanyuan2", "鞠晓东", (Role.COMMISSIONER,), "13963101201"),
    ("zhuanyuan3", "王丽娜", (Role.COMMISSIONER,), "13963101202"),
    ("zhuanyuan4", "张建波", (Role.COMMISSIONER,), "13963101203"),
    ("guanjia2", "于晓明", (Role.STEWARD,), "13963101204"),
]

SHIDAO = ["ningjin", "gangwan", "taoyuan", "wanglian", "dongshan", "chishan"]  # 石岛管理区
KAIFAQU = ["yatou", "xunshan", "laoshan", "chengxi"]  # 经济开发区
OTHER_TOWNS = ["chengshan", "buliu", "gangxi", "yaxi", "yinzi", "tengjia", "datuan", "renhe"]
# 虎山镇, 上庄镇 and 夏庄镇 have no rule: their three enterprises show as coverage gaps.

# Commissioner rules: (username, town codes, industry prefix, priority).
COMMISSIONER_RULES = [
    # 毕永胜: everything in 俚岛镇, and fishing and seafood processing across 石岛管理区.
    ("zhuanyuan", ["lidao"], "", 20),
    *[("zhuanyuan", SHIDAO, prefix, 10) for prefix in ("A04", "C13", "C14")],
    ("zhuanyuan3", SHIDAO, "", 50),
    ("zhuanyuan2", KAIFAQU, "", 50),
    ("zhuanyuan4", OTHER_TOWNS, "", 50),
]
# Steward rules by industry: manufacturing with 林宏伟, the rest with 于晓明 (L and N uncovered).
STEWARD_RULES = [
    ("guanjia", "C", 50),
    ("guanjia2", "A", 50),
    ("guanjia2", "D", 50),
    ("guanjia2", "G", 50),
    ("guanjia2", "H", 50),
]

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _people(stdout: Output) -> dict[str, User]:
    agency = Department.objects.get(code="xzsp")
    created = 0
    for username, real_name, roles, phone in PEOPLE:
        user = User.objects.filter(username=username).first()
        if user is None:
            user_create(
                username=username,
                password=DEMO_PASSWORD,
                real_name=real_name,
                phone=phone,
                department=agency,
                roles=roles,
            )
            created += 1
        else:
            for role in roles:
                role_grant(user=user, role=role)
    names = [p[0] for p in PEOPLE] + ["zhuanyuan", "guanjia", "pingtai"]
    people = {u.username: u for u in User.objects.filter(username__in=names)}
    stdout.write(f"服务专员/项目管家账号：新增 {created}\n")
    return people


def _rules(people: dict[str, User]) -> None:
    towns = {d.code: d for d in Department.objects.filter(kind="town")}
    for username, codes, prefix, priority in COMMISSIONER_RULES:
        for code in codes:
            AssignmentRule.objects.get_or_create(
                role=C,
                user=people[username],
                region=towns[code],
                industry_prefix=prefix,
                defaults={"priority": priority},
            )
    for username, prefix, priority in STEWARD_RULES:
        AssignmentRule.objects.get_or_create(
            role=S,
            user=people[username],
            region=None,
            industry_prefix=prefix,
            defaults={"priority": priority},
        )


def _assignments(people: dict[str, User]) -> dict[str, int]:
    qiye = Enterprise.objects.get(credit_code=QIYE_CREDIT_CODE)
    qiye2 = Enterprise.objects.get(credit_code=QIYE2_CREDIT_CODE)
    admin = people["pingtai"]
    # 林宏伟 follows both demo companies' construction projects, whatever the rules say.
    for enterprise in (qiye, qiye2):
        if not Assignment.objects.current().filter(enterprise=enterprise, role=S).exists():
            assignment_set(
                enterprise=enterprise,
                role=S,
                user=people["guanjia"],
                method=AssignmentMethod.MANUAL,
                actor=admin,
                note="演示：建设项目跟踪",
            )
    counts = assignments_auto_fill(role=C)
    steward_counts = assignments_auto_fill(role=S)
    return {"assigned": counts["assigned"] + steward_counts["assigned"]}


def _requests(people: dict[str, User], stdout: Output) -> None:
    qiye_user = User.objects.filter(username="qiye").first()
    commissioner = people["zhuanyuan"]
    if qiye_user is None or qiye_user.enterprise is None:
        stdout.write("专员服务：缺少演示账号 qiye，跳过。\n")
        return
    enterprise = qiye_user.enterprise
    now = timezone.now()

    archive = request_services.service_request_submit(
        user=qiye_user,
        kind="archive_query",
        title="调取企业设立登记档案",
        description="办理银行授信需要提供公司设立登记档案（章程、股东会决议），请协助调取。",
        idempotency_key="demo-archive-query",
    )
    if archive.status == RequestStatus.SUBMITTED:
        request_services.service_request_accept(user=commissioner, service_request=archive)
        request_services.service_request_complete(
            user=commissioner,
            service_request=archive,
            result="已在市场监管档案室调取设立登记档案，共 12 页，电子摘录见附件；"
            "纸质加盖档案查询专用章的复印件可到政务服务中心 3 号窗口领取。",
            files=[SimpleUploadedFile("设立登记档案摘录.pdf", PDF, "application/pdf")],
        )
        _backdate(archive, days=[9, 8, 6])

    licence = enterprise.elicences.filter(name="排污许可证").first()
    renewal = request_services.service_request_submit(
        user=qiye_user,
        kind="licence_renewal",
        title="排污许可证换发" if licence else "证照换发",
        description="排污许可证将于年底到期，请专员指导准备延续申请材料并跟进办理。",
        licence=licence,
        idempotency_key="demo-licence-renewal",
    )
    if renewal.status == RequestStatus.SUBMITTED:
        request_services.service_request_accept(user=commissioner, service_request=renewal)
        _backdate(renewal, days=[3, 2])

    annual = request_services.service_request_submit(
        user=qiye_user,
        kind="annual_report",
        title="2025年度年报帮办",
        description="新任财务人员不熟悉年报填报，请专员协助填报2025年度企业年报。",
        idempotency_key="demo-annual-report",
    )
    if annual.status == RequestStatus.SUBMITTED:
        request_services.service_request_accept(user=commissioner, service_request=annual)
        request_services.service_request_ask_info(
            user=commissioner,
            service_request=annual,
            note="请提供2025年度资产负债表、利润表和社保缴费人数，"
            "可拍照或扫描上传，收到后两个工作日内协助完成填报。",
        )

    contacts = [
        (
            commissioner,
            "visit",
            20,
            "上门走访：了解冷库扩建用地和出口备案需求，已介绍设备更新贷款贴息政策。",
            None,
        ),
        (
            commissioner,
            "phone",
            8,
            "电话沟通档案调取用途和所需页数，约定电子摘录加纸质复印件。",
            archive,
        ),
        (
            people["guanjia"],
            "meeting",
            5,
            "项目推进会：冷链物流中心项目施工许可材料清单逐项核对。",
            None,
        ),
    ]
    for staff, kind, days_ago, summary, linked in contacts:
        if not ContactLog.objects.filter(
            enterprise=enterprise, staff=staff, summary=summary
        ).exists():
            request_services.contact_log_create(
                user=staff,
                enterprise=enterprise,
                kind=kind,
                occurred_at=now - dt.timedelta(days=days_ago, hours=2),
                summary=summary,
                service_request=linked,
            )


def _backdate(service_request: ServiceRequest, *, days: list[int]) -> None:
    """Move a demo request back in time, each step of its record `days[i]` days ago."""
    service_request.refresh_from_db()
    events = list(service_request.events.order_by("at", "id"))
    for event, ago in zip(events, days, strict=False):
        event.at -= dt.timedelta(days=ago)
        event.save(update_fields=["at"])
    accepted_ago = days[min(1, len(days) - 1)]
    submitted_at = service_request.submitted_at - dt.timedelta(days=days[0])
    changes: dict[str, dt.datetime] = {
        "submitted_at": submitted_at,
        "accept_due_at": deadline_after(
            start=submitted_at, working_days=settings.SERVICE_REQUEST_ACCEPT_WORKING_DAYS
        ).due_at,
    }
    if service_request.accepted_at is not None:
        accepted_at = service_request.accepted_at - dt.timedelta(days=accepted_ago)
        changes["accepted_at"] = accepted_at
        changes["due_at"] = deadline_after(
            start=accepted_at,
            working_days=request_services.completion_working_days(service_request.kind),
        ).due_at
    if service_request.completed_at is not None:
        changes["completed_at"] = service_request.completed_at - dt.timedelta(days=days[-1])
    number = f"ZY{timezone.localtime(submitted_at):%Y%m%d}{service_request.pk:06d}"
    ServiceRequest.objects.filter(pk=service_request.pk).update(number=number, **changes)


def seed(*, stdout: Output) -> None:
    """Accounts, rules, assignments (3 enterprises left without a commissioner), requests."""
    if not Department.objects.filter(code="xzsp").exists():
        stdout.write("专员服务：缺少行政审批服务局，跳过。\n")
        return
    people = _people(stdout)
    _rules(people)
    counts = _assignments(people)
    _requests(people, stdout)
    gaps = (
        Enterprise.objects.filter(is_active=True)
        .exclude(pk__in=Assignment.objects.current().filter(role=C).values("enterprise_id"))
        .count()
    )
    stdout.write(
        f"服务专员/项目管家：新分配 {counts['assigned']}，"
        f"无服务专员企业 {gaps} 家，规则 {AssignmentRule.objects.count()} 条\n"
    )
