"""The small world the URL × role matrix opens pages in: the personas of conftest.py and, for
each kind of object a page is about, one of enterprise A (dispatched to department X, 工信局)
and one of enterprise B (dispatched to department Y, 住建局), made through the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conftest import _user
from qifu.accounts.models import Department, DepartmentKind, Role

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, "application/pdf")


@dataclass
class World:
    users: dict[str, Any]
    # For each kind of object, its A and B instances (A: enterprise A / department X).
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)

    def put(self, kind: str, a: Any, b: Any = None) -> None:
        self.objects[kind] = {"A": a, "B": b}

    def get(self, kind: str, side: str) -> Any:
        return self.objects[kind][side]


def build(f: dict[str, Any]) -> World:
    """`f`: the conftest personas (requested by the test) by fixture name."""
    from qifu.appeals.models import AppealCategory
    from qifu.appeals.services import appeal_dispatch, appeal_file
    from qifu.content.services import notice_create
    from qifu.declarations.services import application_save_draft, application_submit, call_create
    from qifu.investment.tests.personas import new_lead
    from qifu.matters.services import matter_application_create, matter_application_submit
    from qifu.matters.tests.conftest import make_matter
    from qifu.projects.services import project_create, project_templates_load
    from qifu.projects.tests.conftest import assign_steward
    from qifu.publishing.services import (
        publication_approve,
        publication_publish,
        publication_submit,
    )
    from qifu.workspace.models import AssignmentRole
    from qifu.workspace.services.assignments import assignment_set
    from qifu.workspace.services.requests import service_request_submit

    x, y = f["department"], f["other_department"]
    ent_a, ent_b = f["enterprise"], f["other_enterprise"]
    users = {
        "anonymous": None,
        "enterprise_a_admin": f["enterprise_user"],
        "enterprise_a_member": _user(
            "qiye_member_t", [Role.ENTERPRISE_MEMBER], enterprise=ent_a, real_name="于晓梅"
        ),
        "enterprise_b": f["other_enterprise_user"],
        "platform_staff": f["platform_staff"],
        "department_x_admin": f["department_admin"],
        "department_x_handler": _user(
            "jingban_t", [Role.DEPARTMENT_HANDLER], department=x, real_name="孙经办"
        ),
        "department_y_admin": f["other_department_admin"],
        "commissioner": f["commissioner"],
        "steward": f["steward"],
        "investment_staff": f["investment_admin"],
        "reviewer": f["reviewer"],
        "leader": f["leader"],
        "superuser": f["superuser"],
        "provider": f["bank_user"],
    }
    world = World(users)
    staff, superuser = f["platform_staff"], f["superuser"]

    # 企业诉求: A's dispatched to X, B's to Y.
    category = AppealCategory.objects.create(
        code="ZC", name="政策咨询", default_department=x, sort_order=1
    )
    appeals = []
    for user, department in ((f["enterprise_user"], x), (f["other_enterprise_user"], y)):
        appeal, _ = appeal_file(
            user=user,
            title="申请技改设备奖补资金迟迟未到账",
            content="我公司2025年技改设备投资奖补已公示，但至今未拨付，请协调。",
            category=category,
            contact_name="张经理",
            contact_phone="13905310001",
        )
        appeals.append(appeal_dispatch(appeal=appeal, user=staff, department=department))
    world.put("appeal", *appeals)

    # 我要办事: a matter of X applied for by A, one of Y by B.
    matter_x = make_matter(x)
    matter_y = make_matter(y, code="JZXK-002", name="建筑工程施工许可")
    world.put("matter", matter_x, matter_y)
    applications = []
    for user, matter in ((f["enterprise_user"], matter_x), (f["other_enterprise_user"], matter_y)):
        application = matter_application_create(
            user=user,
            matter=matter,
            contact_name="张经理",
            contact_phone="13905310001",
            files=[pdf()],
        )
        applications.append(matter_application_submit(user=user, application=application))
    world.put("matter_application", *applications)

    # 项目申报: a published call of X.
    today = timezone.localdate()
    call = call_create(
        author=f["department_admin"],
        title="2026年度“专精特新”企业认定奖励申报",
        body="符合条件的企业请于截止日期前在线申报。",
        criteria={"scales": ["small", "medium"]},
        opens_on=today - dt.timedelta(days=10),
        closes_on=today + dt.timedelta(days=30),
        required_materials=["项目申报书"],
        review_working_days=5,
        publicity_days=5,
    )
    publication_submit(item=call, actor=f["department_admin"])
    publication_approve(item=call, actor=superuser)
    publication_publish(item=call, actor=f["department_admin"])
    call.refresh_from_db()
    world.put("call", call, call)
    # A's submitted (its department reviews it), B's still a draft (the department must not see it).
    declaration_a = application_save_draft(
        user=f["enterprise_user"],
        call=call,
        project_name="海洋食品精深加工生产线",
        files={"项目申报书": pdf()},
    )
    declaration_a = application_submit(application=declaration_a, user=f["enterprise_user"])
    declaration_b = application_save_draft(
        user=f["other_enterprise_user"], call=call, project_name="房车底盘智能制造项目"
    )
    world.put("declaration", declaration_a, declaration_b)

    # 工作动态: a published notice of X, a draft of Y.
    notice_a = notice_create(
        author=f["department_admin"], kind="news", title="工信局助企活动", body="正文"
    )
    publication_submit(item=notice_a, actor=f["department_admin"])
    publication_approve(item=notice_a, actor=superuser)
    publication_publish(item=notice_a, actor=f["department_admin"])
    notice_b = notice_create(
        author=f["other_department_admin"], kind="news", title="住建局动态", body="正文"
    )
    world.put("notice", notice_a, notice_b)

    # 专员服务: the commissioner serves A; a request of A, one of B (queued to the platform).
    assignment_set(
        enterprise=ent_a, role=AssignmentRole.COMMISSIONER, user=f["commissioner"], actor=staff
    )
    world.put(
        "service_request",
        *(
            service_request_submit(
                user=user,
                kind="archive_query",
                title="调取设立登记档案",
                description="因银行贷款需要，调取公司设立登记档案。",
            )
            for user in (f["enterprise_user"], f["other_enterprise_user"])
        ),
    )
    world.put("enterprise", ent_a, ent_b)

    # 项目管家: the steward serves A; a project of A, one of B.
    project_templates_load()
    assign_steward(ent_a, f["steward"])
    projects = [
        project_create(
            actor=staff,
            enterprise=enterprise,
            name="年产2万吨海洋食品精深加工扩建项目",
            total_investment=18600,
            planned_start_on=dt.date(2026, 9, 1),
        )
        for enterprise in (ent_a, ent_b)
    ]
    world.put("project", *projects)
    world.put("project_item", *(p.items.order_by("id").first() for p in projects))

    # 智慧招商: a lead of the officer's (there is no enterprise B side).
    world.put("lead", new_lead(f["officer"]), None)
    return world


def another_department() -> Department:
    return Department.objects.create(
        code="tjj", name="荣成市统计局", kind=DepartmentKind.DEPARTMENT
    )
