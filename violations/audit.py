"""Audit history (django-pghistory) on PostgreSQL, and what happens on SQLite.

pghistory records every insert, update and delete of violations, violation types and businesses
with database triggers, and attaches a context (the user, the URL) injected into each SQL
statement. Both are PostgreSQL features: on the embedded SQLite default the event tables exist
but stay empty, and the history panel says so instead of showing a partial history (documented
choice: an application-level imitation would miss raw SQL and admin bulk edits, i.e. exactly
the changes an audit must catch).
"""

from contextlib import AbstractContextManager, nullcontext
from typing import Any

import pghistory
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
