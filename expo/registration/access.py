"""Passwordless sign-in for visitors: signed, expiring, single-use links sent by email.

A link carries the attendee id and a fingerprint of their sign-in state (last sign-in time, email,
status), signed with a timestamp. Signing in changes the last sign-in time, so a link works once;
it also stops working after SIGNIN_LINK_HOURS. The link opens a page with a button: signing in
takes a POST, so mail scanners that prefetch links do not use them up.
"""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import Attendee

SALT = "expo.signin"
SESSION_KEY = "expo_attendee_id"


def _fingerprint(attendee: Attendee) -> str:
    state = f"{attendee.pk}:{attendee.email}:{attendee.last_signin_at}:{attendee.status}"
    return salted_hmac(SALT, state).hexdigest()[:20]


def signin_token_make(attendee: Attendee) -> str:
    return signing.dumps({"a": attendee.pk, "f": _fingerprint(attendee)}, salt=SALT)


def signin_url(attendee: Attendee, next_url: str = "") -> str:
    """The emailed sign-in link; `next_url` (a path on this site) is where it leads once signed in."""
    url = settings.SITE_URL + reverse("registration:signin-link", args=[signin_token_make(attendee)])
    if next_url.startswith("/") and not next_url.startswith("//"):
        url += "?" + urlencode({"next": next_url})
    return url


def signin_token_check(token: str) -> Attendee | None:
    """The attendee a valid, unused, unexpired link is for; None otherwise."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.SIGNIN_LINK_HOURS * 3600)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    attendee = Attendee.objects.select_related("event").filter(pk=data.get("a"), erased_at__isnull=True).first()
    if attendee is None or data.get("f") != _fingerprint(attendee):
        return None
    return attendee


def attendee_signin(request, attendee: Attendee) -> None:
    attendee.last_signin_at = timezone.now()
    attendee.save(update_fields=["last_signin_at"])
    request.session.cycle_key()
    request.session[SESSION_KEY] = attendee.pk
    request._expo_attendee = attendee
    # Shorter than a staff session: a visitor signs in again from a new emailed link.
    request.session.set_expiry(settings.VISITOR_SESSION_SECONDS)


def attendee_signout(request) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()
    request._expo_attendee = None


def current_attendee(request) -> Attendee | None:
    """The signed-in visitor, read once per request (views, context processors and templates share it)."""
    if hasattr(request, "_expo_attendee"):
        return request._expo_attendee
    attendee_id = request.session.get(SESSION_KEY)
    attendee = None
    if attendee_id is not None:
        attendee = (
            Attendee.objects.select_related("event__venue", "pass_type", "state")
            .filter(pk=attendee_id, erased_at__isnull=True)  # an erased person's sessions end with it
            .first()
        )
    request._expo_attendee = attendee
    return attendee


def attendee_required(view):
    """Let signed-in visitors through with `request.attendee` set; send others to the sign-in page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        attendee = current_attendee(request)
        if attendee is None:
            return redirect(f"{reverse('registration:signin')}?{urlencode({'next': request.get_full_path()})}")
        request.attendee = attendee
        return view(request, *args, **kwargs)

    return wrapper
