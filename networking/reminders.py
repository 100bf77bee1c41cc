"""The day-before reminder of a participant's B2B meetings, registered with expo.mail.reminders.

One email per participant with published meetings on `day`, listing them (time, space, table,
with whom). Non-essential: it has an unsubscribe link and skips addresses that opted out. Its key
(`b2b-reminder:<day>:<profile>`) makes a second run the same day write nothing.
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from expo.registration.services import attendee_email

from .models import Meeting, MeetingSeat, Profile

SUBJECT = gettext_noop("Your B2B meetings tomorrow at %(event_name)s")


def meeting_reminders_send(day: date) -> int:
    start = timezone.make_aware(datetime.combine(day, time.min))
    seats = MeetingSeat.objects.filter(
        is_active=True, meeting__status=Meeting.Status.PUBLISHED, slot__start__gte=start,
        slot__start__lt=start + timedelta(days=1),
    )  # fmt: skip
    profiles = Profile.objects.filter(pk__in=seats.values("profile_id")).select_related("attendee")
    written = 0
    with transaction.atomic():
        for profile in profiles.iterator(chunk_size=1000):
            email = attendee_email(
                attendee=profile.attendee, template="networking/email/meeting_reminder", subject=SUBJECT,
                context={"profile_id": profile.pk, "day": day.isoformat()}, essential=False,
                key=f"b2b-reminder:{day.isoformat()}:{profile.pk}",
            )  # fmt: skip
            written += email is not None
    return written
