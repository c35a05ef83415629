"""The benchmark's own database and gunicorn, started and always stopped by this process."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from qifu.bench import FLOOR_PATH
from qifu.bench.load import Request, send

BASE_DIR = Path(__file__).resolve().parent.parent.parent
BENCH_DIR = BASE_DIR / "var" / "bench"
HOST = "127.0.0.1"


class BenchError(RuntimeError):
    pass


def bench_env(database: Path) -> dict[str, str]:
    """The environment of every child: its own SQLite file, bench mode, the rate limiter off."""
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{database}",
            "QIFU_BENCH": "1",
            "DEBUG": "0",
            # Off (0), not merely high: a huge limit still reads and rewrites each client's
            # request history on every API request, which is what the limiter costs, not the path.
            "API_RATE_LIMIT_PER_MINUTE": "0",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def fresh_database(name: str = "bench.sqlite3") -> Path:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    database = BENCH_DIR / name
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    return database


def manage(*args: str, env: dict[str, str]) -> None:
    """Run a management command in a child process; stop the benchmark if it fails."""
    command = [sys.executable, str(BASE_DIR / "manage.py"), *args]
    result = subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        command, cwd=BASE_DIR, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BenchError(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    if result.stdout.strip():
        print(result.stdout.rstrip())


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def gunicorn_executable() -> str:
    candidate = Path(sys.executable).parent / "gunicorn"
    found = str(candidate) if candidate.exists() else shutil.which("gunicorn")
    if not found:
        raise BenchError("gunicorn not found next to this Python or on PATH")
    return found


@dataclass
class RunningServer:
    host: str
    port: int
    _tokens: dict[str, str] = field(default_factory=dict)

    def token(self, username: str, password: str = "Demo@2026") -> str:  # noqa: S107 (demo)
        """A bearer token from POST /api/v1/auth/token, fetched once per user."""
        if username not in self._tokens:
            body = json.dumps({"username": username, "password": password}).encode()
            status, content = send(
                self.host,
                self.port,
                Request(
                    "POST",
                    "/api/v1/auth/token",
                    headers={"Content-Type": "application/json"},
                    body=body,
                ),
            )
            if status != 200:
                raise BenchError(f"token for {username}: HTTP {status} {content[:300]!r}")
            self._tokens[username] = json.loads(content)["token"]
        return self._tokens[username]

    def session_cookie(self, username: str, password: str = "Demo@2026") -> str:  # noqa: S107
        """A `Cookie` header value of a signed-in page session, made through the login form."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            conn.request("GET", "/accounts/login/")
            response = conn.getresponse()
            page = response.read().decode()
            cookies = SimpleCookie()
            for header in response.headers.get_all("Set-Cookie") or []:
                cookies.load(header)
            match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
            if match is None or "csrftoken" not in cookies:
                raise BenchError("login page without a CSRF token")
            csrf = cookies["csrftoken"].value
        finally:
            conn.close()
        form = urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": match.group(1)}
        )
        conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            conn.request(
                "POST",
                "/accounts/login/",
                body=form,
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": f"csrftoken={csrf}",
                    "Referer": f"http://{self.host}:{self.port}/accounts/login/",
                },
            )
            response = conn.getresponse()
            response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                cookies.load(header)
        finally:
            conn.close()
        if response.status != 302 or "sessionid" not in cookies:
            raise BenchError(f"sign-in of {username} failed: HTTP {response.status}")
        return f"sessionid={cookies['sessionid'].value}; csrftoken={csrf}"


def _wait_until_ready(proc: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + 120  # five workers importing the project on a busy machine
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BenchError(f"gunicorn exited with {proc.returncode}:\n{log.read_text()[-2000:]}")
        try:
            status, _ = send(HOST, port, Request("GET", FLOOR_PATH), timeout=2)
        except OSError:
            status = 0
        if status == 200:
            return
        time.sleep(0.1)
    raise BenchError(f"gunicorn did not answer within 120 s:\n{log.read_text()[-2000:]}")


@contextmanager
def gunicorn(*, env: dict[str, str], workers: int = 5) -> Iterator[RunningServer]:
    """gunicorn with `workers` sync workers serving the project and, beside it, the floor
    (qifu/bench/wsgi.py), on a free loopback port; stopped on the way out."""
    port = free_port()
    log = BENCH_DIR / "gunicorn.log"
    command = [
        gunicorn_executable(),
        "qifu.bench.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--log-level",
        "warning",
    ]
    with log.open("wb") as log_file:
        proc = subprocess.Popen(  # noqa: S603 (fixed command line)
            command,
            cwd=BASE_DIR,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_until_ready(proc, port, log)
            yield RunningServer(host=HOST, port=port)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
