"""Reads of B2B networking for participants: scoring data, recommendations, requests, free slots,
agendas, and the outcome report. (The scheduler's instance is in networking/scheduling/selectors.py.)

Query counts are constant in the size of the edition (pinned in tests/networking/).
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import numpy as np
from django.db.models import Count, Prefetch, Q, QuerySet, TextField, prefetch_related_objects
from django.db.models.functions import Cast
from django.utils import timezone

from exhibitors.models import Exhibitor, Organization
from expo.events.models import Event, Term
from expo.lib.pagecache import version_bump, version_stamp
from expo.lib.search_text import normalize, query_words
from expo.registration.models import Attendee

from .models import Meeting, MeetingRequest, MeetingSeat, NetworkingSettings, Profile, Slot, Table
from .scheduling.candidates import PairScorer
from .scoring import Party, Score, pair_score
from .table_codes import InvalidTableCode, table_code_read, table_key

# Participants ---------------------------------------------------------------------------------


def attendee_is_participant(attendee: Attendee) -> bool:
    """B2B meetings are for confirmed registrations whose pass includes them."""
    return attendee.status == Attendee.Status.CONFIRMED and attendee.pass_type.includes_b2b


def participants(*, event: Event) -> QuerySet[Profile]:
    """Profiles that take part: active, with a confirmed registration whose pass includes B2B."""
    return Profile.objects.filter(
        event=event,
        is_active=True,
        attendee__status=Attendee.Status.CONFIRMED,
        attendee__pass_type__includes_b2b=True,
    )


def networking_settings(*, event: Event) -> NetworkingSettings:
    """The edition's B2B settings; the defaults (unsaved) until organizers save some. Never writes."""
    return NetworkingSettings.objects.filter(event=event).first() or NetworkingSettings(event=event)


def request_quota(*, profile: Profile) -> int:
    """How many requests a participant may send per day: the quota of their role, or the default."""
    settings_ = networking_settings(event=profile.event)
    if settings_.pk is None:
        return settings_.daily_request_quota
    role_quota = settings_.role_quotas.filter(role=profile.role).values_list("daily_requests", flat=True).first()
    return settings_.daily_request_quota if role_quota is None else role_quota


def _organization_key(organization_id, organization_name) -> str | None:
    if organization_id:
        return f"o{organization_id}"
    name = " ".join((organization_name or "").lower().split())
    return f"n:{name}" if name else None


@dataclass
class _ScoringRows:
    """The scoring data of a set of participants as plain rows, read in five queries."""

    ids: list[int]
    roles: list[str]
    organizations: list[str | None]
    organization_ids: list[int | None]
    sizes: list[str | None]
    states: list[int | None]
    languages: list[frozenset]
    offers: list[tuple[int, int]]  # (profile id, term id)
    needs: list[tuple[int, int]]
    certifications: list[tuple[int, int]]  # the profile's own and its organization's

    def party(self, row: int, terms: dict) -> Party:
        pk = self.ids[row]
        return Party(
            id=pk, role=self.roles[row], organization=self.organizations[row], size=self.sizes[row],
            state=self.states[row], offers=frozenset(terms["offers"].get(pk, ())),
            needs=frozenset(terms["needs"].get(pk, ())),
            certifications=frozenset(terms["certifications"].get(pk, ())), languages=self.languages[row],
        )  # fmt: skip

    def terms_of(self, ids=None) -> dict[str, dict[int, list[int]]]:
        """Term ids per profile (of `ids` only, if given)."""
        out: dict[str, dict[int, list[int]]] = {}
        for name in ("offers", "needs", "certifications"):
            by_profile: dict[int, list[int]] = defaultdict(list)
            for profile_id, term_id in getattr(self, name):
                if ids is None or profile_id in ids:
                    by_profile[profile_id].append(term_id)
            out[name] = by_profile
        return out


