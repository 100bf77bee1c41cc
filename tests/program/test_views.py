"""The program page."""

import pytest
from django.urls import reverse

from tests.factories import EventFactory, SessionFactory, SpeakerFactory

pytestmark = pytest.mark.django_db


def test_program_lists_sessions_of_the_chosen_day_with_speakers(client):
    event = EventFactory()
    session = SessionFactory(event=event, title="ISO 13485 en la práctica")
    session.speakers.add(SpeakerFactory(event=event, name="Dra. Lucía Herrera"))
    response = client.get(reverse("program:list"), {"day": event.start_date.isoformat()})
    html = response.content.decode()
    assert "ISO 13485 en la práctica" in html and "Dra. Lucía Herrera" in html


def test_program_query_count_does_not_grow_with_sessions(client, django_assert_num_queries):
    event = EventFactory()
    for _ in range(3):
        SessionFactory(event=event).speakers.add(SpeakerFactory(event=event))
    # 1 current edition, 1 sessions with rooms and tracks, 1 speakers
    with django_assert_num_queries(3):
        client.get(reverse("program:list"))
    for _ in range(20):
        SessionFactory(event=event).speakers.add(SpeakerFactory(event=event))
    with django_assert_num_queries(3):
        client.get(reverse("program:list"))
