from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from qifu.accounts.models import Department, User
from qifu.core import segmentation
from qifu.policies.models import Policy
from qifu.policies.search import (
    ASSISTANT_HINT,
    FTS_TABLE,
    highlight,
    policy_index,
    policy_reindex_all,
    policy_search,
    policy_search_suggestions,
    policy_unindex,
    query_terms,
    snippet,
)
from qifu.publishing.models import PublicationStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def make_policy(department: Department, department_admin: User) -> Callable[..., Policy]:
    counter = {"n": 0}

    def make(*, index: bool = True, **fields: Any) -> Policy:
        counter["n"] += 1
        defaults: dict[str, Any] = {
            "code": f"RC-TEST-{counter['n']:04d}",
            "title": f"测试政策{counter['n']}",
            "issuer": department,
            "provider_department": department,
            "created_by": department_admin,
            "published_on": dt.date(2026, 3, 1),
            "status": PublicationStatus.PUBLISHED,
        }
        policy = Policy.objects.create(**{**defaults, **fields})
        if index:
            policy_index(policy=policy)
        return policy

    return make


def codes(hits: list[Any]) -> list[str]:
    return [h.policy.code for h in hits]


def index_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {FTS_TABLE}")  # noqa: S608 (constant)
        return int(cursor.fetchone()[0])


def test_a_word_of_a_title_finds_that_policy_first_among_those_containing_it(make_policy):
    for n in range(3):
        make_policy(
            title=f"关于做好{n}季度安全生产工作的通知",
            body="海洋牧场建设要同步做好安全检查。海洋牧场作业船只要登记。" * 3,
        )
    make_policy(
        title="渔业资源养护补助",
        summary="支持海洋牧场、人工鱼礁建设。",
        tags=["海洋牧场"],
        body="海洋牧场" * 20,
    )
    wanted = make_policy(title="海洋牧场示范奖励办法", body="对新认定的示范项目给予奖励。")
    make_policy(title="外贸企业出口信用保险补贴", body="与本次检索无关。")

    hits = policy_search(q="海洋牧场")

    assert codes(hits)[0] == wanted.code
    assert len(hits) == 5


def test_specialized_new_query_finds_specialized_new_policies(make_policy):
    wanted = make_policy(title="专精特新中小企业认定奖励政策", summary="对首次认定的给予奖励。")
    make_policy(title="高新技术企业培育奖励", summary="对首次认定的给予奖励。")

    assert codes(policy_search(q="专精特新")) == [wanted.code]


def test_a_multi_word_query_needs_every_word(make_policy):
    both = make_policy(title="高新技术企业研发费用补助", body="按研发投入给予补助。")
    make_policy(title="高新技术企业认定奖励", body="一次性奖励十万元。")
    make_policy(title="规上企业研发费用后补助", body="按研发投入给予补助。")

    assert codes(policy_search(q="高新技术 研发费用")) == [both.code]
    assert codes(policy_search(q="高新技术企业的研发费用")) == [both.code]


def test_a_single_character_query_matches_words_starting_with_it(make_policy):
    tax = make_policy(title="税收优惠政策汇编")
    make_policy(title="人才引进奖励办法")

    assert codes(policy_search(q="税")) == [tax.code]


def test_unpublished_and_expired_policies_are_not_found(make_policy):
    shown = make_policy(title="渔业产业发展扶持政策")
    make_policy(title="渔业产业发展扶持政策（草稿）", status=PublicationStatus.DRAFT)
    make_policy(title="渔业产业发展扶持政策（已撤回）", status=PublicationStatus.WITHDRAWN)
    lapsed = make_policy(title="渔业产业发展扶持政策（旧）", expires_on=dt.date(2026, 5, 31))
    marked = make_policy(title="渔业产业扶持政策（失效）", status=PublicationStatus.EXPIRED)

    assert codes(policy_search(q="渔业产业")) == [shown.code]
    assert codes(policy_search(q="渔业产业", in_force=True)) == [shown.code]
    assert set(codes(policy_search(q="渔业产业", in_force=False))) == {lapsed.code, marked.code}


