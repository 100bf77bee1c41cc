"""The staff sign-in backend: the password step with its lockout (expo/lib/login_lockout.py), and
staff loaded in one query on every request.

Door staff send a scan every few seconds, each a request that loads the user, asks for the second
step (two_factor.py: an authenticator app? an organizer?) and checks a permission. Django's
ModelBackend spends four queries on that: the user, the two-factor question, the user's own
permissions and their groups'. Here one query brings the user with the two-factor answers and the
names of their permissions. Nothing is kept between requests: a permission withdrawn, a device
removed or an account deactivated counts on the next request.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models import Aggregate, Exists, F, OuterRef, Q, Subquery, TextField, Value
from django.db.models.functions import Concat
from django_otp.plugins.otp_totp.models import TOTPDevice

from expo.lib.login_lockout import LockoutModelBackend

from . import roles


class _Joined(Aggregate):
    """The values of a column joined with commas (STRING_AGG on PostgreSQL, GROUP_CONCAT on SQLite)."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ',')"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


def _permission_names():
    """`app_label.codename` of every permission of the outer user, own or through a group, joined."""
    user = OuterRef(OuterRef("pk"))  # the user two levels up (the pk__in subqueries are inside this one)
    permissions = Permission.objects.filter(
        Q(pk__in=Permission.user_set.through.objects.filter(user=user).values("permission"))
        | Q(pk__in=Group.permissions.through.objects.filter(group__user=user).values("permission"))
    )
    name = Concat(F("content_type__app_label"), Value("."), F("codename"), output_field=TextField())
    return Subquery(permissions.order_by().annotate(one=Value(1)).values("one").annotate(names=_Joined(name))
                    .values("names")[:1])  # fmt: skip


class StaffBackend(LockoutModelBackend):
    def get_user(self, user_id):
        users = get_user_model()._default_manager.annotate(
            expo_has_app=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            expo_organizer=Exists(Group.objects.filter(user=OuterRef("pk"), name=roles.ORGANIZER)),
            expo_permissions=_permission_names(),
        )
        user = users.filter(pk=user_id).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        # What two_factor.two_factor_has_app, roles.is_organizer and get_all_permissions would ask again.
        user._expo_has_app, user._expo_organizer = user.expo_has_app, user.expo_organizer
        if not user.is_superuser:  # a superuser has every permission (get_all_permissions lists them)
            user._perm_cache = set(user.expo_permissions.split(",")) if user.expo_permissions else set()
        return user

    def get_all_permissions(self, user_obj, obj=None):
        """The user's own and their groups' permissions in one query (ModelBackend: two), when the
        user did not come from get_user with them."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                permissions = Permission.objects.all()
            else:
                permissions = Permission.objects.filter(
                    Q(pk__in=Permission.user_set.through.objects.filter(user=user_obj).values("permission"))
                    | Q(pk__in=Group.permissions.through.objects.filter(group__user=user_obj).values("permission"))
                )
            user_obj._perm_cache = {
                f"{app_label}.{codename}"
                for app_label, codename in permissions.values_list("content_type__app_label", "codename")
            }
        return user_obj._perm_cache
