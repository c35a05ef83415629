from __future__ import annotations

from io import StringIO
from typing import Any

import pytest

from qifu.demo.policy_volume import SYNTHETIC_CODE_PREFIX, TOPICS, seed_synthetic
from qifu.policies.matching import validate_criteria
from qifu.policies.models import Policy
from qifu.policies.search import policy_search

pytestmark = pytest.mark.django_db


def test_synthetic_policies_are_added_up_to_the_count_once(department_admin: Any) -> None:
    assert seed_synthetic(count=40, stdout=StringIO()) == 40
    assert seed_synthetic(count=40, stdout=StringIO()) == 0
    assert seed_synthetic(count=45, stdout=StringIO()) == 5

    assert Policy.objects.published().filter(code__startswith=SYNTHETIC_CODE_PREFIX).count() == 45


def test_synthetic_policies_are_searchable_and_their_criteria_valid(department_admin: Any) -> None:
    seed_synthetic(count=len(TOPICS) * 2, stdout=StringIO())

    hits = policy_search(q="海洋牧场")

    assert len(hits) == 2
    assert all("海洋牧场" in h.policy.title for h in hits)
    for policy in Policy.objects.all():
        assert validate_criteria(policy.criteria) == policy.criteria
        assert policy.search_text


def test_synthetic_policies_need_departments_and_a_government_user(db: Any) -> None:
    with pytest.raises(RuntimeError):
        seed_synthetic(count=1, stdout=StringIO())
