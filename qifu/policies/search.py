"""Full-text search of the policy library (Chinese words by jieba, ranked by the database).

The index (`policies_policy_fts`, see migration 0002) holds jieba's words of each policy; SQLite
ranks with FTS5's bm25 and PostgreSQL with ts_rank over a weighted tsvector, the title weighing
most; and policies whose title contains every word of the query come first whatever their
rank, so a word of a title finds that policy before those that only mention it elsewhere.
Work is bounded: the database returns one page of ranked ids, then the rows are fetched by id.
Highlights are computed here from the original text, escaped, with matches in <mark>.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
import operator
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection, transaction
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from qifu.core.counts import bump, cached
from qifu.core.segmentation import STOP_CHARS, segment, words
from qifu.policies.models import Policy
from qifu.publishing.models import PublicationStatus

# The raw SQL below interpolates only constants such as this name (hence `noqa: S608`); every
# value, the query words included, is passed as a parameter.
FTS_TABLE = "policies_policy_fts"
# The cache topic of search results (qifu/core/counts.py): bumped by every write to the index
# and every save or deletion of a policy (qifu/policies/apps.py).
SEARCH_TOPIC = "policy-search"
# bm25 column weights in the FTS5 column order: title, summary, body, tags, issuer.
BM25_WEIGHTS = (10.0, 4.0, 1.0, 4.0, 0.5)
# ts_rank weights in PostgreSQL's order {D, C, B, A}: issuer D, body C, summary/tags B, title A.
TS_WEIGHTS = "{0.05, 0.2, 0.4, 1.0}"
SNIPPET_CHARS = 100
ASSISTANT_HINT = "没有找到相关政策？可以换个说法，或向智能助手描述企业情况，由它帮您查找。"
_PG_MAX_POSITION = 16383
_PG_MAX_POSITIONS_PER_WORD = 256
_CJK_CHAR = re.compile(r"[\u3400-\u9fff]")


# --- the index ---------------------------------------------------------------------------------


@functools.lru_cache(maxsize=8192)
def _short_words(text: str) -> tuple[str, ...]:
    return tuple(segment(text))


def _indexed_words(text: str) -> tuple[str, ...]:
    # Short texts are cached: issuers, tags and titles repeat across policies (synthetic volume
    # repeats a lot), so 100,000 policies index in seconds. Long bodies are not kept in memory.
    if len(text) <= 200:
        return _short_words(text)
    return tuple(segment(text))


def _fields(policy: Policy, issuer_name: str) -> tuple[str, str, str, str, str]:
    tags = " ".join(str(t) for t in policy.tags or [])
    return (policy.title, policy.summary, policy.body, tags, issuer_name)


def _sqlite_row(pk: int, fields: Sequence[str]) -> tuple[Any, ...]:
    return (pk, *(" ".join(_indexed_words(text)) for text in fields))


def _tsvector_literal(fields: Sequence[str]) -> str:
    """A tsvector literal with positions and weights; jieba's words are taken verbatim."""
    positions: dict[str, list[str]] = {}
    position = 0
    title, summary, body, tags, issuer = fields
    for text, weight in ((title, "A"), (summary, "B"), (tags, "B"), (body, "C"), (issuer, "D")):
        for word in _indexed_words(text):
            position = min(position + 1, _PG_MAX_POSITION)
            found = positions.setdefault(word, [])
            if len(found) < _PG_MAX_POSITIONS_PER_WORD:
                found.append(f"{position}{weight}")
    return " ".join(
        "'{}':{}".format(word.replace("'", "''"), ",".join(at)) for word, at in positions.items()
    )


def policy_title_words(policy: Policy) -> str:
    """The distinct words of the title, space-separated: `search_text`, used by suggestions."""
    return " ".join(dict.fromkeys(_indexed_words(policy.title)))


