"""The documents generated from the code (process tables, the API index) are current, and the
hand-written API page names only paths that exist."""

from __future__ import annotations

import re

import pytest
from django.core.management import CommandError, call_command

from qifu.core import docs

DOC_PATH = re.compile(r"`(GET|POST|PUT|PATCH|DELETE) (/api/v1/[^`?\s]*)")


def _schema_patterns() -> set[tuple[str, str]]:
    operations = docs.api_operations()
    return {(method, re.sub(r"\{[^}]+\}", "{}", path)) for _tag, method, path, _ in operations}


def test_the_generated_blocks_are_current() -> None:
    call_command("write_docs", "--check")


def test_every_path_the_api_page_names_exists_in_the_schema() -> None:
    text = (docs.documents_dir() / "api.md").read_text()
    prose = text.split("<!-- BEGIN generated: api-index")[0]
    named = DOC_PATH.findall(prose)
    assert len(named) >= 15, "the page names the contract's paths"
    schema = _schema_patterns()
    missing = []
    for method, path in named:
        # `<action>` in the prose stands for every action path of that resource.
        normal = re.sub(r"\{[^}]+\}", "{}", path)
        if "<" in normal:
            prefix = normal.split("<")[0]
            ok = any(m == method and p.startswith(prefix) for m, p in schema)
        else:
            ok = (method, normal) in schema
        if not ok:
            missing.append(f"{method} {path}")
    assert missing == []


def test_the_index_lists_every_operation_of_the_schema() -> None:
    index = docs.api_index()
    for _tag, method, path, _ in docs.api_operations():
        assert f"| {method} | `{path}` |" in index


def test_a_stale_block_is_detected_and_rewritten() -> None:
    text = "前言\n" + docs.BEGIN.format(name="x") + "\n旧内容\n" + docs.END.format(name="x") + "\n"
    new = docs.render(text, {"x": lambda: "新内容\n"})
    assert "旧内容" not in new and "新内容" in new and new.startswith("前言\n")
    assert docs.render(new, {"x": lambda: "新内容\n"}) == new
    with pytest.raises(ValueError):
        docs.render("没有标记", {"x": lambda: ""})


def test_the_check_fails_when_a_document_is_out_of_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(docs, "stale", lambda: [docs.documents_dir() / "api.md"])
    with pytest.raises(CommandError, match="文档已过期"):
        call_command("write_docs", "--check")


def test_every_process_has_its_table_in_the_readme() -> None:
    tables = docs.process_tables()
    for name in ("appeals", "matters", "declarations", "investment", "publishing"):
        assert f"`{name}" in tables
    assert "| 派发 | 录入、研判 | 派发 | 平台工作人员 |" in tables