def _scoring_rows(profiles: QuerySet[Profile], *, event: Event | None = None) -> _ScoringRows:
    """Read the scoring data of `profiles`. With `event`, the term tables are read for the whole
    edition and kept for `profiles` here: thousands of ids would make a slow query to send and
    plan, and a subquery repeats the participants' joins, where the edition's index is direct."""
    rows = list(
        profiles.order_by("pk").values_list(
            "pk", "role", "organization_id", "attendee__organization_name", "organization__size",
            "organization__state_id", "attendee__state_id", Cast("languages", TextField()),
        )
    )  # fmt: skip
    ids = [row[0] for row in rows]
    wanted = set(ids)
    # The through tables are read directly: thousands of id pairs, no model instances.
    terms = {}
    for name in ("offers", "needs", "certifications"):
        through = getattr(Profile, name).through.objects
        found = through.filter(profile__event=event) if event is not None else through.filter(profile_id__in=ids)
        terms[name] = [pair for pair in found.values_list("profile_id", "term_id") if pair[0] in wanted]
    organization_ids = {row[2] for row in rows if row[2]}
    if organization_ids:
        by_organization = defaultdict(list)
        for organization_id, term_id in Organization.certifications.through.objects.filter(
            organization_id__in=organization_ids
        ).values_list("organization_id", "term_id"):
            by_organization[organization_id].append(term_id)
        terms["certifications"] += [(row[0], t) for row in rows if row[2] for t in by_organization.get(row[2], ())]
    decoded: dict[str, frozenset] = {}  # a handful of distinct language lists: decode each once
    languages = []
    for row in rows:
        text = row[7] or "[]"
        if text not in decoded:
            decoded[text] = frozenset(json.loads(text) or [])
        languages.append(decoded[text])
    return _ScoringRows(
        ids=ids, roles=[row[1] for row in rows], organizations=[_organization_key(row[2], row[3]) for row in rows],
        organization_ids=[row[2] for row in rows], sizes=[row[4] for row in rows],
        states=[row[5] or row[6] for row in rows], languages=languages, **terms,
    )  # fmt: skip


def parties(*, event: Event, profile_ids=None) -> dict[int, Party]:
    """Participants of an edition (or only `profile_ids`) as scoring data. Five queries."""
    if profile_ids is None:
        data = _scoring_rows(participants(event=event), event=event)
    else:
        data = _scoring_rows(Profile.objects.filter(pk__in=list(profile_ids)))
    terms = data.terms_of()
    return {pk: data.party(row, terms) for row, pk in enumerate(data.ids)}


def terms_by_id() -> dict[int, Term]:
    """Every taxonomy term, to name the reasons of recommendations. One query (a few hundred rows)."""
    return {t.pk: t for t in Term.objects.only("id", "slug", "name_es", "name_en", "vocabulary")}


def closed_pairs(*, event: Event) -> set[frozenset]:
    """Pairs that must not be proposed: a declined request, or a meeting a participant cancelled."""
    declined = MeetingRequest.objects.filter(event=event, status=MeetingRequest.Status.DECLINED).values_list(
        "sender_id", "recipient_id"
    )
    closed = {frozenset(pair) for pair in declined}
    cancelled = MeetingSeat.objects.filter(
        meeting__event=event, meeting__status=Meeting.Status.CANCELLED, meeting__cancelled_by__isnull=False
    ).values_list("meeting_id", "profile_id")
    by_meeting = defaultdict(list)
    for meeting_id, profile_id in cancelled:
        by_meeting[meeting_id].append(profile_id)
    closed |= {frozenset(ids) for ids in by_meeting.values() if len(ids) == 2}
    return closed


# Recommendations ------------------------------------------------------------------------------


@dataclass
class Recommendation:
    profile: Profile
    score: Score
    request_status: str | None  # of the open request between the two, if any


