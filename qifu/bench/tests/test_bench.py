from __future__ import annotations

import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.core.handlers.wsgi import WSGIRequest
from django.test import Client, RequestFactory
from django.urls import set_urlconf

from qifu.bench import FLOOR_PATH
from qifu.bench.load import Request, parse_wrk, request_lines, run_wrk
from qifu.bench.results import (
    Measurement,
    format_table,
    goal_lines,
    percentile,
    result_rows,
    write_results,
)
from qifu.bench.scenarios import SCENARIOS, Clients
from qifu.bench.views import baseline


def m(name: str, requests: int, p95: float, errors: int = 0) -> Measurement:
    return Measurement(
        name=name, requests=requests, seconds=2.0, p50_ms=p95 / 2, p95_ms=p95, errors=errors
    )


def test_each_scenario_is_reported_against_the_floor_of_the_same_run() -> None:
    rows = result_rows([m("floor", 2000, 1.0), m("home_page", 500, 8.0)])
    by_name = {row["name"]: row for row in rows}
    assert by_name["home_page_rps"] == {
        "name": "home_page_rps",
        "value": 250.0,
        "unit": "req/s",
        "baseline": 1000.0,
        "ratio": 0.25,
    }
    assert by_name["home_page_p95"] == {
        "name": "home_page_p95",
        "value": 8.0,
        "unit": "ms",
        "baseline": 1.0,
        "ratio": 8.0,
    }
    assert by_name["floor_rps"]["ratio"] == 1.0


def test_results_without_the_floor_are_refused() -> None:
    with pytest.raises(ValueError, match="baseline"):
        result_rows([m("home_page", 10, 1.0)])


def test_a_zero_floor_gives_no_ratio_rather_than_a_crash() -> None:
    rows = result_rows([m("floor", 0, 0.0), m("api_me", 10, 2.0)])
    assert {row["ratio"] for row in rows} == {None}


def test_goals_are_printed_met_or_not() -> None:
    rows = result_rows([m("floor", 1000, 1.0), m("home_page", 400, 8.0), m("api_me", 100, 9.0)])
    text = "\n".join(goal_lines(rows, {"home_page": 0.30, "api_me": 0.50}))
    assert "home_page" in text and "0.400" in text and "达到" in text
    assert "api_me" in text and "未达到" in text


def test_p95_is_the_nearest_rank() -> None:
    assert percentile(list(range(1, 101)), 95) == 95
    assert percentile([5.0], 95) == 5.0
    assert percentile([], 95) == 0.0


def test_results_file_is_a_json_list_of_contract_rows(tmp_path: Path) -> None:
    rows = result_rows([m("floor", 100, 1.0), m("api_me", 50, 2.0)])
    path = tmp_path / "bench" / "results.json"
    write_results(path, rows)
    loaded = json.loads(path.read_text(encoding="utf-8"))
    assert loaded == rows
    assert all(set(row) == {"name", "value", "unit", "baseline", "ratio"} for row in loaded)
    assert "api_me_rps" in format_table(rows)


def test_the_floor_is_measured_first_and_every_goal_of_the_issue_has_a_scenario() -> None:
    names = [s.name for s in SCENARIOS]
    assert names[0] == "floor"
    goals = {s.name: s.goal for s in SCENARIOS if s.goal}
    assert goals == {
        "home_page": 0.30,
        "api_me": 0.50,
        "appeals_staff_list_api": 0.20,
        "appeals_staff_list_page": 0.20,
        "appeal_detail_api": 0.25,
        "policy_search": 0.15,
        "appeal_intake": 0.10,
    }


def test_scenarios_spread_over_many_distinct_clients() -> None:
    clients = Clients(
        enterprise_tokens=[f"e{i}" for i in range(30)],
        staff_tokens=[f"s{i}" for i in range(10)],
        staff_cookies=[f"sessionid=k{i}" for i in range(10)],
        enterprise_cookies=[f"sessionid=q{i}" for i in range(10)],
        appeal_ids=list(range(100, 140)),
    )
    by_name = {s.name: s.requests(clients) for s in SCENARIOS}
    assert len({r.headers["Authorization"] for r in by_name["api_me"]}) == 30
    assert len({r.headers["Authorization"] for r in by_name["appeals_staff_list_api"]}) == 10
    assert len({r.headers["Cookie"] for r in by_name["appeals_staff_list_page"]}) == 10
    detail = by_name["appeal_detail_api"]
    assert len({r.path for r in detail}) == 40
    assert len({r.headers["Authorization"] for r in detail}) == 10
    intake = by_name["appeal_intake"]
    assert {r.method for r in intake} == {"POST"} and {r.expect_status for r in intake} == {201}


