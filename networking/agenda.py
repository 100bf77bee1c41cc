"""B2B meetings in the program's "My agenda", its clash warnings and its calendar feed.

The program sits below networking and cannot read meetings itself; networking registers this source
with it (`expo.program.agenda.agenda_source_register`, in NetworkingConfig.ready). Three queries
whatever the number of meetings: the profile, the person's seats with their meetings, slots, tables
and spaces, and the other side of each.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from expo.program.agenda import AgendaItem

from .calendar import meeting_uid
from .models import Meeting, MeetingSeat, Profile


def b2b_agenda_items(attendee) -> list[AgendaItem]:
    profile = Profile.objects.filter(attendee=attendee, is_active=True).only("pk").first()
    if profile is None:
        return []
    seats = list(
        MeetingSeat.objects.filter(profile=profile,
                                   meeting__status__in=[Meeting.Status.PUBLISHED, Meeting.Status.CANCELLED])
        .select_related("meeting__slot", "meeting__table__space")
    )  # fmt: skip
    others = {
        seat.meeting_id: seat.profile.attendee
        for seat in MeetingSeat.objects.filter(meeting__in=[s.meeting_id for s in seats]).exclude(profile=profile)
        .select_related("profile__attendee")
    }  # fmt: skip
    url = reverse("networking:agenda")
    items = []
    for seat in seats:
        meeting = seat.meeting
        other = others.get(meeting.pk)
        who = other.full_name if other else _("to be confirmed")
        if other and other.organization_name:
            who = f"{who} ({other.organization_name})"
        cancelled = meeting.status == Meeting.Status.CANCELLED
        items.append(AgendaItem(
            uid=meeting_uid(meeting), kind="meeting", title=_("B2B meeting with %(name)s") % {"name": who},
            start=meeting.slot.start, end=meeting.slot.end,
            location=_("%(space)s, table %(table)s") % {"space": meeting.table.space.name, "table": meeting.table},
            url=url, status="cancelled" if cancelled else "confirmed", sequence=1 if cancelled else 0,
            stamp=meeting.cancelled_at or meeting.created_at, note=_("B2B meeting"), object_id=meeting.pk,
        ))  # fmt: skip
    return items
