from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command

from qifu.accounts.models import Enterprise
from qifu.demo.enterprises import QIYE2_CREDIT_CODE, QIYE_CREDIT_CODE
from qifu.policies.models import Policy
from qifu.policies.selectors import match_policies

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded() -> Any:
    # The demo policies run to 2027-12-31; pin a day inside their validity.
    with time_machine.travel(dt.datetime(2026, 7, 1, 2, 0, tzinfo=dt.UTC), tick=False):
        out = StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()


def test_the_demo_library_is_published_and_the_seafood_enterprise_matches_several(seeded):
    assert Policy.objects.published().count() >= 20
    qiye = Enterprise.objects.select_related("region").get(credit_code=QIYE_CREDIT_CODE)
    found = match_policies(profile=qiye)
    assert len(found.eligible) >= 5
    assert "RC-GXJ-2026-005" in {m.policy.code for m in found.eligible}  # 俚岛镇 海洋食品
    assert {m.policy.code for m in found.near_misses} >= {"RC-KJJ-2026-002"}


def test_the_rv_maker_matches_the_rv_export_policy(seeded):
    qiye2 = Enterprise.objects.select_related("region").get(credit_code=QIYE2_CREDIT_CODE)
    codes = {m.policy.code for m in match_policies(profile=qiye2).eligible}
    assert "RC-SWJ-2026-002" in codes


def test_seeding_the_policies_twice_changes_nothing(seeded):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "政策：22 条（新增 0，更新 0）" in out.getvalue()


def test_the_demo_publishes_interpretations_a_topic_and_lectures_once(seeded):
    from qifu.policies.models import Interpretation, Lecture, LectureRegistration, Topic

    assert Interpretation.objects.published().count() == 2
    topic = Topic.objects.published().get()
    assert topic.title == "专精特新政策专题" and len(topic.policy_codes) == 3
    assert Lecture.objects.published().count() == 2
    assert LectureRegistration.objects.count() == 2
    with time_machine.travel(dt.datetime(2026, 7, 1, 2, 0, tzinfo=dt.UTC), tick=False):
        out = StringIO()
        call_command("seed_demo", stdout=out)
    assert "政策解读、专题、讲堂：5 条（新增 0）" in out.getvalue()
    assert LectureRegistration.objects.count() == 2
