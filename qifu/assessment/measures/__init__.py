"""The measures of the assessment (measures, arts. 11, 13, 18, 19), each with its formula beside it.

Every figure is computed from the event records of the other sections, never typed in: each
measure collects the *cases* behind it (a dispatch round, a message, an application, a policy…)
for every department, and its value is derived from that list alone — the count of the cases, or
the share of them that meet the standard (`hit`), or their mean score. So a number and the list it
opens to agree by construction (tested).

Article 19's six faults are the groups: 办理不及时, 事项未办结, 推诿扯皮, 敷衍塞责, 企业不满意,
督办件办理超时; the reply rates, applications within their limits, information freshness (art. 18)
and liaison/administrator coverage (art. 11) are measured beside them.

Times: a period runs from local midnight of its first day to local midnight after its last day;
while it runs, its end is *now* (nothing counts as missed before its time). Limits are the
statutory ones stored on each record (an approved extension never makes a late answer on time).
"""

from __future__ import annotations

from collections import defaultdict

from qifu.assessment.measures.base import FAULTS, Case, Context, Measure
from qifu.assessment.measures.records import (
    consultation_reply_rate,
    coverage_gap,
    declarations_late,
    matters_late,
    message_reply_rate,
    stale_info,
)
from qifu.assessment.measures.rounds import (
    dispatched,
    extended,
    late_contact,
    late_followup,
    late_response,
    on_time_rate,
    perfunctory,
    returns,
    satisfaction_rate,
    satisfaction_score,
    supervised,
    supervised_late,
    unfinished,
    unsatisfied,
)

__all__ = ["BY_CODE", "FAULTS", "MEASURES", "Case", "Context", "Measure", "collect", "collect_all"]

