"""The B2B panel of the organizers' dashboard: requests, meetings and what came of them.

Three aggregate queries: requests by status, meetings by day and status, and the outcome of the
meetings whose slot is over (held, no-shows and the estimated deal value, by the rule of
`selectors.outcome_report`, computed in the database). Registered in AppConfig.ready().
"""

from decimal import Decimal

from django.db import connection
from django.db.models import Count, Max, Q
from django.db.models.functions import TruncDate
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
    is the larger of the two estimates, so a deal is not counted twice (the rule of
    `selectors.outcome_report`). The seats are grouped per meeting in a subquery and the groups
    summed around it, so the database does the work whatever the number of meetings.
    """
    at = at or timezone.now()
    per_meeting = (
        MeetingSeat.objects.filter(
            meeting__event=event, meeting__status=Meeting.Status.PUBLISHED, meeting__slot__end__lte=at
        )
        .values("meeting_id")
        .annotate(
            said_yes=Count("pk", filter=Q(took_place=True)),
            checked_in=Count("checked_in_at"),
            seated=Count("pk"),
            best_value=Max("deal_value"),
        )
        .order_by()
    )
    sql, params = per_meeting.query.sql_with_params()
    held = "(said_yes > 0 OR (seated = 2 AND checked_in = 2))"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), COALESCE(SUM(CASE WHEN {held} THEN 1 ELSE 0 END), 0), "
            f"COALESCE(SUM(CASE WHEN {held} THEN best_value END), 0) FROM ({sql}) AS per_meeting",
            params,
        )
        past, held_count, deal_value = cursor.fetchone()
    return {"past": past, "held": held_count, "no_show": past - held_count, "deal_value": Decimal(str(deal_value))}


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
