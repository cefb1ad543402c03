"""bench.runner: wrk's output is read right and a rotation sends requests to every page in turn."""

import shutil
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench import runner


def test_parse_wrk_reads_rate_latencies_and_errors():
    output = """Running 10s test @ http://127.0.0.1:8000/
  2 threads and 8 connections
  Latency Distribution
     50%   45.10ms
     75%   60.00ms
     90%   80.00ms
     99%    1.20s
  1234 requests in 10.01s, 5.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:    123.28
"""
    result = runner.parse_wrk(output)
    assert (result.rps, result.p50_ms, result.p99_ms, result.errors, result.non_2xx) == (
        123.28,
        45.1,
        1200.0,
        3,
        4,
    )


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed (apt-get install wrk)")
def test_a_rotation_loads_every_path_in_turn_with_the_cookie():
    seen: Counter = Counter()
    cookies: set = set()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802 - http.server's name
            seen[self.path] += 1
            cookies.add(self.headers.get("Cookie"))
            body = b"ok"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        paths = ["/dashboard/", "/businesses/?q=nguyen+thai+hoc", "/violations/"]
        result = runner.run_wrk(
            f"http://127.0.0.1:{server.server_port}/dashboard/",
            cookie="sessionid=abc",
            duration=1,
            connections=2,
            threads=1,
            rotate=paths,
        )
    finally:
        server.shutdown()
    assert set(seen) == set(paths)
    assert max(seen.values()) - min(seen.values()) <= 2  # each connection goes round the paths
    assert cookies == {"sessionid=abc"}
    assert result.rps > 0 and result.non_2xx == 0


def test_a_case_is_compared_with_the_bare_run_beside_it():
    from bench.__main__ import paired_ratio

    # The machine slowed down to half speed during the second pair: two pairs of three say 0.8,
    # while the median case run (40) over the median bare run (100) would say 0.4.
    assert paired_ratio([80.0, 40.0, 40.0], [100.0, 100.0, 50.0]) == pytest.approx(0.8)
    assert paired_ratio([60.0, 90.0, 30.0], [100.0, 100.0, 50.0]) == pytest.approx(0.6)
    assert paired_ratio([], []) == 0.0 and paired_ratio([5.0], [0.0]) == 0.0
