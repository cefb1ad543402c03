"""What a page shows, read from its HTML, for tests.

Site pages are Jinja2 templates: Django's Jinja2 backend sends no ``template_rendered`` signal, so a
test client response has no ``context``. Tests read what the user sees instead (or the database):
the records a list links to, the dashboard's headline figures, a table's cells.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html import unescape

from django.http import HttpResponse


def html_of(page: HttpResponse | str) -> str:
    return page if isinstance(page, str) else page.content.decode()


def text(fragment: str) -> str:
    """A fragment's text as the user reads it: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def table_bodies(page: HttpResponse | str) -> str:
    """Everything inside the page's ``<tbody>`` elements (the rows, not the headers or the filters)."""
    return "\n".join(re.findall(r"<tbody>(.*?)</tbody>", html_of(page), re.S))


def linked_pks(page: HttpResponse | str, prefix: str) -> list[int]:
    """The primary keys of the records a list's rows link to (``href="{prefix}{pk}/"``), in the
    order they are shown, each once."""
    pks = re.findall(rf'href="{re.escape(prefix)}(\d+)/"', table_bodies(page))
    return list(dict.fromkeys(int(pk) for pk in pks))


def table_rows(page: HttpResponse | str, table_id: str) -> list[list[str]]:
    """The body rows of ``<table id="table_id">`` as lists of cell texts (``th`` and ``td``)."""
    match = re.search(rf'<table[^>]*id="{re.escape(table_id)}"[^>]*>(.*?)</table>', html_of(page), re.S)
    assert match, f"no table #{table_id} on the page"
    return _rows_of(match.group(1))


@dataclass(frozen=True)
class ShownFigure:
    key: str
    value: str
    label: str
    url: str | None
    hint: str


def figures(page: HttpResponse | str) -> dict[str, ShownFigure]:
    """The dashboard's headline figures by key (``<li class="dash-figure" id="figure-KEY">``)."""
    shown = {}
    for key, body in re.findall(
        r'<li class="dash-figure" id="figure-([\w-]+)">(.*?)</li>', html_of(page), re.S
    ):
        link = re.search(r'<a href="([^"]*)">', body)
        value = re.search(r'<span class="dash-figure__value">(.*?)</span>', body, re.S)
        label = re.search(r'<span class="dash-figure__label">(.*?)</span>', body, re.S)
        hint = re.search(r'<span class="help">(.*?)</span>', body, re.S)
        shown[key] = ShownFigure(
            key=key,
            value=text(value.group(1)) if value else "",
            label=text(label.group(1)) if label else "",
            url=unescape(link.group(1)) if link else None,
            hint=text(hint.group(1)) if hint else "",
        )
    return shown


def _rows_of(table_html: str) -> list[list[str]]:
    body = re.search(r"<tbody>(.*?)</tbody>", table_html, re.S)
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body.group(1) if body else "", re.S)
    return [[text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)] for row in rows]


def panel_tables(page: HttpResponse | str, key: str) -> list[list[list[str]]]:
    """The tables of the dashboard panel ``key`` (``<section id="panel-KEY">``), charts' tables
    first, each as its body rows of cell texts."""
    section = re.search(
        rf'<section[^>]*id="panel-{re.escape(key)}"[^>]*>(.*?)</section>', html_of(page), re.S
    )
    assert section, f"no panel {key} on the page"
    return [_rows_of(table) for table in re.findall(r"<table[^>]*>(.*?)</table>", section.group(1), re.S)]


def charts(page: HttpResponse | str) -> dict[str, dict]:
    """The charts the page draws (``<script type="application/json" id="dashboard-charts">``), by
    canvas id: ``{"chart-trends": {"labels": [...], "datasets": {label: values}}}``."""
    found = re.search(
        r'<script id="dashboard-charts" type="application/json"[^>]*>(.*?)</script>', html_of(page), re.S
    )
    assert found, "no chart data on the page"
    return {
        spec["id"]: {"labels": spec["labels"], "datasets": {d["label"]: d["data"] for d in spec["datasets"]}}
        for spec in json.loads(found.group(1))
    }
