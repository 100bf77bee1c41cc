"""Reads of registration: pass types on sale, whose badge a code is, door check-in counts."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, QuerySet

from expo.events.models import Event

from .badges import InvalidBadge, badge_code_read, badge_key
from .models import Attendee, BadgeScan, PassType


def pass_types_on_sale(*, event: Event) -> QuerySet[PassType]:
    """Public pass types of an edition whose sales window is open now, in display order."""
    return PassType.objects.on_sale().filter(event=event).order_by("position", "pk")


def checkin_count(*, event: Event, day: date) -> int:
    """Door check-ins of one day (one indexed count, for the answer to every scan)."""
    return BadgeScan.objects.filter(event=event, day=day).count()


def checkin_counts(*, event: Event) -> list[dict]:
    """Door check-ins per day: [{"day": date, "count": n}], oldest first."""
    return list(BadgeScan.objects.filter(event=event).values("day").annotate(count=Count("pk")).order_by("day"))


@dataclass
class BadgeHolder:
    """Whose badge a scanned code is. `outcome`: ok, invalid, other_event, cancelled, waitlisted."""

    outcome: str
    attendee: Attendee | None = None

    @property
    def valid(self) -> bool:
        return self.outcome == "ok"


def badge_holder(*, event: Event, code: str) -> BadgeHolder:
    """Verify a scanned badge code and find its confirmed registration at `event` (with its pass).

    The one place that reads badge codes: the doors, room scans and exhibitors' lead capture all
    call it, so a forged, foreign, cancelled or waitlisted badge is refused the same way everywhere.
    """
    try:
        payload = badge_code_read(code, key=badge_key())
    except InvalidBadge:
        return BadgeHolder("invalid")
    if payload.event_id != event.pk:
        return BadgeHolder("other_event")
    attendee = Attendee.objects.select_related("pass_type").filter(pk=payload.attendee_id, event=event).first()
    if attendee is None:
        return BadgeHolder("invalid")
    if attendee.status == Attendee.Status.CANCELLED:
        return BadgeHolder("cancelled", attendee)
    if attendee.status == Attendee.Status.WAITLISTED:
        return BadgeHolder("waitlisted", attendee)
    return BadgeHolder("ok", attendee)
