"""A page and its count in one query, for lists whose query reads every match anyway."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window
from django.utils.functional import cached_property

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


class RowsPaginator(Paginator):
    """Pages of ``values_list(*columns)`` rows of ``queryset``, counted on ``queryset`` itself.

    Django counts the rows' own query, with the joins its columns need (the violation list's
    business name: a LEFT JOIN of the businesses on every record of the ward); counted on the
    records alone, PostgreSQL reads the ward index only (violation list at city scale, bench
    machine: 1.85 → 0.5 ms). Only for columns whose joins cannot add or remove rows (a
    foreign key's LEFT JOIN), which is what ``values_list`` of forward relations makes.
    """

    def __init__(self, queryset: QuerySet, per_page: int, columns: Sequence[str]) -> None:
        self._counted = queryset
        super().__init__(queryset.values_list(*columns), per_page)

    @cached_property
    def count(self) -> int:
        return self._counted.count()
