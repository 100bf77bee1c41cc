"""Staff sign-in lockout: after repeated wrong passwords an account (or an address) is locked out
for a while, even with the right password, so a password cannot be guessed by trying.

`LockoutModelBackend` (settings AUTHENTICATION_BACKENDS) counts failures per username and per
client address in the cache (expo.lib.ratelimit); past the limit it refuses before checking the
password. `LockoutAuthenticationForm` (the admin's login form, set in expo/urls.py) then says so in
the person's language instead of "wrong password".

The second step of a two-factor sign-in (a 6-digit code or a backup code) is locked the same way,
by its own counters (`code_locked_for`, `code_failed`, `code_succeeded`): 5 wrong codes per
account and 30 per address in 15 minutes, then even the right code is refused for the rest of the
window. `lockout_message` is the sentence both steps show.
"""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import ngettext

from .ratelimit import client_ip, rate_limit_peek, rate_limit_reset, rate_limits_hit

WINDOW = 15 * 60
FAILURES_PER_USER = 5
FAILURES_PER_ADDRESS = 30


def _keys(step: str, request, user_key: str) -> list[tuple[str, str, int]]:
    """The counters of one sign-in step ("login": passwords, "code": second-step codes): the account's
    and the address's."""
    keys = [(f"{step}-user", (user_key or "").strip().lower(), FAILURES_PER_USER)]
    if request is not None:
        keys.append((f"{step}-ip", client_ip(request), FAILURES_PER_ADDRESS))
    return keys


def _locked_for(step: str, request, user_key: str) -> int:
    for scope, key, limit in _keys(step, request, user_key):
        state = rate_limit_peek(scope, key, window=WINDOW)
        if state.count >= limit:
            return state.retry_after
    return 0


def _failed(step: str, request, user_key: str) -> None:
    rate_limits_hit([(scope, key, limit, WINDOW) for scope, key, limit in _keys(step, request, user_key)])


def login_locked_for(request, username: str) -> int:
    """Seconds left of a lockout of this username or address (0: not locked)."""
    return _locked_for("login", request, username)


def code_locked_for(request, user_key: str) -> int:
    """Seconds left of a lockout of second-step codes for this account or address (0: not locked)."""
    return _locked_for("code", request, user_key)


def code_failed(request, user_key: str) -> None:
    _failed("code", request, user_key)


def code_succeeded(user_key: str) -> None:
    rate_limit_reset("code-user", user_key)


def lockout_message(seconds: int) -> str:
    minutes = max(1, round(seconds / 60))
    return ngettext(
        "Too many failed sign-ins. Try again in %(minutes)d minute.",
        "Too many failed sign-ins. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


class LockoutModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        username = username if username is not None else kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None:
            return None
        locked = login_locked_for(request, username)
        if locked:
            if request is not None:
                request.expo_login_locked_for = locked
            raise PermissionDenied("locked out after repeated failures")  # no other backend is tried
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            _failed("login", request, username)
        else:
            rate_limit_reset("login-user", username.strip().lower())
        return user


class LockoutAuthenticationForm(AdminAuthenticationForm):
    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            seconds = getattr(self.request, "expo_login_locked_for", 0)
            if seconds:
                raise ValidationError(lockout_message(seconds), code="locked") from None
            raise
