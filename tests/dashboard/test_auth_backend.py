"""Staff loaded in one query a request (expo/dashboard/auth_backend.py), with nothing kept between requests."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from expo.dashboard.auth_backend import StaffBackend
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def _permission(codename: str) -> Permission:
    return Permission.objects.get(codename=codename)


def test_the_permissions_are_the_users_own_and_their_groups_as_djangos_backend_says():
    user = User.objects.create_user("mostrador", password="x", is_staff=True)
    user.user_permissions.add(_permission("add_badgescan"))
    desk = Group.objects.create(name="Mostrador de prueba")
    desk.permissions.add(_permission("add_attendee"), _permission("view_attendee"))
    user.groups.add(desk)
    Group.objects.create(name="Otro").permissions.add(_permission("delete_attendee"))  # not theirs
    with CaptureQueriesContext(connection) as queries:
        loaded = StaffBackend().get_user(user.pk)
        assert loaded.has_perm("registration.add_attendee") and not loaded.has_perm("registration.delete_attendee")
    assert len(queries) == 1
    expected = ModelBackend().get_all_permissions(User.objects.get(pk=user.pk))
    assert loaded.get_all_permissions() == expected == {
        "registration.add_badgescan", "registration.add_attendee", "registration.view_attendee"}  # fmt: skip


def test_a_withdrawn_permission_or_a_deactivated_account_counts_on_the_next_request(client):
    EventFactory()
    user = User.objects.create_user("puerta", password="x", is_staff=True)
    user.user_permissions.add(_permission("add_badgescan"))
    client.force_login(user)
    assert client.get(reverse("registration:checkin")).status_code == 200
    user.user_permissions.clear()
    assert client.get(reverse("registration:checkin")).status_code == 403
    user.user_permissions.add(_permission("add_badgescan"))
    assert client.get(reverse("registration:checkin")).status_code == 200
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get(reverse("registration:checkin")).status_code == 302  # signed out: to the sign-in page


def test_a_user_without_permissions_has_none():
    user = User.objects.create_user("nadie", password="x", is_staff=True)
    assert StaffBackend().get_user(user.pk).get_all_permissions() == set()
