"""The Nu Html Checker that the browser tests and journeys run on every page they open (tests/htmlcheck.py)."""

import pytest

from tests import htmlcheck

VALID = '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Cơ sở</title></head><body><main><p>Xin chào</p></main></body></html>'.encode()


@pytest.fixture
def checker(html_checker):
    if html_checker is None:
        pytest.skip("Java or vnu.jar is missing on this machine (CI has them)")
    return html_checker


def test_a_valid_page_has_no_error(checker):
    assert checker.errors(VALID) == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'<input type="search" type="text" name="q" aria-label="q">', "Duplicate attribute"),
        (b'<a href="/x" hx-get="/x">x</a>', "hx-get"),
        (b"<ul><div>x</div></ul>", "Element \u201cdiv\u201d not allowed as child"),
    ],
)
def test_the_faults_the_issue_names_are_errors(checker, body, message):
    page = VALID.replace(b"<p>Xin ch\xc3\xa0o</p>", body)
    errors = checker.errors(page)
    assert any(message in e for e in errors), errors


def test_data_hx_attributes_are_valid(checker):
    assert checker.errors(VALID.replace(b"<p>", b'<p data-hx-get="/x" data-hx-trigger="load">')) == []


def test_only_whole_pages_are_recorded(rf):
    from django.http import HttpResponse

    request = rf.get("/")
    assert htmlcheck.is_page(request, HttpResponse(VALID))
    assert not htmlcheck.is_page(rf.get("/", HTTP_HX_REQUEST="true"), HttpResponse(VALID))
    assert not htmlcheck.is_page(request, HttpResponse(b"<tr><td>1</td></tr>"))
    assert not htmlcheck.is_page(request, HttpResponse(VALID, status=404))


def test_the_empty_assessment_list_spans_exactly_its_columns(checker, client, charlie):
    # Found by the checker in the chairman's journey: a ward user's table has five columns.
    client.force_login(charlie)
    from django.urls import reverse

    html = client.get(reverse("criteria:assessments")).content
    assert b'<td colspan="5">' in html
    assert [e for e in checker.errors(html) if "Table column" in e] == []
