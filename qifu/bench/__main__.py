"""python -m qifu.bench [--scale N] [--seconds S] [--connections C] [--only NAME …]"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

from qifu.bench import assistant as assistant_bench
from qifu.bench.load import WrkMissing, run_wrk, send, wrk_executable
from qifu.bench.matching import matching_row, run_in_child
from qifu.bench.results import format_table, goal_lines, result_rows, write_results
from qifu.bench.scenarios import SCENARIOS, Clients
from qifu.bench.server import (
    BASE_DIR,
    BENCH_DIR,
    BenchError,
    bench_env,
    fresh_database,
    gunicorn,
    manage,
)

ENTERPRISE_CLIENTS = 200
STAFF_CLIENTS = 50


def _child(module: str, *args: str, env: dict[str, str]) -> str:
    result = subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", module, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BenchError(f"{module} {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m qifu.bench", description=__doc__)
    parser.add_argument(
        "--scale", type=int, default=10, help="seed_demo --scale (default 10: 100,000 appeals)"
    )
    parser.add_argument("--seconds", type=float, default=5.0, help="per scenario (default 5)")
    parser.add_argument("--connections", type=int, default=10, help="wrk connections (10)")
    parser.add_argument("--only", nargs="*", help="only these scenarios (the floor always)")
    parser.add_argument("--skip-assistant", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="keep the database of the last run")
    args = parser.parse_args(argv)

    started = time.monotonic()
    wrk_executable()  # fail before the long seeding, not after
    database = BENCH_DIR / "bench.sqlite3"
    if not (args.reuse and database.exists()):
        env = bench_env(fresh_database())
        print(f"准备压测数据库：{database}（seed_demo --scale {args.scale}）", flush=True)
        manage("migrate", "--noinput", "--verbosity", "0", env=env)
        manage("seed_demo", "--scale", str(args.scale), env=env)
    env = bench_env(database)
    if args.reuse:
        manage("migrate", "--noinput", "--verbosity", "0", env=env)
    manage("collectstatic", "--noinput", "--verbosity", "0", env=env)
    clients = Clients(
        **json.loads(
            _child(
                "qifu.bench.users", str(ENTERPRISE_CLIENTS), str(STAFF_CLIENTS), env=env
            ).splitlines()[-1]
        )
    )
    print(
        f"客户端：{len(clients.enterprise_tokens)} 个企业令牌，{len(clients.staff_tokens)} 个"
        f"平台令牌与会话，{len(clients.appeal_ids)} 件诉求（详情）",
        flush=True,
    )
    scenarios = [s for s in SCENARIOS if not args.only or s.name in args.only or s.name == "floor"]
    measurements = []
    appeals_before = appeals_after = 0
    with gunicorn(env=env) as server:
        url = f"http://{server.host}:{server.port}"
        for scenario in scenarios:
            requests = scenario.requests(clients)
            if not requests:
                raise BenchError(f"{scenario.name}: no requests (no clients?)")
            first = requests[0]
            status, body = send(server.host, server.port, first, timeout=60)
            if status != first.expect_status:
                raise BenchError(f"{scenario.name}: HTTP {status} {body[:300]!r}")
            print(f"测量 {scenario.name}（{len(requests)} 个不同请求）…", flush=True)
            if scenario.warm_each:
                for request in requests:
                    send(server.host, server.port, request, timeout=120)
            # Warm every worker (imports, templates, caches) before the measured run.
            run_wrk(
                name=scenario.name,
                url=url,
                requests=requests,
                workdir=BENCH_DIR / "wrk",
                seconds=1,
                connections=args.connections,
            )
            if scenario.name == "appeal_intake":
                appeals_before = int(_child("qifu.bench.users", "count", env=env))
            measured = run_wrk(
                name=scenario.name,
                url=url,
                requests=requests,
                workdir=BENCH_DIR / "wrk",
                seconds=args.seconds,
                connections=args.connections,
                check_status=scenario.check_status,
            )
            if scenario.name == "appeal_intake":
                time.sleep(1)  # requests wrk gave up on at the end may still be finishing
                appeals_after = int(_child("qifu.bench.users", "count", env=env))
            measurements.append(measured)
            print(
                f"  {measured.rps:.0f} 次/秒，p50 {measured.p50_ms:.1f} ms，"
                f"p95 {measured.p95_ms:.1f} ms，错误 {measured.errors}",
                flush=True,
            )
        assistant = None
        if not args.skip_assistant and not args.only:
            print("测量 assistant（评测集准确率与 5,000 条知识库的 HTTP 答复延迟）…", flush=True)
            assistant = assistant_bench.measure_over_http(server=server, env=env)

    rows = result_rows(measurements)
    if not args.only:
        print("测量 matching_throughput …", flush=True)
        rows.append(matching_row(run_in_child(env=env)))
    if assistant is not None:
        rows.extend(assistant_bench.assistant_rows(assistant))
    intake = next((m for m in measurements if m.name == "appeal_intake"), None)
    if intake is not None:
        created = appeals_after - appeals_before
        accepted = intake.requests - intake.errors
        rows.append(
            {
                "name": "appeal_intake_lost",
                "value": max(0, accepted - created),
                "unit": "appeals",
                "baseline": accepted,
                "ratio": round(max(0, accepted - created) / accepted, 4) if accepted else None,
            }
        )
    output = BENCH_DIR / "results.json"
    write_results(output, rows)
    print(format_table(rows))
    print("\n".join(goal_lines(rows, {s.name: s.goal for s in SCENARIOS if s.goal})))
    if assistant is not None:
        print(assistant_bench.summary(assistant))
    print(f"结果已写入 {output}（用时 {time.monotonic() - started:.0f} 秒）")
    failed = [m for m in measurements if m.errors]
    for m in failed:
        print(f"错误：{m.name} 有 {m.errors} 个请求未返回预期状态。", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (BenchError, WrkMissing) as exc:
        print(f"压测失败：{exc}", file=sys.stderr)
        sys.exit(1)
