"""Rules of the program that the database holds."""

import pytest
from django.db import IntegrityError, transaction

from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def test_session_must_end_after_it_starts():
    session = SessionFactory()
    session.end = session.start
    with pytest.raises(IntegrityError), transaction.atomic():
        session.save()