MEASURES: list[Measure] = [
    Measure(
        "dispatched",
        "派发件数",
        "other",
        "本期派发给本单位的派发轮次数（每派发一次计一件，重派另计）。",
        "count",
        dispatched,
        informational=True,
    ),
    Measure(
        "on_time_rate",
        "按时应答率",
        "slow",
        "法定应答期限（派发后第3个工作日17时）落在本期的派发轮次中，在法定期限内应答的占比；"
        "延期不改变法定期限，期限内退回不算应答。",
        "rate",
        on_time_rate,
        unit="%",
    ),
    Measure(
        "late_response",
        "超期应答",
        "slow",
        "本期内作出应答、且应答时间晚于法定应答期限的派发轮次数（延期的轮次同样计入，并注明是否在"
        "延期期限内）。",
        "count",
        late_response,
    ),
    Measure(
        "late_contact",
        "首次联系超时",
        "slow",
        "联系企业期限（派发后1个工作日）落在本期的派发轮次中，首次联系晚于期限或期限届满仍未联系的"
        "轮次数（期限前退回的不计，计入退回）。",
        "count",
        late_contact,
    ),
    Measure(
        "late_followup",
        "电话回访超时",
        "slow",
        "回访期限（部门应答后2个工作日）落在本期的派发轮次中，平台未在期限内电话回访的轮次数，"
        "计入承担回访的平台工作人员所在单位。",
        "count",
        late_followup,
    ),
    Measure(
        "extended",
        "延期件数",
        "slow",
        "本期内经平台同意延期的申请数（延期不抵消超期，仅作参考）。",
        "count",
        extended,
        informational=True,
    ),
    Measure(
        "unfinished",
        "期末未办结",
        "unfinished",
        "期末（进行中的周期为当前时刻）仍未应答也未退回、且已超过法定应答期限的派发轮次数，"
        "逐件注明超期时长。",
        "count",
        unfinished,
    ),
    Measure(
        "returns",
        "退回件数",
        "shirking",
        "本期内本单位退回（推诿、转派）的派发轮次数，逐件注明持有时长（派发至退回）。平台没有部门"
        "之间的直接转办：退回后由平台改派，即为转派。",
        "count",
        returns,
    ),
    Measure(
        "perfunctory",
        "敷衍塞责",
        "perfunctory",
        "本期内答复内容少于考核办法规定字数的应答，加上同一诉求重派本单位后企业再次不满意的派发"
        "轮次（每轮次计一次）。",
        "count",
        perfunctory,
    ),
    Measure(
        "unsatisfied",
        "不满意件数",
        "unsatisfied",
        "本期内电话回访或企业在线评价为不满意的派发轮次数（每轮次计一次）。",
        "count",
        unsatisfied,
    ),
    Measure(
        "satisfaction_rate",
        "满意率",
        "unsatisfied",
        "本期的评价结果中满意和基本满意的占比；评价结果为平台电话回访，以及企业在线评价为不满意"
        "（直接退回重派、无需回访）的评价。",
        "rate",
        satisfaction_rate,
        unit="%",
    ),
    Measure(
        "satisfaction_score",
        "平均评分",
        "unsatisfied",
        "与满意率相同的评价结果的平均分（1–5分）。",
        "mean",
        satisfaction_score,
        unit="分",
        informational=True,
    ),
    Measure(
        "supervised",
        "督办件数",
        "supervision",
        "法定应答期限落在本期、在督办期间办理的派发轮次数（列入督办后派发，或列入督办时仍在办理）。",
        "count",
        supervised,
        informational=True,
    ),
    Measure(
        "supervised_late",
        "督办件超时",
        "supervision",
        "上述督办轮次中未在法定应答期限内应答的轮次数，逐件注明督办后用时。",
        "count",
        supervised_late,
    ),
    Measure(
        "message_reply_rate",
        "留言按时回复率",
        "other",
        "本期收到的留言（我要留言）中按时回复的占比：转为诉求的按诉求应答期限，直接答复的按3个"
        "工作日（与回复率监测相同）。",
        "rate",
        message_reply_rate,
        unit="%",
    ),
    Measure(
        "consultation_reply_rate",
        "咨询按时回复率",
        "other",
        "本期转人工的咨询（我要咨询）中，在向企业承诺的时间内由工作人员首次回复的占比。",
        "rate",
        consultation_reply_rate,
        unit="%",
    ),
    Measure(
        "matters_late",
        "办件超期",
        "unfinished",
        "办理期限落在本期的办件（我要办事）中，逾期办结或期限届满仍未办结的件数，计入事项实施部门。",
        "count",
        matters_late,
    ),
    Measure(
        "declarations_late",
        "项目申报审核超期",
        "unfinished",
        "受理或审核期限落在本期的项目申报中，期限前未受理（或退回、不予通过）、未审核的次数，"
        "计入申报通知的发布部门。",
        "count",
        declarations_late,
    ),
    Measure(
        "stale_info",
        "信息未及时清理",
        "other",
        "期末仍在发布、但已过有效期或发布超过一年未复核的政策，以及已到期未清理的企业发布信息"
        "（招工、融资需求），计入提供或审核部门（第十八条）。",
        "count",
        stale_info,
        unit="条",
    ),
    Measure(
        "coverage_gap",
        "联络员/管理员缺位",
        "other",
        "期末平台管理机构未明确联络员、部门或镇街未明确管理员的，计1（第十一条）。",
        "count",
        coverage_gap,
        unit="项",
    ),
]

BY_CODE: dict[str, Measure] = {m.code: m for m in MEASURES}


def collect_all(ctx: Context) -> dict[str, dict[int, list[Case]]]:
    """Every measure's cases, by measure code and department id."""
    result: dict[str, dict[int, list[Case]]] = {}
    for measure in MEASURES:
        result[measure.code] = collect(measure, ctx)
    return result


def collect(measure: Measure, ctx: Context) -> dict[int, list[Case]]:
    by_department: dict[int, list[Case]] = defaultdict(list)
    for case in measure.collect(ctx):
        by_department[case.department_id].append(case)
    for cases in by_department.values():
        cases.sort(key=lambda c: (c.at is None, c.at, c.number, c.sub or 0))
    return dict(by_department)
