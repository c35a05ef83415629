"""Word-segmented similarity: department suggestions from past appeals, and likely duplicates."""

from __future__ import annotations

from typing import Any

from qifu.appeals import services, similarity
from qifu.appeals.models import AppealCategory


def test_words_are_segmented_and_stopwords_dropped(db: Any) -> None:
    words = similarity.tokens("我公司门前道路破损严重，请协调修复")
    assert {"道路", "破损", "修复"} <= words
    assert "我公司" not in words and "协调" not in words


def test_the_category_default_department_is_suggested_first(
    make_appeal: Any, department: Any
) -> None:
    suggestions = similarity.suggest_departments(make_appeal())
    assert suggestions[0].department == department
    assert suggestions[0].reasons == ["类别默认承办部门"]


def test_the_department_of_a_similar_past_appeal_is_suggested(
    make_appeal: Any, platform_staff: Any, other_department: Any, db: Any
) -> None:
    no_default = AppealCategory.objects.create(code="QT", name="其他")
    past = make_appeal(
        category=no_default, title="厂区门前市政道路破损积水", content="市政道路破损，雨天积水严重"
    )
    services.appeal_dispatch(appeal=past, user=platform_staff, department=other_department)
    make_appeal(category=no_default, title="申请出口退税咨询", content="出口退税政策如何申请")
    new = make_appeal(
        category=no_default, title="门前市政道路破损，货车无法通行", content="道路破损积水"
    )
    suggestions = similarity.suggest_departments(new)
    assert [s.department for s in suggestions] == [other_department]
    assert suggestions[0].examples == [past.number]
    assert "相似诉求1件由其办理" in suggestions[0].reasons


def test_an_unrelated_past_appeal_suggests_nothing(
    make_appeal: Any, platform_staff: Any, other_department: Any, db: Any
) -> None:
    no_default = AppealCategory.objects.create(code="QT", name="其他")
    past = make_appeal(category=no_default, title="出口退税咨询", content="出口退税如何办理")
    services.appeal_dispatch(appeal=past, user=platform_staff, department=other_department)
    new = make_appeal(category=no_default, title="招聘高校毕业生补贴", content="就业见习补贴")
    assert similarity.suggest_departments(new) == []


def test_open_appeals_of_the_same_enterprise_with_the_same_words_look_like_duplicates(
    make_appeal: Any, other_enterprise_user: Any
) -> None:
    first = make_appeal()
    make_appeal(title="出口退税咨询", content="出口退税如何办理")
    make_appeal(user=other_enterprise_user)  # the same words, but another enterprise
    again = make_appeal(title="技改设备奖补资金一直未拨付")
    assert [d.appeal for d in similarity.likely_duplicates(again)] == [first]


def test_weighted_jaccard_counts_rare_shared_words_most() -> None:
    a, b = frozenset({"道路", "破损"}), frozenset({"道路", "退税"})
    assert similarity.weighted_jaccard(a, a, {}) == 1.0
    rare = similarity.weighted_jaccard(a, b, {"道路": 5.0, "破损": 1.0, "退税": 1.0})
    common = similarity.weighted_jaccard(a, b, {"道路": 1.0, "破损": 5.0, "退税": 5.0})
    assert rare > common
    assert similarity.weighted_jaccard(frozenset(), frozenset(), {}) == 0.0