def recommendations(*, profile: Profile, limit: int = 30) -> list[Recommendation]:
    """People `profile` should meet, best first: other participants, not colleagues, not declined.

    Nine queries whatever the number of participants: five for the scoring data (read once a minute
    per process, see `_edition_scoring`), two for the pairs closed to this participant (declined,
    cancelled), one for the open requests, one to load the profiles shown. Everybody is scored at once
    with numpy (scheduling/candidates.PairScorer, the figure of pair_score); only the people shown are
    made Party objects and given their reasons.
    """
    data, row, scorer = _edition_scoring(profile.event)
    me = row.get(profile.pk)
    if me is None:
        return []
    closed = _closed_partners(profile=profile)
    scores = scorer.block(me, me + 1)[0]
    scores[[row[pk] for pk in closed if pk in row]] = 0
    # Best first, ties by id (rows are in id order): the order of networking.scoring.rank.
    candidates = np.flatnonzero(scores > 0)
    best = candidates[np.lexsort((candidates, -scores[candidates]))][:limit].tolist()
    terms = data.terms_of({data.ids[i] for i in best} | {profile.pk})
    mine = data.party(me, terms)
    ranked = [(data.party(i, terms), None) for i in best]
    ranked = [(party, pair_score(mine, party)) for party, _ in ranked]
    open_requests = {}
    for sender_id, recipient_id, status in MeetingRequest.objects.filter(
        Q(sender=profile) | Q(recipient=profile),
        status__in=[MeetingRequest.Status.PENDING, MeetingRequest.Status.ACCEPTED],
    ).values_list("sender_id", "recipient_id", "status"):
        open_requests[recipient_id if sender_id == profile.pk else sender_id] = status
    shown = Profile.objects.select_related("attendee", "organization").in_bulk([party.id for party, _ in ranked])
    return [Recommendation(shown[party.id], score, open_requests.get(party.id)) for party, score in ranked]


# The edition's scoring data is the same for every participant and took four fifths of the
# recommendations page (98 of 126 ms at 3,887 participants: `bench/web/prepare.py profile
# b2b_recommendations`). Each process keeps it for a minute, or until a participant's profile changes
# through the services (`scoring_changed`); what an admin edit changes shows within the minute.
SCORING_CACHE_SECONDS = 60
_scoring_cache: dict[int, tuple] = {}


def _edition_scoring(event: Event) -> tuple[_ScoringRows, dict[int, int], PairScorer]:
    stamp = version_stamp(f"b2b-scoring:{event.pk}")
    cached = _scoring_cache.get(event.pk)
    if cached is not None and cached[0] == stamp and time.monotonic() - cached[1] < SCORING_CACHE_SECONDS:
        return cached[2]
    data = _scoring_rows(participants(event=event), event=event)
    row = {pk: i for i, pk in enumerate(data.ids)}
    scorer = PairScorer(
        roles=data.roles, organizations=data.organizations, states=data.states, sizes=data.sizes,
        languages=data.languages, needs=[(row[p], t) for p, t in data.needs],
        offers=[(row[p], t) for p, t in data.offers],
        certifications=[(row[p], t) for p, t in data.certifications],
    )  # fmt: skip
    _scoring_cache[event.pk] = (stamp, time.monotonic(), (data, row, scorer))
    return data, row, scorer


def scoring_changed(*, event_id: int) -> None:
    """A participant joined, left or changed their profile: recommendations are scored anew."""
    version_bump(f"b2b-scoring:{event_id}")


def _closed_partners(*, profile: Profile) -> set[int]:
    """Whom `profile` must not be proposed: declined either way, or a meeting a participant cancelled
    (closed_pairs for one participant). Two queries."""
    closed = set()
    for sender_id, recipient_id in MeetingRequest.objects.filter(
        Q(sender=profile) | Q(recipient=profile), status=MeetingRequest.Status.DECLINED
    ).values_list("sender_id", "recipient_id"):
        closed.add(recipient_id if sender_id == profile.pk else sender_id)
    cancelled = Meeting.objects.filter(
        status=Meeting.Status.CANCELLED, cancelled_by__isnull=False, seats__profile=profile
    ).values("pk")
    closed |= set(
        MeetingSeat.objects.filter(meeting__in=cancelled).exclude(profile=profile).values_list("profile_id", flat=True)
    )
    return closed


def pair_reasons(*, profile: Profile, other: Profile) -> Score:
    found = parties(event=profile.event, profile_ids=[profile.pk, other.pk])
    if profile.pk not in found or other.pk not in found:
        return Score(0.0)
    return pair_score(found[profile.pk], found[other.pk])


