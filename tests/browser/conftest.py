import os
import shutil

import pytest

from tests import htmlcheck

# The access matrix's `samples` fixture (one object of ward A per URL parameter), for the walk
# over every page in tests/browser/test_every_page_browser.py.
from tests.security.test_access_matrix import samples  # noqa: F401

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM) or shutil.which("chromium"):
        return
    if os.environ.get("CI"):
        # In CI a missing browser is a broken setup, not a reason to skip.
        raise pytest.UsageError(f"Chromium not found at {CHROMIUM}; .ci/run must install it.")
    skip = pytest.mark.skip(reason=f"Chromium not installed at {CHROMIUM} (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(autouse=True)
def _pages_are_valid_html(request):
    """Every page a browser test opens passes the Nu Html Checker (tests/htmlcheck.py)."""
    if "browser" not in request.keywords:
        yield
        return
    checker = request.getfixturevalue("html_checker")
    htmlcheck.RECORDED = []
    try:
        yield
    finally:
        pages, htmlcheck.RECORDED = htmlcheck.RECORDED, None
    if checker is not None and pages:
        errors = checker.report(pages)
        if errors:
            pytest.fail("The Nu Html Checker found errors:\n" + "\n".join(errors), pytrace=False)
