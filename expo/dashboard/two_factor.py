"""Two-factor sign-in of staff: who must have it, which step a signed-in person still owes, and
the middleware that sends them to it before any other page.

Organizers (the *Organizador* role) and superusers must sign in with a second factor: an
authenticator app (TOTP, django-otp) or one of their backup codes. Other staff (desk, rooms,
program) may enroll; once they have, the code is asked of them too. The password step is the
admin's login (with its lockout, expo/lib/login_lockout.py); after it the session is signed in but
not verified, and `TwoFactorMiddleware` lets such a person reach only the code page, the enrollment
page, sign-out and the language switch until they pass (django_otp.login marks the session with the
device that verified it; OTPMiddleware checks that device on every request, so a device removed or
reset un-verifies the sessions it had verified).
"""

import time

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import roles

WRONG_CODE = gettext_lazy(
    "That code is not right. Check that your phone's clock is on time and type the code shown now."
)

VERIFY = "verify"
ENROLL = "enroll"

# What a signed-in person who still owes the second step may open.
OPEN_VIEWS = {
    "admin:two-factor-verify",
    "admin:two-factor-enroll",
    "admin:logout",
    "set_language",
}


def two_factor_required(user) -> bool:
    """Organizers and superusers cannot work without a second factor; other staff may choose."""
    return user.is_superuser or roles.is_organizer(user)


def two_factor_step(request) -> str | None:
    """The step this request's person still owes: VERIFY (a code), ENROLL (set up an app) or None."""
    if hasattr(request, "_expo_two_factor_step"):
        return request._expo_two_factor_step
    user = request.user
    step = None
    if user.is_authenticated and (user.is_staff or user.is_superuser) and not user.is_verified():
        if two_factor_has_app(user):
            step = VERIFY
        elif two_factor_required(user):
            step = ENROLL
    request._expo_two_factor_step = step
    return step


def two_factor_has_app(user) -> bool:
    """Whether the user has a confirmed authenticator app (backup codes only come with one). One query
    that also answers "is an organizer?" (remembered on the user): staff pass here on every request
    until verified, and the door scanner's staff on every scan."""
    if not hasattr(user, "_expo_has_app"):
        apps = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        organizer = Group.objects.filter(user=OuterRef("pk"), name=roles.ORGANIZER)
        row = get_user_model().objects.filter(pk=user.pk).values_list(Exists(apps), Exists(organizer)).first()
        user._expo_has_app, user._expo_organizer = row or (False, False)
    return user._expo_has_app


# Changing one's second factors (adding or removing an app, new backup codes) asks for a code typed in
# the last few minutes, as GitHub's "sudo mode" does: a session someone else got hold of (a computer
# left signed in, a stolen cookie) must not be enough to switch the second step off, or to take it
# over with backup codes or an app of their own. Signing in with a code counts as typing one.
CONFIRMED_AT_SESSION_KEY = "expo_two_factor_confirmed_at"
CONFIRM_SECONDS = 10 * 60


def two_factor_confirmed_recently(request) -> bool:
    """Whether the person typed a code from their app (or a backup code) in the last CONFIRM_SECONDS;
    always for someone without an app (there is nothing to take over, and nothing to type)."""
    if not two_factor_has_app(request.user):
        return True
    at = request.session.get(CONFIRMED_AT_SESSION_KEY)
    return isinstance(at, int | float) and 0 <= time.time() - at < CONFIRM_SECONDS


def two_factor_confirmed(request) -> None:
    request.session[CONFIRMED_AT_SESSION_KEY] = time.time()


def two_factor_step_url(step: str, next_url: str) -> str:
    return f"{reverse(f'admin:two-factor-{step}')}?{urlencode({'next': next_url})}"


class TwoFactorMiddleware:
    """Send staff who owe the second step to it, from every page but a few (OPEN_VIEWS)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Visitors and the public have no signed-in user in their session: no query for them.
        if SESSION_KEY not in request.session:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_VIEWS:
            return None
        step = two_factor_step(request)
        if step is None:
            return None
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": _("Finish signing in with your second factor first.")}, status=403)
        return redirect(two_factor_step_url(step, request.get_full_path()))
