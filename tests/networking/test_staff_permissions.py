"""Organizer pages of B2B need named permissions, not just a staff account (issue 11 #6)."""

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = User.objects.create_user("ayudante", password="x", is_staff=True)
    client.force_login(user)
    return user


def test_staff_without_the_permission_cannot_read_outcomes_or_table_sheets(client, staff, edition):
    assert client.get(reverse("networking:outcome-report")).status_code == 403
    assert client.get(reverse("networking:outcome-report"), {"event": edition.event.pk}).status_code == 403
    assert client.get(reverse("networking:tables-sheet", args=[edition.space.pk])).status_code == 403


def test_named_permissions_open_each_page(client, staff, edition):
    staff.user_permissions.add(Permission.objects.get(codename="view_outcome_report"))
    assert client.get(reverse("networking:outcome-report"), {"event": edition.event.pk}).status_code == 200
    assert client.get(reverse("networking:tables-sheet", args=[edition.space.pk])).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="print_table_codes"))
    client.force_login(User.objects.get(pk=staff.pk))  # permissions are cached per user object
    assert client.get(reverse("networking:tables-sheet", args=[edition.space.pk])).status_code == 200


@pytest.mark.parametrize("value", ["²", "-1", "1" * 40, "1\x00"])
def test_a_bad_event_parameter_is_not_a_500(admin_client, edition, value):
    assert admin_client.get(reverse("networking:outcome-report"), {"event": value}).status_code == 200