def test_filters_by_issuer_dates_industry_and_tag(make_policy, other_department):
    ours = make_policy(
        title="水产品加工企业技术改造补助",
        published_on=dt.date(2026, 1, 10),
        industries=["C13"],
        tags=["技术改造", "水产"],
    )
    theirs = make_policy(
        title="建筑企业技术改造补助",
        issuer=other_department,
        published_on=dt.date(2026, 4, 10),
        industries=["E47"],
        tags=["技术改造"],
    )
    anyone = make_policy(title="中小企业技术改造补助", published_on=dt.date(2026, 2, 10))

    assert set(codes(policy_search(q="技术改造", issuer=other_department))) == {theirs.code}
    assert set(codes(policy_search(q="技术改造", published_from=dt.date(2026, 2, 1)))) == {
        theirs.code,
        anyone.code,
    }
    assert set(codes(policy_search(q="技术改造", published_to=dt.date(2026, 1, 31)))) == {ours.code}
    assert set(codes(policy_search(q="技术改造", industry="C1361"))) == {ours.code, anyone.code}
    assert set(codes(policy_search(q="技术改造", tag="水产"))) == {ours.code}
    assert codes(policy_search(q="技术改造", tag="不存在的标签")) == []


def test_reindexing_after_an_edit_finds_the_new_words_only(make_policy):
    policy = make_policy(title="港口物流发展扶持办法")
    assert codes(policy_search(q="港口物流")) == [policy.code]

    policy.title = "冷链仓储建设扶持办法"
    policy.save()
    policy_index(policy=policy)
    policy_index(policy=policy)

    assert codes(policy_search(q="港口物流")) == []
    assert codes(policy_search(q="冷链仓储")) == [policy.code]
    assert index_rows() == 1


def test_an_unindexed_policy_is_found_after_the_reindex_command(make_policy):
    policy = make_policy(title="海洋牧场示范奖励", index=False)
    assert policy_search(q="海洋牧场") == []

    out = StringIO()
    call_command("reindex_policies", stdout=out)

    assert codes(policy_search(q="海洋牧场")) == [policy.code]
    assert "1" in out.getvalue()
    policy.refresh_from_db()
    assert "海洋" in policy.search_text.split()


def test_a_policy_removed_from_the_index_is_no_longer_found(make_policy):
    policy = make_policy(title="海洋牧场示范奖励")

    policy_unindex(policy_id=policy.pk)

    assert index_rows() == 0
    assert policy_search(q="海洋牧场") == []


def test_indexing_a_policy_that_no_longer_exists_only_removes_its_row(make_policy):
    kept = make_policy(title="海洋牧场示范奖励")
    ghost = Policy(pk=kept.pk + 1000, title="海洋牧场建设补助", issuer=kept.issuer)

    policy_index(policy=ghost)

    assert index_rows() == 1
    assert policy_reindex_all() == 1
    assert codes(policy_search(q="海洋牧场")) == [kept.code]


def test_results_are_paged_by_limit_and_offset(make_policy):
    for n in range(5):
        make_policy(title=f"人才引进奖励办法第{n}号")

    first = policy_search(q="人才引进", limit=2)
    second = policy_search(q="人才引进", limit=2, offset=2)
    last = policy_search(q="人才引进", limit=2, offset=4)

    assert len(first) == 2 and len(second) == 2 and len(last) == 1
    assert len(set(codes(first + second + last))) == 5


def test_hits_carry_escaped_highlights_of_title_and_text(make_policy):
    make_policy(
        title="<b>海洋牧场</b>示范奖励",
        summary="为推进海洋牧场建设，对认定为示范的给予奖励。",
    )

    (hit,) = policy_search(q="海洋牧场")

    assert hit.title_html == "&lt;b&gt;<mark>海洋</mark><mark>牧场</mark>&lt;/b&gt;示范奖励" or (
        hit.title_html == "&lt;b&gt;<mark>海洋牧场</mark>&lt;/b&gt;示范奖励"
    )
    assert "<mark>" in hit.snippet_html and "<b>" not in hit.snippet_html
    assert hit.rank > 0


def test_a_snippet_is_cut_around_the_first_match_of_a_long_text():
    text = "无关内容" * 50 + "海洋牧场" + "其他内容" * 50

    cut = snippet(["", text], ["海洋牧场"])

    assert cut.startswith("…") and cut.endswith("…")
    assert "<mark>海洋牧场</mark>" in cut
    assert len(cut) < 160
    assert highlight("a<b", ["b"]) == "a&lt;<mark>b</mark>"


def test_a_search_without_result_suggests_title_words_sharing_a_character(make_policy):
    make_policy(title="海洋牧场示范奖励")
    make_policy(title="海洋经济发展专项资金")
    make_policy(title="人才引进奖励办法")

    assert policy_search(q="海洋渔船") == []
    suggestions = policy_search_suggestions(q="海洋渔船")

    assert suggestions[0] == "海洋"
    assert {"海洋", "牧场", "海洋经济"} & set(suggestions)
    assert "人才" not in suggestions
    assert policy_search_suggestions(q="渔") == []
    assert "智能助手" in ASSISTANT_HINT


