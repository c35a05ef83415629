"""python -m qifu.bench [--scale N] [--seconds S] [--threads T]"""

from __future__ import annotations

import argparse
import sys
import time

from qifu.bench import assistant as assistant_bench
from qifu.bench.load import measure, send
from qifu.bench.matching import matching_row, run_in_child
from qifu.bench.results import format_table, result_rows, write_results
from qifu.bench.scenarios import SCENARIOS
from qifu.bench.server import (
    BENCH_DIR,
    BenchError,
    bench_env,
    fresh_database,
    gunicorn,
    manage,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m qifu.bench", description=__doc__)
    parser.add_argument(
        "--scale", type=int, default=10, help="seed_demo --scale (default 10: 100,000 appeals)"
    )
    parser.add_argument("--seconds", type=float, default=2.0, help="per scenario (default 2)")
    parser.add_argument("--threads", type=int, default=4, help="client threads (default 4)")
    args = parser.parse_args(argv)

    started = time.monotonic()
    env = bench_env(fresh_database())
    print(f"准备压测数据库：{BENCH_DIR / 'bench.sqlite3'}")
    manage("migrate", "--noinput", "--verbosity", "0", env=env)
    manage("seed_demo", "--scale", str(args.scale), env=env)
    manage("collectstatic", "--noinput", "--verbosity", "0", env=env)

    measurements = []
    with gunicorn(env=env) as server:
        for scenario in SCENARIOS:
            request = scenario.request(server)
            status, body = send(server.host, server.port, request)
            if status != request.expect_status:
                raise BenchError(f"{scenario.name}: HTTP {status} {body[:300]!r}")
            print(f"测量 {scenario.name} …", flush=True)
            measurements.append(
                measure(
                    name=scenario.name,
                    host=server.host,
                    port=server.port,
                    request=request,
                    threads=args.threads,
                    seconds=args.seconds,
                )
            )
        print("测量 assistant（评测集准确率与 5,000 条知识库的 HTTP 答复延迟）…", flush=True)
        assistant = assistant_bench.measure_over_http(server=server, env=env)

    print("测量 matching_throughput …", flush=True)
    matching = run_in_child(env=env)
    rows = [
        *result_rows(measurements),
        matching_row(matching),
        *assistant_bench.assistant_rows(assistant),
    ]
    output = BENCH_DIR / "results.json"
    write_results(output, rows)
    print(format_table(rows))
    print(assistant_bench.summary(assistant))
    print(f"结果已写入 {output}（用时 {time.monotonic() - started:.0f} 秒）")
    failed = [m for m in measurements if m.errors]
    for m in failed:
        print(f"错误：{m.name} 有 {m.errors} 个请求未返回预期状态。", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"压测失败：{exc}", file=sys.stderr)
        sys.exit(1)
