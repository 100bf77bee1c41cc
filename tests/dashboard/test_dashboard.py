"""The dashboard: the admin's home page for an edition, panels registered by the apps, a fixed
number of aggregate queries, and every figure a link to the admin list it counts."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from expo.dashboard import roles
from expo.lib.panels import panels_all
from expo.registration.models import Attendee
from networking import selectors as networking_selectors
from networking.dashboard import meeting_outcomes
from tests.conftest import login_verified
from tests.factories import AttendeeFactory, MeetingFactory, ParticipantFactory, PassTypeFactory

from .conftest import member

pytestmark = pytest.mark.django_db


def test_each_app_registers_its_panel():
    assert [panel.key for panel in panels_all()] == ["registration", "program", "exhibitors", "networking"]


def _dashboard(client, user, event):
    login_verified(client, user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/admin/", {"event": event.pk})
    assert response.status_code == 200
    return response, len(queries)


def test_dashboard_runs_a_fixed_number_of_queries_whatever_the_data(client, organizer, fair):
    _response, before = _dashboard(client, organizer, fair.event)
    visitor = PassTypeFactory(event=fair.event, slug="otro")
    AttendeeFactory.create_batch(25, event=fair.event, pass_type=visitor)
    people = ParticipantFactory.create_batch(4, event=fair.event)
    MeetingFactory(event=fair.event, slot=fair.slots[3], table=fair.tables[1], between=people[:2])
    _response, after = _dashboard(client, organizer, fair.event)
    # the user with their permissions (the session is read from the cache), the device that verified
    # the session (django-otp), the edition asked for, the editions of the selector; 4 registration +
    # 2 program + 4 exhibitors + 3 B2B aggregates; the admin log.
    panels = sum(panel.queries for panel in panels_all())
    assert panels == 13
    assert before == after == 4 + panels + 1


def test_each_panel_runs_the_queries_it_declares(fair):
    for panel in panels_all():
        with CaptureQueriesContext(connection) as queries:
            panel.build(fair.event)
        assert len(queries) == panel.queries, panel.key


def test_figures_link_to_the_filtered_list_they_count(client, organizer, fair):
    response, _count = _dashboard(client, organizer, fair.event)
    content = response.content.decode()
    panel = next(p for p in response.context["dashboard_panels"] if p.panel.key == "registration")
    confirmed = next(f for f in panel.content.figures if f.label == "Registros confirmados")
    assert confirmed.value == 6  # three visitors and the three B2B participants
    assert confirmed.url.replace("&", "&amp;") in content
    listed = client.get(confirmed.url)
    assert listed.status_code == 200
    assert list(listed.context["cl"].result_list) == list(
        Attendee.objects.filter(event=fair.event, status=Attendee.Status.CONFIRMED)
    )
    waitlist = next(f for f in panel.content.figures if f.label == "En lista de espera")
    assert waitlist.value == 1
    assert client.get(waitlist.url).context["cl"].result_count == 1


def test_every_link_of_every_panel_opens(client, organizer, fair):
    response, _count = _dashboard(client, organizer, fair.event)
    urls = set()
    for view in response.context["dashboard_panels"]:
        urls |= {f.url for f in view.content.figures + view.content.links if f.url}
        urls |= {url for chart in view.content.charts for url in chart.urls}
    assert len(urls) > 20
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_charts_carry_their_data_for_the_static_script(client, organizer, fair):
    response, _count = _dashboard(client, organizer, fair.event)
    content = response.content.decode()
    assert 'id="chart-registrations-by-pass"' in content and 'type="application/json"' in content
    assert "/static/vendor/chartjs/chart.umd.min.js" in content and "/static/dashboard/dashboard.js" in content
    assert "<script>" not in content  # no inline script: a strict CSP holds


def test_a_program_manager_sees_the_program_but_no_registration_figures(client, fair):
    manager = member(roles.PROGRAM_MANAGER)
    response, _count = _dashboard(client, manager, fair.event)
    assert [v.panel.key for v in response.context["dashboard_panels"]] == ["program"]


def test_b2b_outcome_figures_follow_the_outcome_report(fair):
    a, b, c = fair.people
    past = timezone.now() - timedelta(days=1)
    for hours, meeting in enumerate(fair.event.meetings.all(), start=1):  # both meetings are over
        meeting.slot.start, meeting.slot.end = past - timedelta(hours=hours + 1), past - timedelta(hours=hours)
        meeting.slot.save()
    first = fair.event.meetings.order_by("pk").first()  # held; the other one: nobody came
    first.seats.filter(profile=a).update(took_place=True, deal_value=Decimal("150000"))
    first.seats.filter(profile=b).update(took_place=True, deal_value=Decimal("90000"))
    figures = meeting_outcomes(event=fair.event)
    report = networking_selectors.outcome_report(event=fair.event)
    assert (figures["held"], figures["no_show"], figures["deal_value"]) == (1, 1, Decimal("150000"))
    assert (report["held"], report["no_show"], report["deal_value"]) == (1, 1, Decimal("150000"))