def table_from_code(code: str) -> Table | None:
    """The table a scanned code is for, or None when the code is not genuine."""
    try:
        payload = table_code_read(code, key=table_key())
    except InvalidTableCode:
        return None
    return Table.objects.select_related("space").filter(pk=payload.table_id, space__event_id=payload.event_id).first()


# Search and participant pages -----------------------------------------------------------------

TRADE_VOCABULARIES = [Term.Vocabulary.DEVICE_CATEGORY, Term.Vocabulary.CAPABILITY]


def trade_terms() -> QuerySet[Term]:
    """What participants offer and need: device categories, then supplier capabilities."""
    return Term.objects.filter(vocabulary__in=TRADE_VOCABULARIES, is_active=True).order_by(
        "-vocabulary", "position", "name_es"
    )


def participant_search(
    *,
    profile: Profile,
    query: str = "",
    role: str = "",
    category: Term | None = None,
    side: str = "",
    state: Term | None = None,
) -> QuerySet[Profile]:
    """Other participants of the edition, by name (every word of `query`, accents and case ignored, in
    the person's name, the company or the job title), role, a category they offer or need (`side`:
    "offers", "needs" or either), and state (the company's, else the person's). In name order, people
    and companies loaded; the caller pages it.

    Names are matched in Python on one read of the edition's participants (a few thousand short rows),
    so "lucia" finds "Lucía" on SQLite and PostgreSQL alike without a stored copy to keep up to date.
    """
    found = (
        participants(event=profile.event)
        .exclude(pk=profile.pk)
        .select_related("attendee", "attendee__state", "organization", "organization__state")
    )
    words = query_words(query)
    if words:
        names = participants(event=profile.event).values_list(
            "pk", "attendee__first_name", "attendee__last_name", "attendee__organization_name", "organization__name",
            "attendee__job_title",
        )  # fmt: skip
        matching = [pk for pk, *parts in names if all(w in normalize(" ".join(filter(None, parts))) for w in words)]
        found = found.filter(pk__in=matching)
    if role:
        found = found.filter(role=role)
    if category is not None:
        if side == "offers":
            found = found.filter(offers=category)
        elif side == "needs":
            found = found.filter(needs=category)
        else:
            found = found.filter(Q(offers=category) | Q(needs=category)).distinct()
    if state is not None:
        found = found.filter(Q(organization__state=state) | Q(organization__state__isnull=True, attendee__state=state))
    return found.order_by("attendee__last_name", "attendee__first_name", "pk")


def profiles_with_terms(profiles: list[Profile]) -> list[Profile]:
    """Load the offers and needs of a page of profiles: two queries, whatever the page size."""
    terms = Term.objects.only("id", "slug", "name_es", "name_en", "vocabulary").order_by(
        "-vocabulary", "position", "name_es"
    )
    prefetch_related_objects(profiles, Prefetch("offers", queryset=terms), Prefetch("needs", queryset=terms))
    return profiles


def open_requests_with(*, profile: Profile, others) -> dict[int, str]:
    """The status of the open request (pending or accepted) between `profile` and each of `others`."""
    ids = [other.pk for other in others]
    rows = MeetingRequest.objects.filter(
        Q(sender=profile, recipient_id__in=ids) | Q(recipient=profile, sender_id__in=ids),
        status__in=[MeetingRequest.Status.PENDING, MeetingRequest.Status.ACCEPTED],
    ).values_list("sender_id", "recipient_id", "status")
    return {(recipient if sender == profile.pk else sender): status for sender, recipient, status in rows}


def participant_for(*, profile: Profile, profile_id: int) -> Profile | None:
    """Another participant of the same edition, for their page; None for anyone else (a 404)."""
    return (
        participants(event=profile.event)
        .select_related("attendee", "attendee__state", "organization", "organization__state")
        .filter(pk=profile_id)
        .first()
    )


def participant_exhibitor(*, profile: Profile) -> Exhibitor | None:
    """The participant's company as a listed exhibitor of the edition (its booth), if it exhibits."""
    if not profile.organization_id:
        return None
    return Exhibitor.objects.listed().filter(event_id=profile.event_id, organization_id=profile.organization_id).first()


