"""Document kinds: what a feature app tells the printer about one kind of document.

A feature app registers its kinds in `<app>/documents.py` (imported by DocumentsConfig.ready()):

    register(DocumentKind(kind="violation-record", title=_("Administrative violation record"),
                          template="violations/documents/violation_record.html",
                          build_context=..., version=..., ward_id=..., filename=...))

All callables take the record's id (the worker re-fetches; nothing but ids crosses the broker).
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class DocumentKind:
    kind: str
    title: Any  # str or lazy translation; the PDF itself is always rendered in Vietnamese
    template: str
    # object id -> template context (the record, its rows, its "number", ...); runs in the worker.
    build_context: Callable[[int], dict]
    # object id -> a string that changes whenever the printed content would change.
    version: Callable[[int], str]
    # object id -> the ward the record belongs to (ward scoping of the job and its file).
    ward_id: Callable[[int], int]
    # object id -> download name; made ASCII-safe by the documents app.
    filename: Callable[[int], str]
    # Optional: a callable(template, context, *, progress) -> bytes for documents with very long
    # tables that render in chunks (see documents.rendering.render_pdf_chunked); None: one render.
    renderer: Callable[..., bytes] | None = None
    # A private document (e.g. one printing personal data in full) belongs to whoever asked for
    # it: each requester gets their own job, and nobody else may see or download it.
    private: bool = False
    # Official documents (#29): object id -> its line in the register of document numbers, or
    # None while it is a draft. Once numbered, the document is issued: signed at its first render
    # and stored as issued (documents.issuing); every later request returns those bytes.
    issued_entry: Callable[[int], Any] | None = None
    extra: dict = field(default_factory=dict)


_registry: dict[str, DocumentKind] = {}


class UnknownDocumentKind(LookupError):
    pass


def register(kind: DocumentKind) -> DocumentKind:
    existing = _registry.get(kind.kind)
    if existing is not None and existing != kind:
        raise ImproperlyConfigured(f"Document kind {kind.kind!r} is registered twice.")
    _registry[kind.kind] = kind
    return kind


def unregister(kind: str) -> None:
    _registry.pop(kind, None)


def get(kind: str) -> DocumentKind:
    try:
        return _registry[kind]
    except KeyError:
        raise UnknownDocumentKind(kind) from None


def kinds() -> list[DocumentKind]:
    return sorted(_registry.values(), key=lambda k: k.kind)


def fingerprint(data: Any) -> str:
    """A stable hash of plain data (dates and decimals as text): a ready-made `version`."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
