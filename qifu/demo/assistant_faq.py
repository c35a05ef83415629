"""Demo 我要咨询: the knowledge base of qifu/assistant/data/faq_demo.csv, through `import_faq`'s
own service (idempotent: a second run changes nothing)."""

from __future__ import annotations

from pathlib import Path

from qifu.assistant.services import faq_import, faq_rows_read
from qifu.demo import Output

DEMO_CSV = Path(__file__).resolve().parent.parent / "assistant" / "data" / "faq_demo.csv"


def seed(*, stdout: Output) -> None:
    result = faq_import(rows=faq_rows_read(DEMO_CSV))
    stdout.write(f"知识库：新增 {result.created} 条，更新 {result.updated} 条\n")
