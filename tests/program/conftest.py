"""Fixtures of the program tests: an edition with a workshop, a talk and visitors on training passes."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.factories import AttendeeFactory, EventFactory, PassTypeFactory, RoomFactory, SessionFactory

MX = ZoneInfo("America/Mexico_City")


@dataclass
class Program:
    event: object
    training: object  # pass type that includes training
    workshop: object  # 09:00-12:00 on day one, 2 seats, 3 hours
    talk: object  # 10:00-10:40 on day one, no enrollment


def local(day, hour, minute=0):
    return datetime.combine(day, datetime.min.time(), MX) + timedelta(hours=hour, minutes=minute)


def program_make(*, seats: int = 2) -> Program:
    day = timezone.localdate() + timedelta(days=30)
    event = EventFactory(start_date=day, end_date=day + timedelta(days=2))
    training = PassTypeFactory(event=event, includes_training=True, name_es="Profesional", name_en="Professional")
    workshop = SessionFactory(
        event=event, title="Taller: Validación de esterilización", kind="workshop", enrollment_required=True,
        capacity=seats, training_hours=Decimal("3"), start=local(day, 9), end=local(day, 12),
        room=RoomFactory(name_es="Aula 1", name_en="Training room 1", capacity=40),
    )  # fmt: skip
    talk = SessionFactory(event=event, title="Regulación COFEPRIS", start=local(day, 10), end=local(day, 10, 40))
    return Program(event=event, training=training, workshop=workshop, talk=talk)


@pytest.fixture
def program(db):
    return program_make()


def visitor(program: Program, **kwargs):
    return AttendeeFactory(event=program.event, pass_type=program.training, **kwargs)