def _write_rows(rows: list[tuple[int, tuple[str, str, str, str, str]]]) -> None:
    if not rows:
        return
    bump(SEARCH_TOPIC)
    ids = [pk for pk, _ in rows]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (policy_id, document) VALUES (%s, %s::tsvector) "  # noqa: S608
                "ON CONFLICT (policy_id) DO UPDATE SET document = EXCLUDED.document",
                [(pk, _tsvector_literal(fields)) for pk, fields in rows],
            )
        else:
            marks = ",".join(["%s"] * len(ids))
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", ids)  # noqa: S608
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, title, summary, body, tags, issuer) "  # noqa: S608
                "VALUES (%s, %s, %s, %s, %s, %s)",
                [_sqlite_row(pk, fields) for pk, fields in rows],
            )


def policy_index(*, policy: Policy) -> None:
    """(Re)index one policy: call after every save of its content; idempotent, safe any time."""
    with transaction.atomic():
        # Read the row back: the index follows what is stored, whatever the caller holds.
        stored = Policy.objects.select_related("issuer").filter(pk=policy.pk).first()
        if stored is None:
            policy_unindex(policy_id=policy.pk)
            return
        policy.search_text = stored.search_text = policy_title_words(stored)
        Policy.objects.filter(pk=stored.pk).update(search_text=stored.search_text)
        _write_rows([(stored.pk, _fields(stored, stored.issuer.name))])


def policy_unindex(*, policy_id: int) -> None:
    """Remove a policy from the index (after it is deleted)."""
    column = "policy_id" if connection.vendor == "postgresql" else "rowid"
    bump(SEARCH_TOPIC)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE {column} = %s", [policy_id])  # noqa: S608


def policy_index_bulk(*, policies: Iterable[Policy], update_search_text: bool = True) -> int:
    """Index many policies in one pass (seeding, reindexing); `issuer` should be selected.

    Seeding passes update_search_text=False after filling `search_text` with
    `policy_title_words` before its bulk_create.
    """
    rows: list[tuple[int, tuple[str, str, str, str, str]]] = []
    changed: list[Policy] = []
    for policy in policies:
        rows.append((policy.pk, _fields(policy, policy.issuer.name)))
        if update_search_text:
            policy.search_text = policy_title_words(policy)
            changed.append(policy)
    with transaction.atomic():
        _write_rows(rows)
        if changed:
            Policy.objects.bulk_update(changed, ["search_text"], batch_size=500)
    return len(rows)


def policy_reindex_all(*, batch_size: int = 1000) -> int:
    """Rebuild the whole index from the policy table; returns how many policies it indexed."""
    total = 0
    last_id = 0
    # One transaction: searches keep seeing the old index until the new one is complete.
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608
        while True:
            # Keyset pagination: a deep OFFSET on 100,000 rows would rescan them every batch.
            chunk = list(
                Policy.objects.select_related("issuer")
                .filter(pk__gt=last_id)
                .order_by("pk")[:batch_size]
            )
            if not chunk:
                return total
            total += policy_index_bulk(policies=chunk)
            last_id = chunk[-1].pk


# --- queries -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueryTerms:
    """A query as groups of alternatives: every group must match, any alternative of it may."""

    groups: tuple[tuple[tuple[str, ...], ...], ...]
    prefix: bool = False

    @property
    def highlight_words(self) -> list[str]:
        found = {w for group in self.groups for alternative in group for w in alternative}
        return sorted(found, key=lambda w: (-len(w), w))


def query_terms(q: str) -> QueryTerms:
    """Each word of the query, or else its parts (jieba may cut a text differently in context)."""
    q = q.strip()
    groups: list[tuple[tuple[str, ...], ...]] = []
    for word in dict.fromkeys(words(q)):
        parts = tuple(p for p in dict.fromkeys(segment(word)) if p != word)
        groups.append(((word,), parts) if len(parts) > 1 else ((word,),))
    prefix = len(groups) == 1 and len(groups[0][0][0]) == 1
    return QueryTerms(tuple(groups), prefix=prefix)


