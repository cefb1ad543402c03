"""Extension points for apps above inspections (campaigns, criteria) without a dependency cycle.

An app registers a handler in its AppConfig.ready(); the handler runs inside the transaction
that records the inspection, so its writes are all-or-nothing with it. The `source` string the
form carried (e.g. "campaign:12") tells a handler whether the inspection concerns it.
"""

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Inspection

SOURCE_PATTERN = re.compile(r"^[a-z_]{1,30}:\d{1,18}$")

RecordedHandler = Callable[["Inspection"], None]
_recorded_handlers: list[RecordedHandler] = []


def on_inspection_recorded(handler: RecordedHandler) -> RecordedHandler:
    """Register `handler(inspection)`; usable as a decorator. Registering twice is harmless."""
    if handler not in _recorded_handlers:
        _recorded_handlers.append(handler)
    return handler


def run_recorded_handlers(inspection: "Inspection") -> None:
    for handler in list(_recorded_handlers):
        handler(inspection)


def clean_source(value: str) -> str:
    """A "kind:id" label, or "" for anything else (the query string is user input)."""
    value = (value or "").strip()
    return value if SOURCE_PATTERN.match(value) else ""


# --- the plan an inspection was made under, cited by the printed record (#25.8) -----------------

BasisResolver = Callable[["Inspection"], str | None]
_basis_resolvers: list[BasisResolver] = []

# Without a plan or campaign, an officer inspects under the ward police's own duties.
ROUTINE_BASIS = "Kiểm tra thường xuyên theo chức năng, nhiệm vụ của Công an phường"


def on_inspection_basis(resolver: BasisResolver) -> BasisResolver:
    """Register `resolver(inspection) -> text or None`: the plan an inspection was made under."""
    if resolver not in _basis_resolvers:
        _basis_resolvers.append(resolver)
    return resolver


def inspection_basis(inspection: "Inspection") -> str:
    """The first registered app that knows the inspection's source names its plan; else routine."""
    for resolver in list(_basis_resolvers):
        text = resolver(inspection)
        if text:
            return text
    return ROUTINE_BASIS
