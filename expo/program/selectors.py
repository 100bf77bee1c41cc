"""Reads of the program: sessions filtered and searched, a visitor's agenda and hours, organizers' reports.

The program page and the API read through these, so a search means the same thing in both. Each
read runs a fixed number of queries whatever the size of the edition (pinned in the tests).
"""

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from expo.events.models import Event, Room
from expo.registration.models import Attendee

from . import attendance as presence_rules
from .agenda import AgendaItem, agenda_sources, clashing_uids
from .models import (
    Attendance,
    CalendarFeed,
    Certificate,
    CertificateBatch,
    Dc3Details,
    Enrollment,
    ProgramSettings,
    RoomScan,
    SavedSession,
    Session,
    Speaker,
    Track,
)
from .search import query_words

SESSION_UID = "session-{}@medicalexpo.mx"


def program_settings(*, event: Event) -> ProgramSettings:
    """The edition's settings, or the defaults (unsaved) when organizers have not set any."""
    return ProgramSettings.objects.filter(event=event).first() or ProgramSettings(event=event)


# Sessions -------------------------------------------------------------------------------------


def sessions_loaded() -> QuerySet[Session]:
    """Sessions with their room and track joined and their speakers prefetched (two queries)."""
    return (
        Session.objects.select_related("room", "track")
        .prefetch_related(Prefetch("speakers", queryset=Speaker.objects.only("id", "name", "affiliation", "position")))
        .order_by("start", "room__name_es", "pk")
    )


def session_search(sessions: QuerySet[Session], query: str) -> QuerySet[Session]:
    """Sessions whose title, abstract, speakers or tracks contain every word of `query`, ignoring
    accents and case ("regulacion" finds "Regulación")."""
    for word in query_words(query):
        sessions = sessions.filter(search_text__contains=word)
    return sessions


def _day_range(day: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (timezone.make_aware(datetime.combine(day, time.min), tz),
            timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min), tz))  # fmt: skip


@dataclass(frozen=True)
class ProgramFilters:
    kind: str | None = None
    track_id: int | None = None
    room_id: int | None = None
    language: str | None = None
    query: str | None = None

    @property
    def active(self) -> bool:
        return any((self.kind, self.track_id, self.room_id, self.language, self.query))


def session_list(
    *,
    event: Event,
    day: date | None = None,
    kind: str | None = None,
    track_id: int | None = None,
    room_id: int | None = None,
    language: str | None = None,
    query: str | None = None,
) -> QuerySet[Session]:
    """The program of an edition, filtered by day, kind, track, room and language, and searched."""
    sessions = _filtered(
        sessions_loaded().filter(event=event), ProgramFilters(kind, track_id, room_id, language, query)
    )
    if day is not None:
        sessions = sessions.filter(start__range=_day_range(day))
    return sessions


def _filtered(sessions: QuerySet[Session], filters: ProgramFilters) -> QuerySet[Session]:
    if filters.kind:
        sessions = sessions.filter(kind=filters.kind)
    if filters.track_id:
        sessions = sessions.filter(track_id=filters.track_id)
    if filters.room_id:
        sessions = sessions.filter(room_id=filters.room_id)
    if filters.language:
        sessions = sessions.filter(language=filters.language)
    if filters.query:
        sessions = session_search(sessions, filters.query)
    return sessions