def _fts5_string(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def fts5_query(terms: QueryTerms) -> str:
    """The FTS5 MATCH expression, e.g. `("海洋牧场" OR ("海洋" AND "牧场")) AND "奖励"`."""
    if terms.prefix:
        return _fts5_string(terms.groups[0][0][0]) + "*"
    return " AND ".join(
        "("
        + " OR ".join("(" + " AND ".join(_fts5_string(w) for w in alt) + ")" for alt in group)
        + ")"
        for group in terms.groups
    )


def _ts_lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def tsquery_literal(terms: QueryTerms) -> str:
    """The tsquery literal, e.g. `('海洋牧场' | ('海洋' & '牧场')) & '奖励'`."""
    if terms.prefix:
        return _ts_lexeme(terms.groups[0][0][0]) + ":*"
    return " & ".join(
        "(" + " | ".join("(" + " & ".join(_ts_lexeme(w) for w in alt) + ")" for alt in group) + ")"
        for group in terms.groups
    )


def _json_list_contains(field: str, value: str) -> Q:
    """`value` is an element of the JSON list `field` (SQLite has no JSON `contains` lookup)."""
    # SQLite stores JSON with json.dumps' ASCII escapes, PostgreSQL's jsonb prints characters.
    encoded = json.dumps(value, ensure_ascii=connection.vendor != "postgresql")
    return Q(**{f"_{field}_text__contains": encoded})


def _filtered(
    queryset: QuerySet[Policy],
    *,
    issuer: Any,
    industry: str | None,
    tag: str | None,
    in_force: bool | None,
    published_from: dt.date | None,
    published_to: dt.date | None,
) -> QuerySet[Policy]:
    today = timezone.localdate()
    if in_force is True:
        queryset = queryset.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today)).exclude(
            status=PublicationStatus.EXPIRED
        )
    elif in_force is False:
        queryset = queryset.filter(Q(expires_on__lt=today) | Q(status=PublicationStatus.EXPIRED))
    if issuer is not None:
        queryset = queryset.filter(issuer=issuer)
    if published_from is not None:
        queryset = queryset.filter(published_on__gte=published_from)
    if published_to is not None:
        queryset = queryset.filter(published_on__lte=published_to)
    if industry:
        code = industry.strip().upper()
        # A policy's industries are codes or prefixes (C13 covers C1361); empty means any.
        queryset = queryset.annotate(_industries_text=Cast("industries", TextField())).filter(
            Q(_industries_text="[]")
            | functools.reduce(
                operator.or_,
                [_json_list_contains("industries", code[:n]) for n in range(1, len(code) + 1)],
            )
        )
    if tag:
        queryset = queryset.annotate(_tags_text=Cast("tags", TextField())).filter(
            _json_list_contains("tags", tag.strip())
        )
    return queryset


def _public_policies(in_force: bool | None) -> QuerySet[Policy]:
    if in_force is False:
        # Expired ones are still published documents, searchable when asked for (已失效).
        return Policy.objects.filter(
            status__in=(PublicationStatus.PUBLISHED, PublicationStatus.EXPIRED)
        )
    return Policy.objects.published()


def _candidate_condition(candidates: QuerySet[Policy]) -> tuple[str, list[Any]]:
    """SQL restricting `policies_policy` rows to the candidates, for a join with the index.

    A plain filter on the one table is compiled into the WHERE of the join, so the index drives
    the query; `rowid IN (subquery)` would first build a list of every published policy
    (400 ms over 100,000 on SQLite). A queryset with joins falls back to the subquery.
    """
    query = candidates.order_by().values("pk").query
    compiler = query.get_compiler(connection=connection)
    try:
        if len(query.alias_map) <= 1:
            where_sql, where_params = compiler.compile(query.where)
            return (where_sql or "1 = 1"), list(where_params)
        subquery, sub_params = compiler.as_sql()
    except FullResultSet:
        return "1 = 1", []
    return f"policies_policy.id IN ({subquery})", list(sub_params)


