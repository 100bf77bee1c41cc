"""B2B's part of a person's data (ARCO, expo.registration.personal_data): export and erasure.

Export: the B2B profile, the requests sent and received, the meetings with the person's own
check-in, outcome and feedback. Other participants appear by profile id only.

Erasure: the person's meetings still to come are cancelled through `meeting_cancel`, so the other
side gets the usual "meeting cancelled" email (naming the anonymous registration) and their calendar
shows it cancelled; their pending requests are withdrawn. Past meetings stay, with their check-ins,
outcomes and deal values (meetings held and no-shows still add up) but without the person's written
feedback; request messages to or from them are blanked; the profile is deactivated (out of search
and of the scheduler) and loses its offers, needs, certifications and availability.
"""

from django.db.models import Q

from expo.registration.models import Attendee
from expo.registration.personal_data import Erasure

from .models import Meeting, MeetingRequest, MeetingSeat, Profile
from .services import meeting_cancel


def _iso(value):
    return value.isoformat() if value else None


def networking_personal_data(*, attendee: Attendee) -> dict:
    profile = Profile.objects.filter(attendee=attendee).select_related("organization").first()
    if profile is None:
        return {"profile": None, "requests": [], "meetings": []}
    requests = MeetingRequest.objects.filter(Q(sender=profile) | Q(recipient=profile)).order_by("created_at")
    seats = MeetingSeat.objects.filter(profile=profile).select_related("meeting__slot", "meeting__table__space")
    return {
        "profile": {
            "id": profile.pk, "role": profile.role,
            "organization": profile.organization.name if profile.organization else "",
            "offers": [t.name for t in profile.offers.all()], "needs": [t.name for t in profile.needs.all()],
            "certifications": [t.name for t in profile.certifications.all()], "languages": profile.languages,
            "availability": [_iso(s.start) for s in profile.availability.all()], "max_meetings": profile.max_meetings,
            "active": profile.is_active,
        },
        "requests": [
            {"id": r.pk, "direction": "sent" if r.sender_id == profile.pk else "received",
             "other_profile_id": r.recipient_id if r.sender_id == profile.pk else r.sender_id,
             "message": r.message if r.sender_id == profile.pk else "", "status": r.status,
             "sent_at": _iso(r.created_at), "answered_at": _iso(r.responded_at)}
            for r in requests
        ],
        "meetings": [
            {"id": s.meeting_id, "start": _iso(s.meeting.slot.start), "end": _iso(s.meeting.slot.end),
             "table": str(s.meeting.table), "status": s.meeting.status,
             "other_profile_ids": sorted(p for p in s.meeting.seats.values_list("profile_id", flat=True)
                                         if p != profile.pk),
             "checked_in_at": _iso(s.checked_in_at), "took_place": s.took_place, "feedback": s.feedback,
             "deal_value": s.deal_value}
            for s in seats.order_by("meeting__slot__start")
        ],
    }  # fmt: skip


def networking_personal_data_erase(*, erasure: Erasure) -> dict:
    profile = Profile.objects.filter(attendee=erasure.attendee).first()
    if profile is None:
        return {}
    upcoming = Meeting.objects.live().filter(seats__profile=profile, slot__start__gt=erasure.at).distinct()
    cancelled = 0
    for meeting in upcoming.order_by("pk"):
        meeting_cancel(meeting=meeting, by=profile, notify_by=False)
        cancelled += 1
    mine = Q(sender=profile) | Q(recipient=profile)
    withdrawn = MeetingRequest.objects.filter(mine, status=MeetingRequest.Status.PENDING).update(
        status=MeetingRequest.Status.WITHDRAWN
    )
    MeetingRequest.objects.filter(mine).exclude(message="").update(message="")
    MeetingSeat.objects.filter(profile=profile).exclude(feedback="").update(feedback="")
    profile.is_active = False
    profile.save(update_fields=["is_active"])
    for relation in (profile.offers, profile.needs, profile.certifications, profile.availability):
        relation.clear()
    return {"meetings_cancelled": cancelled, "requests_withdrawn": withdrawn}
