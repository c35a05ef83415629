"""Suggested pairs of a technical need and a university resource, with the reasons.

The words come from the platform's one Chinese segmentation (`qifu.core.segmentation.words`,
jieba, the same as site search), plus the keywords each side listed, kept whole. A pair
scores by its industrial chain (the same chain counts INDUSTRY_WEIGHT) and by the words its
texts share, each weighted by how rare it is among the published needs and resources (IDF),
over the words of the shorter text. A pair is suggested only when the texts share at least
one meaningful word: the chain alone says too little. Cheap and explainable: a handful of
suggestions that people then confirm by proposing.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from qifu.cooperation.models import Industry, Resource, ResourceKind, TechNeed
from qifu.core.segmentation import words

INDUSTRY_WEIGHT = 0.3
MIN_SCORE = 0.15
CORPUS_LIMIT = 1000
REASON_WORDS = 6

# Words every need or resource uses: they say nothing about which fits which.
_STOPWORD_TEXT = (
    "技术 企业 公司 研究 研发 开发 需求 需要 合作 提供 进行 相关 我们 "
    "学院 大学 学校 研究所 实验室 希望 能够 可以 解决 问题 项目 服务 "
    "平台 方面 以及 工作 国内 国际 领先 水平 具有 主要 包括 采用 目前 "
    "现有 一种 实现 通过 提高 提升 用于 应用 成果 转化 专家 团队 设备 "
    "仪器 我司 万元 荣成 威海 制备 加工 生产 产品 利用 "
)
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def terms(text: str) -> frozenset[str]:
    """The meaningful words of a text: jieba's words of two characters or more, no stopwords."""
    return frozenset(
        w for w in words(text) if len(w) >= 2 and not w.isdigit() and w not in STOPWORDS
    )


_KEYWORD_SPLIT = re.compile(r"[、，,；;/\s]+")


def keyword_terms(keywords: str) -> frozenset[str]:
    """The keywords a person listed, each kept whole: jieba's dictionary lacks many technical
    words (酶解, 海参肽) and would cut them into single characters, which carry nothing."""
    return frozenset(k.lower() for k in _KEYWORD_SPLIT.split(keywords.strip()) if 2 <= len(k) <= 20)


_cache: dict[tuple[str, int, int], frozenset[str]] = {}
_CACHE_LIMIT = 20000


def _terms_of(item: Any) -> frozenset[str]:
    # Keyed by the revision: an edited text is segmented again.
    key = (type(item).__name__, item.pk, item.revision)
    found = _cache.get(key)
    if found is None:
        found = terms(item.match_text) | keyword_terms(item.keywords)
        if len(_cache) >= _CACHE_LIMIT:
            _cache.clear()
        _cache[key] = found
    return found


@dataclass
class Suggestion:
    item: Any  # a Resource for a need, a TechNeed for a resource
    score: float
    reasons: list[str] = field(default_factory=list)
    shared: list[str] = field(default_factory=list)
    # The co-operation already recorded for the pair, if any (set by the page that shows it).
    cooperation: Any = None


def _idf(documents: list[frozenset[str]]) -> dict[str, float]:
    counts: Counter[str] = Counter()
    for doc in documents:
        counts.update(doc)
    n = len(documents) or 1
    return {w: math.log((n + 1) / (c + 1)) + 1 for w, c in counts.items()}


def score_pair(
    need_terms: frozenset[str],
    resource_terms: frozenset[str],
    same_industry: bool,
    idf: dict[str, float],
) -> tuple[float, list[str]]:
    """The pair's score and its shared words, rarest first."""
    shared = need_terms & resource_terms
    if not shared:
        return 0.0, []
    default = max(idf.values(), default=1.0)
    weight = {w: idf.get(w, default) for w in need_terms | resource_terms}
    smaller = min(sum(weight[w] for w in need_terms), sum(weight[w] for w in resource_terms)) or 1.0
    content = min(sum(weight[w] for w in shared) / smaller, 1.0)
    score = (1 - INDUSTRY_WEIGHT) * content + (INDUSTRY_WEIGHT if same_industry else 0.0)
    ranked = sorted(shared, key=lambda w: (-weight[w], w))
    return round(score, 3), ranked


def _reasons(need: TechNeed, resource: Resource, shared: list[str]) -> list[str]:
    reasons = []
    if need.industry == resource.industry and need.industry != Industry.OTHER:
        reasons.append(f"同属“{Industry(need.industry).label}”产业链")
    reasons.append("内容相近：" + "、".join(shared[:REASON_WORDS]))
    if resource.kind == ResourceKind.RESULT:
        reasons.append("高校有可转化的科技成果")
    elif resource.kind == ResourceKind.LAB:
        reasons.append("高校实验室和仪器设备可共享使用")
    else:
        reasons.append("高校专家可提供技术指导")
    return reasons


def _published_resources() -> list[Resource]:
    return list(
        Resource.objects.published()
        .select_related("provider")
        .order_by("-published_at")[:CORPUS_LIMIT]
    )


def _published_needs() -> list[TechNeed]:
    return list(
        TechNeed.objects.published()
        .select_related("enterprise")
        .order_by("-published_at")[:CORPUS_LIMIT]
    )


def _corpus_idf(resources: list[Resource], needs: list[TechNeed]) -> dict[str, float]:
    return _idf([_terms_of(r) for r in resources] + [_terms_of(n) for n in needs])


def suggest_resources(need: TechNeed, *, limit: int = 5) -> list[Suggestion]:
    """Published resources that fit a need, best first, each with its reasons."""
    resources = _published_resources()
    idf = _corpus_idf(resources, _published_needs())
    mine = _terms_of(need)
    found = []
    for resource in resources:
        score, shared = score_pair(
            mine, _terms_of(resource), need.industry == resource.industry, idf
        )
        if score >= MIN_SCORE:
            found.append(Suggestion(resource, score, _reasons(need, resource, shared), shared))
    found.sort(key=lambda s: (-s.score, s.item.pk))
    return found[:limit]


def suggest_needs(resource: Resource, *, limit: int = 5) -> list[Suggestion]:
    """Published needs a resource fits, best first, each with its reasons."""
    needs = _published_needs()
    idf = _corpus_idf(_published_resources(), needs)
    mine = _terms_of(resource)
    found = []
    for need in needs:
        score, shared = score_pair(_terms_of(need), mine, need.industry == resource.industry, idf)
        if score >= MIN_SCORE:
            found.append(Suggestion(need, score, _reasons(need, resource, shared), shared))
    found.sort(key=lambda s: (-s.score, s.item.pk))
    return found[:limit]


def pair_reasons(need: TechNeed, resource: Resource) -> list[str]:
    """The reasons of one pair (kept on a co-operation proposed from it)."""
    idf = _corpus_idf(_published_resources(), _published_needs())
    _score, shared = score_pair(
        _terms_of(need), _terms_of(resource), need.industry == resource.industry, idf
    )
    if not shared:
        return []
    return _reasons(need, resource, shared)
