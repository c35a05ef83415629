"""The 通报 as Excel (qifu/core/exports.py) and as PDF (reportlab, the built-in CID font
STSong-Light: the Chinese text stays text, selectable and searchable, with no font file shipped)."""

from __future__ import annotations

import io
from typing import Any

from django.http import HttpResponse

from qifu.assessment.models import PeriodReport
from qifu.core.exports import xlsx_response


def _pct(value: Any) -> str:
    return "—" if value is None else f"{value:g}%"


def report_xlsx_response(report: PeriodReport) -> HttpResponse:
    content = report.content
    rows: list[list[Any]] = [
        [
            r["rank"],
            r["department"],
            r["score"],
            r.get("dispatched", 0),
            _pct(r.get("on_time_rate")),
            _pct(r.get("satisfaction_rate")),
            "、".join(r.get("below_floor", [])) or "—",
        ]
        for r in content.get("ranking", [])
    ]
    by_department = content.get("by_department", [])
    if by_department:
        rows.append([])
        rows.append(
            ["超期和督办情况", "单位", "超期应答", "期末未办结", "退回", "督办件", "督办件超时"]
        )
        rows += [
            [
                "",
                d["department"],
                d["late_response"],
                d["unfinished"],
                d["returns"],
                d["supervised"],
                d["supervised_late"],
            ]
            for d in by_department
        ]
    if content.get("escalated"):
        rows.append([])
        rows.append(["列入通报的诉求件", "诉求编号", "标题", "单位", "列入通报", "现状"])
        rows += [
            [
                "",
                e["number"],
                e["title"],
                e["department"],
                e["listed_at"],
                "已办结" if e["closed"] else "办理中",
            ]
            for e in content["escalated"]
        ]
    if content.get("good_examples"):
        rows.append([])
        rows.append(["典型案例", "诉求编号", "标题", "承办单位"])
        rows += [["", g["number"], g["title"], g["department"]] for g in content["good_examples"]]
    status = "已发布" if report.status == "published" else "未发布（审核中）"
    return xlsx_response(
        filename=f"{report.title}.xlsx",
        sheet_title="考核通报",
        headers=["名次", "单位", "得分", "派发件数", "按时应答率", "满意率", "未达底线"],
        rows=rows,
        widths=[8, 28, 10, 10, 12, 10, 20],
        preamble=[
            [report.title],
            [
                f"考核周期：{content.get('label', report.period)}",
                f"考核办法：第{report.method_version}版",
                status,
            ],
            [],
        ],
    )


