"""Reads of registration: pass types on sale, whose badge a code is, door check-in counts."""

import base64
from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet

from expo.events.models import Event
from expo.lib.pagecache import cache_forget, content_cached

from .badges import InvalidBadge, badge_code_parse, badge_signature_valid, short_code_normalize
from .models import Attendee, BadgeKey, BadgeScan, PassType


def pass_types_on_sale(*, event: Event) -> QuerySet[PassType]:
    """Public pass types of an edition whose sales window is open now, in display order."""
    return PassType.objects.on_sale().filter(event=event).order_by("position", "pk")


# The day's check-ins, shown after every scan, are kept as a counter in the cache (Redis: shared by
# every door and web process) that each new check-in increments; counting 20,000 rows at each of them
# would make every scan slower as the morning goes on. The counter is read from the database again
# when it is missing, and at least every CHECKIN_COUNT_SECONDS, so it can never drift for long.
CHECKIN_COUNT_SECONDS = 60


def _checkin_count_key(event_id: int, day: date) -> str:
    return f"checkins:{event_id}:{day.isoformat()}"


def checkin_count(*, event: Event, day: date) -> int:
    """Door check-ins of one day: the cache's counter, else one indexed count."""
    key = _checkin_count_key(event.pk, day)
    try:
        count = cache.get(key)
    except Exception:  # cache down: count in the database
        return BadgeScan.objects.filter(event=event, day=day).count()
    if count is None:
        count = BadgeScan.objects.filter(event=event, day=day).count()
        try:
            cache.add(key, count, CHECKIN_COUNT_SECONDS)
        except Exception:  # noqa: S110 -- the count is still right; the next scan counts again
            pass
    return count


def checkin_counted(*, event_id: int, day: date) -> int | None:
    """One more check-in that day (called by the service after it is written): the day's new count, or
    None when there is no counter to increment (it is read from the database next time)."""
    try:
        return cache.incr(_checkin_count_key(event_id, day))
    except Exception:  # no counter yet, or the cache is down
        return None


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


def badge_holder(*, event: Event, code: str, related: tuple[str, ...] = ()) -> BadgeHolder:
    """Verify a scanned badge code, or a typed short code, and find its registration at `event`.

    The one place that reads badge codes: the doors, room scans and exhibitors' lead capture all
    call it, so a forged, foreign, cancelled or waitlisted badge is refused the same way everywhere.
    A signed code is checked against the edition's valid keys (a retired key's badges are refused);
    a short code (printed under the QR) is looked up in the database. `related`: more of the
    registration's relations to load with it (its pass always is).
    """
    try:
        payload = badge_code_parse(code)
    except InvalidBadge:
        return _short_code_holder(event=event, code=code, related=related)
    if payload.event_id != event.pk:
        return BadgeHolder("other_event")
    public_key = badge_public_key(event_id=event.pk, number=payload.key_number)
    if public_key is None or not badge_signature_valid(payload, public_key):
        # Not with the cached keys: asked again of the database, which is the record (a database
        # restored or re-seeded under a cache that kept the keys before it). A forged code costs a query.
        public_key = badge_public_key(event_id=event.pk, number=payload.key_number, fresh=True)
        if public_key is None or not badge_signature_valid(payload, public_key):
            return BadgeHolder("invalid")
    attendee = (
        Attendee.objects.select_related("pass_type", *related).filter(pk=payload.attendee_id, event=event).first()
    )
    return _holder(attendee)


BADGE_KEYS_SECONDS = 300


def _badge_keys_key(event_id: int) -> str:
    return f"badge-keys:{event_id}"


def badge_public_key(*, event_id: int, number: int, fresh: bool = False) -> bytes | None:
    """The public key of an edition's valid badge key `number`, or None (unknown or retired).

    Every door scan, room scan and lead asks: the edition's valid public keys are kept in the cache,
    forgotten when a key is made or retired (badge_keys_changed), and read from the database when
    the cache is down or when `fresh` (badge_holder asks again so when a code is refused: a key made
    by another process a moment ago, or a cache older than the database)."""
    if fresh:
        badge_keys_changed(event_id=event_id)
    keys = content_cached(
        _badge_keys_key(event_id),
        lambda: dict(BadgeKey.objects.valid().filter(event_id=event_id).values_list("number", "public_key")),
        BADGE_KEYS_SECONDS,
    )
    public_key = keys.get(number)
    return base64.b64decode(public_key) if public_key else None


def badge_keys_changed(*, event_id: int) -> None:
    """A key was made or retired: the cached keys are forgotten."""
    cache_forget(_badge_keys_key(event_id))


def _short_code_holder(*, event: Event, code: str, related: tuple[str, ...]) -> BadgeHolder:
    short = short_code_normalize(code)
    if short is None:
        return BadgeHolder("invalid")
    attendee = Attendee.objects.select_related("pass_type", *related).filter(badge_code=short).first()
    if attendee is not None and attendee.event_id != event.pk:
        return BadgeHolder("other_event")
    return _holder(attendee)


def _holder(attendee: Attendee | None) -> BadgeHolder:
    if attendee is None:
        return BadgeHolder("invalid")
    if attendee.status == Attendee.Status.CANCELLED:
        return BadgeHolder("cancelled", attendee)
    if attendee.status == Attendee.Status.WAITLISTED:
        return BadgeHolder("waitlisted", attendee)
    return BadgeHolder("ok", attendee)


def badge_public_keys(*, event: Event) -> dict[str, str]:
    """The public keys a door needs to verify this edition's badges offline: {number: base64}."""
    keys = BadgeKey.objects.valid().filter(event=event).values_list("number", "public_key")
    return {str(number): public_key for number, public_key in keys}


def attendee_search(*, event: Event, query: str) -> QuerySet[Attendee]:
    """Registrations of an edition whose name, email or organization contain every word of `query`.

    For the door desk (a visitor without a readable badge); a query of fewer than 2 characters finds nothing.
    """
    words = [word for word in query.split() if word][:5]
    if not words or len("".join(words)) < 2:
        return Attendee.objects.none()
    attendees = Attendee.objects.filter(event=event).select_related("pass_type")
    for word in words:
        attendees = attendees.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
            | Q(organization_name__icontains=word)
        )  # fmt: skip
    return attendees.order_by("last_name", "first_name", "pk")


def badge_batch_attendees(*, event: Event, pass_type_id: int | None = None, attendee_ids=()) -> QuerySet[Attendee]:
    """The confirmed registrations a badge batch prints, in alphabetical order (how desks sort them)."""
    attendees = (
        Attendee.objects.filter(event=event, status=Attendee.Status.CONFIRMED)
        .select_related("pass_type", "event")
        .order_by("last_name", "first_name", "pk")
    )
    if pass_type_id:
        attendees = attendees.filter(pass_type_id=pass_type_id)
    if attendee_ids:
        attendees = attendees.filter(pk__in=list(attendee_ids))
    return attendees
