from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, RequestFactory

from qifu.bench.load import Request, measure
from qifu.bench.results import (
    Measurement,
    format_table,
    percentile,
    result_rows,
    write_results,
)
from qifu.bench.scenarios import SCENARIOS
from qifu.bench.views import baseline


def m(name: str, requests: int, latencies: list[float], errors: int = 0) -> Measurement:
    return Measurement(
        name=name, requests=requests, seconds=2.0, latencies_ms=tuple(latencies), errors=errors
    )


def test_each_scenario_is_reported_against_the_baseline_of_the_same_run() -> None:
    rows = result_rows([m("baseline", 2000, [1.0] * 19 + [3.0]), m("home_page", 500, [8.0] * 20)])
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
    assert by_name["baseline_rps"]["ratio"] == 1.0


def test_results_without_a_baseline_are_refused() -> None:
    with pytest.raises(ValueError, match="baseline"):
        result_rows([m("home_page", 10, [1.0])])


def test_a_zero_baseline_gives_no_ratio_rather_than_a_crash() -> None:
    rows = result_rows([m("baseline", 0, []), m("api_me", 10, [2.0])])
    assert {row["ratio"] for row in rows} == {None}


def test_p95_is_the_nearest_rank() -> None:
    assert percentile(list(range(1, 101)), 95) == 95
    assert percentile([5.0], 95) == 5.0
    assert percentile([], 95) == 0.0


def test_results_file_is_a_json_list_of_contract_rows(tmp_path: Path) -> None:
    rows = result_rows([m("baseline", 100, [1.0]), m("api_me", 50, [2.0])])
    path = tmp_path / "bench" / "results.json"
    write_results(path, rows)
    loaded = json.loads(path.read_text(encoding="utf-8"))
    assert loaded == rows
    assert all(set(row) == {"name", "value", "unit", "baseline", "ratio"} for row in loaded)
    assert "api_me_rps" in format_table(rows)


def test_the_baseline_is_measured_first_among_the_scenarios() -> None:
    names = [s.name for s in SCENARIOS]
    assert names[0] == "baseline"
    assert {"home_page", "api_me"} <= set(names)


def test_baseline_view_answers_ok() -> None:
    response = baseline(RequestFactory().get("/_bench/baseline"))
    assert response.status_code == 200 and response.content == b"ok"


@pytest.mark.django_db
def test_baseline_route_is_absent_outside_bench_mode() -> None:
    assert Client().get("/_bench/baseline").status_code == 404


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


def test_the_load_loop_counts_requests_and_unexpected_statuses(local_server: int) -> None:
    ok = measure(
        name="ok", host="127.0.0.1", port=local_server, request=Request("GET", "/ok"),
        threads=2, seconds=0.1, warmup=0,
    )  # fmt: skip
    assert ok.requests > 0 and ok.errors == 0 and len(ok.latencies_ms) == ok.requests
    bad = measure(
        name="bad", host="127.0.0.1", port=local_server, request=Request("GET", "/broken"),
        threads=2, seconds=0.1, warmup=0,
    )  # fmt: skip
    assert bad.requests > 0 and bad.errors == bad.requests


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
    assert int(env["API_RATE_LIMIT_PER_MINUTE"]) >= 10**6
