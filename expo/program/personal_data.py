"""The program's part of a person's data (ARCO, expo.registration.personal_data): export and erasure.

Export: saved sessions, workshop enrollments, room scans, attendance, certificates (with their PDFs
in the ZIP), the DC-3 details and the calendar link's version.

Erasure: saved sessions and the DC-3 details (CURP, employer) are deleted and the calendar
subscription link is reset (every URL given out stops working). Enrollments, room scans and
attendance stay, attached to the anonymous registration: seats taken and hours delivered still add
up. Certificates stay valid with the anonymous name and without DC-3 data, so the hours they
certify still count and the public verification page names nobody; the organizers' next batch
finds them up to date and issues nothing new.
"""

from expo.registration.models import Attendee
from expo.registration.personal_data import Erasure

from .certificate_pdf import certificate_pdf
from .certificates import certificate_code
from .models import Attendance, CalendarFeed, Certificate, Dc3Details, Enrollment, RoomScan, SavedSession
from .services import calendar_feed_reset


def _iso(value):
    return value.isoformat() if value else None


def program_personal_data(*, attendee: Attendee) -> dict:
    dc3 = Dc3Details.objects.filter(attendee=attendee).first()
    feed = CalendarFeed.objects.filter(attendee=attendee).first()
    return {
        "saved_sessions": [
            {"session_id": s.session_id, "title": s.session.title, "saved_at": _iso(s.created_at)}
            for s in SavedSession.objects.filter(attendee=attendee).select_related("session").order_by("created_at")
        ],
        "enrollments": [
            {
                "session_id": e.session_id,
                "title": e.session.title,
                "status": e.status,
                "created_at": _iso(e.created_at),
                "offered_at": _iso(e.offered_at),
                "offer_expires_at": _iso(e.offer_expires_at),
            }
            for e in Enrollment.objects.filter(attendee=attendee).select_related("session").order_by("created_at")
        ],  # fmt: skip
        "room_scans": [
            {"session_id": s.session_id, "direction": s.direction, "at": _iso(s.scanned_at)}
            for s in RoomScan.objects.filter(attendee=attendee).order_by("scanned_at")
        ],
        "attendance": [
            {
                "session_id": a.session_id,
                "title": a.session.title,
                "seconds_present": a.present_seconds,
                "share": a.share,
                "first_entry_at": _iso(a.first_entry_at),
                "last_exit_at": _iso(a.last_exit_at),
            }
            for a in Attendance.objects.filter(attendee=attendee).select_related("session").order_by("session__start")
        ],  # fmt: skip
        "certificates": [
            {
                "id": c.pk,
                "code": certificate_code(c),
                "name": c.full_name,
                "hours": c.hours,
                "sessions": c.sessions,
                "dc3": c.dc3,
                "issued_at": _iso(c.issued_at),
                "revoked_at": _iso(c.revoked_at),
                "revoked_reason": c.revoked_reason,
            }
            for c in Certificate.objects.filter(attendee=attendee).order_by("issued_at")
        ],  # fmt: skip
        "dc3_details": (
            {
                "curp": dc3.curp,
                "occupation": dc3.occupation,
                "employer_name": dc3.employer_name,
                "employer_rfc": dc3.employer_rfc,
            }
            if dc3
            else None
        ),  # fmt: skip
        "calendar_link": {"version": feed.version, "reset_at": _iso(feed.reset_at)} if feed else None,
    }


def program_personal_files(*, attendee: Attendee) -> dict[str, bytes]:
    certificates = Certificate.objects.filter(attendee=attendee, revoked_at__isnull=True).select_related("event__venue")
    return {f"constancia-{c.pk}.pdf": certificate_pdf(c) for c in certificates}


def program_personal_data_erase(*, erasure: Erasure) -> dict:
    attendee = erasure.attendee
    saved = SavedSession.objects.filter(attendee=attendee).delete()[0]
    dc3 = Dc3Details.objects.filter(attendee=attendee).delete()[0]
    calendar_feed_reset(attendee=attendee)
    certificates = 0
    for certificate in Certificate.objects.filter(attendee=attendee):
        certificate.full_name, certificate.dc3 = attendee.full_name, {}
        certificate.sessions = erasure.scrub(certificate.sessions)
        certificate.save(update_fields=["full_name", "dc3", "sessions"])
        certificates += 1
    return {"saved_sessions_deleted": saved, "dc3_deleted": dc3, "calendar_link_reset": 1,
            "certificates_anonymized": certificates}  # fmt: skip
