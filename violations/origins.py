"""Where a record came from (e.g. the inspection that proposed it), for the record page.

Apps above violations register a source in their AppConfig.ready(): violations never imports
them (DESIGN.md: dependencies point downward), as with the business page's timeline.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Violation


@dataclass(frozen=True)
class Origin:
    label: str
    url: str


OriginSource = Callable[["Violation"], Iterable[Origin]]
_sources: list[OriginSource] = []


def register_origin_source(source: OriginSource) -> OriginSource:
    """Register `source(violation) -> origins`; registering twice is harmless."""
    if source not in _sources:
        _sources.append(source)
    return source


def origins_for(violation: "Violation") -> list[Origin]:
    return [origin for source in _sources for origin in source(violation)]