def session_counts_by_day(*, event: Event, filters: ProgramFilters) -> dict[date, int]:
    """How many sessions match the filters on each day (one query): where the other matches are."""
    rows = (
        _filtered(Session.objects.filter(event=event), filters)
        .annotate(day=TruncDate("start", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by("day")
    )
    return {row["day"]: row["n"] for row in rows}


def program_filters_choices(*, event: Event) -> dict:
    """Tracks and rooms of the edition, for the filters (two queries)."""
    return {
        "tracks": list(Track.objects.filter(event=event).order_by("name_es")),
        "rooms": list(Room.objects.filter(Exists(Session.objects.filter(event=event, room=OuterRef("pk"))))
                      .order_by("name_es")),
    }  # fmt: skip


def session_or_404(*, event: Event, session_id: int) -> Session:
    """One session of the edition with room, track and speakers (two queries)."""
    session = sessions_loaded().filter(event=event, pk=session_id).first()
    if session is None:
        raise Http404
    return session


def speaker_or_404(*, event: Event, speaker_id: int) -> Speaker:
    """A speaker with their sessions, rooms and tracks (two queries)."""
    speaker = (
        Speaker.objects.filter(event=event, pk=speaker_id)
        .prefetch_related(Prefetch("sessions", queryset=Session.objects.select_related("room", "track")
                                   .order_by("start")))
        .first()
    )  # fmt: skip
    if speaker is None:
        raise Http404
    return speaker


def session_now_and_next(sessions: list[Session], *, at: datetime) -> tuple[list[Session], list[Session]]:
    """Of a day's sessions: those under way at `at`, and those starting next (same start time)."""
    live = [s for s in sessions if not s.is_cancelled]
    now = [s for s in live if s.start <= at < s.end]
    upcoming = sorted({s.start for s in live if s.start > at})
    following = [s for s in live if upcoming and s.start == upcoming[0]]
    return now, following


def sessions_by_time(sessions) -> list[tuple[datetime, list[Session]]]:
    """Sessions grouped under their start time (the headings of the program page)."""
    groups: dict[datetime, list[Session]] = {}
    for session in sessions:
        groups.setdefault(session.start, []).append(session)
    return list(groups.items())


# A visitor and the program --------------------------------------------------------------------


@dataclass
class VisitorState:
    saved: set[int]
    enrollments: dict[int, Enrollment]


def visitor_state(*, attendee: Attendee | None) -> VisitorState:
    """Which sessions a visitor saved and their enrollments (two queries; none when signed out)."""
    if attendee is None:
        return VisitorState(saved=set(), enrollments={})
    saved = set(SavedSession.objects.filter(attendee=attendee).values_list("session_id", flat=True))
    enrollments = {e.session_id: e for e in Enrollment.objects.filter(attendee=attendee).active()}
    return VisitorState(saved=saved, enrollments=enrollments)


def waitlist_position(*, enrollment: Enrollment) -> int | None:
    """1 for the first person waiting; None when not on the waitlist."""
    if enrollment.status != Enrollment.Status.WAITLISTED:
        return None
    ahead = (
        Enrollment.objects.waiting()
        .filter(session_id=enrollment.session_id)
        .filter(
            Q(waitlisted_at__lt=enrollment.waitlisted_at)
            | Q(waitlisted_at=enrollment.waitlisted_at, pk__lt=enrollment.pk)
        )
    )
    return ahead.count() + 1


def session_agenda_item(session: Session, *, status: str, note: str) -> AgendaItem:
    """A session as an agenda item (also the one-event calendar of "add to calendar" and of emails)."""
    cancelled = session.is_cancelled
    return AgendaItem(
        uid=SESSION_UID.format(session.pk), kind="session", title=session.title, start=session.start, end=session.end,
        location=session.room.name, url=reverse("program:session", args=[session.pk]),
        status="cancelled" if cancelled else status, sequence=session.sequence, stamp=session.updated_at,
        note=_("Cancelled by the organizers") if cancelled else note, object_id=session.pk,
        extra={"session": session},
    )  # fmt: skip


def agenda_session_items(*, attendee: Attendee) -> list[AgendaItem]:
    """Sessions in a visitor's agenda: enrolled, offered or waitlisted, and saved (two queries)."""
    notes = {
        Enrollment.Status.ENROLLED: ("confirmed", _("Enrolled")),
        Enrollment.Status.OFFERED: ("tentative", _("Seat offered: accept it before it passes on")),
        Enrollment.Status.WAITLISTED: ("tentative", _("On the waitlist")),
    }
    items, seen = [], set()
    for enrollment in Enrollment.objects.filter(attendee=attendee).active().select_related("session__room"):
        status, note = notes[enrollment.status]
        item = session_agenda_item(enrollment.session, status=status, note=note)
        items.append(replace(item, extra={"session": enrollment.session, "enrollment": enrollment}))
        seen.add(enrollment.session_id)
    for saved in SavedSession.objects.filter(attendee=attendee).select_related("session__room"):
        if saved.session_id not in seen:
            items.append(session_agenda_item(saved.session, status="confirmed", note=_("Saved")))
    return items


@dataclass
class Agenda:
    items: list[AgendaItem]
    clashes: set[str]

    def by_day(self) -> list[tuple[date, list[AgendaItem]]]:
        days: dict[date, list[AgendaItem]] = {}
        for item in self.items:
            days.setdefault(timezone.localdate(item.start), []).append(item)
        return list(days.items())


def agenda_for(*, attendee: Attendee) -> Agenda:
    """Everything in a person's agenda, sessions and what other apps register (B2B meetings), in
    time order, with the overlapping items flagged."""
    items = agenda_session_items(attendee=attendee)
    for source in agenda_sources().values():
        items.extend(source(attendee))
    items.sort(key=lambda item: (item.start, item.end, item.uid))
    return Agenda(items=items, clashes=clashing_uids(items))


def calendar_feed_version(*, attendee: Attendee) -> int:
    feed = CalendarFeed.objects.filter(attendee=attendee).first()
    return feed.version if feed else 1


def attendee_for_feed(*, attendee_id: int, version: int) -> Attendee | None:
    """The registration a subscription URL is for, if that URL has not been reset since."""
    attendee = (
        Attendee.objects.select_related("event").filter(pk=attendee_id)
        .exclude(status=Attendee.Status.CANCELLED).first()
    )  # fmt: skip
    if attendee is None or calendar_feed_version(attendee=attendee) != version:
        return None
    return attendee


# Training hours -------------------------------------------------------------------------------


@dataclass
class TranscriptLine:
    attendance: Attendance
    session: Session
    hours: Decimal
    reason: str  # why no hours, when none


@dataclass
class Transcript:
    lines: list[TranscriptLine]
    hours: Decimal
    share_needed: Decimal
    includes_training: bool
    certificate: Certificate | None
    dc3: Dc3Details | None


def transcript(*, attendee: Attendee) -> Transcript:
    """A visitor's attendance per session with the hours each credits (four queries)."""
    settings_ = program_settings(event=attendee.event)
    includes_training = attendee.pass_type.includes_training
    lines, total = [], Decimal(0)
    attendances = (
        Attendance.objects.filter(attendee=attendee).select_related("session__room").order_by("session__start")
    )
    for attendance in attendances:
        session = attendance.session
        hours = Decimal(0)
        if not session.is_cancelled:
            hours = presence_rules.credited(
                share=attendance.share, share_needed=settings_.attendance_share,
                includes_training=includes_training and attendee.status == Attendee.Status.CONFIRMED,
                training_hours=session.training_hours,
            )  # fmt: skip
        if hours:
            reason = ""
        elif session.is_cancelled:
            reason = _("The session was cancelled")
        elif session.training_hours <= 0:
            reason = _("This session does not credit training hours")
        elif not includes_training:
            reason = _("Your pass does not include certified training")
        else:
            reason = _("Present %(present)s%% of the session; %(needed)s%% is needed") % {
                "present": int(attendance.share * 100), "needed": int(settings_.attendance_share * 100),
            }  # fmt: skip
        total += hours
        lines.append(TranscriptLine(attendance=attendance, session=session, hours=hours, reason=reason))
    certificate = Certificate.objects.filter(attendee=attendee, revoked_at__isnull=True).first()
    dc3 = Dc3Details.objects.filter(attendee=attendee).first()
    return Transcript(lines=lines, hours=total, share_needed=settings_.attendance_share,
                      includes_training=includes_training, certificate=certificate, dc3=dc3)  # fmt: skip


def credited_sessions(*, attendee: Attendee) -> list[Session]:
    """The sessions whose hours a visitor earned, in time order (one query)."""
    return [
        a.session
        for a in Attendance.objects.credited().filter(attendee=attendee).select_related("session__room")
        .order_by("session__start")
    ]  # fmt: skip


def attendees_with_credited_hours(*, event: Event) -> QuerySet[Attendee]:
    """Visitors of an edition who earned at least one session's hours."""
    credited = Attendance.objects.credited().filter(attendee=OuterRef("pk"), session__event=event)
    return Attendee.objects.filter(event=event).filter(Exists(credited)).order_by("pk")


def hours_by_session(*, event: Event) -> list[dict]:
    """Per session with training hours: seats, enrolled, visitors scanned, visitors credited and the
    hours delivered (two queries)."""
    sessions = list(
        Session.objects.filter(event=event, training_hours__gt=0).select_related("room").order_by("start", "pk")
        .annotate(
            enrolled=Count("enrollments", filter=Q(enrollments__status=Enrollment.Status.ENROLLED), distinct=True),
            waiting=Count("enrollments", filter=Q(enrollments__status=Enrollment.Status.WAITLISTED), distinct=True),
            scanned=Count("attendances", distinct=True),
        )
    )  # fmt: skip
    credited = Counter(Attendance.objects.credited().filter(session__event=event).values_list("session_id", flat=True))
    rows = []
    for session in sessions:
        count = 0 if session.is_cancelled else credited.get(session.pk, 0)
        rows.append({
            "session": session, "enrolled": session.enrolled, "waiting": session.waiting,
            "scanned": session.scanned, "credited": count, "hours": session.training_hours * count,
        })  # fmt: skip
    return rows


def hours_by_visitor(*, event: Event) -> list[dict]:
    """Per visitor with any attendance: sessions attended, sessions credited, hours, certificate (three queries)."""
    credited = {
        row["attendee_id"]: row
        for row in Attendance.objects.credited().filter(session__event=event).values("attendee_id")
        .annotate(sessions=Count("pk"), hours=Sum("session__training_hours"))
    }  # fmt: skip
    certificates = {
        c.attendee_id: c for c in Certificate.objects.filter(event=event, revoked_at__isnull=True).only(
            "id", "event_id", "attendee_id", "hours", "issued_at")
    }  # fmt: skip
    attendees = (
        Attendee.objects.filter(event=event, attendances__isnull=False).select_related("pass_type")
        .annotate(attended=Count("attendances", distinct=True)).order_by("last_name", "first_name", "pk")
    )  # fmt: skip
    rows = []
    for attendee in attendees:
        row = credited.get(attendee.pk, {})
        rows.append({
            "attendee": attendee, "attended": attendee.attended, "credited": row.get("sessions", 0),
            "hours": row.get("hours") or Decimal(0), "certificate": certificates.get(attendee.pk),
        })  # fmt: skip
    return rows


def certificate_batches(*, event: Event) -> QuerySet[CertificateBatch]:
    return CertificateBatch.objects.filter(event=event).select_related("requested_by").order_by("-created_at")


def certificates_of(*, event: Event) -> QuerySet[Certificate]:
    return Certificate.objects.filter(event=event).order_by("-issued_at", "-pk")


# Room scans -----------------------------------------------------------------------------------


def scanner_sessions(*, event: Event, day: date) -> list[Session]:
    """Sessions of a day for the room scanner's list, room by room (one query)."""
    return list(
        Session.objects.filter(event=event, start__range=_day_range(day)).scheduled().select_related("room")
        .order_by("room__name_es", "start")
    )  # fmt: skip


def session_in_room_at(*, event: Event, room_id: int, at: datetime, margin: timedelta) -> Session | None:
    """The session taking place in a room at `at` (or about to start or just ended, within `margin`)."""
    candidates = list(
        Session.objects.scheduled().filter(event=event, room_id=room_id, start__lte=at + margin, end__gte=at - margin)
        .select_related("room").order_by("start")
    )  # fmt: skip
    if not candidates:
        return None
    # Prefer the one under way; else the closest in time.
    return min(
        candidates,
        key=lambda s: 0 if s.start <= at < s.end else min(abs(s.start - at), abs(at - s.end)).total_seconds() + 1,
    )


def room_scans_of(*, session: Session, attendee: Attendee) -> list[tuple[datetime, str]]:
    return list(RoomScan.objects.filter(session=session, attendee=attendee).values_list("scanned_at", "direction"))


def program_version(*, event: Event) -> str:
    """The program's version for cached pages: the last change to any session, and how many there are
    (one aggregate query), so an organizer's edit is seen at once. Asked on every view of the cached
    program: a statement written once, as text (the ORM took 1.2 ms to build the aggregate and convert
    its answer, more than the rest of the cached page; `bench/web/prepare.py profile program`)."""
    with connection.cursor() as cursor:
        cursor.execute(_program_version_sql(connection.vendor), [event.pk])
        changed, count = cursor.fetchone()
    return f"{changed or 0}-{count}"


@cache
def _program_version_sql(vendor: str) -> str:
    q, meta = connection.ops.quote_name, Session._meta
    updated, event = q(meta.get_field("updated_at").column), q(meta.get_field("event").column)
    return f"SELECT MAX({updated}), COUNT(*) FROM {q(meta.db_table)} WHERE {event} = %s"
