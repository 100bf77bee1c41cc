"""The B2B panel of the organizers' dashboard: requests, meetings and what came of them.

Three aggregate queries: requests by status, meetings by day and status, and the outcome of the
meetings whose slot is over (held, no-shows and the estimated deal value, by the rule of
`selectors.outcome_report`, computed in the database). Registered in AppConfig.ready().
"""

from django.db.models import Case, Count, DecimalField, Exists, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from expo.lib.formatting import day_label
from expo.lib.panels import Chart, Figure, Panel, PanelContent, Series, admin_list_url

from .models import Meeting, MeetingRequest, MeetingSeat


def meeting_outcomes(*, event, at=None) -> dict:
    """Held, no-shows and estimated deal value of the published meetings whose slot is over (one query).

    Held: a side said it took place, or both checked in at the table; the deal value of a meeting
    is the larger of the two estimates, so a deal is not counted twice.
    """
    at = at or timezone.now()
    seats = MeetingSeat.objects.filter(meeting=OuterRef("pk"))
    best_value = seats.filter(deal_value__isnull=False).order_by("-deal_value").values("deal_value")[:1]
    per_meeting = (
        Meeting.objects.filter(event=event, status=Meeting.Status.PUBLISHED, slot__end__lte=at)
        .annotate(
            best_value=Subquery(best_value),
            said_yes=Exists(seats.filter(took_place=True)),
            # Both sides checked in: somebody did, and nobody did not.
            someone_in=Exists(seats.filter(checked_in_at__isnull=False)),
            someone_out=Exists(seats.filter(checked_in_at__isnull=True)),
        )
        .annotate(
                was_held=Case(When(Q(said_yes=True) | Q(someone_in=True, someone_out=False), then=Value(1)),
                          default=Value(0), output_field=IntegerField())
        )
    )  # fmt: skip
    result = per_meeting.aggregate(
        past=Count("pk"),
        held=Coalesce(Sum("was_held"), 0),
        deal_value=Coalesce(Sum(Case(When(was_held=1, then="best_value"))), Value(0), output_field=DecimalField()),
    )
    result["no_show"] = result["past"] - result["held"]
    return result


def networking_panel(event) -> PanelContent:
    on = {"event__id__exact": event.pk}
    requests = MeetingRequest.objects.filter(event=event).aggregate(
        sent=Count("pk"), **{status: Count("pk", filter=Q(status=status)) for status in MeetingRequest.Status.values}
    )
    grid = list(
        Meeting.objects.filter(event=event)
        .annotate(day=TruncDate("slot__start"))
        .values("day", "status")
        .annotate(count=Count("pk"))
        .order_by("day")
    )
    outcome = meeting_outcomes(event=event)
    days = sorted({r["day"] for r in grid})
    statuses = list(Meeting.Status)

    def meetings(status):
        return sum(r["count"] for r in grid if r["status"] == status)

    report = reverse("networking:outcome-report") + f"?event={event.pk}"
    figures = [
        Figure(_("Requests sent"), requests["sent"], admin_list_url("networking_meetingrequest", **on)),
        Figure(_("Requests accepted"), requests[MeetingRequest.Status.ACCEPTED],
               admin_list_url("networking_meetingrequest", **on, status__exact=MeetingRequest.Status.ACCEPTED)),
        Figure(_("Requests waiting for an answer"), requests[MeetingRequest.Status.PENDING],
               admin_list_url("networking_meetingrequest", **on, status__exact=MeetingRequest.Status.PENDING)),
        Figure(_("Meetings scheduled"), meetings(Meeting.Status.PUBLISHED),
               admin_list_url("networking_meeting", **on, status__exact=Meeting.Status.PUBLISHED)),
        Figure(_("Draft meetings (not published)"), meetings(Meeting.Status.DRAFT),
               admin_list_url("networking_meeting", **on, status__exact=Meeting.Status.DRAFT)),
        Figure(_("Meetings held"), outcome["held"], report),
        Figure(_("No-shows"), outcome["no_show"], report),
        Figure(_("Estimated deal value (MXN)"), outcome["deal_value"], report),
    ]  # fmt: skip
    chart = Chart(
        "meetings-by-day", _("Meetings by day"), "bar", [day_label(d) for d in days],
        [Series(s.label, [sum(r["count"] for r in grid if r["day"] == d and r["status"] == s) for d in days])
         for s in statuses if meetings(s)],
        [admin_list_url("networking_meeting", **on, day=d.isoformat()) for d in days], stacked=True,
    )  # fmt: skip
    return PanelContent(
        figures=figures,
        charts=[chart],
        links=[
            Figure(_("Outcome report"), "", report),
            Figure(_("Meetings desk"), "", admin_list_url("networking_meeting", **on)),
            Figure(_("Scheduler runs"), "", admin_list_url("networking_schedulerun", **on)),
        ],
    )


PANEL = Panel(
    key="networking",
    title=gettext_lazy("B2B meetings"),
    order=40,
    permission="networking.view_meeting",
    queries=3,
    build=networking_panel,
)
