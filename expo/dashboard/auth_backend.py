"""The staff sign-in backend: the password step with its lockout (expo/lib/login_lockout.py), and
staff loaded in one SQL statement on every request.

Door staff send a scan every few seconds, each a request that loads the user, asks for the second
step (two_factor.py: an authenticator app? an organizer?) and checks a permission. Django's
ModelBackend spends four queries on that (the user, the two-factor question, the user's own
permissions and their groups'), and building them through the ORM costs more than running them:
3.9 ms a request on the benchmark machine. Here one hand-written statement brings the user with the
two-factor answers and the names of their permissions: 0.7 ms (`bench/web/prepare.py profile
door_scan`). Nothing is kept between requests: a permission withdrawn, a device removed or an
account deactivated counts on the next request (tests/dashboard/test_auth_backend.py).
"""

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django_otp.plugins.otp_totp.models import TOTPDevice

from expo.lib.login_lockout import LockoutModelBackend

from . import roles


@cache
def _user_sql(vendor: str) -> str:
    """SELECT the user's columns, "has a confirmed app?", "is an organizer?" and their permissions as
    `app_label.codename` joined with commas (STRING_AGG on PostgreSQL, GROUP_CONCAT on SQLite)."""
    user_model = get_user_model()
    q = connections["default"].ops.quote_name
    user_groups = user_model.groups.through._meta
    user_permissions = user_model.user_permissions.through._meta
    group_permissions = Group.permissions.through._meta

    def column(meta, name):
        return q(meta.get_field(name).column)

    joined = "STRING_AGG({}, ',')" if vendor == "postgresql" else "GROUP_CONCAT({}, ',')"
    columns = ", ".join(f"u.{q(f.column)}" for f in user_model._meta.concrete_fields)
    return f"""
        SELECT {columns},
          EXISTS(SELECT 1 FROM {q(TOTPDevice._meta.db_table)} d
                 WHERE d.{column(TOTPDevice._meta, "user")} = u.{q(user_model._meta.pk.column)}
                   AND d.{column(TOTPDevice._meta, "confirmed")}) AS expo_has_app,
          EXISTS(SELECT 1 FROM {q(user_groups.db_table)} ug
                 JOIN {q(Group._meta.db_table)} g ON g.{q("id")} = ug.{column(user_groups, "group")}
                 WHERE ug.{column(user_groups, "user")} = u.{q(user_model._meta.pk.column)}
                   AND g.{q("name")} = %s) AS expo_organizer,
          (SELECT {joined.format(f"ct.{q('app_label')} || '.' || p.{q('codename')}")}
             FROM {q(Permission._meta.db_table)} p
             JOIN {q(ContentType._meta.db_table)} ct ON ct.{q("id")} = p.{column(Permission._meta, "content_type")}
            WHERE p.{q("id")} IN (SELECT up.{column(user_permissions, "permission")}
                                   FROM {q(user_permissions.db_table)} up
                                  WHERE up.{column(user_permissions, "user")} = u.{q(user_model._meta.pk.column)})
               OR p.{q("id")} IN (SELECT gp.{column(group_permissions, "permission")}
                                   FROM {q(group_permissions.db_table)} gp
                                   JOIN {q(user_groups.db_table)} ug2
                                     ON ug2.{column(user_groups, "group")} = gp.{column(group_permissions, "group")}
                                  WHERE ug2.{column(user_groups, "user")} = u.{q(user_model._meta.pk.column)})
          ) AS expo_permissions
        FROM {q(user_model._meta.db_table)} u
        WHERE u.{q(user_model._meta.pk.column)} = %s
    """


class StaffBackend(LockoutModelBackend):
    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user_id = user_model._meta.pk.to_python(user_id)
        except Exception:  # a session holding something that is not an id
            return None
        vendor = connections["default"].vendor
        user = next(iter(user_model._default_manager.raw(_user_sql(vendor), [roles.ORGANIZER, user_id])), None)
        if user is None or not self.user_can_authenticate(user):
            return None
        # What two_factor.two_factor_has_app, roles.is_organizer and get_all_permissions would ask again.
        user._expo_has_app, user._expo_organizer = bool(user.expo_has_app), bool(user.expo_organizer)
        if not user.is_superuser:  # a superuser has every permission (get_all_permissions lists them)
            user._perm_cache = set(user.expo_permissions.split(",")) if user.expo_permissions else set()
        return user
