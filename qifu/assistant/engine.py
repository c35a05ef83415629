"""The answering engine: BM25 over each entry's question and similar questions, with synonyms.

The index lives in the process and is rebuilt only when the live knowledge base changes: every
service that changes it bumps `KnowledgeVersion`, and `answer()` compares that one number with
the version its index was built from (one indexed query per question, no rebuild per request).

Ranking is BM25 (k1=1.2, b=0.75) where every phrasing of an entry (its standard question and each
similar question) is a short "title" document; an entry scores as its best phrasing. BM25 is not
bounded, so the confidence reported is a separate, normalised number in [0, 1]: the harmonic
mean of how much of the question (IDF-weighted) the phrasing covers and how much of the phrasing
the question covers. Below `THRESHOLD` the assistant does not guess and hands off to a person —
a question about the weather shares no weighty word with the base and scores near 0.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from qifu.core.segmentation import segment

K1 = 1.2
B = 0.75
# Chosen on the held-out set (tests/data/heldout.csv): correct paraphrases score 0.44–1.0, almost
# every off-topic question 0 (one word shared with the base at most gives ~0.3).
THRESHOLD = 0.4
# The standard question is the editor's phrasing and wins ties against a similar question.
QUESTION_WEIGHT = 1.0
SIMILAR_WEIGHT = 0.95

# The platform's domain vocabulary: every variant is rewritten to the first word of its group
# before segmentation, so "执照" and "营业执照" meet in the index.
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("营业执照", "执照", "营业证", "工商执照"),
    ("社会保险", "社保", "五险"),
    ("住房公积金", "公积金"),
    ("融资", "贷款", "借款", "借钱", "借到钱", "资金周转", "授信"),
    ("注销", "关闭公司", "关掉公司", "不干了", "歇业注销", "注销公司"),
    ("税务登记", "报税", "纳税申报", "申报纳税", "交税", "缴税", "纳税"),
    ("诉求", "投诉", "反映问题", "反映情况", "反映", "举报", "意见建议"),
    ("补贴", "奖补", "扶持资金", "补助", "奖励资金", "资金扶持", "奖金"),
    ("设立登记", "开公司", "注册公司", "成立公司", "办公司", "开办企业", "新办企业"),
    ("变更登记", "变更", "改名", "换法人", "变更法人", "改地址"),
    ("发票", "开票", "领票", "票据"),
    ("个体工商户", "个体户", "个体"),
    ("高新技术企业", "高企", "高新企业"),
    ("专精特新", "小巨人"),
    ("平台", "网站", "系统", "企服"),
    ("密码", "口令"),
    ("账号", "帐号", "用户名"),
    ("手机号", "手机号码", "电话号码"),
    ("政策", "文件", "政策文件"),
    ("申报", "申请", "报名"),
    ("进度", "状态", "到哪了", "办到哪"),
    ("期限", "时限", "多久", "多长时间", "几天", "多少天", "多少个工作日"),
    ("材料", "资料", "证明文件"),
    ("到期", "过期", "快过期", "届满"),
    ("忘记", "忘了", "想不起来", "记不住", "记不得"),
    ("贴息", "利息补贴", "贴利息", "补贴利息"),
    ("抵押物", "抵押", "房产抵押"),
    ("经营异常名录", "异常名录", "列入异常"),
    ("匹配", "符合哪些", "能享受哪些"),
    ("评价", "打分", "满意度"),
    ("招聘", "招工", "用工", "招人"),
    ("出口", "外贸", "进出口"),
    ("退税", "出口退税"),
    ("许可证", "许可", "证照"),
    ("食品经营许可", "食品许可", "卖食品"),
    ("消防", "消防验收", "消防检查"),
    ("工程建设", "施工许可", "建设项目"),
    ("担保", "担保费"),
    ("创业担保贷款", "创业贷"),
    ("人才", "引才", "人才引进"),
    ("研发", "研发费用", "科研"),
    ("加计扣除", "研发加计扣除"),
    ("年报", "年度报告", "企业年报"),
    ("退休", "养老"),
    ("工伤", "受伤"),
    ("失业保险", "稳岗"),
)

# Words that say nothing about which entry is meant.
STOP_WORDS = frozenset(
    [
        "请问",
        "怎么",
        "怎么样",
        "怎样",
        "如何",
        "什么",
        "哪些",
        "哪里",
        "哪儿",
        "哪个",
        "是否",
        "能否",
        "可以",
        "能不能",
        "可不可以",
        "需要",
        "要求",
        "我们",
        "我",
        "你",
        "你们",
        "他们",
        "一下",
        "一个",
        "有没有",
        "没有",
        "吗",
        "呢",
        "吧",
        "啊",
        "呀",
        "么",
        "还",
        "又",
        "想",
        "想要",
        "要",
        "应该",
        "办理",
        "办",
        "知道",
        "告诉",
        "问",
        "问问",
        "咨询",
        "现在",
        "目前",
        "这个",
        "那个",
        "哪",
        "谁",
        "多少",
        "为什么",
        "怎么办",
        "得",
        "去",
        "做",
        "公司",
        "企业",
        "我司",
        "本公司",
        "咱们",
        "您好",
        "你好",
        "谢谢",
    ]
)

_SYNONYM_MAP: dict[str, str] = {
    variant: group[0] for group in SYNONYMS for variant in group if variant != group[0]
}
# Longest first, so "营业执照" is matched as itself and never as "执照" inside it.
_SYNONYM_RE = re.compile(
    "|".join(re.escape(v) for v in sorted({v for g in SYNONYMS for v in g}, key=len, reverse=True))
)


def normalize(text: str) -> str:
    """Rewrite domain synonyms to one canonical word."""
    return _SYNONYM_RE.sub(lambda m: _SYNONYM_MAP.get(m.group(0), m.group(0)), text.lower())


def terms(text: str) -> list[str]:
    """The index terms of a text: synonyms unified, segmented, stop words dropped."""
    return [t for t in segment(normalize(text)) if t not in STOP_WORDS]


@dataclass(frozen=True)
class Entry:
    faq_id: int
    question: str
    answer: str
    similar_questions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match:
    faq_id: int | None
    question: str
    answer: str
    score: float
    answered: bool


@dataclass
class Index:
    """An immutable BM25 index over the phrasings of a set of entries."""

    entries: list[Entry]
    _docs: list[tuple[int, float, Counter[str]]] = field(default_factory=list)
    _postings: dict[str, list[int]] = field(default_factory=dict)
    _idf: dict[str, float] = field(default_factory=dict)
    _avg_len: float = 1.0
    _unseen_idf: float = 1.0

    @classmethod
    def build(cls, entries: Iterable[Entry]) -> Index:
        index = cls(entries=list(entries))
        for position, entry in enumerate(index.entries):
            phrasings = [(entry.question, QUESTION_WEIGHT)]
            phrasings += [(s, SIMILAR_WEIGHT) for s in entry.similar_questions if s.strip()]
            for text, weight in phrasings:
                counts = Counter(terms(text))
                if counts:
                    index._docs.append((position, weight, counts))
        df: Counter[str] = Counter()
        for doc_id, (_, _, counts) in enumerate(index._docs):
            for term in counts:
                df[term] += 1
                index._postings.setdefault(term, []).append(doc_id)
        n = max(len(index._docs), 1)
        index._idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        # A word the base never uses pulls confidence down like an average word: owners pad
        # questions with words of their own, and a question of nothing but such words scores 0.
        index._unseen_idf = sum(index._idf.values()) / len(index._idf) if index._idf else 1.0
        index._avg_len = sum(sum(c.values()) for _, _, c in index._docs) / n or 1.0
        return index

    def _confidence(self, query: set[str], doc: Counter[str]) -> float:
        idf = self._idf
        query_mass = sum(idf.get(t, self._unseen_idf) for t in query)
        doc_mass = sum(idf[t] for t in doc)
        shared = sum(idf[t] for t in query & doc.keys())
        if not shared or not query_mass or not doc_mass:
            return 0.0
        recall, precision = shared / query_mass, shared / doc_mass
        return 2 * recall * precision / (recall + precision)

    def search(self, question: str) -> Match:
        """The best entry for a question, with its confidence; `answered` only above THRESHOLD."""
        query = terms(question)
        best: tuple[float, int] | None = None
        scores: dict[int, float] = {}
        for term in set(query):
            idf = self._idf.get(term)
            if idf is None:
                continue
            for doc_id in self._postings[term]:
                _, weight, counts = self._docs[doc_id]
                tf = counts[term]
                length = sum(counts.values())
                norm = tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / self._avg_len))
                scores[doc_id] = scores.get(doc_id, 0.0) + weight * idf * norm
        for doc_id, bm25 in scores.items():
            if best is None or bm25 > best[0]:
                best = (bm25, doc_id)
        if best is None:
            return Match(faq_id=None, question="", answer="", score=0.0, answered=False)
        position, _, counts = self._docs[best[1]]
        entry = self.entries[position]
        confidence = round(self._confidence(set(query), counts), 4)
        return Match(
            faq_id=entry.faq_id,
            question=entry.question,
            answer=entry.answer,
            score=confidence,
            answered=confidence >= THRESHOLD,
        )


_lock = threading.Lock()
_cached: tuple[int, Index] | None = None


def current_version() -> int:
    from qifu.assistant.models import KnowledgeVersion

    row = KnowledgeVersion.objects.filter(pk=1).values_list("value", flat=True).first()
    return int(row or 0)


def live_index() -> Index:
    """The index of the live base, rebuilt when another process or request changed it."""
    global _cached
    version = current_version()
    cached = _cached
    if cached is not None and cached[0] == version:
        return cached[1]
    with _lock:
        if _cached is not None and _cached[0] == version:
            return _cached[1]
        from qifu.assistant.models import Faq

        entries = [
            Entry(
                faq_id=f.pk,
                question=f.question,
                answer=f.answer,
                similar_questions=tuple(f.similar_questions or ()),
            )
            for f in Faq.objects.live().only("pk", "question", "answer", "similar_questions")
        ]
        index = Index.build(entries)
        _cached = (version, index)
        return index


def reset() -> None:
    """Forget the process's index (tests switch databases under it)."""
    global _cached
    _cached = None
