from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from qifu.policies.matching import evaluate, validate_criteria
from qifu.policies.models import Policy
from qifu.policies.selectors import policy_matches, policy_near_misses
from qifu.policies.tests.conftest import TODAY

pytestmark = pytest.mark.django_db

# Who is eligible for what on TODAY, worked out by hand from data/matching.json.
EXPECTED = {
    "seafood": {
        "T-IND", "T-SCALE", "T-QANY", "T-REGION", "T-EMPMIN", "T-EMPMAX", "T-CAPITAL",
        "T-REVENUE", "T-YEARSMIN", "T-YEARSMAX", "T-RD", "T-LASTDAY",
    },
    "rv": {"T-QALL", "T-QANY", "T-EMPMIN", "T-CAPITAL", "T-YEARSMIN", "T-RD", "T-LASTDAY"},
    "startup": {"T-SCALE", "T-EMPMAX", "T-LASTDAY"},
}  # fmt: skip


def reasons_of(policy_code: str, enterprise: Any, today: dt.date = TODAY) -> dict[str, Any]:
    result = evaluate(Policy.objects.get(code=policy_code), enterprise, today)
    return {r["criterion"]: r for r in result.reasons}


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_each_enterprise_matches_exactly_the_policies_whose_criteria_all_hold(dataset, who):
    matched = {m.policy.code for m in policy_matches(enterprise=dataset[who], today=TODAY)}
    assert matched == EXPECTED[who]


def test_every_match_scores_100_and_lists_one_met_reason_per_criterion(dataset):
    matches = policy_matches(enterprise=dataset["seafood"], today=TODAY)
    revenue = next(m for m in matches if m.policy.code == "T-REVENUE")
    assert revenue.score == 100
    assert [r["criterion"] for r in revenue.reasons] == ["min_revenue", "max_revenue"]
    assert all(r["met"] for r in revenue.reasons)


def test_matches_are_ordered_by_score_then_newest_publication(dataset):
    matches = policy_matches(enterprise=dataset["startup"], today=TODAY)
    assert [m.policy.code for m in matches] == ["T-EMPMAX", "T-SCALE", "T-LASTDAY"]


def test_an_industry_prefix_covers_the_enterprises_full_code(dataset):
    reason = reasons_of("T-IND", dataset["seafood"])["industries"]
    assert reason["met"] and "C1361" in reason["text"] and "C13" in reason["text"]
    assert not reasons_of("T-IND", dataset["rv"])["industries"]["met"]


def test_a_value_equal_to_a_minimum_meets_it(dataset):
    seafood = dataset["seafood"]
    assert reasons_of("T-EMPMIN", seafood)["min_employees"]["met"]
    assert reasons_of("T-CAPITAL", seafood)["min_registered_capital"]["met"]
    assert reasons_of("T-RD", seafood)["min_rd_ratio"]["met"]


def test_a_shortfall_is_explained_with_the_gap(dataset):
    reason = reasons_of("T-EMPMIN", dataset["startup"])["min_employees"]
    assert reason == {
        "criterion": "min_employees",
        "met": False,
        "text": "从业人数8人，低于要求的50人（差42人）",
    }
    rd = reasons_of("T-NEAR", dataset["seafood"])["min_rd_ratio"]
    assert rd["text"] == "研发投入占比3.5%，低于要求的5%（差1.5个百分点）"


def test_scale_and_qualification_reasons_read_as_plain_chinese(dataset):
    assert reasons_of("T-SCALE", dataset["seafood"])["scales"]["text"] == (
        "企业规模为小型，符合“小型、微型企业”要求"
    )
    assert reasons_of("T-QALL", dataset["seafood"])["qualifications_all"]["text"] == (
        "缺少“高新技术企业”、“规模以上企业”资质"
    )
    assert reasons_of("T-QANY", dataset["seafood"])["qualifications_any"]["met"]


def test_the_region_is_compared_by_the_town_name(dataset):
    assert reasons_of("T-REGION", dataset["seafood"])["regions"]["met"]
    assert not reasons_of("T-REGION", dataset["rv"])["regions"]["met"]
    assert reasons_of("T-REGION", dataset["startup"])["regions"]["text"] == "企业未填写所在镇街"


