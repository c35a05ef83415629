"""The second source: a question that names a matter or a policy is answered from the matter
guides and the published policy library too, citing them.

"Names" is meant literally, so a citation is never a guess: a matter is named when its name
(without the 核发/登记/备案 suffix and brackets) appears in the question; a policy when the question
quotes its title in 《》 (or a part of it) or gives its document number (文号).
"""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

from qifu.matters.models import Matter
from qifu.policies.models import Policy

MAX_SOURCES = 3
_SUFFIX = re.compile(r"(核发|办理|申请|登记)$")
_BRACKETS = re.compile(r"[（(“\"].*?[）)”\"]")
_QUOTED = re.compile(r"《([^》]{4,80})》")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[【(（]\d{4}[〕\]】)）]\d{1,4}号")


def matter_core_names(name: str) -> list[str]:
    """The ways a matter is named in a question: 排污许可证核发 → 排污许可证, 排污许可."""
    core = _SUFFIX.sub("", _BRACKETS.sub("", name)).strip()
    names = [core]
    if core.endswith("证") and len(core) > 4:
        names.append(core[:-1])
    return [n for n in names if len(n) >= 4]


def _matter_source(matter: Matter) -> dict[str, Any]:
    limit = f"承诺{matter.promised_limit_days}个工作日办结"
    if matter.legal_limit_days:
        limit += f"（法定{matter.legal_limit_days}个工作日）"
    parts = [limit, f"收费：{matter.fee}"]
    if matter.where_to_apply:
        parts.append(f"办理地点：{matter.where_to_apply}")
    return {
        "kind": "matter",
        "label": "办事指南",
        "title": matter.name,
        "excerpt": "；".join(parts) + "。",
        "department": matter.department.name,
        "url": reverse("matters:detail", args=[matter.code]),
    }


def _policy_source(policy: Policy) -> dict[str, Any]:
    return {
        "kind": "policy",
        "label": "政策原文",
        "title": policy.title,
        "excerpt": (policy.summary or "")[:160],
        "department": policy.issuer.name if policy.issuer_id else "",
        "url": reverse("policies:detail", args=[policy.code]),
    }


def named_sources(question: str) -> list[dict[str, Any]]:
    """Matter guides and published policies the question names, most specific first."""
    found: list[dict[str, Any]] = []
    named: list[tuple[int, int]] = []
    for pk, name in Matter.objects.filter(is_active=True).values_list("pk", "name"):
        lengths = [len(n) for n in matter_core_names(name) if n in question]
        if lengths:
            named.append((max(lengths), pk))
    if named:
        best = [pk for _, pk in sorted(named, key=lambda pair: -pair[0])[:MAX_SOURCES]]
        matters = Matter.objects.select_related("department").in_bulk(best)
        found.extend(_matter_source(matters[pk]) for pk in best)
    published = Policy.objects.published().select_related("issuer")
    for number in _DOC_NUMBER.findall(question)[:2]:
        policy = published.filter(doc_number=number).first()
        if policy is not None:
            found.append(_policy_source(policy))
    for title in _QUOTED.findall(question)[:2]:
        policy = published.filter(title__icontains=title.strip()).order_by("-published_on").first()
        if policy is not None and all(s["url"] != _policy_source(policy)["url"] for s in found):
            found.append(_policy_source(policy))
    return found[:MAX_SOURCES]
