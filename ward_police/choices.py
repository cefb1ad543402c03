"""The choices of every model select, read with one plain query.

Django's ``ModelChoiceIterator`` reads its queryset with ``.iterator()``, which on PostgreSQL opens a
server-side cursor: DECLARE … WITH HOLD, FETCH, CLOSE, three round trips, and the WITH HOLD copy of
the result at commit, for a select of a ward's streets (a few hundred rows at most). The business
list's three filter selects cost 9 round trips that way instead of 3 (measured: 1.5–2 ms each of a
list page's ~40 ms on the bench machine).

``ListModelChoiceIterator`` is Django's iterator reading the queryset the ordinary way: the same
choices, in the same order, re-read on every iteration as Django's are (never a result cached on a
field that may outlive the request). It is installed as the iterator of
``ModelChoiceField`` and so of ``ModelMultipleChoiceField`` in ``WardPoliceConfig.ready()``; a field
class that names its own iterator keeps it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.forms.models import ModelChoiceIterator

CHUNK_SIZE = 2000  # QuerySet.iterator()'s default


class ListModelChoiceIterator(ModelChoiceIterator):
    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        queryset = self.queryset
        if queryset._prefetch_related_lookups:  # as Django: iterate the queryset itself
            rows = queryset
        else:
            # Django's own iterator with chunked fetching off: one ordinary query, instances built
            # 2,000 rows at a time (a long list does not become one list of models), nothing
            # cached on the field's queryset.
            rows = queryset._iterator(use_chunked_fetch=False, chunk_size=CHUNK_SIZE)
        for obj in rows:
            yield self.choice(obj)


def install() -> None:
    from django import forms

    if forms.ModelChoiceField.iterator is ModelChoiceIterator:
        forms.ModelChoiceField.iterator = ListModelChoiceIterator
