"""The program panel of the organizers' dashboard: sessions, seats and training hours offered.

Two aggregate queries. Sessions have no enrollments yet, so "filling up" is read as the seats
offered per day and kind; when enrollment lands, its counts join the same panel (a sessions-by-fill
table and the waitlists) without the dashboard changing. Registered in AppConfig.ready().
"""

from django.db.models import Count, Sum
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from expo.lib.formatting import day_label
from expo.lib.panels import Chart, Figure, Panel, PanelContent, Series, admin_list_url

from .models import Session, Speaker


def _hours(total):
    """300.00 reads 300; 2.50 stays 2.5."""
    return int(total) if total == int(total) else total.normalize()


def program_panel(event) -> PanelContent:
    on = {"event__id__exact": event.pk}
    sessions = Session.objects.filter(event=event)
    grid = list(
        sessions.annotate(day=TruncDate("start"))
        .values("day", "kind")
        .annotate(count=Count("pk"), hours=Sum("training_hours"))
        .order_by("day")
    )
    speakers = Speaker.objects.filter(event=event).count()
    days = sorted({row["day"] for row in grid})
    kinds = [kind for kind in Session.Kind if any(row["kind"] == kind for row in grid)]
    figures = [
        Figure(_("Sessions"), sum(r["count"] for r in grid), admin_list_url("program_session", **on)),
        Figure(
            _("Training workshops"),
            sum(r["count"] for r in grid if r["kind"] == Session.Kind.WORKSHOP),
            admin_list_url("program_session", **on, kind__exact=Session.Kind.WORKSHOP),
        ),  # fmt: skip
        Figure(
            _("Certified training hours offered"),
            _hours(sum((r["hours"] or 0) for r in grid)),
            admin_list_url("program_session", **on, training_hours__gt=0),
        ),  # fmt: skip
        Figure(_("Speakers"), speakers, admin_list_url("program_speaker", **on)),
    ]
    chart = Chart(
        "sessions-by-day", _("Sessions by day and kind"), "bar", [day_label(d) for d in days],
        [Series(kind.label, [sum(r["count"] for r in grid if r["day"] == d and r["kind"] == kind) for d in days])
         for kind in kinds],
        [admin_list_url("program_session", **on, start__date=d.isoformat()) for d in days], stacked=True,
    )  # fmt: skip
    return PanelContent(figures=figures, charts=[chart])


PANEL = Panel(
    key="program",
    title=gettext_lazy("Program"),
    order=20,
    permission="program.view_session",
    queries=2,
    build=program_panel,
)
