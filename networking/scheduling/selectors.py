"""The scheduler's instance, built from the database in the format of shared/specs/matchmaking.md."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from expo.events.models import Event
from networking.models import Meeting, MeetingRequest, MeetingSeat, NetworkingSpace, Profile, Slot
from networking.scoring import pair_score
from networking.selectors import closed_pairs, participants, parties

# An accepted request is worth more than anything else in the instance (spec: "a large bonus").
MUST_BONUS = 500.0


def person_id(profile_id: int) -> str:
    return f"p{profile_id}"


def slot_id(slot_pk: int) -> str:
    return f"s{slot_pk}"


@dataclass
class ScheduleInstance:
    """An instance in the spec's format, the meetings to keep fixed, and how to map back."""

    instance: dict
    fixed: list[dict]
    accepted_requests: dict[frozenset, int]  # pair of profile ids -> accepted request id
    spaces: dict[str, int]  # space code -> space id


def schedule_instance(*, event: Event) -> ScheduleInstance:
    """Build the scheduler's input from the database (format: shared/specs/matchmaking.md).

    Participants are the active B2B profiles; a profile with no availability is available in every
    open slot. Pairs are those with a positive recommendation score, without colleagues (same
    organization) and declined pairs; an accepted request is `must` and earns MUST_BONUS. Published
    and locked meetings are `fixed`: the solver keeps them exactly and fills around them.
    """
    slots = list(Slot.objects.filter(event=event).order_by("start"))
    spaces = list(NetworkingSpace.objects.filter(event=event).annotate(n_tables=Count("tables")).order_by("code"))
    open_in = defaultdict(list)
    for space_id, slot_pk in NetworkingSpace.slots.through.objects.filter(networkingspace__event=event).values_list(
        "networkingspace_id", "slot_id"
    ):
        open_in[space_id].append(slot_pk)
    open_slot_pks = {pk for pks in open_in.values() for pk in pks}
    everyone = parties(event=event)
    availability = defaultdict(set)
    for profile_id, slot_pk in Profile.availability.through.objects.filter(profile_id__in=list(everyone)).values_list(
        "profile_id", "slot_id"
    ):
        availability[profile_id].add(slot_pk)
    capacity = dict(participants(event=event).values_list("pk", "max_meetings"))
    slot_order = {s.pk: i for i, s in enumerate(slots)}
    people = []
    for pk, party in everyone.items():
        chosen = availability.get(pk)
        available = (chosen & open_slot_pks) if chosen else open_slot_pks
        people.append({
            "id": person_id(pk), "organization": party.organization or person_id(pk), "role": party.role,
            "max_meetings": capacity[pk],
            "available": [slot_id(s) for s in sorted(available, key=slot_order.__getitem__)],
        })  # fmt: skip

    accepted = {
        frozenset((sender, recipient)): request_id
        for request_id, sender, recipient in MeetingRequest.objects.filter(
            event=event, status=MeetingRequest.Status.ACCEPTED
        ).values_list("pk", "sender_id", "recipient_id")
    }
    closed = closed_pairs(event=event)
    ordered = sorted(everyone.values(), key=lambda p: p.id)
    pairs = []
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            key = frozenset((a.id, b.id))
            if key in closed or (a.organization is not None and a.organization == b.organization):
                continue
            must = key in accepted
            weight = pair_score(a, b).value
            if must:
                weight += MUST_BONUS
            if weight > 0:
                pairs.append({"a": person_id(a.id), "b": person_id(b.id), "weight": weight, "must": must})

    fixed = []
    kept = Meeting.objects.filter(event=event).filter(
        Q(status=Meeting.Status.PUBLISHED) | Q(status=Meeting.Status.DRAFT, is_locked=True)
    )
    seats = defaultdict(list)
    for meeting_id, profile_id in MeetingSeat.objects.filter(meeting__in=kept, is_active=True).values_list(
        "meeting_id", "profile_id"
    ):
        seats[meeting_id].append(profile_id)
    for meeting_id, slot_pk, code, number in kept.values_list("pk", "slot_id", "table__space__code", "table__number"):
        if len(seats[meeting_id]) == 2:
            a, b = sorted(seats[meeting_id])
            fixed.append({"a": person_id(a), "b": person_id(b), "slot": slot_id(slot_pk), "space": code,
                          "table": number})  # fmt: skip

    instance = {
        "name": event.slug,
        "slots": [
            {
                "id": slot_id(s.pk),
                "start": timezone.localtime(s.start).isoformat(),
                "end": timezone.localtime(s.end).isoformat(),
            }
            for s in slots
        ],  # fmt: skip
        "spaces": [
            {
                "id": space.code,
                "name": space.name,
                "tables": space.n_tables,
                "slots": [slot_id(pk) for pk in sorted(open_in[space.pk], key=slot_order.__getitem__)],
            }
            for space in spaces
        ],  # fmt: skip
        "participants": people,
        "pairs": pairs,
    }
    return ScheduleInstance(
        instance=instance, fixed=fixed, accepted_requests=accepted, spaces={s.code: s.pk for s in spaces}
    )
