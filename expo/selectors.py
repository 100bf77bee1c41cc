"""Reads of the core event domain: the current edition, its key figures, the program."""

from datetime import date, datetime, time

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from .models import Event, Session, Speaker


def event_current() -> Event | None:
    return Event.objects.select_related("venue").current()


def event_figures(*, event: Event) -> dict:
    """Key figures shown on the home page. Four queries whatever the size of the edition."""
    from exhibitors.models import Exhibitor
    from networking.models import NetworkingSpace

    sessions = Session.objects.filter(event=event).aggregate(
        presentations=Count("pk", filter=~Q(kind=Session.Kind.WORKSHOP)),
        workshops=Count("pk", filter=Q(kind=Session.Kind.WORKSHOP)),
        training_hours=Sum("training_hours"),
    )
    return {
        "exhibitors": Exhibitor.objects.listed().filter(event=event).count(),
        "presentations": sessions["presentations"],
        "workshops": sessions["workshops"],
        "training_hours": int(sessions["training_hours"] or 0),
        "registrations": event.attendees.exclude(status="cancelled").count(),
        "networking_spaces": NetworkingSpace.objects.filter(event=event).count(),
    }


def session_list(
    *,
    event: Event,
    day: date | None = None,
    kind: str | None = None,
    track_id: int | None = None,
    query: str | None = None,
) -> QuerySet[Session]:
    """The program of an edition, with rooms, tracks and speakers loaded in three queries."""
    sessions = (
        Session.objects.filter(event=event)
        .select_related("room", "track")
        .prefetch_related(Prefetch("speakers", queryset=Speaker.objects.only("id", "name", "affiliation")))
        .order_by("start", "room__name")
    )
    if day is not None:
        tz = timezone.get_current_timezone()
        start = timezone.make_aware(datetime.combine(day, time.min), tz)
        end = timezone.make_aware(datetime.combine(day, time.max), tz)
        sessions = sessions.filter(start__range=(start, end))
    if kind:
        sessions = sessions.filter(kind=kind)
    if track_id:
        sessions = sessions.filter(track_id=track_id)
    if query:
        sessions = sessions.filter(Q(title__icontains=query) | Q(speakers__name__icontains=query)).distinct()
    return sessions


def pass_types_on_sale(*, event: Event) -> QuerySet:
    """Public pass types of an edition whose sales window is open now, in display order."""
    from .models import PassType

    now = timezone.now()
    return (
        PassType.objects.filter(event=event, is_public=True)
        .filter(Q(sales_start__isnull=True) | Q(sales_start__lte=now))
        .filter(Q(sales_end__isnull=True) | Q(sales_end__gt=now))
        .order_by("position", "pk")
    )


def checkin_count(*, event: Event, day: date) -> int:
    """Door check-ins of one day (one indexed count, for the answer to every scan)."""
    from .models import BadgeScan

    return BadgeScan.objects.filter(event=event, kind=BadgeScan.Kind.ENTRY, day=day).count()


def checkin_counts(*, event: Event) -> list[dict]:
    """Door check-ins per day: [{"day": date, "count": n}], oldest first."""
    from .models import BadgeScan

    return list(
        BadgeScan.objects.filter(event=event, kind=BadgeScan.Kind.ENTRY)
        .values("day")
        .annotate(count=Count("pk"))
        .order_by("day")
    )