def test_years_since_founding_count_whole_years_across_the_anniversary(dataset):
    seafood = dataset["seafood"]  # founded 2020-06-15
    assert reasons_of("T-YEARSMIN", seafood, TODAY)["min_years_since_founding"]["met"]
    day_before = reasons_of("T-YEARSMIN", seafood, dt.date(2026, 6, 14))
    assert day_before["min_years_since_founding"]["text"] == "成立满5年，不足要求的6年（还差1年）"
    assert not reasons_of("T-YEARSMAX", dataset["rv"])["max_years_since_founding"]["met"]


def test_a_missing_founding_date_leaves_the_criterion_unmet(dataset):
    reason = reasons_of("T-YEARSMAX", dataset["startup"])["max_years_since_founding"]
    assert reason == {
        "criterion": "max_years_since_founding",
        "met": False,
        "text": "企业未填写成立日期",
    }


def test_an_expired_policy_matches_no_one_and_says_so(dataset):
    policy = Policy.objects.get(code="T-EXPIRED")
    result = evaluate(policy, dataset["seafood"], TODAY)
    assert not result.eligible
    assert "已过期" in result.reasons[0]["text"]
    assert evaluate(Policy.objects.get(code="T-LASTDAY"), dataset["seafood"], TODAY).eligible


def test_near_misses_are_the_policies_missed_by_exactly_one_criterion(dataset):
    near = policy_near_misses(enterprise=dataset["seafood"], today=TODAY)
    assert {m.policy.code for m in near} == {"T-QALL", "T-NEAR"}
    nearly = next(m for m in near if m.policy.code == "T-NEAR")
    assert nearly.score == 66
    assert [r["criterion"] for r in nearly.result.missing] == ["min_rd_ratio"]


def test_an_industry_mismatch_is_not_offered_as_a_near_miss(dataset):
    near = {m.policy.code for m in policy_near_misses(enterprise=dataset["rv"], today=TODAY)}
    assert "T-IND" not in near
    assert {"T-SCALE", "T-REGION", "T-REVENUE"} <= near


def test_evaluate_accepts_a_typed_in_profile_without_a_database_row():
    policy = SimpleNamespace(
        industries=["C36"], criteria={"regions": ["城西街道"]}, expires_on=None
    )
    profile = SimpleNamespace(industry="C3630", region_name="城西街道")
    result = evaluate(policy, profile, TODAY)
    assert result.eligible and result.score == 100


@pytest.mark.parametrize(
    ("criteria", "message"),
    [
        ({"min_staff": 5}, "未知的申报条件：min_staff"),
        ({"scales": ["tiny"]}, "未知的企业规模：tiny"),
        ({"qualifications_all": ["High Tech"]}, "资质标签只能由小写字母和下划线组成"),
        ({"min_employees": -1}, "不能为负数"),
        ({"min_employees": 2.5}, "应为整数"),
        ({"min_rd_ratio": 3.5}, "不能大于 1"),
        ({"min_revenue": 100, "max_revenue": 10}, "不能大于"),
        ({"regions": []}, "非空"),
    ],
)
def test_malformed_criteria_are_refused_with_a_chinese_reason(criteria, message):
    with pytest.raises(ValidationError) as exc:
        validate_criteria(criteria)
    assert message in " ".join(exc.value.messages)


def test_a_new_qualification_tag_is_accepted_when_it_is_well_formed():
    assert validate_criteria({"qualifications_any": ["gazelle"]}) == {
        "qualifications_any": ["gazelle"]
    }


def test_a_policy_without_criteria_still_says_why_it_matches() -> None:
    """Every enterprise qualifies; the match is never without its reason."""
    policy = SimpleNamespace(industries=[], criteria={}, expires_on=None)
    enterprise = SimpleNamespace(industry="C1361")
    result = evaluate(policy, enterprise, TODAY)
    assert result.eligible and result.score == 100
    assert [r["text"] for r in result.reasons] == ["面向全市企业，无限制条件"]
    assert all(r["met"] for r in result.reasons)
