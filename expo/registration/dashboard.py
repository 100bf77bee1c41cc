"""The registration panel of the organizers' dashboard: registrations and door check-ins.

Four aggregate queries whatever the number of visitors: totals by status, registrations by day,
pass types with their waitlists, and check-ins by day and hour. Registered in AppConfig.ready().
"""

from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import ExtractHour, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from expo.lib.formatting import day_label
from expo.lib.panels import Chart, Figure, Panel, PanelContent, Row, Series, TableBlock, admin_list_url

from .models import Attendee, BadgeScan, PassType


def registration_panel(event, *, today: date | None = None) -> PanelContent:
    today = today or timezone.localdate()
    on = {"event__id__exact": event.pk}
    totals = Attendee.objects.filter(event=event).aggregate(
        confirmed=Count("pk", filter=Q(status=Attendee.Status.CONFIRMED)),
        waitlisted=Count("pk", filter=Q(status=Attendee.Status.WAITLISTED)),
        cancelled=Count("pk", filter=Q(status=Attendee.Status.CANCELLED)),
        at_desk=Count("pk", filter=Q(registered_at_desk=True) & ~Q(status=Attendee.Status.CANCELLED)),
    )
    by_day = (
        Attendee.objects.filter(event=event)
        .exclude(status=Attendee.Status.CANCELLED)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(count=Count("pk"))
        .order_by("day")
    )
    passes = list(
        PassType.objects.filter(event=event).annotate(
            waitlisted=Count("attendees", filter=Q(attendees__status=Attendee.Status.WAITLISTED))
        )
    )
    scans = (
        BadgeScan.objects.filter(event=event)
        .annotate(hour=ExtractHour("scanned_at"))
        .values("day", "hour")
        .annotate(count=Count("pk"))
        .order_by("day", "hour")
    )
    scans = list(scans)

    figures = [
        Figure(
            _("Confirmed registrations"),
            totals["confirmed"],
            admin_list_url("registration_attendee", **on, status__exact=Attendee.Status.CONFIRMED),
        ),  # fmt: skip
        Figure(
            _("On a waitlist"),
            totals["waitlisted"],
            admin_list_url("registration_attendee", **on, status__exact=Attendee.Status.WAITLISTED),
        ),  # fmt: skip
        Figure(
            _("Cancelled"),
            totals["cancelled"],
            admin_list_url("registration_attendee", **on, status__exact=Attendee.Status.CANCELLED),
        ),  # fmt: skip
        Figure(
            _("Registered at the desk"),
            totals["at_desk"],
            admin_list_url("registration_attendee", **on, registered_at_desk__exact=1),
        ),  # fmt: skip
        Figure(
            _("Check-ins today"),
            sum(s["count"] for s in scans if s["day"] == today),
            admin_list_url("registration_badgescan", **on, day=today.isoformat()),
        ),  # fmt: skip
    ]
    days = list(by_day)
    charts = [
        Chart(
            "registrations-by-day", _("Registrations by day"), "bar",
            [day_label(d["day"]) for d in days], [Series(_("Registrations"), [d["count"] for d in days])],
            [admin_list_url("registration_attendee", **on, created_at__date=d["day"].isoformat()) for d in days],
        ),
        Chart(
            "registrations-by-pass", _("Pass types against capacity"), "bar",
            [p.name for p in passes],
            [
                Series(_("Registered"), [p.registered_count for p in passes]),
                Series(_("Seats left"), [p.seats_left or 0 for p in passes]),
                Series(_("Waitlist"), [p.waitlisted for p in passes]),
            ],
            [admin_list_url("registration_attendee", **on, pass_type__id__exact=p.pk) for p in passes],
            stacked=True, horizontal=True,
        ),
    ]  # fmt: skip
    scan_days = sorted({s["day"] for s in scans} | ({today} if event.start_date <= today <= event.end_date else set()))
    charts.append(Chart(
        "checkins-by-day", _("Check-ins by day"), "bar", [day_label(d) for d in scan_days],
        [Series(_("Check-ins"), [sum(s["count"] for s in scans if s["day"] == d) for d in scan_days])],
        [admin_list_url("registration_badgescan", **on, day=d.isoformat()) for d in scan_days],
    ))  # fmt: skip
    hours = [s for s in scans if s["day"] == today]
    if hours:
        charts.append(Chart(
            "checkins-today-by-hour", _("Check-ins today by hour"), "line",
            [f"{s['hour']:02d}:00" for s in hours], [Series(_("Check-ins"), [s["count"] for s in hours])],
            [admin_list_url("registration_badgescan", **on, day=today.isoformat()) for _s in hours],
        ))  # fmt: skip
    table = TableBlock(
        _("Pass types"),
        [_("Pass"), _("Registered"), _("Capacity"), _("Waitlist")],
        [
            Row(
                [p.name, p.registered_count, p.capacity if p.capacity is not None else "∞", p.waitlisted],
                admin_list_url("registration_attendee", **on, pass_type__id__exact=p.pk),
            )
            for p in passes
        ],  # fmt: skip
    )
    return PanelContent(figures=figures, charts=charts, tables=[table])


PANEL = Panel(
    key="registration",
    title=gettext_lazy("Registrations and check-in"),
    order=10,
    permission="registration.view_attendee",
    queries=4,
    build=registration_panel,
)
