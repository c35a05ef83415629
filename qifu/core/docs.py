"""The generated parts of the project's documents: each process's table in the README and the
index of API paths in docs/api.md, both written from the code so they cannot drift from it.

`python manage.py write_docs` rewrites the blocks between the markers; `--check` (run by the test
suite) fails when a document is out of date. The prose around the blocks is written by hand.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.utils.module_loading import autodiscover_modules

BEGIN = "<!-- BEGIN generated: {name} (python manage.py write_docs) -->"
END = "<!-- END generated: {name} -->"
METHODS = ("get", "post", "put", "patch", "delete")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def process_tables() -> str:
    """Every process's table: action, the states it is taken from, where it leads, who may."""
    autodiscover_modules("workflow", "pipeline")
    from qifu.core.workflow import processes
    from qifu.publishing.models import Publishable
    from qifu.publishing.workflow import process_for

    # Publishing has one table for every kind of content; show it once, named for all kinds.
    models_ = sorted(
        (m for m in apps.get_models() if issubclass(m, Publishable)), key=lambda m: m.__name__
    )
    publishable = [str(m._meta.verbose_name) for m in models_]
    if models_:
        process_for(models_[0])
    out: list[str] = []
    seen_publishing = False
    for process in sorted(processes(), key=lambda p: p.name):
        title = f"{process.label}（`{process.name}`）"
        if process.name.startswith("publishing."):
            if seen_publishing:
                continue
            seen_publishing = True
            kinds = "、".join(str(n) for n in publishable)
            title = f"内容发布审核（`publishing`，{kinds}同一张表）"
        labels = dict(process.states.choices)
        out.append(f"#### {title}\n")
        out.append("状态：" + " → ".join(str(labels[s]) for s in process.states.values) + "\n")
        out.append("| 操作 | 可从 | 进入 | 谁可执行 |")
        out.append("|---|---|---|---|")
        for row in process.table():
            out.append("| " + " | ".join(_cell(str(c)) for c in row) + " |")
        if process.deadlines:
            limits = "；".join(_describe_deadline(process, d) for d in process.deadlines)
            out.append("")
            out.append(f"期限：{limits}。")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _describe_deadline(process: Any, deadline: Any) -> str:
    labels = dict(process.states.choices)
    parts = []
    for state in process.states.values:
        if state not in deadline.states or state in deadline.quiet:
            continue
        what = deadline.what.get(state, "") if isinstance(deadline.what, dict) else deadline.what
        days = deadline.working_days
        if isinstance(days, int):
            limit = "当日" if days == 0 else f"{days}个工作日内"
        else:
            limit = deadline.rule or "按规则计算"
        parts.append(f"{labels[state]}：{limit}{what}")
    return "；".join(parts)


def api_operations() -> list[tuple[str, str, str, str]]:
    """(tag, METHOD, path, summary) of every operation in the OpenAPI schema, path-sorted."""
    from qifu.api.main import api

    schema = api.get_openapi_schema()
    rows = []
    for path, item in schema["paths"].items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            tag = (op.get("tags") or ["其他"])[0]
            summary = op.get("summary") or op.get("operationId", "")
            rows.append((tag, method.upper(), path, summary))
    return sorted(rows, key=lambda r: (r[0], r[2], METHODS.index(r[1].lower())))


def api_index() -> str:
    out: list[str] = []
    current = None
    for tag, method, path, summary in api_operations():
        if tag != current:
            if current is not None:
                out.append("")
            out.append(f"#### {tag}\n")
            out.append("| 方法 | 路径 | 说明 |")
            out.append("|---|---|---|")
            current = tag
        out.append(f"| {method} | `{path}` | {_cell(summary)} |")
    return "\n".join(out) + "\n"


def documents_dir() -> Path:
    return Path(settings.BASE_DIR) / "docs"


def documents() -> dict[Path, dict[str, Callable[[], str]]]:
    return {
        Path(settings.BASE_DIR) / "README.md": {"processes": process_tables},
        documents_dir() / "api.md": {"api-index": api_index},
    }


def render(text: str, blocks: dict[str, Callable[[], str]]) -> str:
    for name, make in blocks.items():
        begin, end = BEGIN.format(name=name), END.format(name=name)
        pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.S)
        found = pattern.search(text)
        if found is None:
            raise ValueError(f"markers for {name!r} not found")
        text = f"{text[: found.start()]}{begin}\n\n{make()}\n{end}{text[found.end() :]}"
    return text


def stale() -> list[Path]:
    """The documents whose generated blocks differ from what the code says now."""
    return [
        path
        for path, blocks in documents().items()
        if render(path.read_text(), blocks) != path.read_text()
    ]


def write() -> list[Path]:
    changed = []
    for path, blocks in documents().items():
        old = path.read_text()
        new = render(old, blocks)
        if new != old:
            path.write_text(new)
            changed.append(path)
    return changed
