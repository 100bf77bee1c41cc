"""The segments organizers write to, registered with the outbox (expo.mail.segments).

All visitors, one pass type, B2B participants and exhibitors' people. Workshop enrollees are the
program's to register (it sits below the dashboard and registers with expo.mail directly).
"""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from exhibitors.models import Exhibitor
from expo.mail.segments import Recipient, Segment, segment_register
from expo.registration.models import Attendee, PassType
from networking.models import Profile


def _confirmed(event_id: int):
    return Attendee.objects.filter(event_id=event_id, status=Attendee.Status.CONFIRMED).order_by("pk")


def _from_attendees(queryset):
    for pk, email, language, first_name in queryset.values_list("pk", "email", "language", "first_name").iterator(
        chunk_size=2000
    ):
        yield Recipient(email=email, language=language, name=first_name, attendee_id=pk)


def visitors(event_id: int, parameter: str = ""):
    return _from_attendees(_confirmed(event_id))


def pass_type(event_id: int, parameter: str = ""):
    return _from_attendees(_confirmed(event_id).filter(pass_type_id=int(parameter or 0)))


def pass_type_choices(event_id: int) -> list[tuple[str, str]]:
    return [(str(p.pk), p.name) for p in PassType.objects.filter(event_id=event_id)]


def b2b_participants(event_id: int, parameter: str = ""):
    return _from_attendees(_confirmed(event_id).filter(pass_type__includes_b2b=True))


def exhibitors(event_id: int, parameter: str = ""):
    """The staff accounts of the edition's exhibitors and the registrations of their B2B teams."""
    seen = set()
    users = get_user_model().objects.filter(exhibitor_memberships__event_id=event_id).exclude(email="").distinct()
    for email, first_name in users.values_list("email", "first_name"):
        if email.lower() not in seen:
            seen.add(email.lower())
            yield Recipient(email=email, language="es-mx", name=first_name)
    organizations = Exhibitor.objects.filter(event_id=event_id).values("organization_id")
    team = Profile.objects.filter(event_id=event_id, organization_id__in=organizations).values("attendee_id")
    for recipient in _from_attendees(_confirmed(event_id).filter(pk__in=team)):
        if recipient.email.lower() not in seen:
            seen.add(recipient.email.lower())
            yield recipient


def segments_register() -> None:
    segment_register(Segment("visitors", _("All visitors (confirmed registrations)"), visitors))
    segment_register(Segment("pass_type", _("One pass type"), pass_type, pass_type_choices))
    segment_register(Segment("b2b", _("B2B participants"), b2b_participants))
    segment_register(Segment("exhibitors", _("Exhibitors (staff accounts and B2B teams)"), exhibitors))