def report_pdf(report: PeriodReport) -> bytes:
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    title = ParagraphStyle("t", fontName=font, fontSize=16, leading=24, alignment=1)
    heading = ParagraphStyle("h", fontName=font, fontSize=12.5, leading=20, spaceBefore=8)
    body = ParagraphStyle("b", fontName=font, fontSize=10.5, leading=17, wordWrap="CJK")
    small = ParagraphStyle("s", fontName=font, fontSize=9, leading=13, wordWrap="CJK")
    content = report.content

    def table(data: list[list[Any]], widths: list[float]) -> Table:
        cells = [[Paragraph(str(c), small) for c in row] for row in data]
        t = Table(cells, colWidths=widths, repeatRows=1)
        t.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7")),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ]
            )
        )
        return t

    story: list[Any] = [
        Paragraph(report.title, title),
        Paragraph(
            f"考核周期：{content.get('label', report.period)}"
            f"　考核办法：第{report.method_version}版"
            + ("" if report.status == "published" else "　（未发布，审核稿）"),
            body,
        ),
        Spacer(1, 4 * mm),
    ]
    if report.foreword:
        story += [Paragraph(p, body) for p in report.foreword.splitlines() if p.strip()]
    ranking = content.get("ranking", [])
    story.append(Paragraph("一、综合排名", heading))
    story.append(
        table(
            [["名次", "单位", "得分", "派发件数", "按时应答率", "满意率", "未达底线"]]
            + [
                [
                    r["rank"],
                    r["department"],
                    f"{r['score']:g}",
                    r.get("dispatched", 0),
                    _pct(r.get("on_time_rate")),
                    _pct(r.get("satisfaction_rate")),
                    "、".join(r.get("below_floor", [])) or "—",
                ]
                for r in ranking
            ],
            [12 * mm, 48 * mm, 16 * mm, 18 * mm, 22 * mm, 18 * mm, 30 * mm],
        )
    )
    if ranking:
        shown = ranking[:15]
        drawing = Drawing(170 * mm, max(40, 14 * len(shown)) + 30)
        chart = HorizontalBarChart()
        chart.x, chart.y = 45 * mm, 15
        chart.width, chart.height = 115 * mm, max(40, 14 * len(shown))
        chart.data = [[r["score"] for r in reversed(shown)]]
        chart.categoryAxis.categoryNames = [r["department"][:12] for r in reversed(shown)]
        chart.categoryAxis.labels.fontName = font
        chart.categoryAxis.labels.fontSize = 7
        chart.valueAxis.valueMin = 0
        chart.valueAxis.valueMax = max(100, max(r["score"] for r in shown))
        chart.valueAxis.labels.fontSize = 7
        chart.bars[0].fillColor = colors.HexColor("#206bc4")
        drawing.add(chart)
        story += [Paragraph("得分对比（前15名，数据同上表）", small), drawing]
    below = content.get("below_floor", [])
    story.append(Paragraph("二、未达底线的单位", heading))
    if below:
        story.append(
            table(
                [["单位", "指标", "实际", "底线"]]
                + [
                    [b["department"], b["measure"], _pct(b["value"]), _pct(b["floor"])]
                    for b in below
                ],
                [60 * mm, 40 * mm, 30 * mm, 30 * mm],
            )
        )
    else:
        story.append(Paragraph("本期各单位均达到考核办法规定的底线。", body))
    story.append(Paragraph("三、超期和督办情况", heading))
    by_department = content.get("by_department", [])
    if by_department:
        story.append(
            table(
                [["单位", "超期应答", "期末未办结", "退回", "督办件", "督办件超时"]]
                + [
                    [
                        d["department"],
                        d["late_response"],
                        d["unfinished"],
                        d["returns"],
                        d["supervised"],
                        d["supervised_late"],
                    ]
                    for d in by_department
                ],
                [56 * mm, 22 * mm, 24 * mm, 18 * mm, 20 * mm, 24 * mm],
            )
        )
    else:
        story.append(Paragraph("本期没有超期或督办的诉求件。", body))
    escalated = content.get("escalated", [])
    if escalated:
        story.append(Paragraph("督办台列入通报的诉求件：", body))
        story.append(
            table(
                [["诉求编号", "标题", "单位", "列入通报", "现状"]]
                + [
                    [
                        e["number"],
                        e["title"],
                        e["department"],
                        e["listed_at"],
                        "已办结" if e["closed"] else "办理中",
                    ]
                    for e in escalated
                ],
                [38 * mm, 50 * mm, 40 * mm, 22 * mm, 16 * mm],
            )
        )
    story.append(Paragraph("四、典型案例", heading))
    examples = content.get("good_examples", [])
    if examples:
        story += [
            Paragraph(f"{g['number']}　{g['title']}（{g['department']}，{g['detail']}）", body)
            for g in examples
        ]
    else:
        story.append(Paragraph("本期暂无。", body))
    story.append(Spacer(1, 4 * mm))
    story.append(Paragraph("考核办法：", small))
    # STSong-Light has no U+2212 (minus sign): reports generated before used it.
    story += [
        Paragraph(f"{name}：{text}".replace("\u2212", "－"), small)
        for name, text in content.get("method_lines", [])
    ]

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=report.title,
        author="企业一体化服务平台",
    )
    document.build(story)
    return buffer.getvalue()
