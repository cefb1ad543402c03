"""Inspection submission under load: logged-in officers post the real inspection form (CSRF token,
session cookie, every checklist item answered) through gunicorn, several at once.

Each client thread opens the form of a business once (as a phone does), then submits it again and
again with a new submission id: every POST stores one new inspection. Only the POSTs are timed.
"""

from __future__ import annotations

import http.client
import statistics
import threading
import time
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit


class _FormFields(HTMLParser):
    """The inputs of the inspection form: hidden values, the first radio of every checklist item
    ("meets"), the first inspecting officer checkbox and the csrf token."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._seen_radio: set[str] = set()
        self._seen_checkbox: set[str] = set()

    _select: str = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "select":
            self._select = a.get("name", "")
            return
        if tag == "option" and self._select:  # the first option of a select (as the page shows it)
            self.fields.append((self._select, a.get("value", "")))
            self._select = ""
            return
        if tag != "input":
            return
        name, kind = a.get("name", ""), a.get("type", "text")
        if not name:
            return
        if kind == "hidden":
            self.fields.append((name, a.get("value", "")))
        elif kind == "radio" and name.startswith("item-") and name not in self._seen_radio:
            self._seen_radio.add(name)
            self.fields.append((name, a.get("value", "")))
        elif kind == "checkbox" and name == "inspectors" and name not in self._seen_checkbox:
            self._seen_checkbox.add(name)
            self.fields.append((name, a.get("value", "")))
        elif name == "person_present_name":
            self.fields.append((name, a.get("value", "") or "Chủ cơ sở"))


@dataclass
class SubmitResult:
    count: int = 0
    errors: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    seconds: float = 0.0
    first_error: str = ""

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    @property
    def p99_ms(self) -> float:
        if not self.latencies_ms:
            return 0.0
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else 0.0


def _client(base_url: str, cookie: str, path: str, seconds: float, out: SubmitResult, lock) -> None:
    parts = urlsplit(base_url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    headers = {"Cookie": cookie, "Host": parts.netloc}
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    page = response.read().decode("utf-8")
    csrf_cookie = ""
    for header, value in response.getheaders():
        if header.lower() == "set-cookie" and value.startswith("csrftoken="):
            csrf_cookie = value.split(";", 1)[0]
    if response.status != 200:
        with lock:
            out.errors += 1
            out.first_error = out.first_error or f"GET {path}: HTTP {response.status}"
        return
    parser = _FormFields()
    parser.feed(page)
    post_headers = {
        **headers,
        "Cookie": f"{cookie}; {csrf_cookie}" if csrf_cookie else cookie,
        "Content-Type": "application/x-www-form-urlencoded",
        "Referer": base_url + path,  # Django checks it for HTTPS only; sent as a browser would
        "Origin": base_url,
    }
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        fields = [(k, str(uuid.uuid4()) if k == "submission_id" else v) for k, v in parser.fields]
        body = urlencode(fields)
        start = time.perf_counter()
        conn.request("POST", path, body=body, headers=post_headers)
        response = conn.getresponse()
        response.read()
        elapsed = (time.perf_counter() - start) * 1000
        with lock:
            if response.status == 302 and "/inspections/" in (response.getheader("Location") or ""):
                out.count += 1
                out.latencies_ms.append(elapsed)
            else:
                out.errors += 1
                out.first_error = out.first_error or f"POST {path}: HTTP {response.status}"
    conn.close()


def run(
    base_url: str, cookie: str, paths: list[str], *, seconds: float, concurrency: int = 8
) -> SubmitResult:
    out = SubmitResult()
    lock = threading.Lock()
    threads = [
        threading.Thread(
            target=_client, args=(base_url, cookie, paths[n % len(paths)], seconds, out, lock), daemon=True
        )
        for n in range(concurrency)
    ]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out.seconds = time.perf_counter() - start
    return out
