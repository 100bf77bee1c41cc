"""The demo edition has the history of a fair in progress, whatever day it is built on."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Count, Max, Min

from expo.demo.edition import demo_edition_seed
from expo.registration.models import Attendee, BadgeScan
from expo.registration.selectors import badge_holder
from networking.models import Meeting, MeetingSeat

pytestmark = pytest.mark.django_db
MX = ZoneInfo("America/Mexico_City")


@pytest.fixture(scope="module")
def fair(django_db_setup, django_db_blocker):
    """Built as if it were 13:30 on the fair's second day (a fixed moment: no test depends on today)."""
    start = date(2031, 3, 4)
    now = datetime.combine(start + timedelta(days=1), time(13, 30), MX)
    with django_db_blocker.unblock():
        result = demo_edition_seed(visitors=400, start=start, now=now, log=lambda *a: None)
        yield result.event, now
        from expo.demo.edition import _event_delete

        _event_delete(result.event)


def test_registrations_are_spread_over_the_weeks_before_and_none_in_the_future(fair):
    event, now = fair
    visitors = Attendee.objects.filter(event=event).exclude(pass_type__slug="expositor")
    span = visitors.aggregate(first=Min("created_at"), last=Max("created_at"))
    assert span["last"] <= now and span["first"] < datetime.combine(event.start_date, time(0), MX) - timedelta(days=21)
    weeks = {a.created_at.isocalendar()[1] for a in visitors}
    assert len(weeks) >= 5
    assert visitors.filter(registered_at_desk=True).exists()  # walk-ins since the doors opened


def test_yesterdays_check_ins_todays_so_far_and_none_tomorrow(fair):
    event, now = fair
    per_day = dict(BadgeScan.objects.filter(event=event).values_list("day").annotate(n=Count("pk")))
    first, second, third = event.dates
    assert per_day[first] > per_day[second] > 0 and third not in per_day
    assert BadgeScan.objects.filter(event=event).aggregate(last=Max("scanned_at"))["last"] <= now


def test_meetings_held_yesterday_with_outcomes_today_and_tomorrows_agenda(fair):
    event, now = fair
    meetings = Meeting.objects.filter(event=event, status=Meeting.Status.PUBLISHED)
    first, second, third = event.dates
    by_day = {day: meetings.filter(slot__start__date=day) for day in event.dates}
    assert all(by_day[day].exists() for day in event.dates)
    yesterday = MeetingSeat.objects.filter(meeting__in=by_day[first])
    assert yesterday.filter(took_place=True).exclude(feedback="").exists()
    assert yesterday.filter(took_place=False).exists()  # a no-show
    assert yesterday.filter(deal_value__isnull=False).exists()
    later = MeetingSeat.objects.filter(meeting__slot__start__gt=now, meeting__event=event)
    assert later.exists() and not later.filter(checked_in_at__isnull=False).exists()
    assert not later.exclude(took_place=None).exists()
    # The database's rules hold: one meeting per person per slot (the index would have refused otherwise).
    assert not MeetingSeat.objects.values("profile", "slot").annotate(n=Count("pk")).filter(n__gt=1).exists()


def test_demo_badges_have_short_codes_the_door_accepts(fair):
    event, _ = fair
    attendee = Attendee.objects.filter(event=event, status="confirmed").first()
    assert len(attendee.badge_code) == 12
    assert badge_holder(event=event, code=attendee.badge_code).attendee == attendee
