"""Errors a document kind may raise while building its context or rendering.

Transient errors (a storage or database hiccup) are retried with backoff; anything else is
permanent and its message, when it is a DocumentError, is shown to the person who asked.
"""


class DocumentError(Exception):
    """A permanent failure with a message fit to show the user (already translated)."""


class TransientDocumentError(Exception):
    """A failure worth retrying later (storage unavailable, database restarting, ...)."""
