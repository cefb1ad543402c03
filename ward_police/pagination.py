"""A page and its count in one query, for lists whose query reads every match anyway."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window

TOTAL = "page_total"


class CountedRowsPaginator(Paginator):
    """Pages of ``values_list(*columns)`` rows that carry the whole result's count
    (``COUNT(*) OVER ()``), so a page costs one query instead of a COUNT and a page.

    Only for queries that read every match anyway, such as a search: the trigram index hands all
    matches to the sort, and the count read them a second time (business list search at city
    scale, bench machine: 2 of the page's SQL ms). An unfiltered list ordered by an index reads
    only one page's rows; there a separate count is cheaper, so those keep Django's Paginator.

    A page past the last one, or below 1, falls back to Django's way (a count, then the last
    page), as ``Paginator.get_page`` shows it.
    """

    def __init__(self, queryset: QuerySet, per_page: int, columns: Sequence[str]) -> None:
        rows = queryset.annotate(**{TOTAL: Window(Count("pk"))}).values_list(*columns, TOTAL)
        super().__init__(rows, per_page)

    def get_page(self, number: Any) -> Page:
        try:  # as Paginator.validate_number reads it; not a whole number: the first page
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            wanted = int(number)
        except (TypeError, ValueError):
            wanted = 1
        if wanted < 1:  # Django shows the last page for these
            return super().get_page(wanted)
        bottom = (wanted - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page])
        if rows:
            self.__dict__["count"] = rows[0][-1]  # Paginator.count is a cached_property
            return self._get_page(rows, wanted, self)
        if wanted == 1:
            self.__dict__["count"] = 0
            return self._get_page([], 1, self)
        return super().get_page(wanted)

    def _get_page(self, object_list: Any, number: int, paginator: Paginator) -> Page:
        return Page([row[:-1] for row in object_list], number, paginator)
