"""Audit history (django-pghistory) on PostgreSQL, and what happens on SQLite.

pghistory records every insert, update and delete of violations, violation types and businesses
with database triggers, and attaches a context (the user, the URL) injected into each SQL
statement. Both are PostgreSQL features: on the embedded SQLite default the event tables exist
but stay empty, and the history panel says so instead of showing a partial history (documented
choice: an application-level imitation would miss raw SQL and admin bulk edits, i.e. exactly
the changes an audit must catch).
"""

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

import pghistory
import pgtrigger
from django.apps import apps
from django.db import connection
from pghistory.middleware import HistoryMiddleware as PghistoryMiddleware


def audit_supported() -> bool:
    return connection.vendor == "postgresql"


def audit_context(user: Any = None, **metadata: Any) -> AbstractContextManager:
    """Group the changes of one service call under a context naming the user (PostgreSQL only)."""
    if not audit_supported():
        return nullcontext()
    if user is not None and getattr(user, "pk", None):
        metadata["user"] = user.pk
    return pghistory.context(**metadata)


class HistoryMiddleware(PghistoryMiddleware):
    """pghistory's middleware (user and URL of each write request), skipped on SQLite where its
    `set_config` statements do not exist."""

    def __call__(self, request):
        if not audit_supported():
            return self.get_response(request)
        return super().__call__(request)


@contextmanager
def triggers_skipped(*uris: str) -> Iterator[None]:
    """`pgtrigger.ignore(*uris)`, also for writes that bypass Django's cursor (COPY in
    ward_police.bulk), inside a transaction. Nothing to skip without PostgreSQL.

    pgtrigger tells its triggers what to skip through a transaction-local setting it puts in
    front of every statement Django runs: one statement here sets it for whatever follows in the
    block, until pgtrigger clears it on the way out.
    """
    if not audit_supported():
        yield
        return
    with pgtrigger.ignore(*uris):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        yield


@contextmanager
def insert_events_in_bulk(tracked: str, event: str) -> Iterator[None]:
    """Bulk inserts into the table of `tracked` ("app.Model") audited by one statement, not one
    trigger call per row.

    pghistory's insert trigger looks its context up inside a PL/pgSQL exception block: one
    subtransaction per row. Thousands of them in one transaction make every further insert
    slower (measured while seeding 100.000 businesses in one transaction: 2.7 s for the first
    4.500 rows, 20 s for the twentieth 4.500). Inside this block the trigger is skipped; on the
    way out every row inserted meanwhile gets its "insert" event, with the columns the trigger
    would have written, in one INSERT ... SELECT. Without PostgreSQL there is no trigger and
    nothing to do.
    """
    if not audit_supported():
        yield
        return
    model, event_model = apps.get_model(tracked), apps.get_model(event)
    table, pk = model._meta.db_table, model._meta.pk.column
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX({quote(pk)}), 0) FROM {quote(table)}")  # noqa: S608
        (before,) = cursor.fetchone()
    with triggers_skipped(f"{tracked}:insert_insert"):
        yield
    special = {
        "pgh_created_at": "NOW()",
        "pgh_label": "'insert'",
        "pgh_obj": quote(pk),
        "pgh_context": "NULL",
    }
    columns, values = [], []
    for field in event_model._meta.concrete_fields:
        if field.name == "pgh_id":
            continue
        columns.append(quote(field.column))
        values.append(special.get(field.name) or quote(field.column))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(event_model._meta.db_table)} ({', '.join(columns)}) "  # noqa: S608
            f"SELECT {', '.join(values)} FROM {quote(table)} WHERE {quote(pk)} > %s ORDER BY {quote(pk)}",
            [before],
        )
