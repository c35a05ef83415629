"""站内搜索: one box on the home page that searches policies, matters, notices and the knowledge
base, each through the selector its own app offers, and shows the first hits of each."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from qifu.assistant.selectors import faq_search_public
from qifu.content.selectors import notice_search_public
from qifu.core.segmentation import words
from qifu.matters.selectors import matters_search
from qifu.policies.search import policy_search

PER_GROUP = 5
MAX_WORDS = 6


@dataclass(frozen=True)
class Hit:
    title: SafeString
    url: str
    text: SafeString
    meta: str = ""


@dataclass
class Group:
    code: str
    title: str
    more_url: str
    hits: list[Hit] = field(default_factory=list)


def _plain(text: str, length: int = 90) -> SafeString:
    return SafeString(escape(Truncator(text).chars(length)))


def _terms(q: str) -> list[str]:
    # jieba words, without one-character particles, so "食品生产的许可" finds "食品生产许可".
    found = [w for w in dict.fromkeys(words(q)) if len(w.strip()) > 1]
    return found[:MAX_WORDS] or [q]


def site_search(q: str) -> list[Group]:
    """The first hits of each kind for `q`; empty groups are kept so the page says so."""
    q = q.strip()[:50]
    if not q:
        return []
    terms = _terms(q)
    query = urlencode({"q": q})
    policies = Group("policies", "政策", f"{reverse('policies:library')}?{query}")
    for hit in policy_search(q=q, limit=PER_GROUP):
        policies.hits.append(
            Hit(
                title=hit.title_html,
                url=reverse("policies:detail", args=[hit.policy.code]),
                text=hit.snippet_html,
                meta=f"{hit.policy.issuer} · {hit.policy.published_on:%Y-%m-%d}",
            )
        )
    matters = Group("matters", "办事事项", f"{reverse('matters:catalogue')}?{query}")
    for matter in matters_search(query=q)[:PER_GROUP]:
        matters.hits.append(
            Hit(
                title=_plain(matter.name, 60),
                url=reverse("matters:detail", args=[matter.code]),
                text=_plain(matter.conditions),
                meta=str(matter.department),
            )
        )
    notices = Group("notices", "通知公告与工作动态", reverse("content:news"))
    for notice in notice_search_public(words=terms, limit=PER_GROUP):
        notices.hits.append(
            Hit(
                title=_plain(notice.title, 60),
                url=reverse("content:news_detail", args=[notice.pk]),
                text=_plain(notice.summary or notice.body),
                meta=f"{notice.get_kind_display()} · {notice.published_at:%Y-%m-%d}"
                if notice.published_at
                else notice.get_kind_display(),
            )
        )
    answers = Group("faq", "常见问题", reverse("assistant:ask"))
    for faq in faq_search_public(words=terms, limit=PER_GROUP):
        answers.hits.append(
            Hit(
                title=_plain(faq.question, 60),
                url=reverse("assistant:ask"),
                text=_plain(faq.answer, 160),
                meta=faq.category,
            )
        )
    return [policies, matters, notices, answers]
