"""The ready-made roles of the organizers' team: groups with Spanish names and their permissions.

`roles_sync` creates the groups, the permissions to import and export data (Django has none), and
gives each group what `ROLE_PERMISSIONS` says. Migration dashboard/0001 runs it; it runs again
after every `migrate` (AppConfig.ready connects it to post_migrate), so a permission that an app
adds later joins its group the next time the database is migrated. Permissions named here that do
not exist (yet) are skipped, so the list may name what a feature will bring.

What each role may do, and what enforces it:
- Organizador: every permission, among them `registration.erase_attendee` (erase a visitor's
  personal data on request) and `registration.export_attendee` (also their personal data export).
- Responsable de programa: sessions, speakers, tracks, rooms (and reading the editions and
  taxonomies they hang on); nothing of registrations, so no visitor data.
- Personal de mostrador: door check-in (add badge scan) and walk-ins (add and view registrations,
  print badges); never an export, which needs `registration.export_attendee`.
- Personal de sala: session scans at the rooms' doors. HOOK: the program app's scan permission
  (for example "program.add_sessionattendance") goes in ROLE_PERMISSIONS[ROOM_STAFF] below.
- Personal de expositor: no admin permission at all, and the admin site refuses them even with
  staff status (sites.ExpoAdminSite); their portal checks the exhibitor's staff list.
"""

import logging

from django.apps import apps as global_apps

logger = logging.getLogger(__name__)

ORGANIZER = "Organizador"
PROGRAM_MANAGER = "Responsable de programa"
DESK_STAFF = "Personal de mostrador"
ROOM_STAFF = "Personal de sala"
EXHIBITOR_STAFF = "Personal de expositor"

# Permissions Django does not make: bulk import and export of the data organizers move in bulk.
EXTRA_PERMISSIONS = {
    ("registration", "attendee"): [("export_attendee", "Can export registrations"),
                                   ("import_attendee", "Can import registrations"),
                                   # ARCO: erasing a person's data on request (personal_data.py).
                                   ("erase_attendee", "Can erase a visitor's personal data")],
    ("exhibitors", "exhibitor"): [("export_exhibitor", "Can export exhibitors"),
                                  ("import_exhibitor", "Can import exhibitors")],
    ("exhibitors", "product"): [("export_product", "Can export products"), ("import_product", "Can import products")],
    ("program", "session"): [("export_session", "Can export sessions"), ("import_session", "Can import sessions")],
    ("program", "speaker"): [("export_speaker", "Can export speakers"), ("import_speaker", "Can import speakers")],
    ("networking", "meeting"): [("export_meeting", "Can export meetings")],
}  # fmt: skip

EVERYTHING = "*"
ROLE_PERMISSIONS: dict[str, list[str] | str] = {
    ORGANIZER: EVERYTHING,
    PROGRAM_MANAGER: [
        "program.*",
        "events.view_room", "events.add_room", "events.change_room",
        "events.view_venue", "events.view_event", "events.view_term",
    ],
    DESK_STAFF: [
        "registration.add_badgescan",
        "registration.add_attendee", "registration.view_attendee",
        "registration.view_passtype",
    ],
    # The program app's permission to scan badges at a session's door goes here when it lands.
    ROOM_STAFF: [],
    EXHIBITOR_STAFF: [],
}  # fmt: skip


def _wanted(spec, permissions) -> list:
    if spec == EVERYTHING:
        return list(permissions)
    chosen = []
    for name in spec:
        app_label, codename = name.split(".", 1)
        matches = [
            p for p in permissions
            if p.content_type.app_label == app_label and (codename == "*" or p.codename == codename)
        ]  # fmt: skip
        if not matches:
            logger.info("Role permission %s does not exist (yet); skipped", name)
        chosen.extend(matches)
    return chosen


def roles_sync(*, apps=global_apps) -> None:
    """Create the groups and the extra permissions, and give each group its permissions (idempotent).

    A group keeps permissions an organizer added by hand; only the listed ones are ensured.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for (app_label, model), extras in EXTRA_PERMISSIONS.items():
        content_type, _created = ContentType.objects.get_or_create(app_label=app_label, model=model)
        for codename, name in extras:
            Permission.objects.get_or_create(content_type=content_type, codename=codename, defaults={"name": name})
    permissions = list(Permission.objects.select_related("content_type"))
    for name, spec in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*_wanted(spec, permissions))


def roles_after_migrate(sender, using="default", apps=global_apps, **kwargs) -> None:
    """post_migrate: the roles again, with whatever permissions exist now."""
    roles_sync(apps=global_apps)


def is_exhibitor_staff(user) -> bool:
    """Whether the user belongs to the exhibitor staff role (one query, remembered on the user)."""
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_expo_exhibitor_staff"):
        user._expo_exhibitor_staff = user.groups.filter(name=EXHIBITOR_STAFF).exists()
    return user._expo_exhibitor_staff


def is_organizer(user) -> bool:
    """Whether the user belongs to the organizer role (one query, remembered on the user)."""
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_expo_organizer"):
        user._expo_organizer = user.groups.filter(name=ORGANIZER).exists()
    return user._expo_organizer
