"""Every list's pages come from one macro (jinja2/macros/lists.html)."""

from django.core.paginator import Paginator
from django.template import engines
from django.utils import translation

SOURCE = '{% from "macros/lists.html" import pagination %}{{ pagination(page, query) }}'


def render(page, query=""):
    with translation.override("vi"):
        return engines["jinja2"].from_string(SOURCE).render({"page": page, "query": query})


def test_a_middle_page_links_both_ways_and_keeps_the_filters():
    html = render(Paginator(range(120), 50).page(2), "status=open&q=c%C3%A0+ph%C3%AA")
    assert '<nav class="pagination" aria-label="Phân trang">' in html
    assert 'href="?status=open&amp;q=c%C3%A0+ph%C3%AA&amp;page=1" rel="prev">Trang trước</a>' in html
    assert 'href="?status=open&amp;q=c%C3%A0+ph%C3%AA&amp;page=3" rel="next">Trang sau</a>' in html
    assert "<span>Trang 2/3</span>" in html


def test_the_first_page_has_no_previous_link_and_no_stray_ampersand():
    html = render(Paginator(range(120), 50).page(1))
    assert 'rel="prev"' not in html
    assert 'href="?page=2" rel="next"' in html


def test_a_single_page_shows_no_pagination():
    assert render(Paginator(range(10), 50).page(1)).strip() == ""