def _ranked_ids(
    terms: QueryTerms, candidates: QuerySet[Policy], *, limit: int, offset: int
) -> list[tuple[int, float]]:
    """One page of (policy id, rank): titles containing the query first, then by rank."""
    condition, params = _candidate_condition(candidates)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT f.policy_id, ts_rank(%s::float4[], f.document, q.query) AS rank "  # noqa: S608
                f"FROM {FTS_TABLE} f CROSS JOIN (SELECT %s::tsquery AS query) q "
                "JOIN policies_policy ON policies_policy.id = f.policy_id "
                f"WHERE f.document @@ q.query AND ({condition}) "
                "ORDER BY ts_filter(f.document, '{a}') @@ q.query DESC, "
                "rank DESC, f.policy_id DESC LIMIT %s OFFSET %s",
                [TS_WEIGHTS, tsquery_literal(terms), *params, limit, offset],
            )
            return [(pk, float(rank)) for pk, rank in cursor.fetchall()]
        weights = ", ".join(str(w) for w in BM25_WEIGHTS)
        match = fts5_query(terms)
        # CROSS JOIN makes SQLite loop over the index matches first, then look the policy up.
        cursor.execute(
            f"SELECT {FTS_TABLE}.rowid, bm25({FTS_TABLE}, {weights}) AS rank FROM {FTS_TABLE} "  # noqa: S608
            f"CROSS JOIN policies_policy ON policies_policy.id = {FTS_TABLE}.rowid "
            f"WHERE {FTS_TABLE} MATCH %s AND ({condition}) "
            f"ORDER BY {FTS_TABLE}.rowid IN "
            f"(SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s) DESC, "
            f"rank, {FTS_TABLE}.rowid DESC LIMIT %s OFFSET %s",
            [match, *params, f"title : ({match})", limit, offset],
        )
        # bm25 is lower for better matches; the hits carry "higher is better" like PostgreSQL.
        return [(pk, -float(rank)) for pk, rank in cursor.fetchall()]


@dataclass(frozen=True)
class SearchHit:
    """A hit; its highlighted title and snippet are made only when shown (the API shows
    neither, and a page shows 20 of up to 100 hits)."""

    policy: Policy
    rank: float
    highlight_words: tuple[str, ...] = ()

    @functools.cached_property
    def title_html(self) -> SafeString:
        return highlight(self.policy.title, self.highlight_words)

    @functools.cached_property
    def snippet_html(self) -> SafeString:
        return snippet([self.policy.summary, self.policy.body], self.highlight_words)


def _mark(text: str, pattern: re.Pattern[str] | None) -> str:
    if pattern is None:
        return html.escape(text)
    out: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        out.append(html.escape(text[last : match.start()]))
        out.append(f"<mark>{html.escape(match.group(0))}</mark>")
        last = match.end()
    out.append(html.escape(text[last:]))
    # Words matched side by side (专精|特新) read as one highlight.
    return "".join(out).replace("</mark><mark>", "")


def highlight(text: str, highlight_words: Sequence[str]) -> SafeString:
    """The whole text, HTML-escaped, with every query word wrapped in <mark>."""
    return mark_safe(_mark(text, _pattern(highlight_words)))  # noqa: S308 - escaped by _mark


