"""`python manage.py assessment_recompute PERIOD`: recompute a period from the raw records, print
the figures and every difference from what was published; exit 1 when there is one."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qifu.assessment.models import PublishedPeriod
from qifu.assessment.periods import PeriodError, parse_period
from qifu.assessment.selectors import active_method, compute_rows


def differences(published: list[dict[str, Any]], fresh: list[dict[str, Any]]) -> list[str]:
    """Every figure that differs, in Chinese, department by department."""
    before = {r["department"]["code"]: r for r in published}
    after = {r["department"]["code"]: r for r in fresh}
    lines: list[str] = []
    for code in sorted(before.keys() | after.keys()):
        old, new = before.get(code), after.get(code)
        if old is None or new is None:
            name = (old or new)["department"]["name"]  # type: ignore[index]
            lines.append(f"{name}：{'新出现在排名中' if old is None else '不再出现在排名中'}")
            continue
        name = new["department"]["name"]
        for key, label in (("score", "得分"), ("rank", "名次")):
            if old[key] != new[key]:
                lines.append(f"{name} {label}：已发布 {old[key]} → 重算 {new[key]}")
        old_measures = {m["code"]: m for m in old["measures"]}
        for measure in new["measures"]:
            was = old_measures.get(measure["code"])
            if was is None:
                continue
            for key, label in (("value", "数值"), ("count", "件数")):
                if was[key] != measure[key]:
                    lines.append(
                        f"{name} {measure['name']}{label}：已发布 {was[key]} → 重算 {measure[key]}"
                    )
    return lines


class Command(BaseCommand):
    help = "从原始记录重算一个考核周期（YYYY-MM、YYYY-Qn 或 YYYY），列出与已发布结果的差异。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("period")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = parse_period(options["period"])
        except PeriodError as exc:
            raise CommandError(str(exc)) from exc
        published = PublishedPeriod.objects.filter(period=period.key).first()
        if published is not None:
            version, method = published.method_version, published.method_data
        else:
            version, method = active_method()
        rows = compute_rows(period, version, method)
        out = self.stdout
        out.write(f"{period.label}（{period.key}）考核办法第{version}版，{len(rows)}个单位")
        for row in rows:
            figures = "，".join(
                f"{m['name']} {m['value'] if m['value'] is not None else '—'}/{m['count']}"
                for m in row["measures"]
                if m["count"]
            )
            out.write(
                f"{row['rank']:>3}. {row['department']['name']} {row['score']:g}分：{figures}"
            )
        if published is None:
            out.write("该周期尚未发布，无可比较的结果。")
            return
        lines = differences(published.rows, rows)
        if not lines:
            out.write(f"与{published.published_at:%Y-%m-%d %H:%M}发布的结果一致。")
            return
        out.write(f"与已发布结果不一致（{len(lines)}处）：")
        for line in lines:
            out.write(f"  {line}")
        sys.exit(1)
