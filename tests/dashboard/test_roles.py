"""The ready-made roles: Spanish group names from a migration, each enforced by permissions."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from expo.dashboard import roles

from .conftest import member

pytestmark = pytest.mark.django_db


def test_the_roles_exist_with_spanish_names():
    names = set(Group.objects.values_list("name", flat=True))
    assert {"Organizador", "Responsable de programa", "Personal de mostrador", "Personal de sala",
            "Personal de expositor"} <= names  # fmt: skip


def test_the_organizer_has_every_permission_including_import_and_export():
    organizer = member(roles.ORGANIZER)
    assert organizer.has_perm("registration.export_attendee")
    assert organizer.has_perm("networking.export_meeting")
    assert organizer.has_perm("program.import_session")
    assert organizer.has_perm("auth.change_user")


def test_desk_staff_check_in_and_register_walk_ins_but_cannot_export_visitors(client, fair):
    desk = member(roles.DESK_STAFF)
    client.force_login(desk)
    assert client.get(reverse("registration:checkin")).status_code == 200
    assert client.get(reverse("registration:walkin")).status_code == 200
    # The registrations list opens (to look a visitor up), but no export is offered or allowed.
    changelist = client.get(reverse("admin:registration_attendee_changelist"))
    assert changelist.status_code == 200
    assert "export_csv" not in changelist.context["action_form"].fields["action"].choices.__str__()
    ids = list(fair.event.attendees.values_list("pk", flat=True))
    response = client.post(reverse("admin:registration_attendee_changelist"),
                           {"action": "export_csv", "_selected_action": ids})  # fmt: skip
    assert response.get("Content-Type", "").startswith("text/html")
    assert client.get(reverse("admin:registration_attendee_export")).status_code == 403
    scans = client.post(reverse("admin:registration_badgescan_changelist"), {"action": "export_csv",
                        "_selected_action": list(fair.event.badge_scans.values_list("pk", flat=True))})  # fmt: skip
    assert not scans.get("Content-Type", "").startswith("text/csv")
    assert client.get(reverse("admin:dashboard_campaign_changelist")).status_code == 403


def test_exhibitor_staff_never_open_the_admin_even_with_staff_status(client):
    staff = member(roles.EXHIBITOR_STAFF, staff=True)
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]
    assert client.get(reverse("admin:registration_attendee_changelist")).status_code == 302


def test_a_program_manager_edits_sessions_but_cannot_see_registrations(client, fair):
    manager = member(roles.PROGRAM_MANAGER)
    client.force_login(manager)
    assert client.get(reverse("admin:program_session_changelist")).status_code == 200
    assert client.get(reverse("admin:program_speaker_changelist")).status_code == 200
    assert client.get(reverse("admin:events_room_changelist")).status_code == 200
    assert client.get(reverse("admin:registration_attendee_changelist")).status_code == 403
    attendee = fair.event.attendees.first()
    assert client.get(reverse("admin:registration_attendee_change", args=[attendee.pk])).status_code == 403
    assert client.get(reverse("registration:badge", args=[attendee.pk])).status_code == 403


def test_room_staff_is_ready_for_the_session_scan_permission():
    group = Group.objects.get(name=roles.ROOM_STAFF)
    assert roles.ROOM_STAFF in roles.ROLE_PERMISSIONS
    assert not group.permissions.filter(content_type__app_label="registration").exists()


def test_roles_sync_adds_new_permissions_and_keeps_hand_made_ones(monkeypatch):
    from django.contrib.auth.models import Permission

    group = Group.objects.get(name=roles.DESK_STAFF)
    extra = Permission.objects.get(codename="view_session", content_type__app_label="program")
    group.permissions.add(extra)
    monkeypatch.setitem(roles.ROLE_PERMISSIONS, roles.DESK_STAFF, [*roles.ROLE_PERMISSIONS[roles.DESK_STAFF],
                                                                   "registration.view_badgescan"])  # fmt: skip
    roles.roles_sync()
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"view_badgescan", "view_session", "add_badgescan"} <= codenames