# Requests -------------------------------------------------------------------------------------


def requests_received(*, profile: Profile) -> QuerySet[MeetingRequest]:
    return (
        MeetingRequest.objects.filter(recipient=profile)
        .select_related("sender__attendee", "sender__organization")
        .order_by("status", "-created_at")
    )


def requests_sent(*, profile: Profile) -> QuerySet[MeetingRequest]:
    return (
        MeetingRequest.objects.filter(sender=profile)
        .select_related("recipient__attendee", "recipient__organization")
        .order_by("-created_at")
    )


def requests_sent_on(*, profile: Profile, day: date) -> int:
    """Requests a participant sent on a local calendar day (whatever became of them)."""
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time()), tz)
    return MeetingRequest.objects.filter(
        sender=profile, created_at__gte=start, created_at__lt=start + timezone.timedelta(days=1)
    ).count()


# Slots and availability -----------------------------------------------------------------------


def open_slots(*, event: Event) -> QuerySet[Slot]:
    """Slots in which at least one networking space is open."""
    return Slot.objects.filter(event=event, spaces__isnull=False).distinct().order_by("start")


def profile_slots(*, profile: Profile) -> set[int]:
    """Ids of the open slots a participant can meet in (empty availability: all of them)."""
    open_ids = set(open_slots(event=profile.event).values_list("pk", flat=True))
    chosen = set(profile.availability.values_list("pk", flat=True))
    return open_ids & chosen if chosen else open_ids


def slots_free_for(*, first: Profile, second: Profile) -> list[Slot]:
    """Open slots where both are available, neither has a meeting, and some table is free."""
    common = profile_slots(profile=first) & profile_slots(profile=second)
    busy = set(
        MeetingSeat.objects.filter(profile__in=[first, second], is_active=True).values_list("slot_id", flat=True)
    )
    tables = dict(
        Table.objects.filter(space__event=first.event)
        .values("space__slots")
        .annotate(n=Count("pk"))
        .values_list("space__slots", "n")
    )
    used = dict(
        Meeting.objects.filter(event=first.event)
        .live()
        .values("slot_id")
        .annotate(n=Count("pk"))
        .values_list("slot_id", "n")
    )
    now = timezone.now()
    free = [s for s in common - busy if tables.get(s, 0) > used.get(s, 0)]
    return list(Slot.objects.filter(pk__in=free, start__gt=now).order_by("start"))


# Agenda ---------------------------------------------------------------------------------------


@dataclass
class AgendaItem:
    seat: MeetingSeat
    meeting: Meeting
    other: Profile | None
    score: Score


def agenda(*, profile: Profile) -> list[AgendaItem]:
    """A participant's published (and cancelled) meetings in time order, with whom and why.

    Eight queries: the seats with their meetings, slots, tables and spaces; the other seats with
    their profiles; and the five of the scoring data of the people met.
    """
    seats = list(
        MeetingSeat.objects.filter(
            profile=profile, meeting__status__in=[Meeting.Status.PUBLISHED, Meeting.Status.CANCELLED]
        )
        .select_related("meeting__slot", "meeting__table__space")
        .order_by("meeting__slot__start", "pk")
    )
    others = {
        seat.meeting_id: seat.profile
        for seat in MeetingSeat.objects.filter(meeting__in=[s.meeting_id for s in seats])
        .exclude(profile=profile)
        .select_related("profile__attendee", "profile__organization")
    }
    found = parties(event=profile.event, profile_ids=[profile.pk] + [p.pk for p in others.values()])
    me = found.get(profile.pk)
    items = []
    for seat in seats:
        other = others.get(seat.meeting_id)
        score = pair_score(me, found[other.pk]) if me and other and other.pk in found else Score(0.0)
        items.append(AgendaItem(seat=seat, meeting=seat.meeting, other=other, score=score))
    return items


# A participant's B2B status (the "My registration" page) ------------------------------------------


