"""The scheduler's instance, built from the database in the format of shared/specs/matchmaking.md."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.db.models import Count, Q
from django.utils import timezone

from expo.events.models import Event
from networking.models import Meeting, MeetingRequest, MeetingSeat, NetworkingSpace, Profile, Slot
from networking.scoring import Party, pair_score
from networking.selectors import closed_pairs, participants, parties

from .candidates import Candidates, candidate_pairs

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
    candidates: Candidates | None = None  # how the pairs were chosen: counts and LP bounds


def _colleagues(a: Party, b: Party) -> bool:
    return a.organization is not None and a.organization == b.organization


def schedule_instance(
    *, event: Event, prune: bool = True, progress: Callable[[float], None] | None = None
) -> ScheduleInstance:
    """Build the scheduler's input from the database (format: shared/specs/matchmaking.md).

    Participants are the active B2B profiles; a profile with no availability is available in every
    open slot. Pairs have a positive recommendation score, without colleagues (same organization)
    and declined pairs; an accepted request is `must` and earns MUST_BONUS. Of all such pairs, only
    those that matter are kept (scheduling/candidates.py: each participant's best matches, and their
    best once the popular are priced in) unless `prune` is False; accepted requests always are.
    Published and locked meetings are `fixed`: the solver keeps them exactly and fills around them.
    `progress` is called with the share of the work done (0..1) as it goes.
    """
    report = progress or (lambda done: None)
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
    index = {p.id: i for i, p in enumerate(ordered)}
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

    # What the candidates serve: the seats left to each participant and the table-slots left once
    # the fixed meetings are counted, and the open slots each participant can meet in.
    seats_left = dict(capacity)
    for m in fixed:
        for pid in (m["a"], m["b"]):
            seats_left[int(pid[1:])] = seats_left.get(int(pid[1:]), 0) - 1
    open_order = sorted(open_slot_pks, key=slot_order.__getitem__)
    column = {pk: c for c, pk in enumerate(open_order)}
    available = np.zeros((len(ordered), len(open_order)), dtype=bool)
    for i, party in enumerate(ordered):
        chosen = availability.get(party.id)
        available[i, [column[pk] for pk in (chosen & open_slot_pks if chosen else open_slot_pks)]] = True
    table_slots = sum(space.n_tables * len(open_in[space.pk]) for space in spaces) - len(fixed)
    must = [
        (a, b) for a, b in (sorted(key) for key in accepted if len(key) == 2)
        if a in everyone and b in everyone and not _colleagues(everyone[a], everyone[b])
    ]  # fmt: skip
    report(0.1)
    found = candidate_pairs(
        ordered, [max(0, seats_left[p.id]) for p in ordered], available=available, tables=max(0, table_slots),
        must=[(index[a], index[b]) for a, b in must], must_bonus=MUST_BONUS,
        closed=[(index[a], index[b]) for a, b in (tuple(key) for key in closed if len(key) == 2)
                if a in index and b in index],
        prune=prune, progress=lambda done: report(0.1 + 0.85 * done),
    )  # fmt: skip
    weights = {
        (ordered[i].id, ordered[j].id): w for i, j, w in zip(found.a.tolist(), found.b.tolist(), found.weight.tolist())
    }
    # The pairs of fixed meetings are candidates whatever the pruning says (a fixed meeting's pair
    # must be listed for the quality figures to count it).
    for m in fixed:
        a, b = int(m["a"][1:]), int(m["b"][1:])
        if (a, b) not in weights and a in everyone and b in everyone and frozenset((a, b)) not in closed:
            weights[(a, b)] = pair_score(everyone[a], everyone[b]).value
    pairs = []
    for (a, b), weight in sorted(weights.items()):
        if _colleagues(everyone[a], everyone[b]):
            continue  # colleagues never meet, not even on request
        must = frozenset((a, b)) in accepted
        if must:
            weight += MUST_BONUS
        if weight > 0:
            pairs.append({"a": person_id(a), "b": person_id(b), "weight": weight, "must": must})
    report(1.0)

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
        instance=instance,
        fixed=fixed,
        accepted_requests=accepted,
        spaces={s.code: s.pk for s in spaces},
        candidates=found,
    )
