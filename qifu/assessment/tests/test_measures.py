"""Every measure recomputed from the raw events of a small month, against hand counts."""

from __future__ import annotations

from typing import Any

import pytest

from qifu.assessment.measures import MEASURES
from qifu.assessment.method import DEFAULT_METHOD
from qifu.assessment.periods import PeriodError, parse_period
from qifu.assessment.selectors import compute_rows, department_cases, ranking

# (value, count) per measure; None: nothing rated. Hand-counted from the fixture's docstring.
EXPECTED = {
    "gxj": {
        "dispatched": (4, 4),  # A1, A2 ×2, A3 (its first round)
        "on_time_rate": (25.0, 4),  # only A1 answered by its statutory limit
        "late_response": (1, 1),  # A2 round 1
        "late_contact": (2, 2),  # A2 round 1 contacted late, round 2 never
        "late_followup": (0, 0),
        "extended": (0, 0),
        "unfinished": (1, 1),  # A2 round 2
        "returns": (1, 1),  # A3 round 1
        "perfunctory": (1, 1),  # A1's 13-character response
        "unsatisfied": (1, 1),  # A2 round 1
        "satisfaction_rate": (50.0, 2),  # A1 satisfied, A2 not
        "satisfaction_score": (3.5, 2),
        "supervised": (0, 0),
        "supervised_late": (0, 0),
        "message_reply_rate": (None, 0),
        "consultation_reply_rate": (None, 0),
        "matters_late": (0, 0),
        "declarations_late": (0, 0),
        "stale_info": (0, 0),
        "coverage_gap": (0, 0),
    },
    "zjj": {
        "dispatched": (2, 2),  # A3 round 2, A4
        "on_time_rate": (0.0, 2),  # A3 late (extended), A4 never answered
        "late_response": (1, 1),
        "late_contact": (1, 1),  # A4
        "late_followup": (0, 0),
        "extended": (1, 1),
        "unfinished": (1, 1),  # A4
        "returns": (0, 0),
        "perfunctory": (0, 0),
        "unsatisfied": (0, 0),
        "satisfaction_rate": (100.0, 1),
        "satisfaction_score": (4.0, 1),
        "supervised": (1, 1),
        "supervised_late": (1, 1),
        "message_reply_rate": (None, 0),
        "consultation_reply_rate": (None, 0),
        "matters_late": (0, 0),
        "declarations_late": (0, 0),
        "stale_info": (0, 0),
        "coverage_gap": (0, 0),
    },
}


def test_every_measure_is_recomputed_from_the_raw_events(september: dict[str, Any]) -> None:
    rows = compute_rows(parse_period("2026-09"), 0, DEFAULT_METHOD)
    by_code = {r["department"]["code"]: r for r in rows}
    assert set(by_code) == {"gxj", "zjj"}
    for department, expected in EXPECTED.items():
        got = {m["code"]: (m["value"], m["count"]) for m in by_code[department]["measures"]}
        assert set(got) == {m.code for m in MEASURES}
        assert got == expected, department


def test_the_score_follows_the_method_and_equal_inputs_rank_alike(
    september: dict[str, Any],
) -> None:
    rows = compute_rows(parse_period("2026-09"), 0, DEFAULT_METHOD)
    # 工信局: rates 20×75% + 20×50% = 25; cases 2+2+3+2+3+2 = 14; both floors missed: 10 → 51.
    # 住建局: rate 20×100% = 20; cases 2+1+3+5 = 11; on-time floor missed: 5 → 64.
    assert [(r["department"]["code"], r["score"], r["rank"]) for r in rows] == [
        ("zjj", 64.0, 1),
        ("gxj", 51.0, 2),
    ]
    gxj = rows[1]
    assert set(gxj["below_floor"]) == {"on_time_rate", "satisfaction_rate"}
    deductions = {m["code"]: m["deduction"] for m in gxj["measures"] if m["deduction"]}
    assert deductions["satisfaction_rate"] == 15.0  # 10 by weight + 5 below the floor
    assert sum(deductions.values()) == 49.0


def test_every_figure_agrees_with_the_list_of_its_cases(september: dict[str, Any]) -> None:
    period = parse_period("2026-09")
    for row in ranking("2026-09"):
        unit = september[row["department"]["code"]]
        for figure in row["measures"]:
            cases = department_cases(period, unit, figure["code"])
            assert len(cases) == figure["count"], figure["code"]
            if figure["code"] == "on_time_rate" and cases:
                hits = sum(c.hit for c in cases)
                assert figure["value"] == round(100 * hits / len(cases), 1)


def test_a_running_period_counts_nothing_as_missed_before_its_time(
    september: dict[str, Any],
) -> None:
    import time_machine

    from qifu.assessment.tests.conftest import at

    # On 22 September at noon A4's limit (Thu 24) has not come yet: not late, not unfinished.
    with time_machine.travel(at(2026, 9, 22, 12, 0), tick=False):
        rows = {r["department"]["code"]: r for r in ranking("2026-09")}
    zjj = {m["code"]: m["count"] for m in rows["zjj"]["measures"]}
    assert zjj["unfinished"] == 0 and zjj["supervised_late"] == 0
    assert zjj["late_contact"] == 0  # contact was due Tue 22 at 17:00


@pytest.mark.parametrize(
    "value",
    [
        "",
        "2026-13",
        "2026-00",
        "2026-Q5",
        "26-09",
        "2026/09",
        "2026-09\x00",
        "x" * 500,
        "1999",
        "2099",
    ],
)
def test_impossible_periods_are_refused_in_chinese(value: str) -> None:
    with pytest.raises(PeriodError) as error:
        parse_period(value)
    assert any("\u4e00" <= c <= "\u9fff" for c in str(error.value))


def test_periods_read_month_quarter_and_year() -> None:
    assert parse_period("2026-9".replace("-9", "-09")).label == "2026年9月"
    quarter = parse_period("2026-q3")
    assert quarter.key == "2026-Q3" and quarter.last_day.isoformat() == "2026-09-30"
    assert parse_period("2025").last_day.isoformat() == "2025-12-31"
