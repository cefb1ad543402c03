"""Every GET page of the project, opened in Chromium by every role that may open it: no
Content-Security-Policy violation, no console error, no script error, no failed request.

The pages come from the access matrix's PAGES table (itself checked against the URLconf), with
its `samples` objects for URL parameters: a page another app adds to PAGES is walked here too.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.factories import TEST_PASSWORD, UserFactory
from tests.security.test_access_matrix import PAGES, URL_NAMES

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

GET_PAGES = [name for name in URL_NAMES if PAGES[name].method == "GET"]

# Installed before any page script runs; Playwright's init scripts are not subject to the CSP.
CSP_WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__csp.push(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"} at ${where}`);
});
"""


def _browser_own(url: str) -> bool:
    # The browser asks for an icon by itself (on a JSON page, /favicon.ico), outside the page's
    # load and sometimes after the next navigation has begun: not the page's doing.
    return "favicon" in url


class Watch:
    """Collects everything a page does wrong while it loads."""

    def __init__(self, page) -> None:
        self.page = page
        self.problems: list[str] = []
        page.add_init_script(CSP_WATCH)
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.problems.append(f"script error: {e}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    def _console(self, message) -> None:
        if message.type == "error" and not _browser_own(message.location.get("url", "")):
            self.problems.append(f"console error: {message.text} ({message.location.get('url')})")

    def _failed(self, request) -> None:
        if request.resource_type in ("image", "xhr", "fetch") and "ERR_ABORTED" in (request.failure or ""):
            # A lazy thumbnail still loading after the load event is cancelled by the next
            # navigation (seen on the inspection list on a busy machine), and so is the header's
            # notification count, which htmx asks for once the page has loaded; a broken image
            # or request answers with an HTTP error instead, which _response reports.
            return
        if not _browser_own(request.url):
            self.problems.append(f"request failed: {request.url} {request.failure}")

    def _response(self, response) -> None:
        if response.status >= 400 and not _browser_own(response.url):
            self.problems.append(f"HTTP {response.status} {response.url}")

    def visit(self, url: str) -> list[str]:
        start = len(self.problems)
        self.page.goto(url, wait_until="load")
        csp = self.page.evaluate("window.__csp || []")
        return self.problems[start:] + [f"CSP: {v}" for v in csp]


def _url(live_server, name: str, samples, user=None) -> str:
    spec = PAGES[name]
    kwargs = spec.for_user(samples, user) if spec.for_user and user is not None else spec.kwargs(samples)
    return live_server.url + reverse(name, kwargs=kwargs)


def _log_in(page, live_server, username: str) -> None:
    page.goto(live_server.url + reverse("accounts:login"))
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.mark.parametrize("role", sorted(Role.values))
def test_every_page_a_role_may_open_loads_without_csp_or_console_errors(
    live_server, page, ward_a, samples, role
):
    user = UserFactory(username=f"u-{role}", ward=ward_a, role=role, is_superuser=role == Role.ADMIN)
    watch = Watch(page)
    _log_in(page, live_server, f"u-{role}")
    visited, problems = [], {}
    for name in GET_PAGES:
        spec = PAGES[name]
        if not spec.public and role not in spec.roles:
            continue  # a 403 page by design; the access matrix checks those
        url = _url(live_server, name, samples, user)
        if spec.download:
            response = page.request.get(url)
            found = (
                []
                if response.ok
                and (
                    "attachment" in response.headers.get("content-disposition", "")
                    or response.headers.get("content-type", "").startswith("image/")
                )
                else [f"download answered HTTP {response.status}"]
            )
        else:
            found = watch.visit(url)
        visited.append(name)
        if found:
            problems[name] = found
    assert problems == {}
    assert len(visited) >= 8, visited


def test_public_pages_load_without_csp_or_console_errors_for_anonymous_visitors(live_server, page, samples):
    watch = Watch(page)
    public = [name for name in GET_PAGES if PAGES[name].public]
    assert public
    problems = {name: found for name in public if (found := watch.visit(_url(live_server, name, samples)))}
    assert problems == {}


def test_the_watch_does_see_an_inline_script_and_an_inline_style(live_server, page):
    """The check above can fail: code that breaks the CSP is caught."""
    watch = Watch(page)
    assert watch.visit(live_server.url + reverse("accounts:login")) == []
    page.evaluate(
        """() => {
          const s = document.createElement("script");
          s.textContent = "window.__ran = true";
          document.body.appendChild(s);
          document.body.setAttribute("style", "color: red");
        }"""
    )
    page.wait_for_timeout(200)
    violations = page.evaluate("window.__csp")
    assert page.evaluate("window.__ran === true") is False
    assert any(v.startswith("script-src") for v in violations), violations
    assert any(v.startswith("style-src") for v in violations), violations
