"""The registry of dashboard panels: each app says what its figures are, the dashboard shows them.

The organizers' dashboard (expo.dashboard) sits on top of every app and knows none of their models:
an app registers a `Panel` in its AppConfig.ready() (a lower floor cannot import the dashboard, so
the registry lives here, on the ground floor, as expo.mail's context builders do). A panel builds
its content for one edition with a fixed number of aggregate queries (`queries`, pinned by the
dashboard's test), and every figure carries the URL of the filtered admin list behind it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class Figure:
    """One number, with the admin list it counts."""

    label: str
    value: int | Decimal | str
    url: str = ""
    hint: str = ""


@dataclass
class Series:
    label: str
    data: list[int | float]


@dataclass
class Chart:
    """A chart and, for people who would rather read, the same figures as a table of links.

    `urls[i]` is the filtered list behind `labels[i]` (a click on a bar opens it). `kind` is a
    Chart.js type: bar, line or doughnut; `stacked` stacks the series of a bar chart.
    """

    key: str
    title: str
    kind: str
    labels: list[str]
    series: list[Series]
    urls: list[str] = field(default_factory=list)
    stacked: bool = False
    horizontal: bool = False

    @property
    def dom_id(self) -> str:
        return f"chart-{self.key}"

    def rows(self) -> list[tuple[str, str, list]]:
        """(label, url, [value per series]) for the table under the chart."""
        return [
            (label, self.urls[i] if i < len(self.urls) else "", [s.data[i] for s in self.series])
            for i, label in enumerate(self.labels)
        ]

    def as_json(self) -> dict:
        return {"kind": self.kind, "labels": self.labels, "urls": self.urls, "stacked": self.stacked,
                "horizontal": self.horizontal,
                "series": [{"label": s.label, "data": [float(v) for v in s.data]} for s in self.series]}  # fmt: skip


@dataclass
class Row:
    cells: list
    url: str = ""


@dataclass
class TableBlock:
    """A short table (the sessions filling up...), each row linking to its object or list."""

    title: str
    header: list[str]
    rows: list[Row]
    empty: str = ""


@dataclass
class PanelContent:
    figures: list[Figure] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    tables: list[TableBlock] = field(default_factory=list)
    links: list[Figure] = field(default_factory=list)  # related pages (the outcome report...)


@dataclass(frozen=True)
class Panel:
    """A section of the dashboard. `build(event)` runs exactly `queries` queries."""

    key: str
    title: str
    order: int
    permission: str  # "app_label.codename": people without it do not see the panel
    queries: int
    build: Callable[..., PanelContent]


_panels: dict[str, Panel] = {}


def panel_register(panel: Panel) -> None:
    """Add or replace (same key) a panel of the dashboard."""
    _panels[panel.key] = panel


def panels_for(user) -> list[Panel]:
    """The panels this user may read, in order."""
    return sorted((p for p in _panels.values() if user.has_perm(p.permission)), key=lambda p: (p.order, p.key))


def panels_all() -> list[Panel]:
    return sorted(_panels.values(), key=lambda p: (p.order, p.key))


def admin_list_url(name: str, **filters) -> str:
    """The admin list `app_model` (e.g. "registration_attendee") filtered by `filters`."""
    from urllib.parse import urlencode

    from django.urls import reverse

    url = reverse(f"admin:{name}_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url
