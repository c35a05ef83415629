"""Load from wrk (Debian package `wrk`), not from Python: a loop of Python threads saturates
near 900 requests a second here, below the floor it is meant to measure. `send` is for the few
single requests of the set-up (sign-in, warm-up, the assistant's questions)."""

from __future__ import annotations

import http.client
import json
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from qifu.bench.results import Measurement

WRK_SCRIPT = Path(__file__).resolve().parent / "wrk.lua"


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


class WrkMissing(RuntimeError):
    pass


def wrk_executable() -> str:
    found = shutil.which("wrk")
    if not found:
        raise WrkMissing("wrk not found: `make wrk` installs it (apt-get install -y wrk)")
    return found


def request_lines(requests: list[Request]) -> str:
    """The REQUESTS file of wrk.lua: one line per request, path then headers, tab-separated."""
    lines = []
    for r in requests:
        for text in (r.path, *r.headers.values(), *r.headers):
            if "\t" in text or "\n" in text:
                raise ValueError(f"tab or newline in a request line: {text!r}")
        lines.append("\t".join([r.path, *(f"{k}: {v}" for k, v in r.headers.items())]))
    return "\n".join(lines) + "\n"


def parse_wrk(name: str, output: str) -> Measurement:
    """The QIFU_JSON line that wrk.lua's done() prints."""
    for line in reversed(output.splitlines()):
        if line.startswith("QIFU_JSON "):
            data = json.loads(line.removeprefix("QIFU_JSON "))
            break
    else:
        raise ValueError(f"{name}: no QIFU_JSON line in wrk's output:\n{output[-2000:]}")
    errors = data["connect"] + data["read"] + data["write"] + data["timeout"]
    errors += max(data["status"], data["unexpected"])
    return Measurement(
        name=name,
        requests=int(data["requests"]),
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p95_ms=data["p95_us"] / 1000,
        errors=int(errors),
    )


def run_wrk(
    *,
    name: str,
    url: str,
    requests: list[Request],
    workdir: Path,
    seconds: float,
    connections: int = 10,
    threads: int = 2,
    check_status: bool = False,
) -> Measurement:
    """Closed-loop load for `seconds` over `connections`, cycling through `requests` (all with
    the method, body and expected status of the first)."""
    workdir.mkdir(parents=True, exist_ok=True)
    lines = workdir / f"{name}.requests"
    lines.write_text(request_lines(requests), encoding="utf-8")
    first = requests[0]
    body = "-"
    if first.body is not None:
        body_file = workdir / f"{name}.body"
        body_file.write_bytes(first.body)
        body = str(body_file)
    command = [
        wrk_executable(),
        f"-t{threads}",
        f"-c{max(connections, threads)}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        str(WRK_SCRIPT),
        url,
        "--",
        str(lines),
        first.method,
        body,
        str(first.expect_status),
        "1" if check_status else "0",
    ]
    result = subprocess.run(  # noqa: S603 (wrk with our own arguments)
        command, capture_output=True, text=True, check=False, timeout=seconds + 60
    )
    if result.returncode != 0:
        raise RuntimeError(f"wrk failed for {name}:\n{result.stdout}\n{result.stderr}")
    return parse_wrk(name, result.stdout)
