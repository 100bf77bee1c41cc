"""Reads of registration: pass types on sale, door check-in counts."""

from datetime import date

from django.db.models import Count, QuerySet

from expo.events.models import Event

from .models import BadgeScan, PassType


def pass_types_on_sale(*, event: Event) -> QuerySet[PassType]:
    """Public pass types of an edition whose sales window is open now, in display order."""
    return PassType.objects.on_sale().filter(event=event).order_by("position", "pk")


def checkin_count(*, event: Event, day: date) -> int:
    """Door check-ins of one day (one indexed count, for the answer to every scan)."""
    return BadgeScan.objects.filter(event=event, day=day).count()


def checkin_counts(*, event: Event) -> list[dict]:
    """Door check-ins per day: [{"day": date, "count": n}], oldest first."""
    return list(BadgeScan.objects.filter(event=event).values("day").annotate(count=Count("pk")).order_by("day"))
