"""Process plumbing for the benchmarks: the database, the gunicorn server, wrk and its output."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def ensure_database(url: str) -> None:
    """Create the benchmark database if it does not exist (PostgreSQL only)."""
    import psycopg

    match = re.match(
        r"postgres(?:ql)?://(?P<auth>[^@/]*@)?(?P<host>[^/:]+)(?::(?P<port>\d+))?/(?P<name>[^?]+)", url
    )
    if not match:
        raise SystemExit(f"bench needs a PostgreSQL DATABASE_URL, got {url!r}")
    user = (match["auth"] or "postgres@").rstrip("@").split(":")[0] or "postgres"
    with psycopg.connect(
        host=match["host"], port=int(match["port"] or 5432), user=user, dbname="postgres", autocommit=True
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (match["name"],)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{match["name"]}"')


def manage(*args: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)
    return time.perf_counter() - start


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen
    port: int

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_pids(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True).stdout
        return [int(p) for p in out.split()]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


def start_gunicorn(env: dict[str, str], workers: int) -> Server:
    port = free_port()
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "ward_police.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--keep-alive",
            "5",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    server = Server(process, port)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{server.base_url}/healthz/", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    server.stop()
    raise SystemExit("gunicorn did not answer /healthz/ within 60 s")


@dataclass
class WrkResult:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    non_2xx: int


_UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    match = re.match(r"([\d.]+)(us|ms|s|m)$", text)
    if not match:
        raise ValueError(f"cannot read a latency from {text!r}")
    return float(match[1]) * _UNIT[match[2]]


def parse_wrk(output: str) -> WrkResult:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M)[1])
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M)[1])
    errors = 0
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output):
        errors = sum(int(x) for x in m.groups())
    non_2xx = int(m[1]) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", output)) else 0
    return WrkResult(rps, p50, p99, errors, non_2xx)


def _rotation_script(paths: list[str]) -> str:
    """A wrk Lua script that sends each connection's requests to `paths` in turn."""
    quoted = ", ".join('"' + p.replace("\\", "\\\\").replace('"', '\\"') + '"' for p in paths)
    return (
        f"local paths = {{{quoted}}}\n"
        "local n = 0\n"
        "request = function()\n"
        "  n = n % #paths + 1\n"
        '  return wrk.format("GET", paths[n])\n'
        "end\n"
    )


def run_wrk(
    url: str,
    *,
    cookie: str,
    duration: int,
    connections: int = 8,
    threads: int = 2,
    rotate: list[str] | None = None,
) -> WrkResult:
    """Load `url` with wrk; with `rotate`, each connection's requests go to those paths in turn."""
    cmd = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--latency",
        "-H",
        f"Cookie: {cookie}",
    ]
    script = None
    if rotate:
        import tempfile

        script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)  # noqa: SIM115
        script.write(_rotation_script(rotate))
        script.close()
        cmd += ["-s", script.name]
    try:
        out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    finally:
        if script:
            os.unlink(script.name)
    result = parse_wrk(out)
    if result.non_2xx or result.errors:
        print(f"  ! {url}: {result.non_2xx} non-2xx responses, {result.errors} socket errors", flush=True)
    return result


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except FileNotFoundError:
        return 0.0
    return 0.0


def env_for_bench() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ward_police_bench")
    env.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/9")
    # The full stack's cache (the reference data: roles, places, checklists), shared by the workers.
    env.setdefault("CACHE_URL", env["CELERY_BROKER_URL"])
    env["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    env.pop("DEBUG", None)
    return env
