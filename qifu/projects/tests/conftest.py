from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from qifu.accounts.models import Enterprise, User
from qifu.projects.models import Project
from qifu.projects.services import project_create, project_templates_load
from qifu.workspace.models import Assignment, AssignmentMethod, AssignmentRole

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TZ = dt.timezone(dt.timedelta(hours=8))


def pdf(name: str = "批复.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, "application/pdf")


def assign_steward(enterprise: Enterprise, steward: User) -> Assignment:
    return Assignment.objects.create(
        enterprise=enterprise,
        role=AssignmentRole.STEWARD,
        user=steward,
        method=AssignmentMethod.MANUAL,
    )


@pytest.fixture
def templates(db: Any) -> None:
    project_templates_load()


@pytest.fixture
def assigned(enterprise: Enterprise, steward: User) -> Assignment:
    """The `steward` persona serves the `enterprise` persona."""
    return assign_steward(enterprise, steward)


def make_project(
    actor: User, enterprise: Enterprise, start: dt.date = dt.date(2026, 9, 1), **kw: Any
) -> Project:
    fields: dict[str, Any] = {
        "name": "年产2万吨海洋食品精深加工扩建项目",
        "total_investment": 18600,
        "planned_start_on": start,
    }
    fields.update(kw)
    return project_create(actor=actor, enterprise=enterprise, **fields)


@pytest.fixture
def project(
    templates: None, assigned: Assignment, platform_staff: User, enterprise: Enterprise
) -> Project:
    """A project of `enterprise`, stewarded by `steward`, planned from 2026-09-01."""
    return make_project(platform_staff, enterprise)