def snippet(texts: Sequence[str], highlight_words: Sequence[str]) -> SafeString:
    """About SNIPPET_CHARS characters around the first match in the first text that has one."""
    pattern = _pattern(highlight_words)
    texts = [re.sub(r"\s+", " ", t).strip() for t in texts if t and t.strip()]
    if not texts:
        return mark_safe("")
    chosen, position = texts[0], 0
    if pattern is not None:
        for text in texts:
            match = pattern.search(text)
            if match:
                chosen, position = text, match.start()
                break
    start = max(0, position - SNIPPET_CHARS // 4)
    end = min(len(chosen), start + SNIPPET_CHARS)
    body = _mark(chosen[start:end], pattern)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(chosen) else ""
    return mark_safe(prefix + body + suffix)  # noqa: S308 - escaped by _mark


def _pattern(highlight_words: Sequence[str]) -> re.Pattern[str] | None:
    if not highlight_words:
        return None
    ordered = sorted(set(highlight_words), key=lambda w: (-len(w), w))
    return re.compile("|".join(re.escape(w) for w in ordered), re.IGNORECASE)


def policy_search_ranked(
    *,
    terms: QueryTerms,
    issuer: Any = None,
    industry: str | None = None,
    tag: str | None = None,
    in_force: bool | None = None,
    published_from: dt.date | None = None,
    published_to: dt.date | None = None,
    queryset: QuerySet[Policy] | None = None,
    limit: int = 20,
    offset: int = 0,
) -> list[tuple[int, float]]:
    """(policy id, rank) of one page of `policy_search`, without loading the policies."""
    if not terms.groups:
        return []
    base = queryset if queryset is not None else _public_policies(in_force)
    candidates = _filtered(
        base,
        issuer=issuer,
        industry=industry,
        tag=tag,
        in_force=in_force,
        published_from=published_from,
        published_to=published_to,
    )
    page = (max(1, min(limit, 100)), max(0, offset))
    try:
        # The ranking (the full-text match over every candidate) is the search's cost: cached
        # for a minute per query, terms and page, dropped when the index changes (_write_rows).
        ranked, _ = cached(
            SEARCH_TOPIC,
            candidates,
            lambda: _ranked_ids(terms, candidates, limit=page[0], offset=page[1]),
            extra=f"{connection.vendor}|{terms!r}|{page}",
        )
    except EmptyResultSet:
        return []
    return ranked


def policy_search(
    *,
    q: str,
    issuer: Any = None,
    industry: str | None = None,
    tag: str | None = None,
    in_force: bool | None = None,
    published_from: dt.date | None = None,
    published_to: dt.date | None = None,
    queryset: QuerySet[Policy] | None = None,
    limit: int = 20,
    offset: int = 0,
) -> list[SearchHit]:
    """Published policies matching the words of `q`, most relevant first, one page (≤ 100).

    `in_force` None or True: policies in force only; False: expired ones only. `queryset`
    replaces the published policies as the set searched (e.g. a department's own).
    """
    terms = query_terms(q)
    ranked = policy_search_ranked(
        terms=terms,
        issuer=issuer,
        industry=industry,
        tag=tag,
        in_force=in_force,
        published_from=published_from,
        published_to=published_to,
        queryset=queryset,
        limit=limit,
        offset=offset,
    )
    rows = Policy.objects.select_related("issuer").in_bulk([pk for pk, _ in ranked])
    marked = tuple(terms.highlight_words)
    return [
        SearchHit(policy=rows[pk], rank=rank, highlight_words=marked)
        for pk, rank in ranked
        if pk in rows
    ]


def policy_search_suggestions(*, q: str, limit: int = 6, sample: int = 5000) -> list[str]:
    """Related words from published titles, offered (with ASSISTANT_HINT) when nothing is found.

    First the query's own words that titles contain (searching fewer words finds more), then
    title words sharing a character with the query, the most frequent first. Bounded to the
    latest `sample` policies.
    """
    whole = q.strip().lower()
    query_words = [w for w in dict.fromkeys(words(q)) if w != whole]
    chars = {c for c in whole if _CJK_CHAR.match(c) and c not in STOP_CHARS}
    if not chars and not query_words:
        return []
    counts: Counter[str] = Counter()
    titles = (
        Policy.objects.published()
        .order_by("-published_on", "-id")
        .values_list("search_text", flat=True)[:sample]
    )
    for text in titles:
        for word in set(text.split()):
            if len(word) >= 2 and word != whole and (word in query_words or chars & set(word)):
                counts[word] += 1
    ordered = sorted(counts, key=lambda w: (w not in query_words, -counts[w], w))
    return ordered[:limit]
