"""Demo 外部系统: the three external systems, and two of qiye's cases reported through them."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from qifu.accounts.models import Enterprise
from qifu.connectors.models import Connector
from qifu.connectors.services import connector_create, external_event_apply
from qifu.demo import Output
from qifu.demo.enterprises import QIYE_CREDIT_CODE

# Demo secrets are public on purpose (docs/connectors.md uses them); a real deployment registers
# its systems on /connectors/, where a random secret is generated and shown once.
CONNECTORS = [
    ("yichuangtong", "山东省企业开办“一窗通”", "https://yichuangtong.example.com/qifu/enter"),
    ("zhengwuyun", "荣成市政务云服务平台", "https://zhengwuyun.example.com/qifu/enter"),
    ("gongcheng", "工程建设项目审批管理系统", "https://gongcheng.example.com/qifu/enter"),
]


def demo_secret(code: str) -> str:
    return f"demo-{code}-shared-secret"


def seed(*, stdout: Output) -> None:
    """Register the three demo external systems and report two of qiye's cases, once."""
    added = 0
    for code, name, url in CONNECTORS:
        if not Connector.objects.filter(code=code).exists():
            connector_create(
                code=code, name=name, entry_url=url, actor=None, secret=demo_secret(code)
            )
            added += 1
    connectors = {c.code: c for c in Connector.objects.all()}
    enterprise = Enterprise.objects.get(credit_code=QIYE_CREDIT_CODE)
    now = timezone.now()
    events = [
        (
            "yichuangtong",
            {
                "case_id": "YCT-2026-018832",
                "matter_code": "BG-001",
                "status": status,
                "status_text": text,
                "event_id": f"demo-yct-{n}",
                "occurred_at": (now - dt.timedelta(days=3 - n)).isoformat(),
            },
        )
        for n, (status, text) in enumerate(
            [
                ("received", "变更登记申请材料已收取"),
                ("processing", "市场监管局审核中"),
                ("approved", "准予变更登记，可领取新营业执照"),
            ]
        )
    ]
    events += [
        (
            "gongcheng",
            {
                "case_id": "GC-3710822026-0457",
                "matter_code": "GC-SGXK-001",
                "status": status,
                "status_text": text,
                "event_id": f"demo-gc-{n}",
                "occurred_at": (now - dt.timedelta(days=2 - n, hours=1)).isoformat(),
            },
        )
        for n, (status, text) in enumerate(
            [
                ("received", "建筑工程施工许可申请已受理"),
                ("supplement", "请补正施工图审查合格书"),
            ]
        )
    ]
    applied = 0
    for code, event in events:
        payload = {**event, "credit_code": enterprise.credit_code}
        applied += external_event_apply(connector=connectors[code], payload=payload).is_new
    stdout.write(f"外部系统：新增 {added} 个，办件事件 {applied} 条\n")