@dataclass
class ParticipantStatus:
    profile: Profile | None
    profile_complete: bool  # saved, with at least one offer or need
    requests_waiting: int  # received, pending, not expired: waiting for their answer
    requests_to_book: int  # accepted, with no meeting yet
    next_seat: MeetingSeat | None  # their next published meeting, with slot, table and space
    next_with: Profile | None  # whom they meet there


def participant_status(*, attendee: Attendee, now=None) -> ParticipantStatus:
    """Where a participant stands: profile complete? requests waiting? next meeting? Four queries at
    most: the profile with its counts, the requests counted, the next seat, the person met there."""
    now = now or timezone.now()
    profile = (
        Profile.objects.filter(attendee=attendee)
        .annotate(n_offers=Count("offers", distinct=True), n_needs=Count("needs", distinct=True))
        .first()
    )
    if profile is None:
        return ParticipantStatus(None, False, 0, 0, None, None)
    live_requests = Meeting.objects.live().filter(request__isnull=False).values("request_id")
    counts = MeetingRequest.objects.filter(Q(sender=profile) | Q(recipient=profile)).aggregate(
        waiting=Count("pk", filter=Q(recipient=profile, status=MeetingRequest.Status.PENDING, expires_at__gt=now)),
        to_book=Count("pk", filter=Q(status=MeetingRequest.Status.ACCEPTED) & ~Q(pk__in=live_requests)),
    )
    seat = (
        MeetingSeat.objects.filter(
            profile=profile, is_active=True, meeting__status=Meeting.Status.PUBLISHED, meeting__slot__end__gt=now
        )
        .select_related("meeting__slot", "meeting__table__space")
        .order_by("meeting__slot__start")
        .first()
    )
    other = None
    if seat is not None:
        other_seat = (
            MeetingSeat.objects.filter(meeting_id=seat.meeting_id)
            .exclude(profile=profile)
            .select_related("profile__attendee")
            .first()
        )
        other = other_seat.profile if other_seat else None
    return ParticipantStatus(
        profile=profile,
        profile_complete=bool(profile.n_offers or profile.n_needs),
        requests_waiting=counts["waiting"],
        requests_to_book=counts["to_book"],
        next_seat=seat,
        next_with=other,
    )


# Outcome --------------------------------------------------------------------------------------


def outcome_report(*, event: Event) -> dict:
    """What came of the meetings: held, no-shows, cancellations, feedback, estimated deal value.

    A meeting was held when a side said it took place or both checked in at the table; it was a
    no-show when its slot is over and neither happened. The deal value of a meeting is the larger
    of the two sides' estimates, so a deal is not counted twice. Three queries.
    """
    now = timezone.now()
    meetings = Meeting.objects.filter(event=event)
    counts = meetings.aggregate(
        published=Count("pk", filter=Q(status=Meeting.Status.PUBLISHED)),
        drafts=Count("pk", filter=Q(status=Meeting.Status.DRAFT)),
        cancelled=Count("pk", filter=Q(status=Meeting.Status.CANCELLED)),
    )
    by_meeting = defaultdict(list)
    seats = MeetingSeat.objects.filter(
        meeting__event=event, meeting__status=Meeting.Status.PUBLISHED, meeting__slot__end__lte=now
    ).values_list("meeting_id", "checked_in_at", "took_place", "deal_value")
    for meeting_id, checked_in_at, took_place, deal_value in seats:
        by_meeting[meeting_id].append((checked_in_at, took_place, deal_value))
    held = no_show = 0
    total_value = 0
    for rows in by_meeting.values():
        said_yes = any(r[1] is True for r in rows)
        both_in = len(rows) == 2 and all(r[0] is not None for r in rows)
        if said_yes or both_in:
            held += 1
            total_value += max((r[2] for r in rows if r[2] is not None), default=0)
        else:
            no_show += 1
    feedback = list(
        MeetingSeat.objects.filter(meeting__event=event)
        .exclude(feedback="")
        .select_related("profile__attendee", "meeting__slot", "meeting__table__space")
        .order_by("-answered_at")[:50]
    )
    return {
        **counts,
        "past": len(by_meeting),
        "held": held,
        "no_show": no_show,
        "deal_value": total_value,
        "feedback": feedback,
    }
