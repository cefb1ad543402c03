"""The dashboard's tables, written in Python.

A year's dashboard shows some 300 cells (streets, residential groups, months, watch-lists, each
also as the table behind its chart); through the template engine (a loop, three conditions and a
lookup per cell) they were a fifth of the page's CPU. The markup is the one
templates/dashboards/partials/table.html wrote: the first cell of a row is its header.
"""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from dashboards.panels import Table
from ward_police.rows import escape

register = template.Library()


@register.simple_tag
def dash_table(table: Table) -> SafeString:
    head = "".join(f'<th scope="col">{escape(column)}</th>' for column in table.columns)
    rows = []
    for row in table.rows:
        cells = []
        for n, cell in enumerate(row):
            text = escape(cell.text)
            if cell.url:
                text = f'<a href="{escape(cell.url)}">{text}</a>'
            if n == 0:
                cells.append(f'<th scope="row">{text}</th>')
            else:
                cells.append(f'<td class="num">{text}</td>' if cell.numeric else f"<td>{text}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    if not rows:
        rows.append(f'<tr><td colspan="{len(table.columns)}">{escape(table.empty)}</td></tr>')
    body = "\n  ".join(rows)
    return mark_safe(  # noqa: S308 - every text and address is escaped
        f'<div class="table-wrap"><table class="dash-table">\n  <caption>{escape(table.caption)}</caption>\n'
        f"  <thead><tr>{head}</tr></thead>\n  <tbody>\n  {body}\n  </tbody>\n</table></div>"
    )
