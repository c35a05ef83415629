"""A bounded closed-loop load: a few threads, each sending one request after another."""

from __future__ import annotations

import http.client
import threading
import time
from dataclasses import dataclass, field

from qifu.bench.results import Measurement


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    expect_status: int = 200


def send(host: str, port: int, request: Request, timeout: float = 10.0) -> tuple[int, bytes]:
    """One request on a new connection (gunicorn's sync workers close after each response)."""
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request(request.method, request.path, body=request.body, headers=request.headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def measure(
    *,
    name: str,
    host: str,
    port: int,
    request: Request,
    threads: int = 4,
    seconds: float = 2.0,
    warmup: float = 0.3,
) -> Measurement:
    """Run `threads` loops for `seconds` after a warm-up; count requests, latencies, failures."""
    latencies: list[list[float]] = [[] for _ in range(threads)]
    errors = [0] * threads
    start_gate = threading.Barrier(threads + 1)
    bounds: dict[str, float] = {}

    def worker(index: int) -> None:
        start_gate.wait()
        warm_until = bounds["start"] + warmup
        while (now := time.perf_counter()) < bounds["end"]:
            try:
                status, _ = send(host, port, request)
            except OSError:
                status = 0
            elapsed = time.perf_counter() - now
            if now < warm_until:
                continue
            latencies[index].append(elapsed * 1000)
            if status != request.expect_status:
                errors[index] += 1

    pool = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(threads)]
    for thread in pool:
        thread.start()
    bounds["start"] = time.perf_counter()
    bounds["end"] = bounds["start"] + warmup + seconds
    start_gate.wait()
    for thread in pool:
        thread.join(timeout=seconds + warmup + 30)
    all_latencies = tuple(x for per_thread in latencies for x in per_thread)
    return Measurement(
        name=name,
        requests=len(all_latencies),
        seconds=seconds,
        latencies_ms=all_latencies,
        errors=sum(errors),
    )
