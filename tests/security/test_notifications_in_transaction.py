"""Issue 17 (already on main; tested here): appeal intake writes its notifications in the same
transaction as the appeal, so a worker killed after the commit cannot lose them, and a rollback
leaves none behind."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from qifu.appeals.models import Appeal, AppealCategory
from qifu.appeals.services import appeal_file
from qifu.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def category(agency: Any) -> AppealCategory:
    return AppealCategory.objects.create(code="other", name="其他", default_department=agency)


def _file(user: Any, category: AppealCategory) -> Appeal:
    appeal, _ = appeal_file(
        user=user,
        title="申请技改设备奖补资金迟迟未到账",
        content="请协调。",
        category=category,
        contact_name="张经理",
        contact_phone="13905310001",
    )
    return appeal


def test_intake_notifications_exist_before_any_after_commit_step(
    enterprise_user: Any,
    platform_staff: Any,
    category: AppealCategory,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        _file(enterprise_user, category)
        # Nothing after the commit has run: the rows are already written with the appeal.
        assert Notification.objects.filter(user=platform_staff, title="新诉求待派发").exists()
        assert Notification.objects.filter(user=enterprise_user, title="诉求已受理").exists()


def test_intake_notifications_roll_back_with_the_appeal(
    enterprise_user: Any, platform_staff: Any, category: AppealCategory
) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        _file(enterprise_user, category)
        raise RuntimeError("the request failed after the appeal was filed")
    assert not Appeal.objects.exists()
    assert not Notification.objects.exists()