def test_an_empty_or_punctuation_query_finds_nothing(make_policy):
    make_policy(title="海洋牧场示范奖励")

    assert policy_search(q="") == []
    assert policy_search(q=" ，。！") == []
    assert policy_search_suggestions(q="!!") == []


def test_quotes_and_operators_in_a_query_are_plain_words(make_policy):
    policy = make_policy(title="海洋牧场 OR 奖励")

    assert policy_search(q='"海洋 OR NEAR(牧场') == [] or codes(
        policy_search(q='"海洋 OR NEAR(牧场')
    ) == [policy.code]
    assert policy_search(q="海洋'牧场\\") == [] or len(policy_search(q="海洋'牧场\\")) == 1


def test_query_terms_accept_either_a_word_or_its_parts():
    terms = query_terms("中小企业奖励")

    assert terms.groups[0][0] == ("中小企业",)
    assert "中小" in terms.groups[0][1]
    assert terms.groups[-1] == (("奖励",),)
    assert not terms.prefix


def test_segmentation_drops_punctuation_and_single_stop_characters():
    assert segmentation.segment("关于支持5G基站建设的若干措施（试行）") == [
        "关于",
        "支持",
        "5g",
        "基站",
        "建设",
        "若干",
        "措施",
        "试行",
    ]
    assert segmentation.segment("税") == ["税"]
    assert segmentation.segment("的") == []
    assert segmentation.segment("  ") == []


def test_jieba_is_loaded_once_and_shared():
    segmentation.warm_up()

    assert segmentation.jieba_module() is segmentation.jieba_module()
    assert segmentation.jieba_module().dt.initialized


def test_a_given_queryset_is_the_set_searched_even_with_joins(make_policy, other_department):
    ours = make_policy(title="海洋牧场示范奖励")
    make_policy(title="海洋牧场建设补助", issuer=other_department)
    draft = make_policy(title="海洋牧场规划（草稿）", status=PublicationStatus.DRAFT)

    joined = Policy.objects.filter(issuer__short_name="工信局")
    plain = Policy.objects.filter(status=PublicationStatus.DRAFT)

    assert set(codes(policy_search(q="海洋牧场", queryset=joined))) == {ours.code, draft.code}
    assert codes(policy_search(q="海洋牧场", queryset=plain)) == [draft.code]


def test_an_unfiltered_or_empty_queryset_is_searched_as_given(make_policy):
    draft = make_policy(title="海洋牧场规划（草稿）", status=PublicationStatus.DRAFT)

    assert codes(policy_search(q="海洋牧场", queryset=Policy.objects.all())) == [draft.code]
    assert policy_search(q="海洋牧场", queryset=Policy.objects.none()) == []


def test_indexing_follows_the_stored_row_not_a_stale_instance(make_policy):
    stale = make_policy(title="港口物流发展扶持办法")
    Policy.objects.filter(pk=stale.pk).update(title="冷链仓储建设扶持办法")

    policy_index(policy=stale)

    assert codes(policy_search(q="冷链仓储")) == [stale.code]
    assert policy_search(q="港口物流") == []
    assert "冷链" in stale.search_text.split()


def test_words_matched_side_by_side_are_one_highlight():
    from qifu.policies.search import highlight

    assert str(highlight("荣成市专精特新企业认定", ["专精", "特新"])) == (
        "荣成市<mark>专精特新</mark>企业认定"
    )


def test_cached_results_follow_a_change_of_status_and_the_api_loads_only_its_page(
    make_policy: Any, django_assert_max_num_queries: Any
) -> None:
    from django.core.cache import cache
    from django.test import Client

    cache.clear()
    policies = [make_policy(title=f"海洋牧场示范奖励第{i}批") for i in range(25)]
    client = Client()
    url = "/api/v1/policies?q=海洋牧场&limit=5"
    assert client.get(url).json()["count"] == 25
    with django_assert_max_num_queries(1):  # ranked ids from the cache, one page loaded
        page = client.get(url).json()
    assert page["count"] == 25 and len(page["items"]) == 5
    policies[0].status = PublicationStatus.DRAFT  # withdrawn: the cached ranking is dropped
    policies[0].save()
    assert client.get(url).json()["count"] == 24
    assert policies[0].code not in codes(policy_search(q="海洋牧场", limit=100))
    cache.clear()
