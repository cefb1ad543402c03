"""The dashboard is a list of registered panels.

A panel turns (ward, period) into plain data: headline figures, charts and tables. The web page
(Chart.js + table fallback) and the PDF (server-side SVG) render that same data, so a new source
(campaigns, citizen feedback) is added by writing one function and registering it, e.g. in
`dashboards/builtin_panels.py`:

    register(Panel(key="campaigns", title=_("Active campaigns"), order=55, build=campaign_panel))

Each panel's build runs a bounded number of aggregate queries (tests hold the page to a budget).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, lru_cache
from typing import Any
from urllib.parse import urlencode

from django.urls import get_script_prefix, reverse

from wards.models import Ward

from .periods import DashboardPeriod
from .selectors import WardFacts


def number(value: int | None) -> str:
    """Vietnamese thousands separator: 20.000."""
    return "—" if value is None else f"{value:,}".replace(",", ".")


def percent(value: Decimal | None) -> str:
    """Vietnamese decimal comma: 87,5%."""
    if value is None:
        return "—"
    text = f"{value:.1f}".replace(".", ",")
    return f"{text.removesuffix(',0')}%"


@lru_cache(maxsize=64)
def _path(name: str, prefix: str) -> str:
    return reverse(name)


def list_url(name: str, **params: Any) -> str:
    """A list page's address with its filters. The path of each name is reversed once per process
    and script prefix (a year's dashboard links some 70 cells to lists)."""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    url = _path(name, get_script_prefix())
    return f"{url}?{query}" if query else url


@dataclass(frozen=True)
class DashboardContext:
    ward: Ward
    period: DashboardPeriod
    today: dt.date

    @cached_property
    def facts(self) -> WardFacts:
        """Grouped reads shared by several panels (one query each, run on first use)."""
        return WardFacts(self.ward, self.period)

    @property
    def date_range(self) -> dict[str, str]:
        """The period as the list pages' date filters (yyyy-mm-dd, as a browser date field sends it)."""
        return {"date_from": self.period.start.isoformat(), "date_to": self.period.last_day.isoformat()}


@dataclass
class Figure:
    key: str
    label: str
    value: str
    url: str | None = None
    hint: str = ""


@dataclass
class Cell:
    text: str
    url: str | None = None
    numeric: bool = False


@dataclass
class Table:
    caption: str
    columns: list[str]
    rows: list[list[Cell]]
    empty: str = ""


@dataclass
class Chart:
    key: str
    kind: str  # "bar" or "line"
    title: str
    labels: list[str]
    datasets: list[tuple[str, list[float]]]
    table: Table  # the same numbers, for screen readers and printing

    def as_json(self) -> dict[str, Any]:
        return {
            "id": f"chart-{self.key}",
            "kind": self.kind,
            "labels": self.labels,
            "datasets": [{"label": label, "data": values} for label, values in self.datasets],
        }


@dataclass
class PanelResult:
    figures: list[Figure] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    more_url: str = ""  # the full list behind the panel, if any
    more_label: str = ""


@dataclass(frozen=True)
class Panel:
    key: str
    title: Any  # str or lazy translation
    build: Callable[[DashboardContext], PanelResult]
    order: int = 100


@dataclass
class BuiltPanel:
    key: str
    title: str
    result: PanelResult


_registry: dict[str, Panel] = {}


def register(panel: Panel) -> Panel:
    _registry[panel.key] = panel
    return panel


def unregister(key: str) -> None:
    _registry.pop(key, None)


def panels() -> list[Panel]:
    return sorted(_registry.values(), key=lambda p: (p.order, p.key))


def build_all(ctx: DashboardContext) -> list[BuiltPanel]:
    return [BuiltPanel(p.key, str(p.title), p.build(ctx)) for p in panels()]
