"""Word-segmented similarity of appeals: who handled similar ones, and likely duplicates.

Triage proposes a department from the category's default and from the departments of similar
past appeals; it also lists open appeals of the same enterprise that look like duplicates. The
measure is a TF-IDF weighted Jaccard over jieba's words of title and content: cheap, explainable,
and good enough to rank a handful of suggestions a person then confirms.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from qifu.accounts.models import Department
from qifu.appeals.models import OPEN_STAGES, Appeal, Stage
from qifu.core.segmentation import jieba_module

CORPUS_SIZE = 2000
DEPARTMENT_THRESHOLD = 0.12
DUPLICATE_THRESHOLD = 0.35
_CACHE_LIMIT = 20000

# Words per appeal, keyed by the pk and the text (which never changes after filing).
_token_cache: dict[tuple[int, int], frozenset[str]] = {}

_STOPWORD_TEXT = (
    "的 了 和 与 及 或 在 是 我 我们 公司 企业 我公司 贵 请 对 为 "
    "将 已 但 有 无 也 就 都 而 被 一个 这个 那个 进行 相关 问题 "
    "情况 希望 能够 可以 需要 协调 帮助 解决 申请 目前 至今 非常 没有 "
    "还是 因为 所以 如果 "
)
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_WORD = re.compile(r"[\w\u4e00-\u9fff]")


def tokens(text: str) -> frozenset[str]:
    """The distinct meaningful words of a text (single characters and stopwords dropped)."""
    words = jieba_module().lcut(text.lower())
    return frozenset(
        w
        for w in (w.strip() for w in words)
        if len(w) >= 2 and w not in _STOPWORDS and _WORD.search(w) and not w.isdigit()
    )


def _appeal_tokens(pk: int, title: str, content: str) -> frozenset[str]:
    text = f"{title}\n{content}"
    key = (pk, hash(text))
    cached = _token_cache.get(key)
    if cached is None:
        cached = tokens(text)
        if len(_token_cache) >= _CACHE_LIMIT:
            _token_cache.clear()
        _token_cache[key] = cached
    return cached


def weighted_jaccard(a: frozenset[str], b: frozenset[str], idf: dict[str, float]) -> float:
    """Σ idf over shared words / Σ idf over all words: rare shared words count most."""
    union = a | b
    if not union:
        return 0.0
    default = max(idf.values(), default=1.0)
    total = sum(idf.get(w, default) for w in union)
    shared = sum(idf.get(w, default) for w in a & b)
    return shared / total if total else 0.0


@dataclass
class DepartmentSuggestion:
    department: Department
    score: float
    reasons: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)


def _corpus(exclude_pk: int) -> list[tuple[int, int, frozenset[str], str]]:
    rows = (
        Appeal.objects.filter(
            stage__in=(Stage.CLOSED, Stage.DISPATCHED, Stage.RESPONDED, Stage.FOLLOWED_UP),
            department__isnull=False,
            merged_into__isnull=True,
        )
        .exclude(pk=exclude_pk)
        .order_by("-received_at", "-id")
        .values_list("pk", "department_id", "title", "content", "number")[:CORPUS_SIZE]
    )
    return [
        (pk, dep, _appeal_tokens(pk, title, content), number)
        for pk, dep, title, content, number in rows
    ]


def _idf(documents: list[frozenset[str]]) -> dict[str, float]:
    df: Counter[str] = Counter()
    for words in documents:
        df.update(words)
    n = len(documents) + 1
    return {w: math.log(n / (1 + c)) + 1.0 for w, c in df.items()}


def suggest_departments(appeal: Appeal, *, limit: int = 3) -> list[DepartmentSuggestion]:
    """The category's default department first, then those that handled similar appeals."""
    found: dict[int, DepartmentSuggestion] = {}
    default = appeal.category.default_department if appeal.category_id else None
    if default is not None and default.is_active:
        found[default.pk] = DepartmentSuggestion(default, 1.0, ["类别默认承办部门"])
    corpus = _corpus(appeal.pk)
    if corpus:
        mine = (
            _appeal_tokens(appeal.pk, appeal.title, appeal.content)
            if appeal.pk
            else tokens(f"{appeal.title}\n{appeal.content}")
        )
        idf = _idf([words for _, _, words, _ in corpus])
        best: dict[int, tuple[float, list[str]]] = {}
        for _pk, dep_id, words, number in corpus:
            score = weighted_jaccard(mine, words, idf)
            if score < DEPARTMENT_THRESHOLD:
                continue
            top, examples = best.get(dep_id, (0.0, []))
            examples.append(number)
            best[dep_id] = (max(top, score), examples)
        departments = Department.objects.in_bulk(list(best), field_name="pk")
        for dep_id, (score, examples) in sorted(best.items(), key=lambda kv: -kv[1][0]):
            department = departments.get(dep_id)
            if department is None or not department.is_active:
                continue
            reason = f"相似诉求{len(examples)}件由其办理"
            if dep_id in found:
                found[dep_id].reasons.append(reason)
                found[dep_id].examples = examples[:3]
            else:
                found[dep_id] = DepartmentSuggestion(department, score, [reason], examples[:3])
    ordered = sorted(found.values(), key=lambda s: (-len(s.reasons), -s.score))
    return ordered[:limit]


@dataclass
class Duplicate:
    appeal: Appeal
    score: float


def likely_duplicates(appeal: Appeal, *, limit: int = 5) -> list[Duplicate]:
    """Open appeals of the same enterprise whose words overlap this one's a lot."""
    if appeal.enterprise_id is None:
        return []  # an appeal from outside whose enterprise is not yet known has no siblings
    others = list(
        Appeal.objects.filter(
            enterprise_id=appeal.enterprise_id, stage__in=OPEN_STAGES, merged_into__isnull=True
        )
        .exclude(pk=appeal.pk)
        .select_related("department")
        .order_by("-received_at")[:50]
    )
    if not others:
        return []
    mine = _appeal_tokens(appeal.pk, appeal.title, appeal.content)
    documents = {o.pk: _appeal_tokens(o.pk, o.title, o.content) for o in others}
    idf = _idf([mine, *documents.values()])
    found = [
        Duplicate(o, score)
        for o in others
        if (score := weighted_jaccard(mine, documents[o.pk], idf)) >= DUPLICATE_THRESHOLD
    ]
    return sorted(found, key=lambda d: -d.score)[:limit]