@pytest.mark.django_db
def test_the_floor_is_a_one_line_view_without_the_projects_middleware() -> None:
    from qifu.bench.wsgi import FloorHandler

    handler = FloorHandler()
    environ = RequestFactory().get(FLOOR_PATH).environ
    statuses: list[str] = []
    body = b"".join(handler(environ, lambda status, headers: statuses.append(status)))
    assert statuses == ["200 OK"] and body == b"ok"
    assert handler._view_middleware == [] and handler._exception_middleware == []
    # No project middleware ran: none of the headers they add.
    try:
        response = handler.get_response(WSGIRequest(RequestFactory().get(FLOOR_PATH).environ))
        assert "Content-Security-Policy" not in response.headers
        assert "Permissions-Policy" not in response.headers
    finally:
        # The floor's URLconf is set on this thread for the request; a response nobody closes
        # never resets it, and the next test's reverse() would look in the floor's URLconf.
        set_urlconf(None)


def test_baseline_view_answers_ok() -> None:
    response = baseline(RequestFactory().get(FLOOR_PATH))
    assert response.status_code == 200 and response.content == b"ok"


@pytest.mark.django_db
def test_the_project_itself_has_no_floor_route() -> None:
    assert Client().get(FLOOR_PATH).status_code == 404


def test_wrk_request_lines_carry_each_clients_headers() -> None:
    text = request_lines(
        [Request("GET", "/a", {"Authorization": "Bearer x"}), Request("GET", "/b", {})]
    )
    assert text == "/a\tAuthorization: Bearer x\n/b\n"
    with pytest.raises(ValueError):
        request_lines([Request("GET", "/a", {"Cookie": "a\tb"})])


def test_wrks_summary_line_becomes_a_measurement() -> None:
    output = (
        "Running 5s test\n"
        'QIFU_JSON {"requests": 5000, "duration_us": 5000000, "connect": 0, "read": 0, '
        '"write": 0, "status": 2, "timeout": 1, "unexpected": 3, "p50_us": 1500, '
        '"p95_us": 4200, "p99_us": 9000, "mean_us": 1800.0}\n'
    )
    measured = parse_wrk("api_me", output)
    assert measured.rps == 1000.0 and measured.p95_ms == 4.2 and measured.p50_ms == 1.5
    assert measured.errors == 4  # the timeout and the unexpected statuses (which include 4xx)
    with pytest.raises(ValueError):
        parse_wrk("api_me", "no summary")


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        status = 200 if self.path == "/ok" else 500
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def local_server() -> Any:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed (make wrk)")
def test_wrk_drives_load_and_counts_unexpected_statuses(local_server: int, tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{local_server}"
    ok = run_wrk(
        name="ok", url=url, requests=[Request("GET", "/ok")], workdir=tmp_path, seconds=1,
        connections=2, check_status=True,
    )  # fmt: skip
    assert ok.requests > 0 and ok.errors == 0
    bad = run_wrk(
        name="bad", url=url, requests=[Request("GET", "/broken")], workdir=tmp_path, seconds=1,
        connections=2, check_status=True,
    )  # fmt: skip
    assert bad.requests > 0 and bad.errors >= bad.requests


def test_children_get_their_own_database_the_baseline_view_and_no_rate_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qifu.bench import server

    monkeypatch.setattr(server, "BENCH_DIR", tmp_path)
    (tmp_path / "bench.sqlite3-wal").write_text("stale")
    database = server.fresh_database()
    assert not (tmp_path / "bench.sqlite3-wal").exists()
    env = server.bench_env(database)
    assert env["DATABASE_URL"] == f"sqlite:///{database}"
    assert env["QIFU_BENCH"] == "1"
    assert env["API_RATE_LIMIT_PER_MINUTE"] == "0"  # the limiter off, not merely high
